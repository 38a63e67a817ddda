/* execve failures come back as Linux's errnos and the process goes on: a missing file
 * (ENOENT), a path through a regular file (ENOTDIR), a directory (EACCES), a file without
 * execute permission (EACCES), an executable of unknown format (ENOEXEC), a script whose
 * interpreter is missing (ENOENT), an empty #! line (ENOEXEC), bad path and argv pointers
 * (EFAULT), an argument longer than 128 KiB and arguments beyond the 2 MiB limit (E2BIG),
 * and execveat flags Linux does not know (EINVAL). */
#define _GNU_SOURCE
#include <fcntl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>
#include "check.h"

static char *args[] = {"x", NULL};
static char *env[] = {NULL};

static void file(const char *name, const char *text, int mode) {
    FILE *f = fopen(name, "w");
    CHECK(f);
    fputs(text, f);
    fclose(f);
    CHECK(chmod(name, mode) == 0);
}

static void try(const char *what, const char *path, char **argv) {
    errno = 0;
    int r = execve(path, argv, env);
    printf("%-34s %d %s\n", what, r, errno_name(errno));
}

int main(void) {
    setvbuf(stdout, NULL, _IONBF, 0);
    file("plain.txt", "just text\n", 0644);
    file("garbage", "this is not a program\n", 0755);
    file("nointerp.sh", "#!/nonexistent/interpreter\n", 0755);
    file("empty.sh", "#!   \n", 0755);
    CHECK(mkdir("dir", 0755) == 0);
    try("missing file", "./no-such-program", args);
    try("path through a regular file", "./plain.txt/x", args);
    try("directory", "dir", args);
    try("not executable", "plain.txt", args);
    try("unknown format", "./garbage", args);
    try("script with a missing interpreter", "./nointerp.sh", args);
    try("empty #! line", "./empty.sh", args);
    try("bad path pointer", (const char *)16, args);
    try("bad argv pointer", "/proc/self/exe", (char **)16);
    char *bad_string[] = {"x", (char *)16, NULL};
    try("bad argument string", "/proc/self/exe", bad_string);
    size_t big = 200 * 1024;
    char *huge = malloc(big + 1);
    memset(huge, 'a', big);
    huge[big] = 0;
    char *one_huge[] = {"x", huge, NULL};
    try("argument over 128 KiB", "/proc/self/exe", one_huge);
    size_t chunk = 100 * 1024, count = 40;
    char **many = calloc(count + 2, sizeof *many);
    many[0] = "x";
    for (size_t i = 1; i <= count; i++) many[i] = huge + big - chunk;
    try("4 MB of arguments", "/proc/self/exe", many);
    errno = 0;
    long r = syscall(SYS_execveat, AT_FDCWD, "/proc/self/exe", args, env, 0x4000);
    printf("%-34s %ld %s\n", "execveat with an unknown flag", r, errno_name(errno));
    printf("still running\n");
    return 0;
}
