//! fmin/fmax, comparisons, fclass, sign injection, moves and NaN boxing.

use super::*;
use crate::IntKind;
use FpFmt::{D, S};
use Rounding::Rne;

/// One value of each format for the format-generic tests.
struct Vals {
    fmt: FpFmt,
    pz: u64,
    nz: u64,
    one: u64,
    two: u64,
    neg_one: u64,
    inf: u64,
    ninf: u64,
    qnan: u64,
    snan: u64,
    nan: u64,
}

fn both_formats() -> [Vals; 2] {
    [
        Vals {
            fmt: S,
            pz: s(0.0),
            nz: s(-0.0),
            one: s(1.0),
            two: s(2.0),
            neg_one: s(-1.0),
            inf: s(f32::INFINITY),
            ninf: s(f32::NEG_INFINITY),
            qnan: S_QNAN_PAYLOAD,
            snan: S_SNAN,
            nan: S_NAN,
        },
        Vals {
            fmt: D,
            pz: d(0.0),
            nz: d(-0.0),
            one: d(1.0),
            two: d(2.0),
            neg_one: d(-1.0),
            inf: d(f64::INFINITY),
            ninf: d(f64::NEG_INFINITY),
            qnan: D_QNAN_PAYLOAD,
            snan: D_SNAN,
            nan: D_NAN,
        },
    ]
}

#[test]
fn min_max_order_signed_zeros() {
    for v in both_formats() {
        for (a, b) in [(v.pz, v.nz), (v.nz, v.pz)] {
            check_all_modes(v.fmt, FpOp::Min, a, b, 0, ok(v.nz, 0));
            check_all_modes(v.fmt, FpOp::Max, a, b, 0, ok(v.pz, 0));
        }
    }
}

#[test]
fn min_max_of_numbers() {
    for v in both_formats() {
        let f = v.fmt;
        for (a, b) in [(v.one, v.two), (v.two, v.one)] {
            check_all_modes(f, FpOp::Min, a, b, 0, ok(v.one, 0));
            check_all_modes(f, FpOp::Max, a, b, 0, ok(v.two, 0));
        }
        check_all_modes(f, FpOp::Min, v.ninf, v.neg_one, 0, ok(v.ninf, 0));
        check_all_modes(f, FpOp::Max, v.ninf, v.neg_one, 0, ok(v.neg_one, 0));
        check_all_modes(f, FpOp::Max, v.inf, v.two, 0, ok(v.inf, 0));
        check_all_modes(f, FpOp::Min, v.neg_one, v.pz, 0, ok(v.neg_one, 0));
        check_all_modes(f, FpOp::Max, v.one, v.one, 0, ok(v.one, 0));
    }
    // Negative numbers order by reversed magnitude.
    assert_eq!(s_op(FpOp::Min, Rne, s(-3.0), s(-2.0), 0), ok(s(-3.0), 0));
    assert_eq!(d_op(FpOp::Max, Rne, d(-3.0), d(-2.0), 0), ok(d(-2.0), 0));
}

#[test]
fn min_max_with_nans() {
    for v in both_formats() {
        let f = v.fmt;
        for op in [FpOp::Min, FpOp::Max] {
            // One quiet NaN: the other operand, quietly.
            check_all_modes(f, op, v.qnan, v.one, 0, ok(v.one, 0));
            check_all_modes(f, op, v.neg_one, v.qnan, 0, ok(v.neg_one, 0));
            // One signaling NaN: still the other operand, but invalid.
            check_all_modes(f, op, v.snan, v.one, 0, ok(v.one, NV));
            check_all_modes(f, op, v.nz, v.snan, 0, ok(v.nz, NV));
            // Two NaNs: the canonical NaN, never a payload.
            check_all_modes(f, op, v.qnan, v.qnan, 0, ok(v.nan, 0));
            check_all_modes(f, op, v.snan, v.qnan, 0, ok(v.nan, NV));
            check_all_modes(f, op, v.qnan, v.snan, 0, ok(v.nan, NV));
        }
    }
    // An improperly boxed operand is a (quiet) NaN.
    assert_eq!(
        s_op(FpOp::Min, Rne, S_UNBOXED_ONE, s(2.0), 0),
        ok(s(2.0), 0)
    );
    assert_eq!(
        s_op(FpOp::Max, Rne, s(-2.0), S_UNBOXED_ONE, 0),
        ok(s(-2.0), 0)
    );
    assert_eq!(
        s_op(FpOp::Max, Rne, S_UNBOXED_ONE, S_UNBOXED_ONE, 0),
        ok(S_NAN, 0)
    );
}

#[test]
fn comparisons_of_numbers() {
    for v in both_formats() {
        let f = v.fmt;
        let table = [
            // (a, b, eq, lt, le)
            (v.one, v.two, 0, 1, 1),
            (v.two, v.one, 0, 0, 0),
            (v.one, v.one, 1, 0, 1),
            (v.nz, v.pz, 1, 0, 1),
            (v.pz, v.nz, 1, 0, 1),
            (v.ninf, v.inf, 0, 1, 1),
            (v.inf, v.inf, 1, 0, 1),
            (v.neg_one, v.nz, 0, 1, 1),
        ];
        for (a, b, eq, lt, le) in table {
            check_all_modes(f, FpOp::Eq, a, b, 0, ok(eq, 0));
            check_all_modes(f, FpOp::Lt, a, b, 0, ok(lt, 0));
            check_all_modes(f, FpOp::Le, a, b, 0, ok(le, 0));
        }
    }
}

#[test]
fn feq_is_quiet_and_flt_fle_are_signaling() {
    for v in both_formats() {
        let f = v.fmt;
        for (a, b) in [(v.qnan, v.one), (v.one, v.qnan), (v.qnan, v.qnan)] {
            check_all_modes(f, FpOp::Eq, a, b, 0, ok(0, 0));
            check_all_modes(f, FpOp::Lt, a, b, 0, ok(0, NV));
            check_all_modes(f, FpOp::Le, a, b, 0, ok(0, NV));
        }
        for (a, b) in [(v.snan, v.one), (v.one, v.snan), (v.snan, v.snan)] {
            check_all_modes(f, FpOp::Eq, a, b, 0, ok(0, NV));
            check_all_modes(f, FpOp::Lt, a, b, 0, ok(0, NV));
            check_all_modes(f, FpOp::Le, a, b, 0, ok(0, NV));
        }
    }
    // Improperly boxed operands are quiet NaNs.
    assert_eq!(
        s_op(FpOp::Eq, Rne, S_UNBOXED_ONE, S_UNBOXED_ONE, 0),
        ok(0, 0)
    );
    assert_eq!(s_op(FpOp::Le, Rne, S_UNBOXED_ONE, s(1.0), 0), ok(0, NV));
}

#[test]
fn fclass_of_every_class() {
    let s_cases: [(u32, u32); 12] = [
        (0xff80_0000, 0), // -inf
        (0xbf80_0000, 1), // -1.0
        (0x8000_0001, 2), // -subnormal
        (0x8000_0000, 3), // -0
        (0x0000_0000, 4), // +0
        (0x007f_ffff, 5), // +subnormal
        (0x0080_0000, 6), // smallest +normal
        (0x7f7f_ffff, 6), // largest +normal
        (0x7f80_0000, 7), // +inf
        (0x7f80_0001, 8), // signaling NaN
        (0xffbf_ffff, 8), // negative signaling NaN
        (0x7fc0_0000, 9), // quiet NaN
    ];
    for (bits, class) in s_cases {
        check_all_modes(S, FpOp::Class, sb(bits), 0, 0, ok(1 << class, 0));
    }
    let d_cases: [(u64, u32); 12] = [
        (0xfff0_0000_0000_0000, 0),
        (0xc000_0000_0000_0000, 1),
        (0x800f_ffff_ffff_ffff, 2),
        (0x8000_0000_0000_0000, 3),
        (0x0000_0000_0000_0000, 4),
        (0x0000_0000_0000_0001, 5),
        (0x0010_0000_0000_0000, 6),
        (0x7fef_ffff_ffff_ffff, 6),
        (0x7ff0_0000_0000_0000, 7),
        (0x7ff0_0000_0000_0001, 8),
        (0x7ff7_ffff_ffff_ffff, 8),
        (0xfff8_0000_0000_0001, 9),
    ];
    for (bits, class) in d_cases {
        check_all_modes(D, FpOp::Class, bits, 0, 0, ok(1 << class, 0));
    }
    // An improperly boxed single is the canonical quiet NaN, whatever its low bits.
    assert_eq!(s_op(FpOp::Class, Rne, S_UNBOXED_ONE, 0, 0), ok(1 << 9, 0));
    assert_eq!(
        s_op(FpOp::Class, Rne, 0x7fff_ffff_7f80_0001, 0, 0),
        ok(1 << 9, 0)
    );
}

#[test]
fn sign_injection_is_pure_bit_manipulation() {
    for v in both_formats() {
        let f = v.fmt;
        check_all_modes(f, FpOp::SgnJ, v.one, v.neg_one, 0, ok(v.neg_one, 0));
        check_all_modes(f, FpOp::SgnJ, v.neg_one, v.two, 0, ok(v.one, 0));
        check_all_modes(f, FpOp::SgnJN, v.one, v.neg_one, 0, ok(v.one, 0));
        check_all_modes(f, FpOp::SgnJN, v.one, v.two, 0, ok(v.neg_one, 0));
        check_all_modes(f, FpOp::SgnJX, v.neg_one, v.neg_one, 0, ok(v.one, 0));
        check_all_modes(f, FpOp::SgnJX, v.neg_one, v.two, 0, ok(v.neg_one, 0));
        check_all_modes(f, FpOp::SgnJX, v.one, v.nz, 0, ok(v.neg_one, 0));
        // NaN payloads pass through, signaling NaNs raise nothing.
        let sign = match f {
            S => 0x8000_0000,
            D => 1 << 63,
            FpFmt::H => 0x8000,
        };
        check_all_modes(f, FpOp::SgnJN, v.snan, v.snan, 0, ok(v.snan | sign, 0));
        check_all_modes(f, FpOp::SgnJ, v.qnan, v.neg_one, 0, ok(v.qnan | sign, 0));
        check_all_modes(
            f,
            FpOp::SgnJX,
            v.qnan | sign,
            v.snan,
            0,
            ok(v.qnan | sign, 0),
        );
    }
    // Improperly boxed inputs read as the canonical NaN (positive).
    assert_eq!(
        s_op(FpOp::SgnJ, Rne, S_UNBOXED_ONE, s(-1.0), 0),
        ok(sb(0xffc0_0000), 0)
    );
    assert_eq!(
        s_op(FpOp::SgnJ, Rne, s(-1.0), S_UNBOXED_ONE, 0),
        ok(s(1.0), 0)
    );
    assert_eq!(
        s_op(FpOp::SgnJN, Rne, s(1.0), S_UNBOXED_ONE, 0),
        ok(s(-1.0), 0)
    );
}

#[test]
fn moves_copy_raw_bits() {
    // fmv.x.w: the raw low 32 bits, sign-extended, even without a proper NaN box and
    // without canonicalizing NaNs.
    check_all_modes(
        S,
        FpOp::MoveToInt,
        s(-1.0),
        0,
        0,
        ok(0xffff_ffff_bf80_0000, 0),
    );
    check_all_modes(S, FpOp::MoveToInt, s(1.0), 0, 0, ok(0x3f80_0000, 0));
    check_all_modes(
        S,
        FpOp::MoveToInt,
        0x1234_5678_3f80_0000,
        0,
        0,
        ok(0x3f80_0000, 0),
    );
    check_all_modes(S, FpOp::MoveToInt, 0x7f80_0001, 0, 0, ok(0x7f80_0001, 0));
    check_all_modes(
        S,
        FpOp::MoveToInt,
        0x8000_0000,
        0,
        0,
        ok(0xffff_ffff_8000_0000, 0),
    );
    // fmv.w.x: the low 32 bits, NaN-boxed.
    let x = 0x1234_5678_9abc_def0;
    check_all_modes(S, FpOp::MoveFromInt, x, 0, 0, ok(0xffff_ffff_9abc_def0, 0));
    check_all_modes(S, FpOp::MoveFromInt, 0x7f80_0001, 0, 0, ok(S_SNAN, 0));
    // fmv.x.d / fmv.d.x: all 64 bits unchanged.
    check_all_modes(D, FpOp::MoveToInt, D_SNAN, 0, 0, ok(D_SNAN, 0));
    check_all_modes(D, FpOp::MoveToInt, x, 0, 0, ok(x, 0));
    check_all_modes(D, FpOp::MoveFromInt, x, 0, 0, ok(x, 0));
}

#[test]
fn single_results_for_fp_registers_are_boxed() {
    let fp_results = [
        FpOp::Add,
        FpOp::Sub,
        FpOp::Mul,
        FpOp::Div,
        FpOp::Sqrt,
        FpOp::Min,
        FpOp::Max,
        FpOp::MulAdd,
        FpOp::MulSub,
        FpOp::NegMulSub,
        FpOp::NegMulAdd,
        FpOp::SgnJ,
        FpOp::SgnJN,
        FpOp::SgnJX,
        FpOp::FromOther,
        FpOp::MoveFromInt,
    ];
    for op in fp_results {
        for a in [s(1.5), s(-0.0), S_UNBOXED_ONE, S_SNAN, 7] {
            let r = s_op(op, Rne, a, s(0.25), s(3.0));
            assert_eq!(
                r.value >> 32,
                0xffff_ffff,
                "{op:?} a={a:#x} -> {:#x}",
                r.value
            );
        }
    }
    for kind in [IntKind::W, IntKind::WU, IntKind::L, IntKind::LU] {
        let r = s_op(FpOp::FromInt(kind), Rne, 5, 0, 0);
        assert_eq!(r, ok(s(5.0), 0), "{kind:?}");
    }
}
