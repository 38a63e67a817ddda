/* inotify: watches on a directory, a file and a symlink, the events file operations
 * produce (read as struct inotify_event, the same layout on riscv64 and x86-64), watch
 * removal, and the error paths. */
#define _GNU_SOURCE
#include <fcntl.h>
#include <poll.h>
#include <stdint.h>
#include <sys/inotify.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <unistd.h>
#include "check.h"

#define BAD ((void *)8)

static void show_mask(uint32_t m) {
    static const struct { uint32_t bit; const char *name; } names[] = {
        {IN_ACCESS, "ACCESS"}, {IN_MODIFY, "MODIFY"}, {IN_ATTRIB, "ATTRIB"},
        {IN_CLOSE_WRITE, "CLOSE_WRITE"}, {IN_CLOSE_NOWRITE, "CLOSE_NOWRITE"},
        {IN_OPEN, "OPEN"}, {IN_MOVED_FROM, "MOVED_FROM"}, {IN_MOVED_TO, "MOVED_TO"},
        {IN_CREATE, "CREATE"}, {IN_DELETE, "DELETE"}, {IN_DELETE_SELF, "DELETE_SELF"},
        {IN_MOVE_SELF, "MOVE_SELF"}, {IN_IGNORED, "IGNORED"}, {IN_ISDIR, "ISDIR"},
    };
    const char *sep = "";
    for (unsigned i = 0; i < sizeof names / sizeof names[0]; i++)
        if (m & names[i].bit) {
            printf("%s%s", sep, names[i].name);
            sep = "|";
        }
}

/* Reads and prints every queued event; returns the cookie of the last one. */
static uint32_t drain(int fd, const char *label) {
    char buf[4096] __attribute__((aligned(8)));
    uint32_t cookie = 0, first_cookie = 0;
    int pending = -1;
    CHECK(ioctl(fd, FIONREAD, &pending) == 0);
    ssize_t n = read(fd, buf, sizeof buf);
    printf("%s: FIONREAD %d, read %zd\n", label, pending, n);
    if (n < 0) {
        printf("  read error %s\n", errno_name(errno));
        return 0;
    }
    for (char *p = buf; p < buf + n;) {
        struct inotify_event *e = (struct inotify_event *)p;
        printf("  wd %d ", e->wd);
        show_mask(e->mask);
        printf(" name \"%s\" len%%8 %u", e->len ? e->name : "", e->len % 8);
        if (e->cookie) {
            if (!first_cookie)
                first_cookie = e->cookie;
            printf(" cookie %s", e->cookie == first_cookie ? "first" : "other");
            cookie = e->cookie;
        }
        printf("\n");
        p += sizeof *e + e->len;
    }
    return cookie;
}

int main(void) {
    SHOW("inotify_init1 bad flags", inotify_init1(1));
    int fd = inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
    CHECK(fd >= 0);
    printf("cloexec %d nonblock %d\n", (fcntl(fd, F_GETFD) & FD_CLOEXEC) != 0,
           (fcntl(fd, F_GETFL) & O_NONBLOCK) != 0);
    char tiny[4];
    SHOW("read empty queue", read(fd, tiny, sizeof tiny));

    CHECK(mkdir("d", 0755) == 0);
    int dwd = inotify_add_watch(fd, "d", IN_CREATE | IN_DELETE | IN_MODIFY | IN_CLOSE_WRITE |
                                             IN_MOVED_FROM | IN_MOVED_TO);
    printf("watch d -> %d\n", dwd);
    SHOW("watch d again, same wd", inotify_add_watch(fd, "d", IN_CREATE));
    SHOW("watch d IN_MASK_CREATE", inotify_add_watch(fd, "d", IN_CREATE | IN_MASK_CREATE));
    SHOW("watch d IN_MASK_ADD", inotify_add_watch(fd, "d", IN_DELETE | IN_MODIFY |
                                                            IN_CLOSE_WRITE | IN_MOVED_FROM |
                                                            IN_MOVED_TO | IN_MASK_ADD));

    int f = open("d/a", O_WRONLY | O_CREAT, 0644);
    CHECK(f >= 0);
    CHECK(write(f, "x", 1) == 1);
    close(f);
    CHECK(rename("d/a", "d/b") == 0);
    CHECK(unlink("d/b") == 0);
    CHECK(mkdir("d/sub", 0755) == 0);
    drain(fd, "directory events");
    SHOW("read into 4 bytes, nothing queued", read(fd, tiny, sizeof tiny));
    f = open("d/c", O_WRONLY | O_CREAT, 0644);
    close(f);
    SHOW("read event into 4 bytes", read(fd, tiny, sizeof tiny));
    drain(fd, "after short read");

    int ffd = open("w", O_WRONLY | O_CREAT, 0644);
    CHECK(ffd >= 0);
    close(ffd);
    CHECK(symlink("w", "lnk") == 0);
    int fwd = inotify_add_watch(fd, "lnk", IN_ATTRIB);
    int lwd = inotify_add_watch(fd, "lnk", IN_ATTRIB | IN_DONT_FOLLOW);
    printf("watch through link -> %d, link itself -> %d\n", fwd, lwd);
    CHECK(chmod("w", 0600) == 0);
    drain(fd, "attribute change of the target");

    struct pollfd p = {fd, POLLIN, 0};
    SHOW("poll with nothing queued", poll(&p, 1, 0));
    SHOW("inotify_rm_watch", inotify_rm_watch(fd, fwd));
    SHOW("poll after rm_watch", poll(&p, 1, 0));
    drain(fd, "removal");
    SHOW("inotify_rm_watch again", inotify_rm_watch(fd, fwd));
    SHOW("inotify_rm_watch bad fd", inotify_rm_watch(999, dwd));
    SHOW("inotify_rm_watch non-inotify fd", inotify_rm_watch(0, dwd));

    /* The blocking read of a queued event. */
    int bfd = inotify_init1(0);
    CHECK(bfd >= 0);
    CHECK(inotify_add_watch(bfd, "d", IN_DELETE) == 1);
    CHECK(unlink("d/c") == 0);
    drain(bfd, "blocking descriptor");

    SHOW("watch bad fd", inotify_add_watch(999, "d", IN_CREATE));
    SHOW("watch bad fd, bad path", inotify_add_watch(999, BAD, IN_CREATE));
    SHOW("watch non-inotify fd", inotify_add_watch(0, "d", IN_CREATE));
    SHOW("watch empty mask", inotify_add_watch(fd, "d", 0));
    SHOW("watch empty mask, bad path", inotify_add_watch(fd, BAD, 0));
    SHOW("watch IN_MASK_ADD|IN_MASK_CREATE", inotify_add_watch(fd, "d", IN_CREATE | IN_MASK_ADD | IN_MASK_CREATE));
    SHOW("watch missing path", inotify_add_watch(fd, "none", IN_CREATE));
    SHOW("watch bad path", inotify_add_watch(fd, BAD, IN_CREATE));
    SHOW("watch IN_ONLYDIR on a file", inotify_add_watch(fd, "w", IN_ATTRIB | IN_ONLYDIR));
    close(bfd);
    close(fd);
    return 0;
}
