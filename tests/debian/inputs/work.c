/* Compiled by cc1 alone, under vm and qemu: no #include, so that cc1 needs no header
   from the root's include directories (nor, through the -L lookup, from the host's). */
typedef unsigned long u64;
struct point { double x, y; };

static u64 mix(u64 h, u64 v) {
    h ^= v;
    h *= 0x100000001b3ul;
    return h ^ (h >> 29);
}

u64 hash(const unsigned char *p, int n) {
    u64 h = 14695981039346656037ul;
    while (n--)
        h = mix(h, *p++);
    return h;
}

double area(const struct point *v, int n) {
    double a = 0;
    for (int i = 0; i < n; i++) {
        const struct point *p = &v[i], *q = &v[(i + 1) % n];
        a += p->x * q->y - q->x * p->y;
    }
    return a / 2;
}

int classify(int c) {
    switch (c) {
    case 'a': case 'e': case 'i': case 'o': case 'u': return 1;
    case '0' ... '9': return 2;
    case ' ': return 3;
    default: return c > 127 ? 4 : 0;
    }
}

void sort(int *a, int n) {
    for (int i = 1; i < n; i++) {
        int v = a[i], j = i;
        while (j > 0 && a[j - 1] > v) {
            a[j] = a[j - 1];
            j--;
        }
        a[j] = v;
    }
}
