//! Floating point: arithmetic, fused multiply-adds, widening and narrowing,
//! conversions, compares, classify, square root and estimates, moves, merges, slides
//! and reductions, with exact flags and rounding through `vm_fpu`.
//!
//! Every instruction rounds with `frm` (vector FP has no static rounding mode, but the
//! `rtz`/`rod` conversions); an invalid `frm` makes every vector FP instruction illegal,
//! even one that does not round or has `vl = 0` (as the specification reserves and qemu
//! traps). Flags are accumulated over the active elements into `fflags` only when the
//! instruction completes.
//!
//! Formats (what qemu's `rva23u64` has: Zve64d and Zvfhmin, not Zvfh): SEW 32 and 64
//! for every operation; SEW 16 only for the conversions whose FP side is f32 or wider
//! plus Zvfhmin's two f16 conversions (`vfwcvt.f.f.v` from f16, `vfncvt.f.f.w` to f16);
//! SEW 8 never.
//!
//! Scalar operands (`.vf`) are read from the `f` register once, unboxed at SEW: a
//! single that is not properly NaN-boxed reads as the canonical NaN.
//!
//! Overlap rules (illegal otherwise), as the specification's section 5.2 and qemu:
//! a masked instruction writing elements may not write `v0`; a widening destination may
//! overlap a narrow source only in its highest-numbered half when the source's LMUL is
//! at least 1; a narrowing destination may overlap its wide source only as its
//! lowest-numbered register(s), `vd == vs2`; a compare's mask destination may be a source's
//! first register but not overlap it otherwise; `vfslide1up`'s destination may not
//! overlap its source. Within those rules every loop reads an element's operands before
//! it writes anything a later element reads, so the element order is safe.

mod elem;
mod estimate;
mod softfloat;

use crate::integer::check_single_width;
use crate::state::{check_group, groups_overlap, VType, VectorState};
use crate::VTrap;
use elem::{Fpu, Width};
use vm_fpu::{FpOp, IntKind, Rounding};
use vm_ir::vector::{VArith, VArithOp, VSrc};

/// The `fflags` bits of `fcsr`.
const FFLAGS: u32 = 0x1f;
/// Where `frm` starts in `fcsr`.
const FRM_SHIFT: u32 = 5;

pub(crate) fn execute(
    v: &mut VectorState,
    insn: &VArith,
    regs: &mut [u64],
    fcsr: &mut u32,
) -> Result<(), VTrap> {
    use VArithOp::*;
    let vt = v.vtype()?;
    let rm = Rounding::from_bits((*fcsr >> FRM_SHIFT) & 7)
        .filter(|r| *r != Rounding::Dyn)
        .ok_or(VTrap::Illegal)?;
    let w = Width::of_bytes(vt.sew_bytes()).ok_or(VTrap::Illegal)?;
    let mut fpu = Fpu {
        rm,
        flags: *fcsr & FFLAGS,
    };
    let x = Exec {
        vt,
        w,
        insn,
        fpu: &mut fpu,
    };
    match insn.op {
        FAdd | FSub | FRSub | FMul | FDiv | FRDiv | FMin | FMax | FSgnj | FSgnjn | FSgnjx => {
            x.binary(v, regs)
        }
        FMAdd | FNMAdd | FMSub | FNMSub | FMAcc | FNMAcc | FMSac | FNMSac => x.fused(v, regs),
        MFeq | MFne | MFlt | MFle | MFgt | MFge => x.compare(v, regs),
        FSqrt | FRSqrt7 | FRec7 | FClass | FCvtXUF | FCvtXF | FCvtFXU | FCvtFX | FCvtRtzXUF
        | FCvtRtzXF => x.unary(v),
        FWAdd | FWSub | FWAddW | FWSubW | FWMul | FWMAcc | FWNMAcc | FWMSac | FWNMSac => {
            x.widening(v, regs)
        }
        FWCvtXUF | FWCvtXF | FWCvtFXU | FWCvtFX | FWCvtFF | FWCvtRtzXUF | FWCvtRtzXF => {
            x.widening_convert(v)
        }
        FNCvtXUF | FNCvtXF | FNCvtFXU | FNCvtFX | FNCvtFF | FNCvtRodFF | FNCvtRtzXUF
        | FNCvtRtzXF => x.narrowing_convert(v),
        FMerge | FMvVF => x.merge(v, regs),
        FMvFS | FMvSF => x.scalar_move(v, regs),
        FSlide1Up | FSlide1Down => x.slide1(v, regs),
        FRedUSum | FRedOSum | FRedMin | FRedMax | FWRedUSum | FWRedOSum => x.reduce(v),
        _ => Err(VTrap::Illegal),
    }?;
    *fcsr |= fpu.flags & FFLAGS;
    Ok(())
}

/// The second operand: a vector register group, or an `f` register read once at SEW.
#[derive(Clone, Copy)]
enum Operand {
    Vector(u8),
    Scalar(u64),
}

impl Operand {
    fn new(src: VSrc, regs: &[u64], w: Width) -> Operand {
        match src {
            VSrc::V(r) => Operand::Vector(r),
            VSrc::F(slot) | VSrc::X(slot) => {
                Operand::Scalar(w.unbox(regs.get(slot as usize).copied().unwrap_or(0)))
            }
            VSrc::Imm(_) | VSrc::None => Operand::Scalar(0),
        }
    }

    fn get(self, v: &VectorState, w: Width, i: usize) -> u64 {
        match self {
            Operand::Vector(r) => v.get(r, w.bytes(), i),
            Operand::Scalar(x) => x,
        }
    }
}

/// Registers in a group of EMUL `2^emul_log2` (1 when fractional).
const fn group_regs(emul_log2: i32) -> u32 {
    if emul_log2 > 0 {
        1 << emul_log2
    } else {
        1
    }
}

/// The integer kind of an element of width `w` (32 or 64 bits).
fn int_kind(w: Width, signed: bool) -> IntKind {
    match (w, signed) {
        (Width::D, true) => IntKind::L,
        (Width::D, false) => IntKind::LU,
        (_, true) => IntKind::W,
        (_, false) => IntKind::WU,
    }
}

/// Sign-extends the low `bytes` bytes of `x`.
const fn sext(x: u64, bytes: usize) -> u64 {
    let shift = 64 - 8 * bytes as u32;
    (((x << shift) as i64) >> shift) as u64
}

/// One instruction in flight: its configuration, element width and FPU context.
struct Exec<'a> {
    vt: VType,
    w: Width,
    insn: &'a VArith,
    fpu: &'a mut Fpu,
}

impl Exec<'_> {
    /// SEW 32 or 64: the operation works on elements of SEW (f16 needs Zvfh).
    fn require_single_or_double(&self) -> Result<(), VTrap> {
        match self.w {
            Width::S | Width::D => Ok(()),
            Width::H => Err(VTrap::Illegal),
        }
    }

    /// The widening instructions other than `vfwcvt.f.f`/`vfwcvt.f.x*` read f32 at SEW.
    fn require_single(&self) -> Result<(), VTrap> {
        match self.w {
            Width::S => Ok(()),
            Width::H | Width::D => Err(VTrap::Illegal),
        }
    }

    /// SEW 16 or 32, the narrow side of a conversion whose wide side is f32 or f64.
    fn require_half_or_single(&self) -> Result<(), VTrap> {
        match self.w {
            Width::H | Width::S => Ok(()),
            Width::D => Err(VTrap::Illegal),
        }
    }

    /// The width twice SEW.
    fn wide(&self) -> Width {
        match self.w {
            Width::H => Width::S,
            Width::S | Width::D => Width::D,
        }
    }

    /// A masked instruction writing element data may not write `v0`.
    fn check_mask_destination(&self, vd_regs: u32) -> Result<(), VTrap> {
        if self.insn.masked && groups_overlap(self.insn.vd, vd_regs, 0, 1) {
            return Err(VTrap::Illegal);
        }
        Ok(())
    }

    /// Groups of a widening instruction: `vd` at 2*LMUL, `vs2` at 2*LMUL when
    /// `wide_vs2` (the `.w` forms) or else at LMUL like `vs1`.
    fn check_widening(&self, wide_vs2: bool) -> Result<(), VTrap> {
        let lmul = self.vt.lmul_log2;
        let insn = self.insn;
        check_group(insn.vd, lmul + 1)?;
        let (vd_regs, narrow_regs) = (group_regs(lmul + 1), group_regs(lmul));
        // A narrow source may overlap only the destination's upper half, and only
        // when it is at least one whole register.
        let narrow_ok = |r: u8| {
            !groups_overlap(insn.vd, vd_regs, r, narrow_regs)
                || (lmul >= 0 && r as u32 == insn.vd as u32 + narrow_regs)
        };
        if wide_vs2 {
            check_group(insn.vs2, lmul + 1)?;
        } else {
            check_group(insn.vs2, lmul)?;
            if !narrow_ok(insn.vs2) {
                return Err(VTrap::Illegal);
            }
        }
        if let VSrc::V(r) = insn.src {
            check_group(r, lmul)?;
            if !narrow_ok(r) {
                return Err(VTrap::Illegal);
            }
        }
        self.check_mask_destination(vd_regs)
    }

    /// Groups of a narrowing instruction: `vd` at LMUL, `vs2` at 2*LMUL.
    fn check_narrowing(&self) -> Result<(), VTrap> {
        let lmul = self.vt.lmul_log2;
        let insn = self.insn;
        check_group(insn.vd, lmul)?;
        check_group(insn.vs2, lmul + 1)?;
        let vd_regs = group_regs(lmul);
        if insn.vd != insn.vs2 && groups_overlap(insn.vd, vd_regs, insn.vs2, group_regs(lmul + 1)) {
            return Err(VTrap::Illegal);
        }
        self.check_mask_destination(vd_regs)
    }

    /// `vd = op(vs2, src)`, `vfr*` with the operands swapped.
    fn binary(self, v: &mut VectorState, regs: &[u64]) -> Result<(), VTrap> {
        use VArithOp::*;
        self.require_single_or_double()?;
        check_single_width(self.vt, self.insn)?;
        let (op, swap) = match self.insn.op {
            FAdd => (FpOp::Add, false),
            FSub => (FpOp::Sub, false),
            FRSub => (FpOp::Sub, true),
            FMul => (FpOp::Mul, false),
            FDiv => (FpOp::Div, false),
            FRDiv => (FpOp::Div, true),
            FMin => (FpOp::Min, false),
            FMax => (FpOp::Max, false),
            FSgnj => (FpOp::SgnJ, false),
            FSgnjn => (FpOp::SgnJN, false),
            FSgnjx => (FpOp::SgnJX, false),
            _ => return Err(VTrap::Illegal),
        };
        let (w, insn) = (self.w, self.insn);
        let src = Operand::new(insn.src, regs, w);
        for i in v.body() {
            if !v.active(insn.masked, i) {
                continue;
            }
            let (a, b) = (v.get(insn.vs2, w.bytes(), i), src.get(v, w, i));
            let (x, y) = if swap { (b, a) } else { (a, b) };
            let r = self.fpu.arith(op, w, x, y, 0);
            v.set(insn.vd, w.bytes(), i, r);
        }
        Ok(())
    }

    /// The fused multiply-adds: `*acc` multiply `vs1`/`rs1` by `vs2` and add or
    /// subtract `vd`; `*add`/`*sub` multiply it by `vd` and add or subtract `vs2`.
    fn fused(self, v: &mut VectorState, regs: &[u64]) -> Result<(), VTrap> {
        use VArithOp::*;
        self.require_single_or_double()?;
        check_single_width(self.vt, self.insn)?;
        let (op, times_vd) = match self.insn.op {
            FMAcc => (FpOp::MulAdd, false),
            FNMAcc => (FpOp::NegMulAdd, false),
            FMSac => (FpOp::MulSub, false),
            FNMSac => (FpOp::NegMulSub, false),
            FMAdd => (FpOp::MulAdd, true),
            FNMAdd => (FpOp::NegMulAdd, true),
            FMSub => (FpOp::MulSub, true),
            FNMSub => (FpOp::NegMulSub, true),
            _ => return Err(VTrap::Illegal),
        };
        let (w, insn) = (self.w, self.insn);
        let src = Operand::new(insn.src, regs, w);
        for i in v.body() {
            if !v.active(insn.masked, i) {
                continue;
            }
            let (a, b, d) = (
                v.get(insn.vs2, w.bytes(), i),
                src.get(v, w, i),
                v.get(insn.vd, w.bytes(), i),
            );
            let r = if times_vd {
                self.fpu.arith(op, w, b, d, a)
            } else {
                self.fpu.arith(op, w, b, a, d)
            };
            v.set(insn.vd, w.bytes(), i, r);
        }
        Ok(())
    }

    /// `vmf*`: a mask of `vs2 op src`. `eq`/`ne` are quiet (NV only for signalling
    /// NaNs); `lt`/`le`/`gt`/`ge` signal on any NaN.
    fn compare(self, v: &mut VectorState, regs: &[u64]) -> Result<(), VTrap> {
        use VArithOp::*;
        self.require_single_or_double()?;
        let (lmul, insn) = (self.vt.lmul_log2, self.insn);
        for r in vec_sources(insn.vs2, insn.src) {
            check_group(r, lmul)?;
            if r != insn.vd && groups_overlap(insn.vd, 1, r, group_regs(lmul)) {
                return Err(VTrap::Illegal);
            }
        }
        let (op, swap, negate) = match insn.op {
            MFeq => (FpOp::Eq, false, false),
            MFne => (FpOp::Eq, false, true),
            MFlt => (FpOp::Lt, false, false),
            MFle => (FpOp::Le, false, false),
            MFgt => (FpOp::Lt, true, false),
            MFge => (FpOp::Le, true, false),
            _ => return Err(VTrap::Illegal),
        };
        let w = self.w;
        let src = Operand::new(insn.src, regs, w);
        for i in v.body() {
            if !v.active(insn.masked, i) {
                continue;
            }
            let (a, b) = (v.get(insn.vs2, w.bytes(), i), src.get(v, w, i));
            let (x, y) = if swap { (b, a) } else { (a, b) };
            let holds = self.fpu.arith(op, w, x, y, 0) != 0;
            // Bit i lies in element i / (8 * SEW) or below of a source sharing `vd`:
            // already read.
            v.set_mask_bit(insn.vd, i, holds != negate);
        }
        Ok(())
    }

    /// Single-width unary operations on `vs2`: square root, estimates, classify and
    /// the conversions between FP and integers of the same width.
    fn unary(self, v: &mut VectorState) -> Result<(), VTrap> {
        use VArithOp::*;
        self.require_single_or_double()?;
        check_single_width(self.vt, self.insn)?;
        let (w, insn, rm) = (self.w, self.insn, self.fpu.rm);
        for i in v.body() {
            if !v.active(insn.masked, i) {
                continue;
            }
            let a = v.get(insn.vs2, w.bytes(), i);
            let fpu = &mut *self.fpu;
            let r = match insn.op {
                FSqrt => fpu.arith(FpOp::Sqrt, w, a, 0, 0),
                FClass => fpu.arith(FpOp::Class, w, a, 0, 0),
                FRSqrt7 => {
                    let (r, flags) = estimate::rsqrt7(w, a);
                    fpu.raise(flags);
                    r
                }
                FRec7 => {
                    let (r, flags) = estimate::rec7(w, a, rm);
                    fpu.raise(flags);
                    r
                }
                FCvtXUF => fpu.float_to_int(w, int_kind(w, false), rm, a),
                FCvtXF => fpu.float_to_int(w, int_kind(w, true), rm, a),
                FCvtRtzXUF => fpu.float_to_int(w, int_kind(w, false), Rounding::Rtz, a),
                FCvtRtzXF => fpu.float_to_int(w, int_kind(w, true), Rounding::Rtz, a),
                FCvtFXU => fpu.int_to_float(w, int_kind(w, false), a),
                FCvtFX => fpu.int_to_float(w, int_kind(w, true), a),
                _ => return Err(VTrap::Illegal),
            };
            v.set(insn.vd, w.bytes(), i, r);
        }
        Ok(())
    }

    /// `vfw{add,sub,mul}` and the widening multiply-adds: f32 operands widened
    /// exactly to f64 (a signalling NaN raising NV there), then one f64 operation.
    fn widening(self, v: &mut VectorState, regs: &[u64]) -> Result<(), VTrap> {
        use VArithOp::*;
        self.require_single()?;
        let wide_vs2 = matches!(self.insn.op, FWAddW | FWSubW);
        self.check_widening(wide_vs2)?;
        let insn = self.insn;
        let (s, d) = (Width::S, Width::D);
        let src = Operand::new(insn.src, regs, s);
        for i in v.body() {
            if !v.active(insn.masked, i) {
                continue;
            }
            let fpu = &mut *self.fpu;
            let a = if wide_vs2 {
                v.get(insn.vs2, 8, i)
            } else {
                fpu.convert(s, d, v.get(insn.vs2, 4, i))
            };
            let b = fpu.convert(s, d, src.get(v, s, i));
            let acc = v.get(insn.vd, 8, i);
            let r = match insn.op {
                FWAdd | FWAddW => fpu.arith(FpOp::Add, d, a, b, 0),
                FWSub | FWSubW => fpu.arith(FpOp::Sub, d, a, b, 0),
                FWMul => fpu.arith(FpOp::Mul, d, a, b, 0),
                FWMAcc => fpu.arith(FpOp::MulAdd, d, b, a, acc),
                FWNMAcc => fpu.arith(FpOp::NegMulAdd, d, b, a, acc),
                FWMSac => fpu.arith(FpOp::MulSub, d, b, a, acc),
                FWNMSac => fpu.arith(FpOp::NegMulSub, d, b, a, acc),
                _ => return Err(VTrap::Illegal),
            };
            v.set(insn.vd, 8, i, r);
        }
        Ok(())
    }

    /// `vfwcvt.*`: SEW elements of `vs2` to 2*SEW elements of `vd`.
    fn widening_convert(self, v: &mut VectorState) -> Result<(), VTrap> {
        use VArithOp::*;
        match self.insn.op {
            // From f16 (Zvfhmin) or f32; from 16- or 32-bit integers to f32 or f64.
            FWCvtFF | FWCvtFXU | FWCvtFX => self.require_half_or_single()?,
            // From f32 to 64-bit integers (from f16 needs Zvfh).
            _ => self.require_single()?,
        }
        self.check_widening(false)?;
        let (w, wide, insn, rm) = (self.w, self.wide(), self.insn, self.fpu.rm);
        for i in v.body() {
            if !v.active(insn.masked, i) {
                continue;
            }
            let a = v.get(insn.vs2, w.bytes(), i);
            let fpu = &mut *self.fpu;
            let r = match insn.op {
                FWCvtFF => fpu.convert(w, wide, a),
                FWCvtXUF => fpu.float_to_int(w, IntKind::LU, rm, a),
                FWCvtXF => fpu.float_to_int(w, IntKind::L, rm, a),
                FWCvtRtzXUF => fpu.float_to_int(w, IntKind::LU, Rounding::Rtz, a),
                FWCvtRtzXF => fpu.float_to_int(w, IntKind::L, Rounding::Rtz, a),
                FWCvtFXU => fpu.int_to_float(wide, IntKind::WU, a),
                FWCvtFX => fpu.int_to_float(wide, IntKind::W, sext(a, w.bytes())),
                _ => return Err(VTrap::Illegal),
            };
            v.set(insn.vd, wide.bytes(), i, r);
        }
        Ok(())
    }

    /// `vfncvt.*`: 2*SEW elements of `vs2` to SEW elements of `vd`.
    fn narrowing_convert(self, v: &mut VectorState) -> Result<(), VTrap> {
        use VArithOp::*;
        match self.insn.op {
            // To f16 (Zvfhmin) or f32; from f32 or f64 to 16- or 32-bit integers.
            FNCvtFF | FNCvtXUF | FNCvtXF | FNCvtRtzXUF | FNCvtRtzXF => {
                self.require_half_or_single()?
            }
            // To f32 only (f16 results of these need Zvfh).
            _ => self.require_single()?,
        }
        self.check_narrowing()?;
        let (w, wide, insn, rm) = (self.w, self.wide(), self.insn, self.fpu.rm);
        // f32 to 16-bit integers saturate at 16 bits; f64 to 32-bit ones in vm_fpu.
        let to_int = |fpu: &mut Fpu, signed: bool, rm: Rounding, a: u64| match w {
            Width::H => fpu.float_to_int16(signed, rm, a),
            _ => fpu.float_to_int(wide, int_kind(w, signed), rm, a),
        };
        for i in v.body() {
            if !v.active(insn.masked, i) {
                continue;
            }
            let a = v.get(insn.vs2, wide.bytes(), i);
            let fpu = &mut *self.fpu;
            let r = match insn.op {
                FNCvtFF => fpu.convert(wide, w, a),
                FNCvtRodFF => fpu.narrow_to_odd(a),
                FNCvtXUF => to_int(fpu, false, rm, a),
                FNCvtXF => to_int(fpu, true, rm, a),
                FNCvtRtzXUF => to_int(fpu, false, Rounding::Rtz, a),
                FNCvtRtzXF => to_int(fpu, true, Rounding::Rtz, a),
                FNCvtFXU => fpu.int_to_float(w, IntKind::LU, a),
                FNCvtFX => fpu.int_to_float(w, IntKind::L, a),
                _ => return Err(VTrap::Illegal),
            };
            v.set(insn.vd, w.bytes(), i, r);
        }
        Ok(())
    }

    /// `vfmerge.vfm` (`vd = v0 ? f : vs2`) and `vfmv.v.f` (`vd = f`).
    fn merge(self, v: &mut VectorState, regs: &[u64]) -> Result<(), VTrap> {
        self.require_single_or_double()?;
        let (w, insn, lmul) = (self.w, self.insn, self.vt.lmul_log2);
        check_group(insn.vd, lmul)?;
        let merge = insn.op == VArithOp::FMerge;
        if merge {
            check_group(insn.vs2, lmul)?;
            self.check_mask_destination(group_regs(lmul))?;
        }
        let Operand::Scalar(f) = Operand::new(insn.src, regs, w) else {
            return Err(VTrap::Illegal);
        };
        for i in v.body() {
            let value = if !merge || v.mask_bit(0, i) {
                f
            } else {
                v.get(insn.vs2, w.bytes(), i)
            };
            v.set(insn.vd, w.bytes(), i, value);
        }
        Ok(())
    }

    /// `vfmv.f.s` (`f[rd] = vs2[0]`, NaN-boxed, whatever `vl` and `vstart`) and
    /// `vfmv.s.f` (`vd[0] = f` when `vstart < vl`). Both ignore LMUL.
    fn scalar_move(self, v: &mut VectorState, regs: &mut [u64]) -> Result<(), VTrap> {
        self.require_single_or_double()?;
        let (w, insn) = (self.w, self.insn);
        if insn.op == VArithOp::FMvFS {
            let value = w.to_reg(v.get(insn.vs2, w.bytes(), 0));
            if let Some(slot) = regs.get_mut(insn.vd as usize) {
                *slot = value;
            }
            v.vstart = 0;
            return Ok(());
        }
        let Operand::Scalar(f) = Operand::new(insn.src, regs, w) else {
            return Err(VTrap::Illegal);
        };
        if !v.body().is_empty() {
            v.set(insn.vd, w.bytes(), 0, f);
        }
        Ok(())
    }

    /// `vfslide1up.vf` (`vd[0] = f`, `vd[i] = vs2[i - 1]`) and `vfslide1down.vf`
    /// (`vd[i] = vs2[i + 1]`, `vd[vl - 1] = f`).
    fn slide1(self, v: &mut VectorState, regs: &[u64]) -> Result<(), VTrap> {
        self.require_single_or_double()?;
        let (w, insn) = (self.w, self.insn);
        check_single_width(self.vt, insn)?;
        let up = insn.op == VArithOp::FSlide1Up;
        let n = self.vt.regs_per_group();
        if up && groups_overlap(insn.vd, n, insn.vs2, n) {
            return Err(VTrap::Illegal);
        }
        let Operand::Scalar(f) = Operand::new(insn.src, regs, w) else {
            return Err(VTrap::Illegal);
        };
        let vl = v.vl as usize;
        for i in v.body() {
            if !v.active(insn.masked, i) {
                continue;
            }
            let value = match (up, i) {
                (true, 0) => f,
                (true, _) => v.get(insn.vs2, w.bytes(), i - 1),
                (false, _) if i + 1 < vl => v.get(insn.vs2, w.bytes(), i + 1),
                (false, _) => f,
            };
            v.set(insn.vd, w.bytes(), i, value);
        }
        Ok(())
    }

    /// The reductions: `vd[0] = vs1[0] op vs2[active elements]`, in element order
    /// (qemu's order, which the unordered sums are allowed to use too). `vd` and `vs1`
    /// are single registers at the result width (2*SEW for `vfwred*`). Nothing is
    /// written when `vl = 0`; `vstart` must be 0.
    fn reduce(self, v: &mut VectorState) -> Result<(), VTrap> {
        use VArithOp::*;
        let widening = matches!(self.insn.op, FWRedUSum | FWRedOSum);
        if widening {
            self.require_single()?;
        } else {
            self.require_single_or_double()?;
        }
        let insn = self.insn;
        check_group(insn.vs2, self.vt.lmul_log2)?;
        let VSrc::V(vs1) = insn.src else {
            return Err(VTrap::Illegal);
        };
        if v.vstart != 0 {
            return Err(VTrap::Illegal);
        }
        let op = match insn.op {
            FRedUSum | FRedOSum | FWRedUSum | FWRedOSum => FpOp::Add,
            FRedMin => FpOp::Min,
            FRedMax => FpOp::Max,
            _ => return Err(VTrap::Illegal),
        };
        let (w, out) = if widening {
            (Width::S, Width::D)
        } else {
            (self.w, self.w)
        };
        let body = v.body();
        if body.is_empty() {
            return Ok(());
        }
        let mut acc = v.get(vs1, out.bytes(), 0);
        for i in body {
            if !v.active(insn.masked, i) {
                continue;
            }
            let mut x = v.get(insn.vs2, w.bytes(), i);
            if widening {
                x = self.fpu.convert(w, out, x);
            }
            acc = self.fpu.arith(op, out, acc, x, 0);
        }
        v.set(insn.vd, out.bytes(), 0, acc);
        Ok(())
    }
}

/// The vector register groups among `vs2` and `src`.
fn vec_sources(vs2: u8, src: VSrc) -> impl Iterator<Item = u8> {
    let vs1 = match src {
        VSrc::V(r) => Some(r),
        _ => None,
    };
    std::iter::once(vs2).chain(vs1)
}

#[cfg(test)]
mod tests;
