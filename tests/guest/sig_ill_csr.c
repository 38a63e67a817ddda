/* Reading a machine-mode CSR (mstatus) from user mode is an illegal instruction. */
#include <stdio.h>
int main(void) {
    puts("reading mstatus");
    fflush(stdout);
    unsigned long v;
    __asm__ volatile("csrr %0, mstatus" : "=r"(v));
    printf("not reached %lx\n", v);
    return 0;
}
