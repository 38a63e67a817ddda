/* A SIGBUS from touching a page of a file mapping past the end of its (truncated) file
 * goes to the thread that touched it, while another thread of the process runs guest
 * code. The handler records which thread it ran on and leaves with siglongjmp. */
#define _GNU_SOURCE
#include "check.h"
#include <fcntl.h>
#include <pthread.h>
#include <setjmp.h>
#include <signal.h>
#include <sys/mman.h>
#include <unistd.h>

static sigjmp_buf env;
static volatile pid_t handler_tid, toucher_tid;
static volatile int stop_spinning;

static void on_bus(int sig, siginfo_t *si, void *uc) {
    (void)sig, (void)si, (void)uc;
    handler_tid = gettid();
    if (handler_tid == toucher_tid)
        siglongjmp(env, 1);
}

static void *touch(void *arg) {
    volatile char *p = arg;
    toucher_tid = gettid();
    if (sigsetjmp(env, 1) == 0) {
        char c = *p;
        printf("read %d without a signal\n", c);
    }
    stop_spinning = 1;
    return NULL;
}

int main(void) {
    long page = sysconf(_SC_PAGESIZE);
    struct sigaction sa = {0};
    sa.sa_sigaction = on_bus;
    sa.sa_flags = SA_SIGINFO;
    CHECK(sigaction(SIGBUS, &sa, NULL) == 0);
    int fd = open("truncated.bin", O_RDWR | O_CREAT | O_TRUNC, 0644);
    CHECK(fd >= 0 && ftruncate(fd, 4 * page) == 0);
    char *map = mmap(NULL, 4 * page, PROT_READ, MAP_SHARED, fd, 0);
    CHECK(map != MAP_FAILED);
    CHECK(ftruncate(fd, page) == 0);

    for (int round = 0; round < 3; round++) {
        handler_tid = 0;
        stop_spinning = 0;
        pthread_t t;
        CHECK(pthread_create(&t, NULL, touch, map + (1 + round) * page) == 0);
        volatile unsigned long spins = 0;
        while (!stop_spinning)
            spins++;
        CHECK(pthread_join(t, NULL) == 0);
        printf("round %d: SIGBUS on the thread that touched the page: %d\n", round,
               handler_tid == toucher_tid);
    }
    return 0;
}
