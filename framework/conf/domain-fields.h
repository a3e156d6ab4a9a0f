/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Copyright (C) 2026 The virtplug developers */
/*
 * domain-fields.h: the fields of the 1.0 struct vp_domain_def, declared
 * once as a table (domain-fields.c) with their place in the domain model.
 * Read by the core's free and copy (defs.c) and by the XML module, which
 * derives the fields from a model and builds a model from them
 * (domain-def.c) and checks the 1.0 subset (domain-subset.c). Both
 * objects compile the table; it holds no libxml2 type.
 */
#ifndef VIRTPLUG_CONF_DOMAIN_FIELDS_H
#define VIRTPLUG_CONF_DOMAIN_FIELDS_H

#include <stdbool.h>
#include <stddef.h>

#include <virtplug/sdk/conf.h>

#define AGENT_CHANNEL_NAME "org.qemu.guest_agent.0"

typedef enum field_kind {
    F_STR,   /* char *: an attribute or a text; .value is the default */
    F_KIB,   /* uint64_t: a size, written in KiB */
    F_U32,   /* uint32_t: a number; .value is the default */
    F_UUID,  /* unsigned char[16] */
    F_ENUM,  /* int: the index of the value in .names, whose first ("none") is no element */
    F_LIST,  /* char ** and its count: the attribute of a repeated element */
    F_ARRAY, /* a struct array and its count: one element each, .kids inside it */
    F_BOOL,  /* bool: the element is there; .kids inside it */
    F_GROUP, /* the element is there when the field is set; .kids inside it set the field */
    F_CONST, /* the one value the subset's capabilities allow, written out */
} field_kind;

/* 1.0 checks of a value beyond its type in the model. */
typedef enum field_check {
    C_NONE,
    C_PATH,     /* an absolute path without control characters */
    C_ARCH,     /* a word QEMU's command line can take, up to 32 characters */
    C_MACHINE,  /* the same, up to 64 */
    C_DISK_DEV, /* vda, sdb, hdc */
    C_VCPUS,    /* 1 to MAX_VCPUS, decimal */
    C_SIZE,     /* not 0 */
} field_check;

enum {
    FL_REQ = 1 << 0,  /* an attribute its element must have */
    FL_OUT = 1 << 1,  /* written only: the field is read from another place */
    FL_NEED = 1 << 2, /* a definition without it cannot be formatted (would not parse back) */
};

typedef struct field {
    const char *path; /* "os/type/@arch", "memory"; from the element of the enclosing entry */
    field_kind kind;
    const char *name; /* of the C field, for messages */
    size_t off;
    size_t size;              /* of the C field */
    size_t n_off;             /* F_LIST, F_ARRAY: of the count */
    size_t elem_size;         /* F_ARRAY */
    const char *value;        /* F_CONST: the value; F_STR, F_U32: the default */
    const char *const *names; /* F_ENUM */
    const struct field *kids; /* F_ARRAY, F_BOOL, F_GROUP */
    field_check check;
    unsigned flags;
} field;

/* The fields of vp_domain_def, from <domain>. */
__attribute__((visibility("hidden"))) extern const field vpi_domain_fields[];

/* Whether @f is one per repeated element (a list or an array). */
static inline bool
vpi_field_repeats(const field *f)
{
    return f->kind == F_LIST || f->kind == F_ARRAY;
}

/* The field of @f in the struct at @base. */
static inline void *
vpi_field_at(const void *base, const field *f)
{
    return (char *)base + f->off;
}

/* The count of the list or array @f in the struct at @base. */
static inline size_t
vpi_field_count(const void *base, const field *f)
{
    return *(const size_t *)((const char *)base + f->n_off);
}

/* Whether the field of @f in @base is set (not all zero bytes). */
static inline bool
vpi_field_is_set(const void *base, const field *f)
{
    const unsigned char *p = (const unsigned char *)base + f->off;
    for (size_t i = 0; i < f->size; i++)
        if (p[i])
            return true;
    return false;
}

#endif /* VIRTPLUG_CONF_DOMAIN_FIELDS_H */
