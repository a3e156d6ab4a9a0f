/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Copyright (C) 2026 The virtplug developers */
/*
 * procvm.c: a third-party driver of the tests, built only against the SDK.
 *
 * Owns an in-memory host of "process VMs": its own domain type
 * (<domain type='procvm'>) and OS type (<os><type>exe</type>), as libvirt's
 * LXC driver has, its own XML namespace (<procvm:limits>, as libvirt's
 * <qemu:commandline>), and a capability table that restricts every device
 * kind, so tests see the core refuse each one with the one message shape.
 * It reads definitions through the SDK's model access only and never
 * parses XML itself; domain_get_guest_info reports what it read, so tests
 * can check that the namespace's elements reached it as written. That is
 * procvm:///default; every other procvm URI is a persistent host whose
 * domains run as processes (procvm-store.c).
 */
#include <stdlib.h>
#include <string.h>

#include <virtplug/sdk/alloc.h>
#include <virtplug/sdk/conf.h>
#include <virtplug/sdk/plugin.h>
#include <virtplug/sdk/services.h>
#include <virtplug/virtplug.h>

#include "procvm.h"

#define PROCVM_NS "https://example.org/virtplug/procvm/1"

static const vp_plugin_domain_cap procvm_caps[] = {
    {"@type", "procvm"},
    {"name", NULL},
    {"uuid", NULL},
    {"description", NULL},
    {"metadata", NULL},
    {"memory/@unit", NULL},
    {"currentMemory/@unit", NULL},
    {"vcpu/@placement", "static"}, /* what the model writes back */
    {"os/type", "exe"},
    {"on_poweroff", "destroy"},
    {"on_reboot", "restart"},
    {"on_crash", "destroy"},
    {"devices/emulator", NULL},
    {"devices/disk/@type", "file|block"},
    {"devices/disk/@device", "disk"},
    {"devices/disk/source/@file", NULL},
    {"devices/disk/target/@dev", NULL},
    {"devices/disk/target/@bus", "virtio"},
    {"devices/controller/@type", "usb|virtio-serial"},
    {"devices/controller/@index", NULL},
    {"devices/controller/@model", "qemu-xhci"},
    {"devices/filesystem/@type", "mount"},
    {"devices/filesystem/source/@dir", NULL},
    {"devices/filesystem/target/@dir", NULL},
    {"devices/interface/@type", "network|user"},
    {"devices/interface/source/@network", NULL},
    {"devices/interface/model/@type", "virtio"},
    {"devices/serial/@type", "pty"},
    {"devices/console/@type", "pty"},
    {"devices/console/target/@type", "serial"},
    {"devices/channel/@type", "unix"},
    {"devices/channel/target/@type", "virtio"},
    {"devices/channel/target/@name", NULL},
    {"devices/input/@type", "tablet"},
    {"devices/input/@bus", "usb"},
    {"devices/graphics/@type", "vnc"},
    {"devices/graphics/@port", NULL},
    {"devices/sound/@model", "ich6|ac97|usb"},
    {"devices/video/model/@type", "virtio"},
    {"devices/hostdev/@mode", "subsystem"},
    {"devices/hostdev/@type", "usb"},
    {"devices/watchdog/@model", "i6300esb"},
    {"devices/watchdog/@action", "reset"},
    {"devices/memballoon/@model", "virtio|none"},
    {"devices/rng/@model", "virtio"},
    {"devices/rng/backend/@model", "random"},
    {"devices/tpm/@model", "tpm-crb"},
    {"devices/tpm/backend/@type", "emulator"},
    {NULL, NULL},
};

static procvm_dom *
find(procvm_host *h, const char *name)
{
    for (size_t i = 0; i < h->n; i++)
        if (strcmp(h->doms[i].name, name) == 0)
            return &h->doms[i];
    vp_plugin_error_set(VP_ERR_NO_DOMAIN, "no domain named '%s'", name);
    return NULL;
}

static void
procvm_close(void *priv)
{
    procvm_host *h = priv;
    free(h->state_dir);
    free(h->run_dir);
    for (size_t i = 0; i < h->n; i++) {
        free(h->doms[i].name);
        vp_plugin_domain_model_free(h->doms[i].model);
    }
    free(h);
}

static int
procvm_open(const vp_plugin_uri *uri, unsigned int flags, void **ret_priv)
{
    (void)flags;
    procvm_host *h = vp_new0(procvm_host, 1);
    const char *path = vp_plugin_uri_get_path(uri);
    int r = strcmp(path, "/default") == 0 ? 0 : procvm_store_open(uri, h);
    if (r < 0) {
        procvm_close(h);
        return r;
    }
    *ret_priv = h;
    return 0;
}

static int
procvm_list(void *priv, unsigned int flags, char ***ret_names)
{
    procvm_host *h = priv;
    if (h->state_dir)
        return procvm_store_list(h, flags, ret_names);
    char **names = vp_new0(char *, h->n + 1);
    size_t n = 0;
    for (size_t i = 0; i < h->n && !(flags == VP_LIST_DOMAINS_ACTIVE); i++)
        names[n++] = vp_strdup(h->doms[i].name);
    *ret_names = names;
    return (int)n;
}

static int
procvm_lookup(void *priv, const char *name)
{
    procvm_host *h = priv;
    if (h->state_dir)
        return procvm_store_lookup(h, name);
    return find(priv, name) ? 0 : VP_ERR_NO_DOMAIN;
}

static int
procvm_define(void *priv, const vp_domain_model *model, unsigned int flags, char **ret_name)
{
    procvm_host *h = priv;
    (void)flags;
    if (h->state_dir)
        return procvm_store_define(h, model, ret_name);
    const char *name = vp_plugin_domain_model_get(model, "name");
    procvm_dom *d = NULL;
    for (size_t i = 0; i < h->n; i++)
        if (strcmp(h->doms[i].name, name) == 0)
            d = &h->doms[i];
    if (!d && h->n == sizeof(h->doms) / sizeof(h->doms[0]))
        return vp_plugin_error_set(VP_ERR_OPERATION_INVALID, "procvm holds 16 domains at most");
    if (!d) {
        d = &h->doms[h->n++];
        d->name = vp_strdup(name);
    }
    vp_plugin_domain_model_free(d->model);
    d->model = vp_plugin_domain_model_copy(model);
    *ret_name = vp_strdup(name);
    return 0;
}

static int
procvm_undefine(void *priv, const char *name, unsigned int flags)
{
    procvm_host *h = priv;
    (void)flags;
    if (h->state_dir)
        return procvm_store_undefine(h, name);
    procvm_dom *d = find(h, name);
    if (!d)
        return VP_ERR_NO_DOMAIN;
    free(d->name);
    vp_plugin_domain_model_free(d->model);
    *d = h->doms[--h->n];
    return 0;
}

static int
procvm_get_state(void *priv, const char *name, int *ret_state, int *ret_reason, unsigned int flags)
{
    (void)flags;
    procvm_host *h = priv;
    if (h->state_dir)
        return procvm_store_get_state(h, name, ret_state, ret_reason);
    if (!find(priv, name))
        return VP_ERR_NO_DOMAIN;
    *ret_state = VP_DOMAIN_SHUTOFF;
    *ret_reason = 0;
    return 0;
}

static int
procvm_get_xml(void *priv, const char *name, unsigned int flags, char **ret_xml)
{
    procvm_host *h = priv;
    if (h->state_dir)
        return procvm_store_get_xml(h, name, ret_xml);
    procvm_dom *d = find(priv, name);
    if (!d)
        return VP_ERR_NO_DOMAIN;
    return vp_plugin_domain_model_format(d->model, flags, ret_xml);
}

/* What the driver read from the model: its types, its first disk's target
 * (walking nodes) and its own namespace's elements, as JSON. */
static int
procvm_guest_info(void *priv, const char *name, unsigned int flags, char **ret_json)
{
    (void)flags;
    if (((procvm_host *)priv)->state_dir)
        return vp_plugin_error_set(
            VP_ERR_NOT_SUPPORTED,
            "not supported yet: guest info of domain '%s' on a persistent procvm host, which keeps its XML but no model",
            name);
    procvm_dom *d = find(priv, name);
    if (!d)
        return VP_ERR_NO_DOMAIN;
    const vp_model_node *root = vp_plugin_domain_model_root(d->model);
    const vp_model_node *devices = vp_plugin_model_node_kid(root, "devices", 0);
    const vp_model_node *disk = vp_plugin_model_node_kid(devices, "disk", 0);
    const vp_model_node *target = vp_plugin_model_node_kid(disk, "target", 0);
    char *ns = vp_plugin_domain_model_ns_xml(d->model, PROCVM_NS);
    for (char *p = ns; p && *p; p++)
        if (*p == '"' || *p == '\n')
            *p = '\'';
    *ret_json = vp_asprintf("{\"type\": \"%s\", \"os\": \"%s\", \"disk\": \"%s\", \"ns\": \"%s\"}",
                            vp_plugin_domain_model_get(d->model, "@type"),
                            vp_plugin_domain_model_get(d->model, "os/type"),
                            target ? vp_plugin_model_node_attr(target, "dev") : "", ns ? ns : "");
    free(ns);
    return 0;
}

/* Start and destroy: only a persistent host runs processes. */
static int
in_memory_runs_nothing(const char *name)
{
    return vp_plugin_error_set(
        VP_ERR_NOT_SUPPORTED,
        "cannot run domain '%s': procvm:///default keeps its domains in memory and runs none; use a persistent host such as procvm:///demo",
        name);
}

static int
procvm_start(void *priv, const char *name, unsigned int flags)
{
    procvm_host *h = priv;
    if (flags)
        return vp_plugin_error_set(VP_ERR_INVALID_ARG, "unsupported start flags 0x%x", flags);
    if (!h->state_dir)
        return find(h, name) ? in_memory_runs_nothing(name) : VP_ERR_NO_DOMAIN;
    return procvm_store_start(h, name);
}

static int
procvm_destroy(void *priv, const char *name, unsigned int flags)
{
    procvm_host *h = priv;
    if (flags)
        return vp_plugin_error_set(VP_ERR_INVALID_ARG, "unsupported destroy flags 0x%x", flags);
    if (!h->state_dir)
        return find(h, name) ? in_memory_runs_nothing(name) : VP_ERR_NO_DOMAIN;
    return procvm_store_destroy(h, name);
}

static const vp_hypervisor_driver procvm_driver = {
    .conn_open = procvm_open,
    .conn_close = procvm_close,
    .conn_list_domains = procvm_list,
    .domain_lookup = procvm_lookup,
    .domain_undefine = procvm_undefine,
    .domain_get_state = procvm_get_state,
    .domain_start = procvm_start,
    .domain_destroy = procvm_destroy,
    .domain_get_xml = procvm_get_xml,
    .domain_get_guest_info = procvm_guest_info,
    .domain_define_model = procvm_define,
};

VP_PLUGIN_DEFINE(procvm, .name = "procvm", .version = "1.0", .license = "LGPL-2.1-or-later",
                 .description = "process VMs: a third-party driver of the tests",
                 .package = "virtplug-tests", .hypervisor = &procvm_driver,
                 .hypervisor_size = sizeof(procvm_driver), .domain_caps = procvm_caps,
                 .xml_namespace = PROCVM_NS);
