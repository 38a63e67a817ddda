/* Children whose exit signal is not SIGCHLD ("clone children", clone with another
 * signal or none): wait4 and waitid see them only with __WCLONE or __WALL, and ordinary
 * children only without __WCLONE (wait4(2), "Linux notes"). The reference is a native
 * build (qemu-user forks every child with SIGCHLD, so __WCLONE finds none). The signal
 * the kernel sends the parent at such a child's exit is not looked at: vm sends
 * SIGCHLD. */
#define _GNU_SOURCE
#include "check.h"
#include <signal.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

/* A fork-like raw clone with exit signal `sig`; the child exits with `code`. */
static pid_t clone_child(int sig, int code) {
    long pid = syscall(SYS_clone, (long)sig, 0L, 0L, 0L, 0L);
    if (pid == 0)
        _exit(code);
    CHECK(pid > 0);
    return (pid_t)pid;
}

/* Runs a wait4 and says what it found. */
#define SHOW_WAIT(what, expected, call)                                        \
    do {                                                                       \
        status = 0;                                                            \
        errno = 0;                                                             \
        long r_ = (call);                                                      \
        show(what, expected, r_, status);                                      \
    } while (0)

static void show(const char *what, pid_t expected, long r, int status) {
    if (r < 0)
        printf("%s: -1 %s\n", what, errno_name(errno));
    else if (r == 0)
        printf("%s: 0\n", what);
    else
        printf("%s: %s status %d\n", what, r == expected ? "the child" : "another child",
               WIFEXITED(status) ? WEXITSTATUS(status) : -1);
}

int main(void) {
    setvbuf(stdout, NULL, _IONBF, 0);
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGUSR1);
    sigaddset(&set, SIGCHLD);
    CHECK(sigprocmask(SIG_BLOCK, &set, NULL) == 0);
    int status = 0;

    pid_t c = clone_child(0, 3);
    usleep(20000);
    SHOW_WAIT("wait4(pid) of a child with no exit signal", c, wait4(c, &status, WNOHANG, NULL));
    SHOW_WAIT("wait4(pid, __WCLONE)", c, wait4(c, &status, __WCLONE, NULL));

    c = clone_child(SIGUSR1, 4);
    SHOW_WAIT("wait4(-1, __WCLONE) with one clone child", c, wait4(-1, &status, __WCLONE, NULL));

    pid_t f = clone_child(SIGCHLD, 5);
    SHOW_WAIT("wait4(pid, __WCLONE) of an ordinary child", f, wait4(f, &status, __WCLONE, NULL));
    SHOW_WAIT("wait4(-1, __WCLONE) with no clone child", f, wait4(-1, &status, __WCLONE, NULL));
    SHOW_WAIT("wait4(pid) of the ordinary child", f, wait4(f, &status, 0, NULL));

    c = clone_child(SIGUSR1, 6);
    siginfo_t info;
    memset(&info, 0, sizeof info);
    errno = 0;
    long r = waitid(P_PID, c, &info, WEXITED);
    printf("waitid(P_PID) of a clone child: %ld %s\n", r, r < 0 ? errno_name(errno) : "");
    memset(&info, 0, sizeof info);
    r = waitid(P_PID, c, &info, WEXITED | __WCLONE);
    printf("waitid(P_PID, __WCLONE): %ld the child %d status %d\n", r, info.si_pid == c,
           info.si_status);

    c = clone_child(0, 7);
    memset(&info, 0, sizeof info);
    r = waitid(P_ALL, 0, &info, WEXITED | __WALL);
    printf("waitid(P_ALL, __WALL): %ld the child %d status %d\n", r, info.si_pid == c,
           info.si_status);
    errno = 0;
    r = waitid(P_ALL, 0, &info, WEXITED | __WALL | WNOHANG);
    printf("waitid(P_ALL, __WALL) with none left: %ld %s\n", r, r < 0 ? errno_name(errno) : "");
    return 0;
}
