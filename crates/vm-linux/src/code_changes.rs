//! The changes of guest code a thread group's threads must apply to their translations.
//!
//! Each guest thread's engine keeps its own translated blocks. A change of code (a
//! mapping of executable pages changed or removed, `riscv_flush_icache` after code was
//! written) is recorded here once, numbered by a generation; each thread remembers the
//! generation its translations reflect, and before it runs guest code again it applies
//! the changes it has not seen (see `Process::drop_stale_code`). The thread that made
//! the change applies it before it returns to guest code; the others are interrupted
//! at their next block boundary (the caller raises their interrupt flags), which is
//! when Linux's flush of every hart would reach them.
//!
//! Invariant: the log holds the changes that lead from generation `first` to
//! `first + entries.len()`, the current generation. Only the last [`LOG_LEN`] are kept:
//! a thread further behind (typically one blocked in a system call for a long time)
//! discards all its translations instead.

use crate::thread::lock;
use std::collections::VecDeque;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Mutex;
use vm_ir::GuestAddr;

/// Changes kept for threads that are behind.
pub const LOG_LEN: usize = 256;

/// What changed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CodeChange {
    /// Any code may have changed: every translation must go.
    All,
    /// The bytes, permissions or mapping of `[start, end)` changed.
    Range { start: GuestAddr, end: GuestAddr },
}

#[derive(Debug, Default)]
struct Log {
    first: u64,
    entries: VecDeque<CodeChange>,
}

/// The code changes of one thread group.
#[derive(Debug, Default)]
pub struct CodeChanges {
    /// The current generation, readable without the lock (the check on every return
    /// to guest code).
    generation: AtomicU64,
    log: Mutex<Log>,
}

impl CodeChanges {
    /// The current generation.
    pub fn generation(&self) -> u64 {
        self.generation.load(Ordering::Acquire)
    }

    /// Records a change; returns the new generation.
    pub fn record(&self, change: CodeChange) -> u64 {
        let mut log = lock(&self.log);
        log.entries.push_back(change);
        if log.entries.len() > LOG_LEN {
            log.entries.pop_front();
            log.first += 1;
        }
        let now = log.first + log.entries.len() as u64;
        // Stored under the lock, so that generation and log agree for every reader.
        self.generation.store(now, Ordering::Release);
        now
    }

    /// The changes after generation `seen`, in order, and the generation they lead to.
    /// The changes are `[All]` when some of them have left the log.
    pub fn since(&self, seen: u64) -> (Vec<CodeChange>, u64) {
        let log = lock(&self.log);
        let now = log.first + log.entries.len() as u64;
        if seen < log.first || seen > now {
            return (vec![CodeChange::All], now);
        }
        let skip = (seen - log.first) as usize;
        (log.entries.iter().skip(skip).copied().collect(), now)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_thread_gets_the_changes_it_has_not_seen() {
        let c = CodeChanges::default();
        assert_eq!(c.since(0), (vec![], 0));
        let r = CodeChange::Range {
            start: 0x1000,
            end: 0x1004,
        };
        assert_eq!(c.record(r), 1);
        assert_eq!(c.record(CodeChange::All), 2);
        assert_eq!(c.generation(), 2);
        assert_eq!(c.since(0), (vec![r, CodeChange::All], 2));
        assert_eq!(c.since(1), (vec![CodeChange::All], 2));
        assert_eq!(c.since(2), (vec![], 2));
    }

    #[test]
    fn a_thread_too_far_behind_drops_everything() {
        let c = CodeChanges::default();
        for i in 0..LOG_LEN as u64 + 1 {
            c.record(CodeChange::Range {
                start: i * 4,
                end: i * 4 + 4,
            });
        }
        let now = LOG_LEN as u64 + 1;
        assert_eq!(c.since(0), (vec![CodeChange::All], now));
        let (changes, _) = c.since(1);
        assert_eq!(changes.len(), LOG_LEN);
        assert_eq!(
            changes[0],
            CodeChange::Range { start: 4, end: 8 },
            "the oldest change kept"
        );
        assert_eq!(c.since(now + 1).0, vec![CodeChange::All]);
    }
}
