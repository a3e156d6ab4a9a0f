/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Copyright (C) 2026 The virtplug developers */
/*
 * builtin/test/test-nodefile.c: test:///ABS/PATH.xml, a host from a file.
 *
 * Owns putting the domains of a <node> file into a test host. Reading the
 * file needs libxml2, so that part lives in the XML module
 * (test-nodefile-xml.c), loaded on first use: test:///default, built in
 * C, must never load it.
 */
#include <config.h>

#include "internal.h"
#include "conf/xml-module.h"
#include "builtin/test/test-driver.h"

static int
nodefile_add(void *opaque, vp_domain_def *def, int state, int reason)
{
    return test_host_define(opaque, def, state, reason, NULL);
}

int
test_nodefile_load(test_host *host, const char *path)
{
    const vpi_xml_module *xml;
    int r = vpi_xml_module_get(&xml);
    if (r < 0)
        return r;
    return xml->nodefile_read(path, nodefile_add, host);
}
