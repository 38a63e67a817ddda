/* _exit skips stdio flushing: the buffered line must not appear, the unbuffered one must. */
#include <stdio.h>
#include <unistd.h>
int main(void) {
    fputs("stderr is unbuffered\n", stderr);
    printf("this line stays in the buffer");
    _exit(3);
}
