/* Helpers of the vector test programs: catching the SIGILL or SIGSEGV an instruction
 * raises (with the fault address and the vstart the handler sees), setting and reading
 * the whole vector register file independently of vtype, and short hashes to print.
 *
 * gcc 12 knows no vector register names, so inline asm cannot list them as clobbers;
 * nothing else in these programs uses the vector registers (gcc 12 does not vectorise
 * for V and the static glibc has no vector routines). */
#ifndef RVA23_VMEMTEST_H
#define RVA23_VMEMTEST_H

#include <setjmp.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#define VLENB_MAX 16

static sigjmp_buf vt_jmp;
static volatile int vt_sig;
static volatile uintptr_t vt_addr;
static volatile unsigned long vt_vstart;

static void vt_handler(int sig, siginfo_t *si, void *uc)
{
    unsigned long vs;
    (void)uc;
    __asm__ volatile("csrr %0, vstart" : "=r"(vs));
    vt_sig = sig;
    vt_addr = (uintptr_t)si->si_addr;
    vt_vstart = vs;
    siglongjmp(vt_jmp, 1);
}

static void vt_install(void)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_sigaction = vt_handler;
    sa.sa_flags = SA_SIGINFO | SA_NODEFER;
    sigaction(SIGILL, &sa, 0);
    sigaction(SIGSEGV, &sa, 0);
    sigaction(SIGBUS, &sa, 0);
}

/* Runs STMT; afterwards vt_sig is 0, or the signal it raised (and vstart is reset, so
 * that the next vector instruction starts from element 0). */
#define VT_TRY(STMT)                                          \
    do {                                                      \
        vt_sig = 0;                                           \
        if (sigsetjmp(vt_jmp, 1) == 0) {                      \
            STMT;                                             \
        } else {                                              \
            __asm__ volatile("csrw vstart, zero");            \
        }                                                     \
    } while (0)

static const char *vt_signame(int sig)
{
    return sig == 0 ? "ok" : sig == SIGILL ? "SIGILL" : sig == SIGSEGV ? "SIGSEGV"
         : sig == SIGBUS ? "SIGBUS" : "SIG?";
}

/* The whole register file, 32 registers of VLENB_MAX bytes. */
static uint8_t vt_regs[32 * VLENB_MAX] __attribute__((aligned(16)));

/* Stores v0..v31 into vt_regs (whole-register stores ignore vtype and vl). */
static void vt_save(void)
{
    uint8_t *p = vt_regs;
    __asm__ volatile("vs8r.v v0, (%0)\n\tvs8r.v v8, (%1)\n\tvs8r.v v16, (%2)\n\tvs8r.v v24, (%3)"
                     : : "r"(p), "r"(p + 8 * 16), "r"(p + 16 * 16), "r"(p + 24 * 16) : "memory");
}

/* Loads v0..v31 from vt_regs. */
static void vt_load(void)
{
    uint8_t *p = vt_regs;
    __asm__ volatile("vl8re8.v v0, (%0)\n\tvl8re8.v v8, (%1)\n\tvl8re8.v v16, (%2)\n\tvl8re8.v v24, (%3)"
                     : : "r"(p), "r"(p + 8 * 16), "r"(p + 16 * 16), "r"(p + 24 * 16) : "memory");
}

/* Fills the register file with a pattern that depends on SEED. */
static void vt_fill(unsigned seed)
{
    for (unsigned i = 0; i < sizeof vt_regs; i++)
        vt_regs[i] = (uint8_t)(i * 13 + seed * 101 + 7);
    vt_load();
}

static uint32_t vt_hash(const void *p, size_t n)
{
    const uint8_t *b = p;
    uint32_t h = 2166136261u;
    for (size_t i = 0; i < n; i++)
        h = (h ^ b[i]) * 16777619u;
    return h;
}

/* A hash of the register file as it is now. */
static uint32_t vt_regs_hash(void)
{
    vt_save();
    return vt_hash(vt_regs, sizeof vt_regs);
}

/* Sets vtype from a register (vsetvl) and returns the new vl. */
static unsigned long vt_setvl(unsigned long avl, unsigned long vtype)
{
    unsigned long vl;
    __asm__ volatile("vsetvl %0, %1, %2" : "=r"(vl) : "r"(avl), "r"(vtype));
    return vl;
}

static unsigned long vt_vtype(unsigned sew_log2, int lmul_log2)
{
    return (unsigned long)(sew_log2 << 3) | (unsigned long)(lmul_log2 & 7);
}

static const char *vt_lmul_name(int lmul_log2)
{
    static const char *names[] = {"mf8", "mf4", "mf2", "m1", "m2", "m4", "m8"};
    return names[lmul_log2 + 3];
}

#endif
