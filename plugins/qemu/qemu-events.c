/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Copyright (C) 2026 The virtplug developers */
/*
 * qemu-events.c: domain events of the QEMU driver, without a daemon.
 *
 * Owns the watch of one connection: inotify on the config directory
 * (NAME.xml: define, redefine, undefine) and the runtime directory
 * (NAME.json: every state the driver records, by any process), a timer
 * for the links' retries, and one pidfd per running QEMU (its exit, a SIGKILL included, is seen at
 * once, before anyone updates a record). On each change it reads what the disk and /proc say now,
 * replays the transitions the record's history lists since it last looked (another process may have
 * made several), compares the result with what it saw, and emits the difference as libvirt's
 * events, so a change is reported once whichever source saw it first; the driver's own slots ask
 * for a look right after each change (qemu_events_look), so this connection's changes are never
 * folded together. One lock orders the looks of every connection. It only
 * reads: it never takes a domain's lock, repairs a record or talks to
 * QEMU itself; the events QEMU raises inside a running domain come from
 * the events-only monitor each domain's link holds (qemu-events-qmp.c),
 * which writes them into the record this file reads.
 */
#include <config.h>

#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/inotify.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/timerfd.h>
#include <unistd.h>

#include <json-c/json.h>

#include "qemu-driver.h"

#ifndef SYS_pidfd_open
#define SYS_pidfd_open 434
#endif

/* What a descriptor in the watch's epoll set is. */
typedef enum { SRC_INOTIFY, SRC_TIMER, SRC_PID, SRC_QMP } source_kind;
typedef struct source {
    source_kind kind;
    struct watch_dom *dom; /* SRC_PID, SRC_QMP */
} source;

/* What the watch last saw of one domain. */
typedef struct watch_dom {
    char *name;
    bool defined;
    /* The definition file as last seen: a write that leaves it the same
     * file (the close after an atomic rename) is no redefinition. */
    ino_t ino;
    struct timespec mtime;
    off_t size;
    bool has_uuid;
    unsigned char uuid[16];
    int state, reason;
    bool panicked; /* its QEMU was found gone after a guest panic (qemu-runtime.c) */
    uint64_t seq;  /* the last transition of the record's history seen */
    pid_t pid;     /* the QEMU watched through pidfd, 0 for none */
    int pidfd;
    source pid_src, qmp_src;
    qemu_evlink *link; /* the events monitor of its running QEMU (qemu-events-qmp.c) */
    struct watch_dom *next;
} watch_dom;

struct qemu_events {
    vp_plugin_event_sink *sink;
    int epfd, infd, tfd;
    int wd_config, wd_runtime;
    source inotify_src, timer_src;
    watch_dom *doms;
};

/* Guards every connection's drv->events and what it holds: looks come from
 * the dispatching thread and from any slot. */
static pthread_mutex_t events_lock = PTHREAD_MUTEX_INITIALIZER;

/* ---- The record's transition history ------------------------------- */

#define HISTORY_MAX 16
#define HISTORY_MAX_BYTES (64 * 1024)

/* One numbered entry: a state transition [seq, state, reason], or an event
 * that changes no state [seq, "reset"], [seq, "io-error", action, source,
 * alias, reason], [seq, "panicked"] (a QEMU found gone after a guest panic,
 * just before its shut-off state) (@note holds the entry's array, a
 * reference). */
typedef struct history {
    uint64_t last_seq; /* 0: no history */
    size_t n;
    struct {
        uint64_t seq;
        int state, reason;
        json_object *note;
    } e[HISTORY_MAX];
} history;

static void
history_clear(history *h)
{
    for (size_t i = 0; i < h->n; i++)
        json_object_put(h->e[i].note);
    *h = (history){0};
}

static void
history_drop_oldest(history *h)
{
    json_object_put(h->e[0].note);
    memmove(&h->e[0], &h->e[1], sizeof(h->e[0]) * (HISTORY_MAX - 1));
    h->n--;
}

static void
history_parse(json_object *o, history *h)
{
    json_object *seq, *list;
    *h = (history){0};
    if (!o || !json_object_object_get_ex(o, "seq", &seq) ||
        !json_object_object_get_ex(o, "history", &list) ||
        !json_object_is_type(list, json_type_array))
        return;
    h->last_seq = (uint64_t)json_object_get_int64(seq);
    for (size_t i = 0; i < json_object_array_length(list) && h->n < HISTORY_MAX; i++) {
        json_object *t = json_object_array_get_idx(list, i);
        if (!json_object_is_type(t, json_type_array) || json_object_array_length(t) < 2)
            continue;
        json_object *second = json_object_array_get_idx(t, 1);
        bool note = json_object_is_type(second, json_type_string);
        if (!note && json_object_array_length(t) != 3)
            continue;
        h->e[h->n].seq = (uint64_t)json_object_get_int64(json_object_array_get_idx(t, 0));
        h->e[h->n].note = note ? json_object_get(t) : NULL;
        if (!note) {
            h->e[h->n].state = json_object_get_int(second);
            h->e[h->n].reason = json_object_get_int(json_object_array_get_idx(t, 2));
        }
        h->n++;
    }
}

/* The history of domain @name's record on disk (empty without one). */
static void
history_read(const qemu_driver *drv, const char *name, history *h)
{
    _cleanup_free_ char *path = qemu_domain_path(drv, name, ".json");
    _cleanup_free_ char *text = NULL;
    *h = (history){0};
    if (access(path, F_OK) < 0 || vp_plugin_file_read(path, HISTORY_MAX_BYTES, &text, NULL) < 0)
        return;
    json_object *o = json_tokener_parse(text);
    history_parse(o, h);
    json_object_put(o);
}

/* The state the last state entry of @h names; false when it has none. */
static bool
history_last_state(const history *h, int *ret_state, int *ret_reason)
{
    for (size_t i = h->n; i-- > 0;) {
        if (!h->e[i].note) {
            *ret_state = h->e[i].state;
            *ret_reason = h->e[i].reason;
            return true;
        }
    }
    return false;
}

static void
history_append(history *h, int state, int reason, json_object *note)
{
    if (h->n == HISTORY_MAX)
        history_drop_oldest(h);
    h->last_seq++;
    h->e[h->n].seq = h->last_seq;
    h->e[h->n].state = state;
    h->e[h->n].reason = reason;
    h->e[h->n].note = note;
    h->n++;
}

/* Whether @note (["io-error", action, ...]) is an I/O error that paused
 * the guest. */
static bool
note_pauses(json_object *note)
{
    const char *kind = json_object_get_string(json_object_array_get_idx(note, 0));
    return kind && strcmp(kind, "io-error") == 0 &&
           json_object_get_int(json_object_array_get_idx(note, 1)) ==
               VP_DOMAIN_EVENT_IO_ERROR_PAUSE;
}

/* Append the notes of @notes that pause the guest (@pausing) or the
 * others, numbered. */
static void
append_notes(history *h, json_object *notes, bool pausing)
{
    for (size_t i = 0; notes && i < json_object_array_length(notes); i++) {
        json_object *src = json_object_array_get_idx(notes, i);
        if (note_pauses(src) != pausing)
            continue;
        json_object *t = json_object_new_array();
        json_object_array_add(t, json_object_new_int64((int64_t)h->last_seq + 1));
        for (size_t k = 0; k < json_object_array_length(src); k++)
            json_object_array_add(t, json_object_get(json_object_array_get_idx(src, k)));
        history_append(h, 0, 0, t);
    }
}

void
qemu_events_record_history(const qemu_driver *drv, const char *name, const qemu_record *rec,
                           json_object *o)
{
    history h;
    history_read(drv, name, &h);
    /* An I/O error that paused the guest comes before the pause it
     * caused, as libvirt raises them (io-error, then suspended I/O
     * error); every other event that changes no state, after the state
     * it happened in. */
    append_notes(&h, rec->notes, true);
    if (rec->panicked) {
        json_object *t = json_object_new_array();
        json_object_array_add(t, json_object_new_int64((int64_t)h.last_seq + 1));
        json_object_array_add(t, json_object_new_string("panicked"));
        history_append(&h, 0, 0, t);
    }
    /* A start in progress is no state yet: its outcome is the entry. */
    if (!(rec->active && rec->starting)) {
        int state = rec->active ? rec->state : VP_DOMAIN_SHUTOFF, last, last_reason;
        if (!history_last_state(&h, &last, &last_reason) || last != state ||
            last_reason != rec->reason)
            history_append(&h, state, rec->reason, NULL);
    }
    append_notes(&h, rec->notes, false);
    json_object *list = json_object_new_array();
    for (size_t i = 0; i < h.n; i++) {
        if (h.e[i].note) {
            json_object_array_add(list, json_object_get(h.e[i].note));
            continue;
        }
        json_object *t = json_object_new_array();
        json_object_array_add(t, json_object_new_int64((int64_t)h.e[i].seq));
        json_object_array_add(t, json_object_new_int(h.e[i].state));
        json_object_array_add(t, json_object_new_int(h.e[i].reason));
        json_object_array_add(list, t);
    }
    json_object_object_add(o, "seq", json_object_new_int64((int64_t)h.last_seq));
    json_object_object_add(o, "history", list);
    history_clear(&h);
}

/* Raise what a non-state entry of the history says. */
static void
emit_note(qemu_events *ev, const char *name, const unsigned char *uuid, json_object *note)
{
    const char *kind = json_object_get_string(json_object_array_get_idx(note, 1));
    if (strcmp(kind, "reset") == 0) {
        vp_plugin_event_emit(ev->sink, name, uuid, VP_DOMAIN_EVENT_REBOOT,
                             VP_DOMAIN_EVENT_REBOOT_RESET);
    } else if (strcmp(kind, "io-error") == 0 && json_object_array_length(note) == 6) {
        const char *s[3];
        for (size_t k = 0; k < 3; k++)
            s[k] = json_object_get_string(json_object_array_get_idx(note, 3 + k));
        vp_plugin_event_emit_io_error(ev->sink, name, uuid,
                                      json_object_get_int(json_object_array_get_idx(note, 2)),
                                      s[0] ? s[0] : "", s[1] ? s[1] : "", s[2] ? s[2] : "");
    }
}

static bool
is_panicked(json_object *note)
{
    const char *kind = json_object_get_string(json_object_array_get_idx(note, 1));
    return kind && strcmp(kind, "panicked") == 0;
}

/* A guest panic ended QEMU: from a running (or paused) state it passes
 * through crashed panicked before it stops (crashed), as libvirt reports
 * <on_crash>destroy</on_crash>. Once seen stopped, or crashed already, the
 * panic was reported: the record's "panicked" entry and the QEMU found gone
 * are one panic. Returns the state the look goes on from. */
static int
pass_crashed(qemu_events *ev, const char *name, const unsigned char *uuid, int state)
{
    if (state == VP_DOMAIN_SHUTOFF || state == VP_DOMAIN_NOSTATE || state == VP_DOMAIN_CRASHED)
        return state;
    vp_plugin_event_emit_transition(ev->sink, name, uuid, state, VP_DOMAIN_CRASHED,
                                    VP_DOMAIN_CRASHED_PANICKED);
    return VP_DOMAIN_CRASHED;
}

/* One domain to look at again after a batch of notifications. */
typedef struct touched {
    char *name;
    bool config; /* its definition was written */
} touched;

static watch_dom *
dom_new(const char *name)
{
    watch_dom *d = vp_new0(watch_dom, 1);
    d->name = vp_strdup(name);
    d->state = VP_DOMAIN_SHUTOFF;
    d->pidfd = -1;
    d->pid_src = (source){SRC_PID, d};
    d->qmp_src = (source){SRC_QMP, d};
    return d;
}

static watch_dom *
dom_find(qemu_events *ev, const char *name)
{
    for (watch_dom *d = ev->doms; d; d = d->next)
        if (strcmp(d->name, name) == 0)
            return d;
    return NULL;
}

static void
dom_unwatch_pid(qemu_events *ev, watch_dom *d)
{
    if (d->pidfd >= 0) {
        epoll_ctl(ev->epfd, EPOLL_CTL_DEL, d->pidfd, NULL);
        close(d->pidfd);
    }
    d->pidfd = -1;
    d->pid = 0;
}

static void
dom_remove(qemu_events *ev, watch_dom *d)
{
    for (watch_dom **p = &ev->doms; *p; p = &(*p)->next) {
        if (*p == d) {
            *p = d->next;
            break;
        }
    }
    dom_unwatch_pid(ev, d);
    qemu_evlink_close(&d->link, ev->epfd);
    free(d->name);
    free(d);
}

/* Watch the QEMU process @proc; false when it is gone (or its pid now
 * belongs to another process). The pidfd is opened before the identity is
 * compared, so a pidfd kept is the QEMU's. */
static bool
dom_watch_pid(qemu_events *ev, watch_dom *d, const vp_plugin_process *proc)
{
    pid_t pid = proc->pid;
    if (d->pid == pid && d->pidfd >= 0)
        return vp_plugin_process_is_alive(proc);
    dom_unwatch_pid(ev, d);
    int fd = (int)syscall(SYS_pidfd_open, pid, 0);
    if (fd < 0 && errno == ESRCH)
        return false; /* it is gone */
    if (fd < 0) {
        /* No pidfd here (a kernel before 5.3, seccomp, valgrind): the
         * process is judged by /proc alone and its exit is seen at the next
         * look, not at once. */
        VP_PLUGIN_DEBUG(QEMU_AREA, "cannot watch pid %d of domain '%s' with a pidfd: %s", (int)pid,
                        d->name, strerror(errno));
        return vp_plugin_process_is_alive(proc);
    }
    if (!vp_plugin_process_is_alive(proc)) {
        close(fd);
        return false;
    }
    struct epoll_event e = {.events = EPOLLIN, .data.ptr = &d->pid_src};
    if (epoll_ctl(ev->epfd, EPOLL_CTL_ADD, fd, &e) < 0) {
        VP_PLUGIN_DEBUG(QEMU_AREA, "cannot watch pid %d of domain '%s': %s", (int)pid, d->name,
                        strerror(errno));
        close(fd);
        return true;
    }
    d->pid = pid;
    d->pidfd = fd;
    return true;
}

/* What domain @name is now: defined, state and reason, from the files and
 * /proc, as a state query without the lock answers, and the record's
 * history (@ret_hist). A record still being started reads as the state
 * before (the start is reported once it ran). Returns false when the
 * record cannot be read (nothing to report yet). */
static bool
observe(qemu_events *ev, const qemu_driver *drv, watch_dom *d, bool config, history *ret_hist)
{
    /* The history before the record: the record read next is at least as
     * new as the history, never older. */
    history_read(drv, d->name, ret_hist);
    d->panicked = false;
    _cleanup_free_ char *xml = qemu_domain_path(drv, d->name, ".xml");
    struct stat st;
    d->defined = stat(xml, &st) == 0;
    if (d->defined) {
        d->ino = st.st_ino;
        d->mtime = st.st_mtim;
        d->size = st.st_size;
    }
    if (d->defined && (config || !d->has_uuid)) {
        vp_domain_def *def = NULL;
        if (qemu_domain_load_def(drv, d->name, &def) >= 0) {
            memcpy(d->uuid, def->uuid, sizeof(d->uuid));
            d->has_uuid = true;
            vp_plugin_domain_def_free(def);
        }
    }
    _cleanup_(qemu_record_freep) qemu_record *rec = NULL;
    if (qemu_domain_peek_record(drv, d->name, &rec) < 0)
        return false;
    if (rec->active && rec->starting)
        return true;
    if (rec->active && dom_watch_pid(ev, d, &rec->proc)) {
        d->state = rec->state;
        d->reason = rec->reason;
        qemu_evlink_sync(&d->link, ev->epfd, &d->qmp_src, d->name, rec->qmp_path);
        return true;
    }
    dom_unwatch_pid(ev, d);
    qemu_evlink_close(&d->link, ev->epfd);
    d->state = VP_DOMAIN_SHUTOFF;
    d->reason = rec->active ? qemu_domain_gone_reason(drv, d->name, rec) : rec->reason;
    d->panicked = rec->active && qemu_domain_gone_panicked(drv, d->name, rec);
    return true;
}

/* Look at domain @name again and emit what changed since the last look. */
static void
update(qemu_events *ev, const qemu_driver *drv, const char *name, bool config)
{
    watch_dom *d = dom_find(ev, name);
    bool known = d != NULL;
    if (!d) {
        d = dom_new(name);
    }
    watch_dom was = *d;
    history h;
    if (!observe(ev, drv, d, config, &h) || (!known && !d->defined)) {
        history_clear(&h);
        if (!known)
            dom_remove(ev, d) /* never linked: frees it */;
        return;
    }
    if (!known) {
        d->next = ev->doms;
        ev->doms = d;
    }
    const unsigned char *uuid = d->has_uuid ? d->uuid : NULL;
    /* A created (transient) domain is reported started, not defined, as
     * libvirt reports it. */
    if (!was.defined && d->defined && !qemu_transient_is(drv, name))
        vp_plugin_event_emit(ev->sink, name, uuid, VP_DOMAIN_EVENT_DEFINED,
                             VP_DOMAIN_EVENT_DEFINED_ADDED);
    else if (was.defined && d->defined && config &&
             (was.ino != d->ino || was.size != d->size || was.mtime.tv_sec != d->mtime.tv_sec ||
              was.mtime.tv_nsec != d->mtime.tv_nsec))
        vp_plugin_event_emit(ev->sink, name, uuid, VP_DOMAIN_EVENT_DEFINED,
                             VP_DOMAIN_EVENT_DEFINED_UPDATED);
    int state = was.state;
    /* Transitions another process made since the last look, each of them,
     * when the history still reaches back to it. */
    if (known && h.last_seq > was.seq && h.n && h.e[0].seq <= was.seq + 1) {
        for (size_t i = 0; i < h.n; i++) {
            if (h.e[i].seq <= was.seq)
                continue;
            if (h.e[i].note && is_panicked(h.e[i].note)) {
                state = pass_crashed(ev, name, uuid, state);
                continue;
            }
            if (h.e[i].note) {
                emit_note(ev, name, uuid, h.e[i].note);
                continue;
            }
            vp_plugin_event_emit_transition(ev->sink, name, uuid, state, h.e[i].state,
                                            h.e[i].reason);
            state = h.e[i].state;
        }
    }
    d->seq = h.last_seq;
    history_clear(&h);
    if (d->panicked)
        state = pass_crashed(ev, name, uuid, state);
    d->panicked = false;
    vp_plugin_event_emit_transition(ev->sink, name, uuid, state, d->state, d->reason);
    if (was.defined && !d->defined) {
        vp_plugin_event_emit(ev->sink, name, uuid, VP_DOMAIN_EVENT_UNDEFINED,
                             VP_DOMAIN_EVENT_UNDEFINED_REMOVED);
        dom_remove(ev, d);
    }
}

static void
touch(touched **list, size_t *n, const char *name, size_t len, bool config)
{
    for (size_t i = 0; i < *n; i++) {
        if (strlen((*list)[i].name) == len && strncmp((*list)[i].name, name, len) == 0) {
            (*list)[i].config |= config;
            return;
        }
    }
    *list = vp_renew(touched, *list, *n + 1);
    (*list)[(*n)++] = (touched){vp_strndup(name, len), config};
}

/* NAME@suffix with a valid NAME: its length, else 0. */
static size_t
stem(const char *file, const char *suffix)
{
    size_t len = strlen(file), slen = strlen(suffix);
    if (len <= slen || file[0] == '.' || strcmp(file + len - slen, suffix) != 0)
        return 0;
    _cleanup_free_ char *name = vp_strndup(file, len - slen);
    return qemu_domain_name_valid(name) ? len - slen : 0;
}

/* Every domain defined or watched: after an inotify overflow. */
static void
touch_all(qemu_events *ev, const qemu_driver *drv, touched **list, size_t *n)
{
    char **names = NULL;
    if (qemu_domain_list_names(drv, &names) >= 0)
        for (char **p = names; *p; p++)
            touch(list, n, *p, strlen(*p), true);
    vp_strv_free(names);
    for (watch_dom *d = ev->doms; d; d = d->next)
        touch(list, n, d->name, strlen(d->name), true);
}

static void
read_inotify(qemu_events *ev, const qemu_driver *drv, touched **list, size_t *n)
{
    char buf[16384] __attribute__((aligned(__alignof__(struct inotify_event))));
    for (;;) {
        ssize_t len = read(ev->infd, buf, sizeof(buf));
        if (len <= 0)
            return; /* EAGAIN: drained */
        for (char *p = buf; p < buf + len;) {
            const struct inotify_event *ie = (const struct inotify_event *)p;
            p += sizeof(*ie) + ie->len;
            if (ie->mask & IN_Q_OVERFLOW) {
                touch_all(ev, drv, list, n);
                continue;
            }
            if (!ie->len)
                continue;
            bool config = ie->wd == ev->wd_config;
            size_t l = stem(ie->name, config ? ".xml" : ".json");
            if (l)
                touch(list, n, ie->name, l, config);
        }
    }
}

/* Arm the timer for the soonest work a link waits for (or disarm it). */
static void
arm_timer(qemu_events *ev, int next_ms)
{
    struct itimerspec its = {0};
    if (next_ms >= 0) {
        /* 0 would disarm: the soonest is 1 ms. */
        long ms = next_ms > 0 ? next_ms : 1;
        its.it_value.tv_sec = ms / 1000;
        its.it_value.tv_nsec = (ms % 1000) * 1000000L;
    }
    timerfd_settime(ev->tfd, 0, &its, NULL);
}

/* Let every link do what it waits for; touch the domains whose records it
 * wrote, and arm the timer for the next work. */
static void
tick_links(qemu_events *ev, const qemu_driver *drv, touched **list, size_t *n)
{
    int soonest = -1;
    for (watch_dom *d = ev->doms; d; d = d->next) {
        int next = -1;
        if (d->link && qemu_evlink_tick(&d->link, ev->epfd, &d->qmp_src, drv, d->name, &next))
            touch(list, n, d->name, strlen(d->name), false);
        if (next >= 0 && (soonest < 0 || next < soonest))
            soonest = next;
    }
    arm_timer(ev, soonest);
}

int
qemu_event_read(void *priv)
{
    qemu_driver *drv = priv;
    qemu_events *ev = drv->events;
    struct epoll_event ready[64];
    touched *list = NULL;
    size_t n = 0;
    pthread_mutex_lock(&events_lock);
    int k = epoll_wait(ev->epfd, ready, 64, 0);
    for (int i = 0; i < k; i++) {
        const source *src = ready[i].data.ptr;
        uint64_t expirations;
        switch (src->kind) {
        case SRC_INOTIFY:
            read_inotify(ev, drv, &list, &n);
            break;
        case SRC_TIMER:
            if (read(ev->tfd, &expirations, sizeof(expirations)) < 0)
                VP_PLUGIN_DEBUG(QEMU_AREA, "cannot read the watch's timer: %s", strerror(errno));
            break;
        case SRC_PID:
            /* A QEMU ended: look at its domain before anyone writes. */
            touch(&list, &n, src->dom->name, strlen(src->dom->name), false);
            break;
        case SRC_QMP:
            /* Its events, into the record when this watch holds the
             * monitor: the look below reports them. */
            if (qemu_evlink_read(&src->dom->link, ev->epfd, drv, src->dom->name))
                touch(&list, &n, src->dom->name, strlen(src->dom->name), false);
            break;
        }
    }
    tick_links(ev, drv, &list, &n);
    for (size_t i = 0; i < n; i++) {
        update(ev, drv, list[i].name, list[i].config);
        free(list[i].name);
    }
    pthread_mutex_unlock(&events_lock);
    free(list);
    return 0;
}

void
qemu_events_look(qemu_driver *drv, const char *name, bool config)
{
    touched *list = NULL;
    size_t n = 0;
    pthread_mutex_lock(&events_lock);
    if (drv->events && qemu_domain_name_valid(name)) {
        update(drv->events, drv, name, config);
        /* A link the look opened may want the timer. */
        tick_links(drv->events, drv, &list, &n);
        for (size_t i = 0; i < n; i++)
            update(drv->events, drv, list[i].name, list[i].config);
    }
    pthread_mutex_unlock(&events_lock);
    for (size_t i = 0; i < n; i++)
        free(list[i].name);
    free(list);
}

static void
events_free(qemu_events *ev)
{
    while (ev->doms)
        dom_remove(ev, ev->doms);
    if (ev->infd >= 0)
        close(ev->infd);
    if (ev->tfd >= 0)
        close(ev->tfd);
    if (ev->epfd >= 0)
        close(ev->epfd);
    free(ev);
}

static int
watch_dir(qemu_events *ev, const char *dir, int *ret_wd)
{
    int wd =
        inotify_add_watch(ev->infd, dir, IN_CLOSE_WRITE | IN_MOVED_TO | IN_MOVED_FROM | IN_DELETE);
    if (wd < 0)
        return vp_plugin_error_set_errno(VP_ERR_SYSTEM, errno, "cannot watch directory '%s'", dir);
    *ret_wd = wd;
    return 0;
}

int
qemu_event_open(void *priv, vp_plugin_event_sink *sink, int *ret_fd)
{
    qemu_driver *drv = priv;
    qemu_events *ev = vp_new0(qemu_events, 1);
    ev->infd = ev->tfd = -1;
    ev->inotify_src = (source){SRC_INOTIFY, NULL};
    ev->timer_src = (source){SRC_TIMER, NULL};
    ev->epfd = epoll_create1(EPOLL_CLOEXEC);
    if (ev->epfd < 0) {
        events_free(ev);
        return vp_plugin_error_set_errno(VP_ERR_SYSTEM, errno, "cannot create an epoll descriptor");
    }
    ev->infd = inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
    if (ev->infd < 0) {
        events_free(ev);
        return vp_plugin_error_set_errno(VP_ERR_SYSTEM, errno,
                                         "cannot create an inotify descriptor");
    }
    ev->tfd = timerfd_create(CLOCK_MONOTONIC, TFD_NONBLOCK | TFD_CLOEXEC);
    if (ev->tfd < 0) {
        events_free(ev);
        return vp_plugin_error_set_errno(VP_ERR_SYSTEM, errno, "cannot create a timer descriptor");
    }
    struct epoll_event e = {.events = EPOLLIN, .data.ptr = &ev->inotify_src};
    struct epoll_event t = {.events = EPOLLIN, .data.ptr = &ev->timer_src};
    int r = epoll_ctl(ev->epfd, EPOLL_CTL_ADD, ev->infd, &e) < 0 ||
                    epoll_ctl(ev->epfd, EPOLL_CTL_ADD, ev->tfd, &t) < 0
                ? vp_plugin_error_set_errno(VP_ERR_SYSTEM, errno, "cannot watch inotify")
                : 0;
    if (r >= 0)
        r = watch_dir(ev, drv->config_dir, &ev->wd_config);
    if (r >= 0)
        r = watch_dir(ev, drv->runtime_dir, &ev->wd_runtime);
    if (r < 0) {
        events_free(ev);
        return r;
    }
    /* What is there now is the starting point: nothing is reported of it. */
    char **names = NULL;
    if (qemu_domain_list_names(drv, &names) >= 0) {
        for (char **p = names; *p; p++) {
            watch_dom *d = dom_new(*p);
            d->next = ev->doms;
            ev->doms = d;
            history h;
            observe(ev, drv, d, true, &h);
            d->seq = h.last_seq;
            history_clear(&h);
        }
    }
    vp_strv_free(names);
    ev->sink = sink;
    pthread_mutex_lock(&events_lock);
    touched *list = NULL;
    size_t n = 0;
    tick_links(ev, drv, &list, &n); /* connects and arms the timer; nothing to report yet */
    for (size_t i = 0; i < n; i++)
        free(list[i].name);
    free(list);
    drv->events = ev;
    pthread_mutex_unlock(&events_lock);
    *ret_fd = ev->epfd;
    return 0;
}

void
qemu_event_close(void *priv)
{
    qemu_driver *drv = priv;
    pthread_mutex_lock(&events_lock);
    if (drv->events)
        events_free(drv->events);
    drv->events = NULL;
    pthread_mutex_unlock(&events_lock);
}
