//! `vfrec7.v` and `vfrsqrt7.v`: the specification's 7-bit estimates of `1/x` and
//! `1/sqrt(x)`, bit-exact with its tables and special cases.
//!
//! The tables are not typed in: each entry is the specification's rule, the estimate at
//! the midpoint of the input interval rounded to nearest, computed exactly in integers
//! at compile time (a unit test checks entries against the published tables).
//!
//! Special cases (both): a signalling NaN raises NV, any NaN gives the canonical NaN;
//! `±0` gives `±inf` with DZ. `vfrec7`: `±inf` gives `±0`; a subnormal below
//! `2^-(bias+1)` overflows (OF, NX) to infinity or the largest finite value by the
//! rounding mode; other subnormal results raise nothing. `vfrsqrt7`: any negative
//! non-zero input (`-inf` included) is invalid, `+inf` gives `+0`.

use super::elem::Width;
use vm_fpu::{fflags, Rounding};

/// `REC7[i]`: the 7 fraction bits of `2 / m` (scaled into `[1, 2)`), `m` the midpoint of
/// the inputs whose 7 leading fraction bits are `i`: `round(128 * (255 - 2i) / (257 + 2i))`.
const REC7: [u8; 128] = {
    let mut t = [0u8; 128];
    let mut i = 0;
    while i < 128 {
        let (n, d) = (128 * (255 - 2 * i), 257 + 2 * i);
        t[i] = ((2 * n + d) / (2 * d)) as u8;
        i += 1;
    }
    t
};

/// `RSQRT7[e << 6 | s]`: the 7 fraction bits of `2 / sqrt(m)`, `m` the midpoint of the
/// inputs with exponent parity `e` (0: in `[2, 4)`, 1: in `[1, 2)`) and 6 leading
/// fraction bits `s`. The entry is `n - 128` for the `n` nearest `256 / sqrt(m)`: the
/// largest `n` with `(2n - 1)^2 <= 4 * 65536 / m`, in integers.
const RSQRT7: [u8; 128] = {
    let mut t = [0u8; 128];
    let mut i = 0;
    while i < 128 {
        let k: u64 = if i < 64 { 2 } else { 1 };
        let den = (129 + 2 * (i as u64 & 63)) * k;
        let mut n: u64 = 128;
        while (2 * (n + 1) - 1) * (2 * (n + 1) - 1) * den <= 1 << 25 {
            n += 1;
        }
        t[i] = (n - 128) as u8;
        i += 1;
    }
    t
};

/// An IEEE format's field widths.
struct Layout {
    exp_bits: u32,
    frac_bits: u32,
}

impl Layout {
    fn of(w: Width) -> Layout {
        match w {
            Width::H => Layout {
                exp_bits: 5,
                frac_bits: 10,
            },
            Width::S => Layout {
                exp_bits: 8,
                frac_bits: 23,
            },
            Width::D => Layout {
                exp_bits: 11,
                frac_bits: 52,
            },
        }
    }
    fn bias(&self) -> i64 {
        (1 << (self.exp_bits - 1)) - 1
    }
    fn exp_max(&self) -> u64 {
        (1 << self.exp_bits) - 1
    }
    fn frac_mask(&self) -> u64 {
        (1 << self.frac_bits) - 1
    }
    fn sign(&self) -> u64 {
        1 << (self.exp_bits + self.frac_bits)
    }
    fn inf(&self) -> u64 {
        self.exp_max() << self.frac_bits
    }
    fn canonical_nan(&self) -> u64 {
        self.inf() | 1 << (self.frac_bits - 1)
    }

    /// Splits `bits` into sign, biased exponent and fraction.
    fn split(&self, bits: u64) -> (u64, u64, u64) {
        (
            bits & self.sign(),
            (bits >> self.frac_bits) & self.exp_max(),
            bits & self.frac_mask(),
        )
    }

    /// A NaN's result: canonical, NV if it signals.
    fn nan(&self, frac: u64) -> (u64, u32) {
        let quiet = frac >> (self.frac_bits - 1) & 1 != 0;
        (self.canonical_nan(), if quiet { 0 } else { fflags::NV })
    }

    /// The exponent and fraction of a positive finite non-zero input with the leading
    /// one made implicit: a subnormal's exponent goes to `0, -1, -2, ...`.
    fn normalize(&self, exp: u64, frac: u64) -> (i64, u64) {
        if exp != 0 {
            return (exp as i64, frac);
        }
        let shift = frac.leading_zeros() - (63 - self.frac_bits);
        (-(shift as i64 - 1), (frac << shift) & self.frac_mask())
    }
}

/// `vfrec7`: returns the result bits and the flags raised.
pub(crate) fn rec7(w: Width, bits: u64, rm: Rounding) -> (u64, u32) {
    let l = Layout::of(w);
    let (sign, exp, frac) = l.split(bits);
    if exp == l.exp_max() {
        return if frac == 0 { (sign, 0) } else { l.nan(frac) };
    }
    if exp == 0 && frac == 0 {
        return (sign | l.inf(), fflags::DZ);
    }
    let (e, f) = l.normalize(exp, frac);
    if e < -1 {
        let to_inf = match rm {
            Rounding::Rne | Rounding::Rmm | Rounding::Dyn => true,
            Rounding::Rup => sign == 0,
            Rounding::Rdn => sign != 0,
            Rounding::Rtz => false,
        };
        let magnitude = if to_inf { l.inf() } else { l.inf() - 1 };
        return (sign | magnitude, fflags::OF | fflags::NX);
    }
    let index = (f >> (l.frac_bits - 7)) as usize;
    let mut out_frac = u64::from(REC7[index & 127]) << (l.frac_bits - 7);
    let mut out_exp = 2 * l.bias() - 1 - e;
    if out_exp <= 0 {
        // A subnormal result: the implicit one joins the fraction, shifted right once
        // for exponent 0 and twice for -1. Nothing is lost beyond the estimate itself,
        // so no underflow is raised.
        out_frac = out_frac >> 1 | 1 << (l.frac_bits - 1);
        if out_exp < 0 {
            out_frac >>= 1;
        }
        out_exp = 0;
    }
    (sign | (out_exp as u64) << l.frac_bits | out_frac, 0)
}

/// `vfrsqrt7`: returns the result bits and the flags raised.
pub(crate) fn rsqrt7(w: Width, bits: u64) -> (u64, u32) {
    let l = Layout::of(w);
    let (sign, exp, frac) = l.split(bits);
    if exp == l.exp_max() && frac != 0 {
        return l.nan(frac);
    }
    if exp == 0 && frac == 0 {
        return (sign | l.inf(), fflags::DZ);
    }
    if sign != 0 {
        return (l.canonical_nan(), fflags::NV);
    }
    if exp == l.exp_max() {
        return (0, 0);
    }
    let (e, f) = l.normalize(exp, frac);
    let index = ((e & 1) << 6) as usize | (f >> (l.frac_bits - 6)) as usize;
    let out_frac = u64::from(RSQRT7[index & 127]) << (l.frac_bits - 7);
    let out_exp = (3 * l.bias() - 1 - e) / 2;
    ((out_exp as u64) << l.frac_bits | out_frac, 0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tables_match_the_specification() {
        // Spot entries of the tables printed in the RVV 1.0 specification.
        assert_eq!(REC7[..8], [127, 125, 123, 121, 119, 117, 116, 114]);
        assert_eq!(REC7[120..], [4, 3, 3, 2, 2, 1, 1, 0]);
        assert_eq!(RSQRT7[..4], [52, 51, 50, 48]);
        assert_eq!(RSQRT7[19..21], [30, 30]);
        assert_eq!(RSQRT7[63], 0);
        assert_eq!(RSQRT7[64..68], [127, 125, 123, 121]);
        assert_eq!(RSQRT7[127], 53);
    }

    #[test]
    fn estimates_and_special_cases() {
        // 1/2 = 0.5 estimated from 2.0: exponent 126, fraction REC7[0] = 127.
        assert_eq!(rec7(Width::S, 0x4000_0000, Rounding::Rne), (0x3eff_0000, 0));
        assert_eq!(
            rec7(Width::S, 0x8000_0000, Rounding::Rne),
            (0xff80_0000, fflags::DZ)
        );
        assert_eq!(rec7(Width::S, 0xff80_0000, Rounding::Rne), (0x8000_0000, 0));
        // The smallest subnormal overflows: to +inf in RNE, to +MAX in RTZ.
        assert_eq!(rec7(Width::S, 1, Rounding::Rne), (0x7f80_0000, 5));
        assert_eq!(rec7(Width::S, 1, Rounding::Rtz), (0x7f7f_ffff, 5));
        assert_eq!(rec7(Width::S, 0x8000_0001, Rounding::Rup), (0xff7f_ffff, 5));
        // The largest normal: a subnormal result, no flags.
        assert_eq!(rec7(Width::S, 0x7f7f_ffff, Rounding::Rne), (0x0020_0000, 0));
        assert_eq!(
            rec7(Width::D, 0x7ff4_0000_0000_0000, Rounding::Rne).1,
            fflags::NV
        );
        // 1/sqrt(1) from the first entry for [1, 2), 1/sqrt(2) from the first for [2, 4).
        assert_eq!(rsqrt7(Width::S, 0x3f80_0000), (0x3f7f_0000, 0));
        assert_eq!(rsqrt7(Width::S, 0x4000_0000), (0x3f00_0000 | 52 << 16, 0));
        assert_eq!(rsqrt7(Width::S, 0xbf80_0000), (0x7fc0_0000, fflags::NV));
        assert_eq!(rsqrt7(Width::S, 0x8000_0000), (0xff80_0000, fflags::DZ));
        assert_eq!(rsqrt7(Width::S, 0x7f80_0000), (0, 0));
        // The smallest subnormal: 2^-149, its estimate about 2^74.5.
        let (r, f) = rsqrt7(Width::S, 1);
        assert_eq!((r >> 23, f), (127 + 74, 0));
    }
}
