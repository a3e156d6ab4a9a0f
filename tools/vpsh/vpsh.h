/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Copyright (C) 2026 The virtplug developers */
/*
 * vpsh.h: what the files of the vpsh command-line client share.
 *
 * The command table, the parsed arguments of one verb, the helpers that
 * print errors and usage lines (the only place in virtplug that prints
 * errors for people), and the small JSON writer. Never included by the
 * library.
 */
#ifndef VPSH_H
#define VPSH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include <virtplug/virtplug.h>
#include <virtplug/sdk/alloc.h>

/* Exit statuses: documented in docs/vpsh.1. */
enum { VPSH_EXIT_OK = 0, VPSH_EXIT_FAIL = 1, VPSH_EXIT_USAGE = 2 };

#define VPSH_MAX_OPTS 8
#define VPSH_MAX_ARGS 4

/* One --option of a verb. */
typedef struct vpsh_opt {
    const char *name;  /* without the leading "--" */
    const char *value; /* NULL for a flag, else the value's name in help ("SPEC") */
    bool repeat;       /* may be given more than once */
    const char *help;
} vpsh_opt;

typedef struct vpsh_json vpsh_json;
typedef struct vpsh_cmd vpsh_cmd;

/* The state of one vpsh run. */
typedef struct vpsh_ctx {
    const char *uri;      /* -c URI, or NULL for the library's default */
    bool json;            /* --json: one JSON document on stdout */
    vp_conn *conn;        /* opened by vpsh_conn() on first use */
    const vpsh_cmd *cmd;  /* the verb being run */
    vpsh_json *js;        /* the document, when json */
    bool json_on_failure; /* print the document even though the verb failed */
} vpsh_ctx;

/* A verb's arguments after parsing: positionals and option values, which
 * point into argv. */
typedef struct vpsh_args {
    const vpsh_cmd *cmd;
    const char *pos[VPSH_MAX_ARGS];
    size_t npos;
    const char **vals[VPSH_MAX_OPTS]; /* per option of cmd->opts; flags store "" */
    size_t nvals[VPSH_MAX_OPTS];
} vpsh_args;

struct vpsh_cmd {
    const char *name;
    const char *synopsis; /* positional arguments, as in the usage line */
    const char *summary;  /* one line for "vpsh help" */
    const vpsh_opt *opts; /* NULL-name terminated, at most VPSH_MAX_OPTS; or NULL */
    unsigned int min_args;
    unsigned int max_args;
    int (*run)(vpsh_ctx *ctx, const vpsh_args *args); /* returns an exit status */
};

/* The verbs of each file, NULL-name terminated. */
extern const vpsh_cmd vpsh_domain_cmds[];
extern const vpsh_cmd vpsh_snapshot_cmds[];
extern const vpsh_cmd vpsh_node_cmds[];
extern const vpsh_cmd vpsh_plugin_cmds[];
extern const vpsh_cmd vpsh_misc_cmds[];

/* vpsh.c: lookup, help and the shared error helpers. */
const vpsh_cmd *vpsh_cmd_find(const char *name);
void vpsh_print_help(FILE *out);
void vpsh_print_cmd_help(FILE *out, const vpsh_cmd *cmd);
/* "error: <the library's last error>"; returns VPSH_EXIT_FAIL. */
int vpsh_fail(void);
/* "warning: <message>: <the library's last error>"; the verb goes on. */
void vpsh_warn(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* "error: <message>"; returns VPSH_EXIT_FAIL. */
int vpsh_failf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* "error: <message>" and the verb's usage line; returns VPSH_EXIT_USAGE. */
int vpsh_usage(const vpsh_cmd *cmd, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* The connection, opened on first use; on failure prints the error. */
int vpsh_conn(vpsh_ctx *ctx, vp_conn **ret_conn);
/* vpsh_conn() and a lookup by name; on failure prints the error. */
int vpsh_domain(vpsh_ctx *ctx, const char *name, vp_domain **ret_dom);

/* args.c: parsing a verb's arguments. */
int vpsh_args_parse(const vpsh_cmd *cmd, int argc, char **argv, vpsh_args *ret_args, bool *ret_help,
                    bool *ret_json);
void vpsh_args_clear(vpsh_args *args);
bool vpsh_flag(const vpsh_args *args, const char *name);
const char *vpsh_opt_value(const vpsh_args *args, const char *name);
size_t vpsh_opt_values(const vpsh_args *args, const char *name, const char *const **ret_values);

/* format.c: output helpers shared by the verbs. */
/* Local ISO-8601 time of @us microseconds since the epoch into @buf; "-" for 0. */
const char *vpsh_time_iso(int64_t us, char *buf, size_t size);
/* "%-15s %s\n" as virsh prints its key: value lines. */
void vpsh_kv(const char *key, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* A virsh-style table: a header row, dashes, then rows; cells are strings. */
typedef struct vpsh_table vpsh_table;
vpsh_table *vpsh_table_new(size_t ncols, const char *const *headers);
void vpsh_table_add(vpsh_table *t, const char *const *cells);
void vpsh_table_print(const vpsh_table *t, FILE *out);
void vpsh_table_free(vpsh_table *t);
VP_DEFINE_CLEANUP(vpsh_table, vpsh_table_free)
VP_DEFINE_CLEANUP(vp_domain, vp_domain_free)
VP_DEFINE_CLEANUP(vp_snapshot, vp_snapshot_free)

/* json-writer.c: a streaming writer of one pretty-printed JSON document.
 * @key is the member name inside an object and NULL inside an array or at
 * the top. Strings are escaped; invalid UTF-8 becomes U+FFFD. */
vpsh_json *vpsh_json_new(FILE *out);
void vpsh_json_free(vpsh_json *js);
void vpsh_json_begin_object(vpsh_json *js, const char *key);
void vpsh_json_end_object(vpsh_json *js);
void vpsh_json_begin_array(vpsh_json *js, const char *key);
void vpsh_json_end_array(vpsh_json *js);
void vpsh_json_string(vpsh_json *js, const char *key, const char *value); /* NULL: null */
void vpsh_json_int(vpsh_json *js, const char *key, long long value);
void vpsh_json_uint(vpsh_json *js, const char *key, unsigned long long value);
void vpsh_json_bool(vpsh_json *js, const char *key, bool value);
void vpsh_json_null(vpsh_json *js, const char *key);
/* Write @s as a JSON string literal (quotes included) to @out. */
void vpsh_json_write_string(FILE *out, const char *s);
/* A member whose value is @json, a valid JSON document, written as it is. */
void vpsh_json_raw(vpsh_json *js, const char *key, const char *json);

/* Walk one JSON document and call @emit for every scalar with its dotted
 * path ("fsinfo.0.name") and its text (strings decoded, numbers and
 * true/false/null as written). Returns -1 when @text is not valid JSON. */
typedef void (*vpsh_json_emit_fn)(void *userdata, const char *path, const char *value);
int vpsh_json_flatten(const char *text, vpsh_json_emit_fn emit, void *userdata);

#endif /* VPSH_H */
