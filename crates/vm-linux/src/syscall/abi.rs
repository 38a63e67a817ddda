//! Guest-visible structure layouts and flag values of riscv64 Linux.
//!
//! Only what differs from the host, or what this layer interprets itself, is spelled out
//! here. `struct stat` is the asm-generic one (128 bytes), unlike x86-64's; `statx`,
//! `linux_dirent64`, `timespec`, `timeval`, `iovec`, `utsname`, `sysinfo`, `rlimit64`,
//! `winsize`, `termios` and `flock` have the same layout on both (little-endian, LP64), so
//! they are copied as bytes. Open flags, errnos, `AT_*` flags, clock ids, ioctl and fcntl
//! command numbers and signal numbers are also equal and taken from `libc`.

use super::{Errno, SysResult};
use vm_ir::GuestAddr;
use vm_memory::GuestMemory;

/// Size of riscv64's `struct stat` (asm-generic).
pub const STAT_SIZE: usize = 128;
/// Size of `struct statx`.
pub const STATX_SIZE: usize = 256;
/// Size of the kernel's `sigset_t` (64 signals).
pub const SIGSET_SIZE: u64 = 8;
/// Size of the kernel's `struct sigaction` on riscv64: handler, flags, mask. RISC-V has no
/// `SA_RESTORER` (signal return goes through the vDSO), so there is no restorer field.
pub const SIGACTION_SIZE: u64 = 24;
/// Size of `struct robust_list_head`.
pub const ROBUST_LIST_HEAD_SIZE: u64 = 24;
/// Length of each `struct utsname` field.
pub const UTSNAME_FIELD: usize = 65;
/// Longest path the kernel accepts, including the NUL.
pub const PATH_MAX: usize = 4096;
/// Most bytes one read or write transfers (`MAX_RW_COUNT`).
pub const MAX_RW_COUNT: u64 = 0x7fff_f000;
/// Most entries of an iovec array (`UIO_MAXIOV`).
pub const UIO_MAXIOV: u64 = 1024;

/// `mmap` flags (asm-generic `mman-common.h`, riscv64 adds none).
pub mod map {
    pub const SHARED: u64 = 0x01;
    pub const PRIVATE: u64 = 0x02;
    pub const SHARED_VALIDATE: u64 = 0x03;
    /// Anonymous pages the kernel may drop under memory pressure (Linux 6.11, 64-bit).
    pub const DROPPABLE: u64 = 0x08;
    pub const TYPE: u64 = 0x0f;
    pub const FIXED: u64 = 0x10;
    pub const ANONYMOUS: u64 = 0x20;
    pub const GROWSDOWN: u64 = 0x100;
    pub const DENYWRITE: u64 = 0x800;
    pub const EXECUTABLE: u64 = 0x1000;
    pub const LOCKED: u64 = 0x2000;
    pub const NORESERVE: u64 = 0x4000;
    pub const POPULATE: u64 = 0x8000;
    pub const NONBLOCK: u64 = 0x10000;
    pub const STACK: u64 = 0x20000;
    pub const HUGETLB: u64 = 0x40000;
    pub const SYNC: u64 = 0x80000;
    pub const FIXED_NOREPLACE: u64 = 0x10_0000;
    pub const UNINITIALIZED: u64 = 0x400_0000;
    pub const HUGE_2MB: u64 = 21 << 26;
    pub const HUGE_1GB: u64 = 30 << 26;
    /// Flags `MAP_SHARED_VALIDATE` accepts (Linux's `LEGACY_MAP_MASK`; riscv64 has no
    /// `MAP_32BIT` or `MAP_ABOVE4G`).
    pub const LEGACY_MASK: u64 = SHARED
        | PRIVATE
        | FIXED
        | ANONYMOUS
        | DENYWRITE
        | EXECUTABLE
        | UNINITIALIZED
        | GROWSDOWN
        | LOCKED
        | NORESERVE
        | POPULATE
        | NONBLOCK
        | STACK
        | HUGETLB
        | HUGE_2MB
        | HUGE_1GB;
}

/// `PROT_*` bits `mprotect` accepts (riscv64 has no BTI or MTE bits).
pub mod prot {
    pub const READ: u64 = 1;
    pub const WRITE: u64 = 2;
    pub const EXEC: u64 = 4;
    pub const SEM: u64 = 8;
    pub const GROWSDOWN: u64 = 0x0100_0000;
    pub const GROWSUP: u64 = 0x0200_0000;
}

/// `mremap` flags.
pub mod mremap {
    pub const MAYMOVE: u64 = 1;
    pub const FIXED: u64 = 2;
    pub const DONTUNMAP: u64 = 4;
}

/// Converts a host `struct stat` to riscv64's asm-generic layout.
pub fn stat_to_guest(st: &libc::stat) -> [u8; STAT_SIZE] {
    let mut out = [0u8; STAT_SIZE];
    let mut put = |off: usize, bytes: &[u8]| out[off..off + bytes.len()].copy_from_slice(bytes);
    put(0, &st.st_dev.to_le_bytes());
    put(8, &st.st_ino.to_le_bytes());
    put(16, &st.st_mode.to_le_bytes());
    // The asm-generic st_nlink is 32 bits; Linux fails with EOVERFLOW past that.
    put(20, &(st.st_nlink as u32).to_le_bytes());
    put(24, &st.st_uid.to_le_bytes());
    put(28, &st.st_gid.to_le_bytes());
    put(32, &st.st_rdev.to_le_bytes());
    // 40: __pad1
    put(48, &st.st_size.to_le_bytes());
    put(56, &(st.st_blksize as i32).to_le_bytes());
    // 60: __pad2
    put(64, &st.st_blocks.to_le_bytes());
    put(72, &st.st_atime.to_le_bytes());
    put(80, &st.st_atime_nsec.to_le_bytes());
    put(88, &st.st_mtime.to_le_bytes());
    put(96, &st.st_mtime_nsec.to_le_bytes());
    put(104, &st.st_ctime.to_le_bytes());
    put(112, &st.st_ctime_nsec.to_le_bytes());
    // 120: __unused4, __unused5
    out
}

/// Writes a host `struct stat` to the guest in riscv64 layout.
pub fn write_stat(mem: &GuestMemory, addr: GuestAddr, st: &libc::stat) -> SysResult {
    if st.st_nlink > u32::MAX as u64 {
        return Err(Errno(libc::EOVERFLOW));
    }
    mem.write_bytes(addr, &stat_to_guest(st))?;
    Ok(0)
}

/// Reads a guest `struct timespec` (or `timeval`: the same two 64-bit words).
pub fn read_timespec(mem: &GuestMemory, addr: GuestAddr) -> Result<libc::timespec, Errno> {
    let b: [u8; 16] = mem.read(addr)?;
    Ok(libc::timespec {
        tv_sec: i64::from_le_bytes(b[..8].try_into().unwrap()),
        tv_nsec: i64::from_le_bytes(b[8..].try_into().unwrap()),
    })
}

/// Writes a guest `struct timespec` (or `timeval`).
pub fn write_timespec(mem: &GuestMemory, addr: GuestAddr, sec: i64, frac: i64) -> SysResult {
    let mut b = [0u8; 16];
    b[..8].copy_from_slice(&sec.to_le_bytes());
    b[8..].copy_from_slice(&frac.to_le_bytes());
    mem.write(addr, b)?;
    Ok(0)
}

/// Reads a guest `struct itimerspec` (interval, then value).
pub fn read_itimerspec(mem: &GuestMemory, addr: GuestAddr) -> Result<libc::itimerspec, Errno> {
    Ok(libc::itimerspec {
        it_interval: read_timespec(mem, addr)?,
        it_value: read_timespec(mem, addr + 16)?,
    })
}

/// Writes a guest `struct itimerspec`.
pub fn write_itimerspec(mem: &GuestMemory, addr: GuestAddr, spec: &libc::itimerspec) -> SysResult {
    let (i, v) = (spec.it_interval, spec.it_value);
    write_timespec(mem, addr, i.tv_sec, i.tv_nsec)?;
    write_timespec(mem, addr + 16, v.tv_sec, v.tv_nsec)
}

/// One guest `struct iovec`.
#[derive(Clone, Copy, Debug)]
pub struct IoVec {
    pub base: GuestAddr,
    pub len: u64,
}

/// Reads an iovec array as Linux's `import_iovec` does: at most `UIO_MAXIOV` entries,
/// each length non-negative as `ssize_t`, the total clamped to `MAX_RW_COUNT` (later
/// entries shortened or dropped).
pub fn read_iovecs(mem: &GuestMemory, addr: GuestAddr, count: u64) -> Result<Vec<IoVec>, Errno> {
    let count = count as i32;
    if count < 0 || count as u64 > UIO_MAXIOV {
        return Err(Errno(libc::EINVAL));
    }
    let raw = mem.slice(addr, count as u64 * 16)?;
    let mut out = Vec::with_capacity(count as usize);
    let mut total = 0u64;
    for chunk in raw.chunks_exact(16) {
        let base = u64::from_le_bytes(chunk[..8].try_into().unwrap());
        let len = u64::from_le_bytes(chunk[8..].try_into().unwrap());
        if (len as i64) < 0 {
            return Err(Errno(libc::EINVAL));
        }
        let len = len.min(MAX_RW_COUNT - total);
        total += len;
        out.push(IoVec { base, len });
    }
    Ok(out)
}

/// An 8-aligned host buffer for a structure that crosses between guest and host byte
/// for byte (its layout being the same on both).
pub struct HostBuf<const WORDS: usize>([u64; WORDS]);

impl<const WORDS: usize> HostBuf<WORDS> {
    pub fn zeroed() -> Self {
        HostBuf([0; WORDS])
    }

    /// A buffer starting with `bytes` (at most `8 * WORDS` of them), zero after.
    pub fn from_bytes(bytes: &[u8]) -> Self {
        let mut buf = Self::zeroed();
        for (w, c) in buf.0.iter_mut().zip(bytes.chunks(8)) {
            let mut b = [0u8; 8];
            b[..c.len()].copy_from_slice(c);
            *w = u64::from_le_bytes(b);
        }
        buf
    }

    pub fn to_bytes(&self) -> Vec<u8> {
        self.0.iter().flat_map(|w| w.to_le_bytes()).collect()
    }

    pub fn as_mut_ptr(&mut self) -> *mut libc::c_void {
        self.0.as_mut_ptr().cast()
    }
}
