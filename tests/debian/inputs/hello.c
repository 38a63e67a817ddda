#include <stdio.h>
#include <string.h>

static unsigned fib(unsigned n) { return n < 2 ? n : fib(n - 1) + fib(n - 2); }

int main(int argc, char **argv) {
    printf("hello from gcc, fib(20) = %u, argc %d, %d\n", fib(20), argc, strlen(argv[0]) > 0);
    return argc - 1;
}
