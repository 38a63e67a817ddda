/* Fork-like clones with vfork and new namespaces while another thread closes and
 * replaces descriptors. One thread makes children with raw clone(CLONE_VFORK |
 * CLONE_NEWUSER | CLONE_NEWNET | SIGCHLD) (or without the namespaces, when the machine
 * refuses them: EPERM, EINVAL, ENOSPC, EUSERS) that end at once, and reaps each; the
 * other closes every descriptor above 2 (close_range), closes single high numbers and
 * dup2s onto them. On Linux the clone's own bookkeeping is kernel state, never a
 * descriptor of the process, so none of that can disturb it; vm keeps sockets to its
 * vfork and namespace children in the guest's descriptor table, which the guest must
 * not be able to close or replace under it (a debug vm aborted on the double close, a
 * release vm could close a descriptor the guest had opened since). Then vforks while
 * another thread forks children that live on without exec: a vfork parent must not
 * wait for those (vm's release socket must not leak into them). The expected output is
 * written by hand. */
#include "stress.h"
#include <signal.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#ifndef CLONE_NEWUSER
#define CLONE_NEWUSER 0x10000000
#endif
#ifndef CLONE_NEWNET
#define CLONE_NEWNET 0x40000000
#endif

static volatile int stop;

/* A raw fork-like clone whose child ends at once with status 7, touching no memory
 * (its stack is the parent's, suspended meanwhile by CLONE_VFORK). */
static long clone_and_exit(unsigned long flags) {
    register long a0 __asm__("a0") = (long)flags;
    register long a1 __asm__("a1") = 0;
    register long a2 __asm__("a2") = 0;
    register long a3 __asm__("a3") = 0;
    register long a4 __asm__("a4") = 0;
    register long a7 __asm__("a7") = SYS_clone;
    __asm__ volatile("ecall\n"
                     "bnez a0, 1f\n"
                     "li a0, 7\n"
                     "li a7, 93\n" /* exit */
                     "ecall\n"
                     "1:\n"
                     : "+r"(a0)
                     : "r"(a1), "r"(a2), "r"(a3), "r"(a4), "r"(a7)
                     : "memory");
    if (a0 < 0 && a0 > -4096) {
        errno = (int)-a0;
        return -1;
    }
    return a0;
}

static void *closer(void *arg) {
    rng_t r = rng_for((unsigned long)arg);
    while (!stop) {
        int fd = 3 + (int)rng_below(&r, 1024);
        switch (rng_below(&r, 3)) {
        case 0:
            syscall(SYS_close_range, 3, ~0U, 0);
            break;
        case 1:
            close(fd);
            break;
        default: {
            int d = dup2(1, fd);
            if (d >= 0)
                close(d);
        }
        }
    }
    return NULL;
}

/* Forks children that live until `hold` is closed, while the main thread vforks. */
static int hold[2];
static volatile int forked_holders;

static void *holder_forker(void *arg) {
    (void)arg;
    while (!stop && forked_holders < 64) {
        pid_t pid = fork();
        CHECK(pid >= 0);
        if (pid == 0) {
            char c;
            close(hold[1]);
            while (read(hold[0], &c, 1) < 0 && errno == EINTR)
                ;
            _exit(0);
        }
        forked_holders++;
    }
    return NULL;
}

/* A vfork parent is released when its child exits, whatever children other threads
 * fork meanwhile (none of them may keep it waiting). */
static int vforks_amid_forks(int rounds) {
    CHECK(pipe(hold) == 0);
    stop = 0;
    pthread_t t;
    CHECK(pthread_create(&t, NULL, holder_forker, NULL) == 0);
    for (int i = 0; i < rounds; i++) {
        double start = elapsed_s();
        long pid = clone_and_exit(CLONE_VFORK | SIGCHLD);
        CHECK(pid > 0);
        CHECK(elapsed_s() - start < 10 && "a vfork parent waited for another thread's child");
        int status;
        long w;
        while ((w = waitpid((pid_t)pid, &status, 0)) < 0 && errno == EINTR)
            ;
        CHECK(w == pid && WIFEXITED(status) && WEXITSTATUS(status) == 7);
    }
    stop = 1;
    CHECK(pthread_join(t, NULL) == 0);
    close(hold[1]);
    close(hold[0]);
    for (int i = 0; i < forked_holders; i++) {
        int status;
        pid_t w;
        while ((w = wait(&status)) < 0 && errno == EINTR)
            ;
        CHECK(w > 0 && WIFEXITED(status) && WEXITSTATUS(status) == 0);
    }
    return rounds;
}

int main(int argc, char **argv) {
    stress_args(argc, argv);
    setvbuf(stdout, NULL, _IOLBF, 0);
    unsigned long ns = CLONE_NEWUSER | CLONE_NEWNET;
    pthread_t t;
    CHECK(pthread_create(&t, NULL, closer, (void *)1) == 0);
    int children = 0;
    for (int i = 0; i < stress_rounds * 10; i++) {
        long pid = clone_and_exit(CLONE_VFORK | ns | SIGCHLD);
        if (pid < 0 && ns &&
            (errno == EPERM || errno == EINVAL || errno == ENOSPC || errno == EUSERS)) {
            ns = 0; /* no user namespaces here: vfork alone */
            i--;
            continue;
        }
        CHECK(pid > 0);
        int status;
        long w;
        while ((w = waitpid((pid_t)pid, &status, 0)) < 0 && errno == EINTR)
            ;
        CHECK(w == pid);
        CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 7);
        children++;
    }
    stop = 1;
    CHECK(pthread_join(t, NULL) == 0);
    CHECK(waitpid(-1, NULL, WNOHANG) < 0 && errno == ECHILD);
    printf("clone_ns: %d vfork children with namespaces ended with their status\n",
           children / 10);
    printf("clone_ns: %d vforks released while another thread forked\n",
           vforks_amid_forks(stress_rounds * 5) / 5);
    return 0;
}
