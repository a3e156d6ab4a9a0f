/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Copyright (C) 2026 The virtplug developers */
/*
 * qemu-monitor.c: the QMP client of the QEMU driver.
 *
 * Owns one QMP connection: greeting and version check, capabilities
 * negotiation, commands matched to their replies by a unique id, and a queue
 * of the events that arrive meanwhile (QEMU may send the events a command
 * causes before its reply). Every wait has a deadline. It never interprets
 * what a command means for a domain (that is the driver's job), never
 * retries a command (QMP commands are not idempotent), and after a protocol
 * break (garbage, disconnect) it refuses further use instead of guessing
 * where the next message starts.
 */
#include <config.h>

#include <errno.h>
#include <inttypes.h>
#include <stdbool.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/uio.h>

#include <virtplug/sdk/alloc.h>
#include <virtplug/sdk/services.h>

#include "qemu-json.h"
#include "qemu-monitor.h"

/* An event flood must not grow memory without bound; the oldest events are
 * the least useful to a caller that has not looked for them yet. */
#define MAX_QUEUED_EVENTS 1024

struct qemu_monitor {
    qemu_json_io io;
    char *path;
    char *version; /* "7.2.22" */
    unsigned int major;
    uint64_t next_id;
    json_object **events; /* queued events, oldest first */
    size_t n_events;
    char *last_error_class; /* class of the last QMP error reply */
    bool broken;            /* a protocol break happened: no further use */
};

void
qemu_monitor_close(qemu_monitor *mon)
{
    if (!mon)
        return;
    qemu_json_io_close(&mon->io);
    for (size_t i = 0; i < mon->n_events; i++)
        json_object_put(mon->events[i]);
    free(mon->events);
    free(mon->path);
    free(mon->version);
    free(mon->last_error_class);
    free(mon);
}

VP_DEFINE_CLEANUP(qemu_monitor, qemu_monitor_close)
VP_DEFINE_CLEANUP(json_object, json_object_put)

const char *
qemu_monitor_get_version(const qemu_monitor *mon)
{
    return mon->version;
}

int
qemu_monitor_has_command(qemu_monitor *mon, const char *name, int timeout_ms, bool *ret_has)
{
    _cleanup_(json_object_putp) json_object *list = NULL;
    int r = qemu_monitor_command(mon, "query-commands", NULL, timeout_ms, &list);
    if (r < 0)
        return r;
    bool has = false;
    for (size_t i = 0; !has && i < json_object_array_length(list); i++) {
        json_object *c = json_object_array_get_idx(list, i), *n;
        has = json_object_object_get_ex(c, "name", &n) &&
              strcmp(json_object_get_string(n), name) == 0;
    }
    *ret_has = has;
    return 0;
}

const char *
qemu_monitor_last_error_class(const qemu_monitor *mon)
{
    return mon->last_error_class;
}

static int64_t
deadline_after(int timeout_ms)
{
    return timeout_ms < 0 ? -1 : qemu_json_now_ms() + timeout_ms;
}

/* Milliseconds until @deadline (0 when past), or -1 for no deadline. */
static int
time_left(int64_t deadline)
{
    if (deadline < 0)
        return -1;
    int64_t left = deadline - qemu_json_now_ms();
    return left <= 0 ? 0 : (int)left;
}

/* Turn an I/O or limit status into the error the user sees. @what: "the
 * reply to 'query-status'", "the QMP greeting". */
static int
io_error(qemu_monitor *mon, qemu_json_status st, const char *what, int timeout_ms)
{
    switch (st) {
    case QEMU_JSON_TIMEOUT:
        return vp_plugin_error_set(VP_ERR_TIMEOUT,
                                   "QEMU did not send %s within %d ms on monitor '%s'", what,
                                   timeout_ms, mon->path);
    case QEMU_JSON_EOF:
        mon->broken = true;
        return vp_plugin_error_set(VP_ERR_PROTOCOL,
                                   "QMP connection closed by QEMU while waiting for %s", what);
    case QEMU_JSON_TOO_LONG:
        mon->broken = true;
        return vp_plugin_error_set(
            VP_ERR_PROTOCOL,
            "QEMU sent a QMP message longer than the limit of %u bytes while waiting for %s on monitor '%s'",
            QEMU_JSON_MAX_LINE, what, mon->path);
    case QEMU_JSON_TOO_DEEP:
        /* The whole line was read: the stream is still in step, only this
         * message is lost, so the connection stays usable. */
        return vp_plugin_error_set(
            VP_ERR_PROTOCOL,
            "QEMU sent a QMP message nesting deeper than the limit of %d levels while waiting for %s on monitor '%s'",
            QEMU_JSON_MAX_DEPTH, what, mon->path);
    default:
        mon->broken = true;
        return vp_plugin_error_set_errno(VP_ERR_SYSTEM, errno, "cannot talk to QEMU monitor '%s'",
                                         mon->path);
    }
}

/* Read the next message as a JSON object. */
static int
read_message(qemu_monitor *mon, int64_t deadline, const char *what, int timeout_ms,
             json_object **ret_msg)
{
    _cleanup_free_ char *line = NULL;
    qemu_json_status st = qemu_json_io_read_line(&mon->io, deadline, &line);
    if (st != QEMU_JSON_OK)
        return io_error(mon, st, what, timeout_ms);
    json_object *msg = NULL;
    st = qemu_json_parse_object(line, &msg);
    if (st == QEMU_JSON_INVALID) {
        _cleanup_free_ char *ex = qemu_json_excerpt(line, 80);
        mon->broken = true;
        return vp_plugin_error_set(
            VP_ERR_PROTOCOL,
            "QEMU sent a QMP message that is not a JSON object while waiting for %s: '%s'", what,
            ex);
    }
    if (st != QEMU_JSON_OK)
        return io_error(mon, st, what, timeout_ms);
    *ret_msg = msg;
    return 0;
}

/* Keep @msg if it is an event (taking the reference); true if it was one. */
static bool
queue_if_event(qemu_monitor *mon, json_object *msg)
{
    json_object *name;
    if (!json_object_object_get_ex(msg, "event", &name) ||
        !json_object_is_type(name, json_type_string))
        return false;
    if (mon->n_events == MAX_QUEUED_EVENTS) {
        VP_PLUGIN_DEBUG("qemu", "QMP event queue full, dropping the oldest event '%s'",
                        json_object_get_string(json_object_object_get(mon->events[0], "event")));
        json_object_put(mon->events[0]);
        memmove(mon->events, mon->events + 1, (mon->n_events - 1) * sizeof(*mon->events));
        mon->n_events--;
    }
    mon->events = vp_renew(json_object *, mon->events, mon->n_events + 1);
    mon->events[mon->n_events++] = msg;
    VP_PLUGIN_DEBUG("qemu", "QMP event '%s' queued", json_object_get_string(name));
    return true;
}

static int
check_usable(qemu_monitor *mon)
{
    if (mon->broken)
        return vp_plugin_error_set(
            VP_ERR_PROTOCOL,
            "QMP connection to '%s' is unusable after an earlier protocol error; reconnect to QEMU",
            mon->path);
    return 0;
}

/* The error of a QMP error reply: class and description. */
static int
reply_error(qemu_monitor *mon, const char *command, json_object *err)
{
    json_object *cls = json_object_object_get(err, "class");
    json_object *desc = json_object_object_get(err, "desc");
    const char *c = cls ? json_object_get_string(cls) : "GenericError";
    free(mon->last_error_class);
    mon->last_error_class = vp_strdup(c);
    int code = strcmp(c, "CommandNotFound") == 0 ? VP_ERR_NOT_SUPPORTED : VP_ERR_OPERATION_INVALID;
    return vp_plugin_error_set(code, "QMP command '%s' failed: %s: %s", command, c,
                               desc ? json_object_get_string(desc) : "(no description)");
}

/* Is @msg the reply to the command with @id? Replies without an id are
 * QEMU's answer to input it could not parse, which can only be ours. */
static bool
is_our_reply(json_object *msg, int64_t id)
{
    json_object *got;
    if (!json_object_object_get_ex(msg, "id", &got))
        return json_object_object_get_ex(msg, "error", NULL);
    return json_object_is_type(got, json_type_int) && json_object_get_int64(got) == id;
}

/* The line of QMP command @command with @args and @id. (transfer full) */
static char *
command_line(const char *command, json_object *args, int64_t id)
{
    _cleanup_(json_object_putp) json_object *cmd = json_object_new_object();
    json_object_object_add(cmd, "execute", json_object_new_string(command));
    if (args)
        json_object_object_add(cmd, "arguments", json_object_get(args));
    json_object_object_add(cmd, "id", json_object_new_int64(id));
    return qemu_json_to_line(cmd);
}

static int
send_command(qemu_monitor *mon, const char *command, json_object *args, int64_t id,
             int64_t deadline, int timeout_ms)
{
    _cleanup_free_ char *line = command_line(command, args, id);
    /* A display password never reaches the debug log. */
    if (strcmp(command, "set_password") == 0)
        VP_PLUGIN_DEBUG("qemu", "QMP send: set_password (arguments withheld)");
    else
        VP_PLUGIN_DEBUG("qemu", "QMP send: %.*s", (int)strlen(line) - 1, line);
    qemu_json_status st = qemu_json_io_write(&mon->io, line, strlen(line), deadline);
    if (st != QEMU_JSON_OK) {
        _cleanup_free_ char *what = vp_asprintf("QMP command '%s' to be accepted", command);
        /* Part of the command may be on the wire: the stream is garbled. */
        mon->broken = true;
        return io_error(mon, st, what, timeout_ms);
    }
    return 0;
}

/* Read until the reply of command @id, queueing the events met. */
static int
await_reply(qemu_monitor *mon, const char *command, int64_t id, int64_t deadline, int timeout_ms,
            json_object **ret_return)
{
    _cleanup_free_ char *what = vp_asprintf("the reply to QMP command '%s'", command);
    int r;
    for (;;) {
        _cleanup_(json_object_putp) json_object *msg = NULL;
        r = read_message(mon, deadline, what, timeout_ms, &msg);
        if (r < 0)
            return r;
        if (queue_if_event(mon, msg)) {
            msg = NULL;
            continue;
        }
        json_object *val, *err;
        bool has_return = json_object_object_get_ex(msg, "return", &val);
        bool has_error = json_object_object_get_ex(msg, "error", &err);
        if (!has_return && !has_error) {
            VP_PLUGIN_DEBUG("qemu", "QMP: ignoring a message that is neither event nor reply");
            continue;
        }
        if (!is_our_reply(msg, id)) {
            VP_PLUGIN_DEBUG("qemu", "QMP: discarding stale reply %s while waiting for id %" PRId64,
                            json_object_to_json_string(json_object_object_get(msg, "id")), id);
            continue;
        }
        if (has_error)
            return reply_error(mon, command, err);
        if (ret_return)
            *ret_return = json_object_get(val);
        return 0;
    }
}

int
qemu_monitor_command(qemu_monitor *mon, const char *command, json_object *args, int timeout_ms,
                     json_object **ret_return)
{
    int r = check_usable(mon);
    if (r < 0)
        return r;
    int64_t deadline = deadline_after(timeout_ms);
    /* A small integer: QEMU reads QMP input a byte at a time, one main
     * loop iteration each, so every byte of a command costs latency. */
    int64_t id = (int64_t)++mon->next_id;
    r = send_command(mon, command, args, id, deadline, timeout_ms);
    return r < 0 ? r : await_reply(mon, command, id, deadline, timeout_ms, ret_return);
}

int
qemu_monitor_command_fd(qemu_monitor *mon, const char *command, json_object *args, int fd,
                        int timeout_ms, json_object **ret_return)
{
    int r = check_usable(mon);
    if (r < 0)
        return r;
    if (mon->io.pipes)
        return vp_plugin_error_set(
            VP_ERR_NOT_SUPPORTED,
            "cannot pass a descriptor to QEMU over monitor '%s': it is not a socket", mon->path);
    int64_t deadline = deadline_after(timeout_ms);
    int64_t id = (int64_t)++mon->next_id;
    _cleanup_free_ char *line = command_line(command, args, id);
    VP_PLUGIN_DEBUG("qemu", "QMP send with descriptor %d: %.*s", fd, (int)strlen(line) - 1, line);
    /* The descriptor rides on the first byte; QEMU takes it with the
     * command that byte belongs to. */
    union {
        char buf[CMSG_SPACE(sizeof(int))];
        struct cmsghdr align;
    } ctl;
    memset(&ctl, 0, sizeof(ctl));
    struct iovec iov = {.iov_base = line, .iov_len = 1};
    struct msghdr msg = {.msg_iov = &iov,
                         .msg_iovlen = 1,
                         .msg_control = ctl.buf,
                         .msg_controllen = sizeof(ctl.buf)};
    struct cmsghdr *c = CMSG_FIRSTHDR(&msg);
    c->cmsg_level = SOL_SOCKET;
    c->cmsg_type = SCM_RIGHTS;
    c->cmsg_len = CMSG_LEN(sizeof(int));
    memcpy(CMSG_DATA(c), &fd, sizeof(int));
    ssize_t n;
    do
        n = sendmsg(mon->io.fd, &msg, MSG_NOSIGNAL);
    while (n < 0 && errno == EINTR);
    if (n != 1) {
        mon->broken = true;
        return vp_plugin_error_set_errno(VP_ERR_SYSTEM, n < 0 ? errno : EIO,
                                         "cannot pass a descriptor to QEMU over monitor '%s'",
                                         mon->path);
    }
    qemu_json_status st = qemu_json_io_write(&mon->io, line + 1, strlen(line) - 1, deadline);
    if (st != QEMU_JSON_OK) {
        _cleanup_free_ char *what = vp_asprintf("QMP command '%s' to be accepted", command);
        mon->broken = true;
        return io_error(mon, st, what, timeout_ms);
    }
    return await_reply(mon, command, id, deadline, timeout_ms, ret_return);
}

/* Remove and return the first queued event named @name, or NULL. */
static json_object *
unqueue_event(qemu_monitor *mon, const char *name)
{
    for (size_t i = 0; i < mon->n_events; i++) {
        json_object *ev = mon->events[i];
        if (strcmp(json_object_get_string(json_object_object_get(ev, "event")), name) != 0)
            continue;
        memmove(mon->events + i, mon->events + i + 1, (mon->n_events - i - 1) * sizeof(ev));
        mon->n_events--;
        return ev;
    }
    return NULL;
}

int
qemu_monitor_wait_event(qemu_monitor *mon, const char *name, int timeout_ms,
                        json_object **ret_event)
{
    int64_t deadline = deadline_after(timeout_ms);
    _cleanup_free_ char *what = vp_asprintf("event '%s'", name);
    for (;;) {
        json_object *ev = unqueue_event(mon, name);
        if (ev) {
            if (ret_event)
                *ret_event = ev;
            else
                json_object_put(ev);
            return 0;
        }
        int r = check_usable(mon);
        if (r < 0)
            return r;
        _cleanup_(json_object_putp) json_object *msg = NULL;
        r = read_message(mon, deadline, what, timeout_ms, &msg);
        if (r < 0)
            return r;
        if (queue_if_event(mon, msg))
            msg = NULL;
        else
            VP_PLUGIN_DEBUG("qemu", "QMP: discarding stale reply while waiting for event '%s'",
                            name);
    }
}

size_t
qemu_monitor_queued_events(const qemu_monitor *mon)
{
    return mon->n_events;
}

/* Check the greeting and keep QEMU's version. */
static int
parse_greeting(qemu_monitor *mon, json_object *greeting)
{
    json_object *qmp, *ver, *qemu, *v;
    int64_t part[3] = {0, 0, 0};
    static const char *const names[3] = {"major", "minor", "micro"};
    if (!json_object_object_get_ex(greeting, "QMP", &qmp) ||
        !json_object_object_get_ex(qmp, "version", &ver) ||
        !json_object_object_get_ex(ver, "qemu", &qemu))
        return vp_plugin_error_set(
            VP_ERR_PROTOCOL,
            "'%s' did not greet like a QMP monitor (no QMP version in the greeting)", mon->path);
    for (int i = 0; i < 3; i++) {
        if (json_object_object_get_ex(qemu, names[i], &v))
            part[i] = json_object_get_int64(v);
    }
    mon->version = vp_asprintf("%" PRId64 ".%" PRId64 ".%" PRId64, part[0], part[1], part[2]);
    mon->major = (unsigned int)part[0];
    if (part[0] < 6)
        return vp_plugin_error_set(
            VP_ERR_NOT_SUPPORTED,
            "QEMU %s at '%s' is too old: virtplug needs QEMU 6.0 or newer; upgrade QEMU",
            mon->version, mon->path);
    return 0;
}

/* Greeting, version check, negotiation on the connected mon->io. */
static int
handshake(qemu_monitor *mon, int timeout_ms)
{
    int64_t deadline = deadline_after(timeout_ms);
    _cleanup_(json_object_putp) json_object *greeting = NULL;
    int r;
    /* QEMU serves its monitor from an I/O thread and emits events from its
     * main thread: an event meant for the client before this one can come
     * ahead of the greeting. It is nobody's now. */
    for (int stale = 0;; stale++) {
        r = read_message(mon, deadline, "the QMP greeting", timeout_ms, &greeting);
        if (r < 0)
            return r;
        json_object *name;
        if (stale == MAX_QUEUED_EVENTS || json_object_object_get_ex(greeting, "QMP", NULL) ||
            !json_object_object_get_ex(greeting, "event", &name))
            break;
        VP_PLUGIN_DEBUG("qemu", "QMP: event '%s' ahead of the greeting on '%s', discarded",
                        json_object_get_string(name), mon->path);
        json_object_put(VP_STEAL_PTR(greeting));
    }
    r = parse_greeting(mon, greeting);
    if (r < 0)
        return r;
    r = qemu_monitor_command(mon, "qmp_capabilities", NULL, time_left(deadline), NULL);
    if (r < 0)
        return r;
    VP_PLUGIN_DEBUG("qemu", "QMP connected to '%s', QEMU %s", mon->path, mon->version);
    return 0;
}

int
qemu_monitor_open(const char *path, int timeout_ms, qemu_monitor **ret_mon)
{
    _cleanup_(qemu_monitor_closep) qemu_monitor *mon = vp_new0(qemu_monitor, 1);
    mon->io.fd = -1;
    mon->path = vp_strdup(path);
    if (qemu_json_io_connect(&mon->io, path) != QEMU_JSON_OK)
        return vp_plugin_error_set_errno(VP_ERR_SYSTEM, errno,
                                         "cannot connect to QEMU monitor socket '%s'", path);
    int r = handshake(mon, timeout_ms);
    if (r < 0)
        return r;
    *ret_mon = VP_STEAL_PTR(mon);
    return 0;
}

int
qemu_monitor_open_fd(int fd, const char *label, int timeout_ms, qemu_monitor **ret_mon)
{
    _cleanup_(qemu_monitor_closep) qemu_monitor *mon = vp_new0(qemu_monitor, 1);
    mon->path = vp_strdup(label);
    if (qemu_json_io_adopt(&mon->io, fd) != QEMU_JSON_OK)
        return vp_plugin_error_set_errno(VP_ERR_SYSTEM, errno, "cannot use the QMP connection '%s'",
                                         label);
    int r = handshake(mon, timeout_ms);
    if (r < 0)
        return r;
    *ret_mon = VP_STEAL_PTR(mon);
    return 0;
}
