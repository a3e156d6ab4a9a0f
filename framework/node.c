/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Copyright (C) 2026 The virtplug developers */
/*
 * node.c: host-level calls that are not the suspend job itself.
 *
 * Owns the names of suspend targets and states and the capability query.
 * The suspend policy (limits, lock, delay thread, outcome record) is in
 * node-suspend.c.
 */
#include <config.h>

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
