/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Copyright (C) 2026 The virtplug developers */
/*
 * domain-save.c: the public entry points of save, restore and managed save
 * (virtplug-save.h) -> the hypervisor driver's slots.
 *
 * Owns the checks every driver shares (arguments, known flags, the two
 * state flags exclusive); the images, their format and their crash safety
 * are the drivers'. It never touches a file itself: @path names a file on
 * the host the connection manages, which may be a remote one.
 */
#include <config.h>

#include "internal.h"

#define SAVE_FLAGS (VP_DOMAIN_SAVE_RUNNING | VP_DOMAIN_SAVE_PAUSED)

int
vpi_save_check_flags(const char *fn, unsigned int flags)
{
    if (flags & ~SAVE_FLAGS)
        return vp_error_set(VP_ERR_INVALID_ARG, "%s: unsupported flags 0x%x", fn,
                            flags & ~SAVE_FLAGS);
    if ((flags & SAVE_FLAGS) == SAVE_FLAGS)
        return vp_error_set(
            VP_ERR_INVALID_ARG,
            "%s: VP_DOMAIN_SAVE_RUNNING and VP_DOMAIN_SAVE_PAUSED are mutually exclusive", fn);
    return 0;
}

int
vpi_save_check_path(const char *fn, const char *path)
{
    if (!path || !*path)
        return vp_error_set(VP_ERR_INVALID_ARG, "%s: no file given (path is %s)", fn,
                            path ? "empty" : "NULL");
    return 0;
}

VP_EXPORT int
vp_domain_save(vp_domain *dom, const char *path, unsigned int flags)
{
    VPI_ERROR_RESET();
    VPI_RETURN_IF_NO_DOM(dom);
    int r = vpi_save_check_path("vp_domain_save", path);
    if (r >= 0)
        r = vpi_save_check_flags("vp_domain_save", flags);
    if (r < 0)
        return vpi_result(r);
    VPI_HV_SLOT(dom->conn, domain_save, "domain-save");
    VPI_DOMAIN_CHECK(dom);
    return vpi_result(
        vpi_slot_result(dom->conn->hv_plugin, "domain-save",
                        dom->conn->hv->domain_save(dom->conn->hv_priv, dom->name, path, flags)));
}

VP_EXPORT int
vp_domain_restore(vp_conn *conn, const char *path, unsigned int flags, vp_domain **ret_dom)
{
    VPI_ERROR_RESET();
    VPI_RETURN_IF_NO_CONN(conn);
    int r = vpi_save_check_path("vp_domain_restore", path);
    if (r >= 0)
        r = vpi_save_check_flags("vp_domain_restore", flags);
    if (r < 0)
        return vpi_result(r);
    VPI_HV_SLOT(conn, domain_restore, "domain-restore");
    char *name = NULL;
    r = vpi_slot_result(conn->hv_plugin, "domain-restore",
                        conn->hv->domain_restore(conn->hv_priv, path, flags, &name));
    if (r >= 0 && ret_dom)
        r = vpi_domain_make(conn, name, ret_dom);
    free(name);
    return vpi_result(r < 0 ? r : 0);
}

VP_EXPORT int
vp_domain_managed_save(vp_domain *dom, unsigned int flags)
{
    VPI_ERROR_RESET();
    VPI_RETURN_IF_NO_DOM(dom);
    int r = vpi_save_check_flags("vp_domain_managed_save", flags);
    if (r < 0)
        return vpi_result(r);
    VPI_HV_SLOT(dom->conn, domain_managed_save, "domain-managed-save");
    VPI_DOMAIN_CHECK(dom);
    return vpi_result(
        vpi_slot_result(dom->conn->hv_plugin, "domain-managed-save",
                        dom->conn->hv->domain_managed_save(dom->conn->hv_priv, dom->name, flags)));
}

VP_EXPORT int
vp_domain_has_managed_save(vp_domain *dom, unsigned int flags)
{
    VPI_ERROR_RESET();
    VPI_RETURN_IF_NO_DOM(dom);
    if (flags != 0)
        return vp_error_set(VP_ERR_INVALID_ARG,
                            "vp_domain_has_managed_save: unsupported flags 0x%x", flags);
    VPI_HV_SLOT(dom->conn, domain_has_managed_save, "domain-has-managed-save");
    VPI_DOMAIN_CHECK(dom);
    int has = 0;
    int r = vpi_slot_result(
        dom->conn->hv_plugin, "domain-has-managed-save",
        dom->conn->hv->domain_has_managed_save(dom->conn->hv_priv, dom->name, &has));
    return vpi_result(r < 0 ? r : has ? 1 : 0);
}

VP_EXPORT int
vp_domain_managed_save_remove(vp_domain *dom, unsigned int flags)
{
    VPI_ERROR_RESET();
    VPI_RETURN_IF_NO_DOM(dom);
    if (flags != 0)
        return vp_error_set(VP_ERR_INVALID_ARG,
                            "vp_domain_managed_save_remove: unsupported flags 0x%x", flags);
    VPI_HV_SLOT(dom->conn, domain_managed_save_remove, "domain-managed-save-remove");
    VPI_DOMAIN_CHECK(dom);
    return vpi_result(vpi_slot_result(
        dom->conn->hv_plugin, "domain-managed-save-remove",
        dom->conn->hv->domain_managed_save_remove(dom->conn->hv_priv, dom->name, flags)));
}
