//! SoftFloat's rounding mode and flags are thread-local: concurrent callers with different
//! rounding modes must not see each other's mode or flags.

use super::*;
use std::sync::{Arc, Barrier};

#[test]
fn rounding_mode_and_flags_are_per_thread() {
    // 1 + 2^-24 is a tie: rounding down, up or to even all differ in the last bit.
    let half_ulp = sb(0x3380_0000);
    let barrier = Arc::new(Barrier::new(MODES.len()));
    let threads: Vec<_> = MODES
        .into_iter()
        .map(|rm| {
            let barrier = Arc::clone(&barrier);
            std::thread::spawn(move || {
                let rounds_up = matches!(rm, Rounding::Rup | Rounding::Rmm);
                let want = if rounds_up { sb(0x3f80_0001) } else { s(1.0) };
                barrier.wait();
                for _ in 0..20_000 {
                    assert_eq!(
                        s_op(FpOp::Add, rm, s(1.0), half_ulp, 0),
                        ok(want, NX),
                        "{rm:?}"
                    );
                    // An exact op right after reports no stale flags.
                    assert_eq!(
                        s_op(FpOp::Add, rm, s(1.0), s(1.0), 0),
                        ok(s(2.0), 0),
                        "{rm:?}"
                    );
                    assert_eq!(
                        d_op(FpOp::Div, rm, d(1.0), d(0.0), 0),
                        ok(d(f64::INFINITY), DZ)
                    );
                }
            })
        })
        .collect();
    for thread in threads {
        thread.join().expect("worker thread panicked");
    }
}
