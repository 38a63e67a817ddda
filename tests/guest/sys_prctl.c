/* prctl options with integer arguments that act on the calling thread's credentials
 * and capability bounds (Go's syscall.AllThreadsSyscall tests set PR_SET_KEEPCAPS on
 * every thread), timer slack, the parent-death signal read back through a pointer, and
 * the errors: an unknown option, a bad pointer, a flag argument out of range. Values
 * that depend on who runs the test are compared with each other, not printed. */
#define _GNU_SOURCE
#include <linux/capability.h>
#include <pthread.h>
#include <signal.h>
#include <sys/prctl.h>
#include <unistd.h>
#include "check.h"

#define BAD ((void *)8)

static void *other_thread(void *arg) {
    (void)arg;
    /* Keep-capabilities and timer slack are per thread: this thread still has the
     * values it inherited when it was created, then changes its own. */
    SHOW("thread: get keepcaps", prctl(PR_GET_KEEPCAPS, 0, 0, 0, 0));
    SHOW("thread: get timerslack", prctl(PR_GET_TIMERSLACK, 0, 0, 0, 0));
    SHOW("thread: set keepcaps 0", prctl(PR_SET_KEEPCAPS, 0, 0, 0, 0));
    SHOW("thread: get keepcaps", prctl(PR_GET_KEEPCAPS, 0, 0, 0, 0));
    SHOW("thread: set timerslack", prctl(PR_SET_TIMERSLACK, 123456, 0, 0, 0));
    SHOW("thread: get timerslack", prctl(PR_GET_TIMERSLACK, 0, 0, 0, 0));
    return NULL;
}

int main(void) {
    SHOW("get keepcaps", prctl(PR_GET_KEEPCAPS, 0, 0, 0, 0));
    SHOW("set keepcaps 1", prctl(PR_SET_KEEPCAPS, 1, 0, 0, 0));
    SHOW("get keepcaps", prctl(PR_GET_KEEPCAPS, 0, 0, 0, 0));
    SHOW("set keepcaps 2", prctl(PR_SET_KEEPCAPS, 2, 0, 0, 0));
    SHOW("set timerslack", prctl(PR_SET_TIMERSLACK, 70000, 0, 0, 0));
    SHOW("get timerslack", prctl(PR_GET_TIMERSLACK, 0, 0, 0, 0));

    pthread_t t;
    CHECK(pthread_create(&t, NULL, other_thread, NULL) == 0);
    CHECK(pthread_join(t, NULL) == 0);
    SHOW("main: get keepcaps after the thread's change", prctl(PR_GET_KEEPCAPS, 0, 0, 0, 0));
    SHOW("main: get timerslack after the thread's change", prctl(PR_GET_TIMERSLACK, 0, 0, 0, 0));
    SHOW("set timerslack 0 (back to the default)", prctl(PR_SET_TIMERSLACK, 0, 0, 0, 0));

    long securebits = prctl(PR_GET_SECUREBITS, 0, 0, 0, 0);
    printf("get securebits is a bit set: %d\n", securebits >= 0);
    long chown = prctl(PR_CAPBSET_READ, CAP_CHOWN, 0, 0, 0);
    printf("capbset read CAP_CHOWN is 0 or 1: %d\n", chown == 0 || chown == 1);
    SHOW("capbset read capability 1000", prctl(PR_CAPBSET_READ, 1000, 0, 0, 0));
    long ambient = prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_IS_SET, CAP_CHOWN, 0, 0);
    printf("ambient is-set CAP_CHOWN is 0 or 1: %d\n", ambient == 0 || ambient == 1);
    SHOW("get timing", prctl(PR_GET_TIMING, 0, 0, 0, 0));
    SHOW("get mce kill policy", prctl(PR_MCE_KILL_GET, 0, 0, 0, 0));

    int sig = -1;
    SHOW("get pdeathsig", prctl(PR_GET_PDEATHSIG, &sig, 0, 0, 0));
    printf("pdeathsig %d\n", sig);
    SHOW("set pdeathsig SIGUSR1", prctl(PR_SET_PDEATHSIG, SIGUSR1, 0, 0, 0));
    SHOW("get pdeathsig", prctl(PR_GET_PDEATHSIG, &sig, 0, 0, 0));
    printf("pdeathsig %d\n", sig);
    SHOW("get pdeathsig to a bad pointer", prctl(PR_GET_PDEATHSIG, BAD, 0, 0, 0));
    SHOW("set pdeathsig 0", prctl(PR_SET_PDEATHSIG, 0, 0, 0, 0));

    SHOW("unknown option", prctl(0x7fff1234, 0, 0, 0, 0));
    return 0;
}
