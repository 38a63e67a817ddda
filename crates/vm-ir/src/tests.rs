use crate::semantics::*;
use crate::*;

#[test]
fn division_by_zero_and_overflow_follow_the_isa() {
    assert_eq!(eval_bin(BinOp::Div, 7, 0), u64::MAX);
    assert_eq!(eval_bin(BinOp::DivU, 7, 0), u64::MAX);
    assert_eq!(eval_bin(BinOp::Rem, 7, 0), 7);
    assert_eq!(eval_bin(BinOp::RemU, 7, 0), 7);
    assert_eq!(
        eval_bin(BinOp::Div, i64::MIN as u64, u64::MAX),
        i64::MIN as u64
    );
    assert_eq!(eval_bin(BinOp::Rem, i64::MIN as u64, u64::MAX), 0);
    assert_eq!(
        eval_bin(BinOp::DivW, 0x8000_0000, u64::MAX),
        0xffff_ffff_8000_0000
    );
    assert_eq!(eval_bin(BinOp::RemW, 0x8000_0000, u64::MAX), 0);
    assert_eq!(eval_bin(BinOp::DivUW, 5, 0), u64::MAX);
    assert_eq!(eval_bin(BinOp::RemUW, 0xffff_ffff, 0), u64::MAX);
    assert_eq!(eval_bin(BinOp::RemW, 0x1_0000_0005, 0), 5);
}

#[test]
fn high_multiplies_take_signedness_into_account() {
    assert_eq!(eval_bin(BinOp::MulH, u64::MAX, u64::MAX), 0);
    assert_eq!(eval_bin(BinOp::MulHU, u64::MAX, u64::MAX), u64::MAX - 1);
    assert_eq!(eval_bin(BinOp::MulHSU, u64::MAX, u64::MAX), u64::MAX);
    assert_eq!(eval_bin(BinOp::MulHSU, 2, u64::MAX), 1);
}

#[test]
fn word_ops_sign_extend_their_32_bit_result() {
    assert_eq!(eval_bin(BinOp::AddW, 0x7fff_ffff, 1), 0xffff_ffff_8000_0000);
    assert_eq!(eval_bin(BinOp::SllW, 1, 31), 0xffff_ffff_8000_0000);
    assert_eq!(
        eval_bin(BinOp::SrlW, 0xffff_ffff_8000_0000, 0),
        0xffff_ffff_8000_0000
    );
    assert_eq!(eval_bin(BinOp::SrlW, 0x8000_0000, 1), 0x4000_0000);
    assert_eq!(eval_bin(BinOp::SraW, 0x8000_0000, 4), 0xffff_ffff_f800_0000);
    assert_eq!(
        eval_bin(BinOp::SllW, 1, 32 + 3),
        8,
        "shift amount masked to 5 bits"
    );
}

#[test]
fn bitmanip_ops() {
    assert_eq!(
        eval_un(UnOp::OrcB, 0x0100_0000_0000_2300),
        0xff00_0000_0000_ff00
    );
    assert_eq!(
        eval_un(UnOp::Rev8, 0x0102_0304_0506_0708),
        0x0807_0605_0403_0201
    );
    assert_eq!(eval_un(UnOp::ClzW, 0), 32);
    assert_eq!(eval_un(UnOp::Ctz, 0), 64);
    // Only the low word counts, whatever the upper one holds (qemu 7.2 gets this wrong:
    // the random-instruction test cannot check it against qemu).
    assert_eq!(eval_un(UnOp::CtzW, 0x8000_0000_0000_0000), 32);
    assert_eq!(eval_un(UnOp::CtzW, 0x3c_0000_0000), 32);
    assert_eq!(eval_bin(BinOp::Sh3AddUw, 0xffff_ffff_0000_0001, 1), 9);
    assert_eq!(eval_bin(BinOp::RorW, 1, 1), 0xffff_ffff_8000_0000);
    assert_eq!(eval_bin(BinOp::BExt, 0b100, 2), 1);
}

#[test]
fn amo_word_ops_compare_as_32_bit() {
    assert_eq!(eval_amo(AmoOp::MaxU, Width::B4, 0xffff_ffff, 1), u64::MAX);
    assert_eq!(eval_amo(AmoOp::Min, Width::B4, 0xffff_ffff, 1), u64::MAX);
    assert_eq!(eval_amo(AmoOp::Add, Width::B8, 1, 2), 3);
}

#[test]
fn pc_of_op_maps_ops_to_instructions() {
    let block = IRBlock {
        start: 0x1000,
        len: 10,
        ops: vec![Op::Const { dst: 1, imm: 0 }; 4],
        insns: vec![
            InsnMark {
                first_op: 0,
                pc: 0x1000,
            },
            InsnMark {
                first_op: 2,
                pc: 0x1004,
            },
            InsnMark {
                first_op: 2,
                pc: 0x1006,
            },
            InsnMark {
                first_op: 4,
                pc: 0x1008,
            },
        ],
        exit: BlockExit::Syscall { pc: 0x1008 },
    };
    assert_eq!(block.pc_of_op(0), 0x1000);
    assert_eq!(block.pc_of_op(1), 0x1000);
    assert_eq!(block.pc_of_op(2), 0x1006);
    assert_eq!(block.pc_of_op(3), 0x1006);
    assert_eq!(block.insns_before_op(3), 2);
    assert_eq!(block.insn_count(), 4);
}

#[test]
fn rounding_bits_round_trip_through_from_bits() {
    for bits in 0..8 {
        match Rounding::from_bits(bits) {
            Some(rm) => assert_eq!(rm.bits(), bits),
            None => assert!(bits == 5 || bits == 6, "{bits} is reserved only if 5 or 6"),
        }
    }
}
