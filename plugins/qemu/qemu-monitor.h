/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Copyright (C) 2026 The virtplug developers */
/*
 * qemu-monitor.h: the QMP client (plugins/qemu/qemu-monitor.c).
 *
 * Contract between the QEMU driver and its QMP client: signatures here may
 * grow, not change. Every call has a timeout; errors carry QMP's class and
 * description ("QMP command 'stop' failed: GenericError: ...").
 */
#ifndef VIRTPLUG_QEMU_MONITOR_H
#define VIRTPLUG_QEMU_MONITOR_H

#include <stdbool.h>
#include <stddef.h>

#include <json-c/json.h>

typedef struct qemu_monitor qemu_monitor;

/* Connect to the QMP socket at @path, read the greeting, check QEMU's
 * version, and negotiate with qmp_capabilities. @timeout_ms bounds the
 * whole call (< 0: no limit, which callers should not use).
 * A monitor is used by one thread at a time (the driver's domain lock).
 * Errors: VP_ERR_SYSTEM (cannot connect), VP_ERR_TIMEOUT, VP_ERR_PROTOCOL,
 * VP_ERR_NOT_SUPPORTED (QEMU older than 6.0). */
int qemu_monitor_open(const char *path, int timeout_ms, qemu_monitor **ret_mon);

/* As qemu_monitor_open() on an already connected stream socket @fd (a
 * socketpair, a descriptor passed to QEMU), which the monitor owns from now
 * on, also on failure. @label names it in messages. */
int qemu_monitor_open_fd(int fd, const char *label, int timeout_ms, qemu_monitor **ret_mon);

/* NULL-safe. */
void qemu_monitor_close(qemu_monitor *mon);

/* "7.2.22", from the greeting. (transfer none) */
const char *qemu_monitor_get_version(const qemu_monitor *mon);

/* Whether QEMU has QMP command @name (query-commands): *@ret_has. A
 * version number cannot say it: builds may leave commands out.
 * Errors: as qemu_monitor_command(). */
int qemu_monitor_has_command(qemu_monitor *mon, const char *name, int timeout_ms, bool *ret_has);

/* Run @command with @args (transfer none, may be NULL) under a fresh id and
 * wait for the reply with that id; events arriving first are queued, replies
 * with another id (late answers to timed-out commands) are discarded.
 * @ret_return: (optional) (transfer full) json_object_put() it.
 * Errors: VP_ERR_TIMEOUT (the connection stays usable; a late reply will be
 * discarded), VP_ERR_PROTOCOL (garbage, a message longer than
 * QEMU_JSON_MAX_LINE, disconnect: the monitor refuses further commands,
 * reconnect; a message nesting deeper than QEMU_JSON_MAX_DEPTH: the
 * connection stays usable), VP_ERR_SYSTEM, and for a QMP error reply
 * VP_ERR_NOT_SUPPORTED (class CommandNotFound) or VP_ERR_OPERATION_INVALID
 * (any other class; see qemu_monitor_last_error_class()). The message is
 * "QMP command 'x' failed: CLASS: desc". */
int qemu_monitor_command(qemu_monitor *mon, const char *command, json_object *args, int timeout_ms,
                         json_object **ret_return);

/* qemu_monitor_command() that passes the descriptor @fd with the command
 * (SCM_RIGHTS), as "getfd" and "add-fd" need. @fd stays the caller's.
 * Errors: as qemu_monitor_command(), VP_ERR_NOT_SUPPORTED on a FIFO pair. */
int qemu_monitor_command_fd(qemu_monitor *mon, const char *command, json_object *args, int fd,
                            int timeout_ms, json_object **ret_return);

/* Wait for event @name (queued or new). @ret_event: (optional) (transfer full).
 * Errors: VP_ERR_TIMEOUT, VP_ERR_PROTOCOL (as qemu_monitor_command()). */
int qemu_monitor_wait_event(qemu_monitor *mon, const char *name, int timeout_ms,
                            json_object **ret_event);

/* The QMP class ("GenericError", "DeviceNotFound", ...) of the last error
 * reply, or NULL if there was none yet. (transfer none) */
const char *qemu_monitor_last_error_class(const qemu_monitor *mon);

/* How many events are queued and not yet taken by qemu_monitor_wait_event(). */
size_t qemu_monitor_queued_events(const qemu_monitor *mon);

#endif /* VIRTPLUG_QEMU_MONITOR_H */
