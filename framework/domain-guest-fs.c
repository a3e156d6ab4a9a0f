/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Copyright (C) 2026 The virtplug developers */
/*
 * domain-guest-fs.c: the public calls on the guest's filesystems and its
 * own power states (domfsfreeze, domfsthaw, dompmsuspend, dompmwakeup).
 *
 * Checks the arguments libvirt checks (a mount point list, the suspend
 * target, a duration no driver can honour) and calls the hypervisor
 * driver's slot, or reports it unsupported. No driver logic lives here.
 */
#include <config.h>

#include "internal.h"

static int
check_mountpoints(const char *what, const char **mountpoints, size_t n, unsigned int flags)
{
    if (flags != 0)
        return vp_error_set(VP_ERR_INVALID_ARG, "%s: unsupported flags 0x%x", what, flags);
    if (n > 0 && !mountpoints)
        return vp_error_set(VP_ERR_INVALID_ARG, "%s: %zu mount points but no list", what, n);
    for (size_t i = 0; i < n; i++)
        if (!mountpoints[i] || !mountpoints[i][0])
            return vp_error_set(VP_ERR_INVALID_ARG, "%s: mount point %zu is empty", what, i + 1);
    return 0;
}

VP_EXPORT int
vp_domain_fs_freeze(vp_domain *dom, const char **mountpoints, size_t n, unsigned int flags)
{
    VPI_ERROR_RESET();
    VPI_RETURN_IF_NO_DOM(dom);
    int r = check_mountpoints("vp_domain_fs_freeze", mountpoints, n, flags);
    if (r < 0)
        return r;
    VPI_HV_SLOT(dom->conn, domain_fs_freeze, "domain-fs-freeze");
    VPI_DOMAIN_CHECK(dom);
    return vpi_result(vpi_slot_result(
        dom->conn->hv_plugin, "domain-fs-freeze",
        dom->conn->hv->domain_fs_freeze(dom->conn->hv_priv, dom->name,
                                        (const char *const *)mountpoints, n, flags)));
}

VP_EXPORT int
vp_domain_fs_thaw(vp_domain *dom, const char **mountpoints, size_t n, unsigned int flags)
{
    VPI_ERROR_RESET();
    VPI_RETURN_IF_NO_DOM(dom);
    int r = check_mountpoints("vp_domain_fs_thaw", mountpoints, n, flags);
    if (r < 0)
        return r;
    VPI_HV_SLOT(dom->conn, domain_fs_thaw, "domain-fs-thaw");
    VPI_DOMAIN_CHECK(dom);
    return vpi_result(
        vpi_slot_result(dom->conn->hv_plugin, "domain-fs-thaw",
                        dom->conn->hv->domain_fs_thaw(dom->conn->hv_priv, dom->name,
                                                      (const char *const *)mountpoints, n, flags)));
}

VP_EXPORT int
vp_domain_pm_suspend_for_duration(vp_domain *dom, unsigned int target, unsigned long long duration,
                                  unsigned int flags)
{
    VPI_ERROR_RESET();
    VPI_RETURN_IF_NO_DOM(dom);
    if (flags != 0)
        return vp_error_set(VP_ERR_INVALID_ARG,
                            "vp_domain_pm_suspend_for_duration: unsupported flags 0x%x", flags);
    if (target > VP_NODE_SUSPEND_TARGET_HYBRID)
        return vp_error_set(VP_ERR_INVALID_ARG,
                            "unknown guest suspend target %u: use mem, disk or hybrid", target);
    if (duration != 0)
        return vp_error_set(VP_ERR_INVALID_ARG,
                            "cannot suspend the guest for %llu s: only duration 0 (until woken "
                            "up) is supported",
                            duration);
    VPI_HV_SLOT(dom->conn, domain_pm_suspend, "domain-pm-suspend");
    VPI_DOMAIN_CHECK(dom);
    return vpi_result(vpi_slot_result(
        dom->conn->hv_plugin, "domain-pm-suspend",
        dom->conn->hv->domain_pm_suspend(dom->conn->hv_priv, dom->name, target, duration, flags)));
}

VP_EXPORT int
vp_domain_pm_wakeup(vp_domain *dom, unsigned int flags)
{
    VPI_ERROR_RESET();
    VPI_RETURN_IF_NO_DOM(dom);
    if (flags != 0)
        return vp_error_set(VP_ERR_INVALID_ARG, "vp_domain_pm_wakeup: unsupported flags 0x%x",
                            flags);
    VPI_HV_SLOT(dom->conn, domain_pm_wakeup, "domain-pm-wakeup");
    VPI_DOMAIN_CHECK(dom);
    return vpi_result(
        vpi_slot_result(dom->conn->hv_plugin, "domain-pm-wakeup",
                        dom->conn->hv->domain_pm_wakeup(dom->conn->hv_priv, dom->name, flags)));
}
