/* RLIMIT_AS set by another process (`prlimit --pid`), as Tcl's test suite limits a child
 * interpreter: the limit holds for the target's mappings from then on. vm's host process
 * reserves far more address space than it maps for the guest; the child must still get
 * Linux's limits:
 * - an absolute limit (1 GiB soft, hard unlimited): the child sees it and can map
 *   600 MiB but not 600 MiB more;
 * - the child's size as /proc/PID/status shows it plus 100 MiB, soft and hard (what
 *   `prlimit --as` sets after `ps -o vsz`): the child can map 50 MiB but not 100 MiB more.
 * Written from what Linux does (a native build prints the same); qemu 7.2 keeps RLIMIT_AS
 * for the guest without enforcing it. */
#define _GNU_SOURCE
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>
#include "check.h"

#define MIB (1024ul * 1024)

static void show_map(const char *label, size_t len) {
    void *p = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    printf("%s: %s\n", label, p == MAP_FAILED ? errno_name(errno) : "ok");
}

/* A child that waits for a byte on `in`, then runs `after`. */
static pid_t child(int *go, void (*after)(void)) {
    int fds[2];
    CHECK(pipe(fds) == 0);
    pid_t p = fork();
    CHECK(p >= 0);
    if (p == 0) {
        char c;
        close(fds[1]);
        CHECK(read(fds[0], &c, 1) == 1);
        after();
        _exit(0);
    }
    close(fds[0]);
    *go = fds[1];
    return p;
}

static void finish(pid_t p, int go) {
    CHECK(write(go, "x", 1) == 1);
    int st;
    CHECK(waitpid(p, &st, 0) == p && WIFEXITED(st) && WEXITSTATUS(st) == 0);
    close(go);
}

static void absolute(void) {
    struct rlimit r;
    CHECK(getrlimit(RLIMIT_AS, &r) == 0);
    printf("absolute: soft %lu hard %s\n", (unsigned long)r.rlim_cur,
           r.rlim_max == RLIM_INFINITY ? "unlimited" : "limited");
    show_map("  600 MiB", 600 * MIB);
    show_map("  600 MiB more", 600 * MIB);
}

static void relative(void) {
    printf("own size + 100 MiB:\n");
    show_map("  50 MiB", 50 * MIB);
    show_map("  100 MiB more", 100 * MIB);
}

/* VmSize of `pid` in bytes, from /proc/PID/status. */
static unsigned long vm_size(pid_t pid) {
    char path[64], line[256];
    snprintf(path, sizeof path, "/proc/%d/status", (int)pid);
    FILE *f = fopen(path, "r");
    CHECK(f);
    unsigned long kib = 0;
    while (fgets(line, sizeof line, f))
        if (sscanf(line, "VmSize: %lu kB", &kib) == 1) break;
    fclose(f);
    CHECK(kib > 0);
    return kib * 1024;
}

int main(void) {
    setvbuf(stdout, NULL, _IONBF, 0);
    int go;
    pid_t p = child(&go, absolute);
    struct rlimit gig = {1024 * MIB, RLIM_INFINITY};
    CHECK(prlimit(p, RLIMIT_AS, &gig, NULL) == 0);
    finish(p, go);

    p = child(&go, relative);
    rlim_t size = vm_size(p) + 100 * MIB;
    struct rlimit both = {size, size};
    CHECK(prlimit(p, RLIMIT_AS, &both, NULL) == 0);
    finish(p, go);
    return 0;
}
