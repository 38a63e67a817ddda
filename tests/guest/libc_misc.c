/* glibc on top of the ISA: printf/strtod round trips of awkward doubles (the decimal
 * conversion code is heavy integer and FP work), integer formatting edge cases,
 * setjmp/longjmp, string and memory functions on overlapping and unaligned buffers
 * (glibc's optimised versions), a malloc-built hash table, and qsort of structs. */
#include <inttypes.h>
#include <limits.h>
#include <setjmp.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static jmp_buf jb;
static int depth_reached;
static void dive(int n) {
    char pad[64];
    memset(pad, n, sizeof pad);
    depth_reached = n + pad[3] - n;
    if (n == 50) longjmp(jb, n);
    dive(n + 1);
}

struct node {
    char key[16];
    int value;
    struct node *next;
};

int main(void) {
    static const char *const nums[] = {
        "0.1", "1e23", "8.98846567431158e307", "2.2250738585072011e-308", "4.9e-324",
        "1.7976931348623157e308", "1.7976931348623159e308", "-0", "123456789012345678901234567890",
        "0x1.fffffffffffffp+1023", "nan", "-inf", "1e-400", "2.5", "3.5", "0.30000000000000004",
    };
    for (unsigned i = 0; i < sizeof nums / sizeof nums[0]; i++) {
        char *end;
        double d = strtod(nums[i], &end);
        float f = strtof(nums[i], NULL);
        char back[64];
        snprintf(back, sizeof back, "%.17g", d);
        printf("%-32s -> %a %.17g %e %.3f | float %a | round trip %d\n", nums[i], d, d, d, d,
               (double)f, strtod(back, NULL) == d || d != d);
    }
    printf("%f %f %.0f %.0f %.0f %g %g\n", 1e20, 1.0 / 3, 0.5, 1.5, 2.5, 1e-5, 123456789.0);
    printf("%d %i %u %ld %lu %lld %llx %o %#x %+d % d %05d %-5d| %hhd %hd\n", INT_MIN, INT_MAX,
           UINT_MAX, LONG_MIN, ULONG_MAX, LLONG_MIN, ULLONG_MAX, 0777, 255, 7, 7, 42, 42,
           (signed char)200, (short)70000);
    printf("%s|%10s|%-10s|%.3s|%c|%%|%p\n", "str", "right", "left", "truncate", 'c', (void *)0);
    printf("%" PRId64 " %" PRIx32 " %zu %td\n", INT64_MIN, UINT32_MAX, SIZE_MAX, (ptrdiff_t)-1);
    printf("strtol: %ld %ld %lu %ld\n", strtol("-0x7fffffffffffffff", NULL, 16),
           strtol("99999999999999999999", NULL, 10), strtoul("-1", NULL, 10),
           strtol("  -123abc", NULL, 10));

    int r = setjmp(jb);
    if (r == 0) dive(0);
    printf("longjmp returned %d after depth %d\n", r, depth_reached);

    /* Memory and string functions at every alignment and overlap. */
    static char buf[300], ref[300];
    uint64_t h = 0;
    for (int src = 0; src < 9; src++)
        for (int dst = 0; dst < 9; dst++)
            for (int len = 0; len < 70; len += 3) {
                for (int i = 0; i < 300; i++) buf[i] = ref[i] = (char)(i * 7 + 1);
                memmove(buf + 100 + dst, buf + 100 + src, (size_t)len);
                for (int i = 0; i < len; i++) ref[200 + i] = ref[100 + src + i];
                for (int i = 0; i < len; i++) ref[100 + dst + i] = ref[200 + i];
                for (int i = 0; i < 200; i++) h = h * 31 + (unsigned char)buf[i];
                if (memcmp(buf, ref, 200) != 0) printf("memmove mismatch %d %d %d\n", src, dst, len);
            }
    printf("memmove hash %016lx\n", h);
    char s[128];
    for (int off = 0; off < 8; off++) {
        memset(s, 0, sizeof s);
        strcpy(s + off, "the quick brown fox jumps over the lazy dog");
        printf("off %d: strlen=%zu strchr=%td strrchr=%td strstr=%td memchr=%td cmp=%d\n", off,
               strlen(s + off), strchr(s + off, 'q') - (s + off), strrchr(s + off, 'o') - (s + off),
               strstr(s + off, "lazy") - (s + off), (char *)memchr(s + off, 'z', 60) - (s + off),
               strncmp(s + off, "the quick", 9));
    }
    char tok[] = "a,b,,c;d";
    for (char *t = strtok(tok, ",;"); t; t = strtok(NULL, ",;")) printf("[%s]", t);
    printf("\n");

    /* A chained hash table built with malloc. */
    struct node *table[257] = {0};
    for (int i = 0; i < 5000; i++) {
        struct node *n = malloc(sizeof *n);
        snprintf(n->key, sizeof n->key, "k%d", (i * 7919) % 6007);
        unsigned hh = 5381;
        for (char *c = n->key; *c; c++) hh = hh * 33 + (unsigned char)*c;
        n->value = i;
        n->next = table[hh % 257];
        table[hh % 257] = n;
    }
    long total = 0;
    int longest = 0;
    for (int b = 0; b < 257; b++) {
        int len = 0;
        for (struct node *n = table[b]; n;) {
            struct node *next = n->next;
            total += n->value * (len + 1);
            len++;
            free(n);
            n = next;
        }
        if (len > longest) longest = len;
    }
    printf("hash table total %ld longest chain %d\n", total, longest);
    return 0;
}
