//! `process_vm_readv` and `process_vm_writev`: copying between the guest's memory and
//! another process's, as debuggers and profilers (CPython's `sys.remote_exec`) do.
//!
//! The remote addresses are the target's guest addresses when the target is a vm
//! process (found through the layout every guest space publishes, see
//! `vm_memory::remote`): each remote range is checked against the target's permission
//! table, cut at its first page that refuses the access (unmapped, past the end of its
//! file, or without read permission, or write permission for `process_vm_writev`), and
//! translated to the target's host addresses; the host kernel then copies, with its own
//! ptrace access check. A target that is not a vm process has host addresses, passed
//! as they are. As on Linux, the copy stops at the first remote range that faults and
//! returns the bytes copied before it, or `EFAULT` if there are none.
//!
//! Local buffers are checked whole, as `readv` checks its buffers: a bad one is
//! `EFAULT` before anything is copied (Linux would copy up to the faulting page).

use super::abi::{read_iovecs, IoVec, UIO_MAXIOV};
use super::io::host_buffers;
use super::{host, Errno, SysResult};
use vm_ir::GuestAddr;
use vm_memory::remote::{host_maps, RemoteSpace};
use vm_memory::{Access, GuestMemory, Perm};

/// Which way a call copies.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Direction {
    /// `process_vm_readv`: from the remote process into local buffers.
    Read,
    /// `process_vm_writev`: from local buffers into the remote process.
    Write,
}

/// `process_vm_readv` / `process_vm_writev(pid, local_iov, liovcnt, remote_iov,
/// riovcnt, flags)`.
#[allow(clippy::too_many_arguments)]
pub fn process_vm_rw(
    mem: &GuestMemory,
    dir: Direction,
    pid: i32,
    local_iov: GuestAddr,
    liovcnt: u64,
    remote_iov: GuestAddr,
    riovcnt: u64,
    flags: u64,
) -> SysResult {
    if flags != 0 {
        return Err(Errno(libc::EINVAL));
    }
    // Linux's order: the local vector (whose buffers the copy may touch), nothing to do
    // if it is empty, then the remote vector, nothing to do if it is empty, then the
    // process.
    let access = match dir {
        Direction::Read => Access::Write,
        Direction::Write => Access::Read,
    };
    let local = host_buffers(mem, &read_iovecs(mem, local_iov, liovcnt)?, access)?;
    if local.iter().all(|v| v.iov_len == 0) {
        return Ok(0);
    }
    let remote = remote_iovecs(mem, remote_iov, riovcnt)?;
    if remote.iter().all(|v| v.len == 0) {
        return Ok(0);
    }
    let maps = host_maps(pid).map_err(|e| {
        Errno(match e {
            libc::EACCES => libc::EPERM,
            libc::ENOENT => libc::ESRCH,
            e => e,
        })
    })?;
    let (remote, faulted) = match RemoteSpace::find(pid, &maps) {
        Ok(Some(space)) => guest_ranges(&space, &remote, dir)?,
        Ok(None) => (host_ranges(&remote), false),
        Err(libc::EFAULT) | Err(libc::ESRCH) => return Err(Errno(libc::ESRCH)),
        Err(e) => return Err(Errno(e)),
    };
    if remote.is_empty() {
        return Err(Errno(libc::EFAULT));
    }
    let call = match dir {
        Direction::Read => libc::SYS_process_vm_readv,
        Direction::Write => libc::SYS_process_vm_writev,
    };
    // SAFETY: every local entry points at a guest range just checked for the access the
    // copy makes (and `mem` stays borrowed, so no mapping changes meanwhile); the remote
    // entries are addresses in the other process, checked by the host kernel.
    let n = host(unsafe {
        host_syscall!(
            call,
            pid,
            local.as_ptr(),
            local.len(),
            remote.as_ptr(),
            remote.len(),
            0 as libc::c_ulong,
        )
    })?;
    if n == 0 && faulted {
        return Err(Errno(libc::EFAULT));
    }
    Ok(n)
}

/// The remote iovec array, as Linux's `iovec_from_user` reads it: at most `UIO_MAXIOV`
/// entries, none with a negative length (no total is clamped).
fn remote_iovecs(mem: &GuestMemory, addr: GuestAddr, count: u64) -> Result<Vec<IoVec>, Errno> {
    if count > UIO_MAXIOV {
        return Err(Errno(libc::EINVAL));
    }
    let raw = mem.slice(addr, count * 16)?;
    raw.chunks_exact(16)
        .map(|c| {
            let base = u64::from_le_bytes(c[..8].try_into().unwrap());
            let len = u64::from_le_bytes(c[8..].try_into().unwrap());
            if (len as i64) < 0 {
                return Err(Errno(libc::EINVAL));
            }
            Ok(IoVec { base, len })
        })
        .collect()
}

/// A target that is not a vm process: its addresses are host addresses.
fn host_ranges(remote: &[IoVec]) -> Vec<libc::iovec> {
    remote
        .iter()
        .map(|v| libc::iovec {
            iov_base: v.base as *mut libc::c_void,
            iov_len: v.len as usize,
        })
        .collect()
}

/// The target's host ranges for its guest ranges `remote`, up to the first byte the
/// target's mappings refuse (`true` if there is one).
fn guest_ranges(
    space: &RemoteSpace,
    remote: &[IoVec],
    dir: Direction,
) -> Result<(Vec<libc::iovec>, bool), Errno> {
    let need = match dir {
        Direction::Read => Perm::R,
        Direction::Write => Perm::W,
    };
    let mut out = Vec::with_capacity(remote.len());
    for v in remote.iter().filter(|v| v.len > 0) {
        let ok = space.accessible(v.base, v.len, need).map_err(Errno)?;
        if ok > 0 {
            out.push(libc::iovec {
                iov_base: space.host_addr(v.base) as *mut libc::c_void,
                iov_len: ok as usize,
            });
        }
        if ok < v.len {
            return Ok((out, true));
        }
    }
    Ok((out, false))
}
