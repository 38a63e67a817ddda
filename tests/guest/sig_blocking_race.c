/* A signal that arrives just before a blocking host call starts must still interrupt
 * it: SIGALRM is armed a few microseconds ahead of a read from an empty pipe, sweeping
 * the delay so that some arrive while the system call is being entered. The handler
 * also writes a byte into the pipe, so an alarm that comes before the read starts ends
 * it too; only an alarm the emulator holds back while the read blocks leaves it blocked
 * (until a SIGUSR1 sent every second frees it), which the program counts. The reads
 * run in the main thread, then in a second thread while the main thread blocks SIGALRM
 * and waits to join it (so the alarm must be passed to the reading thread). */
#define _GNU_SOURCE
#include "check.h"
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

static int fds[2];
static pthread_t reader;

static void on_alarm(int sig) {
    (void)sig;
    CHECK(write(fds[1], "x", 1) == 1);
}

static void on_kick(int sig) { (void)sig; }

static double now(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec + t.tv_nsec / 1e9;
}

/* Sends the reading thread SIGUSR1 every second, ending a read that stayed blocked. */
static void *kick_reader(void *arg) {
    (void)arg;
    sigset_t all;
    sigfillset(&all);
    pthread_sigmask(SIG_BLOCK, &all, NULL);
    for (;;) {
        sleep(1);
        pthread_kill(reader, SIGUSR1);
    }
    return NULL;
}

/* The number of reads that stayed blocked. */
static void *read_after_alarms(void *arg) {
    int iterations = *(int *)arg;
    long stuck = 0;
    reader = pthread_self();
    sigset_t alarm;
    sigemptyset(&alarm);
    sigaddset(&alarm, SIGALRM);
    CHECK(pthread_sigmask(SIG_UNBLOCK, &alarm, NULL) == 0);
    for (int i = 0; i < iterations; i++) {
        struct itimerval it = {{0, 0}, {0, 1 + i % 16}};
        CHECK(setitimer(ITIMER_REAL, &it, NULL) == 0);
        double start = now();
        char c;
        ssize_t r = read(fds[0], &c, 1);
        CHECK(r == 1 || (r == -1 && errno == EINTR));
        if (now() - start > 0.5)
            stuck++;
        /* Take the handler's byte if the read was interrupted before it came. */
        struct pollfd p = {fds[0], POLLIN, 0};
        while (r != 1 && poll(&p, 1, 1000) == 1)
            r = read(fds[0], &c, 1);
    }
    return (void *)stuck;
}

int main(void) {
    CHECK(pipe(fds) == 0);
    struct sigaction sa = {0};
    sa.sa_handler = on_alarm;
    CHECK(sigaction(SIGALRM, &sa, NULL) == 0);
    sa.sa_handler = on_kick;
    CHECK(sigaction(SIGUSR1, &sa, NULL) == 0);
    reader = pthread_self();
    pthread_t kicker;
    CHECK(pthread_create(&kicker, NULL, kick_reader, NULL) == 0);

    int iterations = 20000;
    long stuck = (long)read_after_alarms(&iterations);
    printf("main thread: %d alarms, %ld reads stayed blocked\n", iterations, stuck);

    sigset_t alarm;
    sigemptyset(&alarm);
    sigaddset(&alarm, SIGALRM);
    CHECK(pthread_sigmask(SIG_BLOCK, &alarm, NULL) == 0);
    pthread_t second;
    void *result;
    CHECK(pthread_create(&second, NULL, read_after_alarms, &iterations) == 0);
    CHECK(pthread_join(second, &result) == 0);
    printf("second thread: %d alarms, %ld reads stayed blocked\n", iterations, (long)result);
    return stuck != 0 || result != NULL;
}
