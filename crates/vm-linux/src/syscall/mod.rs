//! Linux system calls of RISC-V guests (asm-generic numbering).
//!
//! TODO(syscalls): dispatch and handlers.

use crate::state::ProcessState;
use vm_memory::GuestMemory;

/// What the process loop does after a system call.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SyscallOutcome {
    /// Write this value to a0 and resume after the `ecall` (negative errno on failure).
    Return(i64),
    /// The process ends with this exit status (exit of the last thread, exit_group).
    Exit(i32),
}

/// Executes system call `nr` with arguments `args` (a0..a5).
pub fn dispatch(
    _state: &mut ProcessState,
    _mem: &mut GuestMemory,
    _nr: u64,
    _args: [u64; 6],
) -> SyscallOutcome {
    SyscallOutcome::Return(-(libc::ENOSYS as i64))
}
