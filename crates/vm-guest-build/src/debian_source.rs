//! Debian source packages (busybox, bash), unpacked with Debian's patches applied by
//! `scripts/debian-source` (run by `scripts/install-deps`, or from here when its cache is
//! missing).
//!
//! Invariant: the unpacked tree is only read: builds from it are out of tree, and the
//! package's `.dsc` (which names the upstream tarball and Debian's patches by SHA-256)
//! stands for all of it in a cache key.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use crate::{Error, Result};

const SOURCE_SCRIPT: &str = "scripts/debian-source";

/// An unpacked source package.
pub(crate) struct DebianSource {
    /// The patched source tree.
    pub(crate) dir: PathBuf,
    /// The bytes of the package's `.dsc`.
    pub(crate) dsc: Vec<u8>,
}

/// The unpacked, patched source of `package` (cached in `cache`), fetched by
/// `scripts/debian-source` under the workspace `root` if needed. `marker` is a file
/// every tree of that package has (e.g. `Makefile`), checked to catch a wrong tree.
pub(crate) fn debian_source(
    root: &Path,
    package: &str,
    cache: &Path,
    marker: &str,
) -> Result<DebianSource> {
    let script = root.join(SOURCE_SCRIPT);
    let out = Command::new(&script)
        .arg(package)
        .arg(cache)
        .stderr(Stdio::inherit())
        .output()
        .map_err(|e| Error::io("running", &script, e))?;
    if !out.status.success() {
        return Err(Error::Failed {
            what: format!("{} {package}", script.display()),
            status: out.status.to_string(),
            stderr: "it needs apt-get and dpkg-dev (scripts/install-deps sets both up when \
                     run as root or with sudo)"
                .to_string(),
        });
    }
    let dir = PathBuf::from(String::from_utf8_lossy(&out.stdout).trim());
    if !dir.join(marker).is_file() {
        return Err(Error::Inputs(format!(
            "{} is not a {package} source tree (it has no {marker})",
            dir.display()
        )));
    }
    let dsc = dir
        .parent()
        .ok_or_else(|| Error::Inputs(format!("{} has no parent", dir.display())))?
        .join(format!("{package}.dsc"));
    let dsc = fs::read(&dsc).map_err(|e| Error::io("reading", &dsc, e))?;
    Ok(DebianSource { dir, dsc })
}
