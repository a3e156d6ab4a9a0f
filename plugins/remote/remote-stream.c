/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Copyright (C) 2026 The virtplug developers */
/*
 * remote-stream.c: the bytes of a console as "stream" frames.
 *
 * Owns, per stream, one thread that reads the descriptor and sends what it
 * read as frames, and writes into the descriptor what the peer's frames
 * brought (queued by the reading thread of the connection, which must
 * never block on a descriptor). The end of either side ends the stream:
 * the descriptor's end (or an error) is told to the peer with "end", the
 * peer's "end" closes the descriptor once the queued bytes are written.
 */
#include <config.h>

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include <virtplug/virtplug.h>
#include <virtplug/sdk/alloc.h>
#include <virtplug/sdk/services.h>

#include "remote-stream.h"

#define READ_MAX 16384

typedef struct chunk {
    struct chunk *next;
    size_t len, off;
    unsigned char data[];
} chunk;

struct remote_stream {
    uint64_t id;
    int fd;
    int wake[2]; /* written to wake the thread */
    remote_stream_send_fn send;
    void *opaque;
    pthread_mutex_t lock; /* everything below */
    chunk *head, **tail;
    size_t queued;
    bool peer_end; /* the peer closed its side */
    bool overflow; /* more than REMOTE_STREAM_QUEUE_MAX waited */
    bool stop;     /* remote_stream_free */
    bool ended;    /* the thread is done, the descriptor closed */
    bool started;
    pthread_t thread;
};

remote_stream *
remote_stream_new(uint64_t id, int fd, remote_stream_send_fn send, void *opaque)
{
    remote_stream *s = vp_new0(remote_stream, 1);
    s->id = id;
    s->fd = fd;
    s->send = send;
    s->opaque = opaque;
    s->tail = &s->head;
    pthread_mutex_init(&s->lock, NULL);
    if (pipe2(s->wake, O_CLOEXEC | O_NONBLOCK) < 0)
        s->wake[0] = s->wake[1] = -1;
    int fl = fcntl(fd, F_GETFL);
    if (fl >= 0)
        fcntl(fd, F_SETFL, fl | O_NONBLOCK);
    return s;
}

uint64_t
remote_stream_id(const remote_stream *s)
{
    return s->id;
}

static void
wake(remote_stream *s)
{
    ssize_t n = write(s->wake[1], "w", 1);
    (void)n; /* a full pipe wakes the thread already */
}

/* Write what waits until the descriptor would block; false on an error. */
static bool
flush(remote_stream *s)
{
    pthread_mutex_lock(&s->lock);
    bool ok = true;
    while (s->head) {
        chunk *c = s->head;
        /* A socket (the caller's end locally) whose reader is gone must
         * not SIGPIPE the application: send(); other descriptors (the far
         * side's console) write(). */
        ssize_t n = send(s->fd, c->data + c->off, c->len - c->off, MSG_NOSIGNAL);
        if (n < 0 && errno == ENOTSOCK)
            n = write(s->fd, c->data + c->off, c->len - c->off);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0) {
            ok = errno == EAGAIN || errno == EWOULDBLOCK;
            break;
        }
        c->off += (size_t)n;
        s->queued -= (size_t)n;
        if (c->off < c->len)
            break;
        s->head = c->next;
        if (!s->head)
            s->tail = &s->head;
        free(c);
    }
    pthread_mutex_unlock(&s->lock);
    return ok;
}

static void *
stream_main(void *arg)
{
    remote_stream *s = arg;
    unsigned char buf[READ_MAX];
    bool tell_peer = true;
    for (;;) {
        pthread_mutex_lock(&s->lock);
        bool have = s->head != NULL, stop = s->stop, peer_end = s->peer_end;
        bool overflow = s->overflow;
        pthread_mutex_unlock(&s->lock);
        if (stop || (peer_end && !have)) {
            tell_peer = false;
            break;
        }
        if (overflow) {
            VP_PLUGIN_DEBUG("remote", "stream %llu: over %u bytes not read; ended",
                            (unsigned long long)s->id, REMOTE_STREAM_QUEUE_MAX);
            break;
        }
        struct pollfd p[2] = {{s->fd, (short)(POLLIN | (have ? POLLOUT : 0)), 0},
                              {s->wake[0], POLLIN, 0}};
        if (poll(p, 2, -1) < 0) {
            if (errno == EINTR)
                continue;
            break;
        }
        if (p[1].revents) {
            char drain[64];
            while (read(s->wake[0], drain, sizeof(drain)) > 0)
                ;
        }
        if ((p[0].revents & POLLOUT) && !flush(s))
            break;
        if (p[0].revents & (POLLIN | POLLHUP | POLLERR)) {
            ssize_t n = read(s->fd, buf, sizeof(buf));
            if (n < 0 && (errno == EINTR || errno == EAGAIN || errno == EWOULDBLOCK))
                continue;
            if (n <= 0)
                break;
            remote_msg m = {
                .type = REMOTE_MSG_STREAM, .id = s->id, .data = buf, .data_len = (size_t)n};
            if (s->send(s->opaque, &m) < 0) {
                tell_peer = false;
                break;
            }
        }
    }
    if (tell_peer) {
        remote_msg m = {.type = REMOTE_MSG_STREAM, .id = s->id, .data = buf, .end = true};
        s->send(s->opaque, &m);
    }
    pthread_mutex_lock(&s->lock);
    close(s->fd);
    s->fd = -1;
    s->ended = true;
    pthread_mutex_unlock(&s->lock);
    return NULL;
}

int
remote_stream_start(remote_stream *s)
{
    if (s->wake[0] < 0)
        return vp_plugin_error_set(VP_ERR_SYSTEM, "cannot make a pipe: %s", strerror(errno));
    int r = pthread_create(&s->thread, NULL, stream_main, s);
    if (r != 0)
        return vp_plugin_error_set_errno(VP_ERR_SYSTEM, r, "cannot start a console's thread");
    s->started = true;
    return 0;
}

void
remote_stream_push(remote_stream *s, const unsigned char *data, size_t len, bool end)
{
    pthread_mutex_lock(&s->lock);
    if (!s->ended && !s->overflow && len > 0) {
        if (s->queued + len > REMOTE_STREAM_QUEUE_MAX) {
            s->overflow = true;
        } else {
            chunk *c = malloc(sizeof(*c) + len);
            if (!c)
                abort();
            *c = (chunk){.len = len};
            memcpy(c->data, data, len);
            *s->tail = c;
            s->tail = &c->next;
            s->queued += len;
        }
    }
    if (end)
        s->peer_end = true;
    pthread_mutex_unlock(&s->lock);
    wake(s);
}

bool
remote_stream_ended(remote_stream *s)
{
    pthread_mutex_lock(&s->lock);
    bool ended = s->ended;
    pthread_mutex_unlock(&s->lock);
    return ended;
}

void
remote_stream_free(remote_stream *s)
{
    if (!s)
        return;
    pthread_mutex_lock(&s->lock);
    s->stop = true;
    pthread_mutex_unlock(&s->lock);
    if (s->started) {
        wake(s);
        pthread_join(s->thread, NULL);
    }
    if (s->fd >= 0)
        close(s->fd);
    for (chunk *c = s->head, *next; c; c = next) {
        next = c->next;
        free(c);
    }
    if (s->wake[0] >= 0) {
        close(s->wake[0]);
        close(s->wake[1]);
    }
    pthread_mutex_destroy(&s->lock);
    free(s);
}

void
remote_stream_list_add(remote_stream_list *l, remote_stream *s)
{
    l->v = vp_renew(remote_stream *, l->v, l->n + 1);
    l->v[l->n++] = s;
}

remote_stream *
remote_stream_list_find(remote_stream_list *l, uint64_t id)
{
    for (size_t i = 0; i < l->n; i++)
        if (l->v[i]->id == id)
            return l->v[i];
    return NULL;
}

void
remote_stream_list_remove(remote_stream_list *l, remote_stream *s)
{
    for (size_t i = 0; i < l->n; i++)
        if (l->v[i] == s) {
            l->v[i] = l->v[--l->n];
            return;
        }
}

void
remote_stream_list_reap(remote_stream_list *l, remote_stream_list *done)
{
    for (size_t i = 0; i < l->n;) {
        if (remote_stream_ended(l->v[i])) {
            remote_stream_list_add(done, l->v[i]);
            l->v[i] = l->v[--l->n];
        } else {
            i++;
        }
    }
}

void
remote_stream_list_free(remote_stream_list *l)
{
    for (size_t i = 0; i < l->n; i++)
        remote_stream_free(l->v[i]);
    free(l->v);
    l->v = NULL;
    l->n = 0;
}
