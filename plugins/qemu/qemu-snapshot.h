/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Copyright (C) 2026 The virtplug developers */
/*
 * qemu-snapshot.h: the driver's snapshot slots (qemu-snapshot.c, creating;
 * qemu-snapshot-delete.c; qemu-snapshot-intent.c, crash recovery), called
 * from the vtable in qemu-driver.c. Conventions as the vtable's slots.
 */
#ifndef VIRTPLUG_QEMU_SNAPSHOT_H
#define VIRTPLUG_QEMU_SNAPSHOT_H

#include <json-c/json.h>

#include "qemu-driver.h"

/* CONFIG/DOMAIN.snapshots: one NAME.xml record per snapshot. (transfer full) */
char *qemu_snapshot_dir(const qemu_driver *drv, const char *domain);

int qemu_snapshot_create(qemu_driver *drv, const char *domain, const char *xml, unsigned int flags,
                         char **ret_name);
int qemu_snapshot_list(qemu_driver *drv, const char *domain, unsigned int flags, char ***ret_names);
int qemu_snapshot_lookup(qemu_driver *drv, const char *domain, const char *name,
                         unsigned int flags);
int qemu_snapshot_get_xml(qemu_driver *drv, const char *domain, const char *name,
                          unsigned int flags, char **ret_xml);
int qemu_snapshot_delete(qemu_driver *drv, const char *domain, const char *name,
                         unsigned int flags);
int qemu_snapshot_get_current(qemu_driver *drv, const char *domain, unsigned int flags,
                              char **ret_name);

/* Finish or undo a snapshot operation that a killed process left half
 * done (its intent, CONFIG/DOMAIN.intent), so that the definition and the
 * records name the images QEMU writes. Called by every operation that
 * holds the domain's lock, after the record was refreshed. */
int qemu_snapshot_recover(qemu_driver *drv, const char *domain, qemu_record *rec);

/* ---- shared by the snapshot files ------------------------------------- */

/* CONFIG/DOMAIN.snapshots/NAME.xml (transfer full) */
char *qemu_snapshot_record_path(const qemu_driver *drv, const char *domain, const char *name);
/* VP_ERR_NO_SNAPSHOT when there is none. */
int qemu_snapshot_record_load(const qemu_driver *drv, const char *domain, const char *name,
                              vp_snapshot_def **ret_def);
int qemu_snapshot_record_write(const qemu_driver *drv, const char *domain,
                               const vp_snapshot_def *def);
/* CONFIG/DOMAIN.snapshots/.current: the name of the current snapshot.
 * *@ret_name: what the file says (NULL when there is none), whether or not
 * that record exists. */
int qemu_snapshot_current_read(const qemu_driver *drv, const char *domain, char **ret_name);
/* Write it atomically; @name NULL removes it. */
int qemu_snapshot_current_set(const qemu_driver *drv, const char *domain, const char *name);
typedef struct qemu_snap_entry {
    char *name;
    int64_t created;
} qemu_snap_entry;
/* Every record of @domain, oldest first; returns the count. */
int qemu_snapshot_records_list(const qemu_driver *drv, const char *domain,
                               qemu_snap_entry **ret_entries);
/* The block node disk @dev sits on now, from a query-block reply. (transfer full) */
char *qemu_snapshot_top_node(json_object *blocks, const char *dev);
/* The query-block entry of disk @dev, or NULL. (transfer none) */
json_object *qemu_snapshot_block_of(json_object *blocks, const char *dev);
/* The request's entry for disk @d (by target or source), or NULL. */
const vp_snapshot_disk_def *qemu_snapshot_request_disk(const vp_snapshot_def *req,
                                                       const vp_domain_disk_def *d);
/* Whether the image of disk @dev (from query-block) or file @path (qemu-img,
 * when @blocks is NULL) holds internal snapshot @tag. */
int qemu_snapshot_tag_exists(json_object *blocks, const char *dev, const char *path,
                             const char *tag, bool *ret_exists);

/* A snapshot operation failed after its intent was written: settle the
 * intent at once (finish or undo, as after a kill), keeping the error
 * that explains the failure. */
void qemu_snapshot_settle_failed(qemu_driver *drv, const char *domain, qemu_record *rec);

/* Run qemu-img with @args (args[0] the subcommand) on @file; its stdout in
 * @ret_out (optional). A non-zero exit is VP_ERR_OPERATION_INVALID quoting
 * qemu-img's message. */
int qemu_snapshot_img_run(const char *const *args, const char *file, char **ret_out);

/* qemu-snapshot-merge.c: the default delete of an external snapshot folds
 * each overlay into the image below it (block-commit, or qemu-img commit
 * when shut off) under a "snapshot-merge" intent, then removes the record
 * and the overlay; and the recovery of that intent. */
int qemu_snapshot_merge(qemu_driver *drv, const char *domain, qemu_record *rec,
                        const vp_snapshot_def *snap);
int qemu_snapshot_merge_recover(qemu_driver *drv, const char *domain, qemu_record *rec,
                                json_object *intent);
/* The image below qcow2 image @top (its backing file, resolved as QEMU
 * resolves it) and that image's format, from @top's header (from qemu-img
 * only when the header states none). Errors: VP_ERR_OPERATION_INVALID
 * when @top has no backing file. (transfer full) */
int qemu_snapshot_image_backing(const char *top, char **ret_base, char **ret_format);
/* Whether the qcow2 image @path names @target as its backing file. */
bool qemu_snapshot_backed_by(const char *path, const char *target);

/* qemu-snapshot-branch.c: whether paths @a and @b (either may be NULL)
 * name the same existing file. */
bool qemu_snapshot_same_file(const char *a, const char *b);
/* Add to array @out every image of @domain's
 * snapshot records' chains whose backing file is @top, but @except (and
 * those already in @out). */
int qemu_snapshot_children_of(qemu_driver *drv, const char *domain, const char *top,
                              const char *except, json_object *out);
/* Add to @out every image of domain @domain's definition's chains whose
 * backing file is @top, but those @out has already.
 * VP_ERR_OPERATION_INVALID when a disk of it is @top itself. */
int qemu_snapshot_children_of_def(qemu_driver *drv, const char *domain, const char *top,
                                  json_object *out);
/* Point @above (optional) and every image of @others still backed by @top
 * at @base (format @base_format): @safe copies what @top holds into each
 * first (qemu-img rebase: a stream); else the name alone changes (rebase
 * -u, right only when @base holds @top's data). */
int qemu_snapshot_rebase_children(const char *top, const char *base, const char *base_format,
                                  const char *above, json_object *others, bool safe);

/* qemu-snapshot-revert.c: the revert slot, and the recovery of its
 * "snapshot-revert" intent. */
int qemu_snapshot_revert(qemu_driver *drv, const char *domain, const char *name,
                         unsigned int flags);
int qemu_snapshot_revert_recover(qemu_driver *drv, const char *domain, qemu_record *rec,
                                 json_object *intent);

/* qemu-snapshot-reverts.c: list each "overlay" of @disks (a revert's
 * plan) in DOMAIN.snapshots/.reverts, before the definition names them. */
int qemu_snapshot_reverts_add(const qemu_driver *drv, const char *domain, json_object *disks);
/* Remove every overlay a revert made (listed in DOMAIN.snapshots/.reverts)
 * that no definition, record or running QEMU reaches any more; the rest
 * stay listed. Run by each snapshot operation once it is done. */
int qemu_snapshot_reverts_sweep(qemu_driver *drv, const char *domain);
/* Stop the domain's QEMU for a revert (the record says why first). */
int qemu_snapshot_stop_for_revert(const qemu_driver *drv, const char *domain, qemu_record *rec);

/* qemu-snapshot-unstack.c: before reverting to internal snapshot @snap,
 * bring each disk whose image does not hold it (an external snapshot was
 * taken on top) back onto the image below that does, under a
 * "snapshot-unstack" intent, keeping that image's present data for the
 * branches built on it (a copy they are moved onto). The domain is then
 * shut off. 0 also when nothing was to do. */
int qemu_snapshot_unstack(qemu_driver *drv, const char *domain, qemu_record *rec,
                          const vp_snapshot_def *snap);
int qemu_snapshot_unstack_recover(qemu_driver *drv, const char *domain, qemu_record *rec,
                                  json_object *intent);
/* qemu-snapshot-move.c: when domain @name runs, move its QEMU's nodes of
 * @images (array of paths built on @held) onto @keep, a copy of @held
 * over @backing (NULL: none), rewrite their headers to name @keep, and
 * release @held; 0 with nothing done when it is shut off (then @images are
 * files to rebase). Each step is skipped once done. */
int qemu_snapshot_move_running(qemu_driver *drv, const char *name, json_object *images,
                               const char *held, const char *keep, const char *backing);
/* Refuse (VP_ERR_NOT_SUPPORTED, naming the domain, its QEMU's version and
 * what to do) when domain @name runs in a QEMU that cannot be moved: one
 * without blockdev-reopen (before 6.1). 0 when it is shut off. */
int qemu_snapshot_move_check(qemu_driver *drv, const char *name);

/* Wait while QEMU runs job @job_id (@what names it in a timeout's
 * message); *@ret_ok: 1 when it concluded without error, 0 with one
 * (QEMU's message in *@ret_error, optional), -1 when QEMU has no such
 * job. A concluded job stays until qemu_snapshot_job_dismiss(). */
struct qemu_monitor;
int qemu_snapshot_job_result(struct qemu_monitor *mon, const char *job_id, const char *what,
                             int *ret_ok, char **ret_error);
void qemu_snapshot_job_dismiss(struct qemu_monitor *mon, const char *job_id);

/* CONFIG/DOMAIN.intent: what a snapshot operation is about to do. */
int qemu_snapshot_intent_write(const qemu_driver *drv, const char *domain, json_object *intent);
int qemu_snapshot_intent_create(const qemu_driver *drv, const char *domain,
                                const vp_snapshot_def *record);
/* @parent: the snapshot's parent (NULL for a root), for the tree: once its
 * record is gone, removing the intent gives its children that parent and
 * moves the current snapshot to it (qemu_snapshot_intent_remove). */
int qemu_snapshot_intent_delete(const qemu_driver *drv, const char *domain, const char *snapshot,
                                const char *parent, bool internal, const char *const *files,
                                size_t n_files);
/* Remove the intent, after settling the snapshot tree it implies: a taken
 * snapshot (its record exists) becomes current; a deleted one (its record
 * is gone) hands its children and, if current, that role to its parent.
 * Every step is idempotent, so recovery repeats it after a kill. */
int qemu_snapshot_intent_remove(const qemu_driver *drv, const char *domain);
/* Record @parent (NULL: a root) in a delete or merge intent. */
void qemu_snapshot_intent_note_parent(json_object *intent, const char *parent);

/* qemu-snapshot-delete.c: qemu-img snapshot @action ("-d" delete, "-a"
 * apply) of internal snapshot @snap on every image of the shut-off
 * domain @dom that holds it (an image that no longer does is skipped, so
 * a kill half way is finished by running it again). */
int qemu_snapshot_internal_offline(const vp_domain_def *dom, const vp_snapshot_def *snap,
                                   const char *action);
/* qemu-snapshot-delete.c: 0 when no definition, snapshot record (other
 * than @except of @domain) or running QEMU reaches file @path through its
 * backing chain; else VP_ERR_OPERATION_INVALID naming who reaches it. */
int qemu_snapshot_file_unreached(qemu_driver *drv, const char *domain, const char *except,
                                 const char *path);
/* As qemu_snapshot_file_unreached, not asking @domain's own QEMU: for a
 * caller that has just seen @path leave that QEMU's chain. */
int qemu_snapshot_file_unreached_but_by_own_qemu(qemu_driver *drv, const char *domain,
                                                 const char *except, const char *path);
/* As qemu_snapshot_file_unreached, for @path that a merge of snapshot
 * @except of @domain writes into, folding @top in: chains may reach it
 * through @top (they read the same data afterwards), and records whose
 * chain starts at it; nothing may reach it another way (a base image
 * another domain shares must never change under it). */
int qemu_snapshot_base_exclusive(qemu_driver *drv, const char *domain, const char *except,
                                 const char *path, const char *top);

#endif /* VIRTPLUG_QEMU_SNAPSHOT_H */
