/* Stack overflow handled on an alternate stack (SA_ONSTACK): the handler runs on it
 * (SS_ONSTACK reported inside, EPERM to change it there), longjmps out, and the
 * program goes on. sigaltstack's argument checks. */
#define _GNU_SOURCE
#include "check.h"
#include <setjmp.h>
#include <signal.h>
#include <stdint.h>
#include <unistd.h>

static sigjmp_buf env;
static char *alt;
static size_t alt_size = 64 * 1024;
static volatile int on_alt, flags_inside, eperm_inside, sig_seen;

static void on_overflow(int sig) {
    char local;
    sig_seen = sig;
    on_alt = (uintptr_t)&local > (uintptr_t)alt && (uintptr_t)&local <= (uintptr_t)alt + alt_size;
    stack_t cur;
    sigaltstack(NULL, &cur);
    flags_inside = cur.ss_flags;
    stack_t other = {.ss_sp = alt, .ss_size = alt_size, .ss_flags = 0};
    eperm_inside = sigaltstack(&other, NULL) == -1 && errno == EPERM;
    siglongjmp(env, 1);
}

static int recurse(volatile char *prev, int n) {
    volatile char frame[1024];
    frame[0] = (char)n;
    frame[1023] = prev ? prev[0] : 0;
    return recurse(frame, n + 1) + frame[5];
}

int main(void) {
    stack_t ss = {0};
    stack_t old;
    /* Checks: too small, bad flags; query while disabled. */
    CHECK(sigaltstack(NULL, &old) == 0);
    printf("initially disabled %d\n", old.ss_flags == SS_DISABLE);
    ss.ss_sp = malloc(1024);
    ss.ss_size = 1024;
    errno = 0;
    printf("small: %d %s\n", sigaltstack(&ss, NULL), errno_name(errno));
    ss.ss_size = alt_size;
    ss.ss_flags = 12345;
    errno = 0;
    printf("bad flags: %d %s\n", sigaltstack(&ss, NULL), errno_name(errno));

    alt = malloc(alt_size);
    ss.ss_sp = alt;
    ss.ss_size = alt_size;
    ss.ss_flags = 0;
    CHECK(sigaltstack(&ss, NULL) == 0);
    struct sigaction sa = {0};
    sa.sa_handler = on_overflow;
    sa.sa_flags = SA_ONSTACK;
    CHECK(sigaction(SIGSEGV, &sa, NULL) == 0);
    for (int round = 0; round < 2; round++) {
        if (sigsetjmp(env, 1) == 0) {
            recurse(NULL, 0);
            puts("not reached");
        }
        printf("round %d: sig %d on alt stack %d flags inside %d eperm %d\n", round, sig_seen,
               on_alt, flags_inside, eperm_inside);
    }
    CHECK(sigaltstack(NULL, &old) == 0);
    printf("after: flags %d size ok %d\n", old.ss_flags, old.ss_size == alt_size);
    ss.ss_flags = SS_DISABLE;
    CHECK(sigaltstack(&ss, NULL) == 0);
    CHECK(sigaltstack(NULL, &old) == 0);
    printf("disabled %d\n", old.ss_flags == SS_DISABLE);
    return 0;
}
