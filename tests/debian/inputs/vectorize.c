/* Loops a compiler vectorises: built by the Debian root's gcc with -O3 and
 * -march=rva23u64, it runs on the V extension (unit-stride, strided, segment and
 * indexed accesses, widening and narrowing, masks and merges, reductions, FP in order
 * and not, conversions, Zvbb), with Zicond, Zba and Zbb in the scalar code around it.
 * Every result is printed, so any wrong element shows. */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#define N 1003 /* not a multiple of any vector length: every loop has a tail */

static int32_t a32[N], b32[N], c32[N];
static int16_t a16[N], b16[N];
static int8_t a8[N], b8[N];
static uint8_t u8[N], v8[N];
static int64_t a64[N];
static uint32_t u32[N];
static uint64_t u64[N];
static float af[N], bf[N];
static double ad[N], bd[N];
static int idx[N];
static struct point { int32_t x, y; } pts[N];

static uint64_t mix(uint64_t h, uint64_t v) { return (h ^ v) * 0x100000001b3ull; }

static uint64_t hash32(const int32_t *p, int n) {
    uint64_t h = 0xcbf29ce484222325ull;
    for (int i = 0; i < n; i++) h = mix(h, (uint32_t)p[i]);
    return h;
}

static uint64_t hashd(const double *p, int n) {
    uint64_t h = 0xcbf29ce484222325ull, bits;
    for (int i = 0; i < n; i++) {
        memcpy(&bits, &p[i], 8);
        h = mix(h, bits);
    }
    return h;
}

static void init(unsigned seed) {
    uint32_t s = seed;
    for (int i = 0; i < N; i++) {
        s = s * 1103515245u + 12345u;
        a32[i] = (int32_t)s >> 7;
        b32[i] = (int32_t)(s * 7u) >> 9;
        a16[i] = (int16_t)(s >> 11);
        b16[i] = (int16_t)(s >> 3);
        a8[i] = (int8_t)(s >> 17);
        b8[i] = (int8_t)(s >> 5);
        u8[i] = (uint8_t)(s >> 13);
        v8[i] = (uint8_t)(s >> 21);
        a64[i] = (int64_t)s * (int64_t)(s >> 3) - 12345678901ll;
        u32[i] = s ^ (s << 13);
        u64[i] = ((uint64_t)s << 32) | (s * 2654435761u);
        af[i] = (float)(int32_t)s / 65536.0f;
        bf[i] = (float)(i % 17) - 8.25f;
        ad[i] = (double)(int32_t)s / 1048576.0;
        bd[i] = 1.0 / (i + 1);
        idx[i] = (int)((s >> 8) % N);
        pts[i].x = (int32_t)s >> 12;
        pts[i].y = i * 3 - 1500;
    }
}

__attribute__((noinline)) static void integer_kernels(int n) {
    for (int i = 0; i < n; i++) c32[i] = a32[i] * 3 + b32[i];
    printf("saxpy32 %016llx\n", (unsigned long long)hash32(c32, n));
    for (int i = 0; i < n; i++) c32[i] = a32[i] > b32[i] ? a32[i] - b32[i] : b32[i] / 3;
    printf("select32 %016llx\n", (unsigned long long)hash32(c32, n));
    for (int i = 0; i < n; i++) c32[i] = (int32_t)a16[i] * b16[i] + (a8[i] >> 2);
    printf("widen16 %016llx\n", (unsigned long long)hash32(c32, n));
    int32_t dot = 0;
    for (int i = 0; i < n; i++) dot += a8[i] * b8[i];
    printf("dot8 %d\n", dot);
    for (int i = 0; i < n; i++) {
        unsigned s = u8[i] + v8[i];
        u8[i] = s > 255 ? 255 : (uint8_t)s;
    }
    uint32_t sat = 0;
    for (int i = 0; i < n; i++) sat = sat * 31 + u8[i];
    printf("saturate8 %u\n", sat);
    int64_t sum64 = 0, mx = INT64_MIN, mn = INT64_MAX;
    uint64_t x = 0;
    for (int i = 0; i < n; i++) {
        sum64 += a64[i];
        mx = a64[i] > mx ? a64[i] : mx;
        mn = a64[i] < mn ? a64[i] : mn;
        x ^= u64[i];
    }
    printf("reduce64 %lld %lld %lld %016llx\n", (long long)sum64, (long long)mx, (long long)mn,
           (unsigned long long)x);
    for (int i = 0; i < n; i++) c32[i] = a32[i] < 0 ? -a32[i] : a32[i];
    printf("abs32 %016llx\n", (unsigned long long)hash32(c32, n));
    for (int i = 0; i < n; i++) a16[i] = (int16_t)(a32[i] >> 8);
    int32_t narrow = 0;
    for (int i = 0; i < n; i++) narrow = narrow * 17 + a16[i];
    printf("narrow %d\n", narrow);
    for (int i = 0; i < n; i++) c32[i] = (int32_t)(u32[i] % 1000u) - (int32_t)(u32[i] / 77777u);
    printf("divrem %016llx\n", (unsigned long long)hash32(c32, n));
}

__attribute__((noinline)) static void memory_kernels(int n) {
    int64_t sx = 0, sy = 0;
    for (int i = 0; i < n; i++) {
        sx += pts[i].x;
        sy += (int64_t)pts[i].y * pts[i].x;
    }
    printf("segment %lld %lld\n", (long long)sx, (long long)sy);
    for (int i = 0; i < n; i++) pts[i].y = pts[i].x + i;
    for (int i = 0; i < n; i++) c32[i] = pts[i].y;
    printf("segment store %016llx\n", (unsigned long long)hash32(c32, n));
    for (int i = 0; i < n; i++) c32[i] = a32[idx[i]] + b32[i];
    printf("gather %016llx\n", (unsigned long long)hash32(c32, n));
    for (int i = 0; i < n; i++) b32[idx[i]] = a32[i] ^ i;
    printf("scatter %016llx\n", (unsigned long long)hash32(b32, n));
    for (int i = 0; i < n / 3; i++) c32[i] = a32[3 * i] - a32[3 * i + 2];
    printf("stride3 %016llx\n", (unsigned long long)hash32(c32, n / 3));
    char text[N + 1];
    for (int i = 0; i < N; i++) text[i] = (char)('a' + (u32[i] % 26));
    text[N] = 0;
    size_t len = strlen(text);
    int vowels = 0;
    for (size_t i = 0; i < len; i++)
        vowels += text[i] == 'a' || text[i] == 'e' || text[i] == 'i' || text[i] == 'o' ||
                  text[i] == 'u';
    for (size_t i = 0; i < len; i++) text[i] = (char)(text[i] - 32);
    printf("text %zu %d %.20s %s\n", len, vowels, text, strstr(text, "QQ") ? "QQ" : "-");
}

__attribute__((noinline)) static void float_kernels(int n) {
    for (int i = 0; i < n; i++) bd[i] = ad[i] * 2.5 + bd[i];
    printf("daxpy %016llx\n", (unsigned long long)hashd(bd, n));
    double dsum = 0;
    for (int i = 0; i < n; i++) dsum += ad[i] * bd[i];
    printf("ddot %.17g\n", dsum);
    float fsum = 0, fmax = -INFINITY;
    for (int i = 0; i < n; i++) {
        fsum += af[i] * bf[i];
        fmax = fmaxf(fmax, af[i]);
    }
    printf("fdot %.9g %.9g\n", fsum, fmax);
    for (int i = 0; i < n; i++) bd[i] = sqrt(fabs(ad[i])) + (double)a32[i];
    printf("sqrt %016llx\n", (unsigned long long)hashd(bd, n));
    for (int i = 0; i < n; i++) c32[i] = (int32_t)(af[i] * 100.0f);
    printf("f2i %016llx\n", (unsigned long long)hash32(c32, n));
    for (int i = 0; i < n; i++) ad[i] = (double)af[i] > bd[i] ? af[i] : -bd[i];
    printf("fselect %016llx\n", (unsigned long long)hashd(ad, n));
    for (int i = 0; i < n; i++) af[i] = (float)ad[i];
    float fs = 0;
    for (int i = 0; i < n; i++) fs = fs * 0.5f + af[i];
    printf("narrowf %.9g\n", fs);
}

__attribute__((noinline)) static void bit_kernels(int n) {
    uint32_t pop = 0;
    for (int i = 0; i < n; i++) pop += (uint32_t)__builtin_popcount(u32[i]);
    printf("popcount %u\n", pop);
    for (int i = 0; i < n; i++) u32[i] = (u32[i] << 7) | (u32[i] >> 25);
    for (int i = 0; i < n; i++) u64[i] = __builtin_bswap64(u64[i]) & ~u64[(i ^ 1) < n ? (i ^ 1) : i];
    uint64_t h = 0;
    for (int i = 0; i < n; i++) h = mix(h, u32[i] ^ u64[i]);
    printf("rotate-bswap %016llx\n", (unsigned long long)h);
    int lz = 0;
    for (int i = 0; i < n; i++) lz += u32[i] ? __builtin_clz(u32[i]) : 32;
    printf("clz %d\n", lz);
    long z = 0;
    for (int i = 0; i < n; i++) z += (a32[i] & 1) ? 0 : a32[i]; /* czero */
    printf("czero %ld\n", z);
}

int main(int argc, char **argv) {
    (void)argv;
    for (unsigned seed = 1; seed <= 2; seed++) {
        init(seed * 2654435761u + (unsigned)argc);
        printf("-- seed %u\n", seed);
        integer_kernels(N);
        memory_kernels(N);
        float_kernels(N);
        bit_kernels(N);
        integer_kernels(7); /* shorter than one vector */
        float_kernels(1);
    }
    return 0;
}
