/* Personality across exec, and capset's order of checks. A personality's flags survive
 * execve, into a RISC-V program (a fresh vm) and into a host program alike, and
 * /proc/self/personality shows it. capset checks the header's version before it reads
 * the data (qemu 7.2 reads the data first and fails with EFAULT). */
#define _GNU_SOURCE
#include <linux/capability.h>
#include <string.h>
#include <sys/personality.h>
#include <sys/syscall.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <unistd.h>
#include "check.h"

static void show_proc_personality(const char *who) {
    FILE *f = fopen("/proc/self/personality", "r");
    CHECK(f != NULL);
    char line[32] = "";
    CHECK(fgets(line, sizeof line, f) != NULL);
    fclose(f);
    printf("%s: /proc/self/personality %s", who, line);
}

int main(int argc, char **argv) {
    if (argc > 1 && strcmp(argv[1], "child") == 0) {
        printf("after exec: personality %#x\n", personality(0xffffffff));
        show_proc_personality("after exec");
        struct utsname u;
        CHECK(uname(&u) == 0);
        printf("after exec: release starts with 2.6.: %d\n", strncmp(u.release, "2.6.", 4) == 0);
        fflush(stdout);
        execl("/bin/cat", "cat", "/proc/self/personality", (char *)NULL);
        printf("exec of cat failed: %s\n", errno_name(errno));
        return 1;
    }
    struct __user_cap_header_struct h = {0x1234, 0};
    SHOW("capset unknown version, bad data", syscall(SYS_capset, &h, (void *)8));
    printf("version written back %#x\n", h.version);

    show_proc_personality("start");
    printf("set, was %#x\n", personality(ADDR_NO_RANDOMIZE | UNAME26));
    show_proc_personality("before exec");
    fflush(stdout);
    pid_t pid = fork();
    CHECK(pid >= 0);
    if (pid == 0) {
        execl("/proc/self/exe", argv[0], "child", (char *)NULL);
        printf("exec failed: %s\n", errno_name(errno));
        _exit(1);
    }
    int status;
    CHECK(waitpid(pid, &status, 0) == pid);
    printf("child status %d\n", status);
    return 0;
}
