/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Copyright (C) 2026 The virtplug developers */
/*
 * test-format.c: tests of tools/vpsh/format.c, the text layouts vpsh
 * shares with virsh.
 *
 * Tables are printed into memory and compared byte for byte with virsh's
 * layout (a space before each cell, columns three spaces apart, a dashed
 * rule as wide as the columns plus their gaps, padded as virsh pads
 * them, without the header under -q); times
 * are formatted in UTC.
 */
#include <config.h>

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <time.h>

#include <cmocka.h>

#include "vpsh.h"

static char *
table_text_header(vpsh_table *t, bool header)
{
    char *text = NULL;
    size_t size = 0;
    FILE *f = open_memstream(&text, &size);
    assert_non_null(f);
    vpsh_table_print(t, f, header);
    fclose(f);
    vpsh_table_free(t);
    return text;
}

static char *
table_text(vpsh_table *t)
{
    return table_text_header(t, true);
}

static void
test_table_virsh_layout(void **state)
{
    static const char *const headers[] = {"Id", "Name", "State"};
    static const char *const row1[] = {"1", "test", "running"};
    static const char *const row2[] = {"-", "a-longer-name", "shut off"};
    vpsh_table *t = vpsh_table_new(3, headers);
    vpsh_table_add(t, row1);
    _cleanup_free_ char *one = table_text(t);
    assert_string_equal(one, " Id   Name   State\n"
                             "----------------------\n"
                             " 1    test   running\n");
    t = vpsh_table_new(3, headers);
    vpsh_table_add(t, row1);
    vpsh_table_add(t, row2);
    _cleanup_free_ char *two = table_text(t);
    assert_string_equal(two, " Id   Name            State\n"
                             "--------------------------------\n"
                             " 1    test            running\n"
                             " -    a-longer-name   shut off\n");
    /* -q: no header, columns as wide as their cells (virsh -q list). */
    t = vpsh_table_new(3, headers);
    vpsh_table_add(t, row1);
    _cleanup_free_ char *quiet = table_text_header(t, false);
    assert_string_equal(quiet, " 1   test   running\n");
}

static void
test_table_empty_and_blank_cells(void **state)
{
    static const char *const headers[] = {"Name", "Note"};
    static const char *const row[] = {"x", ""};
    vpsh_table *t = vpsh_table_new(2, headers);
    _cleanup_free_ char *empty = table_text(t);
    assert_string_equal(empty, " Name   Note\n"
                               "--------------\n");
    t = vpsh_table_new(2, headers);
    vpsh_table_add(t, row);
    _cleanup_free_ char *blank = table_text(t);
    /* As virsh's: the cells before the last are padded, also when the
     * last one is empty (list --title with no title). */
    assert_string_equal(blank, " Name   Note\n"
                               "--------------\n"
                               " x      \n");
}

static void
test_time_iso(void **state)
{
    char buf[64];
    assert_int_equal(setenv("TZ", "UTC", 1), 0);
    tzset();
    assert_string_equal(vpsh_time_iso(86400LL * 1000000 + 999999, buf, sizeof(buf)),
                        "1970-01-02T00:00:00+0000");
    assert_string_equal(vpsh_time_iso(1795000000LL * 1000000, buf, sizeof(buf)),
                        "2026-11-18T11:06:40+0000");
    /* Not reached yet, or nonsense: a dash, as in the text output. */
    assert_string_equal(vpsh_time_iso(0, buf, sizeof(buf)), "-");
    assert_string_equal(vpsh_time_iso(-5, buf, sizeof(buf)), "-");
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_table_virsh_layout),
        cmocka_unit_test(test_table_empty_and_blank_cells),
        cmocka_unit_test(test_time_iso),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
