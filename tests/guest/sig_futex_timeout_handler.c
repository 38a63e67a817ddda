/* A futex wait with a timeout that a handler interrupts ends with EINTR even when the
 * handler has SA_RESTART (Linux restarts it only when no handler ran: its restart
 * block); one without a timeout is restarted and goes on waiting (futex(2), signal(7)).
 * A native build prints the same. */
#define _GNU_SOURCE
#include "check.h"
#include <linux/futex.h>
#include <signal.h>
#include <stdint.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

static volatile int handled;
static int word;

static void on_alarm(int sig) {
    (void)sig;
    handled++;
}

static double now(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + t.tv_nsec / 1e9;
}

static void *waker(void *arg) {
    (void)arg;
    struct timespec t = {0, 200 * 1000 * 1000};
    nanosleep(&t, NULL);
    __atomic_store_n(&word, 1, __ATOMIC_SEQ_CST);
    syscall(SYS_futex, &word, FUTEX_WAKE_PRIVATE, 1, NULL, NULL, 0);
    return NULL;
}

#include <pthread.h>

int main(void) {
    struct sigaction sa = {0};
    sa.sa_handler = on_alarm;
    sa.sa_flags = SA_RESTART;
    CHECK(sigaction(SIGALRM, &sa, NULL) == 0);
    struct itimerval once = {{0, 0}, {0, 20000}};

    for (int op = 0; op < 2; op++) {
        CHECK(setitimer(ITIMER_REAL, &once, NULL) == 0);
        double start = now();
        struct timespec rel = {2, 0};
        long r;
        errno = 0;
        if (op == 0) {
            r = syscall(SYS_futex, &word, FUTEX_WAIT_PRIVATE, 0, &rel, NULL, 0);
        } else {
            struct timespec abs;
            clock_gettime(CLOCK_MONOTONIC, &abs);
            abs.tv_sec += 2;
            r = syscall(SYS_futex, &word, FUTEX_WAIT_BITSET_PRIVATE, 0, &abs, NULL,
                        FUTEX_BITSET_MATCH_ANY);
        }
        double took = now() - start;
        printf("%s with a timeout, SA_RESTART handler: %ld %s, early %d\n",
               op == 0 ? "FUTEX_WAIT" : "FUTEX_WAIT_BITSET", r, errno_name(errno),
               took < 1.0);
    }

    /* Without a timeout: restarted after the handler, then woken by another thread. */
    pthread_t t;
    CHECK(pthread_create(&t, NULL, waker, NULL) == 0);
    CHECK(setitimer(ITIMER_REAL, &once, NULL) == 0);
    errno = 0;
    long r;
    do
        r = syscall(SYS_futex, &word, FUTEX_WAIT_PRIVATE, 0, NULL, NULL, 0);
    while (r == 0 && __atomic_load_n(&word, __ATOMIC_SEQ_CST) == 0);
    int e = errno;
    CHECK(pthread_join(t, NULL) == 0);
    printf("FUTEX_WAIT without a timeout: %ld %s after the handler ran %d times\n", r,
           errno_name(r < 0 ? e : 0), handled);
    return 0;
}
