//! Process lifetime and signals: `exit`, `exit_group`, `set_tid_address`,
//! `set_robust_list`, `rt_sigaction`, `rt_sigprocmask`, `kill`, `tkill`, `tgkill`.
//!
//! Signals are bookkeeping only for now: dispositions and the blocked mask are stored and
//! reported back exactly as Linux does, but nothing is ever delivered to a guest handler.
//! A signal the process sends itself acts by its disposition: ignored (explicitly, or by
//! default as SIGCHLD, SIGURG, SIGWINCH, SIGCONT) or blocked is a no-op; a default action
//! that terminates ends the run with [`SyscallOutcome::Killed`]; a default stop stops the
//! host process (the guest's process) with the same signal. A signal to a guest handler is
//! dropped with a warning until delivery exists. Signals to other processes (and process
//! groups) go to the host.

use super::abi::{ROBUST_LIST_HEAD_SIZE, SIGACTION_SIZE, SIGSET_SIZE};
use super::{host, info, returned, Errno, SysResult, SyscallOutcome};
use crate::state::{ProcessState, SigAction};
use vm_ir::GuestAddr;
use vm_memory::GuestMemory;

/// `exit` and `exit_group` (one thread, so the same): the status's low 8 bits, as the
/// parent sees them.
pub fn exit(status: u64) -> SyscallOutcome {
    SyscallOutcome::Exit((status & 0xff) as i32)
}

pub fn set_tid_address(state: &mut ProcessState, tidptr: GuestAddr) -> SysResult {
    state.clear_child_tid = tidptr;
    info::gettid()
}

pub fn set_robust_list(state: &mut ProcessState, head: GuestAddr, len: u64) -> SysResult {
    if len != ROBUST_LIST_HEAD_SIZE {
        return Err(Errno(libc::EINVAL));
    }
    state.robust_list = head;
    Ok(0)
}

/// Highest signal number.
const NSIG: i32 = 64;

fn bit(sig: i32) -> u64 {
    1 << (sig - 1)
}

/// SIGKILL and SIGSTOP cannot be caught, ignored or blocked.
const UNBLOCKABLE: u64 = (1 << (libc::SIGKILL - 1)) | (1 << (libc::SIGSTOP - 1));

pub fn rt_sigaction(
    state: &mut ProcessState,
    mem: &mut GuestMemory,
    sig: u64,
    act: GuestAddr,
    oldact: GuestAddr,
    sigsetsize: u64,
) -> SysResult {
    if sigsetsize != SIGSET_SIZE {
        return Err(Errno(libc::EINVAL));
    }
    let new = if act != 0 {
        let b: [u8; SIGACTION_SIZE as usize] = mem.read(act)?;
        let word = |i: usize| u64::from_le_bytes(b[i * 8..i * 8 + 8].try_into().unwrap());
        Some(SigAction {
            handler: word(0),
            flags: word(1),
            mask: word(2) & !UNBLOCKABLE,
        })
    } else {
        None
    };
    let sig = sig as i32;
    if !(1..=NSIG).contains(&sig) || (new.is_some() && bit(sig) & UNBLOCKABLE != 0) {
        return Err(Errno(libc::EINVAL));
    }
    let slot = &mut state.signals.actions[sig as usize - 1];
    let previous = *slot;
    if let Some(new) = new {
        *slot = new;
    }
    if oldact != 0 {
        let mut b = [0u8; SIGACTION_SIZE as usize];
        for (i, w) in [previous.handler, previous.flags, previous.mask]
            .iter()
            .enumerate()
        {
            b[i * 8..i * 8 + 8].copy_from_slice(&w.to_le_bytes());
        }
        mem.write(oldact, b)?;
    }
    Ok(0)
}

pub fn rt_sigprocmask(
    state: &mut ProcessState,
    mem: &mut GuestMemory,
    how: i32,
    set: GuestAddr,
    oldset: GuestAddr,
    sigsetsize: u64,
) -> SysResult {
    if sigsetsize != SIGSET_SIZE {
        return Err(Errno(libc::EINVAL));
    }
    let previous = state.signals.blocked;
    if set != 0 {
        let new = u64::from_le_bytes(mem.read(set)?) & !UNBLOCKABLE;
        state.signals.blocked = match how {
            libc::SIG_BLOCK => previous | new,
            libc::SIG_UNBLOCK => previous & !new,
            libc::SIG_SETMASK => new,
            _ => return Err(Errno(libc::EINVAL)),
        };
    }
    if oldset != 0 {
        mem.write(oldset, previous.to_le_bytes())?;
    }
    Ok(0)
}

/// What a signal does by default.
enum DefaultAction {
    Terminate,
    Ignore,
    Stop,
}

fn default_action(sig: i32) -> DefaultAction {
    match sig {
        libc::SIGCHLD | libc::SIGURG | libc::SIGWINCH | libc::SIGCONT => DefaultAction::Ignore,
        libc::SIGSTOP | libc::SIGTSTP | libc::SIGTTIN | libc::SIGTTOU => DefaultAction::Stop,
        _ => DefaultAction::Terminate,
    }
}

/// A signal the process sends itself.
fn signal_self(state: &ProcessState, sig: i32) -> SyscallOutcome {
    if sig == 0 {
        return SyscallOutcome::Return(0);
    }
    if sig == libc::SIGKILL {
        return SyscallOutcome::Killed(sig);
    }
    let action = state.signals.actions[sig as usize - 1];
    let blocked = state.signals.blocked & bit(sig) != 0;
    if blocked || action.handler == SigAction::SIG_IGN {
        // Blocked: pending until unblocked, which (without delivery) is never.
        return SyscallOutcome::Return(0);
    }
    if action.handler != SigAction::SIG_DFL {
        tracing::warn!(
            sig,
            handler = action.handler,
            "signal to a guest handler dropped: delivery is not implemented"
        );
        return SyscallOutcome::Return(0);
    }
    match default_action(sig) {
        DefaultAction::Terminate => SyscallOutcome::Killed(sig),
        DefaultAction::Ignore => SyscallOutcome::Return(0),
        DefaultAction::Stop => {
            // SAFETY: no pointer arguments; stops this process until SIGCONT.
            returned(
                host(unsafe { libc::syscall(libc::SYS_kill, std::process::id(), sig) }).map(|_| 0),
            )
        }
    }
}

fn valid_signal(sig: i32) -> bool {
    (0..=NSIG).contains(&sig)
}

pub fn kill(state: &ProcessState, pid: i32, sig: i32) -> SyscallOutcome {
    if !valid_signal(sig) {
        return returned(Err(Errno(libc::EINVAL)));
    }
    if pid as u32 == std::process::id() {
        return signal_self(state, sig);
    }
    // SAFETY: no pointer arguments.
    returned(host(unsafe { libc::syscall(libc::SYS_kill, pid, sig) }))
}

fn own_tid() -> i32 {
    info::gettid().unwrap_or(-1) as i32
}

pub fn tkill(state: &ProcessState, tid: i32, sig: i32) -> SyscallOutcome {
    if tid <= 0 || !valid_signal(sig) {
        return returned(Err(Errno(libc::EINVAL)));
    }
    if tid == own_tid() {
        return signal_self(state, sig);
    }
    // SAFETY: no pointer arguments.
    returned(host(unsafe { libc::syscall(libc::SYS_tkill, tid, sig) }))
}

pub fn tgkill(state: &ProcessState, tgid: i32, tid: i32, sig: i32) -> SyscallOutcome {
    if tgid <= 0 || tid <= 0 || !valid_signal(sig) {
        return returned(Err(Errno(libc::EINVAL)));
    }
    if tgid as u32 == std::process::id() && tid == own_tid() {
        return signal_self(state, sig);
    }
    // SAFETY: no pointer arguments.
    returned(host(unsafe {
        libc::syscall(libc::SYS_tgkill, tgid, tid, sig)
    }))
}
