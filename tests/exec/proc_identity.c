/* How a guest process looks to itself and to other processes: /proc/PID/comm is named
 * after the file execve was given (a link's own name, a #! script's own name, the
 * descriptor's number for execveat with AT_EMPTY_PATH), /proc/self/cmdline is exactly
 * the guest's argv, and another process reading /proc/PID/cmdline sees the guest's
 * argv too (vm pads the rest of its own argument area with NULs, which are stripped
 * here; Linux has none), not "vm run ...". */
#define _GNU_SOURCE
#include <fcntl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>
#include "check.h"

/* Reads a whole small file; returns its length. */
static size_t slurp(const char *path, char *buf, size_t cap) {
    int fd = open(path, O_RDONLY);
    CHECK(fd >= 0);
    size_t n = 0;
    ssize_t r;
    while ((r = read(fd, buf + n, cap - n)) > 0) n += (size_t)r;
    close(fd);
    return n;
}

/* Prints `len` bytes with each NUL shown as '|'. */
static void show_bytes(const char *label, const char *buf, size_t len) {
    printf("%s [", label);
    for (size_t i = 0; i < len; i++) putchar(buf[i] ? buf[i] : '|');
    printf("]\n");
}

/* Prints this process's name and, if `cmdline`, its command line as it reads them. */
static void show_self(const char *who, int cmdline) {
    char buf[4096];
    size_t n = slurp("/proc/self/comm", buf, sizeof buf);
    printf("%s: comm", who);
    show_bytes("", buf, n - (n > 0 && buf[n - 1] == '\n'));
    if (!cmdline) return;
    char path[64];
    snprintf(path, sizeof path, "/proc/%d/cmdline", getpid());
    n = slurp(path, buf, sizeof buf);
    printf("%s: own cmdline", who);
    show_bytes("", buf, n);
}

int main(int argc, char **argv) {
    setvbuf(stdout, NULL, _IONBF, 0);
    if (argc > 1 && strcmp(argv[1], "child") == 0) {
        show_self("child", 1);
        /* Tell the parent it may look at us, and wait until it has. */
        char c = 'r';
        CHECK(write(4, &c, 1) == 1);
        CHECK(read(3, &c, 1) == 1);
        return 0;
    }
    if (argc > 2 && strcmp(argv[1], "script") == 0) {
        /* argv: the interpreter as the script names it, "script", the script's path. */
        printf("script: argv[2] [%s], argc %d\n", argv[2], argc);
        show_self("script", 0);
        return 0;
    }
    if (argc > 1 && strcmp(argv[1], "fd") == 0) {
        show_self("fd", 1);
        return 0;
    }

    char self[4096];
    ssize_t len = readlink("/proc/self/exe", self, sizeof self - 1);
    CHECK(len > 0);
    self[len] = 0;
    CHECK(symlink(self, "named-prog") == 0);

    /* A child that execs through a link with its own name, and another process (this
     * one) that looks at it. */
    int to_child[2], from_child[2];
    CHECK(pipe(to_child) == 0 && pipe(from_child) == 0);
    pid_t pid = fork();
    CHECK(pid >= 0);
    if (pid == 0) {
        CHECK(dup2(to_child[0], 3) == 3 && dup2(from_child[1], 4) == 4);
        char *args[] = {"first", "child", "a b", "", "last", NULL};
        execv("./named-prog", args);
        printf("exec failed: %s\n", errno_name(errno));
        _exit(1);
    }
    char c;
    CHECK(read(from_child[0], &c, 1) == 1);
    char path[64], buf[4096];
    snprintf(path, sizeof path, "/proc/%d/comm", pid);
    size_t n = slurp(path, buf, sizeof buf);
    show_bytes("parent sees comm", buf, n - (n > 0 && buf[n - 1] == '\n'));
    snprintf(path, sizeof path, "/proc/%d/cmdline", pid);
    n = slurp(path, buf, sizeof buf);
    while (n > 1 && buf[n - 1] == 0 && buf[n - 2] == 0) n--;
    show_bytes("parent sees cmdline", buf, n);
    CHECK(write(to_child[1], "g", 1) == 1);
    int status;
    CHECK(waitpid(pid, &status, 0) == pid && WIFEXITED(status) && WEXITSTATUS(status) == 0);

    /* A #! script whose interpreter is this program: the process is named after the
     * script. */
    FILE *f = fopen("named-script", "w");
    CHECK(f != NULL);
    fprintf(f, "#!%s script\n", self);
    fclose(f);
    CHECK(chmod("named-script", 0755) == 0);
    pid = fork();
    CHECK(pid >= 0);
    if (pid == 0) {
        char *args[] = {"named-script", NULL};
        execv("./named-script", args);
        printf("exec failed: %s\n", errno_name(errno));
        _exit(1);
    }
    CHECK(waitpid(pid, &status, 0) == pid && WIFEXITED(status) && WEXITSTATUS(status) == 0);

    /* execveat with AT_EMPTY_PATH: Linux runs "/dev/fd/N", so the name is N. */
    pid = fork();
    CHECK(pid >= 0);
    if (pid == 0) {
        int fd = open("named-prog", O_RDONLY);
        CHECK(fd >= 0);
        CHECK(dup2(fd, 7) == 7);
        char *args[] = {"by-fd", "fd", NULL};
        char *env[] = {NULL};
        syscall(SYS_execveat, 7, "", args, env, AT_EMPTY_PATH);
        printf("execveat failed: %s\n", errno_name(errno));
        _exit(1);
    }
    CHECK(waitpid(pid, &status, 0) == pid && WIFEXITED(status) && WEXITSTATUS(status) == 0);
    return 0;
}
