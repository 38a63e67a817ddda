// cflags: -march=rv64gcv

/* Every vtype a program can ask for (each SEW and LMUL encoding, the policy bits,
 * reserved bits) with several application vector lengths: the vl vsetvl grants and
 * the vtype it leaves, vill included; and vsetvli with rs1 = x0 (VLMAX, or keep vl). */
#include <stdio.h>

static void ask(unsigned long vtype, unsigned long avl) {
    unsigned long vl, got;
    __asm__ volatile("vsetvl %0, %2, %3\n\tcsrr %1, vtype" : "=r"(vl), "=r"(got) : "r"(avl), "r"(vtype));
    printf("vtype %#5lx avl %4lu: vl %3lu vtype %#lx\n", vtype, avl, vl, got);
}

int main(void) {
    static const unsigned long avls[] = {0, 1, 3, 17, 1000};
    for (unsigned long sew = 0; sew < 8; sew++)
        for (unsigned long lmul = 0; lmul < 8; lmul++)
            for (unsigned i = 0; i < sizeof avls / sizeof avls[0]; i++)
                ask(sew << 3 | lmul, avls[i]);
    ask(0xc0 | 1 << 3 | 1, 9);   /* ta, ma */
    ask(0x100 | 1 << 3, 9);      /* a reserved bit */
    ask(1ul << 63 | 1 << 3, 9);  /* vill asked for */
    unsigned long vl, keep;
    __asm__ volatile("vsetivli x0, 13, e8, m1, tu, mu\n\t"
                     "vsetvli %0, x0, e32, m2, tu, mu\n\t"
                     "vsetivli x0, 9, e8, m1, tu, mu\n\t"
                     "vsetvli x0, x0, e16, m1, tu, mu\n\t"
                     "csrr %1, vl"
                     : "=r"(vl), "=r"(keep));
    printf("x0 avl: vlmax %lu, kept %lu\n", vl, keep);
    __asm__ volatile("vsetivli x0, 16, e8, m1, tu, mu\n\t"
                     "vsetvli x0, x0, e64, m1, tu, mu\n\t"
                     "csrr %0, vl"
                     : "=r"(keep));
    printf("kept past the new vlmax: %lu\n", keep);
    return 0;
}
