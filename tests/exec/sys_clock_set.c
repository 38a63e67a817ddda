/* Setting the clock: clock_settime and settimeofday check their arguments as Linux
 * does (only what fails is tried, so the machine's time never changes here). Checked
 * against Linux's output: qemu 7.2 aborts on an assertion of its own here. */
#define _GNU_SOURCE
#include "check.h"
#include <sys/syscall.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

static void report(const char *what, long r) {
    printf("%s: %ld %s\n", what, r, r == -1 ? errno_name(errno) : "OK");
}

int main(void) {
    struct timespec now;
    CHECK(clock_gettime(CLOCK_REALTIME, &now) == 0);
    errno = 0;
    report("clock_settime of CLOCK_MONOTONIC", syscall(SYS_clock_settime, CLOCK_MONOTONIC, &now));
    errno = 0;
    report("clock_settime from a bad address", syscall(SYS_clock_settime, CLOCK_REALTIME, (void *)8));
    struct timespec bad = {now.tv_sec, 2000000000};
    errno = 0;
    report("clock_settime, nanoseconds out of range", syscall(SYS_clock_settime, CLOCK_REALTIME, &bad));
    errno = 0;
    report("clock_settime of no clock", syscall(SYS_clock_settime, 12345, &now));
    errno = 0;
    report("settimeofday from a bad address", syscall(SYS_settimeofday, (void *)8, NULL));
    struct timeval tv = {now.tv_sec, 2000000};
    errno = 0;
    report("settimeofday, microseconds out of range", syscall(SYS_settimeofday, &tv, NULL));
    errno = 0;
    report("settimeofday, timezone from a bad address", syscall(SYS_settimeofday, NULL, (void *)8));
    errno = 0;
    report("settimeofday of nothing", syscall(SYS_settimeofday, NULL, NULL));
    return 0;
}
