/* sched_setaffinity (busybox's taskset found it missing) with sched_getaffinity: pinning
 * to the first allowed CPU shows in the mask read back and in a forked child, a short
 * (8-byte) mask works, and an empty mask, an unknown pid and a bad pointer fail as in
 * Linux. Output names CPUs relative to the first allowed one, so it does not depend on
 * how many the host has. */
#define _GNU_SOURCE
#include <sched.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>
#include "check.h"

static int first_cpu(const cpu_set_t *s) {
    for (int i = 0; i < CPU_SETSIZE; i++)
        if (CPU_ISSET(i, s))
            return i;
    return -1;
}

int main(void) {
    cpu_set_t all, one, got;
    CHECK(sched_getaffinity(0, sizeof all, &all) == 0);
    int first = first_cpu(&all);
    CHECK(first >= 0);
    int allowed = CPU_COUNT(&all);

    CPU_ZERO(&one);
    CPU_SET(first, &one);
    SHOW("pin to the first CPU", sched_setaffinity(0, sizeof one, &one));
    CHECK(sched_getaffinity(0, sizeof got, &got) == 0);
    printf("now allowed: %d, first is the same: %d\n", CPU_COUNT(&got), first_cpu(&got) == first);

    fflush(stdout);
    pid_t pid = fork();
    CHECK(pid >= 0);
    if (pid == 0) {
        cpu_set_t c;
        CHECK(sched_getaffinity(0, sizeof c, &c) == 0);
        printf("child inherits: %d\n", CPU_COUNT(&c) == 1 && first_cpu(&c) == first);
        fflush(stdout);
        _exit(0);
    }
    int status;
    CHECK(waitpid(pid, &status, 0) == pid);

    CPU_ZERO(&got);
    SHOW("empty mask", sched_setaffinity(0, sizeof got, &got));
    SHOW("unknown pid", sched_setaffinity(0x3fffffff, sizeof one, &one));
    SHOW("bad pointer", sched_setaffinity(0, sizeof one, (cpu_set_t *)8));
    if (first < 64) {
        unsigned long word = 1ul << first;
        SHOW("8-byte mask", syscall(__NR_sched_setaffinity, 0, 8, &word));
    }
    SHOW("restore", sched_setaffinity(0, sizeof all, &all));
    CHECK(sched_getaffinity(0, sizeof got, &got) == 0);
    printf("restored: %d\n", CPU_COUNT(&got) == allowed);
    return 0;
}
