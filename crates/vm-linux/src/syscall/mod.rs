//! Linux system calls of RISC-V guests (asm-generic numbering).
//!
//! [`dispatch`] is the table: one arm per implemented call, converting the raw argument
//! registers to the C types of the kernel's prototype (an `int` argument is the low 32
//! bits of its register, as in Linux) and calling a handler in the module of its concept:
//! [`fs`] (paths and metadata), [`fd`] (descriptor operations), [`io`] (reads and writes),
//! [`attr`] (changing attributes), [`xattr`] (extended attributes), [`net`] (sockets),
//! [`poll`] (waiting for descriptors), [`mqueue`] (POSIX message queues), [`mem`] and
//! [`mremap`] (the address space),
//! [`residency`] (locking pages, asking which are resident), [`time`], [`info`]
//! (identity, limits, system information), [`sched`] (scheduling), [`seccomp`]
//! (installing seccomp filters), [`cred`]
//! (credentials, capabilities), [`sync`] (futexes, memory barriers), [`process`] (exit),
//! [`signal`] (signal calls), [`signalfd`] (signals read through a descriptor),
//! [`pidfd`] (process descriptors), [`process_vm`] (other processes' memory), [`fork`]
//! (new processes, waiting for them), [`exec`] (starting programs) and [`procfs`] (the
//! guest's own procfs files, and other guests' maps).
//!
//! Invariants:
//! - Guest file descriptors are host descriptors; calls that need no translation are
//!   passed to the host kernel as raw system calls (`host_syscall!`, so glibc wrappers
//!   never change the semantics), and the host's errno is the guest's (both asm-generic).
//! - Guest memory is reached only through `GuestMemory` (`read`/`write`/`slice`/
//!   `slice_mut`); a pointer handed to the host kernel points into a slice that was just
//!   checked for the access the call makes. A bad guest pointer is `-EFAULT`.
//! - Handlers never panic on guest input; an unknown number is `-ENOSYS`, logged once.
//! - A call that removes or changes executable guest pages records their range in
//!   `AddressSpace::code_changed`, which `mapping` turns into a [`CodeChange`] for
//!   every thread.
//! - A blocking host call interrupted by a host signal is restarted if the guest has no
//!   use for the signal (ignored, blocked); otherwise it returns Linux's internal
//!   `ERESTARTSYS` (restart if the handler has `SA_RESTART`, else `EINTR`) or
//!   `ERESTARTNOHAND` (`EINTR` if a handler runs; the calls signal(7) says are never
//!   restarted) or `ERESTART_RESTARTBLOCK` (a relative sleep: `EINTR` if a handler
//!   runs, else `restart_syscall` sleeps until the original deadline), which the
//!   process loop resolves once it knows what the signal does.

mod abi;
mod attr;
mod blocking;
mod call_fd;
mod clone_children;
mod cred;
pub mod exec;
mod fd;
mod file_maps;
mod fork;
mod fs;
mod hwprobe;
mod info;
mod io;
mod ipc;
mod mem;
mod mqueue;
mod mremap;
mod net;
pub mod numbers;
mod pidfd;
mod poll;
mod process;
mod process_vm;
mod procfs;
mod residency;
mod sched;
mod seccomp;
mod signal;
mod signalfd;
mod sync;
mod time;
mod vfork;
mod xattr;

#[cfg(test)]
mod tests;

pub use blocking::abandon_call_being_entered;
pub use file_maps::{SharedFileMap, SharedFileMaps};
pub use fork::ThreadRequest;
pub use ipc::ShmAttachments;
pub use sync::{futex_wake_one, release_group_robust_futexes, release_robust_futexes};
pub use time::Restart;
pub use vfork::{at_exit as release_vfork_parent, VforkRelease};

use crate::code_changes::CodeChange;
use crate::state::{AddressSpace, ProcessState};
use crate::vector_ext;
use blocking::{host_call, interruptible, restarting};
use numbers as nr;
use std::ffi::{CStr, CString};
use vm_engine::CpuState;
use vm_ir::GuestAddr;
use vm_memory::{GuestMemory, MemFault};

/// What the process loop does after a system call.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SyscallOutcome {
    /// Write this value to a0 and resume after the `ecall` (negative errno on failure).
    Return(i64),
    /// The process ends with this exit status (`exit_group`).
    Exit(i32),
    /// The calling thread ends with this exit status (`exit`); the process ends with
    /// its last thread.
    ThreadExit(i32),
    /// `clone` asked for a new thread: the process loop starts it and returns its tid.
    NewThread(ThreadRequest),
    /// The process dies of this signal (its default action terminates the process).
    Killed(i32),
    /// The call set the whole thread state (`rt_sigreturn`): resume at `cpu.pc`.
    Resume,
}

/// Linux's internal "interrupted; restart if `SA_RESTART`, else `EINTR`".
pub const ERESTARTSYS: i32 = 512;
/// Linux's internal "interrupted; `EINTR` if a handler runs, else restart".
pub const ERESTARTNOHAND: i32 = 514;
/// Linux's internal "interrupted; `EINTR` if a handler runs, else go on through
/// `restart_syscall`" with what [`ProcessState::restart`] keeps (a sleep's remaining
/// time, measured to its original deadline).
pub const ERESTART_RESTARTBLOCK: i32 = 516;

/// A Linux errno (positive); handlers return it as `Err`, the guest sees `-errno`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Errno(pub i32);

impl Errno {
    /// The calling thread's current host errno.
    fn last() -> Errno {
        Errno(
            std::io::Error::last_os_error()
                .raw_os_error()
                .unwrap_or(libc::EIO),
        )
    }
}

impl From<MemFault> for Errno {
    fn from(_: MemFault) -> Errno {
        Errno(libc::EFAULT)
    }
}

/// A handler's result: the value for a0, or the errno.
type SysResult = Result<i64, Errno>;

/// Converts the return value of a raw host system call (`-1` and errno on failure).
fn host(ret: libc::c_long) -> SysResult {
    if ret == -1 {
        Err(Errno::last())
    } else {
        Ok(ret)
    }
}

/// [`mapping`] for a call that may map more: the guest's `RLIMIT_AS` is first brought
/// up to date with one set from outside (`crate::host_limits`).
fn growing(
    state: &mut ProcessState,
    mem: &GuestMemory,
    call: impl FnOnce(&mut AddressSpace) -> SysResult,
) -> SysResult {
    crate::host_limits::notice_outside_address_space_limit(&state.emulated_rlimits, || {
        mem.mapped_bytes()
    });
    mapping(state, call)
}

/// Runs a system call that changes the address space with its bookkeeping locked (so
/// it is atomic for the other threads), and makes every thread drop translated code if
/// it changed executable mappings.
fn mapping(
    state: &mut ProcessState,
    call: impl FnOnce(&mut AddressSpace) -> SysResult,
) -> SysResult {
    let size_limit = crate::thread::lock(&state.emulated_rlimits)
        .get(&libc::RLIMIT_AS)
        .map(|&[soft, _]| soft)
        .filter(|&soft| soft != libc::RLIM_INFINITY);
    let mut space = state.address_space();
    space.size_limit = size_limit;
    let result = call(&mut space);
    for (start, end) in std::mem::take(&mut space.code_changed) {
        state
            .signals
            .group
            .invalidate_code(CodeChange::Range { start, end });
    }
    result
}

/// `EBADF` if `fd` is not an open descriptor, else `err`: Linux looks the descriptor up
/// before it touches guest memory or validates most arguments.
fn badf_or(fd: i32, err: i32) -> Errno {
    // SAFETY: F_GETFD takes no pointer argument.
    if unsafe { host_syscall!(libc::SYS_fcntl, fd, libc::F_GETFD) } == -1 {
        Errno(libc::EBADF)
    } else {
        Errno(err)
    }
}

/// Reads a NUL-terminated guest path (`EFAULT`, or `ENAMETOOLONG` past `PATH_MAX`).
fn read_path(mem: &GuestMemory, addr: GuestAddr) -> Result<CString, Errno> {
    // Outside the guest space nothing is mapped (and `read_cstr`'s page arithmetic must
    // not see addresses near the top of `u64`).
    if addr >= vm_memory::GUEST_SPACE {
        return Err(Errno(libc::EFAULT));
    }
    match mem.read_cstr(addr, abi::PATH_MAX)? {
        // `read_cstr` stops at the first NUL, so the bytes contain none.
        Some(bytes) => Ok(CString::new(bytes).map_err(|_| Errno(libc::EINVAL))?),
        None => Err(Errno(libc::ENAMETOOLONG)),
    }
}

/// Like [`read_path`], but a path the guest cannot read is `None`, for which the caller
/// passes the host a null pointer: the host then fails with `EFAULT` where Linux reads
/// the path, after the checks Linux makes before it (a bad descriptor, bad flags).
fn read_path_or_null(mem: &GuestMemory, addr: GuestAddr) -> Result<Option<CString>, Errno> {
    match read_path(mem, addr) {
        Ok(path) => Ok(Some(path)),
        Err(Errno(libc::EFAULT)) => Ok(None),
        Err(e) => Err(e),
    }
}

/// A host pointer to `s`, or null for `None` (see [`read_path_or_null`]).
fn ptr_or_null(s: &Option<CString>) -> *const libc::c_char {
    s.as_ref().map_or(std::ptr::null(), |s| s.as_ptr())
}

/// Like [`read_path`], but a null pointer with `AT_EMPTY_PATH` is the empty path (Linux
/// 6.11 and later accept it for the stat family).
fn read_path_at(mem: &GuestMemory, addr: GuestAddr, flags: i32) -> Result<CString, Errno> {
    if addr == 0 && flags & libc::AT_EMPTY_PATH != 0 {
        return Ok(CString::default());
    }
    read_path(mem, addr)
}

/// If `path` names the running program through procfs (`/proc/self/exe` and its
/// spellings), the program's host path: the host's own link would name the VM.
fn proc_self_exe(state: &ProcessState, path: &CStr) -> Option<CString> {
    let p = path.to_bytes();
    let own = format!("/proc/{}/exe", std::process::id());
    let is_exe = p == b"/proc/self/exe" || p == b"/proc/thread-self/exe" || p == own.as_bytes();
    if !is_exe {
        return None;
    }
    use std::os::unix::ffi::OsStrExt;
    CString::new(state.exe_path.as_os_str().as_bytes()).ok()
}

/// `path` looked up in the guest's sysroot first ([`crate::sysroot::host_path`]).
fn in_sysroot(state: &ProcessState, path: CString) -> CString {
    match crate::sysroot::host_path(&state.options, &path) {
        std::borrow::Cow::Borrowed(_) => path,
        std::borrow::Cow::Owned(redirected) => redirected,
    }
}

/// An `int` argument: the low 32 bits of the register, as the kernel's prototype reads it.
fn int(v: u64) -> i32 {
    v as i32
}

/// The first three arguments as `uid_t`/`gid_t` values (the low 32 bits).
fn ids(a: [u64; 6]) -> [u32; 3] {
    [a[0] as u32, a[1] as u32, a[2] as u32]
}

/// Executes system call `nr` with arguments `args` (a0..a5). `cpu` is the calling
/// thread's state with `pc` at the `ecall`; most calls only read their arguments, but
/// some (clone, rt_sigreturn, execve) act on the whole thread.
pub fn dispatch(
    state: &mut ProcessState,
    mem: &GuestMemory,
    cpu: &mut CpuState,
    nr: u64,
    args: [u64; 6],
) -> SyscallOutcome {
    let a = args;
    if fd::names_vm_owned(state, nr, &a) {
        return returned(Err(Errno(libc::EBADF)));
    }
    let result = match nr {
        // Paths and metadata.
        nr::OPENAT => fs::openat(state, mem, int(a[0]), a[1], int(a[2]), a[3]),
        nr::OPENAT2 => fs::openat2(state, mem, int(a[0]), a[1], a[2], a[3]),
        nr::NEWFSTATAT => fs::newfstatat(state, mem, int(a[0]), a[1], a[2], int(a[3])),
        nr::FSTAT => fs::fstat(mem, int(a[0]), a[1]),
        nr::STATX => fs::statx(state, mem, int(a[0]), a[1], int(a[2]), a[3], a[4]),
        nr::GETDENTS64 => fs::getdents64(mem, int(a[0]), a[1], a[2] as u32),
        nr::READLINKAT => fs::readlinkat(state, mem, int(a[0]), a[1], a[2], int(a[3])),
        nr::FACCESSAT => fs::faccessat(state, mem, int(a[0]), a[1], int(a[2]), None),
        nr::FACCESSAT2 => fs::faccessat(state, mem, int(a[0]), a[1], int(a[2]), Some(int(a[3]))),
        nr::UNLINKAT => fs::unlinkat(mem, int(a[0]), a[1], int(a[2])),
        nr::MKDIRAT => fs::mkdirat(mem, int(a[0]), a[1], a[2] as u32),
        nr::MKNODAT => fs::mknodat(mem, int(a[0]), a[1], a[2] as u32, a[3] as u32),
        nr::RENAMEAT2 => fs::renameat2(mem, int(a[0]), a[1], int(a[2]), a[3], a[4] as u32),
        nr::GETCWD => fs::getcwd(mem, a[0], a[1]),
        nr::CHDIR => fs::chdir(mem, a[0]),
        nr::FCHDIR => fs::fchdir(int(a[0])),
        nr::CHROOT => fs::chroot(state, mem, a[0]),
        nr::UMASK => fs::umask(a[0] as u32),
        nr::SYMLINKAT => fs::symlinkat(mem, a[0], int(a[1]), a[2]),
        nr::LINKAT => fs::linkat(mem, int(a[0]), a[1], int(a[2]), a[3], int(a[4])),
        nr::MOUNT => fs::mount(mem, a[0], a[1], a[2], a[3], a[4]),
        nr::UMOUNT2 => fs::umount2(mem, a[0], int(a[1])),
        // Attributes and file-system statistics.
        nr::FCHMODAT => attr::fchmodat(state, mem, int(a[0]), a[1], a[2] as u32, None),
        nr::FCHMODAT2 => attr::fchmodat(state, mem, int(a[0]), a[1], a[2] as u32, Some(int(a[3]))),
        nr::FCHMOD => attr::fchmod(int(a[0]), a[1] as u32),
        nr::FCHOWNAT => attr::fchownat(
            state,
            mem,
            int(a[0]),
            a[1],
            a[2] as u32,
            a[3] as u32,
            int(a[4]),
        ),
        nr::FCHOWN => attr::fchown(int(a[0]), a[1] as u32, a[2] as u32),
        nr::TRUNCATE => attr::truncate(state, mem, a[0], a[1] as i64),
        nr::UTIMENSAT => attr::utimensat(state, mem, int(a[0]), a[1], a[2], int(a[3])),
        nr::STATFS => attr::statfs(state, mem, a[0], a[1]),
        nr::FSTATFS => attr::fstatfs(mem, int(a[0]), a[1]),
        // Extended attributes.
        nr::GETXATTR | nr::LGETXATTR | nr::FGETXATTR => {
            xattr::getxattr(state, mem, xattr_target(nr, a[0]), a[1], a[2], a[3])
        }
        nr::SETXATTR | nr::LSETXATTR | nr::FSETXATTR => xattr::setxattr(
            state,
            mem,
            xattr_target(nr, a[0]),
            a[1],
            a[2],
            a[3],
            int(a[4]),
        ),
        nr::LISTXATTR | nr::LLISTXATTR | nr::FLISTXATTR => {
            xattr::listxattr(state, mem, xattr_target(nr, a[0]), a[1], a[2])
        }
        nr::REMOVEXATTR | nr::LREMOVEXATTR | nr::FREMOVEXATTR => {
            xattr::removexattr(state, mem, xattr_target(nr, a[0]), a[1])
        }
        // Descriptors.
        nr::CLOSE => fd::close(state, int(a[0])),
        nr::DUP => fd::dup(int(a[0])),
        nr::DUP3 => fd::dup3(state, int(a[0]), int(a[1]), int(a[2])),
        nr::PIPE2 => fd::pipe2(mem, a[0], int(a[1])),
        nr::FCNTL => fd::fcntl(mem, int(a[0]), int(a[1]), a[2]),
        nr::IOCTL => fd::ioctl(mem, int(a[0]), a[1] as u32, a[2]),
        nr::FTRUNCATE => fd::ftruncate(int(a[0]), a[1] as i64),
        nr::FSYNC => fd::fsync(int(a[0])),
        nr::FDATASYNC => fd::fdatasync(int(a[0])),
        nr::SYNC_FILE_RANGE => {
            fd::sync_file_range(int(a[0]), a[1] as i64, a[2] as i64, a[3] as u32)
        }
        nr::SYNCFS => fd::syncfs(int(a[0])),
        nr::SYNC => fd::sync(),
        nr::READAHEAD => fd::readahead(int(a[0]), a[1] as i64, a[2]),
        nr::CLOSE_RANGE => fd::close_range(state, a[0] as u32, a[1] as u32, a[2] as u32),
        nr::FALLOCATE => fd::fallocate(int(a[0]), int(a[1]), a[2] as i64, a[3] as i64),
        nr::FADVISE64 => fd::fadvise64(int(a[0]), a[1] as i64, a[2] as i64, int(a[3])),
        nr::FLOCK => fd::flock(int(a[0]), int(a[1])),
        nr::MEMFD_CREATE => fd::memfd_create(mem, a[0], a[1] as u32),
        nr::EVENTFD2 => fd::eventfd2(a[0] as u32, int(a[1])),
        nr::INOTIFY_INIT1 => fd::inotify_init1(int(a[0])),
        nr::INOTIFY_ADD_WATCH => fd::inotify_add_watch(state, mem, int(a[0]), a[1], a[2] as u32),
        nr::INOTIFY_RM_WATCH => fd::inotify_rm_watch(int(a[0]), int(a[1])),
        nr::TIMERFD_CREATE => fd::timerfd_create(int(a[0]), int(a[1])),
        nr::TIMERFD_SETTIME => fd::timerfd_settime(mem, int(a[0]), int(a[1]), a[2], a[3]),
        nr::TIMERFD_GETTIME => fd::timerfd_gettime(mem, int(a[0]), a[1]),
        // System V IPC.
        nr::MSGGET => ipc::msgget(int(a[0]), int(a[1])),
        nr::MSGCTL => ipc::msgctl(mem, int(a[0]), int(a[1]), a[2]),
        nr::MSGSND => ipc::msgsnd(mem, int(a[0]), a[1], a[2], int(a[3])),
        nr::MSGRCV => ipc::msgrcv(mem, int(a[0]), a[1], a[2], a[3] as i64, int(a[4])),
        nr::SEMGET => ipc::semget(int(a[0]), int(a[1]), int(a[2])),
        nr::SEMCTL => ipc::semctl(mem, int(a[0]), int(a[1]), int(a[2]), a[3]),
        nr::SEMOP => ipc::semtimedop(mem, int(a[0]), a[1], a[2], 0),
        nr::SEMTIMEDOP => ipc::semtimedop(mem, int(a[0]), a[1], a[2], a[3]),
        nr::SHMGET => ipc::shmget(int(a[0]), a[1], int(a[2])),
        nr::SHMCTL => ipc::shmctl(mem, int(a[0]), int(a[1]), a[2]),
        nr::SHMAT => growing(state, mem, |s| {
            ipc::shmat(s, mem, int(a[0]), a[1], int(a[2]))
        }),
        nr::SHMDT => mapping(state, |s| ipc::shmdt(s, mem, a[0])),
        // POSIX message queues.
        nr::MQ_OPEN => mqueue::mq_open(mem, a[0], int(a[1]), a[2] as u32, a[3]),
        nr::MQ_UNLINK => mqueue::mq_unlink(mem, a[0]),
        nr::MQ_TIMEDSEND => mqueue::mq_timedsend(mem, int(a[0]), a[1], a[2], a[3] as u32, a[4]),
        nr::MQ_TIMEDRECEIVE => mqueue::mq_timedreceive(mem, int(a[0]), a[1], a[2], a[3], a[4]),
        nr::MQ_NOTIFY => mqueue::mq_notify(mem, int(a[0]), a[1]),
        nr::MQ_GETSETATTR => mqueue::mq_getsetattr(mem, int(a[0]), a[1], a[2]),
        // Sockets.
        nr::SOCKET => net::socket(int(a[0]), int(a[1]), int(a[2])),
        nr::SOCKETPAIR => net::socketpair(mem, int(a[0]), int(a[1]), int(a[2]), a[3]),
        nr::BIND => net::bind(mem, int(a[0]), a[1], int(a[2])),
        nr::CONNECT => net::connect(mem, int(a[0]), a[1], int(a[2])),
        nr::LISTEN => net::listen(int(a[0]), int(a[1])),
        nr::ACCEPT => net::accept4(mem, int(a[0]), a[1], a[2], 0),
        nr::ACCEPT4 => net::accept4(mem, int(a[0]), a[1], a[2], int(a[3])),
        nr::GETSOCKNAME => net::sockname(mem, libc::SYS_getsockname, int(a[0]), a[1], a[2]),
        nr::GETPEERNAME => net::sockname(mem, libc::SYS_getpeername, int(a[0]), a[1], a[2]),
        nr::SENDTO => net::sendto(mem, int(a[0]), a[1], a[2], int(a[3]), a[4], int(a[5])),
        nr::RECVFROM => net::recvfrom(mem, int(a[0]), a[1], a[2], int(a[3]), a[4], a[5]),
        nr::SETSOCKOPT => net::setsockopt(mem, int(a[0]), int(a[1]), int(a[2]), a[3], int(a[4])),
        nr::GETSOCKOPT => net::getsockopt(mem, int(a[0]), int(a[1]), int(a[2]), a[3], a[4]),
        nr::SHUTDOWN => net::shutdown(int(a[0]), int(a[1])),
        nr::SENDMSG => net::sendmsg(mem, int(a[0]), a[1], int(a[2])),
        nr::RECVMSG => net::recvmsg(mem, int(a[0]), a[1], int(a[2])),
        nr::SENDMMSG => net::sendmmsg(mem, int(a[0]), a[1], a[2] as u32, int(a[3])),
        nr::RECVMMSG => net::recvmmsg(mem, int(a[0]), a[1], a[2] as u32, int(a[3]), a[4]),
        // Waiting for descriptors.
        nr::PPOLL => signal::with_sigmask(state, mem, a[3], a[4], |mem| {
            poll::ppoll(mem, a[0], a[1] as u32, a[2], a[3], a[4])
        }),
        nr::PSELECT6 => poll::pselect6_sigmask(mem, a[5]).and_then(|(mask, size)| {
            signal::with_sigmask(state, mem, mask, size, |mem| {
                poll::pselect6(mem, int(a[0]), a[1], a[2], a[3], a[4], a[5])
            })
        }),
        nr::EPOLL_CREATE1 => poll::epoll_create1(int(a[0])),
        nr::EPOLL_CTL => poll::epoll_ctl(mem, int(a[0]), int(a[1]), int(a[2]), a[3]),
        nr::EPOLL_PWAIT => signal::with_sigmask(state, mem, a[4], a[5], |mem| {
            poll::epoll_pwait(mem, int(a[0]), a[1], int(a[2]), int(a[3]), a[4], a[5])
        }),
        nr::EPOLL_PWAIT2 => signal::with_sigmask(state, mem, a[4], a[5], |mem| {
            poll::epoll_pwait2(mem, int(a[0]), a[1], int(a[2]), a[3], a[4], a[5])
        }),
        // Reads and writes.
        nr::READ => match crate::signal::signalfd::mask_of(int(a[0])) {
            Some(mask) => signalfd::read(state, mem, int(a[0]), mask, a[1], a[2]),
            None => io::read(mem, int(a[0]), a[1], a[2]),
        },
        nr::WRITE => io::write(mem, int(a[0]), a[1], a[2]),
        nr::READV => match crate::signal::signalfd::mask_of(int(a[0])) {
            Some(mask) => signalfd::readv(state, mem, int(a[0]), mask, a[1], a[2]),
            None => io::readv(mem, int(a[0]), a[1], a[2]),
        },
        nr::WRITEV => io::writev(mem, int(a[0]), a[1], a[2]),
        nr::PREAD64 => io::pread64(mem, int(a[0]), a[1], a[2], a[3] as i64),
        nr::PWRITE64 => io::pwrite64(mem, int(a[0]), a[1], a[2], a[3] as i64),
        nr::LSEEK => io::lseek(int(a[0]), a[1] as i64, int(a[2])),
        nr::PREADV => io::preadv(mem, int(a[0]), a[1], a[2], a[3] as i64, None),
        nr::PWRITEV => io::pwritev(mem, int(a[0]), a[1], a[2], a[3] as i64, None),
        nr::PREADV2 => io::preadv(mem, int(a[0]), a[1], a[2], a[3] as i64, Some(int(a[5]))),
        nr::PWRITEV2 => io::pwritev(mem, int(a[0]), a[1], a[2], a[3] as i64, Some(int(a[5]))),
        nr::SENDFILE => io::sendfile(mem, int(a[0]), int(a[1]), a[2], a[3]),
        nr::COPY_FILE_RANGE | nr::SPLICE => {
            let host_nr = if nr == nr::SPLICE {
                libc::SYS_splice
            } else {
                libc::SYS_copy_file_range
            };
            let ends = [(int(a[0]), a[1]), (int(a[2]), a[3])];
            io::transfer(mem, host_nr, ends, a[4], a[5] as u32)
        }
        nr::TEE => io::tee(int(a[0]), int(a[1]), a[2], a[3] as u32),
        nr::VMSPLICE => io::vmsplice(mem, int(a[0]), a[1], a[2], a[3] as u32),
        // The address space.
        nr::BRK => growing(state, mem, |s| mem::brk(s, mem, a[0])),
        nr::MMAP => growing(state, mem, |s| {
            mem::mmap(s, mem, a[0], a[1], a[2], a[3], int(a[4]), a[5])
        }),
        nr::MUNMAP => mapping(state, |s| mem::munmap(s, mem, a[0], a[1])),
        nr::MPROTECT => mapping(state, |s| mem::mprotect(s, mem, a[0], a[1], a[2])),
        nr::MREMAP => growing(state, mem, |s| {
            mremap::mremap(s, mem, a[0], a[1], a[2], a[3], a[4])
        }),
        nr::MADVISE => mapping(state, |s| mem::madvise(s, mem, a[0], a[1], int(a[2]))),
        nr::MSYNC => mapping(state, |s| mem::msync(s, mem, a[0], a[1], int(a[2]))),
        nr::MLOCK => mapping(state, |_| residency::mlock(mem, a[0], a[1], 0)),
        nr::MLOCK2 => mapping(state, |_| residency::mlock(mem, a[0], a[1], a[2] as u32)),
        nr::MUNLOCK => mapping(state, |_| residency::munlock(mem, a[0], a[1])),
        nr::MLOCKALL => mapping(state, |s| residency::mlockall(s, mem, int(a[0]))),
        nr::MUNLOCKALL => mapping(state, |s| residency::munlockall(s, mem)),
        nr::MINCORE => mapping(state, |_| residency::mincore(mem, a[0], a[1], a[2])),
        // Time.
        nr::CLOCK_GETTIME => time::clock_gettime(mem, int(a[0]), a[1]),
        nr::CLOCK_GETRES => time::clock_getres(mem, int(a[0]), a[1]),
        nr::GETTIMEOFDAY => time::gettimeofday(mem, a[0], a[1]),
        nr::SETTIMEOFDAY => time::settimeofday(mem, a[0], a[1]),
        nr::CLOCK_SETTIME => time::clock_settime(mem, int(a[0]), a[1]),
        nr::NANOSLEEP => time::nanosleep(state, mem, a[0], a[1]),
        nr::RESTART_SYSCALL => time::restart_syscall(state, mem),
        nr::ADJTIMEX => time::adjtime(mem, None, a[0]),
        nr::CLOCK_ADJTIME => time::adjtime(mem, Some(int(a[0])), a[1]),
        nr::CLOCK_NANOSLEEP => time::clock_nanosleep(state, mem, int(a[0]), int(a[1]), a[2], a[3]),
        nr::TIMER_CREATE => time::timer_create(state, mem, int(a[0]), a[1], a[2]),
        nr::TIMER_SETTIME => time::timer_settime(state, mem, int(a[0]), int(a[1]), a[2], a[3]),
        nr::TIMER_GETTIME => time::timer_gettime(state, mem, int(a[0]), a[1]),
        nr::TIMER_GETOVERRUN => time::timer_getoverrun(state, int(a[0])),
        nr::TIMER_DELETE => time::timer_delete(state, int(a[0])),
        // Identity, limits, system information.
        nr::GETPID => info::getpid(),
        nr::GETPPID => info::getppid(),
        nr::GETTID => info::gettid(),
        nr::GETUID => info::getuid(),
        nr::GETEUID => info::geteuid(),
        nr::GETGID => info::getgid(),
        nr::GETEGID => info::getegid(),
        nr::GETRESUID => cred::getresuid(mem, a[0], a[1], a[2]),
        nr::GETRESGID => cred::getresgid(mem, a[0], a[1], a[2]),
        nr::GETGROUPS => cred::getgroups(mem, int(a[0]), a[1]),
        nr::SETGROUPS => cred::setgroups(mem, int(a[0]), a[1]),
        nr::SETUID => cred::set_ids(libc::SYS_setuid, ids(a)),
        nr::SETGID => cred::set_ids(libc::SYS_setgid, ids(a)),
        nr::SETREUID => cred::set_ids(libc::SYS_setreuid, ids(a)),
        nr::SETREGID => cred::set_ids(libc::SYS_setregid, ids(a)),
        nr::SETRESUID => cred::set_ids(libc::SYS_setresuid, ids(a)),
        nr::SETRESGID => cred::set_ids(libc::SYS_setresgid, ids(a)),
        nr::SETFSUID => cred::set_ids(libc::SYS_setfsuid, ids(a)),
        nr::SETFSGID => cred::set_ids(libc::SYS_setfsgid, ids(a)),
        nr::CAPGET => cred::capget(mem, a[0], a[1]),
        nr::CAPSET => cred::capset(mem, a[0], a[1]),
        nr::GETPGID => info::getpgid(int(a[0])),
        nr::GETSID => info::getsid(int(a[0])),
        nr::SETPGID => info::setpgid(int(a[0]), int(a[1])),
        nr::SETSID => info::setsid(),
        nr::GETRUSAGE => info::getrusage(mem, int(a[0]), a[1]),
        nr::TIMES => info::times(mem, a[0]),
        nr::PRCTL => match int(a[0]) {
            libc::PR_GET_SECCOMP => seccomp::prctl_get(state),
            libc::PR_SET_SECCOMP => seccomp::prctl_set(state, mem, a[1], a[2]),
            option @ (vector_ext::pr::SET_CONTROL | vector_ext::pr::GET_CONTROL) => {
                let used = vector_ext::unit_used(&cpu.vector);
                vector_ext::v_control(option, a[1], used, vector_ext::advertise_v())
                    .map(|v| v as i64)
            }
            option => info::prctl(mem, option, [a[1], a[2], a[3], a[4]]),
        },
        nr::SECCOMP => seccomp::seccomp(state, mem, a[0] as u32, a[1] as u32, a[2]),
        // Probed by glibc, which falls back when it is missing: a thread's restartable
        // sequences need a kernel that knows when the thread is preempted.
        nr::RSEQ => probed(state, nr),
        nr::RISCV_HWPROBE => hwprobe::riscv_hwprobe(mem, a[0], a[1], a[2], a[3], a[4] as u32),
        nr::UNAME => info::uname(state.personality, mem, a[0]),
        nr::PERSONALITY => info::personality(state, a[0] as u32),
        nr::SETHOSTNAME => info::set_uts_name(mem, a[0], int(a[1]), false),
        nr::SETDOMAINNAME => info::set_uts_name(mem, a[0], int(a[1]), true),
        nr::SYSINFO => info::sysinfo(mem, a[0]),
        nr::SYSLOG => info::syslog(mem, int(a[0]), a[1], int(a[2])),
        nr::GETRANDOM => info::getrandom(mem, a[0], a[1], a[2] as u32),
        nr::PRLIMIT64 => info::prlimit64(state, mem, int(a[0]), a[1] as u32, a[2], a[3]),
        nr::GETRLIMIT => info::prlimit64(state, mem, 0, a[0] as u32, 0, a[1]),
        nr::SETRLIMIT => info::prlimit64(state, mem, 0, a[0] as u32, a[1], 0),
        // Scheduling.
        nr::GETPRIORITY => sched::getpriority(int(a[0]), int(a[1])),
        nr::SETPRIORITY => sched::setpriority(int(a[0]), int(a[1]), int(a[2])),
        nr::IOPRIO_GET => sched::ioprio(int(a[0]), int(a[1]), None),
        nr::IOPRIO_SET => sched::ioprio(int(a[0]), int(a[1]), Some(int(a[2]))),
        nr::SCHED_GETSCHEDULER => sched::sched_getscheduler(int(a[0])),
        nr::SCHED_SETSCHEDULER => sched::sched_setscheduler(mem, int(a[0]), Some(int(a[1])), a[2]),
        nr::SCHED_GETPARAM => sched::sched_getparam(mem, int(a[0]), a[1]),
        nr::SCHED_SETPARAM => sched::sched_setscheduler(mem, int(a[0]), None, a[1]),
        nr::SCHED_GETATTR => sched::sched_getattr(mem, int(a[0]), a[1], a[2] as u32, a[3] as u32),
        nr::SCHED_SETATTR => sched::sched_setattr(mem, int(a[0]), a[1], a[2] as u32),
        nr::SCHED_GET_PRIORITY_MAX => sched::sched_get_priority(int(a[0]), true),
        nr::SCHED_GET_PRIORITY_MIN => sched::sched_get_priority(int(a[0]), false),
        nr::SCHED_RR_GET_INTERVAL => sched::sched_rr_get_interval(mem, int(a[0]), a[1]),
        nr::SCHED_SETAFFINITY => sched::sched_setaffinity(mem, int(a[0]), a[1] as u32, a[2]),
        nr::SCHED_GETAFFINITY => sched::sched_getaffinity(mem, int(a[0]), a[1] as u32, a[2]),
        nr::SCHED_YIELD => sched::sched_yield(),
        nr::GETCPU => sched::getcpu(mem, a[0], a[1]),
        // Process lifetime and signals.
        nr::RISCV_FLUSH_ICACHE => process::riscv_flush_icache(state, mem, a[0], a[1], a[2]),
        nr::EXIT => return process::exit_thread(a[0]),
        nr::EXIT_GROUP => return process::exit_group(a[0]),
        nr::SET_TID_ADDRESS => process::set_tid_address(state, a[0]),
        nr::FUTEX => sync::futex(mem, a[0], int(a[1]), a[2] as u32, a[3], a[4], a[5] as u32),
        nr::MEMBARRIER => sync::membarrier(int(a[0]), a[1] as u32, int(a[2])),
        nr::SET_ROBUST_LIST => process::set_robust_list(state, a[0], a[1]),
        nr::GET_ROBUST_LIST => process::get_robust_list(state, mem, int(a[0]), a[1], a[2]),
        nr::KCMP => process::kcmp(mem, int(a[0]), int(a[1]), int(a[2]), a[3], a[4]),
        // Signals.
        nr::RT_SIGACTION => signal::rt_sigaction(state, mem, a[0], a[1], a[2], a[3]),
        nr::RT_SIGPROCMASK => signal::rt_sigprocmask(state, mem, int(a[0]), a[1], a[2], a[3]),
        nr::RT_SIGRETURN => return signal::rt_sigreturn(state, mem, cpu),
        nr::SIGALTSTACK => signal::sigaltstack(state, mem, cpu, a[0], a[1]),
        nr::RT_SIGPENDING => signal::rt_sigpending(state, mem, a[0], a[1]),
        nr::RT_SIGSUSPEND => signal::rt_sigsuspend(state, mem, a[0], a[1]),
        nr::SIGNALFD4 => signalfd::signalfd4(state, mem, int(a[0]), a[1], a[2], int(a[3])),
        nr::RT_SIGTIMEDWAIT => signal::rt_sigtimedwait(state, mem, a[0], a[1], a[2], a[3]),
        nr::RT_SIGQUEUEINFO => {
            return signal::sigqueueinfo(state, mem, int(a[0]), None, int(a[1]), a[2])
        }
        nr::RT_TGSIGQUEUEINFO => {
            return signal::sigqueueinfo(state, mem, int(a[0]), Some(int(a[1])), int(a[2]), a[3])
        }
        nr::KILL => return signal::kill(state, int(a[0]), int(a[1])),
        nr::TKILL => return signal::tkill(state, int(a[0]), int(a[1])),
        nr::TGKILL => return signal::tgkill(state, int(a[0]), int(a[1]), int(a[2])),
        nr::PIDFD_SEND_SIGNAL => {
            return pidfd::pidfd_send_signal(state, mem, int(a[0]), int(a[1]), a[2], a[3] as u32)
        }
        nr::GETITIMER => signal::getitimer(mem, int(a[0]), a[1]),
        nr::SETITIMER => signal::setitimer(mem, int(a[0]), a[1], a[2]),
        // New processes and programs.
        nr::CLONE => return fork::clone(state, mem, cpu, a[0], a[1], a[2], a[3], a[4]),
        nr::CLONE3 => return fork::clone3(state, mem, cpu, a[0], a[1]),
        nr::UNSHARE => fork::unshare(state, a[0]),
        nr::SETNS => fork::setns(int(a[0]), int(a[1])),
        nr::WAIT4 => fork::wait4(mem, int(a[0]), a[1], int(a[2]), a[3]),
        nr::WAITID => fork::waitid(mem, int(a[0]), int(a[1]), a[2], int(a[3]), a[4]),
        nr::PIDFD_OPEN => pidfd::pidfd_open(int(a[0]), a[1] as u32),
        nr::PROCESS_VM_READV | nr::PROCESS_VM_WRITEV => {
            let dir = match nr {
                nr::PROCESS_VM_READV => process_vm::Direction::Read,
                _ => process_vm::Direction::Write,
            };
            process_vm::process_vm_rw(mem, dir, int(a[0]), a[1], a[2], a[3], a[4], a[5])
        }
        nr::PIDFD_GETFD => pidfd::pidfd_getfd(state, int(a[0]), int(a[1]), a[2] as u32),
        nr::EXECVE => exec::execve(state, mem, a[0], a[1], a[2]),
        nr::EXECVEAT => exec::execveat(state, mem, int(a[0]), a[1], a[2], a[3], int(a[4])),
        _ => unknown(state, nr),
    };
    returned(result)
}

/// What an extended-attribute call `nr` names by its first argument.
fn xattr_target(nr: u64, first: u64) -> xattr::Target {
    match nr {
        nr::FGETXATTR | nr::FSETXATTR | nr::FLISTXATTR | nr::FREMOVEXATTR => {
            xattr::Target::Fd(int(first))
        }
        nr::LGETXATTR | nr::LSETXATTR | nr::LLISTXATTR | nr::LREMOVEXATTR => xattr::Target::Path {
            addr: first,
            follow: false,
        },
        _ => xattr::Target::Path {
            addr: first,
            follow: true,
        },
    }
}

/// The outcome of a handler that returns to the guest.
fn returned(result: SysResult) -> SyscallOutcome {
    match result {
        Ok(v) => SyscallOutcome::Return(v),
        Err(Errno(e)) => SyscallOutcome::Return(-(e as i64)),
    }
}

/// A call glibc probes at startup and does without (`rseq`, `riscv_hwprobe`): `ENOSYS`,
/// reported once at debug level only, since every program makes it.
fn probed(state: &mut ProcessState, nr: u64) -> SysResult {
    if state.unknown_syscalls_logged.insert(nr) {
        tracing::debug!(nr, "optional system call not implemented; returning ENOSYS");
    }
    Err(Errno(libc::ENOSYS))
}

/// A system call this layer does not implement: `ENOSYS`, reported once per number.
fn unknown(state: &mut ProcessState, nr: u64) -> SysResult {
    if state.unknown_syscalls_logged.insert(nr) {
        tracing::warn!(nr, "unimplemented system call; returning ENOSYS");
    }
    Err(Errno(libc::ENOSYS))
}
