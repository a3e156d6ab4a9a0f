/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Copyright (C) 2026 The virtplug developers */
/*
 * model-format.c: writing the declared model back as domain XML.
 *
 * Owns the canonical form of a parsed model: elements in declaration
 * order (libvirt's), attributes in declaration order, two spaces of
 * indentation, text escaped by the output buffer. It writes every value
 * the tree holds, and the tree can only hold declared values, so a parse
 * followed by a format drops nothing; format(parse(format(parse(x)))) is
 * format(parse(x)); only VPI_MODEL_FORMAT_NO_SECRETS leaves out what the
 * schema declares secret. It must never print.
 */
#include <config.h>

#include <stdlib.h>

#include "internal.h"
#include "conf/model.h"

/* Plain appends, no printf: formatting is half of a define + dumpxml. */
static void
indent(vpi_buf *b, int n)
{
    static const char spaces[] = "                                                                ";
    const int max = (int)sizeof(spaces) - 1;
    while (n > 0) {
        int k = n < max ? n : max;
        vpi_buf_add(b, spaces + max - k);
        n -= k;
    }
}

/* Verbatim elements, each starting a line at @level; their insides keep
 * the layout they were written with, so that a second round changes
 * nothing. */
static void
format_verbatim(vpi_buf *b, const char *text, int level)
{
    const char *p = text;
    while (*p) {
        size_t len = strcspn(p, VPI_MODEL_VERBATIM_SEP);
        indent(b, level);
        vpi_buf_printf(b, "%.*s\n", (int)len, p);
        p += len + (p[len] != '\0');
    }
}

/* @pairs: an empty text is written <x></x>, the 1.0 format's form;
 * !@secrets: the attributes declared secret are left out. */
static void
format_node(vpi_buf *b, const vpi_mnode *n, int level, const char *xmlns, bool pairs, bool secrets)
{
    const vpi_melem *d = n->decl;
    if (!d) {
        format_verbatim(b, n->text, level);
        return;
    }
    indent(b, level);
    vpi_buf_add(b, "<");
    vpi_buf_add(b, d->name);
    for (size_t i = 0; i < d->n_attrs; i++)
        if (n->vals[i] && (secrets || !d->attrs[i].secret))
            vpi_buf_attr(b, d->attrs[i].name, n->vals[i]);
    if (xmlns)
        vpi_buf_add(b, xmlns);
    if (d->verbatim && n->text && *n->text) {
        vpi_buf_add(b, ">\n");
        format_verbatim(b, n->text, level + 2);
        indent(b, level);
    } else if (n->n_kids) {
        vpi_buf_add(b, ">\n");
        for (size_t i = 0; i < n->n_kids; i++)
            format_node(b, n->kids[i], level + 2, NULL, pairs, secrets);
        indent(b, level);
    } else if (d->has_text && n->text && (*n->text || pairs)) {
        vpi_buf_add(b, ">");
        vpi_buf_escape(b, d->name, n->text, false);
    } else {
        vpi_buf_add(b, "/>\n");
        return;
    }
    vpi_buf_add(b, "</");
    vpi_buf_add(b, d->name);
    vpi_buf_add(b, ">\n");
}

int
vpi_model_format(const vpi_domain_model *m, unsigned int flags, char **ret_xml)
{
    vp_return_if_fail(m && m->root, "model");
    vp_return_if_fail(ret_xml, "ret_xml");
    if (flags & ~VPI_MODEL_FORMAT_NO_SECRETS)
        return vp_error_set(VP_ERR_INVALID_ARG, "unsupported flags 0x%x for formatting domain XML",
                            flags);
    /* One buffer, sized for a typical domain up front. */
    vpi_buf b = {.data = vp_plugin_oom_check_(malloc(8192)), .cap = 8192};
    b.data[0] = '\0';
    format_node(&b, m->root, 0, m->xmlns, m->text_pairs, !(flags & VPI_MODEL_FORMAT_NO_SECRETS));
    return vpi_buf_finish(&b, "domain XML", ret_xml);
}

int
vpi_model_hide_secrets(const char *xml, const vpi_caps *caps, char **ret_xml)
{
    vp_return_if_fail(xml, "xml");
    vp_return_if_fail(ret_xml, "ret_xml");
    /* A document that never names a secret attribute has none to hide:
     * it is given back as the driver wrote it, without a second parse. */
    bool any = false;
    for (const char *const *name = vpi_model_secret_names(); *name && !any; name++) {
        _cleanup_free_ char *needle = vp_asprintf(" %s=", *name);
        any = strstr(xml, needle) != NULL;
    }
    if (!any) {
        *ret_xml = vp_strdup(xml);
        return 0;
    }
    vp_domain_def *def = NULL;
    vpi_domain_model *m = NULL;
    int r = vpi_model_parse(xml, 0, caps, &def, &m);
    if (r >= 0)
        r = vpi_model_format(m, VPI_MODEL_FORMAT_NO_SECRETS, ret_xml);
    vpi_model_free(m);
    vp_plugin_domain_def_free(def);
    return r;
}
