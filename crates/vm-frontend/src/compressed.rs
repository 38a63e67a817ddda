//! RVC: 16-bit parcels to the [`Insn`] of their 32-bit expansion.
//!
//! [`expand`] is total over `u16`. It accepts exactly RV64C with the D-extension FP loads
//! and stores (`c.fld`, `c.fsd`, `c.fldsp`, `c.fsdsp`), Zcb and Zcmop. Reserved encodings
//! are `None`: the all-zero parcel, `c.addi4spn` with a zero immediate, `c.addi16sp`
//! and `c.lui` with a zero immediate (except Zcmop's `c.mop.n`: `c.lui` of an odd
//! `rd < 16`), `c.addiw`/`c.lwsp`/`c.ldsp` with `rd = x0`, `c.jr` with `rs1 = x0`, and
//! the slots Zcb leaves free (quadrant 0 funct3 = 4 with bits 12:10 above 3 or `c.sh`'s
//! bit 6 set; the unary row's selectors 6 and 7). HINTs
//! (`c.nop` with an immediate, `c.li`/`c.mv`/`c.add`/`c.slli`/`c.lui` with `rd = x0`,
//! zero shifts, `c.addi` with a zero immediate) are legal and expand to their no-op.
//! Parcels whose low two bits are `11` begin a 32-bit instruction: `None`.

use crate::insn::*;

/// Expands one 16-bit parcel.
pub fn expand(h: u16) -> Option<Insn> {
    let h = h as u32;
    match (h & 3, h >> 13) {
        (0, 0) => addi4spn(h),
        (0, 1) => Some(Insn::FLoad {
            fmt: FpFmt::D,
            rd: FReg::new(8 + ((h >> 2) & 7)),
            rs1: creg(h, 7),
            offset: uimm_d(h),
        }),
        (0, 2) => Some(Insn::Load {
            kind: LoadKind::Lw,
            rd: creg(h, 2),
            rs1: creg(h, 7),
            offset: uimm_w(h),
        }),
        (0, 3) => Some(Insn::Load {
            kind: LoadKind::Ld,
            rd: creg(h, 2),
            rs1: creg(h, 7),
            offset: uimm_d(h),
        }),
        (0, 4) => zcb_load_store(h),
        (0, 5) => Some(Insn::FStore {
            fmt: FpFmt::D,
            rs1: creg(h, 7),
            rs2: FReg::new(8 + ((h >> 2) & 7)),
            offset: uimm_d(h),
        }),
        (0, 6) => Some(Insn::Store {
            width: Width::B4,
            rs1: creg(h, 7),
            rs2: creg(h, 2),
            offset: uimm_w(h),
        }),
        (0, 7) => Some(Insn::Store {
            width: Width::B8,
            rs1: creg(h, 7),
            rs2: creg(h, 2),
            offset: uimm_d(h),
        }),
        (1, 0) => Some(alu_imm(
            AluImmOp::Addi,
            full_reg(h, 7),
            full_reg(h, 7),
            ci_imm(h),
        )),
        (1, 1) => {
            let rd = full_reg(h, 7);
            (!rd.is_zero()).then(|| alu_imm(AluImmOp::Addiw, rd, rd, ci_imm(h)))
        }
        (1, 2) => Some(alu_imm(
            AluImmOp::Addi,
            full_reg(h, 7),
            XReg::ZERO,
            ci_imm(h),
        )),
        (1, 3) => lui_addi16sp(h),
        (1, 4) => misc_alu(h),
        (1, 5) => Some(Insn::Jal {
            rd: XReg::ZERO,
            offset: j_offset(h),
        }),
        (1, 6) => Some(branch(h, Cond::Eq)),
        (1, 7) => Some(branch(h, Cond::Ne)),
        (2, 0) => {
            let rd = full_reg(h, 7);
            Some(alu_imm(AluImmOp::Slli, rd, rd, shamt(h)))
        }
        (2, 1) => Some(Insn::FLoad {
            fmt: FpFmt::D,
            rd: FReg::new(h >> 7),
            rs1: XReg::SP,
            offset: uimm_ldsp(h),
        }),
        (2, 2) => load_sp(h, LoadKind::Lw, uimm_lwsp(h)),
        (2, 3) => load_sp(h, LoadKind::Ld, uimm_ldsp(h)),
        (2, 4) => jr_mv_add(h),
        (2, 5) => Some(Insn::FStore {
            fmt: FpFmt::D,
            rs1: XReg::SP,
            rs2: FReg::new(h >> 2),
            offset: uimm_sdsp(h),
        }),
        (2, 6) => Some(Insn::Store {
            width: Width::B4,
            rs1: XReg::SP,
            rs2: full_reg(h, 2),
            offset: uimm_swsp(h),
        }),
        (2, 7) => Some(Insn::Store {
            width: Width::B8,
            rs1: XReg::SP,
            rs2: full_reg(h, 2),
            offset: uimm_sdsp(h),
        }),
        _ => None,
    }
}

// ---- fields ----

/// A 3-bit register field at bit `lo` naming `x8..x15`.
fn creg(h: u32, lo: u32) -> XReg {
    XReg::new(8 + ((h >> lo) & 7))
}

/// A 5-bit register field at bit `lo`.
fn full_reg(h: u32, lo: u32) -> XReg {
    XReg::new(h >> lo)
}

/// Sign-extends the low `bits` bits of `v`.
fn sext(v: u32, bits: u32) -> i32 {
    ((v << (32 - bits)) as i32) >> (32 - bits)
}

/// The 6-bit signed immediate of the CI format: `imm[5]` at bit 12, `imm[4:0]` at 6:2.
fn ci_imm(h: u32) -> i32 {
    sext(((h >> 7) & 0x20) | ((h >> 2) & 0x1f), 6)
}

/// The 6-bit shift amount of `c.slli`, `c.srli`, `c.srai`.
fn shamt(h: u32) -> i32 {
    (((h >> 7) & 0x20) | ((h >> 2) & 0x1f)) as i32
}

/// `c.lw`/`c.sw`: `uimm[5:3]` at 12:10, `uimm[2]` at 6, `uimm[6]` at 5.
fn uimm_w(h: u32) -> i32 {
    (((h >> 7) & 0x38) | ((h >> 4) & 0x4) | ((h << 1) & 0x40)) as i32
}

/// `c.ld`/`c.sd`/`c.fld`/`c.fsd`: `uimm[5:3]` at 12:10, `uimm[7:6]` at 6:5.
fn uimm_d(h: u32) -> i32 {
    (((h >> 7) & 0x38) | ((h << 1) & 0xc0)) as i32
}

/// `c.lwsp`: `uimm[5]` at 12, `uimm[4:2]` at 6:4, `uimm[7:6]` at 3:2.
fn uimm_lwsp(h: u32) -> i32 {
    (((h >> 7) & 0x20) | ((h >> 2) & 0x1c) | ((h << 4) & 0xc0)) as i32
}

/// `c.ldsp`/`c.fldsp`: `uimm[5]` at 12, `uimm[4:3]` at 6:5, `uimm[8:6]` at 4:2.
fn uimm_ldsp(h: u32) -> i32 {
    (((h >> 7) & 0x20) | ((h >> 2) & 0x18) | ((h << 4) & 0x1c0)) as i32
}

/// `c.swsp`: `uimm[5:2]` at 12:9, `uimm[7:6]` at 8:7.
fn uimm_swsp(h: u32) -> i32 {
    (((h >> 7) & 0x3c) | ((h >> 1) & 0xc0)) as i32
}

/// `c.sdsp`/`c.fsdsp`: `uimm[5:3]` at 12:10, `uimm[8:6]` at 9:7.
fn uimm_sdsp(h: u32) -> i32 {
    (((h >> 7) & 0x38) | ((h >> 1) & 0x1c0)) as i32
}

/// `c.j`: `offset[11|4|9:8|10|6|7|3:1|5]` at bits 12:2.
fn j_offset(h: u32) -> i32 {
    let v = ((h >> 1) & 0x800)
        | ((h >> 7) & 0x10)
        | ((h >> 1) & 0x300)
        | ((h << 2) & 0x400)
        | ((h >> 1) & 0x40)
        | ((h << 1) & 0x80)
        | ((h >> 2) & 0xe)
        | ((h << 3) & 0x20);
    sext(v, 12)
}

/// `c.beqz`/`c.bnez`: `offset[8|4:3]` at 12:10, `offset[7:6|2:1|5]` at 6:2.
fn b_offset(h: u32) -> i32 {
    let v = ((h >> 4) & 0x100)
        | ((h >> 7) & 0x18)
        | ((h << 1) & 0xc0)
        | ((h >> 2) & 0x6)
        | ((h << 3) & 0x20);
    sext(v, 9)
}

// ---- instructions ----

fn alu_imm(op: AluImmOp, rd: XReg, rs1: XReg, imm: i32) -> Insn {
    Insn::AluImm { op, rd, rs1, imm }
}

fn alu(op: AluOp, rd: XReg, rs1: XReg, rs2: XReg) -> Insn {
    Insn::Alu { op, rd, rs1, rs2 }
}

/// `c.addi4spn rd', nzuimm`: `nzuimm[5:4|9:6|2|3]` at 12:5; zero is reserved.
fn addi4spn(h: u32) -> Option<Insn> {
    let imm = ((h >> 7) & 0x30) | ((h >> 1) & 0x3c0) | ((h >> 4) & 0x4) | ((h >> 2) & 0x8);
    (imm != 0).then(|| alu_imm(AluImmOp::Addi, creg(h, 2), XReg::SP, imm as i32))
}

/// `c.addi16sp` (`rd = x2`) and `c.lui` (any other `rd`); a zero immediate is reserved.
fn lui_addi16sp(h: u32) -> Option<Insn> {
    let rd = full_reg(h, 7);
    if rd == XReg::SP {
        let v = ((h >> 3) & 0x200)
            | ((h >> 2) & 0x10)
            | ((h << 1) & 0x40)
            | ((h << 4) & 0x180)
            | ((h << 3) & 0x20);
        (v != 0).then(|| alu_imm(AluImmOp::Addi, rd, rd, sext(v, 10)))
    } else {
        let imm = ci_imm(h);
        if imm == 0 {
            // Zcmop fills the reserved `c.lui` with a zero immediate for odd `rd < 16`.
            let n = rd.index();
            return (n % 2 == 1 && n < 16).then_some(Insn::CMop { n: n as u8 });
        }
        Some(Insn::Lui { rd, imm: imm << 12 })
    }
}

/// Quadrant 1, funct3 = 4: `c.srli`, `c.srai`, `c.andi` and the register-register row.
fn misc_alu(h: u32) -> Option<Insn> {
    let rd = creg(h, 7);
    let rs2 = creg(h, 2);
    Some(match ((h >> 10) & 3, (h >> 12) & 1, (h >> 5) & 3) {
        (0, _, _) => alu_imm(AluImmOp::Srli, rd, rd, shamt(h)),
        (1, _, _) => alu_imm(AluImmOp::Srai, rd, rd, shamt(h)),
        (2, _, _) => alu_imm(AluImmOp::Andi, rd, rd, ci_imm(h)),
        (_, 0, 0) => alu(AluOp::Sub, rd, rd, rs2),
        (_, 0, 1) => alu(AluOp::Xor, rd, rd, rs2),
        (_, 0, 2) => alu(AluOp::Or, rd, rd, rs2),
        (_, 0, 3) => alu(AluOp::And, rd, rd, rs2),
        (_, 1, 0) => alu(AluOp::Subw, rd, rd, rs2),
        (_, 1, 1) => alu(AluOp::Addw, rd, rd, rs2),
        (_, 1, 2) => Insn::MulDiv {
            op: MulDivOp::Mul,
            rd,
            rs1: rd,
            rs2,
        },
        (_, 1, 3) => return zcb_unary(h, rd),
        _ => return None,
    })
}

/// Zcb's `c.zext.b`, `c.sext.b`, `c.zext.h`, `c.sext.h`, `c.zext.w` and `c.not` (bits
/// 4:2 of the `c.subw` row's last slot; 6 and 7 are reserved), as their 32-bit forms.
fn zcb_unary(h: u32, rd: XReg) -> Option<Insn> {
    let unary = |op| Insn::BitUnary { op, rd, rs1: rd };
    Some(match (h >> 2) & 7 {
        0 => alu_imm(AluImmOp::Andi, rd, rd, 0xff),
        1 => unary(BitUnaryOp::SextB),
        2 => unary(BitUnaryOp::ZextH),
        3 => unary(BitUnaryOp::SextH),
        4 => Insn::Bit {
            op: BitOp::AddUw,
            rd,
            rs1: rd,
            rs2: XReg::ZERO,
        },
        5 => alu_imm(AluImmOp::Xori, rd, rd, -1),
        _ => return None,
    })
}

/// Zcb's byte and halfword loads and stores (quadrant 0, funct3 = 4): `c.lbu`, `c.lhu`,
/// `c.lh`, `c.sb`, `c.sh`, with `uimm[0]` at bit 6 and `uimm[1]` at bit 5 (halfword
/// forms: bit 6 picks `c.lh` over `c.lhu`, and is reserved in `c.sh`).
fn zcb_load_store(h: u32) -> Option<Insn> {
    let (rs1, reg) = (creg(h, 7), creg(h, 2));
    let byte_offset = (((h >> 6) & 1) | ((h >> 4) & 2)) as i32;
    let half_offset = ((h >> 4) & 2) as i32;
    let load = |kind, offset| Insn::Load {
        kind,
        rd: reg,
        rs1,
        offset,
    };
    let store = |width, offset| Insn::Store {
        width,
        rs1,
        rs2: reg,
        offset,
    };
    Some(match ((h >> 10) & 7, (h >> 6) & 1) {
        (0, _) => load(LoadKind::Lbu, byte_offset),
        (1, 0) => load(LoadKind::Lhu, half_offset),
        (1, _) => load(LoadKind::Lh, half_offset),
        (2, _) => store(Width::B1, byte_offset),
        (3, 0) => store(Width::B2, half_offset),
        _ => return None,
    })
}

fn branch(h: u32, cond: Cond) -> Insn {
    Insn::Branch {
        cond,
        rs1: creg(h, 7),
        rs2: XReg::ZERO,
        offset: b_offset(h),
    }
}

/// `c.lwsp`/`c.ldsp`; `rd = x0` is reserved.
fn load_sp(h: u32, kind: LoadKind, offset: i32) -> Option<Insn> {
    let rd = full_reg(h, 7);
    (!rd.is_zero()).then_some(Insn::Load {
        kind,
        rd,
        rs1: XReg::SP,
        offset,
    })
}

/// Quadrant 2, funct3 = 4: `c.jr`, `c.mv`, `c.ebreak`, `c.jalr`, `c.add`.
fn jr_mv_add(h: u32) -> Option<Insn> {
    let rs1 = full_reg(h, 7);
    let rs2 = full_reg(h, 2);
    let jalr = |rd| Insn::Jalr { rd, rs1, offset: 0 };
    match ((h >> 12) & 1, rs1.is_zero(), rs2.is_zero()) {
        (0, true, true) => None,
        (0, false, true) => Some(jalr(XReg::ZERO)),
        (0, _, false) => Some(alu(AluOp::Add, rs1, XReg::ZERO, rs2)),
        (_, true, true) => Some(Insn::Ebreak),
        (_, false, true) => Some(jalr(XReg::RA)),
        (_, _, false) => Some(alu(AluOp::Add, rs1, rs1, rs2)),
    }
}

#[cfg(test)]
mod tests;
