//! Arithmetic corner cases: signed zeros, NaNs, infinities, flags and rounding modes.

use super::*;
use FpFmt::{D, S};
use Rounding::{Rdn, Rmm, Rne, Rtz, Rup};

const S_INF: u64 = 0xffff_ffff_7f80_0000;
const S_NINF: u64 = 0xffff_ffff_ff80_0000;
const S_MAX: u32 = 0x7f7f_ffff;
const D_INF: u64 = 0x7ff0_0000_0000_0000;
const D_NINF: u64 = 0xfff0_0000_0000_0000;
const D_MAX: u64 = 0x7fef_ffff_ffff_ffff;

#[test]
fn simple_values_are_exact() {
    assert_eq!(s_op(FpOp::Add, Rne, s(1.0), s(2.0), 0), ok(s(3.0), 0));
    assert_eq!(s_op(FpOp::Sub, Rne, s(1.0), s(2.0), 0), ok(s(-1.0), 0));
    assert_eq!(s_op(FpOp::Mul, Rne, s(1.5), s(-4.0), 0), ok(s(-6.0), 0));
    assert_eq!(s_op(FpOp::Div, Rne, s(1.0), s(4.0), 0), ok(s(0.25), 0));
    assert_eq!(s_op(FpOp::Sqrt, Rne, s(4.0), 0, 0), ok(s(2.0), 0));
    assert_eq!(d_op(FpOp::Add, Rne, d(1.0), d(2.0), 0), ok(d(3.0), 0));
    assert_eq!(d_op(FpOp::Sub, Rne, d(1.0), d(2.0), 0), ok(d(-1.0), 0));
    assert_eq!(d_op(FpOp::Mul, Rne, d(1.5), d(-4.0), 0), ok(d(-6.0), 0));
    assert_eq!(d_op(FpOp::Div, Rne, d(1.0), d(4.0), 0), ok(d(0.25), 0));
    assert_eq!(d_op(FpOp::Sqrt, Rne, d(4.0), 0, 0), ok(d(2.0), 0));
    // Inexact: host results are correctly rounded; only NX is raised.
    assert_eq!(
        s_op(FpOp::Div, Rne, s(1.0), s(3.0), 0),
        ok(s(1.0 / 3.0), NX)
    );
    assert_eq!(
        d_op(FpOp::Div, Rne, d(1.0), d(3.0), 0),
        ok(d(1.0 / 3.0), NX)
    );
    assert_eq!(d_op(FpOp::Sqrt, Rne, d(2.0), 0, 0), ok(d(2f64.sqrt()), NX));
}

#[test]
fn exact_zero_sums_are_negative_only_when_rounding_down() {
    for fmt in [S, D] {
        let (pz, nz, one, none) = match fmt {
            S => (s(0.0), s(-0.0), s(1.0), s(-1.0)),
            D => (d(0.0), d(-0.0), d(1.0), d(-1.0)),
            FpFmt::H => (h(0x0000), h(0x8000), h(0x3c00), h(0xbc00)),
        };
        for (op, a, b) in [
            (FpOp::Add, pz, nz),
            (FpOp::Add, nz, pz),
            (FpOp::Add, one, none),
            (FpOp::Sub, pz, pz),
            (FpOp::Sub, one, one),
        ] {
            for rm in MODES {
                let want = if rm == Rdn { nz } else { pz };
                assert_eq!(
                    execute(op, fmt, rm, a, b, 0),
                    ok(want, 0),
                    "{op:?} {fmt:?} {rm:?}"
                );
            }
        }
        check_all_modes(fmt, FpOp::Add, nz, nz, 0, ok(nz, 0));
        check_all_modes(fmt, FpOp::Sub, nz, pz, 0, ok(nz, 0));
        check_all_modes(fmt, FpOp::Mul, nz, one, 0, ok(nz, 0));
        check_all_modes(fmt, FpOp::Mul, nz, nz, 0, ok(pz, 0));
        check_all_modes(fmt, FpOp::Div, nz, one, 0, ok(nz, 0));
        check_all_modes(fmt, FpOp::Sqrt, nz, 0, 0, ok(nz, 0));
    }
}

#[test]
fn nan_inputs_give_canonical_nan_and_only_signaling_ones_raise_invalid() {
    for op in [FpOp::Add, FpOp::Sub, FpOp::Mul, FpOp::Div] {
        assert_eq!(s_op(op, Rne, S_SNAN, s(1.0), 0), ok(S_NAN, NV), "{op:?}");
        assert_eq!(s_op(op, Rne, s(1.0), S_SNAN, 0), ok(S_NAN, NV), "{op:?}");
        assert_eq!(
            s_op(op, Rne, S_QNAN_PAYLOAD, s(1.0), 0),
            ok(S_NAN, 0),
            "{op:?}"
        );
        assert_eq!(
            s_op(op, Rne, s(1.0), S_QNAN_PAYLOAD, 0),
            ok(S_NAN, 0),
            "{op:?}"
        );
        assert_eq!(
            s_op(op, Rne, S_SNAN, S_QNAN_PAYLOAD, 0),
            ok(S_NAN, NV),
            "{op:?}"
        );
        // An improperly boxed operand is the canonical (quiet) NaN.
        assert_eq!(
            s_op(op, Rne, S_UNBOXED_ONE, s(1.0), 0),
            ok(S_NAN, 0),
            "{op:?}"
        );
        assert_eq!(
            s_op(op, Rne, s(1.0), S_UNBOXED_ONE, 0),
            ok(S_NAN, 0),
            "{op:?}"
        );
        assert_eq!(d_op(op, Rne, D_SNAN, d(1.0), 0), ok(D_NAN, NV), "{op:?}");
        assert_eq!(d_op(op, Rne, d(1.0), D_SNAN, 0), ok(D_NAN, NV), "{op:?}");
        assert_eq!(
            d_op(op, Rne, D_QNAN_PAYLOAD, d(1.0), 0),
            ok(D_NAN, 0),
            "{op:?}"
        );
        assert_eq!(
            d_op(op, Rne, d(1.0), D_QNAN_PAYLOAD, 0),
            ok(D_NAN, 0),
            "{op:?}"
        );
    }
    assert_eq!(s_op(FpOp::Sqrt, Rne, S_SNAN, 0, 0), ok(S_NAN, NV));
    assert_eq!(s_op(FpOp::Sqrt, Rne, S_QNAN_PAYLOAD, 0, 0), ok(S_NAN, 0));
    assert_eq!(s_op(FpOp::Sqrt, Rne, S_UNBOXED_ONE, 0, 0), ok(S_NAN, 0));
    assert_eq!(d_op(FpOp::Sqrt, Rne, D_SNAN, 0, 0), ok(D_NAN, NV));
    assert_eq!(d_op(FpOp::Sqrt, Rne, D_QNAN_PAYLOAD, 0, 0), ok(D_NAN, 0));
    // Signaling NaN over zero: invalid, not divide-by-zero.
    assert_eq!(s_op(FpOp::Div, Rne, S_SNAN, s(0.0), 0), ok(S_NAN, NV));
}

#[test]
fn invalid_operations_on_infinities_and_zeros() {
    let cases_s = [
        (FpOp::Add, S_INF, S_NINF, ok(S_NAN, NV)),
        (FpOp::Sub, S_INF, S_INF, ok(S_NAN, NV)),
        (FpOp::Add, S_INF, S_INF, ok(S_INF, 0)),
        (FpOp::Sub, S_NINF, S_INF, ok(S_NINF, 0)),
        (FpOp::Mul, s(0.0), S_INF, ok(S_NAN, NV)),
        (FpOp::Mul, S_NINF, s(-0.0), ok(S_NAN, NV)),
        (FpOp::Mul, S_INF, s(-2.0), ok(S_NINF, 0)),
        (FpOp::Div, s(0.0), s(0.0), ok(S_NAN, NV)),
        (FpOp::Div, S_INF, S_NINF, ok(S_NAN, NV)),
        // Divide by zero only for a finite non-zero dividend.
        (FpOp::Div, s(1.0), s(0.0), ok(S_INF, DZ)),
        (FpOp::Div, s(-1.0), s(0.0), ok(S_NINF, DZ)),
        (FpOp::Div, s(1.0), s(-0.0), ok(S_NINF, DZ)),
        (FpOp::Div, S_INF, s(0.0), ok(S_INF, 0)),
        (FpOp::Div, s(1.0), S_NINF, ok(s(-0.0), 0)),
    ];
    for (op, a, b, want) in cases_s {
        check_all_modes(S, op, a, b, 0, want);
    }
    let cases_d = [
        (FpOp::Add, D_INF, D_NINF, ok(D_NAN, NV)),
        (FpOp::Sub, D_NINF, D_NINF, ok(D_NAN, NV)),
        (FpOp::Mul, D_INF, d(0.0), ok(D_NAN, NV)),
        (FpOp::Mul, D_NINF, D_NINF, ok(D_INF, 0)),
        (FpOp::Div, d(-0.0), d(0.0), ok(D_NAN, NV)),
        (FpOp::Div, D_INF, D_INF, ok(D_NAN, NV)),
        (FpOp::Div, d(5.0), d(0.0), ok(D_INF, DZ)),
        (FpOp::Div, d(5.0), d(-0.0), ok(D_NINF, DZ)),
        (FpOp::Div, D_NINF, d(0.0), ok(D_NINF, 0)),
    ];
    for (op, a, b, want) in cases_d {
        check_all_modes(D, op, a, b, 0, want);
    }
    for (fmt, neg_one, inf, ninf, nan) in [
        (S, s(-1.0), S_INF, S_NINF, S_NAN),
        (D, d(-1.0), D_INF, D_NINF, D_NAN),
    ] {
        check_all_modes(fmt, FpOp::Sqrt, neg_one, 0, 0, ok(nan, NV));
        check_all_modes(fmt, FpOp::Sqrt, ninf, 0, 0, ok(nan, NV));
        check_all_modes(fmt, FpOp::Sqrt, inf, 0, 0, ok(inf, 0));
    }
}

#[test]
fn every_rounding_mode_on_ties_and_non_ties() {
    // 1 + 2^-24 is exactly halfway between 1.0 and 1 + 2^-23 (0x3f800001).
    let half_ulp = sb(0x3380_0000);
    check_modes(
        S,
        FpOp::Add,
        s(1.0),
        half_ulp,
        0,
        [
            (Rne, s(1.0), NX),
            (Rtz, s(1.0), NX),
            (Rdn, s(1.0), NX),
            (Rup, sb(0x3f80_0001), NX),
            (Rmm, sb(0x3f80_0001), NX),
        ],
    );
    // The mirror image: ties away from zero goes down, towards +inf goes to -1.0.
    check_modes(
        S,
        FpOp::Sub,
        s(-1.0),
        half_ulp,
        0,
        [
            (Rne, s(-1.0), NX),
            (Rtz, s(-1.0), NX),
            (Rdn, sb(0xbf80_0001), NX),
            (Rup, s(-1.0), NX),
            (Rmm, sb(0xbf80_0001), NX),
        ],
    );
    // 1 + 0.75 ulp: not a tie, so both nearest modes round up.
    check_modes(
        S,
        FpOp::Add,
        s(1.0),
        sb(0x33c0_0000),
        0,
        [
            (Rne, sb(0x3f80_0001), NX),
            (Rtz, s(1.0), NX),
            (Rdn, s(1.0), NX),
            (Rup, sb(0x3f80_0001), NX),
            (Rmm, sb(0x3f80_0001), NX),
        ],
    );
    // 1 + 2^-53 in double precision: the same tie.
    let one_up = 0x3ff0_0000_0000_0001;
    check_modes(
        D,
        FpOp::Add,
        d(1.0),
        d(2f64.powi(-53)),
        0,
        [
            (Rne, d(1.0), NX),
            (Rtz, d(1.0), NX),
            (Rdn, d(1.0), NX),
            (Rup, one_up, NX),
            (Rmm, one_up, NX),
        ],
    );
    // sqrt(2) lies between 0x3fb504f3 (below, the nearest) and 0x3fb504f4.
    check_modes(
        S,
        FpOp::Sqrt,
        s(2.0),
        0,
        0,
        [
            (Rne, sb(0x3fb5_04f3), NX),
            (Rtz, sb(0x3fb5_04f3), NX),
            (Rdn, sb(0x3fb5_04f3), NX),
            (Rup, sb(0x3fb5_04f4), NX),
            (Rmm, sb(0x3fb5_04f3), NX),
        ],
    );
    // 1/3 = 0x3eaaaaaa.aaa...: nearest is 0x3eaaaaab; -1/3 mirrored.
    check_modes(
        S,
        FpOp::Div,
        s(-1.0),
        s(3.0),
        0,
        [
            (Rne, sb(0xbeaa_aaab), NX),
            (Rtz, sb(0xbeaa_aaaa), NX),
            (Rdn, sb(0xbeaa_aaab), NX),
            (Rup, sb(0xbeaa_aaaa), NX),
            (Rmm, sb(0xbeaa_aaab), NX),
        ],
    );
}

#[test]
fn overflow_rounds_to_infinity_or_max_by_mode() {
    let (max, nmax) = (sb(S_MAX), sb(S_MAX | 0x8000_0000));
    check_modes(
        S,
        FpOp::Mul,
        max,
        s(2.0),
        0,
        [
            (Rne, S_INF, OF | NX),
            (Rtz, max, OF | NX),
            (Rdn, max, OF | NX),
            (Rup, S_INF, OF | NX),
            (Rmm, S_INF, OF | NX),
        ],
    );
    check_modes(
        S,
        FpOp::Mul,
        nmax,
        s(2.0),
        0,
        [
            (Rne, S_NINF, OF | NX),
            (Rtz, nmax, OF | NX),
            (Rdn, S_NINF, OF | NX),
            (Rup, nmax, OF | NX),
            (Rmm, S_NINF, OF | NX),
        ],
    );
    let nmax_d = D_MAX | 1 << 63;
    check_modes(
        D,
        FpOp::Add,
        D_MAX,
        D_MAX,
        0,
        [
            (Rne, D_INF, OF | NX),
            (Rtz, D_MAX, OF | NX),
            (Rdn, D_MAX, OF | NX),
            (Rup, D_INF, OF | NX),
            (Rmm, D_INF, OF | NX),
        ],
    );
    check_modes(
        D,
        FpOp::Div,
        nmax_d,
        d(0.5),
        0,
        [
            (Rne, D_NINF, OF | NX),
            (Rtz, nmax_d, OF | NX),
            (Rdn, D_NINF, OF | NX),
            (Rup, nmax_d, OF | NX),
            (Rmm, D_NINF, OF | NX),
        ],
    );
}

#[test]
fn underflow_needs_tiny_and_inexact() {
    // Exactly representable subnormal results raise nothing.
    check_all_modes(
        S,
        FpOp::Mul,
        sb(0x0080_0000),
        s(0.5),
        0,
        ok(sb(0x0040_0000), 0),
    );
    check_all_modes(
        D,
        FpOp::Mul,
        0x0010_0000_0000_0000,
        d(0.5),
        0,
        ok(0x0008_0000_0000_0000, 0),
    );
    // Half the smallest subnormal: a tie between 0 and 2^-149.
    check_modes(
        S,
        FpOp::Mul,
        sb(1),
        s(0.5),
        0,
        [
            (Rne, s(0.0), UF | NX),
            (Rtz, s(0.0), UF | NX),
            (Rdn, s(0.0), UF | NX),
            (Rup, sb(1), UF | NX),
            (Rmm, sb(1), UF | NX),
        ],
    );
    check_modes(
        D,
        FpOp::Mul,
        1 << 63 | 1,
        d(0.5),
        0,
        [
            (Rne, d(-0.0), UF | NX),
            (Rtz, d(-0.0), UF | NX),
            (Rdn, 1 << 63 | 1, UF | NX),
            (Rup, d(-0.0), UF | NX),
            (Rmm, 1 << 63 | 1, UF | NX),
        ],
    );
}

#[test]
fn tininess_is_detected_after_rounding() {
    // (1 + 2^-23) * (2^-126 - 2^-149) = 2^-126 * (1 - 2^-46). Rounded to 24 bits with an
    // unbounded exponent it is 2^-126 when rounding up or to nearest: not tiny, so no UF
    // even though the exact value is below the normal range. Rounding down it stays tiny.
    check_modes(
        S,
        FpOp::Mul,
        sb(0x3f80_0001),
        sb(0x007f_ffff),
        0,
        [
            (Rne, sb(0x0080_0000), NX),
            (Rtz, sb(0x007f_ffff), UF | NX),
            (Rdn, sb(0x007f_ffff), UF | NX),
            (Rup, sb(0x0080_0000), NX),
            (Rmm, sb(0x0080_0000), NX),
        ],
    );
    // The same in double precision: (1 + 2^-52) * (2^-1022 - 2^-1074).
    let (min_normal, max_sub) = (0x0010_0000_0000_0000, 0x000f_ffff_ffff_ffff);
    check_modes(
        D,
        FpOp::Mul,
        0x3ff0_0000_0000_0001,
        max_sub,
        0,
        [
            (Rne, min_normal, NX),
            (Rtz, max_sub, UF | NX),
            (Rdn, max_sub, UF | NX),
            (Rup, min_normal, NX),
            (Rmm, min_normal, NX),
        ],
    );
}

#[test]
fn fused_ops_follow_the_spec_sign_conventions() {
    // fmadd = a*b+c, fmsub = a*b-c, fnmsub = -(a*b)+c, fnmadd = -(a*b)-c.
    let cases = [
        (FpOp::MulAdd, 7.0),
        (FpOp::MulSub, 5.0),
        (FpOp::NegMulSub, -5.0),
        (FpOp::NegMulAdd, -7.0),
    ];
    for (op, want) in cases {
        check_all_modes(S, op, s(2.0), s(3.0), s(1.0), ok(s(want as f32), 0));
        check_all_modes(D, op, d(2.0), d(3.0), d(1.0), ok(d(want), 0));
    }
}

#[test]
fn fused_ops_round_once() {
    // (1 + 2^-23)(1 - 2^-23) = 1 - 2^-46: a separate multiply would round it to 1.0 and
    // the sum with -1 would be 0; fused, the exact -2^-46 survives.
    let (a, b) = (sb(0x3f80_0001), sb(0x3f7f_fffe));
    let tiny = 2f32.powi(-46);
    check_all_modes(S, FpOp::MulAdd, a, b, s(-1.0), ok(s(-tiny), 0));
    check_all_modes(S, FpOp::MulSub, a, b, s(1.0), ok(s(-tiny), 0));
    check_all_modes(S, FpOp::NegMulSub, a, b, s(1.0), ok(s(tiny), 0));
    check_all_modes(S, FpOp::NegMulAdd, a, b, s(-1.0), ok(s(tiny), 0));
    let (a, b) = (0x3ff0_0000_0000_0001, 0x3fef_ffff_ffff_fffe);
    let tiny = 2f64.powi(-104);
    check_all_modes(D, FpOp::MulAdd, a, b, d(-1.0), ok(d(-tiny), 0));
    check_all_modes(D, FpOp::NegMulAdd, a, b, d(-1.0), ok(d(tiny), 0));
    // No intermediate overflow: MAX*2 - MAX = MAX exactly.
    check_all_modes(
        S,
        FpOp::MulAdd,
        sb(S_MAX),
        s(2.0),
        sb(S_MAX | 1 << 31),
        ok(sb(S_MAX), 0),
    );
    check_all_modes(D, FpOp::MulSub, D_MAX, d(2.0), D_MAX, ok(D_MAX, 0));
    // (1 + 2^-23)^2 = 1 + 2^-22 + 2^-46: one rounding decides between ...02 and ...03.
    let a = sb(0x3f80_0001);
    check_modes(
        S,
        FpOp::MulAdd,
        a,
        a,
        s(0.0),
        [
            (Rne, sb(0x3f80_0002), NX),
            (Rtz, sb(0x3f80_0002), NX),
            (Rdn, sb(0x3f80_0002), NX),
            (Rup, sb(0x3f80_0003), NX),
            (Rmm, sb(0x3f80_0002), NX),
        ],
    );
}

#[test]
fn fused_ops_sign_of_exact_zero() {
    for fmt in [S, D] {
        let (pz, nz, one) = match fmt {
            S => (s(0.0), s(-0.0), s(1.0)),
            D => (d(0.0), d(-0.0), d(1.0)),
            FpFmt::H => (h(0x0000), h(0x8000), h(0x3c00)),
        };
        // +0 + -0, +0 - +0 and -0 + +0 are -0 only when rounding down.
        for (op, c) in [
            (FpOp::MulAdd, nz),
            (FpOp::MulSub, pz),
            (FpOp::NegMulSub, pz),
        ] {
            for rm in MODES {
                let want = if rm == Rdn { nz } else { pz };
                assert_eq!(
                    execute(op, fmt, rm, one, pz, c),
                    ok(want, 0),
                    "{op:?} {fmt:?} {rm:?}"
                );
            }
        }
        // -(1*0) - 0 = -0 - 0 = -0 in every mode.
        check_all_modes(fmt, FpOp::NegMulAdd, one, pz, pz, ok(nz, 0));
    }
}

#[test]
fn fused_ops_nan_and_infinity_rules() {
    for (fmt, zero, one, inf, ninf, qnan, snan, nan) in [
        (
            S,
            s(0.0),
            s(1.0),
            S_INF,
            S_NINF,
            S_QNAN_PAYLOAD,
            S_SNAN,
            S_NAN,
        ),
        (
            D,
            d(0.0),
            d(1.0),
            D_INF,
            D_NINF,
            D_QNAN_PAYLOAD,
            D_SNAN,
            D_NAN,
        ),
    ] {
        // RISC-V: inf * 0 + qNaN is invalid (IEEE leaves it to the implementation).
        check_all_modes(fmt, FpOp::MulAdd, inf, zero, qnan, ok(nan, NV));
        check_all_modes(fmt, FpOp::MulAdd, zero, ninf, qnan, ok(nan, NV));
        check_all_modes(fmt, FpOp::NegMulAdd, inf, zero, qnan, ok(nan, NV));
        check_all_modes(fmt, FpOp::MulAdd, inf, zero, one, ok(nan, NV));
        check_all_modes(fmt, FpOp::MulAdd, inf, one, ninf, ok(nan, NV));
        check_all_modes(fmt, FpOp::MulSub, inf, one, inf, ok(nan, NV));
        check_all_modes(fmt, FpOp::NegMulSub, inf, one, inf, ok(nan, NV));
        check_all_modes(fmt, FpOp::NegMulAdd, inf, one, inf, ok(ninf, 0));
        check_all_modes(fmt, FpOp::MulAdd, inf, one, inf, ok(inf, 0));
        check_all_modes(fmt, FpOp::MulAdd, one, one, inf, ok(inf, 0));
        // Quiet NaNs propagate (canonically) without flags; signaling ones raise NV.
        check_all_modes(fmt, FpOp::MulAdd, qnan, one, one, ok(nan, 0));
        check_all_modes(fmt, FpOp::MulAdd, one, one, qnan, ok(nan, 0));
        check_all_modes(fmt, FpOp::MulAdd, one, snan, one, ok(nan, NV));
        check_all_modes(fmt, FpOp::NegMulSub, one, one, snan, ok(nan, NV));
    }
    check_all_modes(S, FpOp::MulAdd, s(1.0), s(1.0), S_UNBOXED_ONE, ok(S_NAN, 0));
}
