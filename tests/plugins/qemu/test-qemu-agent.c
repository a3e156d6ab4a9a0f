/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Copyright (C) 2026 The virtplug developers */
/*
 * test-qemu-agent.c: the guest-agent client (plugins/qemu/qemu-agent.c)
 * against the mock agent for every fault, and against a real qemu-ga on a
 * host unix socket (unprivileged, freeze RPCs blocked) for the protocol.
 */
#include <config.h>

#include <fcntl.h>
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>
#include <virtplug/sdk/services.h>

#include "mock-qemu.h"
#include "qemu-agent.h"
#include "qemu-json.h"
#include "real-qemu.h"
#include "test-assert.h"

#define LONG_MS 10000
#define SHORT_MS 300

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
    *state = mock_qemu_start(MOCK_QEMU_AGENT);
    return 0;
}

static int
teardown_mock(void **state)
{
    mock_qemu_stop(*state);
    return 0;
}

static qemu_agent *
open_ok(mock_qemu *m)
{
    qemu_agent *agent = NULL;
    if (qemu_agent_open(mock_qemu_socket(m), LONG_MS, &agent) < 0)
        fail_msg("open: %s", vp_error_last()->message);
    return agent;
}

static void
assert_status(qemu_agent *agent, const char *expected)
{
    json_object *ret = NULL;
    int r = qemu_agent_command(agent, "guest-fsfreeze-status", NULL, LONG_MS, &ret);
    if (r < 0)
        fail_msg("status: %s", vp_error_last()->message);
    assert_true(json_object_is_type(ret, json_type_string));
    assert_string_equal(json_object_get_string(ret), expected);
    json_object_put(ret);
}

/* The mock answers the leading 0xFF with qemu-ga 7.2's parse-error line
 * before the sync reply; open must skip it. */
static void
test_sync_skips_parse_error_line(void **state)
{
    mock_qemu *m = *state;
    qemu_agent *agent = open_ok(m);
    assert_true(qemu_agent_is_synced(agent));
    json_object *ret = NULL;
    assert_int_equal(qemu_agent_command(agent, "guest-ping", NULL, LONG_MS, &ret), 0);
    assert_true(json_object_is_type(ret, json_type_object));
    json_object_put(ret);
    assert_log(m, "guest-sync-delimited guest-ping");
    qemu_agent_close(agent);
}

static void
test_stale_replies_on_connect(void **state)
{
    mock_qemu *m = *state;
    /* A late freeze answer and another client's sync, left over. */
    mock_qemu_set_on_connect(m, "{\"return\": 1}\n\xff{\"return\": 4242}\n{\"return\": {}}\n");
    qemu_agent *agent = open_ok(m);
    assert_status(agent, "thawed");
    qemu_agent_close(agent);
}

static void
test_sync_unanswered(void **state)
{
    mock_qemu *m = *state;
    mock_qemu_on(m, "guest-sync-delimited", MOCK_HANG, NULL, -1);
    qemu_agent *agent = NULL;
    int r = qemu_agent_open_for(mock_qemu_socket(m), "vm1", SHORT_MS, &agent);
    vpt_assert_error(r, VP_ERR_AGENT_UNRESPONSIVE, "domain 'vm1' did not answer", "within 300 ms");
    assert_null(agent);
}

static void
test_command_timeout_then_resync(void **state)
{
    mock_qemu *m = *state;
    mock_qemu_on(m, "guest-info", MOCK_HANG, NULL, 1);
    qemu_agent *agent = open_ok(m);
    int r = qemu_agent_command(agent, "guest-info", NULL, SHORT_MS, NULL);
    vpt_assert_error(r, VP_ERR_AGENT_UNRESPONSIVE, "'guest-info'", "within 300 ms");
    assert_false(qemu_agent_is_synced(agent));
    assert_status(agent, "thawed");
    assert_log(m, "guest-sync-delimited guest-info guest-sync-delimited guest-fsfreeze-status");
    qemu_agent_close(agent);
}

/* A short timeout leaves a short receive timeout on the socket; a later
 * command with a long timeout must still wait for its whole deadline. */
static void
test_long_wait_after_short_timeout(void **state)
{
    mock_qemu *m = *state;
    mock_qemu_on(m, "guest-info", MOCK_HANG, NULL, 1);
    mock_qemu_on_late(m, "guest-info", 3 * SHORT_MS, 1);
    qemu_agent *agent = open_ok(m);
    int r = qemu_agent_command(agent, "guest-info", NULL, SHORT_MS, NULL);
    vpt_assert_error(r, VP_ERR_AGENT_UNRESPONSIVE, "'guest-info'", NULL);
    assert_int_equal(qemu_agent_command(agent, "guest-info", NULL, LONG_MS, NULL), 0);
    qemu_agent_close(agent);
}

/* A connection whose freeze timed out while the mock agent still runs it
 * (its answer comes 800 ms after the request). */
static qemu_agent *
open_after_late_freeze(mock_qemu *m)
{
    mock_qemu_on_late(m, "guest-fsfreeze-freeze", 800, 1);
    qemu_agent *agent = open_ok(m);
    int r = qemu_agent_command(agent, "guest-fsfreeze-freeze", NULL, SHORT_MS, NULL);
    vpt_assert_error(r, VP_ERR_AGENT_UNRESPONSIVE, "'guest-fsfreeze-freeze'", NULL);
    return agent;
}

static void
test_late_reply_discarded(void **state)
{
    mock_qemu *m = *state;
    qemu_agent *agent = open_after_late_freeze(m);
    /* The freeze still happens and its {"return": 1} arrives first. */
    assert_status(agent, "frozen");
    json_object *ret = NULL;
    assert_int_equal(qemu_agent_command(agent, "guest-fsfreeze-thaw", NULL, LONG_MS, &ret), 0);
    assert_int_equal(json_object_get_int(ret), 1);
    json_object_put(ret);
    assert_false(mock_qemu_frozen(m));
    qemu_agent_close(agent);
}

static void
test_late_reply_crosses_reconnect(void **state)
{
    mock_qemu *m = *state;
    qemu_agent *agent = open_after_late_freeze(m);
    assert_int_equal(qemu_agent_reconnect(agent, LONG_MS), 0);
    assert_int_equal(mock_qemu_connections(m), 2);
    assert_status(agent, "frozen");
    qemu_agent_close(agent);
}

/* A request written without waiting runs behind the busy one; its reply is
 * never taken for the next command's. */
static void
test_send_nowait_queues_behind_busy_request(void **state)
{
    mock_qemu *m = *state;
    qemu_agent *agent = open_after_late_freeze(m);
    assert_int_equal(qemu_agent_send_nowait(agent, "guest-fsfreeze-thaw", NULL, SHORT_MS), 0);
    assert_false(qemu_agent_is_synced(agent));
    /* The status resyncs first: the freeze's and the thaw's replies are
     * discarded, and the status reads what the thaw left. */
    assert_status(agent, "thawed");
    char *log = mock_qemu_log(m);
    assert_string_equal(log, "guest-sync-delimited guest-fsfreeze-freeze guest-fsfreeze-thaw "
                             "guest-sync-delimited guest-fsfreeze-status");
    free(log);
    qemu_agent_close(agent);
}

static void
test_send_nowait_needs_connection(void **state)
{
    mock_qemu *m = *state;
    mock_qemu_on(m, "guest-info", MOCK_DISCONNECT, NULL, 1);
    qemu_agent *agent = open_ok(m);
    int r = qemu_agent_command(agent, "guest-info", NULL, LONG_MS, NULL);
    vpt_assert_error(r, VP_ERR_PROTOCOL, "closed the connection", NULL);
    r = qemu_agent_send_nowait(agent, "guest-fsfreeze-thaw", NULL, SHORT_MS);
    vpt_assert_error(r, VP_ERR_PROTOCOL, "no connection", "'guest-fsfreeze-thaw'");
    assert_int_equal(mock_qemu_count(m, "guest-fsfreeze-thaw"), 0);
    qemu_agent_close(agent);
}

static void
test_stale_reply_other_id(void **state)
{
    mock_qemu *m = *state;
    mock_qemu_on(m, "guest-fsfreeze-status", MOCK_STALE_FIRST, NULL, 1);
    qemu_agent *agent = open_ok(m);
    assert_status(agent, "thawed");
    qemu_agent_close(agent);
}

static void
test_garbage_reply(void **state)
{
    mock_qemu *m = *state;
    mock_qemu_on(m, "guest-ping", MOCK_GARBAGE, NULL, 1);
    qemu_agent *agent = open_ok(m);
    int r = qemu_agent_command(agent, "guest-ping", NULL, LONG_MS, NULL);
    vpt_assert_error(r, VP_ERR_PROTOCOL, "not a JSON object", "'guest-ping'");
    assert_false(qemu_agent_is_synced(agent));
    assert_status(agent, "thawed");
    assert_int_equal(mock_qemu_count(m, "guest-sync-delimited"), 2);
    qemu_agent_close(agent);
}

/* @levels arrays, one inside the other, around a 1: as the value of a
 * reply ({"return": [[...[1]...]]}) it nests @levels + 2 levels.
 * (transfer full) free() */
static char *
nested_arrays(int levels)
{
    size_t n = (size_t)levels;
    char *s = malloc(2 * n + 2);
    assert_non_null(s);
    memset(s, '[', n);
    s[n] = '1';
    memset(s + n + 1, ']', n);
    s[2 * n + 1] = '\0';
    return s;
}

/* A reply nesting QEMU_JSON_MAX_DEPTH levels is read; one level more is
 * refused with an error naming the limit, and the next command resyncs. */
static void
test_reply_depth_limit(void **state)
{
    mock_qemu *m = *state;
    char *at_limit = nested_arrays(QEMU_JSON_MAX_DEPTH - 2);
    char *beyond = nested_arrays(QEMU_JSON_MAX_DEPTH - 1);
    mock_qemu_on(m, "guest-info", MOCK_RETURN, at_limit, 1);
    mock_qemu_on(m, "guest-info", MOCK_RETURN, beyond, 1);
    free(at_limit);
    free(beyond);
    qemu_agent *agent = open_ok(m);
    json_object *ret = NULL;
    int r = qemu_agent_command(agent, "guest-info", NULL, LONG_MS, &ret);
    if (r < 0)
        fail_msg("guest-info: %s", vp_error_last()->message);
    int levels = 0;
    for (json_object *v = ret; json_object_is_type(v, json_type_array); levels++)
        v = json_object_array_get_idx(v, 0);
    assert_int_equal(levels, QEMU_JSON_MAX_DEPTH - 2);
    json_object_put(ret);
    ret = NULL;
    r = qemu_agent_command(agent, "guest-info", NULL, LONG_MS, &ret);
    char limit[64];
    snprintf(limit, sizeof(limit), "nesting deeper than the limit of %d levels",
             QEMU_JSON_MAX_DEPTH);
    vpt_assert_error(r, VP_ERR_PROTOCOL, limit, "'guest-info'");
    assert_null(ret);
    assert_false(qemu_agent_is_synced(agent));
    assert_status(agent, "thawed");
    assert_log(m, "guest-sync-delimited guest-info guest-info guest-sync-delimited "
                  "guest-fsfreeze-status");
    qemu_agent_close(agent);
}

static void
test_disconnect_then_reconnect(void **state)
{
    mock_qemu *m = *state;
    mock_qemu_on(m, "guest-ping", MOCK_DISCONNECT, NULL, 1);
    qemu_agent *agent = open_ok(m);
    int r = qemu_agent_command(agent, "guest-ping", NULL, LONG_MS, NULL);
    vpt_assert_error(r, VP_ERR_PROTOCOL, "closed the connection", "'guest-ping'");
    assert_status(agent, "thawed");
    assert_int_equal(mock_qemu_connections(m), 2);
    qemu_agent_close(agent);
}

static void
test_split_reply(void **state)
{
    mock_qemu *m = *state;
    mock_qemu_on(m, "guest-fsfreeze-status", MOCK_SPLIT, NULL, 1);
    qemu_agent *agent = open_ok(m);
    assert_status(agent, "thawed");
    qemu_agent_close(agent);
}

static void
test_error_replies(void **state)
{
    mock_qemu *m = *state;
    mock_qemu_on(m, "guest-fsfreeze-freeze", MOCK_ERROR,
                 "GenericError: fsfreeze hook has failed with status 1", 1);
    qemu_agent *agent = NULL;
    assert_int_equal(qemu_agent_open_for(mock_qemu_socket(m), "vm1", LONG_MS, &agent), 0);
    int r = qemu_agent_command(agent, "guest-fsfreeze-freeze", NULL, LONG_MS, NULL);
    vpt_assert_error(r, VP_ERR_OPERATION_INVALID, "domain 'vm1'",
                     "GenericError: fsfreeze hook has failed with status 1");
    r = qemu_agent_command(agent, "guest-no-such", NULL, LONG_MS, NULL);
    vpt_assert_error(r, VP_ERR_NOT_SUPPORTED, "CommandNotFound", "guest-no-such");
    assert_true(qemu_agent_is_synced(agent)); /* an error reply keeps the stream in step */
    qemu_agent_close(agent);
}

static void
test_connect_refused(void **state)
{
    (void)state;
    qemu_agent *agent = NULL;
    int r = qemu_agent_open("/nonexistent/vp-test/qga.sock", LONG_MS, &agent);
    vpt_assert_error(r, VP_ERR_SYSTEM, "'/nonexistent/vp-test/qga.sock'", "No such file");
    assert_null(agent);
}

static void
test_open_fd_closed_peer(void **state)
{
    (void)state;
    int sv[2];
    assert_int_equal(socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv), 0);
    /* A late reply, then the peer hangs up before answering the sync. */
    static const char wire[] = "{\"return\": 1}\n";
    assert_int_equal(write(sv[1], wire, strlen(wire)), (ssize_t)strlen(wire));
    shutdown(sv[1], SHUT_WR);
    qemu_agent *agent = NULL;
    int r = qemu_agent_open_fd(sv[0], "test pair", LONG_MS, &agent);
    vpt_assert_error(r, VP_ERR_PROTOCOL, "guest agent at 'test pair' closed the connection",
                     "'guest-sync-delimited'");
    assert_null(agent);
    char buf[256] = {0};
    assert_true(read(sv[1], buf, sizeof(buf) - 1) > 0);
    assert_int_equal((unsigned char)buf[0], 0xff); /* the sync starts with 0xFF */
    assert_non_null(strstr(buf, "guest-sync-delimited"));
    close(sv[1]);
}

/* ---- real qemu-ga ------------------------------------------------------ */

static int
setup_real(void **state)
{
    *state = calloc(1, sizeof(real_proc));
    return *state ? 0 : -1;
}

static int
teardown_real(void **state)
{
    real_proc_stop(*state);
    free(*state);
    return 0;
}

static void
test_real_qemu_ga(void **state)
{
    real_proc *p = *state;
    if (!real_qemu_ga_binary())
        skip();
    if (!real_qemu_ga_start(p))
        fail_msg("qemu-ga '%s' did not start", real_qemu_ga_binary());
    qemu_agent *agent = NULL;
    if (qemu_agent_open(p->socket, LONG_MS, &agent) < 0)
        fail_msg("open: %s", vp_error_last()->message);
    json_object *ret = NULL;
    assert_int_equal(qemu_agent_command(agent, "guest-ping", NULL, LONG_MS, &ret), 0);
    json_object_put(ret);
    ret = NULL;
    assert_int_equal(qemu_agent_command(agent, "guest-info", NULL, LONG_MS, &ret), 0);
    assert_non_null(json_object_object_get(ret, "version"));
    assert_non_null(json_object_object_get(ret, "supported_commands"));
    json_object_put(ret);
    assert_status(agent, "thawed");
    int r = qemu_agent_command(agent, "guest-no-such", NULL, LONG_MS, NULL);
    vpt_assert_error(r, VP_ERR_NOT_SUPPORTED, "CommandNotFound", NULL);
    /* A fresh connection synchronises again (a new 0xFF, a new parse-error line). */
    assert_int_equal(qemu_agent_reconnect(agent, LONG_MS), 0);
    assert_status(agent, "thawed");
    qemu_agent_close(agent);
}

/* ---- the FIFO pair of a "pipe" chardev ---------------------------------
 * A thread plays QEMU: it holds BASE.in and BASE.out open for reading and
 * writing (as QEMU does, so neither end ever sees EOF while it runs) and
 * answers like qemu-ga; a late reply is left in BASE.out before any client
 * connects. */

typedef struct pipe_peer {
    char dir[64];
    char base[128];
    int in, out;
    pthread_t thread;
} pipe_peer;

static void *
pipe_peer_main(void *arg)
{
    pipe_peer *p = arg;
    char buf[4096];
    size_t len = 0;
    for (;;) {
        ssize_t n = read(p->in, buf + len, sizeof(buf) - 1 - len);
        if (n <= 0)
            return NULL;
        len += (size_t)n;
        buf[len] = '\0';
        char *nl;
        while ((nl = strchr(buf, '\n'))) {
            *nl = '\0';
            char reply[256];
            const char *id = strstr(buf, "\"id\":");
            if (strstr(buf, "quit-peer"))
                return NULL;
            if (strstr(buf, "guest-sync-delimited") && id)
                snprintf(reply, sizeof(reply), "\xff{\"return\": %lld}\n",
                         strtoll(id + 5, NULL, 10));
            else if (strstr(buf, "guest-ping"))
                snprintf(reply, sizeof(reply), "{\"return\": {}%s%.*s}\n", id ? ", " : "",
                         id ? (int)strcspn(id, "}") : 0, id ? id : "");
            else
                reply[0] = '\0';
            if (*reply && write(p->out, reply, strlen(reply)) < 0)
                return NULL;
            len -= (size_t)(nl + 1 - buf);
            memmove(buf, nl + 1, len + 1);
        }
    }
}

static int
setup_pipes(void **state)
{
    pipe_peer *p = calloc(1, sizeof(*p));
    snprintf(p->dir, sizeof(p->dir), "/tmp/vp-agent-pipe-XXXXXX");
    assert_non_null(mkdtemp(p->dir));
    snprintf(p->base, sizeof(p->base), "%s/d.agent", p->dir);
    char in[160], out[160];
    snprintf(in, sizeof(in), "%s.in", p->base);
    snprintf(out, sizeof(out), "%s.out", p->base);
    assert_int_equal(mkfifo(in, 0600), 0);
    assert_int_equal(mkfifo(out, 0600), 0);
    p->in = open(in, O_RDWR | O_CLOEXEC);
    p->out = open(out, O_RDWR | O_CLOEXEC);
    assert_true(p->in >= 0 && p->out >= 0);
    static const char late[] = "{\"return\": {}, \"id\": \"a-killed-client\"}\n";
    assert_int_equal(write(p->out, late, strlen(late)), (ssize_t)strlen(late));
    assert_int_equal(pthread_create(&p->thread, NULL, pipe_peer_main, p), 0);
    *state = p;
    return 0;
}

/* QEMU is gone: its ends close, the thread ends. Idempotent. */
static void
pipe_peer_stop(pipe_peer *p)
{
    if (p->in < 0)
        return;
    static const char quit[] = "{\"execute\":\"quit-peer\"}\n";
    assert_int_equal(write(p->in, quit, strlen(quit)), (ssize_t)strlen(quit));
    pthread_join(p->thread, NULL);
    close(p->in);
    close(p->out);
    p->in = p->out = -1;
}

static int
teardown_pipes(void **state)
{
    pipe_peer *p = *state;
    pipe_peer_stop(p);
    char path[200];
    static const char *const parts[] = {"in", "out", "lock"};
    for (size_t i = 0; i < 3; i++) {
        snprintf(path, sizeof(path), "%s.%s", p->base, parts[i]);
        unlink(path);
    }
    rmdir(p->dir);
    free(p);
    return 0;
}

/* Through the FIFOs: a late reply left in them is skipped by the sync; one
 * client at a time (the lock), the next one once it is closed; a QEMU that
 * is gone is a clear connect error. */
static void
test_pipes(void **state)
{
    pipe_peer *p = *state;
    assert_true(qemu_agent_path_is_pipe(p->base));
    assert_false(qemu_agent_path_is_pipe(p->dir));
    qemu_agent *a = NULL, *b = NULL;
    if (qemu_agent_open_for(p->base, "d", LONG_MS, &a) < 0)
        fail_msg("open: %s", vp_error_last()->message);
    json_object *ret = NULL;
    assert_int_equal(qemu_agent_command(a, "guest-ping", NULL, LONG_MS, &ret), 0);
    json_object_put(ret);
    vpt_assert_error(qemu_agent_open_for(p->base, "d", SHORT_MS, &b), VP_ERR_OPERATION_IN_PROGRESS,
                     "guest agent of domain 'd'", "busy");
    assert_null(b);
    qemu_agent_close(a);
    if (qemu_agent_open_for(p->base, "d", LONG_MS, &b) < 0)
        fail_msg("second open: %s", vp_error_last()->message);
    assert_int_equal(qemu_agent_command(b, "guest-ping", NULL, LONG_MS, NULL), 0);
    qemu_agent_close(b);
    pipe_peer_stop(p);
    b = NULL;
    vpt_assert_error(qemu_agent_open_for(p->base, "d", SHORT_MS, &b), VP_ERR_SYSTEM,
                     "cannot connect to the guest agent of domain 'd'", ".in");
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_sync_skips_parse_error_line, setup_mock,
                                        teardown_mock),
        cmocka_unit_test_setup_teardown(test_stale_replies_on_connect, setup_mock, teardown_mock),
        cmocka_unit_test_setup_teardown(test_sync_unanswered, setup_mock, teardown_mock),
        cmocka_unit_test_setup_teardown(test_command_timeout_then_resync, setup_mock,
                                        teardown_mock),
        cmocka_unit_test_setup_teardown(test_long_wait_after_short_timeout, setup_mock,
                                        teardown_mock),
        cmocka_unit_test_setup_teardown(test_late_reply_discarded, setup_mock, teardown_mock),
        cmocka_unit_test_setup_teardown(test_late_reply_crosses_reconnect, setup_mock,
                                        teardown_mock),
        cmocka_unit_test_setup_teardown(test_send_nowait_queues_behind_busy_request, setup_mock,
                                        teardown_mock),
        cmocka_unit_test_setup_teardown(test_send_nowait_needs_connection, setup_mock,
                                        teardown_mock),
        cmocka_unit_test_setup_teardown(test_stale_reply_other_id, setup_mock, teardown_mock),
        cmocka_unit_test_setup_teardown(test_garbage_reply, setup_mock, teardown_mock),
        cmocka_unit_test_setup_teardown(test_reply_depth_limit, setup_mock, teardown_mock),
        cmocka_unit_test_setup_teardown(test_disconnect_then_reconnect, setup_mock, teardown_mock),
        cmocka_unit_test_setup_teardown(test_split_reply, setup_mock, teardown_mock),
        cmocka_unit_test_setup_teardown(test_error_replies, setup_mock, teardown_mock),
        cmocka_unit_test(test_connect_refused),
        cmocka_unit_test(test_open_fd_closed_peer),
        cmocka_unit_test_setup_teardown(test_real_qemu_ga, setup_real, teardown_real),
        cmocka_unit_test_setup_teardown(test_pipes, setup_pipes, teardown_pipes),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
