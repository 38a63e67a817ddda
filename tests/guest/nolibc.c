// args: first second
// cflags: -nostdlib -ffreestanding -fno-stack-protector -fno-builtin
// pie: yes
/* A program without libc: its own _start reads argc/argv/envp/auxv straight off the
 * initial stack, prints them with raw write syscalls and leaves with exit_group(3). Also
 * built as a static PIE (ET_DYN, no interpreter), where it applies its own
 * R_RISCV_RELATIVE relocations first, as glibc's static-pie startup does; a pointer table
 * makes sure there are some to apply. */
#include "nolibc.h"

static const char *const words[] = {"zero", "one", "two", "three"};

__attribute__((used)) void cmain(uint64_t *sp) {
    uint64_t argc = sp[0];
    char **argv = (char **)(sp + 1);
    char **envp = argv + argc + 1;
    char **e = envp;
    while (*e) e++;
    Elf64_auxv_t *aux = (Elf64_auxv_t *)(e + 1);
    uint64_t pagesz = 0, entry = 0, phdr = 0, phnum = 0, random = 0;
    for (Elf64_auxv_t *a = aux; a->a_type != AT_NULL; a++) {
        if (a->a_type == AT_PAGESZ) pagesz = a->a_un.a_val;
        if (a->a_type == AT_ENTRY) entry = a->a_un.a_val;
        if (a->a_type == AT_PHDR) phdr = a->a_un.a_val;
        if (a->a_type == AT_PHNUM) phnum = a->a_un.a_val;
        if (a->a_type == AT_RANDOM) random = a->a_un.a_val;
    }
    /* The load bias: where the ELF header really is minus where the file says it is. */
    uintptr_t base = (uintptr_t)phdr - __ehdr_start.e_phoff;
    if (__ehdr_start.e_type == ET_DYN) self_relocate(base, (const Elf64_Phdr *)phdr, phnum);
    line("argc=", argc);
    for (uint64_t i = 1; i < argc; i++) {
        out("arg: ");
        out(argv[i]);
        out("\n");
    }
    line("env count=", (uint64_t)(e - envp));
    line("AT_PAGESZ=", pagesz);
    line("AT_ENTRY is _start: ", entry == (uint64_t)_start);
    line("AT_PHNUM matches header: ", phnum == __ehdr_start.e_phnum);
    line("header found via AT_PHDR: ", *(uint32_t *)base == 0x464c457f);
    line("AT_RANDOM set: ", random != 0);
    line("stack 16-byte aligned at entry: ", ((uintptr_t)sp & 15) == 0);
    out("pointer table: ");
    for (int i = 0; i < 4; i++) {
        out(words[i]);
        out(i < 3 ? " " : "\n");
    }
    sys3(94 /* exit_group */, 3, 0, 0);
    for (;;) {}
}
