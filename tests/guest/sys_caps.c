/* Capabilities and personality: capget/capset (header versions, the version Linux
 * writes back, per-thread sets, error paths) and personality (queries, flags, per
 * thread, inherited by fork, UNAME26's release). Capability sets are compared with
 * each other, not printed, since they depend on who runs the test. capset's order of
 * checks (qemu 7.2 reads the data first) and personality across exec are in
 * tests/exec/personality_exec.c. */
#define _GNU_SOURCE
#include <linux/capability.h>
#include <pthread.h>
#include <string.h>
#include <sys/personality.h>
#include <sys/syscall.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <unistd.h>
#include "check.h"

#define BAD ((void *)8)

static long capget_(struct __user_cap_header_struct *h, struct __user_cap_data_struct *d) {
    return syscall(SYS_capget, h, d);
}

static long capset_(struct __user_cap_header_struct *h, struct __user_cap_data_struct *d) {
    return syscall(SYS_capset, h, d);
}

static void *thread_personality(void *arg) {
    (void)arg;
    printf("thread starts with %#x\n", personality(0xffffffff));
    personality(ADDR_COMPAT_LAYOUT);
    printf("thread set %#x\n", personality(0xffffffff));
    return NULL;
}

int main(void) {
    struct __user_cap_header_struct h = {0, 0};
    struct __user_cap_data_struct d[2], e[2];
    SHOW("capget version query", capget_(&h, NULL));
    printf("preferred version %#x\n", h.version);
    h.version = 0x1234;
    SHOW("capget unknown version", capget_(&h, d));
    printf("version written back %#x\n", h.version);
    h.version = 0x1234;
    SHOW("capget unknown version, no data", capget_(&h, NULL));
    printf("version written back %#x\n", h.version);

    h.version = _LINUX_CAPABILITY_VERSION_3;
    h.pid = 0;
    memset(d, 0x55, sizeof d);
    SHOW("capget v3", capget_(&h, d));
    h.version = _LINUX_CAPABILITY_VERSION_1;
    memset(e, 0x55, sizeof e);
    SHOW("capget v1", capget_(&h, e));
    printf("v1 fills one set: %d, agrees with v3: %d\n", e[1].effective == 0x55555555,
           e[0].effective == d[0].effective && e[0].permitted == d[0].permitted);
    h.version = _LINUX_CAPABILITY_VERSION_2;
    memset(e, 0x55, sizeof e);
    SHOW("capget v2", capget_(&h, e));
    printf("v2 agrees with v3: %d\n", memcmp(d, e, sizeof d) == 0);
    printf("effective within permitted: %d\n",
           (d[0].effective & ~d[0].permitted) == 0 && (d[1].effective & ~d[1].permitted) == 0);
    h.version = _LINUX_CAPABILITY_VERSION_3;
    h.pid = getpid();
    SHOW("capget own pid", capget_(&h, e));
    h.pid = -1;
    SHOW("capget pid -1", capget_(&h, e));
    h.pid = 999999;
    SHOW("capget no such pid", capget_(&h, e));
    h.pid = 0;
    SHOW("capget bad header", capget_(BAD, e));
    SHOW("capget bad data", capget_(&h, BAD));

    SHOW("capset unchanged", capset_(&h, d));
    h.pid = 1;
    SHOW("capset other pid", capset_(&h, d));
    h.pid = 0;
    SHOW("capset bad data", capset_(&h, BAD));
    SHOW("capset bad header", capset_(BAD, d));

    fflush(stdout);
    pid_t pid = fork();
    CHECK(pid >= 0);
    if (pid == 0) {
        struct __user_cap_data_struct z[2];
        memcpy(z, d, sizeof z);
        z[0].effective = z[1].effective = 0;
        SHOW("child: capset clearing effective", capset_(&h, z));
        CHECK(capget_(&h, e) == 0);
        printf("child: effective empty %d, permitted kept %d\n",
               e[0].effective == 0 && e[1].effective == 0,
               e[0].permitted == d[0].permitted && e[1].permitted == d[1].permitted);
        z[0].permitted |= ~d[0].permitted;
        z[1].permitted |= ~d[1].permitted;
        z[0].permitted &= ~1u;
        SHOW("child: capset raising permitted", capset_(&h, z) == 0 ? 0 : -1);
        fflush(stdout);
        _exit(0);
    }
    int status;
    CHECK(waitpid(pid, &status, 0) == pid && status == 0);
    CHECK(capget_(&h, e) == 0);
    printf("parent keeps its sets: %d\n", memcmp(d, e, sizeof d) == 0);

    printf("personality %#x\n", personality(0xffffffff));
    printf("set ADDR_NO_RANDOMIZE, was %#x\n", personality(ADDR_NO_RANDOMIZE));
    printf("personality %#x\n", personality(0xffffffff));
    printf("set PER_BSD|READ_IMPLIES_EXEC, was %#x\n", personality(PER_BSD | READ_IMPLIES_EXEC));
    printf("personality %#x\n", personality(0xffffffff));
    pthread_t t;
    CHECK(pthread_create(&t, NULL, thread_personality, NULL) == 0);
    CHECK(pthread_join(t, NULL) == 0);
    printf("main thread keeps %#x\n", personality(0xffffffff));
    fflush(stdout);
    pid = fork();
    CHECK(pid >= 0);
    if (pid == 0) {
        printf("child inherits %#x\n", personality(0xffffffff));
        fflush(stdout);
        _exit(0);
    }
    CHECK(waitpid(pid, &status, 0) == pid && status == 0);

    struct utsname plain, old;
    CHECK(uname(&plain) == 0);
    personality(UNAME26);
    CHECK(uname(&old) == 0);
    int minor = 0;
    sscanf(plain.release, "%*d.%d", &minor);
    char expect[80];
    const char *rest = plain.release;
    int dots = 0;
    while (*rest && !(*rest == '.' && ++dots >= 3) && ((*rest >= '0' && *rest <= '9') || *rest == '.'))
        rest++;
    snprintf(expect, sizeof expect, "2.6.%d%s", minor + 60, rest);
    printf("UNAME26 release is 2.6.(minor+60) with the rest: %d\n", strcmp(old.release, expect) == 0);
    printf("UNAME26 keeps the machine: %s\n", old.machine);
    personality(PER_LINUX);
    CHECK(uname(&old) == 0);
    printf("release restored: %d\n", strcmp(old.release, plain.release) == 0);
    return 0;
}
