/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Copyright (C) 2026 The virtplug developers */
/*
 * node.c: host-level calls that are not the suspend job itself.
 *
 * Owns the names of suspend targets and states, the capability query, and
 * the host capabilities XML: the hypervisor driver's, with the host-power
 * driver's targets put in its <power_management>.
 * The suspend policy (limits, lock, delay thread, outcome record) is in
 * node-suspend.c.
 */
#include <config.h>

#include <stdio.h>
#include <string.h>

#include "internal.h"

VP_EXPORT const char *
vp_node_suspend_target_name(unsigned int target)
{
    static const char *const names[] = {"mem", "disk", "hybrid", "suspend-then-hibernate"};
    return target < VP_NODE_SUSPEND_TARGET_LAST ? names[target] : NULL;
}

VP_EXPORT const char *
vp_node_suspend_state_name(int state)
{
    static const char *const names[] = {"none",   "pending",   "suspending", "resumed",
                                        "failed", "cancelled", "abandoned",  "requested"};
    return state >= 0 && state < VP_NODE_SUSPEND_STATE_LAST ? names[state] : "unknown";
}

VP_EXPORT int
vp_node_get_suspend_capabilities(vp_conn *conn, unsigned int *ret_targets)
{
    VPI_ERROR_RESET();
    VPI_RETURN_IF_NO_CONN(conn);
    vp_return_if_fail(ret_targets, "ret_targets");
    const vpi_plugin *p;
    void *priv;
    int r = vpi_conn_get_hostpower(conn, &p, &priv);
    if (r < 0)
        return r;
    if (!p->hostpower.get_capabilities)
        return vpi_not_supported(p, "node-get-suspend-capabilities");
    unsigned int targets = 0;
    r = vpi_slot_result(p, "node-get-suspend-capabilities",
                        p->hostpower.get_capabilities(priv, &targets));
    if (r < 0)
        return r;
    *ret_targets = targets & ((1u << VP_NODE_SUSPEND_TARGET_LAST) - 1);
    return 0;
}

/* Where the hypervisor driver leaves the host's power to the core. */
#define POWER_PLACEHOLDER "    <power_management/>\n"

/* The host-power targets as libvirt's <power_management> children; empty
 * when the host-power driver cannot be asked (as libvirt then). */
static char *
power_management_xml(vp_conn *conn)
{
    static const char *const elements[] = {"suspend_mem", "suspend_disk", "suspend_hybrid"};
    unsigned int targets = 0;
    if (vp_node_get_suspend_capabilities(conn, &targets) < 0) {
        VP_DEBUG("conn", "capabilities without power management: %s", vp_error_last()->message);
        targets = 0;
    }
    _cleanup_free_ char *kids = vp_strdup("");
    /* libvirt has no element for suspend-then-hibernate: left out. */
    for (unsigned int t = 0; t < sizeof(elements) / sizeof(elements[0]); t++) {
        if (!(targets & (1u << t)))
            continue;
        char *next = vp_asprintf("%s      <%s/>\n", kids, elements[t]);
        free(kids);
        kids = next;
    }
    return *kids ? vp_asprintf("    <power_management>\n%s    </power_management>\n", kids)
                 : vp_strdup(POWER_PLACEHOLDER);
}

VP_EXPORT int
vp_conn_get_capabilities(vp_conn *conn, unsigned int flags, char **ret_xml)
{
    VPI_ERROR_RESET();
    VPI_RETURN_IF_NO_CONN(conn);
    vp_return_if_fail(ret_xml, "ret_xml");
    vp_return_if_fail(flags == 0, "flags (must be 0)");
    VPI_HV_SLOT(conn, conn_get_capabilities, "connect-get-capabilities");
    _cleanup_free_ char *xml = NULL;
    int r = vpi_slot_result(conn->hv_plugin, "connect-get-capabilities",
                            conn->hv->conn_get_capabilities(conn->hv_priv, 0, &xml));
    if (r < 0)
        return vpi_result(r);
    const char *at = strstr(xml, POWER_PLACEHOLDER);
    if (!at) {
        *ret_xml = VP_STEAL_PTR(xml);
        return 0;
    }
    _cleanup_free_ char *power = power_management_xml(conn);
    vpi_error_reset(); /* a host without host power is not a failure here */
    *ret_xml = vp_asprintf("%.*s%s%s", (int)(at - xml), xml, power, at + strlen(POWER_PLACEHOLDER));
    return 0;
}
