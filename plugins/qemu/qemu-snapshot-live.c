/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Copyright (C) 2026 The virtplug developers */
/*
 * qemu-snapshot-live.c: the QMP part of a merge (qemu-snapshot-merge.c)
 * on a running or paused domain.
 *
 * Owns the block jobs of a delete that merges: block-commit into the base
 * (the active layer: wait until ready, pause the guest until the base
 * holds every write, point the definition at the base, pivot; a lower
 * layer: the job alone), and block-stream of the overlay into the image
 * above it when the base must not change. A job that ends by rewriting a
 * backing name (every one but the active commit, whose pivot follows a
 * flush of QEMU's own) runs with auto-finalize off and is finalized only
 * once the image it wrote is flushed. Each job has a fixed id
 * (vp-commit-DEV, vp-stream-DEV) and auto-dismiss off, so a caller killed
 * at any step leaves a job the next operation finds and sees to its end.
 * It asks QEMU for the block graph once per step (the graph cache) and
 * waits on QMP events, polling only where QEMU sends none. It never
 * removes a file nor writes a record but the definition at the pivot.
 */
#include <config.h>

#include <stdlib.h>
#include <string.h>

#include "qemu-json.h"
#include "qemu-snapshot.h"
#include "qemu-snapshot-merge.h"

/* Long enough for a large overlay on a slow disk; the job keeps running in
 * QEMU after a timeout and the next operation picks it up. */
#define MERGE_JOB_TIMEOUT_MS (60 * 60 * 1000)

/* The reply of @command (no arguments but "flat" for the nodes), asked
 * once until qemu_merge_live_forget(). (transfer none) */
static int
graph_query(live *l, const char *command, json_object **slot, json_object **ret)
{
    if (!*slot) {
        json_object *args = NULL;
        if (slot == &l->nodes) {
            args = json_object_new_object();
            json_object_object_add(args, "flat", json_object_new_boolean(true));
        }
        int r = qemu_monitor_command(l->mon, command, args, QEMU_MONITOR_TIMEOUT_MS, slot);
        json_object_put(args);
        if (r < 0)
            return r;
    }
    *ret = *slot;
    return 0;
}

void
qemu_merge_live_forget(live *l)
{
    json_object_put(l->nodes);
    json_object_put(l->blocks);
    l->nodes = l->blocks = NULL;
}

/* The format node QEMU opened @path with, from query-named-block-nodes. */
static int
node_of(live *l, const char *path, char **ret_node)
{
    json_object *nodes = NULL;
    int r = graph_query(l, "query-named-block-nodes", &l->nodes, &nodes);
    if (r < 0)
        return r;
    *ret_node = NULL;
    for (size_t i = 0; i < json_object_array_length(nodes) && !*ret_node; i++) {
        json_object *n = json_object_array_get_idx(nodes, i);
        const char *drv = qemu_json_str(n, "drv"), *file = qemu_json_str(n, "file");
        if (drv && strcmp(drv, "file") != 0 && qemu_snapshot_same_file(file, path))
            *ret_node = vp_strdup(qemu_json_str(n, "node-name"));
    }
    return 0;
}

/* The status of job @id ("running", "ready", "concluded", ...), or NULL
 * when QEMU has no such job; a concluded job's error in @ret_error. */
static int
job_status(live *l, const char *id, char **ret_status, char **ret_error)
{
    json_object *jobs = NULL;
    int r = qemu_monitor_command(l->mon, "query-jobs", NULL, QEMU_MONITOR_TIMEOUT_MS, &jobs);
    if (r < 0)
        return r;
    *ret_status = NULL;
    for (size_t i = 0; i < json_object_array_length(jobs); i++) {
        json_object *j = json_object_array_get_idx(jobs, i);
        const char *jid = qemu_json_str(j, "id");
        if (!jid || strcmp(jid, id) != 0)
            continue;
        *ret_status = vp_strdup(qemu_json_str(j, "status"));
        const char *err = qemu_json_str(j, "error");
        if (ret_error && err)
            *ret_error = vp_strdup(err);
    }
    json_object_put(jobs);
    return 0;
}

static int
job_simple(live *l, const char *command, const char *id)
{
    json_object *args = json_object_new_object();
    json_object_object_add(args, "id", json_object_new_string(id));
    int r = qemu_monitor_command(l->mon, command, args, QEMU_MONITOR_TIMEOUT_MS, NULL);
    json_object_put(args);
    return r;
}

/* Wait until job @id leaves "created"/"running"/"waiting" (and "pending",
 * unless @upto_pending: a job started with auto-finalize off waits there;
 * for the active layer, until ready); its status then. */
static int
job_wait_for(live *l, const char *id, bool upto_pending, char **ret_status, char **ret_error)
{
    int64_t deadline = qemu_json_now_ms() + MERGE_JOB_TIMEOUT_MS;
    for (;;) {
        _cleanup_free_ char *status = NULL;
        int r = job_status(l, id, &status, ret_error);
        if (r < 0)
            return r;
        if (!status ||
            (strcmp(status, "created") != 0 && strcmp(status, "running") != 0 &&
             (upto_pending || strcmp(status, "pending") != 0) && strcmp(status, "waiting") != 0)) {
            *ret_status = VP_STEAL_PTR(status);
            return 0;
        }
        if (qemu_json_now_ms() >= deadline)
            return vp_plugin_error_set(
                VP_ERR_TIMEOUT,
                "merging into the base of domain '%s' still runs after %d s; the next operation picks it up",
                l->domain, MERGE_JOB_TIMEOUT_MS / 1000);
        qemu_monitor_wait_event(l->mon, "JOB_STATUS_CHANGE", 200, NULL);
    }
}

static int
job_wait(live *l, const char *id, char **ret_status, char **ret_error)
{
    return job_wait_for(l, id, false, ret_status, ret_error);
}

/* Whether the guest's vCPUs run. */
int
qemu_merge_live_guest_running(live *l, bool *ret_running)
{
    json_object *st = NULL;
    int r = qemu_monitor_command(l->mon, "query-status", NULL, QEMU_MONITOR_TIMEOUT_MS, &st);
    if (r < 0)
        return r;
    const char *s = qemu_json_str(st, "status");
    *ret_running = s && strcmp(s, "running") == 0;
    json_object_put(st);
    return 0;
}

/* With the guest paused, the mirror of an active commit catches up: the
 * base then holds every write and may become the definition's image. */
static int
wait_synced(live *l, const char *id)
{
    int64_t deadline = qemu_json_now_ms() + MERGE_JOB_TIMEOUT_MS;
    int wait_ms = 1;
    for (;;) {
        json_object *jobs = NULL;
        int r =
            qemu_monitor_command(l->mon, "query-block-jobs", NULL, QEMU_MONITOR_TIMEOUT_MS, &jobs);
        if (r < 0)
            return r;
        bool synced = false;
        for (size_t i = 0; i < json_object_array_length(jobs); i++) {
            json_object *j = json_object_array_get_idx(jobs, i), *off, *len, *ready;
            const char *dev = qemu_json_str(j, "device");
            if (dev && strcmp(dev, id) == 0 && json_object_object_get_ex(j, "offset", &off) &&
                json_object_object_get_ex(j, "len", &len) &&
                json_object_object_get_ex(j, "ready", &ready))
                synced = json_object_get_boolean(ready) &&
                         json_object_get_int64(off) == json_object_get_int64(len);
        }
        json_object_put(jobs);
        if (synced)
            return 0;
        if (qemu_json_now_ms() >= deadline)
            return vp_plugin_error_set(VP_ERR_TIMEOUT,
                                       "the base of domain '%s' did not catch up with its overlay",
                                       l->domain);
        /* No event says "caught up": poll, first often (the guest is
         * paused, the mirror has little left), then less. */
        qemu_monitor_wait_event(l->mon, "BLOCK_JOB_READY", wait_ms, NULL);
        wait_ms = wait_ms < 16 ? wait_ms * 2 : 20;
    }
}

/* The guest is paused for the pivot (the intent says, from the start,
 * that a guest running then is to be resumed, so a kill here leaves that
 * to the next operation): the definition may name the base only once the
 * base holds every write, and a pivot and a file write cannot be one
 * step. */
static bool
to_resume(const live *l)
{
    json_object *resume;
    return json_object_object_get_ex(l->intent, "resume", &resume) &&
           json_object_get_boolean(resume);
}

static int
pivot(const qemu_driver *drv, live *l, const merge_disk *d, const char *id)
{
    int r = 0;
    /* The intent says whether the guest ran when the merge began; under
     * the domain's lock nothing else of ours resumed or paused it since,
     * and stopping a paused guest changes nothing. */
    if (to_resume(l)) {
        r = qemu_monitor_command(l->mon, "stop", NULL, QEMU_MONITOR_TIMEOUT_MS, NULL);
        if (r >= 0)
            qemu_step("snapshot-merge: guest paused for the pivot");
    }
    if (r >= 0)
        r = wait_synced(l, id);
    if (r >= 0)
        r = qemu_merge_def_point_at(drv, l->domain, d);
    if (r >= 0)
        r = job_simple(l, "job-complete", id);
    if (r >= 0)
        qemu_step("snapshot-merge: pivoted");
    return r;
}

/* cont of a running guest changes nothing: no query-status first. */
int
qemu_merge_live_resume(live *l)
{
    return to_resume(l) ? qemu_monitor_command(l->mon, "cont", NULL, QEMU_MONITOR_TIMEOUT_MS, NULL)
                        : 0;
}

/* A node the monitor created (-blockdev "drive-DEV" and its "file-DEV")
 * stays after a commit dropped it from the chain, holding its file open
 * and keeping the node below from being a root: delete it. Nodes QEMU
 * made itself go on their own, and blockdev-del refuses them. */
static void
drop_node(live *l, const char *node)
{
    json_object *args = json_object_new_object();
    json_object_object_add(args, "node-name", json_object_new_string(node));
    int r = qemu_monitor_command(l->mon, "blockdev-del", args, QEMU_MONITOR_TIMEOUT_MS, NULL);
    json_object_put(args);
    VP_PLUGIN_DEBUG(QEMU_AREA, "domain '%s': %s node '%s'", l->domain,
                    r < 0 ? "QEMU keeps (or dropped)" : "deleted", node);
    if (r >= 0 && strncmp(node, "drive-", 6) == 0) {
        _cleanup_free_ char *file = qemu_command_file_node(node + 6);
        drop_node(l, file);
    }
}

/* Whether QEMU's chain of disk @dev still holds @top. */
static int
top_in_use(live *l, const char *dev, const char *top, bool *ret_used)
{
    json_object *blocks = NULL;
    int r = graph_query(l, "query-block", &l->blocks, &blocks);
    if (r < 0)
        return r;
    json_object *b = qemu_snapshot_block_of(blocks, dev), *ins, *img = NULL;
    *ret_used = false;
    if (b && json_object_object_get_ex(b, "inserted", &ins))
        json_object_object_get_ex(ins, "image", &img);
    for (json_object *next; img && !*ret_used; img = next) {
        *ret_used = qemu_snapshot_same_file(qemu_json_str(img, "filename"), top);
        if (!json_object_object_get_ex(img, "backing-image", &next))
            next = NULL;
    }
    return 0;
}

/* Where the job @id of disk @d stands: <0 an error; 1 when top is out of
 * QEMU's chain already (nothing to do); 0 when there is no job, top is in
 * use and @may_start is false (recovering: the merge never began, nothing
 * to finish); 2 to go on, *@ret_status NULL when the job is to be started. */
static int
job_begin(live *l, const merge_disk *d, const char *id, bool may_start, char **ret_status,
          char **ret_error)
{
    /* No query of the block graph while a job of a killed caller may
     * still run or wait: QEMU 7.2 can crash answering
     * query-named-block-nodes then (seen with block-stream). */
    int r = job_status(l, id, ret_status, ret_error);
    if (r < 0 || *ret_status)
        return r < 0 ? r : 2;
    bool used = false;
    r = top_in_use(l, d->dev, d->top, &used);
    if (r < 0 || !used)
        return r < 0 ? r : 1;
    return may_start ? 2 : 0;
}

/* The format nodes of @a and @b, both required. (transfer full) */
static int
nodes_of(live *l, const char *a, const char *b, char **ret_a, char **ret_b)
{
    int r = node_of(l, a, ret_a);
    if (r >= 0)
        r = node_of(l, b, ret_b);
    if (r >= 0 && (!*ret_a || !*ret_b))
        r = vp_plugin_error_set(VP_ERR_OPERATION_INVALID,
                                "QEMU of domain '%s' has no block node for '%s'", l->domain,
                                *ret_a ? b : a);
    return r;
}

/* Job @id ended with @status: dismiss it, drop the node of top it left
 * (@top_node, or looked up once the job is gone when a killed caller
 * started it). */
static int
job_end(live *l, const merge_disk *d, const char *id, const char *status, const char *error,
        const char *top_node)
{
    qemu_merge_live_forget(l);
    if (status && strcmp(status, "concluded") == 0)
        job_simple(l, "job-dismiss", id);
    _cleanup_free_ char *found = NULL;
    if (!error && !top_node && node_of(l, d->top, &found) >= 0)
        top_node = found;
    if (!error && top_node)
        drop_node(l, top_node);
    if (error)
        return vp_plugin_error_set(VP_ERR_OPERATION_INVALID,
                                   "QEMU could not merge '%s' into '%s' for domain '%s': %s",
                                   d->top, d->base, l->domain, error);
    return 1;
}

/* Start block job @command (@id, on node @device, @top_node and
 * @base_node optional) with auto-dismiss off (@hold: auto-finalize off
 * too); @step names it. */
static int
start_job(live *l, const char *command, const char *id, const char *device, const char *top_node,
          const char *base_node, bool hold, const char *step)
{
    json_object *args = json_object_new_object();
    json_object_object_add(args, "job-id", json_object_new_string(id));
    json_object_object_add(args, "device", json_object_new_string(device));
    if (top_node)
        json_object_object_add(args, "top-node", json_object_new_string(top_node));
    if (base_node)
        json_object_object_add(args, "base-node", json_object_new_string(base_node));
    json_object_object_add(args, "auto-dismiss", json_object_new_boolean(false));
    if (hold)
        json_object_object_add(args, "auto-finalize", json_object_new_boolean(false));
    int r = qemu_monitor_command(l->mon, command, args, QEMU_MONITOR_TIMEOUT_MS, NULL);
    json_object_put(args);
    qemu_merge_live_forget(l);
    if (r >= 0)
        qemu_step(step);
    return r;
}

/* Flush what QEMU holds of node @node (its qcow2 tables): a job's
 * finalization rewrites a backing name at once (QEMU 7.2 does not flush
 * first), and the clusters the job wrote must be on disk before that.
 * Streamed into the active layer, a kill of QEMU right after the job
 * lost them; into a lower layer, or committed into the base, QEMU
 * flushes a moment after the rewrite (as it drops the job's filter node),
 * which leaves the few writes between, and a power loss that reorders
 * them. QMP has no flush of its own: HMP's qemu-io does it. */
static int
flush_node(live *l, const char *node)
{
    json_object *args = json_object_new_object(), *out = NULL;
    _cleanup_free_ char *line = vp_asprintf("qemu-io %s \"flush\"", node);
    json_object_object_add(args, "command-line", json_object_new_string(line));
    int r =
        qemu_monitor_command(l->mon, "human-monitor-command", args, QEMU_MONITOR_TIMEOUT_MS, &out);
    json_object_put(args);
    const char *said =
        out && json_object_is_type(out, json_type_string) ? json_object_get_string(out) : "";
    if (r >= 0 && *said)
        r = vp_plugin_error_set(VP_ERR_OPERATION_INVALID,
                                "QEMU of domain '%s' could not flush '%s': %s", l->domain, node,
                                said);
    json_object_put(out);
    return r;
}

/* The node of the image job @id writes, once the job is pending (the
 * graph is still then): @node when the caller knows it; else disk @dev's
 * active layer, from query-block; else @path's. (transfer full) */
static int
written_node(live *l, const char *node, const char *dev, const char *path, char **ret_node)
{
    int r = 0;
    if (node) {
        *ret_node = vp_strdup(node);
    } else if (dev) {
        json_object *blocks = NULL;
        r = qemu_monitor_command(l->mon, "query-block", NULL, QEMU_MONITOR_TIMEOUT_MS, &blocks);
        *ret_node = r >= 0 ? qemu_snapshot_top_node(blocks, dev) : NULL;
        json_object_put(blocks);
    } else {
        r = node_of(l, path, ret_node);
        qemu_merge_live_forget(l);
    }
    if (r >= 0 && !*ret_node)
        r = vp_plugin_error_set(VP_ERR_OPERATION_INVALID,
                                "QEMU of domain '%s' has no block node for '%s'", l->domain,
                                dev ? dev : path);
    return r;
}

/* See job @id, started with auto-finalize off, to its end: once it is
 * pending (everything copied, no backing name changed yet), flush the
 * image it wrote (written_node()), then finalize; its last status. A job
 * a killed caller left pending is finished the same way. */
static int
job_finish_held(live *l, const char *id, const char *node, const char *dev, const char *path,
                const char *what, char **ret_status, char **ret_error)
{
    _cleanup_free_ char *status = NULL, *found = NULL;
    int r = job_wait_for(l, id, true, &status, ret_error);
    if (r < 0 || !status || strcmp(status, "pending") != 0) {
        *ret_status = VP_STEAL_PTR(status);
        return r;
    }
    r = written_node(l, node, dev, path, &found);
    if (r >= 0)
        r = flush_node(l, found);
    if (r >= 0) {
        _cleanup_free_ char *step = vp_asprintf("snapshot-merge: %s flushed", what);
        qemu_step(step);
        r = job_simple(l, "job-finalize", id);
    }
    if (r >= 0) {
        _cleanup_free_ char *step = vp_asprintf("snapshot-merge: %s finalized", what);
        qemu_step(step);
    }
    free(status);
    status = NULL;
    if (r >= 0)
        r = job_wait(l, id, &status, ret_error);
    *ret_status = VP_STEAL_PTR(status);
    return r;
}

/* Start the commit of @d, or pick up the one a killed caller started, and
 * see it to its end. Returns 1 when top is out of QEMU's chain, 0 when the
 * merge did not happen (job_begin). */
int
qemu_merge_live_commit(const qemu_driver *drv, live *l, const merge_disk *d, bool may_start)
{
    _cleanup_free_ char *id = vp_asprintf("vp-commit-%s", d->dev);
    _cleanup_free_ char *status = NULL, *error = NULL, *top_node = NULL;
    int r = job_begin(l, d, id, may_start, &status, &error);
    if (r == 1 && !d->above)
        r = qemu_merge_def_point_at(drv, l->domain, d) < 0 ? vp_error_last()->code : 1;
    if (r < 2)
        return r;
    _cleanup_free_ char *base_node = NULL;
    if (!status) {
        r = nodes_of(l, d->top, d->base, &top_node, &base_node);
        if (r < 0)
            return r;
        json_object *blocks = NULL;
        r = graph_query(l, "query-block", &l->blocks, &blocks);
        _cleanup_free_ char *root = r >= 0 ? qemu_snapshot_top_node(blocks, d->dev) : NULL;
        if (r < 0)
            return r;
        /* A lower layer's commit ends by rewriting the backing name of
         * the image above: held until the base is flushed. */
        r = start_job(l, "block-commit", id, root, d->above ? top_node : NULL, base_node,
                      d->above != NULL, "snapshot-merge: commit started");
        if (r < 0)
            return r;
    }
    free(status);
    status = NULL;
    if (d->above) {
        r = job_finish_held(l, id, base_node, NULL, d->base, "commit into the base", &status,
                            &error);
        return r < 0 ? r : job_end(l, d, id, status, error, top_node);
    }
    r = job_wait(l, id, &status, &error);
    if (r >= 0 && status && strcmp(status, "ready") == 0) {
        r = pivot(drv, l, d, id);
        free(status);
        status = NULL;
        if (r >= 0)
            r = job_wait(l, id, &status, &error);
    }
    return r < 0 ? r : job_end(l, d, id, status, error, top_node);
}

/* Top's data copied up into the image above it, the one the domain runs
 * on (QMP block-stream into that node, base-node the base, so nothing
 * below top changes): QEMU rewrites the backing name of the image above
 * once it holds everything, and the running chain no longer reaches top.
 * A stream never changes what the guest reads, so a kill at any moment
 * (of vpsh or of QEMU) leaves a consistent chain: the job QEMU still runs
 * is picked up, and a QEMU that is gone leaves it to qemu-img rebase. The
 * job is held before that rewrite until the image above is flushed
 * (job_finish_held()), as a lower commit is until the base is.
 * Returns as qemu_merge_live_commit(). */
int
qemu_merge_live_stream(live *l, const merge_disk *d, bool may_start)
{
    _cleanup_free_ char *id = vp_asprintf("vp-stream-%s", d->dev);
    _cleanup_free_ char *status = NULL, *error = NULL, *top_node = NULL;
    int r = job_begin(l, d, id, may_start, &status, &error);
    if (r < 2)
        return r;
    _cleanup_free_ char *above_node = NULL;
    if (!status) {
        _cleanup_free_ char *base_node = NULL;
        r = nodes_of(l, d->above, d->base, &above_node, &base_node);
        if (r >= 0)
            r = node_of(l, d->top, &top_node);
        if (r < 0)
            return r;
        r = start_job(l, "block-stream", id, above_node, NULL, base_node, true,
                      "snapshot-merge: stream started");
        if (r < 0)
            return r;
    }
    free(status);
    status = NULL;
    r = job_finish_held(l, id, above_node, NULL, d->above, "stream into the image above", &status,
                        &error);
    if (r >= 0)
        r = job_end(l, d, id, status, error, top_node);
    if (r == 1)
        qemu_step("snapshot-merge: streamed into the running image");
    return r;
}

/* Base's data copied down into top, the active layer over a shared base
 * (QMP block-stream on top's own node, base-node the image below base):
 * nothing but top is written, every other branch on base keeps reading
 * it, and once QEMU rewrites top's backing name the domain no longer
 * reaches base. Done when top is no longer backed by base; a job a killed
 * caller started is picked up; a QEMU that is gone leaves it to qemu-img
 * rebase. */
int
qemu_merge_live_flatten(live *l, const merge_disk *d, bool may_start)
{
    _cleanup_free_ char *id = vp_asprintf("vp-stream-%s", d->dev);
    _cleanup_free_ char *status = NULL, *error = NULL, *base_node = NULL;
    int r = job_status(l, id, &status, &error);
    if (r < 0)
        return r;
    if (!status && !qemu_snapshot_backed_by(d->top, d->base))
        return 1;
    if (!status && !may_start)
        return 0;
    if (!status) {
        _cleanup_free_ char *top_node = NULL, *below_node = NULL;
        r = nodes_of(l, d->top, d->base, &top_node, &base_node);
        if (r >= 0 && d->below)
            r = node_of(l, d->below, &below_node);
        if (r >= 0 && d->below && !below_node)
            r = vp_plugin_error_set(VP_ERR_OPERATION_INVALID,
                                    "QEMU of domain '%s' has no block node for '%s'", l->domain,
                                    d->below);
        if (r < 0)
            return r;
        r = start_job(l, "block-stream", id, top_node, NULL, below_node, true,
                      "snapshot-merge: stream into the active layer started");
        if (r < 0)
            return r;
    }
    free(status);
    status = NULL;
    r = job_finish_held(l, id, NULL, d->dev, NULL, "stream into the active layer", &status, &error);
    /* The stream runs from base into top: job_end drops base's node. */
    merge_disk down = *d;
    down.top = d->base;
    down.base = d->top;
    if (r >= 0)
        r = job_end(l, &down, id, status, error, base_node);
    if (r == 1)
        qemu_step("snapshot-merge: base streamed into the active layer");
    return r;
}
