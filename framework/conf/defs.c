/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Copyright (C) 2026 The virtplug developers */
/*
 * defs.c: freeing and copying domain and snapshot definitions.
 *
 * Owns vp_plugin_domain_def_free/copy, which walk the table of the
 * domain definition's fields (domain-fields.c), and
 * vp_plugin_snapshot_def_free. They handle plain C structs and so stay in
 * the core: freeing or copying a definition must never load the XML
 * module (and with it libxml2).
 */
#include <config.h>

#include <stdlib.h>

#include "internal.h"
#include "conf/def-clear.h"
#include "conf/domain-fields.h"

#include <virtplug/sdk/conf.h>

/* Free the strings, lists and arrays of the fields @fields of the struct
 * at @base (not @base itself). Every field, whatever the others hold:
 * a definition a driver built may be inconsistent. */
static void
fields_free(const field *fields, void *base)
{
    for (const field *f = fields; f && f->path; f++) {
        if (f->flags & FL_OUT)
            continue; /* another entry owns it */
        char **p = vpi_field_at(base, f);
        if (f->kind == F_STR)
            free(*p);
        if (f->kind == F_BOOL || f->kind == F_GROUP)
            fields_free(f->kids, base);
        if (!vpi_field_repeats(f))
            continue;
        for (size_t i = 0; *p && i < vpi_field_count(base, f); i++)
            if (f->kind == F_LIST)
                free(((char **)*p)[i]);
            else
                fields_free(f->kids, *p + i * f->elem_size);
        free(*p);
    }
}

/* Make the fields @fields of @dst, a shallow copy of @src, its own. */
static void
fields_copy(const field *fields, void *dst, const void *src)
{
    for (const field *f = fields; f && f->path; f++) {
        if (f->flags & FL_OUT)
            continue;
        char **d = vpi_field_at(dst, f);
        char *const *s = vpi_field_at(src, f);
        size_t n = vpi_field_repeats(f) ? vpi_field_count(src, f) : 0;
        if (f->kind == F_STR)
            *d = vp_strdup(*s);
        else if (f->kind == F_BOOL || f->kind == F_GROUP)
            fields_copy(f->kids, dst, src);
        else if (f->kind == F_LIST)
            *d = n ? (char *)vp_new0(char *, n) : NULL;
        else if (f->kind == F_ARRAY)
            *d = n ? vp_plugin_oom_check_(calloc(n, f->elem_size)) : NULL;
        for (size_t i = 0; i < n; i++) {
            if (f->kind == F_LIST) {
                ((char **)*d)[i] = vp_strdup(((char *const *)*s)[i]);
                continue;
            }
            memcpy(*d + i * f->elem_size, *s + i * f->elem_size, f->elem_size);
            fields_copy(f->kids, *d + i * f->elem_size, *s + i * f->elem_size);
        }
    }
}

VP_EXPORT void
vp_plugin_domain_def_free(vp_domain_def *def)
{
    if (!def)
        return;
    fields_free(vpi_domain_fields, def);
    free(def);
}

VP_EXPORT vp_domain_def *
vp_plugin_domain_def_copy(const vp_domain_def *def)
{
    if (!def)
        return NULL;
    vp_domain_def *c = vp_new0(vp_domain_def, 1);
    *c = *def;
    fields_copy(vpi_domain_fields, c, def);
    return c;
}

VP_EXPORT void
vp_plugin_snapshot_def_free(vp_snapshot_def *def)
{
    if (!def)
        return;
    for (size_t i = 0; i < def->n_disks; i++)
        vpi_snapshot_disk_def_clear(&def->disks[i]);
    free(def->disks);
    free(def->name);
    free(def->description);
    free(def->parent);
    free(def->domain_xml);
    free(def);
}
