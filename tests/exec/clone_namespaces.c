/* fork-like clone with namespace flags: the child, and only the child, is in a new
 * user and UTS namespace (Go's SysProcAttr.Cloneflags, container tools), so a host
 * name it sets does not reach its parent, and its uid before any mapping is the
 * overflow uid; an unprivileged process asking for a UTS namespace alone gets EPERM
 * from clone itself, with no child. qemu 7.2 refuses the namespace flags (EINVAL). Needs a
 * host that allows user namespaces, as Debian's and this one's do. */
#define _GNU_SOURCE
#include <sched.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>
#include "check.h"

static long fork_with(unsigned long flags) {
    return syscall(SYS_clone, flags | SIGCHLD, 0, 0, 0, 0);
}

static int overflow_uid(void) {
    FILE *f = fopen("/proc/sys/kernel/overflowuid", "r");
    int uid = -1;
    if (f) {
        CHECK(fscanf(f, "%d", &uid) == 1);
        fclose(f);
    }
    return uid;
}

int main(void) {
    char before[256], after[256];
    CHECK(gethostname(before, sizeof before) == 0);
    fflush(stdout);

    long pid = fork_with(CLONE_NEWUSER | CLONE_NEWUTS);
    CHECK(pid >= 0);
    if (pid == 0) {
        printf("child: uid is the overflow uid: %d\n", (int)getuid() == overflow_uid());
        SHOW("child: sethostname in its own UTS namespace", sethostname("vm-inner", 8));
        char name[256];
        CHECK(gethostname(name, sizeof name) == 0);
        printf("child: hostname %s\n", name);
        fflush(stdout);
        _exit(3);
    }
    int status;
    CHECK(waitpid(pid, &status, 0) == pid);
    printf("child exited with %d\n", WEXITSTATUS(status));
    CHECK(gethostname(after, sizeof after) == 0);
    printf("parent: hostname unchanged: %d\n", strcmp(before, after) == 0);

    /* Unprivileged, a UTS namespace alone is refused by clone, with no child made. */
    fflush(stdout);
    pid = fork();
    CHECK(pid >= 0);
    if (pid == 0) {
        if (getuid() == 0)
            CHECK(setresgid(65534, 65534, 65534) == 0 && setresuid(65534, 65534, 65534) == 0);
        SHOW("unprivileged: clone CLONE_NEWUTS", fork_with(CLONE_NEWUTS));
        SHOW("unprivileged: no child was made", waitpid(-1, NULL, WNOHANG));
        fflush(stdout);
        _exit(0);
    }
    CHECK(waitpid(pid, &status, 0) == pid && WIFEXITED(status) && WEXITSTATUS(status) == 0);

    return 0;
}
