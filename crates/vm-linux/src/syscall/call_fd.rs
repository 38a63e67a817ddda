//! Descriptors vm opens in the guest's descriptor table for the length of one call (the
//! sockets a fork-like `clone` keeps to a vfork child or to a child entering new
//! namespaces), kept out of the reach of the guest's other threads meanwhile.
//!
//! On Linux that bookkeeping is kernel state, not a descriptor, so no other thread can
//! close it. Here another guest thread's `close`, `close_range` or `dup3` could close
//! such a socket under the call (a debug vm then aborts on the double close; a release
//! vm could close whatever the guest opened at that number since), and its reads and
//! writes could reach it. And a child another thread forks meanwhile would inherit the
//! child's end of a vfork's socket, keeping the vfork parent waiting until that child
//! execs or exits.
//!
//! Invariants:
//! - Every [`CallFd`] is listed from just after the host created it until just before
//!   the host closes it, and both happen under the exclusion lock's write side
//!   ([`creating`]); the guest's calls that close or replace descriptors hold its read
//!   side ([`guest_closing`]) from their check until the host call is done, so a number
//!   is never a call's while the guest closes it.
//! - A fork-like `clone` holds the write side from before it creates its sockets until
//!   its parent has closed the child's ends after the host `fork`; every other fork
//!   holds it across the host `fork` too, so no child inherits a child's end but the
//!   one it is for, and no child inherits the lock held by a thread it does not have.
//! - The list's own lock is held only to look at or change the list.

use std::cell::Cell;
use std::os::fd::{AsRawFd, OwnedFd};
use std::sync::{Mutex, RwLock, RwLockReadGuard, RwLockWriteGuard};

static EXCLUSION: RwLock<()> = RwLock::new(());
static LISTED: Mutex<Vec<i32>> = Mutex::new(Vec::new());

thread_local! {
    /// Whether this thread holds the exclusion lock's write side ([`Creating`]).
    static CREATING: Cell<bool> = const { Cell::new(false) };
}

fn listed() -> std::sync::MutexGuard<'static, Vec<i32>> {
    crate::thread::lock(&LISTED)
}

/// The exclusion lock's write side, held while the host creates call descriptors (then
/// [`Creating::adopt`] lists them), across a host `fork`, and while call descriptors
/// are closed. Not re-entrant: a thread holding it closes call descriptors without
/// taking it again.
pub struct Creating {
    _exclusion: RwLockWriteGuard<'static, ()>,
}

/// Takes the exclusion lock's write side. Lock order: before the address space's (a
/// guest `close` looks at the shared file mappings' descriptors under the read side).
pub fn creating() -> Creating {
    let guard = EXCLUSION.write().unwrap_or_else(|e| e.into_inner());
    CREATING.with(|c| c.set(true));
    Creating { _exclusion: guard }
}

impl Drop for Creating {
    fn drop(&mut self) {
        CREATING.with(|c| c.set(false));
    }
}

impl Creating {
    /// Lists `fd`, which the host created while this lock was held.
    pub fn adopt(&mut self, fd: OwnedFd) -> CallFd {
        listed().push(fd.as_raw_fd());
        CallFd(Some(fd))
    }
}

/// A descriptor vm holds for the length of a call; unlisted and closed on drop.
#[derive(Debug)]
pub struct CallFd(Option<OwnedFd>);

impl CallFd {
    /// Unlists the descriptor and hands it over (to a vfork child's state, which keeps
    /// it out of the guest's reach by other means, or to a child about to end).
    pub fn into_owned(mut self) -> OwnedFd {
        let fd = self
            .0
            .take()
            .expect("a CallFd holds its descriptor until dropped");
        let _exclusion = exclusion_unless_held();
        unlist(fd.as_raw_fd());
        fd
    }
}

impl AsRawFd for CallFd {
    fn as_raw_fd(&self) -> i32 {
        self.0.as_ref().map_or(-1, AsRawFd::as_raw_fd)
    }
}

impl Drop for CallFd {
    fn drop(&mut self) {
        if let Some(fd) = self.0.take() {
            let _exclusion = exclusion_unless_held();
            unlist(fd.as_raw_fd());
            drop(fd);
        }
    }
}

/// The write side, unless this thread holds it already.
fn exclusion_unless_held() -> Option<RwLockWriteGuard<'static, ()>> {
    if CREATING.with(Cell::get) {
        None
    } else {
        Some(EXCLUSION.write().unwrap_or_else(|e| e.into_inner()))
    }
}

/// Takes `fd` out of the list (once: a number may be listed again after the host reused
/// it, never twice at a time).
fn unlist(fd: i32) {
    let mut listed = listed();
    if let Some(i) = listed.iter().position(|&d| d == fd) {
        listed.swap_remove(i);
    }
}

/// Held by a guest call that closes or replaces descriptors, from its check of vm's
/// descriptors until its host call is done.
pub struct GuestClosing {
    _exclusion: RwLockReadGuard<'static, ()>,
}

/// Takes the exclusion lock's read side.
pub fn guest_closing() -> GuestClosing {
    GuestClosing {
        _exclusion: EXCLUSION.read().unwrap_or_else(|e| e.into_inner()),
    }
}

impl GuestClosing {
    /// Whether `fd` is a call's descriptor.
    pub fn contains(&self, fd: &i32) -> bool {
        listed().contains(fd)
    }

    /// The call descriptors.
    pub fn all(&self) -> Vec<i32> {
        listed().clone()
    }
}

/// Whether `fd` is a call's descriptor now.
pub fn is_call_fd(fd: i32) -> bool {
    listed().contains(&fd)
}
