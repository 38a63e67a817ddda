//! The RISC-V front end: guest machine code to [`vm_ir::IRBlock`]s.
//!
//! The pipeline is one way: [`decode`] (32-bit words) and [`compressed`] (16-bit RVC
//! parcels) produce a typed [`Insn`]; [`lower`] turns one `Insn` into IR ops and, for
//! control transfers, a block exit; [`block`] strings instructions into a block.
//!
//! The supported ISA is exactly RV64GC (I, M, A, F, D, C, Zicsr, Zifencei) plus Zba, Zbb
//! and Zbs, as a Linux user-mode hart sees it. The decoders are total functions: no input
//! panics; anything not in that set is `None`, which the block former turns into an
//! `IllegalInstruction` exit.
//!
//! [`Insn`] implements `Display` in GNU objdump's `-M no-aliases,numeric` syntax (a
//! compressed instruction prints as its expansion); `tests/binutils.rs` compares both
//! decoders against binutils over every selector combination and every 16-bit parcel.

pub mod block;
pub mod compressed;
pub mod decode;
mod disasm;
pub mod insn;
pub mod lower;

pub use block::{translate_block, Translator};
pub use insn::Insn;

/// The most guest instructions one block holds.
pub const MAX_BLOCK_INSNS: usize = 64;

/// The length in bytes (2 or 4) of the instruction whose first 16-bit parcel is `parcel`.
/// Encodings longer than 32 bits (low bits `11111`) count as 4 and never decode.
pub const fn insn_len(parcel: u16) -> u64 {
    if parcel & 3 == 3 {
        4
    } else {
        2
    }
}

#[cfg(test)]
mod tests;
