//! The workloads: which programs they run, how those programs are built from source
//! for RISC-V (guest) and x86-64 (native), and the sizes of a smoke, a quick and a full
//! run.
//!
//! Invariants: the guest and the native build of a program come from the same sources
//! with the same defines; a build is cached under `work/build/` by a hash of its
//! compiler, flags and the bytes of every source and header (crate `vm-guest-build`),
//! so a changed input always rebuilds and an unchanged one never does.

use std::fs;
use std::path::{Path, PathBuf};

use anyhow::{bail, Context, Result};
use serde::Serialize;
use vm_guest_build::{Build, PendingBuild, RegistrySources, Target};

/// Whether a workload measures steady-state speed or start-up cost.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Kind {
    Steady,
    Startup,
}

/// A program the workloads run, built from source at bench time.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Program {
    Coremark,
    Lua,
    Sqlite,
    Zlib,
    Textproc,
    /// An empty static program: the floor of the max-RSS column (measure.rs).
    Empty,
}

/// Both builds of one program.
#[derive(Clone, Debug)]
pub struct Built {
    pub guest: PathBuf,
    pub native: PathBuf,
}

/// One process of a step: a program and its arguments.
#[derive(Clone, Debug)]
pub struct Invocation {
    pub program: Program,
    pub args: Vec<String>,
}

/// One measured run of a workload: steps run one after another; the processes of a
/// step are connected stdout to stdin, like a shell pipeline.
#[derive(Clone, Debug)]
pub struct Workload {
    pub name: &'static str,
    pub kind: Kind,
    pub description: String,
    pub steps: Vec<Vec<Invocation>>,
    /// Files removed before every run (a database the run creates).
    pub fresh_files: Vec<PathBuf>,
}

impl Workload {
    pub fn programs(&self) -> Vec<Program> {
        let mut v: Vec<Program> = Vec::new();
        for inv in self.steps.iter().flatten() {
            if !v.contains(&inv.program) {
                v.push(inv.program);
            }
        }
        v
    }
}

/// How big a run is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Mode {
    /// Tiny sizes and one run: for the test suite, which checks that the tool works;
    /// its numbers mean nothing.
    Smoke,
    /// Every steady-state workload takes a few seconds under `vm --engine interp`;
    /// the whole run stays under three minutes on two cores.
    Quick,
    /// About five times the quick sizes and more runs; under twenty minutes.
    Full,
}

impl Mode {
    pub fn name(self) -> &'static str {
        match self {
            Mode::Smoke => "smoke",
            Mode::Quick => "quick",
            Mode::Full => "full",
        }
    }

    /// Runs per runner per workload unless `--runs` says otherwise.
    pub fn default_runs(self) -> usize {
        match self {
            Mode::Smoke => 1,
            Mode::Quick => 3,
            Mode::Full => 5,
        }
    }
}

/// Problem sizes. Steady-state sizes are chosen so that native and qemu runs are well
/// past their start-up (tens of milliseconds and more natively, hundreds under qemu) and
/// the interpreter runs for seconds.
#[derive(Clone, Copy, Debug, Serialize)]
pub struct Sizes {
    pub coremark_iterations: u32,
    pub lua_rounds: u32,
    pub sqlite_rows: u32,
    pub zlib_kib: u32,
    pub pipeline_lines: u32,
    pub short_processes: u32,
}

impl Sizes {
    pub fn new(mode: Mode) -> Sizes {
        match mode {
            Mode::Smoke => Sizes {
                coremark_iterations: 20,
                lua_rounds: 1,
                sqlite_rows: 200,
                zlib_kib: 32,
                pipeline_lines: 200,
                short_processes: 100,
            },
            Mode::Quick => Sizes {
                coremark_iterations: 6000,
                lua_rounds: 2,
                sqlite_rows: 20000,
                zlib_kib: 1024,
                pipeline_lines: 2000,
                short_processes: 100,
            },
            Mode::Full => Sizes {
                coremark_iterations: 30000,
                lua_rounds: 10,
                sqlite_rows: 100000,
                zlib_kib: 5120,
                pipeline_lines: 10000,
                short_processes: 100,
            },
        }
    }
}

/// Every workload name, in report order.
pub const NAMES: [&str; 8] = [
    "coremark",
    "lua",
    "sqlite",
    "zlib",
    "sqlite-hello",
    "lua-hello",
    "pipeline",
    "procs-100",
];

fn inv(program: Program, args: &[&str]) -> Invocation {
    Invocation {
        program,
        args: args.iter().map(|s| s.to_string()).collect(),
    }
}

/// Builds the workload called `name`; inputs it needs (SQL scripts) go under `work`.
pub fn workload(name: &str, sizes: &Sizes, root: &Path, work: &Path) -> Result<Workload> {
    let lua_dir = root.join("bench/workloads/lua");
    let lua_script = |f: &str| lua_dir.join(f).display().to_string();
    let data = work.join("data");
    fs::create_dir_all(&data).with_context(|| format!("creating {}", data.display()))?;
    let w = match name {
        "coremark" => Workload {
            name: "coremark",
            kind: Kind::Steady,
            description: format!(
                "lists, matrices, state machine, CRC ({} iterations)",
                sizes.coremark_iterations
            ),
            steps: vec![vec![inv(
                Program::Coremark,
                &[&sizes.coremark_iterations.to_string()],
            )]],
            fresh_files: vec![],
        },
        "lua" => Workload {
            name: "lua",
            kind: Kind::Steady,
            description: format!(
                "Lua 5.4: recursion, sieve, strings, sort, closures ({} rounds)",
                sizes.lua_rounds
            ),
            steps: vec![vec![inv(
                Program::Lua,
                &[&lua_script("cpu.lua"), &sizes.lua_rounds.to_string()],
            )]],
            fresh_files: vec![],
        },
        "sqlite" => {
            let sql = data.join(format!("speedtest-{}.sql", sizes.sqlite_rows));
            write_if_changed(&sql, &speedtest_sql(sizes.sqlite_rows))?;
            let db = data.join("speedtest.db");
            Workload {
                name: "sqlite",
                kind: Kind::Steady,
                description: format!(
                    "SQLite: inserts, indexes, joins, updates, deletes ({} rows)",
                    sizes.sqlite_rows
                ),
                steps: vec![vec![Invocation {
                    program: Program::Sqlite,
                    args: vec![db.display().to_string(), sql.display().to_string()],
                }]],
                fresh_files: vec![db],
            }
        }
        "zlib" => Workload {
            name: "zlib",
            kind: Kind::Steady,
            description: format!(
                "zlib: compress at levels 1/6/9 and inflate {} KiB of prose, logs, binary \
                 records and noise",
                sizes.zlib_kib
            ),
            steps: vec![vec![inv(Program::Zlib, &[&sizes.zlib_kib.to_string()])]],
            fresh_files: vec![],
        },
        "sqlite-hello" => {
            let sql = data.join("hello.sql");
            write_if_changed(
                &sql,
                "CREATE TABLE t(a INTEGER, b TEXT);\n\
                 INSERT INTO t VALUES (1, 'one'), (2, 'two');\n\
                 SELECT a, b FROM t ORDER BY a;\n",
            )?;
            let db = data.join("hello.db");
            Workload {
                name: "sqlite-hello",
                kind: Kind::Startup,
                description: "SQLite driver running a three-line script".to_string(),
                steps: vec![vec![Invocation {
                    program: Program::Sqlite,
                    args: vec![db.display().to_string(), sql.display().to_string()],
                }]],
                fresh_files: vec![db],
            }
        }
        "lua-hello" => Workload {
            name: "lua-hello",
            kind: Kind::Startup,
            description: "Lua printing one line".to_string(),
            steps: vec![vec![inv(Program::Lua, &[&lua_script("hello.lua")])]],
            fresh_files: vec![],
        },
        "pipeline" => Workload {
            name: "pipeline",
            kind: Kind::Startup,
            description: format!(
                "gen {} | upper | count: three guest processes joined by pipes",
                sizes.pipeline_lines
            ),
            steps: vec![vec![
                inv(
                    Program::Textproc,
                    &["gen", &sizes.pipeline_lines.to_string()],
                ),
                inv(Program::Textproc, &["upper"]),
                inv(Program::Textproc, &["count"]),
            ]],
            fresh_files: vec![],
        },
        "procs-100" => Workload {
            name: "procs-100",
            kind: Kind::Startup,
            description: format!(
                "{} short processes in sequence, the shape of a cross build",
                sizes.short_processes
            ),
            steps: (0..sizes.short_processes)
                .map(|i| {
                    vec![inv(
                        Program::Textproc,
                        &["sum", &format!("unit{i}.c"), "-O2", "-c"],
                    )]
                })
                .collect(),
            fresh_files: vec![],
        },
        other => bail!("unknown workload {other:?} (known: {})", NAMES.join(", ")),
    };
    Ok(w)
}

/// A speedtest-like SQL mix over `rows` rows; every SELECT prints a small result, and
/// the last one a summary of both tables (row counts and a checksum of their contents).
fn speedtest_sql(rows: u32) -> String {
    format!(
        "PRAGMA journal_mode=OFF;\n\
         PRAGMA synchronous=OFF;\n\
         CREATE TABLE t1(a INTEGER PRIMARY KEY, b INTEGER, c TEXT);\n\
         CREATE TABLE t2(a INTEGER, b INTEGER, c TEXT);\n\
         WITH RECURSIVE n(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM n WHERE x < {rows})\n\
           INSERT INTO t1 SELECT x, (x * 7919) % 100003, printf('row %d value %x', x, x * 31) FROM n;\n\
         INSERT INTO t2 SELECT a, b % 1000, upper(c) FROM t1;\n\
         CREATE INDEX t1b ON t1(b);\n\
         CREATE INDEX t2b ON t2(b);\n\
         SELECT count(*), sum(b), max(length(c)) FROM t1;\n\
         SELECT count(*) FROM t1 WHERE b BETWEEN 1000 AND 30000;\n\
         SELECT t2.b, count(*) FROM t1 JOIN t2 ON t1.a = t2.a WHERE t1.b % 7 = 0 GROUP BY t2.b ORDER BY 2 DESC, 1 LIMIT 5;\n\
         SELECT sum(length(c)) FROM t2 WHERE c LIKE '%F%';\n\
         UPDATE t1 SET b = b + 1 WHERE a % 3 = 0;\n\
         UPDATE t2 SET c = lower(c) WHERE b < 500;\n\
         DELETE FROM t1 WHERE a % 5 = 0;\n\
         SELECT count(*), sum(b) FROM t1;\n\
         SELECT a, b FROM t1 ORDER BY b DESC, a LIMIT 3;\n\
         SELECT count(DISTINCT b) FROM t2;\n\
         DROP INDEX t2b;\n\
         SELECT count(*) FROM t2 WHERE b = 123;\n\
         SELECT printf('t1 %d rows, t2 %d rows, checksum %d',\n\
           (SELECT count(*) FROM t1), (SELECT count(*) FROM t2),\n\
           (SELECT sum((a * 31 + b) % 1000003 + length(c)) FROM t1)\n\
             + (SELECT sum(b * 7 + length(c) + unicode(c)) FROM t2));\n"
    )
}

fn write_if_changed(path: &Path, text: &str) -> Result<()> {
    if fs::read_to_string(path).ok().as_deref() == Some(text) {
        return Ok(());
    }
    fs::write(path, text).with_context(|| format!("writing {}", path.display()))
}

/// How to compile `program` for `target`: the same sources and defines for both.
fn recipe(program: Program, target: Target, root: &Path, src: &RegistrySources) -> Result<Build> {
    let drivers = root.join("tests/guest-drivers");
    let ours = root.join("bench/workloads");
    let own = |name: &str, flags: &[&str]| {
        Build::program(
            target,
            name,
            vec![ours.join(format!("{name}.c"))],
            vec![],
            flags.iter().map(|f| f.to_string()).collect(),
        )
    };
    Ok(match program {
        Program::Coremark => own("coremark", &[]),
        Program::Textproc => own("textproc", &[]),
        Program::Empty => own("empty", &["-static"]),
        Program::Lua => src.lua(target, &drivers.join("lua_driver.c"))?,
        Program::Sqlite => src.sqlite(target, &drivers.join("sqlite_driver.c")),
        Program::Zlib => src.zlib(target, &ours.join("zlib_driver.c"))?,
    })
}

/// Builds `program` for both sides (the two compilers run at once) into `work/build/`,
/// or reuses the cached builds.
pub fn build(program: Program, root: &Path, src: &RegistrySources, work: &Path) -> Result<Built> {
    let dir = work.join("build");
    let start = |target: Target| -> Result<PendingBuild> {
        let build = recipe(program, target, root, src)?;
        let pending = build.start(&dir)?;
        if pending.is_compiling() {
            eprintln!(
                "building {} for {} ({})",
                build.name,
                target.tag(),
                target.compiler()
            );
        }
        Ok(pending)
    };
    let guest = start(Target::Riscv64)?;
    let native = start(Target::X86_64)?;
    Ok(Built {
        guest: guest.finish()?,
        native: native.finish()?,
    })
}
