/* A vfork child that closes every descriptor above stderr before it execs (what
 * Python's subprocess does), whose exec then fails: it exits 127 and its parent
 * resumes and sees that. (vm keeps a descriptor of its own in the child, which the
 * guest's close_range must leave alone.) */
#define _GNU_SOURCE
#include "check.h"
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

int main(void) {
    for (int round = 0; round < 2; round++) {
        pid_t child = vfork();
        CHECK(child >= 0);
        if (child == 0) {
            if (round == 0)
                syscall(SYS_close_range, 3, ~0U, 0);
            else
                for (int fd = 3; fd < 1024; fd++)
                    close(fd);
            execl("/nonexistent/program", "program", (char *)NULL);
            _exit(127);
        }
        int status;
        CHECK(waitpid(child, &status, 0) == child);
        printf("%s: exit status %d\n", round == 0 ? "close_range" : "close loop",
               WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status));
    }
    return 0;
}
