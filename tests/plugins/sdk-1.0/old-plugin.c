/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Copyright (C) 2026 The virtplug developers */
/*
 * old-plugin.c: a hypervisor plugin built against the SDK 1.0 headers as
 * they were (tests/plugins/sdk-1.0/include, from git ff64fb9): its
 * descriptor and vtable have the 1.0 sizes and it knows no capabilities.
 * It parses definitions itself with vp_plugin_domain_def_parse(), the
 * strict 1.0 subset, and keeps one domain, so test-caps checks that a 1.1
 * core loads it and gives it the 1.0 behaviour unchanged.
 */
#include <stdlib.h>
#include <string.h>

#include <virtplug/sdk/alloc.h>
#include <virtplug/sdk/conf.h>
#include <virtplug/sdk/plugin.h>
#include <virtplug/sdk/services.h>

_Static_assert(VP_PLUGIN_ABI_MINOR == 0, "built against the 1.0 headers");
_Static_assert(sizeof(vp_plugin_descriptor) == 104, "the 1.0 descriptor");
_Static_assert(sizeof(vp_hypervisor_driver) == 160, "the 1.0 vtable");

typedef struct old_host {
    vp_domain_def *def;
} old_host;

static int
old_open(const vp_plugin_uri *uri, unsigned int flags, void **ret_priv)
{
    (void)uri;
    (void)flags;
    *ret_priv = vp_new0(old_host, 1);
    return 0;
}

static void
old_close(void *priv)
{
    old_host *h = priv;
    vp_plugin_domain_def_free(h->def);
    free(h);
}

static int
old_list(void *priv, unsigned int flags, char ***ret_names)
{
    old_host *h = priv;
    (void)flags;
    char **names = vp_new0(char *, 2);
    if (h->def)
        names[0] = vp_strdup(h->def->name);
    *ret_names = names;
    return h->def ? 1 : 0;
}

static int
old_lookup(void *priv, const char *name)
{
    old_host *h = priv;
    if (h->def && strcmp(h->def->name, name) == 0)
        return 0;
    return vp_plugin_error_set(VP_ERR_NO_DOMAIN, "no domain named '%s'", name);
}

static int
old_define(void *priv, const char *xml, unsigned int flags, char **ret_name)
{
    old_host *h = priv;
    (void)flags;
    vp_domain_def *def = NULL;
    int r = vp_plugin_domain_def_parse(xml, 0, &def);
    if (r < 0)
        return r;
    vp_plugin_domain_def_free(h->def);
    h->def = def;
    *ret_name = vp_strdup(def->name);
    return 0;
}

static int
old_get_xml(void *priv, const char *name, unsigned int flags, char **ret_xml)
{
    old_host *h = priv;
    int r = old_lookup(priv, name);
    return r < 0 ? r : vp_plugin_domain_def_format(h->def, flags, ret_xml);
}

static const vp_hypervisor_driver old_driver = {
    .conn_open = old_open,
    .conn_close = old_close,
    .conn_list_domains = old_list,
    .domain_lookup = old_lookup,
    .domain_define_xml = old_define,
    .domain_get_xml = old_get_xml,
};

VP_PLUGIN_DEFINE(oldabi, .name = "oldabi", .version = "1.0", .license = "LGPL-2.1-or-later",
                 .description = "a plugin built with the SDK 1.0 headers",
                 .package = "virtplug-tests", .hypervisor = &old_driver,
                 .hypervisor_size = sizeof(old_driver));
