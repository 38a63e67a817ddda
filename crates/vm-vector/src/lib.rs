//! The V extension (RVV 1.0, with Zvbb): the one meaning of every vector instruction.
//!
//! The front end decodes a vector instruction into one IR op (`vm_ir::vector`); every
//! back end executes that op by calling into this crate with the hart's
//! [`VectorState`], its scalar register slots, `fcsr` and guest memory. The interpreter
//! calls it directly; compiled code will call the same functions as helpers, so there is
//! exactly one implementation of each instruction.
//!
//! The implementation has VLEN = 128 and ELEN = 64 (what qemu's `rva23u64` CPU has, so
//! the two can be compared). Agnostic tail and mask policies are treated as undisturbed,
//! which the specification allows and qemu does by default.
//!
//! Invariants:
//! - An instruction either completes, or traps with the guest state as it was before it,
//!   except that a load or store that faults at element `i` has done elements before `i`
//!   and leaves `vstart = i`, as the specification requires.
//! - Every instruction that completes leaves `vstart = 0`.
//! - Nothing here panics on any guest input: illegal configurations are [`VTrap::Illegal`].

mod bitmanip;
mod config;
mod csr;
mod fixed;
mod float;
mod integer;
mod mask;
mod memory;
mod permute;
#[cfg(test)]
mod permute_tests;
mod reduce;
mod state;
#[cfg(test)]
mod tests;
mod widen;

pub use config::set_vl;
pub use csr::{read_csr, write_csr};
pub use memory::memory;
pub use state::{check_group, groups_overlap, VType, VectorState, VTYPE_VILL};

use vm_ir::vector::{VArith, VFamily};

/// Vector register width in bits.
pub const VLEN: usize = 128;
/// Vector register width in bytes (the `vlenb` CSR).
pub const VLENB: usize = VLEN / 8;

/// Why a vector instruction did not complete.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum VTrap {
    /// Illegal instruction (SIGILL): illegal for the current `vtype`, `vill` set, a
    /// misaligned register group, or an invalid dynamic rounding mode.
    Illegal,
    /// A load or store faulted; `vstart` names the element.
    Memory(vm_memory::MemFault),
}

/// Executes a vector arithmetic, mask, permutation or reduction instruction. `regs` is
/// the flat slot file (`vm_ir`), `fcsr` the FP control and status register, whose flags
/// FP operations accumulate and whose `frm` they round with.
pub fn arith(
    v: &mut VectorState,
    insn: &VArith,
    regs: &mut [u64],
    fcsr: &mut u32,
) -> Result<(), VTrap> {
    match insn.op.family() {
        VFamily::Integer => integer::execute(v, insn, regs, fcsr),
        VFamily::FixedPoint => fixed::execute(v, insn, regs, fcsr),
        VFamily::BitManip => bitmanip::execute(v, insn, regs, fcsr),
        VFamily::Reduction => reduce::execute(v, insn, regs, fcsr),
        VFamily::Mask => mask::execute(v, insn, regs, fcsr),
        VFamily::Permute => permute::execute(v, insn, regs, fcsr),
        VFamily::Float => float::execute(v, insn, regs, fcsr),
    }
}
