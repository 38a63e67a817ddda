# Read by python3 from stdin (`python3 - N FILE`): a traceback names a script file by
# its absolute path, which differs between two runs in two directories.
import sys
from collections import Counter


def top(counts, n):
    return sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))[:n]


def check(words):
    if len(words) > 5:
        raise ValueError(f'{len(words)} words is too many')


words = open(sys.argv[2]).read().split()
for word, n in top(Counter(words), int(sys.argv[1])):
    print(f'{word:>8} {n}')
print('args:', sys.argv, file=sys.stderr)
check(words)
