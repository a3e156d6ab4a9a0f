/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Copyright (C) 2026 The virtplug developers */
/*
 * model-parse.c: reading domain XML into the declared model.
 *
 * Owns the one generic walk from a libxml2 element to a vpi_mnode: every
 * attribute and child element must be declared (model-schema*.c), every
 * value must fit its declared type, a single element may not repeat;
 * anything else is an error that names it and its line. What is accepted
 * is stored, so the formatter writes it back: nothing is dropped. The only
 * content taken without a declaration is what libvirt itself keeps as
 * written: the inside of <metadata> and foreign-namespace elements of
 * <domain> (qemu:commandline). It must never print.
 */
#include <config.h>

#include <assert.h>
#include <stdlib.h>

#include <libxml/tree.h>

#include "internal.h"
#include "conf/model.h"
#include "conf/model-caps.h"

/* A size and its unit, stored in KiB with unit='KiB' as libvirt writes it. */
static int
normalise_kib(const vpi_xml *x, xmlNode *node, vpi_mnode *n)
{
    const char *value = n->text;
    uint64_t scale = 0, number = 0, bytes = 0;
    char what[64];
    snprintf(what, sizeof(what), "<%s>", (const char *)node->name);
    int r = vpi_xml_memory_scale(x, node, vpi_mnode_get(n, "unit"), &scale);
    if (r >= 0)
        r = vpi_xml_parse_u64(x, node, what, value, UINT64_MAX, &number);
    if (r < 0)
        return r;
    if (__builtin_mul_overflow(number, scale, &bytes))
        return vpi_xml_error(x, node, "invalid value '%s' for %s: the limit is 16 EiB", value,
                             what);
    char kib[24];
    snprintf(kib, sizeof(kib), "%llu", (unsigned long long)(bytes / 1024 + (bytes % 1024 != 0)));
    vpi_mnode_set_text(n, kib);
    if (vpi_melem_attr(n->decl, "unit") >= 0)
        vpi_mnode_set(n, "unit", "KiB");
    return 0;
}

/* An attribute's value against the driver's capabilities (@cap NULL:
 * unrestricted). A driver's own domain type stands in for the model's. */
static int
check_attr(const vpi_xml *x, xmlNode *node, const vpi_caps *caps, const vpi_capnode *cap,
           const vpi_melem *d, int i, const char *value)
{
    if (cap && cap->attr_open[i] && vpi_caps_has(cap->attr_vals[i], value))
        return 0;
    /* The 1.0 subset names what it runs first, not the model's wider list. */
    if (cap && caps->subset && (!cap->attr_ok[i] || !vpi_caps_has(cap->attr_vals[i], value)))
        return vpi_caps_refuse_attr(x, node, caps, cap, (size_t)i, value);
    if (!vpi_model_value_ok(&d->attrs[i].value, value)) {
        char what[96];
        snprintf(what, sizeof(what), "attribute '%s' of <%s>", d->attrs[i].name, d->name);
        int r = vpi_model_check_value(x, node, what, &d->attrs[i].value, value);
        if (r < 0)
            return r;
    }
    if (!cap)
        return 0;
    if (!cap->attr_ok[i] && !cap->all)
        return vpi_caps_refuse_attr(x, node, caps, cap, (size_t)i, value);
    if (cap->attr_ok[i] && !vpi_caps_has(cap->attr_vals[i], value))
        return vpi_caps_refuse_attr(x, node, caps, cap, (size_t)i, value);
    return 0;
}

/* The value of @a as xmlGetNoNsProp() gives it, in @arena: usually its
 * one text child, read in place. */
static char *
attr_value(vpi_arena *arena, xmlAttr *a)
{
    if (!a->children)
        return vpi_arena_strdup(arena, "");
    if (!a->children->next && a->children->type == XML_TEXT_NODE && a->children->content)
        return vpi_arena_strdup(arena, (const char *)a->children->content);
    xmlChar *v = xmlNodeListGetString(a->doc, a->children, 1);
    char *copy = vpi_arena_strdup(arena, v ? (const char *)v : "");
    xmlFree(v);
    return copy;
}

static int
parse_attrs(const vpi_xml *x, xmlNode *node, vpi_mnode *n, const vpi_caps *caps,
            const vpi_capnode *cap)
{
    const vpi_melem *d = n->decl;
    for (xmlAttr *a = node->properties; a; a = a->next) {
        int i = a->ns ? -1 : vpi_melem_attr(d, (const char *)a->name);
        if (i < 0 && a->ns && a->ns->prefix)
            return vpi_xml_error(x, node, "unknown attribute '%s:%s' on <%s>",
                                 (const char *)a->ns->prefix, (const char *)a->name, d->name);
        if (i < 0)
            return vpi_xml_error(x, node, "unknown attribute '%s' on <%s>", (const char *)a->name,
                                 d->name);
        n->vals[i] = attr_value(n->arena, a);
        int r = check_attr(x, node, caps, cap, d, i, n->vals[i]);
        if (r < 0)
            return r;
        if (vpi_model_value_normalised(&d->attrs[i].value))
            n->vals[i] = vpi_model_value_canonical(n->arena, &d->attrs[i].value, n->vals[i]);
    }
    for (size_t i = 0; i < d->n_attrs; i++)
        if (d->attrs[i].required && !n->vals[i])
            return vpi_xml_error(x, node, "<%s> needs the attribute '%s'", d->name,
                                 d->attrs[i].name);
    return 0;
}

/* The element children of @node (or @node itself) as written, separated
 * by VPI_MODEL_VERBATIM_SEP, a byte XML text can never hold. */
static char *
dump_verbatim(vpi_arena *arena, xmlNode *node, bool self)
{
    xmlBuffer *xb = xmlBufferCreate();
    if (!xb)
        vp_plugin_oom_check_(NULL);
    for (xmlNode *k = self ? node : node->children; k; k = self ? NULL : k->next) {
        if (k->type != XML_ELEMENT_NODE)
            continue;
        if (xmlBufferLength(xb))
            xmlBufferAdd(xb, (const xmlChar *)VPI_MODEL_VERBATIM_SEP, 1);
        xmlNodeDump(xb, node->doc, k, 0, 0);
    }
    char *s = vpi_arena_strdup(arena, (const char *)xmlBufferContent(xb));
    xmlBufferFree(xb);
    return s;
}

/* What one parse shares: the driver's capabilities (NULL: none), and
 * the arena of the model. */
typedef struct parse_ctx {
    const vpi_xml *x;
    const vpi_caps *caps;
    vpi_arena *arena;
} parse_ctx;

static int parse_elem(const parse_ctx *c, xmlNode *node, const vpi_melem *d, unsigned order,
                      bool root, const vpi_capnode *cap, vpi_mnode **ret);

/* A foreign element of <domain>: kept as written if it is in the
 * driver's namespace (any namespace without capabilities). */
static bool
ns_supported(const vpi_caps *caps, const vpi_capnode *cap, const xmlNode *k)
{
    if (!caps || (cap && cap->all && !caps->ns))
        return true;
    return caps->ns && k->ns->href && strcmp(caps->ns, (const char *)k->ns->href) == 0;
}

static int
parse_kid(const parse_ctx *c, xmlNode *k, vpi_mnode *n, uint64_t *seen, bool root,
          const vpi_capnode *cap)
{
    const vpi_xml *x = c->x;
    const vpi_melem *d = n->decl;
    if (k->ns && root) {
        if (!ns_supported(c->caps, cap, k))
            return vpi_caps_refuse_ns(x, k, c->caps);
        vpi_mnode *raw = vpi_mnode_new(n->arena, NULL, (unsigned)d->n_kids);
        raw->text = dump_verbatim(n->arena, k, true);
        raw->ns = vpi_arena_strdup(n->arena, k->ns->href ? (const char *)k->ns->href : "");
        vpi_mnode_insert(n, raw);
        return 0;
    }
    unsigned i = 0;
    const vpi_melem *kd = k->ns ? NULL : vpi_melem_kid(d, (const char *)k->name, &i);
    if (!kd && k->ns && k->ns->prefix)
        return vpi_xml_error(x, k, "unknown element <%s:%s> in <%s>", (const char *)k->ns->prefix,
                             (const char *)k->name, d->name);
    if (!kd)
        return vpi_xml_error(x, k, "unknown element <%s> in <%s>", (const char *)k->name, d->name);
    if (!kd->multiple && (seen[i / 64] & (1ull << (i % 64))))
        return vpi_xml_error(x, k, "element <%s> appears more than once in <%s>", kd->name,
                             d->name);
    seen[i / 64] |= 1ull << (i % 64);
    bool ok = true;
    const vpi_capnode *kcap = vpi_caps_kid(cap, i, &ok);
    if (!ok)
        return vpi_caps_refuse_kid(x, k, c->caps, cap);
    vpi_mnode *kid = NULL;
    int r = parse_elem(c, k, kd, i, false, kcap, &kid);
    if (r < 0)
        return r;
    vpi_mnode_insert(n, kid);
    return 0;
}

static int
parse_content(const parse_ctx *c, xmlNode *node, vpi_mnode *n, bool root, const vpi_capnode *cap)
{
    const vpi_xml *x = c->x;
    const vpi_melem *d = n->decl;
    uint64_t seen[4] = {0};
    size_t n_elems = 0;
    for (xmlNode *k = node->children; k; k = k->next)
        n_elems += k->type == XML_ELEMENT_NODE;
    vpi_mnode_reserve(n, n_elems);
    /* Text in one piece (the usual case) is copied once, from libxml2's node. */
    const char *text1 = NULL;
    vpi_buf text = {0};
    int r = 0;
    for (xmlNode *k = node->children; k && r >= 0; k = k->next) {
        if (k->type == XML_ELEMENT_NODE) {
            r = parse_kid(c, k, n, seen, root, cap);
        } else if (d->has_text && (k->type == XML_TEXT_NODE || k->type == XML_CDATA_SECTION_NODE)) {
            const char *t = k->content ? (const char *)k->content : "";
            if (!text1 && !text.data) {
                text1 = t;
                continue;
            }
            if (text1)
                vpi_buf_add(&text, text1);
            text1 = NULL;
            vpi_buf_add(&text, t);
        } else {
            r = vpi_xml_check_other(x, node, k);
        }
    }
    if (r >= 0 && d->has_text)
        n->text = vpi_arena_strdup(n->arena, text.data ? text.data : text1 ? text1 : "");
    free(text.data);
    return r;
}

/* The text of @n against the model, then against the driver. */
static int
check_text(const parse_ctx *c, xmlNode *node, const vpi_mnode *n, const vpi_capnode *cap)
{
    const vpi_melem *d = n->decl;
    if (cap && cap->open_text && vpi_caps_has(cap->text, n->text))
        return 0;
    if (cap && c->caps->subset && !vpi_caps_has(cap->text, n->text))
        return vpi_caps_refuse_text(c->x, node, c->caps, cap, n->text);
    int r = 0;
    if (!vpi_model_value_ok(&d->text, n->text)) {
        char what[64];
        snprintf(what, sizeof(what), "<%s>", d->name);
        r = vpi_model_check_value(c->x, node, what, &d->text, n->text);
    }
    if (r >= 0 && cap && !vpi_caps_has(cap->text, n->text))
        return vpi_caps_refuse_text(c->x, node, c->caps, cap, n->text);
    return r;
}

static int
parse_elem(const parse_ctx *c, xmlNode *node, const vpi_melem *d, unsigned order, bool root,
           const vpi_capnode *cap, vpi_mnode **ret)
{
    const vpi_xml *x = c->x;
    vpi_mnode *n = vpi_mnode_new(c->arena, d, order);
    n->line = (unsigned)xmlGetLineNo(node);
    assert(d->n_kids <= 256); /* the bits of parse_content's seen[] */
    int r = parse_attrs(x, node, n, c->caps, cap);
    if (r >= 0 && d->verbatim)
        n->text = dump_verbatim(n->arena, node, false);
    else if (r >= 0)
        r = parse_content(c, node, n, root, cap);
    if (r >= 0 && d->has_text) {
        r = check_text(c, node, n, cap);
        if (r >= 0 && d->text.type == VPI_V_KIB)
            r = normalise_kib(x, node, n);
        else if (r >= 0 && vpi_model_value_normalised(&d->text))
            n->text = vpi_model_value_canonical(n->arena, &d->text, n->text);
    }
    if (r < 0)
        return r;
    *ret = n;
    return 0;
}

/* The namespaces declared on <domain>, written back on it so that the
 * foreign elements kept verbatim still parse. */
static int
root_namespaces(const vpi_xml *x, xmlNode *node, vpi_domain_model *m)
{
    vpi_buf b = {0};
    if (node->ns)
        return vpi_xml_error(x, node, "<domain> cannot be in a namespace; remove its xmlns");
    for (xmlNs *ns = node->nsDef; ns; ns = ns->next) {
        if (!ns->prefix)
            continue;
        char name[128];
        snprintf(name, sizeof(name), "xmlns:%s", (const char *)ns->prefix);
        vpi_buf_attr(&b, name, (const char *)ns->href);
    }
    m->xmlns = vpi_arena_strdup(m->arena, b.data);
    free(b.data);
    return 0;
}

/* A model takes 4 to 5 times the bytes of its XML: @xml_len sizes its
 * arena's first block so that one usually suffices (0: unknown). */
static int
parse_root(const vpi_xml *x, xmlNode *node, const vpi_caps *caps, size_t xml_len,
           vpi_domain_model **ret_model)
{
    vpi_domain_model *m = vpi_model_new(xml_len ? 6 * xml_len : 16384);
    const parse_ctx c = {
        .x = x, .caps = caps && !caps->everything ? caps : NULL, .arena = m->arena};
    int r = root_namespaces(x, node, m);
    if (r >= 0)
        r = parse_elem(&c, node, vpi_model_schema(), 0, true, c.caps ? c.caps->root : NULL,
                       &m->root);
    if (r < 0) {
        vpi_model_free(m);
        return r;
    }
    *ret_model = m;
    return 0;
}

int
vpi_model_parse(const char *xml, unsigned int flags, const vpi_caps *caps, vp_domain_def **ret_def,
                vpi_domain_model **ret_model)
{
    static const vpi_xml x = {.what = "domain XML"};
    vp_return_if_fail(xml, "xml");
    vp_return_if_fail(ret_def, "ret_def");
    vp_return_if_fail(ret_model, "ret_model");
    if (flags)
        return vp_error_set(VP_ERR_INVALID_ARG, "unsupported flags 0x%x for parsing domain XML",
                            flags);
    xmlDoc *doc = NULL;
    int r = vpi_xml_read(&x, xml, "domain", &doc);
    if (r < 0)
        return r;
    xmlNode *root = xmlDocGetRootElement(doc);
    vpi_domain_model *m = NULL;
    _cleanup_(vp_plugin_domain_def_freep) vp_domain_def *def = vp_new0(vp_domain_def, 1);
    r = parse_root(&x, root, caps, strlen(xml), &m);
    if (r >= 0 && caps && caps->subset)
        r = vpi_domain_subset_check(&x, m);
    if (r >= 0)
        r = vpi_model_rules(&x, root, m);
    if (r >= 0)
        vpi_domain_def_from_model(m, def);
    xmlFreeDoc(doc);
    if (r < 0) {
        vpi_model_free(m);
        return r;
    }
    *ret_def = VP_STEAL_PTR(def);
    *ret_model = m;
    return 0;
}
