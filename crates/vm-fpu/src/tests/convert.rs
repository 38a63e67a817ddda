//! Conversions: float to integer (saturating), integer to float, single <-> double.

use super::*;
use crate::IntKind::{self, L, LU, W, WU};
use FpFmt::{D, S};
use Rounding::{Rdn, Rmm, Rne, Rtz, Rup};

const KINDS: [IntKind; 4] = [W, WU, L, LU];

/// RISC-V results of an invalid conversion of a positive value or NaN, per kind (32-bit
/// results sign-extended, so `.wu` gives all ones).
const SAT_HIGH: [u64; 4] = [0x7fff_ffff, u64::MAX, i64::MAX as u64, u64::MAX];
/// RISC-V results of an invalid conversion of a negative value, per kind.
const SAT_LOW: [u64; 4] = [0xffff_ffff_8000_0000, 0, i64::MIN as u64, 0];

#[test]
fn to_int_saturates_nan_infinities_and_out_of_range() {
    let high_s = [
        S_QNAN_PAYLOAD,
        S_SNAN,
        S_NAN,
        S_UNBOXED_ONE,
        s(f32::INFINITY),
        s(1e30),
    ];
    let low_s = [s(f32::NEG_INFINITY), s(-1e30)];
    let high_d = [D_QNAN_PAYLOAD, D_SNAN, D_NAN, d(f64::INFINITY), d(1e300)];
    let low_d = [d(f64::NEG_INFINITY), d(-1e300)];
    for (i, kind) in KINDS.into_iter().enumerate() {
        let op = FpOp::ToInt(kind);
        for a in high_s {
            check_all_modes(S, op, a, 0, 0, ok(SAT_HIGH[i], NV));
        }
        for a in low_s {
            check_all_modes(S, op, a, 0, 0, ok(SAT_LOW[i], NV));
        }
        for a in high_d {
            check_all_modes(D, op, a, 0, 0, ok(SAT_HIGH[i], NV));
        }
        for a in low_d {
            check_all_modes(D, op, a, 0, 0, ok(SAT_LOW[i], NV));
        }
    }
}

#[test]
fn to_int_range_boundaries() {
    // (fmt, kind, input, result, flags), exact inputs: the same in every mode.
    let cases: [(FpFmt, IntKind, u64, u64, u32); 26] = [
        // 0x4effffff = 2^31 - 128, the largest single below 2^31.
        (S, W, sb(0x4eff_ffff), 0x7fff_ff80, 0),
        (S, W, sb(0x4f00_0000), 0x7fff_ffff, NV),
        (S, W, sb(0xcf00_0000), 0xffff_ffff_8000_0000, 0),
        (S, W, sb(0xcf00_0001), 0xffff_ffff_8000_0000, NV),
        // 0x4f7fffff = 2^32 - 256, sign-extended like every 32-bit result.
        (S, WU, sb(0x4f7f_ffff), 0xffff_ffff_ffff_ff00, 0),
        (S, WU, sb(0x4f80_0000), u64::MAX, NV),
        (S, WU, s(-1.0), 0, NV),
        (S, WU, s(-0.0), 0, 0),
        (S, L, sb(0x5eff_ffff), 0x7fff_ff80_0000_0000, 0),
        (S, L, sb(0x5f00_0000), i64::MAX as u64, NV),
        (S, L, sb(0xdf00_0000), i64::MIN as u64, 0),
        (S, L, sb(0xdf00_0001), i64::MIN as u64, NV),
        (S, LU, sb(0x5f7f_ffff), 0xffff_ff00_0000_0000, 0),
        (S, LU, sb(0x5f80_0000), u64::MAX, NV),
        (S, LU, s(-1.0), 0, NV),
        (D, W, d(2147483647.0), 0x7fff_ffff, 0),
        (D, W, d(2147483648.0), 0x7fff_ffff, NV),
        (D, W, d(-2147483648.0), 0xffff_ffff_8000_0000, 0),
        (D, W, d(-2147483649.0), 0xffff_ffff_8000_0000, NV),
        // 2^32 - 1 converts exactly: the same bits as the saturated value, but no flag.
        (D, WU, d(4294967295.0), u64::MAX, 0),
        (D, WU, d(4294967296.0), u64::MAX, NV),
        (D, WU, d(3e9), 0xffff_ffff_b2d0_5e00, 0),
        (D, L, d(9223372036854774784.0), 0x7fff_ffff_ffff_fc00, 0),
        (D, L, d(9223372036854775808.0), i64::MAX as u64, NV),
        (D, LU, d(18446744073709549568.0), 0xffff_ffff_ffff_f800, 0),
        (D, LU, d(18446744073709551616.0), u64::MAX, NV),
    ];
    for (fmt, kind, a, value, flags) in cases {
        check_all_modes(fmt, FpOp::ToInt(kind), a, 0, 0, ok(value, flags));
    }
    // Sign extension of ordinary 32-bit results.
    check_all_modes(S, FpOp::ToInt(W), s(-1.0), 0, 0, ok(u64::MAX, 0));
    check_all_modes(D, FpOp::ToInt(W), d(-7.0), 0, 0, ok(-7i64 as u64, 0));
    check_all_modes(D, FpOp::ToInt(L), d(-7.0), 0, 0, ok(-7i64 as u64, 0));
}

#[test]
fn to_int_rounding_modes() {
    let neg = |x: i64| x as u64;
    for fmt in [S, D] {
        let v = |x: f64| match fmt {
            S => s(x as f32),
            D => d(x),
            FpFmt::H => unreachable!("single and double precision only"),
        };
        for kind in KINDS {
            let op = FpOp::ToInt(kind);
            check_modes(
                fmt,
                op,
                v(2.5),
                0,
                0,
                [
                    (Rne, 2, NX),
                    (Rtz, 2, NX),
                    (Rdn, 2, NX),
                    (Rup, 3, NX),
                    (Rmm, 3, NX),
                ],
            );
            check_modes(
                fmt,
                op,
                v(0.75),
                0,
                0,
                [
                    (Rne, 1, NX),
                    (Rtz, 0, NX),
                    (Rdn, 0, NX),
                    (Rup, 1, NX),
                    (Rmm, 1, NX),
                ],
            );
            check_all_modes(fmt, op, v(3.0), 0, 0, ok(3, 0));
        }
        for kind in [W, L] {
            check_modes(
                fmt,
                FpOp::ToInt(kind),
                v(-2.5),
                0,
                0,
                [
                    (Rne, neg(-2), NX),
                    (Rtz, neg(-2), NX),
                    (Rdn, neg(-3), NX),
                    (Rup, neg(-2), NX),
                    (Rmm, neg(-3), NX),
                ],
            );
        }
        // Unsigned: a negative value that rounds to zero is merely inexact; one that
        // rounds to -1 is invalid and saturates to 0.
        for kind in [WU, LU] {
            check_modes(
                fmt,
                FpOp::ToInt(kind),
                v(-0.5),
                0,
                0,
                [
                    (Rne, 0, NX),
                    (Rtz, 0, NX),
                    (Rdn, 0, NV),
                    (Rup, 0, NX),
                    (Rmm, 0, NV),
                ],
            );
        }
    }
    // Rounding decides whether a value is in range.
    check_modes(
        D,
        FpOp::ToInt(W),
        d(2147483647.5),
        0,
        0,
        [
            (Rne, 0x7fff_ffff, NV),
            (Rtz, 0x7fff_ffff, NX),
            (Rdn, 0x7fff_ffff, NX),
            (Rup, 0x7fff_ffff, NV),
            (Rmm, 0x7fff_ffff, NV),
        ],
    );
    let min = 0xffff_ffff_8000_0000;
    check_modes(
        D,
        FpOp::ToInt(W),
        d(-2147483648.5),
        0,
        0,
        [
            (Rne, min, NX),
            (Rtz, min, NX),
            (Rdn, min, NV),
            (Rup, min, NX),
            (Rmm, min, NV),
        ],
    );
    check_modes(
        D,
        FpOp::ToInt(WU),
        d(4294967295.5),
        0,
        0,
        [
            (Rne, u64::MAX, NV),
            (Rtz, u64::MAX, NX),
            (Rdn, u64::MAX, NX),
            (Rup, u64::MAX, NV),
            (Rmm, u64::MAX, NV),
        ],
    );
}

#[test]
fn from_int_reads_the_right_bits() {
    // .w: low 32 bits, signed; .wu: low 32 bits, unsigned; upper bits ignored.
    check_all_modes(
        S,
        FpOp::FromInt(W),
        0xdead_beef_0000_0001,
        0,
        0,
        ok(s(1.0), 0),
    );
    check_all_modes(
        S,
        FpOp::FromInt(W),
        0x0000_0000_ffff_ffff,
        0,
        0,
        ok(s(-1.0), 0),
    );
    check_all_modes(
        S,
        FpOp::FromInt(W),
        0x8000_0000,
        0,
        0,
        ok(s(-2147483648.0), 0),
    );
    check_all_modes(
        S,
        FpOp::FromInt(WU),
        0xffff_ffff_8000_0000,
        0,
        0,
        ok(s(2147483648.0), 0),
    );
    check_all_modes(
        D,
        FpOp::FromInt(W),
        0x1234_5678_ffff_fffb,
        0,
        0,
        ok(d(-5.0), 0),
    );
    check_all_modes(
        D,
        FpOp::FromInt(WU),
        0x1234_5678_ffff_ffff,
        0,
        0,
        ok(d(4294967295.0), 0),
    );
    check_all_modes(
        D,
        FpOp::FromInt(L),
        i64::MIN as u64,
        0,
        0,
        ok(d(-(2f64.powi(63))), 0),
    );
    check_all_modes(D, FpOp::FromInt(LU), 1 << 63, 0, 0, ok(d(2f64.powi(63)), 0));
    check_all_modes(S, FpOp::FromInt(L), -3i64 as u64, 0, 0, ok(s(-3.0), 0));
    // Zero converts to +0 in every mode, including rounding down.
    for kind in KINDS {
        check_all_modes(S, FpOp::FromInt(kind), 0, 0, 0, ok(s(0.0), 0));
        check_all_modes(D, FpOp::FromInt(kind), 0, 0, 0, ok(d(0.0), 0));
    }
}

#[test]
fn from_int_rounding_modes() {
    // 2^24 + 1 is halfway between the singles 2^24 and 2^24 + 2.
    let (lo, hi) = (s(16777216.0), s(16777218.0));
    check_modes(
        S,
        FpOp::FromInt(L),
        16777217,
        0,
        0,
        [
            (Rne, lo, NX),
            (Rtz, lo, NX),
            (Rdn, lo, NX),
            (Rup, hi, NX),
            (Rmm, hi, NX),
        ],
    );
    let (nlo, nhi) = (s(-16777218.0), s(-16777216.0));
    check_modes(
        S,
        FpOp::FromInt(W),
        -16777217i64 as u64,
        0,
        0,
        [
            (Rne, nhi, NX),
            (Rtz, nhi, NX),
            (Rdn, nlo, NX),
            (Rup, nhi, NX),
            (Rmm, nlo, NX),
        ],
    );
    // 2^32 - 1: nearest single is 2^32 (0x4f800000), below it 2^32 - 256 (0x4f7fffff).
    let (below, above) = (sb(0x4f7f_ffff), sb(0x4f80_0000));
    check_modes(
        S,
        FpOp::FromInt(WU),
        0xffff_ffff,
        0,
        0,
        [
            (Rne, above, NX),
            (Rtz, below, NX),
            (Rdn, below, NX),
            (Rup, above, NX),
            (Rmm, above, NX),
        ],
    );
    let (below, above) = (sb(0x5f7f_ffff), sb(0x5f80_0000));
    check_modes(
        S,
        FpOp::FromInt(LU),
        u64::MAX,
        0,
        0,
        [
            (Rne, above, NX),
            (Rtz, below, NX),
            (Rdn, below, NX),
            (Rup, above, NX),
            (Rmm, above, NX),
        ],
    );
    // 2^53 + 1 is halfway between the doubles 2^53 and 2^53 + 2.
    let (lo, hi) = (d(9007199254740992.0), d(9007199254740994.0));
    check_modes(
        D,
        FpOp::FromInt(L),
        9007199254740993,
        0,
        0,
        [
            (Rne, lo, NX),
            (Rtz, lo, NX),
            (Rdn, lo, NX),
            (Rup, hi, NX),
            (Rmm, hi, NX),
        ],
    );
    let (below, above) = (0x43ef_ffff_ffff_ffff, d(2f64.powi(64)));
    check_modes(
        D,
        FpOp::FromInt(LU),
        u64::MAX,
        0,
        0,
        [
            (Rne, above, NX),
            (Rtz, below, NX),
            (Rdn, below, NX),
            (Rup, above, NX),
            (Rmm, above, NX),
        ],
    );
}

#[test]
fn double_to_single_rounds_and_flags() {
    let op = FpOp::FromOther;
    check_all_modes(S, op, d(1.0), 0, 0, ok(s(1.0), 0));
    check_all_modes(S, op, d(-0.0), 0, 0, ok(s(-0.0), 0));
    check_all_modes(
        S,
        op,
        d(f64::NEG_INFINITY),
        0,
        0,
        ok(s(f32::NEG_INFINITY), 0),
    );
    check_all_modes(S, op, d(2f64.powi(-149)), 0, 0, ok(sb(1), 0));
    // 0.1 lies between the singles 0x3dcccccc and 0x3dcccccd (nearer).
    check_modes(
        S,
        op,
        d(0.1),
        0,
        0,
        [
            (Rne, sb(0x3dcc_cccd), NX),
            (Rtz, sb(0x3dcc_cccc), NX),
            (Rdn, sb(0x3dcc_cccc), NX),
            (Rup, sb(0x3dcc_cccd), NX),
            (Rmm, sb(0x3dcc_cccd), NX),
        ],
    );
    let (inf, max) = (s(f32::INFINITY), s(f32::MAX));
    check_modes(
        S,
        op,
        d(1e300),
        0,
        0,
        [
            (Rne, inf, OF | NX),
            (Rtz, max, OF | NX),
            (Rdn, max, OF | NX),
            (Rup, inf, OF | NX),
            (Rmm, inf, OF | NX),
        ],
    );
    let (ninf, nmax) = (s(f32::NEG_INFINITY), s(f32::MIN));
    check_modes(
        S,
        op,
        d(-1e300),
        0,
        0,
        [
            (Rne, ninf, OF | NX),
            (Rtz, nmax, OF | NX),
            (Rdn, ninf, OF | NX),
            (Rup, nmax, OF | NX),
            (Rmm, ninf, OF | NX),
        ],
    );
    check_modes(
        S,
        op,
        d(1e-300),
        0,
        0,
        [
            (Rne, s(0.0), UF | NX),
            (Rtz, s(0.0), UF | NX),
            (Rdn, s(0.0), UF | NX),
            (Rup, sb(1), UF | NX),
            (Rmm, s(0.0), UF | NX),
        ],
    );
    // NaNs become the canonical single NaN; only signaling ones raise invalid.
    check_all_modes(S, op, D_QNAN_PAYLOAD, 0, 0, ok(S_NAN, 0));
    check_all_modes(S, op, D_SNAN, 0, 0, ok(S_NAN, NV));
}

#[test]
fn single_to_double_is_exact() {
    let op = FpOp::FromOther;
    for x in [
        0.1f32,
        -0.0,
        1e-45,
        -3.4e38,
        f32::INFINITY,
        f32::MIN_POSITIVE,
    ] {
        check_all_modes(D, op, s(x), 0, 0, ok(d(f64::from(x)), 0));
    }
    check_all_modes(D, op, S_QNAN_PAYLOAD, 0, 0, ok(D_NAN, 0));
    check_all_modes(D, op, S_SNAN, 0, 0, ok(D_NAN, NV));
    check_all_modes(D, op, S_UNBOXED_ONE, 0, 0, ok(D_NAN, 0));
}
