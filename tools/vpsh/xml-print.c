/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Copyright (C) 2026 The virtplug developers */
/*
 * xml-print.c: how the dumpxml verbs (dumpxml, save-image-dumpxml,
 * managedsave-dumpxml) print an XML document, with virsh's --xpath and
 * --wrap.
 *
 * Owns the XPath filter: the document is parsed with libxml2 without its
 * blank text (as virsh, so each selected node is printed re-indented),
 * never touching the network; every node the expression selects is
 * printed on its own line, or all of them inside one <nodes> element with
 * --wrap. An expression that is not valid, or that gives a number, a
 * string or a boolean instead of nodes, is an error naming it (virsh
 * prints nothing and succeeds for an invalid one).
 */
#include <config.h>

#include <stdio.h>
#include <string.h>

#include <libxml/parser.h>
#include <libxml/tree.h>
#include <libxml/xmlerror.h>
#include <libxml/xpath.h>

#include "vpsh.h"

static void
quiet(void *userdata, xmlError *error)
{
    (void)userdata;
    (void)error;
}

/* @node as libxml2 formats it (virsh's virXMLNodeToString); NULL when it
 * cannot. (transfer full) free(). */
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
 * of them; *@ret_n of them. (transfer full) free each and the array. */
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

/* Evaluate @expr on @xml: the printed texts of what it selects. */
static int
evaluate(const char *xml, const char *expr, bool wrap, char ***ret_texts, size_t *ret_n)
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
        return vpsh_failc(VP_ERR_XML, "cannot parse the XML to select '%s' from", expr);
    }
    xmlXPathContext *xp = xmlXPathNewContext(doc);
    xmlXPathObject *obj = xp ? xmlXPathEvalExpression((const xmlChar *)expr, xp) : NULL;
    int status = VPSH_EXIT_OK;
    if (!obj)
        status = vpsh_failc(VP_ERR_INVALID_ARG, "invalid XPath expression '%s'", expr);
    else if (obj->type != XPATH_NODESET)
        status = vpsh_failc(VP_ERR_INVALID_ARG,
                            "XPath expression '%s' gives a value, not nodes; select elements, "
                            "attributes or text",
                            expr);
    else
        *ret_texts = selected_texts(doc, obj->nodesetval, wrap, ret_n);
    xmlXPathFreeObject(obj);
    xmlXPathFreeContext(xp);
    xmlFreeDoc(doc);
    xmlSetStructuredErrorFunc(old_context, old_handler);
    return status;
}

int
vpsh_print_xml(vpsh_ctx *ctx, const vpsh_args *a, const char *key, const char *value,
               const char *xml)
{
    const char *expr = vpsh_opt_value(a, "xpath");
    char **texts = NULL;
    size_t n = 0;
    if (expr) {
        int status = evaluate(xml, expr, vpsh_flag(a, "wrap"), &texts, &n);
        if (status != VPSH_EXIT_OK)
            return status;
    }
    if (ctx->json) {
        vpsh_json_begin_object(ctx->js, NULL);
        vpsh_json_string(ctx->js, key, value);
        if (expr) {
            vpsh_json_string(ctx->js, "xpath", expr);
            vpsh_json_begin_array(ctx->js, "nodes");
            for (size_t i = 0; i < n; i++)
                vpsh_json_string(ctx->js, NULL, texts[i]);
            vpsh_json_end_array(ctx->js);
        } else {
            vpsh_json_string(ctx->js, "xml", xml);
        }
        vpsh_json_end_object(ctx->js);
    } else if (expr) {
        for (size_t i = 0; i < n; i++)
            if (texts[i])
                printf("%s\n", texts[i]);
    } else {
        size_t len = strlen(xml);
        fputs(xml, stdout);
        if (len == 0 || xml[len - 1] != '\n')
            putchar('\n');
    }
    for (size_t i = 0; i < n; i++)
        free(texts[i]);
    free(texts);
    return VPSH_EXIT_OK;
}
