/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Copyright (C) 2026 The virtplug developers */
/*
 * args.c: parsing the arguments of one vpsh verb.
 *
 * Owns the option syntax every verb shares: "--name", "--name VALUE",
 * "--name=VALUE", "--" to end options, "--help" and "--json" anywhere, and
 * the checks on counts of positionals and repeated options. Values point
 * into argv; nothing is copied. It never runs a verb or opens a connection.
 */
#include <config.h>

#include "vpsh.h"

static int
opt_index(const vpsh_cmd *cmd, const char *name, size_t len)
{
    if (!cmd->opts)
        return -1;
    for (int i = 0; cmd->opts[i].name; i++)
        if (strlen(cmd->opts[i].name) == len && strncmp(cmd->opts[i].name, name, len) == 0)
            return i;
    return -1;
}

static void
opt_store(vpsh_args *a, int i, const char *value)
{
    a->vals[i] = vp_renew(const char *, a->vals[i], a->nvals[i] + 1);
    a->vals[i][a->nvals[i]++] = value;
}

/* One "--..." argument at argv[*pos]; may consume the next one as its value. */
static int
parse_option(const vpsh_cmd *cmd, int argc, char **argv, int *pos, vpsh_args *a)
{
    const char *arg = argv[*pos] + 2;
    const char *eq = strchr(arg, '=');
    size_t len = eq ? (size_t)(eq - arg) : strlen(arg);
    int i = opt_index(cmd, arg, len);
    if (i < 0)
        return vpsh_usage(cmd, "command '%s' has no option '--%.*s'", cmd->name, (int)len, arg);
    const vpsh_opt *o = &cmd->opts[i];
    if (a->nvals[i] > 0 && !o->repeat)
        return vpsh_usage(cmd, "option '--%s' was given more than once", o->name);
    if (!o->value) {
        if (eq)
            return vpsh_usage(cmd, "option '--%s' takes no value", o->name);
        opt_store(a, i, "");
        return 0;
    }
    if (eq) {
        opt_store(a, i, eq + 1);
        return 0;
    }
    if (*pos + 1 >= argc)
        return vpsh_usage(cmd, "option '--%s' needs a value %s", o->name, o->value);
    *pos += 1;
    opt_store(a, i, argv[*pos]);
    return 0;
}

int
vpsh_args_parse(const vpsh_cmd *cmd, int argc, char **argv, vpsh_args *ret_args, bool *ret_help,
                bool *ret_json)
{
    vpsh_args a = {.cmd = cmd};
    bool only_positionals = false;
    *ret_help = false;
    for (int k = 0; k < argc; k++) {
        const char *arg = argv[k];
        int r = 0;
        if (!only_positionals && strcmp(arg, "--") == 0) {
            only_positionals = true;
        } else if (!only_positionals && strcmp(arg, "--help") == 0) {
            *ret_help = true;
        } else if (!only_positionals && strcmp(arg, "--json") == 0) {
            *ret_json = true;
        } else if (!only_positionals && arg[0] == '-' && arg[1] == '-') {
            r = parse_option(cmd, argc, argv, &k, &a);
        } else if (a.npos >= cmd->max_args || a.npos >= VPSH_MAX_ARGS) {
            r = vpsh_usage(cmd, "unexpected argument '%s' for command '%s'", arg, cmd->name);
        } else {
            a.pos[a.npos++] = arg;
        }
        if (r != 0) {
            vpsh_args_clear(&a);
            return r;
        }
    }
    if (!*ret_help && a.npos < cmd->min_args) {
        vpsh_args_clear(&a);
        return vpsh_usage(cmd, "command '%s' needs %s", cmd->name, cmd->synopsis);
    }
    *ret_args = a;
    return 0;
}

void
vpsh_args_clear(vpsh_args *args)
{
    for (size_t i = 0; i < VPSH_MAX_OPTS; i++) {
        free(args->vals[i]);
        args->vals[i] = NULL;
        args->nvals[i] = 0;
    }
}

size_t
vpsh_opt_values(const vpsh_args *args, const char *name, const char *const **ret_values)
{
    int i = opt_index(args->cmd, name, strlen(name));
    if (i < 0 || args->nvals[i] == 0) {
        *ret_values = NULL;
        return 0;
    }
    *ret_values = args->vals[i];
    return args->nvals[i];
}

bool
vpsh_flag(const vpsh_args *args, const char *name)
{
    const char *const *v;
    return vpsh_opt_values(args, name, &v) > 0;
}

const char *
vpsh_opt_value(const vpsh_args *args, const char *name)
{
    const char *const *v;
    size_t n = vpsh_opt_values(args, name, &v);
    return n > 0 ? v[n - 1] : NULL;
}
