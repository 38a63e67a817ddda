//! Guest threads: the thread group every thread of a guest process belongs to, and each
//! thread's handle as its siblings see it.
//!
//! A guest thread is a host thread of vm (as in qemu-user): its CPU state, engine (with
//! its own translated-block cache) and per-thread kernel state ([`ProcessState`]) are its
//! own; guest memory, the descriptor table, the working directory and credentials are the
//! host process's, hence shared as Linux shares them between threads. What the kernel
//! keeps per thread group and vm must share by hand lives here:
//! - signal dispositions and the process-directed pending queue;
//! - the members (tid, thread-directed queue, blocked mask, interrupt flag), to route a
//!   signal to a thread that can take it and to wake a thread blocked in a host call;
//! - the changes of guest code ([`CodeChanges`]), so that a thread drops translated code
//!   another thread's `munmap`/`mprotect`/`riscv_flush_icache` made stale;
//! - the exit of the main thread while others still run (the process lives on until its
//!   last thread exits, with the main thread's status).
//!
//! Waking: a thread blocked in a host system call is interrupted with [`WAKE_SIGNAL`], a
//! host signal vm keeps for itself: the call fails with `EINTR` (or is abandoned if it
//! was being entered) and the system call layer then looks at the guest's pending
//! signals.
//!
//! [`ProcessState`]: crate::state::ProcessState

use crate::code_changes::{CodeChange, CodeChanges};
use crate::signal::{bit, SigAction, SigInfo, NSIG};
use crate::timers::PosixTimers;
use std::cell::RefCell;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};

/// The host signal that interrupts a sibling's blocking host call. glibc reserves 32
/// (`SIGCANCEL`) for `pthread_cancel`, which vm never calls, so vm uses it; it is never
/// forwarded to the guest. glibc's wrappers refuse to touch it (`sigaction`) or leave it
/// out of masks (`sigfillset`, `sigprocmask`), so vm sets its handler and masks with raw
/// system calls.
pub const WAKE_SIGNAL: i32 = 32;

/// The calling host thread's id.
pub fn gettid() -> i32 {
    // SAFETY: gettid takes no arguments and cannot fail.
    unsafe { host_syscall!(libc::SYS_gettid) as i32 }
}

/// Locks `m`, going on with the data if a panicking thread poisoned it (each update
/// under these locks is a single step, so the data is consistent).
pub fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}

/// One thread as its siblings see it.
pub struct ThreadHandle {
    /// Its host (and guest) thread id.
    pub tid: i32,
    /// Signals sent to this thread alone (`tgkill`, traps), in arrival order.
    pending: Mutex<Vec<SigInfo>>,
    /// The set of signals in `pending`, readable without the lock.
    pending_bits: AtomicU64,
    /// Its guest blocked mask, as last published.
    blocked: AtomicU64,
    /// The signals that interrupt its blocking calls (see `Signals::interrupting`), as
    /// last published.
    interrupting: AtomicU64,
    /// Its engine's interrupt flag.
    pub interrupt: Arc<AtomicBool>,
    /// Its robust futex list (`set_robust_list`), which whoever ends the thread walks.
    robust_list: AtomicU64,
    /// Its seccomp mode and filters, which a sibling's `SECCOMP_FILTER_FLAG_TSYNC` sets.
    pub seccomp: crate::seccomp::ThreadSeccomp,
}

impl ThreadHandle {
    pub fn new(tid: i32, interrupt: Arc<AtomicBool>) -> ThreadHandle {
        ThreadHandle {
            tid,
            pending: Mutex::new(Vec::new()),
            pending_bits: AtomicU64::new(0),
            blocked: AtomicU64::new(0),
            interrupting: AtomicU64::new(!0),
            interrupt,
            robust_list: AtomicU64::new(0),
            seccomp: Default::default(),
        }
    }

    pub fn robust_list(&self) -> u64 {
        self.robust_list.load(Ordering::Acquire)
    }

    pub fn set_robust_list(&self, head: u64) {
        self.robust_list.store(head, Ordering::Release);
    }

    pub fn pending_bits(&self) -> u64 {
        self.pending_bits.load(Ordering::Acquire)
    }

    pub fn interrupting(&self) -> u64 {
        self.interrupting.load(Ordering::Acquire)
    }

    pub fn publish(&self, blocked: u64, interrupting: u64) {
        self.blocked.store(blocked, Ordering::Release);
        self.interrupting.store(interrupting, Ordering::Release);
    }

    pub fn blocked(&self) -> u64 {
        self.blocked.load(Ordering::Acquire)
    }

    pub fn blocks(&self, sig: i32) -> bool {
        self.blocked.load(Ordering::Acquire) & bit(sig) != 0
    }

    pub fn queue(&self) -> SignalQueue<'_> {
        SignalQueue {
            queue: lock(&self.pending),
            bits: &self.pending_bits,
        }
    }

    /// Makes the thread look at its signals: at its next block boundary if it runs guest
    /// code, at once if it waits in a host call.
    pub fn wake(&self) {
        self.interrupt.store(true, Ordering::Release);
        if self.tid == gettid() {
            return;
        }
        // SAFETY: no pointer arguments. The thread may have exited just now; then the
        // call fails (or reaches a newer thread of that id, which ignores the signal).
        unsafe {
            host_syscall!(
                libc::SYS_tgkill,
                std::process::id() as i32,
                self.tid,
                WAKE_SIGNAL,
            )
        };
    }
}

/// A locked pending-signal queue that keeps its bit set in step.
pub struct SignalQueue<'a> {
    queue: MutexGuard<'a, Vec<SigInfo>>,
    bits: &'a AtomicU64,
}

impl SignalQueue<'_> {
    fn sync_bits(&self) {
        let set = self.queue.iter().fold(0, |s, i| s | bit(i.signo()));
        if self.bits.swap(set, Ordering::AcqRel) != set {
            crate::signal::signalfd::pending_changed();
        }
    }

    pub fn set(&self) -> u64 {
        self.bits.load(Ordering::Acquire)
    }

    /// Queues `info`: a standard signal already pending is not queued twice, real-time
    /// signals queue every instance.
    pub fn push(&mut self, info: SigInfo) {
        let sig = info.signo();
        if sig < crate::signal::SIGRTMIN && self.set() & bit(sig) != 0 {
            return;
        }
        self.queue.push(info);
        self.sync_bits();
    }

    /// Removes and returns the oldest instance of `sig`.
    pub fn take(&mut self, sig: i32) -> Option<SigInfo> {
        let at = self.queue.iter().position(|i| i.signo() == sig)?;
        let info = self.queue.remove(at);
        self.sync_bits();
        Some(info)
    }

    /// Drops every instance of `sig`.
    pub fn discard(&mut self, sig: i32) {
        self.discard_where(|i| i.signo() == sig);
    }

    /// Drops every queued signal that satisfies `f`.
    pub fn discard_where(&mut self, f: impl Fn(&SigInfo) -> bool) {
        self.queue.retain(|i| !f(i));
        self.sync_bits();
    }

    pub fn clear(&mut self) {
        self.queue.clear();
        self.sync_bits();
    }

    pub fn is_empty(&self) -> bool {
        self.queue.is_empty()
    }

    /// Whether a queued signal satisfies `f`.
    pub fn any(&self, f: impl Fn(&SigInfo) -> bool) -> bool {
        self.queue.iter().any(f)
    }

    /// The queued signals, oldest first.
    pub fn infos(&self) -> Vec<SigInfo> {
        self.queue.clone()
    }
}

/// What the threads of one guest process share (Linux's thread group and its
/// `signal_struct`/`sighand_struct`).
pub struct ThreadGroup {
    /// The disposition of signal `n` at index `n - 1`.
    actions: Mutex<[SigAction; NSIG as usize]>,
    /// Signals sent to the process as a whole, in arrival order.
    pending: Mutex<Vec<SigInfo>>,
    pending_bits: AtomicU64,
    /// The live threads, the main thread first while it lives.
    members: Mutex<Vec<Arc<ThreadHandle>>>,
    /// Changes of executable mappings and of code.
    pub code: CodeChanges,
    /// The main thread's exit status, once it exited while other threads ran on.
    leader_status: Mutex<Option<i32>>,
    /// The POSIX timers (`timer_create`).
    pub timers: PosixTimers,
    /// Raised when gdb sends Ctrl-C, lowered by the thread that reports the stop
    /// (`gdb::session::Session::take_interrupt`). While it is up, blocking calls give
    /// up as a signal would make them (to be restarted after the stop, as Linux
    /// restarts a call a ptrace stop interrupted), so that a thread waiting in one can
    /// report it.
    pub debugger_interrupt: AtomicBool,
    /// A thread dumps core: the others park for it (see [`crate::coredump::gather`]).
    pub core_dump: crate::coredump::Gather,
}

impl Default for ThreadGroup {
    fn default() -> ThreadGroup {
        ThreadGroup {
            actions: Mutex::new([SigAction::default(); NSIG as usize]),
            pending: Mutex::new(Vec::new()),
            pending_bits: AtomicU64::new(0),
            members: Mutex::new(Vec::new()),
            code: CodeChanges::default(),
            leader_status: Mutex::new(None),
            timers: PosixTimers::default(),
            debugger_interrupt: AtomicBool::new(false),
            core_dump: Default::default(),
        }
    }
}

impl ThreadGroup {
    /// A group with these dispositions and no members yet.
    pub fn with_actions(actions: [SigAction; NSIG as usize]) -> ThreadGroup {
        ThreadGroup {
            actions: Mutex::new(actions),
            ..ThreadGroup::default()
        }
    }

    pub fn action(&self, sig: i32) -> SigAction {
        lock(&self.actions)[sig as usize - 1]
    }

    pub fn actions(&self) -> [SigAction; NSIG as usize] {
        *lock(&self.actions)
    }

    pub fn set_action(&self, sig: i32, action: SigAction) {
        lock(&self.actions)[sig as usize - 1] = action;
    }

    /// Gives `sig` a new action and returns the one it had, running `mirror` (which
    /// makes the host's disposition follow) under the same lock: two threads changing
    /// one signal's action at once leave the host's disposition the guest's (an ignored
    /// SIGCHLD on the host alone would reap the guest's children behind its back).
    pub fn replace_action(
        &self,
        sig: i32,
        action: SigAction,
        mirror: impl FnOnce(&SigAction),
    ) -> SigAction {
        let mut actions = lock(&self.actions);
        let previous = std::mem::replace(&mut actions[sig as usize - 1], action);
        mirror(&action);
        previous
    }

    pub fn queue(&self) -> SignalQueue<'_> {
        SignalQueue {
            queue: lock(&self.pending),
            bits: &self.pending_bits,
        }
    }

    /// The signals pending for the process as a whole, without locking.
    pub fn pending_bits(&self) -> u64 {
        self.pending_bits.load(Ordering::Acquire)
    }

    pub fn join(&self, thread: Arc<ThreadHandle>) {
        lock(&self.members).push(thread);
    }

    /// Removes the thread `tid`; returns how many threads remain.
    pub fn leave(&self, tid: i32) -> usize {
        let left = {
            let mut members = lock(&self.members);
            members.retain(|t| t.tid != tid);
            members.len()
        };
        // Its own pending signals no longer count.
        crate::signal::signalfd::pending_changed();
        left
    }

    pub fn member(&self, tid: i32) -> Option<Arc<ThreadHandle>> {
        lock(&self.members).iter().find(|t| t.tid == tid).cloned()
    }

    pub fn members(&self) -> Vec<Arc<ThreadHandle>> {
        lock(&self.members).clone()
    }

    /// Wakes a thread that can take the process-directed `sig` now (one that does not
    /// block it), unless the calling thread can; if every thread blocks it, wakes them
    /// all, since one may be waiting for it (`sigwait`).
    pub fn route(&self, sig: i32, caller: &ThreadHandle) {
        if !caller.blocks(sig) {
            return;
        }
        self.wake_taker(sig, caller.tid);
    }

    /// Queues a signal for the process from outside its threads (a timer's expiry) and
    /// wakes a thread that can take it.
    pub fn send(&self, info: SigInfo) {
        let sig = info.signo();
        self.queue().push(info);
        self.wake_taker(sig, 0);
    }

    /// Wakes a thread that does not block `sig`, or if all block it every thread but
    /// `except`, since one may be waiting for it (`sigwait`).
    fn wake_taker(&self, sig: i32, except: i32) {
        let members = self.members();
        match members.iter().find(|t| !t.blocks(sig)) {
            Some(t) => t.wake(),
            None => members
                .iter()
                .filter(|t| t.tid != except)
                .for_each(|t| t.wake()),
        }
    }

    /// Wakes, for each process-directed signal pending, a thread that can take it (after
    /// the thread that would have left).
    pub fn reroute_pending(&self) {
        let pending = self.pending_bits();
        let members = self.members();
        for sig in (1..=NSIG).filter(|&s| pending & bit(s) != 0) {
            if let Some(t) = members.iter().find(|t| !t.blocks(sig)) {
                t.wake();
            }
        }
    }

    /// Moves the signals vm caught from the host into the process's queue (dropping
    /// those the guest discards: ignored and not blocked by `caller`), and routes each to
    /// a thread that can take it.
    pub fn collect_host(&self, caller: &ThreadHandle) {
        for info in crate::signal::host::take_pending() {
            let sig = info.signo();
            if !caller.blocks(sig) && self.action(sig).ignores(sig) {
                continue;
            }
            self.queue().push(info);
            self.route(sig, caller);
        }
    }

    /// Whether every thread is to come back to its process loop: gdb's Ctrl-C waits to
    /// be reported, or a thread dumps core.
    pub fn stop_wanted(&self) -> bool {
        self.debugger_interrupt.load(Ordering::Acquire) || self.core_dump.is_requested()
    }

    pub fn set_leader_status(&self, status: i32) {
        *lock(&self.leader_status) = Some(status);
    }

    pub fn leader_status(&self) -> Option<i32> {
        *lock(&self.leader_status)
    }

    /// Code changed (executable mappings, or code written and flushed): every thread
    /// must drop the translations concerned before it runs guest code again.
    pub fn invalidate_code(&self, change: CodeChange) {
        self.code.record(change);
        for t in self.members() {
            t.interrupt.store(true, Ordering::Release);
        }
    }
}

thread_local! {
    /// The guest thread the calling host thread runs, for the system call layer's checks
    /// of pending signals (`signal::host::interrupting_signal_arrived`).
    static CURRENT: RefCell<Option<(Arc<ThreadGroup>, Arc<ThreadHandle>)>> =
        const { RefCell::new(None) };
}

/// Records that the calling host thread runs `thread` of `group`.
pub fn set_current(group: Arc<ThreadGroup>, thread: Arc<ThreadHandle>) {
    CURRENT.with(|c| *c.borrow_mut() = Some((group, thread)));
}

/// Calls `f` with the calling host thread's guest thread, if it runs one.
pub fn with_current<R>(f: impl FnOnce(&ThreadGroup, &ThreadHandle) -> R) -> Option<R> {
    CURRENT.with(|c| c.borrow().as_ref().map(|(g, t)| f(g, t)))
}

/// The signals pending for the calling thread: its own and its process's.
pub fn current_pending() -> u64 {
    with_current(|g, t| g.pending_bits() | t.pending_bits()).unwrap_or(0)
}

/// Whether gdb's Ctrl-C waits for a thread of the calling thread's process to report
/// it (see [`ThreadGroup::debugger_interrupt`]), or a thread dumps core: either way a
/// blocking call gives up, to be restarted.
pub fn debugger_interrupt_pending() -> bool {
    with_current(|g, _| g.stop_wanted()).unwrap_or(false)
}

/// After a blocking host call of the calling thread was interrupted by a signal it has
/// no use for: hands what vm caught to a thread that takes it.
pub fn pass_on_caught_signals() {
    with_current(|group, thread| group.collect_host(thread));
}

// The return path of a handler installed with a raw `rt_sigaction`: x86-64 Linux needs
// the caller's own restorer, which calls `rt_sigreturn` (15).
std::arch::global_asm!(
    ".globl vm_wake_signal_restorer",
    "vm_wake_signal_restorer:",
    "mov eax, 15",
    "syscall",
);

extern "C" {
    fn vm_wake_signal_restorer();
}

/// The kernel's x86-64 `struct sigaction` (not glibc's).
#[repr(C)]
struct KernelSigaction {
    handler: usize,
    flags: u64,
    restorer: usize,
    mask: u64,
}

/// Installs the handler of [`WAKE_SIGNAL`] (without `SA_RESTART`, so that it interrupts
/// blocking calls): it only abandons a blocking call being entered.
pub fn install_wake_handler() {
    extern "C" fn on_wake(_: libc::c_int, _: *mut libc::siginfo_t, context: *mut libc::c_void) {
        // SAFETY: `context` is the ucontext the kernel passed to this handler.
        unsafe { crate::syscall::abandon_call_being_entered(context) };
    }
    const SA_RESTORER: u64 = 0x0400_0000;
    let act = KernelSigaction {
        handler: on_wake as *const () as usize,
        flags: SA_RESTORER | libc::SA_SIGINFO as u64,
        restorer: vm_wake_signal_restorer as *const () as usize,
        mask: 0,
    };
    // SAFETY: `act` is a valid kernel sigaction whose handler only rewrites its own
    // context (async-signal-safe) and whose restorer returns through `rt_sigreturn`.
    let r = unsafe {
        host_syscall!(
            libc::SYS_rt_sigaction,
            WAKE_SIGNAL,
            &act as *const KernelSigaction,
            std::ptr::null_mut::<KernelSigaction>(),
            8,
        )
    };
    if r != 0 {
        tracing::warn!(
            "cannot install the thread wake-up handler: {}",
            std::io::Error::last_os_error()
        );
    }
}
