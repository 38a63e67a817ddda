/* A guest that another process signals: the test harness starts it, waits for its
 * "ready" line, sends it host signals with kill(2) and compares what it reports (and
 * how it ends) under vm and under qemu. argv[1] picks the scenario. */
#define _GNU_SOURCE
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static volatile sig_atomic_t got, got_code, from_parent;

static void on_signal(int sig, siginfo_t *si, void *uc) {
    (void)uc;
    got = sig;
    got_code = si->si_code;
    from_parent = si->si_pid == getppid();
}

static void handle(int sig, int flags) {
    struct sigaction sa = {0};
    sa.sa_sigaction = on_signal;
    sa.sa_flags = SA_SIGINFO | flags;
    sigaction(sig, &sa, NULL);
}

static void ready(void) {
    puts("ready");
    fflush(stdout);
}

/* Waits for any signal without the race of pause(): signals are blocked until
 * sigsuspend atomically unblocks them. */
static void wait_for_signal(void) {
    sigset_t none;
    sigemptyset(&none);
    sigsuspend(&none);
}

static void block_all(void) {
    sigset_t all;
    sigfillset(&all);
    sigprocmask(SIG_BLOCK, &all, NULL);
}

/* "leader-exited": the thread left once the main one called pthread_exit. */
static void *read_until_signalled(void *arg) {
    (void)arg;
    char buf[64];
    errno = 0;
    ssize_t n = read(0, buf, sizeof buf);
    printf("thread read %zd errno %s signal %d\n", n, errno == EINTR ? "EINTR" : "other", got);
    fflush(stdout);
    exit(0);
}

int main(int argc, char **argv) {
    const char *mode = argc > 1 ? argv[1] : "";
    if (!strcmp(mode, "handler")) {
        /* SIGTERM to a handler: siginfo names the sender (the harness, our parent). */
        handle(SIGTERM, 0);
        block_all();
        ready();
        wait_for_signal();
        printf("got %d code %d from parent %d\n", got, got_code, from_parent);
        return 3;
    }
    if (!strcmp(mode, "default")) {
        /* SIGINT with the default action: the process dies of it. */
        block_all();
        ready();
        wait_for_signal();
        puts("not reached");
        return 0;
    }
    if (!strcmp(mode, "ignored")) {
        /* An ignored SIGINT does nothing; the SIGTERM after it ends the wait. */
        signal(SIGINT, SIG_IGN);
        handle(SIGTERM, 0);
        block_all();
        ready();
        wait_for_signal();
        printf("got %d\n", got);
        return 0;
    }
    if (!strcmp(mode, "read-restart")) {
        /* SIGUSR1 during a blocking read of stdin: with SA_RESTART the read goes on and
         * returns the line written after the signal. */
        handle(SIGUSR1, SA_RESTART);
        ready();
        char buf[64] = {0};
        ssize_t n = read(0, buf, sizeof buf - 1);
        printf("read %zd \"%s\" after signal %d\n", n, strtok(buf, "\n"), got);
        return 0;
    }
    if (!strcmp(mode, "read-eintr")) {
        handle(SIGUSR1, 0);
        ready();
        char buf[64];
        errno = 0;
        ssize_t n = read(0, buf, sizeof buf);
        printf("read %zd errno %s signal %d\n", n, errno == EINTR ? "EINTR" : "other", got);
        return 0;
    }
    if (!strcmp(mode, "blocked")) {
        /* A blocked SIGHUP stays pending until unblocked; SIGCONT's default is nothing. */
        handle(SIGHUP, 0);
        sigset_t hup;
        sigemptyset(&hup);
        sigaddset(&hup, SIGHUP);
        sigprocmask(SIG_BLOCK, &hup, NULL);
        ready();
        char buf[8];
        ssize_t n = read(0, buf, sizeof buf); /* the harness writes after signalling */
        sigset_t pending;
        sigpending(&pending);
        printf("read %zd pending %d handled %d\n", n, sigismember(&pending, SIGHUP), got);
        sigprocmask(SIG_UNBLOCK, &hup, NULL);
        printf("after unblock handled %d\n", got);
        return 0;
    }
    if (!strcmp(mode, "leader-exited")) {
        /* The main thread is gone, another blocks in read: the signal must reach it
         * (vm's first host thread, idle since, once took and kept it). */
        handle(SIGUSR1, 0);
        pthread_t t;
        pthread_create(&t, NULL, read_until_signalled, NULL);
        ready();
        pthread_exit(NULL);
    }
    fprintf(stderr, "unknown mode %s\n", mode);
    return 2;
}
