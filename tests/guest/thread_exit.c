/* How threads end, and the process with them, each case in a child process: the main
 * thread's pthread_exit leaves the process running until its last thread ends (with the
 * main thread's status); exit() in a worker ends every thread, the main one blocked in
 * pthread_join included; returning from main ends a worker blocked in read(); a worker
 * forks and its child (a copy of that thread alone) runs and exits on its own. */
#define _GNU_SOURCE
#include "check.h"
#include <pthread.h>
#include <sys/wait.h>
#include <unistd.h>

static int pipe_fds[2];

static void say(const char *s) { CHECK(write(1, s, strlen(s)) == (ssize_t)strlen(s)); }

static void *late_worker(void *arg) {
    (void)arg;
    usleep(30000);
    say("  worker: still running after main's pthread_exit\n");
    return NULL;
}

static void *exiting_worker(void *arg) {
    (void)arg;
    usleep(10000);
    exit(7);
}

static void *blocked_reader(void *arg) {
    (void)arg;
    char c;
    (void)read(pipe_fds[0], &c, 1);
    say("  reader: unexpectedly woke\n");
    return NULL;
}

static void *forking_worker(void *arg) {
    (void)arg;
    pid_t child = fork();
    if (child == 0) {
        say("  grandchild: forked from a thread\n");
        _exit(5);
    }
    int status = 0;
    CHECK(waitpid(child, &status, 0) == child);
    return (void *)(long)WEXITSTATUS(status);
}

static void *exiting_thread(void *arg) {
    (void)arg;
    usleep(10000);
    pthread_exit((void *)1);
}

static void run(const char *name, void (*scenario)(void)) {
    printf("%s:\n", name);
    fflush(stdout);
    pid_t child = fork();
    CHECK(child >= 0);
    if (child == 0) {
        scenario();
        _exit(99);
    }
    int status;
    CHECK(waitpid(child, &status, 0) == child);
    if (WIFEXITED(status))
        printf("  exit status %d\n", WEXITSTATUS(status));
    else
        printf("  killed by signal %d\n", WTERMSIG(status));
}

static void main_thread_exits_first(void) {
    pthread_t t;
    CHECK(pthread_create(&t, NULL, late_worker, NULL) == 0);
    pthread_exit(NULL);
}

static void worker_calls_exit(void) {
    pthread_t t;
    CHECK(pthread_create(&t, NULL, exiting_worker, NULL) == 0);
    pthread_join(t, NULL);
    say("  main: join returned\n");
}

static void main_returns(void) {
    CHECK(pipe(pipe_fds) == 0);
    pthread_t t;
    CHECK(pthread_create(&t, NULL, blocked_reader, NULL) == 0);
    usleep(10000);
    exit(3);
}

static void all_threads_exit(void) {
    pthread_t t;
    CHECK(pthread_create(&t, NULL, exiting_thread, NULL) == 0);
    pthread_exit(NULL);
}

static void fork_in_thread(void) {
    pthread_t t;
    CHECK(pthread_create(&t, NULL, forking_worker, NULL) == 0);
    void *status;
    pthread_join(t, &status);
    printf("  main: grandchild exit status %ld\n", (long)status);
    fflush(stdout);
    _exit(0);
}

int main(void) {
    run("main thread exits first", main_thread_exits_first);
    run("worker calls exit(7)", worker_calls_exit);
    run("main exits while a worker reads", main_returns);
    run("every thread calls pthread_exit", all_threads_exit);
    run("fork in a thread", fork_in_thread);
    return 0;
}
