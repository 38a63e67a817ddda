/* Programs, scripts and argv[0]s whose names look like options: a script reached
 * through a link named "-u" or "--", and this program run through a link named "--"
 * with an argv[0] of "-x", "--" or "". Linux passes each name through unchanged (as
 * coreutils' env test does with `env -- -u pass`); the process name is the file's own. */
#include <fcntl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include "check.h"

static char self[512];

static void show_comm(void) {
    char comm[64] = {0};
    int fd = open("/proc/self/comm", O_RDONLY);
    CHECK(fd >= 0);
    ssize_t n = read(fd, comm, sizeof comm - 1);
    CHECK(n > 0);
    close(fd);
    printf("  comm %s", comm);
}

static void run(const char *path, char *const argv[]) {
    pid_t p = fork();
    CHECK(p >= 0);
    if (p == 0) {
        execv(path, argv);
        printf("exec %s failed: %s\n", path, errno_name(errno));
        _exit(127);
    }
    int st;
    CHECK(waitpid(p, &st, 0) == p);
    printf("%s: exited %d\n", path, WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st));
}

int main(int argc, char **argv) {
    setvbuf(stdout, NULL, _IONBF, 0);
    ssize_t sn = readlink("/proc/self/exe", self, sizeof self - 1);
    CHECK(sn > 0);
    self[sn] = 0;
    if (argc > 1 && strcmp(argv[argc - 1], "child") == 0) {
        printf("child: argc %d, argv[0] [%s]\n", argc, argv[0]);
        show_comm();
        return 3;
    }
    if (argc > 1 && strcmp(argv[0], self) == 0) {
        printf("interpreter: argc %d\n", argc);
        for (int i = 1; i < argc; i++) printf("  argv[%d] [%s]\n", i, argv[i]);
        show_comm();
        return 5;
    }
    char line[600];
    snprintf(line, sizeof line, "#!%s\n", self);
    FILE *f = fopen("script", "w");
    CHECK(f);
    fputs(line, f);
    fclose(f);
    CHECK(chmod("script", 0755) == 0);
    CHECK(symlink("script", "-u") == 0);
    CHECK(symlink("script", "--") == 0);
    CHECK(symlink(self, "-p") == 0);

    char *a1[] = {"-u", "pass", NULL};
    run("-u", a1);
    char *a2[] = {"--", "--", "-E", NULL};
    run("--", a2);
    char *a3[] = {"-x", "child", NULL};
    run("-p", a3);
    char *a4[] = {"--", "child", NULL};
    run("-p", a4);
    char *a5[] = {"", "child", NULL};
    run("-p", a5);
    return 0;
}
