//! Maps an executable into guest memory and builds the initial stack exactly as Linux's
//! `load_elf_binary` and `create_elf_tables` do for RISC-V (without randomisation).

use crate::elf::{ElfFile, ProgramHeader, PF_R, PF_W, PF_X, PT_PHDR};
use crate::layout::{self, PIE_BASE, STACK_TOP};
use crate::program_file::ProgramFile;
use vm_memory::{
    page_ceil, page_floor, FilePages, GuestMemory, MapError, MemFault, Perm, RegionKind, Sharing,
    GUEST_SPACE, PAGE_SIZE,
};

/// Auxiliary vector tags (include/uapi/linux/auxvec.h).
mod at {
    pub const NULL: u64 = 0;
    pub const PHDR: u64 = 3;
    pub const PHENT: u64 = 4;
    pub const PHNUM: u64 = 5;
    pub const PAGESZ: u64 = 6;
    pub const BASE: u64 = 7;
    pub const FLAGS: u64 = 8;
    pub const ENTRY: u64 = 9;
    pub const UID: u64 = 11;
    pub const EUID: u64 = 12;
    pub const GID: u64 = 13;
    pub const EGID: u64 = 14;
    pub const HWCAP: u64 = 16;
    pub const CLKTCK: u64 = 17;
    pub const SECURE: u64 = 23;
    pub const RANDOM: u64 = 25;
    pub const EXECFN: u64 = 31;
}

/// AT_HWCAP for RV64IMAFDC: one bit per single-letter extension ('A' is bit 0).
pub const HWCAP_RV64GC: u64 = {
    let mut bits = 0u64;
    let letters = *b"IMAFDC";
    let mut i = 0;
    while i < letters.len() {
        bits |= 1 << (letters[i] - b'A');
        i += 1;
    }
    bits
};

/// Why an image could not be placed in guest memory.
#[derive(Debug, thiserror::Error)]
pub enum LoadError {
    #[error("segment at {addr:#x} does not fit in the guest address space")]
    OutOfSpace { addr: u64 },
    #[error("cannot map segment: {0}")]
    Map(#[from] MapError),
    #[error("cannot write segment: {0}")]
    Write(#[from] MemFault),
    #[error("segments at {start:#x}..{end:#x} overlap memory already mapped")]
    Overlaps { start: u64, end: u64 },
    #[error("argument and environment strings do not fit on the stack")]
    ArgsTooLong,
}

/// Where an image landed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct LoadedImage {
    /// Added to every virtual address of the file (0 for ET_EXEC).
    pub bias: u64,
    /// Entry point, biased.
    pub entry: u64,
    /// Guest address of the program headers (AT_PHDR).
    pub phdr_addr: u64,
    pub phnum: u64,
    /// Page-aligned end of the highest segment: where the heap starts.
    pub end: u64,
}

fn perm_of(flags: u32) -> Perm {
    let mut p = 0;
    if flags & PF_R != 0 {
        p |= Perm::R.0;
    }
    if flags & PF_W != 0 {
        p |= Perm::W.0;
    }
    if flags & PF_X != 0 {
        p |= Perm::X.0;
    }
    Perm(p)
}

/// Maps the PT_LOAD segments of `elf` (parsed from `file`), at `dyn_base` if it is
/// position-independent, into pages no other image uses.
///
/// As Linux's `elf_load`, segment by segment in file order: the pages holding a segment's
/// file bytes are the file's own pages mapped private (so the rest of the last such page
/// shows whatever the file has there), the rest of that page is zeroed if the segment is
/// writable, and the pages after it up to `p_memsz` are fresh zero pages. A page two
/// segments share ends up as the later one maps it.
pub fn load_image(
    mem: &GuestMemory,
    elf: &ElfFile,
    file: &ProgramFile,
    path: &str,
    dyn_base: u64,
) -> Result<LoadedImage, LoadError> {
    let lowest = elf.loads().map(|p| page_floor(p.vaddr)).min().unwrap_or(0);
    let bias = if elf.header.is_dyn {
        dyn_base.wrapping_sub(lowest)
    } else {
        0
    };
    // A second image (the dynamic linker) must not land on the first.
    let span = elf.loads().fold(None, |acc: Option<(u64, u64)>, p| {
        let (s, e) = (
            p.vaddr.wrapping_add(bias),
            p.vaddr.wrapping_add(bias).wrapping_add(p.memsz),
        );
        Some(acc.map_or((s, e), |(lo, hi)| (lo.min(s), hi.max(e))))
    });
    // (A span outside the guest space is refused below, segment by segment.)
    if let Some((lo, hi)) = span.filter(|&(lo, hi)| lo < hi && hi <= GUEST_SPACE) {
        let (lo, hi) = (page_floor(lo), page_ceil(hi));
        if !mem.is_free(lo, hi - lo) {
            return Err(LoadError::Overlaps { start: lo, end: hi });
        }
    }
    let mut end = 0;
    for ph in elf.loads() {
        let addr = ph.vaddr.wrapping_add(bias);
        let stop = ph
            .vaddr
            .checked_add(bias)
            .and_then(|a| a.checked_add(ph.memsz))
            .filter(|&e| e <= GUEST_SPACE)
            .ok_or(LoadError::OutOfSpace { addr })?;
        let start = page_floor(addr);
        if start < PAGE_SIZE {
            return Err(LoadError::OutOfSpace { addr: start });
        }
        let perm = perm_of(ph.flags);
        let file_end = addr + ph.filesz;
        if ph.filesz > 0 {
            map_file_bytes(mem, file, ph, start, page_ceil(file_end), perm, path)?;
        }
        if ph.memsz > ph.filesz {
            let mut zero_start = page_floor(file_end);
            if file_end > zero_start && mem.is_mapped(zero_start, PAGE_SIZE) {
                if perm.contains(Perm::W) {
                    let pad = vec![0u8; (PAGE_SIZE - (file_end - zero_start)) as usize];
                    mem.write_bytes_privileged(file_end, &pad)?;
                }
                zero_start += PAGE_SIZE;
            }
            let zero_end = page_ceil(stop);
            if zero_end > zero_start {
                mem.map_fixed(
                    zero_start,
                    zero_end - zero_start,
                    perm,
                    RegionKind::Anonymous,
                )?;
            }
        }
        end = end.max(page_ceil(stop));
    }
    let phdr_addr = match elf.phdrs.iter().find(|p| p.p_type == PT_PHDR) {
        Some(p) => p.vaddr + bias,
        None => elf
            .loads()
            .find(|p| p.offset <= elf.header.phoff && elf.header.phoff < p.offset + p.filesz)
            .map(|p| p.vaddr + bias + (elf.header.phoff - p.offset))
            .unwrap_or(0),
    };
    Ok(LoadedImage {
        bias,
        entry: elf.header.entry.wrapping_add(bias),
        phdr_addr,
        phnum: elf.header.phnum as u64,
        end,
    })
}

/// Maps `[start, end)`, the pages holding the file bytes of `ph`, from the file. A segment
/// whose address and offset disagree modulo the page size (only possible with
/// `p_align <= 1`) cannot be mapped from the file: its bytes are copied into fresh pages.
fn map_file_bytes(
    mem: &GuestMemory,
    file: &ProgramFile,
    ph: &ProgramHeader,
    start: u64,
    end: u64,
    perm: Perm,
    path: &str,
) -> Result<(), LoadError> {
    let in_page = ph.vaddr % PAGE_SIZE;
    let kind = RegionKind::File {
        path: path.to_string(),
        offset: page_floor(ph.offset),
    };
    if ph.offset % PAGE_SIZE == in_page {
        let pages = FilePages {
            fd: file.fd(),
            offset: ph.offset - in_page,
            sharing: Sharing::Private,
        };
        mem.map_file(start, end - start, perm, pages, kind)?;
    } else {
        mem.map_fixed(start, end - start, perm, kind)?;
        let bytes = &file.bytes()[ph.offset as usize..(ph.offset + ph.filesz) as usize];
        mem.write_bytes_privileged(start + in_page, bytes)?;
    }
    Ok(())
}

/// What goes on the initial stack.
pub struct StackSpec<'a> {
    pub argv: &'a [Vec<u8>],
    pub envp: &'a [Vec<u8>],
    /// The path the program was executed as (AT_EXECFN).
    pub execfn: &'a [u8],
    pub image: &'a LoadedImage,
    /// Load bias of the dynamic linker (AT_BASE), 0 without one.
    pub interp_base: u64,
    /// 16 bytes for AT_RANDOM.
    pub random: [u8; 16],
    /// The soft `RLIMIT_STACK` the program starts under, in bytes.
    pub stack_limit: u64,
}

/// The initial stack a program starts on.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct InitialStack {
    /// The stack pointer at the first instruction (pointing at argc).
    pub sp: u64,
    /// The auxiliary vector as written, `AT_NULL` pair included (what Linux keeps as
    /// `saved_auxv` and shows in `/proc/self/auxv`).
    pub auxv: Vec<u8>,
}

/// Maps the stack and writes argc, argv, envp, auxv and their strings.
pub fn build_stack(mem: &GuestMemory, spec: &StackSpec) -> Result<InitialStack, LoadError> {
    let strings_len: usize = spec
        .argv
        .iter()
        .chain(spec.envp)
        .map(|s| s.len() + 1)
        .sum::<usize>()
        + spec.execfn.len()
        + 1;
    // Strings are limited as Linux limits them (ARG_MAX).
    if strings_len as u64 > layout::arg_limit(spec.stack_limit) {
        return Err(LoadError::ArgsTooLong);
    }
    // The strings, their pointers, the auxiliary vector and alignment.
    let pointers = (spec.argv.len() + spec.envp.len() + 2) as u64 * 8;
    let args = strings_len as u64 + pointers + 1024;
    let size = layout::stack_mapping_size(spec.stack_limit, args);
    mem.map_fixed(STACK_TOP - size, size, Perm::RW, RegionKind::Stack)?;
    let mut sp = STACK_TOP;
    let push_bytes = |mem: &GuestMemory, sp: &mut u64, data: &[u8]| -> Result<u64, LoadError> {
        *sp -= data.len() as u64;
        mem.write_bytes(*sp, data)?;
        Ok(*sp)
    };
    // Linux's layout from the top: an 8-byte end marker, the exec file name, the
    // environment strings, the argument strings.
    sp -= 8;
    let execfn = push_bytes(mem, &mut sp, &[spec.execfn, b"\0"].concat())?;
    let mut env_ptrs = Vec::with_capacity(spec.envp.len());
    for s in spec.envp.iter().rev() {
        env_ptrs.push(push_bytes(mem, &mut sp, &[s.as_slice(), b"\0"].concat())?);
    }
    env_ptrs.reverse();
    let mut arg_ptrs = Vec::with_capacity(spec.argv.len());
    for s in spec.argv.iter().rev() {
        arg_ptrs.push(push_bytes(mem, &mut sp, &[s.as_slice(), b"\0"].concat())?);
    }
    arg_ptrs.reverse();
    sp &= !15;
    let random = push_bytes(mem, &mut sp, &spec.random)?;
    let img = spec.image;
    // SAFETY: these getters have no preconditions and cannot fail.
    let (uid, euid, gid, egid) = unsafe {
        (
            libc::getuid(),
            libc::geteuid(),
            libc::getgid(),
            libc::getegid(),
        )
    };
    let auxv: [(u64, u64); 16] = [
        (
            at::HWCAP,
            HWCAP_RV64GC | crate::vector_ext::hwcap_bits(crate::vector_ext::advertise_v()),
        ),
        (at::PAGESZ, PAGE_SIZE),
        (at::CLKTCK, 100),
        (at::PHDR, img.phdr_addr),
        (at::PHENT, 56),
        (at::PHNUM, img.phnum),
        (at::BASE, spec.interp_base),
        (at::FLAGS, 0),
        (at::ENTRY, img.entry),
        (at::UID, uid as u64),
        (at::EUID, euid as u64),
        (at::GID, gid as u64),
        (at::EGID, egid as u64),
        (at::SECURE, 0),
        (at::RANDOM, random),
        (at::EXECFN, execfn),
    ];
    let words = 1 + arg_ptrs.len() + 1 + env_ptrs.len() + 1 + 2 * (auxv.len() + 1);
    sp -= 8 * words as u64;
    sp &= !15;
    let mut table: Vec<u64> = Vec::with_capacity(words);
    table.push(arg_ptrs.len() as u64);
    table.extend(&arg_ptrs);
    table.push(0);
    table.extend(&env_ptrs);
    table.push(0);
    for (k, v) in auxv {
        table.extend([k, v]);
    }
    table.extend([at::NULL, 0]);
    let bytes: Vec<u8> = table.iter().flat_map(|w| w.to_le_bytes()).collect();
    mem.write_bytes(sp, &bytes)?;
    let auxv_words = 2 * (auxv.len() + 1);
    let auxv = bytes[bytes.len() - 8 * auxv_words..].to_vec();
    Ok(InitialStack { sp, auxv })
}

/// Default load address for position-independent main programs.
pub const DEFAULT_PIE_BASE: u64 = PIE_BASE;

#[cfg(test)]
mod tests;
