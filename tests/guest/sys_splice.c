/* Pipe transfers and file syncing: splice (with and without offsets), tee, vmsplice in
 * both directions, copy_file_range, readahead, sync, syncfs, sync_file_range, and their
 * error paths. */
#define _GNU_SOURCE
#include <fcntl.h>
#include <string.h>
#include <sys/uio.h>
#include <unistd.h>
#include "check.h"

#define BAD ((void *)8)

/* Reads what is there and prints it, NULs as '.'. */
static void show_read(const char *label, int fd) {
    char buf[64];
    ssize_t n = read(fd, buf, sizeof buf);
    printf("%s: %zd \"", label, n);
    for (ssize_t i = 0; i < n; i++)
        putchar(buf[i] ? buf[i] : '.');
    printf("\"\n");
}

static void show_file(const char *label, const char *path) {
    int fd = open(path, O_RDONLY);
    CHECK(fd >= 0);
    show_read(label, fd);
    close(fd);
}

int main(void) {
    int src = open("src", O_RDWR | O_CREAT | O_TRUNC, 0644);
    CHECK(src >= 0);
    CHECK(write(src, "0123456789abcdef", 16) == 16);
    CHECK(lseek(src, 0, SEEK_SET) == 0);
    int dst = open("dst", O_RDWR | O_CREAT | O_TRUNC, 0644);
    CHECK(dst >= 0);
    int p[2], q[2];
    CHECK(pipe(p) == 0 && pipe(q) == 0);

    loff_t off = 2;
    SHOW("splice file at 2 -> pipe", splice(src, &off, p[1], NULL, 5, 0));
    printf("offset now %lld, file position %lld\n", (long long)off, (long long)lseek(src, 0, SEEK_CUR));
    loff_t doff = 3;
    SHOW("splice pipe -> file at 3", splice(p[0], NULL, dst, &doff, 5, 0));
    printf("dst offset now %lld\n", (long long)doff);
    show_file("dst", "dst");
    SHOW("splice file (position) -> pipe", splice(src, NULL, p[1], NULL, 4, 0));
    printf("file position %lld\n", (long long)lseek(src, 0, SEEK_CUR));
    show_read("pipe", p[0]);
    SHOW("splice empty pipe, nonblocking", splice(p[0], NULL, dst, NULL, 4, SPLICE_F_NONBLOCK));

    CHECK(write(p[1], "hello", 5) == 5);
    SHOW("tee", tee(p[0], q[1], 64, 0));
    show_read("tee copy", q[0]);
    show_read("original", p[0]);

    struct iovec out[2] = {{"abc", 3}, {"de", 2}};
    SHOW("vmsplice into pipe", vmsplice(p[1], out, 2, 0));
    show_read("pipe", p[0]);
    CHECK(write(p[1], "xyz", 3) == 3);
    char got[8] = {0};
    struct iovec in = {got, sizeof got - 1};
    SHOW("vmsplice out of pipe", vmsplice(p[0], &in, 1, 0));
    printf("got \"%s\"\n", got);
    SHOW("vmsplice nothing", vmsplice(p[1], out, 0, 0));

    loff_t o1 = 10, o2 = 0;
    int cdst = open("copy", O_RDWR | O_CREAT | O_TRUNC, 0644);
    CHECK(cdst >= 0);
    SHOW("copy_file_range", copy_file_range(src, &o1, cdst, &o2, 6, 0));
    printf("offsets %lld %lld\n", (long long)o1, (long long)o2);
    show_file("copy", "copy");

    SHOW("readahead", readahead(src, 0, 4096));
    sync();
    printf("sync returned\n");
    SHOW("syncfs", syncfs(src));
    SHOW("sync_file_range", sync_file_range(dst, 0, 0, SYNC_FILE_RANGE_WAIT_BEFORE | SYNC_FILE_RANGE_WRITE | SYNC_FILE_RANGE_WAIT_AFTER));

    /* Error paths. */
    off = 0;
    SHOW("splice offset on a pipe", splice(p[0], &off, dst, NULL, 4, 0));
    SHOW("splice file -> file", splice(src, NULL, dst, NULL, 4, 0));
    SHOW("splice bad fd", splice(999, NULL, p[1], NULL, 4, 0));
    SHOW("splice bad offset pointer", splice(src, BAD, p[1], NULL, 4, 0));
    SHOW("splice bad flags", splice(src, NULL, p[1], NULL, 4, 0x100));
    SHOW("tee file", tee(src, p[1], 4, 0));
    SHOW("tee bad fd", tee(999, p[1], 4, 0));
    SHOW("vmsplice bad flags", vmsplice(p[1], out, 2, 0x100));
    SHOW("vmsplice bad iovec array", vmsplice(p[1], BAD, 2, 0));
    struct iovec bad = {BAD, 4};
    SHOW("vmsplice bad buffer", vmsplice(p[1], &bad, 1, 0));
    SHOW("vmsplice into a file", vmsplice(dst, out, 2, 0));
    SHOW("vmsplice bad fd", vmsplice(999, out, 2, 0));
    SHOW("vmsplice bad fd, bad flags", vmsplice(999, out, 2, 0x100));
    SHOW("copy_file_range bad flags", copy_file_range(src, NULL, cdst, NULL, 4, 1));
    SHOW("readahead pipe", readahead(p[0], 0, 4096));
    SHOW("readahead bad fd", readahead(999, 0, 4096));
    SHOW("syncfs bad fd", syncfs(999));
    SHOW("sync_file_range bad flags", sync_file_range(dst, 0, 0, 8));
    SHOW("sync_file_range negative offset", sync_file_range(dst, -1, 0, SYNC_FILE_RANGE_WRITE));
    SHOW("sync_file_range pipe", sync_file_range(p[0], 0, 0, SYNC_FILE_RANGE_WRITE));
    SHOW("sync_file_range bad fd", sync_file_range(999, 0, 0, SYNC_FILE_RANGE_WRITE));
    return 0;
}
