/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Copyright (C) 2026 The virtplug developers */
/*
 * remote-proto.c: encoding and decoding the frames of a remote connection.
 *
 * Encodes and decodes, as the table of ops (remote-ops.c) declares each
 * op's arguments and results, the length-prefixed JSON frames of
 * docs/remote-protocol.md. It reads bytes only from the buffer it is given
 * (the fuzzer feeds it anything) and never does I/O.
 */
#include <config.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include <virtplug/virtplug.h>
#include <virtplug/sdk/alloc.h>
#include <virtplug/sdk/driver.h>
#include <virtplug/sdk/services.h>

#include "remote-proto.h"

static const char *const type_names[REMOTE_MSG_LAST] = {
    [REMOTE_MSG_HELLO] = "hello", [REMOTE_MSG_CALL] = "call",     [REMOTE_MSG_REPLY] = "reply",
    [REMOTE_MSG_ERROR] = "error", [REMOTE_MSG_PING] = "ping",     [REMOTE_MSG_PONG] = "pong",
    [REMOTE_MSG_EVENT] = "event", [REMOTE_MSG_STREAM] = "stream",
};

void
remote_msg_clear(remote_msg *msg)
{
    free(msg->dom);
    free(msg->snap);
    free(msg->xml);
    free(msg->uuid);
    free(msg->path);
    free(msg->handle);
    free(msg->unknown_op);
    free(msg->str);
    vp_strv_free(msg->names);
    free(msg->message);
    free(msg->version);
    free(msg->driver);
    free(msg->data);
    free(msg->src_path);
    free(msg->dev_alias);
    free(msg->reason);
    memset(msg, 0, sizeof(*msg));
}

/* ---- Encoding ------------------------------------------------------- */

static void
put_str(json_object *o, const char *key, const char *value)
{
    json_object_object_add(o, key, json_object_new_string(value ? value : ""));
}

static void
put_int(json_object *o, const char *key, int64_t value)
{
    json_object_object_add(o, key, json_object_new_int64(value));
}

static void
encode_fields(json_object *o, const remote_msg *msg, unsigned int fields)
{
    if (fields & REMOTE_F_DOM)
        put_str(o, "dom", msg->dom);
    if (fields & REMOTE_F_SNAP)
        put_str(o, "snap", msg->snap);
    if (fields & REMOTE_F_XML)
        put_str(o, "xml", msg->xml);
    if (fields & REMOTE_F_UUID)
        put_str(o, "uuid", msg->uuid);
    if (fields & REMOTE_F_PATH)
        put_str(o, "path", msg->path);
    if (fields & REMOTE_F_FLAGS)
        put_int(o, "flags", (int64_t)msg->flags);
    if (fields & REMOTE_F_RET)
        put_int(o, "ret", msg->ret);
    if (fields & (REMOTE_F_AB | REMOTE_F_IN_AB)) {
        put_int(o, "a", msg->a);
        put_int(o, "b", msg->b);
    }
    if (fields & REMOTE_F_STR)
        put_str(o, "str", msg->str);
    if (fields & REMOTE_F_NAMES) {
        json_object *a = json_object_new_array();
        for (size_t i = 0; msg->names && msg->names[i]; i++)
            json_object_array_add(a, json_object_new_string(msg->names[i]));
        json_object_object_add(o, "names", a);
    }
}

int
remote_msg_encode(const remote_msg *msg, unsigned char **ret_buf, size_t *ret_len)
{
    const remote_op_info *info = remote_op_get(msg->op);
    if (msg->type >= REMOTE_MSG_LAST ||
        ((msg->type == REMOTE_MSG_CALL || msg->type == REMOTE_MSG_REPLY) && !info))
        return vp_plugin_error_set(VP_ERR_INTERNAL, "cannot encode a remote message of type %d",
                                   (int)msg->type);
    json_object *o = json_object_new_object();
    put_str(o, "t", type_names[msg->type]);
    if (msg->type != REMOTE_MSG_HELLO)
        put_int(o, "id", (int64_t)msg->id);
    switch (msg->type) {
    case REMOTE_MSG_HELLO: {
        put_int(o, "proto", msg->proto);
        put_str(o, "version", msg->version);
        json_object *abi = json_object_new_array();
        json_object_array_add(abi, json_object_new_int64(msg->abi_major));
        json_object_array_add(abi, json_object_new_int64(msg->abi_minor));
        json_object_object_add(o, "abi", abi);
        if (msg->driver)
            put_str(o, "driver", msg->driver);
        break;
    }
    case REMOTE_MSG_CALL:
        put_str(o, "op", info->name);
        encode_fields(o, msg,
                      info->fields & (REMOTE_F_DOM | REMOTE_F_SNAP | REMOTE_F_XML | REMOTE_F_UUID |
                                      REMOTE_F_PATH | REMOTE_F_FLAGS | REMOTE_F_IN_AB));
        if ((info->fields & REMOTE_F_DOM) && msg->handle)
            put_str(o, "handle", msg->handle);
        break;
    case REMOTE_MSG_REPLY:
        encode_fields(o, msg,
                      info->fields & (REMOTE_F_RET | REMOTE_F_AB | REMOTE_F_STR | REMOTE_F_NAMES));
        break;
    case REMOTE_MSG_ERROR:
        put_int(o, "code", msg->code);
        put_str(o, "message", msg->message);
        break;
    case REMOTE_MSG_EVENT:
        put_str(o, "dom", msg->dom);
        if (msg->uuid)
            put_str(o, "uuid", msg->uuid);
        put_int(o, "event", msg->a);
        put_int(o, "detail", msg->b);
        /* An io-error's strings: members an older peer ignores. */
        if (msg->src_path)
            put_str(o, "src_path", msg->src_path);
        if (msg->dev_alias)
            put_str(o, "dev_alias", msg->dev_alias);
        if (msg->reason)
            put_str(o, "reason", msg->reason);
        break;
    case REMOTE_MSG_STREAM: {
        char *data = remote_base64_encode(msg->data, msg->data_len);
        put_str(o, "data", data);
        free(data);
        if (msg->end)
            json_object_object_add(o, "end", json_object_new_boolean(1));
        break;
    }
    default:
        break;
    }
    size_t n;
    const char *text = json_object_to_json_string_length(o, JSON_C_TO_STRING_PLAIN, &n);
    if (n > REMOTE_FRAME_MAX) {
        json_object_put(o);
        return vp_plugin_error_set(
            VP_ERR_INVALID_ARG, "a message of %zu bytes is over the remote frame limit of %u bytes",
            n, REMOTE_FRAME_MAX);
    }
    unsigned char *buf = vp_new0(unsigned char, n + 4);
    buf[0] = (unsigned char)(n >> 24);
    buf[1] = (unsigned char)(n >> 16);
    buf[2] = (unsigned char)(n >> 8);
    buf[3] = (unsigned char)n;
    memcpy(buf + 4, text, n);
    json_object_put(o);
    *ret_buf = buf;
    *ret_len = n + 4;
    return 0;
}

/* ---- Decoding ------------------------------------------------------- */

typedef struct decoder {
    json_object *obj;
    const char *peer;
} decoder;

static int
bad(const decoder *d, const char *what, const char *key)
{
    return vp_plugin_error_set(VP_ERR_PROTOCOL,
                               "host '%s' broke the remote protocol: %s '%s' in a frame", d->peer,
                               what, key);
}

/* Read string member @key into *@ret: absent is fine unless @required. */
static int
get_str(const decoder *d, const char *key, bool required, char **ret)
{
    json_object *v;
    if (!json_object_object_get_ex(d->obj, key, &v))
        return required ? bad(d, "missing member", key) : 0;
    if (!json_object_is_type(v, json_type_string))
        return bad(d, "a string expected for", key);
    const char *s = json_object_get_string(v);
    if (strlen(s) != (size_t)json_object_get_string_len(v))
        return bad(d, "a NUL byte in", key);
    free(*ret);
    *ret = vp_strdup(s);
    return 0;
}

static int
get_int(const decoder *d, const char *key, bool required, bool non_negative, int64_t *ret)
{
    json_object *v;
    if (!json_object_object_get_ex(d->obj, key, &v))
        return required ? bad(d, "missing member", key) : 0;
    if (!json_object_is_type(v, json_type_int))
        return bad(d, "an integer expected for", key);
    int64_t n = json_object_get_int64(v);
    if (non_negative && n < 0)
        return bad(d, "a negative value for", key);
    *ret = n;
    return 0;
}

static int
get_names(const decoder *d, remote_msg *msg)
{
    json_object *v;
    if (!json_object_object_get_ex(d->obj, "names", &v))
        return 0;
    if (!json_object_is_type(v, json_type_array))
        return bad(d, "an array expected for", "names");
    size_t n = json_object_array_length(v);
    vp_strv_free(msg->names);
    msg->names = vp_new0(char *, n + 1);
    msg->n_names = 0;
    for (size_t i = 0; i < n; i++) {
        json_object *s = json_object_array_get_idx(v, i);
        if (!json_object_is_type(s, json_type_string) ||
            strlen(json_object_get_string(s)) != (size_t)json_object_get_string_len(s))
            return bad(d, "a string expected in", "names");
        msg->names[msg->n_names++] = vp_strdup(json_object_get_string(s));
    }
    return 0;
}

static int
decode_type(const decoder *d, remote_msg *msg)
{
    _cleanup_free_ char *t = NULL;
    int r = get_str(d, "t", true, &t);
    if (r < 0)
        return r;
    for (int i = 0; i < REMOTE_MSG_LAST; i++)
        if (strcmp(t, type_names[i]) == 0) {
            msg->type = (remote_msg_type)i;
            return 0;
        }
    return bad(d, "unknown message type", t);
}

static int
decode_hello(const decoder *d, remote_msg *msg)
{
    int r = get_int(d, "proto", true, true, &msg->proto);
    if (r >= 0)
        r = get_str(d, "version", true, &msg->version);
    if (r >= 0)
        r = get_str(d, "driver", false, &msg->driver);
    if (r < 0)
        return r;
    json_object *abi;
    if (!json_object_object_get_ex(d->obj, "abi", &abi) ||
        !json_object_is_type(abi, json_type_array) || json_object_array_length(abi) != 2 ||
        !json_object_is_type(json_object_array_get_idx(abi, 0), json_type_int) ||
        !json_object_is_type(json_object_array_get_idx(abi, 1), json_type_int))
        return bad(d, "a pair of integers expected for", "abi");
    msg->abi_major = json_object_get_int64(json_object_array_get_idx(abi, 0));
    msg->abi_minor = json_object_get_int64(json_object_array_get_idx(abi, 1));
    return 0;
}

static int
decode_call(const decoder *d, remote_msg *msg)
{
    _cleanup_free_ char *op = NULL;
    int r = get_str(d, "op", true, &op);
    if (r < 0)
        return r;
    msg->op = REMOTE_OP_UNKNOWN;
    for (int i = 0; i < REMOTE_OP_LAST; i++)
        if (strcmp(op, remote_op_get(i)->name) == 0)
            msg->op = i;
    if (msg->op == REMOTE_OP_UNKNOWN) {
        /* A newer peer's op: the call is whole, the receiver refuses it. */
        msg->unknown_op = VP_STEAL_PTR(op);
        return 0;
    }
    /* Only the members the op declares are read (each is then required):
     * another member means nothing for this op, so it cannot change the
     * call, and what is decoded encodes back the same. */
    unsigned int f = remote_op_get(msg->op)->fields;
    int64_t flags = 0;
    r = 0;
    if (f & REMOTE_F_DOM)
        r = get_str(d, "dom", true, &msg->dom);
    if (r >= 0 && (f & REMOTE_F_DOM))
        r = get_str(d, "handle", false, &msg->handle);
    if (r >= 0 && (f & REMOTE_F_SNAP))
        r = get_str(d, "snap", true, &msg->snap);
    if (r >= 0 && (f & REMOTE_F_XML))
        r = get_str(d, "xml", true, &msg->xml);
    if (r >= 0 && (f & REMOTE_F_UUID))
        r = get_str(d, "uuid", true, &msg->uuid);
    if (r >= 0 && (f & REMOTE_F_PATH))
        r = get_str(d, "path", true, &msg->path);
    if (r >= 0 && (f & REMOTE_F_FLAGS))
        r = get_int(d, "flags", true, true, &flags);
    if (r >= 0 && (uint64_t)flags > UINT32_MAX)
        r = bad(d, "flags beyond 32 bits in", "flags");
    msg->flags = (uint64_t)flags;
    if (r >= 0 && (f & REMOTE_F_IN_AB))
        r = get_int(d, "a", true, false, &msg->a);
    if (r >= 0 && (f & REMOTE_F_IN_AB))
        r = get_int(d, "b", true, false, &msg->b);
    return r;
}

static int
decode_reply(const decoder *d, remote_msg *msg)
{
    int r = get_int(d, "ret", false, false, &msg->ret);
    if (r >= 0)
        r = get_int(d, "a", false, false, &msg->a);
    if (r >= 0)
        r = get_int(d, "b", false, false, &msg->b);
    if (r >= 0)
        r = get_str(d, "str", false, &msg->str);
    if (r >= 0)
        r = get_names(d, msg);
    return r;
}

static int
decode_error(const decoder *d, remote_msg *msg)
{
    int64_t code = 0;
    int r = get_int(d, "code", true, false, &code);
    if (r >= 0 && (code >= 0 || code < INT32_MIN))
        r = bad(d, "an error code that is no VP_ERR_* value in", "code");
    msg->code = (int)code;
    if (r >= 0)
        r = get_str(d, "message", true, &msg->message);
    return r;
}

static int
decode_event(const decoder *d, remote_msg *msg)
{
    int r = get_str(d, "dom", true, &msg->dom);
    if (r >= 0)
        r = get_str(d, "uuid", false, &msg->uuid);
    if (r >= 0)
        r = get_int(d, "event", true, true, &msg->a);
    if (r >= 0)
        r = get_int(d, "detail", true, true, &msg->b);
    if (r >= 0 && (msg->a > INT32_MAX || msg->b > INT32_MAX))
        r = bad(d, "an event number out of range in", "event");
    if (r >= 0)
        r = get_str(d, "src_path", false, &msg->src_path);
    if (r >= 0)
        r = get_str(d, "dev_alias", false, &msg->dev_alias);
    if (r >= 0)
        r = get_str(d, "reason", false, &msg->reason);
    return r;
}

static int
decode_stream(const decoder *d, remote_msg *msg)
{
    _cleanup_free_ char *data = NULL;
    int r = get_str(d, "data", true, &data);
    if (r >= 0 && !remote_base64_decode(data, &msg->data, &msg->data_len))
        r = bad(d, "base64 text expected for", "data");
    json_object *end = NULL;
    if (r >= 0 && json_object_object_get_ex(d->obj, "end", &end)) {
        if (!json_object_is_type(end, json_type_boolean))
            r = bad(d, "a boolean expected for", "end");
        else
            msg->end = json_object_get_boolean(end);
    }
    return r;
}

static int
decode_object(const decoder *d, remote_msg *msg)
{
    int r = decode_type(d, msg);
    if (r < 0)
        return r;
    int64_t id = 0;
    bool id_required = msg->type != REMOTE_MSG_HELLO && msg->type != REMOTE_MSG_ERROR;
    r = get_int(d, "id", id_required, true, &id);
    if (r < 0)
        return r;
    msg->id = (uint64_t)id;
    switch (msg->type) {
    case REMOTE_MSG_HELLO:
        return decode_hello(d, msg);
    case REMOTE_MSG_CALL:
        return decode_call(d, msg);
    case REMOTE_MSG_REPLY:
        return decode_reply(d, msg);
    case REMOTE_MSG_ERROR:
        return decode_error(d, msg);
    case REMOTE_MSG_EVENT:
        return decode_event(d, msg);
    case REMOTE_MSG_STREAM:
        return decode_stream(d, msg);
    default:
        return 0;
    }
}

struct remote_decoder {
    json_tokener *tok;
};

remote_decoder *
remote_decoder_new(void)
{
    remote_decoder *dec = vp_new0(remote_decoder, 1);
    dec->tok = json_tokener_new_ex(32);
    if (!dec->tok)
        abort();
    return dec;
}

void
remote_decoder_free(remote_decoder *dec)
{
    if (!dec)
        return;
    json_tokener_free(dec->tok);
    free(dec);
}

int
remote_frame_decode(const unsigned char *buf, size_t len, size_t max_bytes, const char *peer,
                    remote_msg *ret_msg)
{
    remote_decoder dec = {NULL};
    int r = remote_decoder_next(&dec, buf, len, max_bytes, peer, ret_msg);
    if (dec.tok)
        json_tokener_free(dec.tok);
    return r;
}

int
remote_decoder_next(remote_decoder *dec, const unsigned char *buf, size_t len, size_t max_bytes,
                    const char *peer, remote_msg *ret_msg)
{
    if (len < 4)
        return 0;
    size_t n = (size_t)buf[0] << 24 | (size_t)buf[1] << 16 | (size_t)buf[2] << 8 | buf[3];
    if (n == 0 || n > max_bytes)
        return vp_plugin_error_set(
            VP_ERR_PROTOCOL,
            "host '%s' sent a frame of %zu bytes; the remote protocol allows 1 to %zu", peer, n,
            max_bytes);
    if (len - 4 < n)
        return 0;
    /* A parser is made only for a whole frame, and reset for each. */
    if (!dec->tok && !(dec->tok = json_tokener_new_ex(32)))
        abort();
    json_tokener_reset(dec->tok);
    json_object *obj = json_tokener_parse_ex(dec->tok, (const char *)buf + 4, (int)n);
    bool whole = obj && json_tokener_get_error(dec->tok) == json_tokener_success &&
                 json_tokener_get_parse_end(dec->tok) == n;
    if (!whole || !json_object_is_type(obj, json_type_object)) {
        json_object_put(obj);
        return vp_plugin_error_set(
            VP_ERR_PROTOCOL,
            "host '%s' broke the remote protocol: a frame of %zu bytes is not one JSON object",
            peer, n);
    }
    remote_msg msg = {0};
    decoder d = {obj, peer};
    int r = decode_object(&d, &msg);
    json_object_put(obj);
    if (r < 0) {
        remote_msg_clear(&msg);
        return r;
    }
    *ret_msg = msg;
    return (int)(n + 4);
}

int
remote_msg_check_reply(const remote_msg *reply, int op, const char *peer)
{
    const remote_op_info *info = remote_op_get(op);
    unsigned int f = info ? info->fields : 0;
    if ((f & REMOTE_F_STR) && !reply->str)
        return vp_plugin_error_set(
            VP_ERR_PROTOCOL, "host '%s' broke the remote protocol: its reply to '%s' has no 'str'",
            peer, info->name);
    if ((f & REMOTE_F_NAMES) && !reply->names)
        return vp_plugin_error_set(
            VP_ERR_PROTOCOL,
            "host '%s' broke the remote protocol: its reply to '%s' has no 'names'", peer,
            info->name);
    return 0;
}

/* ---- Records --------------------------------------------------------
 * Each field of a record of the public API once: its JSON name (the
 * field's), where it is and what it is. */

typedef enum { REC_I32, REC_U32, REC_U64, REC_I64, REC_TEXT } rec_kind;

typedef struct rec_field {
    const char *name;
    size_t offset;
    rec_kind kind;
    size_t size;
    bool optional; /* a later addition: absent is 0 */
} rec_field;

#define REC_OF(type, name, kind, optional)                                                         \
    {                                                                                              \
#name, offsetof(type, name), kind, sizeof(((type *)0)->name), optional                     \
    }
#define REC(name, kind) REC_OF(vp_node_suspend_result, name, kind, false)
#define REC_LATER(name, kind) REC_OF(vp_node_suspend_result, name, kind, true)
static const rec_field suspend_fields[] = {
    REC(state, REC_I32),
    REC(target, REC_U32),
    REC(flags, REC_U32),
    REC(duration_s, REC_U64),
    REC(requested_us, REC_I64),
    REC(started_us, REC_I64),
    REC(ended_us, REC_I64),
    REC(wake_at_us, REC_I64),
    REC(pid, REC_I64),
    REC(error_code, REC_I32),
    REC(driver, REC_TEXT),
    REC(error_message, REC_TEXT),
    REC(suspend_at_us, REC_I64),
    REC_LATER(guests, REC_U32),
    REC_LATER(guests_state, REC_U32),
    REC_LATER(n_guests, REC_U32),
    REC_LATER(n_guest_failures, REC_U32),
};

#define DI(name, kind) REC_OF(vp_domain_info, name, kind, true)
static const rec_field domain_info_fields[] = {
    DI(state, REC_I32),          DI(reason, REC_I32),     DI(vcpus, REC_U32),
    DI(max_memory_kib, REC_U64), DI(memory_kib, REC_U64), DI(cpu_time_ns, REC_U64),
};

#define NI(name, kind) REC_OF(vp_node_info, name, kind, true)
static const rec_field node_info_fields[] = {
    NI(cpus, REC_U32),    NI(memory_kib, REC_U64), NI(mhz, REC_U32),     NI(nodes, REC_U32),
    NI(sockets, REC_U32), NI(cores, REC_U32),      NI(threads, REC_U32), NI(model, REC_TEXT),
};

#define N_OF(a) (sizeof(a) / sizeof((a)[0]))

/* The field's value as an int64 (a u64 beyond INT64_MAX is clamped). */
static int64_t
rec_get(const void *rec, const rec_field *f)
{
    const char *p = (const char *)rec + f->offset;
    int32_t i32;
    uint32_t u32;
    uint64_t u64;
    int64_t i64 = 0;
    switch (f->kind) {
    case REC_I32:
        memcpy(&i32, p, sizeof(i32));
        return i32;
    case REC_U32:
        memcpy(&u32, p, sizeof(u32));
        return u32;
    case REC_U64:
        memcpy(&u64, p, sizeof(u64));
        return u64 > INT64_MAX ? INT64_MAX : (int64_t)u64;
    case REC_I64:
        memcpy(&i64, p, sizeof(i64));
        return i64;
    default:
        return 0;
    }
}

static void
rec_set(void *rec, const rec_field *f, int64_t v)
{
    char *p = (char *)rec + f->offset;
    int32_t i32 = (int32_t)v;
    uint32_t u32 = (uint32_t)v;
    uint64_t u64 = (uint64_t)v;
    if (f->kind == REC_I32)
        memcpy(p, &i32, sizeof(i32));
    else if (f->kind == REC_U32)
        memcpy(p, &u32, sizeof(u32));
    else if (f->kind == REC_U64)
        memcpy(p, &u64, sizeof(u64));
    else
        memcpy(p, &v, sizeof(v));
}

/* @rec's fields (up to @size bytes) as the text of one JSON object. */
static char *
rec_format(const rec_field *fields, size_t n, const void *rec, size_t size)
{
    json_object *o = json_object_new_object();
    for (size_t i = 0; i < n; i++) {
        const rec_field *f = &fields[i];
        const char *p = (const char *)rec + f->offset;
        if (f->offset + f->size > size)
            continue;
        if (f->kind == REC_TEXT)
            json_object_object_add(o, f->name,
                                   json_object_new_string_len(p, (int)strnlen(p, f->size)));
        else
            put_int(o, f->name, rec_get(rec, f));
    }
    char *text = vp_strdup(json_object_to_json_string_ext(o, JSON_C_TO_STRING_PLAIN));
    json_object_put(o);
    return text;
}

/* Fill the fields of @rec that fit in @size bytes from @text. */
static int
rec_parse(const rec_field *fields, size_t n, const char *what, const char *text, const char *peer,
          void *rec, size_t size)
{
    json_object *o = json_tokener_parse(text);
    decoder d = {o, peer};
    int r = 0;
    if (!o || !json_object_is_type(o, json_type_object))
        r = vp_plugin_error_set(VP_ERR_PROTOCOL,
                                "host '%s' broke the remote protocol: %s that is not a JSON object",
                                peer, what);
    for (size_t i = 0; r >= 0 && i < n; i++) {
        const rec_field *f = &fields[i];
        if (f->offset + f->size > size)
            continue;
        if (f->kind == REC_TEXT) {
            _cleanup_free_ char *s = NULL;
            r = get_str(&d, f->name, !f->optional, &s);
            if (r >= 0 && s)
                snprintf((char *)rec + f->offset, f->size, "%s", s);
            continue;
        }
        int64_t v = 0;
        r = get_int(&d, f->name, !f->optional, f->kind == REC_U32 || f->kind == REC_U64, &v);
        if (r >= 0)
            rec_set(rec, f, v);
    }
    json_object_put(o);
    return r;
}

static const struct record_type {
    const rec_field *fields;
    size_t n_fields;
    size_t size; /* of the struct this was built with */
    const char *what;
} record_types[REMOTE_REC_LAST] = {
    [REMOTE_REC_SUSPEND_RESULT] = {suspend_fields, N_OF(suspend_fields),
                                   sizeof(vp_node_suspend_result), "a node-suspend record"},
    [REMOTE_REC_DOMAIN_INFO] = {domain_info_fields, N_OF(domain_info_fields),
                                sizeof(vp_domain_info), "a domain's info"},
    [REMOTE_REC_NODE_INFO] = {node_info_fields, N_OF(node_info_fields), sizeof(vp_node_info),
                              "a node's info"},
};

/* The record's size member (each record starts with one), but never
 * beyond the struct this was built with. */
static size_t
rec_size(const struct record_type *t, const void *rec)
{
    uint32_t size;
    memcpy(&size, rec, sizeof(size));
    return size && size < t->size ? size : t->size;
}

char *
remote_record_format(remote_record type, const void *rec)
{
    const struct record_type *t = &record_types[type];
    return rec_format(t->fields, t->n_fields, rec, rec_size(t, rec));
}

int
remote_record_parse(remote_record type, const char *text, const char *peer, void *rec)
{
    const struct record_type *t = &record_types[type];
    return rec_parse(t->fields, t->n_fields, t->what, text, peer, rec, rec_size(t, rec));
}

/* ---- The guests of a node-suspend outcome ---------------------------- */

char *
remote_guests_format(vp_node_suspend_guest *const *guests)
{
    json_object *a = json_object_new_array();
    for (size_t i = 0; guests && guests[i]; i++) {
        json_object *o = json_object_new_object();
        put_str(o, "name", guests[i]->name);
        put_int(o, "done", guests[i]->done);
        put_int(o, "error_code", guests[i]->error_code);
        if (guests[i]->message)
            put_str(o, "message", guests[i]->message);
        json_object_array_add(a, o);
    }
    char *text = vp_strdup(json_object_to_json_string_ext(a, JSON_C_TO_STRING_PLAIN));
    json_object_put(a);
    return text;
}

static void
guests_free(vp_plugin_suspend_guest **v)
{
    for (size_t i = 0; v && v[i]; i++) {
        free(v[i]->name);
        free(v[i]->message);
        free(v[i]);
    }
    free(v);
}

int
remote_guests_parse(const char *text, const char *peer, vp_plugin_suspend_guest ***ret_guests)
{
    json_object *a = json_tokener_parse(text);
    size_t n = a && json_object_is_type(a, json_type_array) ? json_object_array_length(a) : 0;
    vp_plugin_suspend_guest **v = vp_new0(vp_plugin_suspend_guest *, n + 1);
    int r = 0;
    if (!a || !json_object_is_type(a, json_type_array))
        r = vp_plugin_error_set(
            VP_ERR_PROTOCOL,
            "host '%s' broke the remote protocol: a list of guests that is not a JSON array", peer);
    for (size_t i = 0; r >= 0 && i < n; i++) {
        decoder d = {json_object_array_get_idx(a, i), peer};
        vp_plugin_suspend_guest *g = v[i] = vp_new0(vp_plugin_suspend_guest, 1);
        int64_t done = 0, code = 0;
        if (!json_object_is_type(d.obj, json_type_object))
            r = bad(&d, "an object expected in", "guests");
        if (r >= 0)
            r = get_str(&d, "name", true, &g->name);
        if (r >= 0)
            r = get_int(&d, "done", true, true, &done);
        if (r >= 0)
            r = get_int(&d, "error_code", false, false, &code);
        if (r >= 0 && (done > UINT32_MAX || code > 0 || code < INT32_MIN))
            r = bad(&d, "a value out of range in", "guests");
        if (r >= 0)
            r = get_str(&d, "message", false, &g->message);
        g->done = (unsigned int)done;
        g->error_code = (int)code;
    }
    json_object_put(a);
    if (r < 0) {
        guests_free(v);
        return r;
    }
    *ret_guests = v;
    return (int)n;
}
