//! The vector extension's Linux ABI where the reference qemu cannot be the reference:
//! every C program in `tests/rva23-linux/` checks what Linux's uapi headers and
//! `arch/riscv` code define (e.g. the vector context of signal frames, which qemu 10's
//! linux-user does not write), printing `ok ...` or `FAIL ...` lines, and must exit 0
//! with no `FAIL` under every engine. Programs are compiled with
//! `riscv64-linux-gnu-gcc -static -O2 -march=rv64gcv`.
//!
//! Environment knobs: `VM_TEST_FILTER=substr`, `VM_TEST_ENGINES=interp,jit`,
//! `VM_TEST_TIMEOUT=secs`.

mod common;

use common::*;
use std::fs;
use std::time::Duration;

#[test]
fn rva23_linux_abi_programs_pass_under_vm() {
    require_tools();
    let dir = workspace_root().join("tests/rva23-linux");
    let filter = std::env::var("VM_TEST_FILTER").unwrap_or_default();
    let mut sources: Vec<_> = fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("listing {}: {e}", dir.display()))
        .map(|e| e.expect("directory entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "c"))
        .filter(|p| p.to_string_lossy().contains(&filter))
        .collect();
    sources.sort();
    assert!(
        !sources.is_empty() || !filter.is_empty(),
        "no programs in {}",
        dir.display()
    );
    let rva23 = workspace_root().join("tests/rva23");
    let headers: Vec<_> = fs::read_dir(&rva23)
        .expect("tests/rva23")
        .map(|e| e.expect("directory entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "h"))
        .collect();
    let bin_dir = scratch_dir("riscv-guests");
    require_vm();
    let mut failures = Vec::new();
    for src in &sources {
        let stem = src
            .file_stem()
            .expect("file stem")
            .to_string_lossy()
            .into_owned();
        let build = Build {
            name: format!("rva23-linux-{stem}"),
            target: Target::Riscv64,
            sources: vec![src.clone()],
            cflags: ["-static", "-O2", "-march=rv64gcv"]
                .map(String::from)
                .to_vec(),
            ldflags: Vec::new(),
            extra_inputs: headers.clone(),
        };
        let program = build
            .run(&bin_dir)
            .unwrap_or_else(|e| panic!("building {}: {e}", src.display()));
        for engine in engines() {
            let runner = Runner::Vm {
                engine: engine.clone(),
            };
            let inv = Invocation {
                program: program.clone(),
                ..Invocation::default()
            };
            let workdir = scratch_dir("rva23-linux-runs").join(format!("{stem}-{engine}"));
            let run = run_guest(&runner, &inv, &workdir, vm_timeout(Duration::from_secs(60)));
            let stdout = String::from_utf8_lossy(&run.stdout);
            println!("{stem} under {engine}: {}\n{stdout}", run.outcome);
            if run.outcome != Outcome::Exit(0) || stdout.contains("FAIL") || !stdout.contains("ok ")
            {
                failures.push(format!(
                    "{stem} under vm --engine {engine}: {}\n{stdout}{}",
                    run.outcome,
                    String::from_utf8_lossy(&run.stderr)
                ));
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
