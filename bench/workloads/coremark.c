/* An integer workload of the CoreMark kind, written for vm's benchmarks: linked-list
 * search and reversal, integer matrix multiply, a byte-driven state machine, and CRC-16
 * over all of their results. argv[1] is the number of iterations; the program prints a
 * checksum that depends on every iteration, so a runner that computes something
 * different prints something different. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

/* Sizes balance the three kernels' native time roughly evenly: the list's insertion
 * sort is quadratic and latency-bound, and with 256 nodes it was 80% of the run. */
#define LIST_LEN 96
#define MAT_N 24
#define TEXT_LEN 512

static uint16_t crc16_byte(uint16_t crc, uint8_t b) {
    crc ^= b;
    for (int i = 0; i < 8; i++) crc = (crc & 1) ? (uint16_t)((crc >> 1) ^ 0xA001) : (uint16_t)(crc >> 1);
    return crc;
}

static uint16_t crc16_u32(uint16_t crc, uint32_t v) {
    for (int i = 0; i < 4; i++) crc = crc16_byte(crc, (uint8_t)(v >> (8 * i)));
    return crc;
}

struct node {
    struct node *next;
    int32_t key;
    int32_t value;
};

static struct node pool[LIST_LEN];

static struct node *list_build(uint32_t seed) {
    struct node *head = NULL;
    for (int i = 0; i < LIST_LEN; i++) {
        seed = seed * 1103515245u + 12345u;
        pool[i].key = (int32_t)((seed >> 8) % 1000);
        pool[i].value = i;
        pool[i].next = head;
        head = &pool[i];
    }
    return head;
}

static struct node *list_reverse(struct node *head) {
    struct node *prev = NULL;
    while (head) {
        struct node *next = head->next;
        head->next = prev;
        prev = head;
        head = next;
    }
    return prev;
}

/* Insertion sort by key: pointer chasing with data-dependent branches. */
static struct node *list_sort(struct node *head) {
    struct node *sorted = NULL;
    while (head) {
        struct node *n = head;
        head = head->next;
        struct node **at = &sorted;
        while (*at && (*at)->key < n->key) at = &(*at)->next;
        n->next = *at;
        *at = n;
    }
    return sorted;
}

static uint32_t list_work(uint32_t seed) {
    struct node *head = list_sort(list_build(seed));
    head = list_reverse(head);
    uint32_t acc = 0;
    for (int32_t want = 0; want < 1000; want += 37) {
        int pos = 0;
        for (struct node *n = head; n; n = n->next, pos++)
            if (n->key == want) {
                acc += (uint32_t)(pos * 31 + n->value);
                break;
            }
    }
    return acc;
}

static int32_t ma[MAT_N][MAT_N], mb[MAT_N][MAT_N], mc[MAT_N][MAT_N];

static uint32_t matrix_work(uint32_t seed) {
    for (int i = 0; i < MAT_N; i++)
        for (int j = 0; j < MAT_N; j++) {
            seed = seed * 1664525u + 1013904223u;
            ma[i][j] = (int32_t)(seed >> 20) - 2048;
            mb[i][j] = (int32_t)((seed >> 4) & 0xff) - 128;
        }
    for (int i = 0; i < MAT_N; i++)
        for (int j = 0; j < MAT_N; j++) {
            int32_t s = 0;
            for (int k = 0; k < MAT_N; k++) s += ma[i][k] * mb[k][j];
            mc[i][j] = s;
        }
    uint32_t acc = 0;
    for (int i = 0; i < MAT_N; i++)
        for (int j = 0; j < MAT_N; j++) acc = acc * 33u + (uint32_t)(mc[i][j] > 0 ? mc[i][j] >> 2 : -mc[i][j]);
    return acc;
}

/* Classifies comma-separated tokens as integers, hex numbers, floats or words. */
enum state { START, SIGN, INT, HEX0, HEX, FRAC, WORD, BAD, NSTATES };

static uint32_t state_work(uint32_t seed) {
    static const char alphabet[] = "0123456789abcdefx.+-,,  ";
    char text[TEXT_LEN];
    for (int i = 0; i < TEXT_LEN; i++) {
        seed = seed * 22695477u + 1u;
        text[i] = alphabet[(seed >> 16) % (sizeof alphabet - 1)];
    }
    uint32_t counts[NSTATES] = {0};
    enum state s = START;
    for (int i = 0; i < TEXT_LEN; i++) {
        char c = text[i];
        if (c == ',' || c == ' ') {
            counts[s]++;
            s = START;
            continue;
        }
        int digit = c >= '0' && c <= '9';
        int hexletter = c >= 'a' && c <= 'f';
        switch (s) {
        case START: s = (c == '+' || c == '-') ? SIGN : c == '0' ? HEX0 : digit ? INT : hexletter ? WORD : BAD; break;
        case SIGN: s = digit ? INT : BAD; break;
        case INT: s = digit ? INT : c == '.' ? FRAC : BAD; break;
        case HEX0: s = c == 'x' ? HEX : digit ? INT : c == '.' ? FRAC : BAD; break;
        case HEX: s = (digit || hexletter) ? HEX : BAD; break;
        case FRAC: s = digit ? FRAC : BAD; break;
        case WORD: s = hexletter ? WORD : BAD; break;
        default: break;
        }
    }
    counts[s]++;
    uint32_t acc = 0;
    for (int i = 0; i < NSTATES; i++) acc = acc * 131u + counts[i];
    return acc;
}

int main(int argc, char **argv) {
    long iterations = argc > 1 ? atol(argv[1]) : 100;
    uint16_t crc = 0xffff;
    for (long it = 0; it < iterations; it++) {
        uint32_t seed = (uint32_t)it * 2654435761u + 7u;
        crc = crc16_u32(crc, list_work(seed));
        crc = crc16_u32(crc, matrix_work(seed));
        crc = crc16_u32(crc, state_work(seed));
    }
    printf("coremark-like: %ld iterations, checksum %04x\n", iterations, crc);
    return 0;
}
