//! Mask logic (`vmand.mm` ..), `vcpop.m`, `vfirst.m`, `vmsbf.m`, `vmsif.m`, `vmsof.m`,
//! `viota.m` and `vid.v`.

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
