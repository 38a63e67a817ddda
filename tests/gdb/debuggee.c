/* A program to debug under `vm run --gdb` (crates/vm-cli/tests/gdb_stub.rs): a call to
 * break in, a loop, a signal with a handler, an exit status. With an argument, it loops
 * forever instead (for Ctrl-C). */
#include <signal.h>
#include <stdio.h>

int counter;

static void on_usr1(int sig) { counter += 100 + sig - SIGUSR1; }

int square(int x) { return x * x; }

int main(int argc, char **argv) {
    if (argc > 1)
        for (volatile unsigned long spin = 0;; spin++)
            ;
    signal(SIGUSR1, on_usr1);
    int total = 0;
    for (int i = 0; i < 5; i++)
        total += square(i);
    raise(SIGUSR1);
    printf("total %d counter %d\n", total, counter); /* line 22 */
    return total % 7;
}
