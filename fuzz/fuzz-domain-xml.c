/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Copyright (C) 2026 The virtplug developers */
/*
 * fuzz-domain-xml.c: libFuzzer target for the domain XML parser and
 * formatter (framework/conf/). Any input must parse or fail with
 * VP_ERR_XML; a parsed definition must format, and its text must parse
 * back and format to the same text (format(parse(x)) is stable), and a
 * deep copy must format identically.
 */
#include <config.h>

#include <stddef.h>
#include <stdint.h>

#include "internal.h"

#include <virtplug/sdk/conf.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static char *
format_or_abort(const vp_domain_def *def)
{
    char *xml = NULL;
    if (vp_plugin_domain_def_format(def, 0, &xml) < 0)
        abort();
    return xml;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    _cleanup_free_ char *str = vp_strndup((const char *)data, size);
    vp_domain_def *def = NULL;
    int r = vp_plugin_domain_def_parse(str, 0, &def);
    if (r < 0) {
        if (r != VP_ERR_XML || def || !vp_error_last())
            abort();
        return 0;
    }
    _cleanup_free_ char *once = format_or_abort(def);
    vp_domain_def *copy = vp_plugin_domain_def_copy(def);
    vp_plugin_domain_def_free(def);
    _cleanup_free_ char *copied = format_or_abort(copy);
    vp_plugin_domain_def_free(copy);
    vp_domain_def *again = NULL;
    if (vp_plugin_domain_def_parse(once, 0, &again) < 0)
        abort();
    _cleanup_free_ char *twice = format_or_abort(again);
    vp_plugin_domain_def_free(again);
    if (strcmp(once, twice) != 0 || strcmp(once, copied) != 0)
        abort();
    return 0;
}
