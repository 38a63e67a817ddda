/* CPU-heavy integer work: sorting pseudo-random data with qsort, a hand-written merge
 * sort, an in-place quicksort on 32-bit keys and a radix sort, checking each result is
 * sorted and printing order-sensitive checksums. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define N 40000

static uint64_t rng = 0x243f6a8885a308d3ull;
static uint64_t next(void) {
    rng ^= rng << 13;
    rng ^= rng >> 7;
    rng ^= rng << 17;
    return rng;
}

static int cmp_u64(const void *a, const void *b) {
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return (x > y) - (x < y);
}

static int cmp_strp(const void *a, const void *b) {
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static void merge_sort(int64_t *a, int64_t *tmp, size_t n) {
    if (n < 2) return;
    size_t h = n / 2;
    merge_sort(a, tmp, h);
    merge_sort(a + h, tmp, n - h);
    size_t i = 0, j = h, k = 0;
    while (i < h && j < n) tmp[k++] = a[i] <= a[j] ? a[i++] : a[j++];
    while (i < h) tmp[k++] = a[i++];
    while (j < n) tmp[k++] = a[j++];
    memcpy(a, tmp, n * sizeof *a);
}

static void quick_sort(int32_t *a, long lo, long hi) {
    while (lo < hi) {
        int32_t p = a[lo + (hi - lo) / 2];
        long i = lo, j = hi;
        while (i <= j) {
            while (a[i] < p) i++;
            while (a[j] > p) j--;
            if (i <= j) {
                int32_t t = a[i];
                a[i++] = a[j];
                a[j--] = t;
            }
        }
        if (j - lo < hi - i) {
            quick_sort(a, lo, j);
            lo = i;
        } else {
            quick_sort(a, i, hi);
            hi = j;
        }
    }
}

static void radix_sort(uint32_t *a, uint32_t *tmp, size_t n) {
    for (int shift = 0; shift < 32; shift += 8) {
        size_t count[257] = {0};
        for (size_t i = 0; i < n; i++) count[((a[i] >> shift) & 255) + 1]++;
        for (int b = 0; b < 256; b++) count[b + 1] += count[b];
        for (size_t i = 0; i < n; i++) tmp[count[(a[i] >> shift) & 255]++] = a[i];
        memcpy(a, tmp, n * sizeof *a);
    }
}

static uint64_t checksum(const void *p, size_t n) {
    const unsigned char *b = p;
    uint64_t h = 0;
    for (size_t i = 0; i < n; i++) h = h * 0x100000001b3ull + b[i] + 1;
    return h;
}

int main(void) {
    static uint64_t u[N];
    static int64_t s[N], tmp[N];
    static int32_t q[N];
    static uint32_t r[N], rtmp[N];
    for (int i = 0; i < N; i++) {
        u[i] = next();
        s[i] = (int64_t)next() >> (i % 40);
        q[i] = (int32_t)next();
        r[i] = (uint32_t)(next() >> 17);
    }
    qsort(u, N, sizeof u[0], cmp_u64);
    merge_sort(s, tmp, N);
    quick_sort(q, 0, N - 1);
    radix_sort(r, rtmp, N);
    int ok = 1;
    for (int i = 1; i < N; i++)
        ok &= u[i - 1] <= u[i] && s[i - 1] <= s[i] && q[i - 1] <= q[i] && r[i - 1] <= r[i];
    printf("sorted: %d\n", ok);
    printf("qsort u64   min=%016lx max=%016lx sum=%016lx\n", u[0], u[N - 1], checksum(u, sizeof u));
    printf("merge i64   min=%ld max=%ld sum=%016lx\n", (long)s[0], (long)s[N - 1], checksum(s, sizeof s));
    printf("quick i32   min=%d max=%d sum=%016lx\n", q[0], q[N - 1], checksum(q, sizeof q));
    printf("radix u32   min=%u max=%u sum=%016lx\n", r[0], r[N - 1], checksum(r, sizeof r));
    /* Strings: sort words built from the generator, then binary-search them. */
    static char words[4000][12];
    static char *ptrs[4000];
    for (int i = 0; i < 4000; i++) {
        uint64_t v = next();
        int len = 3 + (int)(v % 8);
        for (int k = 0; k < len; k++) words[i][k] = (char)('a' + (v >> (8 + k * 5)) % 26);
        words[i][len] = 0;
        ptrs[i] = words[i];
    }
    qsort(ptrs, 4000, sizeof ptrs[0], cmp_strp);
    int found = 0;
    for (int i = 0; i < 4000; i += 7) {
        char *key = words[i];
        char **hit = bsearch(&key, ptrs, 4000, sizeof ptrs[0], cmp_strp);
        found += hit != NULL && strcmp(*hit, key) == 0;
    }
    printf("words first=%s last=%s found=%d\n", ptrs[0], ptrs[3999], found);
    return 0;
}
