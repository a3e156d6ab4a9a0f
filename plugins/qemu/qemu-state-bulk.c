/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Copyright (C) 2026 The virtplug developers */
/*
 * qemu-state-bulk.c: the states of many domains at once (the
 * conn_get_domain_states slot, what "vpsh list" asks).
 *
 * Each domain's record is read once, without repairing it; a shut-off one
 * is answered from it. A running one whose QEMU is alive (/proc: pid and
 * start time) is answered from its record too when the record is its run
 * state: its QEMU cannot change that by itself (the record's self_change,
 * qemu-selfchange.c), or a process holding its events monitor has written
 * every change into the record (the holder's mark, qemu-events-qmp.c).
 * One whose QEMU a list asked since the record last changed is answered
 * what QEMU said then, while nothing but harmless events happened to its
 * QEMU (its own events log grew by none or by those only,
 * qemu-events-log.c: a list that asks QEMU confirms the record and notes
 * QEMU's answer, which may differ; the record is never written here).
 * Any other is asked: every such QEMU is asked query-status at
 * the same time, over non-blocking connections driven by one epoll loop
 * with one deadline, each under its domain's lock taken without waiting.
 * A domain whose lock is held, or whose monitor does not answer in time
 * (another client holds it: QEMU serves one), is answered from its record,
 * as qemu_domain_get_state() answers a busy domain. A domain whose record
 * needs a repair (a start that was interrupted, a QEMU found gone, no ID
 * yet) goes through qemu_domain_get_state() and the ID slot alone, which
 * repair it. So the answers are those of the per-domain slots.
 */
#include <config.h>

#include <errno.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <json-c/json.h>

#include "qemu-driver.h"
#include "qemu-json.h"

/* The deadline of the whole exchange with every QEMU asked. */
#define STATES_TIMEOUT_MS 2000
/* A greeting and two replies fit several times. */
#define REPLY_MAX 8192

/* Sent at once on connecting: QEMU reads them in order after its
 * greeting, so the second runs in command mode. */
static const char request[] = "{\"execute\":\"qmp_capabilities\"}\n"
                              "{\"execute\":\"query-status\",\"id\":\"vp-states\"}\n";

typedef struct asked {
    size_t i;
    int fd, lock;
    int64_t log_size; /* of its events log before asking (qemu-events-log.c) */
    qemu_record *rec;
    char buf[REPLY_MAX + 1];
    size_t len;
    char *status; /* query-status's answer, once read */
    bool over;    /* answered, failed or closed */
} asked;

static int
connect_monitor(const char *path)
{
    struct sockaddr_un sa = {.sun_family = AF_UNIX};
    if (!path || strlen(path) >= sizeof(sa.sun_path))
        return -1;
    memcpy(sa.sun_path, path, strlen(path) + 1);
    int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    if (fd < 0)
        return -1;
    if (connect(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0 ||
        send(fd, request, sizeof(request) - 1, MSG_NOSIGNAL) != (ssize_t)(sizeof(request) - 1)) {
        close(fd);
        return -1;
    }
    return fd;
}

/* Take the complete lines of @a's buffer; keep query-status's answer. */
static void
scan_lines(asked *a)
{
    char *start = a->buf, *nl;
    a->buf[a->len] = '\0';
    while (!a->over && (nl = strchr(start, '\n'))) {
        *nl = '\0';
        json_object *msg = json_tokener_parse(start), *id, *ret, *status;
        if (msg && json_object_object_get_ex(msg, "id", &id) &&
            strcmp(json_object_get_string(id), "vp-states") == 0) {
            a->over = true;
            if (json_object_object_get_ex(msg, "return", &ret) &&
                json_object_object_get_ex(ret, "status", &status))
                a->status = vp_strdup(json_object_get_string(status));
        }
        json_object_put(msg);
        start = nl + 1;
    }
    a->len -= (size_t)(start - a->buf);
    memmove(a->buf, start, a->len);
    if (a->len == REPLY_MAX)
        a->over = true; /* a line longer than any answer to this */
}

static void
read_some(asked *a)
{
    ssize_t got = read(a->fd, a->buf + a->len, REPLY_MAX - a->len);
    if (got < 0 && (errno == EAGAIN || errno == EINTR))
        return;
    if (got <= 0) {
        a->over = true;
        return;
    }
    a->len += (size_t)got;
    scan_lines(a);
}

/* Drive every connection of @as until each is over or the deadline. */
static void
exchange(asked *as, size_t n)
{
    int ep = epoll_create1(EPOLL_CLOEXEC);
    size_t open = 0;
    for (size_t k = 0; k < n; k++) {
        struct epoll_event ev = {.events = EPOLLIN, .data.ptr = &as[k]};
        if (ep < 0 || epoll_ctl(ep, EPOLL_CTL_ADD, as[k].fd, &ev) < 0)
            as[k].over = true;
        else
            open++;
    }
    int64_t deadline = qemu_json_now_ms() + STATES_TIMEOUT_MS;
    while (open > 0) {
        int64_t left = deadline - qemu_json_now_ms();
        if (left <= 0)
            break;
        struct epoll_event evs[64];
        int got = epoll_wait(ep, evs, 64, (int)left);
        if (got < 0 && errno == EINTR)
            continue;
        if (got < 0)
            break;
        for (int e = 0; e < got; e++) {
            asked *a = evs[e].data.ptr;
            read_some(a);
            if (a->over) {
                epoll_ctl(ep, EPOLL_CTL_DEL, a->fd, NULL);
                open--;
            }
        }
    }
    if (ep >= 0)
        close(ep);
}

/* The answer of the per-domain slots, which repair what needs it. */
static void
one_by_one(qemu_driver *drv, const char *name, int *ret_state, int *ret_reason, int *ret_id)
{
    int r = qemu_domain_get_state(drv, name, ret_state, ret_reason, 0);
    if (r < 0) {
        *ret_state = r;
        *ret_reason = 0;
    } else if (*ret_state != VP_DOMAIN_SHUTOFF && qemu_slot_domain_get_id(drv, name, ret_id) < 0) {
        *ret_id = -1;
    }
}

/* What the record says of a running domain that cannot be asked now. */
static void
from_record(const qemu_record *rec, int *ret_state, int *ret_reason, int *ret_id)
{
    *ret_state = rec->state;
    *ret_reason = rec->reason;
    *ret_id = rec->id;
}

/* The state of running domain @name known without asking its QEMU: its
 * record's, when nothing but the driver's commands can change it or a
 * holder of its events monitor writes every change into it; or what QEMU
 * answered a list that confirmed the record, when nothing but harmless
 * events happened to QEMU since and the record has not changed (its
 * events log, qemu-events-log.c). */
static bool
known_state(const qemu_driver *drv, const char *name, const qemu_record *rec, int *ret_state,
            int *ret_reason, int *ret_id)
{
    if (rec->self_change && qemu_events_log_known(drv, name, rec, ret_state, ret_reason)) {
        *ret_id = rec->id;
        return true;
    }
    if (rec->self_change && !qemu_events_holder_present(drv, name, &rec->proc))
        return false;
    from_record(rec, ret_state, ret_reason, ret_id);
    return true;
}

int
qemu_conn_get_domain_states(void *priv, const char *const *names, size_t n, int *ret_states,
                            int *ret_reasons, int *ret_ids, unsigned int flags)
{
    qemu_driver *drv = priv;
    if (flags != 0)
        return vp_plugin_error_set(VP_ERR_INVALID_ARG, "unsupported flags 0x%x", flags);
    asked *as = vp_new0(asked, n);
    bool *repair = vp_new0(bool, n);
    size_t m = 0;
    for (size_t i = 0; i < n; i++) {
        ret_ids[i] = -1;
        ret_reasons[i] = 0;
        qemu_record *rec = NULL;
        int r = qemu_domain_peek_record(drv, names[i], &rec);
        if (r < 0) {
            ret_states[i] = r;
            continue;
        }
        if (!rec->active) {
            ret_states[i] = VP_DOMAIN_SHUTOFF;
            ret_reasons[i] = rec->reason;
        } else if (rec->starting || rec->id <= 0 || !vp_plugin_process_is_alive(&rec->proc)) {
            repair[i] = true;
        } else if (!known_state(drv, names[i], rec, &ret_states[i], &ret_reasons[i], &ret_ids[i])) {
            int lock = -1;
            r = qemu_lock_try(drv, names[i], &lock);
            /* Its size before the question: what the answer covers. */
            int64_t log_size = r > 0 ? qemu_events_log_size(drv, names[i]) : -1;
            int fd = r > 0 ? connect_monitor(rec->qmp_path) : -1;
            if (r < 0) {
                ret_states[i] = r;
            } else if (fd < 0) {
                /* Busy (another operation holds it, or its monitor takes
                 * no connection now), or its QEMU just went. */
                if (lock >= 0)
                    qemu_lock_release(lock);
                if (lock >= 0 && !vp_plugin_process_is_alive(&rec->proc))
                    repair[i] = true;
                else
                    from_record(rec, &ret_states[i], &ret_reasons[i], &ret_ids[i]);
            } else {
                as[m++] = (asked){
                    .i = i, .fd = fd, .lock = lock, .log_size = log_size, .rec = VP_STEAL_PTR(rec)};
            }
        }
        qemu_record_free(rec);
    }
    exchange(as, m);
    for (size_t k = 0; k < m; k++) {
        asked *a = &as[k];
        size_t i = a->i;
        close(a->fd);
        if (a->status) {
            qemu_state_from_status(a->status, a->rec, &ret_states[i], &ret_reasons[i]);
            ret_ids[i] = a->rec->id;
            qemu_events_log_confirm(drv, names[i], a->rec, a->log_size, ret_states[i],
                                    ret_reasons[i]);
        } else if (vp_plugin_process_is_alive(&a->rec->proc)) {
            /* Alive but silent: its monitor serves another client. */
            from_record(a->rec, &ret_states[i], &ret_reasons[i], &ret_ids[i]);
        } else {
            repair[i] = true; /* it died meanwhile: recorded by the slot */
        }
        qemu_lock_release(a->lock);
        qemu_record_free(a->rec);
        free(a->status);
    }
    for (size_t i = 0; i < n; i++)
        if (repair[i])
            one_by_one(drv, names[i], &ret_states[i], &ret_reasons[i], &ret_ids[i]);
    free(as);
    free(repair);
    return 0;
}
