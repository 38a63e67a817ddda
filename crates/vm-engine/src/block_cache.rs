//! Translated blocks, found by guest address.
//!
//! Invariant: a cached block was translated from the guest bytes currently mapped at its
//! address, unless the guest wrote to its code without a `fence.i` (which RISC-V leaves
//! undefined). Mapping changes and `fence.i` flush the cache. A block whose first
//! instruction cannot be fetched is never cached (see `Engine::translate`).

use rustc_hash::FxHashMap;
use vm_ir::{GuestAddr, IRBlock};

/// Direct-mapped front cache size (entries); a power of two.
const FAST_SLOTS: usize = 4096;

/// Index of a block in the cache.
pub(crate) type BlockId = u32;

pub(crate) struct CachedBlock {
    pub block: IRBlock,
    /// Times the block was entered (drives promotion to a compiled tier).
    pub executions: u32,
}

pub(crate) struct BlockCache {
    blocks: Vec<CachedBlock>,
    by_pc: FxHashMap<GuestAddr, BlockId>,
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
            fast: vec![(u64::MAX, 0); FAST_SLOTS].into_boxed_slice(),
        }
    }
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

    pub fn insert(&mut self, block: IRBlock) -> BlockId {
        let id = self.blocks.len() as BlockId;
        let pc = block.start;
        self.blocks.push(CachedBlock {
            block,
            executions: 0,
        });
        self.by_pc.insert(pc, id);
        self.fast[Self::fast_slot(pc)] = (pc, id);
        id
    }

    #[inline]
    pub fn get_mut(&mut self, id: BlockId) -> &mut CachedBlock {
        &mut self.blocks[id as usize]
    }

    /// Discards every translated block.
    pub fn flush(&mut self) {
        self.blocks.clear();
        self.by_pc.clear();
        self.fast.fill((u64::MAX, 0));
    }

    pub fn len(&self) -> usize {
        self.blocks.len()
    }
}
