// cflags: -march=rv64gcv
/* Vector FP conversions: vfcvt, vfwcvt and vfncvt in every form (rtz and rod included)
 * at every SEW (the illegal ones print ILL: qemu's rva23u64 has Zvfhmin, so f16 is
 * legal only in vfwcvt.f.f.v and vfncvt.f.f.w), every rounding mode, several LMULs,
 * masked and unmasked, vl below VLMAX, over FP specials and integer limits. */
#include "vfloat.h"

#define V1 "v24, v8"
KPAIR(cvt_xu_f, "vfcvt.xu.f.v", V1) KPAIR(cvt_x_f, "vfcvt.x.f.v", V1)
KPAIR(cvt_f_xu, "vfcvt.f.xu.v", V1) KPAIR(cvt_f_x, "vfcvt.f.x.v", V1)
KPAIR(cvt_rtz_xu_f, "vfcvt.rtz.xu.f.v", V1) KPAIR(cvt_rtz_x_f, "vfcvt.rtz.x.f.v", V1)
KPAIR(wcvt_xu_f, "vfwcvt.xu.f.v", V1) KPAIR(wcvt_x_f, "vfwcvt.x.f.v", V1)
KPAIR(wcvt_f_xu, "vfwcvt.f.xu.v", V1) KPAIR(wcvt_f_x, "vfwcvt.f.x.v", V1)
KPAIR(wcvt_f_f, "vfwcvt.f.f.v", V1)
KPAIR(wcvt_rtz_xu_f, "vfwcvt.rtz.xu.f.v", V1) KPAIR(wcvt_rtz_x_f, "vfwcvt.rtz.x.f.v", V1)
KPAIR(ncvt_xu_f, "vfncvt.xu.f.w", V1) KPAIR(ncvt_x_f, "vfncvt.x.f.w", V1)
KPAIR(ncvt_f_xu, "vfncvt.f.xu.w", V1) KPAIR(ncvt_f_x, "vfncvt.f.x.w", V1)
KPAIR(ncvt_f_f, "vfncvt.f.f.w", V1) KPAIR(ncvt_rod_f_f, "vfncvt.rod.f.f.w", V1)
KPAIR(ncvt_rtz_xu_f, "vfncvt.rtz.xu.f.w", V1) KPAIR(ncvt_rtz_x_f, "vfncvt.rtz.x.f.w", V1)

static const uint64_t F16[] = {
    0x0000, 0x8000, 0x7c00, 0xfc00, 0x7e00, 0x7c01, 0x7e55, 0xfe00, 0x3c00, 0xbc00,
    0x3e00, 0x2e66, 0x3555, 0x0001, 0x03ff, 0x8003, 0x0400, 0x7bff, 0xfbff, 0x5640,
    0xd3ff, 0x7a00, 0x3bff, 0x0200,
};
static const uint64_t I8[] = {0x00, 0x01, 0xff, 0x7f, 0x80, 0x12, 0xfe, 0x55};
static const uint64_t I16[] = {0x0000, 0x0001, 0xffff, 0x7fff, 0x8000, 0x1234,
                               0xfffe, 0x0801, 0xf7ff, 0x00ff, 0x4000, 0xc001};
static const uint64_t I32[] = {0x00000000, 0x00000001, 0xffffffff, 0x7fffffff, 0x80000000,
                               0x01000001, 0x00ffffff, 0xfffffff0, 0x12345678, 0x80000001,
                               0x7fffff80, 0xff000001, 0x00000100, 0xfeffffff};
static const uint64_t I64[] = {
    0x0000000000000000, 0x0000000000000001, 0xffffffffffffffff, 0x7fffffffffffffff,
    0x8000000000000000, 0x0020000000000001, 0x0000000001000001, 0x00000000ffffffff,
    0x0000000100000001, 0x8000008000000001, 0xfffffffffffffc01, 0x123456789abcdef0,
    0x7fffff8000000000, 0xffffff7fffffffff, 0x0010000000000003, 0xffdfffffffffffff,
};
#define LEN(a) (int)(sizeof a / sizeof a[0])

enum src { FLOAT, INT };
struct op {
    const char *name;
    kernel u, m;
    enum src src;
    int src_scale, dst_scale; /* element widths in units of SEW */
};
#define OP(id, src, s, d) {#id, id##_u, id##_m, src, s, d}
static const struct op ops[] = {
    OP(cvt_xu_f, FLOAT, 1, 1),      OP(cvt_x_f, FLOAT, 1, 1),
    OP(cvt_f_xu, INT, 1, 1),        OP(cvt_f_x, INT, 1, 1),
    OP(cvt_rtz_xu_f, FLOAT, 1, 1),  OP(cvt_rtz_x_f, FLOAT, 1, 1),
    OP(wcvt_xu_f, FLOAT, 1, 2),     OP(wcvt_x_f, FLOAT, 1, 2),
    OP(wcvt_f_xu, INT, 1, 2),       OP(wcvt_f_x, INT, 1, 2),
    OP(wcvt_f_f, FLOAT, 1, 2),      OP(wcvt_rtz_xu_f, FLOAT, 1, 2),
    OP(wcvt_rtz_x_f, FLOAT, 1, 2),  OP(ncvt_xu_f, FLOAT, 2, 1),
    OP(ncvt_x_f, FLOAT, 2, 1),      OP(ncvt_f_xu, INT, 2, 1),
    OP(ncvt_f_x, INT, 2, 1),        OP(ncvt_f_f, FLOAT, 2, 1),
    OP(ncvt_rod_f_f, FLOAT, 2, 1),  OP(ncvt_rtz_xu_f, FLOAT, 2, 1),
    OP(ncvt_rtz_x_f, FLOAT, 2, 1),
};

static void source(enum src src, int bytes, const uint64_t **vals, int *n)
{
    if (src == FLOAT) {
        switch (bytes) {
        case 2: *vals = F16, *n = LEN(F16); return;
        case 4: *vals = F32, *n = N32; return;
        default: *vals = F64, *n = N64; return;
        }
    }
    switch (bytes) {
    case 1: *vals = I8, *n = LEN(I8); return;
    case 2: *vals = I16, *n = LEN(I16); return;
    case 4: *vals = I32, *n = LEN(I32); return;
    default: *vals = I64, *n = LEN(I64); return;
    }
}

static void run_op(const struct op *o, int sew, int vlmul, int avl, int masked, int rm, int seed)
{
    int src_bytes = sew / 8 * o->src_scale, dst_bytes = sew / 8 * o->dst_scale;
    const uint64_t *vals;
    int n;
    source(o->src, src_bytes > 8 ? 8 : src_bytes, &vals, &n);
    fill(va, src_bytes > 8 ? 8 : src_bytes, vals, n, seed, 1);
    memset(vd, 0xa5, sizeof vd);
    struct run r = {.vtype = vtype_of(sew, vlmul), .avl = avl, .frm = rm};
    /* Registers in the destination group. */
    int lmul_log2 = vlmul < 4 ? vlmul : vlmul - 8;
    int d_log2 = lmul_log2 + (o->dst_scale == 2);
    int regs = d_log2 > 0 ? 1 << d_log2 : 1;
    if (regs > 8)
        regs = 8;
    char name[64];
    snprintf(name, sizeof name, "%s%s e%d", o->name, masked ? ".m" : "", sew);
    show(name, masked ? o->m : o->u, &r, dst_bytes > 8 ? 8 : dst_bytes, regs, 0);
}

int main(void)
{
    catch_sigill();
    for (unsigned i = 0; i < sizeof ops / sizeof ops[0]; i++) {
        const struct op *o = &ops[i];
        for (int sew = 8; sew <= 64; sew *= 2) {
            /* m2 with the whole group (so wide groups are m4), every rounding mode. */
            for (int rm = 0; rm < 5; rm++)
                run_op(o, sew, 1, 1000, 0, rm, 0);
            /* Other seeds, LMULs, masks and vl below VLMAX. */
            run_op(o, sew, 1, 1000, 1, 0, 9);
            run_op(o, sew, 2, 1000, 0, 3, 17);
            run_op(o, sew, 0, 128 / sew - 1, 1, 1, 5);
            if (sew < 64) /* e64 at mf2 needs ELEN > 64 (qemu 10 accepts it) */
                run_op(o, sew, 7, 1000, 0, 4, 3);
            run_op(o, sew, 3, 7, 0, 0, 2); /* widening at m8: illegal */
        }
    }
    return 0;
}
