/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Copyright (C) 2026 The virtplug developers */
/*
 * qemu-info.c: runtime data of QEMU domains and of their host.
 *
 * Owns the domain_get_info, node_get_info and conn_get_hostname slots.
 * The state comes from the get_state slot (QMP or the record), vCPUs and
 * the memory of a shut-off domain from the definition, the memory of a
 * running one from QEMU (its balloon, else all of <memory>: QEMU runs
 * with -m <memory> and the driver sets no balloon target), CPU time from
 * /proc/PID/stat of the domain's QEMU (libvirt's source too). The host is this machine: the core's
 * reader (vp_plugin_host_*) answers for it. Nothing here changes a domain.
 */
#include <config.h>

#include <virtplug/sdk/host.h>

#include <json-c/json.h>

#include "qemu-driver.h"
#include "qemu-monitor.h"

/* What the running guest has, in KiB: the balloon's actual size when QEMU
 * has a balloon (query-balloon), else @max_kib. A domain busy with another
 * operation is not asked (its monitor may be taken): nothing but a user's
 * own QMP command moves the balloon, so @max_kib is still the answer. */
static uint64_t
running_memory_kib(qemu_driver *drv, const char *name, const qemu_record *rec, uint64_t max_kib)
{
    _cleanup_domain_lock_ int lock = -1;
    if (qemu_lock_try(drv, name, &lock) != 1 || !rec->qmp_path)
        return max_kib;
    uint64_t kib = max_kib;
    qemu_monitor *mon = NULL;
    json_object *ret = NULL, *actual;
    if (qemu_monitor_open(rec->qmp_path, QEMU_MONITOR_TIMEOUT_MS, &mon) >= 0 &&
        qemu_monitor_command(mon, "query-balloon", NULL, QEMU_MONITOR_TIMEOUT_MS, &ret) >= 0 &&
        json_object_object_get_ex(ret, "actual", &actual))
        kib = (uint64_t)json_object_get_int64(actual) / 1024;
    /* "No balloon device has been activated" is an answer, not a failure. */
    json_object_put(ret);
    qemu_monitor_close(mon);
    return kib;
}

int
qemu_slot_domain_get_info(void *priv, const char *name, struct vp_domain_info *ret_info)
{
    qemu_driver *drv = priv;
    vp_domain_def *def = NULL;
    int r = qemu_domain_load_def(drv, name, &def);
    if (r < 0)
        return r;
    ret_info->vcpus = def->vcpus;
    ret_info->max_memory_kib = def->memory_kib;
    ret_info->memory_kib = def->current_memory_kib ? def->current_memory_kib : def->memory_kib;
    vp_plugin_domain_def_free(def);
    int state, reason;
    r = qemu_domain_get_state(drv, name, &state, &reason, 0);
    if (r < 0)
        return r;
    ret_info->state = state;
    ret_info->reason = reason;
    ret_info->cpu_time_ns = 0;
    if (state == VP_DOMAIN_SHUTOFF)
        return 0;
    _cleanup_(qemu_record_freep) qemu_record *rec = NULL;
    r = qemu_domain_peek_record(drv, name, &rec);
    if (r < 0)
        return r;
    /* A QEMU gone since the state was read: it is shut off now. */
    if (!rec->active || rec->proc.pid <= 0 ||
        qemu_process_cpu_time(&rec->proc, &ret_info->cpu_time_ns) < 0) {
        ret_info->state = VP_DOMAIN_SHUTOFF;
        ret_info->reason = rec->active ? VP_DOMAIN_SHUTOFF_CRASHED : rec->reason;
        ret_info->cpu_time_ns = 0;
        return 0;
    }
    ret_info->memory_kib = running_memory_kib(drv, name, rec, ret_info->max_memory_kib);
    return 0;
}

int
qemu_slot_node_get_info(void *priv, struct vp_node_info *ret_info)
{
    return vp_plugin_host_node_info(ret_info);
}

int
qemu_slot_conn_get_hostname(void *priv, char **ret_hostname)
{
    return vp_plugin_host_name(ret_hostname);
}
