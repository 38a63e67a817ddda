//! An executable opened for loading: its bytes for the ELF parser and its descriptor for
//! mapping its segments.
//!
//! The bytes are mapped, not read: most of a program is never touched by a short run, and
//! the loader maps the segments from the file itself, as Linux does, so nothing is copied.
//! A file truncated while it is being parsed is not supported (the host's SIGBUS would end
//! vm), as with qemu-user.

use std::fs::File;
use std::io;
use std::os::fd::{AsRawFd, RawFd};
use std::path::Path;

pub struct ProgramFile {
    file: File,
    /// Start of a read-only private mapping of the whole file; dangling when `len == 0`.
    map: *const u8,
    len: usize,
}

impl ProgramFile {
    /// Opens `path` read-only and maps it for parsing.
    pub fn open(path: &Path) -> io::Result<ProgramFile> {
        ProgramFile::from_file(File::open(path)?)
    }

    /// Maps the whole of `file` (opened for reading) for parsing.
    pub fn from_file(file: File) -> io::Result<ProgramFile> {
        let len = usize::try_from(file.metadata()?.len())
            .map_err(|_| io::Error::from_raw_os_error(libc::EFBIG))?;
        if len == 0 {
            return Ok(ProgramFile {
                file,
                map: std::ptr::NonNull::dangling().as_ptr(),
                len,
            });
        }
        // SAFETY: a fresh read-only private mapping at an address of the kernel's choosing
        // aliases no Rust object; it lives until `drop` unmaps it.
        let map = unsafe {
            libc::mmap(
                std::ptr::null_mut(),
                len,
                libc::PROT_READ,
                libc::MAP_PRIVATE,
                file.as_raw_fd(),
                0,
            )
        };
        if map == libc::MAP_FAILED {
            return Err(io::Error::last_os_error());
        }
        Ok(ProgramFile {
            file,
            map: map as *const u8,
            len,
        })
    }

    /// The file's contents.
    pub fn bytes(&self) -> &[u8] {
        // SAFETY: `map` points to `len` readable bytes (or is dangling with `len == 0`)
        // for as long as `self` lives; the mapping is private and read-only, so no
        // writer in this process aliases it.
        unsafe { std::slice::from_raw_parts(self.map, self.len) }
    }

    /// The descriptor, for mapping the file's pages into guest memory.
    pub fn fd(&self) -> RawFd {
        self.file.as_raw_fd()
    }
}

impl Drop for ProgramFile {
    fn drop(&mut self) {
        if self.len > 0 {
            // SAFETY: `map`/`len` are exactly the mapping made in `from_file`, and the
            // slices `bytes` handed out borrow `self`, so none outlives this.
            unsafe { libc::munmap(self.map as *mut libc::c_void, self.len) };
        }
    }
}
