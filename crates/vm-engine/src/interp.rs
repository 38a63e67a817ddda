//! The IR interpreter: executes the ops and exits of an [`IRBlock`] against the CPU state
//! and guest memory, op by op as the IR spells them.
//!
//! It is the reference back end: every op's meaning comes from `vm_ir::semantics` (integer)
//! and `vm_fpu` (floating point), which the JIT must match. The dispatch loop runs blocks
//! through their pre-decoded form (`uop`), which comes here for the ops and exits it does
//! not specialise and for the bookkeeping of traps.

use crate::cpu::{CpuState, LoadReservation, FFLAGS_MASK, FRM_SHIFT};
use crate::Exit;
use vm_ir::semantics::{eval_amo, eval_bin, eval_cond, eval_un, sign_extend};
use vm_ir::{BlockExit, Csr, FpFmt, FpOp, GuestAddr, IRBlock, Op, Rounding, Slot, Width};
use vm_memory::{Access, GuestMemory};

/// How a block ended.
pub(crate) enum BlockEnd {
    /// Continue at this guest address.
    Next(GuestAddr),
    /// Translated code must be discarded, then execution continues at this address.
    FlushThen(GuestAddr),
    /// Leave the dispatch loop; `cpu.pc` names the instruction concerned.
    Exit(Exit),
}

/// A trap raised by an op in the middle of a block.
pub(crate) enum Trap {
    Memory(vm_memory::MemFault),
    Misaligned(GuestAddr),
    /// Illegal after all: an invalid dynamic rounding mode, or a vector instruction
    /// that the current `vtype` makes illegal.
    Illegal,
    /// A debugger's watchpoint of `kind` is hit at `addr`.
    Watch {
        addr: GuestAddr,
        kind: crate::WatchKind,
    },
}

/// The end of `block` after all its ops ran, as its `exit` says.
pub(crate) fn block_end(block: &IRBlock, cpu: &mut CpuState, mem: &GuestMemory) -> BlockEnd {
    let regs = &cpu.regs;
    let all = block.insn_count();
    let (retired, end) = match block.exit {
        BlockExit::Jump { target } => (all, BlockEnd::Next(target)),
        BlockExit::Branch {
            cond,
            a,
            b,
            taken,
            not_taken,
        } => {
            let t = eval_cond(cond, regs[a as usize], regs[b as usize]);
            (all, BlockEnd::Next(if t { taken } else { not_taken }))
        }
        BlockExit::JumpIndirect { target } => (all, BlockEnd::Next(regs[target as usize])),
        BlockExit::FenceI { next } => (all, BlockEnd::FlushThen(next)),
        BlockExit::Syscall { pc } => {
            cpu.pc = pc;
            (all, BlockEnd::Exit(Exit::Syscall))
        }
        BlockExit::Breakpoint { pc } => {
            cpu.pc = pc;
            (all.saturating_sub(1), BlockEnd::Exit(Exit::Breakpoint))
        }
        BlockExit::IllegalInstruction { pc, bits } => {
            // Fault-only blocks have no marks: the instruction never retires.
            cpu.pc = pc;
            (all, BlockEnd::Exit(Exit::IllegalInstruction { bits }))
        }
        BlockExit::FetchFault { pc, addr } => {
            (all, BlockEnd::Exit(fetch_fault(cpu, mem, pc, addr)))
        }
    };
    cpu.instret += retired;
    end
}

/// The end of `block` when op `index` raised `trap`: the guest state is that before the
/// op's instruction, which `cpu.pc` names.
#[cold]
#[inline(never)]
pub(crate) fn trapped(block: &IRBlock, index: usize, trap: Trap, cpu: &mut CpuState) -> BlockEnd {
    cpu.pc = block.pc_of_op(index);
    cpu.instret += block.insns_before_op(index);
    BlockEnd::Exit(match trap {
        Trap::Memory(fault) => Exit::MemoryFault(fault),
        Trap::Misaligned(addr) => Exit::MisalignedAtomic { addr },
        Trap::Illegal => Exit::IllegalInstruction { bits: 0 },
        Trap::Watch { addr, kind } => Exit::Watchpoint { addr, kind },
    })
}

/// The exit of a block whose first instruction cannot be fetched: the fault at `addr`,
/// with `cpu.pc` at the instruction.
pub(crate) fn fetch_fault(
    cpu: &mut CpuState,
    mem: &GuestMemory,
    pc: GuestAddr,
    addr: GuestAddr,
) -> Exit {
    cpu.pc = pc;
    // Built here rather than by `fault_in_range`, which costs the hot loop a few percent
    // (register pressure); a page past the end of its file shows as a protection fault,
    // which the system layer refines.
    let kind = if mem.is_mapped(addr, 1) {
        vm_memory::FaultKind::Protection
    } else {
        vm_memory::FaultKind::Unmapped
    };
    Exit::MemoryFault(vm_memory::MemFault {
        addr,
        access: Access::Execute,
        kind,
    })
}

fn check_aligned(addr: GuestAddr, width: Width) -> Result<(), Trap> {
    if addr.is_multiple_of(width.bytes()) {
        Ok(())
    } else {
        Err(Trap::Misaligned(addr))
    }
}

/// Executes IR op `index` of `block`, `op`: the generic interpreter, which
/// `uop::run_block` falls back to for the ops it does not specialise (and which its tests
/// take as the reference). Not inlined: the ops that reach it are the rare ones.
#[inline(never)]
pub(crate) fn exec_op(
    op: &Op,
    block: &IRBlock,
    index: usize,
    cpu: &mut CpuState,
    mem: &GuestMemory,
) -> Result<(), Trap> {
    let r = &mut cpu.regs;
    match *op {
        Op::Load {
            width,
            signed,
            dst,
            base,
            offset,
        } => {
            let addr = r[base as usize].wrapping_add(offset as i64 as u64);
            let v = mem.read_uint(addr, width).map_err(Trap::Memory)?;
            r[dst as usize] = if signed { sign_extend(width, v) } else { v };
        }
        Op::Store {
            width,
            src,
            base,
            offset,
        } => {
            let addr = r[base as usize].wrapping_add(offset as i64 as u64);
            mem.write_uint(addr, width, r[src as usize])
                .map_err(Trap::Memory)?;
        }
        Op::Const { dst, imm } => r[dst as usize] = imm,
        Op::Mov { dst, src } => r[dst as usize] = r[src as usize],
        Op::Bin { op, dst, a, b } => r[dst as usize] = eval_bin(op, r[a as usize], r[b as usize]),
        Op::BinImm { op, dst, a, imm } => r[dst as usize] = eval_bin(op, r[a as usize], imm as u64),
        Op::Un { op, dst, a } => r[dst as usize] = eval_un(op, r[a as usize]),
        Op::LoadReserved { width, dst, addr } => {
            let a = r[addr as usize];
            check_aligned(a, width)?;
            let v = mem.read_uint(a, width).map_err(Trap::Memory)?;
            r[dst as usize] = sign_extend(width, v);
            cpu.reservation = Some(LoadReservation { addr: a, value: v });
        }
        Op::StoreConditional {
            width,
            dst,
            src,
            addr,
        } => {
            let a = r[addr as usize];
            check_aligned(a, width)?;
            // A store-conditional to a location that could not be stored to faults even
            // without a reservation, as on hardware.
            mem.check(a, width.bytes(), Access::Write)
                .map_err(Trap::Memory)?;
            let ok = match cpu.reservation.take() {
                Some(res) if res.addr == a => mem
                    .compare_exchange(a, width, res.value, r[src as usize])
                    .map_err(Trap::Memory)?,
                _ => false,
            };
            r[dst as usize] = (!ok) as u64;
        }
        Op::Amo {
            op,
            width,
            dst,
            addr,
            src,
        } => {
            let a = r[addr as usize];
            check_aligned(a, width)?;
            let operand = r[src as usize];
            let old = mem
                .atomic_update(a, width, |old| {
                    eval_amo(op, width, sign_extend(width, old), operand)
                })
                .map_err(Trap::Memory)?;
            r[dst as usize] = sign_extend(width, old);
        }
        Op::ReadCsr { dst, csr } => {
            let before = cpu.instret + block.insns_before_op(index);
            cpu.regs[dst as usize] = vm_vector::read_csr(&cpu.vector, csr)
                .unwrap_or_else(|| read_csr(csr, cpu.fcsr, before));
        }
        Op::WriteCsr { csr, src } => {
            if vm_vector::write_csr(&mut cpu.vector, csr, r[src as usize]) {
                return Ok(());
            }
            let v = r[src as usize] as u32;
            cpu.fcsr = match csr {
                Csr::FFlags => (cpu.fcsr & !FFLAGS_MASK) | (v & FFLAGS_MASK),
                Csr::Frm => (cpu.fcsr & FFLAGS_MASK) | ((v & 7) << FRM_SHIFT),
                Csr::Fcsr => v & 0xff,
                // The front end never emits writes to read-only CSRs, and the vector
                // unit took its own.
                _ => cpu.fcsr,
            };
        }
        Op::Fp {
            op,
            fmt,
            rm,
            dst,
            a,
            b,
            c,
        } => fp(op, fmt, rm, [dst, a, b, c], cpu)?,
        Op::VSetVl { dst, avl, vtype } => {
            r[dst as usize] = vm_vector::set_vl(&mut cpu.vector, avl, vtype, r);
        }
        Op::VMem(ref insn) => {
            vm_vector::memory(&mut cpu.vector, insn, r, mem).map_err(vector_trap)?
        }
        Op::Vector(ref insn) => {
            vm_vector::arith(&mut cpu.vector, insn, r, &mut cpu.fcsr).map_err(vector_trap)?
        }
    }
    Ok(())
}

/// `dst = op(a, b, c)` in format `fmt`, rounding as `rm` says (trapping if it says to use
/// an invalid `frm`), accumulating the exception flags in `fflags`.
#[inline(always)]
pub(crate) fn fp(
    op: FpOp,
    fmt: FpFmt,
    rm: Rounding,
    [dst, a, b, c]: [Slot; 4],
    cpu: &mut CpuState,
) -> Result<(), Trap> {
    let rm = match rm {
        Rounding::Dyn => Rounding::from_bits((cpu.fcsr >> FRM_SHIFT) & 7)
            .filter(|r| *r != Rounding::Dyn)
            .ok_or(Trap::Illegal)?,
        fixed => fixed,
    };
    let r = &mut cpu.regs;
    let (x, y, z) = (r[a as usize], r[b as usize], r[c as usize]);
    let out = vm_fpu::execute_after(op, fmt, rm, x, y, z, cpu.fcsr & FFLAGS_MASK);
    r[dst as usize] = out.value;
    cpu.fcsr |= out.flags & FFLAGS_MASK;
    Ok(())
}

fn vector_trap(trap: vm_vector::VTrap) -> Trap {
    match trap {
        vm_vector::VTrap::Illegal => Trap::Illegal,
        vm_vector::VTrap::Memory(fault) => Trap::Memory(fault),
    }
}

fn read_csr(csr: Csr, fcsr: u32, instret: u64) -> u64 {
    match csr {
        Csr::FFlags => (fcsr & FFLAGS_MASK) as u64,
        Csr::Frm => ((fcsr >> FRM_SHIFT) & 7) as u64,
        Csr::Fcsr => (fcsr & 0xff) as u64,
        Csr::Cycle | Csr::InstRet => instret,
        Csr::Time => time_ticks(),
        // The vector unit answers for its own.
        _ => 0,
    }
}

/// The `time` CSR: a 10 MHz monotonic timebase, like common RISC-V Linux platforms.
fn time_ticks() -> u64 {
    let mut ts = libc::timespec {
        tv_sec: 0,
        tv_nsec: 0,
    };
    // SAFETY: `ts` is a valid, writable timespec; CLOCK_MONOTONIC is always supported.
    unsafe { libc::clock_gettime(libc::CLOCK_MONOTONIC, &mut ts) };
    ts.tv_sec as u64 * 10_000_000 + ts.tv_nsec as u64 / 100
}
