// link: dynamic
// ldso: yes
// args: one "two words"
/* The smallest dynamic program: glibc's stdio from libc.so.6, which the dynamic linker
 * finds in the sysroot (also when the dynamic linker is run directly, `[ld.so]`). */
#include <stdio.h>

int main(int argc, char **argv) {
    printf("hello, dynamic world\n");
    for (int i = 1; i < argc; i++) printf("argv[%d]=%s\n", i, argv[i]);
    printf("%5.2f|%-6s|%#x|%lld\n", 3.14159, "ab", 255, -1234567890123ll);
    fprintf(stderr, "to stderr\n");
    return 3;
}
