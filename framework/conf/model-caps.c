/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Copyright (C) 2026 The virtplug developers */
/*
 * model-caps.c: compiling a driver's capability table, and its refusals.
 *
 * Owns the meaning of a vp_plugin_domain_cap path ("devices/disk/target/
 * @bus", "on_crash", "devices/sound/ *", "*") over the declared model and
 * the one shape of every refusal: "driver 'qemu' does not support <sound
 * model='ich9'>; it supports: ich6, ac97, usb". The checks themselves run
 * in the parser (model-parse.c), so no driver writes one. A table that
 * names what the model lacks is the plugin's mistake, reported as such;
 * it must never abort on a plugin's table.
 */
#include <config.h>

#include <stdlib.h>

#include "internal.h"
#include "conf/model-caps.h"

static vpi_capnode *
capnode_new(const vpi_melem *decl)
{
    vpi_capnode *c = vp_new0(vpi_capnode, 1);
    c->decl = decl;
    c->attr_ok = vp_new0(bool, decl->n_attrs + 1);
    c->attr_open = vp_new0(bool, decl->n_attrs + 1);
    c->attr_vals = vp_new0(const char *const *, decl->n_attrs + 1);
    c->kids = vp_new0(vpi_capnode *, decl->n_kids + 1);
    return c;
}

static void
choices_free(const char *const *c)
{
    if (c)
        free((void *)c[0]);
    free((void *)c);
}

static void
capnode_free(vpi_capnode *c)
{
    if (!c)
        return;
    for (size_t i = 0; i < c->decl->n_kids; i++)
        capnode_free(c->kids[i]);
    for (size_t i = 0; i < c->decl->n_attrs; i++)
        choices_free(c->attr_vals[i]);
    choices_free(c->text);
    free(c->attr_ok);
    free(c->attr_open);
    free(c->attr_vals);
    free(c->kids);
    free(c);
}

void
vpi_caps_free(vpi_caps *caps)
{
    if (!caps)
        return;
    capnode_free(caps->root);
    free(caps->driver);
    free(caps->ns);
    free(caps);
}

/* "a|b|c" as a NULL-terminated array; the strings share one allocation. */
static const char *const *
split_values(const char *values)
{
    char *s = vp_strdup(values);
    size_t n = 2;
    for (char *p = s; *p; p++)
        n += *p == '|';
    const char **c = vp_new0(const char *, n);
    n = 0;
    for (char *tok = s, *bar; tok; tok = bar) {
        bar = strchr(tok, '|');
        if (bar)
            *bar++ = '\0';
        c[n++] = tok;
    }
    return c;
}

bool
vpi_caps_has(const char *const *choices, const char *value)
{
    if (!choices)
        return true;
    for (; *choices; choices++)
        if (strcmp(*choices, value) == 0)
            return true;
    return false;
}

static int
bad_entry(const vpi_caps *caps, const vp_plugin_domain_cap *e, const char *why)
{
    return vp_error_set(
        VP_ERR_PLUGIN_INVALID,
        "driver '%s' declares the capability '%s' (values '%s'), but %s; fix its domain_caps table",
        caps->driver, e->path, e->values ? e->values : "", why);
}

/* Values of an entry must be values the model accepts at that place; a
 * driver's own domain and OS types (@open) are the exception. */
static int
set_values(const vpi_caps *caps, const vp_plugin_domain_cap *e, const vpi_mvalue *v, bool open,
           const char *const **dst, bool *dst_open)
{
    if (!e->values)
        return 0;
    const char *const *vals = split_values(e->values);
    for (const char *const *p = vals; *p && v->type == VPI_V_ENUM && !open; p++)
        if (!vpi_caps_has(v->choices, *p)) {
            choices_free(vals);
            return bad_entry(caps, e, "the model has no such value there");
        }
    choices_free(*dst);
    *dst = vals;
    *dst_open = open && v->type == VPI_V_ENUM;
    return 0;
}

static int
add_entry(vpi_caps *caps, const vp_plugin_domain_cap *e)
{
    if (strcmp(e->path, "*") == 0 && !e->values) {
        caps->root->all = true;
        return 0;
    }
    _cleanup_free_ char *path = vp_strdup(e->path);
    vpi_capnode *c = caps->root;
    bool top = true;
    char *save = NULL;
    for (char *step = strtok_r(path, "/", &save); step; step = strtok_r(NULL, "/", &save)) {
        bool last = save == NULL || *save == '\0';
        if (strcmp(step, "*") == 0) {
            if (!last || e->values)
                return bad_entry(caps, e, "'*' must end a path and take no values");
            c->all = true;
            return 0;
        }
        if (step[0] == '@') {
            int i = vpi_melem_attr(c->decl, step + 1);
            if (i < 0 || !last)
                return bad_entry(caps, e, "the model has no such attribute");
            c->attr_ok[i] = true;
            return set_values(caps, e, &c->decl->attrs[i].value, top && strcmp(step, "@type") == 0,
                              &c->attr_vals[i], &c->attr_open[i]);
        }
        unsigned k = 0;
        const vpi_melem *kd = vpi_melem_kid(c->decl, step, &k);
        if (!kd)
            return bad_entry(caps, e, "the model has no such element");
        bool os_type = top == false && strcmp(c->decl->name, "os") == 0 &&
                       strcmp(step, "type") == 0 && c != caps->root;
        if (!c->kids[k])
            c->kids[k] = capnode_new(kd);
        top = false;
        c = c->kids[k];
        if (last && e->values) {
            if (!kd->has_text)
                return bad_entry(caps, e, "that element has no text to restrict");
            return set_values(caps, e, &kd->text, os_type, &c->text, &c->open_text);
        }
    }
    return 0;
}

static void
propagate_all(vpi_capnode *c, bool all)
{
    c->all = c->all || all;
    for (size_t i = 0; i < c->decl->n_kids; i++)
        if (c->kids[i])
            propagate_all(c->kids[i], c->all);
}

int
vpi_caps_compile(const char *driver, const vp_plugin_domain_cap *table, const char *ns,
                 vpi_caps **ret_caps)
{
    vpi_caps *caps = vp_new0(vpi_caps, 1);
    caps->driver = vp_strdup(driver);
    caps->ns = vp_strdup(ns);
    caps->root = capnode_new(vpi_model_schema());
    int r = 0;
    size_t n = 0;
    for (; table && table[n].path && r >= 0; n++)
        r = add_entry(caps, &table[n]);
    if (r < 0) {
        vpi_caps_free(caps);
        return r;
    }
    propagate_all(caps->root, false);
    caps->everything = n == 1 && caps->root->all;
    *ret_caps = caps;
    return 0;
}

const vpi_capnode *
vpi_caps_kid(const vpi_capnode *cap, size_t index, bool *ret_ok)
{
    *ret_ok = true;
    if (!cap)
        return NULL;
    if (!cap->kids[index])
        *ret_ok = cap->all;
    return cap->kids[index];
}

/* ", a, b" of @choices, or of the names @get gives. */
static void
list_add(vpi_buf *b, const char *s)
{
    vpi_buf_add(b, b->data && *b->data ? ", " : "");
    vpi_buf_add(b, s);
}

static int
refuse(const vpi_xml *x, xmlNode *node, const vpi_caps *caps, const char *what, vpi_buf *list,
       const char *where)
{
    const char *p = node->parent && node->parent->type == XML_ELEMENT_NODE
                        ? (const char *)node->parent->name
                        : NULL;
    bool name_parent = p && node->parent->parent &&
                       node->parent->parent->type == XML_ELEMENT_NODE && strcmp(p, "devices") != 0;
    int r = vpi_xml_error(x, node, "driver '%s' does not support %s%s%s%s; it supports%s: %s",
                          caps->driver, what, name_parent ? " in <" : "", name_parent ? p : "",
                          name_parent ? ">" : "", where, list->data ? list->data : "nothing");
    free(list->data);
    return r;
}

/* What the 1.0 subset says of a part of the model that a driver parsing
 * with vp_plugin_domain_def_parse() cannot run; a value outside its list
 * is an invalid value, as for any enum. */
#define NOT_SUPPORTED                                                                              \
    "is not supported by this driver: it runs only the 1.0 subset of domain XML (see docs/domain-xml.md); remove it or use a driver that models it"

static int
subset_refuse_attr(const vpi_xml *x, xmlNode *node, const vpi_capnode *cap, size_t attr,
                   const char *value)
{
    const vpi_melem *d = cap->decl;
    char what[96];
    snprintf(what, sizeof(what), "attribute '%s' of <%s>", d->attrs[attr].name, d->name);
    if (cap->attr_ok[attr])
        return vpi_xml_enum(x, node, what, value, cap->attr_vals[attr]);
    return vpi_xml_error(x, node, "%s " NOT_SUPPORTED, what);
}

int
vpi_caps_refuse_attr(const vpi_xml *x, xmlNode *node, const vpi_caps *caps, const vpi_capnode *cap,
                     size_t attr, const char *value)
{
    if (caps->subset)
        return subset_refuse_attr(x, node, cap, attr, value);
    const vpi_melem *d = cap->decl;
    _cleanup_free_ char *what = vp_asprintf("<%s %s='%s'>", d->name, d->attrs[attr].name, value);
    vpi_buf list = {0};
    if (cap->attr_ok[attr]) {
        for (const char *const *v = cap->attr_vals[attr]; *v; v++)
            list_add(&list, *v);
        return refuse(x, node, caps, what, &list, "");
    }
    for (size_t i = 0; i < d->n_attrs; i++)
        if (cap->attr_ok[i])
            list_add(&list, d->attrs[i].name);
    _cleanup_free_ char *where = vp_asprintf(" on <%s>", d->name);
    return refuse(x, node, caps, what, &list, where);
}

int
vpi_caps_refuse_text(const vpi_xml *x, xmlNode *node, const vpi_caps *caps, const vpi_capnode *cap,
                     const char *value)
{
    if (caps->subset) {
        _cleanup_free_ char *elem = vp_asprintf("<%s>", cap->decl->name);
        return vpi_xml_enum(x, node, elem, value, cap->text);
    }
    _cleanup_free_ char *what = vp_asprintf("<%s>%s</%s>", cap->decl->name, value, cap->decl->name);
    vpi_buf list = {0};
    for (const char *const *v = cap->text; *v; v++)
        list_add(&list, *v);
    return refuse(x, node, caps, what, &list, "");
}

int
vpi_caps_refuse_kid(const vpi_xml *x, xmlNode *kid, const vpi_caps *caps, const vpi_capnode *parent)
{
    if (caps->subset)
        return vpi_xml_error(x, kid, "<%s> in <%s> " NOT_SUPPORTED, (const char *)kid->name,
                             parent->decl->name);
    _cleanup_free_ char *what = vp_asprintf("<%s>", (const char *)kid->name);
    vpi_buf list = {0};
    for (size_t i = 0; i < parent->decl->n_kids; i++)
        if (parent->kids[i])
            list_add(&list, parent->decl->kids[i]->name);
    _cleanup_free_ char *where = vp_asprintf(" in <%s>", parent->decl->name);
    /* The parent is named in @where already. */
    int r = vpi_xml_error(x, kid, "driver '%s' does not support %s; it supports%s: %s",
                          caps->driver, what, where, list.data ? list.data : "nothing");
    free(list.data);
    return r;
}

int
vpi_caps_refuse_ns(const vpi_xml *x, xmlNode *kid, const vpi_caps *caps)
{
    const char *href = kid->ns && kid->ns->href ? (const char *)kid->ns->href : "";
    if (caps->subset && kid->ns && kid->ns->prefix)
        return vpi_xml_error(x, kid, "<%s:%s> in <domain> " NOT_SUPPORTED,
                             (const char *)kid->ns->prefix, (const char *)kid->name);
    if (caps->subset)
        return vpi_xml_error(x, kid, "unknown element <{%s}%s> in <domain>", href,
                             (const char *)kid->name);
    if (!caps->ns)
        return vpi_xml_error(
            x, kid,
            "driver '%s' does not support <%s:%s> of the namespace '%s'; it has no namespace of its own",
            caps->driver, kid->ns && kid->ns->prefix ? (const char *)kid->ns->prefix : "",
            (const char *)kid->name, href);
    return vpi_xml_error(
        x, kid, "driver '%s' does not support <%s:%s> of the namespace '%s'; it supports: '%s'",
        caps->driver, kid->ns && kid->ns->prefix ? (const char *)kid->ns->prefix : "",
        (const char *)kid->name, href, caps->ns);
}
