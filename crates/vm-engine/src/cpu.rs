//! The architectural state of one guest hart (one guest thread).
//!
//! It is `#[repr(C)]` because compiled code will reach it through the context pointer at
//! fixed offsets. Registers live in the IR's flat slot file (see `vm_ir`): `x0..x31`,
//! `f0..f31` (raw bits), then the temporaries of the current instruction.

use vm_ir::{freg, xreg, GuestAddr, NUM_SLOTS};

/// `fcsr` layout: `frm` in bits 5..8, `fflags` in bits 0..5.
pub const FFLAGS_MASK: u32 = 0x1f;
pub const FRM_SHIFT: u32 = 5;

/// Length of [`CpuState::regs`]: one entry per possible [`vm_ir::Slot`] value, so that the
/// interpreter indexes it with any slot without a bounds check. Entries from
/// [`NUM_SLOTS`] on are never used.
pub const REG_FILE_LEN: usize = u8::MAX as usize + 1;
const _: () = assert!(NUM_SLOTS <= REG_FILE_LEN);

#[repr(C)]
#[derive(Clone, Debug)]
pub struct CpuState {
    /// The flat register file: guest x, guest f, temporaries (then unused entries).
    pub regs: [u64; REG_FILE_LEN],
    /// Address of the next instruction to execute (or of the trapping instruction after
    /// an exit).
    pub pc: GuestAddr,
    /// The floating-point control and status register (frm and fflags).
    pub fcsr: u32,
    /// What the last `lr` reserved, if its reservation still stands.
    pub reservation: Option<LoadReservation>,
    /// Guest instructions retired so far.
    pub instret: u64,
    /// The V extension's registers and CSRs.
    pub vector: vm_vector::VectorState,
}

impl Default for CpuState {
    fn default() -> Self {
        CpuState {
            regs: [0; REG_FILE_LEN],
            pc: 0,
            fcsr: 0,
            reservation: None,
            instret: 0,
            vector: vm_vector::VectorState::default(),
        }
    }
}

/// A load-reserved's reservation: its address and the value it read. A later
/// store-conditional to the same address succeeds if the word still holds that value,
/// which it checks and stores in one atomic compare-and-exchange; so another thread's
/// store in between makes it fail (a store of the very same value does not, the ABA case
/// that constrained LR/SC loops never observe).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct LoadReservation {
    pub addr: GuestAddr,
    pub value: u64,
}

impl CpuState {
    /// Integer register `x{n}`.
    pub fn x(&self, n: u32) -> u64 {
        self.regs[xreg(n) as usize]
    }

    /// Sets integer register `x{n}`; writes to `x0` are ignored.
    pub fn set_x(&mut self, n: u32, value: u64) {
        if n != 0 {
            self.regs[xreg(n) as usize] = value;
        }
    }

    /// Raw bits of FP register `f{n}`.
    pub fn f(&self, n: u32) -> u64 {
        self.regs[freg(n) as usize]
    }

    pub fn set_f(&mut self, n: u32, bits: u64) {
        self.regs[freg(n) as usize] = bits;
    }

    /// The dynamic rounding mode field.
    pub fn frm(&self) -> u32 {
        (self.fcsr >> FRM_SHIFT) & 7
    }
}

/// ABI register numbers used by the system-call and signal conventions.
pub mod abi {
    pub const RA: u32 = 1;
    pub const SP: u32 = 2;
    pub const A0: u32 = 10;
    pub const A7: u32 = 17;
}
