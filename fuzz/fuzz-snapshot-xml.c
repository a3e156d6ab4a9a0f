/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Copyright (C) 2026 The virtplug developers */
/*
 * fuzz-snapshot-xml.c: libFuzzer target for the snapshot XML parser and
 * formatter (framework/conf/snapshot-conf.c). Each input is parsed as a
 * request and as a record (whatever a request may hold, a record may too);
 * a parsed record must format, parse back, and format to the same text.
 */
#include <config.h>

#include <stddef.h>
#include <stdint.h>

#include "internal.h"

#include <virtplug/sdk/conf.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static char *
format_or_abort(const vp_snapshot_def *def)
{
    char *xml = NULL;
    if (vp_plugin_snapshot_def_format(def, 0, &xml) < 0)
        abort();
    return xml;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    _cleanup_free_ char *str = vp_strndup((const char *)data, size);
    vp_snapshot_def *request = NULL, *def = NULL;
    int r_request = vp_plugin_snapshot_def_parse(str, 0, &request);
    int r = vp_plugin_snapshot_def_parse(str, VP_PLUGIN_SNAPSHOT_PARSE_RECORD, &def);
    vp_plugin_snapshot_def_free(request);
    /* A record may hold everything a request may. */
    if (r_request >= 0 && r < 0)
        abort();
    if (r < 0) {
        if (r != VP_ERR_XML || def || !vp_error_last())
            abort();
        return 0;
    }
    _cleanup_free_ char *once = format_or_abort(def);
    vp_plugin_snapshot_def_free(def);
    vp_snapshot_def *again = NULL;
    if (vp_plugin_snapshot_def_parse(once, VP_PLUGIN_SNAPSHOT_PARSE_RECORD, &again) < 0)
        abort();
    _cleanup_free_ char *twice = format_or_abort(again);
    vp_plugin_snapshot_def_free(again);
    if (strcmp(once, twice) != 0)
        abort();
    return 0;
}
