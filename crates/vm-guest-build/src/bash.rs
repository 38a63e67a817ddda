//! GNU bash built from Debian's bash source package: for riscv64 (the guest, dynamically
//! linked as Debian's own bash is) and for the host (x86-64), the reference that bash's
//! own test suite (`tests/` of the source) is compared with.
//!
//! `scripts/debian-source bash` (see [`crate::debian_source`]) unpacks the patched
//! source. This module configures it out of tree with Debian's options that change what
//! bash does (`--without-bash-malloc`, `--enable-largefile`), the bundled termcap library
//! on both sides (the riscv64 sysroot has no libtinfo, and the two builds must be alike),
//! and `-O2`, builds `bash` and the helpers `make check` builds for the tests (`recho`,
//! `zecho`, `printenv`, `xcase`, for the same target as bash), and caches them with the
//! generated headers the tests read (`config.h`, `version.h`) under a key hashed from the
//! compiler version, the package's `.dsc`, the configure answers and the command lines.
//!
//! Cross-compiling, configure cannot run the programs some of its checks need and
//! guesses, often not as Linux would answer (e.g. `WEXITSTATUS_OFFSET` 0, named pipes
//! missing). `tests/bash/config.site` gives the answers a native configure finds on
//! Linux with glibc, and the test suite checks that the two builds' `config.h` differ
//! only where the architectures do.
//!
//! Invariants: the unpacked source tree is never written to; the binary is installed
//! last, so a cached binary always has its helpers and headers.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use crate::cache::{self, KeyHasher};
use crate::debian_source::debian_source;
use crate::{Error, Result, Target};

/// Configure answers for the riscv64 cross build (see the module documentation).
const CONFIG_SITE: &str = "tests/bash/config.site";
/// The test helpers `make check` builds, installed beside the tests.
pub const TEST_HELPERS: &[&str] = &["recho", "zecho", "printenv", "xcase"];
/// Generated files of the build directory the tests read (`heredoc5.sub`).
pub const BUILD_FILES: &[&str] = &["config.h", "version.h"];
/// Bumped when the build steps change in a way the key does not see.
const RECIPE: &str = "bash recipe 1";

/// A bash build.
#[derive(Clone, Debug)]
pub struct Bash {
    pub binary: PathBuf,
    /// [`TEST_HELPERS`], each `(name, path)`.
    pub test_helpers: Vec<(String, PathBuf)>,
    /// [`BUILD_FILES`], each `(name, path)`.
    pub build_files: Vec<(String, PathBuf)>,
    /// The unpacked source tree (its `tests/` is bash's own test suite).
    pub source: PathBuf,
}

/// Builds bash for `target` into the cache `out_dir` (configure and make take about a
/// minute) unless it is there already. `root` is the workspace (the source script and
/// the configure answers), `source_cache` where the script keeps the unpacked source.
pub fn bash(root: &Path, source_cache: &Path, out_dir: &Path, target: Target) -> Result<Bash> {
    let source = debian_source(root, "bash", source_cache, "configure")?;
    let src = source.dir;
    let site_path = root.join(CONFIG_SITE);
    let site = match target {
        Target::Riscv64 => fs::read(&site_path).map_err(|e| Error::io("reading", &site_path, e))?,
        Target::X86_64 => Vec::new(),
    };
    let mut configure_args = vec![
        "--without-bash-malloc".to_string(),
        "--enable-largefile".to_string(),
    ];
    if target == Target::Riscv64 {
        configure_args.push("--build=x86_64-linux-gnu".to_string());
        configure_args.push("--host=riscv64-linux-gnu".to_string());
    }
    let configure_env = [
        ("CC", target.compiler()),
        ("CFLAGS", "-O2"),
        ("bash_cv_termcap_lib", "gnutermcap"),
    ];
    // The helpers are built with CC_FOR_BUILD: the target's compiler, not the build
    // machine's (cross-compiling, configure sets it to the host's `gcc`).
    let helper_args: Vec<String> = [
        format!("CC_FOR_BUILD={}", target.compiler()),
        "CFLAGS_FOR_BUILD=-O2".to_string(),
    ]
    .into_iter()
    .chain(TEST_HELPERS.iter().map(|h| h.to_string()))
    .collect();

    let mut key = KeyHasher::new();
    key.add(RECIPE.as_bytes())
        .add(target.version()?.as_bytes())
        .add(&source.dsc)
        .add(&site)
        .add(configure_args.join(" ").as_bytes())
        .add(format!("{configure_env:?}").as_bytes())
        .add(helper_args.join(" ").as_bytes());
    let key = key.key();
    let entry = cache::entry(out_dir, "bash", target, &key);
    let named = |names: &[&str]| -> Vec<(String, PathBuf)> {
        names
            .iter()
            .map(|n| {
                (
                    n.to_string(),
                    cache::entry(out_dir, &format!("bash-{n}"), target, &key),
                )
            })
            .collect()
    };
    let built = Bash {
        binary: entry.clone(),
        test_helpers: named(TEST_HELPERS),
        build_files: named(BUILD_FILES),
        source: src.clone(),
    };
    let others = || built.test_helpers.iter().chain(&built.build_files);
    if entry.is_file() && others().all(|(_, p)| p.is_file()) {
        cache::prune_others(&entry);
        others().for_each(|(_, p)| cache::prune_others(p));
        return Ok(built);
    }

    let obj = out_dir.join(format!(
        ".bash-build-{}-{}",
        target.tag(),
        std::process::id()
    ));
    let _ = fs::remove_dir_all(&obj);
    fs::create_dir_all(&obj).map_err(|e| Error::io("creating", &obj, e))?;
    let mut configure = Command::new(src.join("configure"));
    configure.args(&configure_args).current_dir(&obj);
    for (k, v) in configure_env {
        configure.env(k, v);
    }
    // CONFIG_SITE=/dev/null: no site file of this machine changes the native build.
    match target {
        Target::Riscv64 => configure.env("CONFIG_SITE", &site_path),
        Target::X86_64 => configure.env("CONFIG_SITE", "/dev/null"),
    };
    run(configure)?;
    let jobs = std::thread::available_parallelism().map_or(2, |n| n.get());
    let mut make = Command::new("make");
    make.arg(format!("-j{jobs}")).arg("bash").current_dir(&obj);
    run(make)?;
    let mut make = Command::new("make");
    make.args(&helper_args).current_dir(&obj);
    run(make)?;

    for (name, path) in others() {
        let tmp = cache::temporary(out_dir, &format!("bash-{name}"));
        let from = obj.join(name);
        fs::copy(&from, &tmp).map_err(|e| Error::io("copying", &from, e))?;
        cache::install(&tmp, path)?;
    }
    let tmp = cache::temporary(out_dir, "bash");
    fs::copy(obj.join("bash"), &tmp).map_err(|e| Error::io("copying bash to", &tmp, e))?;
    cache::install(&tmp, &entry)?;
    let _ = fs::remove_dir_all(&obj);
    Ok(built)
}

/// Runs a configure or make step with stdin from /dev/null; its output is shown only
/// when it fails (the end of it).
fn run(mut cmd: Command) -> Result<()> {
    cmd.stdin(Stdio::null());
    let program = cmd.get_program().to_string_lossy().into_owned();
    let out = cmd.output().map_err(|e| Error::MissingTool {
        tool: program,
        reason: e.to_string(),
        hint: "install make and a C compiler",
    })?;
    if out.status.success() {
        return Ok(());
    }
    let text = [out.stdout, out.stderr].concat();
    let text = String::from_utf8_lossy(&text);
    let tail: Vec<&str> = text.lines().rev().take(40).collect();
    let tail: Vec<&str> = tail.into_iter().rev().collect();
    Err(Error::Failed {
        what: format!("{cmd:?}"),
        status: out.status.to_string(),
        stderr: tail.join("\n"),
    })
}
