//! Lua, SQLite and zlib from the C sources that registry crates bundle (`lua-src`,
//! `libsqlite3-sys`, `libz-sys`), and how each is compiled around a caller's `main`.
//!
//! This crate declares those crates as dependencies under a never-true `cfg`, so cargo
//! downloads them with the rest of the workspace's dependency graph but never builds
//! them; `cargo metadata` says where they were unpacked.
//!
//! Invariant: a recipe gives the same sources and defines for every target, so the
//! guest and the native build of a program do the same work.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

use crate::{Build, Error, Result, Target};

/// Where the registry crates that carry the programs' sources were unpacked.
#[derive(Clone, Debug)]
pub struct RegistrySources {
    /// `lua-src`'s `lua-5.4.*` directory.
    pub lua: PathBuf,
    /// `libsqlite3-sys`'s amalgamation directory (`sqlite3.c`, `sqlite3.h`).
    pub sqlite: PathBuf,
    /// `libz-sys`'s zlib source directory.
    pub zlib: PathBuf,
}

impl RegistrySources {
    /// Asks `cargo metadata` (which downloads the never-built dependencies of this
    /// crate) where the sources of the workspace at `root` are.
    pub fn locate(root: &Path) -> Result<RegistrySources> {
        let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
        let out = Command::new(&cargo)
            .args([
                "metadata",
                "--format-version",
                "1",
                "--locked",
                "--manifest-path",
            ])
            .arg(root.join("Cargo.toml"))
            .output()
            .map_err(|e| Error::MissingTool {
                tool: cargo.to_string_lossy().into_owned(),
                reason: e.to_string(),
                hint: "install Rust (rustup)",
            })?;
        if !out.status.success() {
            return Err(Error::Failed {
                what: "cargo metadata (the sources come from the package registry)".into(),
                status: out.status.to_string(),
                stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
            });
        }
        let meta: serde_json::Value = serde_json::from_slice(&out.stdout)
            .map_err(|e| Error::Inputs(format!("cargo metadata printed no JSON: {e}")))?;
        let package_dir = |name: &str| -> Result<PathBuf> {
            meta["packages"]
                .as_array()
                .into_iter()
                .flatten()
                .find(|p| p["name"] == name)
                .and_then(|p| Path::new(p["manifest_path"].as_str()?).parent())
                .map(Path::to_path_buf)
                .ok_or_else(|| {
                    Error::Inputs(format!(
                        "package {name} is not in the dependency graph of {}",
                        root.display()
                    ))
                })
        };
        let lua_root = package_dir("lua-src")?;
        let lua = fs::read_dir(&lua_root)
            .map_err(|e| Error::io("listing", &lua_root, e))?
            .filter_map(|e| e.ok().map(|e| e.path()))
            .find(|p| {
                p.file_name()
                    .and_then(|n| n.to_str())
                    .is_some_and(|n| n.starts_with("lua-5.4"))
            })
            .ok_or_else(|| {
                Error::Inputs(format!("no lua-5.4.* directory in {}", lua_root.display()))
            })?;
        Ok(RegistrySources {
            lua,
            sqlite: package_dir("libsqlite3-sys")?.join("sqlite3"),
            zlib: package_dir("libz-sys")?.join("src/zlib"),
        })
    }

    /// Lua 5.4 (the library, without its own `lua.c` and `luac.c`) with `main` from
    /// `driver`.
    pub fn lua(&self, target: Target, driver: &Path) -> Result<Build> {
        let sources = with_main(&self.lua, driver, |file| {
            matches!(file, "lua.c" | "luac.c" | "onelua.c")
        })?;
        Ok(Build::program(
            target,
            "lua",
            sources,
            files_with_ext(&self.lua, "h")?,
            vec![
                "-DLUA_USE_POSIX".into(),
                // A fixed string-hash seed instead of one mixed from time and
                // addresses: the same work on every run and runner.
                "-Dluai_makeseed(L)=0x5eedu".into(),
                include(&self.lua),
            ],
        ))
    }

    /// SQLite (the amalgamation, single-threaded) with `main` from `driver`.
    pub fn sqlite(&self, target: Target, driver: &Path) -> Build {
        Build::program(
            target,
            "sqlite",
            vec![self.sqlite.join("sqlite3.c"), driver.to_path_buf()],
            vec![self.sqlite.join("sqlite3.h")],
            vec![
                "-DSQLITE_THREADSAFE=0".into(),
                "-DSQLITE_OMIT_LOAD_EXTENSION".into(),
                include(&self.sqlite),
            ],
        )
    }

    /// zlib (without the gz* file functions) with `main` from `driver`.
    pub fn zlib(&self, target: Target, driver: &Path) -> Result<Build> {
        let sources = with_main(&self.zlib, driver, |file| file.starts_with("gz"))?;
        Ok(Build::program(
            target,
            "zlib",
            sources,
            files_with_ext(&self.zlib, "h")?,
            vec![include(&self.zlib)],
        ))
    }
}

/// The C files of a library's source directory `dir`, except those `skip` names, and
/// then `driver`, which has `main`.
fn with_main(dir: &Path, driver: &Path, skip: impl Fn(&str) -> bool) -> Result<Vec<PathBuf>> {
    let mut sources: Vec<PathBuf> = files_with_ext(dir, "c")?
        .into_iter()
        .filter(|p| !p.file_name().and_then(|n| n.to_str()).is_some_and(&skip))
        .collect();
    sources.push(driver.to_path_buf());
    Ok(sources)
}

fn include(dir: &Path) -> String {
    format!("-I{}", dir.display())
}

/// The files of `dir` whose names end in `.ext`, sorted.
fn files_with_ext(dir: &Path, ext: &str) -> Result<Vec<PathBuf>> {
    let mut v: Vec<PathBuf> = fs::read_dir(dir)
        .map_err(|e| Error::io("listing", dir, e))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|e| e == ext))
        .collect();
    v.sort();
    Ok(v)
}
