//! Paths and file metadata: `openat`, `openat2`, the stat family, `getdents64`,
//! `readlinkat`, `faccessat(2)`, `unlinkat`, `mkdirat`, `mknodat`, `renameat2`,
//! `symlinkat`, `linkat`, `getcwd`, `chdir`, `fchdir`, `chroot`, `umask`, `mount`,
//! `umount2`.
//!
//! Paths are the host's, with two redirections: the procfs names of the program itself
//! (`/proc/self/exe`) name the guest program, since the host's link names the VM; and
//! the lookups qemu-user redirects (`openat(2)`, `newfstatat`, `statx`, `readlinkat`,
//! `faccessat(2)`) find absolute paths in the guest's sysroot first
//! ([`crate::sysroot`]). Calls that create, remove or rename use the guest's path as it
//! is. Structures come back from the host into host buffers and are then
//! copied to the guest, so a bad output pointer is `EFAULT` after the operation, as in
//! Linux.

use super::abi::{self, HostBuf, PATH_MAX, STATX_SIZE};
use super::{
    badf_or, host, in_sysroot, proc_self_exe, ptr_or_null, read_path, read_path_at,
    read_path_or_null, Errno, SysResult,
};
use crate::state::ProcessState;
use std::ffi::{CStr, CString};
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
    let mut path = read_path(mem, path)?;
    if let Some(abs) = super::procfs::absolute_view_path(dirfd, &path) {
        path = abs;
    }
    if let Some(view) = super::procfs::open_view(state, mem, &path, flags) {
        return view;
    }
    let path = host_path(state, path, true);
    // SAFETY: `path` is a NUL-terminated host string.
    host(unsafe { host_syscall!(libc::SYS_openat, dirfd, path.as_ptr(), flags, mode as u32) })
}

/// Size of the first `struct open_how` (`flags`, `mode`, `resolve`: three `u64`s), the
/// least `openat2` accepts.
const OPEN_HOW_SIZE_VER0: u64 = 24;
/// Most bytes of a `struct open_how` Linux looks at (`PAGE_SIZE`).
const OPEN_HOW_SIZE_MAX: u64 = 4096;

/// `RESOLVE_*` flags of `struct open_how` that decide how the path is redirected.
mod resolve {
    pub const NO_MAGICLINKS: u64 = 0x02;
    pub const NO_SYMLINKS: u64 = 0x04;
    pub const BENEATH: u64 = 0x08;
    pub const IN_ROOT: u64 = 0x10;
}

/// `openat2(dirfd, path, how, size)`. `struct open_how` has the same layout on both; the
/// host checks it (flags, mode, resolve flags, unknown non-zero bytes past what it knows)
/// and resolves the path, so every error is Linux's, in Linux's order. The guest's path is
/// redirected as `openat` redirects it, where the resolve flags allow:
/// - with `RESOLVE_BENEATH` or `RESOLVE_IN_ROOT` the path is resolved below `dirfd`,
///   never in the sysroot or a view of vm's;
/// - an absolute path found in the sysroot is resolved from a descriptor of the sysroot
///   (as the guest's root), so `RESOLVE_NO_SYMLINKS`, `RESOLVE_NO_XDEV` and
///   `RESOLVE_NO_MAGICLINKS` judge the guest's path and not the sysroot's own location;
/// - `/proc/self/exe` names the program unless magic links are refused (then the host's
///   answer, `ELOOP`, is Linux's);
/// - the guest's own procfs files ([`super::procfs::open_view`]) replace what the host
///   opened for them.
pub fn openat2(
    state: &ProcessState,
    mem: &GuestMemory,
    dirfd: i32,
    path: GuestAddr,
    how: GuestAddr,
    size: u64,
) -> SysResult {
    if size < OPEN_HOW_SIZE_VER0 {
        return Err(Errno(libc::EINVAL));
    }
    if size > OPEN_HOW_SIZE_MAX {
        return Err(Errno(libc::E2BIG));
    }
    let how_bytes = mem.slice(how, size)?.to_vec();
    let word = |i: usize| {
        let mut w = [0u8; 8];
        w.copy_from_slice(&how_bytes[i * 8..i * 8 + 8]);
        u64::from_le_bytes(w)
    };
    let (flags, resolve) = (word(0), word(2));
    let Some(guest_path) = read_path_or_null(mem, path)? else {
        // The host reports the bad path after checking `how`.
        return host_openat2(dirfd, std::ptr::null(), &how_bytes);
    };
    let confined = resolve & (resolve::BENEATH | resolve::IN_ROOT) != 0;
    if confined {
        return host_openat2(dirfd, guest_path.as_ptr(), &how_bytes);
    }
    let no_magic = resolve & (resolve::NO_MAGICLINKS | resolve::NO_SYMLINKS) != 0;
    let fd = match proc_self_exe(state, &guest_path) {
        Some(exe) if !no_magic => host_openat2(dirfd, exe.as_ptr(), &how_bytes)?,
        _ => match in_sysroot(state, guest_path.clone()) {
            redirected if redirected != guest_path => {
                open_in_sysroot(state, &guest_path, &how_bytes)?
            }
            _ => host_openat2(dirfd, guest_path.as_ptr(), &how_bytes)?,
        },
    };
    let view_path = super::procfs::absolute_view_path(dirfd, &guest_path);
    match super::procfs::open_view(
        state,
        mem,
        view_path.as_deref().unwrap_or(&guest_path),
        flags as i32,
    ) {
        Some(view) => {
            // SAFETY: closing the descriptor just opened here.
            unsafe { libc::close(fd as i32) };
            view
        }
        None => Ok(fd),
    }
}

/// Opens absolute guest path `path`, which the sysroot has, relative to a descriptor of
/// the sysroot.
fn open_in_sysroot(state: &ProcessState, path: &CStr, how: &[u8]) -> SysResult {
    use std::os::fd::AsRawFd;
    use std::os::unix::fs::OpenOptionsExt;
    let root = state
        .options
        .sysroot
        .as_deref()
        .ok_or(Errno(libc::ENOENT))?;
    let dir = std::fs::OpenOptions::new()
        .read(true)
        .custom_flags(libc::O_PATH | libc::O_DIRECTORY)
        .open(root)
        .map_err(|e| Errno(e.raw_os_error().unwrap_or(libc::ENOENT)))?;
    let bytes = path.to_bytes();
    let start = bytes.iter().position(|&b| b != b'/').unwrap_or(bytes.len());
    let relative = CString::new(&bytes[start..]).map_err(|_| Errno(libc::EINVAL))?;
    host_openat2(dir.as_raw_fd(), relative.as_ptr(), how)
}

/// The host's `openat2` with a host copy of the guest's `struct open_how`.
fn host_openat2(dirfd: i32, path: *const libc::c_char, how: &[u8]) -> SysResult {
    // SAFETY: `path` is null or NUL-terminated; `how` is a host buffer of `how.len()`
    // bytes, the size passed.
    host(unsafe { host_syscall!(libc::SYS_openat2, dirfd, path, how.as_ptr(), how.len()) })
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
    let mut st = host_stat(|st| unsafe {
        host_syscall!(libc::SYS_newfstatat, dirfd, path.as_ptr(), st, flags)
    })?;
    if path.is_empty() {
        if let Some(view) = super::procfs::view_path(dirfd, st.st_nlink != 0) {
            // SAFETY: as above.
            st = host_stat(|st| unsafe { host_syscall!(libc::SYS_stat, view.as_ptr(), st) })?;
        }
    }
    abi::write_stat(mem, buf, &st)
}

pub fn fstat(mem: &GuestMemory, fd: i32, buf: GuestAddr) -> SysResult {
    // SAFETY: `st` is a host `struct stat`.
    let mut st = host_stat(|st| unsafe { host_syscall!(libc::SYS_fstat, fd, st) })?;
    if let Some(view) = super::procfs::view_path(fd, st.st_nlink != 0) {
        // SAFETY: `view` is a NUL-terminated host string and `st` a host `struct stat`.
        st = host_stat(|st| unsafe { host_syscall!(libc::SYS_stat, view.as_ptr(), st) })?;
    }
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
    let call = |out: &mut HostBuf<{ STATX_SIZE / 8 }>, dirfd: i32, path: &CStr, flags: i32| {
        // SAFETY: `path` is NUL-terminated and `out` is a 256-byte, 8-aligned buffer.
        host(unsafe {
            host_syscall!(
                libc::SYS_statx,
                dirfd,
                path.as_ptr(),
                flags,
                mask as u32,
                out.as_mut_ptr(),
            )
        })
    };
    call(&mut out, dirfd, &path, flags)?;
    if path.is_empty() {
        // `stx_nlink`: the u32 at offset 16.
        let linked = out.to_bytes()[16..20] != [0; 4];
        if let Some(view) = super::procfs::view_path(dirfd, linked) {
            call(
                &mut out,
                libc::AT_FDCWD,
                &view,
                flags & !libc::AT_EMPTY_PATH,
            )?;
        }
    }
    mem.write_bytes(buf, &out.to_bytes())?;
    Ok(0)
}

pub fn getdents64(mem: &GuestMemory, fd: i32, dirp: GuestAddr, count: u32) -> SysResult {
    // `struct linux_dirent64` is the same on both: the host fills the guest buffer.
    let Ok(dst) = mem.slice_mut(dirp, count as u64) else {
        return Err(badf_or(fd, libc::EFAULT));
    };
    // SAFETY: `dst` is a writable guest slice of `dst.len()` bytes.
    host(unsafe { host_syscall!(libc::SYS_getdents64, fd, dst.as_mut_ptr(), dst.len()) })
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
            host_syscall!(
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
            None => host_syscall!(libc::SYS_faccessat, dirfd, path.as_ptr(), mode),
            Some(f) => host_syscall!(libc::SYS_faccessat2, dirfd, path.as_ptr(), mode, f),
        }
    })
}

pub fn unlinkat(mem: &GuestMemory, dirfd: i32, path: GuestAddr, flags: i32) -> SysResult {
    let path = read_path(mem, path)?;
    // SAFETY: `path` is a NUL-terminated host string.
    host(unsafe { host_syscall!(libc::SYS_unlinkat, dirfd, path.as_ptr(), flags) })
}

pub fn mkdirat(mem: &GuestMemory, dirfd: i32, path: GuestAddr, mode: u32) -> SysResult {
    let path = read_path(mem, path)?;
    // SAFETY: `path` is a NUL-terminated host string.
    host(unsafe { host_syscall!(libc::SYS_mkdirat, dirfd, path.as_ptr(), mode) })
}

/// `mknodat(dirfd, path, mode, dev)`: FIFOs (`mkfifo`), sockets, regular files and, with
/// the privilege, device nodes. `dev` is the kernel's `unsigned int` encoding, the same on
/// every architecture.
pub fn mknodat(mem: &GuestMemory, dirfd: i32, path: GuestAddr, mode: u32, dev: u32) -> SysResult {
    let path = read_path(mem, path)?;
    // SAFETY: `path` is a NUL-terminated host string; the other arguments are integers.
    host(unsafe { host_syscall!(libc::SYS_mknodat, dirfd, path.as_ptr(), mode, dev) })
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
        host_syscall!(
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
    let n = host(unsafe { host_syscall!(libc::SYS_getcwd, out.as_mut_ptr(), out.len()) })?;
    mem.write_bytes(buf, &out[..n as usize])?;
    Ok(n)
}

pub fn chdir(mem: &GuestMemory, path: GuestAddr) -> SysResult {
    let path = read_path(mem, path)?;
    // SAFETY: `path` is a NUL-terminated host string.
    host(unsafe { host_syscall!(libc::SYS_chdir, path.as_ptr()) })
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
    host(unsafe { host_syscall!(libc::SYS_chroot, path.as_ptr()) })?;
    state.options.sysroot = None;
    Ok(0)
}

pub fn fchdir(fd: i32) -> SysResult {
    // SAFETY: no pointer arguments.
    host(unsafe { host_syscall!(libc::SYS_fchdir, fd) })
}

pub fn umask(mask: u32) -> SysResult {
    // SAFETY: no pointer arguments.
    host(unsafe { host_syscall!(libc::SYS_umask, mask) })
}

pub fn symlinkat(mem: &GuestMemory, target: GuestAddr, dirfd: i32, path: GuestAddr) -> SysResult {
    let target = read_path(mem, target)?;
    let path = read_path(mem, path)?;
    // SAFETY: both paths are NUL-terminated host strings.
    host(unsafe { host_syscall!(libc::SYS_symlinkat, target.as_ptr(), dirfd, path.as_ptr()) })
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
        host_syscall!(
            libc::SYS_linkat,
            olddirfd,
            old.as_ptr(),
            newdirfd,
            new.as_ptr(),
            flags,
        )
    })
}

/// A string argument of `mount` (the source or the file-system type), copied as Linux's
/// `copy_mount_string` does: null stays null, one longer than `PATH_MAX` is `EINVAL`.
fn mount_string(mem: &GuestMemory, addr: GuestAddr) -> Result<Option<CString>, Errno> {
    if addr == 0 {
        return Ok(None);
    }
    if addr >= vm_memory::GUEST_SPACE {
        return Err(Errno(libc::EFAULT));
    }
    match mem.read_cstr(addr, PATH_MAX)? {
        // `read_cstr` stops at the first NUL, so the bytes contain none.
        Some(bytes) => Ok(Some(CString::new(bytes).map_err(|_| Errno(libc::EINVAL))?)),
        None => Err(Errno(libc::EINVAL)),
    }
}

/// The `data` argument of `mount`, copied as Linux's `copy_mount_options` does: one
/// page, or as much of it as is readable from `addr` on (`EFAULT` if none is), the rest
/// zero. Null stays null.
fn mount_options(mem: &GuestMemory, addr: GuestAddr) -> Result<Option<Vec<u8>>, Errno> {
    if addr == 0 {
        return Ok(None);
    }
    let page = vm_memory::PAGE_SIZE;
    let mut out = Vec::with_capacity(page as usize);
    let mut at = addr;
    while (out.len() as u64) < page && at < vm_memory::GUEST_SPACE {
        let chunk_end = ((at / page + 1) * page).min(addr + page);
        match mem.slice(at, chunk_end - at) {
            Ok(bytes) => out.extend_from_slice(bytes),
            Err(_) => break,
        }
        at = chunk_end;
    }
    if out.is_empty() {
        return Err(Errno(libc::EFAULT));
    }
    out.resize(page as usize, 0);
    Ok(Some(out))
}

pub fn mount(
    mem: &GuestMemory,
    source: GuestAddr,
    target: GuestAddr,
    fstype: GuestAddr,
    flags: u64,
    data: GuestAddr,
) -> SysResult {
    // Linux copies the type, the source and the data before it looks the target up.
    let fstype = mount_string(mem, fstype)?;
    let source = mount_string(mem, source)?;
    let data = mount_options(mem, data)?;
    let target = read_path_or_null(mem, target)?;
    let data_ptr = data
        .as_ref()
        .map_or(std::ptr::null(), |d| d.as_ptr() as *const libc::c_void);
    // SAFETY: each pointer is null or a NUL-terminated host string, except `data_ptr`,
    // null or a whole page, as much as Linux reads.
    host(unsafe {
        host_syscall!(
            libc::SYS_mount,
            ptr_or_null(&source),
            ptr_or_null(&target),
            ptr_or_null(&fstype),
            flags,
            data_ptr,
        )
    })
}

pub fn umount2(mem: &GuestMemory, target: GuestAddr, flags: i32) -> SysResult {
    // Linux checks the flags before it reads the path.
    let known = libc::MNT_FORCE | libc::MNT_DETACH | libc::MNT_EXPIRE | libc::UMOUNT_NOFOLLOW;
    if flags & !known != 0 {
        return Err(Errno(libc::EINVAL));
    }
    let target = read_path_or_null(mem, target)?;
    // SAFETY: `target` is null or a NUL-terminated host string.
    host(unsafe { host_syscall!(libc::SYS_umount2, ptr_or_null(&target), flags) })
}
