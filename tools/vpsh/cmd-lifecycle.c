/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Copyright (C) 2026 The virtplug developers */
/*
 * cmd-lifecycle.c: the vpsh verbs reboot and reset, as virsh's, declared
 * in cmd-domain.c's table.
 *
 * Owns how virsh's options of these verbs map onto the API (reboot --mode)
 * and their one-line confirmations. It only calls the public API.
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
    if (vp_domain_reboot(dom, flags) < 0)
        return vpsh_fail();
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
    if (vp_domain_reset(dom, 0) < 0)
        return vpsh_fail();
    _cleanup_free_ char *text = vp_asprintf("Domain '%s' was reset", a->pos[0]);
    vpsh_print_done(ctx, vp_domain_get_name(dom), "reset", text);
    return VPSH_EXIT_OK;
}

const vpsh_opt vpsh_reboot_opts[] = {
    {"mode", "MODE", false, "how the guest is asked: 'agent' (the guest agent) or 'acpi'", NULL},
    {NULL, NULL, false, NULL, NULL},
};
