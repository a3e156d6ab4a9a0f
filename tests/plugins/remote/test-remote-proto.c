/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Copyright (C) 2026 The virtplug developers */
/*
 * test-remote-proto.c: tests of plugins/remote/remote-proto.c, the frames
 * of the remote protocol.
 *
 * Each kind of message encodes and decodes back to itself; a frame that is
 * not complete yet asks for more; a frame over the limit, empty, not one
 * JSON object, of an unknown type or op, or missing what its op declares
 * is VP_ERR_PROTOCOL with a message naming the peer and the fault. The
 * statistics of protocol 5 travel with their types; a stream
 * (remote-stream.c) moves bytes both ways and ends as documented.
 */
#include <config.h>

#include <pthread.h>
#include <setjmp.h>
#include <stdbool.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cmocka.h>

#include <virtplug/sdk/stats.h>

#include "internal.h"
#include "node-info.h"
#include "remote-proto.h"
#include "remote-stream.h"

static remote_msg
round_trip(const remote_msg *m)
{
    unsigned char *buf = NULL;
    size_t len = 0;
    assert_int_equal(remote_msg_encode(m, &buf, &len), 0);
    /* Every prefix is "not complete yet". */
    remote_msg back = {0};
    for (size_t n = 0; n < len; n++)
        assert_int_equal(remote_frame_decode(buf, n, REMOTE_FRAME_MAX, "h1", &back), 0);
    assert_int_equal(remote_frame_decode(buf, len, REMOTE_FRAME_MAX, "h1", &back), (int)len);
    free(buf);
    return back;
}

static void
test_round_trips(void **state)
{
    remote_msg call = {.type = REMOTE_MSG_CALL,
                       .id = 7,
                       .op = REMOTE_OP_SNAPSHOT_GET_XML,
                       .dom = "web",
                       .snap = "s'1\"\n",
                       .flags = 3};
    remote_msg back = round_trip(&call);
    assert_int_equal(back.type, REMOTE_MSG_CALL);
    assert_int_equal(back.id, 7);
    assert_int_equal(back.op, REMOTE_OP_SNAPSHOT_GET_XML);
    assert_string_equal(back.dom, "web");
    assert_string_equal(back.snap, "s'1\"\n");
    assert_int_equal(back.flags, 3);
    remote_msg_clear(&back);

    char *names[] = {"a", "b", NULL};
    remote_msg reply = {
        .type = REMOTE_MSG_REPLY, .id = 9, .op = REMOTE_OP_LIST_DOMAINS, .names = names};
    back = round_trip(&reply);
    assert_int_equal(back.n_names, 2);
    assert_string_equal(back.names[1], "b");
    assert_null(back.names[2]);
    assert_int_equal(remote_msg_check_reply(&back, REMOTE_OP_LIST_DOMAINS, "h1"), 0);
    remote_msg_clear(&back);

    remote_msg err = {.type = REMOTE_MSG_ERROR,
                      .id = 4,
                      .code = VP_ERR_OPERATION_INVALID,
                      .message = "domain 'web' is not running"};
    back = round_trip(&err);
    assert_int_equal(back.code, VP_ERR_OPERATION_INVALID);
    assert_string_equal(back.message, "domain 'web' is not running");
    remote_msg_clear(&back);

    remote_msg hello = {.type = REMOTE_MSG_HELLO,
                        .proto = 1,
                        .version = "1.0.0",
                        .driver = "qemu",
                        .abi_major = 1,
                        .abi_minor = 1};
    back = round_trip(&hello);
    assert_string_equal(back.driver, "qemu");
    assert_int_equal(back.abi_minor, 1);
    remote_msg_clear(&back);
}

/* Decode @json, a whole frame's text, into *@ret_msg. */
static int
decode_text(const char *json, remote_msg *ret_msg)
{
    size_t n = strlen(json);
    unsigned char *buf = malloc(n + 4);
    buf[0] = (unsigned char)(n >> 24);
    buf[1] = (unsigned char)(n >> 16);
    buf[2] = (unsigned char)(n >> 8);
    buf[3] = (unsigned char)n;
    memcpy(buf + 4, json, n);
    int r = remote_frame_decode(buf, n + 4, REMOTE_FRAME_MAX, "h1", ret_msg);
    free(buf);
    return r;
}

/* Protocol 3: a call with "dom" may carry its handle's UUID; a call
 * without one has none; an op without "dom" never reads it. */
static void
test_protocol_3_handle(void **state)
{
    (void)state;
    remote_msg call = {.type = REMOTE_MSG_CALL,
                       .id = 4,
                       .op = REMOTE_OP_DOMAIN_GET_STATE,
                       .dom = "web",
                       .handle = "6695eb01-f6a4-8304-79aa-97f2502e193f"};
    remote_msg back = round_trip(&call);
    assert_string_equal(back.dom, "web");
    assert_string_equal(back.handle, "6695eb01-f6a4-8304-79aa-97f2502e193f");
    remote_msg_clear(&back);
    call.handle = NULL;
    back = round_trip(&call);
    assert_null(back.handle);
    remote_msg_clear(&back);
    assert_true(decode_text("{\"t\":\"call\",\"id\":6,\"op\":\"conn-get-hostname\","
                            "\"handle\":\"6695eb01-f6a4-8304-79aa-97f2502e193f\"}",
                            &back) > 0);
    assert_null(back.handle);
    remote_msg_clear(&back);
    assert_true(decode_text("{\"t\":\"call\",\"id\":7,\"op\":\"domain-get-state\","
                            "\"dom\":\"web\",\"flags\":0,\"handle\":5}",
                            &back) < 0);
    remote_msg_clear(&back);
}

/* Protocol 2: the uuid argument; a newer peer's op decodes as unknown, by
 * name, for the helper to refuse by its id; records travel by field name. */
static void
test_protocol_2(void **state)
{
    remote_msg call = {.type = REMOTE_MSG_CALL,
                       .id = 3,
                       .op = REMOTE_OP_DOMAIN_LOOKUP_BY_UUID,
                       .uuid = "6695eb01-f6a4-8304-79aa-97f2502e193f"};
    remote_msg back = round_trip(&call);
    assert_string_equal(back.uuid, "6695eb01-f6a4-8304-79aa-97f2502e193f");
    remote_msg_clear(&back);
    assert_int_equal(remote_op_get(REMOTE_OP_DOMAIN_GET_INFO)->proto, 2);
    assert_true(remote_op_get(REMOTE_OP_DOMAIN_GET_INFO)->proto <= REMOTE_PROTO_VERSION);

    assert_true(decode_text("{\"t\":\"call\",\"id\":5,\"op\":\"rm\"}", &back) > 0);
    assert_int_equal(back.op, REMOTE_OP_UNKNOWN);
    assert_int_equal(back.id, 5);
    assert_string_equal(back.unknown_op, "rm");
    remote_msg_clear(&back);

    vp_domain_info info = {.size = sizeof(info),
                           .state = VP_DOMAIN_PAUSED,
                           .reason = 1,
                           .vcpus = 4,
                           .max_memory_kib = 1u << 20,
                           .memory_kib = 1u << 19,
                           .cpu_time_ns = 123456789012ull};
    char *text = remote_record_format(REMOTE_REC_DOMAIN_INFO, &info);
    assert_non_null(strstr(text, "\"cpu_time_ns\":123456789012"));
    vp_domain_info parsed = {.size = sizeof(parsed)};
    assert_int_equal(remote_record_parse(REMOTE_REC_DOMAIN_INFO, text, "h1", &parsed), 0);
    assert_memory_equal(&parsed, &info, sizeof(info));
    free(text);
    /* A newer far side's extra member is ignored; a smaller struct here
     * gets only the fields that fit. */
    vp_domain_info small = {.size = offsetof(vp_domain_info, vcpus)};
    assert_int_equal(remote_record_parse(REMOTE_REC_DOMAIN_INFO,
                                         "{\"state\":1,\"reason\":2,\"vcpus\":9,\"later\":[1]}",
                                         "h1", &small),
                     0);
    assert_int_equal(small.state, 1);
    assert_int_equal(small.reason, 2);
    assert_int_equal(small.vcpus, 0);
    assert_int_equal(remote_record_parse(REMOTE_REC_DOMAIN_INFO, "[1]", "h1", &small),
                     VP_ERR_PROTOCOL);

    vp_node_info node = {
        .size = sizeof(node), .cpus = 8, .memory_kib = 1u << 24, .model = "x86_64"};
    text = remote_record_format(REMOTE_REC_NODE_INFO, &node);
    vp_node_info node_back = {.size = sizeof(node_back)};
    assert_int_equal(remote_record_parse(REMOTE_REC_NODE_INFO, text, "h1", &node_back), 0);
    assert_memory_equal(&node_back, &node, sizeof(node));
    free(text);

    vp_node_suspend_guest web = {.name = "web", .done = 3}, db = {.name = "db",
                                                                  .done = 4,
                                                                  .error_code = VP_ERR_TIMEOUT,
                                                                  .message = "no answer"};
    vp_node_suspend_guest *guests[] = {&web, &db, NULL};
    text = remote_guests_format(guests);
    vp_plugin_suspend_guest **g = NULL;
    assert_int_equal(remote_guests_parse(text, "h1", &g), 2);
    assert_string_equal(g[0]->name, "web");
    assert_int_equal(g[0]->done, 3);
    assert_null(g[0]->message);
    assert_int_equal(g[1]->error_code, VP_ERR_TIMEOUT);
    assert_string_equal(g[1]->message, "no answer");
    assert_null(g[2]);
    for (int i = 0; g[i]; i++) {
        free(g[i]->name);
        free(g[i]->message);
        free(g[i]);
    }
    free(g);
    free(text);
    assert_int_equal(remote_guests_parse("[{\"name\":\"x\",\"done\":-1}]", "h1", &g),
                     VP_ERR_PROTOCOL);
    assert_int_equal(remote_guests_parse("{}", "h1", &g), VP_ERR_PROTOCOL);

    remote_msg ev = {.type = REMOTE_MSG_EVENT,
                     .dom = "web",
                     .uuid = "6695eb01-f6a4-8304-79aa-97f2502e193f",
                     .a = VP_DOMAIN_EVENT_STOPPED,
                     .b = VP_DOMAIN_EVENT_STOPPED_DESTROYED};
    back = round_trip(&ev);
    assert_int_equal(back.type, REMOTE_MSG_EVENT);
    assert_string_equal(back.dom, "web");
    assert_string_equal(back.uuid, ev.uuid);
    assert_int_equal(back.a, VP_DOMAIN_EVENT_STOPPED);
    assert_int_equal(back.b, VP_DOMAIN_EVENT_STOPPED_DESTROYED);
    assert_null(back.src_path);
    assert_null(back.dev_alias);
    assert_null(back.reason);
    remote_msg_clear(&back);
    /* An io-error carries its strings as members an older peer ignores. */
    remote_msg io = {.type = REMOTE_MSG_EVENT,
                     .dom = "web",
                     .a = VP_DOMAIN_EVENT_IO_ERROR,
                     .b = VP_DOMAIN_EVENT_IO_ERROR_PAUSE,
                     .src_path = "/var/lib/images/data.qcow2",
                     .dev_alias = "vdb",
                     .reason = "enospc"};
    back = round_trip(&io);
    assert_int_equal(back.a, VP_DOMAIN_EVENT_IO_ERROR);
    assert_int_equal(back.b, VP_DOMAIN_EVENT_IO_ERROR_PAUSE);
    assert_string_equal(back.src_path, "/var/lib/images/data.qcow2");
    assert_string_equal(back.dev_alias, "vdb");
    assert_string_equal(back.reason, "enospc");
    assert_null(back.uuid);
    remote_msg_clear(&back);
    /* As a peer of protocol 2 to 4 sends it: no strings; and members
     * this side does not know are ignored. */
    assert_true(decode_text("{\"t\":\"event\",\"id\":0,\"dom\":\"x\",\"event\":10,"
                            "\"detail\":1,\"later\":[1]}",
                            &back) > 0);
    assert_int_equal(back.a, VP_DOMAIN_EVENT_IO_ERROR);
    assert_null(back.src_path);
    remote_msg_clear(&back);
    assert_int_equal(decode_text("{\"t\":\"event\",\"id\":0,\"dom\":\"x\",\"event\":10,"
                                 "\"detail\":1,\"reason\":5}",
                                 &back),
                     VP_ERR_PROTOCOL);
    remote_msg_clear(&back);
    assert_int_equal(decode_text("{\"t\":\"event\",\"id\":0,\"dom\":\"x\",\"event\":1}", &back),
                     VP_ERR_PROTOCOL);
}

/* Decode @json as one frame; expect VP_ERR_PROTOCOL naming @words. */
static void
assert_refused(const char *json, const char *words)
{
    remote_msg m = {0};
    int r = decode_text(json, &m);
    if (r != VP_ERR_PROTOCOL || !strstr(vp_error_last()->message, words) ||
        !strstr(vp_error_last()->message, "'h1'"))
        fail_msg("'%s': got %d '%s', expected '%s'", json, r, r < 0 ? vp_error_last()->message : "",
                 words);
}

static void
test_refused(void **state)
{
    assert_refused("", "a frame of 0 bytes");
    assert_refused("{\"t\":\"ping\",\"id\":1}x", "is not one JSON object");
    assert_refused("[1]", "is not one JSON object");
    assert_refused("{\"t\":\"bogus\"}", "unknown message type 'bogus'");
    assert_refused("{\"t\":1}", "a string expected for 't'");
    assert_refused("{\"t\":\"ping\"}", "missing member 'id'");
    assert_refused("{\"t\":\"ping\",\"id\":-1}", "a negative value for 'id'");
    assert_refused("{\"t\":\"call\",\"id\":1,\"op\":\"domain-start\",\"flags\":0}",
                   "missing member 'dom'");
    assert_refused(
        "{\"t\":\"call\",\"id\":1,\"op\":\"domain-start\",\"dom\":\"a\\u0000b\",\"flags\":0}",
        "a NUL byte in 'dom'");
    assert_refused(
        "{\"t\":\"call\",\"id\":1,\"op\":\"domain-start\",\"dom\":\"a\",\"flags\":\"0\"}",
        "an integer expected for 'flags'");
    assert_refused("{\"t\":\"error\",\"code\":5,\"message\":\"x\"}", "no VP_ERR_* value");
    assert_refused("{\"t\":\"reply\",\"id\":1,\"names\":[1]}", "a string expected in 'names'");
    assert_refused("{\"t\":\"hello\",\"proto\":1,\"version\":\"1\",\"abi\":[1]}",
                   "a pair of integers expected for 'abi'");

    /* Over the limit: refused from the length alone, before the body. */
    unsigned char big[4] = {0x01, 0x00, 0x00, 0x01};
    remote_msg m = {0};
    assert_int_equal(remote_frame_decode(big, 4, REMOTE_FRAME_MAX, "h1", &m), VP_ERR_PROTOCOL);
    assert_string_equal(
        vp_error_last()->message,
        "host 'h1' sent a frame of 16777217 bytes; the remote protocol allows 1 to 16777216");

    /* A reply without what its op declares. */
    remote_msg reply = {.type = REMOTE_MSG_REPLY};
    assert_int_equal(remote_msg_check_reply(&reply, REMOTE_OP_DOMAIN_GET_XML, "h1"),
                     VP_ERR_PROTOCOL);
    assert_non_null(strstr(vp_error_last()->message, "its reply to 'domain-get-xml' has no 'str'"));
}

/* Protocol 5: a stream frame carries any bytes (base64 on the wire) and
 * its end; statistics travel as [key, type, value] triples and come back
 * with their types and values, the extremes included. */
static void
test_protocol_5(void **state)
{
    (void)state;
    for (size_t len = 0; len <= 5; len++) {
        unsigned char bytes[] = {0x00, 0xff, '"', '\\', 0x80};
        remote_msg m = {
            .type = REMOTE_MSG_STREAM, .id = 12, .data = bytes, .data_len = len, .end = len == 5};
        remote_msg back = round_trip(&m);
        assert_int_equal(back.type, REMOTE_MSG_STREAM);
        assert_int_equal(back.id, 12);
        assert_int_equal(back.data_len, len);
        assert_memory_equal(back.data, bytes, len);
        assert_int_equal(back.end, len == 5);
        remote_msg_clear(&back);
    }
    remote_msg m = {0};
    assert_int_equal(decode_text("{\"t\":\"stream\",\"id\":1,\"data\":\"QQ=\"}", &m),
                     VP_ERR_PROTOCOL);
    assert_non_null(strstr(vp_error_last()->message, "base64 text expected for 'data'"));
    assert_int_equal(decode_text("{\"t\":\"stream\",\"id\":1,\"data\":\"QQ=A\"}", &m),
                     VP_ERR_PROTOCOL);
    assert_int_equal(decode_text("{\"t\":\"stream\",\"id\":1,\"data\":\"\",\"end\":1}", &m),
                     VP_ERR_PROTOCOL);
    assert_non_null(strstr(vp_error_last()->message, "a boolean expected for 'end'"));
    assert_int_equal(decode_text("{\"t\":\"stream\",\"id\":1,\"data\":\"QUI=\"}", &m), 39);
    assert_int_equal(m.data_len, 2);
    assert_memory_equal(m.data, "AB", 2);
    remote_msg_clear(&m);

    /* The save-image XML calls: the far path travels as "path", which
     * they require. */
    remote_msg define = {.type = REMOTE_MSG_CALL,
                         .id = 6,
                         .op = REMOTE_OP_DOMAIN_SAVE_IMAGE_DEFINE_XML,
                         .path = "/srv/a b'.sav",
                         .xml = "<domain/>",
                         .flags = 2};
    m = round_trip(&define);
    assert_int_equal(m.op, REMOTE_OP_DOMAIN_SAVE_IMAGE_DEFINE_XML);
    assert_string_equal(m.path, "/srv/a b'.sav");
    assert_string_equal(m.xml, "<domain/>");
    assert_int_equal(m.flags, 2);
    remote_msg_clear(&m);
    assert_int_equal(
        decode_text("{\"t\":\"call\",\"id\":1,\"op\":\"domain-save-image-get-xml\",\"flags\":0}",
                    &m),
        VP_ERR_PROTOCOL);
    assert_non_null(strstr(vp_error_last()->message, "missing member 'path'"));

    vp_typed_params *p = vpi_typed_params_new();
    vp_plugin_typed_params_add_ullong(p, UINT64_MAX, "cpu.time");
    vp_plugin_typed_params_add_llong(p, INT64_MIN, "l");
    vp_plugin_typed_params_add_uint(p, UINT32_MAX, "vcpu.current");
    vp_plugin_typed_params_add_int(p, -1, "state.state");
    vp_plugin_typed_params_add_double(p, 0.5, "d");
    vp_plugin_typed_params_add_string(p, "vda\"'", "block.0.name");
    char *text = remote_params_format(p);
    vp_typed_params *q = vpi_typed_params_new();
    assert_int_equal(remote_params_parse(text, "h1", q), 0);
    assert_int_equal(vp_typed_params_count(q), 6);
    for (int i = 0; i < 6; i++) {
        char *a = NULL, *b = NULL;
        assert_string_equal(vp_typed_params_field(q, i), vp_typed_params_field(p, i));
        assert_int_equal(vp_typed_params_type(q, i), vp_typed_params_type(p, i));
        assert_int_equal(vp_typed_params_format_value(p, i, &a), 0);
        assert_int_equal(vp_typed_params_format_value(q, i, &b), 0);
        assert_string_equal(a, b);
        free(a);
        free(b);
    }
    free(text);
    vp_typed_params_free(p);
    const char *bad[] = {"{}",
                         "[1]",
                         "[[\"k\",4]]",
                         "[[\"k\",4,-1]]",
                         "[[\"k\",2,4294967296]]",
                         "[[\"k\",1,2147483648]]",
                         "[[\"k\",7,1]]",
                         "[[\"k\",9,1]]",
                         "[[1,4,1]]",
                         "[[\"k\",6,2]]"};
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        if (remote_params_parse(bad[i], "h1", q) != VP_ERR_PROTOCOL ||
            !strstr(vp_error_last()->message, "'h1'"))
            fail_msg("'%s' was not refused", bad[i]);
    }
    vp_typed_params_free(q);
}

/* ---- remote-stream.c: a descriptor and the frames of its stream ---- */

typedef struct sent {
    pthread_mutex_t lock;
    unsigned char bytes[256];
    size_t len;
    int ends;
} sent;

static int
record_send(void *opaque, const remote_msg *m)
{
    sent *s = opaque;
    assert_int_equal(m->type, REMOTE_MSG_STREAM);
    assert_int_equal(m->id, 5);
    pthread_mutex_lock(&s->lock);
    if (s->len + m->data_len <= sizeof(s->bytes)) {
        memcpy(s->bytes + s->len, m->data, m->data_len);
        s->len += m->data_len;
    }
    s->ends += m->end;
    pthread_mutex_unlock(&s->lock);
    return 0;
}

/* Wait (5 s at most) until @s holds @len bytes and @ends ends. */
static void
await_sent(sent *s, size_t len, int ends)
{
    for (int i = 0; i < 500; i++) {
        pthread_mutex_lock(&s->lock);
        bool done = s->len == len && s->ends == ends;
        pthread_mutex_unlock(&s->lock);
        if (done)
            return;
        usleep(10000);
    }
    fail_msg("the stream sent %zu bytes and %d ends, not %zu and %d", s->len, s->ends, len, ends);
}

static void
await_ended(remote_stream *st)
{
    for (int i = 0; i < 500 && !remote_stream_ended(st); i++)
        usleep(10000);
    assert_true(remote_stream_ended(st));
}

/* Bytes both ways; the peer's end closes the descriptor (after what was
 * queued) without an end back; the descriptor's end is sent as "end"; a
 * reader that stalls beyond the queue's limit ends the stream. */
static void
test_stream(void **state)
{
    (void)state;
    sent s = {.lock = PTHREAD_MUTEX_INITIALIZER};
    int sv[2];
    assert_int_equal(socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv), 0);
    remote_stream *st = remote_stream_new(5, sv[1], record_send, &s);
    remote_stream_push(st, (const unsigned char *)"early", 5, false); /* before the start */
    assert_int_equal(remote_stream_start(st), 0);
    assert_int_equal(write(sv[0], "hello", 5), 5);
    await_sent(&s, 5, 0);
    assert_memory_equal(s.bytes, "hello", 5);
    remote_stream_push(st, (const unsigned char *)"world", 5, true);
    char buf[64];
    size_t got = 0;
    ssize_t n;
    while ((n = read(sv[0], buf + got, sizeof(buf) - got)) > 0)
        got += (size_t)n;
    assert_int_equal(n, 0);
    assert_int_equal(got, 10);
    assert_memory_equal(buf, "earlyworld", 10);
    await_ended(st);
    assert_int_equal(s.ends, 0);
    remote_stream_push(st, (const unsigned char *)"late", 4, false); /* dropped */
    remote_stream_free(st);
    close(sv[0]);

    s.len = 0;
    assert_int_equal(socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv), 0);
    st = remote_stream_new(5, sv[1], record_send, &s);
    assert_int_equal(remote_stream_start(st), 0);
    close(sv[0]);
    await_sent(&s, 0, 1);
    await_ended(st);
    remote_stream_free(st);

    s.ends = 0;
    assert_int_equal(socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv), 0);
    st = remote_stream_new(5, sv[1], record_send, &s);
    assert_int_equal(remote_stream_start(st), 0);
    static unsigned char chunk[65536];
    for (size_t i = 0; i <= REMOTE_STREAM_QUEUE_MAX / sizeof(chunk) + 8; i++)
        remote_stream_push(st, chunk, sizeof(chunk), false);
    await_sent(&s, 0, 1);
    await_ended(st);
    remote_stream_free(st);
    close(sv[0]);

    /* Freed while it runs: the descriptor is closed, nothing is sent. */
    s.ends = 0;
    assert_int_equal(socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv), 0);
    st = remote_stream_new(5, sv[1], record_send, &s);
    assert_int_equal(remote_stream_start(st), 0);
    remote_stream_free(st);
    assert_int_equal(read(sv[0], buf, sizeof(buf)), 0);
    assert_int_equal(s.ends, 0);
    close(sv[0]);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_round_trips), cmocka_unit_test(test_refused),
        cmocka_unit_test(test_protocol_2),  cmocka_unit_test(test_protocol_3_handle),
        cmocka_unit_test(test_protocol_5),  cmocka_unit_test(test_stream),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
