//! New processes and waiting for them: `clone` and `clone3` with fork and vfork semantics,
//! `wait4`, `waitid`; and the namespace calls `unshare` and `setns`.
//!
//! A guest process is a host process, so a guest fork is a host `fork()` of the VM: guest
//! memory is one private host reservation, copied on write by the host kernel, and
//! `MAP_SHARED` guest memory is a shared host mapping that stays shared. libc's `fork` is
//! used (not a raw `clone`) so the host C library's idea of the calling thread stays right
//! in the child.
//!
//! `CLONE_VM | CLONE_VFORK` (glibc's `vfork`, `posix_spawn`, `system`, `popen`) also forks,
//! with the parent suspended until the child execs or exits, as vfork promises: the child
//! holds one end of a close-on-exec socket that the parent reads until end of file.
//! Memory is not shared with the parent; what the child wrote is sent back over that
//! socket when it execs or exits ([`super::vfork`]).
//!
//! A thread (`CLONE_VM | CLONE_THREAD`, with `CLONE_SIGHAND`, `CLONE_FS`, `CLONE_FILES`:
//! what `pthread_create` asks for) is a new host thread of vm; this layer checks the
//! request and the process loop starts it ([`SyscallOutcome::NewThread`]). Sharing less
//! than a host thread shares (a `CLONE_VM` child with its own descriptor table, say) is
//! refused with `EINVAL`.
//!
//! A fork-like clone with namespace flags (`CLONE_NEWUSER`, `CLONE_NEWNS`, `CLONE_NEWUTS`,
//! `CLONE_NEWIPC`, `CLONE_NEWNET`, `CLONE_NEWCGROUP`) forks, and the child unshares them
//! before it runs guest code; if it cannot, it reports the errno over a socket and ends,
//! and the parent reaps it and fails the clone with that errno (the host still sends vm
//! a SIGCHLD for it). `CLONE_NEWPID` is refused (`EINVAL`): unshared, it would place the
//! child's children in the new namespace, not the child.
//!
//! `unshare` gives the calling thread its own copy of what it shares, as Linux does:
//! the file-system context (cwd, root, umask) and the descriptor table are the host
//! thread's, so those and the namespaces are the host's `unshare` on the calling
//! thread; `CLONE_THREAD`, `CLONE_SIGHAND` and `CLONE_VM` only succeed, doing nothing,
//! when the guest has a single thread.
//!
//! Invariants: a forked child's exit signal is always SIGCHLD (libc's `fork`), whatever
//! the guest asked for; child and parent return through the normal system call path with
//! the child's `a0 = 0`. A fork holds the address space's lock across the host `fork`, so
//! the child never inherits it locked by a thread it does not have; the same for the
//! region list of guest memory.

use super::abi::HostBuf;
use super::call_fd::{self, CallFd};
use super::clone_children;
use super::vfork::{self, VforkRelease};
use super::{host, host_call, restarting, returned, Errno, SysResult, SyscallOutcome};
use crate::code_changes::CodeChange;
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
    pub const NEWCGROUP: u64 = 0x0200_0000;
    pub const NEWUTS: u64 = 0x0400_0000;
    pub const NEWIPC: u64 = 0x0800_0000;
    pub const NEWUSER: u64 = 0x1000_0000;
    pub const NEWPID: u64 = 0x2000_0000;
    pub const NEWNET: u64 = 0x4000_0000;
    pub const NEWTIME: u64 = 0x80;
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
        | IO
        | CHILD_NAMESPACES;
    /// Namespaces a forked child can be given by its own `unshare` before it runs guest
    /// code, which is what `clone` with them does. Not `NEWPID`: `unshare` would put
    /// the child's children, not the child, in the new one.
    pub const CHILD_NAMESPACES: u64 = NEWNS | NEWUTS | NEWIPC | NEWNET | NEWCGROUP | NEWUSER;
    /// Flags that would need the child to share more with its parent than a host fork
    /// gives.
    pub const SHARING: u64 = FS | FILES | SIGHAND | PIDFD | PARENT;
}

/// What the guest asked `clone` or `clone3` for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct CloneRequest {
    pub flags: u64,
    /// The child's stack pointer (0: same as the parent's).
    pub stack: u64,
    pub parent_tid: GuestAddr,
    pub child_tid: GuestAddr,
    pub tls: u64,
}

/// A `clone` that makes a thread, checked.
pub type ThreadRequest = CloneRequest;

impl CloneRequest {
    /// The child's CPU: the parent's (`pc` still at the `ecall`), with clone's result 0,
    /// its own stack and its own thread pointer if asked.
    pub fn child_cpu(&self, parent: &CpuState) -> CpuState {
        let mut cpu = parent.clone();
        cpu.set_x(abi::A0, 0);
        cpu.reservation = None;
        if self.flags & flag::SETTLS != 0 {
            cpu.set_x(TP, self.tls);
        }
        if self.stack != 0 {
            cpu.set_x(abi::SP, self.stack);
        }
        cpu
    }

    /// In the new thread or process, before it runs: publishes its `tid` where it asked
    /// (`CLONE_PARENT_SETTID`, `CLONE_CHILD_SETTID`; Linux ignores faults there) and
    /// returns its `clear_child_tid`.
    pub fn settle_child(&self, mem: &GuestMemory, tid: i32) -> GuestAddr {
        if self.flags & flag::PARENT_SETTID != 0 && self.flags & flag::VM != 0 {
            let _ = mem.write(self.parent_tid, tid.to_le_bytes());
        }
        if self.flags & flag::CHILD_SETTID != 0 {
            let _ = mem.write(self.child_tid, tid.to_le_bytes());
        }
        if self.flags & flag::CHILD_CLEARTID != 0 {
            self.child_tid
        } else {
            0
        }
    }
}

/// `clone(flags, newsp, parent_tid, tls, child_tid)` (riscv64 argument order).
#[allow(clippy::too_many_arguments)]
pub fn clone(
    state: &mut ProcessState,
    mem: &GuestMemory,
    cpu: &mut CpuState,
    flags: u64,
    newsp: u64,
    parent_tid: GuestAddr,
    tls: u64,
    child_tid: GuestAddr,
) -> SyscallOutcome {
    let req = CloneRequest {
        flags,
        stack: newsp,
        parent_tid,
        child_tid,
        tls,
    };
    clone_with(state, mem, cpu, req)
}

fn clone_with(
    state: &mut ProcessState,
    mem: &GuestMemory,
    cpu: &mut CpuState,
    req: CloneRequest,
) -> SyscallOutcome {
    if is_thread(req.flags) {
        match check_thread(req.flags) {
            Ok(()) => SyscallOutcome::NewThread(req),
            Err(e) => returned(Err(e)),
        }
    } else {
        returned(fork_like(state, mem, cpu, &req))
    }
}

/// `unshare(flags)`, checked as Linux's `ksys_unshare` checks it: the implied flags
/// added, unknown ones refused, and the three that would unshare the thread group, its
/// signal handlers or its memory refused unless the guest has one thread (then they
/// change nothing). The rest is the host's `unshare` on this host thread, which is the
/// guest thread: its working directory, root and umask (`CLONE_FS`), its descriptor
/// table (`CLONE_FILES`), System V semaphore undo list and namespaces.
/// `setns(fd, nstype)`: passed through. The namespaces are the calling host thread's,
/// which is the guest thread, as with `unshare`'s.
pub fn setns(fd: i32, nstype: i32) -> SysResult {
    // SAFETY: no pointer arguments.
    host(unsafe { host_syscall!(libc::SYS_setns, fd, nstype) })
}

pub fn unshare(state: &ProcessState, flags: u64) -> SysResult {
    let mut flags = flags;
    if flags & flag::NEWUSER != 0 {
        flags |= flag::THREAD | flag::FS;
    }
    if flags & flag::VM != 0 {
        flags |= flag::SIGHAND;
    }
    if flags & flag::SIGHAND != 0 {
        flags |= flag::THREAD;
    }
    if flags & flag::NEWNS != 0 {
        flags |= flag::FS;
    }
    const GROUP: u64 = flag::THREAD | flag::SIGHAND | flag::VM;
    const HOST: u64 = flag::FS
        | flag::FILES
        | flag::SYSVSEM
        | flag::NEWNS
        | flag::NEWCGROUP
        | flag::NEWUTS
        | flag::NEWIPC
        | flag::NEWUSER
        | flag::NEWPID
        | flag::NEWNET
        | flag::NEWTIME;
    if flags & !(GROUP | HOST) != 0 {
        return Err(Errno(libc::EINVAL));
    }
    if flags & GROUP != 0 && state.signals.group.members().len() > 1 {
        return Err(Errno(libc::EINVAL));
    }
    if flags & HOST == 0 {
        return Ok(0);
    }
    // SAFETY: no pointer arguments; the flags are the host's too (same values).
    host(unsafe { host_syscall!(libc::SYS_unshare, flags & HOST) })
}

/// Size of `struct clone_args` as first published (`CLONE_ARGS_SIZE_VER0`).
const CLONE_ARGS_SIZE_VER0: u64 = 64;

/// `clone3(args, size)`.
pub fn clone3(
    state: &mut ProcessState,
    mem: &GuestMemory,
    cpu: &mut CpuState,
    args: GuestAddr,
    size: u64,
) -> SyscallOutcome {
    match clone3_request(mem, args, size) {
        Ok(req) => clone_with(state, mem, cpu, req),
        Err(e) => returned(Err(e)),
    }
}

/// Reads and checks `clone3`'s `struct clone_args`.
fn clone3_request(mem: &GuestMemory, args: GuestAddr, size: u64) -> Result<CloneRequest, Errno> {
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
    Ok(CloneRequest {
        flags: flags | exit_signal,
        stack: stack.wrapping_add(stack_size),
        parent_tid,
        child_tid,
        tls,
    })
}

/// A clone that would make a thread rather than a process.
fn is_thread(flags: u64) -> bool {
    flags & flag::THREAD != 0 || (flags & flag::VM != 0 && flags & flag::VFORK == 0)
}

/// Checks a thread's flags: it must share what host threads share (memory, signal
/// handlers, descriptors, filesystem context), and ask nothing unknown.
fn check_thread(flags: u64) -> Result<(), Errno> {
    use flag::*;
    let required = VM | THREAD | SIGHAND | FS | FILES;
    let known = required
        | SETTLS
        | PARENT_SETTID
        | CHILD_SETTID
        | CHILD_CLEARTID
        | SYSVSEM
        | DETACHED
        | PTRACE
        | UNTRACED
        | IO;
    if flags & required != required || flags & !known & !CSIGNAL != 0 || flags & CSIGNAL != 0 {
        tracing::debug!(
            flags = format_args!("{flags:#x}"),
            "thread refused: it would share less (or more) than a host thread"
        );
        return Err(Errno(libc::EINVAL));
    }
    Ok(())
}

/// The fork (or vfork) itself; returns the child's pid in the parent and 0 in the child.
fn fork_like(
    state: &mut ProcessState,
    mem: &GuestMemory,
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
    // From before the sockets to the child exist until the parent has closed the child's
    // ends: no other thread's child inherits them, no other thread closes them.
    let mut call_fds = call_fd::creating();
    let release = if vfork {
        Some(vfork_socket(&mut call_fds)?)
    } else {
        None
    };
    let namespaces = req.flags & flag::CHILD_NAMESPACES;
    // Where a child that cannot have its namespaces says why, before it ends.
    let refusal = if namespaces != 0 {
        Some(vfork_socket(&mut call_fds)?)
    } else {
        None
    };
    let single_threaded = state.signals.group.members().len() <= 1;
    // Read before the fork: in the child, a lock another thread held stays held.
    let actions = state.signals.group.actions();
    let rlimits = crate::thread::lock(&state.emulated_rlimits).clone();
    let address_space = state.address_space.clone();
    let held = crate::thread::lock(&address_space);
    // Not every reader of the region list holds the address space's lock (`mmap`'s
    // size check, `/proc/self/maps`, a raced fault's clean-up): hold it too.
    let regions = mem.hold_for_fork();
    let signalfds = crate::signal::signalfd::hold_for_fork();
    // A sibling's TSYNC writes this thread's seccomp state under its lock.
    let seccomp = state.signals.thread.seccomp.hold_for_fork();
    // SAFETY: libc's fork keeps the C library consistent in the child; of vm's own locks
    // the child may need, the call descriptors', the address space's, the region list's,
    // the signalfd table's and this thread's seccomp state's are held by this thread across the fork and the
    // thread group's are replaced in the child (`Signals::fork_child`).
    let pid = unsafe { libc::fork() };
    let seccomp_mode = (pid == 0).then(|| seccomp.mode());
    drop(seccomp);
    drop(regions);
    drop(held);
    // The child keeps the table locked until its signalfds are its own; the parent
    // lets it go.
    let signalfds = (pid == 0).then_some(signalfds);
    if pid < 0 {
        return Err(Errno::last());
    }
    if pid == 0 {
        drop(call_fds);
        if let Some((parent_end, child_end)) = refusal {
            drop(parent_end);
            enter_namespaces(namespaces, child_end);
        }
        // The child. A vfork parent waits for the release end to close; a vfork this
        // process was itself the child of is not its own child's business.
        state.vfork_release = release.map(|(_, socket)| VforkRelease {
            socket: socket.into_owned(),
            write_back: single_threaded,
        });
        // A child has only this thread, and starts with no pending signals and no
        // children.
        crate::signal::host::clear_after_fork();
        clone_children::forget_all();
        state
            .signals
            .fork_child(actions, seccomp_mode.unwrap_or_default());
        if let Some(table) = signalfds {
            crate::signal::signalfd::after_fork(table, &state.signals.group);
        }
        state.emulated_rlimits = std::sync::Arc::new(std::sync::Mutex::new(rlimits));
        // Memory locks, and `mlockall(MCL_FUTURE)`, are not inherited (the host's are not
        // either).
        state.address_space().future_lock = None;
        // The process loop moves past the `ecall` as for any call returning 0.
        *cpu = req.child_cpu(cpu);
        state.clear_child_tid = req.settle_child(mem, std::process::id() as i32);
        return Ok(0);
    }
    // The parent: the child's ends closed, the sockets are the child's and this call's.
    let release = release.map(|(read, write)| {
        drop(write);
        read
    });
    let refusal = refusal.map(|(parent_end, child_end)| {
        drop(child_end);
        parent_end
    });
    drop(call_fds);
    if let Some(parent_end) = refusal {
        if let Some(errno) = child_refusal(parent_end, pid) {
            return Err(errno);
        }
    }
    clone_children::forked(pid, req.flags & flag::CSIGNAL);
    if req.flags & flag::PARENT_SETTID != 0 {
        let _ = mem.write(req.parent_tid, pid.to_le_bytes());
    }
    if let Some(read) = release {
        if vfork::wait_for_child(state, &read, mem) {
            // The child may have written anywhere, code included.
            state.signals.group.invalidate_code(CodeChange::All);
        }
    }
    Ok(pid as i64)
}

/// In a forked child, before anything else: the new namespaces `clone` asked for, by
/// `unshare` (the child is single-threaded, as `CLONE_NEWUSER` needs). When that fails,
/// the child writes the errno to `report` and ends, so that the parent's `clone` fails
/// with it, as Linux's does, without a child.
fn enter_namespaces(namespaces: u64, report: CallFd) {
    use std::io::Write as _;
    // SAFETY: no pointer arguments.
    if let Err(Errno(e)) = host(unsafe { host_syscall!(libc::SYS_unshare, namespaces) }) {
        let _ = std::fs::File::from(report.into_owned()).write_all(&e.to_le_bytes());
        // SAFETY: ends this forked child at once; nothing of it needs unwinding.
        unsafe { libc::_exit(127) };
    }
}

/// In the parent: the errno a child that could not enter its namespaces reported, after
/// reaping that child; None when the child went on (it closed its end without a word).
fn child_refusal(report: CallFd, pid: libc::pid_t) -> Option<Errno> {
    use std::io::Read as _;
    let mut bytes = Vec::new();
    // SAFETY: a File over `report`'s descriptor that is never dropped: `report` still
    // owns it, and stays listed (out of the guest's reach) while it is read.
    let file =
        std::mem::ManuallyDrop::new(unsafe { std::fs::File::from_raw_fd(report.as_raw_fd()) });
    let _ = (&*file).read_to_end(&mut bytes);
    let errno = i32::from_le_bytes(bytes.get(..4)?.try_into().ok()?);
    // SAFETY: no pointer arguments other than a null status; `pid` is our child.
    unsafe { libc::waitpid(pid, std::ptr::null_mut(), libc::__WALL) };
    Some(Errno(errno))
}

/// A close-on-exec stream socket pair, numbered high to stay out of the guest's way and
/// kept out of its other threads' reach ([`call_fd`]): (the parent's end, the child's
/// end).
fn vfork_socket(creating: &mut call_fd::Creating) -> Result<(CallFd, CallFd), Errno> {
    let mut fds = [0i32; 2];
    // SAFETY: `fds` is a writable array of two ints.
    host(unsafe {
        host_syscall!(
            libc::SYS_socketpair,
            libc::AF_UNIX,
            libc::SOCK_STREAM | libc::SOCK_CLOEXEC,
            0,
            fds.as_mut_ptr(),
        )
    })?;
    let high = |fd: i32| -> OwnedFd {
        let keep = match super::fd::dup_out_of_the_way(fd) {
            Some(dup) => {
                // SAFETY: `fd` is ours and no longer needed.
                unsafe { libc::close(fd) };
                dup
            }
            None => fd,
        };
        // SAFETY: `keep` was just created (under `creating`, so no guest call closed it
        // since) and is owned by nobody else.
        unsafe { OwnedFd::from_raw_fd(keep) }
    };
    let parent = creating.adopt(high(fds[0]));
    Ok((parent, creating.adopt(high(fds[1]))))
}

/// Size of `struct rusage` (the same on both).
const RUSAGE_SIZE: usize = 144;

/// `wait4(pid, wstatus, options, rusage)`: passed to the host (status words are encoded
/// alike on both).
pub fn wait4(
    mem: &GuestMemory,
    pid: i32,
    wstatus: GuestAddr,
    options: i32,
    rusage: GuestAddr,
) -> SysResult {
    let mut status = 0i32;
    let mut usage = HostBuf::<{ RUSAGE_SIZE / 8 }>::zeroed();
    let want_usage = rusage != 0;
    let (pid, options) = clone_children::host_wait(pid, options)?;
    // SAFETY: `status` is a writable int and `usage` a 144-byte `struct rusage` buffer.
    let child = restarting(unsafe {
        host_call!(
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
        if libc::WIFEXITED(status) || libc::WIFSIGNALED(status) {
            clone_children::reaped(child as i32);
        }
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
    mem: &GuestMemory,
    idtype: i32,
    id: i32,
    infop: GuestAddr,
    options: i32,
    rusage: GuestAddr,
) -> SysResult {
    let mut info = HostBuf::<16>::zeroed();
    let mut usage = HostBuf::<{ RUSAGE_SIZE / 8 }>::zeroed();
    let want_usage = rusage != 0;
    let (idtype, id, options) = waitid_target(idtype, id, options)?;
    // SAFETY: `info` is a 128-byte `siginfo_t` buffer and `usage` a `struct rusage` one.
    let r = restarting(unsafe {
        host_call!(
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
    let found = info.to_bytes();
    let code = i32::from_le_bytes(found[8..12].try_into().unwrap());
    const WNOWAIT: i32 = 0x0100_0000;
    if found[0] != 0 && options & WNOWAIT == 0 && matches!(code, 1..=3) {
        // CLD_EXITED, CLD_KILLED, CLD_DUMPED: reaped.
        clone_children::reaped(i32::from_le_bytes(found[16..20].try_into().unwrap()));
    }
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

/// `waitid`'s `idtype` values (`linux/wait.h`).
const P_ALL: i32 = 0;
const P_PID: i32 = 1;
const P_PGID: i32 = 2;
const P_PIDFD: i32 = 3;

/// `waitid`'s target and options made what the host needs to find what Linux would
/// ([`clone_children::host_wait`]).
fn waitid_target(idtype: i32, id: i32, options: i32) -> Result<(i32, i32, i32), Errno> {
    let pid = match idtype {
        P_ALL => -1,
        P_PID if id > 0 => id,
        P_PGID if id >= 0 => 0,
        P_PIDFD => match pidfd_pid(id) {
            Some(pid) => pid,
            None => return Ok((idtype, id, options)),
        },
        // A bad idtype or id is the host's to refuse.
        _ => return Ok((idtype, id, options)),
    };
    let (host_pid, host_options) = clone_children::host_wait(pid, options)?;
    if idtype == P_ALL && host_pid > 0 {
        return Ok((P_PID, host_pid, host_options));
    }
    Ok((idtype, id, host_options))
}

/// The pid pidfd `fd` refers to (its `/proc/self/fdinfo` says).
fn pidfd_pid(fd: i32) -> Option<i32> {
    let info = std::fs::read_to_string(format!("/proc/self/fdinfo/{fd}")).ok()?;
    info.lines()
        .find_map(|l| l.strip_prefix("Pid:"))
        .and_then(|p| p.trim().parse().ok())
        .filter(|&p: &i32| p > 0)
}
