/* The smallest useful guest: one line on stdout through glibc's stdio. */
#include <stdio.h>
int main(void) {
    printf("hello, world\n");
    return 0;
}
