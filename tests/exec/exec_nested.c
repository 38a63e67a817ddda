/* Guest execs nested three deep: each stage forks a child that execs this program again
 * through the path the stage was started by (argv[0]), then waits for it. The suite also
 * runs it under a vm started inside a new root without /proc (see exec_programs.rs), where
 * the first vm finds its own executable only by how it was invoked and hands it down to
 * the vms it starts. */
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>
#include "check.h"

int main(int argc, char **argv) {
    setvbuf(stdout, NULL, _IONBF, 0);
    int depth = argc > 1 ? atoi(argv[1]) : 0;
    printf("depth %d: started\n", depth);
    if (depth == 3) return 3;
    pid_t pid = fork();
    CHECK(pid >= 0);
    if (pid == 0) {
        char next[16];
        snprintf(next, sizeof next, "%d", depth + 1);
        execl(argv[0], argv[0], next, (char *)NULL);
        printf("depth %d: exec failed: %s\n", depth, errno_name(errno));
        _exit(127);
    }
    int status;
    CHECK(waitpid(pid, &status, 0) == pid);
    CHECK(WIFEXITED(status));
    printf("depth %d: child exited %d\n", depth, WEXITSTATUS(status));
    return depth;
}
