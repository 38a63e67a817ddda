/* The M extension on edge values: every multiply-high variant, division by zero
 * (quotient all ones, remainder the dividend), signed overflow (INT_MIN / -1), and the
 * 32-bit W forms, which sign-extend their 32-bit results. */
#include <stdint.h>
#include <stdio.h>

static const uint64_t vals[] = {
    0, 1, 2, 3, 7, (uint64_t)-1, (uint64_t)-2, (uint64_t)-7,
    0x7fffffff, 0x80000000, 0xffffffff, 0x100000001ull, 0xffffffff80000000ull,
    0x7fffffffffffffffull, 0x8000000000000000ull, 0x123456789abcdef0ull,
    0xfedcba9876543210ull,
};
#define NV (sizeof vals / sizeof vals[0])

#define RR(name)                                                              \
    static uint64_t op_##name(uint64_t a, uint64_t b) {                       \
        uint64_t r;                                                           \
        __asm__ volatile(#name " %0, %1, %2" : "=r"(r) : "r"(a), "r"(b));     \
        return r;                                                             \
    }
RR(mul) RR(mulh) RR(mulhsu) RR(mulhu) RR(div) RR(divu) RR(rem) RR(remu)
RR(mulw) RR(divw) RR(divuw) RR(remw) RR(remuw)

typedef uint64_t (*rr_fn)(uint64_t, uint64_t);
static const struct { const char *name; rr_fn fn; } ops[] = {
    {"mul", op_mul}, {"mulh", op_mulh}, {"mulhsu", op_mulhsu}, {"mulhu", op_mulhu},
    {"div", op_div}, {"divu", op_divu}, {"rem", op_rem}, {"remu", op_remu},
    {"mulw", op_mulw}, {"divw", op_divw}, {"divuw", op_divuw}, {"remw", op_remw},
    {"remuw", op_remuw},
};

int main(void) {
    for (unsigned o = 0; o < sizeof ops / sizeof ops[0]; o++)
        for (unsigned i = 0; i < NV; i++)
            for (unsigned j = 0; j < NV; j++)
                printf("%s %lx %lx -> %lx\n", ops[o].name, vals[i], vals[j],
                       ops[o].fn(vals[i], vals[j]));
    /* The same destination as a source, as compilers emit for x = x / y. */
    uint64_t x = 100;
    __asm__ volatile("div %0, %0, %1" : "+r"(x) : "r"((uint64_t)-3));
    printf("div in place -> %ld\n", (long)x);
    /* A C-level loop the compiler turns into mul/div/rem sequences. */
    uint64_t acc = 0x9e3779b97f4a7c15ull;
    for (uint64_t i = 1; i < 2000; i++) {
        acc = acc * 6364136223846793005ull + i;
        acc ^= acc / (i | 1) + acc % (i + 7);
        acc += (uint64_t)((int64_t)acc / -(int64_t)i);
        acc += (uint32_t)acc / (uint32_t)(i * 3 + 1);
    }
    printf("mixed checksum %016lx\n", acc);
    return 0;
}
