//! Decoding as strace prints it: flags, escaping, names, results, and guest memory read
//! safely (a bad pointer is hex, never a fault).

use super::args::{self, Piece};
use super::flags::{self, quoted};
use super::names;
use super::*;
use vm_memory::{Perm, RegionKind, PAGE_SIZE};

/// A guest memory with one read-write page at [`PAGE`] (the page after it unmapped).
fn guest() -> GuestMemory {
    let mem = GuestMemory::new().expect("reserve guest memory");
    mem.map_fixed(PAGE, PAGE_SIZE, Perm::RW, RegionKind::Anonymous)
        .unwrap();
    mem
}

const PAGE: u64 = 0x10_0000;
const UNMAPPED: u64 = 0x50_0000;

/// The arguments of call `nr` as shown at entry (pieces decoded at exit as `<exit>`).
fn entry(mem: &GuestMemory, nr: u64, a: &[u64]) -> Vec<String> {
    let mut args = [0u64; 6];
    args[..a.len()].copy_from_slice(a);
    args::decode_entry(mem, nr, &args)
        .into_iter()
        .map(|p| match p {
            Piece::Text(t) => t,
            Piece::AtExit { .. } => "<exit>".to_string(),
        })
        .collect()
}

#[test]
fn open_flags_name_the_access_mode_then_each_flag() {
    let o = |f: i32| flags::open_flags(f as u64);
    assert_eq!(o(libc::O_RDONLY), "O_RDONLY");
    assert_eq!(o(libc::O_RDONLY | libc::O_CLOEXEC), "O_RDONLY|O_CLOEXEC");
    assert_eq!(
        o(libc::O_WRONLY | libc::O_CREAT | libc::O_TRUNC),
        "O_WRONLY|O_CREAT|O_TRUNC"
    );
    assert_eq!(
        o(libc::O_RDWR | libc::O_APPEND | libc::O_NONBLOCK | libc::O_NOFOLLOW),
        "O_RDWR|O_APPEND|O_NONBLOCK|O_NOFOLLOW"
    );
    // Names made of several bits win over their parts, which stay for themselves.
    assert_eq!(o(libc::O_RDWR | libc::O_TMPFILE), "O_RDWR|O_TMPFILE");
    assert_eq!(o(libc::O_DIRECTORY), "O_RDONLY|O_DIRECTORY");
    assert_eq!(o(libc::O_WRONLY | libc::O_SYNC), "O_WRONLY|O_SYNC");
    assert_eq!(o(libc::O_WRONLY | libc::O_DSYNC), "O_WRONLY|O_DSYNC");
    assert_eq!(
        o(libc::O_PATH | libc::O_CLOEXEC),
        "O_RDONLY|O_CLOEXEC|O_PATH"
    );
    // A bit nobody names is shown, not dropped.
    assert_eq!(o(0o40000000 | libc::O_CREAT), "O_RDONLY|O_CREAT|0x800000");
    assert_eq!(o(3), "O_ACCMODE");
}

#[test]
fn mapping_flags_and_protections() {
    let prot = |p: i32| flags::flags(p as u64, flags::PROT, "PROT_NONE");
    assert_eq!(prot(libc::PROT_NONE), "PROT_NONE");
    assert_eq!(
        prot(libc::PROT_READ | libc::PROT_EXEC),
        "PROT_READ|PROT_EXEC"
    );
    assert_eq!(prot(libc::PROT_READ | 0x40), "PROT_READ|0x40");
    let map = |f: i32| flags::map_flags(f as u64);
    assert_eq!(
        map(libc::MAP_PRIVATE | libc::MAP_ANONYMOUS),
        "MAP_PRIVATE|MAP_ANONYMOUS"
    );
    assert_eq!(
        map(libc::MAP_SHARED | libc::MAP_FIXED_NOREPLACE),
        "MAP_SHARED|MAP_FIXED_NOREPLACE"
    );
    assert_eq!(
        map(libc::MAP_PRIVATE | libc::MAP_FIXED | libc::MAP_DENYWRITE),
        "MAP_PRIVATE|MAP_FIXED|MAP_DENYWRITE"
    );
    assert_eq!(
        map(libc::MAP_PRIVATE | libc::MAP_STACK),
        "MAP_PRIVATE|MAP_STACK"
    );
}

#[test]
fn clone_flags_end_with_the_exit_signal() {
    let fork = (libc::CLONE_CHILD_CLEARTID | libc::CLONE_CHILD_SETTID | libc::SIGCHLD) as u64;
    assert_eq!(
        flags::clone_flags(fork, true),
        "CLONE_CHILD_CLEARTID|CLONE_CHILD_SETTID|SIGCHLD"
    );
    let vfork = (libc::CLONE_VM | libc::CLONE_VFORK | libc::SIGCHLD) as u64;
    assert_eq!(
        flags::clone_flags(vfork, true),
        "CLONE_VM|CLONE_VFORK|SIGCHLD"
    );
    assert_eq!(flags::clone_flags(0, true), "0");
    // clone3 has no signal in its flags: the low byte is CSIGNAL bits to show as they are.
    assert_eq!(
        flags::clone_flags((libc::CLONE_VM | libc::CLONE_THREAD) as u64, false),
        "CLONE_VM|CLONE_THREAD"
    );
}

#[test]
fn strings_are_escaped_as_strace_escapes_them() {
    assert_eq!(quoted(b"plain", false), "\"plain\"");
    assert_eq!(
        quoted(b"q\"b\\s\n\t\r\x0b\x0c", false),
        r#""q\"b\\s\n\t\r\v\f""#
    );
    // Octal, padded to three digits only where a digit follows.
    assert_eq!(quoted(b"\0a\x7f\xff", false), r#""\0a\177\377""#);
    assert_eq!(quoted(b"\x001\x1b7", false), r#""\0001\0337""#);
    assert_eq!(quoted(b"\x1b8", false), r#""\338""#);
    assert_eq!(quoted(b"cut", true), "\"cut\"...");
}

#[test]
fn guest_strings_and_buffers_are_read_safely() {
    let mem = guest();
    mem.write_bytes(PAGE, b"/etc/passwd\0").unwrap();
    assert_eq!(args::c_string(&mem, PAGE, 32), "\"/etc/passwd\"");
    assert_eq!(args::c_string(&mem, 0, 32), "NULL");
    assert_eq!(args::c_string(&mem, UNMAPPED, 32), "0x500000");
    assert_eq!(args::c_string(&mem, u64::MAX - 2, 32), "0xfffffffffffffffd");
    // Longer than shown: the first 32 bytes and "...".
    let long = [b'x'; 40];
    mem.write_bytes(PAGE + 0x100, &long).unwrap();
    mem.write_bytes(PAGE + 0x100 + 40, b"\0").unwrap();
    assert_eq!(
        args::c_string(&mem, PAGE + 0x100, 32),
        format!("\"{}\"...", "x".repeat(32))
    );
    assert_eq!(
        args::c_string(&mem, PAGE + 0x100, 4096),
        format!("\"{}\"", "x".repeat(40))
    );
    // A string running into an unmapped page without its NUL: the address.
    let end = PAGE + PAGE_SIZE - 4;
    mem.write_bytes(end, b"abcd").unwrap();
    assert_eq!(args::c_string(&mem, end, 4096), format!("{end:#x}"));
    assert_eq!(args::c_string(&mem, end, 4), "\"abcd\"...");
    // Buffers: their length, cut at 32 bytes.
    assert_eq!(args::buffer(&mem, PAGE, 4), "\"/etc\"");
    assert_eq!(
        args::buffer(&mem, PAGE + 0x100, 40),
        format!("\"{}\"...", "x".repeat(32))
    );
    assert_eq!(args::buffer(&mem, end, 100), format!("{end:#x}"));
    assert_eq!(args::buffer(&mem, UNMAPPED, 1), "0x500000");
}

#[test]
fn calls_decode_their_arguments_by_type() {
    use crate::syscall::numbers as nr;
    let mem = guest();
    mem.write_bytes(PAGE, b"missing\0").unwrap();
    let at_fdcwd = libc::AT_FDCWD as i64 as u64;
    let o = |f: i32| f as u64;
    assert_eq!(
        entry(
            &mem,
            nr::OPENAT,
            &[at_fdcwd, PAGE, o(libc::O_RDONLY), 0o777]
        ),
        ["AT_FDCWD", "\"missing\"", "O_RDONLY"]
    );
    assert_eq!(
        entry(
            &mem,
            nr::OPENAT,
            &[3, PAGE, o(libc::O_WRONLY | libc::O_CREAT), 0o644]
        ),
        ["3", "\"missing\"", "O_WRONLY|O_CREAT", "0644"]
    );
    // A bad path pointer is an address.
    assert_eq!(
        entry(&mem, nr::OPENAT, &[at_fdcwd, UNMAPPED, 0]),
        ["AT_FDCWD", "0x500000", "O_RDONLY"]
    );
    // write's buffer at entry, read's once it returned.
    assert_eq!(entry(&mem, nr::WRITE, &[1, PAGE, 3]), ["1", "\"mis\"", "3"]);
    assert_eq!(
        entry(&mem, nr::READ, &[0, PAGE, 100]),
        ["0", "<exit>", "100"]
    );
    assert_eq!(
        args::exit_piece(&mem, args::Kind::BufOut, PAGE, Some(4)),
        "\"miss\""
    );
    assert_eq!(
        args::exit_piece(&mem, args::Kind::BufOut, PAGE, Some(-14)),
        "0x100000"
    );
    assert_eq!(
        entry(&mem, nr::MMAP, &[0, 8192, 3, 0x22, u64::MAX, 0]),
        [
            "NULL",
            "8192",
            "PROT_READ|PROT_WRITE",
            "MAP_PRIVATE|MAP_ANONYMOUS",
            "-1",
            "0"
        ]
    );
    assert_eq!(
        entry(&mem, nr::KILL, &[42, libc::SIGTERM as u64]),
        ["42", "SIGTERM"]
    );
    assert_eq!(
        entry(&mem, nr::FCNTL, &[3, libc::F_GETFD as u64, 99]),
        ["3", "F_GETFD"]
    );
    assert_eq!(
        entry(&mem, nr::FCNTL, &[3, libc::F_SETFD as u64, 1]),
        ["3", "F_SETFD", "FD_CLOEXEC"]
    );
    assert_eq!(
        entry(&mem, nr::FUTEX, &[PAGE, 128 | 1, 1, 0, 0, 0]),
        ["0x100000", "FUTEX_WAKE_PRIVATE", "1"]
    );
    assert_eq!(
        entry(&mem, nr::UNLINKAT, &[at_fdcwd, PAGE, 0x200]),
        ["AT_FDCWD", "\"missing\"", "AT_REMOVEDIR"]
    );
    // A call without a signature: its argument count, small numbers in decimal.
    assert_eq!(entry(&mem, nr::GETPID, &[]), Vec::<String>::new());
    assert_eq!(entry(&mem, 0, &[5, 0x2000]), ["5", "0x2000"]);
}

#[test]
fn exec_arguments_show_argv_and_count_envp() {
    use crate::syscall::numbers as nr;
    let mem = guest();
    mem.write_bytes(PAGE + 0x100, b"ls\0-l\0").unwrap();
    for (i, p) in [PAGE + 0x100, PAGE + 0x103, 0].iter().enumerate() {
        mem.write_u64(PAGE + 0x200 + i as u64 * 8, *p).unwrap();
    }
    mem.write_bytes(PAGE, b"/bin/ls\0").unwrap();
    assert_eq!(
        entry(&mem, nr::EXECVE, &[PAGE, PAGE + 0x200, PAGE + 0x208]),
        ["\"/bin/ls\"", "[\"ls\", \"-l\"]", "0x100208 /* 1 vars */"]
    );
    assert_eq!(
        entry(&mem, nr::EXECVE, &[PAGE, UNMAPPED, 0]),
        ["\"/bin/ls\"", "0x500000", "NULL"]
    );
}

#[test]
fn results_are_numbers_addresses_or_errors() {
    use crate::syscall::numbers as nr;
    assert_eq!(result_text(nr::READ, Some(5)), "5");
    assert_eq!(
        result_text(nr::MMAP, Some(0x003f_f7ff_e000)),
        "0x3ff7ffe000"
    );
    assert_eq!(
        result_text(nr::OPENAT, Some(-2)),
        "-1 ENOENT (No such file or directory)"
    );
    assert_eq!(
        result_text(nr::MMAP, Some(-(libc::ENOMEM as i64))),
        "-1 ENOMEM (Cannot allocate memory)"
    );
    assert_eq!(
        result_text(nr::READ, Some(-512)),
        "? ERESTARTSYS (To be restarted if SA_RESTART is set)"
    );
    assert_eq!(result_text(nr::EXIT_GROUP, None), "?");
    assert_eq!(call_name(nr::NEWFSTATAT), "newfstatat");
    assert_eq!(call_name(1000), "syscall_0x3e8");
}

#[test]
fn every_call_vm_knows_has_its_name() {
    // Each `pub const NAME: u64 = N;` of the numbers module.
    let source = include_str!("../syscall/numbers.rs");
    let mut checked = 0;
    for line in source.lines() {
        let Some(rest) = line.strip_prefix("pub const ") else {
            continue;
        };
        let (name, value) = rest.split_once(": u64 = ").expect("a number constant");
        let nr: u64 = value
            .trim_end_matches(';')
            .parse()
            .expect("a decimal number");
        let (shown, _) = names::syscall(nr).unwrap_or_else(|| panic!("{name} ({nr}) unnamed"));
        assert_eq!(shown, name.to_lowercase(), "call {nr}");
        checked += 1;
    }
    assert!(checked > 200, "only {checked} calls found");
    assert_eq!(names::syscall(221), Some(("execve", 3)));
}

#[test]
fn errnos_and_signals_have_their_names() {
    assert_eq!(
        names::errno(libc::ENOENT),
        (
            "ENOENT".to_string(),
            "No such file or directory".to_string()
        )
    );
    for (e, name) in [
        (libc::EFAULT, "EFAULT"),
        (libc::ELOOP, "ELOOP"),
        (libc::ENOMSG, "ENOMSG"),
        (libc::EOVERFLOW, "EOVERFLOW"),
        (libc::ENOTSOCK, "ENOTSOCK"),
        (libc::ETIMEDOUT, "ETIMEDOUT"),
        (libc::ECANCELED, "ECANCELED"),
        (libc::EHWPOISON, "EHWPOISON"),
    ] {
        assert_eq!(names::errno(e).0, name);
    }
    assert_eq!(names::errno(4000).0, "4000");
    assert_eq!(names::signal(libc::SIGSEGV as i64), "SIGSEGV");
    assert_eq!(names::signal(libc::SIGCHLD as i64), "SIGCHLD");
    assert_eq!(names::signal(libc::SIGSYS as i64), "SIGSYS");
    assert_eq!(names::signal(34), "SIGRT_2");
    assert_eq!(names::signal(99), "99");
}

#[test]
fn wait_statuses_and_siginfo_decode() {
    assert_eq!(
        args::wait_status(3 << 8),
        "{WIFEXITED(s) && WEXITSTATUS(s) == 3}"
    );
    assert_eq!(
        args::wait_status(libc::SIGSEGV),
        "{WIFSIGNALED(s) && WTERMSIG(s) == SIGSEGV}"
    );
    assert_eq!(
        args::wait_status(libc::SIGABRT | 0x80),
        "{WIFSIGNALED(s) && WTERMSIG(s) == SIGABRT && WCOREDUMP(s)}"
    );
    assert_eq!(
        args::wait_status((libc::SIGSTOP << 8) | 0x7f),
        "{WIFSTOPPED(s) && WSTOPSIG(s) == SIGSTOP}"
    );
    use crate::signal::code;
    assert_eq!(
        siginfo(&SigInfo::fault(libc::SIGSEGV, code::SEGV_MAPERR, 0)),
        "{si_signo=SIGSEGV, si_code=SEGV_MAPERR, si_addr=NULL}"
    );
    assert_eq!(
        siginfo(&SigInfo::fault(libc::SIGBUS, code::BUS_ADRALN, 0x1001)),
        "{si_signo=SIGBUS, si_code=BUS_ADRALN, si_addr=0x1001}"
    );
    assert_eq!(
        siginfo(&SigInfo::from_process(
            libc::SIGTERM,
            code::SI_USER,
            7,
            1000
        )),
        "{si_signo=SIGTERM, si_code=SI_USER, si_pid=7, si_uid=1000}"
    );
    let mut child = SigInfo::from_process(libc::SIGCHLD, 1, 9, 0);
    child.0[24..28].copy_from_slice(&3i32.to_le_bytes());
    assert_eq!(
        siginfo(&child),
        "{si_signo=SIGCHLD, si_code=CLD_EXITED, si_pid=9, si_uid=0, si_status=3, si_utime=0, si_stime=0}"
    );
    assert_eq!(
        siginfo(&SigInfo::new(libc::SIGSEGV, code::SI_KERNEL)),
        "{si_signo=SIGSEGV, si_code=SI_KERNEL}"
    );
}

#[test]
fn outputs_from_the_environment_and_file_patterns() {
    assert_eq!(output_from_env(None), None);
    assert_eq!(output_from_env(Some(OsStr::new(""))), None);
    assert_eq!(output_from_env(Some(OsStr::new("-"))), Some(Output::Stderr));
    assert_eq!(
        output_from_env(Some(OsStr::new("/tmp/t.%p"))),
        Some(Output::File(PathBuf::from("/tmp/t.%p")))
    );
    assert_eq!(
        expand_pattern(Path::new("/tmp/%p/t.%p.log"), 42),
        Path::new("/tmp/42/t.42.log")
    );
    assert_eq!(
        expand_pattern(Path::new("/tmp/t%"), 42),
        Path::new("/tmp/t%")
    );
    assert_eq!(
        parse_exec_handoff("513:execveat"),
        Ok((513, "execveat".to_string()))
    );
    assert!(parse_exec_handoff("513").is_err());
    assert!(parse_exec_handoff("x:execve").is_err());
}

#[test]
fn seccomp_calls_and_their_sigsys_decode() {
    let info = SigInfo::seccomp(0x225c4, 156, crate::seccomp::AUDIT_ARCH_RISCV64, 5);
    assert_eq!(
        siginfo(&info),
        "{si_signo=SIGSYS, si_code=SYS_SECCOMP, si_errno=EIO, si_call_addr=0x225c4, \
         si_syscall=__NR_getsid, si_arch=AUDIT_ARCH_RISCV64}"
    );
}
