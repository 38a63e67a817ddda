//! Tests of [`crate::execute`]. Expected values come from the RISC-V spec and IEEE 754,
//! worked out by hand in the comments, or from host arithmetic computed independently of
//! SoftFloat (the randomized tests).
//!
//! - `arith`: add/sub/mul/div/sqrt/fused ops: zeros, NaNs, infinities, flags, rounding.
//! - `compare`: min/max, comparisons, class, sign injection, moves and NaN boxing.
//! - `convert`: float/integer and S/D conversions, saturation, every rounding mode.
//! - `host`: the host FPU shortcut of `execute_after` gives SoftFloat's results.
//! - `random`: randomized checks against host arithmetic and an exact rounding reference.
//! - `threads`: the SoftFloat state is per thread.

mod arith;
mod compare;
mod convert;
mod host;
mod random;
mod threads;
mod zfh_zfa;

use crate::fflags::{DZ, NV, NX, OF, UF};
use crate::{execute, nan_box, FpFmt, FpOp, FpResult, Rounding};

/// All static rounding modes.
const MODES: [Rounding; 5] = [
    Rounding::Rne,
    Rounding::Rtz,
    Rounding::Rdn,
    Rounding::Rup,
    Rounding::Rmm,
];

/// Register value of a single-precision number (NaN-boxed).
fn s(x: f32) -> u64 {
    nan_box(x.to_bits())
}

/// Register value of raw single-precision bits (NaN-boxed).
fn sb(bits: u32) -> u64 {
    nan_box(bits)
}

/// Register value of raw half-precision bits (NaN-boxed).
fn h(bits: u16) -> u64 {
    crate::nan_box_h(bits)
}

/// Register value of a double-precision number.
fn d(x: f64) -> u64 {
    x.to_bits()
}

/// Canonical NaNs as register values.
const S_NAN: u64 = 0xffff_ffff_7fc0_0000;
const D_NAN: u64 = 0x7ff8_0000_0000_0000;
/// A signaling NaN and a quiet NaN with a payload, per format, as register values.
const S_SNAN: u64 = 0xffff_ffff_7f80_0001;
const S_QNAN_PAYLOAD: u64 = 0xffff_ffff_7fc1_2345;
const D_SNAN: u64 = 0x7ff0_0000_0000_0001;
const D_QNAN_PAYLOAD: u64 = 0x7ff8_0000_0001_2345;
/// 1.0f32 without a proper NaN box: reads as the canonical NaN.
const S_UNBOXED_ONE: u64 = 0x0000_0000_3f80_0000;

fn ok(value: u64, flags: u32) -> FpResult {
    FpResult { value, flags }
}

fn s_op(op: FpOp, rm: Rounding, a: u64, b: u64, c: u64) -> FpResult {
    execute(op, FpFmt::S, rm, a, b, c)
}

fn d_op(op: FpOp, rm: Rounding, a: u64, b: u64, c: u64) -> FpResult {
    execute(op, FpFmt::D, rm, a, b, c)
}

/// Asserts `op` gives, in each rounding mode of `expect`, that entry's value and flags.
#[track_caller]
fn check_modes(fmt: FpFmt, op: FpOp, a: u64, b: u64, c: u64, expect: [(Rounding, u64, u32); 5]) {
    for (rm, value, flags) in expect {
        assert_eq!(
            execute(op, fmt, rm, a, b, c),
            ok(value, flags),
            "{op:?} {fmt:?} {rm:?} a={a:#x} b={b:#x} c={c:#x}"
        );
    }
}

/// The same flags and value in every rounding mode.
#[track_caller]
fn check_all_modes(fmt: FpFmt, op: FpOp, a: u64, b: u64, c: u64, want: FpResult) {
    for rm in MODES {
        assert_eq!(
            execute(op, fmt, rm, a, b, c),
            want,
            "{op:?} {fmt:?} {rm:?} a={a:#x} b={b:#x} c={c:#x}"
        );
    }
}

/// Every flag constant is distinct and in the fflags layout.
#[test]
fn flag_layout_matches_fflags_csr() {
    assert_eq!([NV, DZ, OF, UF, NX], [16, 8, 4, 2, 1]);
}
