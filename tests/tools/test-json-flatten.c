/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Copyright (C) 2026 The virtplug developers */
/*
 * test-json-flatten.c: the JSON reader behind vpsh's text output of JSON
 * documents (guestinfo): paths, decoding, and refusal of malformed input.
 */
#include <config.h>

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "vpsh.h"

typedef struct collected {
    char text[4096];
    size_t len;
} collected;

static void
collect(void *userdata, const char *path, const char *value)
{
    collected *c = userdata;
    int n = snprintf(c->text + c->len, sizeof(c->text) - c->len, "%s=%s|", path, value);
    assert_true(n > 0 && (size_t)n < sizeof(c->text) - c->len);
    c->len += (size_t)n;
}

static const char *
flatten(const char *json)
{
    static collected c;
    memset(&c, 0, sizeof(c));
    assert_int_equal(vpsh_json_flatten(json, collect, &c), 0);
    return c.text;
}

static void
test_paths(void **state)
{
    assert_string_equal(
        flatten("{\"info\": {\"version\": \"7.2.22\"}, \"fsinfo\": [{\"mountpoint\": \"/mnt\", "
                "\"used\": 1024, \"ro\": false}, {\"name\": null}], \"empty\": {}, \"e\": []}"),
        "info.version=7.2.22|fsinfo.0.mountpoint=/mnt|fsinfo.0.used=1024|fsinfo.0.ro=false|"
        "fsinfo.1.name=null|");
    assert_string_equal(flatten(" 42 "), "=42|");
    assert_string_equal(flatten("[-1.5e3, true]"), "0=-1.5e3|1=true|");
}

static void
test_string_escapes(void **state)
{
    assert_string_equal(flatten("{\"a\\\"b\": \"x\\/y\\n\\u00e9\\ud83d\\ude00\"}"),
                        "a\"b=x/y\n\xc3\xa9\xf0\x9f\x98\x80|");
}

static void
test_malformed(void **state)
{
    static const char *const bad[] = {
        "",          "{",          "[1,]",
        "{\"a\" 1}", "{\"a\":1,}", "\"unterminated",
        "tru",       "{} x",       "\"bad \\q escape\"",
        "\"\\u12\"", "{1: 2}",     "\"ctl \x01\"",
        "-",         "[1 2]",
    };
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        collected c = {0};
        if (vpsh_json_flatten(bad[i], collect, &c) != -1)
            fail_msg("accepted malformed JSON '%s'", bad[i]);
    }
}

static void
test_depth_limit(void **state)
{
    char deep[200];
    memset(deep, '[', 100);
    memset(deep + 100, ']', 99);
    deep[199] = '\0';
    collected c = {0};
    assert_int_equal(vpsh_json_flatten(deep, collect, &c), -1);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_paths),
        cmocka_unit_test(test_string_escapes),
        cmocka_unit_test(test_malformed),
        cmocka_unit_test(test_depth_limit),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
