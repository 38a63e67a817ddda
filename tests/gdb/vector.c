/* A program using the vector unit, to debug under `vm run --gdb`
 * (crates/vm-cli/tests/gdb_stub.rs); built with -march=rv64gcv.
 *
 * At configured(), main has set v1 = 1..16 (bytes), v2 = 3 in every byte, v4 = 0xff in
 * every byte after a saturating add (so vxsat = 1), vxrm = 2 (round-down), then
 * vl = 3 with vtype e32,m2,ta,ma (0xd1). After it, main adds v1 and v2 as bytes into
 * out[] (4 5 6 ... 19 unless a debugger changed them).
 *
 * At worker_configured(), a second thread has set its own v1 = 7 in every 16-bit
 * element with vl = 8, vtype e16,m1,tu,mu (0x08), while main waits for it in
 * pthread_join with its own vector state. After it, the worker doubles its v1 into
 * doubled[] (14 each unless a debugger changed them). */
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>

uint8_t in[16] = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16};
uint8_t out[16];
uint16_t doubled[8];

__attribute__((noinline)) void configured(void) { asm volatile("" ::: "memory"); }

__attribute__((noinline)) void worker_configured(void) { asm volatile("" ::: "memory"); }

static void *worker(void *arg) {
    (void)arg;
    asm volatile("vsetivli zero, 8, e16, m1, tu, mu\n"
                 "vmv.v.i v1, 7\n" ::: "memory");
    worker_configured();
    asm volatile("vsetivli zero, 8, e16, m1, tu, mu\n"
                 "vadd.vv v1, v1, v1\n"
                 "vse16.v v1, (%0)\n" ::"r"(doubled)
                 : "memory");
    return NULL;
}

int main(void) {
    asm volatile("vsetivli zero, 16, e8, m1, ta, ma\n"
                 "vle8.v v1, (%0)\n"
                 "vmv.v.i v2, 3\n"
                 "vmv.v.i v4, -1\n"
                 "vsaddu.vv v4, v4, v2\n"
                 "csrwi vxrm, 2\n"
                 "vsetivli zero, 3, e32, m2, ta, ma\n" ::"r"(in)
                 : "memory");
    configured();
    asm volatile("vsetivli zero, 16, e8, m1, ta, ma\n"
                 "vadd.vv v3, v1, v2\n"
                 "vse8.v v3, (%0)\n" ::"r"(out)
                 : "memory");
    pthread_t t;
    pthread_create(&t, NULL, worker, NULL);
    pthread_join(t, NULL);
    printf("out");
    for (int i = 0; i < 16; i++)
        printf(" %d", out[i]);
    printf("\ndoubled");
    for (int i = 0; i < 8; i++)
        printf(" %d", doubled[i]);
    printf("\n");
    return 0;
}
