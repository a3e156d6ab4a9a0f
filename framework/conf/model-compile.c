/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Copyright (C) 2026 The virtplug developers */
/*
 * model-compile.c: turning the schema text into declarations.
 *
 * Owns the schema language of model-schema*.c. One line declares one
 * element; one space of indentation per level of nesting:
 *
 *   NAME[*] [@ATTR[!][=a|b|c|:TYPE]]... [=TEXT] [~] [&GROUP]
 *
 * '*' lets the element repeat; '@x!' is a required attribute; '=a|b' an
 * enum, ':onoff' and ':yesno' the usual two, ':num' a number, ':int' a
 * signed one, ':kib' a size with a 'unit' sibling, ':mac' a MAC address,
 * ':uuid' a uuid, ':cpuset' CPU or node numbers ("0-3,^2,8"), each kept in
 * libvirt's spelling (model-value.c); a bare '@x' is any text, and
 * '@x:secret' any text that dumpxml shows only when asked for secrets. '=TEXT'
 * gives the element text content of that type
 * ('=text' for any). '~' keeps any content verbatim (<metadata>).
 * '&GROUP' gives the element the attributes and children of a group,
 * declared at the top level as '%GROUP ...' with its children below it, so
 * that <address>, <source> of a chardev or the recursive <backingStore>
 * are declared once. Compiled once per process, on first use; a mistake in
 * the schema text is a programmer error and aborts (the tests compile it).
 */
#include <config.h>

#include <assert.h>
#include <pthread.h>
#include <stdlib.h>

#include "internal.h"
#include "conf/model.h"

extern const char *const vpi_model_schema_domain[];
extern const char *const vpi_model_schema_devices[];

typedef struct decl {
    vpi_melem e;
    vpi_mattr *attrs;
    size_t n_attrs;
    vpi_melem **kids;
    size_t n_kids;
    const char *group; /* &GROUP to merge in, or NULL */
    const char *key;   /* %GROUP name of a group */
} decl;

typedef struct compiler {
    decl **all;
    size_t n_all;
    decl *stack[32];
} compiler;

static const vpi_melem *schema_root;
/* Only written: volatile, so that the compiler keeps the store and leak
 * checkers see the declarations as reachable. */
static decl **volatile schema_decls;
static pthread_once_t schema_once = PTHREAD_ONCE_INIT;
/* The names of the attributes declared ':secret', NULL-terminated. */
static const char **schema_secrets;

static const char *const *
split_choices(char *s)
{
    size_t n = 1;
    for (char *p = s; *p; p++)
        n += *p == '|';
    const char **c = vp_new0(const char *, n + 1);
    n = 0;
    for (char *tok = s, *bar; tok; tok = bar) {
        bar = strchr(tok, '|');
        if (bar)
            *bar++ = '\0';
        c[n++] = tok;
    }
    return c;
}

/* A type by its name (":num" after '@x' or '=' of text), or "a|b|c". */
static vpi_mvalue
parse_type(char *s)
{
    static const char *const onoff[] = {"on", "off", NULL};
    static const char *const yesno[] = {"yes", "no", NULL};
    static const struct {
        const char *name;
        vpi_mvalue value;
    } types[] = {
        {"num", {VPI_V_NUM, NULL}},       {"int", {VPI_V_INT, NULL}},
        {"kib", {VPI_V_KIB, NULL}},       {"text", {VPI_V_STR, NULL}},
        {"mac", {VPI_V_MAC, NULL}},       {"uuid", {VPI_V_UUID, NULL}},
        {"cpuset", {VPI_V_CPUSET, NULL}}, {"onoff", {VPI_V_ENUM, onoff}},
        {"yesno", {VPI_V_ENUM, yesno}},
    };
    for (size_t i = 0; i < sizeof(types) / sizeof(types[0]); i++)
        if (strcmp(s, types[i].name) == 0)
            return types[i].value;
    return (vpi_mvalue){VPI_V_ENUM, split_choices(s)};
}

static void
add_attr(decl *d, char *tok)
{
    vpi_mattr a = {0};
    char *sep = strpbrk(tok, "=:");
    if (sep) {
        char kind = *sep;
        *sep = '\0';
        a.secret = kind == ':' && strcmp(sep + 1, "secret") == 0;
        a.value = a.secret      ? (vpi_mvalue){VPI_V_STR, NULL}
                  : kind == ':' ? parse_type(sep + 1)
                                : (vpi_mvalue){VPI_V_ENUM, split_choices(sep + 1)};
    }
    size_t n = strlen(tok);
    if (n && tok[n - 1] == '!') {
        tok[n - 1] = '\0';
        a.required = true;
    }
    a.name = tok;
    d->attrs = vp_renew(vpi_mattr, d->attrs, d->n_attrs + 1);
    d->attrs[d->n_attrs++] = a;
}

static void
compile_line(compiler *c, const char *line)
{
    size_t depth = strspn(line, " ");
    assert(depth < 31);
    char *buf = vp_strdup(line + depth); /* kept: the names point into it */
    decl *d = vp_new0(decl, 1);
    c->all = vp_renew(decl *, c->all, c->n_all + 1);
    c->all[c->n_all++] = d;
    char *save = NULL;
    for (char *tok = strtok_r(buf, " ", &save); tok; tok = strtok_r(NULL, " ", &save)) {
        if (!d->e.name && !d->key) {
            size_t n = strlen(tok);
            if (tok[n - 1] == '*') {
                tok[n - 1] = '\0';
                d->e.multiple = true;
            }
            if (tok[0] == '%')
                d->key = tok + 1;
            else
                d->e.name = tok;
        } else if (tok[0] == '@') {
            add_attr(d, tok + 1);
        } else if (tok[0] == '=') {
            d->e.has_text = true;
            d->e.text = parse_type(tok + 1);
        } else if (strcmp(tok, "~") == 0) {
            d->e.verbatim = true;
        } else if (tok[0] == '&') {
            d->group = tok + 1;
        } else {
            assert(!"bad token in the domain schema");
        }
    }
    c->stack[depth] = d;
    if (depth == 0)
        return;
    decl *parent = c->stack[depth - 1];
    assert(parent);
    parent->kids = vp_renew(vpi_melem *, parent->kids, parent->n_kids + 1);
    parent->kids[parent->n_kids++] = &d->e;
}

static decl *
find_group(compiler *c, const char *key)
{
    for (size_t i = 0; i < c->n_all; i++)
        if (c->all[i]->key && strcmp(c->all[i]->key, key) == 0)
            return c->all[i];
    assert(!"unknown &group in the domain schema");
    return NULL;
}

/* Give each '&GROUP' user the group's attributes (after its own) and kids. */
static void
resolve(compiler *c)
{
    for (size_t i = 0; i < c->n_all; i++) {
        decl *d = c->all[i];
        if (d->group) {
            decl *g = find_group(c, d->group);
            assert(!d->n_kids && !g->group);
            d->attrs = vp_renew(vpi_mattr, d->attrs, d->n_attrs + g->n_attrs + 1);
            if (g->n_attrs) /* memcpy's source must not be NULL, even for 0 bytes */
                memcpy(d->attrs + d->n_attrs, g->attrs, g->n_attrs * sizeof(vpi_mattr));
            d->n_attrs += g->n_attrs;
            d->kids = g->kids;
            d->n_kids = g->n_kids;
            d->e.has_text = d->e.has_text || g->e.has_text;
            if (g->e.has_text)
                d->e.text = g->e.text;
        }
    }
    for (size_t i = 0; i < c->n_all; i++) {
        decl *d = c->all[i];
        d->e.attrs = d->attrs;
        d->e.n_attrs = d->n_attrs;
        d->e.kids = d->kids;
        d->e.n_kids = d->n_kids;
    }
}

static void
schema_compile(void)
{
    compiler c = {0};
    const char *const *parts[] = {vpi_model_schema_domain, vpi_model_schema_devices};
    for (size_t p = 0; p < sizeof(parts) / sizeof(parts[0]); p++)
        for (size_t i = 0; parts[p][i]; i++)
            compile_line(&c, parts[p][i]);
    resolve(&c);
    assert(c.n_all && c.all[0]->e.name && strcmp(c.all[0]->e.name, "domain") == 0);
    schema_root = &c.all[0]->e;
    /* The declarations live as long as the process; the list stays
     * reachable so that leak checkers see them as such. */
    schema_decls = c.all;
    size_t n = 0;
    schema_secrets = vp_new0(const char *, 1);
    for (size_t i = 0; i < c.n_all; i++)
        for (size_t k = 0; k < c.all[i]->n_attrs; k++) {
            const vpi_mattr *a = &c.all[i]->attrs[k];
            bool known = false;
            for (size_t j = 0; j < n && !known; j++)
                known = strcmp(schema_secrets[j], a->name) == 0;
            if (!a->secret || known)
                continue;
            schema_secrets = vp_renew(const char *, schema_secrets, n + 2);
            schema_secrets[n++] = a->name;
            schema_secrets[n] = NULL;
        }
}

const char *const *
vpi_model_secret_names(void)
{
    pthread_once(&schema_once, schema_compile);
    return schema_secrets;
}

const vpi_melem *
vpi_model_schema(void)
{
    pthread_once(&schema_once, schema_compile);
    return schema_root;
}

const vpi_melem *
vpi_melem_kid(const vpi_melem *parent, const char *name, unsigned *ret_index)
{
    /* The first byte settles most misses without a call. */
    for (size_t i = 0; i < parent->n_kids; i++)
        if (parent->kids[i]->name[0] == name[0] && strcmp(parent->kids[i]->name, name) == 0) {
            if (ret_index)
                *ret_index = (unsigned)i;
            return parent->kids[i];
        }
    return NULL;
}

int
vpi_melem_attr(const vpi_melem *e, const char *name)
{
    for (size_t i = 0; i < e->n_attrs; i++)
        if (e->attrs[i].name[0] == name[0] && strcmp(e->attrs[i].name, name) == 0)
            return (int)i;
    return -1;
}
