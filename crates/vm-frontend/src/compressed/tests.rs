//! RVC tests: each case is an encoded parcel (from GNU as) with its assembly in a comment.

use super::expand;
use crate::decode::decode;
use crate::insn::*;

/// Every RV64C instruction (with the D loads and stores) and the 32-bit word of its
/// expansion; both must decode to the same `Insn`.
#[rustfmt::skip]
const PAIRS: &[(u16, u32)] = &[
        (0x1fe0, 0x3fc10413), // c.addi4spn s0, sp, 1020 = addi s0, sp, 1020
        (0x005c, 0x00410793), // c.addi4spn a5, sp, 4   = addi a5, sp, 4
        (0x3de8, 0x0f85b507), // c.fld fa0, 248(a1)     = fld fa0, 248(a1)
        (0x5de8, 0x07c5a503), // c.lw a0, 124(a1)       = lw a0, 124(a1)
        (0x7fe4, 0x0f87b483), // c.ld s1, 248(a5)       = ld s1, 248(a5)
        (0xa480, 0x0084b427), // c.fsd fs0, 8(s1)       = fsd fs0, 8(s1)
        (0xc2d0, 0x00c6a223), // c.sw a2, 4(a3)         = sw a2, 4(a3)
        (0xe3d8, 0x08e7b023), // c.sd a4, 128(a5)       = sd a4, 128(a5)
        (0x0001, 0x00000013), // c.nop                  = addi zero, zero, 0
        (0x1501, 0xfe050513), // c.addi a0, -32         = addi a0, a0, -32
        (0x02fd, 0x01f28293), // c.addi t0, 31          = addi t0, t0, 31
        (0x357d, 0xfff5051b), // c.addiw a0, -1         = addiw a0, a0, -1
        (0x2901, 0x0009091b), // c.addiw s2, 0          = addiw s2, s2, 0
        (0x5501, 0xfe000513), // c.li a0, -32           = addi a0, zero, -32
        (0x4ffd, 0x01f00f93), // c.li t6, 31            = addi t6, zero, 31
        (0x7101, 0xe0010113), // c.addi16sp sp, -512    = addi sp, sp, -512
        (0x617d, 0x1f010113), // c.addi16sp sp, 496     = addi sp, sp, 496
        (0x6505, 0x00001537), // c.lui a0, 1            = lui a0, 1
        (0x7281, 0xfffe02b7), // c.lui t0, 0xfffe0      = lui t0, 0xfffe0
        (0x6dfd, 0x0001fdb7), // c.lui s11, 0x1f        = lui s11, 0x1f
        (0x917d, 0x03f55513), // c.srli a0, 63          = srli a0, a0, 63
        (0x8485, 0x4014d493), // c.srai s1, 1           = srai s1, s1, 1
        (0x9bfd, 0xfff7f793), // c.andi a5, -1          = andi a5, a5, -1
        (0x8c05, 0x40940433), // c.sub s0, s1           = sub s0, s0, s1
        (0x8d2d, 0x00b54533), // c.xor a0, a1           = xor a0, a0, a1
        (0x8e55, 0x00d66633), // c.or a2, a3            = or a2, a2, a3
        (0x8f7d, 0x00f77733), // c.and a4, a5           = and a4, a4, a5
        (0x9c1d, 0x40f4043b), // c.subw s0, a5          = subw s0, s0, a5
        (0x9d25, 0x0095053b), // c.addw a0, s1          = addw a0, a0, s1
        (0xaffd, 0x7fe0006f), // c.j .+2046             = jal zero, .+2046
        (0xb001, 0x801ff06f), // c.j .-2048             = jal zero, .-2048
        (0xcc7d, 0x0e040f63), // c.beqz s0, .+254       = beq s0, zero, .+254
        (0xf381, 0xf00790e3), // c.bnez a5, .-256       = bne a5, zero, .-256
        (0x157e, 0x03f51513), // c.slli a0, 63          = slli a0, a0, 63
        (0x0e06, 0x001e1e13), // c.slli t3, 1           = slli t3, t3, 1
        (0x357e, 0x1f813507), // c.fldsp fa0, 504(sp)   = fld fa0, 504(sp)
        (0x557e, 0x0fc12503), // c.lwsp a0, 252(sp)     = lw a0, 252(sp)
        (0x70fe, 0x1f813083), // c.ldsp ra, 504(sp)     = ld ra, 504(sp)
        (0x8082, 0x00008067), // c.jr ra                = jalr zero, 0(ra)
        (0x8302, 0x00030067), // c.jr t1                = jalr zero, 0(t1)
        (0x852e, 0x00b00533), // c.mv a0, a1            = add a0, zero, a1
        (0x9002, 0x00100073), // c.ebreak               = ebreak
        (0x9782, 0x000780e7), // c.jalr a5              = jalr ra, 0(a5)
        (0x952e, 0x00b50533), // c.add a0, a1           = add a0, a0, a1
        (0xbfa2, 0x1e813c27), // c.fsdsp fs0, 504(sp)   = fsd fs0, 504(sp)
        (0xdfaa, 0x0ea12e23), // c.swsp a0, 252(sp)     = sw a0, 252(sp)
        (0xe406, 0x00113423), // c.sdsp ra, 8(sp)       = sd ra, 8(sp)
];

#[test]
fn every_compressed_instruction_expands_to_its_32_bit_equivalent() {
    for &(half, word) in PAIRS {
        let wide = decode(word).unwrap_or_else(|| panic!("{word:#010x} illegal"));
        assert_eq!(expand(half), Some(wide), "{half:#06x} vs {word:#010x}");
    }
}

#[rustfmt::skip]
#[test]
fn hints_expand_to_their_no_op() {
    let addi = |rd, rs1, imm| Insn::AluImm { op: AluImmOp::Addi, rd: XReg::new(rd), rs1: XReg::new(rs1), imm };
    let add = |rd, rs1, rs2| Insn::Alu { op: AluOp::Add, rd: XReg::new(rd), rs1: XReg::new(rs1), rs2: XReg::new(rs2) };
    let shift = |op, rd, imm| Insn::AluImm { op, rd: XReg::new(rd), rs1: XReg::new(rd), imm };
    assert_eq!(expand(0x0005), Some(addi(0, 0, 1))); // c.nop 1
    assert_eq!(expand(0x0501), Some(addi(10, 10, 0))); // c.addi a0, 0
    assert_eq!(expand(0x4015), Some(addi(0, 0, 5))); // c.li zero, 5
    assert_eq!(expand(0x6005), Some(Insn::Lui { rd: XReg::ZERO, imm: 0x1000 })); // c.lui zero, 1
    assert_eq!(expand(0x802e), Some(add(0, 0, 11))); // c.mv zero, a1
    assert_eq!(expand(0x902e), Some(add(0, 0, 11))); // c.add zero, a1
    assert_eq!(expand(0x0006), Some(shift(AluImmOp::Slli, 0, 1))); // c.slli zero, 1
    assert_eq!(expand(0x0502), Some(shift(AluImmOp::Slli, 10, 0))); // c.slli64 a0
    assert_eq!(expand(0x8101), Some(shift(AluImmOp::Srli, 10, 0))); // c.srli64 a0
    assert_eq!(expand(0x8501), Some(shift(AluImmOp::Srai, 10, 0))); // c.srai64 a0
}

#[test]
fn reserved_encodings_are_illegal() {
    assert_eq!(expand(0x0000), None); // the all-zero parcel (c.unimp)
    assert_eq!(expand(0x0010), None); // c.addi4spn a2, sp, 0
    assert_eq!(expand(0x6101), None); // c.addi16sp sp, 0
    assert_eq!(expand(0x6501), None); // c.lui a0, 0
    assert_eq!(expand(0x6001), None); // c.lui zero, 0
    assert_eq!(expand(0x2001), None); // c.addiw zero, 0
    assert_eq!(expand(0x2015), None); // c.addiw zero, 5
    assert_eq!(expand(0x4002), None); // c.lwsp zero, 0(sp)
    assert_eq!(expand(0x6002), None); // c.ldsp zero, 0(sp)
    assert_eq!(expand(0x8002), None); // c.jr zero
    assert_eq!(expand(0x9000), None); // quadrant 0, funct3 4, bits 12:10 = 4 (Zcb: free)
    assert_eq!(expand(0x9c00), None); // quadrant 0, funct3 4, bits 12:10 = 7
    assert_eq!(expand(0x8c40), None); // c.sh with bit 6 set
    assert_eq!(expand(0x9c79), None); // Zcb unary row, selector 6
    assert_eq!(expand(0x9c7d), None); // Zcb unary row, selector 7
    assert_eq!(expand(0x6201), None); // c.lui tp, 0: even rd, not a c.mop
    assert_eq!(expand(0x6881), None); // c.lui a7, 0: rd >= 16, not a c.mop
    assert_eq!(expand(0x0003), None); // start of a 32-bit instruction
    assert_eq!(expand(0xffff), None); // start of a longer instruction
}

#[test]
fn register_fields_of_the_crs_format_reach_all_registers() {
    // c.addi4spn and friends only reach x8..x15; c.mv/c.add/c.lwsp reach x1..x31.
    for rd in 1..32 {
        let half = 0x4002 | (rd << 7) as u16; // c.lwsp x{rd}, 0(sp)
        let expected = Insn::Load {
            kind: LoadKind::Lw,
            rd: XReg::new(rd),
            rs1: XReg::SP,
            offset: 0,
        };
        assert_eq!(expand(half), Some(expected), "{half:#06x}");
    }
}

#[test]
fn every_parcel_expands_without_panicking() {
    let mut legal = 0;
    for half in 0..=u16::MAX {
        if let Some(insn) = expand(half) {
            legal += 1;
            assert_ne!(half & 3, 3, "{half:#06x}");
            let _ = insn.to_string();
        }
    }
    // 3 quadrants of 2^14 parcels, minus the reserved slots.
    assert!((40_000..49_152).contains(&legal), "{legal} legal parcels");
}

fn x(n: u32) -> XReg {
    XReg::new(n)
}

/// Zcb: each parcel (from GNU as 2.44, `-march=rv64gc_zcb_zba_zbb`) expands to its
/// 32-bit equivalent.
#[test]
fn zcb_expands_to_its_32_bit_equivalents() {
    let load = |kind, rd, rs1, offset| Insn::Load {
        kind,
        rd: x(rd),
        rs1: x(rs1),
        offset,
    };
    let store = |width, rs2, rs1, offset| Insn::Store {
        width,
        rs1: x(rs1),
        rs2: x(rs2),
        offset,
    };
    let unary = |op, r| Insn::BitUnary {
        op,
        rd: x(r),
        rs1: x(r),
    };
    let imm = |op, r, imm| Insn::AluImm {
        op,
        rd: x(r),
        rs1: x(r),
        imm,
    };
    let cases = [
        (0x81e8, load(LoadKind::Lbu, 10, 11, 3)), // c.lbu a0, 3(a1)
        (0x87a4, load(LoadKind::Lhu, 9, 15, 2)),  // c.lhu s1, 2(a5)
        (0x8450, load(LoadKind::Lh, 12, 8, 0)),   // c.lh a2, 0(s0)
        (0x8b54, store(Width::B1, 13, 14, 1)),    // c.sb a3, 1(a4)
        (0x8cbc, store(Width::B2, 15, 9, 2)),     // c.sh a5, 2(s1)
        (0x9c61, imm(AluImmOp::Andi, 8, 0xff)),   // c.zext.b s0
        (0x9ce5, unary(BitUnaryOp::SextB, 9)),    // c.sext.b s1
        (0x9d69, unary(BitUnaryOp::ZextH, 10)),   // c.zext.h a0
        (0x9ded, unary(BitUnaryOp::SextH, 11)),   // c.sext.h a1
        (
            0x9e71, // c.zext.w a2
            Insn::Bit {
                op: BitOp::AddUw,
                rd: x(12),
                rs1: x(12),
                rs2: XReg::ZERO,
            },
        ),
        (0x9ef5, imm(AluImmOp::Xori, 13, -1)), // c.not a3
        (
            0x9f5d, // c.mul a4, a5
            Insn::MulDiv {
                op: MulDivOp::Mul,
                rd: x(14),
                rs1: x(14),
                rs2: x(15),
            },
        ),
    ];
    for (parcel, insn) in cases {
        assert_eq!(expand(parcel), Some(insn), "{parcel:#06x}");
    }
}

/// Zcmop: `c.mop.n` for every odd `n` below 16 (`c.mop.1` is 0x6081, from GNU as).
#[test]
fn zcmop_fills_the_zero_c_lui_of_odd_registers_below_16() {
    for n in (1..16).step_by(2) {
        assert_eq!(
            expand(0x6081 | (n - 1) << 7),
            Some(Insn::CMop { n: n as u8 }),
            "c.mop.{n}"
        );
    }
    assert_eq!(expand(0x6781), Some(Insn::CMop { n: 15 })); // c.mop.15
}
