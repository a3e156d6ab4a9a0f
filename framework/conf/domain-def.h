/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Copyright (C) 2026 The virtplug developers */
/*
 * domain-def.h: the paths of the 1.0 fields (domain-fields.h) in the
 * model, shared by domain-def.c and domain-subset.c. Internal to the XML
 * module.
 */
#ifndef VIRTPLUG_CONF_DOMAIN_DEF_H
#define VIRTPLUG_CONF_DOMAIN_DEF_H

#include <stdbool.h>
#include <stddef.h>

#include "conf/domain-fields.h"
#include "conf/model.h"

/* A field's path cut into its element steps and its attribute (or NULL:
 * the text of the last element). */
typedef struct fpath {
    char buf[64];
    const char *steps[4];
    size_t n;
    const char *attr;
} fpath;

/* Cut @path into @p. */
VPI_HIDDEN_ void vpi_fpath_split(const char *path, fpath *p);
/* The node of the first @n steps of @p below @node, the first of each, or NULL. */
VPI_HIDDEN_ const vpi_mnode *vpi_fpath_find(const vpi_mnode *node, const fpath *p, size_t n);

#endif /* VIRTPLUG_CONF_DOMAIN_DEF_H */
