// cflags: -march=rv64gcv
// Zvbb (which binutils 2.40 does not know, so the instructions are words), vandn, the
// bit and byte reversals, vclz, vctz, vcpop.v, the rotates (vror.vi with its 6-bit
// amount) and the widening vwsll, at every SEW and LMUL 1/8..8, masked and not, with
// tails and vstart; and their register rules (vwsll as a widening operation).
#include "vtest.h"

/* An OP-V word: funct6, vm (1 = unmasked), vs2, vs1/rs1/imm, funct3, vd; the assembly
 * follows as a comment. t0 is x5. */
#define ENC_(F6, VM, VS2, VS1, F3, VD)                                                    \
    ".word " #F6 "<<26|" #VM "<<25|" #VS2 "<<20|" #VS1 "<<15|" #F3 "<<12|" #VD "<<7|0x57 # "
#define ENC(F6, VM, VS2, VS1, F3, VD) ENC_(F6, VM, VS2, VS1, F3, VD)
#define OPIVV 0
#define OPMVV 2
#define OPIVI 3
#define OPIVX 4

int main(void)
{
    vt_setup();
    VT_ALL(ENC(0x01, 1, 16, 24, OPIVV, 8) "vandn.vv v8, v16, v24",
           ENC(0x01, 0, 16, 24, OPIVV, 8) "vandn.vv v8, v16, v24, v0.t", 0);
    VT_ALL(ENC(0x01, 1, 16, 5, OPIVX, 8) "vandn.vx v8, v16, t0",
           ENC(0x01, 0, 24, 5, OPIVX, 8) "vandn.vx v8, v24, t0, v0.t", 0x00ff00ff0f0f3355);
    VT_ALL(ENC(0x12, 1, 16, 0x0a, OPMVV, 8) "vbrev.v v8, v16",
           ENC(0x12, 0, 24, 0x0a, OPMVV, 8) "vbrev.v v8, v24, v0.t", 0);
    VT_ALL(ENC(0x12, 1, 16, 0x08, OPMVV, 8) "vbrev8.v v8, v16",
           ENC(0x12, 0, 24, 0x08, OPMVV, 8) "vbrev8.v v8, v24, v0.t", 0);
    VT_ALL(ENC(0x12, 1, 16, 0x09, OPMVV, 8) "vrev8.v v8, v16",
           ENC(0x12, 0, 24, 0x09, OPMVV, 8) "vrev8.v v8, v24, v0.t", 0);
    VT_ALL(ENC(0x12, 1, 16, 0x0c, OPMVV, 8) "vclz.v v8, v16",
           ENC(0x12, 0, 24, 0x0c, OPMVV, 8) "vclz.v v8, v24, v0.t", 0);
    VT_ALL(ENC(0x12, 1, 16, 0x0d, OPMVV, 8) "vctz.v v8, v16",
           ENC(0x12, 0, 24, 0x0d, OPMVV, 8) "vctz.v v8, v24, v0.t", 0);
    VT_ALL(ENC(0x12, 1, 16, 0x0e, OPMVV, 8) "vcpop.v v8, v16",
           ENC(0x12, 0, 24, 0x0e, OPMVV, 8) "vcpop.v v8, v24, v0.t", 0);
    VT_ALL(ENC(0x15, 1, 16, 24, OPIVV, 8) "vrol.vv v8, v16, v24",
           ENC(0x15, 0, 24, 16, OPIVV, 8) "vrol.vv v8, v24, v16, v0.t", 0);
    VT_ALL(ENC(0x15, 1, 16, 5, OPIVX, 8) "vrol.vx v8, v16, t0",
           ENC(0x15, 0, 24, 5, OPIVX, 8) "vrol.vx v8, v24, t0, v0.t", 67);
    VT_ALL(ENC(0x14, 1, 16, 24, OPIVV, 8) "vror.vv v8, v16, v24",
           ENC(0x14, 0, 24, 16, OPIVV, 8) "vror.vv v8, v24, v16, v0.t", 0);
    VT_ALL(ENC(0x14, 1, 16, 5, OPIVX, 8) "vror.vx v8, v16, t0",
           ENC(0x14, 0, 24, 5, OPIVX, 8) "vror.vx v8, v24, t0, v0.t", -3);
    VT_ALL(ENC(0x14, 1, 16, 3, OPIVI, 8) "vror.vi v8, v16, 3",
           ENC(0x14, 0, 24, 31, OPIVI, 8) "vror.vi v8, v24, 31, v0.t", 0);
    VT_ALL(ENC(0x15, 1, 16, 5, OPIVI, 8) "vror.vi v8, v16, 37",
           ENC(0x15, 0, 24, 31, OPIVI, 8) "vror.vi v8, v24, 63, v0.t", 0);
    VT_ALL(ENC(0x35, 1, 16, 24, OPIVV, 8) "vwsll.vv v8, v16, v24",
           ENC(0x35, 0, 24, 16, OPIVV, 8) "vwsll.vv v8, v24, v16, v0.t", 0);
    VT_ALL(ENC(0x35, 1, 16, 5, OPIVX, 8) "vwsll.vx v8, v16, t0",
           ENC(0x35, 0, 24, 5, OPIVX, 8) "vwsll.vx v8, v24, t0, v0.t", 13);
    VT_ALL(ENC(0x35, 1, 16, 31, OPIVI, 8) "vwsll.vi v8, v16, 31",
           ENC(0x35, 0, 24, 7, OPIVI, 8) "vwsll.vi v8, v24, 7, v0.t", 0);
    /* Register rules: a masked vd or source may not be v0; vwsll widens. */
    VT("e8, m1, tu, mu", 0, 0, 0, ENC(0x12, 0, 16, 0x0c, OPMVV, 0) "vclz.v v0, v16, v0.t");
    VT("e8, m1, tu, mu", 0, 0, 0, ENC(0x12, 0, 0, 0x0c, OPMVV, 8) "vclz.v v8, v0, v0.t");
    VT("e8, m2, tu, mu", 0, 0, 0, ENC(0x01, 1, 16, 25, OPIVV, 8) "vandn.vv v8, v16, v25");
    VT("e64, m1, tu, mu", 0, 0, 0, ENC(0x35, 1, 16, 24, OPIVV, 8) "vwsll.vv v8, v16, v24");
    VT("e8, m8, tu, mu", 0, 0, 0, ENC(0x35, 1, 16, 24, OPIVV, 8) "vwsll.vv v8, v16, v24");
    VT("e16, m1, tu, mu", 0, 0, 0, ENC(0x35, 1, 9, 24, OPIVV, 8) "vwsll.vv v8, v9, v24");
    VT("e16, m1, tu, mu", 0, 0, 0, ENC(0x35, 1, 8, 24, OPIVV, 8) "vwsll.vv v8, v8, v24");
    VT("e16, m1, tu, mu", 0, 0, 0, ENC(0x35, 0, 16, 0, OPIVV, 8) "vwsll.vv v8, v16, v0, v0.t");
    VT("e16, m1, tu, mu", 0, 0, 0, ENC(0x35, 1, 16, 5, OPIVX, 9) "vwsll.vx v9, v16, t0");
    return 0;
}
