/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Copyright (C) 2026 The virtplug developers */
/*
 * qemu-agent.c: the guest-agent (qemu-ga) client of the QEMU driver.
 *
 * Owns one connection to a guest agent and whether it is synchronised. The
 * agent answers requests one at a time, in order, with no cancellation: a
 * request whose answer we stopped waiting for is still executed and its
 * late reply arrives later, possibly on the next connection. So on every
 * connect and after every timeout or garbled reply the client sends 0xFF and
 * guest-sync-delimited with a fresh random id, and throws away everything
 * until that id comes back. It never guesses which reply belongs to whom,
 * never waits without a deadline, and never decides what a command means
 * for the guest (the snapshot state machine does).
 *
 * The agent is reached at a path: a unix socket QEMU listens on, or (what
 * the driver gives QEMU itself) the FIFO pair PATH.in and PATH.out of a
 * "pipe" chardev. Through a socket, every disconnect tells the guest the
 * host went away and qemu-ga takes 20 to 50 ms to answer the next client;
 * the FIFOs stay open in QEMU, so the guest never sees one, and a client's
 * first answer comes in a millisecond or two. A FIFO admits any number of
 * writers, so the client holds the lock file PATH.lock while it is
 * connected (a socket lets QEMU serve one client at a time by itself).
 */
#include <config.h>

#include <errno.h>
#include <inttypes.h>
#include <stdbool.h>
#include <string.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <unistd.h>

#include <virtplug/sdk/alloc.h>
#include <virtplug/sdk/services.h>

#include "qemu-agent.h"
#include "qemu-json.h"

struct qemu_agent {
    qemu_json_io io;
    char *path;
    char *who;   /* "guest agent of domain 'x'" or "guest agent at '/p/qga.sock'" */
    bool synced; /* replies on this connection are in step with our requests */
    uint64_t next_id;
    int64_t sync_id; /* the id of the last sync sent */
    int lock_fd;     /* PATH.lock while connected through FIFOs; else -1 */
};

void
qemu_agent_close(qemu_agent *agent)
{
    if (!agent)
        return;
    qemu_json_io_close(&agent->io);
    vp_plugin_lock_release(agent->lock_fd);
    free(agent->path);
    free(agent->who);
    free(agent);
}

VP_DEFINE_CLEANUP(qemu_agent, qemu_agent_close)
VP_DEFINE_CLEANUP(json_object, json_object_put)

static int64_t
deadline_after(int timeout_ms)
{
    return timeout_ms < 0 ? -1 : qemu_json_now_ms() + timeout_ms;
}

/* A fresh id no earlier connection can have used: random, and small enough
 * (53 bits) that no JSON implementation rounds it. */
static int64_t
fresh_sync_id(void)
{
    uint64_t v = 0;
    if (getrandom(&v, sizeof(v), GRND_NONBLOCK) != (ssize_t)sizeof(v))
        v = (uint64_t)qemu_json_now_ms() * 2654435761u ^ (uint64_t)getpid();
    return (int64_t)((v & ((UINT64_C(1) << 53) - 1)) | 1);
}

/* The part of a line after its last 0xFF byte: the agent writes 0xFF right
 * before the sync reply, so whatever precedes it is leftovers. */
static const char *
after_sentinel(const char *line)
{
    const char *ff = strrchr(line, '\xff');
    return ff ? ff + 1 : line;
}

/* Connection trouble: the stream is unusable, drop it; the next command
 * connects again. */
static int
lost(qemu_agent *agent, qemu_json_status st, const char *what)
{
    int e = errno;
    qemu_json_io_close(&agent->io);
    agent->synced = false;
    if (st == QEMU_JSON_CANCELLED)
        return vp_plugin_error_set(VP_ERR_OPERATION_INVALID,
                                   "waiting on the %s for %s cancelled by vp_conn_cancel_jobs",
                                   agent->who, what);
    if (st == QEMU_JSON_ERRNO)
        return vp_plugin_error_set_errno(VP_ERR_SYSTEM, e, "cannot talk to the %s", agent->who);
    if (st == QEMU_JSON_TOO_LONG)
        return vp_plugin_error_set(
            VP_ERR_PROTOCOL,
            "the %s sent a line longer than the limit of %u bytes while waiting for %s", agent->who,
            QEMU_JSON_MAX_LINE, what);
    return vp_plugin_error_set(VP_ERR_PROTOCOL, "the %s closed the connection while waiting for %s",
                               agent->who, what);
}

/* A whole line came that is no reply: garbage (the stream may be out of
 * step) or a message nesting too deep (it is not). Either way the next
 * command resyncs first. */
static int
garbled(qemu_agent *agent, qemu_json_status st, const char *command, const char *line)
{
    agent->synced = false;
    if (st == QEMU_JSON_TOO_DEEP)
        return vp_plugin_error_set(
            VP_ERR_PROTOCOL,
            "the %s sent a line nesting deeper than the limit of %d levels in reply to '%s'",
            agent->who, QEMU_JSON_MAX_DEPTH, command);
    _cleanup_free_ char *ex = qemu_json_excerpt(line, 80);
    return vp_plugin_error_set(
        VP_ERR_PROTOCOL, "the %s sent a line that is not a JSON object in reply to '%s': '%s'",
        agent->who, command, ex);
}

static int
unresponsive(qemu_agent *agent, const char *command, int timeout_ms)
{
    agent->synced = false;
    return vp_plugin_error_set(
        VP_ERR_AGENT_UNRESPONSIVE,
        "the %s did not answer '%s' within %d ms; check that qemu-ga runs in the guest", agent->who,
        command, timeout_ms);
}

bool
qemu_agent_path_is_pipe(const char *path)
{
    _cleanup_free_ char *in = vp_asprintf("%s.in", path);
    struct stat st;
    return lstat(in, &st) == 0 && S_ISFIFO(st.st_mode);
}

/* Through the FIFO pair at @agent->path: take its lock (held until the
 * agent is closed), then open both ends. */
static int
connect_pipes(qemu_agent *agent, int timeout_ms)
{
    if (agent->lock_fd < 0) {
        _cleanup_free_ char *lock = vp_asprintf("%s.lock", agent->path);
        int r = vp_plugin_lock_acquire(lock, agent->who, timeout_ms < 0 ? 30000 : timeout_ms,
                                       &agent->lock_fd);
        if (r < 0)
            return r;
    }
    if (qemu_json_io_open_pipes(&agent->io, agent->path) != QEMU_JSON_OK)
        return vp_plugin_error_set_errno(VP_ERR_SYSTEM, errno,
                                         "cannot connect to the %s (pipes '%s.in' and '%s.out')",
                                         agent->who, agent->path, agent->path);
    agent->synced = false;
    return 0;
}

static int
ensure_connected(qemu_agent *agent, int timeout_ms)
{
    if (agent->io.fd >= 0)
        return 0;
    if (!agent->path)
        return vp_plugin_error_set(
            VP_ERR_PROTOCOL,
            "the connection to the %s was closed and was handed over as a descriptor; open it again",
            agent->who);
    if (qemu_agent_path_is_pipe(agent->path))
        return connect_pipes(agent, timeout_ms);
    if (qemu_json_io_connect(&agent->io, agent->path) != QEMU_JSON_OK)
        return vp_plugin_error_set_errno(VP_ERR_SYSTEM, errno,
                                         "cannot connect to the %s (socket '%s')", agent->who,
                                         agent->path);
    agent->synced = false;
    return 0;
}

/* Read lines until the sync reply carrying agent->sync_id. */
static int
await_sync(qemu_agent *agent, int64_t deadline, int timeout_ms)
{
    for (;;) {
        _cleanup_free_ char *line = NULL;
        qemu_json_status st = qemu_json_io_read_line(&agent->io, deadline, &line);
        if (st == QEMU_JSON_TIMEOUT)
            return unresponsive(agent, "guest-sync-delimited", timeout_ms);
        if (st != QEMU_JSON_OK)
            return lost(agent, st, "the reply to 'guest-sync-delimited'");
        /* Whatever does not parse is a stray line too. */
        _cleanup_(json_object_putp) json_object *msg = NULL;
        (void)qemu_json_parse_object(after_sentinel(line), &msg);
        json_object *ret;
        if (msg && json_object_object_get_ex(msg, "return", &ret) &&
            json_object_is_type(ret, json_type_int) &&
            json_object_get_int64(ret) == agent->sync_id) {
            agent->synced = true;
            VP_PLUGIN_DEBUG("qemu", "%s synchronised (id %" PRId64 ")", agent->who, agent->sync_id);
            return 0;
        }
        _cleanup_free_ char *ex = qemu_json_excerpt(line, 80);
        VP_PLUGIN_DEBUG("qemu", "%s: ignoring delayed or stray line while syncing: '%s'",
                        agent->who, ex);
    }
}

int
qemu_agent_resync(qemu_agent *agent, int timeout_ms)
{
    int64_t deadline = deadline_after(timeout_ms);
    int r = ensure_connected(agent, timeout_ms);
    if (r < 0)
        return r;
    agent->synced = false;
    agent->sync_id = fresh_sync_id();
    /* The leading 0xFF makes the agent drop any half-read request of ours;
     * what we buffered so far predates the sync and is worthless. */
    qemu_json_io_discard(&agent->io);
    _cleanup_free_ char *req = vp_asprintf(
        "\xff{\"execute\":\"guest-sync-delimited\",\"arguments\":{\"id\":%" PRId64 "}}\n",
        agent->sync_id);
    qemu_json_status st = qemu_json_io_write(&agent->io, req, strlen(req), deadline);
    if (st == QEMU_JSON_TIMEOUT)
        return unresponsive(agent, "guest-sync-delimited", timeout_ms);
    if (st != QEMU_JSON_OK)
        return lost(agent, st, "'guest-sync-delimited' to be accepted");
    return await_sync(agent, deadline, timeout_ms);
}

int
qemu_agent_reconnect(qemu_agent *agent, int timeout_ms)
{
    qemu_json_io_close(&agent->io);
    agent->synced = false;
    return qemu_agent_resync(agent, timeout_ms);
}

void
qemu_agent_set_cancel_fd(qemu_agent *agent, int cancel_fd)
{
    agent->io.has_cancel = cancel_fd >= 0;
    agent->io.cancel_fd = cancel_fd;
}

int
qemu_agent_open_for(const char *path, const char *domain_name, int timeout_ms,
                    qemu_agent **ret_agent)
{
    return qemu_agent_open_cancellable(path, domain_name, timeout_ms, -1, ret_agent);
}

int
qemu_agent_open_cancellable(const char *path, const char *domain_name, int timeout_ms,
                            int cancel_fd, qemu_agent **ret_agent)
{
    _cleanup_(qemu_agent_closep) qemu_agent *agent = vp_new0(qemu_agent, 1);
    agent->io.fd = -1;
    agent->lock_fd = -1;
    qemu_agent_set_cancel_fd(agent, cancel_fd);
    agent->path = vp_strdup(path);
    agent->who = domain_name ? vp_asprintf("guest agent of domain '%s'", domain_name)
                             : vp_asprintf("guest agent at '%s'", path);
    int r = qemu_agent_resync(agent, timeout_ms);
    if (r < 0)
        return r;
    *ret_agent = VP_STEAL_PTR(agent);
    return 0;
}

int
qemu_agent_open_fd(int fd, const char *label, int timeout_ms, qemu_agent **ret_agent)
{
    _cleanup_(qemu_agent_closep) qemu_agent *agent = vp_new0(qemu_agent, 1);
    agent->io.fd = -1;
    agent->lock_fd = -1;
    agent->who = vp_asprintf("guest agent at '%s'", label);
    if (qemu_json_io_adopt(&agent->io, fd) != QEMU_JSON_OK)
        return vp_plugin_error_set_errno(VP_ERR_SYSTEM, errno, "cannot use the %s", agent->who);
    int r = qemu_agent_resync(agent, timeout_ms);
    if (r < 0)
        return r;
    *ret_agent = VP_STEAL_PTR(agent);
    return 0;
}

int
qemu_agent_open(const char *path, int timeout_ms, qemu_agent **ret_agent)
{
    return qemu_agent_open_for(path, NULL, timeout_ms, ret_agent);
}

bool
qemu_agent_is_synced(const qemu_agent *agent)
{
    return agent->io.fd >= 0 && agent->synced;
}

static int
reply_error(qemu_agent *agent, const char *command, json_object *err)
{
    json_object *cls = json_object_object_get(err, "class");
    json_object *desc = json_object_object_get(err, "desc");
    const char *c = cls ? json_object_get_string(cls) : "GenericError";
    int code = strcmp(c, "CommandNotFound") == 0 ? VP_ERR_NOT_SUPPORTED : VP_ERR_OPERATION_INVALID;
    return vp_plugin_error_set(code, "%s: command '%s' failed: %s: %s", agent->who, command, c,
                               desc ? json_object_get_string(desc) : "(no description)");
}

/* Is @msg our reply? qemu-ga echoes the id; a reply with another id is a
 * late answer to an earlier request. */
static bool
is_our_reply(json_object *msg, const char *id)
{
    json_object *got;
    if (!json_object_object_get_ex(msg, "return", NULL) &&
        !json_object_object_get_ex(msg, "error", NULL))
        return false;
    if (!json_object_object_get_ex(msg, "id", &got))
        return true;
    return json_object_is_type(got, json_type_string) &&
           strcmp(json_object_get_string(got), id) == 0;
}

/* Read until the reply to @id: 1 with @ret_return when it came, or its
 * error; at @deadline 0 when @polling (no error set, the stream stays in
 * step), else VP_ERR_AGENT_UNRESPONSIVE. */
static int
read_reply(qemu_agent *agent, const char *command, const char *id, int64_t deadline, int timeout_ms,
           bool polling, json_object **ret_return)
{
    for (;;) {
        _cleanup_free_ char *line = NULL;
        qemu_json_status st = qemu_json_io_read_line(&agent->io, deadline, &line);
        if (st == QEMU_JSON_TIMEOUT)
            return polling ? 0 : unresponsive(agent, command, timeout_ms);
        if (st != QEMU_JSON_OK) {
            _cleanup_free_ char *what = vp_asprintf("the reply to '%s'", command);
            return lost(agent, st, what);
        }
        _cleanup_(json_object_putp) json_object *msg = NULL;
        st = qemu_json_parse_object(after_sentinel(line), &msg);
        if (st != QEMU_JSON_OK)
            return garbled(agent, st, command, line);
        if (!is_our_reply(msg, id)) {
            _cleanup_free_ char *ex = qemu_json_excerpt(line, 80);
            VP_PLUGIN_DEBUG("qemu", "%s: ignoring delayed reply '%s' while waiting for '%s'",
                            agent->who, ex, command);
            continue;
        }
        json_object *err;
        if (json_object_object_get_ex(msg, "error", &err))
            return reply_error(agent, command, err);
        if (ret_return)
            *ret_return = json_object_get(json_object_object_get(msg, "return"));
        return 1;
    }
}

/* Write one request under a fresh id; @ret_id: (transfer full). */
static int
send_request(qemu_agent *agent, const char *command, json_object *args, int64_t deadline,
             int timeout_ms, char **ret_id)
{
    _cleanup_free_ char *id = vp_asprintf("vp-%" PRIu64, ++agent->next_id);
    _cleanup_(json_object_putp) json_object *cmd = json_object_new_object();
    json_object_object_add(cmd, "execute", json_object_new_string(command));
    if (args)
        json_object_object_add(cmd, "arguments", json_object_get(args));
    json_object_object_add(cmd, "id", json_object_new_string(id));
    _cleanup_free_ char *line = qemu_json_to_line(cmd);
    VP_PLUGIN_DEBUG("qemu", "%s: send %.*s", agent->who, (int)strlen(line) - 1, line);
    qemu_json_status st = qemu_json_io_write(&agent->io, line, strlen(line), deadline);
    if (st == QEMU_JSON_TIMEOUT)
        return unresponsive(agent, command, timeout_ms);
    if (st != QEMU_JSON_OK) {
        _cleanup_free_ char *what = vp_asprintf("'%s' to be accepted", command);
        return lost(agent, st, what);
    }
    if (ret_id)
        *ret_id = VP_STEAL_PTR(id);
    return 0;
}

int
qemu_agent_command(qemu_agent *agent, const char *command, json_object *args, int timeout_ms,
                   json_object **ret_return)
{
    int64_t deadline = deadline_after(timeout_ms);
    if (!qemu_agent_is_synced(agent)) {
        int r = qemu_agent_resync(agent, timeout_ms);
        if (r < 0)
            return r;
    }
    _cleanup_free_ char *id = NULL;
    int r = send_request(agent, command, args, deadline, timeout_ms, &id);
    if (r < 0)
        return r;
    r = read_reply(agent, command, id, deadline, timeout_ms, false, ret_return);
    return r < 0 ? r : 0;
}

int
qemu_agent_send_unanswered(qemu_agent *agent, const char *command, json_object *args,
                           int timeout_ms, char **ret_id)
{
    int64_t deadline = deadline_after(timeout_ms);
    if (!qemu_agent_is_synced(agent)) {
        int r = qemu_agent_resync(agent, timeout_ms);
        if (r < 0)
            return r;
    }
    return send_request(agent, command, args, deadline, timeout_ms, ret_id);
}

int
qemu_agent_poll_reply(qemu_agent *agent, const char *command, const char *id, int wait_ms,
                      json_object **ret_return)
{
    if (agent->io.fd < 0)
        return vp_plugin_error_set(VP_ERR_PROTOCOL,
                                   "cannot wait for the reply to '%s': the %s is not connected",
                                   command, agent->who);
    return read_reply(agent, command, id, deadline_after(wait_ms), wait_ms, true, ret_return);
}

int
qemu_agent_send_nowait(qemu_agent *agent, const char *command, json_object *args, int timeout_ms)
{
    if (agent->io.fd < 0)
        return vp_plugin_error_set(VP_ERR_PROTOCOL,
                                   "cannot send '%s': there is no connection to the %s", command,
                                   agent->who);
    int r = send_request(agent, command, args, deadline_after(timeout_ms), timeout_ms, NULL);
    /* The reply will arrive unread: only a resync may follow. */
    agent->synced = false;
    return r;
}
