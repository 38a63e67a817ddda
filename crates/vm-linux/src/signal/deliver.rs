//! Delivery: acting on pending signals at a safe point, as Linux does on the way back to
//! user mode (`get_signal` + `handle_signal`).

use super::frame::{self, Context, SavedStack, UCONTEXT};
use super::{
    bit, code, default_action, host, sa, ss, AltStack, DefaultAction, SigAction, SigInfo, Signals,
    UNBLOCKABLE,
};
use crate::syscall::numbers as nr;
use crate::syscall::{ERESTARTSYS, ERESTART_RESTARTBLOCK};
use vm_engine::cpu::abi;
use vm_engine::CpuState;
use vm_ir::GuestAddr;
use vm_memory::{GuestMemory, MemFault};

/// Acts on every deliverable pending signal: ignores, stops, or sets up a handler frame
/// (each further handler's frame nests on the previous one, so the last set up runs
/// first, as on Linux). Returns the signal that terminates the process, if one does.
/// `trampoline` is the guest address of the `rt_sigreturn` trampoline.
pub fn deliver_pending(
    signals: &mut Signals,
    mem: &GuestMemory,
    cpu: &mut CpuState,
    trampoline: GuestAddr,
) -> Option<SigInfo> {
    deliver_pending_observed(signals, mem, cpu, trampoline, &mut |_, _| true)
}

/// [`deliver_pending`], showing each signal to `observe` (a debugger) as it is taken
/// from the pending set, before anything acts on it; a signal `observe` refuses is
/// discarded, as a ptrace tracer may discard it.
pub fn deliver_pending_observed(
    signals: &mut Signals,
    mem: &GuestMemory,
    cpu: &mut CpuState,
    trampoline: GuestAddr,
    observe: &mut dyn FnMut(&SigInfo, &mut CpuState) -> bool,
) -> Option<SigInfo> {
    signals.collect_host();
    if signals.pending_set() == 0 && signals.saved_mask.is_none() {
        // The common case, after every system call: nothing to do.
        return None;
    }
    while let Some(sig) = signals.next_deliverable() {
        let Some(info) = signals.dequeue(sig) else {
            break;
        };
        if !observe(&info, cpu) {
            continue;
        }
        crate::strace::signal(&info);
        let action = signals.action(sig);
        match action.handler {
            SigAction::SIG_IGN => continue,
            SigAction::SIG_DFL => match default_action(sig) {
                DefaultAction::Terminate => return Some(info),
                DefaultAction::Ignore | DefaultAction::Continue => continue,
                DefaultAction::Stop => {
                    host::stop_self(sig);
                    continue;
                }
            },
            _ => {}
        }
        if action.flags & sa::RESETHAND != 0 {
            signals.reset_action(sig);
        }
        if let Err(fault) = setup_frame(signals, mem, cpu, &info, &action, trampoline) {
            // Linux's force_sigsegv: a SIGSEGV whose own frame cannot be written kills.
            tracing::info!("cannot write the frame for signal {sig}: {fault}");
            if sig == libc::SIGSEGV {
                signals.reset_action(sig);
            }
            signals.force(SigInfo::new(libc::SIGSEGV, code::SI_KERNEL));
        }
    }
    if let Some(mask) = signals.saved_mask.take() {
        signals.blocked = mask;
    }
    signals.publish();
    None
}

/// Writes the frame for `info` and points the thread at the handler.
fn setup_frame(
    signals: &mut Signals,
    mem: &GuestMemory,
    cpu: &mut CpuState,
    info: &SigInfo,
    action: &SigAction,
    trampoline: GuestAddr,
) -> Result<(), MemFault> {
    let sig = info.signo();
    let sp = cpu.x(abi::SP);
    let alt = signals.altstack;
    let on_alt = alt.contains(sp);
    let top = if action.flags & sa::ONSTACK != 0 && alt.size != 0 && !on_alt {
        alt.sp + alt.size
    } else {
        sp
    };
    // The vector context, for a thread that has used the unit (see `frame`).
    let vector = crate::vector_ext::unit_used(&cpu.vector).then(|| cpu.vector.clone());
    let frame = top.wrapping_sub(frame::size(vector.is_some())) & !0xf;
    if on_alt && !alt.contains(frame) {
        // The alternate stack overflowed.
        return Err(MemFault {
            addr: frame,
            access: vm_memory::Access::Write,
            kind: vm_memory::FaultKind::Unmapped,
        });
    }
    let ctx = Context {
        regs: std::array::from_fn(|i| if i == 0 { cpu.pc } else { cpu.x(i as u32) }),
        fregs: std::array::from_fn(|i| cpu.f(i as u32)),
        fcsr: cpu.fcsr,
        mask: signals.saved_mask.take().unwrap_or(signals.blocked),
        stack: SavedStack {
            sp: alt.sp,
            flags: alt.reported_flags(sp),
            size: alt.size,
        },
        vector,
    };
    frame::write(mem, frame, info, &ctx)?;
    if alt.flags & ss::AUTODISARM != 0 {
        signals.altstack = AltStack::default();
    }
    let mut blocked = signals.blocked | action.mask;
    if action.flags & sa::NODEFER == 0 {
        blocked |= bit(sig);
    }
    signals.blocked = blocked & !UNBLOCKABLE;
    cpu.pc = action.handler;
    cpu.set_x(abi::RA, trampoline);
    cpu.set_x(abi::SP, frame);
    cpu.set_x(abi::A0, sig as u64);
    cpu.set_x(abi::A0 + 1, frame);
    cpu.set_x(abi::A0 + 2, frame + UCONTEXT);
    cpu.reservation = None;
    Ok(())
}

/// After a blocking system call was interrupted by a signal (`-code` from the system
/// call layer: `ERESTARTSYS`, `ERESTARTNOHAND` or `ERESTART_RESTARTBLOCK`), decides as
/// Linux does between running the call again once the signal is handled (`pc` stays on
/// the `ecall`, `a0` keeps the first argument; for `ERESTART_RESTARTBLOCK` the call
/// becomes `restart_syscall`) and failing it with `EINTR`: it fails if a guest handler
/// will run, unless the code is `ERESTARTSYS` and the handler has `SA_RESTART`.
pub fn restart_after_interrupt(signals: &mut Signals, cpu: &mut CpuState, code: i32) {
    signals.collect_host();
    let handled = signals
        .next_deliverable()
        .map(|sig| signals.action(sig))
        .filter(SigAction::has_handler);
    match handled {
        Some(action) if code == ERESTARTSYS && action.flags & sa::RESTART != 0 => {}
        Some(_) => {
            cpu.set_x(abi::A0, -(libc::EINTR as i64) as u64);
            cpu.pc += 4;
        }
        None if code == ERESTART_RESTARTBLOCK => cpu.set_x(abi::A7, nr::RESTART_SYSCALL),
        None => {}
    }
}
