// cflags: -march=rv64gc_zfh
/* Zfh and Zfa: every fli constant in S, D and H; fround/froundnx in every rounding
 * mode on fractions, ties, large values, infinities and NaNs with flags; fminm/fmaxm
 * and fleq/fltq on NaNs and signed zeros; fcvtmod.w.d on overflow, NaN and infinity;
 * half-precision arithmetic, conversions and NaN-boxing. Zfa is written as .insn. */
#include "insn.h"
#include <math.h>
#include <string.h>

static uint64_t bits_d(double x) { uint64_t b; memcpy(&b, &x, 8); return b; }
static double from_bits(uint64_t b) { double x; memcpy(&x, &b, 8); return x; }

#define FLI(fmt7, idx, out)                                                              \
    __asm__ volatile(".insn r 0x53, 0, " #fmt7 ", ft0, f" #idx ", f1\n\tfmv.x.d %0, ft0"   \
                     : "=r"(out) : : "ft0")

#define FLI_ALL(idx)                                                                     \
    {                                                                                    \
        uint64_t s, d, h;                                                                \
        FLI(0x78, idx, s);                                                               \
        FLI(0x79, idx, d);                                                               \
        FLI(0x7a, idx, h);                                                               \
        printf("fli %2d: s %016lx d %016lx h %016lx\n", idx, s, d, h);                   \
    }

static void fli(void)
{
    FLI_ALL(0) FLI_ALL(1) FLI_ALL(2) FLI_ALL(3) FLI_ALL(4) FLI_ALL(5) FLI_ALL(6) FLI_ALL(7)
    FLI_ALL(8) FLI_ALL(9) FLI_ALL(10) FLI_ALL(11) FLI_ALL(12) FLI_ALL(13) FLI_ALL(14)
    FLI_ALL(15) FLI_ALL(16) FLI_ALL(17) FLI_ALL(18) FLI_ALL(19) FLI_ALL(20) FLI_ALL(21)
    FLI_ALL(22) FLI_ALL(23) FLI_ALL(24) FLI_ALL(25) FLI_ALL(26) FLI_ALL(27) FLI_ALL(28)
    FLI_ALL(29) FLI_ALL(30) FLI_ALL(31)
}

static const uint64_t dvals[] = {
    0x4004000000000000, /* 2.5 */ 0xc004000000000000, /* -2.5 */ 0x3fe0000000000000,
    0xbfe0000000000000, 0x3ff8000000000000, 0x4330000000000001, /* 2^52 + 1 */
    0x7ff0000000000000, 0xfff0000000000000, 0x7ff8000000000000, 0x7ff0000000000001,
    0x8000000000000000, 0x0000000000000001, 0x41dfffffffc00000, /* 2^31 - 1 */
    0x41e0000000000000, /* 2^31 */ 0xc1e0000000000000, 0xc1e0000000200000,
    0x41f0000000140000, /* 2^32 + 5 */ 0x7fefffffffffffff, 0xc00c000000000000, /* -3.5 */
};
#define ND (int)(sizeof dvals / sizeof dvals[0])

/* fround.d (rs2 = 4) / froundnx.d (rs2 = 5) with static rounding mode RM. */
#define ROUND(rs2, RM, in, out)                                                          \
    __asm__ volatile("fmv.d.x ft1, %1\n\t.insn r 0x53, " #RM ", 0x21, ft0, ft1, f" #rs2   \
                     "\n\tfmv.x.d %0, ft0" : "=r"(out) : "r"(in) : "ft0", "ft1")

#define ROUND_RM(RM)                                                                     \
    for (int i = 0; i < ND; i++) {                                                       \
        uint64_t r, x;                                                                   \
        clear_fflags();                                                                  \
        ROUND(4, RM, dvals[i], r);                                                       \
        unsigned f1 = read_fflags();                                                     \
        clear_fflags();                                                                  \
        ROUND(5, RM, dvals[i], x);                                                       \
        printf("round rm%d %016lx: %016lx %s", RM, dvals[i], r, flag_text(f1));          \
        printf(" nx %016lx %s\n", x, flag_text(read_fflags()));                          \
    }

static void fround(void)
{
    ROUND_RM(0) ROUND_RM(1) ROUND_RM(2) ROUND_RM(3) ROUND_RM(4)
    /* dynamic mode, and fround.s / fround.h on a few values */
    set_frm(2);
    for (int i = 0; i < 4; i++) {
        uint64_t r;
        clear_fflags();
        ROUND(4, 7, dvals[i], r);
        printf("round dyn(rdn) %016lx: %016lx %s\n", dvals[i], r, flag_text(read_fflags()));
    }
    set_frm(0);
    float fs[] = {2.5f, -0.5f, 1e10f, NAN, -INFINITY, 0.49999997f};
    for (int i = 0; i < 6; i++) {
        float r;
        clear_fflags();
        __asm__ volatile(".insn r 0x53, 0, 0x20, %0, %1, f5" : "=f"(r) : "f"(fs[i]));
        uint32_t b; memcpy(&b, &r, 4);
        printf("froundnx.s %g: %08x %s\n", (double)fs[i], b, flag_text(read_fflags()));
    }
}

static void minmax_cmp(void)
{
    uint64_t v[] = {0x8000000000000000, 0, 0x7ff8000000000000, 0x7ff0000000000001,
                    0x3ff0000000000000, 0xfff0000000000000};
    for (int i = 0; i < 6; i++)
        for (int j = 0; j < 6; j++) {
            uint64_t mn, mx; long le, lt;
            double a = from_bits(v[i]), b = from_bits(v[j]);
            clear_fflags();
            __asm__ volatile(".insn r 0x53, 2, 0x15, %0, %1, %2" : "=f"(a) : "f"(a), "f"(b));
            mn = bits_d(a);
            a = from_bits(v[i]);
            __asm__ volatile(".insn r 0x53, 3, 0x15, %0, %1, %2" : "=f"(a) : "f"(a), "f"(b));
            mx = bits_d(a);
            unsigned f = read_fflags();
            a = from_bits(v[i]);
            clear_fflags();
            __asm__ volatile(".insn r 0x53, 4, 0x51, %0, %1, %2" : "=r"(le) : "f"(a), "f"(b));
            __asm__ volatile(".insn r 0x53, 5, 0x51, %0, %1, %2" : "=r"(lt) : "f"(a), "f"(b));
            printf("%016lx %016lx: minm %016lx maxm %016lx %s leq %ld ltq %ld %s\n", v[i],
                   v[j], mn, mx, flag_text(f), le, lt, flag_text(read_fflags()));
        }
}

static void fcvtmod(void)
{
    for (int i = 0; i < ND; i++) {
        long r;
        double a = from_bits(dvals[i]);
        clear_fflags();
        __asm__ volatile(".insn r 0x53, 1, 0x61, %0, %1, f8" : "=r"(r) : "f"(a));
        printf("fcvtmod.w.d %016lx: %ld %s\n", dvals[i], r, flag_text(read_fflags()));
    }
}

static void half(void)
{
    uint16_t hv[] = {0x3c00, 0xc100, 0x7bff, 0x0001, 0x7c00, 0x7e00, 0x7c01, 0x8000, 0x3555};
    for (int i = 0; i < 9; i++)
        for (int j = 0; j < 9; j++) {
            uint64_t add, mul, div, fma; long cmp, cls, w;
            clear_fflags();
            __asm__ volatile("fmv.h.x ft1, %4\n\tfmv.h.x ft2, %5\n\t"
                             "fadd.h ft0, ft1, ft2\n\tfmv.x.d %0, ft0\n\t"
                             "fmul.h ft0, ft1, ft2, rup\n\tfmv.x.d %1, ft0\n\t"
                             "fdiv.h ft0, ft1, ft2, rtz\n\tfmv.x.d %2, ft0\n\t"
                             "fmadd.h ft0, ft1, ft2, ft1\n\tfmv.x.d %3, ft0"
                             : "=r"(add), "=r"(mul), "=r"(div), "=r"(fma)
                             : "r"((long)hv[i]), "r"((long)hv[j]) : "ft0", "ft1", "ft2");
            unsigned f = read_fflags();
            clear_fflags();
            __asm__ volatile("fmv.h.x ft1, %3\n\tfmv.h.x ft2, %4\n\tflt.h %0, ft1, ft2\n\t"
                             "fclass.h %1, ft1\n\tfcvt.w.h %2, ft1, rtz"
                             : "=r"(cmp), "=r"(cls), "=r"(w)
                             : "r"((long)hv[i]), "r"((long)hv[j]) : "ft1", "ft2");
            printf("h %04x %04x: %lx %lx %lx %lx %s | %ld %ld %ld %s\n", hv[i], hv[j], add, mul,
                   div, fma, flag_text(f), cmp, cls, w, flag_text(read_fflags()));
        }
    /* conversions, boxing, loads and stores */
    double ds[] = {1.0 / 3, 65520.0, -1e-8, 5.9604644775390625e-08, NAN};
    for (int i = 0; i < 5; i++) {
        uint64_t hb, back, sb; long l;
        clear_fflags();
        __asm__ volatile("fcvt.h.d ft0, %4\n\tfmv.x.d %0, ft0\n\tfcvt.d.h ft1, ft0\n\t"
                         "fmv.x.d %1, ft1\n\tfcvt.s.h ft2, ft0\n\tfmv.x.d %2, ft2\n\t"
                         "fcvt.l.h %3, ft0" : "=r"(hb), "=r"(back), "=r"(sb), "=r"(l)
                         : "f"(ds[i]) : "ft0", "ft1", "ft2");
        printf("cvt %g: h %lx d %lx s %lx l %ld %s\n", ds[i], hb, back, sb, l,
               flag_text(read_fflags()));
    }
    uint16_t mem[2] = {0xabcd, 0};
    uint64_t loaded, unboxed_add; long mv;
    __asm__ volatile("flh ft0, 0(%3)\n\tfmv.x.d %0, ft0\n\tfsh ft0, 2(%3)\n\t"
                     "fmv.x.h %1, ft0\n\tfmv.d.x ft1, %4\n\tfadd.h ft2, ft1, ft1\n\t"
                     "fmv.x.d %2, ft2"
                     : "=r"(loaded), "=r"(mv), "=r"(unboxed_add)
                     : "r"(mem), "r"(0xfffffffe00003c00UL) : "ft0", "ft1", "ft2", "memory");
    printf("flh %lx fmv.x.h %lx stored %x unboxed add %lx\n", loaded, mv, mem[1], unboxed_add);
}

int main(void)
{
    fli();
    fround();
    minmax_cmp();
    fcvtmod();
    half();
    return 0;
}
