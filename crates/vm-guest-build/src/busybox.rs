//! busybox built from Debian's busybox source package: static for riscv64 (the guest),
//! and for the host (x86-64) as the reference that busybox's own test suite is compared
//! with.
//!
//! `scripts/debian-source busybox` (see [`crate::debian_source`]) unpacks the patched
//! source into a cache directory. This module
//! configures it with `make defconfig` plus the committed overrides in
//! `tests/busybox/config-overrides`, builds it out of tree (with
//! `CROSS_COMPILE=riscv64-linux-gnu-` for riscv64), and caches the binary and its
//! `.config` beside the other builds under a key hashed from the compiler version, the
//! source package's `.dsc` (which names the upstream tarball and Debian's patch tarball
//! by SHA-256), the overrides and the make command line.
//!
//! Invariants: the unpacked source tree is never written to (out-of-tree build); an
//! override that kconfig does not keep fails the build loudly; the binary is installed
//! last, so a cached binary always has its `.config`.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use crate::cache::{self, KeyHasher};
use crate::debian_source::debian_source;
use crate::{Error, Result, Target};

const OVERRIDES: &str = "tests/busybox/config-overrides";
const CROSS_COMPILE: &str = "riscv64-linux-gnu-";

/// A busybox build.
#[derive(Clone, Debug)]
pub struct Busybox {
    pub binary: PathBuf,
    /// The `.config` it was built with.
    pub config: PathBuf,
    /// The unpacked source tree (its `testsuite/` is busybox's own test suite).
    pub source: PathBuf,
}

/// Builds busybox for `target` into the cache `out_dir` (about a minute with two jobs)
/// unless it is there already. `root` is the workspace (the script and the overrides),
/// `source_cache` where the script keeps the unpacked source.
pub fn busybox(
    root: &Path,
    source_cache: &Path,
    out_dir: &Path,
    target: Target,
) -> Result<Busybox> {
    let source = debian_source(root, "busybox", source_cache, "Makefile")?;
    let (src, dsc) = (source.dir, source.dsc);
    let overrides_path = root.join(OVERRIDES);
    let overrides_text = fs::read_to_string(&overrides_path)
        .map_err(|e| Error::io("reading", &overrides_path, e))?;
    let overrides = overrides(&overrides_text);
    let jobs = std::thread::available_parallelism().map_or(2, |n| n.get());
    let mut make_args = vec![format!("-j{jobs}")];
    if target == Target::Riscv64 {
        make_args.push(format!("CROSS_COMPILE={CROSS_COMPILE}"));
    }
    make_args.push("busybox".to_string());

    let mut key = KeyHasher::new();
    key.add(target.version()?.as_bytes())
        .add(&dsc)
        .add(overrides_text.as_bytes())
        .add(make_args[1..].join(" ").as_bytes());
    let entry = cache::entry(out_dir, "busybox", target, &key.key());
    let config_entry = cache::entry(out_dir, "busybox-config", target, &key.key());
    let built = Busybox {
        binary: entry.clone(),
        config: config_entry.clone(),
        source: src.clone(),
    };
    if entry.is_file() && config_entry.is_file() {
        cache::prune_others(&entry);
        cache::prune_others(&config_entry);
        return Ok(built);
    }

    // Per target: the two builds may run at once (the bash test suite needs both).
    let obj = out_dir.join(format!(
        ".busybox-build-{}-{}",
        target.tag(),
        std::process::id()
    ));
    fs::create_dir_all(&obj).map_err(|e| Error::io("creating", &obj, e))?;
    make(&src, &obj, &["defconfig"])?;
    let config_path = obj.join(".config");
    let config =
        fs::read_to_string(&config_path).map_err(|e| Error::io("reading", &config_path, e))?;
    fs::write(&config_path, apply_overrides(&config, &overrides))
        .map_err(|e| Error::io("writing", &config_path, e))?;
    // New symbols that the overrides enable get their defaults (stdin is /dev/null).
    make(&src, &obj, &["oldconfig"])?;
    let config =
        fs::read_to_string(&config_path).map_err(|e| Error::io("reading", &config_path, e))?;
    for (symbol, line) in &overrides {
        if !config.lines().any(|l| l == line) {
            return Err(Error::Inputs(format!(
                "{OVERRIDES}: kconfig did not keep `{line}` (a dependency of {symbol} is off)"
            )));
        }
    }
    let args: Vec<&str> = make_args.iter().map(String::as_str).collect();
    make(&src, &obj, &args)?;

    let tmp = cache::temporary(out_dir, "busybox-config");
    fs::copy(&config_path, &tmp).map_err(|e| Error::io("copying .config to", &tmp, e))?;
    cache::install(&tmp, &config_entry)?;
    let tmp = cache::temporary(out_dir, "busybox");
    fs::copy(obj.join("busybox"), &tmp).map_err(|e| Error::io("copying busybox to", &tmp, e))?;
    cache::install(&tmp, &entry)?;
    let _ = fs::remove_dir_all(&obj);
    Ok(built)
}

/// The override lines (`CONFIG_X=...` or `# CONFIG_X is not set`) with their symbols.
fn overrides(text: &str) -> Vec<(String, String)> {
    text.lines()
        .filter_map(|line| {
            let symbol = match line.strip_prefix("# ") {
                Some(rest) => rest.strip_suffix(" is not set")?,
                None => line.split_once('=')?.0,
            };
            let valid = symbol.starts_with("CONFIG_")
                && symbol
                    .bytes()
                    .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit() || b == b'_');
            valid.then(|| (symbol.to_string(), line.to_string()))
        })
        .collect()
}

/// `.config` with every overridden symbol's line replaced by its override.
fn apply_overrides(config: &str, overrides: &[(String, String)]) -> String {
    let overridden = |line: &str| {
        overrides.iter().any(|(symbol, _)| {
            let rest = line.strip_prefix("# ").unwrap_or(line);
            rest.strip_prefix(symbol.as_str())
                .is_some_and(|r| r.starts_with('=') || r.starts_with(' '))
        })
    };
    let mut out: String = config
        .lines()
        .filter(|l| !overridden(l))
        .map(|l| format!("{l}\n"))
        .collect();
    for (_, line) in overrides {
        out.push_str(line);
        out.push('\n');
    }
    out
}

fn make(src: &Path, obj: &Path, args: &[&str]) -> Result<()> {
    let mut cmd = Command::new("make");
    cmd.arg("-C")
        .arg(src)
        .arg(format!("O={}", obj.display()))
        .args(args)
        .stdin(Stdio::null());
    let out = cmd.output().map_err(|e| Error::MissingTool {
        tool: "make".to_string(),
        reason: e.to_string(),
        hint: "install make",
    })?;
    if out.status.success() {
        return Ok(());
    }
    let stderr = String::from_utf8_lossy(&out.stderr);
    let tail: Vec<&str> = stderr.lines().rev().take(40).collect();
    let tail: Vec<&str> = tail.into_iter().rev().collect();
    Err(Error::Failed {
        what: format!("{cmd:?}"),
        status: out.status.to_string(),
        stderr: tail.join("\n"),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn overrides_replace_lines_of_the_same_symbol_only() {
        let ov = overrides(
            "# a comment\nCONFIG_STATIC=y\n# CONFIG_TC is not set\nCONFIG_X y\n# CONFIG_lower=y\n",
        );
        assert_eq!(
            ov,
            vec![
                ("CONFIG_STATIC".to_string(), "CONFIG_STATIC=y".to_string()),
                (
                    "CONFIG_TC".to_string(),
                    "# CONFIG_TC is not set".to_string()
                ),
            ]
        );
        let config = "# CONFIG_STATIC is not set\nCONFIG_TC=y\nCONFIG_TCPSVD=y\nCONFIG_TCX=y\n";
        assert_eq!(
            apply_overrides(config, &ov),
            "CONFIG_TCPSVD=y\nCONFIG_TCX=y\nCONFIG_STATIC=y\n# CONFIG_TC is not set\n"
        );
    }
}
