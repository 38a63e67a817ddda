// cflags: -march=rv64gcv

// Mask instructions against qemu: the mask logic (vmand.mm ..), vcpop.m, vfirst.m,
// vmsbf.m, vmsif.m, vmsof.m, viota.m and vid.v at every SEW and several LMULs
// (fractional too), masked and not, with tails (vl < VLMAX), vl = 0, vstart non-zero,
// and the illegal forms (destination overlapping a source or v0, vstart non-zero where
// it must be zero, vill).
#include "vregs.h"

static void mask_logic(void) {
  long avl;
#define X(vt)                                                                  \
  FOR_AVLS {                                                                   \
    VCASE("vmand", vt, "", "vmand.mm v1, v2, v3", 0, 0);                       \
    VCASE("vmnand", vt, "", "vmnand.mm v1, v2, v3", 0, 0);                     \
    VCASE("vmandn", vt, "", "vmandn.mm v1, v2, v3", 0, 0);                     \
    VCASE("vmxor", vt, "", "vmxor.mm v1, v2, v3", 0, 0);                       \
    VCASE("vmor", vt, "", "vmor.mm v1, v2, v3", 0, 0);                         \
    VCASE("vmnor", vt, "", "vmnor.mm v1, v2, v3", 0, 0);                       \
    VCASE("vmorn", vt, "", "vmorn.mm v1, v2, v3", 0, 0);                       \
    VCASE("vmxnor", vt, "", "vmxnor.mm v1, v2, v3", 0, 0);                     \
  }
  X("e8, m8") X("e8, mf8") X("e16, m1") X("e64, m8") X("e32, mf2")
#undef X
  avl = 1000;
  // In place, onto v0, from v0, and a vector group register (LMUL does not matter).
  VCASE("vmxor self", "e8, m8", "", "vmxor.mm v2, v2, v2", 0, 0);
  VCASE("vmxnor self", "e8, m4", "", "vmxnor.mm v2, v2, v2", 0, 0);
  VCASE("vmand v0", "e8, m8", "", "vmand.mm v0, v0, v3", 0, 0);
  VCASE("vmor v9", "e16, m8", "", "vmor.mm v9, v17, v26", 0, 0);
  VCASE("vmnand vstart", "e8, m8", "", "vmnand.mm v1, v2, v3", 0, 13);
  VCASE("vmnand vstart>vl", "e8, m1", "", "vmnand.mm v1, v2, v3", 0, 40);
  VCASE("vmand vill", "e64, mf8", "", "vmand.mm v1, v2, v3", 0, 0);
}

static void count_and_first(void) {
  long avl;
#define X(vt)                                                                  \
  FOR_AVLS {                                                                   \
    VCASE("vcpop", vt, "", "vcpop.m %[rd], v3", 0, 0);                         \
    VCASE("vcpop masked", vt, "", "vcpop.m %[rd], v3, v0.t", 0, 0);            \
    VCASE("vcpop zero", vt, "", "vcpop.m %[rd], v4", 0, 0);                    \
    VCASE("vfirst", vt, "", "vfirst.m %[rd], v3", 0, 0);                       \
    VCASE("vfirst masked", vt, "", "vfirst.m %[rd], v3, v0.t", 0, 0);          \
    VCASE("vfirst none", vt, "", "vfirst.m %[rd], v4", 0, 0);                  \
    VCASE("vfirst late", vt, "", "vfirst.m %[rd], v5", 0, 0);                  \
  }
  FOR_VTYPES(X)
#undef X
  avl = 1000;
  VCASE("vcpop v0", "e8, m8", "", "vcpop.m %[rd], v0, v0.t", 0, 0);
  VCASE("vfirst v0", "e8, m8", "", "vfirst.m %[rd], v0", 0, 0);
  VCASE("vcpop x0", "e8, m8", "", "vcpop.m zero, v3", 0, 0);
  VCASE("vcpop vstart", "e8, m1", "", "vcpop.m %[rd], v3", 0, 1);
  VCASE("vfirst vstart", "e8, m1", "", "vfirst.m %[rd], v3", 0, 2);
  VCASE("vcpop vill", "e64, mf8", "", "vcpop.m %[rd], v3", 0, 0);
  VCASE("vfirst vill", "e64, mf8", "", "vfirst.m %[rd], v3", 0, 0);
}

static void set_first(void) {
  long avl;
#define X(vt)                                                                  \
  FOR_AVLS {                                                                   \
    VCASE("vmsbf", vt, "", "vmsbf.m v1, v3", 0, 0);                            \
    VCASE("vmsbf masked", vt, "", "vmsbf.m v1, v3, v0.t", 0, 0);               \
    VCASE("vmsbf none", vt, "", "vmsbf.m v1, v4", 0, 0);                       \
    VCASE("vmsif", vt, "", "vmsif.m v1, v5", 0, 0);                            \
    VCASE("vmsif masked", vt, "", "vmsif.m v1, v3, v0.t", 0, 0);               \
    VCASE("vmsof", vt, "", "vmsof.m v1, v5", 0, 0);                            \
    VCASE("vmsof masked", vt, "", "vmsof.m v1, v3, v0.t", 0, 0);               \
    VCASE("vmsof none", vt, "", "vmsof.m v1, v4, v0.t", 0, 0);                 \
  }
  FOR_VTYPES(X)
#undef X
  avl = 1000;
  VCASE("vmsbf vd=vs2", "e8, m1", "", "vmsbf.m v3, v3", 0, 0);
  VCASE("vmsif vd=v0 masked", "e8, m1", "", "vmsif.m v0, v3, v0.t", 0, 0);
  VCASE("vmsof vd=v0", "e8, m1", "", "vmsof.m v0, v3", 0, 0);
  VCASE("vmsbf vs2=v0 masked", "e8, m8", "", "vmsbf.m v1, v0, v0.t", 0, 0);
  VCASE("vmsbf vstart", "e8, m1", "", "vmsbf.m v1, v3", 0, 1);
  VCASE("vmsof vill", "e64, mf8", "", "vmsof.m v1, v3", 0, 0);
}

static void iota_and_id(void) {
  long avl;
#define X(vt)                                                                  \
  FOR_AVLS {                                                                   \
    VCASE("viota", vt, "", "viota.m v24, v3", 0, 0);                           \
    VCASE("viota masked", vt, "", "viota.m v24, v3, v0.t", 0, 0);              \
    VCASE("viota v0 source", vt, "", "viota.m v8, v0", 0, 0);                  \
    VCASE("viota overlap", vt, "", "viota.m v24, v25", 0, 0);                  \
    VCASE("vid", vt, "", "vid.v v24", 0, 0);                                   \
    VCASE("vid masked", vt, "", "vid.v v16, v0.t", 0, 0);                      \
    VCASE("vid vstart", vt, "", "vid.v v24", 0, 2);                            \
    VCASE("vid misaligned", vt, "", "vid.v v25", 0, 0);                        \
  }
  FOR_VTYPES(X)
#undef X
  avl = 1000;
  VCASE("viota vd=v0 masked", "e8, m1", "", "viota.m v0, v3, v0.t", 0, 0);
  VCASE("viota vd=vs2", "e8, m1", "", "viota.m v3, v3", 0, 0);
  VCASE("viota vstart", "e8, m1", "", "viota.m v24, v3", 0, 1);
  VCASE("viota misaligned", "e16, m4", "", "viota.m v26, v3", 0, 0);
  VCASE("vid vd=v0 masked", "e8, m1", "", "vid.v v0, v0.t", 0, 0);
  VCASE("vid vd=v0", "e8, m1", "", "vid.v v0", 0, 0);
  VCASE("vid vstart>vl", "e8, m1", "", "vid.v v24", 0, 50);
  VCASE("vid vill", "e64, mf8", "", "vid.v v24", 0, 0);
  VCASE("viota vill", "e64, mf8", "", "viota.m v24, v3", 0, 0);
}

// Agnostic tails and masks: qemu leaves them undisturbed, and so does vm.
static void policies(void) {
  long avl = 11;
#define X(vt)                                                                  \
  VCASE_P("vmand", vt, "", "vmand.mm v1, v2, v3", 0, 0);                      \
  VCASE_P("vmsbf masked", vt, "", "vmsbf.m v1, v3, v0.t", 0, 0);              \
  VCASE_P("viota masked", vt, "", "viota.m v24, v3, v0.t", 0, 0);             \
  VCASE_P("vid masked", vt, "", "vid.v v24, v0.t", 0, 0);
  X("e8, m1, ta, ma") X("e16, m2, ta, mu") X("e32, mf2, tu, ma")
#undef X
}

int main(void) {
  vregs_setup(20251);
  // v4: no bit set; v5: one bit, element 77 (found only when vl > 77).
  memset(vinit + 16 * 4, 0, 32);
  vinit[16 * 5 + 9] = 0x20;
  mask_logic();
  count_and_first();
  set_first();
  iota_and_id();
  policies();
  return 0;
}
