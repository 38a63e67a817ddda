//! [`Insn`] to IR ops and, for control transfers, a [`BlockExit`].
//!
//! The lowering keeps the IR invariants (see `vm_ir`'s crate docs):
//! - `x0` is never written. An instruction with `rd = x0` writes nothing, but anything
//!   with an observable effect besides `rd` still happens: loads, LR/SC and AMOs still
//!   access memory (into a temporary) so that faults are raised, and FP operations with an
//!   integer result still run (into a temporary) so that they set `fflags` and trap on an
//!   invalid dynamic rounding mode.
//! - Every op that can trap precedes every guest register write of its instruction: a
//!   trapping op may write its own destination (it traps before writing), and otherwise
//!   results are built in temporaries first (`jalr`, AMOs, CSR accesses).
//! - Instructions without an `rm` field (sign injection, min/max, comparisons, classify,
//!   moves) are lowered with the static [`Rounding::Rne`], which never traps.
//! - Exit instructions may leave values in temporaries for the exit to read
//!   (`jalr`'s target in `t0`).

use crate::insn::*;
use vm_ir::{freg, temp, xreg, BinOp, BlockExit, FpOp, GuestAddr, Op, Slot, UnOp};

const T0: Slot = temp(0);
const T1: Slot = temp(1);

/// The NaN-boxing pattern of a single-precision value in a 64-bit FP register.
const NAN_BOX: i64 = 0xffff_ffff_0000_0000_u64 as i64;
/// The NaN-boxing pattern of a half-precision value in a 64-bit FP register.
const NAN_BOX_H: i64 = 0xffff_ffff_ffff_0000_u64 as i64;

/// Zfa's `fli` constants, by index: half-, single- and double-precision encodings of
/// -1.0, the least positive normal number, 2^-16, 2^-15, 2^-8, 2^-7, 0.0625, 0.125, 0.25,
/// 0.3125, 0.375, 0.4375, 0.5, 0.625, 0.75, 0.875, 1.0, 1.25, 1.5, 1.75, 2.0, 2.5, 3.0,
/// 4.0, 8.0, 16.0, 128.0, 256.0, 2^15, 2^16 (+inf in half precision), +inf and the
/// canonical NaN.
#[rustfmt::skip]
const FLI: [(u16, u32, u64); 32] = [
    (0xbc00, 0xbf800000, 0xbff0000000000000), // 0
    (0x0400, 0x00800000, 0x0010000000000000), // 1
    (0x0100, 0x37800000, 0x3ef0000000000000), // 2
    (0x0200, 0x38000000, 0x3f00000000000000), // 3
    (0x1c00, 0x3b800000, 0x3f70000000000000), // 4
    (0x2000, 0x3c000000, 0x3f80000000000000), // 5
    (0x2c00, 0x3d800000, 0x3fb0000000000000), // 6
    (0x3000, 0x3e000000, 0x3fc0000000000000), // 7
    (0x3400, 0x3e800000, 0x3fd0000000000000), // 8
    (0x3500, 0x3ea00000, 0x3fd4000000000000), // 9
    (0x3600, 0x3ec00000, 0x3fd8000000000000), // 10
    (0x3700, 0x3ee00000, 0x3fdc000000000000), // 11
    (0x3800, 0x3f000000, 0x3fe0000000000000), // 12
    (0x3900, 0x3f200000, 0x3fe4000000000000), // 13
    (0x3a00, 0x3f400000, 0x3fe8000000000000), // 14
    (0x3b00, 0x3f600000, 0x3fec000000000000), // 15
    (0x3c00, 0x3f800000, 0x3ff0000000000000), // 16
    (0x3d00, 0x3fa00000, 0x3ff4000000000000), // 17
    (0x3e00, 0x3fc00000, 0x3ff8000000000000), // 18
    (0x3f00, 0x3fe00000, 0x3ffc000000000000), // 19
    (0x4000, 0x40000000, 0x4000000000000000), // 20
    (0x4100, 0x40200000, 0x4004000000000000), // 21
    (0x4200, 0x40400000, 0x4008000000000000), // 22
    (0x4400, 0x40800000, 0x4010000000000000), // 23
    (0x4800, 0x41000000, 0x4020000000000000), // 24
    (0x4c00, 0x41800000, 0x4030000000000000), // 25
    (0x5800, 0x43000000, 0x4060000000000000), // 26
    (0x5c00, 0x43800000, 0x4070000000000000), // 27
    (0x7800, 0x47000000, 0x40e0000000000000), // 28
    (0x7c00, 0x47800000, 0x40f0000000000000), // 29
    (0x7c00, 0x7f800000, 0x7ff0000000000000), // 30
    (0x7e00, 0x7fc00000, 0x7ff8000000000000), // 31
];

/// Rounding carried by FP ops whose instruction has no `rm` field.
const NO_RM: Rounding = Rounding::Rne;

fn x(r: XReg) -> Slot {
    xreg(r.index())
}

fn f(r: FReg) -> Slot {
    freg(r.index())
}

/// The slot for an integer result that must be computed even when `rd = x0`.
fn x_or_temp(rd: XReg) -> Slot {
    if rd.is_zero() {
        T0
    } else {
        x(rd)
    }
}

fn offset(pc: GuestAddr, by: i32) -> GuestAddr {
    pc.wrapping_add(by as i64 as u64)
}

/// Appends the ops of `insn`, which is `len` bytes long at `pc`, to `ops`. Returns the
/// block exit if the instruction ends the block.
pub fn lower(insn: Insn, pc: GuestAddr, len: u64, ops: &mut Vec<Op>) -> Option<BlockExit> {
    let next = pc.wrapping_add(len);
    let mut out = Lowering { ops };
    match insn {
        // ---- RV64I ----
        Insn::Lui { rd, imm } => out.constant(rd, imm as i64 as u64),
        Insn::Auipc { rd, imm } => out.constant(rd, offset(pc, imm)),
        Insn::Jal { rd, offset: by } => {
            out.constant(rd, next);
            return Some(BlockExit::Jump {
                target: offset(pc, by),
            });
        }
        Insn::Jalr { rd, rs1, offset } => {
            let mut base = x(rs1);
            if offset != 0 {
                out.bin_imm(BinOp::Add, T0, base, offset as i64);
                base = T0;
            }
            out.bin_imm(BinOp::And, T0, base, !1);
            out.constant(rd, next);
            return Some(BlockExit::JumpIndirect { target: T0 });
        }
        Insn::Branch {
            cond,
            rs1,
            rs2,
            offset: by,
        } => {
            return Some(BlockExit::Branch {
                cond,
                a: x(rs1),
                b: x(rs2),
                taken: offset(pc, by),
                not_taken: next,
            })
        }
        Insn::Load {
            kind,
            rd,
            rs1,
            offset,
        } => out.push(Op::Load {
            width: kind.width(),
            signed: kind.signed(),
            dst: x_or_temp(rd),
            base: x(rs1),
            offset,
        }),
        Insn::Store {
            width,
            rs1,
            rs2,
            offset,
        } => out.push(Op::Store {
            width,
            src: x(rs2),
            base: x(rs1),
            offset,
        }),
        Insn::AluImm { op, rd, rs1, imm } => {
            if !rd.is_zero() {
                out.bin_imm(alu_imm_op(op), x(rd), x(rs1), imm as i64);
            }
        }
        Insn::Alu { op, rd, rs1, rs2 } => out.bin(alu_op(op), rd, rs1, rs2),
        Insn::Fence { .. } => {}
        Insn::Ecall => return Some(BlockExit::Syscall { pc }),
        Insn::Ebreak => return Some(BlockExit::Breakpoint { pc }),

        // ---- M ----
        Insn::MulDiv { op, rd, rs1, rs2 } => out.bin(mul_div_op(op), rd, rs1, rs2),

        // ---- A ----
        Insn::Lr { width, rd, rs1, .. } => out.push(Op::LoadReserved {
            width,
            dst: x_or_temp(rd),
            addr: x(rs1),
        }),
        Insn::Sc {
            width,
            rd,
            rs1,
            rs2,
            ..
        } => out.push(Op::StoreConditional {
            width,
            dst: x_or_temp(rd),
            src: x(rs2),
            addr: x(rs1),
        }),
        Insn::Amo {
            op,
            width,
            rd,
            rs1,
            rs2,
            ..
        } => {
            out.push(Op::Amo {
                op,
                width,
                dst: T0,
                addr: x(rs1),
                src: x(rs2),
            });
            out.mov(rd, T0);
        }

        // ---- F and D ----
        Insn::FLoad {
            fmt,
            rd,
            rs1,
            offset,
        } => out.fp_load(fmt, rd, rs1, offset),
        Insn::FStore {
            fmt,
            rs1,
            rs2,
            offset,
        } => out.push(Op::Store {
            width: fp_width(fmt),
            src: f(rs2),
            base: x(rs1),
            offset,
        }),
        Insn::FArith {
            op,
            fmt,
            rm,
            rd,
            rs1,
            rs2,
        } => out.fp(farith_op(op), fmt, rm, f(rd), [f(rs1), f(rs2), 0]),
        Insn::FSqrt { fmt, rm, rd, rs1 } => out.fp(FpOp::Sqrt, fmt, rm, f(rd), [f(rs1), 0, 0]),
        Insn::FFused {
            op,
            fmt,
            rm,
            rd,
            rs1,
            rs2,
            rs3,
        } => out.fp(fused_op(op), fmt, rm, f(rd), [f(rs1), f(rs2), f(rs3)]),
        Insn::FSgnj {
            op,
            fmt,
            rd,
            rs1,
            rs2,
        } => {
            let op = match op {
                FSgnjOp::J => FpOp::SgnJ,
                FSgnjOp::Jn => FpOp::SgnJN,
                FSgnjOp::Jx => FpOp::SgnJX,
            };
            out.fp(op, fmt, NO_RM, f(rd), [f(rs1), f(rs2), 0]);
        }
        Insn::FMinMax {
            op,
            fmt,
            rd,
            rs1,
            rs2,
        } => {
            let op = match op {
                FMinMaxOp::Min => FpOp::Min,
                FMinMaxOp::Max => FpOp::Max,
                FMinMaxOp::MinM => FpOp::MinM,
                FMinMaxOp::MaxM => FpOp::MaxM,
            };
            out.fp(op, fmt, NO_RM, f(rd), [f(rs1), f(rs2), 0]);
        }
        Insn::FCmp {
            op,
            fmt,
            rd,
            rs1,
            rs2,
        } => {
            let op = match op {
                FCmpOp::Eq => FpOp::Eq,
                FCmpOp::Lt => FpOp::Lt,
                FCmpOp::Le => FpOp::Le,
                FCmpOp::Ltq => FpOp::LtQuiet,
                FCmpOp::Leq => FpOp::LeQuiet,
            };
            out.fp(op, fmt, NO_RM, x_or_temp(rd), [f(rs1), f(rs2), 0]);
        }
        Insn::FClass { fmt, rd, rs1 } => {
            out.fp(FpOp::Class, fmt, NO_RM, x_or_temp(rd), [f(rs1), 0, 0])
        }
        Insn::FCvtToInt {
            int,
            fmt,
            rm,
            rd,
            rs1,
        } => out.fp(FpOp::ToInt(int), fmt, rm, x_or_temp(rd), [f(rs1), 0, 0]),
        Insn::FCvtFromInt {
            int,
            fmt,
            rm,
            rd,
            rs1,
        } => out.fp(FpOp::FromInt(int), fmt, rm, f(rd), [x(rs1), 0, 0]),
        Insn::FCvtFmt { fmt, rm, rd, rs1 } => {
            out.fp(FpOp::FromOther, fmt, rm, f(rd), [f(rs1), 0, 0])
        }
        Insn::FMvToInt { fmt, rd, rs1 } => {
            out.fp(FpOp::MoveToInt, fmt, NO_RM, x_or_temp(rd), [f(rs1), 0, 0])
        }
        Insn::FMvFromInt { fmt, rd, rs1 } => {
            out.fp(FpOp::MoveFromInt, fmt, NO_RM, f(rd), [x(rs1), 0, 0])
        }

        // ---- Zfh ----
        Insn::FCvtHalf {
            to,
            from,
            rm,
            rd,
            rs1,
        } => out.fp(FpOp::FromFmt(from), to, rm, f(rd), [f(rs1), 0, 0]),

        // ---- Zfa ----
        Insn::FLi { fmt, rd, index } => {
            let (h, s, d) = FLI[index as usize];
            let imm = match fmt {
                FpFmt::H => NAN_BOX_H as u64 | u64::from(h),
                FpFmt::S => NAN_BOX as u64 | u64::from(s),
                FpFmt::D => d,
            };
            out.push(Op::Const { dst: f(rd), imm });
        }
        Insn::FRound {
            exact,
            fmt,
            rm,
            rd,
            rs1,
        } => {
            let op = if exact { FpOp::RoundNx } else { FpOp::Round };
            out.fp(op, fmt, rm, f(rd), [f(rs1), 0, 0]);
        }
        Insn::FCvtModWD { rd, rs1 } => out.fp(
            FpOp::ToIntMod,
            FpFmt::D,
            Rounding::Rtz,
            x_or_temp(rd),
            [f(rs1), 0, 0],
        ),

        // ---- Zicsr ----
        Insn::Csr { op, csr, rd, src } => out.csr(op, csr, rd, src),

        // ---- Zifencei ----
        Insn::FenceI => return Some(BlockExit::FenceI { next }),

        // ---- Zba, Zbb, Zbs ----
        Insn::Bit { op, rd, rs1, rs2 } => out.bin(bit_op(op), rd, rs1, rs2),
        Insn::BitImm { op, rd, rs1, shamt } => {
            if !rd.is_zero() {
                out.bin_imm(bit_imm_op(op), x(rd), x(rs1), shamt as i64);
            }
        }
        Insn::BitUnary { op, rd, rs1 } => {
            if !rd.is_zero() {
                out.push(Op::Un {
                    op: bit_unary_op(op),
                    dst: x(rd),
                    a: x(rs1),
                });
            }
        }

        // ---- V: one op each, executed by vm_vector ----
        Insn::VSetVl { rd, avl, vtype } => out.push(Op::VSetVl {
            dst: x_or_temp(rd),
            avl,
            vtype,
        }),
        Insn::VMem(m) => out.push(Op::VMem(m)),
        Insn::VArith(mut a) => {
            // A scalar result for x0 still runs (it can trap), into a temporary.
            if a.op.is_scalar_result() && a.vd == 0 {
                a.vd = T0;
            }
            out.push(Op::Vector(a));
        }
        // ---- Zicond ----
        Insn::CondZero { op, rd, rs1, rs2 } => {
            let op = match op {
                CondZeroOp::Eqz => BinOp::CZeroEqz,
                CondZeroOp::Nez => BinOp::CZeroNez,
            };
            out.bin(op, rd, rs1, rs2);
        }

        // ---- Zicbom, Zicboz ----
        Insn::Cbo { op, rs1 } => out.cbo(op, rs1),

        // ---- Zimop, Zcmop, Zawrs ----
        Insn::MopR { rd, .. } | Insn::MopRR { rd, .. } => out.constant(rd, 0),
        Insn::CMop { .. } | Insn::Wrs { .. } => {}
    }
    None
}

/// The cache block size of `cbo.*` (and of `prefetch.*`), as hwprobe reports it.
pub const CACHE_BLOCK_BYTES: u64 = 64;

/// The op list of the instruction being lowered, with emitters that skip `x0` writes.
struct Lowering<'a> {
    ops: &'a mut Vec<Op>,
}

impl Lowering<'_> {
    fn push(&mut self, op: Op) {
        self.ops.push(op);
    }

    fn constant(&mut self, rd: XReg, imm: u64) {
        if !rd.is_zero() {
            self.push(Op::Const { dst: x(rd), imm });
        }
    }

    fn mov(&mut self, rd: XReg, src: Slot) {
        if !rd.is_zero() {
            self.push(Op::Mov { dst: x(rd), src });
        }
    }

    fn bin(&mut self, op: BinOp, rd: XReg, rs1: XReg, rs2: XReg) {
        if !rd.is_zero() {
            self.push(Op::Bin {
                op,
                dst: x(rd),
                a: x(rs1),
                b: x(rs2),
            });
        }
    }

    fn bin_imm(&mut self, op: BinOp, dst: Slot, a: Slot, imm: i64) {
        self.push(Op::BinImm { op, dst, a, imm });
    }

    fn fp(&mut self, op: FpOp, fmt: FpFmt, rm: Rounding, dst: Slot, [a, b, c]: [Slot; 3]) {
        self.push(Op::Fp {
            op,
            fmt,
            rm,
            dst,
            a,
            b,
            c,
        });
    }

    /// `flw` loads 4 bytes and NaN-boxes them (`flh` 2 bytes); `fld` loads straight into
    /// the register.
    fn fp_load(&mut self, fmt: FpFmt, rd: FReg, rs1: XReg, offset: i32) {
        match fmt {
            FpFmt::H => {
                self.push(Op::Load {
                    width: vm_ir::Width::B2,
                    signed: false,
                    dst: T0,
                    base: x(rs1),
                    offset,
                });
                self.bin_imm(BinOp::Or, f(rd), T0, NAN_BOX_H);
            }
            FpFmt::S => {
                self.push(Op::Load {
                    width: vm_ir::Width::B4,
                    signed: false,
                    dst: T0,
                    base: x(rs1),
                    offset,
                });
                self.bin_imm(BinOp::Or, f(rd), T0, NAN_BOX);
            }
            FpFmt::D => self.push(Op::Load {
                width: vm_ir::Width::B8,
                signed: false,
                dst: f(rd),
                base: x(rs1),
                offset,
            }),
        }
    }

    /// `cbo.zero` stores zeros over the aligned block that holds the address in `rs1`,
    /// 8 bytes at a time: the block lies in one page, so either the first store faults
    /// (at the block's start, as a store) and nothing is written, or none does.
    /// `cbo.clean` and `cbo.flush` change nothing a program can see, but fault where
    /// neither a load nor a store may access the block: a load of its first byte.
    fn cbo(&mut self, op: CboOp, rs1: XReg) {
        self.bin_imm(BinOp::And, T0, x(rs1), !(CACHE_BLOCK_BYTES as i64 - 1));
        match op {
            CboOp::Zero => {
                for offset in (0..CACHE_BLOCK_BYTES as i32).step_by(8) {
                    self.push(Op::Store {
                        width: Width::B8,
                        src: xreg(0),
                        base: T0,
                        offset,
                    });
                }
            }
            CboOp::Clean | CboOp::Flush => self.push(Op::Load {
                width: Width::B1,
                signed: false,
                dst: T1,
                base: T0,
                offset: 0,
            }),
        }
    }

    /// Read the old value into `t0` (unless `csrrw` discards it), write the new value
    /// (unless `csrrs`/`csrrc` has a zero source), then copy `t0` to `rd`.
    fn csr(&mut self, op: CsrOp, csr: Csr, rd: XReg, src: CsrSrc) {
        let reads = !(op == CsrOp::Rw && rd.is_zero());
        let writes = op == CsrOp::Rw || !src.is_zero();
        if reads {
            self.push(Op::ReadCsr { dst: T0, csr });
        }
        if writes {
            let new = match (op, src) {
                (CsrOp::Rw, CsrSrc::Reg(r)) => x(r),
                (CsrOp::Rw, CsrSrc::Imm(i)) => {
                    self.push(Op::Const {
                        dst: T1,
                        imm: i as u64,
                    });
                    T1
                }
                (CsrOp::Rs | CsrOp::Rc, CsrSrc::Reg(r)) => {
                    let op = if op == CsrOp::Rs {
                        BinOp::Or
                    } else {
                        BinOp::AndN
                    };
                    self.push(Op::Bin {
                        op,
                        dst: T1,
                        a: T0,
                        b: x(r),
                    });
                    T1
                }
                (CsrOp::Rs | CsrOp::Rc, CsrSrc::Imm(i)) => {
                    let op = if op == CsrOp::Rs {
                        BinOp::Or
                    } else {
                        BinOp::AndN
                    };
                    self.bin_imm(op, T1, T0, i as i64);
                    T1
                }
            };
            self.push(Op::WriteCsr { csr, src: new });
        }
        if reads {
            self.mov(rd, T0);
        }
    }
}

fn fp_width(fmt: FpFmt) -> Width {
    match fmt {
        FpFmt::H => Width::B2,
        FpFmt::S => Width::B4,
        FpFmt::D => Width::B8,
    }
}

fn alu_imm_op(op: AluImmOp) -> BinOp {
    match op {
        AluImmOp::Addi => BinOp::Add,
        AluImmOp::Slti => BinOp::Slt,
        AluImmOp::Sltiu => BinOp::Sltu,
        AluImmOp::Xori => BinOp::Xor,
        AluImmOp::Ori => BinOp::Or,
        AluImmOp::Andi => BinOp::And,
        AluImmOp::Slli => BinOp::Sll,
        AluImmOp::Srli => BinOp::Srl,
        AluImmOp::Srai => BinOp::Sra,
        AluImmOp::Addiw => BinOp::AddW,
        AluImmOp::Slliw => BinOp::SllW,
        AluImmOp::Srliw => BinOp::SrlW,
        AluImmOp::Sraiw => BinOp::SraW,
    }
}

fn alu_op(op: AluOp) -> BinOp {
    match op {
        AluOp::Add => BinOp::Add,
        AluOp::Sub => BinOp::Sub,
        AluOp::Sll => BinOp::Sll,
        AluOp::Slt => BinOp::Slt,
        AluOp::Sltu => BinOp::Sltu,
        AluOp::Xor => BinOp::Xor,
        AluOp::Srl => BinOp::Srl,
        AluOp::Sra => BinOp::Sra,
        AluOp::Or => BinOp::Or,
        AluOp::And => BinOp::And,
        AluOp::Addw => BinOp::AddW,
        AluOp::Subw => BinOp::SubW,
        AluOp::Sllw => BinOp::SllW,
        AluOp::Srlw => BinOp::SrlW,
        AluOp::Sraw => BinOp::SraW,
    }
}

fn mul_div_op(op: MulDivOp) -> BinOp {
    match op {
        MulDivOp::Mul => BinOp::Mul,
        MulDivOp::Mulh => BinOp::MulH,
        MulDivOp::Mulhsu => BinOp::MulHSU,
        MulDivOp::Mulhu => BinOp::MulHU,
        MulDivOp::Div => BinOp::Div,
        MulDivOp::Divu => BinOp::DivU,
        MulDivOp::Rem => BinOp::Rem,
        MulDivOp::Remu => BinOp::RemU,
        MulDivOp::Mulw => BinOp::MulW,
        MulDivOp::Divw => BinOp::DivW,
        MulDivOp::Divuw => BinOp::DivUW,
        MulDivOp::Remw => BinOp::RemW,
        MulDivOp::Remuw => BinOp::RemUW,
    }
}

fn bit_op(op: BitOp) -> BinOp {
    match op {
        BitOp::Sh1add => BinOp::Sh1Add,
        BitOp::Sh2add => BinOp::Sh2Add,
        BitOp::Sh3add => BinOp::Sh3Add,
        BitOp::AddUw => BinOp::AddUw,
        BitOp::Sh1addUw => BinOp::Sh1AddUw,
        BitOp::Sh2addUw => BinOp::Sh2AddUw,
        BitOp::Sh3addUw => BinOp::Sh3AddUw,
        BitOp::Andn => BinOp::AndN,
        BitOp::Orn => BinOp::OrN,
        BitOp::Xnor => BinOp::XNor,
        BitOp::Min => BinOp::Min,
        BitOp::Minu => BinOp::MinU,
        BitOp::Max => BinOp::Max,
        BitOp::Maxu => BinOp::MaxU,
        BitOp::Rol => BinOp::Rol,
        BitOp::Ror => BinOp::Ror,
        BitOp::Rolw => BinOp::RolW,
        BitOp::Rorw => BinOp::RorW,
        BitOp::Bclr => BinOp::BClr,
        BitOp::Bext => BinOp::BExt,
        BitOp::Binv => BinOp::BInv,
        BitOp::Bset => BinOp::BSet,
    }
}

fn bit_imm_op(op: BitImmOp) -> BinOp {
    match op {
        BitImmOp::SlliUw => BinOp::SllUw,
        BitImmOp::Rori => BinOp::Ror,
        BitImmOp::Roriw => BinOp::RorW,
        BitImmOp::Bclri => BinOp::BClr,
        BitImmOp::Bexti => BinOp::BExt,
        BitImmOp::Binvi => BinOp::BInv,
        BitImmOp::Bseti => BinOp::BSet,
    }
}

fn bit_unary_op(op: BitUnaryOp) -> UnOp {
    match op {
        BitUnaryOp::Clz => UnOp::Clz,
        BitUnaryOp::Clzw => UnOp::ClzW,
        BitUnaryOp::Ctz => UnOp::Ctz,
        BitUnaryOp::Ctzw => UnOp::CtzW,
        BitUnaryOp::Cpop => UnOp::Cpop,
        BitUnaryOp::Cpopw => UnOp::CpopW,
        BitUnaryOp::SextB => UnOp::SextB,
        BitUnaryOp::SextH => UnOp::SextH,
        BitUnaryOp::ZextH => UnOp::ZextH,
        BitUnaryOp::OrcB => UnOp::OrcB,
        BitUnaryOp::Rev8 => UnOp::Rev8,
    }
}

fn farith_op(op: FArithOp) -> FpOp {
    match op {
        FArithOp::Add => FpOp::Add,
        FArithOp::Sub => FpOp::Sub,
        FArithOp::Mul => FpOp::Mul,
        FArithOp::Div => FpOp::Div,
    }
}

fn fused_op(op: FFusedOp) -> FpOp {
    match op {
        FFusedOp::MAdd => FpOp::MulAdd,
        FFusedOp::MSub => FpOp::MulSub,
        FFusedOp::NMSub => FpOp::NegMulSub,
        FFusedOp::NMAdd => FpOp::NegMulAdd,
    }
}

#[cfg(test)]
pub(crate) mod tests;
