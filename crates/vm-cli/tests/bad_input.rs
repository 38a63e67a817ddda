//! Files that are not runnable RISC-V 64 programs: `vm run` must print exactly one line
//! on stderr that names the problem and exit with status 126 (127 for a missing file),
//! without running anything or panicking. The broken ELF files are cut or patched from a
//! real RISC-V program built by the cross compiler.

mod common;

use common::*;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

/// A real static RISC-V 64 executable to cut up.
fn riscv_hello() -> Vec<u8> {
    fs::read(static_hello()).expect("reading the built program")
}

/// A real 32-bit RISC-V executable (no libc needed).
fn riscv32_program(dir: &Path) -> PathBuf {
    let src = dir.join("rv32_exit.S");
    fs::write(
        &src,
        ".globl _start\n_start:\n  li a7, 93\n  li a0, 0\n  ecall\n",
    )
    .unwrap();
    build_guest(&Build {
        name: "bad-input-rv32".to_string(),
        target: Target::Riscv64,
        sources: vec![src],
        cflags: ["-march=rv32i", "-mabi=ilp32", "-nostdlib", "-static"]
            .map(String::from)
            .to_vec(),
        ldflags: vec![],
        extra_inputs: vec![],
    })
}

fn u64_at(b: &[u8], off: usize) -> u64 {
    u64::from_le_bytes(b[off..off + 8].try_into().unwrap())
}

struct Case {
    name: &'static str,
    path: PathBuf,
    status: i32,
    /// The one-line message must contain one of these (compared case-insensitively).
    keywords: &'static [&'static str],
}

fn cases(dir: &Path) -> Vec<Case> {
    let elf = riscv_hello();
    let write_mode = |name: &str, bytes: &[u8], mode: u32| {
        use std::os::unix::fs::PermissionsExt;
        let p = dir.join(name);
        fs::write(&p, bytes).unwrap();
        fs::set_permissions(&p, fs::Permissions::from_mode(mode)).unwrap();
        p
    };
    // Executable, as a program must be; the content is what is wrong.
    let write = |name: &str, bytes: &[u8]| write_mode(name, bytes, 0o755);
    let mut garbage = Vec::with_capacity(4096);
    let mut x: u32 = 0x1234_5678;
    for _ in 0..4096 {
        x ^= x << 13;
        x ^= x >> 17;
        x ^= x << 5;
        garbage.push(x as u8);
    }
    let phoff = u64_at(&elf, 32) as usize;
    let mut big_endian = elf.clone();
    big_endian[5] = 2;
    let mut relocatable = elf.clone();
    relocatable[16] = 1; // ET_REL
    let x86 = Path::new("/bin/true");
    assert!(
        fs::read(x86)
            .map(|b| b.len() > 20 && b[..4] == *b"\x7fELF" && b[18] == 62)
            .unwrap_or(false),
        "/bin/true is not an x86-64 ELF on this host"
    );
    let subdir = dir.join("a-directory");
    fs::create_dir_all(&subdir).unwrap();
    vec![
        Case {
            name: "garbage",
            path: write("garbage.bin", &garbage),
            status: 126,
            keywords: &["not an elf", "magic"],
        },
        Case {
            name: "empty file",
            path: write("empty", b""),
            status: 126,
            keywords: &["empty", "not an elf", "truncated", "too short"],
        },
        Case {
            name: "script for a host interpreter",
            path: write("script.sh", b"#!/bin/true\necho hi\n"),
            status: 126,
            keywords: &["interpreter /bin/true is not a risc-v"],
        },
        Case {
            name: "script naming no interpreter",
            path: write("no-interpreter.sh", b"#!  \necho hi\n"),
            status: 126,
            keywords: &["bad #! line"],
        },
        Case {
            name: "script with a missing interpreter",
            path: write("missing-interpreter.sh", b"#!/nonexistent/sh -e\n"),
            status: 127,
            keywords: &["interpreter /nonexistent/sh not found"],
        },
        Case {
            name: "ELF magic only",
            path: write("magic-only", b"\x7fELF"),
            status: 126,
            keywords: &["truncated", "too short"],
        },
        Case {
            name: "cut ELF header",
            path: write("cut-header", &elf[..40]),
            status: 126,
            keywords: &["truncated", "too short"],
        },
        Case {
            name: "cut program headers",
            path: write("cut-phdrs", &elf[..phoff + 20]),
            status: 126,
            keywords: &["truncated", "program header"],
        },
        Case {
            name: "cut segment data",
            path: write("cut-segments", &elf[..elf.len() / 3]),
            status: 126,
            keywords: &["truncated", "segment", "beyond", "outside"],
        },
        Case {
            name: "x86-64 ELF",
            path: x86.to_path_buf(),
            status: 126,
            keywords: &["x86-64", "x86_64"],
        },
        Case {
            name: "32-bit ELF",
            path: riscv32_program(dir),
            status: 126,
            keywords: &["32-bit"],
        },
        Case {
            name: "big-endian ELF",
            path: write("big-endian", &big_endian),
            status: 126,
            keywords: &["big-endian", "big endian"],
        },
        Case {
            name: "relocatable ELF",
            path: write("relocatable.o", &relocatable),
            status: 126,
            keywords: &["not an executable", "et_rel", "relocatable"],
        },
        Case {
            name: "directory",
            path: subdir,
            status: 126,
            keywords: &["directory"],
        },
        Case {
            name: "not executable (mode 0644)",
            path: write_mode("not-executable", &elf, 0o644),
            status: 126,
            keywords: &["permission denied"],
        },
        Case {
            name: "missing file",
            path: dir.join("does-not-exist"),
            status: 127,
            keywords: &["no such file", "not found", "does not exist"],
        },
    ]
}

#[test]
fn unrunnable_files_get_one_line_naming_the_problem() {
    let dir = scratch_dir(&format!("bad-input-{}", std::process::id()));
    let mut failures = Vec::new();
    for case in cases(&dir) {
        let out = Command::new(vm_binary())
            .arg("run")
            .arg(&case.path)
            .env_clear()
            .env("PATH", "/usr/bin:/bin")
            .output()
            .expect("starting vm");
        let stderr = String::from_utf8_lossy(&out.stderr);
        let lower = stderr.to_lowercase();
        let mut problems = Vec::new();
        if out.status.code() != Some(case.status) {
            problems.push(format!(
                "status {:?}, expected exit {}",
                out.status, case.status
            ));
        }
        if stderr.lines().count() != 1 || !stderr.ends_with('\n') {
            problems.push("stderr is not exactly one line".to_string());
        }
        if !case.keywords.iter().any(|k| lower.contains(k)) {
            problems.push(format!("message names none of {:?}", case.keywords));
        }
        if !out.stdout.is_empty() {
            problems.push("something was written to stdout".to_string());
        }
        if !problems.is_empty() {
            failures.push(format!(
                "{}: {}\n    stderr: {:?}",
                case.name,
                problems.join("; "),
                stderr
            ));
        }
    }
    let _ = fs::remove_dir_all(&dir);
    assert!(
        failures.is_empty(),
        "bad input handled wrongly:\n{}",
        failures.join("\n")
    );
}

#[test]
fn the_good_program_the_bad_ones_are_cut_from_runs() {
    // Guards the test above: the cut files fail because they are cut, not because the
    // original would not run either.
    let dir = scratch_dir(&format!("bad-input-good-{}", std::process::id()));
    let path = dir.join("hello");
    fs::write(&path, riscv_hello()).unwrap();
    fs::set_permissions(&path, std::os::unix::fs::PermissionsExt::from_mode(0o755)).unwrap();
    let out = Command::new(vm_binary())
        .arg("run")
        .arg(&path)
        .output()
        .expect("starting vm");
    let reference = Command::new(QEMU)
        .arg(&path)
        .output()
        .expect("starting qemu");
    let _ = fs::remove_dir_all(&dir);
    assert!(
        out.status.success(),
        "vm run hello: {:?} {}",
        out.status,
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&reference.stdout)
    );
}

/// A dynamically linked RISC-V program (PT_INTERP names [`INTERP`]).
fn riscv_dynamic_hello() -> PathBuf {
    hello("bad-input-dynamic-hello", "-pie")
}

/// Runs `vm run` with `args` and the environment `env` only; returns the status code and
/// stderr, after checking that stderr is exactly one line and stdout empty.
fn vm_fails(args: &[&std::ffi::OsStr], env: &[(&str, &std::ffi::OsStr)]) -> (Option<i32>, String) {
    let out = Command::new(vm_binary())
        .arg("run")
        .args(args)
        .env_clear()
        .env("PATH", "/usr/bin:/bin")
        .envs(env.iter().copied())
        .output()
        .expect("starting vm");
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    assert!(
        stderr.lines().count() == 1 && stderr.ends_with('\n'),
        "stderr is not exactly one line: {stderr:?}"
    );
    assert!(out.stdout.is_empty(), "something was written to stdout");
    (out.status.code(), stderr)
}

#[test]
fn a_missing_dynamic_linker_is_127_naming_it_and_the_sysroot() {
    let prog = riscv_dynamic_hello();
    let empty = scratch_dir(&format!("bad-input-empty-sysroot-{}", std::process::id()));
    let shown = fs::canonicalize(&empty).unwrap();
    // Named with -L, and with VM_LD_PREFIX.
    let by_flag = vm_fails(&["-L".as_ref(), empty.as_os_str(), prog.as_os_str()], &[]);
    let by_env = vm_fails(&[prog.as_os_str()], &[("VM_LD_PREFIX", empty.as_os_str())]);
    let _ = fs::remove_dir_all(&empty);
    for (status, stderr) in [by_flag, by_env] {
        assert_eq!(status, Some(127), "{stderr}");
        for needle in [INTERP, &shown.to_string_lossy(), "not found", "-L"] {
            assert!(stderr.contains(needle), "{needle:?} not in {stderr:?}");
        }
    }
}

#[test]
fn a_dynamic_linker_that_is_not_riscv_is_126() {
    let prog = riscv_dynamic_hello();
    let root = scratch_dir(&format!("bad-input-x86-sysroot-{}", std::process::id()));
    let ld = root.join(INTERP.trim_start_matches('/'));
    fs::create_dir_all(ld.parent().unwrap()).unwrap();
    fs::copy("/bin/true", &ld).unwrap();
    let (status, stderr) = vm_fails(&["-L".as_ref(), root.as_os_str(), prog.as_os_str()], &[]);
    let _ = fs::remove_dir_all(&root);
    assert_eq!(status, Some(126), "{stderr}");
    let lower = stderr.to_lowercase();
    assert!(
        lower.contains("interpreter") && lower.contains("x86-64"),
        "{stderr:?}"
    );
}

#[test]
fn a_sysroot_that_does_not_exist_is_a_usage_error() {
    let prog = riscv_dynamic_hello();
    let missing = Path::new("/nonexistent/riscv-sysroot");
    let (status, stderr) = vm_fails(&["-L".as_ref(), missing.as_os_str(), prog.as_os_str()], &[]);
    assert_eq!(status, Some(2), "{stderr}");
    assert!(stderr.contains("/nonexistent/riscv-sysroot"), "{stderr:?}");
}
