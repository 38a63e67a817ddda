// args: first second
// cflags: -nostdlib -ffreestanding -fno-stack-protector -fno-builtin
// pie: yes
/* A program without libc: its own _start reads argc/argv/envp/auxv straight off the
 * initial stack, prints them with raw write syscalls and leaves with exit_group(3). Also
 * built as a static PIE (ET_DYN, no interpreter), where it applies its own
 * R_RISCV_RELATIVE relocations first, as glibc's static-pie startup does; a pointer table
 * makes sure there are some to apply. */
#include <elf.h>
#include <stddef.h>
#include <stdint.h>

__asm__(".text\n"
        ".globl _start\n"
        "_start:\n"
        "  mv a0, sp\n"
        "  andi sp, sp, -16\n"
        "  call cmain\n"
        "  unimp\n");

static long sys3(long n, long a, long b, long c) {
    register long a0 __asm__("a0") = a;
    register long a1 __asm__("a1") = b;
    register long a2 __asm__("a2") = c;
    register long a7 __asm__("a7") = n;
    __asm__ volatile("ecall" : "+r"(a0) : "r"(a1), "r"(a2), "r"(a7) : "memory");
    return a0;
}

static size_t len(const char *s) {
    size_t n = 0;
    while (s[n]) n++;
    return n;
}
static void out(const char *s) { sys3(64 /* write */, 1, (long)s, (long)len(s)); }
static void out_num(uint64_t v) {
    char buf[24];
    int i = 23;
    buf[i] = 0;
    do {
        buf[--i] = (char)('0' + v % 10);
        v /= 10;
    } while (v);
    out(buf + i);
}
static void line(const char *label, uint64_t v) {
    out(label);
    out_num(v);
    out("\n");
}

extern const Elf64_Ehdr __ehdr_start __attribute__((visibility("hidden")));
extern char _start[] __attribute__((visibility("hidden")));

/* Applies R_RISCV_RELATIVE relocations when loaded as a PIE, finding the dynamic section
 * through the program headers (no symbol or GOT entry may be used before this runs). */
static void self_relocate(uintptr_t base, const Elf64_Phdr *ph, uint64_t phnum) {
    Elf64_Dyn *dyn = NULL;
    for (uint64_t i = 0; i < phnum; i++)
        if (ph[i].p_type == PT_DYNAMIC) dyn = (Elf64_Dyn *)(base + ph[i].p_vaddr);
    if (!dyn) return;
    Elf64_Rela *rela = NULL;
    size_t relasz = 0;
    for (Elf64_Dyn *d = dyn; d->d_tag != DT_NULL; d++) {
        if (d->d_tag == DT_RELA) rela = (Elf64_Rela *)(base + d->d_un.d_ptr);
        if (d->d_tag == DT_RELASZ) relasz = d->d_un.d_val;
    }
    for (size_t i = 0; rela && i < relasz / sizeof *rela; i++)
        if (ELF64_R_TYPE(rela[i].r_info) == R_RISCV_RELATIVE)
            *(uint64_t *)(base + rela[i].r_offset) = base + (uint64_t)rela[i].r_addend;
}

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
