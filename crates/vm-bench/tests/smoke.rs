//! Smoke test: `vm-bench --smoke` (tiny sizes, one run) on three small workloads writes
//! a Markdown table, a JSON file that parses and an SVG chart into its output directory
//! under names that a second run does not overwrite, and leaves `latest.*` alone. It
//! checks the tool works end to end, not any number.

use std::path::{Path, PathBuf};
use std::process::Command;

/// The `vm` binary of this build (built here if the workspace tests have not).
fn vm_binary(bench: &Path) -> PathBuf {
    let vm = bench.with_file_name("vm");
    if !vm.is_file() {
        let status = Command::new(env!("CARGO"))
            .args(["build", "--profile", "test", "-p", "vm-cli", "--bin", "vm"])
            .status()
            .expect("running cargo build for vm");
        assert!(status.success(), "building vm failed");
    }
    assert!(vm.is_file(), "no vm at {}", vm.display());
    vm
}

/// The files of `dir` whose names end in `.ext`, sorted.
fn files_with_ext(dir: &Path, ext: &str) -> Vec<PathBuf> {
    let mut v: Vec<PathBuf> = std::fs::read_dir(dir)
        .expect("listing the output directory")
        .map(|e| e.expect("a directory entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == ext))
        .collect();
    v.sort();
    v
}

#[test]
fn smoke_run_writes_markdown_json_and_svg() {
    let bench = PathBuf::from(env!("CARGO_BIN_EXE_vm-bench"));
    let vm = vm_binary(&bench);
    let out = std::env::temp_dir().join(format!("vm-bench-smoke-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&out);
    let run = || {
        let result = Command::new(&bench)
            .args(["--smoke", "--workloads", "coremark,lua-hello,pipeline"])
            .arg("--vm")
            .arg(&vm)
            .arg("--out")
            .arg(&out)
            .output()
            .expect("running vm-bench");
        assert!(
            result.status.success(),
            "vm-bench failed:\n{}",
            String::from_utf8_lossy(&result.stderr)
        );
    };
    run();

    let mds = files_with_ext(&out, "md");
    assert_eq!(mds.len(), 1, "one Markdown file: {mds:?}");
    let stem = mds[0].file_stem().unwrap().to_str().unwrap().to_string();
    assert!(stem.ends_with("-smoke"), "{stem}");
    assert!(
        !out.join("latest.md").exists(),
        "a smoke run of some workloads must not replace latest.*"
    );
    let md = std::fs::read_to_string(&mds[0]).unwrap();
    for needle in [
        "| coremark |",
        "| lua-hello |",
        "| pipeline |",
        "qemu-riscv64-static",
        "n/a (no JIT yet)",
        &format!("({stem}.svg)"),
    ] {
        assert!(md.contains(needle), "{stem}.md lacks {needle:?}:\n{md}");
    }
    let json: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(out.join(format!("{stem}.json"))).expect("the JSON file"),
    )
    .expect("the JSON parses");
    assert_eq!(json["mode"], "smoke");
    assert!(json["rss_floor_kib"].as_u64().expect("an RSS floor") > 0);
    let workloads = json["workloads"].as_array().expect("workloads array");
    assert_eq!(workloads.len(), 3);
    for w in workloads {
        let qemu = w["results"]
            .as_array()
            .expect("results")
            .iter()
            .find(|r| r["runner"] == "qemu")
            .expect("a qemu result");
        assert!(qemu["stats"]["median_s"].as_f64().expect("a median") > 0.0);
        assert!(qemu["max_rss_kib"].as_u64().expect("max RSS") > 0);
        let cold = w["results"]
            .as_array()
            .unwrap()
            .iter()
            .find(|r| r["runner"] == "vm-cold")
            .expect("a vm cold entry");
        assert_eq!(cold["unavailable"], "n/a (no JIT yet)");
        assert!(cold["stats"].is_null());
        assert!(w["warm_over_cold"].is_null());
    }
    let svg = std::fs::read_to_string(out.join(format!("{stem}.svg"))).expect("the SVG");
    assert!(
        svg.starts_with("<svg") && svg.trim_end().ends_with("</svg>"),
        "not an SVG"
    );
    assert!(svg.contains("<rect"), "the chart has no bars");
    for name in ["coremark", "lua-hello", "pipeline", "vm --engine interp"] {
        assert!(svg.contains(name), "the chart does not name {name}");
    }

    // A second run, in the same second or not, adds files and keeps the first ones.
    run();
    for ext in ["md", "json", "svg"] {
        let files = files_with_ext(&out, ext);
        assert_eq!(files.len(), 2, "two .{ext} files: {files:?}");
        assert!(files.contains(&out.join(format!("{stem}.{ext}"))));
    }
    let _ = std::fs::remove_dir_all(&out);
}
