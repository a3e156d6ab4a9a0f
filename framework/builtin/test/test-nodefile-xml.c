/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Copyright (C) 2026 The virtplug developers */
/*
 * builtin/test/test-nodefile-xml.c: reading test:///ABS/PATH.xml files.
 *
 * Part of the XML module (it needs libxml2): owns reading a <node> file
 * and handing each domain to the core's callback (test-nodefile.c puts
 * them into the test host); it must never touch a test host itself. The
 * file is libvirt's custom test driver format restricted to what virtplug
 * knows:
 *
 *   <node xmlns:test='http://libvirt.org/schemas/domain/test/1.0'>
 *     <domain type='test'> ... <test:runstate>3</test:runstate> </domain>
 *   </node>
 *
 * Each <domain> is parsed by the core's domain parser. Its optional
 * <test:runstate> (libvirt's element) gives the state it starts in: 1
 * running, 3 paused, 5 shut off; without it a domain starts running, as
 * libvirt's custom files do. Any other element is an error. Every error
 * names the file and the line. The file is only read, never written.
 */
#include <config.h>

#include <errno.h>
#include <stdio.h>
#include <libxml/parser.h>
#include <libxml/tree.h>

#include "internal.h"
#include "conf/xml-util.h"
#include "conf/xml-module.h"

#define TEST_NS "http://libvirt.org/schemas/domain/test/1.0"
#define TEST_NODEFILE_MAX_BYTES (64u * 1024 * 1024)

static void
xml_doc_freep(xmlDocPtr *p)
{
    if (*p)
        xmlFreeDoc(*p);
}

static void
xml_buffer_freep(xmlBufferPtr *p)
{
    if (*p)
        xmlBufferFree(*p);
}

static bool
is_test_ns(const xmlNode *node)
{
    return node->ns && node->ns->href && strcmp((const char *)node->ns->href, TEST_NS) == 0;
}

/* Re-set the thread's error with the file and line in front of it. The
 * domain parser counts lines from the <domain> element, which keeps the
 * file's line breaks, so its "domain XML line N" maps into the file. */
static int
error_at(int code, const char *path, long line)
{
    const vp_error *e = vp_error_last();
    _cleanup_free_ char *why = vp_strdup(e ? e->message : "invalid domain");
    long inner = 0;
    int skip = 0;
    if (sscanf(why, "domain XML line %ld: %n", &inner, &skip) == 1 && skip > 0 && inner > 0)
        return vp_error_set(code, "node file '%s' line %ld: %s", path, line + inner - 1,
                            why + skip);
    return vp_error_set(code, "node file '%s' line %ld: %s", path, line, why);
}

static int
runstate_parse(const char *path, xmlNode *el, int *ret_state, int *ret_reason)
{
    xmlChar *content = xmlNodeGetContent(el);
    _cleanup_free_ char *text = vp_strdup(content ? (const char *)content : "");
    xmlFree(content);
    const char *s = text;
    if (strcmp(s, "1") == 0) {
        *ret_state = VP_DOMAIN_RUNNING;
        *ret_reason = VP_DOMAIN_RUNNING_BOOTED;
    } else if (strcmp(s, "3") == 0) {
        *ret_state = VP_DOMAIN_PAUSED;
        *ret_reason = VP_DOMAIN_PAUSED_USER;
    } else if (strcmp(s, "5") == 0) {
        *ret_state = VP_DOMAIN_SHUTOFF;
        *ret_reason = VP_DOMAIN_SHUTOFF_UNKNOWN;
    } else {
        return vp_error_set(VP_ERR_XML,
                            "node file '%s' line %ld: invalid <test:runstate> '%s'; use 1, 3 or 5",
                            path, xmlGetLineNo(el), s);
    }
    return 0;
}

/* Take the test-namespace elements out of <domain>: the domain parser
 * knows nothing of them. */
static int
domain_take_runstate(const char *path, xmlNode *dom, int *ret_state, int *ret_reason)
{
    int state = VP_DOMAIN_RUNNING, reason = VP_DOMAIN_RUNNING_BOOTED;
    xmlNode *next;
    for (xmlNode *c = dom->children; c; c = next) {
        next = c->next;
        if (c->type != XML_ELEMENT_NODE || !is_test_ns(c))
            continue;
        if (strcmp((const char *)c->name, "runstate") != 0)
            return vp_error_set(VP_ERR_XML,
                                "node file '%s' line %ld: unsupported element <test:%s>", path,
                                xmlGetLineNo(c), (const char *)c->name);
        int r = runstate_parse(path, c, &state, &reason);
        if (r < 0)
            return r;
        xmlUnlinkNode(c);
        xmlFreeNode(c);
    }
    *ret_state = state;
    *ret_reason = reason;
    return 0;
}

static int
load_domain(const char *path, xmlDoc *doc, xmlNode *el, vpi_nodefile_add_fn add, void *opaque)
{
    int state = 0, reason = 0;
    int r = domain_take_runstate(path, el, &state, &reason);
    if (r < 0)
        return r;
    _cleanup_(xml_buffer_freep) xmlBufferPtr buf = xmlBufferCreate();
    if (!buf || xmlNodeDump(buf, doc, el, 0, 0) < 0)
        abort(); /* libxml2 fails here only when out of memory */
    vp_domain_def *def;
    r = vp_plugin_domain_def_parse((const char *)xmlBufferContent(buf), 0, &def);
    if (r < 0)
        return error_at(r, path, xmlGetLineNo(el));
    r = add(opaque, def, state, reason);
    if (r < 0)
        return error_at(r, path, xmlGetLineNo(el));
    return 0;
}

int
vpi_nodefile_read(const char *path, vpi_nodefile_add_fn add, void *opaque)
{
    _cleanup_free_ char *data = NULL;
    int r = vp_plugin_file_read_regular(path, TEST_NODEFILE_MAX_BYTES, &data, NULL);
    if (r < 0)
        return r;
    _cleanup_free_ char *what = vp_asprintf("node file '%s'", path);
    const vpi_xml x = {.what = what};
    _cleanup_(xml_doc_freep) xmlDocPtr doc = NULL;
    r = vpi_xml_read(&x, data, "node", &doc); /* the core's safe reader: no DOCTYPE, no network */
    if (r < 0)
        return r;
    xmlNode *root = xmlDocGetRootElement(doc);
    for (xmlNode *c = root->children; c; c = c->next) {
        if (c->type != XML_ELEMENT_NODE)
            continue;
        if (strcmp((const char *)c->name, "domain") != 0 || c->ns)
            return vp_error_set(VP_ERR_XML,
                                "node file '%s' line %ld: unknown element <%s>; expected <domain>",
                                path, xmlGetLineNo(c), (const char *)c->name);
        r = load_domain(path, doc, c, add, opaque);
        if (r < 0)
            return r;
    }
    return 0;
}
