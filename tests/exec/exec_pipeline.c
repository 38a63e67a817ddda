/* A pipeline of three guest processes, each a fork + execv of this program with a role:
 * gen | upper | count. The stages check the argv[0] they were given. */
#include <ctype.h>
#include <sys/wait.h>
#include <unistd.h>
#include "check.h"

static int run_role(const char *role, const char *argv0) {
    char buf[256];
    ssize_t n;
    if (strcmp(role, "gen") == 0) {
        for (int i = 1; i <= 20; i++) printf("item %d\n", i);
        return strcmp(argv0, "gen-argv0") == 0 ? 0 : 2;
    }
    if (strcmp(role, "upper") == 0) {
        while ((n = read(0, buf, sizeof buf)) > 0) {
            for (ssize_t i = 0; i < n; i++) buf[i] = toupper((unsigned char)buf[i]);
            CHECK(write(1, buf, n) == n);
        }
        return strcmp(argv0, "upper-argv0") == 0 ? 0 : 2;
    }
    if (strcmp(role, "count") == 0) {
        long lines = 0, bytes = 0, upper = 0;
        while ((n = read(0, buf, sizeof buf)) > 0) {
            for (ssize_t i = 0; i < n; i++) {
                lines += buf[i] == '\n';
                upper += buf[i] >= 'A' && buf[i] <= 'Z';
            }
            bytes += n;
        }
        printf("count: %ld lines, %ld bytes, %ld capitals\n", lines, bytes, upper);
        return strcmp(argv0, "count-argv0") == 0 ? 0 : 2;
    }
    return 3;
}

int main(int argc, char **argv) {
    setvbuf(stdout, NULL, _IONBF, 0);
    if (argc > 1) return run_role(argv[1], argv[0]);
    char self[512];
    ssize_t sn = readlink("/proc/self/exe", self, sizeof self - 1);
    CHECK(sn > 0);
    self[sn] = 0;
    int a[2], b[2];
    CHECK(pipe(a) == 0 && pipe(b) == 0);
    pid_t gen = fork();
    if (gen == 0) {
        dup2(a[1], 1);
        close(a[0]), close(a[1]), close(b[0]), close(b[1]);
        execl("/proc/self/exe", "gen-argv0", "gen", (char *)NULL);
        _exit(126);
    }
    pid_t upper = fork();
    if (upper == 0) {
        dup2(a[0], 0);
        dup2(b[1], 1);
        close(a[0]), close(a[1]), close(b[0]), close(b[1]);
        execl(self, "upper-argv0", "upper", (char *)NULL);
        _exit(126);
    }
    pid_t count = fork();
    if (count == 0) {
        dup2(b[0], 0);
        close(a[0]), close(a[1]), close(b[0]), close(b[1]);
        char *args[] = {"count-argv0", "count", NULL};
        execv(self, args);
        _exit(126);
    }
    close(a[0]), close(a[1]), close(b[0]), close(b[1]);
    pid_t pids[] = {gen, upper, count};
    const char *names[] = {"gen", "upper", "count"};
    int st[3];
    for (int i = 0; i < 3; i++) CHECK(waitpid(pids[i], &st[i], 0) == pids[i]);
    for (int i = 0; i < 3; i++)
        printf("%s: exited %d\n", names[i], WIFEXITED(st[i]) ? WEXITSTATUS(st[i]) : -1);
    return 0;
}
