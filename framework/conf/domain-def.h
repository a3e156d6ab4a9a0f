/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Copyright (C) 2026 The virtplug developers */
/*
 * domain-def.h: the 1.0 struct vp_domain_def over the model, shared by
 * domain-def.c (its fields: derived from a model, built into one) and
 * domain-subset.c (what the 1.0 subset accepts). Internal to the XML
 * module.
 */
#ifndef VIRTPLUG_CONF_DOMAIN_DEF_H
#define VIRTPLUG_CONF_DOMAIN_DEF_H

#include <stdbool.h>
#include <stddef.h>

#include "conf/model.h"

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
VPI_HIDDEN_ extern const field vpi_domain_fields[];

/* A field's path cut into its element steps and its attribute (or NULL:
 * the text of the last element). */
typedef struct fpath {
    char buf[64];
    const char *steps[4];
    size_t n;
    const char *attr;
} fpath;

/* Cut @path into @p. */
VPI_HIDDEN_ void vpi_fpath_split(const char *path, fpath *p);
/* The node of the first @n steps of @p below @node, the first of each, or NULL. */
VPI_HIDDEN_ const vpi_mnode *vpi_fpath_find(const vpi_mnode *node, const fpath *p, size_t n);

/* Whether @f is one per repeated element (a list or an array). */
static inline bool
vpi_field_repeats(const field *f)
{
    return f->kind == F_LIST || f->kind == F_ARRAY;
}

#endif /* VIRTPLUG_CONF_DOMAIN_DEF_H */
