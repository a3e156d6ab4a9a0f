/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Copyright (C) 2026 The virtplug developers */
/*
 * snapshot-fsm.h: the snapshot state machine (plugins/qemu/snapshot-fsm.c).
 *
 * One call, qemu_snapshot_fsm_run(), takes a snapshot of a running or
 * paused domain through QMP, quiescing the guest through its agent when
 * asked. Its states and events are an explicit table; every transition is
 * logged (VP_PLUGIN_DEBUG "qemu") and recorded in the outcome, which tests
 * assert. The rules it enforces (ARCHITECTURE section 7):
 *
 *  1. Quiesce on a domain that is not running fails before anything is
 *     sent: "cannot quiesce domain 'x': it is paused".
 *  2. Every freeze that was sent is followed by a thaw, whatever happens
 *     (freeze error or timeout, agent disconnect, snapshot failure, QMP
 *     timeout or disconnect). After an agent timeout or disconnect the thaw
 *     goes over a fresh, resynchronised connection.
 *  3. The outcome says whether the final guest-fsfreeze-status read
 *     "thawed"; when it could not be confirmed the error says so and names
 *     the domain.
 *  4. No freeze without a successful sync, none without QUIESCE.
 *
 * External disk-only snapshots are one QMP `transaction` of
 * blockdev-snapshot-sync actions; after an error reply, the overlay files
 * it created are deleted (never after a timeout or disconnect, when QEMU
 * may still be using them). Internal snapshots (no DISK_ONLY) use the
 * snapshot-save job; its error is read from query-jobs and the job is
 * dismissed.
 *
 * The caller (the driver) holds the domain lock, owns the monitor, and
 * writes the snapshot record only after this returns success. The state
 * machine opens and closes its own agent connection: the caller must not
 * hold one (QEMU's agent chardev serves a single client).
 */
#ifndef VIRTPLUG_QEMU_SNAPSHOT_FSM_H
#define VIRTPLUG_QEMU_SNAPSHOT_FSM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "qemu-monitor.h"

typedef enum qemu_snap_state {
    QEMU_SNAP_INIT,
    QEMU_SNAP_CHECK_STATE,  /* validate the job; nothing sent yet */
    QEMU_SNAP_AGENT_SYNC,   /* connect to the agent and synchronise */
    QEMU_SNAP_FREEZING,     /* guest-fsfreeze-freeze */
    QEMU_SNAP_FROZEN,       /* freeze sent: take the snapshot, then thaw */
    QEMU_SNAP_SNAPSHOTTING, /* no quiesce: take the snapshot */
    QEMU_SNAP_THAWING,      /* guest-fsfreeze-thaw */
    QEMU_SNAP_VERIFY_THAW,  /* guest-fsfreeze-status must read "thawed" */
    QEMU_SNAP_DONE,
    QEMU_SNAP_FAILED,
    QEMU_SNAP_STATE_LAST
} qemu_snap_state;

typedef enum qemu_snap_event {
    QEMU_SNAP_EV_START,
    QEMU_SNAP_EV_QUIESCE,     /* valid job, quiesce asked, domain running */
    QEMU_SNAP_EV_NO_QUIESCE,  /* valid job, no quiesce asked */
    QEMU_SNAP_EV_NOT_RUNNING, /* quiesce asked, domain not running */
    QEMU_SNAP_EV_OK,
    QEMU_SNAP_EV_ERROR,                /* the peer answered with an error */
    QEMU_SNAP_EV_TIMEOUT,              /* the peer did not answer in time */
    QEMU_SNAP_EV_LOST,                 /* the connection broke */
    QEMU_SNAP_EV_THAWED,               /* status "thawed", snapshot taken */
    QEMU_SNAP_EV_THAWED_AFTER_FAILURE, /* status "thawed", the operation had failed */
    QEMU_SNAP_EV_STILL_FROZEN,         /* status "frozen": thaw again */
    QEMU_SNAP_EV_UNCONFIRMED,          /* the status could not be read */
    QEMU_SNAP_EV_LAST
} qemu_snap_event;

typedef struct qemu_snap_transition {
    qemu_snap_state from;
    qemu_snap_event event;
    qemu_snap_state to;
} qemu_snap_transition;

/* One disk of an external (disk-only) snapshot. */
typedef struct qemu_snapshot_disk {
    const char *node_name;         /* the block node to snapshot ("disk0") */
    const char *overlay_path;      /* absolute path of the overlay QEMU creates */
    const char *overlay_node_name; /* (nullable) node name of the overlay; NULL: one
                                    * derived from overlay_path ("vp-overlay-1a2b3c4d") */
    const char *format;            /* (nullable) overlay format, default "qcow2" */
} qemu_snapshot_disk;

typedef struct qemu_snapshot_job {
    const char *domain_name;
    const char *snapshot_name; /* the internal snapshot's tag; names the job */
    int domain_state;          /* VP_DOMAIN_* as the driver knows it */
    qemu_monitor *monitor;     /* open monitor (transfer none) */
    const char *agent_path;    /* agent socket; needed with QUIESCE */
    unsigned int flags;        /* VP_SNAPSHOT_CREATE_DISK_ONLY, VP_SNAPSHOT_CREATE_QUIESCE */
    /* DISK_ONLY: the disks, all in one transaction. */
    const qemu_snapshot_disk *disks;
    size_t n_disks;
    /* Internal (no DISK_ONLY): the node that stores the VM state and the
     * nodes to snapshot (snapshot-save's vmstate and devices). */
    const char *vmstate_node;
    const char *const *devices;
    size_t n_devices;
    int agent_timeout_ms;  /* each agent call; <= 0: 10000 */
    int freeze_timeout_ms; /* the freeze alone (hooks may be slow); <= 0: agent_timeout_ms */
    int qmp_timeout_ms;    /* each QMP command; <= 0: 30000 */
    int job_timeout_ms;    /* the snapshot-save job; <= 0: 600000 */
    /* (nullable) called with a step's name once the freeze was answered,
     * before the snapshot is taken: the driver's crash-test hook. */
    void (*step)(const char *what);
    /* With @cancellable, the sync and the freeze also end when @cancel_fd
     * (a job's eventfd, qemu-jobs.c) is readable; the thaw and its check
     * never do: what was frozen is thawed, cancelled or not. */
    bool cancellable;
    int cancel_fd;
} qemu_snapshot_job;

#define QEMU_SNAP_MAX_TRANSITIONS 32

/* What happened; filled in on success and on failure. */
typedef struct qemu_snapshot_outcome {
    qemu_snap_state final_state; /* QEMU_SNAP_DONE or QEMU_SNAP_FAILED */
    bool freeze_sent;
    int frozen_count;        /* the freeze's answer; -1 when none */
    int thaw_attempts;       /* thaws sent */
    bool thaw_confirmed;     /* the last guest-fsfreeze-status read "thawed" */
    bool snapshot_taken;     /* QEMU confirmed the snapshot; may be true on failure
                              * (thaw unconfirmed): QEMU then uses the overlays and
                              * the driver should still record the snapshot */
    size_t overlays_removed; /* overlay files deleted after a failed transaction */
    size_t n_transitions;
    qemu_snap_transition transitions[QEMU_SNAP_MAX_TRANSITIONS];
    /* CLOCK_MONOTONIC nanoseconds when the freeze's and the last thaw's
     * successful replies were read; 0 when none. Their difference is the
     * guest's frozen window as the driver sees it (make bench reports it). */
    int64_t freeze_reply_ns;
    int64_t thaw_reply_ns;
    /* The agent did not answer even a fresh sync after the freeze (it is
     * still busy with a late freeze), so a thaw was written behind it on
     * that connection without waiting; the agent runs it once the freeze
     * returns. Counted in thaw_attempts. */
    bool thaw_queued;
} qemu_snapshot_outcome;

/* Run the state machine for @job. @outcome: (optional) (out) written in
 * every case, success or failure: it is the record of what was done.
 * Returns 0 when the snapshot was taken (and, with quiesce, the thaw was
 * confirmed); else a VP_ERR_* with one message that says what failed and,
 * if the guest may still be frozen, says so and names the domain:
 * VP_ERR_OPERATION_INVALID (quiesce on a domain that is not running, a
 * QEMU or agent error), VP_ERR_INVALID_ARG (a malformed job, an overlay
 * that already exists), VP_ERR_AGENT_UNRESPONSIVE, VP_ERR_TIMEOUT,
 * VP_ERR_PROTOCOL. */
int qemu_snapshot_fsm_run(const qemu_snapshot_job *job, qemu_snapshot_outcome *outcome);

/* "FREEZING", "TIMEOUT". (transfer none) */
const char *qemu_snap_state_name(qemu_snap_state state);
const char *qemu_snap_event_name(qemu_snap_event event);

/* The states visited, space-separated: "INIT CHECK_STATE ... DONE".
 * (transfer full) free(). */
char *qemu_snapshot_outcome_path(const qemu_snapshot_outcome *outcome);

#endif /* VIRTPLUG_QEMU_SNAPSHOT_FSM_H */
