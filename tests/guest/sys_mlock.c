/* Memory barriers and page residency: membarrier, mlock/mlock2/munlock, and mincore on
 * anonymous and file mappings, with the error paths. Residency is only asked where it
 * is certain (pages touched, locked, or dropped with MADV_DONTNEED). mlock2 and
 * mlockall (qemu 7.2 lacks mlock2 and locks its own memory for mlockall), and the
 * mincore cases where qemu answers otherwise than Linux, are in
 * tests/exec/mlock_limits.c. */
#define _GNU_SOURCE
#include <fcntl.h>
#include <linux/membarrier.h>
#include <pthread.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>
#include "check.h"

#define BAD ((void *)8)
#define PAGE 4096

static long membarrier(int cmd, unsigned flags, int cpu) {
    return syscall(SYS_membarrier, cmd, flags, cpu);
}

static void show_vec(const char *label, long r, const unsigned char *vec, int n) {
    printf("%s -> %ld%s%s [", label, r, r < 0 ? " " : "", r < 0 ? errno_name(errno) : "");
    for (int i = 0; i < n; i++)
        printf("%d", vec[i] & 1);
    printf("]\n");
}

static void *spin(void *arg) {
    volatile int *stop = arg;
    while (!*stop)
        ;
    return NULL;
}

int main(void) {
    long q = membarrier(MEMBARRIER_CMD_QUERY, 0, 0);
    printf("membarrier query ok: %d, global %d, private expedited %d\n", q > 0,
           (q & MEMBARRIER_CMD_GLOBAL) != 0, (q & MEMBARRIER_CMD_PRIVATE_EXPEDITED) != 0);
    SHOW("private expedited unregistered", membarrier(MEMBARRIER_CMD_PRIVATE_EXPEDITED, 0, 0));
    SHOW("register private expedited",
         membarrier(MEMBARRIER_CMD_REGISTER_PRIVATE_EXPEDITED, 0, 0));
    volatile int stop = 0;
    pthread_t t;
    CHECK(pthread_create(&t, NULL, spin, (void *)&stop) == 0);
    SHOW("private expedited with a thread running",
         membarrier(MEMBARRIER_CMD_PRIVATE_EXPEDITED, 0, 0));
    stop = 1;
    CHECK(pthread_join(t, NULL) == 0);
    SHOW("global", membarrier(MEMBARRIER_CMD_GLOBAL, 0, 0));
    SHOW("query with flags", membarrier(MEMBARRIER_CMD_QUERY, 1, 0));
    SHOW("unknown command", membarrier(1 << 20, 0, 0));

    unsigned char vec[8];
    char *m = mmap(NULL, 4 * PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    CHECK(m != MAP_FAILED);
    for (int i = 0; i < 4; i++)
        m[i * PAGE] = 1;
    CHECK(madvise(m + PAGE, PAGE, MADV_DONTNEED) == 0);
    memset(vec, 0, sizeof vec);
    show_vec("mincore touched, page 1 dropped", mincore(m, 4 * PAGE, vec), vec, 4);
    memset(vec, 0, sizeof vec);
    show_vec("mincore partial last page", mincore(m + 2 * PAGE, PAGE + 1, vec), vec, 2);
    SHOW("mincore length 0", mincore(m, 0, vec));
    SHOW("mincore unaligned", mincore(m + 1, PAGE, vec));
    SHOW("mincore bad vector", mincore(m, PAGE, BAD));

    /* mlock populates, MLOCK_ONFAULT does not. */
    char *l = mmap(NULL, 4 * PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    CHECK(l != MAP_FAILED);
    SHOW("mlock unaligned start", mlock(l + 2 * PAGE + 100, PAGE));
    memset(vec, 0, sizeof vec);
    SHOW("mincore after mlock", mincore(l, 4 * PAGE, vec));
    printf("locked pages 2-3 resident: %d%d\n", vec[2] & 1, vec[3] & 1);
    SHOW("munlock", munlock(l, 4 * PAGE));
    SHOW("mlock length 0", mlock(l, 0));
    SHOW("mlock wrapping range", mlock((void *)-4096L, 2 * PAGE));
    CHECK(munmap(l + 3 * PAGE, PAGE) == 0);
    SHOW("mlock into a hole", mlock(l, 4 * PAGE));
    SHOW("munlock into a hole", munlock(l, 4 * PAGE));
    SHOW("mlock unmapped", mlock(l + 3 * PAGE, PAGE));
    SHOW("munlock unmapped", munlock(l + 3 * PAGE, PAGE));
    SHOW("munlock length 0, unmapped", munlock(l + 3 * PAGE, 0));

    int fd = open("file", O_RDWR | O_CREAT | O_TRUNC, 0644);
    CHECK(fd >= 0);
    char page[PAGE];
    memset(page, 'x', sizeof page);
    CHECK(write(fd, page, PAGE) == PAGE && write(fd, page, PAGE) == PAGE);
    char *f = mmap(NULL, 2 * PAGE, PROT_READ, MAP_SHARED, fd, 0);
    CHECK(f != MAP_FAILED);
    memset(vec, 0, sizeof vec);
    show_vec("mincore file just written (page cache)", mincore(f, 2 * PAGE, vec), vec, 2);
    SHOW("mlock read-only file mapping", mlock(f, 2 * PAGE));
    SHOW("munlock it", munlock(f, 2 * PAGE));
    close(fd);
    return 0;
}
