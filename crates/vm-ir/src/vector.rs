//! The IR of the V extension (RVV 1.0): one op per vector instruction, carrying the
//! decoded instruction, whose meaning is given by the `vm-vector` crate.
//!
//! A vector instruction's effect depends on dynamic state (`vl`, `vtype`, `vstart`, the
//! mask in `v0`), so it is not broken into scalar ops: every back end executes it through
//! `vm_vector`, the interpreter directly and compiled code through a helper call. The
//! vector register file is not part of the flat slot file; these ops name vector
//! registers by number (`0..32`) and scalar operands by [`Slot`].
//!
//! Invariants the front end keeps:
//! - Register numbers are below 32. Which groups are legal depends on `vtype`, so the
//!   executor checks it and raises an illegal instruction, as hardware does.
//! - Scalar results ([`VArithOp::is_scalar_result`]) go to the slot in `vd`, a
//!   temporary when the instruction's `rd` is `x0`, never slot 0.

use crate::Slot;

/// Element width of a vector memory access or index, as encoded in its `width` field.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Eew {
    E8,
    E16,
    E32,
    E64,
}

impl Eew {
    pub const fn bytes(self) -> usize {
        match self {
            Eew::E8 => 1,
            Eew::E16 => 2,
            Eew::E32 => 4,
            Eew::E64 => 8,
        }
    }

    /// The element width in bits.
    pub const fn bits(self) -> u32 {
        self.bytes() as u32 * 8
    }
}

/// How a vector load or store walks memory.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum VMemMode {
    /// Consecutive elements (`vle*`, `vse*`, `vlseg*`, `vsseg*`).
    Unit,
    /// Unit stride, fault-only-first (`vle*ff`, `vlseg*ff`): a fault past element 0
    /// shrinks `vl` instead of trapping.
    FaultFirst,
    /// Element `i` at `base + i * stride`, the stride in this slot (`vlse*`, `vsse*`).
    Strided(Slot),
    /// Element `i` at `base + index[i]`, the unsigned offsets in vector register group
    /// `index` of width [`VMem::eew`]; the data has width SEW (`vl[ou]xei*`, `vs[ou]xei*`).
    Indexed { index: u8, ordered: bool },
    /// `nf` whole registers, regardless of `vtype` and `vl` (`vl<nf>re*`, `vs<nf>r`).
    WholeRegister,
    /// A mask: `ceil(vl / 8)` bytes (`vlm.v`, `vsm.v`).
    Mask,
}

/// A vector load or store.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct VMem {
    pub store: bool,
    pub mode: VMemMode,
    /// The encoded element width: of the data, or of the indices for indexed accesses.
    pub eew: Eew,
    /// Fields per segment (`1..=8`); for whole-register accesses, registers (1, 2, 4, 8).
    pub nf: u8,
    /// The data register group: destination of a load, source (`vs3`) of a store.
    pub vd: u8,
    /// The slot holding the base address.
    pub base: Slot,
    /// Whether elements whose `v0` mask bit is clear are skipped (`v0.t`).
    pub masked: bool,
}

/// Where `vsetvl*` takes the application vector length from.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum VAvl {
    /// A register (`rs1` other than `x0`).
    Reg(Slot),
    /// `vsetivli`'s 5-bit immediate.
    Imm(u8),
    /// `rs1 = x0` with `rd` other than `x0`: the largest `vl` (VLMAX).
    Max,
    /// `rs1 = x0` and `rd = x0`: keep the current `vl` (only `vtype` changes).
    Keep,
}

/// Where `vsetvl*` takes the new `vtype` from.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum VTypeSrc {
    /// `vsetvli`/`vsetivli`'s immediate.
    Imm(u16),
    /// `vsetvl`'s `rs2`.
    Reg(Slot),
}

/// The second source operand of a vector arithmetic instruction (`vs1`, `rs1`, `imm`),
/// which is also its operand form (`.vv`, `.vx`, `.vf`, `.vi`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum VSrc {
    /// A vector register group (`.vv`, `.vs`, `.mm`, `.vvm`).
    V(u8),
    /// An integer register's slot (`.vx`, `.vxm`).
    X(Slot),
    /// An FP register's slot (`.vf`, `.vfm`).
    F(Slot),
    /// The immediate as the instruction uses it (`.vi`, `.vim`): the 5-bit field
    /// sign-extended, or zero-extended (`0..=31`) for the ops that take it unsigned
    /// (shifts, slides, `vrgather.vi`, clips, `vwsll.vi`); `vror.vi`'s 6-bit amount
    /// (`0..=63`); the register count of `vmv<nr>r.v`.
    Imm(i8),
    /// No such operand (unary operations: `vid.v`, `vfsqrt.v`, `vmv.x.s`, ...).
    None,
}

/// A vector arithmetic, mask, permutation or reduction instruction.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct VArith {
    pub op: VArithOp,
    /// The destination register group, or for scalar results the destination slot.
    pub vd: u8,
    /// The first source register group (`vs2`).
    pub vs2: u8,
    pub src: VSrc,
    /// `vm = 0`: masked by `v0` (`v0.t`); for the carry, merge and `vcompress`-like ops
    /// whose encoding requires `vm = 0`, `v0` is an operand and this is true.
    pub masked: bool,
}

macro_rules! varith_ops {
    ($($(#[$doc:meta])* $name:ident = $mnemonic:literal,)*) => {
        /// Every operation of the V extension (and Zvbb) but loads, stores and
        /// `vsetvl*`. The names follow the mnemonics; the operand form is in [`VSrc`].
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
        pub enum VArithOp {
            $($(#[$doc])* $name,)*
        }

        impl VArithOp {
            /// The mnemonic without its operand-form suffix (`vadd`, `vfcvt.xu.f`).
            pub const fn mnemonic(self) -> &'static str {
                match self {
                    $(VArithOp::$name => $mnemonic,)*
                }
            }
        }
    };
}

varith_ops! {
    // ---- integer arithmetic (OPIVV/OPIVX/OPIVI, OPMVV/OPMVX) ----
    Add = "vadd",
    Sub = "vsub",
    /// `vd = src - vs2`.
    RSub = "vrsub",
    MinU = "vminu",
    Min = "vmin",
    MaxU = "vmaxu",
    Max = "vmax",
    And = "vand",
    Or = "vor",
    Xor = "vxor",
    /// Add with carry-in from `v0`.
    Adc = "vadc",
    /// Carry-out mask of add (with carry-in from `v0` when masked).
    MAdc = "vmadc",
    Sbc = "vsbc",
    MSbc = "vmsbc",
    Sll = "vsll",
    Srl = "vsrl",
    Sra = "vsra",
    /// Narrowing shifts: `vd` (SEW) from `vs2` (2*SEW).
    NSrl = "vnsrl",
    NSra = "vnsra",
    MSeq = "vmseq",
    MSne = "vmsne",
    MSltU = "vmsltu",
    MSlt = "vmslt",
    MSleU = "vmsleu",
    MSle = "vmsle",
    MSgtU = "vmsgtu",
    MSgt = "vmsgt",
    Mul = "vmul",
    MulH = "vmulh",
    MulHU = "vmulhu",
    MulHSU = "vmulhsu",
    DivU = "vdivu",
    Div = "vdiv",
    RemU = "vremu",
    Rem = "vrem",
    /// `vd = src * vd + vs2`.
    MAdd = "vmadd",
    /// `vd = -(src * vd) + vs2`.
    NMSub = "vnmsub",
    /// `vd = src * vs2 + vd`.
    MAcc = "vmacc",
    /// `vd = -(src * vs2) + vd`.
    NMSac = "vnmsac",
    /// Widening: `vd` is 2*SEW; the `W*W` forms take `vs2` at 2*SEW too.
    WAddU = "vwaddu",
    WAdd = "vwadd",
    WSubU = "vwsubu",
    WSub = "vwsub",
    WAddUW = "vwaddu.w",
    WAddW = "vwadd.w",
    WSubUW = "vwsubu.w",
    WSubW = "vwsub.w",
    WMulU = "vwmulu",
    WMulSU = "vwmulsu",
    WMul = "vwmul",
    WMAccU = "vwmaccu",
    WMAcc = "vwmacc",
    WMAccUS = "vwmaccus",
    WMAccSU = "vwmaccsu",
    /// `vzext.vf2/4/8` and `vsext.vf2/4/8`: the factor is in the name.
    ZextVf2 = "vzext.vf2",
    ZextVf4 = "vzext.vf4",
    ZextVf8 = "vzext.vf8",
    SextVf2 = "vsext.vf2",
    SextVf4 = "vsext.vf4",
    SextVf8 = "vsext.vf8",
    /// `vd = v0 ? src : vs2` (masked form) or `vd = src` (`vmv.v.*`, unmasked).
    Merge = "vmerge",
    /// `vmv.v.v`/`vmv.v.x`/`vmv.v.i`: `vd = src` (decoded from `vmerge` with `vm = 1`).
    MvV = "vmv.v",

    // ---- fixed point ----
    SAddU = "vsaddu",
    SAdd = "vsadd",
    SSubU = "vssubu",
    SSub = "vssub",
    AAddU = "vaaddu",
    AAdd = "vaadd",
    ASubU = "vasubu",
    ASub = "vasub",
    SMul = "vsmul",
    SSrl = "vssrl",
    SSra = "vssra",
    NClipU = "vnclipu",
    NClip = "vnclip",

    // ---- Zvbb ----
    AndN = "vandn",
    Brev = "vbrev",
    Brev8 = "vbrev8",
    Rev8 = "vrev8",
    Clz = "vclz",
    Ctz = "vctz",
    CPopV = "vcpop",
    Rol = "vrol",
    Ror = "vror",
    WSll = "vwsll",

    // ---- reductions: vd[0] = op(vs1[0], vs2[*]) ----
    RedSum = "vredsum",
    RedAnd = "vredand",
    RedOr = "vredor",
    RedXor = "vredxor",
    RedMinU = "vredminu",
    RedMin = "vredmin",
    RedMaxU = "vredmaxu",
    RedMax = "vredmax",
    WRedSumU = "vwredsumu",
    WRedSum = "vwredsum",

    // ---- mask ----
    MAndN = "vmandn",
    MAnd = "vmand",
    MOr = "vmor",
    MXor = "vmxor",
    MOrN = "vmorn",
    MNand = "vmnand",
    MNor = "vmnor",
    MXnor = "vmxnor",
    /// `rd = popcount(vs2 & mask)`: a scalar result.
    CPopM = "vcpop",
    /// `rd = index of the first set bit, or -1`: a scalar result.
    FirstM = "vfirst",
    MSbf = "vmsbf",
    MSif = "vmsif",
    MSof = "vmsof",
    Iota = "viota",
    Id = "vid",

    // ---- permutation ----
    /// `rd = vs2[0]` (sign-extended): a scalar result.
    MvXS = "vmv.x.s",
    /// `vd[0] = rs1`.
    MvSX = "vmv.s.x",
    /// `fd = vs2[0]` (NaN-boxed): a scalar result.
    FMvFS = "vfmv.f.s",
    /// `vd[0] = fs1`.
    FMvSF = "vfmv.s.f",
    SlideUp = "vslideup",
    SlideDown = "vslidedown",
    Slide1Up = "vslide1up",
    Slide1Down = "vslide1down",
    FSlide1Up = "vfslide1up",
    FSlide1Down = "vfslide1down",
    RGather = "vrgather",
    RGatherEi16 = "vrgatherei16",
    Compress = "vcompress",
    /// `vmv<nr>r.v`: copy whole registers; the count (1, 2, 4, 8) is in `src` as `Imm`.
    MvNr = "vmv",

    // ---- floating point (OPFVV/OPFVF) ----
    FAdd = "vfadd",
    FSub = "vfsub",
    FRSub = "vfrsub",
    FMul = "vfmul",
    FDiv = "vfdiv",
    FRDiv = "vfrdiv",
    FMin = "vfmin",
    FMax = "vfmax",
    FSgnj = "vfsgnj",
    FSgnjn = "vfsgnjn",
    FSgnjx = "vfsgnjx",
    /// `vfmerge.vfm` (masked) and `vfmv.v.f` (unmasked, `vs2 = 0`).
    FMerge = "vfmerge",
    FMvVF = "vfmv.v",
    MFeq = "vmfeq",
    MFne = "vmfne",
    MFlt = "vmflt",
    MFle = "vmfle",
    MFgt = "vmfgt",
    MFge = "vmfge",
    FMAdd = "vfmadd",
    FNMAdd = "vfnmadd",
    FMSub = "vfmsub",
    FNMSub = "vfnmsub",
    FMAcc = "vfmacc",
    FNMAcc = "vfnmacc",
    FMSac = "vfmsac",
    FNMSac = "vfnmsac",
    FWAdd = "vfwadd",
    FWSub = "vfwsub",
    FWAddW = "vfwadd.w",
    FWSubW = "vfwsub.w",
    FWMul = "vfwmul",
    FWMAcc = "vfwmacc",
    FWNMAcc = "vfwnmacc",
    FWMSac = "vfwmsac",
    FWNMSac = "vfwnmsac",
    FSqrt = "vfsqrt",
    FRSqrt7 = "vfrsqrt7",
    FRec7 = "vfrec7",
    FClass = "vfclass",
    FCvtXUF = "vfcvt.xu.f",
    FCvtXF = "vfcvt.x.f",
    FCvtFXU = "vfcvt.f.xu",
    FCvtFX = "vfcvt.f.x",
    FCvtRtzXUF = "vfcvt.rtz.xu.f",
    FCvtRtzXF = "vfcvt.rtz.x.f",
    FWCvtXUF = "vfwcvt.xu.f",
    FWCvtXF = "vfwcvt.x.f",
    FWCvtFXU = "vfwcvt.f.xu",
    FWCvtFX = "vfwcvt.f.x",
    FWCvtFF = "vfwcvt.f.f",
    FWCvtRtzXUF = "vfwcvt.rtz.xu.f",
    FWCvtRtzXF = "vfwcvt.rtz.x.f",
    FNCvtXUF = "vfncvt.xu.f",
    FNCvtXF = "vfncvt.x.f",
    FNCvtFXU = "vfncvt.f.xu",
    FNCvtFX = "vfncvt.f.x",
    FNCvtFF = "vfncvt.f.f",
    FNCvtRodFF = "vfncvt.rod.f.f",
    FNCvtRtzXUF = "vfncvt.rtz.xu.f",
    FNCvtRtzXF = "vfncvt.rtz.x.f",
    FRedUSum = "vfredusum",
    FRedOSum = "vfredosum",
    FRedMin = "vfredmin",
    FRedMax = "vfredmax",
    FWRedUSum = "vfwredusum",
    FWRedOSum = "vfwredosum",
}

/// The families of [`VArithOp`], one per part of the executor.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum VFamily {
    /// Integer arithmetic, compares, widening and narrowing, extensions, moves, merges.
    Integer,
    /// Saturating, averaging, fractional-multiply, scaling shifts and clips (`vxrm`,
    /// `vxsat`).
    FixedPoint,
    /// Zvbb.
    BitManip,
    /// Integer reductions.
    Reduction,
    /// Mask logic and the mask-driven instructions (`vcpop.m` .. `vid.v`).
    Mask,
    /// Scalar moves, slides, gathers, compress, whole-register moves.
    Permute,
    /// Everything floating point, FP reductions, moves and slides included.
    Float,
}

impl VArithOp {
    /// Which family the operation belongs to.
    pub const fn family(self) -> VFamily {
        use VArithOp::*;
        match self {
            SAddU | SAdd | SSubU | SSub | AAddU | AAdd | ASubU | ASub | SMul | SSrl | SSra
            | NClipU | NClip => VFamily::FixedPoint,
            AndN | Brev | Brev8 | Rev8 | Clz | Ctz | CPopV | Rol | Ror | WSll => VFamily::BitManip,
            RedSum | RedAnd | RedOr | RedXor | RedMinU | RedMin | RedMaxU | RedMax | WRedSumU
            | WRedSum => VFamily::Reduction,
            MAndN | MAnd | MOr | MXor | MOrN | MNand | MNor | MXnor | CPopM | FirstM | MSbf
            | MSif | MSof | Iota | Id => VFamily::Mask,
            MvXS | MvSX | SlideUp | SlideDown | Slide1Up | Slide1Down | RGather | RGatherEi16
            | Compress | MvNr => VFamily::Permute,
            FMvFS | FMvSF | FSlide1Up | FSlide1Down | FAdd | FSub | FRSub | FMul | FDiv | FRDiv
            | FMin | FMax | FSgnj | FSgnjn | FSgnjx | FMerge | FMvVF | MFeq | MFne | MFlt
            | MFle | MFgt | MFge | FMAdd | FNMAdd | FMSub | FNMSub | FMAcc | FNMAcc | FMSac
            | FNMSac | FWAdd | FWSub | FWAddW | FWSubW | FWMul | FWMAcc | FWNMAcc | FWMSac
            | FWNMSac | FSqrt | FRSqrt7 | FRec7 | FClass | FCvtXUF | FCvtXF | FCvtFXU | FCvtFX
            | FCvtRtzXUF | FCvtRtzXF | FWCvtXUF | FWCvtXF | FWCvtFXU | FWCvtFX | FWCvtFF
            | FWCvtRtzXUF | FWCvtRtzXF | FNCvtXUF | FNCvtXF | FNCvtFXU | FNCvtFX | FNCvtFF
            | FNCvtRodFF | FNCvtRtzXUF | FNCvtRtzXF | FRedUSum | FRedOSum | FRedMin | FRedMax
            | FWRedUSum | FWRedOSum => VFamily::Float,
            _ => VFamily::Integer,
        }
    }

    /// Whether the result goes to a scalar register (the slot in [`VArith::vd`]).
    pub const fn is_scalar_result(self) -> bool {
        matches!(
            self,
            VArithOp::CPopM | VArithOp::FirstM | VArithOp::MvXS | VArithOp::FMvFS
        )
    }
}
