/* Robust mutexes, whose owner dies holding them: the kernel walks the dead thread's
 * robust futex list (set_robust_list) and marks each mutex it still owned, so the next
 * locker gets EOWNERDEAD and can make it consistent. Here: a thread that exits holding
 * one; a process (sharing the mutex through MAP_SHARED memory) that exits holding one;
 * a process killed by SIGTERM while holding one; and a process that execs while it and
 * another of its threads each hold one (exec releases every thread's list). qemu-user cannot be the reference:
 * it answers set_robust_list with ENOSYS, so glibc refuses robust mutexes there. */
#define _GNU_SOURCE
#include "check.h"
#include <pthread.h>
#include <signal.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

static pthread_mutex_t *make_mutex(void *where) {
    pthread_mutexattr_t attr;
    CHECK(pthread_mutexattr_init(&attr) == 0);
    CHECK(pthread_mutexattr_setrobust(&attr, PTHREAD_MUTEX_ROBUST) == 0);
    CHECK(pthread_mutexattr_setpshared(&attr, PTHREAD_PROCESS_SHARED) == 0);
    pthread_mutex_t *m = where;
    CHECK(pthread_mutex_init(m, &attr) == 0);
    return m;
}

static const char *lock_result(int r) {
    return r == 0 ? "0" : r == EOWNERDEAD ? "EOWNERDEAD" : strerror(r);
}

/* Locks `m` after its owner died, repairs it, and locks it again. */
static void recover(const char *what, pthread_mutex_t *m) {
    int r = pthread_mutex_lock(m);
    printf("%s: lock %s", what, lock_result(r));
    if (r == EOWNERDEAD)
        CHECK(pthread_mutex_consistent(m) == 0);
    CHECK(pthread_mutex_unlock(m) == 0);
    printf(", then %s\n", lock_result(pthread_mutex_lock(m)));
    CHECK(pthread_mutex_unlock(m) == 0);
}

static void *lock_and_exit(void *arg) {
    CHECK(pthread_mutex_lock(arg) == 0);
    return NULL;
}

static void *lock_and_wait(void *arg) {
    void **args = arg;
    CHECK(pthread_mutex_lock(args[0]) == 0);
    __atomic_store_n((int *)args[1], 1, __ATOMIC_SEQ_CST);
    for (;;)
        pause();
    return NULL;
}

int main(int argc, char **argv) {
    if (argc > 1)
        return 0; /* the program exec'd below */
    void *shared = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    CHECK(shared != MAP_FAILED);

    pthread_mutex_t *m = make_mutex(shared);
    pthread_t t;
    CHECK(pthread_create(&t, NULL, lock_and_exit, m) == 0);
    CHECK(pthread_join(t, NULL) == 0);
    recover("thread exited holding it", m);

    fflush(stdout);
    pid_t child = fork();
    CHECK(child >= 0);
    if (child == 0) {
        CHECK(pthread_mutex_lock(m) == 0);
        _exit(0);
    }
    CHECK(waitpid(child, NULL, 0) == child);
    recover("process exited holding it", m);

    int *locked = (int *)((char *)shared + 2048);
    *locked = 0;
    fflush(stdout);
    child = fork();
    CHECK(child >= 0);
    if (child == 0) {
        CHECK(pthread_mutex_lock(m) == 0);
        __atomic_store_n(locked, 1, __ATOMIC_SEQ_CST);
        for (;;)
            pause();
    }
    while (!__atomic_load_n(locked, __ATOMIC_SEQ_CST))
        usleep(1000);
    CHECK(kill(child, SIGTERM) == 0);
    int status;
    CHECK(waitpid(child, &status, 0) == child);
    CHECK(WIFSIGNALED(status) && WTERMSIG(status) == SIGTERM);
    recover("process killed holding it", m);

    pthread_mutex_t *m2 = make_mutex((char *)shared + 1024);
    *locked = 0;
    fflush(stdout);
    child = fork();
    CHECK(child >= 0);
    if (child == 0) {
        void *args[] = {m2, locked};
        CHECK(pthread_create(&t, NULL, lock_and_wait, args) == 0);
        while (!__atomic_load_n(locked, __ATOMIC_SEQ_CST))
            usleep(1000);
        CHECK(pthread_mutex_lock(m) == 0);
        execl("/proc/self/exe", argv[0], "exec'd", (char *)NULL);
        _exit(99);
    }
    CHECK(waitpid(child, &status, 0) == child);
    CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0);
    recover("process exec'd holding it", m);
    recover("process exec'd while another thread held it", m2);
    return 0;
}
