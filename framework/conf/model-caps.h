/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Copyright (C) 2026 The virtplug developers */
/*
 * model-caps.h: a driver's capabilities, compiled over the domain model.
 *
 * A driver declares what it supports as a table of paths of the model and
 * their values (vp_plugin_domain_cap, driver.h). model-caps.c compiles that
 * table once per driver into a tree of vpi_capnode parallel to the schema
 * declarations, so that the parser (model-parse.c) checks each element,
 * attribute and value against it while it reads them, with their line,
 * and the capabilities document is written from the same tree. Internal
 * to the XML module.
 */
#ifndef VIRTPLUG_CONF_MODEL_CAPS_H
#define VIRTPLUG_CONF_MODEL_CAPS_H

#include "conf/model.h"
#include "conf/xml-module.h"

/* What a driver supports of one element (at one path). */
typedef struct vpi_capnode {
    const vpi_melem *decl;
    bool all;                      /* '*': whatever no entry below restricts */
    bool open_text;                /* text values the model lacks are the driver's own */
    const char *const *text;       /* allowed text values, NULL: any */
    bool *attr_ok;                 /* [decl->n_attrs] */
    bool *attr_open;               /* [decl->n_attrs]: values of the driver's own */
    const char *const **attr_vals; /* [decl->n_attrs]: allowed values, NULL: any */
    struct vpi_capnode **kids;     /* [decl->n_kids]: NULL unsupported (unless all) */
} vpi_capnode;

struct vpi_caps {
    char *driver;      /* for messages: "qemu" */
    char *ns;          /* the driver's namespace URI, or NULL */
    bool everything;   /* the table is {"*"}: nothing to check */
    bool subset;       /* the 1.0 subset of vp_plugin_domain_def_parse(): its rules and words */
    vpi_capnode *root; /* <domain> */
};

/* Compile @table of driver @driver (namespace @ns, may be NULL).
 * Errors: VP_ERR_PLUGIN_INVALID naming the entry that is not a path of
 * the model or holds a value the model lacks. (transfer full) */
VPI_HIDDEN_ int vpi_caps_compile(const char *driver, const vp_plugin_domain_cap *table,
                                 const char *ns, vpi_caps **ret_caps);
VPI_HIDDEN_ void vpi_caps_free(vpi_caps *caps);

/* The capnode of kid @index of @cap (NULL @cap: unrestricted), for the
 * parser; *@ret_ok false when the kid is not supported. */
VPI_HIDDEN_ const vpi_capnode *vpi_caps_kid(const vpi_capnode *cap, size_t index, bool *ret_ok);
/* Whether @value is one of @choices (NULL: any). */
VPI_HIDDEN_ bool vpi_caps_has(const char *const *choices, const char *value);

/* The refusals: "driver 'D' does not support <E a='v'>; it supports: ..." */
VPI_HIDDEN_ int vpi_caps_refuse_attr(const vpi_xml *x, xmlNode *node, const vpi_caps *caps,
                                     const vpi_capnode *cap, size_t attr, const char *value);
VPI_HIDDEN_ int vpi_caps_refuse_text(const vpi_xml *x, xmlNode *node, const vpi_caps *caps,
                                     const vpi_capnode *cap, const char *value);
VPI_HIDDEN_ int vpi_caps_refuse_kid(const vpi_xml *x, xmlNode *kid, const vpi_caps *caps,
                                    const vpi_capnode *parent);
VPI_HIDDEN_ int vpi_caps_refuse_ns(const vpi_xml *x, xmlNode *kid, const vpi_caps *caps);

/* model-caps-format.c: the <domainCapabilities> document, or its JSON
 * form (@json). (transfer full) */
VPI_HIDDEN_ int vpi_caps_format(const vpi_caps *caps, bool json, char **ret_text);

#endif /* VIRTPLUG_CONF_MODEL_CAPS_H */
