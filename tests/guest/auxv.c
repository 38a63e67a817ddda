// args: alpha "two words" "" --flag=x
// env: GUEST_GREETING=hello from -E
// unset: HOME
/* The initial process state as Linux builds it: argc/argv (including an empty argument
 * and one with spaces), envp right after argv's NULL, the auxiliary vector (AT_PAGESZ,
 * AT_HWCAP with the IMAFDC letters, AT_RANDOM pointing at 16 readable bytes, AT_PHDR and
 * AT_PHNUM describing our own program headers, AT_ENTRY our entry point, AT_EXECFN,
 * AT_SECURE, the ids) and the environment, sorted, including a variable set with -E
 * and without HOME, which the harness sets and -U removes. */
#include <elf.h>
#include <stdint.h>
#include <string.h>
#include <sys/auxv.h>
#include <unistd.h>
#include "check.h"

extern char **environ;
extern const Elf64_Ehdr __ehdr_start;
extern char _start[];

static int cmp_str(const void *a, const void *b) {
    return strcmp(*(char *const *)a, *(char *const *)b);
}

int main(int argc, char **argv, char **envp) {
    printf("argc=%d\n", argc);
    for (int i = 0; i < argc; i++) printf("argv[%d]=\"%s\"\n", i, argv[i]);
    printf("argv[argc] is NULL: %d\n", argv[argc] == NULL);
    printf("envp follows argv: %d, environ == envp: %d\n", envp == argv + argc + 1, environ == envp);

    printf("AT_PAGESZ=%lu\n", getauxval(AT_PAGESZ));
    unsigned long hwcap = getauxval(AT_HWCAP);
    unsigned long want = 0;
    for (const char *l = "IMAFDC"; *l; l++) want |= 1ul << (*l - 'A');
    printf("AT_HWCAP nonzero: %d, has IMAFDC: %d\n", hwcap != 0, (hwcap & want) == want);
    const unsigned char *rnd = (const unsigned char *)getauxval(AT_RANDOM);
    unsigned sum = 0;
    for (int i = 0; rnd && i < 16; i++) sum += rnd[i];
    printf("AT_RANDOM non-null and 16 bytes readable: %d\n", rnd != NULL && sum < 16 * 256);
    const Elf64_Phdr *phdr = (const Elf64_Phdr *)getauxval(AT_PHDR);
    printf("AT_PHDR is our program headers: %d\n",
           phdr == (const Elf64_Phdr *)((const char *)&__ehdr_start + __ehdr_start.e_phoff));
    printf("AT_PHNUM=%lu matches e_phnum: %d\n", getauxval(AT_PHNUM),
           getauxval(AT_PHNUM) == __ehdr_start.e_phnum);
    printf("AT_PHENT=%lu\n", getauxval(AT_PHENT));
    printf("AT_ENTRY is _start: %d\n", getauxval(AT_ENTRY) == (unsigned long)_start);
    const char *execfn = (const char *)getauxval(AT_EXECFN);
    printf("AT_EXECFN == argv[0]: %d\n", execfn != NULL && strcmp(execfn, argv[0]) == 0);
    printf("AT_SECURE=%lu\n", getauxval(AT_SECURE));
    printf("AT_UID/EUID/GID/EGID match: %d %d %d %d\n", getauxval(AT_UID) == getuid(),
           getauxval(AT_EUID) == geteuid(), getauxval(AT_GID) == getgid(),
           getauxval(AT_EGID) == getegid());
    printf("AT_CLKTCK=%lu\n", getauxval(AT_CLKTCK));
    printf("AT_BASE (no interpreter)=%lu\n", getauxval(AT_BASE));
    printf("ELF header at a page boundary: %d\n", ((uintptr_t)&__ehdr_start & 4095) == 0);
    int local;
    printf("stack is above the program: %d\n", (uintptr_t)&local > (uintptr_t)&__ehdr_start);

    int n = 0;
    while (envp[n]) n++;
    char **sorted = malloc(sizeof(char *) * (size_t)(n + 1));
    memcpy(sorted, envp, sizeof(char *) * (size_t)n);
    qsort(sorted, (size_t)n, sizeof(char *), cmp_str);
    printf("%d environment variables:\n", n);
    for (int i = 0; i < n; i++) printf("  %s\n", sorted[i]);
    const char *g = getenv("GUEST_GREETING");
    printf("GUEST_GREETING=%s\n", g ? g : "(unset)");
    printf("HOME is unset: %d\n", getenv("HOME") == NULL);
    free(sorted);
    return 0;
}
