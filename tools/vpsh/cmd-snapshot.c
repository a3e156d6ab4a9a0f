/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Copyright (C) 2026 The virtplug developers */
/*
 * cmd-snapshot.c: the vpsh snapshot verbs (snapshot-create-as,
 * snapshot-list, snapshot-dumpxml, and the tree's:
 * snapshot-current, snapshot-parent, snapshot-info; the verbs that change
 * the tree are in cmd-snapshot-change.c).
 *
 * Owns turning virsh's snapshot-create-as options, including its
 * --diskspec syntax ("vda,snapshot=external,file=/p,driver=qcow2", ",,"
 * for a literal comma), into <domainsnapshot> XML with every value
 * escaped, and how snapshots are shown (virsh's layouts, its --tree
 * drawing included). It never decides how a snapshot is taken, nor which
 * is current or whose parent: the driver and the library do.
 */
#include <config.h>

#include <time.h>

#include <virtplug/sdk/conf.h>

#include "vpsh.h"

VP_DEFINE_CLEANUP(vp_snapshot_def, vp_plugin_snapshot_def_free)

void
vpsh_xml_escaped(FILE *out, const char *s)
{
    for (; *s; s++) {
        switch (*s) {
        case '&':
            fputs("&amp;", out);
            break;
        case '<':
            fputs("&lt;", out);
            break;
        case '>':
            fputs("&gt;", out);
            break;
        case '\'':
            fputs("&apos;", out);
            break;
        case '"':
            fputs("&quot;", out);
            break;
        default:
            fputc(*s, out);
        }
    }
}

/* Split a diskspec at single commas; ",," stands for a comma. Returns the
 * fields (transfer full, NULL-terminated). */
static char **
diskspec_split(const char *spec)
{
    size_t n = 0, len = strlen(spec);
    char **fields = vp_new0(char *, len + 2);
    char *cur = vp_new0(char, len + 1);
    size_t k = 0;
    for (const char *p = spec;; p++) {
        if (*p == ',' && p[1] == ',') {
            cur[k++] = ',';
            p++;
        } else if (*p == ',' || *p == '\0') {
            cur[k] = '\0';
            fields[n++] = vp_strdup(cur);
            k = 0;
            if (*p == '\0')
                break;
        } else {
            cur[k++] = *p;
        }
    }
    free(cur);
    return fields;
}

static int
diskspec_to_xml(const vpsh_cmd *cmd, const char *spec, FILE *out)
{
    _cleanup_strv_free_ char **f = diskspec_split(spec);
    const char *snapshot = NULL, *driver = NULL, *file = NULL;
    if (!*f[0])
        return vpsh_usage(cmd, "diskspec '%s' does not start with a disk name", spec);
    for (size_t i = 1; f[i]; i++) {
        char *eq = strchr(f[i], '=');
        const char *value = eq ? eq + 1 : "";
        if (eq)
            *eq = '\0';
        if (!eq || !*value)
            return vpsh_usage(cmd, "diskspec '%s': '%s' needs a value (KEY=VALUE)", spec, f[i]);
        if (strcmp(f[i], "snapshot") == 0 &&
            (strcmp(value, "no") == 0 || strcmp(value, "internal") == 0 ||
             strcmp(value, "external") == 0))
            snapshot = value;
        else if (strcmp(f[i], "snapshot") == 0)
            return vpsh_usage(cmd, "diskspec '%s': snapshot must be no, internal or external",
                              spec);
        else if (strcmp(f[i], "driver") == 0)
            driver = value;
        else if (strcmp(f[i], "file") == 0)
            file = value;
        else if (strcmp(f[i], "stype") != 0 || strcmp(value, "file") != 0)
            return vpsh_usage(
                cmd, "diskspec '%s': unknown key '%s'; use snapshot=, driver= or file=", spec,
                f[i]);
    }
    fputs("    <disk name='", out);
    vpsh_xml_escaped(out, f[0]);
    fputc('\'', out);
    if (snapshot)
        fprintf(out, " snapshot='%s'", snapshot);
    if (!driver && !file) {
        fputs("/>\n", out);
        return 0;
    }
    fputs(">\n", out);
    if (driver) {
        fputs("      <driver type='", out);
        vpsh_xml_escaped(out, driver);
        fputs("'/>\n", out);
    }
    if (file) {
        fputs("      <source file='", out);
        vpsh_xml_escaped(out, file);
        fputs("'/>\n", out);
    }
    fputs("    </disk>\n", out);
    return 0;
}

static void
xml_element(FILE *out, const char *indent, const char *name, const char *text)
{
    fprintf(out, "%s<%s>", indent, name);
    vpsh_xml_escaped(out, text);
    fprintf(out, "</%s>\n", name);
}

/* The request's XML, or NULL when nothing was asked (the driver chooses). */
static int
snapshot_xml(const vpsh_cmd *cmd, const vpsh_args *a, char **ret_xml)
{
    const char *name = a->npos > 1 ? a->pos[1] : NULL;
    const char *description = vpsh_opt_value(a, "description");
    const char *const *specs;
    size_t nspecs = vpsh_opt_values(a, "diskspec", &specs);
    *ret_xml = NULL;
    if (!name && !description && nspecs == 0)
        return 0;
    char *xml = NULL;
    size_t size = 0;
    FILE *out = open_memstream(&xml, &size);
    if (!out)
        abort();
    int status = 0;
    fputs("<domainsnapshot>\n", out);
    if (name)
        xml_element(out, "  ", "name", name);
    if (description)
        xml_element(out, "  ", "description", description);
    if (nspecs > 0) {
        fputs("  <disks>\n", out);
        for (size_t i = 0; i < nspecs && status == 0; i++)
            status = diskspec_to_xml(cmd, specs[i], out);
        fputs("  </disks>\n", out);
    }
    fputs("</domainsnapshot>\n", out);
    fclose(out);
    if (status != 0) {
        free(xml);
        return status;
    }
    *ret_xml = xml;
    return 0;
}

static int
print_xml_only(vpsh_ctx *ctx, const char *xml)
{
    const char *empty = "<domainsnapshot>\n</domainsnapshot>\n";
    if (ctx->json) {
        vpsh_json_begin_object(ctx->js, NULL);
        vpsh_json_string(ctx->js, "xml", xml ? xml : empty);
        vpsh_json_end_object(ctx->js);
    } else {
        fputs(xml ? xml : empty, stdout);
    }
    return VPSH_EXIT_OK;
}

static int
cmd_snapshot_create_as(vpsh_ctx *ctx, const vpsh_args *a)
{
    _cleanup_free_ char *xml = NULL;
    int status = snapshot_xml(ctx->cmd, a, &xml);
    if (status != 0)
        return status;
    if (vpsh_flag(a, "print-xml"))
        return print_xml_only(ctx, xml);
    unsigned int flags = 0;
    if (vpsh_flag(a, "disk-only"))
        flags |= VP_SNAPSHOT_CREATE_DISK_ONLY;
    if (vpsh_flag(a, "quiesce"))
        flags |= VP_SNAPSHOT_CREATE_QUIESCE;
    _cleanup_(vp_domain_freep) vp_domain *dom = NULL;
    if (vpsh_domain(ctx, a->pos[0], &dom) != 0)
        return VPSH_EXIT_FAIL;
    _cleanup_(vp_snapshot_freep) vp_snapshot *snap = NULL;
    if (vp_snapshot_create_xml(dom, xml, flags, &snap) < 0)
        return vpsh_fail();
    if (ctx->json) {
        vpsh_json_begin_object(ctx->js, NULL);
        vpsh_json_string(ctx->js, "domain", vp_domain_get_name(dom));
        vpsh_json_string(ctx->js, "snapshot", vp_snapshot_get_name(snap));
        vpsh_json_bool(ctx->js, "disk_only", flags & VP_SNAPSHOT_CREATE_DISK_ONLY);
        vpsh_json_bool(ctx->js, "quiesced", flags & VP_SNAPSHOT_CREATE_QUIESCE);
        vpsh_json_end_object(ctx->js);
    } else {
        vpsh_extra(ctx, "Domain snapshot %s created", vp_snapshot_get_name(snap));
    }
    return VPSH_EXIT_OK;
}

static const char *
snapshot_state_name(const vp_snapshot_def *def)
{
    /* As virsh: a snapshot of a live domain without its memory is
     * "disk-snapshot", whichever way the driver recorded it. */
    if (def->state == VP_SNAPSHOT_STATE_DISK_SNAPSHOT ||
        (def->memory == VP_SNAPSHOT_LOCATION_NO && def->state != VP_DOMAIN_SHUTOFF))
        return "disk-snapshot";
    return vp_domain_state_name(def->state);
}

/* virsh's Location: external when the snapshot left the VM state out of a
 * live domain or put a disk in an overlay. */
static const char *
snapshot_location(const vp_snapshot_def *def)
{
    bool external = strcmp(snapshot_state_name(def), "disk-snapshot") == 0;
    for (size_t i = 0; i < def->n_disks; i++)
        external |= def->disks[i].location == VP_SNAPSHOT_LOCATION_EXTERNAL;
    return external ? "external" : "internal";
}

/* Every snapshot of a domain with its record, in the list's order. */
typedef struct snap_tree {
    size_t n;
    vp_snapshot **snaps;
    vp_snapshot_def **defs;
} snap_tree;

static void
snap_tree_clear(snap_tree *t)
{
    for (size_t i = 0; i < t->n; i++)
        vp_plugin_snapshot_def_free(t->defs[i]);
    free(t->defs);
    vp_snapshot_list_free(t->snaps);
}

static int
snap_tree_load(vp_domain *dom, snap_tree *t)
{
    int n = vp_snapshot_list(dom, 0, &t->snaps);
    if (n < 0)
        return vpsh_fail();
    t->defs = vp_new0(vp_snapshot_def *, (size_t)n + 1);
    for (t->n = 0; t->n < (size_t)n; t->n++) {
        _cleanup_free_ char *xml = NULL;
        if (vp_snapshot_get_xml(t->snaps[t->n], 0, &xml) < 0 ||
            vp_plugin_snapshot_def_parse(xml, VP_PLUGIN_SNAPSHOT_PARSE_RECORD, &t->defs[t->n]) < 0)
            return vpsh_fail();
    }
    return VPSH_EXIT_OK;
}

/* A root, or a snapshot whose parent is not in the list (deleted
 * meanwhile): drawn as a root, so the tree shows every snapshot. */
static bool
snap_tree_is_root(const snap_tree *t, const vp_snapshot_def *def)
{
    for (size_t i = 0; def->parent && i < t->n; i++)
        if (strcmp(t->defs[i]->name, def->parent) == 0)
            return false;
    return true;
}

static bool
snap_tree_has_child(const snap_tree *t, const char *name)
{
    for (size_t i = 0; i < t->n; i++)
        if (t->defs[i]->parent && strcmp(t->defs[i]->parent, name) == 0)
            return true;
    return false;
}

/* virsh's tree (vshTreePrint): each root, its children below "+- " with
 * "|" joining siblings, and a line of indent after each last leaf. */
static void
tree_print(const snap_tree *t, size_t i, size_t last, bool root, char *indent)
{
    const char *name = t->defs[i]->name;
    size_t len = strlen(indent);
    printf("%s%s%s\n", indent, root ? "" : "+- ", name);
    if (!root) {
        indent[len++] = i == last ? ' ' : '|';
        indent[len++] = ' ';
        indent[len] = '\0';
    }
    size_t next_last = SIZE_MAX;
    for (size_t k = 0; k < t->n; k++)
        if (t->defs[k]->parent && strcmp(t->defs[k]->parent, name) == 0)
            next_last = k;
    if (next_last != SIZE_MAX)
        printf("%s  |\n", indent);
    memcpy(indent + len, "  ", 3);
    for (size_t k = 0; k < t->n; k++)
        if (t->defs[k]->parent && strcmp(t->defs[k]->parent, name) == 0)
            tree_print(t, k, next_last, false, indent);
    indent[len] = '\0';
    if (next_last == SIZE_MAX && i == last)
        printf("%s\n", indent);
    if (!root)
        indent[len - 2] = '\0';
}

static void
snapshot_list_row(vpsh_ctx *ctx, vpsh_table *t, const char *name, const vp_snapshot_def *def)
{
    char when[64] = "-";
    struct tm tm;
    time_t created = (time_t)def->creation_time;
    if (created > 0 && localtime_r(&created, &tm))
        strftime(when, sizeof(when), "%Y-%m-%d %H:%M:%S %z", &tm);
    if (ctx->json) {
        char iso[64];
        vpsh_json_begin_object(ctx->js, NULL);
        vpsh_json_string(ctx->js, "name", name);
        vpsh_json_string(ctx->js, "creation_time",
                         created > 0 ? vpsh_time_iso(def->creation_time * 1000000, iso, sizeof(iso))
                                     : NULL);
        vpsh_json_string(ctx->js, "state", snapshot_state_name(def));
        vpsh_json_string(ctx->js, "parent", def->parent);
        vpsh_json_string(ctx->js, "description", def->description);
        vpsh_json_bool(ctx->js, "quiesced", def->quiesced);
        vpsh_json_uint(ctx->js, "disks", def->n_disks);
        vpsh_json_end_object(ctx->js);
    } else {
        const char *row[] = {name, when, snapshot_state_name(def), def->parent ? def->parent : ""};
        vpsh_table_add(t, row);
    }
}

/* virsh's refusals, in its words and order. */
static int
list_check_options(const vpsh_args *a)
{
    bool tree = vpsh_flag(a, "tree"), parent = vpsh_flag(a, "parent");
    if (tree && vpsh_flag(a, "name"))
        return vpsh_failf("Options --tree and --name are mutually exclusive");
    if (parent && vpsh_flag(a, "roots"))
        return vpsh_failf("Options --parent and --roots are mutually exclusive");
    if (parent && tree)
        return vpsh_failf("Options --parent and --tree are mutually exclusive");
    if (vpsh_flag(a, "roots") && tree)
        return vpsh_failf("Options --roots and --tree are mutually exclusive");
    if (vpsh_flag(a, "leaves") && tree)
        return vpsh_failf("--leaves and --tree are mutually exclusive");
    static const char *const filters[] = {"disk-only", "internal", "external"};
    for (size_t i = 0; i < 3; i++)
        if (vpsh_flag(a, filters[i]) && tree)
            return vpsh_failf("--%s and --tree are mutually exclusive", filters[i]);
    bool from = vpsh_opt_value(a, "from") != NULL, current = vpsh_flag(a, "current");
    if (vpsh_flag(a, "roots") && (from || current))
        return vpsh_failf("Options --roots and --%s are mutually exclusive",
                          from ? "from" : "current");
    if (from && current)
        return vpsh_failf("--from and --current are mutually exclusive");
    if (vpsh_flag(a, "descendants") && !from && !current)
        return vpsh_failf("--descendants requires either --from or --current");
    return VPSH_EXIT_OK;
}

/* @st's snapshots (borrowed, not freed by it) under @start (--from or
 * --current): its children, or with --descendants all below it; with
 * --tree @start first, as the root to draw. */
static bool
below(const snap_tree *st, const vp_snapshot_def *def, const char *start, bool descendants)
{
    for (size_t depth = 0; def && def->parent && depth <= st->n; depth++) {
        if (strcmp(def->parent, start) == 0)
            return true;
        if (!descendants)
            return false;
        const vp_snapshot_def *up = NULL;
        for (size_t i = 0; i < st->n && !up; i++)
            if (strcmp(st->defs[i]->name, def->parent) == 0)
                up = st->defs[i];
        def = up;
    }
    return false;
}

static snap_tree
subtree(const snap_tree *st, const char *start, bool descendants, bool with_start)
{
    snap_tree v = {.defs = vp_new0(vp_snapshot_def *, st->n + 1)};
    for (size_t i = 0; with_start && i < st->n; i++)
        if (strcmp(st->defs[i]->name, start) == 0)
            v.defs[v.n++] = st->defs[i];
    for (size_t i = 0; i < st->n; i++)
        if (below(st, st->defs[i], start, descendants))
            v.defs[v.n++] = st->defs[i];
    return v;
}

/* virsh's filters: --disk-only on the state, --internal and --external
 * on the location; either of a group passes, and both groups must. */
static bool
list_filtered_out(const vpsh_args *a, const vp_snapshot_def *def)
{
    bool internal = vpsh_flag(a, "internal"), external = vpsh_flag(a, "external");
    if (vpsh_flag(a, "disk-only") && strcmp(snapshot_state_name(def), "disk-snapshot") != 0)
        return true;
    if (!internal && !external)
        return false;
    return !(strcmp(snapshot_location(def), internal ? "internal" : "external") == 0 ||
             (internal && external));
}

static void
list_print(vpsh_ctx *ctx, const vpsh_args *a, const snap_tree *st, const snap_tree *full)
{
    bool parent = vpsh_flag(a, "parent");
    static const char *const headers[] = {"Name", "Creation Time", "State", "Parent"};
    _cleanup_(vpsh_table_freep) vpsh_table *t = vpsh_table_new(parent ? 4 : 3, headers);
    _cleanup_free_ char *indent = vp_new0(char, 4 * st->n + 8);
    for (size_t i = 0; i < st->n; i++) {
        const vp_snapshot_def *def = st->defs[i];
        if ((vpsh_flag(a, "roots") && def->parent) ||
            (vpsh_flag(a, "leaves") && snap_tree_has_child(full ? full : st, def->name)) ||
            list_filtered_out(a, def))
            continue;
        if (vpsh_flag(a, "tree") && !ctx->json) {
            if (snap_tree_is_root(st, def))
                tree_print(st, i, i, true, indent);
        } else if (vpsh_flag(a, "name") && !ctx->json) {
            printf("%s\n", def->name);
        } else {
            snapshot_list_row(ctx, t, def->name, def);
        }
    }
    if (!ctx->json && !vpsh_flag(a, "name") && !vpsh_flag(a, "tree"))
        vpsh_table_print(t, stdout, !ctx->quiet);
}

/* The snapshot of --from (looked up) or --current, or none. */
static int
list_start(const vpsh_args *a, vp_domain *dom, char **ret_start)
{
    _cleanup_(vp_snapshot_freep) vp_snapshot *snap = NULL;
    const char *from = vpsh_opt_value(a, "from");
    *ret_start = NULL;
    if (from && vp_snapshot_lookup_by_name(dom, from, 0, &snap) < 0)
        return vpsh_fail();
    if (!from && vpsh_flag(a, "current") && vp_snapshot_current(dom, 0, &snap) < 0)
        return vpsh_fail();
    if (snap)
        *ret_start = vp_strdup(vp_snapshot_get_name(snap));
    return VPSH_EXIT_OK;
}

static int
cmd_snapshot_list(vpsh_ctx *ctx, const vpsh_args *a)
{
    int status = list_check_options(a);
    if (status != VPSH_EXIT_OK)
        return status;
    _cleanup_(vp_domain_freep) vp_domain *dom = NULL;
    if (vpsh_domain(ctx, a->pos[0], &dom) != 0)
        return VPSH_EXIT_FAIL;
    snap_tree st = {0};
    _cleanup_free_ char *start = NULL;
    status = snap_tree_load(dom, &st);
    if (status == VPSH_EXIT_OK)
        status = list_start(a, dom, &start);
    /* --from or --current: what lies below that snapshot; the tree has it
     * as its root. */
    bool tree = start && vpsh_flag(a, "tree") && !ctx->json;
    snap_tree view = start ? subtree(&st, start, vpsh_flag(a, "descendants"), tree) : st;
    if (status == VPSH_EXIT_OK && ctx->json) {
        vpsh_json_begin_object(ctx->js, NULL);
        vpsh_json_string(ctx->js, "domain", vp_domain_get_name(dom));
        vpsh_json_begin_array(ctx->js, "snapshots");
        list_print(ctx, a, &view, &st);
        vpsh_json_end_array(ctx->js);
        vpsh_json_end_object(ctx->js);
    } else if (status == VPSH_EXIT_OK && tree) {
        _cleanup_free_ char *indent = vp_new0(char, 4 * view.n + 8);
        tree_print(&view, 0, 0, true, indent);
    } else if (status == VPSH_EXIT_OK) {
        list_print(ctx, a, &view, &st);
    }
    if (start)
        free(view.defs);
    snap_tree_clear(&st);
    return status;
}

static int
lookup_snapshot(vpsh_ctx *ctx, const vpsh_args *a, vp_domain **ret_dom, vp_snapshot **ret_snap)
{
    if (vpsh_domain(ctx, a->pos[0], ret_dom) != 0)
        return VPSH_EXIT_FAIL;
    if (vp_snapshot_lookup_by_name(*ret_dom, a->pos[1], 0, ret_snap) < 0)
        return vpsh_fail();
    return 0;
}

static int
cmd_snapshot_dumpxml(vpsh_ctx *ctx, const vpsh_args *a)
{
    _cleanup_(vp_domain_freep) vp_domain *dom = NULL;
    _cleanup_(vp_snapshot_freep) vp_snapshot *snap = NULL;
    if (lookup_snapshot(ctx, a, &dom, &snap) != 0)
        return VPSH_EXIT_FAIL;
    _cleanup_free_ char *xml = NULL;
    if (vp_snapshot_get_xml(snap, 0, &xml) < 0)
        return vpsh_fail();
    if (ctx->json) {
        vpsh_json_begin_object(ctx->js, NULL);
        vpsh_json_string(ctx->js, "domain", vp_domain_get_name(dom));
        vpsh_json_string(ctx->js, "snapshot", vp_snapshot_get_name(snap));
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

/* ---- the tree: snapshot-current, snapshot-parent, snapshot-info ---- */

/* The snapshot a verb names: SNAPSHOTNAME or --current, as virsh. */
int
vpsh_snapshot_named_or_current(vpsh_ctx *ctx, const vpsh_args *a, vp_domain **ret_dom,
                               vp_snapshot **ret_snap)
{
    bool current = vpsh_flag(a, "current");
    if (a->npos > 1 && current)
        return vpsh_failf("--snapshotname and --current are mutually exclusive");
    if (a->npos < 2 && !current)
        return vpsh_failf("--snapshotname or --current is required");
    if (vpsh_domain(ctx, a->pos[0], ret_dom) != 0)
        return VPSH_EXIT_FAIL;
    int r = current ? vp_snapshot_current(*ret_dom, 0, ret_snap)
                    : vp_snapshot_lookup_by_name(*ret_dom, a->pos[1], 0, ret_snap);
    return r < 0 ? vpsh_fail() : VPSH_EXIT_OK;
}

static int
cmd_snapshot_current(vpsh_ctx *ctx, const vpsh_args *a)
{
    if (a->npos > 1 && vpsh_flag(a, "name"))
        return vpsh_failf("Options --name and --snapshotname are mutually exclusive");
    _cleanup_(vp_domain_freep) vp_domain *dom = NULL;
    _cleanup_(vp_snapshot_freep) vp_snapshot *snap = NULL;
    if (vpsh_domain(ctx, a->pos[0], &dom) != 0)
        return VPSH_EXIT_FAIL;
    if (a->npos > 1)
        return vpsh_snapshot_set_current(ctx, dom, a->pos[1]);
    if (vp_snapshot_current(dom, 0, &snap) < 0)
        return vpsh_fail();
    _cleanup_free_ char *xml = NULL;
    if (!vpsh_flag(a, "name") && vp_snapshot_get_xml(snap, 0, &xml) < 0)
        return vpsh_fail();
    if (ctx->json) {
        vpsh_json_begin_object(ctx->js, NULL);
        vpsh_json_string(ctx->js, "domain", vp_domain_get_name(dom));
        vpsh_json_string(ctx->js, "snapshot", vp_snapshot_get_name(snap));
        if (xml)
            vpsh_json_string(ctx->js, "xml", xml);
        vpsh_json_end_object(ctx->js);
    } else if (xml) {
        size_t len = strlen(xml);
        fputs(xml, stdout);
        if (len == 0 || xml[len - 1] != '\n')
            putchar('\n');
    } else {
        /* As virsh: the blank line after the command ends the line. */
        printf("%s", vp_snapshot_get_name(snap));
    }
    return VPSH_EXIT_OK;
}

static int
cmd_snapshot_parent(vpsh_ctx *ctx, const vpsh_args *a)
{
    _cleanup_(vp_domain_freep) vp_domain *dom = NULL;
    _cleanup_(vp_snapshot_freep) vp_snapshot *snap = NULL, *parent = NULL;
    int status = vpsh_snapshot_named_or_current(ctx, a, &dom, &snap);
    if (status != VPSH_EXIT_OK)
        return status;
    if (vp_snapshot_get_parent(snap, 0, &parent) < 0)
        return vpsh_fail();
    if (ctx->json) {
        vpsh_json_begin_object(ctx->js, NULL);
        vpsh_json_string(ctx->js, "domain", vp_domain_get_name(dom));
        vpsh_json_string(ctx->js, "snapshot", vp_snapshot_get_name(snap));
        vpsh_json_string(ctx->js, "parent", vp_snapshot_get_name(parent));
        vpsh_json_end_object(ctx->js);
    } else {
        printf("%s", vp_snapshot_get_name(parent));
    }
    return VPSH_EXIT_OK;
}

static int
info_count(vp_snapshot *snap, unsigned int flags, int *ret_n)
{
    vp_snapshot **kids = NULL;
    int n = vp_snapshot_list_children(snap, flags, &kids);
    vp_snapshot_list_free(kids);
    if (n < 0)
        return vpsh_fail();
    *ret_n = n;
    return VPSH_EXIT_OK;
}

static int
cmd_snapshot_info(vpsh_ctx *ctx, const vpsh_args *a)
{
    _cleanup_(vp_domain_freep) vp_domain *dom = NULL;
    _cleanup_(vp_snapshot_freep) vp_snapshot *snap = NULL;
    int status = vpsh_snapshot_named_or_current(ctx, a, &dom, &snap);
    if (status != VPSH_EXIT_OK)
        return status;
    _cleanup_free_ char *xml = NULL;
    _cleanup_(vp_plugin_snapshot_def_freep) vp_snapshot_def *def = NULL;
    if (vp_snapshot_get_xml(snap, 0, &xml) < 0 ||
        vp_plugin_snapshot_def_parse(xml, VP_PLUGIN_SNAPSHOT_PARSE_RECORD, &def) < 0)
        return vpsh_fail();
    int current = vp_snapshot_is_current(snap, 0), children = 0, descendants = 0;
    if (current < 0)
        return vpsh_fail();
    status = info_count(snap, 0, &children);
    if (status == VPSH_EXIT_OK)
        status = info_count(snap, VP_SNAPSHOT_LIST_DESCENDANTS, &descendants);
    if (status != VPSH_EXIT_OK)
        return status;
    const char *name = vp_snapshot_get_name(snap), *dname = vp_domain_get_name(dom);
    if (ctx->json) {
        vpsh_json_begin_object(ctx->js, NULL);
        vpsh_json_string(ctx->js, "name", name);
        vpsh_json_string(ctx->js, "domain", dname);
        vpsh_json_bool(ctx->js, "current", current == 1);
        vpsh_json_string(ctx->js, "state", snapshot_state_name(def));
        vpsh_json_string(ctx->js, "location", snapshot_location(def));
        vpsh_json_string(ctx->js, "parent", def->parent);
        vpsh_json_uint(ctx->js, "children", (unsigned int)children);
        vpsh_json_uint(ctx->js, "descendants", (unsigned int)descendants);
        vpsh_json_bool(ctx->js, "metadata", true);
        vpsh_json_end_object(ctx->js);
        return VPSH_EXIT_OK;
    }
    vpsh_kv("Name", "%s", name);
    vpsh_kv("Domain", "%s", dname);
    vpsh_kv("Current", "%s", current == 1 ? "yes" : "no");
    vpsh_kv("State", "%s", snapshot_state_name(def));
    vpsh_kv("Location", "%s", snapshot_location(def));
    vpsh_kv("Parent", "%s", def->parent ? def->parent : "-");
    vpsh_kv("Children", "%d", children);
    vpsh_kv("Descendants", "%d", descendants);
    vpsh_kv("Metadata", "%s", "yes");
    return VPSH_EXIT_OK;
}

static const vpsh_opt create_opts[] = {
    {"description", "TEXT", false, "a description stored with the snapshot", NULL},
    {"disk-only", NULL, false, "snapshot the disks only (external overlays), not the VM state",
     NULL},
    {"quiesce", NULL, false, "freeze the guest's file systems through its agent while taking it",
     NULL},
    {"diskspec", "SPEC", true, "DISK[,snapshot=no|internal|external][,driver=TYPE][,file=PATH]",
     NULL},
    {"print-xml", NULL, false, "print the <domainsnapshot> XML instead of creating it", NULL},
    {"atomic", NULL, false, "all or nothing (virtplug takes every snapshot so: one transaction)",
     NULL},
    {"no-metadata", NULL, false, "take the snapshot without its record",
     "not supported yet: virtplug keeps a record of every snapshot it takes"},
    {"memspec", "SPEC", false, "where to save the VM state",
     "not supported yet: virtplug keeps the VM state inside the images (internal snapshot)"},
    {NULL, NULL, false, NULL, NULL},
};

static const vpsh_opt list_opts[] = {
    {"name", NULL, false, "print only the names, one per line", NULL},
    {"parent", NULL, false, "add a column with each snapshot's parent", NULL},
    {"roots", NULL, false, "list only the snapshots without a parent", NULL},
    {"leaves", NULL, false, "list only the snapshots without children", NULL},
    {"tree", NULL, false, "draw the snapshots as a tree of parents and children", NULL},
    {"from", "SNAPSHOT", false, "list only the children of SNAPSHOT", NULL},
    {"current", NULL, false, "list only the children of the current snapshot", NULL},
    {"descendants", NULL, false, "with --from or --current, list all their descendants", NULL},
    {"disk-only", NULL, false, "list only the snapshots of the disks alone (no VM state)", NULL},
    {"internal", NULL, false, "list only the snapshots kept inside the images", NULL},
    {"external", NULL, false, "list only the snapshots with an overlay file or no VM state", NULL},
    {NULL, NULL, false, NULL, NULL},
};

static const vpsh_opt current_opts[] = {
    {"name", NULL, false, "print only the name, not the XML", NULL},
    {NULL, NULL, false, NULL, NULL},
};

static const vpsh_opt named_or_current_opts[] = {
    {"current", NULL, false, "the domain's current snapshot instead of SNAPSHOTNAME", NULL},
    {NULL, NULL, false, NULL, NULL},
};

const vpsh_cmd vpsh_snapshot_cmds[] = {
    {"snapshot-create-as", "DOMAIN [NAME]", "take a snapshot of a domain", create_opts, 1, 2,
     cmd_snapshot_create_as, "domain name", VPSH_CMD_MUTATES},
    {"snapshot-list", "DOMAIN", "list a domain's snapshots", list_opts, 1, 1, cmd_snapshot_list,
     "domain", 0},
    {"snapshot-dumpxml", "DOMAIN NAME", "print a snapshot's XML", NULL, 2, 2, cmd_snapshot_dumpxml,
     "domain snapshotname", 0},
    {"snapshot-delete", "DOMAIN NAME", "delete a snapshot (or with its descendants)",
     vpsh_snapshot_delete_opts, 2, 2, vpsh_cmd_snapshot_delete, "domain snapshotname",
     VPSH_CMD_MUTATES},
    {"snapshot-current", "DOMAIN [SNAPSHOTNAME]",
     "print a domain's current snapshot, or make SNAPSHOTNAME current", current_opts, 1, 2,
     cmd_snapshot_current, "domain snapshotname", 0},
    {"snapshot-create", "DOMAIN [XMLFILE]", "take a snapshot from XML, or import a record",
     vpsh_snapshot_create_opts, 1, 2, vpsh_cmd_snapshot_create, "domain xmlfile", VPSH_CMD_MUTATES},
    {"snapshot-parent", "DOMAIN [SNAPSHOTNAME]", "print the name of a snapshot's parent",
     named_or_current_opts, 1, 2, cmd_snapshot_parent, "domain snapshotname", 0},
    {"snapshot-info", "DOMAIN [SNAPSHOTNAME]", "print a snapshot's place in the tree and state",
     named_or_current_opts, 1, 2, cmd_snapshot_info, "domain snapshotname", 0},
    {"snapshot-revert", "DOMAIN [SNAPSHOTNAME]", "revert a domain to a snapshot",
     vpsh_snapshot_revert_opts, 1, 2, vpsh_cmd_snapshot_revert, "domain snapshotname",
     VPSH_CMD_MUTATES},
    {NULL, NULL, NULL, NULL, 0, 0, NULL, NULL, 0},
};
