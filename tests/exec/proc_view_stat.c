/* The procfs files vm generates for the guest (/proc/cpuinfo, /proc/self/maps, cmdline,
 * auxv) stat the same through an open descriptor as through their path, as on Linux:
 * fstat, fstatat with AT_EMPTY_PATH and statx with AT_EMPTY_PATH give the procfs file's
 * device, inode, mode and size (0), not those of the memory file vm serves them from.
 * `cp /proc/cpuinfo` compares the two and otherwise reports the file "replaced while
 * being copied". (qemu cannot be the reference: it serves its own views from files.) */
#define _GNU_SOURCE
#include <fcntl.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>
#include "check.h"

static void check_view(const char *path) {
    struct stat by_path, by_fd, by_at;
    struct statx by_statx;
    CHECK(stat(path, &by_path) == 0);
    int fd = open(path, O_RDONLY);
    CHECK(fd >= 0);
    CHECK(fstat(fd, &by_fd) == 0);
    CHECK(fstatat(fd, "", &by_at, AT_EMPTY_PATH) == 0);
    CHECK(statx(fd, "", AT_EMPTY_PATH, STATX_BASIC_STATS, &by_statx) == 0);
    char c;
    CHECK(read(fd, &c, 1) == 1);
    close(fd);
    printf("%s: mode %04o size %ld; fstat same %d, fstatat same %d, statx same %d\n", path,
           (unsigned)(by_path.st_mode & 07777), (long)by_path.st_size,
           by_fd.st_dev == by_path.st_dev && by_fd.st_ino == by_path.st_ino &&
               by_fd.st_mode == by_path.st_mode && by_fd.st_size == by_path.st_size,
           by_at.st_dev == by_path.st_dev && by_at.st_ino == by_path.st_ino &&
               by_at.st_mode == by_path.st_mode,
           makedev(by_statx.stx_dev_major, by_statx.stx_dev_minor) == by_path.st_dev &&
               by_statx.stx_ino == by_path.st_ino && by_statx.stx_mode == by_path.st_mode);
}

int main(void) {
    check_view("/proc/cpuinfo");
    check_view("/proc/self/maps");
    check_view("/proc/self/cmdline");
    check_view("/proc/self/auxv");
    /* An ordinary unlinked file still stats as itself. */
    int fd = open(".", O_TMPFILE | O_RDWR, 0600);
    CHECK(fd >= 0);
    struct stat st;
    CHECK(fstat(fd, &st) == 0);
    printf("O_TMPFILE: nlink %lu mode %04o\n", (unsigned long)st.st_nlink,
           (unsigned)(st.st_mode & 07777));
    return 0;
}
