/* System V IPC: message queues (send, receive by type, truncation, limits, stat and
 * set, blocking receive woken by another process and interrupted by a signal), semaphore
 * sets (setall/getall, per-semaphore values, pids, non-blocking and timed waits, undo on
 * exit, a waiter woken by another process), and shared memory (attach anywhere and at an
 * address, shared with a forked child, read-only attachments, remap, detach, stat).
 * Every object is IPC_PRIVATE, so concurrent runs never meet. Checked against Linux's
 * output: qemu 7.2 accepts SHM_REMAP without an address and reports EFAULT for a bad
 * receive buffer before it finds the queue empty. */
#define _GNU_SOURCE
#include "check.h"
#include <setjmp.h>
#include <signal.h>
#include <stdint.h>
#include <sys/ipc.h>
#include <sys/mman.h>
#include <sys/msg.h>
#include <sys/sem.h>
#include <sys/shm.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

union semun {
    int val;
    struct semid_ds *buf;
    unsigned short *array;
};

struct message {
    long type;
    char text[32];
};

static void on_alarm(int sig) { (void)sig; }

static void report(const char *what, long r) {
    printf("%s: %s\n", what, r == -1 ? errno_name(errno) : "ok");
}

static void queues(void) {
    int q = msgget(IPC_PRIVATE, IPC_CREAT | 0600);
    CHECK(q >= 0);
    struct message m = {1, "hello"};
    CHECK(msgsnd(q, &m, 6, 0) == 0);
    m.type = 2;
    strcpy(m.text, "world");
    CHECK(msgsnd(q, &m, 6, 0) == 0);
    struct msqid_ds ds;
    CHECK(msgctl(q, IPC_STAT, &ds) == 0);
    printf("queue: %lu messages, %lu bytes, mode %o, last sender is me %d, limit set %d\n",
           (unsigned long)ds.msg_qnum, (unsigned long)ds.__msg_cbytes, ds.msg_perm.mode & 0777,
           ds.msg_lspid == getpid(), ds.msg_qbytes > 0);
    struct message got = {0};
    ssize_t n = msgrcv(q, &got, sizeof got.text, 2, 0);
    printf("receive type 2: %zd bytes, type %ld, \"%s\"\n", n, got.type, got.text);
    memset(&got, 0, sizeof got);
    errno = 0;
    n = msgrcv(q, &got, 3, 0, 0);
    printf("receive into 3 bytes: %zd %s\n", n, errno_name(errno));
    n = msgrcv(q, &got, 3, 0, MSG_NOERROR);
    printf("receive into 3 bytes, MSG_NOERROR: %zd, type %ld, \"%.3s\"\n", n, got.type, got.text);
    report("receive from an empty queue, IPC_NOWAIT", msgrcv(q, &got, 32, 0, IPC_NOWAIT));
    m.type = 0;
    report("send type 0", msgsnd(q, &m, 6, 0));
    report("send from a bad address", msgsnd(q, (void *)8, 6, 0));
    report("receive into a bad address", msgrcv(q, (void *)8, 6, 0, IPC_NOWAIT));
    report("stat into a bad address", msgctl(q, IPC_STAT, (void *)8));
    report("unknown command", msgctl(q, 99, &ds));
    ds.msg_perm.mode = 0640;
    CHECK(msgctl(q, IPC_SET, &ds) == 0);
    CHECK(msgctl(q, IPC_STAT, &ds) == 0);
    printf("after IPC_SET: mode %o\n", ds.msg_perm.mode & 0777);
    struct msginfo info;
    int highest = msgctl(0, IPC_INFO, (struct msqid_ds *)&info);
    printf("IPC_INFO: index %d, msgmax %d, msgmnb %d\n", highest >= 0, info.msgmax > 0,
           info.msgmnb > 0);

    /* A receiver blocked until a child sends. */
    fflush(stdout);
    pid_t child = fork();
    CHECK(child >= 0);
    if (child == 0) {
        struct timespec pause = {0, 20000000};
        nanosleep(&pause, NULL);
        struct message c = {7, "from the child"};
        CHECK(msgsnd(q, &c, 15, 0) == 0);
        _exit(0);
    }
    memset(&got, 0, sizeof got);
    n = msgrcv(q, &got, sizeof got.text, 7, 0);
    printf("blocking receive: %zd bytes \"%s\"\n", n, got.text);
    CHECK(waitpid(child, NULL, 0) == child);

    /* A blocked receive interrupted by a handled signal fails with EINTR. */
    struct sigaction sa = {0};
    sa.sa_handler = on_alarm;
    CHECK(sigaction(SIGALRM, &sa, NULL) == 0);
    ualarm(20000, 0);
    report("receive interrupted by SIGALRM", msgrcv(q, &got, 32, 0, 0));

    CHECK(msgctl(q, IPC_RMID, NULL) == 0);
    report("send to a removed queue", msgsnd(q, &m, 6, 0));
}

static void semaphores(void) {
    int s = semget(IPC_PRIVATE, 3, IPC_CREAT | 0600);
    CHECK(s >= 0);
    unsigned short init[3] = {1, 2, 3}, now[3];
    union semun arg = {.array = init};
    CHECK(semctl(s, 0, SETALL, arg) == 0);
    arg.array = now;
    CHECK(semctl(s, 0, GETALL, arg) == 0);
    printf("getall: %u %u %u\n", now[0], now[1], now[2]);
    arg.val = 5;
    CHECK(semctl(s, 0, SETVAL, arg) == 0);
    printf("getval: %d %d\n", semctl(s, 0, GETVAL), semctl(s, 2, GETVAL));
    struct sembuf op = {1, -2, 0};
    CHECK(semop(s, &op, 1) == 0);
    printf("after -2 on #1: %d, last pid is mine %d\n", semctl(s, 1, GETVAL),
           semctl(s, 1, GETPID) == getpid());
    op.sem_flg = IPC_NOWAIT;
    report("-1 on a zero semaphore, IPC_NOWAIT", semop(s, &op, 1));
    op.sem_flg = 0;
    struct timespec brief = {0, 10000000};
    report("-1 on a zero semaphore, 10 ms timeout", semtimedop(s, &op, 1, &brief));
    report("no operations", semop(s, &op, 0));
    report("operations at a bad address", semop(s, (void *)8, 1));
    struct semid_ds ds;
    arg.buf = &ds;
    CHECK(semctl(s, 0, IPC_STAT, arg) == 0);
    printf("stat: %lu semaphores, mode %o\n", (unsigned long)ds.sem_nsems,
           ds.sem_perm.mode & 0777);
    ds.sem_perm.mode = 0640;
    CHECK(semctl(s, 0, IPC_SET, arg) == 0);
    CHECK(semctl(s, 0, IPC_STAT, arg) == 0);
    printf("after IPC_SET: mode %o, still %lu semaphores\n", ds.sem_perm.mode & 0777,
           (unsigned long)ds.sem_nsems);

    /* A waiter woken by a child; the child's SEM_UNDO operation is undone at its exit. */
    fflush(stdout);
    pid_t child = fork();
    CHECK(child >= 0);
    if (child == 0) {
        struct timespec pause = {0, 20000000};
        nanosleep(&pause, NULL);
        struct sembuf up = {1, 1, 0};
        CHECK(semop(s, &up, 1) == 0);
        struct sembuf undo = {2, 10, SEM_UNDO};
        CHECK(semop(s, &undo, 1) == 0);
        _exit(0);
    }
    struct sembuf down = {1, -1, 0};
    CHECK(semop(s, &down, 1) == 0);
    CHECK(waitpid(child, NULL, 0) == child);
    printf("woken by the child; #2 back to %d after its undo\n", semctl(s, 2, GETVAL));
    printf("waiters on #1: %d, zero-waiters: %d\n", semctl(s, 1, GETNCNT), semctl(s, 1, GETZCNT));
    CHECK(semctl(s, 0, IPC_RMID) == 0);
    report("getval of a removed set", semctl(s, 0, GETVAL));
}

static sigjmp_buf env;
static void on_segv(int sig) {
    (void)sig;
    siglongjmp(env, 1);
}

static void shared_memory(void) {
    long page = sysconf(_SC_PAGESIZE);
    int id = shmget(IPC_PRIVATE, 10000, IPC_CREAT | 0600);
    CHECK(id >= 0);
    char *p = shmat(id, NULL, 0);
    CHECK(p != (void *)-1);
    printf("attached page-aligned %d, zero-filled %d\n", ((uintptr_t)p & (page - 1)) == 0,
           p[0] == 0 && p[9999] == 0);
    strcpy(p, "parent");
    struct shmid_ds ds;
    CHECK(shmctl(id, IPC_STAT, &ds) == 0);
    printf("stat: size %zu, attachments %lu, creator is me %d, mode %o\n", ds.shm_segsz,
           (unsigned long)ds.shm_nattch, ds.shm_cpid == getpid(), ds.shm_perm.mode & 0777);

    fflush(stdout);
    pid_t child = fork();
    CHECK(child >= 0);
    if (child == 0) {
        strcpy(p + 5000, "child wrote here");
        char *q = shmat(id, NULL, 0);
        CHECK(q != (void *)-1);
        strcpy(q + 8000, "through its own attachment");
        _exit(0);
    }
    CHECK(waitpid(child, NULL, 0) == child);
    printf("after the child: \"%s\", \"%s\"\n", p + 5000, p + 8000);

    /* A read-only attachment: reads see the data, writes fault, mprotect cannot add
     * write permission. */
    char *ro = shmat(id, NULL, SHM_RDONLY);
    CHECK(ro != (void *)-1);
    printf("read-only attachment reads \"%s\"\n", ro);
    struct sigaction sa = {0};
    sa.sa_handler = on_segv;
    CHECK(sigaction(SIGSEGV, &sa, NULL) == 0);
    if (sigsetjmp(env, 1) == 0) {
        ro[0] = 'X';
        printf("write to the read-only attachment: succeeded\n");
    } else {
        printf("write to the read-only attachment: SIGSEGV\n");
    }
    report("mprotect read-only attachment writable", mprotect(ro, page, PROT_READ | PROT_WRITE));
    CHECK(shmdt(ro) == 0);

    FILE *maps = fopen("/proc/self/maps", "r");
    CHECK(maps != NULL);
    char line[512];
    int sysv = 0;
    while (fgets(line, sizeof line, maps))
        if (strstr(line, "/SYSV00000000 (deleted)") && strstr(line, "rw-s"))
            sysv++;
    fclose(maps);
    printf("/proc/self/maps lines of the segment: %d\n", sysv);

    CHECK(shmdt(p) == 0);
    report("detach again", shmdt(p));
    report("detach a misaligned address", shmdt(p + 1));
    /* Attach at a chosen address (rounded down with SHM_RND), over a mapping only with
     * SHM_REMAP. */
    char *at = shmat(id, p + 100, SHM_RND);
    printf("attach at a rounded address: same place %d, data \"%s\"\n", at == p, at);
    char *anon = mmap(NULL, 3 * page, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    CHECK(anon != MAP_FAILED);
    report("attach over a mapping", (long)shmat(id, anon, 0) == -1 ? -1 : 0);
    char *over = shmat(id, anon, SHM_REMAP);
    printf("attach over it with SHM_REMAP: in place %d, data \"%s\"\n", over == anon, over);
    report("SHM_REMAP without an address", (long)shmat(id, NULL, SHM_REMAP) == -1 ? -1 : 0);
    report("misaligned address", (long)shmat(id, p + 1, 0) == -1 ? -1 : 0);
    CHECK(shmctl(id, IPC_STAT, &ds) == 0);
    printf("attachments now: %lu\n", (unsigned long)ds.shm_nattch);
    CHECK(shmdt(at) == 0 && shmdt(over) == 0);
    report("stat into a bad address", shmctl(id, IPC_STAT, (void *)8));
    CHECK(shmctl(id, IPC_RMID, NULL) == 0);
    report("attach a removed segment", (long)shmat(id, NULL, 0) == -1 ? -1 : 0);
}

int main(void) {
    queues();
    semaphores();
    shared_memory();
    return 0;
}
