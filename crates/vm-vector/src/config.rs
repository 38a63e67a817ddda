//! `vsetvli`, `vsetivli` and `vsetvl`.

use crate::state::{VType, VectorState, VTYPE_VILL};
use vm_ir::vector::{VAvl, VTypeSrc};

/// Sets `vtype` and `vl` as `vsetvl*` does and returns the new `vl`. `regs` is the flat
/// slot file the AVL and `vtype` registers are read from.
///
/// An unsupported `vtype` sets `vill` (and `vtype`'s other bits to zero) and `vl = 0`.
/// Otherwise `vl = min(AVL, VLMAX)`, which the specification allows and qemu does.
/// `VAvl::Keep` (`rd = rs1 = x0`) keeps `vl`, clamped to the new VLMAX.
pub fn set_vl(v: &mut VectorState, avl: VAvl, vtype: VTypeSrc, regs: &[u64]) -> u64 {
    let raw = match vtype {
        VTypeSrc::Imm(bits) => bits as u64,
        VTypeSrc::Reg(slot) => regs.get(slot as usize).copied().unwrap_or(0),
    };
    v.vstart = 0;
    let Some(config) = VType::decode(raw) else {
        v.vtype = VTYPE_VILL;
        v.vl = 0;
        return 0;
    };
    let vlmax = config.vlmax();
    let avl = match avl {
        VAvl::Reg(slot) => regs.get(slot as usize).copied().unwrap_or(0),
        VAvl::Imm(n) => n as u64,
        VAvl::Max => u64::MAX,
        VAvl::Keep => v.vl,
    };
    v.vtype = raw;
    v.vl = avl.min(vlmax);
    v.vl
}
