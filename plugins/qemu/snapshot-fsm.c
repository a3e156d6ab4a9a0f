/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Copyright (C) 2026 The virtplug developers */
/*
 * snapshot-fsm.c: the snapshot state machine of the QEMU driver (contract
 * and rules in snapshot-fsm.h).
 *
 * Owns the order of one snapshot operation: validate, sync the agent,
 * freeze, snapshot, thaw, verify. The order lives in one explicit table of
 * (state, event) -> state; each state has one step function that talks to
 * QEMU or the agent and answers with an event. It never writes the snapshot
 * record (the driver does, after success), never sends anything before the
 * job is validated, and never leaves a sent freeze without a thaw: every
 * path out of FREEZING and FROZEN goes through THAWING in the table.
 */
#include <config.h>

#include <errno.h>
#include <inttypes.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <virtplug/sdk/alloc.h>
#include <virtplug/sdk/services.h>

#include "qemu-agent.h"
#include "qemu-json.h"
#include "snapshot-fsm.h"

#define S(x) QEMU_SNAP_##x
#define E(x) QEMU_SNAP_EV_##x

/* When a reply was read, for the outcome's frozen window. */
static int64_t
now_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

/* The whole machine. A (state, event) pair missing here is a bug. */
static const qemu_snap_transition fsm_table[] = {
    {S(INIT), E(START), S(CHECK_STATE)},
    {S(CHECK_STATE), E(QUIESCE), S(AGENT_SYNC)},
    {S(CHECK_STATE), E(NO_QUIESCE), S(SNAPSHOTTING)},
    {S(CHECK_STATE), E(NOT_RUNNING), S(FAILED)},
    {S(CHECK_STATE), E(ERROR), S(FAILED)},
    /* Rule 4: no freeze without a sync. */
    {S(AGENT_SYNC), E(OK), S(FREEZING)},
    {S(AGENT_SYNC), E(ERROR), S(FAILED)},
    {S(AGENT_SYNC), E(TIMEOUT), S(FAILED)},
    {S(AGENT_SYNC), E(LOST), S(FAILED)},
    /* Rule 2: once the freeze is sent, every way out leads to a thaw. */
    {S(FREEZING), E(OK), S(FROZEN)},
    {S(FREEZING), E(ERROR), S(THAWING)},
    {S(FREEZING), E(TIMEOUT), S(THAWING)},
    {S(FREEZING), E(LOST), S(THAWING)},
    {S(FROZEN), E(OK), S(THAWING)},
    {S(FROZEN), E(ERROR), S(THAWING)},
    {S(FROZEN), E(TIMEOUT), S(THAWING)},
    {S(FROZEN), E(LOST), S(THAWING)},
    {S(SNAPSHOTTING), E(OK), S(DONE)},
    {S(SNAPSHOTTING), E(ERROR), S(FAILED)},
    {S(SNAPSHOTTING), E(TIMEOUT), S(FAILED)},
    {S(SNAPSHOTTING), E(LOST), S(FAILED)},
    /* Rule 3: whatever the thaw answered, ask for the status. */
    {S(THAWING), E(OK), S(VERIFY_THAW)},
    {S(THAWING), E(ERROR), S(VERIFY_THAW)},
    {S(THAWING), E(TIMEOUT), S(VERIFY_THAW)},
    {S(THAWING), E(LOST), S(VERIFY_THAW)},
    {S(VERIFY_THAW), E(THAWED), S(DONE)},
    {S(VERIFY_THAW), E(THAWED_AFTER_FAILURE), S(FAILED)},
    {S(VERIFY_THAW), E(STILL_FROZEN), S(THAWING)},
    {S(VERIFY_THAW), E(UNCONFIRMED), S(FAILED)},
};

/* A thaw is retried once when the status still reads "frozen". */
#define MAX_THAW_ATTEMPTS 2

static const char *const state_names[] = {
    [S(INIT)] = "INIT",
    [S(CHECK_STATE)] = "CHECK_STATE",
    [S(AGENT_SYNC)] = "AGENT_SYNC",
    [S(FREEZING)] = "FREEZING",
    [S(FROZEN)] = "FROZEN",
    [S(SNAPSHOTTING)] = "SNAPSHOTTING",
    [S(THAWING)] = "THAWING",
    [S(VERIFY_THAW)] = "VERIFY_THAW",
    [S(DONE)] = "DONE",
    [S(FAILED)] = "FAILED",
};

static const char *const event_names[] = {
    [E(START)] = "START",
    [E(QUIESCE)] = "QUIESCE",
    [E(NO_QUIESCE)] = "NO_QUIESCE",
    [E(NOT_RUNNING)] = "NOT_RUNNING",
    [E(OK)] = "OK",
    [E(ERROR)] = "ERROR",
    [E(TIMEOUT)] = "TIMEOUT",
    [E(LOST)] = "LOST",
    [E(THAWED)] = "THAWED",
    [E(THAWED_AFTER_FAILURE)] = "THAWED_AFTER_FAILURE",
    [E(STILL_FROZEN)] = "STILL_FROZEN",
    [E(UNCONFIRMED)] = "UNCONFIRMED",
};

const char *
qemu_snap_state_name(qemu_snap_state state)
{
    return state < S(STATE_LAST) ? state_names[state] : "?";
}

const char *
qemu_snap_event_name(qemu_snap_event event)
{
    return event < E(LAST) ? event_names[event] : "?";
}

typedef struct fsm {
    const qemu_snapshot_job *job;
    qemu_snapshot_outcome *out;
    qemu_agent *agent;
    bool agent_fresh_needed; /* the last agent call timed out or lost the connection */
    int agent_ms, freeze_ms, qmp_ms, job_ms;
    int primary_code; /* the first failure of the operation */
    char *primary_msg;
    bool primary_is_final; /* the message already names domain and cause */
    int thaw_code;         /* the last failure to thaw or verify */
    char *thaw_msg;
} fsm;

static const char *
last_message(void)
{
    const vp_error *e = vp_error_last();
    return e && e->message ? e->message : "unknown error";
}

/* The event for a failed call, by its error code. */
/* The string member @key of @obj, "" when absent or not a string. */
static const char *
str_of(json_object *obj, const char *key)
{
    json_object *v = key ? json_object_object_get(obj, key) : obj;
    return json_object_is_type(v, json_type_string) ? json_object_get_string(v) : "";
}

static qemu_snap_event
event_for(int code)
{
    switch (code) {
    case VP_ERR_TIMEOUT:
    case VP_ERR_AGENT_UNRESPONSIVE:
        return E(TIMEOUT);
    case VP_ERR_PROTOCOL:
    case VP_ERR_SYSTEM:
        return E(LOST);
    default:
        return E(ERROR);
    }
}

/* Keep the first failure of the operation (the message just set). */
static qemu_snap_event
failed(fsm *f, int code)
{
    if (!f->primary_msg) {
        f->primary_code = code;
        f->primary_msg = vp_strdup(last_message());
    }
    return event_for(code);
}

static qemu_snap_event
agent_failed(fsm *f, int code)
{
    qemu_snap_event ev = event_for(code);
    if (ev != E(ERROR))
        f->agent_fresh_needed = true;
    return ev;
}

static const char *
state_word(int state)
{
    switch (state) {
    case VP_DOMAIN_PAUSED:
        return "paused";
    case VP_DOMAIN_SHUTOFF:
        return "shut off";
    case VP_DOMAIN_SHUTDOWN:
        return "shutting down";
    case VP_DOMAIN_CRASHED:
        return "crashed";
    case VP_DOMAIN_PMSUSPENDED:
        return "suspended by the guest";
    default:
        return "not running";
    }
}

/* Errors the state machine detects itself: the message is final. */
VP_PLUGIN_PRINTF(3, 4)
static qemu_snap_event
refuse(fsm *f, int code, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vp_plugin_error_setv(code, fmt, ap);
    va_end(ap);
    failed(f, code);
    f->primary_is_final = true;
    return E(ERROR);
}

static qemu_snap_event
check_disks(fsm *f)
{
    const qemu_snapshot_job *job = f->job;
    if (job->n_disks == 0)
        return refuse(f, VP_ERR_INVALID_ARG,
                      "disk-only snapshot '%s' of domain '%s' selects no disk", job->snapshot_name,
                      job->domain_name);
    for (size_t i = 0; i < job->n_disks; i++) {
        const qemu_snapshot_disk *d = &job->disks[i];
        if (!d->node_name || !d->overlay_path || d->overlay_path[0] != '/')
            return refuse(
                f, VP_ERR_INVALID_ARG,
                "disk %zu of snapshot '%s' of domain '%s' needs a node name and an absolute overlay path",
                i, job->snapshot_name, job->domain_name);
        /* Refused now, so that after a failed transaction every overlay
         * file that exists is one QEMU created and may be deleted. */
        if (access(d->overlay_path, F_OK) == 0)
            return refuse(
                f, VP_ERR_INVALID_ARG,
                "overlay file '%s' for domain '%s' already exists; choose another path or remove it",
                d->overlay_path, job->domain_name);
    }
    return E(OK);
}

static qemu_snap_event
step_check_state(fsm *f)
{
    const qemu_snapshot_job *job = f->job;
    bool quiesce = job->flags & VP_SNAPSHOT_CREATE_QUIESCE;
    bool disk_only = job->flags & VP_SNAPSHOT_CREATE_DISK_ONLY;
    if (quiesce && job->domain_state != VP_DOMAIN_RUNNING) {
        refuse(f, VP_ERR_OPERATION_INVALID, "cannot quiesce domain '%s': it is %s",
               job->domain_name, state_word(job->domain_state));
        return E(NOT_RUNNING);
    }
    if (quiesce && !disk_only)
        return refuse(
            f, VP_ERR_INVALID_ARG,
            "cannot quiesce domain '%s' for a snapshot with memory state; add the disk-only flag",
            job->domain_name);
    if (quiesce && !job->agent_path)
        return refuse(f, VP_ERR_OPERATION_INVALID,
                      "cannot quiesce domain '%s': it has no guest agent channel",
                      job->domain_name);
    if (job->domain_state != VP_DOMAIN_RUNNING && job->domain_state != VP_DOMAIN_PAUSED)
        return refuse(f, VP_ERR_OPERATION_INVALID,
                      "cannot snapshot domain '%s' through QEMU: it is %s", job->domain_name,
                      state_word(job->domain_state));
    if (!job->monitor || !job->snapshot_name)
        return refuse(f, VP_ERR_INVALID_ARG,
                      "snapshot job of domain '%s' lacks a monitor or a name", job->domain_name);
    if (disk_only) {
        if (check_disks(f) != E(OK))
            return E(ERROR);
    } else if (!job->vmstate_node || job->n_devices == 0) {
        return refuse(
            f, VP_ERR_INVALID_ARG,
            "snapshot '%s' of domain '%s' with memory state needs a qcow2 disk to hold it",
            job->snapshot_name, job->domain_name);
    }
    return quiesce ? E(QUIESCE) : E(NO_QUIESCE);
}

static qemu_snap_event
step_agent_sync(fsm *f)
{
    int r = qemu_agent_open_cancellable(f->job->agent_path, f->job->domain_name, f->agent_ms,
                                        f->job->cancellable ? f->job->cancel_fd : -1, &f->agent);
    return r < 0 ? failed(f, r) : E(OK);
}

static qemu_snap_event
step_freezing(fsm *f)
{
    json_object *ret = NULL;
    f->out->freeze_sent = true;
    int r = qemu_agent_command(f->agent, "guest-fsfreeze-freeze", NULL, f->freeze_ms, &ret);
    if (r < 0) {
        /* Cancelled while the agent may still be freezing: the thaw goes
         * over a fresh connection, as after a timeout. */
        if (f->job->cancellable && !qemu_agent_is_synced(f->agent))
            f->agent_fresh_needed = true;
        agent_failed(f, r);
        return failed(f, r);
    }
    f->out->freeze_reply_ns = now_ns();
    f->out->frozen_count = json_object_get_int(ret);
    json_object_put(ret);
    if (f->job->step)
        f->job->step("snapshot: guest frozen");
    VP_PLUGIN_DEBUG("qemu", "domain '%s': %d file systems frozen", f->job->domain_name,
                    f->out->frozen_count);
    return E(OK);
}

/* ---- taking the snapshot ------------------------------------------- */

/* Delete the overlays a failed transaction left behind. */
static void
remove_overlays(fsm *f)
{
    for (size_t i = 0; i < f->job->n_disks; i++) {
        const char *path = f->job->disks[i].overlay_path;
        if (unlink(path) == 0) {
            f->out->overlays_removed++;
            VP_PLUGIN_DEBUG("qemu", "removed overlay '%s' left by the failed transaction", path);
        } else if (errno != ENOENT) {
            VP_PLUGIN_DEBUG("qemu", "cannot remove overlay '%s': %s", path, strerror(errno));
        }
    }
}

/* QEMU wants a node name for an overlay addressed by node name; one derived
 * from the overlay's path is stable and unique among the domain's nodes
 * (node names: a letter first, at most 31 characters). */
static char *
default_node_name(const char *overlay_path)
{
    uint32_t h = 2166136261u; /* FNV-1a */
    for (const unsigned char *p = (const unsigned char *)overlay_path; *p; p++)
        h = (h ^ *p) * 16777619u;
    return vp_asprintf("vp-overlay-%08" PRIx32, h);
}

static int
take_external(fsm *f)
{
    json_object *actions = json_object_new_array();
    for (size_t i = 0; i < f->job->n_disks; i++) {
        const qemu_snapshot_disk *d = &f->job->disks[i];
        json_object *data = json_object_new_object();
        json_object_object_add(data, "node-name", json_object_new_string(d->node_name));
        json_object_object_add(data, "snapshot-file", json_object_new_string(d->overlay_path));
        _cleanup_free_ char *node = d->overlay_node_name ? vp_strdup(d->overlay_node_name)
                                                         : default_node_name(d->overlay_path);
        json_object_object_add(data, "snapshot-node-name", json_object_new_string(node));
        json_object_object_add(data, "format",
                               json_object_new_string(d->format ? d->format : "qcow2"));
        json_object *action = json_object_new_object();
        json_object_object_add(action, "type", json_object_new_string("blockdev-snapshot-sync"));
        json_object_object_add(action, "data", data);
        json_object_array_add(actions, action);
    }
    json_object *args = json_object_new_object();
    json_object_object_add(args, "actions", actions);
    int r = qemu_monitor_command(f->job->monitor, "transaction", args, f->qmp_ms, NULL);
    json_object_put(args);
    /* Only an error reply proves the transaction is over and installed
     * nothing; after a timeout or disconnect QEMU may be using the files. */
    if (r == VP_ERR_OPERATION_INVALID || r == VP_ERR_NOT_SUPPORTED)
        remove_overlays(f);
    return r;
}

/* The job's entry in query-jobs once it concluded: NULL while it runs. */
static int
job_concluded(fsm *f, const char *job_id, bool *ret_done, char **ret_error)
{
    json_object *jobs = NULL;
    int r = qemu_monitor_command(f->job->monitor, "query-jobs", NULL, f->qmp_ms, &jobs);
    if (r < 0)
        return r;
    bool found = false, done = false;
    for (size_t i = 0; i < json_object_array_length(jobs) && !found; i++) {
        json_object *j = json_object_array_get_idx(jobs, i);
        if (strcmp(str_of(j, "id"), job_id) != 0)
            continue;
        found = true;
        done = !strcmp(str_of(j, "status"), "concluded");
        json_object *err = json_object_object_get(j, "error");
        if (done && err)
            *ret_error = vp_strdup(json_object_get_string(err));
    }
    json_object_put(jobs);
    if (!found)
        return vp_plugin_error_set(VP_ERR_PROTOCOL,
                                   "QEMU lost job '%s' of domain '%s' (not in query-jobs)", job_id,
                                   f->job->domain_name);
    *ret_done = done;
    return 0;
}

static int
wait_job(fsm *f, const char *job_id, char **ret_error)
{
    int64_t deadline = qemu_json_now_ms() + f->job_ms;
    for (;;) {
        bool done = false;
        int r = job_concluded(f, job_id, &done, ret_error);
        if (r < 0 || done)
            return r;
        int64_t left = deadline - qemu_json_now_ms();
        if (left <= 0)
            return vp_plugin_error_set(
                VP_ERR_TIMEOUT,
                "QEMU did not finish saving snapshot '%s' of domain '%s' within %d ms",
                f->job->snapshot_name, f->job->domain_name, f->job_ms);
        /* Any status change is a reason to look again; a quiet second
         * too (the event may have been taken by an earlier wait). */
        r = qemu_monitor_wait_event(f->job->monitor, "JOB_STATUS_CHANGE",
                                    left < 1000 ? (int)left : 1000, NULL);
        if (r < 0 && r != VP_ERR_TIMEOUT)
            return r;
    }
}

static int
take_internal(fsm *f)
{
    const qemu_snapshot_job *job = f->job;
    _cleanup_free_ char *job_id = vp_asprintf("vp-snapshot-%s", job->snapshot_name);
    json_object *args = json_object_new_object();
    json_object *devices = json_object_new_array();
    for (size_t i = 0; i < job->n_devices; i++)
        json_object_array_add(devices, json_object_new_string(job->devices[i]));
    json_object_object_add(args, "job-id", json_object_new_string(job_id));
    json_object_object_add(args, "tag", json_object_new_string(job->snapshot_name));
    json_object_object_add(args, "vmstate", json_object_new_string(job->vmstate_node));
    json_object_object_add(args, "devices", devices);
    int r = qemu_monitor_command(job->monitor, "snapshot-save", args, f->qmp_ms, NULL);
    json_object_put(args);
    if (r < 0)
        return r;
    _cleanup_free_ char *job_error = NULL;
    r = wait_job(f, job_id, &job_error);
    if (r < 0)
        return r;
    json_object *id = json_object_new_object();
    json_object_object_add(id, "id", json_object_new_string(job_id));
    if (qemu_monitor_command(job->monitor, "job-dismiss", id, f->qmp_ms, NULL) < 0)
        VP_PLUGIN_DEBUG("qemu", "cannot dismiss job '%s': %s", job_id, last_message());
    json_object_put(id);
    if (job_error)
        return vp_plugin_error_set(VP_ERR_OPERATION_INVALID,
                                   "QEMU could not save snapshot '%s' of domain '%s': %s",
                                   job->snapshot_name, job->domain_name, job_error);
    return 0;
}

static qemu_snap_event
step_snapshot(fsm *f)
{
    bool disk_only = f->job->flags & VP_SNAPSHOT_CREATE_DISK_ONLY;
    int r = disk_only ? take_external(f) : take_internal(f);
    if (r < 0)
        return failed(f, r);
    f->out->snapshot_taken = true;
    return E(OK);
}

/* ---- thaw and verify ------------------------------------------------- */

/* A usable agent connection for the thaw: a fresh one after a timeout or
 * disconnect, since the old stream may still carry the freeze's answer. */
static int
agent_for_thaw(fsm *f)
{
    if (f->agent) /* a cancel ends the freeze's wait, never the thaw's */
        qemu_agent_set_cancel_fd(f->agent, -1);
    if (!f->agent)
        return qemu_agent_open_for(f->job->agent_path, f->job->domain_name, f->agent_ms, &f->agent);
    if (!f->agent_fresh_needed)
        return 0;
    int r = qemu_agent_reconnect(f->agent, f->agent_ms);
    if (r == 0)
        f->agent_fresh_needed = false;
    return r;
}

static qemu_snap_event
thaw_failed(fsm *f, int code)
{
    f->thaw_code = code;
    free(f->thaw_msg);
    f->thaw_msg = vp_strdup(last_message());
    return agent_failed(f, code);
}

/* The fresh connection's sync went unanswered: the agent is still running
 * an earlier request, most likely the freeze that timed out, and would run
 * it to the end and leave the guest frozen. It runs requests in order, so a
 * thaw written now on this connection runs right after that freeze: write
 * it without waiting. The verify step then resyncs on the same connection,
 * behind the thaw, instead of opening another one. */
static qemu_snap_event
queue_thaw(fsm *f)
{
    if (!f->agent || f->out->thaw_queued ||
        qemu_agent_send_nowait(f->agent, "guest-fsfreeze-thaw", NULL, f->agent_ms) < 0)
        return E(TIMEOUT);
    f->out->thaw_attempts++;
    f->out->thaw_queued = true;
    f->agent_fresh_needed = false;
    VP_PLUGIN_DEBUG("qemu", "domain '%s': the agent is busy; thaw queued behind its request",
                    f->job->domain_name);
    return E(TIMEOUT);
}

static qemu_snap_event
step_thawing(fsm *f)
{
    int r = agent_for_thaw(f);
    if (r < 0) {
        qemu_snap_event ev = thaw_failed(f, r);
        return r == VP_ERR_AGENT_UNRESPONSIVE ? queue_thaw(f) : ev;
    }
    f->out->thaw_attempts++;
    json_object *ret = NULL;
    r = qemu_agent_command(f->agent, "guest-fsfreeze-thaw", NULL, f->agent_ms, &ret);
    if (r < 0)
        return thaw_failed(f, r);
    f->out->thaw_reply_ns = now_ns();
    VP_PLUGIN_DEBUG("qemu", "domain '%s': %d file systems thawed", f->job->domain_name,
                    json_object_get_int(ret));
    json_object_put(ret);
    return E(OK);
}

static qemu_snap_event
step_verify_thaw(fsm *f)
{
    int r = agent_for_thaw(f);
    if (r < 0) {
        thaw_failed(f, r);
        return E(UNCONFIRMED);
    }
    json_object *ret = NULL;
    r = qemu_agent_command(f->agent, "guest-fsfreeze-status", NULL, f->agent_ms, &ret);
    if (r < 0) {
        thaw_failed(f, r);
        return E(UNCONFIRMED);
    }
    bool thawed = !strcmp(str_of(ret, NULL), "thawed");
    json_object_put(ret);
    f->out->thaw_confirmed = thawed;
    if (thawed)
        return f->primary_msg ? E(THAWED_AFTER_FAILURE) : E(THAWED);
    if (f->out->thaw_attempts < MAX_THAW_ATTEMPTS)
        return E(STILL_FROZEN);
    /* A failed thaw explains best why the guest is still frozen. */
    if (!f->thaw_msg) {
        vp_plugin_error_set(VP_ERR_OPERATION_INVALID,
                            "guest-fsfreeze-status still reads 'frozen' after %d thaws",
                            f->out->thaw_attempts);
        thaw_failed(f, VP_ERR_OPERATION_INVALID);
    }
    return E(UNCONFIRMED);
}

typedef qemu_snap_event (*fsm_step)(fsm *f);

static const fsm_step steps[] = {
    [S(CHECK_STATE)] = step_check_state, [S(AGENT_SYNC)] = step_agent_sync,
    [S(FREEZING)] = step_freezing,       [S(FROZEN)] = step_snapshot,
    [S(SNAPSHOTTING)] = step_snapshot,   [S(THAWING)] = step_thawing,
    [S(VERIFY_THAW)] = step_verify_thaw,
};

/* ---- the machine ------------------------------------------------------- */

static bool
lookup(qemu_snap_state from, qemu_snap_event ev, qemu_snap_state *ret_to)
{
    for (size_t i = 0; i < sizeof(fsm_table) / sizeof(fsm_table[0]); i++) {
        if (fsm_table[i].from == from && fsm_table[i].event == ev) {
            *ret_to = fsm_table[i].to;
            return true;
        }
    }
    return false;
}

static void
record(fsm *f, qemu_snap_state from, qemu_snap_event ev, qemu_snap_state to)
{
    VP_PLUGIN_DEBUG("qemu", "snapshot '%s' of domain '%s': %s --%s--> %s",
                    f->job->snapshot_name ? f->job->snapshot_name : "", f->job->domain_name,
                    qemu_snap_state_name(from), qemu_snap_event_name(ev), qemu_snap_state_name(to));
    qemu_snapshot_outcome *out = f->out;
    if (out->n_transitions < QEMU_SNAP_MAX_TRANSITIONS)
        out->transitions[out->n_transitions++] = (qemu_snap_transition){from, ev, to};
}

/* The one error the caller sees. */
static int
final_error(fsm *f)
{
    const qemu_snapshot_job *job = f->job;
    const qemu_snapshot_outcome *out = f->out;
    if (out->freeze_sent && !out->thaw_confirmed) {
        return vp_plugin_error_set(
            f->thaw_code ? f->thaw_code : VP_ERR_AGENT_UNRESPONSIVE,
            "the file systems of domain '%s' may still be frozen: the thaw could not be confirmed (%s)%s; thaw them with the guest agent command 'guest-fsfreeze-thaw'; snapshot '%s' %s%s",
            job->domain_name, f->thaw_msg ? f->thaw_msg : "no answer",
            out->thaw_queued
                ? "; a thaw was queued behind the agent's late freeze and runs when the freeze returns"
                : "",
            job->snapshot_name ? job->snapshot_name : "",
            out->snapshot_taken ? "was taken" : "failed: ",
            out->snapshot_taken ? "" : f->primary_msg);
    }
    if (!f->primary_msg)
        return vp_plugin_error_set(VP_ERR_INTERNAL, "snapshot of domain '%s' failed",
                                   job->domain_name);
    if (f->primary_is_final)
        return vp_plugin_error_set(f->primary_code, "%s", f->primary_msg);
    return vp_plugin_error_set(f->primary_code, "snapshot '%s' of domain '%s' failed: %s",
                               job->snapshot_name, job->domain_name, f->primary_msg);
}

static qemu_snap_state
run_machine(fsm *f)
{
    qemu_snap_state state = S(INIT);
    qemu_snap_event ev = E(START);
    for (;;) {
        qemu_snap_state next;
        if (!lookup(state, ev, &next) || f->out->n_transitions == QEMU_SNAP_MAX_TRANSITIONS) {
            VP_PLUGIN_DEBUG("qemu", "snapshot state machine: no way out of %s on %s",
                            qemu_snap_state_name(state), qemu_snap_event_name(ev));
            f->primary_code = VP_ERR_INTERNAL;
            return S(FAILED);
        }
        record(f, state, ev, next);
        state = next;
        if (state == S(DONE) || state == S(FAILED))
            return state;
        ev = steps[state](f);
    }
}

int
qemu_snapshot_fsm_run(const qemu_snapshot_job *job, qemu_snapshot_outcome *outcome)
{
    qemu_snapshot_outcome local;
    fsm f = {
        .job = job,
        .out = outcome ? outcome : &local,
        .agent_ms = job->agent_timeout_ms > 0 ? job->agent_timeout_ms : 10000,
        .freeze_ms = job->freeze_timeout_ms > 0  ? job->freeze_timeout_ms
                     : job->agent_timeout_ms > 0 ? job->agent_timeout_ms
                                                 : 10000,
        .qmp_ms = job->qmp_timeout_ms > 0 ? job->qmp_timeout_ms : 30000,
        .job_ms = job->job_timeout_ms > 0 ? job->job_timeout_ms : 600000,
    };
    *f.out = (qemu_snapshot_outcome){.frozen_count = -1};
    f.out->final_state = run_machine(&f);
    qemu_agent_close(f.agent);
    int r = f.out->final_state == S(DONE) ? 0 : final_error(&f);
    free(f.primary_msg);
    free(f.thaw_msg);
    return r;
}

char *
qemu_snapshot_outcome_path(const qemu_snapshot_outcome *outcome)
{
    if (outcome->n_transitions == 0)
        return vp_strdup("");
    size_t size = 1;
    for (size_t i = 0; i < outcome->n_transitions; i++)
        size += strlen(qemu_snap_state_name(outcome->transitions[i].to)) + 1;
    size += strlen(qemu_snap_state_name(outcome->transitions[0].from));
    char *s = vp_new0(char, size);
    size_t n = 0;
    n +=
        (size_t)snprintf(s + n, size - n, "%s", qemu_snap_state_name(outcome->transitions[0].from));
    for (size_t i = 0; i < outcome->n_transitions; i++)
        n += (size_t)snprintf(s + n, size - n, " %s",
                              qemu_snap_state_name(outcome->transitions[i].to));
    return s;
}
