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
#include <unistd.h>

#include <virtplug/virtplug.h>
#include <virtplug/sdk/alloc.h>
#include <virtplug/sdk/plugin.h>
#include <virtplug/sdk/services.h>

#include "remote-proto.h"
#include "remote-stream.h"

static pthread_mutex_t write_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_mutex_t busy_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t busy_cond = PTHREAD_COND_INITIALIZER; /* a call is queued */
static pthread_cond_t done_cond = PTHREAD_COND_INITIALIZER; /* busy reached 0 */
static unsigned int busy;
static vp_conn *conn;
/* The protocol the client speaks (at most ours): calls added later are
 * refused as unknown. */
static int client_proto = REMOTE_PROTO_VERSION;
/* A node suspend runs in a thread of this process: the process stays
 * until it is over, even after its client is gone. */
static atomic_bool suspend_requested;

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
    for (size_t off = 0; off < len;) {
        ssize_t n = write(STDOUT_FILENO, frame + off, len - off);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            break;
        off += (size_t)n;
    }
    pthread_mutex_unlock(&write_lock);
    free(frame);
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

static char **
domain_names(vp_domain **doms, int n)
{
    char **names = vp_new0(char *, (size_t)n + 1);
    for (int i = 0; i < n; i++)
        names[i] = vp_strdup(vp_domain_get_name(doms[i]));
    return names;
}

static char **
snapshot_names(vp_snapshot **snaps, int n)
{
    char **names = vp_new0(char *, (size_t)n + 1);
    for (int i = 0; i < n; i++)
        names[i] = vp_strdup(vp_snapshot_get_name(snaps[i]));
    return names;
}

static int
domain_info(vp_domain *dom, remote_msg *reply)
{
    vp_domain_info info = {.size = sizeof(info)};
    int r = vp_domain_get_info(dom, &info);
    if (r >= 0)
        reply->str = remote_record_format(REMOTE_REC_DOMAIN_INFO, &info);
    return r;
}

/* Protocol 5: the statistics of @dom, and the groups the far driver
 * knows (the caller's core refuses an enforced group it lacks): all of
 * those asked for unless an enforced call says otherwise, then each
 * group alone. */
static int
domain_stats(vp_domain *dom, const remote_msg *c, remote_msg *reply)
{
    const unsigned int all = VP_DOMAIN_STATS_LAST - 1;
    const unsigned int enforce = VP_CONNECT_GET_ALL_DOMAINS_STATS_ENFORCE_STATS;
    if (c->a < 0 || (c->a & ~(int64_t)all) || c->flags)
        return vp_plugin_error_set(VP_ERR_INVALID_ARG,
                                   "domain-get-stats: unknown groups 0x%llx or flags 0x%llx",
                                   (unsigned long long)c->a, (unsigned long long)c->flags);
    unsigned int want = c->a ? (unsigned int)c->a : all, known = want;
    vp_typed_params *params = NULL;
    int r = vp_domain_get_stats(dom, want, enforce, &params);
    if (r == VP_ERR_NOT_SUPPORTED) {
        known = 0;
        for (unsigned int bit = 1; bit < VP_DOMAIN_STATS_LAST; bit <<= 1) {
            vp_typed_params *one = NULL;
            if ((want & bit) && vp_domain_get_stats(dom, bit, enforce, &one) >= 0)
                known |= bit;
            vp_typed_params_free(one);
        }
        r = vp_domain_get_stats(dom, want, 0, &params);
    }
    if (r >= 0) {
        reply->str = remote_params_format(params);
        reply->a = known;
    }
    vp_typed_params_free(params);
    return r;
}

/* The node statistics of @op (a: the cell or the CPU). */
static int
node_stats(const remote_msg *c, remote_msg *reply)
{
    if (c->a < INT32_MIN || c->a > INT32_MAX)
        return vp_plugin_error_set(
            VP_ERR_INVALID_ARG, "invalid %s %lld",
            c->op == REMOTE_OP_NODE_GET_CPU_STATS ? "CPU number" : "NUMA cell", (long long)c->a);
    vp_typed_params *params = NULL;
    int r = c->op == REMOTE_OP_NODE_GET_CPU_STATS
                ? vp_node_get_cpu_stats(conn, (int)c->a, (unsigned int)c->flags, &params)
                : vp_node_get_memory_stats(conn, (int)c->a, (unsigned int)c->flags, &params);
    if (r >= 0)
        reply->str = remote_params_format(params);
    vp_typed_params_free(params);
    return r;
}

/* The ops that need a domain handle: lookup first, as the far core's own
 * callers do; an unknown name answers with the driver's own error. */
static int
domain_op(const remote_msg *c, vp_domain *dom, remote_msg *reply)
{
    unsigned int f = (unsigned int)c->flags;
    int r, state = 0, reason = 0, n;
    vp_snapshot *snap = NULL;
    vp_snapshot **snaps = NULL;
    long long seconds = 0;
    unsigned int nseconds = 0;
    char uuid[VP_UUID_STRING_BUFLEN];
    switch (c->op) {
    case REMOTE_OP_DOMAIN_LOOKUP:
        return 0;
    case REMOTE_OP_DOMAIN_GET_UUID:
        r = vp_domain_get_uuid_string(dom, uuid);
        if (r >= 0)
            reply->str = vp_strdup(uuid);
        return r;
    case REMOTE_OP_DOMAIN_GET_ID:
        r = vp_domain_get_id(dom, &n);
        reply->a = n;
        return r;
    case REMOTE_OP_DOMAIN_GET_INFO:
        return domain_info(dom, reply);
    case REMOTE_OP_DOMAIN_GET_TIME:
        r = vp_domain_get_time(dom, &seconds, &nseconds, f);
        reply->a = seconds;
        reply->b = nseconds;
        return r;
    case REMOTE_OP_DOMAIN_SET_TIME:
        if (c->b < 0 || c->b > UINT32_MAX)
            return vp_plugin_error_set(VP_ERR_INVALID_ARG,
                                       "nseconds is %lld; it must be below 1000000000",
                                       (long long)c->b);
        return vp_domain_set_time(dom, c->a, (unsigned int)c->b, f);
    case REMOTE_OP_DOMAIN_REBOOT:
        return vp_domain_reboot(dom, f);
    case REMOTE_OP_DOMAIN_RESET:
        return vp_domain_reset(dom, f);
    case REMOTE_OP_DOMAIN_SET_AUTOSTART:
        return vp_domain_set_autostart(dom, c->a != 0);
    case REMOTE_OP_DOMAIN_GET_AUTOSTART:
        r = vp_domain_get_autostart(dom, &n);
        reply->a = n;
        return r;
    case REMOTE_OP_DOMAIN_IS_PERSISTENT:
        r = vp_domain_is_persistent(dom);
        reply->a = r;
        return r < 0 ? r : 0;
    case REMOTE_OP_DOMAIN_AGENT_COMMAND:
        if (c->a < INT32_MIN || c->a > INT32_MAX)
            return vp_plugin_error_set(VP_ERR_INVALID_ARG, "invalid guest agent timeout %lld",
                                       (long long)c->a);
        r = vp_domain_qemu_agent_command(dom, c->xml, (int)c->a, f, &reply->str);
        reply->b = reply->str != NULL;
        return r;
    case REMOTE_OP_DOMAIN_SET_MEMORY:
    case REMOTE_OP_DOMAIN_SET_VCPUS:
        if (c->a <= 0 || (c->op == REMOTE_OP_DOMAIN_SET_VCPUS && c->a > UINT32_MAX))
            return vp_plugin_error_set(VP_ERR_INVALID_ARG, "'%s' of %lld is out of range",
                                       remote_op_get(c->op)->name, (long long)c->a);
        /* The live change the caller's core chose; flags: the slot's (0). */
        return c->op == REMOTE_OP_DOMAIN_SET_MEMORY
                   ? vp_domain_set_memory_flags(dom, (uint64_t)c->a, VP_DOMAIN_AFFECT_LIVE | f)
                   : vp_domain_set_vcpus_flags(dom, (unsigned int)c->a, VP_DOMAIN_AFFECT_LIVE | f);
    case REMOTE_OP_DOMAIN_SET_METADATA:
        return vp_domain_set_metadata(dom, (int)c->a, c->xml, VP_DOMAIN_AFFECT_LIVE | f);
    case REMOTE_OP_DOMAIN_GET_STATS:
        return domain_stats(dom, c, reply);
    case REMOTE_OP_DOMAIN_GET_DISPLAY_URI:
        return vp_domain_get_display_uri(dom, f, &reply->str);
    case REMOTE_OP_DOMAIN_OPEN_CONSOLE:
        /* run_call() makes the descriptor the call's stream. */
        r = vp_domain_open_console(dom, *c->xml ? c->xml : NULL, f, &n);
        reply->ret = n;
        return r;
    case REMOTE_OP_DOMAIN_UNDEFINE:
        return vp_domain_undefine(dom, f);
    case REMOTE_OP_DOMAIN_START:
        return vp_domain_start(dom, f);
    case REMOTE_OP_DOMAIN_SHUTDOWN:
        return vp_domain_shutdown(dom, f);
    case REMOTE_OP_DOMAIN_DESTROY:
        return vp_domain_destroy(dom, f);
    case REMOTE_OP_DOMAIN_SUSPEND:
        return vp_domain_suspend(dom, f);
    case REMOTE_OP_DOMAIN_RESUME:
        return vp_domain_resume(dom, f);
    case REMOTE_OP_DOMAIN_GET_STATE:
        r = vp_domain_get_state(dom, &state, &reason, f);
        reply->a = state;
        reply->b = reason;
        return r;
    case REMOTE_OP_DOMAIN_GET_XML:
        return vp_domain_get_xml(dom, f, &reply->str);
    case REMOTE_OP_DOMAIN_GET_GUEST_INFO:
        return vp_domain_get_guest_info(dom, f, &reply->str);
    case REMOTE_OP_SNAPSHOT_CREATE_XML:
        r = vp_snapshot_create_xml(dom, c->xml, f, &snap);
        break;
    case REMOTE_OP_SNAPSHOT_CURRENT:
        r = vp_snapshot_current(dom, f, &snap);
        break;
    case REMOTE_OP_SNAPSHOT_LIST:
        n = vp_snapshot_list(dom, f, &snaps);
        if (n >= 0) {
            reply->names = snapshot_names(snaps, n);
            vp_snapshot_list_free(snaps);
        }
        return n;
    case REMOTE_OP_SNAPSHOT_LOOKUP:
    case REMOTE_OP_SNAPSHOT_DELETE:
    case REMOTE_OP_SNAPSHOT_GET_XML:
    case REMOTE_OP_SNAPSHOT_REVERT:
        r = vp_snapshot_lookup_by_name(dom, c->snap, 0, &snap);
        if (r >= 0 && c->op == REMOTE_OP_SNAPSHOT_DELETE)
            r = vp_snapshot_delete(snap, f);
        else if (r >= 0 && c->op == REMOTE_OP_SNAPSHOT_REVERT)
            r = vp_snapshot_revert(snap, f);
        else if (r >= 0 && c->op == REMOTE_OP_SNAPSHOT_GET_XML)
            r = vp_snapshot_get_xml(snap, f, &reply->str);
        vp_snapshot_free(snap);
        return r;
    default:
        return -1;
    }
    if (r >= 0)
        reply->str = vp_strdup(vp_snapshot_get_name(snap));
    vp_snapshot_free(snap);
    return r;
}

static int
node_info(remote_msg *reply)
{
    vp_node_info info = {.size = sizeof(info)};
    int r = vp_node_get_info(conn, &info);
    if (r >= 0)
        reply->str = remote_record_format(REMOTE_REC_NODE_INFO, &info);
    return r;
}

/* The lookups that answer with a name. */
static int
lookup_name(int r, vp_domain *dom, remote_msg *reply)
{
    if (r >= 0)
        reply->str = vp_strdup(vp_domain_get_name(dom));
    vp_domain_free(dom);
    return r;
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
        return lookup_name(r, dom, reply);
    case REMOTE_OP_DOMAIN_LOOKUP_BY_ID:
        if (c->a < 0 || c->a > INT32_MAX)
            return vp_plugin_error_set(VP_ERR_INVALID_ARG, "invalid domain id %lld",
                                       (long long)c->a);
        r = vp_domain_lookup_by_id(conn, (int)c->a, &dom);
        return lookup_name(r, dom, reply);
    case REMOTE_OP_NODE_GET_INFO:
        return node_info(reply);
    case REMOTE_OP_CONN_GET_HOSTNAME:
        return vp_conn_get_hostname(conn, &reply->str);
    case REMOTE_OP_NUM_OF_DOMAINS:
        r = vp_conn_num_of_domains(conn);
        reply->ret = r;
        return r;
    case REMOTE_OP_LIST_DOMAINS:
        n = vp_conn_list_domains(conn, (unsigned int)c->flags, &doms);
        if (n >= 0) {
            reply->names = domain_names(doms, n);
            vp_domain_list_free(doms);
        }
        return n;
    case REMOTE_OP_DOMAIN_DEFINE_XML:
        r = vp_domain_define_xml(conn, c->xml, (unsigned int)c->flags, &dom);
        return lookup_name(r, dom, reply);
    case REMOTE_OP_DOMAIN_CREATE_XML:
        r = vp_domain_create_xml(conn, c->xml, (unsigned int)c->flags, &dom);
        return lookup_name(r, dom, reply);
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
        return node_stats(c, reply);
    case REMOTE_OP_CONN_GET_SYSINFO:
        return vp_conn_get_sysinfo(conn, (unsigned int)c->flags, &reply->str);
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
            r = domain_op(c, dom, reply);
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

/* The calls waiting for a worker, oldest first. Workers are started when a
 * call finds none idle (up to MAX_WORKERS), so a call that blocks (a node
 * suspend waited for) never holds up the others; idle ones wait for the
 * next call instead of a thread being made for each. */
#define MAX_WORKERS 64

typedef struct queued {
    remote_msg *call;
    struct queued *next;
} queued;

static queued *queue_head, **queue_tail = &queue_head;
/* n_queued: the calls no worker took yet. A worker counts as idle from its
 * wait until it takes a call, so one more is started whenever the queued
 * calls outnumber the idle workers: else a call queued just after another
 * could find that one's worker still idle and wait behind it for as long
 * as it blocks (a cancel behind the very call it cancels). */
static unsigned int n_workers, n_idle, n_queued;

static void *
worker_main(void *arg)
{
    pthread_mutex_lock(&busy_lock);
    for (;;) {
        while (!queue_head) {
            n_idle++;
            pthread_cond_wait(&busy_cond, &busy_lock);
            n_idle--;
        }
        queued *q = queue_head;
        queue_head = q->next;
        n_queued--;
        if (!queue_head)
            queue_tail = &queue_head;
        pthread_mutex_unlock(&busy_lock);
        run_call(q->call);
        free(q);
        pthread_mutex_lock(&busy_lock);
        if (--busy == 0)
            pthread_cond_broadcast(&done_cond);
    }
    return NULL;
}

static void
start_call(remote_msg *msg)
{
    queued *q = vp_new0(queued, 1);
    q->call = vp_new0(remote_msg, 1);
    *q->call = *msg;
    memset(msg, 0, sizeof(*msg));
    pthread_mutex_lock(&busy_lock);
    busy++;
    *queue_tail = q;
    queue_tail = &q->next;
    n_queued++;
    bool start = n_queued > n_idle && n_workers < MAX_WORKERS;
    if (start) {
        pthread_attr_t attr;
        pthread_t t;
        pthread_attr_init(&attr);
        pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
        if (pthread_create(&t, &attr, worker_main, NULL) == 0)
            n_workers++;
        pthread_attr_destroy(&attr);
    }
    pthread_cond_signal(&busy_cond);
    pthread_mutex_unlock(&busy_lock);
    if (n_workers == 0) {
        /* Not one thread could be made: answer here, in order. */
        pthread_mutex_lock(&busy_lock);
        queue_head = NULL;
        queue_tail = &queue_head;
        n_queued = 0;
        busy--;
        pthread_mutex_unlock(&busy_lock);
        run_call(q->call);
        free(q);
    }
}

/* The next frame from stdin: 1 with *@msg filled, 0 at the end of the
 * input, < 0 on a protocol error (reported on stderr, which ssh carries). */
static int
next_msg(unsigned char **buf, size_t *len, size_t *cap, remote_msg *msg)
{
    for (;;) {
        int r = remote_frame_decode(*buf, *len, REMOTE_FRAME_MAX, "local", msg);
        if (r > 0) {
            memmove(*buf, *buf + r, *len - (size_t)r);
            *len -= (size_t)r;
            return 1;
        }
        if (r < 0)
            return r;
        if (*cap - *len < 65536) {
            *cap = *cap * 2 + 65536;
            *buf = vp_renew(unsigned char, *buf, *cap);
        }
        ssize_t n = read(STDIN_FILENO, *buf + *len, *cap - *len);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            return 0;
        *len += (size_t)n;
    }
}

static int
handshake(const char *uri, unsigned char **buf, size_t *len, size_t *cap)
{
    remote_msg hello = {0};
    int r = next_msg(buf, len, cap, &hello);
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

static int
serve(unsigned char **buf, size_t *len, size_t *cap)
{
    for (;;) {
        remote_msg msg = {0};
        int r = next_msg(buf, len, cap, &msg);
        if (r <= 0)
            return r;
        if (msg.type == REMOTE_MSG_CALL) {
            start_call(&msg);
        } else if (msg.type == REMOTE_MSG_STREAM) {
            stream_frame(&msg);
        } else if (msg.type == REMOTE_MSG_PING) {
            remote_msg pong = {.type = REMOTE_MSG_PONG, .id = msg.id};
            write_msg(&pong);
        }
        remote_msg_clear(&msg);
    }
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
    unsigned char *buf = NULL;
    size_t len = 0, cap = 0;
    int r = handshake(argv[1], &buf, &len, &cap);
    if (r >= 0)
        r = serve(&buf, &len, &cap);
    if (r < 0) {
        const vp_error *e = vp_error_last();
        fprintf(stderr, "virtplug-ssh-helper: %s\n", e ? e->message : "protocol error");
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
    free(buf);
    return r < 0 ? 1 : 0;
}
