/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Copyright (C) 2026 The virtplug developers */
/*
 * snapshot.c: the public snapshot calls.
 *
 * Owns vp_snapshot handles (a domain handle and a name) and the entry
 * points that check arguments, check that the domain handle still names
 * its domain (vpi_domain_check), and call the hypervisor driver's snapshot
 * slots. The snapshot state machine lives in the drivers, not here. The
 * tree (parents, children) is derived here from the records' <parent>, so
 * a driver stores it once, in the record; only the current snapshot needs
 * a slot of its own.
 */
#include <config.h>

#include <virtplug/sdk/conf.h>

#include "internal.h"

VP_DEFINE_CLEANUP(vp_snapshot_def, vp_plugin_snapshot_def_free)

static vp_snapshot *
snapshot_new(vp_domain *dom, const char *name)
{
    vp_snapshot *s = vp_new0(vp_snapshot, 1);
    s->dom = vpi_domain_copy(dom);
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

static int snapshot_record(vp_conn *c, const char *dom, const char *name, const char *op,
                           vp_snapshot_def **ret_def);

/* The <domain> of a redefined record (libvirt's copy of the definition) is
 * a definition this connection's driver takes, of the snapshot's own
 * domain: its name, and its UUID when it gives one. */
static int
redefine_domain_check(vp_domain *dom, const vp_snapshot_def *def)
{
    vp_domain_def *ddef = NULL;
    int r = vpi_conn_parse(dom->conn, def->domain_xml, &ddef);
    if (r < 0) {
        const vp_error *e = vp_error_last();
        return vp_error_set(r, "the <domain> of snapshot '%s': %s", def->name,
                            e ? e->message : "not a valid definition");
    }
    char was[VP_UUID_STRING_BUFLEN], is[VP_UUID_STRING_BUFLEN];
    if (strcmp(ddef->name, dom->name) != 0)
        r = vp_error_set(VP_ERR_INVALID_ARG,
                         "the <domain> of snapshot '%s' defines domain '%s', not '%s'", def->name,
                         ddef->name, dom->name);
    else if (dom->has_uuid && strstr(def->domain_xml, "<uuid") &&
             memcmp(ddef->uuid, dom->uuid, sizeof(dom->uuid)) != 0)
        r = vp_error_set(VP_ERR_INVALID_ARG,
                         "the <domain> of snapshot '%s' has uuid '%s', domain '%s' has '%s'",
                         def->name, vp_plugin_uuid_format(ddef->uuid, was), dom->name,
                         vp_plugin_uuid_format(dom->uuid, is));
    vp_plugin_domain_def_free(ddef);
    return r;
}

/* A redefined record's <parent> exists, and is neither the snapshot nor
 * one of its descendants (the tree stays a tree). */
static int
redefine_check(vp_domain *dom, const char *xml, unsigned int flags)
{
    static const char op[] = "domain-snapshot-create-xml";
    if ((flags & VP_SNAPSHOT_CREATE_CURRENT) && !(flags & VP_SNAPSHOT_CREATE_REDEFINE))
        return vp_error_set(
            VP_ERR_INVALID_ARG,
            "the current flag only goes with redefine: a new snapshot becomes current anyway");
    if (!(flags & VP_SNAPSHOT_CREATE_REDEFINE))
        return 0;
    _cleanup_(vp_plugin_snapshot_def_freep) vp_snapshot_def *def = NULL;
    int r = vp_plugin_snapshot_def_parse(xml ? xml : "", VP_PLUGIN_SNAPSHOT_PARSE_RECORD, &def);
    if (r < 0)
        return r;
    if (!def->name)
        return vp_error_set(VP_ERR_XML, "a redefined snapshot needs its <name>");
    if (def->domain_xml) {
        r = redefine_domain_check(dom, def);
        if (r < 0)
            return r;
    }
    _cleanup_free_ char *at = def->parent ? vp_strdup(def->parent) : NULL;
    /* At most as many steps up as there are snapshots: a longer walk is
     * a cycle in the stored records already. */
    for (int steps = 0; at && steps < 100000; steps++) {
        if (strcmp(at, def->name) == 0)
            return vp_error_set(
                VP_ERR_INVALID_ARG,
                "snapshot '%s' cannot have parent '%s': '%s' would be its own ancestor", def->name,
                def->parent, def->name);
        vp_snapshot_def *up = NULL;
        r = snapshot_record(dom->conn, dom->name, at, op, &up);
        if (r == VP_ERR_NO_SNAPSHOT)
            return vp_error_set(
                VP_ERR_INVALID_ARG,
                "parent '%s' of snapshot '%s' does not exist; redefine the parent first", at,
                def->name);
        if (r < 0)
            return r;
        free(at);
        at = VP_STEAL_PTR(up->parent);
        vp_plugin_snapshot_def_free(up);
    }
    return 0;
}

VP_EXPORT int
vp_snapshot_create_xml(vp_domain *dom, const char *xml, unsigned int flags, vp_snapshot **ret_snap)
{
    VPI_ERROR_RESET();
    VPI_RETURN_IF_NO_DOM(dom);
    int rc = redefine_check(dom, xml, flags);
    if (rc < 0)
        return rc;
    vp_conn *c = dom->conn;
    VPI_HV_SLOT(c, snapshot_create_xml, "domain-snapshot-create-xml");
    VPI_DOMAIN_CHECK(dom);
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
    VPI_RETURN_IF_NO_DOM(dom);
    vp_return_if_fail(ret_snaps, "ret_snaps");
    vp_conn *c = dom->conn;
    VPI_HV_SLOT(c, snapshot_list, "domain-snapshot-list");
    VPI_DOMAIN_CHECK(dom);
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
    VPI_RETURN_IF_NO_DOM(dom);
    vp_return_if_fail(name, "name");
    vp_return_if_fail(ret_snap, "ret_snap");
    vp_conn *c = dom->conn;
    VPI_HV_SLOT(c, snapshot_lookup, "domain-snapshot-lookup-by-name");
    VPI_DOMAIN_CHECK(dom);
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
    VPI_RETURN_IF_NO_SNAP(snap);
    vp_conn *c = snap->dom->conn;
    VPI_HV_SLOT(c, snapshot_delete, "domain-snapshot-delete");
    VPI_DOMAIN_CHECK(snap->dom);
    return vpi_result(
        vpi_slot_result(c->hv_plugin, "domain-snapshot-delete",
                        c->hv->snapshot_delete(c->hv_priv, snap->dom->name, snap->name, flags)));
}

VP_EXPORT int
vp_snapshot_get_xml(vp_snapshot *snap, unsigned int flags, char **ret_xml)
{
    VPI_ERROR_RESET();
    VPI_RETURN_IF_NO_SNAP(snap);
    vp_return_if_fail(ret_xml, "ret_xml");
    vp_conn *c = snap->dom->conn;
    VPI_HV_SLOT(c, snapshot_get_xml, "domain-snapshot-get-xml");
    VPI_DOMAIN_CHECK(snap->dom);
    return vpi_result(vpi_slot_result(
        c->hv_plugin, "domain-snapshot-get-xml",
        c->hv->snapshot_get_xml(c->hv_priv, snap->dom->name, snap->name, flags, ret_xml)));
}

VP_EXPORT int
vp_snapshot_current(vp_domain *dom, unsigned int flags, vp_snapshot **ret_snap)
{
    VPI_ERROR_RESET();
    VPI_RETURN_IF_NO_DOM(dom);
    vp_return_if_fail(ret_snap, "ret_snap");
    vp_conn *c = dom->conn;
    VPI_HV_SLOT(c, snapshot_get_current, "domain-snapshot-current");
    VPI_DOMAIN_CHECK(dom);
    char *name = NULL;
    int r = vpi_slot_result(c->hv_plugin, "domain-snapshot-current",
                            c->hv->snapshot_get_current(c->hv_priv, dom->name, flags, &name));
    if (r < 0)
        return r;
    *ret_snap = snapshot_new(dom, name);
    free(name);
    return vpi_result(0);
}

VP_EXPORT int
vp_snapshot_is_current(vp_snapshot *snap, unsigned int flags)
{
    VPI_ERROR_RESET();
    VPI_RETURN_IF_NO_SNAP(snap);
    vp_conn *c = snap->dom->conn;
    VPI_HV_SLOT(c, snapshot_get_current, "domain-snapshot-is-current");
    VPI_HV_SLOT(c, snapshot_lookup, "domain-snapshot-is-current");
    VPI_DOMAIN_CHECK(snap->dom);
    const char *dom = snap->dom->name;
    _cleanup_free_ char *name = NULL;
    int r = c->hv->snapshot_get_current(c->hv_priv, dom, flags, &name);
    if (r >= 0 && strcmp(name, snap->name) == 0)
        return vpi_result(1);
    if (r < 0 && r != VP_ERR_NO_SNAPSHOT)
        return vpi_slot_result(c->hv_plugin, "domain-snapshot-is-current", r);
    /* Not current: but it must still exist to say so. */
    vpi_error_reset();
    r = vpi_slot_result(c->hv_plugin, "domain-snapshot-is-current",
                        c->hv->snapshot_lookup(c->hv_priv, dom, snap->name, 0));
    return vpi_result(r < 0 ? r : 0);
}

/* The record of @name, parsed: its <parent> is the tree. */
static int
snapshot_record(vp_conn *c, const char *dom, const char *name, const char *op,
                vp_snapshot_def **ret_def)
{
    VPI_HV_SLOT(c, snapshot_get_xml, op);
    _cleanup_free_ char *xml = NULL;
    int r =
        vpi_slot_result(c->hv_plugin, op, c->hv->snapshot_get_xml(c->hv_priv, dom, name, 0, &xml));
    if (r < 0)
        return r;
    return vp_plugin_snapshot_def_parse(xml, VP_PLUGIN_SNAPSHOT_PARSE_RECORD, ret_def);
}

VP_EXPORT int
vp_snapshot_get_parent(vp_snapshot *snap, unsigned int flags, vp_snapshot **ret_parent)
{
    VPI_ERROR_RESET();
    VPI_RETURN_IF_NO_SNAP(snap);
    vp_return_if_fail(ret_parent, "ret_parent");
    if (flags)
        return vp_error_set(VP_ERR_INVALID_ARG, "unsupported flags 0x%x for '%s'", flags,
                            "domain-snapshot-get-parent");
    VPI_DOMAIN_CHECK(snap->dom);
    _cleanup_(vp_plugin_snapshot_def_freep) vp_snapshot_def *def = NULL;
    int r = snapshot_record(snap->dom->conn, snap->dom->name, snap->name,
                            "domain-snapshot-get-parent", &def);
    if (r < 0)
        return r;
    if (!def->parent)
        return vp_error_set(VP_ERR_NO_SNAPSHOT, "snapshot '%s' has no parent", snap->name);
    *ret_parent = snapshot_new(snap->dom, def->parent);
    return vpi_result(0);
}

/* Every snapshot of the domain and its parent (NULL for a root), in the
 * order of the list slot; returns the count. */
static int
snapshot_parents(vp_domain *dom, const char *op, char ***ret_names, char ***ret_parents)
{
    vp_conn *c = dom->conn;
    VPI_HV_SLOT(c, snapshot_list, op);
    char **names = NULL;
    int n =
        vpi_slot_result(c->hv_plugin, op, c->hv->snapshot_list(c->hv_priv, dom->name, 0, &names));
    if (n < 0)
        return n;
    char **parents = vp_new0(char *, (size_t)n + 1);
    for (int i = 0; i < n; i++) {
        vp_snapshot_def *def = NULL;
        int r = snapshot_record(c, dom->name, names[i], op, &def);
        if (r == VP_ERR_NO_SNAPSHOT) {
            /* Deleted by someone else meanwhile: a leaf of no one. */
            VPI_ERROR_RESET();
            continue;
        }
        if (r < 0) {
            vp_strv_free(names);
            for (int k = 0; k < n; k++)
                free(parents[k]);
            free(parents);
            return r;
        }
        parents[i] = VP_STEAL_PTR(def->parent);
        vp_plugin_snapshot_def_free(def);
    }
    *ret_names = names;
    *ret_parents = parents;
    return n;
}

static bool
name_in(char *const *names, size_t n, const char *name)
{
    for (size_t i = 0; i < n; i++)
        if (strcmp(names[i], name) == 0)
            return true;
    return false;
}

VP_EXPORT int
vp_snapshot_list_children(vp_snapshot *snap, unsigned int flags, vp_snapshot ***ret_snaps)
{
    static const char op[] = "domain-snapshot-list-children";
    VPI_ERROR_RESET();
    VPI_RETURN_IF_NO_SNAP(snap);
    vp_return_if_fail(ret_snaps, "ret_snaps");
    if (flags & ~VP_SNAPSHOT_LIST_DESCENDANTS)
        return vp_error_set(VP_ERR_INVALID_ARG, "unsupported flags 0x%x for '%s'", flags, op);
    vp_conn *c = snap->dom->conn;
    VPI_HV_SLOT(c, snapshot_lookup, op);
    VPI_DOMAIN_CHECK(snap->dom);
    int r = vpi_slot_result(c->hv_plugin, op,
                            c->hv->snapshot_lookup(c->hv_priv, snap->dom->name, snap->name, 0));
    char **names = NULL, **parents = NULL;
    int n = r < 0 ? r : snapshot_parents(snap->dom, op, &names, &parents);
    if (n < 0)
        return n;
    /* @found grows as descendants are found; a pass finds the next level. */
    const char **found = vp_new0(const char *, (size_t)n + 2);
    bool *taken = vp_new0(bool, (size_t)n + 1);
    size_t n_found = 0;
    found[n_found++] = snap->name;
    for (bool more = true; more;) {
        more = false;
        for (int i = 0; i < n; i++) {
            if (taken[i] || !parents[i] || strcmp(names[i], snap->name) == 0)
                continue;
            bool match = (flags & VP_SNAPSHOT_LIST_DESCENDANTS)
                             ? name_in((char *const *)found, n_found, parents[i])
                             : strcmp(parents[i], snap->name) == 0;
            if (match) {
                taken[i] = true;
                found[n_found++] = names[i];
                more = (flags & VP_SNAPSHOT_LIST_DESCENDANTS) != 0;
            }
        }
    }
    vp_snapshot **snaps = vp_new0(vp_snapshot *, n_found);
    size_t k = 0;
    for (int i = 0; i < n; i++)
        if (taken[i])
            snaps[k++] = snapshot_new(snap->dom, names[i]);
    free(found);
    free(taken);
    vp_strv_free(names);
    for (int i = 0; i < n; i++)
        free(parents[i]);
    free(parents);
    *ret_snaps = snaps;
    return vpi_result((int)k);
}

VP_EXPORT int
vp_snapshot_revert(vp_snapshot *snap, unsigned int flags)
{
    static const char op[] = "domain-snapshot-revert";
    VPI_ERROR_RESET();
    VPI_RETURN_IF_NO_SNAP(snap);
    if ((flags & VP_SNAPSHOT_REVERT_RUNNING) && (flags & VP_SNAPSHOT_REVERT_PAUSED))
        return vp_error_set(
            VP_ERR_INVALID_ARG,
            "reverting to snapshot '%s': the domain cannot end both running and paused; choose one",
            snap->name);
    vp_conn *c = snap->dom->conn;
    VPI_HV_SLOT(c, snapshot_revert, op);
    return vpi_result(vpi_slot_result(
        c->hv_plugin, op, c->hv->snapshot_revert(c->hv_priv, snap->dom->name, snap->name, flags)));
}
