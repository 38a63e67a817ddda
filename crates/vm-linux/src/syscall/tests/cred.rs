//! Credentials, resource usage, process names and scheduling queries against the host.

use super::*;
use crate::syscall::numbers as nr;

#[test]
fn getresuid_getresgid_and_getgroups_match_the_host() {
    let mut g = Guest::new();
    let (r, e, s) = (SCRATCH, SCRATCH + 4, SCRATCH + 8);
    assert_eq!(g.call(nr::GETRESUID, &[r, e, s]), 0);
    // SAFETY: no arguments.
    let (uid, euid) = unsafe { (libc::getuid(), libc::geteuid()) };
    assert_eq!((g.u32_at(r), g.u32_at(e)), (uid, euid));
    assert_eq!(g.call(nr::GETRESGID, &[r, e, s]), 0);
    // SAFETY: no arguments.
    assert_eq!(g.u32_at(r), unsafe { libc::getgid() });
    // The first id is written before the bad pointer is found.
    g.mem.write(r, 0xdead_beefu32.to_le_bytes()).unwrap();
    assert_eq!(g.call(nr::GETRESUID, &[r, UNMAPPED, s]), EFAULT);
    assert_eq!(g.u32_at(r), uid);
    let n = g.call(nr::GETGROUPS, &[0, 0]);
    assert!(n >= 0);
    // SAFETY: a null list with size 0 only counts.
    assert_eq!(n, unsafe { libc::getgroups(0, std::ptr::null_mut()) }
        as i64);
    assert_eq!(g.call(nr::GETGROUPS, &[64, SCRATCH + 0x100]), n);
    assert_eq!(g.call(nr::GETGROUPS, &[u32::MAX as u64, SCRATCH]), EINVAL);
    if n > 0 {
        assert_eq!(g.call(nr::GETGROUPS, &[64, UNMAPPED]), EFAULT);
    }
    // Setting the ids one already has is allowed.
    assert_eq!(
        g.call(
            nr::SETRESUID,
            &[u32::MAX as u64, u32::MAX as u64, u32::MAX as u64]
        ),
        0
    );
}

#[test]
fn getrusage_and_times_fill_guest_structures() {
    let mut g = Guest::new();
    let ru = SCRATCH + 0x100;
    g.mem.write_bytes(ru, &[0xff; 144]).unwrap();
    assert_eq!(g.call(nr::GETRUSAGE, &[0, ru]), 0);
    // ru_maxrss (offset 32) is the VM's resident size: positive.
    assert!((g.u64_at(ru + 32) as i64) > 0);
    assert_eq!(g.call(nr::GETRUSAGE, &[0, UNMAPPED]), EFAULT);
    assert_eq!(g.call(nr::GETRUSAGE, &[77, ru]), EINVAL);
    let tms = SCRATCH + 0x200;
    assert!(g.call(nr::TIMES, &[tms]) > 0);
    assert!(g.call(nr::TIMES, &[0]) > 0);
    assert_eq!(g.call(nr::TIMES, &[UNMAPPED]), EFAULT);
}

#[test]
fn prctl_names_the_thread() {
    let mut g = Guest::new();
    const SET_NAME: u64 = 15;
    const GET_NAME: u64 = 16;
    // A test thread, so that renaming it disturbs nothing else.
    std::thread::spawn(move || {
        let name = g.put_str(SCRATCH, "guest-name-that-is-long");
        assert_eq!(g.call(nr::PRCTL, &[SET_NAME, name]), 0);
        let out = SCRATCH + 0x100;
        assert_eq!(g.call(nr::PRCTL, &[GET_NAME, out]), 0);
        assert_eq!(g.bytes(out, 16), b"guest-name-that\0");
        let comm = std::fs::read_to_string("/proc/thread-self/comm").unwrap();
        assert_eq!(comm.trim_end(), "guest-name-that");
        assert_eq!(g.call(nr::PRCTL, &[SET_NAME, UNMAPPED]), EFAULT);
        assert_eq!(g.call(nr::PRCTL, &[GET_NAME, UNMAPPED]), EFAULT);
        assert_eq!(g.call(nr::PRCTL, &[0x5356_4d41, 0]), EINVAL);
        assert_eq!(g.call(nr::PRCTL, &[3]), 1, "PR_GET_DUMPABLE");
    })
    .join()
    .unwrap();
}

#[test]
fn sched_queries_probes_and_hwprobe() {
    let mut g = Guest::new();
    assert_eq!(
        g.call(nr::SCHED_GETSCHEDULER, &[0]),
        libc::SCHED_OTHER as i64
    );
    g.mem.write(SCRATCH, 7i32.to_le_bytes()).unwrap();
    assert_eq!(g.call(nr::SCHED_GETPARAM, &[0, SCRATCH]), 0);
    assert_eq!(g.u32_at(SCRATCH), 0);
    assert_eq!(g.call(nr::SCHED_GETPARAM, &[0, 0]), EINVAL);
    assert_eq!(g.call(nr::SCHED_GETPARAM, &[0, UNMAPPED]), EFAULT);
    let enosys = -(libc::ENOSYS as i64);
    assert_eq!(g.call(nr::RSEQ, &[SCRATCH, 32, 0, 0]), enosys);
    // riscv_hwprobe answers: key 4 (IMA_EXT_0) has Zbb (bit 4) and V (bit 2).
    g.mem.write(SCRATCH, 4i64.to_le_bytes()).unwrap();
    assert_eq!(g.call(nr::RISCV_HWPROBE, &[SCRATCH, 1, 0, 0, 0]), 0);
    let ext = u64::from_le_bytes(g.mem.read(SCRATCH + 8).unwrap());
    assert_eq!(ext & (1 << 4 | 1 << 2), 1 << 4 | 1 << 2);
}
