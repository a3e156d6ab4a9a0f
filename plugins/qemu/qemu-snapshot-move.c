/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Copyright (C) 2026 The virtplug developers */
/*
 * qemu-snapshot-move.c: moving another domain's running QEMU off the image
 * a revert to an internal snapshot is about to rewrite.
 *
 * Owns the live half of an unstack (qemu-snapshot-unstack.c): a running
 * domain reads HELD through an image built on it (its overlay O), and the
 * load of the snapshot rewrites HELD; KEEP, a copy of HELD's present data
 * over HELD's backing file, is made first. In that domain's QEMU, under
 * its lock (taken with a try, never waited for: the reverting domain's
 * lock is held, and waiting for a second lock could deadlock):
 * - KEEP is added as a read-only node ("vp-keep-HASH" over its file node
 *   "vp-keep-file-HASH"), over the node QEMU already has for HELD's
 *   backing file;
 * - O's format node is reopened (blockdev-reopen) with KEEP as its
 *   backing, every other option it has restated: QEMU's view of it (read
 *   only, cache, detect-zeroes) and, for the image the guest writes, the
 *   options this driver gave the disk when the domain started (discard,
 *   noted in its live-meta: its definition may have changed since);
 * - O's header names KEEP (change-backing-file: qemu-img cannot write an
 *   image QEMU has open);
 * - the nodes on HELD that remain (those a -blockdev made; those QEMU
 *   opened itself went with their last user) are deleted, and QEMU is
 *   checked to hold no node on HELD any more.
 * KEEP reads exactly as HELD does, so the guest reads the same data all
 * along. Each step looks at QEMU's view or the header first and is skipped
 * once done, so the unstack's recovery (run again after a kill at any
 * step) finishes the move; a domain whose QEMU is gone meanwhile is left
 * to the caller, which rebases its images as a shut-off domain's.
 */
#include <config.h>

#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "qemu-json.h"
#include "qemu-monitor.h"
#include "qemu-snapshot.h"
#include "qemu-live.h"

typedef struct mover {
    const qemu_driver *drv;
    const char *domain;
    qemu_monitor *mon;
    json_object *nodes; /* query-named-block-nodes (nested) */
} mover;

static int
refresh(mover *m)
{
    json_object_put(m->nodes);
    m->nodes = NULL;
    return qemu_monitor_command(m->mon, "query-named-block-nodes", NULL, QEMU_MONITOR_TIMEOUT_MS,
                                &m->nodes);
}

static bool
is_protocol(json_object *node)
{
    const char *drv = qemu_json_str(node, "drv");
    return drv && (strcmp(drv, "file") == 0 || strcmp(drv, "host_device") == 0 ||
                   strcmp(drv, "host_cdrom") == 0);
}

/* Whether @name, the file of a node or image as QEMU reports it, is
 * @path: a node whose backing is not the one its header names reports
 * "json:{...}", with the file in its protocol child. */
static bool
names_file(const char *name, const char *path)
{
    if (!name || strncmp(name, "json:", 5) != 0)
        return qemu_snapshot_same_file(name, path);
    json_object *o = json_tokener_parse(name + 5), *file;
    bool same = false;
    if (o && json_object_object_get_ex(o, "file", &file))
        same = qemu_snapshot_same_file(json_object_is_type(file, json_type_object)
                                           ? qemu_json_str(file, "filename")
                                           : json_object_get_string(file),
                                       path);
    json_object_put(o);
    return same;
}

/* A node of @m on file @path: its format node (@format), else its
 * protocol node; NULL when QEMU has none. (transfer none) */
static json_object *
node_on(const mover *m, const char *path, bool format)
{
    for (size_t i = 0; i < json_object_array_length(m->nodes); i++) {
        json_object *n = json_object_array_get_idx(m->nodes, i);
        if (is_protocol(n) != format && names_file(qemu_json_str(n, "file"), path))
            return n;
    }
    return NULL;
}

static json_object *
node_named(const mover *m, const char *name)
{
    for (size_t i = 0; i < json_object_array_length(m->nodes); i++) {
        json_object *n = json_object_array_get_idx(m->nodes, i);
        const char *have = qemu_json_str(n, "node-name");
        if (have && strcmp(have, name) == 0)
            return n;
    }
    return NULL;
}

/* The file QEMU reads @node's backing from (its backing node's), or NULL. */
static const char *
backing_in_qemu(json_object *node)
{
    json_object *image, *backing;
    if (json_object_object_get_ex(node, "image", &image) &&
        json_object_object_get_ex(image, "backing-image", &backing))
        return qemu_json_str(backing, "filename");
    return NULL;
}

static int
command(mover *m, const char *cmd, json_object *args)
{
    int r = qemu_monitor_command(m->mon, cmd, args, QEMU_MONITOR_TIMEOUT_MS, NULL);
    json_object_put(args);
    return r < 0 ? r : refresh(m);
}

/* KEEP's node in @m's QEMU, added when it has none, over the node of
 * @backing (NULL: none). (transfer full) */
static int
keep_node(mover *m, const char *keep, const char *backing, char **ret_node)
{
    uint32_t hash = 2166136261u; /* FNV-1a: a name per KEEP, the same each run */
    for (const char *p = keep; *p; p++)
        hash = (hash ^ (unsigned char)*p) * 16777619u;
    _cleanup_free_ char *node = vp_asprintf("vp-keep-%08x", (unsigned int)hash);
    _cleanup_free_ char *fnode = vp_asprintf("vp-keep-file-%08x", (unsigned int)hash);
    json_object *have = node_named(m, node);
    if (have && !names_file(qemu_json_str(have, "file"), keep))
        return vp_plugin_error_set(VP_ERR_OPERATION_INVALID,
                                   "its QEMU has a block node '%s' that is not on '%s'", node,
                                   keep);
    int r = 0;
    if (!have && !node_named(m, fnode)) {
        json_object *a = json_object_new_object();
        json_object_object_add(a, "driver", json_object_new_string("file"));
        json_object_object_add(a, "node-name", json_object_new_string(fnode));
        json_object_object_add(a, "filename", json_object_new_string(keep));
        json_object_object_add(a, "read-only", json_object_new_boolean(true));
        r = command(m, "blockdev-add", a);
    }
    json_object *below = backing ? node_on(m, backing, true) : NULL;
    if (r >= 0 && !have && backing && !below)
        r = vp_plugin_error_set(VP_ERR_OPERATION_INVALID, "its QEMU has no block node for '%s'",
                                backing);
    if (r >= 0 && !have) {
        json_object *a = json_object_new_object();
        json_object_object_add(a, "driver", json_object_new_string("qcow2"));
        json_object_object_add(a, "node-name", json_object_new_string(node));
        json_object_object_add(a, "file", json_object_new_string(fnode));
        json_object_object_add(a, "read-only", json_object_new_boolean(true));
        json_object_object_add(
            a, "backing", below ? json_object_new_string(qemu_json_str(below, "node-name")) : NULL);
        r = command(m, "blockdev-add", a);
        if (r >= 0)
            qemu_step("snapshot-unstack: the copy added to a running domain's QEMU");
    }
    if (r >= 0)
        *ret_node = VP_STEAL_PTR(node);
    return r;
}

/* Reopen format node @o of @image with backing @knode, restating every
 * option it has; @opts: the driver's options of the disk (transfer full). */
static int
reopen_on(mover *m, json_object *o, const char *image, const char *knode, json_object *opts)
{
    json_object *file = node_on(m, image, false), *cache, *ro = NULL;
    if (!o || !file) {
        json_object_put(opts);
        return vp_plugin_error_set(VP_ERR_OPERATION_INVALID, "its QEMU has no file node for '%s'",
                                   image);
    }
    json_object_object_get_ex(o, "ro", &ro);
    bool readonly = json_object_get_boolean(ro);
    /* discard matters only to the image the guest writes, the one that got
     * the disk's options (or, a snapshot's overlay, their open flags). */
    if (readonly || !opts) {
        json_object_put(opts);
        opts = json_object_new_object();
    }
    json_object_object_add(opts, "driver", json_object_new_string(qemu_json_str(o, "drv")));
    json_object_object_add(opts, "node-name",
                           json_object_new_string(qemu_json_str(o, "node-name")));
    json_object_object_add(opts, "file", json_object_new_string(qemu_json_str(file, "node-name")));
    json_object_object_add(opts, "backing", json_object_new_string(knode));
    json_object_object_add(opts, "read-only", json_object_new_boolean(readonly));
    if (json_object_object_get_ex(o, "cache", &cache)) {
        json_object *c = json_object_new_object(), *v;
        if (json_object_object_get_ex(cache, "direct", &v))
            json_object_object_add(c, "direct", json_object_get(v));
        if (json_object_object_get_ex(cache, "no-flush", &v))
            json_object_object_add(c, "no-flush", json_object_get(v));
        json_object_object_add(opts, "cache", c);
    }
    const char *zeroes = qemu_json_str(o, "detect_zeroes");
    if (zeroes)
        json_object_object_add(opts, "detect-zeroes", json_object_new_string(zeroes));
    json_object *list = json_object_new_array(), *args = json_object_new_object();
    json_object_array_add(list, opts);
    json_object_object_add(args, "options", list);
    int r = command(m, "blockdev-reopen", args);
    if (r >= 0)
        qemu_step("snapshot-unstack: a running domain's image reopened on the copy");
    return r;
}

/* The disk of running domain @m whose chain in QEMU holds @image: its
 * target dev and its root node (query-block). (transfer full) */
static int
disk_of(mover *m, const vp_domain_def *def, const char *image, char **ret_dev, char **ret_root)
{
    json_object *blocks = NULL;
    int r = qemu_monitor_command(m->mon, "query-block", NULL, QEMU_MONITOR_TIMEOUT_MS, &blocks);
    *ret_dev = *ret_root = NULL;
    for (size_t i = 0; r >= 0 && !*ret_dev && i < def->n_disks; i++) {
        json_object *b = qemu_snapshot_block_of(blocks, def->disks[i].target_dev), *ins;
        json_object *img = NULL;
        if (b && json_object_object_get_ex(b, "inserted", &ins))
            json_object_object_get_ex(ins, "image", &img);
        for (json_object *next; img && !*ret_dev; img = next) {
            if (names_file(qemu_json_str(img, "filename"), image)) {
                *ret_dev = vp_strdup(def->disks[i].target_dev);
                *ret_root = vp_strdup(qemu_json_str(ins, "node-name"));
            }
            if (!json_object_object_get_ex(img, "backing-image", &next))
                next = NULL;
        }
    }
    json_object_put(blocks);
    if (r >= 0 && (!*ret_dev || !*ret_root))
        r = vp_plugin_error_set(VP_ERR_OPERATION_INVALID, "no disk of its QEMU reads '%s'", image);
    return r;
}

static int
sync_file(const char *path)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0 || fsync(fd) < 0) {
        int e = errno;
        if (fd >= 0)
            close(fd);
        return vp_plugin_error_set_errno(VP_ERR_SYSTEM, e, "cannot flush '%s' to disk", path);
    }
    close(fd);
    return 0;
}

/* The options disk @dev's format node got when the domain started; the
 * definition's (@tree) for a domain started before the driver noted them
 * (the definition may have changed since, which nothing can tell then).
 * (transfer full) */
static int
start_options(mover *m, json_object *tree, const char *dev, json_object **ret_opts)
{
    int r = qemu_live_disk_options(m->drv, m->domain, dev, ret_opts);
    return r != 0 ? r : qemu_command_format_options(tree, dev, ret_opts);
}

/* Move @image, when @m's QEMU has it open, onto @keep. */
static int
move_image(mover *m, const vp_domain_def *def, json_object *tree, const char *image,
           const char *keep, const char *backing)
{
    json_object *o = node_on(m, image, true);
    if (!o)
        return 0; /* not open here: the caller rebases it as a file */
    _cleanup_free_ char *dev = NULL, *root = NULL, *knode = NULL;
    _cleanup_free_ char *onode = vp_strdup(qemu_json_str(o, "node-name"));
    int r = disk_of(m, def, image, &dev, &root);
    if (r >= 0 && !names_file(backing_in_qemu(o), keep)) {
        json_object *opts = NULL;
        r = keep_node(m, keep, backing, &knode);
        if (r >= 0)
            r = start_options(m, tree, dev, &opts);
        /* keep_node refreshed the nodes: @o is stale. */
        if (r >= 0)
            r = reopen_on(m, node_named(m, onode), image, knode, opts);
    }
    if (r >= 0 && !qemu_snapshot_backed_by(image, keep)) {
        json_object *a = json_object_new_object();
        json_object_object_add(a, "device", json_object_new_string(root));
        json_object_object_add(a, "image-node-name", json_object_new_string(onode));
        json_object_object_add(a, "backing-file", json_object_new_string(keep));
        r = command(m, "change-backing-file", a);
        /* QEMU leaves the header in the page cache: on disk before the
         * load can rewrite HELD. */
        if (r >= 0)
            r = sync_file(image);
        if (r >= 0)
            qemu_step("snapshot-unstack: a running domain's image names the copy");
    }
    /* QEMU's view and the header, both. */
    if (r >= 0 && (!names_file(backing_in_qemu(node_named(m, onode)), keep) ||
                   !qemu_snapshot_backed_by(image, keep)))
        r = vp_plugin_error_set(VP_ERR_INTERNAL,
                                "its QEMU does not read '%s' through '%s' after the move", image,
                                keep);
    return r;
}

/* Delete the nodes on @held that a -blockdev made (the others went with
 * their last user), then check that QEMU has none left. */
static int
release_held(mover *m, const char *held)
{
    /* The format nodes first: a file node goes once nothing is over it. */
    for (int pass = 0; pass < 2; pass++) {
        json_object *names = json_object_new_array();
        for (size_t i = 0; i < json_object_array_length(m->nodes); i++) {
            json_object *n = json_object_array_get_idx(m->nodes, i);
            const char *name = qemu_json_str(n, "node-name");
            if (is_protocol(n) == (pass == 1) && name && name[0] != '#' &&
                names_file(qemu_json_str(n, "file"), held))
                json_object_array_add(names, json_object_new_string(name));
        }
        for (size_t i = 0; i < json_object_array_length(names); i++) {
            json_object *a = json_object_new_object();
            json_object_object_add(a, "node-name",
                                   json_object_get(json_object_array_get_idx(names, i)));
            if (command(m, "blockdev-del", a) < 0)
                VP_PLUGIN_DEBUG(QEMU_AREA, "domain '%s': %s", m->domain,
                                vp_error_last()->message); /* in use: said below */
        }
        json_object_put(names);
    }
    json_object *left = node_on(m, held, true);
    if (!left)
        left = node_on(m, held, false);
    if (left)
        return vp_plugin_error_set(
            VP_ERR_OPERATION_INVALID,
            "its QEMU still has '%s' open (block node '%s'), and loading the snapshot would change what it reads",
            held, qemu_json_str(left, "node-name"));
    qemu_step("snapshot-unstack: a running domain's QEMU released the image holding the snapshot");
    return 0;
}

/* The QEMU of domain @name, when it runs: its lock (taken with a try)
 * and a monitor on it; *@ret_mon NULL, and 0, when it does not run. */
static int
open_running(qemu_driver *drv, const char *name, int *lock, qemu_monitor **ret_mon)
{
    *ret_mon = NULL;
    if (!qemu_domain_peek_active(drv, name))
        return 0;
    int r = qemu_lock_try(drv, name, lock);
    if (r == 0)
        return vp_plugin_error_set(
            VP_ERR_OPERATION_IN_PROGRESS,
            "domain '%s' is busy, so its QEMU cannot be moved onto a copy now; try again later",
            name);
    _cleanup_(qemu_record_freep) qemu_record *rec = NULL;
    if (r >= 0)
        r = qemu_domain_peek_record(drv, name, &rec);
    if (r < 0 || !rec->active || !vp_plugin_process_is_alive(&rec->proc))
        return r < 0 ? r : 0;
    return qemu_monitor_open(rec->qmp_path, QEMU_MONITOR_TIMEOUT_MS, ret_mon);
}

int
qemu_snapshot_move_check(qemu_driver *drv, const char *name)
{
    _cleanup_domain_lock_ int lock = -1;
    qemu_monitor *mon = NULL;
    bool has = true;
    int r = open_running(drv, name, &lock, &mon);
    if (r >= 0 && mon)
        r = qemu_monitor_has_command(mon, "blockdev-reopen", QEMU_MONITOR_TIMEOUT_MS, &has);
    if (r >= 0 && !has)
        r = vp_plugin_error_set(
            VP_ERR_NOT_SUPPORTED,
            "domain '%s' runs in QEMU %s, which lacks the QMP command 'blockdev-reopen' (QEMU 6.1 and later have it) needed to move it onto a copy while it runs; shut domain '%s' off and revert again",
            name, qemu_monitor_get_version(mon), name);
    qemu_monitor_close(mon);
    return r;
}

int
qemu_snapshot_move_running(qemu_driver *drv, const char *name, json_object *images,
                           const char *held, const char *keep, const char *backing)
{
    _cleanup_domain_lock_ int lock = -1;
    vp_domain_def *def = NULL;
    json_object *tree = NULL;
    mover m = {.drv = drv, .domain = name};
    int r = open_running(drv, name, &lock, &m.mon);
    if (r >= 0 && m.mon)
        r = qemu_domain_load_def(drv, name, &def);
    if (r >= 0 && m.mon)
        r = qemu_domain_load_extras(drv, name, &tree);
    if (r >= 0 && m.mon)
        r = refresh(&m);
    for (size_t i = 0; r >= 0 && m.mon && i < json_object_array_length(images); i++)
        r = move_image(&m, def, tree, json_object_get_string(json_object_array_get_idx(images, i)),
                       keep, backing);
    if (r >= 0 && m.mon)
        r = release_held(&m, held);
    json_object_put(m.nodes);
    qemu_monitor_close(m.mon);
    json_object_put(tree);
    vp_plugin_domain_def_free(def);
    if (r < 0)
        return vp_plugin_error_set(vp_error_last()->code,
                                   "cannot move domain '%s' off '%s' onto its copy '%s': %s", name,
                                   held, keep, vp_error_last()->message);
    return 0;
}
