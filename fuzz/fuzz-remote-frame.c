/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Copyright (C) 2026 The virtplug developers */
/*
 * fuzz-remote-frame.c: libFuzzer target for the remote protocol's frame
 * decoder (plugins/remote/remote-proto.c), as both ends run it on what
 * arrives from the other, with one decoder for the whole input as each
 * reader keeps one. Every input is a stream of frames: each one
 * decodes or fails with VP_ERR_PROTOCOL and a message naming the peer;
 * a decoded message encodes again and decodes to the same message.
 */
#include <config.h>

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"
#include "remote-proto.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static bool
same_str(const char *a, const char *b)
{
    return (!a && !b) || (a && b && strcmp(a, b) == 0) || (!a && b && !*b) || (a && !*a && !b);
}

static void
check_round_trip(const remote_msg *m)
{
    unsigned char *buf = NULL;
    size_t len = 0;
    if (remote_msg_encode(m, &buf, &len) < 0)
        return; /* a reply without an op, say: nothing to encode */
    remote_msg back = {0};
    int r = remote_frame_decode(buf, len, REMOTE_FRAME_MAX, "fuzz", &back);
    if (r != (int)len || back.type != m->type)
        abort();
    if (m->type != REMOTE_MSG_HELLO && back.id != m->id)
        abort();
    if (m->type == REMOTE_MSG_CALL &&
        (back.op != m->op || back.flags != m->flags || !same_str(back.dom, m->dom) ||
         !same_str(back.snap, m->snap) || !same_str(back.xml, m->xml) ||
         !same_str(back.uuid, m->uuid) || !same_str(back.path, m->path)))
        abort();
    if (m->type == REMOTE_MSG_EVENT &&
        (back.a != m->a || back.b != m->b || !same_str(back.dom, m->dom) ||
         !same_str(back.uuid, m->uuid) || !same_str(back.src_path, m->src_path) ||
         !same_str(back.dev_alias, m->dev_alias) || !same_str(back.reason, m->reason)))
        abort();
    if (m->type == REMOTE_MSG_ERROR &&
        (back.code != m->code || !same_str(back.message, m->message)))
        abort();
    if (m->type == REMOTE_MSG_STREAM &&
        (back.end != m->end || back.data_len != m->data_len ||
         (m->data_len && memcmp(back.data, m->data, m->data_len) != 0)))
        abort();
    remote_msg_clear(&back);
    free(buf);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    /* One decoder for the whole stream, as each reader keeps one. */
    remote_decoder *dec = remote_decoder_new();
    size_t off = 0;
    while (off < size) {
        remote_msg m = {0};
        int r = remote_decoder_next(dec, data + off, size - off, 4096, "fuzz", &m);
        if (r < 0) {
            const vp_error *e = vp_error_last();
            if (r != VP_ERR_PROTOCOL || !e || !strstr(e->message, "'fuzz'"))
                abort();
            break;
        }
        if (r == 0)
            break;
        if ((size_t)r > size - off || r < 5)
            abort();
        off += (size_t)r;
        if (m.type == REMOTE_MSG_REPLY)
            for (int op = 0; op < REMOTE_OP_LAST; op++)
                (void)remote_msg_check_reply(&m, op, "fuzz");
        check_round_trip(&m);
        remote_msg_clear(&m);
    }
    remote_decoder_free(dec);
    return 0;
}
