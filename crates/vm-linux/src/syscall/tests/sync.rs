//! futex for a single thread, on the host word behind the guest word.

use super::*;
use crate::syscall::numbers as nr;
use std::time::{Duration, Instant};

const WAIT: u64 = 0;
const WAKE: u64 = 1;
const PRIVATE: u64 = 128;
const EAGAIN: i64 = -(libc::EAGAIN as i64);
const ETIMEDOUT: i64 = -(libc::ETIMEDOUT as i64);

#[test]
fn futex_wait_and_wake_for_one_thread() {
    let mut g = Guest::new();
    let word = SCRATCH + 0x100;
    g.mem.write(word, 5u32.to_le_bytes()).unwrap();
    // A differing value: EAGAIN at once.
    assert_eq!(
        g.call(nr::FUTEX, &[word, WAIT | PRIVATE, 4, 0, 0, 0]),
        EAGAIN
    );
    // An equal value with a timeout sleeps, then times out.
    let ts = SCRATCH + 0x200;
    g.mem.write_u64(ts, 0).unwrap();
    g.mem.write_u64(ts + 8, 20_000_000).unwrap();
    let start = Instant::now();
    assert_eq!(
        g.call(nr::FUTEX, &[word, WAIT | PRIVATE, 5, ts, 0, 0]),
        ETIMEDOUT
    );
    assert!(start.elapsed() >= Duration::from_millis(15));
    // Nobody waits: waking wakes nobody, also on an unmapped private word.
    assert_eq!(g.call(nr::FUTEX, &[word, WAKE | PRIVATE, 1, 0, 0, 0]), 0);
    assert_eq!(
        g.call(nr::FUTEX, &[word, WAKE, i32::MAX as u64, 0, 0, 0]),
        0
    );
    assert_eq!(
        g.call(nr::FUTEX, &[UNMAPPED, WAKE | PRIVATE, 1, 0, 0, 0]),
        0
    );
}

#[test]
fn futex_argument_errors() {
    let mut g = Guest::new();
    let word = SCRATCH + 0x100;
    assert_eq!(
        g.call(nr::FUTEX, &[word + 1, WAIT | PRIVATE, 0, 0, 0, 0]),
        EINVAL
    );
    assert_eq!(
        g.call(nr::FUTEX, &[UNMAPPED, WAIT | PRIVATE, 0, 0, 0, 0]),
        EFAULT
    );
    assert_eq!(g.call(nr::FUTEX, &[UNMAPPED, WAKE, 1, 0, 0, 0]), EFAULT);
    assert_eq!(g.call(nr::FUTEX, &[word, WAIT, 0, UNMAPPED, 0, 0]), EFAULT);
    let ts = SCRATCH + 0x200;
    g.mem.write_u64(ts, 0).unwrap();
    g.mem.write_u64(ts + 8, 2_000_000_000).unwrap();
    assert_eq!(g.call(nr::FUTEX, &[word, WAIT, 0, ts, 0, 0]), EINVAL);
    let enosys = -(libc::ENOSYS as i64);
    // FUTEX_CLOCK_REALTIME only with the bitset wait; unknown commands.
    assert_eq!(g.call(nr::FUTEX, &[word, WAIT | 256, 0, 0, 0, 0]), enosys);
    assert_eq!(g.call(nr::FUTEX, &[word, 99, 0, 0, 0, 0]), enosys);
}

#[test]
fn a_robust_list_head_at_the_top_of_the_space_is_abandoned() {
    // Found by the system-call fuzzer: a head registered near u64::MAX overflowed the
    // address of its second word when the thread exited (a panic in debug builds).
    let g = Guest::new();
    for head in [
        u64::MAX,
        u64::MAX - 8,
        u64::MAX - 15,
        vm_memory::GUEST_SPACE - 8,
    ] {
        crate::syscall::release_robust_futexes(&g.mem, head, 1234);
    }
}
