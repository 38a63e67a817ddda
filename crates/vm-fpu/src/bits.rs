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
