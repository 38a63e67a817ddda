//! Process descriptors: `pidfd_open`, `pidfd_send_signal`, `pidfd_getfd`.
//!
//! Guest processes are host processes, so a pidfd is a host pidfd and the calls pass
//! through, with two exceptions for the calling process itself, which the host sees as
//! the VM: a signal sent to it goes through the guest's signal state as `kill` and
//! `rt_sigqueueinfo` send it ([`super::signal`]), and the descriptors vm holds for itself
//! cannot be taken with `pidfd_getfd` (`EBADF`, as for `close`). Which process a pidfd
//! refers to is read from its `/proc/self/fdinfo` entry.

use super::{host, returned, Errno, SysResult, SyscallOutcome};
use crate::state::ProcessState;
use vm_ir::GuestAddr;
use vm_memory::GuestMemory;

/// Size of `siginfo_t` (the same layout on both).
const SIGINFO_SIZE: usize = 128;

pub fn pidfd_open(pid: i32, flags: u32) -> SysResult {
    // SAFETY: no pointer arguments.
    host(unsafe { host_syscall!(libc::SYS_pidfd_open, pid, flags) })
}

/// The process `pidfd` refers to, if it is a pidfd of this process (not of one of its
/// threads, `PIDFD_THREAD`, which is `O_EXCL` among its flags).
fn refers_to_self(pidfd: i32) -> bool {
    // SAFETY: F_GETFL takes no pointer argument.
    let flags = unsafe { host_syscall!(libc::SYS_fcntl, pidfd, libc::F_GETFL) } as i32;
    if flags == -1 || flags & libc::O_EXCL != 0 {
        return false;
    }
    let Ok(info) = std::fs::read_to_string(format!("/proc/self/fdinfo/{pidfd}")) else {
        return false;
    };
    let own = std::process::id().to_string();
    info.lines()
        .filter_map(|l| l.strip_prefix("Pid:"))
        .any(|pid| pid.trim() == own)
}

/// `pidfd_send_signal(pidfd, sig, info, flags)`.
pub fn pidfd_send_signal(
    state: &mut ProcessState,
    mem: &GuestMemory,
    pidfd: i32,
    sig: i32,
    info: GuestAddr,
    flags: u32,
) -> SyscallOutcome {
    if flags == 0 && refers_to_self(pidfd) {
        let own = std::process::id() as i32;
        if info == 0 {
            return super::signal::kill(state, own, sig);
        }
        // Unlike `rt_sigqueueinfo`, the signal must be the one the information names.
        match mem.read::<4>(info) {
            Err(_) => return returned(Err(Errno(libc::EFAULT))),
            Ok(signo) if i32::from_le_bytes(signo) != sig => {
                return returned(Err(Errno(libc::EINVAL)))
            }
            Ok(_) => {}
        }
        return super::signal::sigqueueinfo(state, mem, own, None, sig, info);
    }
    let mut buf = [0u8; SIGINFO_SIZE];
    let info_ptr = if info == 0 {
        std::ptr::null()
    } else {
        match mem.read_bytes(info, &mut buf) {
            Ok(()) => buf.as_ptr(),
            Err(_) => return returned(Err(super::badf_or(pidfd, libc::EFAULT))),
        }
    };
    // SAFETY: `info_ptr` is null or a host `siginfo_t`.
    returned(host(unsafe {
        host_syscall!(libc::SYS_pidfd_send_signal, pidfd, sig, info_ptr, flags)
    }))
}

/// `pidfd_getfd(pidfd, targetfd, flags)`: a duplicate of another process's descriptor
/// (or this one's), never of one vm holds for itself.
pub fn pidfd_getfd(state: &ProcessState, pidfd: i32, targetfd: i32, flags: u32) -> SysResult {
    if flags == 0
        && refers_to_self(pidfd)
        && (super::fd::vm_owned(state).contains(&targetfd) || super::call_fd::is_call_fd(targetfd))
    {
        return Err(Errno(libc::EBADF));
    }
    // SAFETY: no pointer arguments.
    host(unsafe { host_syscall!(libc::SYS_pidfd_getfd, pidfd, targetfd, flags) })
}
