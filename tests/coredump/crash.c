/* Dies of a signal that dumps core, for crates/vm-cli/tests/core_dump.rs to read the
 * core with gdb.
 *   crash segv   a NULL store in store_through(), called from main, with known locals
 *   crash abort  abort() in a second thread while the main thread waits in pthread_join
 *   crash undumpable  prctl(PR_SET_DUMPABLE, 0), then the NULL store
 */
#include <pthread.h>
#include <sys/prctl.h>
#include <stdlib.h>
#include <string.h>

volatile int *volatile null_pointer;

__attribute__((noinline)) int store_through(int value) {
    int marker = 0x1234abcd;
    double ratio = 2.5;
    *null_pointer = value + marker + (int)ratio;
    return marker;
}

__attribute__((noinline)) void *abort_in_worker(void *arg) {
    long worker_local = 777 + (long)arg;
    (void)worker_local;
    abort();
    return NULL;
}

int main(int argc, char **argv) {
    if (argc > 1 && strcmp(argv[1], "abort") == 0) {
        pthread_t t;
        pthread_create(&t, NULL, abort_in_worker, (void *)1);
        pthread_join(t, NULL);
        return 0;
    }
    if (argc > 1 && strcmp(argv[1], "undumpable") == 0)
        prctl(PR_SET_DUMPABLE, 0, 0, 0, 0);
    int in_main = 4242;
    return store_through(in_main);
}
