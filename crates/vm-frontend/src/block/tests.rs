//! Block formation tests over small programs in a fake guest memory. Each instruction is
//! an encoding from GNU as with its assembly in a comment.

use super::translate_block;
use crate::MAX_BLOCK_INSNS;
use std::collections::BTreeSet;
use vm_ir::*;

const BASE: GuestAddr = 0x1_0000;

const NOP: u32 = 0x00000013; // addi zero, zero, 0
const C_NOP: u32 = 0x0001; // c.nop
const ECALL: u32 = 0x00000073; // ecall

/// Guest code as 16-bit parcels starting at some address; everything else is unmapped.
struct Memory {
    start: GuestAddr,
    parcels: Vec<u16>,
    fetched: BTreeSet<GuestAddr>,
}

impl Memory {
    /// Lays out `insns` from `start`: values with low bits `11` are 32-bit words, the
    /// rest 16-bit parcels.
    fn new(start: GuestAddr, insns: &[u32]) -> Memory {
        let mut parcels = Vec::new();
        for &insn in insns {
            parcels.push(insn as u16);
            if insn & 3 == 3 {
                parcels.push((insn >> 16) as u16);
            }
        }
        Memory {
            start,
            parcels,
            fetched: BTreeSet::new(),
        }
    }

    fn from_parcels(start: GuestAddr, parcels: &[u16]) -> Memory {
        Memory {
            start,
            parcels: parcels.to_vec(),
            fetched: BTreeSet::new(),
        }
    }

    fn fetch(&mut self, addr: GuestAddr) -> Option<u16> {
        self.fetched.insert(addr);
        let offset = addr.wrapping_sub(self.start);
        if offset & 1 != 0 {
            return None;
        }
        self.parcels.get(usize::try_from(offset / 2).ok()?).copied()
    }

    fn translate(&mut self, start: GuestAddr) -> IRBlock {
        translate_block(start, &mut |addr| self.fetch(addr))
    }
}

fn translate(insns: &[u32]) -> IRBlock {
    Memory::new(BASE, insns).translate(BASE)
}

fn marks(block: &IRBlock) -> Vec<(u32, GuestAddr)> {
    block.insns.iter().map(|m| (m.first_op, m.pc)).collect()
}

#[test]
fn a_block_runs_to_its_branch() {
    let block = translate(&[
        0x80058513, // addi a0, a1, -2048
        0x1501,     // c.addi a0, -32
        0x00813403, // ld s0, 8(sp)
        0x00b50863, // beq a0, a1, .+16
        NOP,        // not part of the block
    ]);
    assert_eq!(block.start, BASE);
    assert_eq!(block.len, 14);
    assert_eq!(block.ops.len(), 3);
    let pcs = [(0, BASE), (1, BASE + 4), (2, BASE + 6), (3, BASE + 10)];
    assert_eq!(marks(&block), pcs);
    let exit = BlockExit::Branch {
        cond: Cond::Eq,
        a: 10,
        b: 11,
        taken: BASE + 26,
        not_taken: BASE + 14,
    };
    assert_eq!(block.exit, exit);
}

#[test]
fn instructions_without_ops_still_get_marks() {
    let block = translate(&[
        0x0ff0000f, // fence
        0x00100013, // addi zero, zero, 1
        0x00150513, // addi a0, a0, 1
        ECALL,
    ]);
    let pcs = [(0, BASE), (0, BASE + 4), (0, BASE + 8), (1, BASE + 12)];
    assert_eq!(marks(&block), pcs);
    assert_eq!(block.len, 16);
    assert_eq!(block.exit, BlockExit::Syscall { pc: BASE + 12 });
}

#[test]
fn a_long_run_stops_after_max_block_insns() {
    let block = translate(&[0x00150513; 100]); // addi a0, a0, 1
    assert_eq!(block.insns.len(), MAX_BLOCK_INSNS);
    assert_eq!(block.ops.len(), MAX_BLOCK_INSNS);
    assert_eq!(block.len, 4 * MAX_BLOCK_INSNS as u32);
    let next = BASE + 4 * MAX_BLOCK_INSNS as u64;
    assert_eq!(block.exit, BlockExit::Jump { target: next });
}

#[test]
fn control_transfers_and_system_instructions_end_the_block() {
    let cases: [(u32, u32, BlockExit); 9] = [
        (ECALL, 4, BlockExit::Syscall { pc: BASE + 2 }), // ecall
        (0x00100073, 4, BlockExit::Breakpoint { pc: BASE + 2 }), // ebreak
        (0x9002, 2, BlockExit::Breakpoint { pc: BASE + 2 }), // c.ebreak
        (0x0000100f, 4, BlockExit::FenceI { next: BASE + 6 }), // fence.i
        (0xffdff06f, 4, BlockExit::Jump { target: BASE - 2 }), // jal zero, .-4
        (
            0xaffd,
            2,
            BlockExit::Jump {
                target: BASE + 2048,
            },
        ), // c.j .+2046
        (0x00008067, 4, BlockExit::JumpIndirect { target: TEMP_BASE }), // jalr zero, 0(ra)
        (0x8302, 2, BlockExit::JumpIndirect { target: TEMP_BASE }), // c.jr t1
        (
            0xcc7d,
            2,
            BlockExit::Branch {
                cond: Cond::Eq,
                a: 8,
                b: 0,
                taken: BASE + 256,
                not_taken: BASE + 4,
            },
        ), // c.beqz s0, .+254
    ];
    for (insn, len, exit) in cases {
        let block = translate(&[C_NOP, insn, NOP]);
        assert_eq!(block.exit, exit, "{insn:#x}");
        assert_eq!(block.len, 2 + len, "{insn:#x}");
        assert_eq!(marks(&block), [(0, BASE), (0, BASE + 2)], "{insn:#x}");
    }
}

#[test]
fn the_exit_may_read_a_temporary_of_the_last_instruction() {
    let block = translate(&[0x000780e7]); // jalr ra, 0(a5)
    let ops = [
        Op::BinImm {
            op: BinOp::And,
            dst: TEMP_BASE,
            a: 15,
            imm: !1,
        },
        Op::Const {
            dst: 1,
            imm: BASE + 4,
        },
    ];
    assert_eq!(block.ops, ops);
    assert_eq!(block.exit, BlockExit::JumpIndirect { target: TEMP_BASE });
}

#[test]
fn an_unfetchable_first_instruction_is_a_fetch_fault() {
    let block = Memory::new(BASE, &[NOP]).translate(BASE + 0x1000);
    let expected = IRBlock {
        start: BASE + 0x1000,
        len: 0,
        ops: vec![],
        insns: vec![],
        exit: BlockExit::FetchFault {
            pc: BASE + 0x1000,
            addr: BASE + 0x1000,
        },
    };
    assert_eq!(block, expected);
}

#[test]
fn an_illegal_first_instruction_is_reported_with_its_bits() {
    let block = translate(&[0xc0001073]); // unimp (csrrw zero, cycle, zero)
    let exit = BlockExit::IllegalInstruction {
        pc: BASE,
        bits: 0xc0001073,
    };
    assert_eq!(block.exit, exit);
    assert_eq!((block.ops.len(), block.insns.len(), block.len), (0, 0, 4));

    let block = translate(&[0x0000]); // c.unimp
    let exit = BlockExit::IllegalInstruction { pc: BASE, bits: 0 };
    assert_eq!(block.exit, exit);
    assert_eq!((block.ops.len(), block.insns.len(), block.len), (0, 0, 2));

    let block = translate(&[0x6101]); // c.addi16sp sp, 0 (reserved)
    let exit = BlockExit::IllegalInstruction {
        pc: BASE,
        bits: 0x6101,
    };
    assert_eq!(block.exit, exit);
}

#[test]
fn a_later_fault_ends_the_block_before_it() {
    // Runs off the end of the mapped code after three instructions.
    let block = translate(&[NOP, C_NOP, NOP]);
    assert_eq!(block.exit, BlockExit::Jump { target: BASE + 10 });
    assert_eq!(block.len, 10);
    assert_eq!(block.insns.len(), 3);

    // An illegal instruction in the middle.
    let block = translate(&[
        NOP, 0x0000, // c.unimp
        NOP,
    ]);
    assert_eq!(block.exit, BlockExit::Jump { target: BASE + 4 });
    assert_eq!((block.len, block.insns.len()), (4, 1));

    // A reserved 32-bit encoding in the middle.
    let block = translate(&[
        C_NOP, 0x10500073, // wfi
    ]);
    assert_eq!(block.exit, BlockExit::Jump { target: BASE + 2 });
    assert_eq!((block.len, block.insns.len()), (2, 1));
}

#[test]
fn a_32_bit_instruction_straddling_into_unmapped_memory_is_a_fetch_fault() {
    // Only the low parcel of `addi a0, a0, 1` (0x00150513) is mapped: the fault is at
    // the high one.
    let mut mem = Memory::from_parcels(BASE, &[0x0513]);
    let block = mem.translate(BASE);
    let exit = BlockExit::FetchFault {
        pc: BASE,
        addr: BASE + 2,
    };
    assert_eq!(block.exit, exit);
    assert_eq!((block.len, block.insns.len()), (0, 0));
    assert_eq!(mem.fetched, BTreeSet::from([BASE, BASE + 2]));

    // After a c.nop, the same straddling instruction ends the block before it.
    let block = Memory::from_parcels(BASE, &[0x0001, 0x0513]).translate(BASE);
    assert_eq!(block.exit, BlockExit::Jump { target: BASE + 2 });
    assert_eq!((block.len, block.insns.len()), (2, 1));
}

#[test]
fn nothing_past_the_exit_instruction_is_fetched() {
    let mut mem = Memory::new(BASE, &[C_NOP, ECALL, NOP]);
    mem.translate(BASE);
    assert_eq!(mem.fetched, BTreeSet::from([BASE, BASE + 2, BASE + 4]));
}

#[test]
fn the_pc_wraps_at_the_top_of_the_address_space() {
    let start = u64::MAX - 1;
    let mut mem = Memory::new(start, &[C_NOP, ECALL]);
    let block = mem.translate(start);
    assert_eq!(marks(&block), [(0, start), (0, 0)]);
    assert_eq!(block.exit, BlockExit::Syscall { pc: 0 });
    assert_eq!(block.len, 6);
}

#[test]
fn a_bounded_block_ends_at_its_limit_and_before_a_stop_address() {
    let mut mem = Memory::new(BASE, &[NOP, C_NOP, NOP, ECALL]);
    let mut t = super::Translator::default();
    let mut fetch = |a| mem.fetch(a);
    // One instruction: a single-step.
    let block = t.translate_bounded(BASE, &mut fetch, 1, &|_| false);
    assert_eq!(block.exit, BlockExit::Jump { target: BASE + 4 });
    assert_eq!((block.len, block.insns.len()), (4, 1));
    // A stop address ends the block before it, but not at the block's own start.
    let stop = |a| a == BASE + 6 || a == BASE;
    let block = t.translate_bounded(BASE, &mut fetch, MAX_BLOCK_INSNS, &stop);
    assert_eq!(block.exit, BlockExit::Jump { target: BASE + 6 });
    assert_eq!(block.insns.len(), 2);
    let block = t.translate_bounded(BASE + 6, &mut fetch, MAX_BLOCK_INSNS, &stop);
    assert_eq!(block.exit, BlockExit::Syscall { pc: BASE + 10 });
    // A limit of 0 still translates one instruction.
    let block = t.translate_bounded(BASE, &mut fetch, 0, &|_| false);
    assert_eq!(block.insns.len(), 1);
}
