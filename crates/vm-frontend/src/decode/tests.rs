//! Decoder tests: each case is an encoded word (from GNU as, `-march=rv64gc_zba_zbb_zbs`)
//! with its assembly in a comment.

use super::decode;
use crate::insn::*;

fn x(n: u32) -> XReg {
    XReg::new(n)
}

fn f(n: u32) -> FReg {
    FReg::new(n)
}

fn check(word: u32, expected: Insn) {
    assert_eq!(decode(word), Some(expected), "{word:#010x}");
}

fn illegal(word: u32) {
    assert_eq!(decode(word), None, "{word:#010x} decoded");
}

fn with_rm(word: u32, rm: u32) -> u32 {
    (word & !0x7000) | rm << 12
}

/// Every instruction of the supported ISA once, with the text GNU objdump
/// (`-M no-aliases,numeric`) prints for it. binutils 2.40 prints the `rne` of the exact
/// conversions `fcvt.d.s`/`fcvt.d.w`/`fcvt.d.wu` as nothing; we print it.
#[rustfmt::skip]
pub(crate) const ALL: &[(u32, &str)] = &[
        (0x12345537, "lui\tx10,0x12345"), // lui a0, 0x12345
        (0xffffffb7, "lui\tx31,0xfffff"), // lui t6, 0xfffff
        (0x00001517, "auipc\tx10,0x1"), // auipc a0, 0x1
        (0x80000117, "auipc\tx2,0x80000"), // auipc sp, 0x80000
        (0x001000ef, "jal\tx1,.+2048"), // jal ra, .+2048
        (0xffdff06f, "jal\tx0,.-4"), // jal zero, .-4
        (0xfff780e7, "jalr\tx1,-1(x15)"), // jalr ra, -1(a5)
        (0x00008067, "jalr\tx0,0(x1)"), // jalr zero, 0(ra)
        (0x00b50863, "beq\tx10,x11,.+16"), // beq a0, a1, .+16
        (0x80041063, "bne\tx8,x0,.-4096"), // bne s0, zero, .-4096
        (0x7e62cfe3, "blt\tx5,x6,.+4094"), // blt t0, t1, .+4094
        (0xfed65fe3, "bge\tx12,x13,.-2"), // bge a2, a3, .-2
        (0x00f76463, "bltu\tx14,x15,.+8"), // bltu a4, a5, .+8
        (0x0124f663, "bgeu\tx9,x18,.+12"), // bgeu s1, s2, .+12
        (0xfff58503, "lb\tx10,-1(x11)"), // lb a0, -1(a1)
        (0x7ff59503, "lh\tx10,2047(x11)"), // lh a0, 2047(a1)
        (0x80012503, "lw\tx10,-2048(x2)"), // lw a0, -2048(sp)
        (0x00813403, "ld\tx8,8(x2)"), // ld s0, 8(sp)
        (0x00034283, "lbu\tx5,0(x6)"), // lbu t0, 0(t1)
        (0x006e5383, "lhu\tx7,6(x28)"), // lhu t2, 6(t3)
        (0x00cf6e83, "lwu\tx29,12(x30)"), // lwu t4, 12(t5)
        (0xfea58fa3, "sb\tx10,-1(x11)"), // sb a0, -1(a1)
        (0x7ec69fa3, "sh\tx12,2047(x13)"), // sh a2, 2047(a3)
        (0x80e12023, "sw\tx14,-2048(x2)"), // sw a4, -2048(sp)
        (0x00113c23, "sd\tx1,24(x2)"), // sd ra, 24(sp)
        (0x80058513, "addi\tx10,x11,-2048"), // addi a0, a1, -2048
        (0x7ff5a513, "slti\tx10,x11,2047"), // slti a0, a1, 2047
        (0xfff5b513, "sltiu\tx10,x11,-1"), // sltiu a0, a1, -1
        (0xfff5c513, "xori\tx10,x11,-1"), // xori a0, a1, -1
        (0x07f5e513, "ori\tx10,x11,127"), // ori a0, a1, 0x7f
        (0x0f05f513, "andi\tx10,x11,240"), // andi a0, a1, 0xf0
        (0x03f59513, "slli\tx10,x11,0x3f"), // slli a0, a1, 63
        (0x0015d513, "srli\tx10,x11,0x1"), // srli a0, a1, 1
        (0x4205d513, "srai\tx10,x11,0x20"), // srai a0, a1, 32
        (0x00c58533, "add\tx10,x11,x12"), // add a0, a1, a2
        (0x40c58533, "sub\tx10,x11,x12"), // sub a0, a1, a2
        (0x00c59533, "sll\tx10,x11,x12"), // sll a0, a1, a2
        (0x00c5a533, "slt\tx10,x11,x12"), // slt a0, a1, a2
        (0x00c5b533, "sltu\tx10,x11,x12"), // sltu a0, a1, a2
        (0x00c5c533, "xor\tx10,x11,x12"), // xor a0, a1, a2
        (0x00c5d533, "srl\tx10,x11,x12"), // srl a0, a1, a2
        (0x40c5d533, "sra\tx10,x11,x12"), // sra a0, a1, a2
        (0x00c5e533, "or\tx10,x11,x12"), // or a0, a1, a2
        (0x00c5f533, "and\tx10,x11,x12"), // and a0, a1, a2
        (0xfff5851b, "addiw\tx10,x11,-1"), // addiw a0, a1, -1
        (0x01f5951b, "slliw\tx10,x11,0x1f"), // slliw a0, a1, 31
        (0x0055d51b, "srliw\tx10,x11,0x5"), // srliw a0, a1, 5
        (0x41f5d51b, "sraiw\tx10,x11,0x1f"), // sraiw a0, a1, 31
        (0x00c5853b, "addw\tx10,x11,x12"), // addw a0, a1, a2
        (0x40c5853b, "subw\tx10,x11,x12"), // subw a0, a1, a2
        (0x00c5953b, "sllw\tx10,x11,x12"), // sllw a0, a1, a2
        (0x00c5d53b, "srlw\tx10,x11,x12"), // srlw a0, a1, a2
        (0x40c5d53b, "sraw\tx10,x11,x12"), // sraw a0, a1, a2
        (0x0ff0000f, "fence\tiorw,iorw"), // fence
        (0x0310000f, "fence\trw,w"), // fence rw, w
        (0x8330000f, "fence.tso"), // fence.tso
        (0x00000073, "ecall"), // ecall
        (0x00100073, "ebreak"), // ebreak
        (0x02c58533, "mul\tx10,x11,x12"), // mul a0, a1, a2
        (0x02c59533, "mulh\tx10,x11,x12"), // mulh a0, a1, a2
        (0x02c5a533, "mulhsu\tx10,x11,x12"), // mulhsu a0, a1, a2
        (0x02c5b533, "mulhu\tx10,x11,x12"), // mulhu a0, a1, a2
        (0x02c5c533, "div\tx10,x11,x12"), // div a0, a1, a2
        (0x02c5d533, "divu\tx10,x11,x12"), // divu a0, a1, a2
        (0x02c5e533, "rem\tx10,x11,x12"), // rem a0, a1, a2
        (0x02c5f533, "remu\tx10,x11,x12"), // remu a0, a1, a2
        (0x02c5853b, "mulw\tx10,x11,x12"), // mulw a0, a1, a2
        (0x02c5c53b, "divw\tx10,x11,x12"), // divw a0, a1, a2
        (0x02c5d53b, "divuw\tx10,x11,x12"), // divuw a0, a1, a2
        (0x02c5e53b, "remw\tx10,x11,x12"), // remw a0, a1, a2
        (0x02c5f53b, "remuw\tx10,x11,x12"), // remuw a0, a1, a2
        (0x1005a52f, "lr.w\tx10,(x11)"), // lr.w a0, (a1)
        (0x1605b52f, "lr.d.aqrl\tx10,(x11)"), // lr.d.aqrl a0, (a1)
        (0x1ac5a52f, "sc.w.rl\tx10,x12,(x11)"), // sc.w.rl a0, a2, (a1)
        (0x18c5b52f, "sc.d\tx10,x12,(x11)"), // sc.d a0, a2, (a1)
        (0x08c5a52f, "amoswap.w\tx10,x12,(x11)"), // amoswap.w a0, a2, (a1)
        (0x04c5b52f, "amoadd.d.aq\tx10,x12,(x11)"), // amoadd.d.aq a0, a2, (a1)
        (0x20c5a52f, "amoxor.w\tx10,x12,(x11)"), // amoxor.w a0, a2, (a1)
        (0x60c5b52f, "amoand.d\tx10,x12,(x11)"), // amoand.d a0, a2, (a1)
        (0x46c5a52f, "amoor.w.aqrl\tx10,x12,(x11)"), // amoor.w.aqrl a0, a2, (a1)
        (0x80c5b52f, "amomin.d\tx10,x12,(x11)"), // amomin.d a0, a2, (a1)
        (0xa0c5a52f, "amomax.w\tx10,x12,(x11)"), // amomax.w a0, a2, (a1)
        (0xc0c5b52f, "amominu.d\tx10,x12,(x11)"), // amominu.d a0, a2, (a1)
        (0xe2c5a52f, "amomaxu.w.rl\tx10,x12,(x11)"), // amomaxu.w.rl a0, a2, (a1)
        (0xffc5a507, "flw\tf10,-4(x11)"), // flw fa0, -4(a1)
        (0x7f813407, "fld\tf8,2040(x2)"), // fld fs0, 2040(sp)
        (0x00b52227, "fsw\tf11,4(x10)"), // fsw fa1, 4(a0)
        (0xfe913c27, "fsd\tf9,-8(x2)"), // fsd fs1, -8(sp)
        (0x0020f053, "fadd.s\tf0,f1,f2"), // fadd.s ft0, ft1, ft2
        (0x0ac59553, "fsub.d\tf10,f11,f12,rtz"), // fsub.d fa0, fa1, fa2, rtz
        (0x1124a453, "fmul.s\tf8,f9,f18,rdn"), // fmul.s fs0, fs1, fs2, rdn
        (0x1beebe53, "fdiv.d\tf28,f29,f30,rup"), // fdiv.d ft8, ft9, ft10, rup
        (0x5805c553, "fsqrt.s\tf10,f11,rmm"), // fsqrt.s fa0, fa1, rmm
        (0x5a05f553, "fsqrt.d\tf10,f11"), // fsqrt.d fa0, fa1
        (0x68c5f543, "fmadd.s\tf10,f11,f12,f13"), // fmadd.s fa0, fa1, fa2, fa3
        (0x6ac58547, "fmsub.d\tf10,f11,f12,f13,rne"), // fmsub.d fa0, fa1, fa2, fa3, rne
        (0x68c5954b, "fnmsub.s\tf10,f11,f12,f13,rtz"), // fnmsub.s fa0, fa1, fa2, fa3, rtz
        (0x6ac5f54f, "fnmadd.d\tf10,f11,f12,f13"), // fnmadd.d fa0, fa1, fa2, fa3
        (0x20c58553, "fsgnj.s\tf10,f11,f12"), // fsgnj.s fa0, fa1, fa2
        (0x22c59553, "fsgnjn.d\tf10,f11,f12"), // fsgnjn.d fa0, fa1, fa2
        (0x20c5a553, "fsgnjx.s\tf10,f11,f12"), // fsgnjx.s fa0, fa1, fa2
        (0x2ac58553, "fmin.d\tf10,f11,f12"), // fmin.d fa0, fa1, fa2
        (0x28c59553, "fmax.s\tf10,f11,f12"), // fmax.s fa0, fa1, fa2
        (0x4015f553, "fcvt.s.d\tf10,f11"), // fcvt.s.d fa0, fa1
        (0x42058553, "fcvt.d.s\tf10,f11,rne"), // fcvt.d.s fa0, fa1
        (0xa0c5a553, "feq.s\tx10,f11,f12"), // feq.s a0, fa1, fa2
        (0xa2c59553, "flt.d\tx10,f11,f12"), // flt.d a0, fa1, fa2
        (0xa0c58553, "fle.s\tx10,f11,f12"), // fle.s a0, fa1, fa2
        (0xe0059553, "fclass.s\tx10,f11"), // fclass.s a0, fa1
        (0xe2059553, "fclass.d\tx10,f11"), // fclass.d a0, fa1
        (0xc0059553, "fcvt.w.s\tx10,f11,rtz"), // fcvt.w.s a0, fa1, rtz
        (0xc015f553, "fcvt.wu.s\tx10,f11"), // fcvt.wu.s a0, fa1
        (0xc025f553, "fcvt.l.s\tx10,f11"), // fcvt.l.s a0, fa1
        (0xc035f553, "fcvt.lu.s\tx10,f11"), // fcvt.lu.s a0, fa1
        (0xc2059553, "fcvt.w.d\tx10,f11,rtz"), // fcvt.w.d a0, fa1, rtz
        (0xc215f553, "fcvt.wu.d\tx10,f11"), // fcvt.wu.d a0, fa1
        (0xc225c553, "fcvt.l.d\tx10,f11,rmm"), // fcvt.l.d a0, fa1, rmm
        (0xc235f553, "fcvt.lu.d\tx10,f11"), // fcvt.lu.d a0, fa1
        (0xd005f553, "fcvt.s.w\tf10,x11"), // fcvt.s.w fa0, a1
        (0xd015f553, "fcvt.s.wu\tf10,x11"), // fcvt.s.wu fa0, a1
        (0xd0258553, "fcvt.s.l\tf10,x11,rne"), // fcvt.s.l fa0, a1, rne
        (0xd035f553, "fcvt.s.lu\tf10,x11"), // fcvt.s.lu fa0, a1
        (0xd2058553, "fcvt.d.w\tf10,x11,rne"), // fcvt.d.w fa0, a1
        (0xd2158553, "fcvt.d.wu\tf10,x11,rne"), // fcvt.d.wu fa0, a1
        (0xd225f553, "fcvt.d.l\tf10,x11"), // fcvt.d.l fa0, a1
        (0xd2359553, "fcvt.d.lu\tf10,x11,rtz"), // fcvt.d.lu fa0, a1, rtz
        (0xe0058553, "fmv.x.w\tx10,f11"), // fmv.x.w a0, fa1
        (0xe2058553, "fmv.x.d\tx10,f11"), // fmv.x.d a0, fa1
        (0xf0058553, "fmv.w.x\tf10,x11"), // fmv.w.x fa0, a1
        (0xf2058553, "fmv.d.x\tf10,x11"), // fmv.d.x fa0, a1
        (0x00359573, "csrrw\tx10,fcsr,x11"), // csrrw a0, fcsr, a1
        (0x00102573, "csrrs\tx10,fflags,x0"), // csrrs a0, fflags, zero
        (0x0025b073, "csrrc\tx0,frm,x11"), // csrrc zero, frm, a1
        (0x0021d573, "csrrwi\tx10,frm,3"), // csrrwi a0, frm, 3
        (0x001fe573, "csrrsi\tx10,fflags,31"), // csrrsi a0, fflags, 31
        (0x0030f573, "csrrci\tx10,fcsr,1"), // csrrci a0, fcsr, 1
        (0xc0002573, "csrrs\tx10,cycle,x0"), // csrrs a0, cycle, zero
        (0xc0102573, "csrrs\tx10,time,x0"), // csrrs a0, time, zero
        (0xc0202573, "csrrs\tx10,instret,x0"), // csrrs a0, instret, zero
        (0xc0006573, "csrrsi\tx10,cycle,0"), // csrrsi a0, cycle, 0
        (0xc0207573, "csrrci\tx10,instret,0"), // csrrci a0, instret, 0
        (0x0000100f, "fence.i"), // fence.i
        (0x20c5a533, "sh1add\tx10,x11,x12"), // sh1add a0, a1, a2
        (0x20c5c533, "sh2add\tx10,x11,x12"), // sh2add a0, a1, a2
        (0x20c5e533, "sh3add\tx10,x11,x12"), // sh3add a0, a1, a2
        (0x08c5853b, "add.uw\tx10,x11,x12"), // add.uw a0, a1, a2
        (0x20c5a53b, "sh1add.uw\tx10,x11,x12"), // sh1add.uw a0, a1, a2
        (0x20c5c53b, "sh2add.uw\tx10,x11,x12"), // sh2add.uw a0, a1, a2
        (0x20c5e53b, "sh3add.uw\tx10,x11,x12"), // sh3add.uw a0, a1, a2
        (0x0bf5951b, "slli.uw\tx10,x11,0x3f"), // slli.uw a0, a1, 63
        (0x40c5f533, "andn\tx10,x11,x12"), // andn a0, a1, a2
        (0x40c5e533, "orn\tx10,x11,x12"), // orn a0, a1, a2
        (0x40c5c533, "xnor\tx10,x11,x12"), // xnor a0, a1, a2
        (0x60059513, "clz\tx10,x11"), // clz a0, a1
        (0x6005951b, "clzw\tx10,x11"), // clzw a0, a1
        (0x60159513, "ctz\tx10,x11"), // ctz a0, a1
        (0x6015951b, "ctzw\tx10,x11"), // ctzw a0, a1
        (0x60259513, "cpop\tx10,x11"), // cpop a0, a1
        (0x6025951b, "cpopw\tx10,x11"), // cpopw a0, a1
        (0x0ac5e533, "max\tx10,x11,x12"), // max a0, a1, a2
        (0x0ac5f533, "maxu\tx10,x11,x12"), // maxu a0, a1, a2
        (0x0ac5c533, "min\tx10,x11,x12"), // min a0, a1, a2
        (0x0ac5d533, "minu\tx10,x11,x12"), // minu a0, a1, a2
        (0x60459513, "sext.b\tx10,x11"), // sext.b a0, a1
        (0x60559513, "sext.h\tx10,x11"), // sext.h a0, a1
        (0x0805c53b, "zext.h\tx10,x11"), // zext.h a0, a1
        (0x60c59533, "rol\tx10,x11,x12"), // rol a0, a1, a2
        (0x60c5953b, "rolw\tx10,x11,x12"), // rolw a0, a1, a2
        (0x60c5d533, "ror\tx10,x11,x12"), // ror a0, a1, a2
        (0x63f5d513, "rori\tx10,x11,0x3f"), // rori a0, a1, 63
        (0x61f5d51b, "roriw\tx10,x11,0x1f"), // roriw a0, a1, 31
        (0x60c5d53b, "rorw\tx10,x11,x12"), // rorw a0, a1, a2
        (0x2875d513, "orc.b\tx10,x11"), // orc.b a0, a1
        (0x6b85d513, "rev8\tx10,x11"), // rev8 a0, a1
        (0x48c59533, "bclr\tx10,x11,x12"), // bclr a0, a1, a2
        (0x4bf59513, "bclri\tx10,x11,0x3f"), // bclri a0, a1, 63
        (0x48c5d533, "bext\tx10,x11,x12"), // bext a0, a1, a2
        (0x4855d513, "bexti\tx10,x11,0x5"), // bexti a0, a1, 5
        (0x68c59533, "binv\tx10,x11,x12"), // binv a0, a1, a2
        (0x68059513, "binvi\tx10,x11,0x0"), // binvi a0, a1, 0
        (0x28c59533, "bset\tx10,x11,x12"), // bset a0, a1, a2
        (0x2a059513, "bseti\tx10,x11,0x20"), // bseti a0, a1, 32
        // Zicond, Zicbom, Zicboz, Zimop, Zawrs (GNU as 2.44)
        (0x0ec5d533, "czero.eqz\tx10,x11,x12"), // czero.eqz a0, a1, a2
        (0x0e547fb3, "czero.nez\tx31,x8,x5"), // czero.nez t6, s0, t0
        (0x0045200f, "cbo.zero\t(x10)"), // cbo.zero (a0)
        (0x0015a00f, "cbo.clean\t(x11)"), // cbo.clean (a1)
        (0x0025200f, "cbo.flush\t(x10)"), // cbo.flush (a0)
        (0x81c5c573, "mop.r.0\tx10,x11"), // mop.r.0 a0, a1
        (0xcdf44ff3, "mop.r.31\tx31,x8"), // mop.r.31 t6, s0
        (0x82c5c573, "mop.rr.0\tx10,x11,x12"), // mop.rr.0 a0, a1, a2
        (0xce3140f3, "mop.rr.7\tx1,x2,x3"), // mop.rr.7 ra, sp, gp
        (0x00d00073, "wrs.nto"), // wrs.nto
        (0x01d00073, "wrs.sto"), // wrs.sto
        // Zfh and Zfa (GNU as 2.44; the text is objdump's)
        (0xf01000d3, "fli.s\tf1,-0x1p+0"),
        (0xf2108153, "fli.d\tf2,min"),
        (0xf41101d3, "fli.h\tf3,0x1p-16"),
        (0xf01f0253, "fli.s\tf4,inf"),
        (0xf21f82d3, "fli.d\tf5,nan"),
        (0xf0148353, "fli.s\tf6,0x1.4p-2"),
        (0xf41e83d3, "fli.h\tf7,0x1p+16"),
        (0xf01e0453, "fli.s\tf8,0x1p+15"),
        (0x283120d3, "fminm.s\tf1,f2,f3"),
        (0x2a3130d3, "fmaxm.d\tf1,f2,f3"),
        (0x404170d3, "fround.s\tf1,f2"),
        (0x425110d3, "froundnx.d\tf1,f2,rtz"),
        (0x444170d3, "fround.h\tf1,f2"),
        (0xc2809553, "fcvtmod.w.d\tx10,f1,rtz"),
        (0xa020c553, "fleq.s\tx10,f1,f2"),
        (0xa420d553, "fltq.h\tx10,f1,f2"),
        (0x440170d3, "fcvt.h.s\tf1,f2"),
        (0x402100d3, "fcvt.s.h\tf1,f2,rne"),
        (0x422100d3, "fcvt.d.h\tf1,f2,rne"),
        (0x441110d3, "fcvt.h.d\tf1,f2,rtz"),
        (0x00251087, "flh\tf1,2(x10)"),
        (0xfe151f27, "fsh\tf1,-2(x10)"),
        (0xe4008553, "fmv.x.h\tx10,f1"),
        (0xf40500d3, "fmv.h.x\tf1,x10"),
        (0x043170d3, "fadd.h\tf1,f2,f3"),
        (0x243170c3, "fmadd.h\tf1,f2,f3,f4"),
        (0xc400f553, "fcvt.w.h\tx10,f1"),
        (0xd43570d3, "fcvt.h.lu\tf1,x10"),
        (0xe4009553, "fclass.h\tx10,f1"),
];

#[test]
fn every_instruction_decodes_as_binutils_disassembles_it() {
    for &(word, text) in ALL {
        let insn = decode(word).unwrap_or_else(|| panic!("{word:#010x} ({text}) illegal"));
        assert_eq!(insn.to_string(), text, "{word:#010x}");
    }
}

#[rustfmt::skip]
#[test]
fn upper_immediates_and_jumps() {
    check(0xffffffb7, Insn::Lui { rd: x(31), imm: -4096 }); // lui t6, 0xfffff
    check(0x80000117, Insn::Auipc { rd: x(2), imm: i32::MIN }); // auipc sp, 0x80000
    check(0x001000ef, Insn::Jal { rd: x(1), offset: 2048 }); // jal ra, .+2048
    check(0xffdff06f, Insn::Jal { rd: x(0), offset: -4 }); // jal zero, .-4
    check(0xfff780e7, Insn::Jalr { rd: x(1), rs1: x(15), offset: -1 }); // jalr ra, -1(a5)
}

#[rustfmt::skip]
#[test]
fn branches_have_byte_offsets() {
    let b = |cond, rs1, rs2, offset| Insn::Branch { cond, rs1: x(rs1), rs2: x(rs2), offset };
    check(0x00b50863, b(Cond::Eq, 10, 11, 16)); // beq a0, a1, .+16
    check(0x80041063, b(Cond::Ne, 8, 0, -4096)); // bne s0, zero, .-4096
    check(0x7e62cfe3, b(Cond::Lt, 5, 6, 4094)); // blt t0, t1, .+4094
    check(0xfed65fe3, b(Cond::Ge, 12, 13, -2)); // bge a2, a3, .-2
    check(0x00f76463, b(Cond::LtU, 14, 15, 8)); // bltu a4, a5, .+8
    check(0x0124f663, b(Cond::GeU, 9, 18, 12)); // bgeu s1, s2, .+12
}

#[rustfmt::skip]
#[test]
fn loads_and_stores() {
    let load = |kind, rd, rs1, offset| Insn::Load { kind, rd: x(rd), rs1: x(rs1), offset };
    let store = |width, rs2, rs1, offset| Insn::Store { width, rs1: x(rs1), rs2: x(rs2), offset };
    check(0xfff58503, load(LoadKind::Lb, 10, 11, -1)); // lb a0, -1(a1)
    check(0x7ff59503, load(LoadKind::Lh, 10, 11, 2047)); // lh a0, 2047(a1)
    check(0x80012503, load(LoadKind::Lw, 10, 2, -2048)); // lw a0, -2048(sp)
    check(0x00813403, load(LoadKind::Ld, 8, 2, 8)); // ld s0, 8(sp)
    check(0x00034283, load(LoadKind::Lbu, 5, 6, 0)); // lbu t0, 0(t1)
    check(0x006e5383, load(LoadKind::Lhu, 7, 28, 6)); // lhu t2, 6(t3)
    check(0x00cf6e83, load(LoadKind::Lwu, 29, 30, 12)); // lwu t4, 12(t5)
    check(0xfea58fa3, store(Width::B1, 10, 11, -1)); // sb a0, -1(a1)
    check(0x7ec69fa3, store(Width::B2, 12, 13, 2047)); // sh a2, 2047(a3)
    check(0x80e12023, store(Width::B4, 14, 2, -2048)); // sw a4, -2048(sp)
    check(0x00113c23, store(Width::B8, 1, 2, 24)); // sd ra, 24(sp)
}

#[rustfmt::skip]
#[test]
fn integer_immediates_and_rv64_shift_amounts() {
    let imm = |op, imm| Insn::AluImm { op, rd: x(10), rs1: x(11), imm };
    check(0x80058513, imm(AluImmOp::Addi, -2048)); // addi a0, a1, -2048
    check(0xfff5b513, imm(AluImmOp::Sltiu, -1)); // sltiu a0, a1, -1
    check(0x03f59513, imm(AluImmOp::Slli, 63)); // slli a0, a1, 63
    check(0x4205d513, imm(AluImmOp::Srai, 32)); // srai a0, a1, 32
    check(0xfff5851b, imm(AluImmOp::Addiw, -1)); // addiw a0, a1, -1
    check(0x01f5951b, imm(AluImmOp::Slliw, 31)); // slliw a0, a1, 31
    check(0x41f5d51b, imm(AluImmOp::Sraiw, 31)); // sraiw a0, a1, 31
}

#[rustfmt::skip]
#[test]
fn register_operations_of_i_and_m() {
    let alu = |op| Insn::Alu { op, rd: x(10), rs1: x(11), rs2: x(12) };
    let mul = |op| Insn::MulDiv { op, rd: x(10), rs1: x(11), rs2: x(12) };
    check(0x40c58533, alu(AluOp::Sub)); // sub a0, a1, a2
    check(0x40c5d533, alu(AluOp::Sra)); // sra a0, a1, a2
    check(0x40c5853b, alu(AluOp::Subw)); // subw a0, a1, a2
    check(0x02c5b533, mul(MulDivOp::Mulhu)); // mulhu a0, a1, a2
    check(0x02c5f53b, mul(MulDivOp::Remuw)); // remuw a0, a1, a2
}

#[rustfmt::skip]
#[test]
fn atomics_keep_ordering_bits() {
    check(0x1005a52f, Insn::Lr { width: Width::B4, rd: x(10), rs1: x(11), aq: false, rl: false }); // lr.w a0, (a1)
    check(0x1605b52f, Insn::Lr { width: Width::B8, rd: x(10), rs1: x(11), aq: true, rl: true }); // lr.d.aqrl a0, (a1)
    check(0x1ac5a52f, Insn::Sc { width: Width::B4, rd: x(10), rs1: x(11), rs2: x(12), aq: false, rl: true }); // sc.w.rl a0, a2, (a1)
    let amo = |op, width, aq, rl| Insn::Amo { op, width, rd: x(10), rs1: x(11), rs2: x(12), aq, rl };
    check(0x04c5b52f, amo(AmoOp::Add, Width::B8, true, false)); // amoadd.d.aq a0, a2, (a1)
    check(0xe2c5a52f, amo(AmoOp::MaxU, Width::B4, false, true)); // amomaxu.w.rl a0, a2, (a1)
    check(0xc0c5b52f, amo(AmoOp::MinU, Width::B8, false, false)); // amominu.d a0, a2, (a1)
}

#[rustfmt::skip]
#[test]
fn fp_loads_stores_and_arithmetic() {
    check(0xffc5a507, Insn::FLoad { fmt: FpFmt::S, rd: f(10), rs1: x(11), offset: -4 }); // flw fa0, -4(a1)
    check(0xfe913c27, Insn::FStore { fmt: FpFmt::D, rs1: x(2), rs2: f(9), offset: -8 }); // fsd fs1, -8(sp)
    check(0x0ac59553, Insn::FArith { op: FArithOp::Sub, fmt: FpFmt::D, rm: Rounding::Rtz, rd: f(10), rs1: f(11), rs2: f(12) }); // fsub.d fa0, fa1, fa2, rtz
    check(0x5805c553, Insn::FSqrt { fmt: FpFmt::S, rm: Rounding::Rmm, rd: f(10), rs1: f(11) }); // fsqrt.s fa0, fa1, rmm
    check(0x6ac58547, Insn::FFused { op: FFusedOp::MSub, fmt: FpFmt::D, rm: Rounding::Rne, rd: f(10), rs1: f(11), rs2: f(12), rs3: f(13) }); // fmsub.d fa0, fa1, fa2, fa3, rne
    check(0x68c5f54f, Insn::FFused { op: FFusedOp::NMAdd, fmt: FpFmt::S, rm: Rounding::Dyn, rd: f(10), rs1: f(11), rs2: f(12), rs3: f(13) }); // fnmadd.s fa0, fa1, fa2, fa3
    check(0x22c59553, Insn::FSgnj { op: FSgnjOp::Jn, fmt: FpFmt::D, rd: f(10), rs1: f(11), rs2: f(12) }); // fsgnjn.d fa0, fa1, fa2
    check(0x28c59553, Insn::FMinMax { op: FMinMaxOp::Max, fmt: FpFmt::S, rd: f(10), rs1: f(11), rs2: f(12) }); // fmax.s fa0, fa1, fa2
}

#[rustfmt::skip]
#[test]
fn fp_comparisons_conversions_and_moves() {
    check(0xa2c59553, Insn::FCmp { op: FCmpOp::Lt, fmt: FpFmt::D, rd: x(10), rs1: f(11), rs2: f(12) }); // flt.d a0, fa1, fa2
    check(0xe2059553, Insn::FClass { fmt: FpFmt::D, rd: x(10), rs1: f(11) }); // fclass.d a0, fa1
    check(0xc2259553, Insn::FCvtToInt { int: IntKind::L, fmt: FpFmt::D, rm: Rounding::Rtz, rd: x(10), rs1: f(11) }); // fcvt.l.d a0, fa1, rtz
    check(0xc015f553, Insn::FCvtToInt { int: IntKind::WU, fmt: FpFmt::S, rm: Rounding::Dyn, rd: x(10), rs1: f(11) }); // fcvt.wu.s a0, fa1
    check(0xd2359553, Insn::FCvtFromInt { int: IntKind::LU, fmt: FpFmt::D, rm: Rounding::Rtz, rd: f(10), rs1: x(11) }); // fcvt.d.lu fa0, a1, rtz
    check(0x4015f553, Insn::FCvtFmt { fmt: FpFmt::S, rm: Rounding::Dyn, rd: f(10), rs1: f(11) }); // fcvt.s.d fa0, fa1
    check(0x42058553, Insn::FCvtFmt { fmt: FpFmt::D, rm: Rounding::Rne, rd: f(10), rs1: f(11) }); // fcvt.d.s fa0, fa1
    check(0xe0058553, Insn::FMvToInt { fmt: FpFmt::S, rd: x(10), rs1: f(11) }); // fmv.x.w a0, fa1
    check(0xf2058553, Insn::FMvFromInt { fmt: FpFmt::D, rd: f(10), rs1: x(11) }); // fmv.d.x fa0, a1
}

#[test]
fn exact_conversions_accept_every_valid_rounding_mode() {
    // fcvt.d.s, fcvt.d.w and fcvt.d.wu are exact but still have an rm field (which traps
    // when dynamic and frm is invalid); newer binutils accept any rm for them.
    for word in [0x42058553, 0xd2058553, 0xd2158553] {
        for rm in [0, 1, 2, 3, 4, 7] {
            assert!(decode(with_rm(word, rm)).is_some(), "{word:#010x} rm={rm}");
        }
    }
}

#[test]
fn reserved_rounding_modes_are_illegal() {
    let with_rm_field = [
        0x00208053, // fadd.s ft0, ft1, ft2, rne
        0x5805c553, // fsqrt.s fa0, fa1, rmm
        0x6ac58547, // fmsub.d fa0, fa1, fa2, fa3, rne
        0xc0059553, // fcvt.w.s a0, fa1, rtz
        0xd0058553, // fcvt.s.w fa0, a1, rne
        0x4015f553, // fcvt.s.d fa0, fa1
        0x42058553, // fcvt.d.s fa0, fa1
        0xd2058553, // fcvt.d.w fa0, a1
    ];
    for word in with_rm_field {
        assert!(decode(word).is_some(), "{word:#010x}");
        illegal(with_rm(word, 5));
        illegal(with_rm(word, 6));
    }
}

#[rustfmt::skip]
#[test]
fn csr_instructions() {
    let csr = |op, csr, rd, src| Insn::Csr { op, csr, rd: x(rd), src };
    check(0x00359573, csr(CsrOp::Rw, Csr::Fcsr, 10, CsrSrc::Reg(x(11)))); // csrrw a0, fcsr, a1
    check(0x00102573, csr(CsrOp::Rs, Csr::FFlags, 10, CsrSrc::Reg(x(0)))); // csrrs a0, fflags, zero
    check(0x0025b073, csr(CsrOp::Rc, Csr::Frm, 0, CsrSrc::Reg(x(11)))); // csrrc zero, frm, a1
    check(0x0021d573, csr(CsrOp::Rw, Csr::Frm, 10, CsrSrc::Imm(3))); // csrrwi a0, frm, 3
    check(0x001fe573, csr(CsrOp::Rs, Csr::FFlags, 10, CsrSrc::Imm(31))); // csrrsi a0, fflags, 31
    check(0x0030f573, csr(CsrOp::Rc, Csr::Fcsr, 10, CsrSrc::Imm(1))); // csrrci a0, fcsr, 1
    // Reading the counters is allowed, including with a zero immediate.
    check(0xc0002573, csr(CsrOp::Rs, Csr::Cycle, 10, CsrSrc::Reg(x(0)))); // csrrs a0, cycle, zero
    check(0xc0102573, csr(CsrOp::Rs, Csr::Time, 10, CsrSrc::Reg(x(0)))); // csrrs a0, time, zero
    check(0xc0202573, csr(CsrOp::Rs, Csr::InstRet, 10, CsrSrc::Reg(x(0)))); // csrrs a0, instret, zero
    check(0xc0006573, csr(CsrOp::Rs, Csr::Cycle, 10, CsrSrc::Imm(0))); // csrrsi a0, cycle, 0
    check(0xc0207573, csr(CsrOp::Rc, Csr::InstRet, 10, CsrSrc::Imm(0))); // csrrci a0, instret, 0
}

#[rustfmt::skip]
#[test]
fn inaccessible_csrs_and_counter_writes_are_illegal() {
    illegal(0x30002573); // csrrs a0, mstatus, zero
    illegal(0x00002573); // csrrs a0, ustatus (0x000), zero
    illegal(0xc0302573); // csrrs a0, hpmcounter3, zero
    illegal(0xc8002573); // csrrs a0, cycleh, zero (RV32 only)
    illegal(0xc0051073); // csrrw zero, cycle, a0
    illegal(0xc0001073); // unimp (csrrw zero, cycle, zero)
    illegal(0xc005a573); // csrrs a0, cycle, a1
    illegal(0xc010f573); // csrrci a0, time, 1
    illegal(0xc0205073); // csrrwi zero, instret, 0
    illegal(0x00004073); // SYSTEM funct3 = 4 (hypervisor loads)
}

#[rustfmt::skip]
#[test]
fn system_and_fences() {
    check(0x00000073, Insn::Ecall); // ecall
    check(0x00100073, Insn::Ebreak); // ebreak
    check(0x0000100f, Insn::FenceI); // fence.i
    check(0x0ff0000f, Insn::Fence { fm: 0, pred: 0xf, succ: 0xf }); // fence
    check(0x8330000f, Insn::Fence { fm: 8, pred: 3, succ: 3 }); // fence.tso
    check(0x0100000f, Insn::Fence { fm: 0, pred: 1, succ: 0 }); // pause (fence w, 0)
    // Reserved fence fields are ignored by implementations, not illegal.
    check(0x0ff5850f, Insn::Fence { fm: 0, pred: 0xf, succ: 0xf }); // fence with rd = a0, rs1 = a1
    check(0x0015900f, Insn::FenceI); // fence.i with imm = 1, rs1 = a1
    illegal(0x000000f3); // ecall with rd = ra
    illegal(0x00200073); // uret (ebreak with imm = 2; N extension)
    illegal(0x10200073); // sret
    illegal(0x30200073); // mret
    illegal(0x10500073); // wfi
    illegal(0x12000073); // sfence.vma zero, zero
    illegal(0x0005200f); // cbo.inval (a0): disabled for user mode by Linux
}

#[rustfmt::skip]
#[test]
fn hints_are_legal() {
    check(0x00100013, Insn::AluImm { op: AluImmOp::Addi, rd: x(0), rs1: x(0), imm: 1 }); // addi zero, zero, 1
    check(0x04156013, Insn::AluImm { op: AluImmOp::Ori, rd: x(0), rs1: x(10), imm: 65 }); // prefetch.r 64(a0)
    check(0x00001037, Insn::Lui { rd: x(0), imm: 4096 }); // lui zero, 1
    check(0x00b00033, Insn::Alu { op: AluOp::Add, rd: x(0), rs1: x(0), rs2: x(11) }); // add zero, zero, a1
}

#[rustfmt::skip]
#[test]
fn bitmanip() {
    let bit = |op| Insn::Bit { op, rd: x(10), rs1: x(11), rs2: x(12) };
    let imm = |op, shamt| Insn::BitImm { op, rd: x(10), rs1: x(11), shamt };
    let un = |op| Insn::BitUnary { op, rd: x(10), rs1: x(11) };
    check(0x20c5e533, bit(BitOp::Sh3add)); // sh3add a0, a1, a2
    check(0x08c5853b, bit(BitOp::AddUw)); // add.uw a0, a1, a2
    check(0x0805853b, Insn::Bit { op: BitOp::AddUw, rd: x(10), rs1: x(11), rs2: x(0) }); // zext.w a0, a1
    check(0x40c5c533, bit(BitOp::Xnor)); // xnor a0, a1, a2
    check(0x0ac5d533, bit(BitOp::Minu)); // minu a0, a1, a2
    check(0x60c5953b, bit(BitOp::Rolw)); // rolw a0, a1, a2
    check(0x48c5d533, bit(BitOp::Bext)); // bext a0, a1, a2
    check(0x0bf5951b, imm(BitImmOp::SlliUw, 63)); // slli.uw a0, a1, 63
    check(0x63f5d513, imm(BitImmOp::Rori, 63)); // rori a0, a1, 63
    check(0x61f5d51b, imm(BitImmOp::Roriw, 31)); // roriw a0, a1, 31
    check(0x4bf59513, imm(BitImmOp::Bclri, 63)); // bclri a0, a1, 63
    check(0x4855d513, imm(BitImmOp::Bexti, 5)); // bexti a0, a1, 5
    check(0x2a059513, imm(BitImmOp::Bseti, 32)); // bseti a0, a1, 32
    check(0x60159513, un(BitUnaryOp::Ctz)); // ctz a0, a1
    check(0x6025951b, un(BitUnaryOp::Cpopw)); // cpopw a0, a1
    check(0x60559513, un(BitUnaryOp::SextH)); // sext.h a0, a1
    check(0x0805c53b, un(BitUnaryOp::ZextH)); // zext.h a0, a1
    check(0x2875d513, un(BitUnaryOp::OrcB)); // orc.b a0, a1
    check(0x6b85d513, un(BitUnaryOp::Rev8)); // rev8 a0, a1
}

#[rustfmt::skip]
#[test]
fn other_extensions_are_illegal() {
    illegal(0x0620f053); // fadd.q ft0, ft1, ft2 (Q)
    illegal(0x00004507); // fp load width 4 (flq, Q)
    illegal(0x40358553); // fcvt.s.q fa0, fa1 (Q)
    illegal(0x08c5c533); // pack a0, a1, a2 (Zbkb)
    illegal(0x08c5c53b); // packw a0, a1, a2 (Zbkb; only rs2 = zero is zext.h)
    illegal(0x0ac59533); // clmul a0, a1, a2 (Zbc)
    illegal(0x6875d513); // brev8 a0, a1 (Zbkb)
    illegal(0x28c5a52f); // amocas.w a0, a2, (a1) (Zacas)
    illegal(0x00c5852f); // amoadd.b a0, a2, (a1) (Zabha)
    illegal(0x0000000b); // custom-0
}

#[rustfmt::skip]
#[test]
fn vector_encodings_decode_and_their_reserved_forms_do_not() {
    let text = |w: u32| decode(w).map(|i| i.to_string());
    // (binutils agrees with every text: tests/binutils.rs)
    assert_eq!(text(0x022180d7).as_deref(), Some("vadd.vv\tv1,v2,v3"));
    assert_eq!(text(0x0105f557).as_deref(), Some("vsetvli\tx10,x11,e32,m1,tu,mu"));
    assert_eq!(text(0x02055507).as_deref(), Some("vle16.v\tv10,(x10)"));
    assert_eq!(text(0x42002557).as_deref(), Some("vmv.x.s\tx10,v0"));
    assert_eq!(text(0x22855107).as_deref(), Some("vl2re16.v\tv2,(x10)"));
    illegal(0x422180d7); // vadc.vvm with vm = 1
    illegal(0x5e2180d7); // vmv.v.v with vs2 = v2
    illegal(0x12055507); // vle16.v with mew = 1
    illegal(0x42855107); // vl3re16.v: 3 whole registers
    illegal(0x028550a7); // vs1r.v with width 16
    illegal(0x40002557); // vmv.x.s masked
    illegal(0x82007057); // vsetvl with bit 25 set
}

#[rustfmt::skip]
#[test]
fn reserved_encodings_are_illegal() {
    illegal(0x0000_0000); // all zeros (and not a 32-bit word)
    illegal(0xffff_ffff); // encodings longer than 32 bits
    illegal(0x0000_001f); // 48-bit instruction prefix
    illegal(0x0000_0001); // a compressed parcel
    illegal(0x0205951b); // slliw a0, a1, 32: shamt[5] set
    illegal(0x0205d51b); // srliw a0, a1, 32
    illegal(0x4205d51b); // sraiw a0, a1, 32
    illegal(0x04059513); // slli with imm[11:6] = 000001
    illegal(0x60359513); // OP-IMM funct3 1 selector 0x603 (between cpop and sext.b)
    illegal(0x0005f503); // load funct3 7
    illegal(0x00114c23); // store funct3 4
    illegal(0x00b52863); // branch funct3 2
    illegal(0x00009067); // jalr with funct3 1
    illegal(0x04c58533); // OP with funct7 0000010
    illegal(0x40c5953b); // OP-32 funct7 0100000 funct3 1
    illegal(0x58158553); // fsqrt.s with rs2 = 1
    illegal(0x10c5a52f); // lr.w with rs2 = a2
    illegal(0xc0459553); // fcvt with integer selector 4
    illegal(0xe005a553); // fmv.x.w with funct3 2
    illegal(0xf0258553); // fmv.w.x with rs2 = 2
    illegal(0x20c5b553); // fsgnj.s with funct3 3
    illegal(0xa0c5b553); // feq.s with funct3 3
    illegal(0x40058553); // fcvt.s.s
    illegal(0x42158553); // fcvt.d.d
    illegal(0x00004007); // LOAD-FP funct3 4 (flq, Q)
}

#[test]
fn random_words_never_panic() {
    let mut state = 0x9e37_79b9_7f4a_7c15_u64;
    let mut legal = 0;
    for _ in 0..1_000_000 {
        // xorshift64*
        state ^= state >> 12;
        state ^= state << 25;
        state ^= state >> 27;
        let word = (state.wrapping_mul(0x2545_f491_4f6c_dd1d) >> 32) as u32;
        if let Some(insn) = decode(word) {
            legal += 1;
            let _ = insn.to_string();
        }
    }
    assert!(legal > 10_000, "only {legal} legal words");
}

/// Zicond, Zicbom/Zicboz, Zimop and Zawrs (words from GNU as 2.44).
#[test]
fn zicond_cbo_mop_and_wrs() {
    let cz = |op, rd, rs1, rs2| Insn::CondZero {
        op,
        rd: x(rd),
        rs1: x(rs1),
        rs2: x(rs2),
    };
    check(0x0ec5d533, cz(CondZeroOp::Eqz, 10, 11, 12)); // czero.eqz a0, a1, a2
    check(0x0e547fb3, cz(CondZeroOp::Nez, 31, 8, 5)); // czero.nez t6, s0, t0
    illegal(0x0ec5e533); // funct7 0000111, funct3 6
    illegal(0x0ec5c533); // funct7 0000111, funct3 4
    let cbo = |op, rs1| Insn::Cbo { op, rs1: x(rs1) };
    check(0x0045200f, cbo(CboOp::Zero, 10)); // cbo.zero (a0)
    check(0x0015a00f, cbo(CboOp::Clean, 11)); // cbo.clean (a1)
    check(0x0025200f, cbo(CboOp::Flush, 10)); // cbo.flush (a0)
                                              // cbo.inval (a0): Linux leaves senvcfg.CBIE clear, so user mode gets SIGILL.
    illegal(0x0005200f);
    illegal(0x0045250f); // cbo.zero with rd = a0 (reserved)
    illegal(0x0035200f); // funct3 2, imm 3
    let mop_r = |n, rd, rs1| Insn::MopR {
        n,
        rd: x(rd),
        rs1: x(rs1),
    };
    check(0x81c5c573, mop_r(0, 10, 11)); // mop.r.0 a0, a1
    check(0xcdf44ff3, mop_r(31, 31, 8)); // mop.r.31 t6, s0
    check(
        0x82c5c573, // mop.rr.0 a0, a1, a2
        Insn::MopRR {
            n: 0,
            rd: x(10),
            rs1: x(11),
            rs2: x(12),
        },
    );
    check(
        0xce3140f3, // mop.rr.7 ra, sp, gp
        Insn::MopRR {
            n: 7,
            rd: x(1),
            rs1: x(2),
            rs2: x(3),
        },
    );
    illegal(0x81c5c573 & !(1 << 31)); // bit 31 clear: not a mop
    illegal(0x81c5c573 | 1 << 28); // bits 29:28 not zero
    illegal(0x8105c573); // bits 25:22 = 0100: neither form
    check(0x00d00073, Insn::Wrs { sto: false }); // wrs.nto
    check(0x01d00073, Insn::Wrs { sto: true }); // wrs.sto
    illegal(0x00d00573); // wrs.nto with rd = a0
    illegal(0x00d50073); // wrs.nto with rs1 = a0
}

/// Reserved Zfh and Zfa encodings, and Zfa's RV32-only moves.
#[test]
fn zfh_and_zfa_reserved_encodings_are_illegal() {
    illegal(0xe2108553); // fmvh.x.d a0, f1 (RV32 only)
    illegal(0xb2c58053); // fmvp.d.x f0, a1, a2 (RV32 only)
    illegal(0xc2808553); // fcvtmod.w.d with rm = rne
    illegal(0xc2809553 & !(1 << 25)); // fcvtmod.w.s does not exist
    illegal(0x442100d3); // fcvt.h.h
    illegal(0x403100d3); // fcvt.s.q
    illegal(0x2c3140d3); // fminm.h with funct3 = 4
    illegal(0xa020e553); // fle-row funct3 = 6
    illegal(0x406170d3); // fround-row rs2 = 6
    illegal(0xf02000d3); // fli row rs2 = 2
}
