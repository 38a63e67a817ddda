//! POSIX per-process timers (`timer_create`): each guest timer is a host timer, and the
//! guest signal its expiry sends is queued by vm.
//!
//! A host timer cannot send the guest's signal itself: guest signals 32 and 33 (which
//! glibc's `SIGEV_THREAD` timers use) are not vm's to receive from the host, and a host
//! signal's siginfo would name the host timer. So every host timer that notifies is
//! created with `SIGEV_THREAD_ID`, sending vm's [`WAKE_SIGNAL`] with the guest timer id
//! as its value to one host thread of vm, the timer service, which blocks all signals
//! and waits for those with `rt_sigtimedwait`. On each expiry the service queues the
//! guest signal (`SI_TIMER`, the guest's timer id and `sigev_value`) for the process or
//! for the thread `SIGEV_THREAD_ID` names, and wakes a thread to take it.
//!
//! Overruns are counted as Linux counts them: while a timer's signal is queued and not
//! yet delivered, further expiries only add to its overrun; delivery
//! ([`PosixTimers::delivered`]) writes the count into `si_overrun` and keeps it for
//! `timer_getoverrun`. A signal still queued when its timer is deleted or set again is
//! dropped, as Linux (since 6.13) drops it.
//!
//! Timers are not inherited by a `fork` child (the child's thread group starts with none)
//! and die with the host process at `execve`, as Linux's do. The service is a host thread
//! the guest does not know of; it shows in the host's `/proc/PID/task`.

use crate::signal::{bit, code, SigInfo};
use crate::thread::{lock, ThreadGroup, WAKE_SIGNAL};
use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};

/// `sigev_notify` values.
pub mod notify {
    pub const SIGNAL: i32 = 0;
    pub const NONE: i32 = 1;
    pub const THREAD: i32 = 2;
    pub const THREAD_ID: i32 = 4;
}

/// Whom a timer's expiry notifies, as `timer_create`'s `struct sigevent` said.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Notify {
    /// `SIGEV_NONE`: nobody (the timer is only read with `timer_gettime`).
    Nobody,
    /// `SIGEV_SIGNAL`: signal `signo` with `value` to the process.
    Process { signo: i32, value: u64 },
    /// `SIGEV_THREAD_ID`: signal `signo` with `value` to thread `tid`.
    Thread { signo: i32, value: u64, tid: i32 },
}

struct Timer {
    /// The host kernel's id of the host timer.
    host_id: i32,
    notify: Notify,
    /// Expiries since its queued signal was generated (counted while it waits).
    overrun: i32,
    /// The overrun its last delivered signal carried (`timer_getoverrun`).
    last_overrun: i32,
}

#[derive(Default)]
struct Table {
    timers: BTreeMap<i32, Timer>,
    /// The id Linux would give the next timer (ids count up from 0, skipping live ones).
    next_id: i32,
    /// The host thread id of the timer service, once started.
    service: Option<i32>,
}

/// The timers of one process.
#[derive(Default)]
pub struct PosixTimers {
    table: Mutex<Table>,
}

/// The x86-64 kernel's `struct sigevent` for `SIGEV_THREAD_ID` (64 bytes).
#[repr(C)]
struct HostSigevent {
    value: u64,
    signo: i32,
    notify: i32,
    tid: i32,
    pad: [i32; 11],
}

/// The result of a raw host call (`-1` and errno on failure) as a `Result`.
fn host(r: libc::c_long) -> Result<libc::c_long, i32> {
    if r == -1 {
        Err(std::io::Error::last_os_error()
            .raw_os_error()
            .unwrap_or(libc::EIO))
    } else {
        Ok(r)
    }
}

impl PosixTimers {
    /// `timer_create`: a host timer on `clock` (whose errors are the guest's); returns
    /// the guest timer id. `notify` (already validated) is given the new id, which is
    /// the signal value when the guest passed no sigevent.
    pub fn create(
        &self,
        group: &Arc<ThreadGroup>,
        clock: i32,
        notify: impl FnOnce(i32) -> Notify,
    ) -> Result<i32, i32> {
        let mut table = lock(&self.table);
        let id = (0..=i32::MAX)
            .map(|n| table.next_id.wrapping_add(n) & i32::MAX)
            .find(|id| !table.timers.contains_key(id))
            .ok_or(libc::EAGAIN)?;
        let notify = notify(id);
        let mut event = HostSigevent {
            value: id as u64,
            signo: 0,
            notify: notify::NONE,
            tid: 0,
            pad: [0; 11],
        };
        if notify != Notify::Nobody {
            event.notify = notify::THREAD_ID;
            event.signo = WAKE_SIGNAL;
            event.tid = match table.service {
                Some(tid) => tid,
                None => {
                    let tid = start_service(group.clone()).ok_or(libc::EAGAIN)?;
                    table.service = Some(tid);
                    tid
                }
            };
        }
        let mut host_id: i32 = 0;
        // SAFETY: `event` is a valid kernel sigevent and `host_id` a writable int.
        host(unsafe {
            host_syscall!(
                libc::SYS_timer_create,
                clock,
                std::ptr::addr_of!(event),
                std::ptr::addr_of_mut!(host_id),
            )
        })?;
        table.next_id = id.wrapping_add(1) & i32::MAX;
        table.timers.insert(
            id,
            Timer {
                host_id,
                notify,
                overrun: 0,
                last_overrun: 0,
            },
        );
        Ok(id)
    }

    fn host_id(&self, id: i32) -> Result<i32, i32> {
        lock(&self.table)
            .timers
            .get(&id)
            .map(|t| t.host_id)
            .ok_or(libc::EINVAL)
    }

    /// `timer_settime` with host `itimerspec`s.
    pub fn set(
        &self,
        group: &ThreadGroup,
        id: i32,
        flags: i32,
        new: &libc::itimerspec,
        old: &mut libc::itimerspec,
    ) -> Result<(), i32> {
        let host_id = self.host_id(id)?;
        // SAFETY: `new` and `old` are host itimerspecs.
        host(unsafe {
            host_syscall!(
                libc::SYS_timer_settime,
                host_id,
                flags,
                new as *const libc::itimerspec,
                old as *mut libc::itimerspec,
            )
        })?;
        if let Some(t) = lock(&self.table).timers.get_mut(&id) {
            t.overrun = 0;
        }
        discard_signals(group, id);
        Ok(())
    }

    /// `timer_gettime`.
    pub fn get(&self, id: i32) -> Result<libc::itimerspec, i32> {
        let host_id = self.host_id(id)?;
        // SAFETY: all-zero is a valid itimerspec.
        let mut cur: libc::itimerspec = unsafe { std::mem::zeroed() };
        // SAFETY: `cur` is a writable host itimerspec.
        host(unsafe {
            host_syscall!(
                libc::SYS_timer_gettime,
                host_id,
                std::ptr::addr_of_mut!(cur),
            )
        })?;
        Ok(cur)
    }

    /// `timer_getoverrun`.
    pub fn overrun(&self, id: i32) -> Result<i32, i32> {
        lock(&self.table)
            .timers
            .get(&id)
            .map(|t| t.last_overrun)
            .ok_or(libc::EINVAL)
    }

    /// `timer_delete`.
    pub fn delete(&self, group: &ThreadGroup, id: i32) -> Result<(), i32> {
        let timer = lock(&self.table).timers.remove(&id).ok_or(libc::EINVAL)?;
        // SAFETY: no pointer arguments.
        host(unsafe { host_syscall!(libc::SYS_timer_delete, timer.host_id) })?;
        discard_signals(group, id);
        Ok(())
    }

    /// A timer's signal is being delivered (or accepted by `sigwaitinfo`): fills in its
    /// overrun and lets the next expiry queue a new signal.
    pub fn delivered(&self, info: &mut SigInfo) {
        if let Some(t) = lock(&self.table).timers.get_mut(&info.timer_id()) {
            info.set_timer_overrun(t.overrun);
            t.last_overrun = t.overrun;
            t.overrun = 0;
        }
    }

    /// Timer `id` expired `count` times since the service last heard of it.
    fn expired(&self, group: &ThreadGroup, id: i32, count: i32) {
        let mut table = lock(&self.table);
        let Some(timer) = table.timers.get_mut(&id) else {
            return; // deleted since
        };
        let (signo, value, thread) = match timer.notify {
            Notify::Nobody => return,
            Notify::Process { signo, value } => (signo, value, None),
            Notify::Thread { signo, value, tid } => match group.member(tid) {
                Some(thread) => (signo, value, Some(thread)),
                None => return, // the thread has exited: Linux drops the signal
            },
        };
        let waiting = match &thread {
            None => group.queue().any(|i| i.is_timer(id)),
            Some(t) => t.queue().any(|i| i.is_timer(id)),
        };
        if waiting {
            timer.overrun = timer.overrun.saturating_add(count);
            return;
        }
        timer.overrun = count - 1;
        let info = SigInfo::timer(signo, id, value);
        match thread {
            None => group.send(info),
            Some(t) => {
                t.queue().push(info);
                t.wake();
            }
        }
    }
}

/// Drops the queued signal of timer `id`, wherever it waits.
fn discard_signals(group: &ThreadGroup, id: i32) {
    group.queue().discard_where(|i| i.is_timer(id));
    for t in group.members() {
        t.queue().discard_where(|i| i.is_timer(id));
    }
}

/// Starts the timer service of `group`; returns its host thread id.
fn start_service(group: Arc<ThreadGroup>) -> Option<i32> {
    let (tx, rx) = std::sync::mpsc::channel();
    let spawned =
        crate::signal::host::spawn_with_signals_blocked("vm timers", 64 * 1024, move || {
            let _ = tx.send(crate::thread::gettid());
            serve(&group);
        });
    spawned.ok()?;
    rx.recv().ok()
}

/// The timer service: waits for the host timers' signals and queues the guest's.
fn serve(group: &ThreadGroup) -> ! {
    let wait = bit(WAKE_SIGNAL);
    loop {
        let mut info = SigInfo([0; SigInfo::SIZE]);
        // SAFETY: `wait` is an 8-byte kernel sigset and `info` a 128-byte siginfo.
        let sig = unsafe {
            host_syscall!(
                libc::SYS_rt_sigtimedwait,
                &wait,
                info.0.as_mut_ptr(),
                std::ptr::null::<libc::timespec>(),
                8,
            )
        };
        // Anything but a timer's signal (a stray wake-up sent to a thread id that is now
        // this thread's) is dropped.
        if sig == WAKE_SIGNAL as libc::c_long && info.code() == code::SI_TIMER {
            let id = info.timer_value() as i32;
            group
                .timers
                .expired(group, id, info.timer_overrun().saturating_add(1));
        }
    }
}
