//! Blocking host system calls that a signal interrupts without a race.
//!
//! A host signal that arrives while vm is blocked in a host call interrupts it (`EINTR`),
//! and the system call layer then looks at what the guest does with the signal. One that
//! arrives after vm has decided to make the call but before the call starts would
//! otherwise be seen only when the call ends, which may be never (a read from an empty
//! pipe that the signal's handler was meant to end). The window is closed as qemu-user
//! closes it:
//! - every caught signal, and every wake-up of a thread by a sibling, raises the thread's
//!   interrupt flag ([`crate::signal::host`], [`crate::thread::ThreadHandle::wake`]);
//! - the call is made by [`vm_blocking_syscall`], a few instructions of assembly that
//!   test the flag and then execute `syscall`;
//! - a signal handler that finds the interrupted pc between that test and the `syscall`
//!   instruction ([`abandon_call_being_entered`]) moves it to a return of `-EINTR`, so
//!   the call is never entered.
//!
//! A signal before the test is seen by the test; one during the call ends it with
//! `EINTR`. A signal sent to another thread reaches this one as a wake-up if it is this
//! thread's to take.

use super::{host, Errno, SysResult, ERESTARTNOHAND, ERESTARTSYS};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

// vm_blocking_syscall(flag, nr, a0, a1, a2, a3, a4, a5) under the SysV convention:
// rdi = flag, rsi = nr, rdx, rcx, r8, r9 = a0..a3, a4 and a5 on the stack. The kernel
// takes rax = nr, rdi, rsi, rdx, r10, r8, r9 = a0..a5 and clobbers rcx and r11.
std::arch::global_asm!(
    ".pushsection .text.vm_blocking_syscall,\"ax\",@progbits",
    ".globl vm_blocking_syscall",
    ".type vm_blocking_syscall,@function",
    "vm_blocking_syscall:",
    "mov rax, rsi",
    "mov r11, rdi",
    "mov rdi, rdx",
    "mov rsi, rcx",
    "mov rdx, r8",
    "mov r10, r9",
    "mov r8, [rsp + 8]",
    "mov r9, [rsp + 16]",
    ".globl vm_blocking_syscall_window_start",
    "vm_blocking_syscall_window_start:",
    "cmp byte ptr [r11], 0",
    "jne vm_blocking_syscall_abandoned",
    "syscall",
    ".globl vm_blocking_syscall_window_end",
    "vm_blocking_syscall_window_end:",
    "ret",
    ".globl vm_blocking_syscall_abandoned",
    "vm_blocking_syscall_abandoned:",
    "mov rax, -4",
    "ret",
    ".size vm_blocking_syscall, . - vm_blocking_syscall",
    ".popsection",
);

extern "C" {
    /// Makes host system call `nr` unless `*flag` is set; returns the kernel's result
    /// (`-errno` on failure), or `-EINTR` if the flag was set or a signal came before
    /// the call started.
    fn vm_blocking_syscall(
        flag: *const AtomicBool,
        nr: libc::c_long,
        a0: usize,
        a1: usize,
        a2: usize,
        a3: usize,
        a4: usize,
        a5: usize,
    ) -> libc::c_long;
    fn vm_blocking_syscall_window_start();
    fn vm_blocking_syscall_window_end();
    fn vm_blocking_syscall_abandoned();
}

/// Called by vm's host signal handlers with their `ucontext`: if the signal interrupted
/// [`vm_blocking_syscall`] after its flag test and before its `syscall`, the call is
/// abandoned with `-EINTR` when the handler returns.
///
/// # Safety
/// `context` must be the `ucontext_t` the kernel passed to a signal handler.
pub unsafe fn abandon_call_being_entered(context: *mut libc::c_void) {
    let pc = &mut (*context.cast::<libc::ucontext_t>()).uc_mcontext.gregs[libc::REG_RIP as usize];
    let start = vm_blocking_syscall_window_start as *const () as usize;
    let end = vm_blocking_syscall_window_end as *const () as usize;
    if (start..end).contains(&(*pc as usize)) {
        *pc = vm_blocking_syscall_abandoned as *const () as usize as i64;
    }
}

/// A host system call's number and arguments, made by [`restarting`] or
/// [`interruptible`].
pub struct HostCall {
    nr: libc::c_long,
    args: [usize; 6],
    /// A relative timeout the host reads and never updates (`semtimedop`, `FUTEX_WAIT`):
    /// a call made again is given what is left of it, as Linux's call, which a signal
    /// it ignores never interrupts, ends when the first timeout would.
    relative_timeout: Option<*mut libc::timespec>,
}

impl HostCall {
    /// # Safety
    /// Every pointer among `args` must be valid for what call `nr` does with it, for as
    /// long as the call may run (it may be made more than once).
    pub unsafe fn new(nr: libc::c_long, args: &[usize]) -> HostCall {
        let mut all = [0; 6];
        all[..args.len()].copy_from_slice(args);
        HostCall {
            nr,
            args: all,
            relative_timeout: None,
        }
    }

    /// Says that `timeout`, among the arguments, is a relative timeout the host does not
    /// update: a call made again gets what is left of it.
    ///
    /// # Safety
    /// `timeout` must be null or valid for reads and writes for as long as the call may
    /// run, and written by nothing else meanwhile.
    pub unsafe fn with_relative_timeout(mut self, timeout: *mut libc::timespec) -> HostCall {
        self.relative_timeout = (!timeout.is_null()).then_some(timeout);
        self
    }

    /// Makes the call now, for a call that does not block (a futex wake).
    pub fn run(&self) -> SysResult {
        host(self.make(&NO_FLAG))
    }

    /// Makes the call unless `flag` is raised (then `-1` and `EINTR`).
    fn make(&self, flag: &AtomicBool) -> libc::c_long {
        let [a0, a1, a2, a3, a4, a5] = self.args;
        // SAFETY: `HostCall::new`'s contract makes the arguments valid for the call;
        // `flag` outlives it.
        let r = unsafe { vm_blocking_syscall(flag, self.nr, a0, a1, a2, a3, a4, a5) };
        if (-4095..0).contains(&r) {
            // SAFETY: errno is the calling thread's own.
            unsafe { *libc::__errno_location() = -r as i32 };
            -1
        } else {
            r
        }
    }
}

/// Builds a [`HostCall`] from a system call number and up to six arguments, each cast to
/// `usize` (pointers and integers alike). Unsafe as [`HostCall::new`] is.
macro_rules! host_call {
    ($nr:expr $(, $arg:expr)* $(,)?) => {
        $crate::syscall::blocking::HostCall::new($nr, &[$($arg as usize),*])
    };
}
pub(crate) use host_call;

/// Runs a blocking host call that Linux restarts after a handler with `SA_RESTART`: a
/// host signal the guest has no use for (ignored, blocked) restarts it at once; one that
/// it handles or that stops or kills it ends the call with `ERESTARTSYS`.
pub fn restarting(call: HostCall) -> SysResult {
    repeat(call, ERESTARTSYS)
}

/// Like [`restarting`] for the calls Linux never restarts after a handler (`EINTR`):
/// waits with a timeout, `ppoll`, `pselect6`.
pub fn interruptible(call: HostCall) -> SysResult {
    repeat(call, ERESTARTNOHAND)
}

fn repeat(call: HostCall, restart: i32) -> SysResult {
    let deadline = call.relative_timeout.map(|t| {
        // SAFETY: `with_relative_timeout`'s contract.
        let t = unsafe { *t };
        monotonic_ns().saturating_add(timespec_ns(&t))
    });
    loop {
        match attempt(&call) {
            Attempt::Done(r) => return r,
            Attempt::Interrupted => return Err(Errno(restart)),
            Attempt::Again => {}
        }
        if let (Some(t), Some(deadline)) = (call.relative_timeout, deadline) {
            let left = deadline.saturating_sub(monotonic_ns());
            // SAFETY: `with_relative_timeout`'s contract.
            unsafe {
                *t = libc::timespec {
                    tv_sec: (left / 1_000_000_000) as libc::time_t,
                    tv_nsec: (left % 1_000_000_000) as libc::c_long,
                }
            };
        }
    }
}

/// Nanoseconds of a non-negative `timespec` (a negative one counts as 0: the host
/// refuses it before waiting, so it is never made again).
fn timespec_ns(t: &libc::timespec) -> u64 {
    (t.tv_sec.max(0) as u64)
        .saturating_mul(1_000_000_000)
        .saturating_add(t.tv_nsec.max(0) as u64)
}

/// The host's `CLOCK_MONOTONIC`, in nanoseconds.
fn monotonic_ns() -> u64 {
    let mut t = libc::timespec {
        tv_sec: 0,
        tv_nsec: 0,
    };
    // SAFETY: `t` is a writable timespec.
    unsafe { libc::clock_gettime(libc::CLOCK_MONOTONIC, &mut t) };
    timespec_ns(&t)
}

/// How one [`attempt`] at a blocking call ended.
#[derive(Debug, PartialEq, Eq)]
pub enum Attempt {
    /// The call returned, or failed other than by a signal.
    Done(SysResult),
    /// A signal that interrupts the thread's system calls arrived before or during the
    /// call.
    Interrupted,
    /// A signal the thread has no use for interrupted the call (it was handed to a
    /// thread that takes it): make the call again.
    Again,
}

/// The flag of a thread that runs no guest thread (unit tests): never raised, so only a
/// signal during the call itself interrupts it.
static NO_FLAG: AtomicBool = AtomicBool::new(false);

/// Makes a blocking host call once, unless a signal that interrupts the calling guest
/// thread's system calls has arrived (see the module comment).
pub fn attempt(call: &HostCall) -> Attempt {
    let flag: Option<Arc<AtomicBool>> =
        crate::thread::with_current(|_, thread| thread.interrupt.clone());
    let flag = flag.as_deref().unwrap_or(&NO_FLAG);
    // Lowered before looking, so that a signal from here on raises it again and the call
    // is not entered. The process loop looks at every signal after the system call, so
    // the engine needs the flag no longer.
    flag.store(false, Ordering::SeqCst);
    crate::thread::pass_on_caught_signals();
    if crate::signal::host::interrupting_signal_arrived() {
        return Attempt::Interrupted;
    }
    match host(call.make(flag)) {
        Err(Errno(libc::EINTR)) if crate::signal::host::interrupting_signal_arrived() => {
            Attempt::Interrupted
        }
        Err(Errno(libc::EINTR)) => Attempt::Again,
        r => Attempt::Done(r),
    }
}
