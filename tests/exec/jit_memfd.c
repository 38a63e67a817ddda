/* Code written through one mapping and run through another of the same memory, as JITs
 * that keep W^X with a dual mapping do: a memfd mapped shared twice, read-write and
 * read-execute (and a second read-execute view). Each patch goes through the writable
 * view and is made visible by flushing the executable view's bytes, the writable
 * view's bytes (Linux's riscv_flush_icache flushes the whole instruction cache, so the
 * range names no particular view), the other executable view's, with fence.i and with
 * __builtin___clear_cache; then both executable views run the new code. Checked
 * against Linux's output: qemu 7.2 notices writes to code only through the address it
 * translated it from and ignores riscv_flush_icache, so it keeps running the first
 * version through both executable views. */
#define _GNU_SOURCE
#include "check.h"
#include "jit.h"
#include <sys/mman.h>

int main(void) {
    long page = sysconf(_SC_PAGESIZE);
    int fd = memfd_create("jit", MFD_CLOEXEC);
    CHECK(fd >= 0);
    CHECK(ftruncate(fd, page) == 0);
    uint32_t *rw = mmap(NULL, page, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    uint32_t *rx = mmap(NULL, page, PROT_READ | PROT_EXEC, MAP_SHARED, fd, 0);
    uint32_t *rx2 = mmap(NULL, page, PROT_READ | PROT_EXEC, MAP_SHARED, fd, 0);
    CHECK(rw != MAP_FAILED && rx != MAP_FAILED && rx2 != MAP_FAILED);
    static const char *how[] = {
        "flush exec view", "flush write view", "flush other exec view", "fence.i",
        "clear_cache exec view",
    };
    for (int round = 0; round < 20; round++) {
        int value = 100 + round;
        emit_const_fn(rw, value);
        switch (round % 5) {
        case 0: FLUSH_ICACHE(rx, rx + 2, 0); break;
        case 1: FLUSH_ICACHE(rw, rw + 2, 0); break;
        case 2: FLUSH_ICACHE(rx2, rx2 + 2, FLUSH_ICACHE_LOCAL); break;
        case 3: fence_i(); break;
        default: __builtin___clear_cache((char *)rx, (char *)(rx + 2)); break;
        }
        long a = as_fn(rx)(), b = as_fn(rx2)();
        if (round < 5 || a != value || b != value)
            printf("%s: exec views return %ld %ld (want %d)\n", how[round % 5], a, b, value);
    }
    /* The executable view unmapped and the memfd mapped again in its place at another
     * offset of a grown file. */
    CHECK(ftruncate(fd, 2 * page) == 0);
    uint32_t *rw2 = mmap(NULL, page, PROT_READ | PROT_WRITE, MAP_SHARED, fd, page);
    CHECK(rw2 != MAP_FAILED);
    emit_const_fn(rw2, 7);
    CHECK(mmap(rx, page, PROT_READ | PROT_EXEC, MAP_SHARED | MAP_FIXED, fd, page) == rx);
    __builtin___clear_cache((char *)rx, (char *)(rx + 2));
    printf("remapped at the second page: %ld, other view still %ld\n", as_fn(rx)(),
           as_fn(rx2)());
    return 0;
}
