/* A fault whose signal is blocked cannot be delivered: Linux unblocks it and resets
 * the handler to the default, so the process dies of SIGSEGV instead of looping. */
#include <signal.h>
#include <stdio.h>

static void never(int sig) {
    (void)sig;
    puts("handler ran");
}

int main(void) {
    signal(SIGSEGV, never);
    sigset_t s;
    sigemptyset(&s);
    sigaddset(&s, SIGSEGV);
    sigprocmask(SIG_BLOCK, &s, NULL);
    puts("faulting with SIGSEGV blocked");
    fflush(stdout);
    *(volatile int *)8 = 1;
    puts("not reached");
    return 0;
}
