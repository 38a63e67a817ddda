//! Making a riscv64 Debian system the way cross-architecture users do: debootstrap's
//! first stage on the host, then its second stage run inside the new root under `vm`
//! (`chroot ROOT /vm run /bin/sh /debootstrap/debootstrap --second-stage`). That stage is
//! dpkg installing every package of the minimal system: thousands of guest processes
//! (dpkg, its maintainer scripts in sh and perl, update-alternatives, ldconfig,
//! triggers), all of them started through guest `execve`s inside a changed root, with
//! /proc mounted by debootstrap itself. dpkg is the judge: it must end with every
//! package installed and nothing for `dpkg --audit` to report, and the system must then
//! run its own programs.

mod common;

use common::*;
use std::fs;
use std::os::unix::process::CommandExt;
use std::path::Path;
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

/// The second stage takes about 1.5 minutes on two idle cores.
const SECOND_STAGE_TIMEOUT: Duration = Duration::from_secs(20 * 60);

const GUEST_PATH: &str = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

fn is_root() -> bool {
    // SAFETY: geteuid has no preconditions and cannot fail.
    unsafe { libc::geteuid() == 0 }
}

/// `/vm run ARGS` inside `root`, in a mount namespace of its own (so that what the
/// guest mounts, debootstrap's /proc, goes when it ends, even if it is killed), with a
/// fresh environment; output to `log`; killed with its process group after `timeout`.
fn run_in_root(root: &Path, args: &[&str], log: &Path, timeout: Duration) -> Output {
    let out = fs::File::create(log).unwrap_or_else(|e| panic!("creating {}: {e}", log.display()));
    let err = out.try_clone().expect("duplicating the log descriptor");
    let mut child = Command::new("unshare")
        .args(["--mount", "--propagation", "private", "/usr/sbin/chroot"])
        .arg(root)
        .arg("/vm")
        .arg("run")
        .args(args)
        .env_clear()
        .env("PATH", GUEST_PATH)
        .env("HOME", "/root")
        .env("LC_ALL", "C")
        .stdin(Stdio::null())
        .stdout(out)
        .stderr(err)
        .process_group(0)
        .spawn()
        .expect("starting unshare (util-linux)");
    let start = Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().expect("waiting for the second stage") {
            break status;
        }
        if start.elapsed() > timeout {
            // SAFETY: kill(2) of the process group the child leads; no pointers.
            unsafe { libc::kill(-(child.id() as i32), libc::SIGKILL) };
            let _ = child.wait();
            panic!(
                "`{}` did not end within {timeout:?}; end of its output:\n{}",
                args.join(" "),
                tail(log)
            );
        }
        std::thread::sleep(Duration::from_millis(50));
    };
    Output {
        status,
        stdout: fs::read(log).unwrap_or_default(),
        stderr: Vec::new(),
    }
}

fn tail(log: &Path) -> String {
    let text = String::from_utf8_lossy(&fs::read(log).unwrap_or_default()).into_owned();
    let lines: Vec<&str> = text.lines().collect();
    lines[lines.len().saturating_sub(40)..].join("\n")
}

#[test]
fn debootstrap_second_stage_under_vm_installs_a_working_system() {
    require_tools();
    require_vm();
    if !is_root() {
        eprintln!("skipped: debootstrap's stages and chroot need root");
        return;
    }
    let first = vm_guest_build::debian_first_stage(&target_dir().join("debian-first-stage"))
        .unwrap_or_else(|e| panic!("making debootstrap's first stage: {e}"));
    println!(
        "debootstrap first stage of Debian {}: {} packages",
        first.suite,
        first.packages.len()
    );
    assert!(
        first.packages.iter().any(|p| p == "dpkg") && first.packages.len() > 50,
        "an implausible package list: {:?}",
        first.packages
    );

    // A killed run's copy (200 MB) goes now; one test process at a time uses these.
    if let Ok(entries) = fs::read_dir(env!("CARGO_TARGET_TMPDIR")) {
        for entry in entries.flatten() {
            if entry
                .file_name()
                .to_string_lossy()
                .starts_with("debootstrap-")
            {
                let _ = fs::remove_dir_all(entry.path());
            }
        }
    }
    let scratch = scratch_dir(&format!("debootstrap-{}", std::process::id()));
    let root = scratch.join("root");
    let copied = Command::new("cp")
        .arg("-a")
        .arg(&first.root)
        .arg(&root)
        .status()
        .expect("running cp");
    assert!(copied.success(), "copying the first stage failed: {copied}");
    fs::copy(vm_binary(), root.join("vm")).expect("copying vm into the new root");

    let log = scratch.join("second-stage.log");
    let start = Instant::now();
    let out = run_in_root(
        &root,
        &["/bin/sh", "/debootstrap/debootstrap", "--second-stage"],
        &log,
        vm_timeout(SECOND_STAGE_TIMEOUT),
    );
    println!("second stage under vm: {:.1?}", start.elapsed());
    assert!(
        out.status.success() && tail(&log).contains("I: Base system installed successfully."),
        "the second stage failed ({}); end of its output:\n{}\nend of /var/log/bootstrap.log:\n{}",
        out.status,
        tail(&log),
        tail(&root.join("var/log/bootstrap.log"))
    );

    // dpkg's own verdict: nothing half-installed, unpacked but unconfigured, or missing.
    let audit = run_in_root(
        &root,
        &["/usr/bin/dpkg", "--audit"],
        &scratch.join("audit.log"),
        Duration::from_secs(120),
    );
    assert!(
        audit.status.success() && audit.stdout.is_empty(),
        "dpkg --audit ({}):\n{}",
        audit.status,
        String::from_utf8_lossy(&audit.stdout)
    );
    let query = run_in_root(
        &root,
        &[
            "/usr/bin/dpkg-query",
            "-W",
            "-f",
            "${Package} ${db:Status-Abbrev}\\n",
        ],
        &scratch.join("query.log"),
        Duration::from_secs(120),
    );
    assert!(query.status.success(), "dpkg-query: {}", query.status);
    let listing = String::from_utf8_lossy(&query.stdout).into_owned();
    let mut installed: Vec<String> = Vec::new();
    for line in listing.lines() {
        let (name, status) = line.split_once(' ').unwrap_or((line, ""));
        assert_eq!(
            status.trim_end(),
            "ii",
            "{name} is not installed:\n{listing}"
        );
        installed.push(name.split(':').next().unwrap_or(name).to_string());
    }
    installed.sort();
    assert_eq!(installed, first.packages, "installed packages differ");

    // What maintainer scripts and triggers leave behind.
    let passwd = fs::read_to_string(root.join("etc/passwd")).expect("reading /etc/passwd");
    assert!(
        passwd.starts_with("root:x:0:0:root:/root:/bin/bash\n"),
        "base-passwd's postinst did not write /etc/passwd:\n{passwd}"
    );
    assert!(
        root.join("etc/ld.so.cache").is_file(),
        "libc-bin's ldconfig trigger did not run"
    );
    let awk =
        fs::read_link(root.join("etc/alternatives/awk")).expect("reading the awk alternative");
    assert_eq!(
        awk,
        Path::new("/usr/bin/mawk"),
        "update-alternatives for awk"
    );

    // The finished system runs its own programs, through its own alternatives.
    let run = run_in_root(
        &root,
        &[
            "/bin/bash",
            "-c",
            "awk 'BEGIN { print 6 * 7 }' && id -un && dpkg-query -W -f '${Version}\\n' \
             base-files | grep -c . && echo done",
        ],
        &scratch.join("run.log"),
        Duration::from_secs(120),
    );
    assert_eq!(
        String::from_utf8_lossy(&run.stdout),
        "42\nroot\n1\ndone\n",
        "{}",
        run.status
    );
    assert!(run.status.success());
    let _ = fs::remove_dir_all(&scratch);
}
