/* New processes made while other threads are busy. Background threads map and unmap
 * memory, read /proc/self/maps, write fresh code and call it, wait on a semaphore, and
 * send signals to the forking thread, while it makes children with fork, vfork + execve
 * and posix_spawn. Each child must run normally (not hang on a lock some other thread of
 * its parent held at the fork) and end with the status it was given: a forked child
 * maps memory, allocates and runs a thread first; some children start threads and exec
 * from one of them; some start threads and call exit while those create and join more.
 * qemu-user cannot be the reference (it has races of its own with fork and threads):
 * the expected output is written by hand. */
#include "stress.h"
#include "jit.h"
#include <semaphore.h>
#include <signal.h>
#include <spawn.h>
#include <fcntl.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

extern char **environ;

static volatile int stop;
static volatile unsigned long usr1_seen;
static sem_t sem;
static const char *self;

static void on_usr1(int sig) {
    (void)sig;
    usr1_seen++;
}

static void *mapper(void *arg) {
    (void)arg;
    while (!stop) {
        char *p = mmap(NULL, 65536, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
        CHECK(p != MAP_FAILED);
        p[0] = p[65535] = 1;
        CHECK(munmap(p, 65536) == 0);
    }
    return NULL;
}

static void *maps_reader(void *arg) {
    (void)arg;
    static char buf[65536];
    while (!stop) {
        int fd = open("/proc/self/maps", O_RDONLY);
        CHECK(fd >= 0);
        while (read(fd, buf, sizeof buf) > 0)
            ;
        close(fd);
    }
    return NULL;
}

static void *coder(void *arg) {
    (void)arg;
    for (int k = 0; !stop; k = (k + 1) % 2000) {
        uint32_t *code = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
        CHECK(code != MAP_FAILED);
        emit_const_fn(code, k);
        CHECK(mprotect(code, 4096, PROT_READ | PROT_EXEC) == 0);
        __builtin___clear_cache((char *)code, (char *)(code + 2));
        CHECK(((jit_fn)code)() == k);
        CHECK(munmap(code, 4096) == 0);
    }
    return NULL;
}

static void *waiter(void *arg) {
    (void)arg;
    while (!stop)
        while (sem_wait(&sem) != 0)
            CHECK(errno == EINTR);
    return NULL;
}

static void *signaller(void *arg) {
    pthread_t target = *(pthread_t *)arg;
    while (!stop) {
        pthread_kill(target, SIGUSR1);
        sleep_us(200);
    }
    return NULL;
}

static void *spin(void *arg) {
    (void)arg;
    for (;;)
        sched_yield();
}

static void *nothing(void *arg) {
    return arg;
}

static void *churn(void *arg) {
    (void)arg;
    for (;;) {
        pthread_t t;
        if (pthread_create(&t, NULL, nothing, NULL) == 0)
            pthread_join(t, NULL);
    }
}

static void *exec_exit(void *arg) {
    char code[16];
    snprintf(code, sizeof code, "%ld", (long)arg);
    sleep_us(1000);
    execl(self, self, "exit", code, (char *)NULL);
    _exit(126);
}

/* A forked child's life: memory, the heap, a thread, then its status. */
static void forked_child(int status) {
    char *p = mmap(NULL, 1 << 20, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (p == MAP_FAILED)
        _exit(120);
    p[0] = p[(1 << 20) - 1] = 1;
    munmap(p, 1 << 20);
    free(malloc(100000));
    pthread_t t;
    if (pthread_create(&t, NULL, nothing, NULL) != 0 || pthread_join(t, NULL) != 0)
        _exit(121);
    exit(status);
}

/* A child that starts threads, then `how` ends it: exec from a thread, or exit while
 * threads come and go. */
static void threaded_child(int how, int status) {
    pthread_t t;
    for (int i = 0; i < 3; i++)
        pthread_create(&t, NULL, how ? churn : spin, NULL);
    if (how == 0) {
        pthread_create(&t, NULL, exec_exit, (void *)(long)status);
        pause();
    }
    sleep_us(2000);
    exit(status);
}

static int wait_status(pid_t pid) {
    int st;
    CHECK(waitpid(pid, &st, 0) == pid);
    if (!WIFEXITED(st)) {
        fprintf(stderr, "child killed by signal %d\n", WTERMSIG(st));
        return -1;
    }
    return WEXITSTATUS(st);
}

int main(int argc, char **argv) {
    if (argc == 3 && strcmp(argv[1], "exit") == 0)
        return atoi(argv[2]);
    stress_args(argc, argv);
    self = "/proc/self/exe";
    CHECK(sem_init(&sem, 0, 0) == 0);
    struct sigaction sa = {.sa_handler = on_usr1, .sa_flags = SA_RESTART};
    sigemptyset(&sa.sa_mask);
    CHECK(sigaction(SIGUSR1, &sa, NULL) == 0);

    pthread_t main_thread = pthread_self(), bg[5];
    void *(*bodies[5])(void *) = {mapper, maps_reader, coder, waiter, signaller};
    for (int i = 0; i < 5; i++)
        CHECK(pthread_create(&bg[i], NULL, bodies[i], &main_thread) == 0);

    rng_t r = rng_for(0);
    int counts[5] = {0};
    for (int i = 0; i < stress_rounds; i++) {
        int status = i % 100;
        unsigned kind = rng_below(&r, 10);
        kind = kind < 4 ? 0 : kind < 6 ? 1 : kind < 8 ? 2 : kind < 9 ? 3 : 4;
        fflush(NULL);
        pid_t pid;
        if (kind == 0) {
            pid = fork();
            CHECK(pid >= 0);
            if (pid == 0)
                forked_child(status);
        } else if (kind == 1) {
            char code[16];
            snprintf(code, sizeof code, "%d", status);
            pid = vfork();
            CHECK(pid >= 0);
            if (pid == 0) {
                execl(self, self, "exit", code, (char *)NULL);
                _exit(127);
            }
        } else if (kind == 2) {
            char code[16];
            snprintf(code, sizeof code, "%d", status);
            char *args[] = {(char *)self, "exit", code, NULL};
            CHECK(posix_spawn(&pid, self, NULL, NULL, args, environ) == 0);
        } else {
            pid = fork();
            CHECK(pid >= 0);
            if (pid == 0)
                threaded_child(kind - 3, status);
        }
        int got = wait_status(pid);
        if (got != status)
            fprintf(stderr, "round %d (kind %u): status %d, expected %d\n", i, kind, got, status);
        CHECK(got == status);
        counts[kind]++;
        sem_post(&sem);
    }
    stop = 1;
    for (int i = 0; i < 3; i++)
        CHECK(pthread_join(bg[i], NULL) == 0);
    sem_post(&sem);
    CHECK(pthread_join(bg[3], NULL) == 0);
    CHECK(pthread_join(bg[4], NULL) == 0);
    CHECK(counts[0] + counts[1] + counts[2] + counts[3] + counts[4] == stress_rounds);
    printf("fork: %d children (fork, vfork+exec, posix_spawn, exec from a thread, exit "
           "among threads) ended with their status\n",
           stress_rounds);
    return 0;
}
