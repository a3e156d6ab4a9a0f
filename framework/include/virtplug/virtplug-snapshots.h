/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Copyright (C) 2026 The virtplug developers */
/*
 * virtplug-snapshots.h: snapshots, part of the public API of libvirtplug.
 *
 * Included by <virtplug/virtplug.h>, inside its extern "C" block and after
 * the declarations it builds on; never include it on its own.
 */
#ifndef VIRTPLUG_VIRTPLUG_SNAPSHOTS_H
#define VIRTPLUG_VIRTPLUG_SNAPSHOTS_H

#ifndef VIRTPLUG_VIRTPLUG_H_INSIDE
#error "include <virtplug/virtplug.h>, not <virtplug/virtplug-snapshots.h>"
#endif

/* ---- Snapshots ------------------------------------------------------ */

/* Store the <domainsnapshot> record given (as a driver wrote it: name,
 * creationTime, state, parent, disks) without taking anything: libvirt's
 * --redefine, to import records or change one's description. Since: 1.1 */
#define VP_SNAPSHOT_CREATE_REDEFINE (1u << 0) /* libvirt's value */
/* With VP_SNAPSHOT_CREATE_REDEFINE only: make it the current snapshot.
 * Since: 1.1 */
#define VP_SNAPSHOT_CREATE_CURRENT (1u << 1)   /* libvirt's value */
#define VP_SNAPSHOT_CREATE_DISK_ONLY (1u << 4) /* libvirt's value */
#define VP_SNAPSHOT_CREATE_QUIESCE (1u << 6)   /* libvirt's value */
#define VP_SNAPSHOT_DELETE_OVERLAYS                                                                \
    (1u << 0) /* also delete an external snapshot's overlay files                                  \
               */

/**
 * vp_snapshot_create_xml: take a snapshot described by <domainsnapshot> XML
 * (NULL or "" lets the driver choose a name and every disk).
 * @flags: VP_SNAPSHOT_CREATE_DISK_ONLY, VP_SNAPSHOT_CREATE_QUIESCE; or
 * (since 1.1) VP_SNAPSHOT_CREATE_REDEFINE, with VP_SNAPSHOT_CREATE_CURRENT,
 * to store a record: it must have a <name>, its <parent> must exist and
 * must not be the snapshot itself or one of its descendants; a record of
 * the same name is replaced.
 * @ret_snap: (transfer full) (optional).
 * Errors: VP_ERR_OPERATION_INVALID (quiesce on a domain that is not
 * running), VP_ERR_AGENT_UNRESPONSIVE, VP_ERR_TIMEOUT, VP_ERR_XML,
 * VP_ERR_INVALID_ARG (CURRENT without REDEFINE, a bad <parent>).
 * Since: 1.0
 */
int vp_snapshot_create_xml(vp_domain *dom, const char *xml, unsigned int flags,
                           vp_snapshot **ret_snap);

/** vp_snapshot_list: NULL-terminated, sorted by creation; returns the count. Since: 1.0 */
int vp_snapshot_list(vp_domain *dom, unsigned int flags, vp_snapshot ***ret_snaps);
/** vp_snapshot_list_free: free a list from vp_snapshot_list(). NULL-safe. Since: 1.0 */
void vp_snapshot_list_free(vp_snapshot **snaps);
/** vp_snapshot_lookup_by_name: Errors: VP_ERR_NO_SNAPSHOT. Since: 1.0 */
int vp_snapshot_lookup_by_name(vp_domain *dom, const char *name, unsigned int flags,
                               vp_snapshot **ret_snap);
/* Remove only the snapshot's record: images, overlays and data stay as they
 * are (libvirt's value and meaning). Since: 1.0 */
#define VP_SNAPSHOT_DELETE_METADATA_ONLY (1u << 1)
/**
 * vp_snapshot_delete: delete a snapshot. Without flags, as libvirt does:
 * an internal snapshot leaves its images; an external (disk-only) one is
 * merged: each overlay it created is folded into the image below it and
 * removed, for running, paused and shut-off domains, so the chain shrinks.
 * A merge is refused when another domain or snapshot still uses the image
 * below (a shared base), saying so.
 * @flags: VP_SNAPSHOT_DELETE_METADATA_ONLY (the record only) or
 * VP_SNAPSHOT_DELETE_OVERLAYS (the record and the overlay files, without
 * merging, only when nothing uses them).
 * Errors: VP_ERR_NO_SNAPSHOT, VP_ERR_OPERATION_INVALID, VP_ERR_INVALID_ARG.
 * Since: 1.0
 */
int vp_snapshot_delete(vp_snapshot *snap, unsigned int flags);
/** vp_snapshot_get_xml: (transfer full) free() the XML. Since: 1.0 */
int vp_snapshot_get_xml(vp_snapshot *snap, unsigned int flags, char **ret_xml);
/** vp_snapshot_get_name: (transfer none). Since: 1.0 */
const char *vp_snapshot_get_name(vp_snapshot *snap);
/** vp_snapshot_free: NULL-safe. Since: 1.0 */
void vp_snapshot_free(vp_snapshot *snap);

/* The snapshot tree (since 1.1). Each snapshot records its parent: the
 * domain's current snapshot when it was taken. A new snapshot becomes the
 * current one; deleting a snapshot gives its children its parent (libvirt's
 * rule) and, if it was current, makes its parent current. Drivers built for
 * ABI 1.0 keep no current snapshot: the calls that need one answer
 * VP_ERR_NOT_SUPPORTED naming the operation. */

/**
 * vp_snapshot_current: the domain's current snapshot.
 * @flags: 0.
 * @ret_snap: (transfer full) vp_snapshot_free().
 * Errors: VP_ERR_NO_SNAPSHOT "domain 'x' has no current snapshot",
 * VP_ERR_NO_DOMAIN, VP_ERR_NOT_SUPPORTED ('domain-snapshot-current').
 * Thread-safe. Since: 1.1
 */
int vp_snapshot_current(vp_domain *dom, unsigned int flags, vp_snapshot **ret_snap);
/**
 * vp_snapshot_is_current: whether @snap is its domain's current snapshot.
 * @flags: 0.
 * Returns 1 if it is, 0 if it is not (also when the domain has no current
 * snapshot), or a negative VP_ERR_*: VP_ERR_NO_SNAPSHOT (it no longer
 * exists), VP_ERR_NO_DOMAIN, VP_ERR_NOT_SUPPORTED
 * ('domain-snapshot-is-current'). Thread-safe. Since: 1.1
 */
int vp_snapshot_is_current(vp_snapshot *snap, unsigned int flags);
/**
 * vp_snapshot_get_parent: the snapshot @snap was taken on top of, read from
 * its record's <parent>.
 * @flags: 0.
 * @ret_parent: (transfer full) vp_snapshot_free().
 * Errors: VP_ERR_NO_SNAPSHOT "snapshot 'x' has no parent" for a root (and
 * when @snap no longer exists), VP_ERR_NO_DOMAIN, VP_ERR_XML. Thread-safe.
 * Since: 1.1
 */
int vp_snapshot_get_parent(vp_snapshot *snap, unsigned int flags, vp_snapshot **ret_parent);
/* vp_snapshot_list_children flag: all descendants, not only the children
 * (libvirt's value). Since: 1.1 */
#define VP_SNAPSHOT_LIST_DESCENDANTS (1u << 0)
/**
 * vp_snapshot_list_children: the snapshots whose parent is @snap (with
 * VP_SNAPSHOT_LIST_DESCENDANTS, their children too, and so on), in the
 * order of vp_snapshot_list(); NULL-terminated; returns the count.
 * @ret_snaps: (transfer full) vp_snapshot_list_free().
 * Errors: VP_ERR_NO_SNAPSHOT, VP_ERR_NO_DOMAIN, VP_ERR_INVALID_ARG for
 * unknown @flags, VP_ERR_XML. Thread-safe. Since: 1.1
 */
int vp_snapshot_list_children(vp_snapshot *snap, unsigned int flags, vp_snapshot ***ret_snaps);

/* vp_snapshot_revert flags (libvirt's values). Since: 1.1 */
#define VP_SNAPSHOT_REVERT_RUNNING (1u << 0) /* run the domain afterwards */
#define VP_SNAPSHOT_REVERT_PAUSED (1u << 1)  /* leave it paused afterwards */
#define VP_SNAPSHOT_REVERT_FORCE (1u << 2)   /* allow the risky cases */
/**
 * vp_snapshot_revert: bring @snap's domain back to @snap, as libvirt's
 * virDomainRevertToSnapshot does. The domain's disks (and, for a snapshot
 * with memory, its memory) become what they were when @snap was taken;
 * what the domain held since is discarded unless another snapshot keeps
 * it. Afterwards @snap is the current snapshot, and the next snapshot is
 * its child (the tree branches).
 * The domain ends in the state @snap recorded: running or paused for a
 * snapshot with memory; shut off for a disk-only or shut-off snapshot (a
 * running domain is stopped). VP_SNAPSHOT_REVERT_RUNNING or _PAUSED start
 * (or keep) it running or paused instead. Reverting a running or paused
 * domain to a snapshot without memory while asking it to run or pause
 * again restarts the guest: that needs VP_SNAPSHOT_REVERT_FORCE.
 * @flags: VP_SNAPSHOT_REVERT_RUNNING or VP_SNAPSHOT_REVERT_PAUSED (not
 * both), VP_SNAPSHOT_REVERT_FORCE.
 * Errors: VP_ERR_INVALID_ARG (both RUNNING and PAUSED, unknown flags),
 * VP_ERR_NO_SNAPSHOT, VP_ERR_NO_DOMAIN, VP_ERR_OPERATION_INVALID (a
 * restart without FORCE; what the driver cannot revert, saying what to
 * do), VP_ERR_NOT_SUPPORTED ('domain-snapshot-revert'). Thread-safe.
 * Since: 1.1
 */
int vp_snapshot_revert(vp_snapshot *snap, unsigned int flags);

#endif /* VIRTPLUG_VIRTPLUG_SNAPSHOTS_H */
