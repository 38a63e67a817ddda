//! The reference meaning of every integer IR operation, as pure functions.
//!
//! The interpreter calls these directly; the JIT either emits equivalent native code or
//! calls them as helpers, and its tests compare against them.

use crate::{AmoOp, BinOp, Cond, UnOp, Width};

fn sext32(v: u64) -> u64 {
    v as u32 as i32 as i64 as u64
}

/// The result of `op(a, b)`.
#[inline(always)]
pub fn eval_bin(op: BinOp, a: u64, b: u64) -> u64 {
    let (sa, sb) = (a as i64, b as i64);
    let (wa, wb) = (a as u32, b as u32);
    match op {
        BinOp::Add => a.wrapping_add(b),
        BinOp::Sub => a.wrapping_sub(b),
        BinOp::Sll => a << (b & 63),
        BinOp::Srl => a >> (b & 63),
        BinOp::Sra => (sa >> (b & 63)) as u64,
        BinOp::And => a & b,
        BinOp::Or => a | b,
        BinOp::Xor => a ^ b,
        BinOp::Slt => (sa < sb) as u64,
        BinOp::Sltu => (a < b) as u64,
        BinOp::AddW => sext32(a.wrapping_add(b)),
        BinOp::SubW => sext32(a.wrapping_sub(b)),
        BinOp::SllW => sext32((wa << (b & 31)) as u64),
        BinOp::SrlW => sext32((wa >> (b & 31)) as u64),
        BinOp::SraW => ((wa as i32) >> (b & 31)) as i64 as u64,
        BinOp::Mul => a.wrapping_mul(b),
        BinOp::MulH => ((sa as i128 * sb as i128) >> 64) as u64,
        BinOp::MulHSU => ((sa as i128).wrapping_mul(b as i128) >> 64) as u64,
        BinOp::MulHU => ((a as u128 * b as u128) >> 64) as u64,
        BinOp::Div => {
            if b == 0 {
                u64::MAX
            } else {
                sa.wrapping_div(sb) as u64
            }
        }
        BinOp::DivU => a.checked_div(b).unwrap_or(u64::MAX),
        BinOp::Rem => {
            if b == 0 {
                a
            } else {
                sa.wrapping_rem(sb) as u64
            }
        }
        BinOp::RemU => {
            if b == 0 {
                a
            } else {
                a % b
            }
        }
        BinOp::MulW => sext32(wa.wrapping_mul(wb) as u64),
        BinOp::DivW => {
            if wb == 0 {
                u64::MAX
            } else {
                (wa as i32).wrapping_div(wb as i32) as i64 as u64
            }
        }
        BinOp::DivUW => wa.checked_div(wb).map_or(u64::MAX, |q| sext32(q as u64)),
        BinOp::RemW => {
            if wb == 0 {
                sext32(wa as u64)
            } else {
                (wa as i32).wrapping_rem(wb as i32) as i64 as u64
            }
        }
        BinOp::RemUW => {
            if wb == 0 {
                sext32(wa as u64)
            } else {
                sext32((wa % wb) as u64)
            }
        }
        BinOp::AndN => a & !b,
        BinOp::OrN => a | !b,
        BinOp::XNor => !(a ^ b),
        BinOp::Min => sa.min(sb) as u64,
        BinOp::MinU => a.min(b),
        BinOp::Max => sa.max(sb) as u64,
        BinOp::MaxU => a.max(b),
        BinOp::Rol => a.rotate_left((b & 63) as u32),
        BinOp::Ror => a.rotate_right((b & 63) as u32),
        BinOp::RolW => sext32(wa.rotate_left((b & 31) as u32) as u64),
        BinOp::RorW => sext32(wa.rotate_right((b & 31) as u32) as u64),
        BinOp::BClr => a & !(1u64 << (b & 63)),
        BinOp::BExt => (a >> (b & 63)) & 1,
        BinOp::BInv => a ^ (1u64 << (b & 63)),
        BinOp::BSet => a | (1u64 << (b & 63)),
        BinOp::Sh1Add => (a << 1).wrapping_add(b),
        BinOp::Sh2Add => (a << 2).wrapping_add(b),
        BinOp::Sh3Add => (a << 3).wrapping_add(b),
        BinOp::Sh1AddUw => ((wa as u64) << 1).wrapping_add(b),
        BinOp::Sh2AddUw => ((wa as u64) << 2).wrapping_add(b),
        BinOp::Sh3AddUw => ((wa as u64) << 3).wrapping_add(b),
        BinOp::AddUw => (wa as u64).wrapping_add(b),
        BinOp::SllUw => (wa as u64) << (b & 63),
        BinOp::CZeroEqz => {
            if b == 0 {
                0
            } else {
                a
            }
        }
        BinOp::CZeroNez => {
            if b != 0 {
                0
            } else {
                a
            }
        }
    }
}

/// The result of `op(a)`.
#[inline]
pub fn eval_un(op: UnOp, a: u64) -> u64 {
    let wa = a as u32;
    match op {
        UnOp::Clz => a.leading_zeros() as u64,
        UnOp::ClzW => wa.leading_zeros() as u64,
        UnOp::Ctz => a.trailing_zeros() as u64,
        UnOp::CtzW => wa.trailing_zeros() as u64,
        UnOp::Cpop => a.count_ones() as u64,
        UnOp::CpopW => wa.count_ones() as u64,
        UnOp::SextB => a as u8 as i8 as i64 as u64,
        UnOp::SextH => a as u16 as i16 as i64 as u64,
        UnOp::ZextH => a as u16 as u64,
        UnOp::OrcB => {
            let mut out = 0u64;
            for i in 0..8 {
                if (a >> (i * 8)) & 0xff != 0 {
                    out |= 0xff << (i * 8);
                }
            }
            out
        }
        UnOp::Rev8 => a.swap_bytes(),
    }
}

/// Whether a conditional branch is taken.
#[inline]
pub fn eval_cond(cond: Cond, a: u64, b: u64) -> bool {
    match cond {
        Cond::Eq => a == b,
        Cond::Ne => a != b,
        Cond::Lt => (a as i64) < (b as i64),
        Cond::Ge => (a as i64) >= (b as i64),
        Cond::LtU => a < b,
        Cond::GeU => a >= b,
    }
}

/// Sign-extends the low `width` bytes of `v` to 64 bits.
#[inline]
pub fn sign_extend(width: Width, v: u64) -> u64 {
    match width {
        Width::B1 => v as u8 as i8 as i64 as u64,
        Width::B2 => v as u16 as i16 as i64 as u64,
        Width::B4 => v as u32 as i32 as i64 as u64,
        Width::B8 => v,
    }
}

/// The value an AMO stores, given the old memory value and the register operand, both
/// already sign-extended from `width`.
#[inline]
pub fn eval_amo(op: AmoOp, width: Width, old: u64, src: u64) -> u64 {
    let (a, b) = (sign_extend(width, old), sign_extend(width, src));
    let (ua, ub) = match width {
        Width::B4 => (a as u32 as u64, b as u32 as u64),
        _ => (a, b),
    };
    match op {
        AmoOp::Swap => b,
        AmoOp::Add => a.wrapping_add(b),
        AmoOp::Xor => a ^ b,
        AmoOp::And => a & b,
        AmoOp::Or => a | b,
        AmoOp::Min => (a as i64).min(b as i64) as u64,
        AmoOp::Max => (a as i64).max(b as i64) as u64,
        AmoOp::MinU => {
            if ua <= ub {
                a
            } else {
                b
            }
        }
        AmoOp::MaxU => {
            if ua >= ub {
                a
            } else {
                b
            }
        }
    }
}
