// cflags: -march=rv64gcv
// Widening integer arithmetic (vwadd[u], vwsub[u] and their .w forms, vwmul[u|su],
// vwmacc[u|su|us]), the narrowing shifts (vnsrl, vnsra) and the extensions
// (vzext/vsext .vf2/4/8): every SEW (SEW = 64 and LMUL = 8 are illegal for widening and
// narrowing), masked and not, tails and vstart, and the overlap rules of section 5.2.
#include "vtest.h"

int main(void)
{
    vt_setup();
    VT_ALL("vwaddu.vv v8, v16, v24", "vwaddu.vv v8, v16, v24, v0.t", 0);
    VT_ALL("vwaddu.vx v8, v16, t0", "vwaddu.vx v8, v24, t0, v0.t", -1);
    VT_ALL("vwadd.vv v8, v16, v24", "vwadd.vv v8, v16, v24, v0.t", 0);
    VT_ALL("vwadd.vx v8, v16, t0", "vwadd.vx v8, v24, t0, v0.t", 0x80808080);
    VT_ALL("vwsubu.vv v8, v16, v24", "vwsubu.vv v8, v16, v24, v0.t", 0);
    VT_ALL("vwsubu.vx v8, v16, t0", "vwsubu.vx v8, v24, t0, v0.t", 7);
    VT_ALL("vwsub.vv v8, v16, v24", "vwsub.vv v8, v16, v24, v0.t", 0);
    VT_ALL("vwsub.vx v8, v16, t0", "vwsub.vx v8, v24, t0, v0.t", -3);
    VT_ALL("vwaddu.wv v8, v16, v24", "vwaddu.wv v8, v16, v24, v0.t", 0);
    VT_ALL("vwaddu.wx v8, v16, t0", "vwaddu.wx v8, v24, t0, v0.t", -1);
    VT_ALL("vwadd.wv v8, v16, v24", "vwadd.wv v8, v16, v24, v0.t", 0);
    VT_ALL("vwadd.wx v8, v16, t0", "vwadd.wx v8, v24, t0, v0.t", 0xffff8000);
    VT_ALL("vwsubu.wv v8, v16, v24", "vwsubu.wv v8, v16, v24, v0.t", 0);
    VT_ALL("vwsubu.wx v8, v16, t0", "vwsubu.wx v8, v24, t0, v0.t", 1);
    VT_ALL("vwsub.wv v8, v16, v24", "vwsub.wv v8, v16, v24, v0.t", 0);
    VT_ALL("vwsub.wx v8, v16, t0", "vwsub.wx v8, v24, t0, v0.t", -128);
    VT_ALL("vwmulu.vv v8, v16, v24", "vwmulu.vv v8, v16, v24, v0.t", 0);
    VT_ALL("vwmulu.vx v8, v16, t0", "vwmulu.vx v8, v24, t0, v0.t", -1);
    VT_ALL("vwmul.vv v8, v16, v24", "vwmul.vv v8, v16, v24, v0.t", 0);
    VT_ALL("vwmul.vx v8, v16, t0", "vwmul.vx v8, v24, t0, v0.t", 0x80000080);
    VT_ALL("vwmulsu.vv v8, v16, v24", "vwmulsu.vv v8, v16, v24, v0.t", 0);
    VT_ALL("vwmulsu.vx v8, v16, t0", "vwmulsu.vx v8, v24, t0, v0.t", -1);
    VT_ALL("vwmaccu.vv v8, v16, v24", "vwmaccu.vv v8, v16, v24, v0.t", 0);
    VT_ALL("vwmaccu.vx v8, t0, v16", "vwmaccu.vx v8, t0, v24, v0.t", -1);
    VT_ALL("vwmacc.vv v8, v16, v24", "vwmacc.vv v8, v16, v24, v0.t", 0);
    VT_ALL("vwmacc.vx v8, t0, v16", "vwmacc.vx v8, t0, v24, v0.t", 0x8081);
    VT_ALL("vwmaccsu.vv v8, v16, v24", "vwmaccsu.vv v8, v24, v16, v0.t", 0);
    VT_ALL("vwmaccsu.vx v8, t0, v16", "vwmaccsu.vx v8, t0, v24, v0.t", -1);
    VT_ALL("vwmaccus.vx v8, t0, v16", "vwmaccus.vx v8, t0, v24, v0.t", -1);
    VT_ALL("vnsrl.wv v8, v16, v24", "vnsrl.wv v8, v16, v24, v0.t", 0);
    VT_ALL("vnsrl.wx v8, v16, t0", "vnsrl.wx v8, v24, t0, v0.t", 0x47);
    VT_ALL("vnsrl.wi v8, v16, 31", "vnsrl.wi v8, v24, 4, v0.t", 0);
    VT_ALL("vnsra.wv v8, v16, v24", "vnsra.wv v8, v16, v24, v0.t", 0);
    VT_ALL("vnsra.wx v8, v16, t0", "vnsra.wx v8, v24, t0, v0.t", 15);
    VT_ALL("vnsra.wi v8, v16, 7", "vnsra.wi v8, v24, 17, v0.t", 0);
    VT_ALL("vzext.vf2 v8, v16", "vzext.vf2 v8, v24, v0.t", 0);
    VT_ALL("vsext.vf2 v8, v16", "vsext.vf2 v8, v24, v0.t", 0);
    VT_ALL("vzext.vf4 v8, v16", "vzext.vf4 v8, v24, v0.t", 0);
    VT_ALL("vsext.vf4 v8, v16", "vsext.vf4 v8, v24, v0.t", 0);
    VT_ALL("vzext.vf8 v8, v16", "vzext.vf8 v8, v24, v0.t", 0);
    VT_ALL("vsext.vf8 v8, v16", "vsext.vf8 v8, v24, v0.t", 0);

    /* Overlap: a narrower source only as the highest part of the destination, with a
     * source EMUL of at least 1; a wider source only with the destination as its lowest
     * part; a masked destination never holding v0. */
    VT("e16, m1, tu, mu", 0, 0, 0, "vwadd.vv v8, v9, v24");
    VT("e16, m1, tu, mu", 0, 0, 0, "vwadd.vv v8, v9, v9");
    VT("e16, m1, tu, mu", 0, 0, 0, "vwadd.vv v8, v8, v24");
    VT("e16, m1, tu, mu", 0, 0, 0, "vwadd.vv v8, v24, v8");
    VT("e16, mf2, tu, mu", 0, 0, 0, "vwadd.vv v8, v8, v24");
    VT("e8, m2, tu, mu", 0, 0, 0, "vwmulu.vv v8, v10, v10");
    VT("e8, m2, tu, mu", 0, 0, 0, "vwmulu.vv v8, v16, v9");
    VT("e8, m2, tu, mu", 0, 0, 0, "vwmulu.vv v9, v16, v24");
    VT("e32, m4, tu, mu", 0, 0, 0, "vwmacc.vv v8, v12, v12");
    VT("e32, m4, tu, mu", 0, 0, 0, "vwmacc.vv v8, v10, v12");
    VT("e16, m1, tu, mu", 0, 0, 0, "vwadd.wv v8, v8, v9");
    VT("e16, m1, tu, mu", 0, 0, 0, "vwadd.wv v8, v8, v8");
    VT("e16, m1, tu, mu", 0, 0, 0, "vwadd.wv v8, v9, v24");
    VT("e16, m1, tu, mu", 0, 0, 0, "vwadd.vv v0, v16, v24, v0.t");
    VT("e16, m1, tu, mu", 0, 0, 0, "vwadd.vv v2, v16, v24, v0.t");
    VT("e32, m1, tu, mu", 0, 0, 0, "vnsrl.wi v8, v8, 3");
    VT("e32, m1, tu, mu", 0, 0, 0, "vnsrl.wi v9, v8, 3");
    VT("e32, m2, tu, mu", 0, 0, 0, "vnsra.wv v8, v8, v8");
    VT("e32, m2, tu, mu", 0, 0, 0, "vnsra.wv v10, v8, v24");
    VT("e32, mf2, tu, mu", 0, 0, 0, "vnsra.wx v8, v8, t0");
    VT("e32, m1, tu, mu", 0, 0, 0, "vnsrl.wi v0, v8, 3, v0.t");
    VT("e32, m1, tu, mu", 0, 0, 0, "vnsrl.wi v8, v9, 3");
    VT("e32, m1, tu, mu", 0, 0, 0, "vzext.vf2 v8, v8");
    VT("e32, m2, tu, mu", 0, 0, 0, "vzext.vf2 v8, v9");
    VT("e32, m2, tu, mu", 0, 0, 0, "vzext.vf2 v8, v8");
    VT("e64, m8, tu, mu", 0, 0, 0, "vsext.vf8 v8, v15");
    VT("e64, m8, tu, mu", 0, 0, 0, "vsext.vf8 v8, v14");
    VT("e64, m4, tu, mu", 0, 0, 0, "vsext.vf4 v8, v11");
    VT("e64, m4, tu, mu", 0, 0, 0, "vsext.vf8 v8, v11");
    VT("e16, mf2, tu, mu", 0, 0, 0, "vsext.vf2 v8, v8");
    VT("e16, mf4, tu, mu", 0, 0, 0, "vsext.vf2 v8, v9");
    VT("e64, m1, tu, mu", 0, 0, 0, "vzext.vf8 v8, v16");
    VT("e64, m1, tu, mu", 0, 0, 0, "vzext.vf8 v0, v16, v0.t");
    VT("e64, m2, tu, mu", 0, 0, 0, "vzext.vf2 v9, v16");
    return 0;
}
