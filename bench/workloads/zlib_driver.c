/* Compression workload for vm's benchmarks: builds argv[1] KiB of deterministic,
 * text-like data, compresses it with zlib at levels 1, 6 and 9, decompresses each
 * result, checks the round trip, and prints the compressed sizes and the CRC-32. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "zlib.h"

static const char *words[] = {"the", "guest", "register", "block", "cache", "jit",
                              "translate", "memory", "page", "signal", "syscall", "load",
                              "store", "branch", "vector", "float", "integer", "emulator"};

static void fill(unsigned char *buf, size_t len) {
    unsigned seed = 12345;
    size_t at = 0;
    while (at < len) {
        seed = seed * 1103515245u + 12345u;
        const char *w = words[(seed >> 16) % (sizeof words / sizeof *words)];
        for (const char *p = w; *p && at < len; p++) buf[at++] = (unsigned char)*p;
        if (at < len) buf[at++] = ((seed >> 8) & 15) == 0 ? '\n' : ' ';
        if (((seed >> 4) & 63) == 0 && at + 4 < len) {
            for (int i = 0; i < 4; i++) buf[at++] = (unsigned char)('0' + ((seed >> (i * 3)) & 7));
        }
    }
}

int main(int argc, char **argv) {
    size_t len = (size_t)(argc > 1 ? atol(argv[1]) : 1024) * 1024;
    unsigned char *data = malloc(len), *back = malloc(len);
    uLongf bound = compressBound(len);
    unsigned char *packed = malloc(bound);
    if (!data || !back || !packed) return 1;
    fill(data, len);
    int levels[] = {1, 6, 9};
    for (int i = 0; i < 3; i++) {
        uLongf plen = bound;
        if (compress2(packed, &plen, data, len, levels[i]) != Z_OK) return 2;
        uLongf blen = len;
        if (uncompress(back, &blen, packed, plen) != Z_OK || blen != len || memcmp(back, data, len)) {
            fprintf(stderr, "round trip failed at level %d\n", levels[i]);
            return 3;
        }
        printf("level %d: %zu -> %lu bytes\n", levels[i], len, (unsigned long)plen);
    }
    printf("crc32 %08lx adler32 %08lx\n", crc32(0, data, (uInt)len), adler32(1, data, (uInt)len));
    return 0;
}
