//! Signal delivery and the signal calls: queue order, forced traps, the frame a handler
//! sees, `rt_sigreturn`, the alternate stack, and restart-or-EINTR after an interrupt.

use super::*;
use crate::layout::SIGNAL_TRAMPOLINE;
use crate::signal::{bit, code, frame, sa, SigInfo};
use crate::syscall::numbers as nr;
use vm_engine::cpu::abi;

const HANDLER: u64 = 0x40_0000;
const USR1: i32 = libc::SIGUSR1;
const USR2: i32 = libc::SIGUSR2;

/// Installs a handler for `sig` with `flags` and `mask` through `rt_sigaction`.
fn handle(g: &mut Guest, sig: i32, flags: u64, mask: u64) {
    let act = SCRATCH + 0x100;
    g.mem.write_u64(act, HANDLER + sig as u64).unwrap();
    g.mem.write_u64(act + 8, flags).unwrap();
    g.mem.write_u64(act + 16, mask).unwrap();
    assert_eq!(g.call(nr::RT_SIGACTION, &[sig as u64, act, 0, 8]), 0);
}

/// A guest about to run at `pc` with its stack at the top of the scratch pages.
fn running_guest() -> Guest {
    let mut g = Guest::new();
    g.cpu.pc = 0x1_0000;
    g.cpu
        .set_x(abi::SP, SCRATCH + SCRATCH_PAGES * PAGE_SIZE - 0x40);
    for i in 1..32 {
        if i != abi::SP {
            g.cpu.set_x(i, 0x1000 + i as u64);
        }
        g.cpu.set_f(i, 0x4000_0000_0000_0000 + i as u64);
    }
    g.cpu.fcsr = 0x41;
    g
}

#[test]
fn synchronous_signals_go_first_then_the_lowest_number() {
    let mut g = Guest::new();
    for sig in [libc::SIGTERM, USR2, libc::SIGSEGV, USR1] {
        g.state.signals.enqueue(SigInfo::new(sig, 0));
    }
    let s = &mut g.state.signals;
    let order: Vec<i32> = std::iter::from_fn(|| {
        let sig = s.next_deliverable()?;
        s.dequeue(sig);
        Some(sig)
    })
    .collect();
    assert_eq!(order, [libc::SIGSEGV, USR1, USR2, libc::SIGTERM]);
    // Real-time signals queue each instance; standard ones coalesce.
    for _ in 0..3 {
        s.enqueue(SigInfo::new(40, 0));
        s.enqueue(SigInfo::new(USR1, 0));
    }
    assert_eq!(s.pending().len(), 4);
}

#[test]
fn a_forced_trap_overrides_blocking_and_ignoring() {
    let mut g = running_guest();
    handle(&mut g, libc::SIGSEGV, 0, 0);
    g.state.signals.set_blocked(bit(libc::SIGSEGV));
    g.state
        .signals
        .force(SigInfo::fault(libc::SIGSEGV, code::SEGV_MAPERR, 8));
    assert_eq!(g.state.signals.blocked, 0);
    assert_eq!(
        g.deliver(),
        Some(libc::SIGSEGV),
        "reset to the default: fatal"
    );
    // Not blocked: the handler runs.
    handle(&mut g, libc::SIGILL, 0, 0);
    g.state
        .signals
        .force(SigInfo::fault(libc::SIGILL, code::ILL_ILLOPC, 0x1_0000));
    assert_eq!(g.deliver(), None);
    assert_eq!(g.cpu.pc, HANDLER + libc::SIGILL as u64);
}

#[test]
fn a_handler_gets_the_linux_frame_and_sigreturn_restores_everything() {
    let mut g = running_guest();
    let before = g.cpu.clone();
    handle(&mut g, USR1, sa::SIGINFO, bit(USR2));
    g.state.signals.set_blocked(bit(libc::SIGHUP));
    g.state
        .signals
        .enqueue(SigInfo::from_process(USR1, code::SI_USER, 77, 1000));
    assert_eq!(g.deliver(), None);
    let sp = g.cpu.x(abi::SP);
    assert_eq!(sp % 16, 0);
    assert!(sp + frame::FRAME_SIZE <= before.x(abi::SP));
    assert_eq!(g.cpu.pc, HANDLER + USR1 as u64);
    assert_eq!(g.cpu.x(abi::RA), SIGNAL_TRAMPOLINE);
    assert_eq!(g.cpu.x(abi::A0), USR1 as u64);
    assert_eq!(g.cpu.x(abi::A0 + 1), sp);
    assert_eq!(g.cpu.x(abi::A0 + 2), sp + 128);
    // The handler runs with its sa_mask and its own signal blocked, on top of the mask.
    assert_eq!(
        g.state.signals.blocked,
        bit(libc::SIGHUP) | bit(USR1) | bit(USR2)
    );
    // The frame in Linux's layout: siginfo, then ucontext with the mask at 40 and the
    // registers (pc first) at 176, FP registers at 176 + 256, fcsr after them.
    assert_eq!(g.u32_at(sp), USR1 as u32);
    assert_eq!(g.u32_at(sp + 16), 77);
    let uc = sp + 128;
    assert_eq!(g.u64_at(uc + 40), bit(libc::SIGHUP));
    assert_eq!(g.u64_at(uc + 176), before.pc);
    assert_eq!(g.u64_at(uc + 176 + 8), before.x(1));
    assert_eq!(g.u64_at(uc + 176 + 31 * 8), before.x(31));
    assert_eq!(g.u64_at(uc + 176 + 256 + 5 * 8), before.f(5));
    assert_eq!(g.u32_at(uc + 176 + 512), 0x41);
    assert_eq!(g.u32_at(uc + 16 + 8), crate::signal::ss::DISABLE);
    // The handler clobbers registers, then returns through the trampoline.
    g.cpu.set_x(9, 0xdead);
    g.cpu.set_f(9, 0xbeef);
    g.cpu.fcsr = 0;
    g.cpu.pc = SIGNAL_TRAMPOLINE + 4;
    assert_eq!(g.outcome(nr::RT_SIGRETURN, &[]), SyscallOutcome::Resume);
    assert_eq!(g.cpu.regs, before.regs);
    assert_eq!((g.cpu.pc, g.cpu.fcsr), (before.pc, before.fcsr));
    assert_eq!(g.state.signals.blocked, bit(libc::SIGHUP));
}

/// A guest that has used the vector unit: `vsetvli` to e32/m2 with vl 5, a non-zero
/// vstart, vxrm 2 and vxsat set, and every register byte distinct.
fn vector_guest() -> Guest {
    let mut g = running_guest();
    let v = &mut g.cpu.vector;
    for (i, b) in v.regs.iter_mut().enumerate() {
        *b = (i * 7 + 1) as u8;
    }
    v.vtype = 0x51; // e32, m2, ta
    v.vl = 5;
    v.vstart = 3;
    v.vxrm = 2;
    v.vxsat = 1;
    g
}

#[test]
fn a_thread_that_used_the_vector_unit_gets_linux_s_vector_context() {
    let mut g = vector_guest();
    let before = g.cpu.clone();
    handle(&mut g, USR1, sa::SIGINFO, 0);
    g.state.signals.enqueue(SigInfo::new(USR1, code::SI_USER));
    assert_eq!(g.deliver(), None);
    let sp = g.cpu.x(abi::SP);
    // Linux's get_rt_frame_size: sizeof(struct rt_sigframe) = 1088, plus the vector
    // context (8 + 48 + 32 * vlenb = 568), rounded up to 16.
    assert_eq!(frame::size(true), 1664);
    assert_eq!(sp, (before.x(abi::SP) - 1664) & !0xf);
    // uapi asm/sigcontext.h: sc_extdesc.reserved at sc_fpregs + 516 is zero, the
    // __riscv_ctx_hdr at + 520 is RISCV_V_MAGIC with size 568, then
    // struct __riscv_v_ext_state (vstart, vl, vtype, vcsr, vlenb, datap), then datap's
    // registers, then the END header.
    let mc = sp + 128 + 176;
    let hdr = mc + 256 + 520;
    assert_eq!(g.u32_at(mc + 256 + 516), 0);
    assert_eq!(g.u32_at(hdr), 0x5346_5457);
    assert_eq!(g.u32_at(hdr + 4), 568);
    let state = hdr + 8;
    assert_eq!(g.u64_at(state), 3, "vstart");
    assert_eq!(g.u64_at(state + 8), 5, "vl");
    assert_eq!(g.u64_at(state + 16), 0x51, "vtype");
    assert_eq!(g.u64_at(state + 24), 2 << 1 | 1, "vcsr");
    assert_eq!(g.u64_at(state + 32), 16, "vlenb");
    let datap = g.u64_at(state + 40);
    assert_eq!(datap, state + 48);
    assert_eq!(datap % 16, 0);
    let data = g.mem.slice(datap, 512).unwrap().to_vec();
    assert_eq!(data[..], before.vector.regs[..]);
    assert_eq!((g.u32_at(hdr + 568), g.u32_at(hdr + 572)), (0, 0));
    // The handler changes the whole vector state; sigreturn brings it back.
    g.cpu.vector = vm_vector::VectorState::default();
    g.cpu.vector.regs.fill(0xff);
    g.cpu.pc = SIGNAL_TRAMPOLINE + 4;
    assert_eq!(g.outcome(nr::RT_SIGRETURN, &[]), SyscallOutcome::Resume);
    assert_eq!(g.cpu.vector, before.vector);
    assert_eq!(g.cpu.regs, before.regs);
}

#[test]
fn a_thread_that_never_used_the_vector_unit_gets_the_plain_frame() {
    let mut g = running_guest();
    let top = g.cpu.x(abi::SP);
    handle(&mut g, USR1, sa::SIGINFO, 0);
    g.state.signals.enqueue(SigInfo::new(USR1, code::SI_USER));
    assert_eq!(g.deliver(), None);
    let sp = g.cpu.x(abi::SP);
    assert_eq!(sp, (top - 1088) & !0xf);
    let hdr = sp + 128 + 176 + 256 + 520;
    assert_eq!(
        (g.u32_at(hdr), g.u32_at(hdr + 4)),
        (0, 0),
        "END header first"
    );
    // A handler's vector state survives a frame without a vector context (Linux only
    // restores what the frame holds).
    g.cpu.vector.vl = 4;
    g.cpu.vector.vtype = 0x10;
    let handler_state = g.cpu.vector.clone();
    g.cpu.pc = SIGNAL_TRAMPOLINE + 4;
    assert_eq!(g.outcome(nr::RT_SIGRETURN, &[]), SyscallOutcome::Resume);
    assert_eq!(g.cpu.vector, handler_state);
}

#[test]
fn sigreturn_restores_the_vector_state_as_the_frame_says() {
    let mut g = vector_guest();
    handle(&mut g, USR1, sa::SIGINFO, 0);
    g.state.signals.enqueue(SigInfo::new(USR1, code::SI_USER));
    assert_eq!(g.deliver(), None);
    let sp = g.cpu.x(abi::SP);
    let state = sp + 128 + 176 + 256 + 520 + 8;
    // The handler edits the saved state: registers from another buffer (datap is
    // followed), a vl past VLMAX (vsetvl clamps it), vstart past its 7 bits.
    let other = SCRATCH + 0x800;
    g.mem.write_bytes(other, &[0x5a; 512]).unwrap();
    g.mem.write_u64(state + 40, other).unwrap();
    g.mem.write_u64(state + 8, 100).unwrap();
    g.mem.write_u64(state, 0x185).unwrap();
    g.mem.write_u64(state + 24, 0xff).unwrap();
    g.cpu.pc = SIGNAL_TRAMPOLINE + 4;
    assert_eq!(g.outcome(nr::RT_SIGRETURN, &[]), SyscallOutcome::Resume);
    let v = &g.cpu.vector;
    assert!(v.regs.iter().all(|&b| b == 0x5a));
    assert_eq!((v.vl, v.vtype, v.vstart), (8, 0x51, 0x05));
    assert_eq!((v.vxrm, v.vxsat), (3, 1));
    // An unsupported vtype restores as vill with vl 0, as vsetvl sets it.
    g.state.signals.enqueue(SigInfo::new(USR1, code::SI_USER));
    assert_eq!(g.deliver(), None);
    let state = g.cpu.x(abi::SP) + 128 + 176 + 256 + 520 + 8;
    g.mem.write_u64(state + 16, 0x4).unwrap();
    g.cpu.pc = SIGNAL_TRAMPOLINE + 4;
    assert_eq!(g.outcome(nr::RT_SIGRETURN, &[]), SyscallOutcome::Resume);
    assert_eq!((g.cpu.vector.vl, g.cpu.vector.vtype), (0, 1 << 63));
}

#[test]
fn sigreturn_refuses_extension_contexts_linux_refuses() {
    // (offset from the first header, value) pairs that make the frame invalid.
    let cases: [(i64, u32); 4] = [
        (-4, 1),      // sc_extdesc.reserved not zero
        (0, 0x1234),  // unknown magic
        (4, 560),     // vector context of the wrong size
        (568 + 4, 8), // END header with a size
    ];
    for (offset, value) in cases {
        let mut g = vector_guest();
        handle(&mut g, USR1, sa::SIGINFO, 0);
        g.state.signals.enqueue(SigInfo::new(USR1, code::SI_USER));
        assert_eq!(g.deliver(), None);
        let hdr = g.cpu.x(abi::SP) + 128 + 176 + 256 + 520;
        g.mem
            .write_bytes(hdr.wrapping_add_signed(offset), &value.to_le_bytes())
            .unwrap();
        g.cpu.pc = SIGNAL_TRAMPOLINE + 4;
        g.outcome(nr::RT_SIGRETURN, &[]);
        assert_eq!(
            g.state.signals.next_deliverable(),
            Some(libc::SIGSEGV),
            "offset {offset} value {value:#x}"
        );
    }
}

#[test]
fn the_trampoline_is_rt_sigreturn() {
    // `li a7, 139; ecall`, the bytes unwinders look for.
    let [li, ecall] = frame::TRAMPOLINE;
    assert_eq!(li & 0x7f, 0x13);
    assert_eq!((li >> 7) & 0x1f, abi::A7);
    assert_eq!(li >> 20, nr::RT_SIGRETURN as u32);
    assert_eq!(ecall, 0x73);
}

#[test]
fn nested_handlers_and_handler_flags() {
    let mut g = running_guest();
    // USR2 first (lowest is USR1=10, USR2=12): both unblocked, so both frames are set up
    // and USR2's, set up last, runs first.
    handle(&mut g, USR1, 0, 0);
    handle(&mut g, USR2, sa::NODEFER | sa::RESETHAND, 0);
    g.state.signals.enqueue(SigInfo::new(USR2, 0));
    g.state.signals.enqueue(SigInfo::new(USR1, 0));
    let sp0 = g.cpu.x(abi::SP);
    assert_eq!(g.deliver(), None);
    assert_eq!(g.cpu.pc, HANDLER + USR2 as u64);
    let outer = g.u64_at(g.cpu.x(abi::SP) + 128 + 176);
    assert_eq!(
        outer,
        HANDLER + USR1 as u64,
        "USR2's frame returns into USR1's handler"
    );
    assert!(g.cpu.x(abi::SP) + 2 * frame::FRAME_SIZE <= sp0);
    // NODEFER: USR2 not blocked in its own handler; RESETHAND: back to the default.
    assert_eq!(g.state.signals.blocked, bit(USR1));
    assert_eq!(g.state.signals.action(USR2).handler, 0);
}

#[test]
fn the_alternate_stack_is_used_once_and_autodisarm_clears_it() {
    let mut g = running_guest();
    let alt = SCRATCH + 0x2000;
    let ss = SCRATCH + 0x200;
    g.mem.write_u64(ss, alt).unwrap();
    g.mem
        .write_u64(ss + 8, (crate::signal::ss::AUTODISARM) as u64)
        .unwrap();
    g.mem.write_u64(ss + 16, 0x2000).unwrap();
    assert_eq!(g.call(nr::SIGALTSTACK, &[ss, 0]), 0);
    handle(&mut g, USR1, sa::ONSTACK, 0);
    g.state.signals.enqueue(SigInfo::new(USR1, 0));
    assert_eq!(g.deliver(), None);
    let sp = g.cpu.x(abi::SP);
    assert!(sp >= alt && sp + frame::FRAME_SIZE <= alt + 0x2000);
    // Auto-disarmed inside the handler; the frame remembers it and sigreturn re-arms it.
    assert_eq!(g.state.signals.altstack.size, 0);
    assert_eq!(g.outcome(nr::RT_SIGRETURN, &[]), SyscallOutcome::Resume);
    assert_eq!(g.state.signals.altstack.sp, alt);
    // Too small, bad flags, EFAULT.
    g.mem.write_u64(ss + 8, 0).unwrap();
    g.mem.write_u64(ss + 16, 1024).unwrap();
    assert_eq!(g.call(nr::SIGALTSTACK, &[ss, 0]), ENOMEM);
    g.mem.write_u64(ss + 8, 7).unwrap();
    assert_eq!(g.call(nr::SIGALTSTACK, &[ss, 0]), EINVAL);
    assert_eq!(g.call(nr::SIGALTSTACK, &[UNMAPPED, 0]), EFAULT);
}

#[test]
fn an_unwritable_stack_kills_with_sigsegv() {
    let mut g = running_guest();
    g.cpu.set_x(abi::SP, UNMAPPED + 0x100);
    handle(&mut g, USR1, 0, 0);
    g.state.signals.enqueue(SigInfo::new(USR1, 0));
    assert_eq!(g.deliver(), Some(libc::SIGSEGV));
}

#[test]
fn interrupted_calls_restart_or_fail_as_linux_decides() {
    use crate::signal::restart_after_interrupt;
    use crate::syscall::{ERESTARTNOHAND, ERESTARTSYS, ERESTART_RESTARTBLOCK};
    let mut g = running_guest();
    let ecall = g.cpu.pc;
    g.cpu.set_x(abi::A7, nr::NANOSLEEP);
    // No handler (a default-fatal signal, say): the call runs again; a sleep goes on
    // through restart_syscall.
    g.state.signals.enqueue(SigInfo::new(libc::SIGTERM, 0));
    restart_after_interrupt(&mut g.state.signals, &mut g.cpu, ERESTARTSYS);
    assert_eq!(g.cpu.pc, ecall);
    assert_eq!(g.cpu.x(abi::A7), nr::NANOSLEEP);
    restart_after_interrupt(&mut g.state.signals, &mut g.cpu, ERESTART_RESTARTBLOCK);
    assert_eq!(g.cpu.pc, ecall);
    assert_eq!(g.cpu.x(abi::A7), nr::RESTART_SYSCALL);
    g.state.signals.clear_pending();
    // A handler with SA_RESTART restarts ERESTARTSYS calls but not ERESTARTNOHAND or
    // ERESTART_RESTARTBLOCK ones.
    handle(&mut g, USR1, sa::RESTART, 0);
    g.state.signals.enqueue(SigInfo::new(USR1, 0));
    restart_after_interrupt(&mut g.state.signals, &mut g.cpu, ERESTARTSYS);
    assert_eq!(g.cpu.pc, ecall);
    restart_after_interrupt(&mut g.state.signals, &mut g.cpu, ERESTARTNOHAND);
    assert_eq!(g.cpu.pc, ecall + 4);
    assert_eq!(g.cpu.x(abi::A0) as i64, -(libc::EINTR as i64));
    g.cpu.pc = ecall;
    restart_after_interrupt(&mut g.state.signals, &mut g.cpu, ERESTART_RESTARTBLOCK);
    assert_eq!(g.cpu.pc, ecall + 4);
    // Without SA_RESTART: EINTR.
    g.cpu.pc = ecall;
    handle(&mut g, USR1, 0, 0);
    restart_after_interrupt(&mut g.state.signals, &mut g.cpu, ERESTARTSYS);
    assert_eq!(g.cpu.pc, ecall + 4);
}

#[test]
fn restart_syscall_sleeps_until_the_interrupted_sleep_s_deadline() {
    use crate::syscall::Restart;
    let mut g = running_guest();
    // Nothing to restart: EINTR, as Linux's default restart function.
    assert_eq!(g.call(nr::RESTART_SYSCALL, &[]), -(libc::EINTR as i64));
    let now = || {
        let mut t = libc::timespec {
            tv_sec: 0,
            tv_nsec: 0,
        };
        // SAFETY: `t` is a valid timespec.
        unsafe { libc::clock_gettime(libc::CLOCK_MONOTONIC, &mut t) };
        (t.tv_sec, t.tv_nsec)
    };
    // A deadline 30 ms from now: the call returns 0 once it passed, not before.
    let (sec, nsec) = now();
    let deadline = libc::timespec {
        tv_sec: sec + (nsec + 30_000_000) / 1_000_000_000,
        tv_nsec: (nsec + 30_000_000) % 1_000_000_000,
    };
    g.state.restart = Some(Restart::Sleep {
        clock: libc::CLOCK_MONOTONIC,
        deadline,
        rem: 0,
    });
    assert_eq!(g.call(nr::RESTART_SYSCALL, &[]), 0);
    assert!(now() >= (deadline.tv_sec, deadline.tv_nsec));
    // Used up: a second call has nothing to restart.
    assert_eq!(g.call(nr::RESTART_SYSCALL, &[]), -(libc::EINTR as i64));
}

#[test]
fn sigsuspend_and_sigtimedwait_take_pending_signals() {
    let mut g = running_guest();
    handle(&mut g, USR1, 0, 0);
    g.state.signals.set_blocked(bit(USR1));
    g.state.signals.enqueue(SigInfo::new(USR1, code::SI_TKILL));
    // sigsuspend with an empty mask: USR1 is deliverable at once; the frame saves the
    // old mask, which comes back after the handler.
    g.mem.write_u64(SCRATCH, 0).unwrap();
    assert_eq!(
        g.call(nr::RT_SIGSUSPEND, &[SCRATCH, 8]),
        -(crate::syscall::ERESTARTNOHAND as i64)
    );
    restart_after_interrupt_then_deliver(&mut g);
    assert_eq!(g.cpu.pc, HANDLER + USR1 as u64);
    assert_eq!(g.u64_at(g.cpu.x(abi::SP) + 128 + 40), bit(USR1));
    // sigtimedwait dequeues without running a handler, with the siginfo.
    let mut g = running_guest();
    g.state.signals.set_blocked(bit(USR2));
    g.state.signals.enqueue(SigInfo::new(USR2, code::SI_QUEUE));
    g.mem.write_u64(SCRATCH, bit(USR2)).unwrap();
    let info = SCRATCH + 0x400;
    assert_eq!(
        g.call(nr::RT_SIGTIMEDWAIT, &[SCRATCH, info, 0, 8]),
        USR2 as i64
    );
    assert_eq!(g.u32_at(info + 8) as i32, code::SI_QUEUE);
    let zero = SCRATCH + 0x80;
    g.mem.write_u64(zero, 0).unwrap();
    g.mem.write_u64(zero + 8, 0).unwrap();
    assert_eq!(
        g.call(nr::RT_SIGTIMEDWAIT, &[SCRATCH, info, zero, 8]),
        -(libc::EAGAIN as i64)
    );
    assert_eq!(
        g.call(nr::RT_SIGTIMEDWAIT, &[SCRATCH, info, zero, 4]),
        EINVAL
    );
}

#[test]
fn sigtimedwait_with_the_longest_timeout_is_not_a_panic() {
    // Found by the system-call fuzzer: now + 2^63 seconds overflowed `Instant`.
    let mut g = running_guest();
    g.state.signals.set_blocked(bit(USR2));
    g.state.signals.enqueue(SigInfo::new(USR2, code::SI_QUEUE));
    g.mem.write_u64(SCRATCH, bit(USR2)).unwrap();
    let ts = SCRATCH + 0x80;
    g.mem.write_u64(ts, i64::MAX as u64).unwrap();
    g.mem.write_u64(ts + 8, 999_999_999).unwrap();
    assert_eq!(
        g.call(nr::RT_SIGTIMEDWAIT, &[SCRATCH, 0, ts, 8]),
        USR2 as i64
    );
}

fn restart_after_interrupt_then_deliver(g: &mut Guest) {
    let code = crate::syscall::ERESTARTNOHAND;
    crate::signal::restart_after_interrupt(&mut g.state.signals, &mut g.cpu, code);
    assert_eq!(g.deliver(), None);
}

#[test]
fn sigqueueinfo_may_not_impersonate_the_kernel_for_others() {
    let mut g = Guest::new();
    let info = SCRATCH + 0x400;
    g.mem.write_bytes(info, &[0u8; 128]).unwrap();
    g.mem.write(info + 8, code::SI_USER.to_le_bytes()).unwrap();
    // To another process: EPERM with a non-negative si_code...
    assert_eq!(
        g.call(nr::RT_SIGQUEUEINFO, &[0x7fff_fff0, USR1 as u64, info]),
        -(libc::EPERM as i64)
    );
    // ...to itself, queued with the signal number filled in.
    let pid = std::process::id() as u64;
    assert_eq!(g.call(nr::RT_SIGQUEUEINFO, &[pid, USR1 as u64, info]), 0);
    assert_eq!(g.state.signals.pending()[0].signo(), USR1);
}

#[test]
fn signalfd_siginfo_copies_the_fields_of_the_signals_layout() {
    // SIGCHLD from the kernel: pid, uid, status, times.
    let mut chld = SigInfo::from_process(libc::SIGCHLD, 1, 1234, 1000);
    chld.0[24..28].copy_from_slice(&7i32.to_le_bytes());
    chld.0[32..40].copy_from_slice(&5u64.to_le_bytes());
    chld.0[40..48].copy_from_slice(&6u64.to_le_bytes());
    let s = chld.to_signalfd();
    let u32_at = |b: &[u8; 128], o: usize| u32::from_le_bytes(b[o..o + 4].try_into().unwrap());
    let u64_at = |b: &[u8; 128], o: usize| u64::from_le_bytes(b[o..o + 8].try_into().unwrap());
    assert_eq!(u32_at(&s, 0), libc::SIGCHLD as u32);
    assert_eq!(u32_at(&s, 8), 1, "ssi_code");
    assert_eq!(
        (u32_at(&s, 12), u32_at(&s, 16)),
        (1234, 1000),
        "ssi_pid, ssi_uid"
    );
    assert_eq!(u32_at(&s, 40), 7, "ssi_status");
    assert_eq!(
        (u64_at(&s, 56), u64_at(&s, 64)),
        (5, 6),
        "ssi_utime, ssi_stime"
    );
    // A timer's signal: timer id as ssi_tid, overrun, value as ssi_int and ssi_ptr.
    let mut timer = SigInfo::timer(USR1, 3, 0x1_0000_002a);
    timer.set_timer_overrun(2);
    let s = timer.to_signalfd();
    assert_eq!(
        (u32_at(&s, 24), u32_at(&s, 32)),
        (3, 2),
        "ssi_tid, ssi_overrun"
    );
    assert_eq!((u32_at(&s, 44), u64_at(&s, 48)), (0x2a, 0x1_0000_002a));
    assert_eq!(u32_at(&s, 12), 0, "no ssi_pid for a timer");
    // A fault: the address only.
    let s = SigInfo::fault(libc::SIGSEGV, code::SEGV_MAPERR, 0xdead_beef).to_signalfd();
    assert_eq!(u64_at(&s, 72), 0xdead_beef);
    assert_eq!(u32_at(&s, 12), 0);
}

#[test]
fn a_signalfd_reads_blocked_signals_and_polls_readable_while_one_is_pending() {
    let mut g = Guest::new();
    let set = SCRATCH + 0x100;
    g.mem.write_u64(set, bit(USR2)).unwrap();
    assert_eq!(
        g.call(nr::RT_SIGPROCMASK, &[libc::SIG_BLOCK as u64, set, 0, 8]),
        0
    );
    let nonblock = libc::O_NONBLOCK as u64;
    assert_eq!(
        g.call(nr::SIGNALFD4, &[-1i64 as u64, set, 4, nonblock]),
        EINVAL
    );
    let fd = g.call(nr::SIGNALFD4, &[-1i64 as u64, set, 8, nonblock]);
    assert!(fd >= 0, "{fd}");
    let readable = |fd: i64| {
        let mut p = libc::pollfd {
            fd: fd as i32,
            events: libc::POLLIN,
            revents: 0,
        };
        // SAFETY: one valid pollfd, no waiting.
        unsafe { libc::poll(&mut p, 1, 0) == 1 }
    };
    let buf = SCRATCH + 0x1000;
    let eagain = -(libc::EAGAIN as i64);
    assert_eq!(g.call(nr::READ, &[fd as u64, buf, 128]), eagain);
    assert!(!readable(fd));
    g.state
        .signals
        .enqueue(SigInfo::from_process(USR2, code::SI_USER, 77, 0));
    assert!(readable(fd));
    assert_eq!(g.call(nr::READ, &[fd as u64, buf, 127]), EINVAL);
    assert_eq!(g.call(nr::READ, &[fd as u64, buf, 300]), 128);
    assert_eq!(g.u32_at(buf), USR2 as u32);
    assert_eq!(g.u32_at(buf + 12), 77, "ssi_pid");
    assert!(!readable(fd));
    assert_eq!(g.call(nr::READ, &[fd as u64, buf, 128]), eagain);
    assert_eq!(g.call(nr::WRITE, &[fd as u64, buf, 8]), EINVAL);
    assert_eq!(g.call(nr::CLOSE, &[fd as u64]), 0);
    assert!(!crate::signal::signalfd::is_signalfd(fd as i32));
}
