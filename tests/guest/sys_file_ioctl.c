/* The file ioctls the VFS answers for every regular file, which copy tools try first:
 * FICLONE and FICLONERANGE (reflink; a file system without it says EOPNOTSUPP or EXDEV,
 * never ENOTTY, and CPython's pathlib copy gives up on anything else), FIGETBSZ,
 * FS_IOC_GETFLAGS and FS_IOC_SETFLAGS, and a terminal request on a file (ENOTTY). */
#define _GNU_SOURCE
#include <fcntl.h>
#include <linux/fs.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <unistd.h>
#include "check.h"

int main(void) {
    int src = open("ioctl-src", O_RDWR | O_CREAT | O_TRUNC, 0600);
    int dst = open("ioctl-dst", O_RDWR | O_CREAT | O_TRUNC, 0600);
    CHECK(src >= 0 && dst >= 0);
    char block[4096];
    memset(block, 'a', sizeof block);
    CHECK(write(src, block, sizeof block) == sizeof block);

    errno = 0;
    int r = ioctl(dst, FICLONE, src);
    /* Whether the file system can share extents varies; the answer is never ENOTTY. */
    printf("FICLONE: %s\n", r == 0 ? "cloned"
                            : (errno == EOPNOTSUPP || errno == EXDEV || errno == EINVAL)
                                ? "not supported here"
                                : errno_name(errno));
    struct file_clone_range range = {.src_fd = src, .src_offset = 0, .src_length = 4096,
                                     .dest_offset = 0};
    errno = 0;
    r = ioctl(dst, FICLONERANGE, &range);
    printf("FICLONERANGE: %s\n", r == 0 ? "cloned"
                                 : (errno == EOPNOTSUPP || errno == EXDEV || errno == EINVAL)
                                     ? "not supported here"
                                     : errno_name(errno));
    SHOW("FICLONE from a bad fd", ioctl(dst, FICLONE, 99));
    SHOW("FICLONE on a bad fd", ioctl(99, FICLONE, src));
    SHOW("FICLONERANGE with a bad pointer", ioctl(dst, FICLONERANGE, (void *)8));

    int bsz = -1;
    struct stat st;
    CHECK(fstat(src, &st) == 0);
    SHOW("FIGETBSZ", ioctl(src, FIGETBSZ, &bsz));
    printf("FIGETBSZ is st_blksize: %d\n", bsz == st.st_blksize);
    int flags = -1;
    SHOW("FS_IOC_GETFLAGS", ioctl(src, FS_IOC_GETFLAGS, &flags));
    SHOW("FS_IOC_SETFLAGS (unchanged)", ioctl(src, FS_IOC_SETFLAGS, &flags));
    int avail = -1;
    CHECK(lseek(src, 1000, SEEK_SET) == 1000);
    SHOW("FIONREAD on a file", ioctl(src, FIONREAD, &avail));
    printf("FIONREAD: %d\n", avail);
    SHOW("TIOCGPTN on a file", ioctl(src, TIOCGPTN, &avail));
    unlink("ioctl-src");
    unlink("ioctl-dst");
    return 0;
}
