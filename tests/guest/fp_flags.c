/* fflags: each kind of exception raised alone (NV, DZ, OF, UF, NX), flags accumulating
 * across operations until cleared, operations that raise nothing, and the C fenv
 * interface (feclearexcept, feraiseexcept, fetestexcept, fegetenv/fesetenv,
 * feholdexcept/feupdateenv) that glibc implements with the fflags/frm CSRs. */
#include <fenv.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>

static unsigned flags(void) {
    unsigned f;
    __asm__ volatile("frflags %0" : "=r"(f));
    return f;
}
static void clear(void) { __asm__ volatile("fsflags zero"); }

static volatile double zero = 0.0, one = 1.0, three = 3.0, huge = 1e308, tiny = 1e-308;
static volatile double minus_one = -1.0, inf = __builtin_inf(), qnan = __builtin_nan("");
static volatile float fhuge = 3e38f, ftiny = 1e-38f, fone = 1.0f, fthree = 3.0f;

#define SHOWF(label, expr)                                           \
    do {                                                             \
        clear();                                                     \
        volatile double r_ = (expr);                                 \
        (void)r_;                                                    \
        printf("%-28s fflags=%02x\n", label, flags());               \
    } while (0)

static void one_kind_each(void) {
    SHOWF("exact 1+1", one + one);
    SHOWF("NX 1/3", one / three);
    SHOWF("DZ 1/0", one / zero);
    SHOWF("DZ -1/0", minus_one / zero);
    SHOWF("NV 0/0", zero / zero);
    SHOWF("NV inf-inf", inf - inf);
    SHOWF("NV 0*inf", zero * inf);
    SHOWF("NV sqrt(-1)", sqrt(minus_one));
    SHOWF("OF huge*huge", huge * huge);
    SHOWF("UF tiny*tiny", tiny * tiny);
    SHOWF("UF tiny/3 (denormal)", tiny / 3e10);
    SHOWF("UF tiny/2^10 (bits lost)", tiny / 1024.0);
    SHOWF("OF float huge*huge", (double)(fhuge * fhuge));
    SHOWF("UF float tiny*tiny", (double)(ftiny * ftiny));
    SHOWF("NX float 1/3", (double)(fone / fthree));
    SHOWF("quiet NaN + 1 (no flag)", qnan + one);
    SHOWF("inf + 1 (no flag)", inf + one);
    SHOWF("(float)1e300 OF", (double)(float)huge);
    SHOWF("(float)1e-300 UF", (double)(float)tiny);
    clear();
    volatile int lt = qnan < one;
    printf("%-28s fflags=%02x (%d)\n", "NV qnan < 1 (signaling cmp)", flags(), lt);
    clear();
    volatile int eq = qnan == one;
    printf("%-28s fflags=%02x (%d)\n", "qnan == 1 (quiet cmp)", flags(), eq);
    clear();
    volatile int un = __builtin_isless(qnan, one);
    printf("%-28s fflags=%02x (%d)\n", "isless(qnan, 1)", flags(), un);
    clear();
    volatile long l = (long)huge;
    printf("%-28s fflags=%02x (%ld)\n", "NV (long)1e308", flags(), l);
}

static void accumulation(void) {
    clear();
    volatile double r = one / three;
    r = one / zero;
    r = huge * huge;
    (void)r;
    printf("accumulated NX|DZ|OF: %02x\n", flags());
    __asm__ volatile("fsflagsi 0x1f");
    printf("fsflagsi 0x1f: %02x\n", flags());
    unsigned old;
    __asm__ volatile("csrrci %0, fflags, 0x5" : "=r"(old));
    printf("csrrci fflags 5: old=%02x now=%02x\n", old, flags());
    __asm__ volatile("csrrsi %0, fflags, 0x4" : "=r"(old));
    printf("csrrsi fflags 4: old=%02x now=%02x\n", old, flags());
    __asm__ volatile("fsflags %0, %1" : "=r"(old) : "r"(0x3));
    printf("fsflags 3 swap: old=%02x now=%02x\n", old, flags());
    __asm__ volatile("fsflags %0, %1" : "=r"(old) : "r"(0xffu));
    printf("fsflags 0xff keeps 5 bits: old=%02x now=%02x\n", old, flags());
    clear();
}

static void fenv(void) {
    feclearexcept(FE_ALL_EXCEPT);
    printf("after feclearexcept: %x\n", fetestexcept(FE_ALL_EXCEPT));
    feraiseexcept(FE_OVERFLOW | FE_INEXACT);
    printf("feraiseexcept OF|NX: test=%x overflow=%d underflow=%d raw=%02x\n",
           fetestexcept(FE_ALL_EXCEPT), !!fetestexcept(FE_OVERFLOW),
           !!fetestexcept(FE_UNDERFLOW), flags());
    fenv_t env;
    fegetenv(&env);
    feclearexcept(FE_ALL_EXCEPT);
    fesetround(FE_UPWARD);
    volatile double r = one / three;
    (void)r;
    printf("inside: round=%d flags=%02x\n", fegetround() == FE_UPWARD, flags());
    fesetenv(&env);
    printf("after fesetenv: nearest=%d flags=%02x\n", fegetround() == FE_TONEAREST, flags());
    fenv_t held;
    feholdexcept(&held);
    printf("after feholdexcept: flags=%02x\n", flags());
    r = zero / zero;
    feupdateenv(&held);
    printf("after feupdateenv: flags=%02x\n", flags());
    fexcept_t saved;
    fegetexceptflag(&saved, FE_INVALID);
    feclearexcept(FE_ALL_EXCEPT);
    fesetexceptflag(&saved, FE_INVALID);
    printf("fesetexceptflag(NV): flags=%02x\n", flags());
    feclearexcept(FE_ALL_EXCEPT);
}

int main(void) {
    one_kind_each();
    accumulation();
    fenv();
    return 0;
}
