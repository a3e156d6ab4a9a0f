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

/* Copy the core-sized struct @full (which begins with its uint32_t size)
 * into the caller's @ret of @ret_size bytes (at least 8), keeping the
 * caller's size field. */
VPI_HIDDEN void vpi_copy_sized(void *ret, uint32_t ret_size, const void *full, size_t full_size);

#endif /* VIRTPLUG_NODE_INFO_H */
