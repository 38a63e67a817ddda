/* Process descriptors: pidfd_open, pidfd_send_signal (to this process, with and
 * without siginfo, and to a child, then waited for through the pidfd), pidfd_getfd
 * (from this process and from a child), polling a pidfd, and the error paths. */
#define _GNU_SOURCE
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>
#include "check.h"

#define BAD ((void *)8)
#ifndef P_PIDFD
#define P_PIDFD 3
#endif

static long pidfd_open(pid_t pid, unsigned flags) { return syscall(SYS_pidfd_open, pid, flags); }
static long send_signal(int fd, int sig, siginfo_t *info, unsigned flags) {
    return syscall(SYS_pidfd_send_signal, fd, sig, info, flags);
}
static long getfd(int pidfd, int fd, unsigned flags) { return syscall(SYS_pidfd_getfd, pidfd, fd, flags); }

static volatile sig_atomic_t got_sig, got_code, got_value, from_self;

static void handler(int sig, siginfo_t *si, void *ctx) {
    (void)ctx;
    got_sig = sig;
    got_code = si->si_code;
    got_value = si->si_value.sival_int;
    from_self = si->si_pid == getpid();
}

int main(void) {
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_sigaction = handler;
    sa.sa_flags = SA_SIGINFO;
    CHECK(sigaction(SIGUSR1, &sa, NULL) == 0 && sigaction(SIGUSR2, &sa, NULL) == 0);

    int self = pidfd_open(getpid(), 0);
    CHECK(self >= 0);
    printf("pidfd is close-on-exec: %d\n", (fcntl(self, F_GETFD) & FD_CLOEXEC) != 0);
    struct pollfd p = {self, POLLIN, 0};
    SHOW("poll own pidfd", poll(&p, 1, 0));

    SHOW("send SIGUSR1 to self", send_signal(self, SIGUSR1, NULL, 0));
    printf("handler: sig %d SI_USER %d from self %d\n", got_sig, got_code == SI_USER, from_self);
    siginfo_t info;
    memset(&info, 0, sizeof info);
    info.si_signo = SIGUSR2;
    info.si_code = SI_QUEUE;
    info.si_pid = getpid();
    info.si_uid = getuid();
    info.si_value.sival_int = 42;
    got_sig = 0;
    SHOW("send SIGUSR2 with siginfo to self", send_signal(self, SIGUSR2, &info, 0));
    printf("handler: sig %d SI_QUEUE %d value %d\n", got_sig, got_code == SI_QUEUE, got_value);
    SHOW("siginfo naming another signal", send_signal(self, SIGUSR1, &info, 0));
    SHOW("bad siginfo pointer", send_signal(self, SIGUSR1, BAD, 0));
    SHOW("signal 0", send_signal(self, 0, NULL, 0));
    SHOW("signal 100", send_signal(self, 100, NULL, 0));
    SHOW("unknown flags", send_signal(self, SIGUSR1, NULL, 1u << 20));
    SHOW("bad fd", send_signal(999, SIGUSR1, NULL, 0));
    SHOW("not a pidfd", send_signal(0, SIGUSR1, NULL, 0));

    int pipefd[2];
    CHECK(pipe(pipefd) == 0);
    long dup = getfd(self, pipefd[1], 0);
    printf("pidfd_getfd own pipe end: %s\n", dup >= 0 ? "fd" : errno_name(errno));
    CHECK(dup >= 0 && write(dup, "through the copy", 16) == 16);
    char buf[32];
    ssize_t n = read(pipefd[0], buf, sizeof buf);
    printf("pipe got \"%.*s\", copy close-on-exec %d\n", (int)n, buf, (fcntl(dup, F_GETFD) & FD_CLOEXEC) != 0);
    SHOW("pidfd_getfd bad target", getfd(self, 999, 0));
    SHOW("pidfd_getfd flags", getfd(self, pipefd[1], 1));
    SHOW("pidfd_getfd bad pidfd", getfd(999, pipefd[1], 0));

    SHOW("pidfd_open no such pid", pidfd_open(999999, 0));
    SHOW("pidfd_open pid 0", pidfd_open(0, 0));
    SHOW("pidfd_open pid -1", pidfd_open(-1, 0));
    SHOW("pidfd_open bad flags", pidfd_open(getpid(), 1));

    /* A child: take its descriptor, signal it, wait for it through the pidfd. */
    int ready[2];
    CHECK(pipe(ready) == 0);
    fflush(stdout);
    pid_t pid = fork();
    CHECK(pid >= 0);
    if (pid == 0) {
        int f = open("child-file", O_RDWR | O_CREAT | O_TRUNC, 0644);
        CHECK(f >= 0 && write(f, "child's file", 12) == 12);
        char num[16];
        int len = snprintf(num, sizeof num, "%d", f);
        CHECK(write(ready[1], num, len) == len);
        for (;;)
            pause();
    }
    char num[16] = {0};
    CHECK(read(ready[0], num, sizeof num - 1) > 0);
    int child = pidfd_open(pid, 0);
    CHECK(child >= 0);
    long theirs = getfd(child, atoi(num), 0);
    printf("pidfd_getfd from child: %s\n", theirs >= 0 ? "fd" : errno_name(errno));
    if (theirs >= 0) {
        n = pread(theirs, buf, sizeof buf, 0);
        printf("child's file reads \"%.*s\"\n", (int)n, buf);
    }
    p.fd = child;
    SHOW("poll live child", poll(&p, 1, 0));
    SHOW("send SIGTERM to child", send_signal(child, SIGTERM, NULL, 0));
    SHOW("poll until it exits", poll(&p, 1, 5000));
    siginfo_t si;
    memset(&si, 0, sizeof si);
    SHOW("waitid P_PIDFD", waitid(P_PIDFD, child, &si, WEXITED));
    printf("child killed %d by SIGTERM %d, pid matches %d\n", si.si_code == CLD_KILLED,
           si.si_status == SIGTERM, si.si_pid == pid);
    SHOW("send to reaped child", send_signal(child, SIGTERM, NULL, 0));
    return 0;
}
