//! Stable-toolchain companions of the cargo-fuzz targets in `fuzz/`: deterministic
//! pseudo-random inputs for the ELF parser and both decoders, which must answer with a
//! value or an error and never panic; and mutated-but-parseable ELF files through
//! `vm run`, which may fail or even hang (the guest code is garbage) but must never make
//! the VM itself panic.

mod common;

use common::*;
use std::fs;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

struct XorShift(u64);

impl XorShift {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
}

fn hello_elf() -> Vec<u8> {
    fs::read(static_hello()).expect("reading the built program")
}

/// Mutates the header and program-header area (where the parser looks), sometimes
/// writing extreme values into the 16/32/64-bit fields, sometimes truncating.
fn mutate(base: &[u8], rng: &mut XorShift) -> Vec<u8> {
    let mut m = base.to_vec();
    let area = 64 + 56 * 12;
    for _ in 0..1 + rng.below(6) {
        let at = rng.below(area.min(m.len()));
        match rng.below(4) {
            0 => m[at] ^= 1 << rng.below(8),
            1 => m[at] = rng.next() as u8,
            2 => {
                let v = [
                    0u64,
                    1,
                    u64::MAX,
                    u64::MAX / 2 + 1,
                    0xfff,
                    0x1000,
                    0x7fff_ffff_ffff,
                ][rng.below(7)];
                let n = [2usize, 4, 8][rng.below(3)].min(m.len() - at);
                m[at..at + n].copy_from_slice(&v.to_le_bytes()[..n]);
            }
            _ => {
                let keep = rng.below(m.len());
                m.truncate(keep);
                if m.is_empty() {
                    break;
                }
            }
        }
    }
    m
}

#[test]
fn elf_parser_never_panics_on_mutated_programs() {
    let base = hello_elf();
    let mut rng = XorShift(0x9e37_79b9_7f4a_7c15);
    let mut accepted = 0;
    for i in 0..30_000 {
        let input = mutate(&base, &mut rng);
        match catch_unwind(AssertUnwindSafe(|| vm_linux::elf::ElfFile::parse(&input))) {
            Ok(Ok(_)) => accepted += 1,
            Ok(Err(_)) => {}
            Err(_) => {
                let path = scratch_dir("no-panic").join(format!("elf-panic-{i}"));
                fs::write(&path, &input).expect("saving the input");
                panic!(
                    "ElfFile::parse panicked on mutation {i}; input saved to {}",
                    path.display()
                );
            }
        }
    }
    // The mutations must sometimes leave a parseable file, or this tests only the
    // first check the parser makes.
    assert!(accepted > 100, "only {accepted} of 30000 mutations parsed");
}

#[test]
fn decoders_never_panic() {
    for h in 0..=u16::MAX {
        let r = catch_unwind(|| vm_frontend::compressed::expand(h));
        assert!(r.is_ok(), "compressed::expand panicked on {h:#06x}");
    }
    let mut rng = XorShift(0x2545_f491_4f6c_dd1d);
    let mut legal = 0u32;
    for i in 0..2_000_000u32 {
        // Half fully random words, half with a valid major opcode and random fields.
        let w = rng.next() as u32;
        let w = if i % 2 == 0 {
            w
        } else {
            (w & !0x7f)
                | [
                    0x03, 0x07, 0x0f, 0x13, 0x17, 0x1b, 0x23, 0x27, 0x2f, 0x33, 0x37, 0x3b, 0x43,
                    0x47, 0x4b, 0x4f, 0x53, 0x63, 0x67, 0x6f, 0x73,
                ][i as usize / 2 % 21]
        };
        match catch_unwind(|| vm_frontend::decode::decode(w)) {
            Ok(Some(_)) => legal += 1,
            Ok(None) => {}
            Err(_) => panic!("decode::decode panicked on {w:#010x}"),
        }
    }
    assert!(
        legal > 100_000,
        "only {legal} random words decoded: the generator is not reaching the decoder's tables"
    );
}

#[test]
fn vm_never_panics_on_mutated_but_parseable_programs() {
    let base = hello_elf();
    let dir = scratch_dir(&format!("no-panic-run-{}", std::process::id()));
    let mut rng = XorShift(0xdead_beef_cafe_f00d);
    let mut ran = 0;
    let mut panics = Vec::new();
    let mut outcomes = std::collections::BTreeMap::<String, usize>::new();
    let deadline = Instant::now() + Duration::from_secs(60);
    while ran < 150 && Instant::now() < deadline {
        let input = mutate(&base, &mut rng);
        if vm_linux::elf::ElfFile::parse(&input).is_err() {
            continue;
        }
        ran += 1;
        let path = dir.join(format!("mutant-{ran}"));
        fs::write(&path, &input).expect("writing mutant");
        let mut child = Command::new(vm_binary())
            .arg("run")
            .arg(&path)
            .current_dir(&dir)
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .expect("starting vm");
        let start = Instant::now();
        let status = loop {
            if let Some(s) = child.try_wait().expect("wait") {
                break Some(s);
            }
            if start.elapsed() > Duration::from_secs(5) {
                let _ = child.kill();
                let _ = child.wait();
                break None;
            }
            std::thread::sleep(Duration::from_millis(2));
        };
        let key = match status {
            Some(s) => format!("{s}"),
            None => "timed out".to_string(),
        };
        *outcomes.entry(key).or_default() += 1;
        let mut stderr = String::new();
        if let Some(mut e) = child.stderr.take() {
            let _ = std::io::Read::read_to_string(&mut e, &mut stderr);
        }
        if status.and_then(|s| s.code()) == Some(101) || stderr.contains("panicked at") {
            panics.push(format!(
                "{}: {}",
                path.display(),
                stderr.lines().next().unwrap_or("")
            ));
        } else {
            let _ = fs::remove_file(&path);
        }
    }
    println!("{ran} mutants: {outcomes:?}");
    assert!(ran >= 20, "only {ran} parseable mutants were tried");
    assert!(
        panics.is_empty(),
        "vm panicked on mutated programs (kept for reproduction):\n{}",
        panics.join("\n")
    );
    let _ = fs::remove_dir_all(&dir);
}
