//! Integer reductions: `vd[0] = op(vs1[0], vs2[active elements])`.
//!
//! `vs2` is a group of LMUL registers; `vd` and `vs1` are single registers of which only
//! element 0 counts (so `vd` may be `v0` even when masked). The widening sums take SEW
//! elements of `vs2` into a 2*SEW accumulator (`vs1[0]`, `vd[0]`) and need SEW < 64.
//!
//! As in qemu (the specification allows it), a reduction with `vstart` non-zero is
//! illegal; with `vl = 0` it does nothing, `vd` included. Elements past `vd[0]` are left
//! undisturbed.

use crate::integer::{sew_mask, sext};
use crate::state::{check_group, VectorState};
use crate::VTrap;
use vm_ir::vector::{VArith, VArithOp, VSrc};

pub(crate) fn execute(
    v: &mut VectorState,
    insn: &VArith,
    _regs: &mut [u64],
    _fcsr: &mut u32,
) -> Result<(), VTrap> {
    use VArithOp::*;
    let vt = v.vtype()?;
    let VSrc::V(vs1) = insn.src else {
        return Err(VTrap::Illegal);
    };
    check_group(insn.vs2, vt.lmul_log2)?;
    let widening = matches!(insn.op, WRedSumU | WRedSum);
    if v.vstart != 0 || (widening && vt.sew_log2 >= 3) {
        return Err(VTrap::Illegal);
    }
    let bytes = vt.sew_bytes();
    let acc_bytes = if widening { 2 * bytes } else { bytes };
    // Each element of vs2 as the accumulator's width takes it: sign-extended for the
    // signed widening sum, zero-extended otherwise (the single-width operations only use
    // its low SEW bits).
    let element = |v: &VectorState, i: usize| -> u64 {
        let e = v.get(insn.vs2, bytes, i);
        if insn.op == WRedSum {
            sext(e, bytes) as u64
        } else {
            e
        }
    };
    let op: fn(u64, u64, usize) -> u64 = match insn.op {
        RedSum | WRedSumU | WRedSum => |a, b, _| a.wrapping_add(b),
        RedAnd => |a, b, _| a & b,
        RedOr => |a, b, _| a | b,
        RedXor => |a, b, _| a ^ b,
        RedMinU => |a, b, _| a.min(b),
        RedMaxU => |a, b, _| a.max(b),
        RedMin => |a, b, n| if sext(a, n) <= sext(b, n) { a } else { b },
        RedMax => |a, b, n| if sext(a, n) >= sext(b, n) { a } else { b },
        _ => return Err(VTrap::Illegal),
    };
    let body = v.body();
    if body.is_empty() {
        return Ok(());
    }
    let mut acc = v.get(vs1, acc_bytes, 0);
    for i in body {
        if v.active(insn.masked, i) {
            acc = op(acc, element(v, i), acc_bytes) & sew_mask(acc_bytes);
        }
    }
    v.set(insn.vd, acc_bytes, 0, acc);
    Ok(())
}
