//! Go programs under vm. The Go runtime uses Linux without glibc and in its own ways:
//! raw system calls, a `sigaltstack` per thread and `SA_ONSTACK` handlers, asynchronous
//! preemption (`tgkill` of SIGURG to one thread, whose handler rewrites the signal
//! context's pc and ra to inject a call before `rt_sigreturn`), `clone` with its own
//! flag set, futexes, arena hints at high addresses, `madvise`, an epoll netpoller,
//! and faults turned into panics from the signal frame's pc and `si_addr`.
//!
//! Every `tests/go/NAME.go` is built with the host's `go` (`GOARCH=riscv64`, static,
//! `-trimpath`, cached by `vm-guest-build` under the target directory) and run under
//! `vm run` for each engine and under qemu-riscv64-static; stdout, stderr and exit
//! status must be the same. A program may start with manifest lines:
//! - `// args: a b`: arguments;
//! - `// env: NAME=VALUE`: passed with `-E` (may repeat);
//! - `// oracle: native`: compare with a native x86-64 build of the same file run by
//!   the host instead of qemu, for programs that execute other guest programs (qemu-user
//!   cannot without a binfmt_misc registration).
//!
//! Then a few fast standard-library test binaries (`go test -c`) run with
//! `-test.short -test.v` in their package's source directory (for `testdata`), under vm
//! and under qemu (or natively, for packages whose tests re-execute themselves); the
//! verdict of every test and subtest and the exit status must be the same.
//!
//! Environment knobs: `VM_TEST_FILTER=substr` runs only matching programs and packages,
//! `VM_TEST_ENGINES`, `VM_TEST_TIMEOUT=secs` as in the other differential tests.

mod common;

use common::*;
use std::fmt::Write as _;
use std::fs;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};
use vm_guest_build::{go_root, go_version, GoBuild, GoSource};

/// Standard packages whose tests run here: name, reference, and extra test flags.
/// `sync` re-executes its test binary (TestMutexMisuse), which qemu-user cannot.
const STD_TESTS: &[(&str, Oracle)] = &[
    ("strconv", Oracle::Qemu),
    ("encoding/json", Oracle::Qemu),
    ("context", Oracle::Qemu),
    ("sync", Oracle::Native),
];

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Oracle {
    Qemu,
    Native,
}

#[derive(Clone, Debug)]
struct Manifest {
    args: Vec<String>,
    env: Vec<String>,
    oracle: Oracle,
}

fn parse_manifest(path: &Path) -> Manifest {
    let text =
        fs::read_to_string(path).unwrap_or_else(|e| panic!("reading {}: {e}", path.display()));
    let mut m = Manifest {
        args: Vec::new(),
        env: Vec::new(),
        oracle: Oracle::Qemu,
    };
    for line in text.lines() {
        let Some((key, value)) = line.strip_prefix("// ").and_then(|r| r.split_once(": ")) else {
            break;
        };
        match key {
            "args" => m.args = value.split_whitespace().map(String::from).collect(),
            "env" => m.env.push(value.to_string()),
            "oracle" => {
                m.oracle = match value.trim() {
                    "native" => Oracle::Native,
                    "qemu" => Oracle::Qemu,
                    other => panic!(
                        "{}: `oracle: {other}`: expected native or qemu",
                        path.display()
                    ),
                }
            }
            _ => break,
        }
    }
    m
}

fn go_dir() -> PathBuf {
    workspace_root().join("tests/go")
}

fn require_go() {
    if let Err(e) = go_version() {
        panic!("{e}");
    }
}

/// One run to compare: what vm runs, and what the reference runs.
struct Case {
    name: String,
    oracle: Oracle,
    guest: Invocation,
    /// The native build's invocation, for [`Oracle::Native`].
    native: Option<Invocation>,
    /// Compare test verdicts (a `go test` binary) rather than the whole output.
    verdicts: bool,
}

fn program_cases(bin_dir: &Path, filter: &str) -> Vec<Case> {
    let mut sources: Vec<PathBuf> = fs::read_dir(go_dir())
        .unwrap_or_else(|e| panic!("listing {}: {e}", go_dir().display()))
        .map(|e| e.expect("directory entry").path())
        .filter(|p| p.extension().and_then(|e| e.to_str()) == Some("go"))
        .filter(|p| p.to_string_lossy().contains(filter))
        .collect();
    sources.sort();
    let builds: Vec<(PathBuf, Manifest, Vec<GoBuild>)> = sources
        .into_iter()
        .map(|src| {
            let stem = src
                .file_stem()
                .expect("stem")
                .to_string_lossy()
                .into_owned();
            let manifest = parse_manifest(&src);
            let mut targets = vec![Target::Riscv64];
            if manifest.oracle == Oracle::Native {
                targets.push(Target::X86_64);
            }
            let builds = targets
                .into_iter()
                .map(|target| GoBuild {
                    name: format!("go-{stem}"),
                    target,
                    source: GoSource::File(src.clone()),
                    flags: Vec::new(),
                })
                .collect();
            (src, manifest, builds)
        })
        .collect();
    let all: Vec<&GoBuild> = builds.iter().flat_map(|(_, _, b)| b).collect();
    let built = build_all(&all, bin_dir);
    let mut built = built.into_iter();
    builds
        .iter()
        .map(|(src, manifest, b)| {
            let mut paths: Vec<PathBuf> = b.iter().map(|_| built.next().expect("built")).collect();
            let invocation = |program: PathBuf| Invocation {
                program,
                args: manifest.args.clone(),
                env: manifest.env.clone(),
                ..Invocation::default()
            };
            let native = (paths.len() > 1).then(|| invocation(paths.remove(1)));
            Case {
                name: src
                    .file_name()
                    .expect("name")
                    .to_string_lossy()
                    .into_owned(),
                oracle: manifest.oracle,
                guest: invocation(paths.remove(0)),
                native,
                verdicts: false,
            }
        })
        .collect()
}

fn std_test_cases(bin_dir: &Path, filter: &str) -> Vec<Case> {
    let root = go_root().unwrap_or_else(|e| panic!("{e}"));
    let selected: Vec<&(&str, Oracle)> = STD_TESTS
        .iter()
        .filter(|(pkg, _)| pkg.contains(filter))
        .collect();
    let builds: Vec<GoBuild> = selected
        .iter()
        .flat_map(|&&(pkg, oracle)| {
            let mut targets = vec![Target::Riscv64];
            if oracle == Oracle::Native {
                targets.push(Target::X86_64);
            }
            targets.into_iter().map(move |target| GoBuild {
                name: format!("gotest-{}", pkg.replace('/', "-")),
                target,
                source: GoSource::StdTest(pkg.to_string()),
                flags: Vec::new(),
            })
        })
        .collect();
    let built = build_all(&builds.iter().collect::<Vec<_>>(), bin_dir);
    let mut built = built.into_iter();
    selected
        .iter()
        .map(|&&(pkg, oracle)| {
            let invocation = |program: PathBuf| Invocation {
                program,
                args: ["-test.short", "-test.v", "-test.timeout=300s"]
                    .map(String::from)
                    .to_vec(),
                env: vec![format!("GOROOT={}", root.display())],
                cwd: Some(root.join("src").join(pkg)),
                ..Invocation::default()
            };
            let guest = invocation(built.next().expect("built"));
            let native =
                (oracle == Oracle::Native).then(|| invocation(built.next().expect("built")));
            Case {
                name: format!("go test {pkg}"),
                oracle,
                guest,
                native,
                verdicts: true,
            }
        })
        .collect()
}

/// Builds every program (two `go` processes at a time; each is parallel itself).
fn build_all(builds: &[&GoBuild], bin_dir: &Path) -> Vec<PathBuf> {
    let results = parallel_map(builds, 2, |b| b.run(bin_dir).map_err(|e| e.to_string()));
    let errors: Vec<String> = results.iter().filter_map(|r| r.clone().err()).collect();
    assert!(
        errors.is_empty(),
        "Go builds failed:\n{}",
        errors.join("\n")
    );
    results.into_iter().map(|r| r.expect("built")).collect()
}

/// The verdict lines of `go test -test.v` output (`--- PASS: TestX`, `--- SKIP: ...`,
/// subtests included, indentation and timings dropped), sorted: parallel tests finish
/// in any order.
fn verdicts(output: &[u8]) -> Vec<String> {
    let text = String::from_utf8_lossy(output);
    let mut v: Vec<String> = text
        .lines()
        .filter_map(|l| {
            let rest = l.trim_start().strip_prefix("--- ")?;
            let (verdict, rest) = rest.split_once(": ")?;
            matches!(verdict, "PASS" | "FAIL" | "SKIP")
                .then(|| format!("{verdict} {}", rest.split(' ').next().unwrap_or("")))
        })
        .collect();
    v.sort();
    v
}

/// How `vm` differs from `reference` (named `who`), or None.
fn differences(case: &Case, who: &str, reference: &RunResult, vm: &RunResult) -> Option<String> {
    if !case.verdicts {
        return if case.oracle == Oracle::Qemu {
            compare(reference, vm)
        } else {
            compare_with(who, &reference.stderr, reference, vm)
        };
    }
    let mut report = String::new();
    if reference.outcome != vm.outcome {
        let _ = writeln!(
            report,
            "  status: {who} {}, vm {}",
            reference.outcome, vm.outcome
        );
    }
    let (r, v) = (verdicts(&reference.stdout), verdicts(&vm.stdout));
    if r.is_empty() {
        let _ = writeln!(report, "  {who} reported no test verdicts");
    }
    if r != v {
        let only = |a: &[String], b: &[String]| -> Vec<String> {
            a.iter().filter(|x| !b.contains(x)).cloned().collect()
        };
        let _ = writeln!(
            report,
            "  verdicts differ: only under {who}: {:?}\n                   only under vm: {:?}",
            only(&r, &v),
            only(&v, &r)
        );
        let tail: String = String::from_utf8_lossy(&vm.stdout)
            .lines()
            .rev()
            .take(15)
            .collect::<Vec<_>>()
            .into_iter()
            .rev()
            .map(|l| format!("    | {l}\n"))
            .collect();
        let _ = write!(report, "  end of vm's output:\n{tail}");
    }
    (!report.is_empty()).then_some(report)
}

#[test]
fn go_programs_match_qemu() {
    require_tools();
    require_go();
    require_vm();
    let filter = std::env::var("VM_TEST_FILTER").unwrap_or_default();
    let bin_dir = scratch_dir("go-guests");
    let started = Instant::now();
    let mut cases = program_cases(&bin_dir, &filter);
    cases.extend(std_test_cases(&bin_dir, &filter));
    assert!(
        !cases.is_empty(),
        "no Go programs match {filter:?} in {}",
        go_dir().display()
    );
    let build_time = started.elapsed();

    let mut runners: Vec<Runner> = engines()
        .into_iter()
        .map(|engine| Runner::Vm { engine })
        .collect();
    runners.insert(0, Runner::Qemu); // the reference slot: qemu or native per case
    let jobs: Vec<(usize, usize)> = (0..cases.len())
        .flat_map(|c| (0..runners.len()).map(move |r| (c, r)))
        .collect();
    let runs_root = scratch_dir(&format!("go-runs-{}", std::process::id()));
    let timeout = vm_timeout(Duration::from_secs(150));
    let results = parallel_map(&jobs, worker_threads(), |&(c, r)| {
        let case = &cases[c];
        let dir = runs_root.join(format!("{c:02}-{}.{r}", case.name.replace(['/', ' '], "_")));
        match (r, case.oracle) {
            (0, Oracle::Qemu) => run_guest(&Runner::Qemu, &case.guest, &dir, timeout),
            (0, Oracle::Native) => {
                let native = case.native.as_ref().expect("native build");
                run_guest(&Runner::Native, native, &dir, timeout)
            }
            _ => run_guest(&runners[r], &case.guest, &dir, timeout),
        }
    });

    let mut report = RunReport::default();
    for (c, case) in cases.iter().enumerate() {
        let who = if case.oracle == Oracle::Qemu {
            "qemu"
        } else {
            "native"
        };
        let reference = &results[c * runners.len()];
        if reference.outcome == Outcome::Timeout {
            report.fail(format!("{}: timed out under {who}", case.name));
            continue;
        }
        for (r, runner) in runners.iter().enumerate().skip(1) {
            let vm = &results[c * runners.len() + r];
            let diff = differences(case, who, reference, vm);
            report.row(&case.name, runner, who, reference, vm, diff);
        }
    }
    let (summary, failures) = report.finish(&runs_root);
    println!(
        "{} Go programs and test binaries (built in {:.1}s):\n{summary}",
        cases.len(),
        build_time.as_secs_f64()
    );
    assert!(
        failures.is_empty(),
        "{} Go runs differ from their reference:\n\n{}\n\nsummary:\n{summary}",
        failures.len(),
        failures.join("\n")
    );
}

#[test]
fn verdicts_are_the_sorted_test_results() {
    let out = b"=== RUN   TestB\n--- PASS: TestB (0.01s)\n=== RUN   TestA\n    --- SKIP: TestA/sub (0.00s)\n--- FAIL: TestA (1.20s)\nPASS\n";
    assert_eq!(
        verdicts(out),
        ["FAIL TestA", "PASS TestB", "SKIP TestA/sub"]
    );
}

#[test]
fn manifest_lines_come_first() {
    let dir = scratch_dir("go-manifest");
    let file = dir.join("m.go");
    fs::write(
        &file,
        "// args: crash now\n// env: A=1\n// oracle: native\n\n// args: ignored\npackage main\n",
    )
    .unwrap();
    let m = parse_manifest(&file);
    assert_eq!(m.args, ["crash", "now"]);
    assert_eq!(m.env, ["A=1"]);
    assert_eq!(m.oracle, Oracle::Native);
}
