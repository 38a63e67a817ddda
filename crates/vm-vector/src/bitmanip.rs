//! Zvbb, the vector basic bit-manipulation instructions: `vandn`, the bit and byte
//! reversals, counts, rotates (single width, at SEW) and the widening `vwsll`.

use crate::integer::{check_single_width, operand, sew_mask};
use crate::state::VectorState;
use crate::widen::check_widening;
use crate::VTrap;
use vm_ir::vector::{VArith, VArithOp};

/// Rotates the low `bits` bits of `value` left by `amount % bits`.
fn rotate_left(value: u64, amount: u64, bits: u32) -> u64 {
    let amount = (amount % bits as u64) as u32;
    if amount == 0 {
        return value;
    }
    (value << amount | value >> (bits - amount)) & (u64::MAX >> (64 - bits))
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
    let bits = vt.sew_bits();
    if insn.op == WSll {
        check_widening(vt, insn, false)?;
        let wide = 2 * bytes;
        for i in v.body() {
            if !v.active(insn.masked, i) {
                continue;
            }
            let a = v.get(insn.vs2, bytes, i);
            let shift = operand(v, insn.src, regs, bytes, i) & (2 * bits as u64 - 1);
            v.set(insn.vd, wide, i, (a << shift) & sew_mask(wide));
        }
        return Ok(());
    }
    check_single_width(vt, insn)?;
    // (vs2, src, SEW bits) -> vd; the unary ops ignore src. Elements are zero-extended.
    let op: fn(u64, u64, u32) -> u64 = match insn.op {
        AndN => |a, b, _| a & !b,
        Brev => |a, _, n| a.reverse_bits() >> (64 - n),
        Brev8 => |a, _, _| u64::from_le_bytes(a.to_le_bytes().map(u8::reverse_bits)),
        Rev8 => |a, _, n| a.swap_bytes() >> (64 - n),
        Clz => |a, _, n| (a.leading_zeros() - (64 - n)) as u64,
        Ctz => |a, _, n| a.trailing_zeros().min(n) as u64,
        CPopV => |a, _, _| a.count_ones() as u64,
        Rol => |a, b, n| rotate_left(a, b, n),
        Ror => |a, b, n| rotate_left(a, n as u64 - b % n as u64, n),
        _ => return Err(VTrap::Illegal),
    };
    for i in v.body() {
        if !v.active(insn.masked, i) {
            continue;
        }
        let a = v.get(insn.vs2, bytes, i);
        let b = operand(v, insn.src, regs, bytes, i);
        v.set(insn.vd, bytes, i, op(a, b, bits) & sew_mask(bytes));
    }
    Ok(())
}
