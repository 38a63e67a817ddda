use super::bpf::{codes::*, Insn, Program};
use super::*;

fn insn(code: u16, jt: u8, jf: u8, k: u32) -> Insn {
    Insn { code, jt, jf, k }
}

fn stmt(code: u16, k: u32) -> Insn {
    insn(code, 0, 0, k)
}

/// ERRNO `errno` for system call `nr`, ALLOW otherwise.
fn refuse(nr: u32, action: u32) -> Program {
    Program::new(vec![
        stmt(LD_W_ABS, 0),
        insn(JEQ_K, 0, 1, nr),
        stmt(RET_K, action),
        stmt(RET_K, ret::ALLOW),
    ])
    .expect("a valid program")
}

fn chain(progs: Vec<Program>) -> Arc<Filter> {
    match mode_from_filters(progs.into_iter().map(|p| (p, false)).collect()) {
        Mode::Filter(f) => f,
        _ => unreachable!("at least one filter"),
    }
}

#[test]
fn programs_linux_refuses_are_refused() {
    let ret = stmt(RET_K, 0);
    let bad: &[&[Insn]] = &[
        &[],
        &[stmt(LD_W_ABS, 0)],
        &[stmt(LD_W_ABS, 2), ret],
        &[stmt(LD_W_ABS, 64), ret],
        &[stmt(LD_B_ABS, 0), ret],
        &[stmt(LD_IND, 0), ret],
        &[stmt(JA, 1), ret],
        &[insn(JEQ_K, 1, 0, 0), ret],
        &[stmt(ALU_DIV_K, 0), ret],
        &[stmt(ALU_MOD_K, 3), ret],
        &[stmt(ALU_LSH_K, 32), ret],
        &[stmt(ST, 16), ret],
        &[stmt(LD_MEM, 0), ret],
        // Slot 0 is written on one path only.
        &[insn(JEQ_K, 0, 1, 0), stmt(ST, 0), stmt(LD_MEM, 0), ret],
        &[stmt(0xffff, 0), ret],
    ];
    for prog in bad {
        assert!(Program::new(prog.to_vec()).is_err(), "{prog:?}");
    }
    assert!(Program::new(vec![ret; bpf::MAX_INSNS + 1]).is_err());
    assert!(Program::new(vec![ret; bpf::MAX_INSNS]).is_ok());
}

#[test]
fn programs_run_over_seccomp_data() {
    let d = data(172, 0x1000, [0x1_0000_0007, 0, 0, 0, 0, 0]);
    let nr = Program::new(vec![stmt(LD_W_ABS, 0), stmt(RET_A, 0)]).unwrap();
    assert_eq!(nr.run(&d), 172);
    let arch = Program::new(vec![stmt(LD_W_ABS, 4), stmt(RET_A, 0)]).unwrap();
    assert_eq!(arch.run(&d), AUDIT_ARCH_RISCV64);
    let high = Program::new(vec![stmt(LD_W_ABS, 20), stmt(RET_A, 0)]).unwrap();
    assert_eq!(high.run(&d), 1);
    let len = Program::new(vec![stmt(LD_W_LEN, 0), stmt(RET_A, 0)]).unwrap();
    assert_eq!(len.run(&d), 64);
    // A division by a zero X ends the program with 0 (KILL_THREAD), as Linux's does.
    let div = Program::new(vec![stmt(ALU_DIV_X, 0), stmt(RET_K, ret::ALLOW)]).unwrap();
    assert_eq!(div.run(&d), 0);
    let stored = Program::new(vec![
        stmt(LD_W_ABS, 16),
        stmt(ST, 5),
        stmt(LD_MEM, 5),
        stmt(RET_A, 0),
    ])
    .unwrap();
    assert_eq!(stored.run(&d), 7);
}

#[test]
fn the_most_restrictive_action_wins_and_the_newest_on_a_tie() {
    let d = data(172, 0, [0; 6]);
    let f = chain(vec![
        refuse(172, ret::ERRNO | 1),
        refuse(172, ret::TRAP | 9),
        refuse(172, ret::ERRNO | 2),
        refuse(172, ret::ALLOW),
    ]);
    assert_eq!(run_filters(&f, &d).0, ret::TRAP | 9);
    let f = chain(vec![
        refuse(172, ret::ERRNO | 1),
        refuse(172, ret::ERRNO | 2),
    ]);
    assert_eq!(run_filters(&f, &d).0, ret::ERRNO | 2);
    let f = chain(vec![refuse(172, ret::LOG), refuse(172, ret::KILL_PROCESS)]);
    assert_eq!(action_of(run_filters(&f, &d).0), Action::KillProcess);
    assert_eq!(f.chain().count(), 2);
}

#[test]
fn actions_are_linuxs() {
    assert_eq!(action_of(ret::ERRNO | 5000), Action::Errno(4095));
    assert_eq!(action_of(ret::TRACE | 3), Action::Errno(libc::ENOSYS));
    assert_eq!(action_of(ret::USER_NOTIF), Action::Errno(libc::ENOSYS));
    assert_eq!(
        action_of(ret::KILL_THREAD),
        Action::KillThread(libc::SIGSYS)
    );
    assert_eq!(action_of(0x1234_0000), Action::KillProcess);
    assert_eq!(action_of(ret::LOG), Action::Allow);
}

#[test]
fn strict_mode_allows_four_calls() {
    let t = ThreadSeccomp::default();
    assert!(!t.is_on());
    t.set_mode(Mode::Strict);
    assert!(t.is_on());
    for nr in [63, 64, 93, 139] {
        assert_eq!(check(&t, nr, 0, [0; 6]), Action::Allow);
    }
    assert_eq!(check(&t, 94, 0, [0; 6]), Action::KillThread(libc::SIGKILL));
}

#[test]
fn filters_survive_the_trip_through_exec() {
    let mode = mode_from_filters(vec![
        (refuse(172, ret::ERRNO | 1), true),
        (refuse(173, ret::TRAP), false),
    ]);
    let words = encode_for_exec(&mode);
    assert_eq!(words.len(), 2);
    assert!(words[0].starts_with('l') && !words[1].starts_with('l'));
    let back: Vec<_> = words.iter().map(|w| decode_from_exec(w).unwrap()).collect();
    let Mode::Filter(f) = mode_from_filters(back) else {
        panic!("filters lost")
    };
    assert!(f.prev.as_ref().unwrap().log && !f.log);
    assert_eq!(f.prog, refuse(173, ret::TRAP));
    assert!(decode_from_exec("0600").is_err());
    assert!(decode_from_exec("zz00000000000000").is_err());
    // A word that decodes to a program Linux would refuse is refused.
    assert!(decode_from_exec("0000000000000000").is_err());
}
