//! How each system call's arguments are shown: a typed signature per common call (the
//! kernel prototype's argument order on riscv64), raw numbers for the others.
//!
//! Arguments the call reads (paths, `write` buffers, flags) are decoded when it is
//! entered, before the call can change or unmap them; arguments the call fills (`read`
//! buffers, `pipe2`'s descriptors, `wait4`'s status) when it returns, and only if it
//! succeeded (the bytes a `read` returned, no more). Guest memory is read only through
//! `GuestMemory`'s checked accessors: a pointer that cannot be read is shown as hex.

use super::flags::{self, n, quoted, MAX_STRING};
use super::names;
use crate::syscall::numbers as nr;
use std::fmt::Write as _;
use vm_memory::GuestMemory;

/// Longest path shown (`PATH_MAX`): paths are shown whole, as strace shows them.
const PATH_MAX: usize = 4096;

/// How one argument is shown.
#[derive(Clone, Copy, Debug)]
pub enum Kind {
    /// An `int` (the low 32 bits, signed).
    Int,
    /// An `unsigned int`.
    Uint,
    /// A `long`/`off_t` (signed).
    Long,
    /// A `size_t`/`unsigned long`.
    Ulong,
    /// A pointer or an opaque word: `0x...`, `NULL` for 0.
    Hex,
    /// A file offset in hex (`mmap`'s): `0x1000`, `0`.
    Offset,
    /// A descriptor relative to which a path is looked up: `AT_FDCWD` or the number.
    DirFd,
    /// A path the call reads: the whole string (as strace prints paths).
    Path,
    /// A string the call reads, shown up to [`MAX_STRING`] bytes.
    Str,
    /// A buffer the call reads, whose length is argument `len`.
    BufIn {
        len: u8,
    },
    /// A buffer the call fills, of the length it returns.
    BufOut,
    /// A NUL-terminated string the call fills (`getcwd`).
    StrOut,
    /// Two `int`s the call fills (`pipe2`, `socketpair`).
    FdPair,
    /// A `wait4` status the call fills.
    WaitStatus,
    /// A `sigset_t` the call reads.
    SigSet,
    /// A `sigset_t` the call fills.
    SigSetOut,
    /// `argv` of an exec: the strings.
    Argv,
    /// `envp` of an exec: the pointer and how many strings it holds.
    Envp,
    OpenFlags,
    Mode,
    MapFlags,
    /// `PROT_*` (0 is `PROT_NONE`).
    Prot,
    SockType,
    Signal,
    /// A set of flags from a table.
    Flags(Set),
    /// One value from a table.
    Value(Set),
    /// Not shown (an argument the call ignores).
    Skip,
}

use Kind::*;

/// One argument of a call being traced: shown text, or what to decode once it returns.
pub enum Piece {
    Text(String),
    AtExit { kind: Kind, value: u64 },
}

/// How a call's result is shown when it succeeds.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Ret {
    Dec,
    /// An address (`mmap`, `brk`).
    Hex,
}

/// How `nr`'s successful result is shown.
pub fn ret_kind(nr: u64) -> Ret {
    match nr {
        nr::MMAP | nr::BRK | nr::MREMAP | nr::SHMAT => Ret::Hex,
        _ => Ret::Dec,
    }
}

const RENAME: flags::Table = &[
    (1, n("RENAME_NOREPLACE")),
    (2, n("RENAME_EXCHANGE")),
    (4, n("RENAME_WHITEOUT")),
];
const MFD: flags::Table = &[
    (1, n("MFD_CLOEXEC")),
    (2, n("MFD_ALLOW_SEALING")),
    (4, n("MFD_HUGETLB")),
];
const GRND: flags::Table = &[
    (1, n("GRND_NONBLOCK")),
    (2, n("GRND_RANDOM")),
    (4, n("GRND_INSECURE")),
];
const CLOSE_RANGE: flags::Table = &[(2, n("CLOSE_RANGE_UNSHARE")), (4, n("CLOSE_RANGE_CLOEXEC"))];
const EPOLL_CTL: flags::Table = &[
    (1, n("EPOLL_CTL_ADD")),
    (2, n("EPOLL_CTL_DEL")),
    (3, n("EPOLL_CTL_MOD")),
];
const TIMER_FLAGS: flags::Table = &[(1, n("TIMER_ABSTIME"))];
const FD_FLAGS: flags::Table = &[(1, n("FD_CLOEXEC"))];
const FUTEX_BITSET: flags::Table = &[(0xffff_ffff, n("FUTEX_BITSET_MATCH_ANY"))];

/// The tables [`Kind::Flags`] and [`Kind::Value`] name (by name, not by reference: a
/// signature table holding pointers would need load-time relocations).
#[derive(Clone, Copy, Debug)]
pub enum Set {
    AccessAt,
    AccessMode,
    At,
    Clocks,
    CloseRange,
    EpollCtl,
    FcntlCmds,
    FdFlags,
    FutexBitset,
    Grnd,
    Ioctls,
    Madvise,
    Mfd,
    Mremap,
    Open,
    Rename,
    Rlimits,
    Seek,
    SigprocmaskHow,
    SocketDomains,
    TimerFlags,
    WaitOptions,
}

impl Set {
    fn table(self) -> flags::Table {
        match self {
            Set::AccessAt => flags::ACCESS_AT,
            Set::AccessMode => flags::ACCESS_MODE,
            Set::At => flags::AT,
            Set::Clocks => flags::CLOCKS,
            Set::CloseRange => CLOSE_RANGE,
            Set::EpollCtl => EPOLL_CTL,
            Set::FcntlCmds => flags::FCNTL_CMDS,
            Set::FdFlags => FD_FLAGS,
            Set::FutexBitset => FUTEX_BITSET,
            Set::Grnd => GRND,
            Set::Ioctls => flags::IOCTLS,
            Set::Madvise => flags::MADVISE,
            Set::Mfd => MFD,
            Set::Mremap => flags::MREMAP,
            Set::Open => flags::OPEN,
            Set::Rename => RENAME,
            Set::Rlimits => flags::RLIMITS,
            Set::Seek => flags::SEEK,
            Set::SigprocmaskHow => flags::SIGPROCMASK_HOW,
            Set::SocketDomains => flags::SOCKET_DOMAINS,
            Set::TimerFlags => TIMER_FLAGS,
            Set::WaitOptions => flags::WAIT_OPTIONS,
        }
    }
}

/// The typed signature of `nr`, if it has one, for the arguments `a`. Some calls show
/// an argument only when another asks for it (`openat`'s mode with `O_CREAT`).
fn signature(nr: u64, a: &[u64; 6]) -> Option<Vec<Kind>> {
    let s: &[Kind] = match nr {
        nr::OPENAT if a[2] & flags::OPEN_TAKES_MODE != 0 => &[DirFd, Path, OpenFlags, Mode],
        nr::OPENAT => &[DirFd, Path, OpenFlags],
        nr::OPENAT2 => &[DirFd, Path, Hex, Ulong],
        nr::CLOSE | nr::DUP | nr::FCHDIR | nr::FSYNC | nr::FDATASYNC | nr::SYNCFS => &[Int],
        nr::READ => &[Int, BufOut, Ulong],
        nr::PREAD64 => &[Int, BufOut, Ulong, Long],
        nr::WRITE => &[Int, BufIn { len: 2 }, Ulong],
        nr::PWRITE64 => &[Int, BufIn { len: 2 }, Ulong, Long],
        nr::READV | nr::WRITEV => &[Int, Hex, Int],
        nr::PREADV | nr::PWRITEV => &[Int, Hex, Int, Long],
        nr::LSEEK => &[Int, Long, Value(Set::Seek)],
        nr::NEWFSTATAT => &[DirFd, Path, Hex, Flags(Set::At)],
        nr::FSTAT | nr::FSTATFS => &[Int, Hex],
        nr::STATX => &[DirFd, Path, Flags(Set::At), Hex, Hex],
        nr::FACCESSAT => &[DirFd, Path, Flags(Set::AccessMode)],
        nr::FACCESSAT2 => &[DirFd, Path, Flags(Set::AccessMode), Flags(Set::AccessAt)],
        nr::READLINKAT => &[DirFd, Path, BufOut, Ulong],
        nr::GETCWD => &[StrOut, Ulong],
        nr::CHDIR | nr::CHROOT => &[Path],
        nr::MKDIRAT => &[DirFd, Path, Mode],
        nr::MKNODAT => &[DirFd, Path, Mode, Hex],
        nr::UNLINKAT => &[DirFd, Path, Flags(Set::At)],
        nr::SYMLINKAT => &[Path, DirFd, Path],
        nr::LINKAT => &[DirFd, Path, DirFd, Path, Flags(Set::At)],
        nr::RENAMEAT2 => &[DirFd, Path, DirFd, Path, Flags(Set::Rename)],
        nr::FCHMODAT => &[DirFd, Path, Mode],
        nr::FCHMODAT2 => &[DirFd, Path, Mode, Flags(Set::At)],
        nr::FCHMOD => &[Int, Mode],
        nr::FCHOWNAT => &[DirFd, Path, Int, Int, Flags(Set::At)],
        nr::FCHOWN => &[Int, Int, Int],
        nr::TRUNCATE => &[Path, Long],
        nr::FTRUNCATE => &[Int, Long],
        nr::UTIMENSAT => &[DirFd, Path, Hex, Flags(Set::At)],
        nr::STATFS => &[Path, Hex],
        nr::UMASK => &[Mode],
        nr::MOUNT => &[Str, Path, Str, Hex, Hex],
        nr::UMOUNT2 => &[Path, Int],
        nr::GETDENTS64 => &[Int, Hex, Ulong],
        nr::DUP3 => &[Int, Int, Flags(Set::Open)],
        nr::PIPE2 => &[FdPair, Flags(Set::Open)],
        nr::FCNTL => return Some(fcntl(a)),
        nr::IOCTL => &[Int, Value(Set::Ioctls), Hex],
        nr::MEMFD_CREATE => &[Str, Flags(Set::Mfd)],
        nr::EVENTFD2 => &[Uint, Flags(Set::Open)],
        nr::SOCKET => &[Value(Set::SocketDomains), SockType, Int],
        nr::SOCKETPAIR => &[Value(Set::SocketDomains), SockType, Int, FdPair],
        nr::BIND | nr::CONNECT => &[Int, Hex, Int],
        nr::LISTEN | nr::SHUTDOWN => &[Int, Int],
        nr::ACCEPT => &[Int, Hex, Hex],
        nr::ACCEPT4 => &[Int, Hex, Hex, Flags(Set::Open)],
        nr::SENDTO => &[Int, BufIn { len: 2 }, Ulong, Hex, Hex, Int],
        nr::RECVFROM => &[Int, BufOut, Ulong, Hex, Hex, Hex],
        nr::MMAP => &[Hex, Ulong, Prot, MapFlags, Int, Offset],
        nr::MUNMAP | nr::MLOCK | nr::MUNLOCK => &[Hex, Ulong],
        nr::MPROTECT => &[Hex, Ulong, Prot],
        nr::BRK | nr::SET_TID_ADDRESS | nr::SHMDT => &[Hex],
        nr::MREMAP => &[Hex, Ulong, Ulong, Flags(Set::Mremap), Hex],
        nr::MADVISE => &[Hex, Ulong, Value(Set::Madvise)],
        nr::MSYNC => &[Hex, Ulong, Int],
        nr::CLONE => return Some(Vec::new()),
        nr::EXECVE => &[Path, Argv, Envp],
        nr::EXECVEAT => &[DirFd, Path, Argv, Envp, Flags(Set::At)],
        nr::EXIT | nr::EXIT_GROUP => &[Int],
        nr::WAIT4 => &[Int, WaitStatus, Flags(Set::WaitOptions), Hex],
        nr::WAITID => &[Int, Int, Hex, Flags(Set::WaitOptions), Hex],
        nr::KILL | nr::TKILL => &[Int, Signal],
        nr::TGKILL => &[Int, Int, Signal],
        nr::RT_SIGACTION => &[Signal, Hex, Hex, Ulong],
        nr::RT_SIGPROCMASK => &[Value(Set::SigprocmaskHow), SigSet, SigSetOut, Ulong],
        nr::RT_SIGSUSPEND => &[SigSet, Ulong],
        nr::SIGALTSTACK => &[Hex, Hex],
        nr::SET_ROBUST_LIST => &[Hex, Ulong],
        nr::FUTEX => return Some(futex(a)),
        nr::NANOSLEEP => &[Hex, Hex],
        nr::CLOCK_GETTIME | nr::CLOCK_GETRES | nr::CLOCK_SETTIME => &[Value(Set::Clocks), Hex],
        nr::CLOCK_NANOSLEEP => &[Value(Set::Clocks), Flags(Set::TimerFlags), Hex, Hex],
        nr::GETRANDOM => &[Hex, Ulong, Flags(Set::Grnd)],
        nr::PRLIMIT64 => &[Int, Value(Set::Rlimits), Hex, Hex],
        nr::GETRLIMIT | nr::SETRLIMIT => &[Value(Set::Rlimits), Hex],
        nr::UNAME | nr::SYSINFO => &[Hex],
        nr::GETRUSAGE => &[Int, Hex],
        nr::PPOLL => &[Hex, Uint, Hex, Hex, Ulong],
        nr::EPOLL_CREATE1 => &[Flags(Set::Open)],
        nr::EPOLL_CTL => &[Int, Value(Set::EpollCtl), Int, Hex],
        nr::EPOLL_PWAIT => &[Int, Hex, Int, Int, Hex, Ulong],
        nr::SETPGID => &[Int, Int],
        nr::GETPGID | nr::GETSID => &[Int],
        nr::SCHED_GETAFFINITY | nr::SCHED_SETAFFINITY => &[Int, Uint, Hex],
        nr::RSEQ => &[Hex, Uint, Int, Hex],
        nr::CLOSE_RANGE => &[Uint, Uint, Flags(Set::CloseRange)],
        nr::PIDFD_OPEN => &[Int, Uint],
        nr::SENDFILE => &[Int, Int, Hex, Ulong],
        nr::COPY_FILE_RANGE => &[Int, Hex, Int, Hex, Ulong, Uint],
        nr::RT_SIGQUEUEINFO => &[Int, Signal, Hex],
        nr::RT_TGSIGQUEUEINFO => &[Int, Int, Signal, Hex],
        nr::PIDFD_SEND_SIGNAL => &[Int, Signal, Hex, Uint],
        nr::TIMERFD_CREATE => &[Value(Set::Clocks), Flags(Set::Open)],
        _ => return None,
    };
    Some(s.to_vec())
}

/// `seccomp(2)`, and the seccomp and no_new_privs options of `prctl`, as strace shows
/// them: `seccomp(SECCOMP_SET_MODE_FILTER, SECCOMP_FILTER_FLAG_TSYNC, {len=7,
/// filter=0x...})`, `prctl(PR_GET_SECCOMP)`. None for any other call.
fn seccomp_entry(mem: &GuestMemory, nr: u64, a: &[u64; 6]) -> Option<Vec<Piece>> {
    let fprog = |addr: u64| match mem.read::<16>(addr) {
        Ok(b) => format!(
            "{{len={}, filter={}}}",
            u16::from_le_bytes([b[0], b[1]]),
            hex(u64::from_le_bytes(b[8..].try_into().expect("8 bytes")))
        ),
        Err(_) => hex(addr),
    };
    let text: Vec<String> = match nr {
        nr::SECCOMP => {
            let op = match a[0] as u32 {
                0 => "SECCOMP_SET_MODE_STRICT".to_string(),
                1 => "SECCOMP_SET_MODE_FILTER".to_string(),
                2 => "SECCOMP_GET_ACTION_AVAIL".to_string(),
                3 => "SECCOMP_GET_NOTIF_SIZES".to_string(),
                op => format!("{op:#x} /* SECCOMP_??? */"),
            };
            let flag_names = [
                "SECCOMP_FILTER_FLAG_TSYNC",
                "SECCOMP_FILTER_FLAG_LOG",
                "SECCOMP_FILTER_FLAG_SPEC_ALLOW",
                "SECCOMP_FILTER_FLAG_NEW_LISTENER",
                "SECCOMP_FILTER_FLAG_TSYNC_ESRCH",
                "SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV",
            ];
            let f = a[1] as u32;
            let mut names: Vec<String> = (0..flag_names.len())
                .filter(|&i| f & (1 << i) != 0)
                .map(|i| flag_names[i].to_string())
                .collect();
            let unknown = f & !((1 << flag_names.len()) - 1);
            if unknown != 0 {
                names.push(format!("{unknown:#x}"));
            }
            let flags = if names.is_empty() {
                "0".to_string()
            } else {
                names.join("|")
            };
            let third = match a[0] as u32 {
                1 if a[2] != 0 => fprog(a[2]),
                2 => match mem.read::<4>(a[2]) {
                    Ok(b) => format!("[{:#x}]", u32::from_le_bytes(b)),
                    Err(_) => hex(a[2]),
                },
                _ => hex(a[2]),
            };
            vec![op, flags, third]
        }
        nr::PRCTL => match a[0] as i32 {
            21 => vec!["PR_GET_SECCOMP".to_string()],
            22 => match a[1] {
                1 => vec!["PR_SET_SECCOMP".into(), "SECCOMP_MODE_STRICT".into()],
                2 => vec![
                    "PR_SET_SECCOMP".into(),
                    "SECCOMP_MODE_FILTER".into(),
                    fprog(a[2]),
                ],
                m => vec!["PR_SET_SECCOMP".into(), m.to_string(), hex(a[2])],
            },
            38 | 39 => {
                let name = if a[0] as i32 == 38 {
                    "PR_SET_NO_NEW_PRIVS"
                } else {
                    "PR_GET_NO_NEW_PRIVS"
                };
                let rest = a[1..5].iter().map(|&v| v.to_string());
                std::iter::once(name.to_string()).chain(rest).collect()
            }
            _ => return None,
        },
        _ => return None,
    };
    Some(text.into_iter().map(Piece::Text).collect())
}

/// `fcntl`: the third argument only for commands that take one, shown as they read it.
fn fcntl(a: &[u64; 6]) -> Vec<Kind> {
    match a[1] as i32 {
        1 | 3 | 9 | 11 | 1025 | 1032 | 1034 => vec![Int, Value(Set::FcntlCmds)],
        2 => vec![Int, Value(Set::FcntlCmds), Flags(Set::FdFlags)],
        4 => vec![Int, Value(Set::FcntlCmds), OpenFlags],
        0 | 8 | 10 | 1024 | 1026 | 1030 | 1031 | 1033 => vec![Int, Value(Set::FcntlCmds), Int],
        _ => vec![Int, Value(Set::FcntlCmds), Hex],
    }
}

/// `futex`: the arguments the operation uses.
fn futex(a: &[u64; 6]) -> Vec<Kind> {
    // The operation itself is shown by `decode_entry`, as a name with suffixes.
    match a[1] & 0x7f {
        // FUTEX_WAIT: uaddr, op, val, timeout.
        0 => vec![Hex, Hex, Uint, Hex],
        // FUTEX_WAKE: uaddr, op, count.
        1 | 7 | 8 => vec![Hex, Hex, Uint],
        // FUTEX_WAIT_BITSET, FUTEX_WAKE_BITSET: the bitset too.
        9 | 10 => vec![Hex, Hex, Uint, Hex, Skip, Value(Set::FutexBitset)],
        _ => vec![Hex, Hex, Uint, Hex, Hex, Uint],
    }
}

/// The arguments of call `nr`, decoded as far as they can be before it runs.
pub fn decode_entry(mem: &GuestMemory, nr: u64, a: &[u64; 6]) -> Vec<Piece> {
    if nr == nr::CLONE {
        return clone(a);
    }
    if nr == nr::CLONE3 {
        return vec![
            Piece::Text(clone3(mem, a[0], a[1])),
            Piece::Text(a[1].to_string()),
        ];
    }
    if let Some(pieces) = seccomp_entry(mem, nr, a) {
        return pieces;
    }
    let Some(kinds) = signature(nr, a) else {
        let count = names::syscall(nr).map_or(6, |(_, n)| n);
        return a[..count].iter().map(|&v| Piece::Text(raw(v))).collect();
    };
    kinds
        .iter()
        .enumerate()
        .filter(|(_, kind)| !matches!(kind, Skip))
        .map(|(i, &kind)| {
            if nr == nr::FUTEX && i == 1 {
                return Piece::Text(flags::futex_op(a[1]).0);
            }
            entry_piece(mem, kind, a[i], a)
        })
        .collect()
}

/// One argument at entry: its text, or a note to decode it at exit.
fn entry_piece(mem: &GuestMemory, kind: Kind, v: u64, a: &[u64; 6]) -> Piece {
    let text = match kind {
        Int => (v as i32).to_string(),
        Uint => (v as u32).to_string(),
        Long => (v as i64).to_string(),
        Ulong => v.to_string(),
        Hex => hex(v),
        Offset if v == 0 => "0".to_string(),
        Offset => format!("{v:#x}"),
        DirFd if v as i32 == -100 => "AT_FDCWD".to_string(),
        DirFd => (v as i32).to_string(),
        Path => c_string(mem, v, PATH_MAX),
        Str => c_string(mem, v, MAX_STRING),
        BufIn { len } => buffer(mem, v, a[len as usize]),
        SigSet => sigset(mem, v),
        Argv => argv(mem, v),
        Envp => envp(mem, v),
        OpenFlags => flags::open_flags(v & 0xffff_ffff),
        Mode => flags::mode(v & 0xffff_ffff),
        MapFlags => flags::map_flags(v & 0xffff_ffff),
        SockType => flags::socket_type(v & 0xffff_ffff),
        Signal => names::signal(v as i32 as i64),
        Flags(set) => flags::flags(v, set.table(), "0"),
        Value(set) => flags::value(v, set.table()),
        Prot => flags::flags(v, flags::PROT, "PROT_NONE"),
        Skip => String::new(),
        BufOut | StrOut | FdPair | WaitStatus | SigSetOut => {
            return Piece::AtExit { kind, value: v }
        }
    };
    Piece::Text(text)
}

/// An argument the call filled, once it returned `result` (shown only if it succeeded).
pub fn exit_piece(mem: &GuestMemory, kind: Kind, v: u64, result: Option<i64>) -> String {
    let Some(ret) = result.filter(|&r| r >= 0) else {
        return hex(v);
    };
    match kind {
        BufOut => buffer(mem, v, ret as u64),
        StrOut => c_string(mem, v, MAX_STRING),
        FdPair => match mem.read::<8>(v) {
            Ok(b) => format!(
                "[{}, {}]",
                i32::from_le_bytes([b[0], b[1], b[2], b[3]]),
                i32::from_le_bytes([b[4], b[5], b[6], b[7]])
            ),
            Err(_) => hex(v),
        },
        // A wait that reaped nothing (WNOHANG) left the status alone.
        WaitStatus if v == 0 || ret == 0 => hex(v),
        WaitStatus => match mem.read::<4>(v) {
            Ok(b) => format!("[{}]", wait_status(i32::from_le_bytes(b))),
            Err(_) => hex(v),
        },
        SigSetOut => sigset(mem, v),
        _ => hex(v),
    }
}

/// A number no signature types: small values in decimal, others in hex.
fn raw(v: u64) -> String {
    if (v as i64).unsigned_abs() < 0x1000 {
        (v as i64).to_string()
    } else {
        format!("{v:#x}")
    }
}

/// A pointer: `NULL` or hex.
pub fn hex(v: u64) -> String {
    if v == 0 {
        "NULL".to_string()
    } else {
        format!("{v:#x}")
    }
}

/// Whether `[addr, addr + len)` may be read at all: guards the page arithmetic of the
/// accessors against addresses near the top of `u64`.
fn in_guest(addr: u64, len: u64) -> bool {
    addr.checked_add(len)
        .is_some_and(|end| end <= vm_memory::GUEST_SPACE)
}

/// The NUL-terminated string at `addr`, at most `max` bytes shown; hex if unreadable.
pub fn c_string(mem: &GuestMemory, addr: u64, max: usize) -> String {
    if addr == 0 {
        return "NULL".to_string();
    }
    if !in_guest(addr, 1) {
        return hex(addr);
    }
    match mem.read_cstr(addr, max) {
        Ok(Some(s)) => quoted(&s, false),
        // No NUL within `max` bytes: those bytes, marked as cut.
        Ok(None) => match mem.slice(addr, max as u64) {
            Ok(s) => quoted(s, true),
            Err(_) => hex(addr),
        },
        Err(_) => {
            // Readable up to a bad page: show what strace shows, the address.
            hex(addr)
        }
    }
}

/// The first bytes of the `len`-byte buffer at `addr`; hex if unreadable.
pub fn buffer(mem: &GuestMemory, addr: u64, len: u64) -> String {
    let shown = len.min(MAX_STRING as u64);
    if !in_guest(addr, shown) {
        return hex(addr);
    }
    match mem.slice(addr, shown) {
        Ok(bytes) => quoted(bytes, len > shown),
        Err(_) => hex(addr),
    }
}

/// The signal set at `addr` as strace shows one: `[INT CHLD]`, or `~[...]` of the
/// signals not in it when it holds most of them.
fn sigset(mem: &GuestMemory, addr: u64) -> String {
    if addr == 0 {
        return "NULL".to_string();
    }
    let Ok(bytes) = mem.read::<8>(addr) else {
        return hex(addr);
    };
    let set = u64::from_le_bytes(bytes);
    let (set, prefix) = if set.count_ones() > 32 {
        (!set, "~")
    } else {
        (set, "")
    };
    let names: Vec<String> = (1..=64)
        .filter(|s| set & (1 << (s - 1)) != 0)
        .map(|s| {
            let n = names::signal(s);
            n.strip_prefix("SIG").map_or(n.clone(), str::to_string)
        })
        .collect();
    format!("{prefix}[{}]", names.join(" "))
}

/// Most pointer-array entries read (`argv`, `envp`) before giving up.
const MAX_ARRAY: u64 = 4096;

/// The pointers of the NULL-terminated array at `addr`, or `None` if it cannot be read
/// (or has no end within [`MAX_ARRAY`] entries).
fn pointers(mem: &GuestMemory, addr: u64) -> Option<Vec<u64>> {
    let mut out = Vec::new();
    for i in 0..MAX_ARRAY {
        let slot = addr.checked_add(i * 8)?;
        if !in_guest(slot, 8) {
            return None;
        }
        match mem.read_u64(slot).ok()? {
            0 => return Some(out),
            p => out.push(p),
        }
    }
    None
}

/// An exec's `argv`: `["ls", "-l"]`, strings and element count cut as strace cuts them.
fn argv(mem: &GuestMemory, addr: u64) -> String {
    if addr == 0 {
        return "NULL".to_string();
    }
    let Some(ptrs) = pointers(mem, addr) else {
        return hex(addr);
    };
    let mut out = String::from("[");
    for (i, &p) in ptrs.iter().enumerate() {
        if i > 0 {
            out.push_str(", ");
        }
        if i == MAX_STRING {
            out.push_str("...");
            break;
        }
        out.push_str(&c_string(mem, p, MAX_STRING));
    }
    out.push(']');
    out
}

/// An exec's `envp`: the pointer and a count, `0x... /* 12 vars */`.
fn envp(mem: &GuestMemory, addr: u64) -> String {
    match pointers(mem, addr).filter(|_| addr != 0) {
        Some(ptrs) => format!("{addr:#x} /* {} vars */", ptrs.len()),
        None => hex(addr),
    }
}

/// A `wait4` status as strace decodes it.
pub fn wait_status(s: i32) -> String {
    let sig = s & 0x7f;
    if sig == 0 {
        format!("{{WIFEXITED(s) && WEXITSTATUS(s) == {}}}", (s >> 8) & 0xff)
    } else if sig == 0x7f {
        format!(
            "{{WIFSTOPPED(s) && WSTOPSIG(s) == {}}}",
            names::signal(((s >> 8) & 0xff) as i64)
        )
    } else if s == 0xffff {
        "{WIFCONTINUED(s)}".to_string()
    } else {
        let core = if s & 0x80 != 0 {
            " && WCOREDUMP(s)"
        } else {
            ""
        };
        format!(
            "{{WIFSIGNALED(s) && WTERMSIG(s) == {}{core}}}",
            names::signal(sig as i64)
        )
    }
}

/// `clone(flags, stack, parent_tid, tls, child_tid)` (riscv64's order), shown as strace
/// shows it: by name, each pointer only when a flag uses it.
fn clone(a: &[u64; 6]) -> Vec<Piece> {
    let flags = a[0];
    let mut out = vec![
        Piece::Text(format!("child_stack={}", hex(a[1]))),
        Piece::Text(format!("flags={}", flags::clone_flags(flags, true))),
    ];
    if flags & flags::CLONE_PARENT_SETTID != 0 {
        out.push(Piece::Text(format!("parent_tid={}", hex(a[2]))));
    }
    if flags & flags::CLONE_SETTLS != 0 {
        out.push(Piece::Text(format!("tls={}", hex(a[3]))));
    }
    if flags & flags::CLONE_CHILD_TID != 0 {
        out.push(Piece::Text(format!("child_tidptr={}", hex(a[4]))));
    }
    out
}

/// `clone3`'s `struct clone_args`: flags, exit signal, stack and the pointers set.
fn clone3(mem: &GuestMemory, addr: u64, size: u64) -> String {
    // flags, pidfd, child_tid, parent_tid, exit_signal, stack, stack_size, tls.
    const FIELDS: usize = 8;
    if size < (FIELDS * 8) as u64 || !in_guest(addr, (FIELDS * 8) as u64) {
        return hex(addr);
    }
    let mut f = [0u64; FIELDS];
    for (i, field) in f.iter_mut().enumerate() {
        match mem.read_u64(addr + i as u64 * 8) {
            Ok(v) => *field = v,
            Err(_) => return hex(addr),
        }
    }
    let mut out = format!("{{flags={}", flags::clone_flags(f[0], false));
    for (i, name) in [(1, "pidfd"), (2, "child_tid"), (3, "parent_tid")] {
        if f[i] != 0 {
            let _ = write!(out, ", {name}={}", hex(f[i]));
        }
    }
    let _ = write!(out, ", exit_signal={}", names::signal(f[4] as i64));
    let _ = write!(out, ", stack={}, stack_size={:#x}", hex(f[5]), f[6]);
    if f[7] != 0 {
        let _ = write!(out, ", tls={}", hex(f[7]));
    }
    out.push('}');
    out
}
