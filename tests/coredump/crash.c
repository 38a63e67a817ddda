/* Dies of a signal that dumps core, for crates/vm-cli/tests/core_dump.rs to read the
 * core with gdb.
 *   crash segv   a NULL store in store_through(), called from main, with known locals
 *   crash abort  abort() in a second thread while the main thread waits in pthread_join
 *   crash undumpable  prctl(PR_SET_DUMPABLE, 0), then the NULL store
 *   crash vector  the NULL store after setting v1 = 1..16 (bytes), vxrm = 2, then
 *                 vl = 3 with vtype e32,m2,ta,ma (0xd1)
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

/* The vector instructions are enabled here alone: the rest stays rv64gc. */
__attribute__((noinline)) void configure_vector(void) {
    static const unsigned char bytes[16] = {1, 2, 3, 4, 5, 6, 7, 8,
                                            9, 10, 11, 12, 13, 14, 15, 16};
    asm volatile(".option push\n"
                 ".option arch, +v\n"
                 "vsetivli zero, 16, e8, m1, ta, ma\n"
                 "vle8.v v1, (%0)\n"
                 "csrwi vxrm, 2\n"
                 "vsetivli zero, 3, e32, m2, ta, ma\n"
                 ".option pop\n" ::"r"(bytes)
                 : "memory");
}

int main(int argc, char **argv) {
    if (argc > 1 && strcmp(argv[1], "abort") == 0) {
        pthread_t t;
        pthread_create(&t, NULL, abort_in_worker, (void *)1);
        pthread_join(t, NULL);
        return 0;
    }
    if (argc > 1 && strcmp(argv[1], "vector") == 0)
        configure_vector();
    if (argc > 1 && strcmp(argv[1], "undumpable") == 0)
        prctl(PR_SET_DUMPABLE, 0, 0, 0, 0);
    int in_main = 4242;
    return store_through(in_main);
}
