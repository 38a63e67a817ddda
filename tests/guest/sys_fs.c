/* File-system syscalls: mkdir/mkdirat, stat/lstat/fstat/newfstatat/statx (only the
 * deterministic fields: type, permission bits, size, link count), getdents64 through
 * opendir/readdir and raw, rename/renameat2 (RENAME_NOREPLACE), unlink/rmdir,
 * readlinkat, access/faccessat, umask, getcwd/chdir/fchdir, and the errno of
 * each common mistake. Runs in the fresh directory the harness gives it. */
#define _GNU_SOURCE
#include <dirent.h>
#include <fcntl.h>
#include <limits.h>
#include <stdlib.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>
#include "check.h"

static void show_stat(const char *label, int rc, const struct stat *st) {
    if (rc != 0) {
        printf("%s: -1 %s\n", label, errno_name(errno));
        return;
    }
    const char *type = S_ISREG(st->st_mode) ? "file" : S_ISDIR(st->st_mode) ? "dir"
                     : S_ISLNK(st->st_mode) ? "symlink" : S_ISFIFO(st->st_mode) ? "fifo"
                     : S_ISCHR(st->st_mode) ? "chardev" : "other";
    printf("%s: %s mode=%04o", label, type, (unsigned)(st->st_mode & 07777));
    if (!S_ISDIR(st->st_mode)) printf(" size=%ld", (long)st->st_size);
    printf(" nlink=%lu\n", (unsigned long)st->st_nlink);
}

static int cmp_str(const void *a, const void *b) {
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static void list_dir(const char *path) {
    DIR *d = opendir(path);
    if (!d) {
        printf("opendir %s: %s\n", path, errno_name(errno));
        return;
    }
    char *names[64];
    int n = 0;
    struct dirent *e;
    while ((e = readdir(d)) != NULL && n < 64) {
        const char *t = e->d_type == DT_DIR ? "/" : e->d_type == DT_LNK ? "@" : "";
        char *s = malloc(strlen(e->d_name) + 2);
        sprintf(s, "%s%s", e->d_name, t);
        names[n++] = s;
    }
    closedir(d);
    qsort(names, n, sizeof names[0], cmp_str);
    printf("ls %s:", path);
    for (int i = 0; i < n; i++) {
        printf(" %s", names[i]);
        free(names[i]);
    }
    printf("\n");
}

static void touch(const char *path, const char *content) {
    int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0666);
    CHECK(fd >= 0);
    CHECK(write(fd, content, strlen(content)) == (ssize_t)strlen(content));
    CHECK(close(fd) == 0);
}

int main(int argc, char **argv) {
    (void)argc;
    struct stat st;
    printf("umask was %03o\n", (unsigned)umask(022));
    SHOW("mkdir top", mkdir("top", 0777));
    SHOW("mkdir top again", mkdir("top", 0777));
    SHOW("mkdir missing parent", mkdir("nope/sub", 0777));
    SHOW("mkdirat top/sub", mkdirat(AT_FDCWD, "top/sub", 0750));
    touch("top/a.txt", "alpha");
    touch("top/b.txt", "bravo!!");
    umask(077);
    touch("top/private", "p");
    umask(022);
    show_stat("stat top", stat("top", &st), &st);
    show_stat("stat top/sub", stat("top/sub", &st), &st);
    show_stat("stat top/a.txt", stat("top/a.txt", &st), &st);
    show_stat("stat top/private (umask 077)", stat("top/private", &st), &st);
    show_stat("stat missing", stat("top/none", &st), &st);
    show_stat("stat through file", stat("top/a.txt/x", &st), &st);
    show_stat("stat /dev/null", stat("/dev/null", &st), &st);
    int dfd = open("top", O_RDONLY | O_DIRECTORY);
    CHECK(dfd >= 0);
    show_stat("fstatat(dirfd, b.txt)", fstatat(dfd, "b.txt", &st, 0), &st);
    show_stat("fstatat(AT_EMPTY_PATH)", fstatat(dfd, "", &st, AT_EMPTY_PATH), &st);
    int fd = openat(dfd, "a.txt", O_RDONLY);
    CHECK(fd >= 0);
    show_stat("fstat a.txt", fstat(fd, &st), &st);
    close(fd);

    struct statx sx;
    memset(&sx, 0, sizeof sx);
    int rc = statx(dfd, "b.txt", 0, STATX_TYPE | STATX_MODE | STATX_SIZE | STATX_NLINK, &sx);
    printf("statx b.txt: rc=%d type-reg=%d mode=%04o size=%llu nlink=%u mask-has-size=%d\n", rc,
           S_ISREG(sx.stx_mode), sx.stx_mode & 07777, (unsigned long long)sx.stx_size,
           sx.stx_nlink, !!(sx.stx_mask & STATX_SIZE));
    SHOW("statx missing", statx(dfd, "none", 0, STATX_BASIC_STATS, &sx));

    /* readlinkat: symlink creation is not among the syscalls under test (see
     * sys_extra.c), so read the links Linux provides and non-links. */
    char target[PATH_MAX], real[PATH_MAX];
    ssize_t n = readlink("/proc/self/exe", target, sizeof target - 1);
    target[n > 0 ? n : 0] = 0;
    CHECK(realpath(argv[0], real) != NULL);
    printf("readlink /proc/self/exe is the program: %d\n", n > 0 && strcmp(target, real) == 0);
    n = readlinkat(AT_FDCWD, "/proc/self/exe", target, 4);
    printf("readlinkat short buffer -> %zd, prefix matches: %d\n", n, strncmp(target, real, 4) == 0);
    SHOW("readlink of a file", readlink("top/a.txt", target, sizeof target));
    SHOW("readlinkat of a file via dirfd", readlinkat(dfd, "a.txt", target, sizeof target));
    SHOW("readlink missing", readlink("top/none", target, sizeof target));
    SHOW("readlink zero-size buffer", readlink("/proc/self/exe", target, 0));

    /* Access checks. */
    SHOW("access F_OK", access("top/a.txt", F_OK));
    SHOW("access R_OK|W_OK", access("top/a.txt", R_OK | W_OK));
    SHOW("access X_OK on dir", access("top", X_OK));
    SHOW("access missing", access("top/none", F_OK));
    SHOW("faccessat", faccessat(dfd, "b.txt", R_OK, 0));
    SHOW("access /", access("/", R_OK));

    /* Directory listing. */
    list_dir("top");
    list_dir("missing");
    /* Raw getdents64 with a small buffer forces several calls. */
    fd = open("top", O_RDONLY | O_DIRECTORY);
    char dbuf[96];
    int entries = 0, calls = 0;
    for (;;) {
        long got = syscall(SYS_getdents64, fd, dbuf, sizeof dbuf);
        CHECK(got >= 0);
        if (got == 0) break;
        calls++;
        for (long off = 0; off < got;) {
            unsigned short reclen = *(unsigned short *)(dbuf + off + 16);
            CHECK(reclen > 0);
            off += reclen;
            entries++;
        }
    }
    printf("getdents64: %d entries in more than one call: %d\n", entries, calls > 1);
    close(fd);
    fd = open("top/a.txt", O_RDONLY);
    CHECK(fd >= 0);
    SHOW("getdents64 on a file", syscall(SYS_getdents64, fd, dbuf, sizeof dbuf));
    close(fd);

    /* Rename and remove. */
    SHOW("rename a->c", rename("top/a.txt", "top/c.txt"));
    SHOW("rename missing", rename("top/a.txt", "top/d.txt"));
    SHOW("renameat2 NOREPLACE onto existing",
         renameat2(AT_FDCWD, "top/c.txt", AT_FDCWD, "top/b.txt", RENAME_NOREPLACE));
    SHOW("rename over existing", rename("top/private", "top/b.txt"));
    SHOW("rename dir into itself", rename("top", "top/sub/x"));
    SHOW("unlink file", unlink("top/c.txt"));
    SHOW("unlink missing", unlink("top/c.txt"));
    SHOW("unlink dir", unlink("top/sub"));
    SHOW("rmdir non-empty", rmdir("top"));
    SHOW("unlinkat AT_REMOVEDIR", unlinkat(dfd, "sub", AT_REMOVEDIR));
    show_stat("stat b.txt (was private)", stat("top/b.txt", &st), &st);
    list_dir("top");

    /* Working directory: print only relative facts, never the absolute path. */
    char before[512], after[512];
    CHECK(getcwd(before, sizeof before) != NULL);
    SHOW("chdir top", chdir("top"));
    CHECK(getcwd(after, sizeof after) != NULL);
    printf("getcwd after chdir = before + \"/top\": %d\n",
           strlen(after) == strlen(before) + 4 && strncmp(after, before, strlen(before)) == 0 &&
               strcmp(after + strlen(before), "/top") == 0);
    show_stat("stat b.txt relative", stat("b.txt", &st), &st);
    SHOW("chdir ..", chdir(".."));
    CHECK(getcwd(after, sizeof after) != NULL);
    printf("back where we were: %d\n", strcmp(before, after) == 0);
    SHOW("fchdir", fchdir(dfd));
    printf("after fchdir, b.txt visible: %d\n", access("b.txt", F_OK) == 0);
    SHOW("chdir to a file", chdir("b.txt"));
    SHOW("chdir missing", chdir("nope"));
    SHOW("getcwd tiny buffer", getcwd(before, 1) == NULL ? -1 : 0);
    printf("getcwd tiny buffer errno %s\n", errno_name(errno));
    close(dfd);
    return 0;
}
