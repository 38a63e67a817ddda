/* A program executed with standard descriptors closed finds them closed: stage 1
 * closes stdin and stderr and execve()s itself; stage 2 reports each standard
 * descriptor and then opens a file, which takes the lowest free number, 0. (vm's own
 * runtime start-up used to put /dev/null on them, as Rust programs do.) */
#define _GNU_SOURCE
#include <fcntl.h>
#include <unistd.h>
#include "check.h"

static const char *state(int fd) {
    return fcntl(fd, F_GETFD) >= 0 ? "open" : errno_name(errno);
}

int main(int argc, char **argv) {
    setvbuf(stdout, NULL, _IONBF, 0);
    if (argc > 1 && strcmp(argv[1], "stage2") == 0) {
        printf("fd 0: %s\n", state(0));
        printf("fd 1: %s\n", state(1));
        printf("fd 2: %s\n", state(2));
        printf("open -> %d\n", open("/proc/self/exe", O_RDONLY));
        printf("open -> %d\n", open("/proc/self/exe", O_RDONLY));
        return 0;
    }
    CHECK(close(0) == 0);
    CHECK(close(2) == 0);
    char *args[] = {argv[0], "stage2", NULL};
    execv("/proc/self/exe", args);
    printf("execv failed: %s\n", errno_name(errno));
    return 1;
}
