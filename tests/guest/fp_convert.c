/* Float-to-integer conversions with saturation for every integer kind (w, wu, l, lu from
 * both s and d) under each static rounding mode: NaN converts to the largest positive
 * value, out-of-range values clamp, and each raises NV; in-range inexact values raise NX.
 * Also the other direction, s<->d conversion of NaNs (canonical results), and the
 * bit moves fmv.x.w (sign-extending) / fmv.w.x / fmv.x.d / fmv.d.x. */
#include <stdint.h>
#include <stdio.h>

#define TOINT(name, insn, MV, RM)                                                      \
    static uint64_t name##_##RM(uint64_t a, unsigned *fl) {                             \
        uint64_t r;                                                                     \
        unsigned f;                                                                     \
        __asm__ volatile("fsflags zero\n\tfmv." MV ".x ft0, %2\n\t" insn " %0, ft0, " #RM "\n\t" \
                         "frflags %1"                                                   \
                         : "=r"(r), "=r"(f) : "r"(a) : "ft0");                          \
        *fl = f;                                                                        \
        return r;                                                                       \
    }
#define ALL_RM(M, ...) M(__VA_ARGS__, rne) M(__VA_ARGS__, rtz) M(__VA_ARGS__, rdn) \
    M(__VA_ARGS__, rup) M(__VA_ARGS__, rmm)
ALL_RM(TOINT, w_s, "fcvt.w.s", "w") ALL_RM(TOINT, wu_s, "fcvt.wu.s", "w")
ALL_RM(TOINT, l_s, "fcvt.l.s", "w") ALL_RM(TOINT, lu_s, "fcvt.lu.s", "w")
ALL_RM(TOINT, w_d, "fcvt.w.d", "d") ALL_RM(TOINT, wu_d, "fcvt.wu.d", "d")
ALL_RM(TOINT, l_d, "fcvt.l.d", "d") ALL_RM(TOINT, lu_d, "fcvt.lu.d", "d")

typedef uint64_t (*cvt_fn)(uint64_t, unsigned *);
#define ROW(n) {#n, {n##_rne, n##_rtz, n##_rdn, n##_rup, n##_rmm}}
static const struct { const char *name; cvt_fn fn[5]; } from_s[] = {
    ROW(w_s), ROW(wu_s), ROW(l_s), ROW(lu_s),
}, from_d[] = {
    ROW(w_d), ROW(wu_d), ROW(l_d), ROW(lu_d),
};
static const char *const rm_names[] = {"rne", "rtz", "rdn", "rup", "rmm"};

static const uint32_t sv[] = {
    0x00000000, 0x80000000, 0x3f000000, 0xbf000000, 0x3fc00000, 0xc0200000, 0x3f400000,
    0xbf7fffff, 0x4effffff, 0x4f000000, 0xcf000000, 0xcf000001, 0x4f800000, 0x5effffff,
    0x5f000000, 0xdf000000, 0xdf000001, 0x5f800000, 0x7f800000, 0xff800000, 0x7fc00000,
    0xffc00000, 0x7f800001, 0x00000001, 0x80000001, 0x7f7fffff,
};
static const uint64_t dv[] = {
    0x0000000000000000ull, 0x8000000000000000ull, 0x3fe0000000000000ull,
    0xbfe0000000000000ull, 0x3ff8000000000000ull, 0xc004000000000000ull,
    0x41dfffffffc00000ull, 0x41dfffffffe00000ull, 0x41e0000000000000ull,
    0xc1e0000000000000ull, 0xc1e0000000100000ull, 0xc1e00000001fffffull,
    0x41efffffffe00000ull, 0x41effffffff00000ull, 0x41f0000000000000ull,
    0x43dfffffffffffffull, 0x43e0000000000000ull, 0xc3e0000000000000ull,
    0xc3e0000000000001ull, 0x43efffffffffffffull, 0x43f0000000000000ull,
    0xbfefffffffffffffull, 0x7ff0000000000000ull, 0xfff0000000000000ull,
    0x7ff8000000000000ull, 0xfff8000000000000ull, 0x7ff0000000000001ull,
    0x0000000000000001ull, 0x7fefffffffffffffull,
};

/* Integer to float: exact and rounded, signed and unsigned, W forms use the low word. */
#define FROMINT(name, insn, MV)                                                        \
    static uint64_t name(uint64_t a, unsigned *fl) {                                    \
        uint64_t r;                                                                     \
        unsigned f;                                                                     \
        __asm__ volatile("fsflags zero\n\t" insn " ft0, %2\n\tfmv.x." MV " %0, ft0\n\t" \
                         "frflags %1"                                                   \
                         : "=r"(r), "=r"(f) : "r"(a) : "ft0");                          \
        *fl = f;                                                                        \
        return r;                                                                       \
    }
FROMINT(s_w, "fcvt.s.w", "w") FROMINT(s_wu, "fcvt.s.wu", "w") FROMINT(s_l, "fcvt.s.l", "w")
FROMINT(s_lu, "fcvt.s.lu", "w") FROMINT(d_w, "fcvt.d.w", "d") FROMINT(d_wu, "fcvt.d.wu", "d")
FROMINT(d_l, "fcvt.d.l", "d") FROMINT(d_lu, "fcvt.d.lu", "d")
static const struct { const char *name; cvt_fn fn; } from_int[] = {
    {"s.w", s_w}, {"s.wu", s_wu}, {"s.l", s_l}, {"s.lu", s_lu},
    {"d.w", d_w}, {"d.wu", d_wu}, {"d.l", d_l}, {"d.lu", d_lu},
};
static const uint64_t iv[] = {
    0, 1, (uint64_t)-1, 0x7fffffff, 0x80000000, 0xffffffff, 0x1000001, 0x1000003,
    0xffffffff00000005ull, 0x7fffffffffffffffull, 0x8000000000000000ull,
    0xffffffffffffffffull, 0x20000000000001ull, 0x123456789abcdef0ull,
};

int main(void) {
    unsigned fl;
    for (unsigned k = 0; k < 4; k++)
        for (unsigned i = 0; i < sizeof sv / sizeof sv[0]; i++) {
            printf("fcvt.%s %08x:", from_s[k].name, sv[i]);
            for (unsigned rm = 0; rm < 5; rm++) {
                uint64_t r = from_s[k].fn[rm](sv[i], &fl);
                printf(" %s=%lx/%02x", rm_names[rm], r, fl);
            }
            printf("\n");
        }
    for (unsigned k = 0; k < 4; k++)
        for (unsigned i = 0; i < sizeof dv / sizeof dv[0]; i++) {
            printf("fcvt.%s %016lx:", from_d[k].name, dv[i]);
            for (unsigned rm = 0; rm < 5; rm++) {
                uint64_t r = from_d[k].fn[rm](dv[i], &fl);
                printf(" %s=%lx/%02x", rm_names[rm], r, fl);
            }
            printf("\n");
        }
    for (unsigned k = 0; k < 8; k++)
        for (unsigned i = 0; i < sizeof iv / sizeof iv[0]; i++) {
            uint64_t r = from_int[k].fn(iv[i], &fl);
            printf("fcvt.%s %lx -> %lx/%02x\n", from_int[k].name, iv[i], r, fl);
        }
    /* Widening and narrowing between formats; NaN payloads are not propagated. */
    for (unsigned i = 0; i < sizeof sv / sizeof sv[0]; i++) {
        uint64_t r;
        __asm__ volatile("fsflags zero\n\tfmv.w.x ft0, %2\n\tfcvt.d.s ft1, ft0\n\t"
                         "fmv.x.d %0, ft1\n\tfrflags %1"
                         : "=r"(r), "=r"(fl) : "r"(sv[i]) : "ft0", "ft1");
        printf("fcvt.d.s %08x -> %016lx/%02x\n", sv[i], r, fl);
    }
    for (unsigned i = 0; i < sizeof dv / sizeof dv[0]; i++) {
        uint64_t r;
        __asm__ volatile("fsflags zero\n\tfmv.d.x ft0, %2\n\tfcvt.s.d ft1, ft0\n\t"
                         "fmv.x.d %0, ft1\n\tfrflags %1"
                         : "=r"(r), "=r"(fl) : "r"(dv[i]) : "ft0", "ft1");
        printf("fcvt.s.d %016lx -> %016lx/%02x (boxed)\n", dv[i], r, fl);
    }
    /* Bit moves raise no flags and do not canonicalise. */
    for (unsigned i = 0; i < sizeof sv / sizeof sv[0]; i++) {
        uint64_t x;
        __asm__ volatile("fsflags zero\n\tfmv.w.x ft0, %2\n\tfmv.x.w %0, ft0\n\tfrflags %1"
                         : "=r"(x), "=r"(fl) : "r"(sv[i]) : "ft0");
        printf("fmv.x.w(fmv.w.x %08x) -> %016lx/%02x\n", sv[i], x, fl);
    }
    for (unsigned i = 0; i < sizeof dv / sizeof dv[0]; i++) {
        uint64_t x;
        __asm__ volatile("fmv.d.x ft0, %1\n\tfmv.x.d %0, ft0" : "=r"(x) : "r"(dv[i]) : "ft0");
        printf("fmv.x.d(fmv.d.x %016lx) -> %016lx\n", dv[i], x);
    }
    /* C conversions the compiler emits with rtz. */
    volatile double big = 1e30, nan = __builtin_nan(""), neg = -3.99;
    volatile float fbig = 1e30f;
    printf("C: (int)1e30=%d (long)nan=%ld (unsigned)-3.99=%u (int)-3.99=%d (long)1e30f=%ld\n",
           (int)big, (long)nan, (unsigned)neg, (int)neg, (long)fbig);
    return 0;
}
