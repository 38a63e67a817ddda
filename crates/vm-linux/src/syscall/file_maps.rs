//! The guest ranges mapped `MAP_SHARED` from a file, with the descriptor they came from.
//!
//! Guest memory knows these ranges only as file regions; this table adds what the memory
//! system calls need: a duplicate of the host descriptor (to map the file again when
//! `mremap` moves or grows the mapping) and whether the descriptor allowed writing (a
//! shared mapping of a read-only descriptor is mapped read-only on the host, so
//! `mprotect(PROT_WRITE)` there must fail with `EACCES`, as in Linux, rather than let a
//! guest store hit a read-only host page).
//!
//! Invariant: entries are page-aligned, non-overlapping, and cover only guest pages that
//! are mapped shared from the entry's file; every call that unmaps or replaces guest pages
//! removes them here first.

use std::collections::BTreeMap;
use std::os::fd::{AsRawFd, OwnedFd};
use std::sync::Arc;

/// One shared file mapping (or the part of one that remains after splits).
#[derive(Clone, Debug)]
pub struct SharedFileMap {
    /// End of the range (exclusive); the start is the table key.
    pub end: u64,
    /// Host descriptor of the file (a private duplicate, closed when the last piece of
    /// the mapping goes); `None` if it could not be duplicated.
    pub fd: Option<Arc<OwnedFd>>,
    /// File offset of the range's start.
    pub offset: u64,
    /// Whether the descriptor was opened for writing (the host pages are writable).
    pub writable: bool,
}

/// The table of shared file mappings, by start address.
#[derive(Debug, Default)]
pub struct SharedFileMaps {
    by_start: BTreeMap<u64, SharedFileMap>,
}

impl SharedFileMaps {
    /// Records `[start, map.end)` as shared, replacing whatever overlapped it.
    pub fn insert(&mut self, start: u64, map: SharedFileMap) {
        self.remove(start, map.end);
        if start < map.end {
            self.by_start.insert(start, map);
        }
    }

    /// The pieces overlapping `[start, end)`, clipped to it, as `(start, map)`.
    pub fn overlapping(&self, start: u64, end: u64) -> Vec<(u64, SharedFileMap)> {
        self.by_start
            .range(..end)
            .filter(|(_, m)| m.end > start)
            .map(|(&s, m)| {
                let s2 = s.max(start);
                let clipped = SharedFileMap {
                    end: m.end.min(end),
                    offset: m.offset + (s2 - s),
                    ..m.clone()
                };
                (s2, clipped)
            })
            .collect()
    }

    /// Forgets `[start, end)`, splitting pieces that straddle its ends.
    pub fn remove(&mut self, start: u64, end: u64) {
        let hit: Vec<(u64, SharedFileMap)> = self
            .by_start
            .range(..end)
            .filter(|(_, m)| m.end > start)
            .map(|(&s, m)| (s, m.clone()))
            .collect();
        for (s, m) in hit {
            self.by_start.remove(&s);
            if s < start {
                let head = SharedFileMap {
                    end: start,
                    ..m.clone()
                };
                self.by_start.insert(s, head);
            }
            if m.end > end {
                let tail = SharedFileMap {
                    offset: m.offset + (end - s),
                    ..m
                };
                self.by_start.insert(end, tail);
            }
        }
    }

    /// Whether some page of `[start, end)` is shared from a descriptor opened read-only.
    pub fn forbids_write(&self, start: u64, end: u64) -> bool {
        self.overlapping(start, end)
            .iter()
            .any(|(_, m)| !m.writable)
    }

    /// Whether `fd` is one of the private duplicates held here (the guest never got
    /// it, so it must not close or replace it).
    pub fn holds_fd(&self, fd: i32) -> bool {
        self.by_start
            .values()
            .any(|m| m.fd.as_ref().is_some_and(|f| f.as_raw_fd() == fd))
    }

    /// The private duplicates held here, sorted and without repeats.
    pub fn held_fds(&self) -> Vec<i32> {
        let mut fds: Vec<i32> = self
            .by_start
            .values()
            .filter_map(|m| m.fd.as_ref().map(|f| f.as_raw_fd()))
            .collect();
        fds.sort_unstable();
        fds.dedup();
        fds
    }
}
