/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Copyright (C) 2026 The virtplug developers */
/*
 * cmd-domain.c: the vpsh domain verbs (list, dominfo, domstate, define,
 * undefine, start, shutdown, destroy, suspend, resume, dumpxml).
 *
 * Owns how domains are shown: virsh's table and "key: value" layouts in
 * text mode and one object per verb with --json. Running domains are
 * numbered 1..n in name order (the API has no ids), shut-off ones show
 * '-'. A driver that cannot report states (its get-state slot answers
 * VP_ERR_NOT_SUPPORTED) can still be listed: the state shows as '-' (null
 * with --json) and whether a domain runs comes from the driver's own list
 * of running domains. A domain whose state read fails otherwise is shown
 * the same way after one "warning:" line on stderr; only a failure of the
 * listing itself fails "list". It only calls the public API (and the SDK's
 * XML parser for dominfo and file reader for define); it never interprets
 * a driver's state itself.
 */
#include <config.h>

#include <virtplug/sdk/conf.h>
#include <virtplug/sdk/services.h>

#include "vpsh.h"

#define DEFINE_MAX_BYTES (16u << 20)

static bool
state_is_active(int state)
{
    return state != VP_DOMAIN_SHUTOFF && state != VP_DOMAIN_NOSTATE;
}

/* The state "list" shows for a domain whose driver cannot report one. */
#define LIST_STATE_UNKNOWN (-1)

/* One domain of "list": a table row, or an object with --json. */
static void
list_row(vpsh_ctx *ctx, vpsh_table *t, int id, const char *name, int state)
{
    const char *state_name = state == LIST_STATE_UNKNOWN ? NULL : vp_domain_state_name(state);
    if (ctx->json) {
        vpsh_json_begin_object(ctx->js, NULL);
        if (id > 0)
            vpsh_json_int(ctx->js, "id", id);
        else
            vpsh_json_null(ctx->js, "id");
        vpsh_json_string(ctx->js, "name", name);
        if (state_name)
            vpsh_json_string(ctx->js, "state", state_name);
        else
            vpsh_json_null(ctx->js, "state");
        vpsh_json_end_object(ctx->js);
        return;
    }
    _cleanup_free_ char *id_text = id > 0 ? vp_asprintf("%d", id) : vp_strdup("-");
    const char *row[] = {id_text, name, state_name ? state_name : "-"};
    vpsh_table_add(t, row);
}

/* The running domains of a "list --all" whose driver cannot report states,
 * fetched on the first such domain. */
typedef struct list_running {
    bool fetched;
    vp_domain **doms;
} list_running;

/* Whether the listed domain @name runs, for a driver that cannot report
 * its state: a list of one kind says it, "--all" asks the driver's own
 * list of running domains. Returns a VPSH_EXIT_* status. */
static int
list_is_running(vp_conn *conn, unsigned int flags, list_running *running, const char *name,
                bool *ret_running)
{
    if (flags != 0) {
        *ret_running = flags == VP_LIST_DOMAINS_ACTIVE;
        return VPSH_EXIT_OK;
    }
    if (!running->fetched) {
        if (vp_conn_list_domains(conn, VP_LIST_DOMAINS_ACTIVE, &running->doms) < 0)
            return vpsh_fail();
        running->fetched = true;
    }
    bool found = false;
    for (vp_domain **d = running->doms; *d && !found; d++)
        found = strcmp(vp_domain_get_name(*d), name) == 0;
    *ret_running = found;
    return VPSH_EXIT_OK;
}

/* Adds the listed domain @dom as the next row; returns a VPSH_EXIT_* status. */
static int
list_add(vpsh_ctx *ctx, vpsh_table *t, unsigned int flags, list_running *running, vp_domain *dom,
         int *next_id)
{
    const char *name = vp_domain_get_name(dom);
    int state;
    bool is_running = false;
    int r = vp_domain_get_state(dom, &state, NULL, 0);
    if (r == VP_ERR_NO_DOMAIN)
        return VPSH_EXIT_OK; /* undefined by another process since the list was made */
    if (r < 0) {
        /* One domain whose state cannot be read (a corrupt runtime record)
         * must not hide the others: it is listed with state '-'. */
        if (r != VP_ERR_NOT_SUPPORTED)
            vpsh_warn("cannot read the state of domain '%s'", name);
        state = LIST_STATE_UNKNOWN;
        int status = list_is_running(vp_domain_get_conn(dom), flags, running, name, &is_running);
        if (status != VPSH_EXIT_OK)
            return status;
    } else {
        is_running = state_is_active(state);
    }
    list_row(ctx, t, is_running ? ++*next_id : -1, name, state);
    return VPSH_EXIT_OK;
}

static int
cmd_list(vpsh_ctx *ctx, const vpsh_args *a)
{
    unsigned int flags = VP_LIST_DOMAINS_ACTIVE;
    if (vpsh_flag(a, "all"))
        flags = 0;
    else if (vpsh_flag(a, "inactive"))
        flags = VP_LIST_DOMAINS_INACTIVE;
    vp_conn *conn;
    if (vpsh_conn(ctx, &conn) != 0)
        return VPSH_EXIT_FAIL;
    vp_domain **doms = NULL;
    int n = vp_conn_list_domains(conn, flags, &doms);
    if (n < 0)
        return vpsh_fail();
    static const char *const headers[] = {"Id", "Name", "State"};
    _cleanup_(vpsh_table_freep) vpsh_table *t = vpsh_table_new(3, headers);
    int status = VPSH_EXIT_OK, next_id = 0;
    if (ctx->json) {
        vpsh_json_begin_object(ctx->js, NULL);
        vpsh_json_begin_array(ctx->js, "domains");
    }
    list_running running = {0};
    for (int i = 0; i < n && status == VPSH_EXIT_OK; i++)
        status = list_add(ctx, t, flags, &running, doms[i], &next_id);
    vp_domain_list_free(running.doms);
    vp_domain_list_free(doms);
    if (status == VPSH_EXIT_OK && ctx->json) {
        vpsh_json_end_array(ctx->js);
        vpsh_json_end_object(ctx->js);
    } else if (status == VPSH_EXIT_OK) {
        vpsh_table_print(t, stdout);
        putchar('\n');
    }
    return status;
}

/* The id vpsh shows for a running domain: its place among running ones. */
static int
domain_id(vp_conn *conn, const char *name, int *ret_id)
{
    vp_domain **doms = NULL;
    int n = vp_conn_list_domains(conn, VP_LIST_DOMAINS_ACTIVE, &doms);
    if (n < 0)
        return vpsh_fail();
    int id = -1;
    for (int i = 0; i < n; i++)
        if (strcmp(vp_domain_get_name(doms[i]), name) == 0)
            id = i + 1;
    vp_domain_list_free(doms);
    *ret_id = id;
    return 0;
}

static void
dominfo_print(vpsh_ctx *ctx, int id, int state, const vp_domain_def *def)
{
    char uuid[37];
    vp_plugin_uuid_format(def->uuid, uuid);
    if (ctx->json) {
        vpsh_json_begin_object(ctx->js, NULL);
        if (id > 0)
            vpsh_json_int(ctx->js, "id", id);
        else
            vpsh_json_null(ctx->js, "id");
        vpsh_json_string(ctx->js, "name", def->name);
        vpsh_json_string(ctx->js, "uuid", uuid);
        vpsh_json_string(ctx->js, "os_type", def->os_type);
        vpsh_json_string(ctx->js, "state", vp_domain_state_name(state));
        vpsh_json_uint(ctx->js, "cpus", def->vcpus);
        vpsh_json_uint(ctx->js, "max_memory_kib", def->memory_kib);
        vpsh_json_uint(ctx->js, "used_memory_kib", def->current_memory_kib);
        vpsh_json_bool(ctx->js, "persistent", true);
        vpsh_json_end_object(ctx->js);
        return;
    }
    if (id > 0)
        vpsh_kv("Id", "%d", id);
    else
        vpsh_kv("Id", "-");
    vpsh_kv("Name", "%s", def->name);
    vpsh_kv("UUID", "%s", uuid);
    vpsh_kv("OS Type", "%s", def->os_type ? def->os_type : "-");
    vpsh_kv("State", "%s", vp_domain_state_name(state));
    vpsh_kv("CPU(s)", "%u", def->vcpus);
    vpsh_kv("Max memory", "%llu KiB", (unsigned long long)def->memory_kib);
    vpsh_kv("Used memory", "%llu KiB", (unsigned long long)def->current_memory_kib);
    vpsh_kv("Persistent", "yes");
    putchar('\n');
}

static int
cmd_dominfo(vpsh_ctx *ctx, const vpsh_args *a)
{
    _cleanup_(vp_domain_freep) vp_domain *dom = NULL;
    if (vpsh_domain(ctx, a->pos[0], &dom) != 0)
        return VPSH_EXIT_FAIL;
    int state, id = -1;
    _cleanup_free_ char *xml = NULL;
    vp_domain_def *def = NULL;
    if (vp_domain_get_state(dom, &state, NULL, 0) < 0 || vp_domain_get_xml(dom, 0, &xml) < 0 ||
        vp_plugin_domain_def_parse(xml, 0, &def) < 0)
        return vpsh_fail();
    int status = domain_id(ctx->conn, vp_domain_get_name(dom), &id);
    if (status == VPSH_EXIT_OK)
        dominfo_print(ctx, state_is_active(state) ? id : -1, state, def);
    vp_plugin_domain_def_free(def);
    return status;
}

static int
cmd_domstate(vpsh_ctx *ctx, const vpsh_args *a)
{
    _cleanup_(vp_domain_freep) vp_domain *dom = NULL;
    if (vpsh_domain(ctx, a->pos[0], &dom) != 0)
        return VPSH_EXIT_FAIL;
    int state, reason;
    if (vp_domain_get_state(dom, &state, &reason, 0) < 0)
        return vpsh_fail();
    const char *state_name = vp_domain_state_name(state);
    const char *reason_name = vp_domain_state_reason_name(state, reason);
    if (ctx->json) {
        vpsh_json_begin_object(ctx->js, NULL);
        vpsh_json_string(ctx->js, "state", state_name);
        vpsh_json_string(ctx->js, "reason", reason_name);
        vpsh_json_end_object(ctx->js);
    } else if (vpsh_flag(a, "reason")) {
        printf("%s (%s)\n\n", state_name, reason_name ? reason_name : "unknown");
    } else {
        printf("%s\n\n", state_name);
    }
    return VPSH_EXIT_OK;
}

/* The library's reader of files a user names: it refuses a FIFO or a
 * device by name before opening it for reading, so "define" never blocks
 * on one. */
static int
read_file(const char *path, char **ret_data)
{
    if (vp_plugin_file_read_regular(path, DEFINE_MAX_BYTES, ret_data, NULL) < 0)
        return vpsh_fail();
    return 0;
}

/* Every verb's one-line result: "Domain 'x' started", or {"domain", "result"}. */
static void
print_done(vpsh_ctx *ctx, const char *name, const char *result, const char *text)
{
    if (ctx->json) {
        vpsh_json_begin_object(ctx->js, NULL);
        vpsh_json_string(ctx->js, "domain", name);
        vpsh_json_string(ctx->js, "result", result);
        vpsh_json_end_object(ctx->js);
    } else {
        printf("%s\n\n", text);
    }
}

static int
cmd_define(vpsh_ctx *ctx, const vpsh_args *a)
{
    _cleanup_free_ char *xml = NULL;
    if (read_file(a->pos[0], &xml) != 0)
        return VPSH_EXIT_FAIL;
    vp_conn *conn;
    if (vpsh_conn(ctx, &conn) != 0)
        return VPSH_EXIT_FAIL;
    _cleanup_(vp_domain_freep) vp_domain *dom = NULL;
    if (vp_domain_define_xml(conn, xml, 0, &dom) < 0)
        return vpsh_fail();
    const char *name = vp_domain_get_name(dom);
    _cleanup_free_ char *text = vp_asprintf("Domain '%s' defined from %s", name, a->pos[0]);
    print_done(ctx, name, "defined", text);
    return VPSH_EXIT_OK;
}

/* The verbs that take a domain and report one line. */
static const struct simple_verb {
    const char *verb;
    int (*call)(vp_domain *dom, unsigned int flags);
    const char *result;
    const char *text; /* as virsh says it, after "Domain 'x' " */
} simple_verbs[] = {
    {"undefine", vp_domain_undefine, "undefined", "has been undefined"},
    {"start", vp_domain_start, "started", "started"},
    {"shutdown", vp_domain_shutdown, "shutting down", "is being shutdown"},
    {"destroy", vp_domain_destroy, "destroyed", "destroyed"},
    {"suspend", vp_domain_suspend, "suspended", "suspended"},
    {"resume", vp_domain_resume, "resumed", "resumed"},
    {NULL, NULL, NULL, NULL},
};

static int
cmd_simple(vpsh_ctx *ctx, const vpsh_args *a)
{
    const struct simple_verb *v = simple_verbs;
    while (strcmp(v->verb, ctx->cmd->name) != 0)
        v++;
    _cleanup_(vp_domain_freep) vp_domain *dom = NULL;
    if (vpsh_domain(ctx, a->pos[0], &dom) != 0)
        return VPSH_EXIT_FAIL;
    if (v->call(dom, 0) < 0)
        return vpsh_fail();
    _cleanup_free_ char *text = vp_asprintf("Domain '%s' %s", vp_domain_get_name(dom), v->text);
    print_done(ctx, vp_domain_get_name(dom), v->result, text);
    return VPSH_EXIT_OK;
}

static int
cmd_dumpxml(vpsh_ctx *ctx, const vpsh_args *a)
{
    _cleanup_(vp_domain_freep) vp_domain *dom = NULL;
    if (vpsh_domain(ctx, a->pos[0], &dom) != 0)
        return VPSH_EXIT_FAIL;
    _cleanup_free_ char *xml = NULL;
    if (vp_domain_get_xml(dom, 0, &xml) < 0)
        return vpsh_fail();
    if (ctx->json) {
        vpsh_json_begin_object(ctx->js, NULL);
        vpsh_json_string(ctx->js, "domain", vp_domain_get_name(dom));
        vpsh_json_string(ctx->js, "xml", xml);
        vpsh_json_end_object(ctx->js);
    } else {
        size_t len = strlen(xml);
        fputs(xml, stdout);
        if (len == 0 || xml[len - 1] != '\n')
            putchar('\n');
    }
    return VPSH_EXIT_OK;
}

static void
print_flat(void *userdata, const char *path, const char *value)
{
    printf("%-24s: %s\n", path, value);
}

static void
count_flat(void *userdata, const char *path, const char *value)
{
    (*(size_t *)userdata)++;
}

/* What the guest agent reports, as virsh's guestinfo prints it: one
 * "key : value" line per item of the driver's JSON document. */
static int
cmd_guestinfo(vpsh_ctx *ctx, const vpsh_args *a)
{
    _cleanup_(vp_domain_freep) vp_domain *dom = NULL;
    if (vpsh_domain(ctx, a->pos[0], &dom) != 0)
        return VPSH_EXIT_FAIL;
    _cleanup_free_ char *info = NULL;
    if (vp_domain_get_guest_info(dom, 0, &info) < 0)
        return vpsh_fail();
    size_t n = 0;
    if (vpsh_json_flatten(info, count_flat, &n) < 0)
        return vpsh_failf("the driver returned guest information that is not valid JSON");
    if (ctx->json) {
        vpsh_json_begin_object(ctx->js, NULL);
        vpsh_json_string(ctx->js, "domain", vp_domain_get_name(dom));
        vpsh_json_raw(ctx->js, "guestinfo", info);
        vpsh_json_end_object(ctx->js);
    } else {
        vpsh_json_flatten(info, print_flat, NULL);
    }
    return VPSH_EXIT_OK;
}

static const vpsh_opt list_opts[] = {
    {"all", NULL, false, "list every domain, running or not"},
    {"inactive", NULL, false, "list only domains that are shut off"},
    {NULL, NULL, false, NULL},
};

static const vpsh_opt domstate_opts[] = {
    {"reason", NULL, false, "also print why the domain is in its state"},
    {NULL, NULL, false, NULL},
};

#define DOMAIN_VERB(verb, summary)                                                                 \
    {                                                                                              \
        verb, "DOMAIN", summary, NULL, 1, 1, cmd_simple                                            \
    }

const vpsh_cmd vpsh_domain_cmds[] = {
    {"list", "", "list running domains (or --all, or --inactive)", list_opts, 0, 0, cmd_list},
    {"dominfo", "DOMAIN", "show a domain's basic information", NULL, 1, 1, cmd_dominfo},
    {"domstate", "DOMAIN", "show a domain's state", domstate_opts, 1, 1, cmd_domstate},
    {"define", "FILE", "define a domain from an XML file", NULL, 1, 1, cmd_define},
    DOMAIN_VERB("undefine", "remove an inactive domain's definition"),
    DOMAIN_VERB("start", "start a defined, inactive domain"),
    DOMAIN_VERB("shutdown", "ask a domain's guest to power off"),
    DOMAIN_VERB("destroy", "stop a domain at once"),
    DOMAIN_VERB("suspend", "pause a running domain"),
    DOMAIN_VERB("resume", "continue a paused domain"),
    {"dumpxml", "DOMAIN", "print a domain's XML", NULL, 1, 1, cmd_dumpxml},
    {"guestinfo", "DOMAIN", "show what the guest agent reports (version, OS, file systems)", NULL,
     1, 1, cmd_guestinfo},
    {NULL, NULL, NULL, NULL, 0, 0, NULL},
};
