//! Starting another program: `execve` and `execveat`.
//!
//! The new program replaces this host process, as in Linux:
//! - a RISC-V 64 ELF runs in a fresh VM: the VM's own executable is host-exec'd as
//!   `vm run [options] --argv0 ARGV0 -- PROGRAM ARGS...` with the same [`VmOptions`] and
//!   the guest's environment, exactly, as its environment;
//! - a `#!` script is parsed as Linux's `binfmt_script` does (an interpreter and at most
//!   one optional argument, from the first line within 256 bytes); if the interpreter is a
//!   RISC-V ELF it runs in a fresh VM with argv `[interp, (arg), script, argv[1..]]`,
//!   otherwise the host kernel runs the script;
//! - anything else (a host binary, an unknown format) is host-exec'd as it is, and the
//!   host kernel's answer (e.g. `ENOEXEC`) is the guest's.
//!
//! Errors are found before anything is replaced and come back as Linux's errnos: the path
//! (`EFAULT`, `ENOENT`, `ENOTDIR`, `ELOOP`), the file (`EACCES` for directories, other
//! non-regular files and files without execute permission), the arguments (`EFAULT`,
//! `E2BIG`). The guest continues after a failure.
//!
//! Invariants: descriptors pass through the host exec, close-on-exec ones closed by the
//! host kernel (the VM's own descriptors are all close-on-exec). Before every host exec the
//! host's signal dispositions and mask are made the guest's ([`adopt_guest_signals`]), and
//! restored if the exec fails. The guest's personality goes with it: to a fresh VM as an
//! option (`--personality`), to a host program as the host's personality, which is
//! restored if the exec fails. So do the resource limits vm keeps for the guest: to a
//! fresh VM as options (`--rlimit`), to a host program as the host's soft limits
//! ([`GuestLimitsOnHost`]), restored if the exec fails. The calling thread's seccomp
//! filters go to a fresh VM as options (`--seccomp-filter`); a host program cannot keep
//! them (they test RISC-V system calls) and runs without.

use super::{proc_self_exe, read_path, Errno, SysResult};
use crate::host_limits::GuestLimitsOnHost;
use crate::options::VmOptions;
use crate::state::{ProcessState, SigAction, Signals};
use std::borrow::Cow;
use std::ffi::{CStr, CString};
use std::os::fd::{AsRawFd, FromRawFd, OwnedFd};
use std::os::unix::ffi::OsStrExt;
use std::path::PathBuf;
use std::sync::OnceLock;
use vm_engine::EngineKind;
use vm_ir::GuestAddr;
use vm_memory::GuestMemory;

/// Longest single argument or environment string, NUL included (`MAX_ARG_STRLEN`).
const MAX_ARG_STRLEN: usize = 32 * 4096;
/// How much of a file Linux looks at to recognise its format (`BINPRM_BUF_SIZE`).
const BINPRM_BUF_SIZE: usize = 256;
/// `e_machine` of RISC-V.
const EM_RISCV: u16 = 243;

/// The VM's executable, as found at start-up.
static VM_EXE: OnceLock<Option<PathBuf>> = OnceLock::new();

/// A descriptor of the VM's executable, once the guest has changed its root directory
/// (where neither `/proc/self/exe` nor the remembered path may exist): close-on-exec,
/// numbered 512 or above, and never closed or replaced by the guest (`fd::vm_owned`).
static VM_EXE_FD: OnceLock<Option<OwnedFd>> = OnceLock::new();

/// Opens and keeps a descriptor of the VM's executable, so that guest execs of RISC-V
/// programs work whatever the root directory becomes. Idempotent; without procfs or the
/// remembered path it keeps nothing and execs fall back to those paths.
pub fn hold_vm_executable() {
    VM_EXE_FD.get_or_init(|| {
        let remembered = VM_EXE.get_or_init(|| std::env::current_exe().ok()).clone();
        let candidates = [Some(PathBuf::from("/proc/self/exe")), remembered];
        let file = candidates
            .into_iter()
            .flatten()
            .find_map(|p| std::fs::File::open(p).ok())?;
        // SAFETY: F_DUPFD_CLOEXEC takes an integer argument.
        let fd = unsafe {
            host_syscall!(
                libc::SYS_fcntl,
                file.as_raw_fd(),
                libc::F_DUPFD_CLOEXEC,
                512
            )
        };
        let fd = fd as i32;
        // SAFETY: `fd` was just created and is owned by nobody else.
        (fd >= 0).then(|| unsafe { OwnedFd::from_raw_fd(fd) })
    });
}

/// Takes `fd`, inherited from the VM that started this one (`vm run --vm-exe-fd`), as
/// the descriptor of the VM's executable: a VM started inside a changed root needs it
/// for its own execs. Ignored unless it is an open regular file.
pub fn adopt_vm_executable(fd: i32) {
    let mut st = std::mem::MaybeUninit::<libc::stat>::zeroed();
    // SAFETY: `st` is a host `struct stat`.
    let ok = unsafe { libc::fstat(fd, st.as_mut_ptr()) } == 0
        // SAFETY: filled by the successful call (and zeroed before).
        && unsafe { st.assume_init() }.st_mode & libc::S_IFMT == libc::S_IFREG;
    if !ok {
        return;
    }
    // SAFETY: F_SETFD takes an integer argument.
    unsafe { host_syscall!(libc::SYS_fcntl, fd, libc::F_SETFD, libc::FD_CLOEXEC) };
    // SAFETY: the descriptor was handed to this process to own, and nothing else uses it.
    let owned = unsafe { OwnedFd::from_raw_fd(fd) };
    // Dropped (closed) if a descriptor is already held.
    let _ = VM_EXE_FD.set(Some(owned));
}

/// The VM's own descriptor of its executable, if it holds one.
pub fn vm_fd() -> Option<i32> {
    VM_EXE_FD.get()?.as_ref().map(AsRawFd::as_raw_fd)
}

/// Remembers where the VM's executable is, for guest execs of RISC-V programs. Call it at
/// start-up, before anything can change the current directory or replace the file.
///
/// Procfs names it; where there is none (vm started by hand in a new root without
/// `/proc`), the path vm was invoked by does, if `invoked_as` (argv[0]) is a path.
/// A binfmt_misc start passes `None`: its argv[0] is the path the handler was registered
/// with, which in another root may name nothing or some other file.
pub fn remember_vm_executable(invoked_as: Option<&std::ffi::OsStr>) {
    let by_procfs = std::env::current_exe().ok();
    let without_procfs = by_procfs.is_none();
    let remembered =
        VM_EXE.get_or_init(|| by_procfs.or_else(|| invoked_as.and_then(path_invoked_by)));
    // The VMs this one starts are invoked as plain "vm": without procfs, only a descriptor
    // handed down to them (`--vm-exe-fd`) lets them start others in turn.
    if without_procfs && remembered.is_some() {
        hold_vm_executable();
    }
}

/// The absolute path of the file `argv0` names when it contains a slash (as the shell
/// ran it): relative to the current directory, which start-up has not changed yet.
fn path_invoked_by(argv0: &std::ffi::OsStr) -> Option<PathBuf> {
    let path = std::path::Path::new(argv0);
    if !argv0.as_bytes().contains(&b'/') {
        return None;
    }
    let absolute = if path.is_absolute() {
        path.to_path_buf()
    } else {
        std::env::current_dir().ok()?.join(path)
    };
    absolute.is_file().then_some(absolute)
}

/// `execve(path, argv, envp)`.
pub fn execve(
    state: &mut ProcessState,
    mem: &GuestMemory,
    path: GuestAddr,
    argv: GuestAddr,
    envp: GuestAddr,
) -> SysResult {
    execveat(state, mem, libc::AT_FDCWD, path, argv, envp, 0)
}

/// `execveat(dirfd, path, argv, envp, flags)`.
pub fn execveat(
    state: &mut ProcessState,
    mem: &GuestMemory,
    dirfd: i32,
    path: GuestAddr,
    argv: GuestAddr,
    envp: GuestAddr,
    flags: i32,
) -> SysResult {
    if flags & !(libc::AT_EMPTY_PATH | libc::AT_SYMLINK_NOFOLLOW) != 0 {
        return Err(Errno(libc::EINVAL));
    }
    let guest_path = read_path(mem, path)?;
    if guest_path.is_empty() && flags & libc::AT_EMPTY_PATH == 0 {
        return Err(Errno(libc::ENOENT));
    }
    let target = Target::resolve(state, dirfd, &guest_path, flags);
    let plan = plan(state, &target, &guest_path)?;
    let argv = read_strings(mem, argv)?;
    let envp = read_strings(mem, envp)?;
    check_size(state, &guest_path, &argv, &envp)?;
    // Linux's point of no return, which vm's host exec has too (the checks above are the
    // failures Linux reports before it): the exec releases the robust futexes of every
    // thread, its own and those of the threads it kills.
    super::release_group_robust_futexes(mem, &state.signals.group);
    super::vfork::before_exec(state, mem);
    let saved = adopt_guest_signals(&state.signals);
    let err = match plan {
        Plan::Host => {
            // SAFETY: no pointer arguments; the personality only changes how the host
            // runs this process from the exec on.
            let own = unsafe { libc::personality(state.personality as libc::c_ulong) };
            let err = host_exec(state, &target, &argv, &envp);
            // SAFETY: as above, putting back the VM's own.
            unsafe { libc::personality(own as libc::c_ulong) };
            err
        }
        Plan::Vm {
            program,
            argv0,
            args,
        } => {
            let argv0 = argv0.unwrap_or_else(|| argv.first().cloned().unwrap_or_default());
            let rest = args.iter().chain(argv.iter().skip(1));
            let guest = GuestIdentity {
                argv0: &argv0,
                comm: &process_name(dirfd, &guest_path),
                personality: state.personality,
                rlimits: crate::thread::lock(&state.emulated_rlimits)
                    .iter()
                    .map(|(&resource, &limit)| (resource, limit))
                    .collect(),
                seccomp: state.signals.thread.seccomp.mode(),
            };
            match vm_exec(&state.options, &program, &guest, rest, &envp) {
                // No executable of vm can be reached (a new root without procfs): the
                // host kernel may still run the program, through a binfmt_misc handler
                // for RISC-V (which is how a vm started that way usually started).
                Errno(libc::ENOENT | libc::EACCES) => {
                    warn_vm_unreachable();
                    host_exec(state, &target, &argv, &envp)
                }
                err => err,
            }
        }
    };
    saved.restore();
    Err(err)
}

/// The file to execute, as the host names it: `path` relative to `dirfd` (or the
/// descriptor itself when `path` is empty and `AT_EMPTY_PATH` is set).
struct Target {
    dirfd: i32,
    path: CString,
    flags: i32,
}

impl Target {
    fn resolve(state: &ProcessState, dirfd: i32, guest: &CStr, flags: i32) -> Target {
        let at = flags & (libc::AT_EMPTY_PATH | libc::AT_SYMLINK_NOFOLLOW);
        if let Some(exe) = proc_self_exe(state, guest) {
            return Target {
                dirfd: libc::AT_FDCWD,
                path: exe,
                flags: at & !libc::AT_EMPTY_PATH,
            };
        }
        Target {
            dirfd,
            path: host_file(&state.options, guest).into_owned(),
            flags: at,
        }
    }

    /// A path naming the file that stays valid in another process (with the same current
    /// directory): descriptors are spelled out through procfs.
    fn portable_path(&self) -> CString {
        let p = self.path.to_bytes();
        if p.first() == Some(&b'/') || self.dirfd == libc::AT_FDCWD {
            return self.path.clone();
        }
        let dir = std::fs::read_link(format!("/proc/self/fd/{}", self.dirfd))
            .map(|d| d.as_os_str().as_bytes().to_vec())
            .unwrap_or_else(|_| format!("/proc/self/fd/{}", self.dirfd).into_bytes());
        let full = if p.is_empty() {
            dir
        } else {
            [dir, b"/".to_vec(), p.to_vec()].concat()
        };
        CString::new(full).expect("procfs links and C strings contain no NUL")
    }

    /// Checks the file as execve does and reads the start of it.
    fn inspect(&self) -> Result<Vec<u8>, Errno> {
        let mut st = std::mem::MaybeUninit::<libc::stat>::zeroed();
        // SAFETY: `path` is NUL-terminated and `st` a host `struct stat`.
        super::host(unsafe {
            host_syscall!(
                libc::SYS_newfstatat,
                self.dirfd,
                self.path.as_ptr(),
                st.as_mut_ptr(),
                self.flags,
            )
        })?;
        // SAFETY: filled by the successful call (and zeroed before).
        let st = unsafe { st.assume_init() };
        match st.st_mode & libc::S_IFMT {
            libc::S_IFREG => {}
            libc::S_IFLNK => return Err(Errno(libc::ELOOP)),
            _ => return Err(Errno(libc::EACCES)),
        }
        // SAFETY: as above; no output arguments.
        let access = unsafe {
            host_syscall!(
                libc::SYS_faccessat2,
                self.dirfd,
                self.path.as_ptr(),
                libc::X_OK,
                libc::AT_EACCESS | self.flags,
            )
        };
        if access != 0 && Errno::last().0 != libc::ENOSYS {
            return Err(Errno(libc::EACCES));
        }
        let open_path = if self.path.is_empty() {
            CString::new(format!("/proc/self/fd/{}", self.dirfd)).expect("no NUL")
        } else {
            self.path.clone()
        };
        let nofollow = if self.flags & libc::AT_SYMLINK_NOFOLLOW != 0 {
            libc::O_NOFOLLOW
        } else {
            0
        };
        let dirfd = if self.path.is_empty() {
            libc::AT_FDCWD
        } else {
            self.dirfd
        };
        // SAFETY: `open_path` is NUL-terminated.
        let fd = super::host(unsafe {
            host_syscall!(
                libc::SYS_openat,
                dirfd,
                open_path.as_ptr(),
                libc::O_RDONLY | libc::O_CLOEXEC | nofollow,
            )
        })? as i32;
        // SAFETY: `fd` was just opened and is owned by nobody else.
        let file = unsafe { <std::os::fd::OwnedFd as std::os::fd::FromRawFd>::from_raw_fd(fd) };
        read_head(std::fs::File::from(file))
            .map_err(|e| Errno(e.raw_os_error().unwrap_or(libc::EIO)))
    }
}

/// The first `BINPRM_BUF_SIZE` bytes of a file (fewer if it is shorter).
fn read_head(file: std::fs::File) -> std::io::Result<Vec<u8>> {
    use std::io::Read;
    let mut buf = Vec::with_capacity(BINPRM_BUF_SIZE);
    file.take(BINPRM_BUF_SIZE as u64).read_to_end(&mut buf)?;
    Ok(buf)
}

/// Where an absolute guest path is on the host (through the sysroot); others unchanged.
fn host_file<'a>(options: &VmOptions, guest: &'a CStr) -> Cow<'a, CStr> {
    if guest.to_bytes().first() == Some(&b'/') {
        crate::sysroot::host_path(options, guest)
    } else {
        Cow::Borrowed(guest)
    }
}

/// How deep `#!` interpreters may nest before execve fails with `ELOOP`
/// (`BINPRM_MAX_RECURSION`: a script, and four interpreters that are scripts).
const MAX_SCRIPT_DEPTH: usize = 4;

/// The program a script's exec loads (its interpreter's host path) and its argv.
pub type ScriptStart = (PathBuf, Vec<Vec<u8>>);

/// What `vm run PROG` loads when PROG is a `#!` script, found as execve finds it: the
/// interpreter named on the first line (an absolute one through the sysroot, as a guest's
/// execve looks it up), and argv `[interp, (arg), PROG, argv[1..]]`, repeated while the
/// interpreter is itself a script. `Ok(None)` when PROG is not a script or cannot be
/// read (loading it reports why). A script whose interpreter is not a RISC-V program is
/// an error: the host kernel runs those for a guest's execve, but `vm run` runs only
/// RISC-V programs.
pub fn script_start(
    options: &VmOptions,
    program: &std::path::Path,
    argv: &[Vec<u8>],
) -> Result<Option<ScriptStart>, crate::process::StartError> {
    use crate::process::{open_program, StartError};
    use std::io::Read;
    // Most programs are not scripts: two bytes say so before anything is mapped.
    let mut magic = [0u8; 2];
    let opened = std::fs::File::open(program).and_then(|mut f| f.read_exact(&mut magic));
    if opened.is_err() || magic != *b"#!" {
        return Ok(None);
    }
    // As execve: the script must be an executable file; its head says what it is.
    let head_of = |file: crate::program_file::ProgramFile| {
        file.bytes()[..file.bytes().len().min(BINPRM_BUF_SIZE)].to_vec()
    };
    let Ok(file) = open_program(program) else {
        return Ok(None);
    };
    let mut head = head_of(file);
    let mut path = program.to_path_buf();
    let mut argv = argv.to_vec();
    let mut depth = 0;
    let mut named = Vec::new();
    loop {
        let shebang = match parse_shebang(&head) {
            Ok(Some(shebang)) => shebang,
            Ok(None) if depth == 0 => return Ok(None),
            Ok(None) if is_guest_elf(&head) => return Ok(Some((path, argv))),
            Ok(None) => {
                return Err(StartError::ScriptInterpNotGuest {
                    path: program.to_path_buf(),
                    interp: String::from_utf8_lossy(&named).into_owned(),
                })
            }
            Err(_) => return Err(StartError::BadScript { path }),
        };
        if depth == MAX_SCRIPT_DEPTH {
            return Err(StartError::ScriptLoop {
                path: program.to_path_buf(),
            });
        }
        depth += 1;
        named = shebang.interp;
        let mut next = vec![named.clone()];
        next.extend(shebang.arg);
        next.push(path.as_os_str().as_bytes().to_vec());
        next.extend(argv.into_iter().skip(1));
        argv = next;
        let interp = CString::new(named.clone()).map_err(|_| StartError::BadScript { path })?;
        path = PathBuf::from(std::ffi::OsStr::from_bytes(
            host_file(options, &interp).to_bytes(),
        ));
        head = match open_program(&path) {
            Ok(file) => head_of(file),
            Err(StartError::Io { source, .. }) if source.kind() == std::io::ErrorKind::NotFound => {
                return Err(StartError::InterpNotFound {
                    path: program.to_path_buf(),
                    interp: interp.to_string_lossy().into_owned(),
                    sysroot: options.sysroot.clone(),
                })
            }
            Err(e) => {
                return Err(StartError::Interp {
                    path: program.to_path_buf(),
                    source: Box::new(e),
                })
            }
        };
    }
}

/// Whether the start of a file is a RISC-V 64 little-endian executable or shared object.
fn is_guest_elf(head: &[u8]) -> bool {
    head.len() >= 20
        && head[..4] == *b"\x7fELF"
        && head[4] == 2
        && head[5] == 1
        && matches!(u16::from_le_bytes([head[16], head[17]]), 2 | 3)
        && u16::from_le_bytes([head[18], head[19]]) == EM_RISCV
}

/// A parsed `#!` line.
#[derive(Debug, PartialEq, Eq)]
pub(super) struct Shebang {
    pub interp: Vec<u8>,
    pub arg: Option<Vec<u8>>,
}

/// Parses the start of a file (at most 256 bytes) as Linux's `binfmt_script` does;
/// `Err(ENOEXEC)` for a file without a usable `#!` line, `Ok(None)` if it is not a script.
pub(super) fn parse_shebang(head: &[u8]) -> Result<Option<Shebang>, Errno> {
    if !head.starts_with(b"#!") {
        return Ok(None);
    }
    let noexec = Err(Errno(libc::ENOEXEC));
    // The kernel's buffer: the file's first bytes, zero-padded; the last byte is never used.
    let mut buf = [0u8; BINPRM_BUF_SIZE];
    let n = head.len().min(BINPRM_BUF_SIZE);
    buf[..n].copy_from_slice(&head[..n]);
    let buf_end = BINPRM_BUF_SIZE - 1;
    let spacetab = |c: u8| c == b' ' || c == b'\t';
    let terminator = |c: u8| c == b' ' || c == b'\t' || c == 0;
    let next_non_spacetab = |from: usize, end: usize| (from..end).find(|&i| !spacetab(buf[i]));
    let next_terminator = |from: usize, end: usize| (from..end).find(|&i| terminator(buf[i]));
    let mut i_end = match buf.iter().position(|&c| c == b'\n') {
        Some(nl) => nl,
        None => {
            // No newline: the line must not be all blanks, and the interpreter's name must
            // end inside the buffer, else it may have been cut short.
            let Some(first) = next_non_spacetab(2, buf_end) else {
                return noexec;
            };
            if next_terminator(first, buf_end).is_none() {
                return noexec;
            }
            buf_end
        }
    };
    while i_end > 2 && spacetab(buf[i_end - 1]) {
        i_end -= 1;
    }
    let i_name = match next_non_spacetab(2, i_end) {
        Some(i) if i != i_end => i,
        _ => return noexec,
    };
    let i_sep = next_terminator(i_name, i_end);
    let name_end = i_sep.unwrap_or(i_end);
    let arg = match i_sep {
        Some(sep) if buf[sep] != 0 => next_non_spacetab(sep, i_end).map(|a| {
            let end = (a..i_end).find(|&i| buf[i] == 0).unwrap_or(i_end);
            buf[a..end].to_vec()
        }),
        _ => None,
    };
    Ok(Some(Shebang {
        interp: buf[i_name..name_end].to_vec(),
        arg,
    }))
}

/// How the new program runs.
enum Plan {
    /// The host kernel executes the target.
    Host,
    /// A fresh VM runs `program` with argv `[argv0, args.., argv[1..]]`; `argv0` `None`
    /// means the guest's own argv[0].
    Vm {
        program: CString,
        argv0: Option<CString>,
        args: Vec<CString>,
    },
}

fn plan(state: &ProcessState, target: &Target, guest_path: &CStr) -> Result<Plan, Errno> {
    let head = target.inspect()?;
    if is_guest_elf(&head) {
        return Ok(Plan::Vm {
            program: target.portable_path(),
            argv0: None,
            args: Vec::new(),
        });
    }
    let Some(shebang) = parse_shebang(&head)? else {
        return Ok(Plan::Host);
    };
    let interp = CString::new(shebang.interp).map_err(|_| Errno(libc::ENOEXEC))?;
    let interp_target = Target {
        dirfd: libc::AT_FDCWD,
        path: host_file(&state.options, &interp).into_owned(),
        flags: 0,
    };
    if !interp_is_guest(&interp_target)? {
        return Ok(Plan::Host);
    }
    // What Linux passes as the script's name: the path as given, or through /dev/fd.
    let script = {
        let p = guest_path.to_bytes();
        if p.first() == Some(&b'/') || target.dirfd == libc::AT_FDCWD {
            p.to_vec()
        } else if p.is_empty() {
            format!("/dev/fd/{}", target.dirfd).into_bytes()
        } else {
            [format!("/dev/fd/{}/", target.dirfd).as_bytes(), p].concat()
        }
    };
    let no_nul = |b: Vec<u8>| CString::new(b).map_err(|_| Errno(libc::ENOEXEC));
    let mut args = Vec::new();
    if let Some(arg) = shebang.arg {
        args.push(no_nul(arg)?);
    }
    args.push(no_nul(script)?);
    Ok(Plan::Vm {
        program: interp_target.path,
        argv0: Some(interp),
        args,
    })
}

/// Whether a script's interpreter is a RISC-V program (its errors are the exec's errors;
/// an interpreter that is itself a script is left to the host kernel).
fn interp_is_guest(interp: &Target) -> Result<bool, Errno> {
    Ok(is_guest_elf(&interp.inspect()?))
}

/// Reads a NULL-terminated guest array of string pointers (a null array is empty).
fn read_strings(mem: &GuestMemory, array: GuestAddr) -> Result<Vec<CString>, Errno> {
    let mut out = Vec::new();
    if array == 0 {
        return Ok(out);
    }
    let mut total = 0usize;
    for i in 0u64.. {
        let slot = array.checked_add(i * 8).ok_or(Errno(libc::EFAULT))?;
        let ptr = mem.read_u64(slot)?;
        if ptr == 0 {
            break;
        }
        if ptr >= vm_memory::GUEST_SPACE {
            return Err(Errno(libc::EFAULT));
        }
        let s = mem
            .read_cstr(ptr, MAX_ARG_STRLEN - 1)?
            .ok_or(Errno(libc::E2BIG))?;
        total += s.len() + 1 + 8;
        // Far past any limit: stop before reading the whole address space.
        if total as u64 > crate::layout::ARG_LIMIT_CEILING {
            return Err(Errno(libc::E2BIG));
        }
        out.push(CString::new(s).expect("read_cstr stops at the first NUL"));
    }
    Ok(out)
}

/// Linux's limit on the size of arguments and environment: a quarter of the stack limit,
/// between 128 KiB and 6 MiB, counting the strings, their pointers and the file name.
fn check_size(
    state: &ProcessState,
    path: &CStr,
    argv: &[CString],
    envp: &[CString],
) -> Result<(), Errno> {
    let stack = crate::host_limits::limit_of_guest(
        &crate::thread::lock(&state.emulated_rlimits),
        libc::RLIMIT_STACK,
    );
    let limit = crate::layout::arg_limit(stack[0]) as usize;
    let pointers = (argv.len().max(1) + envp.len()) * 8;
    let strings: usize = argv
        .iter()
        .chain(envp)
        .map(|s| s.as_bytes().len() + 1)
        .sum::<usize>()
        + path.to_bytes().len()
        + 1;
    if pointers + strings > limit {
        return Err(Errno(libc::E2BIG));
    }
    Ok(())
}

/// A NULL-terminated array of pointers to `strings`, valid while they live.
fn pointer_array<'a>(strings: impl IntoIterator<Item = &'a CStr>) -> Vec<*const libc::c_char> {
    strings
        .into_iter()
        .map(CStr::as_ptr)
        .chain(std::iter::once(std::ptr::null()))
        .collect()
}

/// Lets the host kernel execute the target; returns only on failure.
fn host_exec(state: &ProcessState, target: &Target, argv: &[CString], envp: &[CString]) -> Errno {
    let argv_ptrs = pointer_array(argv.iter().map(CString::as_c_str));
    let envp_ptrs = pointer_array(envp.iter().map(CString::as_c_str));
    let limits: Vec<_> = crate::thread::lock(&state.emulated_rlimits)
        .iter()
        .map(|(&resource, &limit)| (resource, limit))
        .collect();
    // Put back when this returns, on failure.
    let _on_host = GuestLimitsOnHost::apply(&limits);
    // SAFETY: the path and every string are NUL-terminated and the arrays NULL-terminated;
    // all outlive the call, which returns only on failure.
    unsafe {
        host_syscall!(
            libc::SYS_execveat,
            target.dirfd,
            target.path.as_ptr(),
            argv_ptrs.as_ptr(),
            envp_ptrs.as_ptr(),
            target.flags,
        )
    };
    Errno::last()
}

/// Says once that guest programs are left to the host kernel to run.
fn warn_vm_unreachable() {
    static WARNED: std::sync::Once = std::sync::Once::new();
    WARNED.call_once(|| {
        tracing::warn!(
            "vm's own executable is not reachable (no /proc in this root?): RISC-V \
             programs are executed through the host kernel, which runs them only with a \
             binfmt_misc handler for RISC-V"
        )
    });
}

/// The `vm run` option naming an engine.
fn engine_name(engine: EngineKind) -> &'static str {
    match engine {
        EngineKind::Interp => "interp",
    }
}

/// The name Linux gives a process that execs `path` relative to `dirfd`: the last
/// component of the file name execve was given (a `#!` script's own, not its
/// interpreter's), which for an `AT_EMPTY_PATH` exec is `/dev/fd/N`.
fn process_name(dirfd: i32, path: &CStr) -> CString {
    let path = path.to_bytes();
    if path.is_empty() {
        return CString::new(dirfd.to_string()).expect("digits");
    }
    let last = path.rsplit(|&b| b == b'/').next().unwrap_or(path);
    CString::new(last).expect("a path has no NUL")
}

/// What a fresh VM is told about the guest program it runs, beyond its options.
struct GuestIdentity<'a> {
    argv0: &'a CStr,
    /// The process name (`/proc/PID/comm`).
    comm: &'a CStr,
    /// The personality before the exec.
    personality: u32,
    /// The resource limits vm keeps for the guest (`ProcessState::emulated_rlimits`).
    rlimits: Vec<(u32, [u64; 2])>,
    /// The calling thread's seccomp filters, which the program keeps.
    seccomp: crate::seccomp::Mode,
}

/// `personality` execution domain of 32-bit programs on a 64-bit kernel, kept by exec.
const PER_LINUX32: u32 = 0x0008;
/// The execution-domain byte of a personality (`PER_MASK`).
const PER_MASK: u32 = 0x00ff;

/// The personality a program starts with after an exec from `before`: the flags stay,
/// the execution domain becomes `PER_LINUX` (0) unless it is `PER_LINUX32`, as riscv64
/// Linux's `SET_PERSONALITY` does.
pub fn personality_after_exec(before: u32) -> u32 {
    if before & PER_MASK == PER_LINUX32 {
        before
    } else {
        before & !PER_MASK
    }
}

/// The single command-line word `name` followed by `value` (`--argv0=-u`).
fn option_word(name: &str, value: &CStr) -> CString {
    let mut word = name.as_bytes().to_vec();
    word.extend_from_slice(value.to_bytes());
    CString::new(word).expect("neither part has a NUL")
}

/// Runs `program` in a fresh VM with the same options; returns only on failure.
fn vm_exec<'a>(
    options: &VmOptions,
    program: &CStr,
    guest: &GuestIdentity,
    args: impl Iterator<Item = &'a CString>,
    envp: &[CString],
) -> Errno {
    let c = |s: &str| CString::new(s).expect("no NUL");
    // argv[0] "vm", not the executable's name, which could select a binfmt mode.
    let mut vm_argv = vec![
        c("vm"),
        c("run"),
        c("--engine"),
        c(engine_name(options.engine)),
    ];
    // `-L /` is "no sysroot": without it the new vm would pick the default one.
    let root = options
        .sysroot
        .as_deref()
        .unwrap_or(std::path::Path::new("/"));
    vm_argv.push(c("-L"));
    vm_argv.push(CString::new(root.as_os_str().as_bytes()).unwrap_or_default());
    // The held descriptor of the VM's executable stays open across the exec, for the
    // new VM's own execs (`--vm-exe-fd`); it is close-on-exec again if the exec fails.
    let held = vm_fd();
    if let Some(fd) = held {
        vm_argv.extend([c("--vm-exe-fd"), c(&fd.to_string())]);
    }
    // Guest strings go in `--opt=VALUE` words: a separate word that looks like an
    // option ("-u", "--", as coreutils' `env -- -u` gives) would be parsed as one.
    vm_argv.push(option_word("--comm=", guest.comm));
    // A traced guest's trace goes on in the new VM, into the same descriptor.
    let strace = crate::strace::ExecHandoff::new();
    vm_argv.extend(strace.iter().flat_map(|h| h.words()));
    // Always: without it the new VM would take the host's, which is vm's own.
    vm_argv.extend([c("--personality"), c(&guest.personality.to_string())]);
    // The kept resource limits, which execve keeps.
    for (resource, [soft, hard]) in &guest.rlimits {
        vm_argv.push(c(&format!("--rlimit={resource}:{soft}:{hard}")));
    }
    // The seccomp filters, which execve keeps.
    for filter in crate::seccomp::encode_for_exec(&guest.seccomp) {
        vm_argv.push(c(&format!("--seccomp-filter={filter}")));
    }
    // The signalfds the exec keeps open, which stay signalfds with their masks.
    for word in crate::signal::signalfd::exec_handoff() {
        vm_argv.push(c(&format!("--signalfd={word}")));
    }
    vm_argv.extend([
        option_word("--argv0=", guest.argv0),
        c("--"),
        program.to_owned(),
    ]);
    vm_argv.extend(args.cloned());
    let argv_ptrs = pointer_array(vm_argv.iter().map(CString::as_c_str));
    let envp_ptrs = pointer_array(envp.iter().map(CString::as_c_str));
    // The descriptor held since a chroot first; then the running executable through
    // procfs: it works even if the file was replaced or lives in another mount namespace
    // (binfmt_misc's F flag); then the remembered path.
    let remembered = VM_EXE
        .get_or_init(|| std::env::current_exe().ok())
        .as_ref()
        .and_then(|p| CString::new(p.as_os_str().as_bytes()).ok());
    if let Some(fd) = held {
        // SAFETY: F_SETFD takes an integer argument; then as in `host_exec`, with the
        // empty path and AT_EMPTY_PATH naming `fd`.
        unsafe {
            host_syscall!(libc::SYS_fcntl, fd, libc::F_SETFD, 0);
            host_syscall!(
                libc::SYS_execveat,
                fd,
                c"".as_ptr(),
                argv_ptrs.as_ptr(),
                envp_ptrs.as_ptr(),
                libc::AT_EMPTY_PATH,
            )
        };
    }
    let mut err = Errno(libc::ENOENT);
    for exe in [Some(c("/proc/self/exe")), remembered]
        .into_iter()
        .flatten()
    {
        // SAFETY: as in `host_exec`.
        unsafe { libc::execve(exe.as_ptr(), argv_ptrs.as_ptr(), envp_ptrs.as_ptr()) };
        err = Errno::last();
        if !matches!(err.0, libc::ENOENT | libc::EACCES) {
            break;
        }
    }
    if let Some(fd) = held {
        // SAFETY: F_SETFD takes an integer argument.
        unsafe { host_syscall!(libc::SYS_fcntl, fd, libc::F_SETFD, libc::FD_CLOEXEC) };
    }
    err
}

/// The host signal state an exec replaced, to put back if the exec fails.
struct SavedHostSignals {
    actions: Vec<(i32, libc::sigaction)>,
    mask: u64,
    /// The guest's pending signals queued on the host for the exec to keep.
    requeued: u64,
}

/// Makes the host's signal state the guest's, which a new program inherits: signals the
/// guest ignores are ignored, all others take their default action (handlers would be
/// reset by the exec anyway), the blocked mask is the guest's, and so are the pending
/// signals it blocks. A VM started by the
/// exec reads this state back as its guest's.
fn adopt_guest_signals(signals: &Signals) -> SavedHostSignals {
    let mut actions = Vec::new();
    for sig in 1..=64 {
        if sig == libc::SIGKILL || sig == libc::SIGSTOP {
            continue;
        }
        let ignored = signals.action(sig).handler == SigAction::SIG_IGN;
        // SAFETY: zeroed `sigaction`s are valid (empty mask, no flags, SIG_DFL).
        let mut new: libc::sigaction = unsafe { std::mem::zeroed() };
        new.sa_sigaction = if ignored {
            libc::SIG_IGN
        } else {
            libc::SIG_DFL
        };
        // SAFETY: as above.
        let mut old: libc::sigaction = unsafe { std::mem::zeroed() };
        // SAFETY: valid pointers to the two structures; the C library refuses the signals
        // it reserves, which are left alone.
        if unsafe { libc::sigaction(sig, &new, &mut old) } == 0 {
            actions.push((sig, old));
        }
    }
    let mut mask = 0u64;
    // SAFETY: raw `rt_sigprocmask` on kernel-sized (8-byte) sets, so every signal,
    // including those the C library reserves, takes the guest's state.
    unsafe {
        host_syscall!(
            libc::SYS_rt_sigprocmask,
            libc::SIG_SETMASK,
            std::ptr::addr_of!(signals.blocked),
            std::ptr::addr_of_mut!(mask),
            8,
        )
    };
    let requeued = crate::signal::host::requeue_for_exec(signals);
    SavedHostSignals {
        actions,
        mask,
        requeued,
    }
}

impl SavedHostSignals {
    fn restore(self) {
        crate::signal::host::unqueue_after_failed_exec(self.requeued);
        // SAFETY: as in `adopt_guest_signals`; the saved values came from the kernel.
        unsafe {
            host_syscall!(
                libc::SYS_rt_sigprocmask,
                libc::SIG_SETMASK,
                std::ptr::addr_of!(self.mask),
                std::ptr::null_mut::<u64>(),
                8,
            );
            for (sig, old) in &self.actions {
                libc::sigaction(*sig, old, std::ptr::null_mut());
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sb(interp: &str, arg: Option<&str>) -> Option<Shebang> {
        Some(Shebang {
            interp: interp.as_bytes().to_vec(),
            arg: arg.map(|a| a.as_bytes().to_vec()),
        })
    }

    #[test]
    fn shebang_lines_parse_as_linux_does() {
        assert_eq!(parse_shebang(b"\x7fELF").unwrap(), None);
        assert_eq!(
            parse_shebang(b"#!/bin/sh\necho").unwrap(),
            sb("/bin/sh", None)
        );
        assert_eq!(
            parse_shebang(b"#! \t/usr/bin/env  python3 -u \t\nx").unwrap(),
            sb("/usr/bin/env", Some("python3 -u"))
        );
        assert_eq!(
            parse_shebang(b"#!/bin/sh   \n").unwrap(),
            sb("/bin/sh", None)
        );
        // No newline at all: the end of the file ends the line.
        assert_eq!(
            parse_shebang(b"#!/bin/x a").unwrap(),
            sb("/bin/x", Some("a"))
        );
        // A NUL ends the interpreter's name and drops the argument.
        assert_eq!(
            parse_shebang(b"#!/bin/x\0 a\n").unwrap(),
            sb("/bin/x", None)
        );
        // An empty name (the file ends after `#!`): the exec then fails to find "".
        assert_eq!(parse_shebang(b"#!").unwrap(), sb("", None));
        for bad in [&b"#!\n"[..], b"#!   \t\n"] {
            assert_eq!(parse_shebang(bad), Err(Errno(libc::ENOEXEC)), "{bad:?}");
        }
        // An interpreter name that does not end within the 256-byte buffer.
        let long = [b"#!/".to_vec(), vec![b'a'; 300]].concat();
        assert_eq!(parse_shebang(&long), Err(Errno(libc::ENOEXEC)));
        // A long argument is cut at the buffer's end (255 bytes of line).
        let long_arg = [b"#!/bin/x ".to_vec(), vec![b'b'; 300]].concat();
        let parsed = parse_shebang(&long_arg).unwrap().unwrap();
        assert_eq!(parsed.interp, b"/bin/x");
        assert_eq!(parsed.arg.unwrap().len(), 255 - 9);
    }

    #[test]
    fn only_riscv64_executables_are_guest_programs() {
        let mut h = vec![0u8; 64];
        h[..4].copy_from_slice(b"\x7fELF");
        h[4] = 2;
        h[5] = 1;
        h[16] = 2;
        h[18..20].copy_from_slice(&EM_RISCV.to_le_bytes());
        assert!(is_guest_elf(&h));
        h[18..20].copy_from_slice(&62u16.to_le_bytes()); // x86-64
        assert!(!is_guest_elf(&h));
        h[18..20].copy_from_slice(&EM_RISCV.to_le_bytes());
        h[4] = 1; // 32-bit
        assert!(!is_guest_elf(&h));
    }
}
