/* A null pointer store kills the guest with SIGSEGV; the line before it is flushed. */
#include <stdio.h>
int main(void) {
    puts("about to dereference NULL");
    fflush(stdout);
    *(volatile int *)0 = 1;
    puts("not reached");
    return 0;
}
