/* Helpers of the vector instruction tests: run one instruction on a register file of
 * known contents and print every register it changed.
 *
 * VT(VTYPE, D, VSTART, X, INSN) loads v0..v31 from vt_in (filled by vt_fill for the SEW
 * of VTYPE), sets vl = VLMAX - D (VLMAX when D >= VLMAX), vstart = VSTART, vxrm = vt_rm,
 * vxsat = 0, t0 = X, runs INSN (a string of assembly; it may use t0 as its scalar
 * operand), and prints vl, vxsat and the registers that differ from vt_in, or SIGILL.
 * Everything runs in one asm statement, so nothing between the loads and the stores can
 * touch the vector registers.
 *
 * The register file: v0 (the mask) and v1..v15 pseudo-random; v16..v23 and v24..v31
 * edge values of the SEW (0, 1, -1, MIN, MAX, ...) in two different orders, every third
 * element pseudo-random. Tests use v8 as the destination, v16 and v24 as sources, so
 * every LMUL up to 8 has aligned groups. */
#ifndef RVA23_VTEST_H
#define RVA23_VTEST_H

#include <setjmp.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

static uint8_t vt_in[512] __attribute__((aligned(16)));
static uint8_t vt_out[512] __attribute__((aligned(16)));
static sigjmp_buf vt_jmp;
static uint64_t vt_state = 0x9e3779b97f4a7c15ull;
static long vt_rm;

static uint64_t vt_rand(void)
{
    vt_state ^= vt_state << 13;
    vt_state ^= vt_state >> 7;
    vt_state ^= vt_state << 17;
    return vt_state;
}

static void vt_sigill(int sig)
{
    (void)sig;
    siglongjmp(vt_jmp, 1);
}

static void vt_setup(void)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = vt_sigill;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGILL, &sa, 0);
    setvbuf(stdout, 0, _IOFBF, 1 << 16);
}

static void vt_put(int at, int bytes, uint64_t value)
{
    for (int i = 0; i < bytes; i++)
        vt_in[at + i] = (uint8_t)(value >> (8 * i));
}

/* The SEW in bytes of a vtype string "eNN, ...". */
static int vt_sew_bytes(const char *vtype)
{
    switch (vtype[1]) {
    case '8': return 1;
    case '1': return 2;
    case '3': return 4;
    default: return 8;
    }
}

static void vt_fill(int bytes)
{
    int bits = 8 * bytes;
    uint64_t all = bits == 64 ? ~0ull : (1ull << bits) - 1;
    uint64_t min = 1ull << (bits - 1), max = min - 1;
    uint64_t edge[12] = {0, 1, all, min, max, min + 1, max - 1, 2, all - 1, max >> 1, 3, min >> 1};
    for (int i = 0; i < 256; i += 8)
        vt_put(i, 8, vt_rand());
    int n = 128 / bytes;
    for (int k = 0; k < n; k++) {
        uint64_t a = k % 3 == 2 ? vt_rand() : edge[k % 12];
        uint64_t b = k % 3 == 1 ? vt_rand() : edge[(k * 5 + k / 12) % 12];
        vt_put(256 + k * bytes, bytes, a);
        vt_put(384 + k * bytes, bytes, b);
    }
}

static void vt_report(const char *insn, const char *vtype, long d, long vstart, long vl,
                      long sat)
{
    printf("%s [%s] d=%ld vstart=%ld: vl=%ld vxsat=%ld", insn, vtype, d, vstart, vl, sat);
    for (int r = 0; r < 32; r++) {
        if (!memcmp(vt_in + 16 * r, vt_out + 16 * r, 16))
            continue;
        printf(" v%d=", r);
        for (int i = 15; i >= 0; i--)
            printf("%02x", vt_out[16 * r + i]);
    }
    printf("\n");
}

#define VT(VTYPE, D, VSTART, X, INSN)                                                     \
    do {                                                                                  \
        long vt_vl_, vt_sat_;                                                             \
        vt_fill(vt_sew_bytes(VTYPE));                                                     \
        if (sigsetjmp(vt_jmp, 1) == 0) {                                                  \
            __asm__ volatile("csrw vstart, zero\n\t"                                      \
                             "vl8re8.v v0, (%[in])\n\t"                                   \
                             "addi t2, %[in], 128\n\t"                                    \
                             "vl8re8.v v8, (t2)\n\t"                                      \
                             "addi t2, %[in], 256\n\t"                                    \
                             "vl8re8.v v16, (t2)\n\t"                                     \
                             "addi t2, %[in], 384\n\t"                                    \
                             "vl8re8.v v24, (t2)\n\t"                                     \
                             "vsetvli t1, zero, " VTYPE "\n\t"                            \
                             "sub t1, t1, %[d]\n\t"                                       \
                             "vsetvli %[vl], t1, " VTYPE "\n\t"                           \
                             "csrw vxrm, %[rm]\n\t"                                       \
                             "csrwi vxsat, 0\n\t"                                         \
                             "mv t0, %[x]\n\t"                                            \
                             "csrw vstart, %[vs]\n\t" INSN "\n\t"                         \
                             "csrr %[sat], vxsat\n\t"                                     \
                             "vs8r.v v0, (%[out])\n\t"                                    \
                             "addi t2, %[out], 128\n\t"                                   \
                             "vs8r.v v8, (t2)\n\t"                                        \
                             "addi t2, %[out], 256\n\t"                                   \
                             "vs8r.v v16, (t2)\n\t"                                       \
                             "addi t2, %[out], 384\n\t"                                   \
                             "vs8r.v v24, (t2)"                                           \
                             : [vl] "=&r"(vt_vl_), [sat] "=&r"(vt_sat_)                   \
                             : [in] "r"(vt_in), [out] "r"(vt_out), [d] "r"((long)(D)),    \
                               [rm] "r"(vt_rm), [x] "r"((long)(X)),                       \
                               [vs] "r"((long)(VSTART))                                   \
                             : "t0", "t1", "t2", "memory");                               \
            vt_report(INSN, VTYPE, D, VSTART, vt_vl_, vt_sat_);                           \
        } else {                                                                          \
            printf("%s [%s] d=%ld vstart=%ld: SIGILL\n", INSN, VTYPE, (long)(D),          \
                   (long)(VSTART));                                                       \
        }                                                                                 \
    } while (0)

/* One instruction at every SEW and a spread of LMULs, tails and vstarts: UNMASKED and
 * MASKED are the same instruction without and with v0.t; FRAC1 and FRAC2 are two LMULs
 * for the SEW, fractional where the SEW allows (SEW <= LMUL * ELEN: qemu also accepts
 * e64 at mf2 and e32 at mf4, which the spec leaves optional and vm does not). */
#define VT_SEW(SEW, FRAC1, FRAC2, UNMASKED, MASKED, X)                                    \
    do {                                                                                  \
        VT(SEW ", m1, tu, mu", 0, 0, X, UNMASKED);                                        \
        VT(SEW ", m1, tu, mu", 1, 0, X, MASKED);                                          \
        VT(SEW ", " FRAC1 ", tu, mu", 1, 0, X, UNMASKED);                                 \
        VT(SEW ", " FRAC2 ", tu, mu", 0, 0, X, MASKED);                                   \
        VT(SEW ", m2, tu, mu", 3, 2, X, UNMASKED);                                        \
        VT(SEW ", m4, ta, ma", 2, 1, X, MASKED);                                          \
        VT(SEW ", m8, tu, mu", 5, 0, X, UNMASKED);                                        \
    } while (0)

#define VT_ALL(UNMASKED, MASKED, X)                                                       \
    do {                                                                                  \
        VT_SEW("e8", "mf2", "mf8", UNMASKED, MASKED, X);                                  \
        VT_SEW("e16", "mf4", "mf2", UNMASKED, MASKED, X);                                 \
        VT_SEW("e32", "mf2", "m1", UNMASKED, MASKED, X);                                  \
        VT_SEW("e64", "m1", "m2", UNMASKED, MASKED, X);                                   \
    } while (0)

#endif
