/* Helpers for the programs that generate RISC-V code at run time, as a JIT does:
 * instruction encoders, tiny functions written into memory, and the three ways of
 * making written code visible to instruction fetch (fence.i on this hart, the
 * riscv_flush_icache system call for every thread or, with the LOCAL flag, this one,
 * and GCC's __builtin___clear_cache, which glibc turns into that system call). */
#ifndef GUEST_JIT_H
#define GUEST_JIT_H

#include <stdint.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#ifndef SYS_riscv_flush_icache
#define SYS_riscv_flush_icache 259
#endif
#define FLUSH_ICACHE_LOCAL 1

#define REG_ZERO 0
#define REG_A0 10

/* addi rd, rs1, imm (imm in -2048..2047) */
static inline uint32_t enc_addi(int rd, int rs1, int imm) {
    return ((uint32_t)(imm & 0xfff) << 20) | ((uint32_t)rs1 << 15) | ((uint32_t)rd << 7) | 0x13;
}

/* ret (jalr zero, 0(ra)) */
#define ENC_RET 0x00008067u

typedef long (*jit_fn)(void);

/* Writes "li a0, value; ret" (value in -2048..2047) at `at`; returns the end. */
static inline uint32_t *emit_const_fn(uint32_t *at, int value) {
    at[0] = enc_addi(REG_A0, REG_ZERO, value);
    at[1] = ENC_RET;
    return at + 2;
}

static inline jit_fn as_fn(void *p) {
    jit_fn f;
    memcpy(&f, &p, sizeof f);
    return f;
}

static inline void fence_i(void) {
    __asm__ volatile("fence.i" ::: "memory");
}

/* riscv_flush_icache(start, end, flags); CHECKs that it succeeded. */
#define FLUSH_ICACHE(start, end, flags)                                               \
    CHECK(syscall(SYS_riscv_flush_icache, (void *)(start), (void *)(end), (flags)) == 0)

#endif
