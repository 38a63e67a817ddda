/* Scheduling calls where qemu 7.2 answers otherwise than Linux: sched_getattr with a
 * size past PAGE_SIZE is EINVAL (qemu clamps it and succeeds), and getcpu writes the
 * node even when the cpu pointer is bad (qemu writes neither). */
#define _GNU_SOURCE
#include <stdint.h>
#include <sys/syscall.h>
#include <unistd.h>
#include "check.h"

int main(void) {
    uint64_t attr[8192 / 8];
    SHOW("sched_getattr size 4097", syscall(SYS_sched_getattr, 0, attr, 4097, 0));
    SHOW("sched_getattr size 4096", syscall(SYS_sched_getattr, 0, attr, 4096, 0));
    printf("size field at least 48: %d\n", (unsigned)attr[0] >= 48);
    unsigned node = 12345;
    SHOW("getcpu bad cpu pointer", syscall(SYS_getcpu, (void *)8, &node, NULL));
    printf("node written: %d\n", node < 1024);
    return 0;
}
