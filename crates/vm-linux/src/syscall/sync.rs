//! `futex`, passed through to the host on the host address of the guest word, the
//! robust futex list a dying thread leaves behind, and `membarrier`.
//!
//! Guest memory is host memory (one reservation), so a guest futex word is a host futex
//! word: private futexes are keyed by the host process and address, shared ones (in a
//! `MAP_SHARED` file mapping) by the file and offset, exactly as the guest's would be.
//! Waiting and waking therefore behave as in Linux, also across processes and, once
//! guest threads run on host threads, between threads. For a single-threaded guest this
//! means: `FUTEX_WAIT` on a differing value is `EAGAIN`, on an equal value with a timeout
//! it sleeps and returns `ETIMEDOUT`, and without a timeout it blocks until another
//! process wakes it or a signal ends the process, just as Linux would (answering
//! `EAGAIN` instead would turn glibc's lock loops into busy loops).
//!
//! Guest words are checked first: a word the command reads must be readable, one it
//! writes (`FUTEX_WAKE_OP`'s second word, the PI lock word) writable, else `EFAULT`; a
//! misaligned word is `EINVAL`. Timeouts are copied to host `timespec`s. A host signal
//! interrupting a wait restarts it (no guest handler can have run), with the full
//! relative timeout again.

use super::abi::read_timespec;
use super::{host, host_call, interruptible, restarting, Errno, SysResult};
use crate::thread::ThreadGroup;
use vm_ir::GuestAddr;
use vm_memory::GuestMemory;

/// Futex commands and flags (`linux/futex.h`, the same on every architecture).
mod op {
    pub const WAIT: i32 = 0;
    pub const WAKE: i32 = 1;
    pub const REQUEUE: i32 = 3;
    pub const CMP_REQUEUE: i32 = 4;
    pub const WAKE_OP: i32 = 5;
    pub const LOCK_PI: i32 = 6;
    pub const UNLOCK_PI: i32 = 7;
    pub const TRYLOCK_PI: i32 = 8;
    pub const WAIT_BITSET: i32 = 9;
    pub const WAKE_BITSET: i32 = 10;
    pub const WAIT_REQUEUE_PI: i32 = 11;
    pub const CMP_REQUEUE_PI: i32 = 12;
    pub const LOCK_PI2: i32 = 13;
    pub const PRIVATE_FLAG: i32 = 128;
    pub const CLOCK_REALTIME: i32 = 256;
}

/// How a command uses one of its futex words.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Word {
    /// Not used.
    Unused,
    /// Only its address matters (waking, requeueing onto it).
    Key,
    /// The kernel reads it.
    Read,
    /// The kernel reads and writes it.
    Write,
}

/// The host pointer for a guest futex word used as `use_`.
fn host_word(mem: &GuestMemory, addr: GuestAddr, use_: Word) -> Result<*mut u32, Errno> {
    if use_ == Word::Unused {
        return Ok(std::ptr::null_mut());
    }
    if addr & 3 != 0 {
        return Err(Errno(libc::EINVAL));
    }
    let ptr = match use_ {
        Word::Write => mem.slice_mut(addr, 4)?.as_mut_ptr(),
        _ => mem.slice(addr, 4)?.as_ptr() as *mut u8,
    };
    Ok(ptr.cast())
}

#[allow(clippy::too_many_arguments)]
pub fn futex(
    mem: &GuestMemory,
    uaddr: GuestAddr,
    futex_op: i32,
    val: u32,
    timeout: u64,
    uaddr2: GuestAddr,
    val3: u32,
) -> SysResult {
    use op::*;
    let cmd = futex_op & !(PRIVATE_FLAG | CLOCK_REALTIME);
    let (w1, w2, has_timeout) = match cmd {
        WAIT | WAIT_BITSET => (Word::Read, Word::Unused, true),
        WAKE | WAKE_BITSET => (Word::Key, Word::Unused, false),
        REQUEUE => (Word::Key, Word::Key, false),
        CMP_REQUEUE => (Word::Read, Word::Key, false),
        WAKE_OP => (Word::Key, Word::Write, false),
        LOCK_PI | LOCK_PI2 => (Word::Write, Word::Unused, true),
        UNLOCK_PI | TRYLOCK_PI => (Word::Write, Word::Unused, false),
        WAIT_REQUEUE_PI => (Word::Read, Word::Write, true),
        CMP_REQUEUE_PI => (Word::Read, Word::Write, false),
        _ => return Err(Errno(libc::ENOSYS)),
    };
    let mut ts = if has_timeout && timeout != 0 {
        let ts = read_timespec(mem, timeout)?;
        if ts.tv_sec < 0 || !(0..1_000_000_000).contains(&ts.tv_nsec) {
            return Err(Errno(libc::EINVAL));
        }
        Some(ts)
    } else {
        None
    };
    let realtime_ok = matches!(cmd, WAIT_BITSET | WAIT_REQUEUE_PI | LOCK_PI2);
    if futex_op & CLOCK_REALTIME != 0 && !realtime_ok {
        return Err(Errno(libc::ENOSYS));
    }
    let private = futex_op & PRIVATE_FLAG != 0;
    let p1 = match host_word(mem, uaddr, w1) {
        // A private word nobody can read has no waiters: waking it wakes nobody (Linux
        // hashes the address without touching the page).
        Err(Errno(libc::EFAULT)) if w1 == Word::Key && w2 == Word::Unused && private => {
            return Ok(0)
        }
        r => r?,
    };
    let p2 = host_word(mem, uaddr2, w2)?;
    // Without a timeout the fourth argument is an integer (`val2`), passed unchanged.
    let arg4: *mut libc::timespec = match &mut ts {
        Some(t) => t,
        None => timeout as *mut libc::timespec,
    };
    // Only FUTEX_WAIT's timeout is relative; the others' are deadlines.
    let relative = if cmd == WAIT && ts.is_some() {
        arg4
    } else {
        std::ptr::null_mut()
    };
    // SAFETY: `p1` and `p2` point at guest words just checked for the access the command
    // makes (or are unused, or only hashed); `arg4` is a host `timespec` for the commands
    // that read one, else an integer the kernel does not dereference; `mem` stays
    // exclusively borrowed, so no mapping changes during the call.
    let call = unsafe {
        host_call!(libc::SYS_futex, p1, futex_op, val, arg4, p2, val3)
            .with_relative_timeout(relative)
    };
    if cmd == WAKE || cmd == WAKE_BITSET {
        call.run()
    } else if matches!(cmd, WAIT | WAIT_BITSET) && ts.is_some() {
        // Linux restarts a timed wait only when no handler ran (its restart block):
        // after a handler it fails with EINTR, SA_RESTART or not.
        interruptible(call)
    } else {
        restarting(call)
    }
}

/// Futex word bits the kernel gives meaning to (`linux/futex.h`).
const FUTEX_WAITERS: u32 = 0x8000_0000;
const FUTEX_OWNER_DIED: u32 = 0x4000_0000;
const FUTEX_TID_MASK: u32 = 0x3fff_ffff;
/// Most list entries Linux walks (`ROBUST_LIST_LIMIT`), against circular lists.
const ROBUST_LIST_LIMIT: usize = 2048;

/// What Linux's `exit_robust_list` does for a thread `tid` that dies with the robust
/// futex list at `head` (`set_robust_list`): every futex on the list (and the one in
/// `list_op_pending`) that `tid` still owns is marked `FUTEX_OWNER_DIED` and one waiter
/// is woken, so the next locker gets `EOWNERDEAD` instead of waiting forever. A list
/// the guest broke (unreadable, misaligned) is abandoned where it breaks, as in Linux.
pub fn release_robust_futexes(mem: &GuestMemory, head: GuestAddr, tid: i32) {
    // An address past the end of the space reads nothing (the head is the guest's).
    let word = |a: Option<GuestAddr>| a.and_then(|a| mem.read_u64(a).ok());
    let (Some(first), Some(offset), Some(pending)) = (
        word(Some(head)),
        word(head.checked_add(8)),
        word(head.checked_add(16)),
    ) else {
        return;
    };
    // Each pointer's low bit says whether its futex is a PI one.
    let futex_of = |entry: u64| (entry & !1).wrapping_add(offset);
    let mut entry = first;
    for _ in 0..ROBUST_LIST_LIMIT {
        if entry & !1 == head {
            break;
        }
        let Some(next) = word(Some(entry & !1)) else {
            break;
        };
        if entry & !1 != pending & !1 {
            owner_died(mem, futex_of(entry), tid, entry & 1 != 0, false);
        }
        entry = next;
    }
    if pending & !1 != 0 {
        owner_died(mem, futex_of(pending), tid, pending & 1 != 0, true);
    }
}

/// Releases the robust futexes of every thread of `group`, as Linux does for each thread
/// it kills (`exit_group`, a fatal signal, `execve`) and for the one that execs.
pub fn release_group_robust_futexes(mem: &GuestMemory, group: &ThreadGroup) {
    for t in group.members() {
        if t.robust_list() != 0 {
            release_robust_futexes(mem, t.robust_list(), t.tid);
        }
    }
}

/// Linux's `handle_futex_death` for the futex word at `addr`.
fn owner_died(mem: &GuestMemory, addr: GuestAddr, tid: i32, pi: bool, pending_op: bool) {
    use vm_ir::Width;
    if addr & 3 != 0 {
        return;
    }
    loop {
        let Ok(value) = mem.read_uint(addr, Width::B4).map(|v| v as u32) else {
            return;
        };
        // A lock being taken when the thread died: wake a waiter that may be stuck.
        if pending_op && !pi && value == 0 {
            futex_wake_one(mem, addr);
            return;
        }
        if value & FUTEX_TID_MASK != tid as u32 {
            return;
        }
        let died = (value & FUTEX_WAITERS) | FUTEX_OWNER_DIED;
        match mem.compare_exchange(addr, Width::B4, value as u64, died as u64) {
            Ok(true) => {
                if !pi && value & FUTEX_WAITERS != 0 {
                    futex_wake_one(mem, addr);
                }
                return;
            }
            Ok(false) => continue,
            Err(_) => return,
        }
    }
}

/// Wakes one waiter of the futex word at `addr` as the kernel's own wakes at thread
/// exit do (not private: glibc waits there with shared futex operations).
pub fn futex_wake_one(mem: &GuestMemory, addr: GuestAddr) {
    if let Ok(word) = mem.slice(addr, 4) {
        // SAFETY: `word` points at a readable guest futex word; FUTEX_WAKE only hashes
        // the address.
        unsafe { host_syscall!(libc::SYS_futex, word.as_ptr(), libc::FUTEX_WAKE, 1, 0, 0, 0) };
    }
}

/// `membarrier(cmd, flags, cpu)`: guest threads are host threads of this process, so the
/// host's barrier across this process's threads (or all of the host's) is the guest's,
/// and registrations are this process's, inherited and dropped as Linux does them.
pub fn membarrier(cmd: i32, flags: u32, cpu: i32) -> SysResult {
    // SAFETY: no pointer arguments.
    host(unsafe { host_syscall!(libc::SYS_membarrier, cmd, flags, cpu) })
}
