//! The host FPU shortcut (`host`, through [`crate::execute_after`]) against SoftFloat:
//! the same result bits, and flags that differ at most by ones the guest already raised.

use super::random::{gen_f32, gen_f64, XorShift};
use super::*;
use crate::execute_after;
use crate::format::{Double, Single};
use crate::host::round_to_nearest;

const OPS: [FpOp; 9] = [
    FpOp::Add,
    FpOp::Sub,
    FpOp::Mul,
    FpOp::Div,
    FpOp::Sqrt,
    FpOp::MulAdd,
    FpOp::MulSub,
    FpOp::NegMulSub,
    FpOp::NegMulAdd,
];
const CASES: usize = 400_000;

/// Double-precision operands whose product or quotient lands near the smallest normal
/// number (where tininess after rounding decides underflow) or near overflow.
fn gen_edge_f64(rng: &mut XorShift, other: u64) -> u64 {
    let other_exp = (other >> 52) & 0x7ff;
    let target = if rng.below(2) == 0 { 1 } else { 2046 };
    // For a product the exponents add: pick ours so the sum lands within 2 of `target`.
    let exp = (target + 1023 + rng.below(5))
        .saturating_sub(other_exp + 2)
        .clamp(1, 2046);
    (rng.next() & (1 << 63 | 0xf_ffff_ffff_ffff)) | exp << 52
}

fn gen_edge_f32(rng: &mut XorShift, other: u32) -> u32 {
    let other_exp = (other >> 23) & 0xff;
    let target = if rng.below(2) == 0 { 1 } else { 254 };
    let exp = (target + 127 + rng.below(5) as u32)
        .saturating_sub(other_exp + 2)
        .clamp(1, 254);
    (rng.next() as u32 & (1 << 31 | 0x7f_ffff)) | exp << 23
}

/// Checks one operation both ways; returns whether the host computed it.
fn check(op: FpOp, fmt: FpFmt, a: u64, b: u64, c: u64) -> bool {
    let soft = execute(op, fmt, Rounding::Rne, a, b, c);
    let unboxed = |v: u64| match fmt {
        FpFmt::S => u64::from(crate::unbox_s(v)),
        FpFmt::D => v,
        FpFmt::H => u64::from(crate::unbox_h(v)),
    };
    let (x, y, z) = (unboxed(a), unboxed(b), unboxed(c));
    let host = match fmt {
        FpFmt::S => round_to_nearest::<Single>(op, x, y, z).map(nan_box_bits),
        FpFmt::D => round_to_nearest::<Double>(op, x, y, z),
        FpFmt::H => None,
    };
    if let Some(value) = host {
        assert_eq!(
            (value, soft.flags & !NX),
            (soft.value, 0),
            "{op:?}.{fmt:?} on {a:#x}, {b:#x}, {c:#x}: host result, SoftFloat flags beyond NX"
        );
    }
    for raised in [0, NX, NV | DZ | OF | UF | NX] {
        for rm in MODES {
            let after = execute_after(op, fmt, rm, a, b, c, raised);
            let soft = execute(op, fmt, rm, a, b, c);
            assert_eq!(
                after.value, soft.value,
                "{op:?}.{fmt:?} {rm:?} after {raised:#x}"
            );
            assert_eq!(
                after.flags | raised,
                soft.flags | raised,
                "{op:?}.{fmt:?} {rm:?} after {raised:#x} on {a:#x}, {b:#x}, {c:#x}"
            );
        }
    }
    host.is_some()
}

fn nan_box_bits(bits: u64) -> u64 {
    nan_box(bits as u32)
}

#[test]
fn the_host_gives_softfloats_results_in_double_precision() {
    let mut rng = XorShift(0x0123_4567_89ab_cdef);
    let mut by_host = 0;
    for i in 0..CASES {
        let op = OPS[i % OPS.len()];
        let a = gen_f64(&mut rng);
        let b = if rng.below(3) == 0 {
            gen_edge_f64(&mut rng, a)
        } else {
            gen_f64(&mut rng)
        };
        let c = if rng.below(4) == 0 {
            (a.wrapping_mul(b)) ^ 1 << 63
        } else {
            gen_f64(&mut rng)
        };
        by_host += usize::from(check(op, FpFmt::D, a, b, c));
    }
    // The shortcut must actually be exercised, not just declined.
    assert!(by_host > CASES / 5, "host computed {by_host} of {CASES}");
}

#[test]
fn the_host_gives_softfloats_results_in_single_precision() {
    let mut rng = XorShift(0xfeed_face_cafe_beef);
    let mut by_host = 0;
    for i in 0..CASES {
        let op = OPS[i % OPS.len()];
        let a = gen_f32(&mut rng);
        let b = if rng.below(3) == 0 {
            gen_edge_f32(&mut rng, a)
        } else {
            gen_f32(&mut rng)
        };
        let c = gen_f32(&mut rng);
        // Now and then an operand without its NaN box (which reads as the canonical NaN).
        let boxed = |v: u32, rng: &mut XorShift| {
            if rng.below(50) == 0 {
                u64::from(v)
            } else {
                nan_box(v)
            }
        };
        let (a, b, c) = (boxed(a, &mut rng), boxed(b, &mut rng), boxed(c, &mut rng));
        by_host += usize::from(check(op, FpFmt::S, a, b, c));
    }
    assert!(by_host > CASES / 5, "host computed {by_host} of {CASES}");
}

#[test]
fn results_near_the_smallest_normal_are_left_to_softfloat() {
    // (1 + j 2^-52)(1 - 2j 2^-53) = 1 - 2j² 2^-105, here 1 - 0.78 2^-53: times the
    // smallest normal it rounds up to that normal on the subnormal grid, but with an
    // unbounded exponent it rounds to the number below it, so it is tiny after rounding and
    // RISC-V raises underflow; the host sees only a normal result.
    let j: u64 = 41_943_040;
    let min = f64::MIN_POSITIVE;
    let a = f64::from_bits(1.0f64.to_bits() - 2 * j);
    let b = f64::from_bits(min.to_bits() + j);
    let soft = execute(FpOp::Mul, FpFmt::D, Rounding::Rne, d(a), d(b), 0);
    assert_eq!((soft.value, soft.flags), (d(min), UF | NX));
    assert_eq!(round_to_nearest::<Double>(FpOp::Mul, d(a), d(b), 0), None);
    let after = execute_after(FpOp::Mul, FpFmt::D, Rounding::Rne, d(a), d(b), 0, NX);
    assert_eq!(after, soft);

    // The same in single precision: (1 + j 2^-23)(1 - 2j 2^-24) = 1 - 2j² 2^-47.
    let j: u32 = 1600;
    let min = f32::MIN_POSITIVE;
    let (a, b) = (
        f32::from_bits(1.0f32.to_bits() - 2 * j),
        f32::from_bits(min.to_bits() + j),
    );
    let soft = execute(FpOp::Mul, FpFmt::S, Rounding::Rne, s(a), s(b), 0);
    assert_eq!((soft.value, soft.flags), (s(min), UF | NX));
    let after = execute_after(FpOp::Mul, FpFmt::S, Rounding::Rne, s(a), s(b), 0, NX);
    assert_eq!(after, soft);
}

#[test]
fn the_host_computes_only_once_inexact_is_raised_and_rounding_is_to_nearest() {
    let (a, b) = (d(0.1), d(0.2));
    let plain = execute(FpOp::Add, FpFmt::D, Rounding::Rne, a, b, 0);
    assert_eq!(plain.flags, NX, "0.1 + 0.2 is inexact");
    assert_eq!(
        execute_after(FpOp::Add, FpFmt::D, Rounding::Rne, a, b, 0, 0),
        plain
    );
    assert_eq!(
        execute_after(FpOp::Add, FpFmt::D, Rounding::Rne, a, b, 0, NX).value,
        plain.value
    );
    let down = execute(FpOp::Add, FpFmt::D, Rounding::Rdn, a, b, 0);
    assert_ne!(down.value, plain.value, "rounding down differs here");
    assert_eq!(
        execute_after(FpOp::Add, FpFmt::D, Rounding::Rdn, a, b, 0, NX),
        down
    );
}
