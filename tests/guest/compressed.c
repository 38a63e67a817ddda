/* The C extension, every RV64 compressed form written explicitly (so the assembler
 * cannot pick the 32-bit encoding): register moves and arithmetic, immediates at the
 * edges of their ranges, stack-pointer-relative and register-relative loads and stores
 * (integer and double), jumps, calls through registers and both branch forms. */
#include <stdint.h>
#include <stdio.h>

static uint64_t area[32] __attribute__((aligned(16)));

static void alu(void) {
    uint64_t a, b, c, d, e, f;
    __asm__ volatile(
        "c.li %0, -32\n\t"
        "c.li %1, 31\n\t"
        "c.addi %0, 5\n\t"
        "c.addi %1, -32\n\t"
        "c.lui %2, 0xfffe0\n\t"   /* the most negative c.lui immediate */
        "c.lui %3, 0x1f\n\t"      /* the most positive */
        "c.mv %4, %0\n\t"
        "c.add %4, %1\n\t"
        "c.addiw %4, 1\n\t"
        "c.li %5, 0\n\t"
        "c.addiw %5, -1\n\t"
        : "=&r"(a), "=&r"(b), "=&r"(c), "=&r"(d), "=&r"(e), "=&r"(f));
    printf("c.li/c.addi: %lx %lx c.lui: %lx %lx c.mv/c.add/c.addiw: %lx %lx\n", a, b, c, d, e, f);

    /* The CA and CB formats work on x8-x15 only: pin operands to s0/s1/a0-a5. */
    register uint64_t s0 __asm__("s0") = 0xf0f0f0f0f0f0f0f0ull;
    register uint64_t s1 __asm__("s1") = 0x0123456789abcdefull;
    register uint64_t a0 __asm__("a0") = 0x80000000ull;
    register uint64_t a1 __asm__("a1") = 0x7fffffffull;
    register uint64_t a2 __asm__("a2") = 0x8000000000000000ull;
    register uint64_t a3 __asm__("a3") = 0xffffffffffff0000ull;
    register uint64_t a4 __asm__("a4") = 0x7ull;
    register uint64_t a5 __asm__("a5") = 0x1234ull;
    __asm__ volatile(
        "c.sub %0, %1\n\t"
        "c.xor %1, %0\n\t"
        "c.addw %2, %3\n\t"
        "c.subw %3, %2\n\t"
        "c.srli %4, 63\n\t"
        "c.srai %5, 4\n\t"
        "c.andi %6, -2\n\t"
        "c.or %7, %6\n\t"
        "c.and %6, %7\n\t"
        : "+r"(s0), "+r"(s1), "+r"(a0), "+r"(a1), "+r"(a2), "+r"(a3), "+r"(a4), "+r"(a5));
    printf("c.sub=%lx c.xor=%lx c.addw=%lx c.subw=%lx c.srli=%lx c.srai=%lx c.andi/c.and=%lx "
           "c.or=%lx\n", s0, s1, a0, a1, a2, a3, a4, a5);
    uint64_t g = 0x8000000000000001ull, h = 0xffffffff;
    __asm__ volatile("c.slli %0, 1\n\tc.slli %1, 33" : "+r"(g), "+r"(h));
    printf("c.slli: %lx %lx\n", g, h);
    __asm__ volatile("c.nop\n\tc.addi zero, 0");
}

static void memory(void) {
    for (int i = 0; i < 32; i++) area[i] = 0x1111111111111111ull * (uint64_t)(i + 1);
    area[1] = 0x8765432122222222ull;
    register uint64_t *p __asm__("a0") = area;
    register uint64_t r1 __asm__("a1");
    register uint64_t r2 __asm__("a2");
    register uint64_t r3 __asm__("a3");
    __asm__ volatile(
        "c.ld %0, 8(%3)\n\t"
        "c.lw %1, 12(%3)\n\t"
        "c.sd %0, 16(%3)\n\t"
        "c.sw %1, 0(%3)\n\t"
        "c.ld %2, 248(%3)\n\t"     /* the largest c.ld offset */
        : "=&r"(r1), "=&r"(r2), "=&r"(r3) : "r"(p) : "memory");
    uint64_t far = r3;
    printf("c.ld=%lx c.lw=%lx (sign-extended) area0=%lx area2=%lx far=%lx\n", r1, r2, area[0],
           area[2], far);
    double back;
    {
        /* Register variables are only pinned at the asm that uses them: declare them
         * afresh for each statement, never live across a call. */
        register uint64_t *q __asm__("a0") = area;
        register double fd __asm__("fa0") = 2.5;
        register double fb __asm__("fa1");
        __asm__ volatile("c.fsd %1, 24(%2)\n\tc.fld %0, 24(%2)"
                         : "=f"(fb) : "f"(fd), "r"(q) : "memory");
        back = fb;
    }
    printf("c.fsd/c.fld: %g area3=%lx\n", back, area[3]);
    /* Stack-pointer forms, including c.addi16sp and c.addi4spn. */
    uint64_t out1, out2, out3, spdiff;
    double dout;
    __asm__ volatile(
        "mv t1, sp\n\t"
        "c.addi16sp sp, -64\n\t"
        "c.addi4spn a4, sp, 16\n\t"
        "c.li a5, -3\n\t"
        "c.sdsp a5, 0(sp)\n\t"
        "c.swsp a5, 8(sp)\n\t"
        "c.sd a5, 8(a4)\n\t"
        "c.ldsp %0, 0(sp)\n\t"
        "c.lwsp %1, 8(sp)\n\t"
        "c.ldsp %2, 24(sp)\n\t"
        "c.fsdsp %5, 32(sp)\n\t"
        "c.fldsp %4, 32(sp)\n\t"
        "c.addi16sp sp, 64\n\t"
        "sub %3, t1, sp\n\t"
        : "=&r"(out1), "=&r"(out2), "=&r"(out3), "=&r"(spdiff), "=&f"(dout)
        : "f"(-1.25)
        : "t1", "a4", "a5", "memory");
    printf("c.sdsp/c.ldsp=%ld c.swsp/c.lwsp=%ld c.addi4spn+c.sd=%ld c.fsdsp/c.fldsp=%g sp "
           "restored=%d\n", (long)out1, (long)out2, (long)out3, dout, spdiff == 0);
}

static int leaf(int x) { return x * 3 + 1; }

static void control(void) {
    uint64_t r = 0;
    /* c.j forward and backward, c.beqz/c.bnez both ways, a loop with c.bnez. */
    register uint64_t n __asm__("a0") = 5;
    register uint64_t acc __asm__("a1") = 0;
    __asm__ volatile(
        "1:\n\t"
        "c.add a1, a0\n\t"
        "c.addi a0, -1\n\t"
        "c.bnez a0, 1b\n\t"
        "c.beqz a0, 2f\n\t"
        "c.li a1, 0\n\t"
        "2:\n\t"
        "c.j 3f\n\t"
        "c.li a1, 0\n\t"
        "3:\n\t"
        : "+r"(n), "+r"(acc));
    printf("c.bnez loop sum=%lu\n", acc);
    /* c.jalr and c.jr: call a C function through a register. */
    int (*fp)(int) = leaf;
    register uint64_t arg __asm__("a0") = 13;
    __asm__ volatile("c.jalr %1" : "+r"(arg) : "r"(fp)
                     : "ra", "a1", "a2", "a3", "a4", "a5", "a6", "a7", "t0", "t1", "t2", "t3",
                       "t4", "t5", "t6", "memory");
    printf("c.jalr leaf(13)=%lu\n", arg);
    __asm__ volatile("lla t0, 1f\n\tc.jr t0\n\tc.li %0, 1\n\tj 2f\n1:\tc.li %0, 2\n2:"
                     : "=r"(r) : : "t0");
    printf("c.jr target=%lu\n", r);
}

int main(void) {
    alu();
    memory();
    control();
    return 0;
}
