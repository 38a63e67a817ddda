/* Descriptor numbers after the program lowers RLIMIT_NOFILE (as `ulimit -n 64` or
 * Python's resource.setrlimit do) and then makes shared mappings and vforks: vm holds
 * descriptors of its own for those, and they must not take the lowest free numbers,
 * which Linux hands to the program (found by a differential sweep: python3's
 * os.pipe() gave 3 and 5 after a shared anonymous mmap under a limit of 64). */
#define _GNU_SOURCE
#include <fcntl.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>
#include "check.h"

static void pipe_numbers(const char *what) {
    int p[2];
    CHECK(pipe(p) == 0);
    int f = open("/dev/null", O_RDONLY);
    printf("%s: pipe %d %d, open %d\n", what, p[0], p[1], f);
    close(p[0]);
    close(p[1]);
    close(f);
}

/* How many descriptors the program can open before EMFILE (closing them again). */
static int room(void) {
    int fds[1024], n = 0;
    while (n < 1024 && (fds[n] = open("/dev/null", O_RDONLY)) >= 0)
        n++;
    printf("EMFILE after %d more (errno %s)\n", n, errno_name(errno));
    for (int i = 0; i < n; i++)
        close(fds[i]);
    return n;
}

static void map_and_vfork(void) {
    char *anon = mmap(0, 4096, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    CHECK(anon != MAP_FAILED);
    int file = open("shared.bin", O_RDWR | O_CREAT | O_TRUNC, 0600);
    CHECK(file >= 0 && ftruncate(file, 4096) == 0);
    char *mapped = mmap(0, 4096, PROT_READ | PROT_WRITE, MAP_SHARED, file, 0);
    CHECK(mapped != MAP_FAILED);
    CHECK(close(file) == 0);
    pipe_numbers("after two shared mappings");
    /* The vfork child sees the parent's descriptors, and only those. */
    pid_t pid = vfork();
    if (pid == 0)
        _exit(fcntl(3, F_GETFD) == -1 && errno == EBADF ? 0 : 1);
    int status;
    CHECK(waitpid(pid, &status, 0) == pid);
    printf("vfork child saw descriptor 3 free: %s\n", WEXITSTATUS(status) == 0 ? "yes" : "no");
}

int main(void) {
    struct rlimit lim;
    CHECK(getrlimit(RLIMIT_NOFILE, &lim) == 0);
    if (lim.rlim_max <= 600) {
        printf("hard limit too low for the test\n");
        return 0;
    }
    /* A low soft limit under a high hard one: the program can use all of it. */
    struct rlimit soft = {16, lim.rlim_max};
    CHECK(setrlimit(RLIMIT_NOFILE, &soft) == 0);
    pipe_numbers("soft limit 16");
    map_and_vfork();
    room();
    CHECK(getrlimit(RLIMIT_NOFILE, &lim) == 0);
    printf("soft limit still %ld\n", (long)lim.rlim_cur);
    /* Both limits low: the lowest numbers are still the program's. */
    struct rlimit both = {32, 32};
    CHECK(setrlimit(RLIMIT_NOFILE, &both) == 0);
    map_and_vfork();
    return 0;
}
