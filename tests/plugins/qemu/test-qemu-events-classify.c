/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Copyright (C) 2026 The virtplug developers */
/*
 * test-qemu-events-classify.c: qemu_events_harmless()
 * (plugins/qemu/qemu-events-classify.c) passes whole CRLF-ended lines of
 * allowed QMP events, as QEMU 7.2 writes them into a domain's events log,
 * and nothing else: a run-state event among them, a torn or LF-only line,
 * a name close to an allowed one, a member QMP events do not have, two
 * objects on a line, a NUL byte, an empty line, more than 64 KiB
 * (whitespace after the object, which json-c skips, passes).
 */
#include <config.h>

#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include <json-c/json.h>

#include "qemu-events-classify.h"

#define RTC                                                                                        \
    "{\"timestamp\": {\"seconds\": 1765070000, \"microseconds\": 123456}, \"event\": "             \
    "\"RTC_CHANGE\", \"data\": {\"offset\": 0, \"qom-path\": \"/machine/unattached/device[9]\"}}"
#define BALLOON                                                                                    \
    "{\"timestamp\": {\"seconds\": 1765070001, \"microseconds\": 2}, \"event\": "                  \
    "\"BALLOON_CHANGE\", \"data\": {\"actual\": 33554432}}"
#define STOP "{\"timestamp\": {\"seconds\": 1765070002, \"microseconds\": 3}, \"event\": \"STOP\"}"

#define TRAY(open, id)                                                                             \
    "{\"timestamp\": {\"seconds\": 1765070003, \"microseconds\": 4}, \"event\": "                  \
    "\"DEVICE_TRAY_MOVED\", \"data\": {\"device\": \"\", \"tray-open\": " open ", \"id\": \"" id   \
    "\"}}"

static bool
harmless(const char *text)
{
    return qemu_events_harmless(text, strlen(text));
}

static void
test_allowed_lines(void **state)
{
    (void)state;
    assert_true(harmless(""));
    assert_true(harmless(RTC "\r\n"));
    assert_true(harmless(RTC "\r\n" BALLOON "\r\n"));
    assert_true(harmless("{\"event\": \"RTC_CHANGE\"} \r\n"));
    assert_true(harmless("{\"event\": \"VSERPORT_CHANGE\", \"data\": {\"open\": true, \"id\": "
                         "\"channel0\"}}\r\n"));
}

static void
test_everything_else(void **state)
{
    (void)state;
    static const char *const refused[] = {
        STOP "\r\n",
        RTC "\r\n" STOP "\r\n",
        STOP "\r\n" RTC "\r\n",
        RTC,                 /* torn: no line end yet */
        RTC "\r",            /* torn in the line end */
        RTC "\n",            /* not QEMU's line end */
        RTC "\r\n{\"timest", /* a second line being written */
        "{\"event\": \"RTC_CHANGED\"}\r\n",
        "{\"event\": \"rtc_change\"}\r\n",
        "{\"event\": [\"RTC_CHANGE\"]}\r\n",
        "{\"timestamp\": {}}\r\n", /* no event */
        "{\"event\": \"RTC_CHANGE\", \"return\": {}}\r\n",
        "{\"event\": \"RTC_CHANGE\"}{\"event\": \"STOP\"}\r\n",
        "[\"RTC_CHANGE\"]\r\n",
        "\"RTC_CHANGE\"\r\n",
        "\r\n",
        "{\"event\": \"RTC_CHANGE\"\r\n",
        "garbage\r\n",
    };
    for (size_t i = 0; i < sizeof(refused) / sizeof(refused[0]); i++)
        if (harmless(refused[i]))
            fail_msg("passed as harmless: %s", refused[i]);
    /* A NUL byte, in a line or after one. */
    static const char nul[] = "{\"event\": \"RTC_CHANGE\", \"data\": \"\0\"}\r\n";
    assert_false(qemu_events_harmless(nul, sizeof(nul) - 1));
    static const char after[] = "{\"event\": \"RTC_CHANGE\"}\r\n\0\0\0\0";
    assert_false(qemu_events_harmless(after, sizeof(after) - 1));
}

/* Up to QEMU_EVENTS_HARMLESS_MAX bytes are read; one more is too many. */
static void
test_bounded(void **state)
{
    (void)state;
    static const char line[] = RTC "\r\n";
    size_t n = sizeof(line) - 1, count = QEMU_EVENTS_HARMLESS_MAX / n;
    char *buf = malloc(n * (count + 1));
    assert_non_null(buf);
    for (size_t i = 0; i <= count; i++)
        memcpy(buf + i * n, line, n);
    assert_true(qemu_events_harmless(buf, n * count));
    assert_false(qemu_events_harmless(buf, n * (count + 1)));
    free(buf);
}

/* The tray moves of @text (@len bytes; 0: strlen) in a fresh object;
 * their number in *@ret_n. */
static json_object *
moves(const char *text, size_t len, int *ret_n)
{
    json_object *trays = json_object_new_object();
    *ret_n = qemu_events_tray_moves(text, len ? len : strlen(text), trays);
    return trays;
}

/* @trays has @id set to @open. */
static void
assert_tray(json_object *trays, const char *id, bool open)
{
    json_object *v = NULL;
    assert_true(json_object_object_get_ex(trays, id, &v));
    assert_true(json_object_is_type(v, json_type_boolean));
    assert_int_equal(json_object_get_boolean(v), open);
}

static void
test_tray_moves(void **state)
{
    (void)state;
    int n = -1;
    /* In order: the last move of a device wins; other events between. */
    json_object *t = moves(TRAY("true", "hdc") "\r\n" RTC "\r\n" TRAY(
                               "true", "fda") "\r\n" STOP "\r\n" TRAY("false", "hdc") "\r\n",
                           0, &n);
    assert_int_equal(n, 3);
    assert_int_equal(json_object_object_length(t), 2);
    assert_tray(t, "hdc", false);
    assert_tray(t, "fda", true);
    json_object_put(t);
    /* A torn last line is not read yet; whole lines before it are. */
    t = moves(TRAY("true", "hdc") "\r\n" TRAY("false", "hdc"), 0, &n);
    assert_int_equal(n, 1);
    assert_tray(t, "hdc", true);
    json_object_put(t);
    /* A line a punched hole reaches (its start zeroed) is skipped. */
    static const char holed[] = "\0\0\0\0:true, \"id\": \"hdc\"}}\r\n" TRAY("false", "sda") "\r\n";
    t = moves(holed, sizeof(holed) - 1, &n);
    assert_int_equal(n, 1);
    assert_false(json_object_object_get_ex(t, "hdc", NULL));
    assert_tray(t, "sda", false);
    json_object_put(t);
    /* Shapes that are not a tray move. */
    static const char *const none[] = {
        "",
        RTC "\r\n",
        "{\"event\": \"DEVICE_TRAY_MOVED\"}\r\n",
        "{\"event\": \"DEVICE_TRAY_MOVED\", \"data\": {\"id\": \"hdc\"}}\r\n",
        "{\"event\": \"DEVICE_TRAY_MOVED\", \"data\": {\"id\": 3, \"tray-open\": true}}\r\n",
        "{\"event\": \"DEVICE_TRAY_MOVED\", \"data\": {\"id\": \"hdc\", \"tray-open\": 1}}\r\n",
        "{\"event\": \"RTC_CHANGE\", \"data\": {\"note\": \"DEVICE_TRAY_MOVED\", \"id\": \"hdc\", "
        "\"tray-open\": true}}\r\n",
        "[\"DEVICE_TRAY_MOVED\"]\r\n",
        "{\"event\": \"DEVICE_TRAY_MOVED\", \"data\": {\"id\": \"hdc\", \"tray-open\": true}\r\n",
    };
    for (size_t i = 0; i < sizeof(none) / sizeof(none[0]); i++) {
        t = moves(none[i], 0, &n);
        if (n != 0)
            fprintf(stderr, "read a tray move in: %s\n", none[i]);
        assert_int_equal(n, 0);
        assert_int_equal(json_object_object_length(t), 0);
        json_object_put(t);
    }
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_allowed_lines),
        cmocka_unit_test(test_everything_else),
        cmocka_unit_test(test_bounded),
        cmocka_unit_test(test_tray_moves),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
