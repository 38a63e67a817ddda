/* A small SQLite shell for the tests (the libsqlite3-sys crate ships the amalgamation
 * without shell.c): opens the database file argv[1], executes the SQL in file argv[2]
 * statement by statement, and prints each result row as `col|col|...` (NULL as
 * "NULL"). An error prints "error: <message>" and goes on with the next statement; the
 * exit status is the number of failed statements (capped at 100). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sqlite3.h"

static char *read_file(const char *path) {
    FILE *f = fopen(path, "rb");
    if (!f) return NULL;
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    char *buf = malloc((size_t)n + 1);
    if (buf && fread(buf, 1, (size_t)n, f) != (size_t)n) {
        free(buf);
        buf = NULL;
    }
    if (buf) buf[n] = 0;
    fclose(f);
    return buf;
}

int main(int argc, char **argv) {
    if (argc != 3) {
        fprintf(stderr, "usage: %s DB SQLFILE\n", argv[0]);
        return 100;
    }
    char *sql = read_file(argv[2]);
    if (!sql) {
        fprintf(stderr, "cannot read %s\n", argv[2]);
        return 100;
    }
    sqlite3 *db;
    if (sqlite3_open(argv[1], &db) != SQLITE_OK) {
        fprintf(stderr, "cannot open %s: %s\n", argv[1], sqlite3_errmsg(db));
        return 100;
    }
    int failures = 0;
    const char *tail = sql;
    while (*tail) {
        sqlite3_stmt *stmt = NULL;
        const char *next = NULL;
        if (sqlite3_prepare_v2(db, tail, -1, &stmt, &next) != SQLITE_OK) {
            printf("error: %s\n", sqlite3_errmsg(db));
            failures++;
            /* Skip to the end of the bad statement. */
            const char *semi = strchr(tail, ';');
            tail = semi ? semi + 1 : tail + strlen(tail);
            continue;
        }
        tail = next;
        if (!stmt) continue; /* whitespace or a comment */
        int rc;
        while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
            int cols = sqlite3_column_count(stmt);
            for (int i = 0; i < cols; i++) {
                const unsigned char *v = sqlite3_column_text(stmt, i);
                printf("%s%s", i ? "|" : "", v ? (const char *)v : "NULL");
            }
            printf("\n");
        }
        if (rc != SQLITE_DONE) {
            printf("error: %s\n", sqlite3_errmsg(db));
            failures++;
        }
        sqlite3_finalize(stmt);
    }
    if (sqlite3_close(db) != SQLITE_OK) {
        fprintf(stderr, "close failed: %s\n", sqlite3_errmsg(db));
        failures++;
    }
    free(sql);
    return failures > 100 ? 100 : failures;
}
