/* The largest exit status, 255. */
#include <stdlib.h>
int main(void) { exit(255); }
