/* seccomp: filters written as raw classic BPF and installed with seccomp(2) and prctl,
 * each action (ERRNO, TRAP and its siginfo, KILL_PROCESS, KILL_THREAD, TRACE without a
 * tracer, LOG), the most restrictive result of several filters, strict mode, filters
 * kept by fork children, new threads and exec, TSYNC (and its refusal), EACCES without
 * no_new_privs, EINVAL and EFAULT for bad programs and pointers, GET_ACTION_AVAIL,
 * GET_NOTIF_SIZES, PR_GET_SECCOMP and /proc/self/status. qemu-user has no seccomp; the
 * expected output is a native x86-64 build's (the test compares the two), so system
 * call numbers come from SYS_* and the audit architecture is chosen per target, and
 * nothing architecture-specific is printed. Whatever could be fatal runs in a child. */
#define _GNU_SOURCE
#include "check.h"
#include <linux/audit.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <pthread.h>
#include <signal.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <ucontext.h>
#include <unistd.h>

#if defined(__riscv) && __riscv_xlen == 64
#define ARCH AUDIT_ARCH_RISCV64
#elif defined(__x86_64__)
#define ARCH AUDIT_ARCH_X86_64
#else
#error "riscv64 or x86-64 only"
#endif

#ifndef SYS_SECCOMP
#define SYS_SECCOMP 1 /* si_code of a seccomp trap (glibc defines it only lately) */
#endif

#define NR_OFF offsetof(struct seccomp_data, nr)
#define ARCH_OFF offsetof(struct seccomp_data, arch)
#define ARG0_OFF offsetof(struct seccomp_data, args[0])

static long sys_seccomp(unsigned op, unsigned flags, void *args) {
    return syscall(SYS_seccomp, op, flags, args);
}

/* Installs `len` instructions with `flags`: the call's result, errno kept. */
static long install(struct sock_filter *insns, unsigned short len, unsigned flags) {
    struct sock_fprog prog = {.len = len, .filter = insns};
    return sys_seccomp(SECCOMP_SET_MODE_FILTER, flags, &prog);
}

/* A filter that gives `action` to system call `nr` (any other architecture is killed)
 * and allows everything else. */
static long refuse(long nr, unsigned action, unsigned flags) {
    struct sock_filter f[] = {
        BPF_STMT(BPF_LD | BPF_W | BPF_ABS, ARCH_OFF),
        BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, ARCH, 1, 0),
        BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_KILL_PROCESS),
        BPF_STMT(BPF_LD | BPF_W | BPF_ABS, NR_OFF),
        BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, (unsigned)nr, 0, 1),
        BPF_STMT(BPF_RET | BPF_K, action),
        BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
    };
    return install(f, sizeof f / sizeof f[0], flags);
}

static void say(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
#include <stdarg.h>
static void say(const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    vprintf(fmt, ap);
    va_end(ap);
    fflush(stdout);
}

/* "-1 EPERM" or "0" for a call's result. */
static const char *result(long r) {
    static char buf[64];
    if (r == -1)
        snprintf(buf, sizeof buf, "-1 %s", errno_name(errno));
    else
        snprintf(buf, sizeof buf, "%ld", r);
    return buf;
}

/* "-1 EPERM", or "allowed" for a call that returns a pid. */
static const char *allowed_or(long r) {
    return r == -1 ? result(r) : "allowed";
}

/* How a child ended. */
static void report_child(const char *what, pid_t pid) {
    int status;
    CHECK(waitpid(pid, &status, 0) == pid);
    if (WIFEXITED(status))
        say("%s: exited %d\n", what, WEXITSTATUS(status));
    else if (WIFSIGNALED(status))
        say("%s: killed by %s\n", what,
            WTERMSIG(status) == SIGSYS    ? "SIGSYS"
            : WTERMSIG(status) == SIGKILL ? "SIGKILL"
                                          : "another signal");
}

/* The Seccomp lines of a status file. */
static void status_lines(const char *path) {
    FILE *f = fopen(path, "r");
    CHECK(f != NULL);
    char line[256];
    while (fgets(line, sizeof line, f))
        if (strncmp(line, "Seccomp", 7) == 0)
            say("  %s", line);
    fclose(f);
}

static void no_new_privs_needed(void) {
    pid_t pid = fork();
    CHECK(pid >= 0);
    if (pid == 0) {
        /* Without CAP_SYS_ADMIN (dropped if we run as root) nor no_new_privs. */
        struct {
            uint32_t version;
            int pid;
        } header = {0x20080522, 0};
        uint32_t data[6];
        CHECK(syscall(SYS_capget, &header, data) == 0);
        data[0] &= ~(1u << 21);
        CHECK(syscall(SYS_capset, &header, data) == 0);
        say("no_new_privs: %s\n", result(prctl(PR_GET_NO_NEW_PRIVS, 0, 0, 0, 0)));
        say("filter without no_new_privs: %s\n", result(refuse(SYS_getppid, SECCOMP_RET_ALLOW, 0)));
        _exit(0);
    }
    report_child("without no_new_privs", pid);
}

static void bad_programs(void) {
    struct sock_filter ret_allow = BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW);
    struct sock_filter big[BPF_MAXINSNS + 1];
    for (int i = 0; i <= BPF_MAXINSNS; i++)
        big[i] = ret_allow;
    struct {
        const char *what;
        struct sock_filter insns[3];
        unsigned short len;
    } cases[] = {
        {"no instructions", {ret_allow}, 0},
        {"no return at the end", {BPF_STMT(BPF_LD | BPF_W | BPF_ABS, NR_OFF)}, 1},
        {"unaligned load", {BPF_STMT(BPF_LD | BPF_W | BPF_ABS, 2), ret_allow}, 2},
        {"load past seccomp_data", {BPF_STMT(BPF_LD | BPF_W | BPF_ABS, 64), ret_allow}, 2},
        {"half-word load", {BPF_STMT(BPF_LD | BPF_H | BPF_ABS, 0), ret_allow}, 2},
        {"indirect load", {BPF_STMT(BPF_LD | BPF_W | BPF_IND, 0), ret_allow}, 2},
        {"jump past the end", {BPF_JUMP(BPF_JMP | BPF_JA, 5, 0, 0), ret_allow}, 2},
        {"conditional jump past the end",
         {BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, 0, 0, 1), ret_allow},
         2},
        {"division by constant zero", {BPF_STMT(BPF_ALU | BPF_DIV | BPF_K, 0), ret_allow}, 2},
        {"shift by 32", {BPF_STMT(BPF_ALU | BPF_LSH | BPF_K, 32), ret_allow}, 2},
        {"modulo", {BPF_STMT(BPF_ALU | BPF_MOD | BPF_K, 3), ret_allow}, 2},
        {"scratch slot 16", {BPF_STMT(BPF_ST, 16), ret_allow}, 2},
        {"scratch slot read before written", {BPF_STMT(BPF_LD | BPF_MEM, 3), ret_allow}, 2},
        {"unknown opcode", {BPF_STMT(0xff, 0), ret_allow}, 2},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
        say("%s: %s\n", cases[i].what, result(install(cases[i].insns, cases[i].len, 0)));
    say("4097 instructions: %s\n", result(install(big, BPF_MAXINSNS + 1, 0)));
    say("unknown flag: %s\n", result(install(&ret_allow, 1, 1u << 10)));
    say("null sock_fprog: %s\n", result(sys_seccomp(SECCOMP_SET_MODE_FILTER, 0, NULL)));
    say("null instructions: %s\n", result(install(NULL, 1, 0)));
    say("unreadable instructions: %s\n", result(install((struct sock_filter *)8, 1, 0)));
    say("unknown operation: %s\n", result(sys_seccomp(99, 0, NULL)));
    say("strict mode with flags: %s\n", result(sys_seccomp(SECCOMP_SET_MODE_STRICT, 1, NULL)));
    say("prctl unknown mode: %s\n", result(prctl(PR_SET_SECCOMP, 7, 0, 0, 0)));
    say("after all that, PR_GET_SECCOMP: %s\n", result(prctl(PR_GET_SECCOMP, 0, 0, 0, 0)));
}

static void availability(void) {
    struct {
        const char *name;
        uint32_t action;
    } actions[] = {
        {"KILL_PROCESS", SECCOMP_RET_KILL_PROCESS},
        {"KILL_THREAD", SECCOMP_RET_KILL_THREAD},
        {"TRAP", SECCOMP_RET_TRAP},
        {"ERRNO", SECCOMP_RET_ERRNO},
        {"TRACE", SECCOMP_RET_TRACE},
        {"LOG", SECCOMP_RET_LOG},
        {"ALLOW", SECCOMP_RET_ALLOW},
        {"0x12340000", 0x12340000},
    };
    for (size_t i = 0; i < sizeof actions / sizeof actions[0]; i++)
        say("action %s available: %s\n", actions[i].name,
            result(sys_seccomp(SECCOMP_GET_ACTION_AVAIL, 0, &actions[i].action)));
    say("GET_ACTION_AVAIL with flags: %s\n",
        result(sys_seccomp(SECCOMP_GET_ACTION_AVAIL, 1, &actions[0].action)));
    say("GET_ACTION_AVAIL of NULL: %s\n", result(sys_seccomp(SECCOMP_GET_ACTION_AVAIL, 0, NULL)));
    struct seccomp_notif_sizes sizes;
    long r = sys_seccomp(SECCOMP_GET_NOTIF_SIZES, 0, &sizes);
    say("GET_NOTIF_SIZES: %s: notif %u, resp %u, data %u\n", result(r), sizes.seccomp_notif,
        sizes.seccomp_notif_resp, sizes.seccomp_data);
}

/* In a child: ERRNO, several filters, LOG, TRACE, fork and exec. */
static void errno_filters(const char *self) {
    pid_t pid = fork();
    CHECK(pid >= 0);
    if (pid != 0) {
        report_child("errno child", pid);
        return;
    }
    say("filter: %s\n", result(refuse(SYS_getppid, SECCOMP_RET_ERRNO | EPERM, 0)));
    say("getppid: %s\n", allowed_or(syscall(SYS_getppid)));
    say("PR_GET_SECCOMP: %s\n", result(prctl(PR_GET_SECCOMP, 0, 0, 0, 0)));
    status_lines("/proc/self/status");
    /* The newest filter's data wins a tie; a more restrictive action wins over it. */
    say("second filter (prctl): %s\n",
        result(prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER,
                     &(struct sock_fprog){
                         7,
                         (struct sock_filter[]){
                             BPF_STMT(BPF_LD | BPF_W | BPF_ABS, ARCH_OFF),
                             BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, ARCH, 1, 0),
                             BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_KILL_PROCESS),
                             BPF_STMT(BPF_LD | BPF_W | BPF_ABS, NR_OFF),
                             BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, SYS_getppid, 0, 1),
                             BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | EACCES),
                             BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
                         }},
                     0, 0)));
    say("getppid: %s\n", allowed_or(syscall(SYS_getppid)));
    say("allowing filter: %s\n", result(refuse(SYS_getppid, SECCOMP_RET_ALLOW, 0)));
    say("getppid: %s\n", allowed_or(syscall(SYS_getppid)));
    say("errno past MAX_ERRNO: %s\n", result(refuse(SYS_getpgid, SECCOMP_RET_ERRNO | 5000, 0)));
    errno = 0;
    long r = syscall(SYS_getpgid, 0);
    say("getpgid: %ld, errno %d\n", r, errno);
    say("TRACE filter: %s\n", result(refuse(SYS_getsid, SECCOMP_RET_TRACE, 0)));
    say("getsid without a tracer: %s\n", result(syscall(SYS_getsid, 0)));
    say("LOG filter: %s\n", result(refuse(SYS_getuid, SECCOMP_RET_LOG, SECCOMP_FILTER_FLAG_LOG)));
    say("getuid allowed: %s\n", syscall(SYS_getuid) == (long)getuid() ? "yes" : "no");
    /* A filter on an argument: umask(077) refused, other umasks allowed. */
    struct sock_filter on_arg[] = {
        BPF_STMT(BPF_LD | BPF_W | BPF_ABS, NR_OFF),
        BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, SYS_umask, 0, 3),
        BPF_STMT(BPF_LD | BPF_W | BPF_ABS, ARG0_OFF),
        BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, 077, 0, 1),
        BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | EDOM),
        BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
    };
    say("argument filter: %s\n", result(install(on_arg, 6, SECCOMP_FILTER_FLAG_SPEC_ALLOW)));
    errno = 0;
    r = syscall(SYS_umask, 077);
    say("umask(077): %ld %s\n", r, errno == EDOM ? "EDOM" : errno_name(errno));
    say("umask(022) allowed: %s\n", syscall(SYS_umask, 022) >= 0 ? "yes" : "no");
    status_lines("/proc/self/status");
    say("strict mode on top: %s\n", result(sys_seccomp(SECCOMP_SET_MODE_STRICT, 0, NULL)));
    pid_t grandchild = fork();
    CHECK(grandchild >= 0);
    if (grandchild == 0) {
        say("fork child getppid: %s\n", allowed_or(syscall(SYS_getppid)));
        status_lines("/proc/self/status");
        _exit(0);
    }
    report_child("fork child", grandchild);
    execl(self, self, "after-exec", (char *)NULL);
    say("exec failed: %s\n", errno_name(errno));
    _exit(1);
}

/* The program exec'd by errno_filters: its filters came with it. */
static int after_exec(void) {
    say("after exec, getppid: %s\n", allowed_or(syscall(SYS_getppid)));
    say("after exec, PR_GET_SECCOMP: %s\n", result(prctl(PR_GET_SECCOMP, 0, 0, 0, 0)));
    status_lines("/proc/self/status");
    return 0;
}

static volatile sig_atomic_t trapped;
static siginfo_t trap_info;
static int trap_at_resume_pc;

static void on_sigsys(int sig, siginfo_t *info, void *context) {
    (void)sig;
    ucontext_t *uc = context;
#if defined(__riscv)
    uintptr_t pc = uc->uc_mcontext.__gregs[REG_PC];
#else
    uintptr_t pc = uc->uc_mcontext.gregs[REG_RIP];
#endif
    trap_info = *info;
    trap_at_resume_pc = (uintptr_t)info->si_call_addr == pc;
    trapped++;
}

static void trap(void) {
    pid_t pid = fork();
    CHECK(pid >= 0);
    if (pid != 0) {
        report_child("trap child", pid);
        return;
    }
    struct sigaction sa = {.sa_sigaction = on_sigsys, .sa_flags = SA_SIGINFO};
    CHECK(sigaction(SIGSYS, &sa, NULL) == 0);
    say("filter: %s\n", result(refuse(SYS_getppid, SECCOMP_RET_TRAP | 0x42, 0)));
    long r = syscall(SYS_getppid, 1234);
#if defined(__riscv)
    long rolled_back = 1234; /* a0 keeps the first argument */
#else
    long rolled_back = SYS_getppid; /* rax keeps the system call number */
#endif
    say("trapped %d time(s), the call skipped and rolled back: %s\n", trapped,
        r == rolled_back ? "yes" : "no");
    say("si_signo SIGSYS: %s, si_code SYS_SECCOMP: %s, si_errno: %#x\n",
        trap_info.si_signo == SIGSYS ? "yes" : "no",
        trap_info.si_code == SYS_SECCOMP ? "yes" : "no", trap_info.si_errno);
    say("si_syscall getppid: %s, si_arch: %s, si_call_addr where the handler returns: %s\n",
        trap_info.si_syscall == SYS_getppid ? "yes" : "no",
        trap_info.si_arch == ARCH ? "yes" : "no", trap_at_resume_pc ? "yes" : "no");
    /* Blocked, the trap's SIGSYS is forced: the default action kills. */
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGSYS);
    CHECK(sigprocmask(SIG_BLOCK, &set, NULL) == 0);
    syscall(SYS_getppid);
    say("survived a blocked trap\n");
    _exit(0);
}

/* In a child: `action` for getppid, which it then calls. */
static void killed(const char *what, unsigned action) {
    pid_t pid = fork();
    CHECK(pid >= 0);
    if (pid == 0) {
        CHECK(refuse(SYS_getppid, action, 0) == 0);
        syscall(SYS_getppid);
        say("%s: survived\n", what);
        _exit(0);
    }
    report_child(what, pid);
}

static void *kill_this_thread(void *arg) {
    (void)arg;
    syscall(SYS_getppid);
    say("killed thread: survived\n");
    return NULL;
}

static void kill_one_thread(void) {
    pid_t pid = fork();
    CHECK(pid >= 0);
    if (pid == 0) {
        CHECK(refuse(SYS_getppid, SECCOMP_RET_KILL_THREAD, 0) == 0);
        pthread_t t;
        CHECK(pthread_create(&t, NULL, kill_this_thread, NULL) == 0);
        CHECK(pthread_join(t, NULL) == 0);
        say("KILL_THREAD in a second thread: the main thread goes on\n");
        _exit(0);
    }
    report_child("KILL_THREAD child", pid);
}

static void strict(void) {
    pid_t pid = fork();
    CHECK(pid >= 0);
    if (pid == 0) {
        if (prctl(PR_SET_SECCOMP, SECCOMP_MODE_STRICT, 0, 0, 0) != 0)
            _exit(10);
        static const char msg[] = "strict: write allowed\n";
        if (write(1, msg, sizeof msg - 1) != sizeof msg - 1)
            syscall(SYS_exit, 11);
        syscall(SYS_getpid);
        syscall(SYS_exit, 12);
    }
    report_child("strict mode, getpid", pid);
    pid = fork();
    CHECK(pid >= 0);
    if (pid == 0) {
        if (sys_seccomp(SECCOMP_SET_MODE_STRICT, 0, NULL) != 0)
            _exit(10);
        char c;
        if (read(-1, &c, 1) != -1)
            syscall(SYS_exit, 11);
        syscall(SYS_exit, 3);
    }
    report_child("strict mode, read and exit", pid);
}

static pthread_barrier_t barrier;
static volatile pid_t other_tid;
static int other_installs;

static void *tsync_other(void *arg) {
    (void)arg;
    other_tid = gettid();
    if (other_installs)
        CHECK(refuse(SYS_getsid, SECCOMP_RET_ERRNO | EPERM, 0) == 0);
    pthread_barrier_wait(&barrier);
    pthread_barrier_wait(&barrier);
    say("  other thread getppid: %s\n", allowed_or(syscall(SYS_getppid)));
    status_lines("/proc/thread-self/status");
    return NULL;
}

static void tsync(int diverged) {
    pid_t pid = fork();
    CHECK(pid >= 0);
    if (pid != 0) {
        report_child(diverged ? "TSYNC refused child" : "TSYNC child", pid);
        return;
    }
    other_installs = diverged;
    pthread_t t;
    CHECK(pthread_barrier_init(&barrier, NULL, 2) == 0);
    CHECK(pthread_create(&t, NULL, tsync_other, NULL) == 0);
    pthread_barrier_wait(&barrier);
    if (diverged) {
        long r = refuse(SYS_getppid, SECCOMP_RET_ERRNO | EPERM, SECCOMP_FILTER_FLAG_TSYNC);
        say("TSYNC with a diverged thread returns its tid: %s\n", r == other_tid ? "yes" : "no");
        say("TSYNC_ESRCH: %s\n",
            result(refuse(SYS_getppid, SECCOMP_RET_ERRNO | EPERM,
                          SECCOMP_FILTER_FLAG_TSYNC | SECCOMP_FILTER_FLAG_TSYNC_ESRCH)));
    } else {
        say("TSYNC: %s\n",
            result(refuse(SYS_getppid, SECCOMP_RET_ERRNO | EPERM, SECCOMP_FILTER_FLAG_TSYNC)));
    }
    pthread_barrier_wait(&barrier);
    CHECK(pthread_join(t, NULL) == 0);
    say("  main thread getppid: %s\n", allowed_or(syscall(SYS_getppid)));
    _exit(0);
}

int main(int argc, char **argv) {
    if (argc > 1 && strcmp(argv[1], "after-exec") == 0)
        return after_exec();
    say("PR_GET_SECCOMP: %s\n", result(prctl(PR_GET_SECCOMP, 0, 0, 0, 0)));
    no_new_privs_needed();
    say("PR_SET_NO_NEW_PRIVS: %s\n", result(prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0)));
    say("PR_GET_NO_NEW_PRIVS: %s\n", result(prctl(PR_GET_NO_NEW_PRIVS, 0, 0, 0, 0)));
    bad_programs();
    availability();
    errno_filters(argv[0]);
    trap();
    killed("KILL_PROCESS", SECCOMP_RET_KILL_PROCESS);
    killed("KILL_THREAD of the only thread", SECCOMP_RET_KILL_THREAD);
    killed("unknown action", 0x12340000);
    kill_one_thread();
    strict();
    tsync(0);
    tsync(1);
    say("parent getppid still works: %s\n", syscall(SYS_getppid) > 0 ? "yes" : "no");
    return 0;
}
