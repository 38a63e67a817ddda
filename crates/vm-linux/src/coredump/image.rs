//! The core file itself: the ELF header, one `PT_NOTE` then one `PT_LOAD` per guest
//! mapping, the notes, and the dumped memory from the next page boundary on, laid out as
//! Linux's `elf_core_dump` lays it out. Pages that hold only zeros (or that vm cannot
//! read) become holes, as Linux skips pages never touched. Writing stops at the size
//! limit (`RLIMIT_CORE`) before the piece that would cross it: the file may be
//! truncated, never longer than the limit.

use std::io::{Seek, SeekFrom, Write};
use vm_memory::{GuestMemory, Perm, Region, RegionKind, PAGE_SIZE};

const EHDR_SIZE: u64 = 64;
const PHDR_SIZE: u64 = 56;
const PT_LOAD: u32 = 1;
const PT_NOTE: u32 = 4;
const ET_CORE: u16 = 4;
const EM_RISCV: u16 = 243;
const PF_X: u32 = 1;
const PF_W: u32 = 2;
const PF_R: u32 = 4;
/// `ELF_EXEC_PAGESIZE`: the memory starts at a multiple of it, each `p_align`.
const CORE_PAGE: u64 = 4096;
/// Most program headers without extended numbering (`PN_XNUM` - 1); mappings past it
/// are left out.
pub const MAX_SEGMENTS: usize = 0xfffe;

/// One guest mapping in the core: `[start, end)`, its `PF_*` flags, and how many bytes
/// from `start` are dumped (`p_filesz`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Segment {
    pub start: u64,
    pub end: u64,
    pub flags: u32,
    pub dumped: u64,
    /// Its pages come from the host reservation's anonymous memory, where a page the
    /// host never made resident is known to hold zeros.
    pub anonymous: bool,
}

/// The `PF_*` flags of guest permissions.
pub fn flags(perm: Perm) -> u32 {
    let mut f = 0;
    if perm.contains(Perm::R) {
        f |= PF_R;
    }
    if perm.contains(Perm::W) {
        f |= PF_W;
    }
    if perm.contains(Perm::X) {
        f |= PF_X;
    }
    f
}

/// What of `region` goes into the core, as Linux's default `coredump_filter` (0x33)
/// picks it: all of an anonymous or writable mapping; of a read-only file mapping, all
/// if the guest changed it (relocated data made read-only after, as Linux dumps a
/// mapping with copy-on-write pages), else its first page if it is an ELF header;
/// nothing of an unreadable one.
pub fn plan(region: &Region, mem: &GuestMemory) -> Segment {
    let len = region.end - region.start;
    let readable = region.perm.contains(Perm::R);
    let dumped = match &region.kind {
        _ if !readable => 0,
        RegionKind::File { path, offset } if !region.perm.contains(Perm::W) => {
            if !region.perm.contains(Perm::X) && changed_from_file(region, path, *offset, mem) {
                len
            } else if *offset == 0 && mem.slice(region.start, 4).ok() == Some(b"\x7fELF") {
                PAGE_SIZE.min(len)
            } else {
                0
            }
        }
        _ => len,
    };
    Segment {
        start: region.start,
        end: region.end,
        flags: flags(region.perm),
        dumped,
        anonymous: !matches!(region.kind, RegionKind::File { .. }),
    }
}

/// Whether a readable page of the file mapping `region` differs from the file at its
/// offset (a page vm cannot read, or a file it cannot open, counts as unchanged).
fn changed_from_file(region: &Region, path: &str, offset: u64, mem: &GuestMemory) -> bool {
    use std::os::unix::fs::FileExt;
    let Ok(file) = std::fs::File::open(path) else {
        return false;
    };
    let mut page = vec![0u8; PAGE_SIZE as usize];
    (region.start..region.end)
        .step_by(PAGE_SIZE as usize)
        .any(|addr| {
            let Ok(guest) = mem.slice(addr, PAGE_SIZE) else {
                return false;
            };
            let n = file
                .read_at(&mut page, offset + (addr - region.start))
                .unwrap_or(0);
            // Past the end of the file a mapping holds zeros.
            page[n..].fill(0);
            guest != &page[..]
        })
}

/// The ELF header of a core with `phnum` program headers.
pub fn elf_header(phnum: u16) -> [u8; EHDR_SIZE as usize] {
    let mut h = [0u8; EHDR_SIZE as usize];
    // ELFCLASS64, ELFDATA2LSB, EV_CURRENT, ELFOSABI_NONE.
    h[..7].copy_from_slice(b"\x7fELF\x02\x01\x01");
    h[16..18].copy_from_slice(&ET_CORE.to_le_bytes());
    h[18..20].copy_from_slice(&EM_RISCV.to_le_bytes());
    h[20..24].copy_from_slice(&1u32.to_le_bytes());
    h[32..40].copy_from_slice(&EHDR_SIZE.to_le_bytes());
    h[52..54].copy_from_slice(&(EHDR_SIZE as u16).to_le_bytes());
    h[54..56].copy_from_slice(&(PHDR_SIZE as u16).to_le_bytes());
    h[56..58].copy_from_slice(&phnum.to_le_bytes());
    h
}

/// One `Elf64_Phdr`.
#[allow(clippy::too_many_arguments)]
fn phdr(
    ty: u32,
    flags: u32,
    offset: u64,
    vaddr: u64,
    filesz: u64,
    memsz: u64,
    align: u64,
) -> [u8; PHDR_SIZE as usize] {
    let mut p = [0u8; PHDR_SIZE as usize];
    p[0..4].copy_from_slice(&ty.to_le_bytes());
    p[4..8].copy_from_slice(&flags.to_le_bytes());
    for (i, v) in [offset, vaddr, 0, filesz, memsz, align].iter().enumerate() {
        p[8 + 8 * i..16 + 8 * i].copy_from_slice(&v.to_le_bytes());
    }
    p
}

/// The headers and notes, and where the memory starts: everything before the first
/// dumped byte of memory.
pub fn headers(notes: &[u8], segments: &[Segment]) -> (Vec<u8>, u64) {
    let phnum = 1 + segments.len() as u64;
    let notes_at = EHDR_SIZE + PHDR_SIZE * phnum;
    let data_at = (notes_at + notes.len() as u64).next_multiple_of(CORE_PAGE);
    let mut out = Vec::with_capacity(notes_at as usize + notes.len());
    out.extend_from_slice(&elf_header(phnum as u16));
    out.extend_from_slice(&phdr(PT_NOTE, 0, notes_at, 0, notes.len() as u64, 0, 4));
    let mut offset = data_at;
    for s in segments {
        let memsz = s.end - s.start;
        out.extend_from_slice(&phdr(
            PT_LOAD, s.flags, offset, s.start, s.dumped, memsz, CORE_PAGE,
        ));
        offset += s.dumped;
    }
    out.extend_from_slice(notes);
    (out, data_at)
}

/// A file written up to a limit, as the kernel's `dump_emit`/`dump_skip` do: a piece
/// that would cross the limit is not written, and nothing after it.
pub struct LimitedFile<F: Write + Seek> {
    file: F,
    pos: u64,
    /// The file's length: a hole at its end still needs it extended.
    len: u64,
    limit: u64,
    full: bool,
}

impl<F: Write + Seek> LimitedFile<F> {
    pub fn new(file: F, limit: u64) -> LimitedFile<F> {
        LimitedFile {
            file,
            pos: 0,
            len: 0,
            limit,
            full: false,
        }
    }

    fn room_for(&mut self, n: u64) -> bool {
        if self.full || self.pos + n > self.limit {
            self.full = true;
        }
        !self.full
    }

    /// Writes `bytes`; false once the limit is reached.
    pub fn emit(&mut self, bytes: &[u8]) -> std::io::Result<bool> {
        if !self.room_for(bytes.len() as u64) {
            return Ok(false);
        }
        self.file.write_all(bytes)?;
        self.pos += bytes.len() as u64;
        self.len = self.pos;
        Ok(true)
    }

    /// Leaves a hole of `n` bytes; false once the limit is reached.
    pub fn skip(&mut self, n: u64) -> std::io::Result<bool> {
        if !self.room_for(n) {
            return Ok(false);
        }
        self.pos += n;
        self.file.seek(SeekFrom::Start(self.pos))?;
        Ok(true)
    }

    /// Whether the limit cut the file short.
    pub fn truncated(&self) -> bool {
        self.full
    }

    /// The file, and the length it must be extended to (a hole at its end).
    pub fn finish(mut self) -> std::io::Result<(F, u64)> {
        self.file.flush()?;
        Ok((self.file, self.pos.max(self.len)))
    }
}

/// Writes the core: headers and notes, then each segment's dumped bytes page by page.
/// Pages of anonymous memory the host never touched are skipped without being read
/// (a large untouched reservation costs nothing); such a page of a shared mapping
/// that only another process wrote would be missed, a case left out.
/// Returns whether it was written whole (false: the limit cut it short).
pub fn write<F: Write + Seek>(
    out: &mut LimitedFile<F>,
    notes: &[u8],
    segments: &[Segment],
    mem: &GuestMemory,
) -> std::io::Result<bool> {
    let (head, data_at) = headers(notes, segments);
    let pagemap = std::fs::File::open("/proc/self/pagemap").ok();
    if !out.emit(&head)? || !out.skip(data_at - head.len() as u64)? {
        return Ok(false);
    }
    for s in segments {
        let mut addr = s.start;
        let end = s.start + s.dumped;
        while addr < end {
            let run = if s.anonymous {
                resident_run(pagemap.as_ref(), mem, addr, end)
            } else {
                Residency::Unknown((end - addr) / PAGE_SIZE)
            };
            let (pages, resident) = match run {
                Residency::Absent(n) => (n, false),
                Residency::Unknown(n) => (n, true),
            };
            if !resident {
                if !out.skip(pages * PAGE_SIZE)? {
                    return Ok(false);
                }
                addr += pages * PAGE_SIZE;
                continue;
            }
            for _ in 0..pages {
                let written = match mem.slice(addr, PAGE_SIZE) {
                    Ok(page) if page.iter().any(|&b| b != 0) => out.emit(page)?,
                    // Zeros, past the end of its file, or gone: a hole.
                    _ => out.skip(PAGE_SIZE)?,
                };
                if !written {
                    return Ok(false);
                }
                addr += PAGE_SIZE;
            }
        }
    }
    Ok(!out.truncated())
}

/// What the host knows of the pages from `addr`.
enum Residency {
    /// This many pages were never touched (neither present nor swapped out): zeros.
    Absent(u64),
    /// This many pages may hold data.
    Unknown(u64),
}

/// Most pages one read of `/proc/self/pagemap` asks about.
const PAGEMAP_CHUNK: u64 = 1024;
const PAGEMAP_PRESENT: u64 = 1 << 63;
const PAGEMAP_SWAPPED: u64 = 1 << 62;

/// The run of pages from `addr` (before `end`) that the host has in memory (or in
/// swap) or not, from `/proc/self/pagemap`; unknown if it cannot be read.
fn resident_run(
    pagemap: Option<&std::fs::File>,
    mem: &GuestMemory,
    addr: u64,
    end: u64,
) -> Residency {
    use std::os::unix::fs::FileExt;
    let n = ((end - addr) / PAGE_SIZE).min(PAGEMAP_CHUNK);
    let Some(pagemap) = pagemap else {
        return Residency::Unknown(n);
    };
    let host_page = (mem.host_range().start as u64 + addr) / PAGE_SIZE;
    let mut raw = vec![0u8; 8 * n as usize];
    match pagemap.read_at(&mut raw, host_page * 8) {
        Ok(len) if len == raw.len() => {}
        _ => return Residency::Unknown(n),
    }
    let touched = |i: usize| {
        let e = u64::from_le_bytes(raw[8 * i..8 * i + 8].try_into().unwrap());
        e & (PAGEMAP_PRESENT | PAGEMAP_SWAPPED) != 0
    };
    let first = touched(0);
    let same = (0..n as usize).take_while(|&i| touched(i) == first).count() as u64;
    if first {
        Residency::Unknown(same)
    } else {
        Residency::Absent(same)
    }
}
