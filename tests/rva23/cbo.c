// cflags: -march=rv64gc_zicbom_zicboz_zicbop
/* Zicbom and Zicboz: cbo.zero clears exactly the aligned 64-byte block holding its
 * address (the size hwprobe reports), from any address inside it; cbo.clean and
 * cbo.flush change nothing, also on a read-only page; cbo.zero on an unmapped or
 * read-only page is a SIGSEGV at the block's start, with the block left as it was.
 * (cbo.inval is left out: Linux makes it SIGILL in user mode, qemu-user runs it.) */
#include "insn.h"
#include <setjmp.h>
#include <signal.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>

struct riscv_hwprobe {
    long long key;
    unsigned long long value;
};

static sigjmp_buf back;
static char *page;

static void on_segv(int sig, siginfo_t *si, void *ctx)
{
    (void)ctx;
    printf("signal %d code %d at page%+ld\n", sig, si->si_code, (long)((char *)si->si_addr - page));
    siglongjmp(back, 1);
}

/* The zeroed runs of buf[0..n), as offsets. */
static void show_zero_runs(const unsigned char *buf, int n)
{
    printf("zero:");
    for (int i = 0; i < n;) {
        if (buf[i]) {
            i++;
            continue;
        }
        int j = i;
        while (j < n && !buf[j])
            j++;
        printf(" [%d,%d)", i, j);
        i = j;
    }
    printf("\n");
}

int main(void)
{
    struct riscv_hwprobe pair = {6 /* RISCV_HWPROBE_KEY_ZICBOZ_BLOCK_SIZE */, 0};
    long r = syscall(258 /* riscv_hwprobe */, &pair, 1, 0, NULL, 0);
    printf("hwprobe %ld: zicboz block size %llu\n", r, pair.value);

    static unsigned char buf[512] __attribute__((aligned(64)));
    int offsets[] = {64, 64 + 1, 128 + 37, 192 + 63, 256 + 8, 448 + 62};
    for (unsigned i = 0; i < sizeof offsets / sizeof offsets[0]; i++) {
        memset(buf, 0xa5, sizeof buf);
        __asm__ volatile("cbo.zero (%0)" : : "r"(buf + offsets[i]) : "memory");
        printf("cbo.zero at %d: ", offsets[i]);
        show_zero_runs(buf, sizeof buf);
    }
    memset(buf, 0x5a, sizeof buf);
    __asm__ volatile("cbo.clean (%0)\n\tcbo.flush (%1)\n\tcbo.clean (%2)"
                     : : "r"(buf), "r"(buf + 100), "r"(buf + 511) : "memory");
    int intact = 1;
    for (unsigned i = 0; i < sizeof buf; i++)
        intact &= buf[i] == 0x5a;
    printf("after clean/flush intact: %d\n", intact);

    page = mmap(NULL, 3 * 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    memset(page, 0x77, 2 * 4096);
    mprotect(page + 4096, 4096, PROT_READ);
    munmap(page + 2 * 4096, 4096);
    __asm__ volatile("cbo.clean (%0)\n\tcbo.flush (%0)" : : "r"(page + 4096 + 200) : "memory");
    printf("clean/flush on a read-only page: fine\n");

    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_sigaction = on_segv;
    sa.sa_flags = SA_SIGINFO | SA_NODEFER;
    sigaction(SIGSEGV, &sa, NULL);
    char *targets[] = {page + 4096 + 130, page + 4096, page + 2 * 4096 + 77, page + 3 * 4096 - 1};
    for (unsigned i = 0; i < sizeof targets / sizeof targets[0]; i++) {
        if (!sigsetjmp(back, 1)) {
            __asm__ volatile("cbo.zero (%0)" : : "r"(targets[i]) : "memory");
            printf("cbo.zero at page%+ld: no fault\n", (long)(targets[i] - page));
        }
    }
    int ro_intact = 1;
    for (int i = 4096; i < 2 * 4096; i++)
        ro_intact &= page[i] == 0x77;
    printf("read-only page intact: %d\n", ro_intact);
    /* The last cbo.zero of a writable page: the block before the read-only page. */
    __asm__ volatile("cbo.zero (%0)" : : "r"(page + 4096 - 1) : "memory");
    show_zero_runs((unsigned char *)page + 4096 - 128, 128);
    return 0;
}
