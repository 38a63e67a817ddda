//! Extended attributes: `getxattr`, `setxattr`, `listxattr`, `removexattr`, each by path
//! (following a final symlink), by path without following (`l...`) and by descriptor
//! (`f...`).
//!
//! Paths are looked up as `newfstatat` looks them up ([`super::fs::host_path`]): in the
//! sysroot first, and `/proc/self/exe` as the program when followed; every call of a
//! path does the same, so an attribute set through one is seen through the others.
//! Names, values and name lists are plain bytes on both sides; values and lists come back
//! through host buffers of at most `XATTR_SIZE_MAX` bytes (Linux clamps larger sizes the
//! same way, so the host answers `E2BIG` where Linux would).
//!
//! A name, value or path the guest cannot read reaches the host as a null pointer, so the
//! host reports `EFAULT` in Linux's order (after a bad descriptor, bad flags, an
//! over-long value).

use super::fs::host_path;
use super::{host, ptr_or_null, read_path_or_null, Errno, SysResult};
use crate::state::ProcessState;
use std::ffi::CString;
use vm_ir::GuestAddr;
use vm_memory::GuestMemory;

/// Longest attribute name, without the NUL (`XATTR_NAME_MAX`).
const XATTR_NAME_MAX: usize = 255;
/// Largest value and largest name list (`XATTR_SIZE_MAX`, `XATTR_LIST_MAX`).
const XATTR_SIZE_MAX: u64 = 65536;

/// What a call names: a path (`follow`: whether a final symlink is followed) or a
/// descriptor.
#[derive(Clone, Copy, Debug)]
pub enum Target {
    Path { addr: GuestAddr, follow: bool },
    Fd(i32),
}

/// The host's numbers of one operation, by kind of [`Target`].
struct Calls {
    path: libc::c_long,
    lpath: libc::c_long,
    fd: libc::c_long,
}

impl Calls {
    const fn new(path: libc::c_long, lpath: libc::c_long, fd: libc::c_long) -> Calls {
        Calls { path, lpath, fd }
    }
}

const GET: Calls = Calls::new(libc::SYS_getxattr, libc::SYS_lgetxattr, libc::SYS_fgetxattr);
const SET: Calls = Calls::new(libc::SYS_setxattr, libc::SYS_lsetxattr, libc::SYS_fsetxattr);
const LIST: Calls = Calls::new(
    libc::SYS_listxattr,
    libc::SYS_llistxattr,
    libc::SYS_flistxattr,
);
const REMOVE: Calls = Calls::new(
    libc::SYS_removexattr,
    libc::SYS_lremovexattr,
    libc::SYS_fremovexattr,
);

/// The host call for a [`Target`], and its first argument.
struct HostTarget {
    nr: libc::c_long,
    first: First,
}

/// A descriptor, or a host path (`None`: one the guest cannot read).
enum First {
    Fd(i32),
    Path(Option<CString>),
}

impl HostTarget {
    fn resolve(
        state: &ProcessState,
        mem: &GuestMemory,
        target: Target,
        calls: &Calls,
    ) -> Result<HostTarget, Errno> {
        Ok(match target {
            Target::Fd(fd) => HostTarget {
                nr: calls.fd,
                first: First::Fd(fd),
            },
            Target::Path { addr, follow } => HostTarget {
                nr: if follow { calls.path } else { calls.lpath },
                first: First::Path(
                    read_path_or_null(mem, addr)?.map(|p| host_path(state, p, follow)),
                ),
            },
        })
    }

    /// The first argument: the descriptor, or the path (null if unreadable).
    fn arg(&self) -> usize {
        match &self.first {
            First::Fd(fd) => *fd as usize,
            First::Path(path) => ptr_or_null(path) as usize,
        }
    }
}

/// An attribute name for the host, NUL-terminated: at most 256 bytes of it, so that one
/// too long reaches the host unterminated within its limit and gets its `ERANGE`; `None`
/// if the guest cannot read it.
fn read_name(mem: &GuestMemory, addr: GuestAddr) -> Option<CString> {
    if addr >= vm_memory::GUEST_SPACE {
        return None;
    }
    let bytes = match mem.read_cstr(addr, XATTR_NAME_MAX + 1).ok()? {
        Some(bytes) => bytes,
        None => mem.slice(addr, XATTR_NAME_MAX as u64 + 1).ok()?.to_vec(),
    };
    // `read_cstr` stops at the first NUL, so the bytes contain none.
    CString::new(bytes).ok()
}

/// Runs `call` with a host buffer of `size` bytes (at most `XATTR_SIZE_MAX`, as Linux
/// clamps it), then copies what it filled to the guest at `out`; with `size` 0 the call
/// only measures, and nothing is copied.
fn into_guest(
    mem: &GuestMemory,
    out: GuestAddr,
    size: u64,
    call: impl FnOnce(*mut u8, usize) -> SysResult,
) -> SysResult {
    let mut buf = vec![0u8; size.min(XATTR_SIZE_MAX) as usize];
    let n = call(buf.as_mut_ptr(), buf.len())?;
    if !buf.is_empty() {
        mem.write_bytes(out, &buf[..n as usize])?;
    }
    Ok(n)
}

/// `getxattr`, `lgetxattr`, `fgetxattr`: the value's length; with `size` 0 only that.
pub fn getxattr(
    state: &ProcessState,
    mem: &GuestMemory,
    target: Target,
    name: GuestAddr,
    value: GuestAddr,
    size: u64,
) -> SysResult {
    let t = HostTarget::resolve(state, mem, target, &GET)?;
    let name = read_name(mem, name);
    into_guest(mem, value, size, |buf, len| {
        // SAFETY: the first argument is a descriptor or null or a NUL-terminated path,
        // the name null or NUL-terminated, and `buf` a host buffer of `len` bytes.
        host(unsafe { host_syscall!(t.nr, t.arg(), ptr_or_null(&name), buf, len) })
    })
}

/// `setxattr`, `lsetxattr`, `fsetxattr`. The value is read in place: the host copies it.
pub fn setxattr(
    state: &ProcessState,
    mem: &GuestMemory,
    target: Target,
    name: GuestAddr,
    value: GuestAddr,
    size: u64,
    flags: i32,
) -> SysResult {
    let t = HostTarget::resolve(state, mem, target, &SET)?;
    let name = read_name(mem, name);
    // Without a size the value is not looked at; past `XATTR_SIZE_MAX` the host refuses
    // it (`E2BIG`) before reading it.
    let value_ptr = if size == 0 || size > XATTR_SIZE_MAX {
        std::ptr::null()
    } else {
        mem.slice(value, size)
            .map_or(std::ptr::null(), |v| v.as_ptr())
    };
    // SAFETY: as in `getxattr`; `value_ptr` is null or a readable guest slice of `size`
    // bytes, which the kernel only reads.
    host(unsafe {
        host_syscall!(
            t.nr,
            t.arg(),
            ptr_or_null(&name),
            value_ptr,
            size as usize,
            flags,
        )
    })
}

/// `listxattr`, `llistxattr`, `flistxattr`: the names, each NUL-terminated.
pub fn listxattr(
    state: &ProcessState,
    mem: &GuestMemory,
    target: Target,
    list: GuestAddr,
    size: u64,
) -> SysResult {
    let t = HostTarget::resolve(state, mem, target, &LIST)?;
    into_guest(mem, list, size, |buf, len| {
        // SAFETY: as in `getxattr`.
        host(unsafe { host_syscall!(t.nr, t.arg(), buf, len) })
    })
}

/// `removexattr`, `lremovexattr`, `fremovexattr`.
pub fn removexattr(
    state: &ProcessState,
    mem: &GuestMemory,
    target: Target,
    name: GuestAddr,
) -> SysResult {
    let t = HostTarget::resolve(state, mem, target, &REMOVE)?;
    let name = read_name(mem, name);
    // SAFETY: as in `getxattr`.
    host(unsafe { host_syscall!(t.nr, t.arg(), ptr_or_null(&name)) })
}
