/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Copyright (C) 2026 The virtplug developers */
/*
 * qemu-snapshot-delete.c: deleting snapshots, and the rule that guards
 * every file removal.
 *
 * Owns removing a snapshot: an internal one from its images (the QMP
 * snapshot-delete job, or qemu-img when the domain is shut off; only from
 * images that still hold it, so a delete that was killed is finished by
 * running it again), an external one's record and, when asked, its
 * overlay files. A file is removed only when no backing chain reaches it:
 * not of any domain's definition, of any snapshot record, or of any
 * running QEMU (query-block, and query-named-block-nodes for every node it
 * holds open, also outside a disk's chain) — chains are walked through the images'
 * headers (qemu-chain.c), never guessed from names. Removing overlays goes
 * through an intent (qemu-snapshot-intent.c): record first, then files.
 */
#include <config.h>

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "qemu-chain.h"
#include "qemu-json.h"
#include "qemu-monitor.h"
#include "qemu-snapshot.h"

/* The snapshot-delete job: it reports its error in query-jobs, not in the reply. */
static int
delete_job(qemu_monitor *mon, const char *domain, const char *name, json_object *devices)
{
    _cleanup_free_ char *job_id = vp_asprintf("vp-delete-%s", name);
    json_object *args = json_object_new_object();
    json_object_object_add(args, "job-id", json_object_new_string(job_id));
    json_object_object_add(args, "tag", json_object_new_string(name));
    json_object_object_add(args, "devices", json_object_get(devices));
    int r = qemu_monitor_command(mon, "snapshot-delete", args, QEMU_MONITOR_TIMEOUT_MS, NULL);
    json_object_put(args);
    for (bool done = false; r >= 0 && !done;) {
        json_object *ev = NULL, *data, *id, *status;
        r = qemu_monitor_wait_event(mon, "JOB_STATUS_CHANGE", QEMU_MONITOR_TIMEOUT_MS * 6, &ev);
        done = r >= 0 && json_object_object_get_ex(ev, "data", &data) &&
               json_object_object_get_ex(data, "id", &id) &&
               json_object_object_get_ex(data, "status", &status) &&
               strcmp(json_object_get_string(id), job_id) == 0 &&
               strcmp(json_object_get_string(status), "concluded") == 0;
        json_object_put(ev);
    }
    if (r < 0)
        return r;
    json_object *jobs = NULL;
    r = qemu_monitor_command(mon, "query-jobs", NULL, QEMU_MONITOR_TIMEOUT_MS, &jobs);
    _cleanup_free_ char *error = NULL;
    for (size_t i = 0; r >= 0 && i < json_object_array_length(jobs); i++) {
        json_object *j = json_object_array_get_idx(jobs, i), *id, *err;
        if (json_object_object_get_ex(j, "id", &id) &&
            strcmp(json_object_get_string(id), job_id) == 0 &&
            json_object_object_get_ex(j, "error", &err))
            error = vp_strdup(json_object_get_string(err));
    }
    json_object_put(jobs);
    json_object *dismiss = json_object_new_object();
    json_object_object_add(dismiss, "id", json_object_new_string(job_id));
    qemu_monitor_command(mon, "job-dismiss", dismiss, QEMU_MONITOR_TIMEOUT_MS, NULL);
    json_object_put(dismiss);
    if (r >= 0 && error)
        r = vp_plugin_error_set(VP_ERR_OPERATION_INVALID,
                                "QEMU could not delete snapshot '%s' of domain '%s': %s", name,
                                domain, error);
    return r;
}

static int
delete_internal_running(const qemu_record *rec, const char *domain, const vp_snapshot_def *snap)
{
    qemu_monitor *mon = NULL;
    int r = qemu_monitor_open(rec->qmp_path, QEMU_MONITOR_TIMEOUT_MS, &mon);
    if (r < 0)
        return r;
    json_object *blocks = NULL;
    r = qemu_monitor_command(mon, "query-block", NULL, QEMU_MONITOR_TIMEOUT_MS, &blocks);
    json_object *devices = json_object_new_array();
    for (size_t i = 0; r >= 0 && i < snap->n_disks; i++) {
        bool has = false;
        if (snap->disks[i].location != VP_SNAPSHOT_LOCATION_INTERNAL)
            continue;
        /* Only images that still hold it: a delete killed half way is
         * finished by running it again. */
        r = qemu_snapshot_tag_exists(blocks, snap->disks[i].name, NULL, snap->name, &has);
        _cleanup_free_ char *node = qemu_snapshot_top_node(blocks, snap->disks[i].name);
        if (r >= 0 && has)
            json_object_array_add(devices, json_object_new_string(node));
    }
    if (r >= 0 && json_object_array_length(devices) > 0)
        r = delete_job(mon, domain, snap->name, devices);
    json_object_put(devices);
    json_object_put(blocks);
    qemu_monitor_close(mon);
    return r;
}

int
qemu_snapshot_internal_offline(const vp_domain_def *dom, const vp_snapshot_def *snap,
                               const char *action)
{
    for (size_t i = 0; i < dom->n_disks; i++) {
        const vp_domain_disk_def *d = &dom->disks[i];
        const vp_snapshot_disk_def *s = qemu_snapshot_request_disk(snap, d);
        bool has = false;
        if (!s || s->location != VP_SNAPSHOT_LOCATION_INTERNAL || !d->source_file)
            continue;
        int r = qemu_snapshot_tag_exists(NULL, d->target_dev, d->source_file, snap->name, &has);
        if (r < 0)
            return r;
        if (!has)
            continue;
        r = qemu_snapshot_img_run(
            (const char *const[]){"snapshot", action, snap->name, d->source_file, NULL},
            d->source_file, NULL);
        if (r < 0)
            return r;
    }
    return 0;
}

/* ---- who reaches a file ------------------------------------------------ */

typedef struct reach_check {
    const char *path; /* the file about to be removed or written into */
    dev_t dev;
    ino_t ino;
    /* A merge writes into the file (its base) and folds @via (its top) in:
     * a chain that reaches the base through the top reads the same data
     * afterwards, so only chains reaching the base some other way count;
     * records whose chain starts at the base, and the running QEMU of
     * @merging_domain (whose lock the merge holds), do not either. */
    const char *locked_domain;  /* the caller's domain, whose lock it holds */
    bool skip_own_qemu;         /* the caller just read its own QEMU's chain */
    const char *merging_domain; /* NULL: a file about to be removed */
    dev_t via_dev;
    ino_t via_ino;
} reach_check;

/* Whether @chain reaches the checked file, not counting a merge's way
 * through its top. */
static bool
chain_hits(const reach_check *c, const qemu_chain *chain)
{
    for (size_t i = 0; i < chain->n; i++) {
        const qemu_chain_link *l = &chain->links[i];
        if (!l->exists)
            continue;
        if (c->merging_domain && l->dev == c->via_dev && l->ino == c->via_ino)
            return false;
        if (l->dev == c->dev && l->ino == c->ino)
            return true;
    }
    return false;
}

/* VP_ERR_OPERATION_INVALID when the chain from @image reaches the file;
 * @who says whose chain it is. */
static int
chain_check(const reach_check *c, const char *image, const char *who)
{
    _cleanup_(qemu_chain_freep) qemu_chain *chain = NULL;
    int r = qemu_chain_walk(image, &chain);
    if (r < 0)
        return r;
    const char *verb = c->merging_domain ? "merge into" : "delete";
    if (chain_hits(c, chain))
        return vp_plugin_error_set(
            VP_ERR_OPERATION_INVALID,
            "cannot %s '%s': %s, whose backing chain starts at '%s', still uses it", verb, c->path,
            who, image);
    if (chain->unresolved)
        return vp_plugin_error_set(
            VP_ERR_OPERATION_INVALID,
            "cannot %s '%s': %s has backing file '%s', which the qemu driver cannot follow to tell whether it uses the file",
            verb, c->path, who, chain->unresolved);
    return 0;
}

static bool
same_file(const reach_check *c, const char *path)
{
    struct stat st;
    return stat(path, &st) == 0 && st.st_dev == c->dev && st.st_ino == c->ino;
}

static int
check_disks(const reach_check *c, const char *name, const vp_domain_def *def, bool waiting)
{
    int r = 0;
    for (size_t i = 0; r >= 0 && def && i < def->n_disks; i++) {
        const vp_domain_disk_def *d = &def->disks[i];
        if (!d->source_file)
            continue;
        struct stat st;
        if (stat(d->source_file, &st) == 0 && st.st_dev == c->dev && st.st_ino == c->ino) {
            r = vp_plugin_error_set(
                VP_ERR_OPERATION_INVALID, "cannot %s '%s': %s '%s' uses it as disk '%s'",
                c->merging_domain ? "merge into" : "delete", c->path,
                waiting ? "the definition waiting for the stop of domain" : "domain", name,
                d->target_dev);
            break;
        }
        _cleanup_free_ char *who =
            waiting ? vp_asprintf("disk '%s' of the definition waiting for the stop of domain '%s'",
                                  d->target_dev, name)
                    : vp_asprintf("disk '%s' of domain '%s'", d->target_dev, name);
        r = chain_check(c, d->source_file, who);
    }
    return r;
}

/* Each disk of domain @name's definition, and of the definition that
 * waits for its stop (qemu-define-next.c), if any. */
static int
check_definition(qemu_driver *drv, const reach_check *c, const char *name)
{
    vp_domain_def *def = NULL;
    int r = qemu_domain_load_def(drv, name, &def);
    for (int pass = 0; r >= 0 && pass < 2; pass++) {
        if (pass == 1) {
            vp_plugin_domain_def_free(def);
            def = NULL;
            r = qemu_define_next_def(drv, name, &def);
        }
        r = r < 0 ? r : check_disks(c, name, def, pass == 1);
    }
    vp_plugin_domain_def_free(def);
    return r;
}

static int
check_records(qemu_driver *drv, const reach_check *c, const char *name, const char *domain,
              const char *except)
{
    qemu_snap_entry *e = NULL;
    int n = qemu_snapshot_records_list(drv, name, &e);
    int r = 0;
    for (int i = 0; i < n; i++) {
        vp_snapshot_def *other = NULL;
        bool skip = strcmp(name, domain) == 0 && strcmp(e[i].name, except) == 0;
        if (r >= 0 && !skip && qemu_snapshot_record_load(drv, name, e[i].name, &other) >= 0) {
            for (size_t j = 0; r >= 0 && j < other->n_disks; j++) {
                const char *src = other->disks[j].source_file;
                if (!src || other->disks[j].location != VP_SNAPSHOT_LOCATION_EXTERNAL ||
                    (c->merging_domain && same_file(c, src)))
                    continue;
                _cleanup_free_ char *who = vp_asprintf(
                    "the snapshot '%s' of domain '%s' (delete it first)", e[i].name, name);
                r = chain_check(c, src, who);
            }
        }
        vp_plugin_snapshot_def_free(other);
        free(e[i].name);
    }
    free(e);
    return r;
}

/* Every file name in a query-block entry's image chain. */
static int
check_image_chain(const reach_check *c, json_object *image, const char *who)
{
    for (json_object *img = image, *next; img; img = next) {
        json_object *fn;
        struct stat st;
        bool named = json_object_object_get_ex(img, "filename", &fn) &&
                     stat(json_object_get_string(fn), &st) == 0;
        if (named && c->merging_domain && st.st_dev == c->via_dev && st.st_ino == c->via_ino)
            return 0;
        if (named && st.st_dev == c->dev && st.st_ino == c->ino)
            return vp_plugin_error_set(VP_ERR_OPERATION_INVALID, "cannot %s '%s': %s has it open",
                                       c->merging_domain ? "merge into" : "delete", c->path, who);
        if (!json_object_object_get_ex(img, "backing-image", &next))
            next = NULL;
    }
    return 0;
}

/* A file about to be removed may be open in a node outside every disk's
 * chain (one a block job or a killed caller left): query-named-block-nodes
 * names every node's file. QEMU 7.2 can crash answering it while a block
 * job runs or waits, so a QEMU with such a job keeps the file for a later
 * try. */
static int
check_all_nodes(const reach_check *c, qemu_monitor *mon, const char *name, const char *who)
{
    json_object *jobs = NULL, *nodes = NULL;
    int r = qemu_monitor_command(mon, "query-jobs", NULL, QEMU_MONITOR_TIMEOUT_MS, &jobs);
    for (size_t i = 0; r >= 0 && i < json_object_array_length(jobs); i++) {
        const char *st = qemu_json_str(json_object_array_get_idx(jobs, i), "status");
        if (!st || (strcmp(st, "concluded") != 0 && strcmp(st, "null") != 0))
            r = vp_plugin_error_set(
                VP_ERR_OPERATION_IN_PROGRESS,
                "cannot delete '%s' now: a block job runs in the QEMU of domain '%s', so the files it has open cannot all be checked; try again once it ended",
                c->path, name);
    }
    json_object_put(jobs);
    json_object *args = json_object_new_object();
    json_object_object_add(args, "flat", json_object_new_boolean(true));
    if (r >= 0)
        r = qemu_monitor_command(mon, "query-named-block-nodes", args, QEMU_MONITOR_TIMEOUT_MS,
                                 &nodes);
    json_object_put(args);
    for (size_t i = 0; r >= 0 && i < json_object_array_length(nodes); i++) {
        json_object *n = json_object_array_get_idx(nodes, i);
        const char *file = qemu_json_str(n, "file"), *node = qemu_json_str(n, "node-name");
        if (file && same_file(c, file))
            r = vp_plugin_error_set(VP_ERR_OPERATION_INVALID,
                                    "cannot delete '%s': %s has it open (block node '%s')", c->path,
                                    who, node ? node : "?");
    }
    json_object_put(nodes);
    return r;
}

/* A running domain: what its QEMU has open (query-block; and
 * query-named-block-nodes for a file about to be removed). */
static int
check_running(qemu_driver *drv, const reach_check *c, const char *name)
{
    if ((c->merging_domain && strcmp(name, c->merging_domain) == 0) ||
        !qemu_domain_peek_active(drv, name))
        return 0;
    _cleanup_domain_lock_ int lock = -1;
    if (c->skip_own_qemu && strcmp(name, c->locked_domain) == 0)
        return 0;
    /* The caller's own domain: it holds that lock already. */
    int r = strcmp(name, c->locked_domain) == 0 ? 1 : qemu_lock_try(drv, name, &lock);
    if (r < 0)
        return r;
    if (r == 0)
        return vp_plugin_error_set(
            VP_ERR_OPERATION_IN_PROGRESS,
            "cannot delete '%s' now: domain '%s' is running and busy, so the files its QEMU has open cannot be checked; try again later",
            c->path, name);
    _cleanup_(qemu_record_freep) qemu_record *rec = NULL;
    r = qemu_domain_peek_record(drv, name, &rec);
    qemu_monitor *mon = NULL;
    json_object *blocks = NULL;
    if (r >= 0)
        r = qemu_monitor_open(rec->qmp_path, QEMU_MONITOR_TIMEOUT_MS, &mon);
    if (r >= 0)
        r = qemu_monitor_command(mon, "query-block", NULL, QEMU_MONITOR_TIMEOUT_MS, &blocks);
    _cleanup_free_ char *who = vp_asprintf("the QEMU of running domain '%s'", name);
    for (size_t i = 0; r >= 0 && i < json_object_array_length(blocks); i++) {
        json_object *ins, *image;
        if (json_object_object_get_ex(json_object_array_get_idx(blocks, i), "inserted", &ins) &&
            json_object_object_get_ex(ins, "image", &image))
            r = check_image_chain(c, image, who);
    }
    json_object_put(blocks);
    if (r >= 0 && !c->merging_domain)
        r = check_all_nodes(c, mon, name, who);
    qemu_monitor_close(mon);
    return r;
}

static int
reached_by_others(qemu_driver *drv, const char *domain, const char *except, const char *path,
                  const char *merging, const char *via, bool skip_own_qemu)
{
    struct stat st, vst = {0};
    if (stat(path, &st) < 0 || (via && stat(via, &vst) < 0))
        return 0;
    reach_check c = {.path = path,
                     .locked_domain = domain,
                     .skip_own_qemu = skip_own_qemu,
                     .dev = st.st_dev,
                     .ino = st.st_ino,
                     .merging_domain = merging,
                     .via_dev = vst.st_dev,
                     .via_ino = vst.st_ino};
    char **names = NULL;
    int n = qemu_domain_list_names(drv, &names);
    int r = n < 0 ? n : 0;
    for (int i = 0; r >= 0 && i < n; i++) {
        /* Records first: "delete that snapshot first" is the better advice. */
        r = check_records(drv, &c, names[i], domain, except);
        if (r >= 0)
            r = check_definition(drv, &c, names[i]);
        if (r >= 0)
            r = check_running(drv, &c, names[i]);
    }
    vp_strv_free(names);
    return r;
}

int
qemu_snapshot_file_unreached(qemu_driver *drv, const char *domain, const char *except,
                             const char *path)
{
    return reached_by_others(drv, domain, except, path, NULL, NULL, false);
}

int
qemu_snapshot_file_unreached_but_by_own_qemu(qemu_driver *drv, const char *domain,
                                             const char *except, const char *path)
{
    return reached_by_others(drv, domain, except, path, NULL, NULL, true);
}

int
qemu_snapshot_base_exclusive(qemu_driver *drv, const char *domain, const char *except,
                             const char *path, const char *top)
{
    return reached_by_others(drv, domain, except, path, domain, top, false);
}

/* The overlays go only when nothing runs on or builds upon them: the
 * record first (under an intent naming the files), then the files. */
static int
delete_overlays(qemu_driver *drv, const char *domain, const qemu_record *rec,
                const vp_snapshot_def *snap)
{
    if (rec->active)
        return vp_plugin_error_set(
            VP_ERR_OPERATION_INVALID,
            "cannot delete the overlays of snapshot '%s': domain '%s' is running on its disk chain; shut it down first",
            snap->name, domain);
    const char **files = vp_new0(const char *, snap->n_disks + 1);
    size_t n = 0;
    int r = 0;
    for (size_t i = 0; r >= 0 && i < snap->n_disks; i++) {
        const char *ov = snap->disks[i].source_file;
        struct stat st;
        if (snap->disks[i].location != VP_SNAPSHOT_LOCATION_EXTERNAL || !ov || lstat(ov, &st) < 0)
            continue;
        if (!S_ISREG(st.st_mode))
            r = vp_plugin_error_set(
                VP_ERR_OPERATION_INVALID,
                "cannot delete overlay '%s' of snapshot '%s': it is not a regular file", ov,
                snap->name);
        else
            r = qemu_snapshot_file_unreached(drv, domain, snap->name, ov);
        files[n++] = ov;
    }
    if (r >= 0)
        r = qemu_snapshot_intent_delete(drv, domain, snap->name, snap->parent, false, files, n);
    if (r >= 0) {
        qemu_step("snapshot-delete: intent written");
        _cleanup_free_ char *path = qemu_snapshot_record_path(drv, domain, snap->name);
        if (unlink(path) < 0)
            r = vp_plugin_error_set_errno(VP_ERR_SYSTEM, errno, "cannot remove '%s'", path);
    }
    if (r >= 0)
        qemu_step("snapshot-delete: record removed");
    for (size_t i = 0; r >= 0 && i < n; i++) {
        if (unlink(files[i]) < 0 && errno != ENOENT)
            r = vp_plugin_error_set_errno(VP_ERR_SYSTEM, errno, "cannot remove overlay '%s'",
                                          files[i]);
    }
    if (r >= 0) {
        qemu_step("snapshot-delete: overlays removed");
        r = qemu_snapshot_intent_remove(drv, domain);
    }
    free(files);
    return r;
}

int
qemu_snapshot_delete(qemu_driver *drv, const char *domain, const char *name, unsigned int flags)
{
    if (flags & ~(unsigned)(VP_SNAPSHOT_DELETE_OVERLAYS | VP_SNAPSHOT_DELETE_METADATA_ONLY))
        return vp_plugin_error_set(VP_ERR_INVALID_ARG, "unsupported snapshot delete flags 0x%x",
                                   flags);
    if ((flags & VP_SNAPSHOT_DELETE_OVERLAYS) && (flags & VP_SNAPSHOT_DELETE_METADATA_ONLY))
        return vp_plugin_error_set(
            VP_ERR_INVALID_ARG,
            "deleting snapshot '%s': the overlays flag removes files and the metadata-only flag keeps them; choose one",
            name);
    _cleanup_domain_lock_ int lock = -1;
    _cleanup_(qemu_record_freep) qemu_record *rec = NULL;
    int r = qemu_domain_begin(drv, domain, "snapshot-delete", &lock, &rec);
    if (r < 0)
        return r;
    vp_snapshot_def *snap = NULL;
    vp_domain_def *dom = NULL;
    r = qemu_snapshot_record_load(drv, domain, name, &snap);
    if (r >= 0)
        r = qemu_domain_load_def(drv, domain, &dom);
    bool record_left = true;
    if (r >= 0 && (flags & VP_SNAPSHOT_DELETE_METADATA_ONLY)) {
        /* The record alone; the intent keeps the tree. */
        r = qemu_snapshot_intent_delete(drv, domain, name, snap->parent, false, NULL, 0);
        if (r >= 0)
            qemu_step("snapshot-delete: intent written");
    } else if (r >= 0 && snap->memory == VP_SNAPSHOT_LOCATION_INTERNAL) {
        r = qemu_snapshot_intent_delete(drv, domain, name, snap->parent, true, NULL, 0);
        if (r >= 0) {
            qemu_step("snapshot-delete: intent written");
            r = rec->active ? delete_internal_running(rec, domain, snap)
                            : qemu_snapshot_internal_offline(dom, snap, "-d");
        }
        if (r >= 0)
            qemu_step("snapshot-delete: removed from the images");
    } else if (r >= 0 && (flags & VP_SNAPSHOT_DELETE_OVERLAYS)) {
        r = delete_overlays(drv, domain, rec, snap);
        record_left = false;
    } else if (r >= 0) {
        r = qemu_snapshot_merge(drv, domain, rec, snap);
        record_left = false;
    }
    if (r >= 0 && record_left) {
        _cleanup_free_ char *path = qemu_snapshot_record_path(drv, domain, name);
        if (unlink(path) < 0)
            r = vp_plugin_error_set_errno(VP_ERR_SYSTEM, errno, "cannot remove '%s'", path);
    }
    if (r >= 0)
        r = qemu_snapshot_intent_remove(drv, domain);
    /* What this delete left unreached, an earlier revert's overlay. */
    if (r >= 0)
        r = qemu_snapshot_reverts_sweep(drv, domain);
    vp_plugin_snapshot_def_free(snap);
    vp_plugin_domain_def_free(dom);
    return r < 0 ? r : 0;
}
