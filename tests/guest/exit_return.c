/* Returning from main: the return value is the status, stdio is flushed. */
#include <stdio.h>
int main(int argc, char **argv) {
    (void)argv;
    printf("argc=%d, returning 7\n", argc);
    return 7;
}
