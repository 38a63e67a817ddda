/* sethostname/setdomainname and adjtimex/clock_adjtime. Nothing is changed: names are
 * set to what they already are (which needs privilege: the answers depend on who runs
 * the test, the same under every runner), and the clock is only read, or given an
 * adjustment Linux refuses. */
#define _GNU_SOURCE
#include <string.h>
#include <sys/syscall.h>
#include <sys/timex.h>
#include <time.h>
#include <unistd.h>
#include "check.h"

#define BAD ((void *)8)

int main(void) {
    char name[65] = {0};
    CHECK(gethostname(name, sizeof name - 1) == 0);
    SHOW("sethostname to itself", sethostname(name, strlen(name)));
    char now[65] = {0};
    CHECK(gethostname(now, sizeof now - 1) == 0);
    printf("hostname unchanged: %d\n", strcmp(name, now) == 0);
    SHOW("sethostname length 65", sethostname(name, 65));
    SHOW("sethostname length -1", syscall(SYS_sethostname, name, -1));
    SHOW("sethostname bad pointer", sethostname(BAD, 5));
    CHECK(getdomainname(name, sizeof name - 1) == 0);
    SHOW("setdomainname to itself", setdomainname(name, strlen(name)));
    SHOW("setdomainname length 65", setdomainname(name, 65));
    SHOW("setdomainname bad pointer", setdomainname(BAD, 5));

    struct timex tx;
    memset(&tx, 0, sizeof tx);
    tx.tick = -1;
    int state = adjtimex(&tx);
    printf("adjtimex read: state plausible %d, tick filled %d\n", state >= TIME_OK && state <= TIME_ERROR,
           tx.tick > 0);
    memset(&tx, 0, sizeof tx);
    tx.modes = ADJ_TICK;
    tx.tick = 1;
    SHOW("adjtimex tick out of range", adjtimex(&tx));
    SHOW("adjtimex bad pointer", syscall(SYS_adjtimex, BAD));
    memset(&tx, 0, sizeof tx);
    tx.tick = -1;
    long r = syscall(SYS_clock_adjtime, CLOCK_REALTIME, &tx);
    printf("clock_adjtime CLOCK_REALTIME read: state plausible %d, tick filled %d\n",
           r >= TIME_OK && r <= TIME_ERROR, tx.tick > 0);
    memset(&tx, 0, sizeof tx);
    SHOW("clock_adjtime CLOCK_MONOTONIC", syscall(SYS_clock_adjtime, CLOCK_MONOTONIC, &tx));
    SHOW("clock_adjtime bad clock", syscall(SYS_clock_adjtime, 99, &tx));
    SHOW("clock_adjtime bad pointer", syscall(SYS_clock_adjtime, CLOCK_REALTIME, BAD));
    return 0;
}
