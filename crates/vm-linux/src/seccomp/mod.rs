//! Secure computing (`seccomp(2)`, `prctl(PR_SET_SECCOMP)`) for guests, evaluated by vm
//! at the guest system call boundary: guest filters test RISC-V system call numbers
//! and `AUDIT_ARCH_RISCV64`, so the host kernel cannot run them.
//!
//! Invariants:
//! - A thread's seccomp state ([`ThreadSeccomp`]) lives in its `ThreadHandle`, where
//!   `SECCOMP_FILTER_FLAG_TSYNC` from a sibling can replace it. Filters form a tree
//!   shared by `Arc` ([`Filter::prev`]): a thread holds its newest filter, which holds
//!   the older ones, as in Linux; a fork child, a new thread and (through
//!   [`Inherited`]) an exec'd program start with the caller's.
//! - With no mode set, the cost for each system call is one relaxed atomic load
//!   ([`ThreadSeccomp::is_on`]); the state is locked only once it is on.
//! - A filter that runs never fails and always ends ([`bpf::Program`]); every filter of
//!   the thread runs, newest first, and the most restrictive action wins (the newest
//!   filter's data on a tie), as in Linux's `seccomp_run_filters`.
//! - User notification is refused as a kernel without it refuses:
//!   `SECCOMP_FILTER_FLAG_NEW_LISTENER` is an unknown flag (`EINVAL`) and
//!   `SECCOMP_GET_ACTION_AVAIL` reports `SECCOMP_RET_USER_NOTIF` unavailable; a filter
//!   returning it anyway finds no listener (`ENOSYS`, as Linux does then).
//! - `SECCOMP_FILTER_FLAG_SPEC_ALLOW` is accepted and has nothing to change: vm sets no
//!   speculation mitigation for guests that install filters.

pub mod bpf;
#[cfg(test)]
mod tests;

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};

/// `AUDIT_ARCH_RISCV64`: `EM_RISCV | __AUDIT_ARCH_64BIT | __AUDIT_ARCH_LE`.
pub const AUDIT_ARCH_RISCV64: u32 = 0xC000_00F3;

/// Linux's limit on all the instructions a system call may run through, counting 4
/// more for each filter (`MAX_INSNS_PER_PATH`).
pub const MAX_INSNS_PER_PATH: usize = (1 << 18) / 8;

/// Filter return values (`SECCOMP_RET_*`): the action in the high 16 bits, data low.
pub mod ret {
    pub const KILL_PROCESS: u32 = 0x8000_0000;
    pub const KILL_THREAD: u32 = 0x0000_0000;
    pub const TRAP: u32 = 0x0003_0000;
    pub const ERRNO: u32 = 0x0005_0000;
    pub const USER_NOTIF: u32 = 0x7fc0_0000;
    pub const TRACE: u32 = 0x7ff0_0000;
    pub const LOG: u32 = 0x7ffc_0000;
    pub const ALLOW: u32 = 0x7fff_0000;
    pub const ACTION_FULL: u32 = 0xffff_0000;
    pub const DATA: u32 = 0x0000_ffff;
}

/// The largest errno a filter can return (`MAX_ERRNO`).
const MAX_ERRNO: u32 = 4095;

/// One installed filter and, through `prev`, the ones installed before it.
#[derive(Debug)]
pub struct Filter {
    pub prev: Option<Arc<Filter>>,
    pub prog: bpf::Program,
    /// `SECCOMP_FILTER_FLAG_LOG`: actions other than `ALLOW` are logged.
    pub log: bool,
}

impl Filter {
    /// This filter and its ancestors, newest first.
    pub fn chain(self: &Arc<Filter>) -> impl Iterator<Item = &Arc<Filter>> {
        std::iter::successors(Some(self), |f| f.prev.as_ref())
    }

    /// Whether `self` is `other` or one of its ancestors (Linux's `is_ancestor`).
    fn is_ancestor_of(self: &Arc<Filter>, other: &Arc<Filter>) -> bool {
        other.chain().any(|f| Arc::ptr_eq(f, self))
    }
}

/// A thread's seccomp mode (`Seccomp:` in `/proc/PID/status`).
#[derive(Clone, Debug, Default)]
pub enum Mode {
    #[default]
    Disabled,
    /// `SECCOMP_MODE_STRICT`: read, write, exit and rt_sigreturn only.
    Strict,
    /// `SECCOMP_MODE_FILTER`, with the newest filter.
    Filter(Arc<Filter>),
}

impl Mode {
    /// The number `PR_GET_SECCOMP` and `/proc/PID/status` give.
    pub fn number(&self) -> i32 {
        match self {
            Mode::Disabled => 0,
            Mode::Strict => 1,
            Mode::Filter(_) => 2,
        }
    }

    /// How many filters are attached (`Seccomp_filters:`).
    pub fn filter_count(&self) -> usize {
        match self {
            Mode::Filter(f) => f.chain().count(),
            _ => 0,
        }
    }
}

/// A thread's seccomp state, as the thread and its siblings (TSYNC) see it.
#[derive(Debug, Default)]
pub struct ThreadSeccomp {
    /// Whether `mode` is other than `Disabled`, readable without the lock.
    on: AtomicBool,
    state: Mutex<State>,
}

#[derive(Debug, Default)]
struct State {
    mode: Mode,
    /// A sibling's TSYNC asks this thread to set its own no_new_privs (Linux sets it
    /// for each thread it synchronises when the caller has it); the host flag is per
    /// thread, so the thread sets it itself before its next system call.
    set_no_new_privs: bool,
}

impl ThreadSeccomp {
    /// Whether any mode is set: the only check a system call makes otherwise.
    #[inline]
    pub fn is_on(&self) -> bool {
        self.on.load(Ordering::Relaxed)
    }

    pub fn mode(&self) -> Mode {
        crate::thread::lock(&self.state).mode.clone()
    }

    pub fn set_mode(&self, mode: Mode) {
        let mut state = crate::thread::lock(&self.state);
        self.on
            .store(!matches!(mode, Mode::Disabled), Ordering::Release);
        state.mode = mode;
    }

    /// Holds this thread's state across a host `fork`, so that the child (where a
    /// sibling's TSYNC could otherwise have left it locked) reads the mode through
    /// [`ForkHold::mode`].
    pub fn hold_for_fork(&self) -> ForkHold<'_> {
        ForkHold(crate::thread::lock(&self.state))
    }

    /// The mode to check a system call against, after acting on a sibling's request to
    /// set no_new_privs.
    fn mode_for_call(&self) -> Mode {
        let mut state = crate::thread::lock(&self.state);
        if std::mem::take(&mut state.set_no_new_privs) {
            set_no_new_privs();
        }
        state.mode.clone()
    }
}

/// A thread's seccomp state held across a fork ([`ThreadSeccomp::hold_for_fork`]).
pub struct ForkHold<'a>(std::sync::MutexGuard<'a, State>);

impl ForkHold<'_> {
    pub fn mode(&self) -> Mode {
        self.0.mode.clone()
    }
}

/// Sets the calling host thread's no_new_privs.
fn set_no_new_privs() {
    // SAFETY: PR_SET_NO_NEW_PRIVS takes integer arguments only.
    unsafe { host_syscall!(libc::SYS_prctl, libc::PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) };
}

/// Whether the calling host thread has no_new_privs.
pub fn has_no_new_privs() -> bool {
    // SAFETY: PR_GET_NO_NEW_PRIVS takes integer arguments only.
    unsafe { host_syscall!(libc::SYS_prctl, libc::PR_GET_NO_NEW_PRIVS, 0, 0, 0, 0) == 1 }
}

/// Why `SECCOMP_FILTER_FLAG_TSYNC` cannot apply the caller's filters to every thread:
/// this thread has diverged (strict mode, or filters the caller does not have).
pub struct Unsyncable(pub i32);

/// Attaches `filter` (whose `prev` is ignored) on top of the calling thread's filters;
/// with `tsync`, makes the result every thread's. Linux's `seccomp_attach_filter` after
/// the mode check: `ENOMEM` past [`MAX_INSNS_PER_PATH`], or the thread that cannot be
/// synchronised.
pub fn attach(
    caller: &crate::thread::ThreadHandle,
    group: &crate::thread::ThreadGroup,
    prog: bpf::Program,
    log: bool,
    tsync: bool,
) -> Result<(), AttachError> {
    let mut own = crate::thread::lock(&caller.seccomp.state);
    let prev = match &own.mode {
        Mode::Filter(f) => Some(f.clone()),
        Mode::Disabled => None,
        Mode::Strict => return Err(AttachError::Mode),
    };
    let total: usize = prog.insn_count()
        + prev
            .iter()
            .flat_map(|f| f.chain())
            .map(|f| f.prog.insn_count() + 4)
            .sum::<usize>();
    if total > MAX_INSNS_PER_PATH {
        return Err(AttachError::TooLong);
    }
    let others: Vec<_> = if tsync {
        group
            .members()
            .into_iter()
            .filter(|t| t.tid != caller.tid)
            .collect()
    } else {
        Vec::new()
    };
    for t in &others {
        let theirs = crate::thread::lock(&t.seccomp.state);
        let fine = match (&theirs.mode, &prev) {
            (Mode::Disabled, _) => true,
            (Mode::Filter(_), None) => false,
            (Mode::Filter(f), Some(p)) => f.is_ancestor_of(p),
            (Mode::Strict, _) => false,
        };
        if !fine {
            return Err(AttachError::Unsyncable(Unsyncable(t.tid)));
        }
    }
    let filter = Arc::new(Filter { prev, prog, log });
    own.mode = Mode::Filter(filter.clone());
    caller.seccomp.on.store(true, Ordering::Release);
    drop(own);
    let nnp = has_no_new_privs();
    for t in &others {
        let mut theirs = crate::thread::lock(&t.seccomp.state);
        theirs.mode = Mode::Filter(filter.clone());
        theirs.set_no_new_privs |= nnp;
        t.seccomp.on.store(true, Ordering::Release);
    }
    Ok(())
}

/// Why [`attach`] failed.
pub enum AttachError {
    /// The thread is in strict mode (`EINVAL`).
    Mode,
    /// Too many instructions in all (`ENOMEM`).
    TooLong,
    Unsyncable(Unsyncable),
}

/// What a system call's check decided.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Action {
    /// Make the call (`ALLOW`, `LOG`).
    Allow,
    /// Return `-errno` without making it (`ERRNO`; `TRACE` and `USER_NOTIF`, with no
    /// tracer and no listener, are `ENOSYS`).
    Errno(i32),
    /// Raise SIGSYS with this `si_errno`, without making the call (`TRAP`).
    Trap(u16),
    /// Kill the thread with this signal (`KILL_THREAD`, strict mode's SIGKILL); the last
    /// thread's death is the process's.
    KillThread(i32),
    /// Kill the process with SIGSYS (`KILL_PROCESS`).
    KillProcess,
}

/// The system calls strict mode allows (riscv64 numbers: read, write, exit,
/// rt_sigreturn).
const STRICT_ALLOWED: [u64; 4] = [63, 64, 93, 139];

/// A `struct seccomp_data` for system call `nr` with `args`, made at `ip`.
pub fn data(nr: u64, ip: u64, args: [u64; 6]) -> [u8; bpf::DATA_SIZE as usize] {
    let mut d = [0u8; bpf::DATA_SIZE as usize];
    d[0..4].copy_from_slice(&(nr as i32).to_le_bytes());
    d[4..8].copy_from_slice(&AUDIT_ARCH_RISCV64.to_le_bytes());
    d[8..16].copy_from_slice(&ip.to_le_bytes());
    for (i, a) in args.iter().enumerate() {
        d[16 + 8 * i..24 + 8 * i].copy_from_slice(&a.to_le_bytes());
    }
    d
}

/// Runs every filter from `newest` on over `data`: the winning return value (the
/// lowest action as a signed number, as Linux compares them) and the filter it came
/// from.
pub fn run_filters<'a>(
    newest: &'a Arc<Filter>,
    data: &[u8; bpf::DATA_SIZE as usize],
) -> (u32, &'a Arc<Filter>) {
    let mut best = (ret::ALLOW, newest);
    for f in newest.chain() {
        let r = f.prog.run(data);
        if ((r & ret::ACTION_FULL) as i32) < ((best.0 & ret::ACTION_FULL) as i32) {
            best = (r, f);
        }
    }
    best
}

/// Checks system call `nr` with `args`, whose `ecall` is at `pc`, against the calling
/// thread's mode. Call only when [`ThreadSeccomp::is_on`].
pub fn check(seccomp: &ThreadSeccomp, nr: u64, pc: u64, args: [u64; 6]) -> Action {
    match seccomp.mode_for_call() {
        Mode::Disabled => Action::Allow,
        Mode::Strict if STRICT_ALLOWED.contains(&nr) => Action::Allow,
        Mode::Strict => {
            tracing::info!(nr, "seccomp strict mode: system call not allowed; killed");
            Action::KillThread(libc::SIGKILL)
        }
        Mode::Filter(newest) => {
            // As in Linux, the instruction pointer is the one after the `ecall` (the
            // kernel has moved past it when seccomp runs).
            let data = data(nr, pc.wrapping_add(4), args);
            let (value, filter) = run_filters(&newest, &data);
            let action = action_of(value);
            if filter.log && !matches!(action, Action::Allow) || value == ret::LOG {
                tracing::info!(nr, "seccomp: filter returned {value:#x}");
            }
            action
        }
    }
}

/// The action a filter's return value asks for.
pub fn action_of(value: u32) -> Action {
    let data = value & ret::DATA;
    match value & ret::ACTION_FULL {
        ret::ALLOW | ret::LOG => Action::Allow,
        ret::ERRNO => Action::Errno(data.min(MAX_ERRNO) as i32),
        ret::TRAP => Action::Trap(data as u16),
        ret::TRACE | ret::USER_NOTIF => Action::Errno(libc::ENOSYS),
        ret::KILL_THREAD => Action::KillThread(libc::SIGSYS),
        // An unknown action is KILL_PROCESS, as Linux treats it.
        _ => Action::KillProcess,
    }
}

/// The filters an exec'd program keeps, oldest first, as `vm run --seccomp-filter`
/// passes them: `log` as a `l` prefix, then the instructions in hex (16 digits each,
/// the little-endian bytes of a `struct sock_filter`).
pub fn encode_for_exec(mode: &Mode) -> Vec<String> {
    let Mode::Filter(newest) = mode else {
        return Vec::new();
    };
    let mut filters: Vec<_> = newest.chain().collect();
    filters.reverse();
    filters
        .iter()
        .map(|f| {
            let mut s = String::with_capacity(1 + f.prog.insn_count() * 16);
            if f.log {
                s.push('l');
            }
            for insn in f.prog.raw() {
                for b in insn.to_bytes() {
                    s.push_str(&format!("{b:02x}"));
                }
            }
            s
        })
        .collect()
}

/// Parses one [`encode_for_exec`] word into a checked program and its log flag.
pub fn decode_from_exec(word: &str) -> Result<(bpf::Program, bool), String> {
    let (log, hex) = match word.strip_prefix('l') {
        Some(rest) => (true, rest),
        None => (false, word),
    };
    if hex.len() % 16 != 0 || !hex.is_ascii() {
        return Err("not a whole number of 16-digit instructions".into());
    }
    let insns = hex
        .as_bytes()
        .chunks(16)
        .map(|chunk| {
            let mut b = [0u8; 8];
            for (i, byte) in b.iter_mut().enumerate() {
                let digits = std::str::from_utf8(&chunk[2 * i..2 * i + 2]).map_err(|_| ())?;
                *byte = u8::from_str_radix(digits, 16).map_err(|_| ())?;
            }
            Ok(bpf::Insn::from_bytes(b))
        })
        .collect::<Result<Vec<_>, ()>>()
        .map_err(|_| "bad hex digits".to_string())?;
    let prog = bpf::Program::new(insns).map_err(|_| "not a valid seccomp filter".to_string())?;
    Ok((prog, log))
}

/// The mode a program starts with after an exec kept `filters` (oldest first).
pub fn mode_from_filters(filters: Vec<(bpf::Program, bool)>) -> Mode {
    let mut newest: Option<Arc<Filter>> = None;
    for (prog, log) in filters {
        newest = Some(Arc::new(Filter {
            prev: newest,
            prog,
            log,
        }));
    }
    newest.map_or(Mode::Disabled, Mode::Filter)
}
