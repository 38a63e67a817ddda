//! The guest sysroot (`vm run -L DIR`): a host directory holding the RISC-V dynamic linker
//! and libraries, laid out like the guest's root file system.
//!
//! Absolute guest paths are looked up inside the sysroot first, as qemu-user's `path()`
//! does, so the dynamic linker finds `/lib/libc.so.6` in the sysroot while the guest still
//! sees the host's files everywhere else. [`host_path`] is the one rule; the loader (for
//! PT_INTERP) and the system calls that look paths up apply it (those qemu redirects:
//! `openat`, `faccessat(2)`, `newfstatat`, `statx`, `readlinkat`; and `openat2`,
//! `inotify_add_watch` and the extended-attribute calls). Calls that create, remove or
//! rename (`mkdirat`, `unlinkat`, `renameat2`, ...) and `chdir` use the guest's path
//! unchanged, as in qemu.
//!
//! The rule, for a guest path `P` and sysroot `S`: `P` becomes `S` followed by `P` when
//! - a sysroot is set, and `P` is absolute;
//! - `P` names something below `/` (never `/` itself, which stays the host's root);
//! - `P`'s first component is not `proc`, `sys` or `dev` (the host's kernel interfaces
//!   describe the running guest; a sysroot's copies, usually empty directories, do not);
//! - `P` has no `..` component (which could climb out of `S` and name a file other than
//!   the one the guest meant);
//! - and an entry named by `S` + `P` exists (checked without following a final symlink,
//!   so `readlinkat` and `AT_SYMLINK_NOFOLLOW` see the sysroot's links). Otherwise `P` is
//!   the host's.
//!
//! Unlike qemu, the answer is not cached: a file created in the sysroot while the guest
//! runs is found at once, at the cost of one `lstat` per absolute path.

use crate::options::VmOptions;
use std::borrow::Cow;
use std::ffi::{CStr, CString, OsStr};
use std::os::unix::ffi::OsStrExt;
use std::path::{Path, PathBuf};

/// Debian's and Ubuntu's RISC-V 64 sysroot (package `libc6-riscv64-cross`), used when
/// neither `-L` nor [`ENV_VAR`] names one and it exists.
pub const DEFAULT_SYSROOT: &str = "/usr/riscv64-linux-gnu";

/// The environment variable naming the sysroot (as `QEMU_LD_PREFIX` does for qemu).
pub const ENV_VAR: &str = "VM_LD_PREFIX";

/// First components of absolute paths that always stay the host's.
const HOST_ONLY: &[&[u8]] = &[b"proc", b"sys", b"dev"];

/// The host path for `guest_path` under `options.sysroot`, by the rule in the module
/// documentation: the sysroot's entry if it has one, else `guest_path` unchanged.
pub fn host_path<'a>(options: &VmOptions, guest_path: &'a CStr) -> Cow<'a, CStr> {
    let Some(root) = &options.sysroot else {
        return Cow::Borrowed(guest_path);
    };
    let path = guest_path.to_bytes();
    if !redirectable(path) {
        return Cow::Borrowed(guest_path);
    }
    let joined = [root.as_os_str().as_bytes(), path].concat();
    let Ok(candidate) = CString::new(joined) else {
        return Cow::Borrowed(guest_path);
    };
    if entry_exists(&candidate) {
        Cow::Owned(candidate)
    } else {
        Cow::Borrowed(guest_path)
    }
}

/// Whether the rule may send `path` into the sysroot at all (everything but existence).
fn redirectable(path: &[u8]) -> bool {
    if path.first() != Some(&b'/') {
        return false;
    }
    let mut components = path.split(|&b| b == b'/').filter(|c| !c.is_empty());
    let Some(first) = components.next() else {
        // Only slashes: the root itself.
        return false;
    };
    if HOST_ONLY.contains(&first) || first == b".." {
        return false;
    }
    components.all(|c| c != b"..")
}

/// Whether `path` names a directory entry (a dangling symlink counts).
fn entry_exists(path: &CStr) -> bool {
    let mut st = std::mem::MaybeUninit::<libc::stat>::uninit();
    // SAFETY: `path` is NUL-terminated and `st` is a writable `struct stat`.
    unsafe { libc::lstat(path.as_ptr(), st.as_mut_ptr()) == 0 }
}

/// Why the sysroot the user named cannot be used.
#[derive(Debug, thiserror::Error)]
pub enum SysrootError {
    #[error("sysroot {path} ({origin}): {source}")]
    Unusable {
        path: PathBuf,
        origin: &'static str,
        source: std::io::Error,
    },
    #[error("sysroot {path} ({origin}): not a directory")]
    NotDirectory { path: PathBuf, origin: &'static str },
}

/// Chooses the sysroot: `flag` (`-L DIR`), else `env` (the value of [`ENV_VAR`], ignored
/// when empty), else [`DEFAULT_SYSROOT`] when it is a directory, else none. A sysroot
/// the user named must be a directory; it is made absolute and canonical (the guest may
/// change directory later). A sysroot that is the host's `/` is no sysroot.
pub fn select(flag: Option<&Path>, env: Option<&OsStr>) -> Result<Option<PathBuf>, SysrootError> {
    let named = match (flag, env) {
        (Some(dir), _) => Some((dir, "-L")),
        (None, Some(dir)) if !dir.is_empty() => Some((Path::new(dir), ENV_VAR)),
        _ => None,
    };
    let root = match named {
        Some((dir, origin)) => {
            let unusable = |source| SysrootError::Unusable {
                path: dir.to_path_buf(),
                origin,
                source,
            };
            let root = std::fs::canonicalize(dir).map_err(unusable)?;
            if !root.is_dir() {
                return Err(SysrootError::NotDirectory {
                    path: dir.to_path_buf(),
                    origin,
                });
            }
            root
        }
        None => match std::fs::canonicalize(DEFAULT_SYSROOT) {
            Ok(root) if root.is_dir() => root,
            _ => return Ok(None),
        },
    };
    Ok((root != Path::new("/")).then_some(root))
}

#[cfg(test)]
mod tests;
