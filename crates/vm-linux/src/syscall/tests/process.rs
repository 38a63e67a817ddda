//! Identity, time, limits, signals and the dispatch table's edges.

use super::*;
use crate::syscall::numbers as nr;

#[test]
fn unknown_syscalls_are_enosys_and_logged_once() {
    let mut g = Guest::new();
    for _ in 0..3 {
        assert_eq!(g.call(9999, &[]), -(libc::ENOSYS as i64));
    }
    // Probed by glibc: ENOSYS, noted once (at debug level).
    for _ in 0..2 {
        assert_eq!(g.call(nr::RSEQ, &[]), -(libc::ENOSYS as i64));
    }
    let logged: Vec<u64> = {
        let mut v: Vec<u64> = g.state.unknown_syscalls_logged.iter().copied().collect();
        v.sort();
        v
    };
    assert_eq!(logged, [nr::RSEQ, 9999]);
}

#[test]
fn uname_reports_riscv64() {
    let mut g = Guest::new();
    let buf = SCRATCH + 0x1000;
    assert_eq!(g.call(nr::UNAME, &[buf]), 0);
    let field = |i: u64| {
        let b = g.bytes(buf + 65 * i, 65);
        String::from_utf8(b[..b.iter().position(|&c| c == 0).unwrap()].to_vec()).unwrap()
    };
    assert_eq!(field(0), "Linux");
    assert_eq!(field(4), "riscv64");
    // SAFETY: utsname is plain bytes; all-zero is a valid value.
    let mut host: libc::utsname = unsafe { std::mem::zeroed() };
    // SAFETY: `host` is a utsname for uname to fill.
    assert_eq!(unsafe { libc::uname(&mut host) }, 0);
    let release: Vec<u8> = host
        .release
        .iter()
        .take_while(|&&c| c != 0)
        .map(|&c| c as u8)
        .collect();
    assert_eq!(field(2).as_bytes(), release);
    assert_eq!(g.call(nr::UNAME, &[UNMAPPED]), EFAULT);
}

#[test]
fn ids_pass_through() {
    let mut g = Guest::new();
    let pid = std::process::id() as i64;
    assert_eq!(g.call(nr::GETPID, &[]), pid);
    // SAFETY: plain id calls.
    unsafe {
        assert_eq!(g.call(nr::GETPPID, &[]), libc::getppid() as i64);
        assert_eq!(g.call(nr::GETUID, &[]), libc::getuid() as i64);
        assert_eq!(g.call(nr::GETEUID, &[]), libc::geteuid() as i64);
        assert_eq!(g.call(nr::GETGID, &[]), libc::getgid() as i64);
        assert_eq!(g.call(nr::GETEGID, &[]), libc::getegid() as i64);
        assert_eq!(g.call(nr::GETPGID, &[0]), libc::getpgid(0) as i64);
        assert_eq!(g.call(nr::GETSID, &[0]), libc::getsid(0) as i64);
    }
    let tid = g.call(nr::GETTID, &[]);
    assert!(tid > 0);
    assert_eq!(g.call(nr::SET_TID_ADDRESS, &[SCRATCH]), tid);
    assert_eq!(g.state.clear_child_tid, SCRATCH);
    assert_eq!(g.call(nr::SET_ROBUST_LIST, &[SCRATCH, 24]), 0);
    assert_eq!(g.call(nr::SET_ROBUST_LIST, &[SCRATCH, 16]), EINVAL);
    assert_eq!(g.call(nr::GETPGID, &[0x7fff_fff0]), -(libc::ESRCH as i64));
    assert_eq!(g.call(nr::SCHED_YIELD, &[]), 0);
}

#[test]
fn clocks_and_sleeps() {
    let mut g = Guest::new();
    let ts = SCRATCH + 0x100;
    let before = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs();
    assert_eq!(
        g.call(nr::CLOCK_GETTIME, &[libc::CLOCK_REALTIME as u64, ts]),
        0
    );
    let sec = g.u64_at(ts);
    assert!(sec >= before && sec <= before + 5);
    assert!(g.u64_at(ts + 8) < 1_000_000_000);
    assert_eq!(
        g.call(nr::CLOCK_GETTIME, &[libc::CLOCK_MONOTONIC as u64, UNMAPPED]),
        EFAULT
    );
    assert_eq!(g.call(nr::CLOCK_GETTIME, &[12345, ts]), EINVAL);
    assert_eq!(
        g.call(nr::CLOCK_GETRES, &[libc::CLOCK_MONOTONIC as u64, ts]),
        0
    );
    assert_eq!(g.u64_at(ts), 0);
    assert_eq!(
        g.call(nr::CLOCK_GETRES, &[libc::CLOCK_MONOTONIC as u64, 0]),
        0
    );
    assert_eq!(g.call(nr::GETTIMEOFDAY, &[ts, 0]), 0);
    assert!(g.u64_at(ts) >= before && g.u64_at(ts + 8) < 1_000_000);
    assert_eq!(g.call(nr::GETTIMEOFDAY, &[UNMAPPED, 0]), EFAULT);
    // Sleep 1 ms.
    g.mem.write_u64(ts, 0).unwrap();
    g.mem.write_u64(ts + 8, 1_000_000).unwrap();
    let t0 = std::time::Instant::now();
    assert_eq!(g.call(nr::NANOSLEEP, &[ts, 0]), 0);
    assert!(t0.elapsed() >= std::time::Duration::from_millis(1));
    assert_eq!(
        g.call(
            nr::CLOCK_NANOSLEEP,
            &[libc::CLOCK_MONOTONIC as u64, 0, ts, 0]
        ),
        0
    );
    g.mem.write_u64(ts + 8, 1_000_000_000).unwrap();
    assert_eq!(g.call(nr::NANOSLEEP, &[ts, 0]), EINVAL);
    assert_eq!(g.call(nr::NANOSLEEP, &[UNMAPPED, 0]), EFAULT);
}

#[test]
fn getrandom_sysinfo_and_affinity() {
    let mut g = Guest::new();
    let buf = SCRATCH + 0x1000;
    assert_eq!(g.call(nr::GETRANDOM, &[buf, 64, 0]), 64);
    assert!(g.bytes(buf, 64).iter().any(|&b| b != 0));
    assert_eq!(g.call(nr::GETRANDOM, &[buf, 8, 0x80]), EINVAL);
    assert_eq!(g.call(nr::GETRANDOM, &[UNMAPPED, 8, 0]), EFAULT);
    assert_eq!(g.call(nr::SYSINFO, &[buf]), 0);
    assert!(g.u64_at(buf) > 0, "uptime");
    assert!(g.u64_at(buf + 32) > 0, "totalram");
    assert_eq!(g.call(nr::SYSINFO, &[UNMAPPED]), EFAULT);
    let n = g.call(nr::SCHED_GETAFFINITY, &[0, 128, buf]);
    assert!(n > 0 && n % 8 == 0, "sched_getaffinity: {n}");
    let cpus: u32 = g.bytes(buf, n as u64).iter().map(|b| b.count_ones()).sum();
    assert_eq!(
        cpus as usize,
        std::thread::available_parallelism().unwrap().get()
    );
    assert_eq!(g.call(nr::SCHED_GETAFFINITY, &[0, 7, buf]), EINVAL);
}

#[test]
fn resource_limits() {
    let mut g = Guest::new();
    let buf = SCRATCH + 0x100;
    let mut host = libc::rlimit {
        rlim_cur: 0,
        rlim_max: 0,
    };
    // SAFETY: a host rlimit for the comparison.
    unsafe { libc::getrlimit(libc::RLIMIT_NOFILE, &mut host) };
    let nofile = libc::RLIMIT_NOFILE as u64;
    assert_eq!(g.call(nr::PRLIMIT64, &[0, nofile, 0, buf]), 0);
    assert_eq!(
        (g.u64_at(buf), g.u64_at(buf + 8)),
        (host.rlim_cur, host.rlim_max)
    );
    assert_eq!(g.call(nr::GETRLIMIT, &[nofile, buf]), 0);
    assert_eq!(g.u64_at(buf), host.rlim_cur);
    // The stack limit is the guest's own: setting it does not touch the host.
    let stack = libc::RLIMIT_STACK as u64;
    assert_eq!(g.call(nr::GETRLIMIT, &[stack, buf]), 0);
    let hard = g.u64_at(buf + 8);
    g.mem.write_u64(buf, 1 << 20).unwrap();
    assert_eq!(g.call(nr::SETRLIMIT, &[stack, buf]), 0);
    assert_eq!(g.call(nr::GETRLIMIT, &[stack, buf + 16]), 0);
    assert_eq!((g.u64_at(buf + 16), g.u64_at(buf + 24)), (1 << 20, hard));
    let mut host_stack = host;
    // SAFETY: as above.
    unsafe { libc::getrlimit(libc::RLIMIT_STACK, &mut host_stack) };
    assert_ne!(host_stack.rlim_cur, 1 << 20);
    // Soft above hard.
    g.mem.write_u64(buf, 10).unwrap();
    g.mem.write_u64(buf + 8, 5).unwrap();
    assert_eq!(g.call(nr::SETRLIMIT, &[stack, buf]), EINVAL);
    assert_eq!(g.call(nr::GETRLIMIT, &[99, buf]), EINVAL);
    assert_eq!(g.call(nr::GETRLIMIT, &[nofile, UNMAPPED]), EFAULT);
}

#[test]
fn sigaction_and_sigprocmask_are_remembered() {
    let mut g = Guest::new();
    let act = SCRATCH + 0x100;
    let old = SCRATCH + 0x200;
    // handler, flags, mask (SIGKILL's bit must be dropped).
    g.mem.write_u64(act, 0x1234_5678).unwrap();
    g.mem.write_u64(act + 8, 0x4).unwrap();
    g.mem.write_u64(act + 16, (1 << 9) | (1 << 8)).unwrap();
    let usr1 = libc::SIGUSR1 as u64;
    assert_eq!(g.call(nr::RT_SIGACTION, &[usr1, act, 0, 8]), 0);
    assert_eq!(g.call(nr::RT_SIGACTION, &[usr1, 0, old, 8]), 0);
    assert_eq!(g.u64_at(old), 0x1234_5678);
    assert_eq!(g.u64_at(old + 8), 0x4);
    assert_eq!(g.u64_at(old + 16), 1 << 9);
    assert_eq!(g.call(nr::RT_SIGACTION, &[usr1, act, 0, 4]), EINVAL);
    assert_eq!(
        g.call(nr::RT_SIGACTION, &[libc::SIGKILL as u64, act, 0, 8]),
        EINVAL
    );
    assert_eq!(
        g.call(nr::RT_SIGACTION, &[libc::SIGKILL as u64, 0, old, 8]),
        0
    );
    assert_eq!(g.call(nr::RT_SIGACTION, &[65, 0, old, 8]), EINVAL);
    assert_eq!(g.call(nr::RT_SIGACTION, &[0, 0, old, 8]), EINVAL);
    assert_eq!(g.call(nr::RT_SIGACTION, &[usr1, UNMAPPED, 0, 8]), EFAULT);
    // The mask: block USR1 and KILL (KILL is dropped), then unblock USR1.
    let set = SCRATCH + 0x300;
    g.mem.write_u64(set, (1 << 9) | (1 << 8)).unwrap();
    assert_eq!(
        g.call(nr::RT_SIGPROCMASK, &[libc::SIG_BLOCK as u64, set, 0, 8]),
        0
    );
    assert_eq!(g.state.signals.blocked, 1 << 9);
    g.mem.write_u64(set, 1 << 9).unwrap();
    assert_eq!(
        g.call(nr::RT_SIGPROCMASK, &[libc::SIG_UNBLOCK as u64, set, old, 8]),
        0
    );
    assert_eq!(g.u64_at(old), 1 << 9);
    assert_eq!(g.state.signals.blocked, 0);
    assert_eq!(g.call(nr::RT_SIGPROCMASK, &[7, set, 0, 8]), EINVAL);
    assert_eq!(g.call(nr::RT_SIGPROCMASK, &[0, set, 0, 16]), EINVAL);
    assert_eq!(g.call(nr::RT_SIGPROCMASK, &[0, 0, UNMAPPED, 8]), EFAULT);
}

#[test]
fn signals_to_self_are_queued_by_disposition() {
    let mut g = Guest::new();
    let pid = std::process::id() as u64;
    let tid = g.call(nr::GETTID, &[]) as u64;
    let abrt = libc::SIGABRT as u64;
    // abort(): tgkill(getpid(), gettid(), SIGABRT) with the default action: queued with
    // the sender's identity, and fatal when delivered.
    assert_eq!(g.call(nr::TGKILL, &[pid, tid, abrt]), 0);
    assert_eq!(g.state.signals.pending().len(), 1);
    let info = g.state.signals.pending()[0];
    assert_eq!(
        (info.signo(), info.code()),
        (6, crate::signal::code::SI_TKILL)
    );
    assert_eq!(
        i32::from_le_bytes(info.0[16..20].try_into().unwrap()),
        pid as i32
    );
    assert_eq!(g.deliver(), Some(6));
    assert_eq!(g.call(nr::KILL, &[pid, libc::SIGTERM as u64]), 0);
    assert_eq!(
        g.state.signals.pending()[0].code(),
        crate::signal::code::SI_USER
    );
    assert_eq!(g.deliver(), Some(15));
    assert_eq!(
        g.outcome(nr::TKILL, &[tid, libc::SIGKILL as u64]),
        SyscallOutcome::Killed(9)
    );
    assert_eq!(g.call(nr::KILL, &[pid, 0]), 0);
    // Ignored by default or explicitly: discarded at once.
    assert_eq!(g.call(nr::KILL, &[pid, libc::SIGCHLD as u64]), 0);
    let act = SCRATCH + 0x100;
    g.mem.write_u64(act, 1).unwrap(); // SIG_IGN
    assert_eq!(g.call(nr::RT_SIGACTION, &[abrt, act, 0, 8]), 0);
    assert_eq!(g.call(nr::TGKILL, &[pid, tid, abrt]), 0);
    assert!(g.state.signals.pending().is_empty());
    // Blocked: pending (and reported by rt_sigpending) until unblocked, then fatal.
    g.mem.write_u64(SCRATCH, 1 << 14).unwrap(); // SIGTERM
    assert_eq!(
        g.call(nr::RT_SIGPROCMASK, &[libc::SIG_BLOCK as u64, SCRATCH, 0, 8]),
        0
    );
    assert_eq!(g.call(nr::KILL, &[pid, libc::SIGTERM as u64]), 0);
    assert_eq!(g.call(nr::KILL, &[pid, libc::SIGTERM as u64]), 0);
    assert_eq!(g.deliver(), None);
    assert_eq!(g.call(nr::RT_SIGPENDING, &[SCRATCH + 8, 8]), 0);
    assert_eq!(g.u64_at(SCRATCH + 8), 1 << 14);
    assert_eq!(
        g.state.signals.pending().len(),
        1,
        "standard signals coalesce"
    );
    assert_eq!(
        g.call(
            nr::RT_SIGPROCMASK,
            &[libc::SIG_UNBLOCK as u64, SCRATCH, 0, 8]
        ),
        0
    );
    assert_eq!(g.deliver(), Some(15));
    // Invalid arguments.
    assert_eq!(g.call(nr::KILL, &[pid, 65]), EINVAL);
    assert_eq!(g.call(nr::TGKILL, &[0, tid, abrt]), EINVAL);
    assert_eq!(g.call(nr::TKILL, &[(-1i64) as u64, abrt]), EINVAL);
    // Another (nonexistent) process goes to the host.
    assert_eq!(g.call(nr::KILL, &[0x7fff_fff0, 0]), -(libc::ESRCH as i64));
}

#[test]
fn exit_reports_the_low_byte_of_the_status() {
    let mut g = Guest::new();
    assert_eq!(g.outcome(nr::EXIT_GROUP, &[3]), SyscallOutcome::Exit(3));
    // `exit` ends only the calling thread.
    assert_eq!(
        g.outcome(nr::EXIT, &[0x1ff]),
        SyscallOutcome::ThreadExit(0xff)
    );
    assert_eq!(
        g.outcome(nr::EXIT_GROUP, &[(-1i64) as u64]),
        SyscallOutcome::Exit(255)
    );
}

#[test]
fn wild_pointers_and_extreme_arguments_fail_cleanly() {
    let mut g = Guest::new();
    assert_eq!(g.call(nr::PIPE2, &[SCRATCH, 0]), 0);
    let (r, w) = (g.u32_at(SCRATCH) as u64, g.u32_at(SCRATCH + 4) as u64);
    let dot = g.put_str(SCRATCH + 0x100, ".");
    let cwd = libc::AT_FDCWD as u64;
    let top = vm_memory::GUEST_SPACE;
    let bad = [UNMAPPED, u64::MAX, u64::MAX - 7, top - 1, top, 0];
    for p in bad {
        let calls: &[(u64, &[u64])] = &[
            (nr::READ, &[r, p, 10]),
            (nr::WRITE, &[w, p, 10]),
            (nr::READV, &[r, p, 2]),
            (nr::WRITEV, &[w, p, 2]),
            (nr::PREAD64, &[r, p, 10, 0]),
            (nr::OPENAT, &[cwd, p, 0]),
            (nr::NEWFSTATAT, &[cwd, dot, p, 0]),
            (nr::NEWFSTATAT, &[cwd, p, SCRATCH, 0]),
            (nr::FSTAT, &[r, p]),
            (nr::STATX, &[cwd, dot, 0, 0x7ff, p]),
            (nr::READLINKAT, &[cwd, p, SCRATCH, 100]),
            (nr::FACCESSAT, &[cwd, p, 0]),
            (nr::UNLINKAT, &[cwd, p, 0]),
            (nr::MKDIRAT, &[cwd, p, 0o700]),
            (nr::RENAMEAT2, &[cwd, p, cwd, dot, 0]),
            (nr::GETCWD, &[p, 100]),
            (nr::CHDIR, &[p]),
            (nr::PIPE2, &[p, 0]),
            (nr::FCNTL, &[w, libc::F_SETLK as u64, p]),
            (nr::IOCTL, &[r, 0x541b, p]),
            (nr::CLOCK_GETTIME, &[0, p]),
            (nr::GETTIMEOFDAY, &[p, 0]),
            (nr::NANOSLEEP, &[p, 0]),
            (nr::CLOCK_NANOSLEEP, &[1, 0, p, 0]),
            (nr::UNAME, &[p]),
            (nr::SYSINFO, &[p]),
            (nr::GETRANDOM, &[p, 10, 0]),
            (nr::PRLIMIT64, &[0, 7, p, 0]),
            (nr::SCHED_GETAFFINITY, &[0, 8, p]),
            (nr::RT_SIGACTION, &[10, p, 0, 8]),
            (nr::RT_SIGPROCMASK, &[0, p, 0, 8]),
        ];
        for (n, args) in calls {
            let v = g.call(*n, args);
            // A null pointer is allowed for a few (a null old-value pointer, say).
            assert!(
                v < 0 || p == 0,
                "syscall {n} with pointer {p:#x} returned {v}"
            );
        }
    }
    // Extreme sizes and addresses for the memory calls: errors, never a panic.
    let extremes = [
        0,
        1,
        PAGE_SIZE,
        top - PAGE_SIZE,
        top,
        u64::MAX - PAGE_SIZE + 1,
        u64::MAX,
    ];
    for &a in &extremes {
        for &len in &extremes {
            for n in [nr::MUNMAP, nr::MPROTECT, nr::MADVISE] {
                g.call(n, &[a, len, 0]);
            }
            g.call(nr::MMAP, &[a, len, 3, 0x22, u64::MAX, 0]);
            g.call(nr::MMAP, &[a, len, 3, 0x32, u64::MAX, 0]);
            g.call(nr::MREMAP, &[a, len, len, 1, 0]);
            g.call(nr::MREMAP, &[a, len, PAGE_SIZE, 3, a]);
            g.call(nr::BRK, &[a]);
        }
    }
}

#[test]
fn waits_tell_clone_children_from_ordinary_ones() {
    use crate::syscall::clone_children::{forked, host_wait, reaped};
    use crate::syscall::Errno;
    const WCLONE: i32 = 0x8000_0000_u32 as i32;
    const WALL: i32 = 0x4000_0000;
    // Pids no real child of the test process has.
    let (clone, plain) = (0x3fff_0001, 0x3fff_0002);
    forked(clone, 0);
    forked(plain, libc::SIGCHLD as u64);
    let echild = Err(Errno(libc::ECHILD));
    assert_eq!(host_wait(clone, 0), echild);
    assert_eq!(host_wait(clone, WCLONE), Ok((clone, WALL)));
    assert_eq!(host_wait(clone, WALL), Ok((clone, WALL)));
    assert_eq!(host_wait(plain, WCLONE), echild);
    assert_eq!(host_wait(plain, libc::WNOHANG), Ok((plain, libc::WNOHANG)));
    assert_eq!(host_wait(-1, 0), Ok((-1, 0)));
    reaped(clone);
    assert_eq!(host_wait(clone, WCLONE), echild);
    // A number reused by an ordinary child is no clone child any more.
    forked(clone, libc::SIGUSR1 as u64);
    forked(clone, libc::SIGCHLD as u64);
    assert_eq!(host_wait(clone, 0), Ok((clone, 0)));
}
