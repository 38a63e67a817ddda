/* Built by gcc under vm, then run under vm and qemu: libm, qsort, stdio formatting,
   strings, and a loop long enough to be more than start-up. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int cmp(const void *a, const void *b) {
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

int main(int argc, char **argv) {
    double v[64];
    for (int i = 0; i < 64; i++)
        v[i] = sin(i * 0.7) * exp(i / 20.0) + sqrt(i);
    qsort(v, 64, sizeof v[0], cmp);
    printf("%.17g %.17g %.6e %a\n", v[0], v[63], v[31], v[17]);
    printf("%.12f %.12f %.12f\n", lgamma(10.5), cbrt(-27.5), atan2(-1.0, -0.0));
    char buf[64];
    snprintf(buf, sizeof buf, "%-8s|%8.3f|%+d|%llx", argv[0] + strlen(argv[0]) - 4, M_PI, argc,
             0xfeedULL << 40);
    puts(buf);
    long long acc = 0;
    for (long long i = 1; i <= 3000000; i++)
        acc += (i * i) % 7 ^ (i >> 3);
    printf("%lld %s\n", acc, strtok(strdup("first second"), " "));
    return argc > 1 ? atoi(argv[1]) : 0;
}
