/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Copyright (C) 2026 The virtplug developers */
/*
 * format.c: the text-mode layouts vpsh shares with virsh.
 *
 * Owns the "key: value" lines, the tables with a dashed rule under the
 * header (byte for byte as virsh's, also without the header under -q),
 * and local ISO-8601 times. It prints only to the stream it is
 * given (stdout for results) and never prints errors.
 */
#include <config.h>

#include <stdarg.h>
#include <time.h>

#include "vpsh.h"

const char *
vpsh_time_iso(int64_t us, char *buf, size_t size)
{
    struct tm tm;
    time_t t = (time_t)(us / 1000000);
    if (us <= 0 || !localtime_r(&t, &tm) || strftime(buf, size, "%Y-%m-%dT%H:%M:%S%z", &tm) == 0)
        snprintf(buf, size, "-");
    return buf;
}

void
vpsh_kv(const char *key, const char *fmt, ...)
{
    va_list ap;
    _cleanup_free_ char *label = vp_asprintf("%s:", key);
    printf("%-15s ", label);
    va_start(ap, fmt);
    vprintf(fmt, ap);
    va_end(ap);
    putchar('\n');
}

struct vpsh_table {
    size_t ncols;
    size_t nrows; /* the header is row 0 */
    char **cells; /* nrows * ncols, owned */
};

vpsh_table *
vpsh_table_new(size_t ncols, const char *const *headers)
{
    vpsh_table *t = vp_new0(vpsh_table, 1);
    t->ncols = ncols;
    vpsh_table_add(t, headers);
    return t;
}

void
vpsh_table_add(vpsh_table *t, const char *const *cells)
{
    size_t ncells = (t->nrows + 1) * t->ncols;
    t->cells = vp_renew(char *, t->cells, ncells);
    for (size_t c = 0; c < t->ncols; c++)
        t->cells[t->nrows * t->ncols + c] = vp_strdup(cells[c] ? cells[c] : "");
    t->nrows++;
}

/* One row as virsh's: a space, then every cell but the last padded to
 * its column, three spaces apart; the last cell is not padded. */
static void
table_print_row(const vpsh_table *t, size_t row, const size_t *widths, FILE *out)
{
    fputc(' ', out);
    for (size_t c = 0; c < t->ncols; c++) {
        const char *cell = t->cells[row * t->ncols + c];
        if (c + 1 < t->ncols)
            fprintf(out, "%-*s   ", (int)widths[c], cell);
        else
            fputs(cell, out);
    }
    fputc('\n', out);
}

void
vpsh_table_print(const vpsh_table *t, FILE *out, bool header)
{
    _cleanup_free_ size_t *widths = vp_new0(size_t, t->ncols);
    size_t total = 0;
    for (size_t r = header ? 0 : 1; r < t->nrows; r++)
        for (size_t c = 0; c < t->ncols; c++) {
            size_t len = strlen(t->cells[r * t->ncols + c]);
            if (len > widths[c])
                widths[c] = len;
        }
    for (size_t c = 0; c < t->ncols; c++)
        total += widths[c] + 3;
    if (header) {
        table_print_row(t, 0, widths, out);
        for (size_t i = 0; i < total; i++)
            fputc('-', out);
        fputc('\n', out);
    }
    for (size_t r = 1; r < t->nrows; r++)
        table_print_row(t, r, widths, out);
}

void
vpsh_table_free(vpsh_table *t)
{
    if (!t)
        return;
    for (size_t i = 0; i < t->nrows * t->ncols; i++)
        free(t->cells[i]);
    free(t->cells);
    free(t);
}
