/* Sleeps that signals interrupt, as Linux ends or resumes them:
 * - a relative sleep of a process stopped and continued goes on to its original
 *   deadline (Linux's restart_syscall): stopped past it, it ends when continued;
 * - a handled signal ends a relative sleep with EINTR and the time left in `rem`, and
 *   an absolute clock_nanosleep with EINTR (no time left written);
 * - malformed requests fail with EINVAL.
 * Times are compared with wide margins (seconds against tenths), so a loaded machine
 * does not change the output. (restart_syscall called directly fails with EINTR on
 * Linux and under vm, ENOSYS under qemu 7.2: left to the unit tests.) */
#define _GNU_SOURCE
#include "check.h"
#include <signal.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static double now(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec + t.tv_nsec / 1e9;
}

static double seconds(struct timespec t) { return t.tv_sec + t.tv_nsec / 1e9; }

static void nothing(int sig) { (void)sig; }

/* Forks a child that runs `sleeper` after telling the parent it starts; returns its pid. */
static pid_t start(int (*sleeper)(void)) {
    int ready[2];
    CHECK(pipe(ready) == 0);
    pid_t pid = fork();
    CHECK(pid >= 0);
    if (pid == 0) {
        close(ready[0]);
        CHECK(write(ready[1], "x", 1) == 1);
        exit(sleeper());
    }
    close(ready[1]);
    char c;
    CHECK(read(ready[0], &c, 1) == 1);
    close(ready[0]);
    return pid;
}

static int finish(pid_t pid) {
    int status;
    CHECK(waitpid(pid, &status, 0) == pid);
    CHECK(WIFEXITED(status));
    return WEXITSTATUS(status);
}

/* Sleeps 1 s; the parent stops it for 2 s meanwhile. */
static int stopped_sleeper(void) {
    double start = now();
    struct timespec req = {1, 0}, rem = {0, 0};
    int r = nanosleep(&req, &rem);
    double took = now() - start;
    printf("stopped nanosleep: %d (%s), ended by its deadline: %s\n", r,
           errno_name(r ? errno : 0), took < 2.9 ? "yes" : "no");
    return 0;
}

/* The same with clock_nanosleep on the realtime clock, relative. */
static int stopped_clock_sleeper(void) {
    double start = now();
    struct timespec req = {1, 0};
    int r = clock_nanosleep(CLOCK_REALTIME, 0, &req, NULL);
    double took = now() - start;
    printf("stopped clock_nanosleep: %d, ended by its deadline: %s\n", r,
           took < 2.9 ? "yes" : "no");
    return 0;
}

/* Sleeps 3 s with a SIGUSR1 handler; the parent sends SIGUSR1 soon. */
static int handled_sleeper(void) {
    struct sigaction sa = {.sa_handler = nothing};
    CHECK(sigaction(SIGUSR1, &sa, NULL) == 0);
    struct timespec req = {3, 0}, rem = {0, 0};
    int r = nanosleep(&req, &rem);
    printf("handled nanosleep: %d (%s), time left between 1 and 3 s: %s\n", r,
           errno_name(r ? errno : 0), seconds(rem) > 1 && seconds(rem) < 3 ? "yes" : "no");
    struct timespec abs;
    clock_gettime(CLOCK_MONOTONIC, &abs);
    abs.tv_sec += 3;
    rem.tv_sec = 77;
    kill(getppid(), SIGUSR2);
    r = clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &abs, &rem);
    printf("handled absolute clock_nanosleep: %s, rem untouched: %s\n", errno_name(r),
           rem.tv_sec == 77 ? "yes" : "no");
    return 0;
}

static volatile sig_atomic_t child_asks;
static void ask(int sig) {
    (void)sig;
    child_asks = 1;
}

int main(void) {
    setvbuf(stdout, NULL, _IONBF, 0);
    pid_t pid = start(stopped_sleeper);
    usleep(200000);
    CHECK(kill(pid, SIGSTOP) == 0);
    usleep(2000000);
    CHECK(kill(pid, SIGCONT) == 0);
    CHECK(finish(pid) == 0);

    pid = start(stopped_clock_sleeper);
    usleep(200000);
    CHECK(kill(pid, SIGSTOP) == 0);
    usleep(2000000);
    CHECK(kill(pid, SIGCONT) == 0);
    CHECK(finish(pid) == 0);

    struct sigaction sa = {.sa_handler = ask};
    CHECK(sigaction(SIGUSR2, &sa, NULL) == 0);
    pid = start(handled_sleeper);
    usleep(200000);
    CHECK(kill(pid, SIGUSR1) == 0);
    while (!child_asks)
        usleep(1000);
    usleep(200000);
    CHECK(kill(pid, SIGUSR1) == 0);
    CHECK(finish(pid) == 0);

    struct timespec bad = {0, 1000000000}, negative = {-1, 0};
    int r = nanosleep(&bad, NULL);
    printf("nanosleep of tv_nsec 1e9: %d %s\n", r, errno_name(errno));
    r = nanosleep(&negative, NULL);
    printf("nanosleep of -1 s: %d %s\n", r, errno_name(errno));
    printf("clock_nanosleep of tv_nsec 1e9: %s\n",
           errno_name(clock_nanosleep(CLOCK_MONOTONIC, 0, &bad, NULL)));
    printf("clock_nanosleep on the thread's CPU clock: %s\n",
           errno_name(clock_nanosleep(CLOCK_THREAD_CPUTIME_ID, 0, &negative, NULL)));
    return 0;
}
