/* Page locking and residency where qemu 7.2 cannot be the reference: it lacks mlock2,
 * passes mlockall to the host (locking its own memory), refuses mincore on PROT_NONE
 * pages and on ranges with holes before looking at them, and reads mincore's vector as
 * a string. The memory-lock limit is checked in a child that drops its capabilities, so
 * the output is the same with and without root. */
#define _GNU_SOURCE
#include <linux/capability.h>
#include <stdint.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>
#include "check.h"

#define PAGE 4096

/* VmLck from /proc/self/status, in kB. */
static long locked_kb(void) {
    FILE *f = fopen("/proc/self/status", "r");
    CHECK(f != NULL);
    char line[256];
    long kb = -1;
    while (fgets(line, sizeof line, f))
        if (sscanf(line, "VmLck: %ld kB", &kb) == 1)
            break;
    fclose(f);
    return kb;
}

static void *map(int pages, int prot) {
    void *p = mmap(NULL, pages * PAGE, prot, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    CHECK(p != MAP_FAILED);
    return p;
}

static void set_memlock(rlim_t bytes) {
    struct rlimit r;
    CHECK(getrlimit(RLIMIT_MEMLOCK, &r) == 0);
    r.rlim_cur = bytes < r.rlim_max ? bytes : r.rlim_max;
    CHECK(setrlimit(RLIMIT_MEMLOCK, &r) == 0);
}

static void limited(void) {
    struct __user_cap_header_struct h = {_LINUX_CAPABILITY_VERSION_3, 0};
    struct __user_cap_data_struct d[2] = {{0}};
    CHECK(syscall(SYS_capset, &h, d) == 0);
    char *m = map(32, PROT_READ | PROT_WRITE);
    set_memlock(0);
    SHOW("limit 0: mlock", mlock(m, PAGE));
    SHOW("limit 0: mlock2 of nothing", syscall(SYS_mlock2, m, 0, 0));
    SHOW("limit 0: mlockall", mlockall(MCL_CURRENT));
    SHOW("limit 0: munlock", munlock(m, PAGE));
    set_memlock(64 * 1024);
    SHOW("limit 64k: mlock 4 pages", mlock(m, 4 * PAGE));
    printf("VmLck %ld kB\n", locked_kb());
    SHOW("limit 64k: mlock 32 pages", mlock(m, 32 * PAGE));
    SHOW("limit 64k: mlockall current", mlockall(MCL_CURRENT));
    SHOW("limit 64k: mlockall future", mlockall(MCL_FUTURE));
    char *n = map(2, PROT_READ | PROT_WRITE);
    printf("VmLck after a 2-page mmap %ld kB\n", locked_kb());
    CHECK(munmap(n, 2 * PAGE) == 0);
    SHOW("munlockall", munlockall());
    printf("VmLck %ld kB\n", locked_kb());
    char *o = map(2, PROT_READ | PROT_WRITE);
    printf("VmLck after munlockall and a 2-page mmap %ld kB\n", locked_kb());
    CHECK(munmap(o, 2 * PAGE) == 0);
    SHOW("mmap MAP_LOCKED 2 pages",
         mmap(NULL, 2 * PAGE, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS | MAP_LOCKED, -1, 0) !=
             MAP_FAILED);
    printf("VmLck %ld kB\n", locked_kb());
    exit(0);
}

int main(void) {
    unsigned char vec[8];
    char *l = map(4, PROT_READ | PROT_WRITE);
    SHOW("mlock2 ONFAULT", syscall(SYS_mlock2, l, 2 * PAGE, MLOCK_ONFAULT));
    SHOW("mlock2 no flags", syscall(SYS_mlock2, l + 2 * PAGE, 2 * PAGE, 0));
    memset(vec, 0, sizeof vec);
    SHOW("mincore", mincore(l, 4 * PAGE, vec));
    printf("resident: ONFAULT pages %d%d, locked pages %d%d\n", vec[0] & 1, vec[1] & 1,
           vec[2] & 1, vec[3] & 1);
    SHOW("mlock2 bad flags", syscall(SYS_mlock2, l, PAGE, 2));
    SHOW("mlock2 bad flags, unmapped", syscall(SYS_mlock2, NULL, PAGE, 2));
    SHOW("munlock", munlock(l, 4 * PAGE));

    char *none = map(2, PROT_NONE);
    memset(vec, 7, sizeof vec);
    SHOW("mincore PROT_NONE, never touched", mincore(none, 2 * PAGE, vec));
    printf("vector %d%d\n", vec[0], vec[1]);

    char *h = map(3, PROT_READ | PROT_WRITE);
    h[0] = h[2 * PAGE] = 1;
    CHECK(munmap(h + PAGE, PAGE) == 0);
    memset(vec, 7, sizeof vec);
    SHOW("mincore over a hole", mincore(h, 3 * PAGE, vec));
    printf("vector before the hole %d, at it %d\n", vec[0], vec[1]);
    SHOW("mincore starting in the hole", mincore(h + PAGE, 2 * PAGE, vec));
    SHOW("mincore past the address space", mincore((void *)(1UL << 62), PAGE, vec));

    /* A vector with no NUL before an unmapped page. */
    char *v = map(2, PROT_READ | PROT_WRITE);
    CHECK(munmap(v + PAGE, PAGE) == 0);
    memset(v, 0x55, PAGE);
    SHOW("mincore, vector at the end of a mapping", mincore(l, 4 * PAGE, (unsigned char *)v + PAGE - 4));

    fflush(stdout);
    pid_t pid = fork();
    CHECK(pid >= 0);
    if (pid == 0)
        limited();
    int status;
    CHECK(waitpid(pid, &status, 0) == pid);
    printf("child status %d\n", status);
    return 0;
}
