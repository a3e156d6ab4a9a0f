/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Copyright (C) 2026 The virtplug developers */
/*
 * remote-stream.h: a byte stream (a console) carried as "stream" frames
 * of a remote connection (docs/remote-protocol.md, "Consoles"). Shared,
 * source for source, by both ends: on each, a thread moves the bytes
 * between a local descriptor and the frames.
 */
#ifndef VIRTPLUG_REMOTE_STREAM_H
#define VIRTPLUG_REMOTE_STREAM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "remote-proto.h"

/* Bytes the peer sent that the descriptor has not taken yet, at most; a
 * stream whose reader stalls beyond this is ended (a console is not worth
 * unbounded memory). */
#define REMOTE_STREAM_QUEUE_MAX (4u * 1024 * 1024)

typedef struct remote_stream remote_stream;

/* Send @msg (a "stream" frame, id set) to the peer; from the stream's
 * thread. Returns < 0 when the connection is gone. */
typedef int (*remote_stream_send_fn)(void *opaque, const remote_msg *msg);

/* A stream of id @id over descriptor @fd (which it owns from now on and
 * makes non-blocking). Bytes pushed before remote_stream_start() wait. */
remote_stream *remote_stream_new(uint64_t id, int fd, remote_stream_send_fn send, void *opaque);
uint64_t remote_stream_id(const remote_stream *s);
/* Start the thread: the descriptor's bytes go out as frames, the frames'
 * bytes into the descriptor; the end of either ends both. < 0: no thread
 * (the stream stays idle; free it). */
int remote_stream_start(remote_stream *s);
/* The bytes of a "stream" frame from the peer (@end: its side closed).
 * Never blocks: called from the reading thread. */
void remote_stream_push(remote_stream *s, const unsigned char *data, size_t len, bool end);
/* True once the stream ended (its descriptor is closed). */
bool remote_stream_ended(remote_stream *s);
/* End the stream without telling the peer (the connection is going),
 * join its thread and free it. NULL-safe. */
void remote_stream_free(remote_stream *s);

/* A list of streams, looked up by id; the caller locks. */
typedef struct remote_stream_list {
    remote_stream **v;
    size_t n;
} remote_stream_list;
void remote_stream_list_add(remote_stream_list *l, remote_stream *s);
remote_stream *remote_stream_list_find(remote_stream_list *l, uint64_t id);
/* Remove @s from @l (not freed). */
void remote_stream_list_remove(remote_stream_list *l, remote_stream *s);
/* Remove the ended streams of @l and append them to @done (to free them
 * outside the caller's lock). */
void remote_stream_list_reap(remote_stream_list *l, remote_stream_list *done);
/* Free every stream of @l and the list's array. */
void remote_stream_list_free(remote_stream_list *l);

#endif /* VIRTPLUG_REMOTE_STREAM_H */
