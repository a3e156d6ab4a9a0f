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
 * when nothing but this domain reaches it; when something else does (a
 * base image shared with another domain, another branch of the tree), TOP
 * is streamed up instead: QMP block-stream into the image the domain runs
 * on, qemu-img rebase for the other branches. TOP is removed only when no
 * chain reaches it any more.
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
#include "qemu-snapshot-merge.h"

#define HEADER_BYTES 65536

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

int
qemu_merge_def_point_at(const qemu_driver *drv, const char *domain, const merge_disk *d)
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
 * the base; else "stream", copying top's data up into the images above it,
 * which never writes the base: for a branch the domain does not run on, or
 * when the base is shared (QMP block-stream for the image the domain runs
 * on, qemu-img rebase for the other branches). */
static int
choose_mode(qemu_driver *drv, const char *domain, const vp_snapshot_def *snap, const char *top,
            const char *base, const char *above, bool in_chain, const char **ret_mode)
{
    *ret_mode = "stream";
    if (!in_chain)
        return 0;
    int r = qemu_snapshot_base_exclusive(drv, domain, snap->name, base, top);
    if (r >= 0) {
        *ret_mode = "commit";
        return 0;
    }
    if (r != VP_ERR_OPERATION_INVALID)
        return r;
    /* The active layer over a shared base: base comes down into top. */
    if (!above)
        *ret_mode = "flatten";
    return 0;
}

/* Plan disk @dev's merge. 1 planned, 0 when nothing is to fold (@top is on
 * no chain of the domain's: it is removed once unreached). */
static int
plan_disk(qemu_driver *drv, const char *domain, const vp_snapshot_def *snap,
          const vp_domain_def *dom, const char *dev, const char *top, json_object *disks)
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
        r = choose_mode(drv, domain, snap, top, base, above, in_chain, &mode);
    if (r < 0) {
        json_object_put(others);
        return r;
    }
    _cleanup_free_ char *below = NULL, *below_format = NULL;
    _cleanup_(qemu_chain_freep) qemu_chain *chain = NULL;
    if (strcmp(mode, "flatten") == 0 && (r = qemu_chain_walk(base, &chain)) >= 0 && chain->n > 1)
        r = qemu_snapshot_image_backing(base, &below, &below_format);
    if (r < 0) {
        json_object_put(others);
        return r;
    }
    json_object *d = json_object_new_object();
    json_object_object_add(d, "below", below ? json_object_new_string(below) : NULL);
    json_object_object_add(d, "below_format",
                           below_format ? json_object_new_string(below_format) : NULL);
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
        .flatten = qemu_json_str(d, "mode") && strcmp(qemu_json_str(d, "mode"), "flatten") == 0,
        .below = qemu_json_str(d, "below"),
        .below_format = qemu_json_str(d, "below_format"),
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
        return qemu_merge_def_point_at(drv, domain, d);
    /* Safe without -u's checks: the base now holds what top held. */
    r = qemu_snapshot_img_run(
        (const char *const[]){"rebase", "-u", "-b", d->base, "-F", d->base_format, d->above, NULL},
        d->above, NULL);
    if (r >= 0)
        qemu_step("snapshot-merge: rebased");
    return r;
}

/* The active layer over a shared base, shut off: base's data copied down
 * into top (qemu-img rebase, which writes top only and changes its
 * backing name last), skipped once top is no longer on base. */
static int
flatten_offline(const merge_disk *d)
{
    if (!qemu_snapshot_backed_by(d->top, d->base))
        return 0;
    int r = d->below
                ? qemu_snapshot_img_run((const char *const[]){"rebase", "-q", "-b", d->below, "-F",
                                                              d->below_format, d->top, NULL},
                                        d->top, NULL)
                : qemu_snapshot_img_run(
                      (const char *const[]){"rebase", "-q", "-b", "", d->top, NULL}, d->top, NULL);
    if (r >= 0)
        qemu_step("snapshot-merge: base streamed into the active layer");
    return r;
}

/* ---- both ------------------------------------------------------------------------ */

/* Fold every disk of the intent; then the record, then the overlays. */
static int
merge_run(qemu_driver *drv, const char *domain, const qemu_record *rec, json_object *intent,
          qemu_monitor *mon, bool may_start)
{
    json_object *disks, *name;
    if (!json_object_object_get_ex(intent, "disks", &disks) ||
        !json_object_object_get_ex(intent, "snapshot", &name))
        return vp_plugin_error_set(VP_ERR_INTERNAL, "the merge intent of domain '%s' is incomplete",
                                   domain);
    const char *snap = json_object_get_string(name);
    live l = {.domain = domain, .intent = intent, .mon = mon};
    int r =
        rec->active && !mon ? qemu_monitor_open(rec->qmp_path, QEMU_MONITOR_TIMEOUT_MS, &l.mon) : 0;
    bool merged = true;
    for (size_t i = 0; r >= 0 && i < json_object_array_length(disks); i++) {
        merge_disk d = disk_of(json_object_array_get_idx(disks, i));
        if (!d.dev || !d.top || !d.base || !d.base_format)
            r = vp_plugin_error_set(VP_ERR_INTERNAL,
                                    "the merge intent of domain '%s' is incomplete", domain);
        else if (d.flatten && (!d.below || d.below_format))
            r = l.mon ? qemu_merge_live_flatten(&l, &d, may_start) : flatten_offline(&d);
        else if (d.flatten)
            r = vp_plugin_error_set(VP_ERR_INTERNAL,
                                    "the merge intent of domain '%s' is incomplete", domain);
        else if (d.stream && l.mon && d.above)
            r = qemu_merge_live_stream(&l, &d, may_start);
        else if (d.stream)
            r = qemu_snapshot_rebase_children(d.top, d.base, d.base_format, d.above, d.others,
                                              true);
        else if (l.mon)
            r = qemu_merge_live_commit(drv, &l, &d, may_start);
        else
            r = merge_offline(drv, domain, &d);
        /* Folded (a stream or offline commit that returned, a live one
         * whose top left QEMU's chain): the other branches follow, those
         * of a live stream with their data copied (qemu-img rebase: QEMU
         * does not run them). */
        if (r >= 0 && (!l.mon || (d.stream && !d.above)))
            r = 1;
        /* Flattened: what was built on top stays on top. */
        if (r == 1 && !d.flatten)
            r = qemu_snapshot_rebase_children(d.top, d.base, d.base_format, NULL, d.others,
                                              d.stream) < 0
                    ? vp_error_last()->code
                    : 1;
        if (r == 0)
            merged = false;
    }
    if (l.mon) {
        int rr = qemu_merge_live_resume(&l);
        r = r < 0 ? r : rr;
        qemu_merge_live_forget(&l);
        if (l.mon != mon)
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
    live probe = {.domain = domain};
    if (rec->active) {
        r = qemu_monitor_open(rec->qmp_path, QEMU_MONITOR_TIMEOUT_MS, &probe.mon);
        if (r >= 0)
            r = qemu_merge_live_guest_running(&probe, &running);
    }
    json_object_object_add(intent, "resume", json_object_new_boolean(running));
    for (size_t i = 0; r >= 0 && i < snap->n_disks; i++) {
        const vp_snapshot_disk_def *sd = &snap->disks[i];
        if (sd->location != VP_SNAPSHOT_LOCATION_EXTERNAL || !sd->source_file)
            continue;
        r = plan_disk(drv, domain, snap, dom, sd->name, sd->source_file, disks);
        json_object_array_add(files, json_object_new_string(sd->source_file));
    }
    vp_plugin_domain_def_free(dom);
    if (r >= 0)
        r = qemu_snapshot_intent_write(drv, domain, json_object_get(intent));
    if (r >= 0) {
        qemu_step("snapshot-merge: intent written");
        r = merge_run(drv, domain, rec, intent, probe.mon, true);
    }
    qemu_monitor_close(probe.mon);
    if (r >= 0)
        r = qemu_snapshot_intent_remove(drv, domain);
    json_object_put(intent);
    return r;
}

int
qemu_snapshot_merge_recover(qemu_driver *drv, const char *domain, qemu_record *rec,
                            json_object *intent)
{
    return merge_run(drv, domain, rec, intent, NULL, false);
}
