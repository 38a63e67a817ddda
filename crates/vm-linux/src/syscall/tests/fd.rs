//! Descriptor calls beyond reads and writes: close_range, memfd_create, fallocate,
//! fadvise64, flock, eventfd2.

use super::*;
use crate::syscall::numbers as nr;
use crate::syscall::SharedFileMap;
use std::os::fd::{AsRawFd, FromRawFd, OwnedFd};
use std::sync::Arc;

/// Duplicates `fd` to the lowest free number from `min`.
fn dup_from(fd: i32, min: i32) -> i32 {
    // SAFETY: F_DUPFD_CLOEXEC takes an integer argument.
    let new = unsafe { host_syscall!(libc::SYS_fcntl, fd, libc::F_DUPFD_CLOEXEC, min) } as i32;
    assert!(new >= min);
    new
}

fn is_open(fd: i32) -> bool {
    // SAFETY: F_GETFD takes no pointer argument.
    unsafe { host_syscall!(libc::SYS_fcntl, fd, libc::F_GETFD) != -1 }
}

#[test]
fn close_range_spares_the_vms_own_descriptors() {
    let mut g = Guest::new();
    let name = g.put_str(SCRATCH, "close-range");
    let base = g.call(nr::MEMFD_CREATE, &[name, 0]) as i32;
    assert!(base >= 0);
    // Far above other tests' descriptors: guest, VM-held, guest.
    let low = dup_from(base, 1900);
    let held = dup_from(base, low + 1);
    let high = dup_from(base, held + 1);
    // SAFETY: `held` was just created and is owned by nobody else.
    let owned = Arc::new(unsafe { OwnedFd::from_raw_fd(held) });
    let piece = SharedFileMap {
        end: SCRATCH + PAGE_SIZE,
        fd: Some(owned.clone()),
        offset: 0,
        writable: true,
    };
    g.state
        .address_space()
        .shared_file_maps
        .insert(SCRATCH, piece);
    assert_eq!(g.call(nr::CLOSE_RANGE, &[low as u64, high as u64, 0]), 0);
    assert!(!is_open(low) && !is_open(high));
    assert!(is_open(owned.as_raw_fd()));
    assert_eq!(g.call(nr::CLOSE, &[held as u64]), EBADF);
    assert_eq!(g.call(nr::CLOSE_RANGE, &[5, 4, 0]), EINVAL);
    assert_eq!(
        g.call(nr::CLOSE_RANGE, &[low as u64, low as u64, 1]),
        EINVAL
    );
    assert_eq!(g.call(nr::CLOSE, &[base as u64]), 0);
}

#[test]
fn memfd_fallocate_fadvise_and_flock() {
    let mut g = Guest::new();
    let name = g.put_str(SCRATCH, "guest-memfd");
    let fd = g.call(nr::MEMFD_CREATE, &[name, libc::MFD_CLOEXEC as u64]);
    assert!(fd >= 0);
    let fd = fd as u64;
    let link = std::fs::read_link(format!("/proc/self/fd/{fd}")).unwrap();
    assert!(link.to_string_lossy().contains("memfd:guest-memfd"));
    assert_eq!(g.call(nr::FALLOCATE, &[fd, 0, 0, 8192]), 0);
    assert_eq!(g.call(nr::FSTAT, &[fd, SCRATCH + 0x100]), 0);
    assert_eq!(g.u64_at(SCRATCH + 0x100 + 48), 8192, "st_size");
    assert_eq!(
        g.call(
            nr::FADVISE64,
            &[fd, 0, 0, libc::POSIX_FADV_SEQUENTIAL as u64]
        ),
        0
    );
    assert_eq!(g.call(nr::FADVISE64, &[fd, 0, 0, 99]), EINVAL);
    assert_eq!(g.call(nr::FADVISE64, &[999, 0, 0, 0]), EBADF);
    assert_eq!(g.call(nr::FLOCK, &[fd, libc::LOCK_EX as u64]), 0);
    assert_eq!(g.call(nr::FLOCK, &[fd, libc::LOCK_UN as u64]), 0);
    assert_eq!(g.call(nr::FLOCK, &[999, libc::LOCK_EX as u64]), EBADF);
    // A name longer than 249 bytes is EINVAL, an unreadable one EFAULT.
    let long = "n".repeat(250);
    let long = g.put_str(SCRATCH + 0x400, &long);
    assert_eq!(g.call(nr::MEMFD_CREATE, &[long, 0]), EINVAL);
    assert_eq!(g.call(nr::MEMFD_CREATE, &[UNMAPPED, 0]), EFAULT);
    assert_eq!(g.call(nr::CLOSE, &[fd]), 0);
}

#[test]
fn eventfd2_counts() {
    let mut g = Guest::new();
    let fd = g.call(nr::EVENTFD2, &[3, libc::EFD_NONBLOCK as u64]);
    assert!(fd >= 0);
    let fd = fd as u64;
    g.mem.write_u64(SCRATCH, 4).unwrap();
    assert_eq!(g.call(nr::WRITE, &[fd, SCRATCH, 8]), 8);
    assert_eq!(g.call(nr::READ, &[fd, SCRATCH + 8, 8]), 8);
    assert_eq!(g.u64_at(SCRATCH + 8), 7);
    assert_eq!(
        g.call(nr::READ, &[fd, SCRATCH + 8, 8]),
        -(libc::EAGAIN as i64)
    );
    assert_eq!(g.call(nr::CLOSE, &[fd]), 0);
}

#[test]
fn vm_owned_descriptors_are_not_the_guests() {
    // Found by the system-call fuzzer: the memory file behind a shared anonymous
    // mapping (held at a high descriptor) took the guest's writes and truncation, and
    // the guest then got SIGBUS on its own mapping.
    let mut g = Guest::new();
    let anon = crate::syscall::abi::map::SHARED | crate::syscall::abi::map::ANONYMOUS;
    let rw = (libc::PROT_READ | libc::PROT_WRITE) as u64;
    let addr = g.call(nr::MMAP, &[0, 4096, rw, anon, u64::MAX, 0]);
    assert!(addr > 0, "{addr}");
    let held = g.state.address_space().shared_file_maps.held_fds();
    assert_eq!(held.len(), 1);
    let fd = held[0] as u64;
    let ebadf = -(libc::EBADF as i64);
    g.mem.write_bytes(SCRATCH, b"ZZ").unwrap();
    assert_eq!(g.call(nr::PWRITE64, &[fd, SCRATCH, 2, 0]), ebadf);
    assert_eq!(g.call(nr::FTRUNCATE, &[fd, 0]), ebadf);
    assert_eq!(g.call(nr::FCNTL, &[fd, libc::F_GETFD as u64]), ebadf);
    assert_eq!(g.call(nr::LSEEK, &[fd, 0, 0]), ebadf);
    assert_eq!(g.call(nr::FSTAT, &[fd, SCRATCH]), ebadf);
    assert_eq!(g.call(nr::DUP, &[fd]), ebadf);
    // Its own descriptors still work, and an anonymous mapping ignores the number.
    let again = g.call(nr::MMAP, &[0, 4096, rw, anon, fd, 0]);
    assert!(again > 0, "{again}");
}

#[test]
fn a_calls_own_descriptor_is_not_the_guests_to_close_or_replace() {
    let mut g = Guest::new();
    let name = g.put_str(SCRATCH, "call-fd");
    let base = g.call(nr::MEMFD_CREATE, &[name, 0]) as i32;
    assert!(base >= 0);
    let number = dup_from(base, 1950);
    let held = {
        let mut creating = crate::syscall::call_fd::creating();
        // SAFETY: `number` was just created and is owned by nobody else.
        creating.adopt(unsafe { OwnedFd::from_raw_fd(number) })
    };
    assert_eq!(held.as_raw_fd(), number);
    assert_eq!(g.call(nr::CLOSE, &[number as u64]), EBADF);
    assert_eq!(g.call(nr::DUP3, &[base as u64, number as u64, 0]), EBADF);
    assert_eq!(
        g.call(nr::CLOSE_RANGE, &[number as u64, number as u64, 0]),
        0
    );
    assert!(is_open(number));
    // Its reads are refused too: to the guest it is not open.
    assert_eq!(g.call(nr::READ, &[number as u64, SCRATCH, 1]), EBADF);
    drop(held);
    assert!(!is_open(number));
    assert_eq!(g.call(nr::CLOSE, &[number as u64]), EBADF);
    assert_eq!(g.call(nr::CLOSE, &[base as u64]), 0);
}
