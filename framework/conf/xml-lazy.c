/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Copyright (C) 2026 The virtplug developers */
/*
 * xml-lazy.c: libvirtplug's XML functions, which load the XML module.
 *
 * Owns the exported vp_plugin_domain_def_parse/format and
 * vp_plugin_snapshot_def_parse/format: each loads virtplug-xml.so (through
 * the loader, the only file that may dlopen) on its first call, checks the
 * module's table, and calls through it. libxml2 pulls in ICU, libstdc++ and
 * more, about 3 MiB of a process that only lists domains; this file is why
 * such a process never maps it. A module that cannot be loaded is an error
 * of the call that needed it, never a crash, and is tried again next call.
 * It must never include a libxml2 header.
 */
#include <config.h>

#include <stdatomic.h>
#include <stdlib.h>

#include "internal.h"
#include "conf/xml-module.h"

/* Set once, never cleared: modules are never unloaded. */
static _Atomic(const vpi_xml_module *) xml_module;

const char *
vpi_xml_module_path(void)
{
    const char *env = secure_getenv("VIRTPLUG_XML_MODULE");
    return env && *env ? env : VP_XML_MODULE;
}

static int
module_check(const vpi_xml_module *m, const char *path)
{
    if (m->magic != VPI_XML_MODULE_MAGIC || m->version != VPI_XML_MODULE_VERSION ||
        m->size != sizeof(vpi_xml_module))
        return vp_error_set(
            VP_ERR_PLUGIN_INVALID,
            "cannot load the XML module '%s': it was built for another libvirtplug (magic 0x%08x, version %u, size %u; expected 0x%08x, %u, %zu); reinstall libvirtplug",
            path, m->magic, m->version, m->size, VPI_XML_MODULE_MAGIC, VPI_XML_MODULE_VERSION,
            sizeof(vpi_xml_module));
    if (!m->domain_def_parse || !m->domain_def_format || !m->snapshot_def_parse ||
        !m->snapshot_def_format || !m->nodefile_read || !m->domain_model_parse ||
        !m->domain_model_format || !m->domain_model_free || !m->caps_compile || !m->caps_free ||
        !m->caps_format || !m->domain_model_copy || !m->model_kid || !m->model_name ||
        !m->model_attr || !m->model_text || !m->model_get || !m->model_ns_xml || !m->caps_1_0 ||
        !m->domain_xml_set || !m->domain_xml_hide_secrets || !m->xml_xpath)
        return vp_error_set(
            VP_ERR_PLUGIN_INVALID,
            "cannot load the XML module '%s': its table has an empty slot; reinstall libvirtplug",
            path);
    return 0;
}

int
vpi_xml_module_get(const vpi_xml_module **ret_module)
{
    const vpi_xml_module *m = atomic_load_explicit(&xml_module, memory_order_acquire);
    if (__builtin_expect(m != NULL, 1)) {
        *ret_module = m;
        return 0;
    }
    const char *path = vpi_xml_module_path();
    const void *sym = NULL;
    int r = vpi_loader_load_module("XML module", path, VPI_XML_MODULE_SYMBOL, &sym);
    if (r < 0)
        return r;
    m = sym;
    r = module_check(m, path);
    if (r < 0)
        return r;
    /* Two threads may get here with the same table (the loader loads a
     * path once): storing it twice is harmless. */
    atomic_store_explicit(&xml_module, m, memory_order_release);
    *ret_module = m;
    return 0;
}

VP_EXPORT int
vp_plugin_domain_def_parse(const char *xml, unsigned int flags, vp_domain_def **ret_def)
{
    const vpi_xml_module *m;
    int r = vpi_xml_module_get(&m);
    return r < 0 ? r : m->domain_def_parse(xml, flags, ret_def);
}

VP_EXPORT int
vp_plugin_domain_def_format(const vp_domain_def *def, unsigned int flags, char **ret_xml)
{
    const vpi_xml_module *m;
    int r = vpi_xml_module_get(&m);
    return r < 0 ? r : m->domain_def_format(def, flags, ret_xml);
}

VP_EXPORT int
vp_plugin_snapshot_def_parse(const char *xml, unsigned int flags, vp_snapshot_def **ret_def)
{
    const vpi_xml_module *m;
    int r = vpi_xml_module_get(&m);
    return r < 0 ? r : m->snapshot_def_parse(xml, flags, ret_def);
}

VP_EXPORT int
vp_plugin_snapshot_def_format(const vp_snapshot_def *def, unsigned int flags, char **ret_xml)
{
    const vpi_xml_module *m;
    int r = vpi_xml_module_get(&m);
    return r < 0 ? r : m->snapshot_def_format(def, flags, ret_xml);
}

int
vpi_domain_model_parse(const char *xml, vp_domain_def **ret_def, vpi_domain_model **ret_model)
{
    const vpi_xml_module *m;
    int r = vpi_xml_module_get(&m);
    return r < 0 ? r : m->domain_model_parse(xml, 0, NULL, ret_def, ret_model);
}

int
vpi_domain_model_parse_caps(const char *xml, const vpi_caps *caps, vp_domain_def **ret_def,
                            vpi_domain_model **ret_model)
{
    const vpi_xml_module *m;
    int r = vpi_xml_module_get(&m);
    return r < 0 ? r : m->domain_model_parse(xml, 0, caps, ret_def, ret_model);
}

int
vpi_domain_model_format(const vpi_domain_model *model, char **ret_xml)
{
    const vpi_xml_module *m;
    int r = vpi_xml_module_get(&m);
    return r < 0 ? r : m->domain_model_format(model, 0, ret_xml);
}

int
vpi_domain_xml_hide_secrets(const char *xml, const vpi_caps *caps, char **ret_xml)
{
    const vpi_xml_module *m;
    int r = vpi_xml_module_get(&m);
    return r < 0 ? r : m->domain_xml_hide_secrets(xml, caps, ret_xml);
}

void
vpi_domain_model_free(vpi_domain_model *model)
{
    const vpi_xml_module *m;
    /* A model exists only if the module was loaded, so this cannot fail. */
    if (model && vpi_xml_module_get(&m) >= 0)
        m->domain_model_free(model);
}
