//! Host virtual memory: the reservation the guest space lives in.
//!
//! All `mmap` calls of guest memory are here. Invariant: a `Reservation` owns
//! `[ptr, ptr + len)` of host address space for its whole life; every call below stays
//! inside it (callers pass offsets and lengths already checked against `len`).

use crate::Sharing;
use std::io;

pub struct Reservation {
    ptr: *mut u8,
    len: usize,
}

// SAFETY: the reservation is plain memory owned by this value; no thread affinity.
unsafe impl Send for Reservation {}
// SAFETY: every method is a host system call on a range of the reservation; the host
// kernel serialises concurrent `mmap`s, and callers that need a sequence of them to be
// atomic (a guest mapping change) hold `GuestMemory`'s mapping lock.
unsafe impl Sync for Reservation {}

fn last_errno() -> i32 {
    io::Error::last_os_error()
        .raw_os_error()
        .unwrap_or(libc::EIO)
}

impl Reservation {
    /// Reserves `len` bytes of inaccessible address space (no memory committed).
    pub fn new(len: usize) -> io::Result<Reservation> {
        Self::map(len, libc::PROT_NONE)
    }

    /// Reserves `len` bytes of zero-filled read-write memory, committed lazily.
    pub fn new_zeroed_rw(len: usize) -> io::Result<Reservation> {
        Self::map(len, libc::PROT_READ | libc::PROT_WRITE)
    }

    fn map(len: usize, prot: i32) -> io::Result<Reservation> {
        let flags = libc::MAP_PRIVATE | libc::MAP_ANONYMOUS | libc::MAP_NORESERVE;
        // SAFETY: a fresh anonymous mapping at an address of the kernel's choosing cannot
        // alias any existing Rust object.
        let ptr = unsafe { libc::mmap(std::ptr::null_mut(), len, prot, flags, -1, 0) };
        if ptr == libc::MAP_FAILED {
            return Err(io::Error::last_os_error());
        }
        Ok(Reservation {
            ptr: ptr as *mut u8,
            len,
        })
    }

    pub fn ptr(&self) -> *mut u8 {
        self.ptr
    }

    /// `mmap` with `MAP_FIXED` over `[off, off + len)` of the reservation.
    fn map_over(
        &self,
        off: usize,
        len: usize,
        prot: i32,
        flags: i32,
        fd: i32,
        file_off: u64,
    ) -> Result<(), i32> {
        assert!(off.checked_add(len).is_some_and(|end| end <= self.len));
        // SAFETY: the range lies inside our reservation (asserted), so MAP_FIXED replaces
        // only pages we own. Guest memory is only ever reached through raw pointers and
        // transient slices made after a permission check (see `GuestMemory`), never
        // through references that assume the pages stay.
        let p = unsafe {
            libc::mmap(
                self.ptr.add(off).cast(),
                len,
                prot,
                flags | libc::MAP_FIXED,
                fd,
                file_off as libc::off_t,
            )
        };
        if p == libc::MAP_FAILED {
            return Err(last_errno());
        }
        Ok(())
    }

    /// Replaces `[off, off + len)` with fresh zero-filled read-write pages.
    pub fn commit_zeroed(&self, off: usize, len: usize) -> Result<(), i32> {
        let flags = libc::MAP_PRIVATE | libc::MAP_ANONYMOUS | libc::MAP_NORESERVE;
        self.map_over(off, len, libc::PROT_READ | libc::PROT_WRITE, flags, -1, 0)
    }

    /// Maps `fd` at `file_off` read-write over `[off, off + len)`, shared or private
    /// (copy-on-write: the file's pages until one is written). A shared mapping is
    /// read-only if the descriptor does not allow writing (guest writes are then refused by
    /// the permission table before they reach the host). The caller keeps the range within
    /// the file's pages (a host access past the end of a file is SIGBUS).
    pub fn map_file(
        &self,
        off: usize,
        len: usize,
        fd: i32,
        file_off: u64,
        sharing: Sharing,
    ) -> Result<(), i32> {
        let rw = libc::PROT_READ | libc::PROT_WRITE;
        match sharing {
            Sharing::Private => self.map_over(off, len, rw, libc::MAP_PRIVATE, fd, file_off),
            Sharing::Shared => match self.map_over(off, len, rw, libc::MAP_SHARED, fd, file_off) {
                Err(libc::EACCES) => {
                    self.map_over(off, len, libc::PROT_READ, libc::MAP_SHARED, fd, file_off)
                }
                other => other,
            },
        }
    }

    /// Attaches System V shared memory segment `shmid` over `[off, off + len)` (the
    /// segment's size in pages), read-only if `read_only`.
    pub fn attach_shm(
        &self,
        off: usize,
        len: usize,
        shmid: i32,
        read_only: bool,
    ) -> Result<(), i32> {
        assert!(off.checked_add(len).is_some_and(|end| end <= self.len));
        let flags = libc::SHM_REMAP | if read_only { libc::SHM_RDONLY } else { 0 };
        // SAFETY: as in `map_over`: the range lies inside our reservation (asserted) and
        // SHM_REMAP replaces only pages we own; the caller sized it to the segment, so
        // the attachment ends inside it too.
        let p = unsafe { libc::shmat(shmid, self.ptr.add(off).cast(), flags) };
        if p as isize == -1 {
            return Err(last_errno());
        }
        Ok(())
    }

    /// Drops the private pages of `[off, off + len)` (`MADV_DONTNEED`): anonymous pages
    /// read back as zero, private file pages as the file's, shared pages keep their data.
    pub fn discard(&self, off: usize, len: usize) -> Result<(), i32> {
        assert!(off.checked_add(len).is_some_and(|end| end <= self.len));
        // SAFETY: the range is inside our reservation (asserted); guest memory is shared
        // memory whose contents may change at any time (see `GuestMemory`).
        if unsafe { libc::madvise(self.ptr.add(off).cast(), len, libc::MADV_DONTNEED) } != 0 {
            return Err(last_errno());
        }
        Ok(())
    }

    /// Returns `[off, off + len)` to inaccessible, uncommitted address space.
    pub fn decommit(&self, off: usize, len: usize) -> Result<(), i32> {
        let flags = libc::MAP_PRIVATE | libc::MAP_ANONYMOUS | libc::MAP_NORESERVE;
        self.map_over(off, len, libc::PROT_NONE, flags, -1, 0)
    }
}

impl Drop for Reservation {
    fn drop(&mut self) {
        // SAFETY: we own the whole mapping; nothing borrows it once we are dropped.
        unsafe { libc::munmap(self.ptr.cast(), self.len) };
    }
}
