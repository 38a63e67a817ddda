//! The workloads: which programs they run, how those programs are built from source
//! for RISC-V (guest) and x86-64 (native), and the sizes of a smoke, a quick and a full
//! run.
//!
//! Invariants: the guest and the native build of a program come from the same sources
//! with the same defines; a build is cached under `work/build/` by a hash of its
//! compiler, flags and the bytes of every source and header, so a changed input always
//! rebuilds and an unchanged one never does.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

use anyhow::{bail, Context, Result};
use serde::Serialize;

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
                "zlib: compress at levels 1/6/9 and inflate {} KiB",
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

/// A speedtest-like SQL mix over `rows` rows; every SELECT prints a small result.
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
         SELECT count(*) FROM t2 WHERE b = 123;\n"
    )
}

fn write_if_changed(path: &Path, text: &str) -> Result<()> {
    if fs::read_to_string(path).ok().as_deref() == Some(text) {
        return Ok(());
    }
    fs::write(path, text).with_context(|| format!("writing {}", path.display()))
}

/// Where the registry crates that carry the workloads' sources were unpacked.
#[derive(Debug)]
pub struct Sources {
    pub lua: PathBuf,
    pub sqlite: PathBuf,
    pub zlib: PathBuf,
}

impl Sources {
    /// Asks `cargo metadata` (which downloads the never-built dependencies of this crate)
    /// where `lua-src`, `libsqlite3-sys` and `libz-sys` are.
    pub fn locate(root: &Path) -> Result<Sources> {
        let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
        let out = Command::new(cargo)
            .args(["metadata", "--format-version", "1", "--locked"])
            .current_dir(root)
            .output()
            .context("running cargo metadata")?;
        if !out.status.success() {
            bail!(
                "cargo metadata failed: {}",
                String::from_utf8_lossy(&out.stderr)
            );
        }
        let meta: serde_json::Value =
            serde_json::from_slice(&out.stdout).context("parsing cargo metadata output")?;
        let dir = |name: &str| -> Result<PathBuf> {
            let packages = meta["packages"]
                .as_array()
                .context("no packages in metadata")?;
            let manifest = packages
                .iter()
                .find(|p| p["name"] == name)
                .and_then(|p| p["manifest_path"].as_str())
                .with_context(|| format!("package {name} not in cargo metadata"))?;
            Ok(Path::new(manifest)
                .parent()
                .context("manifest without a directory")?
                .to_path_buf())
        };
        let lua_root = dir("lua-src")?;
        let lua = fs::read_dir(&lua_root)
            .with_context(|| format!("listing {}", lua_root.display()))?
            .filter_map(|e| e.ok().map(|e| e.path()))
            .find(|p| {
                p.file_name()
                    .and_then(|n| n.to_str())
                    .is_some_and(|n| n.starts_with("lua-5.4"))
            })
            .with_context(|| format!("no lua-5.4.* directory in {}", lua_root.display()))?;
        Ok(Sources {
            lua,
            sqlite: dir("libsqlite3-sys")?.join("sqlite3"),
            zlib: dir("libz-sys")?.join("src/zlib"),
        })
    }
}

/// How to compile one program: sources, headers (hashed only) and flags shared by both
/// targets.
struct Recipe {
    name: &'static str,
    sources: Vec<PathBuf>,
    headers: Vec<PathBuf>,
    flags: Vec<String>,
}

fn files_with_ext(dir: &Path, ext: &str) -> Result<Vec<PathBuf>> {
    let mut v: Vec<PathBuf> = fs::read_dir(dir)
        .with_context(|| format!("listing {}", dir.display()))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|e| e == ext))
        .collect();
    v.sort();
    Ok(v)
}

fn recipe(program: Program, root: &Path, src: &Sources) -> Result<Recipe> {
    let drivers = root.join("tests/guest-drivers");
    let ours = root.join("bench/workloads");
    let include = |d: &Path| format!("-I{}", d.display());
    Ok(match program {
        Program::Coremark => Recipe {
            name: "coremark",
            sources: vec![ours.join("coremark.c")],
            headers: vec![],
            flags: vec![],
        },
        Program::Textproc => Recipe {
            name: "textproc",
            sources: vec![ours.join("textproc.c")],
            headers: vec![],
            flags: vec![],
        },
        Program::Empty => Recipe {
            name: "empty",
            sources: vec![ours.join("empty.c")],
            headers: vec![],
            flags: vec!["-static".into()],
        },
        Program::Lua => {
            let mut sources: Vec<PathBuf> = files_with_ext(&src.lua, "c")?
                .into_iter()
                .filter(|p| {
                    !matches!(
                        p.file_name().and_then(|n| n.to_str()),
                        Some("lua.c" | "luac.c" | "onelua.c")
                    )
                })
                .collect();
            sources.push(drivers.join("lua_driver.c"));
            Recipe {
                name: "lua",
                sources,
                headers: files_with_ext(&src.lua, "h")?,
                flags: vec![
                    "-DLUA_USE_POSIX".into(),
                    // A fixed string-hash seed: the same work on every run and runner.
                    "-Dluai_makeseed(L)=0x5eedu".into(),
                    include(&src.lua),
                ],
            }
        }
        Program::Sqlite => Recipe {
            name: "sqlite",
            sources: vec![
                src.sqlite.join("sqlite3.c"),
                drivers.join("sqlite_driver.c"),
            ],
            headers: vec![src.sqlite.join("sqlite3.h")],
            flags: vec![
                "-DSQLITE_THREADSAFE=0".into(),
                "-DSQLITE_OMIT_LOAD_EXTENSION".into(),
                include(&src.sqlite),
            ],
        },
        Program::Zlib => {
            let mut sources: Vec<PathBuf> = files_with_ext(&src.zlib, "c")?
                .into_iter()
                .filter(|p| {
                    !p.file_name()
                        .and_then(|n| n.to_str())
                        .is_some_and(|n| n.starts_with("gz"))
                })
                .collect();
            sources.push(ours.join("zlib_driver.c"));
            Recipe {
                name: "zlib",
                sources,
                headers: files_with_ext(&src.zlib, "h")?,
                flags: vec![include(&src.zlib)],
            }
        }
    })
}

/// A compiler for one side.
struct Toolchain {
    cc: &'static str,
    flags: &'static [&'static str],
    tag: &'static str,
}

const GUEST: Toolchain = Toolchain {
    cc: "riscv64-linux-gnu-gcc",
    flags: &["-static", "-O2", "-march=rv64gc"],
    tag: "riscv64",
};
const NATIVE: Toolchain = Toolchain {
    cc: "cc",
    flags: &["-O2"],
    tag: "x86_64",
};

/// Builds `program` for both sides (the two compilers run at once), or reuses the
/// cached builds.
pub fn build(program: Program, root: &Path, src: &Sources, work: &Path) -> Result<Built> {
    let r = recipe(program, root, src)?;
    let guest = start_build(&r, &GUEST, work)?;
    let native = start_build(&r, &NATIVE, work)?;
    Ok(Built {
        guest: guest.finish()?,
        native: native.finish()?,
    })
}

struct PendingBuild {
    out: PathBuf,
    tmp: PathBuf,
    child: Option<(std::process::Child, String)>,
}

impl PendingBuild {
    fn finish(self) -> Result<PathBuf> {
        if let Some((child, what)) = self.child {
            let out = child
                .wait_with_output()
                .with_context(|| format!("waiting for {what}"))?;
            if !out.status.success() {
                bail!(
                    "{what} failed ({}):\n{}",
                    out.status,
                    String::from_utf8_lossy(&out.stderr)
                );
            }
            fs::rename(&self.tmp, &self.out)
                .with_context(|| format!("moving the build to {}", self.out.display()))?;
        }
        Ok(self.out)
    }
}

fn start_build(r: &Recipe, tc: &Toolchain, work: &Path) -> Result<PendingBuild> {
    let mut hash = Fnv::new();
    hash.add(tc.cc.as_bytes());
    for f in tc
        .flags
        .iter()
        .copied()
        .chain(r.flags.iter().map(String::as_str))
    {
        hash.add(f.as_bytes());
    }
    for f in r.sources.iter().chain(&r.headers) {
        hash.add(
            f.file_name()
                .map(|n| n.as_encoded_bytes())
                .unwrap_or_default(),
        );
        hash_file(&mut hash, f)?;
    }
    let dir = work.join("build");
    fs::create_dir_all(&dir).with_context(|| format!("creating {}", dir.display()))?;
    let out = dir.join(format!("{}-{}-{:016x}", r.name, tc.tag, hash.0));
    let tmp = out.with_extension("tmp");
    if out.is_file() {
        return Ok(PendingBuild {
            out,
            tmp,
            child: None,
        });
    }
    eprintln!("building {} for {} ({})", r.name, tc.tag, tc.cc);
    let mut cmd = Command::new(tc.cc);
    cmd.args(tc.flags)
        .args(&r.flags)
        .arg("-o")
        .arg(&tmp)
        .args(&r.sources)
        .arg("-lm")
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::piped());
    let what = format!("{} building {}", tc.cc, r.name);
    let child = cmd.spawn().with_context(|| format!("starting {what}"))?;
    Ok(PendingBuild {
        out,
        tmp,
        child: Some((child, what)),
    })
}

/// Hashes a file in small chunks: reading a 9 MB source whole would leave this
/// process's heap large, and its children's max RSS starts from it (see measure.rs).
fn hash_file(hash: &mut Fnv, path: &Path) -> Result<()> {
    use std::io::Read;
    let mut file = fs::File::open(path).with_context(|| format!("opening {}", path.display()))?;
    let mut buf = [0u8; 16 * 1024];
    loop {
        let n = file
            .read(&mut buf)
            .with_context(|| format!("reading {}", path.display()))?;
        if n == 0 {
            break;
        }
        hash.add_raw(&buf[..n]);
    }
    hash.add(&[]);
    Ok(())
}

/// FNV-1a, 64 bits: stable across Rust versions, enough to key a local build cache.
struct Fnv(u64);

impl Fnv {
    fn new() -> Fnv {
        Fnv(0xcbf2_9ce4_8422_2325)
    }
    fn add_raw(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 = (self.0 ^ u64::from(b)).wrapping_mul(0x0000_0100_0000_01b3);
        }
    }
    fn add(&mut self, bytes: &[u8]) {
        self.add_raw(bytes);
        // A separator, so that ("ab", "c") and ("a", "bc") differ.
        self.0 = (self.0 ^ 0xff).wrapping_mul(0x0000_0100_0000_01b3);
    }
}
