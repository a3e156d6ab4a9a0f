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

#ifdef __cplusplus
}
#endif

#endif /* VIRTPLUG_SDK_HOST_H */
