/* Code generated at run time by one thread, as a JIT makes it: functions written into
 * executable memory, run, patched and run again after each way of making the new code
 * visible (fence.i, riscv_flush_icache over exactly the patched bytes, with and without
 * the LOCAL flag, __builtin___clear_cache), while their neighbours in the same page keep
 * running unchanged; a function that crosses a page boundary patched in its second page
 * with only that page's bytes flushed; W^X toggling with mprotect; code unmapped and
 * mapped again at the same address; a page that could not be fetched (read-write,
 * PROT_NONE, or unmapped) made executable by the SIGSEGV handler, after which the
 * faulting call runs, after one fault; and a buffer of many functions regenerated one
 * by one. */
#define _GNU_SOURCE
#include "check.h"
#include "jit.h"
#include <setjmp.h>
#include <signal.h>
#include <sys/mman.h>

static long page;

static uint32_t *map_code(size_t len) {
    void *p = mmap(NULL, len, PROT_READ | PROT_WRITE | PROT_EXEC, MAP_PRIVATE | MAP_ANONYMOUS,
                   -1, 0);
    CHECK(p != MAP_FAILED);
    return p;
}

/* Makes `n` words at `at` visible to instruction fetch in the way numbered `how`. */
static void sync_code(uint32_t *at, int n, int how) {
    switch (how % 4) {
    case 0: fence_i(); break;
    case 1: FLUSH_ICACHE(at, at + n, 0); break;
    case 2: __builtin___clear_cache((char *)at, (char *)(at + n)); break;
    default: FLUSH_ICACHE(at, at + n, FLUSH_ICACHE_LOCAL); break;
    }
}

static void patch_in_place(void) {
    uint32_t *code = map_code(page);
    uint32_t *f = code, *g = code + 16;
    emit_const_fn(g, 77);
    emit_const_fn(f, 0);
    fence_i();
    long sum = 0, g_sum = 0;
    for (int k = 0; k < 3000; k++) {
        int value = k % 2000 - 1000;
        f[0] = enc_addi(REG_A0, REG_ZERO, value);
        sync_code(f, 1, k);
        long got = as_fn(f)();
        if (got != value) {
            printf("patch %d (sync %d): got %ld, want %d\n", k, k % 4, got, value);
            exit(1);
        }
        sum += got;
        g_sum += as_fn(g)();
    }
    printf("patched 3000 times: sum %ld, neighbour sum %ld\n", sum, g_sum);
    munmap(code, page);
}

/* 8 `addi a0, a0, 1` before a page boundary, 8 after, then ret: one block across both
 * pages. Patching one after the boundary and flushing only its bytes must drop it. */
static void patch_across_pages(void) {
    uint32_t *code = map_code(2 * page);
    uint32_t *second = code + page / 4;
    uint32_t *f = second - 8;
    for (int i = 0; i < 16; i++)
        f[i] = enc_addi(REG_A0, REG_A0, 1);
    f[16] = ENC_RET;
    fence_i();
    long (*add)(long) = (long (*)(long))(void *)f;
    long before = add(0);
    second[3] = enc_addi(REG_A0, REG_A0, 100);
    FLUSH_ICACHE(second + 3, second + 4, 0);
    long after = add(0);
    /* And the other way: patch before the boundary, flush only that. */
    f[0] = enc_addi(REG_A0, REG_A0, 1000);
    __builtin___clear_cache((char *)f, (char *)(f + 1));
    long last = add(0);
    printf("across pages: %ld, then %ld, then %ld\n", before, after, last);
    munmap(code, 2 * page);
}

static void write_xor_execute(void) {
    uint32_t *code = mmap(NULL, page, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    CHECK(code != MAP_FAILED);
    long results[4];
    for (int round = 0; round < 4; round++) {
        CHECK(mprotect(code, page, PROT_READ | PROT_WRITE) == 0);
        emit_const_fn(code + round, 10 * round + 1);
        CHECK(mprotect(code, page, PROT_READ | PROT_EXEC) == 0);
        __builtin___clear_cache((char *)code, (char *)(code + 8));
        results[round] = as_fn(code + round)();
    }
    printf("W^X rounds: %ld %ld %ld %ld\n", results[0], results[1], results[2], results[3]);
    munmap(code, page);
}

static void unmap_and_map_again(void) {
    uint32_t *code = map_code(page);
    emit_const_fn(code, 5);
    fence_i();
    long first = as_fn(code)();
    CHECK(munmap(code, page) == 0);
    uint32_t *again = mmap(code, page, PROT_READ | PROT_WRITE | PROT_EXEC,
                           MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0);
    CHECK(again == code);
    emit_const_fn(code, 6);
    __builtin___clear_cache((char *)code, (char *)(code + 2));
    long second = as_fn(code)();
    /* Replaced in place by a new mapping (MAP_FIXED over it). */
    again = mmap(code, page, PROT_READ | PROT_WRITE | PROT_EXEC,
                 MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
    CHECK(again == code);
    emit_const_fn(code, 7);
    __builtin___clear_cache((char *)code, (char *)(code + 2));
    printf("unmapped and mapped again: %ld %ld %ld\n", first, second, as_fn(code)());
    munmap(code, page);
}

static sigjmp_buf env;
static volatile int faults;
/* The page the SIGSEGV handler makes executable (NULL: it jumps out). */
static uint32_t *volatile make_executable;
/* How: mprotect the page there, or map a file holding the code there. */
static volatile int code_fd = -1;

static void on_segv(int sig, siginfo_t *si, void *uc) {
    (void)sig;
    (void)si;
    (void)uc;
    uint32_t *at = make_executable;
    if (++faults < 5 && at) {
        /* No store to code and no flush here: the bytes were written and fenced
         * before, or come from a file, so nothing makes a flush necessary. */
        if (code_fd >= 0)
            CHECK(mmap(at, page, PROT_READ | PROT_EXEC, MAP_PRIVATE | MAP_FIXED, code_fd, 0) ==
                  at);
        else
            CHECK(mprotect(at, page, PROT_READ | PROT_EXEC) == 0);
        return; /* the faulting call runs again, now with code there */
    }
    siglongjmp(env, 1);
}

/* A call faults on a page that cannot be fetched; the handler makes it executable and
 * returns; the call runs. `how`: 0 mprotect of a PROT_READ|PROT_WRITE page that holds
 * code, 1 the same on a PROT_NONE page, 2 a file's code mapped where nothing was. */
static void fault_then_make_executable(int how) {
    static const char *what[] = {"read-write page", "PROT_NONE page", "unmapped page"};
    uint32_t *code = mmap(NULL, page, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    CHECK(code != MAP_FAILED);
    emit_const_fn(code, 40 + how);
    fence_i();
    code_fd = -1;
    if (how == 1) {
        CHECK(mprotect(code, page, PROT_NONE) == 0);
    } else if (how == 2) {
        FILE *f = tmpfile();
        CHECK(f != NULL);
        CHECK(fwrite(code, 1, page, f) == (size_t)page && fflush(f) == 0);
        code_fd = dup(fileno(f));
        fclose(f);
        CHECK(munmap(code, page) == 0);
    }
    faults = 0;
    make_executable = code;
    long got = -1;
    if (sigsetjmp(env, 1) == 0)
        got = as_fn(code)();
    make_executable = NULL;
    printf("%s made executable by the SIGSEGV handler: %ld after %d fault(s)\n", what[how],
           got, faults);
    if (code_fd >= 0)
        close(code_fd);
    munmap(code, page);
}

/* A buffer of many small functions, regenerated one at a time as a JIT recompiles. */
static void many_functions(void) {
    enum { N = 400, SLOT = 4 };
    uint32_t *code = map_code(N * SLOT * 4);
    for (int i = 0; i < N; i++)
        emit_const_fn(code + i * SLOT, i);
    __builtin___clear_cache((char *)code, (char *)(code + N * SLOT));
    long sums[3] = {0, 0, 0};
    for (int round = 0; round < 3; round++) {
        for (int i = 0; i < N; i++)
            sums[round] += as_fn(code + i * SLOT)();
        for (int i = round % 2; i < N; i += 2) {
            emit_const_fn(code + i * SLOT, 2 * i + round + 1);
            FLUSH_ICACHE(code + i * SLOT, code + i * SLOT + 2, 0);
        }
    }
    printf("many functions: %ld %ld %ld\n", sums[0], sums[1], sums[2]);
    munmap(code, N * SLOT * 4);
}

int main(void) {
    page = sysconf(_SC_PAGESIZE);
    struct sigaction sa = {0};
    sa.sa_sigaction = on_segv;
    sa.sa_flags = SA_SIGINFO | SA_NODEFER;
    CHECK(sigaction(SIGSEGV, &sa, NULL) == 0);
    patch_in_place();
    patch_across_pages();
    write_xor_execute();
    unmap_and_map_again();
    for (int how = 0; how < 3; how++)
        fault_then_make_executable(how);
    many_functions();
    return 0;
}
