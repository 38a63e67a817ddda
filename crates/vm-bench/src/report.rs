//! The results of a bench run, and their Markdown and JSON forms.
//!
//! Ratios are all "higher is faster": `speed_vs_qemu` is qemu's median time over the
//! runner's, `fraction_of_native` is native's median time over the runner's.

use std::fmt::Write as _;

use serde::Serialize;

use crate::measure::Stats;
use crate::runners::Runner;
use crate::workloads::{Kind, Mode, Sizes};

#[derive(Debug, Serialize)]
pub struct Report {
    /// The UTC date and time the run started.
    pub date: String,
    pub time_utc: String,
    pub mode: Mode,
    pub runs: usize,
    pub host: String,
    pub vm_commit: String,
    pub sizes: Sizes,
    /// The max RSS reported for an empty static program started like the runs: no
    /// max-RSS figure can be lower (measure.rs).
    pub rss_floor_kib: u64,
    pub runners: Vec<RunnerInfo>,
    pub workloads: Vec<WorkloadResult>,
}

#[derive(Debug, Serialize)]
pub struct RunnerInfo {
    pub runner: Runner,
    pub label: &'static str,
    /// Why the runner has no numbers, when it has none.
    pub unavailable: Option<String>,
}

#[derive(Debug, Serialize)]
pub struct WorkloadResult {
    pub name: &'static str,
    pub kind: Kind,
    pub description: String,
    /// The last non-empty line of the output every runner printed alike: every
    /// workload ends its output with a summary (a checksum, counts or sizes).
    pub output_summary: String,
    pub results: Vec<RunnerResult>,
    /// vm warm median over vm cold median, when both exist.
    pub warm_over_cold: Option<f64>,
}

#[derive(Debug, Serialize)]
pub struct RunnerResult {
    pub runner: Runner,
    pub unavailable: Option<String>,
    pub stats: Option<Stats>,
    pub samples_s: Vec<f64>,
    pub max_rss_kib: Option<u64>,
    pub speed_vs_qemu: Option<f64>,
    pub fraction_of_native: Option<f64>,
}

impl WorkloadResult {
    /// Fills in the ratios from the medians of qemu, native and vm cold/warm.
    pub fn compute_ratios(&mut self) {
        let median = |r: Runner| {
            self.results
                .iter()
                .find(|x| x.runner == r)
                .and_then(|x| x.stats)
                .map(|s| s.median_s)
        };
        let qemu = median(Runner::Qemu);
        let native = median(Runner::Native);
        self.warm_over_cold = median(Runner::VmWarm)
            .zip(median(Runner::VmCold))
            .map(|(w, c)| w / c);
        for r in &mut self.results {
            if let Some(s) = r.stats {
                r.speed_vs_qemu = qemu.map(|q| q / s.median_s);
                r.fraction_of_native = native.map(|n| n / s.median_s);
            }
        }
    }
}

fn secs(s: f64) -> String {
    if s < 1.0 {
        format!("{:.1} ms", s * 1000.0)
    } else {
        format!("{s:.2} s")
    }
}

fn ratio(r: Option<f64>) -> String {
    r.map(times).unwrap_or_else(|| "n/a".to_string())
}

/// A ratio with two significant digits (three from 1 to 10): `0.068×`, `2.42×`, `15×`.
pub fn times(v: f64) -> String {
    if v >= 10.0 {
        format!("{v:.0}×")
    } else if v >= 1.0 {
        format!("{v:.2}×")
    } else if v > 0.0 {
        let digits = (-v.log10().floor()) as usize + 1;
        format!("{v:.digits$}×")
    } else {
        format!("{v}×")
    }
}

impl Report {
    pub fn markdown(&self, chart_file: &str) -> String {
        let mut md = String::new();
        let _ = writeln!(
            md,
            "# vm benchmarks, {} {} UTC ({} run)\n",
            self.date,
            self.time_utc,
            self.mode.name()
        );
        let _ = writeln!(
            md,
            "Host: {}. vm commit {}. Each time is the median of {} runs (min and max beside it); \
             runs alternate between runners. Speed vs qemu = qemu time / runner time and \
             fraction of native = native time / runner time: higher is faster. \
             Max RSS is the largest peak resident set of any one process of a run \
             (`wait4`'s ru_maxrss: for vm and qemu, the emulator plus the guest memory \
             it touched); its floor, what an empty static program is reported to use \
             when started the same way, is {:.1} MiB here.\n",
            self.host,
            self.vm_commit,
            self.runs,
            self.rss_floor_kib as f64 / 1024.0
        );
        for r in &self.runners {
            let _ = write!(md, "- {}: {}", r.label, r.runner.description());
            match &r.unavailable {
                Some(why) => {
                    let _ = writeln!(md, "; {why}, so its columns and warm / cold say n/a.");
                }
                None => md.push_str(".\n"),
            }
        }
        let _ = writeln!(md, "\n![speed relative to qemu]({chart_file})\n");
        let _ = writeln!(md, "## Summary: speed vs qemu-riscv64-static\n");
        let mut header = "| workload | kind |".to_string();
        let mut rule = "| --- | --- |".to_string();
        for r in &self.runners {
            let _ = write!(header, " {} |", r.label);
            rule.push_str(" ---: |");
        }
        let _ = writeln!(md, "{header} warm / cold |\n{rule} ---: |");
        for w in &self.workloads {
            let _ = write!(md, "| {} | {} |", w.name, kind(w.kind));
            for info in &self.runners {
                let cell = w
                    .results
                    .iter()
                    .find(|x| x.runner == info.runner)
                    .map(|x| match &x.unavailable {
                        Some(_) => "n/a".to_string(),
                        None => ratio(x.speed_vs_qemu),
                    })
                    .unwrap_or_else(|| "–".to_string());
                let _ = write!(md, " {cell} |");
            }
            let _ = writeln!(md, " {} |", ratio(w.warm_over_cold));
        }
        for w in &self.workloads {
            let _ = writeln!(
                md,
                "\n## {} ({})\n\n{}. Last line of output: `{}`\n",
                w.name,
                kind(w.kind),
                w.description,
                w.output_summary
            );
            let _ = writeln!(
                md,
                "| runner | median | min | max | speed vs qemu | fraction of native | max RSS |\n\
                 | --- | ---: | ---: | ---: | ---: | ---: | ---: |"
            );
            for r in &w.results {
                let label = r.runner.label();
                match (&r.unavailable, r.stats) {
                    (Some(why), _) => {
                        let _ = writeln!(md, "| {label} | {why} | | | n/a | n/a | n/a |");
                    }
                    (None, Some(s)) => {
                        let rss = r
                            .max_rss_kib
                            .map(|k| format!("{:.1} MiB", k as f64 / 1024.0))
                            .unwrap_or_else(|| "n/a".into());
                        let _ = writeln!(
                            md,
                            "| {label} | {} | {} | {} | {} | {} | {rss} |",
                            secs(s.median_s),
                            secs(s.min_s),
                            secs(s.max_s),
                            ratio(r.speed_vs_qemu),
                            ratio(r.fraction_of_native),
                        );
                    }
                    (None, None) => {
                        let _ = writeln!(md, "| {label} | not run | | | | | |");
                    }
                }
            }
        }
        md
    }
}

fn kind(k: Kind) -> &'static str {
    match k {
        Kind::Steady => "steady state",
        Kind::Startup => "startup",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn result(runner: Runner, median: f64) -> RunnerResult {
        RunnerResult {
            runner,
            unavailable: None,
            stats: Some(Stats {
                median_s: median,
                min_s: median,
                max_s: median,
            }),
            samples_s: vec![median],
            max_rss_kib: Some(1024),
            speed_vs_qemu: None,
            fraction_of_native: None,
        }
    }

    #[test]
    fn ratios_keep_two_significant_digits() {
        assert_eq!(times(0.0677), "0.068×");
        assert_eq!(times(0.15), "0.15×");
        assert_eq!(times(1.0), "1.00×");
        assert_eq!(times(2.424), "2.42×");
        assert_eq!(times(14.6), "15×");
        assert_eq!(ratio(None), "n/a");
    }

    #[test]
    fn ratios_are_higher_when_faster() {
        let mut w = WorkloadResult {
            name: "x",
            kind: Kind::Steady,
            description: String::new(),
            output_summary: String::new(),
            results: vec![
                result(Runner::VmInterp, 8.0),
                result(Runner::Qemu, 2.0),
                result(Runner::Native, 1.0),
            ],
            warm_over_cold: None,
        };
        w.compute_ratios();
        assert_eq!(w.results[0].speed_vs_qemu, Some(0.25));
        assert_eq!(w.results[0].fraction_of_native, Some(0.125));
        assert_eq!(w.results[2].speed_vs_qemu, Some(2.0));
        assert_eq!(w.warm_over_cold, None);
    }
}
