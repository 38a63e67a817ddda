//! `vm-bench`: builds real workloads from source for RISC-V and x86-64, runs them under
//! vm, qemu-user and natively, alternating runners, and writes a Markdown table, a JSON
//! file and an SVG chart of the results.

mod chart;
mod measure;
mod report;
mod runners;
mod workloads;

use std::collections::HashMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

use anyhow::{bail, Context, Result};
use clap::Parser;

use measure::{Sample, Stats};
use report::{Report, RunnerInfo, RunnerResult, WorkloadResult};
use runners::{Runner, Tools};
use workloads::{Built, Program, Sizes, Sources};

/// Benchmark vm against qemu-riscv64-static and native x86-64 builds of the same
/// sources (CoreMark-like, Lua, SQLite, zlib; plus start-up workloads).
///
/// Workloads are compiled at bench time with riscv64-linux-gnu-gcc -static -O2 and
/// host cc -O2, cached in the work directory by a hash of their sources. Runs alternate
/// between runners; every run's stdout must match across runners or the tool fails.
/// Writes <out>/<date>-<quick|full>.md, .json and .svg, and latest.md/.json/.svg.
/// The vm cold and vm warm runners (JIT with an empty / filled AOT cache) are listed as
/// n/a until the JIT exists.
#[derive(Parser, Debug)]
#[command(name = "vm-bench", version)]
struct Cli {
    /// Smaller sizes and 3 runs per runner: under 3 minutes on 2 cores (the full run,
    /// 5 runs and about 5x the sizes, is sized for under 20).
    #[arg(long)]
    quick: bool,
    /// Runs per runner per workload (default 3 with --quick, else 5).
    #[arg(long)]
    runs: Option<usize>,
    /// Comma-separated workloads to run (default all): coremark, lua, sqlite, zlib,
    /// sqlite-hello, lua-hello, pipeline, procs-100.
    #[arg(long, value_delimiter = ',')]
    workloads: Vec<String>,
    /// Comma-separated runners (default all): vm-cold, vm-warm, vm-interp, qemu, native.
    /// qemu and native are always run, since the ratios are relative to them.
    #[arg(long, value_delimiter = ',')]
    runners: Vec<String>,
    /// The vm binary (default: `vm` beside this executable).
    #[arg(long)]
    vm: Option<PathBuf>,
    /// Where results go (default: bench/results in the workspace).
    #[arg(long)]
    out: Option<PathBuf>,
    /// Where builds and scratch files go (default: target/bench-work in the workspace).
    #[arg(long)]
    work_dir: Option<PathBuf>,
}

fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn main() -> Result<()> {
    let cli = Cli::parse();
    let root = workspace_root()
        .canonicalize()
        .context("locating the workspace")?;
    let sizes = Sizes::new(cli.quick);
    let runs = cli.runs.unwrap_or(if cli.quick { 3 } else { 5 });
    if runs == 0 {
        bail!("--runs must be at least 1");
    }
    let work = cli
        .work_dir
        .clone()
        .unwrap_or_else(|| root.join("target/bench-work"));
    let out = cli
        .out
        .clone()
        .unwrap_or_else(|| root.join("bench/results"));
    let names: Vec<String> = if cli.workloads.is_empty() {
        workloads::NAMES.iter().map(|s| s.to_string()).collect()
    } else {
        cli.workloads.clone()
    };
    let selected: Vec<Runner> = if cli.runners.is_empty() {
        Runner::ALL.to_vec()
    } else {
        let mut v = vec![Runner::Qemu, Runner::Native];
        for key in &cli.runners {
            v.push(Runner::parse(key)?);
        }
        Runner::ALL.into_iter().filter(|r| v.contains(r)).collect()
    };
    let tools = Tools::locate(cli.vm.clone())?;
    let list = names
        .iter()
        .map(|n| workloads::workload(n, &sizes, &root, &work))
        .collect::<Result<Vec<_>>>()?;

    let sources = Sources::locate(&root)?;
    let mut built: HashMap<Program, Built> = HashMap::new();
    for w in &list {
        for p in w.programs() {
            if let std::collections::hash_map::Entry::Vacant(e) = built.entry(p) {
                e.insert(workloads::build(p, &root, &sources, &work)?);
            }
        }
    }
    let lookup = |p: Program| built[&p].clone();
    drop(sources);
    // Children start from a copy of this process's heap and their max RSS counts it
    // (measure.rs): give freed memory back before measuring anything.
    // SAFETY: malloc_trim only releases free heap memory; no allocation is touched.
    unsafe {
        libc::malloc_trim(0);
    }

    let runner_infos: Vec<RunnerInfo> = selected
        .iter()
        .map(|&r| RunnerInfo {
            runner: r,
            label: r.label(),
            unavailable: tools.availability(r).err(),
        })
        .collect();
    let ready: Vec<Runner> = runner_infos
        .iter()
        .filter(|i| i.unavailable.is_none())
        .map(|i| i.runner)
        .collect();

    let mut results = Vec::new();
    for w in &list {
        eprintln!("{}: {} runs x {} runners", w.name, runs, ready.len());
        let mut samples: HashMap<Runner, Vec<Sample>> = HashMap::new();
        let mut reference: Option<(Runner, Vec<u8>)> = None;
        for run in 0..runs {
            for &r in &ready {
                let scratch = work.join("run").join(w.name).join(r.key());
                let s = measure::run_once(w, r, &tools, &lookup, &scratch)
                    .with_context(|| format!("workload {} under {}", w.name, r.key()))?;
                check_output(w.name, run, r, &s.stdout, &mut reference)?;
                eprintln!(
                    "  {:<10} run {}: {:.3} s, {} KiB",
                    r.key(),
                    run + 1,
                    s.wall.as_secs_f64(),
                    s.max_rss_kib
                );
                samples.entry(r).or_default().push(s);
            }
        }
        let output_head = reference
            .as_ref()
            .map(|(_, o)| {
                String::from_utf8_lossy(o)
                    .lines()
                    .next()
                    .unwrap_or("")
                    .to_string()
            })
            .unwrap_or_default();
        let mut wr = WorkloadResult {
            name: w.name,
            kind: w.kind,
            description: w.description.clone(),
            output_head,
            results: runner_infos
                .iter()
                .map(|info| {
                    let s = samples.get(&info.runner);
                    let walls: Vec<_> = s
                        .map(|v| v.iter().map(|x| x.wall).collect())
                        .unwrap_or_default();
                    RunnerResult {
                        runner: info.runner,
                        unavailable: info.unavailable.clone(),
                        stats: Stats::of(&walls),
                        samples_s: walls.iter().map(|d| d.as_secs_f64()).collect(),
                        max_rss_kib: s.and_then(|v| v.iter().map(|x| x.max_rss_kib).max()),
                        speed_vs_qemu: None,
                        fraction_of_native: None,
                    }
                })
                .collect(),
            warm_over_cold: None,
        };
        wr.compute_ratios();
        results.push(wr);
    }

    let report = Report {
        date: today_utc(),
        mode: if cli.quick { "quick" } else { "full" },
        runs,
        host: host_description(),
        vm_commit: git_commit(&root),
        sizes,
        runners: runner_infos,
        workloads: results,
    };
    write_outputs(&report, &out)
}

/// Fails loudly when a runner printed something other than the first run did.
fn check_output(
    workload: &str,
    run: usize,
    runner: Runner,
    stdout: &[u8],
    reference: &mut Option<(Runner, Vec<u8>)>,
) -> Result<()> {
    match reference {
        None => {
            if stdout.is_empty() {
                bail!("workload {workload} printed nothing under {}", runner.key());
            }
            *reference = Some((runner, stdout.to_vec()));
            Ok(())
        }
        Some((first, expected)) if expected.as_slice() != stdout => bail!(
            "workload {workload}: run {} under {} printed something different from {}:\n\
             --- {}\n{}\n--- {}\n{}",
            run + 1,
            runner.key(),
            first.key(),
            first.key(),
            head(expected),
            runner.key(),
            head(stdout)
        ),
        Some(_) => Ok(()),
    }
}

fn head(bytes: &[u8]) -> String {
    let s = String::from_utf8_lossy(bytes);
    s.lines().take(20).collect::<Vec<_>>().join("\n")
}

fn write_outputs(report: &Report, out: &Path) -> Result<()> {
    fs::create_dir_all(out).with_context(|| format!("creating {}", out.display()))?;
    let stem = format!("{}-{}", report.date, report.mode);
    let svg = out.join(format!("{stem}.svg"));
    chart::write_svg(report, &svg)?;
    let md = report.markdown(&format!("{stem}.svg"));
    let md_path = out.join(format!("{stem}.md"));
    fs::write(&md_path, &md).with_context(|| format!("writing {}", md_path.display()))?;
    let json = serde_json::to_string_pretty(report).context("serializing the report")?;
    let json_path = out.join(format!("{stem}.json"));
    fs::write(&json_path, &json).with_context(|| format!("writing {}", json_path.display()))?;
    // latest.* point at the same content; latest.md links latest.svg.
    fs::write(out.join("latest.md"), report.markdown("latest.svg")).context("writing latest.md")?;
    fs::write(out.join("latest.json"), &json).context("writing latest.json")?;
    fs::copy(&svg, out.join("latest.svg")).context("writing latest.svg")?;
    println!("{md}");
    eprintln!(
        "wrote {}, {} and {}",
        md_path.display(),
        json_path.display(),
        svg.display()
    );
    Ok(())
}

/// Today's date in UTC as YYYY-MM-DD (civil-from-days, proleptic Gregorian).
fn today_utc() -> String {
    let secs = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0);
    let z = (secs / 86_400) as i64 + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!("{year:04}-{month:02}-{day:02}")
}

fn host_description() -> String {
    let cpu = fs::read_to_string("/proc/cpuinfo")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("model name"))
                .and_then(|l| l.split(':').nth(1))
                .map(|m| m.trim().to_string())
        })
        .unwrap_or_else(|| "unknown CPU".to_string());
    let cores = std::thread::available_parallelism()
        .map(|n| n.get())
        .unwrap_or(1);
    format!("{cpu}, {cores} cores")
}

fn git_commit(root: &Path) -> String {
    Command::new("git")
        .args(["rev-parse", "--short", "HEAD"])
        .current_dir(root)
        .output()
        .ok()
        .filter(|o| o.status.success())
        .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_string())
        .unwrap_or_else(|| "unknown".to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn date_is_well_formed() {
        let d = today_utc();
        assert_eq!(d.len(), 10, "{d}");
        assert!(d.starts_with("20"), "{d}");
    }

    #[test]
    fn different_output_is_an_error() {
        let mut reference = None;
        check_output("w", 0, Runner::Native, b"1\n", &mut reference).unwrap();
        check_output("w", 0, Runner::Qemu, b"1\n", &mut reference).unwrap();
        assert!(check_output("w", 1, Runner::VmInterp, b"2\n", &mut reference).is_err());
    }
}
