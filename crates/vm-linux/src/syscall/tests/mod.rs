//! System call tests: each calls [`dispatch`] on a real `GuestMemory` with arguments placed
//! in guest memory, and checks the result against the host (files, pipes, metadata).

mod attr;
mod cred;
mod fd;
mod fs;
mod io;
mod mem;
mod net;
mod poll;
mod process;
mod signal;
mod sync;
mod time;
mod xattr;

use super::{dispatch, SyscallOutcome};
use crate::state::ProcessState;
use std::path::PathBuf;
use std::sync::atomic::{AtomicU32, Ordering};
use vm_memory::{GuestMemory, Perm, RegionKind, PAGE_SIZE};

/// A guest with a few read-write scratch pages at [`SCRATCH`].
pub struct Guest {
    pub state: ProcessState,
    pub mem: GuestMemory,
    pub cpu: vm_engine::CpuState,
    /// The code generation `code_invalidated` last saw.
    code_generation: u64,
}

/// Start of the scratch pages.
pub const SCRATCH: u64 = 0x100_0000;
/// Number of scratch pages.
pub const SCRATCH_PAGES: u64 = 16;
/// A guest address where nothing is mapped.
pub const UNMAPPED: u64 = 0x50_0000;

pub const EFAULT: i64 = -(libc::EFAULT as i64);
pub const EBADF: i64 = -(libc::EBADF as i64);
pub const EINVAL: i64 = -(libc::EINVAL as i64);
pub const ENOMEM: i64 = -(libc::ENOMEM as i64);

impl Guest {
    pub fn new() -> Guest {
        let mem = GuestMemory::new().expect("reserve guest memory");
        mem.map_fixed(
            SCRATCH,
            SCRATCH_PAGES * PAGE_SIZE,
            Perm::RW,
            RegionKind::Anonymous,
        )
        .unwrap();
        let state = ProcessState {
            exe_path: PathBuf::from("/opt/guest/bin/hello"),
            ..ProcessState::default()
        };
        Guest {
            state,
            mem,
            cpu: vm_engine::CpuState::default(),
            code_generation: 0,
        }
    }

    pub fn outcome(&mut self, nr: u64, args: &[u64]) -> SyscallOutcome {
        let mut a = [0u64; 6];
        a[..args.len()].copy_from_slice(args);
        dispatch(&mut self.state, &self.mem, &mut self.cpu, nr, a)
    }

    /// Whether a call since the last question changed executable mappings (so every
    /// thread must drop its translated code).
    pub fn code_invalidated(&mut self) -> bool {
        let now = self.state.signals.group.code.generation();
        std::mem::replace(&mut self.code_generation, now) != now
    }

    /// Delivers pending signals as the process loop does; the fatal signal, if any.
    pub fn deliver(&mut self) -> Option<i32> {
        crate::signal::deliver_pending(
            &mut self.state.signals,
            &self.mem,
            &mut self.cpu,
            crate::layout::SIGNAL_TRAMPOLINE,
        )
        .map(|info| info.signo())
    }

    /// Calls `nr` and returns a0 (the call must return to the guest).
    pub fn call(&mut self, nr: u64, args: &[u64]) -> i64 {
        match self.outcome(nr, args) {
            SyscallOutcome::Return(v) => v,
            other => panic!("syscall {nr} did not return: {other:?}"),
        }
    }

    /// Writes `s` NUL-terminated at `addr`; returns `addr`.
    pub fn put_str(&mut self, addr: u64, s: &str) -> u64 {
        self.mem.write_bytes(addr, s.as_bytes()).unwrap();
        self.mem.write_bytes(addr + s.len() as u64, &[0]).unwrap();
        addr
    }

    pub fn bytes(&self, addr: u64, len: u64) -> Vec<u8> {
        self.mem.slice(addr, len).unwrap().to_vec()
    }

    pub fn u64_at(&self, addr: u64) -> u64 {
        self.mem.read_u64(addr).unwrap()
    }

    pub fn u32_at(&self, addr: u64) -> u32 {
        u32::from_le_bytes(self.mem.read(addr).unwrap())
    }
}

/// A fresh, empty host directory for one test.
pub fn temp_dir(name: &str) -> PathBuf {
    static NEXT: AtomicU32 = AtomicU32::new(0);
    let n = NEXT.fetch_add(1, Ordering::Relaxed);
    let dir = std::env::temp_dir().join(format!("vm-linux-sys-{}-{name}-{n}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// `path` as a `&str` (test paths are UTF-8).
pub fn s(path: &std::path::Path) -> &str {
    path.to_str().unwrap()
}
