/* exit(42) from deep inside a recursion, with buffered output that exit must flush
 * and an atexit handler that must run. */
#include <stdio.h>
#include <stdlib.h>
static void bye(void) { puts("atexit handler ran"); }
static int depth(int n) {
    if (n == 0) {
        printf("bottom reached\n");
        exit(42);
    }
    return depth(n - 1) + 1;
}
int main(void) {
    atexit(bye);
    return depth(1000);
}
