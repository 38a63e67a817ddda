// link: dynamic
/* /proc/self/exe of a dynamic program names the program, not the dynamic linker (nor
 * vm): readlink gives the path it was run as (made absolute), and reading it gives an
 * ELF whose PT_INTERP names the RISC-V dynamic linker. */
#include <elf.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "check.h"

int main(int argc, char **argv) {
    (void)argc;
    char link[PATH_MAX], real[PATH_MAX];
    ssize_t n = readlink("/proc/self/exe", link, sizeof link - 1);
    CHECK(n > 0);
    link[n] = 0;
    CHECK(realpath(argv[0], real) != NULL);
    printf("readlink /proc/self/exe is the program: %d\n", strcmp(link, real) == 0);
    int fd = open("/proc/self/exe", O_RDONLY);
    CHECK(fd >= 0);
    Elf64_Ehdr eh;
    CHECK(read(fd, &eh, sizeof eh) == sizeof eh);
    printf("ELF: %d, type ET_DYN: %d, machine RISC-V: %d\n", memcmp(eh.e_ident, ELFMAG, 4) == 0,
           eh.e_type == ET_DYN, eh.e_machine == EM_RISCV);
    for (int i = 0; i < eh.e_phnum; i++) {
        Elf64_Phdr ph;
        CHECK(pread(fd, &ph, sizeof ph, eh.e_phoff + i * sizeof ph) == sizeof ph);
        if (ph.p_type != PT_INTERP) continue;
        char interp[256] = {0};
        CHECK(ph.p_filesz < sizeof interp);
        CHECK(pread(fd, interp, ph.p_filesz, ph.p_offset) == (ssize_t)ph.p_filesz);
        printf("PT_INTERP: %s\n", interp);
    }
    close(fd);
    return 0;
}
