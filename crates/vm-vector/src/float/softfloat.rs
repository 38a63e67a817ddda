//! The door to Berkeley SoftFloat for what `vm_fpu` does not offer the vector unit: the
//! round-to-odd narrowing of `vfncvt.rod.f.f.w`.
//!
//! SoftFloat keeps its rounding mode and flags in thread-local globals (see `vm_fpu`'s
//! `softfloat` module, which uses the same protocol): every call here sets the mode and
//! clears the flags first and reads the flags after, so it neither depends on nor
//! disturbs any other caller on the thread. The library is built with its RISC-V
//! specialisation (canonical NaNs) and with `SOFTFLOAT_ROUND_ODD`.

use softfloat_sys as sf;

// SoftFloat's flag bits are the `fflags` bits; they pass through unchanged.
const _: () = {
    assert!(sf::softfloat_flag_invalid as u32 == vm_fpu::fflags::NV);
    assert!(sf::softfloat_flag_infinite as u32 == vm_fpu::fflags::DZ);
    assert!(sf::softfloat_flag_overflow as u32 == vm_fpu::fflags::OF);
    assert!(sf::softfloat_flag_underflow as u32 == vm_fpu::fflags::UF);
    assert!(sf::softfloat_flag_inexact as u32 == vm_fpu::fflags::NX);
};

/// Runs `f` with SoftFloat's rounding mode `mode` and cleared flags; returns its value
/// and the flags it raised.
fn with_mode<T>(mode: u8, f: impl FnOnce() -> T) -> (T, u32) {
    // SAFETY: writes SoftFloat's thread-local rounding mode through its C helper; no
    // pointers are involved and no other thread can observe it.
    unsafe { sf::softfloat_roundingMode_write_helper(mode) };
    // SAFETY: as above, for the thread-local exception flags.
    unsafe { sf::softfloat_exceptionFlags_write_helper(0) };
    let value = f();
    // SAFETY: reads the thread-local exception flags through SoftFloat's C helper.
    let flags = unsafe { sf::softfloat_exceptionFlags_read_helper() };
    (value, u32::from(flags))
}

/// f64 to f32, rounding to odd (`vfncvt.rod.f.f.w`).
pub(super) fn f64_to_f32_odd(bits: u64) -> (u64, u32) {
    with_mode(sf::softfloat_round_odd, || {
        // SAFETY: a by-value SoftFloat conversion whose only side effects are on its
        // thread-local mode and flags.
        u64::from(unsafe { sf::f64_to_f32(sf::float64_t { v: bits }) }.v)
    })
}
