/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Copyright (C) 2026 The virtplug developers */
/*
 * uri.h: connection URIs ("scheme://host/path?key=value&...").
 */
#ifndef VIRTPLUG_URI_H
#define VIRTPLUG_URI_H

#include <stddef.h>

typedef struct vp_plugin_uri vpi_uri;

/* Parse @str. Errors: VP_ERR_INVALID_ARG saying what is malformed. */
__attribute__((visibility("hidden"))) int vpi_uri_parse(const char *str, vpi_uri **ret_uri);
__attribute__((visibility("hidden"))) void vpi_uri_free(vpi_uri *uri);

#endif /* VIRTPLUG_URI_H */
