/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Copyright (C) 2026 The virtplug developers */
/*
 * xml-edit.c: one change to a <domain> document (part of virtplug-xml.so).
 *
 * Owns vpi_xml_set, the edit behind vp_plugin_domain_xml_set(): set or
 * remove the text of an element or an attribute named by a short path
 * ("currentMemory", "vcpu/@current", "title"), creating the elements of
 * the path that are missing. It only edits the tree: whoever edits reads
 * the result back through the model's parser, which checks it and puts
 * new elements in libvirt's order. It never reads a file.
 */
#include <config.h>

#include <libxml/tree.h>

#include "internal.h"
#include "conf/xml-module.h"
#include "conf/xml-util.h"

/* The first child element of @parent named @name (@len bytes), or NULL. */
static xmlNode *
kid_named(xmlNode *parent, const char *name, size_t len)
{
    for (xmlNode *n = parent->children; n; n = n->next) {
        if (n->type == XML_ELEMENT_NODE && strlen((const char *)n->name) == len &&
            strncmp((const char *)n->name, name, len) == 0)
            return n;
    }
    return NULL;
}

/* Walk @path's element steps from @root; create the missing ones when
 * @create. *@ret_last: the last step ("@attr" or an element name). */
static xmlNode *
walk(xmlNode *root, const char *path, bool create, const char **ret_last)
{
    xmlNode *node = root;
    const char *step = path;
    for (const char *slash; (slash = strchr(step, '/')) != NULL; step = slash + 1) {
        xmlNode *kid = kid_named(node, step, (size_t)(slash - step));
        if (!kid && !create)
            return NULL;
        if (!kid) {
            _cleanup_free_ char *name = vp_strndup(step, (size_t)(slash - step));
            kid = xmlNewChild(node, NULL, BAD_CAST name, NULL);
        }
        node = kid;
    }
    *ret_last = step;
    return node;
}

static void
set_last(xmlNode *node, const char *last, const char *value)
{
    if (last[0] == '@') {
        if (value)
            xmlSetProp(node, BAD_CAST(last + 1), BAD_CAST value);
        else
            xmlUnsetProp(node, BAD_CAST(last + 1));
        return;
    }
    xmlNode *kid = kid_named(node, last, strlen(last));
    if (!value) {
        if (kid) {
            xmlUnlinkNode(kid);
            xmlFreeNode(kid);
        }
        return;
    }
    if (!kid)
        kid = xmlNewChild(node, NULL, BAD_CAST last, NULL);
    xmlNodeSetContent(kid, NULL);
    xmlNodeAddContent(kid, BAD_CAST value); /* escapes what it adds */
}

static bool
path_valid(const char *path)
{
    if (!*path || path[0] == '/' || path[strlen(path) - 1] == '/' || strstr(path, "//"))
        return false;
    const char *at = strchr(path, '@');
    return !at || ((at == path || at[-1] == '/') && !strchr(at, '/'));
}

int
vpi_xml_set(const char *xml, const char *path, const char *value, char **ret_xml)
{
    if (!path_valid(path))
        return vp_error_set(VP_ERR_INVALID_ARG,
                            "'%s' is not a path in a domain: use steps such as 'vcpu/@current'",
                            path);
    vpi_xml x = {.what = "domain XML"};
    xmlDoc *doc = NULL;
    int r = vpi_xml_read(&x, xml, "domain", &doc);
    if (r < 0)
        return r;
    const char *last;
    xmlNode *node = walk(xmlDocGetRootElement(doc), path, value != NULL, &last);
    if (node)
        set_last(node, last, value);
    xmlChar *out = NULL;
    int len = 0;
    xmlDocDumpMemory(doc, &out, &len);
    xmlFreeDoc(doc);
    if (!out)
        return vp_error_set(VP_ERR_XML, "cannot write the domain XML after setting '%s'", path);
    *ret_xml = vp_strdup((const char *)out);
    xmlFree(out);
    return 0;
}
