/* What a vfork child writes to memory its parent sees, as with a real vfork: glibc's
 * posix_spawn child stores a failed exec's errno in its parent's memory (so spawning a
 * missing program fails with ENOENT rather than a child exiting 127), and a vfork child's
 * stores before _exit or execve reach the parent's globals, heap and stack, also when
 * the parent's signals arrive while it waits (Linux's vfork wait is not interrupted by
 * them). Checked against Linux's output: qemu 7.2 runs a vfork child as a fork and loses
 * its writes. */
#define _GNU_SOURCE
#include "check.h"
#include <signal.h>
#include <spawn.h>
#include <stdlib.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

extern char **environ;
static volatile int global_value;
static volatile sig_atomic_t ticks;

static void tick(int sig) {
    (void)sig;
    ticks++;
}

static double seconds(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec + t.tv_nsec / 1e9;
}

int main(int argc, char **argv) {
    if (argc > 1)
        return 0;
    pid_t pid;
    char *missing[] = {"/nonexistent/program", NULL};
    int r = posix_spawn(&pid, missing[0], NULL, NULL, missing, environ);
    printf("posix_spawn of a missing program: %s\n", errno_name(r));
    char *self[] = {argv[0], "child", NULL};
    r = posix_spawn(&pid, "/proc/self/exe", NULL, NULL, self, environ);
    int status;
    CHECK(r == 0 && waitpid(pid, &status, 0) == pid);
    printf("posix_spawn of a program: %s, exit %d\n", errno_name(r), WEXITSTATUS(status));
    r = posix_spawnp(&pid, "no-such-command-anywhere", NULL, NULL, missing, environ);
    printf("posix_spawnp of a missing command: %s\n", errno_name(r));

    volatile int on_stack = 1;
    volatile int *on_heap = malloc(4 * sizeof(int));
    CHECK(on_heap != NULL);
    on_heap[2] = 1;
    pid = vfork();
    CHECK(pid >= 0);
    if (pid == 0) {
        global_value = 42;
        on_stack = 7;
        on_heap[2] = 99;
        _exit(3);
    }
    CHECK(waitpid(pid, &status, 0) == pid);
    printf("after the vfork child's _exit(%d): global %d, stack %d, heap %d\n",
           WEXITSTATUS(status), global_value, on_stack, on_heap[2]);

    pid = vfork();
    CHECK(pid >= 0);
    if (pid == 0) {
        global_value = 43;
        execl("/proc/self/exe", argv[0], "child", (char *)NULL);
        _exit(127);
    }
    CHECK(waitpid(pid, &status, 0) == pid);
    printf("after the vfork child's exec: global %d, exit %d\n", global_value,
           WEXITSTATUS(status));

    /* A handled signal every millisecond while the child runs for 100 ms. */
    struct sigaction sa = {.sa_handler = tick};
    CHECK(sigaction(SIGALRM, &sa, NULL) == 0);
    struct itimerval every_ms = {{0, 1000}, {0, 1000}};
    CHECK(setitimer(ITIMER_REAL, &every_ms, NULL) == 0);
    pid = vfork();
    CHECK(pid >= 0);
    if (pid == 0) {
        double start = seconds();
        while (seconds() - start < 0.1)
            ;
        global_value = 44;
        _exit(0);
    }
    struct itimerval off = {{0, 0}, {0, 0}};
    CHECK(setitimer(ITIMER_REAL, &off, NULL) == 0);
    CHECK(waitpid(pid, &status, 0) == pid);
    printf("after a vfork child that ran while signals came: global %d, ticks %s\n",
           global_value, ticks > 0 ? "some" : "none");
    return 0;
}
