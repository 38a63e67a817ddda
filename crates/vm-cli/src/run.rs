//! `vm run`: start a guest program and turn its end into this process's end.

use clap::{Args, ValueEnum};
use std::ffi::{OsStr, OsString};
use std::os::unix::ffi::OsStrExt;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use vm_engine::EngineKind;
use vm_linux::{strace, sysroot, Process, ProgramSpec, VmOptions};

pub const RUN_AFTER_HELP: &str = "\
The program gets the host environment, changed by -E and -U, and its own arguments.

Dynamically linked programs start in their dynamic linker (PT_INTERP, e.g.
/lib/ld-linux-riscv64-lp64d.so.1), found in the sysroot: -L DIR, else $VM_LD_PREFIX,
else /usr/riscv64-linux-gnu when it exists (Debian's libc6-riscv64-cross). With a
sysroot, absolute paths the guest opens, stats, accesses or reads links of are looked up
in the sysroot first and fall back to the host's: /lib/libc.so.6 is the sysroot's,
/etc/passwd the host's unless the sysroot has one. / itself, /proc, /sys and /dev are
always the host's. Running the dynamic linker itself also works:
`vm run /usr/riscv64-linux-gnu/lib/ld-linux-riscv64-lp64d.so.1 ./prog`.

A `#!` script runs as execve(2) runs it: the interpreter its first line names (an
absolute one looked up in the sysroot first) with argv [INTERP, (ARG), PROG, ARGS...];
the interpreter must be a RISC-V program (or a script whose interpreter is, four deep
at most), and --argv0 does not apply.

Exit status: the guest's exit status; if the guest is killed by a signal, vm dies of
the same signal (so a shell sees 128+N), never dumping its own core (see Core dumps).
A file that is not a RISC-V 64 executable (or whose dynamic linker is not): 126 with a
one-line error; a missing file or dynamic linker: 127; an unusable -L or VM_LD_PREFIX
directory: 2.
Guest execve of a RISC-V program starts `vm run` again with the same options.

--strace prints one line per guest system call, `[pid TID] name(args) = result`, as
strace does: paths whole, other strings and buffers up to 32 bytes, flags and signals
by name, struct pointers (and any pointer vm cannot read) as hex; `read` buffers after
the call, only the bytes returned. A call is printed when it returns, so a blocking
call appears when it ends; execve is printed when it starts (`<unfinished ...>`) and
ended by `<... execve resumed>) = 0` from the new program's vm, or by its error. Signal
deliveries print as `--- SIGSEGV {si_signo=...} ---`, ends as `+++ exited with N +++`
or `+++ killed by SIGNAL +++`. Forked children and threads are traced too, and guest
execs of RISC-V programs go on into the same output. Lines are written whole, one
write each. The trace goes to vm's stderr as it was at start (a guest closing or
redirecting its own stderr does not move it), or with --strace=FILE appended to FILE,
where %p is the process id (each forked process then writes its own file). Without
the option, VM_STRACE=FILE (or VM_STRACE=- for stderr) does the same: use it where no
option can be passed (binfmt_misc), or to trace RISC-V programs that host programs
start, since the variable stays in the guest's environment.

Core dumps: when a signal whose default action dumps core on Linux (SIGSEGV, SIGABRT,
SIGILL, SIGBUS, SIGFPE, SIGTRAP, SIGQUIT, SIGSYS, SIGXCPU, SIGXFSZ) kills the guest, vm
writes the guest's core as Linux would for a riscv64 process, for `gdb-multiarch PROG
CORE`: every thread's registers, the signal, auxv, mapped files, and the memory Linux's
default coredump_filter keeps. Only if the guest's soft RLIMIT_CORE (`ulimit -c`, which
it inherits and may change) is at least 4096 bytes and the guest did not call
prctl(PR_SET_DUMPABLE, 0); the file is cut at RLIMIT_CORE bytes. Its name comes from
$VM_CORE_PATTERN if set, else the host's /proc/sys/kernel/core_pattern (%p, %i, %u,
%g, %s, %t, %h, %e, %E, %f, %c, %d, %%; `.PID` appended if core_uses_pid is 1 and the
pattern has no %p), relative to the working directory. A pipe pattern (`|...`: apport,
systemd-coredump), which vm cannot feed, means no core file, as Linux writes none
either: set VM_CORE_PATTERN (e.g. `core.%e.%p`) to get one. As the kernel does, vm
follows no symbolic link, creates the file with mode 0600, and writes into an
existing file only if it is a regular file with one link that the user owns.
The exit status stays the signal's, without the shell's `(core dumped)` flag.";

#[derive(Clone, Copy, Debug, ValueEnum)]
enum EngineArg {
    /// Interpret the IR of every block.
    Interp,
}

#[derive(Args)]
pub struct RunArgs {
    /// Set VAR to VALUE in the guest's environment (repeatable).
    #[arg(short = 'E', value_name = "VAR=VALUE")]
    set_env: Vec<String>,
    /// Remove VAR from the guest's environment (repeatable).
    #[arg(short = 'U', value_name = "VAR")]
    unset_env: Vec<String>,
    /// The RISC-V sysroot: where the dynamic linker and libraries are found, and where
    /// absolute guest paths are looked up first [default: $VM_LD_PREFIX, else
    /// /usr/riscv64-linux-gnu if it exists]
    #[arg(short = 'L', value_name = "DIR")]
    sysroot: Option<PathBuf>,
    /// Execution engine.
    #[arg(long, value_enum, default_value = "interp")]
    engine: EngineArg,
    /// Wait for gdb (`target remote HOST:PORT`) before the first instruction, like
    /// qemu-user's -g. HOST defaults to 127.0.0.1; PORT 0 picks a free port. vm prints
    /// where it listens to stderr. Breakpoints, watchpoints (`watch`, `rwatch`,
    /// `awatch`), single steps, registers, memory, signals and threads work (all-stop:
    /// when one thread stops, all do); a forked child and an exec'd program run
    /// undebugged. Quitting gdb ends the program.
    #[arg(short = 'g', long = "gdb", value_name = "[HOST:]PORT")]
    gdb: Option<String>,
    /// The guest's argv[0] (default: PROG as given), like qemu-user's -0.
    #[arg(long, value_name = "ARG")]
    argv0: Option<OsString>,
    /// A descriptor of vm's own executable, passed by a vm whose guest changed its root
    /// directory (where vm cannot otherwise find itself to run the guest's execs).
    #[arg(long, value_name = "FD", hide = true)]
    vm_exe_fd: Option<i32>,
    /// The guest's process name (`/proc/PID/comm`) when it is not PROG's file name: a vm
    /// running a guest's exec passes the name Linux gives (a `#!` script's own name).
    #[arg(long, value_name = "NAME", hide = true)]
    comm: Option<OsString>,
    /// The guest's personality before its exec (`personality(2)`), passed by a vm running
    /// a guest's exec [default: this process's own personality].
    #[arg(long, value_name = "PERSONA", hide = true)]
    personality: Option<u32>,
    /// A resource limit vm keeps for the guest rather than the host (the address-space
    /// ones), as RESOURCE:SOFT:HARD, passed by a vm running a guest's exec (repeatable).
    #[arg(long = "rlimit", value_name = "RESOURCE:SOFT:HARD", value_parser = parse_rlimit, hide = true)]
    rlimits: Vec<(u32, [u64; 2])>,
    /// A seccomp filter the guest keeps from before its exec, in the order installed,
    /// passed by a vm running a guest's exec (repeatable).
    #[arg(long = "seccomp-filter", value_name = "FILTER", value_parser = parse_seccomp_filter, hide = true)]
    seccomp_filters: Vec<(vm_linux::seccomp::bpf::Program, bool)>,
    /// A signalfd the guest keeps open across its exec, as FD[,FD...]:MASK (its
    /// descriptor numbers, its mask in hexadecimal), passed by a vm running a guest's
    /// exec (repeatable).
    #[arg(long = "signalfd", value_name = "FDS:MASK", value_parser = vm_linux::signal::signalfd::parse_handoff, hide = true)]
    signalfds: Vec<(Vec<i32>, u64)>,
    /// Print every guest system call, signal and exit as strace does, to stderr or
    /// appended to FILE (%p in FILE: the process id); see below [default: $VM_STRACE]
    #[arg(
        long,
        value_name = "FILE",
        num_args = 0..=1,
        require_equals = true
    )]
    strace: Option<Option<PathBuf>>,
    /// The trace descriptor and the exec call it resumes, passed by a vm running a
    /// traced guest's exec.
    #[arg(long, value_name = "FD:CALL", value_parser = vm_linux::strace::parse_exec_handoff, hide = true)]
    strace_exec: Option<(i32, String)>,
    /// The RISC-V 64 ELF program (or `#!` script) to run, then the arguments passed to
    /// it (argv[1..]).
    /// vm's options end at PROG: every word after it is the guest's, even one that
    /// looks like an option of vm's (`-E`, `-L`), as with qemu-user.
    #[arg(
        value_names = ["PROG", "ARGS"],
        required = true,
        num_args = 1..,
        trailing_var_arg = true
    )]
    command: Vec<OsString>,
}

impl RunArgs {
    /// Runs `program` with the default options, argv[0] `argv0` and arguments `args`, in
    /// the host's environment (how binfmt_misc starts vm).
    pub fn for_program(program: PathBuf, argv0: OsString, args: Vec<OsString>) -> RunArgs {
        RunArgs {
            set_env: Vec::new(),
            unset_env: Vec::new(),
            sysroot: None,
            engine: EngineArg::Interp,
            gdb: None,
            argv0: Some(argv0),
            vm_exe_fd: None,
            comm: None,
            personality: None,
            rlimits: Vec::new(),
            seccomp_filters: Vec::new(),
            signalfds: Vec::new(),
            strace: None,
            strace_exec: None,
            command: std::iter::once(program.into_os_string())
                .chain(args)
                .collect(),
        }
    }

    /// PROG: the first word of the command (clap requires one).
    fn program(&self) -> &Path {
        Path::new(
            self.command
                .first()
                .map_or(OsStr::new(""), OsString::as_os_str),
        )
    }

    /// ARGS: the words after PROG.
    fn args(&self) -> &[OsString] {
        self.command.get(1..).unwrap_or_default()
    }
}

/// Parses `--seccomp-filter`'s FILTER (see `vm_linux::seccomp::encode_for_exec`).
fn parse_seccomp_filter(s: &str) -> Result<(vm_linux::seccomp::bpf::Program, bool), String> {
    vm_linux::seccomp::decode_from_exec(s)
}

/// Parses `--rlimit`'s RESOURCE:SOFT:HARD (decimal numbers).
fn parse_rlimit(s: &str) -> Result<(u32, [u64; 2]), String> {
    let bad = || format!("expected RESOURCE:SOFT:HARD, got {s:?}");
    let mut parts = s.split(':');
    let mut next = || parts.next().ok_or_else(bad);
    let resource = next()?.parse().map_err(|_| bad())?;
    let soft = next()?.parse().map_err(|_| bad())?;
    let hard = next()?.parse().map_err(|_| bad())?;
    if parts.next().is_some() {
        return Err(bad());
    }
    Ok((resource, [soft, hard]))
}

/// Where `--strace-exec`, `--strace` or `$VM_STRACE` (in that order) send the trace,
/// and whether it was asked for on the command line.
fn strace_output(args: &RunArgs) -> Option<(strace::Output, bool)> {
    if let Some((fd, call)) = &args.strace_exec {
        let inherited = strace::Output::Inherited {
            fd: *fd,
            call: call.clone(),
            pattern: args.strace.clone().flatten(),
        };
        return Some((inherited, false));
    }
    match &args.strace {
        Some(Some(file)) => Some((strace::Output::File(file.clone()), true)),
        Some(None) => Some((strace::Output::Stderr, true)),
        None => strace::output_from_env(std::env::var_os(strace::ENV_VAR).as_deref())
            .map(|output| (output, false)),
    }
}

/// This process's environment exactly as execve(2) passed it, entries without `=`
/// included (`std::env::vars_os` drops those, and a guest that execs another guest
/// program expects them through).
fn host_environment() -> Vec<Vec<u8>> {
    let mut out = Vec::new();
    // SAFETY: `environ` is the C runtime's NUL-terminated array of NUL-terminated
    // strings; nothing in vm changes the environment, and it is read once at start-up
    // on the main thread.
    unsafe {
        let mut entry = libc::environ as *const *const libc::c_char;
        while !entry.is_null() && !(*entry).is_null() {
            out.push(std::ffi::CStr::from_ptr(*entry).to_bytes().to_vec());
            entry = entry.add(1);
        }
    }
    out
}

/// The name part of an environment entry: before the first `=`, or all of it.
fn env_name(entry: &[u8]) -> &[u8] {
    entry.split(|&b| b == b'=').next().unwrap_or(entry)
}

/// The guest environment: the host's, then -U removals, then -E settings.
fn guest_env(args: &RunArgs) -> Result<Vec<Vec<u8>>, String> {
    let mut env = host_environment();
    for name in &args.unset_env {
        env.retain(|entry| env_name(entry) != name.as_bytes());
    }
    for setting in &args.set_env {
        let (k, _) = setting
            .split_once('=')
            .filter(|(k, _)| !k.is_empty())
            .ok_or_else(|| format!("-E expects VAR=VALUE, got {setting:?}"))?;
        env.retain(|entry| env_name(entry) != k.as_bytes());
        env.push(setting.as_bytes().to_vec());
    }
    Ok(env)
}

pub fn run(args: RunArgs) -> ExitCode {
    let envp = match guest_env(&args) {
        Ok(env) => env,
        Err(msg) => {
            eprintln!("vm: {msg}");
            return ExitCode::from(2);
        }
    };
    let program = args.program().to_path_buf();
    let argv0 = args.argv0.as_deref().unwrap_or(program.as_os_str());
    let mut argv = vec![argv0.as_bytes().to_vec()];
    argv.extend(args.args().iter().map(|a| a.as_bytes().to_vec()));
    let engine = match args.engine {
        EngineArg::Interp => EngineKind::Interp,
    };
    if let Some(fd) = args.vm_exe_fd {
        vm_linux::syscall::exec::adopt_vm_executable(fd);
    }
    if let Some((output, asked)) = strace_output(&args) {
        match strace::start(output) {
            Ok(()) => {}
            Err(e) if asked => {
                eprintln!("vm: --strace: {e}");
                return ExitCode::from(2);
            }
            // Set in the environment, it must not stop the programs it is passed to.
            Err(e) => eprintln!("vm: {}: {e}; not tracing", strace::ENV_VAR),
        }
    }
    let env_sysroot = std::env::var_os(sysroot::ENV_VAR);
    let sysroot = match sysroot::select(args.sysroot.as_deref(), env_sysroot.as_deref()) {
        Ok(root) => root,
        Err(e) => {
            eprintln!("vm: {e}");
            return ExitCode::from(2);
        }
    };
    // As Linux names a process: after the file execve was given.
    let comm = match &args.comm {
        Some(name) => name.as_bytes().to_vec(),
        None => program
            .file_name()
            .map_or_else(Vec::new, |n| n.as_bytes().to_vec()),
    };
    // Started by the host kernel (a shell, binfmt_misc, `setarch`), the guest inherits
    // the personality this process was started with.
    let personality = args.personality.unwrap_or_else(|| {
        // SAFETY: 0xffffffff only reads the personality.
        unsafe { libc::personality(0xffff_ffff) as u32 }
    });
    let options = VmOptions { engine, sysroot };
    // A `#!` script runs as execve runs it: its interpreter, with the script's path.
    let (program, argv) = match vm_linux::syscall::exec::script_start(&options, &program, &argv) {
        Ok(Some(interpreted)) => interpreted,
        Ok(None) => (program, argv),
        Err(e) => {
            eprintln!("vm: {e}");
            return ExitCode::from(e.exit_status() as u8);
        }
    };
    let shown_argv = argv.clone();
    let spec = ProgramSpec {
        path: &program,
        argv,
        envp,
        options,
        personality: vm_linux::syscall::exec::personality_after_exec(personality),
        rlimits: args.rlimits.clone(),
        seccomp: vm_linux::seccomp::mode_from_filters(args.seccomp_filters.clone()),
        signalfds: args.signalfds.clone(),
    };
    let mut process = match Process::start(spec) {
        Ok(p) => p,
        Err(e) => {
            eprintln!("vm: {e}");
            return ExitCode::from(e.exit_status() as u8);
        }
    };
    if let Some(addr) = &args.gdb {
        match wait_for_gdb(addr) {
            Ok(stream) => process.attach_debugger(stream),
            Err(msg) => {
                eprintln!("vm: {msg}");
                return ExitCode::from(2);
            }
        }
    }
    crate::title::set(&comm, &shown_argv);
    let exit = process.run();
    drop(process);
    // Ended here rather than by returning through the Rust runtime's clean-up, which
    // takes the runtime's lock on its records of threads: in a child forked while
    // another thread of its parent started or ended a host thread, that lock stays held
    // by a thread the child does not have, and the child would hang at its exit.
    vm_linux::process::terminate(exit)
}

/// Listens on `addr` (`[HOST:]PORT`), says where on stderr, and waits for gdb.
fn wait_for_gdb(addr: &str) -> Result<std::net::TcpStream, String> {
    let full = if addr.contains(':') {
        addr.to_string()
    } else {
        format!("127.0.0.1:{addr}")
    };
    let listener = std::net::TcpListener::bind(&full)
        .map_err(|e| format!("--gdb {addr}: cannot listen on {full}: {e}"))?;
    let local = listener
        .local_addr()
        .map_err(|e| format!("--gdb {addr}: {e}"))?;
    eprintln!("vm: waiting for gdb on {local}");
    // The listener closes when this returns: one debugger, and no descriptor of it
    // left for the guest to inherit.
    let (stream, _) = listener
        .accept()
        .map_err(|e| format!("--gdb {addr}: {e}"))?;
    Ok(stream)
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::Parser;

    #[derive(Parser)]
    struct Cli {
        #[command(flatten)]
        run: RunArgs,
    }

    fn parse(words: &[&str]) -> RunArgs {
        Cli::try_parse_from(std::iter::once("run").chain(words.iter().copied()))
            .unwrap_or_else(|e| panic!("{words:?}: {e}"))
            .run
    }

    #[test]
    fn options_end_at_the_program() {
        // `grep -E -c x`: the guest's -E is not vm's.
        let a = parse(&["-E", "A=1", "-L", "/r", "/bin/grep", "-E", "-c", "-L", "x"]);
        assert_eq!(a.set_env, ["A=1"]);
        assert_eq!(a.sysroot.as_deref(), Some(Path::new("/r")));
        assert_eq!(a.program(), Path::new("/bin/grep"));
        assert_eq!(a.args(), ["-E", "-c", "-L", "x"]);
        let b = parse(&["--", "-prog", "--argv0", "y"]);
        assert_eq!(b.program(), Path::new("-prog"));
        assert_eq!(b.args(), ["--argv0", "y"]);
        assert!(b.argv0.is_none());
        assert!(parse(&["p"]).args().is_empty());
        assert!(Cli::try_parse_from(["run", "-E", "A=1"]).is_err());
    }

    #[test]
    fn values_that_look_like_options_stay_values() {
        // How a vm running a guest's exec passes the guest's strings.
        let a = parse(&["--comm=--", "--argv0=-u", "--rlimit=9:1:2", "--", "-u", "x"]);
        assert_eq!(a.comm.as_deref(), Some(OsStr::new("--")));
        assert_eq!(a.argv0.as_deref(), Some(OsStr::new("-u")));
        assert_eq!(a.rlimits, [(9, [1, 2])]);
        assert_eq!(a.program(), Path::new("-u"));
        assert_eq!(
            parse(&["--argv0=", "p"]).argv0.as_deref(),
            Some(OsStr::new(""))
        );
        assert!(Cli::try_parse_from(["run", "--rlimit=9:1", "p"]).is_err());
        assert!(Cli::try_parse_from(["run", "--rlimit=9:1:2:3", "p"]).is_err());
    }
}
