/* Exit status 1, with output on both streams. */
#include <stdio.h>
#include <stdlib.h>
int main(void) {
    puts("to stdout");
    fputs("to stderr\n", stderr);
    exit(1);
}
