//! A guest process: its memory, its CPU, its kernel-side state, and the loop that runs
//! guest code and services its system calls.

use crate::elf::{ElfError, ElfFile};
use crate::layout::PIE_BASE;
use crate::loader::{self, LoadError, StackSpec};
use crate::options::VmOptions;
use crate::state::{Brk, ProcessState};
use crate::syscall::{self, SyscallOutcome};
use std::path::{Path, PathBuf};
use vm_engine::cpu::abi;
use vm_engine::{CpuState, Engine, Exit};
use vm_memory::GuestMemory;

/// How a guest process ended.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ProcessExit {
    /// It called exit/exit_group with this status (only the low 8 bits reach a parent).
    Exited(i32),
    /// It was killed by this signal.
    Signaled(i32),
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
    #[error("{path}: dynamically linked (interpreter {interp}); only static programs run so far")]
    Dynamic { path: PathBuf, interp: String },
    #[error("{path}: {source}")]
    Load { path: PathBuf, source: LoadError },
    #[error("cannot reserve guest memory: {0}")]
    Memory(std::io::Error),
}

impl StartError {
    /// The exit status a shell would give: 127 for a missing file, 126 for a file that
    /// cannot be executed.
    pub fn exit_status(&self) -> i32 {
        match self {
            StartError::Io { source, .. } if source.kind() == std::io::ErrorKind::NotFound => 127,
            _ => 126,
        }
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
}

pub struct Process {
    pub mem: GuestMemory,
    pub cpu: CpuState,
    pub state: ProcessState,
    pub engine: Engine,
}

fn read_program(path: &Path) -> Result<Vec<u8>, StartError> {
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
    std::fs::read(path).map_err(io)
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

impl Process {
    /// Loads the program and prepares its first instruction.
    pub fn start(spec: ProgramSpec) -> Result<Process, StartError> {
        let path = spec.path;
        let bytes = read_program(path)?;
        let elf = ElfFile::parse(&bytes).map_err(|source| StartError::BadElf {
            path: path.to_path_buf(),
            source,
        })?;
        if let Some(interp) = &elf.interp {
            return Err(StartError::Dynamic {
                path: path.to_path_buf(),
                interp: String::from_utf8_lossy(interp).into_owned(),
            });
        }
        let mut mem = GuestMemory::new().map_err(StartError::Memory)?;
        let load_err = |source| StartError::Load {
            path: path.to_path_buf(),
            source,
        };
        // Mappings are named by the canonical path, as Linux's /proc/self/maps shows them.
        let exe_path = std::fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf());
        let shown = exe_path.to_string_lossy();
        let image =
            loader::load_image(&mut mem, &elf, &bytes, &shown, PIE_BASE).map_err(load_err)?;
        let execfn = path.as_os_str().as_encoded_bytes();
        let stack = StackSpec {
            argv: &spec.argv,
            envp: &spec.envp,
            execfn,
            image: &image,
            interp_base: 0,
            random: random_bytes(),
        };
        let sp = loader::build_stack(&mut mem, &stack).map_err(load_err)?;
        let mut cpu = CpuState {
            pc: image.entry,
            ..CpuState::default()
        };
        cpu.set_x(abi::SP, sp);
        let state = ProcessState {
            brk: Brk {
                start: image.end,
                current: image.end,
            },
            exe_path,
            options: spec.options.clone(),
            ..ProcessState::default()
        };
        tracing::debug!(
            entry = format_args!("{:#x}", image.entry),
            sp = format_args!("{sp:#x}"),
            "loaded {}",
            path.display()
        );
        Ok(Process {
            mem,
            cpu,
            state,
            engine: Engine::new(spec.options.engine),
        })
    }

    /// Runs the guest until it exits or dies.
    pub fn run(&mut self) -> ProcessExit {
        let started = std::time::Instant::now();
        let exit = self.run_until_exit();
        let secs = started.elapsed().as_secs_f64();
        let stats = self.engine.stats();
        tracing::debug!(
            "{exit:?} after {} guest instructions in {secs:.3} s ({:.1} M/s), {} blocks translated, {} executed",
            self.cpu.instret,
            self.cpu.instret as f64 / secs / 1e6,
            stats.blocks_translated,
            stats.blocks_executed,
        );
        exit
    }

    fn run_until_exit(&mut self) -> ProcessExit {
        loop {
            match self.engine.run(&mut self.cpu, &mut self.mem) {
                Exit::Syscall => {
                    let nr = self.cpu.x(abi::A7);
                    let args = std::array::from_fn(|i| self.cpu.x(abi::A0 + i as u32));
                    let outcome =
                        syscall::dispatch(&mut self.state, &mut self.mem, &mut self.cpu, nr, args);
                    if self.state.code_invalidated {
                        self.state.code_invalidated = false;
                        self.engine.flush_code();
                    }
                    match outcome {
                        SyscallOutcome::Return(v) => {
                            self.cpu.set_x(abi::A0, v as u64);
                            self.cpu.pc += 4;
                        }
                        SyscallOutcome::Exit(status) => return ProcessExit::Exited(status),
                        SyscallOutcome::Killed(sig) => return ProcessExit::Signaled(sig),
                    }
                }
                Exit::Interrupted => {}
                exit => return self.fatal_signal(exit),
            }
        }
    }

    /// The signal a trap raises; with no handlers yet, it kills the process.
    fn fatal_signal(&self, exit: Exit) -> ProcessExit {
        let pc = self.cpu.pc;
        let sig = match exit {
            Exit::MemoryFault(fault) => {
                tracing::info!("guest SIGSEGV at pc {pc:#x}: {fault}");
                libc::SIGSEGV
            }
            Exit::IllegalInstruction { bits } => {
                tracing::info!("guest SIGILL at pc {pc:#x} (instruction {bits:#x})");
                libc::SIGILL
            }
            Exit::Breakpoint => {
                tracing::info!("guest SIGTRAP (ebreak) at pc {pc:#x}");
                libc::SIGTRAP
            }
            Exit::MisalignedAtomic { addr } => {
                tracing::info!("guest SIGBUS at pc {pc:#x}: misaligned atomic access to {addr:#x}");
                libc::SIGBUS
            }
            Exit::Syscall | Exit::Interrupted => unreachable!("handled by the caller"),
        };
        ProcessExit::Signaled(sig)
    }
}
