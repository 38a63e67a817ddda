//! Translated blocks, found by guest address.
//!
//! Invariant: a cached block was translated from the guest bytes currently mapped at its
//! address, unless the guest wrote to its code without a `fence.i` (which RISC-V leaves
//! undefined). `fence.i` flushes the whole cache; mapping changes and
//! `riscv_flush_icache` discard the blocks translated from the bytes concerned
//! ([`BlockCache::invalidate`]). A block whose first instruction cannot be fetched is
//! never cached (see `Engine::translate`).

use crate::uop::{self, Uop};
use rustc_hash::FxHashMap;
use vm_ir::{GuestAddr, IRBlock};

/// Direct-mapped front cache size (entries); a power of two.
const FAST_SLOTS: usize = 4096;

/// The granule of the page index: blocks are found by the guest pages their bytes touch.
const PAGE_SHIFT: u32 = 12;

/// Index of a block in the cache.
pub(crate) type BlockId = u32;

pub(crate) struct CachedBlock {
    pub block: IRBlock,
    /// The interpreter's form of `block` (`uop::compile(&block)`).
    pub uops: Box<[Uop]>,
    /// Times the block was entered (drives promotion to a compiled tier).
    pub executions: u32,
    /// The blocks control last went to from here, as `(pc, id)`: a hint, valid only
    /// while block `id` is live and starts at `pc` ([`BlockCache::linked`]).
    pub links: [(GuestAddr, BlockId); 2],
}

/// Invariants: `by_pc` and `fast` name only live blocks, each at its start address (a
/// block's `links` may name any slot: they are checked against the slot's start, which a
/// freed slot sets to an odd address no guest pc has);
/// `by_page[p]` lists exactly the live blocks whose bytes touch page `p` (a block covers
/// at most `MAX_BLOCK_INSNS` instructions, so at most two pages); `free` lists the slots
/// of `blocks` that hold no live block, which `insert` reuses.
pub(crate) struct BlockCache {
    blocks: Vec<CachedBlock>,
    by_pc: FxHashMap<GuestAddr, BlockId>,
    by_page: FxHashMap<u64, Vec<BlockId>>,
    free: Vec<BlockId>,
    fast: Box<[(GuestAddr, BlockId)]>,
}

/// Blocks room is made for up front: a start-up translates thousands of blocks, and
/// growing the table by doubling copies every block again each time. The memory is only
/// touched as blocks arrive.
const INITIAL_BLOCKS: usize = 8192;

impl Default for BlockCache {
    fn default() -> Self {
        BlockCache {
            blocks: Vec::with_capacity(INITIAL_BLOCKS),
            by_pc: FxHashMap::with_capacity_and_hasher(INITIAL_BLOCKS, Default::default()),
            by_page: FxHashMap::default(),
            free: Vec::new(),
            fast: vec![(u64::MAX, 0); FAST_SLOTS].into_boxed_slice(),
        }
    }
}

/// The guest pages `[start, start + len)` touches (at least the first).
fn pages_of(start: GuestAddr, len: u32) -> std::ops::RangeInclusive<u64> {
    let last = start.saturating_add(u64::from(len.max(1)) - 1);
    (start >> PAGE_SHIFT)..=(last >> PAGE_SHIFT)
}

impl BlockCache {
    #[inline]
    fn fast_slot(pc: GuestAddr) -> usize {
        ((pc >> 1) as usize) & (FAST_SLOTS - 1)
    }

    /// The block starting at `pc`, if translated.
    #[inline]
    pub fn lookup(&mut self, pc: GuestAddr) -> Option<BlockId> {
        let slot = Self::fast_slot(pc);
        let (tag, id) = self.fast[slot];
        if tag == pc {
            return Some(id);
        }
        let id = *self.by_pc.get(&pc)?;
        self.fast[slot] = (pc, id);
        Some(id)
    }

    /// Caches `block` with its interpreter form.
    pub fn insert(&mut self, block: IRBlock) -> BlockId {
        let pc = block.start;
        let pages = pages_of(pc, block.len);
        let entry = CachedBlock {
            uops: uop::compile(&block),
            block,
            executions: 0,
            links: [(u64::MAX, 0); 2],
        };
        let id = match self.free.pop() {
            Some(id) => {
                self.blocks[id as usize] = entry;
                id
            }
            None => {
                self.blocks.push(entry);
                (self.blocks.len() - 1) as BlockId
            }
        };
        for page in pages {
            self.by_page.entry(page).or_default().push(id);
        }
        self.by_pc.insert(pc, id);
        self.fast[Self::fast_slot(pc)] = (pc, id);
        id
    }

    /// The block `from` links to at `pc`, if that link is still valid.
    #[inline]
    pub fn linked(&self, from: BlockId, pc: GuestAddr) -> Option<BlockId> {
        let links = &self.blocks[from as usize].links;
        let id = if links[0].0 == pc {
            links[0].1
        } else if links[1].0 == pc {
            links[1].1
        } else {
            return None;
        };
        match self.blocks.get(id as usize) {
            Some(b) if b.block.start == pc => Some(id),
            _ => None,
        }
    }

    /// Records that control went from block `from` to block `to` at `pc`.
    #[inline]
    pub fn link(&mut self, from: BlockId, pc: GuestAddr, to: BlockId) {
        if let Some(entry) = self.blocks.get_mut(from as usize) {
            let links = &mut entry.links;
            links[1] = links[0];
            links[0] = (pc, to);
        }
    }

    #[inline]
    pub fn get_mut(&mut self, id: BlockId) -> &mut CachedBlock {
        &mut self.blocks[id as usize]
    }

    /// Discards every translated block.
    pub fn flush(&mut self) {
        self.blocks.clear();
        self.by_pc.clear();
        self.by_page.clear();
        self.free.clear();
        self.fast.fill((u64::MAX, 0));
    }

    /// Discards the blocks translated from any byte of `[start, end)`; returns how many.
    pub fn invalidate(&mut self, start: GuestAddr, end: GuestAddr) -> usize {
        if start >= end {
            return 0;
        }
        let (first, last) = (start >> PAGE_SHIFT, (end - 1) >> PAGE_SHIFT);
        // Walk whichever is smaller: the range's pages or the pages holding code.
        let pages: Vec<u64> = if last - first < self.by_page.len() as u64 {
            (first..=last)
                .filter(|p| self.by_page.contains_key(p))
                .collect()
        } else {
            let mut v: Vec<u64> = self
                .by_page
                .keys()
                .copied()
                .filter(|p| (first..=last).contains(p))
                .collect();
            v.sort_unstable();
            v
        };
        let mut gone = 0;
        for page in pages {
            let Some(ids) = self.by_page.get(&page) else {
                continue;
            };
            let hit: Vec<BlockId> = ids
                .iter()
                .copied()
                .filter(|&id| {
                    let b = &self.blocks[id as usize].block;
                    b.start < end && b.start.saturating_add(u64::from(b.len.max(1))) > start
                })
                .collect();
            for id in hit {
                self.remove(id);
                gone += 1;
            }
        }
        gone
    }

    /// Unlinks live block `id` from every index and frees its slot.
    fn remove(&mut self, id: BlockId) {
        let entry = &mut self.blocks[id as usize];
        let (pc, len) = (entry.block.start, entry.block.len);
        // The slot keeps no address a link could match (guest pcs are even) until it
        // is reused; its ops go now.
        entry.block.start = u64::MAX;
        entry.block.ops = Vec::new();
        entry.block.insns = Vec::new();
        entry.uops = Box::default();
        for page in pages_of(pc, len) {
            if let Some(ids) = self.by_page.get_mut(&page) {
                ids.retain(|&other| other != id);
                if ids.is_empty() {
                    self.by_page.remove(&page);
                }
            }
        }
        self.by_pc.remove(&pc);
        let slot = Self::fast_slot(pc);
        if self.fast[slot] == (pc, id) {
            self.fast[slot] = (u64::MAX, 0);
        }
        self.free.push(id);
    }

    /// Number of live blocks.
    pub fn len(&self) -> usize {
        self.blocks.len() - self.free.len()
    }
}
