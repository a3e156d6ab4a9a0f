/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Copyright (C) 2026 The virtplug developers */
/*
 * qemu-resources.c: live memory and vCPU changes of running QEMU domains
 * (the domain_set_memory and domain_set_vcpus slots).
 *
 * Owns the QMP side of setmem and setvcpus: the balloon target (balloon,
 * bounded by the memory QEMU runs with, query-memory-size-summary) and the
 * vCPU slots QEMU has (query-hotpluggable-cpus). The definition is
 * changed by the core through define; nothing here writes a file, and a
 * kill leaves QEMU with the old target or the new one.
 */
#include <config.h>

#include <json-c/json.h>

#include "qemu-driver.h"
#include "qemu-monitor.h"

/* Lock running domain @name for @op and open its monitor. */
static int
begin_running(qemu_driver *drv, const char *name, const char *op, int *ret_lock,
              qemu_monitor **ret_mon)
{
    _cleanup_(qemu_record_freep) qemu_record *rec = NULL;
    int r = qemu_domain_begin(drv, name, op, ret_lock, &rec);
    if (r < 0)
        return r;
    if (!rec->active || !rec->qmp_path)
        return vp_plugin_error_set(VP_ERR_OPERATION_INVALID, "domain '%s' is not running", name);
    return qemu_monitor_open(rec->qmp_path, QEMU_MONITOR_TIMEOUT_MS, ret_mon);
}

static int64_t
json_int_member(json_object *o, const char *key)
{
    json_object *v;
    return o && json_object_object_get_ex(o, key, &v) ? json_object_get_int64(v) : -1;
}

static int
set_memory(qemu_monitor *mon, const char *name, uint64_t memory_kib)
{
    json_object *ret = NULL;
    int r =
        qemu_monitor_command(mon, "query-memory-size-summary", NULL, QEMU_MONITOR_TIMEOUT_MS, &ret);
    int64_t base = r < 0 ? -1 : json_int_member(ret, "base-memory");
    json_object_put(ret);
    if (r < 0)
        return r;
    if (base > 0 && memory_kib > (uint64_t)base / 1024)
        return vp_plugin_error_set(VP_ERR_INVALID_ARG,
                                   "cannot set memory higher than max memory (%llu KiB > %llu KiB)",
                                   (unsigned long long)memory_kib, (unsigned long long)base / 1024);
    ret = NULL;
    if (qemu_monitor_command(mon, "query-balloon", NULL, QEMU_MONITOR_TIMEOUT_MS, &ret) < 0)
        return vp_plugin_error_set(
            VP_ERR_NOT_SUPPORTED,
            "cannot change the memory of running domain '%s': it has no balloon device; add <memballoon model='virtio'/> to its definition and restart it",
            name);
    json_object_put(ret);
    json_object *args = json_object_new_object();
    json_object_object_add(args, "value", json_object_new_int64((int64_t)memory_kib * 1024));
    r = qemu_monitor_command(mon, "balloon", args, QEMU_MONITOR_TIMEOUT_MS, NULL);
    json_object_put(args);
    return r;
}

static int
domain_set_memory(qemu_driver *drv, const char *name, uint64_t memory_kib, unsigned int flags)
{
    if (flags != 0)
        return vp_plugin_error_set(VP_ERR_INVALID_ARG, "unsupported set-memory flags 0x%x", flags);
    _cleanup_domain_lock_ int lock = -1;
    qemu_monitor *mon = NULL;
    int r = begin_running(drv, name, "setmem", &lock, &mon);
    if (r >= 0)
        r = set_memory(mon, name, memory_kib);
    qemu_monitor_close(mon);
    return r;
}

/* The slots emit no lifecycle event of their own, but are looked at as
 * the other mutating slots (qemu-driver.c): they may find a crash. */
int
qemu_domain_set_memory(void *priv, const char *name, uint64_t memory_kib, unsigned int flags)
{
    int r = domain_set_memory(priv, name, memory_kib, flags);
    qemu_events_look(priv, name, false);
    return r;
}

/* The vCPU slots QEMU has (*@ret_total) and how many hold a vCPU. */
static int
count_vcpus(qemu_monitor *mon, const char *name, unsigned int *ret_total, unsigned int *ret_plugged)
{
    json_object *ret = NULL;
    if (qemu_monitor_command(mon, "query-hotpluggable-cpus", NULL, QEMU_MONITOR_TIMEOUT_MS, &ret) <
        0)
        return vp_plugin_error_set(
            VP_ERR_NOT_SUPPORTED,
            "cannot change the vCPUs of running domain '%s': its machine has no hotpluggable vCPUs; use the definition (config) and restart it",
            name);
    size_t n = json_object_is_type(ret, json_type_array) ? json_object_array_length(ret) : 0;
    unsigned int plugged = 0;
    for (size_t i = 0; i < n; i++) {
        json_object *path;
        plugged += json_object_object_get_ex(json_object_array_get_idx(ret, i), "qom-path", &path);
    }
    json_object_put(ret);
    *ret_total = (unsigned int)n;
    *ret_plugged = plugged;
    return 0;
}

static int
domain_set_vcpus(qemu_driver *drv, const char *name, unsigned int nvcpus, unsigned int flags)
{
    if (flags != 0)
        return vp_plugin_error_set(VP_ERR_INVALID_ARG, "unsupported set-vcpus flags 0x%x", flags);
    _cleanup_domain_lock_ int lock = -1;
    qemu_monitor *mon = NULL;
    unsigned int total = 0, plugged = 0;
    int r = begin_running(drv, name, "setvcpus", &lock, &mon);
    if (r >= 0)
        r = count_vcpus(mon, name, &total, &plugged);
    qemu_monitor_close(mon);
    if (r < 0 || nvcpus == plugged)
        return r;
    if (nvcpus > total)
        return vp_plugin_error_set(VP_ERR_INVALID_ARG,
                                   "requested cpu amount exceeds maximum (%u > %u)", nvcpus, total);
    /* Every slot holds a vCPU: QEMU runs with -smp N and no maxcpus. */
    return vp_plugin_error_set(
        VP_ERR_NOT_SUPPORTED,
        "cannot change the vCPUs of running domain '%s' from %u to %u: not supported yet: the qemu driver starts QEMU with every vCPU plugged and no free slot; use the definition (config) and restart it",
        name, plugged, nvcpus);
}

int
qemu_domain_set_vcpus(void *priv, const char *name, unsigned int nvcpus, unsigned int flags)
{
    int r = domain_set_vcpus(priv, name, nvcpus, flags);
    qemu_events_look(priv, name, false);
    return r;
}
