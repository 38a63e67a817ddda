//! The host FPU as a shortcut for SoftFloat, where it provably gives the same result.
//!
//! SoftFloat computes each operation and its exception flags in software. The host's
//! SSE arithmetic rounds exactly as IEEE 754 says too, but it cannot cheaply say whether
//! the result was inexact, and its NaNs are not RISC-V's. So, as qemu's "hardfloat" does,
//! the host computes only when nothing but the inexact flag could be raised and the guest
//! has already raised it (it is sticky, and programs rarely clear it):
//! - the rounding mode is round-to-nearest-even (the host's, which Rust never changes);
//! - every operand is zero or normal (no NaN, infinity or subnormal);
//! - the result is normal and larger in magnitude than the smallest normal number, so it
//!   neither overflowed (which rounds to infinity under RNE) nor was tiny (RISC-V detects
//!   tininess after rounding, so a result rounded up to the smallest normal may still
//!   underflow: it is left to SoftFloat), and it is not NaN (no invalid operation);
//! - or it is a zero that is exact: a sum or difference (an addition whose result is
//!   tiny is exact, so a zero one is too), or a product, quotient, square root or fused
//!   product whose zero operands make it zero.
//!
//! Under those conditions the host's result bits equal SoftFloat's and SoftFloat's flags
//! are at most inexact, which the guest's `fflags` already hold: the tests compare the
//! two on millions of operands.

use crate::format::{Double, Format, Single};
use vm_ir::FpOp;

/// A format whose arithmetic the host does in hardware.
pub(crate) trait HostFloat: Format {
    type H: Copy
        + PartialEq
        + std::ops::Add<Output = Self::H>
        + std::ops::Sub<Output = Self::H>
        + std::ops::Mul<Output = Self::H>
        + std::ops::Div<Output = Self::H>
        + std::ops::Neg<Output = Self::H>;

    fn host(bits: u64) -> Self::H;
    fn bits(h: Self::H) -> u64;
    fn is_zero(h: Self::H) -> bool;
    /// Normal and not the smallest normal magnitude.
    fn is_safely_normal(h: Self::H) -> bool;
    fn host_sqrt(h: Self::H) -> Self::H;
    fn host_mul_add(a: Self::H, b: Self::H, c: Self::H) -> Self::H;
}

impl HostFloat for Single {
    type H = f32;
    fn host(bits: u64) -> f32 {
        f32::from_bits(bits as u32)
    }
    fn bits(h: f32) -> u64 {
        u64::from(h.to_bits())
    }
    fn is_zero(h: f32) -> bool {
        h == 0.0
    }
    fn is_safely_normal(h: f32) -> bool {
        safely_normal::<Self>(u64::from(h.to_bits()))
    }
    fn host_sqrt(h: f32) -> f32 {
        h.sqrt()
    }
    fn host_mul_add(a: f32, b: f32, c: f32) -> f32 {
        a.mul_add(b, c)
    }
}

impl HostFloat for Double {
    type H = f64;
    fn host(bits: u64) -> f64 {
        f64::from_bits(bits)
    }
    fn bits(h: f64) -> u64 {
        h.to_bits()
    }
    fn is_zero(h: f64) -> bool {
        h == 0.0
    }
    fn is_safely_normal(h: f64) -> bool {
        safely_normal::<Self>(h.to_bits())
    }
    fn host_sqrt(h: f64) -> f64 {
        h.sqrt()
    }
    fn host_mul_add(a: f64, b: f64, c: f64) -> f64 {
        a.mul_add(b, c)
    }
}

/// Whether an encoding of `F` is normal but not of the smallest normal magnitude (on the
/// bits: `is_normal` goes through a slower classification).
fn safely_normal<F: Format>(bits: u64) -> bool {
    let exp = bits & F::EXP;
    let smallest = F::EXP & F::EXP.wrapping_neg();
    exp != 0 && exp != F::EXP && bits & !F::SIGN != smallest
}

/// The encoding of `op` on the encodings `x`, `y`, `z` rounded to nearest-even, if the
/// host computes it under the conditions in the module comment; `None` if SoftFloat must.
#[inline]
pub(crate) fn round_to_nearest<F: HostFloat>(op: FpOp, x: u64, y: u64, z: u64) -> Option<u64> {
    // Zero or normal: the exponent field is neither all zeros (unless the fraction is
    // zero too) nor all ones.
    let plain = |v: u64| {
        let exp = v & F::EXP;
        exp != F::EXP && (exp != 0 || v & !F::SIGN == 0)
    };
    let (a, b, c) = (F::host(x), F::host(y), F::host(z));
    let zero = F::is_zero;
    let (result, exact_zero) = match op {
        FpOp::Add if plain(x) && plain(y) => (a + b, true),
        FpOp::Sub if plain(x) && plain(y) => (a - b, true),
        FpOp::Mul if plain(x) && plain(y) => (a * b, zero(a) || zero(b)),
        FpOp::Div if plain(x) && plain(y) => (a / b, zero(a) && !zero(b)),
        FpOp::Sqrt if plain(x) => (F::host_sqrt(a), zero(a)),
        FpOp::MulAdd | FpOp::MulSub | FpOp::NegMulSub | FpOp::NegMulAdd
            if plain(x) && plain(y) && plain(z) =>
        {
            let (a, c) = match op {
                FpOp::MulAdd => (a, c),
                FpOp::MulSub => (a, -c),
                FpOp::NegMulSub => (-a, c),
                _ => (-a, -c),
            };
            (F::host_mul_add(a, b, c), (zero(a) || zero(b)) && zero(c))
        }
        _ => return None,
    };
    if F::is_safely_normal(result) || (zero(result) && exact_zero) {
        Some(F::bits(result))
    } else {
        None
    }
}
