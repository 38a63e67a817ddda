/* signalfd: reading pending signals as struct signalfd_siginfo (thread-directed
 * first, several per read), EAGAIN when nonblocking, blocking reads that a signal
 * ends or a handler interrupts, poll/select/epoll readiness (also a wakeup from a
 * signal sent by another process while waiting), mask updates through an existing
 * descriptor, sigqueue values, SIGCHLD with the child's pid and status, two
 * signalfds on one signal, dup and fork (a child sees its own signals only), and
 * Linux's errors. Checked against Linux's output (a native build prints the same):
 * qemu 7.2 accepts a sigset size other than 8 in signalfd4. */
#define _GNU_SOURCE
#include "check.h"
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdint.h>
#include <sys/epoll.h>
#include <sys/select.h>
#include <sys/signalfd.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static int readable(int fd) {
    struct pollfd p = {fd, POLLIN, 0};
    int n = poll(&p, 1, 0);
    CHECK(n >= 0);
    return n == 1 && (p.revents & POLLIN);
}

/* Reads one signal and prints what a program would look at. */
static void show_one(const char *label, int fd) {
    struct signalfd_siginfo si;
    errno = 0;
    ssize_t n = read(fd, &si, sizeof si);
    if (n < 0) {
        printf("%s: -1 %s\n", label, errno_name(errno));
        return;
    }
    CHECK(n == sizeof si);
    printf("%s: signo %u code %d pid_ok %d uid_ok %d int %d\n", label, si.ssi_signo,
           si.ssi_code, si.ssi_pid == (uint32_t)getpid(), si.ssi_uid == getuid(),
           si.ssi_int);
}

static void block(int sig) {
    sigset_t s;
    sigemptyset(&s);
    sigaddset(&s, sig);
    CHECK(sigprocmask(SIG_BLOCK, &s, NULL) == 0);
}

static sigset_t set_of(int a, int b) {
    sigset_t s;
    sigemptyset(&s);
    if (a)
        sigaddset(&s, a);
    if (b)
        sigaddset(&s, b);
    return s;
}

static volatile sig_atomic_t alarms;
static void on_alarm(int sig) {
    (void)sig;
    alarms++;
}

static void basics(void) {
    sigset_t s = set_of(SIGUSR1, 0);
    int fd = signalfd(-1, &s, SFD_NONBLOCK | SFD_CLOEXEC);
    CHECK(fd >= 0);
    printf("cloexec %d nonblock %d\n", (fcntl(fd, F_GETFD) & FD_CLOEXEC) != 0,
           (fcntl(fd, F_GETFL) & O_NONBLOCK) != 0);
    show_one("empty", fd);
    char small[64];
    SHOW("read 64 bytes", read(fd, small, sizeof small));
    SHOW("write", write(fd, small, 8));
    printf("readable before raise %d\n", readable(fd));
    CHECK(raise(SIGUSR1) == 0);
    printf("readable after raise %d\n", readable(fd));
    show_one("raise", fd);
    printf("readable after read %d\n", readable(fd));
    CHECK(kill(getpid(), SIGUSR1) == 0);
    show_one("kill", fd);

    /* A signal outside the mask stays pending until the mask takes it in. */
    union sigval v = {.sival_int = 42};
    CHECK(sigqueue(getpid(), SIGUSR2, v) == 0);
    printf("readable with usr2 outside mask %d\n", readable(fd));
    s = set_of(SIGUSR1, SIGUSR2);
    SHOW("update mask (same fd)", signalfd(fd, &s, 0) == fd);
    printf("readable with usr2 in mask %d\n", readable(fd));
    show_one("sigqueue", fd);

    /* Thread-directed signals come first, then the lowest process-directed one. */
    CHECK(kill(getpid(), SIGUSR1) == 0);
    CHECK(syscall(SYS_tgkill, getpid(), gettid(), SIGUSR2) == 0);
    struct signalfd_siginfo two[3];
    ssize_t n = read(fd, two, sizeof two);
    printf("read 3 slots -> %zd bytes: %u %u\n", n, two[0].ssi_signo, two[1].ssi_signo);

    /* Real-time signals queue every instance, in order, with their values. */
    int rt = SIGRTMIN + 2;
    block(rt);
    s = set_of(rt, 0);
    CHECK(signalfd(fd, &s, 0) == fd);
    for (int i = 1; i <= 3; i++) {
        v.sival_int = i * 10;
        CHECK(sigqueue(getpid(), rt, v) == 0);
    }
    struct signalfd_siginfo rts[4];
    n = read(fd, rts, sizeof rts);
    printf("rt read -> %zd bytes: %d %d %d\n", n, rts[0].ssi_int, rts[1].ssi_int,
           rts[2].ssi_int);
    CHECK(close(fd) == 0);

    /* Errors. */
    s = set_of(SIGUSR1, 0);
    SHOW("signalfd on a pipe", signalfd(0, &s, 0));
    SHOW("signalfd bad flags", signalfd(-1, &s, 0x1));
    SHOW("signalfd4 sizemask 4", syscall(SYS_signalfd4, -1, &s, 4, 0));
    SHOW("signalfd4 bad mask pointer", syscall(SYS_signalfd4, -1, (void *)8, 8, 0));
    SHOW("signalfd on closed fd", signalfd(999, &s, 0));
}

static void two_fds_and_dup(void) {
    sigset_t s = set_of(SIGUSR1, 0);
    int a = signalfd(-1, &s, SFD_NONBLOCK);
    int b = signalfd(-1, &s, SFD_NONBLOCK);
    CHECK(a >= 0 && b >= 0);
    CHECK(raise(SIGUSR1) == 0);
    printf("two fds: a %d b %d\n", readable(a), readable(b));
    show_one("two fds: read a", a);
    printf("two fds after reading a: a %d b %d\n", readable(a), readable(b));
    int d = dup(a);
    CHECK(d >= 0);
    CHECK(close(a) == 0);
    CHECK(raise(SIGUSR1) == 0);
    printf("dup readable %d\n", readable(d));
    show_one("dup", d);
    int e = fcntl(d, F_DUPFD_CLOEXEC, 100);
    CHECK(e >= 100);
    CHECK(raise(SIGUSR1) == 0);
    show_one("F_DUPFD_CLOEXEC", e);
    CHECK(dup2(b, d) == d);
    CHECK(raise(SIGUSR1) == 0);
    show_one("dup2 over a signalfd", d);
    close(b);
    close(d);
    close(e);
    /* A number that was a signalfd and is now a pipe reads as a pipe. */
    int p[2];
    CHECK(pipe(p) == 0);
    CHECK(write(p[1], "x", 1) == 1);
    char c = 0;
    SHOW("pipe at an old signalfd number", read(p[0], &c, 1));
    close(p[0]);
    close(p[1]);
}

static void select_and_epoll(void) {
    sigset_t s = set_of(SIGUSR1, 0);
    int fd = signalfd(-1, &s, SFD_NONBLOCK);
    CHECK(fd >= 0);
    fd_set r;
    struct timeval tv = {0, 0};
    FD_ZERO(&r);
    FD_SET(fd, &r);
    printf("select empty -> %d\n", select(fd + 1, &r, NULL, NULL, &tv));
    CHECK(kill(getpid(), SIGUSR1) == 0);
    FD_ZERO(&r);
    FD_SET(fd, &r);
    printf("select pending -> %d set %d\n", select(fd + 1, &r, NULL, NULL, &tv),
           FD_ISSET(fd, &r));
    show_one("after select", fd);

    int ep = epoll_create1(0);
    CHECK(ep >= 0);
    struct epoll_event ev = {.events = EPOLLIN, .data.u32 = 7};
    CHECK(epoll_ctl(ep, EPOLL_CTL_ADD, fd, &ev) == 0);
    struct epoll_event out;
    printf("epoll empty -> %d\n", epoll_wait(ep, &out, 1, 0));
    CHECK(raise(SIGUSR1) == 0);
    int n = epoll_wait(ep, &out, 1, 0);
    printf("epoll after raise -> %d data %u in %d\n", n, out.data.u32,
           (out.events & EPOLLIN) != 0);
    show_one("after epoll", fd);

    /* Another process signals while we wait. */
    pid_t parent = getpid();
    pid_t child = fork();
    CHECK(child >= 0);
    if (child == 0) {
        usleep(100 * 1000);
        kill(parent, SIGUSR1);
        _exit(0);
    }
    n = epoll_wait(ep, &out, 1, 5000);
    printf("epoll wakeup from another process -> %d in %d\n", n,
           (out.events & EPOLLIN) != 0);
    struct signalfd_siginfo si;
    CHECK(read(fd, &si, sizeof si) == sizeof si);
    printf("from child: signo %u code %d pid_ok %d\n", si.ssi_signo, si.ssi_code,
           si.ssi_pid == (uint32_t)child);
    CHECK(waitpid(child, NULL, 0) == child);
    close(ep);
    close(fd);
}

static void blocking_reads(void) {
    /* Earlier children's SIGCHLD is not this test's. */
    sigset_t chld = set_of(SIGCHLD, 0);
    struct timespec zero = {0, 0};
    while (sigtimedwait(&chld, NULL, &zero) == SIGCHLD) {
    }
    /* A blocking read waits for the child's exit: SIGCHLD with its pid and status. */
    sigset_t s = set_of(SIGCHLD, 0);
    int fd = signalfd(-1, &s, 0);
    CHECK(fd >= 0);
    pid_t child = fork();
    CHECK(child >= 0);
    if (child == 0) {
        usleep(50 * 1000);
        _exit(7);
    }
    struct signalfd_siginfo si;
    ssize_t n = read(fd, &si, sizeof si);
    printf("sigchld read -> %zd signo %u code %d pid_ok %d status %d\n", n,
           si.ssi_signo, si.ssi_code, si.ssi_pid == (uint32_t)child, si.ssi_status);
    CHECK(waitpid(child, NULL, 0) == child);

    /* A handled signal interrupts a blocking read: EINTR without SA_RESTART. */
    struct sigaction sa = {0};
    sa.sa_handler = on_alarm;
    CHECK(sigaction(SIGALRM, &sa, NULL) == 0);
    struct itimerval it = {{0, 0}, {0, 50 * 1000}};
    CHECK(setitimer(ITIMER_REAL, &it, NULL) == 0);
    errno = 0;
    n = read(fd, &si, sizeof si);
    printf("read interrupted by a handler -> %zd %s alarms %d\n", n, errno_name(errno),
           (int)alarms);

    /* With SA_RESTART the read goes on, and ends with the signal it waits for. */
    sa.sa_flags = SA_RESTART;
    CHECK(sigaction(SIGALRM, &sa, NULL) == 0);
    CHECK(setitimer(ITIMER_REAL, &it, NULL) == 0);
    child = fork();
    CHECK(child >= 0);
    if (child == 0) {
        usleep(200 * 1000);
        _exit(3);
    }
    n = read(fd, &si, sizeof si);
    printf("restarted read -> %zd signo %u status %d alarms %d\n", n, si.ssi_signo,
           si.ssi_status, (int)alarms);
    CHECK(waitpid(child, NULL, 0) == child);
    close(fd);
}

static void fork_child_sees_own(void) {
    sigset_t s = set_of(SIGUSR1, SIGUSR2);
    int fd = signalfd(-1, &s, SFD_NONBLOCK);
    CHECK(fd >= 0);
    CHECK(kill(getpid(), SIGUSR1) == 0);
    fflush(stdout);
    pid_t child = fork();
    CHECK(child >= 0);
    if (child == 0) {
        printf("child: readable %d\n", readable(fd));
        CHECK(raise(SIGUSR2) == 0);
        printf("child: readable after raise %d\n", readable(fd));
        show_one("child", fd);
        fflush(stdout);
        _exit(0);
    }
    CHECK(waitpid(child, NULL, 0) == child);
    printf("parent: readable %d\n", readable(fd));
    show_one("parent", fd);
    show_one("parent again", fd);
    close(fd);
}

int main(void) {
    setvbuf(stdout, NULL, _IONBF, 0);
    block(SIGUSR1);
    block(SIGUSR2);
    block(SIGCHLD);
    basics();
    two_fds_and_dup();
    select_and_epoll();
    blocking_reads();
    fork_child_sees_own();
    printf("done\n");
    return 0;
}
