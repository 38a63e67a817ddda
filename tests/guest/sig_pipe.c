/* Writing to a pipe nobody reads: EPIPE when SIGPIPE is ignored, the handler when one
 * is installed, death by SIGPIPE by default. */
#include "check.h"
#include <signal.h>
#include <unistd.h>

static volatile int got;
static void on_pipe(int sig) { got = sig; }

int main(void) {
    int fds[2];
    CHECK(pipe(fds) == 0);
    close(fds[0]);
    signal(SIGPIPE, SIG_IGN);
    errno = 0;
    printf("ignored: %zd %s\n", write(fds[1], "x", 1), errno_name(errno));
    signal(SIGPIPE, on_pipe);
    errno = 0;
    ssize_t n = write(fds[1], "x", 1);
    printf("handled: %zd %s got %d\n", n, errno_name(errno), got);
    signal(SIGPIPE, SIG_DFL);
    fflush(stdout);
    write(fds[1], "x", 1);
    puts("not reached");
    return 0;
}
