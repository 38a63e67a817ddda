//! busybox as a real workload: Debian's busybox source package, cross-built as a static
//! riscv64 binary (see `crates/vm-guest-build/src/busybox.rs` and
//! `scripts/debian-source busybox`), runs applets on real inputs and shell scripts.
//!
//! - Applets and shell scripts that need no second process run under vm and under
//!   qemu-riscv64-static, and must give the same stdout, stderr and exit status. Multi-step
//!   checks (gzip then gunzip, tar then list) take their input from busybox's own output
//!   under qemu, and also check the round trip gives back the original bytes.
//! - Scripts that fork (subshells, pipelines, command substitution, background jobs) or
//!   re-execute busybox (`/proc/self/exe`) for an applet have their expected stdout and
//!   status written here, from what Linux does. Those that only fork also run under
//!   qemu, which must agree with the expectation; qemu-user cannot execve a RISC-V
//!   program without binfmt_misc, so the others run under vm alone.
//!
//! Every guest gets `PATH=/nonexistent-bin`: busybox is configured to prefer its own
//! applets, and when re-executing itself fails it falls back to searching PATH, which
//! would silently run the host's x86-64 tools (qemu does exactly that). With no PATH,
//! a failed re-exec shows as "not found" instead.

mod common;

use common::*;
use std::fmt::Write as _;
use std::path::PathBuf;
use std::time::Duration;

const NO_PATH: &str = "PATH=/nonexistent-bin";

fn input(name: &str) -> PathBuf {
    workspace_root().join("tests/busybox/inputs").join(name)
}

/// `busybox ARGS...` with the inputs named in `files` copied into its directory.
fn applet(name: &str, args: &[&str], files: &[&str]) -> DiffCase {
    DiffCase {
        name: name.to_string(),
        invocation: Invocation {
            program: busybox(),
            args: args.iter().map(|s| s.to_string()).collect(),
            env: vec![NO_PATH.to_string()],
            files: files.iter().map(|f| input(f)).collect(),
            ..Invocation::default()
        },
    }
}

fn with_stdin(mut case: DiffCase, stdin: &[u8]) -> DiffCase {
    case.invocation.stdin = Some(stdin.to_vec());
    case
}

/// `busybox sh -c SCRIPT`.
fn script(name: &str, script: &str) -> DiffCase {
    applet(name, &["sh", "-c", script], &[])
}

fn check(what: &str, cases: &[DiffCase]) {
    require_vm();
    let (summary, failures) = run_differential(cases, what, vm_timeout(Duration::from_secs(120)));
    println!("{what}:\n{summary}");
    assert!(
        failures.is_empty(),
        "{} busybox {what} runs differ from qemu:\n\n{}\n\nsummary:\n{summary}",
        failures.len(),
        failures.join("\n")
    );
}

#[test]
fn text_applets_match_qemu() {
    require_tools();
    let words = &["words.txt"];
    let table = &["table.csv"];
    let cases = vec![
        applet("echo", &["echo", "-e", "tab\there\\nnew line\\c", "ignored"], &[]),
        applet(
            "printf",
            &[
                "printf",
                "%5.2f|%-4s|%x|%o|%c|%%|%s|%e\\n",
                "3.14159",
                "ab",
                "255",
                "8",
                "xyz",
                "two words",
                "12345.678",
            ],
            &[],
        ),
        applet("cat -n", &["cat", "-n", "words.txt"], words),
        applet("sort", &["sort", "words.txt"], words),
        applet("sort -r -u", &["sort", "-r", "-u", "words.txt"], words),
        applet("sort -f", &["sort", "-f", "words.txt"], words),
        applet("sort -t, -k3n", &["sort", "-t,", "-k3,3n", "table.csv"], table),
        applet("uniq -c", &["uniq", "-c", "words.txt"], words),
        applet("uniq -d", &["uniq", "-d", "words.txt"], words),
        with_stdin(applet("tr a-z A-Z", &["tr", "a-z", "A-Z"], &[]), b"Hello, World!\n"),
        with_stdin(applet("tr -d", &["tr", "-d", "aeiou"], &[]), b"education is fun\n"),
        with_stdin(applet("tr -s", &["tr", "-s", " "], &[]), b"a   b  c    d\n"),
        applet("sed -n p", &["sed", "-n", "2,4p", "words.txt"], words),
        applet(
            "sed s///g",
            &["sed", "-e", "s/an/AN/g", "-e", "/^c/d", "words.txt"],
            words,
        ),
        applet(
            "sed -E groups",
            &["sed", "-E", "s/^([a-z]+),([a-z]+),/\\2:\\1:/", "table.csv"],
            table,
        ),
        applet(
            "awk sums",
            &[
                "awk",
                "-F,",
                "NR > 1 { s += $3; n++; by[$2] += $3 } \
                 END { printf \"%d %.3f\\n\", s, s / n; print by[\"eng\"], by[\"ops\"], by[\"sales\"] }",
                "table.csv",
            ],
            table,
        ),
        applet(
            "awk math",
            &[
                "awk",
                "BEGIN { print sin(1), cos(2), exp(2), log(10), sqrt(2), int(-3.7), 2^10; \
                 print length(\"hello\"), substr(\"busybox\", 2, 3), toupper(\"x\"), index(\"abc\", \"c\"); \
                 printf \"%.10g %5.1f %x\\n\", atan2(1, 1) * 4, 1e3 / 7, 48879 }",
            ],
            &[],
        ),
        applet(
            "awk fields",
            &["awk", "{ print NR \": \" $NF \" (\" NF \")\" }", "words.txt"],
            words,
        ),
        applet("grep -n", &["grep", "-n", "an", "words.txt"], words),
        applet("grep -c -v", &["grep", "-c", "-v", "e", "words.txt"], words),
        applet("grep -E -i", &["grep", "-E", "-i", "^(a|d)", "words.txt"], words),
        applet("grep no match", &["grep", "kiwi", "words.txt"], words),
        applet("grep missing file", &["grep", "x", "missing.txt"], &[]),
        applet("cut -d -f", &["cut", "-d,", "-f1,3", "table.csv"], table),
        applet("cut -c", &["cut", "-c2-4", "words.txt"], words),
        applet("head -n", &["head", "-n", "3", "words.txt"], words),
        applet("tail -n", &["tail", "-n", "2", "words.txt"], words),
        applet("tail -c", &["tail", "-c", "12", "words.txt"], words),
        applet("wc", &["wc", "words.txt", "table.csv"], &["words.txt", "table.csv"]),
        applet("wc -l", &["wc", "-l", "words.txt"], words),
        applet("md5sum", &["md5sum", "words.txt", "table.csv"], &["words.txt", "table.csv"]),
        applet("sha1sum", &["sha1sum", "words.txt"], words),
        applet("sha256sum", &["sha256sum", "words.txt"], words),
        applet("sha512sum", &["sha512sum", "table.csv"], table),
        applet("od -t x1z", &["od", "-A", "x", "-t", "x1z", "table.csv"], table),
        applet("od -c", &["od", "-c", "words.txt"], words),
        applet("hexdump -C", &["hexdump", "-C", "table.csv"], table),
        applet("base64", &["base64", "words.txt"], words),
        applet("expr arith", &["expr", "6", "*", "7", "+", "1"], &[]),
        applet("expr match", &["expr", "abcdef", ":", "a\\(.*\\)e"], &[]),
        applet("expr zero is false", &["expr", "3", "-", "3"], &[]),
        applet("expr division by zero", &["expr", "1", "/", "0"], &[]),
        applet("seq", &["seq", "5"], &[]),
        applet("seq -s -w", &["seq", "-s", ",", "-w", "8", "3", "20"], &[]),
        applet("seq fractional", &["seq", "1", "0.25", "2"], &[]),
        applet("basename", &["basename", "/a/b/c.txt", ".txt"], &[]),
        applet("dirname", &["dirname", "/a/b/c.txt"], &[]),
        applet("test true", &["test", "3", "-lt", "4"], &[]),
        applet("[ false", &["[", "abc", "=", "abd", "]"], &[]),
        applet("test syntax error", &["test", "1", "-eq"], &[]),
        applet("true", &["true"], &[]),
        applet("false", &["false"], &[]),
        applet(
            "date -d",
            &["date", "-d", "2021-03-04 05:06:07", "+%Y-%m-%d %H:%M:%S %j %A %s"],
            &[],
        ),
        applet("date -u -d @", &["date", "-u", "-d", "@1700000000"], &[]),
        applet("date -R", &["date", "-R", "-d", "1999-12-31 23:59:59"], &[]),
        applet("cal", &["cal", "2", "2024"], &[]),
        with_stdin(applet("bc", &["bc", "-l"], &[]), b"scale=30\n4*a(1)\n2^100\n"),
        with_stdin(applet("dc", &["dc"], &[]), b"2 64 ^ p 7 3 / p\n"),
        applet("factor", &["factor", "360", "1000003", "600851475143"], &[]),
        applet("rev", &["rev", "words.txt"], words),
        applet("tac", &["tac", "table.csv"], table),
        applet("nl", &["nl", "-ba", "words.txt"], words),
        applet("fold", &["fold", "-w", "4", "table.csv"], table),
        applet("paste", &["paste", "-d:", "words.txt", "table.csv"], &["words.txt", "table.csv"]),
        applet("unknown applet", &["no-such-applet"], &[]),
    ];
    check("applets", &cases);
}

/// stdout of `busybox ARGS` under qemu: the input of a second step.
fn qemu_stdout(args: &[&str], stdin: &[u8], files: &[&str]) -> Vec<u8> {
    let case = with_stdin(applet("stage", args, files), stdin);
    let dir = scratch_dir(&format!("busybox-stage-{}", std::process::id()))
        .join(args.join("_").replace('/', "_"));
    let run = run_guest(
        &Runner::Qemu,
        &case.invocation,
        &dir,
        Duration::from_secs(60),
    );
    assert_eq!(
        run.outcome,
        Outcome::Exit(0),
        "busybox {args:?} under qemu: {}",
        String::from_utf8_lossy(&run.stderr)
    );
    run.stdout
}

/// Builds d/sub/f, d/g and d/h.txt with fixed times, then runs `last`. Only NOFORK
/// applets (mkdir, touch, link...) and builtins may come before the last command, which
/// must be NOFORK or NOEXEC: the shell runs those without forking.
fn tree_script(last: &str) -> String {
    format!(
        "mkdir -p d/sub && echo one > d/sub/f && printf 'two\\n2\\n' > d/g && echo three > d/h.txt \
         && touch -d '2020-02-03 04:05:06' d/sub/f d/g d/h.txt d/sub d && {last}"
    )
}

/// A ustar archive of d/sub/f and d/h.txt made by the host's tar (an independent
/// implementation), with fixed owners, modes and times.
fn host_tar() -> Vec<u8> {
    let dir = scratch_dir(&format!("busybox-tree-{}", std::process::id()));
    std::fs::create_dir_all(dir.join("d/sub")).expect("creating the tree");
    std::fs::write(dir.join("d/sub/f"), "one\n").expect("writing d/sub/f");
    std::fs::write(dir.join("d/h.txt"), "three\n").expect("writing d/h.txt");
    let out = std::process::Command::new("tar")
        .args([
            "--format=ustar",
            "--owner=0",
            "--group=0",
            "--numeric-owner",
        ])
        .args(["--mode=u=rwX,go=rX", "--mtime=@1580702706", "--sort=name"])
        .args(["-cf", "-", "d/sub", "d/h.txt"])
        .current_dir(&dir)
        .output()
        .expect("running the host's tar");
    assert!(
        out.status.success(),
        "host tar: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let _ = std::fs::remove_dir_all(&dir);
    out.stdout
}

#[test]
fn archives_and_files_match_qemu() {
    require_tools();
    let original = std::fs::read(input("words.txt")).expect("words.txt");
    let gz = qemu_stdout(&["gzip", "-c"], &original, &[]);
    assert_eq!(&gz[..2], b"\x1f\x8b", "gzip output is not a gzip stream");
    let back = qemu_stdout(&["gunzip", "-c"], &gz, &[]);
    assert_eq!(back, original, "gunzip(gzip(words.txt)) under qemu");
    let tar = host_tar();
    let content = qemu_stdout(&["tar", "-xOf", "-", "d/sub/f"], &tar, &[]);
    assert_eq!(
        content, b"one\n",
        "busybox tar reading the host's tar, under qemu"
    );
    let seq = qemu_stdout(&["seq", "20000"], b"", &[]);
    let bz = qemu_stdout(&["bzip2", "-c"], &seq, &[]);

    let cases = vec![
        with_stdin(applet("gzip -c", &["gzip", "-c"], &[]), &original),
        with_stdin(applet("gzip -9 -c", &["gzip", "-9", "-c"], &[]), &seq),
        with_stdin(applet("gunzip -c", &["gunzip", "-c"], &[]), &gz),
        with_stdin(
            applet("gunzip corrupt", &["gunzip", "-c"], &[]),
            &gz[..gz.len() / 2],
        ),
        with_stdin(applet("bzip2 -c", &["bzip2", "-c"], &[]), &seq),
        with_stdin(applet("bunzip2 -c", &["bunzip2", "-c"], &[]), &bz),
        with_stdin(applet("xz -d fails on gzip", &["xz", "-d", "-c"], &[]), &gz),
        with_stdin(applet("tar -tvf", &["tar", "-tvf", "-"], &[]), &tar),
        with_stdin(applet("tar -xvf", &["tar", "-xvf", "-"], &[]), &tar),
        with_stdin(
            applet("tar -xOf", &["tar", "-xOf", "-", "d/h.txt"], &[]),
            &tar,
        ),
        script("find", &tree_script("find d -type f -name '*' -size -1k")),
        script(
            "find -newer",
            &tree_script("touch d/new && find d -newer d/g"),
        ),
        script("ls -lnR", &tree_script("ls -lnR d")),
        script("ls -1a", &tree_script("ls -1a d d/sub")),
        script("stat -c", &tree_script("stat -c '%n %s %a %Y' d/g d/h.txt")),
        script(
            "link truncate ls",
            &tree_script("link d/g d/hard && truncate -s 3 d/h.txt && ls -lnR d"),
        ),
        script(
            "unlink rmdir realpath",
            &tree_script("unlink d/g && rmdir d/sub; cd d && realpath -e missing; realpath -e h.txt > /dev/null && ls -1"),
        ),
        applet(
            "md5sum -c",
            &["md5sum", "-c", "sums.md5"],
            &["sums.md5", "words.txt", "table.csv"],
        ),
    ];
    check("files", &cases);
}

#[test]
fn shell_builtins_match_qemu() {
    require_tools();
    let cases = vec![
        script(
            "while and for",
            "i=0; while [ $i -lt 5 ]; do i=$((i + 1)); printf '%d ' $i; done; echo; \
             for w in a 'b c' d; do echo \"<$w>\"; done",
        ),
        script(
            "recursive function",
            "fact() { if [ \"$1\" -le 1 ]; then R=1; else fact $(($1 - 1)); R=$((R * $1)); fi; }; \
             fact 20; echo $R",
        ),
        script(
            "local variables",
            "x=global; f() { local x=inner; echo $x; }; f; echo $x",
        ),
        script(
            "arithmetic",
            "echo $((7 / 2)) $((-7 % 3)) $((0x1f)) $((1 << 62)) $((3 > 2 ? 10 : 20)) \
             $((2 ** 40)) $(( (5 + 3) * -2 )) $((9223372036854775807 + 1))",
        ),
        script(
            "parameter expansion",
            "p=/usr/lib/libfoo.so.1; echo ${p##*/} ${p%.*} ${p#/usr} ${#p} ${unset:-def} \
             ${p/lib/LIB} ${p//lib/L}; u=; echo \"${u:=now}\" $u",
        ),
        script(
            "case",
            "for f in a.c b.h README x.tar.gz; do case $f in *.c) echo C;; *.h) echo H;; \
             *.tar.*) echo archive;; *) echo other;; esac; done",
        ),
        script(
            "here-document read loop",
            "while IFS=: read -r user id; do echo \"$id=$user\"; done <<EOF\nroot:0\nbin:1\n\
             daemon:2\nEOF",
        ),
        script(
            "getopts and shift",
            "set -- -a -b val -c x y; while getopts ab:c o; do echo \"$o ${OPTARG:-}\"; done; \
             shift $((OPTIND - 1)); echo \"rest: $* ($#)\"",
        ),
        script(
            "eval and set --",
            "set -- one two three; eval \"echo \\$$#\"; echo \"$2\"",
        ),
        script("trap EXIT", "trap 'echo bye' EXIT; echo hi; exit 3"),
        script(
            "set -e",
            "set -e; true; if false; then :; fi; false; echo not reached",
        ),
        script(
            "set -e function status",
            "set -e; f() { return 3; }; f; echo no",
        ),
        script("set -u", "set -u; echo ${nosuchvar}"),
        script(
            "exit status",
            "false || echo recovered; ! true; echo $?; exit 42",
        ),
        script("syntax error", "if then fi"),
        script("command not found", "nosuchcommand"),
        script(
            "printf and test builtins",
            "[ -d / ] && [ ! -f / ] && printf '%s-%03d\\n' x 7",
        ),
        script(
            "redirections",
            "echo to-file > f; echo more >> f; read a < f; echo $a; echo err >&2",
        ),
        // seq is NOEXEC: `exec` runs it in the shell's process, without execve.
        script("exec of a NOEXEC applet", "exec seq 2; echo not reached"),
        script(
            "nofork applets",
            "basename /x/y.c .c; dirname /x/y; mkdir -p a/b; cd a/b; echo \"${PWD#\"$OLDPWD\"}\"; \
             true && ! false && echo ok; seq 3",
        ),
    ];
    check("shell builtins", &cases);
}

/// A script with its expected stdout, stderr and exit status; `qemu` when it only forks
/// (no execve), so qemu-user can run it too.
struct Expected {
    name: &'static str,
    script: String,
    stdout: &'static str,
    stderr: &'static str,
    status: i32,
    qemu: bool,
}

impl Expected {
    fn with_stderr(self, stderr: &'static str) -> Self {
        Expected { stderr, ..self }
    }
}

fn expect(
    name: &'static str,
    script: &str,
    stdout: &'static str,
    status: i32,
    qemu: bool,
) -> Expected {
    Expected {
        name,
        script: script.to_string(),
        stdout,
        stderr: "",
        status,
        qemu,
    }
}

fn check_expected(what: &str, cases: &[Expected]) {
    require_vm();
    let mut runners: Vec<Runner> = engines()
        .into_iter()
        .map(|engine| Runner::Vm { engine })
        .collect();
    runners.push(Runner::Qemu);
    let jobs: Vec<(usize, &Runner)> = cases
        .iter()
        .enumerate()
        .flat_map(|(c, case)| {
            runners
                .iter()
                .filter(move |r| case.qemu || **r != Runner::Qemu)
                .map(move |r| (c, r))
        })
        .collect();
    let root = scratch_dir(&format!("busybox-{what}-{}", std::process::id()));
    let timeout = vm_timeout(Duration::from_secs(120));
    let results = parallel_map(&jobs, worker_threads(), |&(c, runner)| {
        let inv = script(cases[c].name, &cases[c].script).invocation;
        let dir = root.join(format!("{c:03}-{}", runner.label().replace(' ', "_")));
        run_guest(runner, &inv, &dir, timeout)
    });
    let mut failures = Vec::new();
    for (&(c, runner), run) in jobs.iter().zip(&results) {
        let case = &cases[c];
        let mut report = String::new();
        if run.outcome != Outcome::Exit(case.status) {
            let _ = writeln!(
                report,
                "  status: expected {}, got {}",
                case.status, run.outcome
            );
        }
        if run.stdout != case.stdout.as_bytes() {
            let _ = write!(
                report,
                "  stdout differs (\"qemu\" = expected):\n{}",
                first_difference(case.stdout.as_bytes(), &run.stdout)
            );
        }
        if run.stderr != case.stderr.as_bytes() {
            let _ = writeln!(
                report,
                "  stderr: expected {:?}, got {:?}",
                case.stderr,
                String::from_utf8_lossy(&run.stderr)
            );
        }
        if !report.is_empty() {
            failures.push(format!("{} under {}:\n{report}", case.name, runner.label()));
        }
    }
    if failures.is_empty() {
        let _ = std::fs::remove_dir_all(&root);
    }
    assert!(
        failures.is_empty(),
        "{} busybox {what} runs differ from the expected output:\n\n{}",
        failures.len(),
        failures.join("\n")
    );
}

/// Scripts that fork but never execve: subshells, command substitution, pipelines of
/// builtins and of applets busybox runs in the forked child without re-executing itself
/// (NOFORK and NOEXEC applets such as seq, sort, head, md5sum, awk).
#[test]
fn shell_fork_scripts_give_linux_results() {
    require_tools();
    let cases = vec![
        expect(
            "subshell status and cwd",
            "(exit 3); echo $?; (cd /; pwd); [ \"$PWD\" != / ] && echo unchanged",
            "3\n/\nunchanged\n",
            0,
            true,
        ),
        expect(
            "command substitution",
            "x=$(echo hi; echo there); echo \"[$x]\"; echo $(echo $(echo deep)) $(basename /a/b.c .c)",
            "[hi\nthere]\ndeep b\n",
            0,
            true,
        ),
        expect(
            "builtin pipeline",
            "echo hello | { read x; echo \"got $x\"; }; printf 'a b\\nc d\\n' | while read p q; do echo $q$p; done",
            "got hello\nba\ndc\n",
            0,
            true,
        ),
        expect(
            "pipeline status",
            "false | true; echo $?; true | false; echo $?; ! false | false; echo $?; \
             set -o pipefail; false | true; echo $?",
            "0\n1\n0\n1\n",
            0,
            true,
        ),
        expect(
            "noexec applet pipeline",
            "seq 10 | sort -rn | head -n 3; seq 1000 | md5sum; seq 5 | awk '{s+=$1} END {print s}'",
            "10\n9\n8\n\
             53d025127ae99ab79e8502aae2d9bea6  -\n15\n",
            0,
            true,
        ),
        expect(
            "background subshell and wait",
            "(exit 7) & wait $!; echo \"status $?\"; (echo child) & wait; echo parent",
            "status 7\nchild\nparent\n",
            0,
            true,
        ),
        expect("exit status of a subshell script", "(set -e; false; echo no); echo $?", "1\n", 0, true),
    ];
    check_expected("fork", &cases);
}

/// Scripts that need execve: applets that are neither NOFORK nor NOEXEC (tr, wc, gzip,
/// tar, sleep, sh...) run by re-executing busybox through `/proc/self/exe`, plus `exec`,
/// `#!` scripts, find -exec and xargs. vm only: qemu-user would need binfmt_misc.
#[test]
fn shell_exec_scripts_give_linux_results() {
    require_tools();
    let bb = busybox();
    let bb = bb.to_str().expect("UTF-8 path");
    let shebang = format!(
        "printf '#!{bb} sh\\necho \"script $0 got $*\"\\nexit 4\\n' > s.sh && chmod +x s.sh; \
         ./s.sh a 'b c'; echo \"status $?\""
    );
    let cases = vec![
        expect(
            "exec",
            "echo abc > f; exec tr a b < f; echo not reached",
            "bbc\n",
            0,
            false,
        ),
        expect("pipeline of three", "echo hello world | tr a-z A-Z | wc -c", "12\n", 0, false),
        expect(
            "pipeline into tr",
            "echo hello world | tr a-z A-Z; printf 'b\\na\\nb\\n' | sort | uniq -c | sort -rn | head -n 1",
            "HELLO WORLD\n      2 b\n",
            0,
            false,
        ),
        expect(
            "command substitution of a pipeline",
            "n=$(seq 100 | wc -l); echo \"n=$n\" $((n * 2))",
            "n=100 200\n",
            0,
            false,
        ),
        expect(
            "gzip round trip through pipes",
            "seq 1000 | gzip -c | gunzip -c | md5sum; seq 1000 | gzip | gzip -d | tail -n 1",
            "53d025127ae99ab79e8502aae2d9bea6  -\n1000\n",
            0,
            false,
        ),
        expect(
            "tar through a pipe",
            "mkdir -p d/sub && echo one > d/sub/f && tar -cf - d | tar -tf -; \
             tar -cf - d | tar -xOf - d/sub/f",
            "d/\nd/sub/\nd/sub/f\none\n",
            0,
            false,
        ),
        expect(
            "xargs",
            "printf '1 2\\n3\\n' | xargs -n 2 echo x; seq 3 | xargs sh -c 'echo $# args: $*' sh",
            "x 1 2\nx 3\n3 args: 1 2 3\n",
            0,
            false,
        ),
        expect(
            "find -exec",
            "mkdir -p d && echo content > d/f.txt && find d -name '*.txt' -exec cat {} +",
            "content\n",
            0,
            false,
        ),
        expect(
            "background jobs and wait",
            "(sleep 0.2; echo late) & echo early; sh -c 'exit 5' & p=$!; wait $p; echo \"status $?\"; wait; echo all",
            "early\nstatus 5\nlate\nall\n",
            0,
            false,
        ),
        expect(
            "environment reaches the child",
            "X=outer; export X; Y=local; sh -c 'echo \"child sees $X and [$Y]\"'; echo after",
            "child sees outer and []\nafter\n",
            0,
            false,
        ),
        expect(
            "stderr through a pipe",
            "{ echo out; echo err >&2; } 2>&1 | sort",
            "err\nout\n",
            0,
            false,
        ),
        expect(
            "exit status of a child shell",
            "sh -c 'exit 7'; echo $?; sh -c 'kill -TERM $$'; echo $?",
            "7\n143\n",
            0,
            false,
        )
        // ash reports a foreground child killed by a signal.
        .with_stderr("Terminated\n"),
        expect("shebang script run by busybox", &shebang, "script ./s.sh got a b c\nstatus 4\n", 0, false),
    ];
    check_expected("exec", &cases);
}
