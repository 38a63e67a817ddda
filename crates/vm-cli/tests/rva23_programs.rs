//! The differential test of the scalar RVA23U64 extensions over `tests/rva23/`: every C
//! and assembly program there is compiled with `riscv64-linux-gnu-gcc -static -O2`
//! (`-march=rv64gc` unless its manifest says otherwise), run under `vm run` for each
//! engine and under the reference qemu (`scripts/reference-qemu`, a qemu-riscv64 10.x
//! run with `-cpu rva23u64,zfh=true`; the system's qemu 7.2 knows none of these extensions),
//! both with `-L` the compiler's sysroot, and must produce the same stdout, stderr and
//! exit status (a guest killed by a signal compares as that signal).
//!
//! A program may start with manifest lines, before any other line:
//! - `// cflags: ...`: compiler flags after the defaults (so a later `-march` wins);
//! - `// ldflags: ...`: flags after the source;
//! - `// args: a b`: arguments, split on spaces.
//!
//! The cross compiler (gcc 12, binutils 2.40) knows Zfh, Zicbo*, Zawrs and Zihintpause
//! but not Zicond, Zcb, Zfa, Zimop, Zcmop or Zihintntl: programs write those with
//! `.insn` (see `tests/rva23/insn.h`).
//!
//! Environment knobs, as in the other differential tests: `VM_TEST_FILTER=substr`,
//! `VM_TEST_ENGINES=interp,jit`, `VM_TEST_TIMEOUT=secs`.

mod common;

use common::*;
use std::fs;
use std::path::{Path, PathBuf};
use std::time::Duration;

/// The CPU model the reference qemu emulates: RVA23U64 (which mandates only Zfhmin) with
/// Zfh, which vm implements and advertises.
const REFERENCE_CPU: &str = "rva23u64,zfh=true";

#[derive(Debug, Default)]
struct Manifest {
    cflags: Vec<String>,
    ldflags: Vec<String>,
    args: Vec<String>,
}

fn parse_manifest(path: &Path) -> Manifest {
    let text =
        fs::read_to_string(path).unwrap_or_else(|e| panic!("reading {}: {e}", path.display()));
    let mut m = Manifest::default();
    for line in text.lines() {
        let Some((key, value)) = line.strip_prefix("// ").and_then(|r| r.split_once(": ")) else {
            break;
        };
        let words = value.split_whitespace().map(String::from);
        match key {
            "cflags" => m.cflags.extend(words),
            "ldflags" => m.ldflags.extend(words),
            "args" => m.args.extend(words),
            other => panic!("{}: unknown manifest key `{other}`", path.display()),
        }
    }
    m
}

fn rva23_dir() -> PathBuf {
    workspace_root().join("tests/rva23")
}

/// The files of `dir` with one of `extensions`, sorted.
fn files_with(dir: &Path, extensions: &[&str]) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("listing {}: {e}", dir.display()))
        .map(|e| e.expect("directory entry").path())
        .filter(|p| {
            p.extension()
                .and_then(|e| e.to_str())
                .is_some_and(|e| extensions.contains(&e))
        })
        .collect();
    files.sort();
    files
}

/// Every program of `tests/rva23/` (matching `VM_TEST_FILTER`), with its build.
fn discover() -> Vec<(String, Build, Manifest)> {
    let dir = rva23_dir();
    let headers = files_with(&dir, &["h"]);
    let filter = std::env::var("VM_TEST_FILTER").unwrap_or_default();
    let include = format!("-I{}", dir.display());
    files_with(&dir, &["c", "S"])
        .into_iter()
        .filter_map(|src| {
            let file = src.file_name()?.to_string_lossy().into_owned();
            if !file.contains(&filter) {
                return None;
            }
            let manifest = parse_manifest(&src);
            let mut cflags: Vec<String> = ["-static", "-O2", "-march=rv64gc", &include]
                .map(String::from)
                .to_vec();
            cflags.extend(manifest.cflags.iter().cloned());
            let mut ldflags = manifest.ldflags.clone();
            ldflags.push("-lm".to_string());
            let build = Build {
                name: format!("rva23-{}", src.file_stem()?.to_string_lossy()),
                target: Target::Riscv64,
                sources: vec![src.clone()],
                cflags,
                ldflags,
                extra_inputs: headers.clone(),
            };
            Some((file, build, manifest))
        })
        .collect()
}

#[test]
fn rva23_programs_match_the_reference_qemu() {
    require_tools();
    let qemu = reference_qemu().to_path_buf();
    let programs = discover();
    assert!(
        !programs.is_empty(),
        "no programs found in {}",
        rva23_dir().display()
    );
    let bin_dir = scratch_dir("riscv-guests");
    let built = parallel_map(&programs, worker_threads(), |(_, build, _)| {
        build.run(&bin_dir).map_err(|e| e.to_string())
    });
    let errors: Vec<&String> = built.iter().filter_map(|r| r.as_ref().err()).collect();
    assert!(
        errors.is_empty(),
        "rva23 programs failed to build:\n{}",
        errors
            .iter()
            .map(|e| e.as_str())
            .collect::<Vec<_>>()
            .join("\n")
    );
    require_vm();
    let cases: Vec<DiffCase> = programs
        .iter()
        .zip(built)
        .map(|((name, _, manifest), bin)| DiffCase {
            name: name.clone(),
            invocation: Invocation {
                program: bin.expect("built"),
                args: manifest.args.clone(),
                ..Invocation::default()
            },
        })
        .collect();
    let reference = Runner::QemuCpu {
        qemu,
        cpu: REFERENCE_CPU.to_string(),
    };
    let (summary, failures) = run_differential_against(
        reference,
        &cases,
        "rva23-runs",
        vm_timeout(Duration::from_secs(60)),
    );
    println!("{} rva23 programs:\n{summary}", cases.len());
    assert!(
        failures.is_empty(),
        "{} rva23 program runs differ from qemu -cpu {REFERENCE_CPU}:\n\n{}\n\nsummary:\n{summary}",
        failures.len(),
        failures.join("\n")
    );
}
