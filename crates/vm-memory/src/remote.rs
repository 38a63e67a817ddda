//! Guest spaces of other processes, for the calls through which one process reaches
//! another's memory (`process_vm_readv`/`process_vm_writev`, `/proc/PID/maps`).
//!
//! Every `GuestMemory` publishes where its guest space and permission table lie in host
//! memory: a read-only page of a memfd named [`LAYOUT_NAME`], holding [`MAGIC`], the
//! host address of guest address 0, the guest space's size and the host address of the
//! permission table. Another process finds the page in the host's `/proc/PID/maps`
//! (`/memfd:vm-guest-layout (deleted)`) and reads it, and then the target's permission
//! entries, with host `process_vm_readv`, which the host kernel allows under the same
//! ptrace access check as the guest's call itself. A process without the page is not a
//! vm process: its addresses are host addresses.
//!
//! What is read of another process is a snapshot: the target may change its mappings
//! between the reads, as a Linux process may between a debugger's calls.

use crate::{Perm, GUEST_SPACE, PAGE_SIZE};
use std::io;

/// The memfd name of the published layout page.
pub const LAYOUT_NAME: &str = "vm-guest-layout";
/// The first word of the layout page, the format's version in its last byte.
const MAGIC: u64 = u64::from_le_bytes(*b"vmguest1");
/// Bytes of the layout the page holds: magic, space, size, permission table.
const LAYOUT_BYTES: usize = 32;

fn errno() -> i32 {
    io::Error::last_os_error()
        .raw_os_error()
        .unwrap_or(libc::EIO)
}

/// The published layout page of this process's guest space; unmapped when dropped.
pub(crate) struct Layout {
    page: *mut libc::c_void,
}

// SAFETY: the page is a read-only mapping owned by this value; no thread affinity.
unsafe impl Send for Layout {}
// SAFETY: nothing is ever written through `page`.
unsafe impl Sync for Layout {}

impl Layout {
    /// Publishes `space` (guest address 0) and `perms` (the permission table). `None`
    /// if the host refuses (no memfd, descriptor table full): the process is then not
    /// reachable by other guests, which is no reason to fail.
    pub(crate) fn publish(space: *const u8, perms: *const u8) -> Option<Layout> {
        let mut bytes = [0u8; LAYOUT_BYTES];
        for (i, word) in [MAGIC, space as u64, GUEST_SPACE, perms as u64]
            .iter()
            .enumerate()
        {
            bytes[i * 8..i * 8 + 8].copy_from_slice(&word.to_le_bytes());
        }
        let name = c"vm-guest-layout";
        // (`libc::syscall` is variadic: every argument is passed as a whole register.)
        let flags = libc::MFD_CLOEXEC as libc::c_ulong;
        // SAFETY: `name` is NUL-terminated.
        #[allow(clippy::disallowed_methods)]
        let fd = unsafe { libc::syscall(libc::SYS_memfd_create, name.as_ptr(), flags) };
        if fd < 0 {
            return None;
        }
        let fd = fd as i32;
        // SAFETY: `bytes` is a live buffer of the length passed; `fd` is ours.
        let written = unsafe { libc::write(fd, bytes.as_ptr().cast(), bytes.len()) };
        let page = if written == LAYOUT_BYTES as isize {
            // SAFETY: a fresh shared read-only mapping of our own memfd at an address of
            // the kernel's choosing aliases no Rust object.
            unsafe {
                libc::mmap(
                    std::ptr::null_mut(),
                    PAGE_SIZE as usize,
                    libc::PROT_READ,
                    libc::MAP_SHARED,
                    fd,
                    0,
                )
            }
        } else {
            libc::MAP_FAILED
        };
        // SAFETY: `fd` is ours; the mapping keeps the file alive.
        unsafe { libc::close(fd) };
        (page != libc::MAP_FAILED).then_some(Layout { page })
    }
}

impl Drop for Layout {
    fn drop(&mut self) {
        // SAFETY: we own the mapping; nothing borrows it.
        unsafe { libc::munmap(self.page, PAGE_SIZE as usize) };
    }
}

/// Copies `len` bytes at host address `remote` of process `pid` into `out` with host
/// `process_vm_readv`; `Err(errno)` unless all of them arrive.
fn read_remote(pid: i32, remote: u64, out: &mut [u8]) -> Result<(), i32> {
    let local = libc::iovec {
        iov_base: out.as_mut_ptr().cast(),
        iov_len: out.len(),
    };
    let remote = libc::iovec {
        iov_base: remote as *mut libc::c_void,
        iov_len: out.len(),
    };
    // `libc::syscall` is variadic: every argument is passed as a whole register (a
    // literal 0 for `flags` once left garbage above bit 31, and the call failed).
    let (pid, one, no_flags): (libc::c_long, libc::c_ulong, libc::c_ulong) = (pid.into(), 1, 0);
    // SAFETY: the local iovec covers exactly `out`, which the kernel writes; the remote
    // one is only an address in the other process, checked by the kernel.
    #[allow(clippy::disallowed_methods)]
    let n = unsafe {
        libc::syscall(
            libc::SYS_process_vm_readv,
            pid,
            &local,
            one,
            &remote,
            one,
            no_flags,
        )
    };
    match n {
        n if n < 0 => Err(errno()),
        n if n as usize == out.len() => Ok(()),
        _ => Err(libc::EFAULT),
    }
}

/// One line of a host `/proc/PID/maps`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct HostMapLine {
    pub start: u64,
    pub end: u64,
    /// The four permission columns, e.g. `rw-p`.
    pub perms: [u8; 4],
    pub offset: u64,
    pub dev: (u32, u32),
    pub inode: u64,
    /// The name column (a path, `[heap]`, ...), empty for anonymous memory.
    pub name: String,
}

impl HostMapLine {
    /// Parses `start-end perms offset major:minor inode [name]`.
    pub fn parse(line: &str) -> Option<HostMapLine> {
        let mut rest = line;
        let mut field = || {
            let s = rest.trim_start_matches(' ');
            let end = s.find(' ').unwrap_or(s.len());
            rest = &s[end..];
            &s[..end]
        };
        let (start, end) = field().split_once('-')?;
        let perms: [u8; 4] = field().as_bytes().try_into().ok()?;
        let offset = u64::from_str_radix(field(), 16).ok()?;
        let (major, minor) = field().split_once(':')?;
        let inode = field().parse().ok()?;
        Some(HostMapLine {
            start: u64::from_str_radix(start, 16).ok()?,
            end: u64::from_str_radix(end, 16).ok()?,
            perms,
            offset,
            dev: (
                u32::from_str_radix(major, 16).ok()?,
                u32::from_str_radix(minor, 16).ok()?,
            ),
            inode,
            name: rest.trim_start_matches(' ').to_string(),
        })
    }
}

/// The lines of process `pid`'s host `/proc/PID/maps`; `Err(errno)` as opening or
/// reading it fails (`ENOENT`: no such process; `EACCES`: no access).
pub fn host_maps(pid: i32) -> Result<Vec<HostMapLine>, i32> {
    let text = std::fs::read_to_string(format!("/proc/{pid}/maps"))
        .map_err(|e| e.raw_os_error().unwrap_or(libc::EIO))?;
    Ok(text.lines().filter_map(HostMapLine::parse).collect())
}

/// One page's entry in a guest's permission table.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct PageState {
    /// Whether anything is mapped there.
    pub mapped: bool,
    /// The mapping's permissions.
    pub perm: Perm,
    /// A file page wholly past the end of its file: every access faults.
    pub past_eof: bool,
}

impl PageState {
    fn of_entry(entry: u8) -> PageState {
        PageState {
            mapped: entry & Perm::MAPPED != 0,
            perm: Perm::of_entry(entry),
            past_eof: entry & Perm::PAST_EOF != 0,
        }
    }

    /// Whether an access needing `need` may touch the page.
    pub fn allows(self, need: Perm) -> bool {
        self.mapped && !self.past_eof && self.perm.contains(need)
    }
}

/// Another vm process's guest space, as its layout page describes it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RemoteSpace {
    pid: i32,
    /// Host address of its guest address 0.
    base: u64,
    /// Host address of its permission table.
    perms: u64,
}

impl RemoteSpace {
    /// The guest space of process `pid`, found in `maps` (its host `/proc/PID/maps`);
    /// `Ok(None)` if it has none (not a vm process). `Err(errno)` if its layout page
    /// cannot be read.
    pub fn find(pid: i32, maps: &[HostMapLine]) -> Result<Option<RemoteSpace>, i32> {
        Ok(Self::all(pid, maps)?.into_iter().next())
    }

    /// Every guest space `maps` shows (a vm process has one; a test process, more).
    fn all(pid: i32, maps: &[HostMapLine]) -> Result<Vec<RemoteSpace>, i32> {
        let name = format!("/memfd:{LAYOUT_NAME} (deleted)");
        let mut out = Vec::new();
        for line in maps.iter().filter(|l| l.name == name) {
            let mut bytes = [0u8; LAYOUT_BYTES];
            match read_remote(pid, line.start, &mut bytes) {
                Ok(()) => {}
                // Unmapped since the maps were read (its guest space dropped).
                Err(libc::EFAULT) => continue,
                Err(e) => return Err(e),
            }
            let word = |i: usize| u64::from_le_bytes(bytes[i * 8..i * 8 + 8].try_into().unwrap());
            if word(0) == MAGIC && word(2) == GUEST_SPACE {
                out.push(RemoteSpace {
                    pid,
                    base: word(1),
                    perms: word(3),
                });
            }
        }
        Ok(out)
    }

    /// The host address range its guest space occupies.
    pub fn host_range(&self) -> std::ops::Range<u64> {
        self.base..self.base + GUEST_SPACE
    }

    /// The host address of its guest address `addr` (`addr < GUEST_SPACE`).
    pub fn host_addr(&self, addr: u64) -> u64 {
        self.base + addr
    }

    /// The entries of `count` pages from guest page `first` (all inside the space).
    pub fn pages(&self, first: u64, count: u64) -> Result<Vec<PageState>, i32> {
        if first.saturating_add(count) > GUEST_SPACE / PAGE_SIZE {
            return Err(libc::EFAULT);
        }
        let mut raw = vec![0u8; count as usize];
        read_remote(self.pid, self.perms + first, &mut raw)?;
        Ok(raw.into_iter().map(PageState::of_entry).collect())
    }

    /// How many bytes from guest address `addr` on, of `len`, an access needing `need`
    /// may touch before the first page that refuses it.
    pub fn accessible(&self, addr: u64, len: u64, need: Perm) -> Result<u64, i32> {
        if len == 0 || addr >= GUEST_SPACE {
            return Ok(0);
        }
        let end = addr.saturating_add(len).min(GUEST_SPACE);
        let first = addr / PAGE_SIZE;
        let pages = self.pages(first, (end - 1) / PAGE_SIZE + 1 - first)?;
        let ok = pages.iter().take_while(|p| p.allows(need)).count() as u64;
        Ok(((first + ok) * PAGE_SIZE).clamp(addr, end) - addr)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn host_map_lines_parse_with_and_without_names() {
        let l = HostMapLine::parse(
            "7f9eebc10000-7f9eec1d2000 rw-p 005c1000 fe:00 6072065                    /usr/bin/python3.14",
        )
        .unwrap();
        assert_eq!((l.start, l.end), (0x7f9eebc10000, 0x7f9eec1d2000));
        assert_eq!(&l.perms, b"rw-p");
        assert_eq!((l.offset, l.dev, l.inode), (0x5c1000, (0xfe, 0), 6072065));
        assert_eq!(l.name, "/usr/bin/python3.14");
        let l = HostMapLine::parse("7f9eebc00000-7f9eebc10000 ---p 00000000 00:00 0 ").unwrap();
        assert_eq!(l.name, "");
        let l = HostMapLine::parse("1000-2000 r--s 00000000 00:01 7 /memfd:a b (deleted)").unwrap();
        assert_eq!(l.name, "/memfd:a b (deleted)");
        assert!(HostMapLine::parse("garbage").is_none());
    }

    #[test]
    fn a_guest_space_is_found_with_its_page_permissions() {
        let mem = crate::GuestMemory::new().unwrap();
        let kind = crate::RegionKind::Anonymous;
        mem.map_fixed(0x10000, 0x3000, Perm::RW, kind.clone())
            .unwrap();
        mem.protect(0x11000, 0x1000, Perm::R).unwrap();
        mem.map_fixed(0x20000, 0x1000, Perm::NONE, kind).unwrap();
        let pid = std::process::id() as i32;
        let spaces = RemoteSpace::all(pid, &host_maps(pid).unwrap()).unwrap();
        let base = mem.host_range().start as u64;
        let space = spaces
            .iter()
            .find(|s| s.host_range().start == base)
            .unwrap();
        assert_eq!(space.host_addr(0x10000), base + 0x10000);
        let pages = space.pages(0x10, 3).unwrap();
        assert!(pages[0].allows(Perm::RW) && pages[1].allows(Perm::R));
        assert!(!pages[1].allows(Perm::W));
        // Readable up to the end of the mapping; writable up to the read-only page.
        assert_eq!(space.accessible(0x10800, 0x10000, Perm::R), Ok(0x2800));
        assert_eq!(space.accessible(0x10800, 0x10000, Perm::W), Ok(0x800));
        assert_eq!(space.accessible(0x20000, 8, Perm::R), Ok(0));
        assert_eq!(space.accessible(GUEST_SPACE, 8, Perm::R), Ok(0));
        let none = space.pages(0x20, 2).unwrap();
        assert!(none[0].mapped && none[0].perm == Perm::NONE && !none[1].mapped);
    }
}
