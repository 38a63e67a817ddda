//! Concurrency stress of vm's process model: each `tests/stress/NAME.c` races threads
//! against mapping changes, forks, execs and signals for a number of rounds picked by a
//! seed, and prints only what every correct run prints (`NAME.stdout`, with `ROUNDS`
//! standing for the round count); whatever went wrong is a self-check on stderr. Each
//! program runs under `vm run` for each engine and several seeds, every run with a
//! watchdog: a run that does not end in time is a hang, reported with the program and
//! seed that hung. A run must exit 0 with empty stderr (so no vm panic, no host fault of
//! vm's own, no guest self-check failure) and exactly the expected stdout.
//!
//! The expected outputs are written by hand from what Linux does; qemu-user is not the
//! reference, having races of its own with fork and threads, signals, and code mapped
//! over code (it runs stale translations).
//!
//! Knobs: `VM_STRESS_SEEDS=n` runs seeds 1..=n (default 3), `VM_STRESS_ROUNDS=n` sets the
//! rounds of every program (default: its own, sized for a debug build on two cores),
//! `VM_TEST_FILTER`, `VM_TEST_ENGINES` and `VM_TEST_TIMEOUT` as elsewhere.

mod common;

use common::*;
use std::fs;
use std::path::PathBuf;
use std::time::Duration;

/// The programs and their default rounds.
const PROGRAMS: &[(&str, u32)] = &[
    ("stress_mem", 40),
    ("stress_fork", 40),
    ("stress_clone_ns", 40),
    ("stress_sem", 20),
    ("stress_wait", 40),
];

fn stress_dir() -> PathBuf {
    workspace_root().join("tests/stress")
}

fn build(stem: &str) -> PathBuf {
    let guest = workspace_root().join("tests/guest");
    let build = Build {
        name: format!("stress-{stem}"),
        target: Target::Riscv64,
        sources: vec![stress_dir().join(format!("{stem}.c"))],
        cflags: ["-static", "-O2", "-march=rv64gc", "-pthread"]
            .iter()
            .map(|s| s.to_string())
            .chain([
                format!("-I{}", guest.display()),
                format!("-I{}", stress_dir().display()),
            ])
            .collect(),
        ldflags: Vec::new(),
        extra_inputs: vec![
            guest.join("check.h"),
            guest.join("jit.h"),
            stress_dir().join("stress.h"),
        ],
    };
    build
        .run(&scratch_dir("riscv-stress-guests"))
        .unwrap_or_else(|e| panic!("{e}"))
}

fn env_number(name: &str) -> Option<u32> {
    std::env::var(name).ok().and_then(|s| s.trim().parse().ok())
}

struct Run {
    stem: &'static str,
    program: PathBuf,
    engine: String,
    seed: u32,
    rounds: u32,
    expected: Vec<u8>,
}

#[test]
fn stress_programs_neither_hang_nor_diverge() {
    require_tools();
    require_vm();
    let filter = std::env::var("VM_TEST_FILTER").unwrap_or_default();
    let seeds = env_number("VM_STRESS_SEEDS").unwrap_or(3).max(1);
    let mut runs = Vec::new();
    for &(stem, default_rounds) in PROGRAMS.iter().filter(|(s, _)| s.contains(&filter)) {
        let rounds = env_number("VM_STRESS_ROUNDS").unwrap_or(default_rounds);
        let program = build(stem);
        let template = fs::read_to_string(stress_dir().join(format!("{stem}.stdout")))
            .unwrap_or_else(|e| panic!("{stem}.stdout: {e}"));
        let expected = template.replace("ROUNDS", &rounds.to_string()).into_bytes();
        for engine in engines() {
            for seed in 1..=seeds {
                runs.push(Run {
                    stem,
                    program: program.clone(),
                    engine: engine.clone(),
                    seed,
                    rounds,
                    expected: expected.clone(),
                });
            }
        }
    }
    let runs_root = scratch_dir(&format!("stress-runs-{}", std::process::id()));
    let timeout = vm_timeout(Duration::from_secs(60));
    let results = parallel_map(&runs, worker_threads(), |run| {
        let inv = Invocation {
            program: run.program.clone(),
            args: vec![run.seed.to_string(), run.rounds.to_string()],
            ..Invocation::default()
        };
        let runner = Runner::Vm {
            engine: run.engine.clone(),
        };
        let dir = runs_root.join(format!("{}.{}.{}", run.stem, run.engine, run.seed));
        run_guest(&runner, &inv, &dir, timeout)
    });
    let mut failures = Vec::new();
    let mut summary = String::new();
    for (run, got) in runs.iter().zip(&results) {
        let what = format!(
            "{} seed {} ({} rounds) under vm --engine {}",
            run.stem, run.seed, run.rounds, run.engine
        );
        summary += &format!(
            "  {what}: {} in {:.2}s\n",
            got.outcome,
            got.elapsed.as_secs_f64()
        );
        let stderr = String::from_utf8_lossy(&got.stderr);
        let mut report = String::new();
        if got.outcome == Outcome::Timeout {
            report += &format!("  HUNG: no end after {}s\n", timeout.as_secs());
        } else if got.outcome != Outcome::Exit(0) {
            report += &format!("  status: {}\n", got.outcome);
        }
        if stderr.contains("panicked at") {
            report += "  vm panicked\n";
        }
        if !got.stderr.is_empty() {
            report += &format!("  stderr: {stderr}\n");
        }
        if got.stdout != run.expected {
            report += &format!(
                "  stdout differs (expected / vm):\n{}",
                first_difference(&run.expected, &got.stdout)
            );
        }
        if !report.is_empty() {
            failures.push(format!("{what}:\n{report}"));
        }
    }
    println!("{summary}");
    assert!(
        failures.is_empty(),
        "{}\n(work directories kept in {})",
        failures.join("\n"),
        runs_root.display()
    );
    let _ = fs::remove_dir_all(&runs_root);
}
