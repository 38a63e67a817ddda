//! Guest signals: dispositions, the blocked mask, pending signals, the alternate stack,
//! and delivery to guest handlers through the RISC-V Linux signal frame.
//!
//! Where signals come from:
//! - the guest itself (`kill`/`tgkill`/`rt_sigqueueinfo` to its own pid or tid) are queued
//!   here directly, with the `siginfo` Linux would build;
//! - traps (a bad access, an illegal instruction, `ebreak`, a misaligned atomic) are
//!   *forced* ([`Signals::force`]): a blocked or ignored synchronous signal is unblocked
//!   and reset to its default action, as Linux does, so a fault never loops;
//! - every other process, the terminal and the host kernel (SIGCHLD, SIGPIPE, SIGALRM...)
//!   send real host signals to vm, which [`host`] catches and records in a signal-safe
//!   slot table; [`Signals::collect_host`] moves them into the queue.
//!
//! Delivery happens at safe points only: before guest code resumes after a system call,
//! a trap or an engine interrupt (a host signal raises the engine's interrupt flag, so a
//! running guest stops at the next block boundary with a precise pc). See [`deliver`].
//! A signalfd takes pending signals out of the queues instead ([`signalfd`]).

mod deliver;
pub mod frame;
pub mod host;
pub mod signalfd;

use crate::thread::{ThreadGroup, ThreadHandle};
use std::sync::atomic::AtomicBool;
use std::sync::Arc;

pub use deliver::{deliver_pending, deliver_pending_observed, restart_after_interrupt};

/// Highest signal number.
pub const NSIG: i32 = 64;

/// The mask bit of signal `sig` (bit `sig - 1`).
pub const fn bit(sig: i32) -> u64 {
    1 << (sig - 1)
}

/// SIGKILL and SIGSTOP cannot be caught, ignored or blocked.
pub const UNBLOCKABLE: u64 = bit(libc::SIGKILL) | bit(libc::SIGSTOP);

/// Signals a trap raises; Linux dequeues these before any other pending signal.
const SYNCHRONOUS: u64 = bit(libc::SIGSEGV)
    | bit(libc::SIGBUS)
    | bit(libc::SIGILL)
    | bit(libc::SIGTRAP)
    | bit(libc::SIGFPE)
    | bit(libc::SIGSYS);

/// First real-time signal: signals from here up queue every instance; standard signals
/// (below) are pending at most once.
pub const SIGRTMIN: i32 = 32;

/// `sa_flags` bits of the riscv64 (asm-generic) `struct sigaction`.
pub mod sa {
    pub const NOCLDSTOP: u64 = 0x1;
    pub const NOCLDWAIT: u64 = 0x2;
    pub const SIGINFO: u64 = 0x4;
    pub const ONSTACK: u64 = 0x0800_0000;
    pub const RESTART: u64 = 0x1000_0000;
    pub const NODEFER: u64 = 0x4000_0000;
    pub const RESETHAND: u64 = 0x8000_0000;
}

/// `ss_flags` of `stack_t`.
pub mod ss {
    pub const ONSTACK: u32 = 1;
    pub const DISABLE: u32 = 2;
    pub const AUTODISARM: u32 = 1 << 31;
}

/// riscv64's `MINSIGSTKSZ`: the smallest alternate stack `sigaltstack` accepts.
pub const MINSIGSTKSZ: u64 = 2048;

/// `si_code` values.
pub mod code {
    pub const SI_USER: i32 = 0;
    pub const SI_KERNEL: i32 = 0x80;
    pub const SI_QUEUE: i32 = -1;
    pub const SI_TIMER: i32 = -2;
    pub const SI_TKILL: i32 = -6;
    pub const SI_SIGIO: i32 = -5;
    pub const SEGV_MAPERR: i32 = 1;
    pub const SEGV_ACCERR: i32 = 2;
    pub const ILL_ILLOPC: i32 = 1;
    pub const BUS_ADRALN: i32 = 1;
    pub const BUS_ADRERR: i32 = 2;
    pub const TRAP_BRKPT: i32 = 1;
    pub const SYS_SECCOMP: i32 = 1;
}

/// A signal disposition as the guest set it with `rt_sigaction` (the riscv64 kernel's
/// `struct sigaction`: handler, flags, mask; no restorer field).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct SigAction {
    /// `SIG_DFL` (0), `SIG_IGN` (1) or the guest address of the handler.
    pub handler: u64,
    pub flags: u64,
    /// Signals blocked while the handler runs (bit `n - 1` for signal `n`).
    pub mask: u64,
}

impl SigAction {
    pub const SIG_DFL: u64 = 0;
    pub const SIG_IGN: u64 = 1;

    /// Whether a guest function handles the signal.
    pub fn has_handler(&self) -> bool {
        self.handler > Self::SIG_IGN
    }

    /// Whether this disposition of `sig` ignores it, explicitly or by default.
    pub fn ignores(&self, sig: i32) -> bool {
        self.handler == Self::SIG_IGN
            || (self.handler == Self::SIG_DFL
                && matches!(
                    default_action(sig),
                    DefaultAction::Ignore | DefaultAction::Continue
                ))
    }
}

/// What a signal does when its disposition is `SIG_DFL`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DefaultAction {
    Terminate,
    Ignore,
    Stop,
    Continue,
}

pub fn default_action(sig: i32) -> DefaultAction {
    match sig {
        libc::SIGCHLD | libc::SIGURG | libc::SIGWINCH => DefaultAction::Ignore,
        libc::SIGCONT => DefaultAction::Continue,
        libc::SIGSTOP | libc::SIGTSTP | libc::SIGTTIN | libc::SIGTTOU => DefaultAction::Stop,
        _ => DefaultAction::Terminate,
    }
}

/// A `siginfo_t` (128 bytes; the asm-generic layout, the same on riscv64 and x86-64, so
/// a host signal's siginfo is the guest's unchanged).
#[derive(Clone, Copy, PartialEq, Eq)]
pub struct SigInfo(pub [u8; SigInfo::SIZE]);

impl SigInfo {
    pub const SIZE: usize = 128;

    fn put_i32(&mut self, offset: usize, v: i32) {
        self.0[offset..offset + 4].copy_from_slice(&v.to_le_bytes());
    }

    fn put_u64(&mut self, offset: usize, v: u64) {
        self.0[offset..offset + 8].copy_from_slice(&v.to_le_bytes());
    }

    fn get_i32(&self, offset: usize) -> i32 {
        i32::from_le_bytes(self.0[offset..offset + 4].try_into().unwrap())
    }

    /// A siginfo with only `si_signo` and `si_code` set.
    pub fn new(sig: i32, code: i32) -> SigInfo {
        let mut info = SigInfo([0; Self::SIZE]);
        info.put_i32(0, sig);
        info.put_i32(8, code);
        info
    }

    /// Sent by a process (`kill`, `tgkill`): the sender's pid and real uid.
    pub fn from_process(sig: i32, code: i32, pid: i32, uid: u32) -> SigInfo {
        let mut info = SigInfo::new(sig, code);
        info.put_i32(16, pid);
        info.put_i32(20, uid as i32);
        info
    }

    /// Raised by a trap at `addr` (`si_addr`).
    pub fn fault(sig: i32, code: i32, addr: u64) -> SigInfo {
        let mut info = SigInfo::new(sig, code);
        info.put_u64(16, addr);
        info
    }

    /// Raised by a seccomp filter's `SECCOMP_RET_TRAP` for system call `nr` made at
    /// `call_addr` (the address after the `ecall`), with the filter's data as
    /// `si_errno`.
    pub fn seccomp(call_addr: u64, nr: i32, arch: u32, data: u16) -> SigInfo {
        let mut info = SigInfo::new(libc::SIGSYS, code::SYS_SECCOMP);
        info.put_i32(4, data as i32);
        info.put_u64(16, call_addr);
        info.put_i32(24, nr);
        info.put_i32(28, arch as i32);
        info
    }

    /// Sent by the expiry of POSIX timer `id` with its `sigev_value` (`si_overrun` is
    /// filled in at delivery).
    pub fn timer(sig: i32, id: i32, value: u64) -> SigInfo {
        let mut info = SigInfo::new(sig, code::SI_TIMER);
        info.put_i32(16, id);
        info.put_u64(24, value);
        info
    }

    /// Whether POSIX timer `id` sent this signal.
    pub fn is_timer(&self, id: i32) -> bool {
        self.code() == code::SI_TIMER && self.timer_id() == id
    }

    /// `si_timerid` of a timer's signal.
    pub fn timer_id(&self) -> i32 {
        self.get_i32(16)
    }

    /// `si_overrun` of a timer's signal.
    pub fn timer_overrun(&self) -> i32 {
        self.get_i32(20)
    }

    pub fn set_timer_overrun(&mut self, overrun: i32) {
        self.put_i32(20, overrun);
    }

    /// `si_value` of a timer's (or `sigqueue`'s) signal.
    pub fn timer_value(&self) -> u64 {
        u64::from_le_bytes(self.0[24..32].try_into().unwrap())
    }

    pub fn signo(&self) -> i32 {
        self.get_i32(0)
    }

    pub fn code(&self) -> i32 {
        self.get_i32(8)
    }

    /// The `struct signalfd_siginfo` a signalfd read gives for this signal: the fields
    /// of its layout copied (Linux's `signalfd_copyinfo`), the rest zero.
    pub fn to_signalfd(&self) -> [u8; SigInfo::SIZE] {
        let mut out = [0u8; SigInfo::SIZE];
        let mut copy = |to: usize, from: usize, len: usize| {
            out[to..to + len].copy_from_slice(&self.0[from..from + len]);
        };
        // ssi_signo, ssi_errno, ssi_code.
        copy(0, 0, 12);
        match self.layout() {
            Layout::Kill => copy(12, 16, 8), // ssi_pid, ssi_uid
            Layout::Timer => {
                copy(24, 16, 4); // ssi_tid
                copy(32, 20, 4); // ssi_overrun
                copy(48, 24, 8); // ssi_ptr
                copy(44, 24, 4); // ssi_int
            }
            Layout::Poll => {
                copy(28, 16, 4); // ssi_band (a long, truncated)
                copy(20, 24, 4); // ssi_fd
            }
            Layout::Fault => {
                copy(72, 16, 8); // ssi_addr
                copy(80, 24, 2); // ssi_addr_lsb
            }
            Layout::Child => {
                copy(12, 16, 8); // ssi_pid, ssi_uid
                copy(40, 24, 4); // ssi_status
                copy(56, 32, 16); // ssi_utime, ssi_stime
            }
            Layout::Sys => {
                copy(88, 16, 8); // ssi_call_addr
                copy(84, 24, 4); // ssi_syscall
                copy(96, 28, 4); // ssi_arch
            }
            Layout::Rt => {
                copy(12, 16, 8); // ssi_pid, ssi_uid
                copy(48, 24, 8); // ssi_ptr
                copy(44, 24, 4); // ssi_int
            }
        }
        out
    }

    /// Which union member of `siginfo_t` this signal uses (Linux's `siginfo_layout`).
    fn layout(&self) -> Layout {
        let (sig, code) = (self.signo(), self.code());
        if code > code::SI_USER && code < code::SI_KERNEL {
            // The kernel's own codes, per signal, up to that signal's last code.
            let specific = match sig {
                libc::SIGILL => Some((11, Layout::Fault)),
                libc::SIGFPE => Some((15, Layout::Fault)),
                libc::SIGSEGV => Some((10, Layout::Fault)),
                libc::SIGBUS => Some((5, Layout::Fault)),
                libc::SIGTRAP => Some((6, Layout::Fault)),
                libc::SIGCHLD => Some((6, Layout::Child)),
                libc::SIGPOLL => Some((6, Layout::Poll)),
                libc::SIGSYS => Some((2, Layout::Sys)),
                _ => None,
            };
            match specific {
                Some((last, layout)) if code <= last => layout,
                _ if code <= 6 => Layout::Poll,
                _ => Layout::Kill,
            }
        } else if code == code::SI_TIMER {
            Layout::Timer
        } else if code == code::SI_SIGIO {
            Layout::Poll
        } else if code < 0 {
            Layout::Rt
        } else {
            Layout::Kill
        }
    }
}

/// The union members of `siginfo_t` (Linux's `enum siginfo_layout`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Layout {
    Kill,
    Timer,
    Poll,
    Fault,
    Child,
    Rt,
    Sys,
}

impl std::fmt::Debug for SigInfo {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "SigInfo(signo {}, code {})", self.signo(), self.code())
    }
}

/// The alternate signal stack (`sigaltstack`); the default is disabled.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct AltStack {
    pub sp: u64,
    pub size: u64,
    /// `SS_AUTODISARM` if set; the stack is disabled when `size` is 0.
    pub flags: u32,
}

impl AltStack {
    /// Whether `sp` lies on the alternate stack (as Linux's `on_sig_stack`: the stack
    /// grows down, so its top is included and its base is not).
    pub fn contains(&self, sp: u64) -> bool {
        self.size != 0 && sp > self.sp && sp - self.sp <= self.size
    }

    /// The `ss_flags` Linux reports for a thread whose stack pointer is `sp`.
    pub fn reported_flags(&self, sp: u64) -> u32 {
        let state = if self.size == 0 {
            ss::DISABLE
        } else if self.contains(sp) {
            ss::ONSTACK
        } else {
            0
        };
        state | (self.flags & ss::AUTODISARM)
    }
}

/// The signals whose arrival interrupts the blocking calls of a thread with mask
/// `blocked`: unblocked and either handled by the guest or fatal/stopping by default.
fn interrupting(blocked: u64, actions: &[SigAction; NSIG as usize]) -> u64 {
    (1..=NSIG)
        .filter(|&sig| blocked & bit(sig) == 0)
        .filter(|&sig| {
            let action = actions[sig as usize - 1];
            action.has_handler()
                || (action.handler == SigAction::SIG_DFL
                    && matches!(
                        default_action(sig),
                        DefaultAction::Terminate | DefaultAction::Stop
                    ))
        })
        .fold(0, |s, sig| s | bit(sig))
}

/// The signal state of one guest thread: its own mask, alternate stack and
/// thread-directed queue, and its thread group's dispositions and process-directed queue.
#[derive(Clone)]
pub struct Signals {
    pub group: Arc<ThreadGroup>,
    pub thread: Arc<ThreadHandle>,
    /// The blocked mask (bit `n - 1` for signal `n`; never SIGKILL or SIGSTOP).
    pub blocked: u64,
    /// The mask to restore after a call that waits with a temporary mask
    /// (`rt_sigsuspend`, `ppoll`, `pselect6`, `epoll_pwait`): a handler frame saves it
    /// instead of the temporary one.
    pub saved_mask: Option<u64>,
    pub altstack: AltStack,
}

impl std::fmt::Debug for Signals {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Signals")
            .field("tid", &self.thread.tid)
            .field("blocked", &format_args!("{:#x}", self.blocked))
            .field("pending", &format_args!("{:#x}", self.pending_set()))
            .finish()
    }
}

impl Default for Signals {
    fn default() -> Signals {
        Signals::new_process(Arc::new(AtomicBool::new(false)))
    }
}

impl Signals {
    /// The signals of a new process whose one thread is the calling host thread, whose
    /// engine stops when `interrupt` is raised; default dispositions, nothing blocked.
    pub fn new_process(interrupt: Arc<AtomicBool>) -> Signals {
        let group = Arc::new(ThreadGroup::default());
        let thread = Arc::new(ThreadHandle::new(crate::thread::gettid(), interrupt));
        group.join(thread.clone());
        Signals {
            group,
            thread,
            blocked: 0,
            saved_mask: None,
            altstack: AltStack::default(),
        }
    }

    /// The signal state of a new thread of the same group: the creator's mask, no
    /// alternate stack (Linux clears it for `CLONE_VM` threads), nothing pending.
    pub fn for_new_thread(&self, thread: Arc<ThreadHandle>) -> Signals {
        Signals {
            group: self.group.clone(),
            thread,
            blocked: self.blocked,
            saved_mask: None,
            altstack: AltStack::default(),
        }
    }

    /// In the child of a fork, which has only the forking thread (now with the child's
    /// tid): a group of its own, with the dispositions the parent had (`actions`, read
    /// before the fork: another parent thread may have held the group's locks) and the
    /// forking thread's seccomp mode (`seccomp`, read under a lock held across it).
    pub fn fork_child(
        &mut self,
        actions: [SigAction; NSIG as usize],
        seccomp: crate::seccomp::Mode,
    ) {
        let group = Arc::new(ThreadGroup::with_actions(actions));
        let thread = Arc::new(ThreadHandle::new(
            crate::thread::gettid(),
            self.thread.interrupt.clone(),
        ));
        // The child keeps the forking thread's seccomp filters.
        thread.seccomp.set_mode(seccomp);
        group.join(thread.clone());
        self.group = group;
        self.thread = thread;
        self.publish();
        crate::thread::set_current(self.group.clone(), self.thread.clone());
    }

    pub fn action(&self, sig: i32) -> SigAction {
        self.group.action(sig)
    }

    pub fn set_action(&mut self, sig: i32, action: SigAction) {
        self.group.set_action(sig, action);
    }

    /// Resets `sig` to its default action.
    pub fn reset_action(&mut self, sig: i32) {
        let mut action = self.action(sig);
        action.handler = SigAction::SIG_DFL;
        self.set_action(sig, action);
    }

    pub fn is_blocked(&self, sig: i32) -> bool {
        self.blocked & bit(sig) != 0
    }

    /// Whether a signal arriving now would be discarded (Linux's `sig_ignored`): ignored
    /// explicitly or by default, and not blocked (a blocked signal stays pending, since
    /// the disposition may change before it is unblocked).
    pub fn discards(&self, sig: i32) -> bool {
        !self.is_blocked(sig) && self.action(sig).ignores(sig)
    }

    /// The set of signals pending for this thread: its own and its process's.
    pub fn pending_set(&self) -> u64 {
        self.thread.pending_bits() | self.group.pending_bits()
    }

    /// The pending signals, this thread's then its process's, each oldest first.
    pub fn pending(&self) -> Vec<SigInfo> {
        let mut all = self.thread.queue().infos();
        all.extend(self.group.queue().infos());
        all
    }

    /// Queues a signal sent to the process (`kill`, a host signal); a thread that does
    /// not block it is woken to take it.
    pub fn enqueue(&mut self, info: SigInfo) {
        let sig = info.signo();
        self.group.queue().push(info);
        self.group.route(sig, &self.thread);
    }

    /// Queues a signal sent to this thread alone.
    pub fn enqueue_thread(&mut self, info: SigInfo) {
        self.thread.queue().push(info);
    }

    /// Queues a trap's signal so that it is delivered whatever the guest did to it: a
    /// blocked or ignored synchronous signal would otherwise re-execute the faulting
    /// instruction forever.
    pub fn force(&mut self, info: SigInfo) {
        let sig = info.signo();
        let blocked = self.is_blocked(sig);
        if blocked || self.action(sig).handler == SigAction::SIG_IGN {
            self.reset_action(sig);
            self.blocked &= !bit(sig);
            self.publish();
        }
        self.enqueue_thread(info);
    }

    /// Moves the signals the host delivered to vm into the process's queue, dropping
    /// those the guest discards.
    pub fn collect_host(&mut self) {
        self.group.collect_host(&self.thread);
    }

    /// The signal to deliver next: synchronous ones first, then the lowest number.
    pub fn next_deliverable(&self) -> Option<i32> {
        let ready = self.pending_set() & !self.blocked;
        if ready == 0 {
            return None;
        }
        let preferred = if ready & SYNCHRONOUS != 0 {
            ready & SYNCHRONOUS
        } else {
            ready
        };
        Some(preferred.trailing_zeros() as i32 + 1)
    }

    /// Removes and returns the oldest pending instance of `sig`: this thread's first,
    /// then the process's.
    pub fn dequeue(&mut self, sig: i32) -> Option<SigInfo> {
        let taken = self.thread.queue().take(sig);
        let mut info = taken.or_else(|| self.group.queue().take(sig))?;
        if info.code() == code::SI_TIMER {
            self.group.timers.delivered(&mut info);
        }
        Some(info)
    }

    /// Removes and returns a pending signal of `mask` as a signalfd read takes it
    /// (Linux's `dequeue_signal`): this thread's own signals first, then its process's,
    /// among each the synchronous ones first, then the lowest number.
    pub fn dequeue_masked(&mut self, mask: u64) -> Option<SigInfo> {
        let pick = |set: u64| {
            let preferred = if set & SYNCHRONOUS != 0 {
                set & SYNCHRONOUS
            } else {
                set
            };
            preferred.trailing_zeros() as i32 + 1
        };
        let own = self.thread.pending_bits() & mask;
        let sig = if own != 0 {
            pick(own)
        } else {
            let shared = self.group.pending_bits() & mask;
            if shared == 0 {
                return None;
            }
            pick(shared)
        };
        self.dequeue(sig)
    }

    /// Drops pending instances of `sig` in every thread (its disposition became
    /// "ignore").
    pub fn discard_pending(&mut self, sig: i32) {
        self.group.queue().discard(sig);
        for t in self.group.members() {
            t.queue().discard(sig);
        }
    }

    /// Forgets every pending signal (a new process after fork).
    pub fn clear_pending(&mut self) {
        self.thread.queue().clear();
        self.group.queue().clear();
    }

    /// The signals whose arrival must interrupt a blocking system call: unblocked and
    /// either handled by the guest or fatal/stopping by default. Others (ignored,
    /// blocked) let the call go on, as on Linux.
    pub fn interrupting(&self) -> u64 {
        interrupting(self.blocked, &self.group.actions())
    }

    /// Tells the host layer and sibling threads this thread's mask and which signals
    /// interrupt its blocking calls; call after any change of its mask (and, for every
    /// thread, of dispositions: see [`Signals::publish_group`]).
    pub fn publish(&self) {
        self.thread.publish(self.blocked, self.interrupting());
    }

    /// After a disposition changed: republishes what interrupts each thread's calls
    /// (the others' masks as they published them).
    pub fn publish_group(&self) {
        let actions = self.group.actions();
        for t in self.group.members() {
            t.publish(t.blocked(), interrupting(t.blocked(), &actions));
        }
    }

    /// Sets the blocked mask (SIGKILL and SIGSTOP are silently kept unblocked).
    pub fn set_blocked(&mut self, mask: u64) {
        self.blocked = mask & !UNBLOCKABLE;
        self.publish();
        // Process-directed signals this thread no longer takes may be another's.
        if self.group.pending_bits() & self.blocked != 0 {
            self.group.reroute_pending();
        }
    }

    /// Whether a system call interrupted by a host signal should stop waiting: a signal
    /// that interrupts is pending (in the queue or just arrived), or gdb's Ctrl-C waits
    /// to be reported.
    pub fn interrupted(&mut self) -> bool {
        self.collect_host();
        self.next_deliverable().is_some() || crate::thread::debugger_interrupt_pending()
    }
}
