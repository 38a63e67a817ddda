//! The notes of a riscv64 core file, byte for byte as Linux's `binfmt_elf` writes them:
//! `struct elf_prstatus`, `struct elf_prpsinfo`, the floating-point and vector regsets, `NT_FILE`,
//! and the note framing (4-byte aligned name and descriptor, as on every Linux ELF64).

use vm_engine::CpuState;

pub const NT_PRSTATUS: u32 = 1;
pub const NT_PRFPREG: u32 = 2;
pub const NT_PRPSINFO: u32 = 3;
pub const NT_AUXV: u32 = 6;
pub const NT_SIGINFO: u32 = 0x5349_4749;
pub const NT_FILE: u32 = 0x4649_4c45;
pub const NT_RISCV_VECTOR: u32 = 0x901;

/// `sizeof(struct elf_prstatus)` on riscv64: the common part (112 bytes), `pr_reg` (32
/// registers), `pr_fpvalid`, padded to 8.
pub const PRSTATUS_SIZE: usize = 376;
/// Where `pr_reg` starts in `struct elf_prstatus`.
pub const PR_REG_OFFSET: usize = 112;
/// `sizeof(struct elf_prpsinfo)` on a 64-bit Linux.
pub const PRPSINFO_SIZE: usize = 136;
/// The `NT_PRFPREG` descriptor: `struct __riscv_d_ext_state` (f0..f31, fcsr), which
/// `riscv_fpr_get` pads explicitly to its size, 33 doublewords.
pub const FPREGSET_SIZE: usize = 264;
/// `ELF_PRARGSZ`: the bytes of `pr_psargs`.
const PRARGSZ: usize = 80;

/// A `struct __kernel_old_timeval`: seconds and microseconds.
pub type TimeVal = (i64, i64);

/// What `struct elf_prstatus` says of one thread.
#[derive(Clone, Debug, Default)]
pub struct ThreadStatus {
    /// The signal the process dies of (`pr_info.si_signo` and `pr_cursig`).
    pub sig: i32,
    pub pending: u64,
    pub blocked: u64,
    pub tid: i32,
    pub ppid: i32,
    pub pgrp: i32,
    pub sid: i32,
    pub utime: TimeVal,
    pub stime: TimeVal,
    pub cutime: TimeVal,
    pub cstime: TimeVal,
    /// `user_regs_struct`: pc, then x1..x31.
    pub regs: [u64; 32],
    /// Whether an `NT_PRFPREG` note follows (`pr_fpvalid`).
    pub fpvalid: bool,
}

/// The registers `pr_reg` holds, from a guest CPU.
pub fn user_regs(cpu: &CpuState) -> [u64; 32] {
    std::array::from_fn(|i| if i == 0 { cpu.pc } else { cpu.x(i as u32) })
}

fn put(buf: &mut [u8], offset: usize, bytes: &[u8]) {
    buf[offset..offset + bytes.len()].copy_from_slice(bytes);
}

/// `struct elf_prstatus` for riscv64.
pub fn prstatus(t: &ThreadStatus) -> [u8; PRSTATUS_SIZE] {
    let mut b = [0u8; PRSTATUS_SIZE];
    // pr_info (si_signo, si_code, si_errno), pr_cursig.
    put(&mut b, 0, &t.sig.to_le_bytes());
    put(&mut b, 12, &(t.sig as i16).to_le_bytes());
    put(&mut b, 16, &t.pending.to_le_bytes());
    put(&mut b, 24, &t.blocked.to_le_bytes());
    for (i, id) in [t.tid, t.ppid, t.pgrp, t.sid].iter().enumerate() {
        put(&mut b, 32 + 4 * i, &id.to_le_bytes());
    }
    for (i, tv) in [t.utime, t.stime, t.cutime, t.cstime].iter().enumerate() {
        put(&mut b, 48 + 16 * i, &tv.0.to_le_bytes());
        put(&mut b, 56 + 16 * i, &tv.1.to_le_bytes());
    }
    for (i, r) in t.regs.iter().enumerate() {
        put(&mut b, PR_REG_OFFSET + 8 * i, &r.to_le_bytes());
    }
    put(
        &mut b,
        PR_REG_OFFSET + 256,
        &(t.fpvalid as i32).to_le_bytes(),
    );
    b
}

/// The `NT_PRFPREG` descriptor: f0..f31, fcsr, four bytes of padding.
pub fn fpregset(cpu: &CpuState) -> [u8; FPREGSET_SIZE] {
    let mut b = [0u8; FPREGSET_SIZE];
    for i in 0..32 {
        put(&mut b, 8 * i, &cpu.f(i as u32).to_le_bytes());
    }
    put(&mut b, 256, &cpu.fcsr.to_le_bytes());
    b
}

/// The `NT_RISCV_VECTOR` descriptor of a thread that has used the vector unit (the
/// same test as the signal frame's vector context), else `None`, as `riscv_vr_get`
/// refuses a thread whose unit is off and the note is then left out:
/// `struct __riscv_v_regset_state` (vstart, vl, vtype, vcsr, vlenb; 8 bytes each)
/// followed by the 32 registers, `vlenb` bytes each.
pub fn vector_regset(cpu: &CpuState) -> Option<Vec<u8>> {
    let v = &cpu.vector;
    if !crate::vector_ext::unit_used(v) {
        return None;
    }
    let vcsr = vm_vector::read_csr(v, vm_ir::Csr::Vcsr).unwrap_or(0);
    let mut b = Vec::with_capacity(40 + v.regs.len());
    for field in [v.vstart, v.vl, v.vtype, vcsr, vm_vector::VLENB as u64] {
        b.extend_from_slice(&field.to_le_bytes());
    }
    b.extend_from_slice(&v.regs);
    Some(b)
}

/// What `struct elf_prpsinfo` says of the process.
#[derive(Clone, Debug, Default)]
pub struct ProcessInfo {
    pub nice: i8,
    /// `pr_flag`: the dumping task's `PF_*` flags.
    pub flag: u64,
    pub uid: u32,
    pub gid: u32,
    pub pid: i32,
    pub ppid: i32,
    pub pgrp: i32,
    pub sid: i32,
    /// The command name (`comm`), at most 15 bytes kept.
    pub fname: Vec<u8>,
    /// The arguments as `/proc/PID/cmdline` has them (each NUL-terminated).
    pub cmdline: Vec<u8>,
}

/// `struct elf_prpsinfo` for a running (dumping) process.
pub fn prpsinfo(p: &ProcessInfo) -> [u8; PRPSINFO_SIZE] {
    let mut b = [0u8; PRPSINFO_SIZE];
    // pr_state 0, pr_sname 'R', pr_zomb 0.
    b[1] = b'R';
    b[3] = p.nice as u8;
    put(&mut b, 8, &p.flag.to_le_bytes());
    put(&mut b, 16, &p.uid.to_le_bytes());
    put(&mut b, 20, &p.gid.to_le_bytes());
    for (i, id) in [p.pid, p.ppid, p.pgrp, p.sid].iter().enumerate() {
        put(&mut b, 24 + 4 * i, &id.to_le_bytes());
    }
    let fname = &p.fname[..p.fname.len().min(15)];
    put(&mut b, 40, fname);
    // As fill_psinfo: the first PRARGSZ - 1 bytes of the arguments, NULs made spaces,
    // without the last argument's NUL.
    let args = p.cmdline.strip_suffix(&[0]).unwrap_or(&p.cmdline);
    let args: Vec<u8> = args
        .iter()
        .take(PRARGSZ - 1)
        .map(|&c| if c == 0 { b' ' } else { c })
        .collect();
    put(&mut b, 56, &args);
    b
}

/// One file-backed mapping for `NT_FILE`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MappedFile {
    pub start: u64,
    pub end: u64,
    /// The file offset of `start`, in bytes.
    pub offset: u64,
    pub name: Vec<u8>,
}

/// The `NT_FILE` descriptor: count, page size, `{start, end, offset in pages}` per
/// mapping, then each name NUL-terminated.
pub fn file_note(files: &[MappedFile], page_size: u64) -> Vec<u8> {
    let mut b = Vec::new();
    b.extend_from_slice(&(files.len() as u64).to_le_bytes());
    b.extend_from_slice(&page_size.to_le_bytes());
    for f in files {
        for v in [f.start, f.end, f.offset / page_size] {
            b.extend_from_slice(&v.to_le_bytes());
        }
    }
    for f in files {
        b.extend_from_slice(&f.name);
        b.push(0);
    }
    b
}

/// Appends one note: `namesz`, `descsz`, `type`, then the NUL-terminated name and the
/// descriptor, each padded to 4 bytes.
pub fn push_note(out: &mut Vec<u8>, name: &str, ty: u32, desc: &[u8]) {
    let pad = |out: &mut Vec<u8>| out.resize(out.len().next_multiple_of(4), 0);
    out.extend_from_slice(&(name.len() as u32 + 1).to_le_bytes());
    out.extend_from_slice(&(desc.len() as u32).to_le_bytes());
    out.extend_from_slice(&ty.to_le_bytes());
    out.extend_from_slice(name.as_bytes());
    out.push(0);
    pad(out);
    out.extend_from_slice(desc);
    pad(out);
}
