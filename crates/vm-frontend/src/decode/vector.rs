//! The V extension's encodings (RVV 1.0, with Zvbb): `OP-V` (arithmetic and
//! `vsetvl*`) and the vector forms of `LOAD-FP`/`STORE-FP` (widths 0, 5, 6, 7).
//!
//! Decoding rejects what is reserved whatever the configuration (a `vm` bit an encoding
//! requires, reserved `mew`/`lumop`/`nf` values, unknown selectors); what depends on
//! `vtype` (register group alignment, widening at SEW = 64) is checked by `vm_vector`
//! when the instruction runs.

use crate::insn::Insn;
use vm_ir::vector::{Eew, VArith, VArithOp, VAvl, VMem, VMemMode, VSrc, VTypeSrc};
use vm_ir::{freg, xreg};

/// Whether a `LOAD-FP`/`STORE-FP` word is a vector access (its width field is 0, 5, 6
/// or 7; the scalar FP accesses use 1 to 4).
pub(super) fn is_vector_access(w: u32) -> bool {
    matches!((w >> 12) & 7, 0 | 5 | 6 | 7)
}

/// A vector load (`store = false`) or store.
pub(super) fn mem(w: u32, store: bool) -> Option<Insn> {
    let eew = match (w >> 12) & 7 {
        0 => Eew::E8,
        5 => Eew::E16,
        6 => Eew::E32,
        7 => Eew::E64,
        _ => return None,
    };
    // mew = 1 is reserved (for EEW > 64).
    if w >> 28 & 1 != 0 {
        return None;
    }
    let nf = ((w >> 29) & 7) as u8 + 1;
    let masked = w >> 25 & 1 == 0;
    let field = ((w >> 20) & 31) as u8;
    let mode = match (w >> 26) & 3 {
        0 => match field {
            0 => VMemMode::Unit,
            0x10 if !store => VMemMode::FaultFirst,
            0x08 => {
                // Whole registers: nf of 1, 2, 4 or 8, unmasked; stores only as `vs<nf>r.v`
                // (width 0).
                if masked || !nf.is_power_of_two() || (store && eew != Eew::E8) {
                    return None;
                }
                VMemMode::WholeRegister
            }
            0x0b => {
                if masked || nf != 1 || eew != Eew::E8 {
                    return None;
                }
                VMemMode::Mask
            }
            _ => return None,
        },
        1 => VMemMode::Indexed {
            index: field,
            ordered: false,
        },
        2 => VMemMode::Strided(xreg(field as u32)),
        _ => VMemMode::Indexed {
            index: field,
            ordered: true,
        },
    };
    Some(Insn::VMem(VMem {
        store,
        mode,
        eew,
        nf,
        vd: ((w >> 7) & 31) as u8,
        base: xreg((w >> 15) & 31),
        masked,
    }))
}

/// `OP-V`: `vsetvl*` and the arithmetic.
pub(super) fn op_v(w: u32) -> Option<Insn> {
    let funct3 = (w >> 12) & 7;
    if funct3 == 7 {
        return config(w);
    }
    let funct6 = w >> 26;
    let vm = w >> 25 & 1 == 1;
    let vs2 = ((w >> 20) & 31) as u8;
    let f1 = (w >> 15) & 31;
    let vd = ((w >> 7) & 31) as u8;
    let simm = ((f1 as i8) << 3) >> 3;
    let uimm = f1 as i8;
    let arith = |op, src| {
        Some(Insn::VArith(VArith {
            op,
            vd,
            vs2,
            src,
            masked: !vm,
        }))
    };
    match funct3 {
        // OPIVV, OPIVX, OPIVI
        0 | 3 | 4 => {
            let src = match funct3 {
                0 => VSrc::V(f1 as u8),
                4 => VSrc::X(xreg(f1)),
                _ => VSrc::Imm(simm),
            };
            let (v, i) = (funct3 == 0, funct3 == 3);
            let with_uimm = |op| arith(op, if i { VSrc::Imm(uimm) } else { src });
            use VArithOp::*;
            match funct6 {
                0x00 => arith(Add, src),
                0x01 if !i => arith(AndN, src),
                0x02 if !i => arith(Sub, src),
                0x03 if !v => arith(RSub, src),
                0x04 if !i => arith(MinU, src),
                0x05 if !i => arith(Min, src),
                0x06 if !i => arith(MaxU, src),
                0x07 if !i => arith(Max, src),
                0x09 => arith(And, src),
                0x0a => arith(Or, src),
                0x0b => arith(Xor, src),
                0x0c => with_uimm(RGather),
                0x0e if v => arith(RGatherEi16, src),
                0x0e => with_uimm(SlideUp),
                0x0f if !v => with_uimm(SlideDown),
                // Carry-in forms need vm = 0 (v0 is the carry).
                0x10 if !vm => arith(Adc, src),
                0x11 => arith(MAdc, src),
                0x12 if !vm && !i => arith(Sbc, src),
                0x13 if !i => arith(MSbc, src),
                // vror.vi: a 6-bit amount with its top bit in funct6's low bit.
                0x14 | 0x15 if i => arith(Ror, VSrc::Imm((((funct6 & 1) << 5) | f1) as i8)),
                0x14 => arith(Ror, src),
                0x15 => arith(Rol, src),
                0x17 if !vm => arith(Merge, src),
                0x17 if vs2 == 0 => arith(MvV, src),
                0x18 => arith(MSeq, src),
                0x19 => arith(MSne, src),
                0x1a if !i => arith(MSltU, src),
                0x1b if !i => arith(MSlt, src),
                0x1c => arith(MSleU, src),
                0x1d => arith(MSle, src),
                0x1e if !v => arith(MSgtU, src),
                0x1f if !v => arith(MSgt, src),
                0x20 => arith(SAddU, src),
                0x21 => arith(SAdd, src),
                0x22 if !i => arith(SSubU, src),
                0x23 if !i => arith(SSub, src),
                0x25 => with_uimm(Sll),
                0x27 if !i => arith(SMul, src),
                // vmv<nr>r.v: nr - 1 in the immediate field, nr one of 1, 2, 4, 8.
                0x27 if vm && matches!(f1, 0 | 1 | 3 | 7) => arith(MvNr, VSrc::Imm(f1 as i8 + 1)),
                0x28 => with_uimm(Srl),
                0x29 => with_uimm(Sra),
                0x2a => with_uimm(SSrl),
                0x2b => with_uimm(SSra),
                0x2c => with_uimm(NSrl),
                0x2d => with_uimm(NSra),
                0x2e => with_uimm(NClipU),
                0x2f => with_uimm(NClip),
                0x30 if v => arith(WRedSumU, src),
                0x31 if v => arith(WRedSum, src),
                0x35 => with_uimm(WSll),
                _ => None,
            }
        }
        // OPMVV, OPMVX
        2 | 6 => {
            let v = funct3 == 2;
            let src = if v {
                VSrc::V(f1 as u8)
            } else {
                VSrc::X(xreg(f1))
            };
            use VArithOp::*;
            let reduction = [
                RedSum, RedAnd, RedOr, RedXor, RedMinU, RedMin, RedMaxU, RedMax,
            ];
            match funct6 {
                0x00..=0x07 if v => arith(reduction[funct6 as usize], src),
                0x08 => arith(AAddU, src),
                0x09 => arith(AAdd, src),
                0x0a => arith(ASubU, src),
                0x0b => arith(ASub, src),
                0x0e if !v => arith(Slide1Up, src),
                0x0f if !v => arith(Slide1Down, src),
                // VWXUNARY0: scalar results go to x[rd]'s slot.
                0x10 if v => {
                    let op = match f1 {
                        0x00 if vm => MvXS,
                        0x10 => CPopM,
                        0x11 => FirstM,
                        _ => return None,
                    };
                    scalar(op, xreg(vd as u32), vs2, !vm)
                }
                // VRXUNARY0: vmv.s.x.
                0x10 if vm && vs2 == 0 => arith(MvSX, src),
                0x12 if v => {
                    let op = match f1 {
                        0x02 => ZextVf8,
                        0x03 => SextVf8,
                        0x04 => ZextVf4,
                        0x05 => SextVf4,
                        0x06 => ZextVf2,
                        0x07 => SextVf2,
                        0x08 => Brev8,
                        0x09 => Rev8,
                        0x0a => Brev,
                        0x0c => Clz,
                        0x0d => Ctz,
                        0x0e => CPopV,
                        _ => return None,
                    };
                    arith(op, VSrc::None)
                }
                0x14 if v => {
                    let op = match f1 {
                        0x01 => MSbf,
                        0x02 => MSof,
                        0x03 => MSif,
                        0x10 => Iota,
                        0x11 if vs2 == 0 => Id,
                        _ => return None,
                    };
                    arith(op, VSrc::None)
                }
                0x17 if v && vm => arith(Compress, src),
                0x18..=0x1f if v && vm => {
                    let mask_ops = [MAndN, MAnd, MOr, MXor, MOrN, MNand, MNor, MXnor];
                    arith(mask_ops[funct6 as usize - 0x18], src)
                }
                0x20 => arith(DivU, src),
                0x21 => arith(Div, src),
                0x22 => arith(RemU, src),
                0x23 => arith(Rem, src),
                0x24 => arith(MulHU, src),
                0x25 => arith(Mul, src),
                0x26 => arith(MulHSU, src),
                0x27 => arith(MulH, src),
                0x29 => arith(MAdd, src),
                0x2b => arith(NMSub, src),
                0x2d => arith(MAcc, src),
                0x2f => arith(NMSac, src),
                0x30 => arith(WAddU, src),
                0x31 => arith(WAdd, src),
                0x32 => arith(WSubU, src),
                0x33 => arith(WSub, src),
                0x34 => arith(WAddUW, src),
                0x35 => arith(WAddW, src),
                0x36 => arith(WSubUW, src),
                0x37 => arith(WSubW, src),
                0x38 => arith(WMulU, src),
                0x3a => arith(WMulSU, src),
                0x3b => arith(WMul, src),
                0x3c => arith(WMAccU, src),
                0x3d => arith(WMAcc, src),
                0x3e if !v => arith(WMAccUS, src),
                0x3f => arith(WMAccSU, src),
                _ => None,
            }
        }
        // OPFVV, OPFVF
        _ => {
            let v = funct3 == 1;
            let src = if v {
                VSrc::V(f1 as u8)
            } else {
                VSrc::F(freg(f1))
            };
            use VArithOp::*;
            match funct6 {
                0x00 => arith(FAdd, src),
                0x01 if v => arith(FRedUSum, src),
                0x02 => arith(FSub, src),
                0x03 if v => arith(FRedOSum, src),
                0x04 => arith(FMin, src),
                0x05 if v => arith(FRedMin, src),
                0x06 => arith(FMax, src),
                0x07 if v => arith(FRedMax, src),
                0x08 => arith(FSgnj, src),
                0x09 => arith(FSgnjn, src),
                0x0a => arith(FSgnjx, src),
                0x0e if !v => arith(FSlide1Up, src),
                0x0f if !v => arith(FSlide1Down, src),
                // VWFUNARY0: vfmv.f.s; VRFUNARY0: vfmv.s.f.
                0x10 if v && vm && f1 == 0 => scalar(FMvFS, freg(vd as u32), vs2, false),
                0x10 if !v && vm && vs2 == 0 => arith(FMvSF, src),
                0x12 if v => {
                    let op = match f1 {
                        0x00 => FCvtXUF,
                        0x01 => FCvtXF,
                        0x02 => FCvtFXU,
                        0x03 => FCvtFX,
                        0x06 => FCvtRtzXUF,
                        0x07 => FCvtRtzXF,
                        0x08 => FWCvtXUF,
                        0x09 => FWCvtXF,
                        0x0a => FWCvtFXU,
                        0x0b => FWCvtFX,
                        0x0c => FWCvtFF,
                        0x0e => FWCvtRtzXUF,
                        0x0f => FWCvtRtzXF,
                        0x10 => FNCvtXUF,
                        0x11 => FNCvtXF,
                        0x12 => FNCvtFXU,
                        0x13 => FNCvtFX,
                        0x14 => FNCvtFF,
                        0x15 => FNCvtRodFF,
                        0x16 => FNCvtRtzXUF,
                        0x17 => FNCvtRtzXF,
                        _ => return None,
                    };
                    arith(op, VSrc::None)
                }
                0x13 if v => {
                    let op = match f1 {
                        0x00 => FSqrt,
                        0x04 => FRSqrt7,
                        0x05 => FRec7,
                        0x10 => FClass,
                        _ => return None,
                    };
                    arith(op, VSrc::None)
                }
                0x17 if !v && !vm => arith(FMerge, src),
                0x17 if !v && vs2 == 0 => arith(FMvVF, src),
                0x18 => arith(MFeq, src),
                0x19 => arith(MFle, src),
                0x1b => arith(MFlt, src),
                0x1c => arith(MFne, src),
                0x1d if !v => arith(MFgt, src),
                0x1f if !v => arith(MFge, src),
                0x20 => arith(FDiv, src),
                0x21 if !v => arith(FRDiv, src),
                0x24 => arith(FMul, src),
                0x27 if !v => arith(FRSub, src),
                0x28 => arith(FMAdd, src),
                0x29 => arith(FNMAdd, src),
                0x2a => arith(FMSub, src),
                0x2b => arith(FNMSub, src),
                0x2c => arith(FMAcc, src),
                0x2d => arith(FNMAcc, src),
                0x2e => arith(FMSac, src),
                0x2f => arith(FNMSac, src),
                0x30 => arith(FWAdd, src),
                0x31 if v => arith(FWRedUSum, src),
                0x32 => arith(FWSub, src),
                0x33 if v => arith(FWRedOSum, src),
                0x34 => arith(FWAddW, src),
                0x36 => arith(FWSubW, src),
                0x38 => arith(FWMul, src),
                0x3c => arith(FWMAcc, src),
                0x3d => arith(FWNMAcc, src),
                0x3e => arith(FWMSac, src),
                0x3f => arith(FWNMSac, src),
                _ => None,
            }
        }
    }
}

/// An instruction with a scalar result: `vd` carries the destination slot.
fn scalar(op: VArithOp, dst: u8, vs2: u8, masked: bool) -> Option<Insn> {
    Some(Insn::VArith(VArith {
        op,
        vd: dst,
        vs2,
        src: VSrc::None,
        masked,
    }))
}

/// `vsetvli`, `vsetivli`, `vsetvl`.
fn config(w: u32) -> Option<Insn> {
    let rd = crate::insn::XReg::new(w >> 7);
    let rs1 = (w >> 15) & 31;
    let reg_avl = || {
        if rs1 != 0 {
            VAvl::Reg(xreg(rs1))
        } else if !rd.is_zero() {
            VAvl::Max
        } else {
            VAvl::Keep
        }
    };
    let (avl, vtype) = if w >> 31 == 0 {
        (reg_avl(), VTypeSrc::Imm(((w >> 20) & 0x7ff) as u16))
    } else if w >> 30 == 3 {
        (
            VAvl::Imm(rs1 as u8),
            VTypeSrc::Imm(((w >> 20) & 0x3ff) as u16),
        )
    } else if (w >> 25) & 0x7f == 0x40 {
        (reg_avl(), VTypeSrc::Reg(xreg((w >> 20) & 31)))
    } else {
        return None;
    };
    Some(Insn::VSetVl { rd, avl, vtype })
}
