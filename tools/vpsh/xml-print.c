/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Copyright (C) 2026 The virtplug developers */
/*
 * xml-print.c: how the dumpxml verbs (dumpxml, save-image-dumpxml,
 * managedsave-dumpxml) print an XML document, with virsh's --xpath and
 * --wrap.
 *
 * The selection is vp_plugin_xml_xpath()'s (the XML module's, so that
 * vpsh loads libxml2 only when --xpath is given): every node the
 * expression selects is printed on its own line, or all of them inside
 * one <nodes> element with --wrap. An expression that is not valid, or
 * that gives a number, a string or a boolean instead of nodes, is an
 * error naming it (virsh prints nothing and succeeds for an invalid one).
 */
#include <config.h>

#include <stdio.h>
#include <string.h>

#include <virtplug/sdk/conf.h>

#include "vpsh.h"

int
vpsh_print_xml(vpsh_ctx *ctx, const vpsh_args *a, const char *key, const char *value,
               const char *xml)
{
    const char *expr = vpsh_opt_value(a, "xpath");
    char **texts = NULL;
    size_t n = 0;
    if (expr) {
        unsigned int flags = vpsh_flag(a, "wrap") ? VP_PLUGIN_XML_XPATH_WRAP : 0;
        if (vp_plugin_xml_xpath(xml, expr, flags, &texts, &n) < 0)
            return vpsh_fail();
    }
    if (ctx->json) {
        vpsh_json_begin_object(ctx->js, NULL);
        vpsh_json_string(ctx->js, key, value);
        if (expr) {
            vpsh_json_string(ctx->js, "xpath", expr);
            vpsh_json_begin_array(ctx->js, "nodes");
            for (size_t i = 0; i < n; i++)
                vpsh_json_string(ctx->js, NULL, texts[i]);
            vpsh_json_end_array(ctx->js);
        } else {
            vpsh_json_string(ctx->js, "xml", xml);
        }
        vpsh_json_end_object(ctx->js);
    } else if (expr) {
        for (size_t i = 0; i < n; i++)
            if (texts[i])
                printf("%s\n", texts[i]);
    } else {
        size_t len = strlen(xml);
        fputs(xml, stdout);
        if (len == 0 || xml[len - 1] != '\n')
            putchar('\n');
    }
    for (size_t i = 0; i < n; i++)
        free(texts[i]);
    free(texts);
    return VPSH_EXIT_OK;
}
