//! Assembly text of an [`Insn`] for logs, test failures and differential tests.
//!
//! The syntax is GNU `objdump -M no-aliases,numeric`'s: canonical mnemonics (a compressed
//! instruction prints as its 32-bit expansion), `x`/`f` register numbers, shift amounts in
//! hex, and a rounding mode printed only when it is static. PC-relative targets print as
//! `.+offset`/`.-offset` because an `Insn` does not know its address.

mod vector;

use crate::insn::*;
use std::fmt;

struct Pc(i32);

impl fmt::Display for Pc {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.0 < 0 {
            write!(f, ".-{}", (self.0 as i64).unsigned_abs())
        } else {
            write!(f, ".+{}", self.0)
        }
    }
}

impl fmt::Display for XReg {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "x{}", self.index())
    }
}

impl fmt::Display for FReg {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "f{}", self.index())
    }
}

/// `,rne` etc., or nothing for the dynamic mode.
struct Rm(Rounding);

impl fmt::Display for Rm {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let name = match self.0 {
            Rounding::Rne => "rne",
            Rounding::Rtz => "rtz",
            Rounding::Rdn => "rdn",
            Rounding::Rup => "rup",
            Rounding::Rmm => "rmm",
            Rounding::Dyn => return Ok(()),
        };
        write!(f, ",{name}")
    }
}

/// A fence's predecessor or successor set.
struct FenceSet(u8);

impl fmt::Display for FenceSet {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.0 & 0xf == 0 {
            return write!(f, "0");
        }
        for (bit, c) in [(8, 'i'), (4, 'o'), (2, 'r'), (1, 'w')] {
            if self.0 & bit != 0 {
                write!(f, "{c}")?;
            }
        }
        Ok(())
    }
}

fn fmt_suffix(fmt: FpFmt) -> &'static str {
    match fmt {
        FpFmt::S => "s",
        FpFmt::D => "d",
        FpFmt::H => "h",
    }
}

fn width_suffix(width: Width) -> &'static str {
    match width {
        Width::B1 => "b",
        Width::B2 => "h",
        Width::B4 => "w",
        Width::B8 => "d",
    }
}

fn int_suffix(int: IntKind) -> &'static str {
    match int {
        IntKind::W => "w",
        IntKind::WU => "wu",
        IntKind::L => "l",
        IntKind::LU => "lu",
    }
}

fn ordering(aq: bool, rl: bool) -> &'static str {
    match (aq, rl) {
        (false, false) => "",
        (true, false) => ".aq",
        (false, true) => ".rl",
        (true, true) => ".aqrl",
    }
}

fn csr_name(csr: Csr) -> &'static str {
    match csr {
        Csr::FFlags => "fflags",
        Csr::Frm => "frm",
        Csr::Fcsr => "fcsr",
        Csr::Cycle => "cycle",
        Csr::Time => "time",
        Csr::InstRet => "instret",
        Csr::Vstart => "vstart",
        Csr::Vxsat => "vxsat",
        Csr::Vxrm => "vxrm",
        Csr::Vcsr => "vcsr",
        Csr::Vl => "vl",
        Csr::Vtype => "vtype",
        Csr::Vlenb => "vlenb",
    }
}

/// The lower-case mnemonic of an operation enum variant (`Sh1addUw` → `sh1add.uw`).
fn mnemonic(op: impl fmt::Debug) -> String {
    let name = format!("{op:?}");
    let mut out = String::with_capacity(name.len() + 1);
    for (i, c) in name.chars().enumerate() {
        if c.is_ascii_uppercase() && i > 0 {
            out.push('.');
        }
        out.push(c.to_ascii_lowercase());
    }
    out
}

impl fmt::Display for Insn {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match *self {
            Insn::Lui { rd, imm } => write!(f, "lui\t{rd},{:#x}", (imm as u32) >> 12),
            Insn::Auipc { rd, imm } => write!(f, "auipc\t{rd},{:#x}", (imm as u32) >> 12),
            Insn::Jal { rd, offset } => write!(f, "jal\t{rd},{}", Pc(offset)),
            Insn::Jalr { rd, rs1, offset } => write!(f, "jalr\t{rd},{offset}({rs1})"),
            Insn::Branch {
                cond,
                rs1,
                rs2,
                offset,
            } => {
                let name = match cond {
                    Cond::Eq => "beq",
                    Cond::Ne => "bne",
                    Cond::Lt => "blt",
                    Cond::Ge => "bge",
                    Cond::LtU => "bltu",
                    Cond::GeU => "bgeu",
                };
                write!(f, "{name}\t{rs1},{rs2},{}", Pc(offset))
            }
            Insn::Load {
                kind,
                rd,
                rs1,
                offset,
            } => write!(f, "{}\t{rd},{offset}({rs1})", mnemonic(kind)),
            Insn::Store {
                width,
                rs1,
                rs2,
                offset,
            } => write!(f, "s{}\t{rs2},{offset}({rs1})", width_suffix(width)),
            Insn::AluImm { op, rd, rs1, imm } => match op {
                AluImmOp::Slli
                | AluImmOp::Srli
                | AluImmOp::Srai
                | AluImmOp::Slliw
                | AluImmOp::Srliw
                | AluImmOp::Sraiw => write!(f, "{}\t{rd},{rs1},{imm:#x}", mnemonic(op)),
                _ => write!(f, "{}\t{rd},{rs1},{imm}", mnemonic(op)),
            },
            Insn::Alu { op, rd, rs1, rs2 } => write!(f, "{}\t{rd},{rs1},{rs2}", mnemonic(op)),
            Insn::Fence { fm, pred, succ } => {
                if fm == 8 && pred == 3 && succ == 3 {
                    write!(f, "fence.tso")
                } else {
                    write!(f, "fence\t{},{}", FenceSet(pred), FenceSet(succ))
                }
            }
            Insn::Ecall => write!(f, "ecall"),
            Insn::Ebreak => write!(f, "ebreak"),
            Insn::MulDiv { op, rd, rs1, rs2 } => write!(f, "{}\t{rd},{rs1},{rs2}", mnemonic(op)),
            Insn::Lr {
                width,
                rd,
                rs1,
                aq,
                rl,
            } => {
                let (w, o) = (width_suffix(width), ordering(aq, rl));
                write!(f, "lr.{w}{o}\t{rd},({rs1})")
            }
            Insn::Sc {
                width,
                rd,
                rs1,
                rs2,
                aq,
                rl,
            } => {
                let (w, o) = (width_suffix(width), ordering(aq, rl));
                write!(f, "sc.{w}{o}\t{rd},{rs2},({rs1})")
            }
            Insn::Amo {
                op,
                width,
                rd,
                rs1,
                rs2,
                aq,
                rl,
            } => {
                let (w, o) = (width_suffix(width), ordering(aq, rl));
                let name = format!("{op:?}").to_ascii_lowercase();
                write!(f, "amo{name}.{w}{o}\t{rd},{rs2},({rs1})")
            }
            Insn::FLoad {
                fmt,
                rd,
                rs1,
                offset,
            } => write!(f, "fl{}\t{rd},{offset}({rs1})", fp_mem(fmt)),
            Insn::FStore {
                fmt,
                rs1,
                rs2,
                offset,
            } => write!(f, "fs{}\t{rs2},{offset}({rs1})", fp_mem(fmt)),
            Insn::FArith {
                op,
                fmt,
                rm,
                rd,
                rs1,
                rs2,
            } => {
                let (op, s) = (mnemonic(op), fmt_suffix(fmt));
                write!(f, "f{op}.{s}\t{rd},{rs1},{rs2}{}", Rm(rm))
            }
            Insn::FSqrt { fmt, rm, rd, rs1 } => {
                write!(f, "fsqrt.{}\t{rd},{rs1}{}", fmt_suffix(fmt), Rm(rm))
            }
            Insn::FFused {
                op,
                fmt,
                rm,
                rd,
                rs1,
                rs2,
                rs3,
            } => {
                let name = format!("{op:?}").to_ascii_lowercase();
                let s = fmt_suffix(fmt);
                write!(f, "f{name}.{s}\t{rd},{rs1},{rs2},{rs3}{}", Rm(rm))
            }
            Insn::FSgnj {
                op,
                fmt,
                rd,
                rs1,
                rs2,
            } => {
                let name = format!("{op:?}").to_ascii_lowercase();
                write!(f, "fsgn{name}.{}\t{rd},{rs1},{rs2}", fmt_suffix(fmt))
            }
            Insn::FMinMax {
                op,
                fmt,
                rd,
                rs1,
                rs2,
            } => {
                let name = format!("{op:?}").to_ascii_lowercase();
                write!(f, "f{name}.{}\t{rd},{rs1},{rs2}", fmt_suffix(fmt))
            }
            Insn::FCmp {
                op,
                fmt,
                rd,
                rs1,
                rs2,
            } => write!(f, "f{}.{}\t{rd},{rs1},{rs2}", mnemonic(op), fmt_suffix(fmt)),
            Insn::FClass { fmt, rd, rs1 } => write!(f, "fclass.{}\t{rd},{rs1}", fmt_suffix(fmt)),
            Insn::FCvtToInt {
                int,
                fmt,
                rm,
                rd,
                rs1,
            } => {
                let (i, s) = (int_suffix(int), fmt_suffix(fmt));
                write!(f, "fcvt.{i}.{s}\t{rd},{rs1}{}", Rm(rm))
            }
            Insn::FCvtFromInt {
                int,
                fmt,
                rm,
                rd,
                rs1,
            } => {
                let (i, s) = (int_suffix(int), fmt_suffix(fmt));
                write!(f, "fcvt.{s}.{i}\t{rd},{rs1}{}", Rm(rm))
            }
            Insn::FCvtHalf {
                to,
                from,
                rm,
                rd,
                rs1,
            } => {
                let (t, s) = (fmt_suffix(to), fmt_suffix(from));
                write!(f, "fcvt.{t}.{s}\t{rd},{rs1}{}", Rm(rm))
            }
            Insn::FLi { fmt, rd, index } => {
                write!(f, "fli.{}\t{rd},{}", fmt_suffix(fmt), fli_name(index))
            }
            Insn::FRound {
                exact,
                fmt,
                rm,
                rd,
                rs1,
            } => {
                let name = if exact { "froundnx" } else { "fround" };
                write!(f, "{name}.{}\t{rd},{rs1}{}", fmt_suffix(fmt), Rm(rm))
            }
            Insn::FCvtModWD { rd, rs1 } => write!(f, "fcvtmod.w.d\t{rd},{rs1},rtz"),
            Insn::FCvtFmt { fmt, rm, rd, rs1 } => {
                let name = match fmt {
                    FpFmt::S => "fcvt.s.d",
                    FpFmt::D => "fcvt.d.s",
                    // Never decoded; the IR reads the other format of H as S.
                    FpFmt::H => "fcvt.h.s",
                };
                write!(f, "{name}\t{rd},{rs1}{}", Rm(rm))
            }
            Insn::FMvToInt { fmt, rd, rs1 } => write!(f, "fmv.x.{}\t{rd},{rs1}", fp_mem(fmt)),
            Insn::FMvFromInt { fmt, rd, rs1 } => write!(f, "fmv.{}.x\t{rd},{rs1}", fp_mem(fmt)),
            Insn::Csr { op, csr, rd, src } => {
                let (op, csr) = (mnemonic(op), csr_name(csr));
                match src {
                    CsrSrc::Reg(rs1) => write!(f, "csr{op}\t{rd},{csr},{rs1}"),
                    CsrSrc::Imm(imm) => write!(f, "csr{op}i\t{rd},{csr},{imm}"),
                }
            }
            Insn::FenceI => write!(f, "fence.i"),
            Insn::Bit { op, rd, rs1, rs2 } => write!(f, "{}\t{rd},{rs1},{rs2}", mnemonic(op)),
            Insn::BitImm { op, rd, rs1, shamt } => {
                write!(f, "{}\t{rd},{rs1},{shamt:#x}", mnemonic(op))
            }
            Insn::BitUnary { op, rd, rs1 } => write!(f, "{}\t{rd},{rs1}", mnemonic(op)),
            Insn::VSetVl { rd, avl, vtype } => vector::set_vl(f, rd, avl, vtype),
            Insn::VMem(m) => vector::mem(f, &m),
            Insn::VArith(a) => vector::arith(f, &a),
            Insn::CondZero { op, rd, rs1, rs2 } => {
                write!(f, "czero.{}\t{rd},{rs1},{rs2}", mnemonic(op))
            }
            Insn::Cbo { op, rs1 } => write!(f, "cbo.{}\t({rs1})", mnemonic(op)),
            Insn::MopR { n, rd, rs1 } => write!(f, "mop.r.{n}\t{rd},{rs1}"),
            Insn::MopRR { n, rd, rs1, rs2 } => write!(f, "mop.rr.{n}\t{rd},{rs1},{rs2}"),
            Insn::CMop { n } => write!(f, "c.mop.{n}"),
            Insn::Wrs { sto: false } => write!(f, "wrs.nto"),
            Insn::Wrs { sto: true } => write!(f, "wrs.sto"),
        }
    }
}

/// The operand of `fli` as binutils prints it: `min`, `inf`, `nan`, or the value in C's
/// hexadecimal floating-point notation.
fn fli_name(index: u8) -> &'static str {
    const VALUES: [&str; 32] = [
        "-0x1p+0", "min", "0x1p-16", "0x1p-15", "0x1p-8", "0x1p-7", "0x1p-4", "0x1p-3", "0x1p-2",
        "0x1.4p-2", "0x1.8p-2", "0x1.cp-2", "0x1p-1", "0x1.4p-1", "0x1.8p-1", "0x1.cp-1", "0x1p+0",
        "0x1.4p+0", "0x1.8p+0", "0x1.cp+0", "0x1p+1", "0x1.4p+1", "0x1.8p+1", "0x1p+2", "0x1p+3",
        "0x1p+4", "0x1p+7", "0x1p+8", "0x1p+15", "0x1p+16", "inf", "nan",
    ];
    VALUES[index as usize % 32]
}

/// The size letter of FP loads, stores and moves (`flw`, `fmv.x.d`).
fn fp_mem(fmt: FpFmt) -> &'static str {
    match fmt {
        FpFmt::S => "w",
        FpFmt::D => "d",
        FpFmt::H => "h",
    }
}

#[cfg(test)]
mod tests {
    use crate::decode::decode;

    #[test]
    fn prints_objdump_syntax() {
        let cases = [
            (0xffb58513, "addi\tx10,x11,-5"),             // addi a0, a1, -5
            (0x00b50863, "beq\tx10,x11,.+16"),            // beq a0, a1, .+16
            (0xff9ff0ef, "jal\tx1,.-8"),                  // jal ra, .-8
            (0x0ff0000f, "fence\tiorw,iorw"),             // fence
            (0x8330000f, "fence.tso"),                    // fence.tso
            (0x06c5a52f, "amoadd.w.aqrl\tx10,x12,(x11)"), // amoadd.w.aqrl a0, a2, (a1)
            (0x223100c3, "fmadd.d\tf1,f2,f3,f4,rne"),     // fmadd.d f1, f2, f3, f4, rne
            (0x0835951b, "slli.uw\tx10,x11,0x3"),         // slli.uw a0, a1, 3
            (0x0032f573, "csrrci\tx10,fcsr,5"),           // csrrci a0, fcsr, 5
            (0xc230f553, "fcvt.lu.d\tx10,f1"),            // fcvt.lu.d a0, f1
            (0x2875d513, "orc.b\tx10,x11"),               // orc.b a0, a1
            (0xfffff517, "auipc\tx10,0xfffff"),           // auipc a0, 0xfffff
        ];
        for (word, text) in cases {
            let insn = decode(word).unwrap_or_else(|| panic!("{word:#010x} illegal"));
            assert_eq!(insn.to_string(), text, "{word:#010x}");
        }
    }
}
