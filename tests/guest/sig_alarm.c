/* SIGALRM from a host timer (setitimer/alarm) interrupting blocking calls: read fails
 * with EINTR without SA_RESTART and is restarted with it; nanosleep reports the time
 * left; poll and select fail with EINTR even with SA_RESTART; pause returns. */
#define _GNU_SOURCE
#include "check.h"
#include <poll.h>
#include <signal.h>
#include <sys/select.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

static int fds[2];
static volatile int alarms;
static volatile int feed;

static void on_alarm(int sig) {
    (void)sig;
    alarms++;
    if (feed)
        CHECK(write(fds[1], "x", 1) == 1);
}

static void arm(int ms) {
    struct itimerval it = {{0, 0}, {0, ms * 1000}};
    CHECK(setitimer(ITIMER_REAL, &it, NULL) == 0);
}

static void handle(int flags) {
    struct sigaction sa = {0};
    sa.sa_handler = on_alarm;
    sa.sa_flags = flags;
    CHECK(sigaction(SIGALRM, &sa, NULL) == 0);
}

int main(void) {
    CHECK(pipe(fds) == 0);
    char c;

    handle(0);
    arm(50);
    errno = 0;
    ssize_t n = read(fds[0], &c, 1);
    printf("read without SA_RESTART: %zd %s alarms %d\n", n, errno_name(errno), alarms);

    handle(SA_RESTART);
    feed = 1;
    arm(50);
    errno = 0;
    n = read(fds[0], &c, 1);
    printf("read with SA_RESTART: %zd %c %s alarms %d\n", n, c, errno_name(errno), alarms);
    feed = 0;

    arm(50);
    struct timespec req = {5, 0}, rem = {0, 0};
    errno = 0;
    int r = nanosleep(&req, &rem);
    printf("nanosleep: %d %s rem in (3s, 5s) %d\n", r, errno_name(errno),
           rem.tv_sec >= 3 && rem.tv_sec < 5);

    arm(50);
    struct pollfd p = {.fd = fds[0], .events = POLLIN};
    errno = 0;
    r = poll(&p, 1, 5000);
    printf("poll with SA_RESTART: %d %s\n", r, errno_name(errno));

    arm(50);
    fd_set set;
    FD_ZERO(&set);
    FD_SET(fds[0], &set);
    struct timeval tv = {5, 0};
    errno = 0;
    r = select(fds[0] + 1, &set, NULL, NULL, &tv);
    printf("select with SA_RESTART: %d %s\n", r, errno_name(errno));

    arm(50);
    errno = 0;
    r = pause();
    printf("pause: %d %s alarms %d\n", r, errno_name(errno), alarms);

    /* alarm(2) is setitimer in glibc; getitimer reads it back. */
    alarm(100);
    struct itimerval cur;
    CHECK(getitimer(ITIMER_REAL, &cur) == 0);
    printf("alarm armed %d\n", cur.it_value.tv_sec > 90 && cur.it_value.tv_sec <= 100);
    printf("alarm cancelled left %u\n", alarm(0) > 90);

    /* An ignored SIGALRM does not interrupt: the read waits for real data. */
    signal(SIGALRM, SIG_IGN);
    arm(20);
    struct timespec wait = {0, 100 * 1000 * 1000};
    r = nanosleep(&wait, NULL);
    printf("ignored alarm: nanosleep %d\n", r);

    /* Default SIGALRM kills the process. */
    signal(SIGALRM, SIG_DFL);
    fflush(stdout);
    arm(20);
    pause();
    puts("not reached");
    return 0;
}
