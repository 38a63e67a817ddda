//! Parsing of ELF64 executables for RISC-V, written for untrusted input: every offset
//! and size is checked, nothing panics, and each error names the problem.

use thiserror::Error;

pub const PT_LOAD: u32 = 1;
pub const PT_INTERP: u32 = 3;
pub const PT_PHDR: u32 = 6;
pub const PF_X: u32 = 1;
pub const PF_W: u32 = 2;
pub const PF_R: u32 = 4;
const ET_EXEC: u16 = 2;
const ET_DYN: u16 = 3;
const EM_RISCV: u16 = 243;
const EHDR_SIZE: usize = 64;
const PHDR_SIZE: usize = 56;
/// More program headers than any real program has; protects against absurd counts.
const MAX_PHNUM: usize = 512;

/// Why a file is not a runnable RISC-V 64 executable.
#[derive(Debug, Error, PartialEq, Eq)]
pub enum ElfError {
    #[error("not an ELF file (bad magic)")]
    NotElf,
    #[error("truncated ELF file: {0}")]
    Truncated(&'static str),
    #[error("32-bit ELF; vm runs 64-bit RISC-V (RV64) programs")]
    Not64Bit,
    #[error("big-endian ELF; RISC-V programs are little-endian")]
    BigEndian,
    #[error("ELF for {0}, not RISC-V")]
    WrongMachine(String),
    #[error("ELF type {0} is not an executable (expected ET_EXEC or ET_DYN)")]
    NotExecutable(String),
    #[error("malformed ELF: {0}")]
    Malformed(&'static str),
}

/// The ELF header fields the loader uses.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ElfHeader {
    /// True for ET_DYN (position-independent), false for ET_EXEC.
    pub is_dyn: bool,
    pub entry: u64,
    pub phoff: u64,
    pub phnum: u16,
}

/// One program header.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ProgramHeader {
    pub p_type: u32,
    pub flags: u32,
    pub offset: u64,
    pub vaddr: u64,
    pub filesz: u64,
    pub memsz: u64,
    pub align: u64,
}

/// A validated executable: header, program headers and the interpreter path if any.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ElfFile {
    pub header: ElfHeader,
    pub phdrs: Vec<ProgramHeader>,
    /// The PT_INTERP path (dynamic linker), if present.
    pub interp: Option<Vec<u8>>,
}

fn u16_at(b: &[u8], off: usize) -> u16 {
    u16::from_le_bytes([b[off], b[off + 1]])
}

fn u32_at(b: &[u8], off: usize) -> u32 {
    u32::from_le_bytes(b[off..off + 4].try_into().unwrap_or_default())
}

fn u64_at(b: &[u8], off: usize) -> u64 {
    u64::from_le_bytes(b[off..off + 8].try_into().unwrap_or_default())
}

fn machine_name(m: u16) -> String {
    match m {
        3 => "x86 (i386)".into(),
        8 => "MIPS".into(),
        20 => "PowerPC".into(),
        21 => "PowerPC64".into(),
        22 => "s390".into(),
        40 => "ARM".into(),
        62 => "x86-64".into(),
        183 => "AArch64".into(),
        258 => "LoongArch".into(),
        other => format!("machine {other}"),
    }
}

impl ElfFile {
    /// Parses and validates `bytes` as a RISC-V 64 executable.
    pub fn parse(bytes: &[u8]) -> Result<ElfFile, ElfError> {
        if bytes.len() < 4 || &bytes[..4] != b"\x7fELF" {
            return Err(ElfError::NotElf);
        }
        if bytes.len() < 6 {
            return Err(ElfError::Truncated("ELF header"));
        }
        match bytes[4] {
            2 => {}
            1 => return Err(ElfError::Not64Bit),
            _ => return Err(ElfError::Malformed("unknown ELF class")),
        }
        match bytes[5] {
            1 => {}
            2 => return Err(ElfError::BigEndian),
            _ => return Err(ElfError::Malformed("unknown data encoding")),
        }
        if bytes.len() < EHDR_SIZE {
            return Err(ElfError::Truncated("ELF header"));
        }
        let e_type = u16_at(bytes, 16);
        let machine = u16_at(bytes, 18);
        if machine != EM_RISCV {
            return Err(ElfError::WrongMachine(machine_name(machine)));
        }
        let is_dyn = match e_type {
            ET_EXEC => false,
            ET_DYN => true,
            1 => return Err(ElfError::NotExecutable("ET_REL (object file)".into())),
            4 => return Err(ElfError::NotExecutable("ET_CORE (core dump)".into())),
            t => return Err(ElfError::NotExecutable(t.to_string())),
        };
        let header = ElfHeader {
            is_dyn,
            entry: u64_at(bytes, 24),
            phoff: u64_at(bytes, 32),
            phnum: u16_at(bytes, 56),
        };
        let phentsize = u16_at(bytes, 54) as usize;
        if phentsize != PHDR_SIZE {
            return Err(ElfError::Malformed("program header size is not 56"));
        }
        let phnum = header.phnum as usize;
        if phnum == 0 {
            return Err(ElfError::Malformed("no program headers"));
        }
        if phnum > MAX_PHNUM {
            return Err(ElfError::Malformed("too many program headers"));
        }
        let table_end = header
            .phoff
            .checked_add((phnum * PHDR_SIZE) as u64)
            .ok_or(ElfError::Malformed("program header offset overflows"))?;
        if table_end > bytes.len() as u64 {
            return Err(ElfError::Truncated(
                "program headers extend past the end of the file",
            ));
        }
        let phdrs: Vec<ProgramHeader> = (0..phnum)
            .map(|i| {
                let o = header.phoff as usize + i * PHDR_SIZE;
                ProgramHeader {
                    p_type: u32_at(bytes, o),
                    flags: u32_at(bytes, o + 4),
                    offset: u64_at(bytes, o + 8),
                    vaddr: u64_at(bytes, o + 16),
                    filesz: u64_at(bytes, o + 32),
                    memsz: u64_at(bytes, o + 40),
                    align: u64_at(bytes, o + 48),
                }
            })
            .collect();
        let mut loads = 0;
        let mut interp = None;
        for ph in &phdrs {
            let file_end = ph.offset.checked_add(ph.filesz);
            if matches!(ph.p_type, PT_LOAD | PT_INTERP) {
                match file_end {
                    None => return Err(ElfError::Malformed("segment offset overflows")),
                    Some(end) if end > bytes.len() as u64 => {
                        return Err(ElfError::Truncated(
                            "a segment extends past the end of the file",
                        ))
                    }
                    _ => {}
                }
            }
            if ph.p_type == PT_LOAD {
                loads += 1;
                if ph.filesz > ph.memsz {
                    return Err(ElfError::Malformed(
                        "segment file size exceeds its memory size",
                    ));
                }
                if ph.vaddr.checked_add(ph.memsz).is_none() {
                    return Err(ElfError::Malformed("segment address overflows"));
                }
                if ph.align > 1 && ph.vaddr % ph.align.min(4096) != ph.offset % ph.align.min(4096) {
                    return Err(ElfError::Malformed(
                        "segment address and offset disagree modulo the page size",
                    ));
                }
            }
            if ph.p_type == PT_INTERP {
                if interp.is_some() {
                    return Err(ElfError::Malformed("more than one PT_INTERP"));
                }
                let raw = &bytes[ph.offset as usize..(ph.offset + ph.filesz) as usize];
                let path = raw.split(|&b| b == 0).next().unwrap_or_default();
                if path.is_empty() {
                    return Err(ElfError::Malformed("empty interpreter path"));
                }
                interp = Some(path.to_vec());
            }
        }
        if loads == 0 {
            return Err(ElfError::Malformed("no loadable segments"));
        }
        Ok(ElfFile {
            header,
            phdrs,
            interp,
        })
    }

    /// The loadable segments.
    pub fn loads(&self) -> impl Iterator<Item = &ProgramHeader> {
        self.phdrs.iter().filter(|p| p.p_type == PT_LOAD)
    }
}
