/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Copyright (C) 2026 The virtplug developers */
/*
 * xml-module.h: the table between libvirtplug and its XML module.
 *
 * Everything that needs libxml2 (the domain and snapshot parsers and
 * formatters, the test driver's node files) lives in virtplug-xml.so, a
 * module in $(pkglibdir) that the core loads on the first call that needs
 * it (xml-lazy.c), so that a process which never touches XML never maps
 * libxml2 and what it pulls in. The module exports one symbol, a
 * vpi_xml_module; the core checks its header before using any slot.
 */
#ifndef VIRTPLUG_CONF_XML_MODULE_H
#define VIRTPLUG_CONF_XML_MODULE_H

#include <stdbool.h>
#include <stdint.h>

#include <virtplug/sdk/conf.h>
#include <virtplug/sdk/driver.h>

#define VPI_XML_MODULE_SYMBOL "virtplug_xml_module"
#define VPI_XML_MODULE_MAGIC 0x56505831u /* "VPX1" */
/* Bumped on any change of the table: core and module ship together, so
 * only an exact match is accepted. */
#define VPI_XML_MODULE_VERSION 7u

/* domain_model_format: leave out the attributes the schema declares
 * secret (<graphics passwd>), as libvirt without VIR_DOMAIN_XML_SECURE. */
#define VPI_MODEL_FORMAT_NO_SECRETS (1u << 0)

/* Called by the node-file reader for each <domain>: takes @def, also on
 * failure (as test_host_define() does). */
typedef int (*vpi_nodefile_add_fn)(void *opaque, vp_domain_def *def, int state, int reason);

/* The whole domain model (model.h), opaque to the core. */
typedef struct vpi_domain_model vpi_domain_model;
/* A driver's compiled capabilities (model-caps.h), opaque to the core. */
typedef struct vpi_caps vpi_caps;

typedef struct vpi_xml_module {
    uint32_t magic;
    uint32_t version;
    uint32_t size; /* sizeof(vpi_xml_module) of the module's build */
    int (*domain_def_parse)(const char *xml, unsigned int flags, vp_domain_def **ret_def);
    int (*domain_def_format)(const vp_domain_def *def, unsigned int flags, char **ret_xml);
    int (*snapshot_def_parse)(const char *xml, unsigned int flags, vp_snapshot_def **ret_def);
    int (*snapshot_def_format)(const vp_snapshot_def *def, unsigned int flags, char **ret_xml);
    /* Read the node file @path, calling @add for each domain in order.
     * Errors name the file and the line. */
    int (*nodefile_read)(const char *path, vpi_nodefile_add_fn add, void *opaque);
    /* The whole domain model, for drivers that model it (the test driver):
     * @ret_def gets the 1.0 fields the core reads (name, uuid, memory, ...),
     * @ret_model everything, for domain_model_format. */
    int (*domain_model_parse)(const char *xml, unsigned int flags, const vpi_caps *caps,
                              vp_domain_def **ret_def, vpi_domain_model **ret_model);
    /* @flags: 0 or VPI_MODEL_FORMAT_NO_SECRETS. */
    int (*domain_model_format)(const vpi_domain_model *model, unsigned int flags, char **ret_xml);
    void (*domain_model_free)(vpi_domain_model *model);
    /* Version 3: capabilities (model-caps.h) and the SDK's read access. */
    int (*caps_compile)(const char *driver, const vp_plugin_domain_cap *table, const char *ns,
                        vpi_caps **ret_caps);
    void (*caps_free)(vpi_caps *caps);
    int (*caps_format)(const vpi_caps *caps, bool json, char **ret_text);
    vpi_domain_model *(*domain_model_copy)(const vpi_domain_model *model);
    const void *(*model_kid)(const void *node, const char *name, size_t index);
    const char *(*model_name)(const void *node);
    const char *(*model_attr)(const void *node, const char *name);
    const char *(*model_text)(const void *node);
    const char *(*model_get)(const vpi_domain_model *model, const char *path);
    char *(*model_ns_xml)(const vpi_domain_model *model, const char *uri);
    /* Version 4: what vp_plugin_domain_def_parse() accepts, as a driver's
     * capability table: the capabilities of a plugin built for ABI 1.0. */
    const vp_plugin_domain_cap *caps_1_0;
    /* Version 5: one change to a <domain> document (xml-edit.c), for
     * vp_plugin_domain_xml_set(). */
    int (*domain_xml_set)(const char *xml, const char *path, const char *value, char **ret_xml);
    /* Version 6: a driver's domain XML as the model formats it without
     * what the schema declares secret (VPI_MODEL_FORMAT_NO_SECRETS). */
    int (*domain_xml_hide_secrets)(const char *xml, const vpi_caps *caps, char **ret_xml);
    /* Version 7: the nodes an XPath expression selects (xml-xpath.c), for
     * vp_plugin_xml_xpath(). */
    int (*xml_xpath)(const char *xml, const char *expr, bool wrap, char ***ret_texts,
                     size_t *ret_n);
} vpi_xml_module;

/* The XML module, loaded and checked on the first call, then kept.
 * Errors: VP_ERR_NO_PLUGIN (the file is missing), VP_ERR_PLUGIN_INVALID
 * (unsafe file, no table, table of another build). Both name the file. */
__attribute__((visibility("hidden"))) int vpi_xml_module_get(const vpi_xml_module **ret_module);

/* The module's domain_model_* slots, for the core's test driver. */
__attribute__((visibility("hidden"))) int
vpi_domain_model_parse(const char *xml, vp_domain_def **ret_def, vpi_domain_model **ret_model);
/* The same, checked against @caps (NULL: none). */
__attribute__((visibility("hidden"))) int vpi_domain_model_parse_caps(const char *xml,
                                                                      const vpi_caps *caps,
                                                                      vp_domain_def **ret_def,
                                                                      vpi_domain_model **ret_model);
__attribute__((visibility("hidden"))) int vpi_domain_model_format(const vpi_domain_model *model,
                                                                  char **ret_xml);
/* @xml, a driver's domain XML, read with the driver's compiled @caps
 * (NULL: none; they declare its domain types and namespace), as the model
 * formats it without its secrets (VPI_MODEL_FORMAT_NO_SECRETS). Returns a
 * new string (transfer full). Errors: those of the module's loading and
 * of the parse. */
__attribute__((visibility("hidden"))) int
vpi_domain_xml_hide_secrets(const char *xml, const vpi_caps *caps, char **ret_xml);
/* NULL-safe; loads nothing for NULL. */
__attribute__((visibility("hidden"))) void vpi_domain_model_free(vpi_domain_model *model);

/* Where the core looks for the module: $VIRTPLUG_XML_MODULE or the
 * compiled-in path. */
__attribute__((visibility("hidden"))) const char *vpi_xml_module_path(void);

/* The current vCPUs of @model (NULL: none): <vcpu current>, else @max, the
 * <vcpu> of its definition (domain-config.c). */
__attribute__((visibility("hidden"))) unsigned int
vpi_domain_model_vcpus(const vpi_domain_model *model, unsigned int max);

/* The module's edit of a <domain> document (xml-edit.c). */
/* The module's xml_xpath slot (xml-xpath.c). */
__attribute__((visibility("hidden"))) int
vpi_xml_xpath(const char *xml, const char *expr, bool wrap, char ***ret_texts, size_t *ret_n);
__attribute__((visibility("hidden"))) int vpi_xml_set(const char *xml, const char *path,
                                                      const char *value, char **ret_xml);

/* The module's node-file reader (builtin/test/test-nodefile-xml.c). */
__attribute__((visibility("hidden"))) int vpi_nodefile_read(const char *path,
                                                            vpi_nodefile_add_fn add, void *opaque);

#endif /* VIRTPLUG_CONF_XML_MODULE_H */
