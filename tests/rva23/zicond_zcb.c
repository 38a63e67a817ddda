// cflags: -march=rv64gc_zba_zbb
/* Zicond and Zcb, written as raw words (binutils 2.40 knows neither): czero.* on
 * zero, non-zero and sign-bit operands with x0 as source and destination; every Zcb
 * instruction with every register its 3-bit fields allow (x8..x15), loads and stores at
 * every offset, and loads of negative bytes and halfwords. */
#include "insn.h"
#include <string.h>

static const long vals[] = {0, 1, -1, 0x7fffffffffffffffL, (long)0x8000000000000000UL,
                            0x123456789abcdef0L, 0xff, 0x80, 0x8000, 0xffff7fff80L};
#define NV (int)(sizeof vals / sizeof vals[0])

static long czero_eqz(long a, long b)
{
    long r;
    __asm__(".insn r 0x33, 5, 7, %0, %1, %2" : "=r"(r) : "r"(a), "r"(b));
    return r;
}

static long czero_nez(long a, long b)
{
    long r;
    __asm__(".insn r 0x33, 7, 7, %0, %1, %2" : "=r"(r) : "r"(a), "r"(b));
    return r;
}

static void zicond(void)
{
    unsigned long sum = 0;
    for (int i = 0; i < NV; i++)
        for (int j = 0; j < NV; j++) {
            long e = czero_eqz(vals[i], vals[j]), n = czero_nez(vals[i], vals[j]);
            sum = sum * 31 + (unsigned long)e * 7 + (unsigned long)n;
            if (i < 3 && j < 3)
                printf("czero a=%ld b=%ld: eqz %ld nez %ld\n", vals[i], vals[j], e, n);
        }
    long r0, r1 = 5;
    /* czero.eqz a0, x0, a1 / czero.nez x0, a0, a1 (rd = x0 writes nothing) */
    __asm__ volatile("li a0, 9\n\t.insn r 0x33, 5, 7, a0, x0, %1\n\tmv %0, a0\n\t"
                     ".insn r 0x33, 7, 7, x0, %1, %1"
                     : "=r"(r0) : "r"(r1) : "a0");
    printf("czero with x0: %ld, hash %lx\n", r0, sum);
}

/* One compressed unary/binary op on register N (x8..x15): the parcel is `base` with
 * rd' in bits 9:7 (and rs2' in 4:2 for c.mul). */
#define UNARY(N, base, in, out)                                                          \
    __asm__ volatile("mv x" #N ", %1\n\t.2byte " #base " | ((" #N " - 8) << 7)\n\tmv %0, x" #N \
                     : "=r"(out) : "r"(in) : "x" #N)

#define FOR_REGS(M, ...) M(8, __VA_ARGS__) M(9, __VA_ARGS__) M(10, __VA_ARGS__)       \
    M(11, __VA_ARGS__) M(12, __VA_ARGS__) M(13, __VA_ARGS__) M(14, __VA_ARGS__)          \
    M(15, __VA_ARGS__)

/* The same, for nesting inside FOR_REGS. */
#define FOR_REGS2(M, ...) M(8, __VA_ARGS__) M(9, __VA_ARGS__) M(10, __VA_ARGS__)      \
    M(11, __VA_ARGS__) M(12, __VA_ARGS__) M(13, __VA_ARGS__) M(14, __VA_ARGS__)          \
    M(15, __VA_ARGS__)

#define ONE_UNARY(N, name, base)                                                         \
    for (int i = 0; i < NV; i++) {                                                       \
        long out;                                                                        \
        UNARY(N, base, vals[i], out);                                                    \
        h = h * 131 + (unsigned long)out;                                                \
        if (N == 10 && i >= 5)                                                           \
            printf("%s %lx -> %lx\n", name, vals[i], out);                               \
    }                                                                                    \
    printf("%s x%d: hash %lx\n", name, N, h);

static void unary(void)
{
    unsigned long h = 0;
    FOR_REGS(ONE_UNARY, "c.zext.b", 0x9c61)
    FOR_REGS(ONE_UNARY, "c.sext.b", 0x9c65)
    FOR_REGS(ONE_UNARY, "c.zext.h", 0x9c69)
    FOR_REGS(ONE_UNARY, "c.sext.h", 0x9c6d)
    FOR_REGS(ONE_UNARY, "c.zext.w", 0x9c71)
    FOR_REGS(ONE_UNARY, "c.not", 0x9c75)
}

/* c.mul rd', rs2' for every pair of registers (rd' == rs2' squares). */
#define MUL_RS2(S, D)                                                                    \
    {                                                                                    \
        long a = 0x1234567 * (D) - 3, b = -0x7654321 * (S) + 11, out;                    \
        if ((D) == (S))                                                                  \
            __asm__ volatile("mv x" #D ", %1\n\t.2byte 0x9c41 | ((" #D " - 8) << 7) | ((" #S \
                             " - 8) << 2)\n\tmv %0, x" #D                                \
                             : "=r"(out) : "r"(a) : "x" #D);                             \
        else                                                                             \
            __asm__ volatile("mv x" #D ", %1\n\tmv x" #S ", %2\n\t.2byte 0x9c41 | ((" #D     \
                             " - 8) << 7) | ((" #S " - 8) << 2)\n\tmv %0, x" #D           \
                             : "=r"(out) : "r"(a), "r"(b) : "x" #D, "x" #S);             \
        h = h * 131 + (unsigned long)out;                                                \
    }
#define MUL_RD(D, _) FOR_REGS2(MUL_RS2, D)

static void mul(void)
{
    unsigned long h = 0;
    FOR_REGS(MUL_RD, 0)
    printf("c.mul hash %lx\n", h);
}

static unsigned char buf[16] __attribute__((aligned(8))) = {
    0x81, 0x7f, 0xfe, 0x80, 0x01, 0xff, 0x00, 0x80, 0x12, 0x34, 0x56, 0x78, 0x9a, 0xbc, 0xde, 0xf0};

/* Loads with base x{B} and destination x{D}: c.lbu at offsets 0..3, c.lhu/c.lh at 0, 2. */
#define LOADS(B, D)                                                                      \
    {                                                                                    \
        long o0, o1, o2, o3, h0, h1, s0v, s1v;                                           \
        __asm__ volatile("mv x" #B ", %8\n\t"                                           \
                         ".2byte 0x8000 | ((" #B " - 8) << 7) | ((" #D " - 8) << 2)\n\tmv %0, x" #D "\n\t" \
                         "mv x" #B ", %8\n\t"                                           \
                         ".2byte 0x8040 | ((" #B " - 8) << 7) | ((" #D " - 8) << 2)\n\tmv %1, x" #D "\n\t" \
                         "mv x" #B ", %8\n\t"                                           \
                         ".2byte 0x8020 | ((" #B " - 8) << 7) | ((" #D " - 8) << 2)\n\tmv %2, x" #D "\n\t" \
                         "mv x" #B ", %8\n\t"                                           \
                         ".2byte 0x8060 | ((" #B " - 8) << 7) | ((" #D " - 8) << 2)\n\tmv %3, x" #D "\n\t" \
                         "mv x" #B ", %8\n\t"                                           \
                         ".2byte 0x8400 | ((" #B " - 8) << 7) | ((" #D " - 8) << 2)\n\tmv %4, x" #D "\n\t" \
                         "mv x" #B ", %8\n\t"                                           \
                         ".2byte 0x8420 | ((" #B " - 8) << 7) | ((" #D " - 8) << 2)\n\tmv %5, x" #D "\n\t" \
                         "mv x" #B ", %8\n\t"                                           \
                         ".2byte 0x8440 | ((" #B " - 8) << 7) | ((" #D " - 8) << 2)\n\tmv %6, x" #D "\n\t" \
                         "mv x" #B ", %8\n\t"                                           \
                         ".2byte 0x8460 | ((" #B " - 8) << 7) | ((" #D " - 8) << 2)\n\tmv %7, x" #D \
                         : "=&r"(o0), "=&r"(o1), "=&r"(o2), "=&r"(o3), "=&r"(h0), "=&r"(h1), \
                           "=&r"(s0v), "=&r"(s1v)                                        \
                         : "r"(p) : "x" #B, "x" #D, "memory");                          \
        h = h * 131 + (unsigned long)(o0 ^ o1 << 8 ^ o2 << 16 ^ o3 << 24);              \
        h = h * 131 + (unsigned long)(h0 ^ h1 << 16 ^ s0v << 32) + (unsigned long)s1v;  \
        if (B == 9 && D == 12)                                                           \
            printf("lbu %lx %lx %lx %lx lhu %lx %lx lh %lx %lx\n", o0, o1, o2, o3, h0, h1, s0v, s1v); \
    }
#define LOADS_B(B, _) FOR_REGS2(LOADS, B)

/* Stores of x{S} through base x{B} (4 bytes into p): c.sh at 0, c.sb at 1, 2, 3, and
 * c.sh at 2; with B == S the value stored is the base address itself. */
#define STORES(B, S)                                                                     \
    {                                                                                    \
        memset(p, 0, 8);                                                                 \
        long v = (B) == (S) ? (long)(p + 4) : 0x1122334455667788L + (S) * 0x0301 + (B);  \
        __asm__ volatile("mv x" #B ", %0\n\tmv x" #S ", %1\n\t"                          \
                         ".2byte 0x8c00 | ((" #B " - 8) << 7) | ((" #S " - 8) << 2)\n\t" \
                         ".2byte 0x8840 | ((" #B " - 8) << 7) | ((" #S " - 8) << 2)\n\t" \
                         ".2byte 0x8820 | ((" #B " - 8) << 7) | ((" #S " - 8) << 2)\n\t" \
                         ".2byte 0x8860 | ((" #B " - 8) << 7) | ((" #S " - 8) << 2)\n\t" \
                         ".2byte 0x8800 | ((" #B " - 8) << 7) | ((" #S " - 8) << 2)\n\t" \
                         "addi x" #S ", x" #S ", 0x55\n\t"                               \
                         "mv x" #B ", %0\n\t"                                            \
                         ".2byte 0x8c20 | ((" #B " - 8) << 7) | ((" #S " - 8) << 2)"     \
                         : : "r"(p + 4), "r"(v) : "x" #B, "x" #S, "memory");            \
        unsigned long got;                                                               \
        memcpy(&got, p, 8);                                                              \
        if ((B) == (S)) /* the address differs between runs: check it, hash the result */ \
            got ^= same_reg_stores((unsigned long)(p + 4));                              \
        h = h * 131 + got;                                                               \
        if (B == 8 && S == 15)                                                           \
            printf("stores %lx\n", got);                                                 \
    }
/* What STORES leaves in p[0..8] when the stored register is the base, `a`. */
static unsigned long same_reg_stores(unsigned long a)
{
    unsigned long b0 = a & 0xff, b1 = (a >> 8) & 0xff;
    return b0 << 32 | b0 << 40 | b0 << 48 | b1 << 56;
}

#define STORES_B(B, _) FOR_REGS2(STORES, B)

static void loads_and_stores(void)
{
    unsigned long h = 0;
    unsigned char *p = buf;
    FOR_REGS(LOADS_B, 0)
    printf("loads hash %lx\n", h);
    unsigned char st[16] __attribute__((aligned(8)));
    p = st;
    h = 0;
    FOR_REGS(STORES_B, 0)
    printf("stores hash %lx\n", h);
}

static void mops(void)
{
    long a = 77, b = 88, c = 99, d = 11;
    /* mop.r.0 a, b; mop.r.31 b, c; mop.rr.0 c, a, b; mop.rr.7 d, c, c */
    __asm__ volatile(".insn i 0x73, 4, %0, %1, -2020\n\t" : "+r"(a) : "r"(b));
    __asm__ volatile(".insn i 0x73, 4, %0, %1, -0x321\n\t" : "+r"(b) : "r"(c));
    __asm__ volatile(".insn r 0x73, 4, 0x41, %0, %1, %2\n\t" : "+r"(c) : "r"(a), "r"(b));
    __asm__ volatile(".insn r 0x73, 4, 0x67, %0, %1, %2\n\t" : "+r"(d) : "r"(c), "r"(c));
    /* the c.mop.n: no register changes */
    long keep = 1234;
    __asm__ volatile("mv x1, x1\n\t.2byte 0x6081\n\t.2byte 0x6181\n\t.2byte 0x6281\n\t"
                     ".2byte 0x6381\n\t.2byte 0x6481\n\t.2byte 0x6581\n\t.2byte 0x6681\n\t"
                     ".2byte 0x6781" : "+r"(keep) : : "memory");
    printf("mops: %ld %ld %ld %ld keep %ld\n", a, b, c, d, keep);
}

int main(void)
{
    zicond();
    unary();
    mul();
    loads_and_stores();
    mops();
    return 0;
}
