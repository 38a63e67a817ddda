/* Only the low 8 bits of the status survive: exit(256 + 42) is status 42. */
#include <stdlib.h>
int main(void) { exit(256 + 42); }
