// cflags: -march=rv64gcv
/* Vector FP, the rest: widening arithmetic and multiply-adds (.vv/.vf/.wv/.wf), the
 * reductions (their order shows in the rounding of a sum of large and small terms),
 * vfmerge/vfmv.v.f/vfmv.f.s/vfmv.s.f and the slides with NaN boxing, every entry of the
 * vfrec7/vfrsqrt7 tables, and the legality rules: register overlap and alignment of
 * widening/narrowing/compare/slide/merge, masked writes of v0, an invalid frm, vstart. */
#include "vfloat.h"

#define VV "v24, v8, v16"
#define VF "v24, v8, ft0"
KPAIR(fwadd_vv, "vfwadd.vv", VV) KPAIR(fwadd_vf, "vfwadd.vf", VF)
KPAIR(fwadd_wv, "vfwadd.wv", VV) KPAIR(fwadd_wf, "vfwadd.wf", VF)
KPAIR(fwsub_vv, "vfwsub.vv", VV) KPAIR(fwsub_vf, "vfwsub.vf", VF)
KPAIR(fwsub_wv, "vfwsub.wv", VV) KPAIR(fwsub_wf, "vfwsub.wf", VF)
KPAIR(fwmul_vv, "vfwmul.vv", VV) KPAIR(fwmul_vf, "vfwmul.vf", VF)
#define FMA_VV "v24, v16, v8"
#define FMA_VF "v24, ft0, v8"
KPAIR(fwmacc_vv, "vfwmacc.vv", FMA_VV) KPAIR(fwmacc_vf, "vfwmacc.vf", FMA_VF)
KPAIR(fwnmacc_vv, "vfwnmacc.vv", FMA_VV) KPAIR(fwnmacc_vf, "vfwnmacc.vf", FMA_VF)
KPAIR(fwmsac_vv, "vfwmsac.vv", FMA_VV) KPAIR(fwmsac_vf, "vfwmsac.vf", FMA_VF)
KPAIR(fwnmsac_vv, "vfwnmsac.vv", FMA_VV) KPAIR(fwnmsac_vf, "vfwnmsac.vf", FMA_VF)
KPAIR(fredusum, "vfredusum.vs", VV) KPAIR(fredosum, "vfredosum.vs", VV)
KPAIR(fredmin, "vfredmin.vs", VV) KPAIR(fredmax, "vfredmax.vs", VV)
KPAIR(fwredusum, "vfwredusum.vs", VV) KPAIR(fwredosum, "vfwredosum.vs", VV)
KPAIR(fslide1up, "vfslide1up.vf", VF) KPAIR(fslide1down, "vfslide1down.vf", VF)
KERNEL(fmerge, "vfmerge.vfm v24, v8, ft0, v0")
KERNEL(fmv_v_f, "vfmv.v.f v24, ft0")
KERNEL(fmv_f_s, "vfmv.f.s ft1, v8")
KERNEL(fmv_s_f, "vfmv.s.f v24, ft0")
KPAIR(frec7, "vfrec7.v", "v24, v8") KPAIR(frsqrt7, "vfrsqrt7.v", "v24, v8")

enum form { SAME, WIDE, WIDE_W, RED, WRED };
struct op {
    const char *name;
    kernel u, m;
    enum form form;
};
#define OP(id, form) {#id, id##_u, id##_m, form}
static const struct op ops[] = {
    OP(fwadd_vv, WIDE),    OP(fwadd_vf, WIDE),      OP(fwadd_wv, WIDE_W),   OP(fwadd_wf, WIDE_W),
    OP(fwsub_vv, WIDE),    OP(fwsub_vf, WIDE),      OP(fwsub_wv, WIDE_W),   OP(fwsub_wf, WIDE_W),
    OP(fwmul_vv, WIDE),    OP(fwmul_vf, WIDE),      OP(fwmacc_vv, WIDE),    OP(fwmacc_vf, WIDE),
    OP(fwnmacc_vv, WIDE),  OP(fwnmacc_vf, WIDE),    OP(fwmsac_vv, WIDE),    OP(fwmsac_vf, WIDE),
    OP(fwnmsac_vv, WIDE),  OP(fwnmsac_vf, WIDE),    OP(fredusum, RED),      OP(fredosum, RED),
    OP(fredmin, RED),      OP(fredmax, RED),        OP(fwredusum, WRED),    OP(fwredosum, WRED),
    OP(fslide1up, SAME),   OP(fslide1down, SAME),
};

/* Terms whose sum depends on the order of the additions (no NaNs or infinities). */
static const uint64_t SUM32[] = {
    0x4cbebc20, 0x3f800000, 0xccbebc20, 0x40400000, 0x3dcccccd, 0x3a83126f, 0x4b800000,
    0x3f800000, 0x3f800000, 0xcb800000, 0x40e00000, 0x3a800000, 0x7f000000, 0x7f000000,
    0xff000000, 0x33d6bf95, 0xc0490fdb, 0x3eaaaaab, 0x80000001, 0x00000001, 0xbf800000,
};
static const uint64_t SUM64[] = {
    0x4341c37937e08000, 0x3ff0000000000000, 0xc341c37937e08000, 0x4008000000000000,
    0x3fb999999999999a, 0x3f50624dd2f1a9fc, 0x4340000000000000, 0x3ff0000000000000,
    0x3ff0000000000000, 0xc340000000000000, 0x401c000000000000, 0x3f50000000000000,
    0x7fe0000000000000, 0x7fe0000000000000, 0xffe0000000000000, 0x3c9cd2b297d889bc,
    0xc00921fb54442d18, 0x3fd5555555555555, 0x8000000000000001, 0x0000000000000001,
};
#define LEN(a) (int)(sizeof a / sizeof a[0])

static uint64_t scalar_of(int sew, int k)
{
    static const int pick[] = {8, 12, 2, 5, 11, 19, 1, 10};
    int i = pick[k % 8];
    return sew == 32 ? 0xffffffff00000000ull | F32[i] : F64[i];
}

static void run_op(const struct op *o, int sew, int vlmul, int avl, int masked, int rm,
                   int seed, uint64_t f, int sums)
{
    int bytes = sew / 8;
    const uint64_t *vals = sew == 32 ? F32 : F64;
    int n = sew == 32 ? N32 : N64;
    if (sums) {
        vals = sew == 32 ? SUM32 : SUM64;
        n = sew == 32 ? LEN(SUM32) : LEN(SUM64);
    }
    int wide_vs2 = o->form == WIDE_W;
    int wide_d = o->form == WIDE || o->form == WIDE_W || o->form == WRED;
    fill(va, wide_vs2 ? 8 : bytes, wide_vs2 ? F64 : vals, wide_vs2 ? N64 : n, seed, 1);
    fill(vb, o->form == WRED ? 8 : bytes, o->form == WRED ? F64 : vals,
         o->form == WRED ? N64 : n, seed * 3 + 7, 5);
    if (sums && o->form == WRED)
        fill(vb, 8, SUM64, LEN(SUM64), 2, 1);
    fill(vd, wide_d ? 8 : bytes, wide_d ? F64 : vals, wide_d ? N64 : n, seed + 3, 7);
    struct run r = {.vtype = vtype_of(sew, vlmul), .avl = avl, .frm = rm, .fbits = f};
    int lmul_log2 = vlmul < 4 ? vlmul : vlmul - 8;
    int d_log2 = lmul_log2 + (o->form == WIDE || o->form == WIDE_W);
    int regs = o->form == RED || o->form == WRED ? 1 : d_log2 > 0 ? 1 << d_log2 : 1;
    char name[64];
    snprintf(name, sizeof name, "%s%s e%d%s", o->name, masked ? ".m" : "", sew,
             sums ? " sums" : "");
    show(name, masked ? o->m : o->u, &r, wide_d ? 8 : bytes, regs > 8 ? 8 : regs, 0);
}

/* Every index of the estimate tables: 128 fraction patterns at two exponents (both
 * parities), and subnormals with every count of leading zeros. */
static void estimate_tables(void)
{
    static const struct op rec = {"frec7", frec7_u, frec7_m, SAME};
    static const struct op rsq = {"frsqrt7", frsqrt7_u, frsqrt7_m, SAME};
    for (int sew = 32; sew <= 64; sew += 32) {
        int per = 1024 / sew, fbits = sew == 32 ? 23 : 52;
        for (int e = 0; e < 3; e++) {
            for (int base = 0; base < 128; base += per) {
                for (int i = 0; i < per; i++) {
                    uint64_t frac, exp = sew == 32 ? 126 + e : 1022 + e, sign = 0;
                    if (e == 2) { /* subnormals: leading zeros from 0 on, and negative */
                        int lz = (base + i) % fbits;
                        frac = (1ull << (fbits - 1 - lz)) | ((base + i) & 3);
                        exp = 0;
                        sign = (base + i) >= fbits;
                    } else {
                        frac = (uint64_t)(base + i) << (fbits - 7) | 0x2a5;
                    }
                    uint64_t v = sign << (sew - 1) | exp << fbits | frac;
                    memcpy(va + i * (sew / 8), &v, sew / 8);
                }
                for (int k = 0; k < 2; k++) {
                    const struct op *o = k ? &rsq : &rec;
                    memset(vd, 0, sizeof vd);
                    struct run r = {.vtype = vtype_of(sew, 3), .avl = per, .frm = base % 5};
                    char name[64];
                    snprintf(name, sizeof name, "%s table e%d exp%d from %d", o->name, sew, e, base);
                    show(name, o->u, &r, sew / 8, 8, 0);
                }
            }
        }
    }
}

/* Register overlap, alignment and masked-v0 rules, an invalid frm, vstart. */
KERNEL(ov_w_lo, "vfwadd.vv v8, v8, v16")       /* vs2 in the low half of vd */
KERNEL(ov_w_hi, "vfwadd.vv v8, v9, v16")       /* vs2 the high half: legal at m1 */
KERNEL(ov_w_hi1, "vfwadd.vv v24, v8, v25")     /* vs1 the high half: legal at m1 */
KERNEL(ov_w_vs1lo, "vfwadd.vv v24, v8, v24")
KERNEL(ov_w_wv, "vfwadd.wv v8, v8, v16")       /* same EEW: legal */
KERNEL(ov_w_odd, "vfwadd.vv v25, v8, v16")     /* misaligned wide vd */
KERNEL(ov_w_v0, "vfwadd.vv v0, v8, v16, v0.t")
KERNEL(ov_w_cvt, "vfwcvt.f.f.v v8, v9")        /* high half at m1: legal */
KERNEL(ov_n_same, "vfncvt.f.f.w v8, v8")       /* low part of vs2: legal */
KERNEL(ov_n_hi, "vfncvt.f.f.w v9, v8")
KERNEL(ov_n_odd, "vfncvt.f.f.w v24, v9")
KERNEL(ov_add_v0, "vfadd.vv v0, v8, v16, v0.t")
KERNEL(ov_cmp_v0, "vmfeq.vv v0, v8, v16, v0.t") /* a mask result may overwrite v0 */
KERNEL(ov_cmp_first, "vmfeq.vv v8, v8, v16")
KERNEL(ov_cmp_second, "vmfeq.vv v9, v8, v16")
KERNEL(ov_cmp_vs1, "vmflt.vv v17, v8, v16")
KERNEL(ov_up_self, "vfslide1up.vf v8, v8, ft0")
KERNEL(ov_down_self, "vfslide1down.vf v8, v8, ft0")
KERNEL(ov_red_v0, "vfredusum.vs v0, v8, v16, v0.t")
KERNEL(ov_red_odd, "vfredmax.vs v25, v9, v17")
KERNEL(ov_wred_vd, "vfwredosum.vs v9, v8, v3")
KERNEL(ov_merge_v0, "vfmerge.vfm v0, v8, ft0, v0")
KERNEL(ov_add_odd, "vfadd.vv v24, v9, v16")
KERNEL(ov_mvfs_odd, "vfmv.f.s ft1, v9")
KERNEL(ov_mvsf_odd, "vfmv.s.f v25, ft0")
KERNEL(vs_add, "csrwi vstart, 2\n\tvfadd.vv v24, v8, v16")
KERNEL(vs_red, "csrwi vstart, 1\n\tvfredosum.vs v24, v8, v16")
KERNEL(vs_mvsf, "csrwi vstart, 3\n\tvfmv.s.f v24, ft0")
KERNEL(vs_wcvt, "csrwi vstart, 1\n\tvfwcvt.f.f.v v24, v8")
KERNEL(frm_sgnj, "vfsgnj.vv v24, v8, v16")
KERNEL(frm_min, "vfmin.vf v24, v8, ft0")
KERNEL(frm_cmp, "vmfle.vv v24, v8, v16")
KERNEL(frm_class, "vfclass.v v24, v8")
KERNEL(frm_rsqrt, "vfrsqrt7.v v24, v8")
KERNEL(frm_wcvt, "vfwcvt.f.f.v v24, v8")

struct rule {
    const char *name;
    kernel k;
    int sew, vlmul, avl, bytes, regs, scalar;
};
static const struct rule rules[] = {
    {"ov_w_lo m1", ov_w_lo, 32, 0, 4, 8, 2, 0},
    {"ov_w_lo mf2", ov_w_lo, 32, 7, 2, 8, 1, 0},
    {"ov_w_hi m1", ov_w_hi, 32, 0, 4, 8, 2, 0},
    {"ov_w_hi mf2", ov_w_hi, 32, 7, 2, 8, 1, 0},
    {"ov_w_hi m2", ov_w_hi, 32, 1, 8, 8, 4, 0},
    {"ov_w_hi1 m1", ov_w_hi1, 32, 0, 4, 8, 2, 0},
    {"ov_w_vs1lo m1", ov_w_vs1lo, 32, 0, 4, 8, 2, 0},
    {"ov_w_wv m1", ov_w_wv, 32, 0, 4, 8, 2, 0},
    {"ov_w_odd m1", ov_w_odd, 32, 0, 4, 8, 2, 0},
    {"ov_w_odd mf2", ov_w_odd, 32, 7, 2, 8, 1, 0},
    {"ov_w_v0 mf2", ov_w_v0, 32, 7, 2, 8, 1, 0},
    {"ov_w_cvt m1 e16", ov_w_cvt, 16, 0, 8, 4, 2, 0},
    {"ov_n_same m1", ov_n_same, 32, 0, 4, 4, 1, 0},
    {"ov_n_same mf2", ov_n_same, 32, 7, 2, 4, 1, 0},
    {"ov_n_hi m1", ov_n_hi, 32, 0, 4, 4, 1, 0},
    {"ov_n_hi mf2", ov_n_hi, 32, 7, 2, 4, 1, 0},
    {"ov_n_odd m1", ov_n_odd, 32, 0, 4, 4, 1, 0},
    {"ov_n_odd mf2", ov_n_odd, 32, 7, 2, 4, 1, 0},
    {"ov_add_v0 m1", ov_add_v0, 64, 0, 2, 8, 1, 0},
    {"ov_cmp_v0 m1", ov_cmp_v0, 64, 0, 2, 8, 1, 0},
    {"ov_cmp_first m2", ov_cmp_first, 32, 1, 8, 1, 1, 0},
    {"ov_cmp_second m2", ov_cmp_second, 32, 1, 8, 1, 1, 0},
    {"ov_cmp_second m1", ov_cmp_second, 32, 0, 4, 1, 1, 0},
    {"ov_cmp_vs1 m2", ov_cmp_vs1, 32, 1, 8, 1, 1, 0},
    {"ov_up_self m1", ov_up_self, 32, 0, 4, 4, 1, 0},
    {"ov_down_self m1", ov_down_self, 32, 0, 4, 4, 1, 0},
    {"ov_red_v0 m2", ov_red_v0, 32, 1, 8, 4, 1, 0},
    {"ov_red_odd m1", ov_red_odd, 64, 0, 2, 8, 1, 0},
    {"ov_red_odd m2", ov_red_odd, 64, 1, 4, 8, 1, 0},
    {"ov_wred_vd m1", ov_wred_vd, 32, 0, 4, 8, 1, 0},
    {"ov_merge_v0 m1", ov_merge_v0, 32, 0, 4, 4, 1, 0},
    {"ov_add_odd m2", ov_add_odd, 32, 1, 8, 4, 2, 0},
    {"ov_mvfs_odd m8", ov_mvfs_odd, 64, 3, 16, 8, 1, 1},
    {"ov_mvsf_odd m8", ov_mvsf_odd, 32, 3, 16, 4, 2, 0},
    {"vs_add", vs_add, 32, 0, 4, 4, 1, 0},
    {"vs_red", vs_red, 32, 0, 4, 4, 1, 0},
    {"vs_mvsf", vs_mvsf, 64, 1, 4, 8, 1, 0},
    {"vs_mvsf below", vs_mvsf, 64, 1, 3, 8, 1, 0},
    {"vs_wcvt", vs_wcvt, 16, 0, 8, 4, 2, 0},
    {"fmerge vl0", fmerge, 32, 0, 0, 4, 1, 0},
    {"fmv_f_s vl0", fmv_f_s, 32, 0, 0, 4, 1, 1},
    {"fmv_s_f vl0", fmv_s_f, 32, 0, 0, 4, 1, 0},
    {"fredusum vl0", fredusum_u, 32, 0, 0, 4, 1, 0},
    {"fwredosum vl0", fwredosum_u, 32, 0, 0, 8, 1, 0},
    {"fmv_f_s e16", fmv_f_s, 16, 0, 8, 2, 1, 1},
    {"fmv_s_f e16", fmv_s_f, 16, 0, 8, 2, 1, 0},
    {"fmv_v_f e16", fmv_v_f, 16, 0, 8, 2, 1, 0},
    {"fmerge e8", fmerge, 8, 0, 8, 1, 1, 0},
    {"fwmul e64", fwmul_vv_u, 64, 0, 2, 8, 1, 0},
    {"fwadd m8", fwadd_vv_u, 32, 3, 4, 8, 1, 0},
    {"fwredusum e64", fwredusum_u, 64, 0, 2, 8, 1, 0},
    {"fwredusum e16", fwredusum_u, 16, 0, 8, 4, 1, 0},
};

/* Instructions that do not round, run with an invalid frm (5, 6, 7), vl = 0 too. */
static const struct rule frm_rules[] = {
    {"frm sgnj", frm_sgnj, 32, 0, 4, 4, 1, 0},     {"frm min", frm_min, 64, 0, 2, 8, 1, 0},
    {"frm cmp", frm_cmp, 32, 0, 4, 4, 1, 0},       {"frm class", frm_class, 32, 0, 4, 4, 1, 0},
    {"frm rsqrt7", frm_rsqrt, 64, 0, 2, 8, 1, 0},  {"frm wcvt e16", frm_wcvt, 16, 0, 8, 4, 2, 0},
    {"frm merge", fmerge, 32, 0, 4, 4, 1, 0},      {"frm mv.v.f", fmv_v_f, 32, 0, 4, 4, 1, 0},
    {"frm mv.f.s", fmv_f_s, 64, 0, 2, 8, 1, 1},    {"frm mv.s.f", fmv_s_f, 64, 0, 2, 8, 1, 0},
    {"frm slide1up", fslide1up_u, 32, 0, 4, 4, 1, 0},
    {"frm redmax", fredmax_u, 32, 0, 4, 4, 1, 0},
    {"frm fwadd", fwadd_vv_u, 32, 0, 4, 8, 2, 0},
};

int main(void)
{
    catch_sigill();
    for (unsigned i = 0; i < sizeof ops / sizeof ops[0]; i++) {
        const struct op *o = &ops[i];
        int wide = o->form == WIDE || o->form == WIDE_W || o->form == WRED;
        for (int sew = 32; sew <= 64; sew += 32) {
            if (wide && sew == 64)
                continue;
            int vlmax8 = 1024 / sew;
            int top = wide ? 2 : 3; /* the widest legal LMUL */
            for (int rm = 0; rm < 5; rm++)
                run_op(o, sew, top, vlmax8 >> (3 - top), 0, rm, 0, scalar_of(sew, rm), 0);
            run_op(o, sew, top, 1000, 1, 0, 11, scalar_of(sew, 5), 0);
            run_op(o, sew, 0, 128 / sew - 1, 0, 0, 23, scalar_of(sew, 6), 0);
            run_op(o, sew, 1, 3, 1, 2, 31, scalar_of(sew, 7), 0);
            if (sew < 64) /* e64 at mf2 needs ELEN > 64 (qemu 10 accepts it) */
                run_op(o, sew, 7, 1000, 1, 0, 37, scalar_of(sew, 4), 0);
            if (o->form == RED || o->form == WRED) {
                for (int rm = 0; rm < 5; rm++)
                    run_op(o, sew, top, 1000, 0, rm, 0, 0, 1);
                run_op(o, sew, top, 1000, 1, 0, 4, 0, 1);
                run_op(o, sew, 0, 1000, 0, 0, 9, 0, 1);
            }
        }
    }
    /* Moves and merges: NaN-boxed, improperly boxed, doubles; vl below VLMAX; masks. */
    static const uint64_t scalars[] = {0xffffffff3f800000ull, 0xffffffff7f800001ull,
                                       0x000000003f800000ull, 0xfffffffe3f800000ull,
                                       0x3ff8000000000000ull, 0x7ff0000000000001ull};
    static const struct rule moves[] = {
        {"fmerge", fmerge, 0, 1, 5, 0, 2, 0}, {"fmv_v_f", fmv_v_f, 0, 0, 3, 0, 1, 0},
        {"fmv_f_s", fmv_f_s, 0, 1, 5, 0, 2, 1}, {"fmv_s_f", fmv_s_f, 0, 1, 5, 0, 2, 0},
    };
    for (unsigned m = 0; m < sizeof moves / sizeof moves[0]; m++)
        for (int sew = 32; sew <= 64; sew += 32)
            for (unsigned s = 0; s < sizeof scalars / sizeof scalars[0]; s++) {
                fill(va, sew / 8, sew == 32 ? F32 : F64, sew == 32 ? N32 : N64, s, 3);
                memset(vd, 0x3c, sizeof vd);
                struct run r = {.vtype = vtype_of(sew, moves[m].vlmul), .avl = moves[m].avl,
                                .fbits = scalars[s]};
                char name[64];
                snprintf(name, sizeof name, "%s e%d", moves[m].name, sew);
                show(name, moves[m].k, &r, sew / 8, moves[m].regs, moves[m].scalar);
            }
    estimate_tables();
    for (unsigned i = 0; i < sizeof rules / sizeof rules[0]; i++) {
        const struct rule *u = &rules[i];
        fill(va, 4, F32, N32, i, 1);
        fill(vb, 4, F32, N32, i + 5, 3);
        memset(vd, 0x3c, sizeof vd);
        struct run r = {.vtype = vtype_of(u->sew, u->vlmul), .avl = u->avl,
                        .fbits = 0xffffffff40400000ull};
        show(u->name, u->k, &r, u->bytes, u->regs, u->scalar);
    }
    for (unsigned i = 0; i < sizeof frm_rules / sizeof frm_rules[0]; i++) {
        const struct rule *u = &frm_rules[i];
        for (int rm = 4; rm < 8; rm++)
            for (int vl0 = 0; vl0 < 2; vl0++) {
                fill(va, 4, F32, N32, i, 1);
                fill(vb, 4, F32, N32, i + 5, 3);
                memset(vd, 0x3c, sizeof vd);
                struct run r = {.vtype = vtype_of(u->sew, u->vlmul), .avl = vl0 ? 0 : u->avl,
                                .frm = rm, .fbits = 0xffffffff40400000ull};
                show(u->name, u->k, &r, u->bytes, u->regs, u->scalar);
            }
    }
    return 0;
}
