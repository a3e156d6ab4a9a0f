/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Copyright (C) 2026 The virtplug developers */
/*
 * cmd-lifecycle.c: the vpsh verbs reboot, reset and autostart, as virsh's,
 * and start's --autostart-all and --force-boot, declared in cmd-domain.c's
 * table.
 *
 * Owns how virsh's options of these verbs map onto the API (reboot --mode,
 * autostart --disable), their one-line confirmations, and the start of
 * every domain marked autostart, which virtplug's systemd unit runs at
 * boot in place of libvirt's daemon. It only calls the public API.
 */
#include <config.h>

#include <string.h>

#include "vpsh.h"

/* virsh's reboot modes; those the API has no flag for are refused. */
static int
reboot_mode(vpsh_ctx *ctx, const char *mode, unsigned int *ret_flags)
{
    if (!mode)
        *ret_flags = 0;
    else if (strcmp(mode, "acpi") == 0)
        *ret_flags = VP_DOMAIN_REBOOT_ACPI_POWER_BTN;
    else if (strcmp(mode, "agent") == 0)
        *ret_flags = VP_DOMAIN_REBOOT_GUEST_AGENT;
    else if (strchr(mode, ','))
        return vpsh_usage(ctx->cmd, "--mode takes one mode in vpsh ('acpi' or 'agent'), not '%s'",
                          mode);
    else
        return vpsh_failf(
            "reboot mode '%s' is not supported: virtplug reboots by 'acpi' or 'agent' only", mode);
    return 0;
}

int
vpsh_cmd_reboot(vpsh_ctx *ctx, const vpsh_args *a)
{
    unsigned int flags = 0;
    int r = reboot_mode(ctx, vpsh_opt_value(a, "mode"), &flags);
    if (r != 0)
        return r;
    _cleanup_(vp_domain_freep) vp_domain *dom = NULL;
    if (vpsh_domain(ctx, a->pos[0], &dom) != 0)
        return VPSH_EXIT_FAIL;
    if (vp_domain_reboot(dom, flags) < 0) {
        _cleanup_free_ char *what = vp_asprintf("Failed to reboot domain '%s'", a->pos[0]);
        return vpsh_fail_what(what);
    }
    _cleanup_free_ char *text = vp_asprintf("Domain '%s' is being rebooted", a->pos[0]);
    vpsh_print_done(ctx, vp_domain_get_name(dom), "rebooting", text);
    return VPSH_EXIT_OK;
}

int
vpsh_cmd_reset(vpsh_ctx *ctx, const vpsh_args *a)
{
    _cleanup_(vp_domain_freep) vp_domain *dom = NULL;
    if (vpsh_domain(ctx, a->pos[0], &dom) != 0)
        return VPSH_EXIT_FAIL;
    if (vp_domain_reset(dom, 0) < 0) {
        _cleanup_free_ char *what = vp_asprintf("Failed to reset domain '%s'", a->pos[0]);
        return vpsh_fail_what(what);
    }
    _cleanup_free_ char *text = vp_asprintf("Domain '%s' was reset", a->pos[0]);
    vpsh_print_done(ctx, vp_domain_get_name(dom), "reset", text);
    return VPSH_EXIT_OK;
}

/* One marked domain, started unless it runs; *ret_started says whether
 * it was. Failures are printed and counted, so the others still start. */
static int
start_marked(vpsh_ctx *ctx, vp_domain *dom, bool *ret_started)
{
    int autostart = 0;
    *ret_started = false;
    if (vp_domain_get_autostart(dom, &autostart) < 0)
        return vpsh_fail();
    if (!autostart)
        return VPSH_EXIT_OK;
    if (vp_domain_start(dom, 0) < 0) {
        if (vp_error_last()->code == VP_ERR_OPERATION_INVALID) {
            int state;
            /* Started by someone else since the listing: not a failure. */
            if (vp_domain_get_state(dom, &state, NULL, 0) >= 0 && state != VP_DOMAIN_SHUTOFF)
                return VPSH_EXIT_OK;
        }
        if (ctx->json) {
            vpsh_json_begin_object(ctx->js, NULL);
            vpsh_json_string(ctx->js, "domain", vp_domain_get_name(dom));
            vpsh_json_string(ctx->js, "error", vp_error_last()->message);
            vpsh_json_end_object(ctx->js);
        }
        return vpsh_fail();
    }
    *ret_started = true;
    return VPSH_EXIT_OK;
}

/* start --autostart-all: every shut-off domain marked autostart. */
static int
start_autostart_all(vpsh_ctx *ctx)
{
    vp_conn *conn;
    if (vpsh_conn(ctx, &conn) != 0)
        return VPSH_EXIT_FAIL;
    vp_domain **doms = NULL;
    int n = vp_conn_list_domains(conn, VP_LIST_DOMAINS_INACTIVE, &doms);
    if (n < 0)
        return vpsh_fail();
    int status = VPSH_EXIT_OK;
    _cleanup_free_ bool *started = vp_new0(bool, (size_t)n + 1);
    if (ctx->json) {
        vpsh_json_begin_object(ctx->js, NULL);
        vpsh_json_begin_array(ctx->js, "failed");
    }
    for (int i = 0; i < n; i++) {
        if (start_marked(ctx, doms[i], &started[i]) != VPSH_EXIT_OK)
            status = VPSH_EXIT_FAIL;
        else if (started[i] && !ctx->json)
            vpsh_extra(ctx, "Domain '%s' started\n", vp_domain_get_name(doms[i]));
    }
    if (ctx->json) {
        vpsh_json_end_array(ctx->js);
        vpsh_json_begin_array(ctx->js, "started");
        for (int i = 0; i < n; i++)
            if (started[i])
                vpsh_json_string(ctx->js, NULL, vp_domain_get_name(doms[i]));
        vpsh_json_end_array(ctx->js);
        vpsh_json_end_object(ctx->js);
        ctx->json_on_failure = true;
    }
    vp_domain_list_free(doms);
    return status;
}

int
vpsh_cmd_start(vpsh_ctx *ctx, const vpsh_args *a)
{
    if (vpsh_flag(a, "autostart-all")) {
        if (a->npos > 0)
            return vpsh_usage(ctx->cmd,
                              "--autostart-all starts every marked domain; give no DOMAIN");
        return start_autostart_all(ctx);
    }
    if (a->npos == 0)
        return vpsh_usage(ctx->cmd, "command 'start' requires <domain> option");
    if (vpsh_flag(a, "force-boot")) {
        /* Boot afresh: a managed-save image of a shut-off domain is
         * discarded first (a running domain keeps it; start refuses). */
        _cleanup_(vp_domain_freep) vp_domain *dom = NULL;
        int state;
        if (vpsh_domain(ctx, a->pos[0], &dom) != 0)
            return VPSH_EXIT_FAIL;
        if (vp_domain_get_state(dom, &state, NULL, 0) < 0)
            return vpsh_fail();
        if (state == VP_DOMAIN_SHUTOFF && vp_domain_managed_save_remove(dom, 0) < 0)
            return vpsh_fail();
    }
    return vpsh_cmd_simple(ctx, a);
}

int
vpsh_cmd_autostart(vpsh_ctx *ctx, const vpsh_args *a)
{
    bool disable = vpsh_flag(a, "disable");
    _cleanup_(vp_domain_freep) vp_domain *dom = NULL;
    if (vpsh_domain(ctx, a->pos[0], &dom) != 0)
        return VPSH_EXIT_FAIL;
    if (vp_domain_set_autostart(dom, !disable) < 0)
        return vpsh_fail();
    _cleanup_free_ char *text =
        vp_asprintf("Domain '%s' %s as autostarted", a->pos[0], disable ? "unmarked" : "marked");
    vpsh_print_done(ctx, vp_domain_get_name(dom),
                    disable ? "autostart disabled" : "autostart enabled", text);
    return VPSH_EXIT_OK;
}

const vpsh_opt vpsh_start_opts[] = {
    {"paused", NULL, false, "leave the domain paused once started (resume starts its vCPUs)", NULL},
    {"force-boot", NULL, false, "discard a managed-save image and boot afresh", NULL},
    {"autodestroy", NULL, false, NULL,
     "virtplug has no daemon: no process outlives vpsh to destroy the domain when it exits"},
    {"autostart-all", NULL, false,
     "start every shut-off domain marked autostart (what the boot unit runs)", NULL},
    {NULL, NULL, false, NULL, NULL},
};

const vpsh_opt vpsh_autostart_opts[] = {
    {"disable", NULL, false, "unmark the domain", NULL},
    {NULL, NULL, false, NULL, NULL},
};

const vpsh_opt vpsh_reboot_opts[] = {
    {"mode", "MODE", false, "how the guest is asked: 'agent' (the guest agent) or 'acpi'", NULL},
    {NULL, NULL, false, NULL, NULL},
};
