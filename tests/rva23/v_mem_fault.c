// cflags: -march=rv64gcv
/* Vector loads and stores that reach an unmapped page: SIGSEGV with the address of the
 * first byte that faults, vstart at the faulting element as the handler reads it, and
 * the elements before it done; fault-only-first loads that shrink vl instead; masked-off
 * elements that never fault; whole-register and mask accesses. */
#include "vmemtest.h"
#include <sys/mman.h>

static uint8_t *page, *guard;

typedef void (*op_fn)(void *, void *);

#define OP(name, text)                                                          \
    static void name(void *p, void *q)                                          \
    {                                                                           \
        __asm__ volatile(text : : "r"(p), "r"(q) : "memory");                   \
    }

OP(le32, "vle32.v v8, (%0)")
OP(le64_m2, "vle64.v v8, (%0)")
OP(se32, "vse32.v v8, (%0)")
OP(se8, "vse8.v v8, (%0)")
OP(le32_m, "vle32.v v8, (%0), v0.t")
OP(se16_m, "vse16.v v8, (%0), v0.t")
OP(lse64, "vlse64.v v8, (%0), %1")
OP(sse16, "vsse16.v v8, (%0), %1")
OP(luxei32, "vluxei32.v v8, (%0), v16")
OP(loxei8, "vloxei8.v v8, (%0), v16")
OP(soxei64, "vsoxei64.v v8, (%0), v16")
OP(suxei16, "vsuxei16.v v8, (%0), v16")
OP(lseg3e16, "vlseg3e16.v v8, (%0)")
OP(sseg3e16, "vsseg3e16.v v8, (%0)")
OP(lsseg2e32, "vlsseg2e32.v v8, (%0), %1")
OP(loxseg4e8, "vloxseg4ei8.v v8, (%0), v16")
OP(le8ff, "vle8ff.v v8, (%0)")
OP(le32ff, "vle32ff.v v8, (%0)")
OP(le64ff_m, "vle64ff.v v8, (%0), v0.t")
OP(lseg2e16ff, "vlseg2e16ff.v v8, (%0)")
OP(l2re32, "vl2re32.v v8, (%0)")
OP(l4re64, "vl4re64.v v8, (%0)")
OP(s2r, "vs2r.v v8, (%0)")
OP(s1r, "vs1r.v v8, (%0)")
OP(lm, "vlm.v v8, (%0)")
OP(sm, "vsm.v v8, (%0)")

static unsigned seed;

/* Sets v16's bytes to offsets OFF[i] of width 1 << EEW_LOG2. */
static void set_index(unsigned eew_log2, const uint64_t *off, unsigned n)
{
    for (unsigned i = 0; i < n; i++)
        memcpy(vt_regs + 16 * VLENB_MAX + (i << eew_log2), &off[i], 1u << eew_log2);
    vt_load();
}

static void run(const char *what, op_fn fn, unsigned long vtype, unsigned long avl,
                long at, long arg)
{
    unsigned long vl, vl_after, vstart_after;
    vl = vt_setvl(avl, vtype);
    for (int i = 0; i < 4096; i++)
        page[i] = (uint8_t)(i * 5 + seed);
    VT_TRY(fn(guard + at, (void *)arg));
    __asm__ volatile("csrr %0, vl; csrr %1, vstart" : "=r"(vl_after), "=r"(vstart_after));
    printf("%-20s vtype=%#lx vl=%lu at=%ld: %s", what, vtype, vl, at, vt_signame(vt_sig));
    if (vt_sig == SIGSEGV)
        printf(" addr=guard%+ld", (long)(vt_addr - (uintptr_t)guard));
    if (vt_sig)
        printf(" vstart=%lu", vt_vstart);
    printf(" vl after=%lu vstart after=%lu regs=%08x mem=%08x\n", vl_after, vstart_after,
           vt_regs_hash(), vt_hash(page, 4096));
}

int main(void)
{
    vt_install();
    /* An unmapped page on either side of the page. */
    uint8_t *region = mmap(0, 3 * 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS,
                           -1, 0);
    if (region == MAP_FAILED)
        return 1;
    page = region + 4096;
    guard = page + 4096;
    munmap(region, 4096);
    munmap(guard, 4096);

    vt_fill(++seed);
    /* Unit stride: fault at element 3, at element 0, one just fitting, one straddling. */
    run("vle32 mid", le32, vt_vtype(2, 1), 8, -12, 0);
    run("vle32 first", le32, vt_vtype(2, 1), 8, 0, 0);
    run("vle32 fits", le32, vt_vtype(2, 1), 8, -32, 0);
    run("vle32 straddle", le32, vt_vtype(2, 1), 8, -30, 0);
    run("vle64 m2 mid", le64_m2, vt_vtype(3, 1), 4, -16, 0);
    vt_fill(++seed);
    run("vse32 mid", se32, vt_vtype(2, 1), 8, -20, 0);
    run("vse8 mid", se8, vt_vtype(0, 1), 32, -17, 0);
    run("vse32 straddle", se32, vt_vtype(2, 1), 8, -22, 0);
    /* Masked: v0 = 0b0101...: elements 1, 3, 5, 7 off. */
    memset(vt_regs, 0x55, VLENB_MAX);
    vt_load();
    run("vle32.m off", le32_m, vt_vtype(2, 1), 8, -28, 0);
    run("vle32.m on", le32_m, vt_vtype(2, 1), 8, -24, 0);
    run("vse16.m off", se16_m, vt_vtype(1, 0), 8, -14, 0);
    run("vse16.m on", se16_m, vt_vtype(1, 0), 8, -12, 0);
    /* Strided, positive and negative. */
    run("vlse64 +", lse64, vt_vtype(3, 1), 4, -40, 16);
    run("vlse64 -", lse64, vt_vtype(3, 1), 4, -4080, -2040);
    run("vsse16 +", sse16, vt_vtype(1, 0), 8, -600, 100);
    run("vlsseg2e32 mid", lsseg2e32, vt_vtype(2, 0), 4, -36, 16);
    /* Indexed (a misaligned element in the unmapped page is left out: qemu reports the
     * address rounded down to the element size there). */
    {
        uint64_t off[8] = {0, 8, 4100, 16, 24, 32, 40, 48};
        vt_fill(++seed);
        set_index(2, off, 8);
        run("vluxei32", luxei32, vt_vtype(2, 1), 8, -64, 0);
        uint64_t off8[8] = {3, 1, 2, 204, 5, 6, 7, 8};
        set_index(0, off8, 8);
        run("vloxei8", loxei8, vt_vtype(3, 1), 4, -100, 0);
        uint64_t off64[4] = {8, 0, 16, 104};
        set_index(3, off64, 4);
        run("vsoxei64", soxei64, vt_vtype(3, 1), 4, -100, 0);
        uint64_t off16[8] = {0, 2, 4, 6, 8, 10, 12, 14};
        set_index(1, off16, 8);
        run("vsuxei16", suxei16, vt_vtype(1, 0), 8, -9, 0);
        uint64_t off4[4] = {0, 4, 8, 12};
        set_index(0, off4, 4);
        run("vloxseg4ei8", loxseg4e8, vt_vtype(0, 0), 4, -14, 0);
    }
    /* Segments: the fault in the middle of a segment. */
    vt_fill(++seed);
    run("vlseg3e16 mid", lseg3e16, vt_vtype(1, 0), 8, -20, 0);
    vt_fill(++seed);
    run("vsseg3e16 mid", sseg3e16, vt_vtype(1, 0), 8, -16, 0);
    /* Fault-only-first. */
    vt_fill(++seed);
    run("vle8ff shrinks", le8ff, vt_vtype(0, 0), 16, -5, 0);
    run("vle8ff first", le8ff, vt_vtype(0, 0), 16, 0, 0);
    run("vle8ff fits", le8ff, vt_vtype(0, 0), 16, -16, 0);
    run("vle32ff shrinks", le32ff, vt_vtype(2, 2), 16, -36, 0);
    memset(vt_regs, 0xaa, VLENB_MAX);
    vt_load();
    run("vle64ff.m shrinks", le64ff_m, vt_vtype(3, 1), 4, -16, 0);
    run("vle64ff.m 0 off", le64ff_m, vt_vtype(3, 1), 4, -8, 0);
    vt_fill(++seed);
    run("vlseg2e16ff fits", lseg2e16ff, vt_vtype(1, 0), 8, -32, 0);
    run("vlseg2e16ff vl=0", lseg2e16ff, vt_vtype(1, 0), 0, 0, 0);
    /* Whole registers and masks. */
    vt_fill(++seed);
    run("vl2re32", l2re32, vt_vtype(0, 0), 1, -20, 0);
    run("vl4re64", l4re64, vt_vtype(0, 0), 1, -40, 0);
    run("vl2re32 vill", l2re32, 1UL << 63, 1, -20, 0);
    run("vs2r", s2r, vt_vtype(0, 0), 1, -24, 0);
    run("vs1r vill", s1r, 1UL << 63, 1, -8, 0);
    run("vlm", lm, vt_vtype(0, 3), 128, -9, 0);
    run("vlm fits", lm, vt_vtype(0, 3), 100, -13, 0);
    run("vsm", sm, vt_vtype(0, 3), 128, -5, 0);
    run("vlm vill", lm, 1UL << 63, 128, -16, 0);
    run("vlm vl=0", lm, vt_vtype(0, 0), 0, 0, 0);
    return 0;
}
