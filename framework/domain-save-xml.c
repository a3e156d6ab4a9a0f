/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Copyright (C) 2026 The virtplug developers */
/*
 * domain-save-xml.c: the XML inside save images (virtplug-save.h) -> the
 * hypervisor driver's slots.
 *
 * Owns what every driver shares: the arguments and flags, hiding the
 * secrets of the XML a get answers, and the check that a new XML keeps the
 * saved machine (same domain, same devices) before a driver replaces it.
 * The images and their crash-safe rewriting are the drivers'.
 */
#include <config.h>

#include <string.h>
#include <virtplug/sdk/conf.h>

#include "internal.h"

static int
check_get_args(const char *fn, unsigned int flags, char **ret_xml)
{
    if (!ret_xml)
        return vp_error_set(VP_ERR_INVALID_ARG, "%s: ret_xml is NULL", fn);
    if (flags & ~VP_DOMAIN_XML_SECURE)
        return vp_error_set(VP_ERR_INVALID_ARG, "%s: unsupported flags 0x%x", fn,
                            flags & ~VP_DOMAIN_XML_SECURE);
    return 0;
}

static int
check_define_args(const char *fn, const char *xml, unsigned int flags)
{
    if (!xml || !*xml)
        return vp_error_set(VP_ERR_INVALID_ARG, "%s: no XML given", fn);
    return vpi_save_check_flags(fn, flags);
}

/* The driver's answer @r with XML @xml, its secrets hidden unless @flags
 * has VP_DOMAIN_XML_SECURE, into *@ret_xml. */
static int
finish_get(vp_conn *conn, int r, char *xml, unsigned int flags, char **ret_xml)
{
    if (r >= 0 && !(flags & VP_DOMAIN_XML_SECURE)) {
        char *hidden = NULL;
        r = vpi_conn_hide_secrets(conn, xml, &hidden);
        free(xml);
        xml = hidden;
    }
    if (r < 0) {
        free(xml);
        return vpi_result(r);
    }
    *ret_xml = xml;
    return vpi_result(0);
}

static bool
str_differs(const char *a, const char *b)
{
    return (a || b) && (!a || !b || strcmp(a, b) != 0);
}

/* A signature of the <devices> of @xml: each top-level device's element
 * name and each <address .../> tag, in order, one a line. malloc()ed;
 * empty when there is no <devices>. */
static char *
devices_signature(const char *xml)
{
    const char *start = strstr(xml, "<devices>");
    const char *end = start ? strstr(start, "</devices>") : NULL;
    if (!start || !end)
        return vp_strdup("");
    size_t cap = 256, len = 0;
    char *sig = vp_new0(char, cap);
    int depth = 0;
    const char *p = start + strlen("<devices>"), *tag;
    while ((tag = memchr(p, '<', (size_t)(end - p))) != NULL) {
        p = memchr(tag, '>', (size_t)(end - tag));
        if (!p)
            break;
        p++;
        bool closing = tag[1] == '/', self_closing = p[-2] == '/';
        if (tag[1] == '!' || tag[1] == '?')
            continue;
        size_t name_len = strcspn(tag + 1, " \t\n/>");
        bool address = !closing && name_len == 7 && strncmp(tag + 1, "address", 7) == 0;
        const char *piece = NULL;
        size_t piece_len = 0;
        if (!closing && depth == 0) {
            piece = tag + 1;
            piece_len = name_len;
        } else if (address) {
            piece = tag;
            piece_len = (size_t)(p - tag);
        }
        if (piece) {
            while (len + piece_len + 2 > cap)
                sig = vp_renew(char, sig, cap *= 2);
            memcpy(sig + len, piece, piece_len);
            len += piece_len;
            sig[len++] = '\n';
            sig[len] = '\0';
        }
        if (closing)
            depth--;
        else if (!self_closing)
            depth++;
    }
    return sig;
}

/* Whether @new_xml may replace @old_xml in a save image: the same domain
 * and machine (virtplug-save.h). VP_ERR_INVALID_ARG naming the difference. */
static int
check_same_machine(vp_conn *conn, const char *old_xml, const char *new_xml)
{
    vp_domain_def *a = NULL, *b = NULL;
    int r = vpi_conn_parse(conn, old_xml, &a);
    if (r >= 0)
        r = vpi_conn_parse(conn, new_xml, &b);
    const char *what = NULL;
    if (r < 0)
        what = NULL;
    else if (strcmp(a->name, b->name) != 0)
        what = "the name";
    else if (memcmp(a->uuid, b->uuid, 16) != 0)
        what = "the uuid";
    else if (str_differs(a->type, b->type))
        what = "the domain type";
    else if (str_differs(a->os_arch, b->os_arch) || str_differs(a->os_machine, b->os_machine))
        what = "the machine type or architecture";
    else if (a->memory_kib != b->memory_kib || a->current_memory_kib != b->current_memory_kib)
        what = "the memory size";
    else if (a->vcpus != b->vcpus)
        what = "the number of vcpus";
    else if (a->n_disks != b->n_disks || a->has_agent_channel != b->has_agent_channel ||
             a->serial_type != b->serial_type || a->has_console != b->has_console)
        what = "the number of devices";
    for (size_t i = 0; r >= 0 && !what && i < a->n_disks; i++)
        if (str_differs(a->disks[i].device, b->disks[i].device) ||
            str_differs(a->disks[i].target_dev, b->disks[i].target_dev) ||
            str_differs(a->disks[i].target_bus, b->disks[i].target_bus))
            what = "a disk's kind, target or bus";
    if (r >= 0 && !what) {
        _cleanup_free_ char *sa = devices_signature(old_xml);
        _cleanup_free_ char *sb = devices_signature(new_xml);
        if (strcmp(sa, sb) != 0)
            what = "the devices (their number, kinds or addresses)";
    }
    if (r >= 0 && what)
        r = vp_error_set(VP_ERR_INVALID_ARG,
                         "the new XML changes %s of domain '%s' as saved; a save image takes "
                         "only an XML of the same domain with the same machine and devices",
                         what, a->name);
    vp_plugin_domain_def_free(a);
    vp_plugin_domain_def_free(b);
    return r;
}

VP_EXPORT int
vp_domain_save_image_get_xml(vp_conn *conn, const char *path, unsigned int flags, char **ret_xml)
{
    VPI_ERROR_RESET();
    VPI_RETURN_IF_NO_CONN(conn);
    int r = check_get_args("vp_domain_save_image_get_xml", flags, ret_xml);
    if (r >= 0)
        r = vpi_save_check_path("vp_domain_save_image_get_xml", path);
    if (r < 0)
        return vpi_result(r);
    VPI_HV_SLOT(conn, domain_save_image_get_xml, "domain-save-image-get-xml");
    char *xml = NULL;
    r = vpi_slot_result(conn->hv_plugin, "domain-save-image-get-xml",
                        conn->hv->domain_save_image_get_xml(conn->hv_priv, path, 0, &xml));
    return finish_get(conn, r, xml, flags, ret_xml);
}

VP_EXPORT int
vp_domain_save_image_define_xml(vp_conn *conn, const char *path, const char *xml,
                                unsigned int flags)
{
    VPI_ERROR_RESET();
    VPI_RETURN_IF_NO_CONN(conn);
    int r = vpi_save_check_path("vp_domain_save_image_define_xml", path);
    if (r >= 0)
        r = check_define_args("vp_domain_save_image_define_xml", xml, flags);
    if (r < 0)
        return vpi_result(r);
    VPI_HV_SLOT(conn, domain_save_image_define_xml, "domain-save-image-define-xml");
    VPI_HV_SLOT(conn, domain_save_image_get_xml, "domain-save-image-get-xml");
    _cleanup_free_ char *old = NULL;
    r = vpi_slot_result(conn->hv_plugin, "domain-save-image-get-xml",
                        conn->hv->domain_save_image_get_xml(conn->hv_priv, path, 0, &old));
    if (r >= 0)
        r = check_same_machine(conn, old, xml);
    if (r >= 0)
        r = vpi_slot_result(
            conn->hv_plugin, "domain-save-image-define-xml",
            conn->hv->domain_save_image_define_xml(conn->hv_priv, path, xml, flags));
    return vpi_result(r < 0 ? r : 0);
}

VP_EXPORT int
vp_domain_save_with_xml(vp_domain *dom, const char *path, const char *xml, unsigned int flags)
{
    VPI_ERROR_RESET();
    VPI_RETURN_IF_NO_DOM(dom);
    int r = vpi_save_check_path("vp_domain_save_with_xml", path);
    if (r >= 0)
        r = check_define_args("vp_domain_save_with_xml", xml, flags);
    if (r < 0)
        return vpi_result(r);
    vp_conn *conn = dom->conn;
    VPI_HV_SLOT(conn, domain_save, "domain-save");
    VPI_HV_SLOT(conn, domain_get_xml, "domain-get-xml");
    VPI_HV_SLOT(conn, domain_save_image_define_xml, "domain-save-image-define-xml");
    VPI_DOMAIN_CHECK(dom);
    /* Checked before the save, so a refused XML leaves the domain running:
     * the image will hold the definition as the driver formats it (a
     * driver's XML has its secrets; the core hides them). */
    _cleanup_free_ char *now = NULL;
    r = vpi_slot_result(
        conn->hv_plugin, "domain-get-xml",
        conn->hv->domain_get_xml(conn->hv_priv, dom->name, VP_DOMAIN_XML_INACTIVE, &now));
    if (r >= 0)
        r = check_same_machine(conn, now, xml);
    if (r >= 0)
        r = vpi_slot_result(conn->hv_plugin, "domain-save",
                            conn->hv->domain_save(conn->hv_priv, dom->name, path, flags));
    /* A kill here leaves a whole image holding the domain's own XML. */
    if (r >= 0)
        r = vpi_slot_result(conn->hv_plugin, "domain-save-image-define-xml",
                            conn->hv->domain_save_image_define_xml(conn->hv_priv, path, xml, 0));
    return vpi_result(r < 0 ? r : 0);
}

VP_EXPORT int
vp_domain_managed_save_get_xml(vp_domain *dom, unsigned int flags, char **ret_xml)
{
    VPI_ERROR_RESET();
    VPI_RETURN_IF_NO_DOM(dom);
    int r = check_get_args("vp_domain_managed_save_get_xml", flags, ret_xml);
    if (r < 0)
        return vpi_result(r);
    VPI_HV_SLOT(dom->conn, domain_managed_save_get_xml, "domain-managed-save-get-xml");
    VPI_DOMAIN_CHECK(dom);
    char *xml = NULL;
    r = vpi_slot_result(
        dom->conn->hv_plugin, "domain-managed-save-get-xml",
        dom->conn->hv->domain_managed_save_get_xml(dom->conn->hv_priv, dom->name, 0, &xml));
    return finish_get(dom->conn, r, xml, flags, ret_xml);
}

VP_EXPORT int
vp_domain_managed_save_define_xml(vp_domain *dom, const char *xml, unsigned int flags)
{
    VPI_ERROR_RESET();
    VPI_RETURN_IF_NO_DOM(dom);
    int r = check_define_args("vp_domain_managed_save_define_xml", xml, flags);
    if (r < 0)
        return vpi_result(r);
    VPI_HV_SLOT(dom->conn, domain_managed_save_define_xml, "domain-managed-save-define-xml");
    VPI_HV_SLOT(dom->conn, domain_managed_save_get_xml, "domain-managed-save-get-xml");
    VPI_DOMAIN_CHECK(dom);
    _cleanup_free_ char *old = NULL;
    r = vpi_slot_result(
        dom->conn->hv_plugin, "domain-managed-save-get-xml",
        dom->conn->hv->domain_managed_save_get_xml(dom->conn->hv_priv, dom->name, 0, &old));
    if (r >= 0)
        r = check_same_machine(dom->conn, old, xml);
    if (r >= 0)
        r = vpi_slot_result(dom->conn->hv_plugin, "domain-managed-save-define-xml",
                            dom->conn->hv->domain_managed_save_define_xml(dom->conn->hv_priv,
                                                                          dom->name, xml, flags));
    return vpi_result(r < 0 ? r : 0);
}
