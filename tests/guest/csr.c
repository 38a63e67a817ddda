/* Zicsr: fcsr as frm<<5 | fflags through frcsr/fscsr, frrm/fsrm/fsrmi, frflags/fsflags,
 * the generic csrrw/csrrs/csrrc forms on fcsr, writes of reserved high bits; and the
 * counters rdcycle, rdtime and rdinstret, which must never go backwards and must
 * advance across a loop. */
#include <stdint.h>
#include <stdio.h>

static unsigned long frcsr(void) {
    unsigned long v;
    __asm__ volatile("frcsr %0" : "=r"(v));
    return v;
}
static unsigned long frrm(void) {
    unsigned long v;
    __asm__ volatile("frrm %0" : "=r"(v));
    return v;
}
static unsigned long frflags(void) {
    unsigned long v;
    __asm__ volatile("frflags %0" : "=r"(v));
    return v;
}

static void fp_csrs(void) {
    unsigned long old;
    printf("initial fcsr=%02lx frm=%lu fflags=%02lx\n", frcsr(), frrm(), frflags());
    __asm__ volatile("fscsr %0, %1" : "=r"(old) : "r"(0x7bul));
    printf("fscsr 0x7b: old=%02lx fcsr=%02lx frm=%lu fflags=%02lx\n", old, frcsr(), frrm(),
           frflags());
    __asm__ volatile("fsrm %0, %1" : "=r"(old) : "r"(1ul));
    printf("fsrm 1: old=%lu fcsr=%02lx\n", old, frcsr());
    __asm__ volatile("fsrmi %0, 4" : "=r"(old));
    printf("fsrmi 4: old=%lu fcsr=%02lx\n", old, frcsr());
    __asm__ volatile("fsflagsi %0, 0x2" : "=r"(old));
    printf("fsflagsi 2: old=%02lx fcsr=%02lx\n", old, frcsr());
    __asm__ volatile("csrrs %0, fcsr, %1" : "=r"(old) : "r"(0x1ul));
    printf("csrrs fcsr 1: old=%02lx fcsr=%02lx\n", old, frcsr());
    __asm__ volatile("csrrc %0, fcsr, %1" : "=r"(old) : "r"(0x80ul));
    printf("csrrc fcsr 0x80: old=%02lx fcsr=%02lx\n", old, frcsr());
    __asm__ volatile("csrrw %0, fcsr, %1" : "=r"(old) : "r"(0xffffff25ul));
    printf("csrrw fcsr 0xffffff25 (reserved bits dropped): old=%02lx fcsr=%02lx\n", old,
           frcsr());
    __asm__ volatile("csrrwi %0, frm, 2" : "=r"(old));
    printf("csrrwi frm 2: old=%lu fcsr=%02lx\n", old, frcsr());
    __asm__ volatile("csrrsi %0, frm, 1" : "=r"(old));
    printf("csrrsi frm 1: old=%lu frm=%lu\n", old, frrm());
    __asm__ volatile("csrrci %0, frm, 3" : "=r"(old));
    printf("csrrci frm 3: old=%lu frm=%lu\n", old, frrm());
    /* csrrs with x0 reads without writing; csrrw to x0 writes without reading. */
    __asm__ volatile("csrrs %0, fflags, x0" : "=r"(old));
    __asm__ volatile("csrrw x0, fflags, %0" ::"r"(0x10ul));
    printf("read-only csrrs then csrrw x0: old=%02lx fflags=%02lx\n", old, frflags());
    __asm__ volatile("fscsr zero");
    printf("cleared fcsr=%02lx\n", frcsr());
}

#define COUNTER(name)                                                 \
    static uint64_t read_##name(void) {                               \
        uint64_t v;                                                   \
        __asm__ volatile("rd" #name " %0" : "=r"(v));                 \
        return v;                                                     \
    }
COUNTER(cycle) COUNTER(time) COUNTER(instret)

static volatile uint64_t sink;

static void counters(void) {
    uint64_t c0 = read_cycle(), t0 = read_time(), i0 = read_instret();
    int backwards = 0;
    uint64_t c = c0, t = t0, i = i0;
    for (int k = 0; k < 2000; k++) {
        uint64_t c2 = read_cycle(), t2 = read_time(), i2 = read_instret();
        backwards += c2 < c;
        backwards += t2 < t;
        backwards += i2 < i;
        c = c2, t = t2, i = i2;
        sink += k * 7;
    }
    for (int k = 0; k < 100000; k++) sink += k;
    uint64_t c1 = read_cycle(), t1 = read_time(), i1 = read_instret();
    printf("counters: backwards steps=%d cycle advanced=%d time advanced=%d instret advanced=%d\n",
           backwards, c1 > c0, t1 > t0, i1 > i0);
    /* The generic csrr form reads the same counters. */
    uint64_t a, b;
    __asm__ volatile("csrr %0, cycle\n\tcsrr %1, instret" : "=r"(a), "=r"(b));
    printf("csrr cycle/instret not below earlier reads: %d %d\n", a >= c1, b >= i1);
    __asm__ volatile("csrr %0, time" : "=r"(a));
    printf("csrr time not below earlier read: %d\n", a >= t1);
}

int main(void) {
    fp_csrs();
    counters();
    return 0;
}
