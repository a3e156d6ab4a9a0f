/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Copyright (C) 2026 The virtplug developers */
/*
 * ssh-helper.c: virtplug-ssh-helper, the far end of a DRIVER+ssh:// URI.
 *
 * Started by ssh on the far host as "virtplug-ssh-helper URI", it opens URI
 * with this host's library and plugins (with this host's plugin checks)
 * and answers the calls of docs/remote-protocol.md on stdin/stdout, in a
 * pool of worker threads (so calls run at once and pings are answered
 * while they do), until its input ends (and a node suspend it started is
 * over: the far host's policy runs in this process). It owns nothing else: every answer
 * is the public API's, and nothing but frames is ever written to stdout.
 */
#include <config.h>

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

#include <virtplug/virtplug.h>
#include <virtplug/sdk/alloc.h>
#include <virtplug/sdk/plugin.h>
#include <virtplug/sdk/services.h>

#include "helper-ops.h"
#include "remote-proto.h"
#include "remote-stream.h"

static pthread_mutex_t write_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_mutex_t busy_lock = PTHREAD_MUTEX_INITIALIZER;
/* a call is queued, the reading is free, or the input ended */
static pthread_cond_t busy_cond = PTHREAD_COND_INITIALIZER;
static pthread_cond_t done_cond = PTHREAD_COND_INITIALIZER; /* busy reached 0 */
static unsigned int busy;
static vp_conn *conn;
/* The protocol the client speaks (at most ours): calls added later are
 * refused as unknown. */
static int client_proto = REMOTE_PROTO_VERSION;
/* A node suspend runs in a thread of this process: the process stays
 * until it is over, even after its client is gone. */
static atomic_bool suspend_requested;

/* Under write_lock: the frames written and not sent yet; held while
 * out_held (output_hold()). */
static unsigned char *out_buf;
static size_t out_len, out_cap;
static bool out_held;

static void flush_locked(void);

static void
write_msg(const remote_msg *msg)
{
    unsigned char *frame = NULL;
    size_t len = 0;
    if (remote_msg_encode(msg, &frame, &len) < 0) {
        const vp_error *e = vp_error_last();
        remote_msg err = {.type = REMOTE_MSG_ERROR,
                          .id = msg->id,
                          .code = VP_ERR_INTERNAL,
                          .message = (char *)(e ? e->message : "cannot encode the reply")};
        if (remote_msg_encode(&err, &frame, &len) < 0)
            return;
    }
    pthread_mutex_lock(&write_lock);
    if (out_cap - out_len < len) {
        out_cap = out_len + len + 4096;
        out_buf = vp_renew(unsigned char, out_buf, out_cap);
    }
    memcpy(out_buf + out_len, frame, len);
    out_len += len;
    if (!out_held)
        flush_locked();
    pthread_mutex_unlock(&write_lock);
    free(frame);
}

/* Under write_lock: write what waits. */
static void
flush_locked(void)
{
    for (size_t off = 0; off < out_len;) {
        ssize_t n = write(STDOUT_FILENO, out_buf + off, out_len - off);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            break;
        off += (size_t)n;
    }
    out_len = 0;
}

/* By the leader: hold the frames written from now on while more frames
 * of the input wait to be decoded (@hold), so that the answers to a burst
 * of calls leave in one write, one ssh packet; or stop holding them and
 * (@flush) write what waits, before the leader waits for input. */
static void
output_hold(bool hold, bool flush)
{
    pthread_mutex_lock(&write_lock);
    out_held = hold;
    if (flush)
        flush_locked();
    pthread_mutex_unlock(&write_lock);
}

static void
write_error(uint64_t id, int code)
{
    const vp_error *e = vp_error_last();
    remote_msg err = {.type = REMOTE_MSG_ERROR,
                      .id = id,
                      .code = code < 0 ? code : VP_ERR_INTERNAL,
                      .message = (char *)(e && e->message ? e->message : "unknown error")};
    write_msg(&err);
}

/* ---- Events: a thread waits on the far connection's event descriptor
 * and dispatches; the callback sends each event as a frame. ---- */

static pthread_mutex_t event_lock = PTHREAD_MUTEX_INITIALIZER;
static int event_reg;        /* the registration, 0: none */
static bool event_thread_on; /* event_thread runs */
static pthread_t event_thread;
static int event_stop[2] = {-1, -1}; /* written to end event_thread */

static void
send_event(vp_conn *c, const vp_domain_event *ev, void *opaque)
{
    remote_msg m = {.type = REMOTE_MSG_EVENT,
                    .dom = (char *)ev->domain,
                    .uuid = (char *)ev->uuid,
                    .a = ev->event,
                    .b = ev->detail,
                    .src_path = (char *)ev->src_path,
                    .dev_alias = (char *)ev->dev_alias,
                    .reason = (char *)ev->reason};
    write_msg(&m);
}

static void *
event_main(void *arg)
{
    int fd = vp_conn_event_fd(conn);
    for (;;) {
        struct pollfd p[2] = {{fd, POLLIN, 0}, {event_stop[0], POLLIN, 0}};
        if (poll(p, 2, -1) < 0 && errno != EINTR)
            break;
        if (p[1].revents)
            break;
        if (p[0].revents)
            vp_conn_event_dispatch(conn);
    }
    return NULL;
}

static int
events_open(void)
{
    pthread_mutex_lock(&event_lock);
    int r = 0;
    if (!event_reg)
        r = vp_conn_event_register(conn, 0, send_event, NULL, NULL, &event_reg);
    if (r >= 0 && !event_thread_on) {
        r = vp_conn_event_fd(conn);
        if (r >= 0 && pipe2(event_stop, O_CLOEXEC) < 0)
            r = vp_plugin_error_set(VP_ERR_SYSTEM, "cannot make a pipe: %s", strerror(errno));
        if (r >= 0 && pthread_create(&event_thread, NULL, event_main, NULL) != 0)
            r = vp_plugin_error_set(VP_ERR_SYSTEM, "cannot start the event thread");
        event_thread_on = r >= 0;
    }
    pthread_mutex_unlock(&event_lock);
    return r < 0 ? r : 0;
}

static int
events_close(void)
{
    pthread_mutex_lock(&event_lock);
    int r = event_reg ? vp_conn_event_deregister(conn, event_reg) : 0;
    event_reg = 0;
    pthread_mutex_unlock(&event_lock);
    return r;
}

/* Before the far connection closes. */
static void
events_stop(void)
{
    events_close();
    if (event_thread_on) {
        ssize_t n = write(event_stop[1], "x", 1);
        (void)n;
        pthread_join(event_thread, NULL);
        event_thread_on = false;
    }
    if (event_stop[0] >= 0) {
        close(event_stop[0]);
        close(event_stop[1]);
    }
}

static int
node_suspend_guests(const remote_msg *c, remote_msg *reply)
{
    vp_node_suspend_guest **guests = NULL;
    int r = vp_node_get_suspend_guests(conn, (unsigned int)c->flags, &guests);
    if (r >= 0)
        reply->str = remote_guests_format(guests);
    vp_node_suspend_guests_free(guests);
    return r;
}

static int
node_suspend_result(remote_msg *reply)
{
    vp_node_suspend_result rec = {.size = sizeof(rec)};
    int r = vp_node_get_suspend_result(conn, &rec);
    if (r >= 0)
        reply->str = remote_record_format(REMOTE_REC_SUSPEND_RESULT, &rec);
    return r;
}

/* Protocol 3: a call through a handle names the UUID the handle was made
 * for; the core's own check, done here in the same round trip. */
static int
check_handle(const remote_msg *c, vp_domain *dom)
{
    char now[VP_UUID_STRING_BUFLEN];
    if (!c->handle)
        return 0;
    int r = vp_domain_get_uuid_string(dom, now);
    if (r < 0 || strcasecmp(now, c->handle) == 0)
        return r;
    return vp_plugin_error_stale_handle(c->dom, c->handle, now);
}

static int
dispatch(const remote_msg *c, remote_msg *reply)
{
    vp_domain **doms = NULL, *dom = NULL;
    unsigned int targets = 0;
    int r, n;
    const remote_op_info *info = remote_op_get(c->op);
    if (!info || info->proto > client_proto)
        return vp_plugin_error_set(
            VP_ERR_NOT_SUPPORTED,
            "'%s' is not supported by the far helper: virtplug-ssh-helper %s (remote protocol %d) does not know it",
            info ? info->name : c->unknown_op, PACKAGE_VERSION, client_proto);
    switch (c->op) {
    case REMOTE_OP_DOMAIN_LOOKUP_BY_UUID:
        r = vp_domain_lookup_by_uuid_string(conn, c->uuid, &dom);
        return helper_lookup_name(r, dom, reply);
    case REMOTE_OP_DOMAIN_LOOKUP_BY_ID:
        if (c->a < 0 || c->a > INT32_MAX)
            return vp_plugin_error_set(VP_ERR_INVALID_ARG, "invalid domain id %lld",
                                       (long long)c->a);
        r = vp_domain_lookup_by_id(conn, (int)c->a, &dom);
        return helper_lookup_name(r, dom, reply);
    case REMOTE_OP_NODE_GET_INFO:
        return helper_node_info(conn, reply);
    case REMOTE_OP_CONN_GET_HOSTNAME:
        return vp_conn_get_hostname(conn, &reply->str);
    case REMOTE_OP_NUM_OF_DOMAINS:
        r = vp_conn_num_of_domains(conn);
        reply->ret = r;
        return r;
    case REMOTE_OP_LIST_DOMAINS:
        n = vp_conn_list_domains(conn, (unsigned int)c->flags, &doms);
        if (n >= 0) {
            reply->names = helper_domain_names(doms, n);
            vp_domain_list_free(doms);
        }
        return n;
    case REMOTE_OP_DOMAIN_DEFINE_XML:
        r = vp_domain_define_xml(conn, c->xml, (unsigned int)c->flags, &dom);
        return helper_lookup_name(r, dom, reply);
    case REMOTE_OP_DOMAIN_CREATE_XML:
        r = vp_domain_create_xml(conn, c->xml, (unsigned int)c->flags, &dom);
        return helper_lookup_name(r, dom, reply);
    case REMOTE_OP_DOMAIN_RESTORE:
        r = vp_domain_restore(conn, c->xml, (unsigned int)c->flags, &dom);
        return helper_lookup_name(r, dom, reply);
    case REMOTE_OP_DOMAIN_SAVE_IMAGE_GET_XML:
        /* Whole: the near core hides the secrets from its callers. */
        return vp_domain_save_image_get_xml(
            conn, c->path, (unsigned int)c->flags | VP_DOMAIN_XML_SECURE, &reply->str);
    case REMOTE_OP_DOMAIN_SAVE_IMAGE_DEFINE_XML:
        return vp_domain_save_image_define_xml(conn, c->path, c->xml, (unsigned int)c->flags);
    case REMOTE_OP_NODE_SUSPEND_FOR_DURATION:
        r = vp_node_suspend_for_duration(conn, (unsigned int)c->a, (unsigned long long)c->b,
                                         (unsigned int)c->flags);
        if (r >= 0)
            atomic_store(&suspend_requested, true);
        return r;
    case REMOTE_OP_NODE_SUSPEND_RESULT:
        return node_suspend_result(reply);
    case REMOTE_OP_NODE_SUSPEND_GUESTS:
        return node_suspend_guests(c, reply);
    case REMOTE_OP_EVENT_OPEN:
        return events_open();
    case REMOTE_OP_EVENT_CLOSE:
        return events_close();
    case REMOTE_OP_NODE_SUSPEND_CANCEL:
        return vp_node_suspend_cancel(conn, (unsigned int)c->flags);
    case REMOTE_OP_NODE_SUSPEND_WAIT:
        return vp_node_suspend_wait(conn, c->a < INT32_MIN   ? -1
                                          : c->a > INT32_MAX ? INT32_MAX
                                                             : (int)c->a);
    case REMOTE_OP_DOMAIN_CAPABILITIES:
        return vp_conn_get_domain_capabilities(conn, (unsigned int)c->flags, &reply->str);
    case REMOTE_OP_NODE_GET_MEMORY_STATS:
    case REMOTE_OP_NODE_GET_CPU_STATS:
        return helper_node_stats(conn, c, reply);
    case REMOTE_OP_CONN_GET_SYSINFO:
        return vp_conn_get_sysinfo(conn, (unsigned int)c->flags, &reply->str);
    case REMOTE_OP_CONN_GET_CAPABILITIES:
        return vp_conn_get_capabilities(conn, (unsigned int)c->flags, &reply->str);
    case REMOTE_OP_CONN_CANCEL_JOBS:
        /* Runs in a worker of its own while the calls it cancels wait in
         * theirs. */
        r = vp_conn_cancel_jobs(conn, (unsigned int)c->flags);
        reply->ret = r;
        return r;
    case REMOTE_OP_NODE_SUSPEND_CAPABILITIES:
        r = vp_node_get_suspend_capabilities(conn, &targets);
        reply->a = targets;
        return r;
    default:
        r = vp_domain_lookup_by_name(conn, c->dom, &dom);
        if (r >= 0)
            r = check_handle(c, dom);
        if (r >= 0)
            r = helper_domain_op(c, dom, reply);
        vp_domain_free(dom);
        return r;
    }
}

/* ---- Consoles (protocol 5): each open console is a stream named by the
 * id of the call that opened it. ---- */

static pthread_mutex_t stream_lock = PTHREAD_MUTEX_INITIALIZER;
static remote_stream_list streams;

static int
stream_send(void *opaque, const remote_msg *msg)
{
    write_msg(msg);
    return 0;
}

/* A "stream" frame from the client; bytes for a stream that ended here
 * are dropped. */
static void
stream_frame(const remote_msg *msg)
{
    remote_stream_list done = {0};
    pthread_mutex_lock(&stream_lock);
    remote_stream *s = remote_stream_list_find(&streams, msg->id);
    if (s)
        remote_stream_push(s, msg->data, msg->data_len, msg->end);
    remote_stream_list_reap(&streams, &done);
    pthread_mutex_unlock(&stream_lock);
    remote_stream_list_free(&done);
}

/* Reply to the call that opened console @fd, with its stream registered
 * first (the client's bytes may follow the reply at once). */
static void
console_reply(const remote_msg *c, int fd, const remote_msg *reply)
{
    remote_stream *s = remote_stream_new(c->id, fd, stream_send, NULL);
    pthread_mutex_lock(&stream_lock);
    remote_stream_list_add(&streams, s);
    pthread_mutex_unlock(&stream_lock);
    write_msg(reply);
    if (remote_stream_start(s) < 0) {
        remote_msg end = {.type = REMOTE_MSG_STREAM, .id = c->id, .end = true};
        write_msg(&end);
        pthread_mutex_lock(&stream_lock);
        remote_stream_list_remove(&streams, s);
        pthread_mutex_unlock(&stream_lock);
        remote_stream_free(s);
    }
}

static void
run_call(remote_msg *c)
{
    remote_msg reply = {.type = REMOTE_MSG_REPLY, .id = c->id, .op = c->op};
    int r = dispatch(c, &reply);
    if (r < 0)
        write_error(c->id, r);
    else if (c->op == REMOTE_OP_DOMAIN_OPEN_CONSOLE)
        console_reply(c, (int)reply.ret, &reply);
    else
        write_msg(&reply);
    remote_msg_clear(&reply);
    remote_msg_clear(c);
    free(c);
}

/*
 * Serving is leader/follower: of the pool's threads, one (the leader)
 * reads stdin, answering pings at once. When it reads a call, it runs the
 * call itself, waking no thread, when no other frame waits or the op was
 * quick the last times (under QUICK_NS), and leads on after it: a quick
 * call then costs no thread switch at all, and a burst of them from many
 * client threads is answered one after the other by one thread. One idle
 * thread stands by, looking every STANDBY_MS (while calls come) for a
 * leader busy with a call: it takes the reading over, so a call that
 * blocks (a node suspend waited for) holds up neither pings nor the other
 * calls for longer than that. Otherwise (a slower op, and more frames
 * waiting) the leader wakes an idle thread (starting one when none is
 * idle, up to MAX_WORKERS) to read them while it runs its call, so slow
 * calls run at once. With every thread busy, the leader queues the calls
 * it reads for the next thread done.
 */
#define MAX_WORKERS 64
#define STANDBY_MS 2
#define QUICK_NS (200 * 1000)
/* After this long without a call, the standing-by thread sleeps until it
 * is woken: an idle helper wakes no thread. */
#define STANDBY_IDLE_MS 1000

typedef struct queued {
    remote_msg *call;
    struct queued *next;
} queued;

/* Under busy_lock. */
static queued *queue_head, **queue_tail = &queue_head;
static unsigned int n_workers, n_idle; /* the threads started; those waiting */
static bool leader_present, input_ended;
static bool standby_present, standby_timed; /* a thread stands by; it looks in time */
static pthread_cond_t standby_cond = PTHREAD_COND_INITIALIZER;
static int64_t last_call_ms;
static int64_t op_ns[REMOTE_OP_LAST]; /* how long each op ran, averaged */
static int input_result;              /* next_msg()'s at the end of the input */
static char *input_message;           /* and its message, when it is an error */
/* The input read and not decoded yet: only the leader touches it. */
static unsigned char *in_buf;
static size_t in_off, in_len, in_cap; /* [in_off, in_len): not decoded yet */
static remote_decoder *in_dec;

static int next_msg(remote_msg *msg);
static void *worker_main(void *arg);

static int64_t
clock_ms(clockid_t clock)
{
    struct timespec ts;
    clock_gettime(clock, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* As leader: read until a call comes (answering pings), or the input
 * ends. 1 with *@ret_call filled, else next_msg()'s result. */
static int
lead(remote_msg **ret_call)
{
    for (;;) {
        remote_msg msg = {0};
        int r = next_msg(&msg);
        if (r <= 0)
            return r;
        if (msg.type == REMOTE_MSG_CALL) {
            *ret_call = vp_new0(remote_msg, 1);
            **ret_call = msg;
            return 1;
        }
        if (msg.type == REMOTE_MSG_STREAM) {
            stream_frame(&msg);
        } else if (msg.type == REMOTE_MSG_PING) {
            remote_msg pong = {.type = REMOTE_MSG_PONG, .id = msg.id};
            write_msg(&pong);
        }
        remote_msg_clear(&msg);
    }
}

static int64_t
clock_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

/* Under busy_lock, by the leader holding a call of @op it is about to
 * run: who reads meanwhile. false: nobody (every thread busy): the caller
 * queues the call and leads on. */
static bool
pass_lead_locked(int op)
{
    last_call_ms = clock_ms(CLOCK_MONOTONIC);
    /* An op this side does not know is only refused: quick. */
    bool quick = op < 0 || op >= REMOTE_OP_LAST || op_ns[op] < QUICK_NS;
    if ((in_len == in_off || quick) && standby_present) {
        /* Run it here; the standing-by thread takes the reading over if
         * it lasts. */
        if (!standby_timed)
            pthread_cond_signal(&standby_cond);
        return true;
    }
    if (n_idle > 0 || standby_present) {
        pthread_cond_signal(n_idle > 0 ? &busy_cond : &standby_cond);
        return true;
    }
    if (n_workers >= MAX_WORKERS)
        return false;
    pthread_attr_t attr;
    pthread_t t;
    pthread_attr_init(&attr);
    pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
    int r = pthread_create(&t, &attr, worker_main, NULL);
    pthread_attr_destroy(&attr);
    if (r == 0)
        n_workers++;
    /* Not one more thread could be made: run the call here; the next
     * thread done reads. */
    return true;
}

/* Under busy_lock, by an idle thread while another leads: stand by when
 * nobody does, else wait to be woken. */
static void
idle_wait_locked(void)
{
    if (input_ended || standby_present) {
        n_idle++;
        pthread_cond_wait(&busy_cond, &busy_lock);
        n_idle--;
        return;
    }
    standby_present = true;
    standby_timed = clock_ms(CLOCK_MONOTONIC) - last_call_ms < STANDBY_IDLE_MS;
    if (standby_timed) {
        int64_t at = clock_ms(CLOCK_REALTIME) + STANDBY_MS;
        struct timespec ts = {at / 1000, (at % 1000) * 1000000};
        pthread_cond_timedwait(&standby_cond, &busy_lock, &ts);
    } else {
        pthread_cond_wait(&standby_cond, &busy_lock);
    }
    standby_present = false;
}

/* The loop of every thread of the pool, the main thread's too (@main:
 * it returns once the input ended; the others wait there for good). */
static void
serve_loop(bool main)
{
    pthread_mutex_lock(&busy_lock);
    for (;;) {
        if (queue_head) {
            queued *q = queue_head;
            queue_head = q->next;
            if (!queue_head)
                queue_tail = &queue_head;
            pthread_mutex_unlock(&busy_lock);
            run_call(q->call);
            free(q);
            pthread_mutex_lock(&busy_lock);
            if (--busy == 0)
                pthread_cond_broadcast(&done_cond);
            continue;
        }
        if (input_ended && main)
            break;
        if (input_ended || leader_present) {
            idle_wait_locked();
            continue;
        }
        leader_present = true;
        remote_msg *call = NULL;
        for (;;) {
            pthread_mutex_unlock(&busy_lock);
            int r = lead(&call);
            pthread_mutex_lock(&busy_lock);
            if (r <= 0) {
                const vp_error *e = vp_error_last();
                input_ended = true;
                input_result = r;
                input_message = r < 0 && e ? vp_strdup(e->message) : NULL;
                pthread_cond_broadcast(&busy_cond);
                pthread_cond_broadcast(&standby_cond);
                break;
            }
            busy++;
            if (pass_lead_locked(call->op))
                break;
            queued *q = vp_new0(queued, 1);
            q->call = VP_STEAL_PTR(call);
            *queue_tail = q;
            queue_tail = &q->next;
        }
        leader_present = false;
        if (!call)
            continue;
        int op = call->op;
        pthread_mutex_unlock(&busy_lock);
        int64_t t0 = clock_ns();
        run_call(call);
        int64_t took = clock_ns() - t0;
        pthread_mutex_lock(&busy_lock);
        if (op >= 0 && op < REMOTE_OP_LAST)
            op_ns[op] = (op_ns[op] * 3 + took) / 4;
        if (--busy == 0)
            pthread_cond_broadcast(&done_cond);
    }
    pthread_mutex_unlock(&busy_lock);
}

static void *
worker_main(void *arg)
{
    (void)arg;
    serve_loop(false);
    return NULL;
}

/* The next frame from stdin: 1 with *@msg filled, 0 at the end of the
 * input, < 0 on a protocol error (reported on stderr, which ssh carries). */
static int
next_msg(remote_msg *msg)
{
    if (!in_dec)
        in_dec = remote_decoder_new();
    for (;;) {
        /* The frames of one read are decoded one after the other, the
         * bytes moved down only before the next read. */
        int r = remote_decoder_next(in_dec, in_buf + in_off, in_len - in_off, REMOTE_FRAME_MAX,
                                    "local", msg);
        if (r > 0) {
            in_off += (size_t)r;
            /* The answer to the last frame of a read sends the held ones
             * along. */
            output_hold(in_off < in_len, false);
            return 1;
        }
        output_hold(false, true);
        if (r < 0)
            return r;
        if (in_off > 0) {
            memmove(in_buf, in_buf + in_off, in_len - in_off);
            in_len -= in_off;
            in_off = 0;
        }
        if (in_cap - in_len < 65536) {
            in_cap = in_cap * 2 + 65536;
            in_buf = vp_renew(unsigned char, in_buf, in_cap);
        }
        ssize_t n = read(STDIN_FILENO, in_buf + in_len, in_cap - in_len);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            return 0;
        in_len += (size_t)n;
    }
}

static int
handshake(const char *uri)
{
    remote_msg hello = {0};
    int r = next_msg(&hello);
    if (r <= 0)
        return r < 0 ? r : VP_ERR_PROTOCOL;
    /* An older client is answered in its own version: it sends only the
     * calls it knows, and dispatch() refuses the later ones. */
    if (hello.type != REMOTE_MSG_HELLO || hello.proto < 1) {
        remote_msg err = {.type = REMOTE_MSG_ERROR, .code = VP_ERR_PROTOCOL};
        err.message = vp_asprintf(
            "virtplug-ssh-helper speaks remote protocol %d (virtplug %s), the client %lld (virtplug %s): install the same virtplug version on both hosts",
            REMOTE_PROTO_VERSION, PACKAGE_VERSION, (long long)hello.proto,
            hello.version ? hello.version : "unknown");
        write_msg(&err);
        free(err.message);
        remote_msg_clear(&hello);
        return VP_ERR_PROTOCOL;
    }
    client_proto = hello.proto < REMOTE_PROTO_VERSION ? (int)hello.proto : REMOTE_PROTO_VERSION;
    remote_msg_clear(&hello);
    r = vp_conn_open(uri, 0, &conn);
    if (r < 0) {
        write_error(0, r);
        return r;
    }
    remote_msg reply = {.type = REMOTE_MSG_HELLO,
                        .proto = client_proto,
                        .version = (char *)PACKAGE_VERSION,
                        .driver = (char *)vp_conn_get_driver_name(conn),
                        .abi_major = VP_PLUGIN_ABI_MAJOR,
                        .abi_minor = VP_PLUGIN_ABI_MINOR};
    write_msg(&reply);
    return 0;
}

int
main(int argc, char **argv)
{
    if (argc == 2 && strcmp(argv[1], "--version") == 0) {
        printf("virtplug-ssh-helper %s (remote protocol %d)\n", PACKAGE_VERSION,
               REMOTE_PROTO_VERSION);
        return 0;
    }
    if (argc != 2 || argv[1][0] == '-') {
        fprintf(stderr, "usage: virtplug-ssh-helper URI\n"
                        "The far end of a DRIVER+ssh:// connection, started by ssh; it speaks the\n"
                        "remote protocol on stdin and stdout (see virtplug-ssh-helper(1)).\n");
        return 2;
    }
    signal(SIGPIPE, SIG_IGN);
    int r = handshake(argv[1]);
    if (r >= 0) {
        serve_loop(true);
        r = input_result;
    }
    if (r < 0) {
        const vp_error *e = vp_error_last();
        const char *why = input_message ? input_message : e ? e->message : NULL;
        fprintf(stderr, "virtplug-ssh-helper: %s\n", why ? why : "protocol error");
    }
    pthread_mutex_lock(&busy_lock);
    while (busy > 0)
        pthread_cond_wait(&done_cond, &busy_lock);
    pthread_mutex_unlock(&busy_lock);
    if (atomic_load(&suspend_requested))
        vp_node_suspend_wait(conn, -1);
    pthread_mutex_lock(&stream_lock);
    remote_stream_list_free(&streams);
    pthread_mutex_unlock(&stream_lock);
    if (conn)
        events_stop();
    vp_conn_close(conn);
    output_hold(false, true);
    free(in_buf);
    free(out_buf);
    remote_decoder_free(in_dec);
    free(input_message);
    return r < 0 ? 1 : 0;
}
