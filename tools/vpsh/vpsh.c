/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Copyright (C) 2026 The virtplug developers */
/*
 * vpsh.c: the vpsh command-line client's entry point.
 *
 * Owns virsh's global options (-c, -q, -r, -d, -e, --help, --version) and
 * --json, which URI vpsh connects to (-c, then VIRTPLUG_DEFAULT_URI, then
 * virsh's VIRSH_DEFAULT_CONNECT_URI and LIBVIRT_DEFAULT_URI, else the
 * simulated test:///default; a URI that was asked for and cannot be
 * opened is an error, never a fallback), the connection (opened once, on
 * first use), the lookup of a domain argument as virsh's, and the one
 * place errors are printed: "error: <message>" on stderr, taken from
 * vp_error_last(), and "warning: <message>" for a failure a verb works
 * around. It does no work at startup beyond what the command needs, so a
 * whole vpsh run stays within a few milliseconds.
 */
#include <config.h>

#include <ctype.h>
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <stdarg.h>
#include <stdlib.h>
#include <unistd.h>

#include <virtplug/sdk/conf.h>
#include <virtplug/sdk/services.h>

#include "vpsh.h"

/* The last error printed, for the --json envelope. */
static char *last_message;
static const char *last_code;

static void
record_error(const char *code, const char *message)
{
    free(last_message);
    last_message = vp_strdup(message);
    last_code = code;
}

const char *
vpsh_last_error(const char **ret_code)
{
    *ret_code = last_code;
    return last_message;
}

void
vpsh_error_reset(void)
{
    free(last_message);
    last_message = NULL;
    last_code = NULL;
}

int
vpsh_fail(void)
{
    const vp_error *e = vp_error_last();
    const char *message = e ? e->message : "unknown failure (the library set no error)";
    fprintf(stderr, "error: %s\n", message);
    record_error(e ? vp_error_code_name(e->code) : "VP_ERR_UNKNOWN", message);
    return VPSH_EXIT_FAIL;
}

/* On stderr virsh's two lines; under --json one message, "WHAT: REASON". */
int
vpsh_fail_what(const char *what)
{
    const vp_error *e = vp_error_last();
    const char *reason = e ? e->message : "unknown failure (the library set no error)";
    fprintf(stderr, "error: %s\nerror: %s\n", what, reason);
    _cleanup_free_ char *message = vp_asprintf("%s: %s", what, reason);
    record_error(vp_error_code_name(e ? e->code : VP_ERR_INTERNAL), message);
    return VPSH_EXIT_FAIL;
}

void
vpsh_extra(const vpsh_ctx *ctx, const char *fmt, ...)
{
    va_list ap;
    if (ctx->quiet)
        return;
    va_start(ap, fmt);
    vprintf(fmt, ap);
    va_end(ap);
}

void
vpsh_warn(const char *fmt, ...)
{
    const vp_error *e = vp_error_last();
    va_list ap;
    fputs("warning: ", stderr);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fprintf(stderr, ": %s\n", e ? e->message : "unknown failure (the library set no error)");
}

static void
print_error(const char *code, const char *fmt, va_list ap)
{
    _cleanup_free_ char *message = vp_vasprintf(fmt, ap);
    fprintf(stderr, "error: %s\n", message);
    record_error(code, message);
}

int
vpsh_failf(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    print_error("VPSH_FAILED", fmt, ap);
    va_end(ap);
    return VPSH_EXIT_FAIL;
}

int
vpsh_failc(int code, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    print_error(vp_error_code_name(code), fmt, ap);
    va_end(ap);
    return VPSH_EXIT_FAIL;
}

/* As virsh, a usage error is one "error:" line; "help COMMAND" has the rest. */
int
vpsh_usage(const vpsh_cmd *cmd, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    print_error("VPSH_USAGE", fmt, ap);
    va_end(ap);
    return VPSH_EXIT_USAGE;
}

/* Where a URI may come from when -c is not given, in virsh's order after
 * virtplug's own variable. */
static const char *const uri_variables[] = {
    "VIRTPLUG_DEFAULT_URI",
    "VIRSH_DEFAULT_CONNECT_URI",
    "LIBVIRT_DEFAULT_URI",
    NULL,
};

#define VPSH_DEFAULT_URI "test:///default"

const char *
vpsh_uri(vpsh_ctx *ctx)
{
    if (ctx->uri)
        return ctx->uri;
    for (size_t i = 0; uri_variables[i]; i++) {
        const char *v = secure_getenv(uri_variables[i]);
        if (v && *v) {
            ctx->uri = v;
            ctx->uri_source = uri_variables[i];
            return v;
        }
    }
    ctx->uri = VPSH_DEFAULT_URI;
    ctx->uri_source = NULL;
    return ctx->uri;
}

/* A verb that changes state asks for the connection: refused under -r;
 * on the simulated host nobody asked for, said once. */
static int
conn_policy(vpsh_ctx *ctx, const char *uri)
{
    if (!ctx->cmd || !(ctx->cmd->flags & VPSH_CMD_MUTATES))
        return 0;
    if (ctx->readonly)
        return vpsh_failf("command '%s' changes state; refused by -r (--readonly)", ctx->cmd->name);
    if (!ctx->uri_source && !ctx->notified) {
        ctx->notified = true;
        fprintf(stderr,
                "warning: no connection URI is configured (-c, VIRTPLUG_DEFAULT_URI, "
                "LIBVIRT_DEFAULT_URI): '%s' changes the simulated host %s, which forgets it "
                "when vpsh exits\n",
                ctx->cmd->name, uri);
    }
    return 0;
}

int
vpsh_conn(vpsh_ctx *ctx, vp_conn **ret_conn)
{
    if (conn_policy(ctx, vpsh_uri(ctx)) != 0)
        return VPSH_EXIT_FAIL;
    if (!ctx->conn) {
        const char *uri = vpsh_uri(ctx);
        if (vp_conn_open(uri, 0, &ctx->conn) < 0) {
            const vp_error *e = vp_error_last();
            if (ctx->uri_source && strcmp(ctx->uri_source, "-c") != 0)
                return vpsh_failf("failed to connect to '%s' (from %s): %s", uri, ctx->uri_source,
                                  e ? e->message : "unknown failure");
            return vpsh_fail();
        }
    }
    *ret_conn = ctx->conn;
    return 0;
}

int
vpsh_domain_uuid(vp_domain *dom, char *buf)
{
    int r = vp_domain_get_uuid_string(dom, buf);
    if (r != VP_ERR_NOT_SUPPORTED)
        return r < 0 ? -1 : 0;
    /* A driver built before UUIDs: its XML says. */
    _cleanup_free_ char *xml = NULL;
    vp_domain_def *def = NULL;
    if (vp_domain_get_xml(dom, 0, &xml) < 0 || vp_plugin_domain_def_parse(xml, 0, &def) < 0)
        return -1;
    vp_plugin_uuid_format(def->uuid, buf);
    vp_plugin_domain_def_free(def);
    return 0;
}

/* virsh's test for an ID: a whole decimal int (sign and leading blanks
 * allowed, as strtol takes them), not negative. */
static bool
parse_id(const char *s, int *ret_id)
{
    char *end;
    errno = 0;
    long v = strtol(s, &end, 10);
    if (errno || end == s || *end || v < 0 || v > INT_MAX)
        return false;
    *ret_id = (int)v;
    return true;
}

/* One lookup of virsh's chain: 1 found, 0 not this way, < 0 an error
 * that is not "no such domain". */
static int
lookup_step(int r)
{
    if (r >= 0)
        return 1;
    return r == VP_ERR_NO_DOMAIN || r == VP_ERR_INVALID_ARG || r == VP_ERR_NOT_SUPPORTED ? 0 : r;
}

/* virsh's order: an ID (when @by allows and @name is one), then a UUID
 * (36 characters), then the name. */
int
vpsh_domain_by(vpsh_ctx *ctx, const char *name, unsigned int by, vp_domain **ret_dom)
{
    vp_conn *conn;
    int r = vpsh_conn(ctx, &conn);
    if (r != 0)
        return r;
    int id, found = 0;
    if ((by & VPSH_BY_ID) && parse_id(name, &id))
        found = lookup_step(vp_domain_lookup_by_id(conn, id, ret_dom));
    if (!found && (by & VPSH_BY_UUID) && strlen(name) == VP_UUID_STRING_BUFLEN - 1)
        found = lookup_step(vp_domain_lookup_by_uuid_string(conn, name, ret_dom));
    if (!found && (by & VPSH_BY_NAME))
        found = lookup_step(vp_domain_lookup_by_name(conn, name, ret_dom));
    if (found < 0)
        return vpsh_fail();
    if (!found)
        return vpsh_failc(VP_ERR_NO_DOMAIN, "failed to get domain '%s'", name);
    return 0;
}

int
vpsh_domain(vpsh_ctx *ctx, const char *name, vp_domain **ret_dom)
{
    return vpsh_domain_by(ctx, name, VPSH_BY_ID | VPSH_BY_UUID | VPSH_BY_NAME, ret_dom);
}

/* -e: one character, or '^' and a letter, as virsh accepts. */
static bool
escape_valid(const char *s)
{
    if (s[0] && !s[1])
        return true;
    return s[0] == '^' && s[1] && !s[2] &&
           strchr("@ABCDEFGHIJKLMNOPQRSTUVWXYZ[\\]^_", toupper(s[1]));
}

enum { OPT_JSON = 256 };

static const struct option global_options[] = {
    {"connect", required_argument, NULL, 'c'},
    {"debug", required_argument, NULL, 'd'},
    {"escape", required_argument, NULL, 'e'},
    {"help", no_argument, NULL, 'h'},
    {"quiet", no_argument, NULL, 'q'},
    {"readonly", no_argument, NULL, 'r'},
    {"version", no_argument, NULL, 'v'},
    {"json", no_argument, NULL, OPT_JSON},
    {NULL, 0, NULL, 0},
};

/* -d LEVEL: 0 (debug) turns the library's debug messages on; 1 to 4 add
 * nothing to what vpsh prints anyway (warnings and errors). */
static void
set_debug(const char *level)
{
    char *end = NULL;
    long v = strtol(level, &end, 10);
    if (!*level || *end || v < 0 || v > 4)
        fprintf(stderr, "error: ignoring debug level %s out of range [0-4]\n", level);
    else if (v == 0)
        setenv("VIRTPLUG_DEBUG", "1", 1);
}

/* Global options before the command; returns the index of the command
 * (argc when none), or -1 with *ret_status set when vpsh is done. */
static int
parse_global(vpsh_ctx *ctx, int argc, char **argv, int *ret_status)
{
    int c;
    opterr = 0;
    while ((c = getopt_long(argc, argv, "+:c:d:e:hqrvV", global_options, NULL)) != -1) {
        switch (c) {
        case 'c':
            ctx->uri = optarg;
            ctx->uri_source = "-c";
            break;
        case 'd':
            set_debug(optarg);
            break;
        case 'e':
            if (!escape_valid(optarg)) {
                *ret_status = vpsh_usage(NULL, "Invalid string '%s' for escape sequence", optarg);
                return -1;
            }
            ctx->escape = optarg;
            break;
        case 'q':
            ctx->quiet = true;
            break;
        case 'r':
            ctx->readonly = true;
            break;
        case OPT_JSON:
            ctx->json = true;
            break;
        case 'h':
            vpsh_print_help(stdout);
            *ret_status = VPSH_EXIT_OK;
            return -1;
        case 'v':
        case 'V':
            puts(VP_VERSION_STRING);
            *ret_status = VPSH_EXIT_OK;
            return -1;
        case ':':
            *ret_status = vpsh_usage(NULL, "option '%s' requires an argument", argv[optind - 1]);
            return -1;
        default:
            *ret_status =
                vpsh_usage(NULL, "unsupported option '%s'. See --help.", argv[optind - 1]);
            return -1;
        }
    }
    return optind;
}

int
main(int argc, char **argv)
{
    vpsh_ctx ctx = {0};
    int status = VPSH_EXIT_OK;
    int v = parse_global(&ctx, argc, argv, &status);
    if (v >= 0) {
        ctx.run_js = vpsh_json_new(stdout);
        if (v >= argc)
            status = vpsh_shell(&ctx);
        else if (argc - v == 1)
            status = vpsh_run_string(&ctx, argv[v]);
        else
            status = vpsh_run_argv(&ctx, argc - v, argv + v);
        vpsh_json_free(ctx.run_js);
        vp_conn_close(ctx.conn);
    }
    vpsh_error_reset();
    if (fflush(stdout) != 0 || ferror(stdout)) {
        fprintf(stderr, "error: cannot write the output: %s\n", strerror(errno));
        return VPSH_EXIT_FAIL;
    }
    return status;
}
