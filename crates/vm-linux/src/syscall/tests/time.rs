//! Clocks, sleeps and timers.

use crate::syscall::time::add;

fn ts(sec: i64, nsec: i64) -> libc::timespec {
    libc::timespec {
        tv_sec: sec,
        tv_nsec: nsec,
    }
}

#[test]
fn deadlines_saturate_at_the_latest_time() {
    let sum = add(ts(5, 600_000_000), ts(1, 700_000_000));
    assert_eq!((sum.tv_sec, sum.tv_nsec), (7, 300_000_000));
    // Found by the system-call fuzzer: nanosleep for i64::MAX seconds overflowed (a
    // panic in debug builds) when the nanoseconds carried into the saturated seconds.
    let far = add(ts(1000, 999_999_999), ts(i64::MAX, 999_999_999));
    assert_eq!(far.tv_sec, i64::MAX);
}
