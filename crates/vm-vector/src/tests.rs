//! Unit tests of the configuration and the register-file accessors; the instructions
//! themselves are tested against qemu by guest programs (`tests/rva23/`).

use crate::*;
use vm_ir::vector::{VAvl, VTypeSrc};

fn vtypei(sew_log2: u64, vlmul: u64) -> VTypeSrc {
    VTypeSrc::Imm((sew_log2 << 3 | vlmul) as u16)
}

#[test]
fn vsetvl_clamps_to_vlmax_and_rejects_unsupported_types() {
    let mut v = VectorState::default();
    let regs = [0u64; 256];
    // e8, m1: VLMAX = 16; e64, m8: 16; e32, mf2: 2.
    assert_eq!(set_vl(&mut v, VAvl::Imm(31), vtypei(0, 0), &regs), 16);
    assert_eq!(set_vl(&mut v, VAvl::Max, vtypei(3, 3), &regs), 16);
    assert_eq!(set_vl(&mut v, VAvl::Max, vtypei(2, 7), &regs), 2);
    assert_eq!(set_vl(&mut v, VAvl::Imm(1), vtypei(2, 7), &regs), 1);
    // Keep: vl stays, clamped to the new VLMAX.
    set_vl(&mut v, VAvl::Imm(16), vtypei(0, 0), &regs);
    assert_eq!(set_vl(&mut v, VAvl::Keep, vtypei(1, 0), &regs), 8);
    // e64 at mf4 and e32 at mf8 (SEW > VLEN * LMUL), the reserved LMUL 4, SEW 128, a
    // reserved bit.
    for raw in [3 << 3 | 6, 2 << 3 | 5, 4, 4 << 3, 1 << 8] {
        v.vl = 5;
        assert_eq!(set_vl(&mut v, VAvl::Max, VTypeSrc::Imm(raw), &regs), 0);
        assert_eq!((v.vtype, v.vl), (VTYPE_VILL, 0));
    }
    // e8 at mf8 is the smallest legal configuration: VLMAX = 2. SEW up to VLEN * LMUL
    // is supported, as in qemu (the specification only requires up to ELEN * LMUL):
    // e16 at mf8 and e64 at mf2 have VLMAX 1.
    assert_eq!(set_vl(&mut v, VAvl::Max, vtypei(0, 5), &regs), 2);
    assert_eq!(set_vl(&mut v, VAvl::Max, vtypei(1, 5), &regs), 1);
    assert_eq!(set_vl(&mut v, VAvl::Max, vtypei(3, 7), &regs), 1);
}

#[test]
fn elements_and_mask_bits_are_little_endian_across_a_group() {
    let mut v = VectorState::default();
    v.set(2, 4, 5, 0x1122_3344); // element 5 of the group at v2: bytes 4..8 of v3
    assert_eq!(
        &v.regs[3 * VLENB + 4..3 * VLENB + 8],
        &[0x44, 0x33, 0x22, 0x11]
    );
    assert_eq!(v.get(3, 2, 2), 0x3344);
    assert_eq!(v.get_signed(3, 1, 7), 0x11);
    v.set(0, 1, 0, 0x80);
    assert_eq!(v.get_signed(0, 1, 0), -128);
    v.set_mask_bit(0, 9, true);
    assert!(v.mask_bit(0, 9) && !v.mask_bit(0, 8));
    assert_eq!(v.regs[1], 2);
    // Past the file: reads zero, writes nothing, never panics.
    assert_eq!(v.get(31, 8, 2), 0);
    v.set(31, 8, 2, 1);
}

#[test]
fn register_groups_must_be_aligned_and_fit() {
    assert!(check_group(4, 2).is_ok());
    assert!(check_group(6, 2).is_err());
    assert!(check_group(31, 0).is_ok());
    assert!(check_group(24, 3).is_ok());
    assert!(check_group(0, 4).is_err());
    assert!(check_group(0, -4).is_err());
    assert!(groups_overlap(0, 8, 7, 1) && !groups_overlap(0, 8, 8, 1));
}
