# inotify through ctypes: the events of creating, renaming, changing and removing
# files in a watched directory, IN_ONESHOT, bad watches, FIONREAD.
import ctypes, os, struct, select
libc = ctypes.CDLL(None, use_errno=True)
fd = libc.inotify_init1(os.O_NONBLOCK | os.O_CLOEXEC)
os.mkdir('w')
wd = libc.inotify_add_watch(fd, b'w', 0xfff | 0x2000000 * 0)
print('wd', wd)
open('w/a', 'w').write('x'); os.rename('w/a', 'w/b'); os.chmod('w/b', 0o600); os.unlink('w/b'); os.mkdir('w/d'); os.rmdir('w/d')
with open('w/c', 'w') as f: f.write('y')
open('w/c').read()
def events():
    out = []
    try: buf = os.read(fd, 4096)
    except BlockingIOError: return out
    i = 0
    while i < len(buf):
        w, mask, cookie, ln = struct.unpack_from('iIII', buf, i); name = buf[i+16:i+16+ln].rstrip(b'\0')
        out.append((w, hex(mask), cookie != 0, name.decode())); i += 16 + ln
    return out
for e in events(): print(e)
print(libc.inotify_rm_watch(fd, wd), events())
print(libc.inotify_rm_watch(fd, 99), ctypes.get_errno())
wd2 = libc.inotify_add_watch(fd, b'w/c', 0x00000004 | 0x80000000)  # ATTRIB|ONESHOT
os.utime('w/c', (1, 1)); os.utime('w/c', (2, 2)); print(events())
print(libc.inotify_add_watch(fd, b'nonexist', 0xfff), ctypes.get_errno())
p = select.poll(); p.register(fd, select.POLLIN); print(p.poll(0))
import fcntl, termios, array
a = array.array('i', [0]); fcntl.ioctl(fd, termios.FIONREAD, a); print('fionread', a[0])
