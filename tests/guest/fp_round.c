/* Rounding modes: every arithmetic op with each static rounding mode encoded in the
 * instruction (rne rtz rdn rup rmm) and with dyn under each frm value set by fsrm, plus
 * fesetround driving compiled C code and libm's rint family. Operands are chosen so the
 * exact result falls between two floats: ties, near-ties, overflow (rounds to inf or to
 * the largest finite value depending on mode) and denormal results. Also checks that
 * underflow is detected after rounding. */
#include <fenv.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>

#define OPD(op, P, MV, T, RM)                                                         \
    static T op##_##P##_##RM(T a, T b, unsigned *fl) {                                 \
        uint64_t r;                                                                    \
        unsigned f;                                                                    \
        __asm__ volatile("fsflags zero\n\tfmv." MV ".x ft0, %2\n\tfmv." MV ".x ft1, %3\n\t" \
                         #op "." #P " ft2, ft0, ft1, " #RM "\n\tfmv.x." MV " %0, ft2\n\t" \
                         "frflags %1"                                                  \
                         : "=r"(r), "=r"(f) : "r"(a), "r"(b) : "ft0", "ft1", "ft2");   \
        *fl = f;                                                                       \
        return (T)r;                                                                   \
    }
#define SQRT(P, MV, T, RM)                                                            \
    static T fsqrt_##P##_##RM(T a, T b, unsigned *fl) {                                \
        uint64_t r;                                                                    \
        unsigned f;                                                                    \
        (void)b;                                                                       \
        __asm__ volatile("fsflags zero\n\tfmv." MV ".x ft0, %2\n\t"                      \
                         "fsqrt." #P " ft2, ft0, " #RM "\n\tfmv.x." MV " %0, ft2\n\t"   \
                         "frflags %1"                                                  \
                         : "=r"(r), "=r"(f) : "r"(a) : "ft0", "ft2");                  \
        *fl = f;                                                                       \
        return (T)r;                                                                   \
    }
/* fmadd a*b + a: the addend reuses a so the table stays binary. */
#define FMA(P, MV, T, RM)                                                             \
    static T fmadd_##P##_##RM(T a, T b, unsigned *fl) {                                \
        uint64_t r;                                                                    \
        unsigned f;                                                                    \
        __asm__ volatile("fsflags zero\n\tfmv." MV ".x ft0, %2\n\tfmv." MV ".x ft1, %3\n\t" \
                         "fmadd." #P " ft2, ft0, ft1, ft0, " #RM "\n\t"                 \
                         "fmv.x." MV " %0, ft2\n\tfrflags %1"                          \
                         : "=r"(r), "=r"(f) : "r"(a), "r"(b) : "ft0", "ft1", "ft2");   \
        *fl = f;                                                                       \
        return (T)r;                                                                   \
    }
#define ALL_RM(M, ...) M(__VA_ARGS__, rne) M(__VA_ARGS__, rtz) M(__VA_ARGS__, rdn) \
    M(__VA_ARGS__, rup) M(__VA_ARGS__, rmm) M(__VA_ARGS__, dyn)
ALL_RM(OPD, fadd, s, "w", uint32_t) ALL_RM(OPD, fsub, s, "w", uint32_t)
ALL_RM(OPD, fmul, s, "w", uint32_t) ALL_RM(OPD, fdiv, s, "w", uint32_t)
ALL_RM(SQRT, s, "w", uint32_t) ALL_RM(FMA, s, "w", uint32_t)
ALL_RM(OPD, fadd, d, "d", uint64_t) ALL_RM(OPD, fsub, d, "d", uint64_t)
ALL_RM(OPD, fmul, d, "d", uint64_t) ALL_RM(OPD, fdiv, d, "d", uint64_t)
ALL_RM(SQRT, d, "d", uint64_t) ALL_RM(FMA, d, "d", uint64_t)

typedef uint32_t (*fn_s)(uint32_t, uint32_t, unsigned *);
typedef uint64_t (*fn_d)(uint64_t, uint64_t, unsigned *);
#define ROW(op, P) {#op "." #P, {op##_##P##_rne, op##_##P##_rtz, op##_##P##_rdn, \
                                op##_##P##_rup, op##_##P##_rmm, op##_##P##_dyn}}
static const struct { const char *name; fn_s fn[6]; } ops_s[] = {
    ROW(fadd, s), ROW(fsub, s), ROW(fmul, s), ROW(fdiv, s), ROW(fsqrt, s), ROW(fmadd, s),
};
static const struct { const char *name; fn_d fn[6]; } ops_d[] = {
    ROW(fadd, d), ROW(fsub, d), ROW(fmul, d), ROW(fdiv, d), ROW(fsqrt, d), ROW(fmadd, d),
};
static const char *const rm_names[] = {"rne", "rtz", "rdn", "rup", "rmm"};

static const uint32_t ps[][2] = {
    {0x3f800000, 0x33800000}, /* 1 + 2^-24: a tie */
    {0x3f800001, 0x33800000}, /* odd + half ulp: tie rounds up to even */
    {0xbf800000, 0xb3800000}, /* negative tie */
    {0x3f800000, 0x3eaaaaab}, /* 1 and 1/3 */
    {0xbf800000, 0x40400000}, /* -1 and 3 */
    {0x7f7fffff, 0x7f7fffff}, /* overflow */
    {0xff7fffff, 0x7f7fffff}, /* negative overflow */
    {0x00000003, 0x3f000000}, /* denormal * 0.5: a denormal tie */
    {0x00800001, 0x3f7fffff}, /* near the normal boundary */
    {0x40000000, 0x40400000}, /* 2 and 3: sqrt(2) inexact */
};
static const uint64_t pd[][2] = {
    {0x3ff0000000000000ull, 0x3ca0000000000000ull},
    {0x3ff0000000000001ull, 0x3ca0000000000000ull},
    {0xbff0000000000000ull, 0xbca0000000000000ull},
    {0x3ff0000000000000ull, 0x3fd5555555555555ull},
    {0xbff0000000000000ull, 0x4008000000000000ull},
    {0x7fefffffffffffffull, 0x7fefffffffffffffull},
    {0xffefffffffffffffull, 0x7fefffffffffffffull},
    {0x0000000000000003ull, 0x3fe0000000000000ull},
    {0x0010000000000001ull, 0x3fefffffffffffffull},
    {0x4000000000000000ull, 0x4008000000000000ull},
};

static void set_frm(unsigned rm) { __asm__ volatile("fsrm %0" ::"r"(rm)); }
static unsigned get_frm(void) {
    unsigned rm;
    __asm__ volatile("frrm %0" : "=r"(rm));
    return rm;
}

static void instruction_modes(void) {
    unsigned fl;
    for (unsigned o = 0; o < 6; o++)
        for (unsigned p = 0; p < 10; p++) {
            printf("%s %08x %08x:", ops_s[o].name, ps[p][0], ps[p][1]);
            for (unsigned rm = 0; rm < 5; rm++)
                printf(" %s=%08x/%02x", rm_names[rm], ops_s[o].fn[rm](ps[p][0], ps[p][1], &fl), fl);
            for (unsigned rm = 0; rm < 5; rm++) {
                set_frm(rm);
                printf(" dyn%u=%08x/%02x", rm, ops_s[o].fn[5](ps[p][0], ps[p][1], &fl), fl);
            }
            set_frm(0);
            printf("\n");
        }
    for (unsigned o = 0; o < 6; o++)
        for (unsigned p = 0; p < 10; p++) {
            printf("%s %016lx %016lx:", ops_d[o].name, pd[p][0], pd[p][1]);
            for (unsigned rm = 0; rm < 5; rm++)
                printf(" %s=%016lx/%02x", rm_names[rm], ops_d[o].fn[rm](pd[p][0], pd[p][1], &fl),
                       fl);
            for (unsigned rm = 0; rm < 5; rm++) {
                set_frm(rm);
                printf(" dyn%u=%016lx/%02x", rm, ops_d[o].fn[5](pd[p][0], pd[p][1], &fl), fl);
            }
            set_frm(0);
            printf("\n");
        }
    /* A static mode leaves frm alone. */
    set_frm(3);
    (void)fadd_s_rtz(0x3f800000, 0x33800000, &fl);
    printf("frm after static rtz op: %u\n", get_frm());
    set_frm(0);
}

/* Narrowing and int-to-float conversions round too. */
#define CVT(name, insn, in_mv, out_mv, RM)                                            \
    static uint64_t name##_##RM(uint64_t a) {                                          \
        uint64_t r;                                                                    \
        __asm__ volatile(in_mv "\n\t" insn ", " #RM "\n\t" out_mv                      \
                         : "=r"(r) : "r"(a) : "ft0", "ft1");                           \
        return r;                                                                      \
    }
ALL_RM(CVT, s_d, "fcvt.s.d ft1, ft0", "fmv.d.x ft0, %1", "fmv.x.w %0, ft1")
ALL_RM(CVT, s_l, "fcvt.s.l ft1, %1", "", "fmv.x.w %0, ft1")
ALL_RM(CVT, s_lu, "fcvt.s.lu ft1, %1", "", "fmv.x.w %0, ft1")
ALL_RM(CVT, s_w, "fcvt.s.w ft1, %1", "", "fmv.x.w %0, ft1")
ALL_RM(CVT, s_wu, "fcvt.s.wu ft1, %1", "", "fmv.x.w %0, ft1")
ALL_RM(CVT, d_l, "fcvt.d.l ft1, %1", "", "fmv.x.d %0, ft1")
ALL_RM(CVT, d_lu, "fcvt.d.lu ft1, %1", "", "fmv.x.d %0, ft1")
typedef uint64_t (*cvt_fn)(uint64_t);
#define CROW(name) {#name, {name##_rne, name##_rtz, name##_rdn, name##_rup, name##_rmm}}
static const struct { const char *name; cvt_fn fn[5]; } cvts[] = {
    CROW(s_d), CROW(s_l), CROW(s_lu), CROW(s_w), CROW(s_wu), CROW(d_l), CROW(d_lu),
};
static const uint64_t cvt_in[] = {
    0x3ff0000010000000ull, 0xbff0000010000000ull, 0x3ff0000030000000ull,
    0x47efffffefffffffull, 0x47effffff0000000ull, 0x3690000000000000ull,
    0x0000000001000001ull, 0x0000000001000003ull, 0xfffffffffeffffffull,
    0x7fffffffffffffffull, 0x8000000000000001ull, 0xffffffffffffffffull,
    0x000000007fffffc1ull, 0x00000000ffffff7full, 0x0020000000000001ull,
};

static void conversions(void) {
    for (unsigned c = 0; c < sizeof cvts / sizeof cvts[0]; c++)
        for (unsigned i = 0; i < sizeof cvt_in / sizeof cvt_in[0]; i++) {
            printf("fcvt.%s %016lx:", cvts[c].name, cvt_in[i]);
            for (unsigned rm = 0; rm < 5; rm++) {
                __asm__ volatile("fsflags zero");
                uint64_t r = cvts[c].fn[rm](cvt_in[i]);
                unsigned fl;
                __asm__ volatile("frflags %0" : "=r"(fl));
                printf(" %s=%lx/%02x", rm_names[rm], r, fl);
            }
            printf("\n");
        }
}

static void c_level(void) {
    static const int modes[] = {FE_TONEAREST, FE_TOWARDZERO, FE_DOWNWARD, FE_UPWARD};
    static const char *const names[] = {"nearest", "towardzero", "downward", "upward"};
    volatile double one = 1.0, three = 3.0, big = 1e308, tiny = 0x1p-1074;
    volatile float onef = 1.0f, threef = 3.0f;
    static const double rint_in[] = {0.5, 1.5, 2.5, -0.5, -1.5, -2.5, 2.4999999, -7.7};
    for (int m = 0; m < 4; m++) {
        int set = fesetround(modes[m]);
        printf("%s: fesetround=%d fegetround-ok=%d frm=%u\n", names[m], set,
               fegetround() == modes[m], get_frm());
        printf("  1/3=%a -1/3=%a 1/3f=%a big*10=%a tiny/2=%a -tiny/2=%a\n", one / three,
               -one / three, (double)(onef / threef), big * 10, tiny / 2, -tiny / 2);
        printf("  sqrt2=%a", sqrt(2.0 * one));
        for (unsigned i = 0; i < sizeof rint_in / sizeof rint_in[0]; i++)
            printf(" rint(%g)=%g/%ld", rint_in[i], rint(rint_in[i] * one),
                   lrint(rint_in[i] * one));
        printf("\n  nearbyint(2.5)=%g round(2.5)=%g floor(-2.5)=%g ceil(-2.5)=%g trunc(-2.7)=%g\n",
               nearbyint(2.5 * one), round(2.5 * one), floor(-2.5 * one), ceil(-2.5 * one),
               trunc(-2.7 * one));
    }
    fesetround(FE_TONEAREST);
}

/* RISC-V detects tininess after rounding. fmadd computes 2^-126 - 2^-152 exactly: rounded
 * to 24 bits with an unbounded exponent it is 2^-126, not tiny, so only NX is raised
 * (UF as well would mean tininess was detected before rounding). With rtz the result
 * stays denormal and UF is raised. The same for double with 2^-1022 - 2^-1076. */
#define TINY(name, P, MV, RM)                                                         \
    static uint64_t name(uint64_t a, uint64_t b, uint64_t c, unsigned *fl) {           \
        uint64_t r;                                                                    \
        unsigned f;                                                                    \
        __asm__ volatile("fsflags zero\n\tfmv." MV ".x ft0, %2\n\tfmv." MV ".x ft1, %3\n\t" \
                         "fmv." MV ".x ft2, %4\n\tfmadd." #P " ft3, ft0, ft1, ft2, " #RM "\n\t" \
                         "fmv.x." MV " %0, ft3\n\tfrflags %1"                          \
                         : "=r"(r), "=r"(f) : "r"(a), "r"(b), "r"(c)                   \
                         : "ft0", "ft1", "ft2", "ft3");                                \
        *fl = f;                                                                       \
        return r;                                                                      \
    }
TINY(tiny_s_rne, s, "w", rne) TINY(tiny_s_rtz, s, "w", rtz)
TINY(tiny_d_rne, d, "d", rne) TINY(tiny_d_rtz, d, "d", rtz)

static void tininess(void) {
    unsigned fl;
    uint64_t r = tiny_s_rne(0x99800000, 0x19800000, 0x00800000, &fl);
    printf("tininess single rne: %08x/%02x\n", (uint32_t)r, fl);
    r = tiny_s_rtz(0x99800000, 0x19800000, 0x00800000, &fl);
    printf("tininess single rtz: %08x/%02x\n", (uint32_t)r, fl);
    r = tiny_d_rne(0x9e50000000000000ull, 0x1e50000000000000ull, 0x0010000000000000ull, &fl);
    printf("tininess double rne: %016lx/%02x\n", r, fl);
    r = tiny_d_rtz(0x9e50000000000000ull, 0x1e50000000000000ull, 0x0010000000000000ull, &fl);
    printf("tininess double rtz: %016lx/%02x\n", r, fl);
    r = fmul_d_rne(0x0010000000000000ull, 0x3fe0000000000000ull, &fl);
    printf("exact denormal: %016lx/%02x\n", r, fl);
    r = fmul_s_rne(0x00800000, 0x3f7fffff, &fl);
    printf("denormal tie: %08x/%02x\n", (uint32_t)r, fl);
}

int main(void) {
    instruction_modes();
    conversions();
    c_level();
    tininess();
    return 0;
}
