/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Copyright (C) 2026 The virtplug developers */
/*
 * xml-util.c: the safe XML reader and the strict walking helpers that the
 * domain and snapshot parsers share, and the escaping output buffer their
 * formatters write into.
 *
 * Part of the XML module. Owns every libxml2 parser call: the options
 * that keep parsing offline and free of entity expansion, the limit on
 * nesting (VPI_XML_MAX_DEPTH, checked here so that libxml2's own limit and
 * its hint about an option of its API never reach a user), the capture of
 * libxml2's errors (libxml2 must never print on its own), and the error
 * texts for unknown elements and attributes. It must never accept an element or
 * attribute that no table names, and never print.
 */
#include <config.h>

#include <assert.h>
#include <ctype.h>
#include <limits.h>
#include <strings.h>
#include <stdarg.h>

#include <libxml/parser.h>
#include <libxml/parserInternals.h>
#include <libxml/SAX2.h>
#include <libxml/xmlerror.h>

#include "internal.h"
#include "conf/xml-util.h"

/* The parse in progress on this thread: libxml2's error callbacks have no
 * room for our own pointer, so the capture state is thread-specific. A
 * pthread key, not __thread: this module is loaded at run time, and its
 * dynamic TLS confused the thread walk of LeakSanitizer at exit. */
typedef struct read_state {
    char *message;
    long line;
    bool doctype;
    int depth;     /* of the element being read; the root is 1 */
    bool too_deep; /* VPI_XML_MAX_DEPTH was passed at line */
} read_state;

static pthread_key_t current_read_key;
static pthread_once_t xml_init_once = PTHREAD_ONCE_INIT;

static void
xml_init(void)
{
    xmlInitParser();
    if (pthread_key_create(&current_read_key, NULL) != 0)
        abort();
}

static read_state *
current_read(void)
{
    return pthread_getspecific(current_read_key);
}

static void
read_error(void *data, xmlError *err)
{
    read_state *st = current_read();
    if (!st || st->message || !err || err->level < XML_ERR_ERROR)
        return;
    const char *msg = err->message ? err->message : "unknown error";
    size_t n = strlen(msg);
    while (n > 0 && (msg[n - 1] == '\n' || msg[n - 1] == ' '))
        n--;
    st->message = vp_strndup(msg, n);
    st->line = err->line;
}

/* A DOCTYPE could declare entities (expansion bombs, external files): the
 * subset never uses one, so the parse stops at the first sign of it. */
static void
read_internal_subset(void *data, const xmlChar *name, const xmlChar *ext_id, const xmlChar *sys_id)
{
    xmlParserCtxt *ctxt = data;
    read_state *st = current_read();
    if (st && !st->doctype) {
        st->doctype = true;
        st->line = ctxt->input ? ctxt->input->line : 0;
    }
    xmlStopParser(ctxt);
}

/* The subset nests a few levels; libxml2's own limit is far deeper and
 * its message names an option of its API. Counting here keeps the limit
 * and its message ours, whatever libxml2's version. */
static void
read_start_element(void *data, const xmlChar *name, const xmlChar *prefix, const xmlChar *uri,
                   int n_namespaces, const xmlChar **namespaces, int n_attributes, int n_defaulted,
                   const xmlChar **attributes)
{
    xmlParserCtxt *ctxt = data;
    read_state *st = current_read();
    if (st && ++st->depth > VPI_XML_MAX_DEPTH) {
        if (!st->too_deep) {
            st->too_deep = true;
            st->line = ctxt->input ? ctxt->input->line : 0;
        }
        xmlStopParser(ctxt);
        return;
    }
    xmlSAX2StartElementNs(data, name, prefix, uri, n_namespaces, namespaces, n_attributes,
                          n_defaulted, attributes);
}

static void
read_end_element(void *data, const xmlChar *name, const xmlChar *prefix, const xmlChar *uri)
{
    read_state *st = current_read();
    if (st)
        st->depth--;
    xmlSAX2EndElementNs(data, name, prefix, uri);
}

/* An element's name as a message shows it: "qemu:commandline", or
 * "{urn:x}name" for a default namespace the subset does not use. */
static const char *
node_name(const xmlNode *n, char *buf, size_t size)
{
    if (n->ns && n->ns->prefix)
        snprintf(buf, size, "%s:%s", (const char *)n->ns->prefix, (const char *)n->name);
    else if (n->ns)
        snprintf(buf, size, "{%s}%s", n->ns->href ? (const char *)n->ns->href : "",
                 (const char *)n->name);
    else
        return (const char *)n->name;
    return buf;
}

static int
read_check_root(const vpi_xml *x, xmlDoc *doc, const char *root)
{
    xmlNode *top = xmlDocGetRootElement(doc);
    if (!top)
        return vp_error_set(VP_ERR_XML, "%s: the document has no root element", x->what);
    char buf[256];
    if (top->ns || strcmp((const char *)top->name, root) != 0)
        return vpi_xml_error(x, top, "expected the root element <%s>, found <%s>", root,
                             node_name(top, buf, sizeof(buf)));
    return 0;
}

int
vpi_xml_read(const vpi_xml *x, const char *xml, const char *root, xmlDoc **ret_doc)
{
    if (!xml)
        return vp_error_set(VP_ERR_INVALID_ARG, "invalid argument: %s", "xml");
    size_t len = strlen(xml);
    if (len > INT_MAX)
        return vp_error_set(VP_ERR_XML, "%s is too large (%zu bytes)", x->what, len);
    pthread_once(&xml_init_once, xml_init);

    read_state st = {0};
    xmlStructuredErrorFunc old_handler = xmlStructuredError;
    void *old_context = xmlStructuredErrorContext;
    xmlParserCtxt *ctxt = xmlNewParserCtxt();
    if (!ctxt)
        abort();
    ctxt->sax->internalSubset = read_internal_subset;
    ctxt->sax->serror = read_error;
    ctxt->sax->startElementNs = read_start_element;
    ctxt->sax->endElementNs = read_end_element;
    pthread_setspecific(current_read_key, &st);
    /* Errors libxml2 raises without a parser context go to the thread's
     * global handler: route them to us too, and restore the caller's. */
    xmlSetStructuredErrorFunc(NULL, read_error);
    /* XML_PARSE_COMPACT keeps short text (most attribute values) inside
     * its node: fewer allocations, the same tree for every reader. */
    xmlDoc *doc = xmlCtxtReadMemory(ctxt, xml, (int)len, NULL, NULL,
                                    XML_PARSE_NONET | XML_PARSE_NOCDATA | XML_PARSE_BIG_LINES |
                                        XML_PARSE_COMPACT);
    xmlSetStructuredErrorFunc(old_context, old_handler);
    pthread_setspecific(current_read_key, NULL);
    xmlFreeParserCtxt(ctxt);

    int r = 0;
    if (st.doctype)
        r = vp_error_set(VP_ERR_XML, "%s line %ld: a DOCTYPE is not allowed; remove it", x->what,
                         st.line);
    else if (st.too_deep)
        r = vp_error_set(
            VP_ERR_XML,
            "%s line %ld: the document nests elements deeper than the limit of %d levels", x->what,
            st.line, VPI_XML_MAX_DEPTH);
    else if (!doc || st.message)
        r = vp_error_set(VP_ERR_XML, "%s line %ld: malformed XML: %s", x->what, st.line,
                         st.message ? st.message : "cannot parse the document");
    else
        r = read_check_root(x, doc, root);
    free(st.message);
    if (r < 0) {
        xmlFreeDoc(doc);
        return r;
    }
    *ret_doc = doc;
    return 0;
}

static int
verror_at(const vpi_xml *x, long line, const char *fmt, va_list ap)
{
    _cleanup_free_ char *msg = vp_vasprintf(fmt, ap);
    return vp_error_set(VP_ERR_XML, "%s line %ld: %s", x->what, line, msg);
}

int
vpi_xml_error(const vpi_xml *x, const xmlNode *node, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int r = verror_at(x, xmlGetLineNo(node), fmt, ap);
    va_end(ap);
    return r;
}

int
vpi_xml_error_at(const vpi_xml *x, long line, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int r = verror_at(x, line, fmt, ap);
    va_end(ap);
    return r;
}

static bool
is_blank(const xmlChar *s)
{
    for (; s && *s; s++)
        if (*s != ' ' && *s != '\t' && *s != '\n' && *s != '\r')
            return false;
    return true;
}

/* A short, still valid UTF-8 quote of stray text for a message. */
static char *
excerpt(const xmlChar *s)
{
    while (*s == ' ' || *s == '\t' || *s == '\n' || *s == '\r')
        s++;
    size_t n = 0;
    while (s[n] && s[n] != '\n' && s[n] != '\r' && n < 40)
        n++;
    while (s[n] && n > 0 && (s[n] & 0xC0) == 0x80)
        n--;
    size_t shown = n;
    while (shown > 0 && (s[shown - 1] == ' ' || s[shown - 1] == '\t'))
        shown--;
    return vp_asprintf("%.*s%s", (int)shown, (const char *)s, is_blank(s + n) ? "" : "...");
}

/* libxml2 gives a text node the line where the parser stood after reading
 * it (the first chunk of it, for long text): count back to the line of its
 * first non-blank character. */
static long
text_line(const xmlNode *n)
{
    long line = xmlGetLineNo(n);
    const xmlChar *s = n->content;
    while (*s == ' ' || *s == '\t' || *s == '\n' || *s == '\r')
        s++;
    size_t len = strlen((const char *)s);
    if (len >= 300)
        return line;
    for (; *s; s++)
        line -= *s == '\n';
    return line < 1 ? 1 : line;
}

static int
walk_other(const vpi_xml *x, xmlNode *parent, xmlNode *n)
{
    if (n->type == XML_TEXT_NODE || n->type == XML_CDATA_SECTION_NODE) {
        if (is_blank(n->content))
            return 0;
        _cleanup_free_ char *text = excerpt(n->content);
        return vp_error_set(VP_ERR_XML, "%s line %ld: unexpected text '%s' in <%s>", x->what,
                            text_line(n), text, (const char *)parent->name);
    }
    if (n->type == XML_COMMENT_NODE || n->type == XML_PI_NODE)
        return 0;
    return vpi_xml_error(x, n, "unexpected content in <%s>", (const char *)parent->name);
}

int
vpi_xml_check_other(const vpi_xml *x, xmlNode *parent, xmlNode *n)
{
    return walk_other(x, parent, n);
}

int
vpi_xml_walk(const vpi_xml *x, xmlNode *parent, const vpi_xml_child *table, void *data)
{
    uint32_t seen = 0;
    for (xmlNode *n = parent->children; n; n = n->next) {
        if (n->type != XML_ELEMENT_NODE) {
            int r = walk_other(x, parent, n);
            if (r < 0)
                return r;
            continue;
        }
        size_t i = 0;
        while (table[i].name && (n->ns || strcmp(table[i].name, (const char *)n->name) != 0))
            i++;
        char buf[256];
        if (!table[i].name)
            return vpi_xml_error(x, n, "unknown element <%s> in <%s>",
                                 node_name(n, buf, sizeof(buf)), (const char *)parent->name);
        assert(i < 32);
        if ((seen & (1u << i)) && !table[i].multiple)
            return vpi_xml_error(x, n, "element <%s> appears more than once in <%s>", table[i].name,
                                 (const char *)parent->name);
        seen |= 1u << i;
        int r = table[i].fn ? table[i].fn(x, n, data) : 0;
        if (r < 0)
            return r;
    }
    return 0;
}

int
vpi_xml_check_attrs(const vpi_xml *x, xmlNode *node, const char *const *allowed)
{
    for (xmlAttr *a = node->properties; a; a = a->next) {
        size_t i = 0;
        while (allowed && allowed[i] && (a->ns || strcmp(allowed[i], (const char *)a->name) != 0))
            i++;
        if (allowed && allowed[i])
            continue;
        if (a->ns && a->ns->prefix)
            return vpi_xml_error(x, node, "unknown attribute '%s:%s' on <%s>",
                                 (const char *)a->ns->prefix, (const char *)a->name,
                                 (const char *)node->name);
        return vpi_xml_error(x, node, "unknown attribute '%s' on <%s>", (const char *)a->name,
                             (const char *)node->name);
    }
    return 0;
}

int
vpi_xml_check_empty(const vpi_xml *x, xmlNode *node)
{
    static const vpi_xml_child none[] = {{NULL, NULL, false}};
    return vpi_xml_walk(x, node, none, NULL);
}

char *
vpi_xml_attr(xmlNode *node, const char *name)
{
    xmlChar *v = xmlGetNoNsProp(node, (const xmlChar *)name);
    if (!v)
        return NULL;
    char *copy = vp_strdup((const char *)v);
    xmlFree(v);
    return copy;
}

int
vpi_xml_attr_required(const vpi_xml *x, xmlNode *node, const char *name, char **ret_value)
{
    char *v = vpi_xml_attr(node, name);
    if (!v)
        return vpi_xml_error(x, node, "<%s> needs the attribute '%s'", (const char *)node->name,
                             name);
    *ret_value = v;
    return 0;
}

int
vpi_xml_text(const vpi_xml *x, xmlNode *node, char **ret_text)
{
    vpi_buf b = {0};
    for (xmlNode *n = node->children; n; n = n->next) {
        if (n->type == XML_TEXT_NODE || n->type == XML_CDATA_SECTION_NODE) {
            vpi_buf_add(&b, (const char *)n->content);
        } else if (n->type != XML_COMMENT_NODE && n->type != XML_PI_NODE) {
            free(b.data);
            char buf[256];
            if (n->type == XML_ELEMENT_NODE)
                return vpi_xml_error(x, n, "unknown element <%s> in <%s>",
                                     node_name(n, buf, sizeof(buf)), (const char *)node->name);
            return vpi_xml_error(x, n, "unexpected content in <%s>", (const char *)node->name);
        }
    }
    *ret_text = b.data ? b.data : vp_strdup("");
    return 0;
}

int
vpi_xml_enum(const vpi_xml *x, xmlNode *node, const char *what, const char *value,
             const char *const *choices)
{
    size_t n = 0;
    for (; choices[n]; n++)
        if (strcmp(choices[n], value) == 0)
            return (int)n;
    vpi_buf list = {0};
    for (size_t i = 0; i < n; i++)
        vpi_buf_printf(&list, "%s'%s'", i == 0 ? "" : i + 1 == n ? " or " : ", ", choices[i]);
    int r =
        vpi_xml_error(x, node, "invalid value '%s' for %s: expected %s", value, what, list.data);
    free(list.data);
    return r;
}

int
vpi_xml_parse_u64(const vpi_xml *x, xmlNode *node, const char *what, const char *value,
                  uint64_t max, uint64_t *ret_value)
{
    return vpi_xml_parse_u64_at(x, xmlGetLineNo(node), what, value, max, ret_value);
}

int
vpi_xml_parse_u64_at(const vpi_xml *x, long line, const char *what, const char *value, uint64_t max,
                     uint64_t *ret_value)
{
    const char *p = value;
    while (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r')
        p++;
    uint64_t v = 0;
    bool digits = false, overflow = false;
    for (; *p >= '0' && *p <= '9'; p++) {
        digits = true;
        unsigned d = (unsigned)(*p - '0');
        if (v > (UINT64_MAX - d) / 10)
            overflow = true;
        else
            v = v * 10 + d;
    }
    while (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r')
        p++;
    if (!digits || *p)
        return vpi_xml_error_at(x, line, "invalid value '%s' for %s: expected a number", value,
                                what);
    if (overflow || v > max)
        return vpi_xml_error_at(x, line, "invalid value '%s' for %s: the largest allowed is %llu",
                                value, what, (unsigned long long)max);
    *ret_value = v;
    return 0;
}

static bool
has_control_char(const char *s)
{
    for (; *s; s++)
        if ((unsigned char)*s < 0x20 || *s == 0x7f)
            return true;
    return false;
}

int
vpi_xml_check_path(const vpi_xml *x, xmlNode *node, const char *what, const char *value)
{
    return vpi_xml_check_path_at(x, xmlGetLineNo(node), what, value);
}

int
vpi_xml_check_path_at(const vpi_xml *x, long line, const char *what, const char *value)
{
    if (value[0] != '/')
        return vpi_xml_error_at(x, line, "invalid value '%s' for %s: expected an absolute path",
                                value, what);
    if (has_control_char(value))
        return vpi_xml_error_at(
            x, line, "invalid value '%s' for %s: control characters are not allowed", value, what);
    return 0;
}

int
vpi_xml_check_name(const vpi_xml *x, xmlNode *node, const char *kind, const char *value)
{
    return vpi_xml_check_name_at(x, xmlGetLineNo(node), kind, value);
}

int
vpi_xml_check_name_at(const vpi_xml *x, long line, const char *kind, const char *value)
{
    /* Every refusal states the whole rule, so one correction is enough. */
    bool bad_char = strchr(value, '/') || has_control_char(value);
    if (!*value)
        return vpi_xml_error_at(
            x, line,
            "the %s name is empty: a %s name cannot be empty, '.' or '..', or contain '/' or control characters",
            kind, kind);
    if (bad_char || strcmp(value, ".") == 0 || strcmp(value, "..") == 0)
        return vpi_xml_error_at(
            x, line,
            "invalid %s name '%s': a %s name cannot be empty, '.' or '..', or contain '/' or control characters",
            kind, value, kind);
    return 0;
}

/* libvirt's unit suffixes: b/byte/bytes, then k, m, g, t, p, e alone or
 * with "iB" (powers of 1024) or with "B" (powers of 1000), any case. */
int
vpi_xml_memory_scale(const vpi_xml *x, xmlNode *node, const char *unit, uint64_t *ret_scale)
{
    if (!unit) {
        *ret_scale = 1024;
        return 0;
    }
    if (strcasecmp(unit, "b") == 0 || strcasecmp(unit, "byte") == 0 ||
        strcasecmp(unit, "bytes") == 0) {
        *ret_scale = 1;
        return 0;
    }
    static const char prefixes[] = "kmgtpe";
    const char *pos = unit[0] ? strchr(prefixes, tolower((unsigned char)unit[0])) : NULL;
    uint64_t base = 0;
    if (pos && (unit[1] == '\0' || strcasecmp(unit + 1, "ib") == 0))
        base = 1024;
    else if (pos && tolower((unsigned char)unit[1]) == 'b' && unit[2] == '\0')
        base = 1000;
    if (!base)
        return vpi_xml_error(
            x, node,
            "invalid value '%s' for attribute 'unit' of <%s>: expected b, bytes, KB, k, KiB, MB, M, MiB, GB, G, GiB, TB, T, TiB, PB, P, PiB, EB, E or EiB",
            unit, (const char *)node->name);
    uint64_t scale = 1;
    for (const char *p = prefixes; p <= pos; p++)
        scale *= base;
    *ret_scale = scale;
    return 0;
}
