// cflags: -march=rv64gcv

// Permutation instructions against qemu: vmv.x.s, vmv.s.x, the slides (.vx/.vi, by 0,
// small, past VLMAX and huge amounts), vslide1up/down, vrgather (.vv/.vx/.vi, indices in
// and out of range), vrgatherei16.vv, vcompress.vm and vmv<nr>r.v, at every SEW and
// several LMULs (fractional too), masked and not, with tails, vl = 0, vstart non-zero,
// and the illegal forms (overlaps, misaligned groups, EMUL > 8, vill).
#include "vregs.h"

// Indices of vs1 (v16..v23) cut to 0..15 or 0..127 at SEW, so that some are in range.
#define CUT15 "vand.vi v16, v16, 15"
#define CUT127 "li t1, 127\n\tvand.vx v16, v16, t1"
// vrgatherei16's indices are 16-bit whatever SEW is: cut them at e16, then restore vtype.
#define CUT15_EI16(vt) \
  "vsetvli t1, zero, e16, m8, ta, ma\n\tvand.vi v16, v16, 15\n\tvsetvli t1, %[avl], " vt ", tu, mu"

static void scalar_moves(void) {
  long avl;
#define X(vt)                                                                     \
  FOR_AVLS {                                                                      \
    VCASE("vmv.x.s", vt, "", "vmv.x.s %[rd], v8", 0, 0);                          \
    VCASE("vmv.x.s odd reg", vt, "", "vmv.x.s %[rd], v13", 0, 0);                 \
    VCASE("vmv.s.x", vt, "", "vmv.s.x v24, %[x]", 0x8877665544332211L, 0);        \
    VCASE("vmv.s.x odd reg", vt, "", "vmv.s.x v27, %[x]", -2L, 0);               \
  }
  FOR_VTYPES(X)
#undef X
  avl = 1000;
  VCASE("vmv.x.s vstart", "e16, m1", "", "vmv.x.s %[rd], v8", 0, 3);
  VCASE("vmv.x.s vstart>vl", "e16, m1", "", "vmv.x.s %[rd], v8", 0, 100);
  VCASE("vmv.x.s x0", "e16, m1", "", "vmv.x.s zero, v8", 0, 0);
  VCASE("vmv.s.x vstart<vl", "e32, m1", "", "vmv.s.x v24, %[x]", 7, 1);
  VCASE("vmv.s.x vstart>=vl", "e32, m1", "", "vmv.s.x v24, %[x]", 7, 4);
  VCASE("vmv.s.x x0", "e64, m1", "", "vmv.s.x v24, zero", 0, 0);
  VCASE("vmv.x.s vill", "e64, mf8", "", "vmv.x.s %[rd], v8", 0, 0);
  VCASE("vmv.s.x vill", "e64, mf8", "", "vmv.s.x v24, %[x]", 1, 0);
  avl = 0;
  VCASE("vmv.x.s vl=0 vstart", "e8, m1", "", "vmv.x.s %[rd], v9", 0, 5);
}

static void slides(void) {
  long avl;
  static const long amounts[] = {0, 1, 5, 17, 200, 1L << 40, -1};
  for (unsigned k = 0; k < sizeof amounts / sizeof *amounts; k++) {
    long n = amounts[k];
    printf("-- amount %ld\n", n);
#define X(vt)                                                                        \
    FOR_AVLS {                                                                       \
      VCASE("vslideup.vx", vt, "", "vslideup.vx v24, v8, %[x]", n, 0);               \
      VCASE("vslideup.vx masked", vt, "", "vslideup.vx v24, v8, %[x], v0.t", n, 0);  \
      VCASE("vslidedown.vx", vt, "", "vslidedown.vx v24, v8, %[x]", n, 0);           \
      VCASE("vslidedown.vx masked", vt, "", "vslidedown.vx v24, v8, %[x], v0.t", n, 0); \
    }
    FOR_VTYPES(X)
#undef X
  }
#define X(vt)                                                                        \
  FOR_AVLS {                                                                         \
    VCASE("vslideup.vi 0", vt, "", "vslideup.vi v24, v8, 0", 0, 0);                  \
    VCASE("vslideup.vi 3", vt, "", "vslideup.vi v24, v8, 3, v0.t", 0, 0);            \
    VCASE("vslideup.vi 31", vt, "", "vslideup.vi v24, v8, 31", 0, 0);                \
    VCASE("vslidedown.vi 3", vt, "", "vslidedown.vi v24, v8, 3", 0, 0);              \
    VCASE("vslidedown.vi 31", vt, "", "vslidedown.vi v24, v8, 31, v0.t", 0, 0);      \
    VCASE("vslidedown in place", vt, "", "vslidedown.vx v8, v8, %[x]", 2, 0);        \
    VCASE("vslide1up", vt, "", "vslide1up.vx v24, v8, %[x]", -3L, 0);                \
    VCASE("vslide1up masked", vt, "", "vslide1up.vx v24, v8, %[x], v0.t", 0x1234567890L, 0); \
    VCASE("vslide1down", vt, "", "vslide1down.vx v24, v8, %[x]", -3L, 0);            \
    VCASE("vslide1down masked", vt, "", "vslide1down.vx v24, v8, %[x], v0.t", 0x1234567890L, 0); \
    VCASE("vslide1down in place", vt, "", "vslide1down.vx v8, v8, %[x]", 9, 0);      \
    VCASE("vslideup overlap", vt, "", "vslideup.vx v8, v8, %[x]", 1, 0);             \
    VCASE("vslide1up overlap", vt, "", "vslide1up.vx v8, v8, %[x]", 1, 0);           \
    VCASE("vslidedown misaligned", vt, "", "vslidedown.vx v25, v8, %[x]", 1, 0);     \
    VCASE("vslideup misaligned", vt, "", "vslideup.vx v24, v9, %[x]", 1, 0);         \
  }
  FOR_VTYPES(X)
#undef X
  avl = 1000;
  VCASE("vslideup vd=v0 masked", "e8, m1", "", "vslideup.vx v0, v8, %[x], v0.t", 1, 0);
  VCASE("vslidedown vd=v0", "e8, m1", "", "vslidedown.vx v0, v8, %[x]", 1, 0);
  VCASE("vslideup vstart", "e8, m1", "", "vslideup.vx v24, v8, %[x]", 2, 5);
  VCASE("vslidedown vstart", "e8, m1", "", "vslidedown.vx v24, v8, %[x]", 2, 5);
  VCASE("vslide1up vstart", "e8, m1", "", "vslide1up.vx v24, v8, %[x]", 2, 5);
  VCASE("vslide1down vstart", "e8, m1", "", "vslide1down.vx v24, v8, %[x]", 2, 5);
  VCASE("vslideup vill", "e64, mf8", "", "vslideup.vx v24, v8, %[x]", 1, 0);
}

static void gathers(void) {
  long avl;
#define X(vt)                                                                             \
  FOR_AVLS {                                                                              \
    VCASE("vrgather.vv raw", vt, "", "vrgather.vv v24, v8, v16", 0, 0);                   \
    VCASE("vrgather.vv 15", vt, CUT15, "vrgather.vv v24, v8, v16", 0, 0);                 \
    VCASE("vrgather.vv 127 masked", vt, CUT127, "vrgather.vv v24, v8, v16, v0.t", 0, 0);  \
    VCASE("vrgatherei16 raw", vt, "", "vrgatherei16.vv v24, v8, v16", 0, 0);              \
    VCASE("vrgatherei16 15", vt, CUT15_EI16(vt), "vrgatherei16.vv v24, v8, v16", 0, 0);   \
    VCASE("vrgatherei16 15 masked", vt, CUT15_EI16(vt), "vrgatherei16.vv v24, v8, v16, v0.t", 0, 0); \
    VCASE("vrgather.vx 0", vt, "", "vrgather.vx v24, v8, %[x]", 0, 0);                    \
    VCASE("vrgather.vx 3", vt, "", "vrgather.vx v24, v8, %[x], v0.t", 3, 0);              \
    VCASE("vrgather.vx 15", vt, "", "vrgather.vx v24, v8, %[x]", 15, 0);                  \
    VCASE("vrgather.vx 127", vt, "", "vrgather.vx v24, v8, %[x]", 127, 0);                \
    VCASE("vrgather.vx 2^40", vt, "", "vrgather.vx v24, v8, %[x]", 1L << 40, 0);          \
    VCASE("vrgather.vx -1", vt, "", "vrgather.vx v24, v8, %[x]", -1L, 0);                 \
    VCASE("vrgather.vi 1", vt, "", "vrgather.vi v24, v8, 1", 0, 0);                       \
    VCASE("vrgather.vi 31", vt, "", "vrgather.vi v24, v8, 31, v0.t", 0, 0);               \
    VCASE("vrgather.vv vd=vs2", vt, "", "vrgather.vv v8, v8, v16", 0, 0);                 \
    VCASE("vrgather.vv vd=vs1", vt, "", "vrgather.vv v16, v8, v16", 0, 0);                \
    VCASE("vrgather.vx vd=vs2", vt, "", "vrgather.vx v8, v8, %[x]", 1, 0);                \
    VCASE("vrgather.vv misaligned", vt, "", "vrgather.vv v24, v8, v17", 0, 0);            \
    VCASE("vrgatherei16 vd=vs1", vt, "", "vrgatherei16.vv v24, v8, v24", 0, 0);           \
    VCASE("vrgatherei16 vd in vs1", vt, "", "vrgatherei16.vv v25, v8, v24", 0, 0);        \
    VCASE("vrgatherei16 vs1 in vd", vt, "", "vrgatherei16.vv v24, v8, v26", 0, 0);        \
  }
  FOR_VTYPES(X)
#undef X
  avl = 1000;
  VCASE("vrgatherei16 e8 m4", "e8, m4", CUT15_EI16("e8, m4"), "vrgatherei16.vv v24, v8, v16", 0, 0);
  VCASE("vrgather vd=v0 masked", "e8, m1", "", "vrgather.vv v0, v8, v16, v0.t", 0, 0);
  VCASE("vrgather vstart", "e8, m1", CUT15, "vrgather.vv v24, v8, v16", 0, 3);
  VCASE("vrgather.vx vstart", "e8, m1", "", "vrgather.vx v24, v8, %[x]", 2, 3);
  VCASE("vrgather vill", "e64, mf8", "", "vrgather.vv v24, v8, v16", 0, 0);
}

static void compress(void) {
  long avl;
#define X(vt)                                                                  \
  FOR_AVLS {                                                                   \
    VCASE("vcompress", vt, "", "vcompress.vm v24, v8, v3", 0, 0);              \
    VCASE("vcompress v0", vt, "", "vcompress.vm v24, v8, v0", 0, 0);           \
    VCASE("vcompress vd=vs2", vt, "", "vcompress.vm v8, v8, v3", 0, 0);        \
    VCASE("vcompress vs1 in vd", vt, "", "vcompress.vm v24, v8, v25", 0, 0);   \
    VCASE("vcompress misaligned", vt, "", "vcompress.vm v24, v9, v3", 0, 0);   \
  }
  FOR_VTYPES(X)
#undef X
  avl = 1000;
  VCASE("vcompress vd=v0", "e8, m1", "", "vcompress.vm v0, v8, v3", 0, 0);
  VCASE("vcompress vstart", "e8, m1", "", "vcompress.vm v24, v8, v3", 0, 1);
  VCASE("vcompress vill", "e64, mf8", "", "vcompress.vm v24, v8, v3", 0, 0);
}

static void whole_registers(void) {
  long avl = 1000;
#define X(vt)                                                                  \
  VCASE("vmv1r", vt, "", "vmv1r.v v24, v9", 0, 0);                             \
  VCASE("vmv2r", vt, "", "vmv2r.v v26, v8", 0, 0);                             \
  VCASE("vmv4r", vt, "", "vmv4r.v v28, v12", 0, 0);                            \
  VCASE("vmv8r", vt, "", "vmv8r.v v24, v8", 0, 0);                             \
  VCASE("vmv8r self", vt, "", "vmv8r.v v8, v8", 0, 0);                         \
  VCASE("vmv2r misaligned vd", vt, "", "vmv2r.v v25, v8", 0, 0);               \
  VCASE("vmv4r misaligned vs2", vt, "", "vmv4r.v v24, v10", 0, 0);             \
  VCASE("vmv8r misaligned", vt, "", "vmv8r.v v20, v8", 0, 0);                  \
  VCASE("vmv2r vstart 3", vt, "", "vmv2r.v v24, v8", 0, 3);                    \
  VCASE("vmv1r vstart 9", vt, "", "vmv1r.v v24, v8", 0, 9);
  FOR_VTYPES(X)
#undef X
  avl = 0;
  VCASE("vmv1r vl=0", "e8, m1", "", "vmv1r.v v24, v8", 0, 0);
  VCASE("vmv8r vl=0 vstart", "e32, m1", "", "vmv8r.v v24, v8", 0, 4);
  VCASE("vmv1r vill", "e64, mf8", "", "vmv1r.v v24, v8", 0, 0);
  VCASE("vmv2r vill vstart", "e64, mf8", "", "vmv2r.v v24, v8", 0, 3);
}

// Agnostic tails and masks: qemu leaves them undisturbed, and so does vm.
static void policies(void) {
  long avl = 11;
#define X(vt)                                                                  \
  VCASE_P("vmv.s.x", vt, "", "vmv.s.x v24, %[x]", -1L, 0);                    \
  VCASE_P("vslideup masked", vt, "", "vslideup.vx v24, v8, %[x], v0.t", 2, 0); \
  VCASE_P("vslidedown masked", vt, "", "vslidedown.vx v24, v8, %[x], v0.t", 2, 0); \
  VCASE_P("vslide1down masked", vt, "", "vslide1down.vx v24, v8, %[x], v0.t", 2, 0); \
  VCASE_P("vrgather masked", vt, CUT15, "vrgather.vv v24, v8, v16, v0.t", 0, 0); \
  VCASE_P("vcompress", vt, "", "vcompress.vm v24, v8, v3", 0, 0);
  X("e8, m1, ta, ma") X("e16, m2, ta, mu") X("e32, mf2, tu, ma")
#undef X
}

int main(void) {
  vregs_setup(77);
  scalar_moves();
  slides();
  gathers();
  compress();
  whole_registers();
  policies();
  return 0;
}
