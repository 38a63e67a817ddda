//! Credentials: `getresuid`, `getresgid`, `getgroups`, `setgroups`, the `set*id`
//! family (`setuid`, `setgid`, `setreuid`, `setregid`, `setresuid`, `setresgid`,
//! `setfsuid`, `setfsgid`), and capabilities (`capget`, `capset`).
//!
//! The guest process is the host process, so credentials are the host's and pass
//! through as raw system calls. Raw `set*id` calls change only the calling host thread's
//! credentials (glibc's wrappers broadcast to every thread; the kernel does not): the
//! guest's calls all run on the thread that runs the guest, so the guest sees Linux's
//! behaviour, while other VM threads (if any) keep the old credentials. Capability sets
//! are per thread in Linux too; their header (`version`, `pid`) and data (`effective`,
//! `permitted`, `inheritable`, one 32-bit word each, once per 32 capabilities) are the
//! same on both.

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
    host(unsafe { host_syscall!(nr, r as *mut u32, e as *mut u32, s as *mut u32) })?;
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
    let n = host(unsafe { host_syscall!(libc::SYS_getgroups, groups.len(), groups.as_mut_ptr()) })?;
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
    host(unsafe { host_syscall!(libc::SYS_setgroups, size, ptr) })
}

/// A `set*id` call: integer arguments only.
pub fn set_ids(nr: libc::c_long, ids: [u32; 3]) -> SysResult {
    // SAFETY: no pointer arguments (calls with fewer ids ignore the rest).
    host(unsafe { host_syscall!(nr, ids[0], ids[1], ids[2]) })
}

/// Capability header versions and how many 32-bit sets each carries.
fn cap_words(version: u32) -> Option<usize> {
    match version {
        0x1998_0330 => Some(1),
        0x2007_1026 | 0x2008_0522 => Some(2),
        _ => None,
    }
}

/// Size of one `struct __user_cap_data_struct`.
const CAP_DATA_SIZE: usize = 12;

/// Makes a capability call `nr` with a host copy of the guest header, writing back the
/// version the host puts there when it does not know the guest's (with `EINVAL`, or
/// success for a query without data), as Linux writes it.
fn cap_call(
    mem: &GuestMemory,
    nr: libc::c_long,
    header: GuestAddr,
    data: *mut u32,
) -> Result<(SysResult, u32), Errno> {
    let mut h: [u8; 8] = mem.read(header)?;
    let asked = u32::from_le_bytes([h[0], h[1], h[2], h[3]]);
    // SAFETY: `h` is a host `struct __user_cap_header_struct`; `data` is null or a host
    // buffer of two `struct __user_cap_data_struct`s.
    let r = host(unsafe { host_syscall!(nr, h.as_mut_ptr(), data) });
    let version = u32::from_le_bytes([h[0], h[1], h[2], h[3]]);
    if version != asked {
        mem.write(header, version.to_le_bytes())?;
    }
    Ok((r, asked))
}

/// `capget(header, data)`: a null `data` asks only for the preferred version.
pub fn capget(mem: &GuestMemory, header: GuestAddr, data: GuestAddr) -> SysResult {
    let mut sets = [0u32; 6];
    let ptr = if data == 0 {
        std::ptr::null_mut()
    } else {
        sets.as_mut_ptr()
    };
    let (r, version) = cap_call(mem, libc::SYS_capget, header, ptr)?;
    r?;
    if let (Some(words), true) = (cap_words(version), data != 0) {
        let bytes: Vec<u8> = sets.iter().flat_map(|w| w.to_le_bytes()).collect();
        mem.write_bytes(data, &bytes[..words * CAP_DATA_SIZE])?;
    }
    Ok(0)
}

/// `capset(header, data)`: data the guest cannot read reaches the host as null, which it
/// reports (`EFAULT`) after checking the header, as Linux does.
pub fn capset(mem: &GuestMemory, header: GuestAddr, data: GuestAddr) -> SysResult {
    let version = u32::from_le_bytes(mem.read(header)?);
    let mut sets = [0u32; 6];
    let mut ptr = std::ptr::null_mut();
    if let Some(words) = cap_words(version) {
        if let Ok(bytes) = mem.slice(data, (words * CAP_DATA_SIZE) as u64) {
            for (w, b) in sets.iter_mut().zip(bytes.chunks_exact(4)) {
                *w = u32::from_le_bytes([b[0], b[1], b[2], b[3]]);
            }
            ptr = sets.as_mut_ptr();
        }
    }
    cap_call(mem, libc::SYS_capset, header, ptr)?.0
}
