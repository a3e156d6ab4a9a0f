/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Copyright (C) 2026 The virtplug developers */
/*
 * qemu-snapshot-unstack.c: reverting to an internal snapshot that an
 * external one was taken on top of.
 *
 * Owns bringing each disk back onto the image that holds the internal
 * snapshot (HELD) before QEMU's snapshot-load (qemu-snapshot-revert.c).
 * HELD is the backing file of the external snapshot's overlay: loading the
 * snapshot into it would change what that overlay, and every other branch
 * built on HELD, reads. So HELD's present data is first copied into a new
 * image beside it (KEEP: qemu-img convert, only HELD's own clusters, over
 * HELD's backing file, without its internal snapshots), each image built
 * on HELD (this domain's branches, and every other domain's definition
 * and records whose chains reach HELD) is moved onto KEEP (qemu-img
 * rebase -u: KEEP reads exactly as HELD did; the images another running
 * domain's QEMU has open, live in that QEMU: qemu-snapshot-move.c), and
 * only then does the definition name HELD again. Every other snapshot keeps its data; the
 * revert then loads HELD as usual.
 *
 * Under a "snapshot-unstack" intent naming every image, written before
 * QEMU is stopped or a file made; each step is skipped once done (KEEP is
 * made under a temporary name and renamed when whole; the live move
 * looks at what that QEMU has first), so the next operation finishes an
 * unstack a kill interrupted (also with the other domain's QEMU killed:
 * its images are then rebased as files); one killed before
 * QEMU stopped is simply forgotten. It never removes a file but its own
 * temporary copy, and never writes HELD: QEMU's load does, afterwards.
 */
#include <config.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "qemu-chain.h"
#include "qemu-json.h"
#include "qemu-snapshot.h"

/* A path beside @held that no file has yet. (transfer full) */
static char *
pick_keep(const char *held)
{
    for (unsigned int n = 1;; n++) {
        char *path = vp_asprintf("%s.k%u", held, n);
        _cleanup_free_ char *tmp = vp_asprintf("%s.tmp", path);
        struct stat st;
        if (lstat(path, &st) < 0 && lstat(tmp, &st) < 0)
            return path;
        free(path);
    }
}

/* CONFIG/DOMAIN.snapshots/.unstacked: a JSON object naming, for each
 * KEEP an unstack made, the HELD image it copied, so that a revert to
 * the internal snapshot from KEEP's branch finds HELD again. */
static char *
unstacked_path(const qemu_driver *drv, const char *domain)
{
    _cleanup_free_ char *dir = qemu_snapshot_dir(drv, domain);
    return vp_asprintf("%s/.unstacked", dir);
}

static json_object *
unstacked_read(const qemu_driver *drv, const char *domain)
{
    _cleanup_free_ char *path = unstacked_path(drv, domain), *text = NULL;
    json_object *map = NULL;
    if (vp_plugin_file_read(path, 1 << 20, &text, NULL) >= 0)
        map = json_tokener_parse(text);
    if (!map || !json_object_is_type(map, json_type_object)) {
        json_object_put(map);
        map = json_object_new_object();
    }
    return map;
}

static int
unstacked_add(const qemu_driver *drv, const char *domain, const char *keep, const char *held)
{
    json_object *map = unstacked_read(drv, domain), *have;
    int r = 0;
    if (!json_object_object_get_ex(map, keep, &have)) {
        json_object_object_add(map, keep, json_object_new_string(held));
        _cleanup_free_ char *path = unstacked_path(drv, domain);
        const char *text = json_object_to_json_string_ext(map, JSON_C_TO_STRING_PLAIN);
        r = vp_plugin_file_write_atomic(path, text, strlen(text), 0600);
    }
    json_object_put(map);
    return r;
}

/* The HELD image that holds @tag for a chain that reaches a KEEP of an
 * earlier unstack instead. (transfer full) */
static char *
held_beside(const qemu_driver *drv, const char *domain, const qemu_chain *chain, const char *dev,
            const char *tag)
{
    json_object *map = unstacked_read(drv, domain);
    char *found = NULL;
    for (size_t k = 0; k < chain->n && !found; k++) {
        json_object_object_foreach(map, keep, held)
        {
            bool has = false;
            if (!found && qemu_snapshot_same_file(chain->links[k].path, keep) &&
                qemu_snapshot_tag_exists(NULL, dev, json_object_get_string(held), tag, &has) >= 0 &&
                has)
                found = vp_strdup(json_object_get_string(held));
        }
    }
    json_object_put(map);
    return found;
}

/* The link of @chain below its top that holds @tag: its index, 0 if none. */
static int
find_held(const qemu_chain *chain, const char *dev, const char *tag, size_t *ret_at)
{
    *ret_at = 0;
    for (size_t k = 1; k < chain->n && chain->links[k].exists && !*ret_at; k++) {
        bool has = false;
        int r = qemu_snapshot_tag_exists(NULL, dev, chain->links[k].path, tag, &has);
        if (r < 0)
            return r;
        if (has)
            *ret_at = k;
    }
    return 0;
}

static json_object *
disk_entry(const char *dev, const char *top, const char *held)
{
    json_object *d = json_object_new_object();
    json_object_object_add(d, "dev", json_object_new_string(dev));
    json_object_object_add(d, "top", json_object_new_string(top));
    json_object_object_add(d, "held", json_object_new_string(held));
    return d;
}

/* The disk of domain @name's definition that is @held itself, if any.
 * (transfer full) */
static char *
disk_on_held(qemu_driver *drv, const char *name, const char *held)
{
    vp_domain_def *def = NULL;
    char *dev = NULL;
    if (qemu_domain_load_def(drv, name, &def) < 0)
        return NULL;
    for (size_t i = 0; def && !dev && i < def->n_disks; i++) {
        const char *src = def->disks[i].source_file;
        if (src && qemu_snapshot_same_file(src, held))
            dev = vp_strdup(def->disks[i].target_dev);
    }
    vp_plugin_domain_def_free(def);
    return dev;
}

/* Add to @children every image built on @held (its backing file is
 * HELD): of this domain's definition and records, and of every other
 * domain's definition and records. Loading the snapshot rewrites HELD, so
 * each of them is moved onto the copy first; those another running
 * domain's definition reaches are also listed in @running (domain name:
 * array of images), whose QEMU is moved live (qemu-snapshot-move.c).
 * Refused, naming what to do: a disk that is HELD itself: the load would
 * change that disk's data, and moving it onto the copy would change the
 * file its definition names, which is the user's choice, not the
 * revert's. */
static int
collect_children(qemu_driver *drv, const char *domain, const vp_snapshot_def *snap,
                 const char *held, json_object *children, json_object *running)
{
    char **names = NULL;
    int n = qemu_domain_list_names(drv, &names);
    int r = n < 0 ? n : 0;
    for (int i = 0; r >= 0 && i < n; i++) {
        bool own = strcmp(names[i], domain) == 0;
        size_t before = json_object_array_length(children);
        _cleanup_free_ char *dev = disk_on_held(drv, names[i], held);
        if (dev)
            r = vp_plugin_error_set(
                VP_ERR_OPERATION_INVALID,
                "domain '%s' uses it as disk '%s', whose data that would change; to keep that "
                "domain's data, give it an overlay of its own first (start it, run 'vpsh "
                "snapshot-create-as %s NAME --disk-only', shut it off) and revert again",
                names[i], dev, names[i]);
        if (r >= 0)
            r = qemu_snapshot_children_of_def(drv, names[i], held, children);
        size_t after = json_object_array_length(children);
        bool moves = r >= 0 && !own && after > before && qemu_domain_peek_active(drv, names[i]);
        /* Its QEMU must be able to move: known before anything changes. */
        if (moves)
            r = qemu_snapshot_move_check(drv, names[i]);
        if (r >= 0 && moves) {
            json_object *images = json_object_new_array();
            for (size_t k = before; k < after; k++)
                json_object_array_add(images,
                                      json_object_get(json_object_array_get_idx(children, k)));
            json_object_object_add(running, names[i], images);
        }
        if (r >= 0)
            r = qemu_snapshot_children_of(drv, names[i], held, NULL, children);
    }
    vp_strv_free(names);
    if (r < 0)
        return vp_plugin_error_set(
            vp_error_last()->code,
            "cannot revert domain '%s' to internal snapshot '%s': loading it rewrites '%s', and %s",
            domain, snap->name, held, vp_error_last()->message);
    return 0;
}

/* Disk @dev runs on @top; HELD holds the snapshot and @above (optional)
 * is the image of @top's chain built on it: HELD's data is copied to
 * KEEP, and every image built on HELD moves onto KEEP. */
static int
plan_keep(qemu_driver *drv, const char *domain, const vp_snapshot_def *snap, const char *dev,
          const char *top, const char *held, const char *above, json_object *disks)
{
    json_object *children = json_object_new_array(), *running = json_object_new_object();
    if (above)
        json_object_array_add(children, json_object_new_string(above));
    int r = collect_children(drv, domain, snap, held, children, running);
    _cleanup_free_ char *backing = NULL, *format = NULL;
    _cleanup_(qemu_chain_freep) qemu_chain *below = NULL;
    if (r >= 0)
        r = qemu_chain_walk(held, &below);
    if (r >= 0 && below->n > 1)
        r = qemu_snapshot_image_backing(held, &backing, &format);
    if (r < 0) {
        json_object_put(children);
        json_object_put(running);
        return r;
    }
    _cleanup_free_ char *keep = pick_keep(held);
    json_object *d = disk_entry(dev, top, held);
    json_object_object_add(d, "keep", json_object_new_string(keep));
    json_object_object_add(d, "backing", backing ? json_object_new_string(backing) : NULL);
    json_object_object_add(d, "backing_format", format ? json_object_new_string(format) : NULL);
    json_object_object_add(d, "children", children);
    json_object_object_add(d, "running", running);
    json_object_array_add(disks, d);
    return 0;
}

/* No image of @top's chain holds the snapshot: the disk runs on another
 * branch, built on a KEEP of an earlier unstack. The disk goes back onto
 * that unstack's HELD image when nothing is built on it any more (no
 * definition, record or running QEMU reaches it): no copy is needed. */
static int
plan_beside(qemu_driver *drv, const char *domain, const vp_snapshot_def *snap, const char *dev,
            const char *top, const qemu_chain *chain, json_object *disks)
{
    _cleanup_free_ char *held = held_beside(drv, domain, chain, dev, snap->name);
    if (!held)
        return vp_plugin_error_set(
            VP_ERR_OPERATION_INVALID,
            "cannot revert domain '%s' to internal snapshot '%s': no image in the backing chain of disk '%s' holds it, nor one it was copied from",
            domain, snap->name, dev);
    /* Nothing built on HELD any more: the disk goes straight back. */
    if (qemu_snapshot_file_unreached(drv, domain, snap->name, held) >= 0) {
        json_object_array_add(disks, disk_entry(dev, top, held));
        return 0;
    }
    return plan_keep(drv, domain, snap, dev, top, held, NULL, disks);
}

/* Plan disk @dev, which runs on @top: nothing when @top holds the
 * snapshot; else an entry of @disks. */
static int
plan_disk(qemu_driver *drv, const char *domain, const vp_snapshot_def *snap, const char *dev,
          const char *top, json_object *disks)
{
    bool has = false;
    int r = qemu_snapshot_tag_exists(NULL, dev, top, snap->name, &has);
    if (r < 0 || has)
        return r;
    _cleanup_(qemu_chain_freep) qemu_chain *chain = NULL;
    size_t at = 0;
    r = qemu_chain_walk(top, &chain);
    if (r >= 0)
        r = find_held(chain, dev, snap->name, &at);
    if (r >= 0 && !at)
        return plan_beside(drv, domain, snap, dev, top, chain, disks);
    if (r < 0)
        return r;
    return plan_keep(drv, domain, snap, dev, top, chain->links[at].path, chain->links[at - 1].path,
                     disks);
}

/* KEEP: HELD's data as it is, made whole under a temporary name. */
static int
make_keep(json_object *d)
{
    const char *held = qemu_json_str(d, "held"), *keep = qemu_json_str(d, "keep");
    const char *backing = qemu_json_str(d, "backing");
    const char *format = qemu_json_str(d, "backing_format");
    if (access(keep, F_OK) == 0)
        return 0;
    _cleanup_free_ char *tmp = vp_asprintf("%s.tmp", keep);
    unlink(tmp); /* ours: a copy a kill interrupted */
    int r = backing && format
                ? qemu_snapshot_img_run((const char *const[]){"convert", "-q", "-f", "qcow2", "-O",
                                                              "qcow2", "-B", backing, "-F", format,
                                                              held, tmp, NULL},
                                        held, NULL)
                : qemu_snapshot_img_run((const char *const[]){"convert", "-q", "-f", "qcow2", "-O",
                                                              "qcow2", held, tmp, NULL},
                                        held, NULL);
    if (r >= 0 && rename(tmp, keep) < 0)
        r = vp_plugin_error_set_errno(VP_ERR_SYSTEM, errno, "cannot rename '%s' to '%s'", tmp,
                                      keep);
    if (r >= 0)
        qemu_step("snapshot-unstack: copy made");
    return r;
}

/* The definition's disk @dev, while it names @top, names @held. */
static int
def_on_held(const qemu_driver *drv, const char *domain, json_object *d)
{
    vp_domain_def *dom = NULL;
    int r = qemu_domain_load_def(drv, domain, &dom);
    for (size_t i = 0; r >= 0 && i < dom->n_disks; i++) {
        vp_domain_disk_def *disk = &dom->disks[i];
        if (strcmp(disk->target_dev, qemu_json_str(d, "dev")) != 0 ||
            !qemu_snapshot_same_file(disk->source_file, qemu_json_str(d, "top")))
            continue;
        free(disk->source_file);
        disk->source_file = vp_strdup(qemu_json_str(d, "held"));
        free(disk->driver_type);
        disk->driver_type = vp_strdup("qcow2");
        r = qemu_domain_save_def(drv, dom);
        if (r >= 0)
            qemu_step("snapshot-unstack: definition on the image holding the snapshot");
    }
    vp_plugin_domain_def_free(dom);
    return r;
}

static int
unstack_run(qemu_driver *drv, const char *domain, qemu_record *rec, json_object *intent)
{
    json_object *disks;
    if (!json_object_object_get_ex(intent, "disks", &disks))
        return vp_plugin_error_set(VP_ERR_INTERNAL,
                                   "the unstack intent of domain '%s' is incomplete", domain);
    int r = rec->active ? qemu_snapshot_stop_for_revert(drv, domain, rec) : 0;
    for (size_t i = 0; r >= 0 && i < json_object_array_length(disks); i++) {
        json_object *d = json_object_array_get_idx(disks, i), *children = NULL;
        const char *held = qemu_json_str(d, "held"), *keep = qemu_json_str(d, "keep");
        if (!held || (keep && !json_object_object_get_ex(d, "children", &children)))
            return vp_plugin_error_set(VP_ERR_INTERNAL,
                                       "the unstack intent of domain '%s' is incomplete", domain);
        r = keep ? make_keep(d) : 0;
        if (r >= 0 && keep)
            r = unstacked_add(drv, domain, keep, held);
        /* The QEMU of each other running domain first, live; a domain
         * that has stopped since is left to the rebase, as files. */
        json_object *running = NULL;
        if (r >= 0 && keep && json_object_object_get_ex(d, "running", &running)) {
            json_object_object_foreach(running, name, images)
            {
                if (r >= 0)
                    r = qemu_snapshot_move_running(drv, name, images, held, keep,
                                                   qemu_json_str(d, "backing"));
            }
        }
        /* KEEP reads as HELD does: the name alone changes. */
        if (r >= 0 && keep)
            r = qemu_snapshot_rebase_children(held, keep, "qcow2", NULL, children, false);
        if (r >= 0)
            r = def_on_held(drv, domain, d);
    }
    return r;
}

int
qemu_snapshot_unstack(qemu_driver *drv, const char *domain, qemu_record *rec,
                      const vp_snapshot_def *snap)
{
    vp_domain_def *dom = NULL;
    int r = qemu_domain_load_def(drv, domain, &dom);
    json_object *disks = json_object_new_array();
    for (size_t i = 0; r >= 0 && i < snap->n_disks; i++) {
        const vp_snapshot_disk_def *sd = &snap->disks[i];
        for (size_t j = 0;
             sd->location == VP_SNAPSHOT_LOCATION_INTERNAL && r >= 0 && j < dom->n_disks; j++) {
            const vp_domain_disk_def *dd = &dom->disks[j];
            if (strcmp(dd->target_dev, sd->name) == 0 && dd->source_file)
                r = plan_disk(drv, domain, snap, sd->name, dd->source_file, disks);
        }
    }
    vp_plugin_domain_def_free(dom);
    if (r < 0 || json_object_array_length(disks) == 0) {
        json_object_put(disks);
        return r;
    }
    json_object *intent = json_object_new_object();
    json_object_object_add(intent, "op", json_object_new_string("snapshot-unstack"));
    json_object_object_add(intent, "snapshot", json_object_new_string(snap->name));
    json_object_object_add(intent, "disks", disks);
    r = qemu_snapshot_intent_write(drv, domain, json_object_get(intent));
    if (r >= 0) {
        qemu_step("snapshot-unstack: intent written");
        r = unstack_run(drv, domain, rec, intent);
    }
    if (r >= 0)
        r = qemu_snapshot_intent_remove(drv, domain);
    json_object_put(intent);
    return r;
}

int
qemu_snapshot_unstack_recover(qemu_driver *drv, const char *domain, qemu_record *rec,
                              json_object *intent)
{
    /* QEMU still runs: the unstack was killed before it stopped QEMU,
     * nothing changed yet. */
    if (rec->active)
        return 0;
    return unstack_run(drv, domain, rec, intent);
}
