/* Processes: fork with wait4/waitpid/waitid statuses of children that exit (codes 0, 3,
 * 255 and the low 8 bits of 300) or die of signals (SIGTERM from kill, SIGABRT from abort,
 * SIGKILL), WNOHANG before a child ends, ECHILD with no children, rusage from wait4;
 * process groups and sessions (setpgid, getpgid, setsid, getsid); a bounded fork bomb (a
 * tree of 57 processes, each reporting through one pipe, all reaped); pipes and dup2
 * plumbing between two forked children (producer | consumer). */
#include <signal.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>
#include "check.h"

static void show_status(const char *what, int st) {
    if (WIFEXITED(st))
        printf("%s: exited %d\n", what, WEXITSTATUS(st));
    else if (WIFSIGNALED(st))
        printf("%s: killed by signal %d\n", what, WTERMSIG(st));
    else
        printf("%s: other status %#x\n", what, st);
}

static pid_t child_exits(int code) {
    pid_t p = fork();
    CHECK(p >= 0);
    if (p == 0) _exit(code);
    return p;
}

static void statuses(void) {
    int codes[] = {0, 3, 255, 300};
    for (int i = 0; i < 4; i++) {
        pid_t p = child_exits(codes[i]);
        int st;
        CHECK(waitpid(p, &st, 0) == p);
        char what[32];
        snprintf(what, sizeof what, "exit(%d)", codes[i]);
        show_status(what, st);
    }
    pid_t p = fork();
    if (p == 0) {
        kill(getpid(), SIGTERM);
        _exit(99);
    }
    int st;
    struct rusage ru;
    memset(&ru, 0xff, sizeof ru);
    CHECK(wait4(p, &st, 0, &ru) == p);
    show_status("kill(self, SIGTERM)", st);
    printf("rusage filled: %d\n", ru.ru_utime.tv_usec >= 0 && ru.ru_utime.tv_usec < 1000000);
    p = fork();
    if (p == 0) abort();
    CHECK(waitpid(p, &st, 0) == p);
    show_status("abort()", st);

    /* A child that waits until the parent has looked with WNOHANG. */
    int go[2];
    CHECK(pipe(go) == 0);
    p = fork();
    if (p == 0) {
        char c;
        close(go[1]);
        read(go[0], &c, 1);
        _exit(12);
    }
    close(go[0]);
    printf("WNOHANG while running: %d\n", waitpid(p, &st, WNOHANG));
    close(go[1]);
    siginfo_t si;
    memset(&si, 0, sizeof si);
    CHECK(waitid(P_PID, p, &si, WEXITED) == 0);
    printf("waitid: signo %d code %s status %d pid ok %d\n", si.si_signo,
           si.si_code == CLD_EXITED ? "CLD_EXITED" : "?", si.si_status, si.si_pid == p);

    p = fork();
    if (p == 0) {
        pause();
        _exit(1);
    }
    CHECK(kill(p, SIGKILL) == 0);
    memset(&si, 0, sizeof si);
    CHECK(waitid(P_ALL, 0, &si, WEXITED) == 0);
    printf("waitid: signo %d code %s status %d pid ok %d\n", si.si_signo,
           si.si_code == CLD_KILLED ? "CLD_KILLED" : "?", si.si_status, si.si_pid == p);
    memset(&si, 0x55, sizeof si);
    errno = 0;
    printf("waitid with no children: %d %s\n", waitid(P_ALL, 0, &si, WEXITED | WNOHANG),
           errno_name(errno));
    errno = 0;
    printf("wait with no children: %d %s\n", wait(&st), errno_name(errno));
}

static void groups(void) {
    pid_t me = getpid();
    int ready[2];
    CHECK(pipe(ready) == 0);
    pid_t p = fork();
    if (p == 0) {
        close(ready[0]);
        /* A new session makes this child a session and group leader. */
        pid_t sid = setsid();
        int ok = sid == getpid() && getpgid(0) == getpid() && getsid(0) == getpid();
        write(ready[1], ok ? "y" : "n", 1);
        _exit(0);
    }
    close(ready[1]);
    char c = '?';
    CHECK(read(ready[0], &c, 1) == 1);
    int st;
    CHECK(waitpid(p, &st, 0) == p);
    printf("child setsid leads its session and group: %c\n", c);
    errno = 0;
    printf("setsid as a group leader? %s\n",
           getpgid(0) == me ? (setsid() == -1 ? errno_name(errno) : "ok") : "not leader");

    /* Put a child in its own group from both sides (the classic shell race fix). */
    int hold[2];
    CHECK(pipe(hold) == 0);
    p = fork();
    if (p == 0) {
        close(hold[1]);
        setpgid(0, 0);
        read(hold[0], &c, 1);
        _exit(getpgid(0) == getpid() ? 0 : 1);
    }
    close(hold[0]);
    setpgid(p, p);
    printf("child group is its pid: %d\n", getpgid(p) == p);
    printf("our group unchanged: %d\n", getpgid(0) == getpgrp());
    close(hold[1]);
    CHECK(waitpid(p, &st, 0) == p);
    show_status("group child", st);
    errno = 0;
    printf("setpgid of a non-child: %d %s\n", setpgid(1, 1), errno_name(errno));
}

/* Each process above the third level forks 7 children; each child reports a byte. */
static void bomb(int depth, int report) {
    for (int i = 0; i < 7 && depth < 3; i++) {
        pid_t p = fork();
        CHECK(p >= 0);
        if (p == 0) {
            write(report, "x", 1);
            bomb(depth + 1, report);
            while (wait(NULL) > 0) {}
            _exit(0);
        }
    }
}

static void fork_bomb(void) {
    int fds[2];
    CHECK(pipe(fds) == 0);
    pid_t root = fork();
    if (root == 0) {
        close(fds[0]);
        bomb(1, fds[1]);
        int n = 0;
        while (wait(NULL) > 0) n++;
        _exit(n);
    }
    close(fds[1]);
    int count = 0;
    char buf[64];
    ssize_t n;
    while ((n = read(fds[0], buf, sizeof buf)) > 0) count += n;
    int st;
    CHECK(waitpid(root, &st, 0) == root);
    /* 1 root + 7 + 49 = 57 processes below the test, 56 of them reporting. */
    printf("fork tree: %d processes reported, root reaped %d children\n", count,
           WEXITSTATUS(st));
    errno = 0;
    printf("nothing left to reap: %s\n", wait(NULL) == -1 ? errno_name(errno) : "?");
}

static void plumbing(void) {
    int pipefd[2], out[2];
    CHECK(pipe(pipefd) == 0 && pipe(out) == 0);
    pid_t producer = fork();
    if (producer == 0) {
        dup2(pipefd[1], 1);
        close(pipefd[0]);
        close(pipefd[1]);
        for (int i = 1; i <= 100; i++) printf("line %d\n", i);
        fflush(stdout);
        _exit(0);
    }
    pid_t consumer = fork();
    if (consumer == 0) {
        dup2(pipefd[0], 0);
        dup2(out[1], 1);
        close(pipefd[0]);
        close(pipefd[1]);
        close(out[0]);
        close(out[1]);
        long sum = 0, lines = 0;
        char line[64];
        while (fgets(line, sizeof line, stdin)) {
            lines++;
            sum += atoi(line + 5);
        }
        printf("%ld lines, sum %ld\n", lines, sum);
        fflush(stdout);
        _exit(0);
    }
    close(pipefd[0]);
    close(pipefd[1]);
    close(out[1]);
    char buf[128];
    ssize_t n = read(out[0], buf, sizeof buf - 1);
    CHECK(n > 0);
    buf[n] = 0;
    printf("producer | consumer: %s", buf);
    int st;
    CHECK(waitpid(producer, &st, 0) == producer && WIFEXITED(st));
    CHECK(waitpid(consumer, &st, 0) == consumer && WIFEXITED(st));
}

int main(void) {
    setvbuf(stdout, NULL, _IONBF, 0);
    statuses();
    groups();
    fork_bomb();
    plumbing();
    return 0;
}
