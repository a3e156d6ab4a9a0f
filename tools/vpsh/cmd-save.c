/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Copyright (C) 2026 The virtplug developers */
/*
 * cmd-save.c: the vpsh verbs save, restore, managedsave and
 * managedsave-remove, and undefine's --managed-save, as virsh's; declared
 * in cmd-domain.c's table.
 *
 * Owns their options (--running, --paused, save's --xml; those of virsh
 * the API cannot honour are refused by name), virsh's confirmations and two-line errors
 * ("Failed to save domain 'x' to FILE", then why), and their --json
 * objects. It only calls the public API; the image files are the driver's.
 */
#include <config.h>

#include <virtplug/sdk/services.h>

#include "vpsh.h"

#define XML_MAX_BYTES (16u << 20)

int
vpsh_save_state_flags(vpsh_ctx *ctx, const vpsh_args *a, unsigned int *ret_flags)
{
    bool running = vpsh_flag(a, "running"), paused = vpsh_flag(a, "paused");
    if (running && paused)
        return vpsh_usage(ctx->cmd, "Options --running and --paused are mutually exclusive");
    *ret_flags = running ? VP_DOMAIN_SAVE_RUNNING : paused ? VP_DOMAIN_SAVE_PAUSED : 0;
    return VPSH_EXIT_OK;
}

/* The state flags and the domain of save and managedsave. */
static int
flags_and_domain(vpsh_ctx *ctx, const vpsh_args *a, unsigned int *ret_flags, vp_domain **ret_dom)
{
    int status = vpsh_save_state_flags(ctx, a, ret_flags);
    if (status != VPSH_EXIT_OK)
        return status;
    return vpsh_domain(ctx, a->pos[0], ret_dom) != 0 ? VPSH_EXIT_FAIL : VPSH_EXIT_OK;
}

int
vpsh_cmd_save(vpsh_ctx *ctx, const vpsh_args *a)
{
    unsigned int flags;
    _cleanup_(vp_domain_freep) vp_domain *dom = NULL;
    int status = flags_and_domain(ctx, a, &flags, &dom);
    if (status != VPSH_EXIT_OK)
        return status;
    const char *file = a->pos[1];
    const char *xml_file = vpsh_opt_value(a, "xml");
    _cleanup_free_ char *xml = NULL;
    if (xml_file && vp_plugin_file_read_regular(xml_file, XML_MAX_BYTES, &xml, NULL) < 0)
        return vpsh_fail();
    if ((xml ? vp_domain_save_with_xml(dom, file, xml, flags) : vp_domain_save(dom, file, flags)) <
        0) {
        _cleanup_free_ char *what =
            vp_asprintf("Failed to save domain '%s' to %s", a->pos[0], file);
        return vpsh_fail_what(what);
    }
    if (ctx->json) {
        vpsh_json_begin_object(ctx->js, NULL);
        vpsh_json_string(ctx->js, "domain", vp_domain_get_name(dom));
        vpsh_json_string(ctx->js, "result", "saved");
        vpsh_json_string(ctx->js, "file", file);
        vpsh_json_end_object(ctx->js);
    } else {
        vpsh_extra(ctx, "\nDomain '%s' saved to %s\n", a->pos[0], file);
    }
    return VPSH_EXIT_OK;
}

int
vpsh_cmd_restore(vpsh_ctx *ctx, const vpsh_args *a)
{
    unsigned int flags;
    int status = vpsh_save_state_flags(ctx, a, &flags);
    if (status != VPSH_EXIT_OK)
        return status;
    vp_conn *conn;
    if (vpsh_conn(ctx, &conn) != 0)
        return VPSH_EXIT_FAIL;
    const char *file = a->pos[0];
    _cleanup_(vp_domain_freep) vp_domain *dom = NULL;
    if (vp_domain_restore(conn, file, flags, &dom) < 0) {
        _cleanup_free_ char *what = vp_asprintf("Failed to restore domain from %s", file);
        return vpsh_fail_what(what);
    }
    if (ctx->json) {
        vpsh_json_begin_object(ctx->js, NULL);
        vpsh_json_string(ctx->js, "domain", vp_domain_get_name(dom));
        vpsh_json_string(ctx->js, "result", "restored");
        vpsh_json_string(ctx->js, "file", file);
        vpsh_json_end_object(ctx->js);
    } else {
        vpsh_extra(ctx, "Domain restored from %s\n", file);
    }
    return VPSH_EXIT_OK;
}

int
vpsh_cmd_managedsave(vpsh_ctx *ctx, const vpsh_args *a)
{
    unsigned int flags;
    _cleanup_(vp_domain_freep) vp_domain *dom = NULL;
    int status = flags_and_domain(ctx, a, &flags, &dom);
    if (status != VPSH_EXIT_OK)
        return status;
    if (vp_domain_managed_save(dom, flags) < 0) {
        _cleanup_free_ char *what = vp_asprintf("Failed to save domain '%s' state", a->pos[0]);
        return vpsh_fail_what(what);
    }
    if (ctx->json)
        vpsh_print_done(ctx, vp_domain_get_name(dom), "saved", NULL);
    else /* virsh's words, kept so scripts that match them work */
        vpsh_extra(ctx, "\nDomain '%s' state saved by libvirt\n", a->pos[0]);
    return VPSH_EXIT_OK;
}

int
vpsh_cmd_managedsave_remove(vpsh_ctx *ctx, const vpsh_args *a)
{
    _cleanup_(vp_domain_freep) vp_domain *dom = NULL;
    if (vpsh_domain(ctx, a->pos[0], &dom) != 0)
        return VPSH_EXIT_FAIL;
    const char *name = vp_domain_get_name(dom);
    int has = vp_domain_has_managed_save(dom, 0);
    if (has < 0) {
        _cleanup_free_ char *what =
            vp_asprintf("Failed to check for domain managed save image for domain '%s'", name);
        return vpsh_fail_what(what);
    }
    if (has == 1 && vp_domain_managed_save_remove(dom, 0) < 0) {
        _cleanup_free_ char *what =
            vp_asprintf("Failed to remove managed save image for domain '%s'", name);
        return vpsh_fail_what(what);
    }
    if (ctx->json)
        vpsh_print_done(ctx, name, has == 1 ? "removed" : "none", NULL);
    else if (has == 1)
        vpsh_extra(ctx, "Removed managedsave image for domain '%s'\n", name);
    else /* sic: virsh's words */
        vpsh_extra(ctx, "Domain '%s' has no manage save image; removal skipped\n", name);
    return VPSH_EXIT_OK;
}

#define STATE_OPTS                                                                                 \
    {"running", NULL, false, "restore the domain running, whatever its state when saved", NULL},   \
    {                                                                                              \
        "paused", NULL, false, "restore the domain paused, whatever its state when saved", NULL    \
    }
#define BYPASS_CACHE_OPT                                                                           \
    {                                                                                              \
        "bypass-cache", NULL, false, NULL,                                                         \
            "not supported yet: the image goes through the page cache"                             \
    }
#define VERBOSE_OPT                                                                                \
    {                                                                                              \
        "verbose", NULL, false, NULL, "not supported yet: no progress is reported"                 \
    }

const vpsh_opt vpsh_save_opts[] = {
    STATE_OPTS,
    BYPASS_CACHE_OPT,
    {"xml", "FILE", false,
     "store the domain XML of FILE in the image instead of the domain's (what save-image-define allows may differ)",
     NULL},
    VERBOSE_OPT,
    {NULL, NULL, false, NULL, NULL},
};

const vpsh_opt vpsh_restore_opts[] = {
    STATE_OPTS,
    BYPASS_CACHE_OPT,
    {"xml", "FILE", false, NULL,
     "not supported yet: the image's own XML runs; replace it with save-image-define FILE XML"},
    {NULL, NULL, false, NULL, NULL},
};

const vpsh_opt vpsh_managedsave_opts[] = {
    STATE_OPTS,
    BYPASS_CACHE_OPT,
    VERBOSE_OPT,
    {NULL, NULL, false, NULL, NULL},
};
