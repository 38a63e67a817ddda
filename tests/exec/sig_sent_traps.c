/* Trap signals sent by another process (kill(2), si_code SI_USER) reach guest handlers
 * like any other signal; one the guest ignores does nothing. (A trap the host kernel
 * raises in vm itself is never mistaken for one.) Checked against expected output, not
 * qemu: qemu 7.2 sometimes takes such a SIGSEGV for a fault of its own and dies or
 * hangs (2 runs in 90 here). The expected output is what a native x86-64 build of the
 * same source prints. */
#include <signal.h>
#include <stdio.h>
#include <unistd.h>
#include <sys/wait.h>
static volatile int got;
static void h(int s, siginfo_t *si, void *u) { got = s * 100 + (si->si_code == SI_USER); }
int main(void) {
    struct sigaction sa = {0};
    sa.sa_sigaction = h; sa.sa_flags = SA_SIGINFO;
    sigaction(SIGSEGV, &sa, NULL);
    sigaction(SIGBUS, &sa, NULL);
    sigset_t b, o; sigemptyset(&b); sigaddset(&b, SIGSEGV); sigaddset(&b, SIGBUS);
    sigprocmask(SIG_BLOCK, &b, &o);
    pid_t parent = getpid();
    pid_t c = fork();
    if (c == 0) { kill(parent, SIGSEGV); _exit(0); }
    while (!got) sigsuspend(&o);
    printf("got %d\n", got);
    waitpid(c, NULL, 0);
    got = 0;
    c = fork();
    if (c == 0) { kill(parent, SIGBUS); _exit(0); }
    while (!got) sigsuspend(&o);
    printf("got %d\n", got);
    /* ignored SIGSEGV sent by another process does nothing */
    signal(SIGSEGV, SIG_IGN);
    c = fork();
    if (c == 0) { kill(parent, SIGSEGV); _exit(0); }
    waitpid(c, NULL, 0);
    sigprocmask(SIG_SETMASK, &o, NULL);
    puts("survived ignored SIGSEGV");
    return 0;
}
