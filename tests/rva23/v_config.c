// cflags: -march=rv64gcv
// The vector unit's reset state, vsetvl*'s clamping and vill, unit-stride loads and
// stores with single-width arithmetic, and an illegal instruction once vill is set.
#include <stdio.h>
#include <stdint.h>
int main(void) {
  unsigned long vtype, vl, vlenb;
  __asm__ volatile("csrr %0, vtype; csrr %1, vl; csrr %2, vlenb" : "=r"(vtype), "=r"(vl), "=r"(vlenb));
  printf("initial vtype=%#lx vl=%lu vlenb=%lu\n", vtype, vl, vlenb);
  int32_t a[37], b[37], c[37];
  for (int i = 0; i < 37; i++) { a[i] = i * 3 - 50; b[i] = 1000 * i; c[i] = -1; }
  int n = 37; int32_t *pa = a, *pb = b, *pc = c;
  while (n > 0) {
    size_t got;
    __asm__ volatile("vsetvli %0, %1, e32, m2, ta, ma\n\tvle32.v v2, (%2)\n\tvle32.v v4, (%3)\n\tvadd.vv v6, v2, v4\n\tvmul.vx v6, v6, %4\n\tvse32.v v6, (%5)"
       : "=&r"(got) : "r"(n), "r"(pa), "r"(pb), "r"(7), "r"(pc) : "memory");
    n -= got; pa += got; pb += got; pc += got;
  }
  long s = 0; for (int i = 0; i < 37; i++) s = s * 31 + c[i];
  printf("sum %ld c[36]=%d\n", s, c[36]);
  size_t vl2;
  __asm__ volatile("vsetivli %0, 31, e8, mf8, tu, mu" : "=r"(vl2));
  __asm__ volatile("csrr %0, vtype" : "=r"(vtype));
  printf("mf8 vl=%zu vtype=%#lx\n", vl2, vtype);
  __asm__ volatile("vsetivli %0, 31, e64, mf8, tu, mu" : "=r"(vl2));
  __asm__ volatile("csrr %0, vtype" : "=r"(vtype));
  printf("bad vl=%zu vtype=%#lx\n", vl2, vtype);
  fflush(stdout);
  __asm__ volatile("vadd.vv v1, v2, v3");
  printf("not reached\n");
  return 0;
}
