/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Copyright (C) 2026 The virtplug developers */
/*
 * help.c: what vpsh says about its own commands.
 *
 * Owns the groups of verbs (each file's table, with virsh's help keyword),
 * finding a verb, the help texts derived from the verb tables (the list,
 * one group for "help KEYWORD", one verb's usage and options, and the same
 * as JSON), and the one-line refusal of the verb families virtplug has no
 * driver for. It never opens a connection.
 */
#include <config.h>

#include "vpsh.h"

const vpsh_cmd *const vpsh_cmd_tables[] = {
    vpsh_domain_cmds, vpsh_snapshot_cmds, vpsh_node_cmds, vpsh_plugin_cmds,
    vpsh_misc_cmds,   vpsh_stats_cmds,    NULL,
};

static const struct group {
    const char *title;
    const char *keyword; /* virsh's "help KEYWORD" where virsh has the group */
} groups[] = {
    {"Domains", "domain"}, {"Snapshots", "snapshot"}, {"Host and host power", "host"},
    {"Plugins", "plugin"}, {"Other", "virsh"},        {"Statistics", "monitor"},
};

const char *
vpsh_group_title(size_t i)
{
    return groups[i].title;
}

const char *
vpsh_group_keyword(size_t i)
{
    return groups[i].keyword;
}

const vpsh_cmd *
vpsh_cmd_find(const char *name)
{
    for (size_t t = 0; vpsh_cmd_tables[t]; t++)
        for (const vpsh_cmd *c = vpsh_cmd_tables[t]; c->name; c++)
            if (strcmp(c->name, name) == 0)
                return c;
    return NULL;
}

/* virsh's verb families that need a driver virtplug does not have. */
static const struct nodriver {
    const char *prefix;
    const char *keyword; /* virsh's help keyword of the family */
    const char *text;
} nodrivers[] = {
    {"net-", "network",
     "virtplug has no network driver; use 'virsh net-*' with libvirtd, or ip(8) and nmcli(1)"},
    {"pool-", "pool",
     "virtplug has no storage driver; use 'virsh pool-*' with libvirtd, or the file system"},
    {"vol-", "volume",
     "virtplug has no storage driver; use 'virsh vol-*' with libvirtd, or qemu-img(1)"},
    {NULL, NULL, NULL},
};

const char *
vpsh_nodriver(const char *verb)
{
    static char text[256];
    for (const struct nodriver *n = nodrivers; n->prefix; n++)
        if (strncmp(verb, n->prefix, strlen(n->prefix)) == 0 || strcmp(verb, n->keyword) == 0) {
            snprintf(text, sizeof(text), "command '%s': %s", verb, n->text);
            return text;
        }
    return NULL;
}

static void
print_usage_line(FILE *out, const vpsh_cmd *cmd)
{
    fprintf(out, "usage: vpsh %s", cmd->name);
    if (cmd->synopsis && *cmd->synopsis)
        fprintf(out, " %s", cmd->synopsis);
    for (const vpsh_opt *o = cmd->opts; o && o->name; o++) {
        if (o->refuse)
            continue;
        if (o->value)
            fprintf(out, " [--%s %s]%s", o->name, o->value, o->repeat ? "..." : "");
        else
            fprintf(out, " [--%s]", o->name);
    }
    fputc('\n', out);
}

static void
print_group(FILE *out, size_t t)
{
    fprintf(out, "%s (help keyword '%s'):\n", groups[t].title, groups[t].keyword);
    for (const vpsh_cmd *c = vpsh_cmd_tables[t]; c->name; c++)
        fprintf(out, "  %-26s %s\n", c->name, c->summary);
}

void
vpsh_print_help(FILE *out)
{
    fputs("usage: vpsh [OPTIONS] [COMMAND [ARGS]] [';' COMMAND [ARGS]]...\n"
          "       vpsh [OPTIONS] 'COMMAND [ARGS]; COMMAND [ARGS]...'\n"
          "       vpsh [OPTIONS]      (a shell; commands from stdin when it is no terminal)\n"
          "       vpsh help [COMMAND|KEYWORD] | COMMAND --help | --version\n"
          "\n"
          "Options:\n"
          "  -c, --connect URI  connect to URI; default: $VIRTPLUG_DEFAULT_URI,\n"
          "                     $VIRSH_DEFAULT_CONNECT_URI, $LIBVIRT_DEFAULT_URI,\n"
          "                     else the simulated host test:///default\n"
          "  -d, --debug LEVEL  0 prints the library's debug messages (levels 0-4)\n"
          "  -e, --escape SEQ   the console escape (C or ^C)\n"
          "  -q, --quiet        no confirmations, table headers or blank lines\n"
          "  -r, --readonly     refuse the commands that change state\n"
          "  --json             print JSON on stdout: {command, ok, result|error}\n"
          "  -h, --help         print this help\n"
          "  -v, --version      print vpsh's version\n",
          out);
    for (size_t t = 0; vpsh_cmd_tables[t]; t++) {
        fputc('\n', out);
        print_group(out, t);
    }
    fputs("\nnet-*, pool-*, vol-*: virtplug has no network or storage driver.\n"
          "See vpsh(1) for details.\n",
          out);
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
            if (o->refuse)
                fprintf(out, "  %-20s not supported: %s\n", spelled, o->refuse);
            else
                fprintf(out, "  %-20s %s\n", spelled, o->help);
        }
    }
}

void
vpsh_cmd_help_json(vpsh_json *js, const vpsh_cmd *cmd)
{
    vpsh_json_begin_object(js, NULL);
    vpsh_json_string(js, "name", cmd->name);
    vpsh_json_string(js, "synopsis", cmd->synopsis);
    vpsh_json_string(js, "summary", cmd->summary);
    vpsh_json_bool(js, "changes_state", cmd->flags & VPSH_CMD_MUTATES);
    vpsh_json_begin_array(js, "options");
    for (const vpsh_opt *o = cmd->opts; o && o->name; o++) {
        vpsh_json_begin_object(js, NULL);
        vpsh_json_string(js, "name", o->name);
        vpsh_json_string(js, "value", o->value);
        vpsh_json_bool(js, "repeat", o->repeat);
        vpsh_json_string(js, "help", o->refuse ? NULL : o->help);
        vpsh_json_string(js, "refused", o->refuse);
        vpsh_json_end_object(js);
    }
    vpsh_json_end_array(js);
    vpsh_json_end_object(js);
}

static void
help_json(vpsh_json *js, size_t only_group)
{
    vpsh_json_begin_object(js, NULL);
    vpsh_json_begin_array(js, "groups");
    for (size_t t = 0; vpsh_cmd_tables[t]; t++) {
        if (only_group != (size_t)-1 && t != only_group)
            continue;
        vpsh_json_begin_object(js, NULL);
        vpsh_json_string(js, "title", groups[t].title);
        vpsh_json_string(js, "keyword", groups[t].keyword);
        vpsh_json_begin_array(js, "commands");
        for (const vpsh_cmd *c = vpsh_cmd_tables[t]; c->name; c++)
            vpsh_cmd_help_json(js, c);
        vpsh_json_end_array(js);
        vpsh_json_end_object(js);
    }
    vpsh_json_end_array(js);
    vpsh_json_end_object(js);
}

int
vpsh_cmd_help(vpsh_ctx *ctx, const vpsh_args *a)
{
    size_t group = (size_t)-1;
    const vpsh_cmd *cmd = NULL;
    if (a->npos > 0) {
        cmd = vpsh_cmd_find(a->pos[0]);
        for (size_t t = 0; !cmd && vpsh_cmd_tables[t]; t++)
            if (strcmp(groups[t].keyword, a->pos[0]) == 0)
                group = t;
        if (!cmd && group == (size_t)-1) {
            const char *why = vpsh_nodriver(a->pos[0]);
            if (why)
                return vpsh_failf("%s", why);
            return vpsh_failf("command or command group '%s' doesn't exist", a->pos[0]);
        }
    }
    if (cmd && ctx->json)
        vpsh_cmd_help_json(ctx->js, cmd);
    else if (cmd)
        vpsh_print_cmd_help(stdout, cmd);
    else if (ctx->json)
        help_json(ctx->js, group);
    else if (group != (size_t)-1)
        print_group(stdout, group);
    else
        vpsh_print_help(stdout);
    return VPSH_EXIT_OK;
}

int
vpsh_cmd_quit(vpsh_ctx *ctx, const vpsh_args *a)
{
    ctx->quit = true;
    return VPSH_EXIT_OK;
}
