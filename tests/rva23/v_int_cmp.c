// cflags: -march=rv64gcv
// Integer add/subtract with carry (vadc, vsbc, vmadc, vmsbc) and the integer compares,
// which write masks: every SEW, LMULs 1/4..8, masked and not, tails and vstart, and the
// register rules (vd = v0 for vadc/vsbc; a mask result overlapping its sources).
#include "vtest.h"

int main(void)
{
    vt_setup();
    VT_ALL("vadc.vvm v8, v16, v24, v0", "vadc.vvm v8, v24, v16, v0", 0);
    VT_ALL("vadc.vxm v8, v16, t0, v0", "vadc.vxm v8, v24, t0, v0", -1);
    VT_ALL("vadc.vim v8, v16, -16, v0", "vadc.vim v8, v24, 15, v0", 0);
    VT_ALL("vsbc.vvm v8, v16, v24, v0", "vsbc.vvm v8, v24, v16, v0", 0);
    VT_ALL("vsbc.vxm v8, v16, t0, v0", "vsbc.vxm v8, v24, t0, v0", 0x8000000000000000);
    VT_ALL("vmadc.vv v8, v16, v24", "vmadc.vvm v8, v16, v24, v0", 0);
    VT_ALL("vmadc.vx v8, v16, t0", "vmadc.vxm v8, v24, t0, v0", -1);
    VT_ALL("vmadc.vi v8, v16, -1", "vmadc.vim v8, v24, 1, v0", 0);
    VT_ALL("vmsbc.vv v8, v16, v24", "vmsbc.vvm v8, v16, v24, v0", 0);
    VT_ALL("vmsbc.vx v8, v16, t0", "vmsbc.vxm v8, v24, t0, v0", 1);
    VT_ALL("vmseq.vv v8, v16, v24", "vmseq.vv v8, v16, v24, v0.t", 0);
    VT_ALL("vmseq.vx v8, v16, t0", "vmseq.vx v8, v24, t0, v0.t", -1);
    VT_ALL("vmseq.vi v8, v16, -1", "vmseq.vi v8, v24, 0, v0.t", 0);
    VT_ALL("vmsne.vv v8, v16, v24", "vmsne.vv v8, v16, v24, v0.t", 0);
    VT_ALL("vmsne.vx v8, v16, t0", "vmsne.vx v8, v24, t0, v0.t", 0);
    VT_ALL("vmsne.vi v8, v16, 1", "vmsne.vi v8, v24, -16, v0.t", 0);
    VT_ALL("vmsltu.vv v8, v16, v24", "vmsltu.vv v8, v16, v24, v0.t", 0);
    VT_ALL("vmsltu.vx v8, v16, t0", "vmsltu.vx v8, v24, t0, v0.t", 2);
    VT_ALL("vmslt.vv v8, v16, v24", "vmslt.vv v8, v16, v24, v0.t", 0);
    VT_ALL("vmslt.vx v8, v16, t0", "vmslt.vx v8, v24, t0, v0.t", -2);
    VT_ALL("vmsleu.vv v8, v16, v24", "vmsleu.vv v8, v16, v24, v0.t", 0);
    VT_ALL("vmsleu.vx v8, v16, t0", "vmsleu.vx v8, v24, t0, v0.t", 0x7f);
    VT_ALL("vmsleu.vi v8, v16, -2", "vmsleu.vi v8, v24, 5, v0.t", 0);
    VT_ALL("vmsle.vv v8, v16, v24", "vmsle.vv v8, v16, v24, v0.t", 0);
    VT_ALL("vmsle.vx v8, v16, t0", "vmsle.vx v8, v24, t0, v0.t", 0x80);
    VT_ALL("vmsle.vi v8, v16, -16", "vmsle.vi v8, v24, 15, v0.t", 0);
    VT_ALL("vmsgtu.vx v8, v16, t0", "vmsgtu.vx v8, v24, t0, v0.t", 0x8000);
    VT_ALL("vmsgtu.vi v8, v16, -1", "vmsgtu.vi v8, v24, 0, v0.t", 0);
    VT_ALL("vmsgt.vx v8, v16, t0", "vmsgt.vx v8, v24, t0, v0.t", 0x7fffffff);
    VT_ALL("vmsgt.vi v8, v16, -16", "vmsgt.vi v8, v24, 3, v0.t", 0);

    /* Register rules. vadc/vsbc may not write v0; a mask result may go to v0 even when
     * masked, may be a source's first register, but no other register of a source. */
    VT("e32, m1, tu, mu", 0, 0, 0, "vadc.vvm v0, v16, v24, v0");
    VT("e32, m1, tu, mu", 0, 0, 0, "vsbc.vxm v0, v16, t0, v0");
    VT("e8, m1, tu, mu", 0, 0, 0, "vmadc.vvm v0, v16, v24, v0");
    VT("e16, m2, tu, mu", 0, 0, 0, "vmslt.vv v0, v16, v24, v0.t");
    VT("e16, m8, tu, mu", 0, 0, 0, "vmsle.vv v16, v16, v24, v0.t");
    VT("e16, m8, tu, mu", 0, 0, 0, "vmsle.vv v24, v16, v24");
    VT("e16, m8, tu, mu", 0, 0, 0, "vmsle.vv v17, v16, v24");
    VT("e16, m2, tu, mu", 0, 0, 0, "vmseq.vx v17, v16, t0");
    VT("e16, m2, tu, mu", 0, 0, 0, "vmseq.vv v25, v16, v24");
    VT("e64, m4, tu, mu", 0, 0, 0, "vmsbc.vv v19, v16, v24");
    VT("e64, m4, tu, mu", 0, 0, 0, "vmsbc.vv v16, v16, v24");
    VT("e8, mf2, tu, mu", 0, 0, 0, "vmsne.vv v16, v16, v16");
    VT("e8, m2, tu, mu", 0, 0, 0, "vmsne.vv v8, v17, v24");
    VT("e8, m2, tu, mu", 0, 0, 0, "vadc.vvm v9, v16, v24, v0");
    /* vstart past vl: nothing is written. */
    VT("e8, m1, tu, mu", 10, 9, 0, "vmseq.vv v8, v16, v24");
    VT("e8, m1, tu, mu", 10, 9, 0, "vadc.vvm v8, v16, v24, v0");
    return 0;
}
