//! System-call fuzzing: `tests/fuzz/sysfuzz.c`, a guest that makes random raw system
//! calls with hostile arguments in batches (one forked child each), runs under `vm run`
//! for a fixed set of seeds. vm must survive whatever the guest does: it must not panic
//! (no "panicked at" on stderr, no exit status 101 from a child), not die of a host
//! fault of its own (a child killed by a fault signal the guest had a handler for), not
//! hang (a child that its parent's SIGUSR1 cannot end), and must leave the guest's
//! descriptors and its own working (each child checks pipes, files, mappings, fork and
//! exec after its calls; the parent checks its own descriptors after each child). The
//! fuzzer sums this up in its exit status and its last line.
//!
//! The fuzzer only names paths inside its own directory, signals only itself and its
//! children, and never changes the clock, the network or IPC objects of the host (see
//! its header): the test is safe to run as root.
//!
//! Environment knobs:
//! - `VM_SYSFUZZ_SEEDS=N` runs seeds `0..N`, `A..B` runs seeds `A..B`, instead of the
//!   fixed CI set;
//! - `VM_SYSFUZZ_BATCHES`, `VM_SYSFUZZ_CALLS`: batches per seed and calls per batch;
//! - `VM_SYSFUZZ_STRACE=1` runs every seed under `--strace` (the trace goes to a file
//!   beside the run, never read back: the printer must survive the arguments).
//!
//! A failure names the seed, the batch and its last call; rerun one batch with
//! `vm run PROGRAM SEED 1 CALLS 3 BATCH` (add `--strace` to see the calls).

mod common;

use common::*;
use std::fs;
use std::ops::Range;
use std::os::unix::process::ExitStatusExt as _;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// The seeds every test run checks, with batches per seed and calls per batch.
const CI_SEEDS: Range<u64> = 0..16;
const CI_BATCHES: u32 = 30;
const CI_CALLS: u32 = 300;
/// Of the CI seeds, those also run under `--strace`.
const CI_TRACED: Range<u64> = 0..4;
/// Seconds a batch may take before its parent wakes it with SIGUSR1.
const BATCH_SECS: u32 = 3;

fn env_number(name: &str, default: u32) -> u32 {
    std::env::var(name)
        .ok()
        .map(|s| {
            s.trim()
                .parse()
                .unwrap_or_else(|e| panic!("{name}={s:?}: {e}"))
        })
        .unwrap_or(default)
}

/// The seeds to run, and whether each runs traced.
fn seeds() -> Vec<(u64, bool)> {
    let all_traced = std::env::var("VM_SYSFUZZ_STRACE").is_ok_and(|v| v == "1");
    let Ok(spec) = std::env::var("VM_SYSFUZZ_SEEDS") else {
        return CI_SEEDS
            .map(|s| (s, false))
            .chain(CI_TRACED.map(|s| (s, true)))
            .map(|(s, t)| (s, t || all_traced))
            .collect();
    };
    let parse = |s: &str| {
        s.trim()
            .parse::<u64>()
            .unwrap_or_else(|e| panic!("VM_SYSFUZZ_SEEDS={spec:?}: {e}; expected N or A..B"))
    };
    let range = match spec.split_once("..") {
        Some((a, b)) => parse(a)..parse(b),
        None => 0..parse(&spec),
    };
    range.map(|s| (s, all_traced)).collect()
}

fn fuzzer() -> PathBuf {
    require_tools();
    build_guest(&Build {
        name: "sysfuzz".to_string(),
        target: Target::Riscv64,
        sources: vec![workspace_root().join("tests/fuzz/sysfuzz.c")],
        cflags: ["-static", "-O2", "-march=rv64gc", "-Wall"]
            .map(String::from)
            .to_vec(),
        ldflags: vec![],
        extra_inputs: vec![],
    })
}

/// One seed's run of the fuzzer under vm, in `dir`; a description of what went wrong.
fn run_seed(
    program: &Path,
    seed: u64,
    traced: bool,
    batches: u32,
    calls: u32,
    dir: &Path,
) -> Option<String> {
    let _ = fs::remove_dir_all(dir);
    fs::create_dir_all(dir).expect("creating the run directory");
    let work = dir.join("work");
    fs::create_dir_all(&work).expect("creating the work directory");
    let (out, err) = (dir.join("stdout"), dir.join("stderr"));
    // stdin a file of its own, not the host's /dev/null: nothing the guest does to a
    // descriptor may reach a file shared with the rest of the machine.
    let stdin = dir.join("stdin");
    fs::write(&stdin, b"").expect("writing stdin");
    let mut cmd = Command::new(vm_binary());
    cmd.args(["run", "--engine", "interp"]);
    if traced {
        cmd.arg(format!("--strace={}", dir.join("trace.%p").display()));
    }
    cmd.arg(program)
        .args([seed, batches.into(), calls.into(), BATCH_SECS.into()].map(|n| n.to_string()))
        .current_dir(&work)
        .env_clear()
        .envs(GUEST_ENV.iter().copied())
        .stdin(Stdio::from(fs::File::open(&stdin).expect("stdin")))
        .stdout(fs::File::create(&out).expect("stdout file"))
        .stderr(fs::File::create(&err).expect("stderr file"));
    // The slowest a batch may take is its wake-up and kill, plus the checks after it.
    let limit = vm_timeout(Duration::from_secs(
        60 + u64::from(batches) * u64::from(BATCH_SECS + 3),
    ));
    let start = Instant::now();
    let mut child = cmd.spawn().expect("starting vm");
    let status = loop {
        if let Some(status) = child.try_wait().expect("waiting for vm") {
            break Some(status);
        }
        if start.elapsed() > limit {
            let _ = child.kill();
            let _ = child.wait();
            break None;
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    let stdout = String::from_utf8_lossy(&fs::read(&out).unwrap_or_default()).into_owned();
    let stderr = String::from_utf8_lossy(&fs::read(&err).unwrap_or_default()).into_owned();
    let mut problems = Vec::new();
    match status {
        None => problems.push(format!("vm still ran after {limit:?}")),
        Some(s) if s.signal().is_some() => problems.push(format!(
            "vm died of signal {} (its guest parent is never fuzzed: a fault of vm's own)",
            s.signal().unwrap_or_default()
        )),
        Some(s) if s.code() != Some(0) => {
            problems.push(format!("exit status {}", s.code().unwrap_or_default()))
        }
        Some(_) => {}
    }
    if stderr.contains("panicked at") {
        problems.push("vm panicked".to_string());
    }
    let done = format!("done: {batches} batches, 0 failures");
    if !stdout.lines().any(|l| l == done) {
        problems.push(format!("no {done:?} line"));
    }
    if problems.is_empty() {
        let _ = fs::remove_dir_all(dir);
        return None;
    }
    let failing: Vec<&str> = stdout
        .lines()
        .filter(|l| l.contains("HUNG") || l.contains("PANIC") || l.contains("UNHANDLED"))
        .chain(stdout.lines().filter(|l| l.contains("CHECK FAILED")))
        .collect();
    Some(format!(
        "seed {seed}{}: {}\n  batches:\n    {}\n  stderr (first 3000 bytes):\n{}\n  (run kept in {})",
        if traced { " (--strace)" } else { "" },
        problems.join("; "),
        failing.join("\n    "),
        stderr.chars().take(3000).collect::<String>(),
        dir.display()
    ))
}

#[test]
fn vm_survives_random_system_calls() {
    require_vm();
    let program = fuzzer();
    let batches = env_number("VM_SYSFUZZ_BATCHES", CI_BATCHES);
    let calls = env_number("VM_SYSFUZZ_CALLS", CI_CALLS);
    let runs_root = scratch_dir(&format!("sysfuzz-runs-{}", std::process::id()));
    let jobs = seeds();
    let start = Instant::now();
    let failures: Vec<String> = parallel_map(&jobs, worker_threads(), |&(seed, traced)| {
        let dir = runs_root.join(format!("{seed}{}", if traced { "-traced" } else { "" }));
        run_seed(&program, seed, traced, batches, calls, &dir)
    })
    .into_iter()
    .flatten()
    .collect();
    eprintln!(
        "sysfuzz: {} runs of {batches} batches x {calls} calls in {:.1}s, {} failing",
        jobs.len(),
        start.elapsed().as_secs_f64(),
        failures.len()
    );
    if failures.is_empty() {
        let _ = fs::remove_dir_all(&runs_root);
    }
    assert!(
        failures.is_empty(),
        "{} of {} fuzzer runs found vm failing:\n{}",
        failures.len(),
        jobs.len(),
        failures.join("\n")
    );
}
