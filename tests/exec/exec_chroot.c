/* chroot, then guest execs from inside the new root (busybox's mdev tests found chroot
 * missing): stage 1 copies this program into a directory with a marker file, chroots
 * there and execs /prog; stage 2, a vm started inside the new root (no /proc there, and
 * vm's own path does not exist), reads /marker and execs /prog again; stage 3 reads it
 * too. Without the privilege to chroot (not root), the chain runs in the directory
 * without it, printing the same lines, so the expected output does not depend on it. */
#define _GNU_SOURCE
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>
#include "check.h"

static int chrooted;

static const char *at_root(const char *path) { return chrooted ? path : path + 1; }

static void show_marker(const char *stage) {
    char buf[32] = {0};
    int fd = open(at_root("/marker"), O_RDONLY);
    CHECK(fd >= 0);
    CHECK(read(fd, buf, sizeof buf - 1) > 0);
    close(fd);
    printf("%s: marker says %s", stage, buf);
}

static void copy_self(const char *to) {
    int in = open("/proc/self/exe", O_RDONLY);
    CHECK(in >= 0);
    int out = open(to, O_WRONLY | O_CREAT | O_TRUNC, 0755);
    CHECK(out >= 0);
    char buf[65536];
    ssize_t n;
    while ((n = read(in, buf, sizeof buf)) > 0) CHECK(write(out, buf, n) == n);
    CHECK(n == 0);
    close(in);
    close(out);
}

int main(int argc, char **argv) {
    setvbuf(stdout, NULL, _IONBF, 0);
    if (argc > 2) {
        chrooted = strcmp(argv[2], "chrooted") == 0;
        if (strcmp(argv[1], "stage2") == 0) {
            show_marker("stage 2");
            char *args[] = {"prog", "stage3", argv[2], NULL};
            execv(at_root("/prog"), args);
            printf("exec from inside the root failed: %s\n", errno_name(errno));
            return 1;
        }
        show_marker("stage 3");
        return 0;
    }
    CHECK(mkdir("root", 0755) == 0);
    copy_self("root/prog");
    int m = open("root/marker", O_WRONLY | O_CREAT, 0644);
    CHECK(m >= 0 && write(m, "inside\n", 7) == 7);
    close(m);
    SHOW("chroot missing dir", chroot("no-such-dir"));
    if (chroot("root") == 0) {
        chrooted = 1;
        CHECK(chdir("/") == 0);
        CHECK(access("/proc/self/exe", F_OK) != 0);
    } else {
        CHECK(errno == EPERM);
        CHECK(chdir("root") == 0);
    }
    char *args[] = {"prog", "stage2", chrooted ? "chrooted" : "plain", NULL};
    execv(at_root("/prog"), args);
    printf("exec into the root failed: %s\n", errno_name(errno));
    return 1;
}
