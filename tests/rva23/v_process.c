// cflags: -march=rv64gcv -pthread
/* The vector state across the process model, as qemu's linux-user gives it: a fork
 * child and a new thread start with a copy of the parent's vector registers, vl, vtype
 * and vxrm (Linux itself starts them with the unit off and zeroed, on first use).
 * (execve is not compared: qemu cannot execve a RISC-V program without binfmt_misc.) */
#include "vmemtest.h"
#include <pthread.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

static void show(const char *who)
{
    unsigned long vtype, vl, vxrm, vstart;
    __asm__ volatile("csrr %0, vtype; csrr %1, vl; csrr %2, vxrm; csrr %3, vstart"
                     : "=r"(vtype), "=r"(vl), "=r"(vxrm), "=r"(vstart));
    printf("%s: vtype=%#lx vl=%lu vxrm=%lu vstart=%lu regs=%08x\n", who, vtype, vl, vxrm,
           vstart, vt_regs_hash());
    fflush(stdout);
}

static void *thread_main(void *arg)
{
    (void)arg;
    show("thread");
    /* The thread's own changes stay its own. */
    unsigned long vl;
    __asm__ volatile("vsetvli %0, %1, e8, m1, ta, ma" : "=r"(vl) : "r"(3UL));
    vt_fill(9);
    show("thread after");
    return 0;
}

int main(void)
{
    unsigned long vl;
    vt_fill(1);
    __asm__ volatile("vsetvli %0, %1, e32, m2, tu, mu" : "=r"(vl) : "r"(5UL));
    __asm__ volatile("csrwi vxrm, 1");
    show("parent");
    pid_t pid = fork();
    if (pid == 0) {
        show("child");
        exit(0);
    }
    int status;
    waitpid(pid, &status, 0);
    pthread_t t;
    pthread_create(&t, 0, thread_main, 0);
    pthread_join(t, 0);
    show("parent after thread");
    return 0;
}
