/* RV64I integer instructions, each forced with inline asm and applied to edge values:
 * register-register and immediate ALU ops including the 32-bit W forms, shifts by every
 * interesting amount, lui/auipc, every load and store width with sign/zero extension
 * (aligned and misaligned), and every branch condition. Prints one line per result. */
#include <stdint.h>
#include <stdio.h>

static const uint64_t vals[] = {
    0, 1, 2, 5, (uint64_t)-1, (uint64_t)-7, 31, 32, 63, 64,
    0x7fffffff, 0x80000000, 0xffffffff, 0x100000000ull,
    0x7fffffffffffffffull, 0x8000000000000000ull, 0x123456789abcdef0ull,
    0xfedcba9876543210ull, 0x00000000deadbeefull,
};
#define NV (sizeof vals / sizeof vals[0])

#define RR(name)                                                              \
    static uint64_t op_##name(uint64_t a, uint64_t b) {                       \
        uint64_t r;                                                           \
        __asm__ volatile(#name " %0, %1, %2" : "=r"(r) : "r"(a), "r"(b));     \
        return r;                                                             \
    }
RR(add) RR(sub) RR(sll) RR(slt) RR(sltu) RR(xor) RR(srl) RR(sra) RR(or) RR(and)
RR(addw) RR(subw) RR(sllw) RR(srlw) RR(sraw)

typedef uint64_t (*rr_fn)(uint64_t, uint64_t);
static const struct { const char *name; rr_fn fn; } rr_ops[] = {
    {"add", op_add}, {"sub", op_sub}, {"sll", op_sll}, {"slt", op_slt},
    {"sltu", op_sltu}, {"xor", op_xor}, {"srl", op_srl}, {"sra", op_sra},
    {"or", op_or}, {"and", op_and}, {"addw", op_addw}, {"subw", op_subw},
    {"sllw", op_sllw}, {"srlw", op_srlw}, {"sraw", op_sraw},
};

/* Immediate forms: one function per (op, imm) so the immediate is encoded. */
#define RI(name, imm)                                                         \
    static uint64_t op_##name##_##imm(uint64_t a) {                           \
        uint64_t r;                                                           \
        __asm__ volatile(#name " %0, %1, %2" : "=r"(r) : "r"(a), "i"(imm));   \
        return r;                                                             \
    }
#define RIN(name, tag, imm)                                                   \
    static uint64_t op_##name##_##tag(uint64_t a) {                           \
        uint64_t r;                                                           \
        __asm__ volatile(#name " %0, %1, %2" : "=r"(r) : "r"(a), "i"(imm));   \
        return r;                                                             \
    }
RI(addi, 0) RI(addi, 1) RI(addi, 2047) RIN(addi, m1, -1) RIN(addi, m2048, -2048)
RI(slti, 0) RI(slti, 5) RIN(slti, m1, -1) RI(sltiu, 0) RI(sltiu, 5) RIN(sltiu, m1, -1)
RI(xori, 0) RIN(xori, m1, -1) RI(xori, 1365) RI(ori, 0) RIN(ori, m2048, -2048) RI(ori, 255)
RI(andi, 0) RIN(andi, m1, -1) RI(andi, 2047) RIN(andi, m16, -16)
RI(slli, 0) RI(slli, 1) RI(slli, 31) RI(slli, 32) RI(slli, 63)
RI(srli, 0) RI(srli, 1) RI(srli, 31) RI(srli, 32) RI(srli, 63)
RI(srai, 0) RI(srai, 1) RI(srai, 31) RI(srai, 32) RI(srai, 63)
RI(addiw, 0) RI(addiw, 1) RI(addiw, 2047) RIN(addiw, m1, -1) RIN(addiw, m2048, -2048)
RI(slliw, 0) RI(slliw, 1) RI(slliw, 31) RI(srliw, 0) RI(srliw, 1) RI(srliw, 31)
RI(sraiw, 0) RI(sraiw, 1) RI(sraiw, 31)

typedef uint64_t (*ri_fn)(uint64_t);
#define E(name, tag) {#name " " #tag, op_##name##_##tag}
static const struct { const char *name; ri_fn fn; } ri_ops[] = {
    E(addi, 0), E(addi, 1), E(addi, 2047), E(addi, m1), E(addi, m2048),
    E(slti, 0), E(slti, 5), E(slti, m1), E(sltiu, 0), E(sltiu, 5), E(sltiu, m1),
    E(xori, 0), E(xori, m1), E(xori, 1365), E(ori, 0), E(ori, m2048), E(ori, 255),
    E(andi, 0), E(andi, m1), E(andi, 2047), E(andi, m16),
    E(slli, 0), E(slli, 1), E(slli, 31), E(slli, 32), E(slli, 63),
    E(srli, 0), E(srli, 1), E(srli, 31), E(srli, 32), E(srli, 63),
    E(srai, 0), E(srai, 1), E(srai, 31), E(srai, 32), E(srai, 63),
    E(addiw, 0), E(addiw, 1), E(addiw, 2047), E(addiw, m1), E(addiw, m2048),
    E(slliw, 0), E(slliw, 1), E(slliw, 31), E(srliw, 0), E(srliw, 1), E(srliw, 31),
    E(sraiw, 0), E(sraiw, 1), E(sraiw, 31),
};

static void upper_immediates(void) {
    uint64_t r;
    __asm__ volatile("lui %0, 0" : "=r"(r)); printf("lui 0 -> %016lx\n", r);
    __asm__ volatile("lui %0, 1" : "=r"(r)); printf("lui 1 -> %016lx\n", r);
    __asm__ volatile("lui %0, 0x7ffff" : "=r"(r)); printf("lui 0x7ffff -> %016lx\n", r);
    __asm__ volatile("lui %0, 0x80000" : "=r"(r)); printf("lui 0x80000 -> %016lx\n", r);
    __asm__ volatile("lui %0, 0xfffff" : "=r"(r)); printf("lui 0xfffff -> %016lx\n", r);
    /* auipc: compare with the address of a local label computed by the assembler. */
    uint64_t pc, label;
    __asm__ volatile("1: auipc %0, 0\n\tlla %1, 1b" : "=r"(pc), "=r"(label));
    printf("auipc 0 == own address: %d\n", pc == label);
    __asm__ volatile("1: auipc %0, 1\n\tlla %1, 1b" : "=r"(pc), "=r"(label));
    printf("auipc 1 - own address: %lx\n", pc - label);
    __asm__ volatile("1: auipc %0, 0xfffff\n\tlla %1, 1b" : "=r"(pc), "=r"(label));
    printf("auipc -1 - own address: %lx\n", pc - label);
    /* x0 ignores writes. */
    __asm__ volatile("li x0, 5\n\tmv %0, x0" : "=r"(r));
    printf("x0 after write -> %lu\n", r);
}

static uint8_t mem[64] __attribute__((aligned(16)));

static void loads_and_stores(void) {
    for (int i = 0; i < 64; i++) mem[i] = (uint8_t)(0x71 + i * 37);
    mem[8] = 0x80; mem[9] = 0xff; mem[10] = 0xff; mem[11] = 0xff;
    for (int off = 0; off < 12; off++) {
        uint8_t *p = mem + off;
        uint64_t b, h, w, d, bu, hu, wu;
        __asm__ volatile("lb %0, 0(%1)" : "=r"(b) : "r"(p));
        __asm__ volatile("lbu %0, 0(%1)" : "=r"(bu) : "r"(p));
        __asm__ volatile("lh %0, 0(%1)" : "=r"(h) : "r"(p));
        __asm__ volatile("lhu %0, 0(%1)" : "=r"(hu) : "r"(p));
        __asm__ volatile("lw %0, 0(%1)" : "=r"(w) : "r"(p));
        __asm__ volatile("lwu %0, 0(%1)" : "=r"(wu) : "r"(p));
        __asm__ volatile("ld %0, 0(%1)" : "=r"(d) : "r"(p));
        printf("load off=%d lb=%016lx lbu=%016lx lh=%016lx lhu=%016lx lw=%016lx lwu=%016lx ld=%016lx\n",
               off, b, bu, h, hu, w, wu, d);
    }
    /* Negative and positive displacements. */
    uint64_t r1, r2;
    __asm__ volatile("ld %0, -8(%2)\n\tld %1, 8(%2)" : "=r"(r1), "=r"(r2) : "r"(mem + 16));
    printf("ld -8/+8 -> %016lx %016lx\n", r1, r2);
    for (int off = 0; off < 9; off += 1) {
        uint8_t *p = mem + 32 + off;
        for (int i = 0; i < 16; i++) mem[32 + i] = 0;
        uint64_t v = 0x8877665544332211ull;
        __asm__ volatile("sb %0, 0(%1)" ::"r"(v), "r"(p) : "memory");
        __asm__ volatile("sh %0, 2(%1)" ::"r"(v >> 8), "r"(p) : "memory");
        __asm__ volatile("sw %0, 4(%1)" ::"r"(v >> 16), "r"(p) : "memory");
        uint64_t lo, hi;
        __asm__ volatile("ld %0, 0(%2)\n\tld %1, 8(%2)" : "=r"(lo), "=r"(hi) : "r"(mem + 32));
        printf("store off=%d sb/sh/sw -> %016lx %016lx\n", off, lo, hi);
        __asm__ volatile("sd %0, 0(%1)" ::"r"(v), "r"(p) : "memory");
        __asm__ volatile("ld %0, 0(%2)\n\tld %1, 8(%2)" : "=r"(lo), "=r"(hi) : "r"(mem + 32));
        printf("store off=%d sd -> %016lx %016lx\n", off, lo, hi);
    }
}

#define BR(name)                                                              \
    static int br_##name(uint64_t a, uint64_t b) {                            \
        int taken;                                                            \
        __asm__ volatile(#name " %1, %2, 1f\n\tli %0, 0\n\tj 2f\n1:\tli %0, 1\n2:" \
                         : "=r"(taken) : "r"(a), "r"(b));                     \
        return taken;                                                         \
    }
BR(beq) BR(bne) BR(blt) BR(bge) BR(bltu) BR(bgeu)

static void branches(void) {
    static const uint64_t bv[] = {0, 1, (uint64_t)-1, 0x7fffffffffffffffull,
                                  0x8000000000000000ull, 0x80000000};
    for (unsigned i = 0; i < 6; i++) {
        for (unsigned j = 0; j < 6; j++) {
            uint64_t a = bv[i], b = bv[j];
            printf("branch %016lx %016lx beq=%d bne=%d blt=%d bge=%d bltu=%d bgeu=%d\n", a, b,
                   br_beq(a, b), br_bne(a, b), br_blt(a, b), br_bge(a, b), br_bltu(a, b),
                   br_bgeu(a, b));
        }
    }
    /* jalr with an odd target offset: the low bit of the target is cleared. */
    uint64_t got;
    __asm__ volatile("lla t0, 1f\n\taddi t0, t0, 1\n\tjalr t1, 0(t0)\n\tli %0, 0\n\tj 2f\n"
                     "1:\tli %0, 1\n2:"
                     : "=r"(got) : : "t0", "t1");
    printf("jalr clears bit 0 -> %lu\n", got);
    /* jal links the address of the next instruction. */
    uint64_t link, expect;
    __asm__ volatile(".option push\n\t.option norvc\n\tjal %0, 1f\n2:\tnop\n1:\tlla %1, 2b\n\t.option pop"
                     : "=r"(link), "=r"(expect));
    printf("jal link == next insn: %d\n", link == expect);
}

int main(void) {
    for (unsigned o = 0; o < sizeof rr_ops / sizeof rr_ops[0]; o++)
        for (unsigned i = 0; i < NV; i++)
            for (unsigned j = 0; j < NV; j++)
                printf("%s %lx %lx -> %lx\n", rr_ops[o].name, vals[i], vals[j],
                       rr_ops[o].fn(vals[i], vals[j]));
    for (unsigned o = 0; o < sizeof ri_ops / sizeof ri_ops[0]; o++)
        for (unsigned i = 0; i < NV; i++)
            printf("%s %lx -> %lx\n", ri_ops[o].name, vals[i], ri_ops[o].fn(vals[i]));
    upper_immediates();
    loads_and_stores();
    branches();
    return 0;
}
