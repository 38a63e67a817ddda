//! Process and thread lifetime: `exit`, `exit_group`, `set_tid_address`,
//! `set_robust_list`, `get_robust_list`; and `kcmp`, comparing what processes share.

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

/// `get_robust_list(pid, head_ptr, len_ptr)`: the list a thread of this process
/// registered (0 is the caller). vm keeps guest lists itself, so another process's
/// (whose host list is its vm's) cannot be told: `ESRCH` if no such thread exists, else
/// `EPERM`, as Linux answers a caller not allowed to look.
pub fn get_robust_list(
    state: &ProcessState,
    mem: &GuestMemory,
    pid: i32,
    head_ptr: GuestAddr,
    len_ptr: GuestAddr,
) -> SysResult {
    let head = if pid == 0 {
        state.signals.thread.robust_list()
    } else if let Some(thread) = state.signals.group.member(pid) {
        thread.robust_list()
    } else {
        let (mut head, mut len) = (0u64, 0u64);
        // SAFETY: both pointers are host words the kernel writes.
        super::host(unsafe {
            host_syscall!(
                libc::SYS_get_robust_list,
                pid,
                &mut head as *mut u64,
                &mut len as *mut u64,
            )
        })?;
        return Err(Errno(libc::EPERM));
    };
    // Linux writes the length first.
    mem.write(len_ptr, ROBUST_LIST_HEAD_SIZE.to_le_bytes())?;
    mem.write(head_ptr, head.to_le_bytes())?;
    Ok(0)
}

/// The `kcmp` type whose second index is a pointer (`linux/kcmp.h`).
const KCMP_EPOLL_TFD: i32 = 7;

/// `kcmp(pid1, pid2, type, idx1, idx2)`, passed through: guest descriptors are host
/// descriptors, a guest process is a host process and its threads host threads sharing
/// what Linux's share (memory, descriptor table, file-system context, dispositions as
/// vm keeps them), so the host's answer is the guest's. Only `KCMP_EPOLL_TFD`'s
/// `struct kcmp_epoll_slot` (three `u32`s) is copied. One difference: a vfork child
/// is a forked process in vm, so `KCMP_VM` says it does not share its parent's memory.
pub fn kcmp(mem: &GuestMemory, pid1: i32, pid2: i32, kind: i32, idx1: u64, idx2: u64) -> SysResult {
    if kind == KCMP_EPOLL_TFD {
        let slot: [u8; 12] = mem.read(idx2)?;
        // SAFETY: `slot` is a 12-byte host `struct kcmp_epoll_slot` the kernel reads.
        return super::host(unsafe {
            host_syscall!(libc::SYS_kcmp, pid1, pid2, kind, idx1, slot.as_ptr())
        });
    }
    // SAFETY: the other types take integers (descriptor numbers) or nothing.
    super::host(unsafe { host_syscall!(libc::SYS_kcmp, pid1, pid2, kind, idx1, idx2) })
}
