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
};
