//! The two compilers: the RISC-V 64 cross compiler for guest programs and the host's
//! `cc` for the native builds that benchmarks compare against.
//!
//! Invariant: a compiler's identity in a cache key is the first line of its
//! `--version`, which names the program and its version, asked once per process.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::OnceLock;

use crate::{Error, Result};

/// The dynamic linker RISC-V 64 glibc programs name in PT_INTERP.
pub const INTERP: &str = "/lib/ld-linux-riscv64-lp64d.so.1";

const RISCV_HINT: &str = "install the RISC-V cross toolchain: \
    `apt-get install gcc-riscv64-linux-gnu` (Debian/Ubuntu), or run scripts/install-deps";
const HOST_HINT: &str = "install a C compiler for the host: `apt-get install gcc`";

/// What a program is built for.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Target {
    /// The guest: `riscv64-linux-gnu-gcc`, glibc, Linux.
    Riscv64,
    /// The host, x86-64: `cc`.
    X86_64,
}

impl Target {
    /// The compiler driver.
    pub fn compiler(self) -> &'static str {
        match self {
            Target::Riscv64 => "riscv64-linux-gnu-gcc",
            Target::X86_64 => "cc",
        }
    }

    /// The name of the target in file names.
    pub fn tag(self) -> &'static str {
        match self {
            Target::Riscv64 => "riscv64",
            Target::X86_64 => "x86_64",
        }
    }

    /// The flags of an optimised, stand-alone program: static and rv64gc for the guest
    /// (it must run under qemu-user and vm without a sysroot), plain `-O2` natively.
    pub fn program_flags(self) -> &'static [&'static str] {
        match self {
            Target::Riscv64 => &["-static", "-O2", "-march=rv64gc"],
            Target::X86_64 => &["-O2"],
        }
    }

    fn install_hint(self) -> &'static str {
        match self {
            Target::Riscv64 => RISCV_HINT,
            Target::X86_64 => HOST_HINT,
        }
    }

    pub(crate) fn missing(self, reason: String) -> Error {
        Error::MissingTool {
            tool: self.compiler().to_string(),
            reason,
            hint: self.install_hint(),
        }
    }

    /// The first line of `<compiler> --version`; fails, with how to install it, when the
    /// compiler does not run.
    pub fn version(self) -> Result<&'static str> {
        static RISCV64: OnceLock<Result<String, String>> = OnceLock::new();
        static X86_64: OnceLock<Result<String, String>> = OnceLock::new();
        let cell = match self {
            Target::Riscv64 => &RISCV64,
            Target::X86_64 => &X86_64,
        };
        let version = cell.get_or_init(|| {
            let out = Command::new(self.compiler())
                .arg("--version")
                .stdin(Stdio::null())
                .output()
                .map_err(|e| e.to_string())?;
            if !out.status.success() {
                return Err(format!("--version: {}", out.status));
            }
            Ok(String::from_utf8_lossy(&out.stdout)
                .lines()
                .next()
                .unwrap_or("")
                .to_string())
        });
        version
            .as_deref()
            .map_err(|reason| self.missing(reason.clone()))
    }

    /// The sysroot of the RISC-V cross compiler (its glibc and dynamic linker, e.g.
    /// `/usr/riscv64-linux-gnu`), found through the compiler so that dynamic programs
    /// run with the libraries they were linked against.
    pub fn riscv64_sysroot() -> Result<PathBuf> {
        let target = Target::Riscv64;
        target.version()?;
        let name = Path::new(INTERP).file_name().expect("INTERP names a file");
        let out = Command::new(target.compiler())
            .arg(format!("-print-file-name={}", name.to_string_lossy()))
            .output()
            .map_err(|e| target.missing(e.to_string()))?;
        let printed = String::from_utf8_lossy(&out.stdout).trim().to_string();
        // `<sysroot>/lib/ld-linux-riscv64-lp64d.so.1`; gcc prints the bare name when it
        // has no such file.
        fs::canonicalize(&printed)
            .ok()
            .and_then(|ld| Some(ld.parent()?.parent()?.to_path_buf()))
            .ok_or_else(|| {
                target.missing(format!(
                    "it knows no {} (printed {printed:?})",
                    name.to_string_lossy()
                ))
            })
    }
}
