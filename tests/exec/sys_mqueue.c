/* POSIX message queues (mq_open, mq_timedsend, mq_timedreceive, mq_notify with
 * SIGEV_SIGNAL and SIGEV_THREAD, mq_getattr/mq_setattr, mq_unlink) and their errors;
 * syslog (klogctl) and setns. Checked against Linux's output (a native build prints
 * the same): qemu 7.2 answers mq_notify with ENOSYS, and takes syslog's buffer
 * pointer for its length (a negative length is EFAULT there, EINVAL in Linux). */
#define _GNU_SOURCE
#include "check.h"
#include <fcntl.h>
#include <mqueue.h>
#include <sched.h>
#include <signal.h>
#include <sys/klog.h>
#include <time.h>
#include <unistd.h>

static volatile sig_atomic_t notified, notify_code, notify_value;

static volatile sig_atomic_t thread_notified;
static void on_thread_notify(union sigval v) {
    thread_notified = v.sival_int;
}

static void on_notify(int sig, siginfo_t *si, void *ctx) {
    (void)sig, (void)ctx;
    notify_code = si->si_code;
    notify_value = si->si_value.sival_int;
    notified = 1;
}

static void queues(void) {
    char name[64];
    snprintf(name, sizeof name, "/vm-test-mq-%d", (int)getpid());
    struct mq_attr attr = {.mq_maxmsg = 4, .mq_msgsize = 64};
    mqd_t q = mq_open(name, O_CREAT | O_EXCL | O_RDWR, 0600, &attr);
    CHECK(q != (mqd_t)-1);
    SHOW("mq_open O_EXCL again", mq_open(name, O_CREAT | O_EXCL | O_RDWR, 0600, &attr));
    struct mq_attr got;
    CHECK(mq_getattr(q, &got) == 0);
    printf("attr: maxmsg %ld msgsize %ld curmsgs %ld flags %ld\n", got.mq_maxmsg,
           got.mq_msgsize, got.mq_curmsgs, got.mq_flags);

    CHECK(mq_send(q, "low", 3, 1) == 0);
    CHECK(mq_send(q, "high", 4, 5) == 0);
    CHECK(mq_send(q, "mid", 3, 3) == 0);
    CHECK(mq_getattr(q, &got) == 0);
    printf("curmsgs %ld\n", got.mq_curmsgs);
    char buf[64];
    unsigned prio;
    for (int i = 0; i < 3; i++) {
        ssize_t n = mq_receive(q, buf, sizeof buf, &prio);
        CHECK(n >= 0);
        printf("received '%.*s' prio %u\n", (int)n, buf, prio);
    }
    char big[100] = {0};
    SHOW("mq_send longer than msgsize", mq_send(q, big, sizeof big, 0));
    SHOW("mq_receive buffer shorter than msgsize", mq_receive(q, buf, 10, NULL));
    SHOW("mq_send bad buffer", mq_send(q, (char *)8, 8, 0));
    struct timespec past = {1, 0};
    SHOW("mq_timedreceive, deadline passed", mq_timedreceive(q, buf, sizeof buf, NULL, &past));
    struct timespec bad = {1, 2000000000};
    SHOW("mq_timedreceive, bad timeout", mq_timedreceive(q, buf, sizeof buf, NULL, &bad));

    struct mq_attr nb = {.mq_flags = O_NONBLOCK}, old;
    CHECK(mq_setattr(q, &nb, &old) == 0);
    printf("old flags %ld\n", old.mq_flags);
    SHOW("mq_receive empty, nonblocking", mq_receive(q, buf, sizeof buf, NULL));

    /* A notification signal when a message arrives in the empty queue. */
    struct sigaction sa = {0};
    sa.sa_sigaction = on_notify;
    sa.sa_flags = SA_SIGINFO;
    CHECK(sigaction(SIGUSR1, &sa, NULL) == 0);
    struct sigevent ev = {0};
    ev.sigev_notify = SIGEV_SIGNAL;
    ev.sigev_signo = SIGUSR1;
    ev.sigev_value.sival_int = 77;
    SHOW("mq_notify", mq_notify(q, &ev));
    SHOW("mq_notify again (taken)", mq_notify(q, &ev));
    CHECK(mq_send(q, "ping", 4, 0) == 0);
    for (int i = 0; i < 1000 && !notified; i++)
        usleep(1000);
    printf("notified %d code_is_mesgq %d value %d\n", (int)notified,
           notify_code == SI_MESGQ, (int)notify_value);
    SHOW("mq_notify unregister (none left)", mq_notify(q, NULL));
    /* glibc runs SIGEV_THREAD's function in a thread of its own. */
    struct sigevent tev = {0};
    tev.sigev_notify = SIGEV_THREAD;
    tev.sigev_notify_function = on_thread_notify;
    tev.sigev_value.sival_int = 5;
    CHECK(mq_receive(q, buf, sizeof buf, NULL) == 4);
    SHOW("mq_notify SIGEV_THREAD", mq_notify(q, &tev));
    CHECK(mq_send(q, "pong", 4, 0) == 0);
    for (int i = 0; i < 1000 && !thread_notified; i++)
        usleep(1000);
    printf("thread notified with %d\n", (int)thread_notified);
    SHOW("mq_notify bad kind", mq_notify(q, &(struct sigevent){.sigev_notify = 99}));

    CHECK(mq_close(q) == 0);
    SHOW("mq_unlink", mq_unlink(name));
    SHOW("mq_unlink again", mq_unlink(name));
    SHOW("mq_open missing", mq_open(name, O_RDWR));
    SHOW("mq_getattr bad descriptor", mq_getattr(-1, &got));
}

static void system_log(void) {
    int size = klogctl(10 /* SYSLOG_ACTION_SIZE_BUFFER */, NULL, 0);
    printf("syslog size: positive or EPERM %d\n", size > 0 || errno == EPERM);
    SHOW("syslog read_all, zero length", klogctl(3, malloc(16), 0) > 0 ? 1 : 0);
    SHOW("syslog read_all, negative length", klogctl(3, malloc(16), -1));
}

static void namespaces(void) {
    SHOW("setns bad descriptor", setns(-1, 0));
    int fd = open("/proc/self/ns/uts", O_RDONLY);
    CHECK(fd >= 0);
    SHOW("setns wrong type", setns(fd, CLONE_NEWNET));
    errno = 0;
    int r = setns(fd, CLONE_NEWUTS);
    printf("setns own uts: 0 or EPERM %d\n", r == 0 || errno == EPERM);
    close(fd);
}

int main(void) {
    queues();
    system_log();
    namespaces();
    return 0;
}
