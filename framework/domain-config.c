/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Copyright (C) 2026 The virtplug developers */
/*
 * domain-config.c: the public calls that change a domain's memory, vCPUs,
 * description and title (virtplug-domain-config.h), live and in its
 * definition.
 *
 * Owns which of the two a call affects (libvirt's AFFECT_CURRENT rule),
 * the limits every driver shares (at most the maximum, no maximum change
 * on a running domain) and the change of a definition, done here once for
 * every driver: the persistent XML from domain_get_xml, one edit per
 * element (vp_plugin_domain_xml_set), then the same define a user's
 * define goes through, so the driver's caps check it and its define
 * stores it kill-safely. The running domain is changed by the driver's
 * domain_set_memory, domain_set_vcpus and domain_set_metadata slots; this
 * file never talks to a hypervisor.
 */
#include <config.h>

#include <stdio.h>
#include <strings.h>

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

struct device;

/* One change of the running domain (@live: through its driver's slot @op)
 * and/or of its definition (@config), as @flags and the state choose. */
typedef struct change {
    const char *op;
    bool filled; /* the driver fills the live slot */
    int (*live)(vp_domain *dom, const struct change *c);
    int (*config)(vp_domain *dom, bool active, const struct change *c);
    uint64_t value;
    bool maximum;
    int type;
    const char *text;
    const struct device *device; /* vp_domain_update_device */
} change;

static int
change_apply(vp_domain *dom, unsigned int flags, const change *c)
{
    /* An explicit live change to a driver without the slot: say so first. */
    if ((flags & VP_DOMAIN_AFFECT_LIVE) && !c->filled)
        return vpi_not_supported(dom->conn->hv_plugin, c->op);
    VPI_DOMAIN_CHECK(dom);
    unsigned int affect = 0;
    bool active = false;
    int r = resolve_affect(dom, flags, &affect, &active);
    if (r >= 0 && (affect & VP_DOMAIN_AFFECT_LIVE))
        r = c->filled ? c->live(dom, c) : vpi_not_supported(dom->conn->hv_plugin, c->op);
    if (r >= 0 && (affect & VP_DOMAIN_AFFECT_CONFIG))
        r = c->config(dom, active, c);
    return vpi_result(r < 0 ? r : 0);
}

static int
live_memory(vp_domain *dom, const change *c)
{
    if (c->maximum)
        return vp_error_set(
            VP_ERR_OPERATION_INVALID,
            "cannot resize the maximum memory of running domain '%s'; change its definition (config) and restart it",
            dom->name);
    return vpi_slot_result(
        dom->conn->hv_plugin, c->op,
        dom->conn->hv->domain_set_memory(dom->conn->hv_priv, dom->name, c->value, 0));
}

static int
config_memory(vp_domain *dom, bool active, const change *c)
{
    return config_set_memory(dom, active, c->value, c->maximum);
}

static int
live_vcpus(vp_domain *dom, const change *c)
{
    return vpi_slot_result(
        dom->conn->hv_plugin, c->op,
        dom->conn->hv->domain_set_vcpus(dom->conn->hv_priv, dom->name, (unsigned int)c->value, 0));
}

static int
config_vcpus(vp_domain *dom, bool active, const change *c)
{
    return config_set_vcpus(dom, active, (unsigned int)c->value, c->maximum);
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
    change c = {.op = "domain-set-memory",
                .filled = dom->conn->hv->domain_set_memory != NULL,
                .live = live_memory,
                .config = config_memory,
                .value = memory_kib,
                .maximum = flags & VP_DOMAIN_MEM_MAXIMUM};
    return change_apply(dom, flags, &c);
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
    change c = {.op = "domain-set-vcpus",
                .filled = dom->conn->hv->domain_set_vcpus != NULL,
                .live = live_vcpus,
                .config = config_vcpus,
                .value = nvcpus,
                .maximum = maximum};
    return change_apply(dom, flags, &c);
}

/* The element of a metadata @type, or NULL for an unknown one. */
static const char *
metadata_element(int type)
{
    switch (type) {
    case VP_DOMAIN_METADATA_DESCRIPTION:
        return "description";
    case VP_DOMAIN_METADATA_TITLE:
        return "title";
    default:
        return NULL;
    }
}

static int
config_metadata(vp_domain *dom, bool active, const change *ch)
{
    config_def c = {0};
    int r = config_read(dom, active, &c);
    if (r >= 0)
        r = config_set(&c, metadata_element(ch->type), ch->text);
    if (r >= 0)
        r = config_define(dom, &c);
    config_def_clear(&c);
    return r;
}

static int
live_metadata(vp_domain *dom, const change *c)
{
    return vpi_slot_result(
        dom->conn->hv_plugin, c->op,
        dom->conn->hv->domain_set_metadata(dom->conn->hv_priv, dom->name, c->type, c->text, 0));
}

VP_EXPORT int
vp_domain_set_metadata(vp_domain *dom, int type, const char *text, unsigned int flags)
{
    VPI_ERROR_RESET();
    vp_return_if_fail(dom, "dom");
    const char *element = metadata_element(type);
    if (!element)
        return vp_error_set(VP_ERR_INVALID_ARG, "vp_domain_set_metadata: unknown type %d", type);
    unsigned int known = VP_DOMAIN_AFFECT_LIVE | VP_DOMAIN_AFFECT_CONFIG;
    if (flags & ~known)
        return vp_error_set(VP_ERR_INVALID_ARG, "vp_domain_set_metadata: unsupported flags 0x%x",
                            flags & ~known);
    if (text && !*text)
        text = NULL;
    if (text && type == VP_DOMAIN_METADATA_TITLE && strchr(text, '\n'))
        return vp_error_set(VP_ERR_INVALID_ARG,
                            "the title of domain '%s' must be one line; it has a newline",
                            dom->name);
    change c = {.op = "domain-set-metadata",
                .filled = dom->conn->hv->domain_set_metadata != NULL,
                .live = live_metadata,
                .config = config_metadata,
                .type = type,
                .text = text};
    return change_apply(dom, flags, &c);
}

VP_EXPORT int
vp_domain_get_metadata(vp_domain *dom, int type, unsigned int flags, char **ret_text)
{
    VPI_ERROR_RESET();
    vp_return_if_fail(dom, "dom");
    vp_return_if_fail(ret_text, "ret_text");
    const char *element = metadata_element(type);
    if (!element)
        return vp_error_set(VP_ERR_INVALID_ARG, "vp_domain_get_metadata: unknown type %d", type);
    unsigned int known = VP_DOMAIN_AFFECT_LIVE | VP_DOMAIN_AFFECT_CONFIG;
    if ((flags & ~known) || flags == known)
        return vp_error_set(VP_ERR_INVALID_ARG,
                            "vp_domain_get_metadata: flags 0x%x: give live or config, not both",
                            flags);
    VPI_DOMAIN_CHECK(dom);
    bool active = false;
    int r = (flags & VP_DOMAIN_AFFECT_CONFIG) ? domain_active(dom, &active) : 0;
    config_def c = {0};
    if (r >= 0)
        r = config_read(dom, active, &c);
    const char *text =
        r < 0 ? NULL : vp_plugin_domain_model_get((const vp_domain_model *)c.model, element);
    if (r >= 0)
        *ret_text = text ? vp_strdup(text) : NULL;
    config_def_clear(&c);
    return vpi_result(r < 0 ? r : 0);
}

/* ---- vp_domain_update_device ------------------------------------------- */

/* The device element of vp_domain_update_device, as parsed. */
typedef struct device {
    const char *xml;    /* as the caller wrote it */
    const char *name;   /* "graphics", "disk" or "interface" */
    const char *key;    /* what finds the domain's one: its type, target or MAC */
    unsigned int flags; /* for the driver: VP_DOMAIN_DEVICE_MODIFY_FORCE */
} device;

/* The kinds of device that can be updated, and how the domain's device of
 * that kind is found: as libvirt finds it, the <graphics> of the same
 * type, the <disk> of the same target, the <interface> of the same MAC. */
static const struct updatable {
    const char *name;
    const char *kid; /* NULL: an attribute of the element itself */
    const char *attr;
    const char *what; /* in messages */
} updatables[] = {
    {"graphics", NULL, "type", "of type"},
    {"disk", "target", "dev", "with target"},
    {"interface", "mac", "address", "with MAC address"},
};

static const struct updatable *
updatable_of(const char *name)
{
    for (size_t i = 0; i < sizeof(updatables) / sizeof(updatables[0]); i++)
        if (strcmp(updatables[i].name, name) == 0)
            return &updatables[i];
    return NULL;
}

/* The value that finds @el, a device of kind @u, or NULL. (transfer none) */
static const char *
updatable_key(const struct updatable *u, const vp_model_node *el)
{
    return vp_plugin_model_node_attr(u->kid ? vp_plugin_model_node_kid(el, u->kid, 0) : el,
                                     u->attr);
}

/* A <domain> that holds only @xml in its <devices>, so that the XML
 * module reads the element with the schema of a domain's devices. */
#define DEVICE_WRAPPER                                                                             \
    "<domain type='test'><name>update-device</name><memory>1024</memory>"                          \
    "<os><type>hvm</type></os><devices>\n%s\n</devices></domain>"

/* @xml, one device element, as *@ret_model (its name and key read in
 * *@ret). */
static int
device_parse(const char *xml, device *ret, vpi_domain_model **ret_model)
{
    char *doc = vp_asprintf(DEVICE_WRAPPER, xml);
    vp_domain_def *def = NULL;
    int r = vpi_domain_model_parse(doc, &def, ret_model);
    free(doc);
    vp_plugin_domain_def_free(def);
    if (r < 0)
        return r;
    const vp_model_node *devices = vp_plugin_model_node_kid(
        vp_plugin_domain_model_root((const vp_domain_model *)*ret_model), "devices", 0);
    const vp_model_node *el = vp_plugin_model_node_kid(devices, NULL, 0);
    if (!el || vp_plugin_model_node_kid(devices, NULL, 1))
        return vp_error_set(VP_ERR_XML, "the device XML must hold exactly one device element");
    ret->xml = xml;
    ret->name = vp_plugin_model_node_name(el);
    const struct updatable *u = updatable_of(ret->name);
    if (!u)
        return vp_error_set(
            VP_ERR_NOT_SUPPORTED,
            "updating a <%s> device is not supported: only <graphics>, <disk> and <interface> can be updated",
            ret->name);
    ret->key = updatable_key(u, el);
    if (!ret->key && strcmp(ret->name, "interface") == 0)
        return vp_error_set(
            VP_ERR_INVALID_ARG,
            "the <interface> to update has no <mac address>: give the MAC address of the domain's interface to change");
    return 0;
}

static bool
key_matches(const char *name, const char *a, const char *b)
{
    if (!a || !b)
        return false;
    /* MAC addresses are the same whatever the case of their hex digits. */
    return strcmp(name, "interface") == 0 ? strcasecmp(a, b) == 0 : strcmp(a, b) == 0;
}

/* @xml (canonical: a device element starts a line at four spaces) with
 * the domain's device @d finds replaced by @d->xml; @model: @xml parsed.
 * (transfer full) */
static int
device_replace(const char *xml, const vpi_domain_model *model, const char *domain, const device *d,
               char **ret_xml)
{
    const vp_model_node *devices = vp_plugin_model_node_kid(
        vp_plugin_domain_model_root((const vp_domain_model *)model), "devices", 0);
    const struct updatable *u = updatable_of(d->name);
    size_t index = 0;
    const vp_model_node *el;
    for (; (el = vp_plugin_model_node_kid(devices, d->name, index)); index++) {
        if (key_matches(d->name, updatable_key(u, el), d->key))
            break;
    }
    if (!el)
        return vp_error_set(VP_ERR_INVALID_ARG,
                            "cannot find existing %s device %s '%s' to modify in domain '%s'",
                            d->name, u->what, d->key ? d->key : "", domain);
    char *open = vp_asprintf("\n    <%s ", d->name);
    const char *from = xml;
    for (size_t i = 0; from && i <= index; i++)
        from = strstr(from + 1, open);
    free(open);
    const char *end = from ? strchr(from + 1, '>') : NULL;
    if (end && end[-1] != '/') {
        char *close = vp_asprintf("\n    </%s>", d->name);
        end = strstr(end, close);
        end = end ? end + strlen(close) : NULL;
        free(close);
    } else if (end) {
        end++;
    }
    if (!end)
        return vp_error_set(VP_ERR_XML, "cannot find the <%s> of domain '%s' in its XML", d->name,
                            domain);
    *ret_xml = vp_asprintf("%.*s\n%s%s", (int)(from - xml), xml, d->xml, end);
    return 0;
}

static int
config_device(vp_domain *dom, bool active, const change *ch)
{
    config_def c = {0};
    char *next = NULL;
    int r = config_read(dom, active, &c);
    if (r >= 0)
        r = device_replace(c.xml, c.model, dom->name, ch->device, &next);
    if (r >= 0) {
        free(c.xml);
        c.xml = next;
        r = config_define(dom, &c);
    }
    config_def_clear(&c);
    return r;
}

static int
live_device(vp_domain *dom, const change *ch)
{
    config_def c = {0};
    char *after_xml = NULL;
    vpi_domain_model *after = NULL;
    int r = 0;
    /* A driver that checks no capabilities (the remote one, whose far
     * core does all this) gets the device alone. */
    if (vpi_conn_checks_caps(dom->conn)) {
        r = config_read(dom, false, &c);
        if (r >= 0)
            r = device_replace(c.xml, c.model, dom->name, ch->device, &after_xml);
        if (r >= 0)
            r = vpi_conn_parse_model(dom->conn, after_xml, &after);
    }
    if (r >= 0)
        r = vpi_slot_result(
            dom->conn->hv_plugin, ch->op,
            dom->conn->hv->domain_update_device(dom->conn->hv_priv, dom->name, ch->device->xml,
                                                (const vp_domain_model *)after, ch->device->flags));
    vpi_domain_model_free(after);
    free(after_xml);
    config_def_clear(&c);
    return r;
}

VP_EXPORT int
vp_domain_update_device(vp_domain *dom, const char *xml, unsigned int flags)
{
    VPI_ERROR_RESET();
    vp_return_if_fail(dom, "dom");
    vp_return_if_fail(xml, "xml");
    unsigned int known =
        VP_DOMAIN_AFFECT_LIVE | VP_DOMAIN_AFFECT_CONFIG | VP_DOMAIN_DEVICE_MODIFY_FORCE;
    if (flags & ~known)
        return vp_error_set(VP_ERR_INVALID_ARG, "vp_domain_update_device: unsupported flags 0x%x",
                            flags & ~known);
    device d = {.flags = flags & VP_DOMAIN_DEVICE_MODIFY_FORCE};
    vpi_domain_model *model = NULL;
    int r = device_parse(xml, &d, &model);
    if (r >= 0) {
        change c = {.op = "domain-update-device",
                    .filled = dom->conn->hv->domain_update_device != NULL,
                    .live = live_device,
                    .config = config_device,
                    .device = &d};
        r = change_apply(dom, flags, &c);
    }
    vpi_domain_model_free(model);
    return vpi_result(r);
}
