// link: dynamic
/* libm.so.6 loaded by the dynamic linker: transcendental functions resolved through the
 * PLT, printed in hex so a one-ulp difference shows. The inputs are volatile so every
 * call reaches the library. */
#include <math.h>
#include <stdio.h>

int main(void) {
    static volatile double xs[] = {0.0, -0.0, 0.5, 1.0, -7.25, 100.5, 1e300, INFINITY, NAN};
    for (unsigned i = 0; i < sizeof xs / sizeof xs[0]; i++) {
        double x = xs[i];
        printf("x=%a sin=%a exp=%a log=%a pow=%a cbrt=%a atan2=%a lgamma=%a\n", x, sin(x),
               exp(x), log(x), pow(x, 2.5), cbrt(x), atan2(x, -2), lgamma(x));
        float f = (float)x;
        printf("  sinf=%a expf=%a logf=%a\n", (double)sinf(f), (double)expf(f),
               (double)logf(f));
    }
    return 0;
}
