//! Permutations: scalar moves, slides, gathers, `vcompress.vm` and whole-register moves.
//!
//! Legality follows the specification as qemu checks it:
//! - `vmv.x.s` reads element 0 whatever `vl` and `vstart` are; `vmv.s.x` writes it only
//!   when `vstart < vl`. Both ignore LMUL (any register).
//! - Slides, gathers and `vcompress.vm` use groups of LMUL registers; the destination of
//!   `vslideup`, `vslide1up`, the gathers and `vcompress.vm` may not overlap a source;
//!   a masked destination may not overlap `v0`; `vcompress.vm` needs `vstart = 0`.
//! - `vmv<nr>r.v` copies `nr` whole registers, both groups aligned to `nr`, from element
//!   `vstart` of SEW on; it needs a valid `vtype`, as in qemu.
//!
//! The elements a slide or gather reads are those below VLMAX, past `vl` included;
//! indices and offsets at or above VLMAX read zero (gathers, `vslidedown`) or leave the
//! destination element alone (`vslideup`).

use crate::integer::sew_mask;
use crate::state::{check_group, groups_overlap, VType, VectorState};
use crate::{VTrap, VLENB};
use vm_ir::vector::{VArith, VArithOp, VSrc};

pub(crate) fn execute(
    v: &mut VectorState,
    insn: &VArith,
    regs: &mut [u64],
    _fcsr: &mut u32,
) -> Result<(), VTrap> {
    use VArithOp::*;
    let vt = v.vtype()?;
    let bytes = vt.sew_bytes();
    match insn.op {
        MvXS => {
            let value = v.get_signed(insn.vs2, bytes, 0) as u64;
            if let Some(rd) = regs.get_mut(insn.vd as usize) {
                *rd = value;
            }
            v.vstart = 0;
            Ok(())
        }
        MvSX => {
            let value = scalar(insn.src, regs)?;
            if v.vstart < v.vl {
                v.set(insn.vd, bytes, 0, value);
            }
            v.vstart = 0;
            Ok(())
        }
        SlideUp | SlideDown | Slide1Up | Slide1Down => slide(v, vt, insn, regs),
        RGather | RGatherEi16 => gather(v, vt, insn, regs),
        Compress => compress(v, vt, insn),
        MvNr => whole_registers(v, vt, insn),
        _ => Err(VTrap::Illegal),
    }
}

/// The integer register operand (`rs1`) of a `.vx` form.
fn scalar(src: VSrc, regs: &[u64]) -> Result<u64, VTrap> {
    match src {
        VSrc::X(slot) => Ok(regs.get(slot as usize).copied().unwrap_or(0)),
        _ => Err(VTrap::Illegal),
    }
}

/// The checks every LMUL-grouped permutation shares: `vd` and `vs2` aligned, a masked
/// `vd` clear of `v0`.
fn check_groups(vt: VType, insn: &VArith) -> Result<(), VTrap> {
    check_group(insn.vd, vt.lmul_log2)?;
    check_group(insn.vs2, vt.lmul_log2)?;
    if insn.masked && groups_overlap(insn.vd, vt.regs_per_group(), 0, 1) {
        return Err(VTrap::Illegal);
    }
    Ok(())
}

/// `vslideup`, `vslidedown` (by `rs1` or the unsigned immediate), `vslide1up`,
/// `vslide1down` (by one, `rs1` entering at the free end).
fn slide(v: &mut VectorState, vt: VType, insn: &VArith, regs: &[u64]) -> Result<(), VTrap> {
    use VArithOp::*;
    check_groups(vt, insn)?;
    let group = vt.regs_per_group();
    if matches!(insn.op, SlideUp | Slide1Up) && groups_overlap(insn.vd, group, insn.vs2, group) {
        return Err(VTrap::Illegal);
    }
    let bytes = vt.sew_bytes();
    let vlmax = vt.vlmax();
    let (amount, entering) = match (insn.op, insn.src) {
        (SlideUp | SlideDown, VSrc::Imm(imm)) => (imm as u8 as u64, 0),
        (SlideUp | SlideDown, src) => (scalar(src, regs)?, 0),
        (_, src) => (1, scalar(src, regs)? & sew_mask(bytes)),
    };
    let last = v.vl.wrapping_sub(1) as usize;
    // Each element reads a source at or above its own index (down) or comes from a
    // group it does not overlap (up), so writing in place in ascending order is safe.
    for i in v.body() {
        if !v.active(insn.masked, i) {
            continue;
        }
        let value = match insn.op {
            SlideUp if (i as u64) < amount => continue,
            SlideUp => v.get(insn.vs2, bytes, i - amount as usize),
            Slide1Up if i == 0 => entering,
            Slide1Up => v.get(insn.vs2, bytes, i - 1),
            Slide1Down if i == last => entering,
            Slide1Down => v.get(insn.vs2, bytes, i + 1),
            _ => match (i as u64).checked_add(amount) {
                Some(from) if from < vlmax => v.get(insn.vs2, bytes, from as usize),
                _ => 0,
            },
        };
        v.set(insn.vd, bytes, i, value);
    }
    Ok(())
}

/// `vd[i] = index < VLMAX ? vs2[index] : 0` with the index from `vs1[i]` (SEW, or 16
/// bits for `vrgatherei16`), `rs1` or the unsigned immediate.
fn gather(v: &mut VectorState, vt: VType, insn: &VArith, regs: &[u64]) -> Result<(), VTrap> {
    check_groups(vt, insn)?;
    let group = vt.regs_per_group();
    if groups_overlap(insn.vd, group, insn.vs2, group) {
        return Err(VTrap::Illegal);
    }
    let bytes = vt.sew_bytes();
    let index_bytes = match (insn.op, insn.src) {
        (VArithOp::RGatherEi16, VSrc::V(vs1)) => {
            // EEW 16: EMUL = 16 / SEW * LMUL.
            let emul_log2 = 1 - vt.sew_log2 as i32 + vt.lmul_log2;
            check_group(vs1, emul_log2)?;
            let index_regs = if emul_log2 > 0 { 1 << emul_log2 } else { 1 };
            if groups_overlap(insn.vd, group, vs1, index_regs) {
                return Err(VTrap::Illegal);
            }
            2
        }
        (VArithOp::RGatherEi16, _) => return Err(VTrap::Illegal),
        (_, VSrc::V(vs1)) => {
            check_group(vs1, vt.lmul_log2)?;
            if groups_overlap(insn.vd, group, vs1, group) {
                return Err(VTrap::Illegal);
            }
            bytes
        }
        _ => 0,
    };
    let fixed = match insn.src {
        VSrc::Imm(imm) => imm as u8 as u64,
        VSrc::X(slot) => regs.get(slot as usize).copied().unwrap_or(0),
        _ => 0,
    };
    let vlmax = vt.vlmax();
    for i in v.body() {
        if !v.active(insn.masked, i) {
            continue;
        }
        let index = match insn.src {
            VSrc::V(vs1) => v.get(vs1, index_bytes, i),
            _ => fixed,
        };
        let value = if index < vlmax {
            v.get(insn.vs2, bytes, index as usize)
        } else {
            0
        };
        v.set(insn.vd, bytes, i, value);
    }
    Ok(())
}

/// `vcompress.vm`: the elements of `vs2` whose bit in mask `vs1` is set, packed at the
/// start of `vd`; the rest of `vd` is left alone.
fn compress(v: &mut VectorState, vt: VType, insn: &VArith) -> Result<(), VTrap> {
    let VSrc::V(vs1) = insn.src else {
        return Err(VTrap::Illegal);
    };
    check_groups(vt, insn)?;
    let group = vt.regs_per_group();
    if v.vstart != 0
        || groups_overlap(insn.vd, group, insn.vs2, group)
        || groups_overlap(insn.vd, group, vs1, 1)
    {
        return Err(VTrap::Illegal);
    }
    let bytes = vt.sew_bytes();
    let mut packed = 0;
    for i in v.body() {
        if v.mask_bit(vs1, i) {
            let value = v.get(insn.vs2, bytes, i);
            v.set(insn.vd, bytes, packed, value);
            packed += 1;
        }
    }
    Ok(())
}

/// `vmv<nr>r.v`: registers `vs2..vs2 + nr` to `vd..vd + nr`, from byte `vstart * SEW`.
fn whole_registers(v: &mut VectorState, vt: VType, insn: &VArith) -> Result<(), VTrap> {
    let nr = match insn.src {
        VSrc::Imm(nr @ (1 | 2 | 4 | 8)) => nr as usize,
        _ => return Err(VTrap::Illegal),
    };
    let emul_log2 = nr.trailing_zeros() as i32;
    check_group(insn.vd, emul_log2)?;
    check_group(insn.vs2, emul_log2)?;
    let len = nr * VLENB;
    let (from, to) = (insn.vs2 as usize * VLENB, insn.vd as usize * VLENB);
    if from.max(to) + len > v.regs.len() {
        return Err(VTrap::Illegal);
    }
    let start = (v.vstart as usize).saturating_mul(vt.sew_bytes());
    if start < len {
        v.regs.copy_within(from + start..from + len, to + start);
    }
    v.vstart = 0;
    Ok(())
}
