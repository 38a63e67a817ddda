//! A guest process: its memory, its CPU, its kernel-side state, and the loop that runs
//! guest code and services its system calls.

use crate::code_changes::CodeChange;
use crate::elf::{ElfError, ElfFile};
use crate::gdb;
use crate::gdb::session::Outcome;
use crate::layout::{INTERP_BASE, PIE_BASE, SIGNAL_TRAMPOLINE};
use crate::loader::{self, LoadError, LoadedImage, StackSpec};
use crate::options::VmOptions;
use crate::program_file::ProgramFile;
use crate::seccomp::{self, Action};
use crate::signal::{self, code, frame, SigInfo};
use crate::state::{AddressSpace, Brk, ProcessState, Signals};
use crate::syscall::{
    self, SyscallOutcome, ThreadRequest, ERESTARTNOHAND, ERESTARTSYS, ERESTART_RESTARTBLOCK,
};
use crate::sysroot;
use crate::thread::ThreadHandle;
use std::ffi::{CString, OsStr};
use std::os::unix::ffi::OsStrExt;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use vm_engine::cpu::abi;
use vm_engine::{CpuState, Engine, Exit};
use vm_memory::{page_floor, Access, FaultKind, GuestMemory, Perm, RegionKind, PAGE_SIZE};

/// How a guest process ended.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ProcessExit {
    /// It called exit/exit_group with this status (only the low 8 bits reach a parent).
    Exited(i32),
    /// It was killed by this signal.
    Signaled(i32),
}

/// Host stack of a guest thread's host thread: vm's own frames only (the guest's stack
/// is in guest memory), but some system calls keep path and argument buffers there.
const THREAD_HOST_STACK: usize = 2 << 20;

/// Ends the whole process (every thread) as `exit` says, from any thread: as the guest
/// exited, or killed by the signal that killed it (without a core dump of vm itself;
/// the guest's, if any, is written already: [`crate::coredump`]).
pub fn terminate(exit: ProcessExit) -> ! {
    match exit {
        ProcessExit::Exited(status) => {
            // SAFETY: `_exit` ends the process at once; guest output is written straight
            // to host descriptors, so nothing buffered is lost.
            unsafe { libc::_exit(status & 0xff) }
        }
        ProcessExit::Signaled(sig) => {
            die_of_signal(sig);
            // SAFETY: as above; the signal's default action did not end the process.
            unsafe { libc::_exit(128 + sig) }
        }
    }
}

/// Raises `sig` with its default action, so the process dies of it as the guest did
/// (without a core dump of vm itself); returns only if that action does not kill (e.g.
/// SIGCHLD).
pub fn die_of_signal(sig: i32) {
    let no_core = libc::rlimit {
        rlim_cur: 0,
        rlim_max: 0,
    };
    // SAFETY: plain libc calls on valid arguments; this process is ending, so replacing
    // the signal's disposition and mask cannot break any invariant of ours.
    unsafe {
        libc::setrlimit(libc::RLIMIT_CORE, &no_core);
        libc::signal(sig, libc::SIG_DFL);
        let mut set: libc::sigset_t = std::mem::zeroed();
        libc::sigemptyset(&mut set);
        libc::sigaddset(&mut set, sig);
        libc::pthread_sigmask(libc::SIG_UNBLOCK, &set, std::ptr::null_mut());
        libc::raise(sig);
    }
}

/// Why a program could not be started.
#[derive(Debug, thiserror::Error)]
pub enum StartError {
    #[error("{path}: {source}")]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("{path}: is a directory")]
    IsDirectory { path: PathBuf },
    #[error("{path}: {source}")]
    BadElf { path: PathBuf, source: ElfError },
    /// The program's dynamic linker (PT_INTERP) is neither in the sysroot nor on the host.
    #[error("{path}: interpreter {interp} not found{}", interp_hint(.sysroot.as_deref()))]
    InterpNotFound {
        path: PathBuf,
        interp: String,
        sysroot: Option<PathBuf>,
    },
    /// The dynamic linker exists but cannot be loaded (`source` names its host path).
    #[error("{path}: interpreter {source}")]
    Interp {
        path: PathBuf,
        source: Box<StartError>,
    },
    #[error("{path}: {source}")]
    Load { path: PathBuf, source: LoadError },
    /// A file starting with `#!` whose first line names no interpreter (execve's
    /// `ENOEXEC`).
    #[error("{path}: bad #! line: no interpreter named")]
    BadScript { path: PathBuf },
    /// A `#!` script whose interpreter exists but is not a RISC-V 64 program.
    #[error(
        "{path}: interpreter {interp} is not a RISC-V 64 program (vm runs a script \
         whose #! line names one, as execve would)"
    )]
    ScriptInterpNotGuest { path: PathBuf, interp: String },
    /// Scripts whose interpreters are scripts, deeper than Linux allows (`ELOOP`).
    #[error("{path}: too many levels of #! interpreters")]
    ScriptLoop { path: PathBuf },
    #[error("cannot reserve guest memory: {0}")]
    Memory(std::io::Error),
    #[error(
        "cannot reserve guest memory: the address-space limit (RLIMIT_AS, `ulimit -v`) is \
         {limit} bytes, vm needs {needed}; only a privileged vm can raise a hard limit"
    )]
    AddressSpaceLimit { limit: u64, needed: u64 },
}

impl StartError {
    /// The exit status a shell would give: 127 for a missing file (or a missing
    /// interpreter: execve fails with ENOENT), 126 for a file that cannot be executed.
    pub fn exit_status(&self) -> i32 {
        match self {
            StartError::Io { source, .. } if source.kind() == std::io::ErrorKind::NotFound => 127,
            StartError::InterpNotFound { .. } => 127,
            _ => 126,
        }
    }
}

/// Where a missing interpreter was looked for, and how to point vm at a sysroot.
fn interp_hint(sysroot: Option<&Path>) -> String {
    let how = format!(
        "name the RISC-V sysroot with -L DIR or {}",
        sysroot::ENV_VAR
    );
    match sysroot {
        Some(root) => format!(" in sysroot {} nor on the host; {how}", root.display()),
        None if Path::new(sysroot::DEFAULT_SYSROOT).is_dir() => {
            format!(" on the host and no sysroot is set; {how}")
        }
        None => format!(
            " on the host and no sysroot is set ({} does not exist: install \
             libc6-riscv64-cross, or {how})",
            sysroot::DEFAULT_SYSROOT
        ),
    }
}

/// What to start.
pub struct ProgramSpec<'a> {
    pub path: &'a Path,
    /// argv, argv[0] included.
    pub argv: Vec<Vec<u8>>,
    /// The environment as `NAME=VALUE` strings.
    pub envp: Vec<Vec<u8>>,
    pub options: VmOptions,
    /// The personality the program starts with (`personality(2)`), as exec leaves it
    /// ([`crate::syscall::exec::personality_after_exec`]).
    pub personality: u32,
    /// The resource limits vm keeps for the guest instead of the host
    /// (`ProcessState::emulated_rlimits`) that differ from the host's, as
    /// `(resource, [soft, hard])`: execve keeps resource limits.
    pub rlimits: Vec<(u32, [u64; 2])>,
    /// The seccomp mode the program starts in: execve keeps the caller's filters.
    pub seccomp: seccomp::Mode,
    /// The signalfds kept open across the execve that started the program: each one's
    /// descriptor numbers and mask ([`crate::signal::signalfd::exec_handoff`]).
    pub signalfds: Vec<(Vec<i32>, u64)>,
}

/// A guest process as one of its threads runs it: the process's memory (shared by all
/// its threads), and this thread's CPU, kernel-side state and engine.
pub struct Process {
    pub mem: Arc<GuestMemory>,
    pub cpu: CpuState,
    pub state: ProcessState,
    pub engine: Engine,
    /// The thread group's code generation this thread's translated code belongs to.
    code_generation: u64,
    /// gdb's session, when the process is being debugged (`vm run --gdb`).
    debug: Option<Arc<gdb::session::Session>>,
    /// gdb asked this thread for one instruction.
    debug_step: bool,
    /// The thread stops for gdb before its first instruction.
    debug_start: bool,
}

/// How one thread's run ended.
enum ThreadEnd {
    /// The whole process ends (`exit_group`, a fatal signal).
    Process(ProcessExit),
    /// This thread called `exit` with this status.
    Thread(i32),
}

/// Opens the program at `path` as execve(2) would: a directory or a file we may not
/// execute is refused.
pub(crate) fn open_program(path: &Path) -> Result<ProgramFile, StartError> {
    let io = |source| StartError::Io {
        path: path.to_path_buf(),
        source,
    };
    let meta = std::fs::metadata(path).map_err(io)?;
    if meta.is_dir() {
        return Err(StartError::IsDirectory {
            path: path.to_path_buf(),
        });
    }
    // As execve(2): the file must be executable by us (EACCES otherwise).
    let cpath = std::ffi::CString::new(path.as_os_str().as_encoded_bytes())
        .map_err(|_| io(std::io::Error::from_raw_os_error(libc::EINVAL)))?;
    // SAFETY: `cpath` is a valid NUL-terminated string that outlives the call.
    if unsafe { libc::access(cpath.as_ptr(), libc::X_OK) } != 0 {
        return Err(io(std::io::Error::last_os_error()));
    }
    ProgramFile::open(path).map_err(io)
}

fn random_bytes() -> [u8; 16] {
    let mut out = [0u8; 16];
    // SAFETY: `out` is a valid writable buffer of the length passed.
    let n = unsafe { libc::getrandom(out.as_mut_ptr().cast(), out.len(), 0) };
    if n != out.len() as isize {
        // Fall back to something that still differs between runs.
        let t = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_nanos())
            .unwrap_or(0);
        out = (t ^ std::process::id() as u128).to_le_bytes();
    }
    out
}

/// Maps the dynamic linker `interp` (the PT_INTERP path of `program`), looked up through
/// the sysroot as the guest would open it, at [`INTERP_BASE`] if it is position-
/// independent (as they all are).
fn load_interp(
    mem: &GuestMemory,
    program: &Path,
    interp: &[u8],
    options: &VmOptions,
) -> Result<LoadedImage, StartError> {
    let not_found = || StartError::InterpNotFound {
        path: program.to_path_buf(),
        interp: String::from_utf8_lossy(interp).into_owned(),
        sysroot: options.sysroot.clone(),
    };
    // The ELF parser cut the path at its first NUL, so it contains none.
    let guest = CString::new(interp).map_err(|_| not_found())?;
    let host = PathBuf::from(OsStr::from_bytes(
        sysroot::host_path(options, &guest).to_bytes(),
    ));
    let wrap = |source| StartError::Interp {
        path: program.to_path_buf(),
        source: Box::new(source),
    };
    let file = match open_program(&host) {
        Ok(file) => file,
        Err(StartError::Io { source, .. }) if source.kind() == std::io::ErrorKind::NotFound => {
            return Err(not_found())
        }
        Err(e) => return Err(wrap(e)),
    };
    let elf = ElfFile::parse(file.bytes()).map_err(|source| {
        wrap(StartError::BadElf {
            path: host.clone(),
            source,
        })
    })?;
    let shown = host.to_string_lossy();
    loader::load_image(mem, &elf, &file, &shown, INTERP_BASE).map_err(|source| {
        wrap(StartError::Load {
            path: host.clone(),
            source,
        })
    })
}

/// Maps the read-only, executable page holding the `rt_sigreturn` trampoline.
fn map_signal_trampoline(mem: &GuestMemory) -> Result<(), std::io::Error> {
    let to_io = |e: vm_memory::MapError| std::io::Error::other(e.to_string());
    mem.map_fixed(
        SIGNAL_TRAMPOLINE,
        PAGE_SIZE,
        Perm::RX,
        RegionKind::System("[sigpage]"),
    )
    .map_err(to_io)?;
    let code: Vec<u8> = frame::TRAMPOLINE
        .iter()
        .flat_map(|i| i.to_le_bytes())
        .collect();
    mem.write_bytes_privileged(SIGNAL_TRAMPOLINE, &code)
        .map_err(|f| std::io::Error::other(f.to_string()))
}

impl Process {
    /// Loads the program and prepares its first instruction.
    pub fn start(mut spec: ProgramSpec) -> Result<Process, StartError> {
        crate::host_limits::adopt_address_space_limit(&mut spec.rlimits);
        let path = spec.path;
        let file = open_program(path)?;
        let elf = ElfFile::parse(file.bytes()).map_err(|source| StartError::BadElf {
            path: path.to_path_buf(),
            source,
        })?;
        let mem = GuestMemory::new().map_err(|e| {
            crate::host_limits::address_space_shortfall()
                .map_or(StartError::Memory(e), |(limit, needed)| {
                    StartError::AddressSpaceLimit { limit, needed }
                })
        })?;
        let load_err = |source| StartError::Load {
            path: path.to_path_buf(),
            source,
        };
        // Mappings are named by the canonical path, as Linux's /proc/self/maps shows them.
        let exe_path = std::fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf());
        let shown = exe_path.to_string_lossy();
        let image = loader::load_image(&mem, &elf, &file, &shown, PIE_BASE).map_err(load_err)?;
        // As in Linux, a dynamic program starts in its dynamic linker, which finds the
        // program through the auxiliary vector (AT_PHDR, AT_ENTRY) and itself at AT_BASE.
        let (entry, interp_base) = match &elf.interp {
            Some(interp) => {
                let ld = load_interp(&mem, path, interp, &spec.options)?;
                (ld.entry, ld.bias)
            }
            None => (image.entry, 0),
        };
        let execfn = path.as_os_str().as_encoded_bytes();
        let stack = StackSpec {
            argv: &spec.argv,
            envp: &spec.envp,
            execfn,
            image: &image,
            interp_base,
            random: random_bytes(),
            stack_limit: crate::host_limits::limit_of_guest(
                &spec.rlimits.iter().copied().collect(),
                libc::RLIMIT_STACK,
            )[0],
        };
        let initial = loader::build_stack(&mem, &stack).map_err(load_err)?;
        let sp = initial.sp;
        map_signal_trampoline(&mem).map_err(StartError::Memory)?;
        let mut cpu = CpuState {
            pc: entry,
            ..CpuState::default()
        };
        cpu.set_x(abi::SP, sp);
        let address_space = AddressSpace {
            brk: Brk {
                start: image.end,
                current: image.end,
            },
            ..AddressSpace::default()
        };
        let engine = Engine::new(spec.options.engine);
        let state = ProcessState {
            address_space: Arc::new(Mutex::new(address_space)),
            signals: Signals::new_process(engine.interrupt_flag()),
            exe_path,
            auxv: initial.auxv,
            cmdline: spec
                .argv
                .iter()
                .flat_map(|a| a.iter().copied().chain([0]))
                .collect(),
            options: spec.options.clone(),
            personality: spec.personality,
            emulated_rlimits: Arc::new(Mutex::new(spec.rlimits.iter().copied().collect())),
            ..ProcessState::default()
        };
        state.signals.thread.seccomp.set_mode(spec.seccomp);
        for (fds, mask) in &spec.signalfds {
            crate::signal::signalfd::adopt_after_exec(&state.signals.group, fds, *mask);
        }
        tracing::debug!(
            entry = format_args!("{entry:#x}"),
            interp_base = format_args!("{interp_base:#x}"),
            sp = format_args!("{sp:#x}"),
            "loaded {}",
            path.display()
        );
        Ok(Process {
            mem: Arc::new(mem),
            cpu,
            state,
            engine,
            code_generation: 0,
            debug: None,
            debug_step: false,
            debug_start: false,
        })
    }

    /// Has gdb, connected on `stream`, debug this process from its first instruction.
    pub fn attach_debugger(&mut self, stream: std::net::TcpStream) {
        let signals = &self.state.signals;
        let debugger = gdb::Debugger::new(
            stream,
            signals.group.clone(),
            self.state.auxv.clone(),
            self.state.exe_path.as_os_str().as_encoded_bytes().to_vec(),
            self.state.options.clone(),
        );
        self.debug = Some(gdb::session::Session::new(
            debugger,
            signals.thread.tid,
            &self.cpu,
        ));
        self.debug_start = true;
    }

    /// Runs the guest until it exits or dies. Called on the host thread that started
    /// it; the process ends when this returns (or earlier, from another thread).
    pub fn run(&mut self) -> ProcessExit {
        signal::host::install(&mut self.state.signals);
        signal::host::watch_guest_memory(self.mem.fault_view());
        crate::thread::set_current(
            self.state.signals.group.clone(),
            self.state.signals.thread.clone(),
        );
        let end = self.run_thread();
        if let Some(session) = &self.debug {
            match end {
                ThreadEnd::Process(exit) => session.report_exit(exit),
                ThreadEnd::Thread(status) => {
                    session.leave(self.state.signals.thread.tid);
                    if self.state.signals.group.members().len() <= 1 {
                        session.report_exit(ProcessExit::Exited(status))
                    }
                }
            }
        }
        match end {
            ThreadEnd::Process(exit) => {
                syscall::release_vfork_parent(&mut self.state, &self.mem);
                self.release_robust_futexes();
                if self.state.signals.group.members().len() > 1 {
                    // Other threads run on: end them all now, as Linux does.
                    terminate(exit);
                }
                exit
            }
            ThreadEnd::Thread(status) => {
                let group = self.state.signals.group.clone();
                group.set_leader_status(status);
                // If the process lives on, its signals go to the threads that run (a
                // signal to a process whose main thread called pthread_exit interrupts
                // a blocked worker, as on Linux); blocked before leaving, so that none
                // lands here in between.
                signal::host::stop_taking_signals();
                if self.leave_group() == 0 {
                    return ProcessExit::Exited(status);
                }
                // The process lives on until its last thread exits, which ends it.
                loop {
                    std::thread::park();
                }
            }
        }
    }

    /// Runs this thread until it, or the process, ends.
    fn run_thread(&mut self) -> ThreadEnd {
        self.code_generation = self.state.signals.group.code.generation();
        let started = std::time::Instant::now();
        let end = self.run_until_exit();
        if crate::strace::is_on() {
            crate::strace::thread_ended(match end {
                ThreadEnd::Process(ProcessExit::Signaled(sig)) => crate::strace::End::Killed(sig),
                ThreadEnd::Process(ProcessExit::Exited(status)) | ThreadEnd::Thread(status) => {
                    crate::strace::End::Exited(status)
                }
            });
        }
        let secs = started.elapsed().as_secs_f64();
        let stats = self.engine.stats();
        tracing::debug!(
            "thread {} ended ({}) after {} guest instructions in {secs:.3} s ({:.1} M/s), {} blocks translated, {} executed, {} code flushes, {} range invalidations ({} blocks)",
            self.state.signals.thread.tid,
            match end {
                ThreadEnd::Process(e) => format!("{e:?}"),
                ThreadEnd::Thread(status) => format!("exit {status}"),
            },
            self.cpu.instret,
            self.cpu.instret as f64 / secs / 1e6,
            stats.blocks_translated,
            stats.blocks_executed,
            stats.flushes,
            stats.range_invalidations,
            stats.blocks_invalidated,
        );
        end
    }

    /// This thread leaves its group as Linux's thread exit does: its robust futexes are
    /// released, then its `clear_child_tid` word is zeroed and futex-woken (how
    /// `pthread_join` learns of it). It leaves the thread group before that wake-up, so
    /// a joiner that returns sees one thread fewer (`unshare(CLONE_THREAD)` in a process
    /// whose last other thread was just joined succeeds, as on Linux, where the exiting
    /// thread is gone long before the joiner runs again). Returns how many threads
    /// remain.
    fn leave_group(&mut self) -> usize {
        let thread = &self.state.signals.thread;
        if thread.robust_list() != 0 {
            syscall::release_robust_futexes(&self.mem, thread.robust_list(), thread.tid);
        }
        let group = &self.state.signals.group;
        let remaining = group.leave(thread.tid);
        // Process-directed signals this thread would have taken go to another.
        group.reroute_pending();
        let word = self.state.clear_child_tid;
        if word != 0 && self.mem.write(word, 0u32.to_le_bytes()).is_ok() {
            syscall::futex_wake_one(&self.mem, word);
        }
        remaining
    }

    /// The process is ending: every thread's robust futexes are released, as Linux does
    /// for each thread it kills.
    fn release_robust_futexes(&self) {
        syscall::release_group_robust_futexes(&self.mem, &self.state.signals.group);
    }

    /// Starts the thread `clone` asked for; returns its tid.
    fn spawn_thread(&mut self, req: ThreadRequest) -> Result<i32, i32> {
        let mem = self.mem.clone();
        let mut cpu = req.child_cpu(&self.cpu);
        // A new thread starts after the `ecall`, where no process loop moves it.
        cpu.pc += 4;
        let kind = self.engine.kind();
        let debug = self.debug.clone();
        // The thread makes its own handle once it knows its tid (below).
        let placeholder = Arc::new(ThreadHandle::new(0, Arc::default()));
        let state = self.state.for_new_thread(placeholder);
        let (started, tid) = std::sync::mpsc::channel();
        let seccomp_mode = self.state.signals.thread.seccomp.mode();
        let spawned = std::thread::Builder::new()
            .stack_size(THREAD_HOST_STACK)
            .spawn(move || {
                let engine = Engine::new(kind);
                let tid = crate::thread::gettid();
                let mut thread = Process {
                    mem,
                    cpu,
                    state,
                    engine,
                    code_generation: 0,
                    debug,
                    debug_step: false,
                    debug_start: false,
                };
                let handle = Arc::new(ThreadHandle::new(tid, thread.engine.interrupt_flag()));
                // The new thread has its creator's seccomp filters.
                handle.seccomp.set_mode(seccomp_mode);
                let signals = &mut thread.state.signals;
                signals.thread = handle.clone();
                signals.publish();
                signals.group.join(handle.clone());
                crate::thread::set_current(signals.group.clone(), handle);
                let slot = signal::host::watch_interrupt(&thread.engine.interrupt_flag());
                thread.state.clear_child_tid = req.settle_child(&thread.mem, tid);
                if let Some(session) = &thread.debug {
                    session.join(tid, &thread.cpu, &mut thread.engine);
                }
                // The creator returns only now, with the tid published where it asked.
                let _ = started.send(tid);
                let end = thread.run_thread();
                if let Some(slot) = slot {
                    signal::host::unwatch_interrupt(slot);
                }
                match end {
                    ThreadEnd::Process(exit) => {
                        syscall::release_vfork_parent(&mut thread.state, &thread.mem);
                        thread.release_robust_futexes();
                        if let Some(session) = &thread.debug {
                            session.report_exit(exit);
                        }
                        terminate(exit)
                    }
                    ThreadEnd::Thread(status) => {
                        let group = thread.state.signals.group.clone();
                        if let Some(session) = &thread.debug {
                            session.leave(tid);
                        }
                        if thread.leave_group() == 0 {
                            // The last thread ends the process, with the status of its
                            // main thread if that exited first, as Linux reports it.
                            let exit = ProcessExit::Exited(group.leader_status().unwrap_or(status));
                            if let Some(session) = &thread.debug {
                                session.report_exit(exit);
                            }
                            terminate(exit);
                        }
                    }
                }
            });
        if let Err(e) = spawned {
            tracing::info!("cannot start a host thread for a guest thread: {e}");
            return Err(libc::EAGAIN);
        }
        tid.recv().map_err(|_| libc::EAGAIN)
    }

    fn run_until_exit(&mut self) -> ThreadEnd {
        signal::host::runs_guest();
        if std::mem::take(&mut self.debug_start) {
            if let Some(end) = self.debug_stop(gdb::Stop::Start) {
                return end;
            }
        }
        loop {
            if self.state.signals.group.core_dump.is_requested() {
                // A sibling dumps core: its registers are this thread's last word.
                let tid = self.state.signals.thread.tid;
                self.state.signals.group.core_dump.park(tid, &self.cpu);
            }
            if let Some(session) = &self.debug {
                let tid = self.state.signals.thread.tid;
                if let Some(outcome) = session.checkpoint(tid, &mut self.cpu, &mut self.engine) {
                    if let Some(end) = self.after_debug_resume(outcome) {
                        return end;
                    }
                }
            }
            if let Some((addr, code)) = signal::host::take_raced_fault() {
                tracing::info!("guest SIGSEGV: access to {addr:#x} raced an unmap");
                // The handler made the host page a zero page for the access; another
                // thread may have mapped the guest page anew since.
                let _ = self.mem.seal_unmapped_page(addr);
                let info = SigInfo::fault(libc::SIGSEGV, code, addr);
                self.state.signals.force(info);
            }
            if let Some(addr) = signal::host::take_bus_fault() {
                tracing::info!("guest SIGBUS: access to {addr:#x}, past the end of its file");
                // From now on the page faults before any access, as on Linux.
                {
                    let _space = self.state.address_space();
                    let _ = self.mem.mark_past_end_of_file(page_floor(addr), PAGE_SIZE);
                }
                let info = SigInfo::fault(libc::SIGBUS, code::BUS_ADRERR, addr);
                self.state.signals.force(info);
            }
            let killed = match self.debug.clone() {
                None => signal::deliver_pending(
                    &mut self.state.signals,
                    &self.mem,
                    &mut self.cpu,
                    SIGNAL_TRAMPOLINE,
                ),
                Some(session) => {
                    let (engine, mem) = (&mut self.engine, &*self.mem);
                    let tid = self.state.signals.thread.tid;
                    let mut verdict = None;
                    let killed = signal::deliver_pending_observed(
                        &mut self.state.signals,
                        &self.mem,
                        &mut self.cpu,
                        SIGNAL_TRAMPOLINE,
                        &mut |info, cpu| {
                            let sig = info.signo();
                            let done = matches!(verdict, Some(Outcome::Detach | Outcome::Kill));
                            if done || !session.stops_for(sig) {
                                return true;
                            }
                            let outcome =
                                session.report(tid, gdb::Stop::Signal(sig), cpu, mem, engine);
                            verdict = Some(outcome);
                            match outcome {
                                Outcome::Go { deliver, .. } => deliver,
                                Outcome::Detach | Outcome::Kill => true,
                            }
                        },
                    );
                    if let Some(end) = verdict.and_then(|v| self.after_debug_resume(v)) {
                        return end;
                    }
                    killed
                }
            };
            if let Some(info) = killed {
                return self.killed(&info);
            }
            self.drop_stale_code();
            let exit = if self.debug_step {
                self.engine.step(&mut self.cpu, &self.mem)
            } else {
                self.engine.run(&mut self.cpu, &self.mem)
            };
            match exit {
                Exit::Syscall => {
                    if let Some(end) = self.before_syscall_debug() {
                        return end;
                    }
                    let nr = self.cpu.x(abi::A7);
                    let args = std::array::from_fn(|i| self.cpu.x(abi::A0 + i as u32));
                    let traced = crate::strace::enter(&self.mem, nr, args);
                    // Without seccomp, one relaxed load: filters are checked only once on.
                    let refused = match self.state.signals.thread.seccomp.is_on() {
                        true => self.seccomp_refusal(nr, args),
                        false => None,
                    };
                    let outcome = match refused {
                        Some(outcome) => outcome,
                        None => {
                            syscall::dispatch(&mut self.state, &self.mem, &mut self.cpu, nr, args)
                        }
                    };
                    let traced =
                        traced.and_then(|call| call.returned(&self.mem, &self.cpu, &outcome));
                    match outcome {
                        SyscallOutcome::Return(v)
                            if [ERESTARTSYS, ERESTARTNOHAND, ERESTART_RESTARTBLOCK]
                                .contains(&(-v as i32)) =>
                        {
                            signal::restart_after_interrupt(
                                &mut self.state.signals,
                                &mut self.cpu,
                                -v as i32,
                            )
                        }
                        SyscallOutcome::Return(v) => {
                            self.cpu.set_x(abi::A0, v as u64);
                            self.cpu.pc += 4;
                        }
                        SyscallOutcome::Resume => {}
                        SyscallOutcome::Exit(status) => {
                            return ThreadEnd::Process(ProcessExit::Exited(status))
                        }
                        SyscallOutcome::Killed(sig) => {
                            return self.killed(&SigInfo::new(sig, code::SI_KERNEL))
                        }
                        SyscallOutcome::ThreadExit(status) => return ThreadEnd::Thread(status),
                        SyscallOutcome::NewThread(req) => {
                            let result = match self.spawn_thread(req) {
                                Ok(tid) => tid as i64,
                                Err(errno) => -(errno as i64),
                            };
                            if let Some(call) = traced {
                                call.finish(&self.mem, result);
                            }
                            self.cpu.set_x(abi::A0, result as u64);
                            self.cpu.pc += 4;
                        }
                    }
                    if let Some(end) = self.after_syscall_debug() {
                        return end;
                    }
                }
                Exit::Interrupted => {
                    if self.debug.as_ref().is_some_and(|s| s.take_interrupt()) {
                        if let Some(end) = self.debug_stop(gdb::Stop::Interrupt) {
                            return end;
                        }
                    }
                }
                Exit::DebugBreakpoint => {
                    if let Some(end) = self.debug_stop(gdb::Stop::Breakpoint) {
                        return end;
                    }
                }
                Exit::Stepped => {
                    if let Some(end) = self.debug_stop(gdb::Stop::Step) {
                        return end;
                    }
                }
                Exit::Watchpoint { addr, kind } => {
                    if self.debug.is_none() {
                        // Only gdb sets watchpoints; without it, none may stop the guest.
                        gdb::disarm(&mut self.engine);
                    } else if let Some(end) = self.debug_stop(gdb::Stop::Watchpoint { addr, kind })
                    {
                        return end;
                    }
                }
                exit => {
                    let info = self.trap_signal(exit);
                    self.state.signals.force(info);
                }
            }
        }
    }

    /// The end of a thread (and its process) that the signal `info` kills: core is
    /// dumped first if the guest's settings ask for it ([`crate::coredump`]).
    fn killed(&mut self, info: &SigInfo) -> ThreadEnd {
        let sig = info.signo();
        tracing::info!("guest killed by signal {sig}");
        crate::coredump::dump(&crate::coredump::Crash {
            info,
            cpu: &self.cpu,
            state: &self.state,
            mem: &self.mem,
        });
        ThreadEnd::Process(ProcessExit::Signaled(sig))
    }

    /// Checks system call `nr` against the thread's seccomp mode: None if it is to be
    /// made, else what happens instead, as Linux's `__seccomp_filter` does it.
    fn seccomp_refusal(&mut self, nr: u64, args: [u64; 6]) -> Option<SyscallOutcome> {
        let pc = self.cpu.pc;
        let signals = &mut self.state.signals;
        match seccomp::check(&signals.thread.seccomp, nr, pc, args) {
            Action::Allow => None,
            Action::Errno(errno) => Some(SyscallOutcome::Return(-(errno as i64))),
            Action::Trap(data) => {
                // The call is skipped with a0 as it was (riscv64's `syscall_rollback`);
                // the handler runs after the `ecall`, whose address the siginfo names.
                let arch = seccomp::AUDIT_ARCH_RISCV64;
                signals.force(SigInfo::seccomp(pc + 4, nr as i32, arch, data));
                Some(SyscallOutcome::Return(args[0] as i64))
            }
            Action::KillThread(sig) => {
                tracing::info!(nr, "seccomp: thread killed by signal {sig}");
                if signals.group.members().len() > 1 {
                    Some(SyscallOutcome::ThreadExit(0))
                } else {
                    Some(SyscallOutcome::Killed(sig))
                }
            }
            Action::KillProcess => {
                tracing::info!(nr, "seccomp: process killed");
                Some(SyscallOutcome::Killed(libc::SIGSYS))
            }
        }
    }

    /// Stops the process for gdb (if it is debugging it) with this thread reporting,
    /// and acts on how gdb resumes this thread; the end of the thread if gdb ended the
    /// process.
    fn debug_stop(&mut self, why: gdb::Stop) -> Option<ThreadEnd> {
        let session = self.debug.clone()?;
        let tid = self.state.signals.thread.tid;
        let outcome = session.report(tid, why, &mut self.cpu, &self.mem, &mut self.engine);
        self.after_debug_resume(outcome)
    }

    fn after_debug_resume(&mut self, outcome: Outcome) -> Option<ThreadEnd> {
        match outcome {
            Outcome::Go { step, .. } => {
                self.debug_step = step;
                None
            }
            Outcome::Detach => {
                self.debug = None;
                self.debug_step = false;
                gdb::disarm(&mut self.engine);
                None
            }
            Outcome::Kill => {
                self.debug = None;
                Some(ThreadEnd::Process(ProcessExit::Signaled(libc::SIGKILL)))
            }
        }
    }

    /// Before a system call: a stopping process parks this thread first, and gdb sees
    /// the thread's registers while the call runs.
    fn before_syscall_debug(&mut self) -> Option<ThreadEnd> {
        let session = self.debug.clone()?;
        let tid = self.state.signals.thread.tid;
        let outcome = session.enter_syscall(tid, &mut self.cpu, &mut self.engine)?;
        self.after_debug_resume(outcome)
    }

    /// After a system call: a forked child leaves its parent's debugger behind (and
    /// runs free); a thread gdb stopped meanwhile parks; gdb's Ctrl-C (which may have
    /// ended the call, then restarted when gdb resumes) or the end of a single step
    /// is reported here.
    fn after_syscall_debug(&mut self) -> Option<ThreadEnd> {
        let session = self.debug.clone()?;
        if !session.owned_here() {
            self.debug = None;
            self.debug_step = false;
            session.abandon_after_fork();
            gdb::disarm(&mut self.engine);
            return None;
        }
        let tid = self.state.signals.thread.tid;
        if let Some(outcome) = session.leave_syscall(tid, &mut self.cpu, &mut self.engine) {
            if let Some(end) = self.after_debug_resume(outcome) {
                return Some(end);
            }
        }
        if session.take_interrupt() {
            return self.debug_stop(gdb::Stop::Interrupt);
        }
        if self.debug_step {
            return self.debug_stop(gdb::Stop::Step);
        }
        None
    }

    /// Drops the translations of code that another thread (or this one) changed since
    /// this thread last looked.
    fn drop_stale_code(&mut self) {
        let code = &self.state.signals.group.code;
        if code.generation() == self.code_generation {
            return;
        }
        let (changes, now) = code.since(self.code_generation);
        self.code_generation = now;
        for change in changes {
            match change {
                CodeChange::All => self.engine.flush_code(),
                CodeChange::Range { start, end } => self.engine.invalidate_code(start, end),
            }
        }
    }

    /// The signal a trap raises, with the siginfo Linux gives it.
    fn trap_signal(&self, exit: Exit) -> SigInfo {
        let pc = self.cpu.pc;
        match exit {
            Exit::MemoryFault(fault) => {
                // The engine reports a failed fetch without looking at why (keeping its
                // hot loop small); the kind is settled here.
                let fault = match fault.access {
                    Access::Execute => self.mem.fault_in_range(fault.addr, 1, Access::Execute),
                    _ => fault,
                };
                tracing::info!("guest fault at pc {pc:#x}: {fault}");
                let (sig, code) = match fault.kind {
                    FaultKind::Unmapped => (libc::SIGSEGV, code::SEGV_MAPERR),
                    FaultKind::Protection => (libc::SIGSEGV, code::SEGV_ACCERR),
                    FaultKind::PastEndOfFile => (libc::SIGBUS, code::BUS_ADRERR),
                };
                SigInfo::fault(sig, code, fault.addr)
            }
            Exit::IllegalInstruction { bits } => {
                tracing::info!("guest SIGILL at pc {pc:#x} (instruction {bits:#x})");
                SigInfo::fault(libc::SIGILL, code::ILL_ILLOPC, pc)
            }
            Exit::Breakpoint => {
                tracing::info!("guest SIGTRAP (ebreak) at pc {pc:#x}");
                SigInfo::fault(libc::SIGTRAP, code::TRAP_BRKPT, pc)
            }
            Exit::MisalignedAtomic { addr } => {
                tracing::info!("guest SIGBUS at pc {pc:#x}: misaligned atomic access to {addr:#x}");
                SigInfo::fault(libc::SIGBUS, code::BUS_ADRALN, addr)
            }
            Exit::Syscall
            | Exit::Interrupted
            | Exit::DebugBreakpoint
            | Exit::Stepped
            | Exit::Watchpoint { .. } => {
                unreachable!("handled by the caller")
            }
        }
    }
}
