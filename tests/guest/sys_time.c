/* Time syscalls: clock_gettime on each common clock (monotonic never goes backwards,
 * realtime agrees with gettimeofday and time), clock_getres, nanosleep and
 * clock_nanosleep (relative and absolute) sleeping at least as long as asked, and errno
 * for bad clocks and bad timespecs. Prints facts, never times. */
#define _GNU_SOURCE
#include <stdint.h>
#include <sys/time.h>
#include <time.h>
#include "check.h"

static int64_t ns(const struct timespec *t) { return (int64_t)t->tv_sec * 1000000000 + t->tv_nsec; }

int main(void) {
    static const struct { clockid_t id; const char *name; } clocks[] = {
        {CLOCK_REALTIME, "REALTIME"}, {CLOCK_MONOTONIC, "MONOTONIC"},
        {CLOCK_MONOTONIC_RAW, "MONOTONIC_RAW"}, {CLOCK_BOOTTIME, "BOOTTIME"},
        {CLOCK_PROCESS_CPUTIME_ID, "PROCESS_CPUTIME"}, {CLOCK_THREAD_CPUTIME_ID, "THREAD_CPUTIME"},
        {CLOCK_REALTIME_COARSE, "REALTIME_COARSE"}, {CLOCK_MONOTONIC_COARSE, "MONOTONIC_COARSE"},
    };
    for (unsigned i = 0; i < sizeof clocks / sizeof clocks[0]; i++) {
        struct timespec a, b, res;
        int r1 = clock_gettime(clocks[i].id, &a);
        int r2 = clock_gettime(clocks[i].id, &b);
        int r3 = clock_getres(clocks[i].id, &res);
        printf("%-16s gettime=%d,%d nsec-in-range=%d not-backwards=%d getres=%d res>0=%d\n",
               clocks[i].name, r1, r2, a.tv_nsec >= 0 && a.tv_nsec < 1000000000,
               ns(&b) >= ns(&a), r3, ns(&res) > 0);
    }
    struct timespec mono0, mono1, rt;
    clock_gettime(CLOCK_MONOTONIC, &mono0);
    int backwards = 0;
    struct timespec prev = mono0;
    for (int i = 0; i < 1000; i++) {
        struct timespec now;
        clock_gettime(CLOCK_MONOTONIC, &now);
        backwards += ns(&now) < ns(&prev);
        prev = now;
    }
    printf("monotonic backwards steps in 1000 reads: %d\n", backwards);

    struct timeval tv;
    CHECK(clock_gettime(CLOCK_REALTIME, &rt) == 0);
    CHECK(gettimeofday(&tv, NULL) == 0);
    /* glibc's time() reads CLOCK_REALTIME_COARSE, up to a tick behind: just after a
     * second begins it may still give the previous one. */
    time_t t = time(NULL);
    int64_t diff_us = ((int64_t)tv.tv_sec * 1000000 + tv.tv_usec) - ns(&rt) / 1000;
    printf("gettimeofday within 1s of realtime: %d, usec in range: %d\n",
           diff_us >= 0 && diff_us < 1000000, tv.tv_usec >= 0 && tv.tv_usec < 1000000);
    printf("time() within 1s of realtime: %d, after 2020: %d\n", t - rt.tv_sec <= 1 && rt.tv_sec - t <= 1,
           t > 1577836800);
    struct timezone tz;
    SHOW("gettimeofday with timezone", gettimeofday(&tv, &tz));

    struct timespec req = {0, 20 * 1000 * 1000}, rem = {9, 9};
    clock_gettime(CLOCK_MONOTONIC, &mono0);
    SHOW("nanosleep 20ms", nanosleep(&req, &rem));
    clock_gettime(CLOCK_MONOTONIC, &mono1);
    printf("slept at least 20ms: %d\n", ns(&mono1) - ns(&mono0) >= 20000000);
    clock_gettime(CLOCK_MONOTONIC, &mono0);
    SHOW("clock_nanosleep relative 10ms", -clock_nanosleep(CLOCK_MONOTONIC, 0,
                                                           &(struct timespec){0, 10000000}, NULL));
    clock_gettime(CLOCK_MONOTONIC, &mono1);
    printf("slept at least 10ms: %d\n", ns(&mono1) - ns(&mono0) >= 10000000);
    struct timespec until;
    clock_gettime(CLOCK_MONOTONIC, &until);
    until.tv_nsec += 15000000;
    if (until.tv_nsec >= 1000000000) {
        until.tv_sec++;
        until.tv_nsec -= 1000000000;
    }
    SHOW("clock_nanosleep absolute +15ms", -clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &until, NULL));
    clock_gettime(CLOCK_MONOTONIC, &mono1);
    printf("woke at or after the deadline: %d\n", ns(&mono1) >= ns(&until));
    SHOW("clock_nanosleep in the past", -clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME,
                                                         &(struct timespec){0, 0}, NULL));

    SHOW("nanosleep bad nsec", nanosleep(&(struct timespec){0, 1000000000}, NULL));
    SHOW("nanosleep negative", nanosleep(&(struct timespec){-1, 0}, NULL));
    SHOW("clock_gettime bad clock", clock_gettime((clockid_t)12345, &rt));
    SHOW("clock_getres bad clock", clock_getres((clockid_t)12345, &rt));
    printf("clock_nanosleep bad clock returns EINVAL: %d\n",
           clock_nanosleep((clockid_t)12345, 0, &(struct timespec){0, 1}, NULL) == EINVAL);
    /* CPU time advances when the program computes. */
    struct timespec c0, c1;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &c0);
    volatile uint64_t x = 0;
    for (int i = 0; i < 3000000; i++) x += (uint64_t)i * i;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &c1);
    printf("process CPU time advanced: %d\n", ns(&c1) > ns(&c0));
    return 0;
}
