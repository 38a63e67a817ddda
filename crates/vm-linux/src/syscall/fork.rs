//! New processes and waiting for them: `clone` and `clone3` with fork and vfork semantics,
//! `wait4`, `waitid`.
//!
//! A guest process is a host process, so a guest fork is a host `fork()` of the VM: guest
//! memory is one private host reservation, copied on write by the host kernel, and
//! `MAP_SHARED` guest memory is a shared host mapping that stays shared. libc's `fork` is
//! used (not a raw `clone`) so the host C library's idea of the calling thread stays right
//! in the child.
//!
//! `CLONE_VM | CLONE_VFORK` (glibc's `vfork`, `posix_spawn`, `system`, `popen`) also forks,
//! with the parent suspended until the child execs or exits, as vfork promises: the child
//! holds the write end of a close-on-exec pipe that the parent reads until end of file.
//! Memory is not shared with the parent, so what a vfork child writes is not seen by its
//! parent (qemu-user does the same). Threads (`CLONE_VM` without `CLONE_VFORK`,
//! `CLONE_THREAD`) are not supported yet: `clone3` answers `ENOSYS` (glibc then tries
//! `clone`) and `clone` `EAGAIN` (what `pthread_create` reports when no thread can be
//! made), with a warning logged once.
//!
//! Invariants: the child's exit signal is always SIGCHLD (libc's `fork`), whatever the
//! guest asked for; child and parent return through the normal system call path with the
//! child's `a0 = 0`.

use super::abi::HostBuf;
use super::{host, restarting, Errno, SysResult};
use crate::state::ProcessState;
use std::os::fd::{AsRawFd, FromRawFd, OwnedFd};
use vm_engine::cpu::abi;
use vm_engine::CpuState;
use vm_ir::GuestAddr;
use vm_memory::GuestMemory;

/// The thread pointer register (x4), which `CLONE_SETTLS` sets.
const TP: u32 = 4;

/// `clone` flags (`include/uapi/linux/sched.h`).
mod flag {
    pub const CSIGNAL: u64 = 0xff;
    pub const VM: u64 = 0x100;
    pub const FS: u64 = 0x200;
    pub const FILES: u64 = 0x400;
    pub const SIGHAND: u64 = 0x800;
    pub const PIDFD: u64 = 0x1000;
    pub const PTRACE: u64 = 0x2000;
    pub const VFORK: u64 = 0x4000;
    pub const PARENT: u64 = 0x8000;
    pub const THREAD: u64 = 0x10000;
    pub const NEWNS: u64 = 0x20000;
    pub const SYSVSEM: u64 = 0x40000;
    pub const SETTLS: u64 = 0x80000;
    pub const PARENT_SETTID: u64 = 0x10_0000;
    pub const CHILD_CLEARTID: u64 = 0x20_0000;
    pub const DETACHED: u64 = 0x40_0000;
    pub const UNTRACED: u64 = 0x80_0000;
    pub const CHILD_SETTID: u64 = 0x100_0000;
    pub const IO: u64 = 0x8000_0000;
    /// What a fork-like clone may carry and this layer honours (or, for `PTRACE`,
    /// `DETACHED`, `UNTRACED`, `SYSVSEM` and `IO`, may ignore without a visible change for
    /// a single-threaded process).
    pub const SUPPORTED: u64 = CSIGNAL
        | VM
        | VFORK
        | SETTLS
        | PARENT_SETTID
        | CHILD_CLEARTID
        | CHILD_SETTID
        | PTRACE
        | DETACHED
        | UNTRACED
        | SYSVSEM
        | IO;
    /// Flags that would need the child to share more with its parent than a host fork
    /// gives.
    pub const SHARING: u64 = FS | FILES | SIGHAND | PIDFD | PARENT | NEWNS;
}

/// What the guest asked `clone` or `clone3` for.
struct CloneRequest {
    flags: u64,
    /// The child's stack pointer (0: same as the parent's).
    stack: u64,
    parent_tid: GuestAddr,
    child_tid: GuestAddr,
    tls: u64,
}

/// `clone(flags, newsp, parent_tid, tls, child_tid)` (riscv64 argument order).
#[allow(clippy::too_many_arguments)]
pub fn clone(
    state: &mut ProcessState,
    mem: &mut GuestMemory,
    cpu: &mut CpuState,
    flags: u64,
    newsp: u64,
    parent_tid: GuestAddr,
    tls: u64,
    child_tid: GuestAddr,
) -> SysResult {
    let req = CloneRequest {
        flags,
        stack: newsp,
        parent_tid,
        child_tid,
        tls,
    };
    if is_thread(flags) {
        warn_threads(state);
        return Err(Errno(libc::EAGAIN));
    }
    fork_like(state, mem, cpu, &req)
}

/// Size of `struct clone_args` as first published (`CLONE_ARGS_SIZE_VER0`).
const CLONE_ARGS_SIZE_VER0: u64 = 64;

/// `clone3(args, size)`.
pub fn clone3(
    state: &mut ProcessState,
    mem: &mut GuestMemory,
    cpu: &mut CpuState,
    args: GuestAddr,
    size: u64,
) -> SysResult {
    if size > vm_memory::PAGE_SIZE {
        return Err(Errno(libc::E2BIG));
    }
    if size < CLONE_ARGS_SIZE_VER0 {
        return Err(Errno(libc::EINVAL));
    }
    let bytes = mem.slice(args, size)?;
    let word = |i: usize| u64::from_le_bytes(bytes[i * 8..i * 8 + 8].try_into().unwrap());
    // flags, pidfd, child_tid, parent_tid, exit_signal, stack, stack_size, tls, then
    // (later versions) set_tid, set_tid_size, cgroup: those must be zero.
    let [flags, _pidfd, child_tid, parent_tid, exit_signal, stack, stack_size, tls] =
        std::array::from_fn(word);
    // Anything past the fields we know must be zero, as Linux checks for larger structs.
    if bytes[64..].iter().any(|&b| b != 0) {
        return Err(Errno(libc::E2BIG));
    }
    if flags & flag::CSIGNAL != 0 || exit_signal > 64 || (stack == 0) != (stack_size == 0) {
        return Err(Errno(libc::EINVAL));
    }
    if is_thread(flags) {
        warn_threads(state);
        return Err(Errno(libc::ENOSYS));
    }
    let req = CloneRequest {
        flags: flags | exit_signal,
        stack: stack.wrapping_add(stack_size),
        parent_tid,
        child_tid,
        tls,
    };
    fork_like(state, mem, cpu, &req)
}

/// A clone that would make a thread rather than a process.
fn is_thread(flags: u64) -> bool {
    flags & flag::THREAD != 0 || (flags & flag::VM != 0 && flags & flag::VFORK == 0)
}

fn warn_threads(state: &mut ProcessState) {
    if !state.threads_warned {
        state.threads_warned = true;
        tracing::warn!("guest tried to create a thread; threads are not supported yet");
    }
}

/// The fork (or vfork) itself; returns the child's pid in the parent and 0 in the child.
fn fork_like(
    state: &mut ProcessState,
    mem: &mut GuestMemory,
    cpu: &mut CpuState,
    req: &CloneRequest,
) -> SysResult {
    let unsupported = req.flags & !flag::SUPPORTED;
    if unsupported != 0 {
        let why = if unsupported & flag::SHARING != 0 {
            "sharing more than memory needs threads"
        } else {
            "unknown flags"
        };
        tracing::debug!(
            flags = format_args!("{:#x}", req.flags),
            "clone refused: {why}"
        );
        return Err(Errno(libc::EINVAL));
    }
    let vfork = req.flags & flag::VFORK != 0;
    let release = if vfork { Some(vfork_pipe()?) } else { None };
    // SAFETY: the VM is single-threaded (no thread can hold a lock the child would need),
    // and libc's fork keeps the C library consistent in the child.
    let pid = unsafe { libc::fork() };
    if pid < 0 {
        return Err(Errno::last());
    }
    if pid == 0 {
        // The child. A vfork parent waits for the release end to close; a vfork this
        // process was itself the child of is not its own child's business.
        state.vfork_release = release.map(|(_, write)| write);
        // A child starts with no pending signals.
        state.signals.pending.clear();
        crate::signal::host::clear_after_fork();
        if req.flags & flag::SETTLS != 0 {
            cpu.set_x(TP, req.tls);
        }
        if req.stack != 0 {
            cpu.set_x(abi::SP, req.stack);
        }
        let tid = std::process::id() as i32;
        if req.flags & flag::CHILD_SETTID != 0 {
            // Linux ignores a fault here (the child just does not see its tid).
            let _ = mem.write(req.child_tid, tid.to_le_bytes());
        }
        state.clear_child_tid = if req.flags & flag::CHILD_CLEARTID != 0 {
            req.child_tid
        } else {
            0
        };
        state.robust_list = 0;
        return Ok(0);
    }
    if req.flags & flag::PARENT_SETTID != 0 {
        let _ = mem.write(req.parent_tid, pid.to_le_bytes());
    }
    if let Some((read, write)) = release {
        drop(write);
        wait_for_release(&read);
    }
    Ok(pid as i64)
}

/// A close-on-exec pipe, numbered high to stay out of the guest's way: (read, write).
fn vfork_pipe() -> Result<(OwnedFd, OwnedFd), Errno> {
    let mut fds = [0i32; 2];
    // SAFETY: `fds` is a writable array of two ints.
    host(unsafe { libc::syscall(libc::SYS_pipe2, fds.as_mut_ptr(), libc::O_CLOEXEC) })?;
    let high = |fd: i32| -> OwnedFd {
        // SAFETY: F_DUPFD_CLOEXEC takes an integer argument.
        let dup = unsafe { libc::fcntl(fd, libc::F_DUPFD_CLOEXEC, 512) };
        let keep = if dup >= 0 {
            // SAFETY: `fd` is ours and no longer needed.
            unsafe { libc::close(fd) };
            dup
        } else {
            fd
        };
        // SAFETY: `keep` was just created and is owned by nobody else.
        unsafe { OwnedFd::from_raw_fd(keep) }
    };
    Ok((high(fds[0]), high(fds[1])))
}

/// Blocks until every holder of the pipe's write end has exec'd or exited.
fn wait_for_release(read: &OwnedFd) {
    let mut byte = 0u8;
    // End of file (0) or an error other than EINTR both end the wait.
    // SAFETY: `byte` is a writable one-byte buffer.
    let _ = restarting(|| unsafe {
        libc::syscall(
            libc::SYS_read,
            read.as_raw_fd(),
            std::ptr::addr_of_mut!(byte),
            1,
        )
    });
}

/// Size of `struct rusage` (the same on both).
const RUSAGE_SIZE: usize = 144;

/// `wait4(pid, wstatus, options, rusage)`: passed to the host (status words are encoded
/// alike on both).
pub fn wait4(
    mem: &mut GuestMemory,
    pid: i32,
    wstatus: GuestAddr,
    options: i32,
    rusage: GuestAddr,
) -> SysResult {
    let mut status = 0i32;
    let mut usage = HostBuf::<{ RUSAGE_SIZE / 8 }>::zeroed();
    let want_usage = rusage != 0;
    // SAFETY: `status` is a writable int and `usage` a 144-byte `struct rusage` buffer.
    let child = restarting(|| unsafe {
        libc::syscall(
            libc::SYS_wait4,
            pid,
            std::ptr::addr_of_mut!(status),
            options,
            if want_usage {
                usage.as_mut_ptr()
            } else {
                std::ptr::null_mut()
            },
        )
    })?;
    if child > 0 {
        if wstatus != 0 {
            mem.write(wstatus, status.to_le_bytes())?;
        }
        if want_usage {
            mem.write_bytes(rusage, &usage.to_bytes())?;
        }
    }
    Ok(child)
}

/// `waitid(idtype, id, infop, options, rusage)`. The kernel fills only `si_signo`,
/// `si_errno`, `si_code` and the SIGCHLD fields `si_pid`, `si_uid`, `si_status` (offsets
/// 0, 4, 8, 16, 20, 24 in both `siginfo_t`s); only those bytes reach the guest.
pub fn waitid(
    mem: &mut GuestMemory,
    idtype: i32,
    id: i32,
    infop: GuestAddr,
    options: i32,
    rusage: GuestAddr,
) -> SysResult {
    let mut info = HostBuf::<16>::zeroed();
    let mut usage = HostBuf::<{ RUSAGE_SIZE / 8 }>::zeroed();
    let want_usage = rusage != 0;
    // SAFETY: `info` is a 128-byte `siginfo_t` buffer and `usage` a `struct rusage` one.
    let r = restarting(|| unsafe {
        libc::syscall(
            libc::SYS_waitid,
            idtype,
            id,
            info.as_mut_ptr(),
            options,
            if want_usage {
                usage.as_mut_ptr()
            } else {
                std::ptr::null_mut()
            },
        )
    })?;
    if infop != 0 {
        let bytes = info.to_bytes();
        mem.write_bytes(infop, &bytes[..12])?;
        mem.write_bytes(infop + 16, &bytes[16..28])?;
    }
    // As Linux: the usage is written only when a child was found (si_signo is SIGCHLD).
    if want_usage && info.to_bytes()[0] != 0 {
        mem.write_bytes(rusage, &usage.to_bytes())?;
    }
    Ok(r)
}
