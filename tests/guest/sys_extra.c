/* Syscalls real programs use that are beyond the core list of issue 2 (which names
 * openat ... fsync, brk ... madvise, getuid and kin): fchmodat/fchmod, symlinkat,
 * linkat, truncate, preadv/pwritev, msync, getresuid/getresgid/getgroups. Kept apart
 * so a missing one here does not hide a regression in the core programs. */
#define _GNU_SOURCE
#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/uio.h>
#include <unistd.h>
#include "check.h"

static void show_mode(const char *label, const char *path) {
    struct stat st;
    if (lstat(path, &st) != 0) {
        printf("%s: -1 %s\n", label, errno_name(errno));
        return;
    }
    printf("%s: %s mode=%04o size=%ld nlink=%lu\n", label,
           S_ISLNK(st.st_mode) ? "symlink" : S_ISREG(st.st_mode) ? "file" : "other",
           (unsigned)(st.st_mode & 07777), (long)st.st_size, (unsigned long)st.st_nlink);
}

int main(void) {
    int fd = open("f.txt", O_RDWR | O_CREAT | O_TRUNC, 0644);
    CHECK(fd >= 0);
    CHECK(write(fd, "0123456789", 10) == 10);
    SHOW("chmod 0600", chmod("f.txt", 0600));
    show_mode("after chmod", "f.txt");
    SHOW("fchmod 0640", fchmod(fd, 0640));
    show_mode("after fchmod", "f.txt");
    SHOW("chmod missing", chmod("none", 0600));

    SHOW("symlink", symlink("f.txt", "link"));
    SHOW("symlink existing", symlink("f.txt", "link"));
    char target[64];
    ssize_t n = readlink("link", target, sizeof target);
    printf("readlink link -> %zd \"%.*s\"\n", n, (int)(n > 0 ? n : 0), target);
    show_mode("lstat link", "link");
    SHOW("symlink dangling", symlink("nowhere", "dangling"));
    SHOW("open dangling", open("dangling", O_RDONLY));
    SHOW("open link O_NOFOLLOW", open("link", O_RDONLY | O_NOFOLLOW));
    SHOW("link", link("f.txt", "hard"));
    show_mode("after link", "f.txt");
    SHOW("link onto existing", link("f.txt", "hard"));
    SHOW("truncate", truncate("f.txt", 4));
    show_mode("after truncate", "f.txt");

    struct iovec out[2] = {{"AB", 2}, {"CDE", 3}};
    SHOW("pwritev at 1", pwritev(fd, out, 2, 1));
    char a[3] = {0}, b[4] = {0};
    struct iovec in[2] = {{a, 2}, {b, 3}};
    SHOW("preadv at 0", preadv(fd, in, 2, 0));
    printf("preadv parts \"%s\" \"%s\", offset still %ld\n", a, b, (long)lseek(fd, 0, SEEK_CUR));

    char *m = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    CHECK(m != MAP_FAILED);
    m[0] = 'Z';
    SHOW("msync MS_SYNC", msync(m, 4096, MS_SYNC));
    SHOW("msync unaligned", msync(m + 1, 10, MS_SYNC));
    munmap(m, 4096);
    close(fd);

    uid_t ru, eu, su;
    gid_t rg, eg, sg;
    SHOW("getresuid", getresuid(&ru, &eu, &su));
    SHOW("getresgid", getresgid(&rg, &eg, &sg));
    printf("getresuid agrees %d getresgid agrees %d\n", ru == getuid() && eu == geteuid(),
           rg == getgid() && eg == getegid());
    gid_t groups[64];
    printf("getgroups >= 0: %d\n", getgroups(64, groups) >= 0);
    return 0;
}
