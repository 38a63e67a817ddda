/* Helpers of the RVA23 test programs: raw instruction words for the extensions the
 * cross assembler (binutils 2.40) does not know, and fflags access. */
#ifndef RVA23_INSN_H
#define RVA23_INSN_H

#include <stdint.h>
#include <stdio.h>

static inline unsigned read_fflags(void)
{
    unsigned long v;
    __asm__ volatile("csrr %0, fflags" : "=r"(v));
    return (unsigned)v;
}

static inline void clear_fflags(void)
{
    __asm__ volatile("csrw fflags, zero");
}

static inline void set_frm(unsigned rm)
{
    __asm__ volatile("csrw frm, %0" : : "r"((unsigned long)rm));
}

/* The five fflags as letters: NV DZ OF UF NX, '-' for a clear one. */
static inline const char *flag_text(unsigned f)
{
    static char s[6];
    const char *names = "VZOUX";
    for (int i = 0; i < 5; i++)
        s[i] = (f >> (4 - i)) & 1 ? names[i] : '-';
    s[5] = 0;
    return s;
}

#endif
