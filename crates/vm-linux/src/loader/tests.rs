//! Placing images: a second image (the dynamic linker) beside the first, never on it.

use super::*;
use crate::elf::{ElfHeader, ProgramHeader, PT_LOAD};
use crate::layout::INTERP_BASE;

/// A position-independent image with one read-execute page of code at vaddr 0 and a
/// read-write page at vaddr 0x1000 (file bytes: two pages of 0x11, then 0x22).
fn tiny_dyn() -> (ElfFile, ProgramFile) {
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
    (elf, file_with(&bytes))
}

/// A program file with contents `bytes` (an unlinked temporary file).
fn file_with(bytes: &[u8]) -> ProgramFile {
    use std::io::Write;
    let mut file = tempfile_in_tmp();
    file.write_all(bytes).unwrap();
    ProgramFile::from_file(file).unwrap()
}

fn tempfile_in_tmp() -> std::fs::File {
    let dir = std::env::temp_dir();
    let path = dir.join(format!(
        "vm-loader-test-{}-{:?}",
        std::process::id(),
        std::thread::current().id()
    ));
    let file = std::fs::OpenOptions::new()
        .read(true)
        .write(true)
        .create_new(true)
        .open(&path)
        .unwrap();
    std::fs::remove_file(&path).unwrap();
    file
}

#[test]
fn a_second_image_lands_at_its_own_base() {
    let mem = GuestMemory::new().unwrap();
    let (elf, file) = tiny_dyn();
    let prog = load_image(&mem, &elf, &file, "prog", PIE_BASE).unwrap();
    let ld = load_image(&mem, &elf, &file, "ld.so", INTERP_BASE).unwrap();
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
    let mem = GuestMemory::new().unwrap();
    let (elf, file) = tiny_dyn();
    load_image(&mem, &elf, &file, "prog", PIE_BASE).unwrap();
    // One page into the first image: its data page would be overwritten.
    let err = load_image(&mem, &elf, &file, "ld.so", PIE_BASE + 0x1000).unwrap_err();
    assert!(
        matches!(err, LoadError::Overlaps { start, end } if start == PIE_BASE + 0x1000 && end == PIE_BASE + 0x3000),
        "{err}"
    );
    assert_eq!(mem.read::<1>(PIE_BASE + 0x1000).unwrap(), [0x22]);
}

/// A position-independent image of these segments.
fn image(segs: Vec<ProgramHeader>) -> ElfFile {
    ElfFile {
        header: ElfHeader {
            is_dyn: true,
            entry: 0,
            phoff: 64,
            phnum: segs.len() as u16,
        },
        phdrs: segs,
        interp: None,
    }
}

fn load_seg(flags: u32, offset: u64, vaddr: u64, filesz: u64, memsz: u64) -> ProgramHeader {
    ProgramHeader {
        p_type: PT_LOAD,
        flags,
        offset,
        vaddr,
        filesz,
        memsz,
        align: 0x1000,
    }
}

#[test]
fn segments_are_the_files_pages_then_zeroed_bss() {
    // Code: file bytes 0..0x800 of a page of 0x11. Data: 0x800 file bytes of 0x22 at
    // 0x1000, then 0x2000 bytes of bss.
    let elf = image(vec![
        load_seg(PF_R | PF_X, 0, 0, 0x800, 0x800),
        load_seg(PF_R | PF_W, 0x1000, 0x1000, 0x800, 0x2800),
    ]);
    let mut bytes = vec![0x11u8; 0x1000];
    bytes.extend([0x22u8; 0x1000]);
    let file = file_with(&bytes);
    let mem = GuestMemory::new().unwrap();
    let img = load_image(&mem, &elf, &file, "prog", PIE_BASE).unwrap();
    assert_eq!(img.end, PIE_BASE + 0x4000);
    let byte = |a: u64| mem.read::<1>(PIE_BASE + a).unwrap()[0];
    // A read-only segment's last page shows the file beyond p_filesz, as on Linux.
    assert_eq!((byte(0x7ff), byte(0x800), byte(0xfff)), (0x11, 0x11, 0x11));
    // A writable one's is zeroed after p_filesz, and the bss pages are zero.
    assert_eq!((byte(0x1000), byte(0x17ff)), (0x22, 0x22));
    assert_eq!(
        (byte(0x1800), byte(0x1fff), byte(0x2000), byte(0x37ff)),
        (0, 0, 0, 0)
    );
    assert!(mem.read::<1>(PIE_BASE + 0x4000).is_err());
    let kinds: Vec<_> = mem
        .regions()
        .iter()
        .map(|r| (r.start - PIE_BASE, r.kind.clone()))
        .collect();
    let file_at = |offset| RegionKind::File {
        path: "prog".into(),
        offset,
    };
    assert_eq!(
        kinds,
        vec![
            (0, file_at(0)),
            (0x1000, file_at(0x1000)),
            (0x2000, RegionKind::Anonymous)
        ]
    );
    // The pages are private: writing one does not reach the file.
    mem.write::<1>(PIE_BASE + 0x1000, [0x33]).unwrap();
    assert_eq!(file.bytes()[0x1000], 0x22);
}

#[test]
fn a_segment_misaligned_with_its_offset_is_copied() {
    // p_align 1 allows p_vaddr and p_offset to disagree modulo the page size.
    let mut seg = load_seg(PF_R, 0x10, 0x1000, 0x20, 0x20);
    seg.align = 1;
    let elf = image(vec![seg]);
    let bytes: Vec<u8> = (0..0x40u8).collect();
    let file = file_with(&bytes);
    let mem = GuestMemory::new().unwrap();
    let img = load_image(&mem, &elf, &file, "prog", PIE_BASE).unwrap();
    let base = img.bias + 0x1000;
    assert_eq!(mem.read::<1>(base).unwrap(), [0x10]);
    assert_eq!(mem.read::<1>(base + 0x1f).unwrap(), [0x2f]);
    assert_eq!(mem.read::<1>(base + 0x20).unwrap(), [0]);
}

#[test]
fn the_stack_mapping_follows_the_limit_within_its_bounds() {
    use crate::layout::{arg_limit, stack_mapping_size, MAX_STACK_SIZE};
    assert_eq!(stack_mapping_size(8 << 20, 4096), 8 << 20);
    assert_eq!(stack_mapping_size((8 << 20) + 1, 4096), (8 << 20) + 4096);
    assert_eq!(
        stack_mapping_size(libc::RLIM_INFINITY, 4096),
        MAX_STACK_SIZE
    );
    // A tiny limit still holds the arguments and Linux's 128 KiB below them.
    assert_eq!(
        stack_mapping_size(4096, 100_000),
        (100_000u64 + (128 << 10)).div_ceil(4096) * 4096
    );
    assert_eq!(arg_limit(8 << 20), 2 << 20);
    assert_eq!(arg_limit(64 << 10), 128 << 10);
    assert_eq!(arg_limit(libc::RLIM_INFINITY), 6 << 20);
}
