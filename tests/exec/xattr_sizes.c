/* Extended-attribute sizes past XATTR_SIZE_MAX (64 KiB): Linux clamps a larger buffer
 * size to it (reads and lists) or refuses the value (E2BIG, after the flags check)
 * before it looks at the path or the buffer. qemu 7.2 checks the whole guest buffer
 * first and fails with EFAULT, so these are checked against Linux's answers. None of
 * them needs a file system with extended attributes. */
#define _GNU_SOURCE
#include <sys/xattr.h>
#include "check.h"

int main(void) {
    char buf[64];
    SHOW("getxattr 1 MiB buffer, missing file", getxattr("none", "user.a", buf, 1 << 20));
    SHOW("lgetxattr 1 MiB buffer, missing file", lgetxattr("none", "user.a", buf, 1 << 20));
    SHOW("listxattr 1 MiB buffer, missing file", listxattr("none", buf, 1 << 20));
    SHOW("setxattr 70000 bytes", setxattr("none", "user.a", buf, 70000, 0));
    SHOW("setxattr 70000 bytes, bad flags", setxattr("none", "user.a", buf, 70000, 8));
    SHOW("fsetxattr 70000 bytes, bad descriptor", fsetxattr(999, "user.a", buf, 70000, 0));
    return 0;
}
