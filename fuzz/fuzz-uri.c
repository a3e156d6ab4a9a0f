/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Copyright (C) 2026 The virtplug developers */
/*
 * fuzz-uri.c: libFuzzer target for the connection URI parser
 * (framework/uri.c). Any input must either parse into parts that are
 * consistent with the input, or fail with VP_ERR_INVALID_ARG and a
 * message; never crash, leak or read out of bounds.
 */
#include <config.h>

#include <stddef.h>
#include <stdint.h>

#include "internal.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    _cleanup_free_ char *str = vp_strndup((const char *)data, size);
    vpi_uri *uri = NULL;
    int r = vpi_uri_parse(str, &uri);
    if (r < 0) {
        const vp_error *e = vp_error_last();
        if (r != VP_ERR_INVALID_ARG || !e || !e->message[0] || uri)
            abort();
        return 0;
    }
    if (strcmp(vp_plugin_uri_get_string(uri), str) != 0 || !vp_plugin_uri_get_scheme(uri)[0])
        abort();
    size_t n = vp_plugin_uri_get_param_count(uri);
    for (size_t i = 0; i < n; i++) {
        const char *name = vp_plugin_uri_get_param_name(uri, i);
        /* Names are unique: a lookup finds this very parameter's value. */
        if (!name[0] || vp_plugin_uri_get_param(uri, name) != vp_plugin_uri_get_param_value(uri, i))
            abort();
    }
    if (vp_plugin_uri_get_param_name(uri, n))
        abort();
    vpi_uri_free(uri);
    return 0;
}
