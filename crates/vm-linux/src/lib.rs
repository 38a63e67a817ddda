//! The Linux process model for RISC-V 64 guests in user mode: ELF loading, the initial
//! stack, the process loop, signals and system calls.

// First, so that its macro is visible in every module below.
#[macro_use]
mod host_syscall;

pub mod code_changes;
pub mod coredump;
pub mod elf;
pub mod gdb;
mod host_limits;
pub mod layout;
pub mod loader;
pub mod options;
pub mod process;
pub mod program_file;
pub mod seccomp;
pub mod signal;
pub mod state;
pub mod std_fds;
pub mod strace;
pub mod syscall;
pub mod sysroot;
pub mod thread;
pub mod timers;
pub mod vector_ext;

pub use options::VmOptions;
pub use process::{Process, ProcessExit, ProgramSpec, StartError};
