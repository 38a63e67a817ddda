//! Guest core dumps: when a signal whose default action dumps core kills the guest, vm
//! writes the core file Linux would have written for a riscv64 process (an ELF64
//! `ET_CORE` for `EM_RISCV` that gdb reads), then dies of the signal as before.
//!
//! Whether: the signal dumps core ([`is_core_signal`]), the guest's soft `RLIMIT_CORE`
//! (the host's, which the guest reads and sets) is at least a page (Linux's
//! `min_coredump`), and the guest did not make itself undumpable
//! (`PR_SET_DUMPABLE` 0, which reaches the host). vm itself never dumps: it dies with
//! its own `RLIMIT_CORE` at 0 ([`crate::process::die_of_signal`]).
//!
//! Where: [`name::core_name`] expands [`ENV_VAR`] if it is set, else the host's
//! `kernel.core_pattern`, relative to the working directory. A pipe pattern (apport,
//! systemd-coredump) means no core: vm cannot feed the handler, and Linux writes no
//! file for it. The file is opened as the
//! kernel opens it: no symbolic link followed, created with mode 0600, an existing
//! file used only if it is a regular file with one link that the caller owns
//! (then truncated).
//!
//! What: [`gather`] stops the other threads for their registers; [`notes`] lays out
//! `NT_PRSTATUS` (the dying thread first), `NT_PRPSINFO`, `NT_SIGINFO`, `NT_AUXV`,
//! `NT_FILE` and each thread's `NT_PRFPREG`, in Linux's order; [`image`] picks what of
//! each mapping is dumped and writes the file within the size limit.

pub mod gather;
pub mod image;
pub mod name;
pub mod notes;
#[cfg(test)]
mod tests;

pub use gather::Gather;

use crate::signal::SigInfo;
use crate::state::ProcessState;
use notes::{MappedFile, ProcessInfo, ThreadStatus};
use std::ffi::OsStr;
use std::os::unix::ffi::OsStrExt;
use std::os::unix::fs::{MetadataExt, OpenOptionsExt};
use std::path::PathBuf;
use vm_engine::CpuState;
use vm_memory::{GuestMemory, RegionKind, PAGE_SIZE};

/// Whether the default action of `sig` dumps core (Linux's `SIG_KERNEL_COREDUMP_MASK`).
pub fn is_core_signal(sig: i32) -> bool {
    matches!(
        sig,
        libc::SIGQUIT
            | libc::SIGILL
            | libc::SIGTRAP
            | libc::SIGABRT
            | libc::SIGBUS
            | libc::SIGFPE
            | libc::SIGSEGV
            | libc::SIGXCPU
            | libc::SIGXFSZ
            | libc::SIGSYS
    )
}

/// The thread a signal kills, as its process loop has it.
pub struct Crash<'a> {
    pub info: &'a SigInfo,
    pub cpu: &'a CpuState,
    pub state: &'a ProcessState,
    pub mem: &'a GuestMemory,
}

/// The environment variable whose value, when set and not empty, is the core pattern
/// instead of the host's `kernel.core_pattern` (same specifiers; `core_uses_pid` still
/// applies), so that guest cores can be had without root where the host's pattern is
/// a pipe.
pub const ENV_VAR: &str = "VM_CORE_PATTERN";

/// Linux's `min_coredump` for ELF: a smaller `RLIMIT_CORE` means no core.
const MIN_CORE: u64 = 4096;

/// Dumps core for `crash` if the guest's settings ask for one (see the module
/// documentation); the file written, if one was. If another thread is dumping already,
/// parks the calling thread for that dump and never returns. A core that cannot be
/// written is logged, never an error: the guest dies of its signal either way.
pub fn dump(crash: &Crash) -> Option<PathBuf> {
    let sig = crash.info.signo();
    let group = &crash.state.signals.group;
    let tid = crash.state.signals.thread.tid;
    if group.core_dump.is_requested() {
        group.core_dump.park(tid, crash.cpu);
    }
    if !is_core_signal(sig) {
        return None;
    }
    let limit = {
        let emulated = crate::thread::lock(&crash.state.emulated_rlimits);
        crate::host_limits::limit_of_guest(&emulated, libc::RLIMIT_CORE)[0]
    };
    let dumpable = dumpable();
    if limit < MIN_CORE || dumpable == 0 {
        return None;
    }
    if !group.core_dump.claim() {
        group.core_dump.park(tid, crash.cpu);
    }
    let others = group.core_dump.collect(group, tid, gather::PATIENCE);
    let facts = name::Facts {
        pid: std::process::id() as i32,
        tid,
        // SAFETY (the four calls): no arguments, cannot fail.
        uid: unsafe { libc::getuid() },
        gid: unsafe { libc::getgid() },
        sig,
        time: std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_secs()),
        hostname: hostname(),
        comm: comm(crash),
        exe: crash.state.exe_path.as_os_str().as_bytes().to_vec(),
        limit,
        dumpable,
    };
    let pattern = match std::env::var_os(ENV_VAR) {
        Some(p) if !p.is_empty() => p.as_bytes().to_vec(),
        _ => std::fs::read("/proc/sys/kernel/core_pattern").unwrap_or_else(|_| b"core".to_vec()),
    };
    let pattern = pattern.strip_suffix(b"\n").unwrap_or(&pattern);
    if pattern.first() == Some(&b'|') {
        tracing::info!("no core: the core pattern is a pipe; set {ENV_VAR} for a file");
    }
    let uses_pid =
        std::fs::read("/proc/sys/kernel/core_uses_pid").is_ok_and(|v| v.starts_with(b"1"));
    let path = PathBuf::from(OsStr::from_bytes(&name::core_name(
        pattern, uses_pid, &facts,
    )?));
    let notes = build_notes(crash, &others, &facts);
    match write_file(&path, limit, &notes, crash.mem) {
        Ok(whole) => {
            tracing::info!(
                "core dumped to {}{}",
                path.display(),
                if whole {
                    ""
                } else {
                    " (truncated at RLIMIT_CORE)"
                }
            );
            Some(path)
        }
        Err(e) => {
            tracing::info!("cannot dump core to {}: {e}", path.display());
            None
        }
    }
}

/// The process's `PR_GET_DUMPABLE` mode (the guest's `PR_SET_DUMPABLE` reaches the host).
fn dumpable() -> u32 {
    // SAFETY: PR_GET_DUMPABLE takes no pointer and returns the mode.
    let r = unsafe { host_syscall!(libc::SYS_prctl, libc::PR_GET_DUMPABLE, 0, 0, 0, 0) };
    r.max(0) as u32
}

fn hostname() -> Vec<u8> {
    std::fs::read("/proc/sys/kernel/hostname")
        .map(|h| h.strip_suffix(b"\n").unwrap_or(&h).to_vec())
        .unwrap_or_default()
}

/// The dying thread's command name (the guest's `PR_SET_NAME` names the host thread).
fn comm(crash: &Crash) -> Vec<u8> {
    match std::fs::read("/proc/thread-self/comm") {
        Ok(c) => c.strip_suffix(b"\n").unwrap_or(&c).to_vec(),
        Err(_) => crash.state.exe_path.file_name().map_or_else(Vec::new, |n| {
            n.as_bytes().iter().take(15).copied().collect()
        }),
    }
}

/// `PF_DUMPCORE | PF_SIGNALED`: the flags of a task that dumps core.
const PF_DUMPCORE_SIGNALED: u64 = 0x200 | 0x400;

/// The notes: per thread `NT_PRSTATUS` then `NT_PRFPREG`, the process's notes after the
/// dying thread's `NT_PRSTATUS`, as Linux's `write_note_info` orders them.
fn build_notes(crash: &Crash, others: &[(i32, CpuState)], facts: &name::Facts) -> Vec<u8> {
    let sig = facts.sig;
    let group = &crash.state.signals.group;
    // SAFETY (the three calls): no pointer arguments.
    let (ppid, pgrp, sid) = unsafe { (libc::getppid(), libc::getpgrp(), libc::getsid(0)) };
    let children = rusage(libc::RUSAGE_CHILDREN);
    let mut threads = vec![(facts.tid, crash.cpu.clone())];
    threads.extend(others.iter().cloned());
    let mut out = Vec::new();
    for (i, (tid, cpu)) in threads.iter().enumerate() {
        let handle = group.member(*tid);
        let (utime, stime) = match i {
            0 if *tid == facts.pid => rusage(libc::RUSAGE_SELF),
            0 => rusage(libc::RUSAGE_THREAD),
            _ => Default::default(),
        };
        let status = ThreadStatus {
            sig,
            pending: handle.as_ref().map_or(0, |h| h.pending_bits()),
            blocked: handle.as_ref().map_or(0, |h| h.blocked()),
            tid: *tid,
            ppid,
            pgrp,
            sid,
            utime,
            stime,
            cutime: children.0,
            cstime: children.1,
            regs: notes::user_regs(cpu),
            fpvalid: true,
        };
        notes::push_note(
            &mut out,
            "CORE",
            notes::NT_PRSTATUS,
            &notes::prstatus(&status),
        );
        if i == 0 {
            let info = ProcessInfo {
                // SAFETY: no pointer arguments; -1 with errno would read as nice -1.
                nice: unsafe { libc::getpriority(libc::PRIO_PROCESS, 0) } as i8,
                flag: PF_DUMPCORE_SIGNALED,
                uid: facts.uid,
                gid: facts.gid,
                pid: facts.pid,
                ppid,
                pgrp,
                sid,
                fname: facts.comm.clone(),
                cmdline: crash.state.cmdline.clone(),
            };
            notes::push_note(
                &mut out,
                "CORE",
                notes::NT_PRPSINFO,
                &notes::prpsinfo(&info),
            );
            notes::push_note(&mut out, "CORE", notes::NT_SIGINFO, &crash.info.0);
            notes::push_note(&mut out, "CORE", notes::NT_AUXV, &crash.state.auxv);
            let files = mapped_files(crash.mem);
            if !files.is_empty() {
                notes::push_note(
                    &mut out,
                    "CORE",
                    notes::NT_FILE,
                    &notes::file_note(&files, PAGE_SIZE),
                );
            }
        }
        notes::push_note(&mut out, "CORE", notes::NT_PRFPREG, &notes::fpregset(cpu));
        if let Some(vector) = notes::vector_regset(cpu) {
            notes::push_note(&mut out, "CORE", notes::NT_RISCV_VECTOR, &vector);
        }
    }
    out
}

/// User and system time of `who`, as `struct __kernel_old_timeval`s.
fn rusage(who: i32) -> (notes::TimeVal, notes::TimeVal) {
    // SAFETY: `usage` is a valid out-pointer for getrusage.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    // SAFETY: as above.
    if unsafe { libc::getrusage(who, &mut usage) } != 0 {
        return Default::default();
    }
    let tv = |t: libc::timeval| (t.tv_sec, t.tv_usec);
    (tv(usage.ru_utime), tv(usage.ru_stime))
}

/// The file-backed mappings, for `NT_FILE`.
fn mapped_files(mem: &GuestMemory) -> Vec<MappedFile> {
    mem.regions()
        .into_iter()
        .filter_map(|r| match r.kind {
            RegionKind::File { path, offset } => Some(MappedFile {
                start: r.start,
                end: r.end,
                offset,
                name: path.into_bytes(),
            }),
            _ => None,
        })
        .collect()
}

/// Creates (or takes over) the core file at `path` and writes the core into it, at
/// most `limit` bytes; whether it was written whole.
fn write_file(
    path: &std::path::Path,
    limit: u64,
    notes: &[u8],
    mem: &GuestMemory,
) -> std::io::Result<bool> {
    let file = std::fs::OpenOptions::new()
        .write(true)
        .create(true)
        .mode(0o600)
        .custom_flags(libc::O_NOFOLLOW | libc::O_CLOEXEC)
        .open(path)?;
    let meta = file.metadata()?;
    // SAFETY: no arguments, cannot fail.
    let euid = unsafe { libc::geteuid() };
    if !meta.file_type().is_file() || meta.nlink() > 1 || meta.uid() != euid {
        return Err(std::io::Error::other(
            "not a regular file with one link that vm's user owns",
        ));
    }
    file.set_len(0)?;
    let segments: Vec<_> = mem
        .regions()
        .iter()
        .take(image::MAX_SEGMENTS)
        .map(|r| image::plan(r, mem))
        .collect();
    let mut out = image::LimitedFile::new(std::io::BufWriter::with_capacity(1 << 16, file), limit);
    let whole = image::write(&mut out, notes, &segments, mem)?;
    let (writer, len) = out.finish()?;
    let file = writer.into_inner().map_err(|e| e.into_error())?;
    file.set_len(len)?;
    Ok(whole)
}
