//! Real programs nobody here wrote, built for RISC-V at test time from the sources that
//! registry crates bundle, run under vm and qemu on real workloads, compared exactly:
//! - Lua 5.4 (the `lua-src` crate) running every script in `tests/lua/`, through a small
//!   stand-alone interpreter in `tests/guest-drivers/lua_driver.c`;
//! - SQLite (the amalgamation in `libsqlite3-sys`) running every script in
//!   `tests/sqlite/` against a database file, through `tests/guest-drivers/sqlite_driver.c`.
//!
//! `vm-guest-build` finds those sources (through `cargo metadata`) and compiles them;
//! the RISC-V builds are cached in the target directory.

mod common;

use common::*;
use std::fs;
use std::path::{Path, PathBuf};
use std::time::Duration;

fn files_with_extension(dir: &Path, ext: &str) -> Vec<PathBuf> {
    let mut v: Vec<PathBuf> = fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("listing {}: {e}", dir.display()))
        .map(|e| e.expect("directory entry").path())
        .filter(|p| p.extension().and_then(|e| e.to_str()) == Some(ext))
        .collect();
    v.sort();
    v
}

fn sources() -> RegistrySources {
    RegistrySources::locate(&workspace_root()).unwrap_or_else(|e| panic!("{e}"))
}

fn build_lua() -> PathBuf {
    let driver = workspace_root().join("tests/guest-drivers/lua_driver.c");
    let build = sources()
        .lua(Target::Riscv64, &driver)
        .unwrap_or_else(|e| panic!("{e}"));
    build_guest(&build)
}

fn build_sqlite() -> PathBuf {
    let driver = workspace_root().join("tests/guest-drivers/sqlite_driver.c");
    build_guest(&sources().sqlite(Target::Riscv64, &driver))
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
