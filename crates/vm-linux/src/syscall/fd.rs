//! Operations on descriptors: `close`, `close_range`, `dup`, `dup3`, `pipe2`, `fcntl`,
//! `ioctl`, `ftruncate`, `fsync`, `fdatasync`, `sync_file_range`, `syncfs`, `sync`,
//! `fallocate`, `fadvise64`, `readahead`, `flock`, and the
//! calls creating and driving special descriptors: `memfd_create`, `eventfd2`, the
//! `inotify` calls, the `timerfd` calls. Reads from those are plain reads: `struct
//! inotify_event` and the timer's expiry count have the same layout on both, and
//! `struct itimerspec` (two `timespec`s) too.
//!
//! Descriptors the VM holds for itself (duplicates kept for shared file mappings, and
//! those it holds for the length of a call, [`super::call_fd`]) are never closed or
//! replaced by the guest: `close` and `dup3` refuse them, `close_range` skips them.
//!
//! `fcntl` passes the common commands through (their numbers, flag values and `struct
//! flock` layout are the same on riscv64 and x86-64); unknown commands are `EINVAL`. `ioctl`
//! passes through a fixed list of terminal, descriptor, file and socket requests whose
//! argument layout is known; any other request is `ENOTTY` (what Linux says to a request
//! the file does not support), never a host call with an unchecked guest pointer.

use super::abi::{read_itimerspec, write_itimerspec, HostBuf};
use super::{badf_or, host, host_call, ptr_or_null, read_path_or_null, Errno, SysResult};
use crate::signal::signalfd;
use crate::state::ProcessState;
use vm_ir::GuestAddr;
use vm_memory::GuestMemory;

/// The descriptors vm holds in the guest's table for itself, which the guest must not
/// close or replace: those of shared file mappings, vm's own executable, the trace of
/// `--strace`, and the pipe a vfork parent waits on.
pub(super) fn vm_owned(state: &ProcessState) -> Vec<i32> {
    use std::os::fd::AsRawFd;
    let mut held = state.address_space().shared_file_maps.held_fds();
    held.extend(super::exec::vm_fd());
    held.extend(crate::strace::fd());
    held.extend(state.vfork_release.as_ref().map(|r| r.socket.as_raw_fd()));
    held
}

/// Where vm's private duplicates of shared-file-mapping descriptors go, out of the
/// guest's usual range; lower only when the descriptor table has no room there.
pub(super) const HELD_FD_FLOOR: i32 = 512;

/// Whether a duplicate was ever held below [`HELD_FD_FLOOR`] (then every descriptor
/// number is looked up in the address space's table, not only those above it).
static HELD_BELOW_FLOOR: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(false);

/// A close-on-exec duplicate of host descriptor `fd` numbered where the guest will not
/// meet it, or `None` if the table is full. Linux gives the guest the lowest free
/// numbers, so vm's go at [`HELD_FD_FLOOR`] or above. When the guest has lowered its
/// soft `RLIMIT_NOFILE` below that, the soft limit is raised to the hard one for the
/// call (a descriptor above the soft limit stays valid, as on Linux) and put back; when
/// the hard limit is low too, the duplicate takes the highest free number under the
/// limit, which the guest reaches only by filling its table. (Another guest thread
/// changing the limit during that window would see its change undone.)
pub(super) fn dup_out_of_the_way(fd: i32) -> Option<i32> {
    let dup = |min: i32| {
        // SAFETY: F_DUPFD_CLOEXEC takes an integer argument.
        let new = unsafe { host_syscall!(libc::SYS_fcntl, fd, libc::F_DUPFD_CLOEXEC, min) };
        (new >= 0).then_some(new as i32)
    };
    if let Some(new) = dup(HELD_FD_FLOOR) {
        return Some(new);
    }
    use crate::host_limits::{host_limit, set_host_limit};
    let Some(lim) = host_limit(libc::RLIMIT_NOFILE) else {
        return dup(0);
    };
    let [soft, hard] = lim;
    if hard > HELD_FD_FLOOR as u64
        && soft <= HELD_FD_FLOOR as u64
        && set_host_limit(libc::RLIMIT_NOFILE, [hard, hard])
    {
        let new = dup(HELD_FD_FLOOR);
        set_host_limit(libc::RLIMIT_NOFILE, lim);
        if new.is_some() {
            return new;
        }
    }
    let top = soft.min(HELD_FD_FLOOR as u64) as i32;
    (0..top).rev().find_map(dup)
}

/// Records that vm now holds `fd` as a shared file mapping's duplicate.
pub(super) fn note_held(fd: i32) {
    if fd < HELD_FD_FLOOR {
        HELD_BELOW_FLOOR.store(true, std::sync::atomic::Ordering::Relaxed);
    }
}

/// Whether `fd` is one of [`vm_owned`]'s, without building the list (and, for the
/// usual descriptor numbers, without locking the address space, which a long `msync`
/// or `mlock` may hold).
fn is_vm_owned(state: &ProcessState, fd: i32) -> bool {
    use std::os::fd::AsRawFd;
    fd >= 0
        && (super::exec::vm_fd() == Some(fd)
            || crate::strace::fd() == Some(fd)
            || state
                .vfork_release
                .as_ref()
                .is_some_and(|r| r.socket.as_raw_fd() == fd)
            || super::call_fd::is_call_fd(fd)
            || ((fd >= HELD_FD_FLOOR
                || HELD_BELOW_FLOOR.load(std::sync::atomic::Ordering::Relaxed))
                && state.address_space().shared_file_maps.holds_fd(fd)))
}

/// The argument registers of call `nr` that name a descriptor of the caller's own (a
/// directory descriptor of the `*at` calls included; `AT_FDCWD` is never vm's).
fn descriptor_args(nr: u64, args: &[u64; 6]) -> &'static [usize] {
    use super::numbers as nr;
    match nr {
        nr::FSETXATTR
        | nr::FGETXATTR
        | nr::FLISTXATTR
        | nr::FREMOVEXATTR
        | nr::EPOLL_PWAIT
        | nr::EPOLL_PWAIT2
        | nr::DUP
        | nr::DUP3
        | nr::FCNTL
        | nr::INOTIFY_ADD_WATCH
        | nr::INOTIFY_RM_WATCH
        | nr::IOCTL
        | nr::FLOCK
        | nr::MKNODAT
        | nr::MKDIRAT
        | nr::UNLINKAT
        | nr::FSTATFS
        | nr::FTRUNCATE
        | nr::FALLOCATE
        | nr::FACCESSAT
        | nr::FACCESSAT2
        | nr::FCHDIR
        | nr::FCHMOD
        | nr::FCHMODAT
        | nr::FCHMODAT2
        | nr::FCHOWNAT
        | nr::FCHOWN
        | nr::OPENAT
        | nr::OPENAT2
        | nr::GETDENTS64
        | nr::LSEEK
        | nr::READ
        | nr::WRITE
        | nr::READV
        | nr::WRITEV
        | nr::PREAD64
        | nr::PWRITE64
        | nr::PREADV
        | nr::PWRITEV
        | nr::PREADV2
        | nr::PWRITEV2
        | nr::SIGNALFD4
        | nr::VMSPLICE
        | nr::READLINKAT
        | nr::NEWFSTATAT
        | nr::FSTAT
        | nr::STATX
        | nr::FSYNC
        | nr::FDATASYNC
        | nr::SYNC_FILE_RANGE
        | nr::SYNCFS
        | nr::TIMERFD_SETTIME
        | nr::TIMERFD_GETTIME
        | nr::UTIMENSAT
        | nr::MQ_TIMEDSEND
        | nr::MQ_TIMEDRECEIVE
        | nr::MQ_NOTIFY
        | nr::MQ_GETSETATTR
        | nr::BIND
        | nr::LISTEN
        | nr::ACCEPT
        | nr::ACCEPT4
        | nr::CONNECT
        | nr::GETSOCKNAME
        | nr::GETPEERNAME
        | nr::SENDTO
        | nr::RECVFROM
        | nr::SETSOCKOPT
        | nr::GETSOCKOPT
        | nr::SHUTDOWN
        | nr::SENDMSG
        | nr::RECVMSG
        | nr::SENDMMSG
        | nr::RECVMMSG
        | nr::READAHEAD
        | nr::FADVISE64
        | nr::SETNS
        | nr::EXECVEAT
        | nr::PIDFD_SEND_SIGNAL
        | nr::PIDFD_GETFD => &[0],
        nr::SYMLINKAT => &[1],
        nr::EPOLL_CTL | nr::LINKAT | nr::RENAMEAT2 | nr::SPLICE | nr::COPY_FILE_RANGE => &[0, 2],
        nr::SENDFILE | nr::TEE => &[0, 1],
        // An anonymous mapping ignores its descriptor.
        nr::MMAP if args[3] & super::abi::map::ANONYMOUS == 0 => &[4],
        _ => &[],
    }
}

/// Whether call `nr` names one of the descriptors vm holds for itself: to the guest
/// those are not open (`EBADF`), whatever the call would do with them (write into the
/// memory file behind a shared anonymous mapping, truncate it, move the trace's offset).
pub(super) fn names_vm_owned(state: &ProcessState, nr: u64, args: &[u64; 6]) -> bool {
    descriptor_args(nr, args)
        .iter()
        .any(|&i| is_vm_owned(state, args[i] as i32))
}

pub fn close(state: &ProcessState, fd: i32) -> SysResult {
    let calls = super::call_fd::guest_closing();
    if vm_owned(state).contains(&fd) || calls.contains(&fd) {
        // Not one of the guest's descriptors.
        return Err(Errno(libc::EBADF));
    }
    // SAFETY: no pointer arguments.
    let r = host(unsafe { host_syscall!(libc::SYS_close, fd) });
    // Closed even when the host reports an error other than EBADF (EINTR, EIO).
    if r != Err(Errno(libc::EBADF)) {
        signalfd::closed(fd, fd);
    }
    r
}

pub fn dup(fd: i32) -> SysResult {
    // SAFETY: no pointer arguments.
    let new = host(unsafe { host_syscall!(libc::SYS_dup, fd) })?;
    signalfd::duplicated(fd, new as i32);
    Ok(new)
}

pub fn dup3(state: &ProcessState, old: i32, new: i32, flags: i32) -> SysResult {
    let calls = super::call_fd::guest_closing();
    if vm_owned(state).contains(&new) || calls.contains(&new) {
        // Replacing it would close a descriptor the VM still needs; Linux would refuse a
        // target past the descriptor limit the same way.
        return Err(Errno(libc::EBADF));
    }
    // SAFETY: no pointer arguments.
    let r = host(unsafe { host_syscall!(libc::SYS_dup3, old, new, flags) })?;
    signalfd::duplicated(old, new);
    Ok(r)
}

pub fn pipe2(mem: &GuestMemory, fds: GuestAddr, flags: i32) -> SysResult {
    let mut pair = [0i32; 2];
    // SAFETY: `pair` is a host `int[2]`.
    host(unsafe { host_syscall!(libc::SYS_pipe2, pair.as_mut_ptr(), flags) })?;
    let mut bytes = [0u8; 8];
    bytes[..4].copy_from_slice(&pair[0].to_le_bytes());
    bytes[4..].copy_from_slice(&pair[1].to_le_bytes());
    if mem.write(fds, bytes).is_err() {
        // Linux closes both ends again when it cannot report them.
        for fd in pair {
            // SAFETY: closing the descriptors just created here.
            unsafe { libc::close(fd) };
        }
        return Err(Errno(libc::EFAULT));
    }
    Ok(0)
}

/// Size of `struct flock` (same on riscv64 and x86-64: two shorts, two off_t, a pid).
const FLOCK_SIZE: usize = 32;
/// Size of `struct f_owner_ex`.
const F_OWNER_EX_SIZE: usize = 8;

/// fcntl commands (asm-generic `fcntl.h`, the same numbers on x86-64).
mod cmd {
    pub const F_DUPFD: i32 = 0;
    pub const F_GETFD: i32 = 1;
    pub const F_SETFD: i32 = 2;
    pub const F_GETFL: i32 = 3;
    pub const F_SETFL: i32 = 4;
    pub const F_GETLK: i32 = 5;
    pub const F_SETLK: i32 = 6;
    pub const F_SETLKW: i32 = 7;
    pub const F_SETOWN: i32 = 8;
    pub const F_GETOWN: i32 = 9;
    pub const F_SETSIG: i32 = 10;
    pub const F_GETSIG: i32 = 11;
    pub const F_SETOWN_EX: i32 = 15;
    pub const F_GETOWN_EX: i32 = 16;
    pub const F_OFD_GETLK: i32 = 36;
    pub const F_OFD_SETLK: i32 = 37;
    pub const F_OFD_SETLKW: i32 = 38;
    pub const F_SETLEASE: i32 = 1024;
    pub const F_GETLEASE: i32 = 1025;
    pub const F_NOTIFY: i32 = 1026;
    pub const F_DUPFD_CLOEXEC: i32 = 1030;
    pub const F_SETPIPE_SZ: i32 = 1031;
    pub const F_GETPIPE_SZ: i32 = 1032;
    pub const F_ADD_SEALS: i32 = 1033;
    pub const F_GET_SEALS: i32 = 1034;
}

pub fn fcntl(mem: &GuestMemory, fd: i32, cmd: i32, arg: u64) -> SysResult {
    use cmd::*;
    match cmd {
        F_DUPFD | F_DUPFD_CLOEXEC => {
            // SAFETY: these commands take an integer argument, no pointer.
            let new = host(unsafe { host_syscall!(libc::SYS_fcntl, fd, cmd, arg) })?;
            signalfd::duplicated(fd, new as i32);
            Ok(new)
        }
        F_GETFD | F_SETFD | F_GETFL | F_SETFL | F_SETOWN | F_GETOWN | F_SETSIG | F_GETSIG
        | F_SETLEASE | F_GETLEASE | F_NOTIFY | F_SETPIPE_SZ | F_GETPIPE_SZ | F_ADD_SEALS
        | F_GET_SEALS => {
            // SAFETY: these commands take an integer argument, no pointer.
            host(unsafe { host_syscall!(libc::SYS_fcntl, fd, cmd, arg) })
        }
        F_GETLK | F_SETLK | F_SETLKW | F_OFD_GETLK | F_OFD_SETLK | F_OFD_SETLKW => {
            fcntl_struct::<FLOCK_SIZE>(mem, fd, cmd, arg)
        }
        F_GETOWN_EX | F_SETOWN_EX => fcntl_struct::<F_OWNER_EX_SIZE>(mem, fd, cmd, arg),
        _ => Err(badf_or(fd, libc::EINVAL)),
    }
}

/// An `fcntl` whose argument points at an `N`-byte structure the kernel reads and may
/// write back: copied in, passed to the host, copied out.
fn fcntl_struct<const N: usize>(mem: &GuestMemory, fd: i32, cmd: i32, arg: u64) -> SysResult {
    let bytes: [u8; N] = mem.read(arg).map_err(|_| badf_or(fd, libc::EFAULT))?;
    let mut buf = HostBuf::<4>::from_bytes(&bytes);
    // SAFETY: `buf` is a 32-byte, 8-aligned host buffer holding the structure.
    let r = host(unsafe { host_syscall!(libc::SYS_fcntl, fd, cmd, buf.as_mut_ptr()) })?;
    mem.write_bytes(arg, &buf.to_bytes()[..N])?;
    Ok(r)
}

/// ioctl request numbers (asm-generic `ioctls.h` and `linux/fs.h`, used by both riscv64
/// and x86-64).
mod req {
    pub const TCGETS: u32 = 0x5401;
    pub const TCSETS: u32 = 0x5402;
    pub const TCSETSW: u32 = 0x5403;
    pub const TCSETSF: u32 = 0x5404;
    pub const TCSBRK: u32 = 0x5409;
    pub const TCXONC: u32 = 0x540a;
    pub const TCFLSH: u32 = 0x540b;
    pub const TIOCGPGRP: u32 = 0x540f;
    pub const TIOCSPGRP: u32 = 0x5410;
    pub const TIOCGWINSZ: u32 = 0x5413;
    pub const TIOCSWINSZ: u32 = 0x5414;
    pub const TIOCEXCL: u32 = 0x540c;
    pub const TIOCNXCL: u32 = 0x540d;
    pub const TIOCSCTTY: u32 = 0x540e;
    pub const TIOCOUTQ: u32 = 0x5411;
    pub const TIOCSTI: u32 = 0x5412;
    pub const TIOCMGET: u32 = 0x5415;
    pub const TIOCMBIS: u32 = 0x5416;
    pub const TIOCMBIC: u32 = 0x5417;
    pub const TIOCMSET: u32 = 0x5418;
    pub const FIONREAD: u32 = 0x541b;
    pub const TIOCPKT: u32 = 0x5420;
    pub const FIONBIO: u32 = 0x5421;
    pub const TIOCNOTTY: u32 = 0x5422;
    pub const TIOCSETD: u32 = 0x5423;
    pub const TIOCGETD: u32 = 0x5424;
    pub const TCSBRKP: u32 = 0x5425;
    pub const TIOCSBRK: u32 = 0x5427;
    pub const TIOCCBRK: u32 = 0x5428;
    pub const TIOCGSID: u32 = 0x5429;
    pub const TCGETS2: u32 = 0x802c_542a;
    pub const TCSETS2: u32 = 0x402c_542b;
    pub const TCSETSW2: u32 = 0x402c_542c;
    pub const TCSETSF2: u32 = 0x402c_542d;
    pub const TIOCGPTN: u32 = 0x8004_5430;
    pub const TIOCSPTLCK: u32 = 0x4004_5431;
    pub const TIOCGDEV: u32 = 0x8004_5432;
    pub const TIOCVHANGUP: u32 = 0x5437;
    pub const TIOCGPKT: u32 = 0x8004_5438;
    pub const TIOCGPTLCK: u32 = 0x8004_5439;
    pub const TIOCGEXCL: u32 = 0x8004_5440;
    pub const TIOCGPTPEER: u32 = 0x5441;
    pub const FIONCLEX: u32 = 0x5450;
    pub const FIOCLEX: u32 = 0x5451;
    pub const FIOASYNC: u32 = 0x5452;
    pub const FIGETBSZ: u32 = 2;
    pub const FS_IOC_GETFLAGS: u32 = 0x8008_6601;
    pub const FS_IOC_SETFLAGS: u32 = 0x4008_6602;
    pub const FICLONE: u32 = 0x4004_9409;
    pub const FICLONERANGE: u32 = 0x4020_940d;
    pub const SIOCATMARK: u32 = 0x8905;
    pub const SIOCGIFNAME: u32 = 0x8910;
    pub const SIOCGIFFLAGS: u32 = 0x8913;
    pub const SIOCGIFADDR: u32 = 0x8915;
    pub const SIOCGIFDSTADDR: u32 = 0x8917;
    pub const SIOCGIFBRDADDR: u32 = 0x8919;
    pub const SIOCGIFNETMASK: u32 = 0x891b;
    pub const SIOCGIFMETRIC: u32 = 0x891d;
    pub const SIOCGIFMTU: u32 = 0x8921;
    pub const SIOCGIFHWADDR: u32 = 0x8927;
    pub const SIOCGIFINDEX: u32 = 0x8933;
    pub const SIOCGIFTXQLEN: u32 = 0x8942;
}

/// Size of `struct file_clone_range`: a source descriptor and three 64-bit offsets.
const FILE_CLONE_RANGE_SIZE: usize = 32;

/// Size of the kernel's `struct termios` (NCCS = 19), the same on both.
const TERMIOS_SIZE: usize = 36;
/// Size of `struct termios2`: `struct termios` and the input and output speeds.
const TERMIOS2_SIZE: usize = 44;
/// Size of `struct winsize`.
const WINSIZE_SIZE: usize = 8;
/// Size of `struct ifreq` on 64-bit targets: a 16-byte interface name and a 24-byte union.
const IFREQ_SIZE: usize = 40;

/// How an ioctl request uses its argument.
enum IoctlArg {
    /// An integer value, or nothing.
    Value,
    /// A pointer to `n` bytes the kernel reads.
    In(usize),
    /// A pointer to `n` bytes the kernel writes.
    Out(usize),
    /// A pointer to `n` bytes the kernel reads and then writes.
    InOut(usize),
}

pub fn ioctl(mem: &GuestMemory, fd: i32, request: u32, arg: u64) -> SysResult {
    use req::*;
    let kind = match request {
        TCGETS => IoctlArg::Out(TERMIOS_SIZE),
        TCSETS | TCSETSW | TCSETSF => IoctlArg::In(TERMIOS_SIZE),
        TIOCGWINSZ => IoctlArg::Out(WINSIZE_SIZE),
        TIOCSWINSZ => IoctlArg::In(WINSIZE_SIZE),
        TCGETS2 => IoctlArg::Out(TERMIOS2_SIZE),
        TCSETS2 | TCSETSW2 | TCSETSF2 => IoctlArg::In(TERMIOS2_SIZE),
        TIOCGPGRP | FIONREAD | TIOCOUTQ | TIOCMGET | TIOCGETD | TIOCGSID | TIOCGPTN | TIOCGDEV
        | TIOCGPKT | TIOCGPTLCK | TIOCGEXCL | FIGETBSZ => IoctlArg::Out(4),
        // The flags are a `long` in the request number but an `int` to the kernel.
        FS_IOC_GETFLAGS => IoctlArg::Out(4),
        FS_IOC_SETFLAGS => IoctlArg::In(4),
        FICLONERANGE => IoctlArg::In(FILE_CLONE_RANGE_SIZE),
        SIOCATMARK => IoctlArg::Out(4),
        // The interface queries: an `ifreq` names the interface (or its index) and gets
        // the answer in its union, none of whose members used here is a pointer.
        SIOCGIFNAME | SIOCGIFFLAGS | SIOCGIFADDR | SIOCGIFDSTADDR | SIOCGIFBRDADDR
        | SIOCGIFNETMASK | SIOCGIFMETRIC | SIOCGIFMTU | SIOCGIFHWADDR | SIOCGIFINDEX
        | SIOCGIFTXQLEN => IoctlArg::InOut(IFREQ_SIZE),
        TIOCSPGRP | FIONBIO | FIOASYNC | TIOCMBIS | TIOCMBIC | TIOCMSET | TIOCPKT | TIOCSETD
        | TIOCSPTLCK => IoctlArg::In(4),
        TIOCSTI => IoctlArg::In(1),
        // TIOCGPTPEER's argument is `open` flags, whose values riscv64 and x86-64 share;
        // it returns a new descriptor, like `open`. FICLONE's is the source descriptor.
        TCSBRK | TCXONC | TCFLSH | FIONCLEX | FIOCLEX | TIOCEXCL | TIOCNXCL | TIOCSCTTY
        | TIOCNOTTY | TCSBRKP | TIOCSBRK | TIOCCBRK | TIOCVHANGUP | TIOCGPTPEER | FICLONE => {
            IoctlArg::Value
        }
        _ => return Err(badf_or(fd, libc::ENOTTY)),
    };
    let req = request as libc::c_ulong;
    match kind {
        IoctlArg::Value => {
            // SAFETY: these requests take an integer argument, no pointer.
            host(unsafe { host_syscall!(libc::SYS_ioctl, fd, req, arg) })
        }
        IoctlArg::In(n) => {
            let src = mem
                .slice(arg, n as u64)
                .map_err(|_| badf_or(fd, libc::EFAULT))?;
            let mut buf = HostBuf::<8>::from_bytes(src);
            // SAFETY: `buf` is a 64-byte host buffer holding the `n <= 64` byte argument.
            host(unsafe { host_syscall!(libc::SYS_ioctl, fd, req, buf.as_mut_ptr()) })
        }
        IoctlArg::InOut(n) => {
            let src = mem
                .slice(arg, n as u64)
                .map_err(|_| badf_or(fd, libc::EFAULT))?;
            let mut buf = HostBuf::<8>::from_bytes(src);
            // SAFETY: `buf` is a 64-byte host buffer holding the `n <= 64` byte argument.
            let r = host(unsafe { host_syscall!(libc::SYS_ioctl, fd, req, buf.as_mut_ptr()) })?;
            mem.write_bytes(arg, &buf.to_bytes()[..n])?;
            Ok(r)
        }
        IoctlArg::Out(n) => {
            let mut buf = HostBuf::<8>::zeroed();
            // SAFETY: `buf` is a 64-byte host buffer, larger than the `n`-byte result.
            let r = host(unsafe { host_syscall!(libc::SYS_ioctl, fd, req, buf.as_mut_ptr()) })?;
            mem.write_bytes(arg, &buf.to_bytes()[..n])?;
            Ok(r)
        }
    }
}

pub fn ftruncate(fd: i32, length: i64) -> SysResult {
    // SAFETY: no pointer arguments.
    host(unsafe { host_syscall!(libc::SYS_ftruncate, fd, length) })
}

pub fn fsync(fd: i32) -> SysResult {
    // SAFETY: no pointer arguments.
    host(unsafe { host_syscall!(libc::SYS_fsync, fd) })
}

pub fn fdatasync(fd: i32) -> SysResult {
    // SAFETY: no pointer arguments.
    host(unsafe { host_syscall!(libc::SYS_fdatasync, fd) })
}

pub fn sync_file_range(fd: i32, offset: i64, nbytes: i64, flags: u32) -> SysResult {
    // SAFETY: no pointer arguments.
    host(unsafe { host_syscall!(libc::SYS_sync_file_range, fd, offset, nbytes, flags) })
}

pub fn syncfs(fd: i32) -> SysResult {
    // SAFETY: no pointer arguments.
    host(unsafe { host_syscall!(libc::SYS_syncfs, fd) })
}

/// `sync()` cannot fail.
pub fn sync() -> SysResult {
    // SAFETY: no arguments.
    host(unsafe { host_syscall!(libc::SYS_sync) })
}

/// `close_range(first, last, flags)`: the host call on the parts of the range between
/// the VM's own descriptors.
pub fn close_range(state: &ProcessState, first: u32, last: u32, flags: u32) -> SysResult {
    const UNSHARE: u32 = 2;
    const CLOEXEC: u32 = 4;
    if flags & !(UNSHARE | CLOEXEC) != 0 || first > last {
        return Err(Errno(libc::EINVAL));
    }
    let mut start = first;
    let calls = super::call_fd::guest_closing();
    let mut held = vm_owned(state);
    held.extend(calls.all());
    held.sort_unstable();
    let skips = held
        .iter()
        .map(|&fd| fd as u32)
        .filter(|&fd| fd >= first && fd <= last);
    let mut pieces = Vec::new();
    for fd in skips {
        if fd > start {
            pieces.push((start, fd - 1));
        }
        start = fd + 1;
    }
    if start <= last {
        pieces.push((start, last));
    }
    for (lo, hi) in pieces {
        // SAFETY: no pointer arguments.
        host(unsafe { host_syscall!(libc::SYS_close_range, lo, hi, flags) })?;
        if flags & CLOEXEC == 0 {
            let clamp = |fd: u32| fd.min(i32::MAX as u32) as i32;
            signalfd::closed(clamp(lo), clamp(hi));
        }
    }
    Ok(0)
}

pub fn fallocate(fd: i32, mode: i32, offset: i64, len: i64) -> SysResult {
    // SAFETY: no pointer arguments.
    host(unsafe { host_syscall!(libc::SYS_fallocate, fd, mode, offset, len) })
}

/// `POSIX_FADV_*` values are the same on both (only s390 differs), so advice passes
/// through and the host gives Linux's errors (`EBADF`, `ESPIPE`, `EINVAL`).
pub fn fadvise64(fd: i32, offset: i64, len: i64, advice: i32) -> SysResult {
    // SAFETY: no pointer arguments.
    host(unsafe { host_syscall!(libc::SYS_fadvise64, fd, offset, len, advice) })
}

pub fn readahead(fd: i32, offset: i64, count: u64) -> SysResult {
    // SAFETY: no pointer arguments.
    host(unsafe { host_syscall!(libc::SYS_readahead, fd, offset, count) })
}

pub fn flock(fd: i32, operation: i32) -> SysResult {
    // SAFETY: no pointer arguments; a blocking lock restarts after a host signal.
    super::restarting(unsafe { host_call!(libc::SYS_flock, fd, operation) })
}

/// Longest `memfd_create` name (`MFD_NAME_MAX_LEN`), without the NUL.
const MFD_NAME_MAX_LEN: usize = 249;

pub fn memfd_create(mem: &GuestMemory, name: GuestAddr, flags: u32) -> SysResult {
    if name >= vm_memory::GUEST_SPACE {
        return Err(Errno(libc::EFAULT));
    }
    let Some(bytes) = mem.read_cstr(name, MFD_NAME_MAX_LEN + 1)? else {
        return Err(Errno(libc::EINVAL));
    };
    // `read_cstr` stops at the first NUL, so the bytes contain none.
    let name = std::ffi::CString::new(bytes).map_err(|_| Errno(libc::EINVAL))?;
    // SAFETY: `name` is a NUL-terminated host string.
    host(unsafe { host_syscall!(libc::SYS_memfd_create, name.as_ptr(), flags) })
}

pub fn eventfd2(initval: u32, flags: i32) -> SysResult {
    // SAFETY: no pointer arguments.
    host(unsafe { host_syscall!(libc::SYS_eventfd2, initval, flags) })
}

pub fn inotify_init1(flags: i32) -> SysResult {
    // SAFETY: no pointer arguments.
    host(unsafe { host_syscall!(libc::SYS_inotify_init1, flags) })
}

/// The path is looked up as `newfstatat` looks it up (sysroot first); with
/// `IN_DONT_FOLLOW` a final symlink is watched itself.
pub fn inotify_add_watch(
    state: &ProcessState,
    mem: &GuestMemory,
    fd: i32,
    path: GuestAddr,
    mask: u32,
) -> SysResult {
    const IN_DONT_FOLLOW: u32 = 0x0200_0000;
    let follow = mask & IN_DONT_FOLLOW == 0;
    let path = read_path_or_null(mem, path)?.map(|p| super::fs::host_path(state, p, follow));
    // SAFETY: the path is null or NUL-terminated.
    host(unsafe { host_syscall!(libc::SYS_inotify_add_watch, fd, ptr_or_null(&path), mask) })
}

pub fn inotify_rm_watch(fd: i32, wd: i32) -> SysResult {
    // SAFETY: no pointer arguments.
    host(unsafe { host_syscall!(libc::SYS_inotify_rm_watch, fd, wd) })
}

pub fn timerfd_create(clock: i32, flags: i32) -> SysResult {
    // SAFETY: no pointer arguments.
    host(unsafe { host_syscall!(libc::SYS_timerfd_create, clock, flags) })
}

/// The new value is read before anything else and the old one written after the change,
/// as in Linux.
pub fn timerfd_settime(
    mem: &GuestMemory,
    fd: i32,
    flags: i32,
    new: GuestAddr,
    old: GuestAddr,
) -> SysResult {
    let value = read_itimerspec(mem, new)?;
    // SAFETY: all-zero is a valid itimerspec.
    let mut previous: libc::itimerspec = unsafe { std::mem::zeroed() };
    let previous_ptr = if old != 0 {
        std::ptr::addr_of_mut!(previous)
    } else {
        std::ptr::null_mut()
    };
    // SAFETY: `value` is a host `struct itimerspec`, `previous_ptr` null or another.
    host(unsafe {
        host_syscall!(
            libc::SYS_timerfd_settime,
            fd,
            flags,
            std::ptr::addr_of!(value),
            previous_ptr,
        )
    })?;
    if old != 0 {
        write_itimerspec(mem, old, &previous)?;
    }
    Ok(0)
}

pub fn timerfd_gettime(mem: &GuestMemory, fd: i32, cur: GuestAddr) -> SysResult {
    // SAFETY: all-zero is a valid itimerspec.
    let mut value: libc::itimerspec = unsafe { std::mem::zeroed() };
    // SAFETY: `value` is a host `struct itimerspec`.
    host(unsafe { host_syscall!(libc::SYS_timerfd_gettime, fd, std::ptr::addr_of_mut!(value)) })?;
    write_itimerspec(mem, cur, &value)
}
