//! Stopping every other thread of a dying process to take its registers, as Linux's
//! `zap_threads` does before it dumps core.
//!
//! The dumping thread claims the dump ([`Gather::claim`]) and wakes every sibling; a
//! sibling running guest code leaves it at its next block boundary, one waiting in a
//! system call gives up as a signal makes it (the call is restarted, so its registers
//! are those at the `ecall`). Either way it meets the request at the top of its process
//! loop and parks there for good ([`Gather::park`]), leaving its registers. A thread
//! that does not come within [`PATIENCE`] (a host call no signal interrupts) is left
//! out of the core. A sibling that dies of a signal itself while the dump is claimed
//! parks as well: one dump per process.

use crate::thread::{lock, ThreadGroup};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Condvar, Mutex};
use std::time::{Duration, Instant};
use vm_engine::CpuState;

/// How long the dumping thread waits for its siblings.
pub const PATIENCE: Duration = Duration::from_secs(2);

/// How often a sibling not yet parked is woken again (it may have been between its
/// check and a sleep when first woken).
const REWAKE: Duration = Duration::from_millis(50);

/// A core dump's request to the threads of a process (see the module documentation).
#[derive(Default)]
pub struct Gather {
    requested: AtomicBool,
    /// The parked threads: tid and registers.
    parked: Mutex<Vec<(i32, CpuState)>>,
    changed: Condvar,
}

impl Gather {
    /// Whether a thread is dumping core: the caller is to park.
    pub fn is_requested(&self) -> bool {
        self.requested.load(Ordering::Acquire)
    }

    /// Makes the calling thread the one that dumps; false if another thread is.
    pub fn claim(&self) -> bool {
        !self.requested.swap(true, Ordering::AcqRel)
    }

    /// Leaves thread `tid`'s registers for the dump and waits for the process to end.
    pub fn park(&self, tid: i32, cpu: &CpuState) -> ! {
        // Host signals are the dumping thread's to take from now on.
        crate::signal::host::stop_taking_signals();
        lock(&self.parked).push((tid, cpu.clone()));
        self.changed.notify_all();
        loop {
            std::thread::park();
        }
    }

    /// Wakes every thread of `group` but `me` and waits until each has parked (or left
    /// the group), at most `patience`; the registers of those that parked.
    pub fn collect(
        &self,
        group: &ThreadGroup,
        me: i32,
        patience: Duration,
    ) -> Vec<(i32, CpuState)> {
        let deadline = Instant::now() + patience;
        let mut parked = lock(&self.parked);
        loop {
            let missing: Vec<_> = group
                .members()
                .into_iter()
                .filter(|t| t.tid != me && !parked.iter().any(|(tid, _)| *tid == t.tid))
                .collect();
            let now = Instant::now();
            if missing.is_empty() || now >= deadline {
                if !missing.is_empty() {
                    let tids: Vec<_> = missing.iter().map(|t| t.tid).collect();
                    tracing::info!("core dump: threads {tids:?} did not stop; left out");
                }
                return parked.clone();
            }
            for t in &missing {
                t.wake();
            }
            let wait = REWAKE.min(deadline - now);
            parked = self
                .changed
                .wait_timeout(parked, wait)
                .unwrap_or_else(|e| e.into_inner())
                .0;
        }
    }
}
