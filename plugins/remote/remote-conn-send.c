/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Copyright (C) 2026 The virtplug developers */
/*
 * remote-conn-send.c: what a remote connection writes to ssh
 * (remote-conn-priv.h): frames of threads that send at once share one
 * send(), and the callers answered by one read send their next calls
 * together (corking), so that a burst of calls costs ssh one packet each
 * way. It never reads the socket and never holds a frame past CORK_NS;
 * only callers waiting for their replies have frames held.
 */
#include <config.h>

#include <errno.h>
#include <pthread.h>
#include <string.h>
#include <sys/socket.h>

#include <virtplug/sdk/alloc.h>

#include "remote-conn-priv.h"

/* How long the frames of a batch wait for the callers of the batch that
 * did not send yet: a few times what a caller takes from its reply to its
 * next call, far below a round trip over ssh. */
#define CORK_NS (200 * 1000)

/* Under write_lock: send the frames that wait, until none does (the
 * frames added meanwhile by other threads included). false when a send
 * failed. */
static bool
flush_locked(remote_conn *c)
{
    bool failed = false;
    while (!c->writing && c->wlen > 0) {
        /* Take the waiting frames; the others append to a new buffer
         * meanwhile. */
        unsigned char *buf = VP_STEAL_PTR(c->wbuf);
        size_t n = c->wlen, off = 0;
        c->wlen = c->wcap = 0;
        c->writing = true;
        c->sends++;
        pthread_mutex_unlock(&c->write_lock);
        while (off < n) {
            ssize_t k = send(c->ssh.fd, buf + off, n - off, MSG_NOSIGNAL);
            if (k < 0 && errno == EINTR)
                continue;
            if (k < 0)
                break;
            off += (size_t)k;
        }
        failed |= off < n;
        pthread_mutex_lock(&c->write_lock);
        c->writing = false;
        if (!c->wbuf) {
            c->wbuf = buf;
            c->wcap = n;
        } else {
            free(buf);
        }
    }
    return !failed;
}

/* A failed send needs no error of its own: the reader sees the end of the
 * connection and names its cause, which the caller then reports. */
static void
flush_failed(remote_conn *c)
{
    shutdown(c->ssh.fd, SHUT_RDWR);
}

int64_t
remote_conn_flush_due(remote_conn *c)
{
    pthread_mutex_lock(&c->write_lock);
    /* While a batch is open its calls may still come (held): the reader
     * waits for input only until the batch's deadline, so a reader whose
     * own reply is slow never holds them up longer. */
    int64_t left = c->cork > 0 ? c->cork_until_ns - remote_now_ns() : 0;
    bool ok = true;
    if (left <= 0) {
        left = 0;
        c->cork = 0;
        ok = flush_locked(c);
    }
    pthread_mutex_unlock(&c->write_lock);
    if (!ok)
        flush_failed(c);
    return left;
}

/* The batch of replies the calling thread's last call came in: its next
 * frame is owed to it (see remote_conn_send_frame()). */
static __thread struct {
    const remote_conn *conn;
    uint64_t batch;
} owed;

uint64_t
remote_conn_cork(remote_conn *c, unsigned int callers)
{
    if (callers < 2)
        return 0;
    pthread_mutex_lock(&c->write_lock);
    uint64_t batch = ++c->cork_batch;
    c->cork = callers;
    c->cork_until_ns = remote_now_ns() + CORK_NS;
    pthread_mutex_unlock(&c->write_lock);
    return batch;
}

void
remote_conn_owe(const remote_conn *c, uint64_t batch)
{
    owed.conn = c;
    owed.batch = batch;
}

void
remote_conn_flush(remote_conn *c)
{
    pthread_mutex_lock(&c->write_lock);
    c->cork = 0;
    bool ok = flush_locked(c);
    pthread_mutex_unlock(&c->write_lock);
    if (!ok)
        flush_failed(c);
}

/*
 * Send @msg. Threads that send at once share one send(): the frame joins
 * those waiting, and the thread that is sending already sends it with
 * them (one write to ssh, often one ssh packet, for a burst of calls);
 * else this thread sends until nothing waits. The callers whose replies
 * came in one read (a batch) are about to send again together: their
 * frames wait for each other, so the last of them sends them all in one
 * send() (ssh then carries the batch in one packet, and the far helper
 * answers it with one write), or whoever reads sends them once CORK_NS
 * passed (a caller of the batch may never call again).
 */
int
remote_conn_send_frame(remote_conn *c, const remote_msg *msg)
{
    _cleanup_free_ unsigned char *frame = NULL;
    size_t len;
    int r = remote_msg_encode(msg, &frame, &len);
    if (r < 0)
        return r;
    pthread_mutex_lock(&c->write_lock);
    if (c->wcap - c->wlen < len) {
        c->wcap = c->wlen + len + 4096;
        c->wbuf = vp_renew(unsigned char, c->wbuf, c->wcap);
    }
    memcpy(c->wbuf + c->wlen, frame, len);
    c->wlen += len;
    c->frames_sent++;
    if (owed.conn == c && owed.batch == c->cork_batch && c->cork > 0)
        c->cork--;
    owed.conn = NULL;
    bool ok = true;
    /* Only a call waits: its caller then waits for its reply, and reads
     * (or another caller does), so someone sends it by its deadline. */
    if (msg->type != REMOTE_MSG_CALL || c->cork == 0 || remote_now_ns() >= c->cork_until_ns) {
        c->cork = 0;
        ok = flush_locked(c);
    }
    pthread_mutex_unlock(&c->write_lock);
    if (!ok)
        flush_failed(c);
    return 0;
}
