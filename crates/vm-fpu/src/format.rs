//! The three IEEE formats of F, D and Zfh behind one trait, so each operation is written once.
//!
//! Values inside the crate are *encodings*: `u64`s holding the format's bit pattern in
//! their low bits (the low 32 for single precision, upper bits zero). [`Format::unbox`]
//! turns a register value into an encoding, [`Format::rebox`] turns an encoding back into
//! a register value. Everything that rounds or raises flags goes through SoftFloat and
//! must run inside [`crate::softfloat::with_rounding`].

use crate::softfloat::{self as sf, float16_t, float32_t, float64_t};
use vm_ir::FpFmt;

/// The single-precision canonical NaN.
pub const CANONICAL_NAN_S: u32 = 0x7fc0_0000;
/// The double-precision canonical NaN.
pub const CANONICAL_NAN_D: u64 = 0x7ff8_0000_0000_0000;

/// The half-precision canonical NaN.
pub const CANONICAL_NAN_H: u16 = 0x7e00;

/// Upper half of a properly NaN-boxed single-precision register value.
const BOX: u64 = 0xffff_ffff_0000_0000;
/// Upper 48 bits of a properly NaN-boxed half-precision register value.
const BOX_H: u64 = 0xffff_ffff_ffff_0000;

/// NaN-boxes half-precision bits for an FP register: bits 16..64 become ones.
pub const fn nan_box_h(bits: u16) -> u64 {
    BOX_H | bits as u64
}

/// Reads a half-precision operand from an FP register: the low 16 bits if the value is
/// properly NaN-boxed, else the canonical NaN (as Zfh requires).
pub const fn unbox_h(reg: u64) -> u16 {
    if reg & BOX_H == BOX_H {
        reg as u16
    } else {
        CANONICAL_NAN_H
    }
}

/// NaN-boxes single-precision bits for an FP register: the upper 32 bits become all ones.
pub const fn nan_box(bits: u32) -> u64 {
    BOX | bits as u64
}

/// Reads a single-precision operand from an FP register: the low 32 bits if the value is
/// properly NaN-boxed, else the canonical NaN (as the F extension requires).
pub const fn unbox_s(reg: u64) -> u32 {
    if reg & BOX == BOX {
        reg as u32
    } else {
        CANONICAL_NAN_S
    }
}

/// One IEEE binary format: its encoding constants and its SoftFloat operations.
pub(crate) trait Format {
    /// The format's name in the IR.
    const FMT: FpFmt;
    /// The sign bit of an encoding.
    const SIGN: u64;
    /// All exponent bits of an encoding (the encoding of +infinity).
    const EXP: u64;
    /// The most significant fraction bit: set in quiet NaNs, clear in signaling NaNs.
    const QUIET: u64;
    /// The canonical NaN encoding.
    const CANONICAL_NAN: u64;

    /// The encoding an FP register value holds in this format.
    fn unbox(reg: u64) -> u64;
    /// The FP register value holding an encoding of this format.
    fn rebox(bits: u64) -> u64;
    /// Raw bits of an FP register as the integer `fmv.x.*` produces.
    fn move_to_int(reg: u64) -> u64;
    /// An integer register's bits as the FP register value `fmv.*.x` produces.
    fn move_from_int(x: u64) -> u64;

    fn add(a: u64, b: u64) -> u64;
    fn sub(a: u64, b: u64) -> u64;
    fn mul(a: u64, b: u64) -> u64;
    fn div(a: u64, b: u64) -> u64;
    fn sqrt(a: u64) -> u64;
    /// `a * b + c` with a single rounding.
    fn mul_add(a: u64, b: u64, c: u64) -> u64;
    /// Quiet equality (invalid only for signaling NaNs).
    fn eq(a: u64, b: u64) -> bool;
    /// Signaling less-than (invalid for any NaN).
    fn lt(a: u64, b: u64) -> bool;
    /// Signaling less-or-equal (invalid for any NaN).
    fn le(a: u64, b: u64) -> bool;
    /// Quiet less-than and less-or-equal (invalid only for signaling NaNs).
    fn lt_quiet(a: u64, b: u64) -> bool;
    fn le_quiet(a: u64, b: u64) -> bool;
    /// Rounds to an integral value with `rm` (a SoftFloat mode); `exact` raises inexact.
    fn round_to_int(a: u64, rm: u8, exact: bool) -> u64;

    /// Conversions to integers, rounding with `rm` (a SoftFloat mode), saturating with the
    /// RISC-V values, inexact flagged.
    fn to_i32(a: u64, rm: u8) -> i32;
    fn to_u32(a: u64, rm: u8) -> u32;
    fn to_i64(a: u64, rm: u8) -> i64;
    fn to_u64(a: u64, rm: u8) -> u64;
    /// Conversions from integers, rounding with SoftFloat's current mode.
    fn from_i32(x: i32) -> u64;
    fn from_u32(x: u32) -> u64;
    fn from_i64(x: i64) -> u64;
    fn from_u64(x: u64) -> u64;
    /// Converts an encoding of this format to a double-precision encoding (exact).
    fn to_f64(a: u64) -> u64;
    /// Converts a double-, single- or half-precision encoding to this format, rounding
    /// with SoftFloat's current mode.
    fn from_f64(a: u64) -> u64;
    fn from_f32(a: u64) -> u64;
    fn from_f16(a: u64) -> u64;

    /// Whether an encoding is a NaN.
    fn is_nan(bits: u64) -> bool {
        bits & !Self::SIGN > Self::EXP
    }

    /// Whether an encoding is a signaling NaN.
    fn is_signaling(bits: u64) -> bool {
        Self::is_nan(bits) && bits & Self::QUIET == 0
    }
}

/// Single precision (`.s`).
pub(crate) enum Single {}
/// Double precision (`.d`).
pub(crate) enum Double {}
/// Half precision (`.h`).
pub(crate) enum Half {}

fn f16v(bits: u64) -> float16_t {
    debug_assert!(bits >> 16 == 0, "not a half-precision encoding: {bits:#x}");
    float16_t { v: bits as u16 }
}

fn f32v(bits: u64) -> float32_t {
    debug_assert!(
        bits >> 32 == 0,
        "not a single-precision encoding: {bits:#x}"
    );
    float32_t { v: bits as u32 }
}

fn f64v(bits: u64) -> float64_t {
    float64_t { v: bits }
}

impl Format for Single {
    const FMT: FpFmt = FpFmt::S;
    const SIGN: u64 = 0x8000_0000;
    const EXP: u64 = 0x7f80_0000;
    const QUIET: u64 = 0x0040_0000;
    const CANONICAL_NAN: u64 = CANONICAL_NAN_S as u64;

    fn unbox(reg: u64) -> u64 {
        u64::from(unbox_s(reg))
    }
    fn rebox(bits: u64) -> u64 {
        nan_box(bits as u32)
    }
    fn move_to_int(reg: u64) -> u64 {
        reg as u32 as i32 as i64 as u64
    }
    fn move_from_int(x: u64) -> u64 {
        nan_box(x as u32)
    }

    fn add(a: u64, b: u64) -> u64 {
        u64::from(sf::f32_add(f32v(a), f32v(b)).v)
    }
    fn sub(a: u64, b: u64) -> u64 {
        u64::from(sf::f32_sub(f32v(a), f32v(b)).v)
    }
    fn mul(a: u64, b: u64) -> u64 {
        u64::from(sf::f32_mul(f32v(a), f32v(b)).v)
    }
    fn div(a: u64, b: u64) -> u64 {
        u64::from(sf::f32_div(f32v(a), f32v(b)).v)
    }
    fn sqrt(a: u64) -> u64 {
        u64::from(sf::f32_sqrt(f32v(a)).v)
    }
    fn mul_add(a: u64, b: u64, c: u64) -> u64 {
        u64::from(sf::f32_mulAdd(f32v(a), f32v(b), f32v(c)).v)
    }
    fn eq(a: u64, b: u64) -> bool {
        sf::f32_eq(f32v(a), f32v(b))
    }
    fn lt(a: u64, b: u64) -> bool {
        sf::f32_lt(f32v(a), f32v(b))
    }
    fn le(a: u64, b: u64) -> bool {
        sf::f32_le(f32v(a), f32v(b))
    }

    fn to_i32(a: u64, rm: u8) -> i32 {
        sf::f32_to_i32(f32v(a), rm, true) as i32
    }
    fn to_u32(a: u64, rm: u8) -> u32 {
        sf::f32_to_ui32(f32v(a), rm, true) as u32
    }
    fn to_i64(a: u64, rm: u8) -> i64 {
        sf::f32_to_i64(f32v(a), rm, true)
    }
    fn to_u64(a: u64, rm: u8) -> u64 {
        sf::f32_to_ui64(f32v(a), rm, true)
    }
    fn from_i32(x: i32) -> u64 {
        u64::from(sf::i32_to_f32(x).v)
    }
    fn from_u32(x: u32) -> u64 {
        u64::from(sf::ui32_to_f32(x).v)
    }
    fn from_i64(x: i64) -> u64 {
        u64::from(sf::i64_to_f32(x).v)
    }
    fn from_u64(x: u64) -> u64 {
        u64::from(sf::ui64_to_f32(x).v)
    }
    fn lt_quiet(a: u64, b: u64) -> bool {
        sf::f32_lt_quiet(f32v(a), f32v(b))
    }
    fn le_quiet(a: u64, b: u64) -> bool {
        sf::f32_le_quiet(f32v(a), f32v(b))
    }
    fn round_to_int(a: u64, rm: u8, exact: bool) -> u64 {
        u64::from(sf::f32_roundToInt(f32v(a), rm, exact).v)
    }
    fn to_f64(a: u64) -> u64 {
        sf::f32_to_f64(f32v(a)).v
    }
    fn from_f64(a: u64) -> u64 {
        u64::from(sf::f64_to_f32(f64v(a)).v)
    }
    fn from_f32(a: u64) -> u64 {
        a
    }
    fn from_f16(a: u64) -> u64 {
        u64::from(sf::f16_to_f32(f16v(a)).v)
    }
}

impl Format for Double {
    const FMT: FpFmt = FpFmt::D;
    const SIGN: u64 = 0x8000_0000_0000_0000;
    const EXP: u64 = 0x7ff0_0000_0000_0000;
    const QUIET: u64 = 0x0008_0000_0000_0000;
    const CANONICAL_NAN: u64 = CANONICAL_NAN_D;

    fn unbox(reg: u64) -> u64 {
        reg
    }
    fn rebox(bits: u64) -> u64 {
        bits
    }
    fn move_to_int(reg: u64) -> u64 {
        reg
    }
    fn move_from_int(x: u64) -> u64 {
        x
    }

    fn add(a: u64, b: u64) -> u64 {
        sf::f64_add(f64v(a), f64v(b)).v
    }
    fn sub(a: u64, b: u64) -> u64 {
        sf::f64_sub(f64v(a), f64v(b)).v
    }
    fn mul(a: u64, b: u64) -> u64 {
        sf::f64_mul(f64v(a), f64v(b)).v
    }
    fn div(a: u64, b: u64) -> u64 {
        sf::f64_div(f64v(a), f64v(b)).v
    }
    fn sqrt(a: u64) -> u64 {
        sf::f64_sqrt(f64v(a)).v
    }
    fn mul_add(a: u64, b: u64, c: u64) -> u64 {
        sf::f64_mulAdd(f64v(a), f64v(b), f64v(c)).v
    }
    fn eq(a: u64, b: u64) -> bool {
        sf::f64_eq(f64v(a), f64v(b))
    }
    fn lt(a: u64, b: u64) -> bool {
        sf::f64_lt(f64v(a), f64v(b))
    }
    fn le(a: u64, b: u64) -> bool {
        sf::f64_le(f64v(a), f64v(b))
    }

    fn to_i32(a: u64, rm: u8) -> i32 {
        sf::f64_to_i32(f64v(a), rm, true) as i32
    }
    fn to_u32(a: u64, rm: u8) -> u32 {
        sf::f64_to_ui32(f64v(a), rm, true) as u32
    }
    fn to_i64(a: u64, rm: u8) -> i64 {
        sf::f64_to_i64(f64v(a), rm, true)
    }
    fn to_u64(a: u64, rm: u8) -> u64 {
        sf::f64_to_ui64(f64v(a), rm, true)
    }
    fn from_i32(x: i32) -> u64 {
        sf::i32_to_f64(x).v
    }
    fn from_u32(x: u32) -> u64 {
        sf::ui32_to_f64(x).v
    }
    fn from_i64(x: i64) -> u64 {
        sf::i64_to_f64(x).v
    }
    fn from_u64(x: u64) -> u64 {
        sf::ui64_to_f64(x).v
    }
    fn lt_quiet(a: u64, b: u64) -> bool {
        sf::f64_lt_quiet(f64v(a), f64v(b))
    }
    fn le_quiet(a: u64, b: u64) -> bool {
        sf::f64_le_quiet(f64v(a), f64v(b))
    }
    fn round_to_int(a: u64, rm: u8, exact: bool) -> u64 {
        sf::f64_roundToInt(f64v(a), rm, exact).v
    }
    fn to_f64(a: u64) -> u64 {
        a
    }
    fn from_f64(a: u64) -> u64 {
        a
    }
    fn from_f32(a: u64) -> u64 {
        sf::f32_to_f64(f32v(a)).v
    }
    fn from_f16(a: u64) -> u64 {
        sf::f16_to_f64(f16v(a)).v
    }
}

impl Format for Half {
    const FMT: FpFmt = FpFmt::H;
    const SIGN: u64 = 0x8000;
    const EXP: u64 = 0x7c00;
    const QUIET: u64 = 0x0200;
    const CANONICAL_NAN: u64 = CANONICAL_NAN_H as u64;

    fn unbox(reg: u64) -> u64 {
        u64::from(unbox_h(reg))
    }
    fn rebox(bits: u64) -> u64 {
        nan_box_h(bits as u16)
    }
    fn move_to_int(reg: u64) -> u64 {
        reg as u16 as i16 as i64 as u64
    }
    fn move_from_int(x: u64) -> u64 {
        nan_box_h(x as u16)
    }

    fn add(a: u64, b: u64) -> u64 {
        u64::from(sf::f16_add(f16v(a), f16v(b)).v)
    }
    fn sub(a: u64, b: u64) -> u64 {
        u64::from(sf::f16_sub(f16v(a), f16v(b)).v)
    }
    fn mul(a: u64, b: u64) -> u64 {
        u64::from(sf::f16_mul(f16v(a), f16v(b)).v)
    }
    fn div(a: u64, b: u64) -> u64 {
        u64::from(sf::f16_div(f16v(a), f16v(b)).v)
    }
    fn sqrt(a: u64) -> u64 {
        u64::from(sf::f16_sqrt(f16v(a)).v)
    }
    fn mul_add(a: u64, b: u64, c: u64) -> u64 {
        u64::from(sf::f16_mulAdd(f16v(a), f16v(b), f16v(c)).v)
    }
    fn eq(a: u64, b: u64) -> bool {
        sf::f16_eq(f16v(a), f16v(b))
    }
    fn lt(a: u64, b: u64) -> bool {
        sf::f16_lt(f16v(a), f16v(b))
    }
    fn le(a: u64, b: u64) -> bool {
        sf::f16_le(f16v(a), f16v(b))
    }
    fn lt_quiet(a: u64, b: u64) -> bool {
        sf::f16_lt_quiet(f16v(a), f16v(b))
    }
    fn le_quiet(a: u64, b: u64) -> bool {
        sf::f16_le_quiet(f16v(a), f16v(b))
    }
    fn round_to_int(a: u64, rm: u8, exact: bool) -> u64 {
        u64::from(sf::f16_roundToInt(f16v(a), rm, exact).v)
    }

    fn to_i32(a: u64, rm: u8) -> i32 {
        sf::f16_to_i32(f16v(a), rm, true) as i32
    }
    fn to_u32(a: u64, rm: u8) -> u32 {
        sf::f16_to_ui32(f16v(a), rm, true) as u32
    }
    fn to_i64(a: u64, rm: u8) -> i64 {
        sf::f16_to_i64(f16v(a), rm, true)
    }
    fn to_u64(a: u64, rm: u8) -> u64 {
        sf::f16_to_ui64(f16v(a), rm, true)
    }
    fn from_i32(x: i32) -> u64 {
        u64::from(sf::i32_to_f16(x).v)
    }
    fn from_u32(x: u32) -> u64 {
        u64::from(sf::ui32_to_f16(x).v)
    }
    fn from_i64(x: i64) -> u64 {
        u64::from(sf::i64_to_f16(x).v)
    }
    fn from_u64(x: u64) -> u64 {
        u64::from(sf::ui64_to_f16(x).v)
    }
    fn to_f64(a: u64) -> u64 {
        sf::f16_to_f64(f16v(a)).v
    }
    fn from_f64(a: u64) -> u64 {
        u64::from(sf::f64_to_f16(f64v(a)).v)
    }
    fn from_f32(a: u64) -> u64 {
        u64::from(sf::f32_to_f16(f32v(a)).v)
    }
    fn from_f16(a: u64) -> u64 {
        a
    }
}
