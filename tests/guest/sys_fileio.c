/* File I/O syscalls: openat flag combinations, read/write, lseek in every mode including
 * holes past the end, pread/pwrite (which leave the offset alone), readv/writev,
 * ftruncate, fsync/fdatasync, O_APPEND, and the errno of each common mistake. Works in
 * the current directory, which the harness makes fresh for every run. */
#include <fcntl.h>
#include <stdint.h>
#include <sys/stat.h>
#include <sys/uio.h>
#include <unistd.h>
#include "check.h"

static void show_file(const char *path) {
    char buf[256];
    int fd = open(path, O_RDONLY);
    CHECK(fd >= 0);
    ssize_t n = read(fd, buf, sizeof buf);
    CHECK(n >= 0);
    printf("  %s (%zd bytes): \"", path, n);
    for (ssize_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)buf[i];
        if (c >= 32 && c < 127) putchar(c);
        else printf("\\x%02x", c);
    }
    printf("\"\n");
    close(fd);
}

int main(void) {
    int fd = open("data.txt", O_WRONLY | O_CREAT | O_TRUNC, 0644);
    CHECK(fd >= 0);
    SHOW("write hello", write(fd, "hello, world\n", 13));
    SHOW("write empty", write(fd, "", 0));
    SHOW("read on O_WRONLY", read(fd, (char[4]){0}, 4));
    SHOW("lseek cur", lseek(fd, 0, SEEK_CUR));
    SHOW("lseek set 7", lseek(fd, 7, SEEK_SET));
    SHOW("write WORLD", write(fd, "WORLD", 5));
    SHOW("lseek end", lseek(fd, 0, SEEK_END));
    SHOW("lseek end+10 (hole)", lseek(fd, 10, SEEK_END));
    SHOW("write after hole", write(fd, "tail", 4));
    SHOW("lseek negative", lseek(fd, -100, SEEK_SET));
    SHOW("lseek bad whence", lseek(fd, 0, 42));
    SHOW("fsync", fsync(fd));
    SHOW("fdatasync", fdatasync(fd));
    SHOW("close", close(fd));
    SHOW("close again", close(fd));
    show_file("data.txt");

    fd = open("data.txt", O_RDWR);
    CHECK(fd >= 0);
    char buf[64] = {0};
    SHOW("pread 5@7", pread(fd, buf, 5, 7));
    printf("  pread got \"%.5s\"\n", buf);
    SHOW("offset after pread", lseek(fd, 0, SEEK_CUR));
    SHOW("pwrite 3@0", pwrite(fd, "HEL", 3, 0));
    SHOW("offset after pwrite", lseek(fd, 0, SEEK_CUR));
    SHOW("pread past end", pread(fd, buf, 10, 1000));
    SHOW("pread negative offset", pread(fd, buf, 1, -1));
    SHOW("read all", read(fd, buf, sizeof buf));
    SHOW("read at eof", read(fd, buf, sizeof buf));
    SHOW("ftruncate 5", ftruncate(fd, 5));
    SHOW("ftruncate grow 8", ftruncate(fd, 8));
    SHOW("ftruncate negative", ftruncate(fd, -1));
    struct stat st;
    CHECK(fstat(fd, &st) == 0);
    printf("  size after truncates %ld\n", (long)st.st_size);
    close(fd);
    show_file("data.txt");

    /* Scatter/gather. */
    fd = open("vec.bin", O_RDWR | O_CREAT | O_TRUNC, 0600);
    CHECK(fd >= 0);
    struct iovec out[3] = {{"abc", 3}, {"", 0}, {"defgh", 5}};
    SHOW("writev 3 iovecs", writev(fd, out, 3));
    SHOW("lseek 0", lseek(fd, 0, SEEK_SET));
    char a[2], b[4], c[8] = {0};
    struct iovec in[3] = {{a, 2}, {b, 4}, {c, 8}};
    SHOW("readv", readv(fd, in, 3));
    printf("  readv parts \"%.2s\" \"%.4s\" \"%.2s\"\n", a, b, c);
    volatile int bad_count = -1;
    SHOW("readv bad count", readv(fd, in, bad_count));
    close(fd);

    /* O_APPEND writes always go to the end. */
    fd = open("append.txt", O_WRONLY | O_CREAT | O_APPEND, 0644);
    CHECK(fd >= 0);
    SHOW("append write 1", write(fd, "one\n", 4));
    SHOW("lseek 0", lseek(fd, 0, SEEK_SET));
    SHOW("append write 2", write(fd, "two\n", 4));
    close(fd);
    show_file("append.txt");

    /* Errors. */
    SHOW("open missing", open("no/such/file", O_RDONLY));
    SHOW("open O_EXCL existing", open("append.txt", O_WRONLY | O_CREAT | O_EXCL, 0644));
    SHOW("open dir for writing", open(".", O_WRONLY));
    SHOW("open O_DIRECTORY on file", open("append.txt", O_RDONLY | O_DIRECTORY));
    SHOW("read bad fd", read(-1, buf, 1));
    SHOW("read fd 999", read(999, buf, 1));
    SHOW("write NULL buffer", write(1, NULL, 5));
    fd = open(".", O_RDONLY | O_DIRECTORY);
    SHOW("read a directory", read(fd, buf, 1));
    close(fd);
    char longname[300];
    memset(longname, 'x', sizeof longname - 1);
    longname[sizeof longname - 1] = 0;
    SHOW("open too-long name", open(longname, O_RDONLY | O_CREAT, 0644));
    int p[2];
    CHECK(pipe(p) == 0);
    SHOW("lseek on pipe", lseek(p[0], 0, SEEK_SET));
    SHOW("pread on pipe", pread(p[0], buf, 1, 0));
    close(p[0]);
    close(p[1]);
    /* stdio on top of it all. */
    FILE *f = fopen("stdio.txt", "w+");
    CHECK(f != NULL);
    for (int i = 0; i < 500; i++) fprintf(f, "line %d %s\n", i, i % 3 ? "x" : "yy");
    CHECK(fflush(f) == 0);
    rewind(f);
    long sum = 0, lines = 0;
    char line[64];
    while (fgets(line, sizeof line, f)) {
        lines++;
        for (char *q = line; *q; q++) sum = sum * 31 + *q;
    }
    printf("stdio: %ld lines, hash %ld, ftell %ld\n", lines, sum, ftell(f));
    fclose(f);
    return 0;
}
