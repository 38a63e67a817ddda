//! The only door to Berkeley SoftFloat 3 (`softfloat-sys`, RISC-V specialization).
//!
//! Every SoftFloat function this crate uses gets a safe wrapper here, so the rest of the
//! crate holds no `unsafe`. SoftFloat keeps its rounding mode and accumulated exception
//! flags in globals; [`with_rounding`] is the one protocol for them: set the mode, clear
//! the flags, run the computation, read the flags back.
//!
//! Invariants:
//! - softfloat-sys compiles SoftFloat with `THREAD_LOCAL=_Thread_local`, so
//!   `softfloat_roundingMode`, `softfloat_exceptionFlags` and `softfloat_detectTininess`
//!   are per host thread (checked: they are TLS symbols in the built archive). Each call of
//!   [`with_rounding`] therefore sees only its own thread's state, and concurrent callers
//!   on different threads cannot disturb each other.
//! - Nothing else in the process may rely on those globals keeping a value across a call
//!   into this crate: we overwrite the mode and the flags of the calling thread.
//! - Tininess is detected after rounding (`init_detectTininess` of the RISCV
//!   specialization), as RISC-V requires; nothing here changes it.
//! - SoftFloat's `*_fast*_t` integer types are 64 bits wide on x86-64 Linux, the only
//!   target softfloat-sys builds for, so the conversion wrappers return `i64`/`u64`.

use softfloat_sys as sf;
pub(crate) use softfloat_sys::{float16_t, float32_t, float64_t};
use vm_ir::Rounding;

use crate::fflags;

// SoftFloat's flag bits are the fflags bits; the crate passes them through unchanged.
const _: () = {
    assert!(sf::softfloat_flag_invalid as u32 == fflags::NV);
    assert!(sf::softfloat_flag_infinite as u32 == fflags::DZ);
    assert!(sf::softfloat_flag_overflow as u32 == fflags::OF);
    assert!(sf::softfloat_flag_underflow as u32 == fflags::UF);
    assert!(sf::softfloat_flag_inexact as u32 == fflags::NX);
};

/// SoftFloat's code for a static rounding mode. `Dyn` must have been resolved by the
/// caller; it is a caller bug (asserted in debug builds) and reads as round-to-nearest-even.
pub(crate) fn mode(rm: Rounding) -> u8 {
    match rm {
        Rounding::Rne => sf::softfloat_round_near_even,
        Rounding::Rtz => sf::softfloat_round_minMag,
        Rounding::Rdn => sf::softfloat_round_min,
        Rounding::Rup => sf::softfloat_round_max,
        Rounding::Rmm => sf::softfloat_round_near_maxMag,
        Rounding::Dyn => {
            debug_assert!(
                false,
                "vm-fpu: Rounding::Dyn must be resolved from frm by the caller"
            );
            sf::softfloat_round_near_even
        }
    }
}

/// Runs `f` with SoftFloat's rounding mode set to `mode` and its flags cleared, and
/// returns `f`'s value with the exception flags it raised (fflags layout).
pub(crate) fn with_rounding<T>(mode: u8, f: impl FnOnce() -> T) -> (T, u32) {
    // SAFETY: writes a thread-local `uint_fast8_t` of SoftFloat through its C helper; no
    // pointers are involved and no other thread can observe it.
    unsafe { sf::softfloat_roundingMode_write_helper(mode) };
    // SAFETY: as above, for the thread-local exception flags.
    unsafe { sf::softfloat_exceptionFlags_write_helper(0) };
    let value = f();
    // SAFETY: reads the thread-local exception flags through SoftFloat's C helper.
    let flags = unsafe { sf::softfloat_exceptionFlags_read_helper() };
    (value, u32::from(flags))
}

/// Declares a safe wrapper with the same name and signature for each SoftFloat function.
macro_rules! safe_wrappers {
    ($(fn $name:ident($($arg:ident: $ty:ty),*) -> $ret:ty;)*) => {$(
        #[inline]
        #[allow(non_snake_case)] // SoftFloat's own names (`f32_mulAdd`)
        pub(crate) fn $name($($arg: $ty),*) -> $ret {
            // SAFETY: this SoftFloat function takes its operands by value and returns its
            // result by value (the declared types match the C ABI on x86-64 Linux: float
            // structs of one integer, `uint_fast8_t` = u8, `bool`, and 64-bit fast ints).
            // Its only side effects are on SoftFloat's thread-local rounding mode and
            // flags (see the module docs), so it cannot race or touch our memory.
            unsafe { sf::$name($($arg),*) }
        }
    )*};
}

safe_wrappers! {
    fn f32_add(a: float32_t, b: float32_t) -> float32_t;
    fn f32_sub(a: float32_t, b: float32_t) -> float32_t;
    fn f32_mul(a: float32_t, b: float32_t) -> float32_t;
    fn f32_div(a: float32_t, b: float32_t) -> float32_t;
    fn f32_sqrt(a: float32_t) -> float32_t;
    fn f32_mulAdd(a: float32_t, b: float32_t, c: float32_t) -> float32_t;
    fn f32_eq(a: float32_t, b: float32_t) -> bool;
    fn f32_lt(a: float32_t, b: float32_t) -> bool;
    fn f32_le(a: float32_t, b: float32_t) -> bool;
    fn f32_to_i32(a: float32_t, rm: u8, exact: bool) -> i64;
    fn f32_to_ui32(a: float32_t, rm: u8, exact: bool) -> u64;
    fn f32_to_i64(a: float32_t, rm: u8, exact: bool) -> i64;
    fn f32_to_ui64(a: float32_t, rm: u8, exact: bool) -> u64;
    fn i32_to_f32(a: i32) -> float32_t;
    fn ui32_to_f32(a: u32) -> float32_t;
    fn i64_to_f32(a: i64) -> float32_t;
    fn ui64_to_f32(a: u64) -> float32_t;
    fn f64_to_f32(a: float64_t) -> float32_t;

    fn f64_add(a: float64_t, b: float64_t) -> float64_t;
    fn f64_sub(a: float64_t, b: float64_t) -> float64_t;
    fn f64_mul(a: float64_t, b: float64_t) -> float64_t;
    fn f64_div(a: float64_t, b: float64_t) -> float64_t;
    fn f64_sqrt(a: float64_t) -> float64_t;
    fn f64_mulAdd(a: float64_t, b: float64_t, c: float64_t) -> float64_t;
    fn f64_eq(a: float64_t, b: float64_t) -> bool;
    fn f64_lt(a: float64_t, b: float64_t) -> bool;
    fn f64_le(a: float64_t, b: float64_t) -> bool;
    fn f64_to_i32(a: float64_t, rm: u8, exact: bool) -> i64;
    fn f64_to_ui32(a: float64_t, rm: u8, exact: bool) -> u64;
    fn f64_to_i64(a: float64_t, rm: u8, exact: bool) -> i64;
    fn f64_to_ui64(a: float64_t, rm: u8, exact: bool) -> u64;
    fn i32_to_f64(a: i32) -> float64_t;
    fn ui32_to_f64(a: u32) -> float64_t;
    fn i64_to_f64(a: i64) -> float64_t;
    fn ui64_to_f64(a: u64) -> float64_t;
    fn f32_to_f64(a: float32_t) -> float64_t;
    fn f32_roundToInt(a: float32_t, rm: u8, exact: bool) -> float32_t;
    fn f32_lt_quiet(a: float32_t, b: float32_t) -> bool;
    fn f32_le_quiet(a: float32_t, b: float32_t) -> bool;
    fn f64_roundToInt(a: float64_t, rm: u8, exact: bool) -> float64_t;
    fn f64_lt_quiet(a: float64_t, b: float64_t) -> bool;
    fn f64_le_quiet(a: float64_t, b: float64_t) -> bool;

    fn f16_add(a: float16_t, b: float16_t) -> float16_t;
    fn f16_sub(a: float16_t, b: float16_t) -> float16_t;
    fn f16_mul(a: float16_t, b: float16_t) -> float16_t;
    fn f16_div(a: float16_t, b: float16_t) -> float16_t;
    fn f16_sqrt(a: float16_t) -> float16_t;
    fn f16_mulAdd(a: float16_t, b: float16_t, c: float16_t) -> float16_t;
    fn f16_eq(a: float16_t, b: float16_t) -> bool;
    fn f16_lt(a: float16_t, b: float16_t) -> bool;
    fn f16_le(a: float16_t, b: float16_t) -> bool;
    fn f16_lt_quiet(a: float16_t, b: float16_t) -> bool;
    fn f16_le_quiet(a: float16_t, b: float16_t) -> bool;
    fn f16_roundToInt(a: float16_t, rm: u8, exact: bool) -> float16_t;
    fn f16_to_i32(a: float16_t, rm: u8, exact: bool) -> i64;
    fn f16_to_ui32(a: float16_t, rm: u8, exact: bool) -> u64;
    fn f16_to_i64(a: float16_t, rm: u8, exact: bool) -> i64;
    fn f16_to_ui64(a: float16_t, rm: u8, exact: bool) -> u64;
    fn i32_to_f16(a: i32) -> float16_t;
    fn ui32_to_f16(a: u32) -> float16_t;
    fn i64_to_f16(a: i64) -> float16_t;
    fn ui64_to_f16(a: u64) -> float16_t;
    fn f16_to_f32(a: float16_t) -> float32_t;
    fn f16_to_f64(a: float16_t) -> float64_t;
    fn f32_to_f16(a: float32_t) -> float16_t;
    fn f64_to_f16(a: float64_t) -> float16_t;
}
