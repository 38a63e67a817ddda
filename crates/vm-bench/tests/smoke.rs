//! Smoke test: `vm-bench --quick`, shrunk to one run of two small workloads, writes a
//! Markdown table, a JSON file that parses and an SVG chart into its output directory.
//! It checks the tool works end to end, not any number.

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

#[test]
fn quick_run_writes_markdown_json_and_svg() {
    let bench = PathBuf::from(env!("CARGO_BIN_EXE_vm-bench"));
    let vm = vm_binary(&bench);
    let out = std::env::temp_dir().join(format!("vm-bench-smoke-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&out);
    let result = Command::new(&bench)
        .args([
            "--quick",
            "--runs",
            "1",
            "--workloads",
            "coremark,lua-hello",
        ])
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

    let md = std::fs::read_to_string(out.join("latest.md")).expect("latest.md");
    for needle in [
        "| coremark |",
        "| lua-hello |",
        "qemu-riscv64-static",
        "n/a (no JIT yet)",
    ] {
        assert!(md.contains(needle), "latest.md lacks {needle:?}:\n{md}");
    }
    let json: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(out.join("latest.json")).expect("latest.json"),
    )
    .expect("latest.json parses");
    let workloads = json["workloads"].as_array().expect("workloads array");
    assert_eq!(workloads.len(), 2);
    for w in workloads {
        let qemu = w["results"]
            .as_array()
            .expect("results")
            .iter()
            .find(|r| r["runner"] == "qemu")
            .expect("a qemu result");
        assert!(qemu["stats"]["median_s"].as_f64().expect("a median") > 0.0);
        assert!(qemu["max_rss_kib"].as_u64().expect("max RSS") > 0);
    }
    let svg = std::fs::read_to_string(out.join("latest.svg")).expect("latest.svg");
    assert!(
        svg.starts_with("<svg") && svg.trim_end().ends_with("</svg>"),
        "not an SVG"
    );
    assert!(svg.contains("<rect"), "the chart has no bars");
    let date = json["date"].as_str().expect("date");
    for ext in ["md", "json", "svg"] {
        let dated = out.join(format!("{date}-quick.{ext}"));
        assert!(dated.is_file(), "{} missing", dated.display());
    }
    let _ = std::fs::remove_dir_all(&out);
}
