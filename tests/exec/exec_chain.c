/* An execve chain guest -> guest -> guest -> host: stage 1 execve()s this program with an
 * argv[0] of its own and a new environment; stage 2 prints exactly what it got and which
 * descriptors survived (close-on-exec honoured), then execveat()s itself through a
 * descriptor (AT_EMPTY_PATH); stage 3 execs the host's /usr/bin/env, which prints the
 * environment it was given. "show" prints argv (used for binfmt-style invocations). */
#define _GNU_SOURCE
#include <fcntl.h>
#include <sys/syscall.h>
#include <unistd.h>
#include "check.h"

extern char **environ;

static void show(int argc, char **argv) {
    printf("argc %d\n", argc);
    for (int i = 0; i < argc; i++) printf("argv[%d] [%s]\n", i, argv[i]);
}

int main(int argc, char **argv) {
    setvbuf(stdout, NULL, _IONBF, 0);
    if (argc > 1 && strcmp(argv[1], "show") == 0) {
        show(argc, argv);
        return 0;
    }
    if (argc > 1 && strcmp(argv[1], "stage2") == 0) {
        show(argc, argv);
        for (char **e = environ; *e; e++) printf("env [%s]\n", *e);
        printf("fd 10 (inherited): %s\n", fcntl(10, F_GETFD) >= 0 ? "open" : errno_name(errno));
        printf("fd 11 (close-on-exec): %s\n",
               fcntl(11, F_GETFD) >= 0 ? "open" : errno_name(errno));
        char buf[16] = {0};
        CHECK(read(10, buf, 5) == 5);
        printf("read from fd 10: %s\n", buf);
        int self = open("/proc/self/exe", O_RDONLY | O_CLOEXEC);
        CHECK(self >= 0);
        char *args[] = {"third", "stage3", NULL};
        char *env[] = {"STAGE=3", NULL};
        syscall(SYS_execveat, self, "", args, env, AT_EMPTY_PATH);
        printf("execveat failed: %s\n", errno_name(errno));
        return 1;
    }
    if (argc > 1 && strcmp(argv[1], "stage3") == 0) {
        show(argc, argv);
        printf("env [%s]\n", environ[0] ? environ[0] : "(none)");
        char *args[] = {"env", NULL};
        char *env[] = {"FROM_GUEST=stage3", "LAST=yes", NULL};
        execve("/usr/bin/env", args, env);
        printf("exec of /usr/bin/env failed: %s\n", errno_name(errno));
        return 1;
    }
    int fd = open("data.txt", O_RDWR | O_CREAT | O_TRUNC, 0644);
    CHECK(fd >= 0 && write(fd, "hello", 5) == 5 && lseek(fd, 0, SEEK_SET) == 0);
    CHECK(dup2(fd, 10) == 10 && dup3(fd, 11, O_CLOEXEC) == 11);
    close(fd);
    char *args[] = {"second stage", "stage2", "with  two spaces", "", "-x", NULL};
    /* Linux passes entries without '=' through as they are. */
    char *env[] = {"CHAIN=1", "EMPTY=", "SPACES=a  b", "ODD=x=y", "NOEQUALS", "=", "LAST=1", NULL};
    execve("/proc/self/exe", args, env);
    printf("execve failed: %s\n", errno_name(errno));
    return 1;
}
