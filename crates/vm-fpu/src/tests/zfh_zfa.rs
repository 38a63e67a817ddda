//! Zfh (half precision) and Zfa, with expectations from the specifications: IEEE 754
//! results of exactly representable operations, the NaN-boxing rules, and Zfa's defined
//! flags (`fround` never inexact, `froundnx` inexact, `fminm` NaN-propagating, quiet
//! comparisons invalid only for signaling NaNs, `fcvtmod.w.d` modular).

use super::*;
use crate::fflags::{NV, NX, OF};
use crate::IntKind;

fn run(op: FpOp, fmt: FpFmt, rm: Rounding, a: u64, b: u64) -> (u64, u32) {
    let r = execute(op, fmt, rm, a, b, 0);
    (r.value, r.flags)
}

const ONE_H: u16 = 0x3c00;
const TWO_H: u16 = 0x4000;
const H_SNAN: u64 = 0xffff_ffff_ffff_7c01;

#[test]
fn half_arithmetic_rounds_and_boxes() {
    use FpFmt::H;
    assert_eq!(
        run(FpOp::Add, H, Rounding::Rne, h(ONE_H), h(ONE_H)),
        (h(TWO_H), 0)
    );
    // 65504 + 65504 overflows to +inf (OF, NX) in round-to-nearest, to 65504 toward zero.
    let max = h(0x7bff);
    assert_eq!(
        run(FpOp::Add, H, Rounding::Rne, max, max),
        (h(0x7c00), OF | NX)
    );
    assert_eq!(run(FpOp::Add, H, Rounding::Rtz, max, max), (max, OF | NX));
    // 1 / 3 = 0x3555 (nearest), inexact.
    assert_eq!(
        run(FpOp::Div, H, Rounding::Rne, h(ONE_H), h(0x4200)),
        (h(0x3555), NX)
    );
    // An improperly boxed operand is the canonical NaN.
    let unboxed = 0xffff_fffe_0000_3c00;
    assert_eq!(
        run(FpOp::Add, H, Rounding::Rne, unboxed, h(ONE_H)),
        (h(0x7e00), 0)
    );
    // fmv.x.h sign-extends, fmv.h.x boxes.
    assert_eq!(
        run(FpOp::MoveToInt, H, Rounding::Rne, h(0xbc00), 0).0,
        0xffff_ffff_ffff_bc00
    );
    assert_eq!(
        run(FpOp::MoveFromInt, H, Rounding::Rne, 0x1234_5678, 0).0,
        h(0x5678)
    );
    assert_eq!(run(FpOp::Class, H, Rounding::Rne, h(0x0001), 0).0, 1 << 5);
}

#[test]
fn half_conversions() {
    use FpFmt::{D, H, S};
    // fcvt.s.h and fcvt.d.h are exact; a signaling NaN becomes the canonical NaN.
    assert_eq!(
        run(FpOp::FromFmt(H), S, Rounding::Rne, h(0xc100), 0),
        (s(-2.5), 0)
    );
    assert_eq!(
        run(FpOp::FromFmt(H), D, Rounding::Rne, h(0x0001), 0),
        (d(2f64.powi(-24)), 0)
    );
    assert_eq!(
        run(FpOp::FromFmt(H), S, Rounding::Rne, H_SNAN, 0),
        (S_NAN, NV)
    );
    // fcvt.h.s rounds: 1 + 2^-11 is a tie, to even (1.0) or up.
    let tie = s(1.0 + 2f32.powi(-11));
    assert_eq!(
        run(FpOp::FromFmt(S), H, Rounding::Rne, tie, 0),
        (h(ONE_H), NX)
    );
    assert_eq!(
        run(FpOp::FromFmt(S), H, Rounding::Rup, tie, 0),
        (h(0x3c01), NX)
    );
    assert_eq!(
        run(FpOp::FromFmt(D), H, Rounding::Rne, d(1e6), 0),
        (h(0x7c00), OF | NX)
    );
    // fcvt.w.h saturates and flags; fcvt.h.w rounds.
    assert_eq!(
        run(FpOp::ToInt(IntKind::W), H, Rounding::Rtz, h(0xc0c0), 0),
        (-2i64 as u64, NX)
    );
    assert_eq!(
        run(FpOp::ToInt(IntKind::WU), H, Rounding::Rtz, h(0xbc00), 0),
        (0, NV)
    );
    assert_eq!(
        run(FpOp::FromInt(IntKind::L), H, Rounding::Rne, 65520, 0),
        (h(0x7c00), OF | NX)
    );
    assert_eq!(
        run(FpOp::FromInt(IntKind::W), H, Rounding::Rne, 3, 0),
        (h(0x4200), 0)
    );
}

#[test]
fn zfa_rounding_to_integers() {
    use FpFmt::{D, S};
    assert_eq!(run(FpOp::Round, D, Rounding::Rne, d(2.5), 0), (d(2.0), 0));
    assert_eq!(
        run(FpOp::RoundNx, D, Rounding::Rne, d(2.5), 0),
        (d(2.0), NX)
    );
    assert_eq!(run(FpOp::Round, D, Rounding::Rmm, d(-2.5), 0), (d(-3.0), 0));
    assert_eq!(run(FpOp::Round, S, Rounding::Rup, s(-0.5), 0), (s(-0.0), 0));
    assert_eq!(
        run(FpOp::RoundNx, D, Rounding::Rdn, d(1e300), 0),
        (d(1e300), 0)
    );
    assert_eq!(run(FpOp::Round, D, Rounding::Rne, D_SNAN, 0), (D_NAN, NV));
    assert_eq!(
        run(FpOp::Round, D, Rounding::Rne, D_QNAN_PAYLOAD, 0),
        (D_NAN, 0)
    );
    assert_eq!(
        run(FpOp::RoundNx, S, Rounding::Rne, s(f32::INFINITY), 0),
        (s(f32::INFINITY), 0)
    );
}

#[test]
fn zfa_minimum_maximum_and_quiet_comparisons() {
    use FpFmt::D;
    assert_eq!(
        run(FpOp::MinM, D, Rounding::Rne, d(1.0), D_QNAN_PAYLOAD),
        (D_NAN, 0)
    );
    assert_eq!(
        run(FpOp::MaxM, D, Rounding::Rne, D_SNAN, d(1.0)),
        (D_NAN, NV)
    );
    assert_eq!(
        run(FpOp::MinM, D, Rounding::Rne, d(-0.0), d(0.0)),
        (d(-0.0), 0)
    );
    assert_eq!(
        run(FpOp::MaxM, D, Rounding::Rne, d(-0.0), d(0.0)),
        (d(0.0), 0)
    );
    assert_eq!(
        run(FpOp::LtQuiet, D, Rounding::Rne, d(1.0), D_QNAN_PAYLOAD),
        (0, 0)
    );
    assert_eq!(
        run(FpOp::LeQuiet, D, Rounding::Rne, D_SNAN, d(1.0)),
        (0, NV)
    );
    assert_eq!(run(FpOp::LeQuiet, D, Rounding::Rne, d(1.0), d(1.0)), (1, 0));
    assert_eq!(
        run(FpOp::Lt, D, Rounding::Rne, d(1.0), D_QNAN_PAYLOAD),
        (0, NV)
    );
}

#[test]
fn zfa_modular_conversion() {
    let m = |x: f64| run(FpOp::ToIntMod, FpFmt::D, Rounding::Rtz, d(x), 0);
    assert_eq!(m(-3.75), (-3i64 as u64, NX));
    assert_eq!(m(2147483647.0), (0x7fff_ffff, 0));
    assert_eq!(m(-2147483648.0), (0xffff_ffff_8000_0000, 0));
    // 2^31 wraps to -2^31 and is invalid; 2^32 + 5 gives 5.
    assert_eq!(m(2147483648.0), (0xffff_ffff_8000_0000, NV));
    assert_eq!(m(4294967301.5), (5, NV));
    assert_eq!(m(1e300), (0, NV));
    assert_eq!(m(f64::INFINITY), (0, NV));
    assert_eq!(
        run(FpOp::ToIntMod, FpFmt::D, Rounding::Rtz, D_QNAN_PAYLOAD, 0),
        (0, NV)
    );
    assert_eq!(m(-0.0), (0, 0));
    assert_eq!(m(0.5), (0, NX));
}
