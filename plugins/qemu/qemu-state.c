/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Copyright (C) 2026 The virtplug developers */
/*
 * qemu-state.c: what state a QEMU domain is in (the get_state slot), and
 * the view of it that the statistics keep using (qemu_domain_state_begin):
 * the domain's lock when it was free, its repaired record, and the QMP
 * monitor that answered query-status, so that one connection serves the
 * state and every question after it.
 *
 * A busy domain (another operation holds its lock) is answered from its
 * record and a look at /proc, never over QMP (its monitor takes one
 * client). A QEMU found gone is recorded shut off (crashed), as every QMP
 * call of the driver does. It changes no domain otherwise.
 */
#include <config.h>

#include <string.h>

#include <json-c/json.h>

#include "qemu-driver.h"
#include "qemu-monitor.h"
#include "qemu-snapshot.h"

void
qemu_state_from_status(const char *status, const qemu_record *rec, int *ret_state, int *ret_reason)
{
    static const struct {
        const char *status;
        int state, reason;
    } map[] = {
        {"paused", VP_DOMAIN_PAUSED, VP_DOMAIN_PAUSED_USER},
        {"prelaunch", VP_DOMAIN_PAUSED, VP_DOMAIN_PAUSED_STARTING_UP},
        {"io-error", VP_DOMAIN_PAUSED, VP_DOMAIN_PAUSED_IOERROR},
        {"watchdog", VP_DOMAIN_PAUSED, 6 /* watchdog */},
        {"save-vm", VP_DOMAIN_PAUSED, VP_DOMAIN_PAUSED_SNAPSHOT},
        {"restore-vm", VP_DOMAIN_PAUSED, VP_DOMAIN_PAUSED_UNKNOWN},
        {"shutdown", VP_DOMAIN_SHUTDOWN, VP_DOMAIN_SHUTDOWN_UNKNOWN},
        {"guest-panicked", VP_DOMAIN_CRASHED, VP_DOMAIN_CRASHED_PANICKED},
        {"internal-error", VP_DOMAIN_CRASHED, VP_DOMAIN_CRASHED_UNKNOWN},
        {"suspended", VP_DOMAIN_PMSUSPENDED, 0},
    };
    if (strcmp(status, "running") == 0) {
        *ret_state = VP_DOMAIN_RUNNING;
        /* Running again after a pause nobody recorded the end of: libvirt's
         * "unpaused". */
        *ret_reason = rec->state == VP_DOMAIN_RUNNING  ? rec->reason
                      : rec->state == VP_DOMAIN_PAUSED ? VP_DOMAIN_RUNNING_UNPAUSED
                                                       : VP_DOMAIN_RUNNING_UNKNOWN;
        return;
    }
    for (size_t i = 0; i < sizeof(map) / sizeof(map[0]); i++) {
        if (strcmp(status, map[i].status) == 0) {
            *ret_state = map[i].state;
            /* A pause the driver made keeps the reason it recorded. */
            *ret_reason = map[i].state == rec->state ? rec->reason : map[i].reason;
            return;
        }
    }
    *ret_state = VP_DOMAIN_NOSTATE;
    *ret_reason = 0;
}

/* Another operation holds the domain: answer from the record and a look
 * at /proc, without waiting and without QMP (its monitor may be busy). */
static int
state_while_busy(qemu_driver *drv, const char *name, int *ret_state, int *ret_reason)
{
    _cleanup_(qemu_record_freep) qemu_record *rec = NULL;
    int r = qemu_domain_peek_record(drv, name, &rec);
    if (r < 0)
        return r;
    if (rec->active && rec->starting) {
        *ret_state = VP_DOMAIN_PAUSED;
        *ret_reason = VP_DOMAIN_PAUSED_STARTING_UP;
    } else if (rec->active && vp_plugin_process_is_alive(&rec->proc)) {
        *ret_state = rec->state;
        *ret_reason = rec->reason;
    } else {
        *ret_state = VP_DOMAIN_SHUTOFF;
        *ret_reason = !rec->active       ? rec->reason
                      : rec->stop_reason ? rec->stop_reason
                                         : VP_DOMAIN_SHUTOFF_CRASHED;
    }
    return 0;
}

int
qemu_domain_state_begin(qemu_driver *drv, const char *name, qemu_state_view *v)
{
    *v = (qemu_state_view){.lock = -1};
    int r = qemu_domain_exists(drv, name);
    if (r < 0)
        return r;
    r = qemu_lock_try(drv, name, &v->lock);
    if (r < 0)
        return r;
    if (r == 0)
        return state_while_busy(drv, name, &v->state, &v->reason);
    r = qemu_domain_settle_define(drv, name);
    if (r >= 0)
        r = qemu_domain_refresh(drv, name, &v->rec);
    if (r >= 0)
        r = qemu_snapshot_recover(drv, name, v->rec);
    if (r >= 0)
        r = qemu_save_recover(drv, name, v->rec);
    if (r < 0) {
        qemu_state_view_end(v);
        return r;
    }
    if (!v->rec->active) {
        v->state = VP_DOMAIN_SHUTOFF;
        v->reason = v->rec->reason;
        return 0;
    }
    /* One monitor for the state and for what the caller asks next. */
    json_object *ret = NULL;
    r = qemu_monitor_open(v->rec->qmp_path, QEMU_MONITOR_TIMEOUT_MS, &v->mon);
    if (r >= 0)
        r = qemu_monitor_command(v->mon, "query-status", NULL, QEMU_MONITOR_TIMEOUT_MS, &ret);
    if (r < 0 && !vp_plugin_process_is_alive(&v->rec->proc)) {
        /* It died: record the crash, as every QMP call does. */
        qemu_monitor_close(v->mon);
        v->mon = NULL;
        qemu_domain_mark_stopped(drv, name, v->rec, VP_DOMAIN_SHUTOFF_CRASHED);
        v->state = VP_DOMAIN_SHUTOFF;
        v->reason = v->rec->reason;
        return 0;
    }
    if (r < 0) {
        qemu_state_view_end(v);
        return r;
    }
    json_object *status;
    const char *s =
        json_object_object_get_ex(ret, "status", &status) ? json_object_get_string(status) : "";
    qemu_state_from_status(s, v->rec, &v->state, &v->reason);
    json_object_put(ret);
    return 0;
}

void
qemu_state_view_end(qemu_state_view *v)
{
    qemu_monitor_close(v->mon);
    v->mon = NULL;
    qemu_record_free(v->rec);
    v->rec = NULL;
    if (v->lock >= 0)
        qemu_lock_release(v->lock);
    v->lock = -1;
}

int
qemu_domain_get_state(void *priv, const char *name, int *ret_state, int *ret_reason,
                      unsigned int flags)
{
    qemu_state_view v;
    int r = qemu_domain_state_begin(priv, name, &v);
    if (r < 0)
        return r;
    *ret_state = v.state;
    *ret_reason = v.reason;
    qemu_state_view_end(&v);
    return 0;
}
