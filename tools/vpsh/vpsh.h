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

/* Exit statuses: documented in docs/vpsh.1. A usage error exits 1 as
 * virsh's do; the name only marks where the status comes from. */
enum { VPSH_EXIT_OK = 0, VPSH_EXIT_FAIL = 1, VPSH_EXIT_USAGE = 1 };

#define VPSH_MAX_OPTS 32
#define VPSH_MAX_ARGS 32

/* One --option of a verb. */
typedef struct vpsh_opt {
    const char *name;  /* without the leading "--" */
    const char *value; /* NULL for a flag, else the value's name in help ("SPEC") */
    bool repeat;       /* may be given more than once */
    const char *help;
    const char *refuse; /* virsh's option that vpsh cannot honour: why, said when given */
} vpsh_opt;

typedef struct vpsh_json vpsh_json;
typedef struct vpsh_cmd vpsh_cmd;

/* The state of one vpsh run. */
typedef struct vpsh_ctx {
    const char *uri;        /* -c URI, else resolved by vpsh_uri() */
    const char *uri_source; /* "-c" or the environment variable; NULL: the built-in default */
    bool json;              /* --json: one JSON document on stdout */
    bool quiet;             /* -q: no confirmations, table headers or blank lines */
    bool readonly;          /* -r: refuse the verbs that change state */
    bool notified;          /* the simulated-host notice was printed */
    const char *escape;     /* -e: the console escape (console) */
    bool quit;              /* "quit" or "exit" ran: run no more commands */
    vp_conn *conn;          /* opened by vpsh_conn() on first use */
    const vpsh_cmd *cmd;    /* the verb being run */
    vpsh_json *js;          /* the running verb's document, when json */
    bool json_on_failure;   /* keep the verb's document although it failed */
    vpsh_json *run_js;      /* the run's document: one envelope per command */
    bool run_several;       /* run_js is an array */
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

/* vpsh_cmd.flags */
#define VPSH_CMD_MUTATES (1u << 0)  /* changes state: refused by -r, noticed on the default host */
#define VPSH_CMD_NO_BLANK (1u << 1) /* no blank line after it when it succeeds (desc) */

struct vpsh_cmd {
    const char *name;
    const char *synopsis; /* positional arguments, as in the usage line */
    const char *summary;  /* one line for "vpsh help" */
    const vpsh_opt *opts; /* NULL-name terminated, at most VPSH_MAX_OPTS; or NULL */
    unsigned int min_args;
    unsigned int max_args;
    int (*run)(vpsh_ctx *ctx, const vpsh_args *args); /* returns an exit status */
    /* virsh's option names of the positionals, space-separated ("domain
     * snapshotname"): each may also be given as --NAME VALUE. */
    const char *argnames;
    unsigned int flags; /* VPSH_CMD_* */
};

/* The verbs of each file, NULL-name terminated. */
extern const vpsh_cmd vpsh_domain_cmds[];
/* A domain verb's one-line result: @text ("Domain 'x' started"),
 * or {"domain": @name, "result": @result} with --json (cmd-domain.c). */
void vpsh_print_done(vpsh_ctx *ctx, const char *name, const char *result, const char *text);
/* cmd-domain.c: the verbs that take a domain and print one line (undefine,
 * start, shutdown, destroy, suspend, resume), by ctx->cmd's name. */
int vpsh_cmd_simple(vpsh_ctx *ctx, const vpsh_args *a);
/* cmd-lifecycle.c: verbs of vpsh_domain_cmds (reboot, reset, autostart,
 * start with --autostart-all). */
extern const vpsh_opt vpsh_reboot_opts[];
extern const vpsh_opt vpsh_start_opts[];
extern const vpsh_opt vpsh_autostart_opts[];
int vpsh_cmd_reboot(vpsh_ctx *ctx, const vpsh_args *a);
int vpsh_cmd_reset(vpsh_ctx *ctx, const vpsh_args *a);
int vpsh_cmd_start(vpsh_ctx *ctx, const vpsh_args *a);
int vpsh_cmd_autostart(vpsh_ctx *ctx, const vpsh_args *a);
/* cmd-devices.c: verbs of vpsh_domain_cmds (domblklist, domiflist). */
extern const vpsh_opt vpsh_domblklist_opts[];
extern const vpsh_opt vpsh_domiflist_opts[];
int vpsh_cmd_domblklist(vpsh_ctx *ctx, const vpsh_args *a);
int vpsh_cmd_domiflist(vpsh_ctx *ctx, const vpsh_args *a);
/* update-device DOMAIN FILE, in the same file. */
extern const vpsh_opt vpsh_update_device_opts[];
int vpsh_cmd_update_device(vpsh_ctx *ctx, const vpsh_args *a);
/* cmd-snapshot.c: @s to @out with XML's special characters escaped, for
 * text and attributes. */
void vpsh_xml_escaped(FILE *out, const char *s);
/* cmd-media.c: change-media, domif-setlink, domif-getlink. */
extern const vpsh_opt vpsh_change_media_opts[];
extern const vpsh_opt vpsh_domif_setlink_opts[];
extern const vpsh_opt vpsh_domif_getlink_opts[];
int vpsh_cmd_change_media(vpsh_ctx *ctx, const vpsh_args *a);
int vpsh_cmd_domif_setlink(vpsh_ctx *ctx, const vpsh_args *a);
int vpsh_cmd_domif_getlink(vpsh_ctx *ctx, const vpsh_args *a);
/* cmd-domain.c: the XML file @path a user names (never a FIFO or a
 * device); prints the error. */
int vpsh_read_file(const char *path, char **ret_data);
/* cmd-agent.c: verbs of vpsh_domain_cmds (qemu-agent-command, domifaddr). */
extern const vpsh_opt vpsh_agent_command_opts[];
extern const vpsh_opt vpsh_domifaddr_opts[];
int vpsh_cmd_qemu_agent_command(vpsh_ctx *ctx, const vpsh_args *a);
int vpsh_cmd_domifaddr(vpsh_ctx *ctx, const vpsh_args *a);
/* xml-devices.c: the <devices> children named @element of @xml (a
 * domain's XML as the library gives it), each with its attributes ("@type")
 * and those of its direct children ("source/@file"; the first child of a
 * name), and each direct child's name ("source", value ""). The same for
 * another element (undefine reads "os"). Returns their count, NULL-terminated in *@ret_devs (free
 * with vpsh_xml_devices_free()), or -1 for XML it cannot read. */
typedef struct vpsh_xml_dev vpsh_xml_dev;
int vpsh_xml_devices(const char *xml, const char *element, vpsh_xml_dev ***ret_devs);
/* The value at @key, or NULL. (transfer none) */
const char *vpsh_xml_dev_get(const vpsh_xml_dev *d, const char *key);
void vpsh_xml_devices_free(vpsh_xml_dev **devs);
/* cmd-save.c: save, restore, managedsave, managedsave-remove and
 * undefine's --managed-save, declared in vpsh_domain_cmds. */
extern const vpsh_opt vpsh_save_opts[];
/* --running and --paused: VP_DOMAIN_SAVE_RUNNING or _PAUSED in
 * *@ret_flags, 0 for neither; both is a usage error. */
int vpsh_save_state_flags(vpsh_ctx *ctx, const vpsh_args *a, unsigned int *ret_flags);
extern const vpsh_opt vpsh_restore_opts[];
extern const vpsh_opt vpsh_managedsave_opts[];
/* cmd-save-image.c */
extern const vpsh_opt vpsh_save_image_dumpxml_opts[];
extern const vpsh_opt vpsh_save_image_define_opts[];
int vpsh_cmd_save_image_dumpxml(vpsh_ctx *ctx, const vpsh_args *a);
int vpsh_cmd_save_image_define(vpsh_ctx *ctx, const vpsh_args *a);
int vpsh_cmd_managedsave_dumpxml(vpsh_ctx *ctx, const vpsh_args *a);
int vpsh_cmd_managedsave_define(vpsh_ctx *ctx, const vpsh_args *a);
int vpsh_cmd_save_image_edit(vpsh_ctx *ctx, const vpsh_args *a);
int vpsh_cmd_managedsave_edit(vpsh_ctx *ctx, const vpsh_args *a);
int vpsh_cmd_save(vpsh_ctx *ctx, const vpsh_args *a);
int vpsh_cmd_restore(vpsh_ctx *ctx, const vpsh_args *a);
int vpsh_cmd_managedsave(vpsh_ctx *ctx, const vpsh_args *a);
int vpsh_cmd_managedsave_remove(vpsh_ctx *ctx, const vpsh_args *a);
/* cmd-guest-fs.c: domfsfreeze, domfsthaw, dompmsuspend, dompmwakeup,
 * declared in vpsh_domain_cmds. */
extern const vpsh_opt vpsh_domfsfreeze_opts[];
extern const vpsh_opt vpsh_dompmsuspend_opts[];
int vpsh_cmd_domfsfreeze(vpsh_ctx *ctx, const vpsh_args *a);
int vpsh_cmd_domfsthaw(vpsh_ctx *ctx, const vpsh_args *a);
int vpsh_cmd_dompmsuspend(vpsh_ctx *ctx, const vpsh_args *a);
int vpsh_cmd_dompmwakeup(vpsh_ctx *ctx, const vpsh_args *a);
/* cmd-edit.c: the "edit" verb of vpsh_domain_cmds. */
int vpsh_cmd_edit(vpsh_ctx *ctx, const vpsh_args *a);
/* xml-print.c: print @xml as the dumpxml verbs do: whole, or only the
 * nodes --xpath selects (inside one <nodes> with --wrap); under --json
 * {KEY: VALUE, "xml"} or {KEY: VALUE, "xpath", "nodes": [...]}. */
int vpsh_print_xml(vpsh_ctx *ctx, const vpsh_args *a, const char *key, const char *value,
                   const char *xml);
/* Define an edited XML: >= 0, or < 0 with the library's error set. */
typedef int (*vpsh_edit_define)(void *opaque, const char *xml);
/* Edit @xml in $VISUAL, else $EDITOR, else vi, through a temporary file,
 * until @define accepts the edit (*@ret_changed true) or the file is left
 * unchanged (false, nothing defined). A refused edit is offered again on a
 * terminal, else kept and its path named in the error (VPSH_EXIT_FAIL). */
int vpsh_edit_xml(const char *xml, vpsh_edit_define define, void *opaque, bool *ret_changed);
extern const vpsh_cmd vpsh_snapshot_cmds[];
extern const vpsh_cmd vpsh_node_cmds[];
extern const vpsh_cmd vpsh_plugin_cmds[];
extern const vpsh_cmd vpsh_misc_cmds[];
/* cmd-stats.c: domstats, dommemstat, domblkstat, domifstat, nodememstats,
 * nodecpustats, sysinfo. */
extern const vpsh_cmd vpsh_stats_cmds[];
/* The statistics of the domain @name: @groups and its state, for the
 * per-device verbs; prints the error. */
int vpsh_domain_stats(vpsh_ctx *ctx, const char *name, unsigned int groups, vp_domain **ret_dom,
                      vp_typed_params **ret_params);
/* cmd-devinfo.c: domblkinfo, domblkerror and vcpuinfo, listed in
 * vpsh_stats_cmds. */
extern const vpsh_opt vpsh_domblkinfo_opts[];
extern const vpsh_opt vpsh_vcpuinfo_opts[];
int vpsh_cmd_domblkinfo(vpsh_ctx *ctx, const vpsh_args *a);
int vpsh_cmd_domblkerror(vpsh_ctx *ctx, const vpsh_args *a);
int vpsh_cmd_vcpuinfo(vpsh_ctx *ctx, const vpsh_args *a);

/* cmd-snapshot.c: the snapshot a verb names, SNAPSHOTNAME or --current. */
int vpsh_snapshot_named_or_current(vpsh_ctx *ctx, const vpsh_args *a, vp_domain **ret_dom,
                                   vp_snapshot **ret_snap);
/* cmd-snapshot-change.c: verbs declared in cmd-snapshot.c's table. */
extern const vpsh_opt vpsh_snapshot_revert_opts[];
extern const vpsh_opt vpsh_snapshot_create_opts[];
int vpsh_cmd_snapshot_revert(vpsh_ctx *ctx, const vpsh_args *args);
int vpsh_cmd_snapshot_create(vpsh_ctx *ctx, const vpsh_args *args);
/* snapshot-current DOMAIN SNAPSHOTNAME: make it current. */
int vpsh_snapshot_set_current(vpsh_ctx *ctx, vp_domain *dom, const char *name);
extern const vpsh_opt vpsh_snapshot_delete_opts[];
int vpsh_cmd_snapshot_delete(vpsh_ctx *ctx, const vpsh_args *args);
/* Delete what lies below @snap, or every snapshot of @dom (@snap NULL),
 * leaves first; prints the error. */
int vpsh_snapshot_delete_below(vp_domain *dom, vp_snapshot *snap, unsigned int flags);

/* cmd-list.c: the list verb, declared in cmd-domain.c's table. */
extern const vpsh_opt vpsh_list_opts[];
int vpsh_cmd_list(vpsh_ctx *ctx, const vpsh_args *args);

/* cmd-event.c: the event verb, declared in cmd-domain.c's table. */
extern const vpsh_opt vpsh_event_opts[];
int vpsh_cmd_event(vpsh_ctx *ctx, const vpsh_args *args);

/* cmd-console.c: console and domdisplay, declared in cmd-domain.c's table. */
extern const vpsh_opt vpsh_console_opts[];
extern const vpsh_opt vpsh_domdisplay_opts[];
int vpsh_cmd_console(vpsh_ctx *ctx, const vpsh_args *args);
int vpsh_cmd_domdisplay(vpsh_ctx *ctx, const vpsh_args *args);

/* cmd-resources.c: setmem, setmaxmem, setvcpus and desc, declared in cmd-domain.c's table. */
extern const vpsh_opt vpsh_setmem_opts[];
extern const vpsh_opt vpsh_setvcpus_opts[];
int vpsh_cmd_setmem(vpsh_ctx *ctx, const vpsh_args *args);
int vpsh_cmd_setmaxmem(vpsh_ctx *ctx, const vpsh_args *args);
int vpsh_cmd_setvcpus(vpsh_ctx *ctx, const vpsh_args *args);
/* desc: read or set the description or title, in the same file. */
extern const vpsh_opt vpsh_desc_opts[];
int vpsh_cmd_desc(vpsh_ctx *ctx, const vpsh_args *args);

/* vpsh.c: lookup, help and the shared error helpers. */
const vpsh_cmd *vpsh_cmd_find(const char *name);
void vpsh_print_help(FILE *out);
void vpsh_print_cmd_help(FILE *out, const vpsh_cmd *cmd);
/* help.c: "help KEYWORD" and "help --json". */
void vpsh_cmd_help_json(vpsh_json *js, const vpsh_cmd *cmd);
/* The verbs "help", and "quit" (or "exit"), listed in cmd-misc.c. */
int vpsh_cmd_help(vpsh_ctx *ctx, const vpsh_args *args);
int vpsh_cmd_quit(vpsh_ctx *ctx, const vpsh_args *args);
extern const vpsh_cmd *const vpsh_cmd_tables[];
/* The group of the verbs of vpsh_cmd_tables[@i]: its title and help keyword. */
const char *vpsh_group_title(size_t i);
const char *vpsh_group_keyword(size_t i);
/* The one-line refusal of a verb of a family vpsh has no driver for
 * (net-*, pool-*, vol-*), or NULL. */
const char *vpsh_nodriver(const char *verb);
/* "error: <the library's last error>"; returns VPSH_EXIT_FAIL. */
int vpsh_fail(void);
/* virsh's two error lines: "error: @what", then "error: <the library's
 * last error>" (--json's error message: "@what: <the error>"); returns
 * VPSH_EXIT_FAIL. */
int vpsh_fail_what(const char *what);
/* The message and code of the last error vpsh printed, for --json; NULL
 * when none since vpsh_error_reset(). */
const char *vpsh_last_error(const char **ret_code);
void vpsh_error_reset(void);
/* Text meant for people that -q drops (confirmations), as virsh's
 * vshPrintExtra. */
void vpsh_extra(const vpsh_ctx *ctx, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* "warning: <message>: <the library's last error>"; the verb goes on. */
void vpsh_warn(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* "error: <message>"; returns VPSH_EXIT_FAIL. */
int vpsh_failf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* vpsh_failf() for a failure the library reported with @code (VP_ERR_*),
 * in vpsh's words. */
int vpsh_failc(int code, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* "error: <message>" for a usage error; returns VPSH_EXIT_USAGE. */
int vpsh_usage(const vpsh_cmd *cmd, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* The URI vpsh connects to: -c, $VIRTPLUG_DEFAULT_URI,
 * $VIRSH_DEFAULT_CONNECT_URI, $LIBVIRT_DEFAULT_URI, else test:///default;
 * sets ctx->uri and ctx->uri_source. */
const char *vpsh_uri(vpsh_ctx *ctx);
/* The connection, opened on first use; on failure prints the error. */
int vpsh_conn(vpsh_ctx *ctx, vp_conn **ret_conn);
/* vpsh_conn() and a lookup as virsh's (ID, then UUID, then name); on
 * failure prints "error: failed to get domain 'x'". */
int vpsh_domain(vpsh_ctx *ctx, const char *name, vp_domain **ret_dom);
/* The same with only the ways of @by (VPSH_BY_*), as virsh's domid
 * (name or UUID), domname (ID or UUID) and domuuid (ID or name). */
#define VPSH_BY_ID (1u << 0)
#define VPSH_BY_UUID (1u << 1)
#define VPSH_BY_NAME (1u << 2)
int vpsh_domain_by(vpsh_ctx *ctx, const char *name, unsigned int by, vp_domain **ret_dom);
/* The domain's UUID into @buf (37 bytes); 0 or -1 (the error is set). */
int vpsh_domain_uuid(vp_domain *dom, char *buf);

/* run.c: running commands, one by one or as chains. */
/* Run one command line (virsh's syntax: words, quotes, ';' and newlines
 * separate commands); returns the last command's status. */
int vpsh_run_string(vpsh_ctx *ctx, const char *line);
/* Run argv[0..argc-1] as commands separated by ";" arguments. */
int vpsh_run_argv(vpsh_ctx *ctx, int argc, char **argv);
/* Run one line of the shell inside a run begun by vpsh_run_begin(); the
 * last command's status, or -1 when the line holds no command. */
int vpsh_run_line(vpsh_ctx *ctx, const char *line);
/* With --json: start and end the document of a run (an array when
 * @several). Commands print their envelope between the two. */
void vpsh_run_begin(vpsh_ctx *ctx, bool several);
void vpsh_run_end(vpsh_ctx *ctx);
/* Split @line into words as virsh does; a NULL entry ends each command.
 * Sets *ret_n to the number of entries. Returns -1 (and prints the error)
 * on an unterminated quote. Free with vpsh_words_free(). */
int vpsh_split(const char *line, char ***ret_words, size_t *ret_n);
void vpsh_words_free(char **words, size_t n);

/* shell.c: the interactive shell and commands read from stdin. */
int vpsh_shell(vpsh_ctx *ctx);

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
/* With @header false (-q) the header and rule are left out and the
 * columns are as wide as their cells only. */
void vpsh_table_print(const vpsh_table *t, FILE *out, bool header);
void vpsh_table_free(vpsh_table *t);
VP_DEFINE_CLEANUP(vpsh_table, vpsh_table_free)
VP_DEFINE_CLEANUP(vp_domain, vp_domain_free)
VP_DEFINE_CLEANUP(vp_snapshot, vp_snapshot_free)
VP_DEFINE_CLEANUP(vp_typed_params, vp_typed_params_free)

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
