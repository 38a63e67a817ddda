/* mount(2) and umount2(2): the errors Linux gives before it checks privileges (bad
 * pointers for the type, source, data and target, a type longer than PATH_MAX, data
 * readable only in part, MS_NOUSER, unknown umount2 flags), then a bind mount of a
 * directory and of a file, seen through the mount point and removed again (or EPERM
 * without CAP_SYS_ADMIN, the same for both runners). Runs in a fresh directory. */
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>
#include "check.h"

#define BAD ((void *)8)

static void show(const char *label, long rc) {
    if (rc == 0)
        printf("%s: 0\n", label);
    else
        printf("%s: -1 %s\n", label, errno_name(errno));
}

static long sys_mount(const void *src, const void *dst, const void *type, unsigned long flags,
                      const void *data) {
    return syscall(SYS_mount, src, dst, type, flags, data);
}

int main(void) {
    CHECK(mkdir("d", 0755) == 0);
    CHECK(mkdir("mnt", 0755) == 0);
    int fd = open("d/inner", O_CREAT | O_WRONLY, 0644);
    CHECK(fd >= 0);
    CHECK(write(fd, "inner\n", 6) == 6);
    close(fd);
    fd = open("file", O_CREAT | O_WRONLY, 0644);
    CHECK(fd >= 0);
    close(fd);
    fd = open("mntf", O_CREAT | O_WRONLY, 0644);
    CHECK(fd >= 0);
    close(fd);

    show("bad type", sys_mount("d", "mnt", BAD, MS_BIND, NULL));
    show("bad source", sys_mount(BAD, "mnt", "none", MS_BIND, NULL));
    show("bad data", sys_mount("d", "mnt", "none", MS_BIND, BAD));
    show("bad target", sys_mount("d", BAD, "none", MS_BIND, NULL));
    show("missing target", sys_mount("d", "nonexistent", NULL, MS_BIND, NULL));
    char *long_type = malloc(5000);
    memset(long_type, 'x', 4999);
    long_type[4999] = 0;
    show("type too long", sys_mount("d", "mnt", long_type, MS_BIND, NULL));
    /* A type of exactly PATH_MAX - 1 characters is copied; then MS_NOUSER refuses. */
    long_type[4095] = 0;
    show("long type, MS_NOUSER", sys_mount("d", "mnt", long_type, MS_NOUSER, NULL));
    free(long_type);
    /* Data whose page runs into an unmapped one: the readable part is enough. */
    char *pages = mmap(NULL, 8192, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    CHECK(pages != MAP_FAILED);
    CHECK(munmap(pages + 4096, 4096) == 0);
    strcpy(pages + 4090, "mode");
    show("partial data, MS_NOUSER", sys_mount("d", "mnt", "none", MS_NOUSER, pages + 4090));
    show("umount2 bad flags", syscall(SYS_umount2, "mnt", 0x100));
    show("umount2 bad target", syscall(SYS_umount2, BAD, 0));

    long rc = sys_mount("d", "mnt", NULL, MS_BIND, NULL);
    if (rc != 0) {
        printf("bind: -1 %s\n", errno == EPERM ? "EPERM (unprivileged)" : errno_name(errno));
        return 0;
    }
    struct stat st;
    printf("bind dir: inner visible: %d\n", stat("mnt/inner", &st) == 0);
    show("umount2 busy-free", umount2("mnt", 0));
    printf("after umount: inner visible: %d\n", stat("mnt/inner", &st) == 0);
    show("bind file", sys_mount("d/inner", "mntf", NULL, MS_BIND, NULL));
    CHECK(stat("mntf", &st) == 0);
    printf("mntf size %ld\n", (long)st.st_size);
    show("umount2 detach", umount2("mntf", MNT_DETACH));
    CHECK(stat("mntf", &st) == 0);
    printf("mntf size %ld\n", (long)st.st_size);
    return 0;
}
