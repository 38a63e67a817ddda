//! A compact text form of IR blocks for logs and test failures.

use crate::{IRBlock, Op, TEMP_BASE};
use std::fmt;

struct SlotName(u8);

impl fmt::Display for SlotName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.0 {
            s if s < 32 => write!(f, "x{s}"),
            s if s < TEMP_BASE => write!(f, "f{}", s - 32),
            s => write!(f, "t{}", s - TEMP_BASE),
        }
    }
}

impl fmt::Display for Op {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let s = SlotName;
        match *self {
            Op::Const { dst, imm } => write!(f, "{} = {imm:#x}", s(dst)),
            Op::Mov { dst, src } => write!(f, "{} = {}", s(dst), s(src)),
            Op::Bin { op, dst, a, b } => write!(f, "{} = {op:?} {}, {}", s(dst), s(a), s(b)),
            Op::BinImm { op, dst, a, imm } => write!(f, "{} = {op:?} {}, {imm}", s(dst), s(a)),
            Op::Un { op, dst, a } => write!(f, "{} = {op:?} {}", s(dst), s(a)),
            Op::Load {
                width,
                signed,
                dst,
                base,
                offset,
            } => {
                let sign = if signed { "s" } else { "u" };
                write!(
                    f,
                    "{} = load.{sign}{} [{}{offset:+}]",
                    s(dst),
                    width.bytes(),
                    s(base)
                )
            }
            Op::Store {
                width,
                src,
                base,
                offset,
            } => {
                write!(
                    f,
                    "store.{} [{}{offset:+}] = {}",
                    width.bytes(),
                    s(base),
                    s(src)
                )
            }
            Op::LoadReserved { width, dst, addr } => {
                write!(f, "{} = lr.{} [{}]", s(dst), width.bytes(), s(addr))
            }
            Op::StoreConditional {
                width,
                dst,
                src,
                addr,
            } => {
                write!(
                    f,
                    "{} = sc.{} [{}] = {}",
                    s(dst),
                    width.bytes(),
                    s(addr),
                    s(src)
                )
            }
            Op::Amo {
                op,
                width,
                dst,
                addr,
                src,
            } => {
                let w = width.bytes();
                write!(f, "{} = amo.{op:?}.{w} [{}], {}", s(dst), s(addr), s(src))
            }
            Op::ReadCsr { dst, csr } => write!(f, "{} = csr.{csr:?}", s(dst)),
            Op::WriteCsr { csr, src } => write!(f, "csr.{csr:?} = {}", s(src)),
            Op::Fp {
                op,
                fmt: ff,
                rm,
                dst,
                a,
                b,
                c,
            } => write!(
                f,
                "{} = fp.{op:?}.{ff:?}.{rm:?} {}, {}, {}",
                s(dst),
                s(a),
                s(b),
                s(c)
            ),
            Op::VSetVl { dst, avl, vtype } => {
                write!(f, "{} = vsetvl {avl:?}, {vtype:?}", s(dst))
            }
            Op::VMem(m) => write!(f, "vmem {m:?}"),
            Op::Vector(a) => write!(f, "vector {a:?}"),
        }
    }
}

impl fmt::Display for IRBlock {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(f, "block {:#x} ({} bytes)", self.start, self.len)?;
        let mut marks = self.insns.iter().peekable();
        for (i, op) in self.ops.iter().enumerate() {
            while let Some(m) = marks.next_if(|m| m.first_op as usize <= i) {
                writeln!(f, "  ; {:#x}", m.pc)?;
            }
            writeln!(f, "    {op}")?;
        }
        for m in marks {
            writeln!(f, "  ; {:#x}", m.pc)?;
        }
        writeln!(f, "  exit {:?}", self.exit)
    }
}
