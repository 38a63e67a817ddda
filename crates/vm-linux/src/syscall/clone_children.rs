//! The guest's "clone children": children whose exit signal is not SIGCHLD (`clone`
//! with another signal, or none, in `CSIGNAL`). Linux's waits tell them apart: without
//! `__WCLONE` or `__WALL` a wait sees only the others, with `__WCLONE` only them. vm
//! forks every child with SIGCHLD (libc's `fork`), so the host kernel takes them all
//! for ordinary children, and a guest's `wait4(pid, .., __WCLONE)` for one of them
//! failed with `ECHILD` while Linux would have found it. This list remembers which
//! children are clone children, and a wait's target and options are made such that the
//! host finds what Linux would ([`host_wait`]).
//!
//! Invariants: a pid is listed from the fork that made it a clone child until a wait
//! reaps it, or a new ordinary child reuses the number; a forked child starts with an
//! empty list ([`forget_all`]), as its children are none of its parent's; a fresh VM
//! after `execve` starts empty too (Linux gives the children of a parent that exec'd
//! SIGCHLD as their exit signal). Known approximation: a wait for any child (or a
//! process group) while there are two or more clone children and `__WCLONE`, or any
//! clone child and neither flag, takes all children (`__WALL`, or the host's default).

use super::Errno;
use crate::thread::lock;
use std::sync::Mutex;

static LISTED: Mutex<Vec<i32>> = Mutex::new(Vec::new());

/// `__WCLONE`, `__WALL` (`linux/wait.h`).
const WCLONE: i32 = 0x8000_0000_u32 as i32;
const WALL: i32 = 0x4000_0000;

/// A child `pid` was forked with exit signal `exit_signal` (0: none).
pub fn forked(pid: i32, exit_signal: u64) {
    let mut listed = lock(&LISTED);
    listed.retain(|&p| p != pid);
    if exit_signal != libc::SIGCHLD as u64 {
        listed.push(pid);
    }
}

/// In a forked child: no child of the parent's is its.
pub fn forget_all() {
    lock(&LISTED).clear();
}

/// A wait reaped child `pid`.
pub fn reaped(pid: i32) {
    lock(&LISTED).retain(|&p| p != pid);
}

/// The target and options of the host wait that finds what the guest's wait for `pid`
/// (as `wait4` numbers it: > 0 one child, -1 any, 0 or < -1 a process group) with
/// `options` finds on Linux; `ECHILD` when Linux would find no child it may wait for.
pub fn host_wait(pid: i32, options: i32) -> Result<(i32, i32), Errno> {
    if options & WALL != 0 {
        return Ok((pid, options));
    }
    let listed = lock(&LISTED);
    let wants_clone = options & WCLONE != 0;
    let host_options = (options & !WCLONE) | WALL;
    if pid > 0 {
        return match (listed.contains(&pid), wants_clone) {
            (true, true) => Ok((pid, host_options)),
            (false, false) => Ok((pid, options)),
            _ => Err(Errno(libc::ECHILD)),
        };
    }
    if !wants_clone {
        return Ok((pid, options));
    }
    match listed.as_slice() {
        [] => Err(Errno(libc::ECHILD)),
        [only] if pid == -1 => Ok((*only, host_options)),
        _ => Ok((pid, host_options)),
    }
}
