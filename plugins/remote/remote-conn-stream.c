/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Copyright (C) 2026 The virtplug developers */
/*
 * remote-conn-stream.c: the consoles of a remote connection (protocol 5):
 * a stream per open console, named by the id of the call that opened it,
 * whose bytes travel as "stream" frames of the connection's one ssh
 * process (remote-stream.c moves them). The frames' reader and the end of
 * the connection are remote-conn.c's.
 */
#include <config.h>

#include <errno.h>
#include <sys/socket.h>
#include <unistd.h>

#include <virtplug/sdk/plugin.h>
#include <virtplug/sdk/services.h>

#include "remote-conn-priv.h"

static int
stream_send(void *opaque, const remote_msg *msg)
{
    remote_conn *c = opaque;
    pthread_mutex_lock(&c->lock);
    int dead = c->dead_code;
    pthread_mutex_unlock(&c->lock);
    return dead < 0 ? dead : remote_conn_send_frame(c, msg);
}

/* Free the streams that ended (outside c->lock: freeing joins). */
static void
streams_reap(remote_conn *c)
{
    remote_stream_list done = {0};
    pthread_mutex_lock(&c->lock);
    remote_stream_list_reap(&c->streams, &done);
    pthread_mutex_unlock(&c->lock);
    remote_stream_list_free(&done);
}

int
remote_conn_open_stream(remote_conn *c, remote_msg *call, int *ret_fd)
{
    int sv[2];
    streams_reap(c);
    if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) < 0)
        return vp_plugin_error_set_errno(VP_ERR_SYSTEM, errno, "cannot make a socket pair");
    pthread_mutex_lock(&c->lock);
    call->id = ++c->next_id;
    remote_stream *s = remote_stream_new(call->id, sv[1], stream_send, c);
    remote_stream_list_add(&c->streams, s);
    pthread_mutex_unlock(&c->lock);
    remote_msg reply = {0};
    int r = remote_conn_call(c, call, &reply);
    remote_msg_clear(&reply);
    bool far_open = r >= 0;
    if (r >= 0)
        r = remote_stream_start(s);
    if (r < 0) {
        pthread_mutex_lock(&c->lock);
        remote_stream_list_remove(&c->streams, s);
        pthread_mutex_unlock(&c->lock);
        if (far_open) {
            /* The far side serves the console until it hears the end. */
            remote_msg end = {.type = REMOTE_MSG_STREAM, .id = call->id, .end = true};
            stream_send(c, &end);
        }
        remote_stream_free(s);
        close(sv[0]);
        return r;
    }
    *ret_fd = sv[0];
    return 0;
}
