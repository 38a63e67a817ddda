/* Stack use: a 2 MiB variable-length array and a recursion 50000 frames deep, both well
 * inside Linux's default 8 MiB stack, with results that depend on every frame. */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

static uint64_t __attribute__((noinline)) recurse(int n, uint64_t acc) {
    volatile uint64_t frame[4] = {acc, (uint64_t)n, acc ^ (uint64_t)n, 0};
    if (n == 0) return frame[0];
    uint64_t r = recurse(n - 1, acc * 3 + (uint64_t)n);
    return r ^ frame[2];
}

int main(int argc, char **argv) {
    (void)argv;
    size_t n = (size_t)(2 << 20) + (size_t)argc;
    char big[n];
    memset(big, 0x5a, n);
    uint64_t h = 0;
    for (size_t i = 0; i < n; i += 4096) h = h * 31 + (unsigned char)big[i] + i;
    printf("vla hash %016lx\n", h);
    printf("recursion %016lx\n", recurse(50000, 1));
    return 0;
}
