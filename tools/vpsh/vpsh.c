/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Copyright (C) 2026 The virtplug developers */
/*
 * vpsh.c: the vpsh command-line client's entry point.
 *
 * Owns the global options (-c URI, --json, --help, --version), finding the
 * verb, the help texts, the connection (opened once, on first use) and
 * the one place errors are printed: "error: <message>" on stderr, taken
 * from vp_error_last(), and "warning: <message>" for a failure a verb
 * works around. With --json the document is built in memory and
 * printed only when the verb succeeded, so stdout holds exactly one
 * document or nothing. It does no work at startup beyond what the verb
 * needs, so a whole vpsh run stays within a few milliseconds.
 */
#include <config.h>

#include <errno.h>
#include <stdarg.h>

#include "vpsh.h"

static const vpsh_cmd *const cmd_tables[] = {
    vpsh_domain_cmds, vpsh_snapshot_cmds, vpsh_node_cmds, vpsh_plugin_cmds, vpsh_misc_cmds, NULL,
};

static const char *const table_titles[] = {
    "Domains", "Snapshots", "Host power", "Plugins", "Other", NULL,
};

const vpsh_cmd *
vpsh_cmd_find(const char *name)
{
    for (size_t t = 0; cmd_tables[t]; t++)
        for (const vpsh_cmd *c = cmd_tables[t]; c->name; c++)
            if (strcmp(c->name, name) == 0)
                return c;
    return NULL;
}

static void
print_usage_line(FILE *out, const vpsh_cmd *cmd)
{
    fprintf(out, "usage: vpsh %s", cmd->name);
    if (cmd->synopsis && *cmd->synopsis)
        fprintf(out, " %s", cmd->synopsis);
    for (const vpsh_opt *o = cmd->opts; o && o->name; o++) {
        if (o->value)
            fprintf(out, " [--%s %s]%s", o->name, o->value, o->repeat ? "..." : "");
        else
            fprintf(out, " [--%s]", o->name);
    }
    fputc('\n', out);
}

void
vpsh_print_help(FILE *out)
{
    fputs("usage: vpsh [-c URI] [--json] COMMAND [ARGS]\n"
          "       vpsh [-c URI] [--json] COMMAND [ARGS] ';' COMMAND [ARGS] ...\n"
          "       vpsh help [COMMAND] | COMMAND --help | --version\n"
          "\n"
          "Options:\n"
          "  -c, --connect URI  connect to URI; default: $VIRTPLUG_DEFAULT_URI,\n"
          "                     else test:///default\n"
          "  --json             print one JSON document on stdout\n"
          "  -h, --help         print this help\n"
          "  -v, --version      print vpsh's version\n",
          out);
    for (size_t t = 0; cmd_tables[t]; t++) {
        fprintf(out, "\n%s:\n", table_titles[t]);
        for (const vpsh_cmd *c = cmd_tables[t]; c->name; c++)
            fprintf(out, "  %-26s %s\n", c->name, c->summary);
    }
    fputs("\nSee vpsh(1) for details.\n", out);
}

void
vpsh_print_cmd_help(FILE *out, const vpsh_cmd *cmd)
{
    print_usage_line(out, cmd);
    fprintf(out, "\n  %s\n", cmd->summary);
    if (cmd->opts && cmd->opts[0].name) {
        fputs("\nOptions:\n", out);
        for (const vpsh_opt *o = cmd->opts; o->name; o++) {
            _cleanup_free_ char *spelled =
                o->value ? vp_asprintf("--%s %s", o->name, o->value) : vp_asprintf("--%s", o->name);
            fprintf(out, "  %-20s %s\n", spelled, o->help);
        }
    }
}

int
vpsh_fail(void)
{
    const vp_error *e = vp_error_last();
    fprintf(stderr, "error: %s\n", e ? e->message : "unknown failure (the library set no error)");
    return VPSH_EXIT_FAIL;
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

int
vpsh_failf(const char *fmt, ...)
{
    va_list ap;
    fputs("error: ", stderr);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
    return VPSH_EXIT_FAIL;
}

int
vpsh_usage(const vpsh_cmd *cmd, const char *fmt, ...)
{
    va_list ap;
    fputs("error: ", stderr);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
    if (cmd)
        print_usage_line(stderr, cmd);
    else
        fputs("usage: vpsh [-c URI] [--json] COMMAND [ARGS]; run 'vpsh help' for the commands\n",
              stderr);
    return VPSH_EXIT_USAGE;
}

int
vpsh_conn(vpsh_ctx *ctx, vp_conn **ret_conn)
{
    if (!ctx->conn && vp_conn_open(ctx->uri, 0, &ctx->conn) < 0)
        return vpsh_fail();
    *ret_conn = ctx->conn;
    return 0;
}

int
vpsh_domain(vpsh_ctx *ctx, const char *name, vp_domain **ret_dom)
{
    vp_conn *conn;
    int r = vpsh_conn(ctx, &conn);
    if (r != 0)
        return r;
    if (vp_domain_lookup_by_name(conn, name, ret_dom) < 0)
        return vpsh_fail();
    return 0;
}

/* Global options before the verb; returns the index of the verb, or -1
 * with *ret_status set when vpsh is done (help, version, usage error). */
static int
parse_global(vpsh_ctx *ctx, int argc, char **argv, int *ret_status)
{
    int i = 1;
    for (; i < argc && argv[i][0] == '-'; i++) {
        const char *a = argv[i];
        if (strcmp(a, "-c") == 0 || strcmp(a, "--connect") == 0) {
            if (i + 1 >= argc) {
                *ret_status = vpsh_usage(NULL, "option '%s' needs a URI", a);
                return -1;
            }
            ctx->uri = argv[++i];
        } else if (strncmp(a, "--connect=", 10) == 0) {
            ctx->uri = a + 10;
        } else if (strcmp(a, "--json") == 0) {
            ctx->json = true;
        } else if (strcmp(a, "-h") == 0 || strcmp(a, "--help") == 0) {
            vpsh_print_help(stdout);
            *ret_status = VPSH_EXIT_OK;
            return -1;
        } else if (strcmp(a, "-v") == 0 || strcmp(a, "--version") == 0) {
            puts(VP_VERSION_STRING);
            *ret_status = VPSH_EXIT_OK;
            return -1;
        } else {
            *ret_status = vpsh_usage(NULL, "unknown option '%s'", a);
            return -1;
        }
    }
    if (i >= argc) {
        *ret_status = vpsh_usage(NULL, "no command given");
        return -1;
    }
    return i;
}

static int
run_verb(vpsh_ctx *ctx, const vpsh_cmd *cmd, int argc, char **argv)
{
    vpsh_args args;
    bool help = false;
    int status = vpsh_args_parse(cmd, argc, argv, &args, &help, &ctx->json);
    if (status != 0)
        return status;
    if (help) {
        vpsh_print_cmd_help(stdout, cmd);
    } else {
        ctx->cmd = cmd;
        status = cmd->run(ctx, &args);
    }
    vpsh_args_clear(&args);
    return status;
}

/* Print the JSON document of a successful run; a failed run prints none,
 * unless the verb's document describes the failure (nodesuspend). */
static int
flush_json(const vpsh_ctx *ctx, char *doc, size_t size, int status)
{
    if ((status == VPSH_EXIT_OK || ctx->json_on_failure) && doc && size > 0)
        fwrite(doc, 1, size, stdout);
    return status;
}

/* Run the verbs of argv[first..], separated by ";" arguments, on one
 * connection, stopping at the first that fails. With --json and several
 * verbs, the document is an array of their documents. */
static int
run_sequence(vpsh_ctx *ctx, int first, int argc, char **argv)
{
    bool several = false, options = true;
    for (int i = first; i < argc; i++) {
        /* --json after a verb applies to the whole run, so decide it first. */
        if (strcmp(argv[i], ";") == 0)
            several = options = true;
        else if (strcmp(argv[i], "--") == 0)
            options = false;
        else if (options && strcmp(argv[i], "--json") == 0)
            ctx->json = true;
    }
    if (several && ctx->json)
        vpsh_json_begin_array(ctx->js, NULL);
    int status = VPSH_EXIT_OK;
    for (int start = first; start < argc && status == VPSH_EXIT_OK;) {
        int end = start;
        while (end < argc && strcmp(argv[end], ";") != 0)
            end++;
        const vpsh_cmd *cmd = end > start ? vpsh_cmd_find(argv[start]) : NULL;
        if (end == start)
            status = vpsh_usage(NULL, "empty command before or after ';'");
        else if (!cmd)
            status = vpsh_usage(NULL, "unknown command '%s'", argv[start]);
        else
            status = run_verb(ctx, cmd, end - start - 1, argv + start + 1);
        fflush(stdout);
        start = end + 1;
        if (end == argc - 1 && status == VPSH_EXIT_OK)
            status = vpsh_usage(NULL, "empty command before or after ';'");
    }
    if (several && ctx->json && status == VPSH_EXIT_OK)
        vpsh_json_end_array(ctx->js);
    return status;
}

int
main(int argc, char **argv)
{
    vpsh_ctx ctx = {0};
    int status = VPSH_EXIT_OK;
    int v = parse_global(&ctx, argc, argv, &status);
    if (v >= 0) {
        char *doc = NULL;
        size_t size = 0;
        FILE *mem = open_memstream(&doc, &size);
        if (!mem)
            abort();
        ctx.js = vpsh_json_new(mem);
        status = run_sequence(&ctx, v, argc, argv);
        vpsh_json_free(ctx.js);
        fclose(mem);
        status = flush_json(&ctx, doc, size, status);
        free(doc);
        vp_conn_close(ctx.conn);
    }
    if (fflush(stdout) != 0 || ferror(stdout)) {
        fprintf(stderr, "error: cannot write the output: %s\n", strerror(errno));
        return VPSH_EXIT_FAIL;
    }
    return status;
}
