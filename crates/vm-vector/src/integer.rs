//! Integer arithmetic at SEW: `vd[i] = op(vs2[i], src)` for the active elements of the
//! body, the others left undisturbed; add and subtract with carry, compares (which
//! write a mask), the multiply-add family, moves and merges. The widening, narrowing
//! and extending operations are in `widen`.
//!
//! Every legal form here may run in place: an element or mask bit written at step `i`
//! only covers source bytes of elements `<= i`, which have been read by then (a mask
//! bit `i` is in byte `i / 8`, at or below the first byte of element `i`).

use crate::state::{check_group, groups_overlap, VType, VectorState};
use crate::widen;
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

/// Checks the groups of a single-width operation (`vd`, `vs2`, `vs1` all at LMUL), the
/// masked-destination rule (a masked instruction may not write `v0`) and
/// [`check_sources_off_v0`].
pub(crate) fn check_single_width(vt: VType, insn: &VArith) -> Result<(), VTrap> {
    check_group(insn.vd, vt.lmul_log2)?;
    check_group(insn.vs2, vt.lmul_log2)?;
    if let VSrc::V(r) = insn.src {
        check_group(r, vt.lmul_log2)?;
    }
    if insn.masked && groups_overlap(insn.vd, vt.regs_per_group(), 0, 1) {
        return Err(VTrap::Illegal);
    }
    check_sources_off_v0(insn)
}

/// A register may not be read with two EEWs by one instruction (section 5.2), and a
/// mask counts as EEW 1: a masked instruction's data sources (`vs2`, `vs1`) may not
/// hold `v0`. Groups are aligned, so a group holds `v0` only if it starts there.
///
/// qemu 10.0 (the reference) enforces this for every masked operation but the compares
/// and the carry operations (`vadc`, `vmadc`, ..., whose `v0` is the carry), which
/// therefore do not call this.
pub(crate) fn check_sources_off_v0(insn: &VArith) -> Result<(), VTrap> {
    if insn.masked && (insn.vs2 == 0 || insn.src == VSrc::V(0)) {
        return Err(VTrap::Illegal);
    }
    Ok(())
}

/// Checks an operation that writes a mask (one register) from sources at LMUL: a source
/// group may hold the destination only as its lowest-numbered register (section 5.2).
/// A mask result may go to `v0` even when masked.
pub(crate) fn check_mask_result(vt: VType, insn: &VArith) -> Result<(), VTrap> {
    widen::check_wider_source(insn.vd, 0, insn.vs2, vt.lmul_log2)?;
    if let VSrc::V(r) = insn.src {
        widen::check_wider_source(insn.vd, 0, r, vt.lmul_log2)?;
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
    match insn.op {
        Merge | MvV => move_or_merge(v, vt, insn, regs),
        Adc | Sbc => with_carry(v, vt, insn, regs),
        MAdc | MSbc => carry_out(v, vt, insn, regs),
        MSeq | MSne | MSltU | MSlt | MSleU | MSle | MSgtU | MSgt => compare(v, vt, insn, regs),
        MAcc | NMSac | MAdd | NMSub => multiply_add(v, vt, insn, regs),
        WAddU | WAdd | WSubU | WSub | WAddUW | WAddW | WSubUW | WSubW | WMulU | WMulSU | WMul
        | WMAccU | WMAcc | WMAccUS | WMAccSU => widen::widening(v, vt, insn, regs),
        NSrl | NSra => widen::narrowing_shift(v, vt, insn, regs),
        ZextVf2 | ZextVf4 | ZextVf8 | SextVf2 | SextVf4 | SextVf8 => widen::extend(v, vt, insn),
        _ => single_width(v, vt, insn, regs),
    }
}

/// `vmerge` (vm = 0) takes v0 as an operand; `vmv.v.*` (vm = 1) has no `vs2`.
fn move_or_merge(v: &mut VectorState, vt: VType, insn: &VArith, regs: &[u64]) -> Result<(), VTrap> {
    let bytes = vt.sew_bytes();
    check_group(insn.vd, vt.lmul_log2)?;
    if let VSrc::V(r) = insn.src {
        check_group(r, vt.lmul_log2)?;
    }
    if insn.op == VArithOp::MvV {
        for i in v.body() {
            let value = operand(v, insn.src, regs, bytes, i);
            v.set(insn.vd, bytes, i, value);
        }
        return Ok(());
    }
    check_group(insn.vs2, vt.lmul_log2)?;
    if groups_overlap(insn.vd, vt.regs_per_group(), 0, 1) {
        return Err(VTrap::Illegal);
    }
    check_sources_off_v0(insn)?;
    for i in v.body() {
        let value = if v.mask_bit(0, i) {
            operand(v, insn.src, regs, bytes, i)
        } else {
            v.get(insn.vs2, bytes, i)
        };
        v.set(insn.vd, bytes, i, value);
    }
    Ok(())
}

fn single_width(v: &mut VectorState, vt: VType, insn: &VArith, regs: &[u64]) -> Result<(), VTrap> {
    use VArithOp::*;
    let bytes = vt.sew_bytes();
    let mask = sew_mask(bytes);
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

/// `vadc`, `vsbc`: every body element, the carry (borrow) in from `v0`; `vd` may not be
/// `v0`.
fn with_carry(v: &mut VectorState, vt: VType, insn: &VArith, regs: &[u64]) -> Result<(), VTrap> {
    let bytes = vt.sew_bytes();
    check_group(insn.vd, vt.lmul_log2)?;
    check_group(insn.vs2, vt.lmul_log2)?;
    if let VSrc::V(r) = insn.src {
        check_group(r, vt.lmul_log2)?;
    }
    if groups_overlap(insn.vd, vt.regs_per_group(), 0, 1) {
        return Err(VTrap::Illegal);
    }
    let add = insn.op == VArithOp::Adc;
    for i in v.body() {
        let a = v.get(insn.vs2, bytes, i);
        let b = operand(v, insn.src, regs, bytes, i);
        let c = v.mask_bit(0, i) as u64;
        let value = if add {
            a.wrapping_add(b).wrapping_add(c)
        } else {
            a.wrapping_sub(b).wrapping_sub(c)
        };
        v.set(insn.vd, bytes, i, value & sew_mask(bytes));
    }
    Ok(())
}

/// `vmadc`, `vmsbc`: the carry (borrow) out of every body element, as a mask; with a
/// carry (borrow) in from `v0` when masked.
fn carry_out(v: &mut VectorState, vt: VType, insn: &VArith, regs: &[u64]) -> Result<(), VTrap> {
    let bytes = vt.sew_bytes();
    check_mask_result(vt, insn)?;
    let add = insn.op == VArithOp::MAdc;
    for i in v.body() {
        let a = v.get(insn.vs2, bytes, i) as u128;
        let b = operand(v, insn.src, regs, bytes, i) as u128;
        let c = (insn.masked && v.mask_bit(0, i)) as u128;
        let out = if add {
            (a + b + c) >> (8 * bytes) != 0
        } else {
            a < b + c
        };
        v.set_mask_bit(insn.vd, i, out);
    }
    Ok(())
}

/// The integer compares: a mask bit per active element.
fn compare(v: &mut VectorState, vt: VType, insn: &VArith, regs: &[u64]) -> Result<(), VTrap> {
    use VArithOp::*;
    let bytes = vt.sew_bytes();
    check_mask_result(vt, insn)?;
    let test: fn(u64, u64, usize) -> bool = match insn.op {
        MSeq => |a, b, _| a == b,
        MSne => |a, b, _| a != b,
        MSltU => |a, b, _| a < b,
        MSlt => |a, b, n| sext(a, n) < sext(b, n),
        MSleU => |a, b, _| a <= b,
        MSle => |a, b, n| sext(a, n) <= sext(b, n),
        MSgtU => |a, b, _| a > b,
        MSgt => |a, b, n| sext(a, n) > sext(b, n),
        _ => return Err(VTrap::Illegal),
    };
    for i in v.body() {
        if !v.active(insn.masked, i) {
            continue;
        }
        let a = v.get(insn.vs2, bytes, i);
        let b = operand(v, insn.src, regs, bytes, i);
        v.set_mask_bit(insn.vd, i, test(a, b, bytes));
    }
    Ok(())
}

/// `vmacc`, `vnmsac` (accumulate into `vd`) and `vmadd`, `vnmsub` (multiply `vd`).
fn multiply_add(v: &mut VectorState, vt: VType, insn: &VArith, regs: &[u64]) -> Result<(), VTrap> {
    use VArithOp::*;
    let bytes = vt.sew_bytes();
    check_single_width(vt, insn)?;
    // (vs2, src, vd) -> vd
    let op: fn(u64, u64, u64) -> u64 = match insn.op {
        MAcc => |s2, s1, d| s1.wrapping_mul(s2).wrapping_add(d),
        NMSac => |s2, s1, d| d.wrapping_sub(s1.wrapping_mul(s2)),
        MAdd => |s2, s1, d| s1.wrapping_mul(d).wrapping_add(s2),
        NMSub => |s2, s1, d| s2.wrapping_sub(s1.wrapping_mul(d)),
        _ => return Err(VTrap::Illegal),
    };
    for i in v.body() {
        if !v.active(insn.masked, i) {
            continue;
        }
        let s2 = v.get(insn.vs2, bytes, i);
        let s1 = operand(v, insn.src, regs, bytes, i);
        let d = v.get(insn.vd, bytes, i);
        v.set(insn.vd, bytes, i, op(s2, s1, d) & sew_mask(bytes));
    }
    Ok(())
}
