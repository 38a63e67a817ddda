/* RLIMIT_AS: once the soft limit is set, mmap, brk, mremap and shmat that would take
 * the mapped total past it fail with ENOMEM (brk by returning the old break), malloc of
 * a big size returns NULL while small ones go on working, replacing mapped pages
 * (MAP_FIXED) or unmapping makes no or more room, a fork child inherits the limit, and
 * raising it again lifts it. The headroom is probed rather than assumed, so the
 * program prints the same under Linux and vm whatever each maps at start-up. Checked
 * against Linux's output (a native build prints the same): qemu 7.2 keeps RLIMIT_AS
 * for the guest without enforcing it. */
#define _GNU_SOURCE
#include "check.h"
#include <stdint.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/shm.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#define MIB (1024L * 1024)

static long page;

static void *map(size_t len) {
    return mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
}

/* The largest anonymous mapping that fits now, in pages (each try unmapped again). */
static long headroom(void) {
    long lo = 0, hi = 4096L * MIB / page;
    while (lo < hi) {
        long mid = lo + (hi - lo + 1) / 2;
        void *p = map(mid * page);
        if (p != MAP_FAILED) {
            munmap(p, mid * page);
            lo = mid;
        } else {
            CHECK(errno == ENOMEM);
            hi = mid - 1;
        }
    }
    return lo;
}

static void set_as(rlim_t soft) {
    struct rlimit r;
    CHECK(getrlimit(RLIMIT_AS, &r) == 0);
    r.rlim_cur = soft;
    CHECK(setrlimit(RLIMIT_AS, &r) == 0);
}

static void show_map(const char *label, void *p) {
    printf("%s -> %s\n", label, p == MAP_FAILED ? errno_name(errno) : "ok");
}

int main(void) {
    page = sysconf(_SC_PAGESIZE);
    /* Touch malloc's arena first, so later small mallocs need no new mapping. */
    free(malloc(64));
    set_as(256 * MIB);
    struct rlimit r;
    CHECK(getrlimit(RLIMIT_AS, &r) == 0);
    printf("soft limit %ld MiB\n", (long)(r.rlim_cur / MIB));

    errno = 0;
    void *big = malloc(512 * MIB);
    printf("malloc 512 MiB -> %s %s\n", big ? "ok" : "NULL", errno_name(errno));
    void *small = malloc(100);
    void *medium = malloc(4 * MIB);
    printf("malloc 100 B -> %s, malloc 4 MiB -> %s\n", small ? "ok" : "NULL",
           medium ? "ok" : "NULL");
    free(medium);
    free(small);
    free(big);

    errno = 0;
    show_map("mmap 300 MiB", map(300 * MIB));
    void *p64 = map(64 * MIB);
    show_map("mmap 64 MiB", p64);
    CHECK(munmap(p64, 64 * MIB) == 0);

    /* brk: the break stays where it was. */
    void *before = sbrk(0);
    errno = 0;
    void *r_sbrk = sbrk(512 * MIB);
    printf("sbrk 512 MiB -> %s %s\n", r_sbrk == (void *)-1 ? "-1" : "ok", errno_name(errno));
    long raw = syscall(SYS_brk, (char *)before + 512 * MIB);
    printf("brk +512 MiB returns the old break %d\n", raw == (long)before);
    printf("sbrk one page -> %s\n", sbrk(page) == (void *)-1 ? "-1" : "ok");
    CHECK(sbrk(-page) != (void *)-1);

    /* mremap growth counts the growth. */
    char *m = map(MIB);
    CHECK(m != MAP_FAILED);
    errno = 0;
    show_map("mremap 1 -> 400 MiB (may move)", mremap(m, MIB, 400 * MIB, MREMAP_MAYMOVE));
    void *m2 = mremap(m, MIB, 2 * MIB, MREMAP_MAYMOVE);
    show_map("mremap 1 -> 2 MiB (may move)", m2);
    CHECK(munmap(m2, 2 * MIB) == 0);

    /* At the limit: nothing new fits, replacing mapped pages does, freeing makes room. */
    long room = headroom();
    printf("headroom > 100 MiB %d\n", room * page > 100 * MIB);
    char *all = map(room * page);
    CHECK(all != MAP_FAILED);
    errno = 0;
    show_map("one more page", map(page));
    show_map("MAP_FIXED over mapped pages",
             mmap(all + page, 4 * page, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED,
                  -1, 0));
    errno = 0;
    r_sbrk = sbrk(page);
    printf("sbrk one page at the limit -> %s %s\n", r_sbrk == (void *)-1 ? "-1" : "ok",
           errno_name(errno));
    errno = 0;
    show_map("mremap growing one page (may move)",
             mremap(all + (room - 1) * page, page, 2 * page, MREMAP_MAYMOVE));
    int shm = shmget(IPC_PRIVATE, 4 * page, IPC_CREAT | 0600);
    CHECK(shm >= 0);
    errno = 0;
    void *at = shmat(shm, NULL, 0);
    printf("shmat at the limit -> %s\n", at == (void *)-1 ? errno_name(errno) : "ok");
    fflush(stdout);
    pid_t child = fork();
    CHECK(child >= 0);
    if (child == 0) {
        errno = 0;
        show_map("child: one more page", map(page));
        fflush(stdout);
        _exit(0);
    }
    CHECK(waitpid(child, NULL, 0) == child);
    CHECK(munmap(all, 8 * page) == 0);
    show_map("after unmapping 8 pages, 8 pages", map(8 * page));
    errno = 0;
    show_map("and one more", map(page));
    CHECK(munmap(all + 8 * page, 8 * page) == 0);
    at = shmat(shm, NULL, 0);
    printf("shmat after unmapping 8 more -> %s\n", at == (void *)-1 ? errno_name(errno) : "ok");
    CHECK(shmctl(shm, IPC_RMID, NULL) == 0);

    /* Raised again, the limit is gone. */
    set_as(RLIM_INFINITY);
    void *huge = mmap(NULL, 2048 * MIB, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE,
                      -1, 0);
    show_map("unlimited: mmap 2 GiB", huge);
    return 0;
}
