//! Clocks, sleeping and POSIX timers: `clock_gettime`, `clock_getres`, `gettimeofday`,
//! `clock_settime`, `settimeofday`, `nanosleep`, `clock_nanosleep`, `timer_create` and
//! the other `timer_*` calls (whose timers live in [`crate::timers`]), and the kernel
//! clock's discipline: `adjtimex`, `clock_adjtime` (`struct timex`, 208 bytes, has the
//! same layout on both).
//!
//! Clock ids (including the negative per-process and per-thread CPU clock ids) pass
//! through: the guest process is the host process. A sleep interrupted by a host signal
//! the guest has no use for continues for the remaining time; one the guest handles ends
//! it with `EINTR` and the remaining time in `rem` (relative sleeps), as on Linux. A
//! relative sleep interrupted otherwise (a stop signal, gdb's Ctrl-C) goes on through
//! `restart_syscall` until its original deadline, as Linux's restart block makes it: a
//! process stopped past that deadline wakes as soon as it is continued.

use super::abi::{read_itimerspec, read_timespec, write_itimerspec, write_timespec};
use super::blocking::{attempt, Attempt};
use super::{host, host_call, Errno, SysResult, ERESTARTNOHAND, ERESTART_RESTARTBLOCK};
use crate::state::ProcessState;
use crate::timers::{notify, Notify};
use vm_ir::GuestAddr;
use vm_memory::GuestMemory;

const ZERO: libc::timespec = libc::timespec {
    tv_sec: 0,
    tv_nsec: 0,
};

pub fn clock_gettime(mem: &GuestMemory, clock: i32, tp: GuestAddr) -> SysResult {
    let mut ts = ZERO;
    // SAFETY: `ts` is a host `struct timespec`.
    host(unsafe { host_syscall!(libc::SYS_clock_gettime, clock, &mut ts) })?;
    write_timespec(mem, tp, ts.tv_sec, ts.tv_nsec)
}

pub fn clock_getres(mem: &GuestMemory, clock: i32, res: GuestAddr) -> SysResult {
    let mut ts = ZERO;
    // SAFETY: `ts` is a host `struct timespec`.
    host(unsafe { host_syscall!(libc::SYS_clock_getres, clock, &mut ts) })?;
    if res != 0 {
        write_timespec(mem, res, ts.tv_sec, ts.tv_nsec)?;
    }
    Ok(0)
}

pub fn gettimeofday(mem: &GuestMemory, tv: GuestAddr, tz: GuestAddr) -> SysResult {
    let mut t = libc::timeval {
        tv_sec: 0,
        tv_usec: 0,
    };
    let mut zone = [0i32; 2];
    // SAFETY: `t` is a host `struct timeval`, `zone` a host `struct timezone`.
    host(unsafe { host_syscall!(libc::SYS_gettimeofday, &mut t, zone.as_mut_ptr()) })?;
    if tv != 0 {
        write_timespec(mem, tv, t.tv_sec, t.tv_usec)?;
    }
    if tz != 0 {
        let mut b = [0u8; 8];
        b[..4].copy_from_slice(&zone[0].to_le_bytes());
        b[4..].copy_from_slice(&zone[1].to_le_bytes());
        mem.write(tz, b)?;
    }
    Ok(0)
}

/// `clock_settime`: the host clock is the guest's, so setting it needs the privilege
/// Linux asks for, and changes the machine's time as it would.
pub fn clock_settime(mem: &GuestMemory, clock: i32, tp: GuestAddr) -> SysResult {
    let ts = read_timespec(mem, tp)?;
    // SAFETY: `ts` is a host `struct timespec`.
    host(unsafe { host_syscall!(libc::SYS_clock_settime, clock, &ts) })
}

/// `settimeofday(tv, tz)`: either may be null; both are read before anything is set.
pub fn settimeofday(mem: &GuestMemory, tv: GuestAddr, tz: GuestAddr) -> SysResult {
    let time = if tv != 0 {
        Some(read_timespec(mem, tv)?)
    } else {
        None
    };
    let zone: Option<[u8; 8]> = if tz != 0 { Some(mem.read(tz)?) } else { None };
    let tv_ptr = time
        .as_ref()
        .map_or(std::ptr::null(), |t| t as *const libc::timespec);
    let tz_ptr = zone.as_ref().map_or(std::ptr::null(), |z| z.as_ptr());
    // SAFETY: `tv_ptr` is null or a host `struct timeval` (same layout as the timespec
    // read: two 64-bit fields), `tz_ptr` null or a host `struct timezone`.
    host(unsafe { host_syscall!(libc::SYS_settimeofday, tv_ptr, tz_ptr) })
}

/// What `restart_syscall` resumes (see [`crate::state::ProcessState::restart`]).
#[derive(Clone, Copy, Debug)]
pub enum Restart {
    /// A relative sleep: until `deadline` on `clock` (absolute), the time then left
    /// written to `rem` (if not null) when interrupted again.
    Sleep {
        clock: i32,
        deadline: libc::timespec,
        rem: GuestAddr,
    },
}

pub fn nanosleep(
    state: &mut ProcessState,
    mem: &GuestMemory,
    req: GuestAddr,
    rem: GuestAddr,
) -> SysResult {
    clock_nanosleep(state, mem, libc::CLOCK_MONOTONIC, 0, req, rem)
}

pub fn clock_nanosleep(
    state: &mut ProcessState,
    mem: &GuestMemory,
    clock: i32,
    flags: i32,
    req: GuestAddr,
    rem: GuestAddr,
) -> SysResult {
    let request = read_timespec(mem, req)?;
    if request.tv_sec < 0 || !(0..1_000_000_000).contains(&request.tv_nsec) {
        return Err(Errno(libc::EINVAL));
    }
    if flags & libc::TIMER_ABSTIME != 0 {
        // Restarted with the same deadline.
        return sleep_until(clock, request).unwrap_or(Err(Errno(ERESTARTNOHAND)));
    }
    // A relative sleep is one until a deadline, as Linux's timer makes it: time spent
    // stopped, or in a handler-less interruption, counts. On the realtime clock the
    // deadline is on the monotonic one, which setting the time leaves alone.
    let clock = if clock == libc::CLOCK_REALTIME {
        libc::CLOCK_MONOTONIC
    } else {
        clock
    };
    let deadline = add(now(clock)?, request);
    state.restart = Some(Restart::Sleep {
        clock,
        deadline,
        rem,
    });
    restart_syscall(state, mem)
}

/// `restart_syscall`: goes on with the call a signal interrupted (the process loop
/// points the guest here); `EINTR` if there is none, as Linux's default.
pub fn restart_syscall(state: &mut ProcessState, mem: &GuestMemory) -> SysResult {
    let Some(Restart::Sleep {
        clock,
        deadline,
        rem,
    }) = state.restart.take()
    else {
        return Err(Errno(libc::EINTR));
    };
    if let Some(r) = sleep_until(clock, deadline) {
        return r;
    }
    if rem != 0 {
        let left = sub(deadline, now(clock)?);
        write_timespec(mem, rem, left.tv_sec, left.tv_nsec)?;
    }
    state.restart = Some(Restart::Sleep {
        clock,
        deadline,
        rem,
    });
    Err(Errno(ERESTART_RESTARTBLOCK))
}

/// Sleeps until `deadline` on `clock`, through signals the guest has no use for; `None`
/// if one that interrupts the thread's calls came first.
fn sleep_until(clock: i32, deadline: libc::timespec) -> Option<SysResult> {
    // SAFETY: `deadline` is a host `struct timespec`; no remaining time is asked for.
    let call = unsafe {
        host_call!(
            libc::SYS_clock_nanosleep,
            clock,
            libc::TIMER_ABSTIME,
            std::ptr::addr_of!(deadline),
            0,
        )
    };
    loop {
        match attempt(&call) {
            Attempt::Interrupted => return None,
            Attempt::Again => {}
            Attempt::Done(r) => return Some(r),
        }
    }
}

/// The time on host clock `clock` now.
fn now(clock: i32) -> Result<libc::timespec, Errno> {
    let mut t = ZERO;
    // SAFETY: `t` is a host `struct timespec`.
    host(unsafe { host_syscall!(libc::SYS_clock_gettime, clock, &mut t) })?;
    Ok(t)
}

/// `a + b` for normalised times, saturating at the latest time a `timespec` holds (a
/// guest may sleep for `i64::MAX` seconds).
pub(super) fn add(a: libc::timespec, b: libc::timespec) -> libc::timespec {
    let nsec = a.tv_nsec + b.tv_nsec;
    libc::timespec {
        tv_sec: a
            .tv_sec
            .saturating_add(b.tv_sec)
            .saturating_add(nsec / 1_000_000_000),
        tv_nsec: nsec % 1_000_000_000,
    }
}

/// `a - b`, or zero if `b` is later.
fn sub(a: libc::timespec, b: libc::timespec) -> libc::timespec {
    let nanos = |t: libc::timespec| i128::from(t.tv_sec) * 1_000_000_000 + i128::from(t.tv_nsec);
    let d = (nanos(a) - nanos(b)).max(0);
    libc::timespec {
        tv_sec: (d / 1_000_000_000) as libc::time_t,
        tv_nsec: (d % 1_000_000_000) as libc::c_long,
    }
}

/// `timer_create(clock, sevp, timerid)`. `sevp` is the riscv64 `struct sigevent`:
/// `sigev_value` (8 bytes), `sigev_signo`, `sigev_notify`, then the thread id of
/// `SIGEV_THREAD_ID`; null means `SIGEV_SIGNAL` with SIGALRM and the timer id as value.
pub fn timer_create(
    state: &ProcessState,
    mem: &GuestMemory,
    clock: i32,
    sevp: GuestAddr,
    timerid: GuestAddr,
) -> SysResult {
    let event: Option<[u8; 20]> = if sevp != 0 {
        Some(mem.read(sevp)?)
    } else {
        None
    };
    let group = &state.signals.group;
    let notify = match event {
        None => None,
        Some(b) => {
            let value = u64::from_le_bytes(b[..8].try_into().unwrap());
            let field = |at: usize| i32::from_le_bytes(b[at..at + 4].try_into().unwrap());
            let (signo, how, tid) = (field(8), field(12), field(16));
            let valid_signo = (1..=crate::signal::NSIG).contains(&signo);
            Some(match how {
                notify::NONE => Notify::Nobody,
                // The kernel takes SIGEV_THREAD (which glibc implements) as SIGEV_SIGNAL.
                notify::SIGNAL | notify::THREAD if valid_signo => Notify::Process { signo, value },
                notify::THREAD_ID if valid_signo && group.member(tid).is_some() => {
                    Notify::Thread { signo, value, tid }
                }
                _ => return Err(Errno(libc::EINVAL)),
            })
        }
    };
    let id = group
        .timers
        .create(group, clock, |id| {
            notify.unwrap_or(Notify::Process {
                signo: libc::SIGALRM,
                value: id as u64,
            })
        })
        .map_err(Errno)?;
    if let Err(e) = mem.write(timerid, id.to_le_bytes()) {
        let _ = group.timers.delete(group, id);
        return Err(e.into());
    }
    Ok(0)
}

pub fn timer_settime(
    state: &ProcessState,
    mem: &GuestMemory,
    id: i32,
    flags: i32,
    new: GuestAddr,
    old: GuestAddr,
) -> SysResult {
    let spec = read_itimerspec(mem, new)?;
    // SAFETY: all-zero is a valid itimerspec.
    let mut previous: libc::itimerspec = unsafe { std::mem::zeroed() };
    let group = &state.signals.group;
    group
        .timers
        .set(group, id, flags, &spec, &mut previous)
        .map_err(Errno)?;
    if old != 0 {
        write_itimerspec(mem, old, &previous)?;
    }
    Ok(0)
}

pub fn timer_gettime(
    state: &ProcessState,
    mem: &GuestMemory,
    id: i32,
    cur: GuestAddr,
) -> SysResult {
    let spec = state.signals.group.timers.get(id).map_err(Errno)?;
    write_itimerspec(mem, cur, &spec)
}

pub fn timer_getoverrun(state: &ProcessState, id: i32) -> SysResult {
    let overrun = state.signals.group.timers.overrun(id).map_err(Errno)?;
    Ok(overrun as i64)
}

pub fn timer_delete(state: &ProcessState, id: i32) -> SysResult {
    let group = &state.signals.group;
    group.timers.delete(group, id).map_err(Errno)?;
    Ok(0)
}

/// Size of `struct timex`.
const TIMEX_SIZE: usize = 208;
const _: () = assert!(std::mem::size_of::<libc::timex>() == TIMEX_SIZE);

/// `adjtimex(buf)` (`clock` is `None`) and `clock_adjtime(clock, buf)`: the structure is
/// copied in, adjusted or filled by the host, and copied back, which `adjtimex` does
/// even when the host refuses the adjustment and `clock_adjtime` only when it does not,
/// as in Linux. The result is the clock's state (`TIME_OK`, ...).
pub fn adjtime(mem: &GuestMemory, clock: Option<i32>, buf: GuestAddr) -> SysResult {
    let mut tx: [u8; TIMEX_SIZE] = mem.read(buf)?;
    // SAFETY: `tx` is a host `struct timex` (the kernel copies it; no alignment needed).
    let r = host(unsafe {
        match clock {
            None => host_syscall!(libc::SYS_adjtimex, tx.as_mut_ptr()),
            Some(c) => host_syscall!(libc::SYS_clock_adjtime, c, tx.as_mut_ptr()),
        }
    });
    if r.is_ok() || clock.is_none() {
        mem.write(buf, tx)?;
    }
    r
}
