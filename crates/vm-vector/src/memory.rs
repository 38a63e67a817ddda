//! Vector loads and stores: unit-stride, strided, indexed, segment, fault-only-first,
//! whole-register and mask.
//!
//! Elements are accessed in order, one at a time, through the guest memory's checked
//! accessors; a fault at element `i` leaves elements before it done and `vstart = i`
//! (for fault-only-first loads past their first element: `vl = i` and no trap).

use crate::state::{check_group, groups_overlap, VType, VectorState};
use crate::widen::{check_narrower_source, check_wider_source};
use crate::{VTrap, VLENB};
use std::cmp::Ordering;
use vm_ir::vector::{Eew, VMem, VMemMode};
use vm_ir::Width;
use vm_memory::GuestMemory;

fn width(bytes: usize) -> Width {
    match bytes {
        1 => Width::B1,
        2 => Width::B2,
        4 => Width::B4,
        _ => Width::B8,
    }
}

fn eew_log2(eew: Eew) -> i32 {
    eew.bytes().trailing_zeros() as i32
}

/// The shape of one access: elements `start..evl`, `nf` fields of `bytes` each, field
/// `f` of element `i` in register group `vd + f * field_regs`.
struct Shape {
    evl: usize,
    bytes: usize,
    field_regs: u8,
}

/// Executes a vector load or store. `regs` is the flat slot file (base, stride).
pub fn memory(
    v: &mut VectorState,
    insn: &VMem,
    regs: &[u64],
    mem: &GuestMemory,
) -> Result<(), VTrap> {
    let slot = |s: u8| regs.get(s as usize).copied().unwrap_or(0);
    let base = slot(insn.base);
    let nf = insn.nf as usize;
    let shape = shape(v, insn)?;
    let start = v.vstart as usize;
    if start >= shape.evl {
        v.vstart = 0;
        return Ok(());
    }
    let bytes = shape.bytes;
    if contiguous(v, insn, mem, base, start, shape.evl, bytes) {
        v.vstart = 0;
        return Ok(());
    }
    for i in start..shape.evl {
        if !v.active(insn.masked, i) {
            continue;
        }
        for f in 0..nf {
            let offset = match insn.mode {
                VMemMode::Unit | VMemMode::FaultFirst | VMemMode::Mask => {
                    ((i * nf + f) * bytes) as u64
                }
                VMemMode::WholeRegister => (i * bytes) as u64,
                VMemMode::Strided(stride) => (i as u64)
                    .wrapping_mul(slot(stride))
                    .wrapping_add((f * bytes) as u64),
                VMemMode::Indexed { index, .. } => v
                    .get(index, insn.eew.bytes(), i)
                    .wrapping_add((f * bytes) as u64),
            };
            let addr = base.wrapping_add(offset);
            let reg = insn.vd + f as u8 * shape.field_regs;
            let done = if insn.store {
                mem.write_uint(addr, width(bytes), v.get(reg, bytes, i))
            } else {
                mem.read_uint(addr, width(bytes))
                    .map(|value| v.set(reg, bytes, i, value))
            };
            if let Err(fault) = done {
                if insn.mode == VMemMode::FaultFirst && i > start {
                    // Fields already loaded for element `i` are past the new vl.
                    v.vl = i as u64;
                    v.vstart = 0;
                    return Ok(());
                }
                v.vstart = i as u64;
                return Err(VTrap::Memory(fault));
            }
        }
    }
    v.vstart = 0;
    Ok(())
}

/// The common case done as one copy: an unmasked single-field access of consecutive
/// elements (unit stride, whole registers, masks), whose guest bytes `[base + start *
/// bytes, base + evl * bytes)` are the register group's bytes from element `start` on,
/// both little-endian. Returns false, having done nothing, for every other access and
/// when any byte of the range cannot be accessed: the element-by-element path then
/// finds the faulting element.
fn contiguous(
    v: &mut VectorState,
    insn: &VMem,
    mem: &GuestMemory,
    base: u64,
    start: usize,
    evl: usize,
    bytes: usize,
) -> bool {
    let consecutive = matches!(
        insn.mode,
        VMemMode::Unit | VMemMode::FaultFirst | VMemMode::WholeRegister | VMemMode::Mask
    );
    if !consecutive || insn.masked || insn.nf != 1 && insn.mode != VMemMode::WholeRegister {
        return false;
    }
    let at = insn.vd as usize * VLENB + start * bytes;
    let len = (evl - start) * bytes;
    let Some(group) = v.regs.get_mut(at..at + len) else {
        return false;
    };
    let addr = base.wrapping_add((start * bytes) as u64);
    if insn.store {
        mem.write_bytes(addr, group).is_ok()
    } else {
        mem.read_bytes(addr, group).is_ok()
    }
}

/// Checks `insn` against the current configuration and works out its shape.
fn shape(v: &VectorState, insn: &VMem) -> Result<Shape, VTrap> {
    let nf = insn.nf as u32;
    // A masked load may not overwrite its own mask.
    if insn.masked && !insn.store && insn.vd == 0 {
        return Err(VTrap::Illegal);
    }
    match insn.mode {
        VMemMode::WholeRegister => {
            // Independent of vtype and vl: legal even with vill set.
            check_group(insn.vd, nf.trailing_zeros() as i32)?;
            Ok(Shape {
                evl: nf as usize * VLENB / insn.eew.bytes(),
                bytes: insn.eew.bytes(),
                field_regs: 0,
            })
        }
        VMemMode::Mask => {
            v.vtype()?;
            Ok(Shape {
                evl: (v.vl as usize).div_ceil(8),
                bytes: 1,
                field_regs: 0,
            })
        }
        VMemMode::Unit | VMemMode::FaultFirst | VMemMode::Strided(_) => {
            let vt = v.vtype()?;
            // EMUL = EEW / SEW * LMUL.
            let emul_log2 = eew_log2(insn.eew) - vt.sew_log2 as i32 + vt.lmul_log2;
            let field_regs = fields_fit(insn.vd, nf, emul_log2)?;
            Ok(Shape {
                evl: v.vl as usize,
                bytes: insn.eew.bytes(),
                field_regs,
            })
        }
        VMemMode::Indexed { index, .. } => {
            let vt = v.vtype()?;
            let index_emul_log2 = eew_log2(insn.eew) - vt.sew_log2 as i32 + vt.lmul_log2;
            check_group(index, index_emul_log2)?;
            let field_regs = fields_fit(insn.vd, nf, vt.lmul_log2)?;
            check_index_overlap(insn, nf, field_regs, vt, index, index_emul_log2)?;
            Ok(Shape {
                evl: v.vl as usize,
                bytes: vt.sew_bytes(),
                field_regs,
            })
        }
    }
}

/// Checks how the data of an indexed access (EEW SEW, EMUL LMUL) may share registers
/// with its index (EEW and EMUL of its own), as qemu 10.0 does (sections 5.2, 7.8.3):
/// - a store reads both, and a register holds operands of one EEW only: they may
///   overlap only when the EEWs are equal;
/// - a load's destination may overlap the index as any destination may a source of
///   another EEW: all of it at the same EEW, the index's lowest-numbered part when the
///   index is wider, the destination's highest-numbered part when the index is
///   narrower (with an index EMUL of at least 1);
/// - a segment load's fields may not overlap the index at all.
fn check_index_overlap(
    insn: &VMem,
    nf: u32,
    field_regs: u8,
    vt: VType,
    index: u8,
    index_emul_log2: i32,
) -> Result<(), VTrap> {
    let index_regs = 1u32 << index_emul_log2.max(0);
    let data_regs = nf * field_regs as u32;
    let overlaps = groups_overlap(insn.vd, data_regs, index, index_regs);
    let same_eew = insn.eew.bytes() == vt.sew_bytes();
    if insn.store || nf > 1 {
        let allowed = insn.store && same_eew;
        return if overlaps && !allowed {
            Err(VTrap::Illegal)
        } else {
            Ok(())
        };
    }
    match insn.eew.bytes().cmp(&vt.sew_bytes()) {
        Ordering::Equal => Ok(()),
        Ordering::Greater => check_wider_source(insn.vd, vt.lmul_log2, index, index_emul_log2),
        Ordering::Less => check_narrower_source(insn.vd, vt.lmul_log2, index, index_emul_log2),
    }
}

/// Checks that `nf` fields of EMUL `2^emul_log2` starting at `vd` are legal groups that
/// fit in the 32 registers, at most 8 registers in all; returns registers per field.
fn fields_fit(vd: u8, nf: u32, emul_log2: i32) -> Result<u8, VTrap> {
    check_group(vd, emul_log2)?;
    let per_field = 1u32 << emul_log2.max(0);
    if nf * per_field > 8 || vd as u32 + nf * per_field > 32 {
        return Err(VTrap::Illegal);
    }
    Ok(per_field as u8)
}
