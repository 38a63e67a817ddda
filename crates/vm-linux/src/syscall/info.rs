//! Identity, limits and system information: the id calls, `uname`, `sysinfo`,
//! `sethostname`, `setdomainname`, `getrandom`, `syslog`, `prlimit64` (and `getrlimit`/`setrlimit`),
//! `getrusage`, `times`, `prctl`, `personality`.
//!
//! The guest process is the host process, so ids pass through. `uname` reports the host's
//! kernel with machine `riscv64`. Resource limits pass through except those describing the
//! guest's address space (`RLIMIT_DATA`, `RLIMIT_STACK`, `RLIMIT_AS`): applied to the host
//! they would constrain the VM's own memory (its guest reservation alone is larger than any
//! such limit), so they are kept in `ProcessState::emulated_rlimits` and reported back; of
//! them, `RLIMIT_AS` is enforced on the guest's mappings (`mem::may_expand`) and
//! `RLIMIT_STACK` sizes the main thread's stack (`layout::stack_mapping_size`; a raised
//! limit grows it, `mem::grow_stack`); `RLIMIT_DATA` is not enforced. A limit vm was
//! started with, or that another process sets on it, is the guest's too
//! (`crate::host_limits`). The personality is kept too (`ProcessState::personality`):
//! of its flags, `UNAME26` changes what `uname` reports, as in Linux; the others are kept
//! and reported, and passed on to the programs the guest executes, but change nothing in vm
//! (whose layout is never randomised, for one, so `ADDR_NO_RANDOMIZE` is always true).

use super::abi::{HostBuf, UTSNAME_FIELD};
use super::{host, host_call, Errno, SysResult};
use crate::state::ProcessState;
use vm_ir::GuestAddr;
use vm_memory::GuestMemory;

/// A host call without arguments that cannot fail (the id calls).
fn id(nr: libc::c_long) -> SysResult {
    // SAFETY: the id calls take no arguments.
    host(unsafe { host_syscall!(nr) })
}

pub fn getpid() -> SysResult {
    id(libc::SYS_getpid)
}
pub fn getppid() -> SysResult {
    id(libc::SYS_getppid)
}
pub fn gettid() -> SysResult {
    id(libc::SYS_gettid)
}
pub fn getuid() -> SysResult {
    id(libc::SYS_getuid)
}
pub fn geteuid() -> SysResult {
    id(libc::SYS_geteuid)
}
pub fn getgid() -> SysResult {
    id(libc::SYS_getgid)
}
pub fn getegid() -> SysResult {
    id(libc::SYS_getegid)
}

pub fn getpgid(pid: i32) -> SysResult {
    // SAFETY: no pointer arguments.
    host(unsafe { host_syscall!(libc::SYS_getpgid, pid) })
}

pub fn setpgid(pid: i32, pgid: i32) -> SysResult {
    // SAFETY: no pointer arguments.
    host(unsafe { host_syscall!(libc::SYS_setpgid, pid, pgid) })
}

pub fn setsid() -> SysResult {
    id(libc::SYS_setsid)
}

pub fn getsid(pid: i32) -> SysResult {
    // SAFETY: no pointer arguments.
    host(unsafe { host_syscall!(libc::SYS_getsid, pid) })
}

/// The machine name RISC-V 64 Linux reports.
const MACHINE: &[u8] = b"riscv64";

pub fn uname(personality: u32, mem: &GuestMemory, buf: GuestAddr) -> SysResult {
    // SAFETY: `libc::utsname` is plain bytes; all-zero is a valid value.
    let mut uts: libc::utsname = unsafe { std::mem::zeroed() };
    // SAFETY: `uts` is a host `struct utsname`.
    host(unsafe { host_syscall!(libc::SYS_uname, &mut uts) })?;
    if personality & UNAME26 != 0 {
        uts.release = release_as_2_6(&uts.release);
    }
    let mut machine = [0 as libc::c_char; UTSNAME_FIELD];
    for (d, s) in machine.iter_mut().zip(MACHINE) {
        *d = *s as libc::c_char;
    }
    let fields = [
        &uts.sysname,
        &uts.nodename,
        &uts.release,
        &uts.version,
        &machine,
        &uts.domainname,
    ];
    let out: Vec<u8> = fields
        .iter()
        .flat_map(|f| f.iter().map(|&c| c as u8))
        .collect();
    mem.write_bytes(buf, &out)?;
    Ok(0)
}

/// Longest host or domain name (`__NEW_UTS_LEN`).
const UTS_LEN: i32 = 64;

/// `sethostname` and `setdomainname` (`domain`), which need privilege in the host's UTS
/// namespace, the guest's. A name the guest cannot read reaches the host as null, which
/// reports it after the privilege and length checks, as Linux does.
pub fn set_uts_name(mem: &GuestMemory, name: GuestAddr, len: i32, domain: bool) -> SysResult {
    let ptr = if (1..=UTS_LEN).contains(&len) {
        mem.slice(name, len as u64)
            .map_or(std::ptr::null(), |bytes| bytes.as_ptr())
    } else {
        // Nothing is read: an empty name, or a length the host refuses.
        std::ptr::null()
    };
    let nr = if domain {
        libc::SYS_setdomainname
    } else {
        libc::SYS_sethostname
    };
    // SAFETY: `ptr` is null or a readable guest slice of `len` bytes, which the kernel
    // only reads.
    host(unsafe { host_syscall!(nr, ptr, len) })
}

/// `personality` flag: `uname` reports the kernel as a 2.6 one.
const UNAME26: u32 = 0x0002_0000;

/// The release `UNAME26` reports for `release`, as Linux computes it: "2.6.", the minor
/// version plus 60, then what follows the version's leading digits and dots (at most
/// three numbers).
fn release_as_2_6(release: &[libc::c_char; UTSNAME_FIELD]) -> [libc::c_char; UTSNAME_FIELD] {
    let bytes: Vec<u8> = release
        .iter()
        .map(|&c| c as u8)
        .take_while(|&b| b != 0)
        .collect();
    let mut dots = 0;
    let rest = bytes
        .iter()
        .position(|&b| {
            if b == b'.' {
                dots += 1;
            }
            dots >= 3 || !(b.is_ascii_digit() || b == b'.')
        })
        .unwrap_or(bytes.len());
    let minor: u32 = std::str::from_utf8(&bytes)
        .ok()
        .and_then(|r| r.split('.').nth(1))
        .and_then(|m| m.parse().ok())
        .unwrap_or(0);
    let mut text = format!("2.6.{}", minor + 60).into_bytes();
    text.extend_from_slice(&bytes[rest..]);
    let mut out = [0 as libc::c_char; UTSNAME_FIELD];
    for (d, s) in out
        .iter_mut()
        .zip(&text[..text.len().min(UTSNAME_FIELD - 1)])
    {
        *d = *s as libc::c_char;
    }
    out
}

/// `personality(persona)`: sets the calling thread's personality unless `persona` is
/// `0xffffffff`; returns the previous one. Any value is accepted, as in Linux.
pub fn personality(state: &mut ProcessState, persona: u32) -> SysResult {
    let old = state.personality;
    if persona != u32::MAX {
        state.personality = persona;
    }
    Ok(old as i64)
}

/// Size of `struct sysinfo` on 64-bit Linux (the same layout on both).
const SYSINFO_SIZE: usize = 112;
const _: () = assert!(std::mem::size_of::<libc::sysinfo>() == SYSINFO_SIZE);

pub fn sysinfo(mem: &GuestMemory, buf: GuestAddr) -> SysResult {
    let mut out = HostBuf::<{ SYSINFO_SIZE / 8 }>::zeroed();
    // SAFETY: `out` is a 112-byte, 8-aligned host buffer, the size of `struct sysinfo`.
    host(unsafe { host_syscall!(libc::SYS_sysinfo, out.as_mut_ptr()) })?;
    mem.write_bytes(buf, &out.to_bytes())?;
    Ok(0)
}

/// `syslog(type, buf, len)` (glibc's `klogctl`): the host kernel's log, passed through.
/// The reads (`SYSLOG_ACTION_READ`, `_READ_ALL`, `_READ_CLEAR`) fill the guest buffer;
/// the other actions take no buffer. Linux checks permission before the buffer, so a
/// bad buffer asks the host with an empty one first (answered 0 or `EPERM`).
pub fn syslog(mem: &GuestMemory, kind: i32, buf: GuestAddr, len: i32) -> SysResult {
    const READ: i32 = 2;
    const READ_CLEAR: i32 = 4;
    let without_buffer = |len: i32| {
        // SAFETY: a null buffer; the kernel reads none.
        host(unsafe { host_syscall!(libc::SYS_syslog, kind, std::ptr::null_mut::<u8>(), len) })
    };
    if !(READ..=READ_CLEAR).contains(&kind) || buf == 0 || len <= 0 {
        return without_buffer(len);
    }
    let Ok(dst) = mem.slice_mut(buf, len as u64) else {
        without_buffer(0)?;
        return Err(Errno(libc::EFAULT));
    };
    let ptr = dst.as_mut_ptr();
    // SAFETY: `[ptr, ptr + len)` is a writable guest slice; `mem` stays exclusively
    // borrowed, so the mapping cannot change during the call. `SYSLOG_ACTION_READ` may
    // wait for messages.
    super::restarting(unsafe { host_call!(libc::SYS_syslog, kind, ptr, len) })
}

pub fn getrandom(mem: &GuestMemory, buf: GuestAddr, len: u64, flags: u32) -> SysResult {
    const NONBLOCK: u32 = 1;
    const RANDOM: u32 = 2;
    const INSECURE: u32 = 4;
    if flags & !(NONBLOCK | RANDOM | INSECURE) != 0
        || flags & (RANDOM | INSECURE) == RANDOM | INSECURE
    {
        return Err(Errno(libc::EINVAL));
    }
    let dst = mem.slice_mut(buf, len.min(i32::MAX as u64))?;
    let (ptr, n) = (dst.as_mut_ptr(), dst.len());
    // SAFETY: `[ptr, ptr + n)` is a writable guest slice; `mem` stays exclusively borrowed.
    super::restarting(unsafe { host_call!(libc::SYS_getrandom, ptr, n, flags) })
}

/// Number of resource limits (`RLIM_NLIMITS`).
const RLIM_NLIMITS: u32 = 16;

/// Whether a resource limit is kept by the VM rather than applied to the host.
fn is_emulated(resource: u32) -> bool {
    matches!(
        resource,
        libc::RLIMIT_DATA | libc::RLIMIT_STACK | libc::RLIMIT_AS
    )
}

fn read_rlimit(mem: &GuestMemory, addr: GuestAddr) -> Result<[u64; 2], Errno> {
    let b: [u8; 16] = mem.read(addr)?;
    Ok([
        u64::from_le_bytes(b[..8].try_into().unwrap()),
        u64::from_le_bytes(b[8..].try_into().unwrap()),
    ])
}

/// `prlimit64`; `getrlimit`/`setrlimit` are this with `pid` 0 and one pointer null
/// (`struct rlimit` and `struct rlimit64` are the same on 64-bit).
pub fn prlimit64(
    state: &mut ProcessState,
    mem: &GuestMemory,
    pid: i32,
    resource: u32,
    new: GuestAddr,
    old: GuestAddr,
) -> SysResult {
    if resource >= RLIM_NLIMITS {
        return Err(Errno(libc::EINVAL));
    }
    let new_limit = if new != 0 {
        Some(read_rlimit(mem, new)?)
    } else {
        None
    };
    let own = pid == 0 || pid as u32 == std::process::id();
    if own && resource == libc::RLIMIT_AS {
        crate::host_limits::notice_outside_address_space_limit(&state.emulated_rlimits, || {
            mem.mapped_bytes()
        });
    }
    let previous = if own && is_emulated(resource) {
        let previous = emulated_rlimit(state, resource, new_limit)?;
        if let Some([soft, _]) = new_limit.filter(|_| resource == libc::RLIMIT_STACK) {
            if soft > previous[0] {
                super::mapping(state, |s| Ok(super::mem::grow_stack(s, mem, soft) as i64))?;
            }
        }
        previous
    } else {
        let mut prev = [0u64; 2];
        let new_ptr = new_limit.as_ref().map_or(std::ptr::null(), |l| l.as_ptr());
        // SAFETY: `new_ptr` is null or a host `struct rlimit64`, `prev` a host one.
        host(unsafe {
            host_syscall!(
                libc::SYS_prlimit64,
                pid,
                resource,
                new_ptr,
                prev.as_mut_ptr(),
            )
        })?;
        prev
    };
    if old != 0 {
        let mut b = [0u8; 16];
        b[..8].copy_from_slice(&previous[0].to_le_bytes());
        b[8..].copy_from_slice(&previous[1].to_le_bytes());
        mem.write(old, b)?;
    }
    Ok(0)
}

/// Reads and optionally sets an emulated limit, returning the previous value; checks as
/// Linux does (soft above hard is `EINVAL`, raising the hard limit needs privilege).
fn emulated_rlimit(
    state: &mut ProcessState,
    resource: u32,
    new: Option<[u64; 2]>,
) -> Result<[u64; 2], Errno> {
    let mut limits = crate::thread::lock(&state.emulated_rlimits);
    let current = crate::host_limits::limit_of_guest(&limits, resource);
    if let Some([soft, hard]) = new {
        if soft > hard {
            return Err(Errno(libc::EINVAL));
        }
        // SAFETY: no arguments.
        let root = unsafe { libc::geteuid() } == 0;
        if hard > current[1] && !root {
            return Err(Errno(libc::EPERM));
        }
        limits.insert(resource, [soft, hard]);
    }
    Ok(current)
}

/// Size of `struct rusage` (two `timeval`s and fourteen `long`s, the same on both).
const RUSAGE_SIZE: usize = 144;
const _: () = assert!(std::mem::size_of::<libc::rusage>() == RUSAGE_SIZE);

pub fn getrusage(mem: &GuestMemory, who: i32, usage: GuestAddr) -> SysResult {
    let mut out = HostBuf::<{ RUSAGE_SIZE / 8 }>::zeroed();
    // SAFETY: `out` is a 144-byte, 8-aligned host buffer, the size of `struct rusage`.
    host(unsafe { host_syscall!(libc::SYS_getrusage, who, out.as_mut_ptr()) })?;
    mem.write_bytes(usage, &out.to_bytes())?;
    Ok(0)
}

/// `times`: the clock ticks since boot; `buf` (a `struct tms`, four `clock_t`) may be null.
pub fn times(mem: &GuestMemory, buf: GuestAddr) -> SysResult {
    let mut out = HostBuf::<4>::zeroed();
    // SAFETY: `out` is a 32-byte, 8-aligned host buffer, the size of `struct tms`.
    let ticks = host(unsafe { host_syscall!(libc::SYS_times, out.as_mut_ptr()) })?;
    if buf != 0 {
        mem.write_bytes(buf, &out.to_bytes())?;
    }
    Ok(ticks)
}

/// `prctl` options handled here.
mod pr {
    pub const SET_PDEATHSIG: i32 = 1;
    pub const GET_PDEATHSIG: i32 = 2;
    pub const GET_DUMPABLE: i32 = 3;
    pub const SET_DUMPABLE: i32 = 4;
    pub const GET_KEEPCAPS: i32 = 7;
    pub const SET_KEEPCAPS: i32 = 8;
    pub const GET_TIMING: i32 = 13;
    pub const SET_TIMING: i32 = 14;
    pub const SET_NAME: i32 = 15;
    pub const GET_NAME: i32 = 16;
    pub const CAPBSET_READ: i32 = 23;
    pub const CAPBSET_DROP: i32 = 24;
    pub const GET_SECUREBITS: i32 = 27;
    pub const SET_SECUREBITS: i32 = 28;
    pub const SET_TIMERSLACK: i32 = 29;
    pub const GET_TIMERSLACK: i32 = 30;
    pub const MCE_KILL: i32 = 33;
    pub const MCE_KILL_GET: i32 = 34;
    pub const SET_CHILD_SUBREAPER: i32 = 36;
    pub const GET_CHILD_SUBREAPER: i32 = 37;
    pub const SET_NO_NEW_PRIVS: i32 = 38;
    pub const GET_NO_NEW_PRIVS: i32 = 39;
    pub const SET_THP_DISABLE: i32 = 41;
    pub const GET_THP_DISABLE: i32 = 42;
    pub const CAP_AMBIENT: i32 = 47;
    pub const SET_IO_FLUSHER: i32 = 57;
    pub const GET_IO_FLUSHER: i32 = 58;
}

/// Length of a task name with its NUL (`TASK_COMM_LEN`).
const TASK_COMM_LEN: usize = 16;

/// `PR_SET_NAME`/`PR_GET_NAME` name the host thread (what `/proc/self/comm` shows);
/// options with integer arguments only that mean the same for the guest (credentials
/// and capability bounds, which are the host thread's, as every guest thread is one;
/// timer slack, the parent-death signal, the child subreaper) pass through, and the two
/// that write an `int` get it from the host; every other option is `EINVAL` (none with
/// a pointer argument reaches the host).
pub fn prctl(mem: &GuestMemory, option: i32, args: [u64; 4]) -> SysResult {
    match option {
        pr::SET_NAME => {
            // Linux copies at most 15 bytes and terminates the name itself.
            let mut name = [0u8; TASK_COMM_LEN];
            if args[0] >= vm_memory::GUEST_SPACE {
                return Err(Errno(libc::EFAULT));
            }
            let bytes = match mem.read_cstr(args[0], TASK_COMM_LEN - 1)? {
                Some(b) => b,
                None => mem.slice(args[0], TASK_COMM_LEN as u64 - 1)?.to_vec(),
            };
            name[..bytes.len()].copy_from_slice(&bytes);
            // SAFETY: `name` is a NUL-terminated host buffer of 16 bytes.
            host(unsafe { host_syscall!(libc::SYS_prctl, option, name.as_ptr(), 0, 0, 0) })
        }
        pr::GET_NAME => {
            let mut name = [0u8; TASK_COMM_LEN];
            // SAFETY: `name` is a host buffer of 16 bytes, what the kernel writes.
            host(unsafe { host_syscall!(libc::SYS_prctl, option, name.as_mut_ptr(), 0, 0, 0) })?;
            mem.write(args[0], name)?;
            Ok(0)
        }
        pr::GET_PDEATHSIG | pr::GET_CHILD_SUBREAPER => {
            let mut value: libc::c_int = 0;
            // SAFETY: these options write one `int`, into `value` on this stack.
            host(unsafe {
                host_syscall!(
                    libc::SYS_prctl,
                    option,
                    &mut value as *mut libc::c_int,
                    0,
                    0,
                    0,
                )
            })?;
            mem.write(args[0], value.to_le_bytes())?;
            Ok(0)
        }
        pr::SET_PDEATHSIG
        | pr::SET_DUMPABLE
        | pr::GET_DUMPABLE
        | pr::GET_KEEPCAPS
        | pr::SET_KEEPCAPS
        | pr::GET_TIMING
        | pr::SET_TIMING
        | pr::CAPBSET_READ
        | pr::CAPBSET_DROP
        | pr::GET_SECUREBITS
        | pr::SET_SECUREBITS
        | pr::SET_TIMERSLACK
        | pr::GET_TIMERSLACK
        | pr::MCE_KILL
        | pr::MCE_KILL_GET
        | pr::SET_CHILD_SUBREAPER
        | pr::SET_NO_NEW_PRIVS
        | pr::GET_NO_NEW_PRIVS
        | pr::SET_THP_DISABLE
        | pr::GET_THP_DISABLE
        | pr::CAP_AMBIENT
        | pr::SET_IO_FLUSHER
        | pr::GET_IO_FLUSHER => {
            // SAFETY: these options take integer arguments only.
            host(unsafe {
                host_syscall!(libc::SYS_prctl, option, args[0], args[1], args[2], args[3])
            })
        }
        _ => Err(Errno(libc::EINVAL)),
    }
}
