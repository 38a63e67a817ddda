//! One floating-point element at a time: the element widths, and [`Fpu`], which runs an
//! operation on element bits through `vm_fpu` (or the SoftFloat door for what `vm_fpu`
//! lacks) with the instruction's rounding mode and accumulates the flags it raises.
//!
//! Elements are raw bits in the low SEW bits of a `u64`. `vm_fpu` works on FP register
//! values, where singles are NaN-boxed; [`Width::to_reg`] and [`Width::element_of`] cross
//! between the two, so an element never reads as "improperly boxed".

use super::softfloat;
use vm_fpu::{fflags, FpFmt, FpOp, IntKind, Rounding};

/// The width of an FP element: SEW 16, 32 or 64.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Width {
    H,
    S,
    D,
}

/// The half-precision canonical NaN.
const CANONICAL_NAN_H: u64 = 0x7e00;

impl Width {
    /// The width of SEW = `bytes`; `None` for SEW = 8, which has no FP format.
    pub(crate) fn of_bytes(bytes: usize) -> Option<Width> {
        match bytes {
            2 => Some(Width::H),
            4 => Some(Width::S),
            8 => Some(Width::D),
            _ => None,
        }
    }

    pub(crate) const fn bytes(self) -> usize {
        match self {
            Width::H => 2,
            Width::S => 4,
            Width::D => 8,
        }
    }

    /// `vm_fpu`'s format; half precision is not one, and callers never ask for it (the
    /// only f16 operations go through the SoftFloat door).
    fn fmt(self) -> FpFmt {
        match self {
            Width::D => FpFmt::D,
            Width::S => FpFmt::S,
            Width::H => FpFmt::H,
        }
    }

    /// The FP register value holding element `bits` (NaN-boxed below 64 bits).
    pub(crate) const fn to_reg(self, bits: u64) -> u64 {
        match self {
            Width::H => bits | !0xffff,
            Width::S => bits | !0xffff_ffff,
            Width::D => bits,
        }
    }

    /// The element bits of an FP register value that is known to be boxed.
    const fn element_of(self, reg: u64) -> u64 {
        match self {
            Width::H => reg & 0xffff,
            Width::S => reg & 0xffff_ffff,
            Width::D => reg,
        }
    }

    /// Reads an `f` register as an operand of this width: a value that is not properly
    /// NaN-boxed reads as the canonical NaN, as the F and V extensions require.
    pub(crate) const fn unbox(self, reg: u64) -> u64 {
        match self {
            Width::H if reg >> 16 == u64::MAX >> 16 => reg & 0xffff,
            Width::H => CANONICAL_NAN_H,
            Width::S => vm_fpu::unbox_s(reg) as u64,
            Width::D => reg,
        }
    }
}

/// The floating-point unit as one vector instruction sees it: the rounding mode and the
/// flags raised so far (starting with `fflags`, so `vm_fpu`'s fast path applies).
pub(crate) struct Fpu {
    pub(crate) rm: Rounding,
    pub(crate) flags: u32,
}

impl Fpu {
    /// `op` on elements of width `w` (S or D): arithmetic, fused, min/max, sign
    /// injection, compares (0 or 1), `Class` (the 10-bit mask), square root.
    pub(crate) fn arith(&mut self, op: FpOp, w: Width, a: u64, b: u64, c: u64) -> u64 {
        let (a, b, c) = (w.to_reg(a), w.to_reg(b), w.to_reg(c));
        let out = vm_fpu::execute_after(op, w.fmt(), self.rm, a, b, c, self.flags);
        self.flags |= out.flags;
        match op {
            FpOp::Eq | FpOp::Lt | FpOp::Le | FpOp::Class => out.value,
            _ => w.element_of(out.value),
        }
    }

    /// Converts element `a` of width `w` to an integer of `kind`, rounding with `rm`;
    /// 32-bit results are sign-extended (callers truncate to their width).
    pub(crate) fn float_to_int(&mut self, w: Width, kind: IntKind, rm: Rounding, a: u64) -> u64 {
        let (value, flags) = self.float_to_int_exact(w, kind, rm, a);
        self.flags |= flags;
        value
    }

    fn float_to_int_exact(&self, w: Width, kind: IntKind, rm: Rounding, a: u64) -> (u64, u32) {
        let out = vm_fpu::execute(FpOp::ToInt(kind), w.fmt(), rm, w.to_reg(a), 0, 0);
        (out.value, out.flags)
    }

    /// Converts f32 element `a` to a 16-bit integer (`vfncvt.x[u].f.w` at SEW = 16),
    /// rounding with `rm`: out of range saturates and raises only NV.
    pub(crate) fn float_to_int16(&mut self, signed: bool, rm: Rounding, a: u64) -> u64 {
        let kind = if signed { IntKind::W } else { IntKind::WU };
        let (value, flags) = self.float_to_int_exact(Width::S, kind, rm, a);
        let (value, flags) = if signed {
            let x = value as i32;
            match i16::try_from(x) {
                Ok(_) => (value, flags),
                Err(_) if x < 0 => (i16::MIN as u64, fflags::NV),
                Err(_) => (i16::MAX as u64, fflags::NV),
            }
        } else if value as u32 > 0xffff {
            (0xffff, fflags::NV)
        } else {
            (value, flags)
        };
        self.flags |= flags;
        value & 0xffff
    }

    /// Converts integer `x` of `kind` (the low 32 bits for `W`/`WU`) to width `w`.
    pub(crate) fn int_to_float(&mut self, w: Width, kind: IntKind, x: u64) -> u64 {
        let out = vm_fpu::execute(FpOp::FromInt(kind), w.fmt(), self.rm, x, 0, 0);
        self.flags |= out.flags;
        w.element_of(out.value)
    }

    /// Converts element `a` from width `from` to width `to` (one step, either way),
    /// rounding with the instruction's mode when narrowing.
    pub(crate) fn convert(&mut self, from: Width, to: Width, a: u64) -> u64 {
        let op = FpOp::FromFmt(from.fmt());
        let out = vm_fpu::execute(op, to.fmt(), self.rm, from.to_reg(a), 0, 0);
        self.flags |= out.flags;
        to.element_of(out.value)
    }

    /// Narrows f64 element `a` to f32, rounding to odd.
    pub(crate) fn narrow_to_odd(&mut self, a: u64) -> u64 {
        let (value, flags) = softfloat::f64_to_f32_odd(a);
        self.flags |= flags;
        value
    }

    /// Raises `flags` (from an operation computed here, such as the estimates).
    pub(crate) fn raise(&mut self, flags: u32) {
        self.flags |= flags;
    }
}
