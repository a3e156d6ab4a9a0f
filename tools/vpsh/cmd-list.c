/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Copyright (C) 2026 The virtplug developers */
/*
 * cmd-list.c: the vpsh "list" verb, with virsh's selections (--all,
 * --inactive, --state-*, --persistent, --transient, --autostart,
 * --no-autostart, --with-snapshot, --without-snapshot, --with-managed-save,
 * --without-managed-save) and layouts (the table, --name, --uuid, --id; --managed-save
 * shows a shut-off domain that has a managed-save image as 'saved').
 *
 * Owns which domains are listed and how: in virsh's order (running ones by
 * Id, then the others by name, ignoring case), with the Ids the driver
 * gives (a driver without Ids numbers nothing: '-'). A driver that cannot report states
 * (its get-state slot answers VP_ERR_NOT_SUPPORTED) can still be listed:
 * the state shows as '-' (null with --json) and whether a domain runs
 * comes from the driver's own list of running domains. A domain whose
 * state read fails otherwise is shown the same way after one "warning:"
 * line on stderr; only a failure of the listing itself fails "list".
 * --persistent and --transient select by vp_domain_is_persistent() (both
 * or neither: every domain, as virsh). It only calls the public API.
 */
#include <config.h>

#include <strings.h>

#include "vpsh.h"

/* The state "list" shows for a domain whose driver cannot report one. */
#define LIST_STATE_UNKNOWN (-1)

typedef struct list_row {
    vp_domain *dom; /* borrowed from the listing */
    int state;      /* or LIST_STATE_UNKNOWN */
    bool running;
    int id; /* the driver's Id while running, or -1 */
} list_row;

/* The running domains of a driver that cannot report states, fetched on
 * the first such domain. */
typedef struct list_running {
    bool fetched;
    vp_domain **doms;
} list_running;

static int
running_by_list(vp_conn *conn, unsigned int flags, list_running *running, const char *name,
                bool *ret_running)
{
    if (flags != 0) {
        *ret_running = flags == VP_LIST_DOMAINS_ACTIVE; /* a list of one kind says it */
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

/* The row of @dom, whose state (or error) is @state and Id @id (read for
 * every domain at once); *ret_gone when it was undefined since the
 * listing. */
static int
row_read(unsigned int flags, list_running *running, vp_domain *dom, int state, int id,
         list_row *ret_row, bool *ret_gone)
{
    const char *name = vp_domain_get_name(dom);
    list_row row = {.dom = dom, .id = -1, .state = state};
    int r = state < 0 ? state : 0;
    if (r < 0 && r != VP_ERR_NO_DOMAIN && r != VP_ERR_NOT_SUPPORTED)
        r = vp_domain_get_state(dom, &row.state, NULL, 0); /* again, for its message */
    *ret_gone = r == VP_ERR_NO_DOMAIN;
    if (*ret_gone)
        return VPSH_EXIT_OK;
    if (r < 0) {
        /* One domain whose state cannot be read (a corrupt runtime record)
         * must not hide the others: it is listed with state '-'. */
        if (r != VP_ERR_NOT_SUPPORTED)
            vpsh_warn("cannot read the state of domain '%s'", name);
        row.state = LIST_STATE_UNKNOWN;
        int status = running_by_list(vp_domain_get_conn(dom), flags, running, name, &row.running);
        if (status != VPSH_EXIT_OK)
            return status;
    } else {
        row.running = row.state != VP_DOMAIN_SHUTOFF && row.state != VP_DOMAIN_NOSTATE;
    }
    if (row.running && state < 0 && vp_domain_get_id(dom, &id) < 0)
        id = -1; /* read again above */
    if (row.running)
        row.id = id;
    *ret_row = row;
    return VPSH_EXIT_OK;
}

static bool
state_wanted(const vpsh_args *a, const list_row *row)
{
    bool running = vpsh_flag(a, "state-running"), paused = vpsh_flag(a, "state-paused");
    bool shutoff = vpsh_flag(a, "state-shutoff"), other = vpsh_flag(a, "state-other");
    if (!running && !paused && !shutoff && !other)
        return true;
    int s = row->state;
    if (s == LIST_STATE_UNKNOWN)
        return (running && row->running) || (shutoff && !row->running);
    return (running && s == VP_DOMAIN_RUNNING) || (paused && s == VP_DOMAIN_PAUSED) ||
           (shutoff && s == VP_DOMAIN_SHUTOFF) ||
           (other && s != VP_DOMAIN_RUNNING && s != VP_DOMAIN_PAUSED && s != VP_DOMAIN_SHUTOFF);
}

/* Whether the selections keep @row; snapshots are counted only if asked. */
static int
row_wanted(const vpsh_args *a, const list_row *row, bool *ret_wanted)
{
    bool all = vpsh_flag(a, "all"), inactive = vpsh_flag(a, "inactive");
    bool by_state = vpsh_flag(a, "state-running") || vpsh_flag(a, "state-paused") ||
                    vpsh_flag(a, "state-shutoff") || vpsh_flag(a, "state-other");
    bool wanted = all || by_state || (inactive ? !row->running : row->running);
    wanted = wanted && state_wanted(a, row);
    bool persistent = vpsh_flag(a, "persistent"), transient = vpsh_flag(a, "transient");
    if (wanted && persistent != transient) {
        int r = vp_domain_is_persistent(row->dom);
        if (r < 0)
            return vpsh_fail();
        wanted = persistent ? r == 1 : r == 0;
    }
    bool marked = vpsh_flag(a, "autostart"), unmarked = vpsh_flag(a, "no-autostart");
    if (wanted && marked != unmarked) {
        int autostart = 0;
        if (vp_domain_get_autostart(row->dom, &autostart) < 0)
            return vpsh_fail();
        wanted = marked ? autostart : !autostart;
    }
    bool with = vpsh_flag(a, "with-snapshot"), without = vpsh_flag(a, "without-snapshot");
    if (wanted && with != without) {
        vp_snapshot **snaps = NULL;
        int n = vp_snapshot_list(row->dom, 0, &snaps);
        vp_snapshot_list_free(snaps);
        if (n < 0)
            return vpsh_fail();
        wanted = with ? n > 0 : n == 0;
    }
    with = vpsh_flag(a, "with-managed-save"), without = vpsh_flag(a, "without-managed-save");
    if (wanted && with != without) {
        int has = vp_domain_has_managed_save(row->dom, 0);
        if (has < 0)
            return vpsh_fail();
        wanted = with ? has == 1 : has == 0;
    }
    *ret_wanted = wanted;
    return VPSH_EXIT_OK;
}

/* The state word of @row: virsh's "saved" with --managed-save for a
 * shut-off domain that has a managed-save image. */
static int
row_state(const vpsh_args *a, const list_row *row, const char **ret_state)
{
    *ret_state = row->state == LIST_STATE_UNKNOWN ? NULL : vp_domain_state_name(row->state);
    if (row->state != VP_DOMAIN_SHUTOFF || !vpsh_flag(a, "managed-save"))
        return VPSH_EXIT_OK;
    int has = vp_domain_has_managed_save(row->dom, 0);
    if (has < 0 && has != VP_ERR_NOT_SUPPORTED)
        return vpsh_fail();
    if (has == 1)
        *ret_state = "saved";
    return VPSH_EXIT_OK;
}

static int
row_print(vpsh_ctx *ctx, const vpsh_args *a, vpsh_table *t, const list_row *row)
{
    const char *name = vp_domain_get_name(row->dom);
    const char *state = NULL;
    if (row_state(a, row, &state) != VPSH_EXIT_OK)
        return VPSH_EXIT_FAIL;
    bool want_name = vpsh_flag(a, "name"), want_uuid = vpsh_flag(a, "uuid");
    bool want_id = vpsh_flag(a, "id");
    char uuid[37] = "";
    if (want_uuid && vpsh_domain_uuid(row->dom, uuid) < 0)
        return vpsh_fail();
    bool want_title = vpsh_flag(a, "title");
    _cleanup_free_ char *title = NULL;
    if (want_title && vp_domain_get_metadata(row->dom, VP_DOMAIN_METADATA_TITLE, 0, &title) < 0)
        return vpsh_fail();
    if (ctx->json) {
        vpsh_json_begin_object(ctx->js, NULL);
        if (row->id >= 0)
            vpsh_json_int(ctx->js, "id", row->id);
        else
            vpsh_json_null(ctx->js, "id");
        vpsh_json_string(ctx->js, "name", name);
        if (want_uuid)
            vpsh_json_string(ctx->js, "uuid", uuid);
        vpsh_json_string(ctx->js, "state", state);
        if (want_title)
            vpsh_json_string(ctx->js, "title", title);
        vpsh_json_end_object(ctx->js);
    } else if (want_id && !want_name && !want_uuid) {
        if (row->id >= 0) /* virsh leaves out the domains without an Id */
            printf("%d\n", row->id);
    } else if (want_name || want_uuid || want_id) {
        _cleanup_free_ char *id = row->id >= 0 ? vp_asprintf("%d", row->id) : vp_strdup("-");
        const char *parts[] = {want_uuid ? uuid : NULL, want_id ? id : NULL,
                               want_name ? name : NULL};
        const char *sep = "";
        for (size_t i = 0; i < 3; i++) {
            if (parts[i]) {
                printf("%s%s", sep, parts[i]);
                sep = " ";
            }
        }
        putchar('\n');
    } else {
        _cleanup_free_ char *id = row->id >= 0 ? vp_asprintf("%d", row->id) : vp_strdup("-");
        const char *cells[] = {id, name, state ? state : "-", title ? title : ""};
        vpsh_table_add(t, cells);
    }
    return VPSH_EXIT_OK;
}

static int
check_layout(const vpsh_args *a)
{
    if (vpsh_flag(a, "table") && vpsh_flag(a, "name"))
        return vpsh_failf("Options --table and --name are mutually exclusive");
    if (vpsh_flag(a, "table") && vpsh_flag(a, "uuid"))
        return vpsh_failf("Options --table and --uuid are mutually exclusive");
    if (vpsh_flag(a, "table") && vpsh_flag(a, "id"))
        return vpsh_failf("Options --table and --id are mutually exclusive");
    return VPSH_EXIT_OK;
}

/* virsh's order: running domains by Id, then the others by name. */
static int
row_cmp(const void *pa, const void *pb)
{
    const list_row *a = pa, *b = pb;
    if (a->id >= 0 && b->id >= 0)
        return a->id < b->id ? -1 : a->id > b->id;
    if (a->id >= 0 || b->id >= 0)
        return a->id >= 0 ? -1 : 1;
    return strcasecmp(vp_domain_get_name(a->dom), vp_domain_get_name(b->dom));
}

static int
list_rows(vpsh_ctx *ctx, const vpsh_args *a, unsigned int flags, vpsh_table *t, vp_domain **doms,
          int n)
{
    list_row *rows = vp_new0(list_row, (size_t)n + 1);
    list_running running = {0};
    int status = VPSH_EXIT_OK, nrows = 0;
    _cleanup_free_ int *states = vp_new0(int, (size_t)n + 1);
    _cleanup_free_ int *ids = vp_new0(int, (size_t)n + 1);
    int r = n > 0 ? vp_domain_list_get_states(doms, states, NULL, ids, 0) : 0;
    for (int i = 0; r < 0 && i < n; i++) {
        states[i] = r; /* VP_ERR_NOT_SUPPORTED: a driver without states */
        ids[i] = -1;
    }
    for (int i = 0; i < n && status == VPSH_EXIT_OK; i++) {
        bool gone = false;
        status = row_read(flags, &running, doms[i], states[i], ids[i], &rows[nrows], &gone);
        if (status == VPSH_EXIT_OK && !gone)
            nrows++;
    }
    qsort(rows, (size_t)nrows, sizeof(*rows), row_cmp);
    for (int i = 0; i < nrows && status == VPSH_EXIT_OK; i++) {
        bool wanted = false;
        status = row_wanted(a, &rows[i], &wanted);
        if (status == VPSH_EXIT_OK && wanted)
            status = row_print(ctx, a, t, &rows[i]);
    }
    vp_domain_list_free(running.doms);
    free(rows);
    return status;
}

int
vpsh_cmd_list(vpsh_ctx *ctx, const vpsh_args *a)
{
    int status = check_layout(a);
    vp_conn *conn;
    if (status != VPSH_EXIT_OK || vpsh_conn(ctx, &conn) != 0)
        return VPSH_EXIT_FAIL;
    /* Ask the driver for one kind when that is all the selection needs. */
    unsigned int flags = VP_LIST_DOMAINS_ACTIVE;
    if (vpsh_flag(a, "all") || vpsh_flag(a, "state-running") || vpsh_flag(a, "state-paused") ||
        vpsh_flag(a, "state-shutoff") || vpsh_flag(a, "state-other"))
        flags = 0;
    else if (vpsh_flag(a, "inactive"))
        flags = VP_LIST_DOMAINS_INACTIVE;
    vp_domain **doms = NULL;
    int n = vp_conn_list_domains(conn, flags, &doms);
    if (n < 0)
        return vpsh_fail();
    static const char *const headers[] = {"Id", "Name", "State", "Title"};
    _cleanup_(vpsh_table_freep) vpsh_table *t =
        vpsh_table_new(vpsh_flag(a, "title") ? 4 : 3, headers);
    if (ctx->json) {
        vpsh_json_begin_object(ctx->js, NULL);
        vpsh_json_begin_array(ctx->js, "domains");
    }
    status = list_rows(ctx, a, flags, t, doms, n);
    vp_domain_list_free(doms);
    if (status == VPSH_EXIT_OK && ctx->json) {
        vpsh_json_end_array(ctx->js);
        vpsh_json_end_object(ctx->js);
    } else if (status == VPSH_EXIT_OK && !vpsh_flag(a, "name") && !vpsh_flag(a, "uuid") &&
               !vpsh_flag(a, "id")) {
        vpsh_table_print(t, stdout, !ctx->quiet);
    }
    return status;
}

const vpsh_opt vpsh_list_opts[] = {
    {"inactive", NULL, false, "list only domains that are shut off", NULL},
    {"all", NULL, false, "list every domain, running or not", NULL},
    {"state-running", NULL, false, "list running domains (with the other --state-*)", NULL},
    {"state-paused", NULL, false, "list paused domains", NULL},
    {"state-shutoff", NULL, false, "list shut-off domains", NULL},
    {"state-other", NULL, false, "list domains in any other state", NULL},
    {"persistent", NULL, false, "list persistent (defined) domains", NULL},
    {"transient", NULL, false, "list transient domains (made by create)", NULL},
    {"autostart", NULL, false, "list domains marked to start when the host boots", NULL},
    {"no-autostart", NULL, false, "list domains not marked so", NULL},
    {"with-snapshot", NULL, false, "list domains that have snapshots", NULL},
    {"without-snapshot", NULL, false, "list domains that have none", NULL},
    {"name", NULL, false, "print only the names, one per line", NULL},
    {"uuid", NULL, false, "print only the UUIDs (with --name: UUID and name)", NULL},
    {"table", NULL, false, "print the table (the default)", NULL},
    {"id", NULL, false, "print only the Ids of running domains (with --name, --uuid: a column)",
     NULL},
    {"title", NULL, false, "add a column with each domain's title", NULL},
    {"managed-save", NULL, false, "show shut-off domains with a managed-save image as 'saved'",
     NULL},
    {"with-managed-save", NULL, false, "list domains that have a managed-save image", NULL},
    {"without-managed-save", NULL, false, "list domains that have none", NULL},
    {NULL, NULL, false, NULL, NULL},
};
