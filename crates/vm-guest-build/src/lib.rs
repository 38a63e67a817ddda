//! Building the C programs that vm's tests and benchmarks run: small test programs,
//! Lua, SQLite and zlib from the sources that registry crates bundle, and busybox and
//! bash from Debian's source packages; for the guest (RISC-V 64, with the cross
//! compiler) or for the host (x86-64, with `cc`, the native side of a benchmark).
//!
//! - [`Target`]: which compiler, its version (part of every cache key) and, for RISC-V,
//!   its sysroot.
//! - [`Build`]: one compiler invocation, cached in a directory under a name that ends in
//!   a hash of everything that affects its output.
//! - [`RegistrySources`]: where `cargo metadata` says the Lua, SQLite and zlib sources
//!   are, and how each of those programs is compiled around a caller's `main`.
//! - [`busybox`]: busybox for RISC-V (static) or the host, configured and built out of
//!   tree.
//! - [`bash`]: bash for RISC-V or the host, with the helpers of its test suite.
//! - [`debian_rootfs`]: a riscv64 Debian root filesystem (bash, coreutils, perl,
//!   python3, gcc...) from a Debian mirror, for running real distribution binaries;
//!   [`debian_first_stage`]: debootstrap's unfinished minimal system, for a second
//!   stage run under vm.
//! - [`GoBuild`]: Go programs and standard-library test binaries, cross-compiled with
//!   the host's `go`, cached the same way.
//!
//! Invariants: a cached binary is reused only when its key (compiler version, flags,
//! names and bytes of every source and header) matches; a binary appears in the cache
//! by rename, complete, so concurrent processes never see half of one; older builds of
//! the same program for the same target are removed once a newer one is in place.

mod bash;
mod busybox;
mod cache;
mod compile;
mod debian_rootfs;
mod debian_source;
mod go;
mod registry;
mod toolchain;

pub use bash::{bash, Bash, BUILD_FILES, TEST_HELPERS};
pub use busybox::{busybox, Busybox};
pub use cache::KeyHasher;
pub use compile::{Build, PendingBuild};
pub use debian_rootfs::{debian_first_stage, debian_rootfs, DebianFirstStage, DebianRootfs};
pub use go::{go_root, go_version, GoBuild, GoSource};
pub use registry::RegistrySources;
pub use toolchain::{Target, INTERP};

use std::path::PathBuf;

/// Why a program could not be built.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// A compiler or build tool is missing or does not start.
    #[error("`{tool}` is not runnable ({reason}): {hint}")]
    MissingTool {
        tool: String,
        reason: String,
        hint: &'static str,
    },
    /// Reading, writing or listing a file failed.
    #[error("{action} {}: {error}", path.display())]
    Io {
        action: &'static str,
        path: PathBuf,
        error: std::io::Error,
    },
    /// A compiler, `make` or a helper script ran and failed.
    #[error("{what} failed ({status}):\n{stderr}")]
    Failed {
        what: String,
        status: String,
        stderr: String,
    },
    /// The inputs are not what the build expects (a package missing from the
    /// dependency graph, a source tree without its files, a configuration not kept).
    #[error("{0}")]
    Inputs(String),
}

impl Error {
    fn io(action: &'static str, path: impl Into<PathBuf>, error: std::io::Error) -> Error {
        Error::Io {
            action,
            path: path.into(),
            error,
        }
    }
}

pub type Result<T, E = Error> = std::result::Result<T, E>;
