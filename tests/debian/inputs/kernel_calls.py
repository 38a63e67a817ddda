# Scheduling, affinity, priorities, rusage, rlimits, interval timers of the three
# kinds, file and anonymous mmap across fork, poll/epoll/select.
import os, resource, signal, time, select, mmap, sys
print(sorted(os.sched_getaffinity(0)) == list(range(len(os.sched_getaffinity(0)))))
os.sched_setaffinity(0, {0}); print(os.sched_getaffinity(0))
print(os.sched_getscheduler(0), os.sched_get_priority_max(os.SCHED_FIFO), os.sched_get_priority_min(os.SCHED_RR))
print(os.getpriority(os.PRIO_PROCESS, 0)); os.setpriority(os.PRIO_PROCESS, 0, 5); print(os.getpriority(os.PRIO_PROCESS, 0), os.nice(2))
try: os.sched_setscheduler(0, os.SCHED_BATCH, os.sched_param(0)); print('batch', os.sched_getscheduler(0))
except OSError as e: print('e', e.errno)
try: os.sched_setscheduler(0, os.SCHED_IDLE, os.sched_param(0)); print('idle', os.sched_getscheduler(0))
except OSError as e: print('e', e.errno)
print(os.sched_rr_get_interval(0) >= 0)
ru = resource.getrusage(resource.RUSAGE_SELF); print(ru.ru_maxrss > 0, ru.ru_utime >= 0)
ru = resource.getrusage(resource.RUSAGE_CHILDREN); print(ru.ru_maxrss >= 0)
print(resource.getrlimit(resource.RLIMIT_NOFILE)[0] > 0)
resource.setrlimit(resource.RLIMIT_NOFILE, (64, 64)); print(resource.getrlimit(resource.RLIMIT_NOFILE))
try: resource.setrlimit(resource.RLIMIT_NOFILE, (65, 128))
except (ValueError, OSError) as e: print('raise', type(e).__name__)
n = [0]
def h(s, f): n[0] += 1
signal.signal(signal.SIGALRM, h)
signal.setitimer(signal.ITIMER_REAL, 0.01, 0.01)
while n[0] < 5: signal.pause()
r = signal.setitimer(signal.ITIMER_REAL, 0); print('ticks', n[0], r[1])
print(signal.getitimer(signal.ITIMER_REAL))
signal.signal(signal.SIGVTALRM, h); n[0] = 0
signal.setitimer(signal.ITIMER_VIRTUAL, 0.01, 0.01)
while n[0] < 3: pass
signal.setitimer(signal.ITIMER_VIRTUAL, 0); print('vticks', n[0])
signal.signal(signal.SIGPROF, h); n[0] = 0
signal.setitimer(signal.ITIMER_PROF, 0.01, 0.01)
while n[0] < 3: pass
signal.setitimer(signal.ITIMER_PROF, 0); print('pticks', n[0])
with open('m', 'wb') as f: f.write(b'a' * 10000)
with open('m', 'r+b') as f:
    m = mmap.mmap(f.fileno(), 0); m[0:5] = b'hello'; m.flush(); print(m[:7], len(m), m.find(b'aaa', 100))
    m.resize(20000); print(len(m), os.path.getsize('m')); m.close()
print(open('m','rb').read(6))
m = mmap.mmap(-1, 4096); m.write(b'anon'); pid = os.fork()
if pid == 0: m.seek(0); m.write(b'CHLD'); os._exit(0)
os.waitpid(pid, 0); print(m[:4])
m2 = mmap.mmap(-1, 4096, flags=mmap.MAP_PRIVATE); m2[:1] = b'p'; pid = os.fork()
if pid == 0: m2[:1] = b'c'; os._exit(0)
os.waitpid(pid, 0); print(m2[:1])
p = select.poll(); r, w = os.pipe(); p.register(r, select.POLLIN); print(p.poll(10)); os.write(w, b'x'); print(p.poll(10))
ep = select.epoll(); ep.register(r, select.EPOLLIN | select.EPOLLET); print(ep.poll(0.01)); os.write(w, b'y'); print(ep.poll(0.01), ep.poll(0.01))
print(select.select([r], [w], [], 0))
os.close(w); print(select.select([r], [], [], 1)[0] == [r], os.read(r, 10), os.read(r, 10))
t0 = time.monotonic(); select.select([], [], [], 0.05); print(time.monotonic() - t0 >= 0.05)
print(os.times().elapsed > 0, time.clock_getres(time.CLOCK_MONOTONIC), time.clock_gettime(time.CLOCK_PROCESS_CPUTIME_ID) > 0, time.clock_gettime(time.CLOCK_THREAD_CPUTIME_ID) > 0)
print(os.sysconf('SC_PAGE_SIZE'), os.sysconf('SC_CLK_TCK'), os.sysconf('SC_NPROCESSORS_ONLN') > 0)
