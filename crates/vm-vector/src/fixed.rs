//! Fixed-point arithmetic: saturating add and subtract, averaging add and subtract,
//! `vsmul`, scaling shifts and narrowing clips, rounding as `vxrm` says and setting
//! `vxsat` on saturation.
//!
//! Every result is computed exactly (in 128 bits) and then rounded and clipped, so no
//! intermediate overflows. `vxsat` is sticky: an instruction only ever sets it, when an
//! active element saturates.

use crate::integer::{check_single_width, operand, sew_mask, sext};
use crate::state::{VType, VectorState};
use crate::widen::check_narrowing;
use crate::VTrap;
use vm_ir::vector::{VArith, VArithOp};

/// The rounding increment of shifting `bits` right by `shift` (`< 128`) in the fixed-point
/// rounding mode `vxrm` (section 3.8): round-to-nearest-up, -even, down, to-odd. It
/// depends only on the low `shift + 1` bits, so the same function serves signed values
/// (as their two's complement bits).
pub(crate) fn round_increment(bits: u128, shift: u32, vxrm: u8) -> u128 {
    if shift == 0 || shift >= 128 {
        return 0;
    }
    let lsb = (bits >> shift) & 1;
    let half = (bits >> (shift - 1)) & 1;
    let below_half = bits & ((1u128 << (shift - 1)) - 1) != 0;
    match vxrm & 3 {
        0 => half,
        1 => half & (below_half as u128 | lsb),
        2 => 0,
        _ => (lsb == 0 && (half == 1 || below_half)) as u128,
    }
}

/// `value >> shift`, rounded as `vxrm` says.
pub(crate) fn roundoff_unsigned(value: u128, shift: u32, vxrm: u8) -> u128 {
    (value >> shift) + round_increment(value, shift, vxrm)
}

/// `value >> shift` (arithmetic), rounded as `vxrm` says.
pub(crate) fn roundoff_signed(value: i128, shift: u32, vxrm: u8) -> i128 {
    (value >> shift) + round_increment(value as u128, shift, vxrm) as i128
}

/// `value` clipped to the unsigned range of `bytes` bytes, and whether it saturated.
fn clip_unsigned(value: i128, bytes: usize) -> (u64, bool) {
    let max = sew_mask(bytes) as i128;
    if value > max {
        (max as u64, true)
    } else if value < 0 {
        (0, true)
    } else {
        (value as u64, false)
    }
}

/// `value` clipped to the signed range of `bytes` bytes (as raw bits), and whether it
/// saturated.
fn clip_signed(value: i128, bytes: usize) -> (u64, bool) {
    let max = (sew_mask(bytes) >> 1) as i128;
    let min = -max - 1;
    let (clipped, saturated) = if value > max {
        (max, true)
    } else if value < min {
        (min, true)
    } else {
        (value, false)
    };
    (clipped as u64 & sew_mask(bytes), saturated)
}

/// One element: `(vs2, src, SEW bytes, vxrm) -> (result, saturated)`; for the clips,
/// `vs2` is 2*SEW wide.
type ElementOp = fn(u64, u64, usize, u8) -> (u64, bool);

pub(crate) fn execute(
    v: &mut VectorState,
    insn: &VArith,
    regs: &mut [u64],
    _fcsr: &mut u32,
) -> Result<(), VTrap> {
    use VArithOp::*;
    let vt: VType = v.vtype()?;
    let narrowing = matches!(insn.op, NClipU | NClip);
    if narrowing {
        check_narrowing(vt, insn)?;
    } else {
        check_single_width(vt, insn)?;
    }
    let op: ElementOp = match insn.op {
        SAddU => |a, b, n, _| clip_unsigned(a as i128 + b as i128, n),
        SAdd => |a, b, n, _| clip_signed(sext(a, n) as i128 + sext(b, n) as i128, n),
        SSubU => |a, b, n, _| clip_unsigned(a as i128 - b as i128, n),
        SSub => |a, b, n, _| clip_signed(sext(a, n) as i128 - sext(b, n) as i128, n),
        AAddU => |a, b, _, rm| (roundoff_signed(a as i128 + b as i128, 1, rm) as u64, false),
        AAdd => |a, b, n, rm| {
            let sum = sext(a, n) as i128 + sext(b, n) as i128;
            (roundoff_signed(sum, 1, rm) as u64, false)
        },
        ASubU => |a, b, _, rm| (roundoff_signed(a as i128 - b as i128, 1, rm) as u64, false),
        ASub => |a, b, n, rm| {
            let difference = sext(a, n) as i128 - sext(b, n) as i128;
            (roundoff_signed(difference, 1, rm) as u64, false)
        },
        SMul => |a, b, n, rm| {
            let product = sext(a, n) as i128 * sext(b, n) as i128;
            clip_signed(roundoff_signed(product, 8 * n as u32 - 1, rm), n)
        },
        SSrl => |a, b, n, rm| {
            let shift = (b & (8 * n as u64 - 1)) as u32;
            (roundoff_unsigned(a as u128, shift, rm) as u64, false)
        },
        SSra => |a, b, n, rm| {
            let shift = (b & (8 * n as u64 - 1)) as u32;
            (roundoff_signed(sext(a, n) as i128, shift, rm) as u64, false)
        },
        NClipU => |a, b, n, rm| {
            let shift = (b & (16 * n as u64 - 1)) as u32;
            clip_unsigned(roundoff_unsigned(a as u128, shift, rm) as i128, n)
        },
        NClip => |a, b, n, rm| {
            let shift = (b & (16 * n as u64 - 1)) as u32;
            clip_signed(roundoff_signed(sext(a, 2 * n) as i128, shift, rm), n)
        },
        _ => return Err(VTrap::Illegal),
    };
    let bytes = vt.sew_bytes();
    let vs2_bytes = if narrowing { 2 * bytes } else { bytes };
    let vxrm = v.vxrm;
    let mut saturated = false;
    for i in v.body() {
        if !v.active(insn.masked, i) {
            continue;
        }
        let a = v.get(insn.vs2, vs2_bytes, i);
        let b = operand(v, insn.src, regs, bytes, i);
        let (value, sat) = op(a, b, bytes, vxrm);
        saturated |= sat;
        v.set(insn.vd, bytes, i, value & sew_mask(bytes));
    }
    if saturated {
        v.vxsat = 1;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rounding_modes_follow_the_spec_table() {
        // 0b1011 >> 2 = 2.75: rnu 3, rne 3, rdn 2, rod 3.
        let r = |bits, shift, rm| roundoff_unsigned(bits, shift, rm);
        assert_eq!([0, 1, 2, 3].map(|rm| r(0b1011, 2, rm)), [3, 3, 2, 3]);
        // 0b1010 >> 2 = 2.5: ties go up (rnu), to even (rne), down, to odd.
        assert_eq!([0, 1, 2, 3].map(|rm| r(0b1010, 2, rm)), [3, 2, 2, 3]);
        // 0b0110 >> 2 = 1.5.
        assert_eq!([0, 1, 2, 3].map(|rm| r(0b0110, 2, rm)), [2, 2, 1, 1]);
        // 0b0101 >> 2 = 1.25, and an exact 0b0100 >> 2 = 1 needs no rounding.
        assert_eq!([0, 1, 2, 3].map(|rm| r(0b0101, 2, rm)), [1, 1, 1, 1]);
        assert_eq!([0, 1, 2, 3].map(|rm| r(0b0100, 2, rm)), [1, 1, 1, 1]);
        // rod: an inexact even result becomes odd.
        assert_eq!(r(0b1001, 2, 3), 3);
        // No shift, no rounding; the largest shifts do not overflow.
        assert_eq!(r(7, 0, 0), 7);
        assert_eq!(r(u128::MAX, 127, 0), 2);
        assert_eq!(round_increment(u128::MAX, 128, 0), 0);
    }

    #[test]
    fn signed_rounding_rounds_toward_the_mode_not_toward_zero() {
        // -5 / 2 = -2.5: rnu -2, rne -2, rdn -3, rod -3.
        assert_eq!(
            [0, 1, 2, 3].map(|rm| roundoff_signed(-5, 1, rm)),
            [-2, -2, -3, -3]
        );
        // -7 / 4 = -1.75.
        assert_eq!(
            [0, 1, 2, 3].map(|rm| roundoff_signed(-7, 2, rm)),
            [-2, -2, -2, -1]
        );
    }

    #[test]
    fn clips_saturate_at_both_ends() {
        assert_eq!(clip_signed(128, 1), (0x7f, true));
        assert_eq!(clip_signed(-129, 1), (0x80, true));
        assert_eq!(clip_signed(-128, 1), (0x80, false));
        assert_eq!(clip_unsigned(-1, 2), (0, true));
        assert_eq!(clip_unsigned(1 << 64, 8), (u64::MAX, true));
        assert_eq!(clip_signed(i64::MIN as i128, 8), (1 << 63, false));
    }
}
