//! Mask logic (`vmand.mm` ..), `vcpop.m`, `vfirst.m`, `vmsbf.m`, `vmsif.m`, `vmsof.m`,
//! `viota.m` and `vid.v`.
//!
//! With VLEN = 128 a mask register holds every mask bit any `vl` can need (at most 128:
//! SEW 8, LMUL 8), so the mask instructions work on whole registers as `u128`s: a result
//! is merged into `vd` under the bits of the body (`vstart..vl`) that are active, the
//! others (tail, masked off) left undisturbed.
//!
//! Legality follows the specification as qemu checks it: `vcpop.m`, `vfirst.m`,
//! `vmsbf.m`, `vmsif.m`, `vmsof.m` and `viota.m` are illegal when `vstart` is not zero;
//! `vmsbf.m`.. and `viota.m` may not write their source, nor `v0` when masked.

use crate::state::{check_group, groups_overlap, VectorState};
use crate::{VTrap, VLENB};
use vm_ir::vector::{VArith, VArithOp};

/// Mask register `reg` as one little-endian number (bit `i` is element `i`'s mask bit).
pub(crate) fn mask_reg(v: &VectorState, reg: u8) -> u128 {
    let at = reg as usize * VLENB;
    match v.regs.get(at..at + VLENB) {
        Some(b) => {
            let mut le = [0u8; VLENB];
            le.copy_from_slice(b);
            u128::from_le_bytes(le)
        }
        None => 0,
    }
}

/// Writes the bits of `value` selected by `bits` into mask register `reg`.
pub(crate) fn merge_mask_reg(v: &mut VectorState, reg: u8, value: u128, bits: u128) {
    let merged = (mask_reg(v, reg) & !bits) | (value & bits);
    let at = reg as usize * VLENB;
    if let Some(b) = v.regs.get_mut(at..at + VLENB) {
        b.copy_from_slice(&merged.to_le_bytes());
    }
}

/// The bits `start..end` (empty when `start >= end`), `end` at most 128.
pub(crate) fn bit_range(start: usize, end: usize) -> u128 {
    let below = |n: usize| {
        if n >= 128 {
            u128::MAX
        } else {
            (1u128 << n) - 1
        }
    };
    below(end) & !below(start)
}

/// The mask bits of the elements an instruction works on: the body `vstart..vl`, and of
/// those the ones whose `v0` bit is set when masked. Resets `vstart`, as `body` does.
fn active_bits(v: &mut VectorState, masked: bool) -> u128 {
    let body = v.body();
    let bits = bit_range(body.start, body.end);
    if masked {
        bits & mask_reg(v, 0)
    } else {
        bits
    }
}

pub(crate) fn execute(
    v: &mut VectorState,
    insn: &VArith,
    regs: &mut [u64],
    _fcsr: &mut u32,
) -> Result<(), VTrap> {
    use VArithOp::*;
    let vt = v.vtype()?;
    match insn.op {
        MAndN | MAnd | MOr | MXor | MOrN | MNand | MNor | MXnor => logic(v, insn),
        CPopM | FirstM => {
            if v.vstart != 0 {
                return Err(VTrap::Illegal);
            }
            let set = mask_reg(v, insn.vs2) & active_bits(v, insn.masked);
            let result = match insn.op {
                CPopM => set.count_ones() as u64,
                _ if set == 0 => u64::MAX,
                _ => set.trailing_zeros() as u64,
            };
            if let Some(rd) = regs.get_mut(insn.vd as usize) {
                *rd = result;
            }
            Ok(())
        }
        MSbf | MSif | MSof => {
            if v.vstart != 0 || insn.vd == insn.vs2 || (insn.masked && insn.vd == 0) {
                return Err(VTrap::Illegal);
            }
            let active = active_bits(v, insn.masked);
            let set = mask_reg(v, insn.vs2) & active;
            // `first` is the lowest active set bit alone, 0 when there is none.
            let first = set & set.wrapping_neg();
            let before = if first == 0 { u128::MAX } else { first - 1 };
            let result = match insn.op {
                MSbf => before,
                MSif => before | first,
                _ => first,
            };
            merge_mask_reg(v, insn.vd, result, active);
            Ok(())
        }
        Iota => {
            let regs_per_group = vt.regs_per_group();
            check_group(insn.vd, vt.lmul_log2)?;
            if v.vstart != 0
                || groups_overlap(insn.vd, regs_per_group, insn.vs2, 1)
                || (insn.masked && groups_overlap(insn.vd, regs_per_group, 0, 1))
            {
                return Err(VTrap::Illegal);
            }
            let bytes = vt.sew_bytes();
            let mut count = 0u64;
            for i in v.body() {
                if !v.active(insn.masked, i) {
                    continue;
                }
                v.set(insn.vd, bytes, i, count);
                count += v.mask_bit(insn.vs2, i) as u64;
            }
            Ok(())
        }
        Id => {
            check_group(insn.vd, vt.lmul_log2)?;
            if insn.masked && groups_overlap(insn.vd, vt.regs_per_group(), 0, 1) {
                return Err(VTrap::Illegal);
            }
            let bytes = vt.sew_bytes();
            for i in v.body() {
                if v.active(insn.masked, i) {
                    v.set(insn.vd, bytes, i, i as u64);
                }
            }
            Ok(())
        }
        _ => Err(VTrap::Illegal),
    }
}

/// `vd.mask[i] = op(vs2.mask[i], vs1.mask[i])` for `i` in `vstart..vl`; never masked.
fn logic(v: &mut VectorState, insn: &VArith) -> Result<(), VTrap> {
    use VArithOp::*;
    let vm_ir::vector::VSrc::V(vs1) = insn.src else {
        return Err(VTrap::Illegal);
    };
    let (a, b) = (mask_reg(v, insn.vs2), mask_reg(v, vs1));
    let result = match insn.op {
        MAndN => a & !b,
        MAnd => a & b,
        MOr => a | b,
        MXor => a ^ b,
        MOrN => a | !b,
        MNand => !(a & b),
        MNor => !(a | b),
        MXnor => !(a ^ b),
        _ => return Err(VTrap::Illegal),
    };
    let bits = active_bits(v, false);
    merge_mask_reg(v, insn.vd, result, bits);
    Ok(())
}
