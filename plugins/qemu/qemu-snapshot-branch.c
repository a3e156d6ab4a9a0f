/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Copyright (C) 2026 The virtplug developers */
/*
 * qemu-snapshot-branch.c: the branches of a disk's chain.
 *
 * Owns finding and moving the images built on one overlay. After reverts
 * (qemu-snapshot-revert.c) a disk's chain is a tree: an overlay may carry
 * the image the domain runs on and the overlays of snapshots of other
 * branches. When a merge folds the overlay away (qemu-snapshot-merge.c),
 * every one of them must follow it onto the image below: by name only
 * after a commit (the base then holds the overlay's data), or with the
 * data copied up (a stream) when the base must not change. It only looks
 * at this domain's records' chains and never touches another domain's
 * images; each move is skipped once done, so a merge killed half way is
 * finished by its recovery.
 */
#include <config.h>

#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "qemu-chain.h"
#include "qemu-snapshot.h"

bool
qemu_snapshot_same_file(const char *a, const char *b)
{
    struct stat x, y;
    return a && b && stat(a, &x) == 0 && stat(b, &y) == 0 && x.st_dev == y.st_dev &&
           x.st_ino == y.st_ino;
}

/* Whether @chain's link @i is backed by the file @st describes. */
static bool
link_on(const qemu_chain *chain, size_t i, const struct stat *st)
{
    const qemu_chain_link *next = i + 1 < chain->n ? &chain->links[i + 1] : NULL;
    return chain->links[i].exists && next && next->exists && next->dev == st->st_dev &&
           next->ino == st->st_ino;
}

/* Add to @out every image of the chain from @image whose backing file is
 * the file @st describes, but @except and those @out has already;
 * VP_ERR_OPERATION_INVALID when the chain goes on through a name it
 * cannot follow. */
static int
chain_children(const char *image, const struct stat *st, const char *except, json_object *out)
{
    _cleanup_(qemu_chain_freep) qemu_chain *chain = NULL;
    int r = qemu_chain_walk(image, &chain);
    /* A name it cannot follow may lead to @st's file: never guessed. */
    if (r >= 0 && chain->unresolved)
        r = vp_plugin_error_set(
            VP_ERR_OPERATION_INVALID,
            "the backing chain of '%s' goes on through '%s', which the qemu driver cannot follow to tell whether it is built on the image",
            image, chain->unresolved);
    for (size_t k = 0; r >= 0 && k < chain->n; k++) {
        const char *path = chain->links[k].path;
        bool known = qemu_snapshot_same_file(path, except);
        for (size_t m = 0; !known && m < json_object_array_length(out); m++)
            known = qemu_snapshot_same_file(
                path, json_object_get_string(json_object_array_get_idx(out, m)));
        if (!known && link_on(chain, k, st))
            json_object_array_add(out, json_object_new_string(path));
    }
    return r;
}

/* Add to @out every image of @domain's snapshot records' chains whose
 * backing file is @top (the other branches built on it), but @except. */
int
qemu_snapshot_children_of(qemu_driver *drv, const char *domain, const char *top, const char *except,
                          json_object *out)
{
    struct stat st;
    if (stat(top, &st) < 0)
        return 0;
    qemu_snap_entry *e = NULL;
    int n = qemu_snapshot_records_list(drv, domain, &e);
    int r = 0;
    for (int i = 0; i < n; i++) {
        vp_snapshot_def *rec = NULL;
        if (r >= 0 && qemu_snapshot_record_load(drv, domain, e[i].name, &rec) >= 0) {
            for (size_t j = 0; r >= 0 && j < rec->n_disks; j++) {
                const char *ov = rec->disks[j].source_file;
                if (ov && rec->disks[j].location == VP_SNAPSHOT_LOCATION_EXTERNAL &&
                    access(ov, F_OK) == 0)
                    r = chain_children(ov, &st, except, out);
            }
        }
        vp_plugin_snapshot_def_free(rec);
        free(e[i].name);
    }
    free(e);
    return r;
}

int
qemu_snapshot_children_of_def(qemu_driver *drv, const char *domain, const char *top,
                              json_object *out)
{
    struct stat st;
    if (stat(top, &st) < 0)
        return 0;
    vp_domain_def *def = NULL;
    int r = qemu_domain_load_def(drv, domain, &def);
    for (size_t i = 0; r >= 0 && def && i < def->n_disks; i++) {
        const char *src = def->disks[i].source_file;
        if (src && qemu_snapshot_same_file(src, top))
            r = vp_plugin_error_set(VP_ERR_OPERATION_INVALID, "domain '%s' uses '%s' as disk '%s'",
                                    domain, top, def->disks[i].target_dev);
        else if (src && access(src, F_OK) == 0)
            r = chain_children(src, &st, NULL, out);
    }
    vp_plugin_domain_def_free(def);
    return r;
}

int
qemu_snapshot_rebase_children(const char *top, const char *base, const char *base_format,
                              const char *above, json_object *others, bool safe)
{
    size_t n = others ? json_object_array_length(others) : 0;
    for (size_t i = 0; i <= n; i++) {
        const char *child =
            i < n ? json_object_get_string(json_object_array_get_idx(others, i)) : above;
        if (!child || !qemu_snapshot_backed_by(child, top))
            continue;
        int r = qemu_snapshot_img_run(
            safe ? (const char *const[]){"rebase", "-q", "-b", base, "-F", base_format, child, NULL}
                 : (const char *const[]){"rebase", "-q", "-u", "-b", base, "-F", base_format, child,
                                         NULL},
            child, NULL);
        if (r < 0)
            return r;
        qemu_step(safe ? "snapshot-merge: streamed into a child"
                       : "snapshot-merge: branch rebased");
    }
    return 0;
}
