//! Untrusted ELF bytes through the whole loader: parsed, then mapped into a fresh guest
//! address space segment by segment (file pages mapped private, bss zeroed and added)
//! and given its initial stack. It must end in Ok or a typed error, never panic,
//! overflow or touch memory outside the guest reservation.
#![no_main]

use libfuzzer_sys::fuzz_target;
use std::io::Write;
use vm_linux::elf::ElfFile;
use vm_linux::layout::PIE_BASE;
use vm_linux::loader::{build_stack, load_image, StackSpec};
use vm_linux::program_file::ProgramFile;
use vm_memory::GuestMemory;

fuzz_target!(|data: &[u8]| {
    let Ok(elf) = ElfFile::parse(data) else {
        return;
    };
    let path = std::env::temp_dir().join(format!("vm-fuzz-loader-{}", std::process::id()));
    let mut file = std::fs::File::create(&path).expect("creating the scratch file");
    file.write_all(data).expect("writing the scratch file");
    drop(file);
    let program = ProgramFile::open(&path).expect("opening the scratch file");
    let mem = GuestMemory::new().expect("reserving guest memory");
    if let Ok(image) = load_image(&mem, &elf, &program, "fuzz", PIE_BASE) {
        let argv = [b"prog".to_vec()];
        let stack = StackSpec {
            argv: &argv,
            envp: &[],
            execfn: b"prog",
            image: &image,
            interp_base: 0,
            random: [0; 16],
        };
        let _ = build_stack(&mem, &stack);
    }
});
