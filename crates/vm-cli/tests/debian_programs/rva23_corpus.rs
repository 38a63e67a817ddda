//! Real compiler output for the RVA23U64 profile: the Debian root's gcc, run under vm,
//! builds a corpus with `-march=rva23u64` (auto-vectorised loops on the V extension,
//! Zicond, Zba/Zbb/Zbs, Zcb, Zfa, ...), and every program then runs under vm and under
//! the reference qemu (`scripts/reference-qemu`, `-cpu` [`REFERENCE_CPU`]), which must agree on
//! stdout, stderr and exit status.
//!
//! The corpus:
//! - the programs of `tests/guest/` at `-O3`, with their manifests' arguments,
//!   environment and stdin, except those [`SKIPPED`] says why; [`MORE_VARIANTS`] also
//!   at `-O2` and with LMUL up to 8 (the [`VARIANTS`] of gcc's flags);
//! - Lua 5.4 (`lua-src`'s sources, `tests/guest-drivers/lua_driver.c`) running every
//!   script of `tests/lua/`, at `-O3`;
//! - zlib (`libz-sys`'s sources, `bench/workloads/zlib_driver.c`): compression at levels
//!   1, 6 and 9 and inflation of a mixed workload, each round trip checked, sizes and
//!   CRC-32 printed; at `-O3`, `-O2` and with LMUL chosen per loop;
//! - `bench/workloads/coremark.c` (`-O3`, `-O2`, LMUL up to 8) and
//!   `tests/debian/inputs/vectorize.c` (every variant).
//!
//! SQLite is left out: compiling its 9 MB amalgamation under vm's interpreter would
//! take longer than all the rest together.
//!
//! Compiling: one `gcc -c` per translation unit under vm, as many at once as there are
//! cores, the biggest first; then one link per program. Objects and programs are kept
//! in `target/tmp/rva23-corpus/`, named by a key over the root's package list (which
//! fixes gcc, binutils and glibc), the flags, and the names and bytes of the sources and
//! headers. A cold cache costs minutes of gcc under the interpreter; a warm one only the
//! runs. Each program's count of vector instructions is printed, and the real programs
//! must have some: a corpus silently compiled without V would test nothing.

use crate::common::manifest::*;
use crate::common::*;
use crate::harness::*;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

/// Programs of `tests/guest/` the corpus leaves out, and why.
const SKIPPED: &[(&str, &str)] = &[
    // Several processes or threads: schedules differ between runners, and qemu-user
    // cannot execve a RISC-V program.
    ("jit_threads", "threads"),
    ("proc_fork", "several processes"),
    ("proc_spawn", "execs other guest programs"),
    ("proc_vfork_close", "several processes"),
    ("sig_blocking_race", "threads racing on purpose"),
    ("sig_chld", "several processes"),
    ("sig_futex_timeout_handler", "threads and timeouts"),
    ("sig_sleep_restart", "children and sleeps"),
    ("sys_affinity", "several processes"),
    ("sys_caps", "several processes"),
    ("sys_low_nofile", "several processes"),
    ("sys_mknod", "several processes"),
    ("sys_mlock", "several processes"),
    ("sys_pidfd", "several processes"),
    ("sys_prctl", "several processes"),
    ("thread_bus_truncated", "threads"),
    ("thread_exit", "threads"),
    ("thread_openmp", "threads (OpenMP)"),
    (
        "thread_signals",
        "threads; times out under the reference qemu",
    ),
    ("thread_unmap_race", "threads racing on purpose"),
    ("threads", "threads"),
    // Timing.
    ("sig_alarm", "timers"),
    ("sys_time", "clocks and sleeps"),
    ("sys_timerfd", "timers"),
    // The sysroot or the reference qemu, not the compiler.
    (
        "dyn_dlopen",
        "needs a shared library built beside it by the cross compiler",
    ),
    (
        "dyn_auxv",
        "counts loaded objects, and qemu 10 maps a vDSO where vm and qemu 7.2 map none",
    ),
    (
        "sig_bus_truncated",
        "qemu 10 itself dies of an internal SIGBUS on a truncated file mapping",
    ),
];

/// Programs of `tests/guest/` built in the variants `O2` and `O3-m8` too: the
/// loop-heavy ones.
const MORE_VARIANTS: &[&str] = &[
    "bitmanip",
    "cpu_hash",
    "cpu_matmul",
    "cpu_sort",
    "int_alu",
    "libc_misc",
];

/// Programs whose inline assembly has `fence.i`, which RVA23U64 lacks (Zifencei is
/// not in the profile); they get `-march=rva23u64_zifencei`, and the reference qemu
/// ([`REFERENCE_CPU`]) the extension.
const NEEDS_ZIFENCEI: &[&str] = &["atomics", "jit_code", "sig_fetch_straddle"];

/// The CPU the reference qemu emulates: RVA23U64 with Zifencei, which vm has (rv64gc
/// programs need it) and qemu's model of the profile leaves out. Only the programs of
/// [`NEEDS_ZIFENCEI`] can tell.
const REFERENCE_CPU: &str = "rva23u64,zifencei=true";

/// Real programs that must contain vector instructions.
const MUST_VECTORISE: &[&str] = &[
    "lua-O3",
    "zlib-O3",
    "zlib-O2",
    "vectorize-O3",
    "vectorize-O3-m8",
];

/// One program of the corpus: how to build it and what to run.
struct Program {
    /// `<what>-O<level>`: names the cached files and the runs.
    name: String,
    sources: Vec<PathBuf>,
    /// Files the sources include: hashed into the keys, never on a command line.
    headers: Vec<PathBuf>,
    /// Flags for compiling and linking: optimisation, `-march`, defines, includes.
    cflags: Vec<String>,
    /// Link flags after the objects.
    ldflags: Vec<String>,
    runs: Vec<ProgramRun>,
}

#[derive(Default)]
struct ProgramRun {
    /// Added to the program's name in the report.
    label: String,
    args: Vec<String>,
    env: Vec<String>,
    unset: Vec<String>,
    stdin: Option<Vec<u8>>,
    files: Vec<PathBuf>,
}

/// The ways gcc is asked to compile: a name (the suffix of a program's name) and its
/// optimisation flags. Beyond `-O3` and `-O2` (whose cheaper cost model vectorises
/// less), register groups of up to 8 registers or as many as the loop needs (gcc uses
/// LMUL 1 by default), and code that assumes VLEN is the profile's minimum, 128
/// (`vsetivli` with constant lengths instead of strip-mined loops).
const VARIANTS: &[(&str, &[&str])] = &[
    ("O3", &["-O3"]),
    ("O2", &["-O2"]),
    ("O3-m8", &["-O3", "-mrvv-max-lmul=m8"]),
    ("O3-dyn", &["-O3", "-mrvv-max-lmul=dynamic"]),
    ("O3-zvl", &["-O3", "-mrvv-vector-bits=zvl"]),
];

/// The flags of `variant`, `-march=...`, then `-static` unless the program is dynamic.
fn base_flags(variant: &str, march: &str, dynamic: bool) -> Vec<String> {
    let (_, opt) = VARIANTS
        .iter()
        .find(|(name, _)| *name == variant)
        .unwrap_or_else(|| panic!("no variant {variant}"));
    let mut flags: Vec<String> = opt.iter().map(|f| f.to_string()).collect();
    flags.push(format!("-march={march}"));
    if !dynamic {
        flags.push("-static".to_string());
    }
    flags
}

fn guest_programs() -> Vec<Program> {
    let dir = workspace_root().join("tests/guest");
    let mut listed: Vec<PathBuf> = fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("listing {}: {e}", dir.display()))
        .map(|e| e.expect("directory entry").path())
        .collect();
    listed.sort();
    let headers: Vec<PathBuf> = listed
        .iter()
        .filter(|p| p.extension().is_some_and(|e| e == "h"))
        .cloned()
        .collect();
    let mut programs = Vec::new();
    for src in listed
        .iter()
        .filter(|p| p.extension().is_some_and(|e| e == "c"))
    {
        let stem = src
            .file_stem()
            .expect("a stem")
            .to_string_lossy()
            .into_owned();
        if SKIPPED.iter().any(|(name, _)| *name == stem) {
            continue;
        }
        let m = parse_manifest(src);
        let march = if NEEDS_ZIFENCEI.contains(&stem.as_str()) {
            "rva23u64_zifencei"
        } else {
            "rva23u64"
        };
        let levels: &[&str] = if MORE_VARIANTS.contains(&stem.as_str()) {
            &["O3", "O2", "O3-m8"]
        } else {
            &["O3"]
        };
        for opt in levels {
            let mut cflags = base_flags(opt, march, m.dynamic);
            cflags.push(format!("-I{}", dir.display()));
            // The profile already has what a manifest's `-march` adds to rv64gc.
            cflags.extend(
                m.cflags
                    .iter()
                    .filter(|f| !f.starts_with("-march="))
                    .cloned(),
            );
            let mut ldflags = m.ldflags.clone();
            ldflags.push("-lm".to_string());
            programs.push(Program {
                name: format!("{stem}-{opt}"),
                sources: vec![src.clone()],
                headers: headers.clone(),
                cflags,
                ldflags,
                runs: vec![ProgramRun {
                    args: m.args.clone(),
                    env: m.env.clone(),
                    unset: m.unset.clone(),
                    stdin: m.stdin.clone(),
                    ..ProgramRun::default()
                }],
            });
        }
    }
    programs
}

/// A program from one of `vm-guest-build`'s recipes, with the recipe's flags for the
/// cross compiler (`Target::program_flags`) replaced by the corpus's.
fn from_recipe(recipe: Build, opt: &str, runs: Vec<ProgramRun>) -> Program {
    let own = Target::Riscv64.program_flags();
    assert!(
        recipe.cflags.len() >= own.len() && recipe.cflags.iter().zip(own).all(|(a, b)| a == b),
        "{}: the recipe's flags do not start with the program flags",
        recipe.name
    );
    let mut cflags = base_flags(opt, "rva23u64", false);
    cflags.extend(recipe.cflags[own.len()..].iter().cloned());
    Program {
        name: format!("{}-{opt}", recipe.name),
        sources: recipe.sources,
        headers: recipe.extra_inputs,
        cflags,
        ldflags: recipe.ldflags,
        runs,
    }
}

fn real_programs() -> Vec<Program> {
    let root = workspace_root();
    let sources = RegistrySources::locate(&root).unwrap_or_else(|e| panic!("{e}"));
    let lua = sources
        .lua(
            Target::Riscv64,
            &root.join("tests/guest-drivers/lua_driver.c"),
        )
        .unwrap_or_else(|e| panic!("{e}"));
    let zlib = sources
        .zlib(Target::Riscv64, &root.join("bench/workloads/zlib_driver.c"))
        .unwrap_or_else(|e| panic!("{e}"));
    let lua_dir = root.join("tests/lua");
    let mut scripts: Vec<PathBuf> = fs::read_dir(&lua_dir)
        .unwrap_or_else(|e| panic!("listing {}: {e}", lua_dir.display()))
        .map(|e| e.expect("directory entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "lua"))
        .collect();
    scripts.sort();
    let lua_runs = scripts
        .into_iter()
        .map(|script| {
            let name = script
                .file_name()
                .expect("a name")
                .to_string_lossy()
                .into_owned();
            ProgramRun {
                label: name.clone(),
                args: vec![name],
                files: vec![script],
                ..ProgramRun::default()
            }
        })
        .collect();
    let args = |a: &[&str]| ProgramRun {
        label: a.join(" "),
        args: a.iter().map(|s| s.to_string()).collect(),
        ..ProgramRun::default()
    };
    let single = |name: &str, path: PathBuf, opt: &str, runs| Program {
        name: format!("{name}-{opt}"),
        sources: vec![path],
        headers: Vec::new(),
        cflags: base_flags(opt, "rva23u64", false),
        ldflags: vec!["-lm".to_string()],
        runs,
    };
    let mut programs = vec![from_recipe(lua, "O3", lua_runs)];
    for opt in ["O3", "O2", "O3-dyn"] {
        programs.push(from_recipe(zlib.clone(), opt, vec![args(&["256"])]));
    }
    for opt in ["O3", "O2", "O3-m8"] {
        programs.push(single(
            "coremark",
            root.join("bench/workloads/coremark.c"),
            opt,
            vec![args(&["300"])],
        ));
    }
    for (opt, _) in VARIANTS {
        programs.push(single(
            "vectorize",
            root.join("tests/debian/inputs/vectorize.c"),
            opt,
            vec![args(&[]), args(&["x"])],
        ));
    }
    programs
}

/// What identifies the compiler: the root's packages (gcc, binutils, glibc versions).
fn compiler_identity() -> KeyHasher {
    let mut h = KeyHasher::new();
    for package in &debian_rootfs().packages {
        h.add(package.as_bytes());
    }
    h
}

/// The corpus's build cache, kept across test runs.
fn cache_dir() -> PathBuf {
    scratch_dir("rva23-corpus")
}

/// Runs `gcc ARGS` under vm in a fresh directory named `job`, and moves what it wrote
/// to `out` (a relative name in `args`) into the cache as `entry`.
fn gcc_under_vm(args: Vec<String>, out: &str, entry: &Path, job: &str) -> Result<(), String> {
    let s = setup();
    let mut argv = vec!["gcc".to_string()];
    argv.extend(args);
    let inv = invocation(&argv, &[], None, s);
    let runner = Runner::Vm {
        engine: engines()[0].clone(),
    };
    let dir = scratch_dir(&format!("rva23-corpus-build-{}", std::process::id())).join(job);
    let got = run_guest(&runner, &inv, &dir, vm_timeout(Duration::from_secs(1800)));
    if got.outcome != Outcome::Exit(0) {
        return Err(format!(
            "{} under vm: {}\n{}",
            argv.join(" "),
            got.outcome,
            String::from_utf8_lossy(&got.stderr)
        ));
    }
    let tmp = cache_dir().join(format!(".{job}.{}.tmp", std::process::id()));
    fs::copy(dir.join(out), &tmp)
        .and_then(|_| fs::rename(&tmp, entry))
        .map_err(|e| format!("caching {}: {e}", entry.display()))?;
    let _ = fs::remove_dir_all(&dir);
    for output in ["stdout", "stderr"] {
        let _ = fs::remove_file(format!("{}.{output}", dir.display()));
    }
    Ok(())
}

/// One translation unit: `source` of `program`.
struct Unit<'a> {
    program: &'a Program,
    source: &'a Path,
}

impl Unit<'_> {
    /// Where its object is cached.
    fn entry(&self, identity: &KeyHasher) -> PathBuf {
        let p = self.program;
        let mut h = KeyHasher::new();
        h.add(identity.key().as_bytes()).add(b"object");
        for f in &p.cflags {
            h.add(f.as_bytes());
        }
        for file in std::iter::once(self.source).chain(p.headers.iter().map(PathBuf::as_path)) {
            h.add(file.file_name().expect("a name").as_encoded_bytes());
            h.add_file(file).unwrap_or_else(|e| panic!("{e}"));
        }
        let stem = self.source.file_stem().expect("a stem").to_string_lossy();
        cache_dir().join(format!("{}.{stem}-{}.o", p.name, h.key()))
    }

    fn compile(&self, identity: &KeyHasher) -> Result<PathBuf, String> {
        let entry = self.entry(identity);
        if entry.is_file() {
            return Ok(entry);
        }
        let mut args = vec!["-c".to_string(), "-pipe".to_string()];
        args.extend(self.program.cflags.iter().cloned());
        args.extend(["-o".to_string(), "out.o".to_string()]);
        args.push(self.source.to_string_lossy().into_owned());
        let job = entry.file_name().expect("a name").to_string_lossy();
        gcc_under_vm(args, "out.o", &entry, &job)?;
        Ok(entry)
    }
}

/// Links `objects` (cached under names that carry their keys) into the program.
fn link(p: &Program, objects: &[PathBuf], identity: &KeyHasher) -> Result<PathBuf, String> {
    let mut h = KeyHasher::new();
    h.add(identity.key().as_bytes()).add(b"program");
    for part in p.cflags.iter().chain(&p.ldflags) {
        h.add(part.as_bytes());
    }
    for o in objects {
        h.add(o.file_name().expect("a name").as_encoded_bytes());
    }
    let entry = cache_dir().join(format!("{}-{}", p.name, h.key()));
    if entry.is_file() {
        return Ok(entry);
    }
    let mut args = p.cflags.clone();
    args.extend(["-o".to_string(), "prog".to_string()]);
    args.extend(objects.iter().map(|o| o.to_string_lossy().into_owned()));
    args.extend(p.ldflags.iter().cloned());
    gcc_under_vm(args, "prog", &entry, &format!("{}.link", p.name))?;
    Ok(entry)
}

/// Builds every program (objects in parallel, biggest source first, then the links)
/// and returns their paths, or the build failures.
fn build_all(programs: &[Program]) -> Result<Vec<PathBuf>, Vec<String>> {
    let identity = compiler_identity();
    let mut units: Vec<Unit> = programs
        .iter()
        .flat_map(|program| {
            program
                .sources
                .iter()
                .map(move |source| Unit { program, source })
        })
        .collect();
    let size = |u: &Unit| fs::metadata(u.source).map_or(0, |m| m.len());
    units.sort_by_key(|u| std::cmp::Reverse(size(u)));
    let objects = parallel_map(&units, worker_threads(), |u| u.compile(&identity));
    let mut failures = Vec::new();
    let per_program: Vec<Vec<PathBuf>> = programs
        .iter()
        .map(|p| {
            p.sources
                .iter()
                .filter_map(|source| {
                    let i = units
                        .iter()
                        .position(|u| std::ptr::eq(u.program, p) && u.source == source)
                        .expect("every source is a unit");
                    match &objects[i] {
                        Ok(o) => Some(o.clone()),
                        Err(e) => {
                            failures.push(e.clone());
                            None
                        }
                    }
                })
                .collect()
        })
        .collect();
    if !failures.is_empty() {
        return Err(failures);
    }
    let indices: Vec<usize> = (0..programs.len()).collect();
    let linked = parallel_map(&indices, worker_threads(), |&i| {
        link(&programs[i], &per_program[i], &identity)
    });
    let (ok, failed): (Vec<_>, Vec<_>) = linked.into_iter().partition(Result::is_ok);
    if failed.is_empty() {
        Ok(ok.into_iter().map(Result::unwrap).collect())
    } else {
        Err(failed.into_iter().filter_map(Result::err).collect())
    }
}

/// How many vector instructions the host's RISC-V objdump finds in `binary` (every
/// RISC-V mnemonic that starts with `v` is one); None when objdump cannot say.
fn vector_instructions(binary: &Path) -> Option<usize> {
    let out = Command::new("riscv64-linux-gnu-objdump")
        .arg("-d")
        .arg(binary)
        .output()
        .ok()?;
    if !out.status.success() {
        return None;
    }
    let text = String::from_utf8_lossy(&out.stdout);
    Some(
        text.lines()
            .filter(|line| {
                // "   1040c:\t0207f057          \tvsetvli\tzero,a5,e8,m1,ta,ma"
                let mut fields = line.split('\t');
                fields.next().is_some_and(|a| a.trim_end().ends_with(':'))
                    && fields.nth(1).is_some_and(|m| m.starts_with('v'))
            })
            .count(),
    )
}

/// The corpus, built by gcc under vm for rva23u64, gives the same under vm as under
/// the reference qemu.
///
/// Not in the default run: a cold cache (every fresh clone, so every CI run) costs
/// about 20 minutes of gcc under the interpreter on 2 cores, half the CI budget. Run it
/// with `cargo test -p vm-cli --test debian_programs -- --ignored rva23_compiler_output`
/// (about a minute once the cache is warm); the default run keeps its regression tests
/// (`tests/rva23/`) and the gcc-built `vectorize.c` of `debian_programs`.
#[test]
#[ignore = "about 20 minutes of gcc under vm on a cold cache; run with --ignored"]
fn rva23_compiler_output_matches_the_reference_qemu() {
    require_tools();
    require_vm();
    let s = setup();
    let mut programs = guest_programs();
    programs.extend(real_programs());
    let filter = std::env::var("VM_TEST_FILTER").unwrap_or_default();
    programs.retain(|p| p.name.contains(&filter));
    let skipped: Vec<String> = SKIPPED
        .iter()
        .map(|(n, why)| format!("{n} ({why})"))
        .collect();
    println!("skipped from tests/guest: {}", skipped.join(", "));

    let started = Instant::now();
    let binaries = build_all(&programs).unwrap_or_else(|failures| {
        panic!(
            "{} corpus builds failed under vm:\n{}",
            failures.len(),
            failures.join("\n")
        )
    });
    println!(
        "{} programs built (or found in {}) in {:.1}s",
        programs.len(),
        cache_dir().display(),
        started.elapsed().as_secs_f64()
    );
    let mut total = 0;
    let mut without = Vec::new();
    for (p, bin) in programs.iter().zip(&binaries) {
        let count = vector_instructions(bin);
        total += count.unwrap_or(0);
        println!(
            "  {:<28} {} vector instructions",
            p.name,
            count.map_or("?".to_string(), |c| c.to_string())
        );
        if MUST_VECTORISE.contains(&p.name.as_str()) && count == Some(0) {
            without.push(p.name.clone());
        }
    }
    println!("  {total} vector instructions in all");
    assert!(
        without.is_empty(),
        "gcc -march=rva23u64 emitted no vector instructions for {without:?}"
    );

    let cases: Vec<DiffCase> = programs
        .iter()
        .zip(&binaries)
        .flat_map(|(p, bin)| {
            p.runs.iter().map(move |r| DiffCase {
                name: format!("{} {}", p.name, r.label).trim_end().to_string(),
                invocation: Invocation {
                    program: bin.clone(),
                    args: r.args.clone(),
                    env: r.env.clone(),
                    unset: r.unset.clone(),
                    stdin: r.stdin.clone(),
                    files: r.files.clone(),
                    sysroot: Some(s.root.clone()),
                    ..Invocation::default()
                },
            })
        })
        .collect();
    let reference = Runner::QemuCpu {
        qemu: reference_qemu().to_path_buf(),
        cpu: REFERENCE_CPU.to_string(),
    };
    let (summary, failures) = run_differential_against(
        reference,
        &cases,
        "rva23-corpus-runs",
        vm_timeout(Duration::from_secs(300)),
    );
    println!("{} corpus runs:\n{summary}", cases.len());
    assert!(
        failures.is_empty(),
        "{} of {} corpus runs differ between vm and the reference qemu:\n\n{}\n\nsummary:\n{summary}",
        failures.len(),
        cases.len(),
        failures.join("\n")
    );
}
