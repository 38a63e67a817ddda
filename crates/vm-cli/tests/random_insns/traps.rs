//! Units that trap, or may: raw instruction words from the encoding spaces where a
//! decoder decides legal from reserved, privileged and unsupported instructions, memory
//! accesses that fault, misaligned atomics, FP operations under an invalid `frm`,
//! breakpoints, fetch faults and failing system calls. The program's handler logs each
//! signal (see `program.rs`) and resumes, so the trap and the state around it are both
//! compared.
//!
//! Raw words are drawn only where any legal instruction is harmless: `rd` is never sp,
//! memory accesses use sp or a base set from it, and control transfers, `SYSTEM` (which
//! holds the nondeterministic counters) and the cache-block operations are left out.
//! What qemu's default CPU runs beyond what vm claims (RV64GC, Zba, Zbb, Zbs, Zicsr,
//! Zifencei) is left out too: Zbc's `clmul`, `clmulr`, `clmulh`; and so are the words
//! qemu 7.2 gets wrong: `ctzw` (on a zero low word). The extensions vm runs and qemu 7.2
//! does not know (V, Zicond, Zfh, Zfa, Zcb, Zcmop) are left out as well, drawn as words
//! illegal in both: their reference is `tests/rva23` under a newer qemu.

use super::{label, r_type, x_number, ChunkGen};
use crate::program::SCRATCH_FROM_SP;

/// `funct7` values near the legal ones of `OP` and `OP-32` (RV64I, M, Zba, Zbb, Zbs).
const NEAR_FUNCT7: &[u32] = &[
    0x00, 0x01, 0x02, 0x04, 0x05, 0x08, 0x10, 0x14, 0x20, 0x21, 0x24, 0x30, 0x34, 0x35, 0x40,
];

/// `funct5` values of `OP-FP`, legal ones first.
const FP_FUNCT5: &[u32] = &[
    0x00, 0x01, 0x02, 0x03, 0x0b, 0x04, 0x05, 0x08, 0x14, 0x18, 0x1a, 0x1c, 0x1e,
];

/// Addresses that are mapped neither under vm nor under qemu (on any x86-64 host), 64
/// bytes on at least: the program's first page is at 0x10000.
const UNMAPPED: &[u64] = &[0, 8, 0x800, 0xf000];

/// Privileged, removed and unsupported SYSTEM words, all illegal in user mode. The
/// `csrrs`/`csrrc` writes to read-only counters use sp, which is never zero: qemu 7.2
/// decides whether they write by the register's value, where Zicsr says any rs1 other
/// than x0 writes ("will still attempt to write the unmodified value back").
const SYSTEM: &[(u32, &str)] = &[
    (0x1050_0073, "wfi"),
    (0x3020_0073, "mret"),
    (0x1020_0073, "sret"),
    (0x0020_0073, "uret"),
    (0x7b20_0073, "dret"),
    (0x1200_0073, "sfence.vma"),
    (0x12b5_0073, "sfence.vma a0, a1"),
    (0x0000_8073, "ecall with rs1 = x1"),
    (0x0010_00f3, "ebreak with rd = x1"),
    (0x3000_2573, "csrr a0, mstatus"),
    (0x1000_2573, "csrr a0, sstatus"),
    (0x1800_2573, "csrr a0, satp"),
    (0xf140_2573, "csrr a0, mhartid"),
    (0xc830_2573, "csrr a0, hpmcounter3h"),
    (0x0150_2573, "csrr a0, seed"),
    (0xc800_2573, "csrr a0, cycleh"),
    (0x0040_2573, "csrr a0, 0x004"),
    (0x8000_2573, "csrr a0, 0x800"),
    (0xc005_1073, "csrw cycle, a0"),
    (0xc010_5073, "csrwi time, 0"),
    (0xc021_2073, "csrs instret, sp"),
    (0xc001_3573, "csrrc a0, cycle, sp"),
    (0x0030_4073, "funct3 4 in SYSTEM"),
];

fn raw(word: u32, what: &str) -> String {
    format!(".4byte {word:#010x}  /* {what} */")
}

impl ChunkGen<'_> {
    pub(super) fn trap(&mut self) -> Vec<String> {
        match self.rng.below(14) {
            0..=2 => vec![self.word_alu()],
            3 | 4 => vec![self.word_fp()],
            5 => vec![self.word_memory()],
            6 => self.word_amo(),
            7 => vec![self.word_other()],
            8 => vec![self.word_system()],
            9 => vec![self.half()],
            10 => self.invalid_frm(),
            11 => self.bad_access(),
            12 if self.rng.chance(30) => self.fetch_across_page(),
            12 => self.fetch_fault(),
            _ => self.breakpoint_or_syscall(),
        }
    }

    /// A register field for a destination: anything but sp.
    fn rd_field(&mut self) -> u32 {
        let r = self.rng.below(31) as u32;
        if r >= 2 {
            r + 1
        } else {
            r
        }
    }

    fn field(&mut self, bits: u32) -> u32 {
        self.rng.below(1 << bits) as u32
    }

    /// A word of `OP`, `OP-32`, `OP-IMM` or `OP-IMM-32`.
    fn word_alu(&mut self) -> String {
        let opcode = self.rng.pick(&[0x33, 0x3b, 0x13, 0x1b]);
        let funct3 = self.field(3);
        let funct7 = if self.rng.chance(75) {
            self.rng.pick(NEAR_FUNCT7)
        } else {
            self.field(7)
        };
        // Zbc, which qemu runs and vm does not claim.
        let funct3 = if opcode == 0x33 && funct7 == 0x05 && (1..=3).contains(&funct3) {
            funct3 + 3
        } else {
            funct3
        };
        let mut rs2 = if self.rng.chance(30) {
            self.field(3)
        } else {
            self.field(5)
        };
        // ctzw, which qemu gets wrong on a zero low word (see `ChunkGen::ctzw`): cpopw.
        if (opcode, funct7, funct3, rs2) == (0x1b, 0x30, 1, 1) {
            rs2 = 2;
        }
        // Zicond's czero.eqz/czero.nez: funct3 4 and 6 instead, illegal in both.
        let funct3 = if opcode == 0x33 && funct7 == 0x07 && matches!(funct3, 5 | 7) {
            funct3 - 1
        } else {
            funct3
        };
        let (rs1, rd) = (self.field(5), self.rd_field());
        let word = r_type(funct7, rs2, rs1, funct3, rd, opcode);
        raw(
            word,
            &format!("opcode {opcode:#x} funct7 {funct7:#x} funct3 {funct3} rs2/imm {rs2}"),
        )
    }

    /// A word of `OP-FP` or of the fused multiply-adds: S, D or Q (not supported), any
    /// rounding mode (5 and 6 are reserved); not Zfh's H nor Zfa (see the module docs).
    fn word_fp(&mut self) -> String {
        let fmt = if self.rng.chance(70) {
            self.field(1)
        } else {
            self.field(2)
        };
        let fmt = if fmt == 2 { 3 } else { fmt };
        let rm = self.field(3);
        let (rs1, rd) = (self.field(5), self.rd_field());
        if self.rng.chance(25) {
            let opcode = self.rng.pick(&[0x43, 0x47, 0x4b, 0x4f]);
            let rs3 = self.field(5);
            let word = r_type((rs3 << 2) | fmt, self.field(5), rs1, rm, rd, opcode);
            return raw(word, &format!("fused {opcode:#x} fmt {fmt} rm {rm}"));
        }
        let funct5 = if self.rng.chance(80) {
            self.rng.pick(FP_FUNCT5)
        } else {
            self.field(5)
        };
        let rs2 = if self.rng.chance(60) {
            self.field(2)
        } else {
            self.field(5)
        };
        let zfa = match funct5 {
            0x1e => rs2 == 1 && rm == 0,             // fli
            0x05 => matches!(rm, 2 | 3),             // fminm, fmaxm
            0x08 => matches!(rs2, 2 | 4 | 5),        // fround, froundnx; fcvt.*.h
            0x14 => matches!(rm, 4 | 5),             // fleq, fltq
            0x18 => rs2 == 8 && rm == 1 && fmt == 1, // fcvtmod.w.d
            _ => false,
        };
        // funct5 0x1f is reserved in both.
        let funct5 = if zfa { 0x1f } else { funct5 };
        let word = r_type((funct5 << 2) | fmt, rs2, rs1, rm, rd, 0x53);
        raw(
            word,
            &format!("OP-FP funct5 {funct5:#x} fmt {fmt} rs2 {rs2} rm/funct3 {rm}"),
        )
    }

    /// A load or store word (integer or FP) with any `funct3`, at sp + a 16-byte aligned
    /// offset inside scratch.
    fn word_memory(&mut self) -> String {
        let opcode = self.rng.pick(&[0x03, 0x23, 0x07, 0x27]);
        let funct3 = self.field(3);
        // Not Zfh's flh/fsh nor the vector accesses (widths 0, 5, 6, 7): width 4 (Q)
        // instead, illegal in both.
        let funct3 = if matches!(opcode, 0x07 | 0x27) && matches!(funct3, 0 | 1 | 5 | 6 | 7) {
            4
        } else {
            funct3
        };
        let offset = 16
            * self
                .rng
                .range(SCRATCH_FROM_SP / 16, -SCRATCH_FROM_SP / 16 - 1);
        let imm = (offset as u32) & 0xfff;
        let word = if opcode == 0x23 || opcode == 0x27 {
            let rs2 = self.field(5);
            ((imm >> 5) << 25)
                | (rs2 << 20)
                | (2 << 15)
                | (funct3 << 12)
                | ((imm & 31) << 7)
                | opcode
        } else {
            (imm << 20) | (2 << 15) | (funct3 << 12) | (self.rd_field() << 7) | opcode
        };
        raw(
            word,
            &format!("opcode {opcode:#x} funct3 {funct3} at sp{offset:+}"),
        )
    }

    /// An `AMO` word with any `funct5` but LR/SC (only paired, see gen.rs), any width,
    /// on an aligned scratch address.
    fn word_amo(&mut self) -> Vec<String> {
        let base = self.xt();
        let at = 8 * self
            .rng
            .range(SCRATCH_FROM_SP / 8, -SCRATCH_FROM_SP / 8 - 2);
        let funct5 = loop {
            let f = self.field(5);
            if f != 0b00010 && f != 0b00011 {
                break f;
            }
        };
        let (aqrl, funct3) = (self.field(2), self.field(3));
        let rs1 = x_number(base);
        let word = r_type(
            (funct5 << 2) | aqrl,
            self.field(5),
            rs1,
            funct3,
            self.rd_field(),
            0x2f,
        );
        vec![
            format!("addi {base}, sp, {at}"),
            raw(
                word,
                &format!("AMO funct5 {funct5:#x} aq/rl {aqrl} funct3 {funct3}"),
            ),
        ]
    }

    /// `MISC-MEM` with a reserved `funct3` (2, the cache-block operations, left out),
    /// the custom and reserved major opcodes, and longer-instruction prefixes (not
    /// `OP-V`, which vm runs and qemu 7.2 without V does not).
    fn word_other(&mut self) -> String {
        let upper = self.field(25);
        let opcode = self
            .rng
            .pick(&[0x0f, 0x0b, 0x2b, 0x5b, 0x7b, 0x77, 0x6b, 0x1f, 0x3f, 0x7f]);
        let mut word = (upper << 7) | opcode;
        if opcode == 0x0f {
            word = (word & !(7 << 12)) | (self.rng.pick(&[3, 4, 5, 6, 7]) << 12);
        }
        raw(word, &format!("opcode {opcode:#x}"))
    }

    fn word_system(&mut self) -> String {
        let (word, what) = self.rng.pick(SYSTEM);
        raw(word, what)
    }

    /// A random compressed parcel from the quadrants and rows where every legal
    /// instruction is harmless: reserved ones trap, the rest run.
    fn half(&mut self) -> String {
        let quadrant_row = self.rng.pick(&[
            (0, 0), // c.addi4spn (zero immediate reserved)
            (1, 0), // c.addi, c.nop
            (1, 1), // c.addiw (rd = x0 reserved)
            (1, 2), // c.li
            (1, 3), // c.lui (rd = sp is c.addi16sp: left out)
            (1, 4), // c.srli, c.srai, c.andi, c.sub ... (reserved slots)
            (2, 0), // c.slli
            (2, 2), // c.lwsp with rd = x0: reserved
            (2, 3), // c.ldsp with rd = x0: reserved
            (2, 4), // c.mv, c.add, c.ebreak, c.jr x0 (reserved)
        ]);
        let (quadrant, row) = quadrant_row;
        let mut bits = self.field(11) << 2;
        let rd_at_7 = |bits: u32, rd: u32| (bits & !(31 << 7)) | (rd << 7);
        match quadrant_row {
            (1, 0..=3) | (2, 0) => bits = rd_at_7(bits, self.rd_field()),
            (2, 2) | (2, 3) => bits = rd_at_7(bits, 0),
            (2, 4) => {
                // Not c.jr/c.jalr with rs1 != 0 (rs2 = 0): a jump to a random address.
                let rs2 = (bits >> 2) & 31;
                let rd = if rs2 == 0 { 0 } else { self.rd_field() };
                bits = rd_at_7(bits, rd);
            }
            _ => {}
        }
        // Not Zcmop's c.mop.n (c.lui of an odd rd < 16 with a zero immediate): a nonzero
        // immediate; not Zcb's c.mul and unary row (the c.subw row's funct2 2 and 3):
        // the c.sub row instead.
        let rd = (bits >> 7) & 31;
        if (quadrant, row) == (1, 3) && bits & 0x107c == 0 && rd % 2 == 1 && rd < 16 {
            bits |= 1 << 12;
        }
        if (quadrant, row) == (1, 4) && (bits >> 10) & 7 == 7 && (bits >> 6) & 1 == 1 {
            bits &= !(1 << 12);
        }
        let half = (row << 13) | bits | quadrant;
        format!(".2byte {half:#06x}  /* quadrant {quadrant} row {row} */")
    }

    /// An invalid rounding mode in `frm`, one or two FP operations (those with a
    /// dynamic rounding mode must trap), and a valid mode again.
    fn invalid_frm(&mut self) -> Vec<String> {
        let bad = self.rng.range(5, 7);
        let mut lines = if self.rng.chance(50) {
            vec![format!("csrrwi {}, frm, {bad}", self.xd())]
        } else {
            let t = self.xt();
            let value = ((bad as u32) << 5) | self.field(5);
            vec![format!("li {t}, {value:#x}"), format!("fscsr {t}")]
        };
        for _ in 0..self.rng.range(1, 2) {
            lines.push(match self.rng.below(6) {
                0 => self.fp_arith(),
                1 => self.fp_fused(),
                2 => self.fp_convert(),
                3 => self.fp_compare(),
                4 => self.fp_sgn_min_max(),
                _ => self.fp_move(),
            });
        }
        lines.push(format!("csrwi frm, {}", self.rng.below(5)));
        lines
    }

    /// Loads, stores and AMOs that fault (unmapped addresses, stores to code,
    /// misaligned atomics) or, loads from code, do not.
    fn bad_access(&mut self) -> Vec<String> {
        let (rd, rs) = (self.xd(), self.xs());
        let kind = self.rng.below(8);
        // c.lw and c.fld need their base in x8..x15.
        let t = if kind == 4 || kind == 7 {
            self.xc()
        } else {
            self.xt()
        };
        let (setup, offset) = match self.rng.below(5) {
            4 => {
                // A misaligned load whose last bytes lie on the unmapped page after the
                // code: the fault is at that page.
                let (op, width) = self.rng.pick(&[
                    ("lh", 2),
                    ("lhu", 2),
                    ("lw", 4),
                    ("lwu", 4),
                    ("ld", 8),
                    ("flw", 4),
                    ("fld", 8),
                ]);
                let before = self.rng.range(1, width - 1);
                let dst = if op.starts_with('f') {
                    self.fr()
                } else {
                    rd.to_string()
                };
                return vec![
                    format!("lla {t}, .Lcode_end-{before}"),
                    format!("{op} {dst}, 0({t})"),
                ];
            }
            0 | 1 => {
                let addr = self.rng.pick(UNMAPPED);
                (format!("li {t}, {addr:#x}"), self.rng.range(0, 64))
            }
            2 => (format!("lla {t}, _start"), 4 * self.rng.range(0, 16)),
            _ => {
                // Misaligned atomics: SIGBUS. (Not sc: qemu lets an sc without a
                // reservation fail without checking alignment, where the spec's A
                // chapter says a misaligned LR/SC raises an exception.)
                let at = self.rng.range(SCRATCH_FROM_SP, -SCRATCH_FROM_SP - 16) | 1;
                let at = at + 2 * self.rng.below(2) as i64;
                // Misaligned and unmapped: misalignment is the exception.
                let setup = if self.rng.chance(25) {
                    format!("li {t}, {:#x}", self.rng.pick(UNMAPPED) + 1)
                } else {
                    format!("addi {t}, sp, {at}")
                };
                let op = self.rng.pick(&[
                    "amoadd.w",
                    "amoswap.d",
                    "amoor.w.aq",
                    "amomaxu.d.rl",
                    "lr.w",
                    "lr.d",
                ]);
                let insn = if op.starts_with("lr") {
                    format!("{op} {rd}, ({t})")
                } else {
                    format!("{op} {rd}, {rs}, ({t})")
                };
                return vec![setup, insn];
            }
        };
        let insn = match kind {
            0 => {
                let op = self.rng.pick(&["lb", "lhu", "lw", "ld"]);
                format!("{op} {rd}, {offset}({t})")
            }
            1 => {
                let op = self.rng.pick(&["sb", "sh", "sw", "sd"]);
                format!("{op} {rs}, {offset}({t})")
            }
            2 => {
                let op = self.rng.pick(&["flw", "fld", "fsw", "fsd"]);
                format!("{op} {}, {offset}({t})", self.fr())
            }
            3 => format!("amoadd.d {rd}, {rs}, ({t})"),
            4 if self.rvc => format!("c.lw {}, 0({t})", self.xc()),
            4 => format!("lw {}, 0({t})", self.xc()),
            5 => format!("amoswap.w.aqrl {rd}, {rs}, ({t})"),
            // From code: the load works, and the store of an sc holding its reservation
            // faults as any store there.
            6 if setup.contains("_start") => {
                // The lr must not overwrite the address (the sc would go elsewhere).
                let rd = self.xt_except(&[t]);
                let sc_rd = self.xd();
                // Aligned: a misaligned sc is left out (see the misaligned atomics).
                return vec![
                    format!("lla {t}, _start+{}", 8 * self.rng.range(0, 8)),
                    format!("andi {t}, {t}, -8"),
                    format!("lr.d {rd}, ({t})"),
                    format!("sc.d {sc_rd}, {rs}, ({t})"),
                ];
            }
            6 => format!("lr.d {rd}, ({t})"),
            _ => {
                let op = if self.rvc { "c.fld" } else { "fld" };
                format!("{op} f{}, 8({t})", self.rng.range(8, 15))
            }
        };
        vec![setup, insn]
    }

    /// A jump to where nothing can be fetched: unmapped memory, or this chunk's data.
    /// The handler resumes at t6, the end of this unit; rd gets its link all the same.
    fn fetch_fault(&mut self) -> Vec<String> {
        let resume = label(self.chunk, self.unit + 1);
        self.targets[self.unit + 1] = true;
        let t = self.xt_except(&["t6"]);
        let target = if self.rng.chance(70) {
            format!("li {t}, {:#x}", self.rng.pick(UNMAPPED))
        } else {
            format!("lla {t}, .Larea{}", self.chunk)
        };
        let jump = if self.rvc && self.rng.chance(30) {
            format!("{} {t}", self.rng.pick(&["c.jr", "c.jalr"]))
        } else {
            format!("jalr {}, {}({t})", self.xd(), 2 * self.rng.range(0, 8))
        };
        vec![format!("lla t6, {resume}"), target, jump]
    }

    /// Code at the end of the last executable page before unmapped memory: the first
    /// half of a 32-bit instruction, whose fetch faults at the next page (si_addr)
    /// while the pc is the instruction's (the privileged spec's rule for the faulting
    /// address of a variable-length instruction, which Linux reports); or a 16-bit
    /// instruction, which runs, and the fetch after it faults.
    fn fetch_across_page(&mut self) -> Vec<String> {
        let t = self.xt_except(&["t6"]);
        let u = self.xt_except(&["t6", t]);
        let (half, what) = self.rng.pick(&[
            (0x0013, "the first half of addi"),
            (0x2503, "the first half of lw a0"),
            (0x0001, "c.nop"),
            (0x0505, "c.addi a0, 1"),
        ]);
        vec![
            format!("lla {t}, .Lcode_end-2"),
            format!("li {u}, {half:#x}  /* {what} */"),
            format!("sh {u}, 0({t})"),
            "fence.i".to_string(),
            "lla t6, 1f".to_string(),
            format!("jr {t}"),
            "1:".to_string(),
        ]
    }

    /// `ebreak` (SIGTRAP), or a system call that fails the same way everywhere.
    fn breakpoint_or_syscall(&mut self) -> Vec<String> {
        match self.rng.below(4) {
            0 => vec!["ebreak".to_string()],
            1 if self.rvc => vec!["c.ebreak".to_string()],
            1 | 2 => vec![
                format!("li a7, {}", self.rng.range(500, 5000)),
                "ecall  /* no such system call: -ENOSYS */".to_string(),
            ],
            // A valid buffer: qemu checks it before the descriptor and would return
            // -EFAULT for a bad one, where Linux returns -EBADF.
            _ => vec![
                "li a0, -1".to_string(),
                "mv a1, sp".to_string(),
                "li a2, 8".to_string(),
                format!("li a7, {}", self.rng.pick(&[57, 63, 64, 80])),
                "ecall  /* close, read, write or fstat of fd -1: -EBADF */".to_string(),
            ],
        }
    }
}
