//! The host's resource limits that describe the guest's address space, at the two points
//! where vm's host process and the guest's view of it meet: vm's start and the exec of a
//! host program.
//!
//! vm keeps `RLIMIT_AS`, `RLIMIT_DATA` and `RLIMIT_STACK` for the guest
//! (`ProcessState::emulated_rlimits`), because its own guest reservation is larger than
//! any such limit. A vm started with a finite `RLIMIT_AS` (a shell's `ulimit -v`, `prlimit
//! --as`) could not even reserve guest memory: [`adopt_address_space_limit`] makes that
//! limit the guest's and lifts the host's soft limit to the hard one (or, for a
//! privileged vm whose hard limit is too low, both to unlimited), so that the guest runs
//! under exactly the limit it was started with. Invariant: once a limit is the guest's,
//! the host's value of it is vm's, never the guest's.
//!
//! Another process may set vm's host `RLIMIT_AS` while it runs (`prlimit --pid`), and the
//! kernel would hold vm's own allocations to it while the guest's, inside the reservation,
//! never see it. [`notice_outside_address_space_limit`], before every call that may map
//! more (`mmap`, `brk`, `mremap`, `shmat`) and before the guest reads its limit, finds such
//! a change and makes it the guest's limit. A limit below the guest address space is taken
//! as it is; a larger one can only have been worked out from vm's host size (`ps -o vsz`,
//! `/proc/PID/status`, which count the whole reservation), as that size plus some room, so
//! the guest gets its own size plus that room. vm then raises the host's soft limit again
//! as far as the hard one lets it.
//!
//! A host program the guest executes inherits the host's limits, so
//! [`GuestLimitsOnHost::apply`] puts the guest's soft limits on the host just before the
//! exec (the hard ones stay vm's: lowering a hard limit cannot be undone without
//! privilege, and a failed exec must give vm its own limits back); [`Drop`] restores them.

use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Mutex;

/// What vm needs the host's `RLIMIT_AS` to allow: the guest reservation and its
/// permission table, and room for vm's own code, heap and threads.
const VM_ADDRESS_SPACE: u64 =
    vm_memory::GUEST_SPACE + vm_memory::GUEST_SPACE / vm_memory::PAGE_SIZE + (16 << 30);

/// The host's soft `RLIMIT_AS` as vm last left it: a different one was set by another
/// process.
static HOST_SOFT_AS: AtomicU64 = AtomicU64::new(libc::RLIM_INFINITY);

/// The host's limit of `resource`, `[soft, hard]`.
pub(crate) fn host_limit(resource: u32) -> Option<[u64; 2]> {
    let mut l = [0u64; 2];
    // SAFETY: reads the limit into `l`, a host `struct rlimit64`.
    let r = unsafe {
        host_syscall!(
            libc::SYS_prlimit64,
            0,
            resource,
            std::ptr::null::<u64>(),
            l.as_mut_ptr()
        )
    };
    (r == 0).then_some(l)
}

/// The guest's limit of `resource`, `[soft, hard]`: the one vm keeps for it in
/// `emulated` (`ProcessState::emulated_rlimits`), else the host's (unlimited if the
/// host will not say).
pub fn limit_of_guest(emulated: &HashMap<u32, [u64; 2]>, resource: u32) -> [u64; 2] {
    emulated
        .get(&resource)
        .copied()
        .or_else(|| host_limit(resource))
        .unwrap_or([libc::RLIM_INFINITY; 2])
}

/// Sets the host's limit of `resource`; whether the host accepted it.
pub(crate) fn set_host_limit(resource: u32, limit: [u64; 2]) -> bool {
    // SAFETY: `limit` is a host `struct rlimit64`; no old value is asked for.
    let r = unsafe {
        host_syscall!(
            libc::SYS_prlimit64,
            0,
            resource,
            limit.as_ptr(),
            std::ptr::null_mut::<u64>()
        )
    };
    r == 0
}

/// At vm's start: if the host limits the address space, the guest gets that limit (in
/// `rlimits`, unless it already has one there, from the vm that executed it) and the
/// host's is raised as far as vm may, so that the guest memory can be reserved.
pub fn adopt_address_space_limit(rlimits: &mut Vec<(u32, [u64; 2])>) {
    let resource = libc::RLIMIT_AS;
    let Some([soft, hard]) = host_limit(resource) else {
        return;
    };
    if soft == libc::RLIM_INFINITY {
        return;
    }
    if !rlimits.iter().any(|&(r, _)| r == resource) {
        rlimits.push((resource, [soft, hard]));
    }
    let enough = |l: u64| l == libc::RLIM_INFINITY || l >= VM_ADDRESS_SPACE;
    if enough(hard) || !set_host_limit(resource, [libc::RLIM_INFINITY; 2]) {
        // Without privilege the hard limit stays; a too low one leaves the reservation
        // to fail, which vm reports.
        set_host_limit(resource, [hard, hard]);
    }
    remember_host_soft_limit();
}

fn remember_host_soft_limit() {
    if let Some([soft, _]) = host_limit(libc::RLIMIT_AS) {
        HOST_SOFT_AS.store(soft, Ordering::Relaxed);
    }
}

/// vm's whole host address space (`/proc/self/statm`), or an estimate without procfs.
fn host_size() -> u64 {
    std::fs::read_to_string("/proc/self/statm")
        .ok()
        .and_then(|s| s.split_whitespace().next()?.parse::<u64>().ok())
        .map_or(VM_ADDRESS_SPACE, |pages| pages * vm_memory::PAGE_SIZE)
}

/// The guest's limit for a host limit `limit` set by another process, the guest having
/// `guest_size` bytes mapped and vm `host_size` in all.
fn guest_limit(limit: u64, guest_size: u64, host_size: u64) -> u64 {
    if limit == libc::RLIM_INFINITY || limit < vm_memory::GUEST_SPACE {
        limit
    } else {
        limit.saturating_sub(host_size.saturating_sub(guest_size))
    }
}

/// If another process changed vm's host `RLIMIT_AS`, makes it the guest's (in `limits`,
/// the guest's emulated ones) as the module says; `guest_size` gives the bytes the guest
/// has mapped.
pub fn notice_outside_address_space_limit(
    limits: &Mutex<HashMap<u32, [u64; 2]>>,
    guest_size: impl FnOnce() -> u64,
) {
    let Some([soft, hard]) = host_limit(libc::RLIMIT_AS) else {
        return;
    };
    if soft == HOST_SOFT_AS.load(Ordering::Relaxed) {
        return;
    }
    let (guest, host) = (guest_size(), host_size());
    let limit = [
        guest_limit(soft, guest, host),
        guest_limit(hard, guest, host),
    ];
    crate::thread::lock(limits).insert(libc::RLIMIT_AS, limit);
    set_host_limit(libc::RLIMIT_AS, [hard, hard]);
    remember_host_soft_limit();
}

/// The host's hard `RLIMIT_AS` and what vm needs, if that limit is too low for vm.
pub fn address_space_shortfall() -> Option<(u64, u64)> {
    let [_, hard] = host_limit(libc::RLIMIT_AS)?;
    (hard < VM_ADDRESS_SPACE).then_some((hard, VM_ADDRESS_SPACE))
}

/// The host's limits before the guest's soft limits were put on it for an exec.
pub struct GuestLimitsOnHost {
    saved: Vec<(u32, [u64; 2])>,
}

impl GuestLimitsOnHost {
    /// Puts the guest's soft limits of `guest` (`(resource, [soft, hard])`) on the host,
    /// each as far as the host's hard limit allows.
    pub fn apply(guest: &[(u32, [u64; 2])]) -> GuestLimitsOnHost {
        let mut saved = Vec::new();
        for &(resource, [soft, _]) in guest {
            let Some(host) = host_limit(resource) else {
                continue;
            };
            if host[0] != soft && set_host_limit(resource, [soft.min(host[1]), host[1]]) {
                saved.push((resource, host));
            }
        }
        // Not a limit set by another process.
        remember_host_soft_limit();
        GuestLimitsOnHost { saved }
    }
}

impl Drop for GuestLimitsOnHost {
    fn drop(&mut self) {
        for &(resource, limit) in &self.saved {
            set_host_limit(resource, limit);
        }
        remember_host_soft_limit();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Runs `f` in a forked child (limits are per process): whether it returned
    /// `Some(true)`. The child makes system calls and allocates only (glibc's `fork`
    /// leaves `malloc` usable), and never panics.
    fn in_child(f: impl FnOnce() -> Option<bool>) -> bool {
        // SAFETY: see above; the child ends with `_exit`, running nothing of the harness.
        match unsafe { libc::fork() } {
            0 => unsafe { libc::_exit(if f() == Some(true) { 0 } else { 1 }) },
            pid => {
                let mut status = -1;
                // SAFETY: waits for the child just forked.
                unsafe { libc::waitpid(pid, &mut status, 0) };
                status == 0
            }
        }
    }

    #[test]
    fn a_finite_address_space_limit_becomes_the_guests() {
        assert!(in_child(|| {
            let [_, hard] = host_limit(libc::RLIMIT_AS)?;
            // A soft limit far below what vm needs, the hard one as it was.
            set_host_limit(libc::RLIMIT_AS, [1 << 30, hard]).then_some(())?;
            let mut rlimits = Vec::new();
            adopt_address_space_limit(&mut rlimits);
            let [soft_now, _] = host_limit(libc::RLIMIT_AS)?;
            Some(rlimits == [(libc::RLIMIT_AS, [1 << 30, hard])] && soft_now >= VM_ADDRESS_SPACE)
        }));
    }

    #[test]
    fn a_limit_passed_by_the_executing_vm_is_kept() {
        assert!(in_child(|| {
            let [_, hard] = host_limit(libc::RLIMIT_AS)?;
            set_host_limit(libc::RLIMIT_AS, [1 << 30, hard]).then_some(())?;
            let mut rlimits = vec![(libc::RLIMIT_AS, [2 << 30, 3 << 30])];
            adopt_address_space_limit(&mut rlimits);
            Some(rlimits == [(libc::RLIMIT_AS, [2 << 30, 3 << 30])])
        }));
    }

    #[test]
    fn no_limit_adds_nothing() {
        assert!(in_child(|| {
            let [soft, _] = host_limit(libc::RLIMIT_AS)?;
            if soft != libc::RLIM_INFINITY {
                // Not this test's case: another limit is inherited.
                return Some(true);
            }
            let mut rlimits = Vec::new();
            adopt_address_space_limit(&mut rlimits);
            Some(rlimits.is_empty())
        }));
    }

    #[test]
    fn an_outside_limit_is_the_guests_as_it_is_or_as_room_beyond_vms_size() {
        const GIB: u64 = 1 << 30;
        let space = vm_memory::GUEST_SPACE;
        // Below the guest address space: absolute.
        assert_eq!(guest_limit(GIB, 100 << 20, space + GIB), GIB);
        assert_eq!(guest_limit(libc::RLIM_INFINITY, 0, 0), libc::RLIM_INFINITY);
        // vm's size plus 100 MiB: the guest's size plus 100 MiB.
        let host = space + (80 << 20);
        assert_eq!(
            guest_limit(host + (100 << 20), 30 << 20, host),
            (30 << 20) + (100 << 20)
        );
    }

    #[test]
    fn a_limit_set_from_outside_is_noticed_once_and_lifted_on_the_host() {
        assert!(in_child(|| {
            let [_, hard] = host_limit(libc::RLIMIT_AS)?;
            let limits = Mutex::new(HashMap::new());
            remember_host_soft_limit();
            notice_outside_address_space_limit(&limits, || 0);
            let untouched = limits.lock().ok()?.is_empty();
            // As another process would: a soft limit of 1 GiB.
            set_host_limit(libc::RLIMIT_AS, [1 << 30, hard]).then_some(())?;
            notice_outside_address_space_limit(&limits, || 0);
            let taken = limits.lock().ok()?.get(&libc::RLIMIT_AS) == Some(&[1 << 30, hard]);
            let lifted = host_limit(libc::RLIMIT_AS)? == [hard, hard];
            // Noticed once: the guest's own later limit stays.
            limits.lock().ok()?.insert(libc::RLIMIT_AS, [2 << 30, hard]);
            notice_outside_address_space_limit(&limits, || 0);
            let kept = limits.lock().ok()?.get(&libc::RLIMIT_AS) == Some(&[2 << 30, hard]);
            Some(untouched && taken && lifted && kept)
        }));
    }

    #[test]
    fn guest_soft_limits_go_on_the_host_until_dropped() {
        assert!(in_child(|| {
            let before = host_limit(libc::RLIMIT_STACK)?;
            let soft = (4 << 20).min(before[1]);
            let on_host = GuestLimitsOnHost::apply(&[(libc::RLIMIT_STACK, [soft, soft])]);
            let during = host_limit(libc::RLIMIT_STACK)?;
            drop(on_host);
            let after = host_limit(libc::RLIMIT_STACK)?;
            Some(during == [soft, before[1]] && after == before)
        }));
    }
}
