/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Copyright (C) 2026 The virtplug developers */
/*
 * cmd-plugin.c: the vpsh plugin verbs (plugin-list, plugin-check).
 *
 * Owns how the registry is shown, and handing plugin-check to the
 * conformance kit: vpsh replaces itself with virtplug-plugin-check
 * ($VIRTPLUG_PLUGIN_CHECK, else the installed one), so its output and exit
 * status are the kit's own. It never loads or checks a plugin itself.
 */
#include <config.h>

#include <errno.h>
#include <unistd.h>

#include "vpsh.h"

static void
kinds_text(unsigned int kinds, char *buf, size_t size)
{
    snprintf(buf, size, "%s%s%s", kinds & VP_PLUGIN_KIND_HYPERVISOR ? "hypervisor" : "",
             (kinds & VP_PLUGIN_KIND_HYPERVISOR) && (kinds & VP_PLUGIN_KIND_HOSTPOWER) ? "," : "",
             kinds & VP_PLUGIN_KIND_HOSTPOWER ? "hostpower" : "");
    if (!buf[0])
        snprintf(buf, size, "-");
}

static void
entry_json(vpsh_json *js, const vp_registry_entry *e)
{
    vpsh_json_begin_object(js, NULL);
    vpsh_json_string(js, "name", e->name);
    vpsh_json_string(js, "path", e->path);
    vpsh_json_string(js, "version", e->version);
    vpsh_json_string(js, "license", e->license);
    vpsh_json_string(js, "description", e->description);
    vpsh_json_string(js, "package", e->package);
    vpsh_json_uint(js, "abi_major", e->abi_major);
    vpsh_json_uint(js, "abi_minor", e->abi_minor);
    vpsh_json_begin_array(js, "kinds");
    if (e->kinds & VP_PLUGIN_KIND_HYPERVISOR)
        vpsh_json_string(js, NULL, "hypervisor");
    if (e->kinds & VP_PLUGIN_KIND_HOSTPOWER)
        vpsh_json_string(js, NULL, "hostpower");
    vpsh_json_end_array(js);
    vpsh_json_string(js, "status", e->error_code ? "refused" : "ok");
    vpsh_json_string(js, "error_code", e->error_code ? vp_error_code_name(e->error_code) : NULL);
    vpsh_json_string(js, "error_message", e->error_message);
    vpsh_json_end_object(js);
}

static void
list_text(vp_registry_entry **entries, int n, bool header)
{
    static const char *const headers[] = {"Name", "Version", "ABI", "Kinds", "Status", "Path"};
    _cleanup_(vpsh_table_freep) vpsh_table *t = vpsh_table_new(6, headers);
    for (int i = 0; i < n; i++) {
        const vp_registry_entry *e = entries[i];
        char kinds[32];
        kinds_text(e->kinds, kinds, sizeof(kinds));
        _cleanup_free_ char *abi = vp_asprintf("%u.%u", e->abi_major, e->abi_minor);
        const char *row[] = {
            e->name, e->version ? e->version : "-",    abi,
            kinds,   e->error_code ? "refused" : "ok", e->path ? e->path : "(built-in)"};
        vpsh_table_add(t, row);
    }
    vpsh_table_print(t, stdout, header);
    for (int i = 0; i < n; i++)
        if (entries[i]->error_code)
            printf("%s: %s\n", entries[i]->name,
                   entries[i]->error_message ? entries[i]->error_message : "refused");
}

static int
cmd_plugin_list(vpsh_ctx *ctx, const vpsh_args *a)
{
    vp_registry_entry **entries = NULL;
    int n = vp_registry_list(0, &entries);
    if (n < 0)
        return vpsh_fail();
    if (ctx->json) {
        vpsh_json_begin_object(ctx->js, NULL);
        vpsh_json_string(ctx->js, "plugin_dir", vp_registry_plugin_dir());
        vpsh_json_begin_array(ctx->js, "plugins");
        for (int i = 0; i < n; i++)
            entry_json(ctx->js, entries[i]);
        vpsh_json_end_array(ctx->js);
        vpsh_json_end_object(ctx->js);
    } else {
        list_text(entries, n, !ctx->quiet);
    }
    vp_registry_list_free(entries);
    return VPSH_EXIT_OK;
}

static int
cmd_plugin_check(vpsh_ctx *ctx, const vpsh_args *a)
{
    if (ctx->json)
        return vpsh_usage(ctx->cmd, "plugin-check prints the kit's TAP report; it has no --json");
    const char *kit = secure_getenv("VIRTPLUG_PLUGIN_CHECK");
    if (!kit || !*kit)
        kit = VP_BINDIR "/virtplug-plugin-check";
    const char *uri = vpsh_opt_value(a, "uri");
    const char *argv[] = {kit, a->pos[0], uri ? "--uri" : NULL, uri, NULL};
    fflush(stdout);
    execv(kit, (char *const *)argv);
    return vpsh_failf("cannot run '%s': %s; install the kit or set VIRTPLUG_PLUGIN_CHECK", kit,
                      strerror(errno));
}

static const vpsh_opt check_opts[] = {
    {"uri", "URI", false, "also run the driver checks on a connection to URI", NULL},
    {NULL, NULL, false, NULL, NULL},
};

const vpsh_cmd vpsh_plugin_cmds[] = {
    {"plugin-list", "", "list the built-in drivers and the installed plugins", NULL, 0, 0,
     cmd_plugin_list, NULL, 0},
    {"plugin-check", "FILE", "run the conformance kit on a plugin file", check_opts, 1, 1,
     cmd_plugin_check, "file", 0},
    {NULL, NULL, NULL, NULL, 0, 0, NULL, NULL, 0},
};
