//! Measures block translation speed on a real program: every executable PT_LOAD segment
//! of a RISC-V ELF file is cut into consecutive blocks (each starting where the previous
//! one ended), and the whole sweep is translated repeatedly.
//!
//! `cargo run --release -p vm-frontend --example translate_speed -- PROG [PASSES]`

use std::time::Instant;
use vm_frontend::Translator;

fn u16_at(b: &[u8], o: usize) -> u16 {
    u16::from_le_bytes([b[o], b[o + 1]])
}
fn u32_at(b: &[u8], o: usize) -> u32 {
    u32::from_le_bytes(b[o..o + 4].try_into().unwrap())
}
fn u64_at(b: &[u8], o: usize) -> u64 {
    u64::from_le_bytes(b[o..o + 8].try_into().unwrap())
}

/// The executable segments of an ELF64 file: (vaddr, file bytes).
fn code_segments(elf: &[u8]) -> Vec<(u64, &[u8])> {
    assert_eq!(&elf[..4], b"\x7fELF", "not an ELF file");
    let (phoff, phnum) = (u64_at(elf, 32) as usize, u16_at(elf, 56) as usize);
    (0..phnum)
        .map(|i| phoff + i * 56)
        .filter(|&o| u32_at(elf, o) == 1 && u32_at(elf, o + 4) & 1 != 0)
        .map(|o| {
            let (off, vaddr, filesz) =
                (u64_at(elf, o + 8), u64_at(elf, o + 16), u64_at(elf, o + 32));
            (vaddr, &elf[off as usize..(off + filesz) as usize])
        })
        .collect()
}

fn main() {
    let mut args = std::env::args().skip(1);
    let path = args.next().expect("usage: translate_speed PROG [PASSES]");
    let passes: u32 = args.next().map_or(20, |p| p.parse().expect("PASSES"));
    let elf = std::fs::read(&path).expect("reading PROG");
    let segments = code_segments(&elf);
    let (mut blocks, mut insns, mut ops) = (0u64, 0u64, 0u64);
    let mut translator = Translator::default();
    let started = Instant::now();
    for _ in 0..passes {
        for &(base, bytes) in &segments {
            let end = base + bytes.len() as u64;
            let mut fetch = |a: u64| {
                let o = a.checked_sub(base)? as usize;
                (o + 2 <= bytes.len()).then(|| u16_at(bytes, o))
            };
            let mut pc = base;
            while pc < end {
                let block = translator.translate(pc, &mut fetch);
                blocks += 1;
                insns += block.insn_count();
                ops += block.ops.len() as u64;
                pc += u64::from(block.len.max(2));
            }
        }
    }
    let secs = started.elapsed().as_secs_f64();
    println!(
        "{blocks} blocks, {insns} instructions, {ops} ops in {secs:.3} s: {:.0} ns/block, {:.1} ns/instruction",
        secs * 1e9 / blocks as f64,
        secs * 1e9 / insns as f64
    );
}
