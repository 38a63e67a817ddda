//! Randomized checks against references computed without SoftFloat:
//! - round-to-nearest-even arithmetic against the host's IEEE f32/f64 (`mul_add` fused);
//! - all five rounding modes with full flags for single precision, against the exact
//!   result computed in f64 and rounded by hand;
//! - all five rounding modes for double precision in the normal range, from the host's
//!   correctly rounded result and the sign of its exactly computed error;
//! - conversions against host casts and `round`/`floor`/`ceil`/`trunc`.

use super::*;
use crate::IntKind;

/// Marsaglia's xorshift64: deterministic, no extra crates.
pub(super) struct XorShift(pub(super) u64);

impl XorShift {
    pub(super) fn next(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        self.0 = x;
        x
    }

    pub(super) fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
}

/// Single-precision bits biased towards interesting values: any bit pattern, moderate
/// magnitudes, short significands (which make exact results and ties), and specials.
pub(super) fn gen_f32(rng: &mut XorShift) -> u32 {
    let r = rng.next();
    let sign = ((r >> 63) as u32) << 31;
    match rng.below(8) {
        0..=2 => r as u32,
        3 | 4 => sign | (127 - 20 + rng.below(40) as u32) << 23 | (r as u32 & 0x7f_ffff),
        5 => sign | (127 - 30 + rng.below(60) as u32) << 23 | (r as u32 & 0x7f_0000),
        6 => sign | (rng.below(16) as u32) << 23 | (r as u32 & 0x7f_ffff),
        _ => {
            const SPECIAL: [u32; 10] = [
                0,
                1,
                0x007f_ffff,
                0x0080_0000,
                0x3f80_0000,
                0x3f80_0001,
                0x7f7f_ffff,
                0x7f80_0000,
                0x7fc0_0000,
                0x7f80_0001,
            ];
            sign | SPECIAL[rng.below(10) as usize]
        }
    }
}

/// Double-precision bits with the same biases as [`gen_f32`].
pub(super) fn gen_f64(rng: &mut XorShift) -> u64 {
    let r = rng.next();
    let sign = r & 1 << 63;
    let frac = rng.next() & 0xf_ffff_ffff_ffff;
    match rng.below(8) {
        0..=2 => r,
        3 | 4 => sign | (1023 - 40 + rng.below(80)) << 52 | frac,
        5 => sign | (1023 - 60 + rng.below(120)) << 52 | (frac & 0xf_f000_0000_0000),
        6 => sign | rng.below(32) << 52 | frac,
        _ => {
            const SPECIAL: [u64; 10] = [
                0,
                1,
                0x000f_ffff_ffff_ffff,
                0x0010_0000_0000_0000,
                0x3ff0_0000_0000_0000,
                0x3ff0_0000_0000_0001,
                0x7fef_ffff_ffff_ffff,
                0x7ff0_0000_0000_0000,
                0x7ff8_0000_0000_0000,
                0x7ff0_0000_0000_0001,
            ];
            sign | SPECIAL[rng.below(10) as usize]
        }
    }
}

/// An op with its meaning on host singles and doubles.
type HostOp = (FpOp, fn(f32, f32, f32) -> f32, fn(f64, f64, f64) -> f64);

/// The ops checked against the host in round-to-nearest-even.
const HOST_OPS: [HostOp; 7] = [
    (FpOp::Add, |a, b, _| a + b, |a, b, _| a + b),
    (FpOp::Sub, |a, b, _| a - b, |a, b, _| a - b),
    (FpOp::Mul, |a, b, _| a * b, |a, b, _| a * b),
    (FpOp::Div, |a, b, _| a / b, |a, b, _| a / b),
    (FpOp::Sqrt, |a, _, _| a.sqrt(), |a, _, _| a.sqrt()),
    (
        FpOp::MulAdd,
        |a, b, c| a.mul_add(b, c),
        |a, b, c| a.mul_add(b, c),
    ),
    (
        FpOp::NegMulAdd,
        |a, b, c| (-a).mul_add(b, -c),
        |a, b, c| (-a).mul_add(b, -c),
    ),
];

const HOST_CASES: usize = 150_000;

#[test]
fn rne_matches_host_single() {
    let mut rng = XorShift(0x9e37_79b9_7f4a_7c15);
    let mut compared = 0;
    for _ in 0..HOST_CASES {
        let (a, b, mut c) = (gen_f32(&mut rng), gen_f32(&mut rng), gen_f32(&mut rng));
        if rng.below(4) == 0 {
            // Near-cancellation for the fused ops: c = -(a*b) rounded.
            c = (-(f32::from_bits(a) * f32::from_bits(b))).to_bits();
        }
        for (op, host, _) in HOST_OPS {
            let (fa, fb, fc) = (f32::from_bits(a), f32::from_bits(b), f32::from_bits(c));
            let want = host(fa, fb, fc);
            let got = s_op(op, Rounding::Rne, sb(a), sb(b), sb(c));
            let ctx = format!("{op:?} {a:#x} {b:#x} {c:#x} -> {:#x}", got.value);
            if want.is_nan() {
                assert_eq!(got.value, S_NAN, "{ctx}");
                if !(fa.is_nan() || fb.is_nan() || fc.is_nan()) {
                    assert_eq!(got.flags & NV, NV, "{ctx}: NaN from non-NaNs is invalid");
                }
            } else {
                assert_eq!(got.value, sb(want.to_bits()), "{ctx}: host {want:e}");
                compared += 1;
            }
        }
    }
    assert!(
        compared > HOST_CASES * 5,
        "too few non-NaN results: {compared}"
    );
}

#[test]
fn rne_matches_host_double() {
    let mut rng = XorShift(0x2545_f491_4f6c_dd1d);
    let mut compared = 0;
    for _ in 0..HOST_CASES {
        let (a, b, mut c) = (gen_f64(&mut rng), gen_f64(&mut rng), gen_f64(&mut rng));
        if rng.below(4) == 0 {
            c = (-(f64::from_bits(a) * f64::from_bits(b))).to_bits();
        }
        for (op, _, host) in HOST_OPS {
            let (fa, fb, fc) = (f64::from_bits(a), f64::from_bits(b), f64::from_bits(c));
            let want = host(fa, fb, fc);
            let got = d_op(op, Rounding::Rne, a, b, c);
            let ctx = format!("{op:?} {a:#x} {b:#x} {c:#x} -> {:#x}", got.value);
            if want.is_nan() {
                assert_eq!(got.value, D_NAN, "{ctx}");
                if !(fa.is_nan() || fb.is_nan() || fc.is_nan()) {
                    assert_eq!(got.flags & NV, NV, "{ctx}: NaN from non-NaNs is invalid");
                }
            } else {
                assert_eq!(got.value, want.to_bits(), "{ctx}: host {want:e}");
                compared += 1;
            }
        }
    }
    assert!(
        compared > HOST_CASES * 5,
        "too few non-NaN results: {compared}"
    );
}

/// The next single towards +infinity (`x` is not NaN or +infinity).
fn next_up_f32(x: f32) -> f32 {
    let bits = x.to_bits();
    if x == 0.0 {
        f32::from_bits(1)
    } else if bits >> 31 == 0 {
        f32::from_bits(bits + 1)
    } else {
        f32::from_bits(bits - 1)
    }
}

fn next_down_f32(x: f32) -> f32 {
    -next_up_f32(-x)
}

/// Rounds the finite, exact value `x` to single precision in mode `rm` (no flags).
fn round_to_f32(x: f64, rm: Rounding) -> f32 {
    let nearest = x as f32; // the host rounds to nearest, ties to even
    if f64::from(nearest) == x {
        return nearest;
    }
    let (lo, hi) = if f64::from(nearest) < x {
        (nearest, next_up_f32(nearest))
    } else {
        (next_down_f32(nearest), nearest)
    };
    match rm {
        Rounding::Rne => nearest,
        Rounding::Rtz if x > 0.0 => lo,
        Rounding::Rtz => hi,
        Rounding::Rdn => lo,
        Rounding::Rup => hi,
        Rounding::Rmm => {
            // Overflowing candidates count as 2^128 (the exponent is unbounded for this).
            let value = |f: f32| {
                if f.is_infinite() {
                    2f64.powi(128).copysign(f64::from(f))
                } else {
                    f64::from(f)
                }
            };
            let tie = x - value(lo) == value(hi) - x;
            match (tie, x > 0.0) {
                (true, true) => hi,
                (true, false) => lo,
                (false, _) => nearest,
            }
        }
        Rounding::Dyn => unreachable!(),
    }
}

/// The IEEE result and flags of rounding the finite, non-zero, exact `x` to single.
fn reference_f32(x: f64, rm: Rounding) -> (f32, u32) {
    let result = round_to_f32(x, rm);
    if f64::from(result) == x {
        return (result, 0);
    }
    let mut flags = NX;
    if result.is_infinite() || x.abs() >= 2f64.powi(128) {
        flags |= OF;
    }
    // Tiny after rounding: rounded to 24 bits with an unbounded exponent (scaling by 2^200
    // keeps every tiny product or sum of singles in the normal range), below 2^-126.
    if x.abs() < 2f64.powi(-126) {
        let scaled = round_to_f32(x * 2f64.powi(200), rm);
        if f64::from(scaled).abs() < 2f64.powi(200 - 126) {
            flags |= UF;
        }
    }
    (result, flags)
}

/// `a + b` of two f64 if it is exact (TwoSum error zero), else `None`.
fn exact_sum(a: f64, b: f64) -> Option<f64> {
    let s = a + b;
    let bb = s - a;
    let err = (a - (s - bb)) + (b - bb);
    (err == 0.0 && s.is_finite()).then_some(s)
}

#[test]
fn every_mode_matches_exact_reference_single() {
    let mut rng = XorShift(0x0123_4567_89ab_cdef);
    let (mut checked, mut inexact, mut ties, mut tiny) = (0, 0, 0, 0);
    for _ in 0..60_000 {
        let (a, b) = (gen_f32(&mut rng), gen_f32(&mut rng));
        let (fa, fb) = (f32::from_bits(a), f32::from_bits(b));
        if !fa.is_finite() || !fb.is_finite() {
            continue;
        }
        let product = f64::from(fa) * f64::from(fb); // 48 bits: always exact in f64
                                                     // c close to -(a*b) in a quarter of the cases, to exercise cancellation.
        let c = if rng.below(4) == 0 {
            next_up_f32(-(product as f32)).to_bits()
        } else {
            gen_f32(&mut rng)
        };
        let fc = f32::from_bits(c);
        if !fc.is_finite() {
            continue;
        }
        let exact = [
            (FpOp::Mul, Some(product)),
            (FpOp::Add, exact_sum(f64::from(fa), f64::from(fb))),
            (FpOp::Sub, exact_sum(f64::from(fa), -f64::from(fb))),
            (FpOp::MulAdd, exact_sum(product, f64::from(fc))),
            (FpOp::NegMulSub, exact_sum(-product, f64::from(fc))),
        ];
        for (op, x) in exact {
            let Some(x) = x.filter(|&x| x != 0.0) else {
                continue; // inexact in f64, or an exact zero (its sign is tested by hand)
            };
            for rm in MODES {
                let (want, flags) = reference_f32(x, rm);
                let got = s_op(op, rm, sb(a), sb(b), sb(c));
                assert_eq!(
                    got,
                    ok(sb(want.to_bits()), flags),
                    "{op:?} {rm:?} {a:#x} {b:#x} {c:#x}: exact {x:e}"
                );
            }
            checked += 1;
            inexact += usize::from(f64::from(x as f32) != x);
            ties += usize::from(round_to_f32(x, Rounding::Rne) != round_to_f32(x, Rounding::Rmm));
            tiny += usize::from(x.abs() < 2f64.powi(-126));
        }
    }
    // The reference must actually have exercised rounding, ties and the subnormal range.
    assert!(
        checked > 100_000 && inexact > 20_000,
        "{checked} checked, {inexact} inexact"
    );
    assert!(ties > 100 && tiny > 1_000, "{ties} ties, {tiny} tiny");
}

fn next_up_f64(x: f64) -> f64 {
    let bits = x.to_bits();
    if x == 0.0 {
        f64::from_bits(1)
    } else if bits >> 63 == 0 {
        f64::from_bits(bits + 1)
    } else {
        f64::from_bits(bits - 1)
    }
}

fn next_down_f64(x: f64) -> f64 {
    -next_up_f64(-x)
}

/// The result in mode `rm` given the host's nearest-even result `r` (normal, not the
/// largest finite) and the exact error `exact - r` scaled by a positive factor.
fn directed_f64(r: f64, err: f64, rm: Rounding) -> f64 {
    if err == 0.0 {
        return r;
    }
    let (lo, hi) = if err > 0.0 {
        (r, next_up_f64(r))
    } else {
        (next_down_f64(r), r)
    };
    match rm {
        Rounding::Rne | Rounding::Rmm => r,
        Rounding::Rtz if r > 0.0 => lo,
        Rounding::Rtz => hi,
        Rounding::Rdn => lo,
        Rounding::Rup => hi,
        Rounding::Dyn => unreachable!(),
    }
}

#[test]
fn every_mode_matches_error_sign_reference_double() {
    let mut rng = XorShift(0xfeed_face_cafe_beef);
    let in_range = |x: f64| x.is_normal() && x.abs() > 2f64.powi(-900) && x.abs() < f64::MAX;
    let mut checked = 0;
    for _ in 0..60_000 {
        let (a, b) = (gen_f64(&mut rng), gen_f64(&mut rng));
        let (fa, fb) = (f64::from_bits(a), f64::from_bits(b));
        if !in_range(fa) || !in_range(fb) {
            continue;
        }
        // Host result rounded to nearest, and the exact error's sign (exact - result),
        // both computed exactly: TwoSum for sums, fused residuals for the rest.
        let sum = fa + fb;
        let sum_err = {
            let bb = sum - fa;
            (fa - (sum - bb)) + (fb - bb)
        };
        let product = fa * fb;
        let quotient = fa / fb;
        let root = fa.abs().sqrt();
        // Quotients and square roots are never exactly halfway (a known property of binary
        // formats), and their residual is not the error's magnitude: no tie test for them.
        let cases = [
            (FpOp::Add, b, sum, sum_err, true),
            (FpOp::Mul, b, product, fa.mul_add(fb, -product), true),
            (
                FpOp::Div,
                b,
                quotient,
                (-quotient).mul_add(fb, fa) * fb.signum(),
                false,
            ),
            (FpOp::Sqrt, 0, root, (-root).mul_add(root, fa.abs()), false),
        ];
        for (op, b, r, err, can_tie) in cases {
            if !in_range(r) {
                continue;
            }
            let a = if op == FpOp::Sqrt { d(fa.abs()) } else { a };
            // Ties make RMM differ from RNE.
            let tie = can_tie && err != 0.0 && {
                let other = if err > 0.0 {
                    next_up_f64(r)
                } else {
                    next_down_f64(r)
                };
                (other - r).abs() == 2.0 * err.abs()
            };
            for rm in MODES {
                let want = if tie && rm == Rounding::Rmm {
                    directed_tie_away(r, err)
                } else {
                    directed_f64(r, err, rm)
                };
                let flags = if err == 0.0 { 0 } else { NX };
                let got = d_op(op, rm, a, b, 0);
                assert_eq!(got, ok(d(want), flags), "{op:?} {rm:?} {a:#x} {b:#x}");
            }
            checked += 1;
        }
    }
    assert!(checked > 100_000, "{checked} checked");
}

/// At a tie, ties-to-max-magnitude picks the neighbour of larger magnitude.
fn directed_tie_away(r: f64, err: f64) -> f64 {
    let other = if err > 0.0 {
        next_up_f64(r)
    } else {
        next_down_f64(r)
    };
    if other.abs() > r.abs() {
        other
    } else {
        r
    }
}

/// Host rounding of `x` to an integral value in mode `rm`.
fn round_integral(x: f64, rm: Rounding) -> f64 {
    match rm {
        Rounding::Rne => x.round_ties_even(),
        Rounding::Rtz => x.trunc(),
        Rounding::Rdn => x.floor(),
        Rounding::Rup => x.ceil(),
        Rounding::Rmm => x.round(), // ties away from zero
        Rounding::Dyn => unreachable!(),
    }
}

/// The RISC-V `fcvt` to `kind` of `x` in mode `rm`, from the spec's table and host
/// rounding: NaN saturates high, out-of-range values saturate, 32-bit results sign-extend.
fn reference_to_int(x: f64, kind: IntKind, rm: Rounding) -> (u64, u32) {
    let (lowest, above_highest, sat_low, sat_high) = match kind {
        IntKind::W => (
            -(2f64.powi(31)),
            2f64.powi(31),
            i32::MIN as u64,
            i32::MAX as u64,
        ),
        IntKind::WU => (0.0, 2f64.powi(32), 0, u64::MAX),
        IntKind::L => (
            -(2f64.powi(63)),
            2f64.powi(63),
            i64::MIN as u64,
            i64::MAX as u64,
        ),
        IntKind::LU => (0.0, 2f64.powi(64), 0, u64::MAX),
    };
    if x.is_nan() {
        return (sat_high, NV);
    }
    let r = round_integral(x, rm);
    if r < lowest {
        return (sat_low, NV); // (-0.0 is not below 0.0: it converts to 0)
    }
    if r >= above_highest {
        return (sat_high, NV);
    }
    let value = match kind {
        IntKind::W => r as i32 as i64 as u64,
        IntKind::WU => r as u32 as i32 as i64 as u64,
        IntKind::L => r as i64 as u64,
        IntKind::LU => r as u64,
    };
    (value, if r == x { 0 } else { NX })
}

const KINDS: [IntKind; 4] = [IntKind::W, IntKind::WU, IntKind::L, IntKind::LU];

/// Doubles around the integer ranges: magnitudes up to 2^66, often with fractions.
fn gen_int_like_f64(rng: &mut XorShift) -> f64 {
    match rng.below(4) {
        0 => f64::from_bits(gen_f64(rng)),
        1 => (rng.next() as i64 as f64) / f64::from(1 << rng.below(4)),
        2 => (rng.below(64) as f64 - 32.0) / 4.0,
        _ => {
            let sign = rng.next() & 1 << 63;
            f64::from_bits(sign | (1023 + rng.below(67)) << 52 | rng.next() >> 12)
        }
    }
}

#[test]
fn to_int_matches_host_rounding_in_every_mode() {
    let mut rng = XorShift(0x5851_f42d_4c95_7f2d);
    for _ in 0..40_000 {
        let x = gen_int_like_f64(&mut rng);
        let x32 = f32::from_bits(gen_f32(&mut rng));
        let x32 = if rng.below(2) == 0 { x as f32 } else { x32 };
        for rm in MODES {
            for kind in KINDS {
                let (value, flags) = reference_to_int(x, kind, rm);
                let got = d_op(FpOp::ToInt(kind), rm, d(x), 0, 0);
                assert_eq!(
                    got,
                    ok(value, flags),
                    "D {kind:?} {rm:?} {x:e} ({:#x})",
                    d(x)
                );
                let (value, flags) = reference_to_int(f64::from(x32), kind, rm);
                let got = s_op(FpOp::ToInt(kind), rm, s(x32), 0, 0);
                assert_eq!(got, ok(value, flags), "S {kind:?} {rm:?} {x32:e}");
            }
        }
    }
}

#[test]
fn from_int_matches_host_conversions() {
    let mut rng = XorShift(0x1405_7b7e_f767_814f);
    let mut directed = 0;
    for _ in 0..40_000 {
        let raw = rng.next() >> rng.below(64);
        let raw = if rng.below(2) == 0 {
            raw
        } else {
            raw.wrapping_neg()
        };
        for kind in KINDS {
            // The exact integer the conversion reads from the register.
            let n: i128 = match kind {
                IntKind::W => i128::from(raw as i32),
                IntKind::WU => i128::from(raw as u32),
                IntKind::L => i128::from(raw as i64),
                IntKind::LU => i128::from(raw),
            };
            // Nearest-even: host casts (`as` rounds to nearest, ties to even).
            let (near_s, near_d) = (n as f32, n as f64);
            let nx = |exact: bool| if exact { 0 } else { NX };
            let got = s_op(FpOp::FromInt(kind), Rounding::Rne, raw, 0, 0);
            assert_eq!(
                got,
                ok(s(near_s), nx(near_s as i128 == n)),
                "S {kind:?} {n}"
            );
            let got = d_op(FpOp::FromInt(kind), Rounding::Rne, raw, 0, 0);
            assert_eq!(
                got,
                ok(d(near_d), nx(near_d as i128 == n)),
                "D {kind:?} {n}"
            );
            // Every mode for single precision when the integer is exact in f64.
            if n != 0 && near_d as i128 == n {
                for rm in MODES {
                    let (want, flags) = reference_f32(near_d, rm);
                    let got = s_op(FpOp::FromInt(kind), rm, raw, 0, 0);
                    assert_eq!(got, ok(s(want), flags), "S {kind:?} {rm:?} {n}");
                }
                directed += 1;
            }
        }
    }
    assert!(
        directed > 100_000,
        "{directed} integers checked in every mode"
    );
}

#[test]
fn format_conversions_match_host() {
    let mut rng = XorShift(0xd1b5_4a32_d192_ed03);
    for _ in 0..60_000 {
        // Double to single: the exact double rounded by the single-precision reference.
        let x = f64::from_bits(gen_f64(&mut rng));
        for rm in MODES {
            let got = s_op(FpOp::FromOther, rm, d(x), 0, 0);
            let want = if x.is_nan() {
                let signaling = d(x) & 0x0008_0000_0000_0000 == 0;
                ok(S_NAN, if signaling { NV } else { 0 })
            } else if x == 0.0 || x.is_infinite() {
                ok(s(x as f32), 0)
            } else {
                let (r, flags) = reference_f32(x, rm);
                ok(s(r), flags)
            };
            assert_eq!(got, want, "S<-D {rm:?} {:#x}", d(x));
        }
        // Single to double: exact.
        let y = f32::from_bits(gen_f32(&mut rng));
        let got = d_op(FpOp::FromOther, Rounding::Rne, s(y), 0, 0);
        let want = if y.is_nan() {
            let signaling = y.to_bits() & 0x0040_0000 == 0;
            ok(D_NAN, if signaling { NV } else { 0 })
        } else {
            ok(d(f64::from(y)), 0)
        };
        assert_eq!(got, want, "D<-S {:#x}", y.to_bits());
    }
}
