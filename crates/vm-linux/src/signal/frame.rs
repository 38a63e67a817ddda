//! The riscv64 Linux signal frame (`struct rt_sigframe`), as the kernel writes it on the
//! guest stack before running a handler and reads it back in `rt_sigreturn`:
//!
//! ```text
//! 0     siginfo_t info                          128 bytes
//! 128   struct ucontext uc                      960 bytes
//!         0    uc_flags, 8 uc_link
//!         16   uc_stack: ss_sp, ss_flags (int), ss_size
//!         40   uc_sigmask (8 bytes, then padding up to 1024 bits)
//!         176  uc_mcontext (struct sigcontext, 16-byte aligned)
//!                0    sc_regs: pc, then x1..x31
//!                256  sc_fpregs: f0..f31 (64-bit), fcsr at 512, then Q-extension
//!                     padding, overlaid by `sc_extdesc`: a reserved word at 772 (zero)
//!                     and at 776 the first extension-context header
//!                     (`struct __riscv_ctx_hdr`: magic, size)
//! ```
//!
//! The extension contexts are a chain of headers, each followed by its data, `size`
//! bytes from header to header, ending with an END header (magic 0, size 0). vm writes
//! at most one, the vector context (`RISCV_V_MAGIC`), as Linux does for a thread that has
//! used the vector unit; it then runs past the end of `struct ucontext`, and the frame
//! grows by [`V_CONTEXT_SIZE`]:
//!
//! ```text
//! 776  header: 0x53465457, 568
//! 784  struct __riscv_v_ext_state: vstart, vl, vtype, vcsr, vlenb, datap (8 bytes each)
//! 832  the registers v0..v31, vlenb bytes each (datap points here; 16-byte aligned)
//! 1344 END header
//! ```
//!
//! `rt_sigreturn` walks the chain as Linux's `restore_sigcontext` does: a non-zero
//! reserved word, an unknown magic, a vector context of the wrong size or an END header
//! with a size is an invalid frame (SIGSEGV); the vector registers are read from where
//! `datap` points, and `vl`/`vtype` are restored as `vsetvl` would set them.
//!
//! Which threads get a vector context: Linux adds it when the thread's vector unit is
//! on (`sstatus.VS` not Off), which happens at its first vector instruction or vector
//! CSR access after `execve`. vm keeps no such bit: it adds the context when the
//! thread's vector state differs from the state a process starts with (registers zero,
//! `vl = 0`, `vtype.vill`, `vstart`, `vxrm` and `vxsat` zero; `vector_ext::unit_used`)
//! — so a thread that never touched the unit, or only read CSRs, gets the plain frame,
//! and one that did gets its state saved and restored. Without a vector context
//! `rt_sigreturn` leaves the vector state as the handler left it, as Linux does.
//!
//! Handlers return through `ra`, which points at a two-instruction trampoline
//! (`li a7, 139; ecall`, i.e. `rt_sigreturn`) — the exact bytes of the kernel's vDSO
//! `__vdso_rt_sigreturn`, which unwinders recognise to step through signal frames.

use super::SigInfo;
use vm_ir::{Csr, GuestAddr};
use vm_memory::{GuestMemory, MemFault};
use vm_vector::{VType, VectorState, VLENB, VTYPE_VILL};

/// Size of the frame without extension contexts: siginfo plus ucontext.
pub const FRAME_SIZE: u64 = (SigInfo::SIZE + UCONTEXT_SIZE) as u64;
/// Bytes the vector context adds: its header, `struct __riscv_v_ext_state` and the
/// registers (Linux's `riscv_v_sc_size`).
pub const V_CONTEXT_SIZE: u64 = (CTX_HDR_SIZE + V_STATE_SIZE + 32 * VLENB) as u64;
/// Offset of the ucontext within the frame.
pub const UCONTEXT: u64 = SigInfo::SIZE as u64;

const UCONTEXT_SIZE: usize = 960;
const UC_STACK: usize = 16;
const UC_SIGMASK: usize = 40;
const UC_MCONTEXT: usize = 176;
const SC_FPREGS: usize = 256;
const SC_FCSR: usize = SC_FPREGS + 32 * 8;
/// `sc_extdesc.reserved`, which must be zero.
const SC_EXT_RESERVED: usize = SC_FPREGS + 516;
/// `sc_extdesc.hdr`, the first extension-context header.
const SC_EXT_HDR: usize = SC_FPREGS + 520;
const CTX_HDR_SIZE: usize = 8;
/// `sizeof(struct __sc_riscv_v_state)`: six 8-byte fields, 16-byte aligned.
const V_STATE_SIZE: usize = 48;
/// `RISCV_V_MAGIC` ("WTFS" little-endian).
const V_MAGIC: u32 = 0x5346_5457;
const END_MAGIC: u32 = 0;

/// The size of a frame, with or without a vector context, rounded up to 16 bytes as
/// Linux's `get_rt_frame_size` does.
pub const fn size(with_vector: bool) -> u64 {
    let bytes = FRAME_SIZE + if with_vector { V_CONTEXT_SIZE } else { 0 };
    bytes.next_multiple_of(16)
}

/// Why `rt_sigreturn` cannot use a frame: it is unreadable, or its extension contexts
/// are not what Linux accepts. Either way the thread gets a SIGSEGV.
#[derive(Debug, thiserror::Error)]
pub enum FrameError {
    #[error("{0}")]
    Fault(#[from] MemFault),
    #[error("invalid extension context: {0}")]
    Invalid(&'static str),
}

/// `li a7, 139` (`rt_sigreturn`) and `ecall`.
pub const TRAMPOLINE: [u32; 2] = [0x08b0_0893, 0x0000_0073];

/// A `stack_t` as saved in `uc_stack`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct SavedStack {
    pub sp: u64,
    pub flags: u32,
    pub size: u64,
}

/// The thread state a frame saves.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Context {
    /// `pc`, then `x1..x31` (the order of `struct user_regs_struct`).
    pub regs: [u64; 32],
    pub fregs: [u64; 32],
    pub fcsr: u32,
    /// The blocked mask to restore.
    pub mask: u64,
    pub stack: SavedStack,
    /// The vector state, when the frame has (or is to have) a vector context.
    pub vector: Option<VectorState>,
}

fn put(buf: &mut [u8], offset: usize, bytes: &[u8]) {
    buf[offset..offset + bytes.len()].copy_from_slice(bytes);
}

fn u64_at(buf: &[u8], offset: usize) -> u64 {
    u64::from_le_bytes(buf[offset..offset + 8].try_into().unwrap())
}

fn u32_at(buf: &[u8], offset: usize) -> u32 {
    u32::from_le_bytes(buf[offset..offset + 4].try_into().unwrap())
}

/// Writes a frame at `frame` (16-byte aligned, `FRAME_SIZE` bytes, guest-writable).
pub fn write(
    mem: &GuestMemory,
    frame: GuestAddr,
    info: &SigInfo,
    ctx: &Context,
) -> Result<(), MemFault> {
    let mut buf = vec![0u8; size(ctx.vector.is_some()) as usize];
    put(&mut buf, 0, &info.0);
    let uc = &mut buf[SigInfo::SIZE..];
    put(uc, UC_STACK, &ctx.stack.sp.to_le_bytes());
    put(uc, UC_STACK + 8, &ctx.stack.flags.to_le_bytes());
    put(uc, UC_STACK + 16, &ctx.stack.size.to_le_bytes());
    put(uc, UC_SIGMASK, &ctx.mask.to_le_bytes());
    let mc = &mut uc[UC_MCONTEXT..];
    for (i, r) in ctx.regs.iter().enumerate() {
        put(mc, i * 8, &r.to_le_bytes());
    }
    for (i, f) in ctx.fregs.iter().enumerate() {
        put(mc, SC_FPREGS + i * 8, &f.to_le_bytes());
    }
    put(mc, SC_FCSR, &ctx.fcsr.to_le_bytes());
    // The END header is all zero; a vector context goes before it.
    if let Some(v) = &ctx.vector {
        let state = SC_EXT_HDR + CTX_HDR_SIZE;
        let data = state + V_STATE_SIZE;
        let datap = frame + UCONTEXT + (UC_MCONTEXT + data) as u64;
        put(mc, SC_EXT_HDR, &V_MAGIC.to_le_bytes());
        put(mc, SC_EXT_HDR + 4, &(V_CONTEXT_SIZE as u32).to_le_bytes());
        let vcsr = vm_vector::read_csr(v, Csr::Vcsr).unwrap_or(0);
        for (i, field) in [v.vstart, v.vl, v.vtype, vcsr, VLENB as u64, datap]
            .iter()
            .enumerate()
        {
            put(mc, state + i * 8, &field.to_le_bytes());
        }
        put(mc, data, &v.regs);
    }
    mem.write_bytes(frame, &buf)
}

/// Reads the context saved in the frame at `frame`. `vector` is the thread's vector
/// state, which a vector context in the frame replaces.
pub fn read(
    mem: &GuestMemory,
    frame: GuestAddr,
    vector: &VectorState,
) -> Result<Context, FrameError> {
    let uc = mem.slice(frame + UCONTEXT, UCONTEXT_SIZE as u64)?;
    let mc = &uc[UC_MCONTEXT..];
    if u32_at(mc, SC_EXT_RESERVED) != 0 {
        return Err(FrameError::Invalid("sc_extdesc.reserved is not zero"));
    }
    let mcontext = frame + UCONTEXT + UC_MCONTEXT as u64;
    let vector = read_extensions(mem, mcontext + SC_EXT_HDR as u64, vector)?;
    Ok(Context {
        regs: std::array::from_fn(|i| u64_at(mc, i * 8)),
        fregs: std::array::from_fn(|i| u64_at(mc, SC_FPREGS + i * 8)),
        fcsr: u32_at(mc, SC_FCSR),
        mask: u64_at(uc, UC_SIGMASK),
        stack: SavedStack {
            sp: u64_at(uc, UC_STACK),
            flags: u32_at(uc, UC_STACK + 8),
            size: u64_at(uc, UC_STACK + 16),
        },
        vector,
    })
}

/// Walks the extension-context chain starting at `hdr`; returns the vector state its
/// vector context describes (`current` changed as restoring it changes it), if it has
/// one.
fn read_extensions(
    mem: &GuestMemory,
    mut hdr: GuestAddr,
    current: &VectorState,
) -> Result<Option<VectorState>, FrameError> {
    let mut vector = None;
    loop {
        let h = mem.slice(hdr, CTX_HDR_SIZE as u64)?;
        let (magic, size) = (u32_at(h, 0), u32_at(h, 4));
        match magic {
            END_MAGIC if size == 0 => return Ok(vector),
            END_MAGIC => return Err(FrameError::Invalid("END header with a size")),
            V_MAGIC if size as u64 == V_CONTEXT_SIZE => {
                vector = Some(read_vector(mem, hdr + CTX_HDR_SIZE as u64, current)?);
            }
            V_MAGIC => return Err(FrameError::Invalid("vector context of the wrong size")),
            _ => return Err(FrameError::Invalid("unknown extension magic")),
        }
        hdr = hdr.wrapping_add(size as u64);
    }
}

/// The vector state a `struct __riscv_v_ext_state` at `state` restores: the registers
/// from where its `datap` points, `vl` and `vtype` as `vsetvl` sets them (an unsupported
/// `vtype` gives `vill`), then `vstart` and `vcsr` as CSR writes keep them. `vlenb` is
/// ignored, as Linux ignores it.
fn read_vector(
    mem: &GuestMemory,
    state: GuestAddr,
    current: &VectorState,
) -> Result<VectorState, FrameError> {
    let s = mem.slice(state, V_STATE_SIZE as u64)?;
    let [vstart, vl, vtype, vcsr, _vlenb, datap] = std::array::from_fn(|i| u64_at(s, i * 8));
    let mut v = current.clone();
    let regs = mem.slice(datap, v.regs.len() as u64)?;
    v.regs.copy_from_slice(regs);
    match VType::decode(vtype) {
        Some(config) => {
            v.vtype = vtype;
            v.vl = vl.min(config.vlmax());
        }
        None => {
            v.vtype = VTYPE_VILL;
            v.vl = 0;
        }
    }
    vm_vector::write_csr(&mut v, Csr::Vstart, vstart);
    vm_vector::write_csr(&mut v, Csr::Vcsr, vcsr);
    Ok(v)
}
