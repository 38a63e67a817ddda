//! Placing images: a second image (the dynamic linker) beside the first, never on it.

use super::*;
use crate::elf::{ElfHeader, ProgramHeader, PT_LOAD};
use crate::layout::INTERP_BASE;

/// A position-independent image with one read-execute page of code at vaddr 0 and a
/// read-write page at vaddr 0x1000 (file bytes: two pages of 0x11, then 0x22).
fn tiny_dyn() -> (ElfFile, Vec<u8>) {
    let seg = |vaddr: u64, flags| ProgramHeader {
        p_type: PT_LOAD,
        flags,
        offset: vaddr,
        vaddr,
        filesz: 0x1000,
        memsz: 0x1000,
        align: 0x1000,
    };
    let elf = ElfFile {
        header: ElfHeader {
            is_dyn: true,
            entry: 0x10,
            phoff: 64,
            phnum: 2,
        },
        phdrs: vec![seg(0, PF_R | PF_X), seg(0x1000, PF_R | PF_W)],
        interp: None,
    };
    let mut bytes = vec![0x11u8; 0x1000];
    bytes.extend([0x22u8; 0x1000]);
    (elf, bytes)
}

#[test]
fn a_second_image_lands_at_its_own_base() {
    let mut mem = GuestMemory::new().unwrap();
    let (elf, bytes) = tiny_dyn();
    let prog = load_image(&mut mem, &elf, &bytes, "prog", PIE_BASE).unwrap();
    let ld = load_image(&mut mem, &elf, &bytes, "ld.so", INTERP_BASE).unwrap();
    assert_eq!(
        (prog.bias, prog.entry, prog.end),
        (PIE_BASE, PIE_BASE + 0x10, PIE_BASE + 0x2000)
    );
    assert_eq!((ld.bias, ld.entry), (INTERP_BASE, INTERP_BASE + 0x10));
    assert_eq!(mem.read::<1>(INTERP_BASE + 0x1000).unwrap(), [0x22]);
    assert_eq!(mem.read::<1>(PIE_BASE).unwrap(), [0x11]);
}

#[test]
fn an_image_is_never_mapped_over_another() {
    let mut mem = GuestMemory::new().unwrap();
    let (elf, bytes) = tiny_dyn();
    load_image(&mut mem, &elf, &bytes, "prog", PIE_BASE).unwrap();
    // One page into the first image: its data page would be overwritten.
    let err = load_image(&mut mem, &elf, &bytes, "ld.so", PIE_BASE + 0x1000).unwrap_err();
    assert!(
        matches!(err, LoadError::Overlaps { start, end } if start == PIE_BASE + 0x1000 && end == PIE_BASE + 0x3000),
        "{err}"
    );
    assert_eq!(mem.read::<1>(PIE_BASE + 0x1000).unwrap(), [0x22]);
}
