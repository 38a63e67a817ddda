//! Robustness of the FP executor: every FP operation under every configuration, with
//! aligned and misaligned registers, masks, scalar slots out of range, every `frm`, odd
//! `vl` and `vstart`, runs without panicking and keeps the invariants (`vstart = 0`
//! after completion; a trap changes nothing). Results are checked against qemu by the
//! guest programs in `tests/rva23/v_float_*.c`, not here.

use crate::{arith, VTrap, VectorState, VTYPE_VILL};
use vm_ir::vector::{VArith, VArithOp, VSrc};

const FLOAT_OPS: &[VArithOp] = {
    use VArithOp::*;
    &[
        FMvFS,
        FMvSF,
        FSlide1Up,
        FSlide1Down,
        FAdd,
        FSub,
        FRSub,
        FMul,
        FDiv,
        FRDiv,
        FMin,
        FMax,
        FSgnj,
        FSgnjn,
        FSgnjx,
        FMerge,
        FMvVF,
        MFeq,
        MFne,
        MFlt,
        MFle,
        MFgt,
        MFge,
        FMAdd,
        FNMAdd,
        FMSub,
        FNMSub,
        FMAcc,
        FNMAcc,
        FMSac,
        FNMSac,
        FWAdd,
        FWSub,
        FWAddW,
        FWSubW,
        FWMul,
        FWMAcc,
        FWNMAcc,
        FWMSac,
        FWNMSac,
        FSqrt,
        FRSqrt7,
        FRec7,
        FClass,
        FCvtXUF,
        FCvtXF,
        FCvtFXU,
        FCvtFX,
        FCvtRtzXUF,
        FCvtRtzXF,
        FWCvtXUF,
        FWCvtXF,
        FWCvtFXU,
        FWCvtFX,
        FWCvtFF,
        FWCvtRtzXUF,
        FWCvtRtzXF,
        FNCvtXUF,
        FNCvtXF,
        FNCvtFXU,
        FNCvtFX,
        FNCvtFF,
        FNCvtRodFF,
        FNCvtRtzXUF,
        FNCvtRtzXF,
        FRedUSum,
        FRedOSum,
        FRedMin,
        FRedMax,
        FWRedUSum,
        FWRedOSum,
    ]
};

/// A small deterministic generator (xorshift) for register contents.
fn noise(seed: &mut u64) -> u64 {
    *seed ^= *seed << 13;
    *seed ^= *seed >> 7;
    *seed ^= *seed << 17;
    *seed
}

#[test]
fn every_fp_operation_in_every_configuration_runs_without_panicking() {
    let mut seed = 0x9e37_79b9_7f4a_7c15u64;
    let mut base = VectorState::default();
    for b in base.regs.iter_mut() {
        *b = noise(&mut seed) as u8;
    }
    let srcs = [
        VSrc::V(16),
        VSrc::V(3),
        VSrc::F(40),
        VSrc::F(255),
        VSrc::None,
    ];
    let mut done = 0;
    for &op in FLOAT_OPS {
        assert_eq!(op.family(), vm_ir::vector::VFamily::Float, "{op:?}");
        for vtype in (0..64u64).chain([VTYPE_VILL]) {
            for (n, &src) in srcs.iter().enumerate() {
                let mut v = base.clone();
                v.vtype = vtype;
                v.vl = [0, 1, 7, 16, 128][n];
                v.vstart = [0, 0, 3, 1, 200][(n + vtype as usize) % 5];
                let insn = VArith {
                    op,
                    vd: [24, 0, 9, 31, 8][(n + vtype as usize) % 5],
                    vs2: [8, 9, 0, 30, 24][n],
                    src,
                    masked: n % 2 == 1,
                };
                let mut regs = [0u64; 64];
                for r in regs.iter_mut() {
                    *r = noise(&mut seed);
                }
                regs[40] |= 0xffff_ffff_0000_0000;
                // Mostly valid rounding modes, sometimes 5 or 7 (illegal).
                let frm = [0, 1, 2, 3, 4, 0, 5, 3, 7, 2][(noise(&mut seed) % 10) as usize];
                let mut fcsr = (noise(&mut seed) & 0x1f) as u32 | frm << 5;
                let before = (v.clone(), regs, fcsr);
                match arith(&mut v, &insn, &mut regs, &mut fcsr) {
                    Ok(()) => {
                        assert_eq!(v.vstart, 0, "{insn:?}");
                        assert_eq!(fcsr & !0x1f, before.2 & !0x1f, "frm kept: {insn:?}");
                        done += 1;
                    }
                    Err(VTrap::Illegal) => {
                        assert!(
                            v == before.0 && regs == before.1 && fcsr == before.2,
                            "{insn:?}"
                        )
                    }
                    Err(e) => panic!("{insn:?}: {e:?}"),
                }
            }
        }
    }
    assert!(done > 1000, "only {done} completed");
}
