/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Copyright (C) 2026 The virtplug developers */
/*
 * model-node.c: the parsed domain model's tree.
 *
 * Owns creating, copying, freeing and editing vpi_mnode trees: kids stay
 * in canonical order (by declaration, then by arrival), and attribute
 * values live in the slot of their declaration, so a value can only be
 * stored if the schema declares it; and the arena all of a model lives
 * in. No libxml2 parsing here.
 */
#include <config.h>

#include <assert.h>
#include <stddef.h>
#include <stdlib.h>

#include "internal.h"
#include "conf/model.h"

/* One block of an arena; the bytes follow the header. */
typedef struct arena_block {
    struct arena_block *next;
    size_t used, size;
    max_align_t data[];
} arena_block;

struct vpi_arena {
    arena_block *head;
    size_t total;
};

#define ARENA_ALIGN (sizeof(max_align_t))

static arena_block *
arena_block_new(vpi_arena *a, size_t size)
{
    arena_block *b = vp_plugin_oom_check_(malloc(sizeof(arena_block) + size));
    b->used = 0;
    b->size = size;
    b->next = a->head;
    a->head = b;
    a->total += size;
    return b;
}

vpi_arena *
vpi_arena_new(size_t size_hint)
{
    vpi_arena *a = vp_new0(vpi_arena, 1);
    arena_block_new(a, size_hint < 4096 ? 4096 : size_hint);
    return a;
}

void
vpi_arena_free(vpi_arena *a)
{
    if (!a)
        return;
    for (arena_block *b = a->head, *next; b; b = next) {
        next = b->next;
        free(b);
    }
    free(a);
}

/* @size bytes, not cleared. */
static void *
arena_alloc(vpi_arena *a, size_t size)
{
    size = (size + ARENA_ALIGN - 1) & ~(ARENA_ALIGN - 1);
    arena_block *b = a->head;
    if (b->size - b->used < size) {
        /* Each new block doubles the arena (and holds four such requests),
         * so that a large model still takes few blocks. */
        size_t next = a->total < size * 4 ? size * 4 : a->total;
        b = arena_block_new(a, next);
    }
    void *p = (char *)b->data + b->used;
    b->used += size;
    return p;
}

void *
vpi_arena_alloc0(vpi_arena *a, size_t size)
{
    return memset(arena_alloc(a, size), 0, size);
}

char *
vpi_arena_strndup(vpi_arena *a, const char *s, size_t len)
{
    char *c = arena_alloc(a, len + 1);
    memcpy(c, s, len);
    c[len] = '\0';
    return c;
}

char *
vpi_arena_strdup(vpi_arena *a, const char *s)
{
    return s ? vpi_arena_strndup(a, s, strlen(s)) : NULL;
}

size_t
vpi_arena_used(const vpi_arena *a)
{
    size_t n = 0;
    for (const arena_block *b = a->head; b; b = b->next)
        n += b->used;
    return n;
}

vpi_domain_model *
vpi_model_new(size_t size_hint)
{
    vpi_arena *a = vpi_arena_new(size_hint);
    vpi_domain_model *m = vpi_arena_alloc0(a, sizeof(*m));
    m->arena = a;
    return m;
}

vpi_mnode *
vpi_mnode_new(vpi_arena *arena, const vpi_melem *decl, unsigned order)
{
    size_t n_attrs = decl ? decl->n_attrs : 0;
    /* The node and its value slots in one piece. */
    vpi_mnode *n = vpi_arena_alloc0(arena, sizeof(vpi_mnode) + n_attrs * sizeof(char *));
    n->decl = decl;
    n->order = order;
    n->arena = arena;
    if (n_attrs)
        n->vals = (char **)(n + 1);
    return n;
}

vpi_mnode *
vpi_mnode_copy(vpi_arena *arena, const vpi_mnode *n)
{
    vpi_mnode *c = vpi_mnode_new(arena, n->decl, n->order);
    c->line = n->line;
    for (size_t i = 0; n->decl && i < n->decl->n_attrs; i++)
        c->vals[i] = vpi_arena_strdup(arena, n->vals[i]);
    c->text = vpi_arena_strdup(arena, n->text);
    c->ns = vpi_arena_strdup(arena, n->ns);
    vpi_mnode_reserve(c, n->n_kids);
    for (size_t i = 0; i < n->n_kids; i++)
        c->kids[i] = vpi_mnode_copy(arena, n->kids[i]);
    c->n_kids = n->n_kids;
    return c;
}

void
vpi_mnode_reserve(vpi_mnode *parent, size_t n)
{
    if (parent->n_kids + n <= parent->cap_kids)
        return;
    size_t cap = parent->cap_kids ? parent->cap_kids * 2 : 4;
    while (cap < parent->n_kids + n)
        cap *= 2;
    vpi_mnode **kids = vpi_arena_alloc0(parent->arena, cap * sizeof(vpi_mnode *));
    if (parent->n_kids)
        memcpy(kids, parent->kids, parent->n_kids * sizeof(vpi_mnode *));
    parent->kids = kids;
    parent->cap_kids = cap;
}

void
vpi_mnode_insert(vpi_mnode *parent, vpi_mnode *kid)
{
    size_t at = parent->n_kids;
    while (at > 0 && parent->kids[at - 1]->order > kid->order)
        at--;
    vpi_mnode_reserve(parent, 1);
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
    vpi_mnode *kid = vpi_mnode_new(parent->arena, decl, order);
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
    n->vals[i] = vpi_arena_strdup(n->arena, value);
}

void
vpi_mnode_set_text(vpi_mnode *n, const char *text)
{
    n->text = vpi_arena_strdup(n->arena, text);
}

void
vpi_model_free(vpi_domain_model *m)
{
    if (!m)
        return;
    vpi_arena_free(m->arena);
}
