//! Block formation: decode and lower guest instructions from a start address until one
//! ends the block.
//!
//! Invariants of the [`IRBlock`]s built here:
//! - Every translated instruction, including the one that forms the exit, has exactly one
//!   [`InsnMark`], in address order, and `len` is the sum of their lengths.
//! - A block ends after a branch, `jal`, `jalr` (and `c.j`/`c.jr`/`c.jalr`), `ecall`,
//!   `ebreak`, `fence.i`, or after [`MAX_BLOCK_INSNS`] instructions (`Jump` to the next pc).
//! - Faults are raised only where execution really reaches them: an instruction after
//!   the first that cannot be fetched or is illegal ends the block *before* it with a
//!   `Jump` to its address, so the next block starts there and raises the fault.
//! - A block whose first instruction cannot be fetched has no ops, no marks, `len = 0`
//!   and exit `FetchFault`. A 32-bit instruction is fetched as two parcels (it may
//!   straddle a page); either failing is a fetch fault.
//! - A block whose first instruction is illegal has no ops and no marks (the instruction
//!   never executes) and exit `IllegalInstruction` with the raw 16- or 32-bit encoding;
//!   its `len` is that instruction's length, so the block's byte range still covers the
//!   bytes its translation depends on.

use crate::{compressed, decode, insn_len, lower::lower, MAX_BLOCK_INSNS};
use vm_ir::{BlockExit, GuestAddr, IRBlock, InsnMark};

/// The raw bits and length in bytes of the instruction at `pc`, or `None` if any of its
/// parcels cannot be fetched.
fn fetch_insn(
    pc: GuestAddr,
    fetch: &mut dyn FnMut(GuestAddr) -> Option<u16>,
) -> Option<(u32, u64)> {
    let lo = fetch(pc)?;
    if insn_len(lo) == 2 {
        return Some((lo as u32, 2));
    }
    let hi = fetch(pc.wrapping_add(2))?;
    Some(((hi as u32) << 16 | lo as u32, 4))
}

fn decode_bits(bits: u32, len: u64) -> Option<crate::Insn> {
    if len == 2 {
        compressed::expand(bits as u16)
    } else {
        decode::decode(bits)
    }
}

/// Translates the guest block starting at `start`; see the module docs.
pub fn translate_block(
    start: GuestAddr,
    fetch: &mut dyn FnMut(GuestAddr) -> Option<u16>,
) -> IRBlock {
    let mut block = IRBlock {
        start,
        len: 0,
        ops: Vec::new(),
        insns: Vec::new(),
        exit: BlockExit::Jump { target: start },
    };
    let mut pc = start;
    for _ in 0..MAX_BLOCK_INSNS {
        let first = block.insns.is_empty();
        let Some((bits, len)) = fetch_insn(pc, fetch) else {
            block.exit = if first {
                BlockExit::FetchFault { pc }
            } else {
                BlockExit::Jump { target: pc }
            };
            return block;
        };
        let Some(insn) = decode_bits(bits, len) else {
            block.exit = if first {
                block.len = len as u32;
                BlockExit::IllegalInstruction { pc, bits }
            } else {
                BlockExit::Jump { target: pc }
            };
            return block;
        };
        block.insns.push(InsnMark {
            first_op: block.ops.len() as u32,
            pc,
        });
        let exit = lower(insn, pc, len, &mut block.ops);
        block.len += len as u32;
        pc = pc.wrapping_add(len);
        if let Some(exit) = exit {
            block.exit = exit;
            return block;
        }
    }
    block.exit = BlockExit::Jump { target: pc };
    block
}

#[cfg(test)]
mod tests;
