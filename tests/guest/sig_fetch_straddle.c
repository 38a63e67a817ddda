/* A 32-bit instruction whose second half lies on a page that cannot be fetched faults
 * with si_addr naming that page, not the instruction (the privileged spec's faulting
 * address of a variable-length instruction, which Linux reports), SEGV_MAPERR when the
 * page is unmapped and SEGV_ACCERR when it is mapped without execute permission, while
 * the pc names the instruction. A 16-bit instruction in the same place runs, and the
 * fetch after it faults. */
#define _GNU_SOURCE
#include "check.h"
#include <setjmp.h>
#include <signal.h>
#include <stdint.h>
#include <string.h>
#include <sys/mman.h>
#include <ucontext.h>
#include <unistd.h>

static sigjmp_buf env;
static volatile uintptr_t fault_addr, fault_pc;
static volatile int fault_code;

static void jump_out(int sig, siginfo_t *si, void *ucv) {
    ucontext_t *uc = ucv;
    (void)sig;
    fault_code = si->si_code;
    fault_addr = (uintptr_t)si->si_addr;
    fault_pc = uc->uc_mcontext.__gregs[REG_PC];
    siglongjmp(env, 1);
}

/* Runs `parcel` placed in the last two bytes of a code page whose next page is
 * unmapped (next_prot < 0) or mapped with next_prot; reports the fault relative to the
 * next page. */
static void run_at_page_end(const char *what, uint16_t parcel, int next_prot) {
    long page = sysconf(_SC_PAGESIZE);
    char *p = mmap(NULL, 3 * page, PROT_READ | PROT_WRITE | PROT_EXEC,
                   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    CHECK(p != MAP_FAILED);
    char *next = p + page;
    if (next_prot < 0)
        CHECK(munmap(next, page) == 0);
    else
        CHECK(mprotect(next, page, next_prot) == 0);
    memcpy(next - 2, &parcel, 2);
    __asm__ volatile("fence.i" ::: "memory");
    fault_addr = fault_pc = 0;
    if (sigsetjmp(env, 1) == 0) {
        ((void (*)(void))(next - 2))();
        puts("not reached");
    }
    printf("%s: %s si_addr next%+ld pc next%+ld\n", what,
           fault_code == SEGV_MAPERR   ? "SEGV_MAPERR"
           : fault_code == SEGV_ACCERR ? "SEGV_ACCERR"
                                       : "other",
           (long)(fault_addr - (uintptr_t)next), (long)(fault_pc - (uintptr_t)next));
    munmap(p, 3 * page);
}

int main(void) {
    struct sigaction sa = {0};
    sa.sa_sigaction = jump_out;
    sa.sa_flags = SA_SIGINFO;
    CHECK(sigaction(SIGSEGV, &sa, NULL) == 0);
    setvbuf(stdout, NULL, _IONBF, 0);

    /* 0x0513: the low half of addi a0, a0, ... ; 0x0001: c.nop */
    run_at_page_end("addi, next page unmapped", 0x0513, -1);
    run_at_page_end("addi, next page PROT_NONE", 0x0513, PROT_NONE);
    run_at_page_end("addi, next page not executable", 0x0513, PROT_READ | PROT_WRITE);
    run_at_page_end("c.nop, next page unmapped", 0x0001, -1);
    run_at_page_end("c.nop, next page PROT_NONE", 0x0001, PROT_NONE);
    return 0;
}
