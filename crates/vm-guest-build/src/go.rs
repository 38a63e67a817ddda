//! Go programs and Go standard-library test binaries, cross-compiled with the host's
//! `go` toolchain: static (`CGO_ENABLED=0`), `GOOS=linux`, `GOARCH=riscv64` for the
//! guest or `amd64` for the host, `-trimpath` so that the paths in tracebacks do not
//! depend on where the sources are.
//!
//! Invariants: a build's key covers the toolchain's `go version` line, the target, the
//! flags in order and what is built (a source file's name and bytes, or a standard
//! package's import path, whose sources are the toolchain's); `go` runs with its build
//! cache, module cache and environment file under the cache directory given, never in
//! the source tree or the user's home, and with no `GOFLAGS` from the environment.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::OnceLock;

use crate::cache::{self, KeyHasher};
use crate::{Error, Result, Target};

const GO_HINT: &str = "install the Go toolchain: `apt-get install golang-go` \
    (Debian/Ubuntu), or run scripts/install-deps";

/// What a Go build compiles.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum GoSource {
    /// A `package main` program in one file (`go build FILE`).
    File(PathBuf),
    /// The tests of a standard-library package (`go test -c PKG`), e.g. `"strconv"`.
    StdTest(String),
}

/// One `go build` or `go test -c`, cached as `<name>-<target>-<key>`.
#[derive(Clone, Debug)]
pub struct GoBuild {
    pub name: String,
    pub target: Target,
    pub source: GoSource,
    /// Extra flags of `go build`/`go test -c`, e.g. `-tags=timetzdata`.
    pub flags: Vec<String>,
}

impl GoBuild {
    fn goarch(&self) -> &'static str {
        match self.target {
            Target::Riscv64 => "riscv64",
            Target::X86_64 => "amd64",
        }
    }

    fn key(&self) -> Result<String> {
        let mut h = KeyHasher::new();
        h.add(go_version()?.as_bytes())
            .add(self.goarch().as_bytes());
        for f in &self.flags {
            h.add(f.as_bytes());
        }
        match &self.source {
            GoSource::File(path) => {
                h.add(b"file").add(
                    path.file_name()
                        .map(|n| n.as_encoded_bytes())
                        .unwrap_or_default(),
                );
                h.add_file(path)?;
            }
            GoSource::StdTest(pkg) => {
                h.add(b"std test").add(pkg.as_bytes());
            }
        }
        Ok(h.key())
    }

    /// Builds into the cache `dir` unless an up-to-date binary is already there, and
    /// returns its path. `go`'s own build cache lives in `dir/go-cache`.
    pub fn run(&self, dir: &Path) -> Result<PathBuf> {
        let entry = cache::entry(dir, &self.name, self.target, &self.key()?);
        if entry.is_file() {
            cache::prune_others(&entry);
            return Ok(entry);
        }
        fs::create_dir_all(dir).map_err(|e| Error::io("creating", dir, e))?;
        let tmp = cache::temporary(dir, &self.name);
        let mut cmd = go_command(dir);
        cmd.env("GOOS", "linux")
            .env("GOARCH", self.goarch())
            .env("CGO_ENABLED", "0");
        match &self.source {
            GoSource::File(path) => {
                // Built from the file's directory: no go.mod there or above, so the file
                // is the whole program (`command-line-arguments`).
                cmd.current_dir(path.parent().unwrap_or(Path::new(".")))
                    .args(["build", "-trimpath", "-buildvcs=false"])
                    .args(&self.flags)
                    .arg("-o")
                    .arg(&tmp)
                    .arg(path);
            }
            GoSource::StdTest(pkg) => {
                cmd.current_dir(dir)
                    .args(["test", "-c", "-trimpath"])
                    .args(&self.flags)
                    .arg("-o")
                    .arg(&tmp)
                    .arg(pkg);
            }
        }
        let what = format!("building {} for {} ({cmd:?})", self.name, self.target.tag());
        let out = cmd
            .stdin(Stdio::null())
            .output()
            .map_err(|e| missing_go(e.to_string()))?;
        if !out.status.success() || !tmp.is_file() {
            let _ = fs::remove_file(&tmp);
            let mut stderr = String::from_utf8_lossy(&out.stderr).into_owned();
            stderr.push_str(&String::from_utf8_lossy(&out.stdout));
            return Err(Error::Failed {
                what,
                status: out.status.to_string(),
                stderr,
            });
        }
        cache::install(&tmp, &entry)?;
        Ok(entry)
    }
}

/// `go` with its caches under `dir` and nothing from the caller's Go environment.
fn go_command(dir: &Path) -> Command {
    let mut cmd = Command::new("go");
    for var in [
        "GOFLAGS",
        "GOROOT",
        "GOPATH",
        "GOBIN",
        "GOEXPERIMENT",
        "GOAMD64",
    ] {
        cmd.env_remove(var);
    }
    cmd.env("GOCACHE", dir.join("go-cache"))
        .env("GOPATH", dir.join("go-path"))
        .env("GOENV", "off")
        .env("GOTOOLCHAIN", "local")
        .env("GO111MODULE", "on")
        .env("GOPROXY", "off");
    cmd
}

fn missing_go(reason: String) -> Error {
    Error::MissingTool {
        tool: "go".to_string(),
        reason,
        hint: GO_HINT,
    }
}

/// The first line of `go version` (e.g. `go version go1.19.8 linux/amd64`), asked once
/// per process; fails, with how to install it, when `go` does not run.
pub fn go_version() -> Result<&'static str> {
    static VERSION: OnceLock<Result<String, String>> = OnceLock::new();
    VERSION
        .get_or_init(|| {
            let out = Command::new("go")
                .arg("version")
                .env("GOTOOLCHAIN", "local")
                .stdin(Stdio::null())
                .output()
                .map_err(|e| e.to_string())?;
            if !out.status.success() {
                return Err(format!("`go version`: {}", out.status));
            }
            Ok(String::from_utf8_lossy(&out.stdout)
                .lines()
                .next()
                .unwrap_or("")
                .to_string())
        })
        .as_deref()
        .map_err(|reason| missing_go(reason.clone()))
}

/// The toolchain's `GOROOT`, where a standard package's tests find their `testdata`
/// (they run with the package's source directory as their working directory).
pub fn go_root() -> Result<PathBuf> {
    let out = Command::new("go")
        .args(["env", "GOROOT"])
        .env("GOTOOLCHAIN", "local")
        .env_remove("GOROOT")
        .stdin(Stdio::null())
        .output()
        .map_err(|e| missing_go(e.to_string()))?;
    let root = PathBuf::from(String::from_utf8_lossy(&out.stdout).trim());
    if !out.status.success() || !root.join("src").is_dir() {
        return Err(missing_go(format!(
            "`go env GOROOT` printed {:?}",
            root.display()
        )));
    }
    Ok(root)
}
