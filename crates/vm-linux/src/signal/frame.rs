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
//!                     padding; its last 12 bytes hold the extension-context header,
//!                     all zero here (the END header: no vector state)
//! ```
//!
//! Handlers return through `ra`, which points at a two-instruction trampoline
//! (`li a7, 139; ecall`, i.e. `rt_sigreturn`) — the exact bytes of the kernel's vDSO
//! `__vdso_rt_sigreturn`, which unwinders recognise to step through signal frames.

use super::SigInfo;
use vm_ir::GuestAddr;
use vm_memory::{GuestMemory, MemFault};

/// Size of the frame: siginfo plus ucontext.
pub const FRAME_SIZE: u64 = (SigInfo::SIZE + UCONTEXT_SIZE) as u64;
/// Offset of the ucontext within the frame.
pub const UCONTEXT: u64 = SigInfo::SIZE as u64;

const UCONTEXT_SIZE: usize = 960;
const UC_STACK: usize = 16;
const UC_SIGMASK: usize = 40;
const UC_MCONTEXT: usize = 176;
const SC_FPREGS: usize = 256;
const SC_FCSR: usize = SC_FPREGS + 32 * 8;

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
    let mut buf = vec![0u8; FRAME_SIZE as usize];
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
    mem.write_bytes(frame, &buf)
}

/// Reads the context saved in the frame at `frame`.
pub fn read(mem: &GuestMemory, frame: GuestAddr) -> Result<Context, MemFault> {
    let uc = mem.slice(frame + UCONTEXT, UCONTEXT_SIZE as u64)?;
    let mc = &uc[UC_MCONTEXT..];
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
    })
}
