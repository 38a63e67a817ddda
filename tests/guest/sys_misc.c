/* Process-information syscalls: uname (machine riscv64), getrandom, getpid and kin,
 * getuid and kin, set_tid_address, set_robust_list, prlimit64/getrlimit, sysinfo, umask,
 * sched_yield, and an unknown syscall number, which must fail with ENOSYS. Prints only
 * what is the same on every run: relations between ids, never the ids themselves. */
#define _GNU_SOURCE
#include <linux/futex.h>
#include <sched.h>
#include <stdint.h>
#include <sys/random.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/sysinfo.h>
#include <sys/utsname.h>
#include <unistd.h>
#include "check.h"

int main(void) {
    struct utsname u;
    SHOW("uname", uname(&u));
    printf("uname sysname=%s machine=%s release-nonempty=%d\n", u.sysname, u.machine,
           u.release[0] != 0);

    unsigned char r1[16] = {0}, r2[16] = {0};
    SHOW("getrandom 16", getrandom(r1, sizeof r1, 0));
    SHOW("getrandom 16 GRND_NONBLOCK", getrandom(r2, sizeof r2, GRND_NONBLOCK));
    printf("two getrandom results differ: %d\n", memcmp(r1, r2, sizeof r1) != 0);
    static unsigned char big[100000];
    long got = getrandom(big, sizeof big, 0);
    int zeros = 0;
    for (unsigned i = 0; i < sizeof big; i++) zeros += big[i] == 0;
    printf("getrandom 100000 -> %ld, plausible byte spread: %d\n", got, zeros > 100 && zeros < 1000);
    SHOW("getrandom bad flags", getrandom(r1, 1, 0x1000));
    void *volatile bad_buffer = (void *)8;
    SHOW("getrandom bad buffer", getrandom(bad_buffer, 16, 0));

    pid_t pid = getpid();
    printf("pid>0 %d ppid>0 %d tid==pid %d pgid>0 %d sid>0 %d\n", pid > 0, getppid() > 0,
           (pid_t)syscall(SYS_gettid) == pid, getpgid(0) > 0, getsid(0) > 0);
    printf("uid==euid %d gid==egid %d\n", getuid() == geteuid(), getgid() == getegid());
    int tidaddr;
    printf("set_tid_address returns tid: %d\n", syscall(SYS_set_tid_address, &tidaddr) == pid);
    struct robust_list_head head = {{&head.list}, 0, NULL};
    /* qemu-user does not implement set_robust_list (ENOSYS) where Linux returns 0 and
     * EINVAL for a bad size; accept either so the comparison is about not crashing. */
    long rl0 = syscall(SYS_set_robust_list, &head, sizeof head);
    int e0 = errno;
    long rl1 = syscall(SYS_set_robust_list, &head, 3);
    int e1 = errno;
    printf("set_robust_list: ok-or-ENOSYS %d, bad size fails with EINVAL-or-ENOSYS %d\n",
           rl0 == 0 || e0 == ENOSYS, rl1 == -1 && (e1 == EINVAL || e1 == ENOSYS));

    struct rlimit rl;
    SHOW("getrlimit NOFILE", getrlimit(RLIMIT_NOFILE, &rl));
    printf("NOFILE soft<=hard %d soft>=64 %d\n", rl.rlim_cur <= rl.rlim_max, rl.rlim_cur >= 64);
    SHOW("getrlimit STACK", getrlimit(RLIMIT_STACK, &rl));
    printf("STACK soft>=1MiB %d\n", rl.rlim_cur >= (1 << 20));
    struct rlimit newl = {rl.rlim_cur, rl.rlim_max}, oldl;
    SHOW("prlimit64 set+get STACK", prlimit(0, RLIMIT_STACK, &newl, &oldl));
    printf("prlimit old == getrlimit: %d\n", oldl.rlim_cur == rl.rlim_cur);
    SHOW("getrlimit bad resource", getrlimit((__rlimit_resource_t)999, &rl));
    struct rlimit core = {0, 0};
    SHOW("setrlimit CORE 0", setrlimit(RLIMIT_CORE, &core));

    struct sysinfo si;
    SHOW("sysinfo", sysinfo(&si));
    printf("sysinfo uptime>0 %d totalram>0 %d mem_unit>0 %d procs>0 %d\n", si.uptime > 0,
           si.totalram > 0, si.mem_unit > 0, si.procs > 0);

    mode_t old = umask(0027);
    mode_t mid = umask(old);
    printf("umask set/restore: %03o\n", (unsigned)mid);
    SHOW("sched_yield", sched_yield());
    SHOW("unknown syscall 4000", syscall(4000, 1, 2, 3));
    SHOW("unknown syscall 300", syscall(300));
    SHOW("unknown syscall -1", syscall(-1L));
    return 0;
}
