/* openat2 (qemu 7.2 lacks it): struct open_how and its sizes, the flags it refuses, and
 * the RESOLVE_ flags: BENEATH and IN_ROOT confine the path below the directory, the NO_
 * flags refuse symlinks, magic links and mount crossings. /proc/self/exe opens the
 * program itself (a RISC-V or x86-64 ELF, whichever runs), and /proc/PID/maps lists this
 * process's own mappings. */
#define _GNU_SOURCE
#include <fcntl.h>
#include <linux/openat2.h>
#include <stdint.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>
#include "check.h"

#define BAD ((void *)8)

static long openat2(int dirfd, const char *path, uint64_t flags, uint64_t mode, uint64_t resolve) {
    struct open_how how = {flags, mode, resolve};
    errno = 0;
    return syscall(SYS_openat2, dirfd, path, &how, sizeof how);
}

static void show_open(const char *label, long fd) {
    if (fd < 0) {
        printf("%s -> -1 %s\n", label, errno_name(errno));
        return;
    }
    char buf[32] = {0};
    ssize_t n = pread(fd, buf, sizeof buf - 1, 0);
    printf("%s -> fd, reads \"%.*s\"\n", label, (int)(n > 0 ? n : 0), buf);
    close(fd);
}

int main(void) {
    CHECK(mkdir("d", 0755) == 0 && mkdir("d/sub", 0755) == 0);
    int f = open("d/sub/file", O_WRONLY | O_CREAT, 0644);
    CHECK(f >= 0 && write(f, "inside", 6) == 6);
    close(f);
    f = open("outside", O_WRONLY | O_CREAT, 0644);
    CHECK(f >= 0 && write(f, "outside", 7) == 7);
    close(f);
    CHECK(symlink("sub/file", "d/rel") == 0);
    CHECK(symlink("/sub/file", "d/abs") == 0);
    CHECK(symlink("../outside", "d/up") == 0);
    int d = open("d", O_PATH | O_DIRECTORY);
    CHECK(d >= 0);

    show_open("plain", openat2(AT_FDCWD, "d/sub/file", O_RDONLY, 0, 0));
    long fd = openat2(AT_FDCWD, "created", O_WRONLY | O_CREAT | O_EXCL, 0600, 0);
    struct stat st;
    CHECK(fd >= 0 && fstat(fd, &st) == 0);
    printf("O_CREAT mode %o\n", st.st_mode & 0777);
    close(fd);
    show_open("O_CREAT|O_EXCL again", openat2(AT_FDCWD, "created", O_WRONLY | O_CREAT | O_EXCL, 0600, 0));

    struct {
        struct open_how how;
        uint64_t extra;
    } big = {{O_RDONLY, 0, 0}, 0};
    SHOW("size 16", syscall(SYS_openat2, AT_FDCWD, "outside", &big, 16));
    fd = syscall(SYS_openat2, AT_FDCWD, "outside", &big, 32);
    printf("size 32, zero tail -> %s\n", fd >= 0 ? "fd" : errno_name(errno));
    if (fd >= 0)
        close(fd);
    big.extra = 1;
    SHOW("size 32, non-zero tail", syscall(SYS_openat2, AT_FDCWD, "outside", &big, 32));
    SHOW("size 8192", syscall(SYS_openat2, AT_FDCWD, "outside", &big, 8192));
    SHOW("bad how", syscall(SYS_openat2, AT_FDCWD, "outside", BAD, 24));
    struct open_how bad_flags = {1ULL << 40, 0, 0};
    SHOW("bad path", syscall(SYS_openat2, AT_FDCWD, BAD, &big.how, 24));
    SHOW("bad path, bad flags", syscall(SYS_openat2, AT_FDCWD, BAD, &bad_flags, 24));
    show_open("flag bit 40", openat2(AT_FDCWD, "outside", 1ULL << 40, 0, 0));
    show_open("mode without O_CREAT", openat2(AT_FDCWD, "outside", O_RDONLY, 0644, 0));
    show_open("mode past 07777", openat2(AT_FDCWD, "new2", O_WRONLY | O_CREAT, 010000, 0));
    show_open("unknown resolve flag", openat2(AT_FDCWD, "outside", O_RDONLY, 0, 0x1000));
    show_open("BENEATH|IN_ROOT", openat2(d, "sub/file", O_RDONLY, 0, RESOLVE_BENEATH | RESOLVE_IN_ROOT));
    show_open("bad dirfd", openat2(999, "sub/file", O_RDONLY, 0, 0));

    show_open("BENEATH, inside", openat2(d, "sub/file", O_RDONLY, 0, RESOLVE_BENEATH));
    show_open("BENEATH, relative link", openat2(d, "rel", O_RDONLY, 0, RESOLVE_BENEATH));
    show_open("BENEATH, ..", openat2(d, "../outside", O_RDONLY, 0, RESOLVE_BENEATH));
    show_open("BENEATH, link going up", openat2(d, "up", O_RDONLY, 0, RESOLVE_BENEATH));
    show_open("BENEATH, absolute link", openat2(d, "abs", O_RDONLY, 0, RESOLVE_BENEATH));
    show_open("BENEATH, absolute path", openat2(d, "/etc/passwd", O_RDONLY, 0, RESOLVE_BENEATH));
    show_open("IN_ROOT, absolute path", openat2(d, "/sub/file", O_RDONLY, 0, RESOLVE_IN_ROOT));
    show_open("IN_ROOT, absolute link", openat2(d, "abs", O_RDONLY, 0, RESOLVE_IN_ROOT));
    show_open("IN_ROOT, .. stays inside", openat2(d, "../../sub/file", O_RDONLY, 0, RESOLVE_IN_ROOT));
    show_open("NO_SYMLINKS, link", openat2(d, "rel", O_RDONLY, 0, RESOLVE_NO_SYMLINKS));
    fd = openat2(d, "rel", O_PATH | O_NOFOLLOW, 0, RESOLVE_NO_SYMLINKS);
    printf("NO_SYMLINKS, O_PATH|O_NOFOLLOW link -> %s\n", fd >= 0 ? "fd" : errno_name(errno));
    if (fd >= 0)
        close(fd);
    show_open("NO_SYMLINKS, no link", openat2(d, "sub/file", O_RDONLY, 0, RESOLVE_NO_SYMLINKS));
    show_open("NO_XDEV, same mount", openat2(d, "sub/file", O_RDONLY, 0, RESOLVE_NO_XDEV));
    show_open("NO_XDEV, into procfs", openat2(AT_FDCWD, "/proc/version", O_RDONLY, 0, RESOLVE_NO_XDEV));
    show_open("NO_MAGICLINKS, /proc/self/exe", openat2(AT_FDCWD, "/proc/self/exe", O_RDONLY, 0, RESOLVE_NO_MAGICLINKS));
    show_open("NO_SYMLINKS, /proc/self/maps", openat2(AT_FDCWD, "/proc/self/maps", O_RDONLY, 0, RESOLVE_NO_SYMLINKS));

    fd = openat2(AT_FDCWD, "/proc/self/exe", O_RDONLY, 0, 0);
    unsigned char ehdr[20] = {0};
    CHECK(fd >= 0 && pread(fd, ehdr, sizeof ehdr, 0) == sizeof ehdr);
    close(fd);
#ifdef __riscv
    const int machine = 243; /* EM_RISCV */
#else
    const int machine = 62; /* EM_X86_64 */
#endif
    printf("/proc/self/exe is an ELF: %d, of this program's machine: %d\n",
           memcmp(ehdr, "\177ELF", 4) == 0, ehdr[18] == machine);

    /* /proc/PID/maps (no symlink on the way) lists this process's own mappings. */
    char *m = mmap(NULL, 4096, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    CHECK(m != MAP_FAILED);
    char path[64], want[32], maps[65536];
    snprintf(path, sizeof path, "/proc/%d/maps", getpid());
    snprintf(want, sizeof want, "%lx-", (unsigned long)m);
    fd = openat2(AT_FDCWD, path, O_RDONLY, 0, RESOLVE_NO_SYMLINKS);
    CHECK(fd >= 0);
    ssize_t n = 0, r;
    while ((r = read(fd, maps + n, sizeof maps - 1 - n)) > 0)
        n += r;
    maps[n] = 0;
    close(fd);
    printf("/proc/PID/maps lists this process's mmap: %d\n", strstr(maps, want) != NULL);
    return 0;
}
