//! Per-process kernel-side state that system calls read and change.

use std::collections::HashSet;
use std::path::PathBuf;

/// The program break.
#[derive(Clone, Copy, Debug, Default)]
pub struct Brk {
    /// First address of the heap (page-aligned end of the loaded image).
    pub start: u64,
    /// Current break (may be unaligned, as the guest asked for it).
    pub current: u64,
}

/// State of one guest process that lives outside guest memory and the CPU.
#[derive(Debug, Default)]
pub struct ProcessState {
    pub brk: Brk,
    /// Host path of the running program (what `/proc/self/exe` names).
    pub exe_path: PathBuf,
    /// Set when a system call changed or removed executable mappings: the engine must
    /// discard translated code before it runs again.
    pub code_invalidated: bool,
    /// System call numbers already reported as unimplemented (each is logged once).
    pub unknown_syscalls_logged: HashSet<u64>,
}
