/* get_robust_list (the caller's list, a sibling thread's, another process's, errors)
 * and kcmp (descriptors, memory, descriptor tables and dispositions shared or not by
 * dup, threads and fork). Checked against Linux's output (a native build prints the
 * same): qemu 7.2 answers both with ENOSYS. */
#define _GNU_SOURCE
#include "check.h"
#include <fcntl.h>
#include <linux/futex.h>
#include <linux/kcmp.h>
#include <pthread.h>
#include <stdint.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

static long kcmp(pid_t a, pid_t b, int type, unsigned long i1, unsigned long i2) {
    return syscall(SYS_kcmp, a, b, type, i1, i2);
}

static struct robust_list_head mine;
static pthread_barrier_t barrier;
static volatile pid_t sibling_tid;
static struct robust_list_head sibling_head;

static void *sibling(void *arg) {
    (void)arg;
    sibling_tid = gettid();
    CHECK(syscall(SYS_set_robust_list, &sibling_head, sizeof sibling_head) == 0);
    pthread_barrier_wait(&barrier);
    pthread_barrier_wait(&barrier);
    return NULL;
}

static void robust_lists(void) {
    struct robust_list_head *head = NULL;
    size_t len = 0;
    /* glibc registered one for this thread at start-up: its own, in the TCB. */
    CHECK(syscall(SYS_get_robust_list, 0, &head, &len) == 0);
    printf("initial: set %d len %zu\n", head != NULL, len);
    CHECK(syscall(SYS_set_robust_list, &mine, sizeof mine) == 0);
    CHECK(syscall(SYS_get_robust_list, 0, &head, &len) == 0);
    printf("after set: ours %d len %zu\n", head == &mine, len);
    CHECK(syscall(SYS_get_robust_list, gettid(), &head, &len) == 0);
    printf("by own tid: ours %d\n", head == &mine);

    pthread_t t;
    CHECK(pthread_barrier_init(&barrier, NULL, 2) == 0);
    CHECK(pthread_create(&t, NULL, sibling, NULL) == 0);
    pthread_barrier_wait(&barrier);
    CHECK(syscall(SYS_get_robust_list, sibling_tid, &head, &len) == 0);
    printf("sibling's: its own %d\n", head == &sibling_head);
    pthread_barrier_wait(&barrier);
    CHECK(pthread_join(t, NULL) == 0);

    SHOW("no such thread", syscall(SYS_get_robust_list, 0x3ffffff0, &head, &len));
    SHOW("bad head pointer", syscall(SYS_get_robust_list, 0, (void *)8, &len));
    SHOW("bad len pointer", syscall(SYS_get_robust_list, 0, &head, (void *)8));
    SHOW("set, wrong length", syscall(SYS_set_robust_list, &mine, 8));
}

static void comparisons(void) {
    pid_t me = getpid();
    int fd = open("/dev/null", O_RDONLY);
    int other = open("/dev/null", O_RDONLY);
    int dup_fd = dup(fd);
    CHECK(fd >= 0 && other >= 0 && dup_fd >= 0);
    SHOW("file: dup", kcmp(me, me, KCMP_FILE, fd, dup_fd));
    printf("file: another open differs %d\n", kcmp(me, me, KCMP_FILE, fd, other) > 0);
    SHOW("file: bad descriptor", kcmp(me, me, KCMP_FILE, fd, 999));
    SHOW("vm: self", kcmp(me, me, KCMP_VM, 0, 0));
    SHOW("bad type", kcmp(me, me, 99, 0, 0));
    fflush(stdout);
    pid_t child = fork();
    CHECK(child >= 0);
    if (child == 0) {
        pause();
        _exit(0);
    }
    printf("fork: vm differs %d\n", kcmp(me, child, KCMP_VM, 0, 0) > 0);
    printf("fork: files differ %d\n", kcmp(me, child, KCMP_FILES, 0, 0) > 0);
    printf("fork: sighand differs %d\n", kcmp(me, child, KCMP_SIGHAND, 0, 0) > 0);
    SHOW("fork: inherited descriptor is the same file", kcmp(me, child, KCMP_FILE, fd, fd));
    kill(child, SIGKILL);
    CHECK(waitpid(child, NULL, 0) == child);
}

int main(void) {
    robust_lists();
    comparisons();
    return 0;
}
