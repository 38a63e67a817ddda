//! Single-width integer arithmetic: `vd[i] = op(vs2[i], src)` at SEW for the active
//! elements of the body, the others left undisturbed.

use crate::state::{check_group, groups_overlap, VType, VectorState};
use crate::VTrap;
use vm_ir::vector::{VArith, VArithOp, VSrc};

/// The second operand of element `i`: `vs1[i]`, `x[rs1]` or the immediate, truncated to
/// SEW (sign-extended immediates and registers keep their low SEW bits).
pub(crate) fn operand(v: &VectorState, src: VSrc, regs: &[u64], bytes: usize, i: usize) -> u64 {
    let value = match src {
        VSrc::V(r) => return v.get(r, bytes, i),
        VSrc::X(slot) | VSrc::F(slot) => regs.get(slot as usize).copied().unwrap_or(0),
        VSrc::Imm(imm) => imm as i64 as u64,
        VSrc::None => 0,
    };
    value & sew_mask(bytes)
}

/// All ones in the low `bytes` bytes.
pub(crate) const fn sew_mask(bytes: usize) -> u64 {
    u64::MAX >> (64 - 8 * bytes)
}

/// Sign-extends the low `bytes` bytes of `value`.
pub(crate) const fn sext(value: u64, bytes: usize) -> i64 {
    let shift = 64 - 8 * bytes as u32;
    ((value << shift) as i64) >> shift
}

/// Checks the groups of a single-width operation (`vd`, `vs2`, `vs1` all at LMUL) and
/// the masked-destination rule: a masked instruction may not write `v0`.
pub(crate) fn check_single_width(vt: VType, insn: &VArith) -> Result<(), VTrap> {
    check_group(insn.vd, vt.lmul_log2)?;
    check_group(insn.vs2, vt.lmul_log2)?;
    if let VSrc::V(r) = insn.src {
        check_group(r, vt.lmul_log2)?;
    }
    if insn.masked && groups_overlap(insn.vd, vt.regs_per_group(), 0, 1) {
        return Err(VTrap::Illegal);
    }
    Ok(())
}

pub(crate) fn execute(
    v: &mut VectorState,
    insn: &VArith,
    regs: &mut [u64],
    _fcsr: &mut u32,
) -> Result<(), VTrap> {
    use VArithOp::*;
    let vt = v.vtype()?;
    let bytes = vt.sew_bytes();
    let mask = sew_mask(bytes);
    match insn.op {
        // vmerge (vm = 0) takes v0 as an operand; vmv.v.* (vm = 1) has no vs2.
        Merge => {
            check_group(insn.vd, vt.lmul_log2)?;
            check_group(insn.vs2, vt.lmul_log2)?;
            if groups_overlap(insn.vd, vt.regs_per_group(), 0, 1) {
                return Err(VTrap::Illegal);
            }
            for i in v.body() {
                let value = if v.mask_bit(0, i) {
                    operand(v, insn.src, regs, bytes, i)
                } else {
                    v.get(insn.vs2, bytes, i)
                };
                v.set(insn.vd, bytes, i, value);
            }
            return Ok(());
        }
        MvV => {
            check_group(insn.vd, vt.lmul_log2)?;
            if let VSrc::V(r) = insn.src {
                check_group(r, vt.lmul_log2)?;
            }
            for i in v.body() {
                let value = operand(v, insn.src, regs, bytes, i);
                v.set(insn.vd, bytes, i, value);
            }
            return Ok(());
        }
        _ => {}
    }
    check_single_width(vt, insn)?;
    let op: fn(u64, u64, usize) -> u64 = match insn.op {
        Add => |a, b, _| a.wrapping_add(b),
        Sub => |a, b, _| a.wrapping_sub(b),
        RSub => |a, b, _| b.wrapping_sub(a),
        MinU => |a, b, _| a.min(b),
        MaxU => |a, b, _| a.max(b),
        Min => |a, b, n| if sext(a, n) <= sext(b, n) { a } else { b },
        Max => |a, b, n| if sext(a, n) >= sext(b, n) { a } else { b },
        And => |a, b, _| a & b,
        Or => |a, b, _| a | b,
        Xor => |a, b, _| a ^ b,
        Sll => |a, b, n| a << (b & (8 * n as u64 - 1)),
        Srl => |a, b, n| a >> (b & (8 * n as u64 - 1)),
        Sra => |a, b, n| (sext(a, n) >> (b & (8 * n as u64 - 1))) as u64,
        Mul => |a, b, _| a.wrapping_mul(b),
        MulHU => |a, b, n| ((a as u128 * b as u128) >> (8 * n)) as u64,
        MulH => |a, b, n| ((sext(a, n) as i128 * sext(b, n) as i128) >> (8 * n)) as u64,
        MulHSU => |a, b, n| ((sext(a, n) as i128 * b as i128) >> (8 * n)) as u64,
        DivU => |a, b, _| a.checked_div(b).unwrap_or(u64::MAX),
        RemU => |a, b, _| a.checked_rem(b).unwrap_or(a),
        Div => |a, b, n| match (sext(a, n), sext(b, n)) {
            (_, 0) => u64::MAX,
            (x, y) => x.wrapping_div(y) as u64,
        },
        Rem => |a, b, n| match (sext(a, n), sext(b, n)) {
            (x, 0) => x as u64,
            (x, y) => x.wrapping_rem(y) as u64,
        },
        _ => return Err(VTrap::Illegal),
    };
    for i in v.body() {
        if !v.active(insn.masked, i) {
            continue;
        }
        let a = v.get(insn.vs2, bytes, i);
        let b = operand(v, insn.src, regs, bytes, i);
        v.set(insn.vd, bytes, i, op(a, b, bytes) & mask);
    }
    Ok(())
}
