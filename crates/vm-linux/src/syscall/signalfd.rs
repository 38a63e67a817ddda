//! `signalfd4`, and reads of a signalfd: the guest's pending signals of the descriptor's
//! mask, dequeued from vm's queues as `struct signalfd_siginfo` records. How a signalfd
//! is a host descriptor that polls as Linux's does is [`crate::signal::signalfd`]'s
//! business.

use super::abi::{read_iovecs, MAX_RW_COUNT, SIGSET_SIZE};
use super::{badf_or, Errno, SysResult, ERESTARTSYS};
use crate::signal::{self, signalfd, SigInfo, UNBLOCKABLE};
use crate::state::ProcessState;
use vm_ir::GuestAddr;
use vm_memory::GuestMemory;

/// `signalfd4(ufd, mask, sizemask, flags)`: a new signalfd when `ufd` is -1, else a new
/// mask for signalfd `ufd` (its flags unchanged). Linux's order of checks: the mask
/// size, the mask, the flags, the descriptor.
pub fn signalfd4(
    state: &mut ProcessState,
    mem: &GuestMemory,
    ufd: i32,
    mask: GuestAddr,
    sizemask: u64,
    flags: i32,
) -> SysResult {
    if sizemask != SIGSET_SIZE {
        return Err(Errno(libc::EINVAL));
    }
    let mask = u64::from_le_bytes(mem.read(mask)?) & !UNBLOCKABLE;
    if flags & !signalfd::FLAGS != 0 {
        return Err(Errno(libc::EINVAL));
    }
    if ufd == -1 {
        return signalfd::create(&state.signals.group, mask, flags)
            .map(i64::from)
            .map_err(Errno);
    }
    if signalfd::set_mask(ufd, mask) {
        Ok(ufd as i64)
    } else {
        Err(badf_or(ufd, libc::EINVAL))
    }
}

/// `read` of signalfd `fd` whose mask is `mask`: as many pending signals of the mask as
/// `count` holds records for (at least one), waiting for the first unless the
/// descriptor is nonblocking. A signal the thread takes ends the wait (`ERESTARTSYS`).
pub fn read(
    state: &mut ProcessState,
    mem: &GuestMemory,
    fd: i32,
    mask: u64,
    buf: GuestAddr,
    count: u64,
) -> SysResult {
    let size = SigInfo::SIZE as u64;
    if count < size {
        return Err(Errno(libc::EINVAL));
    }
    let slots = count.min(MAX_RW_COUNT) / size;
    // Checked whole before anything is dequeued, so no signal is lost to a bad buffer.
    mem.slice_mut(buf, slots * size)?;
    dequeue_into(state, fd, mask, slots, |i, record| {
        Ok(mem.write_bytes(buf + i * size, record)?)
    })
}

/// `readv` of signalfd `fd`: as [`read`] into the buffers taken as one, each record
/// running on from one buffer into the next (Linux's `signalfd_read_iter`).
pub fn readv(
    state: &mut ProcessState,
    mem: &GuestMemory,
    fd: i32,
    mask: u64,
    iov: GuestAddr,
    count: u64,
) -> SysResult {
    let vecs = read_iovecs(mem, iov, count)?;
    let total: u64 = vecs.iter().map(|v| v.len).sum();
    let size = SigInfo::SIZE as u64;
    if total < size {
        return Err(Errno(libc::EINVAL));
    }
    for v in &vecs {
        mem.slice_mut(v.base, v.len)?;
    }
    dequeue_into(state, fd, mask, total / size, |i, record| {
        let mut at = i * size;
        let mut left = record;
        for v in &vecs {
            if left.is_empty() {
                break;
            }
            if at >= v.len {
                at -= v.len;
                continue;
            }
            let n = (v.len - at).min(left.len() as u64);
            mem.write_bytes(v.base + at, &left[..n as usize])?;
            left = &left[n as usize..];
            at = 0;
        }
        Ok(())
    })
}

/// Dequeues up to `slots` pending signals of `mask` for the calling thread (its own,
/// then its process's), handing record `i` to `put`; waits for the first as [`read`]
/// says. The number of bytes read.
fn dequeue_into(
    state: &mut ProcessState,
    fd: i32,
    mask: u64,
    slots: u64,
    mut put: impl FnMut(u64, &[u8]) -> Result<(), Errno>,
) -> SysResult {
    let size = SigInfo::SIZE as u64;
    let signals = &mut state.signals;
    let mut taken = 0;
    while taken < slots {
        signals.collect_host();
        let Some(info) = signals.dequeue_masked(mask) else {
            if taken > 0 {
                break;
            }
            if nonblocking(fd)? {
                return Err(Errno(libc::EAGAIN));
            }
            if signals.interrupted() {
                return Err(Errno(ERESTARTSYS));
            }
            signal::host::wait_for(signals.interrupting() | mask, None);
            continue;
        };
        put(taken, &info.to_signalfd())?;
        taken += 1;
    }
    Ok((taken * size) as i64)
}

/// Whether `fd` has `O_NONBLOCK` (the eventfd's status flags are the signalfd's).
fn nonblocking(fd: i32) -> Result<bool, Errno> {
    // SAFETY: F_GETFL takes no pointer argument.
    let status = unsafe { host_syscall!(libc::SYS_fcntl, fd, libc::F_GETFL) };
    if status < 0 {
        return Err(Errno::last());
    }
    Ok(status as i32 & libc::O_NONBLOCK != 0)
}
