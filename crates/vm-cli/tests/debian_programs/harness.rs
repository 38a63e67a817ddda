//! The machinery of the Debian programs' tests: the root filesystem and the inputs
//! (made once per test process), a command table run under vm and qemu, and scripts
//! run under vm alone against an expectation.

use crate::common::*;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;
use std::time::Duration;

/// Inputs committed with the tests, copied into each case's directory that names them.
const INPUTS: &str = "tests/debian/inputs";

/// The root filesystem and the inputs every case may use.
pub struct Setup {
    pub root: PathBuf,
    /// Input files, copied into a case's directory when it names them.
    pub inputs: PathBuf,
    /// A directory tree with fixed modes and times, read where it is (`@TREE`).
    pub tree: PathBuf,
    pub home: PathBuf,
}

pub fn setup() -> &'static Setup {
    static SETUP: OnceLock<Setup> = OnceLock::new();
    SETUP.get_or_init(|| {
        let rootfs = debian_rootfs();
        println!(
            "Debian {} root filesystem: {} ({} packages)",
            rootfs.suite,
            rootfs.root.display(),
            rootfs.packages.len()
        );
        remove_stale_scratch(&["debian-inputs-", "debian-gcc-out-"]);
        let base = scratch_dir(&format!("debian-inputs-{}", std::process::id()));
        let inputs = base.join("inputs");
        let tree = base.join("tree");
        let home = base.join("home");
        make_inputs(&inputs, &tree);
        fs::create_dir_all(&home).expect("creating HOME");
        Setup {
            root: rootfs.root.clone(),
            inputs,
            tree,
            home,
        }
    })
}

/// Removes the scratch directories named `PREFIX<pid>` of test processes that have
/// ended (a run's own are kept for the next test of the same process).
fn remove_stale_scratch(prefixes: &[&str]) {
    let Ok(entries) = fs::read_dir(env!("CARGO_TARGET_TMPDIR")) else {
        return;
    };
    for entry in entries.flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        let pid = prefixes
            .iter()
            .find_map(|p| name.strip_prefix(p)?.parse::<u32>().ok());
        if pid.is_some_and(|pid| !Path::new(&format!("/proc/{pid}")).exists()) {
            let _ = fs::remove_dir_all(entry.path());
        }
    }
}

/// Copies the committed inputs, and makes the tree and the archives natively, with
/// fixed modes and times.
fn make_inputs(inputs: &Path, tree: &Path) {
    let _ = fs::remove_dir_all(inputs);
    let _ = fs::remove_dir_all(tree);
    fs::create_dir_all(inputs).expect("creating inputs");
    let write = |name: &str, text: &str| {
        fs::write(inputs.join(name), text).unwrap_or_else(|e| panic!("writing {name}: {e}"))
    };
    let committed = workspace_root().join(INPUTS);
    for entry in fs::read_dir(&committed).expect("listing the committed inputs") {
        let path = entry.expect("directory entry").path();
        fs::copy(&path, inputs.join(path.file_name().expect("a file name")))
            .unwrap_or_else(|e| panic!("copying {}: {e}", path.display()));
    }
    let words = fs::read_to_string(inputs.join("words.txt")).expect("reading words.txt");

    fs::create_dir_all(tree.join("sub/deeper")).expect("creating the tree");
    let files: &[(&str, &str, u32)] = &[
        ("a.txt", "alpha\n", 0o644),
        ("b.txt", "bravo bravo\n", 0o600),
        ("run.sh", "#!/bin/sh\necho run\n", 0o755),
        ("empty", "", 0o444),
        ("sub/c.txt", words.as_str(), 0o640),
        ("sub/deeper/d.txt", "delta\n", 0o644),
    ];
    for (name, text, mode) in files {
        let path = tree.join(name);
        fs::write(&path, text).expect("writing a tree file");
        fs::set_permissions(&path, std::os::unix::fs::PermissionsExt::from_mode(*mode))
            .expect("chmod");
    }
    std::os::unix::fs::symlink("a.txt", tree.join("link")).expect("symlink");
    // Times last, deepest first, so that making an entry does not touch its parent's.
    for (path, time) in [
        ("a.txt", "2021-03-04 05:06:07"),
        ("b.txt", "2020-01-01 00:00:00"),
        ("run.sh", "2019-07-20 20:17:40"),
        ("empty", "2022-02-22 22:22:22"),
        ("sub/c.txt", "2023-11-14 22:13:20"),
        ("sub/deeper/d.txt", "2000-01-01 12:00:00"),
        ("sub/deeper", "2001-09-09 01:46:40"),
        ("sub", "2010-10-10 10:10:10"),
        (".", "2024-05-06 07:08:09"),
    ] {
        native(
            Command::new("touch")
                .args(["-h", "-d", &format!("{time} UTC")])
                .arg(tree.join(path)),
        );
    }
    native(
        Command::new("touch")
            .args(["-h", "-d", "2018-08-08 08:08:08 UTC"])
            .arg(tree.join("link")),
    );
    let big: String = (1..=200_000u64)
        .map(|i| format!("{}\n", i * 7919 % 200_003))
        .collect();
    write("big.txt", &big);
    // Enough for four 64 KiB blocks, so that both of `xz -T2`'s threads get work.
    let cut = big
        .match_indices('\n')
        .nth(39_999)
        .map_or(big.len(), |(i, _)| i + 1);
    write("medium.txt", &big[..cut]);
    make_deb(inputs, &words);
    // Archives made by the host's tools, for the guest's to read.
    let gz = native(
        Command::new("gzip")
            .args(["-9nc"])
            .arg(inputs.join("words.txt")),
    );
    fs::write(inputs.join("words.gz"), gz).expect("writing words.gz");
    let xz = native(
        Command::new("xz")
            .args(["-T1", "-6c"])
            .arg(inputs.join("words.txt")),
    );
    fs::write(inputs.join("words.xz"), xz).expect("writing words.xz");
    let tar = native(
        Command::new("tar")
            .args([
                "--sort=name",
                "--owner=0",
                "--group=0",
                "--numeric-owner",
                "-cf",
                "-",
                "-C",
            ])
            .arg(tree)
            .arg("."),
    );
    fs::write(inputs.join("tree.tar"), tar).expect("writing tree.tar");
    // Many blocks, each with its size in its header: what liblzma decodes in threads.
    let xz = native(
        Command::new("xz")
            .args(["-T2", "--block-size=65536", "-6c"])
            .arg(inputs.join("big.txt")),
    );
    fs::write(inputs.join("big.xz"), xz).expect("writing big.xz");
}

/// `demo.deb`, built by the host's dpkg-deb with xz compression and fixed times.
fn make_deb(inputs: &Path, readme: &str) {
    let pkg = inputs.join("demo-pkg");
    let doc = pkg.join("usr/share/doc/demo");
    fs::create_dir_all(pkg.join("DEBIAN")).expect("creating the package tree");
    fs::create_dir_all(&doc).expect("creating the package tree");
    fs::write(
        pkg.join("DEBIAN/control"),
        "Package: demo\nVersion: 1.0-1\nArchitecture: all\nMaintainer: Nobody <nobody@example.org>\n\
         Installed-Size: 8\nDescription: a package for the tests\n that only has a README\n",
    )
    .expect("writing control");
    fs::write(doc.join("README"), readme.repeat(20)).expect("writing README");
    for path in [
        "usr/share/doc/demo/README",
        "usr/share/doc/demo",
        "usr/share/doc",
        "usr/share",
        "usr",
        ".",
    ] {
        native(
            Command::new("touch")
                .args(["-d", "2020-01-01 00:00:00 UTC"])
                .arg(pkg.join(path)),
        );
    }
    native(
        Command::new("dpkg-deb")
            .args(["--root-owner-group", "-Zxz", "-b"])
            .arg(&pkg)
            .arg(inputs.join("demo.deb"))
            .env("SOURCE_DATE_EPOCH", "1577836800"),
    );
}

/// Runs a host command and returns its stdout, or panics with its stderr.
fn native(cmd: &mut Command) -> Vec<u8> {
    let out = cmd
        .output()
        .unwrap_or_else(|e| panic!("running {cmd:?}: {e}"));
    assert!(
        out.status.success(),
        "{cmd:?}: {}\n{}",
        out.status,
        String::from_utf8_lossy(&out.stderr)
    );
    out.stdout
}

/// One command: `argv[0]` is a program in the root's /usr/bin, or a path in the root.
/// In the arguments `@TREE` stands for the tree's path.
pub struct Row {
    name: &'static str,
    argv: &'static [&'static str],
    files: &'static [&'static str],
    stdin: Option<&'static [u8]>,
}

pub const fn row(name: &'static str, argv: &'static [&'static str]) -> Row {
    Row {
        name,
        argv,
        files: &[],
        stdin: None,
    }
}

impl Row {
    pub const fn files(mut self, files: &'static [&'static str]) -> Row {
        self.files = files;
        self
    }

    pub const fn stdin(mut self, stdin: &'static [u8]) -> Row {
        self.stdin = Some(stdin);
        self
    }
}

/// The guest environment beyond `common::GUEST_ENV` (which has `LC_ALL=C`, `TZ=UTC`).
pub fn guest_env(s: &Setup) -> Vec<String> {
    vec![
        "PATH=/usr/bin:/bin".to_string(),
        format!("HOME={}", s.home.display()),
        "PYTHONDONTWRITEBYTECODE=1".to_string(),
    ]
}

/// An argument or script with `@TREE` and `@OUT` (where the gcc test leaves what it
/// builds) replaced by their paths.
pub fn substitute(arg: &str, s: &Setup) -> String {
    arg.replace("@TREE", &s.tree.to_string_lossy())
        .replace("@OUT", &gcc_output_dir().to_string_lossy())
}

/// The program `name` names: in the root's /usr/bin, or at a path in the root;
/// `@CC1` is gcc's compiler proper, whose directory names gcc's major version.
pub fn program(name: &str, s: &Setup) -> PathBuf {
    if name == "@CC1" {
        let dir = s.root.join("usr/libexec/gcc/riscv64-linux-gnu");
        let mut found: Vec<PathBuf> = fs::read_dir(&dir)
            .unwrap_or_else(|e| panic!("listing {}: {e}", dir.display()))
            .map(|e| e.expect("directory entry").path().join("cc1"))
            .filter(|p| p.is_file())
            .collect();
        found.sort();
        return found
            .pop()
            .unwrap_or_else(|| panic!("no cc1 under {}", dir.display()));
    }
    if name.contains('/') {
        s.root.join(name.trim_start_matches('/'))
    } else {
        s.root.join("usr/bin").join(name)
    }
}

pub fn invocation(argv: &[String], files: &[&str], stdin: Option<&[u8]>, s: &Setup) -> Invocation {
    let prog = &argv[0];
    Invocation {
        program: program(prog, s),
        argv0: Some(
            prog.rsplit('/')
                .next()
                .unwrap_or(prog)
                .trim_start_matches('@')
                .to_lowercase(),
        ),
        args: argv[1..].to_vec(),
        env: guest_env(s),
        files: files.iter().map(|f| s.inputs.join(f)).collect(),
        stdin: stdin.map(<[u8]>::to_vec),
        sysroot: Some(s.root.clone()),
        ..Invocation::default()
    }
}

pub fn diff_cases(rows: &[Row]) -> Vec<DiffCase> {
    let s = setup();
    rows.iter()
        .map(|r| {
            let argv: Vec<String> = r.argv.iter().map(|a| substitute(a, s)).collect();
            DiffCase {
                name: r.name.to_string(),
                invocation: invocation(&argv, r.files, r.stdin, s),
            }
        })
        .collect()
}

pub fn check(what: &str, rows: &[Row]) {
    require_tools();
    require_vm();
    let cases = diff_cases(rows);
    let (summary, failures) = run_differential(&cases, what, vm_timeout(Duration::from_secs(120)));
    println!("{what}:\n{summary}");
    assert!(
        failures.is_empty(),
        "{} of {} Debian commands differ between vm and qemu:\n\n{}\n\nsummary:\n{summary}",
        failures.len(),
        cases.len(),
        failures.join("\n")
    );
}

/// A bash script that starts other programs, run under vm alone.
pub struct Script {
    name: &'static str,
    script: &'static str,
    files: &'static [&'static str],
    /// Its stdout and exit status (stderr empty), or None: whatever the host's own
    /// bash and tools give for the same script on the same inputs.
    expected: Option<(&'static str, i32)>,
}

pub const fn native_script(name: &'static str, script: &'static str) -> Script {
    Script {
        name,
        script,
        files: &[],
        expected: None,
    }
}

pub const fn script(
    name: &'static str,
    script: &'static str,
    stdout: &'static str,
    status: i32,
) -> Script {
    Script {
        name,
        script,
        files: &[],
        expected: Some((stdout, status)),
    }
}

impl Script {
    pub const fn files(mut self, files: &'static [&'static str]) -> Script {
        self.files = files;
        self
    }
}

/// stdout, stderr and status of `script` run by the host's bash in a fresh `dir`.
pub fn run_natively(
    script: &str,
    files: &[&str],
    dir: &Path,
    s: &Setup,
) -> (Vec<u8>, Vec<u8>, Outcome) {
    let _ = fs::remove_dir_all(dir);
    fs::create_dir_all(dir).expect("creating a native run's directory");
    for f in files {
        fs::copy(s.inputs.join(f), dir.join(f)).expect("copying an input");
    }
    let out = Command::new("bash")
        .args(["-c", script])
        .current_dir(dir)
        .env_clear()
        .envs(GUEST_ENV.iter().copied())
        .env("PATH", "/usr/bin:/bin")
        .env("HOME", &s.home)
        .stdin(std::process::Stdio::null())
        .output()
        .expect("running the host's bash");
    let outcome = match out.status.code() {
        Some(code) => Outcome::Exit(code),
        None => {
            Outcome::Signal(std::os::unix::process::ExitStatusExt::signal(&out.status).unwrap_or(0))
        }
    };
    (out.stdout, out.stderr, outcome)
}

/// Runs every script under vm (`bash -c SCRIPT` from the root) and compares it with
/// its expectation; returns the failures.
pub fn check_scripts(what: &str, scripts: &[Script]) -> Vec<String> {
    require_tools();
    require_vm();
    let s = setup();
    let runs = scratch_dir(&format!("{what}-{}", std::process::id()));
    let results = parallel_map(scripts, worker_threads(), |sc| {
        let text = substitute(sc.script, s);
        let (stdout, stderr, status) = match sc.expected {
            Some((stdout, code)) => (stdout.as_bytes().to_vec(), Vec::new(), Outcome::Exit(code)),
            None => run_natively(
                &text,
                sc.files,
                &runs.join(format!("{}.native", sanitise(sc.name))),
                s,
            ),
        };
        let argv = ["bash".to_string(), "-c".to_string(), text];
        let mut inv = invocation(&argv, sc.files, None, s);
        inv.program = program("bash", s);
        let runner = Runner::Vm {
            engine: engines()[0].clone(),
        };
        let dir = runs.join(format!("{}.vm", sanitise(sc.name)));
        let got = run_guest(&runner, &inv, &dir, vm_timeout(Duration::from_secs(120)));
        let mut report = String::new();
        if got.outcome != status {
            report += &format!("  status: expected {status}, vm {}\n", got.outcome);
        }
        if got.stdout != stdout {
            report += &format!(
                "  stdout differs:\n{}",
                first_difference_of("expected", &stdout, "vm", &got.stdout)
            );
        }
        if got.stderr != stderr {
            report += &format!(
                "  stderr differs:\n{}",
                first_difference_of("expected", &stderr, "vm", &got.stderr)
            );
        }
        println!(
            "  {:<40} vm {:>7.3}s  {}",
            sc.name,
            got.elapsed.as_secs_f64(),
            if report.is_empty() { "ok" } else { "DIFFERS" }
        );
        (!report.is_empty()).then(|| format!("{} (bash -c {:?}):\n{report}", sc.name, sc.script))
    });
    let failures: Vec<String> = results.into_iter().flatten().collect();
    if failures.is_empty() {
        let _ = fs::remove_dir_all(&runs);
    }
    failures
}

fn sanitise(name: &str) -> String {
    name.chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '_' })
        .collect()
}

/// Where the gcc test leaves the programs it built (`@OUT` in scripts).
pub fn gcc_output_dir() -> PathBuf {
    scratch_dir(&format!("debian-gcc-out-{}", std::process::id()))
}

/// Differential cases of programs a script put in [`gcc_output_dir`]: each `(name, args)`
/// runs that program with those arguments, its argv[0] its bare name.
pub fn built_program_cases(programs: &[(&str, &[&str])], s: &Setup) -> Vec<DiffCase> {
    let out = gcc_output_dir();
    programs
        .iter()
        .map(|(name, args)| {
            let mut argv = vec![name.to_string()];
            argv.extend(args.iter().map(|a| a.to_string()));
            let mut inv = invocation(&argv, &[], None, s);
            inv.program = out.join(name);
            DiffCase {
                name: format!("{name} {}", args.join(" ")),
                invocation: inv,
            }
        })
        .collect()
}
