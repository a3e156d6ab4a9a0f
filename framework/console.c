/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Copyright (C) 2026 The virtplug developers */
/*
 * console.c: the public calls for consoles and displays of running
 * domains (virtplug-consoles.h).
 *
 * Owns only the checks of the arguments and the calls of the hypervisor
 * driver's slots; the driver serves the console stream and finds the
 * display. It never opens a device itself.
 */
#include <config.h>

#include "internal.h"

VP_EXPORT int
vp_domain_open_console(vp_domain *dom, const char *dev_name, unsigned int flags, int *ret_fd)
{
    VPI_ERROR_RESET();
    VPI_RETURN_IF_NO_DOM(dom);
    vp_return_if_fail(ret_fd, "ret_fd");
    if (flags & ~VP_DOMAIN_CONSOLE_FORCE)
        return vp_error_set(VP_ERR_INVALID_ARG, "vp_domain_open_console: unsupported flags 0x%x",
                            flags);
    if (dev_name && !*dev_name)
        return vp_error_set(
            VP_ERR_INVALID_ARG,
            "vp_domain_open_console: dev_name is empty; give an alias such as 'serial0' or NULL");
    VPI_HV_SLOT(dom->conn, domain_open_console, "domain-open-console");
    VPI_DOMAIN_CHECK(dom);
    int fd = -1;
    int r = vpi_slot_result(
        dom->conn->hv_plugin, "domain-open-console",
        dom->conn->hv->domain_open_console(dom->conn->hv_priv, dom->name, dev_name, flags, &fd));
    if (r < 0)
        return r;
    *ret_fd = fd;
    return vpi_result(0);
}

VP_EXPORT int
vp_domain_get_display_uri(vp_domain *dom, unsigned int flags, char **ret_uri)
{
    VPI_ERROR_RESET();
    VPI_RETURN_IF_NO_DOM(dom);
    vp_return_if_fail(ret_uri, "ret_uri");
    if (flags != 0)
        return vp_error_set(VP_ERR_INVALID_ARG, "vp_domain_get_display_uri: unsupported flags 0x%x",
                            flags);
    VPI_HV_SLOT(dom->conn, domain_get_display_uri, "domain-get-display-uri");
    VPI_DOMAIN_CHECK(dom);
    char *uri = NULL;
    int r = vpi_slot_result(
        dom->conn->hv_plugin, "domain-get-display-uri",
        dom->conn->hv->domain_get_display_uri(dom->conn->hv_priv, dom->name, flags, &uri));
    if (r < 0)
        return r;
    *ret_uri = uri;
    return vpi_result(0);
}
