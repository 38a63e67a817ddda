/* /proc/self/auxv holds the auxiliary vector the program started with: the same pairs
 * getauxval reads from the initial stack, ending with AT_NULL. */
#include "check.h"
#include <elf.h>
#include <fcntl.h>
#include <sys/auxv.h>
#include <unistd.h>

int main(void) {
    int fd = open("/proc/self/auxv", O_RDONLY);
    CHECK(fd >= 0);
    unsigned long pairs[128][2];
    ssize_t n = read(fd, pairs, sizeof pairs);
    CHECK(n > 0 && n % 16 == 0);
    close(fd);
    int count = (int)(n / 16), ended = 0, matching = 0;
    for (int i = 0; i < count; i++) {
        if (pairs[i][0] == AT_NULL) {
            ended = i == count - 1;
            break;
        }
        if (getauxval(pairs[i][0]) == pairs[i][1])
            matching++;
        else
            printf("tag %lu: file %#lx, getauxval %#lx\n", pairs[i][0], pairs[i][1],
                   getauxval(pairs[i][0]));
    }
    printf("ends with AT_NULL: %d, every entry matches getauxval: %d\n", ended,
           matching == count - 1);
    printf("AT_PAGESZ %lu, AT_PHENT %lu, AT_ENTRY set %d\n", getauxval(AT_PAGESZ),
           getauxval(AT_PHENT), getauxval(AT_ENTRY) != 0);
    return 0;
}
