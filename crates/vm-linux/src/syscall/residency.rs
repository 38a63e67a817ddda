//! Page residency: locking guest pages in memory (`mlock`, `mlock2`, `munlock`,
//! `mlockall`, `munlockall`) and asking which are resident (`mincore`).
//!
//! A mapped guest page is a host page of the guest reservation, mapped with the guest
//! mapping's kind (anonymous, private or shared file), so these are the host calls on the
//! host addresses of guest ranges. The guest's address space is not the host's, though:
//! ranges are validated against the guest's mappings as Linux validates them against
//! its VMAs (a hole is `ENOMEM`, after the part before it was done), `mlockall` covers the
//! guest's mappings only, and its memory-lock limit is checked against the guest's size,
//! never the VM's. `MCL_FUTURE` is recorded in [`AddressSpace::future_lock`] and applied
//! by `mmap` and `brk` to the pages they map, as `MAP_LOCKED` is by `mmap` ([`lock_new`]);
//! a mapping the memory-lock limit does not allow stays unlocked there, where Linux fails
//! the call with `EAGAIN`, and pages `mremap` adds are not locked.

use super::mem::{mapped_prefix_end, page_aligned, regions_in};
use super::{host, Errno, SysResult};
use crate::state::AddressSpace;
use vm_ir::GuestAddr;
use vm_memory::{page_floor, GuestMemory, GUEST_SPACE, PAGE_SIZE};

/// `mlock2`'s only flag: lock pages as they are faulted in, not at once.
const MLOCK_ONFAULT: u32 = 1;

/// `mlockall` flags.
mod mcl {
    pub const CURRENT: i32 = 1;
    pub const FUTURE: i32 = 2;
    pub const ONFAULT: i32 = 4;
}

/// The host address of guest address `addr` (inside the guest reservation).
fn host_addr(mem: &GuestMemory, addr: GuestAddr) -> usize {
    mem.host_range().start + addr as usize
}

/// Host `mlock2` (`lock`) or `munlock` of the guest pages `[start, end)`.
fn host_lock(mem: &GuestMemory, start: u64, end: u64, lock: Option<u32>) -> SysResult {
    let (addr, len) = (host_addr(mem, start), (end - start) as usize);
    // SAFETY: `[addr, addr + len)` lies inside the guest reservation, which vm keeps
    // mapped for its whole life; locking or unlocking changes no memory contents.
    host(unsafe {
        match lock {
            Some(flags) => host_syscall!(libc::SYS_mlock2, addr, len, flags),
            None => host_syscall!(libc::SYS_munlock, addr, len),
        }
    })
}

/// The page range `mlock` and `munlock` act on: `addr` rounded down, `addr + len`
/// rounded up, as Linux rounds them (with its wrap-around); `EINVAL` if the range wraps.
fn lock_range(addr: u64, len: u64) -> Result<(u64, u64), Errno> {
    let start = page_floor(addr);
    let len = page_floor(len.wrapping_add(addr - start).wrapping_add(PAGE_SIZE - 1));
    let end = start.wrapping_add(len);
    if end < start {
        return Err(Errno(libc::EINVAL));
    }
    Ok((start, end))
}

/// `mlock` (`flags` 0) and `mlock2`. The host checks the privilege and the memory-lock
/// limit; with nothing mapped at `addr` it is asked to lock nothing, which answers just
/// that check (`EPERM`), as Linux checks it before it looks for the mapping.
pub fn mlock(mem: &GuestMemory, addr: u64, len: u64, flags: u32) -> SysResult {
    if flags & !MLOCK_ONFAULT != 0 {
        return Err(Errno(libc::EINVAL));
    }
    let (start, end) = lock_range(addr, len)?;
    let mapped_end = mapped_prefix_end(mem, start, end.min(GUEST_SPACE)).max(start);
    host_lock(
        mem,
        start.min(GUEST_SPACE),
        mapped_end.min(GUEST_SPACE),
        Some(flags),
    )?;
    if mapped_end < end {
        return Err(Errno(libc::ENOMEM));
    }
    Ok(0)
}

pub fn munlock(mem: &GuestMemory, addr: u64, len: u64) -> SysResult {
    let (start, end) = lock_range(addr, len)?;
    let mapped_end = mapped_prefix_end(mem, start, end.min(GUEST_SPACE)).max(start);
    if mapped_end > start {
        host_lock(mem, start, mapped_end, None)?;
    }
    if mapped_end < end {
        return Err(Errno(libc::ENOMEM));
    }
    Ok(0)
}

/// Whether the calling thread has `CAP_IPC_LOCK` (locks beyond `RLIMIT_MEMLOCK`).
fn can_lock_unlimited() -> bool {
    const CAP_IPC_LOCK: u32 = 14;
    const VERSION_3: u32 = 0x2008_0522;
    let header = [VERSION_3, 0];
    let mut data = [0u32; 6];
    // SAFETY: `header` is a host `cap_user_header_t`, `data` two `cap_user_data_t`s.
    let r = unsafe { host_syscall!(libc::SYS_capget, header.as_ptr(), data.as_mut_ptr()) };
    r == 0 && data[0] & (1 << CAP_IPC_LOCK) != 0
}

/// The soft `RLIMIT_MEMLOCK`, in pages.
fn memlock_limit_pages() -> u64 {
    let mut limit = [0u64; 2];
    // SAFETY: `limit` is a host `struct rlimit64`.
    let r = unsafe {
        host_syscall!(
            libc::SYS_prlimit64,
            0,
            libc::RLIMIT_MEMLOCK,
            std::ptr::null::<u64>(),
            limit.as_mut_ptr(),
        )
    };
    if r == 0 {
        limit[0] / PAGE_SIZE
    } else {
        u64::MAX
    }
}

/// `mlockall(flags)`: checks as Linux does (flags, then the privilege, then for
/// `MCL_CURRENT` the whole guest address space against the limit), records
/// `MCL_FUTURE`, and locks every guest mapping for `MCL_CURRENT`, ignoring failures to
/// lock single mappings as Linux does.
pub fn mlockall(space: &mut AddressSpace, mem: &GuestMemory, flags: i32) -> SysResult {
    let known = mcl::CURRENT | mcl::FUTURE | mcl::ONFAULT;
    if flags == 0 || flags & !known != 0 || flags == mcl::ONFAULT {
        return Err(Errno(libc::EINVAL));
    }
    // Locking nothing answers whether this process may lock at all.
    host_lock(mem, 0, 0, Some(0))?;
    let regions = mem.regions();
    if flags & mcl::CURRENT != 0 {
        let pages: u64 = regions.iter().map(|r| (r.end - r.start) / PAGE_SIZE).sum();
        if pages > memlock_limit_pages() && !can_lock_unlimited() {
            return Err(Errno(libc::ENOMEM));
        }
    }
    let lock_flags = if flags & mcl::ONFAULT != 0 {
        MLOCK_ONFAULT
    } else {
        0
    };
    space.future_lock = (flags & mcl::FUTURE != 0).then_some(lock_flags);
    if flags & mcl::CURRENT != 0 {
        for r in &regions {
            let _ = host_lock(mem, r.start, r.end, Some(lock_flags));
        }
    }
    Ok(0)
}

pub fn munlockall(space: &mut AddressSpace, mem: &GuestMemory) -> SysResult {
    space.future_lock = None;
    for r in mem.regions() {
        host_lock(mem, r.start, r.end, None)?;
    }
    Ok(0)
}

/// Locks the new guest mapping `[start, start + len)` if `mlockall(MCL_FUTURE)` or
/// `MAP_LOCKED` (`map_locked`) asked for it (see the module docs).
pub fn lock_new(space: &AddressSpace, mem: &GuestMemory, start: u64, len: u64, map_locked: bool) {
    let flags = match space.future_lock {
        None if map_locked => Some(0),
        flags => flags,
    };
    if let Some(flags) = flags {
        let _ = host_lock(mem, start, start + len, Some(flags));
    }
}

/// Most pages one host `mincore` call describes (Linux works in chunks of this many).
const MINCORE_CHUNK: u64 = 4096;

/// `mincore(addr, len, vec)`: one byte per page of the guest range, bit 0 set if the page
/// is resident. `addr` must be page-aligned (`EINVAL`); the range must lie in the guest
/// space and be mapped (`ENOMEM`, after the bytes of the mapped part before the hole are
/// written, as Linux writes them chunk by chunk); `vec` must be writable (`EFAULT`).
pub fn mincore(mem: &GuestMemory, addr: u64, len: u64, vec: GuestAddr) -> SysResult {
    if !page_aligned(addr) {
        return Err(Errno(libc::EINVAL));
    }
    if len > GUEST_SPACE || addr > GUEST_SPACE - len {
        return Err(Errno(libc::ENOMEM));
    }
    let pages = len.div_ceil(PAGE_SIZE);
    if vec > GUEST_SPACE || pages > GUEST_SPACE - vec {
        return Err(Errno(libc::EFAULT));
    }
    let end = addr + pages * PAGE_SIZE;
    let mut cursor = addr;
    for r in regions_in(mem, addr, end) {
        if r.start > cursor {
            break;
        }
        while cursor < r.end {
            let n = ((r.end - cursor) / PAGE_SIZE).min(MINCORE_CHUNK);
            let mut out = vec![0u8; n as usize];
            // SAFETY: the `n` pages from `cursor` are mapped guest pages inside the
            // reservation; `out` is a host buffer of one byte per page.
            host(unsafe {
                host_syscall!(
                    libc::SYS_mincore,
                    host_addr(mem, cursor),
                    n * PAGE_SIZE,
                    out.as_mut_ptr(),
                )
            })?;
            mem.write_bytes(vec + (cursor - addr) / PAGE_SIZE, &out)?;
            cursor += n * PAGE_SIZE;
        }
    }
    if cursor < end {
        return Err(Errno(libc::ENOMEM));
    }
    Ok(0)
}
