//! The random source and the "interesting" values registers and memory start from.
//!
//! Invariant: everything drawn here depends only on the generator's seed, so a seed
//! names one program for as long as the generator (these files) does not change.

/// SplitMix64: tiny, fast, and good enough to pick instructions.
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Rng {
        Rng(seed ^ 0x6a09_e667_f3bc_c908)
    }

    pub fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    /// A number in `0..n` (`n > 0`; the bias is irrelevant here).
    pub fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }

    /// A number in `lo..=hi`.
    pub fn range(&mut self, lo: i64, hi: i64) -> i64 {
        lo + self.below((hi - lo + 1) as u64) as i64
    }

    /// True with probability `percent`/100.
    pub fn chance(&mut self, percent: u64) -> bool {
        self.below(100) < percent
    }

    pub fn pick<T: Copy>(&mut self, items: &[T]) -> T {
        items[self.below(items.len() as u64) as usize]
    }

    /// An index into `weights`, each drawn in proportion to its weight.
    pub fn weighted(&mut self, weights: &[u32]) -> usize {
        let total: u64 = weights.iter().map(|&w| u64::from(w)).sum();
        let mut x = self.below(total);
        for (i, &w) in weights.iter().enumerate() {
            if x < u64::from(w) {
                return i;
            }
            x -= u64::from(w);
        }
        unreachable!("x < total")
    }
}

/// Integer values at the edges of RV64 arithmetic.
const INT_EDGES: &[u64] = &[
    0,
    1,
    2,
    3,
    u64::MAX,
    u64::MAX - 1,
    0x8000_0000_0000_0000,
    0x8000_0000_0000_0001,
    0x7fff_ffff_ffff_ffff,
    0xffff_ffff_8000_0000,
    0xffff_ffff_7fff_ffff,
    0x7fff_ffff,
    0x8000_0000,
    0xffff_ffff,
    0x1_0000_0000,
    0x1_ffff_ffff,
    0x8000,
    0xffff,
    0x7fff,
    0xffff_ffff_ffff_8000,
    0x80,
    0xff,
    0x7f,
    31,
    32,
    33,
    63,
    64,
    0x0123_4567_89ab_cdef,
    0xfedc_ba98_7654_3210,
    0x5555_5555_5555_5555,
    0xaaaa_aaaa_aaaa_aaaa,
    0xffff_0000_ffff_0000,
    0x00ff_00ff_00ff_00ff,
];

/// An integer register or memory value: mostly edges, also small, random and one-bit
/// values.
pub fn int_value(rng: &mut Rng) -> u64 {
    match rng.below(20) {
        0..=10 => rng.pick(INT_EDGES),
        11..=13 => rng.range(-64, 64) as u64,
        14..=15 => rng.next(),
        16..=17 => rng.next() as u32 as i32 as i64 as u64,
        18 => 1 << rng.below(64),
        _ => !(1u64 << rng.below(64)),
    }
}

/// A 12-bit immediate: edges or random.
pub fn imm12(rng: &mut Rng) -> i64 {
    if rng.chance(40) {
        rng.pick(&[
            0, 1, -1, 2, 2047, -2048, 2046, -2047, 31, 32, 63, 64, 0x7f, 0xff,
        ])
    } else {
        rng.range(-2048, 2047)
    }
}

/// A shift amount below `limit` (32 or 64), with the edges more likely.
pub fn shamt(rng: &mut Rng, limit: i64) -> i64 {
    if rng.chance(40) {
        rng.pick(&[0, 1, limit / 2 - 1, limit / 2, limit - 1, limit - 2])
    } else {
        rng.range(0, limit - 1)
    }
}

/// A 20-bit upper immediate (`lui`, `auipc`).
pub fn imm20(rng: &mut Rng) -> i64 {
    if rng.chance(40) {
        rng.pick(&[0, 1, 0x7ffff, 0x80000, 0xfffff, 0x80001, 0xffffe])
    } else {
        rng.range(0, 0xfffff)
    }
}

/// Double-precision values at the edges of IEEE arithmetic and conversions.
fn f64_edges() -> Vec<u64> {
    let values: [f64; 40] = [
        0.0,
        -0.0,
        f64::INFINITY,
        f64::NEG_INFINITY,
        1.0,
        -1.0,
        0.5,
        -0.5,
        1.5,
        2.5,
        -2.5,
        3.0,
        0.1,
        -7.0,
        1e300,
        -1e-300,
        f64::MAX,
        -f64::MAX,
        f64::MIN_POSITIVE,
        -f64::MIN_POSITIVE,
        2147483648.0,
        -2147483648.0,
        -2147483649.0,
        2147483647.0,
        2147483647.5,
        4294967295.0,
        4294967295.5,
        4294967296.0,
        9223372036854775808.0,
        -9223372036854775808.0,
        9223372036854774784.0,
        -9223372036854777856.0,
        18446744073709551616.0,
        18446744073709549568.0,
        9007199254740993.0,
        3.4028234663852886e38,
        3.4028235677973366e38,
        1.1754943508222875e-38,
        1.401298464324817e-45,
        7.006492321624085e-46,
    ];
    let raw = [
        0x7ff8_0000_0000_0000, // canonical quiet NaN
        0xfff8_0000_0000_0000,
        0x7ffc_0000_dead_beef, // quiet NaN with a payload
        0x7ff0_0000_0000_0001, // signaling NaNs
        0xfff4_0000_0000_0000,
        0x7ff7_ffff_ffff_ffff,
        0x0000_0000_0000_0001, // subnormals
        0x000f_ffff_ffff_ffff,
        0x8000_0000_0000_0001,
        0x0008_0000_0000_0000,
        0x3ff0_0000_0000_0001, // 1 + ulp
        0x3fef_ffff_ffff_ffff, // 1 - ulp/2
    ];
    values.iter().map(|v| v.to_bits()).chain(raw).collect()
}

/// Single-precision values at the edges.
fn f32_edges() -> Vec<u32> {
    let values: [f32; 32] = [
        0.0,
        -0.0,
        f32::INFINITY,
        f32::NEG_INFINITY,
        1.0,
        -1.0,
        0.5,
        -0.5,
        1.5,
        2.5,
        -2.5,
        3.0,
        0.1,
        -7.0,
        f32::MAX,
        -f32::MAX,
        f32::MIN_POSITIVE,
        -f32::MIN_POSITIVE,
        2147483648.0,
        -2147483648.0,
        2147483520.0,
        4294967040.0,
        4294967296.0,
        9223372036854775808.0,
        -9223372036854775808.0,
        9223371487098961920.0,
        18446744073709551616.0,
        16777216.0,
        16777215.0,
        1e10,
        1e-40,
        -3e-39,
    ];
    let raw = [
        0x7fc0_0000, // canonical quiet NaN
        0xffc0_0000,
        0x7fc0_beef, // quiet NaN with a payload
        0x7f80_0001, // signaling NaNs
        0xffa0_0000,
        0x7fbf_ffff,
        0x0000_0001, // subnormals
        0x007f_ffff,
        0x8000_0001,
        0x3f80_0001, // 1 + ulp
    ];
    values.iter().map(|v| v.to_bits()).chain(raw).collect()
}

/// Bits of a single-precision value: an edge or random.
pub fn f32_bits(rng: &mut Rng) -> u32 {
    if rng.chance(75) {
        rng.pick(&f32_edges())
    } else {
        rng.next() as u32
    }
}

/// Bits of a double-precision value: an edge or random.
pub fn f64_bits(rng: &mut Rng) -> u64 {
    if rng.chance(75) {
        rng.pick(&f64_edges())
    } else {
        rng.next()
    }
}

/// An FP register value: a NaN-boxed single, a double, a single that is not properly
/// boxed (which single-precision operations must read as the canonical NaN), or random.
pub fn fp_value(rng: &mut Rng) -> u64 {
    match rng.below(20) {
        0..=7 => 0xffff_ffff_0000_0000 | u64::from(f32_bits(rng)),
        8..=16 => f64_bits(rng),
        17 | 18 => {
            let random = rng.next() as u32;
            let upper = rng.pick(&[0, 0xffff_fffe, 0x7fff_ffff, random]);
            (u64::from(upper) << 32) | u64::from(f32_bits(rng))
        }
        _ => rng.next(),
    }
}

/// A memory or register value of either kind.
pub fn any_value(rng: &mut Rng) -> u64 {
    if rng.chance(50) {
        int_value(rng)
    } else {
        fp_value(rng)
    }
}

/// A valid `fcsr`: any flags, a rounding mode 0..=4.
pub fn fcsr_value(rng: &mut Rng) -> u64 {
    (rng.below(5) << 5) | rng.below(32)
}
