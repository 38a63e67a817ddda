//! The host side of guest signals: vm catches the signals other processes and the host
//! kernel send it, records them in a table its signal handler can write without locks,
//! and raises the engine's interrupt flag so the guest stops at a safe point.
//!
//! vm's own host state mirrors the guest's where the host kernel acts on it by itself:
//! a signal the guest ignores is ignored by the host too (so nothing is recorded, and an
//! ignored SIGCHLD reaps children automatically, as Linux does for the guest), and the
//! SIGCHLD flags `SA_NOCLDSTOP`/`SA_NOCLDWAIT` are passed on. The guest's blocked mask is
//! not: the host mask stays empty so that a blocking host call is interrupted (`EINTR`)
//! whenever a signal arrives, and the system call layer decides from the guest's mask and
//! dispositions whether the call restarts or fails.
//!
//! Trap signals (SIGSEGV, SIGBUS, SIGILL, SIGFPE, SIGTRAP, SIGSYS) are forwarded only
//! when a process sent them (`si_code` <= 0, e.g. `kill(pid, SIGSEGV)`); one the host
//! kernel raises is a fault of vm itself (the guest's traps are detected by the engine):
//! the handler restores the default action and returns, so the faulting instruction
//! runs again and kills vm as it would have without the handler. Their guest `SIG_IGN`
//! is therefore never mirrored on the host. glibc reserves real-time signals 32 and 33
//! for itself; they are not forwarded.
//!
//! Two host faults are the guest's:
//! - a SIGBUS on guest memory, raised when the guest (or vm on its behalf) touches a page
//!   of a file mapping that lies past the end of the file, which was truncated after it
//!   was mapped. The handler puts a zero page there, so the access completes, and
//!   records the address for the faulting thread; that thread gets SIGBUS (`BUS_ADRERR`,
//!   that `si_addr`) at its next block boundary ([`take_bus_fault`]): its address is
//!   Linux's, its pc is not the faulting instruction's, and the page then reads as zeros.
//! - a SIGSEGV on guest memory, raised on a guest thread whose access passed the
//!   permission check just before another thread unmapped the page (`munmap`, `mremap`
//!   moving it, a `MAP_FIXED` mapping being replaced), so that the host page is
//!   `PROT_NONE` by the time of the access. If the permission table says the page is
//!   unmapped, the handler makes the host page a private zero page (`mprotect` of the
//!   reservation's own inaccessible page, so a mapping made meanwhile is never
//!   replaced), the access completes (a read sees zeros, a write is lost) and the thread
//!   gets SIGSEGV (`SEGV_MAPERR`, that `si_addr`) at its next block boundary
//!   ([`take_raced_fault`]), as the SIGBUS above: imprecise pc, Linux's address. The
//!   process loop then makes the host page inaccessible again unless the guest page was
//!   mapped anew meanwhile (`GuestMemory::seal_unmapped_page`, under the region lock).
//!   If the page was mapped again before the handler looked, the access is simply made
//!   again (a second fault at the same address with no mapping change in between is
//!   vm's own), with SIGSEGV (`SEGV_ACCERR`) if the new mapping refuses it. The same
//!   holds for vm's own copies of guest memory in a system call (Linux's copy would
//!   fail with `EFAULT` instead). A write that raced a read-only shared mapping
//!   replacing the page cannot complete, and still ends vm as any fault of its own does.
//!
//! A signal that arrives while a blocking host call is being entered abandons it (see
//! `syscall::blocking`); the waits that take a signal mask (`rt_sigsuspend`,
//! `rt_sigtimedwait`) block host signals around their check instead ([`wait_for`]).

use super::{bit, code, SigAction, SigInfo, Signals, NSIG, UNBLOCKABLE};
use std::sync::atomic::{AtomicBool, AtomicPtr, AtomicU64, AtomicUsize, Ordering};
use std::sync::Arc;
use vm_memory::{Access, PageAccess};

const WORDS: usize = SigInfo::SIZE / 8;
const _: () = assert!(std::mem::size_of::<libc::siginfo_t>() == SigInfo::SIZE);

/// Host signals caught and not yet collected (bit `n - 1` for signal `n`).
static PENDING: AtomicU64 = AtomicU64::new(0);
/// The siginfo of the latest instance of each caught signal.
static INFOS: [[AtomicU64; WORDS]; NSIG as usize] =
    [const { [const { AtomicU64::new(0) }; WORDS] }; NSIG as usize];
/// Most guest threads whose engines a caught signal interrupts directly; a thread beyond
/// them learns of signals when it next stops.
const MAX_FLAGS: usize = 4096;
/// The interrupt flags of the running engines, one per guest thread (leaked `Arc`s, so
/// a handler never sees one dangle).
static INTERRUPT_FLAGS: [AtomicPtr<AtomicBool>; MAX_FLAGS] =
    [const { AtomicPtr::new(std::ptr::null_mut()) }; MAX_FLAGS];
/// The host address of guest address 0 and of the guest's permission table (see
/// [`watch_guest_memory`]; 0 until then).
static GUEST_BASE: AtomicUsize = AtomicUsize::new(0);
static GUEST_PERMS: AtomicUsize = AtomicUsize::new(0);
static GUEST_CHANGES: AtomicUsize = AtomicUsize::new(0);
thread_local! {
    // `Cell`s with constant initialisers and no destructors, so the signal handler can
    // reach them (each compiles to a plain TLS access).
    /// The guest address of a SIGBUS on guest memory raised in this thread, plus one,
    /// until [`take_bus_fault`] (0: none).
    static BUS_FAULT: std::cell::Cell<u64> = const { std::cell::Cell::new(0) };
    /// The guest address of the first access of this thread that raced an unmap, plus
    /// one, with [`MAPPED_ANEW`] if the page was mapped again by the time the handler
    /// looked, until [`take_raced_fault`] (0: none).
    static RACED_FAULT: std::cell::Cell<u64> = const { std::cell::Cell::new(0) };
    /// The guest address of the latest host SIGSEGV on a mapped page that this thread's
    /// access was made again for, plus one (0: none), and the count of mapping changes
    /// then.
    static RETRIED_FAULT: std::cell::Cell<u64> = const { std::cell::Cell::new(0) };
    static RETRIED_AT_CHANGE: std::cell::Cell<u64> = const { std::cell::Cell::new(0) };
    /// Whether this thread runs guest code (host faults on guest memory may be the
    /// guest's only there).
    static RUNS_GUEST: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}
/// Set once [`install`] has taken over the host's signals: before that (in unit tests,
/// say) guest dispositions are bookkeeping only and the host's are left alone.
static ACTIVE: AtomicBool = AtomicBool::new(false);
/// Whether SIGPIPE was ignored when vm was executed (recorded before Rust's runtime
/// sets it to ignored for itself).
static SIGPIPE_IGNORED_AT_EXEC: AtomicBool = AtomicBool::new(false);

/// Runs from `.init_array`, before Rust's runtime start-up replaces SIGPIPE's
/// disposition, to learn whether the parent left SIGPIPE ignored for the guest.
extern "C" fn record_sigpipe_disposition() {
    // SAFETY: querying a disposition writes only to `old`, a valid sigaction.
    unsafe {
        let mut old: libc::sigaction = std::mem::zeroed();
        if libc::sigaction(libc::SIGPIPE, std::ptr::null(), &mut old) == 0 {
            SIGPIPE_IGNORED_AT_EXEC.store(old.sa_sigaction == libc::SIG_IGN, Ordering::Relaxed);
        }
    }
}

#[used]
#[link_section = ".init_array"]
static RECORD_SIGPIPE: extern "C" fn() = record_sigpipe_disposition;

/// Whether vm forwards host signal `sig` to the guest.
fn forwardable(sig: i32) -> bool {
    !matches!(sig, libc::SIGKILL | libc::SIGSTOP | 32 | 33)
}

/// Whether a host `sig` may be a fault of vm itself (forwarded only when sent).
fn is_trap(sig: i32) -> bool {
    matches!(
        sig,
        libc::SIGSEGV | libc::SIGBUS | libc::SIGILL | libc::SIGFPE | libc::SIGTRAP | libc::SIGSYS
    )
}

extern "C" fn on_host_signal(
    sig: libc::c_int,
    info: *mut libc::siginfo_t,
    context: *mut libc::c_void,
) {
    if !(1..=NSIG).contains(&sig) {
        return;
    }
    // SAFETY: the kernel passes a valid, 8-byte aligned siginfo of `SigInfo::SIZE` bytes.
    let words = unsafe { &*(info as *const [u64; WORDS]) };
    let si_code = (words[1] & 0xffff_ffff) as i32;
    if sig == libc::SIGBUS && si_code > 0 && guest_bus_fault(words[2] as usize) {
        return;
    }
    if sig == libc::SIGSEGV && si_code > 0 {
        // SAFETY: `context` is the ucontext the kernel passed to this handler; for a
        // page fault, `REG_ERR` holds its error code, whose bit 1 says it was a write.
        let err = unsafe { (*context.cast::<libc::ucontext_t>()).uc_mcontext.gregs }
            [libc::REG_ERR as usize];
        let access = if err & 2 != 0 {
            Access::Write
        } else {
            Access::Read
        };
        if guest_segv_fault(words[2] as usize, access) {
            return;
        }
    }
    if is_trap(sig) && si_code > 0 {
        // A fault of vm itself: let it take its default course when the instruction
        // runs again.
        set_host_disposition(sig, libc::SIG_DFL);
        return;
    }
    for (slot, w) in INFOS[sig as usize - 1].iter().zip(words) {
        slot.store(*w, Ordering::Relaxed);
    }
    PENDING.fetch_or(bit(sig), Ordering::Release);
    raise_interrupt();
    // SAFETY: `context` is the ucontext the kernel passed to this handler.
    unsafe { crate::syscall::abandon_call_being_entered(context) };
}

/// Raises the interrupt flag of every running engine.
fn raise_interrupt() {
    for slot in &INTERRUPT_FLAGS {
        let flag = slot.load(Ordering::Acquire);
        if !flag.is_null() {
            // SAFETY: the pointer comes from a leaked `Arc`, so it is valid forever.
            unsafe { (*flag).store(true, Ordering::Relaxed) };
        }
    }
}

/// Starts a host thread of vm's own (a service, not a guest thread) with every signal
/// blocked: it is started with all blocked, so no signal meant for the guest lands on it
/// before it could block them itself.
pub fn spawn_with_signals_blocked<T: Send + 'static>(
    name: &str,
    stack_size: usize,
    f: impl FnOnce() -> T + Send + 'static,
) -> std::io::Result<std::thread::JoinHandle<T>> {
    let all: u64 = !0;
    let mut old: u64 = 0;
    // SAFETY: the masks are 8-byte kernel sigsets.
    unsafe {
        host_syscall!(
            libc::SYS_rt_sigprocmask,
            libc::SIG_SETMASK,
            &all,
            &mut old,
            8,
        )
    };
    let spawned = std::thread::Builder::new()
        .name(name.into())
        .stack_size(stack_size)
        .spawn(f);
    // SAFETY: as above.
    unsafe {
        host_syscall!(
            libc::SYS_rt_sigprocmask,
            libc::SIG_SETMASK,
            &old,
            std::ptr::null_mut::<u64>(),
            8,
        )
    };
    spawned
}

/// Blocks every host signal on the calling host thread, for good: for a host thread that
/// no longer runs a guest thread but must stay (the first one, whose guest thread exited
/// while others run on). The kernel gives a process-directed signal to any thread that
/// does not block it; one taken here would interrupt none of the guest's blocking calls.
pub fn stop_taking_signals() {
    let all: u64 = !0;
    // SAFETY: the mask is an 8-byte kernel sigset; no old mask is asked for.
    unsafe {
        host_syscall!(
            libc::SYS_rt_sigprocmask,
            libc::SIG_SETMASK,
            &all,
            std::ptr::null_mut::<u64>(),
            8,
        )
    };
}

/// Makes caught host signals raise `flag` (a guest thread's engine interrupt flag) too;
/// returns the slot to pass to [`unwatch_interrupt`] when the thread ends.
pub fn watch_interrupt(flag: &Arc<AtomicBool>) -> Option<usize> {
    let raw = Arc::into_raw(flag.clone()) as *mut AtomicBool;
    for (i, slot) in INTERRUPT_FLAGS.iter().enumerate() {
        if slot
            .compare_exchange(
                std::ptr::null_mut(),
                raw,
                Ordering::AcqRel,
                Ordering::Relaxed,
            )
            .is_ok()
        {
            return Some(i);
        }
    }
    // SAFETY: `raw` came from `Arc::into_raw` just above and was published nowhere.
    unsafe { drop(Arc::from_raw(raw)) };
    None
}

/// Stops raising the flag in `slot`. The flag itself stays allocated (leaked): a handler
/// running concurrently may still be using it.
pub fn unwatch_interrupt(slot: usize) {
    INTERRUPT_FLAGS[slot].store(std::ptr::null_mut(), Ordering::Release);
}

/// Where guest memory lies, as [`watch_guest_memory`] recorded it.
fn guest_memory() -> vm_memory::FaultView {
    vm_memory::FaultView {
        base: GUEST_BASE.load(Ordering::Relaxed),
        perms: GUEST_PERMS.load(Ordering::Relaxed),
        changes: GUEST_CHANGES.load(Ordering::Relaxed),
    }
}

/// Handles a host SIGBUS at `host_addr` if it lies in guest memory (see the module
/// comment); false if it does not, or the page cannot be replaced.
fn guest_bus_fault(host_addr: usize) -> bool {
    let Some(offset) = guest_memory().guest_addr(host_addr) else {
        return false;
    };
    let page = host_addr & !(vm_memory::PAGE_SIZE as usize - 1);
    let flags = libc::MAP_PRIVATE | libc::MAP_ANONYMOUS | libc::MAP_FIXED | libc::MAP_NORESERVE;
    // SAFETY: the page lies inside the guest reservation, which vm owns and maps nothing
    // else into; a fresh zero page in place of the file page beyond its end is what a
    // read of it is made to return. mmap is async-signal-safe.
    let p = unsafe {
        libc::mmap(
            page as *mut libc::c_void,
            vm_memory::PAGE_SIZE as usize,
            libc::PROT_READ | libc::PROT_WRITE,
            flags,
            -1,
            0,
        )
    };
    if p == libc::MAP_FAILED {
        return false;
    }
    BUS_FAULT.with(|f| f.set(offset + 1));
    raise_interrupt();
    true
}

/// Handles a host SIGSEGV of an `access` at `host_addr` if it is a guest thread's access
/// that raced an unmap (see the module comment); false if it is vm's own fault.
fn guest_segv_fault(host_addr: usize, access: Access) -> bool {
    if !RUNS_GUEST.with(|g| g.get()) {
        return false;
    }
    let view = guest_memory();
    let Some(addr) = view.guest_addr(host_addr) else {
        return false;
    };
    // SAFETY: the view was recorded from the process's guest memory, which lives as
    // long as the process, and `addr` lies in the guest space.
    let state = unsafe { view.page_access(addr, access) };
    if state == PageAccess::Unmapped {
        let page = host_addr & !(vm_memory::PAGE_SIZE as usize - 1);
        // SAFETY: the page lies in the guest reservation, which vm owns; an unmapped
        // guest page's host page is the reservation's own inaccessible anonymous page,
        // which becomes a private zero page. A page mapped meanwhile is read-write
        // already (or refuses, and nothing changes); a hole fails. mprotect is
        // async-signal-safe.
        let made = unsafe {
            libc::mprotect(
                page as *mut libc::c_void,
                vm_memory::PAGE_SIZE as usize,
                libc::PROT_READ | libc::PROT_WRITE,
            )
        } == 0;
        if !made {
            return false;
        }
        record_raced_fault(addr + 1);
    } else {
        // Mapped again since the access faulted: make the access again, unless it
        // faulted here already with no mapping change since (then it is vm's own).
        // SAFETY: as above.
        let changes = unsafe { view.mapping_changes() };
        let last = RETRIED_FAULT.with(|f| f.replace(addr + 1));
        let last_changes = RETRIED_AT_CHANGE.with(|c| c.replace(changes));
        if last == addr + 1 && last_changes == changes {
            return false;
        }
        if state == PageAccess::Refused {
            record_raced_fault((addr + 1) | MAPPED_ANEW);
        }
    }
    raise_interrupt();
    true
}

/// In [`RACED_FAULT`]: the page was mapped again, without the access's permission,
/// before the handler looked (guest addresses are below 2^38).
const MAPPED_ANEW: u64 = 1 << 63;

/// Records a raced access for [`take_raced_fault`], unless one is recorded already: the
/// thread takes the first fault's signal, and the host page of a later one (another
/// page, before the same block boundary) stays a zero page until it is mapped anew,
/// which only costs memory, as the permission table keeps guest accesses out of it.
fn record_raced_fault(value: u64) {
    RACED_FAULT.with(|f| {
        if f.get() == 0 {
            f.set(value);
        }
    });
}

/// Where guest memory lies in the host's address space, so that a host SIGBUS or
/// SIGSEGV there is recognised as the guest's.
pub fn watch_guest_memory(view: vm_memory::FaultView) {
    GUEST_BASE.store(view.base, Ordering::Relaxed);
    GUEST_PERMS.store(view.perms, Ordering::Relaxed);
    GUEST_CHANGES.store(view.changes, Ordering::Relaxed);
}

/// Marks the calling thread as one that runs guest code, whose host faults on unmapped
/// guest pages are the guest's.
pub fn runs_guest() {
    RUNS_GUEST.with(|g| g.set(true));
}

/// The first access of the calling thread that raced an unmap since the last call, if
/// any: its guest address and the SIGSEGV `si_code` Linux gives it (`SEGV_MAPERR`, or
/// `SEGV_ACCERR` if the page was mapped anew without the access's permission before
/// the handler looked). The process loop calls it at every stop (the handler raises
/// the interrupt, so the thread stops at its next block boundary).
pub fn take_raced_fault() -> Option<(u64, i32)> {
    match RACED_FAULT.with(|f| f.replace(0)) {
        0 => None,
        v if v & MAPPED_ANEW != 0 => Some(((v & !MAPPED_ANEW) - 1, code::SEGV_ACCERR)),
        v => Some((v - 1, code::SEGV_MAPERR)),
    }
}

/// The guest address of a SIGBUS on guest memory that the calling thread raised since
/// the last call, if any.
pub fn take_bus_fault() -> Option<u64> {
    match BUS_FAULT.with(|f| f.replace(0)) {
        0 => None,
        addr => Some(addr - 1),
    }
}

/// Installs vm's forwarding handler for `sig` with extra host `sa_flags`.
fn forward(sig: i32, extra_flags: i32) {
    // SAFETY: `on_host_signal` only stores to atomics (async-signal-safe); all signals
    // are blocked while it runs, so its slot writes never interleave.
    unsafe {
        let mut act: libc::sigaction = std::mem::zeroed();
        act.sa_sigaction = on_host_signal as *const () as usize;
        act.sa_flags = libc::SA_SIGINFO | extra_flags;
        libc::sigfillset(&mut act.sa_mask);
        libc::sigaction(sig, &act, std::ptr::null_mut());
    }
}

/// Sets the host disposition of `sig` to `SIG_IGN` or `SIG_DFL`.
fn set_host_disposition(sig: i32, disposition: libc::sighandler_t) {
    // SAFETY: plain disposition change to a constant handler.
    unsafe {
        let mut act: libc::sigaction = std::mem::zeroed();
        act.sa_sigaction = disposition;
        libc::sigemptyset(&mut act.sa_mask);
        libc::sigaction(sig, &act, std::ptr::null_mut());
    }
}

/// Mirrors the guest's disposition of `sig` on the host (see the module comment).
pub fn sync_disposition(sig: i32, action: &SigAction) {
    if !forwardable(sig) || !ACTIVE.load(Ordering::Acquire) {
        return;
    }
    if action.handler == SigAction::SIG_IGN && !is_trap(sig) {
        set_host_disposition(sig, libc::SIG_IGN);
        return;
    }
    let mut flags = 0;
    if sig == libc::SIGCHLD {
        if action.flags & super::sa::NOCLDSTOP != 0 {
            flags |= libc::SA_NOCLDSTOP;
        }
        if action.flags & super::sa::NOCLDWAIT != 0 {
            flags |= libc::SA_NOCLDWAIT;
        }
    }
    forward(sig, flags);
}

/// Takes over the host signals for a guest about to run: the guest inherits the
/// dispositions that survive `execve` (ignored stays ignored) and the blocked mask, and
/// vm catches everything else it forwards. The main thread's interrupt flag is raised on
/// every caught signal (see [`watch_interrupt`] for the others).
pub fn install(signals: &mut Signals) {
    watch_interrupt(&signals.thread.interrupt);
    crate::thread::install_wake_handler();
    ACTIVE.store(true, Ordering::Release);
    for sig in (1..=NSIG).filter(|&s| forwardable(s)) {
        let ignored = if sig == libc::SIGPIPE {
            SIGPIPE_IGNORED_AT_EXEC.load(Ordering::Relaxed)
        } else {
            // SAFETY: querying a disposition writes only to `old`.
            unsafe {
                let mut old: libc::sigaction = std::mem::zeroed();
                libc::sigaction(sig, std::ptr::null(), &mut old) == 0
                    && old.sa_sigaction == libc::SIG_IGN
            }
        };
        if ignored {
            let mut action = signals.action(sig);
            action.handler = SigAction::SIG_IGN;
            signals.set_action(sig, action);
        }
        sync_disposition(sig, &signals.action(sig));
    }
    // SAFETY: `empty` and `old` are valid sigsets; the new mask is empty.
    let inherited = unsafe {
        let mut empty: libc::sigset_t = std::mem::zeroed();
        let mut old: libc::sigset_t = std::mem::zeroed();
        libc::sigemptyset(&mut empty);
        libc::sigprocmask(libc::SIG_SETMASK, &empty, &mut old);
        (1..=NSIG)
            .filter(|&s| libc::sigismember(&old, s) == 1)
            .fold(0u64, |m, s| m | bit(s))
    };
    signals.blocked = inherited & !UNBLOCKABLE;
    signals.publish();
}

/// Before a host exec, with the host's mask the guest's: the guest's pending signals
/// that it blocks become the calling host thread's, which the exec keeps pending, as
/// Linux keeps them across `execve`, and a fresh VM takes back as its guest's when it
/// starts ([`install`]). The process's own go to this thread too: vm's other host
/// threads block nothing, and one of them would take a process-directed signal at
/// once, with the default action the exec set up. Not the signals vm does not forward,
/// nor a trap signal the kernel raised (the host handler would take it for vm's own
/// fault). Returns the set queued, for [`unqueue_after_failed_exec`].
pub fn requeue_for_exec(signals: &Signals) -> u64 {
    let pid = std::process::id() as i32;
    // SAFETY: no arguments.
    let tid = unsafe { host_syscall!(libc::SYS_gettid) };
    let own = signals.thread.queue().infos();
    let shared = signals.group.queue().infos();
    let mut queued = 0;
    for info in own.into_iter().chain(shared) {
        let sig = info.signo();
        if !forwardable(sig) || !signals.is_blocked(sig) || (is_trap(sig) && info.code() > 0) {
            continue;
        }
        let mut host = info.0;
        let p = host.as_mut_ptr();
        // SAFETY: `p` is a 128-byte siginfo (the same layout on both), sent to this very
        // thread, which may give any `si_code`.
        let r = unsafe { host_syscall!(libc::SYS_rt_tgsigqueueinfo, pid, tid, sig, p) };
        if r == 0 {
            queued |= bit(sig);
        }
    }
    queued
}

/// After a host exec failed: takes back from the host the signals
/// [`requeue_for_exec`] queued (still blocked there), which the guest still has.
pub fn unqueue_after_failed_exec(set: u64) {
    if set == 0 {
        return;
    }
    let zero = libc::timespec {
        tv_sec: 0,
        tv_nsec: 0,
    };
    let mut info = [0u8; SigInfo::SIZE];
    // SAFETY: `set` is an 8-byte kernel sigset, `info` a siginfo buffer, `zero` a
    // timespec: the call dequeues one pending signal of `set` without waiting.
    while unsafe {
        host_syscall!(
            libc::SYS_rt_sigtimedwait,
            &set as *const u64,
            info.as_mut_ptr(),
            &zero as *const libc::timespec,
            8
        )
    } > 0
    {}
}

/// In a child after `fork`: signals pending in the parent are not the child's.
pub fn clear_after_fork() {
    PENDING.store(0, Ordering::Release);
}

/// Takes the caught host signals recorded since the last call.
pub fn take_pending() -> Vec<SigInfo> {
    let mut out = Vec::new();
    let mut set = PENDING.load(Ordering::Acquire);
    while set != 0 {
        let sig = set.trailing_zeros() as i32 + 1;
        set &= !bit(sig);
        // Clear first: an instance arriving while the slot is read rewrites the slot
        // and sets the bit again, so nothing is lost (a standard signal coalesces).
        if PENDING.fetch_and(!bit(sig), Ordering::AcqRel) & bit(sig) == 0 {
            continue;
        }
        let mut info = SigInfo([0; SigInfo::SIZE]);
        for (i, slot) in INFOS[sig as usize - 1].iter().enumerate() {
            info.0[i * 8..i * 8 + 8].copy_from_slice(&slot.load(Ordering::Relaxed).to_le_bytes());
        }
        out.push(info);
    }
    out
}

/// Whether a signal that should interrupt the calling thread's blocking system call has
/// arrived: caught from the host, or queued for its process or for it by a sibling; or
/// gdb's Ctrl-C waits to be reported, or a sibling dumps core.
pub fn interrupting_signal_arrived() -> bool {
    let caught = PENDING.load(Ordering::Acquire);
    crate::thread::with_current(|group, thread| {
        (caught | group.pending_bits() | thread.pending_bits()) & thread.interrupting() != 0
            || group.stop_wanted()
    })
    .unwrap_or(caught != 0)
}

/// How [`wait_for`] ended.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum WaitEnd {
    /// A signal in the wake set has arrived.
    Signal,
    /// The timeout expired.
    Timeout,
}

/// Sleeps until a host signal in `wake` is caught or `timeout` (relative) expires,
/// without the race of checking and then sleeping: host signals are blocked while the
/// pending set is checked, and `ppoll` unblocks them atomically as it starts waiting.
pub fn wait_for(wake: u64, timeout: Option<libc::timespec>) -> WaitEnd {
    // A deadline past what `Instant` can hold is never.
    let deadline = timeout.and_then(|t| {
        std::time::Instant::now().checked_add(std::time::Duration::new(
            t.tv_sec.max(0) as u64,
            t.tv_nsec.clamp(0, 999_999_999) as u32,
        ))
    });
    loop {
        // Raw calls: glibc's would leave vm's wake-up signal out of the mask.
        let all: u64 = !0;
        let empty: u64 = 0;
        let mut old: u64 = 0;
        // SAFETY: the masks are 8-byte kernel sigsets; `ppoll` with no descriptors only
        // sleeps, with every signal unblocked while it does.
        let arrived = unsafe {
            host_syscall!(libc::SYS_rt_sigprocmask, libc::SIG_BLOCK, &all, &mut old, 8);
            let arrived = arrived(wake);
            if !arrived {
                let left = deadline.map(|d| {
                    let left = d.saturating_duration_since(std::time::Instant::now());
                    libc::timespec {
                        tv_sec: left.as_secs() as libc::time_t,
                        tv_nsec: left.subsec_nanos() as libc::c_long,
                    }
                });
                let ts = left.as_ref().map_or(std::ptr::null(), |t| t as *const _);
                host_syscall!(
                    libc::SYS_ppoll,
                    std::ptr::null_mut::<libc::pollfd>(),
                    0,
                    ts,
                    &empty,
                    8,
                );
            }
            host_syscall!(
                libc::SYS_rt_sigprocmask,
                libc::SIG_SETMASK,
                &old,
                std::ptr::null_mut::<u64>(),
                8,
            );
            arrived || self::arrived(wake)
        };
        if arrived {
            return WaitEnd::Signal;
        }
        // A signal this wait is not for may have been caught on this thread (the host
        // kernel gives a process's signal to any thread not blocking it, and this one
        // blocked none while it slept, or another thread was between its check and its
        // sleep): hand it on to a guest thread that takes it, which may sleep here too.
        crate::thread::pass_on_caught_signals();
        if self::arrived(wake) {
            return WaitEnd::Signal;
        }
        if deadline.is_some_and(|d| std::time::Instant::now() >= d) {
            return WaitEnd::Timeout;
        }
    }
}

/// Whether a signal of `wake` is pending for the calling thread: caught from the host,
/// or queued for its process or for it; or gdb's Ctrl-C waits to be reported.
fn arrived(wake: u64) -> bool {
    (PENDING.load(Ordering::Acquire) | crate::thread::current_pending()) & wake != 0
        || crate::thread::debugger_interrupt_pending()
}

/// Stops vm as the default action of a stop signal (the parent sees the guest's
/// signal number) and returns when it is continued.
pub fn stop_self(sig: i32) {
    if !ACTIVE.load(Ordering::Acquire) {
        return;
    }
    // SAFETY: plain signal calls; the forwarding handler is restored afterwards.
    unsafe {
        if sig == libc::SIGSTOP {
            libc::kill(libc::getpid(), libc::SIGSTOP);
            return;
        }
        set_host_disposition(sig, libc::SIG_DFL);
        libc::raise(sig);
    }
    forward(sig, 0);
}
