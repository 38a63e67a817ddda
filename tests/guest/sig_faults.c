/* Synchronous faults reach guest handlers with the exact pc and si_addr: SIGSEGV on a
 * null, an unmapped, a read-only and a non-executable address (recovered by
 * siglongjmp, or by fixing the mapping and returning), SIGILL and SIGTRAP (skipped by
 * advancing the pc in the ucontext), SIGBUS on a misaligned atomic. */
#define _GNU_SOURCE
#include "check.h"
#include <setjmp.h>
#include <signal.h>
#include <stdint.h>
#include <sys/mman.h>
#include <ucontext.h>
#include <unistd.h>

static sigjmp_buf env;
static volatile uintptr_t fault_addr, fault_pc;
static volatile int fault_sig, fault_code;
static char *fix_page;

static void jump_out(int sig, siginfo_t *si, void *ucv) {
    ucontext_t *uc = ucv;
    fault_sig = sig;
    fault_code = si->si_code;
    fault_addr = (uintptr_t)si->si_addr;
    fault_pc = uc->uc_mcontext.__gregs[REG_PC];
    siglongjmp(env, 1);
}

static void make_writable(int sig, siginfo_t *si, void *ucv) {
    (void)ucv;
    fault_sig = sig;
    fault_code = si->si_code;
    fault_addr = (uintptr_t)si->si_addr;
    CHECK(mprotect(fix_page, 4096, PROT_READ | PROT_WRITE) == 0);
}

static void skip_insn(int sig, siginfo_t *si, void *ucv) {
    ucontext_t *uc = ucv;
    fault_sig = sig;
    fault_code = si->si_code;
    fault_addr = (uintptr_t)si->si_addr;
    fault_pc = uc->uc_mcontext.__gregs[REG_PC];
    uc->uc_mcontext.__gregs[REG_PC] += 4;
}

static void handle(int sig, void (*h)(int, siginfo_t *, void *)) {
    struct sigaction sa = {0};
    sa.sa_sigaction = h;
    sa.sa_flags = SA_SIGINFO;
    CHECK(sigaction(sig, &sa, NULL) == 0);
}

static const char *code_name(int sig, int code) {
    if (sig == SIGSEGV && code == SEGV_MAPERR) return "SEGV_MAPERR";
    if (sig == SIGSEGV && code == SEGV_ACCERR) return "SEGV_ACCERR";
    if (sig == SIGILL && code == ILL_ILLOPC) return "ILL_ILLOPC";
    if (sig == SIGTRAP && code == TRAP_BRKPT) return "TRAP_BRKPT";
    if (sig == SIGBUS && code == BUS_ADRALN) return "BUS_ADRALN";
    return "other";
}

static void report(const char *what, uintptr_t want_addr) {
    printf("%s: sig %d %s addr-ok %d\n", what, fault_sig, code_name(fault_sig, fault_code),
           fault_addr == want_addr);
}

int main(void) {
    handle(SIGSEGV, jump_out);
    if (sigsetjmp(env, 1) == 0) {
        *(volatile int *)0x10 = 1;
        puts("not reached");
    }
    report("null store", 0x10);

    char *ro = mmap(NULL, 8192, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    CHECK(ro != MAP_FAILED);
    if (sigsetjmp(env, 1) == 0) {
        ro[4100] = 1;
        puts("not reached");
    }
    report("read-only store", (uintptr_t)ro + 4100);

    CHECK(munmap(ro + 4096, 4096) == 0);
    if (sigsetjmp(env, 1) == 0) {
        (void)*(volatile char *)(ro + 5000);
        puts("not reached");
    }
    report("unmapped load", (uintptr_t)ro + 5000);

    /* Jumping to a non-executable page faults at the target. */
    if (sigsetjmp(env, 1) == 0) {
        ((void (*)(void))ro)();
        puts("not reached");
    }
    report("exec of data", (uintptr_t)ro);
    printf("exec pc is target %d\n", fault_pc == (uintptr_t)ro);

    /* The mask is restored by siglongjmp(savemask=1): SIGSEGV still works repeatedly. */
    for (int i = 0; i < 3; i++) {
        if (sigsetjmp(env, 1) == 0)
            *(volatile int *)(uintptr_t)(0x100 + i) = 1;
    }
    report("third null store", 0x102);

    /* A handler that fixes the mapping and returns: the store is retried. */
    fix_page = mmap(NULL, 4096, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    handle(SIGSEGV, make_writable);
    fix_page[12] = 42;
    report("fixed store", (uintptr_t)fix_page + 12);
    printf("value after retry %d\n", fix_page[12]);

    /* SIGILL and SIGTRAP at the exact pc; the handler skips the instruction. */
    handle(SIGILL, skip_insn);
    uintptr_t here;
    __asm__ volatile("lla %0, 1f\n1: .word 0x00000000" : "=r"(here));
    report("illegal", here);
    printf("illegal pc ok %d\n", fault_pc == here);
    handle(SIGTRAP, skip_insn);
    __asm__ volatile("lla %0, 1f\n1: .option push\n.option norvc\nebreak\n.option pop" : "=r"(here));
    report("ebreak", here);
    printf("ebreak pc ok %d\n", fault_pc == here);

    /* SIGBUS for a misaligned atomic. */
    handle(SIGBUS, jump_out);
    static uint64_t words[2];
    uintptr_t odd = (uintptr_t)words + 2;
    if (sigsetjmp(env, 1) == 0) {
        __asm__ volatile("amoadd.w zero, zero, (%0)" ::"r"(odd) : "memory");
        puts("not reached");
    }
    report("misaligned amo", odd);
    return 0;
}
