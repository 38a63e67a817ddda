/* process_vm_readv and process_vm_writev between two guest processes, and the target's
 * /proc/PID/maps as another process reads it (CPython's sys.remote_exec does both).
 * The target is this program executed again, so it is a process of its own with its
 * own address space, not a fork sharing the parent's layout. It reports the addresses
 * of a read-write buffer, a read-only page, a PROT_NONE page, a page with an unmapped
 * page after it, and a function, then waits until the parent is done and prints its
 * buffer. qemu 7.2 answers process_vm_readv with ENOSYS, so this is checked against
 * Linux's answers: a remote range stops at the first page that refuses the access
 * (EFAULT if nothing was copied), nothing is done when either side has no bytes (not
 * even the process looked up), flags must be 0. */
#define _GNU_SOURCE
#include <signal.h>
#include <stdint.h>
#include <sys/mman.h>
#include <sys/uio.h>
#include <sys/wait.h>
#include <unistd.h>
#include "check.h"

struct layout {
    uintptr_t buf, ro, none, edge, func;
};

static char target_buf[64] = "the target's buffer";

static int target(int report, int go) {
    char *ro = mmap(0, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    char *none = mmap(0, 4096, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    char *edge = mmap(0, 8192, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    CHECK(ro != MAP_FAILED && none != MAP_FAILED && edge != MAP_FAILED);
    strcpy(ro, "read-only page");
    CHECK(mprotect(ro, 4096, PROT_READ) == 0);
    CHECK(munmap(edge + 4096, 4096) == 0);
    memcpy(edge + 4096 - 8, "edgebyte", 8);
    struct layout l = {(uintptr_t)target_buf, (uintptr_t)ro, (uintptr_t)none,
                       (uintptr_t)edge, (uintptr_t)target};
    CHECK(write(report, &l, sizeof l) == sizeof l);
    char c;
    CHECK(read(go, &c, 1) == 1);
    printf("target buffer: %s\n", target_buf);
    return 0;
}

static void show(const char *what, ssize_t r) {
    printf("%s -> %zd %s\n", what, r, r < 0 ? errno_name(errno) : "");
}

/* The permissions column of the line of `maps` that covers `addr`. */
static const char *perms_at(const char *maps, uintptr_t addr) {
    static char perms[5];
    const char *line = maps;
    while (*line) {
        unsigned long start, end;
        if (sscanf(line, "%lx-%lx %4s", &start, &end, perms) == 3 && start <= addr &&
            addr < end)
            return perms;
        const char *nl = strchr(line, '\n');
        if (!nl)
            break;
        line = nl + 1;
    }
    return "none";
}

int main(int argc, char **argv) {
    if (argc == 4 && strcmp(argv[1], "target") == 0)
        return target(atoi(argv[2]), atoi(argv[3]));
    int report[2], go[2];
    CHECK(pipe(report) == 0 && pipe(go) == 0);
    fflush(stdout);
    pid_t pid = fork();
    CHECK(pid >= 0);
    if (pid == 0) {
        char a[16], b[16];
        snprintf(a, sizeof a, "%d", report[1]);
        snprintf(b, sizeof b, "%d", go[0]);
        execl("/proc/self/exe", argv[0], "target", a, b, (char *)0);
        _exit(127);
    }
    struct layout l;
    CHECK(read(report[0], &l, sizeof l) == sizeof l);

    char got[64] = {0};
    struct iovec local = {got, sizeof got};
    struct iovec remote = {(void *)l.buf, 20};
    show("read buffer", process_vm_readv(pid, &local, 1, &remote, 1, 0));
    printf("  got: %s\n", got);

    /* Two local buffers filled from one remote range. */
    char p1[4] = {0}, p2[32] = {0};
    struct iovec split[2] = {{p1, 3}, {p2, sizeof p2}};
    remote = (struct iovec){(void *)l.buf, 19};
    show("read into two buffers", process_vm_readv(pid, split, 2, &remote, 1, 0));
    printf("  got: %s|%s\n", p1, p2);

    remote = (struct iovec){(void *)l.ro, 14};
    memset(got, 0, sizeof got);
    show("read read-only page", process_vm_readv(pid, &local, 1, &remote, 1, 0));
    printf("  got: %s\n", got);

    remote = (struct iovec){(void *)l.none, 8};
    show("read PROT_NONE page", process_vm_readv(pid, &local, 1, &remote, 1, 0));
    remote = (struct iovec){(void *)(l.edge + 4096), 8};
    show("read unmapped page", process_vm_readv(pid, &local, 1, &remote, 1, 0));

    memset(got, 0, sizeof got);
    remote = (struct iovec){(void *)(l.edge + 4096 - 8), 16};
    show("read across into unmapped page", process_vm_readv(pid, &local, 1, &remote, 1, 0));
    printf("  got: %.8s\n", got);

    memset(got, 0, sizeof got);
    struct iovec two[3] = {{(void *)l.buf, 4}, {(void *)l.none, 4}, {(void *)l.buf, 4}};
    show("read good, bad, good ranges", process_vm_readv(pid, &local, 1, two, 3, 0));
    printf("  got: %s\n", got);

    struct iovec empty_remote[2] = {{(void *)l.none, 0}, {0, 0}};
    show("read zero-length remote ranges", process_vm_readv(pid, &local, 1, empty_remote, 2, 0));
    show("read, flags 1", process_vm_readv(pid, &local, 1, &remote, 1, 1));
    show("read, 1025 remote ranges", process_vm_readv(pid, &local, 1, &remote, 1025, 0));
    struct iovec bad_local = {(void *)8, 16};
    show("read into a bad local buffer", process_vm_readv(pid, &bad_local, 1, &remote, 1, 0));
    remote = (struct iovec){(void *)l.buf, 4};
    show("read from no such process", process_vm_readv(0x3ffffff0, &local, 1, &remote, 1, 0));
    show("read nothing from no such process", process_vm_readv(0x3ffffff0, &local, 0, &remote, 1, 0));

    const char *msg = "written by the parent";
    struct iovec out = {(void *)msg, strlen(msg) + 1};
    remote = (struct iovec){(void *)l.ro, 8};
    show("write read-only page", process_vm_writev(pid, &out, 1, &remote, 1, 0));
    remote = (struct iovec){(void *)l.buf, strlen(msg) + 1};
    show("write buffer", process_vm_writev(pid, &out, 1, &remote, 1, 0));

    /* This process reading itself. */
    static char own[] = "own memory";
    memset(got, 0, sizeof got);
    remote = (struct iovec){own, sizeof own};
    show("read own memory", process_vm_readv(getpid(), &local, 1, &remote, 1, 0));
    printf("  got: %s\n", got);

    /* The target's mappings as this process sees them. */
    char path[64];
    snprintf(path, sizeof path, "/proc/%d/maps", pid);
    FILE *f = fopen(path, "r");
    CHECK(f != NULL);
    static char maps[1 << 16];
    size_t n = fread(maps, 1, sizeof maps - 1, f);
    maps[n] = 0;
    fclose(f);
    printf("maps:");
    printf(" buffer %s,", perms_at(maps, l.buf));
    printf(" read-only page %s,", perms_at(maps, l.ro));
    printf(" PROT_NONE page %s,", perms_at(maps, l.none));
    printf(" edge page %s,", perms_at(maps, l.edge));
    printf(" after it %s,", perms_at(maps, l.edge + 4096));
    printf(" code %s\n", perms_at(maps, l.func));

    fflush(stdout);
    CHECK(write(go[1], "x", 1) == 1);
    int status;
    CHECK(waitpid(pid, &status, 0) == pid);
    CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0);
    return 0;
}
