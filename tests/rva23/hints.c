// cflags: -march=rv64gc_zihintpause_zicbop
/* Zihintpause, Zihintntl and Zicbop: hints that must run as no-ops (never SIGILL) and
 * leave every register as it was, in their 32-bit and compressed forms. */
#include "insn.h"

static long marker[64] __attribute__((aligned(64)));

int main(void)
{
    long a = 0x1234, b = -7;
    __asm__ volatile("pause" ::: "memory");
    /* ntl.p1, ntl.pall, ntl.s1, ntl.all: add x0, x0, x2..x5 */
    __asm__ volatile(".insn r 0x33, 0, 0, x0, x0, x2\n\t"
                     ".insn r 0x33, 0, 0, x0, x0, x3\n\t"
                     ".insn r 0x33, 0, 0, x0, x0, x4\n\t"
                     ".insn r 0x33, 0, 0, x0, x0, x5" ::: "memory");
    /* c.ntl.p1, c.ntl.pall, c.ntl.s1, c.ntl.all: c.add x0, x2..x5 */
    __asm__ volatile(".2byte 0x900a\n\t.2byte 0x900e\n\t.2byte 0x9012\n\t.2byte 0x9016" :::
                         "memory");
    /* A non-temporal hint before a load and a store. */
    __asm__ volatile(".insn r 0x33, 0, 0, x0, x0, x5\n\t"
                     "sd %1, 0(%0)\n\t"
                     ".insn r 0x33, 0, 0, x0, x0, x2\n\t"
                     "ld %1, 8(%0)"
                     : : "r"(marker), "r"(a) : "memory");
    __asm__ volatile("prefetch.i 0(%0)\n\t"
                     "prefetch.r 64(%0)\n\t"
                     "prefetch.w -64(%0)\n\t"
                     "prefetch.r 2016(%0)" : : "r"(marker) : "memory");
    /* Prefetches of unmapped addresses do not fault. */
    __asm__ volatile("prefetch.r 0(%0)\n\t"
                     "prefetch.w 0(%0)\n\t"
                     "prefetch.i 0(%0)" : : "r"(0x10UL) : "memory");
    printf("a=%ld b=%ld marker=%ld\n", a, b, marker[0]);
    return 0;
}
