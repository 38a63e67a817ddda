/* NaN boxing: a single-precision operand is valid only if the upper 32 bits of its
 * 64-bit register are all ones. A value written with fmv.d.x (or left by a double
 * operation) that is not boxed must read as the canonical NaN in single-precision
 * arithmetic, sign injection, fclass, compares and conversions, while fmv.x.w and fsw
 * move its low 32 bits unchanged. Every single-precision result is written boxed. */

    .section .rodata
fmt:    .string "%-44s %016lx fflags=%02lx\n"
n1:     .string "fadd.s of unboxed 1.0f"
n2:     .string "fmv.x.w of unboxed (low bits, sign-extended)"
n3:     .string "fsw of unboxed (low bits stored)"
n4:     .string "fsgnj.s (fmv.s) of unboxed"
n5:     .string "fsgnjn.s of unboxed"
n6:     .string "fclass.s of unboxed"
n7:     .string "fcvt.d.s of unboxed"
n8:     .string "feq.s unboxed, unboxed"
n9:     .string "flt.s unboxed, boxed"
n10:    .string "partially boxed (0xfffffffe upper)"
n11:    .string "boxed 1.0f + 1.0f"
n12:    .string "flw result as 64 bits"
n13:    .string "fmv.w.x result as 64 bits"
n14:    .string "fcvt.s.d result as 64 bits"
n15:    .string "fmin.s unboxed, 2.0f"
n16:    .string "fmax.s unboxed, unboxed"
n17:    .string "fmadd.s 1*1 + unboxed"
n18:    .string "double 1.0 read as single (fmul.s)"
n19:    .string "fcvt.w.s of unboxed"
n20:    .string "fsgnjx.s boxed -1.0f, unboxed"

    .data
    .align 3
slot:   .dword 0x5555555555555555
one_f:  .word 0x3f800000

    .text
    .globl main
/* report: a0 = name, a1 = value, a2 = fflags; prints and clears fflags. */
report:
    addi sp, sp, -16
    sd ra, 8(sp)
    mv a3, a2
    mv a2, a1
    mv a1, a0
    lla a0, fmt
    call printf
    fsflags zero
    ld ra, 8(sp)
    addi sp, sp, 16
    ret

main:
    addi sp, sp, -32
    sd ra, 24(sp)
    sd s0, 16(sp)
    fsflags zero
    li s0, 0x3f800000              /* 1.0f with upper 32 bits zero: not boxed */

    fmv.d.x ft0, s0
    fadd.s ft1, ft0, ft0
    fmv.x.d a1, ft1
    frflags a2
    lla a0, n1
    call report

    fmv.d.x ft0, s0
    fmv.x.w a1, ft0
    frflags a2
    lla a0, n2
    call report

    fmv.d.x ft0, s0
    lla t0, slot
    fsw ft0, 0(t0)
    ld a1, 0(t0)
    frflags a2
    lla a0, n3
    call report

    fmv.d.x ft0, s0
    fmv.s ft1, ft0
    fmv.x.d a1, ft1
    frflags a2
    lla a0, n4
    call report

    fmv.d.x ft0, s0
    fneg.s ft1, ft0
    fmv.x.d a1, ft1
    frflags a2
    lla a0, n5
    call report

    fmv.d.x ft0, s0
    fclass.s a1, ft0
    frflags a2
    lla a0, n6
    call report

    fmv.d.x ft0, s0
    fcvt.d.s ft1, ft0
    fmv.x.d a1, ft1
    frflags a2
    lla a0, n7
    call report

    fmv.d.x ft0, s0
    feq.s a1, ft0, ft0
    frflags a2
    lla a0, n8
    call report

    fmv.d.x ft0, s0
    fmv.w.x ft1, s0
    flt.s a1, ft0, ft1
    frflags a2
    lla a0, n9
    call report

    li t0, 0xfffffffe3f800000
    fmv.d.x ft0, t0
    fadd.s ft1, ft0, ft0
    fmv.x.d a1, ft1
    frflags a2
    lla a0, n10
    call report

    li t0, 0xffffffff3f800000
    fmv.d.x ft0, t0
    fadd.s ft1, ft0, ft0
    fmv.x.d a1, ft1
    frflags a2
    lla a0, n11
    call report

    lla t0, one_f
    flw ft0, 0(t0)
    fmv.x.d a1, ft0
    frflags a2
    lla a0, n12
    call report

    fmv.w.x ft0, s0
    fmv.x.d a1, ft0
    frflags a2
    lla a0, n13
    call report

    li t0, 0x3ff0000000000000
    fmv.d.x ft0, t0
    fcvt.s.d ft1, ft0
    fmv.x.d a1, ft1
    frflags a2
    lla a0, n14
    call report

    fmv.d.x ft0, s0
    li t0, 0x40000000
    fmv.w.x ft1, t0
    fmin.s ft2, ft0, ft1
    fmv.x.d a1, ft2
    frflags a2
    lla a0, n15
    call report

    fmv.d.x ft0, s0
    fmax.s ft2, ft0, ft0
    fmv.x.d a1, ft2
    frflags a2
    lla a0, n16
    call report

    fmv.d.x ft0, s0
    fmv.w.x ft1, s0
    fmadd.s ft2, ft1, ft1, ft0
    fmv.x.d a1, ft2
    frflags a2
    lla a0, n17
    call report

    li t0, 0x3ff0000000000000
    fmv.d.x ft0, t0
    fmul.s ft1, ft0, ft0
    fmv.x.d a1, ft1
    frflags a2
    lla a0, n18
    call report

    fmv.d.x ft0, s0
    fcvt.w.s a1, ft0, rtz
    frflags a2
    lla a0, n19
    call report

    li t0, 0xbf800000
    fmv.w.x ft0, t0
    fmv.d.x ft1, s0
    fsgnjx.s ft2, ft0, ft1
    fmv.x.d a1, ft2
    frflags a2
    lla a0, n20
    call report

    li a0, 0
    ld s0, 16(sp)
    ld ra, 24(sp)
    addi sp, sp, 32
    ret
