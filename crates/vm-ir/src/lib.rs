//! The guest-independent intermediate representation that every back end executes.
//!
//! The front end (`vm-frontend`) turns guest machine code into an [`IRBlock`]: a straight
//! line of [`Op`]s followed by one [`BlockExit`]. The interpreter (`vm-engine`) and the JIT
//! (`vm-engine-jit`) both consume exactly this, so each guest instruction has one meaning.
//!
//! Invariants every producer keeps and every consumer may rely on:
//! - Operands are [`Slot`]s of one flat register file of `u64`s: slots `0..32` are the
//!   guest integer registers, `32..64` the guest FP registers (raw bits, NaN-boxed for
//!   single precision), and `64..64 + MAX_TEMPS` are temporaries.
//! - Slot 0 (`x0`) is never written; it always reads as zero.
//! - Temporaries live only within one guest instruction; no value flows between guest
//!   instructions except through guest register slots and the CPU's other state.
//! - Within one guest instruction every op that can trap (memory access, dynamic rounding
//!   mode) comes before any write to a guest register slot, so a trap leaves the guest state
//!   exactly as it was before that instruction: faults are precise.
//! - A block contains no control flow; its only exit is the [`BlockExit`].

pub mod semantics;
pub mod vector;

mod display;
#[cfg(test)]
mod tests;

/// A guest virtual address.
pub type GuestAddr = u64;

/// An index into the flat register file described in the crate docs.
pub type Slot = u8;

/// Number of guest integer registers.
pub const NUM_XREGS: usize = 32;
/// First slot of the guest FP registers.
pub const FREG_BASE: Slot = 32;
/// First temporary slot.
pub const TEMP_BASE: Slot = 64;
/// Number of temporaries one guest instruction may use.
pub const MAX_TEMPS: usize = 16;
/// Size of the flat register file in slots.
pub const NUM_SLOTS: usize = TEMP_BASE as usize + MAX_TEMPS;

/// The slot of guest integer register `x{n}`.
pub const fn xreg(n: u32) -> Slot {
    debug_assert!(n < 32);
    n as Slot
}

/// The slot of guest FP register `f{n}`.
pub const fn freg(n: u32) -> Slot {
    debug_assert!(n < 32);
    FREG_BASE + n as Slot
}

/// The slot of temporary `t{n}`.
pub const fn temp(n: u32) -> Slot {
    debug_assert!((n as usize) < MAX_TEMPS);
    TEMP_BASE + n as Slot
}

/// Two-operand integer operations on 64-bit values. Each one's meaning is
/// [`semantics::eval_bin`]; `*W` variants operate on the low 32 bits and sign-extend.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum BinOp {
    Add,
    Sub,
    /// Shift left by `b & 63`.
    Sll,
    /// Logical shift right by `b & 63`.
    Srl,
    /// Arithmetic shift right by `b & 63`.
    Sra,
    And,
    Or,
    Xor,
    /// `1` if `a < b` as signed, else `0`.
    Slt,
    /// `1` if `a < b` as unsigned, else `0`.
    Sltu,
    AddW,
    SubW,
    SllW,
    SrlW,
    SraW,
    Mul,
    MulH,
    MulHSU,
    MulHU,
    /// Signed division; `x / 0 = -1`, `MIN / -1 = MIN`.
    Div,
    /// Unsigned division; `x / 0 = MAX`.
    DivU,
    /// Signed remainder; `x % 0 = x`, `MIN % -1 = 0`.
    Rem,
    RemU,
    MulW,
    DivW,
    DivUW,
    RemW,
    RemUW,
    /// `a & !b` (Zbb).
    AndN,
    /// `a | !b` (Zbb).
    OrN,
    /// `!(a ^ b)` (Zbb).
    XNor,
    Min,
    MinU,
    Max,
    MaxU,
    Rol,
    Ror,
    RolW,
    RorW,
    /// Clear bit `b & 63` of `a` (Zbs).
    BClr,
    /// Extract bit `b & 63` of `a` (Zbs).
    BExt,
    BInv,
    BSet,
    /// `(a << 1) + b` (Zba).
    Sh1Add,
    Sh2Add,
    Sh3Add,
    /// `(zext32(a) << 1) + b` (Zba).
    Sh1AddUw,
    Sh2AddUw,
    Sh3AddUw,
    /// `zext32(a) + b` (Zba).
    AddUw,
    /// `zext32(a) << (b & 63)` (Zba).
    SllUw,
    /// `b == 0 ? 0 : a` (Zicond `czero.eqz`).
    CZeroEqz,
    /// `b != 0 ? 0 : a` (Zicond `czero.nez`).
    CZeroNez,
}

/// One-operand integer operations; meaning in [`semantics::eval_un`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum UnOp {
    Clz,
    ClzW,
    Ctz,
    CtzW,
    Cpop,
    CpopW,
    SextB,
    SextH,
    ZextH,
    /// Bytewise OR-combine: each byte becomes 0xff if non-zero.
    OrcB,
    /// Byte reversal of the 64-bit value.
    Rev8,
}

/// Conditions of conditional branches.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Cond {
    Eq,
    Ne,
    Lt,
    Ge,
    LtU,
    GeU,
}

/// Access width of a memory operation.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Width {
    B1,
    B2,
    B4,
    B8,
}

impl Width {
    pub const fn bytes(self) -> u64 {
        match self {
            Width::B1 => 1,
            Width::B2 => 2,
            Width::B4 => 4,
            Width::B8 => 8,
        }
    }
}

/// Read-modify-write operations of the A extension.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum AmoOp {
    Swap,
    Add,
    Xor,
    And,
    Or,
    Min,
    Max,
    MinU,
    MaxU,
}

/// Control and status registers the user-mode guest can reach.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Csr {
    FFlags,
    Frm,
    Fcsr,
    Cycle,
    Time,
    InstRet,
    /// The V extension's CSRs.
    Vstart,
    Vxsat,
    Vxrm,
    Vcsr,
    Vl,
    Vtype,
    Vlenb,
}

impl Csr {
    /// The CSR for a 12-bit CSR number, if user mode can access it.
    pub fn from_number(n: u32) -> Option<Csr> {
        Some(match n {
            0x001 => Csr::FFlags,
            0x002 => Csr::Frm,
            0x003 => Csr::Fcsr,
            0xc00 => Csr::Cycle,
            0xc01 => Csr::Time,
            0xc02 => Csr::InstRet,
            0x008 => Csr::Vstart,
            0x009 => Csr::Vxsat,
            0x00a => Csr::Vxrm,
            0x00f => Csr::Vcsr,
            0xc20 => Csr::Vl,
            0xc21 => Csr::Vtype,
            0xc22 => Csr::Vlenb,
            _ => return None,
        })
    }

    /// Whether writes are allowed (the counters, `vl`, `vtype` and `vlenb` are
    /// read-only).
    pub fn is_writable(self) -> bool {
        matches!(
            self,
            Csr::FFlags | Csr::Frm | Csr::Fcsr | Csr::Vstart | Csr::Vxsat | Csr::Vxrm | Csr::Vcsr
        )
    }
}

/// IEEE formats of the F, D and Zfh extensions.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum FpFmt {
    S,
    D,
    /// Half precision (Zfh): NaN-boxed with ones in bits 16..64.
    H,
}

/// Integer types of FP conversions.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum IntKind {
    /// Signed 32-bit (`.w`).
    W,
    /// Unsigned 32-bit (`.wu`).
    WU,
    /// Signed 64-bit (`.l`).
    L,
    /// Unsigned 64-bit (`.lu`).
    LU,
}

/// Rounding mode field of an FP instruction.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Rounding {
    /// Round to nearest, ties to even.
    Rne,
    /// Round towards zero.
    Rtz,
    /// Round down (towards -inf).
    Rdn,
    /// Round up (towards +inf).
    Rup,
    /// Round to nearest, ties to max magnitude.
    Rmm,
    /// Use the dynamic rounding mode in `frm`; an invalid `frm` makes the op trap with
    /// an illegal instruction.
    Dyn,
}

impl Rounding {
    /// Decodes a 3-bit `rm` field; 5 and 6 are reserved.
    pub fn from_bits(bits: u32) -> Option<Rounding> {
        Some(match bits {
            0 => Rounding::Rne,
            1 => Rounding::Rtz,
            2 => Rounding::Rdn,
            3 => Rounding::Rup,
            4 => Rounding::Rmm,
            7 => Rounding::Dyn,
            _ => return None,
        })
    }

    /// The 3-bit `rm` field that [`Rounding::from_bits`] decodes to `self`.
    pub fn bits(self) -> u32 {
        match self {
            Rounding::Rne => 0,
            Rounding::Rtz => 1,
            Rounding::Rdn => 2,
            Rounding::Rup => 3,
            Rounding::Rmm => 4,
            Rounding::Dyn => 7,
        }
    }
}

/// Floating-point operations. Operands and results are raw register bits; inputs of
/// formats `S` and `H` are unboxed (an improperly NaN-boxed input reads as the canonical
/// NaN) and results of formats `S` and `H` written to FP slots are NaN-boxed. Results of comparisons,
/// `Class`, `ToInt` and `MoveToInt` go to integer slots.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum FpOp {
    Add,
    Sub,
    Mul,
    Div,
    Sqrt,
    Min,
    Max,
    /// `a * b + c`
    MulAdd,
    /// `a * b - c`
    MulSub,
    /// `-(a * b) + c`
    NegMulSub,
    /// `-(a * b) - c`
    NegMulAdd,
    SgnJ,
    SgnJN,
    SgnJX,
    Eq,
    Lt,
    Le,
    Class,
    /// Convert `a` of this format to the given integer type, saturating.
    ToInt(IntKind),
    /// Convert integer `a` of the given type to this format.
    FromInt(IntKind),
    /// Convert `a` of the *other* format to this format (`fcvt.s.d` has `fmt = S`).
    FromOther,
    /// Raw bits of `a` to an integer register (`fmv.x.w` sign-extends the low 32 bits).
    MoveToInt,
    /// Raw integer bits to an FP register (`fmv.w.x` NaN-boxes).
    MoveFromInt,
    /// Convert `a` of the given format to this format (`fcvt.h.s` has `fmt = H` and
    /// `FromFmt(S)`).
    FromFmt(FpFmt),
    /// Zfa `fminm`/`fmaxm`: IEEE 754-2019 minimum/maximum (a NaN operand gives the
    /// canonical NaN).
    MinM,
    MaxM,
    /// Zfa `fround`: round to an integral value in this format, inexact not raised.
    Round,
    /// Zfa `froundnx`: as `Round`, raising inexact.
    RoundNx,
    /// Zfa `fcvtmod.w.d` (format `D`, rounding `Rtz`): the low 32 bits of the integer
    /// part, sign-extended; 0 for infinities and NaNs.
    ToIntMod,
    /// Zfa `fltq`/`fleq`: quiet comparisons (invalid only for signaling NaNs).
    LtQuiet,
    LeQuiet,
}

/// One operation of an [`IRBlock`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Op {
    /// `dst = imm`
    Const { dst: Slot, imm: u64 },
    /// `dst = src`
    Mov { dst: Slot, src: Slot },
    /// `dst = op(a, b)`
    Bin {
        op: BinOp,
        dst: Slot,
        a: Slot,
        b: Slot,
    },
    /// `dst = op(a, imm)`
    BinImm {
        op: BinOp,
        dst: Slot,
        a: Slot,
        imm: i64,
    },
    /// `dst = op(a)`
    Un { op: UnOp, dst: Slot, a: Slot },
    /// `dst = load(base + offset)`, zero- or sign-extended to 64 bits. May trap.
    Load {
        width: Width,
        signed: bool,
        dst: Slot,
        base: Slot,
        offset: i32,
    },
    /// `store(base + offset, src)` of the low `width` bytes. May trap.
    Store {
        width: Width,
        src: Slot,
        base: Slot,
        offset: i32,
    },
    /// Load-reserved (sign-extended) from `addr`, setting the reservation. May trap;
    /// a misaligned address traps.
    LoadReserved { width: Width, dst: Slot, addr: Slot },
    /// Store-conditional of `src` to `addr`; `dst = 0` on success, `1` on failure. Always
    /// clears the reservation. May trap.
    StoreConditional {
        width: Width,
        dst: Slot,
        src: Slot,
        addr: Slot,
    },
    /// Atomic `dst = old = mem[addr]; mem[addr] = op(old, src)`, old sign-extended. May
    /// trap; a misaligned address traps.
    Amo {
        op: AmoOp,
        width: Width,
        dst: Slot,
        addr: Slot,
        src: Slot,
    },
    /// `dst = csr` (the counters read the values at the start of the block).
    ReadCsr { dst: Slot, csr: Csr },
    /// `csr = src` (only for writable CSRs).
    WriteCsr { csr: Csr, src: Slot },
    /// A floating-point operation; accumulates exception flags in `fflags`. With
    /// [`Rounding::Dyn`] it traps if `frm` holds an invalid mode.
    Fp {
        op: FpOp,
        fmt: FpFmt,
        rm: Rounding,
        dst: Slot,
        a: Slot,
        b: Slot,
        c: Slot,
    },
    /// `vsetvli`/`vsetivli`/`vsetvl`: sets `vl` and `vtype` (an unsupported `vtype` sets
    /// `vill` and `vl = 0`) and `dst = vl`; `dst` is a temporary when `rd` is `x0`.
    VSetVl {
        dst: Slot,
        avl: vector::VAvl,
        vtype: vector::VTypeSrc,
    },
    /// A vector load or store. May trap: illegal for the current `vtype`, or a memory
    /// fault, which leaves `vstart` at the faulting element.
    VMem(vector::VMem),
    /// A vector arithmetic, mask, permutation or reduction instruction. May trap: illegal
    /// for the current `vtype`, or an invalid dynamic rounding mode.
    Vector(vector::VArith),
}

/// How control leaves an [`IRBlock`]. Guest addresses here are absolute.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum BlockExit {
    /// Continue at a known address (chainable).
    Jump { target: GuestAddr },
    /// Continue at `taken` if `cond(a, b)` holds, else at `not_taken` (both chainable).
    Branch {
        cond: Cond,
        a: Slot,
        b: Slot,
        taken: GuestAddr,
        not_taken: GuestAddr,
    },
    /// Continue at the address held in slot `target` (already aligned by the front end).
    JumpIndirect { target: Slot },
    /// `ecall` at `pc`: the system must handle a system call, then resume at `pc + 4`.
    Syscall { pc: GuestAddr },
    /// `ebreak` at `pc`: a breakpoint trap (SIGTRAP).
    Breakpoint { pc: GuestAddr },
    /// The bytes at `pc` are not a valid instruction (SIGILL).
    IllegalInstruction { pc: GuestAddr, bits: u32 },
    /// The instruction at `pc` could not be fetched (SIGSEGV): its parcel at `addr` (`pc`,
    /// or `pc + 2` for a 32-bit instruction whose second half lies on a page that cannot
    /// be fetched) is where the fault is, as the privileged spec defines the faulting
    /// address of a variable-length instruction and Linux reports it in `si_addr`.
    FetchFault { pc: GuestAddr, addr: GuestAddr },
    /// `fence.i`: translated code must be discarded before resuming at `next`.
    FenceI { next: GuestAddr },
}

/// Maps the first op of each guest instruction to its address, for precise faults.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct InsnMark {
    /// Index into [`IRBlock::ops`] of the instruction's first op.
    pub first_op: u32,
    /// The instruction's guest address.
    pub pc: GuestAddr,
}

/// A translated run of guest instructions with a single entry and a single exit.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct IRBlock {
    /// Guest address of the first instruction.
    pub start: GuestAddr,
    /// Guest bytes covered, `[start, start + len)`.
    pub len: u32,
    /// The block's operations in execution order.
    pub ops: Vec<Op>,
    /// One mark per guest instruction, in order (an exit-only instruction has no ops but
    /// still has a mark).
    pub insns: Vec<InsnMark>,
    /// How control leaves the block.
    pub exit: BlockExit,
}

impl IRBlock {
    /// Number of guest instructions, counting the exit instruction.
    pub fn insn_count(&self) -> u64 {
        self.insns.len() as u64
    }

    /// Guest address of the instruction that `op_index` belongs to.
    pub fn pc_of_op(&self, op_index: usize) -> GuestAddr {
        let i = self
            .insns
            .partition_point(|m| m.first_op as usize <= op_index);
        self.insns[i.saturating_sub(1)].pc
    }

    /// Number of guest instructions that completed before `op_index` started.
    pub fn insns_before_op(&self, op_index: usize) -> u64 {
        let i = self
            .insns
            .partition_point(|m| m.first_op as usize <= op_index);
        i.saturating_sub(1) as u64
    }
}
