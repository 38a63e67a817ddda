/* System V semaphores under signals, timeouts, removal, undo and fork.
 * - Timeouts that signals the caller has no use for must not stretch: with SIGALRM
 *   blocked and an interval timer sending it every 2 ms, semtimedop (and a futex wait
 *   with a relative timeout, the same kind of wait) must end with EAGAIN (ETIMEDOUT)
 *   after its timeout, not be restarted with a fresh timeout at every signal (a hang).
 * - Blocked semop is interrupted by a handled signal (EINTR, never restarted).
 * - Waiters and posters race on one set; every unit posted is taken once.
 * - Forked children take units with SEM_UNDO and exit: the kernel gives them back, and
 *   a waiter for zero in the parent wakes.
 * - IPC_RMID while threads wait ends their waits with EIDRM.
 * Everything printed is fixed by ROUNDS; the expected output is written by hand from
 * semop(2), futex(2) and signal(7). */
#include "stress.h"
#include <linux/futex.h>
#include <signal.h>
#include <sys/ipc.h>
#include <sys/sem.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <unistd.h>

static volatile int stop;
static volatile long usr1;

static void on_usr1(int sig) {
    (void)sig;
    usr1++;
}

static double now_s(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + t.tv_nsec / 1e9;
}

static int sem_op(int id, int num, int op, int flags, const struct timespec *timeout) {
    struct sembuf b = {(unsigned short)num, (short)op, (short)flags};
    return (int)syscall(SYS_semtimedop, id, &b, 1, timeout);
}

/* A timed wait that can never succeed ends after its timeout, with SIGALRM blocked and
 * arriving every 2 ms. */
static void timeouts_under_blocked_signals(void) {
    sigset_t alrm;
    sigemptyset(&alrm);
    sigaddset(&alrm, SIGALRM);
    CHECK(sigprocmask(SIG_BLOCK, &alrm, NULL) == 0);
    struct itimerval tick = {{0, 2000}, {0, 2000}};
    CHECK(setitimer(ITIMER_REAL, &tick, NULL) == 0);
    int id = semget(IPC_PRIVATE, 1, 0600);
    CHECK(id >= 0);
    CHECK(semctl(id, 0, SETVAL, 1) == 0);
    struct timespec t = {0, 100 * 1000 * 1000};
    double start = now_s();
    errno = 0;
    CHECK(sem_op(id, 0, 0, 0, &t) == -1 && errno == EAGAIN); /* waits for zero */
    double took = now_s() - start;
    CHECK(took >= 0.09 && took < 5.0);
    CHECK(semctl(id, 0, IPC_RMID) == 0);
    static int word;
    start = now_s();
    errno = 0;
    CHECK(syscall(SYS_futex, &word, FUTEX_WAIT_PRIVATE, 0, &t, NULL, 0) == -1 &&
          errno == ETIMEDOUT);
    took = now_s() - start;
    CHECK(took >= 0.09 && took < 5.0);
    struct itimerval off = {{0, 0}, {0, 0}};
    CHECK(setitimer(ITIMER_REAL, &off, NULL) == 0);
    siginfo_t info;
    struct timespec zero = {0, 0};
    while (sigtimedwait(&alrm, &info, &zero) == SIGALRM)
        ;
    CHECK(sigprocmask(SIG_UNBLOCK, &alrm, NULL) == 0);
    printf("sem: semtimedop and a futex wait timed out under blocked signals\n");
}

/* A blocked semop ends with EINTR when a handler runs. */
static void interrupted_by_handler(int id) {
    CHECK(semctl(id, 0, SETVAL, 0) == 0);
    struct itimerval once = {{0, 0}, {0, 20000}};
    CHECK(setitimer(ITIMER_REAL, &once, NULL) == 0);
    errno = 0;
    CHECK(sem_op(id, 0, -1, 0, NULL) == -1 && errno == EINTR);
    printf("sem: a handled signal interrupted semop (EINTR)\n");
}

struct racer {
    int id;
    long taken;
    pthread_t t;
};

static void *taker(void *arg) {
    struct racer *r = arg;
    while (!stop) {
        struct timespec t = {0, 5 * 1000 * 1000};
        if (sem_op(r->id, 1, -1, 0, &t) == 0)
            r->taken++;
        else
            CHECK(errno == EAGAIN || errno == EINTR);
    }
    /* What is left, without waiting. */
    while (sem_op(r->id, 1, -1, IPC_NOWAIT, NULL) == 0)
        r->taken++;
    return NULL;
}

static void *remover_waiter(void *arg) {
    int id = *(int *)arg;
    errno = 0;
    int r = sem_op(id, 0, -1, 0, NULL);
    CHECK(r == -1 && (errno == EIDRM || errno == EINVAL));
    return NULL;
}

static void alarm_handler(int sig) {
    (void)sig;
}

int main(int argc, char **argv) {
    stress_args(argc, argv);
    setvbuf(stdout, NULL, _IOLBF, 0);
    struct sigaction sa = {0};
    sa.sa_handler = alarm_handler;
    CHECK(sigaction(SIGALRM, &sa, NULL) == 0); /* no SA_RESTART */
    sa.sa_handler = on_usr1;
    CHECK(sigaction(SIGUSR1, &sa, NULL) == 0);

    timeouts_under_blocked_signals();

    int id = semget(IPC_PRIVATE, 2, 0600);
    CHECK(id >= 0);
    interrupted_by_handler(id);

    /* Racing takers, a poster and signals. */
    CHECK(semctl(id, 1, SETVAL, 0) == 0);
    struct racer racers[3];
    for (int i = 0; i < 3; i++) {
        racers[i].id = id;
        racers[i].taken = 0;
        CHECK(pthread_create(&racers[i].t, NULL, taker, &racers[i]) == 0);
    }
    rng_t rng = rng_for(0);
    long posted = 0;
    for (int round = 0; round < stress_rounds * 50; round++) {
        int n = 1 + (int)rng_below(&rng, 3);
        CHECK(sem_op(id, 1, n, 0, NULL) == 0);
        posted += n;
        if (rng_below(&rng, 4) == 0)
            pthread_kill(racers[rng_below(&rng, 3)].t, SIGUSR1);
        if (rng_below(&rng, 8) == 0)
            sched_yield();
    }
    stop = 1;
    long taken = 0;
    for (int i = 0; i < 3; i++) {
        CHECK(pthread_join(racers[i].t, NULL) == 0);
        taken += racers[i].taken;
    }
    CHECK(taken == posted);
    printf("sem: three takers took every unit posted\n");

    /* SEM_UNDO in forked children; the parent waits for zero. */
    for (int round = 0; round < stress_rounds; round++) {
        CHECK(semctl(id, 0, SETVAL, 0) == 0);
        int kids = 1 + (int)rng_below(&rng, 3);
        int go[2];
        CHECK(pipe(go) == 0);
        for (int k = 0; k < kids; k++) {
            pid_t pid = fork();
            CHECK(pid >= 0);
            if (pid == 0) {
                close(go[1]);
                if (sem_op(id, 0, 2, SEM_UNDO, NULL) != 0)
                    _exit(3);
                char c;
                if (read(go[0], &c, 1) != 0) /* until the parent lets go */
                    _exit(4);
                _exit(0);
            }
        }
        close(go[0]);
        while (semctl(id, 0, GETVAL) != 2 * kids)
            CHECK(elapsed_s() < 120);
        close(go[1]);
        struct timespec t = {30, 0};
        CHECK(sem_op(id, 0, 0, 0, &t) == 0); /* every undo done */
        for (int k = 0; k < kids; k++) {
            int status;
            pid_t w;
            while ((w = wait(&status)) < 0 && errno == EINTR)
                ;
            CHECK(w > 0 && WIFEXITED(status) && WEXITSTATUS(status) == 0);
        }
    }
    printf("sem: %d rounds of children's SEM_UNDO undone at their exit\n", stress_rounds);

    /* Removal while threads wait. */
    for (int round = 0; round < stress_rounds; round++) {
        int rid = semget(IPC_PRIVATE, 1, 0600);
        CHECK(rid >= 0);
        pthread_t w[2];
        for (int i = 0; i < 2; i++)
            CHECK(pthread_create(&w[i], NULL, remover_waiter, &rid) == 0);
        while (semctl(rid, 0, GETNCNT) < 2 && elapsed_s() < 120)
            sched_yield();
        CHECK(semctl(rid, 0, IPC_RMID) == 0);
        for (int i = 0; i < 2; i++)
            CHECK(pthread_join(w[i], NULL) == 0);
    }
    printf("sem: %d removals ended the waits on them (EIDRM)\n", stress_rounds);
    CHECK(semctl(id, 0, IPC_RMID) == 0);
    return 0;
}
