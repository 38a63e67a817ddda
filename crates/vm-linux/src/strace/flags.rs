//! Symbolic constants as strace prints them: flag sets (`O_RDONLY|O_CLOEXEC`), enumerated
//! values (`SEEK_SET`), and C strings escaped the way strace escapes them.
//!
//! Every table is riscv64's (asm-generic) values, which are the guest's; a bit no table
//! names is printed as hex after the named ones (`MAP_PRIVATE|0x800000`), so nothing
//! the guest passed is hidden.

use std::fmt::Write as _;

/// A name kept inline. A table of `&str` would hold pointers, each a load-time
/// relocation of vm's static-pie executable, which every vm start pays for (a page
/// written per 4 KiB of table), traced or not: these tables hold no pointer at all.
#[derive(Clone, Copy)]
pub struct Name {
    len: u8,
    bytes: [u8; NAME_MAX],
}

/// Longest name a table holds.
const NAME_MAX: usize = 24;

/// `s` as a [`Name`] (at compile time: a longer name does not compile).
pub const fn n(s: &str) -> Name {
    let b = s.as_bytes();
    assert!(b.len() <= NAME_MAX);
    let mut bytes = [0; NAME_MAX];
    let mut i = 0;
    while i < b.len() {
        bytes[i] = b[i];
        i += 1;
    }
    Name {
        len: b.len() as u8,
        bytes,
    }
}

impl Name {
    pub fn as_str(&self) -> &str {
        std::str::from_utf8(&self.bytes[..self.len as usize]).unwrap_or("?")
    }
}

/// A table of `(value, name)`.
pub type Table = &'static [(u64, Name)];

/// `value` as `A|B|0x...` with the names of `table`'s bits set in it (each entry a
/// single bit or a mask of bits that must all be set); `zero` when nothing is set.
pub fn flags(value: u64, table: Table, zero: &str) -> String {
    let mut out = String::new();
    let mut rest = value;
    for &(bits, name) in table {
        if bits != 0 && value & bits == bits && rest & bits != 0 {
            if !out.is_empty() {
                out.push('|');
            }
            out.push_str(name.as_str());
            rest &= !bits;
        }
    }
    if rest != 0 || out.is_empty() {
        if !out.is_empty() {
            out.push('|');
        }
        if rest == 0 {
            out.push_str(zero);
        } else {
            let _ = write!(out, "{rest:#x}");
        }
    }
    out
}

/// The name of `value` in `table`, else the number.
pub fn value(value: u64, table: Table) -> String {
    match table.iter().find(|&&(v, _)| v == value) {
        Some(&(_, name)) => name.as_str().to_string(),
        None => (value as i64).to_string(),
    }
}

/// `openat` flags: the access mode first (a value, not a bit), then the flags.
pub fn open_flags(v: u64) -> String {
    let access = match v & 3 {
        0 => "O_RDONLY",
        1 => "O_WRONLY",
        2 => "O_RDWR",
        _ => "O_ACCMODE",
    };
    let rest = v & !3;
    if rest == 0 {
        return access.to_string();
    }
    format!("{access}|{}", flags(rest, OPEN, "0"))
}

/// `O_*` flags past the access mode. `O_TMPFILE` includes `O_DIRECTORY`, and `O_SYNC`
/// includes `O_DSYNC`: the combined names come first.
pub const OPEN: Table = &[
    (0o20200000, n("O_TMPFILE")),
    (0o4010000, n("O_SYNC")),
    (0o100, n("O_CREAT")),
    (0o200, n("O_EXCL")),
    (0o400, n("O_NOCTTY")),
    (0o1000, n("O_TRUNC")),
    (0o2000, n("O_APPEND")),
    (0o4000, n("O_NONBLOCK")),
    (0o10000, n("O_DSYNC")),
    (0o20000, n("O_ASYNC")),
    (0o40000, n("O_DIRECT")),
    (0o100000, n("O_LARGEFILE")),
    (0o200000, n("O_DIRECTORY")),
    (0o400000, n("O_NOFOLLOW")),
    (0o1000000, n("O_NOATIME")),
    (0o2000000, n("O_CLOEXEC")),
    (0o10000000, n("O_PATH")),
];

/// `O_CREAT`, `O_TMPFILE`'s own bit: the open calls that take a mode.
pub const OPEN_TAKES_MODE: u64 = 0o100 | 0o20000000;

pub const PROT: Table = &[
    (0x1, n("PROT_READ")),
    (0x2, n("PROT_WRITE")),
    (0x4, n("PROT_EXEC")),
    (0x8, n("PROT_SEM")),
    (0x0100_0000, n("PROT_GROWSDOWN")),
    (0x0200_0000, n("PROT_GROWSUP")),
];

/// `mmap` flags: the mapping type first (a value in the low bits), then the flags.
pub fn map_flags(v: u64) -> String {
    let kind = match v & 0xf {
        1 => "MAP_SHARED".to_string(),
        2 => "MAP_PRIVATE".to_string(),
        3 => "MAP_SHARED_VALIDATE".to_string(),
        t => format!("{t:#x}"),
    };
    let rest = v & !0xf;
    if rest == 0 {
        return kind;
    }
    format!("{kind}|{}", flags(rest, MAP, "0"))
}

const MAP: Table = &[
    (0x10, n("MAP_FIXED")),
    (0x20, n("MAP_ANONYMOUS")),
    (0x100, n("MAP_GROWSDOWN")),
    (0x800, n("MAP_DENYWRITE")),
    (0x1000, n("MAP_EXECUTABLE")),
    (0x2000, n("MAP_LOCKED")),
    (0x4000, n("MAP_NORESERVE")),
    (0x8000, n("MAP_POPULATE")),
    (0x10000, n("MAP_NONBLOCK")),
    (0x20000, n("MAP_STACK")),
    (0x40000, n("MAP_HUGETLB")),
    (0x80000, n("MAP_SYNC")),
    (0x10_0000, n("MAP_FIXED_NOREPLACE")),
    (0x400_0000, n("MAP_UNINITIALIZED")),
];

pub const MREMAP: Table = &[
    (1, n("MREMAP_MAYMOVE")),
    (2, n("MREMAP_FIXED")),
    (4, n("MREMAP_DONTUNMAP")),
];

pub const MADVISE: Table = &[
    (0, n("MADV_NORMAL")),
    (1, n("MADV_RANDOM")),
    (2, n("MADV_SEQUENTIAL")),
    (3, n("MADV_WILLNEED")),
    (4, n("MADV_DONTNEED")),
    (8, n("MADV_FREE")),
    (9, n("MADV_REMOVE")),
    (10, n("MADV_DONTFORK")),
    (11, n("MADV_DOFORK")),
    (12, n("MADV_MERGEABLE")),
    (13, n("MADV_UNMERGEABLE")),
    (14, n("MADV_HUGEPAGE")),
    (15, n("MADV_NOHUGEPAGE")),
    (16, n("MADV_DONTDUMP")),
    (17, n("MADV_DODUMP")),
    (18, n("MADV_WIPEONFORK")),
    (19, n("MADV_KEEPONFORK")),
    (20, n("MADV_COLD")),
    (21, n("MADV_PAGEOUT")),
];

/// `clone` flags past the exit signal (the low byte), which [`clone_flags`] names.
const CLONE: Table = &[
    (0x100, n("CLONE_VM")),
    (0x200, n("CLONE_FS")),
    (0x400, n("CLONE_FILES")),
    (0x800, n("CLONE_SIGHAND")),
    (0x1000, n("CLONE_PIDFD")),
    (0x2000, n("CLONE_PTRACE")),
    (0x4000, n("CLONE_VFORK")),
    (0x8000, n("CLONE_PARENT")),
    (0x10000, n("CLONE_THREAD")),
    (0x20000, n("CLONE_NEWNS")),
    (0x40000, n("CLONE_SYSVSEM")),
    (0x80000, n("CLONE_SETTLS")),
    (0x10_0000, n("CLONE_PARENT_SETTID")),
    (0x20_0000, n("CLONE_CHILD_CLEARTID")),
    (0x40_0000, n("CLONE_DETACHED")),
    (0x80_0000, n("CLONE_UNTRACED")),
    (0x100_0000, n("CLONE_CHILD_SETTID")),
    (0x200_0000, n("CLONE_NEWCGROUP")),
    (0x400_0000, n("CLONE_NEWUTS")),
    (0x800_0000, n("CLONE_NEWIPC")),
    (0x1000_0000, n("CLONE_NEWUSER")),
    (0x2000_0000, n("CLONE_NEWPID")),
    (0x4000_0000, n("CLONE_NEWNET")),
    (0x8000_0000, n("CLONE_IO")),
    (0x1_0000_0000, n("CLONE_CLEAR_SIGHAND")),
    (0x2_0000_0000, n("CLONE_INTO_CGROUP")),
];

pub const CLONE_PARENT_SETTID: u64 = 0x10_0000;
pub const CLONE_CHILD_TID: u64 = 0x20_0000 | 0x100_0000;
pub const CLONE_SETTLS: u64 = 0x80000;

/// `clone`'s flags: the named flags, then the exit signal in the low byte
/// (`CLONE_VM|CLONE_VFORK|SIGCHLD`). `clone3` has no signal there: pass `with_signal`
/// false.
pub fn clone_flags(v: u64, with_signal: bool) -> String {
    let (bits, sig) = if with_signal {
        (v & !0xff, v & 0xff)
    } else {
        (v, 0)
    };
    let mut out = if bits != 0 {
        flags(bits, CLONE, "0")
    } else {
        String::new()
    };
    if sig != 0 || out.is_empty() {
        if !out.is_empty() {
            out.push('|');
        }
        out.push_str(&if sig == 0 {
            "0".to_string()
        } else {
            super::names::signal(sig as i64)
        });
    }
    out
}

/// `*at` flags of the path calls (`AT_REMOVEDIR` is `unlinkat`'s, `AT_EACCESS` the
/// same bit for `faccessat2`).
pub const AT: Table = &[
    (0x100, n("AT_SYMLINK_NOFOLLOW")),
    (0x200, n("AT_REMOVEDIR")),
    (0x400, n("AT_SYMLINK_FOLLOW")),
    (0x800, n("AT_NO_AUTOMOUNT")),
    (0x1000, n("AT_EMPTY_PATH")),
    (0x2000, n("AT_STATX_FORCE_SYNC")),
    (0x4000, n("AT_STATX_DONT_SYNC")),
    (0x8000, n("AT_RECURSIVE")),
];

pub const ACCESS_AT: Table = &[
    (0x100, n("AT_SYMLINK_NOFOLLOW")),
    (0x200, n("AT_EACCESS")),
    (0x1000, n("AT_EMPTY_PATH")),
];

pub const ACCESS_MODE: Table = &[(4, n("R_OK")), (2, n("W_OK")), (1, n("X_OK"))];

pub const WAIT_OPTIONS: Table = &[
    (1, n("WNOHANG")),
    (2, n("WUNTRACED")),
    (4, n("WEXITED")),
    (8, n("WCONTINUED")),
    (0x0100_0000, n("WNOWAIT")),
    (0x2000_0000, n("__WNOTHREAD")),
    (0x4000_0000, n("__WALL")),
    (0x8000_0000, n("__WCLONE")),
];

pub const SEEK: Table = &[
    (0, n("SEEK_SET")),
    (1, n("SEEK_CUR")),
    (2, n("SEEK_END")),
    (3, n("SEEK_DATA")),
    (4, n("SEEK_HOLE")),
];

pub const SIGPROCMASK_HOW: Table = &[
    (0, n("SIG_BLOCK")),
    (1, n("SIG_UNBLOCK")),
    (2, n("SIG_SETMASK")),
];

pub const CLOCKS: Table = &[
    (0, n("CLOCK_REALTIME")),
    (1, n("CLOCK_MONOTONIC")),
    (2, n("CLOCK_PROCESS_CPUTIME_ID")),
    (3, n("CLOCK_THREAD_CPUTIME_ID")),
    (4, n("CLOCK_MONOTONIC_RAW")),
    (5, n("CLOCK_REALTIME_COARSE")),
    (6, n("CLOCK_MONOTONIC_COARSE")),
    (7, n("CLOCK_BOOTTIME")),
    (8, n("CLOCK_REALTIME_ALARM")),
    (9, n("CLOCK_BOOTTIME_ALARM")),
    (11, n("CLOCK_TAI")),
];

pub const RLIMITS: Table = &[
    (0, n("RLIMIT_CPU")),
    (1, n("RLIMIT_FSIZE")),
    (2, n("RLIMIT_DATA")),
    (3, n("RLIMIT_STACK")),
    (4, n("RLIMIT_CORE")),
    (5, n("RLIMIT_RSS")),
    (6, n("RLIMIT_NPROC")),
    (7, n("RLIMIT_NOFILE")),
    (8, n("RLIMIT_MEMLOCK")),
    (9, n("RLIMIT_AS")),
    (10, n("RLIMIT_LOCKS")),
    (11, n("RLIMIT_SIGPENDING")),
    (12, n("RLIMIT_MSGQUEUE")),
    (13, n("RLIMIT_NICE")),
    (14, n("RLIMIT_RTPRIO")),
    (15, n("RLIMIT_RTTIME")),
];

pub const FCNTL_CMDS: Table = &[
    (0, n("F_DUPFD")),
    (1, n("F_GETFD")),
    (2, n("F_SETFD")),
    (3, n("F_GETFL")),
    (4, n("F_SETFL")),
    (5, n("F_GETLK")),
    (6, n("F_SETLK")),
    (7, n("F_SETLKW")),
    (8, n("F_SETOWN")),
    (9, n("F_GETOWN")),
    (10, n("F_SETSIG")),
    (11, n("F_GETSIG")),
    (15, n("F_SETOWN_EX")),
    (16, n("F_GETOWN_EX")),
    (36, n("F_OFD_GETLK")),
    (37, n("F_OFD_SETLK")),
    (38, n("F_OFD_SETLKW")),
    (1024, n("F_SETLEASE")),
    (1025, n("F_GETLEASE")),
    (1026, n("F_NOTIFY")),
    (1030, n("F_DUPFD_CLOEXEC")),
    (1031, n("F_SETPIPE_SZ")),
    (1032, n("F_GETPIPE_SZ")),
    (1033, n("F_ADD_SEALS")),
    (1034, n("F_GET_SEALS")),
];

pub const IOCTLS: Table = &[
    (0x5401, n("TCGETS")),
    (0x5402, n("TCSETS")),
    (0x5403, n("TCSETSW")),
    (0x5404, n("TCSETSF")),
    (0x540e, n("TIOCSCTTY")),
    (0x540f, n("TIOCGPGRP")),
    (0x5410, n("TIOCSPGRP")),
    (0x5413, n("TIOCGWINSZ")),
    (0x5414, n("TIOCSWINSZ")),
    (0x541b, n("FIONREAD")),
    (0x5421, n("FIONBIO")),
    (0x5450, n("FIONCLEX")),
    (0x5451, n("FIOCLEX")),
];

/// `futex` operations (the low 7 bits; `FUTEX_PRIVATE_FLAG` and
/// `FUTEX_CLOCK_REALTIME` are shown as suffixes, as strace does).
const FUTEX_OPS: Table = &[
    (0, n("FUTEX_WAIT")),
    (1, n("FUTEX_WAKE")),
    (2, n("FUTEX_FD")),
    (3, n("FUTEX_REQUEUE")),
    (4, n("FUTEX_CMP_REQUEUE")),
    (5, n("FUTEX_WAKE_OP")),
    (6, n("FUTEX_LOCK_PI")),
    (7, n("FUTEX_UNLOCK_PI")),
    (8, n("FUTEX_TRYLOCK_PI")),
    (9, n("FUTEX_WAIT_BITSET")),
    (10, n("FUTEX_WAKE_BITSET")),
    (11, n("FUTEX_WAIT_REQUEUE_PI")),
    (12, n("FUTEX_CMP_REQUEUE_PI")),
    (13, n("FUTEX_LOCK_PI2")),
];

/// The futex operation in `op`, and the operation's number.
pub fn futex_op(op: u64) -> (String, u64) {
    let cmd = op & 0x7f;
    let mut out = value(cmd, FUTEX_OPS);
    if op & 128 != 0 {
        out.push_str("_PRIVATE");
    }
    if op & 256 != 0 {
        out.push_str("|FUTEX_CLOCK_REALTIME");
    }
    let rest = op & !(0x7f | 128 | 256);
    if rest != 0 {
        let _ = write!(out, "|{rest:#x}");
    }
    (out, cmd)
}

pub const SOCKET_DOMAINS: Table = &[
    (0, n("AF_UNSPEC")),
    (1, n("AF_UNIX")),
    (2, n("AF_INET")),
    (10, n("AF_INET6")),
    (16, n("AF_NETLINK")),
    (17, n("AF_PACKET")),
];

/// A socket type with its `SOCK_NONBLOCK`/`SOCK_CLOEXEC` flags.
pub fn socket_type(v: u64) -> String {
    const TYPES: Table = &[
        (1, n("SOCK_STREAM")),
        (2, n("SOCK_DGRAM")),
        (3, n("SOCK_RAW")),
        (4, n("SOCK_RDM")),
        (5, n("SOCK_SEQPACKET")),
        (6, n("SOCK_DCCP")),
        (10, n("SOCK_PACKET")),
    ];
    const FLAGS: Table = &[(0o4000, n("SOCK_NONBLOCK")), (0o2000000, n("SOCK_CLOEXEC"))];
    let kind = value(v & 0xf, TYPES);
    let rest = v & !0xf;
    if rest == 0 {
        kind
    } else {
        format!("{kind}|{}", flags(rest, FLAGS, "0"))
    }
}

/// A file mode as octal (`0644`), with the file type named if there is one.
pub fn mode(v: u64) -> String {
    const TYPES: Table = &[
        (0o140000, n("S_IFSOCK")),
        (0o120000, n("S_IFLNK")),
        (0o100000, n("S_IFREG")),
        (0o060000, n("S_IFBLK")),
        (0o040000, n("S_IFDIR")),
        (0o020000, n("S_IFCHR")),
        (0o010000, n("S_IFIFO")),
    ];
    let kind = v & 0o170000;
    let perm = v & !0o170000;
    if kind == 0 {
        return format!("0{perm:02o}");
    }
    format!("{}|0{perm:02o}", value(kind, TYPES))
}

/// Most bytes of a string or buffer shown (strace's default `-s 32`).
pub const MAX_STRING: usize = 32;

/// `bytes` as a C string literal, escaped as strace escapes (`\n`, `\t`, `\"`, octal
/// for other non-printing bytes), and `...` after the quote if `truncated`.
pub fn quoted(bytes: &[u8], truncated: bool) -> String {
    let mut out = String::with_capacity(bytes.len() + 8);
    out.push('"');
    for (i, &b) in bytes.iter().enumerate() {
        match b {
            b'"' => out.push_str("\\\""),
            b'\\' => out.push_str("\\\\"),
            b'\n' => out.push_str("\\n"),
            b'\t' => out.push_str("\\t"),
            b'\r' => out.push_str("\\r"),
            0x0b => out.push_str("\\v"),
            0x0c => out.push_str("\\f"),
            0x20..=0x7e => out.push(b as char),
            _ => {
                // The shortest octal form, unless an octal digit follows and would be
                // read as part of it.
                let next_is_digit = bytes.get(i + 1).is_some_and(|n| (b'0'..=b'7').contains(n));
                if next_is_digit {
                    let _ = write!(out, "\\{b:03o}");
                } else {
                    let _ = write!(out, "\\{b:o}");
                }
            }
        }
    }
    out.push('"');
    if truncated {
        out.push_str("...");
    }
    out
}
