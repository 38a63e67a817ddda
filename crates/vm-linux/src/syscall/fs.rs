//! Paths and file metadata: `openat`, the stat family, `getdents64`, `readlinkat`,
//! `faccessat(2)`, `unlinkat`, `mkdirat`, `mknodat`, `renameat2`, `symlinkat`, `linkat`,
//! `getcwd`, `chdir`, `fchdir`, `chroot`, `umask`.
//!
//! Paths are the host's, with two redirections: the procfs names of the program itself
//! (`/proc/self/exe`) name the guest program, since the host's link names the VM; and
//! the lookups qemu-user redirects (`openat`, `newfstatat`, `statx`, `readlinkat`,
//! `faccessat(2)`) find absolute paths in the guest's sysroot first
//! ([`crate::sysroot`]). Calls that create, remove or rename use the guest's path as it
//! is. Structures come back from the host into host buffers and are then
//! copied to the guest, so a bad output pointer is `EFAULT` after the operation, as in
//! Linux.

use super::abi::{self, HostBuf, PATH_MAX, STATX_SIZE};
use super::{badf_or, host, in_sysroot, proc_self_exe, read_path, read_path_at, Errno, SysResult};
use crate::state::ProcessState;
use std::ffi::CString;
use std::mem::MaybeUninit;
use vm_ir::GuestAddr;
use vm_memory::GuestMemory;

/// The host path to use for a guest path: the program's path for `/proc/self/exe` when
/// the call follows a final symlink (`follow`), else the path in the sysroot first.
pub(super) fn host_path(state: &ProcessState, path: CString, follow: bool) -> CString {
    match proc_self_exe(state, &path) {
        Some(exe) if follow => exe,
        _ => in_sysroot(state, path),
    }
}

pub fn openat(
    state: &ProcessState,
    mem: &GuestMemory,
    dirfd: i32,
    path: GuestAddr,
    flags: i32,
    mode: u64,
) -> SysResult {
    let path = read_path(mem, path)?;
    if let Some(view) = super::procfs::open_view(state, mem, &path, flags) {
        return view;
    }
    let path = host_path(state, path, true);
    // SAFETY: `path` is a NUL-terminated host string.
    host(unsafe { libc::syscall(libc::SYS_openat, dirfd, path.as_ptr(), flags, mode as u32) })
}

/// A host `fstatat`/`fstat` result.
fn host_stat(call: impl FnOnce(*mut libc::stat) -> libc::c_long) -> Result<libc::stat, Errno> {
    let mut st = MaybeUninit::<libc::stat>::zeroed();
    host(call(st.as_mut_ptr()))?;
    // SAFETY: the kernel filled the whole structure (and it started zeroed).
    Ok(unsafe { st.assume_init() })
}

pub fn newfstatat(
    state: &ProcessState,
    mem: &GuestMemory,
    dirfd: i32,
    path: GuestAddr,
    buf: GuestAddr,
    flags: i32,
) -> SysResult {
    let follow = flags & libc::AT_SYMLINK_NOFOLLOW == 0;
    let path = host_path(state, read_path_at(mem, path, flags)?, follow);
    // SAFETY: `path` is a NUL-terminated host string and `st` a host `struct stat`.
    let st = host_stat(|st| unsafe {
        libc::syscall(libc::SYS_newfstatat, dirfd, path.as_ptr(), st, flags)
    })?;
    abi::write_stat(mem, buf, &st)
}

pub fn fstat(mem: &GuestMemory, fd: i32, buf: GuestAddr) -> SysResult {
    // SAFETY: `st` is a host `struct stat`.
    let st = host_stat(|st| unsafe { libc::syscall(libc::SYS_fstat, fd, st) })?;
    abi::write_stat(mem, buf, &st)
}

pub fn statx(
    state: &ProcessState,
    mem: &GuestMemory,
    dirfd: i32,
    path: GuestAddr,
    flags: i32,
    mask: u64,
    buf: GuestAddr,
) -> SysResult {
    let follow = flags & libc::AT_SYMLINK_NOFOLLOW == 0;
    let path = host_path(state, read_path_at(mem, path, flags)?, follow);
    // `struct statx` has the same layout on both; u64 words keep the buffer aligned.
    let mut out = HostBuf::<{ STATX_SIZE / 8 }>::zeroed();
    // SAFETY: `path` is NUL-terminated and `out` is a 256-byte, 8-aligned buffer.
    host(unsafe {
        libc::syscall(
            libc::SYS_statx,
            dirfd,
            path.as_ptr(),
            flags,
            mask as u32,
            out.as_mut_ptr(),
        )
    })?;
    mem.write_bytes(buf, &out.to_bytes())?;
    Ok(0)
}

pub fn getdents64(mem: &GuestMemory, fd: i32, dirp: GuestAddr, count: u32) -> SysResult {
    // `struct linux_dirent64` is the same on both: the host fills the guest buffer.
    let Ok(dst) = mem.slice_mut(dirp, count as u64) else {
        return Err(badf_or(fd, libc::EFAULT));
    };
    // SAFETY: `dst` is a writable guest slice of `dst.len()` bytes.
    host(unsafe { libc::syscall(libc::SYS_getdents64, fd, dst.as_mut_ptr(), dst.len()) })
}

pub fn readlinkat(
    state: &ProcessState,
    mem: &GuestMemory,
    dirfd: i32,
    path: GuestAddr,
    buf: GuestAddr,
    bufsiz: i32,
) -> SysResult {
    if bufsiz <= 0 {
        return Err(Errno(libc::EINVAL));
    }
    let path = read_path(mem, path)?;
    let target: Vec<u8> = if let Some(exe) = proc_self_exe(state, &path) {
        exe.into_bytes()
    } else {
        let path = in_sysroot(state, path);
        let mut out = vec![0u8; (bufsiz as usize).min(4 * PATH_MAX)];
        // SAFETY: `path` is NUL-terminated and `out` a host buffer of `out.len()` bytes.
        let n = host(unsafe {
            libc::syscall(
                libc::SYS_readlinkat,
                dirfd,
                path.as_ptr(),
                out.as_mut_ptr(),
                out.len(),
            )
        })?;
        out.truncate(n as usize);
        out
    };
    // Like Linux: truncated to the buffer, no NUL appended.
    let n = target.len().min(bufsiz as usize);
    mem.write_bytes(buf, &target[..n])?;
    Ok(n as i64)
}

/// `faccessat` (`flags` is `None`: the three-argument call) and `faccessat2`.
pub fn faccessat(
    state: &ProcessState,
    mem: &GuestMemory,
    dirfd: i32,
    path: GuestAddr,
    mode: i32,
    flags: Option<i32>,
) -> SysResult {
    let follow = flags.unwrap_or(0) & libc::AT_SYMLINK_NOFOLLOW == 0;
    let path = host_path(state, read_path(mem, path)?, follow);
    // SAFETY: `path` is a NUL-terminated host string.
    host(unsafe {
        match flags {
            None => libc::syscall(libc::SYS_faccessat, dirfd, path.as_ptr(), mode),
            Some(f) => libc::syscall(libc::SYS_faccessat2, dirfd, path.as_ptr(), mode, f),
        }
    })
}

pub fn unlinkat(mem: &GuestMemory, dirfd: i32, path: GuestAddr, flags: i32) -> SysResult {
    let path = read_path(mem, path)?;
    // SAFETY: `path` is a NUL-terminated host string.
    host(unsafe { libc::syscall(libc::SYS_unlinkat, dirfd, path.as_ptr(), flags) })
}

pub fn mkdirat(mem: &GuestMemory, dirfd: i32, path: GuestAddr, mode: u32) -> SysResult {
    let path = read_path(mem, path)?;
    // SAFETY: `path` is a NUL-terminated host string.
    host(unsafe { libc::syscall(libc::SYS_mkdirat, dirfd, path.as_ptr(), mode) })
}

/// `mknodat(dirfd, path, mode, dev)`: FIFOs (`mkfifo`), sockets, regular files and, with
/// the privilege, device nodes. `dev` is the kernel's `unsigned int` encoding, the same on
/// every architecture.
pub fn mknodat(mem: &GuestMemory, dirfd: i32, path: GuestAddr, mode: u32, dev: u32) -> SysResult {
    let path = read_path(mem, path)?;
    // SAFETY: `path` is a NUL-terminated host string; the other arguments are integers.
    host(unsafe { libc::syscall(libc::SYS_mknodat, dirfd, path.as_ptr(), mode, dev) })
}

pub fn renameat2(
    mem: &GuestMemory,
    olddirfd: i32,
    oldpath: GuestAddr,
    newdirfd: i32,
    newpath: GuestAddr,
    flags: u32,
) -> SysResult {
    let old = read_path(mem, oldpath)?;
    let new = read_path(mem, newpath)?;
    // SAFETY: both paths are NUL-terminated host strings.
    host(unsafe {
        libc::syscall(
            libc::SYS_renameat2,
            olddirfd,
            old.as_ptr(),
            newdirfd,
            new.as_ptr(),
            flags,
        )
    })
}

/// The raw call: returns the length of the path including its NUL.
pub fn getcwd(mem: &GuestMemory, buf: GuestAddr, size: u64) -> SysResult {
    let mut out = vec![0u8; size.min(PATH_MAX as u64) as usize];
    // SAFETY: `out` is a host buffer of `out.len()` bytes.
    let n = host(unsafe { libc::syscall(libc::SYS_getcwd, out.as_mut_ptr(), out.len()) })?;
    mem.write_bytes(buf, &out[..n as usize])?;
    Ok(n)
}

pub fn chdir(mem: &GuestMemory, path: GuestAddr) -> SysResult {
    let path = read_path(mem, path)?;
    // SAFETY: `path` is a NUL-terminated host string.
    host(unsafe { libc::syscall(libc::SYS_chdir, path.as_ptr()) })
}

/// `chroot(path)`. Two things outside the new root still matter to the VM: its own
/// executable, which every later exec of a RISC-V program runs, is held open first
/// ([`super::exec::hold_vm_executable`]); and the sysroot, a host path that no longer
/// means anything, is dropped, so programs find their dynamic linker and libraries in
/// the new root as they would on a RISC-V machine.
pub fn chroot(state: &mut ProcessState, mem: &GuestMemory, path: GuestAddr) -> SysResult {
    let path = read_path(mem, path)?;
    super::exec::hold_vm_executable();
    // SAFETY: `path` is a NUL-terminated host string.
    host(unsafe { libc::syscall(libc::SYS_chroot, path.as_ptr()) })?;
    state.options.sysroot = None;
    Ok(0)
}

pub fn fchdir(fd: i32) -> SysResult {
    // SAFETY: no pointer arguments.
    host(unsafe { libc::syscall(libc::SYS_fchdir, fd) })
}

pub fn umask(mask: u32) -> SysResult {
    // SAFETY: no pointer arguments.
    host(unsafe { libc::syscall(libc::SYS_umask, mask) })
}

pub fn symlinkat(mem: &GuestMemory, target: GuestAddr, dirfd: i32, path: GuestAddr) -> SysResult {
    let target = read_path(mem, target)?;
    let path = read_path(mem, path)?;
    // SAFETY: both paths are NUL-terminated host strings.
    host(unsafe { libc::syscall(libc::SYS_symlinkat, target.as_ptr(), dirfd, path.as_ptr()) })
}

pub fn linkat(
    mem: &GuestMemory,
    olddirfd: i32,
    oldpath: GuestAddr,
    newdirfd: i32,
    newpath: GuestAddr,
    flags: i32,
) -> SysResult {
    let old = read_path(mem, oldpath)?;
    let new = read_path(mem, newpath)?;
    // SAFETY: both paths are NUL-terminated host strings.
    host(unsafe {
        libc::syscall(
            libc::SYS_linkat,
            olddirfd,
            old.as_ptr(),
            newdirfd,
            new.as_ptr(),
            flags,
        )
    })
}
