//! The integer operations whose operands have different widths: widening arithmetic
//! (`vw*`: a 2*SEW result at 2*LMUL), narrowing shifts (`vnsrl`, `vnsra`: a SEW result
//! from a 2*SEW source) and the extensions (`vzext`, `vsext`: a SEW result from a
//! SEW/2, SEW/4 or SEW/8 source), with the register-group rules of section 5.2 that
//! the fixed-point clips and `vwsll` share.
//!
//! Widening needs SEW < 64 and 2*LMUL <= 8; narrowing the same of its source. Where a
//! destination and a source of different widths may overlap (the spec allows only the
//! overlaps below), running the elements in ascending order is still correct: the bytes
//! element `i` writes hold only source elements `<= i`.

use crate::integer::{check_sources_off_v0, operand, sew_mask, sext};
use crate::state::{check_group, groups_overlap, VType, VectorState};
use crate::VTrap;
use vm_ir::vector::{VArith, VArithOp, VSrc};

/// Registers in a group of EMUL `2^emul_log2` (1 for fractional EMUL).
pub(crate) const fn group_regs(emul_log2: i32) -> u32 {
    if emul_log2 > 0 {
        1 << emul_log2
    } else {
        1
    }
}

/// Checks a source of smaller EEW than the destination's: a legal group, and any overlap
/// with the destination only as the destination's highest-numbered part with a source
/// EMUL of at least 1 (`vwadd.vv v2, v3, v4` at LMUL 1 is legal, `v2, v2, v4` is not).
pub(crate) fn check_narrower_source(
    vd: u8,
    vd_emul: i32,
    src: u8,
    src_emul: i32,
) -> Result<(), VTrap> {
    check_group(src, src_emul)?;
    let (d, s) = (group_regs(vd_emul), group_regs(src_emul));
    let highest_part = src_emul >= 0 && src as u32 + s == vd as u32 + d;
    if groups_overlap(vd, d, src, s) && !highest_part {
        return Err(VTrap::Illegal);
    }
    Ok(())
}

/// Checks a source of larger EEW than the destination's (a mask destination counts as
/// the smallest): a legal group, and any overlap only as the source's lowest-numbered
/// part (`vnsrl.wi v0, v0, 3` is legal, a destination of `v1` is not).
pub(crate) fn check_wider_source(
    vd: u8,
    vd_emul: i32,
    src: u8,
    src_emul: i32,
) -> Result<(), VTrap> {
    check_group(src, src_emul)?;
    if vd != src && groups_overlap(vd, group_regs(vd_emul), src, group_regs(src_emul)) {
        return Err(VTrap::Illegal);
    }
    Ok(())
}

/// Checks the destination of a widening operation: SEW < 64, a legal group at 2*LMUL,
/// not holding `v0` when masked.
pub(crate) fn check_wide_destination(vt: VType, vd: u8, masked: bool) -> Result<(), VTrap> {
    let emul = vt.lmul_log2 + 1;
    if vt.sew_log2 >= 3 {
        return Err(VTrap::Illegal);
    }
    check_group(vd, emul)?;
    if masked && groups_overlap(vd, group_regs(emul), 0, 1) {
        return Err(VTrap::Illegal);
    }
    Ok(())
}

/// Checks that groups read with different EEWs by one instruction do not overlap
/// (section 5.2: a register provides source operands of one EEW only).
fn check_one_eew(a: u8, a_emul: i32, b: u8, b_emul: i32) -> Result<(), VTrap> {
    if groups_overlap(a, group_regs(a_emul), b, group_regs(b_emul)) {
        return Err(VTrap::Illegal);
    }
    Ok(())
}

/// Checks a widening operation `vd (2*SEW) = op(vs2 (SEW or 2*SEW), vs1 (SEW))`; for
/// the widening multiply-adds `vd` is a 2*SEW source too.
pub(crate) fn check_widening(vt: VType, insn: &VArith, wide_vs2: bool) -> Result<(), VTrap> {
    let (lmul, wide) = (vt.lmul_log2, vt.lmul_log2 + 1);
    let accumulates = matches!(
        insn.op,
        VArithOp::WMAccU | VArithOp::WMAcc | VArithOp::WMAccUS | VArithOp::WMAccSU
    );
    check_wide_destination(vt, insn.vd, insn.masked)?;
    check_sources_off_v0(insn)?;
    if wide_vs2 {
        check_group(insn.vs2, wide)?;
    } else {
        check_narrower_source(insn.vd, wide, insn.vs2, lmul)?;
        if accumulates {
            check_one_eew(insn.vd, wide, insn.vs2, lmul)?;
        }
    }
    if let VSrc::V(r) = insn.src {
        check_narrower_source(insn.vd, wide, r, lmul)?;
        if wide_vs2 {
            check_one_eew(insn.vs2, wide, r, lmul)?;
        }
        if accumulates {
            check_one_eew(insn.vd, wide, r, lmul)?;
        }
    }
    Ok(())
}

/// Checks a narrowing operation `vd (SEW) = op(vs2 (2*SEW), vs1 (SEW))`: `vs1` may not
/// overlap `vs2` (read with another EEW).
pub(crate) fn check_narrowing(vt: VType, insn: &VArith) -> Result<(), VTrap> {
    let lmul = vt.lmul_log2;
    if vt.sew_log2 >= 3 {
        return Err(VTrap::Illegal);
    }
    check_group(insn.vd, lmul)?;
    check_wider_source(insn.vd, lmul, insn.vs2, lmul + 1)?;
    if let VSrc::V(r) = insn.src {
        check_group(r, lmul)?;
        check_one_eew(insn.vs2, lmul + 1, r, lmul)?;
    }
    if insn.masked && groups_overlap(insn.vd, group_regs(lmul), 0, 1) {
        return Err(VTrap::Illegal);
    }
    check_sources_off_v0(insn)
}

/// `vwadd[u]`, `vwsub[u]` and their `.w` forms, `vwmul[u|su]`, `vwmacc[u|us|su]`.
pub(crate) fn widening(
    v: &mut VectorState,
    vt: VType,
    insn: &VArith,
    regs: &[u64],
) -> Result<(), VTrap> {
    use VArithOp::*;
    let wide_vs2 = matches!(insn.op, WAddUW | WAddW | WSubUW | WSubW);
    check_widening(vt, insn, wide_vs2)?;
    // (vs2, src, vd, SEW bytes) -> vd, with vs2 and src as read (zero-extended), so
    // the signed forms extend them here. SEW <= 32, so the products fit in 64 bits.
    let op: fn(u64, u64, u64, usize) -> u64 = match insn.op {
        WAddU | WAddUW => |a, b, _, _| a.wrapping_add(b),
        WSubU | WSubUW => |a, b, _, _| a.wrapping_sub(b),
        WAdd => |a, b, _, n| sext(a, n).wrapping_add(sext(b, n)) as u64,
        WSub => |a, b, _, n| sext(a, n).wrapping_sub(sext(b, n)) as u64,
        WAddW => |a, b, _, n| a.wrapping_add(sext(b, n) as u64),
        WSubW => |a, b, _, n| a.wrapping_sub(sext(b, n) as u64),
        WMulU => |a, b, _, _| a.wrapping_mul(b),
        WMul => |a, b, _, n| sext(a, n).wrapping_mul(sext(b, n)) as u64,
        // Signed vs2, unsigned vs1.
        WMulSU => |a, b, _, n| sext(a, n).wrapping_mul(b as i64) as u64,
        WMAccU => |a, b, d, _| d.wrapping_add(a.wrapping_mul(b)),
        WMAcc => |a, b, d, n| d.wrapping_add(sext(a, n).wrapping_mul(sext(b, n)) as u64),
        // Signed vs1, unsigned vs2.
        WMAccSU => |a, b, d, n| d.wrapping_add(sext(b, n).wrapping_mul(a as i64) as u64),
        // Unsigned rs1, signed vs2.
        WMAccUS => |a, b, d, n| d.wrapping_add(sext(a, n).wrapping_mul(b as i64) as u64),
        _ => return Err(VTrap::Illegal),
    };
    let bytes = vt.sew_bytes();
    let wide = 2 * bytes;
    let vs2_bytes = if wide_vs2 { wide } else { bytes };
    for i in v.body() {
        if !v.active(insn.masked, i) {
            continue;
        }
        let a = v.get(insn.vs2, vs2_bytes, i);
        let b = operand(v, insn.src, regs, bytes, i);
        let d = v.get(insn.vd, wide, i);
        v.set(insn.vd, wide, i, op(a, b, d, bytes) & sew_mask(wide));
    }
    Ok(())
}

/// `vnsrl`, `vnsra`: `vd[i] = vs2[i] >> (src & (2*SEW - 1))`, truncated to SEW.
pub(crate) fn narrowing_shift(
    v: &mut VectorState,
    vt: VType,
    insn: &VArith,
    regs: &[u64],
) -> Result<(), VTrap> {
    check_narrowing(vt, insn)?;
    let bytes = vt.sew_bytes();
    let wide = 2 * bytes;
    let arithmetic = insn.op == VArithOp::NSra;
    for i in v.body() {
        if !v.active(insn.masked, i) {
            continue;
        }
        let a = v.get(insn.vs2, wide, i);
        let shift = operand(v, insn.src, regs, bytes, i) & (8 * wide as u64 - 1);
        let value = if arithmetic {
            (sext(a, wide) >> shift) as u64
        } else {
            a >> shift
        };
        v.set(insn.vd, bytes, i, value & sew_mask(bytes));
    }
    Ok(())
}

/// `vzext.vf2/4/8`, `vsext.vf2/4/8`: `vd[i]` (SEW) = `vs2[i]` (SEW / factor) extended.
pub(crate) fn extend(v: &mut VectorState, vt: VType, insn: &VArith) -> Result<(), VTrap> {
    use VArithOp::*;
    let (factor_log2, signed) = match insn.op {
        ZextVf2 => (1, false),
        ZextVf4 => (2, false),
        ZextVf8 => (3, false),
        SextVf2 => (1, true),
        SextVf4 => (2, true),
        SextVf8 => (3, true),
        _ => return Err(VTrap::Illegal),
    };
    // The source EEW must be at least 8.
    if vt.sew_log2 < factor_log2 {
        return Err(VTrap::Illegal);
    }
    let lmul = vt.lmul_log2;
    check_group(insn.vd, lmul)?;
    check_narrower_source(insn.vd, lmul, insn.vs2, lmul - factor_log2 as i32)?;
    if insn.masked && groups_overlap(insn.vd, group_regs(lmul), 0, 1) {
        return Err(VTrap::Illegal);
    }
    check_sources_off_v0(insn)?;
    let bytes = vt.sew_bytes();
    let narrow = bytes >> factor_log2;
    for i in v.body() {
        if !v.active(insn.masked, i) {
            continue;
        }
        let a = v.get(insn.vs2, narrow, i);
        let value = if signed { sext(a, narrow) as u64 } else { a };
        v.set(insn.vd, bytes, i, value & sew_mask(bytes));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_narrower_source_may_only_be_the_top_of_the_destination() {
        // LMUL 1 widening: vd = v2..v3 (EMUL 2), sources at EMUL 1.
        assert!(check_narrower_source(2, 1, 3, 0).is_ok());
        assert!(check_narrower_source(2, 1, 2, 0).is_err());
        assert!(check_narrower_source(2, 1, 4, 0).is_ok());
        // LMUL 4: vd = v8..v15, a source at v12..v15 is the top half.
        assert!(check_narrower_source(8, 3, 12, 2).is_ok());
        assert!(check_narrower_source(8, 3, 8, 2).is_err());
        // A fractional source may not overlap at all.
        assert!(check_narrower_source(8, 0, 8, -1).is_err());
        // vsext.vf8 at LMUL 8: vd = v8..v15, the source (EMUL 1) must be v15.
        assert!(check_narrower_source(8, 3, 15, 0).is_ok());
        assert!(check_narrower_source(8, 3, 14, 0).is_err());
        // A misaligned source is illegal whatever the overlap.
        assert!(check_narrower_source(8, 3, 13, 1).is_err());
    }

    #[test]
    fn a_wider_source_may_only_start_at_the_destination() {
        assert!(check_wider_source(8, 0, 8, 1).is_ok());
        assert!(check_wider_source(9, 0, 8, 1).is_err());
        assert!(check_wider_source(10, 1, 8, 2).is_err());
        assert!(check_wider_source(12, 1, 8, 2).is_ok());
        // A mask destination (one register) against a source group at LMUL 8.
        assert!(check_wider_source(16, 0, 16, 3).is_ok());
        assert!(check_wider_source(17, 0, 16, 3).is_err());
        assert!(check_wider_source(0, 0, 8, 4).is_err());
    }
}
