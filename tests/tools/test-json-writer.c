/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Copyright (C) 2026 The virtplug developers */
/*
 * test-json-writer.c: tests of tools/vpsh/json-writer.c.
 *
 * Writes documents into memory and compares them byte for byte: nesting
 * and commas, empty containers, every escape RFC 8259 requires, and
 * invalid UTF-8 replaced so the output always parses.
 */
#include <config.h>

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>

#include <cmocka.h>

#include "vpsh.h"

typedef struct doc {
    char *text;
    size_t size;
    FILE *f;
    vpsh_json *js;
} doc;

static void
doc_open(doc *d)
{
    d->text = NULL;
    d->size = 0;
    d->f = open_memstream(&d->text, &d->size);
    assert_non_null(d->f);
    d->js = vpsh_json_new(d->f);
}

/* Close @d and compare it with @want; frees everything. */
static void
doc_check(doc *d, const char *want)
{
    vpsh_json_free(d->js);
    fclose(d->f);
    assert_string_equal(d->text, want);
    free(d->text);
}

static void
string_of(const char *in, const char *want)
{
    doc d;
    doc_open(&d);
    vpsh_json_string(d.js, NULL, in);
    _cleanup_free_ char *w = vp_asprintf("%s\n", want);
    doc_check(&d, w);
}

static void
test_nesting(void **state)
{
    doc d;
    doc_open(&d);
    vpsh_json_begin_object(d.js, NULL);
    vpsh_json_string(d.js, "name", "test");
    vpsh_json_int(d.js, "id", -1);
    vpsh_json_uint(d.js, "big", 18446744073709551615ull);
    vpsh_json_bool(d.js, "yes", true);
    vpsh_json_bool(d.js, "no", false);
    vpsh_json_null(d.js, "none");
    vpsh_json_string(d.js, "nullstr", NULL);
    vpsh_json_begin_array(d.js, "list");
    vpsh_json_int(d.js, NULL, 1);
    vpsh_json_begin_object(d.js, NULL);
    vpsh_json_end_object(d.js);
    vpsh_json_begin_array(d.js, NULL);
    vpsh_json_end_array(d.js);
    vpsh_json_end_array(d.js);
    vpsh_json_end_object(d.js);
    doc_check(&d, "{\n"
                  "  \"name\": \"test\",\n"
                  "  \"id\": -1,\n"
                  "  \"big\": 18446744073709551615,\n"
                  "  \"yes\": true,\n"
                  "  \"no\": false,\n"
                  "  \"none\": null,\n"
                  "  \"nullstr\": null,\n"
                  "  \"list\": [\n"
                  "    1,\n"
                  "    {},\n"
                  "    []\n"
                  "  ]\n"
                  "}\n");
}

static void
test_top_level_scalars(void **state)
{
    doc d;
    doc_open(&d);
    vpsh_json_begin_array(d.js, NULL);
    vpsh_json_end_array(d.js);
    doc_check(&d, "[]\n");
    doc_open(&d);
    vpsh_json_int(d.js, NULL, 42);
    doc_check(&d, "42\n");
}

static void
test_escapes(void **state)
{
    string_of("plain", "\"plain\"");
    string_of("", "\"\"");
    string_of("q\"b\\s/", "\"q\\\"b\\\\s/\"");
    string_of("\b\f\n\r\t", "\"\\b\\f\\n\\r\\t\"");
    string_of("\x01\x1f\x7f", "\"\\u0001\\u001f\\u007f\"");
    string_of("<domain name='x'>", "\"<domain name='x'>\"");
}

static void
test_utf8(void **state)
{
    /* Valid 2-, 3- and 4-byte sequences pass through unchanged. */
    string_of("caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80",
              "\"caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80\"");
    /* A lone continuation byte, a truncated sequence, an overlong '/',
     * a UTF-16 surrogate and a value past U+10FFFF are replaced. */
    string_of("a\x80z", "\"a\\ufffdz\"");
    string_of("a\xe2\x82z", "\"a\\ufffd\\ufffdz\"");
    string_of("\xc0\xaf", "\"\\ufffd\\ufffd\"");
    string_of("\xed\xa0\x80", "\"\\ufffd\\ufffd\\ufffd\"");
    string_of("\xf4\x90\x80\x80", "\"\\ufffd\\ufffd\\ufffd\\ufffd\"");
    string_of("\xff", "\"\\ufffd\"");
}

static void
test_keys_escaped(void **state)
{
    doc d;
    doc_open(&d);
    vpsh_json_begin_object(d.js, NULL);
    vpsh_json_int(d.js, "k\"\n", 1);
    vpsh_json_end_object(d.js);
    doc_check(&d, "{\n  \"k\\\"\\n\": 1\n}\n");
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_nesting),      cmocka_unit_test(test_top_level_scalars),
        cmocka_unit_test(test_escapes),      cmocka_unit_test(test_utf8),
        cmocka_unit_test(test_keys_escaped),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
