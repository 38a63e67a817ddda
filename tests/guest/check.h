/* Shared helpers for the guest programs: every program is compiled on its own with
 * this directory on the include path. CHECK prints the failing condition and exits 1,
 * so a self-check failure shows up as a differing exit status and stderr. */
#ifndef GUEST_CHECK_H
#define GUEST_CHECK_H

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define CHECK(cond)                                                              \
    do {                                                                         \
        if (!(cond)) {                                                           \
            fprintf(stderr, "%s:%d: CHECK failed: %s (errno %d %s)\n", __FILE__, \
                    __LINE__, #cond, errno, strerror(errno));                    \
            exit(1);                                                             \
        }                                                                        \
    } while (0)

/* The name of an errno value, so outputs say "ENOENT" rather than a number. */
static inline const char *errno_name(int e) {
    switch (e) {
    case 0: return "OK";
    case EPERM: return "EPERM";
    case ENOENT: return "ENOENT";
    case ESRCH: return "ESRCH";
    case E2BIG: return "E2BIG";
    case ENOEXEC: return "ENOEXEC";
    case ECHILD: return "ECHILD";
    case EBADF: return "EBADF";
    case EAGAIN: return "EAGAIN";
    case ENOMEM: return "ENOMEM";
    case EACCES: return "EACCES";
    case EFAULT: return "EFAULT";
    case EEXIST: return "EEXIST";
    case ENOTDIR: return "ENOTDIR";
    case EISDIR: return "EISDIR";
    case EINVAL: return "EINVAL";
    case ENOTTY: return "ENOTTY";
    case ESPIPE: return "ESPIPE";
    case ERANGE: return "ERANGE";
    case ENOSYS: return "ENOSYS";
    case ENOTEMPTY: return "ENOTEMPTY";
    case ENAMETOOLONG: return "ENAMETOOLONG";
    case ELOOP: return "ELOOP";
    case EXDEV: return "EXDEV";
    case EPIPE: return "EPIPE";
    case EINTR: return "EINTR";
    case EMFILE: return "EMFILE";
    case EOVERFLOW: return "EOVERFLOW";
    case ENOMSG: return "ENOMSG";
    case EIDRM: return "EIDRM";
    case ENODATA: return "ENODATA";
    case EOPNOTSUPP: return "EOPNOTSUPP";
    case ENOTSOCK: return "ENOTSOCK";
    case EAFNOSUPPORT: return "EAFNOSUPPORT";
    case EBUSY: return "EBUSY";
    case EISCONN: return "EISCONN";
    case ENOTCONN: return "ENOTCONN";
    case EDESTADDRREQ: return "EDESTADDRREQ";
    case EMSGSIZE: return "EMSGSIZE";
    case ECANCELED: return "ECANCELED";
    case ETIMEDOUT: return "ETIMEDOUT";
    case ETXTBSY: return "ETXTBSY";
    case ENODEV: return "ENODEV";
    default: return "E?";
    }
}

/* Prints "label -> ret" or "label -> -1 ENAME" for a libc call's result. */
#define SHOW(label, expr)                                              \
    do {                                                               \
        errno = 0;                                                     \
        long show_r_ = (long)(expr);                                   \
        if (show_r_ < 0)                                               \
            printf("%s -> %ld %s\n", label, show_r_, errno_name(errno)); \
        else                                                           \
            printf("%s -> %ld\n", label, show_r_);                     \
    } while (0)

#endif
