/* glibc's libm on RISC-V: transcendental functions built from exact integer and FP
 * steps (fma, conversions, bit tricks), printed in hex so a single-ulp difference shows.
 * Includes special values (signed zeros, infinities, NaN, huge arguments). */
#include <math.h>
#include <stdio.h>

int main(void) {
    static const double xs[] = {0.0, -0.0, 1e-310, 0.5, 1.0, -1.0, 2.0, 3.14159265358979,
                                10.0, -7.25, 100.5, 1e10, 1e300, INFINITY, -INFINITY, NAN};
    for (unsigned i = 0; i < sizeof xs / sizeof xs[0]; i++) {
        double x = xs[i];
        printf("x=%a\n  sin=%a cos=%a tan=%a atan=%a\n  exp=%a expm1=%a log=%a log1p=%a log2=%a "
               "log10=%a\n  sqrt=%a cbrt=%a sinh=%a tanh=%a asinh=%a\n  floor=%a ceil=%a "
               "round=%a trunc=%a rint=%a\n  fabs=%a pow(x,2.5)=%a pow(2,x)=%a hypot(x,3)=%a "
               "atan2(x,-2)=%a fmod(x,3)=%a\n",
               x, sin(x), cos(x), tan(x), atan(x), exp(x), expm1(x), log(x), log1p(x), log2(x),
               log10(x), sqrt(x), cbrt(x), sinh(x), tanh(x), asinh(x), floor(x), ceil(x),
               round(x), trunc(x), rint(x), fabs(x), pow(x, 2.5), pow(2, x), hypot(x, 3),
               atan2(x, -2), fmod(x, 3));
        float f = (float)x;
        printf("  float: sinf=%a expf=%a logf=%a sqrtf=%a powf=%a\n", (double)sinf(f),
               (double)expf(f), (double)logf(f), (double)sqrtf(f), (double)powf(f, 1.5f));
        int e;
        double m = frexp(x, &e);
        printf("  frexp=%a,%d ldexp(x,-3)=%a fma(x,x,-1)=%a copysign(1,x)=%a signbit=%d "
               "isfinite=%d fpclassify=%d\n",
               m, e, ldexp(x, -3), fma(x, x, -1), copysign(1, x), signbit(x) != 0, isfinite(x),
               fpclassify(x));
    }
    double acc = 0;
    for (int i = 1; i <= 2000; i++) acc += sin(i * 0.001) * exp(-i * 0.0005) / sqrt((double)i);
    printf("series %a\n", acc);
    printf("lgamma(0.5)=%a tgamma(4.5)=%a erf(0.3)=%a j0(2)=%a\n", lgamma(0.5), tgamma(4.5),
           erf(0.3), j0(2.0));
    return 0;
}
