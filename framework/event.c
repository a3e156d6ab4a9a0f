/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Copyright (C) 2026 The virtplug developers */
/*
 * event.c: domain events without a daemon.
 *
 * Owns a connection's event state: the sink drivers emit into (a queue
 * guarded by one leaf lock, plus an eventfd that says "not empty"), the
 * registrations, the epoll descriptor the application waits on (the
 * eventfd and the driver's own descriptor), and dispatch, which runs the
 * driver's event_read and then the callbacks in the caller's thread. It
 * never starts a thread and never calls a callback or a driver slot with
 * its queue lock held, so callbacks and drivers may call back into the
 * library.
 */
#include <config.h>

#include <errno.h>
#include <poll.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include <virtplug/sdk/conf.h>

#include "internal.h"
#include "event.h"

/* Events waiting beyond this are dropped (and logged): an application
 * that never dispatches must not grow without bound. */
#define EVENT_QUEUE_MAX 65536

typedef struct event_reg {
    int id;
    unsigned int mask;
    vp_domain_event_cb callback;
    void *opaque;
    vp_free_cb free_opaque;
    unsigned int refs;   /* the list's, and one per dispatch holding it */
    atomic_bool removed; /* read by dispatch without the lock */
    struct event_reg *next;
} event_reg;

typedef struct event_item {
    vp_domain_event ev;
    char *name;
    char uuid[37];
    char *src_path, *dev_alias, *reason; /* an I/O error's */
    struct event_item *next;
} event_item;

struct vp_plugin_event_sink {
    pthread_mutex_t lock;       /* leaf: the queue and the registrations */
    pthread_mutex_t start_lock; /* starting the watch (calls event_open) */
    pthread_mutex_t dispatch_lock;
    atomic_bool started; /* set once, after the descriptors */
    int epfd, efd, driver_fd;
    unsigned int want; /* union of the registrations' masks */
    event_reg *regs;
    int next_id;
    event_item *head, **tail;
    size_t queued;
};

/* The connection this thread is dispatching, to refuse a nested dispatch. */
static __thread vp_conn *dispatching;

vpi_events *
vpi_events_new(void)
{
    vpi_events *ev = vp_new0(vpi_events, 1);
    pthread_mutex_init(&ev->lock, NULL);
    pthread_mutex_init(&ev->start_lock, NULL);
    pthread_mutex_init(&ev->dispatch_lock, NULL);
    ev->epfd = ev->efd = ev->driver_fd = -1;
    ev->next_id = 1;
    ev->tail = &ev->head;
    return ev;
}

static void
reg_unref(event_reg *reg)
{
    if (--reg->refs > 0)
        return;
    if (reg->free_opaque)
        reg->free_opaque(reg->opaque);
    free(reg);
}

static void
item_free(event_item *item)
{
    free(item->name);
    free(item->src_path);
    free(item->dev_alias);
    free(item->reason);
    free(item);
}

void
vpi_events_free(vp_conn *conn)
{
    vpi_events *ev = conn->events;
    if (!ev)
        return;
    if (ev->started && conn->hv->event_close)
        conn->hv->event_close(conn->hv_priv);
    while (ev->regs) {
        event_reg *next = ev->regs->next;
        reg_unref(ev->regs);
        ev->regs = next;
    }
    while (ev->head) {
        event_item *next = ev->head->next;
        item_free(ev->head);
        ev->head = next;
    }
    if (ev->epfd >= 0)
        close(ev->epfd);
    if (ev->efd >= 0)
        close(ev->efd);
    pthread_mutex_destroy(&ev->lock);
    pthread_mutex_destroy(&ev->start_lock);
    pthread_mutex_destroy(&ev->dispatch_lock);
    free(ev);
    conn->events = NULL;
}

static int
epoll_add(int epfd, int fd, const char *what)
{
    struct epoll_event e = {.events = EPOLLIN, .data.fd = fd};
    if (epoll_ctl(epfd, EPOLL_CTL_ADD, fd, &e) < 0)
        return vp_error_set_errno(VP_ERR_SYSTEM, errno, "cannot watch the %s for events", what);
    return 0;
}

/* The descriptors, and the driver's watch, on first use. */
static int
events_start(vp_conn *conn)
{
    vpi_events *ev = conn->events;
    int r = 0, fd = -1;
    pthread_mutex_lock(&ev->start_lock);
    if (ev->started)
        goto out;
    if (!conn->hv->event_open) {
        r = vpi_not_supported(conn->hv_plugin, "connect-domain-event-register");
        goto out;
    }
    ev->epfd = epoll_create1(EPOLL_CLOEXEC);
    if (ev->epfd < 0) {
        r = vp_error_set_errno(VP_ERR_SYSTEM, errno, "cannot create the event descriptor");
        goto out;
    }
    ev->efd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
    if (ev->efd < 0) {
        r = vp_error_set_errno(VP_ERR_SYSTEM, errno, "cannot create the event queue's eventfd");
        goto out;
    }
    r = epoll_add(ev->epfd, ev->efd, "event queue");
    if (r < 0)
        goto out;
    r = vpi_slot_result(conn->hv_plugin, "connect-domain-event-register",
                        conn->hv->event_open(conn->hv_priv, ev, &fd));
    if (r < 0)
        goto out;
    if (fd >= 0) {
        r = epoll_add(ev->epfd, fd, "driver's event source");
        if (r < 0) {
            if (conn->hv->event_close)
                conn->hv->event_close(conn->hv_priv);
            goto out;
        }
        ev->driver_fd = fd;
    }
    atomic_store(&ev->started, true);
    VP_DEBUG("event", "watching events of '%s' (driver fd %d)", conn->uri_string, fd);
out:
    if (r < 0) {
        if (ev->epfd >= 0)
            close(ev->epfd);
        if (ev->efd >= 0)
            close(ev->efd);
        ev->epfd = ev->efd = -1;
    }
    pthread_mutex_unlock(&ev->start_lock);
    return r;
}

/* Under ev->lock. */
static void
recompute_want(vpi_events *ev)
{
    ev->want = 0;
    for (event_reg *reg = ev->regs; reg; reg = reg->next)
        ev->want |= reg->mask;
}

VP_EXPORT int
vp_conn_event_register(vp_conn *conn, unsigned int mask, vp_domain_event_cb callback, void *opaque,
                       vp_free_cb free_opaque, int *ret_id)
{
    VPI_ERROR_RESET();
    VPI_RETURN_IF_NO_CONN(conn);
    vp_return_if_fail(callback, "callback");
    const unsigned int all = (1u << VP_DOMAIN_EVENT_LAST) - 1;
    if (mask & ~all)
        return vp_error_set(VP_ERR_INVALID_ARG,
                            "vp_conn_event_register: unknown event mask bits 0x%x", mask & ~all);
    int r = events_start(conn);
    if (r < 0)
        return r;
    vpi_events *ev = conn->events;
    event_reg *reg = vp_new0(event_reg, 1);
    reg->mask = mask ? mask : all;
    reg->callback = callback;
    reg->opaque = opaque;
    reg->free_opaque = free_opaque;
    reg->refs = 1;
    pthread_mutex_lock(&ev->lock);
    reg->id = ev->next_id++;
    event_reg **tail = &ev->regs;
    while (*tail)
        tail = &(*tail)->next;
    *tail = reg;
    recompute_want(ev);
    int id = reg->id;
    pthread_mutex_unlock(&ev->lock);
    if (ret_id)
        *ret_id = id;
    return vpi_result(0);
}

VP_EXPORT int
vp_conn_event_deregister(vp_conn *conn, int id)
{
    VPI_ERROR_RESET();
    VPI_RETURN_IF_NO_CONN(conn);
    vpi_events *ev = conn->events;
    event_reg *found = NULL;
    pthread_mutex_lock(&ev->lock);
    for (event_reg **p = &ev->regs; *p; p = &(*p)->next) {
        if ((*p)->id == id) {
            found = *p;
            *p = found->next;
            atomic_store(&found->removed, true);
            recompute_want(ev);
            break;
        }
    }
    bool last = found && found->refs == 1;
    if (found && !last)
        found->refs--;
    pthread_mutex_unlock(&ev->lock);
    if (!found)
        return vp_error_set(VP_ERR_INVALID_ARG, "no event registration %d on this connection", id);
    if (last) /* outside the lock: free_opaque may call the library */
        reg_unref(found);
    return vpi_result(0);
}

VP_EXPORT int
vp_conn_event_fd(vp_conn *conn)
{
    VPI_ERROR_RESET();
    VPI_RETURN_IF_NO_CONN(conn);
    int r = events_start(conn);
    if (r < 0)
        return r;
    return vpi_result(conn->events->epfd);
}

/* ---- The sink --------------------------------------------------------- */

/* An I/O error's strings, NULL for the other events. */
typedef struct event_extra {
    const char *src_path, *dev_alias, *reason;
} event_extra;

static int
emit(vp_plugin_event_sink *sink, const char *domain, const unsigned char *uuid, int event,
     int detail, const event_extra *extra)
{
    if (!domain)
        return vp_error_set(VP_ERR_INVALID_ARG, "vp_plugin_event_emit: no domain name");
    if (!vpi_event_valid(event, detail))
        return vp_error_set(VP_ERR_INVALID_ARG,
                            "vp_plugin_event_emit: event %d detail %d is not one of libvirt's",
                            event, detail);
    if (!sink)
        return 0;
    int64_t now = vp_plugin_now_us();
    pthread_mutex_lock(&sink->lock);
    bool wanted = sink->want & VP_DOMAIN_EVENT_MASK(event);
    bool full = sink->queued >= EVENT_QUEUE_MAX;
    if (wanted && !full) {
        event_item *item = vp_new0(event_item, 1);
        item->name = vp_strdup(domain);
        if (uuid)
            vp_plugin_uuid_format(uuid, item->uuid);
        item->ev = (vp_domain_event){.domain = item->name,
                                     .uuid = uuid ? item->uuid : NULL,
                                     .event = event,
                                     .detail = detail,
                                     .time_us = now};
        if (extra) {
            item->ev.src_path = item->src_path = vp_strdup(extra->src_path);
            item->ev.dev_alias = item->dev_alias = vp_strdup(extra->dev_alias);
            item->ev.reason = item->reason = vp_strdup(extra->reason);
        }
        *sink->tail = item;
        sink->tail = &item->next;
        sink->queued++;
        uint64_t one = 1;
        if (write(sink->efd, &one, sizeof(one)) < 0 && errno != EAGAIN)
            VP_DEBUG("event", "cannot signal the event queue: %s", strerror(errno));
    }
    pthread_mutex_unlock(&sink->lock);
    if (wanted && full)
        VP_DEBUG("event", "queue full (%d events not dispatched): dropped %s %s of '%s'",
                 EVENT_QUEUE_MAX, vp_domain_event_name(event, VP_DOMAIN_EVENT_NAME_ID),
                 vp_domain_event_detail_name(event, detail, VP_DOMAIN_EVENT_NAME_ID), domain);
    return 0;
}

VP_EXPORT int
vp_plugin_event_emit(vp_plugin_event_sink *sink, const char *domain, const unsigned char *uuid,
                     int event, int detail)
{
    /* An I/O error without its strings (a far driver's, forwarded by
     * number): they read as "". */
    static const event_extra none = {"", "", ""};
    return emit(sink, domain, uuid, event, detail,
                event == VP_DOMAIN_EVENT_IO_ERROR ? &none : NULL);
}

VP_EXPORT int
vp_plugin_event_emit_io_error(vp_plugin_event_sink *sink, const char *domain,
                              const unsigned char *uuid, int action, const char *src_path,
                              const char *dev_alias, const char *reason)
{
    if (!src_path || !dev_alias || !reason)
        return vp_error_set(VP_ERR_INVALID_ARG,
                            "vp_plugin_event_emit_io_error: no source path, alias or reason");
    event_extra extra = {src_path, dev_alias, reason};
    return emit(sink, domain, uuid, VP_DOMAIN_EVENT_IO_ERROR, action, &extra);
}

VP_EXPORT int
vp_plugin_event_emit_transition(vp_plugin_event_sink *sink, const char *domain,
                                const unsigned char *uuid, int old_state, int new_state,
                                int new_reason)
{
    if (old_state < 0 || old_state >= VP_DOMAIN_LAST || new_state < 0 ||
        new_state >= VP_DOMAIN_LAST)
        return vp_error_set(
            VP_ERR_INVALID_ARG,
            "vp_plugin_event_emit_transition: state %d -> %d is not a VP_DOMAIN_* state", old_state,
            new_state);
    vpi_event_pair pairs[2];
    size_t n = vpi_event_transition(old_state, new_state, new_reason, pairs);
    for (size_t i = 0; i < n; i++) {
        int r = vp_plugin_event_emit(sink, domain, uuid, pairs[i].event, pairs[i].detail);
        if (r < 0)
            return r;
    }
    return (int)n;
}

/* ---- Dispatch --------------------------------------------------------- */

/* Let the driver read its sources when they have something. Returns the
 * driver's failure (its error set): its events have ended, the connection
 * to its host is gone (driver.h, event_read). */
static int
dispatch_driver(vp_conn *conn)
{
    vpi_events *ev = conn->events;
    if (ev->driver_fd < 0 || !conn->hv->event_read)
        return 0;
    struct pollfd p = {.fd = ev->driver_fd, .events = POLLIN};
    if (poll(&p, 1, 0) <= 0)
        return 0;
    int r = conn->hv->event_read(conn->hv_priv);
    if (r < 0) {
        const vp_error *e = vp_error_last();
        VP_DEBUG("event", "driver '%s' could not read its events: %s", conn->hv_plugin->name,
                 e ? e->message : "no message");
        r = vpi_slot_result(conn->hv_plugin, "connect-domain-event-read", r);
    }
    return r < 0 ? r : 0;
}

/* Call every registration that wants @item, outside the lock. */
static void
deliver(vp_conn *conn, const event_item *item)
{
    vpi_events *ev = conn->events;
    event_reg *batch[16];
    bool more = true;
    int after = 0; /* registrations are kept in id order: resume past @after */
    while (more) {
        size_t n = 0;
        more = false;
        pthread_mutex_lock(&ev->lock);
        for (event_reg *reg = ev->regs; reg; reg = reg->next) {
            if (reg->id <= after || !(reg->mask & VP_DOMAIN_EVENT_MASK(item->ev.event)))
                continue;
            if (n == sizeof(batch) / sizeof(batch[0])) {
                more = true;
                break;
            }
            reg->refs++;
            batch[n++] = reg;
            after = reg->id;
        }
        pthread_mutex_unlock(&ev->lock);
        for (size_t i = 0; i < n; i++) {
            /* A registration removed by an earlier callback of this event
             * is not called (the flag is read without the lock: a removal
             * racing from another thread may still see one last call). */
            if (!atomic_load(&batch[i]->removed)) {
                /* The application's own calls from its callback are
                 * outermost calls, reported to the error callback. */
                int depth = vpi_call_depth;
                vp_conn *call_conn = vpi_call_conn;
                vpi_call_depth = 0;
                batch[i]->callback(conn, &item->ev, batch[i]->opaque);
                vpi_call_depth = depth;
                vpi_call_conn = call_conn;
            }
        }
        pthread_mutex_lock(&ev->lock);
        bool free_now[16] = {false};
        for (size_t i = 0; i < n; i++) {
            if (batch[i]->refs == 1)
                free_now[i] = true;
            else
                batch[i]->refs--;
        }
        pthread_mutex_unlock(&ev->lock);
        for (size_t i = 0; i < n; i++)
            if (free_now[i])
                reg_unref(batch[i]);
    }
}

VP_EXPORT int
vp_conn_event_dispatch(vp_conn *conn)
{
    VPI_ERROR_RESET();
    VPI_RETURN_IF_NO_CONN(conn);
    if (dispatching == conn)
        return vp_error_set(
            VP_ERR_OPERATION_INVALID,
            "vp_conn_event_dispatch called from one of the connection's event callbacks; return from the callback instead");
    vpi_events *ev = conn->events;
    if (!atomic_load(&ev->started))
        return vpi_result(0);
    vpi_conn_ref(conn); /* a callback may close the application's reference */
    vp_conn *outer = dispatching;
    dispatching = conn;
    pthread_mutex_lock(&ev->dispatch_lock);
    int failed = dispatch_driver(conn);
    uint64_t count;
    if (read(ev->efd, &count, sizeof(count)) < 0 && errno != EAGAIN)
        VP_DEBUG("event", "cannot read the event queue's eventfd: %s", strerror(errno));
    pthread_mutex_lock(&ev->lock);
    event_item *items = ev->head;
    ev->head = NULL;
    ev->tail = &ev->head;
    ev->queued = 0;
    pthread_mutex_unlock(&ev->lock);
    int n = 0;
    while (items) {
        event_item *next = items->next;
        deliver(conn, items);
        item_free(items);
        items = next;
        n++;
    }
    pthread_mutex_unlock(&ev->dispatch_lock);
    dispatching = outer;
    vpi_conn_unref(conn);
    /* The events read before the driver's end come first; its descriptor
     * stays readable, so the next dispatch reports the end. */
    return vpi_result(failed < 0 && n == 0 ? failed : n);
}
