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
use runners::{CacheUse, Runner, Tools};
use vm_guest_build::RegistrySources;
use workloads::{Built, Mode, Program, Sizes};

/// Benchmark vm against qemu-riscv64-static and native x86-64 builds of the same
/// sources (CoreMark-like, Lua, SQLite, zlib; plus start-up workloads).
///
/// Workloads are compiled at bench time with riscv64-linux-gnu-gcc -static -O2 and
/// host cc -O2, cached in the work directory by a hash of their sources. Runs alternate
/// between runners; every run's stdout must match across runners or the tool fails.
/// Writes <out>/<date>-<time>-<mode>.md, .json and .svg (UTC; never overwriting an
/// earlier run) and, for a quick or full run of every workload and runner, copies them
/// to latest.md/.json/.svg. The vm cold and vm warm runners (JIT with an empty / filled
/// AOT cache) are listed as n/a until the JIT exists.
#[derive(Parser, Debug)]
#[command(name = "vm-bench", version)]
struct Cli {
    /// Smaller sizes and 3 runs per runner: under 3 minutes on 2 cores (the full run,
    /// 5 runs and 5x the sizes, takes under 20).
    #[arg(long, conflicts_with = "smoke")]
    quick: bool,
    /// Tiny sizes and 1 run, for the test suite: checks that the tool works end to end;
    /// the numbers mean nothing and latest.* is left alone.
    #[arg(long)]
    smoke: bool,
    /// Runs per runner per workload (default 1 with --smoke, 3 with --quick, else 5).
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
    /// Where builds and scratch files go (default: bench-work in $CARGO_TARGET_DIR, else
    /// in the workspace's target directory).
    #[arg(long)]
    work_dir: Option<PathBuf>,
}

fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn main() -> Result<()> {
    let cli = Cli::parse();
    let (date, time) = utc_now();
    let root = workspace_root()
        .canonicalize()
        .context("locating the workspace")?;
    let mode = if cli.smoke {
        Mode::Smoke
    } else if cli.quick {
        Mode::Quick
    } else {
        Mode::Full
    };
    let sizes = Sizes::new(mode);
    let runs = cli.runs.unwrap_or(mode.default_runs());
    if runs == 0 {
        bail!("--runs must be at least 1");
    }
    let work = cli.work_dir.clone().unwrap_or_else(|| {
        std::env::var_os("CARGO_TARGET_DIR")
            .map(|dir| root.join(dir))
            .unwrap_or_else(|| root.join("target"))
            .join("bench-work")
    });
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

    let sources = RegistrySources::locate(&root)?;
    let mut built: HashMap<Program, Built> = HashMap::new();
    for w in &list {
        for p in w.programs() {
            if let std::collections::hash_map::Entry::Vacant(e) = built.entry(p) {
                e.insert(workloads::build(p, &root, &sources, &work)?);
            }
        }
    }
    let empty = workloads::build(Program::Empty, &root, &sources, &work)?;
    let lookup = |p: Program| built[&p].clone();
    drop(sources);
    // Children start from a copy of this process's heap and their max RSS counts it
    // (measure.rs): give freed memory back before measuring anything.
    // SAFETY: malloc_trim only releases free heap memory; no allocation is touched.
    unsafe {
        libc::malloc_trim(0);
    }

    let rss_floor_kib = measure::rss_floor(&empty.native)?;

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
                prepare_cache(r, run, &scratch, |s| {
                    let warm_up = measure::run_once(w, r, &tools, &lookup, s)?;
                    check_output(w.name, run, r, &warm_up.stdout, &mut reference)
                })
                .with_context(|| format!("preparing the cache of {} for {}", r.key(), w.name))?;
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
        let output_summary = reference
            .as_ref()
            .map(|(_, o)| last_line(o))
            .unwrap_or_default();
        let mut wr = WorkloadResult {
            name: w.name,
            kind: w.kind,
            description: w.description.clone(),
            output_summary,
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
        date,
        time_utc: time,
        mode,
        runs,
        host: host_description(),
        vm_commit: git_commit(&root),
        sizes,
        rss_floor_kib,
        runners: runner_infos,
        workloads: results,
    };
    // latest.* is what the README shows: only a quick or full run of everything.
    let everything = cli.workloads.is_empty() && cli.runners.is_empty();
    let update_latest = everything && mode != Mode::Smoke;
    write_outputs(&report, &out, update_latest)
}

/// Gets `runner`'s AOT cache directory (`scratch/cache`) ready for timed run `run`:
/// emptied for vm cold; emptied and filled by `warm_up` (one untimed run) before vm
/// warm's first run.
fn prepare_cache(
    runner: Runner,
    run: usize,
    scratch: &Path,
    warm_up: impl FnOnce(&Path) -> Result<()>,
) -> Result<()> {
    let empty = |dir: &Path| -> Result<()> {
        match fs::remove_dir_all(dir) {
            Ok(()) => {}
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
            Err(e) => return Err(e).with_context(|| format!("removing {}", dir.display())),
        }
        fs::create_dir_all(dir).with_context(|| format!("creating {}", dir.display()))
    };
    let cache = scratch.join("cache");
    match runner.cache_use() {
        CacheUse::None => Ok(()),
        CacheUse::Empty => empty(&cache),
        CacheUse::Filled if run == 0 => {
            empty(&cache)?;
            warm_up(scratch)
        }
        CacheUse::Filled => Ok(()),
    }
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

/// The last non-empty line of a workload's output: its summary.
fn last_line(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes)
        .lines()
        .rev()
        .find(|l| !l.trim().is_empty())
        .unwrap_or("")
        .to_string()
}

fn head(bytes: &[u8]) -> String {
    let s = String::from_utf8_lossy(bytes);
    s.lines().take(20).collect::<Vec<_>>().join("\n")
}

fn write_outputs(report: &Report, out: &Path, update_latest: bool) -> Result<()> {
    fs::create_dir_all(out).with_context(|| format!("creating {}", out.display()))?;
    let stem = free_stem(out, report)?;
    let svg = out.join(format!("{stem}.svg"));
    chart::write_svg(report, &svg)?;
    let md = report.markdown(&format!("{stem}.svg"));
    let md_path = out.join(format!("{stem}.md"));
    fs::write(&md_path, &md).with_context(|| format!("writing {}", md_path.display()))?;
    let json = serde_json::to_string_pretty(report).context("serializing the report")?;
    let json_path = out.join(format!("{stem}.json"));
    fs::write(&json_path, &json).with_context(|| format!("writing {}", json_path.display()))?;
    println!("{md}");
    eprintln!(
        "wrote {}, {} and {}",
        md_path.display(),
        json_path.display(),
        svg.display()
    );
    if update_latest {
        // latest.* hold the same content; latest.md links latest.svg.
        fs::write(out.join("latest.md"), report.markdown("latest.svg"))
            .context("writing latest.md")?;
        fs::write(out.join("latest.json"), &json).context("writing latest.json")?;
        fs::copy(&svg, out.join("latest.svg")).context("writing latest.svg")?;
        eprintln!("and copied them to latest.md, latest.json and latest.svg");
    } else {
        eprintln!("latest.* left alone: only a quick or full run of every workload and runner replaces them");
    }
    Ok(())
}

/// `<date>-<HHMMSS>-<mode>`, with `-2`, `-3`... appended if a file of that name exists,
/// so that no run overwrites another.
fn free_stem(out: &Path, report: &Report) -> Result<String> {
    let base = format!(
        "{}-{}-{}",
        report.date,
        report.time_utc.replace(':', ""),
        report.mode.name()
    );
    let taken = |stem: &str| {
        ["md", "json", "svg"]
            .iter()
            .any(|ext| out.join(format!("{stem}.{ext}")).exists())
    };
    (1..1000)
        .map(|i| {
            if i == 1 {
                base.clone()
            } else {
                format!("{base}-{i}")
            }
        })
        .find(|stem| !taken(stem))
        .with_context(|| format!("no free file name for {base} in {}", out.display()))
}

/// The current UTC date (YYYY-MM-DD, civil-from-days, proleptic Gregorian) and time of
/// day (HH:MM:SS).
fn utc_now() -> (String, String) {
    let secs = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0);
    civil_utc(secs)
}

fn civil_utc(secs: u64) -> (String, String) {
    let z = (secs / 86_400) as i64 + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    let tod = secs % 86_400;
    (
        format!("{year:04}-{month:02}-{day:02}"),
        format!("{:02}:{:02}:{:02}", tod / 3600, tod / 60 % 60, tod % 60),
    )
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
    fn civil_dates_and_times() {
        assert_eq!(civil_utc(0), ("1970-01-01".into(), "00:00:00".into()));
        // 2024-02-29 23:59:59 UTC, a leap day.
        assert_eq!(
            civil_utc(1_709_251_199),
            ("2024-02-29".into(), "23:59:59".into())
        );
        assert_eq!(
            civil_utc(1_709_251_200),
            ("2024-03-01".into(), "00:00:00".into())
        );
    }

    #[test]
    fn cold_caches_start_empty_and_warm_ones_are_filled_once() {
        let scratch = std::env::temp_dir().join(format!("vm-bench-cache-{}", std::process::id()));
        let cache = scratch.join("cache");
        let fill = |s: &Path| -> Result<()> {
            fs::write(s.join("cache/entry"), b"code").map_err(Into::into)
        };
        let entry = cache.join("entry");
        prepare_cache(Runner::VmWarm, 0, &scratch, fill).unwrap();
        assert!(entry.is_file(), "the warm-up run fills the cache");
        prepare_cache(Runner::VmWarm, 1, &scratch, |_| panic!("warmed up twice")).unwrap();
        assert!(entry.is_file(), "later warm runs keep it");
        prepare_cache(Runner::VmCold, 1, &scratch, |_| {
            panic!("cold runs never warm up")
        })
        .unwrap();
        assert!(cache.is_dir() && !entry.exists(), "cold runs start empty");
        fs::write(&entry, b"x").unwrap();
        prepare_cache(Runner::Qemu, 0, &scratch, |_| panic!("qemu has no cache")).unwrap();
        assert!(entry.is_file(), "other runners leave it alone");
        fs::remove_dir_all(&scratch).unwrap();
    }

    #[test]
    fn the_summary_is_the_last_non_empty_line() {
        assert_eq!(
            last_line(b"off\n1|2\nt1 3 rows, checksum 9\n\n"),
            "t1 3 rows, checksum 9"
        );
        assert_eq!(last_line(b"only"), "only");
        assert_eq!(last_line(b""), "");
    }

    #[test]
    fn different_output_is_an_error() {
        let mut reference = None;
        check_output("w", 0, Runner::Native, b"1\n", &mut reference).unwrap();
        check_output("w", 0, Runner::Qemu, b"1\n", &mut reference).unwrap();
        assert!(check_output("w", 1, Runner::VmInterp, b"2\n", &mut reference).is_err());
    }
}
