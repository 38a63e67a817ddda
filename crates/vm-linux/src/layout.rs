//! Where the guest's mappings go. Fixed addresses, so every run of a program maps
//! everything at the same guest addresses (no ASLR): compiled code and its cache keys
//! stay valid from run to run.

use vm_memory::GUEST_SPACE;

/// Top of the initial stack (exclusive), as on Sv39 RISC-V Linux.
pub const STACK_TOP: u64 = GUEST_SPACE;
/// Gap kept free below the stack before the mmap area starts (Linux keeps at least
/// 128 MiB).
pub const STACK_GAP: u64 = 128 << 20;
/// The largest stack: the gap less the signal trampoline's page at its bottom and
/// Linux's 1 MiB guard gap above that (rounded to 126 MiB). An unlimited
/// `RLIMIT_STACK` gets this much; Linux would let the stack grow until it met another
/// mapping.
pub const MAX_STACK_SIZE: u64 = STACK_GAP - (2 << 20);
/// The least room a new stack has below its arguments, whatever the limit: Linux's
/// `stack_expand` at exec.
const STACK_EXPAND: u64 = 128 << 10;

/// Size of the main thread's stack mapping for a soft `RLIMIT_STACK` of `limit` bytes,
/// with `args` bytes of arguments, environment and auxiliary data at its top.
///
/// Linux maps a small stack at exec and grows it on faults below it while it stays
/// within the limit in force at the fault; vm maps what the limit allows at once
/// (growing it when the guest raises the limit, `syscall::mem::grow_stack`), so an access
/// past the limit faults as on Linux. At exec Linux lets the arguments and
/// `STACK_EXPAND` exceed a small limit, and so does this.
pub fn stack_mapping_size(limit: u64, args: u64) -> u64 {
    let least = vm_memory::page_ceil(args.saturating_add(STACK_EXPAND));
    vm_memory::page_ceil(limit.min(MAX_STACK_SIZE))
        .max(least)
        .min(MAX_STACK_SIZE)
}

/// No stack limit lets arguments and environment take more than 6 MiB (`_STK_LIM / 4 * 3`).
pub const ARG_LIMIT_CEILING: u64 = 6 << 20;

/// Linux's limit on the bytes of arguments and environment an exec may pass: a
/// quarter of the soft stack limit, at least 32 pages and at most [`ARG_LIMIT_CEILING`].
pub fn arg_limit(stack_limit: u64) -> u64 {
    (stack_limit / 4).clamp(32 * 4096, ARG_LIMIT_CEILING)
}
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
