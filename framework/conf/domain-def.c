/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Copyright (C) 2026 The virtplug developers */
/*
 * domain-def.c: the 1.0 struct vp_domain_def, as a view of the model.
 *
 * Owns walking the field table (domain-fields.c) over a model: the
 * fields derived from a parsed one (vp_plugin_domain_def_parse() is the
 * model's parse against the 1.0 subset, domain-subset.c), and the model
 * that vp_plugin_domain_def_format() builds from the fields and writes
 * with the model's formatter, after checking that the definition holds
 * what its output needs. No element, attribute or default of the 1.0
 * struct is written here. It must never print.
 */
#include <config.h>

#include <assert.h>
#include <ctype.h>
#include <stdlib.h>

#include "internal.h"
#include "conf/domain-def.h"

/* ---- Paths ------------------------------------------------------------ */

void
vpi_fpath_split(const char *path, fpath *p)
{
    size_t len = strlen(path);
    assert(len < sizeof(p->buf));
    memcpy(p->buf, path, len + 1);
    p->n = 0;
    p->attr = NULL;
    char *save = NULL;
    for (char *s = strtok_r(p->buf, "/", &save); s; s = strtok_r(NULL, "/", &save)) {
        if (s[0] == '@') {
            p->attr = s + 1;
            break;
        }
        assert(p->n < sizeof(p->steps) / sizeof(p->steps[0]));
        p->steps[p->n++] = s;
    }
}

const vpi_mnode *
vpi_fpath_find(const vpi_mnode *node, const fpath *p, size_t n)
{
    for (size_t i = 0; node && i < n; i++)
        node = vpi_mnode_kid(node, p->steps[i]);
    return node;
}

/* ---- The fields from the model ----------------------------------------- */

/* A number as the model accepts it: decimal, or hexadecimal with 0x. */
static uint64_t
number(const char *s)
{
    while (isspace((unsigned char)*s))
        s++;
    bool hex = s[0] == '0' && (s[1] == 'x' || s[1] == 'X');
    return strtoull(s, NULL, hex ? 16 : 10);
}

static void derive_fields(const vpi_mnode *node, const field *fields, void *base);

/* The value of @f at @node, the element its path ends at (NULL: absent). */
static void
derive_one(const vpi_mnode *node, const field *f, const fpath *p, void *base)
{
    const char *v = !node ? NULL : p->attr ? vpi_mnode_get(node, p->attr) : node->text;
    switch (f->kind) {
    case F_STR:
        *(char **)vpi_field_at(base, f) = vp_strdup(v ? v : f->value);
        break;
    case F_KIB:
        *(uint64_t *)vpi_field_at(base, f) = v ? number(v) : 0;
        break;
    case F_U32: {
        uint64_t n = number(v ? v : f->value);
        *(uint32_t *)vpi_field_at(base, f) = n > UINT32_MAX ? UINT32_MAX : (uint32_t)n;
        break;
    }
    case F_UUID:
        if (v)
            vp_plugin_uuid_parse(v, vpi_field_at(base, f));
        break;
    case F_ENUM:
        for (size_t i = 1; v && f->names[i]; i++)
            if (strcmp(f->names[i], v) == 0)
                *(int *)vpi_field_at(base, f) = (int)i;
        break;
    case F_BOOL:
        *(bool *)vpi_field_at(base, f) = node != NULL;
        /* fall through */
    case F_GROUP:
        if (node)
            derive_fields(node, f->kids, base);
        break;
    case F_LIST:
    case F_ARRAY:
    case F_CONST:
        break;
    }
}

/* Each @f of a repeated element: one more list entry or array element. */
static void
derive_repeated(const vpi_mnode *node, const field *f, const fpath *p, void *base)
{
    const vpi_mnode *parent = vpi_fpath_find(node, p, p->n - 1);
    const char *name = p->steps[p->n - 1];
    size_t *count = (size_t *)((char *)base + f->n_off);
    void **array = vpi_field_at(base, f);
    for (size_t i = 0; parent && i < parent->n_kids; i++) {
        const vpi_mnode *kid = parent->kids[i];
        if (!kid->decl || strcmp(kid->decl->name, name) != 0)
            continue;
        size_t size = f->kind == F_LIST ? sizeof(char *) : f->elem_size;
        *array = vp_plugin_oom_check_(realloc(*array, (*count + 1) * size));
        void *elem = (char *)*array + *count * size;
        memset(elem, 0, size);
        (*count)++;
        if (f->kind == F_LIST)
            *(char **)elem = vp_strdup(vpi_mnode_get(kid, p->attr));
        else
            derive_fields(kid, f->kids, elem);
    }
}

static void
derive_fields(const vpi_mnode *node, const field *fields, void *base)
{
    for (const field *f = fields; f && f->path; f++) {
        if (f->flags & FL_OUT)
            continue;
        fpath p;
        vpi_fpath_split(f->path, &p);
        if (vpi_field_repeats(f))
            derive_repeated(node, f, &p, base);
        else
            derive_one(vpi_fpath_find(node, &p, p.n), f, &p, base);
    }
}

void
vpi_domain_def_from_model(const vpi_domain_model *m, vp_domain_def *def)
{
    derive_fields(m->root, vpi_domain_fields, def);
    /* A cdrom is read-only whether or not the XML says so, as in libvirt. */
    for (size_t i = 0; i < def->n_disks; i++)
        if (strcmp(def->disks[i].device, "cdrom") == 0)
            def->disks[i].readonly = true;
}

/* ---- Format ----------------------------------------------------------- */

/* The node at @p below @node, each step created when missing; the last
 * one always created for a repeated element. */
static vpi_mnode *
make_path(vpi_mnode *node, const fpath *p, bool new_last)
{
    for (size_t i = 0; i < p->n; i++) {
        vpi_mnode *kid = new_last && i + 1 == p->n ? NULL : vpi_mnode_kid(node, p->steps[i]);
        node = kid ? kid : vpi_mnode_add(node, p->steps[i]);
    }
    return node;
}

static void
put(vpi_mnode *node, const fpath *p, const char *value)
{
    if (p->attr)
        vpi_mnode_set(node, p->attr, value);
    else
        vpi_mnode_set_text(node, value);
}

static void build_fields(vpi_mnode *node, const field *fields, const void *base);

static void
build_one(vpi_mnode *node, const field *f, const fpath *p, const void *base)
{
    char num[40];
    const char *v = NULL;
    switch (f->kind) {
    case F_STR:
        v = *(char *const *)vpi_field_at(base, f);
        v = v ? v : f->value;
        break;
    case F_KIB:
        snprintf(num, sizeof(num), "%llu",
                 (unsigned long long)*(const uint64_t *)vpi_field_at(base, f));
        v = num;
        vpi_mnode_set(make_path(node, p, false), "unit", "KiB");
        break;
    case F_U32:
        snprintf(num, sizeof(num), "%u", *(const uint32_t *)vpi_field_at(base, f));
        v = *(const uint32_t *)vpi_field_at(base, f) ? num : f->value;
        break;
    case F_UUID:
        v = vp_plugin_uuid_format(vpi_field_at(base, f), num);
        break;
    case F_ENUM:
        v = *(const int *)vpi_field_at(base, f) ? f->names[*(const int *)vpi_field_at(base, f)]
                                                : NULL;
        break;
    case F_CONST:
        v = f->value;
        break;
    case F_BOOL:
    case F_GROUP:
        if (vpi_field_is_set(base, f))
            build_fields(make_path(node, p, false), f->kids, base);
        return;
    case F_LIST:
    case F_ARRAY: {
        size_t count = vpi_field_count(base, f);
        const char *array = *(const char *const *)vpi_field_at(base, f);
        for (size_t i = 0; i < count; i++) {
            vpi_mnode *kid = make_path(node, p, true);
            if (f->kind == F_LIST)
                put(kid, p, ((const char *const *)array)[i]);
            else
                build_fields(kid, f->kids, array + i * f->elem_size);
        }
        return;
    }
    }
    if (v)
        put(make_path(node, p, false), p, v);
}

static void
build_fields(vpi_mnode *node, const field *fields, const void *base)
{
    for (const field *f = fields; f && f->path; f++) {
        fpath p;
        vpi_fpath_split(f->path, &p);
        build_one(node, f, &p, base);
    }
}

static int
missing(const char *prefix, const char *name, const char *suffix)
{
    return vp_error_set(VP_ERR_XML, "cannot format domain XML: the definition has no %s%s%s",
                        prefix, name, suffix);
}

/* Each entry of the list or array @f is there; each element holds what
 * its fields need. */
static int format_check_fields(const field *fields, const void *base, const char *prefix);

static int
format_check_entries(const field *f, const void *base, const char *prefix)
{
    size_t count = vpi_field_count(base, f);
    const char *array = *(const char *const *)vpi_field_at(base, f);
    if (count && !array)
        return missing(prefix, f->name, "");
    for (size_t i = 0; i < count; i++) {
        if (f->kind == F_LIST && !((const char *const *)array)[i])
            return missing(prefix, f->name, "[]");
        if (f->kind == F_ARRAY) {
            char sub[64];
            snprintf(sub, sizeof(sub), "%s%s[].", prefix, f->name);
            int r = format_check_fields(f->kids, array + i * f->elem_size, sub);
            if (r < 0)
                return r;
        }
    }
    return 0;
}

/* What the table says a definition must hold for its output to parse
 * back: the fields marked FL_NEED, whole lists and arrays, enums in
 * range. @prefix names the array an element is in ("disks[]."). */
static int
format_check_fields(const field *fields, const void *base, const char *prefix)
{
    for (const field *f = fields; f && f->path; f++) {
        int r = 0;
        if (f->flags & FL_OUT)
            continue;
        if ((f->flags & FL_NEED) && !vpi_field_is_set(base, f))
            return missing(prefix, f->name, "");
        if (f->kind == F_ENUM) {
            int e = *(const int *)vpi_field_at(base, f);
            size_t n = 0;
            while (f->names[n])
                n++;
            if (e < 0 || (size_t)e >= n)
                return vp_error_set(VP_ERR_XML, "cannot format domain XML: invalid %s%s %d", prefix,
                                    f->name, e);
        }
        if ((f->kind == F_BOOL || f->kind == F_GROUP) && vpi_field_is_set(base, f))
            r = format_check_fields(f->kids, base, prefix);
        else if (vpi_field_repeats(f))
            r = format_check_entries(f, base, prefix);
        if (r < 0)
            return r;
    }
    return 0;
}

/* The table's checks, then the fields that only mean something together
 * with another: writing one without the other would silently lose it. */
static int
format_check(const vp_domain_def *def)
{
    int r = format_check_fields(vpi_domain_fields, def, "");
    if (r < 0)
        return r;
    if (def->serial_type == VP_DOMAIN_SERIAL_FILE && !def->serial_path)
        return missing("", "serial_path", "");
    if (def->current_memory_kib > def->memory_kib)
        return vp_error_set(
            VP_ERR_XML,
            "cannot format domain XML: current_memory_kib %llu is larger than memory_kib %llu",
            (unsigned long long)def->current_memory_kib, (unsigned long long)def->memory_kib);
    if (def->has_console && def->serial_type == VP_DOMAIN_SERIAL_NONE)
        return vp_error_set(
            VP_ERR_XML, "cannot format domain XML: has_console needs a serial port (serial_type)");
    if (def->agent_socket_path && !def->has_agent_channel)
        return vp_error_set(
            VP_ERR_XML,
            "cannot format domain XML: agent_socket_path is set but has_agent_channel is false");
    if (def->serial_path && def->serial_type != VP_DOMAIN_SERIAL_FILE)
        return vp_error_set(
            VP_ERR_XML, "cannot format domain XML: serial_path is set but serial_type is not file");
    return 0;
}

/* The XML module's implementation (see vp_plugin_domain_def_parse). */
int
vp_plugin_domain_def_format(const vp_domain_def *def, unsigned int flags, char **ret_xml)
{
    vp_return_if_fail(def, "def");
    vp_return_if_fail(ret_xml, "ret_xml");
    if (flags)
        return vp_error_set(VP_ERR_INVALID_ARG, "unsupported flags 0x%x for formatting domain XML",
                            flags);
    int r = format_check(def);
    if (r < 0)
        return r;
    /* <currentMemory> is written out, as libvirt does: all of <memory> when unset. */
    vp_domain_def d = *def;
    if (!d.current_memory_kib)
        d.current_memory_kib = d.memory_kib;
    vpi_domain_model *m = vpi_model_new(8192);
    m->root = vpi_mnode_new(m->arena, vpi_model_schema(), 0);
    m->text_pairs = true;
    build_fields(m->root, vpi_domain_fields, &d);
    r = vpi_model_format(m, 0, ret_xml);
    vpi_model_free(m);
    return r;
}
