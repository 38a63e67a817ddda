//! Reads and writes: `read`, `write`, `readv`, `writev`, `pread64`, `pwrite64`, `lseek`.
//!
//! The host kernel transfers directly between the descriptor and guest memory: each
//! buffer is checked whole for the access (a buffer the guest cannot access is `EFAULT`
//! before anything is transferred, where Linux may transfer a prefix first), then its host
//! address is passed on. Counts are clamped to `MAX_RW_COUNT` as in Linux.

use super::abi::{self, IoVec, MAX_RW_COUNT};
use super::{badf_or, host, restarting, Errno, SysResult};
use vm_ir::GuestAddr;
use vm_memory::GuestMemory;

pub fn read(mem: &mut GuestMemory, fd: i32, buf: GuestAddr, count: u64) -> SysResult {
    let Ok(dst) = mem.slice_mut(buf, count.min(MAX_RW_COUNT)) else {
        return Err(badf_or(fd, libc::EFAULT));
    };
    let (ptr, len) = (dst.as_mut_ptr(), dst.len());
    // SAFETY: `[ptr, ptr + len)` is a writable guest slice; `mem` stays borrowed
    // exclusively, so the mapping cannot change during the call.
    restarting(|| unsafe { libc::syscall(libc::SYS_read, fd, ptr, len) })
}

pub fn write(mem: &mut GuestMemory, fd: i32, buf: GuestAddr, count: u64) -> SysResult {
    let Ok(src) = mem.slice(buf, count.min(MAX_RW_COUNT)) else {
        return Err(badf_or(fd, libc::EFAULT));
    };
    // SAFETY: `src` is a readable guest slice the kernel only reads.
    restarting(|| unsafe { libc::syscall(libc::SYS_write, fd, src.as_ptr(), src.len()) })
}

pub fn pread64(mem: &mut GuestMemory, fd: i32, buf: GuestAddr, count: u64, off: i64) -> SysResult {
    let Ok(dst) = mem.slice_mut(buf, count.min(MAX_RW_COUNT)) else {
        return Err(badf_or(fd, libc::EFAULT));
    };
    let (ptr, len) = (dst.as_mut_ptr(), dst.len());
    // SAFETY: as in `read`.
    restarting(|| unsafe { libc::syscall(libc::SYS_pread64, fd, ptr, len, off) })
}

pub fn pwrite64(mem: &mut GuestMemory, fd: i32, buf: GuestAddr, count: u64, off: i64) -> SysResult {
    let Ok(src) = mem.slice(buf, count.min(MAX_RW_COUNT)) else {
        return Err(badf_or(fd, libc::EFAULT));
    };
    // SAFETY: as in `write`.
    restarting(|| unsafe { libc::syscall(libc::SYS_pwrite64, fd, src.as_ptr(), src.len(), off) })
}

pub fn lseek(fd: i32, offset: i64, whence: i32) -> SysResult {
    // SAFETY: no pointer arguments.
    host(unsafe { libc::syscall(libc::SYS_lseek, fd, offset, whence) })
}

/// Reads the guest iovec array; any failure is `EBADF` first if the descriptor is bad.
fn iovecs(mem: &GuestMemory, fd: i32, iov: GuestAddr, count: u64) -> Result<Vec<IoVec>, Errno> {
    abi::read_iovecs(mem, iov, count).map_err(|Errno(e)| badf_or(fd, e))
}

pub fn readv(mem: &mut GuestMemory, fd: i32, iov: GuestAddr, count: u64) -> SysResult {
    let vecs = iovecs(mem, fd, iov, count)?;
    let mut host_iov = Vec::with_capacity(vecs.len());
    for v in &vecs {
        let Ok(dst) = mem.slice_mut(v.base, v.len) else {
            return Err(badf_or(fd, libc::EFAULT));
        };
        host_iov.push(libc::iovec {
            iov_base: dst.as_mut_ptr().cast(),
            iov_len: dst.len(),
        });
    }
    // SAFETY: every entry points at a guest range just checked writable (entries may
    // overlap, as the guest may pass; only the kernel writes through them, and no Rust
    // reference to those bytes is live); `mem` stays exclusively borrowed, so no mapping
    // changes during the call.
    restarting(|| unsafe { libc::syscall(libc::SYS_readv, fd, host_iov.as_ptr(), host_iov.len()) })
}

pub fn writev(mem: &mut GuestMemory, fd: i32, iov: GuestAddr, count: u64) -> SysResult {
    let vecs = iovecs(mem, fd, iov, count)?;
    let mut host_iov = Vec::with_capacity(vecs.len());
    for v in &vecs {
        let Ok(src) = mem.slice(v.base, v.len) else {
            return Err(badf_or(fd, libc::EFAULT));
        };
        host_iov.push(libc::iovec {
            iov_base: src.as_ptr() as *mut libc::c_void,
            iov_len: src.len(),
        });
    }
    // SAFETY: every entry points at a readable guest range the kernel only reads.
    restarting(|| unsafe { libc::syscall(libc::SYS_writev, fd, host_iov.as_ptr(), host_iov.len()) })
}
