/* A load from a wild high address far outside any mapping is a SIGSEGV, not a VM crash. */
#include <stdio.h>
#include <stdint.h>
int main(void) {
    puts("about to load from a wild address");
    fflush(stdout);
    volatile uint64_t *p = (volatile uint64_t *)0x3fffff000000ull;
    printf("%lu\n", (unsigned long)*p);
    return 0;
}
