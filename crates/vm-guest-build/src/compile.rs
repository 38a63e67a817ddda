//! One compiler invocation and its cached result.
//!
//! Invariant: the key of a build covers the compiler's version line, every flag in
//! order, and the file name and bytes of every source and extra input; nothing else
//! reaches the compiler's command line.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};

use crate::cache::{self, KeyHasher};
use crate::{Error, Result, Target};

/// One compiler invocation: inputs, flags and the files whose contents it depends on.
#[derive(Clone, Debug)]
pub struct Build {
    /// Name of the program; the cached binary is `<name>-<target>-<key>`.
    pub name: String,
    pub target: Target,
    pub sources: Vec<PathBuf>,
    /// Flags placed before the sources.
    pub cflags: Vec<String>,
    /// Flags placed after the sources (libraries).
    pub ldflags: Vec<String>,
    /// Files that do not appear on the command line but affect the output (headers).
    pub extra_inputs: Vec<PathBuf>,
}

impl Build {
    /// An optimised stand-alone program for `target` ([`Target::program_flags`], then
    /// `flags`), linked with libm; `headers` are hashed, not compiled.
    pub fn program(
        target: Target,
        name: &str,
        sources: Vec<PathBuf>,
        headers: Vec<PathBuf>,
        flags: Vec<String>,
    ) -> Build {
        Build {
            name: name.to_string(),
            target,
            sources,
            cflags: target
                .program_flags()
                .iter()
                .map(|f| f.to_string())
                .chain(flags)
                .collect(),
            ldflags: vec!["-lm".to_string()],
            extra_inputs: headers,
        }
    }

    fn key(&self) -> Result<String> {
        let mut h = KeyHasher::new();
        h.add(self.target.version()?.as_bytes());
        for f in self.cflags.iter().chain(&self.ldflags) {
            h.add(f.as_bytes());
        }
        for p in self.sources.iter().chain(&self.extra_inputs) {
            h.add(
                p.file_name()
                    .map(|n| n.as_encoded_bytes())
                    .unwrap_or_default(),
            );
            h.add_file(p)?;
        }
        Ok(h.key())
    }

    /// Compiles into the cache `dir` unless an up-to-date binary is already there, and
    /// returns its path.
    pub fn run(&self, dir: &Path) -> Result<PathBuf> {
        self.start(dir)?.finish()
    }

    /// Starts the compiler (unless the cache has the binary) without waiting for it, so
    /// that several builds can run at once; [`PendingBuild::finish`] waits.
    pub fn start(&self, dir: &Path) -> Result<PendingBuild> {
        let entry = cache::entry(dir, &self.name, self.target, &self.key()?);
        if entry.is_file() {
            cache::prune_others(&entry);
            return Ok(PendingBuild { entry, job: None });
        }
        fs::create_dir_all(dir).map_err(|e| Error::io("creating", dir, e))?;
        let tmp = cache::temporary(dir, &self.name);
        let mut cmd = Command::new(self.target.compiler());
        cmd.args(&self.cflags)
            .args(&self.sources)
            .args(&self.ldflags)
            .arg("-o")
            .arg(&tmp)
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::piped());
        let what = format!(
            "compiling {} for {} ({cmd:?})",
            self.name,
            self.target.tag()
        );
        let child = cmd
            .spawn()
            .map_err(|e| self.target.missing(e.to_string()))?;
        Ok(PendingBuild {
            entry,
            job: Some(Job { child, tmp, what }),
        })
    }
}

/// A build that may still be compiling.
#[derive(Debug)]
pub struct PendingBuild {
    entry: PathBuf,
    job: Option<Job>,
}

#[derive(Debug)]
struct Job {
    child: Child,
    tmp: PathBuf,
    what: String,
}

impl PendingBuild {
    /// Whether a compiler is running (false when the cache had the binary).
    pub fn is_compiling(&self) -> bool {
        self.job.is_some()
    }

    /// Waits for the compiler and puts its output into the cache; returns the path of
    /// the cached binary.
    pub fn finish(self) -> Result<PathBuf> {
        let Some(job) = self.job else {
            return Ok(self.entry);
        };
        let out = job
            .child
            .wait_with_output()
            .map_err(|e| Error::io("waiting for the compiler of", &self.entry, e))?;
        if !out.status.success() {
            let _ = fs::remove_file(&job.tmp);
            return Err(Error::Failed {
                what: job.what,
                status: out.status.to_string(),
                stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
            });
        }
        cache::install(&job.tmp, &self.entry)?;
        Ok(self.entry)
    }
}
