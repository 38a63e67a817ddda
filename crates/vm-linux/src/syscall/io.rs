//! Reads and writes: `read`, `write`, `readv`, `writev`, `pread64`, `pwrite64`, `lseek`,
//! `preadv(2)`, `pwritev(2)`, `sendfile`, `copy_file_range`, and the pipe transfers
//! `splice`, `tee`, `vmsplice`.
//!
//! The host kernel transfers directly between the descriptor and guest memory: each
//! buffer is checked whole for the access (a buffer the guest cannot access is `EFAULT`
//! before anything is transferred, where Linux may transfer a prefix first), then its host
//! address is passed on. Counts are clamped to `MAX_RW_COUNT` as in Linux. `vmsplice`
//! into a pipe gives the pipe references to the guest's pages, as Linux gives it a
//! process's pages: they are host pages, so a reader sees later stores to them, as on
//! Linux.

use super::abi::{self, IoVec, MAX_RW_COUNT};
use super::{badf_or, host, host_call, restarting, Errno, SysResult};
use vm_ir::GuestAddr;
use vm_memory::{Access, GuestMemory};

pub fn read(mem: &GuestMemory, fd: i32, buf: GuestAddr, count: u64) -> SysResult {
    let Ok(dst) = mem.slice_mut(buf, count.min(MAX_RW_COUNT)) else {
        return Err(badf_or(fd, libc::EFAULT));
    };
    let (ptr, len) = (dst.as_mut_ptr(), dst.len());
    // SAFETY: `[ptr, ptr + len)` is a writable guest slice; `mem` stays borrowed
    // exclusively, so the mapping cannot change during the call.
    restarting(unsafe { host_call!(libc::SYS_read, fd, ptr, len) })
}

pub fn write(mem: &GuestMemory, fd: i32, buf: GuestAddr, count: u64) -> SysResult {
    if crate::signal::signalfd::is_signalfd(fd) {
        // A signalfd cannot be written (its eventfd must not be).
        return Err(Errno(libc::EINVAL));
    }
    let Ok(src) = mem.slice(buf, count.min(MAX_RW_COUNT)) else {
        return Err(badf_or(fd, libc::EFAULT));
    };
    // SAFETY: `src` is a readable guest slice the kernel only reads.
    restarting(unsafe { host_call!(libc::SYS_write, fd, src.as_ptr(), src.len()) })
}

pub fn pread64(mem: &GuestMemory, fd: i32, buf: GuestAddr, count: u64, off: i64) -> SysResult {
    let Ok(dst) = mem.slice_mut(buf, count.min(MAX_RW_COUNT)) else {
        return Err(badf_or(fd, libc::EFAULT));
    };
    let (ptr, len) = (dst.as_mut_ptr(), dst.len());
    // SAFETY: as in `read`.
    restarting(unsafe { host_call!(libc::SYS_pread64, fd, ptr, len, off) })
}

pub fn pwrite64(mem: &GuestMemory, fd: i32, buf: GuestAddr, count: u64, off: i64) -> SysResult {
    let Ok(src) = mem.slice(buf, count.min(MAX_RW_COUNT)) else {
        return Err(badf_or(fd, libc::EFAULT));
    };
    // SAFETY: as in `write`.
    restarting(unsafe { host_call!(libc::SYS_pwrite64, fd, src.as_ptr(), src.len(), off) })
}

pub fn lseek(fd: i32, offset: i64, whence: i32) -> SysResult {
    // SAFETY: no pointer arguments.
    host(unsafe { host_syscall!(libc::SYS_lseek, fd, offset, whence) })
}

/// Reads the guest iovec array; any failure is `EBADF` first if the descriptor is bad.
fn iovecs(mem: &GuestMemory, fd: i32, iov: GuestAddr, count: u64) -> Result<Vec<IoVec>, Errno> {
    abi::read_iovecs(mem, iov, count).map_err(|Errno(e)| badf_or(fd, e))
}

/// Host iovecs over the guest buffers of `iov`, each checked writable (for reads into
/// them).
pub(super) fn host_iovecs_mut(
    mem: &GuestMemory,
    fd: i32,
    iov: GuestAddr,
    count: u64,
) -> Result<Vec<libc::iovec>, Errno> {
    let vecs = iovecs(mem, fd, iov, count)?;
    host_buffers(mem, &vecs, Access::Write).map_err(|Errno(e)| badf_or(fd, e))
}

/// Host iovecs over the guest buffers of `iov`, each checked readable (for writes from
/// them).
pub(super) fn host_iovecs(
    mem: &GuestMemory,
    fd: i32,
    iov: GuestAddr,
    count: u64,
) -> Result<Vec<libc::iovec>, Errno> {
    let vecs = iovecs(mem, fd, iov, count)?;
    host_buffers(mem, &vecs, Access::Read).map_err(|Errno(e)| badf_or(fd, e))
}

/// Host iovecs over the guest buffers `vecs`, each checked for `access` (`Write` for
/// the buffers a call fills, `Read` for those it sends); a bad one is `EFAULT`.
pub(super) fn host_buffers(
    mem: &GuestMemory,
    vecs: &[IoVec],
    access: Access,
) -> Result<Vec<libc::iovec>, Errno> {
    let mut host_iov = Vec::with_capacity(vecs.len());
    for v in vecs {
        let buf = match access {
            Access::Write => mem.slice_mut(v.base, v.len)?.as_mut_ptr(),
            _ => mem.slice(v.base, v.len)?.as_ptr() as *mut u8,
        };
        host_iov.push(libc::iovec {
            iov_base: buf.cast(),
            iov_len: v.len as usize,
        });
    }
    Ok(host_iov)
}

pub fn readv(mem: &GuestMemory, fd: i32, iov: GuestAddr, count: u64) -> SysResult {
    let host_iov = host_iovecs_mut(mem, fd, iov, count)?;
    // SAFETY: every entry points at a guest range just checked writable (entries may
    // overlap, as the guest may pass; only the kernel writes through them, and no Rust
    // reference to those bytes is live); `mem` stays exclusively borrowed, so no mapping
    // changes during the call.
    restarting(unsafe { host_call!(libc::SYS_readv, fd, host_iov.as_ptr(), host_iov.len()) })
}

pub fn writev(mem: &GuestMemory, fd: i32, iov: GuestAddr, count: u64) -> SysResult {
    if crate::signal::signalfd::is_signalfd(fd) {
        // As `write`: a signalfd cannot be written (its eventfd must not be).
        return Err(Errno(libc::EINVAL));
    }
    let host_iov = host_iovecs(mem, fd, iov, count)?;
    // SAFETY: every entry points at a readable guest range the kernel only reads.
    restarting(unsafe { host_call!(libc::SYS_writev, fd, host_iov.as_ptr(), host_iov.len()) })
}

/// `preadv` (`flags` is `None`) and `preadv2`. On 64-bit Linux the offset is the low
/// word alone (`pos_h` is shifted out entirely); `preadv2` reads at the current position
/// when it is -1. `RWF_*` flags have the same values on both and pass through.
pub fn preadv(
    mem: &GuestMemory,
    fd: i32,
    iov: GuestAddr,
    count: u64,
    pos: i64,
    flags: Option<i32>,
) -> SysResult {
    if pos < 0 && !(pos == -1 && flags.is_some()) {
        return Err(Errno(libc::EINVAL));
    }
    let host_iov = host_iovecs_mut(mem, fd, iov, count)?;
    let (ptr, n) = (host_iov.as_ptr(), host_iov.len());
    // SAFETY: as in `readv`.
    restarting(unsafe {
        match flags {
            None => host_call!(libc::SYS_preadv, fd, ptr, n, pos, 0),
            Some(f) => host_call!(libc::SYS_preadv2, fd, ptr, n, pos, 0, f),
        }
    })
}

/// `pwritev` (`flags` is `None`) and `pwritev2`, with `preadv`'s offset rules.
pub fn pwritev(
    mem: &GuestMemory,
    fd: i32,
    iov: GuestAddr,
    count: u64,
    pos: i64,
    flags: Option<i32>,
) -> SysResult {
    if pos < 0 && !(pos == -1 && flags.is_some()) {
        return Err(Errno(libc::EINVAL));
    }
    let host_iov = host_iovecs(mem, fd, iov, count)?;
    let (ptr, n) = (host_iov.as_ptr(), host_iov.len());
    // SAFETY: as in `writev`.
    restarting(unsafe {
        match flags {
            None => host_call!(libc::SYS_pwritev, fd, ptr, n, pos, 0),
            Some(f) => host_call!(libc::SYS_pwritev2, fd, ptr, n, pos, 0, f),
        }
    })
}

/// Reads an optional guest `loff_t` (null stays null).
fn read_offset(mem: &GuestMemory, addr: GuestAddr) -> Result<Option<i64>, Errno> {
    if addr == 0 {
        return Ok(None);
    }
    Ok(Some(i64::from_le_bytes(mem.read(addr)?)))
}

/// Writes back an offset the host advanced.
fn write_offset(mem: &GuestMemory, addr: GuestAddr, off: Option<i64>) -> Result<(), Errno> {
    if let Some(off) = off {
        mem.write(addr, off.to_le_bytes())?;
    }
    Ok(())
}

fn offset_ptr(off: &mut Option<i64>) -> *mut i64 {
    off.as_mut().map_or(std::ptr::null_mut(), |o| o as *mut i64)
}

/// The offset is copied in, used by the host and copied back, as Linux does.
pub fn sendfile(
    mem: &GuestMemory,
    out_fd: i32,
    in_fd: i32,
    offset: GuestAddr,
    count: u64,
) -> SysResult {
    let mut off = read_offset(mem, offset)?;
    let p = offset_ptr(&mut off);
    // SAFETY: `p` is null or a host `loff_t`.
    let n = restarting(unsafe { host_call!(libc::SYS_sendfile, out_fd, in_fd, p, count) })?;
    write_offset(mem, offset, off)?;
    Ok(n)
}

/// `copy_file_range` and `splice` (`nr` is the host's), which take the same arguments:
/// each end a descriptor and an optional offset. Offsets are copied in, used by the
/// host, and copied back after a transfer, as Linux does; one the guest cannot read or
/// write is `EFAULT`, after a bad descriptor's `EBADF`.
pub fn transfer(
    mem: &GuestMemory,
    nr: libc::c_long,
    ends: [(i32, GuestAddr); 2],
    len: u64,
    flags: u32,
) -> SysResult {
    let [(fd_in, off_in), (fd_out, off_out)] = ends;
    let fault = |_| badf_or(fd_in, badf_or(fd_out, libc::EFAULT).0);
    let mut oi = read_offset(mem, off_in).map_err(fault)?;
    let mut oo = read_offset(mem, off_out).map_err(fault)?;
    let (pi, po) = (offset_ptr(&mut oi), offset_ptr(&mut oo));
    // SAFETY: `pi` and `po` are null or host `loff_t`s.
    let n = restarting(unsafe { host_call!(nr, fd_in, pi, fd_out, po, len, flags) })?;
    write_offset(mem, off_in, oi).map_err(fault)?;
    write_offset(mem, off_out, oo).map_err(fault)?;
    Ok(n)
}

pub fn tee(fd_in: i32, fd_out: i32, len: u64, flags: u32) -> SysResult {
    // SAFETY: no pointer arguments; it blocks like a pipe read or write.
    restarting(unsafe { host_call!(libc::SYS_tee, fd_in, fd_out, len, flags) })
}

/// `vmsplice(fd, iov, count, flags)`: guest buffers into a pipe opened for writing (read
/// from), or out of one opened for reading (written to), as Linux picks by the
/// descriptor's mode.
pub fn vmsplice(mem: &GuestMemory, fd: i32, iov: GuestAddr, count: u64, flags: u32) -> SysResult {
    const SPLICE_F_ALL: u32 = 0xf;
    if flags & !SPLICE_F_ALL != 0 {
        return Err(Errno(libc::EINVAL));
    }
    // SAFETY: F_GETFL takes no pointer argument.
    let mode = host(unsafe { host_syscall!(libc::SYS_fcntl, fd, libc::F_GETFL) })? as i32;
    let host_iov = match mode & (libc::O_ACCMODE | libc::O_PATH) {
        libc::O_WRONLY | libc::O_RDWR => host_iovecs(mem, fd, iov, count)?,
        libc::O_RDONLY => host_iovecs_mut(mem, fd, iov, count)?,
        _ => return Err(Errno(libc::EBADF)),
    };
    // SAFETY: every entry points at a guest range just checked for the access the
    // direction needs; `mem` stays borrowed, so no mapping changes during the call.
    restarting(unsafe {
        host_call!(
            libc::SYS_vmsplice,
            fd,
            host_iov.as_ptr(),
            host_iov.len(),
            flags,
        )
    })
}
