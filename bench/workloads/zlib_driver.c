/* Compression workload for vm's benchmarks: builds argv[1] KiB of deterministic data
 * shaped like what zlib meets in practice, compresses it with zlib at levels 1, 6 and 9,
 * decompresses each result, checks the round trip, and prints the compressed sizes, then
 * a summary line with the CRC-32.
 *
 * The data is a seeded mix of blocks of a few KiB: English-like prose (words drawn from
 * a list with a Zipf-like skew, in sentences and paragraphs wrapped at 72 columns,
 * about 3:1 at level 6), server log lines (timestamps, ids, paths, status codes), tables
 * of little-endian binary records (counters, timestamps, slowly varying readings) and a
 * little noise standing for already-compressed content. Only integer arithmetic: every
 * target produces the same bytes. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "zlib.h"

/* splitmix64: a fixed seed gives the same stream on every target. */
static uint64_t rng_state = 0x5eed5eed5eed5eedull;

static uint64_t next(void) {
    uint64_t z = (rng_state += 0x9e3779b97f4a7c15ull);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    return z ^ (z >> 31);
}

static unsigned below(unsigned n) { return (unsigned)(next() % n); }

/* An index below n, small ones most often: the product of two uniform draws, scaled,
 * has a density falling like -ln(x), a rough stand-in for Zipf's law. */
static unsigned skewed(unsigned n) {
    unsigned a = below(n);
    unsigned b = below(n);
    return a * b / n;
}

/* Most frequent first: skewed() picks them most often. */
static const char *const words[] = {
    "the", "of", "and", "to", "a", "in", "is", "that", "for", "it", "as", "was", "with",
    "be", "by", "on", "not", "he", "this", "are", "or", "his", "from", "at", "which",
    "but", "have", "an", "had", "they", "you", "were", "their", "one", "all", "we",
    "can", "her", "has", "there", "been", "if", "more", "when", "will", "would", "who",
    "so", "no", "she", "other", "its", "may", "these", "what", "them", "than", "some",
    "him", "time", "into", "only", "do", "could", "new", "about", "two", "then",
    "first", "also", "any", "like", "our", "over", "such", "people", "years", "very",
    "after", "most", "made", "should", "between", "where", "many", "before", "must",
    "through", "back", "much", "good", "well", "state", "way", "under", "work", "those",
    "same", "great", "might", "system", "because", "world", "each", "house", "while",
    "part", "number", "again", "place", "long", "small", "little", "against", "water",
    "public", "point", "during", "without", "another", "every", "found", "general",
    "still", "since", "around", "however", "country", "given", "hand", "life", "three",
    "early", "school", "large", "old", "night", "power", "often", "called", "program",
    "memory", "order", "course", "family", "question", "important", "government",
    "several", "possible", "although", "development", "interest", "together", "others",
    "history", "example", "morning", "problem", "different", "national", "following",
    "certain", "process", "already", "moment", "himself", "service", "information",
    "political", "evening", "whether", "something", "language", "children", "business",
    "difficult", "machine", "register", "compiler", "translation", "river", "mountain",
    "village", "garden", "letter", "window", "journey", "market", "winter", "summer",
    "silence", "answer", "reason", "doctor", "captain", "station", "harbour", "engine",
    "signal", "library", "theory", "measure", "surface", "pressure", "distance",
    "yellow", "quickly", "slowly", "certainly", "perhaps", "suddenly", "remember",
    "understand", "believe", "continue", "consider", "describe", "happened",
};
#define NWORDS (sizeof words / sizeof *words)

/* Word pairs and phrases that English repeats, as LZ77 finds in real text. */
static const char *const phrases[] = {
    "of the", "in the", "to the", "on the", "and the", "for the", "it was", "at the",
    "from the", "with the", "there is", "there was", "one of the", "as well as",
    "in order to", "at the same time", "it is", "he said", "she said", "the end of",
    "a number of", "the first", "in which", "such as", "by the", "that the", "of a",
    "was a", "is a", "had been", "has been", "would have", "could not", "did not",
    "the other", "some of the", "each other", "the same", "more than", "as if",
};
#define NPHRASES (sizeof phrases / sizeof *phrases)

/* An output buffer that stops filling at its end. */
struct out {
    unsigned char *buf;
    size_t len, at;
};

static void put(struct out *o, const void *p, size_t n) {
    if (n > o->len - o->at) n = o->len - o->at;
    memcpy(o->buf + o->at, p, n);
    o->at += n;
}

static void put_le(struct out *o, uint64_t v, int bytes) {
    unsigned char b[8];
    for (int i = 0; i < bytes; i++) b[i] = (unsigned char)(v >> (8 * i));
    put(o, b, (size_t)bytes);
}

/* Paragraphs of prose up to `end`, wrapped at 72 columns. */
static void prose(struct out *o, size_t end) {
    unsigned col = 0;
    while (o->at < end) {
        unsigned sentences = 3 + below(6);
        for (unsigned s = 0; s < sentences; s++) {
            unsigned n = 5 + below(14);
            for (unsigned w = 0; w < n; w++) {
                char word[24];
                unsigned pick = below(40);
                if (pick == 0) {
                    unsigned number = below(8) ? 1800 + below(230) : below(100);
                    snprintf(word, sizeof word, "%u", number);
                } else if (pick < 12) {
                    snprintf(word, sizeof word, "%s", phrases[skewed(NPHRASES)]);
                } else {
                    snprintf(word, sizeof word, "%s", words[skewed(NWORDS)]);
                }
                if (w == 0 && word[0] >= 'a' && word[0] <= 'z') word[0] -= 'a' - 'A';
                size_t len = strlen(word);
                if (w + 1 == n) {
                    unsigned p = below(20);
                    word[len++] = p < 17 ? '.' : p < 19 ? '?' : '!';
                } else if (below(9) == 0) {
                    word[len++] = ',';
                }
                if (col > 0 && col + 1 + len > 72) {
                    put(o, "\n", 1);
                    col = 0;
                } else if (col > 0) {
                    put(o, " ", 1);
                    col++;
                }
                put(o, word, len);
                col += (unsigned)len;
            }
        }
        put(o, "\n\n", 2);
        col = 0;
    }
}

static const char *const paths[] = {"users", "orders", "items", "search", "login",
                                    "cart", "images", "status", "reports", "settings"};
static const unsigned statuses[] = {200, 200, 200, 200, 200, 200, 304, 201, 404, 500};
static const char *const severities[] = {"INFO ", "INFO ", "INFO ", "DEBUG", "WARN ", "ERROR"};

/* Web-server-like log lines up to `end`; the clock only moves forward. Every random
 * draw has a statement of its own: the order in which function arguments are evaluated
 * differs between compilers and targets. */
static void logs(struct out *o, size_t end, uint64_t *clock_ms) {
    while (o->at < end) {
        *clock_ms += below(400);
        uint64_t t = *clock_ms;
        const char *severity = severities[below(6)];
        unsigned worker = below(8);
        const char *path = paths[below(10)];
        unsigned id = below(5000);
        unsigned status = statuses[below(10)];
        unsigned bytes = 200 + below(30000);
        unsigned ms = 1 + below(250);
        char line[160];
        int n = snprintf(line, sizeof line,
                         "2024-03-%02u %02u:%02u:%02u.%03u %s [worker-%u] GET /api/v1/%s/%u "
                         "status=%u bytes=%u ms=%u\n",
                         (unsigned)(1 + t / 86400000 % 28), (unsigned)(t / 3600000 % 24),
                         (unsigned)(t / 60000 % 60), (unsigned)(t / 1000 % 60),
                         (unsigned)(t % 1000), severity, worker, path, id, status, bytes, ms);
        put(o, line, (size_t)n);
    }
}

/* Little-endian 32-byte records up to `end`: a sequence number, a timestamp, a sensor
 * name and id, flags that are mostly zero, and readings that drift slowly. */
static void records(struct out *o, size_t end, uint32_t *seq) {
    static const char names[][4] = {{'T', 'E', 'M', 'P'}, {'H', 'U', 'M', 'I'},
                                    {'P', 'R', 'E', 'S'}, {'W', 'I', 'N', 'D'}};
    static int32_t reading[4] = {2150, 4800, 101325, 350};
    static uint32_t stamp = 1700000000;
    while (o->at < end) {
        unsigned sensor = below(4);
        reading[sensor] += (int32_t)below(41) - 20;
        stamp += 1 + below(30);
        put_le(o, ++*seq, 4);
        put_le(o, stamp, 4);
        put(o, names[sensor], 4);
        put_le(o, sensor, 2);
        put_le(o, below(16) == 0 ? 1u << below(16) : 0, 2);
        put_le(o, (uint32_t)reading[sensor], 4);
        put_le(o, (uint32_t)(reading[sensor] / 10), 4);
        put_le(o, (uint64_t)(below(1000) * 1000 + sensor), 8);
    }
}

static void noise(struct out *o, size_t end) {
    while (o->at < end) put_le(o, next(), 8);
}

/* Fills `buf` with a mix of blocks; `made` gets the bytes of each kind. */
static void fill(unsigned char *buf, size_t len, size_t made[4]) {
    struct out o = {buf, len, 0};
    uint64_t clock_ms = 0;
    uint32_t seq = 0;
    while (o.at < len) {
        size_t start = o.at, end = o.at + 2048 + below(14 * 1024);
        if (end > len) end = len;
        unsigned kind = below(100);
        kind = kind < 55 ? 0 : kind < 77 ? 1 : kind < 94 ? 2 : 3;
        switch (kind) {
        case 0: prose(&o, end); break;
        case 1: logs(&o, end, &clock_ms); break;
        case 2: records(&o, end, &seq); break;
        default: noise(&o, end); break;
        }
        made[kind] += o.at - start;
    }
}

/* `part` as a percentage of `whole`, rounded down. */
static unsigned percent(size_t part, size_t whole) {
    return whole ? (unsigned)(part * 100 / whole) : 0;
}

int main(int argc, char **argv) {
    size_t len = (size_t)(argc > 1 ? atol(argv[1]) : 1024) * 1024;
    unsigned char *data = malloc(len), *back = malloc(len);
    uLongf bound = compressBound(len);
    unsigned char *packed = malloc(bound);
    if (!data || !back || !packed) return 1;
    size_t made[4] = {0, 0, 0, 0};
    fill(data, len, made);
    printf("input: %zu bytes: prose %u%%, logs %u%%, records %u%%, noise %u%%\n", len,
           percent(made[0], len), percent(made[1], len), percent(made[2], len),
           percent(made[3], len));
    int levels[] = {1, 6, 9};
    unsigned long sizes[3];
    for (int i = 0; i < 3; i++) {
        uLongf plen = bound;
        if (compress2(packed, &plen, data, len, levels[i]) != Z_OK) return 2;
        uLongf blen = len;
        if (uncompress(back, &blen, packed, plen) != Z_OK || blen != len ||
            memcmp(back, data, len)) {
            fprintf(stderr, "round trip failed at level %d\n", levels[i]);
            return 3;
        }
        sizes[i] = (unsigned long)plen;
        unsigned long r100 = (unsigned long)(len * 100 / plen);
        printf("level %d: %zu -> %lu bytes (%lu.%02lu:1)\n", levels[i], len, sizes[i],
               r100 / 100, r100 % 100);
    }
    printf("%zu bytes -> %lu / %lu / %lu at levels 1/6/9, crc32 %08lx adler32 %08lx\n", len,
           sizes[0], sizes[1], sizes[2], crc32(0, data, (uInt)len), adler32(1, data, (uInt)len));
    return 0;
}
