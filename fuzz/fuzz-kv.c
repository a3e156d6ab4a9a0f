/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Copyright (C) 2026 The virtplug developers */
/*
 * fuzz-kv.c: libFuzzer target for the key=value record format
 * (framework/util/kv-file.c). Any input either fails with
 * VP_ERR_INVALID_ARG and a message, or reads into pairs that format
 * (vp_plugin_kv_write's text) and read back as exactly the same pairs:
 * a record never changes on its way through the disk.
 */
#include <config.h>

#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "internal.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    _cleanup_free_ char *text = vp_new0(char, size + 1);
    memcpy(text, data, size);
    _cleanup_strv_free_ char **pairs = NULL;
    int r = vpi_kv_parse("fuzz", text, size, &pairs);
    if (r < 0) {
        const vp_error *e = vp_error_last();
        if (r != VP_ERR_INVALID_ARG || !e || !e->message[0] || pairs)
            abort();
        return 0;
    }
    _cleanup_free_ char *again = NULL;
    if (vpi_kv_format("fuzz", (const char *const *)pairs, &again) < 0)
        abort();
    _cleanup_strv_free_ char **back = NULL;
    if (vpi_kv_parse("fuzz", again, strlen(again), &back) < 0)
        abort();
    size_t i = 0;
    for (; pairs[i]; i++) {
        if (!back[i] || strcmp(pairs[i], back[i]) != 0)
            abort();
    }
    if (back[i])
        abort();
    return 0;
}
