//! ppoll, pselect6 and epoll on real pipes.

use super::*;
use crate::syscall::numbers as nr;

fn pipe(g: &mut Guest) -> (u64, u64) {
    assert_eq!(g.call(nr::PIPE2, &[SCRATCH, 0]), 0);
    (g.u32_at(SCRATCH) as u64, g.u32_at(SCRATCH + 4) as u64)
}

fn put_timespec(g: &mut Guest, at: u64, sec: u64, nsec: u64) {
    g.mem.write_u64(at, sec).unwrap();
    g.mem.write_u64(at + 8, nsec).unwrap();
}

#[test]
fn ppoll_reports_readiness_and_times_out() {
    let mut g = Guest::new();
    let (r, w) = pipe(&mut g);
    let fds = SCRATCH + 0x100;
    let put_pollfd = |g: &mut Guest, at: u64, fd: u64, events: i16| {
        g.mem.write(at, (fd as i32).to_le_bytes()).unwrap();
        g.mem.write(at + 4, events.to_le_bytes()).unwrap();
        g.mem.write(at + 6, 0i16.to_le_bytes()).unwrap();
    };
    put_pollfd(&mut g, fds, r, libc::POLLIN);
    put_pollfd(&mut g, fds + 8, w, libc::POLLOUT);
    let ts = SCRATCH + 0x200;
    put_timespec(&mut g, ts, 0, 20_000_000);
    // Only the write end is ready.
    assert_eq!(g.call(nr::PPOLL, &[fds, 2, ts, 0, 8]), 1);
    assert_eq!(g.mem.read::<2>(fds + 6).unwrap(), [0, 0]);
    assert_eq!(
        i16::from_le_bytes(g.mem.read(fds + 14).unwrap()),
        libc::POLLOUT
    );
    // Nothing ready on the read end: the timeout expires and the rest (0) is written back.
    put_timespec(&mut g, ts, 0, 20_000_000);
    let start = std::time::Instant::now();
    assert_eq!(g.call(nr::PPOLL, &[fds, 1, ts, 0, 8]), 0);
    assert!(start.elapsed() >= std::time::Duration::from_millis(15));
    assert_eq!((g.u64_at(ts), g.u64_at(ts + 8)), (0, 0));
    // Data makes it readable.
    g.mem.write_bytes(SCRATCH + 0x300, b"x").unwrap();
    assert_eq!(g.call(nr::WRITE, &[w, SCRATCH + 0x300, 1]), 1);
    assert_eq!(g.call(nr::PPOLL, &[fds, 1, 0, 0, 8]), 1);
    assert_eq!(
        i16::from_le_bytes(g.mem.read(fds + 6).unwrap()),
        libc::POLLIN
    );
    // The sigmask is checked, not applied.
    g.mem.write_u64(SCRATCH + 0x400, u64::MAX).unwrap();
    assert_eq!(g.call(nr::PPOLL, &[fds, 1, 0, SCRATCH + 0x400, 8]), 1);
    assert_eq!(g.call(nr::PPOLL, &[fds, 1, 0, SCRATCH + 0x400, 4]), EINVAL);
    assert_eq!(g.call(nr::PPOLL, &[fds, 1, 0, UNMAPPED, 8]), EFAULT);
    assert_eq!(g.call(nr::PPOLL, &[UNMAPPED, 1, 0, 0, 8]), EFAULT);
    // No descriptors: a sleep, whatever the array pointer.
    put_timespec(&mut g, ts, 0, 1_000_000);
    assert_eq!(g.call(nr::PPOLL, &[u64::MAX, 0, ts, 0, 8]), 0);
    assert_eq!(g.call(nr::PPOLL, &[fds, 1, UNMAPPED, 0, 8]), EFAULT);
    for fd in [r, w] {
        assert_eq!(g.call(nr::CLOSE, &[fd]), 0);
    }
}

#[test]
fn pselect6_uses_guest_fd_sets() {
    let mut g = Guest::new();
    let (r, w) = pipe(&mut g);
    let (rset, wset) = (SCRATCH + 0x100, SCRATCH + 0x180);
    g.mem.write_bytes(rset, &[0; 128]).unwrap();
    g.mem.write_bytes(wset, &[0; 128]).unwrap();
    g.mem.write_u64(rset, 1 << r).unwrap();
    g.mem.write_u64(wset, 1 << w).unwrap();
    let ts = SCRATCH + 0x200;
    put_timespec(&mut g, ts, 1, 0);
    let n = w.max(r) + 1;
    assert_eq!(g.call(nr::PSELECT6, &[n, rset, wset, 0, ts, 0]), 1);
    assert_eq!(g.u64_at(rset), 0);
    assert_eq!(g.u64_at(wset), 1 << w);
    // A signal-mask pack with a bad size is EINVAL.
    let pack = SCRATCH + 0x300;
    g.mem.write_u64(pack, SCRATCH + 0x320).unwrap();
    g.mem.write_u64(pack + 8, 16).unwrap();
    assert_eq!(g.call(nr::PSELECT6, &[n, 0, wset, 0, 0, pack]), EINVAL);
    assert_eq!(g.call(nr::PSELECT6, &[u64::MAX, 0, 0, 0, 0, 0]), EINVAL);
    assert_eq!(g.call(nr::PSELECT6, &[n, UNMAPPED, 0, 0, 0, 0]), EFAULT);
    for fd in [r, w] {
        assert_eq!(g.call(nr::CLOSE, &[fd]), 0);
    }
}

#[test]
fn epoll_translates_the_riscv64_event_layout() {
    let mut g = Guest::new();
    let (r, w) = pipe(&mut g);
    let ep = g.call(nr::EPOLL_CREATE1, &[libc::EPOLL_CLOEXEC as u64]);
    assert!(ep >= 0);
    let ep = ep as u64;
    // riscv64 struct epoll_event: events at 0, data at 8.
    let ev = SCRATCH + 0x100;
    g.mem
        .write(ev, (libc::EPOLLIN as u32).to_le_bytes())
        .unwrap();
    g.mem.write(ev + 4, [0xaa; 4]).unwrap();
    g.mem.write_u64(ev + 8, 0x1122_3344_5566_7788).unwrap();
    let add = libc::EPOLL_CTL_ADD as u64;
    assert_eq!(g.call(nr::EPOLL_CTL, &[ep, add, r, ev]), 0);
    let events = SCRATCH + 0x200;
    assert_eq!(g.call(nr::EPOLL_PWAIT, &[ep, events, 4, 0, 0, 8]), 0);
    g.mem.write_bytes(SCRATCH + 0x300, b"x").unwrap();
    assert_eq!(g.call(nr::WRITE, &[w, SCRATCH + 0x300, 1]), 1);
    g.mem.write_bytes(events, &[0xff; 64]).unwrap();
    assert_eq!(g.call(nr::EPOLL_PWAIT, &[ep, events, 4, 1000, 0, 8]), 1);
    assert_eq!(g.u32_at(events), libc::EPOLLIN as u32);
    assert_eq!(g.u32_at(events + 4), 0, "padding");
    assert_eq!(g.u64_at(events + 8), 0x1122_3344_5566_7788);
    assert_eq!(g.u64_at(events + 16), u64::MAX, "only one event written");
    // epoll_pwait2 with a timespec timeout.
    let ts = SCRATCH + 0x400;
    put_timespec(&mut g, ts, 0, 1_000_000);
    assert_eq!(g.call(nr::EPOLL_PWAIT2, &[ep, events, 4, ts, 0, 8]), 1);
    // The longest timeout a timespec holds is no panic (found by the fuzzer: the
    // deadline overflowed `Instant`).
    put_timespec(&mut g, ts, i64::MAX as u64, 999_999_999);
    assert_eq!(g.call(nr::EPOLL_PWAIT2, &[ep, events, 4, ts, 0, 8]), 1);
    // Errors.
    assert_eq!(g.call(nr::EPOLL_PWAIT, &[ep, events, 0, 0, 0, 8]), EINVAL);
    assert_eq!(g.call(nr::EPOLL_PWAIT, &[ep, UNMAPPED, 4, 0, 0, 8]), EFAULT);
    assert_eq!(g.call(nr::EPOLL_CTL, &[ep, add, w, UNMAPPED]), EFAULT);
    let del = libc::EPOLL_CTL_DEL as u64;
    assert_eq!(g.call(nr::EPOLL_CTL, &[ep, del, r, 0]), 0);
    assert_eq!(g.call(nr::EPOLL_PWAIT, &[ep, events, 4, 0, 0, 8]), 0);
    assert_eq!(g.call(nr::EPOLL_PWAIT, &[999, events, 4, 0, 0, 8]), EBADF);
    for fd in [r, w, ep] {
        assert_eq!(g.call(nr::CLOSE, &[fd]), 0);
    }
}
