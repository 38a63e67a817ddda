//! Permutations: scalar moves, slides, gathers, `vcompress.vm` and whole-register moves.

use crate::state::VectorState;
use crate::VTrap;
use vm_ir::vector::VArith;

pub(crate) fn execute(
    _v: &mut VectorState,
    _insn: &VArith,
    _regs: &mut [u64],
    _fcsr: &mut u32,
) -> Result<(), VTrap> {
    // Not implemented yet: an illegal instruction, as before the V extension.
    Err(VTrap::Illegal)
}
