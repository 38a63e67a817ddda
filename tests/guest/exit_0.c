/* Exit status 0 via exit(0) after output. */
#include <stdio.h>
#include <stdlib.h>
int main(void) {
    puts("exiting with 0");
    exit(0);
}
