/* F and D arithmetic on corner-case operands: zeros of both signs, denormals, the
 * largest finite values, infinities, quiet and signalling NaNs with payloads. Each line
 * shows the result's bits and the fflags the operation raised (NV DZ OF UF NX = 16 8 4
 * 2 1), so canonical NaNs, overflow/underflow and signed-zero rules are all visible.
 * Covers add/sub/mul/div/sqrt, min/max, compares, sign injection, fclass and the four
 * fused multiply-adds. */
#include <stdint.h>
#include <stdio.h>

static const uint32_t sv[] = {
    0x00000000, 0x80000000, 0x3f800000, 0xbf800000, 0x3fc00000, 0x40400000, 0x3eaaaaab,
    0x00800000, 0x00000001, 0x807fffff, 0x7f7fffff, 0xff7fffff, 0x7f800000, 0xff800000,
    0x7fc00000, 0x7f800001, 0xffc00123, 0x4f000000, 0x5f800000, 0x33800000,
};
static const uint64_t dv[] = {
    0x0000000000000000ull, 0x8000000000000000ull, 0x3ff0000000000000ull,
    0xbff0000000000000ull, 0x3ff8000000000000ull, 0x4008000000000000ull,
    0x3fd5555555555555ull, 0x0010000000000000ull, 0x0000000000000001ull,
    0x800fffffffffffffull, 0x7fefffffffffffffull, 0xffefffffffffffffull,
    0x7ff0000000000000ull, 0xfff0000000000000ull, 0x7ff8000000000000ull,
    0x7ff0000000000001ull, 0xfff8000000000123ull, 0x41e0000000000000ull,
    0x43f0000000000000ull, 0x3ca0000000000000ull,
};
#define NS (sizeof sv / sizeof sv[0])
#define ND (sizeof dv / sizeof dv[0])

/* Binary op with an FP result: clear fflags, run, read result bits and fflags. */
#define BIN(op, P, MV, T)                                                            \
    static T bin_##P##_##op(T a, T b, unsigned *fl) {                                 \
        uint64_t r;                                                                   \
        unsigned f;                                                                   \
        __asm__ volatile("fsflags zero\n\tfmv." MV ".x ft0, %2\n\tfmv." MV ".x ft1, %3\n\t" \
                         #op "." #P " ft2, ft0, ft1\n\tfmv.x." MV " %0, ft2\n\tfrflags %1"  \
                         : "=r"(r), "=r"(f) : "r"(a), "r"(b) : "ft0", "ft1", "ft2");  \
        *fl = f;                                                                      \
        return (T)r;                                                                  \
    }
/* Binary op with an integer result (compares). */
#define CMP(op, P, MV, T)                                                            \
    static T bin_##P##_##op(T a, T b, unsigned *fl) {                                 \
        uint64_t r;                                                                   \
        unsigned f;                                                                   \
        __asm__ volatile("fsflags zero\n\tfmv." MV ".x ft0, %2\n\tfmv." MV ".x ft1, %3\n\t" \
                         #op "." #P " %0, ft0, ft1\n\tfrflags %1"                     \
                         : "=r"(r), "=r"(f) : "r"(a), "r"(b) : "ft0", "ft1");         \
        *fl = f;                                                                      \
        return (T)r;                                                                  \
    }
#define UN(op, P, MV, T)                                                             \
    static T un_##P##_##op(T a, unsigned *fl) {                                       \
        uint64_t r;                                                                   \
        unsigned f;                                                                   \
        __asm__ volatile("fsflags zero\n\tfmv." MV ".x ft0, %2\n\t" #op "." #P " ft2, ft0\n\t" \
                         "fmv.x." MV " %0, ft2\n\tfrflags %1"                         \
                         : "=r"(r), "=r"(f) : "r"(a) : "ft0", "ft2");                 \
        *fl = f;                                                                      \
        return (T)r;                                                                  \
    }
#define FUSED(op, P, MV, T)                                                          \
    static T fu_##P##_##op(T a, T b, T c, unsigned *fl) {                             \
        uint64_t r;                                                                   \
        unsigned f;                                                                   \
        __asm__ volatile("fsflags zero\n\tfmv." MV ".x ft0, %2\n\tfmv." MV ".x ft1, %3\n\t" \
                         "fmv." MV ".x ft2, %4\n\t" #op "." #P " ft3, ft0, ft1, ft2\n\t"   \
                         "fmv.x." MV " %0, ft3\n\tfrflags %1"                         \
                         : "=r"(r), "=r"(f) : "r"(a), "r"(b), "r"(c)                  \
                         : "ft0", "ft1", "ft2", "ft3");                               \
        *fl = f;                                                                      \
        return (T)r;                                                                  \
    }

#define ALL(P, MV, T)                                                                \
    BIN(fadd, P, MV, T) BIN(fsub, P, MV, T) BIN(fmul, P, MV, T) BIN(fdiv, P, MV, T)   \
    BIN(fmin, P, MV, T) BIN(fmax, P, MV, T) BIN(fsgnj, P, MV, T)                      \
    BIN(fsgnjn, P, MV, T) BIN(fsgnjx, P, MV, T)                                       \
    CMP(feq, P, MV, T) CMP(flt, P, MV, T) CMP(fle, P, MV, T)                          \
    UN(fsqrt, P, MV, T)                                                               \
    FUSED(fmadd, P, MV, T) FUSED(fmsub, P, MV, T) FUSED(fnmadd, P, MV, T)             \
    FUSED(fnmsub, P, MV, T)
ALL(s, "w", uint32_t)
ALL(d, "d", uint64_t)

#define CLASS(P, MV, T)                                                              \
    static unsigned class_##P(T a) {                                                  \
        uint64_t r;                                                                   \
        __asm__ volatile("fmv." MV ".x ft0, %1\n\tfclass." #P " %0, ft0"              \
                         : "=r"(r) : "r"(a) : "ft0");                                 \
        return (unsigned)r;                                                           \
    }
CLASS(s, "w", uint32_t)
CLASS(d, "d", uint64_t)

typedef uint32_t (*bin_s)(uint32_t, uint32_t, unsigned *);
typedef uint64_t (*bin_d)(uint64_t, uint64_t, unsigned *);
typedef uint32_t (*fu_s)(uint32_t, uint32_t, uint32_t, unsigned *);
typedef uint64_t (*fu_d)(uint64_t, uint64_t, uint64_t, unsigned *);

#define B(P, op) {#op "." #P, bin_##P##_##op}
static const struct { const char *name; bin_s fn; } bins_s[] = {
    B(s, fadd), B(s, fsub), B(s, fmul), B(s, fdiv), B(s, fmin), B(s, fmax), B(s, fsgnj),
    B(s, fsgnjn), B(s, fsgnjx), B(s, feq), B(s, flt), B(s, fle),
};
static const struct { const char *name; bin_d fn; } bins_d[] = {
    B(d, fadd), B(d, fsub), B(d, fmul), B(d, fdiv), B(d, fmin), B(d, fmax), B(d, fsgnj),
    B(d, fsgnjn), B(d, fsgnjx), B(d, feq), B(d, flt), B(d, fle),
};
#define F(P, op) {#op "." #P, fu_##P##_##op}
static const struct { const char *name; fu_s fn; } fus_s[] = {
    F(s, fmadd), F(s, fmsub), F(s, fnmadd), F(s, fnmsub),
};
static const struct { const char *name; fu_d fn; } fus_d[] = {
    F(d, fmadd), F(d, fmsub), F(d, fnmadd), F(d, fnmsub),
};

/* Operands for the fused ops: fewer, chosen for cancellation, inf*0 and NaN rules. */
static const uint32_t fs[] = {0x00000000, 0x80000000, 0x3f800000, 0xbf800000, 0x3eaaaaab,
                              0x7f7fffff, 0x00000001, 0x7f800000, 0x7fc00000, 0x7f800001};
static const uint64_t fd[] = {0x0000000000000000ull, 0x8000000000000000ull,
                              0x3ff0000000000000ull, 0xbff0000000000000ull,
                              0x3fd5555555555555ull, 0x7fefffffffffffffull,
                              0x0000000000000001ull, 0x7ff0000000000000ull,
                              0x7ff8000000000000ull, 0x7ff0000000000001ull};
#define NF 10

int main(void) {
    unsigned fl;
    for (unsigned o = 0; o < sizeof bins_s / sizeof bins_s[0]; o++)
        for (unsigned i = 0; i < NS; i++)
            for (unsigned j = 0; j < NS; j++) {
                uint32_t r = bins_s[o].fn(sv[i], sv[j], &fl);
                printf("%s %08x %08x -> %08x fl=%02x\n", bins_s[o].name, sv[i], sv[j], r, fl);
            }
    for (unsigned o = 0; o < sizeof bins_d / sizeof bins_d[0]; o++)
        for (unsigned i = 0; i < ND; i++)
            for (unsigned j = 0; j < ND; j++) {
                uint64_t r = bins_d[o].fn(dv[i], dv[j], &fl);
                printf("%s %016lx %016lx -> %016lx fl=%02x\n", bins_d[o].name, dv[i], dv[j], r,
                       fl);
            }
    for (unsigned i = 0; i < NS; i++) {
        uint32_t r = un_s_fsqrt(sv[i], &fl);
        printf("fsqrt.s %08x -> %08x fl=%02x fclass=%03x\n", sv[i], r, fl, class_s(sv[i]));
    }
    for (unsigned i = 0; i < ND; i++) {
        uint64_t r = un_d_fsqrt(dv[i], &fl);
        printf("fsqrt.d %016lx -> %016lx fl=%02x fclass=%03x\n", dv[i], r, fl, class_d(dv[i]));
    }
    for (unsigned o = 0; o < 4; o++)
        for (unsigned i = 0; i < NF; i++)
            for (unsigned j = 0; j < NF; j++)
                for (unsigned k = 0; k < NF; k++) {
                    uint32_t r = fus_s[o].fn(fs[i], fs[j], fs[k], &fl);
                    printf("%s %08x %08x %08x -> %08x fl=%02x\n", fus_s[o].name, fs[i], fs[j],
                           fs[k], r, fl);
                }
    for (unsigned o = 0; o < 4; o++)
        for (unsigned i = 0; i < NF; i++)
            for (unsigned j = 0; j < NF; j++)
                for (unsigned k = 0; k < NF; k++) {
                    uint64_t r = fus_d[o].fn(fd[i], fd[j], fd[k], &fl);
                    printf("%s %016lx %016lx %016lx -> %016lx fl=%02x\n", fus_d[o].name, fd[i],
                           fd[j], fd[k], r, fl);
                }
    /* A fused multiply-add is rounded once: (1+2^-52)*(1-2^-53) - 1 is exactly
     * 2^-53 - 2^-105, with no inexact flag; two roundings would give 2^-53. */
    unsigned long one_up = 0x3ff0000000000001ull, one_down = 0x3fefffffffffffffull;
    uint64_t r = fu_d_fmsub(one_up, one_down, 0x3ff0000000000000ull, &fl);
    printf("single rounding: fmsub.d -> %016lx fl=%02x\n", r, fl);
    return 0;
}
