/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Copyright (C) 2026 The virtplug developers */
/*
 * xml-module.c: the one symbol of the XML module (virtplug-xml.so).
 *
 * Owns the table through which libvirtplug calls the module's parsers and
 * formatters. Everything else in the module is hidden; it must export
 * nothing but this table.
 */
#include <config.h>

#include "internal.h"
#include "conf/model.h"
#include "conf/model-caps.h"
#include "conf/xml-module.h"

VP_EXPORT const vpi_xml_module virtplug_xml_module = {
    .magic = VPI_XML_MODULE_MAGIC,
    .version = VPI_XML_MODULE_VERSION,
    .size = sizeof(vpi_xml_module),
    .domain_def_parse = vp_plugin_domain_def_parse,
    .domain_def_format = vp_plugin_domain_def_format,
    .snapshot_def_parse = vp_plugin_snapshot_def_parse,
    .snapshot_def_format = vp_plugin_snapshot_def_format,
    .nodefile_read = vpi_nodefile_read,
    .domain_model_parse = vpi_model_parse,
    .domain_model_format = vpi_model_format,
    .domain_model_free = vpi_model_free,
    .caps_compile = vpi_caps_compile,
    .caps_free = vpi_caps_free,
    .caps_format = vpi_caps_format,
    .domain_model_copy = vpi_model_copy,
    .model_kid = vpi_model_access_kid,
    .model_name = vpi_model_access_name,
    .model_attr = vpi_model_access_attr,
    .model_text = vpi_model_access_text,
    .model_get = vpi_model_access_get,
    .model_ns_xml = vpi_model_access_ns_xml,
    .caps_1_0 = vpi_domain_caps_1_0,
    .domain_xml_set = vpi_xml_set,
    .domain_xml_hide_secrets = vpi_model_hide_secrets,
    .xml_xpath = vpi_xml_xpath,
};
