//! Guest core dumps: `tests/coredump/crash.c` dies of SIGSEGV (a NULL store) or of
//! SIGABRT (abort() in a second thread while the main thread waits) under vm, with
//! `RLIMIT_CORE` set for the run, in a directory of its own; gdb-multiarch must read
//! the core vm leaves there: the crashing function, the faulting pc, locals, threads.
//! No core without `RLIMIT_CORE`, below a page of it, or after
//! `prctl(PR_SET_DUMPABLE, 0)`; none larger than a small `RLIMIT_CORE`. A thread that
//! used the vector unit leaves its vector state in an `NT_RISCV_VECTOR` note laid out
//! as Linux's `struct __riscv_v_regset_state`.

mod common;

use common::*;
use std::os::unix::process::{CommandExt, ExitStatusExt};
use std::path::{Path, PathBuf};
use std::process::Command;

const GDB: &str = "gdb-multiarch";

fn crash_program() -> PathBuf {
    require_tools();
    build_guest(&Build {
        name: "coredump-crash".into(),
        target: Target::Riscv64,
        sources: vec![workspace_root().join("tests/coredump/crash.c")],
        cflags: vec!["-g".into(), "-O0".into(), "-pthread".into()],
        ldflags: vec!["-pthread".into()],
        extra_inputs: vec![],
    })
}

/// Runs `crash MODE` under vm in a fresh directory with the soft `RLIMIT_CORE` at
/// `limit` (capped at the hard limit), cores named `core` there; the signal it died of
/// and the files left.
fn run_crash(mode: &str, limit: u64) -> (Option<i32>, PathBuf, Vec<PathBuf>) {
    run_crash_with_pattern(mode, limit, "core")
}

/// [`run_crash`] with `VM_CORE_PATTERN` at `pattern`.
fn run_crash_with_pattern(
    mode: &str,
    limit: u64,
    pattern: &str,
) -> (Option<i32>, PathBuf, Vec<PathBuf>) {
    let program = crash_program();
    let tag: String = pattern
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '_' })
        .collect();
    let dir = scratch_dir("core-dump").join(format!("{mode}-{limit}-{tag}"));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let mut cmd = Command::new(vm_binary());
    cmd.arg("run")
        .arg("-L")
        .arg(sysroot())
        .arg(&program)
        .arg(mode)
        .env("VM_CORE_PATTERN", pattern)
        .current_dir(&dir);
    // SAFETY: the closure runs in the forked child before exec and only calls
    // getrlimit and setrlimit, which are async-signal-safe.
    unsafe {
        cmd.pre_exec(move || {
            let mut l = libc::rlimit {
                rlim_cur: 0,
                rlim_max: 0,
            };
            libc::getrlimit(libc::RLIMIT_CORE, &mut l);
            l.rlim_cur = limit.min(l.rlim_max);
            libc::setrlimit(libc::RLIMIT_CORE, &l);
            Ok(())
        });
    }
    let out = cmd.output().expect("running vm");
    let files = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    (out.status.signal(), dir, files)
}

/// The one core `files` should hold.
fn the_core(files: &[PathBuf]) -> &Path {
    match files {
        [core] => core,
        _ => panic!("expected one core file, found {files:?}"),
    }
}

fn gdb(program: &Path, core: &Path, commands: &[&str]) -> String {
    let ok = Command::new(GDB)
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success());
    assert!(ok, "`{GDB}` is not runnable: run scripts/install-deps");
    let mut cmd = Command::new(GDB);
    cmd.args(["-nx", "-batch"])
        .arg("-iex")
        .arg(format!("set sysroot {}", sysroot().display()))
        .args(["-iex", "set auto-load safe-path /"]);
    for c in commands {
        cmd.arg("-ex").arg(c);
    }
    let out = cmd.arg(program).arg(core).output().expect("running gdb");
    let text = String::from_utf8_lossy(&out.stdout).into_owned();
    eprintln!(
        "gdb stdout:\n{text}\ngdb stderr:\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    text
}

fn assert_has(text: &str, needle: &str) {
    assert!(
        text.contains(needle),
        "expected `{needle}` in gdb's output:\n{text}"
    );
}

#[test]
fn a_null_store_leaves_a_core_gdb_reads() {
    let (sig, _dir, files) = run_crash("segv", libc::RLIM_INFINITY);
    assert_eq!(sig, Some(libc::SIGSEGV));
    let core = the_core(&files);
    let text = gdb(
        &crash_program(),
        core,
        &[
            "bt",
            "info registers pc",
            "x/i $pc",
            "print marker",
            "print ratio",
            "up",
            "print in_main",
            "info threads",
        ],
    );
    assert_has(&text, "#0  store_through (value=4242) at");
    assert_has(&text, "*null_pointer = value + marker");
    assert_has(&text, " in main (");
    assert_has(&text, "<store_through+");
    // The faulting instruction: the store through the NULL pointer.
    assert!(
        text.lines()
            .any(|l| l.starts_with("=> ") && l.contains("\tsw\t")),
        "pc is not at the faulting store:\n{text}"
    );
    assert_has(&text, "$1 = 305441741");
    assert_has(&text, "$2 = 2.5");
    assert_has(&text, "$3 = 4242");
    assert_eq!(text.matches("(LWP ").count(), 1, "one thread:\n{text}");
    let meta = std::fs::metadata(core).unwrap();
    assert_eq!(
        std::os::unix::fs::PermissionsExt::mode(&meta.permissions()) & 0o777,
        0o600
    );
}

#[test]
fn abort_in_a_thread_leaves_a_core_with_every_thread() {
    let (sig, _dir, files) = run_crash("abort", libc::RLIM_INFINITY);
    assert_eq!(sig, Some(libc::SIGABRT));
    let core = the_core(&files);
    let text = gdb(
        &crash_program(),
        core,
        &["bt", "info threads", "frame 3", "print worker_local"],
    );
    assert_has(&text, "Program terminated with signal SIGABRT");
    assert_has(&text, " in abort (");
    assert_has(&text, " in abort_in_worker (arg=0x1) at");
    assert_has(&text, "$1 = 778");
    // The rows of `info threads`: `* 1    Thread 0x... (LWP n) ...`, `  2    Thread ...`.
    let threads = text
        .lines()
        .filter(|l| l.starts_with("* ") || l.starts_with("  "))
        .filter(|l| l.contains("Thread 0x") && l.contains("(LWP "))
        .count();
    assert_eq!(threads, 2, "both threads in `info threads`:\n{text}");
    assert_has(&text, "* 1    Thread");
}

#[test]
fn no_core_without_rlimit_core_or_when_undumpable() {
    for (mode, limit) in [
        ("segv", 0),
        ("segv", 4095),
        ("undumpable", libc::RLIM_INFINITY),
    ] {
        let (sig, dir, files) = run_crash(mode, limit);
        assert_eq!(sig, Some(libc::SIGSEGV), "{mode} {limit}");
        assert!(
            files.is_empty(),
            "{mode} with RLIMIT_CORE {limit} left {files:?} in {}",
            dir.display()
        );
    }
}

#[test]
fn a_small_rlimit_core_cuts_the_core_short() {
    let limit = 3 * 4096;
    let (sig, _dir, files) = run_crash("segv", limit);
    assert_eq!(sig, Some(libc::SIGSEGV));
    let core = the_core(&files);
    let len = std::fs::metadata(core).unwrap().len();
    assert!(
        len > 0 && len <= limit,
        "core of {len} bytes with RLIMIT_CORE {limit}"
    );
    let head = std::fs::read(core).unwrap();
    assert_eq!(&head[..4], b"\x7fELF");
    assert_eq!(u16::from_le_bytes([head[16], head[17]]), 4, "ET_CORE");
}

#[test]
fn the_core_pattern_names_the_core_and_a_pipe_means_none() {
    let (sig, dir, files) = run_crash_with_pattern("segv", libc::RLIM_INFINITY, "c-%e-%s-%%");
    assert_eq!(sig, Some(libc::SIGSEGV));
    let names: Vec<_> = files.iter().map(|f| f.file_name().unwrap()).collect();
    // %e is the command name: the program's file name, cut at 15 bytes.
    let program = crash_program();
    let comm: String = program
        .file_name()
        .unwrap()
        .to_string_lossy()
        .chars()
        .take(15)
        .collect();
    assert_eq!(
        names,
        [format!("c-{comm}-11-%").as_str()],
        "in {}",
        dir.display()
    );
    let (sig, dir, files) =
        run_crash_with_pattern("segv", libc::RLIM_INFINITY, "|/usr/bin/false %p");
    assert_eq!(sig, Some(libc::SIGSEGV));
    assert!(files.is_empty(), "{files:?} in {}", dir.display());
}

/// The descriptors of the notes of type `kind` in the `PT_NOTE` segments of the ELF64
/// little-endian core `core`.
fn notes_of_type(core: &[u8], kind: u32) -> Vec<Vec<u8>> {
    let u16_at = |at: usize| u16::from_le_bytes(core[at..at + 2].try_into().unwrap()) as usize;
    let u32_at = |at: usize| u32::from_le_bytes(core[at..at + 4].try_into().unwrap());
    let u64_at = |at: usize| u64::from_le_bytes(core[at..at + 8].try_into().unwrap()) as usize;
    let (phoff, phentsize, phnum) = (u64_at(0x20), u16_at(0x36), u16_at(0x38));
    let mut found = Vec::new();
    for i in 0..phnum {
        let ph = phoff + i * phentsize;
        if u32_at(ph) != 4 {
            continue; // not PT_NOTE
        }
        let (mut at, end) = (u64_at(ph + 8), u64_at(ph + 8) + u64_at(ph + 0x20));
        while at + 12 <= end {
            let (namesz, descsz) = (u32_at(at) as usize, u32_at(at + 4) as usize);
            let desc = at + 12 + namesz.next_multiple_of(4);
            if u32_at(at + 8) == kind {
                found.push(core[desc..desc + descsz].to_vec());
            }
            at = desc + descsz.next_multiple_of(4);
        }
    }
    found
}

#[test]
fn a_thread_that_used_the_vector_unit_leaves_its_vector_state() {
    let (sig, _dir, files) = run_crash("vector", libc::RLIM_INFINITY);
    assert_eq!(sig, Some(libc::SIGSEGV));
    let core = the_core(&files);
    let bytes = std::fs::read(core).unwrap();
    // NT_RISCV_VECTOR: vstart, vl, vtype, vcsr, vlenb (8 bytes each), then v0..v31 of
    // vlenb bytes, as crash.c left them (VLEN = 128).
    let notes = notes_of_type(&bytes, 0x901);
    assert_eq!(notes.len(), 1, "one vector note, for the one thread");
    let note = &notes[0];
    assert_eq!(note.len(), 5 * 8 + 32 * 16);
    let field = |i: usize| u64::from_le_bytes(note[i * 8..i * 8 + 8].try_into().unwrap());
    assert_eq!(
        [field(0), field(1), field(2), field(3), field(4)],
        [0, 3, 0xd1, 2 << 1, 16],
        "vstart, vl, vtype, vcsr (vxrm 2), vlenb"
    );
    assert_eq!(note[40..56], [0; 16], "v0");
    assert_eq!(note[56..72], (1..=16).collect::<Vec<u8>>()[..], "v1");
    // gdb reads the rest of the core as before. gdb-multiarch 13 does not read this
    // note (it shows no vector register of a core: `$vl` is void); a gdb that does
    // must show what the program set.
    let text = gdb(
        &crash_program(),
        core,
        &["bt", "p $vl", "p $vtype", "p $v1.b"],
    );
    assert_has(&text, "#0  store_through (value=4242) at");
    if !text.contains("$1 = void") {
        assert_has(&text, "$1 = 3");
        assert_has(&text, "$2 = 209");
        assert_has(
            &text,
            "$3 = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16}",
        );
    }
}
