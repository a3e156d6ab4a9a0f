/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Copyright (C) 2026 The virtplug developers */
/*
 * model-node.c: the parsed domain model's tree.
 *
 * Owns creating, copying, freeing and editing vpi_mnode trees: kids stay
 * in canonical order (by declaration, then by arrival), and attribute
 * values live in the slot of their declaration, so a value can only be
 * stored if the schema declares it. No libxml2 parsing here.
 */
#include <config.h>

#include <assert.h>
#include <stdlib.h>

#include "internal.h"
#include "conf/model.h"

vpi_mnode *
vpi_mnode_new(const vpi_melem *decl, unsigned order)
{
    vpi_mnode *n = vp_new0(vpi_mnode, 1);
    n->decl = decl;
    n->order = order;
    if (decl && decl->n_attrs)
        n->vals = vp_new0(char *, decl->n_attrs);
    return n;
}

void
vpi_mnode_free(vpi_mnode *n)
{
    if (!n)
        return;
    for (size_t i = 0; n->decl && i < n->decl->n_attrs; i++)
        free(n->vals[i]);
    free(n->vals);
    for (size_t i = 0; i < n->n_kids; i++)
        vpi_mnode_free(n->kids[i]);
    free(n->kids);
    free(n->text);
    free(n->ns);
    free(n);
}

vpi_mnode *
vpi_mnode_copy(const vpi_mnode *n)
{
    vpi_mnode *c = vpi_mnode_new(n->decl, n->order);
    for (size_t i = 0; n->decl && i < n->decl->n_attrs; i++)
        c->vals[i] = vp_strdup(n->vals[i]);
    c->text = vp_strdup(n->text);
    c->ns = vp_strdup(n->ns);
    c->kids = n->n_kids ? vp_new0(vpi_mnode *, n->n_kids) : NULL;
    for (size_t i = 0; i < n->n_kids; i++)
        c->kids[i] = vpi_mnode_copy(n->kids[i]);
    c->n_kids = n->n_kids;
    return c;
}

void
vpi_mnode_insert(vpi_mnode *parent, vpi_mnode *kid)
{
    size_t at = parent->n_kids;
    while (at > 0 && parent->kids[at - 1]->order > kid->order)
        at--;
    parent->kids = vp_renew(vpi_mnode *, parent->kids, parent->n_kids + 1);
    memmove(parent->kids + at + 1, parent->kids + at, (parent->n_kids - at) * sizeof(vpi_mnode *));
    parent->kids[at] = kid;
    parent->n_kids++;
}

vpi_mnode *
vpi_mnode_add(vpi_mnode *parent, const char *name)
{
    unsigned order = 0;
    const vpi_melem *decl = vpi_melem_kid(parent->decl, name, &order);
    assert(decl);
    vpi_mnode *kid = vpi_mnode_new(decl, order);
    vpi_mnode_insert(parent, kid);
    return kid;
}

vpi_mnode *
vpi_mnode_kid(const vpi_mnode *n, const char *name)
{
    for (size_t i = 0; n && i < n->n_kids; i++)
        if (n->kids[i]->decl && strcmp(n->kids[i]->decl->name, name) == 0)
            return n->kids[i];
    return NULL;
}

const char *
vpi_mnode_get(const vpi_mnode *n, const char *name)
{
    int i = n && n->decl ? vpi_melem_attr(n->decl, name) : -1;
    return i < 0 ? NULL : n->vals[i];
}

void
vpi_mnode_set(vpi_mnode *n, const char *name, const char *value)
{
    int i = vpi_melem_attr(n->decl, name);
    assert(i >= 0);
    free(n->vals[i]);
    n->vals[i] = vp_strdup(value);
}

void
vpi_model_free(vpi_domain_model *m)
{
    if (!m)
        return;
    vpi_mnode_free(m->root);
    free(m->xmlns);
    free(m);
}
