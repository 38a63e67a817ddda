/* A threaded program to debug under `vm run --gdb` (crates/vm-cli/tests/gdb_stub.rs):
 * two workers started one after the other, each calling a function to break in once the
 * main thread sleeps in pthread_join (read from /proc, so that where gdb finds the main
 * thread is the same in every run). With the argument `spin`, the main thread and one
 * other count in a loop forever instead, each in its own counter (for Ctrl-C). With
 * `wait`, every thread waits in a system call (for Ctrl-C then): the main thread reads a
 * line from standard input, a worker waits in sigwait for the SIGUSR1 that the main
 * thread sends it once the line came. */
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

int results[3];
volatile unsigned long spins[2];

static void *spinner(void *arg) {
    (void)arg;
    for (;;)
        spins[1]++;
}

static void wait_until_main_sleeps(void) {
    char path[64], stat[512];
    snprintf(path, sizeof path, "/proc/self/task/%d/stat", (int)getpid());
    for (;;) {
        FILE *f = fopen(path, "r");
        size_t n = f ? fread(stat, 1, sizeof stat - 1, f) : 0;
        if (f)
            fclose(f);
        stat[n] = 0;
        char *end = strrchr(stat, ')');
        if (end && end[1] == ' ' && end[2] == 'S')
            return;
        usleep(1000);
    }
}

int work(int id) { return id * 10 + 1; }

static void *worker(void *arg) {
    int id = (int)(long)arg;
    wait_until_main_sleeps();
    results[id] = work(id);
    return NULL;
}

static void *signal_waiter(void *arg) {
    sigset_t *usr1 = arg;
    int sig = 0;
    sigwait(usr1, &sig);
    printf("worker took signal %d\n", sig);
    return NULL;
}

static int wait_in_calls(void) {
    sigset_t usr1;
    sigemptyset(&usr1);
    sigaddset(&usr1, SIGUSR1);
    pthread_sigmask(SIG_BLOCK, &usr1, NULL);
    pthread_t t;
    pthread_create(&t, NULL, signal_waiter, &usr1);
    printf("waiting\n");
    fflush(stdout);
    char line[64];
    ssize_t n = read(0, line, sizeof line - 1);
    if (n < 0) {
        perror("read");
        return 1;
    }
    line[n] = 0;
    printf("read %s", line);
    pthread_kill(t, SIGUSR1);
    pthread_join(t, NULL);
    return 0;
}

int main(int argc, char **argv) {
    if (argc > 1 && strcmp(argv[1], "wait") == 0)
        return wait_in_calls();
    if (argc > 1) {
        pthread_t t;
        pthread_create(&t, NULL, spinner, NULL);
        printf("spins at %p\n", (void *)spins);
        fflush(stdout);
        for (;;)
            spins[0]++;
    }
    for (long i = 1; i <= 2; i++) {
        pthread_t t;
        pthread_create(&t, NULL, worker, (void *)i);
        pthread_join(t, NULL);
    }
    printf("results %d %d\n", results[1], results[2]);
    return 0;
}
