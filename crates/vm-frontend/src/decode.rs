//! 32-bit RISC-V instruction words to [`Insn`].
//!
//! [`decode`] is total: every `u32` gives `Some` legal instruction or `None`, never a
//! panic. It accepts exactly RV64IMAFD, Zicsr, Zifencei, Zba, Zbb, Zbs, Zicond, Zfh, Zfa,
//! Zicbom, Zicboz, Zimop and Zawrs as a user-mode hart sees them; everything else,
//! reserved encodings, the reserved rounding modes 5 and 6, inaccessible CSRs and writes
//! to the read-only counters are `None` (illegal).
//! Words whose low two bits are not `11` are compressed parcels, not 32-bit words: `None`.

use crate::insn::*;

mod vector;

/// Decodes one 32-bit instruction word.
pub fn decode(w: u32) -> Option<Insn> {
    if w & 3 != 3 {
        return None;
    }
    match (w >> 2) & 0x1f {
        0x00 => load(w),
        0x01 if vector::is_vector_access(w) => vector::mem(w, false),
        0x01 => fp_load(w),
        0x03 => misc_mem(w),
        0x04 => op_imm(w),
        0x05 => Some(Insn::Auipc {
            rd: rd(w),
            imm: imm_u(w),
        }),
        0x06 => op_imm_32(w),
        0x08 => store(w),
        0x09 if vector::is_vector_access(w) => vector::mem(w, true),
        0x09 => fp_store(w),
        0x0b => amo(w),
        0x0c => op(w),
        0x0d => Some(Insn::Lui {
            rd: rd(w),
            imm: imm_u(w),
        }),
        0x0e => op_32(w),
        0x10 => fused(w, FFusedOp::MAdd),
        0x11 => fused(w, FFusedOp::MSub),
        0x12 => fused(w, FFusedOp::NMSub),
        0x13 => fused(w, FFusedOp::NMAdd),
        0x14 => op_fp(w),
        0x15 => vector::op_v(w),
        0x18 => branch(w),
        0x19 => jalr(w),
        0x1b => Some(Insn::Jal {
            rd: rd(w),
            offset: imm_j(w),
        }),
        0x1c => system(w),
        _ => None,
    }
}

// ---- fields ----

fn rd(w: u32) -> XReg {
    XReg::new(w >> 7)
}

fn rs1(w: u32) -> XReg {
    XReg::new(w >> 15)
}

fn rs2(w: u32) -> XReg {
    XReg::new(w >> 20)
}

fn frd(w: u32) -> FReg {
    FReg::new(w >> 7)
}

fn frs1(w: u32) -> FReg {
    FReg::new(w >> 15)
}

fn frs2(w: u32) -> FReg {
    FReg::new(w >> 20)
}

fn frs3(w: u32) -> FReg {
    FReg::new(w >> 27)
}

fn funct3(w: u32) -> u32 {
    (w >> 12) & 7
}

/// The `rs2` field as a number (an operation selector in some encodings).
fn rs2_field(w: u32) -> u32 {
    (w >> 20) & 31
}

fn funct7(w: u32) -> u32 {
    w >> 25
}

fn imm_i(w: u32) -> i32 {
    (w as i32) >> 20
}

fn imm_s(w: u32) -> i32 {
    ((w as i32) >> 25 << 5) | ((w >> 7) & 0x1f) as i32
}

fn imm_b(w: u32) -> i32 {
    ((w as i32) >> 31 << 12)
        | (((w >> 7) & 1) << 11) as i32
        | (((w >> 25) & 0x3f) << 5) as i32
        | (((w >> 8) & 0xf) << 1) as i32
}

fn imm_u(w: u32) -> i32 {
    (w & 0xffff_f000) as i32
}

fn imm_j(w: u32) -> i32 {
    ((w as i32) >> 31 << 20)
        | (w & 0x000f_f000) as i32
        | (((w >> 20) & 1) << 11) as i32
        | (((w >> 21) & 0x3ff) << 1) as i32
}

/// The 6-bit shift amount of the RV64 shift-immediates.
fn shamt6(w: u32) -> u8 {
    ((w >> 20) & 0x3f) as u8
}

fn rounding(w: u32) -> Option<Rounding> {
    Rounding::from_bits(funct3(w))
}

/// The format field of F/D/Zfh instructions (`fmt`, bits 26:25); Q is not supported.
fn fp_fmt(w: u32) -> Option<FpFmt> {
    fmt_code((w >> 25) & 3)
}

/// A 2-bit format code (also the source format of `fcvt` in the `rs2` field).
fn fmt_code(code: u32) -> Option<FpFmt> {
    match code {
        0 => Some(FpFmt::S),
        1 => Some(FpFmt::D),
        2 => Some(FpFmt::H),
        _ => None,
    }
}

fn int_kind(selector: u32) -> Option<IntKind> {
    Some(match selector {
        0 => IntKind::W,
        1 => IntKind::WU,
        2 => IntKind::L,
        3 => IntKind::LU,
        _ => return None,
    })
}

// ---- RV64I ----

fn load(w: u32) -> Option<Insn> {
    let kind = match funct3(w) {
        0 => LoadKind::Lb,
        1 => LoadKind::Lh,
        2 => LoadKind::Lw,
        3 => LoadKind::Ld,
        4 => LoadKind::Lbu,
        5 => LoadKind::Lhu,
        6 => LoadKind::Lwu,
        _ => return None,
    };
    Some(Insn::Load {
        kind,
        rd: rd(w),
        rs1: rs1(w),
        offset: imm_i(w),
    })
}

fn store(w: u32) -> Option<Insn> {
    let width = match funct3(w) {
        0 => Width::B1,
        1 => Width::B2,
        2 => Width::B4,
        3 => Width::B8,
        _ => return None,
    };
    Some(Insn::Store {
        width,
        rs1: rs1(w),
        rs2: rs2(w),
        offset: imm_s(w),
    })
}

fn branch(w: u32) -> Option<Insn> {
    let cond = match funct3(w) {
        0 => Cond::Eq,
        1 => Cond::Ne,
        4 => Cond::Lt,
        5 => Cond::Ge,
        6 => Cond::LtU,
        7 => Cond::GeU,
        _ => return None,
    };
    Some(Insn::Branch {
        cond,
        rs1: rs1(w),
        rs2: rs2(w),
        offset: imm_b(w),
    })
}

fn jalr(w: u32) -> Option<Insn> {
    if funct3(w) != 0 {
        return None;
    }
    Some(Insn::Jalr {
        rd: rd(w),
        rs1: rs1(w),
        offset: imm_i(w),
    })
}

/// `fence` (all of its `fm`, predecessor and successor sets, and any `rd`/`rs1`, which
/// are reserved-but-ignored), `fence.i`, and the cache-block operations (`rd` must be
/// `x0`; `cbo.inval` is illegal in a Linux user process, see [`CboOp`]).
fn misc_mem(w: u32) -> Option<Insn> {
    match funct3(w) {
        0 => Some(Insn::Fence {
            fm: (w >> 28) as u8,
            pred: ((w >> 24) & 0xf) as u8,
            succ: ((w >> 20) & 0xf) as u8,
        }),
        1 => Some(Insn::FenceI),
        2 if rd(w).is_zero() => {
            let op = match w >> 20 {
                1 => CboOp::Clean,
                2 => CboOp::Flush,
                4 => CboOp::Zero,
                _ => return None,
            };
            Some(Insn::Cbo { op, rs1: rs1(w) })
        }
        _ => None,
    }
}

fn op_imm(w: u32) -> Option<Insn> {
    let op = match funct3(w) {
        0 => AluImmOp::Addi,
        2 => AluImmOp::Slti,
        3 => AluImmOp::Sltiu,
        4 => AluImmOp::Xori,
        6 => AluImmOp::Ori,
        7 => AluImmOp::Andi,
        1 => return shift_left_imm(w),
        _ => return shift_right_imm(w),
    };
    Some(Insn::AluImm {
        op,
        rd: rd(w),
        rs1: rs1(w),
        imm: imm_i(w),
    })
}

/// `OP-IMM` with funct3 = 1: `slli`, `bclri`, `binvi`, `bseti` and the Zbb unary ops.
fn shift_left_imm(w: u32) -> Option<Insn> {
    let (rd, rs1, shamt) = (rd(w), rs1(w), shamt6(w));
    let bit_imm = |op| Some(Insn::BitImm { op, rd, rs1, shamt });
    match w >> 26 {
        0b000000 => {
            return Some(Insn::AluImm {
                op: AluImmOp::Slli,
                rd,
                rs1,
                imm: shamt as i32,
            })
        }
        0b010010 => return bit_imm(BitImmOp::Bclri),
        0b011010 => return bit_imm(BitImmOp::Binvi),
        0b001010 => return bit_imm(BitImmOp::Bseti),
        _ => {}
    }
    let op = match w >> 20 {
        0x600 => BitUnaryOp::Clz,
        0x601 => BitUnaryOp::Ctz,
        0x602 => BitUnaryOp::Cpop,
        0x604 => BitUnaryOp::SextB,
        0x605 => BitUnaryOp::SextH,
        _ => return None,
    };
    Some(Insn::BitUnary { op, rd, rs1 })
}

/// `OP-IMM` with funct3 = 5: `srli`, `srai`, `rori`, `bexti`, `orc.b`, `rev8`.
fn shift_right_imm(w: u32) -> Option<Insn> {
    let (rd, rs1, shamt) = (rd(w), rs1(w), shamt6(w));
    let alu = |op| {
        Some(Insn::AluImm {
            op,
            rd,
            rs1,
            imm: shamt as i32,
        })
    };
    let bit_imm = |op| Some(Insn::BitImm { op, rd, rs1, shamt });
    match w >> 26 {
        0b000000 => return alu(AluImmOp::Srli),
        0b010000 => return alu(AluImmOp::Srai),
        0b011000 => return bit_imm(BitImmOp::Rori),
        0b010010 => return bit_imm(BitImmOp::Bexti),
        _ => {}
    }
    let op = match w >> 20 {
        0x287 => BitUnaryOp::OrcB,
        0x6b8 => BitUnaryOp::Rev8,
        _ => return None,
    };
    Some(Insn::BitUnary { op, rd, rs1 })
}

fn op_imm_32(w: u32) -> Option<Insn> {
    let (rd, rs1) = (rd(w), rs1(w));
    let shamt5 = ((w >> 20) & 0x1f) as i32;
    let alu = |op, imm| Some(Insn::AluImm { op, rd, rs1, imm });
    match (funct3(w), funct7(w)) {
        (0, _) => alu(AluImmOp::Addiw, imm_i(w)),
        (1, 0b0000000) => alu(AluImmOp::Slliw, shamt5),
        (1, 0b0000100 | 0b0000101) => Some(Insn::BitImm {
            op: BitImmOp::SlliUw,
            rd,
            rs1,
            shamt: shamt6(w),
        }),
        (1, 0b0110000) => {
            let op = match rs2_field(w) {
                0 => BitUnaryOp::Clzw,
                1 => BitUnaryOp::Ctzw,
                2 => BitUnaryOp::Cpopw,
                _ => return None,
            };
            Some(Insn::BitUnary { op, rd, rs1 })
        }
        (5, 0b0000000) => alu(AluImmOp::Srliw, shamt5),
        (5, 0b0100000) => alu(AluImmOp::Sraiw, shamt5),
        (5, 0b0110000) => Some(Insn::BitImm {
            op: BitImmOp::Roriw,
            rd,
            rs1,
            shamt: shamt5 as u8,
        }),
        _ => None,
    }
}

/// `OP`: RV64I, M, Zba, Zbb, Zbs and Zicond register-register operations.
fn op(w: u32) -> Option<Insn> {
    let (rd, rs1, rs2) = (rd(w), rs1(w), rs2(w));
    let alu = |op| Some(Insn::Alu { op, rd, rs1, rs2 });
    let mul = |op| Some(Insn::MulDiv { op, rd, rs1, rs2 });
    let bit = |op| Some(Insn::Bit { op, rd, rs1, rs2 });
    let cond_zero = |op| Some(Insn::CondZero { op, rd, rs1, rs2 });
    match (funct7(w), funct3(w)) {
        (0b0000000, 0) => alu(AluOp::Add),
        (0b0000000, 1) => alu(AluOp::Sll),
        (0b0000000, 2) => alu(AluOp::Slt),
        (0b0000000, 3) => alu(AluOp::Sltu),
        (0b0000000, 4) => alu(AluOp::Xor),
        (0b0000000, 5) => alu(AluOp::Srl),
        (0b0000000, 6) => alu(AluOp::Or),
        (0b0000000, 7) => alu(AluOp::And),
        (0b0100000, 0) => alu(AluOp::Sub),
        (0b0100000, 5) => alu(AluOp::Sra),
        (0b0000001, 0) => mul(MulDivOp::Mul),
        (0b0000001, 1) => mul(MulDivOp::Mulh),
        (0b0000001, 2) => mul(MulDivOp::Mulhsu),
        (0b0000001, 3) => mul(MulDivOp::Mulhu),
        (0b0000001, 4) => mul(MulDivOp::Div),
        (0b0000001, 5) => mul(MulDivOp::Divu),
        (0b0000001, 6) => mul(MulDivOp::Rem),
        (0b0000001, 7) => mul(MulDivOp::Remu),
        (0b0010000, 2) => bit(BitOp::Sh1add),
        (0b0010000, 4) => bit(BitOp::Sh2add),
        (0b0010000, 6) => bit(BitOp::Sh3add),
        (0b0100000, 7) => bit(BitOp::Andn),
        (0b0100000, 6) => bit(BitOp::Orn),
        (0b0100000, 4) => bit(BitOp::Xnor),
        (0b0000101, 4) => bit(BitOp::Min),
        (0b0000101, 5) => bit(BitOp::Minu),
        (0b0000101, 6) => bit(BitOp::Max),
        (0b0000101, 7) => bit(BitOp::Maxu),
        (0b0110000, 1) => bit(BitOp::Rol),
        (0b0110000, 5) => bit(BitOp::Ror),
        (0b0100100, 1) => bit(BitOp::Bclr),
        (0b0100100, 5) => bit(BitOp::Bext),
        (0b0110100, 1) => bit(BitOp::Binv),
        (0b0010100, 1) => bit(BitOp::Bset),
        (0b0000111, 5) => cond_zero(CondZeroOp::Eqz),
        (0b0000111, 7) => cond_zero(CondZeroOp::Nez),
        _ => None,
    }
}

/// `OP-32`: the W forms of RV64I, M, Zba and Zbb, and `zext.h`.
fn op_32(w: u32) -> Option<Insn> {
    let (rd, rs1, rs2) = (rd(w), rs1(w), rs2(w));
    let alu = |op| Some(Insn::Alu { op, rd, rs1, rs2 });
    let mul = |op| Some(Insn::MulDiv { op, rd, rs1, rs2 });
    let bit = |op| Some(Insn::Bit { op, rd, rs1, rs2 });
    match (funct7(w), funct3(w)) {
        (0b0000000, 0) => alu(AluOp::Addw),
        (0b0000000, 1) => alu(AluOp::Sllw),
        (0b0000000, 5) => alu(AluOp::Srlw),
        (0b0100000, 0) => alu(AluOp::Subw),
        (0b0100000, 5) => alu(AluOp::Sraw),
        (0b0000001, 0) => mul(MulDivOp::Mulw),
        (0b0000001, 4) => mul(MulDivOp::Divw),
        (0b0000001, 5) => mul(MulDivOp::Divuw),
        (0b0000001, 6) => mul(MulDivOp::Remw),
        (0b0000001, 7) => mul(MulDivOp::Remuw),
        (0b0000100, 0) => bit(BitOp::AddUw),
        // zext.h is `packw rd, rs1, x0`; the rest of packw is Zbkb.
        (0b0000100, 4) if rs2.is_zero() => Some(Insn::BitUnary {
            op: BitUnaryOp::ZextH,
            rd,
            rs1,
        }),
        (0b0010000, 2) => bit(BitOp::Sh1addUw),
        (0b0010000, 4) => bit(BitOp::Sh2addUw),
        (0b0010000, 6) => bit(BitOp::Sh3addUw),
        (0b0110000, 1) => bit(BitOp::Rolw),
        (0b0110000, 5) => bit(BitOp::Rorw),
        _ => None,
    }
}

/// `ecall`, `ebreak`, `wrs.nto`, `wrs.sto` (exact words only), the Zicsr instructions
/// and the Zimop `mop.r.n` / `mop.rr.n`.
fn system(w: u32) -> Option<Insn> {
    match w {
        0x0000_0073 => return Some(Insn::Ecall),
        0x0010_0073 => return Some(Insn::Ebreak),
        0x00d0_0073 => return Some(Insn::Wrs { sto: false }),
        0x01d0_0073 => return Some(Insn::Wrs { sto: true }),
        _ => {}
    }
    if funct3(w) == 4 {
        return may_be_op(w);
    }
    let op = match funct3(w) {
        1 | 5 => CsrOp::Rw,
        2 | 6 => CsrOp::Rs,
        3 | 7 => CsrOp::Rc,
        _ => return None,
    };
    let csr = Csr::from_number(w >> 20)?;
    let src = if funct3(w) & 4 != 0 {
        CsrSrc::Imm(((w >> 15) & 0x1f) as u8)
    } else {
        CsrSrc::Reg(rs1(w))
    };
    let writes = op == CsrOp::Rw || !src.is_zero();
    if writes && !csr.is_writable() {
        return None;
    }
    Some(Insn::Csr {
        op,
        csr,
        rd: rd(w),
        src,
    })
}

/// `SYSTEM` with funct3 = 4: the Zimop may-be-operations, `1 n4 00 n3:2 0111 n1:0`
/// (`mop.r.n`) and `1 n2 00 n1:0 1` (`mop.rr.n`) in bits 31:20 / 31:25.
fn may_be_op(w: u32) -> Option<Insn> {
    if w >> 31 != 1 || (w >> 28) & 3 != 0 {
        return None;
    }
    let (high, mid) = ((w >> 30) & 1, (w >> 26) & 3);
    if (w >> 25) & 1 == 1 {
        Some(Insn::MopRR {
            n: (high << 2 | mid) as u8,
            rd: rd(w),
            rs1: rs1(w),
            rs2: rs2(w),
        })
    } else if (w >> 22) & 0xf == 0b0111 {
        Some(Insn::MopR {
            n: (high << 4 | mid << 2 | (w >> 20) & 3) as u8,
            rd: rd(w),
            rs1: rs1(w),
        })
    } else {
        None
    }
}

// ---- A ----

fn amo(w: u32) -> Option<Insn> {
    let width = match funct3(w) {
        2 => Width::B4,
        3 => Width::B8,
        _ => return None,
    };
    let (rd, rs1, rs2) = (rd(w), rs1(w), rs2(w));
    let (aq, rl) = ((w >> 26) & 1 != 0, (w >> 25) & 1 != 0);
    let op = match w >> 27 {
        0b00010 if rs2.is_zero() => {
            return Some(Insn::Lr {
                width,
                rd,
                rs1,
                aq,
                rl,
            })
        }
        0b00011 => {
            return Some(Insn::Sc {
                width,
                rd,
                rs1,
                rs2,
                aq,
                rl,
            })
        }
        0b00001 => AmoOp::Swap,
        0b00000 => AmoOp::Add,
        0b00100 => AmoOp::Xor,
        0b01100 => AmoOp::And,
        0b01000 => AmoOp::Or,
        0b10000 => AmoOp::Min,
        0b10100 => AmoOp::Max,
        0b11000 => AmoOp::MinU,
        0b11100 => AmoOp::MaxU,
        _ => return None,
    };
    Some(Insn::Amo {
        op,
        width,
        rd,
        rs1,
        rs2,
        aq,
        rl,
    })
}

// ---- F and D ----

fn fp_width(w: u32) -> Option<FpFmt> {
    match funct3(w) {
        1 => Some(FpFmt::H),
        2 => Some(FpFmt::S),
        3 => Some(FpFmt::D),
        _ => None,
    }
}

fn fp_load(w: u32) -> Option<Insn> {
    Some(Insn::FLoad {
        fmt: fp_width(w)?,
        rd: frd(w),
        rs1: rs1(w),
        offset: imm_i(w),
    })
}

fn fp_store(w: u32) -> Option<Insn> {
    Some(Insn::FStore {
        fmt: fp_width(w)?,
        rs1: rs1(w),
        rs2: frs2(w),
        offset: imm_s(w),
    })
}

fn fused(w: u32, op: FFusedOp) -> Option<Insn> {
    Some(Insn::FFused {
        op,
        fmt: fp_fmt(w)?,
        rm: rounding(w)?,
        rd: frd(w),
        rs1: frs1(w),
        rs2: frs2(w),
        rs3: frs3(w),
    })
}

/// `OP-FP`: everything of F, D, Zfh and Zfa except loads, stores and the fused
/// multiply-adds. Zfa's `fmvh.x.d` and `fmvp.d.x` exist only in RV32: illegal here.
fn op_fp(w: u32) -> Option<Insn> {
    let fmt = fp_fmt(w)?;
    let (rd, rs1, rs2) = (frd(w), frs1(w), frs2(w));
    let arith = |op| {
        Some(Insn::FArith {
            op,
            fmt,
            rm: rounding(w)?,
            rd,
            rs1,
            rs2,
        })
    };
    match (w >> 27, funct3(w), rs2_field(w)) {
        (0b00000, _, _) => arith(FArithOp::Add),
        (0b00001, _, _) => arith(FArithOp::Sub),
        (0b00010, _, _) => arith(FArithOp::Mul),
        (0b00011, _, _) => arith(FArithOp::Div),
        (0b01011, _, 0) => Some(Insn::FSqrt {
            fmt,
            rm: rounding(w)?,
            rd,
            rs1,
        }),
        (0b00100, f3, _) => {
            let op = match f3 {
                0 => FSgnjOp::J,
                1 => FSgnjOp::Jn,
                2 => FSgnjOp::Jx,
                _ => return None,
            };
            Some(Insn::FSgnj {
                op,
                fmt,
                rd,
                rs1,
                rs2,
            })
        }
        (0b00101, f3, _) => {
            let op = match f3 {
                0 => FMinMaxOp::Min,
                1 => FMinMaxOp::Max,
                2 => FMinMaxOp::MinM,
                3 => FMinMaxOp::MaxM,
                _ => return None,
            };
            Some(Insn::FMinMax {
                op,
                fmt,
                rd,
                rs1,
                rs2,
            })
        }
        // fcvt.s.d (fmt S, source D = 1) and fcvt.d.s (fmt D, source S = 0).
        (0b01000, _, 1) if fmt == FpFmt::S => convert_fmt(w, fmt),
        (0b01000, _, 0) if fmt == FpFmt::D => convert_fmt(w, fmt),
        // Zfa fround (4) and froundnx (5).
        (0b01000, _, 4 | 5) => Some(Insn::FRound {
            exact: rs2_field(w) == 5,
            fmt,
            rm: rounding(w)?,
            rd,
            rs1,
        }),
        // Zfh: conversions between H and S or D.
        (0b01000, _, src) => {
            let from = fmt_code(src)?;
            if (fmt == FpFmt::H) == (from == FpFmt::H) {
                return None;
            }
            Some(Insn::FCvtHalf {
                to: fmt,
                from,
                rm: rounding(w)?,
                rd,
                rs1,
            })
        }
        (0b10100, f3, _) => {
            let op = match f3 {
                0 => FCmpOp::Le,
                1 => FCmpOp::Lt,
                2 => FCmpOp::Eq,
                4 => FCmpOp::Leq,
                5 => FCmpOp::Ltq,
                _ => return None,
            };
            Some(Insn::FCmp {
                op,
                fmt,
                rd: XReg::new(w >> 7),
                rs1,
                rs2,
            })
        }
        // Zfa fcvtmod.w.d: rs2 = 8, rounding mode rtz only.
        (0b11000, 1, 8) if fmt == FpFmt::D => Some(Insn::FCvtModWD {
            rd: XReg::new(w >> 7),
            rs1,
        }),
        (0b11000, _, sel) => Some(Insn::FCvtToInt {
            int: int_kind(sel)?,
            fmt,
            rm: rounding(w)?,
            rd: XReg::new(w >> 7),
            rs1,
        }),
        (0b11010, _, sel) => Some(Insn::FCvtFromInt {
            int: int_kind(sel)?,
            fmt,
            rm: rounding(w)?,
            rd,
            rs1: XReg::new(w >> 15),
        }),
        (0b11100, 0, 0) => Some(Insn::FMvToInt {
            fmt,
            rd: XReg::new(w >> 7),
            rs1,
        }),
        (0b11100, 1, 0) => Some(Insn::FClass {
            fmt,
            rd: XReg::new(w >> 7),
            rs1,
        }),
        // Zfa fli: the rs1 field numbers the constant.
        (0b11110, 0, 1) => Some(Insn::FLi {
            fmt,
            rd,
            index: ((w >> 15) & 31) as u8,
        }),
        (0b11110, 0, 0) => Some(Insn::FMvFromInt {
            fmt,
            rd,
            rs1: XReg::new(w >> 15),
        }),
        _ => None,
    }
}

fn convert_fmt(w: u32, fmt: FpFmt) -> Option<Insn> {
    Some(Insn::FCvtFmt {
        fmt,
        rm: rounding(w)?,
        rd: frd(w),
        rs1: frs1(w),
    })
}

#[cfg(test)]
pub(crate) mod tests;
