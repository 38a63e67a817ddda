//! Assembly text of the V extension's instructions, in objdump's `no-aliases,numeric`
//! syntax: `vadd.vv\tv1,v2,v3,v0.t`.

use crate::insn::{VArith, VAvl, VMem, VTypeSrc, XReg};
use std::fmt;
use vm_ir::vector::{VArithOp, VMemMode, VSrc};
use vm_ir::{Slot, FREG_BASE};

/// A scalar slot as its register name.
struct S(Slot);

impl fmt::Display for S {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.0 < FREG_BASE {
            write!(f, "x{}", self.0)
        } else {
            write!(f, "f{}", self.0 - FREG_BASE)
        }
    }
}

/// The `,v0.t` of a masked instruction.
struct Mask(bool);

impl fmt::Display for Mask {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.0 {
            write!(f, ",v0.t")
        } else {
            Ok(())
        }
    }
}

/// `vtype` as `e32,m1,ta,mu`, or the number when reserved bits are set.
fn vtype_text(bits: u16) -> String {
    let (vlmul, vsew) = (bits & 7, (bits >> 3) & 7);
    if bits >> 8 != 0 || vsew > 3 || vlmul == 4 {
        return format!("{bits}");
    }
    let lmul = ["m1", "m2", "m4", "m8", "", "mf8", "mf4", "mf2"][vlmul as usize];
    let ta = if bits & 0x40 != 0 { "ta" } else { "tu" };
    let ma = if bits & 0x80 != 0 { "ma" } else { "mu" };
    format!("e{},{lmul},{ta},{ma}", 8 << vsew)
}

pub(super) fn set_vl(
    f: &mut fmt::Formatter<'_>,
    rd: XReg,
    avl: VAvl,
    vtype: VTypeSrc,
) -> fmt::Result {
    let avl = match avl {
        VAvl::Reg(slot) => format!("{}", S(slot)),
        VAvl::Imm(n) => return write!(f, "vsetivli\t{rd},{n},{}", vtype_text(imm(vtype))),
        VAvl::Max | VAvl::Keep => "x0".to_string(),
    };
    match vtype {
        VTypeSrc::Imm(bits) => write!(f, "vsetvli\t{rd},{avl},{}", vtype_text(bits)),
        VTypeSrc::Reg(slot) => write!(f, "vsetvl\t{rd},{avl},{}", S(slot)),
    }
}

fn imm(vtype: VTypeSrc) -> u16 {
    match vtype {
        VTypeSrc::Imm(bits) => bits,
        VTypeSrc::Reg(_) => 0,
    }
}

pub(super) fn mem(f: &mut fmt::Formatter<'_>, m: &VMem) -> fmt::Result {
    let dir = if m.store { "s" } else { "l" };
    let bits = m.eew.bits();
    let seg = if m.nf > 1 {
        format!("seg{}", m.nf)
    } else {
        String::new()
    };
    let (vd, base, mask) = (m.vd, S(m.base), Mask(m.masked));
    match m.mode {
        VMemMode::Unit => write!(f, "v{dir}{seg}e{bits}.v\tv{vd},({base}){mask}"),
        VMemMode::FaultFirst => write!(f, "v{dir}{seg}e{bits}ff.v\tv{vd},({base}){mask}"),
        VMemMode::Strided(stride) => {
            write!(
                f,
                "v{dir}s{seg}e{bits}.v\tv{vd},({base}),{}{mask}",
                S(stride)
            )
        }
        VMemMode::Indexed { index, ordered } => {
            let o = if ordered { "o" } else { "u" };
            write!(
                f,
                "v{dir}{o}x{seg}ei{bits}.v\tv{vd},({base}),v{index}{mask}"
            )
        }
        VMemMode::WholeRegister if m.store => write!(f, "vs{}r.v\tv{vd},({base})", m.nf),
        VMemMode::WholeRegister => write!(f, "vl{}re{bits}.v\tv{vd},({base})", m.nf),
        VMemMode::Mask => write!(f, "v{dir}m.v\tv{vd},({base})"),
    }
}

/// The operand-form suffix letter of `src` (`v`, `x`, `f`, `i`).
fn form(src: VSrc) -> &'static str {
    match src {
        VSrc::V(_) => "v",
        VSrc::X(_) => "x",
        VSrc::F(_) => "f",
        VSrc::Imm(_) => "i",
        VSrc::None => "",
    }
}

fn operand(src: VSrc) -> String {
    match src {
        VSrc::V(r) => format!("v{r}"),
        VSrc::X(slot) | VSrc::F(slot) => format!("{}", S(slot)),
        VSrc::Imm(n) => format!("{n}"),
        VSrc::None => String::new(),
    }
}

pub(super) fn arith(f: &mut fmt::Formatter<'_>, a: &VArith) -> fmt::Result {
    use VArithOp::*;
    let name = a.op.mnemonic();
    let (vd, vs2, src, mask) = (a.vd, a.vs2, operand(a.src), Mask(a.masked));
    let k = form(a.src);
    match a.op {
        // Scalar results.
        MvXS => write!(f, "vmv.x.s\t{},v{vs2}", S(vd)),
        FMvFS => write!(f, "vfmv.f.s\t{},v{vs2}", S(vd)),
        CPopM | FirstM => write!(f, "{name}.m\t{},v{vs2}{mask}", S(vd)),
        MvSX | FMvSF => write!(f, "{name}\tv{vd},{src}"),
        MvV | FMvVF => write!(f, "{name}.{k}\tv{vd},{src}"),
        MvNr => write!(f, "vmv{src}r.v\tv{vd},v{vs2}"),
        Merge | FMerge | Adc | Sbc => write!(f, "{name}.v{k}m\tv{vd},v{vs2},{src},v0"),
        MAdc | MSbc if a.masked => write!(f, "{name}.v{k}m\tv{vd},v{vs2},{src},v0"),
        MAdc | MSbc => write!(f, "{name}.v{k}\tv{vd},v{vs2},{src}"),
        ZextVf2 | ZextVf4 | ZextVf8 | SextVf2 | SextVf4 | SextVf8 => {
            write!(f, "{name}\tv{vd},v{vs2}{mask}")
        }
        MSbf | MSif | MSof | Iota => write!(f, "{name}.m\tv{vd},v{vs2}{mask}"),
        Id => write!(f, "vid.v\tv{vd}{mask}"),
        Compress => write!(f, "vcompress.vm\tv{vd},v{vs2},{src}"),
        MAndN | MAnd | MOr | MXor | MOrN | MNand | MNor | MXnor => {
            write!(f, "{name}.mm\tv{vd},v{vs2},{src}")
        }
        RedSum | RedAnd | RedOr | RedXor | RedMinU | RedMin | RedMaxU | RedMax | WRedSumU
        | WRedSum | FRedUSum | FRedOSum | FRedMin | FRedMax | FWRedUSum | FWRedOSum => {
            write!(f, "{name}.vs\tv{vd},v{vs2},{src}{mask}")
        }
        // Multiply-adds list the multiplier operand first.
        MAdd | NMSub | MAcc | NMSac | WMAccU | WMAcc | WMAccUS | WMAccSU | FMAdd | FNMAdd
        | FMSub | FNMSub | FMAcc | FNMAcc | FMSac | FNMSac | FWMAcc | FWNMAcc | FWMSac
        | FWNMSac => write!(f, "{name}.v{k}\tv{vd},{src},v{vs2}{mask}"),
        NSrl | NSra | NClipU | NClip => write!(f, "{name}.w{k}\tv{vd},v{vs2},{src}{mask}"),
        Brev | Brev8 | Rev8 | Clz | Ctz | CPopV | FSqrt | FRSqrt7 | FRec7 | FClass | FCvtXUF
        | FCvtXF | FCvtFXU | FCvtFX | FCvtRtzXUF | FCvtRtzXF | FWCvtXUF | FWCvtXF | FWCvtFXU
        | FWCvtFX | FWCvtFF | FWCvtRtzXUF | FWCvtRtzXF => {
            write!(f, "{name}.v\tv{vd},v{vs2}{mask}")
        }
        FNCvtXUF | FNCvtXF | FNCvtFXU | FNCvtFX | FNCvtFF | FNCvtRodFF | FNCvtRtzXUF
        | FNCvtRtzXF => write!(f, "{name}.w\tv{vd},v{vs2}{mask}"),
        WAddUW | WAddW | WSubUW | WSubW | FWAddW | FWSubW => {
            write!(f, "{name}{k}\tv{vd},v{vs2},{src}{mask}")
        }
        _ => write!(f, "{name}.v{k}\tv{vd},v{vs2},{src}{mask}"),
    }
}
