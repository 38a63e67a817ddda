/* Mapping changes racing accesses. Two threads remap the pages of a small region at
 * random (munmap; mmap anonymous memory and fill it; mmap code from a memfd, private,
 * readable and executable; mprotect to nothing or back to read-write; madvise(MADV_DONTNEED);
 * mremap away and back) while three threads load from, store to, atomically update and
 * call into those pages. On Linux every access either happens, seeing only what some
 * mapping of that page could hold, or raises SIGSEGV on the accessing thread with
 * si_addr the address it touched (for a call, the function's address); the handler
 * leaves with siglongjmp. Nothing else may happen: no other signal, no other value, no
 * death of the process.
 *
 * ZEROED_CODE: one divergence is accepted, a call that raises SIGILL at the function
 * (an executable page of zeros). vm's mremap moves a private file page as an anonymous
 * copy, which MADV_DONTNEED then zeroes where Linux reads the file again.
 *
 * STORE_RACE: no store goes to word 0, the code. vm checks a store's permission and
 * then makes it, so a store that passed its check just before another thread mapped
 * code over the page lands in the new mapping (which Linux never allows), turning the
 * code into data (a known gap: closing it needs the other threads held still while
 * a mapping changes).
 *
 * Page p only ever holds (per 8-byte word): zero, MAGIC(p), or at word 0 the two
 * instructions `li a0, p + 1; ret` (CODE(p)), which a call returns through. */
#include "stress.h"
#include "jit.h"
#include <setjmp.h>
#include <signal.h>
#include <sys/mman.h>
#include <unistd.h>

#ifndef NMUT
#define NMUT 2
#endif
#define NPAGES 12
#define PAGE 4096
#define WORDS (PAGE / 8)
#define MAGIC(p) (0x5a5a000000000000ull | ((uint64_t)(p) << 8) | 0xa5)

static char *region, *spare;
static int codefd;
static uint64_t code_word[NPAGES];
static volatile int stop;

static __thread sigjmp_buf env;
static __thread volatile uintptr_t expect_addr;
static __thread volatile unsigned long bad_addr, bad_sig, last_bad, last_sig;

static void on_fault(int sig, siginfo_t *si, void *uc) {
    (void)uc;
    if (sig == SIGILL && (uintptr_t)si->si_addr == expect_addr && expect_addr % PAGE == 0)
        ; /* vm only: see ZEROED_CODE */
    else if (sig != SIGSEGV)
        bad_sig++, last_sig = sig, last_bad = (uintptr_t)si->si_addr;
    else if ((uintptr_t)si->si_addr != expect_addr)
        bad_addr++, last_bad = (uintptr_t)si->si_addr;
    siglongjmp(env, 1);
}

static void fill(int p) {
    volatile uint64_t *w = (volatile uint64_t *)(region + (long)p * PAGE);
    /* May fault if another mutator changed the page meanwhile: that is fine. */
    if (sigsetjmp(env, 1) == 0) {
        expect_addr = (uintptr_t)&w[1];
        w[1] = MAGIC(p);
        expect_addr = (uintptr_t)&w[WORDS - 1];
        w[WORDS - 1] = MAGIC(p);
    }
}

static void *mutator(void *arg) {
    rng_t r = rng_for((uintptr_t)arg);
    long ops = (long)stress_rounds * 40;
    for (long i = 0; i < ops; i++) {
        int p = rng_below(&r, NPAGES);
        int n = 1 + rng_below(&r, 3);
        if (p + n > NPAGES)
            n = NPAGES - p;
        char *at = region + (long)p * PAGE;
        size_t len = (size_t)n * PAGE;
        switch (rng_below(&r, 8)) {
        case 0:
            CHECK(munmap(at, len) == 0);
            break;
        case 1:
            CHECK(mmap(at, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED,
                       -1, 0) == at);
            for (int q = p; q < p + n; q++)
                fill(q);
            break;
        case 2:
            CHECK(mmap(at, len, PROT_READ | PROT_EXEC, MAP_PRIVATE | MAP_FIXED, codefd,
                       (off_t)p * PAGE) == at);
            break;
        case 3:
            mprotect(at, len, PROT_NONE); /* ENOMEM over a hole */
            break;
        case 4:
            mprotect(at, len, PROT_READ | PROT_WRITE);
            break;
        case 5:
            madvise(at, len, MADV_DONTNEED);
            break;
        case 6: {
            /* Away and back; fails (EFAULT) when the range spans several mappings. */
            char *away = spare + (long)p * PAGE;
            if (mremap(at, len, len, MREMAP_MAYMOVE | MREMAP_FIXED, away) == away)
                mremap(away, len, len, MREMAP_MAYMOVE | MREMAP_FIXED, at);
            break;
        }
        default:
            sched_yield();
        }
    }
    return NULL;
}

static void *accessor(void *arg) {
    rng_t r = rng_for(100 + (uintptr_t)arg);
    unsigned long iterations = 0;
    while (!stop) {
        int p = rng_below(&r, NPAGES);
        int w = rng_below(&r, 4) == 0 ? 0 : (int)rng_below(&r, WORDS);
        volatile uint64_t *word = (volatile uint64_t *)(region + (long)p * PAGE) + w;
        unsigned kind = rng_below(&r, 4);
        iterations++;
        if (sigsetjmp(env, 1) != 0)
            continue;
        if (kind == 0) {
            expect_addr = (uintptr_t)word;
            uint64_t v = *word;
            CHECK(v == 0 || v == MAGIC(p) || (w == 0 && v == code_word[p]));
        } else if (kind == 1) {
            if (w == 0)
                continue; /* see STORE_RACE */
            expect_addr = (uintptr_t)word;
            *word = MAGIC(p);
        } else if (kind == 2) {
            expect_addr = (uintptr_t)word;
            uint64_t v = __atomic_fetch_or(word, 0, __ATOMIC_SEQ_CST);
            CHECK(v == 0 || v == MAGIC(p) || (w == 0 && v == code_word[p]));
        } else {
            jit_fn fn = (jit_fn)(region + (long)p * PAGE);
            expect_addr = (uintptr_t)fn;
            long got = fn();
            expect_addr = 0;
            CHECK(got == p + 1);
        }
    }
    if (bad_sig != 0)
        fprintf(stderr, "signal %lu at %#lx (expected SIGSEGV at %#lx)\n", last_sig, last_bad,
                expect_addr);
    CHECK(bad_sig == 0);
    if (bad_addr != 0)
        fprintf(stderr, "wrong si_addr %#lx (%lu times)\n", last_bad, bad_addr);
    CHECK(bad_addr == 0);
    return (void *)iterations;
}

int main(int argc, char **argv) {
    stress_args(argc, argv);
    struct sigaction sa = {.sa_sigaction = on_fault, .sa_flags = SA_SIGINFO | SA_NODEFER};
    sigemptyset(&sa.sa_mask);
    CHECK(sigaction(SIGSEGV, &sa, NULL) == 0);
    CHECK(sigaction(SIGBUS, &sa, NULL) == 0);
    CHECK(sigaction(SIGILL, &sa, NULL) == 0);

    codefd = memfd_create("stress-code", 0);
    CHECK(codefd >= 0);
    static uint32_t image[NPAGES][PAGE / 4];
    for (int p = 0; p < NPAGES; p++) {
        emit_const_fn(image[p], p + 1);
        memcpy(&code_word[p], image[p], 8);
    }
    CHECK(write(codefd, image, sizeof image) == sizeof image);

    /* Both areas reserved up front, so that nothing else is ever placed in them. */
    region = mmap(NULL, 2 * NPAGES * PAGE, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    CHECK(region != MAP_FAILED);
    spare = region + NPAGES * PAGE;

    pthread_t mut[NMUT], acc[3];
    for (long i = 0; i < 3; i++)
        CHECK(pthread_create(&acc[i], NULL, accessor, (void *)i) == 0);
    for (long i = 0; i < NMUT; i++)
        CHECK(pthread_create(&mut[i], NULL, mutator, (void *)i) == 0);
    for (int i = 0; i < NMUT; i++)
        CHECK(pthread_join(mut[i], NULL) == 0);
    stop = 1;
    for (int i = 0; i < 3; i++) {
        void *n;
        CHECK(pthread_join(acc[i], &n) == 0);
        CHECK(n != NULL);
    }
    printf("mem: %d rounds, 2 mutators, 3 accessors: every access ok or SIGSEGV at its "
           "address\n",
           stress_rounds);
    return 0;
}
