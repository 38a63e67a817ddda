//! A riscv64 Debian root filesystem, so that tests can run real, unmodified Debian
//! programs (bash, coreutils, perl, python3, gcc...) under vm and qemu-user with it as
//! the `-L` sysroot.
//!
//! The root is made once per cache directory: `debootstrap --foreign --variant=minbase`
//! downloads the packages of the first suite of [`SUITES`] that works (trixie; forky
//! when the mirror's trixie index is inconsistent, as happens while a point release
//! propagates), checked against the signed release file with the host's Debian
//! keyring, and extracts the Priority: required ones; every other package of
//! [`PACKAGES`] and their dependencies are only downloaded by a first stage, so each
//! `.deb` is then extracted with the host's `dpkg-deb -x`. No maintainer script runs
//! (they would need a riscv64 machine): there are no alternatives links (`awk`, `cc`);
//! only `/etc/passwd`, `/etc/group` and `/etc/nsswitch.conf` are copied from where
//! their packages keep them, and gcc's cross-tool include directory is hidden (see
//! [`TOOL_INCLUDE`]). Two programs of the root run once under qemu-riscv64-static, as
//! the maintainer scripts would run them: ldconfig makes `/etc/ld.so.cache`, and
//! python3 byte-compiles its standard library, so that test runs neither write into
//! the root nor compile every module they import.
//!
//! Making it needs root (or passwordless `sudo`): debootstrap makes device nodes and
//! root-owned files, and ldconfig chroots. Using it does not.
//!
//! The mirror is the one this machine's apt sources use for its own Debian release
//! (`VM_DEBIAN_MIRROR` overrides it; `VM_DEBIAN_SUITE` picks one suite). Nothing about
//! the mirror is written in the repository.
//!
//! Invariants: a root is used only once it is complete: it is built in a directory
//! named for the building process and renamed to `rootfs-<key>` after its last step,
//! so a killed build leaves only a `.build-*` directory, which the next build removes.
//! Builds are serialised by an exclusive `flock` on `.lock` in the cache directory,
//! across threads and processes; readers of a finished root take no lock. The key
//! hashes the recipe (format version, suites, packages), so changing it makes a new
//! root and removes the old ones.

use std::fmt::Write as _;
use std::fs;
use std::os::unix::io::AsRawFd as _;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use crate::cache::KeyHasher;
use crate::{Error, Result};

/// The suites tried in order, unless `VM_DEBIAN_SUITE` names one.
pub const SUITES: &[&str] = &["trixie", "forky"];

/// Packages installed beyond the Priority: required set (with their dependencies).
pub const PACKAGES: &[&str] = &[
    "python3",
    "perl",
    "gcc",
    "libc6-dev",
    "xz-utils",
    "make",
    "nodejs",
];

/// Bumped when the steps that make a root change in a way its contents show.
const FORMAT: &str = "1";

const QEMU: &str = "qemu-riscv64-static";
const DEBOOTSTRAP_SCRIPTS: &str = "/usr/share/debootstrap/scripts";
const INSTALL_HINT: &str = "`apt-get install debootstrap`, or run scripts/install-deps";
const QEMU_HINT: &str = "`apt-get install qemu-user-static`, or run scripts/install-deps";

/// A finished root filesystem.
#[derive(Clone, Debug)]
pub struct DebianRootfs {
    /// The root directory: pass it as `-L` to vm and qemu.
    pub root: PathBuf,
    /// The suite it was made from (`trixie`, `forky`).
    pub suite: String,
    /// The `.deb` files it was made from (`name_version_arch.deb`), sorted.
    pub packages: Vec<String>,
}

/// The root filesystem in `cache` (e.g. `target/debian-rootfs-riscv64`), made first
/// if it is not there: about 30 s and 750 MB with a nearby mirror. Fails with the
/// command that failed and the end of its output.
pub fn debian_rootfs(cache: &Path) -> Result<DebianRootfs> {
    let suites = suites();
    let mut key = KeyHasher::new();
    key.add(FORMAT.as_bytes())
        .add(suites.join(" ").as_bytes())
        .add(PACKAGES.join(" ").as_bytes());
    made_once(cache, "rootfs-", &key.key(), finished, |work| {
        let root = work.join("root");
        let suite = bootstrap(&root, work, &mirror()?, &suites, PACKAGES)?;
        let packages = extract_packages(&root)?;
        configure(&root)?;
        make_library_cache(&root)?;
        compile_python(&root)?;
        fs::write(work.join("suite"), format!("{suite}\n"))
            .map_err(|e| Error::io("writing", work.join("suite"), e))?;
        fs::write(work.join("packages"), packages.join("\n") + "\n")
            .map_err(|e| Error::io("writing", work.join("packages"), e))
    })
}

/// The entry `PREFIX<key>` of `cache`, as `read` finds it, made first by `make` if it
/// is not there: in a `.build-<pid>` directory (which `make` needs root to fill),
/// under the cache's lock, renamed into place once complete; older entries with the
/// same prefix and unfinished builds are removed.
fn made_once<T>(
    cache: &Path,
    prefix: &str,
    key: &str,
    read: impl Fn(&Path) -> Result<Option<T>>,
    make: impl FnOnce(&Path) -> Result<()>,
) -> Result<T> {
    let dir = cache.join(format!("{prefix}{key}"));
    if let Some(done) = read(&dir)? {
        return Ok(done);
    }
    fs::create_dir_all(cache).map_err(|e| Error::io("creating", cache, e))?;
    let _lock = Lock::exclusive(&cache.join(".lock"))?;
    // Another thread or process may have made it while this one waited.
    if let Some(done) = read(&dir)? {
        return Ok(done);
    }
    remove_others(cache, None, ".build-");
    require_root()?;
    let work = cache.join(format!(".build-{}", std::process::id()));
    fs::create_dir_all(&work).map_err(|e| Error::io("creating", &work, e))?;
    make(&work)?;
    fs::rename(&work, &dir).map_err(|e| Error::io("renaming into", &dir, e))?;
    remove_others(cache, Some(&dir), prefix);
    read(&dir)?.ok_or_else(|| Error::Inputs(format!("{} vanished", dir.display())))
}

/// A debootstrap first stage of the minimal (`minbase`) riscv64 system: its packages
/// unpacked and not configured, with debootstrap's own files in `/debootstrap`, so that
/// `/debootstrap/debootstrap --second-stage` run inside it (on a riscv64 machine, or
/// under an emulator) installs them with dpkg and their maintainer scripts.
#[derive(Clone, Debug)]
pub struct DebianFirstStage {
    /// The unfinished root. It is shared: copy it (`cp -a`, it has device nodes and
    /// root-owned files) and finish the copy.
    pub root: PathBuf,
    /// The suite it was made from.
    pub suite: String,
    /// The names of the packages the second stage installs, sorted.
    pub packages: Vec<String>,
}

/// The first stage in `cache`, made first if it is not there (about 15 s and 200 MB
/// with a nearby mirror; needs root, as for [`debian_rootfs`]). Made, kept and locked
/// as the root filesystem is.
pub fn debian_first_stage(cache: &Path) -> Result<DebianFirstStage> {
    let suites = suites();
    let mut key = KeyHasher::new();
    key.add(FORMAT.as_bytes())
        .add(b"first stage")
        .add(suites.join(" ").as_bytes());
    let read = |dir: &Path| -> Result<Option<DebianFirstStage>> {
        let Ok(suite) = fs::read_to_string(dir.join("suite")) else {
            return Ok(None);
        };
        let root = dir.join("root");
        let debpaths = root.join("debootstrap/debpaths");
        let list = fs::read_to_string(&debpaths).map_err(|e| Error::io("reading", &debpaths, e))?;
        let mut packages: Vec<String> = list
            .lines()
            .filter_map(|l| l.split_whitespace().next())
            .map(str::to_string)
            .collect();
        packages.sort();
        Ok(Some(DebianFirstStage {
            root,
            suite: suite.trim().to_string(),
            packages,
        }))
    };
    made_once(cache, "first-stage-", &key.key(), read, |work| {
        let suite = bootstrap(&work.join("root"), work, &mirror()?, &suites, &[])?;
        fs::write(work.join("suite"), format!("{suite}\n"))
            .map_err(|e| Error::io("writing", work.join("suite"), e))
    })
}

/// The suites to try: `VM_DEBIAN_SUITE`, or [`SUITES`].
fn suites() -> Vec<String> {
    match std::env::var("VM_DEBIAN_SUITE") {
        Ok(s) if !s.trim().is_empty() => vec![s.trim().to_string()],
        _ => SUITES.iter().map(|s| s.to_string()).collect(),
    }
}

/// The root in `dir` if it was finished (it has its `suite` file only then).
fn finished(dir: &Path) -> Result<Option<DebianRootfs>> {
    let suite_file = dir.join("suite");
    let Ok(suite) = fs::read_to_string(&suite_file) else {
        return Ok(None);
    };
    let list = dir.join("packages");
    let packages = fs::read_to_string(&list).map_err(|e| Error::io("reading", &list, e))?;
    Ok(Some(DebianRootfs {
        root: dir.join("root"),
        suite: suite.trim().to_string(),
        packages: packages.lines().map(str::to_string).collect(),
    }))
}

/// Removes the entries of `cache` whose names start with `prefix`, except `keep`:
/// unfinished builds (under the lock, none is in progress) or older roots. Best effort.
fn remove_others(cache: &Path, keep: Option<&Path>, prefix: &str) {
    let Ok(entries) = fs::read_dir(cache) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        let ours = entry.file_name().to_string_lossy().starts_with(prefix);
        if ours && Some(path.as_path()) != keep {
            let _ = fs::remove_dir_all(&path);
        }
    }
}

/// An exclusive `flock`, released when dropped (the descriptor closes).
struct Lock(#[allow(dead_code)] fs::File);

impl Lock {
    fn exclusive(path: &Path) -> Result<Lock> {
        let file = fs::OpenOptions::new()
            .create(true)
            .truncate(false)
            .write(true)
            .open(path)
            .map_err(|e| Error::io("opening", path, e))?;
        loop {
            // SAFETY: flock only reads the descriptor, which `file` keeps open.
            if unsafe { libc::flock(file.as_raw_fd(), libc::LOCK_EX) } == 0 {
                return Ok(Lock(file));
            }
            let e = std::io::Error::last_os_error();
            if e.kind() != std::io::ErrorKind::Interrupted {
                return Err(Error::io("locking", path, e));
            }
        }
    }
}

/// The Debian mirror to download from: `VM_DEBIAN_MIRROR`, or the URI of this
/// machine's apt source for its own Debian release.
fn mirror() -> Result<String> {
    if let Ok(m) = std::env::var("VM_DEBIAN_MIRROR") {
        if !m.trim().is_empty() {
            return Ok(m.trim().to_string());
        }
    }
    let unusable = |why: String| {
        Error::Inputs(format!(
            "{why}: cannot tell which Debian mirror to download the riscv64 root \
             filesystem from; set VM_DEBIAN_MIRROR to a Debian mirror's URL"
        ))
    };
    let os_release = fs::read_to_string("/etc/os-release").unwrap_or_default();
    let field = |name: &str| {
        os_release.lines().find_map(|l| {
            let v = l.strip_prefix(name)?.strip_prefix('=')?;
            Some(v.trim_matches('"').to_string())
        })
    };
    if field("ID").as_deref() != Some("debian") {
        return Err(unusable("this machine does not run Debian".to_string()));
    }
    let codename = field("VERSION_CODENAME")
        .filter(|c| !c.is_empty())
        .ok_or_else(|| unusable("no VERSION_CODENAME in /etc/os-release".to_string()))?;
    let mut files = vec![PathBuf::from("/etc/apt/sources.list")];
    if let Ok(entries) = fs::read_dir("/etc/apt/sources.list.d") {
        let mut more: Vec<PathBuf> = entries.flatten().map(|e| e.path()).collect();
        more.sort();
        files.extend(more);
    }
    for file in files {
        let Ok(text) = fs::read_to_string(&file) else {
            continue;
        };
        let uris = match file.extension().and_then(|e| e.to_str()) {
            Some("sources") => deb822_uris(&text, &codename),
            _ if file.extension().is_none_or(|e| e == "list") => one_line_uris(&text, &codename),
            _ => Vec::new(),
        };
        if let Some(uri) = uris.into_iter().next() {
            return Ok(uri);
        }
    }
    Err(unusable(format!(
        "no `deb` entry for suite {codename} in /etc/apt/sources.list(.d)"
    )))
}

/// URIs of the deb822 stanzas (`*.sources`) of type `deb` that list `codename` itself
/// among their suites (not `codename-security` or `-updates`: those hold no full
/// release).
fn deb822_uris(text: &str, codename: &str) -> Vec<String> {
    let mut uris = Vec::new();
    for stanza in text.split("\n\n") {
        let field = |name: &str| -> Vec<&str> {
            stanza
                .lines()
                .filter(|l| !l.starts_with('#'))
                .find_map(|l| l.strip_prefix(name)?.strip_prefix(':'))
                .map(|v| v.split_whitespace().collect())
                .unwrap_or_default()
        };
        let enabled = !field("Enabled").contains(&"no");
        if enabled && field("Types").contains(&"deb") && field("Suites").contains(&codename) {
            uris.extend(field("URIs").into_iter().map(str::to_string));
        }
    }
    uris
}

/// URIs of the one-line entries (`deb [options] URI SUITE COMPONENTS...`) whose suite
/// is `codename`.
fn one_line_uris(text: &str, codename: &str) -> Vec<String> {
    let mut uris = Vec::new();
    for line in text.lines() {
        let mut words = line.split_whitespace();
        if words.next() != Some("deb") {
            continue;
        }
        let mut rest: Vec<&str> = words.collect();
        if rest.first().is_some_and(|w| w.starts_with('[')) {
            let end = rest
                .iter()
                .position(|w| w.ends_with(']'))
                .unwrap_or(rest.len());
            rest.drain(..(end + 1).min(rest.len()));
        }
        if let [uri, suite, ..] = rest[..] {
            if suite == codename {
                uris.push(uri.to_string());
            }
        }
    }
    uris
}

/// Runs debootstrap's first stage into `root` for the first suite that works, and
/// returns it. `work` holds the logs.
fn bootstrap(
    root: &Path,
    work: &Path,
    mirror: &str,
    suites: &[String],
    include: &[&str],
) -> Result<String> {
    let mut failures = String::new();
    for suite in suites {
        let _ = fs::remove_dir_all(root);
        let mut cmd = privileged("debootstrap");
        cmd.args(["--foreign", "--arch=riscv64", "--variant=minbase"]);
        if !include.is_empty() {
            cmd.arg(format!("--include={}", include.join(",")));
        }
        cmd.arg(suite).arg(root).arg(mirror);
        // The host's debootstrap may predate the suite; Debian's suites since trixie
        // are all bootstrapped like sid.
        if !Path::new(DEBOOTSTRAP_SCRIPTS).join(suite).exists() {
            cmd.arg(Path::new(DEBOOTSTRAP_SCRIPTS).join("sid"));
        }
        let log = work.join(format!("debootstrap-{suite}.log"));
        let status = run_logged(&mut cmd, &log, "debootstrap", INSTALL_HINT)?;
        if status.success() {
            give_to_user(root)?;
            return Ok(suite.clone());
        }
        let _ = writeln!(failures, "$ {}\n{status}", shown(&cmd));
        failures += &tail(&log, 25);
        let inner = root.join("debootstrap/debootstrap.log");
        if inner.is_file() {
            let _ = writeln!(failures, "end of {}:", inner.display());
            failures += &tail(&inner, 15);
        }
        failures.push('\n');
    }
    Err(Error::Failed {
        what: format!(
            "debootstrap of a riscv64 Debian root ({})",
            suites.join(", then ")
        ),
        status: "no suite could be bootstrapped".to_string(),
        stderr: failures,
    })
}

fn is_root() -> bool {
    // SAFETY: geteuid has no preconditions and cannot fail.
    unsafe { libc::geteuid() == 0 }
}

/// Fails early, saying why, when the steps that need root (debootstrap makes device
/// nodes and root-owned files; ldconfig chroots) cannot run: not root, and no
/// passwordless sudo.
fn require_root() -> Result<()> {
    if is_root() {
        return Ok(());
    }
    let sudo = Command::new("sudo")
        .args(["-n", "true"])
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success());
    if sudo {
        return Ok(());
    }
    Err(Error::Inputs(
        "making the riscv64 Debian root filesystem needs root (debootstrap makes device \
         nodes and root-owned files): run the tests as root once, or with passwordless \
         sudo; the root filesystem is kept for later runs"
            .to_string(),
    ))
}

/// `program` run as root: directly when this process is root, else through `sudo -n`.
fn privileged(program: &str) -> Command {
    if is_root() {
        return Command::new(program);
    }
    let mut cmd = Command::new("sudo");
    cmd.args(["-n", program]);
    cmd
}

/// Gives the files that privileged steps made under `root` to the user running the
/// build (when that is not root), so it can extract into the tree, rename it and,
/// later, remove it.
fn give_to_user(root: &Path) -> Result<()> {
    if is_root() {
        return Ok(());
    }
    // SAFETY: geteuid and getegid have no preconditions and cannot fail.
    let owner = format!("{}:{}", unsafe { libc::geteuid() }, unsafe {
        libc::getegid()
    });
    let mut cmd = privileged("chown");
    cmd.args(["-R", &owner]).arg(root);
    check_output(
        &mut cmd,
        "sudo",
        "passwordless sudo, or run the tests as root",
    )
}

/// Extracts every `.deb` that the first stage downloaded into `root`, then removes
/// them and debootstrap's own files; returns the `.deb` names, sorted.
fn extract_packages(root: &Path) -> Result<Vec<String>> {
    let archives = root.join("var/cache/apt/archives");
    let mut debs: Vec<PathBuf> = fs::read_dir(&archives)
        .map_err(|e| Error::io("listing", &archives, e))?
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == "deb"))
        .collect();
    debs.sort();
    let names = debs
        .iter()
        .map(|d| {
            d.file_name()
                .unwrap_or_default()
                .to_string_lossy()
                .into_owned()
        })
        .collect();
    for deb in &debs {
        let mut cmd = Command::new("dpkg-deb");
        cmd.arg("-x").arg(deb).arg(root);
        check_output(&mut cmd, "dpkg-deb", "`apt-get install dpkg`")?;
        fs::remove_file(deb).map_err(|e| Error::io("removing", deb, e))?;
    }
    let own = root.join("debootstrap");
    fs::remove_dir_all(&own).map_err(|e| Error::io("removing", &own, e))?;
    Ok(names)
}

/// Files that maintainer scripts would make, copied from where the packages keep them
/// (base-passwd's, libc-bin's postinst), so that no lookup of them falls through the
/// `-L` sysroot to the host's own.
const CONFIGURED: &[(&str, &str)] = &[
    ("usr/share/base-passwd/passwd.master", "etc/passwd"),
    ("usr/share/base-passwd/group.master", "etc/group"),
    ("usr/share/libc-bin/nsswitch.conf", "etc/nsswitch.conf"),
];

/// gcc's include directory for the target's own tools, which a native Debian system
/// does not have, but a host with the riscv64 cross compiler has, full of its own
/// glibc's headers; gcc would take them through the `-L` lookup (a path missing in the
/// sysroot is looked up on the host). A link there to the multiarch include directory,
/// which gcc searches right after it, makes gcc see one directory twice and drop the
/// second: the search is then exactly a native system's.
const TOOL_INCLUDE: (&str, &str) = (
    "usr/riscv64-linux-gnu/include",
    "../include/riscv64-linux-gnu",
);

/// Does what the maintainer scripts would have done that running programs notices.
fn configure(root: &Path) -> Result<()> {
    for (from, to) in CONFIGURED {
        let (from, to) = (root.join(from), root.join(to));
        if !to.exists() {
            fs::copy(&from, &to)
                .map_err(|e| Error::io("copying into the root filesystem", &from, e))?;
        }
    }
    let (link, target) = TOOL_INCLUDE;
    let link = root.join(link);
    if let Some(dir) = link.parent() {
        fs::create_dir_all(dir).map_err(|e| Error::io("creating", dir, e))?;
    }
    std::os::unix::fs::symlink(target, &link).map_err(|e| Error::io("linking", &link, e))
}

/// Makes `/etc/ld.so.cache` (what libc-bin's postinst does), so that the dynamic
/// linker finds libraries as on a native system instead of reading the host's cache
/// through the `-L` lookup. The guest's ldconfig (static) runs under qemu, chrooted
/// into the root by its own `-r`, so that nothing outside the root is written.
fn make_library_cache(root: &Path) -> Result<()> {
    let mut cmd = privileged(QEMU);
    cmd.arg(root.join("usr/sbin/ldconfig"))
        .arg("-r")
        .arg(root)
        .env_clear()
        .env("LC_ALL", "C");
    check_output(&mut cmd, QEMU, QEMU_HINT)?;
    give_to_user(root)
}

/// Byte-compiles Python's standard library (what Debian's python3 postinst does),
/// running the guest's python3 under qemu with the new root as its sysroot. The host
/// paths of the sources are given, so that the files are written into the root, and
/// `-s ROOT -p /` records the guest's paths in them.
fn compile_python(root: &Path) -> Result<()> {
    let lib = root.join("usr/lib");
    let mut dirs: Vec<PathBuf> = fs::read_dir(&lib)
        .map_err(|e| Error::io("listing", &lib, e))?
        .flatten()
        .map(|e| e.path())
        .filter(|p| {
            let name = p.file_name().unwrap_or_default().to_string_lossy();
            name.starts_with("python3") && (p.join("os.py").is_file() || name == "python3")
        })
        .collect();
    dirs.sort();
    if dirs.is_empty() {
        return Err(Error::Inputs(format!(
            "no Python standard library under {}",
            lib.display()
        )));
    }
    let mut cmd = Command::new(QEMU);
    cmd.arg("-L")
        .arg(root)
        .arg(root.join("usr/bin/python3"))
        .args(["-m", "compileall", "-q", "-s"])
        .arg(root)
        .args(["-p", "/"])
        .args(&dirs)
        .env_clear()
        .env("LC_ALL", "C")
        .env("PATH", "/usr/bin:/bin");
    check_output(&mut cmd, QEMU, QEMU_HINT)
}

/// Runs `cmd` with stdout and stderr both going to `log`; a command that does not
/// start is a missing `tool`.
fn run_logged(
    cmd: &mut Command,
    log: &Path,
    tool: &str,
    hint: &'static str,
) -> Result<std::process::ExitStatus> {
    let out = fs::File::create(log).map_err(|e| Error::io("creating", log, e))?;
    let err = out
        .try_clone()
        .map_err(|e| Error::io("duplicating", log, e))?;
    cmd.stdin(Stdio::null()).stdout(out).stderr(err);
    cmd.status().map_err(|e| Error::MissingTool {
        tool: tool.to_string(),
        reason: e.to_string(),
        hint,
    })
}

/// Runs `cmd` and fails with its command line and the end of its output unless it
/// succeeds.
fn check_output(cmd: &mut Command, tool: &str, hint: &'static str) -> Result<()> {
    let out = cmd
        .stdin(Stdio::null())
        .output()
        .map_err(|e| Error::MissingTool {
            tool: tool.to_string(),
            reason: e.to_string(),
            hint,
        })?;
    if out.status.success() {
        return Ok(());
    }
    let mut text = String::from_utf8_lossy(&out.stdout).into_owned();
    text += &String::from_utf8_lossy(&out.stderr);
    Err(Error::Failed {
        what: shown(cmd),
        status: out.status.to_string(),
        stderr: last_lines(&text, 25),
    })
}

/// A command line as a user would type it.
fn shown(cmd: &Command) -> String {
    std::iter::once(cmd.get_program())
        .chain(cmd.get_args())
        .map(|a| a.to_string_lossy().into_owned())
        .collect::<Vec<_>>()
        .join(" ")
}

fn tail(path: &Path, lines: usize) -> String {
    let bytes = fs::read(path).unwrap_or_default();
    last_lines(&String::from_utf8_lossy(&bytes), lines)
}

fn last_lines(text: &str, n: usize) -> String {
    let lines: Vec<&str> = text.lines().collect();
    let mut out = lines[lines.len().saturating_sub(n)..].join("\n");
    out.push('\n');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn deb822_stanzas_of_the_release_itself_give_their_uris() {
        let text = "Types: deb deb-src\nURIs: http://mirror.example/debian\n\
                    Suites: bookworm bookworm-updates\nComponents: main\n\n\
                    Types: deb\nURIs: http://mirror.example/debian-security\n\
                    Suites: bookworm-security\nComponents: main\n\n\
                    Types: deb\nURIs: http://off.example/\nSuites: bookworm\nEnabled: no\n";
        assert_eq!(
            deb822_uris(text, "bookworm"),
            vec!["http://mirror.example/debian".to_string()]
        );
        assert!(deb822_uris(text, "trixie").is_empty());
    }

    #[test]
    fn one_line_entries_skip_options_and_other_suites() {
        let text = "# deb http://commented.example/ bookworm main\n\
                    deb-src http://src.example/ bookworm main\n\
                    deb [arch=amd64 signed-by=/k.gpg] http://a.example/debian bookworm main\n\
                    deb http://b.example/debian bookworm-security main\n\
                    deb http://c.example/debian bookworm main contrib\n";
        assert_eq!(
            one_line_uris(text, "bookworm"),
            vec![
                "http://a.example/debian".to_string(),
                "http://c.example/debian".to_string()
            ]
        );
    }

    #[test]
    fn unfinished_builds_are_not_roots_and_are_removed() {
        let cache = std::env::temp_dir().join(format!("vm-rootfs-test-{}", std::process::id()));
        let _ = fs::remove_dir_all(&cache);
        let partial = cache.join("rootfs-0123");
        fs::create_dir_all(partial.join("root/usr")).unwrap();
        assert!(finished(&partial).unwrap().is_none());
        fs::write(partial.join("suite"), "forky\n").unwrap();
        fs::write(partial.join("packages"), "a_1_riscv64.deb\nb_2_all.deb\n").unwrap();
        let done = finished(&partial).unwrap().unwrap();
        assert_eq!(done.suite, "forky");
        assert_eq!(done.packages, ["a_1_riscv64.deb", "b_2_all.deb"]);
        assert_eq!(done.root, partial.join("root"));

        fs::create_dir_all(cache.join(".build-99/root")).unwrap();
        fs::create_dir_all(cache.join("rootfs-old/root")).unwrap();
        remove_others(&cache, None, ".build-");
        remove_others(&cache, Some(&partial), "rootfs-");
        let left: Vec<String> = fs::read_dir(&cache)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        assert_eq!(left, ["rootfs-0123"]);
        fs::remove_dir_all(&cache).unwrap();
    }
}
