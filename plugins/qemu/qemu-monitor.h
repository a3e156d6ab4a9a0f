/*
 * qemu-monitor.h: the QMP client (plugins/qemu/qemu-monitor.c).
 *
 * Contract between the QEMU driver and its QMP client: signatures here may
 * grow, not change. Every call has a timeout; errors carry QMP's class and
 * description ("QMP command 'stop' failed: GenericError: ...").
 */
#ifndef VIRTPLUG_QEMU_MONITOR_H
#define VIRTPLUG_QEMU_MONITOR_H

#include <json-c/json.h>

typedef struct qemu_monitor qemu_monitor;

/* Connect to the QMP socket at @path, read the greeting, check QEMU's
 * version, and negotiate with qmp_capabilities.
 * Errors: VP_ERR_SYSTEM (cannot connect), VP_ERR_TIMEOUT, VP_ERR_PROTOCOL. */
int qemu_monitor_open(const char *path, int timeout_ms, qemu_monitor **ret_mon);

/* NULL-safe. */
void qemu_monitor_close(qemu_monitor *mon);

/* "7.2.22", from the greeting. (transfer none) */
const char *qemu_monitor_get_version(const qemu_monitor *mon);

/* Run @command with @args (transfer none, may be NULL) under a fresh id and
 * wait for the reply with that id; events arriving first are queued.
 * @ret_return: (optional) (transfer full) json_object_put() it.
 * Errors: VP_ERR_TIMEOUT, VP_ERR_PROTOCOL (garbage, disconnect),
 * VP_ERR_OPERATION_INVALID or VP_ERR_INTERNAL for a QMP error reply. */
int qemu_monitor_command(qemu_monitor *mon, const char *command, json_object *args, int timeout_ms,
                         json_object **ret_return);

/* Wait for event @name (queued or new). @ret_event: (optional) (transfer full).
 * Errors: VP_ERR_TIMEOUT, VP_ERR_PROTOCOL. */
int qemu_monitor_wait_event(qemu_monitor *mon, const char *name, int timeout_ms,
                            json_object **ret_event);

#endif /* VIRTPLUG_QEMU_MONITOR_H */
