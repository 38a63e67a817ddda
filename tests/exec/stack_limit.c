/* The main thread's stack and RLIMIT_STACK, as Linux has them: the stack holds what the
 * soft limit allows and a use past it is SIGSEGV; a limit raised at run time lets the
 * stack grow further (gcc's cc1 raises its own to 64 MiB as it starts); a small limit
 * is a small stack; an unlimited one gives far more than the default 8 MiB. The
 * program execs itself under each limit, so that its stack is made under it, and uses
 * the stack in forked children. It prints the same on riscv64 and x86-64 (exec_programs
 * also runs a native build). qemu 7.2 maps a fixed stack of the larger of 8 MiB and the
 * limit, and never grows it. */
#include <signal.h>
#include <stdlib.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>
#include "check.h"

#define FRAME (64 << 10)
#define MIB(n) ((rlim_t)(n) << 20)

/* Uses `frames` frames of 64 KiB of stack, touching every page of each. */
static __attribute__((noinline)) long dig(long frames) {
    volatile char pad[FRAME];
    for (long i = FRAME - 4096; i >= 0; i -= 4096)
        pad[i] = (char)frames;
    if (frames <= 1)
        return pad[0];
    return dig(frames - 1) + pad[0];
}

/* Uses `kib` KiB of stack in a child, after setting the soft stack limit to `raise_to`
 * (0: as it is), and says how the child ended. */
static void attempt(long kib, rlim_t raise_to) {
    pid_t p = fork();
    CHECK(p >= 0);
    if (p == 0) {
        if (raise_to) {
            struct rlimit r;
            CHECK(getrlimit(RLIMIT_STACK, &r) == 0);
            r.rlim_cur = raise_to;
            CHECK(setrlimit(RLIMIT_STACK, &r) == 0);
        }
        dig(kib / 64);
        _exit(0);
    }
    int st;
    CHECK(waitpid(p, &st, 0) == p);
    if (raise_to)
        printf("  limit raised to %lu MiB, ", (unsigned long)(raise_to >> 20));
    else
        printf("  ");
    printf("%ld KiB of stack: ", kib);
    if (WIFEXITED(st))
        printf("exit %d\n", WEXITSTATUS(st));
    else if (WIFSIGNALED(st))
        printf("%s\n", WTERMSIG(st) == SIGSEGV ? "SIGSEGV" : "another signal");
}

/* Sets the soft stack limit (the hard one to unlimited) and execs this program. */
static void exec_under(char **argv, rlim_t soft, const char *stage) {
    struct rlimit r = {soft, RLIM_INFINITY};
    CHECK(setrlimit(RLIMIT_STACK, &r) == 0);
    char *args[] = {argv[0], (char *)stage, NULL};
    execv("/proc/self/exe", args);
    CHECK(!"exec");
}

int main(int argc, char **argv) {
    setvbuf(stdout, NULL, _IONBF, 0);
    struct rlimit no_core = {0, 0};
    CHECK(setrlimit(RLIMIT_CORE, &no_core) == 0);
    if (argc < 2) {
        exec_under(argv, MIB(8), "8");
    }
    struct rlimit now;
    CHECK(getrlimit(RLIMIT_STACK, &now) == 0);
    if (now.rlim_cur == RLIM_INFINITY)
        printf("started with an unlimited stack:\n");
    else
        printf("started with a stack limit of %lu KiB:\n", (unsigned long)(now.rlim_cur >> 10));
    switch (argv[1][0]) {
    case '8':
        attempt(6 << 10, 0);
        attempt(12 << 10, 0);
        attempt(40 << 10, MIB(64));
        attempt(80 << 10, MIB(64));
        exec_under(argv, MIB(1), "1");
        break;
    case '1':
        attempt(512, 0);
        attempt(2 << 10, 0);
        attempt(6 << 10, MIB(8));
        exec_under(argv, RLIM_INFINITY, "unlimited");
        break;
    case 'u':
        attempt(12 << 10, 0);
        attempt(100 << 10, 0);
        break;
    }
    return 0;
}
