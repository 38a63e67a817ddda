//! Process and thread lifetime: `exit`, `exit_group`, `set_tid_address`, `set_robust_list`.

use super::abi::ROBUST_LIST_HEAD_SIZE;
use super::{info, Errno, SysResult, SyscallOutcome};
use crate::state::ProcessState;
use vm_ir::GuestAddr;

/// `exit_group`: the process ends; the status's low 8 bits are what the parent sees.
pub fn exit_group(status: u64) -> SyscallOutcome {
    SyscallOutcome::Exit((status & 0xff) as i32)
}

/// `exit`: the calling thread ends (and the process with its last thread).
pub fn exit_thread(status: u64) -> SyscallOutcome {
    SyscallOutcome::ThreadExit((status & 0xff) as i32)
}

/// `riscv_flush_icache(start, end, flags)`: code was written; every thread (or with
/// `SYS_RISCV_FLUSH_ICACHE_LOCAL`, the caller's: vm does all) drops its translated code.
pub fn riscv_flush_icache(state: &mut ProcessState, flags: u64) -> SysResult {
    const LOCAL: u64 = 1;
    if flags & !LOCAL != 0 {
        return Err(Errno(libc::EINVAL));
    }
    state.signals.group.invalidate_code();
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
