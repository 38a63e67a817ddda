// cflags: -march=rv64gcv
// Single-width integer arithmetic, the multiply-add family (vmacc, vnmsac, vmadd,
// vnmsub) and the operations already there (add .. division, shifts, merges), at every
// SEW, LMUL 1/8..8, masked and not, with tails and vstart, on edge values: division by
// zero and MIN / -1, the high halves of products of MIN and -1, shift amounts past SEW.
#include "vtest.h"

int main(void)
{
    vt_setup();
    VT_ALL("vmacc.vv v8, v16, v24", "vmacc.vv v8, v24, v16, v0.t", 0);
    VT_ALL("vmacc.vx v8, t0, v16", "vmacc.vx v8, t0, v24, v0.t", -3);
    VT_ALL("vnmsac.vv v8, v16, v24", "vnmsac.vv v8, v24, v16, v0.t", 0);
    VT_ALL("vnmsac.vx v8, t0, v16", "vnmsac.vx v8, t0, v24, v0.t", 0x7fffffff);
    VT_ALL("vmadd.vv v8, v16, v24", "vmadd.vv v8, v24, v16, v0.t", 0);
    VT_ALL("vmadd.vx v8, t0, v16", "vmadd.vx v8, t0, v24, v0.t", 5);
    VT_ALL("vnmsub.vv v8, v16, v24", "vnmsub.vv v8, v24, v16, v0.t", 0);
    VT_ALL("vnmsub.vx v8, t0, v16", "vnmsub.vx v8, t0, v24, v0.t", -1);
    VT_ALL("vadd.vv v8, v16, v24", "vadd.vi v8, v24, -7, v0.t", 0);
    VT_ALL("vsub.vx v8, v16, t0", "vrsub.vi v8, v24, 15, v0.t", 0x55);
    VT_ALL("vminu.vv v8, v16, v24", "vmin.vv v8, v16, v24, v0.t", 0);
    VT_ALL("vmaxu.vx v8, v16, t0", "vmax.vx v8, v24, t0, v0.t", -2);
    VT_ALL("vand.vv v8, v16, v24", "vor.vi v8, v24, -16, v0.t", 0);
    VT_ALL("vxor.vx v8, v16, t0", "vxor.vi v8, v24, -1, v0.t", 0x0f0f);
    VT_ALL("vsll.vv v8, v16, v24", "vsll.vx v8, v24, t0, v0.t", 67);
    VT_ALL("vsrl.vv v8, v16, v24", "vsrl.vi v8, v24, 31, v0.t", 0);
    VT_ALL("vsra.vv v8, v16, v24", "vsra.vx v8, v24, t0, v0.t", 63);
    VT_ALL("vmul.vv v8, v16, v24", "vmul.vx v8, v24, t0, v0.t", -1);
    VT_ALL("vmulh.vv v8, v16, v24", "vmulh.vx v8, v24, t0, v0.t", 0x8000000000000000);
    VT_ALL("vmulhu.vv v8, v16, v24", "vmulhu.vx v8, v24, t0, v0.t", -1);
    VT_ALL("vmulhsu.vv v8, v16, v24", "vmulhsu.vx v8, v24, t0, v0.t", -1);
    VT_ALL("vdivu.vv v8, v16, v24", "vdivu.vx v8, v24, t0, v0.t", 0);
    VT_ALL("vdiv.vv v8, v16, v24", "vdiv.vx v8, v24, t0, v0.t", -1);
    VT_ALL("vremu.vv v8, v16, v24", "vremu.vx v8, v24, t0, v0.t", 0);
    VT_ALL("vrem.vv v8, v16, v24", "vrem.vx v8, v24, t0, v0.t", -1);
    VT_ALL("vmerge.vvm v8, v16, v24, v0", "vmerge.vxm v8, v24, t0, v0", 0x1234);
    VT_ALL("vmerge.vim v8, v16, -5, v0", "vmv.v.v v8, v24", 0);
    VT_ALL("vmv.v.x v8, t0", "vmv.v.i v8, -16", -42);
    /* The multiply-adds: a masked vd may not be v0, groups must be aligned. */
    VT("e32, m1, tu, mu", 0, 0, 0, "vmacc.vv v0, v16, v24, v0.t");
    VT("e32, m2, tu, mu", 0, 0, 0, "vmadd.vv v9, v16, v24");
    VT("e32, m2, tu, mu", 0, 0, 0, "vnmsub.vx v8, t0, v17");
    VT("e32, m1, tu, mu", 0, 0, 0, "vmacc.vv v8, v8, v8");
    return 0;
}
