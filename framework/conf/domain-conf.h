/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Copyright (C) 2026 The virtplug developers */
/*
 * domain-conf.h: the domain XML parser's internal entry points, shared by
 * its files (domain-conf.c, domain-devices.c, domain-format.c) and by the
 * core's embedded test driver, which reads <domain> elements out of its own
 * <node> files. Never installed.
 */
#ifndef VIRTPLUG_CONF_DOMAIN_CONF_H
#define VIRTPLUG_CONF_DOMAIN_CONF_H

#include <virtplug/sdk/alloc.h>
#include <virtplug/sdk/conf.h>

#include "conf/def-clear.h"
#include "conf/xml-util.h"

/*
 * vpi_domain_def_parse_node: parse the <domain> element @node of a document
 * read with vpi_xml_read(); messages start with @x->what and the line.
 * @ret_def: (transfer full) vp_plugin_domain_def_free(). Errors: VP_ERR_XML.
 */
VPI_HIDDEN_ int vpi_domain_def_parse_node(const vpi_xml *x, xmlNode *node, vp_domain_def **ret_def);

VP_DEFINE_CLEANUP(vp_domain_def, vp_plugin_domain_def_free)

/* Parse the <devices> element @node into @def (domain-devices.c). */
VPI_HIDDEN_ int vpi_domain_devices_parse(const vpi_xml *x, xmlNode *node, vp_domain_def *def);
/* Write <devices> of @def at two spaces of indentation (domain-devices.c). */
VPI_HIDDEN_ void vpi_domain_devices_format(vpi_buf *b, const vp_domain_def *def);

#endif /* VIRTPLUG_CONF_DOMAIN_CONF_H */
