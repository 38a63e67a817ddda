/* Signal delivery to guest handlers: siginfo contents for each sender, the handler's
 * mask, nesting, SA_RESETHAND, SA_NODEFER, real-time queueing, sigpending, sigsuspend,
 * sigtimedwait, and the thread state (integer, FP registers, rounding mode) restored
 * by sigreturn. */
#define _GNU_SOURCE
#include "check.h"
#include <fenv.h>
#include <signal.h>
#include <stdint.h>
#include <time.h>
#include <unistd.h>

static volatile int hits[65];
static volatile int depth, max_depth;
static volatile int last_code, last_pid, last_value;
static volatile int blocked_inside;
static volatile int order[8], norder;

static void on_info(int sig, siginfo_t *si, void *uc) {
    (void)uc;
    hits[sig]++;
    last_code = si->si_code;
    last_pid = si->si_pid;
    last_value = si->si_value.sival_int;
    sigset_t cur;
    sigprocmask(SIG_BLOCK, NULL, &cur);
    blocked_inside = sigismember(&cur, sig);
    if (norder < 8)
        order[norder++] = sig * 100 + si->si_value.sival_int;
}

static void on_nested(int sig) {
    depth++;
    if (depth > max_depth)
        max_depth = depth;
    hits[sig]++;
    if (hits[sig] < 3)
        raise(sig);
    depth--;
}

static void on_usr1_raises_usr2(int sig) {
    hits[sig]++;
    order[norder++] = 1;
    raise(SIGUSR2);
    order[norder++] = 2;
}

static void on_usr2_order(int sig) {
    hits[sig]++;
    order[norder++] = 3;
}

static void clobber_fp(int sig) {
    hits[sig]++;
    /* Clobber callee-saved FP registers and the rounding mode inside the handler. */
    __asm__ volatile("fcvt.d.w fs1, zero\n\tfcvt.d.w fs2, zero" ::: "fs1", "fs2");
    fesetround(FE_TOWARDZERO);
    volatile double x = 1.0;
    x /= 3.0; /* sets NX */
}

static void install(int sig, void (*h)(int), int flags, const sigset_t *mask) {
    struct sigaction sa = {0};
    sa.sa_handler = h;
    sa.sa_flags = flags;
    if (mask)
        sa.sa_mask = *mask;
    CHECK(sigaction(sig, &sa, NULL) == 0);
}

static void install_info(int sig, int flags) {
    struct sigaction sa = {0};
    sa.sa_sigaction = on_info;
    sa.sa_flags = SA_SIGINFO | flags;
    CHECK(sigaction(sig, &sa, NULL) == 0);
}

int main(void) {
    pid_t me = getpid();
    /* raise: tgkill, SI_TKILL from ourselves; the signal is blocked in its handler. */
    install_info(SIGUSR1, 0);
    CHECK(raise(SIGUSR1) == 0);
    printf("raise: hits %d code %d pid-is-self %d blocked-inside %d\n", hits[SIGUSR1],
           last_code, last_pid == me, blocked_inside);
    /* kill: SI_USER. */
    CHECK(kill(me, SIGUSR1) == 0);
    printf("kill: hits %d code %d pid-is-self %d\n", hits[SIGUSR1], last_code, last_pid == me);
    /* A process group of our own, signalled through the host kernel. */
    CHECK(setpgid(0, 0) == 0);
    CHECK(kill(0, SIGUSR1) == 0);
    printf("killpg: hits %d code %d pid-is-self %d\n", hits[SIGUSR1], last_code, last_pid == me);
    /* sigqueue: SI_QUEUE with a value; real-time signals queue every instance, in order. */
    install_info(SIGRTMIN + 1, 0);
    sigset_t rt;
    sigemptyset(&rt);
    sigaddset(&rt, SIGRTMIN + 1);
    CHECK(sigprocmask(SIG_BLOCK, &rt, NULL) == 0);
    for (int v = 1; v <= 3; v++)
        CHECK(sigqueue(me, SIGRTMIN + 1, (union sigval){.sival_int = v}) == 0);
    sigset_t pend;
    CHECK(sigpending(&pend) == 0);
    printf("rt pending %d hits before unblock %d\n", sigismember(&pend, SIGRTMIN + 1),
           hits[SIGRTMIN + 1]);
    norder = 0;
    CHECK(sigprocmask(SIG_UNBLOCK, &rt, NULL) == 0);
    printf("rt: hits %d code %d order", hits[SIGRTMIN + 1], last_code);
    for (int i = 0; i < norder; i++)
        printf(" %d", order[i] - (SIGRTMIN + 1) * 100);
    printf("\n");

    /* Standard signals coalesce while blocked. */
    sigset_t u2;
    sigemptyset(&u2);
    sigaddset(&u2, SIGUSR2);
    install_info(SIGUSR2, 0);
    CHECK(sigprocmask(SIG_BLOCK, &u2, NULL) == 0);
    raise(SIGUSR2);
    raise(SIGUSR2);
    CHECK(sigprocmask(SIG_UNBLOCK, &u2, NULL) == 0);
    printf("coalesced: hits %d\n", hits[SIGUSR2]);

    /* Nesting: without sa_mask, USR2 raised in USR1's handler runs inside it. (With
     * USR2 in sa_mask it must wait for the handler to return; qemu 7.2 runs it inside
     * anyway, so that case is checked by vm-linux's unit tests instead.) */
    install(SIGUSR1, on_usr1_raises_usr2, 0, NULL);
    install(SIGUSR2, on_usr2_order, 0, NULL);
    norder = 0;
    raise(SIGUSR1);
    printf("nested order: %d %d %d\n", order[0], order[1], order[2]);

    /* SA_NODEFER lets the handler interrupt itself; without it the raise waits. */
    hits[SIGHUP] = 0;
    install(SIGHUP, on_nested, SA_NODEFER, NULL);
    raise(SIGHUP);
    printf("nodefer: hits %d max depth %d\n", hits[SIGHUP], max_depth);
    hits[SIGHUP] = 0;
    max_depth = 0;
    install(SIGHUP, on_nested, 0, NULL);
    raise(SIGHUP);
    printf("defer: hits %d max depth %d\n", hits[SIGHUP], max_depth);

    /* SA_RESETHAND: the handler runs once, then the default (ignore, for SIGWINCH). */
    install(SIGWINCH, on_usr2_order, SA_RESETHAND, NULL);
    hits[SIGWINCH] = 0;
    raise(SIGWINCH);
    raise(SIGWINCH);
    struct sigaction now;
    sigaction(SIGWINCH, NULL, &now);
    printf("resethand: hits %d now default %d\n", hits[SIGWINCH], now.sa_handler == SIG_DFL);

    /* sigsuspend: a blocked pending signal is delivered inside it; it returns EINTR
     * and the mask is restored. */
    install_info(SIGUSR1, 0);
    sigset_t u1, empty, after;
    sigemptyset(&u1);
    sigaddset(&u1, SIGUSR1);
    sigemptyset(&empty);
    CHECK(sigprocmask(SIG_BLOCK, &u1, NULL) == 0);
    int before = hits[SIGUSR1];
    raise(SIGUSR1);
    int r = sigsuspend(&empty);
    sigprocmask(SIG_BLOCK, NULL, &after);
    printf("sigsuspend: r %d %s delivered %d still blocked %d\n", r, errno_name(errno),
           hits[SIGUSR1] - before, sigismember(&after, SIGUSR1));

    /* sigtimedwait takes a blocked pending signal without running the handler. */
    before = hits[SIGUSR1];
    raise(SIGUSR1);
    siginfo_t si;
    struct timespec ts = {0, 20 * 1000 * 1000};
    int got = sigtimedwait(&u1, &si, &ts);
    printf("sigtimedwait: got %d code %d handler ran %d\n", got, si.si_code,
           hits[SIGUSR1] - before);
    errno = 0;
    got = sigtimedwait(&u1, &si, &ts);
    printf("sigtimedwait empty: %d %s\n", got, errno_name(errno));
    CHECK(sigprocmask(SIG_UNBLOCK, &u1, NULL) == 0);

    /* Registers survive a handler that clobbers them. */
    install(SIGUSR2, clobber_fp, 0, NULL);
    fesetround(FE_UPWARD);
    feclearexcept(FE_ALL_EXCEPT);
    double fs1_after, fs2_after;
    __asm__ volatile("li t0, 7\n\tfcvt.d.w fs1, t0\n\tli t0, 9\n\tfcvt.d.w fs2, t0" ::: "t0", "fs1", "fs2");
    raise(SIGUSR2);
    __asm__ volatile("fmv.d %0, fs1\n\tfmv.d %1, fs2" : "=f"(fs1_after), "=f"(fs2_after));
    printf("fp preserved: fs1 %g fs2 %g round-up %d inexact %d\n", fs1_after, fs2_after,
           fegetround() == FE_UPWARD, fetestexcept(FE_INEXACT) != 0);
    return 0;
}
