//! Robustness of the mask, permutation and reduction executors on arbitrary input: random
//! instructions (any registers, slots, immediates, masking) on random states (any
//! `vtype`, `vill` included, any `vl` and `vstart`, even ones `vsetvl` cannot produce)
//! never panic, a trap leaves the state and the slots as they were, and a completed
//! instruction leaves `vstart = 0`. Their results are checked against qemu by the guest
//! programs `tests/rva23/v_mask.c`, `v_permute.c` and `v_reduce.c`.

use crate::*;
use vm_ir::vector::{VArith, VArithOp, VSrc};

/// xorshift64*: deterministic and good enough to spread the cases.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }

    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
}

const OPS: &[VArithOp] = {
    use VArithOp::*;
    &[
        MAndN,
        MAnd,
        MOr,
        MXor,
        MOrN,
        MNand,
        MNor,
        MXnor,
        CPopM,
        FirstM,
        MSbf,
        MSif,
        MSof,
        Iota,
        Id,
        MvXS,
        MvSX,
        SlideUp,
        SlideDown,
        Slide1Up,
        Slide1Down,
        RGather,
        RGatherEi16,
        Compress,
        MvNr,
        RedSum,
        RedAnd,
        RedOr,
        RedXor,
        RedMinU,
        RedMin,
        RedMaxU,
        RedMax,
        WRedSumU,
        WRedSum,
    ]
};

fn random_src(rng: &mut Rng) -> VSrc {
    match rng.below(5) {
        0 => VSrc::V(rng.below(32) as u8),
        1 => VSrc::X(rng.below(256) as u8),
        2 => VSrc::Imm(rng.next() as i8),
        3 => VSrc::Imm([1, 2, 4, 8][rng.below(4) as usize]),
        _ => VSrc::None,
    }
}

#[test]
fn random_mask_permute_and_reduce_instructions_never_panic_and_trap_cleanly() {
    let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
    let mut regs = [0u64; 256];
    for _ in 0..200_000 {
        let mut v = VectorState::default();
        for b in v.regs.iter_mut() {
            *b = rng.next() as u8;
        }
        // Mostly valid types; sometimes vill or reserved encodings.
        v.vtype = match rng.below(8) {
            0 => rng.next(),
            1 => VTYPE_VILL,
            _ => rng.below(0x100),
        };
        v.vl = match (rng.below(4), VType::decode(v.vtype)) {
            (0, _) => rng.below(300),
            (_, Some(vt)) => rng.below(vt.vlmax() + 1),
            (_, None) => 0,
        };
        v.vstart = if rng.below(4) == 0 { rng.below(200) } else { 0 };
        for r in regs.iter_mut() {
            *r = if rng.below(2) == 0 {
                rng.below(300)
            } else {
                rng.next()
            };
        }
        // vd is a register, or a slot for the scalar results.
        let vd_limit = if rng.below(2) == 0 { 32 } else { 256 };
        let insn = VArith {
            op: OPS[rng.below(OPS.len() as u64) as usize],
            vd: rng.below(vd_limit) as u8,
            vs2: rng.below(32) as u8,
            src: random_src(&mut rng),
            masked: rng.below(2) == 0,
        };
        let (before, regs_before) = (v.clone(), regs);
        let mut fcsr = 0;
        match arith(&mut v, &insn, &mut regs, &mut fcsr) {
            Ok(()) => assert_eq!(v.vstart, 0, "{insn:?} left vstart set"),
            Err(trap) => {
                assert_eq!(trap, VTrap::Illegal, "{insn:?}");
                assert!(
                    v == before && regs == regs_before,
                    "{insn:?} trapped with effects"
                );
            }
        }
    }
}

#[test]
fn whole_register_moves_need_aligned_groups_and_copy_from_vstart() {
    let mut v = VectorState::default();
    for (i, b) in v.regs.iter_mut().enumerate() {
        *b = i as u8;
    }
    let regs = &mut [0u64; 64];
    let mv = |nr: i8, vd: u8, vs2: u8| VArith {
        op: VArithOp::MvNr,
        vd,
        vs2,
        src: VSrc::Imm(nr),
        masked: false,
    };
    // e32, m1; vill makes it illegal (as in qemu: the copy depends on SEW).
    assert_eq!(
        arith(&mut v, &mv(1, 1, 2), regs, &mut 0),
        Err(VTrap::Illegal)
    );
    v.vtype = 2 << 3;
    assert_eq!(
        arith(&mut v, &mv(2, 3, 4), regs, &mut 0),
        Err(VTrap::Illegal)
    );
    assert_eq!(
        arith(&mut v, &mv(4, 4, 2), regs, &mut 0),
        Err(VTrap::Illegal)
    );
    v.vstart = 3;
    assert_eq!(arith(&mut v, &mv(2, 4, 8), regs, &mut 0), Ok(()));
    assert_eq!(v.vstart, 0);
    // Bytes below 3 * 4 keep their old values; the rest are v8..v9's.
    assert_eq!(v.regs[4 * VLENB + 11], (4 * VLENB + 11) as u8);
    assert_eq!(v.regs[4 * VLENB + 12], (8 * VLENB + 12) as u8);
    assert_eq!(v.regs[5 * VLENB + 15], (9 * VLENB + 15) as u8);
}
