/* abort() raises SIGABRT: the guest dies of signal 6. */
#include <stdio.h>
#include <stdlib.h>
int main(void) {
    puts("calling abort");
    fflush(stdout);
    abort();
}
