/* Waiting for children while threads come, go and change SIGCHLD's action.
 * - Two threads set SIGCHLD's action at once (SIG_IGN and SIG_DFL); whichever won, a
 *   child forked afterwards must be waitable exactly when the action read back is
 *   SIG_DFL (wait4 gives its status), and reaped by the kernel when it is SIG_IGN
 *   (wait4 fails with ECHILD once it ended), never the other way round.
 * - Threads fork children and exit at once; the children belong to the process (any
 *   thread may wait for them, and those of an exiting thread pass to another thread of
 *   the group), so the main thread, blocked in wait4(-1) meanwhile, reaps every one
 *   with its status, then gets ECHILD.
 * - A thread waits for the children of another thread.
 * - As a child subreaper, the process adopts and reaps grandchildren whose parent ended.
 * - Children forked while other threads start and end all end.
 * Printed counts are fixed by ROUNDS; the expected output is written by hand from
 * wait4(2), sigaction(2) and prctl(2). */
#include "stress.h"
#include <signal.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

static pthread_barrier_t both;

static void *set_action(void *arg) {
    struct sigaction sa = {0};
    sa.sa_handler = (void (*)(int))arg;
    pthread_barrier_wait(&both);
    CHECK(sigaction(SIGCHLD, &sa, NULL) == 0);
    return NULL;
}

static int racing_actions(int rounds) {
    int consistent = 0;
    for (int round = 0; round < rounds; round++) {
        pthread_t a, b;
        CHECK(pthread_barrier_init(&both, NULL, 2) == 0);
        CHECK(pthread_create(&a, NULL, set_action, (void *)SIG_IGN) == 0);
        CHECK(pthread_create(&b, NULL, set_action, (void *)SIG_DFL) == 0);
        CHECK(pthread_join(a, NULL) == 0 && pthread_join(b, NULL) == 0);
        CHECK(pthread_barrier_destroy(&both) == 0);
        struct sigaction now;
        CHECK(sigaction(SIGCHLD, NULL, &now) == 0);
        pid_t pid = fork();
        CHECK(pid >= 0);
        if (pid == 0)
            _exit(5);
        int status = 0;
        pid_t w;
        while ((w = waitpid(pid, &status, 0)) < 0 && errno == EINTR)
            ;
        if (now.sa_handler == SIG_DFL) {
            CHECK(w == pid && WIFEXITED(status) && WEXITSTATUS(status) == 5);
        } else {
            CHECK(now.sa_handler == SIG_IGN);
            CHECK(w == -1 && errno == ECHILD);
        }
        consistent++;
    }
    signal(SIGCHLD, SIG_DFL);
    return consistent;
}

static int forked;

static void *fork_and_leave(void *arg) {
    long code = (long)arg;
    pid_t pid = fork();
    CHECK(pid >= 0);
    if (pid == 0) {
        sleep_us(1000 * (code % 5));
        _exit((int)code);
    }
    __atomic_add_fetch(&forked, 1, __ATOMIC_SEQ_CST);
    return NULL; /* the thread ends; its child is still the process's */
}

static int children_of_exiting_threads(int rounds) {
    rng_t r = rng_for(1);
    int reaped = 0;
    for (int round = 0; round < rounds; round++) {
        int n = 1 + (int)rng_below(&r, 4);
        unsigned seen = 0;
        __atomic_store_n(&forked, 0, __ATOMIC_SEQ_CST);
        for (int i = 0; i < n; i++) {
            pthread_t t;
            CHECK(pthread_create(&t, NULL, fork_and_leave, (void *)(long)(10 + i)) == 0);
            CHECK(pthread_detach(t) == 0);
        }
        /* Every child exists from here on; their threads end while the main thread
         * waits. */
        WAIT_UNTIL(__atomic_load_n(&forked, __ATOMIC_SEQ_CST) == n);
        for (int i = 0; i < n; i++) {
            int status;
            pid_t w;
            while ((w = wait4(-1, &status, 0, NULL)) < 0 && errno == EINTR)
                ;
            CHECK(w > 0 && WIFEXITED(status));
            int code = WEXITSTATUS(status);
            CHECK(code >= 10 && code < 10 + n && !(seen & (1u << (code - 10))));
            seen |= 1u << (code - 10);
            reaped++;
        }
        CHECK(wait4(-1, NULL, WNOHANG, NULL) < 0 && errno == ECHILD);
    }
    return reaped > 0 ? rounds : 0;
}

static pid_t sibling_child;

static void *wait_for_sibling_child(void *arg) {
    (void)arg;
    int status;
    pid_t w;
    while ((w = waitpid(sibling_child, &status, 0)) < 0 && errno == EINTR)
        ;
    CHECK(w == sibling_child && WIFEXITED(status) && WEXITSTATUS(status) == 9);
    return NULL;
}

static int another_threads_child(int rounds) {
    for (int round = 0; round < rounds; round++) {
        sibling_child = fork();
        CHECK(sibling_child >= 0);
        if (sibling_child == 0) {
            sleep_us(500);
            _exit(9);
        }
        pthread_t t;
        CHECK(pthread_create(&t, NULL, wait_for_sibling_child, NULL) == 0);
        CHECK(pthread_join(t, NULL) == 0);
    }
    return rounds;
}

static int adopted_grandchildren(int rounds) {
    CHECK(prctl(PR_SET_CHILD_SUBREAPER, 1) == 0);
    int adopted = 0;
    for (int round = 0; round < rounds; round++) {
        int p[2];
        CHECK(pipe(p) == 0);
        pid_t child = fork();
        CHECK(child >= 0);
        if (child == 0) {
            close(p[0]);
            pid_t grandchild = fork();
            if (grandchild < 0)
                _exit(2);
            if (grandchild == 0) {
                close(p[1]);
                sleep_us(2000);
                _exit(8);
            }
            if (write(p[1], &grandchild, sizeof grandchild) != sizeof grandchild)
                _exit(3);
            _exit(0);
        }
        close(p[1]);
        pid_t grandchild = 0;
        CHECK(read(p[0], &grandchild, sizeof grandchild) == sizeof grandchild);
        close(p[0]);
        int status;
        pid_t w;
        while ((w = waitpid(child, &status, 0)) < 0 && errno == EINTR)
            ;
        CHECK(w == child && WIFEXITED(status) && WEXITSTATUS(status) == 0);
        while ((w = waitpid(grandchild, &status, 0)) < 0 && errno == EINTR)
            ;
        CHECK(w == grandchild && WIFEXITED(status) && WEXITSTATUS(status) == 8);
        adopted++;
    }
    CHECK(prctl(PR_SET_CHILD_SUBREAPER, 0) == 0);
    return adopted;
}

static volatile int stop_churn;

static void *nothing(void *arg) {
    return arg;
}

static void *churn(void *arg) {
    (void)arg;
    while (!stop_churn) {
        pthread_t t;
        CHECK(pthread_create(&t, NULL, nothing, NULL) == 0);
        CHECK(pthread_join(t, NULL) == 0);
    }
    return NULL;
}

/* Children forked while other threads start and end must still end (not hang on a
 * lock a vanished thread held at the fork). */
static int forks_amid_thread_churn(int rounds) {
    pthread_t c;
    CHECK(pthread_create(&c, NULL, churn, NULL) == 0);
    for (int i = 0; i < rounds; i++) {
        pid_t pid = fork();
        CHECK(pid >= 0);
        if (pid == 0)
            _exit(6);
        int status;
        double start = elapsed_s();
        pid_t w;
        while ((w = waitpid(pid, &status, WNOHANG)) == 0) {
            if (elapsed_s() - start > 20) {
                kill(pid, SIGKILL);
                CHECK(!"a forked child did not end");
            }
            sleep_us(200);
        }
        CHECK(w == pid && WIFEXITED(status) && WEXITSTATUS(status) == 6);
    }
    stop_churn = 1;
    CHECK(pthread_join(c, NULL) == 0);
    return rounds;
}

int main(int argc, char **argv) {
    stress_args(argc, argv);
    setvbuf(stdout, NULL, _IOLBF, 0);
    printf("wait: %d rounds of racing SIGCHLD actions kept children waitable as the action said\n",
           racing_actions(stress_rounds * 5) / 5);
    printf("wait: %d rounds of children of exiting threads reaped by the main thread\n",
           children_of_exiting_threads(stress_rounds));
    printf("wait: %d children of one thread reaped by another\n",
           another_threads_child(stress_rounds));
    printf("wait: %d grandchildren adopted by the subreaper and reaped\n",
           adopted_grandchildren(stress_rounds));
    printf("wait: %d children forked amid thread churn ended\n",
           forks_amid_thread_churn(stress_rounds * 10) / 10);
    return 0;
}
