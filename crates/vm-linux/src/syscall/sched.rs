//! Scheduling: priorities (`getpriority`, `setpriority`, `ioprio_get`, `ioprio_set`),
//! policies and their parameters (`sched_getscheduler`, `sched_setscheduler`,
//! `sched_getparam`, `sched_setparam`, `sched_getattr`, `sched_setattr`,
//! `sched_get_priority_max`, `sched_get_priority_min`, `sched_rr_get_interval`), CPU
//! placement (`sched_getaffinity`, `sched_setaffinity`, `getcpu`) and `sched_yield`.
//!
//! Each guest thread is a host thread with the same id, so every call passes through and
//! acts on the host thread or process the guest names. The structures are the same on
//! both: `struct sched_param` is one `int`, `struct sched_attr` holds only fixed-size
//! integers (48 bytes in its first version, 56 since Linux 5.3, growing at its end with a
//! `size` field saying how much the caller knows), `struct timespec` is two 64-bit words.

use super::abi::write_timespec;
use super::{host, Errno, SysResult};
use vm_ir::GuestAddr;
use vm_memory::GuestMemory;

/// Size of the first `struct sched_attr` (`SCHED_ATTR_SIZE_VER0`), the least accepted.
const SCHED_ATTR_SIZE_VER0: u32 = 48;
/// Most bytes of a `struct sched_attr` Linux looks at (`PAGE_SIZE`).
const SCHED_ATTR_SIZE_MAX: u32 = 4096;

pub fn sched_yield() -> SysResult {
    // SAFETY: no arguments.
    host(unsafe { host_syscall!(libc::SYS_sched_yield) })
}

/// The raw call: `20 - nice`, from 1 to 40 (glibc turns it into the nice value).
pub fn getpriority(which: i32, who: i32) -> SysResult {
    // SAFETY: no pointer arguments.
    host(unsafe { host_syscall!(libc::SYS_getpriority, which, who) })
}

pub fn setpriority(which: i32, who: i32, nice: i32) -> SysResult {
    // SAFETY: no pointer arguments.
    host(unsafe { host_syscall!(libc::SYS_setpriority, which, who, nice) })
}

/// `ioprio_get` (`set` is `None`) and `ioprio_set`: I/O priorities, plain integers.
pub fn ioprio(which: i32, who: i32, set: Option<i32>) -> SysResult {
    // SAFETY: no pointer arguments.
    host(unsafe {
        match set {
            None => host_syscall!(libc::SYS_ioprio_get, which, who),
            Some(prio) => host_syscall!(libc::SYS_ioprio_set, which, who, prio),
        }
    })
}

pub fn sched_get_priority(policy: i32, max: bool) -> SysResult {
    let nr = if max {
        libc::SYS_sched_get_priority_max
    } else {
        libc::SYS_sched_get_priority_min
    };
    // SAFETY: no pointer arguments.
    host(unsafe { host_syscall!(nr, policy) })
}

pub fn sched_getscheduler(pid: i32) -> SysResult {
    // SAFETY: no pointer arguments.
    host(unsafe { host_syscall!(libc::SYS_sched_getscheduler, pid) })
}

pub fn sched_getparam(mem: &GuestMemory, pid: i32, param: GuestAddr) -> SysResult {
    if param == 0 || pid < 0 {
        return Err(Errno(libc::EINVAL));
    }
    let mut prio = 0i32;
    // SAFETY: `prio` is a host `struct sched_param`.
    host(unsafe { host_syscall!(libc::SYS_sched_getparam, pid, &mut prio) })?;
    mem.write(param, prio.to_le_bytes())?;
    Ok(0)
}

/// `sched_setparam` (`policy` is `None`) and `sched_setscheduler`: the parameter is read
/// after Linux's argument checks and before the thread is looked up.
pub fn sched_setscheduler(
    mem: &GuestMemory,
    pid: i32,
    policy: Option<i32>,
    param: GuestAddr,
) -> SysResult {
    if policy.is_some_and(|p| p < 0) || param == 0 || pid < 0 {
        return Err(Errno(libc::EINVAL));
    }
    let prio = i32::from_le_bytes(mem.read(param)?);
    // SAFETY: `prio` is a host `struct sched_param`, which the kernel only reads.
    host(unsafe {
        match policy {
            None => host_syscall!(libc::SYS_sched_setparam, pid, &prio),
            Some(p) => host_syscall!(libc::SYS_sched_setscheduler, pid, p, &prio),
        }
    })
}

pub fn sched_rr_get_interval(mem: &GuestMemory, pid: i32, interval: GuestAddr) -> SysResult {
    let mut ts = libc::timespec {
        tv_sec: 0,
        tv_nsec: 0,
    };
    // SAFETY: `ts` is a host `struct timespec`.
    host(unsafe { host_syscall!(libc::SYS_sched_rr_get_interval, pid, &mut ts) })?;
    write_timespec(mem, interval, ts.tv_sec, ts.tv_nsec)
}

/// The `size` field (the first word) of a `struct sched_attr` in `buf`.
fn attr_size(buf: &[u8]) -> u32 {
    let mut field = [0u8; 4];
    field.copy_from_slice(&buf[..4]);
    u32::from_le_bytes(field)
}

/// `sched_getattr(pid, attr, size, flags)`: the host fills the guest's buffer directly
/// (the layout is the same), as much of it as its kernel fills.
pub fn sched_getattr(
    mem: &GuestMemory,
    pid: i32,
    attr: GuestAddr,
    size: u32,
    flags: u32,
) -> SysResult {
    if attr == 0
        || pid < 0
        || !(SCHED_ATTR_SIZE_VER0..=SCHED_ATTR_SIZE_MAX).contains(&size)
        || flags != 0
    {
        return Err(Errno(libc::EINVAL));
    }
    let Ok(dst) = mem.slice_mut(attr, size as u64) else {
        // Linux looks the thread up before it writes: its errors come first.
        let mut buf = vec![0u8; size as usize];
        // SAFETY: `buf` is a host buffer of `size` bytes.
        host(unsafe { host_syscall!(libc::SYS_sched_getattr, pid, buf.as_mut_ptr(), size, 0) })?;
        return Err(Errno(libc::EFAULT));
    };
    // SAFETY: `dst` is a writable guest slice of `size` bytes.
    host(unsafe { host_syscall!(libc::SYS_sched_getattr, pid, dst.as_mut_ptr(), size, 0) })
}

/// `sched_setattr(pid, attr, flags)`: the structure's own `size` says how much to read
/// (0 is the first version). A size Linux refuses, or unknown non-zero bytes past what it
/// knows, is `E2BIG` with Linux's size written back into the guest's `size` field.
pub fn sched_setattr(mem: &GuestMemory, pid: i32, attr: GuestAddr, flags: u32) -> SysResult {
    if attr == 0 || pid < 0 || flags != 0 {
        return Err(Errno(libc::EINVAL));
    }
    let size = u32::from_le_bytes(mem.read(attr)?);
    let known = match size {
        0 => SCHED_ATTR_SIZE_VER0,
        s => s,
    };
    let mut buf = if (SCHED_ATTR_SIZE_VER0..=SCHED_ATTR_SIZE_MAX).contains(&known) {
        mem.slice(attr, known as u64)?.to_vec()
    } else {
        // Refused on its size alone: the host reads the field and writes its own.
        size.to_le_bytes().to_vec()
    };
    // SAFETY: `buf` is a host buffer holding as many bytes as its `size` field tells the
    // kernel to read (or just the field, when the kernel reads no more).
    let r = host(unsafe { host_syscall!(libc::SYS_sched_setattr, pid, buf.as_mut_ptr(), 0) });
    if r == Err(Errno(libc::E2BIG)) {
        // As Linux's `put_user` there, a failure to write it back is not reported.
        let _ = mem.write(attr, attr_size(&buf).to_le_bytes());
    }
    r
}

pub fn sched_getaffinity(mem: &GuestMemory, pid: i32, len: u32, mask: GuestAddr) -> SysResult {
    if len & 7 != 0 {
        return Err(Errno(libc::EINVAL));
    }
    // The host needs at most its own cpumask size; a larger guest buffer is capped.
    let mut buf = vec![0u64; (len as usize / 8).min(1024)];
    // SAFETY: `buf` is a host buffer of `buf.len() * 8` bytes.
    let n = host(unsafe {
        host_syscall!(
            libc::SYS_sched_getaffinity,
            pid,
            buf.len() * 8,
            buf.as_mut_ptr(),
        )
    })?;
    let bytes: Vec<u8> = buf.iter().flat_map(|w| w.to_le_bytes()).collect();
    mem.write_bytes(mask, &bytes[..n as usize])?;
    Ok(n)
}

/// `sched_setaffinity(pid, len, mask)`. Linux reads at most its own cpumask size from
/// the guest (zero-filling a shorter mask), so only that much must be readable; 1024 bytes
/// covers the largest kernel configuration (8192 CPUs).
pub fn sched_setaffinity(mem: &GuestMemory, pid: i32, len: u32, mask: GuestAddr) -> SysResult {
    let mut buf = vec![0u8; (len as usize).min(1024)];
    mem.read_bytes(mask, &mut buf)?;
    // SAFETY: `buf` is a host buffer of `buf.len()` bytes.
    host(unsafe { host_syscall!(libc::SYS_sched_setaffinity, pid, buf.len(), buf.as_ptr()) })
}

/// `getcpu(cpu, node, cache)`: either pointer may be null; the third is unused since
/// Linux 2.6.24. Both are written even if one cannot be, as Linux does.
pub fn getcpu(mem: &GuestMemory, cpu: GuestAddr, node: GuestAddr) -> SysResult {
    let (mut c, mut n) = (0u32, 0u32);
    // SAFETY: `c` and `n` are host `unsigned int`s.
    host(unsafe {
        host_syscall!(
            libc::SYS_getcpu,
            &mut c,
            &mut n,
            std::ptr::null_mut::<libc::c_void>(),
        )
    })?;
    let mut ok = true;
    for (addr, v) in [(cpu, c), (node, n)] {
        if addr != 0 {
            ok &= mem.write(addr, v.to_le_bytes()).is_ok();
        }
    }
    if ok {
        Ok(0)
    } else {
        Err(Errno(libc::EFAULT))
    }
}
