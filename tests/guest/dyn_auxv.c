// link: dynamic
// ldso: yes
/* The auxiliary vector of a dynamic program, as Linux builds it: AT_BASE is where the
 * dynamic linker was loaded (non-zero, and the base dl_iterate_phdr reports for it),
 * AT_ENTRY is the program's entry (not the dynamic linker's), AT_PHDR/AT_PHNUM/AT_PHENT
 * describe the program's own headers, AT_EXECFN is the path it was run as, and the heap
 * starts above the program, not above the dynamic linker. Prints relations only, never
 * addresses. Run through the dynamic linker directly (`[ld.so]`), AT_BASE is 0. */
#define _GNU_SOURCE
#include <elf.h>
#include <link.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/auxv.h>
#include <unistd.h>

extern char _start[];
extern char _end[];
extern const ElfW(Ehdr) __ehdr_start;

static uintptr_t interp_base = 1;
static int objects;

static int visit(struct dl_phdr_info *info, size_t size, void *data) {
    (void)size;
    (void)data;
    objects++;
    if (strstr(info->dlpi_name, "ld-linux-riscv64") != NULL) interp_base = info->dlpi_addr;
    return 0;
}

int main(int argc, char **argv) {
    (void)argc;
    unsigned long base = getauxval(AT_BASE);
    unsigned long entry = getauxval(AT_ENTRY);
    const ElfW(Phdr) *phdr = (const ElfW(Phdr) *)getauxval(AT_PHDR);
    printf("AT_BASE non-zero: %d\n", base != 0);
    printf("AT_ENTRY is the program's _start: %d\n", entry == (uintptr_t)_start);
    printf("AT_PHDR is the program's headers: %d\n",
           phdr == (const ElfW(Phdr) *)((const char *)&__ehdr_start + __ehdr_start.e_phoff));
    printf("AT_PHNUM matches: %d, AT_PHENT: %lu\n", getauxval(AT_PHNUM) == __ehdr_start.e_phnum,
           getauxval(AT_PHENT));
    const char *execfn = (const char *)getauxval(AT_EXECFN);
    printf("AT_EXECFN is argv[0]: %d\n", execfn != NULL && strcmp(execfn, argv[0]) == 0);
    dl_iterate_phdr(visit, NULL);
    printf("loaded objects: %d\n", objects);
    printf("AT_BASE is the dynamic linker's load base: %d\n", interp_base == base);
    printf("program below the dynamic linker: %d\n", base == 0 || (uintptr_t)_end < base);
    char *brk0 = sbrk(0);
    printf("heap starts after the program: %d\n", brk0 >= _end);
    printf("heap below the dynamic linker: %d\n", base == 0 || (uintptr_t)brk0 < base);
    return 0;
}
