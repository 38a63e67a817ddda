//! Signal system calls: `rt_sigaction`, `rt_sigprocmask`, `rt_sigreturn`, `sigaltstack`,
//! `rt_sigpending`, `rt_sigsuspend`, `rt_sigtimedwait`, `rt_sigqueueinfo`,
//! `rt_tgsigqueueinfo`, `kill`, `tkill`, `tgkill`, `getitimer`, `setitimer`, and the
//! temporary signal masks of `ppoll`, `pselect6` and `epoll_pwait` ([`with_sigmask`]).
//!
//! A signal sent to the guest's own process or thread is queued here with the siginfo
//! Linux builds; one sent elsewhere (another pid, a process group, which may include
//! this process) goes to the host kernel, and what comes back to vm is caught and
//! forwarded by `signal::host`.

use super::abi::{read_timespec, SIGACTION_SIZE, SIGSET_SIZE};
use super::{host, info, returned, Errno, SysResult, SyscallOutcome, ERESTARTNOHAND};
use crate::signal::{
    self, bit, code, frame, ss, AltStack, SigAction, SigInfo, Signals, MINSIGSTKSZ, NSIG,
    UNBLOCKABLE,
};
use crate::state::ProcessState;
use crate::thread::ThreadHandle;
use std::sync::Arc;
use vm_engine::cpu::abi;
use vm_engine::CpuState;
use vm_ir::GuestAddr;
use vm_memory::GuestMemory;

fn read_sigset(mem: &GuestMemory, addr: GuestAddr) -> Result<u64, Errno> {
    Ok(u64::from_le_bytes(mem.read(addr)?))
}

pub fn rt_sigaction(
    state: &mut ProcessState,
    mem: &GuestMemory,
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
    let signals = &mut state.signals;
    let previous = match new {
        Some(new) => {
            let previous = signals.group.replace_action(sig, new, |action| {
                signal::host::sync_disposition(sig, action)
            });
            // A signal whose new disposition ignores it is discarded, even if blocked.
            if new.ignores(sig) {
                signals.discard_pending(sig);
            }
            signals.publish_group();
            previous
        }
        None => signals.action(sig),
    };
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
    mem: &GuestMemory,
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
        let new = read_sigset(mem, set)?;
        let blocked = match how {
            libc::SIG_BLOCK => previous | new,
            libc::SIG_UNBLOCK => previous & !new,
            libc::SIG_SETMASK => new,
            _ => return Err(Errno(libc::EINVAL)),
        };
        state.signals.set_blocked(blocked);
    }
    if oldset != 0 {
        mem.write(oldset, previous.to_le_bytes())?;
    }
    Ok(0)
}

/// Applies a `stack_t` (from `sigaltstack` or a frame being returned from) for a thread
/// whose stack pointer is `sp`, with Linux's checks.
fn set_altstack(
    signals: &mut Signals,
    sp: u64,
    new_sp: u64,
    flags: u32,
    size: u64,
) -> Result<(), Errno> {
    let current = signals.altstack;
    if current.contains(sp) {
        return Err(Errno(libc::EPERM));
    }
    let mode = flags & !ss::AUTODISARM;
    if !matches!(mode, 0 | ss::ONSTACK | ss::DISABLE) {
        return Err(Errno(libc::EINVAL));
    }
    if current.sp == new_sp && current.size == size && current.flags == flags {
        return Ok(());
    }
    signals.altstack = if mode == ss::DISABLE {
        AltStack::default()
    } else if size < MINSIGSTKSZ {
        return Err(Errno(libc::ENOMEM));
    } else {
        AltStack {
            sp: new_sp,
            size,
            flags: flags & ss::AUTODISARM,
        }
    };
    Ok(())
}

pub fn sigaltstack(
    state: &mut ProcessState,
    mem: &GuestMemory,
    cpu: &CpuState,
    uss: GuestAddr,
    uoss: GuestAddr,
) -> SysResult {
    let sp = cpu.x(abi::SP);
    let old = state.signals.altstack;
    if uss != 0 {
        let b: [u8; 24] = mem.read(uss)?;
        let new_sp = u64::from_le_bytes(b[..8].try_into().unwrap());
        let flags = u32::from_le_bytes(b[8..12].try_into().unwrap());
        let size = u64::from_le_bytes(b[16..].try_into().unwrap());
        set_altstack(&mut state.signals, sp, new_sp, flags, size)?;
    }
    if uoss != 0 {
        let mut b = [0u8; 24];
        b[..8].copy_from_slice(&old.sp.to_le_bytes());
        b[8..12].copy_from_slice(&old.reported_flags(sp).to_le_bytes());
        b[16..].copy_from_slice(&old.size.to_le_bytes());
        mem.write(uoss, b)?;
    }
    Ok(0)
}

/// `rt_sigreturn`: restores the thread from the frame at `sp` (written when the handler
/// was entered), vector state included when the frame has it. A frame that cannot be
/// read, or whose extension contexts Linux would refuse, is a SIGSEGV.
pub fn rt_sigreturn(
    state: &mut ProcessState,
    mem: &GuestMemory,
    cpu: &mut CpuState,
) -> SyscallOutcome {
    // A sleep interrupted before the handler ran is over (Linux resets the restart
    // block here too).
    state.restart = None;
    let frame_addr = cpu.x(abi::SP);
    let ctx = match frame::read(mem, frame_addr, &cpu.vector) {
        Ok(ctx) => ctx,
        Err(error) => {
            tracing::info!("rt_sigreturn with a bad frame: {error}");
            state
                .signals
                .force(SigInfo::new(libc::SIGSEGV, code::SI_KERNEL));
            cpu.pc += 4;
            return SyscallOutcome::Resume;
        }
    };
    cpu.pc = ctx.regs[0];
    for (i, &r) in ctx.regs.iter().enumerate().skip(1) {
        cpu.set_x(i as u32, r);
    }
    for (i, &f) in ctx.fregs.iter().enumerate() {
        cpu.set_f(i as u32, f);
    }
    cpu.fcsr = ctx.fcsr & 0xff;
    if let Some(vector) = ctx.vector {
        cpu.vector = vector;
    }
    cpu.reservation = None;
    state.signals.set_blocked(ctx.mask);
    // Linux ignores every error of restoring the alternate stack but a bad pointer.
    let sp = cpu.x(abi::SP);
    let _ = set_altstack(
        &mut state.signals,
        sp,
        ctx.stack.sp,
        ctx.stack.flags,
        ctx.stack.size,
    );
    SyscallOutcome::Resume
}

pub fn rt_sigpending(
    state: &mut ProcessState,
    mem: &GuestMemory,
    set: GuestAddr,
    sigsetsize: u64,
) -> SysResult {
    if sigsetsize > SIGSET_SIZE {
        return Err(Errno(libc::EINVAL));
    }
    state.signals.collect_host();
    let pending = state.signals.pending_set() & state.signals.blocked;
    mem.write_bytes(set, &pending.to_le_bytes()[..sigsetsize as usize])?;
    Ok(0)
}

/// `rt_sigsuspend`: waits with a temporary mask until a signal is delivered; always
/// "fails" with `EINTR` (restarted instead when no handler ran, e.g. after a stop).
pub fn rt_sigsuspend(
    state: &mut ProcessState,
    mem: &GuestMemory,
    mask: GuestAddr,
    sigsetsize: u64,
) -> SysResult {
    if sigsetsize != SIGSET_SIZE {
        return Err(Errno(libc::EINVAL));
    }
    let new = read_sigset(mem, mask)?;
    let signals = &mut state.signals;
    signals.saved_mask = Some(signals.blocked);
    signals.set_blocked(new);
    while !signals.interrupted() {
        signal::host::wait_for(signals.interrupting(), None);
    }
    Err(Errno(ERESTARTNOHAND))
}

/// `rt_sigtimedwait`: takes a pending signal of `uthese` (normally blocked), waiting up to
/// the timeout for one to arrive.
pub fn rt_sigtimedwait(
    state: &mut ProcessState,
    mem: &GuestMemory,
    uthese: GuestAddr,
    uinfo: GuestAddr,
    uts: GuestAddr,
    sigsetsize: u64,
) -> SysResult {
    if sigsetsize != SIGSET_SIZE {
        return Err(Errno(libc::EINVAL));
    }
    let these = read_sigset(mem, uthese)? & !UNBLOCKABLE;
    let timeout = if uts != 0 {
        let ts = read_timespec(mem, uts)?;
        if ts.tv_sec < 0 || !(0..1_000_000_000).contains(&ts.tv_nsec) {
            return Err(Errno(libc::EINVAL));
        }
        Some(std::time::Duration::new(
            ts.tv_sec as u64,
            ts.tv_nsec as u32,
        ))
    } else {
        None
    };
    // A deadline past what `Instant` can hold (a guest's `tv_sec` near 2^63) is never.
    let deadline = timeout.and_then(|t| std::time::Instant::now().checked_add(t));
    let signals = &mut state.signals;
    loop {
        signals.collect_host();
        let ready = signals.pending_set() & these;
        if ready != 0 {
            let sig = ready.trailing_zeros() as i32 + 1;
            let info = signals
                .dequeue(sig)
                .expect("a pending signal has a siginfo");
            if uinfo != 0 {
                mem.write(uinfo, info.0)?;
            }
            return Ok(sig as i64);
        }
        if signals.interrupted() {
            return Err(Errno(ERESTARTNOHAND));
        }
        let left = match deadline {
            Some(d) => {
                let left = d.saturating_duration_since(std::time::Instant::now());
                if left.is_zero() {
                    return Err(Errno(libc::EAGAIN));
                }
                Some(libc::timespec {
                    tv_sec: left.as_secs() as libc::time_t,
                    tv_nsec: left.subsec_nanos() as libc::c_long,
                })
            }
            None => None,
        };
        signal::host::wait_for(signals.interrupting() | these, left);
    }
}

/// Runs a waiting call (`ppoll`, `pselect6`, `epoll_pwait`) with the guest's temporary
/// signal mask at `mask` (none if null): signals it unblocks interrupt the wait, and a
/// handler that runs because of it sees the original mask in its frame.
pub fn with_sigmask(
    state: &mut ProcessState,
    mem: &GuestMemory,
    mask: GuestAddr,
    sigsetsize: u64,
    call: impl FnOnce(&GuestMemory) -> SysResult,
) -> SysResult {
    if mask == 0 {
        return call(mem);
    }
    if sigsetsize != SIGSET_SIZE {
        return Err(Errno(libc::EINVAL));
    }
    let new = read_sigset(mem, mask)?;
    let old = state.signals.blocked;
    state.signals.set_blocked(new);
    let result = if state.signals.interrupted() {
        Err(Errno(ERESTARTNOHAND))
    } else {
        call(mem)
    };
    if result == Err(Errno(ERESTARTNOHAND)) {
        state.signals.saved_mask = Some(old);
    } else {
        state.signals.set_blocked(old);
    }
    result
}

/// Where in its own process a signal goes.
enum Recipient {
    /// The process as a whole (`kill`): any thread that does not block it takes it.
    Process,
    /// One thread of it (`tgkill`, `tkill`).
    Thread(Arc<ThreadHandle>),
}

/// A signal the process sends itself.
fn send_self(state: &mut ProcessState, info: SigInfo, to: Recipient) -> SyscallOutcome {
    let sig = info.signo();
    if sig == 0 {
        return SyscallOutcome::Return(0);
    }
    if sig == libc::SIGKILL {
        return SyscallOutcome::Killed(sig);
    }
    if sig == libc::SIGSTOP {
        signal::host::stop_self(sig);
        return SyscallOutcome::Return(0);
    }
    match to {
        Recipient::Process => {
            if !state.signals.discards(sig) {
                state.signals.enqueue(info);
            }
        }
        Recipient::Thread(thread) => {
            let discarded = !thread.blocks(sig) && state.signals.action(sig).ignores(sig);
            if !discarded {
                thread.queue().push(info);
                thread.wake();
            }
        }
    }
    SyscallOutcome::Return(0)
}

/// The thread `tid` of the calling process, if it is one.
fn own_thread(state: &ProcessState, tid: i32) -> Option<Arc<ThreadHandle>> {
    state.signals.group.member(tid)
}

fn valid_signal(sig: i32) -> bool {
    (0..=NSIG).contains(&sig)
}

fn own_pid() -> i32 {
    std::process::id() as i32
}

fn own_tid() -> i32 {
    info::gettid().unwrap_or(-1) as i32
}

fn own_uid() -> u32 {
    // SAFETY: getuid cannot fail.
    unsafe { libc::getuid() }
}

pub fn kill(state: &mut ProcessState, pid: i32, sig: i32) -> SyscallOutcome {
    if !valid_signal(sig) {
        return returned(Err(Errno(libc::EINVAL)));
    }
    if pid == own_pid() {
        let info = SigInfo::from_process(sig, code::SI_USER, own_pid(), own_uid());
        return send_self(state, info, Recipient::Process);
    }
    // SAFETY: no pointer arguments.
    returned(host(unsafe { host_syscall!(libc::SYS_kill, pid, sig) }))
}

pub fn tkill(state: &mut ProcessState, tid: i32, sig: i32) -> SyscallOutcome {
    if tid <= 0 || !valid_signal(sig) {
        return returned(Err(Errno(libc::EINVAL)));
    }
    if let Some(thread) = own_thread(state, tid) {
        let info = SigInfo::from_process(sig, code::SI_TKILL, own_pid(), own_uid());
        return send_self(state, info, Recipient::Thread(thread));
    }
    // SAFETY: no pointer arguments.
    returned(host(unsafe { host_syscall!(libc::SYS_tkill, tid, sig) }))
}

pub fn tgkill(state: &mut ProcessState, tgid: i32, tid: i32, sig: i32) -> SyscallOutcome {
    if tgid <= 0 || tid <= 0 || !valid_signal(sig) {
        return returned(Err(Errno(libc::EINVAL)));
    }
    if let Some(thread) = own_thread(state, tid).filter(|_| tgid == own_pid()) {
        let info = SigInfo::from_process(sig, code::SI_TKILL, own_pid(), own_uid());
        return send_self(state, info, Recipient::Thread(thread));
    }
    // SAFETY: no pointer arguments.
    returned(host(unsafe {
        host_syscall!(libc::SYS_tgkill, tgid, tid, sig)
    }))
}

/// `rt_sigqueueinfo` (`tid` is `None`) and `rt_tgsigqueueinfo`: a signal with a siginfo
/// the sender supplies. Only a process signalling itself may claim to be the kernel or
/// `kill`/`tgkill` (`si_code` >= 0 or `SI_TKILL`).
pub fn sigqueueinfo(
    state: &mut ProcessState,
    mem: &GuestMemory,
    tgid: i32,
    tid: Option<i32>,
    sig: i32,
    uinfo: GuestAddr,
) -> SyscallOutcome {
    let result = (|| {
        let mut info = SigInfo(mem.read(uinfo)?);
        if !valid_signal(sig) || tid.is_some_and(|t| t <= 0) || tgid <= 0 {
            return Err(Errno(libc::EINVAL));
        }
        let to_self = match tid {
            _ if tgid != own_pid() => None,
            None => Some(Recipient::Process),
            Some(t) => own_thread(state, t).map(Recipient::Thread),
        };
        let from_self = tgid == own_pid() && tid.is_none_or(|t| t == own_tid());
        if !from_self && (info.code() >= 0 || info.code() == code::SI_TKILL) {
            return Err(Errno(libc::EPERM));
        }
        info.0[..4].copy_from_slice(&sig.to_le_bytes());
        Ok((info, to_self))
    })();
    let (info, to_self) = match result {
        Ok(v) => v,
        Err(e) => return returned(Err(e)),
    };
    if let Some(to) = to_self {
        return send_self(state, info, to);
    }
    // SAFETY: `info.0` is a siginfo of the size the kernel reads (same layout on x86-64).
    returned(host(unsafe {
        match tid {
            None => host_syscall!(libc::SYS_rt_sigqueueinfo, tgid, sig, info.0.as_ptr()),
            Some(t) => host_syscall!(libc::SYS_rt_tgsigqueueinfo, tgid, t, sig, info.0.as_ptr()),
        }
    }))
}

/// `struct itimerval`: two `timeval`s, the same layout on both.
const ITIMERVAL_SIZE: usize = 32;

pub fn getitimer(mem: &GuestMemory, which: i32, value: GuestAddr) -> SysResult {
    let mut cur = [0u8; ITIMERVAL_SIZE];
    // SAFETY: `cur` is a host itimerval-sized buffer.
    host(unsafe { host_syscall!(libc::SYS_getitimer, which, cur.as_mut_ptr()) })?;
    mem.write(value, cur)?;
    Ok(0)
}

pub fn setitimer(mem: &GuestMemory, which: i32, new: GuestAddr, old: GuestAddr) -> SysResult {
    let value: [u8; ITIMERVAL_SIZE] = if new != 0 {
        mem.read(new)?
    } else {
        [0; ITIMERVAL_SIZE]
    };
    let mut previous = [0u8; ITIMERVAL_SIZE];
    // SAFETY: both buffers are itimerval-sized; the host timer's SIGALRM/SIGVTALRM/SIGPROF
    // comes back to vm and is forwarded to the guest.
    host(unsafe {
        host_syscall!(
            libc::SYS_setitimer,
            which,
            value.as_ptr(),
            previous.as_mut_ptr(),
        )
    })?;
    if old != 0 {
        mem.write(old, previous)?;
    }
    Ok(0)
}
