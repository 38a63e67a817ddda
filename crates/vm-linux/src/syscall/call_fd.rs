//! Descriptors vm opens in the guest's descriptor table for the length of one call (the
//! sockets a fork-like `clone` keeps to a vfork child or to a child entering new
//! namespaces), kept out of the reach of the guest's other threads meanwhile.
//!
//! On Linux that bookkeeping is kernel state, not a descriptor, so no other thread can
//! close it. Here another guest thread's `close`, `close_range` or `dup3` could close
//! such a socket under the call (a debug vm then aborts on the double close; a release
//! vm could close whatever the guest opened at that number since), and its reads and
//! writes could reach it.
//!
//! Invariants: every [`CallFd`] is listed from just after the host created it until just
//! before the host closes it, and both happen under the list's write lock; the guest's
//! calls that close or replace descriptors hold its read lock ([`guest_closing`]) from
//! their check ([`is_call_fd`], [`all`]) until the host call is done, so a number is never
//! a call's while the guest closes it. A fork holds the write lock across the host fork
//! ([`hold_for_fork`]), so the child never inherits it held by a thread it does not have.
//! Never take the lock while holding it: [`is_call_fd`] not under [`guest_closing`], no
//! `CallFd` dropped under [`hold_for_fork`]. Lock order: this list, then the address
//! space (a guest `close` looks at the shared file mappings' descriptors under it).

use std::os::fd::{AsRawFd, OwnedFd};
use std::sync::{RwLock, RwLockReadGuard, RwLockWriteGuard};

static LISTED: RwLock<Vec<i32>> = RwLock::new(Vec::new());

fn read() -> RwLockReadGuard<'static, Vec<i32>> {
    LISTED.read().unwrap_or_else(|e| e.into_inner())
}

fn write() -> RwLockWriteGuard<'static, Vec<i32>> {
    LISTED.write().unwrap_or_else(|e| e.into_inner())
}

/// The list's write lock, held while the host creates call descriptors (then
/// [`Creating::adopt`] lists them) and across a host `fork`.
pub struct Creating(RwLockWriteGuard<'static, Vec<i32>>);

/// Takes the list's write lock.
pub fn creating() -> Creating {
    Creating(write())
}

/// Takes the list's write lock across a host `fork`.
pub fn hold_for_fork() -> Creating {
    creating()
}

impl Creating {
    /// Lists `fd`, which the host created while this lock was held.
    pub fn adopt(&mut self, fd: OwnedFd) -> CallFd {
        self.0.push(fd.as_raw_fd());
        CallFd(Some(fd))
    }
}

/// A descriptor vm holds for the length of a call; unlisted and closed on drop.
#[derive(Debug)]
pub struct CallFd(Option<OwnedFd>);

impl CallFd {
    /// Unlists the descriptor and hands it over (to a vfork child's state, which keeps
    /// it out of the guest's reach by other means).
    pub fn into_owned(mut self) -> OwnedFd {
        let fd = self
            .0
            .take()
            .expect("a CallFd holds its descriptor until dropped");
        unlist(&mut write(), fd.as_raw_fd());
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
            let mut listed = write();
            unlist(&mut listed, fd.as_raw_fd());
            drop(fd);
        }
    }
}

/// Takes `fd` out of the list (once: a number may be listed again after the host reused
/// it, never twice at a time).
fn unlist(listed: &mut Vec<i32>, fd: i32) {
    if let Some(i) = listed.iter().position(|&d| d == fd) {
        listed.swap_remove(i);
    }
}

/// Held by a guest call that closes or replaces descriptors, from its check of vm's
/// descriptors until its host call is done.
pub fn guest_closing() -> RwLockReadGuard<'static, Vec<i32>> {
    read()
}

/// Whether `fd` is a call's descriptor now.
pub fn is_call_fd(fd: i32) -> bool {
    read().contains(&fd)
}
