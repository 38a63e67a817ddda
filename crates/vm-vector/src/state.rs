//! The vector state of one hart: the register file, `vl`, `vtype`, `vstart`, `vxrm`,
//! `vxsat`, and the accessors every instruction goes through.
//!
//! The 32 registers are one flat little-endian byte array, so a register group (LMUL > 1)
//! is simply consecutive registers: element `i` of width `w` bytes of the group starting
//! at register `r` is at byte `r * VLENB + i * w`. Accessors never panic: an element
//! outside the file reads as zero and is not written (the executors check register
//! groups against `vtype` first, so that never happens for a legal instruction).

use crate::{VTrap, VLEN, VLENB};

/// `vtype.vill`: the last `vsetvl*` asked for an unsupported configuration.
pub const VTYPE_VILL: u64 = 1 << 63;

/// The architectural vector state. `#[repr(C)]` because compiled code will reach it
/// through the CPU state at fixed offsets.
#[repr(C, align(16))]
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct VectorState {
    /// `v0..v31`, `VLENB` bytes each, little-endian elements.
    pub regs: [u8; 32 * VLENB],
    /// The vector length.
    pub vl: u64,
    /// The raw `vtype` CSR (`VTYPE_VILL` when the configuration is unsupported).
    pub vtype: u64,
    /// The element to start at (non-zero only after a trap in the middle of a load or
    /// store, or when the program writes it).
    pub vstart: u64,
    /// The fixed-point rounding mode (2 bits).
    pub vxrm: u8,
    /// The fixed-point saturation flag (1 bit).
    pub vxsat: u8,
}

impl Default for VectorState {
    /// The state a new process starts with: registers zero, `vl = 0`, and `vtype.vill`
    /// set, so that vector instructions other than `vsetvl*` are illegal until the
    /// program configures the unit (as qemu's reset state).
    fn default() -> Self {
        VectorState {
            regs: [0; 32 * VLENB],
            vl: 0,
            vtype: VTYPE_VILL,
            vstart: 0,
            vxrm: 0,
            vxsat: 0,
        }
    }
}

/// A decoded, supported `vtype`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct VType {
    /// log2 of the element width in bytes (0 for 8-bit elements .. 3 for 64-bit).
    pub sew_log2: u32,
    /// log2 of LMUL, `-3..=3`.
    pub lmul_log2: i32,
    /// Tail agnostic. vm treats agnostic like undisturbed (allowed, and what qemu does).
    pub ta: bool,
    /// Mask agnostic, likewise treated as undisturbed.
    pub ma: bool,
}

impl VType {
    /// Decodes a raw `vtype` value; `None` for `vill` or an unsupported configuration:
    /// reserved bits set, SEW above ELEN (64), the reserved LMUL encoding, or a
    /// fractional LMUL too small to hold one element (SEW > VLEN * LMUL). The
    /// specification requires SEW up to ELEN * LMUL and leaves larger ones to the
    /// implementation; like qemu, vm takes every one with a VLMAX of at least 1.
    pub fn decode(raw: u64) -> Option<VType> {
        if raw >> 8 != 0 {
            return None;
        }
        let vsew = ((raw >> 3) & 7) as u32;
        let vlmul = (raw & 7) as i32;
        if vsew > 3 || vlmul == 4 {
            return None;
        }
        let lmul_log2 = if vlmul >= 4 { vlmul - 8 } else { vlmul };
        // SEW <= VLEN * LMUL, with SEW = 2^(3 + vsew) bits.
        if (3 + vsew as i32) > VLEN.trailing_zeros() as i32 + lmul_log2 {
            return None;
        }
        Some(VType {
            sew_log2: vsew,
            lmul_log2,
            ta: raw & 0x40 != 0,
            ma: raw & 0x80 != 0,
        })
    }

    /// SEW in bytes.
    pub const fn sew_bytes(self) -> usize {
        1 << self.sew_log2
    }

    /// SEW in bits.
    pub const fn sew_bits(self) -> u32 {
        8 << self.sew_log2
    }

    /// VLMAX = LMUL * VLEN / SEW.
    pub const fn vlmax(self) -> u64 {
        let bits = if self.lmul_log2 >= 0 {
            (VLEN as u64) << self.lmul_log2
        } else {
            (VLEN as u64) >> -self.lmul_log2
        };
        bits / self.sew_bits() as u64
    }

    /// Registers in a group of this LMUL (1 for fractional LMUL).
    pub const fn regs_per_group(self) -> u32 {
        if self.lmul_log2 > 0 {
            1 << self.lmul_log2
        } else {
            1
        }
    }
}

/// Checks that the register group starting at `reg` with `2^emul_log2` registers is
/// legal: EMUL at most 8, `reg` a multiple of the group size. EMUL below 1/8 is illegal
/// too (it only arises from widening or index EEWs).
pub fn check_group(reg: u8, emul_log2: i32) -> Result<(), VTrap> {
    if !(-3..=3).contains(&emul_log2) {
        return Err(VTrap::Illegal);
    }
    let size = if emul_log2 > 0 { 1u32 << emul_log2 } else { 1 };
    if !(reg as u32).is_multiple_of(size) || reg as u32 + size > 32 {
        return Err(VTrap::Illegal);
    }
    Ok(())
}

/// Whether groups `[a, a + a_regs)` and `[b, b + b_regs)` share a register.
pub fn groups_overlap(a: u8, a_regs: u32, b: u8, b_regs: u32) -> bool {
    let (a, b) = (a as u32, b as u32);
    a < b + b_regs && b < a + a_regs
}

/// The `N` bytes of `regs` at `at`, if they are inside it.
#[inline]
fn fixed<const N: usize>(regs: &[u8], at: usize) -> Option<[u8; N]> {
    regs.get(at..at + N)?.try_into().ok()
}

/// Writes `bytes` into `regs` at `at`, if they fit.
#[inline]
fn put<const N: usize>(regs: &mut [u8], at: usize, bytes: [u8; N]) {
    if let Some(b) = regs.get_mut(at..at + N) {
        b.copy_from_slice(&bytes);
    }
}

impl VectorState {
    /// The current configuration, or an illegal-instruction trap if `vill` is set.
    pub fn vtype(&self) -> Result<VType, VTrap> {
        VType::decode(self.vtype).ok_or(VTrap::Illegal)
    }

    /// Element `i` of width `bytes` (1, 2, 4, 8) of the group starting at `reg`,
    /// zero-extended.
    #[inline]
    pub fn get(&self, reg: u8, bytes: usize, i: usize) -> u64 {
        let at = reg as usize * VLENB + i * bytes;
        // One fixed-size read per width: a copy of a variable length is a call to
        // memmove, which cost vectorised loops a tenth of their time.
        let r = &self.regs;
        match bytes {
            1 => r.get(at).map_or(0, |&b| b as u64),
            2 => fixed(r, at).map_or(0, |b| u16::from_le_bytes(b) as u64),
            4 => fixed(r, at).map_or(0, |b| u32::from_le_bytes(b) as u64),
            _ => fixed(r, at).map_or(0, u64::from_le_bytes),
        }
    }

    /// Element `i` of width `bytes`, sign-extended to 64 bits.
    #[inline]
    pub fn get_signed(&self, reg: u8, bytes: usize, i: usize) -> i64 {
        let shift = 64 - 8 * bytes as u32;
        ((self.get(reg, bytes, i) << shift) as i64) >> shift
    }

    /// Sets element `i` of width `bytes` of the group starting at `reg` to the low bytes
    /// of `value`.
    #[inline]
    pub fn set(&mut self, reg: u8, bytes: usize, i: usize, value: u64) {
        let at = reg as usize * VLENB + i * bytes;
        let r = &mut self.regs;
        match bytes {
            1 => {
                if let Some(b) = r.get_mut(at) {
                    *b = value as u8;
                }
            }
            2 => put(r, at, (value as u16).to_le_bytes()),
            4 => put(r, at, (value as u32).to_le_bytes()),
            _ => put(r, at, value.to_le_bytes()),
        }
    }

    /// Bit `i` of mask register `reg`.
    #[inline]
    pub fn mask_bit(&self, reg: u8, i: usize) -> bool {
        let at = reg as usize * VLENB + i / 8;
        self.regs.get(at).is_some_and(|b| b >> (i % 8) & 1 != 0)
    }

    /// Sets bit `i` of mask register `reg`.
    #[inline]
    pub fn set_mask_bit(&mut self, reg: u8, i: usize, bit: bool) {
        let at = reg as usize * VLENB + i / 8;
        if let Some(b) = self.regs.get_mut(at) {
            *b = (*b & !(1 << (i % 8))) | ((bit as u8) << (i % 8));
        }
    }

    /// Whether element `i` takes part: always when unmasked, else when `v0`'s bit is set.
    #[inline]
    pub fn active(&self, masked: bool, i: usize) -> bool {
        !masked || self.mask_bit(0, i)
    }

    /// The elements `vstart..vl` an instruction works on, and the reset of `vstart` that
    /// every vector instruction ends with.
    pub fn body(&mut self) -> std::ops::Range<usize> {
        let range = self.vstart.min(self.vl) as usize..self.vl as usize;
        self.vstart = 0;
        range
    }
}
