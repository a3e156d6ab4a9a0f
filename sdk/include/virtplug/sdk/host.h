/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Copyright (C) 2026 The virtplug developers */
/*
 * host.h: what libvirtplug reads about the machine it runs on, for drivers
 * whose domains run on this machine (their node_get_info and
 * conn_get_hostname slots). A driver for another host (remote, simulated)
 * answers for that host instead.
 *
 * Since: 1.1
 */
#ifndef VIRTPLUG_SDK_HOST_H
#define VIRTPLUG_SDK_HOST_H

#include <virtplug/virtplug.h>

#ifdef __cplusplus
extern "C" {
#endif

/**
 * vp_plugin_host_node_info: this machine as libvirt's nodeinfo reports a
 * Linux host: online CPUs (/sys/devices/system/cpu/online), sockets, cores
 * and threads from each online CPU's topology/, NUMA cells
 * (/sys/devices/system/node/nodeN), the frequency ("cpu MHz" of
 * /proc/cpuinfo, else cpufreq's cpuinfo_max_freq), MemTotal of
 * /proc/meminfo, and uname's machine as the model.
 * @ret_info: its @size set by the caller (as vp_node_get_info()).
 * Errors: VP_ERR_SYSTEM naming the file that could not be read,
 * VP_ERR_INVALID_ARG. Thread-safe. Since: 1.1
 */
int vp_plugin_host_node_info(vp_node_info *ret_info);

/**
 * vp_plugin_host_name: this machine's name (gethostname(); unlike libvirt,
 * never completed through the resolver, so it sends nothing on the network).
 * @ret_name: (transfer full) free(). Errors: VP_ERR_SYSTEM. Since: 1.1
 */
int vp_plugin_host_name(char **ret_name);

/**
 * vp_plugin_host_memory_stats: this machine's memory as libvirt reads it
 * on Linux, appended to @params in KiB: "total", "free", "buffers",
 * "cached" (MemTotal, MemFree, Buffers, Cached of /proc/meminfo); for a
 * NUMA @cell "total" and "free" of
 * /sys/devices/system/node/nodeN/meminfo. @cell: or
 * VP_NODE_MEMORY_STATS_ALL_CELLS. Errors: VP_ERR_INVALID_ARG (no such
 * cell), VP_ERR_SYSTEM (a file that cannot be read or lacks a line,
 * naming it). Thread-safe. Since: 1.1
 */
int vp_plugin_host_memory_stats(int cell, vp_typed_params *params);

/**
 * vp_plugin_host_cpu_stats: this machine's CPU time since boot as libvirt
 * reads it on Linux, appended to @params in ns: "kernel" (system + irq +
 * softirq), "user" (user + nice), "idle", "iowait", from the "cpu" line of
 * /proc/stat or, for @cpu >= 0, its "cpuN" line. Errors:
 * VP_ERR_INVALID_ARG (no such CPU online), VP_ERR_SYSTEM. Thread-safe.
 * Since: 1.1
 */
int vp_plugin_host_cpu_stats(int cpu, vp_typed_params *params);

/**
 * vp_plugin_host_sysinfo: this machine's SMBIOS data as libvirt's
 * <sysinfo type='smbios'> XML, from /sys/class/dmi/id (no dmidecode, so
 * no <processor> and <memory_device>); files that could not be read are
 * named in an XML comment. @ret_xml: (transfer full) free(). Errors:
 * VP_ERR_NOT_SUPPORTED when /sys/class/dmi/id does not exist or holds
 * nothing readable. Thread-safe. Since: 1.1
 */
int vp_plugin_host_sysinfo(char **ret_xml);

#ifdef __cplusplus
}
#endif

#endif /* VIRTPLUG_SDK_HOST_H */
