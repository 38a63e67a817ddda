//! Shared machinery of the differential tests: check that the RISC-V cross compiler
//! and qemu-riscv64-static are there (failing loudly with install instructions when
//! they are missing), build guest programs with `vm-guest-build` (a cache keyed by a
//! hash of everything that affects the binary), run a guest under `vm run` and under
//! qemu in a fresh directory with a fixed environment and the cross compiler's sysroot
//! (`-L`, for dynamic programs), and compare stdout, stderr and exit status.
//!
//! Invariant: the only normalisation between qemu and vm is qemu's own "uncaught
//! target signal" line on stderr.

#![allow(dead_code)] // Each test crate uses a different subset.

pub mod manifest;
pub mod pty;

use std::fmt::Write as _;
use std::fs;
use std::io::Read as _;
use std::os::unix::process::{CommandExt as _, ExitStatusExt as _};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Mutex, OnceLock};
use std::time::{Duration, Instant};

#[allow(unused_imports)] // Each test crate uses a different subset of these too.
pub use vm_guest_build::{
    Bash, Build, Busybox, DebianRootfs, KeyHasher, RegistrySources, Target, INTERP,
};

pub const QEMU: &str = "qemu-riscv64-static";
const QEMU_HINT: &str = "install qemu user emulation: \
    `apt-get install qemu-user-static` (Debian/Ubuntu), or run scripts/install-deps";

/// Engines every guest program runs under; `VM_TEST_ENGINES=interp,jit` overrides.
pub const DEFAULT_ENGINES: &[&str] = &["interp"];

/// The environment every guest sees, under both vm and qemu.
pub const GUEST_ENV: &[(&str, &str)] = &[
    ("PATH", "/usr/local/bin:/usr/bin:/bin"),
    ("LC_ALL", "C"),
    ("TZ", "UTC"),
    ("HOME", "/"),
];

pub fn engines() -> Vec<String> {
    match std::env::var("VM_TEST_ENGINES") {
        Ok(list) if !list.trim().is_empty() => {
            list.split(',').map(|s| s.trim().to_string()).collect()
        }
        _ => DEFAULT_ENGINES.iter().map(|s| s.to_string()).collect(),
    }
}

/// The workspace root (two levels above this crate's manifest).
pub fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .ancestors()
        .nth(2)
        .expect("crate lives at <root>/crates/vm-cli")
        .to_path_buf()
}

pub fn vm_binary() -> PathBuf {
    PathBuf::from(env!("CARGO_BIN_EXE_vm"))
}

/// Scratch space cargo gives integration tests, inside the target directory.
pub fn scratch_dir(sub: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join(sub);
    fs::create_dir_all(&dir).unwrap_or_else(|e| panic!("creating {}: {e}", dir.display()));
    dir
}

/// Checks that the cross compiler and qemu exist; panics with how to install them.
pub fn require_tools() {
    static CHECKED: OnceLock<()> = OnceLock::new();
    CHECKED.get_or_init(|| {
        if let Err(e) = Target::Riscv64.version() {
            panic!("{e}");
        }
        let ok = Command::new(QEMU)
            .arg("--version")
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status()
            .map(|s| s.success())
            .unwrap_or(false);
        assert!(ok, "`{QEMU}` is not runnable: {QEMU_HINT}");
    });
}

/// The sysroot of the cross compiler (its glibc and dynamic linker, e.g.
/// `/usr/riscv64-linux-gnu`), so dynamic programs run with the libraries they were
/// linked against. Both vm and qemu get it as `-L`.
pub fn sysroot() -> &'static Path {
    static ROOT: OnceLock<PathBuf> = OnceLock::new();
    ROOT.get_or_init(|| Target::riscv64_sysroot().unwrap_or_else(|e| panic!("{e}")))
}

/// Builds `build` into the shared cache of guest builds, or panics saying why not.
pub fn build_guest(build: &Build) -> PathBuf {
    build
        .run(&scratch_dir("riscv-guests"))
        .unwrap_or_else(|e| panic!("{e}"))
}

/// `tests/guest/hello.c` as a static RISC-V 64 program: a real ELF file to cut up or
/// mutate.
pub fn static_hello() -> PathBuf {
    hello("bad-input-hello", "-static")
}

/// `tests/guest/hello.c` built as `name`, linked as `link` says (`-static`, `-pie`).
pub fn hello(name: &str, link: &str) -> PathBuf {
    require_tools();
    build_guest(&Build {
        name: name.to_string(),
        target: Target::Riscv64,
        sources: vec![workspace_root().join("tests/guest/hello.c")],
        cflags: vec![link.into(), "-O2".into(), "-march=rv64gc".into()],
        ldflags: vec![],
        extra_inputs: vec![],
    })
}

/// The riscv64 busybox binary, built on first use (about a minute with two jobs).
pub fn busybox() -> PathBuf {
    busybox_build(Target::Riscv64).binary.clone()
}

/// busybox for `target` (its binary, `.config` and source tree), built on first use
/// from the source that `scripts/debian-source busybox` unpacks into
/// `<target>/busybox-source`.
pub fn busybox_build(target: Target) -> &'static Busybox {
    static RISCV64: OnceLock<Busybox> = OnceLock::new();
    static NATIVE: OnceLock<Busybox> = OnceLock::new();
    let cell = match target {
        Target::Riscv64 => &RISCV64,
        Target::X86_64 => &NATIVE,
    };
    cell.get_or_init(|| {
        require_tools();
        // Where `scripts/install-deps` had `scripts/debian-source busybox` put it: its
        // default, `${CARGO_TARGET_DIR:-target}/busybox-source` from the workspace root.
        let source_cache = target_dir().join("busybox-source");
        vm_guest_build::busybox(
            &workspace_root(),
            &source_cache,
            &scratch_dir("riscv-guests"),
            target,
        )
        .unwrap_or_else(|e| panic!("building busybox for {}: {e}", target.tag()))
    })
}

/// bash for `target` (its binary, the test suite's helpers and source tree), built on
/// first use from the source that `scripts/debian-source bash` unpacks into
/// `<target>/bash-source`.
pub fn bash_build(target: Target) -> &'static Bash {
    static RISCV64: OnceLock<Bash> = OnceLock::new();
    static NATIVE: OnceLock<Bash> = OnceLock::new();
    let cell = match target {
        Target::Riscv64 => &RISCV64,
        Target::X86_64 => &NATIVE,
    };
    cell.get_or_init(|| {
        require_tools();
        vm_guest_build::bash(
            &workspace_root(),
            &target_dir().join("bash-source"),
            &scratch_dir("riscv-guests"),
            target,
        )
        .unwrap_or_else(|e| panic!("building bash for {}: {e}", target.tag()))
    })
}

/// `${CARGO_TARGET_DIR:-target}`, from the workspace root: where the downloaded inputs
/// that every test binary shares are kept (outside cargo's per-crate test scratch).
pub fn target_dir() -> PathBuf {
    std::env::var_os("CARGO_TARGET_DIR")
        .map(|dir| workspace_root().join(dir))
        .unwrap_or_else(|| workspace_root().join("target"))
}

/// The riscv64 Debian root filesystem (see `vm_guest_build::debian_rootfs`), made on
/// first use in `${CARGO_TARGET_DIR:-target}/debian-rootfs-riscv64`.
pub fn debian_rootfs() -> &'static DebianRootfs {
    static ROOTFS: OnceLock<DebianRootfs> = OnceLock::new();
    ROOTFS.get_or_init(|| {
        require_tools();
        vm_guest_build::debian_rootfs(&target_dir().join("debian-rootfs-riscv64"))
            .unwrap_or_else(|e| panic!("making the riscv64 Debian root filesystem: {e}"))
    })
}

/// How a guest run ended. A guest killed by a signal compares as the signal.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Outcome {
    Exit(i32),
    Signal(i32),
    Timeout,
}

impl std::fmt::Display for Outcome {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Outcome::Exit(c) => write!(f, "exit status {c}"),
            Outcome::Signal(s) => write!(f, "killed by signal {s}"),
            Outcome::Timeout => write!(f, "timed out"),
        }
    }
}

#[derive(Clone, Debug)]
pub struct RunResult {
    pub stdout: Vec<u8>,
    pub stderr: Vec<u8>,
    pub outcome: Outcome,
    pub elapsed: Duration,
}

/// What to run: the same program, arguments, extra environment and stdin for every runner.
#[derive(Clone, Debug, Default)]
pub struct Invocation {
    pub program: PathBuf,
    pub args: Vec<String>,
    /// Variables passed with `-E NAME=VALUE` (both vm and qemu accept it).
    pub env: Vec<String>,
    /// Variables removed with `-U NAME` (both vm and qemu accept it).
    pub unset: Vec<String>,
    pub stdin: Option<Vec<u8>>,
    /// Files copied into the fresh working directory before the run.
    pub files: Vec<PathBuf>,
    /// The `-L` sysroot; None for the cross compiler's ([`sysroot`]).
    pub sysroot: Option<PathBuf>,
    /// The guest's argv[0] (vm `--argv0`, qemu `-0`); None for `program` as given.
    pub argv0: Option<String>,
    /// An existing directory to run in instead of the fresh work directory (which then
    /// only receives `files`); e.g. a Go package's source directory, for its testdata.
    pub cwd: Option<PathBuf>,
}

/// Who runs the guest.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Runner {
    Qemu,
    Vm {
        engine: String,
    },
    /// A qemu-riscv64 other than the system's, emulating the CPU model `cpu` (the
    /// reference qemu of [`reference_qemu`], with `-cpu rva23u64`).
    QemuCpu {
        qemu: PathBuf,
        cpu: String,
    },
    /// The host kernel, running a native x86-64 build of the same source: the
    /// reference where qemu-user cannot be one. `env` and `unset` are applied to the
    /// environment directly; there is no sysroot.
    Native,
}

impl Runner {
    pub fn label(&self) -> String {
        match self {
            Runner::Qemu => "qemu".to_string(),
            Runner::QemuCpu { cpu, .. } => format!("qemu -cpu {cpu}"),
            Runner::Vm { engine } => format!("vm --engine {engine}"),
            Runner::Native => "native".to_string(),
        }
    }

    pub fn command(&self, inv: &Invocation) -> Command {
        let mut cmd = match self {
            Runner::Qemu => Command::new(QEMU),
            Runner::QemuCpu { qemu, cpu } => {
                let mut c = Command::new(qemu);
                c.arg("-cpu").arg(cpu);
                c
            }
            Runner::Vm { engine } => {
                let mut c = Command::new(vm_binary());
                c.args(["run", "--engine", engine]);
                c
            }
            Runner::Native => {
                let mut c = Command::new(&inv.program);
                if let Some(argv0) = &inv.argv0 {
                    c.arg0(argv0);
                }
                c.args(&inv.args);
                return c;
            }
        };
        cmd.arg("-L")
            .arg(inv.sysroot.as_deref().unwrap_or_else(|| sysroot()));
        if let Some(argv0) = &inv.argv0 {
            cmd.arg(if matches!(self, Runner::Qemu | Runner::QemuCpu { .. }) {
                "-0"
            } else {
                "--argv0"
            })
            .arg(argv0);
        }
        for e in &inv.env {
            cmd.arg("-E").arg(e);
        }
        for u in &inv.unset {
            cmd.arg("-U").arg(u);
        }
        cmd.arg(&inv.program).args(&inv.args);
        cmd
    }
}

/// Runs `inv` under `runner` with `workdir` (created empty) as the current directory.
/// Output goes to files beside `workdir`, never inside it, so the guest cannot see them.
pub fn run_guest(
    runner: &Runner,
    inv: &Invocation,
    workdir: &Path,
    timeout: Duration,
) -> RunResult {
    let _ = fs::remove_dir_all(workdir);
    fs::create_dir_all(workdir).unwrap_or_else(|e| panic!("creating {}: {e}", workdir.display()));
    for f in &inv.files {
        let dest = workdir.join(f.file_name().expect("file name"));
        fs::copy(f, &dest).unwrap_or_else(|e| panic!("copying {}: {e}", f.display()));
    }
    let base = workdir.as_os_str().to_string_lossy().into_owned();
    let out_path = PathBuf::from(format!("{base}.stdout"));
    let err_path = PathBuf::from(format!("{base}.stderr"));
    let in_path = PathBuf::from(format!("{base}.stdin"));
    let stdin = match &inv.stdin {
        Some(bytes) => {
            fs::write(&in_path, bytes).expect("writing stdin file");
            Stdio::from(fs::File::open(&in_path).expect("opening stdin file"))
        }
        None => Stdio::null(),
    };
    let mut cmd = runner.command(inv);
    cmd.current_dir(inv.cwd.as_deref().unwrap_or(workdir))
        .env_clear()
        .envs(GUEST_ENV.iter().copied());
    if *runner == Runner::Native {
        for e in &inv.env {
            let (name, value) = e.split_once('=').unwrap_or((e, ""));
            cmd.env(name, value);
        }
        for u in &inv.unset {
            cmd.env_remove(u);
        }
    }
    cmd.stdin(stdin)
        .stdout(fs::File::create(&out_path).expect("creating stdout file"))
        .stderr(fs::File::create(&err_path).expect("creating stderr file"));
    // SAFETY: the closure runs in the forked child before exec and only calls setrlimit,
    // which is async-signal-safe; it touches no memory shared with other threads.
    unsafe {
        cmd.pre_exec(|| {
            let zero = libc::rlimit {
                rlim_cur: 0,
                rlim_max: 0,
            };
            libc::setrlimit(libc::RLIMIT_CORE, &zero);
            Ok(())
        });
    }
    let start = Instant::now();
    let mut child = cmd
        .spawn()
        .unwrap_or_else(|e| panic!("starting {} ({:?}): {e}", runner.label(), cmd.get_program()));
    let outcome = loop {
        match child.try_wait().expect("waiting for the guest") {
            Some(status) => {
                break match (status.code(), status.signal()) {
                    (Some(code), _) => Outcome::Exit(code),
                    (None, Some(sig)) => Outcome::Signal(sig),
                    (None, None) => unreachable!("a process ends by exit or by signal"),
                }
            }
            None if start.elapsed() > timeout => {
                let _ = child.kill();
                let _ = child.wait();
                break Outcome::Timeout;
            }
            None => std::thread::sleep(Duration::from_millis(5)),
        }
    };
    let elapsed = start.elapsed();
    let read = |p: &Path| {
        let mut v = Vec::new();
        fs::File::open(p)
            .and_then(|mut f| f.read_to_end(&mut v))
            .expect("reading output");
        v
    };
    RunResult {
        stdout: read(&out_path),
        stderr: read(&err_path),
        outcome,
        elapsed,
    }
}

/// Drops qemu's own report of a guest killed by a signal, and nothing else:
/// `qemu: uncaught target signal N (Name) - core dumped`.
pub fn normalise_qemu_stderr(stderr: &[u8]) -> Vec<u8> {
    let text = String::from_utf8_lossy(stderr);
    if !text.contains("qemu: uncaught target signal ") {
        return stderr.to_vec();
    }
    let mut out = String::new();
    for line in text.split_inclusive('\n') {
        if !is_qemu_signal_line(line.trim_end_matches('\n')) {
            out.push_str(line);
        }
    }
    out.into_bytes()
}

fn is_qemu_signal_line(line: &str) -> bool {
    let Some(rest) = line.strip_prefix("qemu: uncaught target signal ") else {
        return false;
    };
    let Some(rest) = rest.strip_suffix(") - core dumped") else {
        return false;
    };
    let digits = rest.bytes().take_while(u8::is_ascii_digit).count();
    digits > 0 && rest[digits..].starts_with(" (")
}

/// Describes how `vm` differs from `qemu`, or None when they agree.
pub fn compare(qemu: &RunResult, vm: &RunResult) -> Option<String> {
    compare_with("qemu", &normalise_qemu_stderr(&qemu.stderr), qemu, vm)
}

/// Describes how `vm` differs from the reference run of `who`, whose stderr is compared
/// as `reference_err`, or None when they agree.
pub fn compare_with(
    who: &str,
    reference_err: &[u8],
    reference: &RunResult,
    vm: &RunResult,
) -> Option<String> {
    let mut report = String::new();
    if reference.outcome != vm.outcome {
        let _ = writeln!(
            report,
            "  status: {who} {}, vm {}",
            reference.outcome, vm.outcome
        );
    }
    for (what, r, v) in [
        ("stdout", &reference.stdout[..], &vm.stdout[..]),
        ("stderr", reference_err, &vm.stderr[..]),
    ] {
        if r != v {
            let _ = write!(
                report,
                "  {what} differs:\n{}",
                first_difference_of(who, r, "vm", v)
            );
        }
    }
    (!report.is_empty()).then_some(report)
}

/// The first differing line with two lines of context before it, from both sides.
pub fn first_difference(expected: &[u8], actual: &[u8]) -> String {
    first_difference_of("qemu", expected, "vm", actual)
}

/// [`first_difference`] with the two sides named `expected_name` and `actual_name`.
pub fn first_difference_of(
    expected_name: &str,
    expected: &[u8],
    actual_name: &str,
    actual: &[u8],
) -> String {
    let e = String::from_utf8_lossy(expected);
    let a = String::from_utf8_lossy(actual);
    let el: Vec<&str> = e.split_inclusive('\n').collect();
    let al: Vec<&str> = a.split_inclusive('\n').collect();
    let first = (0..el.len().max(al.len()))
        .find(|&i| el.get(i) != al.get(i))
        .unwrap_or(0);
    let width = expected_name.len().max(actual_name.len());
    let mut out = format!(
        "    first difference at line {} ({expected_name} {} lines / {} bytes, {actual_name} {} lines / {} bytes)\n",
        first + 1,
        el.len(),
        expected.len(),
        al.len(),
        actual.len()
    );
    let show = |out: &mut String, who: &str, lines: &[&str]| {
        for i in first.saturating_sub(2)..(first + 3).min(lines.len().max(first + 1)) {
            let marker = if i == first { '>' } else { ' ' };
            match lines.get(i) {
                Some(l) => {
                    let l = l.trim_end_matches('\n');
                    let cut: String = l.chars().take(200).collect();
                    let more = if cut.len() < l.len() { " [...]" } else { "" };
                    let _ = writeln!(
                        out,
                        "    {marker} {who:<width$} {:>5}: {cut:?}{more}",
                        i + 1
                    );
                }
                None if i == first => {
                    let _ = writeln!(
                        out,
                        "    {marker} {who:<width$} {:>5}: <end of output>",
                        i + 1
                    );
                }
                None => {}
            }
        }
    };
    show(&mut out, expected_name, &el);
    show(&mut out, actual_name, &al);
    out
}

/// Runs `jobs` on up to `threads` worker threads and returns the results in order.
pub fn parallel_map<T: Sync, R: Send>(
    jobs: &[T],
    threads: usize,
    f: impl Fn(&T) -> R + Sync,
) -> Vec<R> {
    let next = AtomicUsize::new(0);
    let results: Mutex<Vec<Option<R>>> = Mutex::new((0..jobs.len()).map(|_| None).collect());
    std::thread::scope(|s| {
        for _ in 0..threads.max(1) {
            s.spawn(|| loop {
                let i = next.fetch_add(1, Ordering::SeqCst);
                let Some(job) = jobs.get(i) else { break };
                let r = f(job);
                results.lock().expect("no worker panicked holding the lock")[i] = Some(r);
            });
        }
    });
    results
        .into_inner()
        .expect("lock intact")
        .into_iter()
        .map(|r| r.expect("job ran"))
        .collect()
}

/// One program run to compare between qemu and vm.
pub struct DiffCase {
    pub name: String,
    pub invocation: Invocation,
}

/// Runs every case under qemu and under `vm run` for each engine (in parallel), and
/// returns a per-run summary table and the list of differences. A case that times out
/// or fails its own CHECKs under qemu counts as a failure of the case itself.
pub fn run_differential(
    cases: &[DiffCase],
    scratch: &str,
    vm_timeout: Duration,
) -> (String, Vec<String>) {
    run_differential_against(Runner::Qemu, cases, scratch, vm_timeout)
}

/// [`run_differential`] with `reference` (a qemu) as the reference runner.
pub fn run_differential_against(
    reference: Runner,
    cases: &[DiffCase],
    scratch: &str,
    vm_timeout: Duration,
) -> (String, Vec<String>) {
    let mut runners = vec![reference];
    runners.extend(engines().into_iter().map(|engine| Runner::Vm { engine }));
    let runs_root = scratch_dir(&format!("{scratch}-{}", std::process::id()));
    let jobs: Vec<(usize, usize)> = (0..cases.len())
        .flat_map(|c| (0..runners.len()).map(move |r| (c, r)))
        .collect();
    let results = parallel_map(&jobs, worker_threads(), |&(c, r)| {
        let dir = runs_root.join(format!("{c:03}-{}.{r}", sanitise(&cases[c].name)));
        let timeout = if r == 0 { QEMU_TIMEOUT } else { vm_timeout };
        run_guest(&runners[r], &cases[c].invocation, &dir, timeout)
    });
    let mut report = RunReport::default();
    for (c, case) in cases.iter().enumerate() {
        let qemu = &results[c * runners.len()];
        let qemu_err = String::from_utf8_lossy(&qemu.stderr);
        if qemu.outcome == Outcome::Timeout || qemu_err.contains("CHECK failed") {
            report.fail(format!(
                "{}: broken under qemu itself ({}):\n{qemu_err}",
                case.name, qemu.outcome
            ));
            continue;
        }
        for (r, runner) in runners.iter().enumerate().skip(1) {
            let vm = &results[c * runners.len() + r];
            report.row(&case.name, runner, "qemu", qemu, vm, compare(qemu, vm));
        }
    }
    report.finish(&runs_root)
}

/// The summary table and the failures of a differential run: a row per case and vm
/// runner, set beside the case's reference run.
#[derive(Default)]
pub struct RunReport {
    summary: String,
    failures: Vec<String>,
}

impl RunReport {
    /// A failure of the case itself (its reference run is unusable).
    pub fn fail(&mut self, failure: String) {
        self.failures.push(failure);
    }

    /// The row of `case` under `runner`, against the reference run of `who` (`qemu`,
    /// `native`); `diff` is how they differ, if they do.
    pub fn row(
        &mut self,
        case: &str,
        runner: &Runner,
        who: &str,
        reference: &RunResult,
        vm: &RunResult,
        diff: Option<String>,
    ) {
        let _ = writeln!(
            self.summary,
            "  {:<28} {:<18} {who:<6} {:>7.3}s  vm {:>7.3}s  {}",
            case,
            runner.label(),
            reference.elapsed.as_secs_f64(),
            vm.elapsed.as_secs_f64(),
            if diff.is_none() { "same" } else { "DIFFERS" }
        );
        if let Some(diff) = diff {
            self.failures
                .push(format!("{case} under {}:\n{diff}", runner.label()));
        }
    }

    /// The summary and the failures; the runs' work directories under `runs_root` are
    /// removed if nothing failed, kept (and named in the summary) otherwise.
    pub fn finish(mut self, runs_root: &Path) -> (String, Vec<String>) {
        if self.failures.is_empty() {
            let _ = fs::remove_dir_all(runs_root);
        } else {
            let _ = writeln!(
                self.summary,
                "  (work directories kept in {})",
                runs_root.display()
            );
        }
        (self.summary, self.failures)
    }
}

const QEMU_TIMEOUT: Duration = Duration::from_secs(120);

fn sanitise(name: &str) -> String {
    name.chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '.' || c == '-' {
                c
            } else {
                '_'
            }
        })
        .collect()
}

/// The vm timeout per run: `VM_TEST_TIMEOUT` seconds, or `default`.
pub fn vm_timeout(default: Duration) -> Duration {
    std::env::var("VM_TEST_TIMEOUT")
        .ok()
        .and_then(|s| s.parse().ok())
        .map(Duration::from_secs)
        .unwrap_or(default)
}

pub fn worker_threads() -> usize {
    std::thread::available_parallelism()
        .map(|n| n.get())
        .unwrap_or(2)
}

/// The path of a qemu-riscv64 that knows `-cpu rva23u64`, the reference of the tests
/// of the RVA23 extensions: what `scripts/reference-qemu` prints (it fetches one into
/// `${CARGO_TARGET_DIR:-target}/reference-qemu` on first use). Panics saying how to get
/// one when that fails.
pub fn reference_qemu() -> &'static Path {
    static QEMU_PATH: OnceLock<PathBuf> = OnceLock::new();
    QEMU_PATH.get_or_init(|| {
        let script = workspace_root().join("scripts/reference-qemu");
        let out = Command::new(&script)
            .arg(target_dir().join("reference-qemu"))
            .stderr(Stdio::inherit())
            .output()
            .unwrap_or_else(|e| panic!("starting {}: {e}", script.display()));
        let path = PathBuf::from(String::from_utf8_lossy(&out.stdout).trim());
        assert!(
            out.status.success() && path.is_file(),
            "{} found no qemu-riscv64 that knows `-cpu rva23u64` ({:?}): install \
             qemu-user 9.2 or later (Debian: `apt-get install -t <codename>-backports \
             qemu-user`), or let the script fetch it from your distribution's backports \
             suite (it needs apt sources that name one)",
            script.display(),
            out.status
        );
        path
    })
}

/// Fails early, with a clear message, when `vm` itself cannot be started.
pub fn require_vm() {
    let vm = vm_binary();
    let ok = Command::new(&vm)
        .arg("--help")
        .output()
        .map(|o| o.status.success())
        .unwrap_or(false);
    assert!(
        ok,
        "`{} --help` does not succeed: the vm binary is broken",
        vm.display()
    );
}

/// Copies a directory tree (files, links and permissions); with `shebang`, a file's
/// `#!/bin/sh` first line is rewritten to it.
pub fn copy_tree(from: &Path, to: &Path, shebang: Option<&str>) {
    fs::create_dir_all(to).unwrap_or_else(|e| panic!("creating {}: {e}", to.display()));
    for entry in fs::read_dir(from).expect("reading the test suite") {
        let entry = entry.expect("reading the test suite");
        let (src, dst) = (entry.path(), to.join(entry.file_name()));
        let kind = entry.file_type().expect("file type");
        if kind.is_dir() {
            copy_tree(&src, &dst, shebang);
        } else if kind.is_symlink() {
            let target = fs::read_link(&src).expect("reading a link");
            std::os::unix::fs::symlink(target, &dst).expect("copying a link");
        } else {
            let mut bytes = fs::read(&src).expect("reading a test file");
            if let Some(line) = shebang {
                if let Some(rest) = bytes.strip_prefix(b"#!/bin/sh") {
                    bytes = [line.as_bytes(), rest].concat();
                }
            }
            fs::write(&dst, bytes).expect("writing a test file");
            let mode = fs::metadata(&src).expect("metadata").permissions();
            fs::set_permissions(&dst, mode).expect("copying permissions");
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_the_exact_qemu_signal_line_is_dropped() {
        let input = b"before\nqemu: uncaught target signal 11 (Segmentation fault) - core dumped\n\
qemu: uncaught target signal x (Bad) - core dumped\nafter\n";
        let out = normalise_qemu_stderr(input);
        assert_eq!(
            String::from_utf8(out).unwrap(),
            "before\nqemu: uncaught target signal x (Bad) - core dumped\nafter\n"
        );
    }

    #[test]
    fn difference_report_points_at_the_first_differing_line() {
        let report = first_difference(b"a\nb\nc\nd\n", b"a\nb\nX\nd\n");
        assert!(report.contains("first difference at line 3"), "{report}");
        assert!(report.contains("> qemu     3: \"c\""), "{report}");
        assert!(report.contains("> vm       3: \"X\""), "{report}");
        let short = first_difference(b"a\nb\n", b"a\n");
        assert!(short.contains("<end of output>"), "{short}");
    }
}
