/* Shared by the stress programs: the seed and round count from the command line, a
 * small per-thread random generator, and a watchdog-friendly way of waiting.
 *
 * Every stress program takes `SEED ROUNDS` and prints only what does not depend on the
 * seed or on how the threads interleaved (counts fixed by ROUNDS, checksums, exit
 * statuses); the seed only changes the choices and timing, so one expected output
 * holds for every seed. Anything that went wrong is a CHECK failure on stderr. */
#ifndef STRESS_H
#define STRESS_H

#define _GNU_SOURCE
#include "check.h"
#include <pthread.h>
#include <sched.h>
#include <stdint.h>
#include <stdlib.h>
#include <time.h>

static unsigned long stress_seed = 1;
static int stress_rounds = 100;

/* Reads `SEED ROUNDS` (both optional). */
static inline void stress_args(int argc, char **argv) {
    if (argc > 1)
        stress_seed = strtoul(argv[1], NULL, 0);
    if (argc > 2)
        stress_rounds = atoi(argv[2]);
    CHECK(stress_rounds > 0);
}

/* xorshift64*, one state per thread. */
typedef struct {
    uint64_t s;
} rng_t;

static inline rng_t rng_for(unsigned long stream) {
    rng_t r = {(stress_seed + 1) * 0x9e3779b97f4a7c15ull ^ (stream * 0xbf58476d1ce4e5b9ull)};
    if (r.s == 0)
        r.s = 1;
    return r;
}

static inline uint64_t rng_next(rng_t *r) {
    r->s ^= r->s >> 12;
    r->s ^= r->s << 25;
    r->s ^= r->s >> 27;
    return r->s * 0x2545f4914f6cdd1dull;
}

static inline unsigned rng_below(rng_t *r, unsigned n) {
    return (unsigned)(rng_next(r) >> 33) % n;
}

/* Sleeps `us` microseconds (restarted after signal handlers). */
static inline void sleep_us(long us) {
    struct timespec t = {us / 1000000, (us % 1000000) * 1000};
    while (nanosleep(&t, &t) != 0)
        ;
}

/* Seconds since the first call, to bound waits that depend on another thread. */
static inline double elapsed_s(void) {
    static struct timespec start;
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    if (start.tv_sec == 0 && start.tv_nsec == 0)
        start = now;
    return (double)(now.tv_sec - start.tv_sec) + (now.tv_nsec - start.tv_nsec) / 1e9;
}

/* Spins (yielding) until `cond` holds; a CHECK failure after 20 s, so that a lost
 * wake-up shows as a message naming the line rather than as a hang. */
#define WAIT_UNTIL(cond)                                                       \
    do {                                                                       \
        double wait_start_ = elapsed_s();                                      \
        while (!(cond)) {                                                      \
            CHECK(elapsed_s() - wait_start_ < 20.0 && "waited too long");      \
            sched_yield();                                                     \
        }                                                                      \
    } while (0)

#endif
