/* The procfs files vm generates for the guest are the same when opened relative to a
 * descriptor of /proc or /proc/self, or to a working directory there, as by their
 * absolute path: util-linux's lscpu opens `openat(open("/proc"), "cpuinfo")`, and got
 * the host's x86-64 /proc/cpuinfo (vendor AuthenticAMD, x86 flags) under vm. (qemu
 * cannot be the reference: 7.2 has no RISC-V /proc/cpuinfo.) */
#define _GNU_SOURCE
#include <fcntl.h>
#include <unistd.h>
#include "check.h"

/* The first line of `path` opened relative to `dir` (a descriptor or AT_FDCWD). */
static void first_line(int dir, const char *path, char *out, size_t size) {
    int fd = openat(dir, path, O_RDONLY);
    CHECK(fd >= 0);
    ssize_t n = read(fd, out, size - 1);
    CHECK(n > 0);
    out[n] = 0;
    char *nl = strchr(out, '\n');
    if (nl)
        *nl = 0;
    close(fd);
}

/* Whether `path` from `dir` has the same contents as the absolute `abs`. */
static int same(int dir, const char *path, const char *abs) {
    char a[4096], b[4096];
    first_line(dir, path, a, sizeof a);
    first_line(AT_FDCWD, abs, b, sizeof b);
    return strcmp(a, b) == 0;
}

int main(void) {
    int proc = open("/proc", O_RDONLY | O_DIRECTORY);
    int self = open("/proc/self", O_RDONLY | O_DIRECTORY);
    CHECK(proc >= 0 && self >= 0);
    char line[4096];
    first_line(proc, "cpuinfo", line, sizeof line);
    printf("cpuinfo from /proc: %s\n", line);
    /* A RISC-V hart's stanza has an isa line; an x86-64 one has vendor_id and flags. */
    char all[16384];
    int fd = openat(proc, "./cpuinfo", O_RDONLY);
    CHECK(fd >= 0);
    ssize_t n = read(fd, all, sizeof all - 1);
    CHECK(n > 0);
    all[n] = 0;
    close(fd);
    printf("isa line %d, vendor_id line %d\n", strstr(all, "\nisa\t") != NULL,
           strstr(all, "vendor_id") != NULL);
    printf("self/maps from /proc: %d\n", same(proc, "self/maps", "/proc/self/maps"));
    printf("maps from /proc/self: %d\n", same(self, "maps", "/proc/self/maps"));
    printf("cmdline from /proc/self: %d\n", same(self, "cmdline", "/proc/self/cmdline"));
    CHECK(chdir("/proc/self") == 0);
    printf("maps from the working directory: %d\n", same(AT_FDCWD, "maps", "/proc/self/maps"));
    CHECK(chdir("/proc") == 0);
    printf("cpuinfo from the working directory: %d\n", same(AT_FDCWD, "cpuinfo", "/proc/cpuinfo"));
    return 0;
}
