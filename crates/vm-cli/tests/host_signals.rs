//! Signals from other processes: the guest in `tests/host-signals/target.c` is started
//! under vm and under qemu, and once it prints "ready" this test sends it host signals
//! with kill(2) (and, for some scenarios, writes to its stdin afterwards). What the guest
//! reports and how it ends must be the same under both.

mod common;

use common::*;
use std::io::{BufRead, BufReader, Read, Write};
use std::os::unix::process::{CommandExt, ExitStatusExt};
use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::time::Duration;

fn target() -> PathBuf {
    let root = workspace_root();
    let build = Build {
        name: "host-signals-target".into(),
        target: Target::Riscv64,
        sources: vec![root.join("tests/host-signals/target.c")],
        cflags: vec!["-static".into(), "-O2".into()],
        ldflags: vec![],
        extra_inputs: vec![],
    };
    let dir = scratch_dir("host-signals");
    build.run(&dir).unwrap_or_else(|e| panic!("{e}"))
}

/// One scenario: signals to send after "ready", then bytes for stdin.
struct Scenario {
    mode: &'static str,
    signals: &'static [i32],
    stdin_after: &'static [u8],
}

/// Every signal a scenario sends.
const SENT: &[i32] = &[
    libc::SIGTERM,
    libc::SIGINT,
    libc::SIGUSR1,
    libc::SIGHUP,
    libc::SIGCONT,
];

/// What a run printed and how it ended (exit code, or negative signal number).
fn run(runner: &Runner, program: &Path, s: &Scenario) -> (String, i32) {
    let inv = Invocation {
        program: program.to_path_buf(),
        args: vec![s.mode.to_string()],
        ..Invocation::default()
    };
    let mut cmd = runner.command(&inv);
    // SAFETY: between fork and exec the closure only calls signal(2), which is
    // async-signal-safe.
    unsafe {
        cmd.pre_exec(|| {
            // Started as a shell's background job, the test inherits SIGINT and SIGQUIT
            // ignored, and so would the guest; it must start as from a terminal.
            for sig in SENT {
                libc::signal(*sig, libc::SIG_DFL);
            }
            Ok(())
        });
    }
    cmd.env_clear()
        .envs(GUEST_ENV.iter().copied())
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let mut child = cmd.spawn().expect("starting the guest");
    let mut stdout = BufReader::new(child.stdout.take().unwrap());
    let mut line = String::new();
    stdout.read_line(&mut line).expect("reading ready");
    assert_eq!(
        line,
        "ready\n",
        "{}: {} did not get ready",
        s.mode,
        runner.label()
    );
    // Give the guest time to reach its blocking call, a few instructions after its ready
    // line. "read-eintr" needs it to be there (a signal before the read would just run
    // the handler); the other scenarios are right either way (their waits are
    // race-free, or the signal is only recorded).
    std::thread::sleep(Duration::from_millis(250));
    for &sig in s.signals {
        // SAFETY: kill with a valid pid of our own child and a valid signal number.
        assert_eq!(unsafe { libc::kill(child.id() as i32, sig) }, 0);
        std::thread::sleep(Duration::from_millis(50));
    }
    let mut stdin = child.stdin.take().unwrap();
    let _ = stdin.write_all(s.stdin_after);
    drop(stdin);
    let mut rest = String::new();
    stdout.read_to_string(&mut rest).expect("reading output");
    let mut err = String::new();
    child
        .stderr
        .take()
        .unwrap()
        .read_to_string(&mut err)
        .unwrap();
    let status = child.wait().expect("waiting");
    let end = status
        .code()
        .unwrap_or_else(|| -status.signal().unwrap_or(0));
    let err: String = err
        .lines()
        .filter(|l| !l.starts_with("qemu: uncaught target signal"))
        .collect();
    (rest + &err, end)
}

#[test]
fn host_signals_reach_the_guest_as_under_qemu() {
    require_vm();
    let program = target();
    let scenarios = [
        Scenario {
            mode: "handler",
            signals: &[libc::SIGTERM],
            stdin_after: b"",
        },
        Scenario {
            mode: "default",
            signals: &[libc::SIGINT],
            stdin_after: b"",
        },
        Scenario {
            mode: "ignored",
            signals: &[libc::SIGINT, libc::SIGTERM],
            stdin_after: b"",
        },
        Scenario {
            mode: "read-restart",
            signals: &[libc::SIGUSR1],
            stdin_after: b"hello\n",
        },
        Scenario {
            mode: "read-eintr",
            signals: &[libc::SIGUSR1],
            stdin_after: b"",
        },
        Scenario {
            mode: "leader-exited",
            signals: &[libc::SIGUSR1],
            stdin_after: b"",
        },
        Scenario {
            mode: "blocked",
            signals: &[libc::SIGHUP, libc::SIGCONT],
            stdin_after: b"go\n",
        },
    ];
    let mut failures = Vec::new();
    for s in &scenarios {
        assert!(s.signals.iter().all(|sig| SENT.contains(sig)), "{}", s.mode);
        let expected = run(&Runner::Qemu, &program, s);
        for engine in engines() {
            let got = run(
                &Runner::Vm {
                    engine: engine.clone(),
                },
                &program,
                s,
            );
            if got != expected {
                failures.push(format!(
                    "{} (vm --engine {engine}): got {got:?}, qemu gives {expected:?}",
                    s.mode
                ));
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
