/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Copyright (C) 2026 The virtplug developers */
/*
 * qemu-events-qmp.c: the events-only QMP monitor of each running QEMU
 * (RUNTIME/NAME.qmp-events), as the event watch (qemu-events.c) uses it.
 *
 * Owns one watch's link to one QEMU's events monitor: a non-blocking
 * connect, the greeting and qmp_capabilities read and written without
 * ever waiting, and, once this link holds the monitor, QEMU's events
 * turned into the domain's record. QEMU serves one client on that socket
 * and leaves the others queued on it, so the first watching process (of
 * any program) holds it and the next queued one takes over the moment it
 * goes; a link that could not even queue (the socket's backlog is full,
 * or QEMU was not listening) connects again at each look and on the
 * watch's timer. Events that change the state (STOP, RESUME,
 * GUEST_PANICKED, BLOCK_IO_ERROR with werror=stop) are written as the state
 * query-status on NAME.qmp reads; events that change none (RESET, every
 * BLOCK_IO_ERROR) as notes in the record's history. It takes the domain's
 * lock only with a try and retries soon when an operation holds it; it
 * never waits on another process and never writes a record of a domain
 * that is not running.
 */
#include <config.h>

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <json-c/json.h>

#include "qemu-driver.h"
#include "qemu-json.h"
#include "qemu-monitor.h"

/* How long the holder waits for NAME.qmp to answer query-status: an
 * operation holds the domain's lock whenever it uses that monitor, so only
 * a client outside the driver can keep it busy. */
#define QUERY_STATUS_TIMEOUT_MS 1000

typedef enum { LINK_GREETING, LINK_CAPS, LINK_HOLD } link_phase;

struct qemu_evlink {
    int fd; /* -1: not connected */
    link_phase phase;
    char *path;
    char *buf; /* bytes read and not yet a whole line */
    size_t len, cap;
    int64_t retry_at;            /* monotonic ms of the next connect; -1: at the next look only */
    int64_t busy_at;             /* monotonic ms of the next try of the domain's lock; -1: none */
    bool need_status;            /* ask query-status and record what it says */
    int hint_state, hint_reason; /* what the event meant, when QEMU cannot answer */
    json_object *notes;          /* events that change no state, not written yet */
    bool unsure;                 /* query-status went unanswered: the record may lag QEMU */
    int mark;                    /* the holder's mark while caught up (holder_mark_update); -1 */
    bool catch_up;               /* this link just took the monitor over: what did it miss? */
};

char *
qemu_events_socket_path(const char *qmp_path)
{
    return vp_asprintf("%s-events", qmp_path);
}

bool
qemu_evlink_holds(const qemu_evlink *link)
{
    return link && link->fd >= 0 && link->phase == LINK_HOLD;
}

static void holder_mark_drop(qemu_evlink *l);

static void
link_disconnect(qemu_evlink *l, int epfd)
{
    holder_mark_drop(l);
    if (l->fd < 0)
        return;
    epoll_ctl(epfd, EPOLL_CTL_DEL, l->fd, NULL);
    close(l->fd);
    l->fd = -1;
    l->len = 0;
}

void
qemu_evlink_close(qemu_evlink **link, int epfd)
{
    qemu_evlink *l = *link;
    if (!l)
        return;
    link_disconnect(l, epfd);
    json_object_put(l->notes);
    free(l->buf);
    free(l->path);
    free(l);
    *link = NULL;
}

/* Queue on the events socket; QEMU greets once it serves this link. */
static void
link_connect(qemu_evlink *l, int epfd, void *tag, const char *name)
{
    struct sockaddr_un sa = {.sun_family = AF_UNIX};
    l->retry_at = -1;
    if (strlen(l->path) >= sizeof(sa.sun_path))
        return;
    memcpy(sa.sun_path, l->path, strlen(l->path) + 1);
    int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    if (fd < 0)
        return;
    if (connect(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0) {
        int e = errno;
        close(fd);
        /* No socket: a QEMU started without one, watched by pidfd and
         * records alone. Else QEMU is not listening or its queue is full:
         * try again. */
        if (e != ENOENT)
            l->retry_at = qemu_json_now_ms() + QEMU_EVENTS_RETRY_MS;
        VP_PLUGIN_DEBUG(QEMU_AREA, "domain '%s': events monitor '%s' not reachable: %s", name,
                        l->path, strerror(e));
        return;
    }
    struct epoll_event e = {.events = EPOLLIN, .data.ptr = tag};
    if (epoll_ctl(epfd, EPOLL_CTL_ADD, fd, &e) < 0) {
        close(fd);
        l->retry_at = qemu_json_now_ms() + QEMU_EVENTS_RETRY_MS;
        return;
    }
    l->fd = fd;
    l->phase = LINK_GREETING;
    l->len = 0;
    l->unsure = false;
}

void
qemu_evlink_sync(qemu_evlink **link, int epfd, void *tag, const char *name, const char *qmp_path)
{
    if (!qmp_path) {
        qemu_evlink_close(link, epfd);
        return;
    }
    if (!*link) {
        *link = vp_new0(qemu_evlink, 1);
        (*link)->fd = -1;
        (*link)->busy_at = -1;
        (*link)->mark = -1;
        (*link)->path = qemu_events_socket_path(qmp_path);
    }
    if ((*link)->fd < 0)
        link_connect(*link, epfd, tag, name);
}

static void
add_note(qemu_evlink *l, json_object *note)
{
    if (!l->notes)
        l->notes = json_object_new_array();
    json_object_array_add(l->notes, note);
}

/* The note of an I/O error on disk @alias: ["io-error", action, source
 * path, alias, reason], the source from the definition. */
static void
add_io_note(qemu_evlink *l, const qemu_driver *drv, const char *name, int act, const char *alias,
            const char *reason)
{
    const char *src = "";
    vp_domain_def *def = NULL;
    if (qemu_domain_load_def(drv, name, &def) >= 0) {
        for (size_t i = 0; i < def->n_disks; i++)
            if (def->disks[i].target_dev && strcmp(def->disks[i].target_dev, alias) == 0 &&
                def->disks[i].source_file)
                src = def->disks[i].source_file;
    }
    json_object *note = json_object_new_array();
    json_object_array_add(note, json_object_new_string("io-error"));
    json_object_array_add(note, json_object_new_int(act));
    json_object_array_add(note, json_object_new_string(src));
    json_object_array_add(note, json_object_new_string(alias));
    json_object_array_add(note, json_object_new_string(reason));
    add_note(l, note);
    vp_plugin_domain_def_free(def);
}

/* BLOCK_IO_ERROR: its note, and with action "stop" the pause it caused. */
static void
on_io_error(qemu_evlink *l, const qemu_driver *drv, const char *name, json_object *data)
{
    static const char *const actions[] = {"ignore", "stop", "report"};
    const char *action = qemu_json_str(data, "action");
    int act = VP_DOMAIN_EVENT_IO_ERROR_NONE;
    for (int i = 0; action && i < 3; i++)
        if (strcmp(action, actions[i]) == 0)
            act = i;
    /* Our node names are "drive-" and the target ("vda"): the alias. */
    const char *node = qemu_json_str(data, "node-name");
    const char *alias = node && strncmp(node, "drive-", 6) == 0 ? node + 6 : node ? node : "";
    /* QEMU says "nospace" only for a disk whose I/O status it keeps
     * (werror=stop or enospc); with werror=report it gives only its
     * strerror(), of this host's libc. */
    json_object *nospace = json_object_object_get(data, "nospace");
    const char *text = qemu_json_str(data, "reason");
    bool enospc = (nospace && json_object_get_boolean(nospace)) ||
                  (text && (strcmp(text, strerror(ENOSPC)) == 0 ||
                            strcmp(text, "No space left on device") == 0));
    const char *reason = enospc ? "enospc" : text ? text : "";
    add_io_note(l, drv, name, act, alias, reason);
    if (act == VP_DOMAIN_EVENT_IO_ERROR_PAUSE) {
        l->need_status = true;
        l->hint_state = VP_DOMAIN_PAUSED;
        l->hint_reason = VP_DOMAIN_PAUSED_IOERROR;
    }
}

/* GUEST_PANICKED: a guest QEMU keeps (action "pause": <on_crash>preserve)
 * is crashed now; one QEMU ends after ("poweroff") is recorded by whoever
 * finds it gone, from QEMU's log (qemu-runtime.c), as every watcher reports
 * it: a record written here could come after they saw the exit. */
static void
on_panic(qemu_evlink *l, json_object *data)
{
    const char *action = qemu_json_str(data, "action");
    if (action && strcmp(action, "poweroff") == 0)
        return;
    l->need_status = true;
    l->hint_state = VP_DOMAIN_CRASHED;
    l->hint_reason = VP_DOMAIN_CRASHED_PANICKED;
}

static void
on_event(qemu_evlink *l, const qemu_driver *drv, const char *name, json_object *msg)
{
    const char *event = qemu_json_str(msg, "event");
    VP_PLUGIN_DEBUG(QEMU_AREA, "domain '%s': QMP event '%s'", name, event);
    if (strcmp(event, "STOP") == 0 || strcmp(event, "RESUME") == 0 ||
        strcmp(event, "SUSPEND") == 0 || strcmp(event, "WAKEUP") == 0) {
        l->need_status = true;
    } else if (strcmp(event, "GUEST_PANICKED") == 0) {
        on_panic(l, json_object_object_get(msg, "data"));
    } else if (strcmp(event, "RESET") == 0) {
        json_object *note = json_object_new_array();
        json_object_array_add(note, json_object_new_string("reset"));
        add_note(l, note);
    } else if (strcmp(event, "BLOCK_IO_ERROR") == 0) {
        on_io_error(l, drv, name, json_object_object_get(msg, "data"));
    }
    /* SHUTDOWN: QEMU exits next, which the pidfd reports (stopped
     * shutdown); POWERDOWN asks the guest and changes nothing yet. */
}

/* One whole message on the link. */
static void
on_message(qemu_evlink *l, const qemu_driver *drv, const char *name, json_object *msg)
{
    static const char caps[] = "{\"execute\":\"qmp_capabilities\"}\n";
    switch (l->phase) {
    case LINK_GREETING:
        if (!json_object_object_get_ex(msg, "QMP", NULL))
            return;
        /* send(): a QEMU gone meanwhile must not SIGPIPE the application. */
        if (send(l->fd, caps, sizeof(caps) - 1, MSG_NOSIGNAL) == (ssize_t)sizeof(caps) - 1)
            l->phase = LINK_CAPS;
        return;
    case LINK_CAPS:
        if (!json_object_object_get_ex(msg, "return", NULL))
            return;
        l->phase = LINK_HOLD;
        /* What happened while nobody held the monitor: query-status says
         * it, and the record catches up. */
        l->need_status = true;
        l->catch_up = true;
        VP_PLUGIN_DEBUG(QEMU_AREA, "domain '%s': this watch holds the events monitor '%s'", name,
                        l->path);
        return;
    case LINK_HOLD:
        if (json_object_object_get_ex(msg, "event", NULL) && qemu_json_str(msg, "event"))
            on_event(l, drv, name, msg);
        return;
    }
}

/* Read what waits; false when QEMU closed the link (or broke it). */
static bool
link_fill(qemu_evlink *l)
{
    for (;;) {
        if (l->cap - l->len < 4096) {
            l->cap = l->cap ? l->cap * 2 : 8192;
            l->buf = vp_renew(char, l->buf, l->cap);
        }
        ssize_t got = read(l->fd, l->buf + l->len, l->cap - l->len - 1);
        if (got > 0) {
            l->len += (size_t)got;
            if (l->len > QEMU_JSON_MAX_LINE)
                return false;
            continue;
        }
        return got < 0 && (errno == EAGAIN || errno == EINTR);
    }
}

/* The state QEMU is in, by query-status on NAME.qmp (false: no answer). */
static bool
query_status(const qemu_record *rec, int *ret_state, int *ret_reason)
{
    qemu_monitor *mon = NULL;
    json_object *ret = NULL;
    vp_plugin_saved_error *saved = vp_plugin_error_save();
    bool ok = rec->qmp_path &&
              qemu_monitor_open(rec->qmp_path, QUERY_STATUS_TIMEOUT_MS, &mon) >= 0 &&
              qemu_monitor_command(mon, "query-status", NULL, QUERY_STATUS_TIMEOUT_MS, &ret) >= 0;
    if (ok) {
        const char *status = qemu_json_str(ret, "status");
        qemu_state_from_status(status ? status : "", rec, ret_state, ret_reason);
        ok = *ret_state != VP_DOMAIN_NOSTATE && *ret_state != VP_DOMAIN_SHUTDOWN;
    }
    json_object_put(ret);
    qemu_monitor_close(mon);
    vp_plugin_error_restore(saved);
    return ok;
}

static void
forget_pending(qemu_evlink *l)
{
    l->need_status = false;
    l->hint_state = l->hint_reason = 0;
    json_object_put(l->notes);
    l->notes = NULL;
    l->busy_at = -1;
}

/* ---- the holder's mark ----------------------------------------------
 *
 * While this link holds the events monitor and every event it read is in
 * the record, it holds an OFD write lock on one byte of
 * RUNTIME/NAME.qmp-events-held, at an offset naming the QEMU it is linked
 * to (pid and start time), so that a list can trust the record of a QEMU
 * that can change its state by itself (qemu-state-bulk.c). The mark is
 * dropped when the link closes, when an event waits for the domain's lock
 * to be written, and when query-status went unanswered; a killed holder's
 * lock goes with it; a successor takes it only once it has caught up. */

static off_t
mark_offset(const vp_plugin_process *proc)
{
    return (off_t)(((proc->start_time & 0xfffffULL) << 22) | ((uint64_t)proc->pid & 0x3fffff));
}

static void
holder_mark_drop(qemu_evlink *l)
{
    if (l->mark >= 0)
        close(l->mark);
    l->mark = -1;
}

/* Whether the peer of @fd (the QEMU that listens on the socket) is @proc. */
static bool
peer_is(int fd, const vp_plugin_process *proc)
{
    struct ucred cred;
    socklen_t len = sizeof(cred);
    return getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &cred, &len) == 0 && cred.pid == proc->pid;
}

static void
holder_mark_update(qemu_evlink *l, const qemu_driver *drv, const char *name)
{
    bool caught_up = l->fd >= 0 && l->phase == LINK_HOLD && !l->need_status && !l->notes &&
                     l->busy_at < 0 && !l->unsure;
    if (!caught_up) {
        holder_mark_drop(l);
        return;
    }
    if (l->mark >= 0)
        return;
    _cleanup_(qemu_record_freep) qemu_record *rec = NULL;
    if (qemu_domain_peek_record(drv, name, &rec) < 0 || !rec->active || rec->starting ||
        !peer_is(l->fd, &rec->proc))
        return;
    _cleanup_free_ char *path = qemu_domain_path(drv, name, ".qmp-events-held");
    int fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC | O_NOCTTY, 0600);
    struct flock fl = {
        .l_type = F_WRLCK, .l_whence = SEEK_SET, .l_start = mark_offset(&rec->proc), .l_len = 1};
    if (fd >= 0 && fcntl(fd, F_OFD_SETLK, &fl) == 0) {
        l->mark = fd;
        VP_PLUGIN_DEBUG(QEMU_AREA, "domain '%s': this watch's record follows QEMU", name);
    } else if (fd >= 0) {
        close(fd);
    }
}

bool
qemu_events_holder_present(const qemu_driver *drv, const char *name, const vp_plugin_process *proc)
{
    _cleanup_free_ char *path = qemu_domain_path(drv, name, ".qmp-events-held");
    int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY);
    if (fd < 0)
        return false;
    struct flock fl = {
        .l_type = F_WRLCK, .l_whence = SEEK_SET, .l_start = mark_offset(proc), .l_len = 1};
    bool held = fcntl(fd, F_OFD_GETLK, &fl) == 0 && fl.l_type != F_UNLCK;
    close(fd);
    return held;
}

/* A new holder finds the guest paused by an I/O error the record does not
 * know of: its BLOCK_IO_ERROR reached no monitor (nobody held it, or a
 * holder was killed before writing it). QEMU keeps each disk's I/O status
 * (query-block "io-status": "nospace", "failed") until the guest runs
 * again, so the io-error each failing disk raised is noted as it would
 * have been (action pause, reason "enospc" or ""), once: the record then
 * says paused (I/O error). An error of a disk with error_policy 'report'
 * (QEMU keeps no status for it) and a reset cannot be recovered. */
static void
recover_io_errors(qemu_evlink *l, const qemu_driver *drv, const char *name, const qemu_record *rec,
                  int state, int reason)
{
    l->catch_up = false;
    if (state != VP_DOMAIN_PAUSED || reason != VP_DOMAIN_PAUSED_IOERROR ||
        (rec->state == VP_DOMAIN_PAUSED && rec->reason == VP_DOMAIN_PAUSED_IOERROR))
        return;
    qemu_monitor *mon = NULL;
    json_object *ret = NULL;
    vp_plugin_saved_error *saved = vp_plugin_error_save();
    if (qemu_monitor_open(rec->qmp_path, QUERY_STATUS_TIMEOUT_MS, &mon) >= 0 &&
        qemu_monitor_command(mon, "query-block", NULL, QUERY_STATUS_TIMEOUT_MS, &ret) >= 0 &&
        json_object_is_type(ret, json_type_array)) {
        for (size_t i = 0; i < json_object_array_length(ret); i++) {
            json_object *dev = json_object_array_get_idx(ret, i);
            const char *status = qemu_json_str(dev, "io-status");
            const char *node = qemu_json_str(json_object_object_get(dev, "inserted"), "node-name");
            if (!status || strcmp(status, "ok") == 0 || !node)
                continue;
            const char *alias = strncmp(node, "drive-", 6) == 0 ? node + 6 : node;
            add_io_note(l, drv, name, VP_DOMAIN_EVENT_IO_ERROR_PAUSE, alias,
                        strcmp(status, "nospace") == 0 ? "enospc" : "");
        }
    }
    json_object_put(ret);
    qemu_monitor_close(mon);
    vp_plugin_error_restore(saved);
}

/* Write what the events meant into the record, under the domain's lock
 * taken with a try; true when the record was written. */
static bool
link_commit(qemu_evlink *l, const qemu_driver *drv, const char *name)
{
    if (!l->need_status && !l->notes)
        return false;
    int lock = -1;
    int r = qemu_lock_try(drv, name, &lock);
    if (r == 0) {
        /* An operation runs: it records the state it makes; the events
         * are written once it is done. */
        l->busy_at = qemu_json_now_ms() + QEMU_EVENTS_BUSY_RETRY_MS;
        return false;
    }
    _cleanup_(qemu_record_freep) qemu_record *rec = NULL;
    if (r < 0 || qemu_domain_peek_record(drv, name, &rec) < 0 || !rec->active || rec->starting) {
        if (lock >= 0)
            qemu_lock_release(lock);
        forget_pending(l);
        return false;
    }
    bool changed = false;
    int state = 0, reason = 0;
    bool asked = l->need_status && query_status(rec, &state, &reason);
    if (l->need_status)
        l->unsure = !asked;
    if (l->need_status && !asked && l->hint_state) {
        state = l->hint_state;
        reason = l->hint_reason;
    }
    if (l->catch_up)
        recover_io_errors(l, drv, name, rec, state, reason);
    if (state && (state != rec->state || reason != rec->reason)) {
        rec->state = state;
        rec->reason = reason;
        /* A panicked guest whose QEMU then exits stopped crashed. */
        if (state == VP_DOMAIN_CRASHED)
            rec->stop_reason = VP_DOMAIN_SHUTOFF_CRASHED;
        changed = true;
    }
    if (l->notes) {
        rec->notes = l->notes;
        l->notes = NULL;
        changed = true;
    }
    if (changed && qemu_domain_write_record(drv, name, rec) < 0) {
        const vp_error *e = vp_error_last();
        VP_PLUGIN_DEBUG(QEMU_AREA, "domain '%s': cannot record its QMP events: %s", name,
                        e ? e->message : "?");
        changed = false;
    }
    qemu_lock_release(lock);
    forget_pending(l);
    return changed;
}

bool
qemu_evlink_read(qemu_evlink **link, int epfd, const qemu_driver *drv, const char *name)
{
    qemu_evlink *l = *link;
    if (!l || l->fd < 0)
        return false;
    bool open = link_fill(l);
    char *start = l->buf, *nl;
    while (l->len && (nl = memchr(start, '\n', l->len - (size_t)(start - l->buf)))) {
        *nl = '\0';
        json_object *msg = NULL;
        if (qemu_json_parse_object(start, &msg) == QEMU_JSON_OK) {
            on_message(l, drv, name, msg);
            json_object_put(msg);
        }
        start = nl + 1;
    }
    size_t rest = l->len - (size_t)(start - l->buf);
    if (l->len)
        memmove(l->buf, start, rest);
    l->len = rest;
    if (!open) {
        /* QEMU ended (the pidfd reports it) or dropped this link. */
        VP_PLUGIN_DEBUG(QEMU_AREA, "domain '%s': events monitor '%s' closed", name, l->path);
        link_disconnect(l, epfd);
        l->retry_at = qemu_json_now_ms() + QEMU_EVENTS_RETRY_MS;
    }
    bool changed = link_commit(l, drv, name);
    holder_mark_update(l, drv, name);
    return changed;
}

bool
qemu_evlink_tick(qemu_evlink **link, int epfd, void *tag, const qemu_driver *drv, const char *name,
                 int *next_ms)
{
    qemu_evlink *l = *link;
    int64_t now = qemu_json_now_ms();
    bool changed = false;
    if (l->fd < 0 && l->retry_at >= 0 && now >= l->retry_at)
        link_connect(l, epfd, tag, name);
    if (l->busy_at >= 0 && now >= l->busy_at) {
        changed = link_commit(l, drv, name);
        holder_mark_update(l, drv, name);
    }
    int64_t next = -1;
    if (l->fd < 0 && l->retry_at >= 0)
        next = l->retry_at - now;
    if (l->busy_at >= 0 && (next < 0 || l->busy_at - now < next))
        next = l->busy_at - now;
    *next_ms = next < 0 ? -1 : next > 0 ? (int)next : 0;
    return changed;
}
