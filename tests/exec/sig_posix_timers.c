/* POSIX timers (timer_create and the other timer_* calls): a timer's signal carries
 * SI_TIMER and its sigev_value; expiries while its signal waits are counted as the
 * overrun; SIGEV_NONE timers count down silently; SIGEV_THREAD_ID reaches the named
 * thread; glibc's SIGEV_THREAD runs its function in a new thread; a CPU-time clock
 * expires on CPU use; bad arguments fail as Linux fails them; a fork child has none.
 * Checked against Linux's output: qemu 7.2 gives its own timer handle as the default
 * sigev_value and does not send a SIGEV_THREAD_ID signal to the thread it names. */
#define _GNU_SOURCE
#include "check.h"
#include <pthread.h>
#include <semaphore.h>
#include <signal.h>
#include <stdint.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#ifndef sigev_notify_thread_id
#define sigev_notify_thread_id _sigev_un._tid
#endif

static volatile sig_atomic_t hits, last_code;
static volatile intptr_t last_value;
static volatile pid_t handler_tid;

static void on_timer(int sig, siginfo_t *si, void *ctx) {
    (void)sig, (void)ctx;
    last_code = si->si_code;
    last_value = (intptr_t)si->si_value.sival_ptr;
    handler_tid = gettid();
    /* Last, and published: another thread may be waiting for it. */
    __atomic_fetch_add(&hits, 1, __ATOMIC_RELEASE);
}

static void handle(int sig) {
    struct sigaction sa = {0};
    sa.sa_sigaction = on_timer;
    sa.sa_flags = SA_SIGINFO;
    CHECK(sigaction(sig, &sa, NULL) == 0);
}

static struct itimerspec after_ms(long ms, long interval_ms) {
    struct itimerspec it = {{interval_ms / 1000, interval_ms % 1000 * 1000000},
                            {ms / 1000, ms % 1000 * 1000000}};
    return it;
}

static void wait_for_hits(int n) {
    sigset_t none;
    sigemptyset(&none);
    while (hits < n)
        sigsuspend(&none);
}

static void default_event(void) {
    timer_t t;
    handle(SIGALRM);
    CHECK(timer_create(CLOCK_MONOTONIC, NULL, &t) == 0);
    struct itimerspec it = after_ms(5, 0);
    CHECK(timer_settime(t, 0, &it, NULL) == 0);
    wait_for_hits(1);
    printf("default: SIGALRM, code SI_TIMER %d, value is the id %d\n", last_code == SI_TIMER,
           last_value == (intptr_t)t);
    CHECK(timer_delete(t) == 0);
}

static void signal_with_value(void) {
    static int cookie;
    timer_t t;
    handle(SIGRTMIN + 1);
    struct sigevent ev = {0};
    ev.sigev_notify = SIGEV_SIGNAL;
    ev.sigev_signo = SIGRTMIN + 1;
    ev.sigev_value.sival_ptr = &cookie;
    CHECK(timer_create(CLOCK_REALTIME, &ev, &t) == 0);
    hits = 0;
    struct itimerspec it = after_ms(2, 2);
    CHECK(timer_settime(t, 0, &it, NULL) == 0);
    wait_for_hits(3);
    CHECK(timer_delete(t) == 0);
    printf("periodic: 3 signals, value %d, code SI_TIMER %d\n", last_value == (intptr_t)&cookie,
           last_code == SI_TIMER);
}

static void overrun(void) {
    timer_t t;
    struct sigevent ev = {0};
    ev.sigev_notify = SIGEV_SIGNAL;
    ev.sigev_signo = SIGUSR1;
    CHECK(timer_create(CLOCK_MONOTONIC, &ev, &t) == 0);
    sigset_t usr1;
    sigemptyset(&usr1);
    sigaddset(&usr1, SIGUSR1);
    CHECK(sigprocmask(SIG_BLOCK, &usr1, NULL) == 0);
    struct itimerspec it = after_ms(1, 1);
    CHECK(timer_settime(t, 0, &it, NULL) == 0);
    struct timespec pause = {0, 50000000};
    nanosleep(&pause, NULL);
    siginfo_t si;
    CHECK(sigwaitinfo(&usr1, &si) == SIGUSR1);
    int reported = timer_getoverrun(t);
    printf("overrun: code SI_TIMER %d, si_overrun > 10 %d, timer_getoverrun agrees %d\n",
           si.si_code == SI_TIMER, si.si_overrun > 10, reported == si.si_overrun);
    CHECK(timer_delete(t) == 0);
    CHECK(sigprocmask(SIG_UNBLOCK, &usr1, NULL) == 0);
}

static void silent(void) {
    timer_t t;
    struct sigevent ev = {0};
    ev.sigev_notify = SIGEV_NONE;
    CHECK(timer_create(CLOCK_MONOTONIC, &ev, &t) == 0);
    struct itimerspec it = after_ms(10000, 3000), cur;
    CHECK(timer_settime(t, 0, &it, NULL) == 0);
    CHECK(timer_gettime(t, &cur) == 0);
    printf("SIGEV_NONE: counting down %d, interval kept %d\n",
           cur.it_value.tv_sec < 10 && cur.it_value.tv_sec >= 9,
           cur.it_interval.tv_sec == 3 && cur.it_interval.tv_nsec == 0);
    struct itimerspec zero = {{0, 0}, {0, 0}}, old;
    CHECK(timer_settime(t, 0, &zero, &old) == 0);
    printf("disarmed: old value returned %d\n", old.it_value.tv_sec >= 9);
    /* An absolute time in the past fires at once (nobody notified). */
    struct itimerspec past = {{0, 0}, {1, 0}};
    CHECK(timer_settime(t, TIMER_ABSTIME, &past, NULL) == 0);
    CHECK(timer_gettime(t, &cur) == 0);
    printf("absolute past: expired %d\n", cur.it_value.tv_sec == 0 && cur.it_value.tv_nsec == 0);
    CHECK(timer_delete(t) == 0);
}

static sem_t worker_ready, worker_done;
static pid_t worker_tid;

static void *worker(void *arg) {
    (void)arg;
    worker_tid = gettid();
    sem_post(&worker_ready);
    sem_wait(&worker_done);
    return NULL;
}

static void to_thread(void) {
    pthread_t w;
    sem_init(&worker_ready, 0, 0);
    sem_init(&worker_done, 0, 0);
    CHECK(pthread_create(&w, NULL, worker, NULL) == 0);
    sem_wait(&worker_ready);
    handle(SIGUSR2);
    timer_t t;
    struct sigevent ev = {0};
    ev.sigev_notify = SIGEV_THREAD_ID;
    ev.sigev_signo = SIGUSR2;
    ev.sigev_notify_thread_id = worker_tid;
    CHECK(timer_create(CLOCK_MONOTONIC, &ev, &t) == 0);
    hits = 0;
    struct itimerspec it = after_ms(2, 0);
    CHECK(timer_settime(t, 0, &it, NULL) == 0);
    while (__atomic_load_n(&hits, __ATOMIC_ACQUIRE) == 0)
        sched_yield();
    printf("SIGEV_THREAD_ID: handled on the named thread %d\n", handler_tid == worker_tid);
    CHECK(timer_delete(t) == 0);
    sem_post(&worker_done);
    CHECK(pthread_join(w, NULL) == 0);
}

static sem_t notified;
static volatile int notified_value;
static volatile int notified_elsewhere;
static pid_t main_tid;

static void notify_function(union sigval v) {
    notified_value = v.sival_int;
    notified_elsewhere = gettid() != main_tid;
    sem_post(&notified);
}

static void thread_notify(void) {
    main_tid = gettid();
    sem_init(&notified, 0, 0);
    timer_t t;
    struct sigevent ev = {0};
    ev.sigev_notify = SIGEV_THREAD;
    ev.sigev_notify_function = notify_function;
    ev.sigev_value.sival_int = 4242;
    CHECK(timer_create(CLOCK_MONOTONIC, &ev, &t) == 0);
    struct itimerspec it = after_ms(3, 0);
    CHECK(timer_settime(t, 0, &it, NULL) == 0);
    while (sem_wait(&notified) != 0)
        CHECK(errno == EINTR);
    printf("SIGEV_THREAD: function ran with value %d on another thread %d\n", notified_value,
           notified_elsewhere);
    CHECK(timer_delete(t) == 0);
}

static void cpu_time(void) {
    timer_t t;
    handle(SIGALRM);
    struct sigevent ev = {0};
    ev.sigev_notify = SIGEV_SIGNAL;
    ev.sigev_signo = SIGALRM;
    CHECK(timer_create(CLOCK_PROCESS_CPUTIME_ID, &ev, &t) == 0);
    hits = 0;
    struct itimerspec it = after_ms(20, 0);
    CHECK(timer_settime(t, 0, &it, NULL) == 0);
    volatile unsigned long spin = 0;
    while (hits == 0)
        spin++;
    printf("CPU-time clock: expired after CPU use\n");
    CHECK(timer_delete(t) == 0);
}

/* Raw calls, to see the kernel's errors rather than glibc's. */
static long raw_create(clockid_t clock, struct sigevent *ev, void *id) {
    return syscall(SYS_timer_create, clock, ev, id);
}

static void errors(void) {
    int id;
    struct sigevent ev = {0};
    ev.sigev_notify = SIGEV_SIGNAL;
    ev.sigev_signo = SIGUSR1;
    errno = 0;
    long r = raw_create(12345, &ev, &id);
    printf("bad clock: %ld %s\n", r, errno_name(errno));
    ev.sigev_notify = 99;
    errno = 0;
    r = raw_create(CLOCK_MONOTONIC, &ev, &id);
    printf("bad notify: %ld %s\n", r, errno_name(errno));
    ev.sigev_notify = SIGEV_THREAD;
    errno = 0;
    r = raw_create(CLOCK_MONOTONIC, &ev, &id);
    printf("SIGEV_THREAD to the kernel (taken as SIGEV_SIGNAL): %ld %s\n", r, errno_name(errno));
    if (r == 0)
        CHECK(syscall(SYS_timer_delete, id) == 0);
    ev.sigev_notify = SIGEV_SIGNAL;
    ev.sigev_signo = 0;
    errno = 0;
    r = raw_create(CLOCK_MONOTONIC, &ev, &id);
    printf("signal 0: %ld %s\n", r, errno_name(errno));
    ev.sigev_signo = 65;
    errno = 0;
    r = raw_create(CLOCK_MONOTONIC, &ev, &id);
    printf("signal 65: %ld %s\n", r, errno_name(errno));
    ev.sigev_signo = SIGUSR1;
    ev.sigev_notify = SIGEV_THREAD_ID;
    ev.sigev_notify_thread_id = getpid() + 100000;
    errno = 0;
    r = raw_create(CLOCK_MONOTONIC, &ev, &id);
    printf("thread id of no thread: %ld %s\n", r, errno_name(errno));
    errno = 0;
    r = raw_create(CLOCK_MONOTONIC, (struct sigevent *)8, &id);
    printf("sigevent at a bad address: %ld %s\n", r, errno_name(errno));

    ev.sigev_notify = SIGEV_NONE;
    CHECK(raw_create(CLOCK_MONOTONIC, &ev, &id) == 0);
    struct itimerspec bad = {{0, 0}, {0, 1000000000}};
    errno = 0;
    r = syscall(SYS_timer_settime, id, 0, &bad, NULL);
    printf("nanoseconds out of range: %ld %s\n", r, errno_name(errno));
    errno = 0;
    r = syscall(SYS_timer_settime, id, 0, (void *)8, NULL);
    printf("itimerspec at a bad address: %ld %s\n", r, errno_name(errno));
    errno = 0;
    r = syscall(SYS_timer_gettime, id, (void *)8);
    printf("gettime to a bad address: %ld %s\n", r, errno_name(errno));
    CHECK(syscall(SYS_timer_delete, id) == 0);
    errno = 0;
    r = syscall(SYS_timer_delete, id);
    printf("deleted twice: %ld %s\n", r, errno_name(errno));
    struct itimerspec cur;
    errno = 0;
    r = syscall(SYS_timer_gettime, id, &cur);
    printf("gettime of a deleted timer: %ld %s\n", r, errno_name(errno));
    errno = 0;
    r = syscall(SYS_timer_getoverrun, id);
    printf("getoverrun of a deleted timer: %ld %s\n", r, errno_name(errno));
}

static void fork_child(void) {
    int id;
    struct sigevent ev = {0};
    ev.sigev_notify = SIGEV_NONE;
    CHECK(raw_create(CLOCK_MONOTONIC, &ev, &id) == 0);
    pid_t pid = fork();
    CHECK(pid >= 0);
    if (pid == 0) {
        struct itimerspec cur;
        errno = 0;
        long r = syscall(SYS_timer_gettime, id, &cur);
        printf("fork child: parent's timer %ld %s\n", r, errno_name(errno));
        fflush(stdout);
        _exit(0);
    }
    int status;
    CHECK(waitpid(pid, &status, 0) == pid && WIFEXITED(status));
    struct itimerspec cur;
    printf("fork parent: timer still there %d\n", syscall(SYS_timer_gettime, id, &cur) == 0);
    CHECK(syscall(SYS_timer_delete, id) == 0);
}

int main(void) {
    setvbuf(stdout, NULL, _IONBF, 0);
    default_event();
    signal_with_value();
    overrun();
    silent();
    to_thread();
    thread_notify();
    cpu_time();
    errors();
    fork_child();
    return 0;
}
