/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Copyright (C) 2026 The virtplug developers */
/*
 * cmd-snapshot-change.c: the snapshot verbs that move a domain or its
 * tree: snapshot-revert, snapshot-create (a snapshot from a file, or with
 * --redefine a record imported as it is) and snapshot-current's setting
 * form, with virsh's options and output. Declared in cmd-snapshot.c's
 * table. It never decides what a revert or a redefine does: the library
 * and the driver do.
 */
#include <config.h>

#include <virtplug/sdk/services.h>

#include "vpsh.h"

int
vpsh_cmd_snapshot_revert(vpsh_ctx *ctx, const vpsh_args *a)
{
    if (vpsh_flag(a, "running") && vpsh_flag(a, "paused"))
        return vpsh_failf("Options --running and --paused are mutually exclusive");
    _cleanup_(vp_domain_freep) vp_domain *dom = NULL;
    _cleanup_(vp_snapshot_freep) vp_snapshot *snap = NULL;
    int status = vpsh_snapshot_named_or_current(ctx, a, &dom, &snap);
    if (status != VPSH_EXIT_OK)
        return status;
    unsigned int flags = 0;
    if (vpsh_flag(a, "running"))
        flags |= VP_SNAPSHOT_REVERT_RUNNING;
    if (vpsh_flag(a, "paused"))
        flags |= VP_SNAPSHOT_REVERT_PAUSED;
    if (vpsh_flag(a, "force"))
        flags |= VP_SNAPSHOT_REVERT_FORCE;
    if (vp_snapshot_revert(snap, flags) < 0)
        return vpsh_fail();
    if (ctx->json) {
        int state = 0;
        if (vp_domain_get_state(dom, &state, NULL, 0) < 0)
            return vpsh_fail();
        vpsh_json_begin_object(ctx->js, NULL);
        vpsh_json_string(ctx->js, "domain", vp_domain_get_name(dom));
        vpsh_json_string(ctx->js, "snapshot", vp_snapshot_get_name(snap));
        vpsh_json_string(ctx->js, "result", "reverted");
        vpsh_json_string(ctx->js, "state", vp_domain_state_name(state));
        vpsh_json_end_object(ctx->js);
    }
    /* virsh prints nothing. */
    return VPSH_EXIT_OK;
}

/* snapshot-current DOMAIN SNAPSHOTNAME: as virsh, the snapshot's own
 * record redefined as current. */
int
vpsh_snapshot_set_current(vpsh_ctx *ctx, vp_domain *dom, const char *name)
{
    _cleanup_(vp_snapshot_freep) vp_snapshot *snap = NULL, *done = NULL;
    _cleanup_free_ char *xml = NULL;
    /* Only this form changes state: -r refuses it, not the query. */
    if (ctx->readonly)
        return vpsh_failf("command '%s' changes state; refused by -r (--readonly)",
                          "snapshot-current");
    if (vp_snapshot_lookup_by_name(dom, name, 0, &snap) < 0 ||
        vp_snapshot_get_xml(snap, 0, &xml) < 0 ||
        vp_snapshot_create_xml(dom, xml, VP_SNAPSHOT_CREATE_REDEFINE | VP_SNAPSHOT_CREATE_CURRENT,
                               &done) < 0)
        return vpsh_fail();
    if (ctx->json) {
        vpsh_json_begin_object(ctx->js, NULL);
        vpsh_json_string(ctx->js, "domain", vp_domain_get_name(dom));
        vpsh_json_string(ctx->js, "snapshot", name);
        vpsh_json_string(ctx->js, "result", "current");
        vpsh_json_end_object(ctx->js);
    } else {
        vpsh_extra(ctx, "Snapshot %s set as current", name);
    }
    return VPSH_EXIT_OK;
}

/* snapshot-create DOMAIN [XMLFILE]: a snapshot from a <domainsnapshot>
 * file, or with --redefine a record imported as it is. */
int
vpsh_cmd_snapshot_create(vpsh_ctx *ctx, const vpsh_args *a)
{
    unsigned int flags = 0;
    if (vpsh_flag(a, "redefine"))
        flags |= VP_SNAPSHOT_CREATE_REDEFINE;
    if (vpsh_flag(a, "current"))
        flags |= VP_SNAPSHOT_CREATE_CURRENT;
    if (vpsh_flag(a, "disk-only"))
        flags |= VP_SNAPSHOT_CREATE_DISK_ONLY;
    if (vpsh_flag(a, "quiesce"))
        flags |= VP_SNAPSHOT_CREATE_QUIESCE;
    if ((flags & VP_SNAPSHOT_CREATE_CURRENT) && !(flags & VP_SNAPSHOT_CREATE_REDEFINE))
        return vpsh_failf("Option --current requires --redefine");
    const char *from = a->npos > 1 ? a->pos[1] : NULL;
    _cleanup_free_ char *xml = NULL;
    if (from && vp_plugin_file_read_regular(from, 1u << 20, &xml, NULL) < 0)
        return vpsh_fail();
    _cleanup_(vp_domain_freep) vp_domain *dom = NULL;
    if (vpsh_domain(ctx, a->pos[0], &dom) != 0)
        return VPSH_EXIT_FAIL;
    _cleanup_(vp_snapshot_freep) vp_snapshot *snap = NULL;
    if (vp_snapshot_create_xml(dom, xml, flags, &snap) < 0)
        return vpsh_fail();
    const char *name = vp_snapshot_get_name(snap);
    if (ctx->json) {
        vpsh_json_begin_object(ctx->js, NULL);
        vpsh_json_string(ctx->js, "domain", vp_domain_get_name(dom));
        vpsh_json_string(ctx->js, "snapshot", name);
        vpsh_json_bool(ctx->js, "redefined", flags & VP_SNAPSHOT_CREATE_REDEFINE);
        vpsh_json_bool(ctx->js, "current", flags & VP_SNAPSHOT_CREATE_CURRENT);
        vpsh_json_end_object(ctx->js);
    } else if (from) {
        vpsh_extra(ctx, "Domain snapshot %s created from '%s'", name, from);
    } else {
        vpsh_extra(ctx, "Domain snapshot %s created", name);
    }
    return VPSH_EXIT_OK;
}

const vpsh_opt vpsh_snapshot_revert_opts[] = {
    {"current", NULL, false, "revert to the domain's current snapshot instead of SNAPSHOTNAME",
     NULL},
    {"running", NULL, false, "leave the domain running afterwards", NULL},
    {"paused", NULL, false, "leave the domain paused afterwards", NULL},
    {"force", NULL, false, "allow a revert that must restart the guest", NULL},
    {NULL, NULL, false, NULL, NULL},
};

const vpsh_opt vpsh_snapshot_create_opts[] = {
    {"redefine", NULL, false, "store the record as it is, taking nothing (import)", NULL},
    {"current", NULL, false, "with --redefine: make it the current snapshot", NULL},
    {"disk-only", NULL, false, "snapshot the disks only (external overlays), not the VM state",
     NULL},
    {"quiesce", NULL, false, "freeze the guest's file systems through its agent while taking it",
     NULL},
    {NULL, NULL, false, NULL, NULL},
};
