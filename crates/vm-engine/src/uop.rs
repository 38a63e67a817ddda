//! The interpreter's pre-decoded form of a block, one [`Uop`] per IR op and one for its
//! exit, and the loop that runs it ([`run_block`]).
//!
//! An IR [`Op`] nests its operation inside its kind (`Op::Bin { op: BinOp::Add, .. }`,
//! `Op::Load { width, signed, .. }`), so interpreting it costs two dispatches, and the
//! second is the one a guest program's mix makes hard to predict. A `Uop` flattens the
//! kind, the operation and the width into one [`Kind`], so each op costs one dispatch,
//! and the block's exit is one more uop of the same dispatch. The rare ops (atomics,
//! CSRs, FP comparisons, conversions and moves) and exits (system calls, faults,
//! `fence.i`) stay [`Kind::Other`] and [`Kind::ExitOther`] and run as the IR says
//! through `interp`.
//!
//! Invariants: `compile(block)` is `block.ops.len() + 1` uops; uop `i < ops.len()` has
//! the meaning of `block.ops[i]` (same order, so an op index names the same instruction
//! in both forms, which precise traps rely on) and the last has the meaning of
//! `block.exit`. Every meaning comes from `vm_ir::semantics`, as the generic
//! interpreter's does.
//!
//! Measured, and left out on purpose: one function per kind, tail-calling the next
//! (threaded code, so each handler has its own indirect jump to predict), ran no faster
//! than this single `match` on this machine's (AMD EPYC) predictor.

use crate::cpu::CpuState;
use crate::interp::{block_end, exec_op, fp, trapped, BlockEnd, Trap};
use crate::watch::{self, Touch, Watchpoint};
use vm_ir::semantics::{eval_bin, eval_cond, eval_un};
use vm_ir::{BinOp, BlockExit, Cond, FpFmt, FpOp, IRBlock, Op, Rounding, Slot, UnOp, Width};
use vm_memory::GuestMemory;

#[cfg(test)]
mod tests;

/// One pre-decoded op: `kind` says what to do with slots `d`, `a`, `b` and `imm`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Uop {
    pub kind: Kind,
    /// The destination slot (the value slot of a store).
    pub d: Slot,
    /// The first operand slot (the base of a load or store).
    pub a: Slot,
    /// The second operand slot.
    pub b: Slot,
    /// The immediate operand: a constant, a sign-extended offset or immediate.
    pub imm: u64,
}

/// Defines [`Kind`] with one variant per specialised operation, the mappings from IR
/// operations to it, and [`run_block`]. Each list names the variants; `bin_imm` and `un`
/// pair each variant with its IR operation.
macro_rules! uops {
    (
        bin: [$($bin:ident),* $(,)?],
        bin_imm: [$($imm:ident = $imm_op:ident),* $(,)?],
        un: [$($un:ident),* $(,)?],
        branch: [$($exit:ident = $cond:ident),* $(,)?],
        fp: [$($fp:ident = $fp_op:ident . $fmt:ident),* $(,)?],
    ) => {
        /// What a [`Uop`] does. `Lb`..`Sd` are the loads and stores of RV64I by their
        /// mnemonics; the `bin` variants are `d = op(a, b)` of the `BinOp` of the same
        /// name, the `*Imm` variants `d = op(a, imm)`, the `un` variants `d = op(a)`.
        #[derive(Clone, Copy, Debug, PartialEq, Eq)]
        #[repr(u8)]
        pub(crate) enum Kind {
            /// `d = imm`
            Const,
            /// `d = a`
            Mov,
            /// Run the IR op at the same index with the generic interpreter.
            Other,
            Lb,
            Lbu,
            Lh,
            Lhu,
            Lw,
            Lwu,
            Ld,
            Sb,
            Sh,
            Sw,
            Sd,
            /// The block's end: retire `d` instructions, continue at `imm`.
            ExitJump,
            /// The block's end: retire `d` instructions, continue at the address in `a`.
            ExitIndirect,
            /// The block's end: anything else its `exit` says (system calls, faults,
            /// `fence.i`), which `interp::block_end` carries out.
            ExitOther,
            /// The `branch` variants are the block's end at a conditional branch: retire
            /// `d` instructions, continue at `imm` if the condition holds for `a` and `b`,
            /// else after the block.
            $($exit,)*
            /// The `fp` variants are the common arithmetic of F and D: `d = op(a, b, c)`
            /// with `c` in the low byte of `imm` and the rounding mode's `rm` field in
            /// the next.
            $($fp,)*
            $($bin,)*
            $($imm,)*
            $($un,)*
        }

        /// Every `BinOp` (`bin_kind` matches them all).
        #[cfg(test)]
        const BIN_OPS: &[BinOp] = &[$(BinOp::$bin),*];
        /// Every `UnOp`.
        #[cfg(test)]
        const UN_OPS: &[UnOp] = &[$(UnOp::$un),*];

        fn bin_kind(op: BinOp) -> Kind {
            match op {
                $(BinOp::$bin => Kind::$bin,)*
            }
        }

        fn bin_imm_kind(op: BinOp) -> Kind {
            match op {
                $(BinOp::$imm_op => Kind::$imm,)*
                #[allow(unreachable_patterns)]
                _ => Kind::Other,
            }
        }

        fn un_kind(op: UnOp) -> Kind {
            match op {
                $(UnOp::$un => Kind::$un,)*
            }
        }

        fn fp_kind(op: FpOp, fmt: FpFmt) -> Kind {
            match (op, fmt) {
                $((FpOp::$fp_op, FpFmt::$fmt) => Kind::$fp,)*
                _ => Kind::Other,
            }
        }

        fn branch_kind(cond: Cond) -> Kind {
            match cond {
                $(Cond::$cond => Kind::$exit,)*
            }
        }

        /// Runs `block`, whose pre-decoded form is `uops` (`compile(block)`), to its
        /// end or to the first trap. With `WATCH`, an access that hits one of `watch`
        /// traps before it is made (`watch` is not looked at otherwise). Inlined into
        /// the dispatch loop, so that the way the block ended stays in registers.
        #[inline(always)]
        pub(crate) fn run_block<const WATCH: bool>(
            block: &IRBlock,
            uops: &[Uop],
            cpu: &mut CpuState,
            mem: &GuestMemory,
            watch: &[Watchpoint],
        ) -> BlockEnd {
            // The op's value, or the block's end at the trap it raised.
            macro_rules! trap {
                ($access:expr, $index:expr) => {
                    match $access {
                        Ok(v) => v,
                        Err(trap) => return trapped(block, $index, trap, cpu),
                    }
                };
            }
            let mut index = 0;
            loop {
                let u = &uops[index];
                let r = &mut cpu.regs;
                let (d, a, b) = (u.d as usize, u.a as usize, u.b as usize);
                let addr = || r[a].wrapping_add(u.imm);
                // `ld!(N)`: the N-byte value at `addr()`; `st!(N)`: store the low N bytes
                // of `d` there; either ends the block at the trap the access raises.
                macro_rules! ld {
                    ($n:literal) => {
                        trap!(load::<$n, WATCH>(mem, addr(), watch), index)
                    };
                }
                macro_rules! st {
                    ($n:literal) => {
                        trap!(store::<$n, WATCH>(mem, addr(), r[d], watch), index)
                    };
                }
                match u.kind {
                    $(Kind::$bin => r[d] = eval_bin(BinOp::$bin, r[a], r[b]),)*
                    $(Kind::$imm => r[d] = eval_bin(BinOp::$imm_op, r[a], u.imm),)*
                    $(Kind::$un => r[d] = eval_un(UnOp::$un, r[a]),)*
                    Kind::Const => r[d] = u.imm,
                    Kind::Mov => r[d] = r[a],
                    Kind::Lb => r[d] = ld!(1) as i8 as u64,
                    Kind::Lbu => r[d] = ld!(1) as u8 as u64,
                    Kind::Lh => r[d] = ld!(2) as i16 as u64,
                    Kind::Lhu => r[d] = ld!(2) as u16 as u64,
                    Kind::Lw => r[d] = ld!(4) as i32 as u64,
                    Kind::Lwu => r[d] = ld!(4) as u32 as u64,
                    Kind::Ld => r[d] = ld!(8) as u64,
                    Kind::Sb => st!(1),
                    Kind::Sh => st!(2),
                    Kind::Sw => st!(4),
                    Kind::Sd => st!(8),
                    $(Kind::$fp => {
                        let (c, rm) = fp_operands(u.imm);
                        let slots = [u.d, u.a, u.b, c];
                        trap!(fp(FpOp::$fp_op, FpFmt::$fmt, rm, slots, cpu), index)
                    })*
                    Kind::Other => {
                        let op = &block.ops[index];
                        if WATCH {
                            trap!(watch::check_op(watch, op, &cpu.regs), index);
                        }
                        trap!(exec_op(op, block, index, cpu, mem), index)
                    }
                    Kind::ExitJump => {
                        cpu.instret += u64::from(u.d);
                        return BlockEnd::Next(u.imm);
                    }
                    Kind::ExitIndirect => {
                        cpu.instret += u64::from(u.d);
                        return BlockEnd::Next(r[a]);
                    }
                    $(Kind::$exit => {
                        cpu.instret += u64::from(u.d);
                        return BlockEnd::Next(if eval_cond(Cond::$cond, r[a], r[b]) {
                            u.imm
                        } else {
                            block.start + u64::from(block.len)
                        });
                    })*
                    Kind::ExitOther => return block_end(block, cpu, mem),
                }
                index += 1;
            }
        }
    };
}

uops! {
    bin: [
        Add, Sub, Sll, Srl, Sra, And, Or, Xor, Slt, Sltu, AddW, SubW, SllW, SrlW, SraW,
        Mul, MulH, MulHSU, MulHU, Div, DivU, Rem, RemU, MulW, DivW, DivUW, RemW, RemUW,
        AndN, OrN, XNor, Min, MinU, Max, MaxU, Rol, Ror, RolW, RorW, BClr, BExt, BInv,
        BSet, Sh1Add, Sh2Add, Sh3Add, Sh1AddUw, Sh2AddUw, Sh3AddUw, AddUw, SllUw, CZeroEqz,
        CZeroNez,
    ],
    // The operations the front end gives immediates (RV64I's and Zbb/Zbs's `*i` forms).
    bin_imm: [
        AddImm = Add, SltImm = Slt, SltuImm = Sltu, XorImm = Xor, OrImm = Or,
        AndImm = And, SllImm = Sll, SrlImm = Srl, SraImm = Sra, AddWImm = AddW,
        SllWImm = SllW, SrlWImm = SrlW, SraWImm = SraW, RorImm = Ror, RorWImm = RorW,
        BClrImm = BClr, BExtImm = BExt, BInvImm = BInv, BSetImm = BSet, SllUwImm = SllUw,
    ],
    un: [Clz, ClzW, Ctz, CtzW, Cpop, CpopW, SextB, SextH, ZextH, OrcB, Rev8],
    branch: [
        ExitEq = Eq, ExitNe = Ne, ExitLt = Lt, ExitGe = Ge, ExitLtU = LtU, ExitGeU = GeU,
    ],
    fp: [
        FAddD = Add.D, FSubD = Sub.D, FMulD = Mul.D, FDivD = Div.D, FSqrtD = Sqrt.D,
        FMAddD = MulAdd.D, FMSubD = MulSub.D, FNMSubD = NegMulSub.D, FNMAddD = NegMulAdd.D,
        FAddS = Add.S, FSubS = Sub.S, FMulS = Mul.S, FDivS = Div.S, FSqrtS = Sqrt.S,
        FMAddS = MulAdd.S, FMSubS = MulSub.S, FNMSubS = NegMulSub.S, FNMAddS = NegMulAdd.S,
    ],
}

/// [`run_block`] watching `watch`: not inlined, so that the dispatch loop carries one
/// copy of the interpreter inline, the one without watchpoints.
#[inline(never)]
pub(crate) fn run_watched(
    block: &IRBlock,
    uops: &[Uop],
    cpu: &mut CpuState,
    mem: &GuestMemory,
    watch: &[Watchpoint],
) -> BlockEnd {
    run_block::<true>(block, uops, cpu, mem, watch)
}

/// The `imm` of an `fp` kind: the third operand's slot and the rounding mode.
fn fp_imm(c: Slot, rm: Rounding) -> u64 {
    u64::from(c) | u64::from(rm.bits()) << 8
}

/// The third operand's slot and the rounding mode of an `fp` kind's `imm`.
#[inline(always)]
fn fp_operands(imm: u64) -> (Slot, Rounding) {
    let rm = Rounding::from_bits((imm >> 8) as u32 & 7).unwrap_or(Rounding::Dyn);
    (imm as Slot, rm)
}

/// The `N`-byte little-endian value at `addr`, zero-extended (with `WATCH`, unless the
/// read hits one of `watch`).
#[inline(always)]
fn load<const N: usize, const WATCH: bool>(
    mem: &GuestMemory,
    addr: u64,
    watch: &[Watchpoint],
) -> Result<i64, Trap> {
    if WATCH {
        watch::check(watch, addr, N as u64, Touch::Read)?;
    }
    let bytes = mem.read::<N>(addr).map_err(Trap::Memory)?;
    let mut wide = [0u8; 8];
    wide[..N].copy_from_slice(&bytes);
    Ok(i64::from_le_bytes(wide))
}

/// Stores the low `N` bytes of `v` at `addr` (with `WATCH`, unless the write hits one
/// of `watch`).
#[inline(always)]
fn store<const N: usize, const WATCH: bool>(
    mem: &GuestMemory,
    addr: u64,
    v: u64,
    watch: &[Watchpoint],
) -> Result<(), Trap> {
    if WATCH {
        watch::check(watch, addr, N as u64, Touch::Write)?;
    }
    let bytes: [u8; N] = v.to_le_bytes()[..N].try_into().expect("N <= 8");
    mem.write::<N>(addr, bytes).map_err(Trap::Memory)
}

/// The pre-decoded form of `block`: its ops, then its exit.
pub(crate) fn compile(block: &IRBlock) -> Box<[Uop]> {
    let mut uops: Vec<Uop> = block.ops.iter().map(compile_op).collect();
    uops.push(compile_exit(block));
    uops.into_boxed_slice()
}

fn compile_exit(block: &IRBlock) -> Uop {
    let other = Uop {
        kind: Kind::ExitOther,
        d: 0,
        a: 0,
        b: 0,
        imm: 0,
    };
    // Blocks have at most `MAX_BLOCK_INSNS` instructions, so the count fits `d`.
    let Ok(retired) = u8::try_from(block.insn_count()) else {
        return other;
    };
    let uop = |kind, a, b, imm| Uop {
        kind,
        d: retired,
        a,
        b,
        imm,
    };
    match block.exit {
        BlockExit::Jump { target } => uop(Kind::ExitJump, 0, 0, target),
        BlockExit::JumpIndirect { target } => uop(Kind::ExitIndirect, target, 0, 0),
        BlockExit::Branch {
            cond,
            a,
            b,
            taken,
            not_taken,
        } if not_taken == block.start + u64::from(block.len) => uop(branch_kind(cond), a, b, taken),
        _ => other,
    }
}

fn compile_op(op: &Op) -> Uop {
    let uop = |kind, d, a, b, imm| Uop { kind, d, a, b, imm };
    match *op {
        Op::Const { dst, imm } => uop(Kind::Const, dst, 0, 0, imm),
        Op::Mov { dst, src } => uop(Kind::Mov, dst, src, 0, 0),
        // `mv` and `li` as the compressed and base encodings spell them: an operation
        // with `x0` (which reads as zero) or with zero whose result is its other operand.
        Op::Bin {
            op: BinOp::Add | BinOp::Or | BinOp::Xor,
            dst,
            a: 0,
            b,
        } => uop(Kind::Mov, dst, b, 0, 0),
        Op::Bin {
            op: BinOp::Add | BinOp::Or | BinOp::Xor | BinOp::Sub,
            dst,
            a,
            b: 0,
        } => uop(Kind::Mov, dst, a, 0, 0),
        Op::BinImm {
            op: BinOp::Add | BinOp::Or | BinOp::Xor,
            dst,
            a: 0,
            imm,
        } => uop(Kind::Const, dst, 0, 0, imm as u64),
        Op::BinImm {
            op: BinOp::Add | BinOp::Or | BinOp::Xor,
            dst,
            a,
            imm: 0,
        } => uop(Kind::Mov, dst, a, 0, 0),
        Op::Bin { op, dst, a, b } => uop(bin_kind(op), dst, a, b, 0),
        Op::BinImm { op, dst, a, imm } => uop(bin_imm_kind(op), dst, a, 0, imm as u64),
        Op::Un { op, dst, a } => uop(un_kind(op), dst, a, 0, 0),
        Op::Load {
            width,
            signed,
            dst,
            base,
            offset,
        } => {
            let kind = match (width, signed) {
                (Width::B1, true) => Kind::Lb,
                (Width::B1, false) => Kind::Lbu,
                (Width::B2, true) => Kind::Lh,
                (Width::B2, false) => Kind::Lhu,
                (Width::B4, true) => Kind::Lw,
                (Width::B4, false) => Kind::Lwu,
                (Width::B8, _) => Kind::Ld,
            };
            uop(kind, dst, base, 0, offset as i64 as u64)
        }
        Op::Store {
            width,
            src,
            base,
            offset,
        } => {
            let kind = match width {
                Width::B1 => Kind::Sb,
                Width::B2 => Kind::Sh,
                Width::B4 => Kind::Sw,
                Width::B8 => Kind::Sd,
            };
            uop(kind, src, base, 0, offset as i64 as u64)
        }
        Op::Fp {
            op,
            fmt,
            rm,
            dst,
            a,
            b,
            c,
        } => uop(fp_kind(op, fmt), dst, a, b, fp_imm(c, rm)),
        Op::LoadReserved { .. }
        | Op::StoreConditional { .. }
        | Op::Amo { .. }
        | Op::ReadCsr { .. }
        | Op::WriteCsr { .. }
        | Op::VSetVl { .. }
        | Op::VMem(_)
        | Op::Vector(_) => uop(Kind::Other, 0, 0, 0, 0),
    }
}
