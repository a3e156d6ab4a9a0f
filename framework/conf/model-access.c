/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Copyright (C) 2026 The virtplug developers */
/*
 * model-access.c: a driver's read access to the whole domain model.
 *
 * Owns what vp_plugin_domain_model_* (conf.h) do inside the XML module:
 * walking a parsed model by element and attribute names, a path lookup,
 * the verbatim elements of a driver's namespace, and the deep copy a
 * driver keeps. It only reads a model (copy excepted) and never prints.
 */
#include <config.h>

#include <stdlib.h>

#include "internal.h"
#include "conf/model.h"

const void *
vpi_model_access_kid(const void *node, const char *name, size_t index)
{
    const vpi_mnode *n = node;
    for (size_t i = 0; n && i < n->n_kids; i++) {
        const vpi_mnode *k = n->kids[i];
        if (!k->decl || (name && strcmp(k->decl->name, name) != 0))
            continue;
        if (index-- == 0)
            return k;
    }
    return NULL;
}

const char *
vpi_model_access_name(const void *node)
{
    const vpi_mnode *n = node;
    return n && n->decl ? n->decl->name : NULL;
}

const char *
vpi_model_access_attr(const void *node, const char *name)
{
    return node && name ? vpi_mnode_get(node, name) : NULL;
}

const char *
vpi_model_access_text(const void *node)
{
    const vpi_mnode *n = node;
    return n && n->decl && n->decl->has_text ? n->text : NULL;
}

const char *
vpi_model_access_get(const vpi_domain_model *m, const char *path)
{
    if (!m || !path)
        return NULL;
    const vpi_mnode *n = m->root;
    const char *p = path;
    while (n && *p) {
        size_t len = strcspn(p, "/");
        char step[64];
        if (len == 0 || len >= sizeof(step))
            return NULL;
        memcpy(step, p, len);
        step[len] = '\0';
        p += len + (p[len] == '/');
        if (step[0] == '@')
            return *p ? NULL : vpi_mnode_get(n, step + 1);
        n = vpi_model_access_kid(n, step, 0);
    }
    return n ? vpi_model_access_text(n) : NULL;
}

char *
vpi_model_access_ns_xml(const vpi_domain_model *m, const char *uri)
{
    if (!m || !uri)
        return NULL;
    vpi_buf b = {0};
    for (size_t i = 0; i < m->root->n_kids; i++) {
        const vpi_mnode *k = m->root->kids[i];
        if (k->decl || !k->ns || strcmp(k->ns, uri) != 0)
            continue;
        for (const char *t = k->text; *t;) {
            size_t len = strcspn(t, VPI_MODEL_VERBATIM_SEP);
            vpi_buf_printf(&b, "%.*s\n", (int)len, t);
            t += len + (t[len] != '\0');
        }
    }
    return b.data;
}

vpi_domain_model *
vpi_model_copy(const vpi_domain_model *m)
{
    if (!m)
        return NULL;
    vpi_domain_model *c = vpi_model_new(vpi_arena_used(m->arena));
    c->root = vpi_mnode_copy(c->arena, m->root);
    c->xmlns = vpi_arena_strdup(c->arena, m->xmlns);
    return c;
}
