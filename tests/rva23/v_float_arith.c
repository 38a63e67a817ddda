// cflags: -march=rv64gcv
/* Vector FP single-width arithmetic at SEW 32 and 64: add/sub/rsub, mul/div/rdiv,
 * min/max, sign injection, the eight fused multiply-adds, sqrt, the 7-bit estimates,
 * classify, and compares, in .vv and .vf forms, every rounding mode, several LMULs,
 * masked and unmasked, vl below VLMAX, over zeros, infinities, NaNs, subnormals and
 * extremes. Each run prints the destination group's bits and fflags. */
#include "vfloat.h"

#define VV "v24, v8, v16"
#define VF "v24, v8, ft0"
#define V1 "v24, v8"
KPAIR(fadd_vv, "vfadd.vv", VV) KPAIR(fadd_vf, "vfadd.vf", VF)
KPAIR(fsub_vv, "vfsub.vv", VV) KPAIR(fsub_vf, "vfsub.vf", VF)
KPAIR(frsub_vf, "vfrsub.vf", VF)
KPAIR(fmul_vv, "vfmul.vv", VV) KPAIR(fmul_vf, "vfmul.vf", VF)
KPAIR(fdiv_vv, "vfdiv.vv", VV) KPAIR(fdiv_vf, "vfdiv.vf", VF)
KPAIR(frdiv_vf, "vfrdiv.vf", VF)
KPAIR(fmin_vv, "vfmin.vv", VV) KPAIR(fmin_vf, "vfmin.vf", VF)
KPAIR(fmax_vv, "vfmax.vv", VV) KPAIR(fmax_vf, "vfmax.vf", VF)
KPAIR(fsgnj_vv, "vfsgnj.vv", VV) KPAIR(fsgnj_vf, "vfsgnj.vf", VF)
KPAIR(fsgnjn_vv, "vfsgnjn.vv", VV) KPAIR(fsgnjn_vf, "vfsgnjn.vf", VF)
KPAIR(fsgnjx_vv, "vfsgnjx.vv", VV) KPAIR(fsgnjx_vf, "vfsgnjx.vf", VF)
#define FMA_VV "v24, v16, v8"
#define FMA_VF "v24, ft0, v8"
KPAIR(fmacc_vv, "vfmacc.vv", FMA_VV) KPAIR(fmacc_vf, "vfmacc.vf", FMA_VF)
KPAIR(fnmacc_vv, "vfnmacc.vv", FMA_VV) KPAIR(fnmacc_vf, "vfnmacc.vf", FMA_VF)
KPAIR(fmsac_vv, "vfmsac.vv", FMA_VV) KPAIR(fmsac_vf, "vfmsac.vf", FMA_VF)
KPAIR(fnmsac_vv, "vfnmsac.vv", FMA_VV) KPAIR(fnmsac_vf, "vfnmsac.vf", FMA_VF)
KPAIR(fmadd_vv, "vfmadd.vv", FMA_VV) KPAIR(fmadd_vf, "vfmadd.vf", FMA_VF)
KPAIR(fnmadd_vv, "vfnmadd.vv", FMA_VV) KPAIR(fnmadd_vf, "vfnmadd.vf", FMA_VF)
KPAIR(fmsub_vv, "vfmsub.vv", FMA_VV) KPAIR(fmsub_vf, "vfmsub.vf", FMA_VF)
KPAIR(fnmsub_vv, "vfnmsub.vv", FMA_VV) KPAIR(fnmsub_vf, "vfnmsub.vf", FMA_VF)
KPAIR(fsqrt, "vfsqrt.v", V1) KPAIR(frsqrt7, "vfrsqrt7.v", V1)
KPAIR(frec7, "vfrec7.v", V1) KPAIR(fclass, "vfclass.v", V1)
KPAIR(mfeq_vv, "vmfeq.vv", VV) KPAIR(mfeq_vf, "vmfeq.vf", VF)
KPAIR(mfne_vv, "vmfne.vv", VV) KPAIR(mfne_vf, "vmfne.vf", VF)
KPAIR(mflt_vv, "vmflt.vv", VV) KPAIR(mflt_vf, "vmflt.vf", VF)
KPAIR(mfle_vv, "vmfle.vv", VV) KPAIR(mfle_vf, "vmfle.vf", VF)
KPAIR(mfgt_vf, "vmfgt.vf", VF) KPAIR(mfge_vf, "vmfge.vf", VF)
/* A compare writing the first register of its own source group (legal). */
KPAIR(mflt_self, "vmflt.vv", "v8, v8, v16")

enum form { SAME, SCALAR, MASK };
struct op {
    const char *name;
    kernel u, m;
    enum form form;
    int rounds; /* depends on the rounding mode: run under all five */
};
#define OP(id, form, rounds) {#id, id##_u, id##_m, form, rounds}
static const struct op ops[] = {
    OP(fadd_vv, SAME, 1),    OP(fadd_vf, SCALAR, 1),   OP(fsub_vv, SAME, 1),
    OP(fsub_vf, SCALAR, 1),  OP(frsub_vf, SCALAR, 1),  OP(fmul_vv, SAME, 1),
    OP(fmul_vf, SCALAR, 1),  OP(fdiv_vv, SAME, 1),     OP(fdiv_vf, SCALAR, 1),
    OP(frdiv_vf, SCALAR, 1), OP(fmin_vv, SAME, 0),     OP(fmin_vf, SCALAR, 0),
    OP(fmax_vv, SAME, 0),    OP(fmax_vf, SCALAR, 0),   OP(fsgnj_vv, SAME, 0),
    OP(fsgnj_vf, SCALAR, 0), OP(fsgnjn_vv, SAME, 0),   OP(fsgnjn_vf, SCALAR, 0),
    OP(fsgnjx_vv, SAME, 0),  OP(fsgnjx_vf, SCALAR, 0), OP(fmacc_vv, SAME, 1),
    OP(fmacc_vf, SCALAR, 1), OP(fnmacc_vv, SAME, 1),   OP(fnmacc_vf, SCALAR, 1),
    OP(fmsac_vv, SAME, 1),   OP(fmsac_vf, SCALAR, 1),  OP(fnmsac_vv, SAME, 1),
    OP(fnmsac_vf, SCALAR, 1), OP(fmadd_vv, SAME, 1),   OP(fmadd_vf, SCALAR, 1),
    OP(fnmadd_vv, SAME, 1),  OP(fnmadd_vf, SCALAR, 1), OP(fmsub_vv, SAME, 1),
    OP(fmsub_vf, SCALAR, 1), OP(fnmsub_vv, SAME, 1),   OP(fnmsub_vf, SCALAR, 1),
    OP(fsqrt, SAME, 1),      OP(frsqrt7, SAME, 0),     OP(frec7, SAME, 1),
    OP(fclass, SAME, 0),     OP(mfeq_vv, MASK, 0),     OP(mfeq_vf, MASK, 0),
    OP(mfne_vv, MASK, 0),    OP(mfne_vf, MASK, 0),     OP(mflt_vv, MASK, 0),
    OP(mflt_vf, MASK, 0),    OP(mfle_vv, MASK, 0),     OP(mfle_vf, MASK, 0),
    OP(mfgt_vf, MASK, 0),    OP(mfge_vf, MASK, 0),
};

/* Scalar operands for the .vf forms: NaN-boxed singles, one improperly boxed (reads as
 * the canonical NaN), and doubles. */
static uint64_t scalar_of(int sew, int k)
{
    static const int pick[] = {8, 1, 2, 5, 11, 19, 15, 10};
    if (sew == 32 && k == 8)
        return 0x000000003f800000ull; /* not boxed */
    if (sew == 32 && k == 9)
        return 0xffffffff00000000ull | F32[3] ; /* -inf, boxed */
    int i = pick[k % 8];
    return sew == 32 ? 0xffffffff00000000ull | F32[i] : F64[i];
}

static void run_op(const struct op *o, int sew, int vlmul, int avl, int masked, int rm,
                   int seed, uint64_t f)
{
    int bytes = sew / 8;
    const uint64_t *vals = sew == 32 ? F32 : F64;
    int n = sew == 32 ? N32 : N64;
    fill(va, bytes, vals, n, seed, 1);
    fill(vb, bytes, vals, n, seed * 3 + 7, 5);
    fill(vd, bytes, vals, n, seed + 3, 7);
    struct run r = {.vtype = vtype_of(sew, vlmul), .avl = avl, .frm = rm, .fbits = f};
    int regs = vlmul < 4 ? 1 << vlmul : 1;
    char name[64];
    snprintf(name, sizeof name, "%s%s e%d", o->name, masked ? ".m" : "", sew);
    show(name, masked ? o->m : o->u, &r, o->form == MASK ? 1 : bytes,
         o->form == MASK ? 1 : regs, 0);
}

int main(void)
{
    catch_sigill();
    for (unsigned i = 0; i < sizeof ops / sizeof ops[0]; i++) {
        const struct op *o = &ops[i];
        for (int sew = 32; sew <= 64; sew += 32) {
            int vlmax8 = 1024 / sew; /* VLMAX at m8 */
            for (int rm = 0; rm < (o->rounds ? 5 : 1); rm++)
                run_op(o, sew, 3, vlmax8, 0, rm, 0, scalar_of(sew, rm));
            run_op(o, sew, 3, vlmax8, 1, 0, 11, scalar_of(sew, 5));
            run_op(o, sew, 0, 128 / sew - 1, 0, 0, 23, scalar_of(sew, 6));
            run_op(o, sew, 2, 3, 1, 2, 31, scalar_of(sew, 7));
            run_op(o, sew, 1, 1000, 1, 0, 37, scalar_of(sew, 4));
            if (o->form == SCALAR || (o->form == MASK && strstr(o->name, "_vf"))) {
                run_op(o, sew, 1, 1000, 0, 0, 5, scalar_of(sew, 8));
                run_op(o, sew, 1, 1000, 0, 0, 6, scalar_of(sew, 9));
            }
            if (sew == 32)
                run_op(o, sew, 7, 1000, 0, 1, 41, scalar_of(sew, 3));
        }
    }
    /* Compare into the first register of a source group; e16 and e8 are illegal. */
    struct op self = {"mflt_self", mflt_self_u, mflt_self_m, MASK, 0};
    run_op(&self, 32, 1, 1000, 0, 0, 3, 0);
    for (int sew = 8; sew <= 16; sew += 8) {
        struct run r = {.vtype = vtype_of(sew, 0), .avl = 4, .frm = 0, .fbits = 0};
        show("vfadd.vv small sew", fadd_vv_u, &r, 1, 1, 0);
        show("vfsqrt.v small sew", fsqrt_u, &r, 1, 1, 0);
        show("vmfeq.vf small sew", mfeq_vf_u, &r, 1, 1, 0);
    }
    return 0;
}
