//! One gdb session shared by every thread of the debugged process: gdb's all-stop mode.
//!
//! When a thread has something to report (a breakpoint, a finished step, a signal, gdb's
//! Ctrl-C) it becomes the *reporter*: it asks every other thread to stop, waits until
//! each one is parked (or sits in a system call), then serves gdb with all of them in
//! view, and resumes each as gdb's `vCont` says. A thread gdb gives no action stays
//! parked until a later resume names it.
//!
//! Where each thread is:
//! - running guest code: it parks at its next block boundary (its engine's interrupt
//!   flag is raised) or before its next system call;
//! - in a system call: its registers are those at the call (read-only for gdb: the call
//!   may still write `a0`); when the call returns while the process is stopped, the
//!   thread parks before running another instruction;
//! - parked: its registers are gdb's to read and write, and are taken back on resume.
//!
//! A thread that loses the race to report parks instead: a breakpoint stays where it was
//! (the thread meets it again when it runs, if gdb kept it), a finished step or Ctrl-C
//! is dropped (gdb saw the process stop already), and a signal is reported once the
//! process resumes, before it is delivered.
//!
//! A stop does not wake threads that wait in system calls; gdb's Ctrl-C does (the
//! watcher wakes every thread): a waiting call gives up as a signal without a handler
//! makes it, and restarts once gdb resumes the thread, so the first thread back reports
//! the stop even when every thread was waiting.

use super::{Action, Debugger, OtherThread, Resume, Stop, Target};
use crate::thread::lock;
use std::collections::BTreeMap;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Condvar, Mutex, MutexGuard};
use vm_engine::{CpuState, Engine};
use vm_memory::GuestMemory;

/// How a thread goes on after meeting the session.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Outcome {
    /// Run on: one instruction if `step`; `deliver` says whether a signal the thread
    /// stopped for reaches the guest.
    Go { step: bool, deliver: bool },
    /// gdb detached: the thread runs on undebugged.
    Detach,
    /// gdb ended the process.
    Kill,
}

impl From<Action> for Outcome {
    fn from(a: Action) -> Outcome {
        Outcome::Go {
            step: a.step,
            deliver: a.deliver,
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Place {
    Running,
    InSyscall,
    Parked,
}

struct Slot {
    place: Place,
    /// Its registers when it last stopped or entered a system call.
    cpu: CpuState,
    /// What the last resume asked of it (`None`: stay stopped).
    action: Option<Action>,
    /// The resume count when it entered its current system call.
    call_epoch: u64,
}

/// A thread's slot as it joins: running, and left running by resumes until one says
/// otherwise.
fn new_slot(cpu: &CpuState) -> Slot {
    Slot {
        place: Place::Running,
        cpu: cpu.clone(),
        action: Some(Action {
            step: false,
            deliver: false,
        }),
        call_epoch: 0,
    }
}

struct Inner {
    debugger: Debugger,
    threads: BTreeMap<i32, Slot>,
    /// Counts resumes, so a parked thread can tell one happened.
    epoch: u64,
    detached: bool,
    killed: bool,
}

/// The session (see the module documentation).
pub struct Session {
    /// The host process the connection belongs to (a forked child must not use it).
    owner: u32,
    /// Set while a reporter stops the process and serves gdb.
    stopping: AtomicBool,
    /// The process's threads, whose `debugger_interrupt` the watcher raises when gdb
    /// sends Ctrl-C.
    group: Arc<crate::thread::ThreadGroup>,
    descriptors: super::Descriptors,
    inner: Mutex<Inner>,
    changed: Condvar,
}

impl Session {
    /// A session for `debugger`, whose first thread is `tid`.
    pub fn new(debugger: Debugger, tid: i32, cpu: &CpuState) -> Arc<Session> {
        let group = debugger.group();
        let descriptors = debugger.descriptors();
        let mut threads = BTreeMap::new();
        threads.insert(tid, new_slot(cpu));
        Arc::new(Session {
            owner: std::process::id(),
            stopping: AtomicBool::new(false),
            group,
            descriptors,
            inner: Mutex::new(Inner {
                debugger,
                threads,
                epoch: 0,
                detached: false,
                killed: false,
            }),
            changed: Condvar::new(),
        })
    }

    /// Whether this process is the one gdb debugs (false in a forked child).
    pub fn owned_here(&self) -> bool {
        self.owner == std::process::id()
    }

    /// In a forked child: lets go of the parent's connection without a word to gdb or
    /// a lock (another thread of the parent may have held it at the fork), and without
    /// dropping the stub (whose watcher thread is the parent's).
    pub fn abandon_after_fork(self: Arc<Self>) {
        super::close_inherited(&self.descriptors);
        // A Ctrl-C the parent has yet to report is not the child's.
        self.group
            .debugger_interrupt
            .store(false, Ordering::Release);
        std::mem::forget(self);
    }

    /// A new thread joins, with its registers at its first instruction. It parks at
    /// its first [`Session::checkpoint`] if the process is stopped.
    pub fn join(&self, tid: i32, cpu: &CpuState, engine: &mut Engine) {
        let mut g = lock(&self.inner);
        g.debugger.points().arm(engine);
        g.threads.insert(tid, new_slot(cpu));
    }

    /// A thread has ended.
    pub fn leave(&self, tid: i32) {
        lock(&self.inner).threads.remove(&tid);
        self.changed.notify_all();
    }

    /// Whether gdb sent Ctrl-C since the last resume (and forgets it).
    pub fn take_interrupt(&self) -> bool {
        self.group.debugger_interrupt.swap(false, Ordering::AcqRel)
    }

    /// Before running guest code: parks the thread if the process is stopping.
    pub fn checkpoint(&self, tid: i32, cpu: &mut CpuState, engine: &mut Engine) -> Option<Outcome> {
        if !self.stopping.load(Ordering::Acquire) {
            return None;
        }
        let g = lock(&self.inner);
        let (_g, outcome) = self.park(g, tid, cpu, engine);
        Some(outcome)
    }

    /// Before a system call: parks first if the process is stopping (the outcome of
    /// that stop, if any); then the thread's registers are published for gdb to read
    /// while the call runs.
    pub fn enter_syscall(
        &self,
        tid: i32,
        cpu: &mut CpuState,
        engine: &mut Engine,
    ) -> Option<Outcome> {
        let mut g = lock(&self.inner);
        let mut outcome = None;
        if self.stopping.load(Ordering::Acquire) {
            let (parked, o) = self.park(g, tid, cpu, engine);
            g = parked;
            outcome = Some(o);
        }
        let epoch = g.epoch;
        if let Some(slot) = g.threads.get_mut(&tid) {
            slot.place = Place::InSyscall;
            slot.cpu = cpu.clone();
            // As Linux shows a thread in a system call: past its `ecall`.
            slot.cpu.pc = cpu.pc.wrapping_add(4);
            slot.call_epoch = epoch;
        }
        outcome
    }

    /// After a system call: if gdb resumed the process while the call ran, how this
    /// thread goes on (it parks if that resume left it stopped, or if the process is
    /// stopped now).
    pub fn leave_syscall(
        &self,
        tid: i32,
        cpu: &mut CpuState,
        engine: &mut Engine,
    ) -> Option<Outcome> {
        let mut g = lock(&self.inner);
        let epoch = g.epoch;
        let slot = g.threads.get_mut(&tid)?;
        slot.place = Place::Running;
        let resumed = slot.call_epoch != epoch;
        let action = slot.action;
        if self.stopping.load(Ordering::Acquire) || g.detached || (resumed && action.is_none()) {
            return Some(self.park(g, tid, cpu, engine).1);
        }
        if !resumed {
            return None;
        }
        // gdb may have changed the breakpoints or watchpoints while the call ran.
        g.debugger.points().arm(engine);
        // No signal stop is pending for a thread that was in a system call.
        action.map(|a| {
            Outcome::from(Action {
                deliver: false,
                ..a
            })
        })
    }

    /// Whether gdb stops the process for `sig` rather than letting it through.
    pub fn stops_for(&self, sig: i32) -> bool {
        lock(&self.inner).debugger.stops_for(sig)
    }

    /// Reports `why` for thread `tid` (stopping every other thread first) and serves
    /// gdb until it resumes; how this thread goes on.
    pub fn report(
        &self,
        tid: i32,
        why: Stop,
        cpu: &mut CpuState,
        mem: &GuestMemory,
        engine: &mut Engine,
    ) -> Outcome {
        let mut g = lock(&self.inner);
        loop {
            if g.detached {
                return Outcome::Detach;
            }
            if g.killed {
                return Outcome::Kill;
            }
            if !self.stopping.load(Ordering::Acquire) {
                break;
            }
            // Another thread reports first: wait for the resume.
            let (parked, outcome) = self.park(g, tid, cpu, engine);
            g = parked;
            if !matches!(why, Stop::Signal(_)) {
                return outcome;
            }
            if outcome == Outcome::Kill || outcome == Outcome::Detach {
                return outcome;
            }
        }
        self.stopping.store(true, Ordering::Release);
        let group = g.debugger.group();
        for member in group.members() {
            if member.tid != tid {
                member.interrupt.store(true, Ordering::Release);
            }
        }
        while g
            .threads
            .iter()
            .any(|(&t, s)| t != tid && s.place == Place::Running)
        {
            g = self.changed.wait(g).unwrap_or_else(|e| e.into_inner());
        }
        let mut others: BTreeMap<i32, OtherThread> = g
            .threads
            .iter()
            .filter(|(&t, _)| t != tid)
            .map(|(&t, s)| {
                let thread = OtherThread {
                    cpu: s.cpu.clone(),
                    writable: s.place == Place::Parked,
                };
                (t, thread)
            })
            .collect();
        let mut target = Target {
            tid,
            cpu,
            mem,
            engine,
            others: &mut others,
        };
        let resume = g.debugger.stop(why, &mut target);
        for (t, other) in others {
            if let Some(slot) = g.threads.get_mut(&t) {
                if slot.place == Place::Parked {
                    slot.cpu = other.cpu;
                }
            }
        }
        match resume {
            Resume::Go(plan) => {
                g.epoch += 1;
                for (&t, slot) in g.threads.iter_mut() {
                    slot.action = plan.action_for(t);
                }
                self.stopping.store(false, Ordering::Release);
                self.changed.notify_all();
                match plan.action_for(tid) {
                    Some(action) => action.into(),
                    // gdb runs other threads only: wait for a resume that names us.
                    None => self.park(g, tid, cpu, engine).1,
                }
            }
            Resume::Detach => {
                g.detached = true;
                self.stopping.store(false, Ordering::Release);
                self.changed.notify_all();
                Outcome::Detach
            }
            Resume::Kill => {
                // The process ends now; the other threads stay parked until it does.
                g.killed = true;
                Outcome::Kill
            }
        }
    }

    /// Tells gdb how the process ended.
    pub fn report_exit(&self, exit: crate::ProcessExit) {
        let mut g = lock(&self.inner);
        if !g.detached && !g.killed {
            g.debugger.report_exit(exit);
        }
    }

    /// Parks thread `tid` until a resume gives it an action (or gdb lets go); takes
    /// back the registers gdb may have written and gdb's breakpoints.
    fn park<'a>(
        &'a self,
        mut g: MutexGuard<'a, Inner>,
        tid: i32,
        cpu: &mut CpuState,
        engine: &mut Engine,
    ) -> (MutexGuard<'a, Inner>, Outcome) {
        let mut seen = g.epoch;
        let Some(slot) = g.threads.get_mut(&tid) else {
            // Not a thread gdb knows (it never joined): nothing to wait for.
            let go = Outcome::Go {
                step: false,
                deliver: false,
            };
            return (g, go);
        };
        slot.place = Place::Parked;
        slot.cpu = cpu.clone();
        self.changed.notify_all();
        let outcome = loop {
            if g.detached {
                break Outcome::Detach;
            }
            if !self.stopping.load(Ordering::Acquire) && g.epoch != seen {
                let action = g.threads.get(&tid).and_then(|s| s.action);
                if let Some(action) = action {
                    break action.into();
                }
                seen = g.epoch;
            }
            g = self.changed.wait(g).unwrap_or_else(|e| e.into_inner());
        };
        let points = g.debugger.points();
        if let Some(slot) = g.threads.get_mut(&tid) {
            slot.place = Place::Running;
            *cpu = slot.cpu.clone();
        }
        if outcome == Outcome::Detach {
            super::disarm(engine);
        } else {
            points.arm(engine);
        }
        (g, outcome)
    }
}
