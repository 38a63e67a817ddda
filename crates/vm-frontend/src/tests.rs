//! Crate-level tests: instruction lengths and block formation over random memory.

use crate::lower::tests::assert_invariants;
use crate::{insn_len, translate_block, MAX_BLOCK_INSNS};
use vm_ir::{BlockExit, GuestAddr, IRBlock};

#[test]
fn instruction_length_comes_from_the_low_bits_of_the_first_parcel() {
    assert_eq!(insn_len(0x0001), 2); // c.nop
    assert_eq!(insn_len(0x8082), 2); // c.jr ra
    assert_eq!(insn_len(0x0000), 2); // c.unimp
    assert_eq!(insn_len(0x0513), 4); // low parcel of addi a0, a0, 1
    assert_eq!(insn_len(0xffff), 4); // a longer encoding, never legal
}

/// A small deterministic generator (xorshift64*), so the test needs no dependencies.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }
}

/// The block-level invariants every translated block keeps (see `block`'s module docs).
fn assert_block_invariants(block: &IRBlock) {
    assert!(block.insns.len() <= MAX_BLOCK_INSNS);
    let mut pc = block.start;
    for (i, mark) in block.insns.iter().enumerate() {
        assert_eq!(mark.pc, pc, "marks must be contiguous");
        let end = block
            .insns
            .get(i + 1)
            .map_or(block.ops.len(), |m| m.first_op as usize);
        assert!(mark.first_op as usize <= end && end <= block.ops.len());
        let ops = &block.ops[mark.first_op as usize..end];
        let last = i + 1 == block.insns.len();
        assert_invariants(ops, last.then_some(block.exit));
        let next = block.insns.get(i + 1).map(|m| m.pc);
        pc = next.unwrap_or(block.start.wrapping_add(block.len as u64));
    }
    match block.exit {
        BlockExit::FetchFault { pc, .. } | BlockExit::IllegalInstruction { pc, .. } => {
            assert_eq!(pc, block.start);
            assert!(block.insns.is_empty() && block.ops.is_empty());
        }
        _ => assert!(!block.insns.is_empty()),
    }
}

#[test]
fn random_code_translates_without_panicking() {
    let mut rng = Rng(0x853c_49e6_748f_ea9b);
    let mut blocks = 0;
    for _ in 0..200 {
        let parcels: Vec<u16> = (0..256).map(|_| rng.next() as u16).collect();
        let base: GuestAddr = 0x4000_0000;
        let mut fetch = |addr: GuestAddr| {
            let i = addr.checked_sub(base)? / 2;
            parcels.get(usize::try_from(i).ok()?).copied()
        };
        for offset in (0..parcels.len() as u64 * 2 + 4).step_by(2) {
            let block = translate_block(base + offset, &mut fetch);
            assert_block_invariants(&block);
            blocks += 1;
        }
    }
    assert!(blocks > 50_000);
}

#[test]
fn random_halves_and_words_decode_without_panicking() {
    let mut rng = Rng(0x2545_f491_4f6c_dd1d);
    for _ in 0..1_000_000 {
        let bits = rng.next();
        let _ = crate::decode::decode(bits as u32);
        let _ = crate::compressed::expand((bits >> 32) as u16);
    }
}
