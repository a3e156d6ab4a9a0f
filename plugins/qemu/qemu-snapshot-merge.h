/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Copyright (C) 2026 The virtplug developers */
/*
 * qemu-snapshot-merge.h: what the merge of an external snapshot
 * (qemu-snapshot-merge.c: planning, the intent, the shut-off domain) and
 * its QMP part for a running or paused domain (qemu-snapshot-live.c)
 * share. Internal to the QEMU driver.
 */
#ifndef VIRTPLUG_QEMU_SNAPSHOT_MERGE_H
#define VIRTPLUG_QEMU_SNAPSHOT_MERGE_H

#include <json-c/json.h>
#include <stdbool.h>

#include "qemu-driver.h"
#include "qemu-monitor.h"

/* One disk of a merge. */
typedef struct merge_disk {
    const char *dev;
    const char *top;         /* the snapshot's overlay */
    const char *base;        /* the image below it */
    const char *base_format; /* qcow2, raw */
    const char *above;   /* the image whose backing file is top; NULL: top is the active layer */
    bool stream;         /* top's data is copied up into the images above it, base untouched */
    json_object *others; /* images of other branches whose backing file is top */
    /* top is the active layer and base is shared: base's data is copied
     * down into top instead (block-stream into top), which then reads
     * through @below (base's backing file; NULL: none) */
    bool flatten;
    const char *below, *below_format;
} merge_disk;

typedef struct live {
    qemu_monitor *mon;
    bool mon_saw_chains; /* every merged top was seen out of QEMU's chains */
    const char *domain;
    json_object *intent; /* written again when the guest is paused for a pivot */
    /* query-named-block-nodes and query-block, asked once while nothing
     * changes the block graph (forget_graph() after each change). */
    json_object *nodes, *blocks;
} live;

/* qemu-snapshot-merge.c: point the definition's disk d->dev, while it
 * names d->top, at d->base. */
int qemu_merge_def_point_at(const qemu_driver *drv, const char *domain, const merge_disk *d);

/* qemu-snapshot-live.c. Whether the guest's vCPUs run. */
int qemu_merge_live_guest_running(live *l, bool *ret_running);
/* Commit d->top into d->base with QMP block-commit (pivoting when top is
 * the active layer), or pick up the job a killed caller started. 1 when
 * top is out of QEMU's chain, 0 when the merge did not happen (no job,
 * top still in use and @may_start false: recovering a merge that never
 * began). */
int qemu_merge_live_commit(const qemu_driver *drv, live *l, const merge_disk *d, bool may_start);
/* Stream d->top into d->above (QMP block-stream); returns as
 * qemu_merge_live_commit(). */
int qemu_merge_live_stream(live *l, const merge_disk *d, bool may_start);
/* Stream d->base into d->top, the active layer (QMP block-stream on top,
 * base-node d->below's node); returns 1 when top no longer reads
 * through base, else as qemu_merge_live_commit(). */
int qemu_merge_live_flatten(live *l, const merge_disk *d, bool may_start);
/* Resume the guest when the intent says the merge found it running. */
int qemu_merge_live_resume(live *l);
/* Forget the block graph @l asked QEMU for. */
void qemu_merge_live_forget(live *l);

#endif /* VIRTPLUG_QEMU_SNAPSHOT_MERGE_H */
