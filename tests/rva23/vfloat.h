/* The harness of the vector floating-point programs (v_float_*.c): one instruction run
 * in a fixed register layout, its whole destination group and fflags printed in hex,
 * so any difference from the reference shows.
 *
 * Layout: vs2 = v8 (group up to v15), vs1 = v16.., vd = v24.., mask v0, the scalar
 * operand in ft0 (raw 64 bits, so boxing is under the test's control), a scalar result
 * in ft1. Each kernel loads all 8 registers of each group with whole-register loads,
 * sets frm, clears fflags, runs `vsetvl` with the test's vtype and AVL, runs the
 * instruction, reads fflags, and stores v24..v31: everything happens inside one asm
 * statement, so compiled C never runs between setup and check.
 *
 * An illegal instruction is caught (SIGILL), skipped, and printed as ILL. */
#ifndef VFLOAT_H
#define VFLOAT_H

#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <ucontext.h>

struct run {
    uint64_t vtype, avl, frm, fbits; /* in */
    uint64_t fl, x;                  /* out: fflags, ft1 */
};

static uint8_t va[128] __attribute__((aligned(16)));  /* v8..v15 */
static uint8_t vb[128] __attribute__((aligned(16)));  /* v16..v23 */
static uint8_t vd[128] __attribute__((aligned(16)));  /* v24..v31 */
static uint8_t vm0[16] __attribute__((aligned(16))) = {0xb5, 0x6e, 0x93, 0xff, 0x00, 0x5a,
                                                       0xc3, 0x01, 0x80, 0x7f, 0x24, 0xdb,
                                                       0x11, 0xee, 0x42, 0x99};
static volatile int illegal;

static void on_sigill(int sig, siginfo_t *si, void *ctx)
{
    (void)sig;
    (void)si;
    ucontext_t *uc = ctx;
    uc->uc_mcontext.__gregs[REG_PC] += 4;
    illegal = 1;
}

static void catch_sigill(void)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_sigaction = on_sigill;
    sa.sa_flags = SA_SIGINFO;
    sigaction(SIGILL, &sa, NULL);
}

typedef void (*kernel)(struct run *);

#define KERNEL(id, body)                                                                     \
    static void id(struct run *r)                                                            \
    {                                                                                        \
        uint64_t fl, x;                                                                      \
        __asm__ volatile("vsetvli t0, zero, e8, m1, tu, mu\n\t"                              \
                         "vl8re8.v v8, (%[a])\n\t"                                           \
                         "vl8re8.v v16, (%[b])\n\t"                                          \
                         "vl8re8.v v24, (%[d])\n\t"                                          \
                         "vl1re8.v v0, (%[m])\n\t"                                           \
                         "fmv.d.x ft0, %[f]\n\t"                                             \
                         "fmv.d.x ft1, %[p]\n\t"                                             \
                         "csrw frm, %[rm]\n\t"                                               \
                         "csrw fflags, zero\n\t"                                             \
                         "vsetvl zero, %[avl], %[vt]\n\t" body "\n\t"                        \
                         "csrr %[fl], fflags\n\t"                                            \
                         "fmv.x.d %[x], ft1\n\t"                                             \
                         "vsetvli t0, zero, e8, m1, tu, mu\n\t"                              \
                         "vs8r.v v24, (%[d])\n\t"                                            \
                         "csrwi frm, 0\n\t"                                                  \
                         : [fl] "=&r"(fl), [x] "=&r"(x)                                      \
                         : [a] "r"(va), [b] "r"(vb), [d] "r"(vd), [m] "r"(vm0),              \
                           [f] "r"(r->fbits), [p] "r"(0x5555aaaa5555aaaaull),                \
                           [rm] "r"(r->frm), [avl] "r"(r->avl), [vt] "r"(r->vtype)           \
                         : "memory", "t0", "ft0", "ft1");                                    \
        r->fl = fl;                                                                          \
        r->x = x;                                                                            \
    }

/* An unmasked and a masked kernel of one instruction with the given operands. */
#define KPAIR(id, insn, operands)                                                            \
    KERNEL(id##_u, insn " " operands)                                                        \
    KERNEL(id##_m, insn " " operands ", v0.t")

/* vtype of SEW bits and vlmul code (0..3 = m1..m8, 5..7 = mf8..mf2), tu, mu. */
static uint64_t vtype_of(int sew, int vlmul)
{
    int vsew = sew == 8 ? 0 : sew == 16 ? 1 : sew == 32 ? 2 : 3;
    return (uint64_t)(vsew << 3 | vlmul);
}

/* Fills 128 bytes with elements of `bytes` bytes: vals[(start + i * step) % n]. */
static void fill(uint8_t *buf, int bytes, const uint64_t *vals, int n, int start, int step)
{
    for (int i = 0; i < 128 / bytes; i++) {
        uint64_t v = vals[(start + i * step) % n];
        memcpy(buf + i * bytes, &v, bytes);
    }
}

/* Runs kernel k and prints its destination: `regs` registers of v24.. as elements of
 * `bytes` bytes, the flags, and (if `scalar`) ft1. */
static void show(const char *name, kernel k, struct run *r, int bytes, int regs, int scalar)
{
    illegal = 0;
    k(r);
    printf("%s vt=%02lx vl=%lu rm=%lu:", name, (unsigned long)r->vtype,
           (unsigned long)r->avl, (unsigned long)r->frm);
    if (illegal) {
        printf(" ILL\n");
        return;
    }
    for (int i = 0; i < regs * 16 / bytes; i++) {
        uint64_t v = 0;
        memcpy(&v, vd + i * bytes, bytes);
        printf(" %0*llx", bytes * 2, (unsigned long long)v);
    }
    printf(" fl=%02lx", (unsigned long)r->fl);
    if (scalar)
        printf(" f=%016llx", (unsigned long long)r->x);
    printf("\n");
}

/* Interesting f32 values: zeros, infinities, NaNs (quiet, signalling, payloads),
 * subnormals, extremes, ties, and values at integer and f16 boundaries. */
static const uint64_t F32[] = {
    0x00000000, 0x80000000, 0x7f800000, 0xff800000, 0x7fc00000, 0x7f800001, 0x7fc12345,
    0xffc00000, 0x3f800000, 0xbf800000, 0x3fc00000, 0x3dcccccd, 0x3eaaaaab, 0x40400000,
    0xc0200000, 0x7f7fffff, 0xff7fffff, 0x00800000, 0x80800000, 0x00000001, 0x007fffff,
    0x80000003, 0x60ad78ec, 0x1e3ce508, 0x4b800001, 0x47f12065, 0x477fe000, 0x477ff000,
    0x322bcc77, 0x33800000, 0x33000000, 0x4f000000, 0xcf000001, 0x4f800000, 0x46fffe00,
    0xc7000080, 0x477fff80, 0x3f000000, 0x40200000, 0xbf000000, 0x501502f9, 0x38800000,
    0x387fc000, 0xc6fffe00, 0x3f7fffff, 0x00400000,
};
#define N32 (int)(sizeof F32 / sizeof F32[0])

/* Interesting f64 values, likewise, with values at f32 and 32/64-bit integer limits. */
static const uint64_t F64[] = {
    0x0000000000000000, 0x8000000000000000, 0x7ff0000000000000, 0xfff0000000000000,
    0x7ff8000000000000, 0x7ff0000000000001, 0x7ff8000000012345, 0xfff8000000000000,
    0x3ff0000000000000, 0xbff0000000000000, 0x3ff8000000000000, 0x3fb999999999999a,
    0x3fd5555555555555, 0x4008000000000000, 0xc004000000000000, 0x7fefffffffffffff,
    0xffefffffffffffff, 0x0010000000000000, 0x8010000000000000, 0x0000000000000001,
    0x000fffffffffffff, 0x8000000000000003, 0x7e37e43c8800759c, 0x01a56e1fc2f8f359,
    0x36a0000000000000, 0x3690000000000000, 0x47efffffe0000000, 0x47efffffffffffff,
    0x3ff0000010000000, 0x3ff0000008000000, 0x43e0000000000000, 0xc3e0000000000001,
    0x43f0000000000000, 0x41dfffffffe00000, 0xc1e0000000100000, 0x41efffffffff0000,
    0x3fe0000000000000, 0x4004000000000000, 0xbfe0000000000000, 0x4202a05f20000000,
    0x3810000000000000, 0x380fffffffffffff, 0x41efffffffe00000, 0x3fefffffffffffff,
    0x0008000000000000, 0xc1dfffffffc00000,
};
#define N64 (int)(sizeof F64 / sizeof F64[0])

#endif
