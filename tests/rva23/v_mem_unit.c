// cflags: -march=rv64gcv
/* Unit-stride vector loads and stores: every EEW against every SEW and LMUL (EMUL =
 * EEW/SEW*LMUL, illegal ones SIGILL), segments of 2..8 fields with LMUL up to 4,
 * misaligned and overflowing register groups, masked forms, vl=0, a non-zero vstart,
 * and the tail left undisturbed. */
#include "vmemtest.h"

static uint8_t mem[1024] __attribute__((aligned(64)));
static uint8_t out[1024] __attribute__((aligned(64)));

typedef void (*op_fn)(void *);

#define OP(name, text) \
    static void name(void *p) { __asm__ volatile(text : : "r"(p) : "memory"); }

OP(le8, "vle8.v v8, (%0)")
OP(le16, "vle16.v v8, (%0)")
OP(le32, "vle32.v v8, (%0)")
OP(le64, "vle64.v v8, (%0)")
OP(se8, "vse8.v v8, (%0)")
OP(se16, "vse16.v v8, (%0)")
OP(se32, "vse32.v v8, (%0)")
OP(se64, "vse64.v v8, (%0)")
static const op_fn loads[4] = {le8, le16, le32, le64};
static const op_fn stores[4] = {se8, se16, se32, se64};

#define SEG(nf, e)                                                         \
    OP(lseg##nf##_##e, "vlseg" #nf "e" #e ".v v8, (%0)")                   \
    OP(sseg##nf##_##e, "vsseg" #nf "e" #e ".v v8, (%0)")
#define SEGS(nf) SEG(nf, 8) SEG(nf, 16) SEG(nf, 32) SEG(nf, 64)
SEGS(2) SEGS(3) SEGS(4) SEGS(5) SEGS(6) SEGS(7) SEGS(8)
#define SEGROW(nf) {lseg##nf##_8, lseg##nf##_16, lseg##nf##_32, lseg##nf##_64}
#define SEGROWS(nf) {sseg##nf##_8, sseg##nf##_16, sseg##nf##_32, sseg##nf##_64}
static const op_fn seg_loads[7][4] = {SEGROW(2), SEGROW(3), SEGROW(4), SEGROW(5),
                                      SEGROW(6), SEGROW(7), SEGROW(8)};
static const op_fn seg_stores[7][4] = {SEGROWS(2), SEGROWS(3), SEGROWS(4), SEGROWS(5),
                                       SEGROWS(6), SEGROWS(7), SEGROWS(8)};

/* Odd register groups and masks. */
OP(le32_v9, "vle32.v v9, (%0)")
OP(le32_v10, "vle32.v v10, (%0)")
OP(lseg8_v24, "vlseg8e8.v v24, (%0)")
OP(lseg4_v30, "vlseg4e8.v v30, (%0)")
OP(lseg2_v30, "vlseg2e16.v v30, (%0)")
OP(le8_m, "vle8.v v8, (%0), v0.t")
OP(le16_m, "vle16.v v8, (%0), v0.t")
OP(le64_m, "vle64.v v8, (%0), v0.t")
OP(le8_m_v0, "vle8.v v0, (%0), v0.t")
OP(se32_m, "vse32.v v8, (%0), v0.t")
OP(se8_m_v0, "vse8.v v0, (%0), v0.t")
OP(lseg3_m, "vlseg3e16.v v8, (%0), v0.t")
OP(sseg3_m, "vsseg3e16.v v8, (%0), v0.t")

static const int lmuls[] = {-3, -2, -1, 0, 1, 2, 3};
static unsigned seed;

/* Runs a load: fresh registers, vsetvl(avl, vtype), the load; prints the outcome. */
static void load_case(const char *what, op_fn fn, unsigned long vtype, unsigned long avl)
{
    vt_fill(++seed);
    unsigned long vl = vt_setvl(avl, vtype);
    VT_TRY(fn(mem));
    printf("%s vtype=%#lx avl=%lu: vl=%lu %s regs=%08x\n", what, vtype, avl, vl,
           vt_signame(vt_sig), vt_regs_hash());
}

static void store_case(const char *what, op_fn fn, unsigned long vtype, unsigned long avl)
{
    vt_fill(++seed);
    memset(out, 0xa5, sizeof out);
    unsigned long vl = vt_setvl(avl, vtype);
    VT_TRY(fn(out));
    printf("%s vtype=%#lx avl=%lu: vl=%lu %s mem=%08x\n", what, vtype, avl, vl,
           vt_signame(vt_sig), vt_hash(out, sizeof out));
}

int main(void)
{
    vt_install();
    for (unsigned i = 0; i < sizeof mem; i++)
        mem[i] = (uint8_t)(i * 7 + 3);
    char what[64];

    /* Every EEW x SEW x LMUL, at VLMAX and with a short vl (the tail undisturbed). */
    for (unsigned sew = 0; sew < 4; sew++)
        for (unsigned l = 0; l < 7; l++)
            for (unsigned eew = 0; eew < 4; eew++) {
                unsigned long vtype = vt_vtype(sew, lmuls[l]);
                snprintf(what, sizeof what, "vle%u e%u %s", 8 << eew, 8 << sew,
                         vt_lmul_name(lmuls[l]));
                load_case(what, loads[eew], vtype, 1000);
                load_case(what, loads[eew], vtype, 3);
                what[1] = 's';
                store_case(what, stores[eew], vtype, 1000);
                store_case(what, stores[eew], vtype, 5);
            }

    /* Segments: nf 2..8 x EEW x (SEW, LMUL). */
    static const int seg_lmuls[] = {-1, 0, 1, 2};
    for (unsigned nf = 2; nf <= 8; nf++)
        for (unsigned eew = 0; eew < 4; eew++)
            for (unsigned sew = 0; sew < 4; sew += 2)
                for (unsigned l = 0; l < 4; l++) {
                    unsigned long vtype = vt_vtype(sew, seg_lmuls[l]);
                    snprintf(what, sizeof what, "vlseg%ue%u e%u %s", nf, 8 << eew, 8 << sew,
                             vt_lmul_name(seg_lmuls[l]));
                    load_case(what, seg_loads[nf - 2][eew], vtype, 1000);
                    what[1] = 's';
                    store_case(what, seg_stores[nf - 2][eew], vtype, 7);
                }

    /* Register groups: misaligned, at the end of the file, past it. */
    load_case("vle32 v9 e32 m2", le32_v9, vt_vtype(2, 1), 1000);
    load_case("vle32 v10 e32 m2", le32_v10, vt_vtype(2, 1), 1000);
    load_case("vle32 v10 e32 m4", le32_v10, vt_vtype(2, 2), 1000);
    load_case("vle32 v9 e64 m1", le32_v9, vt_vtype(3, 0), 1000);
    load_case("vle32 v9 e16 m1", le32_v9, vt_vtype(1, 0), 1000);
    load_case("vlseg8e8 v24 e8 m1", lseg8_v24, vt_vtype(0, 0), 1000);
    load_case("vlseg4e8 v30 e8 m1", lseg4_v30, vt_vtype(0, 0), 1000);
    load_case("vlseg2e16 v30 e8 m1", lseg2_v30, vt_vtype(0, 0), 1000);
    load_case("vlseg2e16 v30 e16 mf2", lseg2_v30, vt_vtype(1, -1), 1000);

    /* Masked (v0 holds the fill pattern). */
    for (unsigned avl = 0; avl <= 16; avl += 4) {
        load_case("vle8 m e8 m1", le8_m, vt_vtype(0, 0), avl);
        load_case("vle16 m e16 m2", le16_m, vt_vtype(1, 1), avl);
        load_case("vle64 m e64 m4", le64_m, vt_vtype(3, 2), avl);
        load_case("vle8 m v0 e8 m1", le8_m_v0, vt_vtype(0, 0), avl);
        load_case("vlseg3e16 m e16 m1", lseg3_m, vt_vtype(1, 0), avl);
        store_case("vse32 m e32 m2", se32_m, vt_vtype(2, 1), avl);
        store_case("vse8 m v0 e8 m1", se8_m_v0, vt_vtype(0, 0), avl);
        store_case("vsseg3e16 m e16 m1", sseg3_m, vt_vtype(1, 0), avl);
    }

    /* vill: unit-stride accesses are illegal. */
    load_case("vle8 vill", le8, 1UL << 63, 4);
    store_case("vse8 vill", se8, 1UL << 63, 4);

    /* vstart: elements below it are left alone, and it reads back 0 afterwards. */
    for (unsigned long start = 0; start <= 18; start += 3) {
        unsigned long after;
        vt_fill(++seed);
        vt_setvl(16, vt_vtype(1, 1));
        __asm__ volatile("csrw vstart, %0" : : "r"(start));
        le16(mem);
        __asm__ volatile("csrr %0, vstart" : "=r"(after));
        printf("vle16 vstart=%lu: vstart after=%lu regs=%08x\n", start, after, vt_regs_hash());
        memset(out, 0xa5, sizeof out);
        vt_setvl(12, vt_vtype(2, 2));
        __asm__ volatile("csrw vstart, %0" : : "r"(start));
        sseg2_32(out);
        __asm__ volatile("csrr %0, vstart" : "=r"(after));
        printf("vsseg2e32 vstart=%lu: vstart after=%lu mem=%08x\n", start, after,
               vt_hash(out, sizeof out));
    }
    return 0;
}
