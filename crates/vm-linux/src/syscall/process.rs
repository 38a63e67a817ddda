//! Process and thread lifetime: `exit`, `exit_group`, `set_tid_address`, `set_robust_list`.

use super::abi::ROBUST_LIST_HEAD_SIZE;
use super::{info, Errno, SysResult, SyscallOutcome};
use crate::code_changes::CodeChange;
use crate::state::ProcessState;
use vm_ir::GuestAddr;
use vm_memory::{GuestMemory, RegionKind};

/// `exit_group`: the process ends; the status's low 8 bits are what the parent sees.
pub fn exit_group(status: u64) -> SyscallOutcome {
    SyscallOutcome::Exit((status & 0xff) as i32)
}

/// `exit`: the calling thread ends (and the process with its last thread).
pub fn exit_thread(status: u64) -> SyscallOutcome {
    SyscallOutcome::ThreadExit((status & 0xff) as i32)
}

/// `riscv_flush_icache(start, end, flags)`: code in `[start, end)` was written; every
/// thread (with `SYS_RISCV_FLUSH_ICACHE_LOCAL` Linux promises only the caller; vm does
/// all) drops the code translated from there.
///
/// Linux flushes the whole instruction cache whatever the range, so a program may name
/// one address of bytes it wrote through another: where that can be, every translation
/// goes. That is when the range is empty, or touches memory that may be mapped at a
/// second address (anything but private anonymous memory: a JIT's writable and
/// executable views of one memfd, shared or file mappings).
pub fn riscv_flush_icache(
    state: &mut ProcessState,
    mem: &GuestMemory,
    start: GuestAddr,
    end: GuestAddr,
    flags: u64,
) -> SysResult {
    const LOCAL: u64 = 1;
    if flags & !LOCAL != 0 {
        return Err(Errno(libc::EINVAL));
    }
    let private = start < end
        && super::mem::regions_in(mem, start, end).iter().all(|r| {
            matches!(
                r.kind,
                RegionKind::Anonymous | RegionKind::Heap | RegionKind::Stack
            )
        });
    let change = if private {
        CodeChange::Range { start, end }
    } else {
        CodeChange::All
    };
    state.signals.group.invalidate_code(change);
    Ok(0)
}

pub fn set_tid_address(state: &mut ProcessState, tidptr: GuestAddr) -> SysResult {
    state.clear_child_tid = tidptr;
    info::gettid()
}

pub fn set_robust_list(state: &mut ProcessState, head: GuestAddr, len: u64) -> SysResult {
    if len != ROBUST_LIST_HEAD_SIZE {
        return Err(Errno(libc::EINVAL));
    }
    state.signals.thread.set_robust_list(head);
    Ok(0)
}
