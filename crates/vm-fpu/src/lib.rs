//! Exact RISC-V F, D, Zfh and Zfa semantics on raw register bits.
//!
//! [`execute`] performs one [`FpOp`] the way the RISC-V unprivileged spec defines it (and
//! so as qemu-riscv64 and hardware do): the interpreter calls it directly and the JIT
//! calls it as a helper, so both back ends share one floating-point semantics. Arithmetic
//! is done by Berkeley SoftFloat 3 built with its RISC-V specialization (`softfloat-sys`),
//! the library the Spike reference simulator uses: canonical NaNs, the RISC-V saturation
//! values of float-to-integer conversions, and tininess detected after rounding.
//! [`execute_after`], which back ends call with the guest's `fflags`, is the same with a
//! shortcut: the host FPU computes the common arithmetic where it provably agrees
//! (`host`).
//!
//! Conventions, for every operation:
//! - Operands and results are raw 64-bit register values. Single-precision operands read
//!   from FP registers are unboxed: unless the upper 32 bits are all ones the operand is
//!   the canonical NaN `0x7fc00000` (only `MoveToInt` reads the raw low 32 bits).
//!   Single-precision results written to FP registers are NaN-boxed ([`nan_box`]).
//!   Half precision (Zfh) is the same with 48 boxing ones ([`unbox_h`], [`nan_box_h`]).
//! - A NaN produced by arithmetic or conversion is the canonical NaN (`0x7fc00000` /
//!   `0x7ff8000000000000`); RISC-V does not propagate payloads. Sign injection and moves
//!   are bit operations and do keep payloads.
//! - Results bound for integer registers (comparisons, `Class`, `ToInt`, `MoveToInt`) are
//!   not boxed; 32-bit integer results (including `.wu`) are sign-extended to 64 bits.
//! - Exceptions are returned, never trapped: [`FpResult::flags`] holds the flags raised,
//!   in the `fflags` layout ([`fflags`]), for the caller to OR into `fflags`.
//! - `rm` must be a static mode: callers resolve [`Rounding::Dyn`] from `frm` (and trap on
//!   an invalid `frm`) before calling. Passing `Dyn` is a caller bug: debug builds assert,
//!   release builds round to nearest-even.
//! - Nothing here allocates; the only way to panic is the `Dyn` debug assertion. Callers
//!   from JIT code must still not let a panic unwind through JIT frames.
//!
//! Thread safety: SoftFloat keeps its rounding mode and exception flags in globals, which
//! softfloat-sys builds as C `_Thread_local`. Every call sets the mode and clears the
//! flags of the calling host thread before the operation and reads them after, so calls
//! on different threads (future guest threads) are independent and `execute` is safe to
//! call from any number of threads at once. The crate owns that per-thread SoftFloat state:
//! other code on the same thread must not expect it to survive a call.

mod bits;
mod format;
mod host;
mod softfloat;
#[cfg(test)]
mod tests;

pub use format::{
    nan_box, nan_box_h, unbox_h, unbox_s, CANONICAL_NAN_D, CANONICAL_NAN_H, CANONICAL_NAN_S,
};
pub use vm_ir::{FpFmt, FpOp, IntKind, Rounding};

use bits::SignFrom;
use format::{Double, Format, Half, Single};
use softfloat::with_rounding;

/// IEEE exception flags in the layout of the `fflags` CSR.
pub mod fflags {
    /// Invalid operation.
    pub const NV: u32 = 0x10;
    /// Divide by zero.
    pub const DZ: u32 = 0x08;
    /// Overflow.
    pub const OF: u32 = 0x04;
    /// Underflow.
    pub const UF: u32 = 0x02;
    /// Inexact.
    pub const NX: u32 = 0x01;
}

/// The outcome of one FP operation.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct FpResult {
    /// The destination register value: NaN-boxed for single-precision results going to FP
    /// registers, sign-extended for 32-bit integer results.
    pub value: u64,
    /// Exception flags raised (a subset of [`fflags`]); to be ORed into `fflags`.
    pub flags: u32,
}

/// Executes one FP operation on raw register bits. `rm` is never Rounding::Dyn (callers
/// resolve it from frm first). Returns the result bits (NaN-boxed for S results going to FP
/// registers; sign-extended for 32-bit integer results) and the IEEE exception flags raised,
/// in the fflags bit layout (NV=16, DZ=8, OF=4, UF=2, NX=1).
///
/// Operands: `a`, `b`, `c` are the register values named by the op (`c` only for the fused
/// ops, `b` only for two-operand ops); unused ones are ignored. For `FromInt` and
/// `MoveFromInt`, `a` is an integer register value; for `FromOther`, `a` is an FP register
/// holding the other format.
pub fn execute(op: FpOp, fmt: FpFmt, rm: Rounding, a: u64, b: u64, c: u64) -> FpResult {
    match fmt {
        FpFmt::S => execute_in::<Single>(op, rm, a, b, c),
        FpFmt::D => execute_in::<Double>(op, rm, a, b, c),
        FpFmt::H => execute_in::<Half>(op, rm, a, b, c),
    }
}

/// [`execute`] for a guest whose `fflags` already hold `raised`: the same result, and
/// flags that may omit some of `raised` (so `raised | flags` is the same). It is faster:
/// once the inexact flag is raised, the common arithmetic on ordinary numbers in
/// round-to-nearest-even runs on the host FPU (see `host`).
#[inline]
pub fn execute_after(
    op: FpOp,
    fmt: FpFmt,
    rm: Rounding,
    a: u64,
    b: u64,
    c: u64,
    raised: u32,
) -> FpResult {
    if rm == Rounding::Rne && raised & fflags::NX != 0 {
        let fast = match fmt {
            FpFmt::S => host_round_to_nearest::<Single>(op, a, b, c),
            FpFmt::D => host_round_to_nearest::<Double>(op, a, b, c),
            FpFmt::H => None,
        };
        if let Some(value) = fast {
            return FpResult { value, flags: 0 };
        }
    }
    execute(op, fmt, rm, a, b, c)
}

/// `host::round_to_nearest` on register values: unboxed operands, a reboxed result.
#[inline]
fn host_round_to_nearest<F: host::HostFloat>(op: FpOp, a: u64, b: u64, c: u64) -> Option<u64> {
    host::round_to_nearest::<F>(op, F::unbox(a), F::unbox(b), F::unbox(c)).map(F::rebox)
}

fn execute_in<F: Format>(op: FpOp, rm: Rounding, a: u64, b: u64, c: u64) -> FpResult {
    let mode = softfloat::mode(rm);
    // Unboxing is cheap and pure; ops that read raw bits use `a` directly instead.
    let (x, y, z) = (F::unbox(a), F::unbox(b), F::unbox(c));
    match op {
        FpOp::Add => rounded::<F>(mode, || F::add(x, y)),
        FpOp::Sub => rounded::<F>(mode, || F::sub(x, y)),
        FpOp::Mul => rounded::<F>(mode, || F::mul(x, y)),
        FpOp::Div => rounded::<F>(mode, || F::div(x, y)),
        FpOp::Sqrt => rounded::<F>(mode, || F::sqrt(x)),
        // Negating an operand is exact, so the fused variants are `mul_add` on negated
        // inputs: -(a*b) = (-a)*b. A NaN's sign is irrelevant (the result is canonical).
        FpOp::MulAdd => rounded::<F>(mode, || F::mul_add(x, y, z)),
        FpOp::MulSub => rounded::<F>(mode, || F::mul_add(x, y, z ^ F::SIGN)),
        FpOp::NegMulSub => rounded::<F>(mode, || F::mul_add(x ^ F::SIGN, y, z)),
        FpOp::NegMulAdd => rounded::<F>(mode, || F::mul_add(x ^ F::SIGN, y, z ^ F::SIGN)),
        FpOp::Min => min_max::<F>(x, y, false),
        FpOp::Max => min_max::<F>(x, y, true),
        FpOp::SgnJ => sign_injected::<F>(x, y, SignFrom::Copy),
        FpOp::SgnJN => sign_injected::<F>(x, y, SignFrom::Negate),
        FpOp::SgnJX => sign_injected::<F>(x, y, SignFrom::Xor),
        FpOp::Eq => compared(mode, || F::eq(x, y)),
        FpOp::Lt => compared(mode, || F::lt(x, y)),
        FpOp::Le => compared(mode, || F::le(x, y)),
        FpOp::Class => FpResult {
            value: bits::class::<F>(x),
            flags: 0,
        },
        FpOp::ToInt(kind) => to_int::<F>(x, kind, mode),
        FpOp::FromInt(kind) => rounded::<F>(mode, || from_int::<F>(a, kind)),
        // The other format of S is D and of D is S; H has none (the front end never
        // asks), and reads as S.
        FpOp::FromOther => {
            let src = if F::FMT == FpFmt::S {
                FpFmt::D
            } else {
                FpFmt::S
            };
            rounded::<F>(mode, || converted::<F>(src, a))
        }
        FpOp::FromFmt(src) => rounded::<F>(mode, || converted::<F>(src, a)),
        FpOp::MinM => min_max_m::<F>(x, y, false),
        FpOp::MaxM => min_max_m::<F>(x, y, true),
        FpOp::Round => rounded::<F>(mode, || F::round_to_int(x, mode, false)),
        FpOp::RoundNx => rounded::<F>(mode, || F::round_to_int(x, mode, true)),
        FpOp::ToIntMod => {
            let (wide, flags) = with_rounding(mode, || F::to_f64(x));
            let (value, mod_flags) = bits::to_i32_modulo(wide);
            FpResult {
                value,
                flags: (flags & fflags::NV) | mod_flags,
            }
        }
        FpOp::LtQuiet => compared(mode, || F::lt_quiet(x, y)),
        FpOp::LeQuiet => compared(mode, || F::le_quiet(x, y)),
        FpOp::MoveToInt => FpResult {
            value: F::move_to_int(a),
            flags: 0,
        },
        FpOp::MoveFromInt => FpResult {
            value: F::move_from_int(a),
            flags: 0,
        },
    }
}

/// Runs a rounding SoftFloat computation yielding an encoding of `F`; boxes the result.
fn rounded<F: Format>(mode: u8, f: impl FnOnce() -> u64) -> FpResult {
    let (bits, flags) = with_rounding(mode, f);
    FpResult {
        value: F::rebox(bits),
        flags,
    }
}

/// Runs a SoftFloat comparison; the result is 0 or 1 for an integer register.
fn compared(mode: u8, f: impl FnOnce() -> bool) -> FpResult {
    let (holds, flags) = with_rounding(mode, f);
    FpResult {
        value: u64::from(holds),
        flags,
    }
}

fn min_max<F: Format>(x: u64, y: u64, max: bool) -> FpResult {
    let (bits, flags) = bits::min_max::<F>(x, y, max);
    FpResult {
        value: F::rebox(bits),
        flags,
    }
}

/// An FP register value of format `src` converted to an encoding of `F`.
fn converted<F: Format>(src: FpFmt, reg: u64) -> u64 {
    match src {
        FpFmt::S => F::from_f32(Single::unbox(reg)),
        FpFmt::D => F::from_f64(reg),
        FpFmt::H => F::from_f16(Half::unbox(reg)),
    }
}

fn min_max_m<F: Format>(x: u64, y: u64, max: bool) -> FpResult {
    let (bits, flags) = bits::min_max_m::<F>(x, y, max);
    FpResult {
        value: F::rebox(bits),
        flags,
    }
}

fn sign_injected<F: Format>(x: u64, y: u64, how: SignFrom) -> FpResult {
    FpResult {
        value: F::rebox(bits::inject_sign::<F>(x, y, how)),
        flags: 0,
    }
}

/// `fcvt.{w,wu,l,lu}.*`: 32-bit results are sign-extended, `.wu` included.
fn to_int<F: Format>(x: u64, kind: IntKind, mode: u8) -> FpResult {
    let (value, flags) = with_rounding(mode, || match kind {
        IntKind::W => F::to_i32(x, mode) as i64 as u64,
        IntKind::WU => F::to_u32(x, mode) as i32 as i64 as u64,
        IntKind::L => F::to_i64(x, mode) as u64,
        IntKind::LU => F::to_u64(x, mode),
    });
    FpResult { value, flags }
}

/// `fcvt.*.{w,wu,l,lu}`: `.w` reads the low 32 bits as signed, `.wu` as unsigned.
fn from_int<F: Format>(a: u64, kind: IntKind) -> u64 {
    match kind {
        IntKind::W => F::from_i32(a as i32),
        IntKind::WU => F::from_u32(a as u32),
        IntKind::L => F::from_i64(a as i64),
        IntKind::LU => F::from_u64(a),
    }
}
