/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Copyright (C) 2026 The virtplug developers */
/*
 * cmd-misc.c: the vpsh verbs about vpsh and its connection (uri, version;
 * help, quit and exit are help.c's).
 *
 * Owns what those verbs print. "help" and "--version" need no connection;
 * "uri" and "version" open one, as virsh does, to report what the URI
 * resolved to.
 */
#include <config.h>

#include "vpsh.h"

static int
cmd_uri(vpsh_ctx *ctx, const vpsh_args *a)
{
    vp_conn *conn;
    if (vpsh_conn(ctx, &conn) != 0)
        return VPSH_EXIT_FAIL;
    if (ctx->json) {
        vpsh_json_begin_object(ctx->js, NULL);
        vpsh_json_string(ctx->js, "uri", vp_conn_get_uri(conn));
        vpsh_json_string(ctx->js, "driver", vp_conn_get_driver_name(conn));
        vpsh_json_end_object(ctx->js);
    } else {
        printf("%s\n", vp_conn_get_uri(conn));
    }
    return VPSH_EXIT_OK;
}

static int
cmd_version(vpsh_ctx *ctx, const vpsh_args *a)
{
    vp_conn *conn;
    if (vpsh_conn(ctx, &conn) != 0)
        return VPSH_EXIT_FAIL;
    if (ctx->json) {
        vpsh_json_begin_object(ctx->js, NULL);
        vpsh_json_string(ctx->js, "vpsh", PACKAGE_VERSION);
        vpsh_json_string(ctx->js, "library", VP_VERSION_STRING);
        vpsh_json_string(ctx->js, "driver", vp_conn_get_driver_name(conn));
        vpsh_json_string(ctx->js, "uri", vp_conn_get_uri(conn));
        vpsh_json_end_object(ctx->js);
    } else {
        printf("Compiled against library: virtplug %s\n", VP_VERSION_STRING);
        printf("Using vpsh: %s\n", PACKAGE_VERSION);
        printf("Using driver: %s\n", vp_conn_get_driver_name(conn));
    }
    return VPSH_EXIT_OK;
}

/* What the driver accepts of domain XML: libvirt's <domainCapabilities>
 * layout, or the library's JSON under --json. */
static int
cmd_domcapabilities(vpsh_ctx *ctx, const vpsh_args *a)
{
    vp_conn *conn;
    if (vpsh_conn(ctx, &conn) != 0)
        return VPSH_EXIT_FAIL;
    _cleanup_free_ char *caps = NULL;
    if (vp_conn_get_domain_capabilities(conn, ctx->json ? VP_DOMAIN_CAPS_JSON : 0, &caps) < 0)
        return vpsh_fail();
    if (ctx->json)
        vpsh_json_raw(ctx->js, NULL, caps);
    else
        fputs(caps, stdout);
    return VPSH_EXIT_OK;
}

const vpsh_cmd vpsh_misc_cmds[] = {
    {"domcapabilities", "", "show what the driver supports of domain XML", NULL, 0, 0,
     cmd_domcapabilities, NULL, 0},
    {"uri", "", "print the connection's URI", NULL, 0, 0, cmd_uri, NULL, 0},
    {"version", "", "print the library, vpsh and driver versions", NULL, 0, 0, cmd_version, NULL,
     0},
    {"help", "[COMMAND|KEYWORD]", "list the commands, one group of them, or describe one", NULL, 0,
     1, vpsh_cmd_help, "command", 0},
    {"quit", "", "leave the shell", NULL, 0, 0, vpsh_cmd_quit, NULL, 0},
    {"exit", "", "leave the shell", NULL, 0, 0, vpsh_cmd_quit, NULL, 0},
    {NULL, NULL, NULL, NULL, 0, 0, NULL, NULL, 0},
};
