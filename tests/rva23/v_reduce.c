// cflags: -march=rv64gcv

// Integer reductions against qemu: vredsum, vredand, vredor, vredxor, vredminu,
// vredmin, vredmaxu, vredmax, vwredsumu, vwredsum at every SEW and several LMULs
// (fractional too, and vs2 groups up to 8 registers), masked and not, with tails,
// vl = 0 (vd untouched), vd overlapping the sources or v0, and the illegal forms
// (misaligned vs2, vstart non-zero, widening at SEW 64, vill).
#include "vregs.h"

// Extremes in the sources: v16 all ones; v8 the index shifted left by %[x] (63: SEW - 1
// after the shift amount is cut to SEW), so the sign bit alone in odd elements.
#define EXTREMES "vmv.v.i v16, -1\n\tvid.v v8\n\tvsll.vx v8, v8, %[x]"

static void reductions(void) {
  long avl;
#define RED(name, insn, vt)                                                           \
  VCASE(name, vt, "", insn " v24, v16, v9", 0, 0);                                   \
  VCASE(name " masked", vt, "", insn " v24, v16, v9, v0.t", 0, 0);
#define X(vt)                                                                         \
  FOR_AVLS {                                                                          \
    RED("vredsum", "vredsum.vs", vt)                                                  \
    RED("vredand", "vredand.vs", vt)                                                  \
    RED("vredor", "vredor.vs", vt)                                                    \
    RED("vredxor", "vredxor.vs", vt)                                                  \
    RED("vredminu", "vredminu.vs", vt)                                                \
    RED("vredmin", "vredmin.vs", vt)                                                  \
    RED("vredmaxu", "vredmaxu.vs", vt)                                                \
    RED("vredmax", "vredmax.vs", vt)                                                  \
    RED("vwredsumu", "vwredsumu.vs", vt)                                              \
    RED("vwredsum", "vwredsum.vs", vt)                                                \
    VCASE("vredand ones", vt, EXTREMES, "vredand.vs v24, v16, v16", 0, 0);           \
    VCASE("vredsum wraps", vt, EXTREMES, "vredsum.vs v24, v16, v16", 0, 0);          \
    VCASE("vwredsum ones", vt, EXTREMES, "vwredsum.vs v24, v16, v16", 0, 0);         \
    VCASE("vwredsumu ones", vt, EXTREMES, "vwredsumu.vs v24, v16, v16", 0, 0);       \
    VCASE("vredmin sign", vt, EXTREMES, "vredmin.vs v24, v8, v9", 63, 0);            \
    VCASE("vredmax sign", vt, EXTREMES, "vredmax.vs v24, v8, v9, v0.t", 63, 0);      \
    VCASE("vredminu sign", vt, EXTREMES, "vredminu.vs v24, v8, v16", 63, 0);         \
    VCASE("vredmaxu sign", vt, EXTREMES, "vredmaxu.vs v24, v8, v8", 63, 0);          \
    VCASE("vredsum vd=v0", vt, "", "vredsum.vs v0, v16, v9, v0.t", 0, 0);            \
    VCASE("vredxor vd=vs2", vt, "", "vredxor.vs v16, v16, v16", 0, 0);               \
    VCASE("vwredsumu vd in vs2", vt, "", "vwredsumu.vs v17, v16, v3, v0.t", 0, 0);   \
    VCASE("vredsum odd regs", vt, "", "vredsum.vs v31, v8, v29", 0, 0);              \
    VCASE("vredsum misaligned", vt, "", "vredsum.vs v24, v17, v9", 0, 0);            \
    VCASE("vredmaxu vstart", vt, "", "vredmaxu.vs v24, v16, v9", 0, 1);              \
  }
  FOR_VTYPES(X)
#undef X
  avl = 1000;
  VCASE("vredsum vill", "e64, mf8", "", "vredsum.vs v24, v16, v9", 0, 0);
  VCASE("vwredsum vill", "e64, mf8", "", "vwredsum.vs v24, v16, v9", 0, 0);
  VCASE("vredor vstart>vl", "e32, m1", "", "vredor.vs v24, v16, v9", 0, 9);
  avl = 0;
  VCASE("vredor vl=0 vstart", "e32, m1", "", "vredor.vs v24, v16, v9", 0, 2);
}

// Agnostic tails and masks: qemu leaves them undisturbed, and so does vm.
static void policies(void) {
  long avl = 11;
#define X(vt)                                                                  \
  VCASE_P("vredsum masked", vt, "", "vredsum.vs v24, v16, v9, v0.t", 0, 0);   \
  VCASE_P("vwredsum", vt, "", "vwredsum.vs v24, v16, v9", 0, 0);
  X("e8, m1, ta, ma") X("e16, m2, ta, mu") X("e32, mf2, tu, ma")
#undef X
}

int main(void) {
  vregs_setup(4242);
  reductions();
  policies();
  return 0;
}
