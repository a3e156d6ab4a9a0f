/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Copyright (C) 2026 The virtplug developers */
/*
 * event.h: what the core's event files share (never installed).
 *
 * A connection's event state (the sink drivers emit into, the queue, the
 * registrations and the descriptors) lives in event.c; names and the
 * state-transition table in event-names.c.
 */
#ifndef VIRTPLUG_EVENT_H
#define VIRTPLUG_EVENT_H

#include <stdbool.h>
#include <stddef.h>

#include "internal.h"

/* One event to raise: VP_DOMAIN_EVENT_* and its detail. */
typedef struct vpi_event_pair {
    int event, detail;
} vpi_event_pair;

/* Whether @event and @detail are libvirt's numbers. */
VPI_HIDDEN bool vpi_event_valid(int event, int detail);
/* The events (at most two) libvirt raises for a change from @old_state to
 * @new_state for @new_reason; returns how many it wrote. */
VPI_HIDDEN size_t vpi_event_transition(int old_state, int new_state, int new_reason,
                                       vpi_event_pair ret[2]);

/* A connection's event state: created with the connection, started on
 * first use, freed (after the driver's event_close) with it. */
typedef struct vp_plugin_event_sink vpi_events;
VPI_HIDDEN vpi_events *vpi_events_new(void);
VPI_HIDDEN void vpi_events_free(vp_conn *conn);

#endif /* VIRTPLUG_EVENT_H */
