/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Copyright (C) 2026 The virtplug developers */
/*
 * fuzz-domain-model.c: libFuzzer target for the declared domain model
 * (framework/conf/model-*.c), the parser the test driver and capability
 * checks use. Any input must parse or fail with VP_ERR_XML and a message;
 * a parsed model must format, the text must parse back, format to the same
 * text (nothing dropped, nothing invented), and a copy must format
 * identically.
 */
#include <config.h>

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"
#include "conf/model.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static char *
format_or_abort(const vpi_domain_model *m)
{
    char *xml = NULL;
    if (vpi_model_format(m, 0, &xml) < 0)
        abort();
    return xml;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    _cleanup_free_ char *str = vp_strndup((const char *)data, size);
    vp_domain_def *def = NULL;
    vpi_domain_model *m = NULL;
    int r = vpi_model_parse(str, 0, NULL, &def, &m);
    if (r < 0) {
        if (r != VP_ERR_XML || m || !vp_error_last())
            abort();
        return 0;
    }
    vp_plugin_domain_def_free(def);
    _cleanup_free_ char *once = format_or_abort(m);
    vpi_domain_model *copy = vpi_model_copy(m);
    vpi_model_free(m);
    _cleanup_free_ char *copied = format_or_abort(copy);
    vpi_model_free(copy);
    vpi_domain_model *again = NULL;
    def = NULL;
    if (vpi_model_parse(once, 0, NULL, &def, &again) < 0)
        abort();
    vp_plugin_domain_def_free(def);
    _cleanup_free_ char *twice = format_or_abort(again);
    vpi_model_free(again);
    if (strcmp(once, twice) != 0 || strcmp(once, copied) != 0)
        abort();
    return 0;
}
