/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Copyright (C) 2026 The virtplug developers */
/*
 * remote-events.c: the far host's domain events on a remote connection.
 *
 * event-open asks the helper to watch the far connection; from then on it
 * sends each far event as an "event" frame. The thread reading the socket
 * queues them here and makes a pipe readable; the core's dispatch, in the
 * application's thread, calls event_read, which empties the pipe and the
 * queue and emits each event into the core's sink. When the connection
 * ends (the far host gone or silent for the timeout: the connection's
 * keepalive runs while events are watched), the pipe turns readable for
 * good and event_read returns the connection's error, which the core's
 * dispatch hands to the application. Owns the queue and the pipe; the
 * frames and the calls are remote-conn.c's.
 */
#include <config.h>

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <string.h>
#include <unistd.h>

#include <virtplug/virtplug.h>
#include <virtplug/sdk/alloc.h>
#include <virtplug/sdk/conf.h>
#include <virtplug/sdk/services.h>

#include "remote-events.h"

typedef struct queued_event {
    remote_msg msg;
    struct queued_event *next;
} queued_event;

/* Events waiting beyond this are dropped (and logged), as the core's own
 * queue does: an application that never dispatches costs bounded memory. */
#define QUEUE_MAX 65536

typedef struct remote_events {
    pthread_mutex_t lock; /* the queue */
    vp_plugin_event_sink *sink;
    int rfd, wfd; /* readable while the queue holds events, and for good
                   * once the connection ended */
    queued_event *head, **tail;
    unsigned int queued;
    bool ended; /* the connection ended: event_read reports its error */
} remote_events;

static void
queue_free(queued_event *q)
{
    while (q) {
        queued_event *next = q->next;
        remote_msg_clear(&q->msg);
        free(q);
        q = next;
    }
}

/* In the thread reading the socket, with the connection's lock held; @msg
 * NULL: the connection ended (remote_conn_set_event_handler()). */
static void
on_event(void *opaque, remote_msg *msg)
{
    remote_events *e = opaque;
    pthread_mutex_lock(&e->lock);
    if (!msg) {
        e->ended = true;
    } else if (e->queued >= QUEUE_MAX) {
        pthread_mutex_unlock(&e->lock);
        VP_PLUGIN_DEBUG("remote", "event queue full (%d not read): dropped an event of '%s'",
                        QUEUE_MAX, msg->dom);
        return;
    } else {
        queued_event *q = vp_new0(queued_event, 1);
        q->msg = *msg;
        memset(msg, 0, sizeof(*msg));
        *e->tail = q;
        e->tail = &q->next;
        e->queued++;
    }
    pthread_mutex_unlock(&e->lock);
    /* A full pipe is readable already. */
    ssize_t n = write(e->wfd, "e", 1);
    (void)n;
}

static void
events_free(remote_events *e)
{
    queue_free(e->head);
    close(e->rfd);
    close(e->wfd);
    pthread_mutex_destroy(&e->lock);
    free(e);
}

static int
call_op(remote_conn *conn, int op)
{
    remote_msg m = {.op = op}, reply = {0};
    int r = remote_conn_call(conn, &m, &reply);
    remote_msg_clear(&reply);
    return r;
}

int
remote_events_open(remote_conn *conn, vp_plugin_event_sink *sink, int *ret_fd)
{
    int fds[2];
    if (pipe2(fds, O_CLOEXEC | O_NONBLOCK) < 0)
        return vp_plugin_error_set(VP_ERR_SYSTEM,
                                   "cannot make a pipe for the events of host '%s': %s",
                                   remote_conn_host(conn), strerror(errno));
    remote_events *e = vp_new0(remote_events, 1);
    pthread_mutex_init(&e->lock, NULL);
    e->sink = sink;
    e->rfd = fds[0];
    e->wfd = fds[1];
    e->tail = &e->head;
    remote_conn_set_event_handler(conn, on_event, e);
    int r = call_op(conn, REMOTE_OP_EVENT_OPEN);
    if (r < 0) {
        remote_conn_set_event_handler(conn, NULL, NULL);
        events_free(e);
        return r;
    }
    *ret_fd = e->rfd;
    return 0;
}

int
remote_events_read(remote_conn *conn)
{
    remote_events *e = remote_conn_event_opaque(conn);
    if (!e)
        return 0;
    char buf[256];
    while (read(e->rfd, buf, sizeof(buf)) > 0)
        ;
    pthread_mutex_lock(&e->lock);
    queued_event *q = e->head;
    e->head = NULL;
    e->tail = &e->head;
    e->queued = 0;
    bool ended = e->ended;
    pthread_mutex_unlock(&e->lock);
    /* An ended connection's descriptor stays readable, so that every
     * later dispatch reports the end (the core delivers the events emitted
     * here first). */
    if (ended && write(e->wfd, "x", 1) < 0 && errno != EAGAIN)
        VP_PLUGIN_DEBUG("remote", "cannot mark the end of the events of host '%s': %s",
                        remote_conn_host(conn), strerror(errno));
    for (queued_event *i = q; i; i = i->next) {
        unsigned char uuid[16];
        bool has_uuid = i->msg.uuid && vp_plugin_uuid_parse(i->msg.uuid, uuid) >= 0;
        const remote_msg *m = &i->msg;
        /* An io-error from a helper before protocol 5 has no strings:
         * they read as "". */
        int r = m->a == VP_DOMAIN_EVENT_IO_ERROR
                    ? vp_plugin_event_emit_io_error(e->sink, m->dom, has_uuid ? uuid : NULL,
                                                    (int)m->b, m->src_path ? m->src_path : "",
                                                    m->dev_alias ? m->dev_alias : "",
                                                    m->reason ? m->reason : "")
                    : vp_plugin_event_emit(e->sink, m->dom, has_uuid ? uuid : NULL, (int)m->a,
                                           (int)m->b);
        if (r < 0)
            VP_PLUGIN_DEBUG("remote", "host '%s' sent an event the core refused: %s %lld/%lld",
                            remote_conn_host(conn), i->msg.dom, (long long)i->msg.a,
                            (long long)i->msg.b);
    }
    queue_free(q);
    return ended ? remote_conn_dead_error(conn) : 0;
}

void
remote_events_close(remote_conn *conn)
{
    remote_events *e = remote_conn_event_opaque(conn);
    if (!e)
        return;
    /* The far side stops sending; a dead connection sends nothing anyway. */
    call_op(conn, REMOTE_OP_EVENT_CLOSE);
    remote_conn_set_event_handler(conn, NULL, NULL);
    events_free(e);
}
