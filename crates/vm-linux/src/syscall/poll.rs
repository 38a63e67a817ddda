//! Waiting for descriptors: `ppoll`, `pselect6`, `epoll_create1`, `epoll_ctl`,
//! `epoll_pwait`, `epoll_pwait2`.
//!
//! `struct pollfd` and `fd_set` have the same layout on both, so the host kernel reads
//! and writes them in guest memory directly. riscv64's `struct epoll_event` is 16 bytes
//! (`events`, padding, `data` at offset 8); x86-64's is packed to 12 (`data` at offset 4),
//! so events are translated. Timeouts are copied to host `timespec`s, and the remaining
//! time `ppoll` and `pselect6` report is copied back (ignoring a read-only timespec, as
//! Linux does).
//!
//! Signal masks: the temporary guest mask these calls take is applied by the dispatcher
//! (`signal::with_sigmask`), never to the host, where it would block vm's own signals;
//! here it is only checked. A host signal the guest has no use for restarts the wait
//! with the time that is left (the host updates `ppoll`/`pselect6` timeouts in place;
//! epoll waits keep a deadline); one it handles ends it with `EINTR`, as Linux never
//! restarts these calls.

use super::abi::{read_timespec, write_timespec, SIGSET_SIZE};
use super::blocking::{attempt, Attempt};
use super::{badf_or, host, host_call, interruptible, Errno, SysResult, ERESTARTNOHAND};
use std::time::{Duration, Instant};
use vm_ir::GuestAddr;
use vm_memory::GuestMemory;

/// Size of riscv64's `struct epoll_event`.
const EPOLL_EVENT_SIZE: usize = 16;
/// Size of x86-64's packed `struct epoll_event`.
const HOST_EPOLL_EVENT_SIZE: usize = 12;
const _: () = assert!(std::mem::size_of::<libc::epoll_event>() == HOST_EPOLL_EVENT_SIZE);
/// Most events one wait asks the host for (a guest asking for more gets at most this
/// many per call, which epoll allows).
const HOST_EVENTS_MAX: usize = 1024;
/// `EPOLL_CTL_DEL`: the one operation without an event.
const EPOLL_CTL_DEL: i32 = 2;

/// Checks a guest signal mask argument (`sigmask`, `sigsetsize`) without applying it.
fn check_sigmask(mem: &GuestMemory, sigmask: GuestAddr, size: u64) -> Result<(), Errno> {
    if sigmask == 0 {
        return Ok(());
    }
    if size != SIGSET_SIZE {
        return Err(Errno(libc::EINVAL));
    }
    mem.read::<8>(sigmask)?;
    Ok(())
}

/// Reads an optional guest timeout.
fn read_timeout(mem: &GuestMemory, tsp: GuestAddr) -> Result<Option<libc::timespec>, Errno> {
    if tsp == 0 {
        return Ok(None);
    }
    Ok(Some(read_timespec(mem, tsp)?))
}

/// Reports the remaining time of a `ppoll`/`pselect6` timeout back to the guest. Linux
/// skips a zero timeout and ignores a failing copy.
fn finish_timeout(mem: &GuestMemory, tsp: GuestAddr, before: bool, ts: Option<libc::timespec>) {
    if let Some(ts) = ts.filter(|_| before) {
        let _ = write_timespec(mem, tsp, ts.tv_sec, ts.tv_nsec);
    }
}

fn nonzero(ts: &Option<libc::timespec>) -> bool {
    ts.is_some_and(|t| t.tv_sec != 0 || t.tv_nsec != 0)
}

/// The host's `RLIMIT_NOFILE` soft limit (the guest's: it passes through).
fn nofile_limit() -> u64 {
    let mut lim = [0u64; 2];
    // SAFETY: `lim` is a host `struct rlimit64`.
    let r = unsafe {
        host_syscall!(
            libc::SYS_prlimit64,
            0,
            libc::RLIMIT_NOFILE,
            std::ptr::null::<u64>(),
            lim.as_mut_ptr(),
        )
    };
    if r == -1 {
        u64::MAX
    } else {
        lim[0]
    }
}

pub fn ppoll(
    mem: &GuestMemory,
    fds: GuestAddr,
    nfds: u32,
    tsp: GuestAddr,
    sigmask: GuestAddr,
    sigsetsize: u64,
) -> SysResult {
    let mut ts = read_timeout(mem, tsp)?;
    let report = nonzero(&ts);
    check_sigmask(mem, sigmask, sigsetsize)?;
    if nfds as u64 > nofile_limit() {
        return Err(Errno(libc::EINVAL));
    }
    let ptr = if nfds == 0 {
        // A pure sleep: the array is not looked at.
        std::ptr::null_mut()
    } else {
        mem.slice_mut(fds, nfds as u64 * 8)?.as_mut_ptr()
    };
    let ts_ptr = ts
        .as_mut()
        .map_or(std::ptr::null_mut(), |t| t as *mut libc::timespec);
    // SAFETY: `ptr` is a writable guest array of `nfds` `struct pollfd`s (same layout on
    // both; `mem` stays exclusively borrowed); `ts_ptr` is null or a host `timespec`.
    let r = interruptible(unsafe {
        host_call!(
            libc::SYS_ppoll,
            ptr,
            nfds,
            ts_ptr,
            std::ptr::null::<u64>(),
            8,
        )
    });
    finish_timeout(mem, tsp, report, ts);
    r
}

/// The signal mask argument of `pselect6`: `sig` points at
/// `{ const sigset_t *ss; size_t ss_len; }` (null: no mask).
pub fn pselect6_sigmask(mem: &GuestMemory, sig: GuestAddr) -> Result<(GuestAddr, u64), Errno> {
    if sig == 0 {
        return Ok((0, 0));
    }
    let b: [u8; 16] = mem.read(sig)?;
    Ok((
        u64::from_le_bytes(b[..8].try_into().unwrap()),
        u64::from_le_bytes(b[8..].try_into().unwrap()),
    ))
}

/// `pselect6`: `sig` points at `{ const sigset_t *ss; size_t ss_len; }`.
#[allow(clippy::too_many_arguments)]
pub fn pselect6(
    mem: &GuestMemory,
    n: i32,
    inp: GuestAddr,
    outp: GuestAddr,
    exp: GuestAddr,
    tsp: GuestAddr,
    sig: GuestAddr,
) -> SysResult {
    let (mask, mask_size) = if sig != 0 {
        let b: [u8; 16] = mem.read(sig)?;
        (
            u64::from_le_bytes(b[..8].try_into().unwrap()),
            u64::from_le_bytes(b[8..].try_into().unwrap()),
        )
    } else {
        (0, 0)
    };
    let mut ts = read_timeout(mem, tsp)?;
    let report = nonzero(&ts);
    check_sigmask(mem, mask, mask_size)?;
    if n < 0 {
        return Err(Errno(libc::EINVAL));
    }
    // Linux clamps `n` to its descriptor table size, itself at most the descriptor limit.
    let n = (n as u64).min(nofile_limit());
    let bytes = n.div_ceil(64) * 8;
    let mut sets = [std::ptr::null_mut::<u8>(); 3];
    for (p, addr) in sets.iter_mut().zip([inp, outp, exp]) {
        if addr != 0 && bytes != 0 {
            *p = mem.slice_mut(addr, bytes)?.as_mut_ptr();
        }
    }
    let ts_ptr = ts
        .as_mut()
        .map_or(std::ptr::null_mut(), |t| t as *mut libc::timespec);
    // SAFETY: each set is null or a writable guest `fd_set` of `bytes` bytes (same layout
    // on both; `mem` stays exclusively borrowed); `ts_ptr` is null or a host `timespec`;
    // no signal mask is passed.
    let r = interruptible(unsafe {
        host_call!(
            libc::SYS_pselect6,
            n,
            sets[0],
            sets[1],
            sets[2],
            ts_ptr,
            std::ptr::null::<u64>(),
        )
    });
    finish_timeout(mem, tsp, report, ts);
    r
}

pub fn epoll_create1(flags: i32) -> SysResult {
    // SAFETY: no pointer arguments.
    host(unsafe { host_syscall!(libc::SYS_epoll_create1, flags) })
}

pub fn epoll_ctl(mem: &GuestMemory, epfd: i32, op: i32, fd: i32, event: GuestAddr) -> SysResult {
    let mut ev = libc::epoll_event { events: 0, u64: 0 };
    if op != EPOLL_CTL_DEL {
        let b: [u8; EPOLL_EVENT_SIZE] = mem.read(event)?;
        ev.events = u32::from_le_bytes(b[..4].try_into().unwrap());
        ev.u64 = u64::from_le_bytes(b[8..].try_into().unwrap());
    }
    // SAFETY: `ev` is a host `struct epoll_event`.
    host(unsafe { host_syscall!(libc::SYS_epoll_ctl, epfd, op, fd, &mut ev) })
}

/// `epoll_pwait` (`timeout` in milliseconds, negative: forever).
pub fn epoll_pwait(
    mem: &GuestMemory,
    epfd: i32,
    events: GuestAddr,
    maxevents: i32,
    timeout: i32,
    sigmask: GuestAddr,
    sigsetsize: u64,
) -> SysResult {
    let timeout = (timeout >= 0).then(|| Duration::from_millis(timeout as u64));
    epoll_wait(mem, epfd, events, maxevents, timeout, sigmask, sigsetsize)
}

/// `epoll_pwait2` (`timeout` a `timespec`, null: forever).
pub fn epoll_pwait2(
    mem: &GuestMemory,
    epfd: i32,
    events: GuestAddr,
    maxevents: i32,
    timeout: GuestAddr,
    sigmask: GuestAddr,
    sigsetsize: u64,
) -> SysResult {
    let timeout = match read_timeout(mem, timeout)? {
        None => None,
        Some(t) if t.tv_sec < 0 || !(0..1_000_000_000).contains(&t.tv_nsec) => {
            return Err(Errno(libc::EINVAL))
        }
        Some(t) => Some(Duration::new(t.tv_sec as u64, t.tv_nsec as u32)),
    };
    epoll_wait(mem, epfd, events, maxevents, timeout, sigmask, sigsetsize)
}

/// The shared wait: the host fills a packed event buffer, then the events are written
/// to the guest in riscv64 layout.
fn epoll_wait(
    mem: &GuestMemory,
    epfd: i32,
    events: GuestAddr,
    maxevents: i32,
    timeout: Option<Duration>,
    sigmask: GuestAddr,
    sigsetsize: u64,
) -> SysResult {
    check_sigmask(mem, sigmask, sigsetsize)?;
    if maxevents <= 0 || maxevents as usize > i32::MAX as usize / EPOLL_EVENT_SIZE {
        return Err(Errno(libc::EINVAL));
    }
    let guest_len = maxevents as u64 * EPOLL_EVENT_SIZE as u64;
    if mem.slice_mut(events, guest_len).is_err() {
        return Err(badf_or(epfd, libc::EFAULT));
    }
    let mut buf =
        vec![libc::epoll_event { events: 0, u64: 0 }; (maxevents as usize).min(HOST_EVENTS_MAX)];
    // A deadline past what `Instant` can hold (a guest's `tv_sec` near 2^63) is never.
    let deadline = timeout.and_then(|t| Instant::now().checked_add(t));
    let n = loop {
        let left = deadline.map(|d| d.saturating_duration_since(Instant::now()));
        let ts = left.map(|d| libc::timespec {
            tv_sec: d.as_secs() as i64,
            tv_nsec: d.subsec_nanos() as i64,
        });
        let ts_ptr = ts
            .as_ref()
            .map_or(std::ptr::null(), |t| t as *const libc::timespec);
        // SAFETY: `buf` is a host array of `buf.len()` packed `struct epoll_event`s and
        // `ts_ptr` null or a host `timespec`; no signal mask is passed.
        let pwait2 = unsafe {
            host_call!(
                libc::SYS_epoll_pwait2,
                epfd,
                buf.as_mut_ptr(),
                buf.len(),
                ts_ptr,
                std::ptr::null::<u64>(),
                8,
            )
        };
        let mut r = attempt(&pwait2);
        if r == Attempt::Done(Err(Errno(libc::ENOSYS))) {
            // A host older than Linux 5.11: whole milliseconds, rounded up.
            let ms = left.map_or(-1, |d| {
                d.as_micros().div_ceil(1000).min(i32::MAX as u128) as i32
            });
            // SAFETY: as above.
            let pwait = unsafe {
                host_call!(
                    libc::SYS_epoll_pwait,
                    epfd,
                    buf.as_mut_ptr(),
                    buf.len(),
                    ms,
                    std::ptr::null::<u64>(),
                    8,
                )
            };
            r = attempt(&pwait);
        }
        match r {
            Attempt::Done(r) => break r?,
            Attempt::Interrupted => return Err(Errno(ERESTARTNOHAND)),
            Attempt::Again => continue,
        }
    };
    let mut out = Vec::with_capacity(n as usize * EPOLL_EVENT_SIZE);
    for ev in &buf[..n as usize] {
        let (events, data) = (ev.events, ev.u64);
        out.extend_from_slice(&events.to_le_bytes());
        out.extend_from_slice(&[0; 4]);
        out.extend_from_slice(&data.to_le_bytes());
    }
    mem.write_bytes(events, &out)?;
    Ok(n)
}
