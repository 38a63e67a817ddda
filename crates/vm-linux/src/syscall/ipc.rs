//! System V IPC: message queues (`msgget`, `msgctl`, `msgsnd`, `msgrcv`), semaphore sets
//! (`semget`, `semctl`, `semop`, `semtimedop`) and shared memory (`shmget`, `shmctl`,
//! `shmat`, `shmdt`).
//!
//! The objects are the host kernel's: the guest is a host process, so keys, ids,
//! permissions and limits are Linux's own, and a guest shares them with every other
//! process on the machine (the `fakeroot` daemon, say). The structures are the 64-bit
//! asm-generic ones on riscv64, laid out as on x86-64 except `struct semid64_ds`, where
//! x86-64 pads each time field (converted here). A segment `shmat` attaches is mapped
//! by the host kernel straight into guest memory, so it stays shared with every other
//! attachment, across `fork` too; `AddressSpace::shm_attachments` remembers where each
//! attachment starts, for `shmdt`.
//!
//! `msgsnd`, `msgrcv`, `semop` and `semtimedop` block in the host kernel and, as on
//! Linux, are not restarted after a handler runs.

use super::abi::{read_timespec, HostBuf};
use super::mem::{
    find_free, map_errno, may_expand, page_aligned, regions_in, release, unmapped_within,
    MMAP_MIN_ADDR,
};
use super::{host, host_call, interruptible, Errno, SysResult};
use crate::state::AddressSpace;
use std::collections::BTreeMap;
use vm_ir::GuestAddr;
use vm_memory::{page_ceil, GuestMemory, Perm, RegionKind, GUEST_SPACE, PAGE_SIZE};

/// `ipc` command values (`linux/ipc.h`, `linux/msg.h`, `linux/sem.h`, `linux/shm.h`).
mod cmd {
    pub const IPC_RMID: i32 = 0;
    pub const IPC_SET: i32 = 1;
    pub const IPC_STAT: i32 = 2;
    pub const IPC_INFO: i32 = 3;
    pub const MSG_STAT: i32 = 11;
    pub const MSG_INFO: i32 = 12;
    pub const MSG_STAT_ANY: i32 = 13;
    pub const GETPID: i32 = 11;
    pub const GETVAL: i32 = 12;
    pub const GETALL: i32 = 13;
    pub const GETNCNT: i32 = 14;
    pub const GETZCNT: i32 = 15;
    pub const SETVAL: i32 = 16;
    pub const SETALL: i32 = 17;
    pub const SEM_STAT: i32 = 18;
    pub const SEM_INFO: i32 = 19;
    pub const SEM_STAT_ANY: i32 = 20;
    pub const SHM_STAT: i32 = 13;
    pub const SHM_INFO: i32 = 14;
    pub const SHM_STAT_ANY: i32 = 15;
}

/// Sizes of the structures `*ctl` copies (the same on both unless noted).
const MSQID_DS: usize = 120;
const MSGINFO: usize = 32;
/// riscv64's `struct semid64_ds`; x86-64's is [`HOST_SEMID_DS`] bytes.
const SEMID_DS: usize = 88;
const HOST_SEMID_DS: usize = 104;
const SEMINFO: usize = 40;
const SHMID_DS: usize = 112;
const SHMINFO: usize = 72;
const SHM_INFO: usize = 48;
/// `struct ipc64_perm`, which starts every `*id64_ds`.
const IPC_PERM: usize = 48;
/// Offset of `shm_segsz` in `struct shmid64_ds`.
const SHM_SEGSZ: usize = 48;
/// Size of `struct sembuf`.
const SEMBUF: u64 = 6;

/// `shmat` flags.
const SHM_RDONLY: i32 = 0o10000;
const SHM_RND: i32 = 0o20000;
const SHM_REMAP: i32 = 0o40000;
const SHM_EXEC: i32 = 0o100000;

/// A buffer with room for every structure the `*ctl` calls pass.
type CtlBuf = HostBuf<16>;
const _: () = assert!(std::mem::size_of::<CtlBuf>() >= HOST_SEMID_DS);

/// Runs a `*ctl` host call with `buf` (`semnum` only for `semctl`).
fn ctl(nr: libc::c_long, id: i32, semnum: i32, cmd: i32, buf: &mut CtlBuf) -> SysResult {
    // SAFETY: `buf` is a writable host buffer larger than any structure the call copies.
    host(unsafe {
        if nr == libc::SYS_semctl {
            host_syscall!(nr, id, semnum, cmd, buf.as_mut_ptr())
        } else {
            host_syscall!(nr, id, cmd, buf.as_mut_ptr())
        }
    })
}

/// How a `msgctl`/`shmctl` command moves its structure (of this many bytes).
enum Copy {
    In(usize),
    Out(usize),
    None,
}

/// A `msgctl` or `shmctl`, whose structures have the same layout on both: read from the
/// guest before the call (`IPC_SET`), or written to it after (the `*_STAT`, `*_INFO`).
fn ctl_copying(
    mem: &GuestMemory,
    nr: libc::c_long,
    id: i32,
    command: i32,
    buf: GuestAddr,
    copy: impl Fn(i32) -> Copy,
) -> SysResult {
    let copy = copy(command);
    let mut host_buf = match copy {
        Copy::In(len) => {
            let mut guest = vec![0u8; len];
            mem.read_bytes(buf, &mut guest)?;
            CtlBuf::from_bytes(&guest)
        }
        _ => CtlBuf::zeroed(),
    };
    let r = ctl(nr, id, 0, command, &mut host_buf)?;
    if let Copy::Out(len) = copy {
        mem.write_bytes(buf, &host_buf.to_bytes()[..len])?;
    }
    Ok(r)
}

/// A pointer into guest memory for the host kernel, or null when the range is not
/// accessible: the host then reports `EFAULT` itself, after the argument checks Linux
/// makes first (so the errors come in Linux's order).
fn guest_ptr(mem: &GuestMemory, addr: GuestAddr, len: u64, write: bool) -> usize {
    let ok = if write {
        mem.slice_mut(addr, len).map(|s| s.as_mut_ptr() as usize)
    } else {
        mem.slice(addr, len).map(|s| s.as_ptr() as usize)
    };
    ok.unwrap_or(0)
}

pub fn msgget(key: i32, flags: i32) -> SysResult {
    // SAFETY: no pointer arguments.
    host(unsafe { host_syscall!(libc::SYS_msgget, key, flags) })
}

pub fn msgctl(mem: &GuestMemory, id: i32, command: i32, buf: GuestAddr) -> SysResult {
    ctl_copying(
        mem,
        libc::SYS_msgctl,
        id,
        command,
        buf,
        |command| match command {
            cmd::IPC_STAT | cmd::MSG_STAT | cmd::MSG_STAT_ANY => Copy::Out(MSQID_DS),
            cmd::IPC_INFO | cmd::MSG_INFO => Copy::Out(MSGINFO),
            cmd::IPC_SET => Copy::In(MSQID_DS),
            _ => Copy::None,
        },
    )
}

pub fn msgsnd(mem: &GuestMemory, id: i32, msgp: GuestAddr, size: u64, flags: i32) -> SysResult {
    // `struct msgbuf`: the type (a long), then the text.
    let p = guest_ptr(mem, msgp, size.saturating_add(8), false);
    // SAFETY: `p` is null or a guest range of the message's size, checked readable.
    interruptible(unsafe { host_call!(libc::SYS_msgsnd, id, p, size, flags) })
}

pub fn msgrcv(
    mem: &GuestMemory,
    id: i32,
    msgp: GuestAddr,
    size: u64,
    msgtyp: i64,
    flags: i32,
) -> SysResult {
    let p = guest_ptr(mem, msgp, size.saturating_add(8), true);
    // SAFETY: `p` is null or a guest range of the buffer's size, checked writable.
    interruptible(unsafe { host_call!(libc::SYS_msgrcv, id, p, size, msgtyp, flags) })
}

pub fn semget(key: i32, nsems: i32, flags: i32) -> SysResult {
    // SAFETY: no pointer arguments.
    host(unsafe { host_syscall!(libc::SYS_semget, key, nsems, flags) })
}

/// x86-64's `semid64_ds` pads each time field with a word; riscv64's does not.
fn semid_ds_to_guest(host: &[u8]) -> [u8; SEMID_DS] {
    let mut g = [0u8; SEMID_DS];
    g[..IPC_PERM].copy_from_slice(&host[..IPC_PERM]);
    g[48..56].copy_from_slice(&host[48..56]); // sem_otime
    g[56..64].copy_from_slice(&host[64..72]); // sem_ctime
    g[64..72].copy_from_slice(&host[80..88]); // sem_nsems
    g
}

/// The number of semaphores in set `id`.
fn semaphores(id: i32) -> Result<u64, Errno> {
    let mut buf = CtlBuf::zeroed();
    ctl(libc::SYS_semctl, id, 0, cmd::IPC_STAT, &mut buf)?;
    let bytes = buf.to_bytes();
    Ok(u64::from_le_bytes(bytes[80..88].try_into().unwrap()))
}

pub fn semctl(mem: &GuestMemory, id: i32, num: i32, command: i32, arg: u64) -> SysResult {
    let mut host_buf = CtlBuf::zeroed();
    match command {
        cmd::IPC_STAT | cmd::SEM_STAT | cmd::SEM_STAT_ANY => {
            let r = ctl(libc::SYS_semctl, id, num, command, &mut host_buf)?;
            mem.write_bytes(arg, &semid_ds_to_guest(&host_buf.to_bytes()))?;
            Ok(r)
        }
        cmd::IPC_SET => {
            // Only the permissions are taken from it.
            let mut perm = [0u8; IPC_PERM];
            mem.read_bytes(arg, &mut perm)?;
            host_buf = CtlBuf::from_bytes(&perm);
            ctl(libc::SYS_semctl, id, num, command, &mut host_buf)
        }
        cmd::IPC_INFO | cmd::SEM_INFO => {
            let r = ctl(libc::SYS_semctl, id, num, command, &mut host_buf)?;
            mem.write_bytes(arg, &host_buf.to_bytes()[..SEMINFO])?;
            Ok(r)
        }
        cmd::GETALL | cmd::SETALL => {
            let len = semaphores(id)? * 2;
            let mut values = vec![0u8; len as usize];
            if command == cmd::SETALL {
                mem.read_bytes(arg, &mut values)?;
            }
            // SAFETY: `values` holds one unsigned short per semaphore of the set.
            let r = host(unsafe {
                host_syscall!(libc::SYS_semctl, id, num, command, values.as_mut_ptr())
            })?;
            if command == cmd::GETALL {
                mem.write_bytes(arg, &values)?;
            }
            Ok(r)
        }
        // The argument is an int (SETVAL) or unused.
        cmd::IPC_RMID | cmd::GETPID | cmd::GETVAL | cmd::GETNCNT | cmd::GETZCNT | cmd::SETVAL => {
            // SAFETY: no pointer arguments.
            host(unsafe { host_syscall!(libc::SYS_semctl, id, num, command, arg) })
        }
        _ => Err(Errno(libc::EINVAL)),
    }
}

pub fn semtimedop(
    mem: &GuestMemory,
    id: i32,
    sops: GuestAddr,
    nsops: u64,
    timeout: GuestAddr,
) -> SysResult {
    let p = guest_ptr(mem, sops, nsops.saturating_mul(SEMBUF), false);
    let mut ts = if timeout != 0 {
        Some(read_timespec(mem, timeout)?)
    } else {
        None
    };
    let ts_ptr = ts
        .as_mut()
        .map_or(std::ptr::null_mut(), |t| t as *mut libc::timespec);
    // SAFETY: `p` is null or the guest array of `nsops` `struct sembuf`s (same layout),
    // checked readable; `ts_ptr` is null or a host timespec, this function's alone.
    interruptible(unsafe {
        host_call!(libc::SYS_semtimedop, id, p, nsops, ts_ptr).with_relative_timeout(ts_ptr)
    })
}

pub fn shmget(key: i32, size: u64, flags: i32) -> SysResult {
    // SAFETY: no pointer arguments.
    host(unsafe { host_syscall!(libc::SYS_shmget, key, size, flags) })
}

pub fn shmctl(mem: &GuestMemory, id: i32, command: i32, buf: GuestAddr) -> SysResult {
    ctl_copying(
        mem,
        libc::SYS_shmctl,
        id,
        command,
        buf,
        |command| match command {
            cmd::IPC_STAT | cmd::SHM_STAT | cmd::SHM_STAT_ANY => Copy::Out(SHMID_DS),
            cmd::IPC_INFO => Copy::Out(SHMINFO),
            cmd::SHM_INFO => Copy::Out(SHM_INFO),
            cmd::IPC_SET => Copy::In(SHMID_DS),
            _ => Copy::None,
        },
    )
}

/// Where each attached segment starts, for `shmdt` (Linux finds the segment's first
/// mapping at the address): start -> (end, the region kind its pages carry).
#[derive(Debug, Default)]
pub struct ShmAttachments {
    by_start: BTreeMap<GuestAddr, (GuestAddr, RegionKind)>,
}

impl ShmAttachments {
    /// Forgets the attachments whose first page lies in `[start, end)` (unmapped or
    /// replaced): `shmdt` no longer finds them, as on Linux.
    pub fn forget(&mut self, start: GuestAddr, end: GuestAddr) {
        let gone: Vec<GuestAddr> = self.by_start.range(start..end).map(|(&s, _)| s).collect();
        for s in gone {
            self.by_start.remove(&s);
        }
    }
}

/// `shmat(id, addr, flags)`: returns the guest address of the attachment.
pub fn shmat(
    space: &mut AddressSpace,
    mem: &GuestMemory,
    id: i32,
    addr: GuestAddr,
    flags: i32,
) -> SysResult {
    // Linux's order: the id's sign and the address, then the segment.
    let wanted = match addr {
        _ if id < 0 => return Err(Errno(libc::EINVAL)),
        0 if flags & SHM_REMAP != 0 => return Err(Errno(libc::EINVAL)),
        0 => None,
        _ if flags & SHM_RND != 0 => Some(addr & !(PAGE_SIZE - 1)),
        _ if page_aligned(addr) => Some(addr),
        _ => return Err(Errno(libc::EINVAL)),
    };
    let mut stat = CtlBuf::zeroed();
    ctl(libc::SYS_shmctl, id, 0, cmd::IPC_STAT, &mut stat)?;
    let stat = stat.to_bytes();
    let key = u32::from_le_bytes(stat[..4].try_into().unwrap());
    let size = u64::from_le_bytes(stat[SHM_SEGSZ..SHM_SEGSZ + 8].try_into().unwrap());
    let len = page_ceil(size);
    let start = match wanted {
        None => find_free(mem, len)?,
        Some(start) => {
            if start.checked_add(len).is_none_or(|end| end > GUEST_SPACE) {
                return Err(Errno(libc::EINVAL));
            }
            if start < MMAP_MIN_ADDR {
                return Err(Errno(libc::EPERM));
            }
            if flags & SHM_REMAP == 0 && !mem.is_free(start, len) {
                return Err(Errno(libc::EINVAL));
            }
            start
        }
    };
    let read_only = flags & SHM_RDONLY != 0;
    let prot = libc::PROT_READ
        | if read_only { 0 } else { libc::PROT_WRITE }
        | if flags & SHM_EXEC != 0 {
            libc::PROT_EXEC
        } else {
            0
        };
    let perm = Perm::from_prot(prot as u32);
    may_expand(space, mem, unmapped_within(mem, start, len))?;
    let kind = RegionKind::File {
        path: format!("/SYSV{key:08x} (deleted)"),
        offset: 0,
    };
    release(space, mem, start, start + len);
    mem.map_shm(start, len, perm, id, read_only, kind.clone())
        .map_err(map_errno)?;
    space.shared_file_maps.insert(
        start,
        super::SharedFileMap {
            end: start + len,
            fd: None,
            offset: 0,
            writable: !read_only,
        },
    );
    space
        .shm_attachments
        .by_start
        .insert(start, (start + len, kind));
    Ok(start as i64)
}

/// `shmdt(addr)`: detaches the segment attached at `addr` (the parts of it still mapped).
pub fn shmdt(space: &mut AddressSpace, mem: &GuestMemory, addr: GuestAddr) -> SysResult {
    if !page_aligned(addr) {
        return Err(Errno(libc::EINVAL));
    }
    let (end, kind) = space
        .shm_attachments
        .by_start
        .get(&addr)
        .cloned()
        .ok_or(Errno(libc::EINVAL))?;
    for r in regions_in(mem, addr, end) {
        let same_segment = matches!(
            (&r.kind, &kind),
            (RegionKind::File { path: a, .. }, RegionKind::File { path: b, .. }) if a == b
        );
        if same_segment {
            release(space, mem, r.start, r.end);
            mem.unmap(r.start, r.end - r.start).map_err(map_errno)?;
        }
    }
    Ok(0)
}
