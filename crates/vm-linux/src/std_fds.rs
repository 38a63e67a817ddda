//! The standard descriptors (0, 1, 2) as vm's parent left them. Rust's runtime start-up
//! opens /dev/null on each of them that is closed, so that its own files never land
//! there; but vm's descriptors are the guest's, and a guest started with, say, stdin
//! closed must find it closed (`fstat(0)` fails with `EBADF`, and its first `open`
//! returns 0), as it would on Linux. So which of them were closed is recorded from
//! `.init_array`, before that start-up runs, and [`close_those_closed_at_exec`] closes
//! them again.

use std::sync::atomic::{AtomicU8, Ordering};

/// Bit `fd` is set when standard descriptor `fd` was closed when vm was executed.
static CLOSED_AT_EXEC: AtomicU8 = AtomicU8::new(0);

/// Runs from `.init_array`, before Rust's runtime start-up opens /dev/null on closed
/// standard descriptors.
extern "C" fn record_closed_std_fds() {
    let mut closed = 0u8;
    for fd in 0..3 {
        // SAFETY: F_GETFD takes no argument and touches no memory.
        let r = unsafe { host_syscall!(libc::SYS_fcntl, fd, libc::F_GETFD) };
        if r == -1 && std::io::Error::last_os_error().raw_os_error() == Some(libc::EBADF) {
            closed |= 1 << fd;
        }
    }
    CLOSED_AT_EXEC.store(closed, Ordering::Relaxed);
}

#[used]
#[link_section = ".init_array"]
static RECORD_CLOSED_STD_FDS: extern "C" fn() = record_closed_std_fds;

/// Closes the standard descriptors that were closed when vm was executed (Rust's
/// runtime has put /dev/null there since). Call it first thing in `main`, before vm
/// opens anything of its own that is meant to stay open.
pub fn close_those_closed_at_exec() {
    let closed = CLOSED_AT_EXEC.swap(0, Ordering::Relaxed);
    for fd in 0..3 {
        if closed & (1 << fd) != 0 {
            // SAFETY: closing a descriptor nothing in vm holds (Rust's runtime opened it
            // and keeps no handle to it).
            unsafe { libc::close(fd) };
        }
    }
}
