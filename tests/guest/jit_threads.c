/* Code patched by one thread while others run it, as a JIT with background threads
 * does. riscv_flush_icache without the LOCAL flag makes the new code visible to every
 * thread before it returns, so a thread that learns of a patch through memory (an
 * acquire load of the published version) and then calls the function runs the new
 * code, never the old. Also: two threads patching their own functions in one page,
 * each flushing only its own bytes, each checking the other's function as it runs; and
 * a thread that patches and flushes with the LOCAL flag running its own new code. */
#define _GNU_SOURCE
#include "check.h"
#include "jit.h"
#include <pthread.h>
#include <stdatomic.h>
#include <sys/mman.h>

#define VERSIONS 300
#define PATCHES 2000

static uint32_t *code;
static atomic_int published;
static atomic_int stale_seen;

static void *reader(void *arg) {
    (void)arg;
    int v = 0;
    while (v < VERSIONS) {
        int want = atomic_load_explicit(&published, memory_order_acquire);
        v = (int)as_fn(code)();
        if (v < want)
            atomic_fetch_add(&stale_seen, 1);
    }
    return NULL;
}

static void readers_see_each_flush(void) {
    emit_const_fn(code, 0);
    fence_i();
    pthread_t t[2];
    for (int i = 0; i < 2; i++)
        CHECK(pthread_create(&t[i], NULL, reader, NULL) == 0);
    for (int v = 1; v <= VERSIONS; v++) {
        code[0] = enc_addi(REG_A0, REG_ZERO, v);
        if (v % 2)
            FLUSH_ICACHE(code, code + 1, 0);
        else
            __builtin___clear_cache((char *)code, (char *)(code + 1));
        atomic_store_explicit(&published, v, memory_order_release);
        /* Give the readers a chance to run each version. */
        if (v % 16 == 0)
            sched_yield();
    }
    for (int i = 0; i < 2; i++)
        CHECK(pthread_join(t[i], NULL) == 0);
    printf("readers: %d versions, stale code seen after a flush: %d\n", VERSIONS,
           atomic_load(&stale_seen));
}

/* Each of two threads owns a function in the same page: slot 64 + 16 * id. It writes
 * a new value, flushes those bytes only, runs it, and publishes the value; it also runs
 * the other's function, whose value must be at least what the other published. */
static atomic_int last_value[2];
static atomic_int errors;

static void *patcher(void *arg) {
    int id = (int)(long)arg;
    uint32_t *mine = code + 64 + 16 * id, *theirs = code + 64 + 16 * (1 - id);
    for (int k = 1; k <= PATCHES; k++) {
        int value = k;
        mine[0] = enc_addi(REG_A0, REG_ZERO, value);
        FLUSH_ICACHE(mine, mine + 1, id ? FLUSH_ICACHE_LOCAL : 0);
        if (as_fn(mine)() != value)
            atomic_fetch_add(&errors, 1);
        atomic_store_explicit(&last_value[id], value, memory_order_release);
        int floor = atomic_load_explicit(&last_value[1 - id], memory_order_acquire);
        long theirs_now = as_fn(theirs)();
        /* The other thread's flush (without LOCAL) reached this thread; with LOCAL it
         * need not have, so only thread 1 checks thread 0's function. */
        if (id == 1 && theirs_now < floor)
            atomic_fetch_add(&errors, 1);
    }
    return NULL;
}

static void two_patchers_one_page(void) {
    emit_const_fn(code + 64, 0);
    emit_const_fn(code + 80, 0);
    fence_i();
    pthread_t t[2];
    for (long i = 0; i < 2; i++)
        CHECK(pthread_create(&t[i], NULL, patcher, (void *)i) == 0);
    for (int i = 0; i < 2; i++)
        CHECK(pthread_join(t[i], NULL) == 0);
    printf("two patchers: %d patches each, errors %d, last values %ld %ld\n", PATCHES,
           atomic_load(&errors), as_fn(code + 64)(), as_fn(code + 80)());
}

int main(void) {
    code = mmap(NULL, 4096, PROT_READ | PROT_WRITE | PROT_EXEC, MAP_PRIVATE | MAP_ANONYMOUS, -1,
                0);
    CHECK(code != MAP_FAILED);
    readers_see_each_flush();
    two_patchers_one_page();
    return 0;
}
