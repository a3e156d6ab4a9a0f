/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Copyright (C) 2026 The virtplug developers */
/*
 * remote-events.h: the far host's domain events on a remote connection.
 */
#ifndef VIRTPLUG_REMOTE_EVENTS_H
#define VIRTPLUG_REMOTE_EVENTS_H

#include <virtplug/sdk/driver.h>

#include "remote-conn.h"

/* The slots event_open, event_read and event_close (driver.h) of @conn. */
int remote_events_open(remote_conn *conn, vp_plugin_event_sink *sink, int *ret_fd);
int remote_events_read(remote_conn *conn);
void remote_events_close(remote_conn *conn);

#endif /* VIRTPLUG_REMOTE_EVENTS_H */
