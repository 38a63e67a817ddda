//! Operations decided on the encodings alone, with no rounding: `fclass`, sign injection
//! and `fmin`/`fmax`. They need no SoftFloat state, so they are plain functions of bits.
//!
//! Inputs are encodings of format `F` (already unboxed), outputs are encodings or masks.

use crate::fflags;
use crate::format::Format;

/// The `fclass` mask: exactly one of bits 0..=9 set.
pub(crate) fn class<F: Format>(bits: u64) -> u64 {
    let negative = bits & F::SIGN != 0;
    let magnitude = bits & !F::SIGN;
    let bit = if magnitude > F::EXP {
        if bits & F::QUIET != 0 {
            9 // quiet NaN
        } else {
            8 // signaling NaN
        }
    } else if magnitude == F::EXP {
        if negative {
            0
        } else {
            7
        }
    } else if magnitude == 0 {
        if negative {
            3
        } else {
            4
        }
    } else if magnitude & F::EXP == 0 {
        if negative {
            2 // subnormal
        } else {
            5
        }
    } else if negative {
        1 // normal
    } else {
        6
    };
    1 << bit
}

/// Which sign a sign-injection op gives `a`.
#[derive(Clone, Copy)]
pub(crate) enum SignFrom {
    /// `fsgnj`: the sign of `b`.
    Copy,
    /// `fsgnjn`: the opposite of the sign of `b`.
    Negate,
    /// `fsgnjx`: the sign of `a` xor the sign of `b`.
    Xor,
}

/// `fsgnj`, `fsgnjn`, `fsgnjx`: the magnitude of `a` with a sign built from `b`. Pure bit
/// manipulation: NaN payloads pass through and no flags are raised.
pub(crate) fn inject_sign<F: Format>(a: u64, b: u64, how: SignFrom) -> u64 {
    match how {
        SignFrom::Copy => (a & !F::SIGN) | (b & F::SIGN),
        SignFrom::Negate => (a & !F::SIGN) | (!b & F::SIGN),
        SignFrom::Xor => a ^ (b & F::SIGN),
    }
}

/// A key whose integer order is the numeric order of non-NaN encodings, with -0 < +0.
fn order_key<F: Format>(bits: u64) -> i64 {
    let magnitude = (bits & !F::SIGN) as i64;
    if bits & F::SIGN != 0 {
        -magnitude - 1
    } else {
        magnitude
    }
}

/// `fmin`/`fmax` as IEEE 754-2019 minimumNumber/maximumNumber, which the current RISC-V
/// spec adopts: -0 is less than +0; a NaN operand yields the other operand; two NaNs yield
/// the canonical NaN; any signaling NaN operand raises invalid. Returns (encoding, flags).
pub(crate) fn min_max<F: Format>(a: u64, b: u64, max: bool) -> (u64, u32) {
    let flags = if F::is_signaling(a) || F::is_signaling(b) {
        fflags::NV
    } else {
        0
    };
    let value = match (F::is_nan(a), F::is_nan(b)) {
        (true, true) => F::CANONICAL_NAN,
        (true, false) => b,
        (false, true) => a,
        (false, false) => {
            let a_first = (order_key::<F>(a) <= order_key::<F>(b)) != max;
            if a_first {
                a
            } else {
                b
            }
        }
    };
    (value, flags)
}

/// Zfa `fminm`/`fmaxm`: IEEE 754-2019 minimum/maximum. As [`min_max`], except that a NaN
/// operand (quiet or signaling) makes the result the canonical NaN.
pub(crate) fn min_max_m<F: Format>(a: u64, b: u64, max: bool) -> (u64, u32) {
    let (value, flags) = min_max::<F>(a, b, max);
    if F::is_nan(a) || F::is_nan(b) {
        (F::CANONICAL_NAN, flags)
    } else {
        (value, flags)
    }
}

/// Zfa `fcvtmod.w.d` on a double-precision encoding: the integer part (rounding toward
/// zero) modulo 2^32, sign-extended from 32 bits. Infinities and NaNs give 0 and raise
/// invalid; a finite value whose integer part does not fit in 32 signed bits raises
/// invalid (not inexact); otherwise a dropped fraction raises inexact.
pub(crate) fn to_i32_modulo(d: u64) -> (u64, u32) {
    let negative = d >> 63 != 0;
    let biased = ((d >> 52) & 0x7ff) as i64;
    let fraction = d & ((1 << 52) - 1);
    if biased == 0x7ff {
        return (0, fflags::NV);
    }
    if biased == 0 && fraction == 0 {
        return (0, 0);
    }
    let e = biased - 1023;
    if e < 0 {
        return (0, fflags::NX);
    }
    let m = fraction | 1 << 52;
    let (magnitude, inexact) = if e <= 52 {
        (m >> (52 - e), m & ((1 << (52 - e)) - 1) != 0)
    } else if e - 52 < 64 {
        (m << (e - 52), false)
    } else {
        (0, false)
    };
    let fits = e < 31 || (negative && e == 31 && m == 1 << 52);
    let value = if negative {
        magnitude.wrapping_neg()
    } else {
        magnitude
    };
    let flags = if !fits {
        fflags::NV
    } else if inexact {
        fflags::NX
    } else {
        0
    };
    (value as u32 as i32 as i64 as u64, flags)
}
