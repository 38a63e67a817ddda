# Descriptor numbers under a low RLIMIT_NOFILE after shared mappings: the lowest free
# numbers are the program's (vm once took one for a mapping of its own).
import mmap, os, resource
resource.setrlimit(resource.RLIMIT_NOFILE, (64, 64))
anon = mmap.mmap(-1, 4096)
with open('shared.bin', 'wb') as f:
    f.write(b'x' * 4096)
with open('shared.bin', 'r+b') as f:
    filemap = mmap.mmap(f.fileno(), 0)
r, w = os.pipe()
print('pipe', r, w, 'open', os.open('shared.bin', os.O_RDONLY))
pid = os.fork()
if pid == 0:
    os._exit(os.pipe()[1])
print('the child got', os.waitstatus_to_exitcode(os.waitpid(pid, 0)[1]))
