/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Copyright (C) 2026 The virtplug developers */
/*
 * node-suspend.h: the host-suspend job (framework/node-suspend.c).
 *
 * The outcome record and the lock live in the runtime directory under these
 * names; tests and tools read them there.
 */
#ifndef VIRTPLUG_NODE_SUSPEND_H
#define VIRTPLUG_NODE_SUSPEND_H

/* Held (fcntl OFD write lock) for the whole life of a request, host-wide. */
#define VPI_NODE_SUSPEND_LOCK_FILE "node-suspend.lock"
/* The last request's outcome: "key=value" lines, written atomically. */
#define VPI_NODE_SUSPEND_STATE_FILE "node-suspend.state"

/* The delay used when a driver does not say (libvirt's). */
#define VPI_NODE_SUSPEND_DEFAULT_DELAY_MS 10000u

/* ---- node-suspend-guests.c: the guests around a host suspend ---------- */

#include <stdbool.h>
#include <stddef.h>

#include "internal.h"

/* The domains an outcome names, in the order the driver handled them. */
typedef struct vpi_ns_guests {
    vp_node_suspend_guest **v; /* NULL-terminated when n > 0 */
    size_t n;
    unsigned int policy; /* VP_NODE_SUSPEND_GUESTS_PAUSE or 0 */
    unsigned int state;  /* VP_NODE_SUSPEND_GUESTS_STATE_* */
    char *uri;           /* the connection whose driver paused them */
    /* CLOCK_BOOTTIME - CLOCK_MONOTONIC when they were paused: it grows by
     * the time the host sleeps, which tells a repair whether an OS that
     * only queued the sleep (state requested) has slept since. */
    int64_t sleep_mark_ns;
} vpi_ns_guests;

VPI_HIDDEN void vpi_ns_guests_clear(vpi_ns_guests *g);
/* The policy of a request: from @flags, else the key 'guests' of
 * hostpower.conf (default none). Errors: VP_ERR_INVALID_ARG (conflicting
 * flags, a bad value in the file), VP_ERR_SYSTEM (unreadable file). */
VPI_HIDDEN int vpi_ns_guests_policy(unsigned int flags, unsigned int *ret_policy);
/* Record lines for @g ("guests=...\n", "guest.N.name=...\n", ...). */
VPI_HIDDEN char *vpi_ns_guests_format(const vpi_ns_guests *g);
/* Take one record line: 1 when it was one of ours, 0 when not. */
VPI_HIDDEN int vpi_ns_guests_parse_line(vpi_ns_guests *g, const char *key, const char *value);
VPI_HIDDEN unsigned int vpi_ns_guests_failures(const vpi_ns_guests *g);
/* Ask @conn's hypervisor driver to pause its running domains (the state
 * goes to PREPARED) or to resume them (RESTORED), merging what it did into
 * @g. A driver without the slot is left alone. The slot's error is
 * returned with its message; entries are kept either way. */
VPI_HIDDEN int vpi_ns_guests_prepare(vp_conn *conn, vpi_ns_guests *g);
VPI_HIDDEN int vpi_ns_guests_restore(vp_conn *conn, vpi_ns_guests *g);
/* The names of the domains whose pause failed, "'a', 'b'", or NULL. */
VPI_HIDDEN char *vpi_ns_guests_pause_failures(const vpi_ns_guests *g);

/* Resume the guests of an earlier request that its process left paused
 * (record "preparing" or "prepared", and the requester gone, or the OS
 * only queued the sleep and the host has slept since; with @force, also
 * when it has not slept yet: a new request is about to pause them again),
 * when @conn reaches the same hypervisor (its URI). Call with the
 * host-wide lock held; failures are only logged. */
VPI_HIDDEN void vpi_ns_guests_repair_locked(vp_conn *conn, const char *state_path, bool force);
/* Repair as above when nobody holds the lock, then read the record of the
 * runtime directory @dir (and its guests into @ret_guests, may be NULL). */
VPI_HIDDEN int vpi_ns_guests_read(vp_conn *conn, const char *dir, vp_node_suspend_result *ret_rec,
                                  vpi_ns_guests *ret_guests);

/* node-suspend.c: one-line escaping of record values, the record, the lock. */
VPI_HIDDEN char *vpi_ns_escape(const char *s);
VPI_HIDDEN char *vpi_ns_unescape(const char *s);
VPI_HIDDEN int vpi_ns_record_read(const char *path, vp_node_suspend_result *r, vpi_ns_guests *g);
VPI_HIDDEN int vpi_ns_record_write(const char *path, vp_node_suspend_result *r,
                                   const vpi_ns_guests *g);
VPI_HIDDEN int vpi_ns_lock_acquire(const char *dir, int *ret_fd);
VPI_HIDDEN bool vpi_ns_lock_is_free(const char *dir);

#endif /* VIRTPLUG_NODE_SUSPEND_H */
