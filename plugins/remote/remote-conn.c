/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Copyright (C) 2026 The virtplug developers */
/*
 * remote-conn.c: the calls of a remote connection over one ssh process.
 *
 * Owns the handshake, the pending calls (each waits for the reply that
 * carries its id), who reads the socket, the keepalive (a waiting caller
 * pings, and the connection's thread while events are watched or a console
 * is open; silence for "timeout" drops the connection and ends its
 * consoles and its events), and turning ssh's
 * exit into one error that names the host and the cause.
 *
 * Reading is leader/follower: a caller waiting for its reply reads the
 * socket itself when nobody else does, hands every frame it finds to its
 * owner, and when its own reply came, passes the reading on to another
 * waiting caller, so a reply wakes no thread but its own caller. The
 * connection's thread reads ssh's stderr at all times, and the socket only
 * when no call is waiting (events, the end of ssh) after the calls paused
 * for IDLE_MS, at once when events are watched or a console is open; a
 * caller takes the socket back through the wake pipe. Only the connection's thread reaps ssh;
 * callers that give up shut the socket down, which ends ssh, so no
 * process is signalled after it was reaped.
 */
#include <config.h>

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <virtplug/sdk/alloc.h>
#include <virtplug/sdk/plugin.h>
#include <virtplug/sdk/services.h>

#include "remote-conn-priv.h"

/* The connection's thread reads the socket again once no call was made
 * for this long (at once when events are watched). */
#define IDLE_MS 100

/* Every wait measures time as CLOCK_MONOTONIC does (now_ms()). */
static pthread_once_t monotonic_once = PTHREAD_ONCE_INIT;
static pthread_condattr_t monotonic_attr;

static void
monotonic_init(void)
{
    pthread_condattr_init(&monotonic_attr);
    pthread_condattr_setclock(&monotonic_attr, CLOCK_MONOTONIC);
}

static int64_t
now_ms(void)
{
    return remote_now_ns() / 1000000;
}

/* Under c->lock: the first cause wins; wake every waiter. */
static void
set_dead_locked(remote_conn *c, int code, char *owned_message)
{
    if (c->dead_code < 0) {
        free(owned_message);
        return;
    }
    c->dead_code = code;
    c->dead_message = owned_message;
    for (pending *p = c->pending; p; p = p->next)
        pthread_cond_signal(&p->cond);
    /* The consoles end too: their callers see the end of their sockets,
     * and their next call gets this error. */
    for (size_t i = 0; i < c->streams.n; i++)
        remote_stream_push(c->streams.v[i], NULL, 0, true);
    /* So do the events: the application's event fd turns readable and
     * its dispatch reports this error (remote-events.c). */
    if (c->on_event)
        c->on_event(c->on_event_opaque, NULL);
}

/* Under c->lock: the far side was quiet for the whole timeout. ssh is
 * killed rather than waited for: a far side that does not answer may not
 * close its end either. */
static void
set_timed_out_locked(remote_conn *c)
{
    set_dead_locked(c, VP_ERR_TIMEOUT,
                    vp_asprintf("host '%s' did not answer within %lld s; the connection is closed",
                                c->target->host, (long long)(c->target->timeout_ms / 1000)));
    c->timed_out = true;
    shutdown(c->ssh.fd, SHUT_RDWR);
}

static void
set_dead(remote_conn *c, int code, char *owned_message)
{
    pthread_mutex_lock(&c->lock);
    set_dead_locked(c, code, owned_message);
    pthread_mutex_unlock(&c->lock);
}

/* Make the connection's thread look at the state again. */
static void
wake_thread(remote_conn *c)
{
    ssize_t n = write(c->wake[1], "x", 1);
    (void)n; /* a full pipe wakes it as well */
}

/* Under c->lock: hand @msg to the caller waiting for its id (what it
 * owns moves there); a reply nobody waits for any more (its caller timed
 * out) is dropped. */
static void
deliver_locked(remote_conn *c, remote_msg *msg)
{
    if (msg->type == REMOTE_MSG_REPLY || msg->type == REMOTE_MSG_ERROR ||
        msg->type == REMOTE_MSG_HELLO) {
        uint64_t id = msg->type == REMOTE_MSG_HELLO ? 0 : msg->id;
        for (pending *p = c->pending; p; p = p->next) {
            if (p->id == id && !p->done) {
                p->reply = *msg;
                memset(msg, 0, sizeof(*msg));
                p->done = true;
                pthread_cond_signal(&p->cond);
                break;
            }
        }
    } else if (msg->type == REMOTE_MSG_EVENT && c->on_event) {
        c->on_event(c->on_event_opaque, msg);
    } else if (msg->type == REMOTE_MSG_STREAM) {
        /* A stream that ended here may still get bytes: dropped. */
        remote_stream *s = remote_stream_list_find(&c->streams, msg->id);
        if (s)
            remote_stream_push(s, msg->data, msg->data_len, msg->end);
    }
}

void
remote_conn_set_event_handler(remote_conn *c, remote_event_fn fn, void *opaque)
{
    pthread_mutex_lock(&c->lock);
    c->on_event = fn;
    c->on_event_opaque = opaque;
    pthread_mutex_unlock(&c->lock);
    /* Events come between calls too: the thread reads from now on. */
    if (fn)
        wake_thread(c);
}

void *
remote_conn_event_opaque(remote_conn *c)
{
    pthread_mutex_lock(&c->lock);
    void *opaque = c->on_event_opaque;
    pthread_mutex_unlock(&c->lock);
    return opaque;
}

/* Under c->lock: the caller waiting for the reply or error @msg, or NULL. */
static pending *
waiter_locked(remote_conn *c, const remote_msg *msg)
{
    if (msg->type != REMOTE_MSG_REPLY && msg->type != REMOTE_MSG_ERROR)
        return NULL;
    for (pending *p = c->pending; p; p = p->next)
        if (p->id == msg->id && !p->done)
            return p;
    return NULL;
}

/* Under c->lock, before the replies of one read are handed out: the
 * batch of the callers they answer (remote_conn_cork()). */
static uint64_t
cork_batch_locked(remote_conn *c, const remote_msg *msgs, size_t n)
{
    unsigned int callers = 0;
    for (size_t i = 0; i < n; i++)
        callers += waiter_locked(c, &msgs[i]) != NULL;
    return remote_conn_cork(c, callers);
}

/* Decode every whole frame read so far, and deliver them under one
 * taking of c->lock (so the callers they answer are known together);
 * false on a protocol error (the connection is then dead). */
static bool
drain_frames(remote_conn *c)
{
    size_t off = 0, n = 0, cap = 0;
    remote_msg *msgs = NULL;
    int r;
    for (;;) {
        if (n == cap) {
            cap = cap * 2 + 16;
            msgs = vp_renew(remote_msg, msgs, cap);
        }
        memset(&msgs[n], 0, sizeof(msgs[n]));
        r = remote_decoder_next(c->dec, c->rbuf + off, c->rlen - off, REMOTE_FRAME_MAX,
                                c->target->host, &msgs[n]);
        if (r <= 0)
            break;
        off += (size_t)r;
        n++;
    }
    c->frames_read += n;
    pthread_mutex_lock(&c->lock);
    if (n > 0) {
        c->last_rx_ms = now_ms();
        uint64_t batch = cork_batch_locked(c, msgs, n);
        for (size_t i = 0; i < n; i++) {
            pending *p = waiter_locked(c, &msgs[i]);
            if (p)
                p->batch = batch;
            deliver_locked(c, &msgs[i]);
        }
    }
    pthread_mutex_unlock(&c->lock);
    for (size_t i = 0; i < n; i++)
        remote_msg_clear(&msgs[i]);
    free(msgs);
    if (r < 0) {
        const vp_error *e = vp_error_last();
        set_dead(c, r, vp_strdup(e ? e->message : "remote protocol error"));
        return false;
    }
    if (off > 0)
        memmove(c->rbuf, c->rbuf + off, c->rlen - off);
    c->rlen -= off;
    return true;
}

/* By the holder of the reader role: one read of the socket (waiting at
 * most the socket's receive timeout), and every frame it completes handed
 * out. The end of the socket or a broken frame is left to the connection's
 * thread, which reaps ssh and names the cause. */
static void
read_socket(remote_conn *c)
{
    /* Calls held for a batch leave by its deadline: wait for input only
     * until then. */
    int64_t held_ns = remote_conn_flush_due(c);
    if (held_ns > 0) {
        struct pollfd pfd = {c->ssh.fd, POLLIN, 0};
        struct timespec ts = {0, (long)held_ns};
        if (ppoll(&pfd, 1, &ts, NULL) == 0) {
            remote_conn_flush_due(c);
            return;
        }
    }
    if (c->rcap - c->rlen < 65536) {
        c->rcap = c->rcap * 2 + 65536;
        c->rbuf = vp_renew(unsigned char, c->rbuf, c->rcap);
    }
    ssize_t n = recv(c->ssh.fd, c->rbuf + c->rlen, c->rcap - c->rlen, 0);
    if (n < 0 && (errno == EINTR || errno == EAGAIN || errno == EWOULDBLOCK))
        return;
    c->reads += n > 0;
    bool ok = n > 0;
    if (ok) {
        c->rlen += (size_t)n;
        ok = drain_frames(c);
    }
    if (ok)
        return;
    pthread_mutex_lock(&c->lock);
    if (n > 0)
        c->protocol_error = true;
    else
        c->eof = true;
    pthread_mutex_unlock(&c->lock);
    wake_thread(c);
}

/* Under c->lock, once the reader role is free: give it to a caller still
 * waiting (not @self), else to the connection's thread when it must read
 * at once. */
static void
pass_reading_locked(remote_conn *c, const pending *self)
{
    if (c->reader != READER_NONE || c->eof || c->protocol_error)
        return;
    for (pending *p = c->pending; p; p = p->next)
        if (p != self && !p->done) {
            pthread_cond_signal(&p->cond);
            return;
        }
    if (c->on_event || c->close_at_ms)
        wake_thread(c);
}

/* After ssh's output ended: collect the rest of its stderr (briefly) and
 * its exit status, and say why the connection ended. */
static void
finish(remote_conn *c, bool kill_ssh)
{
    if (kill_ssh) {
        shutdown(c->ssh.fd, SHUT_RDWR);
        remote_ssh_kill(&c->ssh);
    }
    int64_t until = now_ms() + 1000;
    while (c->ssh.err_fd >= 0 && now_ms() < until) {
        struct pollfd pfd = {c->ssh.err_fd, POLLIN, 0};
        if (poll(&pfd, 1, 100) > 0)
            remote_ssh_read_stderr(&c->ssh);
    }
    int status = remote_ssh_reap(&c->ssh, 2000);
    int code = VP_ERR_INTERNAL;
    pthread_mutex_lock(&c->lock);
    char *msg = c->closing
                    ? vp_strdup("the remote connection is closed")
                    : remote_ssh_exit_message(&c->ssh, c->target->host, c->ready, status, &code);
    set_dead_locked(c, code, msg);
    pthread_mutex_unlock(&c->lock);
}

static int keepalive_locked(remote_conn *c, int64_t since_ms, int64_t now, int64_t *ret_next_ms);

/* The connection's thread: ssh's stderr always; the socket while no call
 * waits (see the top of the file); at the end, reaping ssh. */
static void *
thread_main(void *arg)
{
    remote_conn *c = arg;
    pthread_mutex_lock(&c->lock);
    for (;;) {
        int64_t now = now_ms(), idle = now - c->last_call_ms;
        if (c->eof || c->protocol_error || (c->close_at_ms && now - c->close_at_ms > 2000))
            break;
        bool take = c->reader == READER_NONE && !c->pending &&
                    (c->on_event || c->streams.n || c->close_at_ms || idle >= IDLE_MS);
        int timeout_ms = !take && !c->pending && idle < IDLE_MS ? (int)(IDLE_MS - idle) : 500;
        if (take && (c->streams.n || c->on_event) && c->ready && c->dead_code == 0 &&
            !c->close_at_ms) {
            /* Events watched or a console open on an otherwise idle
             * connection: the calls do not ping, so this thread does, and
             * a far host that stopped answering ends them in time. */
            int64_t next_ms = 0;
            int k = keepalive_locked(c, c->last_call_ms, now, &next_ms);
            if (k < 0) {
                set_timed_out_locked(c);
                continue;
            }
            if (k > 0)
                continue;
            if (next_ms - now < timeout_ms)
                timeout_ms = next_ms - now > 0 ? (int)(next_ms - now) : 1;
        }
        if (take)
            c->reader = READER_THREAD;
        pthread_mutex_unlock(&c->lock);
        struct pollfd pfd[3] = {
            {c->wake[0], POLLIN, 0}, {c->ssh.err_fd, POLLIN, 0}, {c->ssh.fd, POLLIN, 0}};
        int r = poll(pfd, take ? 3 : 2, timeout_ms);
        if (r > 0 && (pfd[0].revents & POLLIN)) {
            char drop[64];
            ssize_t n = read(c->wake[0], drop, sizeof(drop));
            (void)n;
        }
        if (r > 0 && c->ssh.err_fd >= 0 && (pfd[1].revents & (POLLIN | POLLHUP | POLLERR)))
            remote_ssh_read_stderr(&c->ssh);
        if (r > 0 && take && (pfd[2].revents & (POLLIN | POLLHUP | POLLERR)))
            read_socket(c);
        pthread_mutex_lock(&c->lock);
        if (take) {
            c->reader = READER_NONE;
            c->thread_yield = false;
            pass_reading_locked(c, NULL);
        }
    }
    bool kill_ssh = c->protocol_error || c->timed_out;
    pthread_mutex_unlock(&c->lock);
    finish(c, kill_ssh);
    return NULL;
}

static void
add_ms(struct timespec *ts, int64_t deadline_ms)
{
    ts->tv_sec = deadline_ms / 1000;
    ts->tv_nsec = (deadline_ms % 1000) * 1000000;
}

/*
 * Under c->lock: the keepalive's verdict for a wait that began at
 * @since_ms: < 0 when the far side was quiet for the whole timeout, 1 when
 * a ping was due and sent (c->lock dropped meanwhile: look again), else 0
 * with *@ret_next_ms set to when to look again. Quiet means: nothing arrived since the later of the
 * last frame and @since_ms (a connection left idle for longer than the
 * timeout has not failed its next call); a ping goes out after a third of
 * the timeout, once per quiet spell, and only after the handshake.
 */
static int
keepalive_locked(remote_conn *c, int64_t since_ms, int64_t now, int64_t *ret_next_ms)
{
    int64_t timeout = c->target->timeout_ms, third = timeout / 3 > 0 ? timeout / 3 : 1;
    int64_t rx = c->last_rx_ms > since_ms ? c->last_rx_ms : since_ms, quiet = now - rx;
    if (quiet >= timeout)
        return -1;
    if (c->ready && quiet >= third && c->last_ping_ms <= c->last_rx_ms) {
        c->last_ping_ms = now;
        remote_msg ping = {.type = REMOTE_MSG_PING, .id = ++c->next_id};
        pthread_mutex_unlock(&c->lock);
        remote_conn_send_frame(c, &ping);
        pthread_mutex_lock(&c->lock);
        return 1;
    }
    *ret_next_ms = rx + (quiet >= third ? timeout : third);
    return 0;
}

/* Under c->lock: wait until @p is answered or the connection is dead,
 * reading the socket while nobody else does, and keeping the connection
 * alive (keepalive_locked()). */
static void
wait_locked(remote_conn *c, pending *p)
{
    while (!p->done && c->dead_code == 0) {
        int64_t now = now_ms(), next = now + 1000;
        /* A person may be typing a password or passphrase for ssh: no
         * limit until the handshake ends (ssh's ConnectTimeout still
         * bounds the connection itself). */
        int k = !c->ready && c->interactive ? 0 : keepalive_locked(c, p->sent_ms, now, &next);
        if (k < 0) {
            set_timed_out_locked(c);
            break;
        }
        if (k > 0)
            continue;
        if (c->reader == READER_NONE && !c->eof && !c->protocol_error) {
            /* The socket's receive timeout bounds this read, so the
             * checks above run again in time. */
            c->reader = READER_CALLER;
            pthread_mutex_unlock(&c->lock);
            read_socket(c);
            pthread_mutex_lock(&c->lock);
            c->reader = READER_NONE;
            continue;
        }
        if (c->reader == READER_THREAD && !c->thread_yield) {
            c->thread_yield = true;
            wake_thread(c);
        }
        struct timespec ts;
        add_ms(&ts, next > now ? next : now + 1);
        pthread_cond_timedwait(&p->cond, &c->lock, &ts);
    }
    c->last_call_ms = now_ms();
    pass_reading_locked(c, p);
}

static void
unlink_pending(remote_conn *c, pending *p)
{
    for (pending **pp = &c->pending; *pp; pp = &(*pp)->next)
        if (*pp == p) {
            *pp = p->next;
            break;
        }
}

/* Send @msg as call @id (0 for the hello) and wait for its answer. */
static int
exchange(remote_conn *c, remote_msg *msg, bool hello, remote_msg *ret_reply)
{
    pending p = {0};
    pthread_once(&monotonic_once, monotonic_init);
    pthread_cond_init(&p.cond, &monotonic_attr);
    pthread_mutex_lock(&c->lock);
    if (c->dead_code < 0) {
        int r = vp_plugin_error_set(c->dead_code, "%s", c->dead_message);
        pthread_mutex_unlock(&c->lock);
        pthread_cond_destroy(&p.cond);
        return r;
    }
    p.id = hello ? 0 : msg->id ? msg->id : ++c->next_id; /* a stream's id is reserved */
    p.sent_ms = now_ms();
    p.next = c->pending;
    c->pending = &p;
    pthread_mutex_unlock(&c->lock);
    msg->id = p.id;
    int r = remote_conn_send_frame(c, msg);
    pthread_mutex_lock(&c->lock);
    if (r >= 0)
        wait_locked(c, &p);
    unlink_pending(c, &p);
    if (p.done && p.batch)
        remote_conn_owe(c, p.batch);
    if (r >= 0 && !p.done)
        r = vp_plugin_error_set(c->dead_code, "%s", c->dead_message);
    pthread_mutex_unlock(&c->lock);
    pthread_cond_destroy(&p.cond);
    if (r < 0) {
        remote_msg_clear(&p.reply);
        return r;
    }
    if (p.reply.type == REMOTE_MSG_ERROR) {
        r = vp_plugin_error_set(p.reply.code, "on host '%s': %s", c->target->host, p.reply.message);
        remote_msg_clear(&p.reply);
        return r;
    }
    *ret_reply = p.reply;
    return 0;
}

int
remote_conn_dead_error(remote_conn *c)
{
    pthread_mutex_lock(&c->lock);
    int r = c->dead_code < 0 ? vp_plugin_error_set(c->dead_code, "%s", c->dead_message) : 0;
    pthread_mutex_unlock(&c->lock);
    return r;
}

int
remote_conn_call(remote_conn *c, remote_msg *call, remote_msg *ret_reply)
{
    call->type = REMOTE_MSG_CALL;
    const remote_op_info *info = remote_op_get(call->op);
    if (info && info->proto > c->far_proto)
        return vp_plugin_error_set(
            VP_ERR_NOT_SUPPORTED,
            "'%s' is not supported by the far helper on host '%s': it speaks remote protocol %d (virtplug %s), the call needs %d; install virtplug %s or later there",
            info->name, c->target->host, c->far_proto, c->far_version, info->proto,
            PACKAGE_VERSION);
    remote_msg reply = {0};
    int r = exchange(c, call, false, &reply);
    if (r >= 0 && reply.type != REMOTE_MSG_REPLY)
        r = vp_plugin_error_set(
            VP_ERR_PROTOCOL,
            "host '%s' broke the remote protocol: a message of another type answered a call",
            c->target->host);
    if (r >= 0)
        r = remote_msg_check_reply(&reply, call->op, c->target->host);
    if (r < 0) {
        remote_msg_clear(&reply);
        return r;
    }
    *ret_reply = reply;
    return 0;
}

static int
handshake(remote_conn *c)
{
    remote_msg hello = {.type = REMOTE_MSG_HELLO,
                        .proto = REMOTE_PROTO_VERSION,
                        .version = (char *)PACKAGE_VERSION,
                        .abi_major = VP_PLUGIN_ABI_MAJOR,
                        .abi_minor = VP_PLUGIN_ABI_MINOR};
    remote_msg reply = {0};
    int r = exchange(c, &hello, true, &reply);
    if (r < 0)
        return r;
    /* A newer helper answers with our version (it speaks every older
     * one); an older one with its own, and the calls it lacks are refused
     * here (remote_conn_call). */
    if (reply.type != REMOTE_MSG_HELLO || reply.proto < 1 || reply.proto > REMOTE_PROTO_VERSION ||
        !reply.driver) {
        r = vp_plugin_error_set(
            VP_ERR_PROTOCOL,
            "host '%s' speaks remote protocol %lld (virtplug %s), this side %d (virtplug %s): install the same virtplug version on both hosts",
            c->target->host, (long long)reply.proto, reply.version ? reply.version : "unknown",
            REMOTE_PROTO_VERSION, PACKAGE_VERSION);
        remote_msg_clear(&reply);
        return r;
    }
    pthread_mutex_lock(&c->lock);
    c->driver = VP_STEAL_PTR(reply.driver);
    c->far_version = VP_STEAL_PTR(reply.version);
    c->far_proto = (int)reply.proto;
    c->ready = true;
    pthread_mutex_unlock(&c->lock);
    remote_msg_clear(&reply);
    return 0;
}

static void
conn_free(remote_conn *c)
{
    pthread_mutex_destroy(&c->lock);
    pthread_mutex_destroy(&c->write_lock);
    remote_target_free(c->target);
    free(c->dead_message);
    free(c->driver);
    free(c->far_version);
    free(c->rbuf);
    free(c->wbuf);
    remote_decoder_free(c->dec);
    free(c);
}

int
remote_conn_open(const vp_plugin_uri *uri, remote_conn **ret_conn)
{
    remote_target *t = NULL;
    bool interactive = remote_ssh_have_terminal();
    int r = remote_target_new(uri, !interactive, &t);
    if (r < 0)
        return r;
    remote_conn *c = vp_new0(remote_conn, 1);
    c->target = t;
    c->interactive = interactive;
    c->dec = remote_decoder_new();
    pthread_mutex_init(&c->lock, NULL);
    pthread_mutex_init(&c->write_lock, NULL);
    VP_PLUGIN_DEBUG("remote", "running '%s' for '%s'", t->argv[0], t->command);
    r = remote_ssh_spawn(t->argv, t->timeout_ms, &c->ssh);
    if (r < 0) {
        conn_free(c);
        return r;
    }
    c->last_rx_ms = c->last_call_ms = now_ms();
    /* A caller reading the socket wakes this often to ping or give up in
     * time. */
    int64_t rcv_ms = t->timeout_ms / 6 < 10    ? 10
                     : t->timeout_ms / 6 > 250 ? 250
                                               : t->timeout_ms / 6;
    struct timeval tv = {0, (suseconds_t)rcv_ms * 1000};
    setsockopt(c->ssh.fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
    r = pipe2(c->wake, O_CLOEXEC | O_NONBLOCK) < 0 ? errno : 0;
    if (r == 0) {
        r = pthread_create(&c->thread, NULL, thread_main, c);
        if (r != 0) {
            close(c->wake[0]);
            close(c->wake[1]);
        }
    }
    if (r != 0) {
        shutdown(c->ssh.fd, SHUT_RDWR);
        remote_ssh_reap(&c->ssh, 0);
        close(c->ssh.fd);
        close(c->ssh.err_fd);
        conn_free(c);
        return vp_plugin_error_set_errno(VP_ERR_SYSTEM, r, "cannot start a thread");
    }
    r = handshake(c);
    if (r < 0) {
        remote_conn_close(c);
        return r;
    }
    *ret_conn = c;
    return 0;
}

void
remote_conn_close(remote_conn *c)
{
    if (!c)
        return;
    pthread_mutex_lock(&c->lock);
    c->closing = c->dead_code == 0;
    c->close_at_ms = now_ms();
    remote_stream_list streams = c->streams;
    c->streams = (remote_stream_list){0};
    pthread_mutex_unlock(&c->lock);
    /* The consoles end here (the caller's sockets see their end). */
    remote_stream_list_free(&streams);
    /* Frames held for a batch (a console's end) leave first. */
    remote_conn_flush(c);
    /* The helper sees the end of its input, closes and exits; ssh follows.
     * The connection's thread reaps ssh (SIGTERM after a grace period if it lingers). */
    shutdown(c->ssh.fd, SHUT_WR);
    wake_thread(c);
    pthread_join(c->thread, NULL);
    VP_PLUGIN_DEBUG(
        "remote", "host '%s': %llu frames sent in %llu writes, %llu frames received in %llu reads",
        c->target->host, (unsigned long long)c->frames_sent, (unsigned long long)c->sends,
        (unsigned long long)c->frames_read, (unsigned long long)c->reads);
    close(c->wake[0]);
    close(c->wake[1]);
    close(c->ssh.fd);
    if (c->ssh.err_fd >= 0)
        close(c->ssh.err_fd);
    conn_free(c);
}

const char *
remote_conn_driver(const remote_conn *c)
{
    return c->driver;
}

int
remote_conn_proto(const remote_conn *c)
{
    return c->far_proto;
}

const char *
remote_conn_host(const remote_conn *c)
{
    return c->target->host;
}
