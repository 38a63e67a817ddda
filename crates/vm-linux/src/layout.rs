//! Where the guest's mappings go. Fixed addresses, so every run of a program maps
//! everything at the same guest addresses (no ASLR): compiled code and its cache keys
//! stay valid from run to run.

use vm_memory::GUEST_SPACE;

/// Top of the initial stack (exclusive), as on Sv39 RISC-V Linux.
pub const STACK_TOP: u64 = GUEST_SPACE;
/// Size of the stack mapping (Linux's default 8 MiB RLIMIT_STACK).
pub const STACK_SIZE: u64 = 8 << 20;
/// Gap kept free below the stack before the mmap area starts (Linux keeps at least
/// 128 MiB).
pub const STACK_GAP: u64 = 128 << 20;
/// `mmap` without a usable hint allocates top-down from here.
pub const MMAP_TOP: u64 = STACK_TOP - STACK_GAP;
/// Load bias of position-independent executables (Linux's ELF_ET_DYN_BASE for riscv64:
/// two thirds of the address space, page-aligned).
pub const PIE_BASE: u64 = (GUEST_SPACE / 3 * 2) & !0xfff;
/// Load bias of the dynamic linker. Linux places it top-down in the mmap area; here it
/// is fixed, 256 MiB below [`MMAP_TOP`]: far above the program and its heap, with the
/// libraries the dynamic linker maps (top-down from `MMAP_TOP`) landing above it first.
pub const INTERP_BASE: u64 = 0x3f_f000_0000 - STACK_GAP;

const _: () = {
    assert!(INTERP_BASE.is_multiple_of(0x1000) && PIE_BASE.is_multiple_of(0x1000));
    // Room for any program and a large heap below the dynamic linker...
    assert!(INTERP_BASE - PIE_BASE >= 64 << 30);
    // ...and for the dynamic linker (ld.so is under 1 MiB) below the mmap top.
    assert!(MMAP_TOP - INTERP_BASE >= 64 << 20);
};
/// The page holding the signal-return trampoline (`ra` of every signal handler), in the
/// gap below the stack, where nothing else is placed.
pub const SIGNAL_TRAMPOLINE: u64 = MMAP_TOP;
