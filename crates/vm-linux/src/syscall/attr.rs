//! Changing file attributes and reading file-system statistics: `fchmodat(2)`, `fchmod`,
//! `fchownat`, `fchown`, `truncate`, `utimensat`, `statfs`, `fstatfs`.
//!
//! All pass through to the host with the guest's paths (the program's own procfs name
//! redirected, as in [`super::fs`]; `utimensat`, as in qemu-user, also looks absolute
//! paths up in the sysroot first). `struct timespec` and the asm-generic 64-bit `struct
//! statfs` (120 bytes: every `__statfs_word` is a `long`) have the same layout on riscv64
//! and x86-64, so they are copied as bytes.

use super::abi::{read_timespec, HostBuf};
use super::{badf_or, host, in_sysroot, proc_self_exe, read_path, Errno, SysResult};
use crate::state::ProcessState;
use std::ffi::CString;
use vm_ir::GuestAddr;
use vm_memory::GuestMemory;

/// Size of `struct statfs` on 64-bit Linux (asm-generic and x86-64 agree).
const STATFS_SIZE: usize = 120;
const _: () = assert!(std::mem::size_of::<libc::statfs>() == STATFS_SIZE);

/// A path that follows symlinks: the program's path for `/proc/self/exe`.
fn followed(state: &ProcessState, mem: &GuestMemory, path: GuestAddr) -> Result<CString, Errno> {
    let path = read_path(mem, path)?;
    Ok(proc_self_exe(state, &path).unwrap_or(path))
}

/// `fchmodat` (`flags` is `None`: the three-argument call) and `fchmodat2`.
pub fn fchmodat(
    state: &ProcessState,
    mem: &GuestMemory,
    dirfd: i32,
    path: GuestAddr,
    mode: u32,
    flags: Option<i32>,
) -> SysResult {
    let path = if flags.unwrap_or(0) & libc::AT_SYMLINK_NOFOLLOW == 0 {
        followed(state, mem, path)?
    } else {
        read_path(mem, path)?
    };
    // SAFETY: `path` is a NUL-terminated host string.
    host(unsafe {
        match flags {
            None => host_syscall!(libc::SYS_fchmodat, dirfd, path.as_ptr(), mode),
            Some(f) => host_syscall!(libc::SYS_fchmodat2, dirfd, path.as_ptr(), mode, f),
        }
    })
}

pub fn fchmod(fd: i32, mode: u32) -> SysResult {
    // SAFETY: no pointer arguments.
    host(unsafe { host_syscall!(libc::SYS_fchmod, fd, mode) })
}

pub fn fchownat(
    state: &ProcessState,
    mem: &GuestMemory,
    dirfd: i32,
    path: GuestAddr,
    owner: u32,
    group: u32,
    flags: i32,
) -> SysResult {
    let path = if flags & libc::AT_SYMLINK_NOFOLLOW == 0 {
        followed(state, mem, path)?
    } else {
        read_path(mem, path)?
    };
    // SAFETY: `path` is a NUL-terminated host string.
    host(unsafe {
        host_syscall!(
            libc::SYS_fchownat,
            dirfd,
            path.as_ptr(),
            owner,
            group,
            flags,
        )
    })
}

pub fn fchown(fd: i32, owner: u32, group: u32) -> SysResult {
    // SAFETY: no pointer arguments.
    host(unsafe { host_syscall!(libc::SYS_fchown, fd, owner, group) })
}

pub fn truncate(state: &ProcessState, mem: &GuestMemory, path: GuestAddr, len: i64) -> SysResult {
    let path = followed(state, mem, path)?;
    // SAFETY: `path` is a NUL-terminated host string.
    host(unsafe { host_syscall!(libc::SYS_truncate, path.as_ptr(), len) })
}

/// A null `path` means `dirfd` itself (what `futimens` uses), as in Linux.
pub fn utimensat(
    state: &ProcessState,
    mem: &GuestMemory,
    dirfd: i32,
    path: GuestAddr,
    times: GuestAddr,
    flags: i32,
) -> SysResult {
    let ts = if times != 0 {
        Some([read_timespec(mem, times)?, read_timespec(mem, times + 16)?])
    } else {
        None
    };
    let path = if path == 0 {
        None
    } else if flags & libc::AT_SYMLINK_NOFOLLOW == 0 {
        Some(in_sysroot(state, followed(state, mem, path)?))
    } else {
        Some(in_sysroot(state, read_path(mem, path)?))
    };
    let path_ptr = path.as_ref().map_or(std::ptr::null(), |p| p.as_ptr());
    let ts_ptr = ts.as_ref().map_or(std::ptr::null(), |t| t.as_ptr());
    // SAFETY: `path_ptr` is null or a NUL-terminated host string, `ts_ptr` null or two
    // host `struct timespec`s.
    host(unsafe { host_syscall!(libc::SYS_utimensat, dirfd, path_ptr, ts_ptr, flags) })
}

pub fn statfs(
    state: &ProcessState,
    mem: &GuestMemory,
    path: GuestAddr,
    buf: GuestAddr,
) -> SysResult {
    let path = followed(state, mem, path)?;
    let mut out = HostBuf::<{ STATFS_SIZE / 8 }>::zeroed();
    // SAFETY: `path` is NUL-terminated and `out` a 120-byte, 8-aligned host buffer.
    host(unsafe { host_syscall!(libc::SYS_statfs, path.as_ptr(), out.as_mut_ptr()) })?;
    mem.write_bytes(buf, &out.to_bytes())?;
    Ok(0)
}

pub fn fstatfs(mem: &GuestMemory, fd: i32, buf: GuestAddr) -> SysResult {
    let mut out = HostBuf::<{ STATFS_SIZE / 8 }>::zeroed();
    // SAFETY: `out` is a 120-byte, 8-aligned host buffer.
    host(unsafe { host_syscall!(libc::SYS_fstatfs, fd, out.as_mut_ptr()) })?;
    mem.write_bytes(buf, &out.to_bytes())
        .map_err(|_| badf_or(fd, libc::EFAULT))?;
    Ok(0)
}
