/* Guest threads (pthreads over clone(CLONE_VM | CLONE_THREAD ...)): creation and join
 * with return values, thread ids, thread-local storage, a mutex-protected counter, AMOs
 * and LR/SC loops racing between threads, condition variables (a producer/consumer
 * queue and a timed wait that times out), a barrier, a rwlock, pthread_once, detached
 * threads signalling a semaphore, and a thread-specific key's destructor. Everything is
 * printed by the main thread after the joins, so the output is deterministic. */
#define _GNU_SOURCE
#include "check.h"
#include <errno.h>
#include <pthread.h>
#include <semaphore.h>
#include <stdatomic.h>
#include <stdint.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#define THREADS 4
#define ROUNDS 20000

static pthread_mutex_t mutex = PTHREAD_MUTEX_INITIALIZER;
static long locked_counter;
static atomic_long amo_counter;
static _Atomic uint32_t cas_counter;
static __thread long tls_value = 5;
static pid_t tids[THREADS];
static pid_t pids[THREADS];

static void *worker(void *arg) {
    long id = (long)arg;
    tids[id] = (pid_t)syscall(SYS_gettid);
    pids[id] = getpid();
    tls_value += id; /* each thread starts from the initial image: 5 */
    for (int i = 0; i < ROUNDS; i++) {
        pthread_mutex_lock(&mutex);
        locked_counter++;
        pthread_mutex_unlock(&mutex);
        atomic_fetch_add(&amo_counter, 1);
        uint32_t seen = atomic_load(&cas_counter);
        while (!atomic_compare_exchange_weak(&cas_counter, &seen, seen + 1)) {
        }
    }
    return (void *)(tls_value * 100);
}

/* A bounded queue: one producer, two consumers. */
#define QUEUE 4
static int queue[QUEUE];
static int q_head, q_len, produced_all;
static pthread_cond_t not_empty = PTHREAD_COND_INITIALIZER;
static pthread_cond_t not_full = PTHREAD_COND_INITIALIZER;
static long consumed_sum[2];

static void *producer(void *arg) {
    (void)arg;
    for (int i = 1; i <= 1000; i++) {
        pthread_mutex_lock(&mutex);
        while (q_len == QUEUE)
            pthread_cond_wait(&not_full, &mutex);
        queue[(q_head + q_len++) % QUEUE] = i;
        pthread_cond_signal(&not_empty);
        pthread_mutex_unlock(&mutex);
    }
    pthread_mutex_lock(&mutex);
    produced_all = 1;
    pthread_cond_broadcast(&not_empty);
    pthread_mutex_unlock(&mutex);
    return NULL;
}

static void *consumer(void *arg) {
    long id = (long)arg;
    for (;;) {
        pthread_mutex_lock(&mutex);
        while (q_len == 0 && !produced_all)
            pthread_cond_wait(&not_empty, &mutex);
        if (q_len == 0) {
            pthread_mutex_unlock(&mutex);
            return NULL;
        }
        int v = queue[q_head];
        q_head = (q_head + 1) % QUEUE;
        q_len--;
        pthread_cond_signal(&not_full);
        pthread_mutex_unlock(&mutex);
        consumed_sum[id] += v;
    }
}

static pthread_barrier_t barrier;
static atomic_int before_barrier, after_barrier_saw;

static void *at_barrier(void *arg) {
    (void)arg;
    atomic_fetch_add(&before_barrier, 1);
    pthread_barrier_wait(&barrier);
    /* Everyone arrived before anyone left. */
    if (atomic_load(&before_barrier) == THREADS)
        atomic_fetch_add(&after_barrier_saw, 1);
    return NULL;
}

static pthread_rwlock_t rwlock = PTHREAD_RWLOCK_INITIALIZER;
static long shared_table[8];

static void *reader_writer(void *arg) {
    long id = (long)arg;
    for (int i = 0; i < 2000; i++) {
        if (i % 10 == (int)id) {
            pthread_rwlock_wrlock(&rwlock);
            for (int k = 0; k < 8; k++)
                shared_table[k]++;
            pthread_rwlock_unlock(&rwlock);
        } else {
            pthread_rwlock_rdlock(&rwlock);
            for (int k = 1; k < 8; k++)
                CHECK(shared_table[k] == shared_table[0]);
            pthread_rwlock_unlock(&rwlock);
        }
    }
    return NULL;
}

static pthread_once_t once = PTHREAD_ONCE_INIT;
static atomic_int once_runs;
static void init_once(void) { atomic_fetch_add(&once_runs, 1); }

static sem_t done;
static atomic_int detached_ran;
static pthread_key_t key;
static atomic_int destructor_runs;
static void destructor(void *v) {
    if ((long)v == 42)
        atomic_fetch_add(&destructor_runs, 1);
}

static void *detached(void *arg) {
    (void)arg;
    pthread_once(&once, init_once);
    pthread_setspecific(key, (void *)42L);
    atomic_fetch_add(&detached_ran, 1);
    sem_post(&done);
    return NULL;
}

int main(void) {
    pthread_t t[THREADS];
    pid_t main_tid = (pid_t)syscall(SYS_gettid);
    CHECK(main_tid == getpid());
    for (long i = 0; i < THREADS; i++)
        CHECK(pthread_create(&t[i], NULL, worker, (void *)i) == 0);
    long sum = 0;
    for (int i = 0; i < THREADS; i++) {
        void *r;
        CHECK(pthread_join(t[i], &r) == 0);
        sum += (long)r;
    }
    int distinct = 1;
    for (int i = 0; i < THREADS; i++) {
        CHECK(pids[i] == getpid());
        if (tids[i] == main_tid || tids[i] <= 0)
            distinct = 0;
        for (int j = 0; j < i; j++)
            if (tids[i] == tids[j])
                distinct = 0;
    }
    printf("counters: locked %ld, amo %ld, lr/sc %u\n", locked_counter,
           (long)atomic_load(&amo_counter), (unsigned)atomic_load(&cas_counter));
    printf("return values sum %ld, main tls %ld, distinct tids %d\n", sum, tls_value, distinct);

    pthread_t p, c[2];
    CHECK(pthread_create(&p, NULL, producer, NULL) == 0);
    for (long i = 0; i < 2; i++)
        CHECK(pthread_create(&c[i], NULL, consumer, (void *)i) == 0);
    pthread_join(p, NULL);
    pthread_join(c[0], NULL);
    pthread_join(c[1], NULL);
    printf("queue: consumed %ld of %d\n", consumed_sum[0] + consumed_sum[1], 1000 * 1001 / 2);

    struct timespec deadline;
    clock_gettime(CLOCK_REALTIME, &deadline);
    deadline.tv_nsec += 20 * 1000 * 1000;
    if (deadline.tv_nsec >= 1000000000) {
        deadline.tv_sec++;
        deadline.tv_nsec -= 1000000000;
    }
    pthread_mutex_lock(&mutex);
    int r = pthread_cond_timedwait(&not_empty, &mutex, &deadline);
    pthread_mutex_unlock(&mutex);
    printf("timed wait: %s\n", r == ETIMEDOUT ? "ETIMEDOUT" : "woken");

    CHECK(pthread_barrier_init(&barrier, NULL, THREADS) == 0);
    for (long i = 0; i < THREADS; i++)
        CHECK(pthread_create(&t[i], NULL, at_barrier, (void *)i) == 0);
    for (int i = 0; i < THREADS; i++)
        pthread_join(t[i], NULL);
    printf("barrier: %d of %d saw everyone\n", atomic_load(&after_barrier_saw), THREADS);

    for (long i = 0; i < THREADS; i++)
        CHECK(pthread_create(&t[i], NULL, reader_writer, (void *)i) == 0);
    for (int i = 0; i < THREADS; i++)
        pthread_join(t[i], NULL);
    printf("rwlock: table %ld\n", shared_table[0]);

    CHECK(sem_init(&done, 0, 0) == 0);
    CHECK(pthread_key_create(&key, destructor) == 0);
    pthread_attr_t attr;
    pthread_attr_init(&attr);
    pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
    for (int i = 0; i < THREADS; i++) {
        pthread_t d;
        CHECK(pthread_create(&d, &attr, detached, NULL) == 0);
    }
    for (int i = 0; i < THREADS; i++)
        sem_wait(&done);
    /* The destructors run as each thread exits, after its sem_post. */
    for (int spin = 0; spin < 1000 && atomic_load(&destructor_runs) < THREADS; spin++)
        usleep(1000);
    printf("detached: %d ran, once ran %d time(s), %d destructors\n",
           atomic_load(&detached_ran), atomic_load(&once_runs), atomic_load(&destructor_runs));
    return 0;
}
