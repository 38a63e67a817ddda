/* Starting processes the way libc does: vfork (the parent resumes after the child's
 * _exit), posix_spawn of the host's /bin/sh with a dup2 file action and of a missing
 * program (the child exits 127), system() and popen() through /bin/sh, MAP_SHARED
 * anonymous memory and shared /dev/zero written by a forked child and seen by the parent
 * (a private mapping is not), and /proc/self/maps: well-formed sorted lines, with our code,
 * our stack and a shared mapping in the right lines. */
#include <fcntl.h>
#include <spawn.h>
#include <stdint.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>
#include "check.h"

extern char **environ;

static int wait_code(pid_t p) {
    int st;
    CHECK(waitpid(p, &st, 0) == p);
    return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
}

static void spawning(void) {
    pid_t p = vfork();
    if (p == 0) _exit(9);
    printf("vfork child exit: %d\n", wait_code(p));

    int fds[2];
    CHECK(pipe(fds) == 0);
    posix_spawn_file_actions_t fa;
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_adddup2(&fa, fds[1], 1);
    posix_spawn_file_actions_addclose(&fa, fds[0]);
    char *argv[] = {"sh", "-c", "echo spawned sh says $0 $1; exit 6", "zero", "one", NULL};
    CHECK(posix_spawn(&p, "/bin/sh", &fa, NULL, argv, environ) == 0);
    close(fds[1]);
    char buf[128];
    ssize_t n = read(fds[0], buf, sizeof buf - 1);
    CHECK(n > 0);
    buf[n] = 0;
    printf("posix_spawn output: %s", buf);
    printf("posix_spawn exit: %d\n", wait_code(p));
    close(fds[0]);
    posix_spawn_file_actions_destroy(&fa);

    char *missing[] = {"nothing-here", NULL};
    int r = posix_spawn(&p, "/nonexistent/program", NULL, NULL, missing, environ);
    /* With vfork semantics but unshared memory (qemu-user, vm) the error shows only as
     * the child's exit status; both end the same way. */
    if (r == 0)
        printf("missing program: child exit %d\n", wait_code(p));
    else
        printf("missing program: child exit 127\n");

    r = system("echo system says hi; exit 3");
    printf("system: exited %d\n", WEXITSTATUS(r));
    FILE *f = popen("echo popen line 1; echo popen line 2", "r");
    CHECK(f);
    while (fgets(buf, sizeof buf, f)) printf("popen read: %s", buf);
    printf("pclose: %d\n", pclose(f));
    f = popen("cat > popen-out.txt", "w");
    CHECK(f);
    fputs("written through popen\n", f);
    CHECK(pclose(f) == 0);
    f = fopen("popen-out.txt", "r");
    CHECK(f && fgets(buf, sizeof buf, f));
    printf("file from popen's writer: %s", buf);
    fclose(f);
}

static void shared_memory(void) {
    int *shared = mmap(NULL, 8192, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    int *private = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    int zfd = open("/dev/zero", O_RDWR);
    int *zero = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED, zfd, 0);
    CHECK(shared != MAP_FAILED && private != MAP_FAILED && zero != MAP_FAILED);
    close(zfd);
    shared[0] = private[0] = zero[0] = 1;
    pid_t p = fork();
    if (p == 0) {
        shared[0] = 42;
        shared[2000] = 43; /* second page */
        private[0] = 44;
        zero[0] = 45;
        _exit(0);
    }
    CHECK(wait_code(p) == 0);
    printf("after the child wrote: shared %d %d, private %d, /dev/zero shared %d\n", shared[0],
           shared[2000], private[0], zero[0]);
    /* And the other way round: the parent's writes after the fork reach the child. */
    int go[2];
    CHECK(pipe(go) == 0);
    p = fork();
    if (p == 0) {
        char c;
        close(go[1]);
        read(go[0], &c, 1);
        _exit(shared[1]);
    }
    close(go[0]);
    shared[1] = 77;
    close(go[1]);
    printf("child saw the parent's later write: %d\n", wait_code(p));
}

struct line {
    unsigned long start, end;
    char perms[5];
    char path[256];
};

static int find(struct line *lines, int n, uintptr_t addr) {
    for (int i = 0; i < n; i++)
        if (lines[i].start <= addr && addr < lines[i].end) return i;
    return -1;
}

static void maps(void) {
    char *shared = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    CHECK(shared != MAP_FAILED);
    char self[256];
    ssize_t sn = readlink("/proc/self/exe", self, sizeof self - 1);
    CHECK(sn > 0);
    self[sn] = 0;
    FILE *f = fopen("/proc/self/maps", "r");
    CHECK(f);
    static struct line lines[256];
    int n = 0, well_formed = 1, sorted = 1;
    char buf[512];
    while (n < 256 && fgets(buf, sizeof buf, f)) {
        struct line *l = &lines[n];
        unsigned long off, inode;
        unsigned maj, min;
        int end = 0;
        l->path[0] = 0;
        if (sscanf(buf, "%lx-%lx %4s %lx %x:%x %lu %n", &l->start, &l->end, l->perms, &off,
                   &maj, &min, &inode, &end) != 7)
            well_formed = 0;
        sscanf(buf + end, "%255[^\n]", l->path);
        if (l->start >= l->end || (n > 0 && l->start < lines[n - 1].end)) sorted = 0;
        n++;
    }
    fclose(f);
    printf("maps: %s lines, well formed %d, sorted and disjoint %d\n", n > 4 ? "several" : "few",
           well_formed, sorted);
    int code = find(lines, n, (uintptr_t)&maps);
    CHECK(code >= 0);
    printf("code: %s, our program %d\n", lines[code].perms, strcmp(lines[code].path, self) == 0);
    int stack = find(lines, n, (uintptr_t)&f);
    CHECK(stack >= 0);
    printf("stack: %s %s\n", lines[stack].perms, lines[stack].path);
    int sh = find(lines, n, (uintptr_t)shared);
    CHECK(sh >= 0);
    printf("shared: %s %s\n", lines[sh].perms, lines[sh].path);
}

int main(void) {
    setvbuf(stdout, NULL, _IONBF, 0);
    spawning();
    shared_memory();
    maps();
    return 0;
}
