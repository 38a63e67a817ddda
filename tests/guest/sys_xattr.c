/* Extended attributes: get/set/list/remove by path, by path without following a
 * symlink, and by descriptor, with their error paths. user.* attributes need a file
 * system that has them; if the working directory's does not, every call says so the
 * same way under any runner. Sizes past XATTR_SIZE_MAX, where qemu 7.2 fails early
 * with EFAULT, are in tests/exec/xattr_sizes.c. */
#define _GNU_SOURCE
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/xattr.h>
#include <unistd.h>
#include "check.h"

#define BAD ((void *)8)

/* Prints a name list, NULs shown as '|'. */
static void show_list(const char *label, const char *list, ssize_t n) {
    printf("%s -> %zd \"", label, n);
    for (ssize_t i = 0; i < n; i++)
        putchar(list[i] ? list[i] : '|');
    printf("\"\n");
}

int main(void) {
    int fd = open("f", O_RDWR | O_CREAT | O_TRUNC, 0644);
    CHECK(fd >= 0);
    CHECK(symlink("f", "l") == 0);
    CHECK(mkdir("d", 0755) == 0);

    errno = 0;
    if (setxattr("f", "user.a", "hello", 5, 0) != 0) {
        printf("user xattrs unsupported here: %s\n", errno_name(errno));
        return 0;
    }
    char buf[128];
    SHOW("getxattr size 0", getxattr("f", "user.a", NULL, 0));
    memset(buf, 0, sizeof buf);
    SHOW("getxattr", getxattr("f", "user.a", buf, sizeof buf));
    printf("value \"%s\"\n", buf);
    SHOW("getxattr small buffer", getxattr("f", "user.a", buf, 2));
    SHOW("getxattr through link", getxattr("l", "user.a", buf, sizeof buf));
    SHOW("lgetxattr on link", lgetxattr("l", "user.a", buf, sizeof buf));
    SHOW("lgetxattr on file", lgetxattr("f", "user.a", buf, sizeof buf));
    SHOW("fgetxattr", fgetxattr(fd, "user.a", buf, sizeof buf));
    SHOW("getxattr missing attr", getxattr("f", "user.none", buf, sizeof buf));
    SHOW("getxattr missing file", getxattr("none", "user.a", buf, sizeof buf));

    SHOW("setxattr XATTR_CREATE existing", setxattr("f", "user.a", "x", 1, XATTR_CREATE));
    SHOW("setxattr XATTR_REPLACE missing", setxattr("f", "user.b", "x", 1, XATTR_REPLACE));
    SHOW("setxattr XATTR_REPLACE", setxattr("f", "user.a", "replaced", 8, XATTR_REPLACE));
    SHOW("setxattr bad flags", setxattr("f", "user.a", "x", 1, 4));
    SHOW("setxattr no namespace", setxattr("f", "plain", "x", 1, 0));
    SHOW("setxattr unknown namespace", setxattr("f", "bogus.a", "x", 1, 0));
    SHOW("lsetxattr user. on symlink", lsetxattr("l", "user.a", "x", 1, 0));
    SHOW("setxattr through link", setxattr("l", "user.c", "via link", 8, 0));
    SHOW("fsetxattr empty value", fsetxattr(fd, "user.b", "", 0, 0));
    SHOW("fgetxattr empty value", fgetxattr(fd, "user.b", buf, sizeof buf));
    SHOW("setxattr on dir", setxattr("d", "user.dir", "1", 1, 0));
    memset(buf, 0, sizeof buf);
    SHOW("getxattr on dir", getxattr("d", "user.dir", buf, sizeof buf));
    printf("dir value \"%s\"\n", buf);

    ssize_t need = listxattr("f", NULL, 0);
    printf("listxattr size 0 -> %zd\n", need);
    char list[256];
    ssize_t n = listxattr("f", list, sizeof list);
    show_list("listxattr", list, n);
    n = llistxattr("l", list, sizeof list);
    show_list("llistxattr on link", list, n);
    n = flistxattr(fd, list, sizeof list);
    show_list("flistxattr", list, n);
    SHOW("listxattr small buffer", listxattr("f", list, 3));

    /* Error paths: bad pointers, names, sizes, descriptors. */
    char longname[300];
    memset(longname, 'n', sizeof longname);
    memcpy(longname, "user.", 5);
    longname[299] = 0;
    SHOW("getxattr empty name", getxattr("f", "", buf, sizeof buf));
    SHOW("getxattr long name", getxattr("f", longname, buf, sizeof buf));
    SHOW("setxattr long name", setxattr("f", longname, "x", 1, 0));
    SHOW("getxattr bad name", getxattr("f", BAD, buf, sizeof buf));
    SHOW("getxattr bad path", getxattr(BAD, "user.a", buf, sizeof buf));
    SHOW("getxattr bad value", getxattr("f", "user.a", BAD, sizeof buf));
    SHOW("getxattr bad value, size 0", getxattr("f", "user.a", BAD, 0));
    SHOW("setxattr bad value", setxattr("f", "user.x", BAD, 3, 0));
    SHOW("setxattr bad value, size 0", setxattr("f", "user.x", BAD, 0, 0));
    SHOW("listxattr bad list", listxattr("f", BAD, 64));
    SHOW("fgetxattr bad fd", fgetxattr(999, "user.a", buf, sizeof buf));
    SHOW("fgetxattr bad fd, bad name", fgetxattr(999, BAD, buf, sizeof buf));
    SHOW("fsetxattr bad fd, bad value", fsetxattr(999, "user.a", BAD, 3, 0));
    SHOW("flistxattr bad fd", flistxattr(-1, list, sizeof list));
    SHOW("fremovexattr bad fd", fremovexattr(999, "user.a"));

    SHOW("removexattr", removexattr("f", "user.a"));
    SHOW("removexattr again", removexattr("f", "user.a"));
    SHOW("lremovexattr on link", lremovexattr("l", "user.c"));
    SHOW("removexattr through link", removexattr("l", "user.c"));
    SHOW("fremovexattr", fremovexattr(fd, "user.b"));
    SHOW("removexattr bad name", removexattr("f", BAD));
    SHOW("listxattr after removal", listxattr("f", list, sizeof list));
    close(fd);
    return 0;
}
