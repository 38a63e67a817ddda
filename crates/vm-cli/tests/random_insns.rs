//! Random-instruction differential test of RV64GC + Zba/Zbb/Zbs: for each seed, a
//! program of random instructions (`random_insns/gen.rs`) is assembled with
//! `riscv64-linux-gnu-gcc -nostdlib -static -no-pie`, run under qemu-riscv64-static (the
//! reference) and under `vm run` for each engine, and the complete architectural state
//! each chunk ends with (x1..x31, f0..f31, fcsr, its 512-byte scratch memory and the
//! log of the signals it raised, see `random_insns/program.rs`) must be identical.
//!
//! Environment knobs:
//! - `VM_RANDOM_SEEDS=N` runs seeds `0..N`, `A..B` runs seeds `A..B`, instead of the
//!   fixed CI set; sources and programs then go to a directory of this run, outside the
//!   shared build cache, and are removed when they pass (the failing ones stay, named in
//!   the report);
//! - `VM_TEST_ENGINES=interp,jit` picks vm's engines, `VM_TEST_TIMEOUT=secs` bounds each
//!   vm run (as in the other differential tests).
//!
//! A failure names the seed, the chunk, every differing register and scratch word with
//! both values, the chunk's instructions, and the generated `.S` (kept on disk).

mod common;
#[path = "random_insns/gen.rs"]
mod gen;
#[path = "random_insns/program.rs"]
mod program;
#[path = "random_insns/values.rs"]
mod values;

use common::*;
use program::{parse_records, slot_name, Program, Record, SCRATCH_FROM_SP, SLOTS};
use std::fmt::Write as _;
use std::fs;
use std::ops::Range;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

/// The seeds every test run checks.
const CI_SEEDS: Range<u64> = 0..256;

/// Seeds built and run together (bounds the disk space of an exploration).
const BATCH: usize = 64;

/// The seeds to run and whether they are an exploration (`VM_RANDOM_SEEDS`).
fn seeds() -> (Range<u64>, bool) {
    let Ok(spec) = std::env::var("VM_RANDOM_SEEDS") else {
        return (CI_SEEDS, false);
    };
    let parse = |s: &str| {
        s.trim()
            .parse::<u64>()
            .unwrap_or_else(|e| panic!("VM_RANDOM_SEEDS={spec:?}: {e}; expected N or A..B"))
    };
    let range = match spec.split_once("..") {
        Some((a, b)) => parse(a)..parse(b),
        None => 0..parse(&spec),
    };
    (range, true)
}

/// The compiler flags of every random program.
fn build_of(source: &Path, seed: u64) -> Build {
    Build {
        name: format!("randinsn-{seed}"),
        target: Target::Riscv64,
        sources: vec![source.to_path_buf()],
        cflags: [
            "-nostdlib",
            "-static",
            "-no-pie",
            "-march=rv64gc_zba_zbb_zbs",
        ]
        .map(String::from)
        .to_vec(),
        // No linker relaxation: it would turn `lla` into gp-relative `addi`, and gp is a
        // random register here. The code slots are writable and executable on purpose.
        ldflags: vec![
            "-Wl,--no-relax".to_string(),
            format!("-Wl,--section-start=.rwx={:#x}", program::CODE_ADDRESS),
            "-Wl,--no-warn-rwx-segments".to_string(),
        ],
        extra_inputs: Vec::new(),
    }
}

/// One seed's program, its source on disk and its binary.
struct Case {
    program: Program,
    source: PathBuf,
    binary: PathBuf,
}

#[test]
fn random_instructions_match_qemu() {
    require_tools();
    require_vm();
    let (seeds, exploring) = seeds();
    let (src_dir, bin_dir) = if exploring {
        let dir = scratch_dir(&format!("random-insns-{}", std::process::id()));
        (dir.clone(), dir)
    } else {
        (scratch_dir("random-insns"), scratch_dir("riscv-guests"))
    };
    let timeout = vm_timeout(Duration::from_secs(30));
    let mut runners = vec![Runner::Qemu];
    runners.extend(engines().into_iter().map(|engine| Runner::Vm { engine }));

    let start = Instant::now();
    let mut failures = Vec::new();
    // Signals qemu's runs logged, by number: a check that the trap units do trap.
    let mut traps = std::collections::BTreeMap::<u64, usize>::new();
    let all: Vec<u64> = seeds.clone().collect();
    for batch in all.chunks(BATCH) {
        let cases = build_batch(batch, &src_dir, &bin_dir);
        let jobs: Vec<(usize, usize)> = (0..cases.len())
            .flat_map(|c| (0..runners.len()).map(move |r| (c, r)))
            .collect();
        let runs_root = scratch_dir(&format!("random-insns-runs-{}", std::process::id()));
        let results = parallel_map(&jobs, worker_threads(), |&(c, r)| {
            let inv = Invocation {
                program: cases[c].binary.clone(),
                ..Invocation::default()
            };
            let dir = runs_root.join(format!("{}.{r}", cases[c].program.seed));
            let result = run_guest(&runners[r], &inv, &dir, timeout);
            let _ = fs::remove_dir_all(&dir);
            result
        });
        let _ = fs::remove_dir_all(&runs_root);
        for (c, case) in cases.iter().enumerate() {
            let qemu = &results[c * runners.len()];
            for record in parse_records(&qemu.stdout).0 {
                for [sig, ..] in record.trap_entries() {
                    *traps.entry(sig).or_default() += 1;
                }
            }
            let mut failed = false;
            for (r, runner) in runners.iter().enumerate().skip(1) {
                let vm = &results[c * runners.len() + r];
                if let Some(report) = compare_runs(case, &runner.label(), qemu, vm) {
                    failures.push(report);
                    failed = true;
                }
            }
            if exploring && !failed {
                let _ = fs::remove_file(&case.binary);
                let _ = fs::remove_file(&case.source);
            }
        }
    }
    if exploring && failures.is_empty() {
        let _ = fs::remove_dir_all(&bin_dir);
    }
    println!("signals logged under qemu (number: count): {traps:?}");
    println!(
        "{} seeds ({}..{}), {} chunks of {} units each, under {}: {} failing, {:.1}s",
        all.len(),
        seeds.start,
        seeds.end,
        gen::CHUNKS,
        gen::UNITS,
        runners
            .iter()
            .skip(1)
            .map(Runner::label)
            .collect::<Vec<_>>()
            .join(", "),
        failures.len(),
        start.elapsed().as_secs_f64()
    );
    assert!(
        failures.is_empty(),
        "{} random programs differ from qemu (reproduce one with VM_RANDOM_SEEDS=A..A+1):\n\n{}",
        failures.len(),
        failures.join("\n")
    );
}

/// Generates and builds the programs of `seeds`, two compilers at a time.
fn build_batch(seeds: &[u64], src_dir: &Path, bin_dir: &Path) -> Vec<Case> {
    let built = parallel_map(seeds, worker_threads(), |&seed| {
        let program = gen::generate(seed);
        let source = src_dir.join(format!("randinsn-{seed}.S"));
        let text = program.source();
        // Rewritten only when the generator changed, by rename: another test run may be
        // compiling it.
        if fs::read_to_string(&source).ok().as_deref() != Some(text.as_str()) {
            let tmp = src_dir.join(format!(".randinsn-{seed}.S.{}", std::process::id()));
            fs::write(&tmp, text)
                .and_then(|()| fs::rename(&tmp, &source))
                .unwrap_or_else(|e| panic!("{}: {e}", source.display()));
        }
        let binary = build_of(&source, seed)
            .run(bin_dir)
            .unwrap_or_else(|e| panic!("seed {seed}: {e}"));
        Case {
            program,
            source,
            binary,
        }
    });
    built
}

/// Describes how `vm`'s run of `case` differs from qemu's, or None when they agree.
fn compare_runs(case: &Case, label: &str, qemu: &RunResult, vm: &RunResult) -> Option<String> {
    let seed = case.program.seed;
    let chunks = &case.program.chunks;
    let mut report = String::new();
    let header = |report: &mut String| {
        if report.is_empty() {
            let _ = writeln!(
                report,
                "seed {seed} under {label} ({} and {}):",
                case.source.display(),
                case.binary.display()
            );
        }
    };
    let (q_records, q_problem) = parse_records(&qemu.stdout);
    let qemu_err = normalise_qemu_stderr(&qemu.stderr);
    if qemu.outcome != Outcome::Exit(0)
        || q_problem.is_some()
        || q_records.len() != chunks.len()
        || !qemu_err.is_empty()
    {
        // A generator bug: the program must run cleanly on the reference.
        header(&mut report);
        let _ = writeln!(
            report,
            "  broken under qemu itself: {}, {} of {} chunks, {}; stderr: {}",
            qemu.outcome,
            q_records.len(),
            chunks.len(),
            q_problem.unwrap_or_else(|| "no bad record".into()),
            String::from_utf8_lossy(&qemu_err)
        );
        if let Some(chunk) = chunks.get(q_records.len()) {
            listing(&mut report, q_records.len(), &chunk.body);
        }
        return Some(report);
    }
    let (v_records, v_problem) = parse_records(&vm.stdout);
    let mut differing = Vec::new();
    for (i, (q, v)) in q_records.iter().zip(&v_records).enumerate() {
        let diff = record_diff(q, v);
        if diff.is_empty() {
            continue;
        }
        if differing.is_empty() {
            header(&mut report);
            let _ = writeln!(
                report,
                "  chunk {i} of {} ends in a different state:",
                chunks.len()
            );
            report.push_str(&diff);
            listing(&mut report, i, &chunks[i].body);
        }
        differing.push(i);
    }
    if differing.len() > 1 {
        let _ = writeln!(report, "  chunks differing in all: {differing:?}");
    }
    if v_records.len() < q_records.len() || v_problem.is_some() || vm.outcome != qemu.outcome {
        header(&mut report);
        let stopped = v_records.len();
        let _ = writeln!(
            report,
            "  vm: {} after {stopped} of {} chunks{}; qemu: {}",
            vm.outcome,
            chunks.len(),
            v_problem.map(|p| format!(" ({p})")).unwrap_or_default(),
            qemu.outcome
        );
        if let Some(chunk) = chunks.get(stopped) {
            listing(&mut report, stopped, &chunk.body);
        }
    }
    if vm.stderr != qemu_err {
        header(&mut report);
        let _ = write!(
            report,
            "  stderr differs:\n{}",
            first_difference(&qemu_err, &vm.stderr)
        );
    }
    (!report.is_empty()).then_some(report)
}

/// Every register and scratch word in which `vm` differs from `qemu`, one per line.
fn record_diff(qemu: &Record, vm: &Record) -> String {
    let mut out = String::new();
    for k in 0..SLOTS {
        let (q, v) = (qemu.slots[k], vm.slots[k]);
        if q != v {
            let _ = writeln!(
                out,
                "    {:<12} qemu {q:#018x}{}  vm {v:#018x}{}",
                slot_name(k),
                fp_hint(k, q),
                fp_hint(k, v)
            );
        }
    }
    for (w, (q, v)) in qemu.scratch.iter().zip(&vm.scratch).enumerate() {
        if q != v {
            let _ = writeln!(
                out,
                "    {:<12} qemu {q:#018x}  vm {v:#018x}",
                format!("mem sp{:+}", SCRATCH_FROM_SP + 8 * w as i64)
            );
        }
    }
    if qemu.traps != vm.traps {
        let show = |r: &Record| {
            let mut s = format!("{} trap(s)", r.traps[0]);
            for [sig, code, addr, pc] in r.trap_entries() {
                let _ = write!(
                    s,
                    "\n        signal {sig} si_code {} si_addr {addr:#x} pc {pc:#x}",
                    code as i32
                );
            }
            s
        };
        let _ = writeln!(out, "    traps: qemu {}\n      vm {}", show(qemu), show(vm));
    }
    out
}

/// The value of an FP register as a number, to read a report quickly.
fn fp_hint(slot: usize, bits: u64) -> String {
    if !(program::F_SLOT..program::FCSR_SLOT).contains(&slot) {
        return String::new();
    }
    if bits >> 32 == 0xffff_ffff {
        format!(" (s {:e})", f32::from_bits(bits as u32))
    } else {
        format!(" (d {:e})", f64::from_bits(bits))
    }
}

fn listing(report: &mut String, chunk: usize, body: &[String]) {
    let _ = writeln!(report, "  chunk {chunk}'s instructions:");
    for line in body {
        let _ = writeln!(report, "      {line}");
    }
}

#[test]
fn a_seed_names_one_program() {
    let a = gen::generate(7).source();
    assert_eq!(a, gen::generate(7).source());
    assert_ne!(a, gen::generate(8).source());
    // Every branch and jump has its label (`.L<chunk>_<unit>`, not `.Larea` or `.Lcode`).
    for chunk in gen::generate(7).chunks {
        for line in &chunk.body {
            let at = line
                .find(".L")
                .filter(|&at| line[at + 2..].starts_with(|c: char| c.is_ascii_digit()));
            if let Some(at) = at {
                let name: String = line[at..]
                    .chars()
                    .take_while(|c| c.is_alphanumeric() || *c == '.' || *c == '_')
                    .collect();
                assert!(
                    chunk.body.contains(&format!("{name}:")),
                    "{name} has no label in {:#?}",
                    chunk.body
                );
            }
        }
    }
}

#[test]
fn records_round_trip_and_are_checked() {
    let mut bytes = Vec::new();
    for i in 0..2u64 {
        for w in 0..program::RECORD_BYTES / 8 {
            let v = if w == program::SCRATCH_BYTES / 8 + program::MARKER_SLOT {
                program::MARKER | i
            } else {
                w as u64
            };
            bytes.extend_from_slice(&v.to_le_bytes());
        }
    }
    let (records, problem) = parse_records(&bytes);
    assert_eq!((records.len(), problem), (2, None));
    assert_eq!(records[1].slots[3], (program::SCRATCH_BYTES / 8 + 3) as u64);
    let (records, problem) = parse_records(&bytes[..bytes.len() - 1]);
    assert_eq!(records.len(), 1);
    assert!(problem.unwrap().contains("truncated"));
    let (records, problem) = parse_records(&bytes[program::RECORD_BYTES..]);
    assert!(records.is_empty() && problem.unwrap().contains("marker"));
}
