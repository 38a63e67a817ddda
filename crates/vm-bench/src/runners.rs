//! The runners a workload is measured under, and how each one turns a built program
//! plus arguments into a host command.
//!
//! Invariant: a runner that cannot run yet (the JIT runners before the JIT exists) is
//! reported as unavailable with its reason; it never gets numbers.
//!
//! The AOT cache: every vm JIT run gets a cache directory of its own per workload
//! ([`CacheUse`]). vm cold starts every timed run from an empty one; vm warm has one
//! untimed run fill it before its first timed run and keeps it.

use std::path::{Path, PathBuf};
use std::process::Command;

use anyhow::{bail, Context, Result};
use serde::Serialize;

use crate::workloads::Built;

/// One way of running a workload's programs.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Runner {
    /// `vm` with its JIT and an empty AOT cache (not built yet).
    VmCold,
    /// `vm` with its JIT and an AOT cache filled by one earlier run (not built yet).
    VmWarm,
    /// `vm run --engine interp`.
    VmInterp,
    /// `qemu-riscv64-static`, the reference for the ratios.
    Qemu,
    /// The same source built for x86-64 and run directly.
    Native,
}

impl Runner {
    /// Every runner, in the order the report lists them.
    pub const ALL: [Runner; 5] = [
        Runner::VmCold,
        Runner::VmWarm,
        Runner::VmInterp,
        Runner::Qemu,
        Runner::Native,
    ];

    /// The name used on the command line and in the JSON.
    pub fn key(self) -> &'static str {
        match self {
            Runner::VmCold => "vm-cold",
            Runner::VmWarm => "vm-warm",
            Runner::VmInterp => "vm-interp",
            Runner::Qemu => "qemu",
            Runner::Native => "native",
        }
    }

    /// The name used in the Markdown table and the chart.
    pub fn label(self) -> &'static str {
        match self {
            Runner::VmCold => "vm cold",
            Runner::VmWarm => "vm warm",
            Runner::VmInterp => "vm --engine interp",
            Runner::Qemu => "qemu-riscv64-static",
            Runner::Native => "native x86-64",
        }
    }

    /// What the runner is, in a few words, for the report.
    pub fn description(self) -> &'static str {
        match self {
            Runner::VmCold => "vm's JIT with an empty AOT cache",
            Runner::VmWarm => "vm's JIT with an AOT cache filled by one earlier run",
            Runner::VmInterp => "vm's IR interpreter only",
            Runner::Qemu => "qemu-user, the reference of the ratios",
            Runner::Native => "the same sources built for x86-64 with cc -O2",
        }
    }

    pub fn parse(key: &str) -> Result<Runner> {
        Runner::ALL
            .into_iter()
            .find(|r| r.key() == key)
            .with_context(|| {
                let keys: Vec<_> = Runner::ALL.iter().map(|r| r.key()).collect();
                format!("unknown runner {key:?} (known: {})", keys.join(", "))
            })
    }
}

/// What a runner does with its AOT cache directory.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CacheUse {
    /// No cache (the interpreter, qemu, native).
    None,
    /// Emptied before every timed run.
    Empty,
    /// Filled by one untimed run before the first timed run, then kept.
    Filled,
}

impl Runner {
    pub fn cache_use(self) -> CacheUse {
        match self {
            Runner::VmCold => CacheUse::Empty,
            Runner::VmWarm => CacheUse::Filled,
            Runner::VmInterp | Runner::Qemu | Runner::Native => CacheUse::None,
        }
    }
}

/// The host tools the runners use.
#[derive(Clone, Debug)]
pub struct Tools {
    pub vm: PathBuf,
    pub qemu: PathBuf,
}

impl Tools {
    /// Finds `vm` (given, or beside this executable) and qemu (on PATH).
    pub fn locate(vm: Option<PathBuf>) -> Result<Tools> {
        let vm = match vm {
            Some(p) => p,
            None => {
                let me = std::env::current_exe().context("locating vm-bench itself")?;
                me.with_file_name("vm")
            }
        };
        if !vm.is_file() {
            bail!(
                "no vm binary at {} (build it with `cargo build --release -p vm-cli`, or pass --vm PATH)",
                vm.display()
            );
        }
        let qemu = find_on_path("qemu-riscv64-static")
            .context("qemu-riscv64-static is not on PATH (scripts/install-deps installs it)")?;
        Ok(Tools { vm, qemu })
    }

    /// Whether `runner` can run today; `Err` carries the reason shown in the report.
    pub fn availability(&self, runner: Runner) -> Result<(), String> {
        match runner {
            Runner::VmCold | Runner::VmWarm => Err("n/a (no JIT yet)".to_string()),
            Runner::VmInterp | Runner::Qemu | Runner::Native => Ok(()),
        }
    }

    /// The host command that runs `program` with `args` under `runner`; `cache_dir` is
    /// the AOT cache directory of runners that use one.
    pub fn command(
        &self,
        runner: Runner,
        program: &Built,
        args: &[String],
        cache_dir: &Path,
    ) -> Result<Command> {
        let mut cmd = match runner {
            Runner::VmInterp => {
                let mut c = Command::new(&self.vm);
                c.args(["run", "--engine", "interp"]).arg(&program.guest);
                c
            }
            Runner::Qemu => {
                let mut c = Command::new(&self.qemu);
                c.arg(&program.guest);
                c
            }
            Runner::Native => Command::new(&program.native),
            // With the JIT: `vm run` with its cache directory set to `cache_dir`.
            Runner::VmCold | Runner::VmWarm => bail!(
                "runner {} is not available yet (no JIT; cache {})",
                runner.key(),
                cache_dir.display()
            ),
        };
        cmd.args(args);
        Ok(cmd)
    }
}

/// The first executable called `name` in a directory of PATH.
pub fn find_on_path(name: &str) -> Option<PathBuf> {
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path)
        .map(|dir| dir.join(name))
        .find(|p| is_executable(p))
}

fn is_executable(p: &Path) -> bool {
    use std::os::unix::fs::PermissionsExt;
    p.metadata()
        .map(|m| m.is_file() && m.permissions().mode() & 0o111 != 0)
        .unwrap_or(false)
}
