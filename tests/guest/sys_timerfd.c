/* timerfd: create, arm (relative, absolute, periodic), read expirations, query, disarm,
 * and the error paths. struct itimerspec is two timespecs on both riscv64 and x86-64.
 * Only machine-independent facts are printed (expirations >= 1, remaining time within
 * what was set). */
#define _GNU_SOURCE
#include <fcntl.h>
#include <poll.h>
#include <stdint.h>
#include <sys/timerfd.h>
#include <time.h>
#include <unistd.h>
#include "check.h"

#define BAD ((void *)8)
#define MS 1000000L

static void show_spec(const char *label, const struct itimerspec *s) {
    printf("%s: interval %ld.%09ld, value %s\n", label, (long)s->it_interval.tv_sec,
           s->it_interval.tv_nsec,
           s->it_value.tv_sec == 0 && s->it_value.tv_nsec == 0 ? "disarmed" : "armed");
}

int main(void) {
    SHOW("timerfd_create bad clock", timerfd_create(12345, 0));
    SHOW("timerfd_create bad flags", timerfd_create(CLOCK_MONOTONIC, 1));
    int fd = timerfd_create(CLOCK_MONOTONIC, TFD_NONBLOCK | TFD_CLOEXEC);
    CHECK(fd >= 0);
    printf("cloexec %d nonblock %d\n", (fcntl(fd, F_GETFD) & FD_CLOEXEC) != 0,
           (fcntl(fd, F_GETFL) & O_NONBLOCK) != 0);
    struct itimerspec cur;
    SHOW("timerfd_gettime fresh", timerfd_gettime(fd, &cur));
    show_spec("fresh", &cur);
    uint64_t count = 0;
    SHOW("read disarmed", read(fd, &count, sizeof count));

    struct itimerspec arm = {{0, 10 * MS}, {0, 30 * MS}}, old;
    SHOW("timerfd_settime periodic", timerfd_settime(fd, 0, &arm, &old));
    show_spec("old", &old);
    CHECK(timerfd_gettime(fd, &cur) == 0);
    show_spec("armed", &cur);
    printf("remaining within 30ms: %d\n",
           cur.it_value.tv_sec == 0 && cur.it_value.tv_nsec > 0 && cur.it_value.tv_nsec <= 30 * MS);
    SHOW("read before expiry", read(fd, &count, sizeof count));
    char small[4];
    SHOW("read into 4 bytes", read(fd, small, sizeof small));
    struct pollfd p = {fd, POLLIN, 0};
    SHOW("poll until expiry", poll(&p, 1, 5000));
    SHOW("read after expiry", read(fd, &count, sizeof count));
    printf("expirations >= 1: %d\n", count >= 1);

    /* Blocking reads of a periodic timer. */
    int fl = fcntl(fd, F_GETFL);
    CHECK(fcntl(fd, F_SETFL, fl & ~O_NONBLOCK) == 0);
    for (int i = 0; i < 3; i++) {
        count = 0;
        CHECK(read(fd, &count, sizeof count) == 8);
        printf("blocking read %d: expirations >= 1: %d\n", i, count >= 1);
    }

    struct itimerspec off = {{0, 0}, {0, 0}};
    SHOW("disarm", timerfd_settime(fd, 0, &off, &old));
    show_spec("old when disarming", &old);
    CHECK(timerfd_gettime(fd, &cur) == 0);
    show_spec("after disarm", &cur);

    /* An absolute deadline already past expires at once. */
    struct timespec now;
    CHECK(clock_gettime(CLOCK_MONOTONIC, &now) == 0);
    struct itimerspec past = {{0, 0}, {now.tv_sec > 1 ? now.tv_sec - 1 : 0, 1}};
    SHOW("timerfd_settime absolute, past", timerfd_settime(fd, TFD_TIMER_ABSTIME, &past, NULL));
    count = 0;
    SHOW("read absolute", read(fd, &count, sizeof count));
    printf("expirations %llu\n", (unsigned long long)count);
    CHECK(timerfd_gettime(fd, &cur) == 0);
    show_spec("one-shot after expiry", &cur);

    int rfd = timerfd_create(CLOCK_REALTIME, 0);
    CHECK(rfd >= 0);
    struct timespec rnow;
    CHECK(clock_gettime(CLOCK_REALTIME, &rnow) == 0);
    struct itimerspec later = {{0, 0}, {rnow.tv_sec + 3600, 0}};
    SHOW("realtime absolute, cancel on set",
         timerfd_settime(rfd, TFD_TIMER_ABSTIME | TFD_TIMER_CANCEL_ON_SET, &later, NULL));
    CHECK(timerfd_gettime(rfd, &cur) == 0);
    printf("realtime remaining about an hour: %d\n",
           cur.it_value.tv_sec >= 3590 && cur.it_value.tv_sec <= 3600);
    SHOW("cancel on set without abstime", timerfd_settime(rfd, TFD_TIMER_CANCEL_ON_SET, &later, NULL));

    int pipefd[2];
    CHECK(pipe(pipefd) == 0);
    struct itimerspec badns = {{0, 0}, {0, 1000000000L}};
    SHOW("settime bad new pointer", timerfd_settime(fd, 0, BAD, NULL));
    SHOW("settime bad fd, bad new pointer", timerfd_settime(999, 0, BAD, NULL));
    SHOW("settime bad old pointer", timerfd_settime(fd, 0, &arm, BAD));
    CHECK(timerfd_gettime(fd, &cur) == 0);
    show_spec("set despite bad old pointer", &cur);
    SHOW("settime bad fd", timerfd_settime(999, 0, &arm, NULL));
    SHOW("settime on a pipe", timerfd_settime(pipefd[0], 0, &arm, NULL));
    SHOW("settime tv_nsec 1e9", timerfd_settime(fd, 0, &badns, NULL));
    SHOW("settime bad flags", timerfd_settime(fd, 4, &arm, NULL));
    SHOW("gettime bad pointer", timerfd_gettime(fd, BAD));
    SHOW("gettime bad fd", timerfd_gettime(999, &cur));
    SHOW("gettime on a pipe", timerfd_gettime(pipefd[0], &cur));
    close(rfd);
    close(fd);
    return 0;
}
