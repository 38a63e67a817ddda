//! `vm run --gdb`: a real gdb (gdb-multiarch) debugs `tests/gdb/debuggee.c` and the
//! threaded `tests/gdb/threads.c` through vm's stub and through qemu-user's (`-g`); the
//! two transcripts must match once addresses (the two lay memory out differently) and
//! thread ids are masked. The protocol's Ctrl-C and kill are
//! checked with a raw client, as a batch gdb cannot send them.

mod common;

use common::*;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::os::unix::process::ExitStatusExt;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

const GDB: &str = "gdb-multiarch";

fn debuggee(link: &str) -> PathBuf {
    build_debuggee("debuggee", link)
}

/// `tests/gdb/NAME.c`, built with debug information, linked as `link` says.
fn build_debuggee(name: &str, link: &str) -> PathBuf {
    build_debuggee_for(name, link, "rv64gc")
}

/// `tests/gdb/NAME.c` as [`build_debuggee`] builds it, for the ISA `march` names.
fn build_debuggee_for(name: &str, link: &str, march: &str) -> PathBuf {
    let build = Build {
        name: format!("gdb-{name}-{link}"),
        target: Target::Riscv64,
        sources: vec![workspace_root().join(format!("tests/gdb/{name}.c"))],
        cflags: vec![
            "-g".into(),
            "-O0".into(),
            "-pthread".into(),
            format!("-march={march}"),
        ],
        ldflags: if link == "static" {
            vec!["-static".into(), "-pthread".into()]
        } else {
            vec!["-pthread".into()]
        },
        extra_inputs: vec![],
    };
    build_guest(&build)
}

fn require_gdb() {
    let ok = Command::new(GDB)
        .arg("--version")
        .output()
        .map(|o| o.status.success())
        .unwrap_or(false);
    assert!(
        ok,
        "`{GDB}` is not runnable: run scripts/install-deps (apt-get install gdb-multiarch)"
    );
}

/// The session: a breakpoint in a function, its argument, a backtrace, `finish`, a
/// breakpoint by line, a signal gdb stops for and passes on, variables (one written),
/// `stepi`,
/// `next`, a register, and the exit.
const SCRIPT: &str = "\
break square
continue
print x
bt
finish
delete
break debuggee.c:22
continue
continue
print total
print counter
set var counter = counter + 1
stepi
next
info registers a0
continue
";

/// The session on `tests/gdb/threads.c`: a breakpoint two threads hit in turn, the
/// thread list, backtraces of the thread at the breakpoint and of the main thread
/// waiting in a system call, thread switches, `finish` in a thread (a step of that
/// thread alone over the breakpoint), and the exit.
const THREADS_SCRIPT: &str = "\
break work
continue
print id
info threads
bt
thread 1
bt
thread 2
continue
print id
print results[1]
finish
info threads
continue
";

/// Waits for `child`, killing it after `limit`; its output and how it ended.
fn finish(child: Child, limit: Duration, what: &str) -> std::process::Output {
    let id = child.id();
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let _ = tx.send(child.wait_with_output());
    });
    match rx.recv_timeout(limit) {
        Ok(out) => out.unwrap_or_else(|e| panic!("{what}: {e}")),
        Err(_) => {
            let _ = Command::new("kill").args(["-9", &id.to_string()]).status();
            panic!("{what} did not finish within {limit:?}");
        }
    }
}

/// Runs gdb's batch session against a stub at `addr`; gdb reads the program's
/// libraries from the sysroot, or (`local_sysroot` false) through the stub.
fn gdb_session(program: &Path, addr: &str, local_sysroot: bool, commands: &str) -> String {
    // One script per session: the tests run in parallel, some on the same program.
    static SESSIONS: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
    let n = SESSIONS.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    let name = program.file_name().unwrap().to_string_lossy();
    let script = scratch_dir("gdb").join(format!("{name}-{}-{n}.gdb", std::process::id()));
    std::fs::write(&script, commands).unwrap();
    let sysroot = if local_sysroot {
        sysroot().display().to_string()
    } else {
        "target:".to_string()
    };
    let child = Command::new(GDB)
        .args(["-nx", "-q", "-batch", "-ex", "set pagination off", "-ex"])
        .arg(format!("set sysroot {sysroot}"))
        .arg("-ex")
        .arg(format!("target remote {addr}"))
        .arg("-x")
        .arg(&script)
        .arg(program)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap_or_else(|e| panic!("{GDB}: {e}"));
    let out = finish(child, vm_timeout(Duration::from_secs(120)), GDB);
    let _ = std::fs::remove_file(&script);
    let mut text = String::from_utf8_lossy(&out.stdout).into_owned();
    text += &String::from_utf8_lossy(&out.stderr);
    text
}

/// Starts `vm run --gdb 0 PROGRAM ARGS`; returns it and the address it listens on.
fn vm_with_stub(program: &Path, args: &[&str]) -> (Child, String) {
    let mut child = Command::new(vm_binary())
        .args(["run", "--gdb", "0", "-L"])
        .arg(sysroot())
        .arg(program)
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("starting vm");
    let addr = first_line_after(child.stderr.as_mut().unwrap(), "vm: waiting for gdb on ");
    (child, addr)
}

/// The rest of the first line `from` gives, which must start with `prefix`.
fn first_line_after(from: &mut impl Read, prefix: &str) -> String {
    let mut line = String::new();
    BufReader::new(from).read_line(&mut line).unwrap();
    line.trim()
        .strip_prefix(prefix)
        .unwrap_or_else(|| panic!("a first line {line:?}, not one starting with {prefix:?}"))
        .to_string()
}

/// A TCP port nobody listens on now (for qemu, which takes no port 0).
fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// Whether something listens on TCP `port` (from /proc/net/tcp, without connecting:
/// a stub takes the first connection as its debugger's).
fn listening(port: u16) -> bool {
    let table = std::fs::read_to_string("/proc/net/tcp").unwrap_or_default();
    let want = format!(":{port:04X} ");
    table.lines().any(|l| {
        l.split_whitespace()
            .nth(1)
            .is_some_and(|a| format!("{a} ").ends_with(&want))
            && l.split_whitespace().nth(3) == Some("0A")
    })
}

/// The transcript with what legitimately differs between the two stubs masked:
/// addresses, gdb's warnings (about remote file access, which qemu 7.2 lacks), the
/// inferior's name, and thread ids (qemu names threads `1.TID`, adds a CPU to each, and
/// `info threads` pads its columns to fit).
fn normalise(transcript: &str) -> String {
    normalise_with(transcript, true)
}

/// [`normalise`], masking numbers written `0x...` only if `addresses`.
fn normalise_with(transcript: &str, addresses: bool) -> String {
    let mut out = Vec::new();
    let mut skip_continuation = false;
    for line in transcript.lines() {
        if line.starts_with("warning:") {
            skip_continuation = true;
            continue;
        }
        if skip_continuation && (line.starts_with("GDB will") || line.starts_with("and track")) {
            continue;
        }
        skip_continuation = false;
        let mut masked = String::new();
        let mut rest = line;
        while let Some(at) = rest.find("0x").filter(|_| addresses) {
            masked += &rest[..at];
            let digits = rest[at + 2..]
                .find(|c: char| !c.is_ascii_hexdigit())
                .unwrap_or(rest.len() - at - 2);
            masked += "0xADDR";
            rest = &rest[at + 2 + digits..];
        }
        masked += rest;
        let masked = mask_process(&mask_threads(&masked)).replace("(Remote target)", "(inferior)");
        out.push(masked.split_whitespace().collect::<Vec<_>>().join(" "));
    }
    out.join("\n")
}

/// `(process 1)` (qemu 7.2) or `(process PID)` (qemu 10) as `(inferior)`.
fn mask_process(line: &str) -> String {
    let Some(at) = line.find("(process ") else {
        return line.to_string();
    };
    let after = &line[at + "(process ".len()..];
    match after.split_once(')') {
        Some((pid, rest)) if !pid.is_empty() && pid.bytes().all(|b| b.is_ascii_digit()) => {
            format!("{}(inferior){rest}", &line[..at])
        }
        _ => line.to_string(),
    }
}

/// `Thread 1234`, `Thread 1.1234` and `Thread 1.1234 (CPU#0 [running])` as `Thread T`.
fn mask_threads(line: &str) -> String {
    let mut out = String::new();
    let mut rest = line;
    while let Some(at) = rest.find("Thread ") {
        out += &rest[..at];
        out += "Thread T";
        let after = &rest[at + "Thread ".len()..];
        let id_len = after
            .find(|c: char| !c.is_ascii_digit() && c != '.')
            .unwrap_or(after.len());
        rest = &after[id_len..];
        if id_len > 0 && rest.starts_with(" (CPU#") {
            if let Some(end) = rest.find(')') {
                rest = &rest[end + 1..];
            }
        }
    }
    out + rest
}

/// Runs `commands` in gdb against `program` under vm's stub and under qemu's; the two
/// transcripts and the program's output and exit status under each.
fn sessions(
    program: &Path,
    commands: &str,
) -> (String, std::process::Output, String, std::process::Output) {
    sessions_with(program, commands, Path::new(QEMU), &[])
}

/// [`sessions`] with the qemu at `qemu`, given `qemu_args` first (a `-cpu`).
fn sessions_with(
    program: &Path,
    commands: &str,
    qemu: &Path,
    qemu_args: &[&str],
) -> (String, std::process::Output, String, std::process::Output) {
    let (vm, addr) = vm_with_stub(program, &[]);
    let vm_transcript = gdb_session(program, &addr, true, commands);
    let vm_out = finish(vm, Duration::from_secs(30), "vm");

    let port = free_port();
    let qemu = Command::new(qemu)
        .args(qemu_args)
        .arg("-L")
        .arg(sysroot())
        .args(["-g", &port.to_string()])
        .arg(program)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("starting qemu");
    let deadline = Instant::now() + Duration::from_secs(20);
    while !listening(port) {
        assert!(Instant::now() < deadline, "qemu never listened on {port}");
        std::thread::sleep(Duration::from_millis(20));
    }
    let qemu_transcript = gdb_session(program, &format!("127.0.0.1:{port}"), true, commands);
    let qemu_out = finish(qemu, Duration::from_secs(30), "qemu");
    (vm_transcript, vm_out, qemu_transcript, qemu_out)
}

fn session_matches_qemu(link: &str) {
    require_tools();
    require_gdb();
    let program = debuggee(link);
    let (vm_transcript, vm_out, qemu_transcript, qemu_out) = sessions(&program, SCRIPT);

    // What the session must show, whatever qemu does.
    for expected in [
        "Breakpoint 1, square (x=0) at",
        "$1 = 0",
        "in main (argc=1, argv=",
        "Value returned is $2 = 0",
        "Program received signal SIGUSR1, User defined signal 1.",
        "Breakpoint 2, main (argc=1, argv=",
        "$3 = 30",
        "$4 = 100",
        "a0             0x15\t21",
        "exited with code 02]",
    ] {
        assert!(
            vm_transcript.contains(expected),
            "{link}: the gdb session under vm lacks {expected:?}:\n{vm_transcript}"
        );
    }
    assert_eq!(
        normalise(&vm_transcript),
        normalise(&qemu_transcript),
        "{link}: gdb sessions differ\n--- vm:\n{vm_transcript}\n--- qemu:\n{qemu_transcript}"
    );
    assert_eq!(
        String::from_utf8_lossy(&vm_out.stdout),
        "total 30 counter 101\n"
    );
    assert_eq!(vm_out.stdout, qemu_out.stdout);
    assert_eq!(vm_out.status.code(), Some(2));
    assert_eq!(vm_out.status.code(), qemu_out.status.code());
}

#[test]
fn a_gdb_session_on_a_static_program_matches_qemu() {
    session_matches_qemu("static");
}

#[test]
fn a_gdb_session_on_a_dynamic_program_matches_qemu() {
    session_matches_qemu("dynamic");
}

#[test]
fn a_gdb_session_on_a_threaded_program_matches_qemu() {
    require_tools();
    require_gdb();
    let program = build_debuggee("threads", "static");
    let (vm_transcript, vm_out, qemu_transcript, qemu_out) = sessions(&program, THREADS_SCRIPT);
    // What the session must show, whatever qemu does.
    for expected in [
        "Thread 2 hit Breakpoint 1, work (id=1) at",
        "* 2    Thread ",
        "in __futex_abstimed_wait_common ()",
        "in main (argc=1, argv=",
        "Thread 3 hit Breakpoint 1, work (id=2) at",
        "$3 = 11",
        "Value returned is $4 = 21",
        "exited normally]",
    ] {
        assert!(
            vm_transcript.contains(expected),
            "the gdb session under vm lacks {expected:?}:\n{vm_transcript}"
        );
    }
    assert_eq!(
        normalise(&vm_transcript),
        normalise(&qemu_transcript),
        "gdb sessions differ\n--- vm:\n{vm_transcript}\n--- qemu:\n{qemu_transcript}"
    );
    assert_eq!(String::from_utf8_lossy(&vm_out.stdout), "results 11 21\n");
    assert_eq!(vm_out.stdout, qemu_out.stdout);
    assert_eq!(vm_out.status.code(), Some(0));
    assert_eq!(qemu_out.status.code(), Some(0));
}

/// The session on `tests/gdb/vector.c` (see its comment for the state it sets): the
/// vector state before the program touches the unit (`vtype.vill`), then at
/// `configured()` every vector register, some as one view of the union, the vector
/// CSRs, a byte of v2 changed (which changes the sum main computes), writes to the
/// read-only vl and vtype (accepted and ignored, as qemu's stub does), vxsat cleared
/// (vcsr follows); at the worker's breakpoint its own v1, vl and vtype, main's (the
/// other thread's) left as main set them, and a write to the worker's v1 alone.
const VECTOR_SCRIPT: &str = "\
p $vtype
p $vl
break configured
continue
info registers vector
p $v1
p/x $v2.b
p $v4.l
p $vl
p $vtype
p $vlenb
info registers vstart vxsat vxrm vcsr vl vtype vlenb
set $v2.b[3] = 100
set $vl = 5
set $vtype = 0
p $vl
p $vtype
p $v2.b
set $vxsat = 0
p $vcsr
break worker_configured
continue
p $v1.s
p $vl
p $vtype
set $v1.s[0] = 1000
thread apply 1 -q p $vl
thread apply 1 -q p $vtype
thread apply 1 -q p $v1.s
thread apply 1 -q p $v3.b
p $v1.s
continue
";

#[test]
fn a_gdb_session_shows_and_changes_the_vector_state_as_qemu_does() {
    require_tools();
    require_gdb();
    let program = build_debuggee_for("vector", "static", "rv64gcv");
    let (vm_transcript, vm_out, qemu_transcript, qemu_out) = sessions_with(
        &program,
        VECTOR_SCRIPT,
        reference_qemu(),
        &["-cpu", "rva23u64"],
    );
    // What the session must show, from what the program sets (VLEN = 128, so a vector
    // register is 16 bytes and a union of 1 quad .. 16 bytes).
    let v1 = "v1 {q = {0x100f0e0d0c0b0a090807060504030201}, \
              l = {0x807060504030201, 0x100f0e0d0c0b0a09}, \
              w = {0x4030201, 0x8070605, 0xc0b0a09, 0x100f0e0d}, \
              s = {0x201, 0x403, 0x605, 0x807, 0xa09, 0xc0b, 0xe0d, 0x100f}, \
              b = {0x1, 0x2, 0x3, 0x4, 0x5, 0x6, 0x7, 0x8, 0x9, 0xa, 0xb, 0xc, 0xd, 0xe, 0xf, \
              0x10}}";
    let unused = "{q = {0x0}, l = {0x0, 0x0}, w = {0x0, 0x0, 0x0, 0x0}, \
                  s = {0x0, 0x0, 0x0, 0x0, 0x0, 0x0, 0x0, 0x0}, b = {0x0 <repeats 16 times>}}";
    let (v0, v31) = (format!("v0 {unused}"), format!("v31 {unused}"));
    assert_values_in_order(
        &vm_transcript,
        &[
            "$1 = -9223372036854775808",
            "$2 = 0",
            "Breakpoint 1, configured () at tests/gdb/vector.c:21",
            &v0,
            v1,
            &v31,
            "$3 = {q = {21345817372864405881847059188222722561}, \
             l = {578437695752307201, 1157159078456920585}, \
             w = {67305985, 134678021, 202050057, 269422093}, \
             s = {513, 1027, 1541, 2055, 2569, 3083, 3597, 4111}, \
             b = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16}}",
            "$4 = {0x3 <repeats 16 times>}",
            "$5 = {18446744073709551615, 18446744073709551615}",
            "$6 = 3",
            "$7 = 209",
            "$8 = 16",
            "vstart 0x0 0",
            "vxsat 0x1 1",
            "vxrm 0x2 2",
            "vcsr 0x5 5",
            "vl 0x3 3",
            "vtype 0xd1 209",
            "vlenb 0x10 16",
            "$9 = 3",
            "$10 = 209",
            "$11 = {3, 3, 3, 100, 3 <repeats 12 times>}",
            "$12 = 4",
            "Thread T hit Breakpoint 2, worker_configured () at tests/gdb/vector.c:23",
            "$13 = {7, 7, 7, 7, 7, 7, 7, 7}",
            "$14 = 8",
            "$15 = 8",
            "$16 = 16",
            "$17 = 192",
            "$18 = {513, 1027, 1541, 2055, 2569, 3083, 3597, 4111}",
            "$19 = {4, 5, 6, 104, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19}",
            "$20 = {1000, 7, 7, 7, 7, 7, 7, 7}",
            "[Inferior 1 (inferior) exited normally]",
        ],
    );
    // The program is static: code addresses are the same under both, and the session
    // prints no stack address, so values in hex are compared too.
    assert_eq!(
        normalise_with(&vm_transcript, false),
        normalise_with(&qemu_transcript, false),
        "gdb sessions differ\n--- vm:\n{vm_transcript}\n--- qemu:\n{qemu_transcript}"
    );
    // The changed byte of v2 and element of the worker's v1 reached what it computed.
    assert_eq!(
        String::from_utf8_lossy(&vm_out.stdout),
        "out 4 5 6 104 8 9 10 11 12 13 14 15 16 17 18 19\n\
         doubled 2000 14 14 14 14 14 14 14\n"
    );
    assert_eq!(vm_out.stdout, qemu_out.stdout);
    assert_eq!(vm_out.status.code(), Some(0));
    assert_eq!(qemu_out.status.code(), Some(0));
}

/// Read and access watchpoints on `tests/gdb/debuggee.c` (qemu-user 7.2 refuses them,
/// so the transcript is checked against what gdb prints for RISC-V's triggers, which stop
/// before the access): a read of a local, then the signal handler's read and write of a
/// global and main's read of it; last, a write watchpoint nothing hits.
const WATCH_SCRIPT: &str = "\
break main
continue
rwatch total
continue
delete
awatch counter
continue
continue
continue
continue
delete
watch counter
continue
";

/// Runs `commands` in gdb on `program` under vm's stub; the transcript, the program's
/// output and how it ended.
fn vm_session(program: &Path, commands: &str) -> (String, std::process::Output) {
    let (vm, addr) = vm_with_stub(program, &[]);
    let transcript = gdb_session(program, &addr, true, commands);
    (transcript, finish(vm, Duration::from_secs(30), "vm"))
}

/// Asserts that `lines` appear in `transcript` in this order, each a whole normalised
/// line with paths relative to the workspace (others may come between them).
fn assert_in_order(transcript: &str, lines: &[&str]) {
    assert_lines_in_order(transcript, lines, true);
}

/// [`assert_in_order`] with numbers written `0x...` left as they are.
fn assert_values_in_order(transcript: &str, lines: &[&str]) {
    assert_lines_in_order(transcript, lines, false);
}

fn assert_lines_in_order(transcript: &str, lines: &[&str], addresses: bool) {
    let relative = transcript.replace(&format!("{}/", workspace_root().display()), "");
    let mut want = lines.iter().peekable();
    for line in normalise_with(&relative, addresses).lines() {
        if want.peek() == Some(&&line) {
            want.next();
        }
    }
    assert!(
        want.peek().is_none(),
        "the session lacks {lines:#?} in this order:\n{transcript}"
    );
}

#[test]
fn watchpoints_stop_before_the_accesses_they_watch() {
    require_tools();
    require_gdb();
    let program = debuggee("static");
    let (transcript, out) = vm_session(&program, WATCH_SCRIPT);
    let expected = [
        "Hardware read watchpoint 2: total",
        // The first read of `total`, in `total += square(0)`.
        "Hardware read watchpoint 2: total",
        "Value = 0",
        "0xADDR in main (argc=1, argv=0xADDR) at tests/gdb/debuggee.c:20",
        "Hardware access (read/write) watchpoint 3: counter",
        "Program received signal SIGUSR1, User defined signal 1.",
        // The handler's `counter += ...`: its load, then its store, which gdb steps
        // over to show the new value.
        "Hardware access (read/write) watchpoint 3: counter",
        "Value = 0",
        "0xADDR in on_usr1 (sig=10) at tests/gdb/debuggee.c:9",
        "Hardware access (read/write) watchpoint 3: counter",
        "Old value = 0",
        "New value = 100",
        "on_usr1 (sig=10) at tests/gdb/debuggee.c:9",
        "Hardware access (read/write) watchpoint 3: counter",
        "Value = 100",
        "0xADDR in main (argc=1, argv=0xADDR) at tests/gdb/debuggee.c:22",
        "Hardware watchpoint 4: counter",
        "[Inferior 1 (inferior) exited with code 02]",
    ];
    assert_in_order(&transcript, &expected);
    assert_eq!(
        String::from_utf8_lossy(&out.stdout),
        "total 30 counter 100\n"
    );
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn a_watchpoint_stops_the_thread_that_writes() {
    require_tools();
    require_gdb();
    let program = build_debuggee("threads", "static");
    let script = "break main\ncontinue\nwatch results[2]\ncontinue\ncontinue\n";
    let (transcript, out) = vm_session(&program, script);
    let expected = [
        "Hardware watchpoint 2: results[2]",
        "Thread T hit Hardware watchpoint 2: results[2]",
        "Old value = 0",
        "New value = 21",
        "worker (arg=0xADDR) at tests/gdb/threads.c:46",
        "[Inferior 1 (inferior) exited normally]",
    ];
    assert_in_order(&transcript, &expected);
    assert_eq!(String::from_utf8_lossy(&out.stdout), "results 11 21\n");
}

#[test]
fn gdb_reads_the_libraries_through_the_stub_without_a_sysroot() {
    require_tools();
    require_gdb();
    let program = debuggee("dynamic");
    let (vm, addr) = vm_with_stub(&program, &[]);
    let transcript = gdb_session(&program, &addr, false, SCRIPT);
    let out = finish(vm, Duration::from_secs(30), "vm");
    for expected in [
        "Reading /lib/libc.so.6 from remote target...",
        "Breakpoint 1, square (x=0) at",
        // The signal stops in libc, whose symbols gdb has (qemu 7.2 offers no files).
        "in ?? () from target:/lib/libc.so.6",
        "$4 = 100",
        "exited with code 02]",
    ] {
        assert!(
            transcript.contains(expected),
            "the session lacks {expected:?}:\n{transcript}"
        );
    }
    assert!(
        !transcript.contains("Could not load shared library symbols"),
        "{transcript}"
    );
    assert_eq!(out.status.code(), Some(2));
}

/// A minimal protocol client (acknowledgement mode: every packet is answered `+`).
struct Client {
    stream: TcpStream,
}

impl Client {
    /// Connects to the stub at `addr` and checks the first exchange: features, and
    /// the stop before the first instruction.
    fn connect(addr: &str) -> Client {
        let stream = TcpStream::connect(addr).unwrap();
        stream
            .set_read_timeout(Some(vm_timeout(Duration::from_secs(30))))
            .unwrap();
        let mut client = Client { stream };
        assert!(client.ask("qSupported:swbreak+").contains("PacketSize="));
        assert_eq!(client.ask("?"), "S05");
        client
    }

    fn send(&mut self, payload: &str) {
        let sum = payload.bytes().fold(0u8, |s, b| s.wrapping_add(b));
        write!(self.stream, "${payload}#{sum:02x}").unwrap();
    }

    /// The next packet's payload (acknowledgements skipped, checksum verified).
    fn receive(&mut self) -> String {
        let mut byte = [0u8; 1];
        loop {
            self.stream.read_exact(&mut byte).unwrap();
            if byte[0] == b'$' {
                break;
            }
        }
        let mut payload = Vec::new();
        loop {
            self.stream.read_exact(&mut byte).unwrap();
            if byte[0] == b'#' {
                break;
            }
            payload.push(byte[0]);
        }
        let mut sum = [0u8; 2];
        self.stream.read_exact(&mut sum).unwrap();
        let expected = payload.iter().fold(0u8, |s, b| s.wrapping_add(*b));
        assert_eq!(
            u8::from_str_radix(std::str::from_utf8(&sum).unwrap(), 16).unwrap(),
            expected
        );
        self.stream.write_all(b"+").unwrap();
        String::from_utf8(payload).unwrap()
    }

    fn ask(&mut self, payload: &str) -> String {
        self.send(payload);
        self.receive()
    }

    /// Lets the resumed guest run a moment, sends Ctrl-C and checks the stop reply.
    fn interrupt_after_a_moment(&mut self) {
        std::thread::sleep(Duration::from_millis(300));
        self.stream.write_all(&[0x03]).unwrap();
        let stop = self.receive();
        assert!(stop.starts_with("T02thread:"), "stop reply {stop:?}");
    }

    /// The ids of the stopped process's threads (`qfThreadInfo`: all in one reply).
    fn thread_ids(&mut self) -> Vec<String> {
        let threads = self.ask("qfThreadInfo");
        assert_eq!(self.ask("qsThreadInfo"), "l");
        threads
            .trim_start_matches('m')
            .split(',')
            .map(str::to_string)
            .collect()
    }
}

#[test]
fn ctrl_c_stops_a_running_guest_and_kill_ends_it() {
    require_tools();
    let program = debuggee("static");
    let (vm, addr) = vm_with_stub(&program, &["spin"]);
    let mut gdb = Client::connect(&addr);
    let regs = gdb.ask("g");
    assert_eq!(
        regs.len(),
        (33 + 32) * 16 + 3 * 8 + 7 * 16 + 32 * 32,
        "x0-x31, pc, f0-f31, 3 FP CSRs, 7 vector CSRs, v0-v31 (16 bytes each)"
    );
    // The vector state of a program that never used the unit: as Linux and qemu start
    // one, vtype.vill set, vl 0; vlenb VLEN / 8. v1 (4163) as 16 bytes.
    assert_eq!(gdb.ask("pc62"), "0000000000000080", "vtype");
    assert_eq!(gdb.ask("pc61"), "0000000000000000", "vl");
    assert_eq!(gdb.ask("pc63"), "1000000000000000", "vlenb");
    assert_eq!(gdb.ask("p1043"), "0".repeat(32), "v1");
    // A write to read-only vl is accepted and ignored, as qemu's stub does; v1 changes.
    assert_eq!(gdb.ask("Pc61=0500000000000000"), "OK");
    assert_eq!(gdb.ask("pc61"), "0000000000000000", "vl");
    let v1 = "00112233445566778899aabbccddeeff";
    assert_eq!(gdb.ask(&format!("P1043={v1}")), "OK");
    assert_eq!(gdb.ask("p1043"), v1);
    assert_eq!(gdb.ask(&format!("P1043={v1}00")), "E01", "too long");
    assert_eq!(gdb.ask("p1062"), "E01", "past v31");
    assert!(regs.starts_with(&"0".repeat(16)), "x0 is zero");
    // Memory: the ELF header the static program's first segment starts with.
    assert_eq!(gdb.ask("m10000,4"), "7f454c46");
    assert_eq!(gdb.ask("m0,4"), "E14", "unmapped");
    let xml = gdb.ask("qXfer:features:read:target.xml:0,3000");
    assert!(xml.starts_with('l') && xml.contains("org.gnu.gdb.riscv.cpu"));
    gdb.send("vCont;c");
    gdb.interrupt_after_a_moment();
    // The guest is stopped in its spin loop: the pc stays put while we look.
    let pc = gdb.ask("p20");
    assert_eq!(gdb.ask("p20"), pc);
    // A single step moves the pc.
    gdb.send("vCont;s");
    assert!(gdb.receive().starts_with("T05thread:"));
    assert_ne!(gdb.ask("p20"), pc, "a step moved the pc");
    gdb.send("k");
    let out = finish(vm, Duration::from_secs(30), "vm");
    assert_eq!(out.status.signal(), Some(libc::SIGKILL), "{out:?}");
}

#[test]
fn ctrl_c_stops_every_thread_and_a_step_runs_one() {
    require_tools();
    let program = build_debuggee("threads", "static");
    let (mut vm, addr) = vm_with_stub(&program, &["spin"]);
    let mut gdb = Client::connect(&addr);
    gdb.send("vCont;c");
    let spins = first_line_after(vm.stdout.as_mut().unwrap(), "spins at 0x");
    let counters = format!("m{spins},10");
    gdb.interrupt_after_a_moment();
    let tids = gdb.thread_ids();
    assert_eq!(tids.len(), 2, "two threads: {tids:?}");
    // Both threads are stopped: neither counter moves while we look.
    let before = gdb.ask(&counters);
    std::thread::sleep(Duration::from_millis(200));
    assert_eq!(gdb.ask(&counters), before, "every thread stopped");
    // Each thread's registers: the pc of each, in its own loop.
    let mut pcs = Vec::new();
    for tid in &tids {
        assert_eq!(gdb.ask(&format!("Hg{tid}")), "OK");
        assert_eq!(gdb.ask(&format!("T{tid}")), "OK");
        pcs.push(gdb.ask("p20"));
    }
    assert_ne!(pcs[0], pcs[1], "two loops: {pcs:?}");
    assert!(gdb.ask("Hg7fffffff").starts_with('E'), "no such thread");
    // A step of the main thread alone: only its pc moves, the other counter stays.
    let main = tids
        .iter()
        .position(|t| i64::from_str_radix(t, 16).unwrap() == vm.id() as i64);
    let (main, other) = match main {
        Some(0) => (0, 1),
        Some(_) => (1, 0),
        None => panic!("the main thread (tid {}) is not listed: {tids:?}", vm.id()),
    };
    gdb.send(&format!("vCont;s:{}", tids[main]));
    assert!(gdb.receive().starts_with("T05thread:"));
    assert_eq!(gdb.ask(&format!("Hg{}", tids[main])), "OK");
    assert_ne!(gdb.ask("p20"), pcs[main], "the step moved the main thread");
    assert_eq!(gdb.ask(&format!("Hg{}", tids[other])), "OK");
    assert_eq!(gdb.ask("p20"), pcs[other], "the other thread stayed");
    let after_step = gdb.ask(&counters);
    assert_eq!(after_step[16..], before[16..], "the other counter stayed");
    // Continue runs both again.
    gdb.send("vCont;c");
    gdb.interrupt_after_a_moment();
    let later = gdb.ask(&counters);
    assert_ne!(later[..16], after_step[..16], "the main thread ran on");
    assert_ne!(later[16..], after_step[16..], "the other thread ran on");
    gdb.send("k");
    let out = finish(vm, Duration::from_secs(30), "vm");
    assert_eq!(out.status.signal(), Some(libc::SIGKILL), "{out:?}");
}

/// A register or word as the stub sends it (target byte order: little-endian hex).
fn le_hex(hex: &str) -> u64 {
    let bytes: Vec<u8> = (0..hex.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&hex[i..i + 2], 16).unwrap())
        .collect();
    bytes.iter().rev().fold(0, |v, &b| v << 8 | u64::from(b))
}

#[test]
fn ctrl_c_stops_threads_that_all_wait_in_system_calls() {
    require_tools();
    let program = build_debuggee("threads", "static");
    let (mut vm, addr) = vm_with_stub(&program, &["wait"]);
    let mut gdb = Client::connect(&addr);
    gdb.send("vCont;c");
    let mut stdout = BufReader::new(vm.stdout.take().unwrap());
    let mut line = String::new();
    stdout.read_line(&mut line).unwrap();
    assert_eq!(line, "waiting\n");
    // The main thread waits in read, the worker in sigwait: no thread runs guest code.
    gdb.interrupt_after_a_moment();
    let tids = gdb.thread_ids();
    assert_eq!(tids.len(), 2, "two threads: {tids:?}");
    // Each thread is shown at its system call: its pc at the `ecall` (a call that gave
    // up for the stop, to be made again) or just past it (a call still waiting).
    for tid in &tids {
        assert_eq!(gdb.ask(&format!("Hg{tid}")), "OK");
        let pc = le_hex(&gdb.ask("p20"));
        let at = gdb.ask(&format!("m{pc:x},4"));
        let before = gdb.ask(&format!("m{:x},4", pc - 4));
        assert!(
            at == "73000000" || before == "73000000",
            "thread {tid}: no ecall at or before pc {pc:#x} ({at}, {before})"
        );
    }
    // Resumed, the calls go on as if never stopped: the line is read, the signal taken.
    gdb.send("vCont;c");
    let mut stdin = vm.stdin.take().unwrap();
    stdin.write_all(b"hello\n").unwrap();
    drop(stdin);
    assert_eq!(gdb.receive(), "W00");
    let mut rest = String::new();
    stdout.read_to_string(&mut rest).unwrap();
    assert_eq!(rest, "read hello\nworker took signal 10\n");
    let out = finish(vm, Duration::from_secs(30), "vm");
    assert!(out.status.success(), "{out:?}");
}
