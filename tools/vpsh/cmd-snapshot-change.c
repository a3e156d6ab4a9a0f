/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Copyright (C) 2026 The virtplug developers */
/*
 * cmd-snapshot-change.c: the snapshot verbs that move a domain or its
 * tree: snapshot-revert, snapshot-create (a snapshot from a file, or with
 * --redefine a record imported as it is), snapshot-delete (with
 * --children or --children-only, the descendants leaves first) and
 * snapshot-current's setting form, with virsh's options and output. Declared in cmd-snapshot.c's
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
    if (vp_snapshot_revert(snap, flags) < 0) {
        _cleanup_free_ char *what =
            vp_asprintf("Failed to revert snapshot %s", vp_snapshot_get_name(snap));
        return vpsh_fail_what(what);
    }
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
    } else {
        /* As virsh 9.0 (quiet under -q). */
        vpsh_extra(ctx, "Domain snapshot %s reverted\n", vp_snapshot_get_name(snap));
    }
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

/* Every descendant of @snap, or with @snap NULL every snapshot of @dom,
 * leaves first, each through the API with @flags: a kill between two
 * deletions leaves a tree whose remaining snapshots all keep their
 * parents. */
int
vpsh_snapshot_delete_below(vp_domain *dom, vp_snapshot *snap, unsigned int flags)
{
    for (;;) {
        vp_snapshot **below = NULL;
        int n = snap ? vp_snapshot_list_children(snap, VP_SNAPSHOT_LIST_DESCENDANTS, &below)
                     : vp_snapshot_list(dom, 0, &below);
        if (n <= 0) {
            vp_snapshot_list_free(below);
            return n < 0 ? vpsh_fail() : VPSH_EXIT_OK;
        }
        int deleted = 0, r = 0;
        for (int i = 0; i < n && r >= 0; i++) {
            vp_snapshot **kids = NULL;
            r = vp_snapshot_list_children(below[i], 0, &kids);
            vp_snapshot_list_free(kids);
            if (r == 0 && (r = vp_snapshot_delete(below[i], flags)) >= 0)
                deleted++;
        }
        vp_snapshot_list_free(below);
        if (r < 0)
            return vpsh_fail();
        if (deleted == 0)
            return vpsh_failf("the snapshots of domain '%s' have no leaf: their records loop",
                              vp_domain_get_name(dom));
    }
}

int
vpsh_cmd_snapshot_delete(vpsh_ctx *ctx, const vpsh_args *a)
{
    bool children = vpsh_flag(a, "children"), only = vpsh_flag(a, "children-only");
    if (children && only)
        return vpsh_failf("Options --children and --children-only are mutually exclusive");
    _cleanup_(vp_domain_freep) vp_domain *dom = NULL;
    _cleanup_(vp_snapshot_freep) vp_snapshot *snap = NULL;
    if (vpsh_domain(ctx, a->pos[0], &dom) != 0)
        return VPSH_EXIT_FAIL;
    if (vp_snapshot_lookup_by_name(dom, a->pos[1], 0, &snap) < 0)
        return vpsh_fail();
    unsigned int flags = vpsh_flag(a, "overlays") ? VP_SNAPSHOT_DELETE_OVERLAYS : 0;
    if (vpsh_flag(a, "metadata"))
        flags |= VP_SNAPSHOT_DELETE_METADATA_ONLY;
    if ((children || only) && vpsh_snapshot_delete_below(dom, snap, flags) != VPSH_EXIT_OK)
        return VPSH_EXIT_FAIL;
    if (!only && vp_snapshot_delete(snap, flags) < 0)
        return vpsh_fail();
    const char *name = vp_snapshot_get_name(snap);
    if (ctx->json) {
        vpsh_json_begin_object(ctx->js, NULL);
        vpsh_json_string(ctx->js, "domain", vp_domain_get_name(dom));
        vpsh_json_string(ctx->js, "snapshot", name);
        vpsh_json_string(ctx->js, "result", only ? "children deleted" : "deleted");
        vpsh_json_bool(ctx->js, "children", children || only);
        vpsh_json_end_object(ctx->js);
    } else {
        vpsh_extra(ctx, "Domain snapshot %s %sdeleted\n", name, only ? "children " : "");
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

const vpsh_opt vpsh_snapshot_delete_opts[] = {
    {"overlays", NULL, false, "also delete an external snapshot's overlay files", NULL},
    {"metadata", NULL, false, "delete only virtplug's record, not the snapshot's data", NULL},
    {"children", NULL, false, "also delete the snapshot's descendants (leaves first)", NULL},
    {"children-only", NULL, false, "delete the snapshot's descendants but keep it", NULL},
    {NULL, NULL, false, NULL, NULL},
};
