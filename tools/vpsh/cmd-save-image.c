/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Copyright (C) 2026 The virtplug developers */
/*
 * cmd-save-image.c: the vpsh verbs save-image-dumpxml, save-image-define,
 * save-image-edit, managedsave-dumpxml, managedsave-define and
 * managedsave-edit, as virsh's; declared in cmd-domain.c's table.
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

/* The flags of vpsh_save_state_flags(), and the XML file @path read into *@ret_xml. */
static int
define_args(vpsh_ctx *ctx, const vpsh_args *a, const char *path, unsigned int *ret_flags,
            char **ret_xml)
{
    int status = vpsh_save_state_flags(ctx, a, ret_flags);
    if (status != VPSH_EXIT_OK)
        return status;
    if (vp_plugin_file_read_regular(path, XML_MAX_BYTES, ret_xml, NULL) < 0)
        return vpsh_fail();
    return VPSH_EXIT_OK;
}

/* virsh's line @text, or {KEY: VALUE, "result": RESULT}. */
static void
print_result(vpsh_ctx *ctx, const char *key, const char *value, const char *result,
             const char *text)
{
    if (ctx->json) {
        vpsh_json_begin_object(ctx->js, NULL);
        vpsh_json_string(ctx->js, key, value);
        vpsh_json_string(ctx->js, "result", result);
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
    return vpsh_print_xml(ctx, a, "file", a->pos[0], xml);
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
    print_result(ctx, "file", a->pos[0], "updated", text);
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
    return vpsh_print_xml(ctx, a, "domain", vp_domain_get_name(dom), xml);
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
    print_result(ctx, "domain", name, "updated", text);
    return VPSH_EXIT_OK;
}

/* What an edit defines: the image @file of @conn, or @dom's managed save. */
typedef struct image_edit {
    vp_conn *conn;
    const char *file;
    vp_domain *dom;
    unsigned int flags;
} image_edit;

static int
define_image(void *opaque, const char *xml)
{
    image_edit *e = opaque;
    return e->dom ? vp_domain_managed_save_define_xml(e->dom, xml, e->flags)
                  : vp_domain_save_image_define_xml(e->conn, e->file, xml, e->flags);
}

/* virsh's save-image-edit: the image's XML with its secrets, edited and
 * defined; unchanged, nothing is defined (not even --running/--paused). */
int
vpsh_cmd_save_image_edit(vpsh_ctx *ctx, const vpsh_args *a)
{
    image_edit e = {.file = a->pos[0]};
    int status = vpsh_save_state_flags(ctx, a, &e.flags);
    if (status != VPSH_EXIT_OK)
        return status;
    if (vpsh_conn(ctx, &e.conn) != 0)
        return VPSH_EXIT_FAIL;
    _cleanup_free_ char *xml = NULL;
    if (vp_domain_save_image_get_xml(e.conn, e.file, VP_DOMAIN_XML_SECURE, &xml) < 0)
        return vpsh_fail();
    bool changed = false;
    status = vpsh_edit_xml(xml, define_image, &e, &changed);
    if (status != VPSH_EXIT_OK)
        return status;
    _cleanup_free_ char *text =
        changed ? vp_asprintf("State file %s edited.", e.file)
                : vp_asprintf("Saved image %s XML configuration not changed.", e.file);
    print_result(ctx, "file", e.file, changed ? "edited" : "not changed", text);
    return VPSH_EXIT_OK;
}

/* virsh's managedsave-edit, as save-image-edit on the domain's image. */
int
vpsh_cmd_managedsave_edit(vpsh_ctx *ctx, const vpsh_args *a)
{
    image_edit e = {0};
    int status = vpsh_save_state_flags(ctx, a, &e.flags);
    if (status != VPSH_EXIT_OK)
        return status;
    _cleanup_(vp_domain_freep) vp_domain *dom = NULL;
    if (vpsh_domain(ctx, a->pos[0], &dom) != 0)
        return VPSH_EXIT_FAIL;
    e.dom = dom;
    _cleanup_free_ char *xml = NULL;
    if (vp_domain_managed_save_get_xml(dom, VP_DOMAIN_XML_SECURE, &xml) < 0)
        return vpsh_fail();
    bool changed = false;
    status = vpsh_edit_xml(xml, define_image, &e, &changed);
    if (status != VPSH_EXIT_OK)
        return status;
    const char *name = vp_domain_get_name(dom);
    _cleanup_free_ char *text =
        changed
            ? vp_asprintf("Managed save image of Domain '%s' XML configuration edited.", name)
            : vp_asprintf("Managed save image of domain '%s' XML configuration not changed.", name);
    print_result(ctx, "domain", name, changed ? "edited" : "not changed", text);
    return VPSH_EXIT_OK;
}

const vpsh_opt vpsh_save_image_dumpxml_opts[] = {
    {"security-info", NULL, false, "include the secrets (graphics passwords)", NULL},
    {"xpath", "EXPRESSION", false, "print only the nodes the XPath expression selects", NULL},
    {"wrap", NULL, false, "with --xpath: print the nodes inside one <nodes> element", NULL},
    {NULL, NULL, false, NULL, NULL},
};

const vpsh_opt vpsh_save_image_define_opts[] = {
    {"running", NULL, false, "restore the domain running, whatever its state when saved", NULL},
    {"paused", NULL, false, "restore the domain paused, whatever its state when saved", NULL},
    {NULL, NULL, false, NULL, NULL},
};
