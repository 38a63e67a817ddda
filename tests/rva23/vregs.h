// A harness for vector instruction tests: every case loads all 32 vector registers from
// one deterministic image (vinit), sets vtype and vl, runs a preparation and the
// instruction under test, stores all 32 registers back and prints the registers that
// differ from the image (so tails, masked-off elements and stray writes all show), the
// scalar result if the instruction wrote one, and vstart if it was not reset. A case that
// raises SIGILL prints so, with vstart as the trap left it.
//
//   VCASE(label, "e32, m2", prep, insn, x, vstart)        (tail and mask undisturbed)
//   VCASE_P(label, "e32, m2, ta, ma", prep, insn, x, vstart)   (the policy given)
//
// runs with `avl` (a variable in scope); `insn` may use %[x] (an integer operand),
// %[rd] (a scalar result), and `prep` runs after the registers are loaded.
#include <setjmp.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

static uint8_t vinit[512] __attribute__((aligned(16)));
static uint8_t vout[512] __attribute__((aligned(16)));
static sigjmp_buf vjmp;

#define RD_INIT 0x5a5a5a5a5a5a5a5aL

static void vregs_on_sigill(int sig) {
  (void)sig;
  siglongjmp(vjmp, 1);
}

// Fills the image from `seed` and catches SIGILL.
static void vregs_setup(uint32_t seed) {
  for (int i = 0; i < 512; i++) {
    seed = seed * 1103515245u + 12345u;
    vinit[i] = seed >> 16;
  }
  struct sigaction sa;
  memset(&sa, 0, sizeof sa);
  sa.sa_handler = vregs_on_sigill;
  sigaction(SIGILL, &sa, 0);
}

static void vregs_report(const char *label, const char *vt, long avl, long vl, long rd,
                         long vstart) {
  printf("%s [%s] avl=%ld vl=%ld", label, vt, avl, vl);
  if (rd != RD_INIT) printf(" rd=%#lx", rd);
  if (vstart) printf(" vstart=%ld", vstart);
  printf("\n");
  for (int r = 0; r < 32; r++) {
    if (memcmp(vout + 16 * r, vinit + 16 * r, 16) == 0) continue;
    printf("  v%-2d", r);
    for (int b = 15; b >= 0; b--) printf("%s%02x", b % 4 == 3 ? " " : "", vout[16 * r + b]);
    printf("\n");
  }
}

static void vregs_trapped(const char *label, const char *vt, long avl) {
  long vstart;
  __asm__ volatile("csrr %0, vstart\n\tcsrw vstart, zero" : "=r"(vstart));
  printf("%s [%s] avl=%ld: SIGILL vstart=%ld\n", label, vt, avl, vstart);
}

#define VCASE(label, vt, prep, insn, xval, vstart_in) \
  VCASE_P(label, vt ", tu, mu", prep, insn, xval, vstart_in)

#define VCASE_P(label, vt, prep, insn, xval, vstart_in)                                      \
  do {                                                                                      \
    long rd_ = RD_INIT, vl_ = 0, vs_ = 0;                                                   \
    if (sigsetjmp(vjmp, 1) == 0) {                                                          \
      __asm__ volatile("vsetvli %[vl], %[avl], " vt "\n\t"                                  \
                       "vl8re8.v v0, (%[p])\n\t"                                            \
                       "addi t1, %[p], 128\n\tvl8re8.v v8, (t1)\n\t"                        \
                       "addi t1, %[p], 256\n\tvl8re8.v v16, (t1)\n\t"                       \
                       "addi t1, %[p], 384\n\tvl8re8.v v24, (t1)\n\t" prep "\n\t"           \
                       "csrw vstart, %[vsi]\n\t" insn "\n\t"                                \
                       "csrr %[vs], vstart\n\t"                                             \
                       "vs8r.v v0, (%[q])\n\t"                                              \
                       "addi t1, %[q], 128\n\tvs8r.v v8, (t1)\n\t"                          \
                       "addi t1, %[q], 256\n\tvs8r.v v16, (t1)\n\t"                         \
                       "addi t1, %[q], 384\n\tvs8r.v v24, (t1)"                             \
                       : [vl] "=&r"(vl_), [rd] "+&r"(rd_), [vs] "=&r"(vs_)                  \
                       : [avl] "r"(avl), [x] "r"((long)(xval)), [vsi] "r"((long)(vstart_in)), \
                         [p] "r"(vinit), [q] "r"(vout)                                      \
                       : "t1", "memory");                                                   \
      vregs_report(label, vt, avl, vl_, rd_, vs_);                                          \
    } else {                                                                                \
      vregs_trapped(label, vt, avl);                                                        \
    }                                                                                       \
  } while (0)

// The vtypes most tests sweep: every SEW, fractional, single and grouped LMULs (groups
// at v8, v16, v24 are aligned for every LMUL).
#define FOR_VTYPES(X)                                                                        \
  X("e8, mf8") X("e8, mf2") X("e8, m1") X("e8, m8") X("e16, mf4") X("e16, m2") X("e32, mf2") \
  X("e32, m1") X("e32, m4") X("e64, m1") X("e64, m2") X("e64, m8")

// Application vector lengths: none, a few (a tail), and VLMAX.
static const long vregs_avls[] = {0, 3, 11, 1000};
#define FOR_AVLS for (unsigned ai_ = 0; ai_ < 4 && ((avl = vregs_avls[ai_]), 1); ai_++)
