/* Scheduling calls: nice values, I/O priorities, policies and their parameters
 * (sched_param and the versioned struct sched_attr), round-robin intervals, getcpu,
 * with their error paths. Values that depend on the machine (cpu numbers, time slices)
 * are only range-checked. Where qemu 7.2 answers otherwise than Linux (an over-long
 * sched_attr, getcpu with one bad pointer), see tests/exec/sched_limits.c. */
#define _GNU_SOURCE
#include <sched.h>
#include <stdint.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>
#include "check.h"

#define BAD ((void *)8)

struct attr {
    uint32_t size, policy;
    uint64_t flags;
    int32_t nice;
    uint32_t priority;
    uint64_t runtime, deadline, period;
    uint32_t util_min, util_max;
    char tail[8];
};

static void show_attr(const char *label, long r, const struct attr *a) {
    if (r < 0) {
        printf("%s -> -1 %s (size field %u)\n", label, errno_name(errno), a->size);
        return;
    }
    printf("%s -> %ld: size %u policy %u flags %llu nice %d priority %u\n", label, r, a->size,
           a->policy, (unsigned long long)a->flags, a->nice, a->priority);
}

static long getattr(int pid, struct attr *a, unsigned size, unsigned flags) {
    memset(a, 0x55, sizeof *a);
    errno = 0;
    return syscall(SYS_sched_getattr, pid, a, size, flags);
}

static long setattr(int pid, struct attr *a, unsigned flags) {
    errno = 0;
    return syscall(SYS_sched_setattr, pid, a, flags);
}

int main(void) {
    errno = 0;
    int nice0 = getpriority(PRIO_PROCESS, 0);
    printf("getpriority errno %s\n", errno_name(errno));
    SHOW("setpriority +1", setpriority(PRIO_PROCESS, 0, nice0 + 1));
    printf("nice raised by one: %d\n", getpriority(PRIO_PROCESS, 0) == nice0 + 1);
    printf("raw getpriority is 20 - nice: %d\n",
           syscall(SYS_getpriority, PRIO_PROCESS, 0) == 20 - (nice0 + 1));
    SHOW("getpriority bad which", getpriority(7, 0));
    SHOW("setpriority bad which", setpriority(7, 0, 0));
    SHOW("getpriority no such process", getpriority(PRIO_PROCESS, 999999));
    SHOW("setpriority no such process", setpriority(PRIO_PROCESS, 999999, 0));
    errno = 0;
    printf("getpriority PRIO_PGRP in range: %d\n", getpriority(PRIO_PGRP, 0) >= -20 && errno == 0);

    long io = syscall(SYS_ioprio_get, 1, 0);
    printf("ioprio_get ok: %d\n", io >= 0);
    SHOW("ioprio_set best-effort 7", syscall(SYS_ioprio_set, 1, 0, (2 << 13) | 7));
    SHOW("ioprio_get", syscall(SYS_ioprio_get, 1, 0));
    SHOW("ioprio_get bad which", syscall(SYS_ioprio_get, 9, 0));
    SHOW("ioprio_set bad class", syscall(SYS_ioprio_set, 1, 0, 9 << 13));

    SHOW("sched_get_priority_max FIFO", sched_get_priority_max(SCHED_FIFO));
    SHOW("sched_get_priority_min FIFO", sched_get_priority_min(SCHED_FIFO));
    SHOW("sched_get_priority_max OTHER", sched_get_priority_max(SCHED_OTHER));
    SHOW("sched_get_priority_min RR", sched_get_priority_min(SCHED_RR));
    SHOW("sched_get_priority_max bad policy", sched_get_priority_max(42));

    struct sched_param sp = {0};
    SHOW("sched_getscheduler", sched_getscheduler(0));
    SHOW("sched_setscheduler BATCH", sched_setscheduler(0, SCHED_BATCH, &sp));
    SHOW("sched_getscheduler after", sched_getscheduler(0));
    SHOW("sched_setscheduler OTHER", syscall(SYS_sched_setscheduler, 0, SCHED_OTHER, &sp));
    struct sched_param one = {1};
    SHOW("sched_setscheduler OTHER prio 1", syscall(SYS_sched_setscheduler, 0, SCHED_OTHER, &one));
    SHOW("sched_setscheduler bad policy", syscall(SYS_sched_setscheduler, 0, 42, &sp));
    SHOW("sched_setscheduler negative policy", syscall(SYS_sched_setscheduler, 0, -1, &sp));
    SHOW("sched_setscheduler null param", syscall(SYS_sched_setscheduler, 0, SCHED_OTHER, NULL));
    SHOW("sched_setscheduler bad param", syscall(SYS_sched_setscheduler, 0, SCHED_OTHER, BAD));
    SHOW("sched_setscheduler pid -1", syscall(SYS_sched_setscheduler, -1, SCHED_OTHER, &sp));
    SHOW("sched_setscheduler no such pid", syscall(SYS_sched_setscheduler, 999999, SCHED_OTHER, &sp));
    SHOW("sched_setparam", syscall(SYS_sched_setparam, 0, &sp));
    SHOW("sched_setparam prio 1", syscall(SYS_sched_setparam, 0, &one));
    SHOW("sched_setparam null", syscall(SYS_sched_setparam, 0, NULL));
    SHOW("sched_setparam bad", syscall(SYS_sched_setparam, 0, BAD));
    SHOW("sched_setparam no such pid", syscall(SYS_sched_setparam, 999999, &sp));
    sp.sched_priority = 77;
    SHOW("sched_getparam", sched_getparam(0, &sp));
    printf("priority %d\n", sp.sched_priority);
    SHOW("sched_getparam own tid", sched_getparam(gettid(), &sp));

    struct timespec ts = {-1, -1};
    SHOW("sched_rr_get_interval", sched_rr_get_interval(0, &ts));
    printf("interval under a second: %d\n", ts.tv_sec == 0 && ts.tv_nsec >= 0);
    SHOW("sched_rr_get_interval bad pointer", syscall(SYS_sched_rr_get_interval, 0, BAD));
    SHOW("sched_rr_get_interval pid -1", syscall(SYS_sched_rr_get_interval, -1, &ts));
    SHOW("sched_rr_get_interval no such pid", syscall(SYS_sched_rr_get_interval, 999999, &ts));

    struct attr a;
    show_attr("sched_getattr size 56", getattr(0, &a, 56, 0), &a);
    show_attr("sched_getattr size 48", getattr(0, &a, 48, 0), &a);
    printf("bytes past 48 untouched: %d\n", a.runtime == 0x5555555555555555ull);
    show_attr("sched_getattr size 64", getattr(0, &a, 64, 0), &a);
    show_attr("sched_getattr size 47", getattr(0, &a, 47, 0), &a);
    show_attr("sched_getattr flags 1", getattr(0, &a, 56, 1), &a);
    show_attr("sched_getattr pid -1", getattr(-1, &a, 56, 0), &a);
    show_attr("sched_getattr no such pid", getattr(999999, &a, 56, 0), &a);
    SHOW("sched_getattr null", syscall(SYS_sched_getattr, 0, NULL, 56, 0));
    SHOW("sched_getattr bad pointer", syscall(SYS_sched_getattr, 0, BAD, 56, 0));

    memset(&a, 0, sizeof a);
    a.size = 48;
    a.policy = SCHED_BATCH;
    a.nice = nice0 + 2;
    show_attr("sched_setattr BATCH nice+2", setattr(0, &a, 0), &a);
    show_attr("sched_getattr after", getattr(0, &a, 56, 0), &a);
    printf("nice now +2: %d\n", a.nice == nice0 + 2);
    memset(&a, 0, sizeof a);
    a.policy = SCHED_OTHER;
    a.nice = nice0 + 1;
    show_attr("sched_setattr size 0", setattr(0, &a, 0), &a);
    memset(&a, 0, sizeof a);
    a.size = 40;
    show_attr("sched_setattr size 40", setattr(0, &a, 0), &a);
    memset(&a, 0, sizeof a);
    a.size = 8192;
    show_attr("sched_setattr size 8192", setattr(0, &a, 0), &a);
    memset(&a, 0, sizeof a);
    a.size = 64;
    a.nice = nice0 + 1;
    show_attr("sched_setattr size 64, zero tail", setattr(0, &a, 0), &a);
    a.tail[3] = 1;
    show_attr("sched_setattr size 64, non-zero tail", setattr(0, &a, 0), &a);
    memset(&a, 0, sizeof a);
    a.size = 56;
    a.policy = 42;
    show_attr("sched_setattr bad policy", setattr(0, &a, 0), &a);
    a.policy = SCHED_OTHER;
    show_attr("sched_setattr flags 1", setattr(0, &a, 1), &a);
    show_attr("sched_setattr pid -1", setattr(-1, &a, 0), &a);
    show_attr("sched_setattr no such pid", setattr(999999, &a, 0), &a);
    SHOW("sched_setattr null", syscall(SYS_sched_setattr, 0, NULL, 0));
    SHOW("sched_setattr bad pointer", syscall(SYS_sched_setattr, 0, BAD, 0));

    unsigned cpu = 12345, node = 12345;
    SHOW("getcpu", syscall(SYS_getcpu, &cpu, &node, NULL));
    printf("cpu plausible: %d, node plausible: %d\n", cpu < 4096, node < 1024);
    SHOW("getcpu nulls", syscall(SYS_getcpu, NULL, NULL, NULL));
    SHOW("getcpu bad node pointer", syscall(SYS_getcpu, &cpu, BAD, NULL));
    return 0;
}
