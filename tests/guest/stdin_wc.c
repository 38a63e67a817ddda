// stdin: first line\nsecond line with more words\n\n\tindented\tline\nno newline at end
/* Reads standard input to the end (the harness feeds it the text in the stdin line
 * above) and prints line, word and byte counts and each line reversed. */
#include <ctype.h>
#include <stdio.h>
#include <string.h>

int main(void) {
    char line[256];
    long lines = 0, words = 0, bytes = 0;
    while (fgets(line, sizeof line, stdin)) {
        size_t n = strlen(line);
        bytes += (long)n;
        if (n && line[n - 1] == '\n') {
            lines++;
            line[--n] = 0;
        }
        int in = 0;
        for (size_t i = 0; i < n; i++) {
            if (isspace((unsigned char)line[i])) in = 0;
            else if (!in) in = 1, words++;
        }
        printf("reversed: \"");
        for (size_t i = n; i > 0; i--) putchar(line[i - 1] == '\t' ? ' ' : line[i - 1]);
        printf("\"\n");
    }
    printf("lines=%ld words=%ld bytes=%ld eof=%d\n", lines, words, bytes, feof(stdin) != 0);
    return 0;
}
