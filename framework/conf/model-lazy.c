/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Copyright (C) 2026 The virtplug developers */
/*
 * model-lazy.c: libvirtplug's vp_plugin_domain_model_* (conf.h, ABI 1.1).
 *
 * Owns the exported read access to the domain model and its copy, free
 * and format, and the parse a driver asks for to read a definition it
 * stored as XML: each calls the XML module's table (xml-lazy.c loads it).
 * A driver reads a model only after one was parsed, so the module is
 * already there; a NULL model answers NULL, never a crash. It must never
 * include a libxml2 header.
 */
#include <config.h>

#include "internal.h"
#include "conf/xml-module.h"

/* The module, already loaded when a model exists. */
static const vpi_xml_module *
module(void)
{
    const vpi_xml_module *m = NULL;
    return vpi_xml_module_get(&m) < 0 ? NULL : m;
}

VP_EXPORT const vp_model_node *
vp_plugin_domain_model_root(const vp_domain_model *model)
{
    /* vpi_domain_model starts with its root node (model.h). */
    return model ? *(const vp_model_node *const *)model : NULL;
}

VP_EXPORT const vp_model_node *
vp_plugin_model_node_kid(const vp_model_node *node, const char *name, size_t index)
{
    const vpi_xml_module *m = node ? module() : NULL;
    return m ? m->model_kid(node, name, index) : NULL;
}

VP_EXPORT const char *
vp_plugin_model_node_name(const vp_model_node *node)
{
    const vpi_xml_module *m = node ? module() : NULL;
    return m ? m->model_name(node) : NULL;
}

VP_EXPORT const char *
vp_plugin_model_node_attr(const vp_model_node *node, const char *name)
{
    const vpi_xml_module *m = node ? module() : NULL;
    return m ? m->model_attr(node, name) : NULL;
}

VP_EXPORT const char *
vp_plugin_model_node_text(const vp_model_node *node)
{
    const vpi_xml_module *m = node ? module() : NULL;
    return m ? m->model_text(node) : NULL;
}

VP_EXPORT const char *
vp_plugin_domain_model_get(const vp_domain_model *model, const char *path)
{
    const vpi_xml_module *m = model ? module() : NULL;
    return m ? m->model_get((const vpi_domain_model *)model, path) : NULL;
}

VP_EXPORT char *
vp_plugin_domain_model_ns_xml(const vp_domain_model *model, const char *uri)
{
    const vpi_xml_module *m = model ? module() : NULL;
    return m ? m->model_ns_xml((const vpi_domain_model *)model, uri) : NULL;
}

VP_EXPORT int
vp_plugin_domain_model_format(const vp_domain_model *model, unsigned int flags, char **ret_xml)
{
    vp_return_if_fail(model, "model");
    vp_return_if_fail(ret_xml, "ret_xml");
    const vpi_xml_module *m;
    int r = vpi_xml_module_get(&m);
    return r < 0 ? r : m->domain_model_format((const vpi_domain_model *)model, flags, ret_xml);
}

VP_EXPORT vp_domain_model *
vp_plugin_domain_model_copy(const vp_domain_model *model)
{
    const vpi_xml_module *m = model ? module() : NULL;
    return m ? (vp_domain_model *)m->domain_model_copy((const vpi_domain_model *)model) : NULL;
}

VP_EXPORT void
vp_plugin_domain_model_free(vp_domain_model *model)
{
    vpi_domain_model_free((vpi_domain_model *)model);
}

VP_EXPORT int
vp_plugin_domain_xml_set(const char *xml, const char *path, const char *value, char **ret_xml)
{
    vp_return_if_fail(xml, "xml");
    vp_return_if_fail(path, "path");
    vp_return_if_fail(ret_xml, "ret_xml");
    const vpi_xml_module *m;
    int r = vpi_xml_module_get(&m);
    return r < 0 ? r : m->domain_xml_set(xml, path, value, ret_xml);
}

VP_EXPORT int
vp_plugin_xml_xpath(const char *xml, const char *expr, unsigned int flags, char ***ret_texts,
                    size_t *ret_n)
{
    vp_return_if_fail(xml, "xml");
    vp_return_if_fail(expr, "expr");
    vp_return_if_fail(ret_texts, "ret_texts");
    vp_return_if_fail(ret_n, "ret_n");
    if (flags & ~(unsigned int)VP_PLUGIN_XML_XPATH_WRAP)
        return vp_error_set(VP_ERR_INVALID_ARG, "unsupported XPath flags 0x%x", flags);
    const vpi_xml_module *m;
    int r = vpi_xml_module_get(&m);
    return r < 0 ? r : m->xml_xpath(xml, expr, flags & VP_PLUGIN_XML_XPATH_WRAP, ret_texts, ret_n);
}

VP_EXPORT int
vp_plugin_domain_model_parse(const char *xml, const char *driver, const vp_plugin_domain_cap *table,
                             const char *xml_namespace, vp_domain_model **ret_model)
{
    vp_return_if_fail(xml, "xml");
    vp_return_if_fail(driver, "driver");
    vp_return_if_fail(table, "table");
    vp_return_if_fail(ret_model, "ret_model");
    const vpi_xml_module *m;
    int r = vpi_xml_module_get(&m);
    if (r < 0)
        return r;
    /* Compiled per call: a driver reads a stored definition rarely (a
     * restore), and the core's cache is keyed by plugin, not by table. */
    vpi_caps *caps = NULL;
    r = m->caps_compile(driver, table, xml_namespace, &caps);
    vp_domain_def *def = NULL;
    vpi_domain_model *model = NULL;
    if (r >= 0)
        r = m->domain_model_parse(xml, 0, caps, &def, &model);
    vp_plugin_domain_def_free(def);
    m->caps_free(caps);
    if (r < 0)
        return r;
    *ret_model = (vp_domain_model *)model;
    return 0;
}
