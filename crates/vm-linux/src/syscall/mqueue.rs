//! POSIX message queues: `mq_open`, `mq_unlink`, `mq_timedsend`, `mq_timedreceive`,
//! `mq_notify`, `mq_getsetattr`, passed to the host with their arguments copied.
//!
//! A queue descriptor is a host descriptor, and the structures are the same on riscv64
//! and x86-64: `struct mq_attr` (eight `long`s), `struct timespec`, `struct sigevent`
//! (64 bytes: value, signal number, notify kind, then the kind's union), as are the
//! `O_*` flags. Sending and receiving wait as Linux does and restart after a handler
//! with `SA_RESTART`. A notification signal (`SIGEV_SIGNAL`) is sent by the host kernel
//! to vm, which forwards it to the guest with the kernel's siginfo (`SI_MESGQ`, the
//! queue's `sigev_value`); glibc's `SIGEV_THREAD` hands the kernel a netlink socket and
//! a pointer to a 32-byte cookie, which is copied.

use super::abi::read_timespec;
use super::{host, host_call, read_path, restarting, Errno, SysResult};
use vm_ir::GuestAddr;
use vm_memory::GuestMemory;

/// Size of `struct mq_attr`.
const MQ_ATTR_SIZE: usize = 64;
/// Size of `struct sigevent`.
const SIGEVENT_SIZE: usize = 64;
/// `NOTIFY_COOKIE_LEN`: what `SIGEV_THREAD`'s `sigev_value.sival_ptr` points at.
const NOTIFY_COOKIE_LEN: usize = 32;
const SIGEV_THREAD: i32 = 2;

pub fn mq_open(mem: &GuestMemory, name: GuestAddr, oflag: i32, mode: u32, attr: u64) -> SysResult {
    let name = read_path(mem, name)?;
    let attr = if attr != 0 {
        Some(mem.read::<MQ_ATTR_SIZE>(attr)?)
    } else {
        None
    };
    let attr_ptr = attr.as_ref().map_or(std::ptr::null(), |a| a.as_ptr());
    // SAFETY: `name` is NUL-terminated; `attr_ptr` null or a host `struct mq_attr`.
    host(unsafe { host_syscall!(libc::SYS_mq_open, name.as_ptr(), oflag, mode, attr_ptr) })
}

pub fn mq_unlink(mem: &GuestMemory, name: GuestAddr) -> SysResult {
    let name = read_path(mem, name)?;
    // SAFETY: `name` is NUL-terminated.
    host(unsafe { host_syscall!(libc::SYS_mq_unlink, name.as_ptr()) })
}

/// The queue's message size, or its descriptor's error (`EBADF`): for the errors Linux
/// gives before it touches a message buffer the guest cannot access.
fn msgsize(mqd: i32) -> Result<u64, Errno> {
    let mut attr = [0u8; MQ_ATTR_SIZE];
    // SAFETY: `attr` is a host `struct mq_attr` the kernel writes.
    host(unsafe {
        host_syscall!(
            libc::SYS_mq_getsetattr,
            mqd,
            std::ptr::null::<u8>(),
            attr.as_mut_ptr(),
        )
    })?;
    Ok(u64::from_le_bytes(attr[16..24].try_into().unwrap()))
}

/// The host copy of an optional absolute timeout.
fn timeout(mem: &GuestMemory, addr: GuestAddr) -> Result<Option<libc::timespec>, Errno> {
    (addr != 0).then(|| read_timespec(mem, addr)).transpose()
}

fn ts_ptr(ts: &Option<libc::timespec>) -> *const libc::timespec {
    ts.as_ref().map_or(std::ptr::null(), |t| t as *const _)
}

pub fn mq_timedsend(
    mem: &GuestMemory,
    mqd: i32,
    msg: GuestAddr,
    len: u64,
    prio: u32,
    abs_timeout: GuestAddr,
) -> SysResult {
    let ts = timeout(mem, abs_timeout)?;
    let Ok(src) = mem.slice(msg, len) else {
        let too_long = len > msgsize(mqd)?;
        return Err(Errno(if too_long {
            libc::EMSGSIZE
        } else {
            libc::EFAULT
        }));
    };
    let (ptr, n, t) = (src.as_ptr(), src.len(), ts_ptr(&ts));
    // SAFETY: `src` is a readable guest slice the kernel only reads; `t` is null or a
    // host timespec that outlives the call.
    restarting(unsafe { host_call!(libc::SYS_mq_timedsend, mqd, ptr, n, prio, t) })
}

pub fn mq_timedreceive(
    mem: &GuestMemory,
    mqd: i32,
    msg: GuestAddr,
    len: u64,
    prio: GuestAddr,
    abs_timeout: GuestAddr,
) -> SysResult {
    let ts = timeout(mem, abs_timeout)?;
    let Ok(dst) = mem.slice_mut(msg, len) else {
        let too_short = len < msgsize(mqd)?;
        return Err(Errno(if too_short {
            libc::EMSGSIZE
        } else {
            libc::EFAULT
        }));
    };
    let (ptr, n, t) = (dst.as_mut_ptr(), dst.len(), ts_ptr(&ts));
    let mut priority: u32 = 0;
    let prio_ptr = &mut priority as *mut u32;
    // SAFETY: `dst` is a writable guest slice; `mem` stays exclusively borrowed, so the
    // mapping cannot change during the call; `prio_ptr` and `t` are host values that
    // outlive it.
    let r = restarting(unsafe { host_call!(libc::SYS_mq_timedreceive, mqd, ptr, n, prio_ptr, t) })?;
    if prio != 0 {
        mem.write(prio, priority.to_le_bytes())?;
    }
    Ok(r)
}

pub fn mq_notify(mem: &GuestMemory, mqd: i32, notification: GuestAddr) -> SysResult {
    if notification == 0 {
        // SAFETY: a null sigevent unregisters.
        return host(unsafe { host_syscall!(libc::SYS_mq_notify, mqd, std::ptr::null::<u8>()) });
    }
    let mut event: [u8; SIGEVENT_SIZE] = mem.read(notification)?;
    let notify = i32::from_le_bytes(event[12..16].try_into().unwrap());
    let cookie: Option<[u8; NOTIFY_COOKIE_LEN]> = if notify == SIGEV_THREAD {
        let at = u64::from_le_bytes(event[..8].try_into().unwrap());
        Some(mem.read(at)?)
    } else {
        None
    };
    if let Some(cookie) = &cookie {
        event[..8].copy_from_slice(&(cookie.as_ptr() as u64).to_le_bytes());
    }
    // SAFETY: `event` is a host `struct sigevent`; for `SIGEV_THREAD` its value points at
    // `cookie`, which the kernel copies during the call.
    host(unsafe { host_syscall!(libc::SYS_mq_notify, mqd, event.as_ptr()) })
}

pub fn mq_getsetattr(mem: &GuestMemory, mqd: i32, new: GuestAddr, old: GuestAddr) -> SysResult {
    let new = if new != 0 {
        Some(mem.read::<MQ_ATTR_SIZE>(new)?)
    } else {
        None
    };
    let new_ptr = new.as_ref().map_or(std::ptr::null(), |a| a.as_ptr());
    let mut previous = [0u8; MQ_ATTR_SIZE];
    let old_ptr = if old != 0 {
        previous.as_mut_ptr()
    } else {
        std::ptr::null_mut()
    };
    // SAFETY: `new_ptr` and `old_ptr` are null or host `struct mq_attr`s.
    host(unsafe { host_syscall!(libc::SYS_mq_getsetattr, mqd, new_ptr, old_ptr) })?;
    if old != 0 {
        mem.write(old, previous)?;
    }
    Ok(0)
}
