/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Copyright (C) 2026 The virtplug developers */
/*
 * remote-conn.h: one ssh process and the calls multiplexed over it.
 */
#ifndef VIRTPLUG_REMOTE_CONN_H
#define VIRTPLUG_REMOTE_CONN_H

#include <virtplug/sdk/driver.h>

#include "remote-proto.h"

typedef struct remote_conn remote_conn;

/* Start ssh for @uri and complete the handshake. Errors name the host and
 * the cause (docs/remote-protocol.md, "Keepalive and failures"). */
int remote_conn_open(const vp_plugin_uri *uri, remote_conn **ret_conn);
/* End the helper and ssh, reap them; nothing is left running. */
void remote_conn_close(remote_conn *conn);
/* The host as the URI names it, for messages. (transfer none) */
const char *remote_conn_host(const remote_conn *conn);
/* The far driver's name, from the handshake. (transfer none) */
const char *remote_conn_driver(const remote_conn *conn);
/* The remote protocol version both sides speak. */
int remote_conn_proto(const remote_conn *conn);

/*
 * Send @call (its id is set here) and wait for its reply, from any thread.
 * *@ret_reply: the reply, checked against @call's op; clear it with
 * remote_msg_clear(). A far error comes back with its own code and the
 * message "on host 'HOST': MESSAGE".
 */
int remote_conn_call(remote_conn *conn, remote_msg *call, remote_msg *ret_reply);

/* 0 while the connection lives; once it ended, the error every call now
 * gets (set, and returned: a VP_ERR_* code naming the host and the cause). */
int remote_conn_dead_error(remote_conn *conn);

/*
 * Send @call (an op that opens a stream: domain-open-console) with an id
 * reserved for the stream and wait for its reply; on success *@ret_fd is
 * a connected stream socket (close-on-exec) the caller owns, whose bytes
 * go to the far stream and back, until either end closes or the
 * connection ends.
 */
int remote_conn_open_stream(remote_conn *conn, remote_msg *call, int *ret_fd);

/* Where the thread reading the socket hands each event frame (@fn may
 * take it over: it is cleared afterwards), with the connection's lock held: @fn
 * must not call back into the connection. NULL: events are dropped. When
 * the connection ends (the far side gone, silent for the timeout, or
 * closed), @fn is called once more with @event NULL: no event comes any
 * more, and remote_conn_dead_error() says why. */
typedef void (*remote_event_fn)(void *opaque, remote_msg *event);
void remote_conn_set_event_handler(remote_conn *conn, remote_event_fn fn, void *opaque);
/* The @opaque of the handler set, or NULL. */
void *remote_conn_event_opaque(remote_conn *conn);

#endif /* VIRTPLUG_REMOTE_CONN_H */
