//! One measured run of a workload under a runner: wall time from the first spawn to the
//! last exit, the peak RSS of the processes (from `wait4`'s rusage), and the stdout of
//! the last process of every step, which the caller compares across runners.
//!
//! Max RSS is `ru_maxrss`: the peak resident set of the largest single process of the
//! run (not a sum over the processes of a pipeline). It has a floor: the kernel counts
//! the memory a child has between fork and exec, the page-table copy of this tool's
//! anonymous pages. Children are forked, not vforked, so that the floor is this tool's
//! anonymous memory, not all of it; [`rss_floor`] measures it with an empty program.
//!
//! Invariant: a run whose process fails (non-zero status, a signal) is an error, never
//! a number.

use std::fs::{self, File};
use std::os::unix::process::CommandExt;
use std::path::Path;
use std::process::{Child, Stdio};
use std::time::{Duration, Instant};

use anyhow::{bail, Context, Result};

use crate::runners::{Runner, Tools};
use crate::workloads::{Built, Program, Workload};

/// What one run produced.
#[derive(Debug)]
pub struct Sample {
    pub wall: Duration,
    /// The largest max RSS of any process of the run, in KiB.
    pub max_rss_kib: u64,
    pub stdout: Vec<u8>,
}

/// Runs `workload` once under `runner`; `scratch` holds the output files and the AOT
/// cache directory (`scratch/cache`), which the caller prepares (runners.rs).
pub fn run_once(
    workload: &Workload,
    runner: Runner,
    tools: &Tools,
    built: &dyn Fn(Program) -> Built,
    scratch: &Path,
) -> Result<Sample> {
    let cache_dir = scratch.join("cache");
    for f in &workload.fresh_files {
        match fs::remove_file(f) {
            Ok(()) => {}
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
            Err(e) => return Err(e).with_context(|| format!("removing {}", f.display())),
        }
    }
    fs::create_dir_all(scratch).with_context(|| format!("creating {}", scratch.display()))?;
    let out_path = scratch.join("stdout");
    let err_path = scratch.join("stderr");
    let stdout_file = File::create(&out_path).context("creating the stdout file")?;
    let stderr_file = File::create(&err_path).context("creating the stderr file")?;
    let mut max_rss_kib = 0;
    let start = Instant::now();
    for step in &workload.steps {
        let mut children: Vec<(Child, String)> = Vec::new();
        let mut input = Stdio::null();
        for (i, invocation) in step.iter().enumerate() {
            let last = i + 1 == step.len();
            let mut cmd = tools.command(
                runner,
                &built(invocation.program),
                &invocation.args,
                &cache_dir,
            )?;
            let what = format!("{:?}", cmd);
            cmd.stdin(input)
                .stderr(stderr_file.try_clone().context("duplicating stderr")?);
            if last {
                cmd.stdout(stdout_file.try_clone().context("duplicating stdout")?);
            } else {
                cmd.stdout(Stdio::piped());
            }
            let mut child = spawn_forked(&mut cmd).with_context(|| format!("starting {what}"))?;
            input = match child.stdout.take() {
                Some(pipe) => Stdio::from(pipe),
                None => Stdio::null(),
            };
            children.push((child, what));
        }
        for (child, what) in children {
            let (status, rss) = wait4(&child).with_context(|| format!("waiting for {what}"))?;
            max_rss_kib = max_rss_kib.max(rss);
            if !status_ok(status) {
                let stderr = fs::read_to_string(&err_path).unwrap_or_default();
                bail!(
                    "{what} under {} failed ({}); stderr:\n{}",
                    runner.key(),
                    describe_status(status),
                    tail(&stderr, 2000)
                );
            }
        }
    }
    let wall = start.elapsed();
    let stdout = fs::read(&out_path).context("reading the captured stdout")?;
    Ok(Sample {
        wall,
        max_rss_kib,
        stdout,
    })
}

/// Starts `cmd` by fork and exec.
fn spawn_forked(cmd: &mut std::process::Command) -> std::io::Result<Child> {
    // A pre_exec hook makes std fork instead of vfork: after a vfork, exec records the
    // parent's (this tool's) peak RSS as the child's, hiding small runners.
    // SAFETY: the hook does nothing, so it is async-signal-safe.
    unsafe {
        cmd.pre_exec(|| Ok(()));
    }
    cmd.spawn()
}

/// The max RSS, in KiB, reported for `empty` (a static program that does nothing)
/// started the way the runs start theirs: the smallest figure the column can show.
pub fn rss_floor(empty: &Path) -> Result<u64> {
    let mut floor = 0;
    for _ in 0..3 {
        let mut cmd = std::process::Command::new(empty);
        cmd.stdin(Stdio::null()).stdout(Stdio::null());
        let child =
            spawn_forked(&mut cmd).with_context(|| format!("starting {}", empty.display()))?;
        let (status, rss) = wait4(&child).context("waiting for the empty program")?;
        if !status_ok(status) {
            bail!("{} failed ({})", empty.display(), describe_status(status));
        }
        floor = floor.max(rss);
    }
    Ok(floor)
}

/// Waits for `child` with `wait4`, returning its raw status and max RSS in KiB.
fn wait4(child: &Child) -> Result<(libc::c_int, u64)> {
    let pid = libc::pid_t::try_from(child.id()).context("pid out of range")?;
    let mut status: libc::c_int = 0;
    // SAFETY: an all-zero rusage is a valid value of this plain C struct.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    loop {
        // SAFETY: `status` and `usage` are valid, writable and live for the call; `pid`
        // is our own unwaited child, so no other process's status is reaped.
        let r = unsafe { libc::wait4(pid, &mut status, 0, &mut usage) };
        if r == pid {
            break;
        }
        let err = std::io::Error::last_os_error();
        if err.kind() != std::io::ErrorKind::Interrupted {
            return Err(err).context("wait4");
        }
    }
    Ok((status, u64::try_from(usage.ru_maxrss).unwrap_or(0)))
}

fn status_ok(status: libc::c_int) -> bool {
    libc::WIFEXITED(status) && libc::WEXITSTATUS(status) == 0
}

fn describe_status(status: libc::c_int) -> String {
    if libc::WIFEXITED(status) {
        format!("exit status {}", libc::WEXITSTATUS(status))
    } else if libc::WIFSIGNALED(status) {
        format!("killed by signal {}", libc::WTERMSIG(status))
    } else {
        format!("wait status {status:#x}")
    }
}

fn tail(s: &str, max: usize) -> &str {
    let mut start = s.len().saturating_sub(max);
    while !s.is_char_boundary(start) {
        start += 1;
    }
    &s[start..]
}

/// Median, minimum and maximum of some durations, in seconds.
#[derive(Clone, Copy, Debug, serde::Serialize)]
pub struct Stats {
    pub median_s: f64,
    pub min_s: f64,
    pub max_s: f64,
}

impl Stats {
    pub fn of(samples: &[Duration]) -> Option<Stats> {
        let mut s: Vec<f64> = samples.iter().map(Duration::as_secs_f64).collect();
        if s.is_empty() {
            return None;
        }
        s.sort_by(f64::total_cmp);
        let n = s.len();
        let median = if n % 2 == 1 {
            s[n / 2]
        } else {
            (s[n / 2 - 1] + s[n / 2]) / 2.0
        };
        Some(Stats {
            median_s: median,
            min_s: s[0],
            max_s: s[n - 1],
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn median_of_odd_and_even_counts() {
        let ms = |v: &[u64]| {
            v.iter()
                .map(|&m| Duration::from_millis(m))
                .collect::<Vec<_>>()
        };
        let s = Stats::of(&ms(&[30, 10, 20])).unwrap();
        assert_eq!((s.median_s, s.min_s, s.max_s), (0.02, 0.01, 0.03));
        let s = Stats::of(&ms(&[40, 10, 20, 30])).unwrap();
        assert!((s.median_s - 0.025).abs() < 1e-12);
        assert!(Stats::of(&[]).is_none());
    }
}
