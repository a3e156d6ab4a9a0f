/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Copyright (C) 2026 The virtplug developers */
/*
 * snapshot.c: the public snapshot calls.
 *
 * Owns vp_snapshot handles (a domain handle and a name) and the entry
 * points that check arguments and call the hypervisor driver's snapshot
 * slots. The snapshot state machine lives in the drivers, not here.
 */
#include <config.h>

#include "internal.h"

static vp_snapshot *
snapshot_new(vp_domain *dom, const char *name)
{
    vp_snapshot *s = vp_new0(vp_snapshot, 1);
    s->dom = vpi_domain_new(dom->conn, dom->name);
    s->name = vp_strdup(name);
    return s;
}

VP_EXPORT void
vp_snapshot_free(vp_snapshot *snap)
{
    if (!snap)
        return;
    vp_domain_free(snap->dom);
    free(snap->name);
    free(snap);
}

VP_EXPORT void
vp_snapshot_list_free(vp_snapshot **snaps)
{
    if (!snaps)
        return;
    for (vp_snapshot **s = snaps; *s; s++)
        vp_snapshot_free(*s);
    free(snaps);
}

VP_EXPORT const char *
vp_snapshot_get_name(vp_snapshot *snap)
{
    return snap ? snap->name : NULL;
}

VP_EXPORT int
vp_snapshot_create_xml(vp_domain *dom, const char *xml, unsigned int flags, vp_snapshot **ret_snap)
{
    VPI_ERROR_RESET();
    vp_return_if_fail(dom, "dom");
    vp_conn *c = dom->conn;
    VPI_HV_SLOT(c, snapshot_create_xml, "domain-snapshot-create-xml");
    char *name = NULL;
    int r = vpi_slot_result(
        c->hv_plugin, "domain-snapshot-create-xml",
        c->hv->snapshot_create_xml(c->hv_priv, dom->name, xml ? xml : "", flags, &name));
    if (r < 0)
        return r;
    if (ret_snap)
        *ret_snap = snapshot_new(dom, name);
    free(name);
    return vpi_result(0);
}

VP_EXPORT int
vp_snapshot_list(vp_domain *dom, unsigned int flags, vp_snapshot ***ret_snaps)
{
    VPI_ERROR_RESET();
    vp_return_if_fail(dom, "dom");
    vp_return_if_fail(ret_snaps, "ret_snaps");
    vp_conn *c = dom->conn;
    VPI_HV_SLOT(c, snapshot_list, "domain-snapshot-list");
    char **names = NULL;
    int n = vpi_slot_result(c->hv_plugin, "domain-snapshot-list",
                            c->hv->snapshot_list(c->hv_priv, dom->name, flags, &names));
    if (n < 0)
        return n;
    vp_snapshot **snaps = vp_new0(vp_snapshot *, (size_t)n + 1);
    for (int i = 0; i < n; i++)
        snaps[i] = snapshot_new(dom, names[i]);
    vp_strv_free(names);
    *ret_snaps = snaps;
    return vpi_result(n);
}

VP_EXPORT int
vp_snapshot_lookup_by_name(vp_domain *dom, const char *name, unsigned int flags,
                           vp_snapshot **ret_snap)
{
    VPI_ERROR_RESET();
    vp_return_if_fail(dom, "dom");
    vp_return_if_fail(name, "name");
    vp_return_if_fail(ret_snap, "ret_snap");
    vp_conn *c = dom->conn;
    VPI_HV_SLOT(c, snapshot_lookup, "domain-snapshot-lookup-by-name");
    int r = vpi_slot_result(c->hv_plugin, "domain-snapshot-lookup-by-name",
                            c->hv->snapshot_lookup(c->hv_priv, dom->name, name, flags));
    if (r < 0)
        return r;
    *ret_snap = snapshot_new(dom, name);
    return vpi_result(0);
}

VP_EXPORT int
vp_snapshot_delete(vp_snapshot *snap, unsigned int flags)
{
    VPI_ERROR_RESET();
    vp_return_if_fail(snap, "snap");
    vp_conn *c = snap->dom->conn;
    VPI_HV_SLOT(c, snapshot_delete, "domain-snapshot-delete");
    return vpi_result(
        vpi_slot_result(c->hv_plugin, "domain-snapshot-delete",
                        c->hv->snapshot_delete(c->hv_priv, snap->dom->name, snap->name, flags)));
}

VP_EXPORT int
vp_snapshot_get_xml(vp_snapshot *snap, unsigned int flags, char **ret_xml)
{
    VPI_ERROR_RESET();
    vp_return_if_fail(snap, "snap");
    vp_return_if_fail(ret_xml, "ret_xml");
    vp_conn *c = snap->dom->conn;
    VPI_HV_SLOT(c, snapshot_get_xml, "domain-snapshot-get-xml");
    return vpi_result(vpi_slot_result(
        c->hv_plugin, "domain-snapshot-get-xml",
        c->hv->snapshot_get_xml(c->hv_priv, snap->dom->name, snap->name, flags, ret_xml)));
}
