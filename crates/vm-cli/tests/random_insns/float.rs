//! F and D instructions with every rounding mode, and Zicsr on fflags, frm and fcsr.

use super::ChunkGen;
use crate::values::{f32_bits, fp_value};

impl ChunkGen<'_> {
    pub(super) fn fp_arith(&mut self) -> String {
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

    pub(super) fn fp_fused(&mut self) -> String {
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

    pub(super) fn fp_sgn_min_max(&mut self) -> String {
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

    pub(super) fn fp_compare(&mut self) -> String {
        let fmt = self.fmt();
        if self.rng.chance(25) {
            return format!("fclass.{fmt} {}, {}", self.xd(), self.fr());
        }
        let op = self.rng.pick(&["feq", "flt", "fle", "fgt", "fge"]);
        format!("{op}.{fmt} {}, {}, {}", self.xd(), self.fr(), self.fr())
    }

    pub(super) fn fp_convert(&mut self) -> String {
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

    pub(super) fn fp_move(&mut self) -> String {
        match self.rng.below(4) {
            0 => format!("fmv.x.w {}, {}", self.xd(), self.fr()),
            1 => format!("fmv.x.d {}, {}", self.xd(), self.fr()),
            2 => format!("fmv.w.x {}, {}", self.fr(), self.xs()),
            _ => format!("fmv.d.x {}, {}", self.fr(), self.xs()),
        }
    }

    pub(super) fn fp_memory(&mut self) -> Vec<String> {
        let (op, width) = self
            .rng
            .pick(&[("flw", 4), ("fld", 8), ("fsw", 4), ("fsd", 8)]);
        let (mut lines, addr) = self.address(width);
        lines.push(format!("{op} {}, {addr}", self.fr()));
        lines
    }

    /// An interesting FP value into an FP register, through an integer register.
    pub(super) fn fp_setup(&mut self) -> Vec<String> {
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

    /// Reads and writes of fflags, frm and fcsr that keep frm valid (see gen.rs's module
    /// docs; `traps.rs` makes it invalid on purpose).
    pub(super) fn csr(&mut self) -> Vec<String> {
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
