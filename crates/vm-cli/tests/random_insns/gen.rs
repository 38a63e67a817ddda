//! The random instruction generator: per seed, a [`Program`] of chunks, each a starting
//! state and a list of random *units*. A unit is one instruction, or a few that belong
//! together (set up a base address, then load; `lr` ... `sc`). Forward branches and
//! jumps target unit boundaries in the same chunk, so no unit is entered in the middle
//! and every chunk ends.
//!
//! What a unit may do, so that the program stays deterministic and within the spec's
//! constrained behaviour (anything else would make qemu and vm legitimately differ):
//! - never write sp (x2), the base of the chunk's scratch buffer, except `c.addi16sp`
//!   pairs that restore it inside the unit;
//! - access memory only inside the scratch buffer (and the chunk's code slots, which
//!   `self_modifying` writes, fences and runs); AMOs and LR/SC only aligned. The units
//!   of `traps.rs` break these rules on purpose, in ways whose outcome the spec and
//!   Linux fix, and the program's signal handler logs the trap;
//! - never make `frm` invalid: register writes to `frm`/`fcsr` take a value the unit set
//!   itself, and `csrrs` sets no `frm` bits; clearing bits of a valid mode leaves a
//!   valid mode (0..=4);
//! - never read `cycle`, `time` or `instret`;
//! - pair each `sc` with an `lr` of the same width and address with only integer
//!   register arithmetic between them (RISC-V unprivileged spec, "Eventual Success of
//!   Store-Conditional Instructions": other sequences may succeed or fail at the
//!   implementation's choice).

use super::program::{
    Chunk, Program, CODE_SLOTS, CODE_SLOT_BYTES, SCRATCH_BYTES, SCRATCH_FROM_SP, SLOTS, X_NAMES,
};
use super::values::*;

#[path = "compressed.rs"]
mod compressed;
#[path = "float.rs"]
mod float;
#[path = "traps.rs"]
mod traps;

/// Chunks per program and units per chunk: every seed has the same shape, so a seed
/// found by exploration reproduces in any configuration.
pub const CHUNKS: usize = 12;
pub const UNITS: usize = 40;

/// Farthest a branch or jump skips, in units.
const MAX_SKIP: usize = 6;
/// Farthest `c.beqz`/`c.bnez` skip: they reach 256 bytes, and a unit is at most about
/// 110 (`self_modifying` with two rounds; `mul_div` with two 64-bit `li` is 68).
const MAX_C_BRANCH_SKIP: usize = 2;

/// The program for `seed`.
pub fn generate(seed: u64) -> Program {
    let mut rng = Rng::new(seed);
    let chunks = (0..CHUNKS).map(|i| chunk(&mut rng, i)).collect();
    Program { seed, chunks }
}

fn chunk(rng: &mut Rng, index: usize) -> Chunk {
    let mut init = [0u64; SLOTS];
    for (k, slot) in init.iter_mut().enumerate() {
        *slot = match k {
            0 | 2 | 65 => 0,
            1..=31 => int_value(rng),
            32..=63 => fp_value(rng),
            _ => fcsr_value(rng),
        };
    }
    let mut scratch = [0u64; SCRATCH_BYTES / 8];
    for word in &mut scratch {
        *word = any_value(rng);
    }
    let rvc = rng.chance(75);
    let mut g = ChunkGen {
        rng,
        chunk: index,
        unit: 0,
        targets: vec![false; UNITS + 1],
        rvc,
    };
    let mut units = Vec::with_capacity(UNITS);
    for u in 0..UNITS {
        g.unit = u;
        units.push(g.unit_lines());
    }
    let mut body = Vec::new();
    for (u, lines) in units.into_iter().enumerate() {
        if g.targets[u] {
            body.push(label(index, u) + ":");
        }
        body.extend(lines);
    }
    if g.targets[UNITS] {
        body.push(label(index, UNITS) + ":");
    }
    Chunk {
        init,
        scratch,
        rvc,
        body,
    }
}

fn label(chunk: usize, unit: usize) -> String {
    format!(".L{chunk}_{unit}")
}

/// An R-type instruction word.
fn r_type(funct7: u32, rs2: u32, rs1: u32, funct3: u32, rd: u32, opcode: u32) -> u32 {
    (funct7 << 25) | (rs2 << 20) | (rs1 << 15) | (funct3 << 12) | (rd << 7) | opcode
}

/// The number of the register named `name`.
fn x_number(name: &str) -> u32 {
    X_NAMES
        .iter()
        .position(|&n| n == name)
        .expect("a register name") as u32
}

/// What a unit exercises; the weights set how often.
#[derive(Clone, Copy)]
enum Kind {
    IntReg,
    IntImm,
    Shift,
    Upper,
    Li,
    Load,
    Store,
    MulDiv,
    Branch,
    Jump,
    Compressed,
    Amo,
    LrSc,
    Bitmanip,
    Fence,
    FpArith,
    FpFused,
    FpSgnMinMax,
    FpCompare,
    FpConvert,
    FpMove,
    FpMemory,
    FpSetup,
    Csr,
    Unusual,
    Trap,
    SelfModifying,
}

const KINDS: &[(Kind, u32)] = &[
    (Kind::IntReg, 8),
    (Kind::IntImm, 6),
    (Kind::Shift, 4),
    (Kind::Upper, 2),
    (Kind::Li, 6),
    (Kind::Load, 6),
    (Kind::Store, 5),
    (Kind::MulDiv, 7),
    (Kind::Branch, 4),
    (Kind::Jump, 2),
    (Kind::Compressed, 9),
    (Kind::Amo, 3),
    (Kind::LrSc, 1),
    (Kind::Bitmanip, 6),
    (Kind::Fence, 1),
    (Kind::FpArith, 7),
    (Kind::FpFused, 4),
    (Kind::FpSgnMinMax, 3),
    (Kind::FpCompare, 3),
    (Kind::FpConvert, 8),
    (Kind::FpMove, 3),
    (Kind::FpMemory, 4),
    (Kind::FpSetup, 6),
    (Kind::Csr, 4),
    (Kind::Unusual, 2),
    (Kind::Trap, 4),
    (Kind::SelfModifying, 1),
];

struct ChunkGen<'a> {
    rng: &'a mut Rng,
    chunk: usize,
    /// The unit being generated.
    unit: usize,
    /// Unit boundaries some branch or jump targets (index `UNITS` is the chunk's end).
    targets: Vec<bool>,
    /// Whether explicit compressed instructions may be used (`.option rvc`).
    rvc: bool,
}

impl ChunkGen<'_> {
    fn unit_lines(&mut self) -> Vec<String> {
        let weights: Vec<u32> = KINDS
            .iter()
            .map(|&(k, w)| match k {
                Kind::Compressed if !self.rvc => 0,
                _ => w,
            })
            .collect();
        match KINDS[self.rng.weighted(&weights)].0 {
            Kind::IntReg => vec![self.int_reg()],
            Kind::IntImm => vec![self.int_imm()],
            Kind::Shift => vec![self.shift()],
            Kind::Upper => {
                let op = self.rng.pick(&["lui", "auipc"]);
                vec![format!("{op} {}, {:#x}", self.xd(), imm20(self.rng))]
            }
            Kind::Li => vec![format!("li {}, {:#x}", self.xd(), int_value(self.rng))],
            Kind::Load => self.load(),
            Kind::Store => self.store(),
            Kind::MulDiv => self.mul_div(),
            Kind::Branch => vec![self.branch()],
            Kind::Jump => self.jump(),
            Kind::Compressed => self.compressed(),
            Kind::Amo => self.amo(),
            Kind::LrSc => self.lr_sc(),
            Kind::Bitmanip => self.bitmanip(),
            Kind::Fence => vec![self.fence()],
            Kind::FpArith => vec![self.fp_arith()],
            Kind::FpFused => vec![self.fp_fused()],
            Kind::FpSgnMinMax => vec![self.fp_sgn_min_max()],
            Kind::FpCompare => vec![self.fp_compare()],
            Kind::FpConvert => vec![self.fp_convert()],
            Kind::FpMove => vec![self.fp_move()],
            Kind::FpMemory => self.fp_memory(),
            Kind::FpSetup => self.fp_setup(),
            Kind::Csr => self.csr(),
            Kind::Unusual => vec![self.unusual()],
            Kind::Trap => self.trap(),
            Kind::SelfModifying => self.self_modifying(),
        }
    }

    // ---- operands ----

    /// A destination: any register but sp, x0 now and then.
    fn xd(&mut self) -> &'static str {
        if self.rng.chance(4) {
            "zero"
        } else {
            self.xt()
        }
    }

    /// A register to clobber with a value the unit needs: not x0, not sp.
    fn xt(&mut self) -> &'static str {
        let n = self.rng.range(1, 30);
        X_NAMES[if n >= 2 { n + 1 } else { n } as usize]
    }

    /// A source: any register.
    fn xs(&mut self) -> &'static str {
        X_NAMES[self.rng.below(32) as usize]
    }

    /// A source other than x0 (`c.mv`, `c.add`).
    fn xs_nonzero(&mut self) -> &'static str {
        X_NAMES[self.rng.range(1, 31) as usize]
    }

    /// One of x8..x15, the registers of compressed 3-bit fields.
    fn xc(&mut self) -> &'static str {
        X_NAMES[self.rng.range(8, 15) as usize]
    }

    fn fr(&mut self) -> String {
        format!("f{}", self.rng.below(32))
    }

    fn fc(&mut self) -> String {
        format!("f{}", self.rng.range(8, 15))
    }

    /// A rounding-mode operand: one of the five static modes, `dyn`, or none (`dyn`).
    fn rm(&mut self) -> &'static str {
        self.rng
            .pick(&["", ", rne", ", rtz", ", rdn", ", rup", ", rmm", ", dyn"])
    }

    fn fmt(&mut self) -> &'static str {
        self.rng.pick(&["s", "d"])
    }

    /// The label of a unit boundary 1..=`max` units ahead (at most the chunk's end).
    fn forward(&mut self, max: usize) -> String {
        let target = (self.unit + self.rng.range(1, max as i64) as usize).min(UNITS);
        self.targets[target] = true;
        label(self.chunk, target)
    }

    /// An sp-relative offset of a `width`-byte access inside scratch: usually aligned.
    fn scratch_offset(&mut self, width: i64) -> i64 {
        let (lo, hi) = (SCRATCH_FROM_SP, -SCRATCH_FROM_SP - width);
        if self.rng.chance(75) {
            self.rng.range(lo / width, hi / width) * width
        } else {
            self.rng.range(lo, hi)
        }
    }

    /// An aligned sp-relative offset for an AMO or LR/SC.
    fn aligned_offset(&mut self, width: i64) -> i64 {
        let (lo, hi) = (SCRATCH_FROM_SP, -SCRATCH_FROM_SP - width);
        self.rng.range(lo / width, hi / width) * width
    }

    /// The address operand of a `width`-byte access inside scratch, with the lines that
    /// set up its base: `sp` itself, or another register set from sp, which makes the
    /// offset anything in the 12-bit range.
    fn address(&mut self, width: i64) -> (Vec<String>, String) {
        let at = self.scratch_offset(width);
        if self.rng.chance(55) {
            return (Vec::new(), format!("{at}(sp)"));
        }
        let base = self.xt();
        let k = self.rng.range(-1500, 1500);
        (
            vec![format!("addi {base}, sp, {k}")],
            format!("{}({base})", at - k),
        )
    }

    // ---- RV64I ----

    fn int_reg(&mut self) -> String {
        const OPS: &[&str] = &[
            "add", "sub", "sll", "slt", "sltu", "xor", "srl", "sra", "or", "and", "addw", "subw",
            "sllw", "srlw", "sraw",
        ];
        if self.rng.chance(15) {
            let op = self.rng.pick(&[
                "neg", "negw", "snez", "sltz", "sgtz", "seqz", "mv", "not", "sext.w",
            ]);
            return format!("{op} {}, {}", self.xd(), self.xs());
        }
        let op = self.rng.pick(OPS);
        format!("{op} {}, {}, {}", self.xd(), self.xs(), self.xs())
    }

    fn int_imm(&mut self) -> String {
        let op = self
            .rng
            .pick(&["addi", "slti", "sltiu", "xori", "ori", "andi", "addiw"]);
        format!("{op} {}, {}, {}", self.xd(), self.xs(), imm12(self.rng))
    }

    fn shift(&mut self) -> String {
        let (op, limit) = self.rng.pick(&[
            ("slli", 64),
            ("srli", 64),
            ("srai", 64),
            ("slliw", 32),
            ("srliw", 32),
            ("sraiw", 32),
        ]);
        format!(
            "{op} {}, {}, {}",
            self.xd(),
            self.xs(),
            shamt(self.rng, limit)
        )
    }

    fn load(&mut self) -> Vec<String> {
        let (op, width) = self.rng.pick(&[
            ("lb", 1),
            ("lbu", 1),
            ("lh", 2),
            ("lhu", 2),
            ("lw", 4),
            ("lwu", 4),
            ("ld", 8),
        ]);
        let (mut lines, addr) = self.address(width);
        lines.push(format!("{op} {}, {addr}", self.xd()));
        lines
    }

    fn store(&mut self) -> Vec<String> {
        let (op, width) = self.rng.pick(&[("sb", 1), ("sh", 2), ("sw", 4), ("sd", 8)]);
        let (mut lines, addr) = self.address(width);
        lines.push(format!("{op} {}, {addr}", self.xs()));
        lines
    }

    fn branch(&mut self) -> String {
        let target = self.forward(MAX_SKIP);
        if self.rng.chance(25) {
            let op = self
                .rng
                .pick(&["beqz", "bnez", "blez", "bgez", "bltz", "bgtz"]);
            return format!("{op} {}, {target}", self.xs());
        }
        let op = self.rng.pick(&[
            "beq", "bne", "blt", "bge", "bltu", "bgeu", "bgt", "ble", "bgtu", "bleu",
        ]);
        format!("{op} {}, {}, {target}", self.xs(), self.xs())
    }

    /// `jal` to a label, or `jalr` through a register set with `lla`: with an offset,
    /// and with bit 0 of the sum set now and then (jalr clears it).
    fn jump(&mut self) -> Vec<String> {
        let target = self.forward(MAX_SKIP);
        match self.rng.below(4) {
            0 => vec![format!("jal {}, {target}", self.xd())],
            1 => vec![format!("{} {target}", self.rng.pick(&["j", "jal"]))],
            _ => {
                let base = self.xt();
                let offset = if self.rng.chance(50) {
                    0
                } else {
                    self.rng.range(-64, 64)
                };
                let odd = self.rng.below(2);
                vec![
                    format!("lla {base}, {target}{:+}", odd as i64 - offset),
                    format!("jalr {}, {offset}({base})", self.xd()),
                ]
            }
        }
    }

    // ---- M ----

    fn mul_div(&mut self) -> Vec<String> {
        const OPS: &[&str] = &[
            "mul", "mulh", "mulhsu", "mulhu", "div", "divu", "rem", "remu", "mulw", "divw",
            "divuw", "remw", "remuw",
        ];
        let op = self.rng.pick(OPS);
        if self.rng.chance(65) {
            return vec![format!("{op} {}, {}, {}", self.xd(), self.xs(), self.xs())];
        }
        // Operands set first: division by zero, overflow, and other edges together.
        let (x, y) = (int_value(self.rng), int_value(self.rng));
        let (a, b) = self.rng.pick(&[
            (0x8000_0000_0000_0000, u64::MAX),
            (0xffff_ffff_8000_0000, u64::MAX),
            (0x8000_0000, 0xffff_ffff),
            (0, 0),
            (x, 0),
            (x, 0xffff_ffff_0000_0000),
            (x, y),
        ]);
        let ra = self.xt();
        let mut rb = self.xt();
        while rb == ra {
            rb = self.xt();
        }
        vec![
            format!("li {ra}, {a:#x}"),
            format!("li {rb}, {b:#x}"),
            format!("{op} {}, {ra}, {rb}", self.xd()),
        ]
    }

    // ---- A ----

    fn amo_suffix(&mut self) -> &'static str {
        self.rng.pick(&["", ".aq", ".rl", ".aqrl"])
    }

    fn amo(&mut self) -> Vec<String> {
        const OPS: &[&str] = &[
            "amoswap", "amoadd", "amoxor", "amoand", "amoor", "amomin", "amomax", "amominu",
            "amomaxu",
        ];
        let op = self.rng.pick(OPS);
        let (w, width) = self.rng.pick(&[("w", 4), ("d", 8)]);
        let base = self.xt();
        let at = self.aligned_offset(width);
        vec![
            format!("addi {base}, sp, {at}"),
            format!(
                "{op}.{w}{} {}, {}, ({base})",
                self.amo_suffix(),
                self.xd(),
                self.xs()
            ),
        ]
    }

    /// `lr`, up to two integer operations that leave the address alone, `sc` of the
    /// same width and address; sometimes a second `sc`, which must fail.
    fn lr_sc(&mut self) -> Vec<String> {
        let (w, width) = self.rng.pick(&[("w", 4), ("d", 8)]);
        let base = self.xt();
        let at = self.aligned_offset(width);
        let mut lines = vec![format!("addi {base}, sp, {at}")];
        let mut dst = self.xd();
        while dst == base {
            dst = self.xd();
        }
        lines.push(format!("lr.{w}{} {dst}, ({base})", self.amo_suffix()));
        for _ in 0..self.rng.below(3) {
            let mut d = self.xd();
            while d == base {
                d = self.xd();
            }
            let op = self.rng.pick(&["add", "xor", "sub", "or", "addw"]);
            lines.push(format!("{op} {d}, {}, {}", self.xs(), self.xs()));
        }
        let mut status = self.xd();
        let twice = self.rng.chance(25);
        while twice && status == base {
            status = self.xd();
        }
        let src = self.xs();
        lines.push(format!(
            "sc.{w}{} {status}, {src}, ({base})",
            self.amo_suffix()
        ));
        if twice {
            lines.push(format!("sc.{w} {}, {}, ({base})", self.xd(), self.xs()));
        }
        lines
    }

    // ---- Zba, Zbb, Zbs ----

    fn bitmanip(&mut self) -> Vec<String> {
        const RR: &[&str] = &[
            "sh1add",
            "sh2add",
            "sh3add",
            "add.uw",
            "sh1add.uw",
            "sh2add.uw",
            "sh3add.uw",
            "andn",
            "orn",
            "xnor",
            "max",
            "maxu",
            "min",
            "minu",
            "rol",
            "rolw",
            "ror",
            "rorw",
            "bclr",
            "bext",
            "binv",
            "bset",
        ];
        const UNARY: &[&str] = &[
            "clz", "clzw", "ctz", "ctzw", "cpop", "cpopw", "sext.b", "sext.h", "zext.h", "zext.w",
            "orc.b", "rev8",
        ];
        const IMM: &[(&str, i64)] = &[
            ("slli.uw", 64),
            ("rori", 64),
            ("roriw", 32),
            ("bclri", 64),
            ("bexti", 64),
            ("binvi", 64),
            ("bseti", 64),
        ];
        match self.rng.below(3) {
            0 => {
                let op = self.rng.pick(RR);
                vec![format!("{op} {}, {}, {}", self.xd(), self.xs(), self.xs())]
            }
            1 => {
                let op = self.rng.pick(UNARY);
                if op == "ctzw" {
                    return self.ctzw();
                }
                vec![format!("{op} {}, {}", self.xd(), self.xs())]
            }
            _ => {
                let (op, limit) = self.rng.pick(IMM);
                vec![format!(
                    "{op} {}, {}, {}",
                    self.xd(),
                    self.xs(),
                    shamt(self.rng, limit)
                )]
            }
        }
    }

    /// `ctzw` of a value whose low word is not zero. qemu 7.2, the reference, is wrong
    /// when it is: it returns the trailing zeros of the whole register (63 for
    /// 0x8000000000000000) where the Zbb spec (RISC-V unprivileged ISA, "Zbb: Basic
    /// bit-manipulation", `ctzw`) says 32. vm's result for that case is checked by
    /// vm-ir's unit tests and tests/guest/bitmanip.c (ctzw of 0x100000000).
    fn ctzw(&mut self) -> Vec<String> {
        let t = self.xt();
        vec![
            format!("bseti {t}, {}, {}", self.xs(), self.rng.range(0, 31)),
            format!("ctzw {}, {t}", self.xd()),
        ]
    }

    /// The fences (all no-ops for one hart), `pause`, and `fence.i`.
    fn fence(&mut self) -> String {
        self.rng
            .pick(&[
                "fence",
                "fence rw, rw",
                "fence r, w",
                "fence iorw, o",
                "fence.tso",
                ".insn i 0x0f, 0, x0, x0, 0x010  /* pause */",
                "fence.i",
            ])
            .to_string()
    }

    // ---- Zifencei ----

    /// Writes an instruction and `jr t6` into one of the chunk's code slots (in a
    /// writable, executable section), runs `fence.i` and calls it; now and then writes
    /// another instruction into the same slot and calls it again, which must not find
    /// the first one still translated.
    fn self_modifying(&mut self) -> Vec<String> {
        let slot = CODE_SLOT_BYTES * self.rng.below(CODE_SLOTS as u64) as usize;
        let t = self.xt_except(&["t6"]);
        let u = self.xt_except(&["t6", t]);
        let mut lines = vec![format!("lla {t}, .Lcode{}+{slot}", self.chunk)];
        for _ in 0..self.rng.range(1, 2) {
            let (word, what) = self.code_word(t);
            lines.extend([
                format!("li {u}, {word:#x}  /* {what} */"),
                format!("sw {u}, 0({t})"),
                format!("li {u}, 0x000f8067  /* jr t6 */"),
                format!("sw {u}, 4({t})"),
                "fence.i".to_string(),
                "lla t6, 1f".to_string(),
                format!("jr {t}"),
                "1:".to_string(),
            ]);
        }
        lines
    }

    /// A register to clobber other than those in `not`.
    fn xt_except(&mut self, not: &[&str]) -> &'static str {
        loop {
            let r = self.xt();
            if !not.contains(&r) {
                break r;
            }
        }
    }

    /// A 4-byte word of code: an R-type operation, or a compressed `c.add` and `c.nop`,
    /// whose destination is neither sp, nor t6, nor `keep`.
    fn code_word(&mut self, keep: &str) -> (u32, String) {
        let rd = x_number(self.xt_except(&["t6", keep]));
        let (rs1, rs2) = (self.rng.below(32) as u32, self.rng.range(1, 31) as u32);
        let name = |r: u32| X_NAMES[r as usize];
        if self.rng.chance(25) {
            let word = (0x0001 << 16) | 0x9002 | (rd << 7) | (rs2 << 2);
            return (word, format!("c.add {}, {}; c.nop", name(rd), name(rs2)));
        }
        let (op, funct7, funct3, opcode) = self.rng.pick(&[
            ("add", 0x00, 0, 0x33),
            ("sub", 0x20, 0, 0x33),
            ("xor", 0x00, 4, 0x33),
            ("sll", 0x00, 1, 0x33),
            ("sra", 0x20, 5, 0x33),
            ("mul", 0x01, 0, 0x33),
            ("mulhsu", 0x01, 2, 0x33),
            ("divu", 0x01, 5, 0x33),
            ("rem", 0x01, 6, 0x33),
            ("addw", 0x00, 0, 0x3b),
            ("subw", 0x20, 0, 0x3b),
            ("mulw", 0x01, 0, 0x3b),
            ("remuw", 0x01, 7, 0x3b),
            ("sh2add", 0x10, 4, 0x33),
            ("andn", 0x20, 7, 0x33),
            ("ror", 0x30, 5, 0x33),
            ("maxu", 0x05, 7, 0x33),
            ("bset", 0x14, 1, 0x33),
        ]);
        let word = r_type(funct7, rs2, rs1, funct3, rd, opcode);
        (
            word,
            format!("{op} {}, {}, {}", name(rd), name(rs1), name(rs2)),
        )
    }
}
