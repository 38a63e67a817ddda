//! Guest memory: every guest address lives in one host reservation at a fixed offset.
//!
//! Invariants:
//! - The reservation covers guest addresses `[0, GUEST_SPACE)`; an access whose range does
//!   not lie entirely inside it is a fault, so no guest address reaches host memory outside
//!   the reservation.
//! - The per-page permission table ([`Perm`]) is the authority for every guest access;
//!   host pages of mapped guest pages are readable and writable, those of unmapped guest
//!   pages are `PROT_NONE` (but for one that an access raced an unmap of, until it is
//!   sealed again: see below).
//! - The region list describes exactly the mapped pages, page-aligned and non-overlapping,
//!   for `/proc/self/maps`, `munmap`, `mremap` and free-range searches.
//!
//! Sharing: one `GuestMemory` serves every thread of a guest process (`&self` everywhere).
//! Guest data is shared memory, reached only through raw pointers and transient slices
//! made right after a permission check; what one guest thread writes while another
//! reads is the guest's race, as on hardware. Permission entries are atomics, and each
//! mapping change holds the region lock while it remaps host pages and rewrites entries.
//! A guest thread that accesses a page while another unmaps it may see the old mapping
//! or fault, as on Linux; vm itself only touches guest pages through host system calls
//! (which fail with `EFAULT`) or right after a check.
//!
//! Racing an unmap: the check and the host access are two steps, so an access whose
//! check passed just before another thread unmapped the page raises a host SIGSEGV on
//! the now `PROT_NONE` host page. The host signal handler (in `vm-linux`) recognises it
//! with a [`FaultView`] and makes that host page a private zero page so that the access
//! completes; the thread then gets its guest SIGSEGV, and
//! [`GuestMemory::seal_unmapped_page`] puts `PROT_NONE` back unless the page has been
//! mapped anew meanwhile. Until then an unmapped guest page may be host-accessible: the
//! permission table, not the host protection, is what keeps guest accesses out of it.

mod host;
mod region;
pub mod remote;
#[cfg(test)]
mod tests;

pub use region::{Region, RegionKind};

use host::Reservation;
use region::RegionMap;
use std::sync::atomic::{AtomicU32, AtomicU64, AtomicU8, Ordering};
use std::sync::{Mutex, MutexGuard};
use vm_ir::GuestAddr;

/// Size of the guest address space: Sv39's user half (256 GiB), as on RISC-V Linux.
pub const GUEST_SPACE: u64 = 1 << 38;
/// Guest (and host) page size.
pub const PAGE_SIZE: u64 = 4096;

/// Rounds `v` down to a page boundary.
pub const fn page_floor(v: u64) -> u64 {
    v & !(PAGE_SIZE - 1)
}

/// Rounds `v` up to a page boundary (saturating at the top of `u64`'s pages).
pub const fn page_ceil(v: u64) -> u64 {
    match v.checked_add(PAGE_SIZE - 1) {
        Some(x) => page_floor(x),
        None => page_floor(u64::MAX),
    }
}

/// Guest page permissions (PROT_* bit layout).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Default)]
pub struct Perm(pub u8);

impl Perm {
    pub const NONE: Perm = Perm(0);
    pub const R: Perm = Perm(1);
    pub const W: Perm = Perm(2);
    pub const X: Perm = Perm(4);
    pub const RW: Perm = Perm(3);
    pub const RX: Perm = Perm(5);
    /// Marks a page as mapped (even if PROT_NONE); not a PROT_* bit.
    const MAPPED: u8 = 0x80;
    /// Marks a mapped file page that lies past the end of its file: every access the
    /// permissions allow faults with [`FaultKind::PastEndOfFile`]. Not a PROT_* bit. Such
    /// a page's entry keeps its permissions shifted up by [`Perm::PAST_EOF_SHIFT`], so that
    /// the access check, which looks at the low bits only, refuses every access.
    const PAST_EOF: u8 = 0x40;
    const PAST_EOF_SHIFT: u32 = 3;

    /// The permission-table entry of a mapped page with permissions `self`.
    fn entry(self, past_eof: bool) -> u8 {
        if past_eof {
            Perm::MAPPED | Perm::PAST_EOF | (self.0 << Perm::PAST_EOF_SHIFT)
        } else {
            Perm::MAPPED | self.0
        }
    }

    /// The permissions an entry holds.
    fn of_entry(entry: u8) -> Perm {
        if entry & Perm::PAST_EOF != 0 {
            Perm((entry >> Perm::PAST_EOF_SHIFT) & 7)
        } else {
            Perm(entry & 7)
        }
    }

    /// From Linux PROT_* bits (PROT_READ=1, PROT_WRITE=2, PROT_EXEC=4); others ignored.
    pub fn from_prot(prot: u32) -> Perm {
        Perm((prot & 7) as u8)
    }

    pub fn contains(self, other: Perm) -> bool {
        self.0 & other.0 == other.0
    }
}

/// The kind of access that faulted.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Access {
    Read,
    Write,
    Execute,
}

impl Access {
    fn perm(self) -> u8 {
        match self {
            Access::Read => Perm::R.0,
            Access::Write => Perm::W.0,
            Access::Execute => Perm::X.0,
        }
    }
}

/// Why a guest access faulted.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FaultKind {
    /// Nothing is mapped there (SIGSEGV, `SEGV_MAPERR`).
    Unmapped,
    /// The mapping's permissions forbid the access (SIGSEGV, `SEGV_ACCERR`).
    Protection,
    /// The page belongs to a file mapping but lies wholly past the end of the file
    /// (SIGBUS, `BUS_ADRERR`).
    PastEndOfFile,
}

/// A guest access the guest's mappings do not allow: a guest SIGSEGV or SIGBUS.
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
#[error("guest {access:?} fault at {addr:#x} ({kind:?})")]
pub struct MemFault {
    /// The first faulting byte's address (si_addr).
    pub addr: GuestAddr,
    pub access: Access,
    pub kind: FaultKind,
}

/// How a file mapping shares its pages with the file.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Sharing {
    /// Copy-on-write: the file's pages until one is written (`MAP_PRIVATE`).
    Private,
    /// Writes reach the file and every other mapping of it (`MAP_SHARED`).
    Shared,
}

/// Where a file mapping's pages come from: a host descriptor, the file offset of the
/// first page, and how the mapping shares them.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct FilePages {
    pub fd: i32,
    pub offset: u64,
    pub sharing: Sharing,
}

/// Why a mapping request failed; maps onto Linux errnos.
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
pub enum MapError {
    #[error("range is not page-aligned or outside the guest address space")]
    Invalid,
    #[error("no free guest address range large enough")]
    NoSpace,
    #[error("range is not (entirely) mapped")]
    NotMapped,
    #[error("host refused the mapping (errno {0})")]
    Host(i32),
}

impl MapError {
    /// The Linux errno for this failure.
    pub fn errno(self) -> i32 {
        match self {
            MapError::Invalid => libc::EINVAL,
            MapError::NoSpace | MapError::NotMapped => libc::ENOMEM,
            MapError::Host(e) => e,
        }
    }
}

/// What the permission table says of a guest page, as a host fault handler reads it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PageAccess {
    /// Nothing is mapped there.
    Unmapped,
    /// Mapped, and the mapping allows the access.
    Allowed,
    /// Mapped, but the mapping refuses the access (or lies past the end of its file).
    Refused,
}

/// Where a guest address space lies in the host's, for a host signal handler: the
/// guest space and its permission table as plain addresses, so that the handler can
/// keep them in atomics. Made by [`GuestMemory::fault_view`].
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct FaultView {
    /// The host address of guest address 0.
    pub base: usize,
    /// The host address of the permission table (one byte per guest page).
    pub perms: usize,
    /// The host address of the count of mapping changes (an `AtomicU64`).
    pub changes: usize,
}

impl FaultView {
    /// The guest address at host address `host`, if it lies in the guest space.
    pub fn guest_addr(&self, host: usize) -> Option<GuestAddr> {
        let offset = host.checked_sub(self.base)? as u64;
        (self.base != 0 && offset < GUEST_SPACE).then_some(offset)
    }

    /// What the permission table says of an `access` to guest address `addr`: one
    /// atomic load, so async-signal-safe.
    ///
    /// # Safety
    /// The view must come from a [`GuestMemory`] that is still alive, and
    /// `addr < GUEST_SPACE`.
    pub unsafe fn page_access(&self, addr: GuestAddr, access: Access) -> PageAccess {
        // SAFETY (the caller's contract): the table is a live read-write mapping of one
        // byte per guest page, and `addr` lies in the guest space.
        let entry = &*((self.perms + (addr / PAGE_SIZE) as usize) as *const AtomicU8);
        let entry = entry.load(Ordering::Relaxed);
        if entry & Perm::MAPPED == 0 {
            PageAccess::Unmapped
        } else if entry & access.perm() != 0 {
            // (Entries of pages past the end of their file have no access bit here.)
            PageAccess::Allowed
        } else {
            PageAccess::Refused
        }
    }

    /// How many times the mappings have changed so far: a host fault on a page the
    /// table says is accessible, repeated with no change in between, is not a race.
    ///
    /// # Safety
    /// The view must come from a [`GuestMemory`] that is still alive.
    pub unsafe fn mapping_changes(&self) -> u64 {
        // SAFETY (the caller's contract): the counter is a live `AtomicU64`.
        (*(self.changes as *const AtomicU64)).load(Ordering::SeqCst)
    }
}

/// A mapping change under way; counts its end when dropped.
struct ChangeInProgress<'a>(&'a AtomicU64);

impl Drop for ChangeInProgress<'_> {
    fn drop(&mut self) {
        self.0.fetch_add(1, Ordering::SeqCst);
    }
}

/// The guest's address space.
pub struct GuestMemory {
    space: Reservation,
    perms: Reservation,
    regions: Mutex<RegionMap>,
    /// Counts the mapping changes, each before it touches a host page ([`FaultView`]);
    /// boxed so that its address stays put.
    changes: Box<AtomicU64>,
    /// Where other processes find `space` and `perms` ([`remote`]).
    _layout: Option<remote::Layout>,
}

impl GuestMemory {
    /// Reserves the guest address space (no memory is committed until pages are mapped).
    pub fn new() -> std::io::Result<GuestMemory> {
        let space = Reservation::new(GUEST_SPACE as usize)?;
        let perms = Reservation::new_zeroed_rw((GUEST_SPACE / PAGE_SIZE) as usize)?;
        let layout = remote::Layout::publish(space.ptr(), perms.ptr());
        Ok(GuestMemory {
            space,
            perms,
            regions: Mutex::new(RegionMap::default()),
            changes: Box::default(),
            _layout: layout,
        })
    }

    /// The host addresses the guest space occupies (guest address 0 first), to recognise
    /// a host fault on guest memory.
    pub fn host_range(&self) -> std::ops::Range<usize> {
        let base = self.space.ptr() as usize;
        base..base + GUEST_SPACE as usize
    }

    /// The guest space and its permission table for a host fault handler.
    pub fn fault_view(&self) -> FaultView {
        FaultView {
            base: self.space.ptr() as usize,
            perms: self.perms.ptr() as usize,
            changes: &*self.changes as *const AtomicU64 as usize,
        }
    }

    /// Counts a mapping change, before it touches host pages (see [`FaultView`]), and
    /// again when the returned guard drops, after it: the count is odd exactly while a
    /// change is under way, which is what [`GuestMemory::code_snapshot`] relies on.
    /// Called with the region lock held, so changes never overlap.
    fn count_change(&self) -> ChangeInProgress<'_> {
        self.changes.fetch_add(1, Ordering::SeqCst);
        ChangeInProgress(&self.changes)
    }

    /// The start of a consistent read of guest code: the mapping change count, once no
    /// change is under way. Instruction fetch is one step on hardware, but vm checks a
    /// page's permission and reads its bytes in two; a block translated from bytes read
    /// between [`GuestMemory::code_snapshot`] and a true
    /// [`GuestMemory::unchanged_since`] saw one mapping throughout, never the bytes of
    /// a mapping that replaced the one whose permission was checked, nor an instruction
    /// whose parcels come from two mappings.
    pub fn code_snapshot(&self) -> u64 {
        loop {
            let count = self.changes.load(Ordering::SeqCst);
            if count.is_multiple_of(2) {
                return count;
            }
            std::thread::yield_now();
        }
    }

    /// Whether no mapping changed since `snapshot` (see [`GuestMemory::code_snapshot`]).
    pub fn unchanged_since(&self, snapshot: u64) -> bool {
        std::sync::atomic::fence(Ordering::Acquire);
        self.changes.load(Ordering::SeqCst) == snapshot
    }

    /// Holds the region lock until the guard drops: across a host `fork`, so that the
    /// child never inherits it held by a thread it does not have. No mapping change is
    /// under way meanwhile (each holds that lock).
    pub fn hold_for_fork(&self) -> impl Drop + '_ {
        self.regions_locked()
    }

    /// Makes the host page of `addr` inaccessible again if its guest page is unmapped:
    /// after a host fault handler made it a zero page for an access that raced an unmap
    /// (see the module comment). A page mapped anew meanwhile is left alone.
    pub fn seal_unmapped_page(&self, addr: GuestAddr) -> Result<(), MapError> {
        if addr >= GUEST_SPACE {
            return Err(MapError::Invalid);
        }
        let _regions = self.regions_locked();
        if self.page_perm(addr / PAGE_SIZE) & Perm::MAPPED != 0 {
            return Ok(());
        }
        let _change = self.count_change();
        self.space
            .decommit(page_floor(addr) as usize, PAGE_SIZE as usize)
            .map_err(MapError::Host)
    }

    /// The permission entry of `page`.
    #[inline]
    fn entry(&self, page: u64) -> &AtomicU8 {
        // SAFETY: `page < GUEST_SPACE / PAGE_SIZE`, checked by every caller, and the
        // permission table is a read-write mapping of exactly that many bytes that lives
        // as long as `self`; `AtomicU8` has the layout of `u8`.
        unsafe { &*(self.perms.ptr().add(page as usize) as *const AtomicU8) }
    }

    #[inline]
    fn page_perm(&self, page: u64) -> u8 {
        self.entry(page).load(Ordering::Relaxed)
    }

    fn set_page_perms(&self, addr: u64, len: u64, value: u8) {
        let first = addr / PAGE_SIZE;
        for page in first..first + len / PAGE_SIZE {
            self.entry(page).store(value, Ordering::Relaxed);
        }
    }

    fn regions_locked(&self) -> MutexGuard<'_, RegionMap> {
        // A panic while the lock was held left the map as consistent as each of its
        // single-step updates; go on with it.
        self.regions.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Checks that `[addr, addr + len)` allows `access`; returns the first faulting address.
    #[inline]
    pub fn check(&self, addr: GuestAddr, len: u64, access: Access) -> Result<(), MemFault> {
        let need = access.perm();
        let end = match addr.checked_add(len) {
            Some(end) if end <= GUEST_SPACE => end,
            _ => return Err(self.fault_in_range(addr, len, access)),
        };
        if len == 0 {
            return Ok(());
        }
        // (Entries of pages past the end of their file have no access bit here.)
        let allows = |perm: u8| perm & need != 0;
        let (first, last) = (addr / PAGE_SIZE, (end - 1) / PAGE_SIZE);
        if first == last {
            let entry = self.page_perm(first);
            if allows(entry) {
                return Ok(());
            }
            // From the entry just seen: another thread may change it before a second
            // look (an access that raced an unmap is `Unmapped`, as on Linux).
            if let Some(kind) = Self::fault_kind(entry, need) {
                return Err(MemFault { addr, access, kind });
            }
        } else if (first..=last).all(|p| allows(self.page_perm(p))) {
            return Ok(());
        }
        Err(self.fault_in_range(addr, len, access))
    }

    /// The fault an `access` of `[addr, addr + len)` raises: at its first byte that
    /// faults, or (if none does) at `addr` as a protection fault.
    #[cold]
    #[inline(never)]
    pub fn fault_in_range(&self, addr: GuestAddr, len: u64, access: Access) -> MemFault {
        let need = access.perm();
        let mut a = addr;
        let end = addr.saturating_add(len.max(1));
        while a < end {
            if a >= GUEST_SPACE {
                return MemFault {
                    addr: a,
                    access,
                    kind: FaultKind::Unmapped,
                };
            }
            if let Some(kind) = Self::fault_kind(self.page_perm(a / PAGE_SIZE), need) {
                return MemFault {
                    addr: a,
                    access,
                    kind,
                };
            }
            a = page_floor(a) + PAGE_SIZE;
        }
        MemFault {
            addr,
            access,
            kind: FaultKind::Protection,
        }
    }

    /// Why an access needing permission bit `need` faults on a page with permission entry
    /// `entry`; `None` if it does not.
    #[cold]
    fn fault_kind(entry: u8, need: u8) -> Option<FaultKind> {
        if entry & Perm::MAPPED == 0 {
            Some(FaultKind::Unmapped)
        } else if Perm::of_entry(entry).0 & need == 0 {
            Some(FaultKind::Protection)
        } else if entry & Perm::PAST_EOF != 0 {
            Some(FaultKind::PastEndOfFile)
        } else {
            None
        }
    }

    #[inline]
    fn host_ptr(&self, addr: GuestAddr) -> *mut u8 {
        // SAFETY (for callers): only called after `check` proved the range lies inside the
        // reservation, so the offset stays inside one allocation.
        unsafe { self.space.ptr().add(addr as usize) }
    }

    /// Reads `N` little-endian bytes.
    #[inline]
    pub fn read<const N: usize>(&self, addr: GuestAddr) -> Result<[u8; N], MemFault> {
        self.check(addr, N as u64, Access::Read)?;
        // SAFETY: `check` proved `[addr, addr + N)` is inside the reservation and mapped
        // (host-readable); unaligned reads of plain bytes are fine.
        Ok(unsafe { std::ptr::read_unaligned(self.host_ptr(addr) as *const [u8; N]) })
    }

    /// Writes `N` bytes.
    #[inline]
    pub fn write<const N: usize>(&self, addr: GuestAddr, v: [u8; N]) -> Result<(), MemFault> {
        self.check(addr, N as u64, Access::Write)?;
        // SAFETY: `check` proved the range is inside the reservation and guest-writable,
        // hence host-writable.
        unsafe { std::ptr::write_unaligned(self.host_ptr(addr) as *mut [u8; N], v) };
        Ok(())
    }

    /// Reads a zero-extended value of `width` bytes (1, 2, 4 or 8).
    #[inline]
    pub fn read_uint(&self, addr: GuestAddr, width: vm_ir::Width) -> Result<u64, MemFault> {
        use vm_ir::Width;
        Ok(match width {
            Width::B1 => self.read::<1>(addr)?[0] as u64,
            Width::B2 => u16::from_le_bytes(self.read(addr)?) as u64,
            Width::B4 => u32::from_le_bytes(self.read(addr)?) as u64,
            Width::B8 => u64::from_le_bytes(self.read(addr)?),
        })
    }

    /// Writes the low `width` bytes of `v`.
    #[inline]
    pub fn write_uint(&self, addr: GuestAddr, width: vm_ir::Width, v: u64) -> Result<(), MemFault> {
        use vm_ir::Width;
        match width {
            Width::B1 => self.write(addr, [v as u8]),
            Width::B2 => self.write(addr, (v as u16).to_le_bytes()),
            Width::B4 => self.write(addr, (v as u32).to_le_bytes()),
            Width::B8 => self.write(addr, v.to_le_bytes()),
        }
    }

    pub fn read_u64(&self, addr: GuestAddr) -> Result<u64, MemFault> {
        self.read(addr).map(u64::from_le_bytes)
    }

    pub fn write_u64(&self, addr: GuestAddr, v: u64) -> Result<(), MemFault> {
        self.write(addr, v.to_le_bytes())
    }

    /// Fetches the 16-bit instruction parcel at `addr`, if the page is executable.
    #[inline]
    pub fn fetch_u16(&self, addr: GuestAddr) -> Option<u16> {
        self.check(addr, 2, Access::Execute).ok()?;
        // SAFETY: as in `read`: the range was checked to be inside the reservation and
        // mapped; mapped pages are host-readable.
        Some(u16::from_le_bytes(unsafe {
            std::ptr::read_unaligned(self.host_ptr(addr) as *const [u8; 2])
        }))
    }

    /// The guest bytes `[addr, addr + len)` for reading, e.g. as a `write(2)` buffer.
    /// A transient view: other guest threads may change the bytes (see the module
    /// comment), so callers copy them or hand them to one host call.
    pub fn slice(&self, addr: GuestAddr, len: u64) -> Result<&[u8], MemFault> {
        self.check(addr, len, Access::Read)?;
        if len == 0 {
            return Ok(&[]);
        }
        // SAFETY: checked inside the reservation and readable just now.
        Ok(unsafe { std::slice::from_raw_parts(self.host_ptr(addr), len as usize) })
    }

    /// The guest bytes `[addr, addr + len)` for writing, e.g. as a `read(2)` buffer. A
    /// transient view of shared memory, as for [`GuestMemory::slice`].
    #[allow(clippy::mut_from_ref)]
    pub fn slice_mut(&self, addr: GuestAddr, len: u64) -> Result<&mut [u8], MemFault> {
        self.check(addr, len, Access::Write)?;
        if len == 0 {
            return Ok(&mut []);
        }
        // SAFETY: checked inside the reservation and writable just now; guest memory is
        // shared memory that vm itself writes only through such transient views.
        Ok(unsafe { std::slice::from_raw_parts_mut(self.host_ptr(addr), len as usize) })
    }

    /// Atomically replaces the naturally aligned `width`-byte word at `addr` (4 or 8
    /// bytes) with `update(old)` and returns `old` (zero-extended), as a RISC-V AMO does:
    /// other guest threads see either the old or the new value, never a mix.
    pub fn atomic_update(
        &self,
        addr: GuestAddr,
        width: vm_ir::Width,
        update: impl Fn(u64) -> u64,
    ) -> Result<u64, MemFault> {
        self.check(addr, width.bytes(), Access::Write)?;
        let ptr = self.host_ptr(addr);
        // SAFETY (both arms): `check` proved the word is inside the reservation and
        // writable; the caller checked its natural alignment, which the atomic types need.
        Ok(match width {
            vm_ir::Width::B4 => {
                let word = unsafe { &*(ptr as *const AtomicU32) };
                let mut old = word.load(Ordering::Relaxed);
                while let Err(seen) = word.compare_exchange_weak(
                    old,
                    update(old as u64) as u32,
                    Ordering::SeqCst,
                    Ordering::Relaxed,
                ) {
                    old = seen;
                }
                old as u64
            }
            _ => {
                let word = unsafe { &*(ptr as *const AtomicU64) };
                let mut old = word.load(Ordering::Relaxed);
                while let Err(seen) = word.compare_exchange_weak(
                    old,
                    update(old),
                    Ordering::SeqCst,
                    Ordering::Relaxed,
                ) {
                    old = seen;
                }
                old
            }
        })
    }

    /// Atomically stores `new` to the naturally aligned `width`-byte word at `addr` (4 or
    /// 8 bytes) if it still holds `expected` (compared as `width` bytes); whether it did.
    /// This is how a store-conditional succeeds only if no other thread changed the word
    /// since the load-reserved.
    pub fn compare_exchange(
        &self,
        addr: GuestAddr,
        width: vm_ir::Width,
        expected: u64,
        new: u64,
    ) -> Result<bool, MemFault> {
        self.check(addr, width.bytes(), Access::Write)?;
        let ptr = self.host_ptr(addr);
        // SAFETY (both arms): as in `atomic_update`.
        Ok(match width {
            vm_ir::Width::B4 => unsafe { &*(ptr as *const AtomicU32) }
                .compare_exchange(
                    expected as u32,
                    new as u32,
                    Ordering::SeqCst,
                    Ordering::Relaxed,
                )
                .is_ok(),
            _ => unsafe { &*(ptr as *const AtomicU64) }
                .compare_exchange(expected, new, Ordering::SeqCst, Ordering::Relaxed)
                .is_ok(),
        })
    }

    pub fn read_bytes(&self, addr: GuestAddr, out: &mut [u8]) -> Result<(), MemFault> {
        out.copy_from_slice(self.slice(addr, out.len() as u64)?);
        Ok(())
    }

    pub fn write_bytes(&self, addr: GuestAddr, data: &[u8]) -> Result<(), MemFault> {
        self.slice_mut(addr, data.len() as u64)?
            .copy_from_slice(data);
        Ok(())
    }

    /// Reads a NUL-terminated string of at most `max` bytes (without the NUL).
    /// `Ok(None)` if no NUL was found within `max` bytes.
    pub fn read_cstr(&self, addr: GuestAddr, max: usize) -> Result<Option<Vec<u8>>, MemFault> {
        let mut out = Vec::new();
        let mut a = addr;
        while out.len() < max {
            if a >= GUEST_SPACE {
                return Err(MemFault {
                    addr: a,
                    access: Access::Read,
                    kind: FaultKind::Unmapped,
                });
            }
            let chunk_end = (page_floor(a) + PAGE_SIZE).min(a + (max - out.len()) as u64);
            // Copied before it is searched: another guest thread may write the string
            // meanwhile, and the bytes returned must hold no NUL whatever it does.
            let start = out.len();
            out.extend_from_slice(self.slice(a, chunk_end - a)?);
            if let Some(nul) = out[start..].iter().position(|&b| b == 0) {
                out.truncate(start + nul);
                return Ok(Some(out));
            }
            a = chunk_end;
        }
        Ok(None)
    }

    /// Writes bytes ignoring guest permissions (the loader filling read-only segments).
    pub fn write_bytes_privileged(&self, addr: GuestAddr, data: &[u8]) -> Result<(), MemFault> {
        let len = data.len() as u64;
        let end = addr.checked_add(len).filter(|&e| e <= GUEST_SPACE);
        let mapped = end.is_some()
            && (len == 0
                || (addr / PAGE_SIZE..=(addr + len - 1) / PAGE_SIZE)
                    .all(|p| self.page_perm(p) & Perm::MAPPED != 0));
        if !mapped {
            return Err(MemFault {
                addr,
                access: Access::Write,
                kind: FaultKind::Unmapped,
            });
        }
        // SAFETY: the range is inside the reservation and every page is mapped, hence
        // host-writable (host protections of mapped pages are always read-write).
        unsafe { std::ptr::copy_nonoverlapping(data.as_ptr(), self.host_ptr(addr), data.len()) };
        Ok(())
    }

    fn validate_range(addr: GuestAddr, len: u64) -> Result<(), MapError> {
        let aligned = addr.is_multiple_of(PAGE_SIZE) && len.is_multiple_of(PAGE_SIZE) && len > 0;
        let inside = addr.checked_add(len).is_some_and(|end| end <= GUEST_SPACE);
        if aligned && inside {
            Ok(())
        } else {
            Err(MapError::Invalid)
        }
    }

    /// Records the host pages just mapped at `[addr, addr + len)` as a guest mapping.
    fn record(
        &self,
        regions: &mut RegionMap,
        addr: GuestAddr,
        len: u64,
        perm: Perm,
        kind: RegionKind,
    ) {
        self.set_page_perms(addr, len, perm.0 | Perm::MAPPED);
        regions.insert(Region {
            start: addr,
            end: addr + len,
            perm,
            kind,
        });
    }

    /// Maps fresh zero-filled pages at `[addr, addr + len)`, replacing anything there.
    pub fn map_fixed(
        &self,
        addr: GuestAddr,
        len: u64,
        perm: Perm,
        kind: RegionKind,
    ) -> Result<(), MapError> {
        Self::validate_range(addr, len)?;
        let mut regions = self.regions_locked();
        let _change = self.count_change();
        self.space
            .commit_zeroed(addr as usize, len as usize)
            .map_err(MapError::Host)?;
        self.record(&mut regions, addr, len, perm, kind);
        Ok(())
    }

    /// Maps `file` into `[addr, addr + len)`: its pages, copied on the first write for a
    /// private mapping (as Linux maps program segments and `MAP_PRIVATE` files), written
    /// through to the file for a shared one. The caller ensures the range lies within the
    /// file's pages.
    pub fn map_file(
        &self,
        addr: GuestAddr,
        len: u64,
        perm: Perm,
        file: FilePages,
        kind: RegionKind,
    ) -> Result<(), MapError> {
        Self::validate_range(addr, len)?;
        let mut regions = self.regions_locked();
        let _change = self.count_change();
        self.space
            .map_file(
                addr as usize,
                len as usize,
                file.fd,
                file.offset,
                file.sharing,
            )
            .map_err(MapError::Host)?;
        self.record(&mut regions, addr, len, perm, kind);
        Ok(())
    }

    /// Attaches System V shared memory segment `shmid` at `[addr, addr + len)` (the
    /// segment's size in whole pages), replacing anything there; the host pages are
    /// read-only if `read_only` (then `perm` must not allow writing).
    pub fn map_shm(
        &self,
        addr: GuestAddr,
        len: u64,
        perm: Perm,
        shmid: i32,
        read_only: bool,
        kind: RegionKind,
    ) -> Result<(), MapError> {
        Self::validate_range(addr, len)?;
        let mut regions = self.regions_locked();
        let _change = self.count_change();
        self.space
            .attach_shm(addr as usize, len as usize, shmid, read_only)
            .map_err(MapError::Host)?;
        self.record(&mut regions, addr, len, perm, kind);
        Ok(())
    }

    /// `MADV_DONTNEED` on `[addr, addr + len)`: private pages are dropped, so anonymous
    /// memory reads back as zero and private file pages as the file's current contents;
    /// shared pages keep theirs. Mappings and permissions do not change.
    pub fn discard(&self, addr: GuestAddr, len: u64) -> Result<(), MapError> {
        Self::validate_range(addr, len)?;
        self.space
            .discard(addr as usize, len as usize)
            .map_err(MapError::Host)
    }

    /// Unmaps `[addr, addr + len)`; unmapped parts of the range are ignored, as in Linux.
    pub fn unmap(&self, addr: GuestAddr, len: u64) -> Result<(), MapError> {
        Self::validate_range(addr, len)?;
        let mut regions = self.regions_locked();
        let _change = self.count_change();
        // Entries first: another thread's check then faults rather than reaching a page
        // that is going away.
        self.set_page_perms(addr, len, 0);
        self.space
            .decommit(addr as usize, len as usize)
            .map_err(MapError::Host)?;
        regions.remove(addr, addr + len);
        Ok(())
    }

    /// Changes the permissions of `[addr, addr + len)`, which must be entirely mapped.
    pub fn protect(&self, addr: GuestAddr, len: u64, perm: Perm) -> Result<(), MapError> {
        let mut regions = self.regions_locked();
        // Counted too: a fetch must not check one permission and read under another.
        let _change = self.count_change();
        // A page past the end of its file stays so, whatever its permissions.
        self.update_entries(addr, len, |entry| perm.entry(entry & Perm::PAST_EOF != 0))?;
        regions.protect(addr, addr + len, perm);
        Ok(())
    }

    /// Marks the mapped pages of `[addr, addr + len)` as lying past the end of their
    /// file: every access to them faults with [`FaultKind::PastEndOfFile`], as Linux
    /// raises SIGBUS there, until they are unmapped or mapped anew.
    pub fn mark_past_end_of_file(&self, addr: GuestAddr, len: u64) -> Result<(), MapError> {
        let _regions = self.regions_locked();
        let _change = self.count_change();
        self.update_entries(addr, len, |entry| Perm::of_entry(entry).entry(true))
    }

    /// Rewrites the permission entry of every page of `[addr, addr + len)`, which must be
    /// entirely mapped, with `update`. The caller holds the region lock.
    fn update_entries(
        &self,
        addr: GuestAddr,
        len: u64,
        update: impl Fn(u8) -> u8,
    ) -> Result<(), MapError> {
        Self::validate_range(addr, len)?;
        if !self.is_mapped(addr, len) {
            return Err(MapError::NotMapped);
        }
        let first = addr / PAGE_SIZE;
        // `validate_range` kept the range inside the guest space.
        for page in first..first + len / PAGE_SIZE {
            let entry = self.entry(page);
            entry.store(update(entry.load(Ordering::Relaxed)), Ordering::Relaxed);
        }
        Ok(())
    }

    /// Whether every page of `[addr, addr + len)` is mapped.
    pub fn is_mapped(&self, addr: GuestAddr, len: u64) -> bool {
        let Some(end) = addr.checked_add(len).filter(|&e| e <= GUEST_SPACE) else {
            return false;
        };
        len > 0
            && (addr / PAGE_SIZE..=(end - 1) / PAGE_SIZE)
                .all(|p| self.page_perm(p) & Perm::MAPPED != 0)
    }

    /// Whether no page of `[addr, addr + len)` is mapped.
    pub fn is_free(&self, addr: GuestAddr, len: u64) -> bool {
        addr.checked_add(len).is_some_and(|end| end <= GUEST_SPACE)
            && self
                .regions_locked()
                .overlapping(addr, addr + len)
                .next()
                .is_none()
    }

    /// The highest free page-aligned range of `len` bytes ending at or below `below`.
    pub fn find_free_below(&self, len: u64, below: GuestAddr) -> Option<GuestAddr> {
        self.regions_locked()
            .find_free_below(len, below.min(GUEST_SPACE), PAGE_SIZE)
    }

    /// How many bytes are mapped in all (Linux's `total_vm`, in bytes).
    pub fn mapped_bytes(&self) -> u64 {
        self.regions_locked().iter().map(|r| r.end - r.start).sum()
    }

    /// A snapshot of the mapped regions in address order.
    pub fn regions(&self) -> Vec<Region> {
        self.regions_locked().iter().cloned().collect()
    }

    /// The parts of the mapped regions overlapping `[start, end)`, clipped to it, in
    /// address order.
    pub fn regions_in(&self, start: GuestAddr, end: GuestAddr) -> Vec<Region> {
        self.regions_locked()
            .overlapping(start, end)
            .map(|r| r.clip(start, end))
            .collect()
    }

    /// The region containing `addr`, if any.
    pub fn region_at(&self, addr: GuestAddr) -> Option<Region> {
        self.regions_locked()
            .overlapping(addr, addr.saturating_add(1))
            .next()
            .cloned()
    }
}
