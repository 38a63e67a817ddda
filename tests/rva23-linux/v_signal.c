/* The vector state in signal frames, checked against Linux's ABI (uapi
 * asm/sigcontext.h, arch/riscv/kernel/signal.c) rather than against qemu, whose
 * linux-user (10.0) saves no vector state in its frames.
 *
 * - A thread that has not used the vector unit gets no vector context: the END header
 *   sits at sc_extdesc.hdr.
 * - After it has, a handler finds RISCV_V_MAGIC there with size 568, then
 *   struct __riscv_v_ext_state (vstart, vl, vtype, vcsr, vlenb, datap) with datap just
 *   after it, 16-byte aligned, the registers there, and the END header after them.
 * - A handler that clobbers every vector register, vl, vtype, vxrm and vstart leaves the
 *   interrupted code's state intact once it returns (the signal arrives in the middle
 *   of an asm block whose vector registers are live across the kill system call).
 * - Changes the handler makes to the saved context are what the code resumes with.
 *
 * Prints "ok ..." lines; any "FAIL" line is a deviation from Linux. */
#include "../rva23/vmemtest.h"
#include <stdlib.h>
#include <ucontext.h>
#include <unistd.h>

#define RISCV_V_MAGIC 0x53465457u
#define SC_EXT_HDR (256 + 520) /* offsetof(struct sigcontext, sc_extdesc.hdr) */

static int failures;
static void check(int ok, const char *what)
{
    printf("%s %s\n", ok ? "ok" : "FAIL", what);
    failures += !ok;
}

static volatile int mode;
static uint8_t expect_regs[32 * VLENB_MAX];
static unsigned long expect_vl, expect_vtype, expect_vcsr;

static void handler(int sig, siginfo_t *si, void *uc_)
{
    (void)sig;
    (void)si;
    ucontext_t *uc = uc_;
    uint8_t *mc = (uint8_t *)&uc->uc_mcontext;
    uint32_t *hdr = (uint32_t *)(mc + SC_EXT_HDR);
    if (mode == 0) {
        check(hdr[-1] == 0, "reserved word is zero");
        check(hdr[0] == 0 && hdr[1] == 0, "no vector context before the unit is used");
        return;
    }
    check(hdr[-1] == 0, "reserved word is zero");
    check(hdr[0] == RISCV_V_MAGIC, "RISCV_V_MAGIC");
    check(hdr[1] == 8 + 48 + 32 * 16, "vector context size 568");
    unsigned long *st = (unsigned long *)(hdr + 2);
    check(st[0] == 0, "vstart 0");
    check(st[1] == expect_vl, "vl");
    check(st[2] == expect_vtype, "vtype");
    check(st[3] == expect_vcsr, "vcsr");
    check(st[4] == 16, "vlenb 16");
    uint8_t *datap = (uint8_t *)st[5];
    check(datap == (uint8_t *)(st + 6), "datap follows the state");
    check(((uintptr_t)datap & 15) == 0, "datap 16-byte aligned");
    check(memcmp(datap, expect_regs, sizeof expect_regs) == 0, "registers at datap");
    uint32_t *end = (uint32_t *)((uint8_t *)hdr + hdr[1]);
    check(end[0] == 0 && end[1] == 0, "END header after the vector context");
    if (mode == 2) {
        /* Edit the saved state: v8's first byte, and vl. */
        datap[8 * 16] = 0x77;
        st[1] = 2;
    }
    /* Clobber the live state. */
    unsigned long vl;
    __asm__ volatile("vsetvli %0, zero, e8, m8, ta, ma" : "=r"(vl));
    __asm__ volatile("vmv.v.i v0, -1\n\tvmv.v.i v8, -1\n\tvmv.v.i v16, -1\n\tvmv.v.i v24, -1");
    __asm__ volatile("csrwi vxrm, 3\n\tcsrwi vxsat, 0\n\tcsrwi vstart, 5");
}

int main(void)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_sigaction = handler;
    sa.sa_flags = SA_SIGINFO;
    sigaction(SIGUSR1, &sa, 0);
    raise(SIGUSR1);

    int32_t a[8] = {1, 2, 3, 4, 5, 6, 7, 8}, out[8] = {0};
    for (mode = 1; mode <= 2; mode++) {
        vt_fill(mode);
        __asm__ volatile("csrwi vxrm, 2\n\tcsrwi vxsat, 1");
        expect_vcsr = 2 << 1 | 1;
        register long a0 __asm__("a0") = getpid();
        register long a1 __asm__("a1") = SIGUSR1;
        register long a7 __asm__("a7") = 129; /* kill */
        unsigned long vl_after, vtype_after, vcsr_after, vstart_after;
        /* vt_fill's registers, then v8 from a[] at e32/m2/vl=5, live across the kill. */
        memcpy(expect_regs, vt_regs, sizeof expect_regs);
        memcpy(expect_regs + 8 * 16, a, 5 * 4);
        expect_vl = 5;
        expect_vtype = 0x51; /* e32, m2, ta, mu */
        __asm__ volatile("vsetivli zero, 5, e32, m2, ta, mu\n\t"
                         "vle32.v v8, (%[a])\n\t"
                         "ecall\n\t"
                         "vadd.vv v8, v8, v8\n\t"
                         "vse32.v v8, (%[out])\n\t"
                         "csrr %[vl], vl\n\tcsrr %[vt], vtype\n\t"
                         "csrr %[vc], vcsr\n\tcsrr %[vs], vstart"
                         : "+r"(a0), [vl] "=&r"(vl_after), [vt] "=&r"(vtype_after),
                           [vc] "=&r"(vcsr_after), [vs] "=&r"(vstart_after)
                         : "r"(a1), "r"(a7), [a] "r"(a), [out] "r"(out)
                         : "memory");
        if (mode == 1) {
            check(vl_after == 5 && vtype_after == 0x51, "vl and vtype restored");
            check(vcsr_after == 5 && vstart_after == 0, "vcsr and vstart restored");
            check(out[0] == 2 && out[4] == 10 && out[5] == 0, "registers restored");
        } else {
            check(vl_after == 2 && vtype_after == 0x51, "vl from the edited frame");
            check(out[0] == 0xee && out[1] == 4 && out[2] == 0, "v8 from the edited frame");
        }
        memset(out, 0, sizeof out);
    }
    printf("%d failures\n", failures);
    return failures != 0;
}
