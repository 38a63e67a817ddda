// cflags: -march=rv64gcv
/* The vector CSRs from user mode: reset values, vxrm/vxsat/vcsr aliasing, vstart's
 * writable bits, and writes to the read-only vl, vtype and vlenb (SIGILL). */
#include "vmemtest.h"

#define READ(csr)                                                     \
    ({                                                                \
        unsigned long v_;                                             \
        __asm__ volatile("csrr %0, " #csr : "=r"(v_));                \
        v_;                                                           \
    })

static void show(const char *what)
{
    printf("%-24s vstart=%lu vxrm=%lu vxsat=%lu vcsr=%lu vl=%lu vtype=%#lx vlenb=%lu\n", what,
           READ(vstart), READ(vxrm), READ(vxsat), READ(vcsr), READ(vl), READ(vtype),
           READ(vlenb));
}

int main(void)
{
    vt_install();
    show("reset");
    __asm__ volatile("csrwi vxrm, 3");
    show("vxrm=3");
    __asm__ volatile("csrwi vxsat, 3");
    show("vxsat=3");
    __asm__ volatile("csrw vcsr, %0" : : "r"(0xffUL));
    show("vcsr=0xff");
    __asm__ volatile("csrwi vcsr, 4");
    show("vcsr=4");
    __asm__ volatile("csrci vcsr, 6");
    show("csrci vcsr 6");
    __asm__ volatile("csrsi vxsat, 1");
    show("csrsi vxsat 1");
    unsigned long old;
    __asm__ volatile("csrrw %0, vcsr, zero" : "=r"(old));
    printf("csrrw vcsr old=%lu\n", old);
    static const unsigned long starts[] = {1, 15, 127, 128, 1000, ~0UL};
    for (unsigned i = 0; i < 6; i++) {
        __asm__ volatile("csrw vstart, %0" : : "r"(starts[i]));
        printf("vstart=%#lx reads %lu\n", starts[i], READ(vstart));
    }
    __asm__ volatile("csrwi vstart, 0");
    unsigned long vl;
    __asm__ volatile("vsetvli %0, %1, e16, m4, ta, mu" : "=r"(vl) : "r"(100UL));
    show("vsetvli e16 m4 ta mu");
    __asm__ volatile("csrsi vstart, 5");
    show("csrsi vstart 5");
    __asm__ volatile("vsetvli %0, %1, e16, m4, ta, mu" : "=r"(vl) : "r"(100UL));
    show("vsetvli clears vstart");
    VT_TRY(__asm__ volatile("csrw vl, %0" : : "r"(3UL)));
    printf("csrw vl: %s\n", vt_signame(vt_sig));
    VT_TRY(__asm__ volatile("csrw vtype, %0" : : "r"(0UL)));
    printf("csrw vtype: %s\n", vt_signame(vt_sig));
    VT_TRY(__asm__ volatile("csrw vlenb, %0" : : "r"(0UL)));
    printf("csrw vlenb: %s\n", vt_signame(vt_sig));
    VT_TRY(__asm__ volatile("csrrsi %0, vl, 0" : "=r"(old)));
    printf("csrrsi vl 0: %s %lu\n", vt_signame(vt_sig), old);
    VT_TRY(__asm__ volatile("csrrc %0, vlenb, zero" : "=r"(old)));
    printf("csrrc vlenb zero: %s %lu\n", vt_signame(vt_sig), old);
    VT_TRY(__asm__ volatile("csrrs %0, vtype, %1" : "=r"(old) : "r"(1UL)));
    printf("csrrs vtype 1: %s\n", vt_signame(vt_sig));
    VT_TRY(__asm__ volatile("csrrwi zero, vl, 0"));
    printf("csrrwi vl: %s\n", vt_signame(vt_sig));
    show("end");
    return 0;
}
