/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Copyright (C) 2026 The virtplug developers */
/*
 * model.h: the domain model, declared once and walked generically.
 *
 * Every element of libvirt's domain XML that virtplug models is declared
 * once, as one line of the schema text in model-schema*.c: its attributes
 * with their types and enums, its text, whether it repeats, and (by
 * indentation) its children. model-compile.c turns that text into the
 * vpi_melem tables below; parsing and validation (model-parse.c),
 * formatting (model-format.c), the refusal of anything undeclared, and
 * the 1.0 struct vp_domain_def (domain-def.c) are all derived from those
 * tables. Internal to the XML module.
 */
#ifndef VIRTPLUG_CONF_MODEL_H
#define VIRTPLUG_CONF_MODEL_H

#include <stdbool.h>
#include <stddef.h>

#include <libxml/tree.h>

#include <virtplug/sdk/alloc.h>
#include <virtplug/sdk/conf.h>

#include "conf/xml-util.h"
#include "conf/xml-module.h"

VP_DEFINE_CLEANUP(vp_domain_def, vp_plugin_domain_def_free)

/* How a value (attribute or text) is checked and normalised. */
typedef enum vpi_vtype {
    VPI_V_STR,    /* any text */
    VPI_V_ENUM,   /* one of choices */
    VPI_V_NUM,    /* unsigned decimal or 0x-hexadecimal number */
    VPI_V_INT,    /* signed decimal number */
    VPI_V_KIB,    /* a size with a sibling 'unit' attribute: stored in KiB, as libvirt does */
    VPI_V_MAC,    /* a unicast MAC address: stored in lower case, two digits a byte */
    VPI_V_UUID,   /* a uuid: stored in lower case with its dashes */
    VPI_V_CPUSET, /* CPU or node numbers, "0-3,^2,8": stored as libvirt writes it, "0-1,3,8" */
} vpi_vtype;

typedef struct vpi_mvalue {
    vpi_vtype type;
    const char *const *choices; /* VPI_V_ENUM: NULL-terminated */
} vpi_mvalue;

typedef struct vpi_mattr {
    const char *name;
    vpi_mvalue value;
    bool required;
    bool secret; /* ':secret': any text, left out by VPI_MODEL_FORMAT_NO_SECRETS */
} vpi_mattr;

/* One declared element. Its kids are declarations too; a group (&name in
 * the schema) is shared by every element that uses it, so recursion such
 * as <backingStore> in <backingStore> is one declaration. */
typedef struct vpi_melem {
    const char *name;
    bool multiple; /* may repeat in its parent */
    bool verbatim; /* content of any namespace, kept as written (<metadata>) */
    bool has_text;
    vpi_mvalue text;
    const vpi_mattr *attrs;
    size_t n_attrs;
    struct vpi_melem *const *kids;
    size_t n_kids;
} vpi_melem;

/* The memory of one model: its nodes, their value arrays, kid arrays and
 * strings are carved out of a few large blocks and freed together, so a
 * parse costs a handful of allocations instead of one per value. Nothing
 * in it is freed alone: a replaced value stays until the model goes. */
typedef struct vpi_arena vpi_arena;

/* An arena whose first block holds about @size_hint bytes. (transfer full) */
VPI_HIDDEN_ vpi_arena *vpi_arena_new(size_t size_hint);
VPI_HIDDEN_ void vpi_arena_free(vpi_arena *a);
/* @size zeroed bytes, aligned for any object; aborts when out of memory. */
VPI_HIDDEN_ void *vpi_arena_alloc0(vpi_arena *a, size_t size);
/* A copy of @s (NULL: NULL) or of its first @len bytes, in @a. */
VPI_HIDDEN_ char *vpi_arena_strdup(vpi_arena *a, const char *s);
VPI_HIDDEN_ char *vpi_arena_strndup(vpi_arena *a, const char *s, size_t len);
/* How many bytes @a holds: the size hint of a copy. */
VPI_HIDDEN_ size_t vpi_arena_used(const vpi_arena *a);

/* One parsed element. vals[i] is the value of decl->attrs[i] or NULL.
 * Kids are kept sorted by their declaration's position in the parent, and
 * in document order among equals: the canonical (libvirt's) order. The
 * node and everything it points to live in @arena, the model's. */
typedef struct vpi_mnode {
    const vpi_melem *decl; /* NULL: a foreign-namespace element kept verbatim in text */
    unsigned order;        /* index of decl in the parent's kids */
    unsigned line;         /* where it was read, for messages after the parse; 0: added */
    char **vals;
    char *text; /* text content; verbatim XML for decl->verbatim or decl NULL */
    char *ns;   /* decl NULL: the namespace URI of the foreign element */
    struct vpi_mnode **kids;
    size_t n_kids;
    size_t cap_kids; /* room in kids */
    vpi_arena *arena;
} vpi_mnode;

/* Between the elements of verbatim text: 0x1e cannot occur in XML 1.0. */
#define VPI_MODEL_VERBATIM_SEP "\x1e"

/* A parsed <domain>, itself in @arena. root stays the first member:
 * model-lazy.c reads it without this header. */
typedef struct vpi_domain_model {
    vpi_mnode *root;
    char *xmlns; /* " xmlns:p='uri'..." of the root element, for foreign elements */
    vpi_arena *arena;
    bool text_pairs; /* write an empty text as <x></x>, as the 1.0 format always did */
} vpi_domain_model;

/* An empty model (no root yet) in a new arena of about @size_hint bytes. */
VPI_HIDDEN_ vpi_domain_model *vpi_model_new(size_t size_hint);

/* The declaration of <domain>, compiled on first use (thread-safe). */
VPI_HIDDEN_ const vpi_melem *vpi_model_schema(void);

/* The declared child @name of @parent, or NULL; its index in *ret_index. */
VPI_HIDDEN_ const vpi_melem *vpi_melem_kid(const vpi_melem *parent, const char *name,
                                           unsigned *ret_index);
/* The declared attribute @name of @e, or -1. */
VPI_HIDDEN_ int vpi_melem_attr(const vpi_melem *e, const char *name);
/* model-value.c: whether @value fits @v (no message); the error for one
 * that does not, @what naming it; its canonical form (libvirt's), in @a
 * unless it is @value itself. */
VPI_HIDDEN_ bool vpi_model_value_ok(const vpi_mvalue *v, const char *value);
VPI_HIDDEN_ int vpi_model_check_value(const vpi_xml *x, xmlNode *node, const char *what,
                                      const vpi_mvalue *v, const char *value);
VPI_HIDDEN_ char *vpi_model_value_canonical(vpi_arena *a, const vpi_mvalue *v, char *value);
/* Whether values of @v are stored in a canonical form. */
static inline bool
vpi_model_value_normalised(const vpi_mvalue *v)
{
    return v->type == VPI_V_MAC || v->type == VPI_V_UUID || v->type == VPI_V_CPUSET;
}

/* model-node.c: tree helpers. A node is freed with its model's arena. */
VPI_HIDDEN_ vpi_mnode *vpi_mnode_new(vpi_arena *arena, const vpi_melem *decl, unsigned order);
/* A deep copy of @n in @arena. */
VPI_HIDDEN_ vpi_mnode *vpi_mnode_copy(vpi_arena *arena, const vpi_mnode *n);
/* Make room for @n more kids of @parent. */
VPI_HIDDEN_ void vpi_mnode_reserve(vpi_mnode *parent, size_t n);
/* Insert @kid (of @parent's arena) at its canonical place among @parent's kids. */
VPI_HIDDEN_ void vpi_mnode_insert(vpi_mnode *parent, vpi_mnode *kid);
/* Create and insert a kid of declared name @name (which must exist). */
VPI_HIDDEN_ vpi_mnode *vpi_mnode_add(vpi_mnode *parent, const char *name);
/* The first kid named @name, or NULL. */
VPI_HIDDEN_ vpi_mnode *vpi_mnode_kid(const vpi_mnode *n, const char *name);
/* The value of attribute @name, or NULL. */
VPI_HIDDEN_ const char *vpi_mnode_get(const vpi_mnode *n, const char *name);
/* Set attribute @name (declared) to a copy of @value (NULL removes it). */
VPI_HIDDEN_ void vpi_mnode_set(vpi_mnode *n, const char *name, const char *value);
/* Set the text of @n to a copy of @text. */
VPI_HIDDEN_ void vpi_mnode_set_text(vpi_mnode *n, const char *text);

/* model-rules.c: libvirt's rules that need the whole domain. */
VPI_HIDDEN_ int vpi_model_rules(const vpi_xml *x, xmlNode *node, vpi_domain_model *m);

/* The 1.0 struct vp_domain_def over the model. domain-subset.c: the
 * checks of the 1.0 subset that its capabilities cannot say (run on a
 * model parsed against them, before vpi_model_rules). domain-def.c: the
 * fields of @def, all derived from @m (values the struct cannot hold
 * stay empty). */
VPI_HIDDEN_ int vpi_domain_subset_check(const vpi_xml *x, const vpi_domain_model *m);
VPI_HIDDEN_ void vpi_domain_def_from_model(const vpi_domain_model *m, vp_domain_def *def);
/* The 1.0 subset's capability table, for drivers built before ABI 1.1. */
VPI_HIDDEN_ extern const vp_plugin_domain_cap vpi_domain_caps_1_0[];

/* The XML module's entry points (xml-module.h slots). With the 1.0
 * subset's capabilities (caps->subset), its rules run too. */
VPI_HIDDEN_ int vpi_model_parse(const char *xml, unsigned int flags, const vpi_caps *caps,
                                vp_domain_def **ret_def, vpi_domain_model **ret_model);
VPI_HIDDEN_ int vpi_model_format(const vpi_domain_model *m, unsigned int flags, char **ret_xml);
/* @xml formatted without its secrets (domain_xml_hide_secrets slot). */
VPI_HIDDEN_ int vpi_model_hide_secrets(const char *xml, const vpi_caps *caps, char **ret_xml);
/* The names of the attributes the schema declares ':secret', NULL-terminated. */
VPI_HIDDEN_ const char *const *vpi_model_secret_names(void);
VPI_HIDDEN_ void vpi_model_free(vpi_domain_model *m);
VPI_HIDDEN_ vpi_domain_model *vpi_model_copy(const vpi_domain_model *m);

/* model-access.c: the SDK's read access (vp_plugin_domain_model_*). */
VPI_HIDDEN_ const void *vpi_model_access_kid(const void *node, const char *name, size_t index);
VPI_HIDDEN_ const char *vpi_model_access_name(const void *node);
VPI_HIDDEN_ const char *vpi_model_access_attr(const void *node, const char *name);
VPI_HIDDEN_ const char *vpi_model_access_text(const void *node);
VPI_HIDDEN_ const char *vpi_model_access_get(const vpi_domain_model *m, const char *path);
VPI_HIDDEN_ char *vpi_model_access_ns_xml(const vpi_domain_model *m, const char *uri);

#endif /* VIRTPLUG_CONF_MODEL_H */
