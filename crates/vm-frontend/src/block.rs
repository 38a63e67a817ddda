//! Block formation: decode and lower guest instructions from a start address until one
//! ends the block.
//!
//! Invariants of the [`IRBlock`]s built here:
//! - Every translated instruction, including the one that forms the exit, has exactly one
//!   [`InsnMark`], in address order, and `len` is the sum of their lengths.
//! - A block ends after a branch, `jal`, `jalr` (and `c.j`/`c.jr`/`c.jalr`), `ecall`,
//!   `ebreak`, `fence.i`, or after [`MAX_BLOCK_INSNS`] instructions (`Jump` to the next pc;
//!   [`Translator::translate_bounded`] may end it earlier, the same way).
//! - Faults are raised only where execution really reaches them: an instruction after
//!   the first that cannot be fetched or is illegal ends the block *before* it with a
//!   `Jump` to its address, so the next block starts there and raises the fault.
//! - A block whose first instruction cannot be fetched has no ops, no marks, `len = 0`
//!   and exit `FetchFault`. A 32-bit instruction is fetched as two parcels (it may
//!   straddle a page); either failing is a fetch fault, at the parcel that failed.
//! - A block whose first instruction is illegal has no ops and no marks (the instruction
//!   never executes) and exit `IllegalInstruction` with the raw 16- or 32-bit encoding;
//!   its `len` is that instruction's length, so the block's byte range still covers the
//!   bytes its translation depends on.

use crate::{compressed, decode, insn_len, lower::lower, MAX_BLOCK_INSNS};
use vm_ir::{BlockExit, GuestAddr, IRBlock, InsnMark, Op};

/// The raw bits and length in bytes of the instruction at `pc`, or the address of the
/// first of its parcels that cannot be fetched.
fn fetch_insn(
    pc: GuestAddr,
    fetch: &mut dyn FnMut(GuestAddr) -> Option<u16>,
) -> Result<(u32, u64), GuestAddr> {
    let lo = fetch(pc).ok_or(pc)?;
    if insn_len(lo) == 2 {
        return Ok((lo as u32, 2));
    }
    let second = pc.wrapping_add(2);
    let hi = fetch(second).ok_or(second)?;
    Ok(((hi as u32) << 16 | lo as u32, 4))
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
    Translator::default().translate(start, fetch)
}

/// A block translator that keeps its working buffers between blocks, so that each
/// block's ops and marks are allocated once, at their exact size: a start-up translates
/// thousands of blocks once each, and growing vectors op by op cost more than decoding.
#[derive(Default)]
pub struct Translator {
    ops: Vec<Op>,
    insns: Vec<InsnMark>,
}

impl Translator {
    /// Translates the guest block starting at `start`; see the module docs.
    pub fn translate(
        &mut self,
        start: GuestAddr,
        fetch: &mut dyn FnMut(GuestAddr) -> Option<u16>,
    ) -> IRBlock {
        self.translate_bounded(start, fetch, MAX_BLOCK_INSNS, &|_| false)
    }

    /// Translates the block at `start` as [`Translator::translate`] does, but with at
    /// most `max_insns` instructions (at least one), ending it with a `Jump` before any
    /// later instruction whose address `ends_before` accepts (a debugger's breakpoint,
    /// which must start a block to be seen).
    pub fn translate_bounded(
        &mut self,
        start: GuestAddr,
        fetch: &mut dyn FnMut(GuestAddr) -> Option<u16>,
        max_insns: usize,
        ends_before: &dyn Fn(GuestAddr) -> bool,
    ) -> IRBlock {
        self.ops.clear();
        self.insns.clear();
        let (len, exit) = self.form(
            start,
            fetch,
            max_insns.clamp(1, MAX_BLOCK_INSNS),
            ends_before,
        );
        IRBlock {
            start,
            len,
            ops: self.ops.as_slice().to_vec(),
            insns: self.insns.as_slice().to_vec(),
            exit,
        }
    }

    /// Decodes and lowers into the buffers; returns the block's length and exit.
    fn form(
        &mut self,
        start: GuestAddr,
        fetch: &mut dyn FnMut(GuestAddr) -> Option<u16>,
        max_insns: usize,
        ends_before: &dyn Fn(GuestAddr) -> bool,
    ) -> (u32, BlockExit) {
        let mut pc = start;
        let mut len = 0u32;
        for _ in 0..max_insns {
            let first = self.insns.is_empty();
            if !first && ends_before(pc) {
                return (len, BlockExit::Jump { target: pc });
            }
            let (bits, insn_len) = match fetch_insn(pc, fetch) {
                Ok(insn) => insn,
                Err(addr) => {
                    let exit = if first {
                        BlockExit::FetchFault { pc, addr }
                    } else {
                        BlockExit::Jump { target: pc }
                    };
                    return (len, exit);
                }
            };
            let Some(insn) = decode_bits(bits, insn_len) else {
                if first {
                    return (insn_len as u32, BlockExit::IllegalInstruction { pc, bits });
                }
                return (len, BlockExit::Jump { target: pc });
            };
            self.insns.push(InsnMark {
                first_op: self.ops.len() as u32,
                pc,
            });
            let exit = lower(insn, pc, insn_len, &mut self.ops);
            len += insn_len as u32;
            pc = pc.wrapping_add(insn_len);
            if let Some(exit) = exit {
                return (len, exit);
            }
        }
        (len, BlockExit::Jump { target: pc })
    }
}

#[cfg(test)]
mod tests;
