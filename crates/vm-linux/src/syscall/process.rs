//! Process lifetime: `exit`, `exit_group`, `set_tid_address`, `set_robust_list`.

use super::abi::ROBUST_LIST_HEAD_SIZE;
use super::{info, Errno, SysResult, SyscallOutcome};
use crate::state::ProcessState;
use vm_ir::GuestAddr;

/// `exit` and `exit_group` (one thread, so the same): the status's low 8 bits, as the
/// parent sees them.
pub fn exit(status: u64) -> SyscallOutcome {
    SyscallOutcome::Exit((status & 0xff) as i32)
}

pub fn set_tid_address(state: &mut ProcessState, tidptr: GuestAddr) -> SysResult {
    state.clear_child_tid = tidptr;
    info::gettid()
}

pub fn set_robust_list(state: &mut ProcessState, head: GuestAddr, len: u64) -> SysResult {
    if len != ROBUST_LIST_HEAD_SIZE {
        return Err(Errno(libc::EINVAL));
    }
    state.robust_list = head;
    Ok(0)
}
