/* A seeded system-call fuzzer, run as a guest: `sysfuzz SEED BATCHES CALLS [SECS [FIRST]]`.
 *
 * The parent forks one child per batch; the child makes CALLS random raw system calls
 * (numbers from a table of RISC-V Linux calls, arguments from classes: 0, -1, small and
 * huge numbers, flag patterns, its own descriptors and bad ones, pointers to its
 * buffers, to read-only and inaccessible pages, straddling into them, NULL, unmapped
 * and out-of-space addresses, paths inside its private directory), then checks that it
 * can still make pipes, files, mappings and processes (and exec). Every third batch a
 * second thread makes calls at the same time. The parent waits with a timeout (SIGUSR1
 * after SECS seconds, SIGKILL two seconds later), prints one line per batch and checks
 * its own descriptors after each. The same seed makes the same calls (the interleaving
 * of a two-thread batch aside).
 *
 * What the children may do is bounded, because the fuzzer may run as root on a real
 * machine: every path it names lies in its private directory (it never passes a
 * writable buffer as a path), it only signals itself and its own children, it
 * changes the clock, host name, scheduling class, IPC objects and network only where
 * that cannot reach the host (IPC, network and host name in namespaces of its own, or
 * not at all), it never makes device nodes, never populates, locks or allocates more
 * than a few hundred megabytes, and it keeps its own code, stack and bookkeeping out of reach of the
 * calls that unmap or replace memory (those only see a scratch region).
 *
 * A batch child exits 0 (done, checks passed), 1 (done, checks skipped: it changed
 * its root, credentials, limits...), 50 (woken by SIGUSR1), 64+N (it took fault signal
 * N in its handler), 33 or 2 (it exec'd itself), 3 (a check failed), 4 (its set-up
 * failed); 101 is vm's panic.
 *
 * Exit status: 0 if every batch ended in a way the guest could have caused; 1 if one
 * ended in a way only vm could (a panic, an unhandled fault signal, a hang that needed
 * SIGKILL, a failed check afterwards, a clobbered descriptor of the parent). */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <ftw.h>
#include <sys/fsuid.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <time.h>
#include <ucontext.h>
#include <unistd.h>

#define PAGE 4096UL
typedef unsigned long u64;

/* ---- raw calls ---------------------------------------------------------------- */

static long sc(long nr, long a0, long a1, long a2, long a3, long a4, long a5) {
    register long r_a0 asm("a0") = a0;
    register long r_a1 asm("a1") = a1;
    register long r_a2 asm("a2") = a2;
    register long r_a3 asm("a3") = a3;
    register long r_a4 asm("a4") = a4;
    register long r_a5 asm("a5") = a5;
    register long r_a7 asm("a7") = nr;
    asm volatile("ecall"
                 : "+r"(r_a0)
                 : "r"(r_a1), "r"(r_a2), "r"(r_a3), "r"(r_a4), "r"(r_a5), "r"(r_a7)
                 : "memory");
    return r_a0;
}

/* clone and clone3 whose child ends at once (exit, not exit_group), touching neither
 * memory nor stack: whatever the flags, stack and TLS, nothing runs in it. */
long sf_clone(long flags, long stack, long ptid, long tls, long ctid);
long sf_clone3(long args, long size);
asm(".text\n"
    ".globl sf_clone\n"
    "sf_clone:\n"
    "  li a7, 220\n"
    "  ecall\n"
    "  bnez a0, 1f\n"
    "  li a7, 93\n"
    "  ecall\n"
    "1: ret\n"
    ".globl sf_clone3\n"
    "sf_clone3:\n"
    "  li a7, 435\n"
    "  ecall\n"
    "  bnez a0, 2f\n"
    "  li a7, 93\n"
    "  ecall\n"
    "2: ret\n");

static void out(int fd, const char *s) {
    size_t n = strlen(s);
    while (n > 0) {
        long r = sc(SYS_write, fd, (long)s, n, 0, 0, 0);
        if (r == -EINTR)
            continue;
        if (r <= 0)
            return;
        s += r;
        n -= r;
    }
}

/* ---- randomness ---------------------------------------------------------------- */

static __thread u64 rng_state; /* each thread its own sequence */
static u64 rnd(void) { /* splitmix64 */
    u64 z = (rng_state += 0x9e3779b97f4a7c15UL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9UL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebUL;
    return z ^ (z >> 31);
}
static u64 below(u64 n) { return n ? rnd() % n : 0; }
static int chance(int percent) { return (int)below(100) < percent; }
#define PICK(arr) ((arr)[below(sizeof(arr) / sizeof((arr)[0]))])

/* ---- what the parent and the child share --------------------------------------- */

struct shared {
    volatile long call_index;
    volatile long nr;
    volatile long args[6];
    volatile long tainted; /* the child changed something the checks rely on */
    volatile long seccomp; /* a seccomp filter may have been installed */
    volatile long execing;
    volatile long check_failed; /* which check after the batch failed (line) */
    volatile long check_errno;
    volatile long fault_sig;
    volatile long fault_code;
    volatile long fault_addr;
    volatile long fault_pc;
};
static struct shared *shared;

/* ---- the child's memory: buffers, guards, a scratch region ---------------------- */

#define BLOCKS 16
#define BLOCK_PAGES 4 /* 3 read-write pages, then an inaccessible one */
#define BLOCK_RW ((BLOCK_PAGES - 1) * PAGE)
/* Blocks 0..7: random bytes; 8..11: paths (one per argument slot); 12..15: structs. */
static char *arena;
static char *ro_page;   /* read-only, zero-filled, followed by an inaccessible page */
static char *scratch;   /* what unmapping, remapping and protecting calls may touch */
#define SCRATCH_SIZE (64 * PAGE)
/* Scratch is the start of a reservation this big, so that calls on scratch with
 * lengths up to the rest of it stay in the fuzzer's own inaccessible pages. */
#define RESERVATION (1UL << 28)

static int in_scratch(u64 p) { return p >= (u64)scratch && p < (u64)scratch + RESERVATION; }
/* `len` cut so that `[p, p + len)` stays inside the reservation, unless it wraps
 * around (which every call refuses). A hole follows the reservation, where Linux stops
 * the calls that walk mappings (mprotect, mlock); madvise goes on past holes. */
static long clamp_len(u64 p, u64 len) {
    u64 room = (u64)scratch + RESERVATION - p;
    return (long)(len > room && p + len >= p ? room : len);
}
static char dir_path[512];

static char *block(int b) { return arena + (u64)b * BLOCK_PAGES * PAGE; }

static void fill_random(char *p, size_t n) {
    for (size_t i = 0; i < n; i += 8) {
        u64 v = rnd();
        for (int k = 0; k < 8 && i + k < n; k++) {
            char c = (char)(v >> (8 * k));
            p[i + k] = c == '/' ? '_' : c;
        }
    }
}

/* ---- argument classes ----------------------------------------------------------- */

/* Addresses nothing is mapped at (never the program's own 0x10000, nor where the big
 * mappings the calls make may land: a huge length from there would copy gigabytes). */
static long bad_pointer(void) {
    static const u64 bad[] = {
        0,
        1,
        0xfff,
        0x1000,
        1UL << 39,
        (1UL << 39) + 0x1000,
        1UL << 47,
        (1UL << 47) - 4096,
        1UL << 56,
        0x8000000000000000UL,
        0xffffffff80000000UL,
        -4096UL,
        -1UL,
    };
    switch (below(4)) {
    case 0: return (long)(block((int)below(BLOCKS)) + BLOCK_RW + below(PAGE)); /* guard */
    case 1: return (long)(ro_page + PAGE + below(PAGE));                        /* guard */
    default: return (long)PICK(bad);
    }
}

static long number(void) {
    static const u64 special[] = {
        0,          1,          2,          3,          4,          7,
        8,          16,         64,         255,        256,        4095,
        4096,       4097,       65536,      0x7fffffff, 0x80000000, 0xffffffff,
        0x100000000, 1UL << 39, 1UL << 47, 1UL << 62, 1UL << 63, -1UL,
        -2UL,       -4095UL,    -4096UL,    -100UL,     0x7fffffffffffffffUL,
    };
    switch (below(6)) {
    case 0: return (long)PICK(special);
    case 1: return (long)below(32);
    case 2: return (long)(1UL << below(64));
    case 3: return (long)(rnd() & rnd() & 0xffffffff); /* sparse flag bits */
    case 4: return (long)(rnd() & 0xffffffff);
    default: return (long)rnd();
    }
}

static long length(void) {
    static const u64 lens[] = {0, 1, 2, 3, 4, 7, 8, 15, 16, 24, 28, 32, 64, 100, 110,
                               128, 255, 256, 512, 4095, 4096, 4097, BLOCK_RW, BLOCK_RW + 1,
                               0x7fffffff, 0x80000000, 0xffffffff, 1UL << 32, 1UL << 40,
                               -1UL, 0x7fffffffffffffffUL};
    return chance(70) ? (long)PICK(lens) : (long)below(BLOCK_RW + 64);
}

/* A pointer for the kernel to read or write through: mostly into a random-bytes block. */
static long buffer(void) {
    int b = (int)below(8);
    switch (below(10)) {
    case 0: case 1: case 2: return (long)block(b);
    case 3: case 4: return (long)(block(b) + below(BLOCK_RW));
    case 5: return (long)(block(b) + BLOCK_RW - 1 - below(64)); /* straddles the guard */
    case 6: return (long)(ro_page + below(PAGE));
    case 7: return (long)(block(b) + (below(BLOCK_RW / 8) * 8));
    default: return bad_pointer();
    }
}

/* A struct the call reads: `len` bytes of `src` in a struct block, or a bad pointer. */
static long put_struct(int slot, const void *src, size_t len) {
    char *base = block(12 + (slot & 3));
    if (len > BLOCK_RW)
        len = BLOCK_RW;
    int where = (int)below(10);
    if (where == 0)
        return bad_pointer();
    if (where == 1 && len > 1) { /* cut short by the guard */
        char *p = base + BLOCK_RW - len + 1 + below(len - 1);
        memcpy(p, src, base + BLOCK_RW - p);
        return (long)p;
    }
    memcpy(base, src, len);
    return (long)base;
}

static const char *const names[] = {
    "f0", "f1", "f2", "f3", "d0", "d1", "d0/f", "d0/d", "d0/d/g", "l0", "l1", "l2", "l3",
    "p0", "s0", "n0", "n1", "n2", "d1/n3", "f0/x", "l1/f", "l0/", "d0/", ".", "d1/.",
    "", "m0", "x", "sock",
};

static long path_arg(int slot) {
    char *base = block(8 + (slot & 3));
    switch (below(16)) {
    case 0: return bad_pointer();
    case 1: return (long)ro_page; /* "" on a read-only page */
    case 2: {                     /* no NUL before the guard */
        size_t n = 1 + below(PAGE * 2);
        char *p = base + BLOCK_RW - n;
        memset(p, 'a', n);
        return (long)p;
    }
    case 3: { /* too long, or just long enough */
        size_t n = PICK(((const size_t[]){255, 256, 4095, 4096, 4097, 8000}));
        memset(base, 'b', n);
        base[n] = 0;
        return (long)base;
    }
    case 4:
    case 5: { /* absolute, inside the private directory */
        snprintf(base, 1024, "%s/%s", dir_path, PICK(names));
        return (long)base;
    }
    default:
        strcpy(base, PICK(names));
        return (long)base;
    }
}

/* ---- descriptors ----------------------------------------------------------------- */

#define POOL 48
static int pool[POOL];
static int npool;
static int self_pid, self_tid;
static int children[16];
static int nchildren;

static pthread_mutex_t pool_lock = PTHREAD_MUTEX_INITIALIZER;

static void pool_add(long fd) {
    if (fd < 0 || fd > 100000)
        return;
    pthread_mutex_lock(&pool_lock);
    if (npool < POOL)
        pool[npool++] = (int)fd;
    else
        pool[below(POOL)] = (int)fd;
    pthread_mutex_unlock(&pool_lock);
}

static void child_add(long pid) {
    pthread_mutex_lock(&pool_lock);
    if (nchildren < 16)
        children[nchildren++] = (int)pid;
    pthread_mutex_unlock(&pool_lock);
}

/* A descriptor: one of the child's own, or a bad one; `any` adds random small numbers
 * (which may name vm's own descriptors: only for calls that cannot hurt the host). */
static long fd_arg(int any) {
    static const long bad[] = {-1, -100, 0x7fffffff, 1 << 20, 65535, -2, (long)0x80000000};
    int k = (int)below(20);
    if (k < 14 && npool > 0)
        return pool[below(npool)];
    if (any && k < 17)
        return (long)below(64);
    if (any && k == 17)
        return (long)((rnd() << 32) | below(16)); /* upper bits the kernel ignores */
    return PICK(bad);
}

static long pid_arg(void) {
    switch (below(6)) {
    case 0: return 0;
    case 1: case 2: return self_pid;
    case 3: return self_tid;
    case 4: return nchildren ? children[below(nchildren)] : self_pid;
    default: return PICK(((const long[]){0x3ffffff0, 0x7fffffff, 4194304 + 17}));
    }
}

/* A process to signal: never 0 or negative (process groups) and never another's. */
static long kill_pid(void) {
    long p = pid_arg();
    return p == 0 ? 0x3ffffff0 : p;
}

static int protected_sig(int s) {
    return s == SIGSEGV || s == SIGBUS || s == SIGILL || s == SIGFPE || s == SIGTRAP ||
           s == SIGSYS || s == SIGABRT || s == SIGALRM || s == SIGUSR1 || s == SIGSTOP ||
           s == SIGTSTP || s == SIGTTIN || s == SIGTTOU;
}

/* No stop signals (the parent would take a stopped child for a hung one) and not the
 * parent's wake-up call. */
static long safe_sig(long s) {
    int n = (int)s;
    return n == SIGUSR1 || n == SIGSTOP || n == SIGTSTP || n == SIGTTIN || n == SIGTTOU
               ? SIGUSR2
               : s;
}

static long signal_arg(void) {
    static const long sigs[] = {0, SIGUSR2, SIGCHLD, SIGURG, SIGWINCH, SIGPIPE, SIGHUP,
                                SIGTERM, SIGCONT, SIGPROF, SIGVTALRM, SIGIO,
                                34, 40, 64, 65, -1, 1000};
    if (chance(1))
        return SIGKILL;
    return chance(3) ? number() : PICK(sigs);
}

/* A signal mask that leaves the fuzzer's own signals deliverable. */
static long sigset_arg(int slot) {
    u64 set = chance(50) ? rnd() : (chance(50) ? 0 : -1UL);
    for (int s = 1; s < 65; s++)
        if (protected_sig(s))
            set &= ~(1UL << (s - 1));
    if (chance(10))
        return bad_pointer();
    return put_struct(slot, &set, 8);
}

static long timespec_arg(int slot) {
    static const long ts[][2] = {{0, 0}, {0, 1000000}, {0, 20000000}, {-1, 0}, {0, -1},
                                 {0, 1000000000}, {1L << 40, 0}, {0x7fffffffffffffffL, 999999999},
                                 {1, 0}};
    if (chance(15))
        return bad_pointer();
    const long *t = ts[below(sizeof ts / sizeof ts[0])];
    return put_struct(slot, t, 16);
}

static long sockaddr_arg(int slot, int isolated) {
    unsigned char sa[128];
    memset(sa, 0, sizeof sa);
    size_t len = 16;
    switch (below(7)) {
    case 0: { /* a socket file in the private directory */
        struct sockaddr_un *u = (struct sockaddr_un *)sa;
        u->sun_family = AF_UNIX;
        strcpy(u->sun_path, PICK(((const char *[]){"sock", "s0", "d0/s", "f0", "nope"})));
        len = sizeof *u;
        break;
    }
    case 1: { /* abstract */
        sa[0] = AF_UNIX;
        sa[3] = (unsigned char)below(4);
        len = 3 + below(10);
        break;
    }
    case 2: /* 127.0.0.1, a random port */
        sa[0] = AF_INET;
        sa[2] = (unsigned char)below(256);
        sa[3] = (unsigned char)below(256);
        sa[4] = 127;
        sa[7] = 1;
        break;
    case 3: /* ::1 */
        sa[0] = AF_INET6;
        sa[3] = (unsigned char)below(256);
        sa[23] = 1;
        len = 28;
        break;
    case 4: /* AF_UNSPEC, or a family of random bytes where nothing can leave */
        if (isolated)
            fill_random((char *)sa, sizeof sa);
        len = below(sizeof sa);
        break;
    case 5: return bad_pointer();
    default: return buffer() & (isolated ? -1L : 0); /* random bytes, or NULL */
    }
    (void)len;
    return put_struct(slot, sa, sizeof sa);
}

static long iovec_arg(int slot) {
    u64 iov[16][2];
    int n = 16;
    for (int i = 0; i < n; i++) {
        iov[i][0] = (u64)buffer();
        iov[i][1] = chance(80) ? below(PAGE) : (u64)length();
    }
    return put_struct(slot, iov, sizeof iov);
}

static long msghdr_arg(int slot, int isolated) {
    u64 m[7];
    m[0] = (u64)(chance(50) ? 0 : sockaddr_arg(slot + 1, isolated));
    m[1] = below(130);
    m[2] = (u64)iovec_arg(slot + 2);
    m[3] = below(4) ? below(5) : (u64)number();
    m[4] = (u64)(chance(50) ? 0 : buffer());
    m[5] = chance(70) ? below(200) : (u64)number();
    m[6] = (u64)number();
    if (!isolated && m[0] == 0)
        m[0] = 0;
    if (!isolated)
        m[0] = 0; /* an address of random bytes could reach the network */
    return put_struct(slot, m, sizeof m);
}

/* ---- the call table ------------------------------------------------------------- */

/* Argument kinds: f fd (any), F fd (own or bad only), d dirfd, p path, b buffer,
 * l length, i number, P pid, K pid to signal, S signal, g sigset, k sigset size,
 * t timespec, s sockaddr, v iovec, h msghdr, a scratch address, z scratch length,
 * o offset, n new descriptor number, 0 zero, x anything. */
struct call {
    int nr;
    const char *args;
};

static const struct call calls[] = {
    {5, "ppbli"}, {6, "ppbli"}, {7, "Fpbli"}, {8, "ppbl"}, {9, "ppbl"}, {10, "fpbl"},
    {11, "pbl"}, {12, "pbl"}, {13, "fbl"}, {14, "pp"}, {15, "pp"}, {16, "Fp"},
    {17, "bl"}, {19, "ii"}, {20, "i"}, {21, "fifb"}, {22, "fbiigk"}, {23, "f"},
    {24, "fni"}, {25, "fix"}, {26, "i"}, {27, "fpi"}, {28, "fi"}, {29, "Fib"},
    {30, "iPi"}, {31, "iP"}, {32, "fi"}, {33, "dpii"}, {34, "dpi"}, {35, "dpi"},
    {36, "pdp"}, {37, "dpdpi"}, {39, "pi"}, {43, "pb"}, {44, "fb"}, {45, "po"},
    {46, "Fo"}, {47, "Fioz"}, {48, "dpi"}, {49, "p"}, {50, "F"}, {51, "p"}, {52, "Fi"},
    {53, "dpi"}, {54, "dpiii"}, {55, "Fii"}, {56, "dpii"}, {57, "n"}, {59, "bi"},
    {61, "fbl"}, {62, "foi"}, {63, "fbl"}, {64, "fbl"}, {65, "fvc"}, {66, "fvc"},
    {67, "fblo"}, {68, "fblo"}, {69, "fvco"}, {70, "fvco"}, {71, "ffbl"}, {72, "ibbbtx"},
    {73, "bctgk"}, {74, "fgki"}, {75, "fvci"}, {76, "fbfbli"}, {77, "ffli"}, {78, "dpbl"},
    {79, "dpbi"}, {80, "fb"}, {81, ""}, {82, "f"}, {83, "f"}, {84, "fooi"}, {85, "ii"},
    {86, "fibb"}, {87, "fb"}, {88, "dpbi"}, {90, "bb"}, {91, "bb"}, {92, "i"},
    {95, "iPbib"}, {96, "b"}, {97, "i"}, {98, "biitbi"}, {99, "bl"}, {100, "Pbb"},
    {101, "tb"}, {102, "ib"}, {103, "ibb"}, {107, "ibb"}, {108, "ib"}, {109, "i"},
    {110, "iibb"}, {111, "i"}, {113, "ib"}, {114, "ib"}, {115, "iitb"}, {116, "ibl"},
    {118, "Pb"}, {119, "Pib"}, {120, "P"}, {121, "Pb"}, {122, "Plb"}, {123, "Plb"},
    {124, ""}, {125, "i"}, {126, "i"}, {127, "Pb"}, {128, ""}, {129, "KS"}, {130, "KS"},
    {131, "KKS"}, {132, "bb"}, {133, "gk"}, {134, "Sbbk"}, {135, "igbk"}, {136, "bk"},
    {137, "gbtk"}, {138, "KSb"}, {140, "iPi"}, {141, "iP"}, {143, "ii"}, {144, "i"},
    {145, "ii"}, {146, "i"}, {147, "iii"}, {148, "bbb"}, {149, "iii"}, {150, "bbb"},
    {151, "i"}, {152, "i"}, {153, "b"}, {154, "Pi"}, {155, "P"}, {156, "P"}, {157, ""},
    {158, "ib"}, {159, "ib"}, {160, "b"}, {161, "bl"}, {162, "bl"}, {163, "ib"},
    {164, "ib"}, {165, "ib"}, {166, "i"}, {167, "iiiii"}, {168, "bbb"}, {169, "bb"},
    {170, "bb"}, {171, "b"}, {172, ""}, {173, ""}, {174, ""}, {175, ""}, {176, ""},
    {177, ""}, {178, ""}, {179, "b"}, {180, "bibb"}, {181, "b"}, {182, "fblit"},
    {183, "fblbt"}, {184, "fb"}, {185, "fbb"}, {186, "ii"}, {187, "iib"}, {188, "iblii"},
    {189, "ibli"}, {190, "iii"}, {191, "iiix"}, {192, "ibct"}, {193, "ibc"},
    {194, "ili"}, {195, "iib"}, {196, "iai"}, {197, "a"}, {198, "iii"}, {199, "iiib"},
    {200, "fsL"}, {201, "fi"}, {202, "fbb"}, {203, "fsL"}, {204, "fbb"}, {205, "fbb"},
    {206, "fblisL"}, {207, "fblibb"}, {208, "fiibl"}, {209, "fiibb"}, {210, "fi"},
    {211, "fhi"}, {212, "fhi"}, {213, "fol"}, {214, "x"}, {215, "az"}, {216, "azzia"},
    {220, "i"}, {221, "pbb"}, {222, "azii"}, {223, "fooi"}, {226, "azi"}, {227, "azi"},
    {228, "az"}, {229, "az"}, {230, "i"}, {231, ""}, {232, "azb"}, {233, "azi"},
    {240, "KKSb"}, {242, "fbbi"}, {243, "fbcit"}, {258, "bcibi"}, {259, "bbi"},
    {260, "ibib"}, {261, "Pibb"}, {266, "ib"}, {267, "f"}, {268, "fi"}, {269, "fbci"},
    {270, "Pvcvci"}, {271, "Pvcvci"}, {272, "PPiii"}, {274, "Pbi"}, {275, "Pbli"},
    {276, "dpdpi"}, {277, "iib"}, {278, "bli"}, {279, "bi"}, {281, "dpbbi"}, {283, "iii"},
    {284, "azi"}, {285, "fbfbli"}, {286, "fvcooi"}, {287, "fvcooi"}, {291, "dpiib"},
    {293, "bli"}, {424, "fSbi"}, {434, "Pi"}, {435, "bl"}, {436, "xxi"}, {437, "dpbl"},
    {438, "ffi"}, {439, "dpii"}, {441, "fbibgk"}, {452, "dpii"},
    /* Numbers Linux does not have on riscv64. */
    {244, "xxx"}, {250, "xxx"}, {1000, "xxx"}, {-1, "xxx"},
};
#define NCALLS (sizeof calls / sizeof calls[0])

static int isolated;
static void nop_handler(int sig) { (void)sig; }

static long gen_arg(char kind, int slot) {
    switch (kind) {
    case 'f': return fd_arg(1);
    case 'F': return fd_arg(0);
    case 'n': return chance(70) ? (long)below(80) : fd_arg(1);
    case 'd': return chance(50) ? AT_FDCWD : fd_arg(0);
    case 'p': return path_arg(slot);
    case 'b': return buffer();
    case 'l': return length();
    case 'o': return chance(60) ? (long)below(8192) : number();
    case 'c': return chance(80) ? (long)below(9) : number();
    case 'P': return pid_arg();
    case 'K': return kill_pid();
    case 'S': return signal_arg();
    case 'g': return sigset_arg(slot);
    case 'k': return chance(85) ? 8 : number();
    case 't': return chance(10) ? 0 : timespec_arg(slot);
    case 's': return sockaddr_arg(slot, isolated);
    case 'L': return chance(70) ? (long)PICK(((const long[]){16, 28, 110, 3, 2})) : length();
    case 'v': return iovec_arg(slot);
    case 'h': return msghdr_arg(slot, isolated);
    case 'a': return chance(80) ? (long)(scratch + below(SCRATCH_SIZE / PAGE) * PAGE + (chance(5) ? 1 : 0)) : bad_pointer();
    case 'z': return chance(85) ? (long)(below(SCRATCH_SIZE / PAGE + 1) * PAGE + (chance(5) ? 3 : 0)) : (long)PICK(((const u64[]){0, -1UL, 1UL << 60, -4096UL}));
    case '0': return 0;
    case 'i': return number();
    default: return chance(50) ? number() : buffer();
    }
}

/* The arguments made safe for the host (see the top of the file). */
static void make_safe(int nr, long *a) {
    int i32;
    switch (nr) {
    case 129: case 130: case 138: case 424:
        a[1] = safe_sig(a[1]);
        break;
    case 131: case 240:
        a[2] = safe_sig(a[2]);
        break;
    case 143: case 144: case 145: case 146: case 147: case 149: case 151: case 152:
        /* Credentials: mostly unchanged (-1) or root's, so that the checks can run. */
        for (int k = 0; k < 3; k++)
            if (chance(95))
                a[k] = PICK(((const long[]){-1, 0, 0xffffffff, 0x1ffffffffL}));
        break;
    case 29: /* ioctl: no immutable or append-only files (the directory must go) */
        if ((unsigned)a[1] == 0x40086602)
            a[1] = 0x80086601;
        if (chance(60))
            a[1] = PICK(((const long[]){0x5401, 0x5402, 0x540b, 0x5413, 0x5414, 0x541b, 0x5421,
                                        0x5450, 0x5451, 0x5452, 0x80086601, 0x40049409,
                                        0x4020940d, 0x8905, 0x8910, 0x8913, 0x8933, 0x8942,
                                        0x5441, 0x80045430, 0x802c542a, 0x5410, 0x540f}));
        if ((unsigned)a[1] == 0x5410) { /* TIOCSPGRP: a group of its own only */
            int pg = self_pid;
            a[2] = put_struct(2, &pg, 4);
        }
        if ((unsigned)a[1] == 0x40086602)
            a[1] = 0x80086601;
        break;
    case 25: /* fcntl: an owner for SIGIO/SIGURG is itself */
        i32 = (int)a[1];
        if (chance(60))
            a[1] = PICK(((const long[]){0, 1, 2, 3, 4, 5, 6, 7, 9, 10, 11, 16, 36, 37, 38,
                                        1024, 1025, 1026, 1030, 1031, 1032, 1033, 1034,
                                        1, 3}));
        i32 = (int)a[1];
        if (i32 == 10 /* F_SETSIG */)
            a[2] = safe_sig(a[2]);
        if (i32 == 8 /* F_SETOWN */)
            a[2] = chance(50) ? self_pid : 0;
        if (i32 == 15 /* F_SETOWN_EX */) {
            int owner[2] = {(int)below(3), self_pid};
            a[2] = put_struct(2, owner, 8);
        }
        if (i32 == 5 || i32 == 6 || i32 == 7 || i32 == 36 || i32 == 37 || i32 == 38) {
            short fl[16];
            fill_random((char *)fl, sizeof fl);
            fl[0] = (short)below(3);
            fl[1] = (short)below(3);
            a[2] = chance(80) ? put_struct(2, fl, 32) : bad_pointer();
        }
        break;
    case 33: /* mknodat: no device nodes */
        a[2] = (a[2] & 07777) | PICK(((const long[]){0, S_IFREG, S_IFIFO, S_IFSOCK}));
        a[3] = 0;
        break;
    case 47: /* fallocate: a few megabytes at most */
        if ((u64)a[3] > (16UL << 20) && (u64)a[3] < (1UL << 62))
            a[3] &= (16UL << 20) - 1;
        if ((u64)a[2] > (1UL << 30) && (u64)a[2] < (1UL << 62))
            a[2] &= (1UL << 30) - 1;
        break;
    case 30: /* ioprio_set, setpriority: this process only */
    case 140:
        a[0] = chance(90) ? 1 - (nr == 140) : 7; /* IOPRIO_WHO_PROCESS / PRIO_PROCESS */
        break;
    case 119: /* sched_setscheduler: no real-time classes */
        a[1] = PICK(((const long[]){0, 3, 5, 7, -1, 0x40000000, 0x40000003}));
        break;
    case 274: { /* sched_setattr: the same */
        u64 attr[7] = {56, (u64)PICK(((const long[]){0, 3, 5, 7})), 0, (u64)below(40) - 20};
        a[1] = chance(85) ? put_struct(1, attr, sizeof attr) : bad_pointer();
        break;
    }
    case 118: { /* sched_setparam: SCHED_OTHER takes priority 0 only */
        int prio = (int)below(3);
        a[1] = put_struct(1, &prio, 4);
        break;
    }
    case 116: /* syslog: only reading, the sizes, and invalid types */
        a[0] = PICK(((const long[]){0, 1, 3, 9, 10, -1, 11, 100}));
        break;
    case 112: /* clock_settime, settimeofday: never a readable time */
    case 170:
        a[nr == 112] = chance(50) ? 0 : PICK(((const long[]){1, 0x10000, 1L << 39, 1L << 47, -1}));
        if (nr == 170)
            a[1] = 0;
        break;
    case 171:   /* adjtimex, clock_adjtime: read-only modes (0) or unreadable */
    case 266: {
        char tx[208];
        memset(tx, 0, sizeof tx);
        a[nr == 266] = chance(50) ? put_struct(1, tx, sizeof tx)
                                  : PICK(((const long[]){0, 1, 0x10000, 1L << 39, -1}));
        break;
    }
    case 161: /* sethostname, setdomainname: in a namespace of its own only */
    case 162:
        if (!isolated)
            a[1] = -1;
        break;
    case 230: /* mlockall: never the whole address space at once */
        a[0] = chance(50) ? (MCL_CURRENT | MCL_FUTURE | 4 /* MCL_ONFAULT */) & (a[0] | 4) : 0;
        if ((a[0] & 4) == 0)
            a[0] = 0;
        break;
    case 222: /* mmap: MAP_FIXED only on scratch; populate/lock only a little */
        if ((a[3] & MAP_FIXED) && !in_scratch(a[0]))
            a[3] &= ~(long)MAP_FIXED;
        if (chance(50))
            a[3] = (a[3] & (MAP_FIXED | MAP_POPULATE | MAP_LOCKED | MAP_NORESERVE)) |
                   PICK(((const long[]){MAP_PRIVATE | MAP_ANONYMOUS, MAP_SHARED | MAP_ANONYMOUS,
                                        MAP_PRIVATE, MAP_SHARED, MAP_SHARED_VALIDATE,
                                        MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE,
                                        MAP_PRIVATE | MAP_ANONYMOUS | MAP_GROWSDOWN}));
        if (chance(50))
            a[2] = below(8);
        if (chance(40))
            a[1] = (long)PICK(((const u64[]){PAGE, 2 * PAGE, 1UL << 30, 1UL << 36, 1UL << 38, 1UL << 40, 0}));
        if (a[3] & MAP_FIXED)
            a[1] = clamp_len(a[0], a[1]);
        /* Populated or locked mappings are memory: a megabyte at most. */
        if ((a[3] & (MAP_POPULATE | MAP_LOCKED)) && (u64)a[1] > (1UL << 20))
            a[1] &= (1UL << 20) - 1;
        break;
    case 216: /* mremap: a bounded new size, a new place only on scratch */
        if ((u64)a[2] > (64UL << 20) && (u64)a[2] < (1UL << 56))
            a[2] &= (64UL << 20) - 1;
        if (chance(70))
            a[3] = below(8);
        break;
    case 228: /* mlock, mlock2 */
    case 284:
        if ((u64)a[1] > SCRATCH_SIZE && (u64)a[1] < (1UL << 56))
            a[1] = SCRATCH_SIZE;
        break;
    case 233: /* madvise: no hardware poisoning */
        if (a[2] == 100 || a[2] == 101)
            a[2] = 4;
        if (chance(60))
            a[2] = below(26);
        break;
    case 134: /* rt_sigaction: never the fuzzer's own signals */
        i32 = (int)a[0];
        if (protected_sig(i32))
            a[0] = SIGUSR2;
        if (a[1] != 0 || chance(50)) {
            /* Handlers run with sa_mask blocked: never one of the fuzzer's signals. */
            u64 act[3] = {(u64)PICK(((const long[]){0, 1, (long)nop_handler, (long)rnd()})),
                          chance(50) ? rnd() & 0xfc000007 : rnd(), rnd()};
            for (int s = 1; s < 65; s++)
                if (protected_sig(s))
                    act[2] &= ~(1UL << (s - 1));
            a[1] = chance(90) ? put_struct(1, act, sizeof act) : bad_pointer();
        }
        break;
    case 135: /* rt_sigprocmask: masks from sigset_arg only */
        a[1] = chance(10) ? 0 : sigset_arg(1);
        break;
    case 132: { /* sigaltstack: disabled, or a stack in a buffer block big enough for
                 * a frame and the fault handler's frame below it */
        u64 ss[3] = {(u64)block((int)below(8)), (u64)PICK(((const long[]){2, 0, 1, 4, -1})),
                     (u64)PICK(((const long[]){BLOCK_RW, 1024, 0, 1UL << 40}))};
        a[0] = chance(70) ? put_struct(0, ss, sizeof ss) : bad_pointer();
        break;
    }
    case 103: /* setitimer: not the fuzzer's own ITIMER_REAL */
        if ((int)a[0] == 0)
            a[0] = 1 + below(2);
        break;
    case 107: { /* timer_create: signals that do not end the batch at once */
        int ev[16] = {0};
        ev[2] = (int)PICK(((const long[]){SIGUSR2, SIGCHLD, SIGURG, 40}));
        ev[3] = (int)PICK(((const long[]){0, 1, 4, 2}));
        ev[4] = self_tid;
        a[1] = chance(80) ? put_struct(1, ev, sizeof ev) : (chance(50) ? 0 : bad_pointer());
        break;
    }
    case 110: /* timer_settime: not faster than a millisecond */
    case 86: {
        long its[4] = {0, (long)(1000000 + below(50000000)), 0, (long)below(50000000)};
        if (chance(30))
            its[0] = 0, its[1] = 0;
        a[2] = chance(85) ? put_struct(2, its, sizeof its) : bad_pointer();
        break;
    }
    case 220: /* clone: no threads running on a random stack (sf_clone), bounded */
        a[0] = (a[0] & ~0xffL) | (chance(70) ? SIGCHLD : safe_sig((long)below(65)));
        if (nchildren >= 16)
            a[0] = CLONE_THREAD; /* EINVAL: enough children */
        break;
    case 435: { /* clone3 */
        u64 args[11];
        fill_random((char *)args, sizeof args);
        if (chance(70)) {
            memset(args, 0, sizeof args);
            args[0] = rnd() & (CLONE_VM | CLONE_FS | CLONE_FILES | CLONE_SIGHAND | CLONE_PIDFD |
                               CLONE_PARENT | CLONE_THREAD | CLONE_NEWNS | CLONE_SYSVSEM |
                               CLONE_SETTLS | CLONE_PARENT_SETTID | CLONE_CHILD_CLEARTID |
                               CLONE_VFORK | CLONE_CHILD_SETTID | CLONE_NEWUTS | CLONE_NEWIPC |
                               CLONE_NEWPID | CLONE_NEWNET | CLONE_IO | 0x200000000UL);
            args[1] = (u64)buffer();
            args[2] = (u64)buffer();
            args[3] = (u64)buffer();
            args[4] = SIGCHLD;
            args[5] = (u64)block((int)below(8));
            args[6] = BLOCK_RW;
        }
        if (args[4] < 65)
            args[4] = (u64)safe_sig((long)args[4]);
        a[0] = put_struct(0, args, sizeof args);
        if (chance(80))
            a[1] = PICK(((const long[]){64, 80, 88, 0, 8, 4096}));
        if (nchildren >= 16)
            a[1] = 0;
        break;
    }
    case 221: /* execve of a file of random bytes, arguments and environment */
    case 281: {
        u64 v[4] = {(u64)block(8 + 2), (u64)(chance(50) ? 0 : buffer()), 0, 0};
        a[1 + (nr == 281)] = chance(70) ? put_struct(1, v, sizeof v) : buffer();
        a[2 + (nr == 281)] = chance(70) ? 0 : buffer();
        if (chance(15)) {
            /* Itself, which then exits 33 at once, with odd arguments and environment:
             * long, unterminated, or bad strings and arrays. */
            char *strs = block(9);
            strcpy(strs, "/proc/self/exe");
            strcpy(strs + 16, "--exit");
            strcpy(strs + 24, "33");
            memset(strs + 32, 'e', BLOCK_RW - 32); /* runs into the guard */
            strs[chance(80) ? BLOCK_RW - 1 - below(64) : 32 + below(BLOCK_RW - 40)] = 0;
            u64 argv[64], envp[64];
            argv[0] = (u64)strs + 16, argv[1] = (u64)strs + 16, argv[2] = (u64)strs + 24;
            int n = 3 + (int)below(8);
            for (int k = 3; k < n; k++)
                argv[k] = chance(95) ? (u64)strs + 32 + below(BLOCK_RW - 100) : (u64)bad_pointer();
            argv[n] = 0;
            int m = (int)below(64);
            for (int k = 0; k < m; k++)
                envp[k] = chance(97) ? (u64)strs + 32 + below(BLOCK_RW - 100) : (u64)bad_pointer();
            if (m < 64)
                envp[m] = chance(95) ? 0 : (u64)bad_pointer();
            a[nr == 281] = (long)strs;
            if (nr == 281)
                a[0] = AT_FDCWD, a[4] = chance(80) ? 0 : a[4];
            a[1 + (nr == 281)] = put_struct(1, argv, sizeof argv);
            a[2 + (nr == 281)] = chance(20) ? 0 : put_struct(2, envp, sizeof envp);
        }
        break;
    }
    case 198: /* socket: only families that stay in this machine, unless isolated */
        if (!isolated || chance(70)) {
            a[0] = PICK(((const long[]){AF_UNIX, AF_INET, AF_INET6, AF_UNIX, 9999, -1, 0}));
            a[1] = (a[1] & (SOCK_NONBLOCK | SOCK_CLOEXEC)) |
                   PICK(((const long[]){SOCK_STREAM, SOCK_DGRAM, SOCK_SEQPACKET, 0, 77}));
            a[2] = chance(80) ? 0 : a[2];
        } else if (a[0] == AF_NETLINK) {
            a[2] = 0;
        } else if ((int)a[0] != AF_PACKET && (int)a[0] != AF_UNIX && (int)a[0] != AF_INET &&
                   (int)a[0] != AF_INET6) {
            a[0] = 9999;
        }
        break;
    }
    /* SysV and POSIX IPC objects outlive the process: only in an IPC namespace of its
     * own. POSIX message queues by the child's own names. */
    if (nr >= 186 && nr <= 197 && !isolated)
        a[0] = -1, a[1] = -1;
    if (nr == 196) /* shmat: never replacing a mapping (the segment may be big) */
        a[2] &= ~040000L;
    if (nr == 180 || nr == 181) {
        char *base = block(8);
        snprintf(base, 64, "/sysfuzz.%d.%d", self_pid, (int)below(3));
        if (chance(90))
            a[0] = (long)base;
        else
            a[0] = path_arg(0) == (long)ro_page ? (long)ro_page : bad_pointer();
    }
    /* Memory calls see scratch or bad addresses only. */
    if (nr == 215 || nr == 216 || nr == 226 || nr == 227 || nr == 233 || nr == 197) {
        u64 p = (u64)a[0];
        if (p < (1UL << 39) && !in_scratch(p) && !(p == 0 && (u64)a[1] < 0x10000))
            a[0] = (long)scratch;
        if (nr == 216 && (a[3] & MREMAP_FIXED) && !in_scratch(a[4]))
            a[4] = (long)scratch + SCRATCH_SIZE / 2;
        if (nr == 216 && (a[3] & MREMAP_FIXED))
            a[2] = clamp_len(a[4], a[2]);
        /* Lengths past the reservation would reach the fuzzer's own memory; munmap
         * refuses lengths past the address space. */
        if (in_scratch(a[0]) && !(nr == 215 && (u64)a[1] >= (1UL << 56)))
            a[1] = clamp_len(a[0], a[1]);
    }
    if (nr == 214 && (u64)a[0] > 4096 && (u64)a[0] < (1UL << 39)) { /* brk: only growing */
        long cur = sc(214, 0, 0, 0, 0, 0, 0);
        if (a[0] < cur)
            a[0] = cur + (long)below(1 << 20);
    }
    if (nr == 270 || nr == 271) { /* process_vm_*: this process's buffers only */
        if (a[0] != self_pid && a[0] != 0x3ffffff0)
            a[0] = chance(50) ? self_pid : 0x3ffffff0;
    }
    if (nr == 167) { /* prctl: the common options */
        if (chance(70))
            a[0] = PICK(((const long[]){1, 2, 3, 4, 15, 16, 22, 23, 24, 36, 37, 38, 39, 40, 47,
                                        53, 59, 0x59616d61, 8, 9, 10, 11, 12, 13, 14}));
        if (a[0] == 0x59616d61 /* PR_SET_PTRACER */)
            a[1] = 0;
        if (a[0] == 35 /* PR_SET_MM */)
            a[0] = 16;
    }
    if (nr == 24 && (int)a[0] == (int)a[1])
        a[1] = (long)below(80);
}

/* Calls after whose success the checks at the end of the batch cannot be trusted: a new
 * root, namespaces, another user, limits, seccomp, a dropped SIGCHLD. */
static int taints(int nr, const long *a) {
    switch (nr) {
    case 51: case 97: case 268: case 164: case 277: case 91:
        return 1;
    case 261:
        return a[2] != 0;
    case 167:
        return a[0] == 22;
    case 134:
        return (int)a[0] == SIGCHLD;
    }
    return 0;
}

static int creates_fd(int nr) {
    switch (nr) {
    case 19: case 20: case 23: case 24: case 25: case 26: case 56: case 74: case 85:
    case 180: case 198: case 202: case 242: case 279: case 434: case 437: case 438:
        return 1;
    }
    return 0;
}

/* ---- a batch --------------------------------------------------------------------- */

static void on_fault(int sig, siginfo_t *si, void *uc) {
    shared->fault_sig = sig;
    shared->fault_code = si->si_code;
    shared->fault_addr = (long)si->si_addr;
    shared->fault_pc = (long)((ucontext_t *)uc)->uc_mcontext.__gregs[0];
    sc(SYS_exit_group, 64 + sig, 0, 0, 0, 0, 0);
}
static void on_wake(int sig) {
    (void)sig;
    sc(SYS_exit_group, 50, 0, 0, 0, 0, 0);
}
static void on_alarm(int sig) { (void)sig; }

static void handle(int sig, void (*fn)(int), int flags) {
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = fn;
    sa.sa_flags = flags;
    sigaction(sig, &sa, NULL);
}

static void handle_fault(int sig) {
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_sigaction = on_fault;
    sa.sa_flags = SA_SIGINFO | SA_NODEFER;
    sigaction(sig, &sa, NULL);
}

static void write_file(const char *name, size_t n) {
    int fd = open(name, O_CREAT | O_WRONLY | O_TRUNC, 0644);
    if (fd < 0)
        return;
    char buf[256];
    fill_random(buf, sizeof buf);
    while (n > 0) {
        size_t k = n < sizeof buf ? n : sizeof buf;
        if (write(fd, buf, k) <= 0)
            break;
        n -= k;
    }
    close(fd);
}

static void set_up_files(void) {
    mkdir("d0", 0755);
    mkdir("d0/d", 0755);
    mkdir("d1", 0700);
    write_file("f0", 100);
    write_file("f1", 5000);
    write_file("f2", 0);
    write_file("f3", 70000);
    write_file("d0/f", 10);
    symlink("f0", "l0");
    symlink("d0", "l1");
    symlink("l2", "l2");
    symlink("missing", "l3");
    mkfifo("p0", 0644);
}

static void set_up_fds(void) {
    int p[2];
    if (pipe2(p, O_NONBLOCK) == 0)
        pool_add(p[0]), pool_add(p[1]);
    if (pipe(p) == 0)
        pool_add(p[0]), pool_add(p[1]);
    if (socketpair(AF_UNIX, SOCK_STREAM, 0, p) == 0)
        pool_add(p[0]), pool_add(p[1]);
    if (socketpair(AF_UNIX, SOCK_DGRAM | SOCK_NONBLOCK, 0, p) == 0)
        pool_add(p[0]), pool_add(p[1]);
    pool_add(eventfd(0, EFD_NONBLOCK));
    pool_add(open("f0", O_RDWR));
    pool_add(open("f1", O_RDONLY));
    pool_add(open("f3", O_RDWR | O_APPEND));
    pool_add(open("d0", O_RDONLY | O_DIRECTORY));
    pool_add(open(".", O_PATH));
    pool_add(sc(SYS_memfd_create, (long)"sysfuzz", 0, 0, 0, 0, 0));
    pool_add(sc(SYS_epoll_create1, 0, 0, 0, 0, 0, 0));
    pool_add(sc(SYS_timerfd_create, CLOCK_MONOTONIC, 0, 0, 0, 0, 0));
    pool_add(sc(SYS_inotify_init1, 0, 0, 0, 0, 0, 0));
    pool_add(sc(SYS_pidfd_open, self_pid, 0, 0, 0, 0, 0));
    int s = socket(AF_UNIX, SOCK_STREAM, 0);
    struct sockaddr_un u = {.sun_family = AF_UNIX};
    strcpy(u.sun_path, "sock");
    if (s >= 0 && bind(s, (struct sockaddr *)&u, sizeof u) == 0 && listen(s, 4) == 0)
        pool_add(s);
    pool_add(socket(AF_INET, SOCK_DGRAM, 0));
    pool_add(socket(AF_INET6, SOCK_STREAM | SOCK_NONBLOCK, 0));
}

#define REQUIRE(cond)                                                                    \
    do {                                                                                 \
        if (!(cond)) {                                                                   \
            shared->check_failed = __LINE__;                                             \
            shared->check_errno = errno;                                                 \
            return 0;                                                                    \
        }                                                                                \
    } while (0)

/* What the child must still be able to do when the calls changed nothing it relies on. */
static int checks_after_batch(void) {
    int p[2];
    char buf[8];
    REQUIRE(pipe2(p, O_CLOEXEC) == 0);
    REQUIRE(write(p[1], "check", 5) == 5);
    REQUIRE(read(p[0], buf, 5) == 5 && memcmp(buf, "check", 5) == 0);
    close(p[0]);
    close(p[1]);
    char name[600];
    snprintf(name, sizeof name, "%s/check", dir_path);
    int fd = open(name, O_CREAT | O_RDWR | O_TRUNC | O_CLOEXEC, 0600);
    REQUIRE(fd >= 0);
    REQUIRE(pwrite(fd, "12345", 5, 3) == 5);
    REQUIRE(pread(fd, buf, 5, 3) == 5 && memcmp(buf, "12345", 5) == 0);
    close(fd);
    char *m = mmap(NULL, 2 * PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    REQUIRE(m != MAP_FAILED);
    m[PAGE] = 7;
    REQUIRE(munmap(m, 2 * PAGE) == 0);
    pid_t pid = fork();
    REQUIRE(pid >= 0);
    if (pid == 0) {
        execl("/proc/self/exe", "sysfuzz", "--exit", "7", (char *)NULL);
        sc(SYS_exit_group, 99, 0, 0, 0, 0, 0);
    }
    int status = 0;
    long r;
    while ((r = sc(SYS_wait4, pid, (long)&status, 0, 0, 0, 0)) == -EINTR)
        ;
    errno = r < 0 ? (int)-r : 0;
    REQUIRE(r == pid);
    errno = status;
    REQUIRE(WIFEXITED(status) && WEXITSTATUS(status) == 7);
    return 1;
}

static volatile int stop_helper;

/* `ncalls` random calls; the main thread records each in `shared`. */
static void fuzz_calls(long ncalls, int main_thread) {
    for (long i = 0; i < ncalls && !stop_helper; i++) {
        const struct call *c = &calls[below(NCALLS)];
        /* A helper thread that moved its clear_child_tid word could not be joined. */
        if (!main_thread && c->nr == SYS_set_tid_address)
            continue;
        long a[6];
        for (int k = 0; k < 6; k++) {
            char kind = k < (int)strlen(c->args) ? c->args[k] : 'x';
            if (kind == 'x' || chance(4)) {
                /* Now and then any class in any place; never a writable buffer for a
                 * path or socket address, whose bytes the calls themselves write. */
                if (!strchr("pshFKPdg", kind))
                    kind = PICK(((const char[]){'i', 'i', 'b', 'l', 'f', 'o'}));
            }
            a[k] = gen_arg(kind, k);
        }
        make_safe(c->nr, a);
        if (main_thread) {
            shared->call_index = i;
            shared->nr = c->nr;
            for (int k = 0; k < 6; k++)
                shared->args[k] = a[k];
        }
        if (c->nr == 221 || c->nr == 281)
            shared->execing = 1;
        if (c->nr == 277 || (c->nr == 167 && (a[0] == 22 || a[0] == 38)))
            shared->seccomp = 1;
        long r;
        if (c->nr == 220)
            r = sf_clone(a[0], a[1], a[2], a[3], a[4]);
        else if (c->nr == 435)
            r = sf_clone3(a[0], a[1]);
        else
            r = sc(c->nr, a[0], a[1], a[2], a[3], a[4], a[5]);
        shared->execing = 0;
        /* rt_sigaction and prlimit64 change the action or limit before they fail to
         * write the old one back (EFAULT), as Linux does. */
        if ((r >= 0 || c->nr == 134 || c->nr == 261) && taints(c->nr, a))
            shared->tainted = c->nr;
        if ((c->nr == 220 || c->nr == 435) && r > 0)
            child_add(r);
        if (r >= 0 && creates_fd(c->nr))
            pool_add(r);
        if (c->nr == 220 || c->nr == 435 || (i & 15) == 0) {
            int st;
            while (sc(SYS_wait4, -1, (long)&st, WNOHANG | __WALL, 0, 0, 0) > 0)
                ;
        }
    }
}

/* A second thread making calls at the same time (every third batch): races between
 * calls, and calls blocking while others change the address space or descriptors. */
static void *helper_calls(void *arg) {
    rng_state = (u64)(long)arg * 0xd1342543de82ef95UL + 1;
    fuzz_calls(1L << 40, 0);
    return NULL;
}

/* The calling thread's effective capabilities. */
static u64 effective_caps(void) {
    unsigned header[2] = {0x20080522 /* _LINUX_CAPABILITY_VERSION_3 */, 0};
    unsigned data[6] = {0};
    if (sc(SYS_capget, (long)header, (long)data, 0, 0, 0, 0) != 0)
        return -1UL;
    return data[0] | (u64)data[3] << 32;
}

static void run_batch(u64 seed, int batch, long ncalls) {
    rng_state = seed * 0x100000001b3UL ^ (u64)batch * 0x9e3779b97f4a7c15UL;
    self_pid = getpid();
    self_tid = (int)sc(SYS_gettid, 0, 0, 0, 0, 0, 0);
    setsid();
    prctl(PR_SET_PDEATHSIG, SIGKILL);
    uid_t start_euid = geteuid();
    u64 start_caps = effective_caps();
    char sub[32];
    snprintf(sub, sizeof sub, "b%d", batch);
    mkdir(sub, 0755);
    if (chdir(sub) != 0)
        sc(SYS_exit_group, 4, 0, 0, 0, 0, 0); /* the set-up failed */
    if (!getcwd(dir_path, sizeof dir_path))
        sc(SYS_exit_group, 4, 0, 0, 0, 0, 0); /* the set-up failed */
    /* Standard descriptors on files of its own: never the harness's. */
    int in = open("stdin", O_CREAT | O_RDWR, 0644);
    int o = open("stdout", O_CREAT | O_WRONLY | O_APPEND, 0644);
    int e = open("stderr", O_CREAT | O_WRONLY | O_APPEND, 0644);
    dup2(in, 0), dup2(o, 1), dup2(e, 2);
    close_range(3, ~0U, 0);
    if (geteuid() == 0)
        isolated = unshare(CLONE_NEWNET | CLONE_NEWIPC | CLONE_NEWUTS) == 0;
    else
        isolated = unshare(CLONE_NEWUSER | CLONE_NEWNET | CLONE_NEWIPC | CLONE_NEWUTS) == 0;

    arena = mmap(NULL, BLOCKS * BLOCK_PAGES * PAGE, PROT_READ | PROT_WRITE,
                 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    ro_page = mmap(NULL, 2 * PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    scratch = mmap(NULL, RESERVATION + PAGE, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE,
                   -1, 0);
    if (scratch != MAP_FAILED) {
        munmap(scratch + RESERVATION, PAGE); /* the hole */
        mprotect(scratch, SCRATCH_SIZE, PROT_READ | PROT_WRITE);
    }
    if (arena == MAP_FAILED || ro_page == MAP_FAILED || scratch == MAP_FAILED)
        sc(SYS_exit_group, 4, 0, 0, 0, 0, 0); /* the set-up failed */
    for (int b = 0; b < BLOCKS; b++) {
        fill_random(block(b), BLOCK_RW);
        mprotect(block(b) + BLOCK_RW, PAGE, PROT_NONE);
    }
    mprotect(ro_page, PAGE, PROT_READ);
    mprotect(ro_page + PAGE, PAGE, PROT_NONE);

    set_up_files();
    set_up_fds();
    handle_fault(SIGSEGV), handle_fault(SIGBUS), handle_fault(SIGILL), handle_fault(SIGFPE);
    handle_fault(SIGTRAP), handle_fault(SIGSYS), handle_fault(SIGABRT);
    handle(SIGUSR1, on_wake, 0);
    handle(SIGALRM, on_alarm, 0), handle(SIGPROF, nop_handler, 0);
    handle(SIGVTALRM, nop_handler, 0), handle(SIGUSR2, nop_handler, 0);
    handle(SIGPIPE, SIG_IGN, 0), handle(SIGXFSZ, SIG_IGN, 0);
    /* Signals the calls send themselves often: caught, so that batches run long. */
    handle(SIGIO, nop_handler, 0), handle(SIGHUP, nop_handler, 0);
    handle(SIGTERM, nop_handler, 0), handle(34, nop_handler, 0);
    handle(40, nop_handler, SA_RESTART), handle(64, nop_handler, 0);
    struct itimerval tick = {{0, 20000}, {0, 20000}};
    setitimer(ITIMER_REAL, &tick, NULL);

    pthread_t helper;
    int threaded = batch % 3 == 2 &&
                   pthread_create(&helper, NULL, helper_calls, (void *)(long)(seed ^ batch)) == 0;
    fuzz_calls(ncalls, 1);
    if (threaded) {
        /* Ends the helper's calls, interrupting one that blocks. */
        stop_helper = 1;
        struct timespec t;
        do {
            pthread_kill(helper, SIGALRM);
            clock_gettime(CLOCK_REALTIME, &t);
            t.tv_nsec += 20000000;
            if (t.tv_nsec >= 1000000000)
                t.tv_sec++, t.tv_nsec -= 1000000000;
        } while (pthread_timedjoin_np(helper, NULL, &t) != 0);
    }
    shared->call_index = ncalls;
    {
        struct itimerval off = {{0, 0}, {0, 0}};
        setitimer(ITIMER_REAL, &off, NULL);
    }
    if (geteuid() != start_euid || setfsuid(-1) != (int)start_euid)
        shared->tainted = SYS_setuid; /* files made now have another owner */
    if (effective_caps() != start_caps) /* e.g. dropped by a setfsuid and not raised */
        shared->tainted = SYS_capset;
    if (shared->tainted)
        sc(SYS_exit_group, 1, 0, 0, 0, 0, 0);
    sc(SYS_exit_group, checks_after_batch() ? 0 : 3, 0, 0, 0, 0, 0);
}

/* ---- the parent -------------------------------------------------------------------- */

static const char *signame(int s) {
    static char buf[16];
    const char *n = sigabbrev_np(s);
    if (n)
        return n;
    snprintf(buf, sizeof buf, "%d", s);
    return buf;
}

static double now(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

static int open_up(const char *path, const struct stat *st, int type, struct FTW *f) {
    (void)st, (void)f;
    if (type == FTW_D || type == FTW_DNR)
        chmod(path, 0700);
    return 0;
}
static int remove_one(const char *path, const struct stat *st, int type, struct FTW *f) {
    (void)st, (void)f;
    if (type == FTW_DP || type == FTW_D || type == FTW_DNR)
        rmdir(path);
    else
        unlink(path);
    return 0;
}
/* rm -rf, for directories a batch may have made unreadable. */
static void remove_tree(const char *path) {
    nftw(path, open_up, 16, FTW_PHYS);
    nftw(path, remove_one, 16, FTW_PHYS | FTW_DEPTH);
}

/* The child's stderr file, for a batch that failed: vm's own messages (a panic, a Rust
 * runtime abort) land there, among whatever the calls wrote to descriptor 2. */
static void show_child_stderr(int batch) {
    char name[64], buf[4096];
    snprintf(name, sizeof name, "b%d/stderr", batch);
    int fd = open(name, O_RDONLY);
    if (fd < 0)
        return;
    long n = read(fd, buf, sizeof buf - 1);
    close(fd);
    if (n > 0) {
        buf[n] = 0;
        for (long i = 0; i < n; i++) /* random bytes the calls wrote, made printable */
            if ((buf[i] < 32 && buf[i] != '\n') || buf[i] > 126)
                buf[i] = '.';
        out(2, buf);
        out(2, "\n");
    }
}

int main(int argc, char **argv) {
    if (argc >= 3 && strcmp(argv[1], "--exit") == 0)
        return atoi(argv[2]);
    if (argc < 4) {
        out(2, "usage: sysfuzz SEED BATCHES CALLS [SECS [FIRST]]\n");
        return 2;
    }
    u64 seed = strtoull(argv[1], NULL, 0);
    int batches = atoi(argv[2]);
    long ncalls = atol(argv[3]);
    double secs = argc > 4 ? atof(argv[4]) : 5.0;
    int first = argc > 5 ? atoi(argv[5]) : 0; /* to rerun one batch */
    shared = mmap(NULL, PAGE, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    if (shared == MAP_FAILED)
        return 2;
    char dir[64];
    snprintf(dir, sizeof dir, "sysfuzz-%d", getpid());
    if (mkdir(dir, 0755) != 0 || chdir(dir) != 0)
        return 2;
    signal(SIGPIPE, SIG_IGN);
    /* The parent's own descriptors, which nothing a child does may change. */
    int keep[2];
    if (pipe(keep) != 0)
        return 2;
    struct stat out_st, err_st;
    if (fstat(1, &out_st) != 0 || fstat(2, &err_st) != 0)
        return 2;
    int failures = 0;
    char line[512];
    for (int b = first; b < first + batches; b++) {
        memset((void *)shared, 0, sizeof *shared);
        shared->call_index = -1;
        pid_t pid = fork();
        if (pid < 0) {
            out(2, "sysfuzz: fork failed\n");
            return 1;
        }
        if (pid == 0) {
            close(keep[0]);
            close(keep[1]);
            run_batch(seed, b, ncalls);
        }
        int status = 0, woken = 0, killed = 0;
        double start = now();
        for (;;) {
            pid_t r = waitpid(pid, &status, WNOHANG);
            if (r == pid)
                break;
            if (r < 0 && errno != EINTR) {
                status = -1;
                break;
            }
            double t = now() - start;
            if (!woken && t > secs) {
                kill(pid, SIGUSR1);
                woken = 1;
            } else if (woken && !killed && t > secs + 2) {
                kill(pid, SIGKILL);
                killed = 1;
            }
            struct timespec ms = {0, 2000000};
            nanosleep(&ms, NULL);
        }
        while (waitpid(-1, NULL, WNOHANG) > 0) /* children of CLONE_PARENT */
            ;
        char what[200];
        int bad = 0;
        long call = shared->call_index, nr = shared->nr;
        if (killed) {
            snprintf(what, sizeof what, "HUNG (SIGKILL needed)");
            bad = 1;
        } else if (WIFEXITED(status)) {
            int code = WEXITSTATUS(status);
            if (code == 0)
                snprintf(what, sizeof what, "ok");
            else if (code == 1)
                snprintf(what, sizeof what, "ok (checks skipped after nr %ld)", shared->tainted);
            else if (code == 50)
                snprintf(what, sizeof what, "blocked, woken");
            else if (code > 64 && code < 64 + 32)
                snprintf(what, sizeof what, "%s handled (code %ld addr %#lx pc %#lx)",
                         signame(code - 64), shared->fault_code, shared->fault_addr,
                         shared->fault_pc);
            else if (code == 3) {
                snprintf(what, sizeof what, "CHECK FAILED at line %ld (errno/status %ld)",
                         shared->check_failed, shared->check_errno);
                bad = 1;
            } else if (code == 101) {
                snprintf(what, sizeof what, "VM PANIC (exit 101)");
                bad = 1;
            } else {
                snprintf(what, sizeof what, "exit %d", code);
                bad = code == 4; /* 2: a self-exec whose arguments a thread changed */
            }
        } else if (WIFSIGNALED(status)) {
            int s = WTERMSIG(status);
            int fault = s == SIGSEGV || s == SIGBUS || s == SIGILL || s == SIGFPE ||
                        s == SIGTRAP || s == SIGABRT || (s == SIGSYS && !shared->seccomp);
            if (shared->execing)
                fault = 0;
            snprintf(what, sizeof what, "%s%s", fault ? "UNHANDLED FAULT SIGNAL " : "killed by ",
                     signame(s));
            bad = fault;
        } else {
            snprintf(what, sizeof what, "wait status %#x", status);
            bad = 1;
        }
        snprintf(line, sizeof line, "batch %d: %s; %s call %ld nr %ld (%#lx, %#lx, %#lx, %#lx, %#lx, %#lx)\n",
                 b, what, call >= ncalls ? "after" : "last", call, nr, shared->args[0],
                 shared->args[1], shared->args[2], shared->args[3], shared->args[4],
                 shared->args[5]);
        if (bad || call < ncalls || killed)
            out(1, line);
        else {
            snprintf(line, sizeof line, "batch %d: %s\n", b, what);
            out(1, line);
        }
        if (bad) {
            show_child_stderr(b);
            failures++;
        }
        /* The parent's descriptors are intact. */
        struct stat st;
        char buf[4];
        if (fstat(1, &st) != 0 || st.st_ino != out_st.st_ino || st.st_dev != out_st.st_dev ||
            fstat(2, &st) != 0 || st.st_ino != err_st.st_ino ||
            write(keep[1], "ok", 2) != 2 || read(keep[0], buf, 2) != 2 ||
            memcmp(buf, "ok", 2) != 0) {
            out(2, "sysfuzz: the parent's descriptors changed\n");
            return 1;
        }
        snprintf(what, sizeof what, "b%d", b);
        remove_tree(what);
        char mq[64];
        for (int k = 0; k < 3; k++) {
            snprintf(mq, sizeof mq, "/sysfuzz.%d.%d", pid, k);
            sc(SYS_mq_unlink, (long)mq, 0, 0, 0, 0, 0);
        }
    }
    chdir("..");
    rmdir(dir);
    snprintf(line, sizeof line, "done: %d batches, %d failures\n", batches, failures);
    out(1, line);
    return failures ? 1 : 0;
}
