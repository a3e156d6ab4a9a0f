/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Copyright (C) 2026 The virtplug developers */
/*
 * xml-xpath.c: the XPath selection behind vp_plugin_xml_xpath() (virsh's
 * dumpxml --xpath and --wrap), in the XML module so that programs which
 * never select anything do not load libxml2.
 *
 * Owns vpi_xml_xpath: the document is parsed without its blank text (as
 * virsh, so each selected node is printed re-indented), never touching
 * the network; each selected node is formatted on its own, or all of
 * them inside one <nodes> element with wrap. An expression that is not
 * valid, or that gives a number, a string or a boolean instead of nodes,
 * is an error naming it.
 */
#include <config.h>

#include <string.h>

#include <libxml/parser.h>
#include <libxml/tree.h>
#include <libxml/xmlerror.h>
#include <libxml/xpath.h>

#include "internal.h"
#include "conf/xml-module.h"

static void
quiet(void *userdata, xmlError *error)
{
    (void)userdata;
    (void)error;
}

/* @node as libxml2 formats it (virsh's virXMLNodeToString); NULL when it
 * cannot. (transfer full) */
static char *
node_text(xmlDoc *doc, xmlNode *node)
{
    xmlBuffer *buf = xmlBufferCreate();
    if (!buf)
        return NULL;
    char *text = NULL;
    if (xmlNodeDump(buf, doc, node, 0, 1) > 0)
        text = vp_strdup((const char *)xmlBufferContent(buf));
    xmlBufferFree(buf);
    return text;
}

/* The texts of the nodes of @set, or with @wrap one <nodes> holding copies
 * of them; *@ret_n of them. (transfer full) */
static char **
selected_texts(xmlDoc *doc, const xmlNodeSet *set, bool wrap, size_t *ret_n)
{
    size_t n = set ? (size_t)set->nodeNr : 0;
    char **texts = vp_new0(char *, n + 1);
    if (!wrap) {
        for (size_t i = 0; i < n; i++)
            texts[i] = node_text(doc, set->nodeTab[i]);
        *ret_n = n;
        return texts;
    }
    xmlDoc *out = xmlNewDoc((const xmlChar *)"1.0");
    xmlNode *root = xmlNewNode(NULL, (const xmlChar *)"nodes");
    xmlDocSetRootElement(out, root);
    for (size_t i = 0; i < n; i++) {
        xmlNode *copy = xmlDocCopyNode(set->nodeTab[i], out, 1);
        if (copy && !xmlAddChild(root, copy))
            xmlFreeNode(copy);
    }
    texts[0] = node_text(out, root);
    xmlFreeDoc(out);
    *ret_n = 1;
    return texts;
}

int
vpi_xml_xpath(const char *xml, const char *expr, bool wrap, char ***ret_texts, size_t *ret_n)
{
    /* libxml2 reports a bad expression on the thread's handler: the error
     * below names it instead; the caller's handler is restored. */
    xmlStructuredErrorFunc old_handler = xmlStructuredError;
    void *old_context = xmlStructuredErrorContext;
    xmlSetStructuredErrorFunc(NULL, quiet);
    xmlDoc *doc = xmlReadMemory(xml, (int)strlen(xml), "domain.xml", NULL,
                                XML_PARSE_NOBLANKS | XML_PARSE_NONET | XML_PARSE_NOWARNING |
                                    XML_PARSE_NOERROR);
    if (!doc) {
        xmlSetStructuredErrorFunc(old_context, old_handler);
        return vp_error_set(VP_ERR_XML, "cannot parse the XML to select '%s' from", expr);
    }
    xmlXPathContext *xp = xmlXPathNewContext(doc);
    xmlXPathObject *obj = xp ? xmlXPathEvalExpression((const xmlChar *)expr, xp) : NULL;
    int r = 0;
    if (!obj)
        r = vp_error_set(VP_ERR_INVALID_ARG, "invalid XPath expression '%s'", expr);
    else if (obj->type != XPATH_NODESET)
        r = vp_error_set(VP_ERR_INVALID_ARG,
                         "XPath expression '%s' gives a value, not nodes; select elements, "
                         "attributes or text",
                         expr);
    else
        *ret_texts = selected_texts(doc, obj->nodesetval, wrap, ret_n);
    xmlXPathFreeObject(obj);
    xmlXPathFreeContext(xp);
    xmlFreeDoc(doc);
    xmlSetStructuredErrorFunc(old_context, old_handler);
    return r;
}
