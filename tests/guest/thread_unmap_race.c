/* One thread reads, writes and atomically updates a page in a tight loop while another
 * unmaps it and maps it again, over and over. On Linux each access either reaches the
 * page or raises SIGSEGV (SEGV_MAPERR, si_addr in the page) on the accessing thread,
 * whose handler leaves with siglongjmp; the process never dies of it. The first rounds
 * wait for a fault while the page is gone and for accesses once it is back (so that
 * faults are certain); the rest unmap and map as fast as they can, so that some munmap
 * lands between an emulator's permission check and its access (an argument sets how
 * many such rounds). Not mremap: vm's makes the source read-only while it copies, so
 * a racing write gets SEGV_ACCERR where Linux makes it wait. */
#define _GNU_SOURCE
#include "check.h"
#include <pthread.h>
#include <setjmp.h>
#include <signal.h>
#include <stdint.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#define ROUNDS 50
#define FAST_ROUNDS 20000

static long page_size;
static char *page;
static sigjmp_buf env;
static volatile int stop;
static volatile unsigned long faults, bad_faults, accesses;

static void on_segv(int sig, siginfo_t *si, void *uc) {
    (void)sig, (void)uc;
    uintptr_t a = (uintptr_t)si->si_addr, p = (uintptr_t)page;
    if (si->si_code != SEGV_MAPERR || a < p || a >= p + page_size)
        bad_faults++;
    faults++;
    siglongjmp(env, 1);
}

static void *toucher(void *arg) {
    (void)arg;
    volatile long *words = (volatile long *)page;
    long n = page_size / sizeof(long);
    sigsetjmp(env, 1);
    for (long i = 0; !stop; i = (i + 1) % n) {
        long v = words[i];
        words[(i + 7) % n] = v + 1;
        __atomic_fetch_add(&words[(i + 13) % n], 1, __ATOMIC_RELAXED);
        accesses++;
    }
    return NULL;
}

/* Waits until `*counter` passes `from`, for at most about a second. */
static int wait_past(volatile unsigned long *counter, unsigned long from) {
    struct timespec start, now;
    clock_gettime(CLOCK_MONOTONIC, &start);
    while (*counter <= from) {
        clock_gettime(CLOCK_MONOTONIC, &now);
        if (now.tv_sec - start.tv_sec > 1)
            return 0;
    }
    return 1;
}

int main(int argc, char **argv) {
    long fast_rounds = argc > 1 ? atol(argv[1]) : FAST_ROUNDS;
    page_size = sysconf(_SC_PAGESIZE);
    struct sigaction sa = {0};
    sa.sa_sigaction = on_segv;
    sa.sa_flags = SA_SIGINFO;
    CHECK(sigaction(SIGSEGV, &sa, NULL) == 0);
    page = mmap(NULL, page_size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    CHECK(page != MAP_FAILED);

    pthread_t t;
    CHECK(pthread_create(&t, NULL, toucher, NULL) == 0);
    int faulted = 1, resumed = 1;
    for (int round = 0; round < ROUNDS; round++) {
        unsigned long seen = accesses;
        resumed &= wait_past(&accesses, seen);
        seen = faults;
        CHECK(munmap(page, page_size) == 0);
        faulted &= wait_past(&faults, seen);
        void *again = mmap(page, page_size, PROT_READ | PROT_WRITE,
                           MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
        CHECK(again == page);
    }
    for (long round = 0; round < fast_rounds; round++) {
        CHECK(munmap(page, page_size) == 0);
        void *again = mmap(page, page_size, PROT_READ | PROT_WRITE,
                           MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
        CHECK(again == page);
    }
    stop = 1;
    CHECK(pthread_join(t, NULL) == 0);
    printf("rounds: %d\n", ROUNDS);
    printf("a fault while the page was gone, every round: %s\n", faulted ? "yes" : "no");
    printf("accesses again once it was back, every round: %s\n", resumed ? "yes" : "no");
    printf("every fault SEGV_MAPERR in the page: %s\n", bad_faults == 0 ? "yes" : "no");
    page[0] = 1;
    printf("page usable afterwards: %s\n", page[0] == 1 ? "yes" : "no");
    return 0;
}
