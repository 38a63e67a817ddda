//! A debugger's watchpoints: guest memory ranges whose reads, writes or both stop the
//! guest before the instruction that accesses them.
//!
//! A RISC-V hart's triggers fire before the access commits, and gdb expects that of a
//! RISC-V target (its "non-steppable" watchpoints): on the stop it removes the
//! watchpoint, steps over the instruction and compares the value. So a hit is a trap of
//! its own, as precise as a memory fault: `cpu.pc` names the accessing instruction and
//! nothing of it ran.
//!
//! Only accesses the guest's instructions make are watched; memory the system writes for
//! the guest (a `read(2)` buffer) is not, as with Linux's hardware watchpoints on
//! most machines.

use crate::interp::Trap;
use vm_ir::{GuestAddr, Op};

/// Which accesses of its range a watchpoint stops for (gdb's `watch`, `rwatch`,
/// `awatch`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum WatchKind {
    Write,
    Read,
    Access,
}

/// A watched range, `[addr, addr + len)`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Watchpoint {
    pub addr: GuestAddr,
    pub len: u64,
    pub kind: WatchKind,
}

/// What an access does to memory.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Touch {
    Read,
    Write,
    /// Both (an atomic read-modify-write).
    Update,
}

impl Watchpoint {
    /// The address to report if an access of `[addr, addr + len)` that does `touch`
    /// hits this watchpoint: the first watched byte it accesses (inside both ranges,
    /// as gdb matches the address against the watchpoint's range).
    fn hit(&self, addr: GuestAddr, len: u64, touch: Touch) -> Option<GuestAddr> {
        let wanted = match self.kind {
            WatchKind::Write => touch != Touch::Read,
            WatchKind::Read => touch != Touch::Write,
            WatchKind::Access => true,
        };
        let overlaps = addr < self.addr.saturating_add(self.len.max(1))
            && self.addr < addr.saturating_add(len.max(1));
        (wanted && overlaps).then(|| addr.max(self.addr))
    }
}

/// The trap, if an access of `len` bytes at `addr` doing `touch` hits one of `watch`
/// (the first in order that it hits).
#[inline(never)]
pub(crate) fn check(
    watch: &[Watchpoint],
    addr: GuestAddr,
    len: u64,
    touch: Touch,
) -> Result<(), Trap> {
    match watch
        .iter()
        .find_map(|w| Some((w.hit(addr, len, touch)?, w.kind)))
    {
        Some((addr, kind)) => Err(Trap::Watch { addr, kind }),
        None => Ok(()),
    }
}

/// As [`check`], for the access `op` is about to make (none for ops that do not
/// access memory), its address read from `regs`.
#[inline(never)]
pub(crate) fn check_op(watch: &[Watchpoint], op: &Op, regs: &[u64]) -> Result<(), Trap> {
    let (base, offset, width, touch) = match *op {
        Op::Load {
            width,
            base,
            offset,
            ..
        } => (base, offset, width, Touch::Read),
        Op::Store {
            width,
            base,
            offset,
            ..
        } => (base, offset, width, Touch::Write),
        Op::LoadReserved { width, addr, .. } => (addr, 0, width, Touch::Read),
        // Whether or not it will succeed: the trigger matches the address, as a
        // hart's does.
        Op::StoreConditional { width, addr, .. } => (addr, 0, width, Touch::Write),
        Op::Amo { width, addr, .. } => (addr, 0, width, Touch::Update),
        _ => return Ok(()),
    };
    let addr = regs[base as usize].wrapping_add(offset as i64 as u64);
    check(watch, addr, width.bytes(), touch)
}
