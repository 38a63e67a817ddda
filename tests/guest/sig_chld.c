/* SIGCHLD from the host kernel reaches the guest: a handler sees CLD_EXITED and
 * CLD_KILLED with the child's pid and status; an ignored SIGCHLD reaps children
 * automatically (wait reports ECHILD); a child signals its parent with kill(2). */
#define _GNU_SOURCE
#include "check.h"
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

static volatile sig_atomic_t chld_code, chld_status, chld_pid, usr1_from_child;
static volatile pid_t expected_child;

static void on_chld(int sig, siginfo_t *si, void *uc) {
    (void)sig;
    (void)uc;
    chld_code = si->si_code;
    chld_status = si->si_status;
    chld_pid = si->si_pid == expected_child;
}

static void on_usr1(int sig, siginfo_t *si, void *uc) {
    (void)sig;
    (void)uc;
    usr1_from_child = si->si_pid == expected_child && si->si_code == SI_USER;
}

static void handle(int sig, void (*h)(int, siginfo_t *, void *)) {
    struct sigaction sa = {0};
    sa.sa_sigaction = h;
    sa.sa_flags = SA_SIGINFO | SA_RESTART;
    CHECK(sigaction(sig, &sa, NULL) == 0);
}

/* Forks a child running `body`, then waits for SIGCHLD with sigsuspend. */
static pid_t fork_and_wait_for_chld(void (*body)(void)) {
    sigset_t block, old;
    sigemptyset(&block);
    sigaddset(&block, SIGCHLD);
    sigaddset(&block, SIGUSR1);
    CHECK(sigprocmask(SIG_BLOCK, &block, &old) == 0);
    chld_code = 0;
    pid_t pid = fork();
    CHECK(pid >= 0);
    if (pid == 0) {
        body();
        _exit(0);
    }
    expected_child = pid;
    while (chld_code == 0)
        sigsuspend(&old);
    CHECK(sigprocmask(SIG_SETMASK, &old, NULL) == 0);
    return pid;
}

static void exit_7(void) { _exit(7); }
static void die_by_term(void) { raise(SIGTERM); }
static void signal_parent(void) {
    CHECK(kill(getppid(), SIGUSR1) == 0);
    _exit(0);
}

int main(void) {
    handle(SIGCHLD, on_chld);
    handle(SIGUSR1, on_usr1);
    int status;

    pid_t pid = fork_and_wait_for_chld(exit_7);
    printf("exited: code %s status %d pid ok %d\n", chld_code == CLD_EXITED ? "CLD_EXITED" : "?",
           chld_status, chld_pid);
    CHECK(waitpid(pid, &status, 0) == pid);
    printf("  wait: exited %d status %d\n", WIFEXITED(status), WEXITSTATUS(status));

    pid = fork_and_wait_for_chld(die_by_term);
    printf("killed: code %s status %d pid ok %d\n", chld_code == CLD_KILLED ? "CLD_KILLED" : "?",
           chld_status, chld_pid);
    CHECK(waitpid(pid, &status, 0) == pid);
    printf("  wait: signaled %d sig %d\n", WIFSIGNALED(status), WTERMSIG(status));

    pid = fork_and_wait_for_chld(signal_parent);
    CHECK(waitpid(pid, &status, 0) == pid);
    printf("child signalled parent: %d\n", usr1_from_child);

    /* SIG_IGN for SIGCHLD: children are reaped by the kernel. */
    signal(SIGCHLD, SIG_IGN);
    pid = fork();
    if (pid == 0)
        _exit(1);
    errno = 0;
    pid_t w = waitpid(pid, &status, 0);
    printf("ignored SIGCHLD: wait %d %s\n", w, errno_name(errno));
    return 0;
}
