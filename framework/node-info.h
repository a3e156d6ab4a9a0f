/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Copyright (C) 2026 The virtplug developers */
/*
 * node-info.h: the local machine's reader of node-info.c, below a root
 * directory so that tests can give it a fake /proc and /sys.
 */
#ifndef VIRTPLUG_NODE_INFO_H
#define VIRTPLUG_NODE_INFO_H

#include "internal.h"

/* vp_plugin_host_node_info() reading ROOT/proc and ROOT/sys ("" for the
 * real ones), with @machine as the model. */
VPI_HIDDEN int vpi_host_node_info_at(const char *root, const char *machine, vp_node_info *ret_info);

/* host-stats.c: vp_plugin_host_memory_stats(), _cpu_stats() and
 * _sysinfo() reading below ROOT; @ticks_per_s is the clock tick of
 * /proc/stat (sysconf(_SC_CLK_TCK)). */
VPI_HIDDEN int vpi_host_memory_stats_at(const char *root, int cell, vp_typed_params *params);
VPI_HIDDEN int vpi_host_cpu_stats_at(const char *root, int cpu, long ticks_per_s,
                                     vp_typed_params *params);
VPI_HIDDEN int vpi_host_sysinfo_at(const char *root, char **ret_xml);
/* stats.c: an empty list, for tests of the readers. */
VPI_HIDDEN vp_typed_params *vpi_typed_params_new(void);

/* Copy the core-sized struct @full (which begins with its uint32_t size)
 * into the caller's @ret of @ret_size bytes (at least 8), keeping the
 * caller's size field. */
VPI_HIDDEN void vpi_copy_sized(void *ret, uint32_t ret_size, const void *full, size_t full_size);

#endif /* VIRTPLUG_NODE_INFO_H */
