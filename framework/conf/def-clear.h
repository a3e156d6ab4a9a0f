/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Copyright (C) 2026 The virtplug developers */
/*
 * def-clear.h: clearing one disk of a snapshot definition.
 *
 * Shared by the core's free functions (defs.c) and the XML module's
 * parsers, which live in different shared objects: static inline, so
 * neither needs a symbol of the other. No libxml2 here.
 */
#ifndef VIRTPLUG_CONF_DEF_CLEAR_H
#define VIRTPLUG_CONF_DEF_CLEAR_H

#include <stdlib.h>

#include <virtplug/sdk/conf.h>

static inline void
vpi_snapshot_disk_def_clear(vp_snapshot_disk_def *disk)
{
    free(disk->name);
    free(disk->driver_type);
    free(disk->source_file);
    *disk = (vp_snapshot_disk_def){0};
}

#endif /* VIRTPLUG_CONF_DEF_CLEAR_H */
