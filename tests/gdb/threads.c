/* A threaded program to debug under `vm run --gdb` (crates/vm-cli/tests/gdb_stub.rs):
 * two workers started one after the other, each calling a function to break in once the
 * main thread sleeps in pthread_join (read from /proc, so that where gdb finds the main
 * thread is the same in every run). With an argument, the main thread and one other
 * count in a loop forever instead, each in its own counter (for Ctrl-C). */
#include <pthread.h>
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

int main(int argc, char **argv) {
    (void)argv;
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
