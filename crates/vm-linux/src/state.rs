//! Per-process kernel-side state that system calls read and change.

use crate::options::VmOptions;
pub use crate::signal::{SigAction, Signals};
use crate::syscall::{SharedFileMaps, ShmAttachments};
use std::collections::{HashMap, HashSet};
use std::path::PathBuf;
use std::sync::{Arc, Mutex};

/// The program break.
#[derive(Clone, Copy, Debug, Default)]
pub struct Brk {
    /// First address of the heap (page-aligned end of the loaded image).
    pub start: u64,
    /// Current break (may be unaligned, as the guest asked for it).
    pub current: u64,
}

/// The bookkeeping of the guest address space kept outside `GuestMemory`. Its lock is
/// held for the whole of every system call that changes mappings (Linux's `mmap_lock`),
/// so that each is atomic with respect to the other threads'.
#[derive(Debug, Default)]
pub struct AddressSpace {
    pub brk: Brk,
    /// Guest ranges mapped `MAP_SHARED` from files, with the host descriptor each came
    /// from (for `mremap`, and to refuse `PROT_WRITE` where the file was opened read-only).
    pub shared_file_maps: SharedFileMaps,
    /// Where System V shared memory segments are attached (for `shmdt`).
    pub shm_attachments: ShmAttachments,
    /// The ranges where a system call changed or removed executable mappings: every
    /// thread must discard the code translated from there before it runs again.
    pub code_changed: Vec<(u64, u64)>,
    /// `mlockall(MCL_FUTURE)`: the `mlock2` flags new mappings are locked with.
    pub future_lock: Option<u32>,
    /// The guest's soft `RLIMIT_AS` in bytes (None: unlimited), which calls that map
    /// more memory check (`mmap`, `brk`, `mremap`, `shmat`); set from
    /// `ProcessState::emulated_rlimits` before each such call.
    pub size_limit: Option<u64>,
}

/// The kernel-side state of one guest thread, and through `Arc`s what it shares with
/// the other threads of its process (see [`crate::thread`]).
#[derive(Debug, Default)]
pub struct ProcessState {
    pub address_space: Arc<Mutex<AddressSpace>>,
    /// The options vm runs this guest with (passed on to programs it execs).
    pub options: VmOptions,
    /// Host path of the running program (what `/proc/self/exe` names).
    pub exe_path: PathBuf,
    /// The guest's arguments as `/proc/self/cmdline` shows them: each NUL-terminated.
    pub cmdline: Vec<u8>,
    /// The guest's auxiliary vector, as `/proc/self/auxv` shows it.
    pub auxv: Vec<u8>,
    /// System call numbers already reported as unimplemented (each is logged once).
    pub unknown_syscalls_logged: HashSet<u64>,
    /// Dispositions, the blocked mask, pending signals, the alternate stack.
    pub signals: Signals,
    /// Resource limits kept here instead of applied to the host, by resource number:
    /// those describing the guest's address space (`RLIMIT_DATA`, `RLIMIT_STACK`,
    /// `RLIMIT_AS`), which must not constrain the VM's own host memory. `[soft, hard]`;
    /// a resource not present still has the host's value.
    pub emulated_rlimits: Arc<Mutex<HashMap<u32, [u64; 2]>>>,
    /// `set_tid_address`'s pointer (or `CLONE_CHILD_CLEARTID`'s): cleared and
    /// futex-woken when the thread exits.
    pub clear_child_tid: u64,
    /// In the child of a vfork: its end of the socket its parent waits on, closed
    /// (releasing the parent) when this process execs or exits.
    pub vfork_release: Option<crate::syscall::VforkRelease>,
    /// The thread's execution domain and flags (`personality(2)`), which vm keeps: the
    /// host's would change how the VM itself runs.
    pub personality: u32,
    /// What `restart_syscall` goes on with: the sleep a signal without a handler (or a
    /// stop) interrupted, as Linux's restart block keeps it.
    pub restart: Option<crate::syscall::Restart>,
}

impl ProcessState {
    /// Locks the address space's bookkeeping (see [`AddressSpace`]).
    pub fn address_space(&self) -> std::sync::MutexGuard<'_, AddressSpace> {
        crate::thread::lock(&self.address_space)
    }

    /// The state of a new thread of this process: shares what threads share, starts
    /// with the creator's signal mask and nothing else of its own.
    pub fn for_new_thread(&self, thread: Arc<crate::thread::ThreadHandle>) -> ProcessState {
        ProcessState {
            address_space: self.address_space.clone(),
            options: self.options.clone(),
            exe_path: self.exe_path.clone(),
            cmdline: self.cmdline.clone(),
            auxv: self.auxv.clone(),
            unknown_syscalls_logged: HashSet::new(),
            signals: self.signals.for_new_thread(thread),
            emulated_rlimits: self.emulated_rlimits.clone(),
            clear_child_tid: 0,
            vfork_release: None,
            personality: self.personality,
            restart: None,
        }
    }
}
