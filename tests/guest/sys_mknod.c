/* mknodat and mkfifo (busybox's mkfifo and diff tests found it missing): FIFOs, regular
 * files and sockets made with mknod, their types and permission bits under a umask, the
 * errors (EEXIST, ENOENT, EINVAL for a bad type), mknodat relative to a directory
 * descriptor, and a FIFO carrying data from a child to its parent. */
#define _GNU_SOURCE
#include <fcntl.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/wait.h>
#include <unistd.h>
#include "check.h"

static void show_type(const char *path) {
    struct stat st;
    if (lstat(path, &st) != 0) {
        printf("%s: lstat %s\n", path, errno_name(errno));
        return;
    }
    const char *t = S_ISFIFO(st.st_mode)  ? "fifo"
                    : S_ISREG(st.st_mode) ? "regular"
                    : S_ISSOCK(st.st_mode) ? "socket"
                                           : "other";
    printf("%s: %s mode %o size %lld\n", path, t, (unsigned)(st.st_mode & 07777),
           (long long)st.st_size);
}

int main(void) {
    umask(022);
    SHOW("mkfifo", mkfifo("fifo", 0666));
    show_type("fifo");
    SHOW("mkfifo again", mkfifo("fifo", 0666));
    SHOW("mkfifo missing dir", mkfifo("no/such/fifo", 0600));
    SHOW("mknod regular", mknod("reg", S_IFREG | 0640, 0));
    show_type("reg");
    SHOW("mknod socket", mknod("sock", S_IFSOCK | 0600, 0));
    show_type("sock");
    SHOW("mknod bad type", mknod("bad", 0170000 | 0600, 0));
    SHOW("mknod type 0 is regular", mknod("zero", 0644, 0));
    show_type("zero");

    int dir = open(".", O_RDONLY | O_DIRECTORY);
    CHECK(dir >= 0);
    CHECK(mkdir("sub", 0755) == 0);
    int sub = open("sub", O_RDONLY | O_DIRECTORY);
    CHECK(sub >= 0);
    SHOW("mknodat fifo in sub", mknodat(sub, "f2", S_IFIFO | 0600, 0));
    show_type("sub/f2");
    SHOW("mknodat bad dirfd", mknodat(99, "f3", S_IFIFO | 0600, 0));
    SHOW("mknodat bad path pointer", mknodat(dir, (const char *)8, S_IFIFO | 0600, 0));

    /* The FIFO works: a child writes, the parent reads. */
    pid_t pid = fork();
    CHECK(pid >= 0);
    if (pid == 0) {
        int w = open("fifo", O_WRONLY);
        CHECK(w >= 0);
        CHECK(write(w, "through the fifo\n", 17) == 17);
        _exit(0);
    }
    int r = open("fifo", O_RDONLY);
    CHECK(r >= 0);
    char buf[64];
    ssize_t n, total = 0;
    while ((n = read(r, buf + total, sizeof buf - 1 - total)) > 0)
        total += n;
    buf[total] = 0;
    printf("read %zd bytes: %s", total, buf);
    int status;
    CHECK(waitpid(pid, &status, 0) == pid);
    printf("child status %d\n", WEXITSTATUS(status));
    return 0;
}
