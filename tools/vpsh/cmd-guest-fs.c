/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Copyright (C) 2026 The virtplug developers */
/*
 * cmd-guest-fs.c: the verbs on a guest's filesystems and its own power
 * states, declared in vpsh_domain_cmds: domfsfreeze, domfsthaw,
 * dompmsuspend, dompmwakeup, with virsh's options, lines and failures.
 */
#include <config.h>

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "vpsh.h"

/* The mount points given as --mountpoint or as further positionals (virsh
 * takes both) into a NULL-terminated array the caller frees (the strings
 * stay the arguments'); their count in *@ret_n. */
static const char **
mountpoints_of(const vpsh_args *a, size_t *ret_n)
{
    const char *const *opt = NULL;
    size_t n_opt = vpsh_opt_values(a, "mountpoint", &opt);
    size_t npos = a->npos > 1 ? a->npos - 1 : 0;
    const char **mps = vp_new0(const char *, n_opt + npos + 1);
    for (size_t i = 0; i < n_opt; i++)
        mps[i] = opt[i];
    for (size_t i = 0; i < npos; i++)
        mps[n_opt + i] = a->pos[1 + i];
    *ret_n = n_opt + npos;
    return mps;
}

static int
fs_freeze_thaw(vpsh_ctx *ctx, const vpsh_args *a, bool freeze)
{
    _cleanup_(vp_domain_freep) vp_domain *dom = NULL;
    if (vpsh_domain(ctx, a->pos[0], &dom) != 0)
        return VPSH_EXIT_FAIL;
    size_t n = 0;
    const char **mps = mountpoints_of(a, &n);
    int r = freeze ? vp_domain_fs_freeze(dom, n ? mps : NULL, n, 0)
                   : vp_domain_fs_thaw(dom, n ? mps : NULL, n, 0);
    if (r < 0) {
        free(mps);
        return vpsh_fail_what(freeze ? "Unable to freeze filesystems"
                                     : "Unable to thaw filesystems");
    }
    if (ctx->json) {
        vpsh_json_begin_object(ctx->js, NULL);
        vpsh_json_string(ctx->js, "domain", vp_domain_get_name(dom));
        vpsh_json_int(ctx->js, freeze ? "frozen" : "thawed", r);
        vpsh_json_begin_array(ctx->js, "mountpoints");
        for (size_t i = 0; i < n; i++)
            vpsh_json_string(ctx->js, NULL, mps[i]);
        vpsh_json_end_array(ctx->js);
        vpsh_json_end_object(ctx->js);
    } else {
        vpsh_extra(ctx, freeze ? "Froze %d filesystem(s)\n" : "Thawed %d filesystem(s)\n", r);
    }
    free(mps);
    return VPSH_EXIT_OK;
}

int
vpsh_cmd_domfsfreeze(vpsh_ctx *ctx, const vpsh_args *a)
{
    return fs_freeze_thaw(ctx, a, true);
}

int
vpsh_cmd_domfsthaw(vpsh_ctx *ctx, const vpsh_args *a)
{
    return fs_freeze_thaw(ctx, a, false);
}

static const char *const pm_targets[] = {"mem", "disk", "hybrid"};

int
vpsh_cmd_dompmsuspend(vpsh_ctx *ctx, const vpsh_args *a)
{
    const char *target = a->npos > 1 ? a->pos[1] : NULL; /* also --target */
    if (!target)
        return vpsh_usage(ctx->cmd, "missing the target: --target mem, disk or hybrid");
    unsigned int t = 0;
    while (t < 3 && strcmp(target, pm_targets[t]) != 0)
        t++;
    if (t == 3)
        return vpsh_usage(ctx->cmd, "Invalid target '%s': use mem, disk or hybrid", target);
    unsigned long long duration = 0;
    const char *dtext = vpsh_opt_value(a, "duration");
    if (dtext) {
        char *end;
        errno = 0;
        duration = strtoull(dtext, &end, 10);
        if (!*dtext || *end || errno || dtext[0] == '-')
            return vpsh_usage(ctx->cmd, "Invalid duration '%s': it takes seconds", dtext);
    }
    _cleanup_(vp_domain_freep) vp_domain *dom = NULL;
    if (vpsh_domain(ctx, a->pos[0], &dom) != 0)
        return VPSH_EXIT_FAIL;
    const char *name = vp_domain_get_name(dom);
    if (vp_domain_pm_suspend_for_duration(dom, t, duration, 0) < 0) {
        _cleanup_free_ char *what = vp_asprintf("Domain '%s' could not be suspended", name);
        return vpsh_fail_what(what);
    }
    _cleanup_free_ char *text = vp_asprintf("Domain '%s' successfully suspended", name);
    vpsh_print_done(ctx, name, "suspend requested", text);
    return VPSH_EXIT_OK;
}

int
vpsh_cmd_dompmwakeup(vpsh_ctx *ctx, const vpsh_args *a)
{
    _cleanup_(vp_domain_freep) vp_domain *dom = NULL;
    if (vpsh_domain(ctx, a->pos[0], &dom) != 0)
        return VPSH_EXIT_FAIL;
    const char *name = vp_domain_get_name(dom);
    if (vp_domain_pm_wakeup(dom, 0) < 0) {
        _cleanup_free_ char *what = vp_asprintf("Domain '%s' could not be woken up", name);
        return vpsh_fail_what(what);
    }
    _cleanup_free_ char *text = vp_asprintf("Domain '%s' successfully woken up", name);
    vpsh_print_done(ctx, name, "woken up", text);
    return VPSH_EXIT_OK;
}

const vpsh_opt vpsh_domfsfreeze_opts[] = {
    {"mountpoint", "M", true, "only the filesystem mounted at M (repeat for more)", NULL},
    {NULL, NULL, false, NULL, NULL},
};

const vpsh_opt vpsh_dompmsuspend_opts[] = {
    {"duration", "N", false, "seconds to stay suspended: only 0 (until dompmwakeup)", NULL},
    {NULL, NULL, false, NULL, NULL},
};
