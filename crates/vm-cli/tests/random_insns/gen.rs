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
//! - access memory only inside the scratch buffer; AMOs and LR/SC only aligned;
//! - never make `frm` invalid: register writes to `frm`/`fcsr` take a value the unit set
//!   itself, and `csrrs` sets no `frm` bits; clearing bits of a valid mode leaves a
//!   valid mode (0..=4);
//! - never read `cycle`, `time` or `instret`;
//! - pair each `sc` with an `lr` of the same width and address with only integer
//!   register arithmetic between them (RISC-V unprivileged spec, "Eventual Success of
//!   Store-Conditional Instructions": other sequences may succeed or fail at the
//!   implementation's choice).

use super::program::{Chunk, Program, SCRATCH_BYTES, SCRATCH_FROM_SP, SLOTS, X_NAMES};
use super::values::*;

#[path = "traps.rs"]
mod traps;

/// Chunks per program and units per chunk: every seed has the same shape, so a seed
/// found by exploration reproduces in any configuration.
pub const CHUNKS: usize = 12;
pub const UNITS: usize = 40;

/// Farthest a branch or jump skips, in units.
const MAX_SKIP: usize = 6;
/// Farthest `c.beqz`/`c.bnez` skip: they reach 256 bytes, and a unit is at most 68 (two
/// 64-bit `li` of 8 instructions each and an operation).
const MAX_C_BRANCH_SKIP: usize = 3;

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

    // ---- C ----

    /// An explicit compressed instruction (the assembler compresses others on its own).
    fn compressed(&mut self) -> Vec<String> {
        let nonzero = |rng: &mut Rng, lo: i64, hi: i64| loop {
            let v = rng.range(lo, hi);
            if v != 0 {
                break v;
            }
        };
        match self.rng.below(22) {
            0 => vec![format!(
                "c.addi {}, {}",
                self.xt(),
                nonzero(self.rng, -32, 31)
            )],
            1 => vec![format!(
                "c.addiw {}, {}",
                self.xt(),
                self.rng.range(-32, 31)
            )],
            2 => vec![format!("c.li {}, {}", self.xt(), self.rng.range(-32, 31))],
            3 => {
                let imm = if self.rng.chance(50) {
                    self.rng.range(1, 31)
                } else {
                    self.rng.range(0xfffe0, 0xfffff)
                };
                vec![format!("c.lui {}, {imm:#x}", self.xt())]
            }
            4 => vec![format!("c.slli {}, {}", self.xt(), self.rng.range(1, 63))],
            5 => {
                let op = self.rng.pick(&["c.srli", "c.srai"]);
                vec![format!("{op} {}, {}", self.xc(), self.rng.range(1, 63))]
            }
            6 => vec![format!("c.andi {}, {}", self.xc(), self.rng.range(-32, 31))],
            7 => {
                let op = self.rng.pick(&["c.mv", "c.add"]);
                vec![format!("{op} {}, {}", self.xt(), self.xs_nonzero())]
            }
            8 => {
                let op = self
                    .rng
                    .pick(&["c.sub", "c.xor", "c.or", "c.and", "c.subw", "c.addw"]);
                vec![format!("{op} {}, {}", self.xc(), self.xc())]
            }
            9 => vec![format!(
                "c.addi4spn {}, sp, {}",
                self.xc(),
                4 * self.rng.range(1, 255)
            )],
            10 | 11 => self.compressed_memory(),
            12 | 13 => self.compressed_sp_memory(),
            14 => self.compressed_addi16sp(),
            15 => vec![format!("c.j {}", self.forward(MAX_SKIP))],
            16 | 17 => {
                let op = self.rng.pick(&["c.beqz", "c.bnez"]);
                let target = self.forward(MAX_C_BRANCH_SKIP);
                vec![format!("{op} {}, {target}", self.xc())]
            }
            18 | 19 => {
                let target = self.forward(MAX_SKIP);
                let base = self.xt();
                let op = self.rng.pick(&["c.jr", "c.jalr"]);
                vec![format!("lla {base}, {target}"), format!("{op} {base}")]
            }
            20 => vec!["c.nop".to_string()],
            _ => {
                let op = self.rng.pick(&["c.mv", "c.add"]);
                vec![format!("{op} {}, {}", self.xc(), self.xc())]
            }
        }
    }

    /// `c.lw`, `c.ld`, `c.sw`, `c.sd`, `c.fld`, `c.fsd` through an x8..x15 base set
    /// from sp (with `addi`, or `c.addi4spn` for a base above sp).
    fn compressed_memory(&mut self) -> Vec<String> {
        let (op, width, max_offset) = self.rng.pick(&[
            ("c.lw", 4, 124),
            ("c.sw", 4, 124),
            ("c.ld", 8, 248),
            ("c.sd", 8, 248),
            ("c.fld", 8, 248),
            ("c.fsd", 8, 248),
        ]);
        let base = self.xc();
        let (setup, k) = if self.rng.chance(30) {
            let k = 4 * self.rng.range(1, 31);
            (format!("c.addi4spn {base}, sp, {k}"), k)
        } else {
            let k = self.rng.range(SCRATCH_FROM_SP, 0);
            (format!("addi {base}, sp, {k}"), k)
        };
        // sp + k + offset must stay inside scratch: offset <= 256 - width - k.
        let room = (-SCRATCH_FROM_SP - width - k).min(max_offset);
        let offset = width * self.rng.range(0, room / width);
        let reg = if op.contains('f') {
            self.fc()
        } else {
            self.xc().to_string()
        };
        vec![setup, format!("{op} {reg}, {offset}({base})")]
    }

    /// `c.lwsp`, `c.ldsp`, `c.swsp`, `c.sdsp`, `c.fldsp`, `c.fsdsp` at sp + 0..=248.
    fn compressed_sp_memory(&mut self) -> Vec<String> {
        let (op, width) = self.rng.pick(&[
            ("c.lwsp", 4),
            ("c.ldsp", 8),
            ("c.swsp", 4),
            ("c.sdsp", 8),
            ("c.fldsp", 8),
            ("c.fsdsp", 8),
        ]);
        let offset = width * self.rng.range(0, (-SCRATCH_FROM_SP - 8) / width);
        let reg = match op {
            "c.fldsp" | "c.fsdsp" => self.fr(),
            "c.lwsp" | "c.ldsp" => self.xt().to_string(),
            _ => self.xs().to_string(),
        };
        vec![format!("{op} {reg}, {offset}(sp)")]
    }

    /// `c.addi16sp` moves sp, an access through the moved sp, and the move back.
    fn compressed_addi16sp(&mut self) -> Vec<String> {
        let by = 16
            * loop {
                let n = self.rng.range(-16, 15);
                if n != 0 {
                    break n;
                }
            };
        // The access at sp + by + offset stays inside scratch.
        let offset = 8 * self.rng.range(0, (-SCRATCH_FROM_SP - 8 - by.max(0)) / 8);
        let access = if self.rng.chance(50) {
            format!("c.ldsp {}, {offset}(sp)", self.xt())
        } else {
            format!("c.sdsp {}, {offset}(sp)", self.xs())
        };
        vec![
            format!("c.addi16sp sp, {by}"),
            access,
            format!("c.addi16sp sp, {}", -by),
        ]
    }

    /// Legal encodings the assembler never produces, as raw words: RVC HINTs, which
    /// must do nothing (RISC-V unprivileged ISA, "RVC Instruction Set Listings", HINT
    /// column), and fences with reserved fields set, which must act as plain fences
    /// ("Memory Ordering Instructions": implementations ignore rd and rs1 and treat
    /// reserved fm/pred/succ settings as fm=0 fences; likewise for fence.i's fields).
    fn unusual(&mut self) -> String {
        let rng = &mut *self.rng;
        let rd = rng.range(1, 31) as u32;
        let rs2 = rng.range(1, 31) as u32;
        let imm6 = rng.range(1, 63) as u32;
        // CI format: funct3, imm[5] at 12, rd at 11:7, imm[4:0] at 6:2, quadrant.
        let ci = |funct3: u32, rd: u32, imm: u32, quadrant: u32| {
            (funct3 << 13) | ((imm >> 5 & 1) << 12) | (rd << 7) | ((imm & 31) << 2) | quadrant
        };
        let (half, what) = match rng.below(9) {
            0 => (ci(0, 0, imm6, 1), format!("c.nop {imm6}")),
            1 => (
                ci(0, rd, 0, 1),
                format!("c.addi {}, 0", X_NAMES[rd as usize]),
            ),
            2 => (ci(2, 0, imm6, 1), format!("c.li zero, {imm6}")),
            3 => (ci(3, 0, imm6, 1), format!("c.lui zero, {imm6}")),
            4 => (ci(0, 0, imm6, 2), format!("c.slli zero, {imm6}")),
            5 => (
                ci(0, rd, 0, 2),
                format!("c.slli {}, 0", X_NAMES[rd as usize]),
            ),
            6 => {
                let (kind, name) = rng.pick(&[(0, "c.srli"), (1, "c.srai")]);
                let r = rng.range(0, 7) as u32;
                let half = (0b100 << 13) | (kind << 10) | (r << 7) | 1;
                (half, format!("{name} {}, 0", X_NAMES[8 + r as usize]))
            }
            7 => {
                let (bit12, name) = rng.pick(&[(0, "c.mv"), (1, "c.add")]);
                let half = (0b100 << 13) | (bit12 << 12) | (rs2 << 2) | 2;
                (half, format!("{name} zero, {}", X_NAMES[rs2 as usize]))
            }
            _ => {
                let (fields, rs1, rd) = (rng.below(1 << 12) as u32, rng.below(32), rng.below(32));
                let funct3 = rng.below(2) as u32;
                let word = (fields << 20)
                    | ((rs1 as u32) << 15)
                    | (funct3 << 12)
                    | ((rd as u32) << 7)
                    | 0x0f;
                let name = if funct3 == 0 { "fence" } else { "fence.i" };
                return format!(
                    ".4byte {word:#010x}  /* {name} with fm/pred/succ/imm {fields:#05x}, rs1 x{rs1}, rd x{rd} */"
                );
            }
        };
        format!(".2byte {half:#06x}  /* {what} (HINT) */")
    }

    // ---- F and D ----

    fn fp_arith(&mut self) -> String {
        let fmt = self.fmt();
        if self.rng.chance(15) {
            return format!("fsqrt.{fmt} {}, {}{}", self.fr(), self.fr(), self.rm());
        }
        let op = self.rng.pick(&["fadd", "fsub", "fmul", "fdiv"]);
        format!(
            "{op}.{fmt} {}, {}, {}{}",
            self.fr(),
            self.fr(),
            self.fr(),
            self.rm()
        )
    }

    fn fp_fused(&mut self) -> String {
        let op = self.rng.pick(&["fmadd", "fmsub", "fnmsub", "fnmadd"]);
        let fmt = self.fmt();
        format!(
            "{op}.{fmt} {}, {}, {}, {}{}",
            self.fr(),
            self.fr(),
            self.fr(),
            self.fr(),
            self.rm()
        )
    }

    fn fp_sgn_min_max(&mut self) -> String {
        let fmt = self.fmt();
        if self.rng.chance(20) {
            let op = self.rng.pick(&["fmv", "fneg", "fabs"]);
            return format!("{op}.{fmt} {}, {}", self.fr(), self.fr());
        }
        let op = self
            .rng
            .pick(&["fsgnj", "fsgnjn", "fsgnjx", "fmin", "fmax"]);
        format!("{op}.{fmt} {}, {}, {}", self.fr(), self.fr(), self.fr())
    }

    fn fp_compare(&mut self) -> String {
        let fmt = self.fmt();
        if self.rng.chance(25) {
            return format!("fclass.{fmt} {}, {}", self.xd(), self.fr());
        }
        let op = self.rng.pick(&["feq", "flt", "fle", "fgt", "fge"]);
        format!("{op}.{fmt} {}, {}, {}", self.xd(), self.fr(), self.fr())
    }

    fn fp_convert(&mut self) -> String {
        let int = self.rng.pick(&["w", "wu", "l", "lu"]);
        let fmt = self.fmt();
        match self.rng.below(5) {
            0 | 1 => format!("fcvt.{int}.{fmt} {}, {}{}", self.xd(), self.fr(), self.rm()),
            // The assembler takes no rounding mode for the exact fcvt.d.w and fcvt.d.wu:
            // the encoding has one all the same.
            2 | 3 if fmt == "d" && (int == "w" || int == "wu") => {
                let (rd, rs1) = (self.fr(), self.xs());
                let rm = self.rng.pick(&[0, 1, 2, 3, 4, 7]);
                let sel = if int == "w" { "x0" } else { "x1" };
                format!(
                    ".insn r 0x53, {rm}, 0x69, {rd}, {rs1}, {sel}  \
                     /* fcvt.d.{int} {rd}, {rs1}, rm={rm} */"
                )
            }
            2 | 3 => format!("fcvt.{fmt}.{int} {}, {}{}", self.fr(), self.xs(), self.rm()),
            _ if self.rng.chance(50) => {
                format!("fcvt.s.d {}, {}{}", self.fr(), self.fr(), self.rm())
            }
            _ => {
                // fcvt.d.s is exact too.
                let (rd, rs1) = (self.fr(), self.fr());
                let rm = self.rng.pick(&[0, 1, 2, 3, 4, 7]);
                format!(".insn r 0x53, {rm}, 0x21, {rd}, {rs1}, x0  /* fcvt.d.s {rd}, {rs1}, rm={rm} */")
            }
        }
    }

    fn fp_move(&mut self) -> String {
        match self.rng.below(4) {
            0 => format!("fmv.x.w {}, {}", self.xd(), self.fr()),
            1 => format!("fmv.x.d {}, {}", self.xd(), self.fr()),
            2 => format!("fmv.w.x {}, {}", self.fr(), self.xs()),
            _ => format!("fmv.d.x {}, {}", self.fr(), self.xs()),
        }
    }

    fn fp_memory(&mut self) -> Vec<String> {
        let (op, width) = self
            .rng
            .pick(&[("flw", 4), ("fld", 8), ("fsw", 4), ("fsd", 8)]);
        let (mut lines, addr) = self.address(width);
        lines.push(format!("{op} {}, {addr}", self.fr()));
        lines
    }

    /// An interesting FP value into an FP register, through an integer register.
    fn fp_setup(&mut self) -> Vec<String> {
        let t = self.xt();
        if self.rng.chance(30) {
            let bits = f32_bits(self.rng);
            vec![
                format!("li {t}, {bits:#x}"),
                format!("fmv.w.x {}, {t}", self.fr()),
            ]
        } else {
            let bits = fp_value(self.rng);
            vec![
                format!("li {t}, {bits:#x}"),
                format!("fmv.d.x {}, {t}", self.fr()),
            ]
        }
    }

    // ---- Zicsr ----

    /// Reads and writes of fflags, frm and fcsr that keep frm valid (see the module
    /// docs).
    fn csr(&mut self) -> Vec<String> {
        let csr = self.rng.pick(&["fflags", "frm", "fcsr"]);
        let rd = self.xd();
        match self.rng.below(6) {
            0 => vec![format!("csrr {rd}, {csr}")],
            // Any register: writes to fflags, and clearing bits.
            1 => {
                let op = if csr == "fflags" {
                    self.rng.pick(&["csrrw", "csrrs", "csrrc"])
                } else {
                    "csrrc"
                };
                vec![format!("{op} {rd}, {csr}, {}", self.xs())]
            }
            // A value set here: a valid mode in frm's bits, anything elsewhere.
            2 | 3 => {
                let t = self.xt();
                let mode = self.rng.below(5);
                let mut value = self.rng.next();
                let set_bits = self.rng.chance(40);
                let (op, shift) = match csr {
                    "frm" => (if set_bits { "csrrs" } else { "csrrw" }, 0),
                    "fcsr" => (if set_bits { "csrrs" } else { "csrrw" }, 5),
                    _ => (self.rng.pick(&["csrrw", "csrrs", "csrrc"]), 64),
                };
                if shift < 64 {
                    value &= !(7 << shift);
                    if !set_bits {
                        value |= mode << shift;
                    }
                }
                if self.rng.chance(50) {
                    value &= 0xff;
                }
                vec![
                    format!("li {t}, {value:#x}"),
                    format!("{op} {rd}, {csr}, {t}"),
                ]
            }
            // The immediate forms.
            _ => {
                let op = self.rng.pick(&["csrrwi", "csrrsi", "csrrci"]);
                let imm = match (csr, op) {
                    ("frm", "csrrwi") => self.rng.below(5) + 8 * self.rng.below(4),
                    ("frm", "csrrsi") => 0,
                    _ => self.rng.below(32),
                };
                vec![format!("{op} {rd}, {csr}, {imm}")]
            }
        }
    }
}
