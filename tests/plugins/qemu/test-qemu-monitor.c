/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Copyright (C) 2026 The virtplug developers */
/*
 * test-qemu-monitor.c: the QMP client (plugins/qemu/qemu-monitor.c)
 * against the mock monitor for every fault, and against a real
 * `qemu-system-x86_64 -machine none` for the protocol itself.
 */
#include <config.h>

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cmocka.h>
#include <virtplug/sdk/services.h>

#include "mock-qemu.h"
#include "qemu-json.h"
#include "qemu-monitor.h"
#include "real-qemu.h"
#include "test-assert.h"

#define LONG_MS 10000 /* answers that do come: generous for a loaded machine */
#define SHORT_MS 300  /* waits that are meant to time out */

static void
assert_log(mock_qemu *m, const char *expected)
{
    char *log = mock_qemu_log(m);
    assert_string_equal(log, expected);
    free(log);
}

static int
setup_mock(void **state)
{
    *state = mock_qemu_start(MOCK_QEMU_QMP);
    return 0;
}

static int
teardown_mock(void **state)
{
    mock_qemu_stop(*state);
    return 0;
}

static qemu_monitor *
open_ok(mock_qemu *m)
{
    qemu_monitor *mon = NULL;
    int r = qemu_monitor_open(mock_qemu_socket(m), LONG_MS, &mon);
    if (r < 0)
        fail_msg("open: %s", vp_error_last()->message);
    return mon;
}

static void
test_normal(void **state)
{
    mock_qemu *m = *state;
    qemu_monitor *mon = open_ok(m);
    assert_string_equal(qemu_monitor_get_version(mon), "7.2.22");
    json_object *ret = NULL;
    assert_int_equal(qemu_monitor_command(mon, "query-status", NULL, LONG_MS, &ret), 0);
    assert_string_equal(json_object_get_string(json_object_object_get(ret, "status")), "running");
    json_object_put(ret);
    assert_log(m, "qmp_capabilities query-status");
    qemu_monitor_close(mon);
}

static void
test_old_qemu_refused(void **state)
{
    mock_qemu *m = *state;
    mock_qemu_set_greeting(m, "{\"QMP\": {\"version\": {\"qemu\": {\"micro\": 0, \"minor\": 2, "
                              "\"major\": 5}, \"package\": \"\"}, \"capabilities\": []}}");
    qemu_monitor *mon = NULL;
    int r = qemu_monitor_open(mock_qemu_socket(m), LONG_MS, &mon);
    vpt_assert_error(r, VP_ERR_NOT_SUPPORTED, "5.2.0", "6.0 or newer");
    assert_null(mon);
    assert_log(m, ""); /* refused before negotiating */
}

/* QEMU 6.0 has x-blockdev-reopen only: blockdev-reopen is asked for by
 * its exact name, which a prefix or a longer name does not match. */
static void
test_has_command(void **state)
{
    mock_qemu *m = *state;
    mock_qemu_set_greeting(m, "{\"QMP\": {\"version\": {\"qemu\": {\"micro\": 0, \"minor\": 0, "
                              "\"major\": 6}, \"package\": \"\"}, \"capabilities\": []}}");
    mock_qemu_on(m, "query-commands", MOCK_RETURN,
                 "[{\"name\":\"x-blockdev-reopen\"},{\"name\":\"blockdev-add\"}]", 2);
    qemu_monitor *mon = open_ok(m);
    bool has = true;
    assert_int_equal(qemu_monitor_has_command(mon, "blockdev-reopen", LONG_MS, &has), 0);
    assert_false(has);
    assert_int_equal(qemu_monitor_has_command(mon, "blockdev-add", LONG_MS, &has), 0);
    assert_true(has);
    assert_log(m, "qmp_capabilities query-commands query-commands");
    qemu_monitor_close(mon);
}

static void
test_no_greeting(void **state)
{
    mock_qemu *m = *state;
    mock_qemu_set_greeting(m, NULL);
    qemu_monitor *mon = NULL;
    int r = qemu_monitor_open(mock_qemu_socket(m), SHORT_MS, &mon);
    vpt_assert_error(r, VP_ERR_TIMEOUT, "greeting", "300 ms");
}

/* QEMU can write an event meant for the previous client ahead of the
 * greeting: it is dropped, not taken for the greeting, and not queued. */
static void
test_event_before_greeting(void **state)
{
    mock_qemu *m = *state;
    mock_qemu_set_greeting(m, "{\"timestamp\": {\"seconds\": 1, \"microseconds\": 2}, \"event\": "
                              "\"VNC_DISCONNECTED\", \"data\": {}}\r\n"
                              "{\"QMP\": {\"version\": {\"qemu\": {\"micro\": 0, \"minor\": 2, "
                              "\"major\": 7}, \"package\": \"\"}, \"capabilities\": []}}");
    qemu_monitor *mon = open_ok(m);
    assert_string_equal(qemu_monitor_get_version(mon), "7.2.0");
    assert_int_equal(qemu_monitor_queued_events(mon), 0);
    assert_log(m, "qmp_capabilities");
    qemu_monitor_close(mon);
}

/* The open refused with VP_ERR_PROTOCOL naming @what and the greeting
 * when QEMU greets with @line. */
static void
greeting_refused(mock_qemu *m, const char *line, const char *what)
{
    mock_qemu_set_greeting(m, line);
    qemu_monitor *mon = NULL;
    int r = qemu_monitor_open(mock_qemu_socket(m), LONG_MS, &mon);
    vpt_assert_error(r, VP_ERR_PROTOCOL, what, "greeting");
    assert_null(mon);
}

/* Anything else before the greeting is still no greeting. */
static void
test_reply_before_greeting(void **state)
{
    greeting_refused(*state, "{\"return\": {}}", "QMP");
}

static void
test_garbage_greeting(void **state)
{
    greeting_refused(*state, "Welcome to something that is not QMP", "not a JSON object");
}

static void
test_not_qmp_greeting(void **state)
{
    greeting_refused(*state, "{\"hello\": 1}", "QMP");
}

static void
test_hang_times_out_connection_survives(void **state)
{
    mock_qemu *m = *state;
    mock_qemu_on(m, "query-status", MOCK_HANG, NULL, 1);
    qemu_monitor *mon = open_ok(m);
    int r = qemu_monitor_command(mon, "query-status", NULL, SHORT_MS, NULL);
    vpt_assert_error(r, VP_ERR_TIMEOUT, "'query-status'", "within 300 ms");
    json_object *ret = NULL;
    assert_int_equal(qemu_monitor_command(mon, "query-status", NULL, LONG_MS, &ret), 0);
    assert_true(json_object_get_boolean(json_object_object_get(ret, "running")));
    json_object_put(ret);
    qemu_monitor_close(mon);
}

static void
test_late_reply_discarded(void **state)
{
    mock_qemu *m = *state;
    mock_qemu_on_late(m, "query-status", 800, 1);
    qemu_monitor *mon = open_ok(m);
    int r = qemu_monitor_command(mon, "query-status", NULL, SHORT_MS, NULL);
    vpt_assert_error(r, VP_ERR_TIMEOUT, "'query-status'", NULL);
    /* The late status reply comes first; the client must not take it as
     * the answer to query-jobs. */
    json_object *ret = NULL;
    assert_int_equal(qemu_monitor_command(mon, "query-jobs", NULL, LONG_MS, &ret), 0);
    assert_true(json_object_is_type(ret, json_type_array));
    json_object_put(ret);
    assert_log(m, "qmp_capabilities query-status query-jobs");
    qemu_monitor_close(mon);
}

static void
test_stale_reply_discarded(void **state)
{
    mock_qemu *m = *state;
    mock_qemu_on(m, "query-status", MOCK_STALE_FIRST, NULL, 1);
    qemu_monitor *mon = open_ok(m);
    json_object *ret = NULL;
    assert_int_equal(qemu_monitor_command(mon, "query-status", NULL, LONG_MS, &ret), 0);
    assert_true(json_object_is_type(ret, json_type_object));
    assert_string_equal(json_object_get_string(json_object_object_get(ret, "status")), "running");
    json_object_put(ret);
    qemu_monitor_close(mon);
}

static void
test_garbage_reply(void **state)
{
    mock_qemu *m = *state;
    mock_qemu_on(m, "query-status", MOCK_GARBAGE, NULL, 1);
    qemu_monitor *mon = open_ok(m);
    int r = qemu_monitor_command(mon, "query-status", NULL, LONG_MS, NULL);
    vpt_assert_error(r, VP_ERR_PROTOCOL, "not a JSON object", "this is not json");
    r = qemu_monitor_command(mon, "query-status", NULL, LONG_MS, NULL);
    vpt_assert_error(r, VP_ERR_PROTOCOL, "unusable", "reconnect");
    assert_log(m, "qmp_capabilities query-status"); /* nothing sent after the break */
    qemu_monitor_close(mon);
}

static void
test_disconnect(void **state)
{
    mock_qemu *m = *state;
    mock_qemu_on(m, "stop", MOCK_DISCONNECT, NULL, 1);
    qemu_monitor *mon = open_ok(m);
    int r = qemu_monitor_command(mon, "stop", NULL, LONG_MS, NULL);
    vpt_assert_error(r, VP_ERR_PROTOCOL, "QMP connection closed by QEMU", "'stop'");
    qemu_monitor_close(mon);
}

static void
test_disconnect_mid_reply(void **state)
{
    mock_qemu *m = *state;
    mock_qemu_on(m, "query-status", MOCK_PARTIAL_THEN_DISCONNECT, NULL, 1);
    qemu_monitor *mon = open_ok(m);
    int r = qemu_monitor_command(mon, "query-status", NULL, LONG_MS, NULL);
    vpt_assert_error(r, VP_ERR_PROTOCOL, "QMP connection closed by QEMU", "'query-status'");
    qemu_monitor_close(mon);
}

static void
test_event_flood_before_reply(void **state)
{
    mock_qemu *m = *state;
    mock_qemu_on(m, "stop", MOCK_EVENT_FLOOD, NULL, 1);
    qemu_monitor *mon = open_ok(m);
    json_object *ret = NULL;
    assert_int_equal(qemu_monitor_command(mon, "stop", NULL, LONG_MS, &ret), 0);
    assert_true(json_object_is_type(ret, json_type_object));
    json_object_put(ret);
    /* The queue is bounded: the oldest of the 2000 events were dropped. */
    assert_int_equal(qemu_monitor_queued_events(mon), 1024);
    assert_int_equal(qemu_monitor_command(mon, "query-status", NULL, LONG_MS, NULL), 0);
    qemu_monitor_close(mon);
}

static void
test_events_before_reply(void **state)
{
    mock_qemu *m = *state;
    mock_qemu_on(m, "snapshot-save", MOCK_EVENTS_FIRST, NULL, 1);
    qemu_monitor *mon = open_ok(m);
    json_object *ret = NULL;
    assert_int_equal(qemu_monitor_command(mon, "snapshot-save", NULL, LONG_MS, &ret), 0);
    assert_true(json_object_is_type(ret, json_type_object));
    json_object_put(ret);
    assert_int_equal(qemu_monitor_queued_events(mon), 3);
    json_object *ev = NULL;
    assert_int_equal(qemu_monitor_wait_event(mon, "JOB_STATUS_CHANGE", 0, &ev), 0);
    json_object *data = json_object_object_get(ev, "data");
    assert_string_equal(json_object_get_string(json_object_object_get(data, "status")), "running");
    json_object_put(ev);
    assert_int_equal(qemu_monitor_queued_events(mon), 2);
    int r = qemu_monitor_wait_event(mon, "STOP", SHORT_MS, NULL);
    vpt_assert_error(r, VP_ERR_TIMEOUT, "event 'STOP'", NULL);
    qemu_monitor_close(mon);
}

static void
test_split_reply(void **state)
{
    mock_qemu *m = *state;
    mock_qemu_on(m, "query-status", MOCK_SPLIT, NULL, 1);
    qemu_monitor *mon = open_ok(m);
    json_object *ret = NULL;
    assert_int_equal(qemu_monitor_command(mon, "query-status", NULL, LONG_MS, &ret), 0);
    assert_string_equal(json_object_get_string(json_object_object_get(ret, "status")), "running");
    json_object_put(ret);
    qemu_monitor_close(mon);
}

static void
test_error_reply(void **state)
{
    mock_qemu *m = *state;
    mock_qemu_on(m, "transaction", MOCK_ERROR, "GenericError: Could not create file", 1);
    qemu_monitor *mon = open_ok(m);
    assert_null(qemu_monitor_last_error_class(mon));
    int r = qemu_monitor_command(mon, "transaction", NULL, LONG_MS, NULL);
    vpt_assert_error(r, VP_ERR_OPERATION_INVALID, "QMP command 'transaction' failed",
                     "GenericError: Could not create file");
    assert_string_equal(qemu_monitor_last_error_class(mon), "GenericError");
    qemu_monitor_close(mon);
}

/* The value of a query-block reply for one disk on a chain of @n_images
 * images, top first, each one below the top the "backing-image" of the one
 * above, as QEMU 7.2 nests them: the reply nests @n_images + 7 levels as
 * json-c counts them ({"return": [{"inserted": {"image": {...
 * "backing-image": {"format-specific": {"data": {"compat": "1.1"}}}}}}]}).
 * (transfer full) free() */
static char *
chain_blocks(int n_images)
{
    size_t cap = (size_t)n_images * 192 + 256, k = 0;
    char *s = malloc(cap);
    assert_non_null(s);
    k += (size_t)snprintf(s + k, cap - k,
                          "[{\"device\": \"drive0\", \"locked\": false, \"removable\": true, "
                          "\"inserted\": {\"node-name\": \"#block%d\", \"image\": ",
                          n_images);
    for (int i = n_images - 1; i >= 0; i--)
        k += (size_t)snprintf(s + k, cap - k,
                              "{\"filename\": \"/var/lib/vp/d-%d.qcow2\", \"format\": \"qcow2\", "
                              "\"format-specific\": {\"type\": \"qcow2\", \"data\": "
                              "{\"compat\": \"1.1\", \"corrupt\": false}}%s",
                              i, i > 0 ? ", \"backing-image\": " : "");
    assert_true(k + (size_t)n_images + 4 < cap);
    memset(s + k, '}', (size_t)n_images);
    k += (size_t)n_images;
    memcpy(s + k, "}}]", 4);
    return s;
}

/* Walk the backing chain of the first disk in @blocks down to its base,
 * checking each image's file name; how many images it has. */
static int
walk_chain(json_object *blocks, int n_images)
{
    json_object *disk = json_object_array_get_idx(blocks, 0);
    json_object *img = json_object_object_get(json_object_object_get(disk, "inserted"), "image");
    int n = 0;
    for (; img; img = json_object_object_get(img, "backing-image"), n++) {
        char want[64];
        snprintf(want, sizeof(want), "/var/lib/vp/d-%d.qcow2", n_images - 1 - n);
        assert_string_equal(json_object_get_string(json_object_object_get(img, "filename")), want);
    }
    return n;
}

/* query-block of a disk with @n_images images parses and walks to its base. */
static void
check_chain(mock_qemu *m, int n_images)
{
    char *blocks = chain_blocks(n_images);
    mock_qemu_on(m, "query-block", MOCK_RETURN, blocks, 1);
    free(blocks);
    qemu_monitor *mon = open_ok(m);
    json_object *ret = NULL;
    int r = qemu_monitor_command(mon, "query-block", NULL, LONG_MS, &ret);
    if (r < 0)
        fail_msg("query-block of %d images: %s", n_images, vp_error_last()->message);
    assert_int_equal(walk_chain(ret, n_images), n_images);
    json_object_put(ret);
    qemu_monitor_close(mon);
}

/* json-c's default parser stops at 32 levels: 25 images. */
static void
test_backing_chain_100(void **state)
{
    check_chain(*state, 100);
}

static void
test_backing_chain_1000(void **state)
{
    check_chain(*state, 1000);
}

/* The message nests exactly QEMU_JSON_MAX_DEPTH levels. */
static void
test_backing_chain_at_depth_limit(void **state)
{
    check_chain(*state, QEMU_JSON_MAX_DEPTH - 7);
}

/* One level more: the error names the limit, and as the whole line was
 * read the connection stays usable. */
static void
test_backing_chain_beyond_depth_limit(void **state)
{
    mock_qemu *m = *state;
    char *blocks = chain_blocks(QEMU_JSON_MAX_DEPTH - 6);
    mock_qemu_on(m, "query-block", MOCK_RETURN, blocks, 1);
    free(blocks);
    qemu_monitor *mon = open_ok(m);
    json_object *ret = NULL;
    int r = qemu_monitor_command(mon, "query-block", NULL, LONG_MS, &ret);
    char limit[64];
    snprintf(limit, sizeof(limit), "nesting deeper than the limit of %d levels",
             QEMU_JSON_MAX_DEPTH);
    vpt_assert_error(r, VP_ERR_PROTOCOL, limit, "'query-block'");
    assert_null(ret);
    assert_int_equal(qemu_monitor_command(mon, "query-status", NULL, LONG_MS, NULL), 0);
    assert_log(m, "qmp_capabilities query-block query-status");
    qemu_monitor_close(mon);
}

/* A line that never ends: the error names the length limit, and the
 * connection is given up (where the next message starts is unknown). */
static void
test_message_too_long(void **state)
{
    mock_qemu *m = *state;
    size_t n = QEMU_JSON_MAX_LINE + 1;
    char *raw = malloc(n + 1);
    assert_non_null(raw);
    memset(raw, ' ', n);
    raw[0] = '{';
    raw[n] = '\0';
    mock_qemu_on(m, "query-block", MOCK_RAW, raw, 1);
    free(raw);
    qemu_monitor *mon = open_ok(m);
    int r = qemu_monitor_command(mon, "query-block", NULL, LONG_MS, NULL);
    char limit[64];
    snprintf(limit, sizeof(limit), "longer than the limit of %u bytes", QEMU_JSON_MAX_LINE);
    vpt_assert_error(r, VP_ERR_PROTOCOL, limit, "'query-block'");
    r = qemu_monitor_command(mon, "query-status", NULL, LONG_MS, NULL);
    vpt_assert_error(r, VP_ERR_PROTOCOL, "unusable", "reconnect");
    qemu_monitor_close(mon);
}

static void
test_connect_refused(void **state)
{
    (void)state;
    qemu_monitor *mon = NULL;
    int r = qemu_monitor_open("/nonexistent/vp-test/qmp.sock", LONG_MS, &mon);
    vpt_assert_error(r, VP_ERR_SYSTEM, "'/nonexistent/vp-test/qmp.sock'", "No such file");
    assert_null(mon);
}

static void
test_open_fd(void **state)
{
    (void)state;
    int sv[2];
    assert_int_equal(socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv), 0);
    /* Greeting and capabilities reply arrive in one read, the greeting
     * with a version QEMU never had, to see it is taken from the wire. */
    static const char wire[] =
        "{\"QMP\": {\"version\": {\"qemu\": {\"micro\": 3, \"minor\": 1, \"major\": 9}, "
        "\"package\": \"\"}, \"capabilities\": []}}\r\n{\"return\": {}, \"id\": 1}\r\n";
    assert_int_equal(write(sv[1], wire, strlen(wire)), (ssize_t)strlen(wire));
    qemu_monitor *mon = NULL;
    assert_int_equal(qemu_monitor_open_fd(sv[0], "test pair", LONG_MS, &mon), 0);
    assert_string_equal(qemu_monitor_get_version(mon), "9.1.3");
    char buf[256] = {0};
    assert_true(read(sv[1], buf, sizeof(buf) - 1) > 0);
    assert_non_null(strstr(buf, "\"qmp_capabilities\""));
    close(sv[1]);
    int r = qemu_monitor_command(mon, "query-status", NULL, LONG_MS, NULL);
    vpt_assert_error(r, VP_ERR_PROTOCOL, "QMP connection closed by QEMU", NULL);
    qemu_monitor_close(mon);
}

/* ---- real QEMU -------------------------------------------------------- */

static int
setup_real(void **state)
{
    *state = calloc(1, sizeof(real_proc));
    return *state ? 0 : -1;
}

/* Kills QEMU even when an assertion failed half-way. */
static int
teardown_real(void **state)
{
    real_proc_stop(*state);
    free(*state);
    return 0;
}

static void
test_real_qemu(void **state)
{
    real_proc *q = *state;
    if (!real_qemu_binary())
        skip();
    if (!real_qemu_start(q))
        fail_msg("QEMU '%s' did not start", real_qemu_binary());
    qemu_monitor *mon = NULL;
    int r = qemu_monitor_open(q->socket, LONG_MS, &mon);
    if (r < 0)
        fail_msg("open: %s", vp_error_last()->message);
    assert_true(strtol(qemu_monitor_get_version(mon), NULL, 10) >= 6);
    bool has = false; /* QEMU 6.1 and later (Debian 12: 7.2) */
    assert_int_equal(qemu_monitor_has_command(mon, "blockdev-reopen", LONG_MS, &has), 0);
    assert_true(has);

    json_object *ret = NULL;
    assert_int_equal(qemu_monitor_command(mon, "query-status", NULL, LONG_MS, &ret), 0);
    assert_string_equal(json_object_get_string(json_object_object_get(ret, "status")), "running");
    json_object_put(ret);

    r = qemu_monitor_command(mon, "no-such-command", NULL, LONG_MS, NULL);
    vpt_assert_error(r, VP_ERR_NOT_SUPPORTED, "CommandNotFound", "no-such-command");
    assert_string_equal(qemu_monitor_last_error_class(mon), "CommandNotFound");

    json_object *args = json_object_new_object();
    json_object_object_add(args, "bogus", json_object_new_int(1));
    r = qemu_monitor_command(mon, "query-status", args, LONG_MS, NULL);
    json_object_put(args);
    vpt_assert_error(r, VP_ERR_OPERATION_INVALID, "GenericError", "bogus");

    /* stop emits STOP, possibly before its reply; either way it is found. */
    assert_int_equal(qemu_monitor_command(mon, "stop", NULL, LONG_MS, NULL), 0);
    assert_int_equal(qemu_monitor_wait_event(mon, "STOP", LONG_MS, NULL), 0);
    assert_int_equal(qemu_monitor_command(mon, "cont", NULL, LONG_MS, NULL), 0);
    assert_int_equal(qemu_monitor_wait_event(mon, "RESUME", LONG_MS, NULL), 0);

    /* quit: QEMU closes the connection after SHUTDOWN. */
    assert_int_equal(qemu_monitor_command(mon, "quit", NULL, LONG_MS, NULL), 0);
    r = qemu_monitor_command(mon, "query-status", NULL, LONG_MS, NULL);
    vpt_assert_error(r, VP_ERR_PROTOCOL, "QMP connection closed by QEMU", NULL);
    qemu_monitor_close(mon);
}

static void
test_real_qemu_killed(void **state)
{
    real_proc *q = *state;
    if (!real_qemu_binary())
        skip();
    if (!real_qemu_start(q))
        fail_msg("QEMU '%s' did not start", real_qemu_binary());
    qemu_monitor *mon = NULL;
    if (qemu_monitor_open(q->socket, LONG_MS, &mon) < 0)
        fail_msg("open: %s", vp_error_last()->message);
    real_proc_kill(q);
    int r = qemu_monitor_command(mon, "query-status", NULL, LONG_MS, NULL);
    vpt_assert_error(r, VP_ERR_PROTOCOL, "QMP connection closed by QEMU", "'query-status'");
    qemu_monitor_close(mon);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_normal, setup_mock, teardown_mock),
        cmocka_unit_test_setup_teardown(test_old_qemu_refused, setup_mock, teardown_mock),
        cmocka_unit_test_setup_teardown(test_event_before_greeting, setup_mock, teardown_mock),
        cmocka_unit_test_setup_teardown(test_reply_before_greeting, setup_mock, teardown_mock),
        cmocka_unit_test_setup_teardown(test_no_greeting, setup_mock, teardown_mock),
        cmocka_unit_test_setup_teardown(test_has_command, setup_mock, teardown_mock),
        cmocka_unit_test_setup_teardown(test_garbage_greeting, setup_mock, teardown_mock),
        cmocka_unit_test_setup_teardown(test_not_qmp_greeting, setup_mock, teardown_mock),
        cmocka_unit_test_setup_teardown(test_hang_times_out_connection_survives, setup_mock,
                                        teardown_mock),
        cmocka_unit_test_setup_teardown(test_late_reply_discarded, setup_mock, teardown_mock),
        cmocka_unit_test_setup_teardown(test_stale_reply_discarded, setup_mock, teardown_mock),
        cmocka_unit_test_setup_teardown(test_garbage_reply, setup_mock, teardown_mock),
        cmocka_unit_test_setup_teardown(test_disconnect, setup_mock, teardown_mock),
        cmocka_unit_test_setup_teardown(test_disconnect_mid_reply, setup_mock, teardown_mock),
        cmocka_unit_test_setup_teardown(test_event_flood_before_reply, setup_mock, teardown_mock),
        cmocka_unit_test_setup_teardown(test_events_before_reply, setup_mock, teardown_mock),
        cmocka_unit_test_setup_teardown(test_split_reply, setup_mock, teardown_mock),
        cmocka_unit_test_setup_teardown(test_error_reply, setup_mock, teardown_mock),
        cmocka_unit_test_setup_teardown(test_backing_chain_100, setup_mock, teardown_mock),
        cmocka_unit_test_setup_teardown(test_backing_chain_1000, setup_mock, teardown_mock),
        cmocka_unit_test_setup_teardown(test_backing_chain_at_depth_limit, setup_mock,
                                        teardown_mock),
        cmocka_unit_test_setup_teardown(test_backing_chain_beyond_depth_limit, setup_mock,
                                        teardown_mock),
        cmocka_unit_test_setup_teardown(test_message_too_long, setup_mock, teardown_mock),
        cmocka_unit_test(test_connect_refused),
        cmocka_unit_test(test_open_fd),
        cmocka_unit_test_setup_teardown(test_real_qemu, setup_real, teardown_real),
        cmocka_unit_test_setup_teardown(test_real_qemu_killed, setup_real, teardown_real),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
