//! Reads, writes and descriptor operations through real host pipes and files.

use super::*;
use crate::syscall::numbers as nr;

fn pipe(g: &mut Guest, flags: u64) -> (i32, i32) {
    assert_eq!(g.call(nr::PIPE2, &[SCRATCH, flags]), 0);
    let r = g.u32_at(SCRATCH) as i32;
    let w = g.u32_at(SCRATCH + 4) as i32;
    (r, w)
}

fn close(g: &mut Guest, fd: i32) {
    assert_eq!(g.call(nr::CLOSE, &[fd as u64]), 0);
}

#[test]
fn write_then_read_through_a_pipe() {
    let mut g = Guest::new();
    let (r, w) = pipe(&mut g, 0);
    assert!(r > 2 && w > 2 && r != w);
    let msg = SCRATCH + 0x100;
    g.mem.write_bytes(msg, b"hello, pipe").unwrap();
    assert_eq!(g.call(nr::WRITE, &[w as u64, msg, 11]), 11);
    let buf = SCRATCH + 0x200;
    assert_eq!(g.call(nr::READ, &[r as u64, buf, 64]), 11);
    assert_eq!(g.bytes(buf, 11), b"hello, pipe");
    close(&mut g, r);
    close(&mut g, w);
    // Closing twice is EBADF. Guest descriptors are the host's, and other tests
    // in this process open descriptors concurrently, so the second close goes to
    // a number far above theirs: a freed low number may already be someone else's.
    let (r, w) = pipe(&mut g, 0);
    let private = PRIVATE_FD_WRITE_THEN_READ;
    assert_eq!(g.call(nr::DUP3, &[r as u64, private, 0]), private as i64);
    close(&mut g, r);
    close(&mut g, w);
    assert_eq!(g.call(nr::CLOSE, &[private]), 0);
    assert_eq!(g.call(nr::CLOSE, &[private]), EBADF);
}

/// Descriptor numbers that only one test uses (see `write_then_read_through_a_pipe`).
const PRIVATE_FD_WRITE_THEN_READ: u64 = 1800;
const PRIVATE_FD_FSYNC: u64 = 1801;

#[test]
fn pipe2_flags_reach_the_host() {
    let mut g = Guest::new();
    let (r, w) = pipe(&mut g, (libc::O_CLOEXEC | libc::O_NONBLOCK) as u64);
    assert_eq!(
        g.call(nr::FCNTL, &[r as u64, libc::F_GETFD as u64]),
        libc::FD_CLOEXEC as i64
    );
    let fl = g.call(nr::FCNTL, &[r as u64, libc::F_GETFL as u64]);
    assert_ne!(fl & libc::O_NONBLOCK as i64, 0);
    // Empty non-blocking pipe.
    assert_eq!(
        g.call(nr::READ, &[r as u64, SCRATCH + 0x100, 8]),
        -(libc::EAGAIN as i64)
    );
    assert_eq!(g.call(nr::PIPE2, &[SCRATCH, 0x1234_5678]), EINVAL);
    close(&mut g, r);
    close(&mut g, w);
}

#[test]
fn pipe2_to_a_bad_pointer_is_efault() {
    let mut g = Guest::new();
    assert_eq!(g.call(nr::PIPE2, &[UNMAPPED, 0]), EFAULT);
}

#[test]
fn bad_buffers_are_efault_and_bad_descriptors_ebadf() {
    let mut g = Guest::new();
    let (r, w) = pipe(&mut g, 0);
    assert_eq!(g.call(nr::READ, &[r as u64, UNMAPPED, 16]), EFAULT);
    assert_eq!(g.call(nr::WRITE, &[w as u64, UNMAPPED, 16]), EFAULT);
    // A buffer running off the end of the scratch pages.
    let end = SCRATCH + SCRATCH_PAGES * PAGE_SIZE;
    assert_eq!(g.call(nr::WRITE, &[w as u64, end - 8, 16]), EFAULT);
    // A buffer past the guest address space.
    assert_eq!(g.call(nr::READ, &[r as u64, u64::MAX - 4, 16]), EFAULT);
    // The descriptor is checked first, as in Linux.
    assert_eq!(g.call(nr::READ, &[999, UNMAPPED, 16]), EBADF);
    assert_eq!(g.call(nr::WRITE, &[999, SCRATCH, 1]), EBADF);
    // Read-only pages cannot receive a read.
    g.mem
        .protect(SCRATCH + PAGE_SIZE, PAGE_SIZE, Perm::R)
        .unwrap();
    g.mem.write_bytes(SCRATCH, b"x").unwrap();
    assert_eq!(g.call(nr::WRITE, &[w as u64, SCRATCH, 1]), 1);
    assert_eq!(
        g.call(nr::READ, &[r as u64, SCRATCH + PAGE_SIZE, 1]),
        EFAULT
    );
    close(&mut g, r);
    close(&mut g, w);
}

#[test]
fn readv_and_writev_scatter_and_gather() {
    let mut g = Guest::new();
    let (r, w) = pipe(&mut g, 0);
    let iov = SCRATCH + 0x100;
    let (a, b) = (SCRATCH + 0x200, SCRATCH + 0x300);
    g.mem.write_bytes(a, b"abc").unwrap();
    g.mem.write_bytes(b, b"defgh").unwrap();
    for (i, (base, len)) in [(a, 3u64), (b, 5)].iter().enumerate() {
        g.mem.write_u64(iov + 16 * i as u64, *base).unwrap();
        g.mem.write_u64(iov + 16 * i as u64 + 8, *len).unwrap();
    }
    assert_eq!(g.call(nr::WRITEV, &[w as u64, iov, 2]), 8);
    // Read back into 2 + 6 bytes.
    let (c, d) = (SCRATCH + 0x400, SCRATCH + 0x500);
    for (i, (base, len)) in [(c, 2u64), (d, 6)].iter().enumerate() {
        g.mem.write_u64(iov + 16 * i as u64, *base).unwrap();
        g.mem.write_u64(iov + 16 * i as u64 + 8, *len).unwrap();
    }
    assert_eq!(g.call(nr::READV, &[r as u64, iov, 2]), 8);
    assert_eq!(g.bytes(c, 2), b"ab");
    assert_eq!(g.bytes(d, 6), b"cdefgh");
    // Errors: too many entries, a negative length, an unmapped array or buffer.
    assert_eq!(g.call(nr::WRITEV, &[w as u64, iov, 1025]), EINVAL);
    g.mem.write_u64(iov + 8, u64::MAX).unwrap();
    assert_eq!(g.call(nr::WRITEV, &[w as u64, iov, 1]), EINVAL);
    assert_eq!(g.call(nr::WRITEV, &[w as u64, UNMAPPED, 1]), EFAULT);
    g.mem.write_u64(iov, UNMAPPED).unwrap();
    g.mem.write_u64(iov + 8, 4).unwrap();
    assert_eq!(g.call(nr::READV, &[r as u64, iov, 1]), EFAULT);
    assert_eq!(g.call(nr::READV, &[999, iov, 1]), EBADF);
    close(&mut g, r);
    close(&mut g, w);
}

#[test]
fn pread_pwrite_and_lseek_on_a_file() {
    let mut g = Guest::new();
    let dir = temp_dir("pread");
    let path = dir.join("f");
    std::fs::write(&path, b"0123456789").unwrap();
    let p = g.put_str(SCRATCH, s(&path));
    let fd = g.call(nr::OPENAT, &[libc::AT_FDCWD as u64, p, libc::O_RDWR as u64]);
    assert!(fd >= 0, "openat: {fd}");
    let buf = SCRATCH + 0x800;
    assert_eq!(g.call(nr::PREAD64, &[fd as u64, buf, 4, 3]), 4);
    assert_eq!(g.bytes(buf, 4), b"3456");
    g.mem.write_bytes(buf, b"AB").unwrap();
    assert_eq!(g.call(nr::PWRITE64, &[fd as u64, buf, 2, 8]), 2);
    assert_eq!(std::fs::read(&path).unwrap(), b"01234567AB");
    // pread/pwrite leave the offset alone; lseek moves it.
    assert_eq!(g.call(nr::LSEEK, &[fd as u64, 0, libc::SEEK_CUR as u64]), 0);
    assert_eq!(
        g.call(
            nr::LSEEK,
            &[fd as u64, (-3i64) as u64, libc::SEEK_END as u64]
        ),
        7
    );
    assert_eq!(g.call(nr::READ, &[fd as u64, buf, 100]), 3);
    assert_eq!(g.bytes(buf, 3), b"7AB");
    assert_eq!(
        g.call(
            nr::LSEEK,
            &[fd as u64, (-1i64) as u64, libc::SEEK_SET as u64]
        ),
        EINVAL
    );
    assert_eq!(
        g.call(nr::PREAD64, &[fd as u64, buf, 1, (-1i64) as u64]),
        EINVAL
    );
    assert_eq!(g.call(nr::FTRUNCATE, &[fd as u64, 4]), 0);
    assert_eq!(std::fs::metadata(&path).unwrap().len(), 4);
    assert_eq!(g.call(nr::FSYNC, &[fd as u64]), 0);
    assert_eq!(g.call(nr::FDATASYNC, &[fd as u64]), 0);
    let private = PRIVATE_FD_FSYNC;
    assert_eq!(g.call(nr::DUP3, &[fd as u64, private, 0]), private as i64);
    close(&mut g, fd as i32);
    close(&mut g, private as i32);
    assert_eq!(g.call(nr::FSYNC, &[private]), EBADF);
    std::fs::remove_dir_all(dir).unwrap();
}

#[test]
fn dup_dup3_and_fcntl() {
    let mut g = Guest::new();
    let (r, w) = pipe(&mut g, 0);
    let d = g.call(nr::DUP, &[w as u64]);
    assert!(d > w as i64);
    let target = 200u64;
    assert_eq!(
        g.call(nr::DUP3, &[r as u64, target, libc::O_CLOEXEC as u64]),
        target as i64
    );
    assert_eq!(
        g.call(nr::FCNTL, &[target, libc::F_GETFD as u64]),
        libc::FD_CLOEXEC as i64
    );
    assert_eq!(g.call(nr::DUP3, &[r as u64, r as u64, 0]), EINVAL);
    assert_eq!(g.call(nr::DUP3, &[r as u64, 201, 0x4]), EINVAL);
    // F_DUPFD_CLOEXEC with a minimum.
    let e = g.call(nr::FCNTL, &[w as u64, 1030, 300]);
    assert!(e >= 300);
    assert_eq!(g.call(nr::FCNTL, &[w as u64, libc::F_SETFD as u64, 1]), 0);
    assert_eq!(g.call(nr::FCNTL, &[w as u64, libc::F_GETFD as u64]), 1);
    assert_eq!(g.call(nr::FCNTL, &[w as u64, 0xdead]), EINVAL);
    assert_eq!(g.call(nr::FCNTL, &[999, libc::F_GETFD as u64]), EBADF);
    assert_eq!(g.call(nr::FCNTL, &[999, 0xdead]), EBADF);
    // The pipe's size through F_GETPIPE_SZ.
    assert!(g.call(nr::FCNTL, &[w as u64, 1032]) >= 4096);
    for fd in [r as u64, w as u64, d as u64, target, e as u64] {
        assert_eq!(g.call(nr::CLOSE, &[fd]), 0);
    }
}

#[test]
fn fcntl_locks_copy_struct_flock_both_ways() {
    let mut g = Guest::new();
    let dir = temp_dir("flock");
    let path = dir.join("f");
    std::fs::write(&path, b"data").unwrap();
    let p = g.put_str(SCRATCH, s(&path));
    let fd = g.call(nr::OPENAT, &[libc::AT_FDCWD as u64, p, libc::O_RDWR as u64]) as u64;
    // struct flock: l_type, l_whence (shorts), l_start, l_len, l_pid.
    let fl = SCRATCH + 0x400;
    let mut lock = [0u8; 32];
    lock[..2].copy_from_slice(&(libc::F_WRLCK as i16).to_le_bytes());
    lock[16..24].copy_from_slice(&4i64.to_le_bytes());
    g.mem.write_bytes(fl, &lock).unwrap();
    assert_eq!(g.call(nr::FCNTL, &[fd, libc::F_SETLK as u64, fl]), 0);
    // Our own lock does not conflict: F_GETLK reports F_UNLCK.
    assert_eq!(g.call(nr::FCNTL, &[fd, libc::F_GETLK as u64, fl]), 0);
    let ty = i16::from_le_bytes(g.mem.read(fl).unwrap());
    assert_eq!(ty, libc::F_UNLCK as i16);
    assert_eq!(
        g.call(nr::FCNTL, &[fd, libc::F_SETLK as u64, UNMAPPED]),
        EFAULT
    );
    close(&mut g, fd as i32);
    std::fs::remove_dir_all(dir).unwrap();
}

#[test]
fn ioctl_passes_known_requests_and_refuses_others() {
    let mut g = Guest::new();
    let (r, w) = pipe(&mut g, 0);
    const TCGETS: u64 = 0x5401;
    const TIOCGWINSZ: u64 = 0x5413;
    const FIONREAD: u64 = 0x541b;
    // A pipe is not a terminal.
    assert_eq!(
        g.call(nr::IOCTL, &[r as u64, TCGETS, SCRATCH]),
        -(libc::ENOTTY as i64)
    );
    assert_eq!(
        g.call(nr::IOCTL, &[r as u64, TIOCGWINSZ, SCRATCH]),
        -(libc::ENOTTY as i64)
    );
    assert_eq!(
        g.call(nr::IOCTL, &[r as u64, 0x1234_5678, SCRATCH]),
        -(libc::ENOTTY as i64)
    );
    assert_eq!(g.call(nr::IOCTL, &[999, 0x1234_5678, SCRATCH]), EBADF);
    g.mem.write_bytes(SCRATCH + 0x100, b"12345").unwrap();
    assert_eq!(g.call(nr::WRITE, &[w as u64, SCRATCH + 0x100, 5]), 5);
    assert_eq!(g.call(nr::IOCTL, &[r as u64, FIONREAD, SCRATCH]), 0);
    assert_eq!(g.u32_at(SCRATCH), 5);
    assert_eq!(g.call(nr::IOCTL, &[r as u64, FIONREAD, UNMAPPED]), EFAULT);
    close(&mut g, r);
    close(&mut g, w);
}

#[test]
fn tcgets_on_a_terminal_matches_the_host() {
    // Only where the test runs with a terminal on some standard descriptor.
    // SAFETY: isatty takes no pointer.
    let Some(fd) = (0..3).find(|&fd| unsafe { libc::isatty(fd) } == 1) else {
        return;
    };
    let mut g = Guest::new();
    assert_eq!(g.call(nr::IOCTL, &[fd as u64, 0x5401, SCRATCH]), 0);
    // SAFETY: termios is plain integers; all-zero is a valid value.
    let mut t: libc::termios = unsafe { std::mem::zeroed() };
    // SAFETY: `t` is a host termios for tcgetattr to fill.
    assert_eq!(unsafe { libc::tcgetattr(fd, &mut t) }, 0);
    assert_eq!(g.u32_at(SCRATCH), t.c_iflag);
    assert_eq!(g.u32_at(SCRATCH + 12), t.c_lflag);
}

/// Writes a guest iovec array of `parts` at `at`.
fn put_iovecs(g: &mut Guest, at: u64, parts: &[(u64, u64)]) {
    for (i, (base, len)) in parts.iter().enumerate() {
        g.mem.write_u64(at + 16 * i as u64, *base).unwrap();
        g.mem.write_u64(at + 16 * i as u64 + 8, *len).unwrap();
    }
}

#[test]
fn preadv_and_pwritev_use_two_guest_buffers_and_keep_the_offset() {
    let mut g = Guest::new();
    let dir = temp_dir("preadv");
    let path = dir.join("f");
    std::fs::write(&path, b"0123456789").unwrap();
    let p = g.put_str(SCRATCH, s(&path));
    let fd = g.call(
        nr::OPENAT,
        &[libc::AT_FDCWD as u64, p, libc::O_RDWR as u64, 0],
    ) as u64;
    let (a, b, iov) = (SCRATCH + 0x100, SCRATCH + 0x200, SCRATCH + 0x300);
    g.mem.write_bytes(a, b"AB").unwrap();
    g.mem.write_bytes(b, b"CDE").unwrap();
    put_iovecs(&mut g, iov, &[(a, 2), (b, 3)]);
    assert_eq!(g.call(nr::PWRITEV, &[fd, iov, 2, 1, 0]), 5);
    assert_eq!(std::fs::read(&path).unwrap(), b"0ABCDE6789");
    let (x, y) = (SCRATCH + 0x400, SCRATCH + 0x500);
    put_iovecs(&mut g, iov, &[(x, 2), (y, 3)]);
    assert_eq!(g.call(nr::PREADV, &[fd, iov, 2, 0, 0]), 5);
    assert_eq!(g.bytes(x, 2), b"0A");
    assert_eq!(g.bytes(y, 3), b"BCD");
    assert_eq!(g.call(nr::LSEEK, &[fd, 0, libc::SEEK_CUR as u64]), 0);
    // preadv2 at -1 reads at (and advances) the file position.
    assert_eq!(g.call(nr::PREADV2, &[fd, iov, 2, u64::MAX, 0, 0]), 5);
    assert_eq!(g.call(nr::LSEEK, &[fd, 0, libc::SEEK_CUR as u64]), 5);
    // A negative offset is EINVAL for preadv, a bad buffer EFAULT.
    assert_eq!(g.call(nr::PREADV, &[fd, iov, 2, u64::MAX, 0]), EINVAL);
    put_iovecs(&mut g, iov, &[(UNMAPPED, 2)]);
    assert_eq!(g.call(nr::PREADV, &[fd, iov, 1, 0, 0]), EFAULT);
    assert_eq!(g.call(nr::PWRITEV, &[999, iov, 1, 0, 0]), EBADF);
    close(&mut g, fd as i32);
}

#[test]
fn sendfile_and_copy_file_range_update_guest_offsets() {
    let mut g = Guest::new();
    let dir = temp_dir("sendfile");
    let (src, dst) = (dir.join("src"), dir.join("dst"));
    std::fs::write(&src, b"hello, sendfile").unwrap();
    let p = g.put_str(SCRATCH, s(&src));
    let q = g.put_str(SCRATCH + 0x100, s(&dst));
    let at = libc::AT_FDCWD as u64;
    let in_fd = g.call(nr::OPENAT, &[at, p, libc::O_RDONLY as u64, 0]) as u64;
    let flags = (libc::O_WRONLY | libc::O_CREAT) as u64;
    let out_fd = g.call(nr::OPENAT, &[at, q, flags, 0o644]) as u64;
    let off = SCRATCH + 0x200;
    g.mem.write_u64(off, 7).unwrap();
    assert_eq!(g.call(nr::SENDFILE, &[out_fd, in_fd, off, 100]), 8);
    assert_eq!(g.u64_at(off), 15);
    assert_eq!(std::fs::read(&dst).unwrap(), b"sendfile");
    assert_eq!(g.call(nr::SENDFILE, &[out_fd, in_fd, UNMAPPED, 1]), EFAULT);
    let (oi, oo) = (SCRATCH + 0x300, SCRATCH + 0x308);
    g.mem.write_u64(oi, 0).unwrap();
    g.mem.write_u64(oo, 8).unwrap();
    assert_eq!(
        g.call(nr::COPY_FILE_RANGE, &[in_fd, oi, out_fd, oo, 5, 0]),
        5
    );
    assert_eq!((g.u64_at(oi), g.u64_at(oo)), (5, 13));
    assert_eq!(std::fs::read(&dst).unwrap(), b"sendfilehello");
    close(&mut g, in_fd as i32);
    close(&mut g, out_fd as i32);
}
