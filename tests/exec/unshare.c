/* unshare: a thread that unshares CLONE_FS gets its own working directory and umask,
 * one that unshares CLONE_FILES its own descriptor table; CLONE_THREAD, CLONE_SIGHAND
 * and CLONE_VM are EINVAL while other threads exist and succeed, changing nothing, in a
 * single-threaded process; unknown flags are EINVAL. Go's runtime tests unshare
 * CLONE_FS on a locked thread. qemu 7.2 passes every flag to the host, where its own
 * threads make CLONE_THREAD and the rest EINVAL. */
#define _GNU_SOURCE
#include <fcntl.h>
#include <pthread.h>
#include <sched.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "check.h"

static char start_dir[4096];
static int shared_fd = -1;

static void show_cwd(const char *who) {
    char buf[4096];
    CHECK(getcwd(buf, sizeof buf) != NULL);
    const char *rel = strncmp(buf, start_dir, strlen(start_dir)) == 0 ? buf + strlen(start_dir) : buf;
    printf("%s: cwd is start%s\n", who, rel);
}

static void *fs_thread(void *arg) {
    (void)arg;
    SHOW("fs thread: unshare CLONE_FS", unshare(CLONE_FS));
    CHECK(chdir("sub") == 0);
    show_cwd("fs thread");
    printf("fs thread: umask was %03o\n", umask(077));
    printf("fs thread: umask now %03o\n", umask(077));
    return NULL;
}

static void *files_thread(void *arg) {
    (void)arg;
    SHOW("files thread: unshare CLONE_FILES", unshare(CLONE_FILES));
    SHOW("files thread: close the shared descriptor", close(shared_fd));
    SHOW("files thread: fcntl on it", fcntl(shared_fd, F_GETFD));
    return NULL;
}

static void *waiting_thread(void *arg) {
    pause();
    return arg;
}

int main(void) {
    CHECK(getcwd(start_dir, sizeof start_dir) != NULL);
    CHECK(mkdir("sub", 0755) == 0);
    umask(022);

    pthread_t t;
    CHECK(pthread_create(&t, NULL, fs_thread, NULL) == 0);
    CHECK(pthread_join(t, NULL) == 0);
    show_cwd("main");
    printf("main: umask still %03o\n", umask(022));

    shared_fd = open(".", O_RDONLY | O_DIRECTORY);
    CHECK(shared_fd >= 0);
    CHECK(pthread_create(&t, NULL, files_thread, NULL) == 0);
    CHECK(pthread_join(t, NULL) == 0);
    SHOW("main: fcntl on the descriptor the thread closed", fcntl(shared_fd, F_GETFD) >= 0);

    CHECK(pthread_create(&t, NULL, waiting_thread, NULL) == 0);
    SHOW("two threads: unshare CLONE_THREAD", unshare(CLONE_THREAD));
    SHOW("two threads: unshare CLONE_SIGHAND", unshare(CLONE_SIGHAND));
    SHOW("two threads: unshare CLONE_VM", unshare(CLONE_VM));
    SHOW("two threads: unshare CLONE_FS", unshare(CLONE_FS));
    CHECK(pthread_cancel(t) == 0);
    CHECK(pthread_join(t, NULL) == 0);

    SHOW("one thread: unshare CLONE_THREAD", unshare(CLONE_THREAD));
    SHOW("one thread: unshare CLONE_SIGHAND", unshare(CLONE_SIGHAND));
    SHOW("one thread: unshare CLONE_VM", unshare(CLONE_VM));
    SHOW("one thread: unshare 0", unshare(0));
    SHOW("unshare CLONE_VFORK", unshare(CLONE_VFORK));
    SHOW("unshare CLONE_SETTLS", unshare(CLONE_SETTLS));
    CHECK(rmdir("sub") == 0);
    return 0;
}
