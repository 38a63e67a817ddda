//! What a vfork child writes to memory, handed back to its parent.
//!
//! vm runs a vfork child as a fork (see [`super::fork`]), so the child writes to a copy of
//! its parent's memory. Programs count on those writes: glibc's `posix_spawn` child
//! reports a failed `execve` by storing the errno in its parent's memory before it exits
//! (so `subprocess.Popen` of a missing program raises `FileNotFoundError`, and make
//! reports the missing command). So the child, when it execs or exits, sends every
//! private guest page it has written over the release socket its parent waits on, and
//! the parent writes them into its own memory before it resumes.
//!
//! The pages written are those the host kernel maps in the child alone after copy on
//! write: present, exclusively mapped, and anonymous (`/proc/self/pagemap` bits 63, 56
//! and not 61). Shared mappings are shared already and are skipped. Only a parent that
//! was single-threaded at the vfork gets pages back: its other threads run on during a
//! vfork, and whole pages written back would undo what they wrote meanwhile. Mapping
//! changes the child makes (`mmap`, `mprotect`) stay its own, unlike Linux's.

use super::{host_call, Errno};
use crate::state::ProcessState;
use std::fs::File;
use std::os::fd::{AsRawFd, OwnedFd};
use std::os::unix::fs::FileExt;
use vm_ir::GuestAddr;
use vm_memory::{GuestMemory, Perm, RegionKind, PAGE_SIZE};

/// The child's end of the release socket its vfork parent waits on.
#[derive(Debug)]
pub struct VforkRelease {
    pub socket: OwnedFd,
    /// Whether the parent takes the pages the child wrote (it was single-threaded).
    pub write_back: bool,
}

/// `pagemap` entry bits.
const PRESENT: u64 = 1 << 63;
const FILE_OR_SHARED: u64 = 1 << 61;
const EXCLUSIVE: u64 = 1 << 56;

/// One record on the socket: the page's guest address, then its bytes.
const RECORD: usize = 8 + PAGE_SIZE as usize;

/// In a vfork child about to exec: sends the parent the pages written so far. The
/// socket closes with the exec (it is close-on-exec), which releases the parent; if the
/// exec fails, the child goes on and sends again when it exits.
pub fn before_exec(state: &ProcessState, mem: &GuestMemory) {
    if let Some(release) = &state.vfork_release {
        send_written_pages(state, mem, release);
    }
}

/// In a vfork child that is ending: sends the parent the pages written and releases it.
pub fn at_exit(state: &mut ProcessState, mem: &GuestMemory) {
    if let Some(release) = &state.vfork_release {
        send_written_pages(state, mem, release);
    }
    state.vfork_release = None;
}

fn send_written_pages(state: &ProcessState, mem: &GuestMemory, release: &VforkRelease) {
    if !release.write_back {
        return;
    }
    let Ok(pagemap) = File::open("/proc/self/pagemap") else {
        return;
    };
    let base = mem.host_range().start as u64;
    let space = state.address_space();
    let private = mem.regions().into_iter().filter(|r| {
        !matches!(r.kind, RegionKind::System(_))
            && r.perm.contains(Perm::R)
            && space
                .shared_file_maps
                .overlapping(r.start, r.end)
                .is_empty()
    });
    let started = std::time::Instant::now();
    let (mut scanned, mut sent) = (0, 0);
    let mut record = vec![0u8; RECORD];
    for region in private {
        let pages = (region.end - region.start) / PAGE_SIZE;
        scanned += pages;
        let mut entries = vec![0u8; pages as usize * 8];
        let at = (base + region.start) / PAGE_SIZE * 8;
        if pagemap.read_exact_at(&mut entries, at).is_err() {
            continue;
        }
        for (i, entry) in entries.chunks_exact(8).enumerate() {
            let entry = u64::from_le_bytes(entry.try_into().unwrap());
            if entry & (PRESENT | EXCLUSIVE | FILE_OR_SHARED) != PRESENT | EXCLUSIVE {
                continue;
            }
            let addr = region.start + i as u64 * PAGE_SIZE;
            let Ok(page) = mem.slice(addr, PAGE_SIZE) else {
                continue;
            };
            record[..8].copy_from_slice(&addr.to_le_bytes());
            record[8..].copy_from_slice(page);
            if !send_all(&release.socket, &record) {
                return;
            }
            sent += 1;
        }
    }
    tracing::debug!(
        "vfork child: {sent} written pages of {scanned} sent to the parent in {:?}",
        started.elapsed()
    );
}

/// Writes all of `data`; false if the parent is gone.
fn send_all(socket: &OwnedFd, mut data: &[u8]) -> bool {
    while !data.is_empty() {
        // SAFETY: `data` is a readable buffer of its length; MSG_NOSIGNAL keeps a closed
        // peer from raising SIGPIPE.
        let r = unsafe {
            libc::send(
                socket.as_raw_fd(),
                data.as_ptr().cast(),
                data.len(),
                libc::MSG_NOSIGNAL,
            )
        };
        match r {
            n if n > 0 => data = &data[n as usize..],
            -1 if std::io::Error::last_os_error().kind() == std::io::ErrorKind::Interrupted => {}
            _ => return false,
        }
    }
    true
}

/// In the parent: waits until the child has exec'd or exited (every holder of the
/// socket's other end is gone), writing the pages it sends into guest memory. Returns
/// whether a page written back lies in executable memory (translated code is stale).
pub fn wait_for_child(state: &ProcessState, socket: &impl AsRawFd, mem: &GuestMemory) -> bool {
    let mut record = vec![0u8; RECORD];
    let mut code_written = false;
    while receive_exact(socket, &mut record) {
        let addr = GuestAddr::from_le_bytes(record[..8].try_into().unwrap());
        let space = state.address_space();
        // Only where the parent's memory is private too (a shared page of the parent's
        // may be read-only on the host).
        if !space
            .shared_file_maps
            .overlapping(addr, addr + PAGE_SIZE)
            .is_empty()
        {
            continue;
        }
        if let Some(region) = mem.region_at(addr) {
            code_written |= region.perm.contains(Perm::X);
            let _ = mem.write_bytes_privileged(addr, &record[8..]);
        }
    }
    code_written
}

/// Fills `buf` from the socket; false at end of file (or on an error, which ends the
/// wait as end of file would). Guest signals do not end the wait: they stay pending
/// until the child is done, as Linux's vfork wait lets only SIGKILL through (a signal
/// that ended it early would lose the pages the child writes afterwards).
fn receive_exact(socket: &impl AsRawFd, buf: &mut [u8]) -> bool {
    let mut got = 0;
    while got < buf.len() {
        let rest = &mut buf[got..];
        // SAFETY: `rest` is a writable buffer of its length.
        let call = unsafe {
            host_call!(
                libc::SYS_read,
                socket.as_raw_fd(),
                rest.as_mut_ptr(),
                rest.len()
            )
        };
        match call.run() {
            Ok(n) if n > 0 => got += n as usize,
            Err(Errno(libc::EINTR)) => {}
            _ => return false,
        }
    }
    true
}
