//! `vm run --strace`: the trace of `tests/strace/traced.c` holds the decoded lines strace
//! would print for it (the stable parts: no addresses the guest did not choose), across a
//! fork, a thread and an exec, and the guest's own stdout, stderr and exit status are
//! those of an untraced run.

mod common;

use common::*;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn traced_program() -> PathBuf {
    let guest = workspace_root().join("tests/guest");
    let build = Build {
        name: "strace-traced".to_string(),
        target: Target::Riscv64,
        sources: vec![workspace_root().join("tests/strace/traced.c")],
        cflags: ["-static", "-O2", "-march=rv64gc", "-pthread"]
            .iter()
            .map(|s| s.to_string())
            .chain([format!("-I{}", guest.display())])
            .collect(),
        ldflags: vec!["-pthread".to_string()],
        extra_inputs: vec![guest.join("check.h")],
    };
    build_guest(&build)
}

/// Runs `vm run OPTIONS PROGRAM ARGS` in `dir` with the tests' fixed environment plus
/// `env`.
fn vm(dir: &Path, options: &[&str], program: &Path, args: &[&str], env: &[(&str, &str)]) -> Output {
    fs::create_dir_all(dir).unwrap();
    Command::new(vm_binary())
        .arg("run")
        .args(options)
        .arg(program)
        .args(args)
        .current_dir(dir)
        .env_clear()
        .envs(GUEST_ENV.iter().copied())
        .envs(env.iter().copied())
        .output()
        .expect("running vm")
}

/// The trace's lines as (thread id, text after the `[pid N] ` prefix); panics on a line
/// without the prefix.
fn parse(trace: &str) -> Vec<(i32, String)> {
    trace
        .lines()
        .map(|l| {
            let rest = l
                .strip_prefix("[pid ")
                .unwrap_or_else(|| panic!("line without [pid N]: {l:?}"));
            let (pid, text) = rest.split_once("] ").expect("[pid N] prefix");
            (pid.parse().expect("a pid"), text.to_string())
        })
        .collect()
}

/// The line of `lines` that starts with `start`, or a panic showing the trace.
fn find<'a>(lines: &'a [(i32, String)], start: &str) -> &'a (i32, String) {
    lines
        .iter()
        .find(|(_, l)| l.starts_with(start))
        .unwrap_or_else(|| {
            panic!(
                "no line starting with {start:?} in the trace:\n{}",
                show(lines)
            )
        })
}

fn show(lines: &[(i32, String)]) -> String {
    lines
        .iter()
        .map(|(p, l)| format!("[pid {p}] {l}\n"))
        .collect()
}

/// The number a line's result is (`... = 123`).
fn result_of(line: &str) -> i32 {
    line.rsplit_once(" = ")
        .and_then(|(_, r)| r.parse().ok())
        .unwrap_or_else(|| panic!("no numeric result in {line:?}"))
}

fn scratch(name: &str) -> PathBuf {
    let dir = scratch_dir(&format!("strace-{name}-{}", std::process::id()));
    let _ = fs::remove_dir_all(&dir);
    fs::create_dir_all(&dir).unwrap();
    dir
}

#[test]
fn trace_file_shows_decoded_calls_across_fork_thread_and_exec() {
    require_tools();
    require_vm();
    let program = traced_program();
    let dir = scratch("file");
    let plain = vm(&dir.join("run"), &[], &program, &[], &[]);
    let trace_path = dir.join("trace.txt");
    let option = format!("--strace={}", trace_path.display());
    let traced = vm(&dir.join("run"), &[&option], &program, &[], &[]);

    // The guest sees no difference.
    assert_eq!(plain.status.code(), Some(5), "{plain:?}");
    assert_eq!(traced.status.code(), plain.status.code());
    assert_eq!(
        String::from_utf8_lossy(&traced.stdout),
        String::from_utf8_lossy(&plain.stdout)
    );
    assert_eq!(String::from_utf8_lossy(&traced.stderr), "to stderr\n");
    assert_eq!(traced.stderr, plain.stderr);
    assert!(String::from_utf8_lossy(&plain.stdout).contains("child exited with 3\nfrom thread\n"));

    let trace = fs::read_to_string(&trace_path).expect("the trace file");
    let lines = parse(&trace);
    let main = lines[0].0;
    let expect_main = |start: &str| {
        let (pid, line) = find(&lines, start);
        assert_eq!(*pid, main, "{line}");
        line.clone()
    };
    expect_main(
        "openat(AT_FDCWD, \"/nonexistent/strace-missing\", O_RDONLY) = -1 ENOENT (No such file or directory)",
    );
    expect_main("write(1, \"hello from traced\\n\", 18) = 18");
    expect_main("write(2, \"to stderr\\n\", 10) = 10");
    let mmap = expect_main(
        "mmap(NULL, 8192, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS, -1, 0) = 0x",
    );
    let addr = mmap.rsplit_once(" = ").unwrap().1;
    expect_main(&format!("munmap({addr}, 8192) = 0"));
    // Bad pointers are shown as the address, and the calls fail as without tracing.
    expect_main("openat(AT_FDCWD, 0xdead0000, O_RDONLY) = -1 EFAULT (Bad address)");
    expect_main("write(1, 0xdead0000, 5) = -1 EFAULT (Bad address)");
    // The signal: sent, delivered (with the sender), handled.
    expect_main("rt_sigaction(SIGUSR1, 0x");
    expect_main(&format!("tgkill({main}, {main}, SIGUSR1) = 0"));
    expect_main(&format!(
        "--- SIGUSR1 {{si_signo=SIGUSR1, si_code=SI_TKILL, si_pid={main}, si_uid="
    ));
    expect_main("rt_sigreturn() = ");

    // The fork: the parent's clone returns the child's pid, whose lines carry it.
    let clone = expect_main("clone(child_stack=NULL, flags=CLONE_CHILD_CLEARTID|CLONE_CHILD_SETTID|SIGCHLD, child_tidptr=0x");
    let child = result_of(&clone);
    assert_ne!(child, main);
    assert_eq!(find(&lines, "exit_group(3) = ?").0, child);
    assert_eq!(find(&lines, "+++ exited with 3 +++").0, child);
    assert!(
        !lines
            .iter()
            .any(|(p, l)| *p == child && l.starts_with("clone(")),
        "the child reports no clone of its own:\n{trace}"
    );
    expect_main(&format!(
        "wait4({child}, [{{WIFEXITED(s) && WEXITSTATUS(s) == 3}}], 0, NULL) = {child}"
    ));

    // The thread: created by clone or clone3 (as the C library's pthread_create
    // chooses), with its own tid on its lines.
    let thread_flags = "CLONE_VM|CLONE_FS|CLONE_FILES|CLONE_SIGHAND|CLONE_THREAD|";
    let (_, create) = lines
        .iter()
        .find(|(p, l)| {
            *p == main
                && (l.starts_with("clone(child_stack=0x") || l.starts_with("clone3({"))
                && l.contains(thread_flags)
        })
        .unwrap_or_else(|| panic!("no thread-creating clone in the trace:\n{trace}"));
    let thread = result_of(create);
    assert_ne!(thread, main);
    assert_eq!(
        find(&lines, "write(1, \"from thread\\n\", 12) = 12").0,
        thread
    );
    assert!(
        lines.contains(&(thread, "exit(0) = ?".to_string())),
        "{trace}"
    );
    assert!(
        lines.contains(&(thread, "+++ exited with 0 +++".to_string())),
        "{trace}"
    );

    // A failing execve returns; a working one goes on in a new vm, same pid.
    let missing = expect_main("execve(\"/nonexistent/prog\", [\"prog\"], 0x");
    assert!(
        missing.ends_with(" /* 0 vars */ <unfinished ...>"),
        "{missing}"
    );
    let exec = expect_main("execve(\"/proc/self/exe\", [\"traced\", \"exec-stage\"], 0x");
    assert!(exec.ends_with(" /* 1 vars */ <unfinished ...>"), "{exec}");
    let resumed: Vec<&String> = lines
        .iter()
        .filter(|(p, l)| *p == main && l.starts_with("<... execve resumed>) = "))
        .map(|(_, l)| l)
        .collect();
    assert_eq!(
        resumed,
        [
            "<... execve resumed>) = -1 ENOENT (No such file or directory)",
            "<... execve resumed>) = 0"
        ],
        "{trace}"
    );
    expect_main("write(1, \"exec stage\\n\", 11) = 11");
    assert_eq!(
        lines.last(),
        Some(&(main, "+++ exited with 5 +++".to_string())),
        "{trace}"
    );
    let _ = fs::remove_dir_all(&dir);
}

#[test]
fn trace_to_stderr_keeps_the_guest_output_and_survives_a_closed_stderr() {
    require_tools();
    require_vm();
    let program = traced_program();
    let dir = scratch("stderr");
    let plain = vm(&dir, &[], &program, &[], &[]);
    let traced = vm(&dir, &["--strace"], &program, &[], &[]);
    assert_eq!(traced.status.code(), plain.status.code());
    assert_eq!(traced.stdout, plain.stdout);
    let stderr = String::from_utf8_lossy(&traced.stderr);
    // Trace lines are whole lines among the guest's own, which stay as they were.
    let (trace, guest): (Vec<&str>, Vec<&str>) =
        stderr.lines().partition(|l| l.starts_with("[pid "));
    assert_eq!(guest, ["to stderr"], "{stderr}");
    assert!(
        trace.iter().any(|l| l.ends_with("+++ exited with 5 +++")),
        "{stderr}"
    );

    // The trace goes to vm's stderr even after the guest closed its own.
    let closed = vm(&dir, &["--strace"], &program, &["no-stderr"], &[]);
    assert_eq!(closed.status.code(), Some(0), "{closed:?}");
    assert_eq!(
        String::from_utf8_lossy(&closed.stdout),
        "open after closing stderr: ENOENT\n"
    );
    let stderr = String::from_utf8_lossy(&closed.stderr);
    let lines = parse(&stderr);
    find(&lines, "close(2) = 0");
    find(
        &lines,
        "openat(AT_FDCWD, \"/nonexistent/after-close\", O_RDONLY) = -1 ENOENT",
    );

    // Without --strace (or VM_STRACE) nothing is traced.
    assert!(!String::from_utf8_lossy(&plain.stderr).contains("[pid "));
    let _ = fs::remove_dir_all(&dir);
}

#[test]
fn trace_shows_a_fatal_signal_and_the_death() {
    require_tools();
    require_vm();
    let program = traced_program();
    let dir = scratch("segv");
    let out = vm(&dir, &["--strace"], &program, &["segv"], &[]);
    use std::os::unix::process::ExitStatusExt;
    assert_eq!(out.status.signal(), Some(libc::SIGSEGV), "{out:?}");
    let stderr = String::from_utf8_lossy(&out.stderr);
    let lines = parse(&stderr);
    let n = lines.len();
    assert!(n >= 2, "{stderr}");
    assert_eq!(
        lines[n - 2].1,
        "--- SIGSEGV {si_signo=SIGSEGV, si_code=SEGV_MAPERR, si_addr=NULL} ---"
    );
    assert_eq!(lines[n - 1].1, "+++ killed by SIGSEGV +++");
    let _ = fs::remove_dir_all(&dir);
}

/// A guest that lowers its file-size limit below the trace's size runs as it would
/// untraced: the trace loses lines, the guest gets no SIGXFSZ for vm's writes (found by
/// the system-call fuzzer).
#[test]
fn a_file_size_limit_cuts_the_trace_not_the_guest() {
    require_tools();
    require_vm();
    let program = traced_program();
    let dir = scratch("fsize");
    let trace_path = dir.join("trace");
    let option = format!("--strace={}", trace_path.display());
    let out = vm(&dir, &[&option], &program, &["small-files"], &[]);
    assert!(out.status.success(), "{out:?}");
    assert_eq!(String::from_utf8_lossy(&out.stdout), "survived\n");
    let trace = fs::read(&trace_path).expect("the trace");
    assert!(trace.len() <= 4096, "{} bytes", trace.len());
    let _ = fs::remove_dir_all(&dir);
}

/// `VM_STRACE` (for binfmt_misc starts, which take no options) with `%p`: each process
/// writes its own file, and an exec goes on in the same one.
#[test]
fn vm_strace_environment_variable_writes_a_file_per_process() {
    require_tools();
    require_vm();
    let program = traced_program();
    let dir = scratch("env");
    let pattern = format!("{}/trace.%p", dir.display());
    let out = vm(
        &dir.join("run"),
        &[],
        &program,
        &[],
        &[("VM_STRACE", &pattern)],
    );
    assert_eq!(out.status.code(), Some(5), "{out:?}");
    assert_eq!(String::from_utf8_lossy(&out.stderr), "to stderr\n");
    let mut files: Vec<(i32, String)> = fs::read_dir(&dir)
        .unwrap()
        .filter_map(|e| {
            let name = e.unwrap().file_name().to_string_lossy().into_owned();
            let pid = name.strip_prefix("trace.")?.parse().ok()?;
            Some((pid, fs::read_to_string(dir.join(&name)).unwrap()))
        })
        .collect();
    files.sort_by_key(|(_, text)| !text.contains("execve(")); // The parent's first.
    assert_eq!(files.len(), 2, "one file per process: {files:?}");
    let (parent, parent_trace) = &files[0];
    let (child, child_trace) = &files[1];
    let parent_lines = parse(parent_trace);
    assert_eq!(parent_lines[0].0, *parent, "{parent_trace}");
    assert!(
        !parent_lines.iter().any(|(p, _)| p == child),
        "{parent_trace}"
    );
    find(&parent_lines, &format!("wait4({child}, "));
    find(&parent_lines, "<... execve resumed>) = 0");
    assert_eq!(parent_lines.last().unwrap().1, "+++ exited with 5 +++");
    let child_lines = parse(child_trace);
    assert!(child_lines.iter().all(|(p, _)| p == child), "{child_trace}");
    assert!(!child_trace.contains("clone("), "{child_trace}");
    let n = child_lines.len();
    assert!(n >= 2, "{child_trace}");
    assert_eq!(child_lines[n - 2].1, "exit_group(3) = ?");
    assert_eq!(child_lines[n - 1].1, "+++ exited with 3 +++");
    let _ = fs::remove_dir_all(&dir);
}
