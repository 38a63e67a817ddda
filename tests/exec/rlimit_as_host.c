/* The address-space limit between vm's host process and the guest. vm reserves far more
 * host address space than any RLIMIT_AS, so it keeps the guest's limit itself; this
 * program checks both places where that meets the host:
 * - a host program the guest executes inherits the guest's soft limit (here /bin/sh,
 *   whose `ulimit -Sv` and `ulimit -Hv` print the soft and hard limits in KiB);
 * - with the argument "limited", run by exec_programs.rs under a vm started with a host
 *   RLIMIT_AS of 1 GiB (soft; hard unlimited, as `ulimit -Sv` leaves it), the guest has
 *   that limit: it sees it and can map 600 MiB but not 600 MiB more. vm could not start
 *   at all under such a limit before.
 * Written from what Linux does (a native build prints the same). */
#include <stdint.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>
#include "check.h"

#define MIB (1024ul * 1024)

static void show_limit(const char *label, rlim_t v) {
    if (v == RLIM_INFINITY) printf(" %s unlimited", label); else printf(" %s %lu", label, (unsigned long)v);
}

static void show_map(const char *label, size_t len) {
    void *p = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    printf("map %s: %s\n", label, p == MAP_FAILED ? errno_name(errno) : "ok");
}

int main(int argc, char **argv) {
    setvbuf(stdout, NULL, _IONBF, 0);
    if (argc > 1 && strcmp(argv[1], "limited") == 0) {
        struct rlimit r;
        CHECK(getrlimit(RLIMIT_AS, &r) == 0);
        printf("as:");
        show_limit("soft", r.rlim_cur);
        show_limit("hard", r.rlim_max);
        printf("\n");
        show_map("600 MiB", 600 * MIB);
        show_map("600 MiB more", 600 * MIB);
        return 0;
    }
    struct rlimit as = {1024 * MIB, RLIM_INFINITY};
    CHECK(setrlimit(RLIMIT_AS, &as) == 0);
    pid_t p = fork();
    CHECK(p >= 0);
    if (p == 0) {
        execl("/bin/sh", "sh", "-c", "echo host sh: soft $(ulimit -Sv) hard $(ulimit -Hv)", (char *)NULL);
        _exit(127);
    }
    int st;
    CHECK(waitpid(p, &st, 0) == p && WIFEXITED(st) && WEXITSTATUS(st) == 0);
    /* A failed exec leaves the guest its own limit, and vm its own. */
    CHECK(execl("/nonexistent/program", "x", (char *)NULL) == -1 && errno == ENOENT);
    CHECK(getrlimit(RLIMIT_AS, &as) == 0 && as.rlim_cur == 1024 * MIB);
    show_map("100 MiB after a failed exec", 100 * MIB);
    return 0;
}
