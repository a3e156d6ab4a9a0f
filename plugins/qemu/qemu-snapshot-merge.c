/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Copyright (C) 2026 The virtplug developers */
/*
 * qemu-snapshot-merge.c: deleting an external snapshot by folding it back.
 *
 * Owns the default delete of a disk-only snapshot, as libvirt does it: for
 * each disk, the overlay the snapshot created (TOP) is committed into the
 * image below it (BASE), the images above TOP are pointed at BASE, and TOP
 * is removed. A running or paused domain uses QMP block-commit (the active
 * layer: commit, wait until ready, pause the guest until BASE holds every
 * write, point the definition at BASE, pivot, resume; a lower layer: the
 * job alone, which also rewrites the backing name of the image above); a
 * shut-off one uses qemu-img commit and rebase -u. Everything happens
 * under a "snapshot-merge" intent naming every image, and each step checks
 * whether it was done already, so the same code finishes a merge that a
 * kill interrupted (vpsh or QEMU, at any step). BASE is written into only
 * when nothing but this domain reaches it (a base image shared with
 * another domain is refused), and TOP is removed only when no chain
 * reaches it any more.
 */
#include <config.h>

#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "qemu-chain.h"
#include "qemu-json.h"
#include "qemu-monitor.h"
#include "qemu-snapshot.h"

/* Long enough for a large overlay on a slow disk; the job keeps running in
 * QEMU after a timeout and the next operation picks it up. */
#define MERGE_JOB_TIMEOUT_MS (60 * 60 * 1000)
#define HEADER_BYTES 65536

/* One disk of a merge. */
typedef struct merge_disk {
    const char *dev;
    const char *top;         /* the snapshot's overlay */
    const char *base;        /* the image below it */
    const char *base_format; /* qcow2, raw */
    const char *above;   /* the image whose backing file is top; NULL: top is the active layer */
    bool stream;         /* top's data is copied up into the images above it, base untouched */
    json_object *others; /* images of other branches whose backing file is top */
} merge_disk;

/* ---- images ------------------------------------------------------------- */

/* The first bytes of image @path, where its qcow2 header lies. */
static unsigned char *
read_header(const char *path, size_t *ret_size)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
    if (fd < 0)
        return NULL;
    unsigned char *buf = vp_new0(unsigned char, HEADER_BYTES);
    ssize_t n = read(fd, buf, HEADER_BYTES);
    close(fd);
    if (n <= 0) {
        free(buf);
        return NULL;
    }
    *ret_size = (size_t)n;
    return buf;
}

/* The backing file qcow2 image @path names, resolved as QEMU resolves a
 * relative name (against @path's directory); NULL when none. */
static char *
backing_path(const char *path)
{
    size_t size = 0;
    _cleanup_free_ unsigned char *buf = read_header(path, &size);
    _cleanup_free_ char *name = NULL;
    if (!buf || qemu_chain_parse_qcow2_backing(buf, size, &name) != 1)
        return NULL;
    if (name[0] == '/')
        return VP_STEAL_PTR(name);
    _cleanup_free_ char *dir = vp_strdup(path);
    return vp_asprintf("%s/%s", dirname(dir), name);
}

bool
qemu_snapshot_backed_by(const char *path, const char *target)
{
    _cleanup_free_ char *backing = backing_path(path);
    return backing && qemu_snapshot_same_file(backing, target);
}

/* What the definition's disk @dev uses now. (transfer none) */
static const char *
def_top(const vp_domain_def *dom, const char *dev)
{
    for (size_t i = 0; i < dom->n_disks; i++) {
        if (strcmp(dom->disks[i].target_dev, dev) == 0)
            return dom->disks[i].source_file;
    }
    return NULL;
}

static int
def_point_at(const qemu_driver *drv, const char *domain, const merge_disk *d)
{
    vp_domain_def *dom = NULL;
    int r = qemu_domain_load_def(drv, domain, &dom);
    for (size_t i = 0; r >= 0 && i < dom->n_disks; i++) {
        vp_domain_disk_def *disk = &dom->disks[i];
        if (strcmp(disk->target_dev, d->dev) != 0 ||
            !qemu_snapshot_same_file(disk->source_file, d->top))
            continue;
        free(disk->source_file);
        disk->source_file = vp_strdup(d->base);
        free(disk->driver_type);
        disk->driver_type = vp_strdup(d->base_format);
        r = qemu_domain_save_def(drv, dom);
        if (r >= 0)
            qemu_step("snapshot-merge: definition on the base");
    }
    vp_plugin_domain_def_free(dom);
    return r;
}

/* ---- planning --------------------------------------------------------------- */

int
qemu_snapshot_image_backing(const char *top, char **ret_base, char **ret_format)
{
    size_t size = 0;
    _cleanup_free_ unsigned char *buf = read_header(top, &size);
    _cleanup_free_ char *base = buf ? backing_path(top) : NULL;
    if (!base)
        return vp_plugin_error_set(VP_ERR_OPERATION_INVALID,
                                   "overlay '%s' has no backing file to merge it into", top);
    char *format = NULL;
    if (qemu_chain_parse_qcow2_backing_format(buf, size, &format) != 1) {
        _cleanup_free_ char *out = NULL;
        int r = qemu_snapshot_img_run(
            (const char *const[]){"info", "-U", "--output=json", base, NULL}, base, &out);
        if (r < 0)
            return r;
        json_object *info = json_tokener_parse(out), *fmt;
        format = vp_strdup(info && json_object_object_get_ex(info, "format", &fmt)
                               ? json_object_get_string(fmt)
                               : "raw");
        json_object_put(info);
    }
    *ret_base = VP_STEAL_PTR(base);
    *ret_format = format;
    return 0;
}

/* Where @top sits in the definition's chain: *@ret_at its index (chain->n
 * when it is not there), *@ret_above the image right above it. */
static int
place_in_chain(const vp_domain_def *dom, const char *dev, const char *top, size_t *ret_at,
               char **ret_above, bool *ret_in_chain)
{
    const char *current = def_top(dom, dev);
    _cleanup_(qemu_chain_freep) qemu_chain *chain = NULL;
    struct stat st;
    *ret_in_chain = false;
    *ret_above = NULL;
    if (!current || stat(top, &st) < 0)
        return 0;
    int r = qemu_chain_walk(current, &chain);
    if (r < 0)
        return r;
    size_t at = chain->n;
    for (size_t i = 0; i < chain->n; i++) {
        if (chain->links[i].exists && chain->links[i].dev == st.st_dev &&
            chain->links[i].ino == st.st_ino)
            at = i;
    }
    *ret_in_chain = at < chain->n;
    for (size_t j = at; *ret_in_chain && j-- > 0 && !*ret_above;) {
        if (qemu_snapshot_backed_by(chain->links[j].path, top))
            *ret_above = vp_strdup(chain->links[j].path);
    }
    *ret_at = at;
    return 0;
}

/* How to fold @top away: "commit" into its base when nothing else reaches
 * the base; else "stream", copying top's data up into the images above it
 * (qemu-img rebase), which never writes the base: for a branch the domain
 * does not run on, or for a shut-off domain. A running domain whose base
 * another chain shares is refused, saying what to do. */
static int
choose_mode(qemu_driver *drv, const char *domain, const vp_snapshot_def *snap, bool active,
            const char *top, const char *base, const char *above, bool in_chain,
            const char **ret_mode)
{
    *ret_mode = "stream";
    if (!in_chain)
        return 0;
    int r = qemu_snapshot_base_exclusive(drv, domain, snap->name, base, top);
    if (r >= 0) {
        *ret_mode = "commit";
        return 0;
    }
    if (r != VP_ERR_OPERATION_INVALID || !above)
        return r;
    if (active)
        return vp_plugin_error_set(
            VP_ERR_OPERATION_INVALID,
            "cannot merge snapshot '%s' of running domain '%s': %s; shut the domain down and delete the snapshot again, which copies '%s' into the image above it instead of writing the base",
            snap->name, domain, vp_error_last()->message, top);
    return 0;
}

/* Plan disk @dev's merge. 1 planned, 0 when nothing is to fold (@top is on
 * no chain of the domain's: it is removed once unreached). */
static int
plan_disk(qemu_driver *drv, const char *domain, const vp_snapshot_def *snap,
          const vp_domain_def *dom, bool active, const char *dev, const char *top,
          json_object *disks)
{
    size_t at = 0;
    bool in_chain = false;
    _cleanup_free_ char *above = NULL;
    int r = place_in_chain(dom, dev, top, &at, &above, &in_chain);
    json_object *others = json_object_new_array();
    if (r >= 0)
        r = qemu_snapshot_children_of(drv, domain, top, above, others);
    if (r < 0 || (!in_chain && json_object_array_length(others) == 0)) {
        json_object_put(others);
        return r;
    }
    _cleanup_free_ char *base = NULL, *format = NULL;
    const char *mode = NULL;
    r = qemu_snapshot_image_backing(top, &base, &format);
    if (r >= 0 && in_chain && at > 0 && !above)
        r = vp_plugin_error_set(
            VP_ERR_OPERATION_INVALID,
            "cannot merge snapshot '%s': no image of disk '%s' names '%s' as its backing file",
            snap->name, dev, top);
    if (r >= 0)
        r = choose_mode(drv, domain, snap, active, top, base, above, in_chain, &mode);
    if (r < 0) {
        json_object_put(others);
        return r;
    }
    json_object *d = json_object_new_object();
    json_object_object_add(d, "dev", json_object_new_string(dev));
    json_object_object_add(d, "top", json_object_new_string(top));
    json_object_object_add(d, "base", json_object_new_string(base));
    json_object_object_add(d, "base_format", json_object_new_string(format));
    json_object_object_add(d, "above", above ? json_object_new_string(above) : NULL);
    json_object_object_add(d, "mode", json_object_new_string(mode));
    json_object_object_add(d, "others", others);
    json_object_array_add(disks, d);
    return 1;
}

static merge_disk
disk_of(json_object *d)
{
    json_object *others = NULL;
    return (merge_disk){
        .dev = qemu_json_str(d, "dev"),
        .top = qemu_json_str(d, "top"),
        .base = qemu_json_str(d, "base"),
        .base_format = qemu_json_str(d, "base_format"),
        .above = qemu_json_str(d, "above"),
        .stream = qemu_json_str(d, "mode") && strcmp(qemu_json_str(d, "mode"), "stream") == 0,
        .others = json_object_object_get_ex(d, "others", &others) ? others : NULL,
    };
}

/* ---- shut off: qemu-img ------------------------------------------------------ */

/* Each step is skipped when done: the definition (active layer) or the
 * image above (a lower one) no longer naming top means top was folded. */
static int
merge_offline(const qemu_driver *drv, const char *domain, const merge_disk *d)
{
    vp_domain_def *dom = NULL;
    int r = qemu_domain_load_def(drv, domain, &dom);
    if (r < 0)
        return r;
    bool pending = d->above ? qemu_snapshot_backed_by(d->above, d->top)
                            : qemu_snapshot_same_file(def_top(dom, d->dev), d->top);
    vp_plugin_domain_def_free(dom);
    if (!pending)
        return 0;
    /* -d: top is removed afterwards, emptying it is wasted work. */
    r = qemu_snapshot_img_run((const char *const[]){"commit", "-q", "-d", d->top, NULL}, d->top,
                              NULL);
    if (r < 0)
        return r;
    qemu_step("snapshot-merge: committed");
    if (!d->above)
        return def_point_at(drv, domain, d);
    /* Safe without -u's checks: the base now holds what top held. */
    r = qemu_snapshot_img_run(
        (const char *const[]){"rebase", "-u", "-b", d->base, "-F", d->base_format, d->above, NULL},
        d->above, NULL);
    if (r >= 0)
        qemu_step("snapshot-merge: rebased");
    return r;
}

/* ---- running: block-commit ------------------------------------------------------ */

typedef struct live {
    qemu_monitor *mon;
    bool mon_saw_chains; /* every merged top was seen out of QEMU's chains */
    const char *domain;
    json_object *intent; /* written again when the guest is paused for a pivot */
} live;

/* The format node QEMU opened @path with, from query-named-block-nodes. */
static int
node_of(live *l, const char *path, char **ret_node)
{
    json_object *nodes = NULL;
    json_object *args = json_object_new_object();
    json_object_object_add(args, "flat", json_object_new_boolean(true));
    int r = qemu_monitor_command(l->mon, "query-named-block-nodes", args, QEMU_MONITOR_TIMEOUT_MS,
                                 &nodes);
    json_object_put(args);
    if (r < 0)
        return r;
    *ret_node = NULL;
    for (size_t i = 0; i < json_object_array_length(nodes) && !*ret_node; i++) {
        json_object *n = json_object_array_get_idx(nodes, i);
        const char *drv = qemu_json_str(n, "drv"), *file = qemu_json_str(n, "file");
        if (drv && strcmp(drv, "file") != 0 && qemu_snapshot_same_file(file, path))
            *ret_node = vp_strdup(qemu_json_str(n, "node-name"));
    }
    json_object_put(nodes);
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

/* Wait until job @id leaves "created"/"running" (and, for the active layer,
 * until ready); its status then. */
static int
job_wait(live *l, const char *id, char **ret_status, char **ret_error)
{
    int64_t deadline = qemu_json_now_ms() + MERGE_JOB_TIMEOUT_MS;
    for (;;) {
        _cleanup_free_ char *status = NULL;
        int r = job_status(l, id, &status, ret_error);
        if (r < 0)
            return r;
        if (!status || (strcmp(status, "created") != 0 && strcmp(status, "running") != 0 &&
                        strcmp(status, "pending") != 0 && strcmp(status, "waiting") != 0)) {
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

/* Whether the guest's vCPUs run. */
static int
guest_running(live *l, bool *ret_running)
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
        qemu_monitor_wait_event(l->mon, "BLOCK_JOB_READY", 20, NULL);
    }
}

/* The guest is paused for the pivot (the intent says, from the start,
 * that a guest running then is to be resumed, so a kill here leaves that
 * to the next operation): the definition may name the base only once the
 * base holds every write, and a pivot and a file write cannot be one
 * step. */
static int
pivot(const qemu_driver *drv, live *l, const merge_disk *d, const char *id)
{
    bool running = false;
    int r = guest_running(l, &running);
    if (r >= 0 && running) {
        r = qemu_monitor_command(l->mon, "stop", NULL, QEMU_MONITOR_TIMEOUT_MS, NULL);
        if (r >= 0)
            qemu_step("snapshot-merge: guest paused for the pivot");
    }
    if (r >= 0)
        r = wait_synced(l, id);
    if (r >= 0)
        r = def_point_at(drv, l->domain, d);
    if (r >= 0)
        r = job_simple(l, "job-complete", id);
    if (r >= 0)
        qemu_step("snapshot-merge: pivoted");
    return r;
}

static int
resume_if_paused_by_us(live *l, json_object *intent)
{
    json_object *resume;
    bool running = true;
    if (!json_object_object_get_ex(intent, "resume", &resume) || !json_object_get_boolean(resume))
        return 0;
    int r = guest_running(l, &running);
    if (r >= 0 && !running)
        r = qemu_monitor_command(l->mon, "cont", NULL, QEMU_MONITOR_TIMEOUT_MS, NULL);
    return r;
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
    int r = qemu_monitor_command(l->mon, "query-block", NULL, QEMU_MONITOR_TIMEOUT_MS, &blocks);
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
    json_object_put(blocks);
    return 0;
}

/* Start the commit of @d, or pick up the one a killed caller started, and
 * see it to its end. @may_start: false when recovering (no job and top
 * still in use means the merge never began: nothing to finish). Returns 1
 * when top is out of QEMU's chain, 0 when the merge did not happen. */
static int
merge_live(const qemu_driver *drv, live *l, const merge_disk *d, bool may_start)
{
    _cleanup_free_ char *id = vp_asprintf("vp-commit-%s", d->dev);
    _cleanup_free_ char *status = NULL, *error = NULL, *top_node = NULL;
    int r = job_status(l, id, &status, &error);
    if (r >= 0)
        r = node_of(l, d->top, &top_node);
    if (r < 0)
        return r;
    if (!status) {
        bool used = false;
        r = top_in_use(l, d->dev, d->top, &used);
        if (r < 0 || !used) {
            if (r >= 0 && !d->above)
                r = def_point_at(drv, l->domain, d);
            return r < 0 ? r : 1;
        }
        if (!may_start)
            return 0;
        _cleanup_free_ char *base_node = NULL;
        r = node_of(l, d->base, &base_node);
        if (r >= 0 && (!top_node || !base_node))
            r = vp_plugin_error_set(VP_ERR_OPERATION_INVALID,
                                    "QEMU of domain '%s' has no block node for '%s'", l->domain,
                                    top_node ? d->base : d->top);
        if (r < 0)
            return r;
        json_object *blocks = NULL;
        r = qemu_monitor_command(l->mon, "query-block", NULL, QEMU_MONITOR_TIMEOUT_MS, &blocks);
        _cleanup_free_ char *root = r >= 0 ? qemu_snapshot_top_node(blocks, d->dev) : NULL;
        json_object_put(blocks);
        if (r < 0)
            return r;
        json_object *args = json_object_new_object();
        json_object_object_add(args, "job-id", json_object_new_string(id));
        json_object_object_add(args, "device", json_object_new_string(root));
        if (d->above)
            json_object_object_add(args, "top-node", json_object_new_string(top_node));
        json_object_object_add(args, "base-node", json_object_new_string(base_node));
        json_object_object_add(args, "auto-dismiss", json_object_new_boolean(false));
        r = qemu_monitor_command(l->mon, "block-commit", args, QEMU_MONITOR_TIMEOUT_MS, NULL);
        json_object_put(args);
        if (r < 0)
            return r;
        qemu_step("snapshot-merge: commit started");
    }
    free(status);
    status = NULL;
    r = job_wait(l, id, &status, &error);
    if (r >= 0 && status && strcmp(status, "ready") == 0) {
        r = pivot(drv, l, d, id);
        free(status);
        status = NULL;
        if (r >= 0)
            r = job_wait(l, id, &status, &error);
    }
    if (r < 0)
        return r;
    if (status && strcmp(status, "concluded") == 0)
        job_simple(l, "job-dismiss", id);
    if (!error && top_node)
        drop_node(l, top_node);
    if (error)
        return vp_plugin_error_set(VP_ERR_OPERATION_INVALID,
                                   "QEMU could not merge '%s' into '%s' for domain '%s': %s",
                                   d->top, d->base, l->domain, error);
    return 1;
}

/* ---- both ------------------------------------------------------------------------ */

/* Fold every disk of the intent; then the record, then the overlays. */
static int
merge_run(qemu_driver *drv, const char *domain, const qemu_record *rec, json_object *intent,
          bool may_start)
{
    json_object *disks, *name;
    if (!json_object_object_get_ex(intent, "disks", &disks) ||
        !json_object_object_get_ex(intent, "snapshot", &name))
        return vp_plugin_error_set(VP_ERR_INTERNAL, "the merge intent of domain '%s' is incomplete",
                                   domain);
    const char *snap = json_object_get_string(name);
    live l = {.domain = domain, .intent = intent};
    int r = rec->active ? qemu_monitor_open(rec->qmp_path, QEMU_MONITOR_TIMEOUT_MS, &l.mon) : 0;
    bool merged = true;
    for (size_t i = 0; r >= 0 && i < json_object_array_length(disks); i++) {
        merge_disk d = disk_of(json_object_array_get_idx(disks, i));
        if (!d.dev || !d.top || !d.base || !d.base_format)
            r = vp_plugin_error_set(VP_ERR_INTERNAL,
                                    "the merge intent of domain '%s' is incomplete", domain);
        else if (d.stream)
            r = qemu_snapshot_rebase_children(d.top, d.base, d.base_format, d.above, d.others,
                                              true);
        else if (l.mon)
            r = merge_live(drv, &l, &d, may_start);
        else
            r = merge_offline(drv, domain, &d);
        /* Folded (a stream or offline commit that returned, a live one
         * whose top left QEMU's chain): the other branches follow. */
        if (r >= 0 && (d.stream || !l.mon))
            r = 1;
        if (r == 1 && !d.stream)
            r = qemu_snapshot_rebase_children(d.top, d.base, d.base_format, NULL, d.others, false) <
                        0
                    ? vp_error_last()->code
                    : 1;
        if (r == 0)
            merged = false;
    }
    if (l.mon) {
        int rr = resume_if_paused_by_us(&l, intent);
        r = r < 0 ? r : rr;
        qemu_monitor_close(l.mon);
        /* Each merged top was seen leaving QEMU's chain (merge_live
         * returned 1 for each disk). */
        l.mon_saw_chains = merged;
    }
    if (r < 0 || !merged)
        return r;
    _cleanup_free_ char *path = qemu_snapshot_record_path(drv, domain, snap);
    if (unlink(path) < 0 && errno != ENOENT)
        return vp_plugin_error_set_errno(VP_ERR_SYSTEM, errno, "cannot remove '%s'", path);
    qemu_step("snapshot-merge: record removed");
    json_object *files;
    for (size_t i = 0;
         json_object_object_get_ex(intent, "files", &files) && i < json_object_array_length(files);
         i++) {
        const char *f = json_object_get_string(json_object_array_get_idx(files, i));
        struct stat st;
        bool merged_top = false;
        for (size_t k = 0; l.mon_saw_chains && k < json_object_array_length(disks); k++) {
            const char *top = qemu_json_str(json_object_array_get_idx(disks, k), "top");
            merged_top = merged_top || (top && strcmp(top, f) == 0);
        }
        if (lstat(f, &st) < 0 || !S_ISREG(st.st_mode) ||
            (merged_top ? qemu_snapshot_file_unreached_but_by_own_qemu(drv, domain, snap, f)
                        : qemu_snapshot_file_unreached(drv, domain, snap, f)) < 0)
            continue; /* still reached: it stays, and so does nothing else */
        if (unlink(f) < 0 && errno != ENOENT)
            return vp_plugin_error_set_errno(VP_ERR_SYSTEM, errno, "cannot remove overlay '%s'", f);
    }
    qemu_step("snapshot-merge: overlays removed");
    return 0;
}

int
qemu_snapshot_merge(qemu_driver *drv, const char *domain, qemu_record *rec,
                    const vp_snapshot_def *snap)
{
    vp_domain_def *dom = NULL;
    int r = qemu_domain_load_def(drv, domain, &dom);
    if (r < 0)
        return r;
    json_object *intent = json_object_new_object();
    json_object *disks = json_object_new_array(), *files = json_object_new_array();
    json_object_object_add(intent, "op", json_object_new_string("snapshot-merge"));
    json_object_object_add(intent, "snapshot", json_object_new_string(snap->name));
    qemu_snapshot_intent_note_parent(intent, snap->parent);
    json_object_object_add(intent, "disks", disks);
    json_object_object_add(intent, "files", files);
    /* A guest running now is paused for a pivot and must run again, also
     * when a kill leaves that to the next operation. */
    bool running = false;
    if (rec->active) {
        live probe = {.domain = domain};
        r = qemu_monitor_open(rec->qmp_path, QEMU_MONITOR_TIMEOUT_MS, &probe.mon);
        if (r >= 0)
            r = guest_running(&probe, &running);
        qemu_monitor_close(probe.mon);
    }
    json_object_object_add(intent, "resume", json_object_new_boolean(running));
    for (size_t i = 0; r >= 0 && i < snap->n_disks; i++) {
        const vp_snapshot_disk_def *sd = &snap->disks[i];
        if (sd->location != VP_SNAPSHOT_LOCATION_EXTERNAL || !sd->source_file)
            continue;
        r = plan_disk(drv, domain, snap, dom, rec->active, sd->name, sd->source_file, disks);
        json_object_array_add(files, json_object_new_string(sd->source_file));
    }
    vp_plugin_domain_def_free(dom);
    if (r >= 0)
        r = qemu_snapshot_intent_write(drv, domain, json_object_get(intent));
    if (r >= 0) {
        qemu_step("snapshot-merge: intent written");
        r = merge_run(drv, domain, rec, intent, true);
    }
    if (r >= 0)
        r = qemu_snapshot_intent_remove(drv, domain);
    json_object_put(intent);
    return r;
}

int
qemu_snapshot_merge_recover(qemu_driver *drv, const char *domain, qemu_record *rec,
                            json_object *intent)
{
    return merge_run(drv, domain, rec, intent, false);
}
