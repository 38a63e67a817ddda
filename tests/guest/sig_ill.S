/* An all-zero instruction word is defined to be illegal: the guest dies of SIGILL. */
    .section .rodata
msg: .string "executing .word 0"
    .text
    .globl main
main:
    addi sp, sp, -16
    sd ra, 8(sp)
    lla a0, msg
    call puts
    li a0, 0
    call fflush
    .word 0
    ld ra, 8(sp)
    addi sp, sp, 16
    li a0, 0
    ret
