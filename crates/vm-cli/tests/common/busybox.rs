//! A static riscv64 busybox cross-built from Debian's busybox source package.
//!
//! `scripts/busybox-source` (run by `scripts/install-deps`, or from here when its cache
//! is missing) unpacks the patched source into `<target>/busybox-source/`. This module
//! configures it with `make defconfig` plus the committed overrides in
//! `tests/busybox/config-overrides`, builds it out of tree with
//! `CROSS_COMPILE=riscv64-linux-gnu-`, and caches the binary beside the other guest
//! builds under a key hashed from the compiler version, the source package's `.dsc`
//! (which names the upstream tarball and Debian's patch tarball by SHA-256), the
//! overrides and the make command line.
//!
//! Invariants: the unpacked source tree is never written to (out-of-tree build); the
//! cached binary appears by rename, so concurrent test processes never see half of it;
//! an override that kconfig does not keep fails the build loudly.

use super::{compiler_version, scratch_dir, workspace_root, Build, KeyHasher};
use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::OnceLock;

const OVERRIDES: &str = "tests/busybox/config-overrides";
const CROSS_COMPILE: &str = "riscv64-linux-gnu-";

/// The busybox binary, built on first use (about a minute with two jobs).
pub fn busybox() -> PathBuf {
    static BINARY: OnceLock<PathBuf> = OnceLock::new();
    BINARY
        .get_or_init(|| build().unwrap_or_else(|e| panic!("building busybox: {e}")))
        .clone()
}

/// `<target>/busybox-source`: `CARGO_TARGET_TMPDIR` is `<target>/tmp`.
fn source_cache() -> PathBuf {
    Path::new(env!("CARGO_TARGET_TMPDIR"))
        .parent()
        .expect("the tmp directory is inside the target directory")
        .join("busybox-source")
}

/// The unpacked, patched source tree, fetched by `scripts/busybox-source` if needed.
fn source_dir() -> Result<PathBuf, String> {
    let cache = source_cache();
    let script = workspace_root().join("scripts/busybox-source");
    let out = Command::new(&script)
        .arg(&cache)
        .stderr(Stdio::inherit())
        .output()
        .map_err(|e| format!("running {}: {e}", script.display()))?;
    if !out.status.success() {
        return Err(format!(
            "{} failed ({}): it needs apt-get and dpkg-dev (scripts/install-deps sets \
             both up when run as root or with sudo)",
            script.display(),
            out.status
        ));
    }
    let dir = PathBuf::from(String::from_utf8_lossy(&out.stdout).trim());
    if !dir.join("Makefile").is_file() {
        return Err(format!("{} is not a busybox source tree", dir.display()));
    }
    Ok(dir)
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

fn make(src: &Path, obj: &Path, args: &[&str]) -> Result<(), String> {
    let mut cmd = Command::new("make");
    cmd.arg("-C")
        .arg(src)
        .arg(format!("O={}", obj.display()))
        .args(args)
        .stdin(Stdio::null());
    let out = cmd
        .output()
        .map_err(|e| format!("running make: {e} (install make)"))?;
    if out.status.success() {
        return Ok(());
    }
    let stderr = String::from_utf8_lossy(&out.stderr);
    let tail: Vec<&str> = stderr.lines().rev().take(40).collect();
    let tail: Vec<&str> = tail.into_iter().rev().collect();
    Err(format!(
        "{cmd:?} failed ({}):\n{}",
        out.status,
        tail.join("\n")
    ))
}

fn build() -> Result<PathBuf, String> {
    super::require_tools();
    let src = source_dir()?;
    let dsc = src
        .parent()
        .expect("source has a parent")
        .join("busybox.dsc");
    let dsc = fs::read(&dsc).map_err(|e| format!("reading {}: {e}", dsc.display()))?;
    let overrides_path = workspace_root().join(OVERRIDES);
    let overrides_text = fs::read_to_string(&overrides_path)
        .map_err(|e| format!("reading {}: {e}", overrides_path.display()))?;
    let overrides = overrides(&overrides_text);
    let jobs = super::worker_threads().to_string();
    let make_args = [
        format!("-j{jobs}"),
        format!("CROSS_COMPILE={CROSS_COMPILE}"),
        "busybox".to_string(),
    ];

    let mut key = KeyHasher::new();
    key.add(compiler_version().as_bytes())
        .add(&dsc)
        .add(overrides_text.as_bytes())
        .add(make_args[1..].join(" ").as_bytes());
    let dir = scratch_dir("riscv-guests");
    let out = dir.join(format!("busybox-{}", &key.hex()[..20]));
    let stale = Build {
        name: "busybox".to_string(),
        sources: vec![],
        cflags: vec![],
        ldflags: vec![],
        extra_inputs: vec![],
    };
    if out.is_file() {
        stale.prune_stale(&dir, &out);
        return Ok(out);
    }

    let obj = scratch_dir(&format!("busybox-build-{}", std::process::id()));
    make(&src, &obj, &["defconfig"])?;
    let config_path = obj.join(".config");
    let config = fs::read_to_string(&config_path).map_err(|e| format!("reading .config: {e}"))?;
    fs::write(&config_path, apply_overrides(&config, &overrides))
        .map_err(|e| format!("writing .config: {e}"))?;
    // New symbols that the overrides enable get their defaults (stdin is /dev/null).
    make(&src, &obj, &["oldconfig"])?;
    let config = fs::read_to_string(&config_path).map_err(|e| format!("reading .config: {e}"))?;
    for (symbol, line) in &overrides {
        if !config.lines().any(|l| l == line) {
            return Err(format!(
                "{OVERRIDES}: kconfig did not keep `{line}` (a dependency of {symbol} is off)"
            ));
        }
    }
    let args: Vec<&str> = make_args.iter().map(String::as_str).collect();
    make(&src, &obj, &args)?;

    let tmp = dir.join(format!(".busybox.{}.tmp", std::process::id()));
    fs::copy(obj.join("busybox"), &tmp).map_err(|e| format!("copying busybox: {e}"))?;
    fs::rename(&tmp, &out).map_err(|e| format!("renaming into {}: {e}", out.display()))?;
    let _ = fs::remove_dir_all(&obj);
    stale.prune_stale(&dir, &out);
    Ok(out)
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
