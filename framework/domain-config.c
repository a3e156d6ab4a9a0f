/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Copyright (C) 2026 The virtplug developers */
/*
 * domain-config.c: the public calls that change a domain's memory and
 * vCPUs (virtplug-domain-config.h), live and in its definition.
 *
 * Owns which of the two a call affects (libvirt's AFFECT_CURRENT rule),
 * the limits every driver shares (at most the maximum, no maximum change
 * on a running domain) and the change of a definition, done here once for
 * every driver: the persistent XML from domain_get_xml, one edit per
 * element (vp_plugin_domain_xml_set), then the same define a user's
 * define goes through, so the driver's caps check it and its define
 * stores it kill-safely. The running domain is changed by the driver's
 * domain_set_memory and domain_set_vcpus slots; this file never talks to
 * a hypervisor.
 */
#include <config.h>

#include <stdio.h>

#include <virtplug/sdk/conf.h>

#include "internal.h"
#include "conf/xml-module.h"

/* The definition as the domain's next start reads it, parsed. */
typedef struct config_def {
    char *xml;
    vp_domain_def *def;
    vpi_domain_model *model;
} config_def;

static void
config_def_clear(config_def *c)
{
    free(c->xml);
    vp_plugin_domain_def_free(c->def);
    vpi_domain_model_free(c->model);
}

static int
domain_active(vp_domain *dom, bool *ret_active)
{
    VPI_HV_SLOT(dom->conn, domain_get_state, "domain-get-state");
    int state, reason;
    int r = vpi_slot_result(
        dom->conn->hv_plugin, "domain-get-state",
        dom->conn->hv->domain_get_state(dom->conn->hv_priv, dom->name, &state, &reason, 0));
    if (r < 0)
        return r;
    *ret_active = state != VP_DOMAIN_SHUTOFF;
    return 0;
}

/* @flags' VP_DOMAIN_AFFECT_* bits with CURRENT resolved; *@ret_active:
 * whether the domain runs. */
static int
resolve_affect(vp_domain *dom, unsigned int flags, unsigned int *ret_affect, bool *ret_active)
{
    bool active = false;
    int r = domain_active(dom, &active);
    if (r < 0)
        return r;
    unsigned int affect = flags & (VP_DOMAIN_AFFECT_LIVE | VP_DOMAIN_AFFECT_CONFIG);
    if (affect == VP_DOMAIN_AFFECT_CURRENT)
        affect = active ? VP_DOMAIN_AFFECT_LIVE : VP_DOMAIN_AFFECT_CONFIG;
    if ((affect & VP_DOMAIN_AFFECT_LIVE) && !active)
        return vp_error_set(VP_ERR_OPERATION_INVALID,
                            "domain '%s' is not running; change its definition instead (config)",
                            dom->name);
    *ret_affect = affect;
    *ret_active = active;
    return 0;
}

static int
config_read(vp_domain *dom, bool active, config_def *ret)
{
    VPI_HV_SLOT(dom->conn, domain_get_xml, "domain-get-xml");
    char *xml = NULL;
    int r =
        vpi_slot_result(dom->conn->hv_plugin, "domain-get-xml",
                        dom->conn->hv->domain_get_xml(dom->conn->hv_priv, dom->name,
                                                      active ? VP_DOMAIN_XML_INACTIVE : 0, &xml));
    if (r < 0)
        return r;
    ret->xml = xml;
    return vpi_domain_model_parse(xml, &ret->def, &ret->model);
}

/* One edit of @c->xml: @path set to @value (NULL: removed). */
static int
config_set(config_def *c, const char *path, const char *value)
{
    char *next = NULL;
    int r = vp_plugin_domain_xml_set(c->xml, path, value, &next);
    if (r < 0)
        return r;
    free(c->xml);
    c->xml = next;
    return 0;
}

static int
config_set_kib(config_def *c, const char *element, uint64_t kib)
{
    char path[32], text[24];
    snprintf(path, sizeof(path), "%s/@unit", element);
    snprintf(text, sizeof(text), "%llu", (unsigned long long)kib);
    int r = config_set(c, path, "KiB");
    return r < 0 ? r : config_set(c, element, text);
}

static int
config_define(vp_domain *dom, const config_def *c)
{
    char *name = NULL;
    int r = vpi_conn_define(dom->conn, c->xml, 0, &name);
    free(name);
    return r;
}

static int
config_set_memory(vp_domain *dom, bool active, uint64_t kib, bool maximum)
{
    config_def c = {0};
    int r = config_read(dom, active, &c);
    if (r >= 0 && !maximum && kib > c.def->memory_kib)
        r = vp_error_set(VP_ERR_INVALID_ARG,
                         "cannot set memory higher than max memory (%llu KiB > %llu KiB)",
                         (unsigned long long)kib, (unsigned long long)c.def->memory_kib);
    if (r >= 0 && maximum)
        r = config_set_kib(&c, "memory", kib);
    if (r >= 0 && (!maximum || c.def->current_memory_kib > kib))
        r = config_set_kib(&c, "currentMemory", kib);
    if (r >= 0)
        r = config_define(dom, &c);
    config_def_clear(&c);
    return r;
}

unsigned int
vpi_domain_model_vcpus(const vpi_domain_model *model, unsigned int max)
{
    const char *current =
        model ? vp_plugin_domain_model_get((const vp_domain_model *)model, "vcpu/@current") : NULL;
    unsigned long n = current ? strtoul(current, NULL, 10) : 0;
    return n > 0 && n < max ? (unsigned int)n : max;
}

static int
config_set_vcpus(vp_domain *dom, bool active, unsigned int nvcpus, bool maximum)
{
    config_def c = {0};
    int r = config_read(dom, active, &c);
    if (r < 0) {
        config_def_clear(&c);
        return r;
    }
    unsigned int max = maximum ? nvcpus : c.def->vcpus;
    unsigned int current = maximum ? vpi_domain_model_vcpus(c.model, c.def->vcpus) : nvcpus;
    if (current > max) {
        if (!maximum)
            r = vp_error_set(VP_ERR_INVALID_ARG, "requested cpu amount exceeds maximum (%u > %u)",
                             nvcpus, max);
        current = max;
    }
    char text[16];
    snprintf(text, sizeof(text), "%u", max);
    if (r >= 0 && maximum)
        r = config_set(&c, "vcpu", text);
    snprintf(text, sizeof(text), "%u", current);
    if (r >= 0)
        r = config_set(&c, "vcpu/@current", current == max ? NULL : text);
    if (r >= 0)
        r = config_define(dom, &c);
    config_def_clear(&c);
    return r;
}

VP_EXPORT int
vp_domain_set_memory_flags(vp_domain *dom, uint64_t memory_kib, unsigned int flags)
{
    VPI_ERROR_RESET();
    vp_return_if_fail(dom, "dom");
    unsigned int known = VP_DOMAIN_AFFECT_LIVE | VP_DOMAIN_AFFECT_CONFIG | VP_DOMAIN_MEM_MAXIMUM;
    if (flags & ~known)
        return vp_error_set(VP_ERR_INVALID_ARG,
                            "vp_domain_set_memory_flags: unsupported flags 0x%x", flags & ~known);
    if (memory_kib == 0)
        return vp_error_set(VP_ERR_INVALID_ARG, "cannot set the memory of domain '%s' to 0 KiB",
                            dom->name);
    /* An explicit live change to a driver without the slot: say so first. */
    if (flags & VP_DOMAIN_AFFECT_LIVE)
        VPI_HV_SLOT(dom->conn, domain_set_memory, "domain-set-memory");
    VPI_DOMAIN_CHECK(dom);
    unsigned int affect;
    bool active, maximum = flags & VP_DOMAIN_MEM_MAXIMUM;
    int r = resolve_affect(dom, flags, &affect, &active);
    if (r < 0)
        return r;
    if (maximum && (affect & VP_DOMAIN_AFFECT_LIVE))
        return vp_error_set(
            VP_ERR_OPERATION_INVALID,
            "cannot resize the maximum memory of running domain '%s'; change its definition (config) and restart it",
            dom->name);
    if (affect & VP_DOMAIN_AFFECT_LIVE) {
        VPI_HV_SLOT(dom->conn, domain_set_memory, "domain-set-memory");
        r = vpi_slot_result(
            dom->conn->hv_plugin, "domain-set-memory",
            dom->conn->hv->domain_set_memory(dom->conn->hv_priv, dom->name, memory_kib, 0));
        if (r < 0)
            return r;
    }
    if (affect & VP_DOMAIN_AFFECT_CONFIG)
        r = config_set_memory(dom, active, memory_kib, maximum);
    return vpi_result(r < 0 ? r : 0);
}

VP_EXPORT int
vp_domain_set_vcpus_flags(vp_domain *dom, unsigned int nvcpus, unsigned int flags)
{
    VPI_ERROR_RESET();
    vp_return_if_fail(dom, "dom");
    unsigned int known = VP_DOMAIN_AFFECT_LIVE | VP_DOMAIN_AFFECT_CONFIG | VP_DOMAIN_VCPU_MAXIMUM;
    if (flags & ~known)
        return vp_error_set(VP_ERR_INVALID_ARG, "vp_domain_set_vcpus_flags: unsupported flags 0x%x",
                            flags & ~known);
    if (nvcpus == 0)
        return vp_error_set(VP_ERR_INVALID_ARG, "cannot give domain '%s' 0 vCPUs", dom->name);
    bool maximum = flags & VP_DOMAIN_VCPU_MAXIMUM;
    if (maximum &&
        (flags & (VP_DOMAIN_AFFECT_LIVE | VP_DOMAIN_AFFECT_CONFIG)) != VP_DOMAIN_AFFECT_CONFIG)
        return vp_error_set(
            VP_ERR_INVALID_ARG,
            "the maximum vCPUs of domain '%s' change in its definition only (config)", dom->name);
    if (flags & VP_DOMAIN_AFFECT_LIVE)
        VPI_HV_SLOT(dom->conn, domain_set_vcpus, "domain-set-vcpus");
    VPI_DOMAIN_CHECK(dom);
    unsigned int affect;
    bool active;
    int r = resolve_affect(dom, flags, &affect, &active);
    if (r < 0)
        return r;
    if (affect & VP_DOMAIN_AFFECT_LIVE) {
        VPI_HV_SLOT(dom->conn, domain_set_vcpus, "domain-set-vcpus");
        r = vpi_slot_result(
            dom->conn->hv_plugin, "domain-set-vcpus",
            dom->conn->hv->domain_set_vcpus(dom->conn->hv_priv, dom->name, nvcpus, 0));
        if (r < 0)
            return r;
    }
    if (affect & VP_DOMAIN_AFFECT_CONFIG)
        r = config_set_vcpus(dom, active, nvcpus, maximum);
    return vpi_result(r < 0 ? r : 0);
}
