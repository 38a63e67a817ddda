// cflags: -march=rv64gcv
// Fixed-point arithmetic - saturating add/subtract, averaging add/subtract, vsmul, the
// scaling shifts and the narrowing clips - at every SEW and LMUL 1/8..8, masked and not,
// with tails and vstart, in each vxrm mode (rnu, rne, rdn, rod), printing vxsat. The
// edge values of the register file (MIN, MAX, -1, ...) saturate and round at the ties.
#include "vtest.h"

int main(void)
{
    vt_setup();
    VT_ALL("vsaddu.vv v8, v16, v24", "vsaddu.vv v8, v16, v24, v0.t", 0);
    VT_ALL("vsaddu.vx v8, v16, t0", "vsaddu.vi v8, v24, -1, v0.t", 0x7f);
    VT_ALL("vsaddu.vi v8, v16, 15", "vsaddu.vx v8, v24, t0, v0.t", 1);
    VT_ALL("vsadd.vv v8, v16, v24", "vsadd.vv v8, v16, v24, v0.t", 0);
    VT_ALL("vsadd.vx v8, v16, t0", "vsadd.vi v8, v24, -16, v0.t", -1);
    VT_ALL("vsadd.vi v8, v16, 1", "vsadd.vx v8, v24, t0, v0.t", 0x8000000000000000);
    VT_ALL("vssubu.vv v8, v16, v24", "vssubu.vv v8, v16, v24, v0.t", 0);
    VT_ALL("vssubu.vx v8, v16, t0", "vssubu.vx v8, v24, t0, v0.t", 1);
    VT_ALL("vssub.vv v8, v16, v24", "vssub.vv v8, v16, v24, v0.t", 0);
    VT_ALL("vssub.vx v8, v16, t0", "vssub.vx v8, v24, t0, v0.t", -1);
    for (vt_rm = 0; vt_rm < 4; vt_rm++) {
        printf("vxrm=%ld\n", vt_rm);
        VT_ALL("vaaddu.vv v8, v16, v24", "vaaddu.vv v8, v16, v24, v0.t", 0);
        VT_ALL("vaaddu.vx v8, v16, t0", "vaaddu.vx v8, v24, t0, v0.t", -1);
        VT_ALL("vaadd.vv v8, v16, v24", "vaadd.vv v8, v16, v24, v0.t", 0);
        VT_ALL("vaadd.vx v8, v16, t0", "vaadd.vx v8, v24, t0, v0.t", 1);
        VT_ALL("vasubu.vv v8, v16, v24", "vasubu.vv v8, v16, v24, v0.t", 0);
        VT_ALL("vasubu.vx v8, v16, t0", "vasubu.vx v8, v24, t0, v0.t", 3);
        VT_ALL("vasub.vv v8, v16, v24", "vasub.vv v8, v16, v24, v0.t", 0);
        VT_ALL("vasub.vx v8, v16, t0", "vasub.vx v8, v24, t0, v0.t", 0x8000000000000001);
        VT_ALL("vsmul.vv v8, v16, v24", "vsmul.vv v8, v16, v24, v0.t", 0);
        VT_ALL("vsmul.vx v8, v16, t0", "vsmul.vx v8, v24, t0, v0.t", 0x8000000000008080);
        VT_ALL("vssrl.vv v8, v16, v24", "vssrl.vv v8, v16, v24, v0.t", 0);
        VT_ALL("vssrl.vx v8, v16, t0", "vssrl.vi v8, v24, 1, v0.t", 66);
        VT_ALL("vssrl.vi v8, v16, 3", "vssrl.vx v8, v24, t0, v0.t", 7);
        VT_ALL("vssra.vv v8, v16, v24", "vssra.vv v8, v16, v24, v0.t", 0);
        VT_ALL("vssra.vx v8, v16, t0", "vssra.vi v8, v24, 2, v0.t", 1);
        VT_ALL("vssra.vi v8, v16, 31", "vssra.vx v8, v24, t0, v0.t", 5);
        VT_ALL("vnclipu.wv v8, v16, v24", "vnclipu.wv v8, v16, v24, v0.t", 0);
        VT_ALL("vnclipu.wx v8, v16, t0", "vnclipu.wi v8, v24, 1, v0.t", 3);
        VT_ALL("vnclipu.wi v8, v16, 0", "vnclipu.wx v8, v24, t0, v0.t", 65);
        VT_ALL("vnclip.wv v8, v16, v24", "vnclip.wv v8, v16, v24, v0.t", 0);
        VT_ALL("vnclip.wx v8, v16, t0", "vnclip.wi v8, v24, 2, v0.t", 1);
        VT_ALL("vnclip.wi v8, v16, 31", "vnclip.wx v8, v24, t0, v0.t", 7);
    }
    vt_rm = 0;
    /* vxsat is sticky: an instruction that does not saturate leaves it set. */
    VT("e8, m1, tu, mu", 0, 0, 0, "csrwi vxsat, 1; vsadd.vi v8, v16, 0");
    /* Clips follow the narrowing rules: SEW < 64, vs1 off vs2, no masked v0. */
    VT("e64, m1, tu, mu", 0, 0, 0, "vnclip.wi v8, v16, 3");
    VT("e32, m4, tu, mu", 0, 0, 0, "vnclipu.wv v16, v16, v24");
    VT("e32, m4, tu, mu", 0, 0, 0, "vnclipu.wv v20, v16, v24");
    VT("e32, m4, tu, mu", 0, 0, 0, "vnclipu.wv v8, v16, v20");
    VT("e32, m1, tu, mu", 0, 0, 0, "vnclip.wx v0, v16, t0, v0.t");
    VT("e32, m1, tu, mu", 0, 0, 0, "vsmul.vv v0, v16, v24, v0.t");
    VT("e32, m2, tu, mu", 0, 0, 0, "vsaddu.vv v8, v17, v24");
    return 0;
}
