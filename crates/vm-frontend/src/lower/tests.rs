//! Lowering tests: each case is an encoded instruction (from GNU as) with its assembly in a
//! comment, lowered at `PC`.

use super::lower;
use crate::compressed::expand;
use crate::decode::decode;
use crate::insn::Rounding;
use vm_ir::*;

const PC: GuestAddr = 0x1_0000;
const T0: Slot = TEMP_BASE;
const T1: Slot = TEMP_BASE + 1;
const A0: Slot = 10;
const A1: Slot = 11;
const A2: Slot = 12;
const FA0: Slot = FREG_BASE + 10;
const FA1: Slot = FREG_BASE + 11;
const FA2: Slot = FREG_BASE + 12;
const FA3: Slot = FREG_BASE + 13;

/// The ops and exit of the 32-bit instruction `word` at `PC`.
fn lower32(word: u32) -> (Vec<Op>, Option<BlockExit>) {
    let insn = decode(word).unwrap_or_else(|| panic!("{word:#010x} illegal"));
    let mut ops = Vec::new();
    let exit = lower(insn, PC, 4, &mut ops);
    assert_invariants(&ops, exit);
    (ops, exit)
}

/// The ops and exit of the compressed instruction `half` at `PC`.
fn lower16(half: u16) -> (Vec<Op>, Option<BlockExit>) {
    let insn = expand(half).unwrap_or_else(|| panic!("{half:#06x} illegal"));
    let mut ops = Vec::new();
    let exit = lower(insn, PC, 2, &mut ops);
    assert_invariants(&ops, exit);
    (ops, exit)
}

fn ops32(word: u32) -> Vec<Op> {
    let (ops, exit) = lower32(word);
    assert_eq!(exit, None, "{word:#010x} ends the block");
    ops
}

fn may_trap(op: &Op) -> bool {
    match *op {
        Op::Load { .. }
        | Op::Store { .. }
        | Op::LoadReserved { .. }
        | Op::StoreConditional { .. }
        | Op::Amo { .. }
        | Op::VMem(_)
        | Op::Vector(_) => true,
        Op::Fp { rm, .. } => rm == Rounding::Dyn,
        Op::Const { .. }
        | Op::Mov { .. }
        | Op::Bin { .. }
        | Op::BinImm { .. }
        | Op::Un { .. }
        | Op::ReadCsr { .. }
        | Op::WriteCsr { .. }
        | Op::VSetVl { .. } => false,
    }
}

fn written_slot(op: &Op) -> Option<Slot> {
    match *op {
        Op::Const { dst, .. }
        | Op::Mov { dst, .. }
        | Op::Bin { dst, .. }
        | Op::BinImm { dst, .. }
        | Op::Un { dst, .. }
        | Op::Load { dst, .. }
        | Op::LoadReserved { dst, .. }
        | Op::StoreConditional { dst, .. }
        | Op::Amo { dst, .. }
        | Op::ReadCsr { dst, .. }
        | Op::Fp { dst, .. }
        | Op::VSetVl { dst, .. } => Some(dst),
        Op::Vector(a) if a.op.is_scalar_result() => Some(a.vd),
        Op::Store { .. } | Op::WriteCsr { .. } | Op::VMem(_) | Op::Vector(_) => None,
    }
}

/// The IR invariants one instruction's ops must keep (see `vm_ir`'s crate docs).
pub(crate) fn assert_invariants(ops: &[Op], exit: Option<BlockExit>) {
    let mut wrote_guest = false;
    for op in ops {
        assert!(
            !(wrote_guest && may_trap(op)),
            "{op} may trap after a guest register write in {ops:?}"
        );
        if let Some(dst) = written_slot(op) {
            assert_ne!(dst, 0, "{op} writes x0");
            assert!((dst as usize) < NUM_SLOTS, "{op}");
            wrote_guest |= dst < TEMP_BASE;
        }
    }
    if let Some(BlockExit::JumpIndirect { target }) = exit {
        assert!(
            target >= TEMP_BASE,
            "indirect target should be a computed temp"
        );
    }
}

#[test]
fn every_legal_instruction_lowers_keeping_the_invariants() {
    for &(word, _) in crate::decode::tests::ALL {
        lower32(word);
    }
    for half in 0..=u16::MAX {
        if let Some(insn) = expand(half) {
            let mut ops = Vec::new();
            let exit = lower(insn, PC, 2, &mut ops);
            assert_invariants(&ops, exit);
        }
    }
}

#[test]
fn integer_operations() {
    let bin_imm = |op, imm| Op::BinImm {
        op,
        dst: A0,
        a: A1,
        imm,
    };
    let bin = |op| Op::Bin {
        op,
        dst: A0,
        a: A1,
        b: A2,
    };
    assert_eq!(ops32(0x80058513), [bin_imm(BinOp::Add, -2048)]); // addi a0, a1, -2048
    assert_eq!(ops32(0xfff5b513), [bin_imm(BinOp::Sltu, -1)]); // sltiu a0, a1, -1
    assert_eq!(ops32(0x4205d513), [bin_imm(BinOp::Sra, 32)]); // srai a0, a1, 32
    assert_eq!(ops32(0x41f5d51b), [bin_imm(BinOp::SraW, 31)]); // sraiw a0, a1, 31
    assert_eq!(ops32(0x40c58533), [bin(BinOp::Sub)]); // sub a0, a1, a2
    assert_eq!(ops32(0x00c5d53b), [bin(BinOp::SrlW)]); // srlw a0, a1, a2
    assert_eq!(ops32(0x02c5a533), [bin(BinOp::MulHSU)]); // mulhsu a0, a1, a2
    assert_eq!(ops32(0x02c5c53b), [bin(BinOp::DivW)]); // divw a0, a1, a2
}

#[test]
fn bitmanip_operations() {
    let bin = |op| Op::Bin {
        op,
        dst: A0,
        a: A1,
        b: A2,
    };
    let bin_imm = |op, imm| Op::BinImm {
        op,
        dst: A0,
        a: A1,
        imm,
    };
    let un = |op| Op::Un { op, dst: A0, a: A1 };
    assert_eq!(ops32(0x20c5c53b), [bin(BinOp::Sh2AddUw)]); // sh2add.uw a0, a1, a2
    assert_eq!(ops32(0x40c5e533), [bin(BinOp::OrN)]); // orn a0, a1, a2
    assert_eq!(ops32(0x68c59533), [bin(BinOp::BInv)]); // binv a0, a1, a2
    assert_eq!(ops32(0x0bf5951b), [bin_imm(BinOp::SllUw, 63)]); // slli.uw a0, a1, 63
    assert_eq!(ops32(0x61f5d51b), [bin_imm(BinOp::RorW, 31)]); // roriw a0, a1, 31
    assert_eq!(ops32(0x2a059513), [bin_imm(BinOp::BSet, 32)]); // bseti a0, a1, 32
    assert_eq!(ops32(0x6b85d513), [un(UnOp::Rev8)]); // rev8 a0, a1
    assert_eq!(ops32(0x0805c53b), [un(UnOp::ZextH)]); // zext.h a0, a1
    assert_eq!(ops32(0x6005951b), [un(UnOp::ClzW)]); // clzw a0, a1
}

#[test]
fn writes_to_x0_are_dropped() {
    assert_eq!(ops32(0x00100013), []); // addi zero, zero, 1
    assert_eq!(ops32(0x00001037), []); // lui zero, 1
    assert_eq!(ops32(0x00b00033), []); // add zero, zero, a1
    assert_eq!(ops32(0x02c58033), []); // mul zero, a1, a2
    assert_eq!(ops32(0x6b85d013), []); // rev8 zero, a1
    assert_eq!(ops32(0x04156013), []); // prefetch.r 64(a0) (ori zero, a0, 65)
    assert_eq!(lower16(0x0001), (vec![], None)); // c.nop
    assert_eq!(lower16(0x802e), (vec![], None)); // c.mv zero, a1
}

#[test]
fn upper_immediates_are_constants() {
    let c = |dst, imm| Op::Const { dst, imm };
    assert_eq!(ops32(0x12345537), [c(A0, 0x1234_5000)]); // lui a0, 0x12345
    assert_eq!(ops32(0xfffff537), [c(A0, 0xffff_ffff_ffff_f000)]); // lui a0, 0xfffff
    assert_eq!(ops32(0x00001517), [c(A0, PC + 0x1000)]); // auipc a0, 0x1
    assert_eq!(ops32(0x80000117), [c(2, PC.wrapping_sub(0x8000_0000))]); // auipc sp, 0x80000
}

#[test]
fn jumps_and_branches_end_the_block() {
    let link = |dst, imm| Op::Const { dst, imm };
    // jal ra, .+2048
    assert_eq!(
        lower32(0x001000ef),
        (
            vec![link(1, PC + 4)],
            Some(BlockExit::Jump { target: PC + 2048 })
        )
    );
    // jal zero, .-4
    assert_eq!(
        lower32(0xffdff06f),
        (vec![], Some(BlockExit::Jump { target: PC - 4 }))
    );
    // beq a0, a1, .+16
    let beq = BlockExit::Branch {
        cond: Cond::Eq,
        a: A0,
        b: A1,
        taken: PC + 16,
        not_taken: PC + 4,
    };
    assert_eq!(lower32(0x00b50863), (vec![], Some(beq)));
    // c.bnez a5, .-256
    let bnez = BlockExit::Branch {
        cond: Cond::Ne,
        a: 15,
        b: 0,
        taken: PC - 256,
        not_taken: PC + 2,
    };
    assert_eq!(lower16(0xf381), (vec![], Some(bnez)));
    // c.j .-2048
    let j = BlockExit::Jump { target: PC - 2048 };
    assert_eq!(lower16(0xb001), (vec![], Some(j)));
}

#[test]
fn jalr_computes_the_target_before_linking() {
    let indirect = Some(BlockExit::JumpIndirect { target: T0 });
    let add = |a, imm| Op::BinImm {
        op: BinOp::Add,
        dst: T0,
        a,
        imm,
    };
    let align = |a| Op::BinImm {
        op: BinOp::And,
        dst: T0,
        a,
        imm: !1,
    };
    let link = |dst, imm| Op::Const { dst, imm };
    // jalr ra, -1(a5)
    assert_eq!(
        lower32(0xfff780e7),
        (vec![add(15, -1), align(T0), link(1, PC + 4)], indirect)
    );
    // jalr zero, 0(ra) (ret)
    assert_eq!(lower32(0x00008067), (vec![align(1)], indirect));
    // c.jalr ra (links pc + 2 and reads ra before overwriting it)
    assert_eq!(lower16(0x9082), (vec![align(1), link(1, PC + 2)], indirect));
    // c.jr t1
    assert_eq!(lower16(0x8302), (vec![align(6)], indirect));
}

#[test]
fn loads_and_stores() {
    let load = |width, signed, dst, base, offset| Op::Load {
        width,
        signed,
        dst,
        base,
        offset,
    };
    // ld a0, 0(a0): one op, the load traps before it writes
    assert_eq!(ops32(0x00053503), [load(Width::B8, true, A0, A0, 0)]);
    // lbu t0, 0(t1)
    assert_eq!(ops32(0x00034283), [load(Width::B1, false, 5, 6, 0)]);
    // lwu zero, 12(a1): still loads, into a temporary
    assert_eq!(ops32(0x00c5e003), [load(Width::B4, false, T0, A1, 12)]);
    // c.lw a0, 124(a1)
    assert_eq!(lower16(0x5de8).0, [load(Width::B4, true, A0, A1, 124)]);
    // sh a2, 2047(a3)
    let sh = Op::Store {
        width: Width::B2,
        src: A2,
        base: 13,
        offset: 2047,
    };
    assert_eq!(ops32(0x7ec69fa3), [sh]);
}

#[test]
fn atomics() {
    // lr.d.aqrl a0, (a1)
    let lr = Op::LoadReserved {
        width: Width::B8,
        dst: A0,
        addr: A1,
    };
    assert_eq!(ops32(0x1605b52f), [lr]);
    // lr.w zero, (a1): still sets the reservation and may fault
    let lr0 = Op::LoadReserved {
        width: Width::B4,
        dst: T0,
        addr: A1,
    };
    assert_eq!(ops32(0x1005a02f), [lr0]);
    // sc.w.rl a0, a2, (a1)
    let sc = Op::StoreConditional {
        width: Width::B4,
        dst: A0,
        src: A2,
        addr: A1,
    };
    assert_eq!(ops32(0x1ac5a52f), [sc]);
    // amoadd.d.aq a0, a2, (a1): into a temporary, then to rd
    let amo = |op, width, dst| Op::Amo {
        op,
        width,
        dst,
        addr: A1,
        src: A2,
    };
    let to_a0 = Op::Mov { dst: A0, src: T0 };
    assert_eq!(ops32(0x04c5b52f), [amo(AmoOp::Add, Width::B8, T0), to_a0]);
    // amomaxu.w.rl zero, a2, (a1)
    assert_eq!(ops32(0xe2c5a02f), [amo(AmoOp::MaxU, Width::B4, T0)]);
}

#[test]
fn fp_loads_nan_box_singles() {
    let load = |width, dst, base, offset| Op::Load {
        width,
        signed: false,
        dst,
        base,
        offset,
    };
    let nan_box = Op::BinImm {
        op: BinOp::Or,
        dst: FA0,
        a: T0,
        imm: 0xffff_ffff_0000_0000_u64 as i64,
    };
    // flw fa0, -4(a1)
    assert_eq!(ops32(0xffc5a507), [load(Width::B4, T0, A1, -4), nan_box]);
    // fld fs0, 2040(sp)
    assert_eq!(ops32(0x7f813407), [load(Width::B8, FREG_BASE + 8, 2, 2040)]);
    // c.fldsp fa0, 504(sp)
    assert_eq!(lower16(0x357e).0, [load(Width::B8, FA0, 2, 504)]);
    let store = |width, src, base, offset| Op::Store {
        width,
        src,
        base,
        offset,
    };
    // fsw fa1, 4(a0)
    assert_eq!(ops32(0x00b52227), [store(Width::B4, FA1, A0, 4)]);
    // c.fsdsp fs0, 504(sp)
    assert_eq!(lower16(0xbfa2).0, [store(Width::B8, FREG_BASE + 8, 2, 504)]);
}

fn fp(op: FpOp, fmt: FpFmt, rm: Rounding, dst: Slot, a: Slot, b: Slot, c: Slot) -> Op {
    Op::Fp {
        op,
        fmt,
        rm,
        dst,
        a,
        b,
        c,
    }
}

#[test]
fn fp_arithmetic() {
    use FpFmt::{D, S};
    use Rounding::*;
    // fadd.s ft1, ft2, ft3
    let ft = |n| FREG_BASE + n;
    assert_eq!(
        ops32(0x003170d3),
        [fp(FpOp::Add, S, Dyn, ft(1), ft(2), ft(3), 0)]
    );
    // fdiv.d ft8, ft9, ft10, rup
    assert_eq!(
        ops32(0x1beebe53),
        [fp(FpOp::Div, D, Rup, ft(28), ft(29), ft(30), 0)]
    );
    // fsqrt.d fa0, fa1
    assert_eq!(ops32(0x5a05f553), [fp(FpOp::Sqrt, D, Dyn, FA0, FA1, 0, 0)]);
    // fnmsub.s fa0, fa1, fa2, fa3, rtz
    assert_eq!(
        ops32(0x68c5954b),
        [fp(FpOp::NegMulSub, S, Rtz, FA0, FA1, FA2, FA3)]
    );
    // fmadd.s fa0, fa1, fa2, fa3
    assert_eq!(
        ops32(0x68c5f543),
        [fp(FpOp::MulAdd, S, Dyn, FA0, FA1, FA2, FA3)]
    );
    // Instructions without an rm field carry a static mode, so they never trap.
    // fsgnjx.s fa0, fa1, fa2
    assert_eq!(
        ops32(0x20c5a553),
        [fp(FpOp::SgnJX, S, Rne, FA0, FA1, FA2, 0)]
    );
    // fmin.d fa0, fa1, fa2
    assert_eq!(ops32(0x2ac58553), [fp(FpOp::Min, D, Rne, FA0, FA1, FA2, 0)]);
}

#[test]
fn fp_results_in_integer_registers() {
    use FpFmt::{D, S};
    use Rounding::*;
    // feq.s a0, fa1, fa2
    assert_eq!(ops32(0xa0c5a553), [fp(FpOp::Eq, S, Rne, A0, FA1, FA2, 0)]);
    // fle.s zero, fa1, fa2: still runs (it may set the invalid flag), into a temporary
    assert_eq!(ops32(0xa0c58053), [fp(FpOp::Le, S, Rne, T0, FA1, FA2, 0)]);
    // fclass.d a0, fa1
    assert_eq!(ops32(0xe2059553), [fp(FpOp::Class, D, Rne, A0, FA1, 0, 0)]);
    // fcvt.w.s a0, fa1, rtz
    let w = FpOp::ToInt(IntKind::W);
    assert_eq!(ops32(0xc0059553), [fp(w, S, Rtz, A0, FA1, 0, 0)]);
    // fcvt.lu.d zero, fa1: may trap on a bad frm and sets flags
    let lu = FpOp::ToInt(IntKind::LU);
    assert_eq!(ops32(0xc235f053), [fp(lu, D, Dyn, T0, FA1, 0, 0)]);
    // fmv.x.d a0, fa1
    assert_eq!(
        ops32(0xe2058553),
        [fp(FpOp::MoveToInt, D, Rne, A0, FA1, 0, 0)]
    );
}

#[test]
fn fp_conversions_and_moves_from_integers() {
    use FpFmt::{D, S};
    use Rounding::*;
    // fcvt.s.lu fa0, a1
    let lu = FpOp::FromInt(IntKind::LU);
    assert_eq!(ops32(0xd035f553), [fp(lu, S, Dyn, FA0, A1, 0, 0)]);
    // fcvt.d.w fa0, a1 (exact, but carries its rm)
    let w = FpOp::FromInt(IntKind::W);
    assert_eq!(ops32(0xd2058553), [fp(w, D, Rne, FA0, A1, 0, 0)]);
    // fcvt.s.d fa0, fa1: fmt is the destination format
    assert_eq!(
        ops32(0x4015f553),
        [fp(FpOp::FromOther, S, Dyn, FA0, FA1, 0, 0)]
    );
    // fcvt.d.s fa0, fa1
    assert_eq!(
        ops32(0x42058553),
        [fp(FpOp::FromOther, D, Rne, FA0, FA1, 0, 0)]
    );
    // fmv.w.x fa0, a1
    assert_eq!(
        ops32(0xf0058553),
        [fp(FpOp::MoveFromInt, S, Rne, FA0, A1, 0, 0)]
    );
}

#[test]
fn csr_accesses() {
    let read = |csr| Op::ReadCsr { dst: T0, csr };
    let write = |csr, src| Op::WriteCsr { csr, src };
    let to_a0 = Op::Mov { dst: A0, src: T0 };
    let bin = |op, b| Op::Bin {
        op,
        dst: T1,
        a: T0,
        b,
    };
    let bin_imm = |op, imm| Op::BinImm {
        op,
        dst: T1,
        a: T0,
        imm,
    };
    // csrrw a0, fcsr, a1
    assert_eq!(
        ops32(0x00359573),
        [read(Csr::Fcsr), write(Csr::Fcsr, A1), to_a0]
    );
    // csrrw zero, frm, a1 (fsrm a1): no read
    assert_eq!(ops32(0x00259073), [write(Csr::Frm, A1)]);
    // csrrs a0, fflags, zero (frflags a0): no write
    assert_eq!(ops32(0x00102573), [read(Csr::FFlags), to_a0]);
    // csrrc zero, frm, a1
    assert_eq!(
        ops32(0x0025b073),
        [read(Csr::Frm), bin(BinOp::AndN, A1), write(Csr::Frm, T1)]
    );
    // csrrwi a0, frm, 3
    let three = Op::Const { dst: T1, imm: 3 };
    assert_eq!(
        ops32(0x0021d573),
        [read(Csr::Frm), three, write(Csr::Frm, T1), to_a0]
    );
    // csrrsi a0, fflags, 31
    assert_eq!(
        ops32(0x001fe573),
        [
            read(Csr::FFlags),
            bin_imm(BinOp::Or, 31),
            write(Csr::FFlags, T1),
            to_a0
        ]
    );
    // csrrci a0, fcsr, 1
    assert_eq!(
        ops32(0x0030f573),
        [
            read(Csr::Fcsr),
            bin_imm(BinOp::AndN, 1),
            write(Csr::Fcsr, T1),
            to_a0
        ]
    );
    // csrrs a0, cycle, zero (rdcycle a0)
    assert_eq!(ops32(0xc0002573), [read(Csr::Cycle), to_a0]);
    // csrrsi zero, instret, 0: the read happens, nothing is written
    assert_eq!(ops32(0xc0206073), [read(Csr::InstRet)]);
}

#[test]
fn system_instructions() {
    // ecall
    assert_eq!(
        lower32(0x00000073),
        (vec![], Some(BlockExit::Syscall { pc: PC }))
    );
    // ebreak
    let brk = Some(BlockExit::Breakpoint { pc: PC });
    assert_eq!(lower32(0x00100073), (vec![], brk));
    // c.ebreak
    assert_eq!(lower16(0x9002), (vec![], brk));
    // fence.i
    let fence_i = Some(BlockExit::FenceI { next: PC + 4 });
    assert_eq!(lower32(0x0000100f), (vec![], fence_i));
    // fence
    assert_eq!(lower32(0x0ff0000f), (vec![], None));
    // fence.tso
    assert_eq!(lower32(0x8330000f), (vec![], None));
}
