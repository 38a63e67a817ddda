//! `vm run --strace`: every guest system call, signal delivery and thread end, printed
//! as strace prints them (`[pid TID] openat(AT_FDCWD, "x", O_RDONLY) = -1 ENOENT (No such
//! file or directory)`).
//!
//! The process loop calls [`enter`] before `syscall::dispatch` and [`Call::returned`]
//! after it; signal delivery calls [`signal`], and each thread's end [`thread_ended`].
//! Decoding lives in [`args`] (which argument is what), [`flags`] (symbolic constants,
//! string escaping) and [`names`] (calls, errnos, signals).
//!
//! Invariants:
//! - Off (the default), the whole cost is [`enter`]'s load of one flag and a branch.
//! - Each line is built whole and written with one `write` (looping only if the kernel
//!   writes less), so lines of threads and processes sharing the output never mix: a
//!   file is opened `O_APPEND`, and a pipe takes writes up to `PIPE_BUF` atomically.
//! - The output is vm's own descriptor, numbered 512 or above, close-on-exec and
//!   protected from the guest (`syscall::fd::vm_owned`): a guest that closes or
//!   redirects its stderr does not move the trace. Forked children share it; a guest
//!   exec of a RISC-V program hands it to the new vm (`--strace-exec=FD:CALL`), whose
//!   first line ends the exec call (`<... execve resumed>) = 0`).
//! - A line reports a call once it returns (a blocking call appears when it ends), except
//!   `execve`/`execveat`, whose start is printed before it runs (`<unfinished ...>`)
//!   since a successful one never returns here.
//! - Guest memory is read only through `GuestMemory`'s checked accessors; nothing a
//!   guest passes can make the tracer fault.

mod args;
mod flags;
mod names;

#[cfg(test)]
mod tests;

use crate::signal::SigInfo;
use crate::syscall::numbers as nr;
use crate::syscall::SyscallOutcome;
use args::Piece;
use std::ffi::{CString, OsStr};
use std::os::unix::ffi::OsStrExt;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicI32, AtomicU64, Ordering};
use std::sync::OnceLock;
use vm_engine::cpu::abi;
use vm_engine::CpuState;
use vm_memory::GuestMemory;

/// The environment variable that turns tracing on where no option can be given (a
/// binfmt_misc start): `-` for stderr, anything else a file (`%p` the pid).
pub const ENV_VAR: &str = "VM_STRACE";

/// Whether tracing is on (set once at start-up, before any guest thread runs).
static ON: AtomicBool = AtomicBool::new(false);
/// The descriptor lines go to.
static FD: AtomicI32 = AtomicI32::new(-1);
/// The file name pattern, if the trace goes to a file whose name has `%p`.
static PATTERN: OnceLock<PathBuf> = OnceLock::new();
/// Set in a forked child whose trace file is named by its pid: open its own.
static REOPEN: AtomicBool = AtomicBool::new(false);
/// The exec call whose start was printed last (`execve`, `execveat`), which a new vm
/// ends with its first line.
static EXEC_CALL: AtomicU64 = AtomicU64::new(nr::EXECVE);

/// Where the trace goes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Output {
    /// vm's stderr, as it was when vm started.
    Stderr,
    /// A file, created if needed and appended to; `%p` in its name is the pid.
    File(PathBuf),
    /// A descriptor handed down by the vm whose guest exec started this one, with the
    /// exec call this vm's start ends and the file pattern, if any.
    Inherited {
        fd: i32,
        call: String,
        pattern: Option<PathBuf>,
    },
}

/// What `VM_STRACE=value` asks for (unset or empty: nothing).
pub fn output_from_env(value: Option<&OsStr>) -> Option<Output> {
    match value?.as_bytes() {
        b"" => None,
        b"-" => Some(Output::Stderr),
        _ => Some(Output::File(PathBuf::from(value?))),
    }
}

/// Parses the value of `--strace-exec` (`FD:CALL`).
pub fn parse_exec_handoff(s: &str) -> Result<(i32, String), String> {
    let bad = || format!("expected FD:CALL, got {s:?}");
    let (fd, call) = s.split_once(':').ok_or_else(bad)?;
    Ok((fd.parse().map_err(|_| bad())?, call.to_string()))
}

/// The file name `pattern` gives process `pid`: each `%p` replaced by it.
pub fn expand_pattern(pattern: &Path, pid: u32) -> PathBuf {
    let bytes = pattern.as_os_str().as_bytes();
    let mut out = Vec::with_capacity(bytes.len() + 8);
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i..].starts_with(b"%p") {
            out.extend_from_slice(pid.to_string().as_bytes());
            i += 2;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    PathBuf::from(OsStr::from_bytes(&out))
}

/// Lowest descriptor number the trace takes, out of the guest's usual range.
const FD_FLOOR: i32 = 512;

/// Moves `fd` to a close-on-exec descriptor at [`FD_FLOOR`] or above (closing `fd`);
/// if none is free there (a low descriptor limit), keeps `fd`, made close-on-exec.
fn park(fd: i32) -> i32 {
    // SAFETY: F_DUPFD_CLOEXEC and F_SETFD take integer arguments; `fd` is ours to close.
    unsafe {
        let high = host_syscall!(libc::SYS_fcntl, fd, libc::F_DUPFD_CLOEXEC, FD_FLOOR);
        if high >= 0 {
            host_syscall!(libc::SYS_close, fd);
            return high as i32;
        }
        host_syscall!(libc::SYS_fcntl, fd, libc::F_SETFD, libc::FD_CLOEXEC);
    }
    fd
}

/// Opens `path` for appending (created 0666 less the umask).
fn open_append(path: &Path) -> std::io::Result<i32> {
    let c = CString::new(path.as_os_str().as_bytes())
        .map_err(|_| std::io::Error::from_raw_os_error(libc::EINVAL))?;
    let flags = libc::O_WRONLY | libc::O_CREAT | libc::O_APPEND | libc::O_CLOEXEC;
    // SAFETY: `c` is NUL-terminated and outlives the call.
    let fd = unsafe { host_syscall!(libc::SYS_openat, libc::AT_FDCWD, c.as_ptr(), flags, 0o666) };
    if fd < 0 {
        return Err(std::io::Error::last_os_error());
    }
    Ok(fd as i32)
}

/// Runs in the child of every host fork (`pthread_atfork`): the next line opens the
/// child's own file. Only stores a flag, which is async-signal-safe.
extern "C" fn forked_child() {
    REOPEN.store(true, Ordering::Relaxed);
}

/// Turns tracing on, into `output`. Call once, at start-up, before the guest runs. A
/// closed stderr is nowhere to trace to, and no error to report: tracing stays off.
pub fn start(output: Output) -> std::io::Result<()> {
    let (fd, pattern) = match output {
        Output::Stderr => {
            // SAFETY: F_DUPFD_CLOEXEC takes an integer argument.
            let fd = unsafe { host_syscall!(libc::SYS_fcntl, 2, libc::F_DUPFD_CLOEXEC, 0) };
            if fd < 0 {
                return Ok(());
            }
            (park(fd as i32), None)
        }
        Output::File(pattern) => {
            let path = expand_pattern(&pattern, std::process::id());
            let fd = open_append(&path)
                .map_err(|e| std::io::Error::new(e.kind(), format!("{}: {e}", path.display())))?;
            (park(fd), Some(pattern))
        }
        Output::Inherited { fd, call, pattern } => {
            // SAFETY: F_SETFD takes an integer argument.
            if unsafe { host_syscall!(libc::SYS_fcntl, fd, libc::F_SETFD, libc::FD_CLOEXEC) } < 0 {
                return Err(std::io::Error::last_os_error());
            }
            FD.store(fd, Ordering::Relaxed);
            ON.store(true, Ordering::Relaxed);
            line(&format!("<... {call} resumed>) = 0"));
            (fd, pattern)
        }
    };
    if let Some(pattern) =
        pattern.filter(|p| p.as_os_str().as_bytes().windows(2).any(|w| w == b"%p"))
    {
        let _ = PATTERN.set(pattern);
        // SAFETY: registers a handler that only stores to an atomic.
        unsafe { libc::pthread_atfork(None, None, Some(forked_child)) };
    }
    FD.store(fd, Ordering::Relaxed);
    ON.store(true, Ordering::Relaxed);
    Ok(())
}

/// Whether tracing is on.
#[inline]
pub fn is_on() -> bool {
    ON.load(Ordering::Relaxed)
}

/// The trace's descriptor, which the guest must not close or replace.
pub fn fd() -> Option<i32> {
    let fd = FD.load(Ordering::Relaxed);
    (is_on() && fd >= 0).then_some(fd)
}

/// In a forked child whose trace file is named by pid: opens the child's own file on
/// the same descriptor number.
fn reopen_after_fork() {
    if !REOPEN.swap(false, Ordering::Relaxed) {
        return;
    }
    let Some(pattern) = PATTERN.get() else {
        return;
    };
    let Ok(new) = open_append(&expand_pattern(pattern, std::process::id())) else {
        // Keep writing to the parent's file.
        return;
    };
    // SAFETY: both descriptors are the tracer's own.
    unsafe {
        host_syscall!(
            libc::SYS_dup3,
            new,
            FD.load(Ordering::Relaxed),
            libc::O_CLOEXEC
        );
        host_syscall!(libc::SYS_close, new);
    }
}

/// Writes `body` as one line, prefixed with the calling thread's id.
fn line(body: &str) {
    reopen_after_fork();
    let text = format!("[pid {}] {body}\n", crate::thread::gettid());
    let fd = FD.load(Ordering::Relaxed);
    if past_file_size_limit(fd, text.len()) {
        // The host would refuse the write and send the process SIGXFSZ, which the
        // guest would take for its own: the line is lost instead.
        return;
    }
    let mut rest = text.as_bytes();
    while !rest.is_empty() {
        // SAFETY: `rest` is a live buffer of the length passed.
        let n = unsafe { host_syscall!(libc::SYS_write, fd, rest.as_ptr(), rest.len()) };
        if n < 0 {
            if std::io::Error::last_os_error().raw_os_error() == Some(libc::EINTR) {
                continue;
            }
            // A trace that cannot be written is lost; the guest goes on unchanged.
            return;
        }
        rest = &rest[n as usize..];
    }
}

/// Whether writing `len` more bytes to the trace file `fd` would pass the file-size limit
/// (`RLIMIT_FSIZE`, which the guest may have lowered; it is the host process's too).
/// Writes are appended, or at the descriptor's offset: the later of the two is used.
fn past_file_size_limit(fd: i32, len: usize) -> bool {
    let mut limit = [0u64; 2];
    // SAFETY: `limit` is a host `struct rlimit64`; no new limit is passed.
    let r = unsafe {
        host_syscall!(
            libc::SYS_prlimit64,
            0,
            libc::RLIMIT_FSIZE,
            std::ptr::null::<u64>(),
            limit.as_mut_ptr(),
        )
    };
    if r != 0 || limit[0] == libc::RLIM_INFINITY {
        return false;
    }
    // SAFETY: an all-zero `struct stat` is valid; fstat writes only to it.
    let mut st: libc::stat = unsafe { std::mem::zeroed() };
    // SAFETY: `st` is a writable host `struct stat`.
    if unsafe { host_syscall!(libc::SYS_fstat, fd, &mut st) } != 0
        || st.st_mode & libc::S_IFMT != libc::S_IFREG
    {
        return false; // only regular files have a size limit
    }
    // SAFETY: no pointer arguments.
    let offset = unsafe { host_syscall!(libc::SYS_lseek, fd, 0, libc::SEEK_CUR) };
    let end = (st.st_size.max(0) as u64).max(offset.max(0) as u64);
    end.saturating_add(len as u64) > limit[0]
}

/// A system call being traced, from its entry to its return.
pub struct Call {
    nr: u64,
    pieces: Vec<Piece>,
    /// Its start was printed already (`<unfinished ...>`).
    started: bool,
    /// The process that made it (a fork's child returns from it in another).
    pid: u32,
}

/// Notes system call `nr` entering, if tracing is on. The whole cost when it is off.
#[inline]
pub fn enter(mem: &GuestMemory, nr: u64, args: [u64; 6]) -> Option<Call> {
    if !is_on() {
        return None;
    }
    Some(Call::enter(mem, nr, args))
}

/// The name strace gives call `nr`.
fn call_name(nr: u64) -> String {
    match names::syscall(nr) {
        Some((name, _)) => name.to_string(),
        None => format!("syscall_{nr:#x}"),
    }
}

impl Call {
    #[cold]
    fn enter(mem: &GuestMemory, nr: u64, args: [u64; 6]) -> Call {
        let pieces = args::decode_entry(mem, nr, &args);
        let mut call = Call {
            nr,
            pieces,
            started: false,
            pid: std::process::id(),
        };
        if matches!(nr, nr::EXECVE | nr::EXECVEAT) {
            EXEC_CALL.store(nr, Ordering::Relaxed);
            let text = call.arguments(mem, None);
            line(&format!("{}({text} <unfinished ...>", call_name(nr)));
            call.started = true;
        }
        call
    }

    /// The arguments as shown once the call returned `result` (`None`: not known).
    fn arguments(&self, mem: &GuestMemory, result: Option<i64>) -> String {
        let shown: Vec<String> = self
            .pieces
            .iter()
            .map(|p| match p {
                Piece::Text(t) => t.clone(),
                Piece::AtExit { kind, value } => args::exit_piece(mem, *kind, *value, result),
            })
            .collect();
        shown.join(", ")
    }

    /// Prints the call as `dispatch` ended it. A call that made a thread is not over
    /// until the thread runs: it comes back, for [`Call::finish`] with the new tid.
    pub fn returned(
        self,
        mem: &GuestMemory,
        cpu: &CpuState,
        outcome: &SyscallOutcome,
    ) -> Option<Call> {
        let result = match *outcome {
            SyscallOutcome::Return(v) => Some(v),
            // `rt_sigreturn`: a0 as the restored context has it.
            SyscallOutcome::Resume => Some(cpu.x(abi::A0) as i64),
            SyscallOutcome::NewThread(_) => return Some(self),
            SyscallOutcome::Exit(_) | SyscallOutcome::ThreadExit(_) | SyscallOutcome::Killed(_) => {
                None
            }
        };
        // A fork's child returns 0 from the clone its parent reports.
        if matches!(self.nr, nr::CLONE | nr::CLONE3) && std::process::id() != self.pid {
            return None;
        }
        self.print(mem, result);
        None
    }

    /// Prints a call that made a thread, which returned `result`.
    pub fn finish(self, mem: &GuestMemory, result: i64) {
        self.print(mem, Some(result));
    }

    fn print(self, mem: &GuestMemory, result: Option<i64>) {
        let shown = result_text(self.nr, result);
        if self.started {
            line(&format!("<... {} resumed>) = {shown}", call_name(self.nr)));
        } else {
            let text = self.arguments(mem, result);
            line(&format!("{}({text}) = {shown}", call_name(self.nr)));
        }
    }
}

/// A call's result as strace shows it: a number (hex for addresses), `-1 ENOENT (No
/// such file or directory)`, `? ERESTARTSYS (...)`, or `?` for none (exit).
fn result_text(nr: u64, result: Option<i64>) -> String {
    let Some(v) = result else {
        return "?".to_string();
    };
    if (-4095..0).contains(&v) {
        let e = (-v) as i32;
        let (name, text) = names::errno(e);
        let shown = if names::is_restart(e) { "?" } else { "-1" };
        return format!("{shown} {name} ({text})");
    }
    match args::ret_kind(nr) {
        args::Ret::Hex => format!("{v:#x}"),
        args::Ret::Dec => v.to_string(),
    }
}

/// Reports a signal being delivered to the calling thread (whatever it then does).
#[inline]
pub fn signal(info: &SigInfo) {
    if is_on() {
        line(&format!(
            "--- {} {} ---",
            names::signal(info.signo() as i64),
            siginfo(info)
        ));
    }
}

/// How a thread ended, for [`thread_ended`].
#[derive(Clone, Copy, Debug)]
pub enum End {
    Exited(i32),
    Killed(i32),
}

/// Reports the calling thread's end (for the last thread, the process's).
pub fn thread_ended(end: End) {
    if !is_on() {
        return;
    }
    match end {
        End::Exited(status) => line(&format!("+++ exited with {} +++", status & 0xff)),
        End::Killed(sig) => line(&format!("+++ killed by {} +++", names::signal(sig as i64))),
    }
}

/// A `siginfo_t` as strace shows it: `{si_signo=SIGSEGV, si_code=SEGV_MAPERR, si_addr=NULL}`.
pub fn siginfo(info: &SigInfo) -> String {
    let b = &info.0;
    let i32_at = |o: usize| i32::from_le_bytes([b[o], b[o + 1], b[o + 2], b[o + 3]]);
    let u64_at = |o: usize| u64::from_le_bytes(b[o..o + 8].try_into().expect("8 bytes"));
    let sig = info.signo();
    let code = info.code();
    let mut out = format!(
        "{{si_signo={}, si_code={}",
        names::signal(sig as i64),
        si_code(sig, code)
    );
    let sender = format!(", si_pid={}, si_uid={}", i32_at(16), i32_at(20) as u32);
    match code {
        0 | -6 => out.push_str(&sender),
        -1 => out.push_str(&format!("{sender}, si_value={:#x}", u64_at(24))),
        -2 => out.push_str(&format!(
            ", si_timerid={:#x}, si_overrun={}, si_value={:#x}",
            i32_at(16),
            i32_at(20),
            u64_at(24)
        )),
        c if c > 0 && c != 0x80 => match sig {
            libc::SIGCHLD => {
                let status = if code == 1 {
                    i32_at(24).to_string()
                } else {
                    names::signal(i32_at(24) as i64)
                };
                out.push_str(&format!(
                    "{sender}, si_status={status}, si_utime={}, si_stime={}",
                    u64_at(32) as i64,
                    u64_at(40) as i64
                ));
            }
            libc::SIGSEGV | libc::SIGBUS | libc::SIGILL | libc::SIGFPE | libc::SIGTRAP => {
                out.push_str(&format!(", si_addr={}", args::hex(u64_at(16))));
            }
            libc::SIGSYS => {
                let nr = i32_at(24);
                let name = names::syscall(nr as u64)
                    .map_or_else(|| nr.to_string(), |(n, _)| n.to_string());
                let arch = match i32_at(28) as u32 {
                    crate::seccomp::AUDIT_ARCH_RISCV64 => "AUDIT_ARCH_RISCV64".to_string(),
                    a => format!("{a:#x}"),
                };
                let errno = i32_at(4);
                if errno != 0 {
                    out.push_str(&format!(", si_errno={}", names::errno(errno).0));
                }
                out.push_str(&format!(
                    ", si_call_addr={}, si_syscall=__NR_{name}, si_arch={arch}",
                    args::hex(u64_at(16))
                ));
            }
            _ => {}
        },
        _ => {}
    }
    out.push('}');
    out
}

/// The name of `si_code` `code` of signal `sig`.
fn si_code(sig: i32, code: i32) -> String {
    let generic = match code {
        0 => Some("SI_USER"),
        0x80 => Some("SI_KERNEL"),
        -1 => Some("SI_QUEUE"),
        -2 => Some("SI_TIMER"),
        -3 => Some("SI_MESGQ"),
        -4 => Some("SI_ASYNCIO"),
        -5 => Some("SI_SIGIO"),
        -6 => Some("SI_TKILL"),
        _ => None,
    };
    if let Some(name) = generic {
        return name.to_string();
    }
    // A match, not tables of `&str`: those would be load-time relocations.
    let name = match (sig, code) {
        (libc::SIGSEGV, 1) => "SEGV_MAPERR",
        (libc::SIGSEGV, 2) => "SEGV_ACCERR",
        (libc::SIGSEGV, 3) => "SEGV_BNDERR",
        (libc::SIGSEGV, 4) => "SEGV_PKUERR",
        (libc::SIGBUS, 1) => "BUS_ADRALN",
        (libc::SIGBUS, 2) => "BUS_ADRERR",
        (libc::SIGBUS, 3) => "BUS_OBJERR",
        (libc::SIGILL, 1) => "ILL_ILLOPC",
        (libc::SIGILL, 2) => "ILL_ILLOPN",
        (libc::SIGILL, 3) => "ILL_ILLADR",
        (libc::SIGILL, 4) => "ILL_ILLTRP",
        (libc::SIGILL, 5) => "ILL_PRVOPC",
        (libc::SIGILL, 6) => "ILL_PRVREG",
        (libc::SIGILL, 7) => "ILL_COPROC",
        (libc::SIGILL, 8) => "ILL_BADSTK",
        (libc::SIGFPE, 1) => "FPE_INTDIV",
        (libc::SIGFPE, 2) => "FPE_INTOVF",
        (libc::SIGFPE, 3) => "FPE_FLTDIV",
        (libc::SIGFPE, 4) => "FPE_FLTOVF",
        (libc::SIGFPE, 5) => "FPE_FLTUND",
        (libc::SIGFPE, 6) => "FPE_FLTRES",
        (libc::SIGFPE, 7) => "FPE_FLTINV",
        (libc::SIGFPE, 8) => "FPE_FLTSUB",
        (libc::SIGTRAP, 1) => "TRAP_BRKPT",
        (libc::SIGSYS, 1) => "SYS_SECCOMP",
        (libc::SIGTRAP, 2) => "TRAP_TRACE",
        (libc::SIGCHLD, 1) => "CLD_EXITED",
        (libc::SIGCHLD, 2) => "CLD_KILLED",
        (libc::SIGCHLD, 3) => "CLD_DUMPED",
        (libc::SIGCHLD, 4) => "CLD_TRAPPED",
        (libc::SIGCHLD, 5) => "CLD_STOPPED",
        (libc::SIGCHLD, 6) => "CLD_CONTINUED",
        _ => return code.to_string(),
    };
    name.to_string()
}

/// What a guest exec of a RISC-V program passes to the new vm so that it keeps
/// tracing into the same output: made while the exec is tried, the trace descriptor is
/// inherited across it; dropped (the exec failed), it is close-on-exec again.
pub struct ExecHandoff {
    fd: i32,
}

impl ExecHandoff {
    /// Prepares the handoff, if tracing is on.
    pub fn new() -> Option<ExecHandoff> {
        let fd = fd()?;
        // SAFETY: F_SETFD takes an integer argument.
        unsafe { host_syscall!(libc::SYS_fcntl, fd, libc::F_SETFD, 0) };
        Some(ExecHandoff { fd })
    }

    /// The `vm run` words that continue the trace.
    pub fn words(&self) -> Vec<CString> {
        let call = call_name(EXEC_CALL.load(Ordering::Relaxed));
        let mut words =
            vec![CString::new(format!("--strace-exec={}:{call}", self.fd)).expect("no NUL")];
        if let Some(pattern) = PATTERN.get() {
            let mut w = b"--strace=".to_vec();
            w.extend_from_slice(pattern.as_os_str().as_bytes());
            // A pattern given on a command line has no NUL.
            words.extend(CString::new(w).ok());
        }
        words
    }
}

impl Drop for ExecHandoff {
    fn drop(&mut self) {
        // SAFETY: F_SETFD takes an integer argument.
        unsafe { host_syscall!(libc::SYS_fcntl, self.fd, libc::F_SETFD, libc::FD_CLOEXEC) };
    }
}
