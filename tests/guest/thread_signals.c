/* Signals and threads: pthread_kill runs the handler in the target thread; a signal
 * sent to the process is taken by the thread that does not block it; a thread waiting
 * in sigwait gets a process signal every thread blocks; a thread blocked in read() is
 * interrupted by pthread_kill (EINTR, no SA_RESTART) while the main thread goes on;
 * raise() in a thread signals that thread; each thread has its own mask; a signal a
 * thread sends itself with tgkill reaches only it; a fault in a thread kills the whole
 * process (checked in a child). */
#define _GNU_SOURCE
#include "check.h"
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

static _Atomic pid_t handled_in;
static atomic_int handled_count;

static void on_usr1(int sig) {
    (void)sig;
    atomic_store(&handled_in, (pid_t)syscall(SYS_gettid));
    atomic_fetch_add(&handled_count, 1);
}

static pid_t gettid_(void) { return (pid_t)syscall(SYS_gettid); }

static _Atomic pid_t worker_tid;
static atomic_int stop;

static void *spinner(void *arg) {
    (void)arg;
    atomic_store(&worker_tid, gettid_());
    while (!atomic_load(&stop))
        ;
    return NULL;
}

static void *unblocked_sleeper(void *arg) {
    (void)arg;
    sigset_t none;
    sigemptyset(&none);
    pthread_sigmask(SIG_SETMASK, &none, NULL);
    atomic_store(&worker_tid, gettid_());
    while (!atomic_load(&stop))
        usleep(1000);
    return NULL;
}

static void *sigwaiter(void *arg) {
    sigset_t *set = arg;
    int sig = 0;
    CHECK(sigwait(set, &sig) == 0);
    return (void *)(long)sig;
}

static int pipe_fds[2];
static void *reader(void *arg) {
    (void)arg;
    sigset_t usr1;
    sigemptyset(&usr1);
    sigaddset(&usr1, SIGUSR1);
    pthread_sigmask(SIG_UNBLOCK, &usr1, NULL);
    atomic_store(&worker_tid, gettid_());
    char c;
    ssize_t n = read(pipe_fds[0], &c, 1);
    return (void *)(long)(n < 0 ? -errno : n);
}

static void *raiser(void *arg) {
    (void)arg;
    sigset_t usr1;
    sigemptyset(&usr1);
    sigaddset(&usr1, SIGUSR1);
    pthread_sigmask(SIG_UNBLOCK, &usr1, NULL);
    raise(SIGUSR1);
    return (void *)(long)gettid_();
}

static void *crasher(void *arg) {
    (void)arg;
    *(volatile int *)16 = 1;
    return NULL;
}

int main(void) {
    struct sigaction sa = {0};
    sa.sa_handler = on_usr1;
    sigemptyset(&sa.sa_mask);
    CHECK(sigaction(SIGUSR1, &sa, NULL) == 0);

    /* 1. pthread_kill: the handler runs in the target. */
    pthread_t t;
    atomic_store(&worker_tid, 0);
    CHECK(pthread_create(&t, NULL, spinner, NULL) == 0);
    while (!atomic_load(&worker_tid))
        ;
    CHECK(pthread_kill(t, SIGUSR1) == 0);
    while (atomic_load(&handled_count) < 1)
        ;
    atomic_store(&stop, 1);
    pthread_join(t, NULL);
    printf("pthread_kill: handled in target %d\n", atomic_load(&handled_in) == atomic_load(&worker_tid));

    /* 2. kill(getpid()) with the main thread blocking it: the worker takes it. */
    sigset_t usr1;
    sigemptyset(&usr1);
    sigaddset(&usr1, SIGUSR1);
    pthread_sigmask(SIG_BLOCK, &usr1, NULL);
    atomic_store(&stop, 0);
    atomic_store(&worker_tid, 0);
    CHECK(pthread_create(&t, NULL, unblocked_sleeper, NULL) == 0);
    while (!atomic_load(&worker_tid))
        ;
    CHECK(kill(getpid(), SIGUSR1) == 0);
    while (atomic_load(&handled_count) < 2)
        usleep(1000);
    atomic_store(&stop, 1);
    pthread_join(t, NULL);
    printf("kill(getpid): handled by the unblocking worker %d\n",
           atomic_load(&handled_in) == atomic_load(&worker_tid));

    /* 3. sigwait: every thread blocks SIGUSR2, one waits for it. */
    sigset_t usr2;
    sigemptyset(&usr2);
    sigaddset(&usr2, SIGUSR2);
    pthread_sigmask(SIG_BLOCK, &usr2, NULL);
    CHECK(pthread_create(&t, NULL, sigwaiter, &usr2) == 0);
    usleep(20000);
    CHECK(kill(getpid(), SIGUSR2) == 0);
    void *got;
    pthread_join(t, &got);
    printf("sigwait: got signal %s\n", (long)got == SIGUSR2 ? "SIGUSR2" : "other");

    /* 4. A thread blocked in read() is interrupted (EINTR: no SA_RESTART); the main
     * thread blocks SIGUSR1 and is not. */
    CHECK(pipe(pipe_fds) == 0);
    sa.sa_flags = 0;
    CHECK(sigaction(SIGUSR1, &sa, NULL) == 0);
    atomic_store(&worker_tid, 0);
    CHECK(pthread_create(&t, NULL, reader, NULL) == 0);
    while (!atomic_load(&worker_tid))
        ;
    usleep(20000); /* let it block in read */
    CHECK(pthread_kill(t, SIGUSR1) == 0);
    pthread_join(t, &got);
    printf("read in a thread: %s, handled there %d\n",
           (long)got == -EINTR ? "EINTR" : "not interrupted",
           atomic_load(&handled_in) == atomic_load(&worker_tid));

    /* 5. raise() in a thread signals that thread only. */
    CHECK(pthread_create(&t, NULL, raiser, NULL) == 0);
    pthread_join(t, &got);
    printf("raise in a thread: handled there %d, count %d\n",
           atomic_load(&handled_in) == (pid_t)(long)got, atomic_load(&handled_count));

    /* 6. A fault in a thread kills the process. */
    pid_t child = fork();
    CHECK(child >= 0);
    if (child == 0) {
        signal(SIGSEGV, SIG_DFL);
        CHECK(pthread_create(&t, NULL, crasher, NULL) == 0);
        pthread_join(t, NULL);
        _exit(0);
    }
    int status;
    CHECK(waitpid(child, &status, 0) == child);
    printf("fault in a thread: %s %d\n", WIFSIGNALED(status) ? "killed by" : "exited",
           WIFSIGNALED(status) ? WTERMSIG(status) : WEXITSTATUS(status));
    return 0;
}
