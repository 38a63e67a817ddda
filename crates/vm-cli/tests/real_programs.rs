//! Real programs nobody here wrote, built for RISC-V at test time from the sources that
//! registry crates bundle, run under vm and qemu on real workloads, compared exactly:
//! - Lua 5.4 (the `lua-src` crate) running every script in `tests/lua/`, through a small
//!   stand-alone interpreter in `tests/guest-drivers/lua_driver.c`;
//! - SQLite (the amalgamation in `libsqlite3-sys`) running every script in
//!   `tests/sqlite/` against a database file, through `tests/guest-drivers/sqlite_driver.c`.
//!
//! The crates are declared as never-true target dev-dependencies of vm-cli, so cargo
//! downloads them but never builds them for the host; `cargo metadata` tells where
//! their sources are. The RISC-V builds are cached in the target directory.

mod common;

use common::*;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;

/// The source directory of a package in the dependency graph, via `cargo metadata`.
fn package_dir(name: &str) -> PathBuf {
    let cargo = option_env!("CARGO").unwrap_or("cargo");
    let out = Command::new(cargo)
        .args(["metadata", "--format-version", "1", "--manifest-path"])
        .arg(workspace_root().join("Cargo.toml"))
        .output()
        .unwrap_or_else(|e| panic!("running `{cargo} metadata`: {e}"));
    assert!(
        out.status.success(),
        "`cargo metadata` failed (the sources of {name} come from the package registry):\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let meta: serde_json::Value = serde_json::from_slice(&out.stdout).expect("cargo metadata JSON");
    let manifest = meta["packages"]
        .as_array()
        .expect("packages array")
        .iter()
        .find(|p| p["name"] == name)
        .and_then(|p| p["manifest_path"].as_str())
        .unwrap_or_else(|| {
            panic!("package {name} is not in the dependency graph of the workspace")
        });
    Path::new(manifest)
        .parent()
        .expect("manifest has a directory")
        .to_path_buf()
}

fn files_with_extension(dir: &Path, ext: &str) -> Vec<PathBuf> {
    let mut v: Vec<PathBuf> = fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("listing {}: {e}", dir.display()))
        .map(|e| e.expect("directory entry").path())
        .filter(|p| p.extension().and_then(|e| e.to_str()) == Some(ext))
        .collect();
    v.sort();
    v
}

fn build_lua() -> PathBuf {
    let root = package_dir("lua-src");
    let src = fs::read_dir(&root)
        .expect("listing lua-src")
        .map(|e| e.expect("entry").path())
        .find(|p| {
            p.file_name()
                .and_then(|n| n.to_str())
                .is_some_and(|n| n.starts_with("lua-5.4"))
        })
        .unwrap_or_else(|| panic!("no lua-5.4.* directory in {}", root.display()));
    let mut sources: Vec<PathBuf> = files_with_extension(&src, "c")
        .into_iter()
        .filter(|p| {
            !matches!(
                p.file_name().and_then(|n| n.to_str()),
                Some("lua.c" | "luac.c" | "onelua.c")
            )
        })
        .collect();
    sources.push(workspace_root().join("tests/guest-drivers/lua_driver.c"));
    let build = Build {
        name: "lua-5.4".to_string(),
        sources,
        cflags: vec![
            "-static".into(),
            "-O2".into(),
            "-march=rv64gc".into(),
            "-DLUA_USE_POSIX".into(),
            // A fixed string-hash seed instead of one mixed from time and addresses.
            "-Dluai_makeseed(L)=0x5eedu".into(),
            format!("-I{}", src.display()),
        ],
        ldflags: vec!["-lm".into()],
        extra_inputs: files_with_extension(&src, "h"),
    };
    build
        .run(&scratch_dir("riscv-guests"))
        .unwrap_or_else(|e| panic!("{e}"))
}

fn build_sqlite() -> PathBuf {
    let src = package_dir("libsqlite3-sys").join("sqlite3");
    let build = Build {
        name: "sqlite3".to_string(),
        sources: vec![
            src.join("sqlite3.c"),
            workspace_root().join("tests/guest-drivers/sqlite_driver.c"),
        ],
        cflags: vec![
            "-static".into(),
            "-O2".into(),
            "-march=rv64gc".into(),
            "-DSQLITE_THREADSAFE=0".into(),
            "-DSQLITE_OMIT_LOAD_EXTENSION".into(),
            format!("-I{}", src.display()),
        ],
        ldflags: vec!["-lm".into()],
        extra_inputs: vec![src.join("sqlite3.h")],
    };
    build
        .run(&scratch_dir("riscv-guests"))
        .unwrap_or_else(|e| panic!("{e}"))
}

fn check(what: &str, cases: &[DiffCase]) {
    assert!(!cases.is_empty(), "no {what} workloads found");
    require_vm();
    let (summary, failures) = run_differential(cases, what, vm_timeout(Duration::from_secs(300)));
    println!("{what}:\n{summary}");
    assert!(
        failures.is_empty(),
        "{} {what} runs differ from qemu:\n\n{}\n\nsummary:\n{summary}",
        failures.len(),
        failures.join("\n")
    );
}

#[test]
fn lua_scripts_match_qemu() {
    require_tools();
    let lua = build_lua();
    let cases: Vec<DiffCase> = files_with_extension(&workspace_root().join("tests/lua"), "lua")
        .into_iter()
        .map(|script| {
            let name = script
                .file_name()
                .expect("name")
                .to_string_lossy()
                .into_owned();
            DiffCase {
                name: format!("lua {name}"),
                invocation: Invocation {
                    program: lua.clone(),
                    args: vec![name],
                    files: vec![script],
                    ..Invocation::default()
                },
            }
        })
        .collect();
    check("lua", &cases);
}

#[test]
fn sqlite_scripts_match_qemu() {
    require_tools();
    let sqlite = build_sqlite();
    let cases: Vec<DiffCase> = files_with_extension(&workspace_root().join("tests/sqlite"), "sql")
        .into_iter()
        .map(|script| {
            let name = script
                .file_name()
                .expect("name")
                .to_string_lossy()
                .into_owned();
            DiffCase {
                name: format!("sqlite {name}"),
                invocation: Invocation {
                    program: sqlite.clone(),
                    args: vec!["test.db".into(), name],
                    files: vec![script],
                    ..Invocation::default()
                },
            }
        })
        .collect();
    check("sqlite", &cases);
}
