/* Memory syscalls: brk (grow, shrink, query), malloc/calloc/realloc/free of small sizes
 * (brk heap) and large ones (glibc's mmap threshold), anonymous mmap, file mmap private
 * (copy-on-write, the file is unchanged, file changes show in unwritten pages) and shared
 * (writes reach the file through the page cache, no msync needed), munmap, mprotect,
 * mremap (grow in place or move, contents kept), madvise(MADV_DONTNEED) (anonymous pages
 * zero-filled, private file pages re-read), MAP_FIXED, and errno for bad arguments.
 * Prints facts, never addresses. */
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdint.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>
#include "check.h"

static uint64_t hash(const void *p, size_t n) {
    const unsigned char *b = p;
    uint64_t h = 1469598103934665603ull;
    for (size_t i = 0; i < n; i++) h = (h ^ b[i]) * 1099511628211ull;
    return h;
}

static void brk_tests(void) {
    long page = sysconf(_SC_PAGESIZE);
    uintptr_t start = (uintptr_t)syscall(SYS_brk, 0);
    printf("brk(0) page-aligned or not, nonzero: %d\n", start != 0);
    uintptr_t want = start + 10 * page + 123;
    uintptr_t got = (uintptr_t)syscall(SYS_brk, want);
    printf("brk grow returns request: %d\n", got == want);
    volatile char *heap = (volatile char *)start;
    heap[0] = 1;
    heap[10 * page + 122] = 2;
    printf("new brk memory zeroed and writable: %d\n", heap[5 * page] == 0 && heap[0] == 1);
    got = (uintptr_t)syscall(SYS_brk, start + page);
    printf("brk shrink returns request: %d\n", got == start + page);
    got = (uintptr_t)syscall(SYS_brk, start + 4 * page);
    printf("regrown brk memory is zero again: %d\n", got == start + 4 * page && heap[2 * page] == 0);
    got = (uintptr_t)syscall(SYS_brk, start - 1000 * page);
    printf("brk below start refused (returns current): %d\n", got == start + 4 * page);
    got = (uintptr_t)syscall(SYS_brk, (uintptr_t)1 << 62);
    printf("absurd brk refused (returns current): %d\n", got == start + 4 * page);
    syscall(SYS_brk, start);
    void *s1 = sbrk(0);
    void *s2 = sbrk(4096);
    void *s3 = sbrk(0);
    printf("sbrk: %d\n", s1 == s2 && (char *)s3 == (char *)s2 + 4096);
    sbrk(-4096);
}

static void malloc_tests(void) {
    uint64_t total = 0;
    void *small[256];
    for (int i = 0; i < 256; i++) {
        small[i] = malloc((size_t)(i * 7 + 1));
        CHECK(small[i] != NULL);
        memset(small[i], i, (size_t)(i * 7 + 1));
    }
    for (int i = 0; i < 256; i += 2) free(small[i]);
    for (int i = 1; i < 256; i += 2) total += hash(small[i], (size_t)(i * 7 + 1));
    for (int i = 1; i < 256; i += 2) free(small[i]);
    printf("small malloc checksum %016lx\n", total);

    static const size_t big[] = {100000, 200000, 1 << 20, 5 << 20, 33 << 20};
    for (unsigned i = 0; i < sizeof big / sizeof big[0]; i++) {
        unsigned char *p = malloc(big[i]);
        CHECK(p != NULL);
        p[0] = 1;
        p[big[i] / 2] = 2;
        p[big[i] - 1] = 3;
        printf("malloc %zu: ends writable %d\n", big[i], p[0] + p[big[i] / 2] + p[big[i] - 1] == 6);
        free(p);
    }
    unsigned char *z = calloc(3 << 20, 1);
    size_t nonzero = 0;
    for (size_t i = 0; i < (3u << 20); i += 97) nonzero += z[i] != 0;
    printf("calloc 3MiB all zero: %d\n", nonzero == 0);
    free(z);
    /* realloc growth across the mmap threshold keeps the contents (mremap underneath). */
    size_t n = 1000;
    unsigned char *r = malloc(n);
    for (size_t i = 0; i < n; i++) r[i] = (unsigned char)(i * 13);
    uint64_t h = hash(r, n);
    for (int step = 0; step < 5; step++) {
        n *= 8;
        r = realloc(r, n);
        CHECK(r != NULL);
    }
    printf("realloc to %zu kept contents: %d\n", n, hash(r, 1000) == h);
    r = realloc(r, 10);
    printf("realloc shrink kept prefix: %d\n", r[5] == (unsigned char)(5 * 13));
    free(r);
    errno = 0;
    void *huge = malloc((size_t)1 << 50);
    printf("malloc 2^50 fails with ENOMEM: %d %s\n", huge == NULL, errno_name(errno));
}

static void mmap_tests(void) {
    long page = sysconf(_SC_PAGESIZE);
    printf("page size %ld\n", page);
    unsigned char *a = mmap(NULL, 4 * page, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    CHECK(a != MAP_FAILED);
    printf("anon mmap page-aligned %d zeroed %d\n", ((uintptr_t)a % page) == 0,
           a[0] == 0 && a[4 * page - 1] == 0);
    memset(a, 0xab, 4 * page);
    SHOW("mprotect read-only", mprotect(a, page, PROT_READ));
    printf("still readable after mprotect: %d\n", a[10] == 0xab);
    SHOW("mprotect back to rw", mprotect(a, page, PROT_READ | PROT_WRITE));
    a[10] = 1;
    SHOW("mprotect unaligned", mprotect(a + 1, page, PROT_READ));
    SHOW("madvise DONTNEED", madvise(a + page, page, MADV_DONTNEED));
    printf("after DONTNEED: zero %d, neighbours kept %d\n", a[page] == 0 && a[2 * page - 1] == 0,
           a[0] == 0xab && a[2 * page] == 0xab);
    SHOW("madvise WILLNEED", madvise(a, page, MADV_WILLNEED));
    /* mremap: grow, possibly moving; the contents come along. */
    unsigned char *b = mremap(a, 4 * page, 64 * page, MREMAP_MAYMOVE);
    CHECK(b != MAP_FAILED);
    printf("mremap grown: old contents %d, new tail zero %d\n", b[0] == 0xab && b[3 * page] == 0xab,
           b[63 * page] == 0);
    b = mremap(b, 64 * page, 2 * page, 0);
    printf("mremap shrink in place ok: %d\n", b != MAP_FAILED && b[page + 5] == 0);
    SHOW("mremap without MAYMOVE into nothing", (long)mremap(b, 2 * page, 1L << 40, 0));
    SHOW("munmap", munmap(b, 2 * page));
    SHOW("munmap unaligned", munmap(b + 1, page));
    SHOW("munmap length 0", munmap(b, 0));
    /* MAP_FIXED over a region we own replaces it. */
    unsigned char *c = mmap(NULL, 3 * page, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    memset(c, 7, 3 * page);
    unsigned char *f = mmap(c + page, page, PROT_READ | PROT_WRITE,
                            MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
    printf("MAP_FIXED at requested address %d, replaced page zero %d, neighbours %d\n",
           f == c + page, f[0] == 0, c[0] == 7 && c[2 * page] == 7);
    munmap(c, 3 * page);
    SHOW("mmap length 0", (long)mmap(NULL, 0, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0));
    SHOW("mmap bad fd", (long)mmap(NULL, page, PROT_READ, MAP_PRIVATE, 99, 0));
    SHOW("mmap no MAP_PRIVATE/SHARED", (long)mmap(NULL, page, PROT_READ, MAP_ANONYMOUS, -1, 0));
    SHOW("mmap unaligned offset", (long)mmap(NULL, page, PROT_READ, MAP_PRIVATE, 0, 3));

    /* File mappings. */
    int fd = open("map.bin", O_RDWR | O_CREAT | O_TRUNC, 0644);
    CHECK(fd >= 0);
    char line[64];
    for (int i = 0; i < 1000; i++) {
        int n = snprintf(line, sizeof line, "record %04d\n", i);
        CHECK(write(fd, line, (size_t)n) == n);
    }
    off_t size = lseek(fd, 0, SEEK_END);
    printf("file size %ld\n", (long)size);
    char *priv = mmap(NULL, (size_t)size, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, 0);
    CHECK(priv != MAP_FAILED);
    printf("private map reads file: \"%.11s\"\n", priv + 12 * 500);
    memcpy(priv, "PRIVATE", 7);
    char back[16] = {0};
    CHECK(pread(fd, back, 7, 0) == 7);
    printf("private write not in file: \"%s\"\n", back);
    printf("tail of last page beyond EOF is zero: %d\n",
           priv[size] == 0 && priv[((size + page - 1) / page) * page - 1] == 0);
    /* Until a page is written, a private mapping shows the file's changes; a written
     * page is the process's own copy. */
    CHECK(pwrite(fd, "FILE", 4, page + 12) == 4);
    CHECK(pwrite(fd, "FILE", 4, 2) == 4);
    printf("file change visible in unwritten private page: \"%.4s\"\n", priv + page + 12);
    printf("file change hidden in written private page: \"%.7s\"\n", priv);
    /* MADV_DONTNEED drops the copy: the file's contents come back. */
    SHOW("madvise DONTNEED private file page", madvise(priv, page, MADV_DONTNEED));
    printf("after DONTNEED private page reads the file: \"%.7s\"\n", priv);
    munmap(priv, (size_t)size);

    char *shared = mmap(NULL, (size_t)size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    CHECK(shared != MAP_FAILED);
    memcpy(shared + 12, "SHARED", 6);
    CHECK(pread(fd, back, 6, 12) == 6);
    printf("shared write reached the file: \"%.6s\"\n", back);
    CHECK(pwrite(fd, "WRITE", 5, 24) == 5);
    printf("file write visible in shared map: \"%.5s\"\n", shared + 24);
    munmap(shared, (size_t)size);

    /* An offset mapping of the second page. */
    char *second = mmap(NULL, (size_t)page, PROT_READ, MAP_PRIVATE, fd, page);
    CHECK(second != MAP_FAILED);
    printf("offset map starts at byte %ld: \"%.6s\"\n", page, second);
    munmap(second, (size_t)page);
    int ro = open("map.bin", O_RDONLY);
    SHOW("shared writable map of O_RDONLY fd", (long)mmap(NULL, page, PROT_READ | PROT_WRITE, MAP_SHARED, ro, 0));
    close(ro);
    close(fd);
}

int main(void) {
    /* stdout must not malloc its buffer while brk_tests moves the break under malloc's
     * feet: give it a static one before anything is printed. */
    static char outbuf[1 << 14];
    setvbuf(stdout, outbuf, _IOFBF, sizeof outbuf);
    brk_tests();
    malloc_tests();
    mmap_tests();
    return 0;
}
