/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Copyright (C) 2026 The virtplug developers */
/*
 * vpsh-state-plugin.c: two small real plugins for tests/tools/test-vpsh-list-state.sh,
 * built from this file with one VT_* macro each.
 *
 * Owns nothing but test fixtures: three domains, "alpha" and "gamma"
 * running and "beta" shut off, as the list slot says. vpsh-nostate leaves
 * its get-state slot empty, as a plugin author's first driver does;
 * vpsh-badstate fills it and answers a state for alpha, "not supported"
 * for beta and a system error for gamma, so vpsh can be seen telling the
 * two failures apart.
 */
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include <virtplug/sdk/alloc.h>
#include <virtplug/sdk/driver.h>
#include <virtplug/sdk/plugin.h>
#include <virtplug/sdk/services.h>

static int vt_marker; /* the connection's private data: nothing to hold */

static int
vt_conn_open(const vp_plugin_uri *uri, unsigned int flags, void **ret_priv)
{
    *ret_priv = &vt_marker;
    return 0;
}

static void
vt_conn_close(void *priv)
{
}

static bool
vt_is_running(const char *name)
{
    return strcmp(name, "beta") != 0;
}

static int
vt_list(void *priv, unsigned int flags, char ***ret_names)
{
    static const char *const all[] = {"alpha", "beta", "gamma"};
    char **names = vp_new0(char *, 4);
    int n = 0;
    for (size_t i = 0; i < 3; i++) {
        bool running = vt_is_running(all[i]);
        if (flags == 0 || (running && (flags & VP_LIST_DOMAINS_ACTIVE)) ||
            (!running && (flags & VP_LIST_DOMAINS_INACTIVE)))
            names[n++] = vp_strdup(all[i]);
    }
    *ret_names = names;
    return n;
}

static int
vt_lookup(void *priv, const char *name)
{
    if (strcmp(name, "alpha") != 0 && strcmp(name, "beta") != 0 && strcmp(name, "gamma") != 0)
        return vp_plugin_error_set(VP_ERR_NO_DOMAIN, "no domain named '%s'", name);
    return 0;
}

#if defined(VT_BADSTATE)
static int
vt_get_state(void *priv, const char *name, int *ret_state, int *ret_reason, unsigned int flags)
{
    int r = vt_lookup(priv, name);
    if (r < 0)
        return r;
    if (strcmp(name, "beta") == 0)
        return vp_plugin_error_set(VP_ERR_NOT_SUPPORTED,
                                   "the badstate backend cannot tell the state of '%s'", name);
    if (strcmp(name, "gamma") == 0)
        return vp_plugin_error_set(
            VP_ERR_SYSTEM, "cannot read the state of '%s': the badstate backend is down", name);
    *ret_state = VP_DOMAIN_RUNNING;
    *ret_reason = VP_DOMAIN_RUNNING_BOOTED;
    return 0;
}
#endif

static const vp_hypervisor_driver vt_driver = {
    .conn_open = vt_conn_open,
    .conn_close = vt_conn_close,
    .conn_list_domains = vt_list,
    .domain_lookup = vt_lookup,
#if defined(VT_BADSTATE)
    .domain_get_state = vt_get_state,
#endif
};

#if defined(VT_NOSTATE)
VP_PLUGIN_DEFINE(vpsh_nostate, .name = "vpsh-nostate", .version = "0.1", .license = "MIT",
                 .description = "vpsh test plugin: no get-state slot",
                 .package = "virtplug-plugin-vpsh-nostate", .hypervisor = &vt_driver,
                 .hypervisor_size = sizeof(vt_driver));
#elif defined(VT_BADSTATE)
VP_PLUGIN_DEFINE(vpsh_badstate, .name = "vpsh-badstate", .version = "0.1", .license = "MIT",
                 .description = "vpsh test plugin: get-state fails",
                 .package = "virtplug-plugin-vpsh-badstate", .hypervisor = &vt_driver,
                 .hypervisor_size = sizeof(vt_driver));
#else
#error "build with one VT_* variant defined"
#endif
