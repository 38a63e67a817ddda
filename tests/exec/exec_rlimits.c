/* execve keeps resource limits, the address-space ones vm keeps for the guest
 * (RLIMIT_AS, RLIMIT_DATA, RLIMIT_STACK) included: a shell's `ulimit -v N` must hold
 * in the programs it starts (coreutils' tests measure memory use that way). The
 * program lowers the limits, then execs itself, which prints them. */
#include <stdlib.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>
#include "check.h"

static void show(const char *name, int resource) {
    struct rlimit r;
    CHECK(getrlimit(resource, &r) == 0);
    printf("%s:", name);
    if (r.rlim_cur == RLIM_INFINITY) printf(" unlimited"); else printf(" %lu", (unsigned long)r.rlim_cur);
    if (r.rlim_max == RLIM_INFINITY) printf(" unlimited\n"); else printf(" %lu\n", (unsigned long)r.rlim_max);
}

int main(int argc, char **argv) {
    setvbuf(stdout, NULL, _IONBF, 0);
    if (argc > 1) {
        printf("after exec (%s):\n", argv[1]);
        show("as", RLIMIT_AS);
        show("data", RLIMIT_DATA);
        show("stack", RLIMIT_STACK);
        return 0;
    }
    struct rlimit as = {512ul << 20, 1ul << 30};
    CHECK(setrlimit(RLIMIT_AS, &as) == 0);
    struct rlimit data = {256ul << 20, RLIM_INFINITY};
    CHECK(setrlimit(RLIMIT_DATA, &data) == 0);
    struct rlimit stack = {4ul << 20, 16ul << 20};
    CHECK(setrlimit(RLIMIT_STACK, &stack) == 0);
    pid_t p = fork();
    CHECK(p >= 0);
    if (p == 0) {
        char *args[] = {argv[0], "forked child", NULL};
        execv("/proc/self/exe", args);
        _exit(127);
    }
    int st;
    CHECK(waitpid(p, &st, 0) == p && WIFEXITED(st) && WEXITSTATUS(st) == 0);
    char *args[] = {argv[0], "same process", NULL};
    execv("/proc/self/exe", args);
    printf("exec failed\n");
    return 1;
}
