//! The differential test over `tests/guest/`: every C and assembly program there is
//! compiled with `riscv64-linux-gnu-gcc -static -O2 -march=rv64gc`, run under `vm run`
//! for each engine and under qemu-riscv64-static (both with `-L` the compiler's sysroot),
//! and must produce the same stdout, stderr and exit status (a guest killed by a signal
//! compares as that signal).
//!
//! A program may start with manifest lines, before any other line:
//! - `// args: a "b c" ""`: arguments (double quotes group words, `""` is empty);
//! - `// env: NAME=VALUE`: passed with `-E` (may repeat);
//! - `// unset: NAME`: passed with `-U` (may repeat);
//! - `// stdin: text`: standard input, with `\n` and `\t` escapes (otherwise /dev/null);
//! - `// cflags: ...` and `// ldflags: ...`: extra compiler flags before and after the
//!   source;
//! - `// pie: yes`: also build and run a static-PIE variant. Only for programs without
//!   libc: Debian's riscv64 glibc has no static-pie support (no rcrt1.o, non-PIC libc.a).
//! - `// link: dynamic`: link against the sysroot's shared glibc (a PIE with PT_INTERP)
//!   instead of statically;
//! - `// ldso: yes`: also run the program through the dynamic linker named on the
//!   command line (`ld-linux-riscv64-lp64d.so.1 PROG ARGS`), as `[ld.so]`;
//! - `// shlib: lib/NAME.c`: build that source with `-shared -fPIC` and put it in the
//!   program's working directory as `libNAME.so` (may repeat), for `dlopen`. Library
//!   sources live in `lib/`, where they are not taken for programs.
//!
//! Environment knobs: `VM_TEST_FILTER=substr` runs only matching programs,
//! `VM_TEST_ENGINES=interp,jit` picks engines, `VM_TEST_TIMEOUT=secs` bounds each vm run.

mod common;

use common::manifest::*;
use common::*;
use std::fs;
use std::path::{Path, PathBuf};
use std::time::Duration;

struct Program {
    /// Display name: the file name, plus `[pie]` for the static-PIE variant or `[ld.so]`
    /// for the run through the dynamic linker.
    name: String,
    build: Build,
    /// Shared libraries placed in the working directory.
    shlibs: Vec<Build>,
    /// Run as an argument of the dynamic linker.
    via_ldso: bool,
    manifest: Manifest,
}

/// A shared library `lib/NAME.c` built as `libNAME.so`.
fn shlib_build(dir: &Path, source: &str, headers: &[PathBuf]) -> Build {
    let src = dir.join(source);
    let stem = src
        .file_stem()
        .expect("stem")
        .to_string_lossy()
        .into_owned();
    Build {
        name: format!("lib{stem}.so"),
        target: Target::Riscv64,
        sources: vec![src],
        cflags: ["-shared", "-fPIC", "-O2", "-march=rv64gc"]
            .map(String::from)
            .to_vec(),
        ldflags: Vec::new(),
        extra_inputs: headers.to_vec(),
    }
}

/// Builds `lib` and returns a copy named `libNAME.so` (the cached build has a key in its
/// name), in a directory of its own beside the cache, written atomically.
fn stage_shlib(lib: &Build, bin_dir: &Path) -> Result<PathBuf, String> {
    let built = lib.run(bin_dir).map_err(|e| e.to_string())?;
    let dir = PathBuf::from(format!("{}.d", built.display()));
    let staged = dir.join(&lib.name);
    if !staged.is_file() {
        fs::create_dir_all(&dir).map_err(|e| format!("creating {}: {e}", dir.display()))?;
        let tmp = dir.join(format!(".{}.{}.tmp", lib.name, std::process::id()));
        fs::copy(&built, &tmp)
            .and_then(|_| fs::rename(&tmp, &staged))
            .map_err(|e| format!("staging {}: {e}", staged.display()))?;
    }
    Ok(staged)
}

fn guest_dir() -> PathBuf {
    workspace_root().join("tests/guest")
}

fn discover() -> Vec<Program> {
    let dir = guest_dir();
    let mut files: Vec<PathBuf> = fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("listing {}: {e}", dir.display()))
        .map(|e| e.expect("directory entry").path())
        .filter(|p| matches!(p.extension().and_then(|e| e.to_str()), Some("c" | "S")))
        .collect();
    files.sort();
    let headers: Vec<PathBuf> = {
        let mut h: Vec<PathBuf> = fs::read_dir(&dir)
            .expect("listing guest dir")
            .map(|e| e.expect("directory entry").path())
            .filter(|p| p.extension().and_then(|e| e.to_str()) == Some("h"))
            .collect();
        h.sort();
        h
    };
    let filter = std::env::var("VM_TEST_FILTER").unwrap_or_default();
    let include = format!("-I{}", dir.display());
    let mut programs = Vec::new();
    for src in files {
        let file = src
            .file_name()
            .expect("file name")
            .to_string_lossy()
            .into_owned();
        if !file.contains(&filter) {
            continue;
        }
        let stem = src
            .file_stem()
            .expect("stem")
            .to_string_lossy()
            .into_owned();
        let manifest = parse_manifest(&src);
        let link = if manifest.dynamic { "-pie" } else { "-static" };
        let mut cflags: Vec<String> = [link, "-O2", "-march=rv64gc", &include]
            .iter()
            .map(|s| s.to_string())
            .collect();
        cflags.extend(manifest.cflags.iter().cloned());
        let mut ldflags = manifest.ldflags.clone();
        ldflags.push("-lm".to_string());
        let build = Build {
            name: stem.clone(),
            target: Target::Riscv64,
            sources: vec![src.clone()],
            cflags,
            ldflags: ldflags.clone(),
            extra_inputs: headers.clone(),
        };
        let shlibs: Vec<Build> = manifest
            .shlibs
            .iter()
            .map(|lib| shlib_build(&dir, lib, &headers))
            .collect();
        if manifest.ldso {
            programs.push(Program {
                name: format!("{file}[ld.so]"),
                build: build.clone(),
                shlibs: shlibs.clone(),
                via_ldso: true,
                manifest: manifest.clone(),
            });
        }
        if manifest.pie {
            let mut pie_flags: Vec<String> = ["-O2", "-march=rv64gc", &include, "-fPIE"]
                .iter()
                .map(|s| s.to_string())
                .collect();
            pie_flags.extend(manifest.cflags.iter().cloned());
            pie_flags.push("-Wl,-static,-pie,--no-dynamic-linker,-z,text".to_string());
            programs.push(Program {
                name: format!("{file}[pie]"),
                build: Build {
                    name: format!("{stem}.pie"),
                    cflags: pie_flags,
                    ..build.clone()
                },
                shlibs: shlibs.clone(),
                via_ldso: false,
                manifest: manifest.clone(),
            });
        }
        programs.push(Program {
            name: file,
            build,
            shlibs,
            via_ldso: false,
            manifest,
        });
    }
    programs
}

#[test]
fn guest_programs_match_qemu() {
    require_tools();
    let programs = discover();
    assert!(
        !programs.is_empty(),
        "no guest programs found in {}",
        guest_dir().display()
    );
    let bin_dir = scratch_dir("riscv-guests");
    let built = parallel_map(&programs, worker_threads(), |p| {
        let libs: Result<Vec<PathBuf>, String> =
            p.shlibs.iter().map(|l| stage_shlib(l, &bin_dir)).collect();
        let bin = p.build.run(&bin_dir).map_err(|e| e.to_string())?;
        Ok::<_, String>((bin, libs?))
    });
    let build_errors: Vec<String> = built
        .iter()
        .filter_map(|r| r.as_ref().err().cloned())
        .collect();
    assert!(
        build_errors.is_empty(),
        "guest programs failed to build:\n{}",
        build_errors.join("\n")
    );
    require_vm();

    let cases: Vec<DiffCase> = programs
        .iter()
        .zip(built)
        .map(|(p, built)| {
            let (bin, libs) = built.expect("built");
            let (program, args) = if p.via_ldso {
                let ldso = sysroot().join(INTERP.trim_start_matches('/'));
                let mut args = vec![bin.to_string_lossy().into_owned()];
                args.extend(p.manifest.args.iter().cloned());
                (ldso, args)
            } else {
                (bin, p.manifest.args.clone())
            };
            DiffCase {
                name: p.name.clone(),
                invocation: Invocation {
                    program,
                    args,
                    env: p.manifest.env.clone(),
                    unset: p.manifest.unset.clone(),
                    stdin: p.manifest.stdin.clone(),
                    files: libs,
                    ..Invocation::default()
                },
            }
        })
        .collect();
    let (summary, failures) =
        run_differential(&cases, "guest-runs", vm_timeout(Duration::from_secs(120)));
    println!("{} guest programs:\n{summary}", cases.len());
    assert!(
        failures.is_empty(),
        "{} guest program runs differ from qemu:\n\n{}\n\nsummary:\n{summary}",
        failures.len(),
        failures.join("\n")
    );
}

#[test]
fn dynamic_programs_find_the_default_sysroot() {
    // Without -L or VM_LD_PREFIX, vm looks in /usr/riscv64-linux-gnu: the sysroot the
    // harness passes explicitly everywhere else, when the compiler's is that one.
    let default = Path::new("/usr/riscv64-linux-gnu");
    if fs::canonicalize(default).ok().as_deref() != Some(sysroot()) {
        println!(
            "skipped: the cross compiler's sysroot is not {}",
            default.display()
        );
        return;
    }
    let prog = hello("default-sysroot-hello", "-pie");
    let out = std::process::Command::new(vm_binary())
        .arg("run")
        .arg(&prog)
        .env_clear()
        .env("PATH", "/usr/bin:/bin")
        .output()
        .expect("starting vm");
    assert!(
        out.status.success(),
        "{:?}: {}",
        out.status,
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(String::from_utf8_lossy(&out.stdout), "hello, world\n");
}

#[test]
fn manifest_arguments_split_like_a_shell() {
    assert_eq!(
        split_args(r#"alpha "two words" "" --flag=x"#),
        ["alpha", "two words", "", "--flag=x"]
    );
    assert_eq!(split_args("  a   b "), ["a", "b"]);
    assert!(split_args("").is_empty());
}
