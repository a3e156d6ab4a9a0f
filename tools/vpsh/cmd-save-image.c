/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Copyright (C) 2026 The virtplug developers */
/*
 * cmd-save-image.c: the vpsh verbs save-image-dumpxml, save-image-define,
 * managedsave-dumpxml and managedsave-define, as virsh's; declared in
 * cmd-domain.c's table.
 *
 * Owns their options, virsh's confirmations ("State file F updated.") and
 * their --json objects. It only calls the public API (virtplug-save.h):
 * the images and the checks of a new XML are the library's and driver's.
 */
#include <config.h>

#include <stdio.h>
#include <string.h>

#include <virtplug/sdk/services.h>

#include "vpsh.h"

#define XML_MAX_BYTES (16u << 20)

/* Print @xml (plain: as dumpxml does) or {"file"|"domain", "xml"}. */
static void
print_xml(vpsh_ctx *ctx, const char *key, const char *value, const char *xml)
{
    if (ctx->json) {
        vpsh_json_begin_object(ctx->js, NULL);
        vpsh_json_string(ctx->js, key, value);
        vpsh_json_string(ctx->js, "xml", xml);
        vpsh_json_end_object(ctx->js);
        return;
    }
    size_t len = strlen(xml);
    fputs(xml, stdout);
    if (len == 0 || xml[len - 1] != '\n')
        putchar('\n');
}

/* --running and --paused: VP_DOMAIN_SAVE_*; both is a usage error. The
 * XML file @path read into *@ret_xml. */
static int
define_args(vpsh_ctx *ctx, const vpsh_args *a, const char *path, unsigned int *ret_flags,
            char **ret_xml)
{
    bool running = vpsh_flag(a, "running"), paused = vpsh_flag(a, "paused");
    if (running && paused)
        return vpsh_usage(ctx->cmd, "Options --running and --paused are mutually exclusive");
    *ret_flags = running ? VP_DOMAIN_SAVE_RUNNING : paused ? VP_DOMAIN_SAVE_PAUSED : 0;
    if (vp_plugin_file_read_regular(path, XML_MAX_BYTES, ret_xml, NULL) < 0)
        return vpsh_fail();
    return VPSH_EXIT_OK;
}

static void
print_updated(vpsh_ctx *ctx, const char *key, const char *value, const char *text)
{
    if (ctx->json) {
        vpsh_json_begin_object(ctx->js, NULL);
        vpsh_json_string(ctx->js, key, value);
        vpsh_json_string(ctx->js, "result", "updated");
        vpsh_json_end_object(ctx->js);
    } else {
        vpsh_extra(ctx, "%s\n", text);
    }
}

int
vpsh_cmd_save_image_dumpxml(vpsh_ctx *ctx, const vpsh_args *a)
{
    vp_conn *conn;
    if (vpsh_conn(ctx, &conn) != 0)
        return VPSH_EXIT_FAIL;
    unsigned int flags = vpsh_flag(a, "security-info") ? VP_DOMAIN_XML_SECURE : 0;
    _cleanup_free_ char *xml = NULL;
    if (vp_domain_save_image_get_xml(conn, a->pos[0], flags, &xml) < 0)
        return vpsh_fail();
    print_xml(ctx, "file", a->pos[0], xml);
    return VPSH_EXIT_OK;
}

int
vpsh_cmd_save_image_define(vpsh_ctx *ctx, const vpsh_args *a)
{
    unsigned int flags;
    _cleanup_free_ char *xml = NULL;
    int status = define_args(ctx, a, a->pos[1], &flags, &xml);
    if (status != VPSH_EXIT_OK)
        return status;
    vp_conn *conn;
    if (vpsh_conn(ctx, &conn) != 0)
        return VPSH_EXIT_FAIL;
    if (vp_domain_save_image_define_xml(conn, a->pos[0], xml, flags) < 0)
        return vpsh_fail();
    _cleanup_free_ char *text = vp_asprintf("State file %s updated.", a->pos[0]);
    print_updated(ctx, "file", a->pos[0], text);
    return VPSH_EXIT_OK;
}

int
vpsh_cmd_managedsave_dumpxml(vpsh_ctx *ctx, const vpsh_args *a)
{
    _cleanup_(vp_domain_freep) vp_domain *dom = NULL;
    if (vpsh_domain(ctx, a->pos[0], &dom) != 0)
        return VPSH_EXIT_FAIL;
    unsigned int flags = vpsh_flag(a, "security-info") ? VP_DOMAIN_XML_SECURE : 0;
    _cleanup_free_ char *xml = NULL;
    if (vp_domain_managed_save_get_xml(dom, flags, &xml) < 0)
        return vpsh_fail();
    print_xml(ctx, "domain", vp_domain_get_name(dom), xml);
    return VPSH_EXIT_OK;
}

int
vpsh_cmd_managedsave_define(vpsh_ctx *ctx, const vpsh_args *a)
{
    unsigned int flags;
    _cleanup_free_ char *xml = NULL;
    int status = define_args(ctx, a, a->pos[1], &flags, &xml);
    if (status != VPSH_EXIT_OK)
        return status;
    _cleanup_(vp_domain_freep) vp_domain *dom = NULL;
    if (vpsh_domain(ctx, a->pos[0], &dom) != 0)
        return VPSH_EXIT_FAIL;
    if (vp_domain_managed_save_define_xml(dom, xml, flags) < 0)
        return vpsh_fail();
    const char *name = vp_domain_get_name(dom);
    _cleanup_free_ char *text =
        vp_asprintf("Managed save state file of domain '%s' updated.", name);
    print_updated(ctx, "domain", name, text);
    return VPSH_EXIT_OK;
}

const vpsh_opt vpsh_save_image_dumpxml_opts[] = {
    {"security-info", NULL, false, "include the secrets (graphics passwords)", NULL},
    {"xpath", "EXPRESSION", false, NULL, "not supported yet: vpsh has no XPath evaluator"},
    {"wrap", NULL, false, NULL, "not supported yet: vpsh has no XPath evaluator"},
    {NULL, NULL, false, NULL, NULL},
};

const vpsh_opt vpsh_save_image_define_opts[] = {
    {"running", NULL, false, "restore the domain running, whatever its state when saved", NULL},
    {"paused", NULL, false, "restore the domain paused, whatever its state when saved", NULL},
    {NULL, NULL, false, NULL, NULL},
};
