/* A dynamic-rounding FP instruction while frm holds a reserved value (5) is illegal. */
#include <stdio.h>
int main(void) {
    puts("setting frm=5 and adding");
    fflush(stdout);
    float r;
    __asm__ volatile("fsrmi 5\n\tfadd.s %0, %1, %1, dyn" : "=f"(r) : "f"(1.0f));
    printf("not reached %f\n", r);
    return 0;
}
