/* riscv_hwprobe, as Linux 6.4+ answers it on harts with vm's ISA (RV64IMAFDCV, Zba, Zbb,
 * Zbs, Zicntr, Zihintpause, Zihintntl and the other RVA23U64 extensions, VLEN 128; 64-byte
 * cache blocks, misaligned scalar and vector accesses fast, Sv39, a 10 MHz time CSR). qemu 7.2 does not
 * implement it (ENOSYS). */
#define _GNU_SOURCE
#include <sched.h>
#include <stdint.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>
#include "check.h"

#define NR_riscv_hwprobe 258
#define WHICH_CPUS 1
#define KEY_IMA_EXT_0 4
#define EXT_V (1ULL << 2)
#define EXT_ZBB (1ULL << 4)

struct pair { int64_t key; uint64_t value; };

static long hwprobe(struct pair *pairs, long n, long setsize, void *cpus, unsigned flags) {
    return syscall(NR_riscv_hwprobe, pairs, n, setsize, cpus, flags);
}

int main(void) {
    struct pair all[19];
    for (int k = 0; k <= 16; k++) all[k] = (struct pair){k, 0xdead};
    all[17] = (struct pair){17, 0xdead};
    all[18] = (struct pair){-5, 0xdead};
    SHOW("all keys, all cpus", hwprobe(all, 19, 0, NULL, 0));
    for (int i = 0; i < 19; i++)
        printf("key %lld = %#llx\n", (long long)all[i].key, (unsigned long long)all[i].value);

    cpu_set_t set;
    CPU_ZERO(&set);
    struct pair one = {KEY_IMA_EXT_0, 0};
    SHOW("empty cpu set", hwprobe(&one, 1, sizeof set, &set, 0));
    SHOW("set size 0 with a set", hwprobe(&one, 1, 0, &set, 0));
    SHOW("set without a pointer", hwprobe(&one, 1, sizeof set, NULL, 0));
    SHOW("reserved flag", hwprobe(&one, 1, 0, NULL, 2));
    SHOW("bad pairs", hwprobe((struct pair *)8, 1, 0, NULL, 0));
    SHOW("no pairs, bad pointer", hwprobe((struct pair *)8, 0, 0, NULL, 0));
    CPU_SET(0, &set);
    SHOW("cpu 0", hwprobe(&one, 1, sizeof set, &set, 0));
    printf("cpu 0: zbb %d v %d\n", !!(one.value & EXT_ZBB), !!(one.value & EXT_V));

    /* WHICH_CPUS: an empty set stands for all online cpus. */
    cpu_set_t online, got;
    CPU_ZERO(&online);
    SHOW("which: no pairs", hwprobe(NULL, 0, sizeof online, &online, WHICH_CPUS));
    printf("online cpus named: %d\n", CPU_COUNT(&online) > 0);
    CPU_ZERO(&got);
    struct pair zbb = {KEY_IMA_EXT_0, EXT_ZBB};
    SHOW("which: zbb", hwprobe(&zbb, 1, sizeof got, &got, WHICH_CPUS));
    printf("zbb: every online cpu kept %d\n", CPU_EQUAL(&got, &online));
    got = online;
    struct pair v = {KEY_IMA_EXT_0, EXT_V | EXT_ZBB};
    SHOW("which: v", hwprobe(&v, 1, sizeof got, &got, WHICH_CPUS));
    printf("v: every online cpu kept %d\n", CPU_EQUAL(&got, &online));
    got = online;
    struct pair freq[2] = {{8, 10000000}, {99, 1}};
    SHOW("which: freq, then unknown key", hwprobe(freq, 2, sizeof got, &got, WHICH_CPUS));
    printf("unknown key -> key %lld value %llu, cpus left %d\n", (long long)freq[1].key,
           (unsigned long long)freq[1].value, CPU_COUNT(&got));
    got = online;
    struct pair exact[1] = {{8, 10000000}};
    SHOW("which: freq", hwprobe(exact, 1, sizeof got, &got, WHICH_CPUS));
    printf("freq: every online cpu kept %d\n", CPU_EQUAL(&got, &online));
    SHOW("which: no set", hwprobe(&zbb, 1, 0, NULL, WHICH_CPUS));
    SHOW("which: flag 3", hwprobe(&zbb, 1, sizeof got, &got, 3));
    return 0;
}
