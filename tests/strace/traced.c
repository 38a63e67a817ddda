/* The guest `vm run --strace` is tested with (crates/vm-cli/tests/strace.rs): each step
 * makes calls whose trace lines the test knows, and prints what it saw, so the test can
 * also check that tracing changes nothing the guest sees.
 *
 *   traced            openat of a missing file, write, mmap, bad pointers, a signal, a
 *                     fork whose child exits 3, a thread, a failing and a working execve
 *                     (of this program, as "traced exec-stage", which exits 5)
 *   traced segv       dies of SIGSEGV at address 0
 *   traced no-stderr  closes its stderr, then makes a call */
#define _GNU_SOURCE
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>
#include "check.h"

#define BAD_POINTER ((void *)0xdead0000)

static void say(const char *s) { CHECK(write(1, s, strlen(s)) == (ssize_t)strlen(s)); }

static volatile sig_atomic_t got_usr1;
static void on_usr1(int sig) { got_usr1 = sig; }

static void *thread_main(void *arg) {
    (void)arg;
    say("from thread\n");
    return NULL;
}

int main(int argc, char **argv) {
    if (argc > 1 && strcmp(argv[1], "exec-stage") == 0) {
        say("exec stage\n");
        return 5;
    }
    if (argc > 1 && strcmp(argv[1], "segv") == 0) {
        *(volatile int *)0 = 1;
        return 1;
    }
    if (argc > 1 && strcmp(argv[1], "small-files") == 0) {
        /* A file-size limit the trace file soon passes: vm's writes of the trace must
         * not bring the guest a SIGXFSZ of their own. */
        struct rlimit limit = {4096, RLIM_INFINITY};
        CHECK(setrlimit(RLIMIT_FSIZE, &limit) == 0);
        for (int i = 0; i < 200; i++)
            getppid();
        printf("survived\n");
        return 0;
    }
    if (argc > 1 && strcmp(argv[1], "no-stderr") == 0) {
        close(2);
        int fd = open("/nonexistent/after-close", O_RDONLY);
        printf("open after closing stderr: %s\n", errno_name(fd < 0 ? errno : 0));
        return 0;
    }

    int fd = open("/nonexistent/strace-missing", O_RDONLY);
    printf("open: %s\n", errno_name(fd < 0 ? errno : 0));
    fflush(stdout);
    say("hello from traced\n");
    CHECK(write(2, "to stderr\n", 10) == 10);

    void *p = mmap(NULL, 8192, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    CHECK(p != MAP_FAILED);
    CHECK(munmap(p, 8192) == 0);

    /* Bad pointers fail with EFAULT and are traced as hex. */
    long r = syscall(SYS_openat, AT_FDCWD, BAD_POINTER, O_RDONLY);
    printf("bad path: %s\n", errno_name(r < 0 ? errno : 0));
    r = syscall(SYS_write, 1, BAD_POINTER, 5);
    printf("bad buffer: %s\n", errno_name(r < 0 ? errno : 0));
    fflush(stdout);

    struct sigaction sa = {0};
    sa.sa_handler = on_usr1;
    CHECK(sigaction(SIGUSR1, &sa, NULL) == 0);
    CHECK(raise(SIGUSR1) == 0);
    printf("signal handled: %d\n", got_usr1 == SIGUSR1);
    fflush(stdout);

    pid_t child = fork();
    CHECK(child >= 0);
    if (child == 0) _exit(3);
    int status = 0;
    CHECK(waitpid(child, &status, 0) == child);
    printf("child exited with %d\n", WIFEXITED(status) ? WEXITSTATUS(status) : -1);
    fflush(stdout);

    pthread_t t;
    CHECK(pthread_create(&t, NULL, thread_main, NULL) == 0);
    CHECK(pthread_join(t, NULL) == 0);

    char *missing[] = {"prog", NULL};
    execve("/nonexistent/prog", missing, missing + 1);
    printf("execve of a missing program: %s\n", errno_name(errno));
    fflush(stdout);

    char *args[] = {"traced", "exec-stage", NULL};
    char *env[] = {"STAGE=2", NULL};
    execve("/proc/self/exe", args, env);
    printf("execve failed: %s\n", errno_name(errno));
    return 1;
}
