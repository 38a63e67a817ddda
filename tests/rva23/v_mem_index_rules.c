// cflags: -march=rv64gcv
/* The register rules of the indexed loads (sections 5.2 and 7.3): the data group has
 * EEW SEW and EMUL LMUL, the index group its own EEW and EMUL, and the destination may
 * overlap the index where the EEWs allow it: all of it when they are equal, its
 * lowest-numbered part when the index is wider, the destination's highest-numbered part
 * when the index is narrower (and its EMUL at least 1). gcc -O3 -march=rva23u64 with
 * -mrvv-max-lmul=m8 gathers with `vluxei64.v v8, (a0), v8` at e32, m4, which vm once
 * rejected. Segment loads may not overlap their index at all (7.8.3). */
#include "vtest.h"

static uint8_t vi_data[512 + 64];

/* Every register holds small offsets under any index EEW: in each 8 bytes, byte 0 is a
 * multiple of 8, byte 1 is 0 or 1, the others 0 (so an element is below 512). */
static void vi_fill(void)
{
    for (int i = 0; i < 512; i++) {
        uint64_t r = vt_rand();
        vt_in[i] = i % 8 == 0 ? (uint8_t)(r & 0xf8) : i % 8 == 1 ? (uint8_t)(r >> 20 & 1) : 0;
    }
    for (unsigned i = 0; i < sizeof vi_data; i++)
        vi_data[i] = (uint8_t)vt_rand();
}

/* Runs INSN (an indexed load with base t0 = vi_data) at VTYPE with vl = VLMAX and prints
 * the registers it changed, or SIGILL. */
#define VI(VTYPE, INSN)                                                                   \
    do {                                                                                  \
        long vi_vl_;                                                                      \
        vi_fill();                                                                        \
        if (sigsetjmp(vt_jmp, 1) == 0) {                                                  \
            __asm__ volatile("vl8re8.v v0, (%[in])\n\t"                                   \
                             "addi t2, %[in], 128\n\t"                                    \
                             "vl8re8.v v8, (t2)\n\t"                                      \
                             "addi t2, %[in], 256\n\t"                                    \
                             "vl8re8.v v16, (t2)\n\t"                                     \
                             "addi t2, %[in], 384\n\t"                                    \
                             "vl8re8.v v24, (t2)\n\t"                                     \
                             "vsetvli %[vl], zero, " VTYPE "\n\t"                         \
                             "mv t0, %[data]\n\t" INSN "\n\t"                             \
                             "vs8r.v v0, (%[out])\n\t"                                    \
                             "addi t2, %[out], 128\n\t"                                   \
                             "vs8r.v v8, (t2)\n\t"                                        \
                             "addi t2, %[out], 256\n\t"                                   \
                             "vs8r.v v16, (t2)\n\t"                                       \
                             "addi t2, %[out], 384\n\t"                                   \
                             "vs8r.v v24, (t2)"                                           \
                             : [vl] "=&r"(vi_vl_)                                         \
                             : [in] "r"(vt_in), [out] "r"(vt_out), [data] "r"(vi_data)    \
                             : "t0", "t2", "memory");                                     \
            vt_report(INSN, VTYPE, 0, 0, vi_vl_, 0);                                      \
        } else {                                                                          \
            printf("%s [%s]: SIGILL\n", INSN, VTYPE);                                     \
        }                                                                                 \
    } while (0)

int main(void)
{
    vt_setup();
    /* Index EEW above SEW: the destination may be the index group's lowest part. */
    VI("e32, mf2, ta, ma", "vluxei64.v v8, (t0), v8");
    VI("e32, m4, ta, ma", "vluxei64.v v8, (t0), v8");
    VI("e32, m4, tu, mu", "vluxei64.v v8, (t0), v8, v0.t");
    VI("e32, m4, ta, ma", "vluxei64.v v12, (t0), v8");
    VI("e32, m4, ta, ma", "vluxei64.v v16, (t0), v8");
    VI("e8, m1, tu, mu", "vloxei16.v v8, (t0), v8");
    VI("e8, m1, tu, mu", "vloxei16.v v9, (t0), v8");
    VI("e8, mf2, tu, mu", "vloxei64.v v8, (t0), v8");
    VI("e8, mf2, tu, mu", "vloxei64.v v10, (t0), v8");
    VI("e16, m2, ta, ma", "vluxei32.v v0, (t0), v0");
    VI("e16, m2, ta, ma", "vluxei32.v v0, (t0), v0, v0.t");
    /* The same EEW: only the same group. */
    VI("e32, m2, tu, mu", "vluxei32.v v8, (t0), v8");
    VI("e32, mf2, tu, mu", "vloxei32.v v8, (t0), v8");
    VI("e64, m4, ta, ma", "vluxei64.v v8, (t0), v8");
    /* Index EEW below SEW: only the destination's highest part, index EMUL >= 1. */
    VI("e64, m4, ta, ma", "vluxei32.v v8, (t0), v10");
    VI("e64, m4, ta, ma", "vluxei32.v v8, (t0), v8");
    VI("e64, m2, tu, mu", "vluxei32.v v8, (t0), v9");
    VI("e64, m1, tu, mu", "vluxei32.v v8, (t0), v8");
    VI("e32, m8, ta, ma", "vloxei8.v v8, (t0), v14");
    VI("e32, m8, ta, ma", "vloxei8.v v8, (t0), v12");
    VI("e16, m1, tu, mu", "vluxei8.v v8, (t0), v8");
    /* Segments. */
    VI("e32, m1, tu, mu", "vluxseg2ei32.v v8, (t0), v8");
    VI("e32, m1, tu, mu", "vluxseg2ei32.v v8, (t0), v9");
    VI("e32, m1, tu, mu", "vluxseg2ei64.v v8, (t0), v8");
    VI("e32, m1, tu, mu", "vluxseg2ei64.v v8, (t0), v10");
    VI("e32, mf2, tu, mu", "vloxseg3ei64.v v8, (t0), v8");
    VI("e64, m1, tu, mu", "vluxseg2ei32.v v8, (t0), v9");
    VI("e64, m2, tu, mu", "vluxseg2ei32.v v8, (t0), v9");
    VI("e64, m2, tu, mu", "vluxseg2ei32.v v8, (t0), v11");
    VI("e16, m1, tu, mu", "vluxseg4ei8.v v8, (t0), v11");
    /* Stores read both groups, so they may share registers only at one EEW. */
    VI("e32, m4, ta, ma", "vsuxei64.v v8, (t0), v8\n\tvle8.v v8, (t0)");
    VI("e32, m4, ta, ma", "vsuxei64.v v8, (t0), v16\n\tvle8.v v8, (t0)");
    VI("e32, m2, ta, ma", "vsuxei32.v v8, (t0), v8\n\tvle8.v v8, (t0)");
    VI("e64, m1, ta, ma", "vsoxei16.v v8, (t0), v8\n\tvle8.v v8, (t0)");
    VI("e32, m1, ta, ma", "vsuxseg2ei32.v v8, (t0), v9\n\tvle8.v v8, (t0)");
    VI("e32, m1, ta, ma", "vsuxseg2ei32.v v8, (t0), v8\n\tvle8.v v8, (t0)");
    VI("e32, m1, ta, ma", "vsuxseg2ei64.v v8, (t0), v10\n\tvle8.v v8, (t0)");
    return 0;
}
