//! Untrusted ELF bytes into the loader's parser: it must return Ok or a typed error,
//! never panic, overflow or read out of bounds.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(elf) = vm_linux::elf::ElfFile::parse(data) {
        // Walk what the loader would walk next.
        for ph in elf.loads() {
            let _ = ph.vaddr.checked_add(ph.memsz);
            let _ = ph.offset.checked_add(ph.filesz);
        }
    }
});
