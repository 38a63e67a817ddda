//! Guest programs checked against expected output because qemu-user cannot be the
//! reference for them: programs that execve other guest programs (qemu needs a
//! binfmt_misc registration for that), trap signals sent by another process (which
//! qemu 7.2 sometimes takes for its own faults), robust futexes (qemu answers
//! `set_robust_list` with ENOSYS), POSIX timers (qemu gives its own timer handle as
//! the default `sigev_value` and does not send `SIGEV_THREAD_ID` signals to the thread
//! named), System V IPC (qemu accepts `SHM_REMAP` without an address), what a vfork
//! child writes (qemu loses it, as vm did: `posix_spawn` of a missing program "worked"),
//! `unshare` (qemu's own threads make the host refuse `CLONE_THREAD`), `clone` with
//! namespace flags (qemu refuses them), code written through one mapping and run
//! through another of the same memory (qemu keeps running the old translation), one
//! guest reading and writing another's memory (qemu answers `process_vm_readv` with
//! ENOSYS), seccomp filters (qemu has no seccomp; a native build is their reference,
//! see `NATIVE_REFERENCE`), and system calls
//! qemu 7.2 answers otherwise than Linux or not at all (each program's comment says how).
//! Each `tests/exec/NAME.c` is
//! built like the programs of `tests/guest/` and run under `vm run` for each engine, and
//! must exit 0 with empty stderr and exactly the stdout in `tests/exec/NAME.stdout`. The
//! expected files are written by hand from what Linux does, never captured from vm.
//!
//! The binfmt_misc modes (`vm-binfmt`, `vm-binfmt-p`) are tested here too, by invoking
//! vm the way the kernel would, through links with those names, and (as root) by
//! registering vm with `vm binfmt register` and starting a RISC-V program directly.

mod common;

use common::*;
use std::fs;
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;

fn exec_dir() -> PathBuf {
    workspace_root().join("tests/exec")
}

fn build(stem: &str) -> PathBuf {
    let guest = workspace_root().join("tests/guest");
    let build = Build {
        name: format!("exec-{stem}"),
        target: Target::Riscv64,
        sources: vec![exec_dir().join(format!("{stem}.c"))],
        cflags: ["-static", "-O2", "-march=rv64gc"]
            .iter()
            .map(|s| s.to_string())
            .chain([format!("-I{}", guest.display())])
            .collect(),
        ldflags: Vec::new(),
        extra_inputs: vec![guest.join("check.h"), guest.join("jit.h")],
    };
    build
        .run(&scratch_dir("riscv-exec-guests"))
        .unwrap_or_else(|e| panic!("{e}"))
}

fn programs() -> Vec<String> {
    let filter = std::env::var("VM_TEST_FILTER").unwrap_or_default();
    let mut stems: Vec<String> = fs::read_dir(exec_dir())
        .expect("listing tests/exec")
        .map(|e| e.expect("directory entry").path())
        .filter(|p| p.extension().and_then(|e| e.to_str()) == Some("c"))
        .map(|p| p.file_stem().unwrap().to_string_lossy().into_owned())
        .filter(|s| s.contains(&filter))
        .collect();
    stems.sort();
    stems
}

#[test]
fn exec_programs_print_what_linux_gives() {
    require_tools();
    require_vm();
    let stems = programs();
    let runs_root = scratch_dir(&format!("exec-runs-{}", std::process::id()));
    let mut failures = Vec::new();
    for stem in &stems {
        let program = build(stem);
        let expected = fs::read(exec_dir().join(format!("{stem}.stdout")))
            .unwrap_or_else(|e| panic!("{stem}.stdout: {e}"));
        for engine in engines() {
            let inv = Invocation {
                program: program.clone(),
                ..Invocation::default()
            };
            let runner = Runner::Vm {
                engine: engine.clone(),
            };
            let dir = runs_root.join(format!("{stem}.{engine}"));
            let got = run_guest(&runner, &inv, &dir, vm_timeout(Duration::from_secs(60)));
            let mut report = String::new();
            if got.outcome != Outcome::Exit(0) {
                report += &format!("  status: {}\n", got.outcome);
            }
            if !got.stderr.is_empty() {
                report += &format!("  stderr: {}\n", String::from_utf8_lossy(&got.stderr));
            }
            if got.stdout != expected {
                report += &format!(
                    "  stdout differs (expected / vm):\n{}",
                    first_difference(&expected, &got.stdout)
                );
            }
            if !report.is_empty() {
                failures.push(format!("{stem} under {}:\n{report}", runner.label()));
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    let _ = fs::remove_dir_all(&runs_root);
}

/// Programs of `tests/exec/` whose reference is the host kernel: a native x86-64 build
/// of the same source, run directly, must print exactly the expected file (which keeps
/// that file Linux's), and vm must match the native run's stdout, stderr and status.
/// (seccomp_filters: qemu-user has no seccomp; stack_limit: its stack is fixed;
/// sig_signalfd_group: qemu cannot exec a RISC-V program without binfmt_misc;
/// wait_clone_children: qemu refuses or forks with SIGCHLD every clone.)
const NATIVE_REFERENCE: &[&str] = &[
    "seccomp_filters",
    "stack_limit",
    "sig_signalfd_group",
    "wait_clone_children",
];

fn build_native(stem: &str) -> PathBuf {
    let guest = workspace_root().join("tests/guest");
    let build = Build {
        name: format!("exec-native-{stem}"),
        target: Target::X86_64,
        sources: vec![exec_dir().join(format!("{stem}.c"))],
        cflags: vec!["-O2".to_string(), format!("-I{}", guest.display())],
        ldflags: vec!["-lpthread".to_string()],
        extra_inputs: vec![guest.join("check.h")],
    };
    build
        .run(&scratch_dir("native-exec-programs"))
        .unwrap_or_else(|e| panic!("{e}"))
}

#[test]
fn exec_programs_match_a_native_build() {
    require_tools();
    require_vm();
    let filter = std::env::var("VM_TEST_FILTER").unwrap_or_default();
    let runs_root = scratch_dir(&format!("exec-native-runs-{}", std::process::id()));
    let mut failures = Vec::new();
    for stem in NATIVE_REFERENCE.iter().filter(|s| s.contains(&filter)) {
        let expected = fs::read(exec_dir().join(format!("{stem}.stdout")))
            .unwrap_or_else(|e| panic!("{stem}.stdout: {e}"));
        let timeout = vm_timeout(Duration::from_secs(60));
        let native_inv = Invocation {
            program: build_native(stem),
            ..Invocation::default()
        };
        let dir = runs_root.join(format!("{stem}.native"));
        let native = run_guest(&Runner::Native, &native_inv, &dir, timeout);
        if native.stdout != expected {
            failures.push(format!(
                "{stem}: the native build's stdout is not {stem}.stdout:\n{}",
                first_difference_of("expected", &expected, "native", &native.stdout)
            ));
        }
        let inv = Invocation {
            program: build(stem),
            ..Invocation::default()
        };
        for engine in engines() {
            let runner = Runner::Vm { engine };
            let dir = runs_root.join(format!("{stem}.{}", runner.label().replace(' ', "_")));
            let got = run_guest(&runner, &inv, &dir, timeout);
            if let Some(report) = compare_with("native", &native.stderr, &native, &got) {
                failures.push(format!("{stem} under {}:\n{report}", runner.label()));
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    let _ = fs::remove_dir_all(&runs_root);
}

/// A link to the vm binary named `name`, as a binfmt_misc registration would point at.
fn link_vm_as(name: &str) -> PathBuf {
    let dir = scratch_dir("binfmt-links");
    let link = dir.join(name);
    let _ = fs::remove_file(&link);
    std::os::unix::fs::symlink(vm_binary(), &link).expect("creating the link");
    link
}

fn run_as(interp: &Path, args: &[&str]) -> String {
    let out = Command::new(interp)
        .args(args)
        .env_clear()
        .envs(GUEST_ENV.iter().copied())
        .output()
        .expect("running vm");
    assert!(
        out.status.success() && out.stderr.is_empty(),
        "{} {args:?}: {:?}\n{}",
        interp.display(),
        out.status,
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).expect("UTF-8 output")
}

#[test]
fn binfmt_invocations_give_the_guest_linux_argv() {
    require_tools();
    require_vm();
    let program = build("exec_chain");
    let path = program.to_str().expect("UTF-8 path");
    // Without the P flag the kernel passes `interp FULLPATH ARGV1...` and argv[0] is
    // lost: the guest sees the full path (AT_FLAGS has no P bit when we start vm).
    let got = run_as(&link_vm_as("vm-binfmt"), &[path, "show", "a b"]);
    assert_eq!(
        got,
        format!("argc 3\nargv[0] [{path}]\nargv[1] [show]\nargv[2] [a b]\n")
    );
    // With P: `interp FULLPATH ARGV0 ARGV1...`.
    let got = run_as(&link_vm_as("vm-binfmt-p"), &[path, "my-name", "show", "-L"]);
    assert_eq!(
        got,
        "argc 3\nargv[0] [my-name]\nargv[1] [show]\nargv[2] [-L]\n"
    );
    // `vm run --argv0` is the same for command lines.
    let got = run_as(&vm_binary(), &["run", "--argv0", "", "--", path, "show"]);
    assert_eq!(got, "argc 2\nargv[0] []\nargv[1] [show]\n");
}

/// `vm run SCRIPT` runs a `#!` script as execve does: its RISC-V interpreter with argv
/// `[interp, (arg), SCRIPT, ARGS...]`, also when the interpreter is a script itself;
/// a script without execute permission is refused as execve refuses it.
#[test]
fn vm_run_of_a_script_runs_its_interpreter_as_execve_would() {
    require_tools();
    require_vm();
    // `exec_script` prints its arguments when started as an interpreter (when its
    // argv[0] is its own path) and exits 5.
    let interp = fs::canonicalize(build("exec_script")).expect("the built program");
    let dir = scratch_dir(&format!("vm-run-scripts-{}", std::process::id()));
    let write = |name: &str, text: String, mode: u32| {
        use std::os::unix::fs::PermissionsExt;
        fs::write(dir.join(name), text).unwrap();
        fs::set_permissions(dir.join(name), fs::Permissions::from_mode(mode)).unwrap();
    };
    write(
        "guest-arg.sh",
        format!("#!{}  one arg \t\nignored\n", interp.display()),
        0o755,
    );
    write(
        "nested.sh",
        format!("#!{}/guest-arg.sh\n", dir.display()),
        0o755,
    );
    write(
        "not-executable.sh",
        format!("#!{}\n", interp.display()),
        0o644,
    );
    let vm_run = |args: &[&str]| {
        Command::new(vm_binary())
            .arg("run")
            .args(args)
            .current_dir(&dir)
            .env_clear()
            .envs(GUEST_ENV.iter().copied())
            .output()
            .expect("running vm")
    };
    let show = |out: &std::process::Output| {
        format!(
            "{:?}\nstdout:\n{}stderr:\n{}",
            out.status,
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        )
    };
    let direct = vm_run(&["./guest-arg.sh", "x", "y z"]);
    let nested = vm_run(&["./nested.sh", "x"]);
    let refused = vm_run(&["./not-executable.sh"]);
    let _ = fs::remove_dir_all(&dir);
    assert_eq!(
        show(&direct),
        show(&std::process::Output {
            status: direct.status,
            stdout: b"interpreter: argc 5, argv[0] is the interpreter\n  argv[1] [one arg]\n  \
                      argv[2] [./guest-arg.sh]\n  argv[3] [x]\n  argv[4] [y z]\n"
                .to_vec(),
            stderr: Vec::new(),
        })
    );
    assert_eq!(direct.status.code(), Some(5), "{}", show(&direct));
    let expected_nested = format!(
        "interpreter: argc 5, argv[0] is the interpreter\n  argv[1] [one arg]\n  \
         argv[2] [{}/guest-arg.sh]\n  argv[3] [./nested.sh]\n  argv[4] [x]\n",
        dir.display()
    );
    assert_eq!(
        (
            nested.status.code(),
            String::from_utf8_lossy(&nested.stdout).into_owned()
        ),
        (Some(5), expected_nested),
        "{}",
        show(&nested)
    );
    assert_eq!(refused.status.code(), Some(126), "{}", show(&refused));
    assert!(
        String::from_utf8_lossy(&refused.stderr).contains("Permission denied"),
        "{}",
        show(&refused)
    );
}

/// vm started inside a new root that has no /proc (as `chroot DIR /vm run PROG` does, or
/// the kernel for a binfmt_misc handler registered with F) cannot find its executable
/// through procfs: the guest's execs must still work, three deep.
#[test]
fn vm_started_in_a_root_without_procfs_runs_guest_execs() {
    require_tools();
    require_vm();
    // SAFETY: geteuid has no arguments and cannot fail.
    if unsafe { libc::geteuid() } != 0 {
        eprintln!("skipped: changing the root directory needs root");
        return;
    }
    let root = scratch_dir(&format!("root-without-proc-{}", std::process::id()));
    fs::copy(vm_binary(), root.join("vm")).expect("copying vm into the new root");
    fs::copy(build("exec_nested"), root.join("prog")).expect("copying the guest");
    // coreutils' chroot, by its path: the guest's environment has no PATH.
    let out = Command::new("/usr/sbin/chroot")
        .arg(&root)
        .args(["/vm", "run", "/prog"])
        .env_clear()
        .envs(GUEST_ENV.iter().copied())
        .output()
        .expect("running chroot");
    let expected = fs::read_to_string(exec_dir().join("exec_nested.stdout")).unwrap();
    assert!(
        out.status.success() && out.stderr.is_empty(),
        "{:?}\n{}",
        out.status,
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(String::from_utf8_lossy(&out.stdout), expected);
    let _ = fs::remove_dir_all(&root);
}

/// vm started under a finite host `RLIMIT_AS` (`ulimit -Sv`), far below what it reserves
/// for guest memory, runs the guest under exactly that limit (`tests/exec/rlimit_as_host.c`
/// says what Linux prints).
#[test]
fn vm_started_under_an_address_space_limit_gives_it_to_the_guest() {
    require_tools();
    require_vm();
    let mut cmd = Command::new(vm_binary());
    cmd.arg("run")
        .arg(build("rlimit_as_host"))
        .arg("limited")
        .env_clear()
        .envs(GUEST_ENV.iter().copied());
    // SAFETY: the closure only makes one system call between fork and exec.
    unsafe {
        cmd.pre_exec(|| {
            let limit = libc::rlimit {
                rlim_cur: 1 << 30,
                rlim_max: libc::RLIM_INFINITY,
            };
            if libc::setrlimit(libc::RLIMIT_AS, &limit) != 0 {
                return Err(std::io::Error::last_os_error());
            }
            Ok(())
        })
    };
    let out = cmd.output().expect("running vm");
    assert!(
        out.status.success() && out.stderr.is_empty(),
        "{:?}\n{}",
        out.status,
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(
        String::from_utf8_lossy(&out.stdout),
        "as: soft 1073741824 hard unlimited\nmap 600 MiB: ok\nmap 600 MiB more: ENOMEM\n"
    );
}

/// Removes a binfmt_misc entry when dropped, so that a failed assertion leaves none.
struct BinfmtEntry(PathBuf);

impl Drop for BinfmtEntry {
    fn drop(&mut self) {
        let _ = fs::write(&self.0, "-1");
    }
}

fn vm_binfmt(args: &[&str]) -> std::process::Output {
    Command::new(vm_binary())
        .arg("binfmt")
        .args(args)
        .output()
        .expect("running vm binfmt")
}

/// `vm binfmt register` makes the host kernel run RISC-V programs with vm: a program
/// started directly gets its real argv[0] (the P flag); `status` and `unregister` find
/// the entry, and mistakes are refused with exit status 2.
#[test]
fn vm_binfmt_register_makes_the_kernel_run_riscv_programs() {
    require_tools();
    require_vm();
    // SAFETY: geteuid has no arguments and cannot fail.
    if unsafe { libc::geteuid() } != 0 {
        eprintln!("skipped: binfmt_misc registrations need root");
        return;
    }
    let binfmt = Path::new("/proc/sys/fs/binfmt_misc");
    if !binfmt.join("register").exists() {
        eprintln!("skipped: binfmt_misc is not mounted");
        return;
    }
    let program = build("exec_chain");
    let name = format!("vm-test-{}", std::process::id());
    let dir = scratch_dir(&format!("binfmt-register-{}", std::process::id()));
    let interp = dir.join("vm-binfmt");
    let _ = fs::remove_file(&interp);
    let interp_str = interp.to_str().expect("UTF-8 path");

    let wrong = vm_binfmt(&["register", "--name", &name, "--interpreter", "/tmp/vm"]);
    assert_eq!(
        wrong.status.code(),
        Some(2),
        "an interpreter not named vm-binfmt"
    );
    assert!(!binfmt.join(&name).exists());

    let out = vm_binfmt(&["register", "--name", &name, "--interpreter", interp_str]);
    let _entry = BinfmtEntry(binfmt.join(&name));
    assert!(
        out.status.success(),
        "{:?}\n{}",
        out.status,
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(
        fs::canonicalize(&interp).unwrap(),
        fs::canonicalize(vm_binary()).unwrap(),
        "the link made leads to vm"
    );
    let entry = fs::read_to_string(binfmt.join(&name)).expect("reading the entry");
    for line in [
        "enabled".to_string(),
        format!("interpreter {interp_str}"),
        "flags: PF".to_string(),
        "magic 7f454c460201010000000000000000000200f300".to_string(),
        "mask ffffffffffffff00fffffffffffffffffeffffff".to_string(),
    ] {
        assert!(entry.lines().any(|l| l == line), "{line:?} in\n{entry}");
    }

    // Entries are matched newest first, so this one runs the program.
    let out = Command::new(&program)
        .arg0("my-name")
        .args(["show", "a b"])
        .env_clear()
        .envs(GUEST_ENV.iter().copied())
        .output()
        .expect("starting the RISC-V program directly");
    assert!(out.status.success(), "{out:?}");
    assert_eq!(
        String::from_utf8_lossy(&out.stdout),
        "argc 3\nargv[0] [my-name]\nargv[1] [show]\nargv[2] [a b]\n"
    );

    let again = vm_binfmt(&["register", "--name", &name, "--interpreter", interp_str]);
    assert_eq!(again.status.code(), Some(2), "registered twice");
    let status = vm_binfmt(&["status", "--name", &name]);
    assert_eq!(status.status.code(), Some(0));
    assert!(String::from_utf8_lossy(&status.stdout).contains("enabled"));

    let out = vm_binfmt(&["unregister", "--name", &name]);
    assert!(out.status.success(), "{out:?}");
    assert!(!binfmt.join(&name).exists());
    assert_eq!(
        vm_binfmt(&["status", "--name", &name]).status.code(),
        Some(1)
    );
    assert_eq!(
        vm_binfmt(&["unregister", "--name", &name]).status.code(),
        Some(2)
    );
    let _ = fs::remove_dir_all(&dir);
}
