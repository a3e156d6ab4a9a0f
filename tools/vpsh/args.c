/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Copyright (C) 2026 The virtplug developers */
/*
 * args.c: parsing the arguments of one vpsh verb.
 *
 * Owns the option syntax every verb shares: "--name", "--name VALUE",
 * "--name=VALUE", "--" to end options, "--help" and "--json" anywhere,
 * each positional also as virsh's named option ("--domain NAME"), the
 * checks on counts of positionals and repeated options, and refusing an
 * option vpsh declares but cannot honour. Errors are virsh's words. Values
 * point into argv; nothing is copied. It never runs a verb or opens a
 * connection.
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

/* The index of the positional virsh names @name (length @len), or -1. */
static int
argname_index(const vpsh_cmd *cmd, const char *name, size_t len)
{
    const char *p = cmd->argnames;
    for (int i = 0; p && *p; i++) {
        size_t n = strcspn(p, " ");
        if (n == len && strncmp(p, name, len) == 0)
            return i;
        p += n;
        p += strspn(p, " ");
    }
    return -1;
}

/* The name of positional @i, for "requires <domain> option". */
static void
argname(const vpsh_cmd *cmd, size_t i, char *buf, size_t size)
{
    const char *p = cmd->argnames;
    for (size_t k = 0; p && *p && k < i; k++) {
        p += strcspn(p, " ");
        p += strspn(p, " ");
    }
    if (p && *p)
        snprintf(buf, size, "%.*s", (int)strcspn(p, " "), p);
    else
        snprintf(buf, size, "%s", cmd->synopsis);
}

/* Parsing state: the named positionals besides the options. */
typedef struct parse_state {
    vpsh_args a;
    const char *named[VPSH_MAX_ARGS];
} parse_state;

/* The value of "--name" at argv[*pos]: after '=', or the next argument. */
static int
option_value(const vpsh_cmd *cmd, int argc, char **argv, int *pos, const char *name, size_t len,
             const char *eq, const char **ret_value)
{
    if (eq) {
        *ret_value = eq + 1;
        return 0;
    }
    if (*pos + 1 >= argc)
        return vpsh_usage(cmd, "expected syntax: --%.*s <string>", (int)len, name);
    *pos += 1;
    *ret_value = argv[*pos];
    return 0;
}

/* One "--..." argument at argv[*pos]; may consume the next one as its value. */
static int
parse_option(const vpsh_cmd *cmd, int argc, char **argv, int *pos, parse_state *st)
{
    const char *arg = argv[*pos] + 2;
    const char *eq = strchr(arg, '=');
    size_t len = eq ? (size_t)(eq - arg) : strlen(arg);
    int i = opt_index(cmd, arg, len);
    if (i < 0) {
        int k = argname_index(cmd, arg, len);
        if (k < 0 || k >= VPSH_MAX_ARGS)
            return vpsh_usage(cmd, "command '%s' doesn't support option --%.*s", cmd->name,
                              (int)len, arg);
        if (st->named[k])
            return vpsh_usage(cmd, "option --%.*s already seen", (int)len, arg);
        return option_value(cmd, argc, argv, pos, arg, len, eq, &st->named[k]);
    }
    const vpsh_opt *o = &cmd->opts[i];
    vpsh_args *a = &st->a;
    if (o->refuse)
        return vpsh_usage(cmd, "option --%s of command '%s' is not supported: %s", o->name,
                          cmd->name, o->refuse);
    if (a->nvals[i] > 0 && !o->repeat)
        return vpsh_usage(cmd, "option --%s already seen", o->name);
    if (!o->value) {
        if (eq)
            return vpsh_usage(cmd, "invalid '=' after option --%s", o->name);
        opt_store(a, i, "");
        return 0;
    }
    const char *value = NULL;
    int r = option_value(cmd, argc, argv, pos, o->name, strlen(o->name), eq, &value);
    if (r == 0)
        opt_store(a, i, value);
    return r;
}

/* Fill the positionals not given by name with the bare arguments, in order. */
static int
merge_positionals(const vpsh_cmd *cmd, parse_state *st, const char **bare, size_t nbare)
{
    vpsh_args *a = &st->a;
    size_t next = 0;
    a->npos = 0;
    for (size_t i = 0; i < cmd->max_args && i < VPSH_MAX_ARGS; i++) {
        if (st->named[i])
            a->pos[i] = st->named[i];
        else if (next < nbare)
            a->pos[i] = bare[next++];
        else
            a->pos[i] = NULL;
        if (a->pos[i])
            a->npos = i + 1;
    }
    if (next < nbare)
        return vpsh_usage(cmd, "unexpected data '%s'", bare[next]);
    for (size_t i = 0; i < a->npos; i++)
        if (!a->pos[i] && i < cmd->min_args) {
            char name[64];
            argname(cmd, i, name, sizeof(name));
            return vpsh_usage(cmd, "command '%s' requires <%s> option", cmd->name, name);
        }
    return 0;
}

int
vpsh_args_parse(const vpsh_cmd *cmd, int argc, char **argv, vpsh_args *ret_args, bool *ret_help,
                bool *ret_json)
{
    parse_state st = {.a = {.cmd = cmd}};
    const char *bare[VPSH_MAX_ARGS + 1];
    size_t nbare = 0;
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
            r = parse_option(cmd, argc, argv, &k, &st);
        } else if (nbare >= cmd->max_args || nbare >= VPSH_MAX_ARGS) {
            r = vpsh_usage(cmd, "unexpected data '%s'", arg);
        } else {
            bare[nbare++] = arg;
        }
        if (r != 0) {
            vpsh_args_clear(&st.a);
            return r;
        }
    }
    int r = merge_positionals(cmd, &st, bare, nbare);
    if (r == 0 && !*ret_help && st.a.npos < cmd->min_args) {
        char name[64];
        argname(cmd, st.a.npos, name, sizeof(name));
        r = vpsh_usage(cmd, "command '%s' requires <%s> option", cmd->name, name);
    }
    if (r != 0) {
        vpsh_args_clear(&st.a);
        return r;
    }
    *ret_args = st.a;
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
