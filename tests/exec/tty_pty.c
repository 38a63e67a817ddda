/* Pseudo-terminals through the terminal ioctls glibc's openpty and CPython's pty and
 * termios modules use: TIOCSPTLCK/TIOCGPTLCK, TIOCGPTN, TIOCGPTPEER, TCGETS2/TCSETS2,
 * TIOCOUTQ, TIOCGETD, TIOCGPKT/TIOCPKT, TIOCEXCL/TIOCGEXCL/TIOCNXCL, TIOCGDEV,
 * TIOCSCTTY/TIOCGSID/TIOCNOTTY. (An exec test because qemu-user answers openpty with
 * EINVAL; the expected output is what Linux prints.) */
#define _GNU_SOURCE
#include <fcntl.h>
#include <pty.h>
#include <signal.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include "check.h"

/* The kernel's struct termios2 (asm/termbits.h clashes with glibc's termios.h). */
struct termios2 {
    tcflag_t c_iflag, c_oflag, c_cflag, c_lflag;
    cc_t c_line;
    cc_t c_cc[19];
    speed_t c_ispeed, c_ospeed;
};
#ifndef BOTHER
#define BOTHER 0010000
#endif

static void show_int(const char *label, int fd, unsigned long req) {
    int v = -1;
    errno = 0;
    int r = ioctl(fd, req, &v);
    if (r < 0)
        printf("%s -> -1 %s\n", label, errno_name(errno));
    else
        printf("%s -> %d, %d\n", label, r, v);
}

static void transfer(int from, int to, const char *what) {
    CHECK(write(from, what, strlen(what)) == (ssize_t)strlen(what));
    char buf[64] = {0};
    ssize_t n = read(to, buf, sizeof buf - 1);
    CHECK(n >= 0);
    printf("read %zd: [%s]\n", n, buf);
}

int main(void) {
    setvbuf(stdout, NULL, _IONBF, 0);
    int m, s;
    CHECK(openpty(&m, &s, NULL, NULL, NULL) == 0);
    printf("openpty: ok, isatty %d %d\n", isatty(m), isatty(s));
    int n = -1;
    CHECK(ioctl(m, TIOCGPTN, &n) == 0);
    char want[32];
    snprintf(want, sizeof want, "/dev/pts/%d", n);
    printf("ptsname matches TIOCGPTN: %d\n", strcmp(ptsname(m), want) == 0);
    show_int("TIOCGPTLCK", m, TIOCGPTLCK);
    int lock = 1;
    SHOW("TIOCSPTLCK 1", ioctl(m, TIOCSPTLCK, &lock));
    show_int("TIOCGPTLCK", m, TIOCGPTLCK);
    lock = 0;
    SHOW("TIOCSPTLCK 0", ioctl(m, TIOCSPTLCK, &lock));
    int peer = ioctl(m, TIOCGPTPEER, O_RDWR | O_NOCTTY | O_CLOEXEC);
    CHECK(peer >= 0);
    struct stat a, b;
    CHECK(fstat(peer, &a) == 0 && fstat(s, &b) == 0);
    printf("TIOCGPTPEER: same device %d, cloexec %d\n", a.st_rdev == b.st_rdev,
           (fcntl(peer, F_GETFD) & FD_CLOEXEC) != 0);
    unsigned dev = 0;
    CHECK(ioctl(s, TIOCGDEV, &dev) == 0);
    printf("TIOCGDEV matches st_rdev: %d\n", dev == b.st_rdev);

    struct termios2 t2;
    CHECK(ioctl(s, TCGETS2, &t2) == 0);
    printf("TCGETS2: ospeed %u ispeed %u icanon %d\n", t2.c_ospeed, t2.c_ispeed,
           (t2.c_lflag & ICANON) != 0);
    t2.c_lflag &= ~(ICANON | ECHO);
    t2.c_oflag &= ~OPOST;
    t2.c_cflag = (t2.c_cflag & ~CBAUD) | BOTHER;
    t2.c_ospeed = t2.c_ispeed = 12345;
    SHOW("TCSETS2", ioctl(s, TCSETS2, &t2));
    CHECK(ioctl(s, TCGETS2, &t2) == 0);
    printf("TCGETS2: ospeed %u icanon %d echo %d\n", t2.c_ospeed, (t2.c_lflag & ICANON) != 0,
           (t2.c_lflag & ECHO) != 0);

    transfer(m, s, "to slave");
    transfer(s, m, "to master");
    CHECK(write(m, "abc", 3) == 3);
    usleep(20000);
    show_int("FIONREAD slave", s, FIONREAD);
    show_int("TIOCOUTQ slave", s, TIOCOUTQ);
    show_int("TIOCGETD", s, TIOCGETD);
    show_int("TIOCGPKT", m, TIOCGPKT);
    int one = 1;
    SHOW("TIOCPKT 1", ioctl(m, TIOCPKT, &one));
    show_int("TIOCGPKT", m, TIOCGPKT);
    show_int("TIOCGEXCL", s, TIOCGEXCL);
    SHOW("TIOCEXCL", ioctl(s, TIOCEXCL));
    show_int("TIOCGEXCL", s, TIOCGEXCL);
    SHOW("TIOCNXCL", ioctl(s, TIOCNXCL));
    show_int("TIOCGSID (not controlling)", s, TIOCGSID);

    pid_t pid = fork();
    CHECK(pid >= 0);
    if (pid == 0) {
        CHECK(setsid() == getpid());
        SHOW("child TIOCSCTTY", ioctl(s, TIOCSCTTY, 0));
        pid_t sid = -1;
        CHECK(ioctl(s, TIOCGSID, &sid) == 0);
        printf("child TIOCGSID is own session: %d\n", sid == getpid());
        printf("child tcgetpgrp is own group: %d\n", tcgetpgrp(s) == getpgrp());
        /* A session leader giving up its terminal sends SIGHUP to its foreground group. */
        signal(SIGHUP, SIG_IGN);
        SHOW("child TIOCNOTTY", ioctl(s, TIOCNOTTY));
        show_int("child TIOCGSID after TIOCNOTTY", s, TIOCGSID);
        _exit(0);
    }
    int status;
    CHECK(waitpid(pid, &status, 0) == pid);
    printf("child exit %d\n", WIFEXITED(status) ? WEXITSTATUS(status) : -1);
    SHOW("TIOCGPTN on a slave", ioctl(s, TIOCGPTN, &n));
    SHOW("TIOCGPTPEER on a file", ioctl(1, TIOCGPTPEER, O_RDWR));
    return 0;
}
