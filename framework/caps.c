/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Copyright (C) 2026 The virtplug developers */
/*
 * caps.c: the drivers' domain capabilities, on the core's side.
 *
 * Owns which capability table a hypervisor driver has (its descriptor's
 * domain_caps from ABI 1.1; for older plugins the 1.0 subset, which the
 * XML module declares), compiling it once per driver through the XML
 * module, the define and create paths that check a definition against it before the
 * driver sees it, and
 * vp_conn_get_domain_capabilities() (the table's document, with what the
 * host has added by the driver). A 1.0 plugin keeps the 1.0 behaviour:
 * its domain_define_xml gets the XML unchecked and parses it itself. This
 * file never loads the XML module for a call that has no XML to read.
 */
#include <config.h>

#include <stdlib.h>

#include "internal.h"
#include "conf/xml-module.h"

const vp_plugin_domain_cap *
vpi_plugin_domain_caps(const vpi_plugin *plugin)
{
    const vp_plugin_descriptor *d = plugin->desc;
    if (d->abi_minor < 1 || d->size < VP_PLUGIN_DESCRIPTOR_SIZE_1_1)
        return NULL;
    return d->domain_caps;
}

static const char *
plugin_namespace(const vpi_plugin *plugin)
{
    return vpi_plugin_domain_caps(plugin) ? plugin->desc->xml_namespace : NULL;
}

/* Compiled tables, one per driver, kept for the life of the process like
 * the plugins themselves. */
typedef struct caps_entry {
    const vpi_plugin *plugin;
    vpi_caps *caps;
    struct caps_entry *next;
} caps_entry;

static pthread_mutex_t caps_lock = PTHREAD_MUTEX_INITIALIZER;
static caps_entry *caps_cache;

static int
plugin_caps(const vpi_plugin *plugin, const vpi_caps **ret_caps)
{
    const vpi_xml_module *m;
    int r = vpi_xml_module_get(&m);
    if (r < 0)
        return r;
    pthread_mutex_lock(&caps_lock);
    caps_entry *e = caps_cache;
    while (e && e->plugin != plugin)
        e = e->next;
    if (!e) {
        const vp_plugin_domain_cap *table = vpi_plugin_domain_caps(plugin);
        vpi_caps *caps = NULL;
        r = m->caps_compile(plugin->name, table ? table : m->caps_1_0, plugin_namespace(plugin),
                            &caps);
        if (r >= 0) {
            e = vp_new0(caps_entry, 1);
            *e = (caps_entry){plugin, caps, caps_cache};
            caps_cache = e;
        }
    }
    pthread_mutex_unlock(&caps_lock);
    if (r < 0)
        return r;
    *ret_caps = e->caps;
    return 0;
}

/* A table that allows everything ({"*"} alone) checks nothing: the
 * driver parses the XML itself, once. */
static bool
caps_allow_all(const vp_plugin_domain_cap *table)
{
    return table[0].path && strcmp(table[0].path, "*") == 0 && !table[0].values && !table[1].path;
}

/* The define or the create of @xml: through the driver's model slot when
 * it has a capability table that checks something, else its XML slot. */
static int
conn_define_or_create(vp_conn *conn, const char *xml, unsigned int flags, bool create,
                      char **ret_name)
{
    const vpi_plugin *p = conn->hv_plugin;
    const vp_plugin_domain_cap *table = vpi_plugin_domain_caps(p);
    const vp_hypervisor_driver *hv = conn->hv;
    const char *op = create ? "domain-create-xml" : "domain-define-xml";
    int (*by_xml)(void *, const char *, unsigned int, char **) =
        create ? hv->domain_create_xml : hv->domain_define_xml;
    int (*by_model)(void *, const vp_domain_model *, unsigned int, char **) =
        create ? hv->domain_create_model : hv->domain_define_model;
    if (!table || (caps_allow_all(table) && !by_model)) {
        if (!by_xml)
            return vpi_not_supported(p, op);
        return vpi_slot_result(p, op, by_xml(conn->hv_priv, xml, flags, ret_name));
    }
    if (!by_model && !by_xml)
        return vpi_not_supported(p, op);
    const vpi_caps *caps = NULL;
    int r = plugin_caps(p, &caps);
    vp_domain_def *def = NULL;
    vpi_domain_model *model = NULL;
    if (r >= 0)
        r = vpi_domain_model_parse_caps(xml, caps, &def, &model);
    vp_plugin_domain_def_free(def);
    if (r >= 0 && by_model)
        r = vpi_slot_result(
            p, op, by_model(conn->hv_priv, (const vp_domain_model *)model, flags, ret_name));
    else if (r >= 0)
        r = vpi_slot_result(p, op, by_xml(conn->hv_priv, xml, flags, ret_name));
    vpi_domain_model_free(model);
    return r;
}

int
vpi_conn_define(vp_conn *conn, const char *xml, unsigned int flags, char **ret_name)
{
    return conn_define_or_create(conn, xml, flags, false, ret_name);
}

int
vpi_conn_create(vp_conn *conn, const char *xml, unsigned int flags, char **ret_name)
{
    return conn_define_or_create(conn, xml, flags, true, ret_name);
}

int
vpi_conn_parse(vp_conn *conn, const char *xml, vp_domain_def **ret_def)
{
    const vpi_plugin *p = conn->hv_plugin;
    if (!vpi_plugin_domain_caps(p))
        return vp_plugin_domain_def_parse(xml, 0, ret_def);
    const vpi_caps *caps = NULL;
    vpi_domain_model *model = NULL;
    int r = plugin_caps(p, &caps);
    if (r >= 0)
        r = vpi_domain_model_parse_caps(xml, caps, ret_def, &model);
    vpi_domain_model_free(model);
    return r;
}

bool
vpi_conn_checks_caps(vp_conn *conn)
{
    const vp_plugin_domain_cap *table = vpi_plugin_domain_caps(conn->hv_plugin);
    return table && !caps_allow_all(table);
}

int
vpi_conn_parse_model(vp_conn *conn, const char *xml, vpi_domain_model **ret_model)
{
    const vpi_plugin *p = conn->hv_plugin;
    const vpi_caps *caps = NULL;
    vp_domain_def *def = NULL;
    int r = plugin_caps(p, &caps);
    if (r >= 0)
        r = vpi_domain_model_parse_caps(xml, caps, &def, ret_model);
    vp_plugin_domain_def_free(def);
    return r;
}

int
vpi_conn_hide_secrets(vp_conn *conn, const char *xml, char **ret_xml)
{
    /* The driver's table declares its domain types and namespace; one
     * that checks nothing (or none) leaves the schema alone. */
    const vpi_plugin *p = conn->hv_plugin;
    const vp_plugin_domain_cap *table = vpi_plugin_domain_caps(p);
    const vpi_caps *caps = NULL;
    int r = table && !caps_allow_all(table) ? plugin_caps(p, &caps) : 0;
    return r < 0 ? r : vpi_domain_xml_hide_secrets(xml, caps, ret_xml);
}

VP_EXPORT int
vp_conn_get_domain_capabilities(vp_conn *conn, unsigned int flags, char **ret_caps)
{
    VPI_ERROR_RESET();
    VPI_RETURN_IF_NO_CONN(conn);
    vp_return_if_fail(ret_caps, "ret_caps");
    if (flags & ~VP_DOMAIN_CAPS_JSON)
        return vp_error_set(VP_ERR_INVALID_ARG,
                            "unsupported flags 0x%x for getting domain capabilities", flags);
    /* A driver whose table is not its descriptor's (the remote plugin's is
     * the far driver's) formats its own. */
    if (conn->hv->conn_get_domain_capabilities)
        return vpi_result(vpi_slot_result(
            conn->hv_plugin, "connect-get-domain-capabilities",
            conn->hv->conn_get_domain_capabilities(conn->hv_priv, flags, ret_caps)));
    const vpi_caps *caps = NULL;
    const vpi_xml_module *m;
    int r = plugin_caps(conn->hv_plugin, &caps);
    if (r >= 0)
        r = vpi_xml_module_get(&m);
    _cleanup_free_ char *text = NULL;
    if (r >= 0)
        r = m->caps_format(caps, flags & VP_DOMAIN_CAPS_JSON, &text);
    /* What this host has, which the table cannot say (swtpm, firmware). */
    if (r >= 0 && conn->hv->conn_host_domain_capabilities)
        r = vpi_slot_result(conn->hv_plugin, "connect-host-domain-capabilities",
                            conn->hv->conn_host_domain_capabilities(
                                conn->hv_priv, flags & VP_DOMAIN_CAPS_JSON, text, ret_caps));
    else if (r >= 0)
        *ret_caps = VP_STEAL_PTR(text);
    return vpi_result(r);
}
