//! The table of mapped guest regions, kept sorted, page-aligned and non-overlapping.

use crate::Perm;
use std::collections::BTreeMap;
use vm_ir::GuestAddr;

/// What a region holds, for `/proc/self/maps` and `brk`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum RegionKind {
    Anonymous,
    /// Mapped from a file: path and the file offset of the region's start.
    File {
        path: String,
        offset: u64,
    },
    Heap,
    Stack,
    /// Pages the system maps into the guest for itself, shown under this name (as
    /// Linux shows `[vdso]`).
    System(&'static str),
}

/// A run of pages with one permission and one origin.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Region {
    pub start: GuestAddr,
    pub end: GuestAddr,
    pub perm: Perm,
    pub kind: RegionKind,
}

impl Region {
    /// The part of this region within `[start, end)`, keeping file offsets right.
    pub(crate) fn clip(&self, start: GuestAddr, end: GuestAddr) -> Region {
        let (s, e) = (self.start.max(start), self.end.min(end));
        let kind = match &self.kind {
            RegionKind::File { path, offset } => RegionKind::File {
                path: path.clone(),
                offset: offset + (s - self.start),
            },
            k => k.clone(),
        };
        Region {
            start: s,
            end: e,
            perm: self.perm,
            kind,
        }
    }
}

#[derive(Default)]
pub struct RegionMap {
    by_start: BTreeMap<GuestAddr, Region>,
}

impl RegionMap {
    pub fn iter(&self) -> impl Iterator<Item = &Region> {
        self.by_start.values()
    }

    /// The regions overlapping `[start, end)`, in address order; none when the range is
    /// empty or inverted (`end <= start`), which system calls may pass straight from the
    /// guest's arguments.
    pub fn overlapping(&self, start: GuestAddr, end: GuestAddr) -> impl Iterator<Item = &Region> {
        let end = end.max(start);
        let first = self
            .by_start
            .range(..start)
            .next_back()
            .filter(|(_, r)| r.end > start)
            .map(|(&s, _)| s)
            .unwrap_or(start);
        self.by_start
            .range(first..end)
            .map(|(_, r)| r)
            .filter(move |r| r.end > start && start < end)
    }

    /// Removes `[start, end)` from every region, splitting those that straddle it.
    pub fn remove(&mut self, start: GuestAddr, end: GuestAddr) {
        let hit: Vec<Region> = self.overlapping(start, end).cloned().collect();
        for r in hit {
            self.by_start.remove(&r.start);
            if r.start < start {
                self.put(r.clip(r.start, start));
            }
            if r.end > end {
                self.put(r.clip(end, r.end));
            }
        }
    }

    /// Inserts a region, replacing whatever overlapped it.
    pub fn insert(&mut self, region: Region) {
        self.remove(region.start, region.end);
        self.put(region);
    }

    /// Sets the permission of every mapped page in `[start, end)`.
    pub fn protect(&mut self, start: GuestAddr, end: GuestAddr, perm: Perm) {
        let hit: Vec<Region> = self.overlapping(start, end).cloned().collect();
        for r in hit {
            let mut inner = r.clip(start, end);
            inner.perm = perm;
            self.insert(inner);
        }
    }

    fn put(&mut self, region: Region) {
        if region.start < region.end {
            self.by_start.insert(region.start, region);
        }
    }

    /// Highest `align`-aligned free range of `len` bytes that ends at or below `below`.
    pub fn find_free_below(&self, len: u64, below: GuestAddr, align: u64) -> Option<GuestAddr> {
        let mut hole_end = below;
        for r in self.by_start.values().rev() {
            if r.start >= hole_end {
                hole_end = hole_end.min(r.start);
                continue;
            }
            let gap_start = r.end;
            if gap_start < hole_end {
                if let Some(cand) = hole_end.checked_sub(len).map(|c| c & !(align - 1)) {
                    if cand >= gap_start {
                        return Some(cand);
                    }
                }
            }
            hole_end = hole_end.min(r.start);
        }
        // The lowest pages stay unmapped so that null-pointer accesses fault.
        let floor = 0x10000;
        hole_end
            .checked_sub(len)
            .map(|c| c & !(align - 1))
            .filter(|&c| c >= floor)
    }
}
