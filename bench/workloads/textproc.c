/* A small text tool for the startup workloads, in the role of the short programs a
 * build or a shell pipeline runs: `gen N` writes N numbered lines; `upper` copies stdin
 * to stdout in upper case; `count` prints the lines, words and bytes of stdin; `sum
 * WORD...` prints a hash of its arguments (one short process per call). */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int main(int argc, char **argv) {
    if (argc >= 3 && strcmp(argv[1], "gen") == 0) {
        long n = atol(argv[2]);
        for (long i = 0; i < n; i++) printf("line %ld of %ld: some words to count\n", i, n);
        return 0;
    }
    if (argc == 2 && strcmp(argv[1], "upper") == 0) {
        int c;
        while ((c = getchar()) != EOF) putchar(toupper(c));
        return 0;
    }
    if (argc == 2 && strcmp(argv[1], "count") == 0) {
        long lines = 0, words = 0, bytes = 0;
        int c, inword = 0;
        while ((c = getchar()) != EOF) {
            bytes++;
            if (c == '\n') lines++;
            if (isspace(c)) inword = 0;
            else if (!inword) inword = 1, words++;
        }
        printf("%ld %ld %ld\n", lines, words, bytes);
        return 0;
    }
    if (argc >= 2 && strcmp(argv[1], "sum") == 0) {
        unsigned long h = 5381;
        for (int i = 2; i < argc; i++)
            for (const char *p = argv[i]; *p; p++) h = h * 33 + (unsigned char)*p;
        printf("%s %lx\n", argc > 2 ? argv[2] : "-", h);
        return 0;
    }
    fprintf(stderr, "usage: %s gen N | upper | count | sum WORD...\n", argv[0]);
    return 2;
}
