//! Running a program with a pseudo-terminal as its controlling terminal, as a test suite
//! started from an interactive shell would have (bash's tests read from and test
//! `/dev/tty`, and need job control).
//!
//! The program leads a new session whose controlling terminal is the pty's slave, which
//! is also its stdin, stdout and stderr; nothing is ever written to it. Everything it
//! prints is collected from the master until every process holding the slave has closed
//! it, or shortly after the program has exited (background processes may keep it open).
//! On a timeout, and once it has ended, every process left in its session is killed.
//!
//! Invariant: the pty's descriptors are close-on-exec from the moment they exist, so a
//! program started by another thread never inherits them (it would keep the slave open).

use std::ffi::CStr;
use std::fs::{self, File, OpenOptions};
use std::io::{self, Read as _};
use std::os::fd::{AsRawFd as _, FromRawFd as _, OwnedFd};
use std::os::unix::fs::OpenOptionsExt as _;
use std::os::unix::process::CommandExt as _;
use std::process::{Command, ExitStatus, Stdio};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

/// How long output is still read after the program has exited.
const DRAIN: Duration = Duration::from_secs(2);

/// How a program run under a pty ended, and what it printed.
pub struct PtyRun {
    /// None if it timed out (and was killed).
    pub status: Option<ExitStatus>,
    /// Everything written to the terminal, with the terminal's `\r\n` turned into `\n`.
    pub output: Vec<u8>,
    pub elapsed: Duration,
}

/// Runs `cmd` (its stdio and session are replaced) with a new pty of `rows` x `cols` as
/// controlling terminal; kills its session after `timeout`.
pub fn run_in_pty(mut cmd: Command, rows: u16, cols: u16, timeout: Duration) -> io::Result<PtyRun> {
    let (master, slave) = open_pty(rows, cols)?;
    cmd.stdin(Stdio::from(slave.try_clone()?))
        .stdout(Stdio::from(slave.try_clone()?))
        .stderr(Stdio::from(slave));
    // SAFETY: setsid and ioctl are async-signal-safe; the closure allocates nothing.
    unsafe {
        cmd.pre_exec(|| {
            if libc::setsid() < 0 {
                return Err(io::Error::last_os_error());
            }
            // ioctl is variadic: the argument is passed as the `unsigned long` it is read
            // as (0: do not steal the terminal from another session).
            #[allow(clippy::disallowed_methods)]
            if libc::ioctl(0, libc::TIOCSCTTY, 0 as libc::c_ulong) < 0 {
                return Err(io::Error::last_os_error());
            }
            Ok(())
        })
    };
    let started = Instant::now();
    let mut child = cmd.spawn()?;
    // The slave's copies in `cmd` are closed with it: only the program holds the slave.
    drop(cmd);
    let session = child.id() as i32;

    let stop = Arc::new(AtomicBool::new(false));
    let reader = {
        let stop = Arc::clone(&stop);
        std::thread::spawn(move || read_until_closed(master, &stop))
    };
    let deadline = started + timeout;
    let status = loop {
        if let Some(status) = child.try_wait()? {
            break Some(status);
        }
        if Instant::now() > deadline {
            kill_session(session);
            let _ = child.wait();
            break None;
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    let elapsed = started.elapsed();
    let drained = Instant::now() + DRAIN;
    while !reader.is_finished() && Instant::now() < drained {
        std::thread::sleep(Duration::from_millis(10));
    }
    stop.store(true, Ordering::SeqCst);
    let raw = reader.join().expect("the pty reader does not panic");
    kill_session(session);
    Ok(PtyRun {
        status,
        output: crlf_to_lf(&raw),
        elapsed,
    })
}

/// A new pty's master and slave, both close-on-exec, the window `rows` x `cols`.
fn open_pty(rows: u16, cols: u16) -> io::Result<(OwnedFd, OwnedFd)> {
    // SAFETY: posix_openpt takes flags only and returns a new descriptor or -1.
    let fd = unsafe { libc::posix_openpt(libc::O_RDWR | libc::O_NOCTTY | libc::O_CLOEXEC) };
    if fd < 0 {
        return Err(io::Error::last_os_error());
    }
    // SAFETY: `fd` was just opened and nothing else owns it.
    let master = unsafe { OwnedFd::from_raw_fd(fd) };
    let mut name = [0 as libc::c_char; 128];
    // SAFETY: plain calls on an open pty master; ptsname_r writes at most `name.len()`
    // bytes, NUL included, into `name`.
    unsafe {
        if libc::grantpt(fd) != 0
            || libc::unlockpt(fd) != 0
            || libc::ptsname_r(fd, name.as_mut_ptr(), name.len()) != 0
        {
            return Err(io::Error::last_os_error());
        }
    }
    // SAFETY: ptsname_r succeeded, so `name` holds a NUL-terminated string.
    let path = unsafe { CStr::from_ptr(name.as_ptr()) }
        .to_str()
        .map_err(|_| io::Error::other("pty name is not UTF-8"))?
        .to_string();
    // std opens with O_CLOEXEC.
    let slave: OwnedFd = OpenOptions::new()
        .read(true)
        .write(true)
        .custom_flags(libc::O_NOCTTY)
        .open(path)?
        .into();
    let size = libc::winsize {
        ws_row: rows,
        ws_col: cols,
        ws_xpixel: 0,
        ws_ypixel: 0,
    };
    // SAFETY: TIOCSWINSZ reads one winsize from the pointer, which is valid for the
    // call; ioctl is variadic, and a pointer is passed whole.
    #[allow(clippy::disallowed_methods)]
    if unsafe { libc::ioctl(master.as_raw_fd(), libc::TIOCSWINSZ, &size as *const _) } < 0 {
        return Err(io::Error::last_os_error());
    }
    Ok((master, slave))
}

/// Reads the master until no process holds the slave (the read fails with EIO) or
/// `stop` is set.
fn read_until_closed(master: OwnedFd, stop: &AtomicBool) -> Vec<u8> {
    let fd = master.as_raw_fd();
    let mut file = File::from(master);
    let mut out = Vec::new();
    let mut buf = [0u8; 16 * 1024];
    while !stop.load(Ordering::SeqCst) {
        let mut pfd = libc::pollfd {
            fd,
            events: libc::POLLIN,
            revents: 0,
        };
        // SAFETY: poll reads and writes the one pollfd it is given.
        let n = unsafe { libc::poll(&mut pfd, 1, 50) };
        if n < 0 {
            if io::Error::last_os_error().kind() == io::ErrorKind::Interrupted {
                continue;
            }
            break;
        }
        if n == 0 {
            continue;
        }
        match file.read(&mut buf) {
            Ok(0) => break,
            Ok(k) => out.extend_from_slice(&buf[..k]),
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            // EIO: the last slave descriptor is closed.
            Err(_) => break,
        }
    }
    out
}

/// Sends SIGKILL to every process of session `sid` (found through `/proc`).
fn kill_session(sid: i32) {
    let Ok(entries) = fs::read_dir("/proc") else {
        return;
    };
    for entry in entries.flatten() {
        let Some(pid) = entry
            .file_name()
            .to_str()
            .and_then(|s| s.parse::<i32>().ok())
        else {
            continue;
        };
        let Ok(stat) = fs::read_to_string(entry.path().join("stat")) else {
            continue;
        };
        // After the command name in parentheses: state, ppid, pgrp, session.
        let session = stat
            .rsplit_once(')')
            .and_then(|(_, rest)| rest.split_whitespace().nth(3))
            .and_then(|s| s.parse::<i32>().ok());
        if session == Some(sid) {
            // SAFETY: kill(2) with a pid and a signal number; no pointers.
            unsafe { libc::kill(pid, libc::SIGKILL) };
        }
    }
}

/// `bytes` with every `\r\n` turned into `\n`.
fn crlf_to_lf(bytes: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(bytes.len());
    for (i, &b) in bytes.iter().enumerate() {
        if !(b == b'\r' && bytes.get(i + 1) == Some(&b'\n')) {
            out.push(b);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_crlf_pairs_lose_their_cr() {
        assert_eq!(crlf_to_lf(b"a\r\nb\rc\r\r\n\r"), b"a\nb\rc\r\n\r");
    }
}
