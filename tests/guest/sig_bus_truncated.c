/* File mappings and the end of their file. A mapping longer than its file: the last
 * partial page reads zeros past the end, whole pages past it raise SIGBUS (BUS_ADRERR,
 * si_addr the byte touched) on read, write and instruction fetch, and PROT_NONE there
 * is SIGSEGV. A file truncated under its mappings: pages now past the end raise SIGBUS,
 * for a private and for a shared mapping, caught by a handler that leaves with
 * siglongjmp; pages still inside the file read normally. Unhandled, the same read kills
 * the process with SIGBUS (checked in a child). */
#define _GNU_SOURCE
#include "check.h"
#include <fcntl.h>
#include <setjmp.h>
#include <signal.h>
#include <stdint.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

static sigjmp_buf env;
static volatile int fault_sig, fault_code;
static volatile uintptr_t fault_addr;

static void jump_out(int sig, siginfo_t *si, void *uc) {
    (void)uc;
    fault_sig = sig;
    fault_code = si->si_code;
    fault_addr = (uintptr_t)si->si_addr;
    siglongjmp(env, 1);
}

static void try_read(const char *what, volatile char *p, volatile char *base) {
    fault_sig = 0;
    if (sigsetjmp(env, 1) == 0) {
        char c = *p;
        printf("%s: read %d\n", what, c);
    } else {
        printf("%s: signal %d code %d at base+%ld\n", what, fault_sig, fault_code,
               (long)(fault_addr - (uintptr_t)base));
    }
}

static void try_write(const char *what, volatile char *p, volatile char *base) {
    fault_sig = 0;
    if (sigsetjmp(env, 1) == 0) {
        *p = 1;
        printf("%s: wrote\n", what);
    } else {
        printf("%s: signal %d code %d at base+%ld\n", what, fault_sig, fault_code,
               (long)(fault_addr - (uintptr_t)base));
    }
}

int main(void) {
    long page = sysconf(_SC_PAGESIZE);
    struct sigaction sa = {0};
    sa.sa_sigaction = jump_out;
    sa.sa_flags = SA_SIGINFO;
    CHECK(sigaction(SIGBUS, &sa, NULL) == 0 && sigaction(SIGSEGV, &sa, NULL) == 0);

    int short_fd = open("short.bin", O_RDWR | O_CREAT | O_TRUNC, 0644);
    CHECK(short_fd >= 0 && ftruncate(short_fd, 100) == 0);
    char *longer = mmap(NULL, 3 * page, PROT_READ | PROT_WRITE, MAP_PRIVATE, short_fd, 0);
    CHECK(longer != MAP_FAILED);
    try_read("longer map, end of the last file page", longer + page - 1, longer);
    try_read("longer map, next page", longer + page + 904, longer);
    try_write("longer map, write two pages on", longer + 2 * page + 8, longer);
    CHECK(mprotect(longer + page, page, PROT_NONE) == 0);
    try_read("longer map, PROT_NONE page past the end", longer + page, longer);
    CHECK(munmap(longer, 3 * page) == 0);
    /* Running code there is a SIGBUS too. */
    char *code = mmap(NULL, 2 * page, PROT_READ | PROT_EXEC, MAP_PRIVATE, short_fd, 0);
    CHECK(code != MAP_FAILED);
    fault_sig = 0;
    if (sigsetjmp(env, 1) == 0) {
        ((void (*)(void))(code + page))();
        printf("longer map, call into the next page: returned\n");
    } else {
        printf("longer map, call into the next page: signal %d code %d at base+%ld\n",
               fault_sig, fault_code, (long)(fault_addr - (uintptr_t)code));
    }
    CHECK(munmap(code, 2 * page) == 0);

    int fd = open("trunc.bin", O_RDWR | O_CREAT | O_TRUNC, 0644);
    CHECK(fd >= 0);
    CHECK(ftruncate(fd, 3 * page) == 0);
    CHECK(pwrite(fd, "x", 1, 0) == 1 && pwrite(fd, "y", 1, 2 * page + 5) == 1);
    char *priv = mmap(NULL, 3 * page, PROT_READ, MAP_PRIVATE, fd, 0);
    char *shared = mmap(NULL, 3 * page, PROT_READ, MAP_SHARED, fd, 0);
    CHECK(priv != MAP_FAILED && shared != MAP_FAILED);
    printf("before truncation: '%c' '%c'\n", priv[2 * page + 5], shared[2 * page + 5]);
    CHECK(ftruncate(fd, page) == 0);
    try_read("private, first page", priv + 10, priv);
    try_read("private, third page", priv + 2 * page + 5, priv);
    try_read("shared, first page", shared, shared);
    try_read("shared, third page", shared + 2 * page + 7, shared);

    pid_t pid = fork();
    CHECK(pid >= 0);
    if (pid == 0) {
        signal(SIGBUS, SIG_DFL);
        volatile char c = priv[2 * page];
        printf("child read %d\n", c);
        _exit(0);
    }
    int status;
    CHECK(waitpid(pid, &status, 0) == pid);
    printf("child: signaled %d, signal %d\n", WIFSIGNALED(status), WTERMSIG(status));
    return 0;
}
