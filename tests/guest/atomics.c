// ldflags: -latomic
/* The A extension: every AMO in .w and .d form (with each aq/rl ordering encoding) on
 * edge values, printing the returned old value (sign-extended for .w) and the new
 * memory; LR/SC success, failure without a reservation, and CAS loops; C11 atomics.
 * Links libatomic for the sub-word C11 atomics (masked LR/SC loops). */
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>

static const uint64_t vals[] = {
    0, 1, (uint64_t)-1, 0x7fffffff, 0x80000000, 0xffffffff,
    0x7fffffffffffffffull, 0x8000000000000000ull, 0x123456789abcdef0ull,
};
#define NV (sizeof vals / sizeof vals[0])

static uint64_t cell[2] __attribute__((aligned(16)));

#define AMO(name, sfx)                                                          \
    static uint64_t amo_##name##_##sfx(uint64_t *p, uint64_t v) {               \
        uint64_t old;                                                           \
        __asm__ volatile(#name "." #sfx " %0, %2, (%1)"                          \
                         : "=r"(old) : "r"(p), "r"(v) : "memory");              \
        return old;                                                             \
    }
#define AMO_BOTH(name) AMO(name, w) AMO(name, d)
AMO_BOTH(amoswap) AMO_BOTH(amoadd) AMO_BOTH(amoxor) AMO_BOTH(amoand) AMO_BOTH(amoor)
AMO_BOTH(amomin) AMO_BOTH(amomax) AMO_BOTH(amominu) AMO_BOTH(amomaxu)

typedef uint64_t (*amo_fn)(uint64_t *, uint64_t);
#define E(name) {#name ".w", amo_##name##_w}, {#name ".d", amo_##name##_d}
static const struct { const char *name; amo_fn fn; } amos[] = {
    E(amoswap), E(amoadd), E(amoxor), E(amoand), E(amoor),
    E(amomin), E(amomax), E(amominu), E(amomaxu),
};

/* The ordering bits must decode to the same operation. */
static void orderings(void) {
    uint64_t old;
    cell[0] = 10;
    __asm__ volatile("amoadd.d.aq %0, %2, (%1)" : "=r"(old) : "r"(cell), "r"(1ul) : "memory");
    __asm__ volatile("amoadd.d.rl %0, %2, (%1)" : "=r"(old) : "r"(cell), "r"(2ul) : "memory");
    __asm__ volatile("amoadd.d.aqrl %0, %2, (%1)" : "=r"(old) : "r"(cell), "r"(3ul) : "memory");
    __asm__ volatile("amoswap.w.aqrl %0, %2, (%1)" : "=r"(old) : "r"(cell), "r"(-5l) : "memory");
    printf("orderings: old=%lx mem=%lx\n", old, cell[0]);
    /* rd = x0: the memory still changes. */
    __asm__ volatile("amoor.d zero, %1, (%0)" ::"r"(cell), "r"(0xf0ul) : "memory");
    printf("amoor rd=x0: mem=%lx\n", cell[0]);
    /* The .w forms touch only the low word. */
    cell[0] = 0x1111111122222222ull;
    __asm__ volatile("amoadd.w %0, %2, (%1)" : "=r"(old) : "r"(cell), "r"(0x7ffffffful) : "memory");
    printf("amoadd.w low word only: old=%lx mem=%lx\n", old, cell[0]);
}

static void lrsc(void) {
    uint64_t v, r1, r2;
    /* Each LR/SC pair sits in one asm block: no call or syscall may intervene, since
     * Linux clears the reservation on every return from the kernel. */
    cell[0] = 0xffffffff80000001ull;
    __asm__ volatile("lr.w %0, (%3)\n\tsc.w %1, %4, (%3)\n\tsc.w %2, %5, (%3)"
                     : "=&r"(v), "=&r"(r1), "=&r"(r2)
                     : "r"(cell), "r"(0x12345678ul), "r"(0x9ul) : "memory");
    printf("lr.w=%lx sc.w=%lu second sc.w failed=%d mem=%lx\n", v, r1, r2 != 0, cell[0]);
    __asm__ volatile("lr.d.aq %0, (%3)\n\taddi %0, %0, 1\n\tsc.d.rl %1, %0, (%3)\n\t"
                     "sc.d %2, zero, (%3)"
                     : "=&r"(v), "=&r"(r1), "=&r"(r2) : "r"(cell) : "memory");
    printf("lr.d/sc.d: sc=%lu second sc failed=%d mem=%lx\n", r1, r2 != 0, cell[0]);
    __asm__ volatile("lr.d.aqrl %0, (%2)\n\tslli %0, %0, 1\n\tsc.d.aqrl %1, %0, (%2)"
                     : "=&r"(v), "=&r"(r1) : "r"(cell) : "memory");
    printf("lr.d.aqrl/sc.d.aqrl: sc=%lu mem=%lx\n", r1, cell[0]);
    /* sc.w stores only the low word. */
    cell[0] = 0xaaaaaaaabbbbbbbbull;
    __asm__ volatile("lr.w %0, (%2)\n\tsc.w %1, %3, (%2)"
                     : "=&r"(v), "=&r"(r1) : "r"(cell), "r"(0x1122334455667788ul) : "memory");
    printf("sc.w low word: lr=%lx sc=%lu mem=%lx\n", v, r1, cell[0]);
    /* An LR/SC increment loop, retried until the SC succeeds. */
    cell[1] = 0;
    for (int i = 0; i < 1000; i++) {
        __asm__ volatile("1: lr.d %0, (%1)\n\taddi %0, %0, 3\n\tsc.d %0, %0, (%1)\n\tbnez %0, 1b"
                         : "=&r"(v) : "r"(cell + 1) : "memory");
    }
    printf("lr/sc loop: %lu\n", cell[1]);
}

static void c11(void) {
    _Atomic uint64_t a = 5;
    _Atomic uint32_t b = 0xfffffff0u;
    uint64_t exp = 5;
    int ok1 = atomic_compare_exchange_strong(&a, &exp, 9);
    exp = 5;
    int ok2 = atomic_compare_exchange_strong(&a, &exp, 11);
    printf("cas: %d %d a=%lu expected-now=%lu\n", ok1, ok2, (uint64_t)a, exp);
    uint32_t ob = atomic_fetch_add(&b, 0x20);
    printf("fetch_add u32: old=%x new=%x\n", ob, (uint32_t)b);
    printf("fetch_sub: %lu fetch_or: %lu fetch_and: %lu fetch_xor: %lu exchange: %lu final=%lu\n",
           (uint64_t)atomic_fetch_sub(&a, 4), (uint64_t)atomic_fetch_or(&a, 0x100),
           (uint64_t)atomic_fetch_and(&a, 0x1ff), (uint64_t)atomic_fetch_xor(&a, 0xff),
           (uint64_t)atomic_exchange(&a, 77), (uint64_t)a);
    _Atomic uint16_t h = 0xffff;
    _Atomic uint8_t c = 0x7f;
    uint16_t oh = atomic_fetch_add(&h, 2);
    uint8_t oc = atomic_fetch_add(&c, 1);
    printf("sub-word atomics: %x->%x %x->%x\n", oh, (unsigned)h, oc, (unsigned)c);
    atomic_thread_fence(memory_order_seq_cst);
    __asm__ volatile("fence rw, rw\n\tfence.i\n\tfence r, r\n\tfence w, w\n\tfence.tso" ::: "memory");
    puts("fences ok");
}

int main(void) {
    for (unsigned o = 0; o < sizeof amos / sizeof amos[0]; o++)
        for (unsigned i = 0; i < NV; i++)
            for (unsigned j = 0; j < NV; j++) {
                cell[0] = vals[i];
                cell[1] = 0x5555555555555555ull;
                uint64_t old = amos[o].fn(&cell[0], vals[j]);
                printf("%s mem=%lx src=%lx -> old=%lx mem=%lx next=%lx\n", amos[o].name,
                       vals[i], vals[j], old, cell[0], cell[1]);
            }
    orderings();
    lrsc();
    c11();
    return 0;
}
