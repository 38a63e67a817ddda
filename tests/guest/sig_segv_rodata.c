/* A store into read-only data (a string literal in .rodata) is a SIGSEGV. */
#include <stdio.h>
static const char msg[] = "read-only";
int main(void) {
    puts("about to write to .rodata");
    fflush(stdout);
    *(volatile char *)msg = 'R';
    puts("not reached");
    return 0;
}
