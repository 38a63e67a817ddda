//! busybox's own test suite (`testsuite/` of the source package) as a differential test:
//! it runs once with the static riscv64 busybox entirely under vm and once with the same
//! source built natively for x86-64, and every test must end the same way under both.
//!
//! How it runs: each side gets a copy of `testsuite/` beside its `busybox` and `.config`
//! (runtest reads both from the parent directory), and a `bin/` directory of applet
//! links to its busybox, which is the whole `PATH`. The suite's `#!/bin/sh` scripts have
//! their first line rewritten to that `bin/sh`, so they are started by busybox's own
//! shell. On the vm side the suite starts as `vm run busybox sh ./runtest APPLET`: every
//! program it starts from there (applets through the links or `/proc/self/exe`, the
//! `#!` scripts) is a RISC-V program the guest execs, so all of it runs inside vm, and
//! nothing reaches the host's tools.
//!
//! The native build is `vm_guest_build::busybox` for the host: the same unpacked source,
//! `make defconfig` and committed overrides, without `CROSS_COMPILE` (its `.config` is
//! also the one both sides read: the two builds' configurations are equal).
//!
//! Left out: applets whose tests take more than a few seconds under the interpreter
//! (`bc`, `dc`, `factor`, the `*sum` hashes, `cryptpw`), `mount` (as root it mounts loop
//! devices on the host) and `wget` (it needs the network). [`KNOWN_DIFFERENCES`] lists
//! the tests that pass natively and are known to fail under vm, with the reason.

mod common;

use common::{
    busybox_build, copy_tree, require_vm, scratch_dir, vm_binary, worker_threads, Target,
};
use std::collections::BTreeMap;
use std::fs;
use std::os::unix::fs::symlink;
use std::os::unix::process::CommandExt as _;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// Applets not run (see the module documentation).
const SKIPPED: &[&str] = &[
    "bc",
    "dc",
    "factor",
    "md5sum",
    "sha1sum",
    "sha256sum",
    "sha3sum",
    "sha512sum",
    "cryptpw",
    "mount",
    "wget",
];

/// `(applet, test name, why)`: tests that pass natively and fail under vm, for a known
/// reason that is not (yet) fixed. A test listed here may also pass.
const KNOWN_DIFFERENCES: &[(&str, &str, &str)] = &[];

/// Longest time one applet's tests may take under vm.
const APPLET_TIMEOUT: Duration = Duration::from_secs(120);

/// The result lines (`PASS: name`, `FAIL: name`, `SKIPPED: ...`, `UNTESTED: ...`) of one
/// applet's run, or why there are none.
type Results = Result<Vec<String>, String>;

#[test]
fn busybox_testsuite_under_vm_matches_native() {
    require_vm();
    let riscv = &busybox_build(Target::Riscv64).binary;
    let native_build = busybox_build(Target::X86_64);
    let (native, config, src) = (
        &native_build.binary,
        &native_build.config,
        &native_build.source,
    );
    let root = scratch_dir(&format!("busybox-testsuite-{}", std::process::id()));
    let links = applet_list(native);
    let vm_side = Side::set_up(&root.join("vm"), riscv, config, &links, src, true);
    let native_side = Side::set_up(&root.join("native"), native, config, &links, src, false);

    let applets: Vec<String> = applets(&src.join("testsuite"))
        .into_iter()
        .filter(|a| !SKIPPED.contains(&a.as_str()))
        .collect();
    let started = Instant::now();
    let native_results = native_side.run_all(&applets);
    let native_time = started.elapsed();
    let started = Instant::now();
    let vm_results = vm_side.run_all(&applets);
    let vm_time = started.elapsed();

    let mut failures = Vec::new();
    let (mut native_pass, mut vm_pass) = (0, 0);
    for ((applet, native), vm) in applets.iter().zip(&native_results).zip(&vm_results) {
        let native = match native {
            Ok(lines) => lines,
            Err(e) => {
                failures.push(format!("{applet}: native run: {e}"));
                continue;
            }
        };
        native_pass += native.iter().filter(|l| l.starts_with("PASS: ")).count();
        let vm = match vm {
            Ok(lines) => lines,
            Err(e) => {
                failures.push(format!("{applet}: vm run: {e}"));
                continue;
            }
        };
        vm_pass += vm.iter().filter(|l| l.starts_with("PASS: ")).count();
        failures.extend(differences(applet, native, vm));
    }
    println!(
        "{} applets; native: {native_pass} tests pass in {:.1}s; vm: {vm_pass} pass in {:.1}s",
        applets.len(),
        native_time.as_secs_f64(),
        vm_time.as_secs_f64()
    );
    if failures.is_empty() {
        let _ = fs::remove_dir_all(&root);
    }
    assert!(
        failures.is_empty(),
        "busybox's testsuite under vm differs from the native run ({} differences; \
         rerun one applet by hand with `VERBOSE=1 sh ./runtest -v APPLET` in {}):\n{}",
        failures.len(),
        root.join("vm/testsuite").display(),
        failures.join("\n")
    );
}

/// The test results that differ, except known differences, one message each.
fn differences(applet: &str, native: &[String], vm: &[String]) -> Vec<String> {
    let known = |line: &str| {
        KNOWN_DIFFERENCES.iter().any(|(a, name, _)| {
            *a == applet && line.split_once(": ").is_some_and(|(_, n)| n == *name)
        })
    };
    let mut out = Vec::new();
    let count = |lines: &[String]| {
        let mut m: BTreeMap<String, usize> = BTreeMap::new();
        for l in lines {
            *m.entry(l.clone()).or_default() += 1;
        }
        m
    };
    let (n, v) = (count(native), count(vm));
    for (line, &k) in &n {
        let under_vm = v.get(line).copied().unwrap_or(0);
        if under_vm < k && !known(line) {
            out.push(format!("{applet}: native `{line}`, not so under vm"));
        }
    }
    for (line, &k) in &v {
        if n.get(line).copied().unwrap_or(0) < k && !known(line) {
            out.push(format!("{applet}: vm `{line}`, not so natively"));
        }
    }
    out
}

/// Applets with tests: `NAME.tests` files and old-style `NAME/` directories.
fn applets(testsuite: &Path) -> Vec<String> {
    let mut names: Vec<String> = fs::read_dir(testsuite)
        .unwrap_or_else(|e| panic!("reading {}: {e}", testsuite.display()))
        .filter_map(|e| {
            let e = e.ok()?;
            let name = e.file_name().into_string().ok()?;
            if e.file_type().ok()?.is_dir() {
                Some(name)
            } else {
                name.strip_suffix(".tests").map(str::to_string)
            }
        })
        .collect();
    names.sort();
    names.dedup();
    names
}

/// One side of the comparison: `busybox` and `bin/` (its applet links), and a directory
/// per worker holding a link to the busybox, the `.config` and a copy of the test suite
/// (runtest works in the suite's directory and recreates links beside the busybox, so
/// two runs must not share them).
struct Side {
    dir: PathBuf,
    workers: usize,
    under_vm: bool,
}

impl Side {
    fn set_up(
        dir: &Path,
        busybox: &Path,
        config: &Path,
        applets: &[String],
        src: &Path,
        under_vm: bool,
    ) -> Side {
        let _ = fs::remove_dir_all(dir);
        let bin = dir.join("bin");
        fs::create_dir_all(&bin).expect("creating the side's directory");
        let exe = dir.join("busybox");
        fs::copy(busybox, &exe).expect("copying busybox");
        for applet in applets {
            symlink(&exe, bin.join(applet)).expect("linking an applet");
        }
        let shebang = format!("#!{}", bin.join("sh").display());
        let workers = worker_threads().clamp(1, 4);
        for w in 0..workers {
            let wd = dir.join(format!("w{w}"));
            fs::create_dir_all(&wd).expect("creating a worker directory");
            symlink(&exe, wd.join("busybox")).expect("linking busybox");
            fs::copy(config, wd.join(".config")).expect("copying .config");
            copy_tree(
                &src.join("testsuite"),
                &wd.join("testsuite"),
                Some(&shebang),
            );
        }
        Side {
            dir: dir.to_path_buf(),
            workers,
            under_vm,
        }
    }

    /// Runs every applet's tests, `workers` at a time; the results in order.
    fn run_all(&self, applets: &[String]) -> Vec<Results> {
        let next = AtomicUsize::new(0);
        let results: Mutex<Vec<Option<Results>>> = Mutex::new(vec![None; applets.len()]);
        std::thread::scope(|s| {
            for w in 0..self.workers {
                let (next, results) = (&next, &results);
                s.spawn(move || loop {
                    let i = next.fetch_add(1, Ordering::SeqCst);
                    let Some(applet) = applets.get(i) else { break };
                    let r = self.run(w, applet);
                    results.lock().expect("no worker panicked")[i] = Some(r);
                });
            }
        });
        let results = results.into_inner().expect("lock intact");
        results.into_iter().map(|r| r.expect("ran")).collect()
    }

    /// Runs `runtest APPLET` in worker `w`'s directory and returns its result lines.
    fn run(&self, w: usize, applet: &str) -> Results {
        let wd = self.dir.join(format!("w{w}"));
        let exe = self.dir.join("busybox");
        let mut cmd = if self.under_vm {
            let mut c = Command::new(vm_binary());
            // `-L /`: no sysroot, every absolute path is the host's, as natively.
            c.args(["run", "-L", "/"]).arg(&exe);
            c
        } else {
            Command::new(&exe)
        };
        cmd.args(["sh", "./runtest", applet])
            .current_dir(wd.join("testsuite"))
            .env_clear()
            .env("PATH", self.dir.join("bin"))
            .env("SHELL", self.dir.join("bin/sh"))
            .env("HOME", "/")
            .env("LC_ALL", "C")
            .env("TZ", "UTC")
            .stdin(Stdio::null())
            .stderr(Stdio::null())
            .process_group(0);
        let out_path = self.dir.join(format!("out-{applet}"));
        let out = fs::File::create(&out_path).map_err(|e| e.to_string())?;
        cmd.stdout(out);
        let mut child = cmd.spawn().map_err(|e| format!("starting runtest: {e}"))?;
        let deadline = Instant::now() + APPLET_TIMEOUT;
        loop {
            if child.try_wait().map_err(|e| e.to_string())?.is_some() {
                break;
            }
            if Instant::now() > deadline {
                // SAFETY: kill(2) on the process group the child leads; no pointers.
                unsafe { libc::kill(-(child.id() as i32), libc::SIGKILL) };
                let _ = child.wait();
                return Err(format!("timed out after {APPLET_TIMEOUT:?}"));
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        let text = fs::read_to_string(&out_path).map_err(|e| e.to_string())?;
        Ok(text
            .lines()
            .filter(|l| {
                ["PASS: ", "FAIL: ", "SKIPPED: ", "UNTESTED: "]
                    .iter()
                    .any(|p| l.starts_with(p))
            })
            .map(str::to_string)
            .collect())
    }
}

/// The applets the native binary has (the same configuration as the riscv64 one).
fn applet_list(native: &Path) -> Vec<String> {
    let out = Command::new(native)
        .arg("--list")
        .output()
        .unwrap_or_else(|e| panic!("running {} --list: {e}", native.display()));
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .map(str::to_string)
        .collect()
}
