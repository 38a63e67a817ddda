//! The typed RISC-V instruction: what the decoders produce and the lowering consumes.
//!
//! One [`Insn`] variant per instruction *shape*, grouped by ISA chapter; the operation
//! within a shape is a small enum named after the mnemonics. Invariants:
//! - A value of [`Insn`] is always a legal user-mode instruction of RV64GC, Zba/Zbb/Zbs
//!   and the scalar extensions of RVA23U64 (Zicond, Zcb, Zfa, Zfh, Zicbom, Zicboz, Zimop,
//!   Zcmop, Zawrs): the decoders reject reserved encodings, so the lowering never has to.
//! - Compressed instructions decode to exactly the `Insn` of their 32-bit expansion (the
//!   Zcmop `c.mop.n`, which has none, to [`Insn::CMop`]); the instruction length is
//!   carried beside the `Insn`, never inside it.
//! - Immediates are stored sign-extended to their final value (`lui`'s is already shifted
//!   left by 12, branch offsets are in bytes).
//! - Enums shared with the IR ([`Cond`], [`Width`], [`AmoOp`], [`FpFmt`], [`IntKind`],
//!   [`Rounding`], [`Csr`]) mean the same thing here as there.

pub use vm_ir::vector::{VArith, VAvl, VMem, VTypeSrc};
pub use vm_ir::{AmoOp, Cond, Csr, FpFmt, IntKind, Rounding, Width};

/// A guest integer register `x0..x31`; the index is always below 32.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct XReg(u8);

impl XReg {
    pub const ZERO: XReg = XReg(0);
    pub const RA: XReg = XReg(1);
    pub const SP: XReg = XReg(2);

    /// The register numbered by the low 5 bits of `n`.
    pub const fn new(n: u32) -> XReg {
        XReg((n & 31) as u8)
    }

    pub const fn index(self) -> u32 {
        self.0 as u32
    }

    pub const fn is_zero(self) -> bool {
        self.0 == 0
    }
}

/// A guest FP register `f0..f31`; the index is always below 32.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct FReg(u8);

impl FReg {
    /// The register numbered by the low 5 bits of `n`.
    pub const fn new(n: u32) -> FReg {
        FReg((n & 31) as u8)
    }

    pub const fn index(self) -> u32 {
        self.0 as u32
    }
}

/// Integer loads of RV64I.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum LoadKind {
    Lb,
    Lh,
    Lw,
    Ld,
    Lbu,
    Lhu,
    Lwu,
}

impl LoadKind {
    pub const fn width(self) -> Width {
        match self {
            LoadKind::Lb | LoadKind::Lbu => Width::B1,
            LoadKind::Lh | LoadKind::Lhu => Width::B2,
            LoadKind::Lw | LoadKind::Lwu => Width::B4,
            LoadKind::Ld => Width::B8,
        }
    }

    pub const fn signed(self) -> bool {
        matches!(
            self,
            LoadKind::Lb | LoadKind::Lh | LoadKind::Lw | LoadKind::Ld
        )
    }
}

/// Register-immediate operations of RV64I (`OP-IMM`, `OP-IMM-32`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum AluImmOp {
    Addi,
    Slti,
    Sltiu,
    Xori,
    Ori,
    Andi,
    /// Shift amount `0..64` in the immediate.
    Slli,
    Srli,
    Srai,
    Addiw,
    /// Shift amount `0..32` in the immediate.
    Slliw,
    Srliw,
    Sraiw,
}

/// Register-register operations of RV64I (`OP`, `OP-32`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum AluOp {
    Add,
    Sub,
    Sll,
    Slt,
    Sltu,
    Xor,
    Srl,
    Sra,
    Or,
    And,
    Addw,
    Subw,
    Sllw,
    Srlw,
    Sraw,
}

/// The M extension.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum MulDivOp {
    Mul,
    Mulh,
    Mulhsu,
    Mulhu,
    Div,
    Divu,
    Rem,
    Remu,
    Mulw,
    Divw,
    Divuw,
    Remw,
    Remuw,
}

/// Register-register operations of Zba, Zbb and Zbs.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum BitOp {
    // Zba
    Sh1add,
    Sh2add,
    Sh3add,
    AddUw,
    Sh1addUw,
    Sh2addUw,
    Sh3addUw,
    // Zbb
    Andn,
    Orn,
    Xnor,
    Min,
    Minu,
    Max,
    Maxu,
    Rol,
    Ror,
    Rolw,
    Rorw,
    // Zbs
    Bclr,
    Bext,
    Binv,
    Bset,
}

/// Shift-immediate operations of Zba, Zbb and Zbs (the immediate is a shift amount or bit
/// index `0..64`, `0..32` for `roriw`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum BitImmOp {
    SlliUw,
    Rori,
    Roriw,
    Bclri,
    Bexti,
    Binvi,
    Bseti,
}

/// One-operand operations of Zbb.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum BitUnaryOp {
    Clz,
    Clzw,
    Ctz,
    Ctzw,
    Cpop,
    Cpopw,
    SextB,
    SextH,
    ZextH,
    OrcB,
    Rev8,
}

/// The Zicond conditional zeroing operations.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum CondZeroOp {
    /// `czero.eqz`: `rd = rs2 == 0 ? 0 : rs1`.
    Eqz,
    /// `czero.nez`: `rd = rs2 != 0 ? 0 : rs1`.
    Nez,
}

/// The cache-block operations a Linux user process may run (Zicbom's `cbo.clean` and
/// `cbo.flush`, Zicboz's `cbo.zero`). `cbo.inval` is not one: Linux leaves
/// `senvcfg.CBIE` clear, so it raises an illegal instruction in user mode.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum CboOp {
    Clean,
    Flush,
    Zero,
}

/// `fadd`, `fsub`, `fmul`, `fdiv`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum FArithOp {
    Add,
    Sub,
    Mul,
    Div,
}

/// The fused multiply-adds.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum FFusedOp {
    /// `fmadd`: `rs1 * rs2 + rs3`
    MAdd,
    /// `fmsub`: `rs1 * rs2 - rs3`
    MSub,
    /// `fnmsub`: `-(rs1 * rs2) + rs3`
    NMSub,
    /// `fnmadd`: `-(rs1 * rs2) - rs3`
    NMAdd,
}

/// Sign injection.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum FSgnjOp {
    J,
    Jn,
    Jx,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum FMinMaxOp {
    Min,
    Max,
    /// Zfa `fminm`, `fmaxm`.
    MinM,
    MaxM,
}

/// FP comparisons (`feq`, `flt`, `fle`, and Zfa's quiet `fltq`, `fleq`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum FCmpOp {
    Eq,
    Lt,
    Le,
    Ltq,
    Leq,
}

/// The Zicsr read-modify-write operations.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum CsrOp {
    /// `csrrw`/`csrrwi`: write the source.
    Rw,
    /// `csrrs`/`csrrsi`: set the source's bits.
    Rs,
    /// `csrrc`/`csrrci`: clear the source's bits.
    Rc,
}

/// The source operand of a CSR instruction.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum CsrSrc {
    Reg(XReg),
    /// The 5-bit zero-extended immediate of the `i` forms.
    Imm(u8),
}

impl CsrSrc {
    /// Whether the source is `x0` or the immediate 0 (for `csrrs`/`csrrc`: no write).
    pub const fn is_zero(self) -> bool {
        match self {
            CsrSrc::Reg(r) => r.is_zero(),
            CsrSrc::Imm(i) => i == 0,
        }
    }
}

/// A decoded RISC-V instruction.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Insn {
    // ---- RV64I ----
    /// `rd = imm` (`imm` already shifted left by 12).
    Lui {
        rd: XReg,
        imm: i32,
    },
    /// `rd = pc + imm` (`imm` already shifted left by 12).
    Auipc {
        rd: XReg,
        imm: i32,
    },
    Jal {
        rd: XReg,
        offset: i32,
    },
    Jalr {
        rd: XReg,
        rs1: XReg,
        offset: i32,
    },
    Branch {
        cond: Cond,
        rs1: XReg,
        rs2: XReg,
        offset: i32,
    },
    Load {
        kind: LoadKind,
        rd: XReg,
        rs1: XReg,
        offset: i32,
    },
    Store {
        width: Width,
        rs1: XReg,
        rs2: XReg,
        offset: i32,
    },
    AluImm {
        op: AluImmOp,
        rd: XReg,
        rs1: XReg,
        imm: i32,
    },
    Alu {
        op: AluOp,
        rd: XReg,
        rs1: XReg,
        rs2: XReg,
    },
    /// `fence`, `fence.tso`, `pause` and the reserved variants: a no-op for one hart.
    Fence {
        fm: u8,
        pred: u8,
        succ: u8,
    },
    Ecall,
    Ebreak,

    // ---- M ----
    MulDiv {
        op: MulDivOp,
        rd: XReg,
        rs1: XReg,
        rs2: XReg,
    },

    // ---- A ----
    Lr {
        width: Width,
        rd: XReg,
        rs1: XReg,
        aq: bool,
        rl: bool,
    },
    Sc {
        width: Width,
        rd: XReg,
        rs1: XReg,
        rs2: XReg,
        aq: bool,
        rl: bool,
    },
    Amo {
        op: AmoOp,
        width: Width,
        rd: XReg,
        rs1: XReg,
        rs2: XReg,
        aq: bool,
        rl: bool,
    },

    // ---- F and D ----
    /// `flw`/`fld`.
    FLoad {
        fmt: FpFmt,
        rd: FReg,
        rs1: XReg,
        offset: i32,
    },
    /// `fsw`/`fsd`.
    FStore {
        fmt: FpFmt,
        rs1: XReg,
        rs2: FReg,
        offset: i32,
    },
    FArith {
        op: FArithOp,
        fmt: FpFmt,
        rm: Rounding,
        rd: FReg,
        rs1: FReg,
        rs2: FReg,
    },
    FSqrt {
        fmt: FpFmt,
        rm: Rounding,
        rd: FReg,
        rs1: FReg,
    },
    FFused {
        op: FFusedOp,
        fmt: FpFmt,
        rm: Rounding,
        rd: FReg,
        rs1: FReg,
        rs2: FReg,
        rs3: FReg,
    },
    FSgnj {
        op: FSgnjOp,
        fmt: FpFmt,
        rd: FReg,
        rs1: FReg,
        rs2: FReg,
    },
    FMinMax {
        op: FMinMaxOp,
        fmt: FpFmt,
        rd: FReg,
        rs1: FReg,
        rs2: FReg,
    },
    FCmp {
        op: FCmpOp,
        fmt: FpFmt,
        rd: XReg,
        rs1: FReg,
        rs2: FReg,
    },
    FClass {
        fmt: FpFmt,
        rd: XReg,
        rs1: FReg,
    },
    /// `fcvt.{w,wu,l,lu}.{s,d}`: `fmt` is the source format.
    FCvtToInt {
        int: IntKind,
        fmt: FpFmt,
        rm: Rounding,
        rd: XReg,
        rs1: FReg,
    },
    /// `fcvt.{s,d}.{w,wu,l,lu}`: `fmt` is the destination format.
    FCvtFromInt {
        int: IntKind,
        fmt: FpFmt,
        rm: Rounding,
        rd: FReg,
        rs1: XReg,
    },
    /// `fcvt.s.d` (`fmt = S`) and `fcvt.d.s` (`fmt = D`): `fmt` is the destination format.
    FCvtFmt {
        fmt: FpFmt,
        rm: Rounding,
        rd: FReg,
        rs1: FReg,
    },
    /// `fmv.x.w` / `fmv.x.d`.
    FMvToInt {
        fmt: FpFmt,
        rd: XReg,
        rs1: FReg,
    },
    /// `fmv.w.x` / `fmv.d.x`.
    FMvFromInt {
        fmt: FpFmt,
        rd: FReg,
        rs1: XReg,
    },

    // ---- Zfh ----
    /// `fcvt.{s,d}.h` and `fcvt.h.{s,d}`: `to` from `from`, one of them `H`.
    FCvtHalf {
        to: FpFmt,
        from: FpFmt,
        rm: Rounding,
        rd: FReg,
        rs1: FReg,
    },

    // ---- Zfa ----
    /// `fli.{s,d,h}`: constant number `index` (0..32) of Zfa's table.
    FLi {
        fmt: FpFmt,
        rd: FReg,
        index: u8,
    },
    /// `fround` / `froundnx` (`exact`).
    FRound {
        exact: bool,
        fmt: FpFmt,
        rm: Rounding,
        rd: FReg,
        rs1: FReg,
    },
    /// `fcvtmod.w.d` (its rounding mode is always `rtz`).
    FCvtModWD {
        rd: XReg,
        rs1: FReg,
    },

    // ---- Zicsr ----
    /// Only accessible CSRs, and never a write to a read-only one.
    Csr {
        op: CsrOp,
        csr: Csr,
        rd: XReg,
        src: CsrSrc,
    },

    // ---- Zifencei ----
    FenceI,

    // ---- Zba, Zbb, Zbs ----
    Bit {
        op: BitOp,
        rd: XReg,
        rs1: XReg,
        rs2: XReg,
    },
    BitImm {
        op: BitImmOp,
        rd: XReg,
        rs1: XReg,
        shamt: u8,
    },
    BitUnary {
        op: BitUnaryOp,
        rd: XReg,
        rs1: XReg,
    },

    // ---- V ----
    /// `vsetvli`, `vsetivli`, `vsetvl`.
    VSetVl {
        rd: XReg,
        avl: VAvl,
        vtype: VTypeSrc,
    },
    /// A vector load or store; scalar operands are named by their IR slots.
    VMem(VMem),
    /// A vector arithmetic instruction; scalar operands, and the destination of a scalar
    /// result (slot 0 for `x0`), are named by their IR slots.
    VArith(VArith),
    // ---- Zicond ----
    CondZero {
        op: CondZeroOp,
        rd: XReg,
        rs1: XReg,
        rs2: XReg,
    },

    // ---- Zicbom, Zicboz ----
    /// A cache-block operation on the 64-byte block holding the address in `rs1`.
    Cbo {
        op: CboOp,
        rs1: XReg,
    },

    // ---- Zimop, Zcmop ----
    /// `mop.r.{n}` (`n < 32`): writes 0 to `rd`.
    MopR {
        n: u8,
        rd: XReg,
        rs1: XReg,
    },
    /// `mop.rr.{n}` (`n < 8`): writes 0 to `rd`.
    MopRR {
        n: u8,
        rd: XReg,
        rs1: XReg,
        rs2: XReg,
    },
    /// `c.mop.{n}` (`n` odd, `< 16`): writes no register, a 16-bit instruction of its own.
    CMop {
        n: u8,
    },

    // ---- Zawrs ----
    /// `wrs.nto` / `wrs.sto` (`sto`): may stall until the reservation set is written;
    /// one hart with nothing to wait for continues at once.
    Wrs {
        sto: bool,
    },
}
