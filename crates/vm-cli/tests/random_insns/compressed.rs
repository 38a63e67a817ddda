//! Compressed instructions written out (the assembler compresses others on its own in
//! `.option rvc` chunks), and the legal encodings no assembler produces: RVC HINTs and
//! fences with reserved fields.

use super::{ChunkGen, Rng, MAX_C_BRANCH_SKIP, MAX_SKIP, SCRATCH_FROM_SP, X_NAMES};

impl ChunkGen<'_> {
    /// An explicit compressed instruction (the assembler compresses others on its own).
    pub(super) fn compressed(&mut self) -> Vec<String> {
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
    pub(super) fn unusual(&mut self) -> String {
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
}
