//! Credentials: `getresuid`, `getresgid`, `getgroups`, `setgroups` and the `set*id`
//! family (`setuid`, `setgid`, `setreuid`, `setregid`, `setresuid`, `setresgid`,
//! `setfsuid`, `setfsgid`).
//!
//! The guest process is the host process, so credentials are the host's and pass
//! through as raw system calls. Raw `set*id` calls change only the calling host thread's
//! credentials (glibc's wrappers broadcast to every thread; the kernel does not): the
//! guest's calls all run on the thread that runs the guest, so the guest sees Linux's
//! behaviour, while other VM threads (if any) keep the old credentials.

use super::{host, Errno, SysResult};
use vm_ir::GuestAddr;
use vm_memory::GuestMemory;

/// Most supplementary groups (`NGROUPS_MAX`).
const NGROUPS_MAX: usize = 65536;

/// Reads the host's three ids with `nr` and stores them one by one, stopping at the
/// first bad pointer as Linux does (`EFAULT`, earlier ids already written).
fn getres(mem: &GuestMemory, nr: libc::c_long, ptrs: [GuestAddr; 3]) -> SysResult {
    let mut ids = [0u32; 3];
    let [r, e, s] = &mut ids;
    // SAFETY: the three pointers are host `uid_t`/`gid_t`s.
    host(unsafe { libc::syscall(nr, r as *mut u32, e as *mut u32, s as *mut u32) })?;
    for (id, addr) in ids.iter().zip(ptrs) {
        mem.write(addr, id.to_le_bytes())?;
    }
    Ok(0)
}

pub fn getresuid(mem: &GuestMemory, r: GuestAddr, e: GuestAddr, s: GuestAddr) -> SysResult {
    getres(mem, libc::SYS_getresuid, [r, e, s])
}

pub fn getresgid(mem: &GuestMemory, r: GuestAddr, e: GuestAddr, s: GuestAddr) -> SysResult {
    getres(mem, libc::SYS_getresgid, [r, e, s])
}

/// With `size` 0 only the count; with a `size` below the count `EINVAL`.
pub fn getgroups(mem: &GuestMemory, size: i32, list: GuestAddr) -> SysResult {
    if size < 0 {
        return Err(Errno(libc::EINVAL));
    }
    let mut groups = vec![0u32; (size as usize).min(NGROUPS_MAX)];
    // SAFETY: `groups` is a host `gid_t` array of `groups.len()` entries.
    let n = host(unsafe { libc::syscall(libc::SYS_getgroups, groups.len(), groups.as_mut_ptr()) })?;
    if size > 0 {
        let bytes: Vec<u8> = groups[..n as usize]
            .iter()
            .flat_map(|g| g.to_le_bytes())
            .collect();
        mem.write_bytes(list, &bytes)?;
    }
    Ok(n)
}

pub fn setgroups(mem: &GuestMemory, size: i32, list: GuestAddr) -> SysResult {
    let groups: Option<Vec<u32>> = if (size as u32 as usize) <= NGROUPS_MAX {
        mem.slice(list, size as u64 * 4).ok().map(|b| {
            b.chunks_exact(4)
                .map(|c| u32::from_le_bytes(c.try_into().unwrap()))
                .collect()
        })
    } else {
        None
    };
    // A list the guest cannot read goes to the host as a null pointer: the host then
    // answers `EPERM` or `EINVAL` before `EFAULT`, in Linux's order.
    let ptr = groups.as_ref().map_or(std::ptr::null(), |g| g.as_ptr());
    // SAFETY: `ptr` is null or a host `gid_t` array of `size` entries.
    host(unsafe { libc::syscall(libc::SYS_setgroups, size, ptr) })
}

/// A `set*id` call: integer arguments only.
pub fn set_ids(nr: libc::c_long, ids: [u32; 3]) -> SysResult {
    // SAFETY: no pointer arguments (calls with fewer ids ignore the rest).
    host(unsafe { libc::syscall(nr, ids[0], ids[1], ids[2]) })
}
