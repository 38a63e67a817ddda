/* Freestanding runtime for the no-libc guest programs: the entry point, raw syscalls,
 * number printing, and self-relocation for static-PIE builds. Each program defines
 * cmain(sp) and ends with exit_group. */
#ifndef GUEST_NOLIBC_H
#define GUEST_NOLIBC_H

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

static inline long sys3(long n, long a, long b, long c) {
    register long a0 __asm__("a0") = a;
    register long a1 __asm__("a1") = b;
    register long a2 __asm__("a2") = c;
    register long a7 __asm__("a7") = n;
    __asm__ volatile("ecall" : "+r"(a0) : "r"(a1), "r"(a2), "r"(a7) : "memory");
    return a0;
}

static inline size_t len(const char *s) {
    size_t n = 0;
    while (s[n]) n++;
    return n;
}
static inline void out(const char *s) { sys3(64 /* write */, 1, (long)s, (long)len(s)); }
static inline void out_num(uint64_t v) {
    char buf[24];
    int i = 23;
    buf[i] = 0;
    do {
        buf[--i] = (char)('0' + v % 10);
        v /= 10;
    } while (v);
    out(buf + i);
}
static inline void line(const char *label, uint64_t v) {
    out(label);
    out_num(v);
    out("\n");
}

extern const Elf64_Ehdr __ehdr_start __attribute__((visibility("hidden")));
extern char _start[] __attribute__((visibility("hidden")));

/* Applies R_RISCV_RELATIVE relocations when loaded as a PIE, finding the dynamic section
 * through the program headers (no symbol or GOT entry may be used before this runs). */
static inline void self_relocate(uintptr_t base, const Elf64_Phdr *ph, uint64_t phnum) {
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

/* Finds the auxiliary vector above envp and applies PIE relocations if needed; returns
 * argc and sets *argv_out. */
static inline uint64_t startup(uint64_t *sp, char ***argv_out) {
    uint64_t argc = sp[0];
    char **argv = (char **)(sp + 1);
    char **e = argv + argc + 1;
    while (*e) e++;
    uint64_t phdr = 0, phnum = 0;
    for (Elf64_auxv_t *a = (Elf64_auxv_t *)(e + 1); a->a_type != AT_NULL; a++) {
        if (a->a_type == AT_PHDR) phdr = a->a_un.a_val;
        if (a->a_type == AT_PHNUM) phnum = a->a_un.a_val;
    }
    uintptr_t base = (uintptr_t)phdr - __ehdr_start.e_phoff;
    if (__ehdr_start.e_type == ET_DYN) self_relocate(base, (const Elf64_Phdr *)phdr, phnum);
    *argv_out = argv;
    return argc;
}

static inline void __attribute__((noreturn)) exit_group(int status) {
    sys3(94, status, 0, 0);
    for (;;) {}
}

#endif
