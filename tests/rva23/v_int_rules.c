// cflags: -march=rv64gcv
// The register rules of the integer, fixed-point and widening operations. No register
// read with two EEWs (a mask counts as EEW 1, so no masked data source in v0; vwmacc's
// vd is a source), the overlaps section 5.2 allows between a destination and a source
// of different EEWs, and the exceptions qemu 10.0 makes (compares and the carry
// operations may read v0 as data).
#include "vtest.h"
int main(void)
{
    vt_setup();
    VT("e16, m1, tu, mu", 0, 0, 0, "vadd.vv v8, v16, v0, v0.t");
    VT("e16, m1, tu, mu", 0, 0, 0, "vadd.vv v8, v0, v16, v0.t");
    VT("e16, m1, tu, mu", 0, 0, 0, "vadd.vv v8, v0, v16");
    VT("e16, m1, tu, mu", 0, 0, 0, "vwadd.vv v8, v0, v24, v0.t");
    VT("e16, m1, tu, mu", 0, 0, 0, "vmseq.vv v8, v0, v24, v0.t");
    VT("e16, m1, tu, mu", 0, 0, 0, "vmseq.vv v8, v24, v0, v0.t");
    VT("e16, m1, tu, mu", 0, 0, 0, "vadc.vvm v8, v0, v24, v0");
    VT("e16, m1, tu, mu", 0, 0, 0, "vmadc.vvm v8, v0, v24, v0");
    VT("e16, m1, tu, mu", 0, 0, 0, "vmacc.vv v8, v0, v16, v0.t");
    VT("e16, m1, tu, mu", 0, 0, 0, "vzext.vf2 v8, v0, v0.t");
    VT("e16, m1, tu, mu", 0, 0, 0, "vmerge.vvm v8, v0, v16, v0");
    VT("e16, m1, tu, mu", 0, 0, 0, "vmerge.vvm v8, v16, v0, v0");
    VT("e16, m1, tu, mu", 0, 0, 0, "vnsrl.wv v8, v16, v17");
    VT("e16, m1, tu, mu", 0, 0, 0, "vnsrl.wv v8, v16, v16");
    VT("e16, m1, tu, mu", 0, 0, 0, "vnsrl.wv v16, v16, v16");
    VT("e16, m1, tu, mu", 0, 0, 0, "vnsrl.wv v8, v0, v16, v0.t");
    VT("e32, m4, tu, mu", 0, 0, 0, "vwmacc.vv v8, v12, v16");
    VT("e32, m4, tu, mu", 0, 0, 0, "vwadd.vv v8, v12, v12");
    VT("e32, m4, tu, mu", 0, 0, 0, "vwadd.vv v8, v12, v16");
    VT("e32, m4, tu, mu", 0, 0, 0, "vwadd.wv v8, v8, v16");
    VT("e32, m4, tu, mu", 0, 0, 0, "vwadd.wv v8, v16, v12");
    VT("e32, m4, tu, mu", 0, 0, 0, "vwadd.wv v8, v16, v20");
    VT("e32, m4, tu, mu", 0, 0, 0, "vwadd.wv v8, v16, v24");
    VT("e32, m1, tu, mu", 0, 0, 0, "vwadd.wv v8, v16, v17");
    VT("e32, m1, tu, mu", 0, 0, 0, "vwmaccu.vx v8, t0, v9");
    VT("e32, m1, tu, mu", 0, 0, 0, "vwmaccu.vx v8, t0, v8");
    VT("e32, m1, tu, mu", 0, 0, 0, "vwmulu.vx v8, v9, t0");
    VT("e16, m1, tu, mu", 0, 0, 0, "vnclip.wv v8, v16, v17");
    VT("e16, m1, tu, mu", 0, 0, 0, "vmslt.vv v0, v0, v16, v0.t");
    VT("e16, m1, tu, mu", 0, 0, 0, "vmslt.vx v0, v0, t0, v0.t");
    VT("e16, m1, tu, mu", 0, 0, 0, "vmsbc.vvm v0, v0, v16, v0");
    VT("e8, m1, tu, mu", 0, 0, 0, "vmsbc.vvm v1, v16, v0, v0");
    VT("e8, m1, tu, mu", 0, 0, 0, "vadc.vvm v8, v16, v0, v0");
    VT("e8, m1, tu, mu", 0, 0, 0, "vsbc.vxm v8, v0, t0, v0");
    VT("e8, m1, tu, mu", 0, 0, 0, "vmsbc.vvm v8, v16, v0, v0");
    VT("e8, m1, tu, mu", 0, 0, 0, "vsadd.vv v8, v16, v0, v0.t");
    VT("e8, m1, tu, mu", 0, 0, 0, "vsadd.vi v8, v0, 3, v0.t");
    VT("e8, m1, tu, mu", 0, 0, 0, "vnclip.wi v8, v0, 3, v0.t");
    VT("e8, m1, tu, mu", 0, 0, 0, "vmv.v.v v0, v0");
    VT("e8, m1, tu, mu", 0, 0, 0, "vmsgt.vi v8, v0, 3, v0.t");
    VT("e32, m2, tu, mu", 0, 0, 0, "vwmaccsu.vv v8, v2, v4");
    VT("e32, m2, tu, mu", 0, 0, 0, "vwmaccsu.vv v8, v12, v4");
    VT("e32, m2, tu, mu", 0, 0, 0, "vwmaccsu.vv v8, v4, v10");
    VT("e32, m2, tu, mu", 0, 0, 0, "vwmaccus.vx v8, t0, v10");
    VT("e32, m2, tu, mu", 0, 0, 0, "vnsrl.wv v8, v16, v18");
    VT("e32, m2, tu, mu", 0, 0, 0, "vnsrl.wv v16, v16, v18");
    VT("e32, m2, tu, mu", 0, 0, 0, "vnsrl.wv v16, v16, v20");
    VT("e32, m2, tu, mu", 0, 0, 0, "vwsubu.wv v8, v16, v20");
    VT("e32, m2, tu, mu", 0, 0, 0, "vwsubu.wv v8, v16, v10");
    VT("e32, m2, tu, mu", 0, 0, 0, "vwsubu.wx v8, v0, t0, v0.t");
    /* With vtype.vill set (e64 at mf8 is unsupported), every one of them is illegal. */
    VT("e64, mf8, tu, mu", 0, 0, 0, "vmacc.vv v8, v16, v24");
    VT("e64, mf8, tu, mu", 0, 0, 0, "vmseq.vi v8, v16, 1");
    VT("e64, mf8, tu, mu", 0, 0, 0, "vwaddu.vv v8, v16, v24");
    VT("e64, mf8, tu, mu", 0, 0, 0, "vsext.vf2 v8, v16");
    VT("e64, mf8, tu, mu", 0, 0, 0, "vsmul.vv v8, v16, v24");
    VT("e64, mf8, tu, mu", 0, 0, 0, "vnclipu.wi v8, v16, 1");
    VT("e64, mf8, tu, mu", 0, 0, 0, ".word 0x12<<26|1<<25|16<<20|0x0e<<15|2<<12|8<<7|0x57 # vcpop.v v8, v16");
    return 0;
}
