//! The shape of a generated program and of what it prints: a static, non-PIE RISC-V
//! program (`_start`, no libc) made of independent chunks. Each chunk owns a data area
//!
//! ```text
//!   area + 0      init:    66 slots of 8 bytes (x0..x31, f0..f31, fcsr, unused)
//!   area + 528    scratch: 512 bytes of interesting values; sp = area + 784, its middle
//!   area + 1040   result:  66 slots (x0..x31, f0..f31, fcsr, marker), zero at load
//!   area + 1568   traps:   a count and 8 entries (signal, si_code, si_addr, pc)
//! ```
//!
//! loads every register and fcsr from `init`, runs its random instructions, stores every
//! register and fcsr to `result`, and writes `scratch`, `result` and `traps` (one
//! [`Record`]) to stdout. Instructions touch memory only inside `scratch`, through sp or
//! a base register derived from it, except those meant to fault; jumps only go forward,
//! so every program terminates.
//!
//! Faults are logged, not fatal: `_start` installs one handler for SIGILL, SIGTRAP,
//! SIGBUS and SIGSEGV (on an alternate stack) that appends the signal to the `traps` of
//! the chunk the interrupted sp belongs to and resumes after the faulting instruction,
//! or, after a fetch fault (SIGSEGV whose address is the pc), at the address in t6. On
//! the way it adds the signal number to t5 and sets NV in fflags through the signal
//! frame, and clobbers live FP registers and fcsr, which sigreturn must undo.
//!
//! Invariant: the layout constants here are the only description of a record; the
//! generator emits code from them and the test parses output with them.

use std::fmt::Write as _;

/// Slots of 8 bytes in `init` and `result`.
pub const SLOTS: usize = 66;
pub const SLOT_BYTES: usize = 8 * SLOTS;
pub const SCRATCH_BYTES: usize = 512;
/// sp's offset in the area: the middle of `scratch`.
pub const SP_IN_AREA: usize = SLOT_BYTES + SCRATCH_BYTES / 2;
/// Entries of a trap log, and its size: the count, then 4 words per entry.
pub const TRAP_ENTRIES: usize = 8;
pub const TRAP_WORDS: usize = 1 + 4 * TRAP_ENTRIES;
/// Bytes a chunk writes to stdout: `scratch`, `result`, then `traps`.
pub const RECORD_BYTES: usize = SCRATCH_BYTES + SLOT_BYTES + 8 * TRAP_WORDS;
/// Slot numbers: x registers 0..32, f registers 32..64.
pub const F_SLOT: usize = 32;
pub const FCSR_SLOT: usize = 64;
pub const MARKER_SLOT: usize = 65;
/// The marker slot of chunk `i` holds `MARKER | i`, so a record cannot be misread.
pub const MARKER: u64 = 0x5eed_c0de_0000_0000;

/// sp-relative offset of `init` slot `k`.
pub fn init_slot(k: usize) -> i64 {
    (8 * k) as i64 - SP_IN_AREA as i64
}

/// sp-relative offset of `result` slot `k`.
pub fn result_slot(k: usize) -> i64 {
    (SLOT_BYTES + SCRATCH_BYTES + 8 * k) as i64 - SP_IN_AREA as i64
}

/// sp-relative offset of the first byte of `scratch`.
pub const SCRATCH_FROM_SP: i64 = -(SCRATCH_BYTES as i64 / 2);

/// sp-relative offset of `traps`.
pub const TRAPS_FROM_SP: i64 = (SLOT_BYTES + SCRATCH_BYTES + SLOT_BYTES) as i64 - SP_IN_AREA as i64;

/// Code slots per chunk, in a writable and executable section, for code the program
/// writes and then runs.
pub const CODE_SLOTS: usize = 4;
pub const CODE_SLOT_BYTES: usize = 16;
/// Where the linker puts that section (`.rwx`): away from the data, in a segment of its
/// own, so that the data stays non-executable. It fills whole pages, and the page after
/// it is mapped neither under vm nor under qemu, so that code written at its end runs
/// into unmapped memory.
pub const CODE_ADDRESS: u64 = 0x40_0000;

/// The signals the handler catches.
pub const SIGILL: u64 = 4;
pub const SIGTRAP: u64 = 5;
pub const SIGBUS: u64 = 7;
pub const SIGSEGV: u64 = 11;

/// Where the handler finds things in the riscv64 Linux `ucontext_t` and `siginfo_t`:
/// `uc_mcontext.__gregs` (pc, then x1..x31), the FP state after them, and `si_code`,
/// `si_addr`.
const UC_GREGS: i64 = 176;
const SI_CODE: i64 = 8;
/// `uc_mcontext.__fpregs.__d.__fcsr`, after the 32 FP registers.
const UC_FCSR: i64 = UC_GREGS + 8 * 32 + 8 * 32;
const SI_ADDR: i64 = 16;

/// ABI names, by register number.
pub const X_NAMES: [&str; 32] = [
    "zero", "ra", "sp", "gp", "tp", "t0", "t1", "t2", "s0", "s1", "a0", "a1", "a2", "a3", "a4",
    "a5", "a6", "a7", "s2", "s3", "s4", "s5", "s6", "s7", "s8", "s9", "s10", "s11", "t3", "t4",
    "t5", "t6",
];
pub const F_NAMES: [&str; 32] = [
    "ft0", "ft1", "ft2", "ft3", "ft4", "ft5", "ft6", "ft7", "fs0", "fs1", "fa0", "fa1", "fa2",
    "fa3", "fa4", "fa5", "fa6", "fa7", "fs2", "fs3", "fs4", "fs5", "fs6", "fs7", "fs8", "fs9",
    "fs10", "fs11", "ft8", "ft9", "ft10", "ft11",
];

/// The name of slot `k` in a report: `x10 (a0)`, `f3 (ft3)`, `fcsr`.
pub fn slot_name(k: usize) -> String {
    match k {
        0..F_SLOT => format!("x{k} ({})", X_NAMES[k]),
        F_SLOT..FCSR_SLOT => format!("f{} ({})", k - F_SLOT, F_NAMES[k - F_SLOT]),
        FCSR_SLOT => "fcsr".to_string(),
        _ => "marker".to_string(),
    }
}

/// One chunk: its starting state and its random instructions, as assembly lines.
#[derive(Clone, Debug)]
pub struct Chunk {
    /// x0..x31 (x0 and sp unused), f0..f31, fcsr, unused.
    pub init: [u64; SLOTS],
    pub scratch: [u64; SCRATCH_BYTES / 8],
    /// Whether the assembler may compress instructions (`.option rvc`).
    pub rvc: bool,
    /// The random instructions, with their labels, one assembly line each.
    pub body: Vec<String>,
}

/// A whole program: what the generator produced for one seed.
#[derive(Clone, Debug)]
pub struct Program {
    pub seed: u64,
    pub chunks: Vec<Chunk>,
}

impl Program {
    /// The assembly source (`.S`), for `riscv64-linux-gnu-gcc -nostdlib -static -no-pie`.
    pub fn source(&self) -> String {
        let mut s = String::new();
        let _ = writeln!(
            s,
            "/* Random instructions, seed {}: generated by crates/vm-cli/tests/random_insns.rs.\n   \
             Each chunk prints its scratch memory and final registers; see program.rs. */",
            self.seed
        );
        // No relaxation: alignment in code is then exact (`--no-relax` at link time
        // would leave the assembler's worst-case padding).
        s.push_str("    .option norelax\n    .text\n    .option norvc\n");
        trap_handler(&mut s);
        s.push_str("    .globl _start\n_start:\n");
        install_handler(&mut s);
        for (i, chunk) in self.chunks.iter().enumerate() {
            chunk_code(&mut s, i, chunk);
        }
        s.push_str("    li a0, 0\n    li a7, 93\n    ecall\n\n    .data\n");
        for (i, chunk) in self.chunks.iter().enumerate() {
            chunk_data(&mut s, i, chunk);
        }
        handler_data(&mut s);
        s.push_str("    .section .rwx, \"awx\", @progbits\n");
        for i in 0..self.chunks.len() {
            let _ = writeln!(
                s,
                "    .balign 16\n.Lcode{i}:\n    .zero {}",
                CODE_SLOTS * CODE_SLOT_BYTES
            );
        }
        // The section ends at a page end, with nothing mapped after it.
        s.push_str("    .balign 4096\n.Lcode_end:\n");
        s
    }
}

/// The signal handler (see the module docs): a0 = signal, a1 = siginfo, a2 = ucontext.
/// It may use any register: sigreturn restores the interrupted ones, FP registers and
/// fcsr included, which it clobbers on purpose (fcsr with an invalid rounding mode).
/// It also changes the interrupted state through the frame, as handlers may: t5 grows
/// by the signal number and fflags gets NV, so the final state shows both were read
/// back.
fn trap_handler(s: &mut String) {
    let pc = UC_GREGS;
    let sp = UC_GREGS + 8 * 2;
    let t5 = UC_GREGS + 8 * 30;
    let t6 = UC_GREGS + 8 * 31;
    let _ = write!(
        s,
        "\
/* The trap handler: log the signal in the chunk's trap log, resume after the
   faulting instruction (after a fetch fault: at t6). */
.Ltrap_handler:
    ld t0, {sp}(a2)
    addi t0, t0, {TRAPS_FROM_SP}
    ld t1, 0(t0)
    li t2, {TRAP_ENTRIES}
    bgeu t1, t2, 1f
    slli t2, t1, 5
    add t2, t2, t0
    sd a0, 8(t2)
    lw t3, {SI_CODE}(a1)
    sd t3, 16(t2)
    ld t3, {SI_ADDR}(a1)
    sd t3, 24(t2)
    ld t3, {pc}(a2)
    sd t3, 32(t2)
1:  addi t1, t1, 1
    sd t1, 0(t0)
    ld t3, {t5}(a2)
    add t3, t3, a0
    sd t3, {t5}(a2)
    lw t3, {UC_FCSR}(a2)
    ori t3, t3, 0x10
    sw t3, {UC_FCSR}(a2)
    fmv.d.x ft0, a1
    fmv.d.x fa0, a2
    fmv.d.x ft11, zero
    li t3, 0xff
    fscsr t3
    ld t3, {pc}(a2)
    ld t4, {SI_ADDR}(a1)
    li t5, {SIGSEGV}
    bne a0, t5, 2f
    bne t3, t4, 2f
    ld t3, {t6}(a2)
    j 3f
2:  lhu t4, 0(t3)
    andi t4, t4, 3
    li t5, 3
    addi t3, t3, 2
    bne t4, t5, 3f
    addi t3, t3, 2
3:  sd t3, {pc}(a2)
    ret
"
    );
}

/// `sigaltstack` and one `rt_sigaction` (SA_SIGINFO | SA_ONSTACK) per caught signal.
fn install_handler(s: &mut String) {
    s.push_str("    lla a0, .Lsigaltstack\n    li a1, 0\n    li a7, 132\n    ecall\n");
    for sig in [SIGILL, SIGTRAP, SIGBUS, SIGSEGV] {
        let _ = write!(
            s,
            "    li a0, {sig}\n    lla a1, .Lsigaction\n    li a2, 0\n    li a3, 8\n    \
             li a7, 134\n    ecall\n"
        );
    }
}

fn chunk_code(s: &mut String, i: usize, chunk: &Chunk) {
    let _ = writeln!(s, "\n/* ---- chunk {i} ---- */");
    s.push_str(if chunk.rvc {
        "    .option rvc\n"
    } else {
        "    .option norvc\n"
    });
    let _ = writeln!(s, "    lla sp, .Larea{i}+{SP_IN_AREA}");
    let _ = writeln!(s, "    ld t0, {}(sp)", init_slot(FCSR_SLOT));
    s.push_str("    fscsr t0\n");
    for f in 0..32 {
        let _ = writeln!(s, "    fld f{f}, {}(sp)", init_slot(F_SLOT + f));
    }
    for x in (1..32).filter(|&x| x != 2) {
        let _ = writeln!(s, "    ld x{x}, {}(sp)", init_slot(x));
    }
    for line in &chunk.body {
        if line.ends_with(':') {
            let _ = writeln!(s, "{line}");
        } else {
            let _ = writeln!(s, "    {line}");
        }
    }
    // The state: every x (sp included, which must be intact), every f, fcsr, the marker.
    s.push_str("    .option norvc\n");
    for x in 1..32 {
        let _ = writeln!(s, "    sd x{x}, {}(sp)", result_slot(x));
    }
    for f in 0..32 {
        let _ = writeln!(s, "    fsd f{f}, {}(sp)", result_slot(F_SLOT + f));
    }
    s.push_str("    frcsr t0\n");
    let _ = writeln!(s, "    sd t0, {}(sp)", result_slot(FCSR_SLOT));
    let _ = writeln!(s, "    li t0, {:#x}", MARKER | i as u64);
    let _ = writeln!(s, "    sd t0, {}(sp)", result_slot(MARKER_SLOT));
    // write(1, scratch, RECORD_BYTES)
    let _ = writeln!(s, "    addi a1, sp, {SCRATCH_FROM_SP}");
    let _ = writeln!(s, "    li a2, {RECORD_BYTES}");
    s.push_str("    li a0, 1\n    li a7, 64\n    ecall\n");
}

/// The handler's `struct sigaction` and `stack_t`, and the alternate stack.
fn handler_data(s: &mut String) {
    s.push_str(
        "    .balign 8
.Lsigaction:
    .dword .Ltrap_handler, 0x08000004, 0  /* handler, SA_SIGINFO | SA_ONSTACK, mask */
.Lsigaltstack:
    .dword .Laltstack, 0, 16384  /* ss_sp, ss_flags, ss_size */
    .bss
    .balign 16
.Laltstack:
    .zero 16384
",
    );
}

fn chunk_data(s: &mut String, i: usize, chunk: &Chunk) {
    let _ = writeln!(s, "    .balign 16\n.Larea{i}:");
    for (k, v) in chunk.init.iter().enumerate() {
        let _ = writeln!(s, "    .dword {v:#018x}  /* {} */", slot_name(k));
    }
    for (k, v) in chunk.scratch.iter().enumerate() {
        let _ = writeln!(
            s,
            "    .dword {v:#018x}  /* sp{:+} */",
            SCRATCH_FROM_SP + 8 * k as i64
        );
    }
    let _ = writeln!(s, "    .zero {}", SLOT_BYTES + 8 * TRAP_WORDS);
}

/// What one chunk printed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Record {
    pub scratch: Vec<u64>,
    pub slots: Vec<u64>,
    /// The trap log: the count, then (signal, si_code, si_addr, pc) per entry.
    pub traps: Vec<u64>,
}

impl Record {
    /// The logged traps: (signal, si_code, si_addr, pc).
    pub fn trap_entries(&self) -> Vec<[u64; 4]> {
        let n = (self.traps[0] as usize).min(TRAP_ENTRIES);
        (0..n)
            .map(|i| {
                let e = &self.traps[1 + 4 * i..5 + 4 * i];
                [e[0], e[1], e[2], e[3]]
            })
            .collect()
    }
}

/// Splits a program's stdout into records. Returns the complete, well-marked records
/// and, if the output does not end after the last of them, why.
pub fn parse_records(stdout: &[u8]) -> (Vec<Record>, Option<String>) {
    let words = |bytes: &[u8]| -> Vec<u64> {
        bytes
            .chunks_exact(8)
            .map(|w| u64::from_le_bytes(w.try_into().expect("8 bytes")))
            .collect()
    };
    let mut records = Vec::new();
    for (i, raw) in stdout.chunks(RECORD_BYTES).enumerate() {
        if raw.len() < RECORD_BYTES {
            return (
                records,
                Some(format!("a truncated record of {} bytes", raw.len())),
            );
        }
        let (scratch, rest) = raw.split_at(SCRATCH_BYTES);
        let (slots, traps) = rest.split_at(SLOT_BYTES);
        let record = Record {
            scratch: words(scratch),
            slots: words(slots),
            traps: words(traps),
        };
        let marker = record.slots[MARKER_SLOT];
        if marker != MARKER | i as u64 {
            return (
                records,
                Some(format!("record {i} has the marker {marker:#x}")),
            );
        }
        records.push(record);
    }
    (records, None)
}
