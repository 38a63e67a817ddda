/* #! scripts: one with a host interpreter (/bin/sh) runs on the host; ones whose
 * interpreter is this RISC-V program run under the VM with Linux's argv: the interpreter
 * path, the optional argument (one string, inner spaces kept, outer blanks trimmed), the
 * script path as passed to execve, then argv[1..] (the caller's argv[0] is dropped). */
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include "check.h"

static char self[512];

static void script(const char *name, const char *text) {
    FILE *f = fopen(name, "w");
    CHECK(f);
    fputs(text, f);
    fclose(f);
    CHECK(chmod(name, 0755) == 0);
}

static void run(char *const argv[], const char *path) {
    pid_t p = fork();
    if (p == 0) {
        execv(path, argv);
        printf("exec %s failed: %s\n", path, errno_name(errno));
        _exit(127);
    }
    int st;
    CHECK(waitpid(p, &st, 0) == p);
    printf("%s: exited %d\n", path, WEXITSTATUS(st));
}

int main(int argc, char **argv) {
    setvbuf(stdout, NULL, _IONBF, 0);
    ssize_t sn = readlink("/proc/self/exe", self, sizeof self - 1);
    CHECK(sn > 0);
    self[sn] = 0;
    if (argc > 1 && strcmp(argv[0], self) == 0) {
        /* Running as a script's interpreter. */
        printf("interpreter: argc %d, argv[0] is the interpreter\n", argc);
        for (int i = 1; i < argc; i++) printf("  argv[%d] [%s]\n", i, argv[i]);
        return 5;
    }
    script("host.sh", "#!/bin/sh\necho host script: $0 $# $1\nexit 4\n");
    char line[700];
    snprintf(line, sizeof line, "#!%s  one arg \t\nignored\n", self);
    script("guest-arg.sh", line);
    snprintf(line, sizeof line, "#! \t%s\n", self);
    script("guest-noarg.sh", line);
    char *a1[] = {"dropped-argv0", "first", NULL};
    run(a1, "./host.sh");
    char *a2[] = {"dropped-argv0", "x", "y z", NULL};
    run(a2, "./guest-arg.sh");
    char *a3[] = {"dropped-argv0", NULL};
    run(a3, "guest-noarg.sh");
    return 0;
}
