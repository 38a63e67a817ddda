//! `seccomp(2)` and `prctl(PR_SET_SECCOMP / PR_GET_SECCOMP)`: installing the filters
//! [`crate::seccomp`] checks guest system calls against. The checks and their order
//! are Linux's (`do_seccomp`, `seccomp_set_mode_filter`, `seccomp_prepare_filter`).

use super::{Errno, SysResult};
use crate::seccomp::{self, bpf, AttachError, Mode};
use crate::state::ProcessState;
use vm_ir::GuestAddr;
use vm_memory::GuestMemory;

/// `seccomp(2)` operations.
const SET_MODE_STRICT: u32 = 0;
const SET_MODE_FILTER: u32 = 1;
const GET_ACTION_AVAIL: u32 = 2;
const GET_NOTIF_SIZES: u32 = 3;

/// `SECCOMP_FILTER_FLAG_*` vm knows (not `NEW_LISTENER` nor `WAIT_KILLABLE_RECV`,
/// which need user notification: see [`crate::seccomp`]).
const FLAG_TSYNC: u32 = 1;
const FLAG_LOG: u32 = 2;
const FLAG_SPEC_ALLOW: u32 = 4;
const FLAG_TSYNC_ESRCH: u32 = 16;
const KNOWN_FLAGS: u32 = FLAG_TSYNC | FLAG_LOG | FLAG_SPEC_ALLOW | FLAG_TSYNC_ESRCH;

/// `prctl`'s seccomp modes.
const MODE_STRICT: u64 = 1;
const MODE_FILTER: u64 = 2;

/// `CAP_SYS_ADMIN`, which lets a thread without no_new_privs install filters.
const CAP_SYS_ADMIN: u32 = 21;

/// `seccomp(op, flags, uargs)`.
pub fn seccomp(
    state: &ProcessState,
    mem: &GuestMemory,
    op: u32,
    flags: u32,
    uargs: GuestAddr,
) -> SysResult {
    match op {
        SET_MODE_STRICT => {
            if flags != 0 || uargs != 0 {
                return Err(Errno(libc::EINVAL));
            }
            set_strict(state)
        }
        SET_MODE_FILTER => set_filter(state, mem, flags, uargs),
        GET_ACTION_AVAIL => {
            if flags != 0 {
                return Err(Errno(libc::EINVAL));
            }
            let action = u32::from_le_bytes(mem.read(uargs)?);
            match action {
                seccomp::ret::KILL_PROCESS
                | seccomp::ret::KILL_THREAD
                | seccomp::ret::TRAP
                | seccomp::ret::ERRNO
                | seccomp::ret::TRACE
                | seccomp::ret::LOG
                | seccomp::ret::ALLOW => Ok(0),
                _ => Err(Errno(libc::EOPNOTSUPP)),
            }
        }
        GET_NOTIF_SIZES => {
            if flags != 0 {
                return Err(Errno(libc::EINVAL));
            }
            // struct seccomp_notif_sizes: the sizes of seccomp_notif,
            // seccomp_notif_resp and seccomp_data.
            let mut sizes = [0u8; 6];
            for (i, size) in [80u16, 24, bpf::DATA_SIZE as u16].iter().enumerate() {
                sizes[2 * i..2 * i + 2].copy_from_slice(&size.to_le_bytes());
            }
            mem.write(uargs, sizes)?;
            Ok(0)
        }
        _ => Err(Errno(libc::EINVAL)),
    }
}

/// `prctl(PR_SET_SECCOMP, mode, filter)`: as `seccomp(2)` with no flags (strict mode
/// ignores the filter argument).
pub fn prctl_set(
    state: &ProcessState,
    mem: &GuestMemory,
    mode: u64,
    filter: GuestAddr,
) -> SysResult {
    match mode {
        MODE_STRICT => set_strict(state),
        MODE_FILTER => set_filter(state, mem, 0, filter),
        _ => Err(Errno(libc::EINVAL)),
    }
}

/// `prctl(PR_GET_SECCOMP)`: the calling thread's mode (in strict mode the call itself
/// is fatal, so the guest only ever sees 0 or 2).
pub fn prctl_get(state: &ProcessState) -> SysResult {
    Ok(state.signals.thread.seccomp.mode().number() as i64)
}

fn set_strict(state: &ProcessState) -> SysResult {
    let seccomp = &state.signals.thread.seccomp;
    match seccomp.mode() {
        Mode::Disabled | Mode::Strict => {
            seccomp.set_mode(Mode::Strict);
            Ok(0)
        }
        Mode::Filter(_) => Err(Errno(libc::EINVAL)),
    }
}

fn set_filter(state: &ProcessState, mem: &GuestMemory, flags: u32, fprog: GuestAddr) -> SysResult {
    if flags & !KNOWN_FLAGS != 0 {
        return Err(Errno(libc::EINVAL));
    }
    // struct sock_fprog: unsigned short len, (padding), struct sock_filter *filter.
    let header: [u8; 16] = mem.read(fprog)?;
    let len = u16::from_le_bytes([header[0], header[1]]) as usize;
    let insns_at = u64::from_le_bytes(header[8..].try_into().expect("8 bytes"));
    if len == 0 || len > bpf::MAX_INSNS {
        return Err(Errno(libc::EINVAL));
    }
    if !seccomp::has_no_new_privs() && !has_sys_admin() {
        return Err(Errno(libc::EACCES));
    }
    // `bpf_prog_create_from_user` refuses a null program before reading it.
    if insns_at == 0 {
        return Err(Errno(libc::EINVAL));
    }
    let bytes = mem.slice(insns_at, len as u64 * 8)?;
    let insns = bytes
        .chunks_exact(8)
        .map(|c| bpf::Insn::from_bytes(c.try_into().expect("8 bytes")))
        .collect();
    let prog = bpf::Program::new(insns).map_err(|_| Errno(libc::EINVAL))?;
    let tsync = flags & FLAG_TSYNC != 0;
    let thread = &state.signals.thread;
    match seccomp::attach(
        thread,
        &state.signals.group,
        prog,
        flags & FLAG_LOG != 0,
        tsync,
    ) {
        Ok(()) => Ok(0),
        Err(AttachError::Mode) => Err(Errno(libc::EINVAL)),
        Err(AttachError::TooLong) => Err(Errno(libc::ENOMEM)),
        Err(AttachError::Unsyncable(_)) if flags & FLAG_TSYNC_ESRCH != 0 => Err(Errno(libc::ESRCH)),
        // Linux returns the tid of the first thread it cannot synchronise.
        Err(AttachError::Unsyncable(seccomp::Unsyncable(tid))) => Ok(tid as i64),
    }
}

/// Whether the calling host thread has `CAP_SYS_ADMIN` in its effective set.
fn has_sys_admin() -> bool {
    // struct __user_cap_header_struct { version, pid } (version 3: two data words).
    let mut header = [0x2008_0522u32, 0];
    // Two struct __user_cap_data_struct { effective, permitted, inheritable }.
    let mut data = [0u32; 6];
    // SAFETY: `header` and `data` are the header and the two data structures capget
    // reads and writes, on this stack.
    let r = unsafe { host_syscall!(libc::SYS_capget, header.as_mut_ptr(), data.as_mut_ptr()) };
    r == 0 && data[0] & (1 << CAP_SYS_ADMIN) != 0
}
