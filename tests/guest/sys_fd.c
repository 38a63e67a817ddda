/* File-descriptor syscalls: dup/dup2/dup3 (lowest free number, shared offsets, CLOEXEC),
 * pipe/pipe2 including a non-blocking empty read, fcntl (F_GETFD/F_SETFD, F_GETFL/F_SETFL,
 * F_DUPFD, F_DUPFD_CLOEXEC, record locks F_SETLK/F_GETLK), isatty and ioctl (TCGETS and
 * TIOCGWINSZ on non-terminals), /dev/null and /dev/zero. The harness runs programs with
 * stdin from /dev/null and stdout/stderr to pipes or files, never a terminal. */
#define _GNU_SOURCE
#include <fcntl.h>
#include <sys/ioctl.h>
#include <termios.h>
#include <unistd.h>
#include "check.h"

int main(void) {
    int fd = open("f.txt", O_RDWR | O_CREAT | O_TRUNC, 0644);
    CHECK(fd == 3);
    CHECK(write(fd, "0123456789", 10) == 10);
    int d = dup(fd);
    printf("dup -> %d\n", d);
    SHOW("lseek via dup", lseek(d, 2, SEEK_SET));
    SHOW("offset shared with original", lseek(fd, 0, SEEK_CUR));
    SHOW("dup2 onto 10", dup2(fd, 10));
    SHOW("dup2 same fd", dup2(fd, fd));
    SHOW("dup2 bad source", dup2(77, 11));
    SHOW("dup3 with O_CLOEXEC", dup3(fd, 12, O_CLOEXEC));
    SHOW("dup3 same fd", dup3(fd, fd, 0));
    SHOW("F_GETFD on dup3 result", fcntl(12, F_GETFD));
    SHOW("F_GETFD on dup2 result", fcntl(10, F_GETFD));
    SHOW("F_SETFD FD_CLOEXEC", fcntl(10, F_SETFD, FD_CLOEXEC));
    SHOW("F_GETFD after set", fcntl(10, F_GETFD));
    SHOW("F_DUPFD >= 20", fcntl(fd, F_DUPFD, 20));
    SHOW("F_DUPFD_CLOEXEC >= 20", fcntl(fd, F_DUPFD_CLOEXEC, 20));
    SHOW("F_GETFD of it", fcntl(21, F_GETFD));
    int fl = fcntl(fd, F_GETFL);
    printf("F_GETFL accmode=%s append=%d nonblock=%d\n",
           (fl & O_ACCMODE) == O_RDWR ? "rdwr" : "other", !!(fl & O_APPEND), !!(fl & O_NONBLOCK));
    SHOW("F_SETFL O_APPEND", fcntl(fd, F_SETFL, fl | O_APPEND));
    fl = fcntl(d, F_GETFL);
    printf("F_GETFL via dup: append=%d (status flags are shared)\n", !!(fl & O_APPEND));
    SHOW("fcntl bad fd", fcntl(99, F_GETFD));
    SHOW("fcntl bad cmd", fcntl(fd, 9999));

    /* Record locks: a single process always gets its own locks; F_GETLK reports unlocked. */
    struct flock lk = {.l_type = F_WRLCK, .l_whence = SEEK_SET, .l_start = 0, .l_len = 4};
    SHOW("F_SETLK write lock", fcntl(fd, F_SETLK, &lk));
    struct flock q = {.l_type = F_WRLCK, .l_whence = SEEK_SET, .l_start = 0, .l_len = 10};
    SHOW("F_GETLK", fcntl(fd, F_GETLK, &q));
    printf("F_GETLK type is F_UNLCK: %d\n", q.l_type == F_UNLCK);
    lk.l_type = F_UNLCK;
    SHOW("F_SETLK unlock", fcntl(fd, F_SETLK, &lk));
    lk.l_type = F_RDLCK;
    SHOW("F_SETLK read lock on O_RDWR", fcntl(fd, F_SETLKW, &lk));
    int ro = open("f.txt", O_RDONLY);
    lk.l_type = F_WRLCK;
    SHOW("F_SETLK write lock on O_RDONLY fd", fcntl(ro, F_SETLK, &lk));
    close(ro);

    /* Closing and reusing the lowest free descriptor. */
    close(d);
    int again = open("f.txt", O_RDONLY);
    printf("reopen takes lowest free fd: %d\n", again == d);
    close(again);

    /* Pipes. */
    int p[2];
    SHOW("pipe", pipe(p));
    printf("pipe fds %d %d\n", p[0], p[1]);
    SHOW("write pipe", write(p[1], "through the pipe", 16));
    char buf[64] = {0};
    SHOW("read pipe", read(p[0], buf, sizeof buf));
    printf("pipe data \"%s\"\n", buf);
    SHOW("write to read end", write(p[0], "x", 1));
    close(p[0]);
    close(p[1]);
    SHOW("pipe2 O_NONBLOCK|O_CLOEXEC", pipe2(p, O_NONBLOCK | O_CLOEXEC));
    SHOW("empty non-blocking read", read(p[0], buf, 1));
    SHOW("F_GETFD of pipe2 end", fcntl(p[0], F_GETFD));
    printf("pipe2 end is non-blocking: %d\n", !!(fcntl(p[1], F_GETFL) & O_NONBLOCK));
    /* Fill a non-blocking pipe until it reports EAGAIN. */
    static char chunk[4096];
    long total = 0;
    for (;;) {
        ssize_t w = write(p[1], chunk, sizeof chunk);
        if (w < 0) {
            printf("pipe full after >= 4096 bytes: %d, errno %s\n", total >= 4096,
                   errno_name(errno));
            break;
        }
        total += w;
    }
    long drained = 0;
    for (;;) {
        ssize_t r = read(p[0], chunk, sizeof chunk);
        if (r <= 0) break;
        drained += r;
    }
    printf("drained everything written: %d\n", drained == total);
    close(p[1]);
    SHOW("read after writer closed (EOF)", read(p[0], buf, 1));
    close(p[0]);

    /* Terminals: none of our descriptors is one. */
    int tty0 = isatty(0), tty1 = isatty(1);
    errno = 0;
    int ttyf = isatty(fd);
    printf("isatty(0)=%d isatty(1)=%d isatty(fd)=%d errno=%s\n", tty0, tty1, ttyf,
           errno_name(errno));
    struct termios t;
    SHOW("TCGETS on a file", ioctl(fd, TCGETS, &t));
    struct winsize ws;
    SHOW("TIOCGWINSZ on a file", ioctl(fd, TIOCGWINSZ, &ws));
    SHOW("ioctl bad fd", ioctl(99, TCGETS, &t));

    /* Device files. */
    int null = open("/dev/null", O_RDWR);
    SHOW("write /dev/null", write(null, "gone", 4));
    SHOW("read /dev/null", read(null, buf, sizeof buf));
    close(null);
    int zero = open("/dev/zero", O_RDONLY);
    memset(buf, 'x', sizeof buf);
    SHOW("read /dev/zero", read(zero, buf, 16));
    printf("zeros: %d\n", buf[0] == 0 && buf[15] == 0 && buf[16] == 'x');
    close(zero);
    SHOW("close all", close(fd) | close(10) | close(12) | close(20) | close(21));
    return 0;
}
