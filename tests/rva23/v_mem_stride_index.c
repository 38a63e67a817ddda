// cflags: -march=rv64gcv
/* Strided vector loads and stores (positive, negative and zero strides, segments) and
 * indexed ones (ordered and unordered, every index EEW against every SEW and LMUL,
 * segments, overlap of the destination with the index), masked forms and vl=0. */
#include "vmemtest.h"

static uint8_t mem[4096] __attribute__((aligned(64)));
static uint8_t out[4096] __attribute__((aligned(64)));

typedef void (*op_fn)(void *, long);

#define OP(name, text)                                                          \
    static void name(void *p, long s)                                           \
    {                                                                           \
        __asm__ volatile(text : : "r"(p), "r"(s) : "memory");                   \
    }

OP(lse8, "vlse8.v v8, (%0), %1")
OP(lse16, "vlse16.v v8, (%0), %1")
OP(lse32, "vlse32.v v8, (%0), %1")
OP(lse64, "vlse64.v v8, (%0), %1")
OP(sse8, "vsse8.v v8, (%0), %1")
OP(sse16, "vsse16.v v8, (%0), %1")
OP(sse32, "vsse32.v v8, (%0), %1")
OP(sse64, "vsse64.v v8, (%0), %1")
OP(lsseg3e16, "vlsseg3e16.v v8, (%0), %1")
OP(ssseg3e16, "vssseg3e16.v v8, (%0), %1")
OP(lsseg2e32_m, "vlsseg2e32.v v8, (%0), %1, v0.t")
OP(lsseg8e8, "vlsseg8e8.v v8, (%0), %1")
OP(sse32_m, "vsse32.v v8, (%0), %1, v0.t")
static const op_fn slds[4] = {lse8, lse16, lse32, lse64};
static const op_fn ssts[4] = {sse8, sse16, sse32, sse64};

/* Indexed: data in v8, indices in v16 (set from idx[] before each case). */
OP(lux8, "vluxei8.v v8, (%0), v16")
OP(lux16, "vluxei16.v v8, (%0), v16")
OP(lux32, "vluxei32.v v8, (%0), v16")
OP(lux64, "vluxei64.v v8, (%0), v16")
OP(lox8, "vloxei8.v v8, (%0), v16")
OP(lox16, "vloxei16.v v8, (%0), v16")
OP(lox32, "vloxei32.v v8, (%0), v16")
OP(lox64, "vloxei64.v v8, (%0), v16")
OP(sux8, "vsuxei8.v v8, (%0), v16")
OP(sux16, "vsuxei16.v v8, (%0), v16")
OP(sux32, "vsuxei32.v v8, (%0), v16")
OP(sux64, "vsuxei64.v v8, (%0), v16")
OP(sox8, "vsoxei8.v v8, (%0), v16")
OP(sox16, "vsoxei16.v v8, (%0), v16")
OP(sox32, "vsoxei32.v v8, (%0), v16")
OP(sox64, "vsoxei64.v v8, (%0), v16")
static const op_fn ulds[4] = {lux8, lux16, lux32, lux64};
static const op_fn olds[4] = {lox8, lox16, lox32, lox64};
static const op_fn usts[4] = {sux8, sux16, sux32, sux64};
static const op_fn osts[4] = {sox8, sox16, sox32, sox64};
OP(luxseg2e16, "vluxseg2ei16.v v8, (%0), v16")
OP(loxseg4e8, "vloxseg4ei8.v v8, (%0), v16")
OP(luxseg8e32, "vluxseg8ei32.v v8, (%0), v16")
OP(soxseg3e64, "vsoxseg3ei64.v v8, (%0), v16")
OP(suxseg2e8_m, "vsuxseg2ei8.v v8, (%0), v16, v0.t")
OP(lux16_m, "vluxei16.v v8, (%0), v16, v0.t")
OP(sox32_m, "vsoxei32.v v8, (%0), v16, v0.t")
/* The destination overlapping the index group. */
OP(lux8_same, "vluxei8.v v16, (%0), v16")
OP(lux16_same, "vluxei16.v v16, (%0), v16")
OP(lux32_v17, "vluxei32.v v16, (%0), v17")
OP(lux8_hi, "vluxei8.v v15, (%0), v16")
OP(lux16_hi, "vluxei16.v v16, (%0), v17")
OP(luxseg2_same, "vluxseg2ei8.v v16, (%0), v16")

static const int lmuls[] = {-3, -2, -1, 0, 1, 2, 3};
static unsigned seed;

/* Puts index values into v16..v23 (bytes, so they work for every index EEW) after
 * filling the rest of the register file. Offsets stay within 0..2047 for any EEW. */
static void set_indices(unsigned eew_log2, unsigned align_log2)
{
    vt_fill(++seed);
    unsigned n = 8 * VLENB_MAX >> eew_log2;
    for (unsigned i = 0; i < n; i++) {
        uint64_t v = ((i * 37 + seed * 11) % 200) << align_log2;
        memcpy(vt_regs + 16 * VLENB_MAX + (i << eew_log2), &v, 1u << eew_log2);
    }
    vt_load();
}

static void load_case(const char *what, op_fn fn, unsigned long vtype, unsigned long avl,
                      long arg, int fresh)
{
    if (fresh)
        vt_fill(++seed);
    unsigned long vl = vt_setvl(avl, vtype);
    VT_TRY(fn(mem + 2048, arg));
    printf("%s vtype=%#lx avl=%lu arg=%ld: vl=%lu %s regs=%08x\n", what, vtype, avl, arg, vl,
           vt_signame(vt_sig), vt_regs_hash());
}

static void store_case(const char *what, op_fn fn, unsigned long vtype, unsigned long avl,
                       long arg, int fresh)
{
    if (fresh)
        vt_fill(++seed);
    memset(out, 0xa5, sizeof out);
    unsigned long vl = vt_setvl(avl, vtype);
    VT_TRY(fn(out + 2048, arg));
    printf("%s vtype=%#lx avl=%lu arg=%ld: vl=%lu %s mem=%08x\n", what, vtype, avl, arg, vl,
           vt_signame(vt_sig), vt_hash(out, sizeof out));
}

int main(void)
{
    vt_install();
    for (unsigned i = 0; i < sizeof mem; i++)
        mem[i] = (uint8_t)(i * 7 + 3);
    char what[64];
    static const long strides[] = {0, 8, -8, 24, -40, 3};

    for (unsigned eew = 0; eew < 4; eew++)
        for (unsigned s = 0; s < 6; s++)
            for (unsigned sew = 0; sew < 4; sew++) {
                for (unsigned l = 2; l < 6; l++) {
                    unsigned long vtype = vt_vtype(sew, lmuls[l]);
                    snprintf(what, sizeof what, "vlse%u e%u %s", 8 << eew, 8 << sew,
                             vt_lmul_name(lmuls[l]));
                    load_case(what, slds[eew], vtype, 1000, strides[s] << eew, 1);
                    what[1] = 's';
                    store_case(what, ssts[eew], vtype, 9, strides[s] << eew, 1);
                }
            }
    for (unsigned s = 0; s < 6; s++) {
        long st = strides[s] * 2;
        load_case("vlsseg3e16 e16 m2", lsseg3e16, vt_vtype(1, 1), 1000, st, 1);
        load_case("vlsseg3e16 e16 m4", lsseg3e16, vt_vtype(1, 2), 1000, st, 1);
        store_case("vssseg3e16 e16 m2", ssseg3e16, vt_vtype(1, 1), 11, st, 1);
        load_case("vlsseg2e32 m e32 m4", lsseg2e32_m, vt_vtype(2, 2), 13, st, 1);
        load_case("vlsseg8e8 e8 m1", lsseg8e8, vt_vtype(0, 0), 1000, st, 1);
        store_case("vsse32 m e32 m1", sse32_m, vt_vtype(2, 0), 3, st, 1);
    }

    /* Indexed, each index EEW x SEW x LMUL; indices aligned to 8 bytes. */
    for (unsigned eew = 0; eew < 4; eew++)
        for (unsigned sew = 0; sew < 4; sew++)
            for (unsigned l = 0; l < 7; l++) {
                unsigned long vtype = vt_vtype(sew, lmuls[l]);
                snprintf(what, sizeof what, "vluxei%u e%u %s", 8 << eew, 8 << sew,
                         vt_lmul_name(lmuls[l]));
                set_indices(eew, 3);
                load_case(what, ulds[eew], vtype, 1000, 0, 0);
                what[2] = 'o';
                set_indices(eew, 3);
                load_case(what, olds[eew], vtype, 1000, 0, 0);
                what[1] = 's';
                set_indices(eew, 3);
                store_case(what, osts[eew], vtype, 1000, 0, 0);
                what[2] = 'u';
                set_indices(eew, 3);
                store_case(what, usts[eew], vtype, 1000, 0, 0);
            }
    /* Unaligned and repeated indices (an ordered store's last write wins). */
    for (unsigned sew = 0; sew < 4; sew++) {
        set_indices(0, 0);
        load_case("vluxei8 unaligned", lux8, vt_vtype(sew, 0), 1000, 0, 0);
        set_indices(0, 0);
        store_case("vsoxei8 unaligned", sox8, vt_vtype(sew, 0), 1000, 0, 0);
    }
    static const struct {
        const char *what;
        op_fn fn;
        int load;
        unsigned eew, sew;
        int lmul;
    } cases[] = {
        {"vluxseg2ei16 e8 m1", luxseg2e16, 1, 1, 0, 0},
        {"vluxseg2ei16 e32 m2", luxseg2e16, 1, 1, 2, 1},
        {"vloxseg4ei8 e16 m2", loxseg4e8, 1, 0, 1, 1},
        {"vloxseg4ei8 e16 m4", loxseg4e8, 1, 0, 1, 2},
        {"vluxseg8ei32 e8 mf2", luxseg8e32, 1, 2, 0, -1},
        {"vluxseg8ei32 e32 m1", luxseg8e32, 1, 2, 2, 0},
        {"vsoxseg3ei64 e64 m2", soxseg3e64, 0, 3, 3, 1},
        {"vsoxseg3ei64 e8 m1", soxseg3e64, 0, 3, 0, 0},
        {"vsuxseg2ei8 m e16 m1", suxseg2e8_m, 0, 0, 1, 0},
        {"vluxei16 m e64 m2", lux16_m, 1, 1, 3, 1},
        {"vsoxei32 m e8 mf2", sox32_m, 0, 2, 0, -1},
        {"vluxei8 v16,v16 e8 m1", lux8_same, 1, 0, 0, 0},
        {"vluxei8 v16,v16 e16 m1", lux8_same, 1, 0, 1, 0},
        {"vluxei16 v16,v16 e16 m2", lux16_same, 1, 1, 1, 1},
        {"vluxei16 v16,v16 e8 m1", lux16_same, 1, 1, 0, 0},
        {"vluxei16 v16,v16 e32 m1", lux16_same, 1, 1, 2, 0},
        {"vluxei32 v16,v17 e32 m1", lux32_v17, 1, 2, 2, 0},
        {"vluxei32 v16,v17 e8 mf2", lux32_v17, 1, 2, 0, -1},
        {"vluxei8 v15,v16 e16 m2", lux8_hi, 1, 0, 1, 1},
        {"vluxei16 v16,v17 e8 m2", lux16_hi, 1, 1, 0, 1},
        {"vluxei16 v16,v17 e32 m2", lux16_hi, 1, 1, 2, 1},
        {"vluxseg2ei8 v16,v16 e8 m1", luxseg2_same, 1, 0, 0, 0},
    };
    for (unsigned c = 0; c < sizeof cases / sizeof cases[0]; c++)
        for (unsigned long avl = 0; avl <= 20; avl += 5) {
            set_indices(cases[c].eew, 3);
            unsigned long vtype = vt_vtype(cases[c].sew, cases[c].lmul);
            if (cases[c].load)
                load_case(cases[c].what, cases[c].fn, vtype, avl, 0, 0);
            else
                store_case(cases[c].what, cases[c].fn, vtype, avl, 0, 0);
        }
    return 0;
}
