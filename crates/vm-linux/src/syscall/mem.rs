//! The address space: `brk`, `mmap`, `munmap`, `mprotect`, `madvise`, `msync` (and the helpers
//! `mremap` shares).
//!
//! Placement follows Linux: `MAP_FIXED` addresses are taken as given (below
//! `MMAP_MIN_ADDR` is `EPERM`), a hint is honoured when the whole range there is free, and
//! otherwise the highest free range below `layout::MMAP_TOP` is used (then anywhere, as
//! Linux's bottom-up fallback would). Every address is reproducible from run to run.
//!
//! Mapping kinds:
//! - private anonymous and `/dev/zero`: fresh zero pages;
//! - shared anonymous and `/dev/zero`: a fresh memory file mapped shared (below), so a
//!   forked child shares the pages;
//! - private file: the host file mapped private (copy-on-write) for the pages inside the
//!   file, so, as on Linux, changes to the file show until a page is first written;
//! - shared file: the host file mapped shared for the pages inside the file (recorded in
//!   `AddressSpace::shared_file_maps`).
//!
//! In both file kinds, pages wholly past the end of the file raise SIGBUS when touched,
//! as on Linux (`GuestMemory::mark_past_end_of_file`); a page that a truncation puts past
//! the end after it was mapped does too, from the first touch on (see `signal::host`),
//! though that first SIGBUS arrives at the end of the instruction's block. A file that
//! grows again under such a page still reads as zeros there.
//!
//! Invariants: before any guest page is unmapped or replaced, [`release`] runs for it:
//! it flags executable pages for code invalidation and forgets shared-file pieces. A call
//! that maps more memory (`mmap`, `brk`, `mremap`, `shmat`) first asks [`may_expand`],
//! which holds the guest to its `RLIMIT_AS` as Linux's `may_expand_vm` does; the total
//! counts every guest region, vm's own (`[sigpage]`) included, as Linux
//! counts the vDSO.

use super::abi::{map, prot};
use super::{host, Errno, SysResult};
use crate::layout::MMAP_TOP;
use crate::state::AddressSpace;
use crate::syscall::file_maps::SharedFileMap;
use std::os::fd::{FromRawFd, OwnedFd};
use std::sync::Arc;
use vm_ir::GuestAddr;
use vm_memory::{
    page_ceil, page_floor, FilePages, GuestMemory, MapError, Perm, Region, RegionKind, Sharing,
    GUEST_SPACE, PAGE_SIZE,
};

/// The lowest address a mapping may use (Linux's default `vm.mmap_min_addr`).
pub const MMAP_MIN_ADDR: u64 = 0x10000;

pub(super) fn map_errno(e: MapError) -> Errno {
    Errno(e.errno())
}

/// Whether `v` is a multiple of the page size.
pub(super) fn page_aligned(v: u64) -> bool {
    v & (PAGE_SIZE - 1) == 0
}

/// `len` rounded up to whole pages, `None` if that overflows.
pub(super) fn page_len(len: u64) -> Option<u64> {
    len.checked_add(PAGE_SIZE - 1).map(page_floor)
}

/// The parts of the regions overlapping `[start, end)`, clipped to it, in address order.
pub(super) fn regions_in(mem: &GuestMemory, start: GuestAddr, end: GuestAddr) -> Vec<Region> {
    mem.regions_in(start, end)
}

/// The end of the mapped run of pages starting at `start` (at most `end`).
pub(super) fn mapped_prefix_end(mem: &GuestMemory, start: GuestAddr, end: GuestAddr) -> u64 {
    let mut cursor = start;
    for r in regions_in(mem, start, end) {
        if r.start > cursor {
            break;
        }
        cursor = r.end;
    }
    cursor.min(end)
}

/// Prepares `[start, end)` for being unmapped or replaced: code translated from its
/// executable pages must go, and shared-file pieces are forgotten.
pub(super) fn release(state: &mut AddressSpace, mem: &GuestMemory, start: u64, end: u64) {
    for r in regions_in(mem, start, end) {
        if r.perm.contains(Perm::X) {
            state.code_changed.push((r.start, r.end));
        }
    }
    state.shared_file_maps.remove(start, end);
    state.shm_attachments.forget(start, end);
}

/// Unmaps whatever is mapped in `[start, end)` (touching only the mapped parts).
pub(super) fn unmap(
    state: &mut AddressSpace,
    mem: &GuestMemory,
    start: u64,
    end: u64,
) -> Result<(), Errno> {
    release(state, mem, start, end);
    for r in regions_in(mem, start, end) {
        mem.unmap(r.start, r.end - r.start).map_err(map_errno)?;
    }
    Ok(())
}

/// Linux's `may_expand_vm` for `RLIMIT_AS`: `ENOMEM` if mapping `more` bytes on top of
/// what is mapped would take the guest past its address-space limit (counted in
/// pages, the limit rounded down, as Linux counts).
pub(super) fn may_expand(state: &AddressSpace, mem: &GuestMemory, more: u64) -> Result<(), Errno> {
    let Some(limit) = state.size_limit else {
        return Ok(());
    };
    let pages = (mem.mapped_bytes() / PAGE_SIZE).saturating_add(more / PAGE_SIZE);
    if more > 0 && pages > limit / PAGE_SIZE {
        return Err(Errno(libc::ENOMEM));
    }
    Ok(())
}

/// Linux's `stack_guard_gap`: a growing stack stops this far above the next mapping.
const STACK_GUARD_GAP: u64 = 1 << 20;

/// Extends the main thread's stack down to what a soft `RLIMIT_STACK` of `limit`
/// allows (`layout::stack_mapping_size`), as far as the free space below it, Linux's
/// guard gap and `RLIMIT_AS` let it: Linux grows the stack on demand up to the limit in
/// force, vm maps what the limit allows at once, so a raised limit grows it now. A
/// lowered limit leaves the mapping as it is (Linux never shrinks a stack either, but
/// would refuse to grow it further). Returns the bytes added.
pub fn grow_stack(state: &mut AddressSpace, mem: &GuestMemory, limit: u64) -> u64 {
    use crate::layout::{stack_mapping_size, MAX_STACK_SIZE, STACK_TOP};
    // The run of stack regions ending at the top (mprotect may have split it).
    let mut bottom = STACK_TOP;
    let mut perm = Perm::RW;
    for r in regions_in(mem, STACK_TOP - MAX_STACK_SIZE, STACK_TOP)
        .iter()
        .rev()
    {
        if r.end != bottom || r.kind != RegionKind::Stack {
            break;
        }
        bottom = r.start;
        perm = r.perm;
    }
    if bottom == STACK_TOP {
        return 0; // The guest unmapped its stack's top.
    }
    let mut want = STACK_TOP - stack_mapping_size(limit, 0);
    let floor = want.saturating_sub(STACK_GUARD_GAP);
    if let Some(below) = regions_in(mem, floor, bottom).last() {
        want = want.max(page_ceil(below.end + STACK_GUARD_GAP));
    }
    if want >= bottom || may_expand(state, mem, bottom - want).is_err() {
        return 0;
    }
    match mem.map_fixed(want, bottom - want, perm, RegionKind::Stack) {
        Ok(()) => bottom - want,
        Err(e) => {
            tracing::warn!("growing the stack to {want:#x}: {e}");
            0
        }
    }
}

/// The bytes of `[start, start + len)` not mapped yet: what a mapping there adds.
pub(super) fn unmapped_within(mem: &GuestMemory, start: u64, len: u64) -> u64 {
    let end = start.saturating_add(len);
    let mapped: u64 = regions_in(mem, start, end)
        .iter()
        .map(|r| r.end - r.start)
        .sum();
    len - mapped
}

/// A free range of `len` bytes for a mapping without a usable address: top-down below
/// `MMAP_TOP`, else the highest free range anywhere.
pub(super) fn find_free(mem: &GuestMemory, len: u64) -> Result<u64, Errno> {
    mem.find_free_below(len, MMAP_TOP)
        .or_else(|| mem.find_free_below(len, GUEST_SPACE))
        .ok_or(Errno(libc::ENOMEM))
}

pub fn brk(state: &mut AddressSpace, mem: &GuestMemory, requested: u64) -> SysResult {
    let old = state.brk.current;
    // Linux answers every failure with the unchanged break.
    if requested < state.brk.start || requested >= GUEST_SPACE {
        return Ok(old as i64);
    }
    let (new_top, old_top) = (page_ceil(requested), page_ceil(old));
    if new_top < old_top {
        if unmap(state, mem, new_top, old_top).is_err() {
            return Ok(old as i64);
        }
    } else if new_top > old_top {
        // The new pages and a guard page above them must be free.
        let free = new_top < GUEST_SPACE && mem.is_free(old_top, new_top + PAGE_SIZE - old_top);
        if !free
            || may_expand(state, mem, new_top - old_top).is_err()
            || mem
                .map_fixed(old_top, new_top - old_top, Perm::RW, RegionKind::Heap)
                .is_err()
        {
            return Ok(old as i64);
        }
        super::residency::lock_new(state, mem, old_top, new_top - old_top, false);
    }
    state.brk.current = requested;
    Ok(requested as i64)
}

/// Where a new mapping of `len` (page-aligned) bytes goes.
pub(super) fn place(mem: &GuestMemory, hint: u64, len: u64, fixed: bool) -> Result<u64, Errno> {
    if len > GUEST_SPACE - MMAP_MIN_ADDR {
        return Err(Errno(libc::ENOMEM));
    }
    if fixed {
        if !page_aligned(hint) {
            return Err(Errno(libc::EINVAL));
        }
        if hint > GUEST_SPACE - len {
            return Err(Errno(libc::ENOMEM));
        }
        if hint < MMAP_MIN_ADDR {
            return Err(Errno(libc::EPERM));
        }
        return Ok(hint);
    }
    let mut hint = page_floor(hint);
    if hint != 0 && hint < MMAP_MIN_ADDR {
        hint = MMAP_MIN_ADDR;
    }
    if hint != 0 && hint <= GUEST_SPACE - len && mem.is_free(hint, len) {
        return Ok(hint);
    }
    find_free(mem, len)
}

/// What `mmap` maps from a descriptor.
#[derive(Debug)]
enum SourceKind {
    Regular,
    /// `/dev/zero`: anonymous memory.
    Zero,
    /// Anything else (directories, pipes, sockets, other devices): `ENODEV`.
    Unmappable,
}

/// A descriptor passed to `mmap`.
struct MapSource {
    fd: i32,
    size: u64,
    readable: bool,
    writable: bool,
    kind: SourceKind,
}

impl MapSource {
    fn inspect(fd: i32) -> Result<MapSource, Errno> {
        let mut st = std::mem::MaybeUninit::<libc::stat>::zeroed();
        // SAFETY: `st` is a host `struct stat` the kernel fills.
        host(unsafe { host_syscall!(libc::SYS_fstat, fd, st.as_mut_ptr()) })?;
        // SAFETY: filled by a successful fstat (and zeroed before).
        let st = unsafe { st.assume_init() };
        // SAFETY: F_GETFL takes no pointer argument.
        let flags = host(unsafe { host_syscall!(libc::SYS_fcntl, fd, libc::F_GETFL) })? as i32;
        if flags & libc::O_PATH != 0 {
            return Err(Errno(libc::EBADF));
        }
        let acc = flags & libc::O_ACCMODE;
        let kind = match st.st_mode & libc::S_IFMT {
            libc::S_IFREG => SourceKind::Regular,
            libc::S_IFCHR if st.st_rdev == libc::makedev(1, 5) => SourceKind::Zero,
            _ => SourceKind::Unmappable,
        };
        Ok(MapSource {
            fd,
            size: st.st_size as u64,
            readable: acc == libc::O_RDONLY || acc == libc::O_RDWR,
            writable: acc == libc::O_WRONLY || acc == libc::O_RDWR,
            kind,
        })
    }

    /// The file's host path, for the region table (`/proc/self/maps`).
    fn path(&self) -> String {
        std::fs::read_link(format!("/proc/self/fd/{}", self.fd))
            .map(|p| p.to_string_lossy().into_owned())
            .unwrap_or_default()
    }

    /// A private duplicate of the descriptor, out of the guest's way
    /// ([`super::fd::dup_out_of_the_way`]); `None` if the descriptor table is full.
    fn duplicate(&self) -> Option<Arc<OwnedFd>> {
        let fd = super::fd::dup_out_of_the_way(self.fd)?;
        super::fd::note_held(fd);
        // SAFETY: `fd` was just created and is owned by nobody else.
        Some(Arc::new(unsafe { OwnedFd::from_raw_fd(fd) }))
    }
}

/// `mmap`; the new pages are locked for `MAP_LOCKED` and after `mlockall(MCL_FUTURE)`.
#[allow(clippy::too_many_arguments)]
pub fn mmap(
    state: &mut AddressSpace,
    mem: &GuestMemory,
    addr: u64,
    len: u64,
    prot: u64,
    flags: u64,
    fd: i32,
    offset: u64,
) -> SysResult {
    if !page_aligned(offset) {
        return Err(Errno(libc::EINVAL));
    }
    let source = if flags & map::ANONYMOUS == 0 {
        Some(MapSource::inspect(fd)?)
    } else {
        None
    };
    if len == 0 {
        return Err(Errno(libc::EINVAL));
    }
    let len = page_len(len).ok_or(Errno(libc::ENOMEM))?;
    let fixed = flags & (map::FIXED | map::FIXED_NOREPLACE) != 0;
    let start = place(mem, addr, len, fixed)?;
    if flags & map::FIXED_NOREPLACE != 0 && !mem.is_free(start, len) {
        return Err(Errno(libc::EEXIST));
    }
    let perm = Perm::from_prot(prot as u32);
    // Checked where Linux's `mmap_region` checks it, after the arguments.
    let fits = || may_expand(state, mem, unmapped_within(mem, start, len));
    let Some(src) = source else {
        match flags & map::TYPE {
            map::SHARED if flags & map::GROWSDOWN != 0 => return Err(Errno(libc::EINVAL)),
            map::SHARED | map::PRIVATE | map::DROPPABLE => {}
            _ => return Err(Errno(libc::EINVAL)),
        }
        fits()?;
        if flags & map::TYPE == map::SHARED {
            map_shared_anonymous(state, mem, start, len, perm)?;
        } else {
            map_anonymous(state, mem, start, len, perm)?;
        }
        super::residency::lock_new(state, mem, start, len, flags & map::LOCKED != 0);
        return Ok(start as i64);
    };
    let shared = match flags & map::TYPE {
        map::SHARED => true,
        map::SHARED_VALIDATE => {
            let known = map::LEGACY_MASK | map::SYNC | map::FIXED_NOREPLACE;
            // MAP_SYNC needs a DAX file, which no host file here is.
            if flags & !known != 0 || flags & map::SYNC != 0 {
                return Err(Errno(libc::EOPNOTSUPP));
            }
            true
        }
        map::PRIVATE => false,
        _ => return Err(Errno(libc::EINVAL)),
    };
    if offset
        .checked_add(len)
        .filter(|&end| end <= i64::MAX as u64)
        .is_none()
    {
        return Err(Errno(libc::EOVERFLOW));
    }
    if (shared && prot & prot::WRITE != 0 && !src.writable) || !src.readable {
        return Err(Errno(libc::EACCES));
    }
    if !matches!(src.kind, SourceKind::Unmappable) {
        fits()?;
    }
    match src.kind {
        SourceKind::Unmappable => return Err(Errno(libc::ENODEV)),
        SourceKind::Zero if shared => map_shared_anonymous(state, mem, start, len, perm)?,
        SourceKind::Zero => map_anonymous(state, mem, start, len, perm)?,
        SourceKind::Regular => {
            let sharing = if shared {
                Sharing::Shared
            } else {
                Sharing::Private
            };
            let path = src.path();
            map_file(state, mem, &src, path, start, len, perm, offset, sharing)?;
        }
    }
    super::residency::lock_new(state, mem, start, len, flags & map::LOCKED != 0);
    Ok(start as i64)
}

fn map_anonymous(
    state: &mut AddressSpace,
    mem: &GuestMemory,
    start: u64,
    len: u64,
    perm: Perm,
) -> Result<(), Errno> {
    release(state, mem, start, start + len);
    mem.map_fixed(start, len, perm, RegionKind::Anonymous)
        .map_err(map_errno)
}

/// How Linux names shared anonymous memory in `/proc/self/maps`.
const SHARED_ANONYMOUS_NAME: &str = "/dev/zero (deleted)";

/// `MAP_SHARED` anonymous memory (and shared `/dev/zero`): a memory file of the mapping's
/// size mapped shared, so that it stays shared with forked children, and moves or grows
/// with `mremap` like any shared file mapping.
fn map_shared_anonymous(
    state: &mut AddressSpace,
    mem: &GuestMemory,
    start: u64,
    len: u64,
    perm: Perm,
) -> Result<(), Errno> {
    let name = c"dev/zero";
    // SAFETY: `name` is NUL-terminated.
    let fd =
        host(unsafe { host_syscall!(libc::SYS_memfd_create, name.as_ptr(), libc::MFD_CLOEXEC) })?
            as i32;
    // SAFETY: `fd` was just created and is owned by nobody else.
    let file = unsafe { OwnedFd::from_raw_fd(fd) };
    // SAFETY: no pointer arguments.
    host(unsafe { host_syscall!(libc::SYS_ftruncate, fd, len as i64) })?;
    let src = MapSource {
        fd,
        size: len,
        readable: true,
        writable: true,
        kind: SourceKind::Regular,
    };
    let named = SHARED_ANONYMOUS_NAME.to_string();
    let result = map_file(
        state,
        mem,
        &src,
        named,
        start,
        len,
        perm,
        0,
        Sharing::Shared,
    );
    drop(file);
    result
}

/// Maps `src` at `offset` over `[start, start + len)`: the pages inside the file from the
/// file, the pages wholly past its end as zero pages (see the module docs).
#[allow(clippy::too_many_arguments)]
fn map_file(
    state: &mut AddressSpace,
    mem: &GuestMemory,
    src: &MapSource,
    path: String,
    start: u64,
    len: u64,
    perm: Perm,
    offset: u64,
    sharing: Sharing,
) -> Result<(), Errno> {
    release(state, mem, start, start + len);
    let in_file = page_ceil(src.size.saturating_sub(offset)).min(len);
    if in_file > 0 {
        let kind = RegionKind::File {
            path: path.clone(),
            offset,
        };
        let pages = FilePages {
            fd: src.fd,
            offset,
            sharing,
        };
        mem.map_file(start, in_file, perm, pages, kind)
            .map_err(map_errno)?;
        if sharing == Sharing::Shared {
            let piece = SharedFileMap {
                end: start + in_file,
                fd: src.duplicate(),
                offset,
                writable: src.writable,
            };
            state.shared_file_maps.insert(start, piece);
        }
    }
    if in_file < len {
        let kind = RegionKind::File {
            path,
            offset: offset + in_file,
        };
        mem.map_fixed(start + in_file, len - in_file, perm, kind)
            .map_err(map_errno)?;
        mem.mark_past_end_of_file(start + in_file, len - in_file)
            .map_err(map_errno)?;
    }
    Ok(())
}

pub fn munmap(state: &mut AddressSpace, mem: &GuestMemory, addr: u64, len: u64) -> SysResult {
    if !page_aligned(addr) || addr > GUEST_SPACE || len > GUEST_SPACE - addr {
        return Err(Errno(libc::EINVAL));
    }
    let len = page_ceil(len);
    if len == 0 {
        return Err(Errno(libc::EINVAL));
    }
    unmap(state, mem, addr, addr + len)?;
    Ok(0)
}

pub fn mprotect(
    state: &mut AddressSpace,
    mem: &GuestMemory,
    addr: u64,
    len: u64,
    prot: u64,
) -> SysResult {
    use prot::*;
    if prot & (GROWSDOWN | GROWSUP) == GROWSDOWN | GROWSUP || !page_aligned(addr) {
        return Err(Errno(libc::EINVAL));
    }
    if len == 0 {
        return Ok(0);
    }
    let end = page_len(len)
        .and_then(|l| addr.checked_add(l))
        .ok_or(Errno(libc::ENOMEM))?;
    if prot & !(READ | WRITE | EXEC | SEM | GROWSDOWN | GROWSUP) != 0 {
        return Err(Errno(libc::EINVAL));
    }
    // Like Linux: the mapped run from `addr` changes, then a hole is reported.
    let mapped_end = mapped_prefix_end(mem, addr, end);
    if mapped_end == addr {
        return Err(Errno(libc::ENOMEM));
    }
    if prot & WRITE != 0 && state.shared_file_maps.forbids_write(addr, mapped_end) {
        return Err(Errno(libc::EACCES));
    }
    let perm = Perm::from_prot(prot as u32);
    for r in regions_in(mem, addr, mapped_end) {
        if r.perm.contains(Perm::X) && r.perm != perm {
            state.code_changed.push((r.start, r.end));
        }
    }
    mem.protect(addr, mapped_end - addr, perm)
        .map_err(map_errno)?;
    if mapped_end < end {
        return Err(Errno(libc::ENOMEM));
    }
    Ok(0)
}

/// `madvise` advice values.
mod advice {
    pub const DONTNEED: i32 = 4;
    pub const DONTNEED_LOCKED: i32 = 24;
    pub const HWPOISON: i32 = 100;
    pub const SOFT_OFFLINE: i32 = 101;

    /// The advice Linux knows (without the guard-page advice of 6.13).
    pub fn is_valid(a: i32) -> bool {
        matches!(a, 0..=4 | 8..=25 | HWPOISON | SOFT_OFFLINE)
    }
}

/// Only `MADV_DONTNEED` (and `_LOCKED`) changes anything: it goes to the host, whose
/// mappings have the guest's kinds, so private anonymous pages read back as zero, private
/// file pages as the file's, and shared pages keep their contents, as on Linux. Every other
/// advice is a hint that is accepted and ignored.
pub fn madvise(
    state: &mut AddressSpace,
    mem: &GuestMemory,
    addr: u64,
    len: u64,
    adv: i32,
) -> SysResult {
    if !advice::is_valid(adv) {
        return Err(Errno(libc::EINVAL));
    }
    if matches!(adv, advice::HWPOISON | advice::SOFT_OFFLINE) {
        return Err(Errno(libc::EPERM));
    }
    if !page_aligned(addr) {
        return Err(Errno(libc::EINVAL));
    }
    let end = page_len(len)
        .and_then(|l| addr.checked_add(l))
        .ok_or(Errno(libc::EINVAL))?;
    if end == addr {
        return Ok(0);
    }
    let hole = !mem.is_mapped(addr, end - addr);
    if matches!(adv, advice::DONTNEED | advice::DONTNEED_LOCKED) {
        for r in regions_in(mem, addr, end) {
            if r.perm.contains(Perm::X) {
                state.code_changed.push((r.start, r.end));
            }
            mem.discard(r.start, r.end - r.start).map_err(map_errno)?;
        }
    }
    if hole {
        return Err(Errno(libc::ENOMEM));
    }
    Ok(0)
}

/// `msync` flags.
mod ms {
    pub const ASYNC: i32 = 1;
    pub const INVALIDATE: i32 = 2;
    pub const SYNC: i32 = 4;
}

/// Guest stores to a shared file mapping land in the host's page cache directly (the host
/// file is mapped shared), so `MS_SYNC` only has to write the file back: `fdatasync` on
/// the mapping's descriptor, as Linux's `vfs_fsync_range(.., datasync = 1)` (the whole
/// file rather than the range). Other mappings need nothing. Holes are `ENOMEM` as in
/// Linux: at once for plain `MS_SYNC`, after the mapped parts otherwise.
pub fn msync(
    state: &AddressSpace,
    mem: &GuestMemory,
    addr: u64,
    len: u64,
    flags: i32,
) -> SysResult {
    if flags & !(ms::ASYNC | ms::INVALIDATE | ms::SYNC) != 0
        || !page_aligned(addr)
        || flags & (ms::ASYNC | ms::SYNC) == ms::ASYNC | ms::SYNC
    {
        return Err(Errno(libc::EINVAL));
    }
    let end = page_len(len)
        .and_then(|l| addr.checked_add(l))
        .ok_or(Errno(libc::ENOMEM))?;
    if end == addr {
        return Ok(0);
    }
    let mut cursor = addr;
    let mut hole = false;
    for r in regions_in(mem, addr, end) {
        if r.start > cursor {
            if flags == ms::SYNC {
                return Err(Errno(libc::ENOMEM));
            }
            hole = true;
        }
        if flags & ms::SYNC != 0 {
            for (_, piece) in state.shared_file_maps.overlapping(r.start, r.end) {
                if let Some(fd) = &piece.fd {
                    use std::os::fd::AsRawFd;
                    // SAFETY: no pointer arguments; `fd` is the VM's open duplicate.
                    host(unsafe { host_syscall!(libc::SYS_fdatasync, fd.as_raw_fd()) })?;
                }
            }
        }
        cursor = r.end;
    }
    if hole || cursor < end {
        return Err(Errno(libc::ENOMEM));
    }
    Ok(0)
}
