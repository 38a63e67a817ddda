//! Guest signalfds: which guest descriptors are signalfds, their masks, and the host
//! readiness that makes them pollable.
//!
//! Guest descriptors are host descriptors, and guest signals live in vm's queues, which
//! the host kernel knows nothing of; so a guest signalfd is a host **eventfd** (created
//! with the guest's `SFD_CLOEXEC`/`SFD_NONBLOCK`, which equal `EFD_*`, so `F_GETFD` and
//! `F_GETFL` answer as for a signalfd), whose counter vm keeps at 1 while a signal of its
//! mask is pending and at 0 otherwise. Host `poll`, `select` and `epoll` then see it
//! readable exactly when Linux's signalfd is, and a thread waiting in one is woken by
//! the host kernel when vm makes the counter 1, whichever thread queued the signal.
//! Reads (and writes) of a signalfd never reach the eventfd: the system call layer
//! dequeues the guest's signals itself ([`crate::syscall`]'s `signalfd` module).
//!
//! Invariants:
//! - The table is per host process, as the descriptor table is; its files belong to the
//!   one guest thread group of this process (recorded at creation, replaced after fork).
//! - Every change of a pending set calls [`pending_changed`] (from `SignalQueue`), which
//!   recomputes every file's readiness under the table's lock, so the counters follow
//!   the queues whichever thread changes them. Lock order: a queue's lock, then the
//!   table's, then the group's member list; nothing holding the table's lock takes a
//!   queue's.
//! - The descriptor calls that create or drop descriptor numbers (`close`, `dup`,
//!   `dup3`, `fcntl(F_DUPFD*)`, `close_range`) tell the table ([`duplicated`],
//!   [`closed`]), so a number is a signalfd exactly while it refers to one.
//! - A forked child gets fresh eventfds at the same numbers ([`after_fork`]): it reads
//!   its own signals, never its parent's, and its counters never disturb the parent's.
//!
//! - Across `execve` into a fresh VM, the numbers that stay open (not close-on-exec) go
//!   with their mask ([`exec_handoff`], the new VM's `--signalfd`), and the new VM takes
//!   them back as signalfds ([`adopt_after_exec`]).
//!
//! Known differences from Linux: readiness is "a signal of the mask is pending for the
//! process or for any of its threads" (Linux looks at the polling thread's own signals
//! and its process's); a signalfd passed to another process (`SCM_RIGHTS`,
//! `pidfd_getfd`) or kept across an `execve` of a host program is a plain eventfd
//! there.

use crate::thread::{lock, ThreadGroup};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, Weak};

/// One open signalfd (Linux's `struct file`): its mask, the guest descriptor numbers
/// that refer to it, and whether its eventfd's counter is 1.
struct File {
    fds: Vec<i32>,
    mask: u64,
    ready: bool,
}

/// The signalfds of this process.
#[derive(Default)]
pub struct Table {
    files: Vec<File>,
    /// The thread group whose pending signals the files show.
    group: Weak<ThreadGroup>,
}

static TABLE: Mutex<Table> = Mutex::new(Table {
    files: Vec::new(),
    group: Weak::new(),
});
/// Whether any signalfd exists, so the common path needs no lock.
static ANY: AtomicBool = AtomicBool::new(false);

/// `O_CLOEXEC | O_NONBLOCK`: the flags `signalfd4` accepts (`SFD_*` = `EFD_*` = `O_*`).
pub const FLAGS: i32 = libc::O_CLOEXEC | libc::O_NONBLOCK;

fn table() -> MutexGuard<'static, Table> {
    lock(&TABLE)
}

impl Table {
    fn file_of(&self, fd: i32) -> Option<usize> {
        self.files.iter().position(|f| f.fds.contains(&fd))
    }

    /// Forgets descriptor number `fd`, and the file once no number refers to it.
    fn forget(&mut self, fd: i32) {
        for f in &mut self.files {
            f.fds.retain(|&d| d != fd);
        }
        self.files.retain(|f| !f.fds.is_empty());
        ANY.store(!self.files.is_empty(), Ordering::Release);
    }

    /// Brings every eventfd's counter in line with the group's pending signals.
    fn sync(&mut self) {
        let pending = self.group.upgrade().map_or(0, |g| pending_anywhere(&g));
        for f in &mut self.files {
            let want = pending & f.mask != 0;
            if want != f.ready {
                set_counter(f.fds[0], want);
                f.ready = want;
            }
        }
    }
}

/// The signals pending for `group` as a whole or for any of its threads.
fn pending_anywhere(group: &ThreadGroup) -> u64 {
    group
        .members()
        .iter()
        .fold(group.pending_bits(), |s, t| s | t.pending_bits())
}

/// Makes eventfd `fd`'s counter 1 (`ready`) or 0.
fn set_counter(fd: i32, ready: bool) {
    let mut value: u64 = 1;
    if ready {
        // SAFETY: `value` is an 8-byte buffer the kernel reads. The counter is 0 (vm
        // makes it 1 only from 0, and the guest's writes never reach it), so the write
        // neither blocks nor overflows.
        unsafe { host_syscall!(libc::SYS_write, fd, &value as *const u64, 8) };
        return;
    }
    let mut p = libc::pollfd {
        fd,
        events: libc::POLLIN,
        revents: 0,
    };
    // SAFETY: one valid pollfd, no waiting. The read happens only when the counter is
    // not 0, so it never blocks a descriptor the guest made blocking.
    unsafe {
        if host_syscall!(libc::SYS_poll, &mut p as *mut libc::pollfd, 1, 0) == 1 {
            host_syscall!(libc::SYS_read, fd, &mut value as *mut u64, 8);
        }
    }
}

/// Whether guest descriptor `fd` is a signalfd.
pub fn is_signalfd(fd: i32) -> bool {
    ANY.load(Ordering::Acquire) && table().file_of(fd).is_some()
}

/// The mask of signalfd `fd`, or None if `fd` is not one.
pub fn mask_of(fd: i32) -> Option<u64> {
    if !ANY.load(Ordering::Acquire) {
        return None;
    }
    let t = table();
    t.file_of(fd).map(|i| t.files[i].mask)
}

/// Creates a signalfd of `group` for `mask` with `flags` (checked by the caller): the
/// new descriptor, or the host's errno (`EMFILE`, `ENFILE`, `ENOMEM`).
pub fn create(group: &Arc<ThreadGroup>, mask: u64, flags: i32) -> Result<i32, i32> {
    // SAFETY: no pointer arguments.
    let fd = unsafe { host_syscall!(libc::SYS_eventfd2, 0, flags & FLAGS) };
    if fd < 0 {
        return Err(std::io::Error::last_os_error()
            .raw_os_error()
            .unwrap_or(libc::ENOMEM));
    }
    let fd = fd as i32;
    let mut t = table();
    t.group = Arc::downgrade(group);
    // A number the guest reused without vm seeing the old one go is not that file's.
    t.forget(fd);
    t.files.push(File {
        fds: vec![fd],
        mask,
        ready: false,
    });
    ANY.store(true, Ordering::Release);
    t.sync();
    Ok(fd)
}

/// Gives signalfd `fd` a new mask; false if `fd` is not a signalfd.
pub fn set_mask(fd: i32, mask: u64) -> bool {
    let mut t = table();
    let Some(i) = t.file_of(fd) else {
        return false;
    };
    t.files[i].mask = mask;
    t.sync();
    true
}

/// Some signal's pending state changed: recomputes every signalfd's readiness.
pub fn pending_changed() {
    if ANY.load(Ordering::Acquire) {
        table().sync();
    }
}

/// Descriptor `new` now refers to what `old` refers to (`dup`, `dup3`, `F_DUPFD`);
/// whatever `new` was before was closed.
pub fn duplicated(old: i32, new: i32) {
    if !ANY.load(Ordering::Acquire) {
        return;
    }
    let mut t = table();
    t.forget(new);
    if let Some(i) = t.file_of(old) {
        t.files[i].fds.push(new);
        ANY.store(true, Ordering::Release);
    }
}

/// Descriptors `first..=last` were closed.
pub fn closed(first: i32, last: i32) {
    if !ANY.load(Ordering::Acquire) {
        return;
    }
    let mut t = table();
    for f in &mut t.files {
        f.fds.retain(|&d| !(first..=last).contains(&d));
    }
    t.files.retain(|f| !f.fds.is_empty());
    ANY.store(!t.files.is_empty(), Ordering::Release);
}

/// For a fresh VM the guest execs into: each signalfd's numbers that the exec keeps
/// open, with its mask, as the new VM's `--signalfd` words take them: `FD[,FD...]:MASK`
/// (decimal numbers, the mask in hexadecimal).
pub fn exec_handoff() -> Vec<String> {
    if !ANY.load(Ordering::Acquire) {
        return Vec::new();
    }
    let t = table();
    t.files
        .iter()
        .filter_map(|f| {
            let kept: Vec<String> = f
                .fds
                .iter()
                .filter(|&&fd| {
                    // SAFETY: F_GETFD takes no pointer argument.
                    let flags = unsafe { host_syscall!(libc::SYS_fcntl, fd, libc::F_GETFD) };
                    flags >= 0 && flags as i32 & libc::FD_CLOEXEC == 0
                })
                .map(|fd| fd.to_string())
                .collect();
            (!kept.is_empty()).then(|| format!("{}:{:x}", kept.join(","), f.mask))
        })
        .collect()
}

/// Parses one of [`exec_handoff`]'s words.
pub fn parse_handoff(word: &str) -> Result<(Vec<i32>, u64), String> {
    let bad = || format!("expected FD[,FD...]:MASK, got {word:?}");
    let (fds, mask) = word.split_once(':').ok_or_else(bad)?;
    let fds = fds
        .split(',')
        .map(|fd| fd.parse().map_err(|_| bad()))
        .collect::<Result<Vec<i32>, _>>()?;
    let mask = u64::from_str_radix(mask, 16).map_err(|_| bad())?;
    Ok((fds, mask))
}

/// In a fresh VM started by a guest's `execve`: descriptors `fds`, the eventfd of one
/// signalfd of the program before the exec, are again a signalfd of `group` for `mask`.
/// A number that is no eventfd (the handoff was forged) is left alone.
pub fn adopt_after_exec(group: &Arc<ThreadGroup>, fds: &[i32], mask: u64) {
    let fds: Vec<i32> = fds.iter().copied().filter(|&fd| is_eventfd(fd)).collect();
    if fds.is_empty() {
        return;
    }
    // Its counter is the old program's readiness; the sync below makes it this one's.
    set_counter(fds[0], false);
    let mut t = table();
    t.group = Arc::downgrade(group);
    for &fd in &fds {
        t.forget(fd);
    }
    t.files.push(File {
        fds,
        mask,
        ready: false,
    });
    ANY.store(true, Ordering::Release);
    t.sync();
}

/// Whether host descriptor `fd` is an eventfd.
fn is_eventfd(fd: i32) -> bool {
    std::fs::read_link(format!("/proc/self/fd/{fd}"))
        .is_ok_and(|target| target.as_os_str() == "anon_inode:[eventfd]")
}

/// The table, locked across a `fork` so that the child never inherits it locked by a
/// thread it does not have; pass it to [`after_fork`] in the child.
pub fn hold_for_fork() -> MutexGuard<'static, Table> {
    table()
}

/// In a forked child (one thread, nothing pending, its own `group`): each signalfd gets
/// a fresh eventfd at every number that referred to it, with the flags it had, so the
/// child's readiness is its own.
pub fn after_fork(mut t: MutexGuard<'static, Table>, group: &Arc<ThreadGroup>) {
    t.group = Arc::downgrade(group);
    let mut files = std::mem::take(&mut t.files);
    for f in &mut files {
        f.ready = false;
        // SAFETY: no pointer arguments.
        let status = unsafe { host_syscall!(libc::SYS_fcntl, f.fds[0], libc::F_GETFL) };
        let nonblock = if status >= 0 {
            status as i32 & libc::O_NONBLOCK
        } else {
            0
        };
        // SAFETY: no pointer arguments.
        let fresh = unsafe { host_syscall!(libc::SYS_eventfd2, 0, nonblock) };
        if fresh < 0 {
            // Out of descriptors: the numbers stay the parent's eventfd, and say so.
            tracing::warn!("signalfd: no eventfd for a fork child; its signalfds stay shared");
            continue;
        }
        let fresh = fresh as i32;
        for &fd in &f.fds {
            // SAFETY: no pointer arguments.
            let cloexec = unsafe { host_syscall!(libc::SYS_fcntl, fd, libc::F_GETFD) };
            let flags = if cloexec > 0 && cloexec as i32 & libc::FD_CLOEXEC != 0 {
                libc::O_CLOEXEC
            } else {
                0
            };
            // SAFETY: no pointer arguments; replaces `fd` atomically.
            unsafe { host_syscall!(libc::SYS_dup3, fresh, fd, flags) };
        }
        // SAFETY: `fresh` was created just above and is referred to by the numbers now.
        unsafe { host_syscall!(libc::SYS_close, fresh) };
    }
    t.files = files;
    t.sync();
}
