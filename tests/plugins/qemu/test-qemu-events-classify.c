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
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "qemu-events-classify.h"

#define RTC                                                                                        \
    "{\"timestamp\": {\"seconds\": 1765070000, \"microseconds\": 123456}, \"event\": "             \
    "\"RTC_CHANGE\", \"data\": {\"offset\": 0, \"qom-path\": \"/machine/unattached/device[9]\"}}"
#define BALLOON                                                                                    \
    "{\"timestamp\": {\"seconds\": 1765070001, \"microseconds\": 2}, \"event\": "                  \
    "\"BALLOON_CHANGE\", \"data\": {\"actual\": 33554432}}"
#define STOP "{\"timestamp\": {\"seconds\": 1765070002, \"microseconds\": 3}, \"event\": \"STOP\"}"

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

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_allowed_lines),
        cmocka_unit_test(test_everything_else),
        cmocka_unit_test(test_bounded),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
