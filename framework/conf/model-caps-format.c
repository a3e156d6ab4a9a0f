/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Copyright (C) 2026 The virtplug developers */
/*
 * model-caps-format.c: a driver's capabilities as a document.
 *
 * Owns the <domainCapabilities> document of vp_conn_get_domain_capabilities()
 * in libvirt's layout (<domain>, <arch>, <machine>, then <os>, <features>,
 * ..., <devices> with one element per device kind, each supported='yes' or
 * 'no' with an <enum name='...'> of the values it accepts), and the same
 * content as JSON. Both are written from the compiled capability tree
 * (model-caps.c) and the schema, never from a list of its own: a device
 * kind the model gains shows up here by itself. It never prints.
 */
#include <config.h>

#include <stdlib.h>

#include "internal.h"
#include "conf/model-caps.h"

typedef struct out {
    vpi_buf b;
    bool json;
    unsigned n; /* items written in the current JSON object */
} out;

static void
json_str(vpi_buf *b, const char *s)
{
    vpi_buf_add(b, "\"");
    for (; *s; s++) {
        if (*s == '"' || *s == '\\')
            vpi_buf_printf(b, "\\%c", *s);
        else if ((unsigned char)*s < 0x20)
            vpi_buf_printf(b, "\\u%04x", (unsigned)(unsigned char)*s);
        else
            vpi_buf_printf(b, "%c", *s);
    }
    vpi_buf_add(b, "\"");
}

static void
emit_enum(out *o, int level, const char *name, const char *const *vals)
{
    if (o->json) {
        vpi_buf_add(&o->b, o->n++ ? ", " : "");
        json_str(&o->b, name);
        vpi_buf_add(&o->b, ": [");
        for (size_t i = 0; vals[i]; i++) {
            vpi_buf_add(&o->b, i ? ", " : "");
            json_str(&o->b, vals[i]);
        }
        vpi_buf_add(&o->b, "]");
        return;
    }
    vpi_buf_printf(&o->b, "%*s<enum name='%s'>\n", level, "", name);
    for (size_t i = 0; vals[i]; i++)
        vpi_buf_text_elem(&o->b, level + 2, "value", vals[i]);
    vpi_buf_printf(&o->b, "%*s</enum>\n", level, "");
}

/* Every restricted value below @c, named by its path from the device or
 * section: "device", "target.bus", "driver.type". */
static void
walk_enums(out *o, const vpi_capnode *c, const char *prefix, int level)
{
    const vpi_melem *d = c->decl;
    if (c->text)
        emit_enum(o, level, *prefix ? prefix : "value", c->text);
    for (size_t i = 0; i < d->n_attrs; i++)
        if (c->attr_ok[i] && c->attr_vals[i]) {
            _cleanup_free_ char *name = *prefix ? vp_asprintf("%s.%s", prefix, d->attrs[i].name)
                                                : vp_strdup(d->attrs[i].name);
            emit_enum(o, level, name, c->attr_vals[i]);
        }
    for (size_t i = 0; i < d->n_kids; i++)
        if (c->kids[i]) {
            _cleanup_free_ char *p = *prefix ? vp_asprintf("%s.%s", prefix, d->kids[i]->name)
                                             : vp_strdup(d->kids[i]->name);
            walk_enums(o, c->kids[i], p, level);
        }
}

/* <NAME supported='yes|no'> with its enums, or "NAME": {...} in JSON. */
static void
emit_kind(out *o, const vpi_melem *decl, const vpi_capnode *c, bool all, int level)
{
    bool yes = c || all;
    if (o->json) {
        vpi_buf_add(&o->b, o->n++ ? ", " : "");
        json_str(&o->b, decl->name);
        vpi_buf_printf(&o->b, ": {\"supported\": %s", yes ? "true" : "false");
        if (c) {
            vpi_buf_add(&o->b, ", \"enums\": {");
            unsigned saved = o->n;
            o->n = 0;
            walk_enums(o, c, "", level);
            o->n = saved;
            vpi_buf_add(&o->b, "}");
        }
        vpi_buf_add(&o->b, "}");
        return;
    }
    vpi_buf_printf(&o->b, "%*s<%s supported='%s'", level, "", decl->name, yes ? "yes" : "no");
    size_t mark = o->b.len;
    vpi_buf_add(&o->b, ">\n");
    size_t body = o->b.len;
    if (c)
        walk_enums(o, c, "", level + 2);
    if (o->b.len == body) {
        o->b.len = mark;
        o->b.data[mark] = '\0';
        vpi_buf_add(&o->b, "/>\n");
        return;
    }
    vpi_buf_printf(&o->b, "%*s</%s>\n", level, "", decl->name);
}

/* libvirt's head: <domain> per type, <arch>, <machine> when restricted. */
static void
emit_head(out *o, const char *name, const char *const *vals)
{
    if (!vals)
        return;
    if (o->json) {
        emit_enum(o, 0, name, vals);
        return;
    }
    for (size_t i = 0; vals[i]; i++)
        vpi_buf_text_elem(&o->b, 2, name, vals[i]);
}

static void
emit_section(out *o, const vpi_capnode *root, const vpi_melem *decl, size_t index)
{
    const vpi_capnode *c = root->kids[index];
    bool all = root->all;
    if (o->json) {
        vpi_buf_add(&o->b, o->n++ ? ", " : "");
        json_str(&o->b, decl->name);
        vpi_buf_add(&o->b, ": {");
    } else {
        vpi_buf_printf(&o->b, "  <%s>\n", decl->name);
    }
    unsigned saved = o->n;
    o->n = 0;
    for (size_t i = 0; i < decl->n_kids; i++)
        emit_kind(o, decl->kids[i], c ? c->kids[i] : NULL, c ? c->all : all, 4);
    o->n = saved;
    if (o->json)
        vpi_buf_add(&o->b, "}");
    else
        vpi_buf_printf(&o->b, "  </%s>\n", decl->name);
}

int
vpi_caps_format(const vpi_caps *caps, bool json, char **ret_text)
{
    out o = {.json = json};
    const vpi_capnode *root = caps->root;
    const vpi_melem *d = root->decl;
    int type = vpi_melem_attr(d, "type");
    unsigned os_i = 0, type_i = 0, dev_i = 0;
    const vpi_melem *os = vpi_melem_kid(d, "os", &os_i);
    vpi_melem_kid(os, "type", &type_i);
    vpi_melem_kid(d, "devices", &dev_i);
    const vpi_capnode *ot = root->kids[os_i] ? root->kids[os_i]->kids[type_i] : NULL;
    vpi_buf_add(&o.b, json ? "{" : "<domainCapabilities>\n");
    if (json) {
        json_str(&o.b, "driver");
        vpi_buf_add(&o.b, ": ");
        json_str(&o.b, caps->driver);
        o.n = 1;
    } else {
        vpi_buf_text_elem(&o.b, 2, "driver", caps->driver);
    }
    emit_head(&o, "domain",
              root->attr_ok[type] ? root->attr_vals[type] : d->attrs[type].value.choices);
    if (ot) {
        emit_head(&o, "arch", ot->attr_vals[vpi_melem_attr(ot->decl, "arch")]);
        emit_head(&o, "machine", ot->attr_vals[vpi_melem_attr(ot->decl, "machine")]);
    }
    /* Sections with something inside, in the model's (libvirt's) order. */
    for (size_t i = 0; i < d->n_kids; i++)
        if (i != dev_i && d->kids[i]->n_kids)
            emit_kind(&o, d->kids[i], root->kids[i], root->all, 2);
    emit_section(&o, root, d->kids[dev_i], dev_i);
    if (caps->ns && json) {
        vpi_buf_add(&o.b, ", \"namespace\": ");
        json_str(&o.b, caps->ns);
    } else if (caps->ns) {
        vpi_buf_text_elem(&o.b, 2, "namespace", caps->ns);
    }
    vpi_buf_add(&o.b, json ? "}\n" : "</domainCapabilities>\n");
    return vpi_buf_finish(&o.b, "domain capabilities", ret_text);
}
