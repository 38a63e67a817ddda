//! Per-process kernel-side state that system calls read and change.

use crate::options::VmOptions;
pub use crate::signal::{SigAction, Signals};
use crate::syscall::SharedFileMaps;
use std::collections::{HashMap, HashSet};
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
    /// The options vm runs this guest with (passed on to programs it execs).
    pub options: VmOptions,
    /// Host path of the running program (what `/proc/self/exe` names).
    pub exe_path: PathBuf,
    /// The guest's arguments as `/proc/self/cmdline` shows them: each NUL-terminated.
    pub cmdline: Vec<u8>,
    /// Set when a system call changed or removed executable mappings: the engine must
    /// discard translated code before it runs again.
    pub code_invalidated: bool,
    /// System call numbers already reported as unimplemented (each is logged once).
    pub unknown_syscalls_logged: HashSet<u64>,
    /// Guest ranges mapped `MAP_SHARED` from files, with the host descriptor each came
    /// from (for `mremap`, and to refuse `PROT_WRITE` where the file was opened read-only).
    pub shared_file_maps: SharedFileMaps,
    /// Dispositions, the blocked mask, pending signals, the alternate stack.
    pub signals: Signals,
    /// Resource limits kept here instead of applied to the host, by resource number:
    /// those describing the guest's address space (`RLIMIT_DATA`, `RLIMIT_STACK`,
    /// `RLIMIT_AS`), which must not constrain the VM's own host memory. `[soft, hard]`;
    /// a resource not present still has the host's value.
    pub emulated_rlimits: HashMap<u32, [u64; 2]>,
    /// `set_tid_address`'s pointer: cleared and futex-woken when the thread exits.
    pub clear_child_tid: u64,
    /// `set_robust_list`'s head pointer (for thread exit, once threads exist).
    pub robust_list: u64,
    /// In the child of a vfork: the write end of the pipe its parent waits on, closed
    /// (releasing the parent) when this process execs or exits.
    pub vfork_release: Option<std::os::fd::OwnedFd>,
    /// Whether the warning that threads are unsupported was logged.
    pub threads_warned: bool,
}
