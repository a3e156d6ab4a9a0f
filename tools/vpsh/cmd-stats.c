/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Copyright (C) 2026 The virtplug developers */
/*
 * cmd-stats.c: the vpsh statistics verbs (domstats, dommemstat,
 * domblkstat, domifstat, nodememstats, nodecpustats, sysinfo; the table
 * also lists those of cmd-devinfo.c).
 *
 * Owns how statistics are shown: virsh's layouts in text mode (its
 * "key=value" records, its legacy names of block and interface counters,
 * its column widths), one JSON document with --json. Every number comes
 * from the public statistics API (virtplug-stats.h); the per-device verbs
 * pick their device's keys out of the domain's statistics rather than
 * asking a slot of their own.
 */
#include <config.h>

#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "vpsh.h"

/* One value of @p as a JSON member: numbers as numbers. */
static void
json_param(vpsh_json *js, const vp_typed_params *p, int i)
{
    const char *field = vp_typed_params_field(p, i);
    int type = vp_typed_params_type(p, i);
    _cleanup_free_ char *text = NULL;
    vp_typed_params_format_value(p, i, &text);
    if (type == VP_TYPED_PARAM_STRING) {
        vpsh_json_string(js, field, text);
    } else if (type == VP_TYPED_PARAM_INT || type == VP_TYPED_PARAM_LLONG) {
        vpsh_json_int(js, field, strtoll(text, NULL, 10));
    } else if (type == VP_TYPED_PARAM_BOOLEAN) {
        vpsh_json_bool(js, field, strcmp(text, "yes") == 0);
    } else if (type == VP_TYPED_PARAM_DOUBLE) {
        vpsh_json_raw(js, field, text);
    } else {
        vpsh_json_uint(js, field, strtoull(text, NULL, 10));
    }
}

static void
json_params(vpsh_json *js, const char *key, const vp_typed_params *p)
{
    vpsh_json_begin_object(js, key);
    for (int i = 0; i < vp_typed_params_count(p); i++)
        json_param(js, p, i);
    vpsh_json_end_object(js);
}

/* ---- domstats -------------------------------------------------------------- */

static const struct {
    const char *opt;
    unsigned int group;
} group_opts[] = {
    {"state", VP_DOMAIN_STATS_STATE},         {"cpu-total", VP_DOMAIN_STATS_CPU_TOTAL},
    {"balloon", VP_DOMAIN_STATS_BALLOON},     {"vcpu", VP_DOMAIN_STATS_VCPU},
    {"interface", VP_DOMAIN_STATS_INTERFACE}, {"block", VP_DOMAIN_STATS_BLOCK},
};

static const struct {
    const char *opt;
    unsigned int flag;
} list_opts[] = {
    {"list-active", VP_CONNECT_GET_ALL_DOMAINS_STATS_ACTIVE},
    {"list-inactive", VP_CONNECT_GET_ALL_DOMAINS_STATS_INACTIVE},
    {"list-running", VP_CONNECT_GET_ALL_DOMAINS_STATS_RUNNING},
    {"list-paused", VP_CONNECT_GET_ALL_DOMAINS_STATS_PAUSED},
    {"list-shutoff", VP_CONNECT_GET_ALL_DOMAINS_STATS_SHUTOFF},
    {"list-other", VP_CONNECT_GET_ALL_DOMAINS_STATS_OTHER},
};

#define NOT_MODELLED "virtplug has no statistics of this group"

static const vpsh_opt domstats_opts[] = {
    {"state", NULL, false, "report domain state", NULL},
    {"cpu-total", NULL, false, "report domain physical cpu usage", NULL},
    {"balloon", NULL, false, "report domain balloon statistics", NULL},
    {"vcpu", NULL, false, "report domain virtual cpu information", NULL},
    {"interface", NULL, false, "report domain network interface information", NULL},
    {"block", NULL, false, "report domain block device statistics", NULL},
    {"perf", NULL, false, "report domain perf event statistics", NOT_MODELLED},
    {"iothread", NULL, false, "report domain IOThread information", NOT_MODELLED},
    {"memory", NULL, false, "report domain memory usage", NOT_MODELLED},
    {"dirtyrate", NULL, false, "report domain dirty rate information", NOT_MODELLED},
    {"vm", NULL, false, "report hypervisor-specific statistics", NOT_MODELLED},
    {"list-active", NULL, false, "list only active domains", NULL},
    {"list-inactive", NULL, false, "list only inactive domains", NULL},
    {"list-persistent", NULL, false, "list only persistent domains",
     "not supported yet: the statistics call cannot select persistent domains; use 'list --persistent'"},
    {"list-transient", NULL, false, "list only transient domains",
     "not supported yet: the statistics call cannot select transient domains; use 'list --transient'"},
    {"list-running", NULL, false, "list only running domains", NULL},
    {"list-paused", NULL, false, "list only paused domains", NULL},
    {"list-shutoff", NULL, false, "list only shutoff domains", NULL},
    {"list-other", NULL, false, "list only domains in other states", NULL},
    {"raw", NULL, false, "do not pretty-print the fields (no field needs it)", NULL},
    {"enforce", NULL, false, "enforce requested stats parameters", NULL},
    {"backing", NULL, false, "add backing chain information to block stats",
     "backing chain statistics are not supported yet"},
    {"nowait", NULL, false, "report only stats that are accessible instantly", NULL},
    {NULL, NULL, false, NULL, NULL},
};

static void
domstats_print(vpsh_ctx *ctx, vp_domain *dom, const vp_typed_params *p, bool first)
{
    if (ctx->json) {
        vpsh_json_begin_object(ctx->js, NULL);
        vpsh_json_string(ctx->js, "domain", vp_domain_get_name(dom));
        json_params(ctx->js, "stats", p);
        vpsh_json_end_object(ctx->js);
        return;
    }
    /* virsh separates records with a blank line; the one after the last
     * is the blank line after every command (run.c). */
    if (!first)
        printf("\n");
    printf("Domain: '%s'\n", vp_domain_get_name(dom));
    for (int i = 0; i < vp_typed_params_count(p); i++) {
        _cleanup_free_ char *text = NULL;
        vp_typed_params_format_value(p, i, &text);
        printf("  %s=%s\n", vp_typed_params_field(p, i), text);
    }
}

/* Whether @dom passes the --list-* filters of @flags, as virsh applies
 * them to the domains it names too: 1, 0, or < 0 (error). */
static int
filter_wanted(vp_domain *dom, unsigned int flags)
{
    if (!(flags & ~VP_CONNECT_GET_ALL_DOMAINS_STATS_ENFORCE_STATS))
        return 1;
    int state, reason;
    int r = vp_domain_get_state(dom, &state, &reason, 0);
    if (r < 0)
        return r;
    bool active = state != VP_DOMAIN_SHUTOFF;
    unsigned int activity = flags & (VP_CONNECT_GET_ALL_DOMAINS_STATS_ACTIVE |
                                     VP_CONNECT_GET_ALL_DOMAINS_STATS_INACTIVE);
    if (activity && !(flags & (active ? VP_CONNECT_GET_ALL_DOMAINS_STATS_ACTIVE
                                      : VP_CONNECT_GET_ALL_DOMAINS_STATS_INACTIVE)))
        return 0;
    unsigned int states =
        flags &
        (VP_CONNECT_GET_ALL_DOMAINS_STATS_RUNNING | VP_CONNECT_GET_ALL_DOMAINS_STATS_PAUSED |
         VP_CONNECT_GET_ALL_DOMAINS_STATS_SHUTOFF | VP_CONNECT_GET_ALL_DOMAINS_STATS_OTHER);
    unsigned int bit = state == VP_DOMAIN_RUNNING   ? VP_CONNECT_GET_ALL_DOMAINS_STATS_RUNNING
                       : state == VP_DOMAIN_PAUSED  ? VP_CONNECT_GET_ALL_DOMAINS_STATS_PAUSED
                       : state == VP_DOMAIN_SHUTOFF ? VP_CONNECT_GET_ALL_DOMAINS_STATS_SHUTOFF
                                                    : VP_CONNECT_GET_ALL_DOMAINS_STATS_OTHER;
    return !states || (states & bit);
}

static int
cmd_domstats(vpsh_ctx *ctx, const vpsh_args *a)
{
    unsigned int groups = 0, flags = 0;
    for (size_t i = 0; i < sizeof(group_opts) / sizeof(group_opts[0]); i++)
        if (vpsh_flag(a, group_opts[i].opt))
            groups |= group_opts[i].group;
    for (size_t i = 0; i < sizeof(list_opts) / sizeof(list_opts[0]); i++)
        if (vpsh_flag(a, list_opts[i].opt))
            flags |= list_opts[i].flag;
    if (vpsh_flag(a, "enforce"))
        flags |= VP_CONNECT_GET_ALL_DOMAINS_STATS_ENFORCE_STATS;
    if (ctx->json)
        vpsh_json_begin_array(ctx->js, NULL);
    if (a->npos > 0) {
        int printed = 0;
        for (size_t i = 0; i < a->npos; i++) {
            _cleanup_(vp_domain_freep) vp_domain *dom = NULL;
            _cleanup_(vp_typed_params_freep) vp_typed_params *p = NULL;
            if (vpsh_domain(ctx, a->pos[i], &dom) != 0)
                return VPSH_EXIT_FAIL;
            int wanted = filter_wanted(dom, flags);
            if (wanted < 0)
                return vpsh_fail();
            if (!wanted)
                continue;
            if (vp_domain_get_stats(dom, groups,
                                    flags & VP_CONNECT_GET_ALL_DOMAINS_STATS_ENFORCE_STATS, &p) < 0)
                return vpsh_fail();
            domstats_print(ctx, dom, p, printed++ == 0);
        }
    } else {
        vp_conn *conn;
        if (vpsh_conn(ctx, &conn) != 0)
            return VPSH_EXIT_FAIL;
        vp_domain_stats **records = NULL;
        int n = vp_conn_get_all_domain_stats(conn, groups, flags, &records);
        if (n < 0)
            return vpsh_fail();
        for (int i = 0; i < n; i++)
            domstats_print(ctx, vp_domain_stats_get_domain(records[i]),
                           vp_domain_stats_get_params(records[i]), i == 0);
        vp_domain_stats_list_free(records);
    }
    if (ctx->json)
        vpsh_json_end_array(ctx->js);
    return VPSH_EXIT_OK;
}

/* ---- dommemstat ------------------------------------------------------------ */

/* virsh's memory-stat tags, in its order, and the balloon keys they are. */
static const struct {
    const char *tag, *key;
} memstat_tags[] = {
    {"actual", "balloon.current"},
    {"swap_in", "balloon.swap_in"},
    {"swap_out", "balloon.swap_out"},
    {"major_fault", "balloon.major_fault"},
    {"minor_fault", "balloon.minor_fault"},
    {"unused", "balloon.unused"},
    {"available", "balloon.available"},
    {"usable", "balloon.usable"},
    {"last_update", "balloon.last-update"},
    {"disk_caches", "balloon.disk_caches"},
    {"hugetlb_pgalloc", "balloon.hugetlb_pgalloc"},
    {"hugetlb_pgfail", "balloon.hugetlb_pgfail"},
    {"rss", "balloon.rss"},
};

static const vpsh_opt dommemstat_opts[] = {
    {"period", "NUMBER", false, "period in seconds to set collection",
     "setting the balloon's collection period is not supported yet"},
    {"config", NULL, false, "affect next boot", "not supported yet"},
    {"live", NULL, false, "affect running domain (the default)", NULL},
    {"current", NULL, false, "affect current domain (the default)", NULL},
    {NULL, NULL, false, NULL, NULL},
};

int
vpsh_domain_stats(vpsh_ctx *ctx, const char *name, unsigned int group, vp_domain **ret_dom,
                  vp_typed_params **ret_params)
{
    _cleanup_(vp_domain_freep) vp_domain *dom = NULL;
    if (vpsh_domain(ctx, name, &dom) != 0)
        return VPSH_EXIT_FAIL;
    if (vp_domain_get_stats(dom, group | VP_DOMAIN_STATS_STATE, 0, ret_params) < 0)
        return vpsh_fail();
    *ret_dom = VP_STEAL_PTR(dom);
    return VPSH_EXIT_OK;
}

/* VPSH_EXIT_FAIL with virsh's two lines (@what, then why) unless the
 * domain of @p runs. */
static int
require_active(const vp_typed_params *p, const char *what)
{
    long long state = 0;
    if (vp_typed_params_get_llong(p, "state.state", &state) == 1 && state == VP_DOMAIN_SHUTOFF)
        return vpsh_failf("%s\nerror: Requested operation is not valid: domain is not running",
                          what);
    return VPSH_EXIT_OK;
}

static int
cmd_dommemstat(vpsh_ctx *ctx, const vpsh_args *a)
{
    _cleanup_(vp_domain_freep) vp_domain *dom = NULL;
    _cleanup_(vp_typed_params_freep) vp_typed_params *p = NULL;
    int r = vpsh_domain_stats(ctx, a->pos[0], VP_DOMAIN_STATS_BALLOON, &dom, &p);
    if (r != VPSH_EXIT_OK)
        return r;
    _cleanup_free_ char *what =
        vp_asprintf("Failed to get memory statistics for domain %s", vp_domain_get_name(dom));
    if ((r = require_active(p, what)) != VPSH_EXIT_OK)
        return r;
    if (ctx->json)
        vpsh_json_begin_object(ctx->js, NULL);
    for (size_t i = 0; i < sizeof(memstat_tags) / sizeof(memstat_tags[0]); i++) {
        unsigned long long v;
        if (vp_typed_params_get_ullong(p, memstat_tags[i].key, &v) != 1)
            continue;
        if (ctx->json)
            vpsh_json_uint(ctx->js, memstat_tags[i].tag, v);
        else
            printf("%s %llu\n", memstat_tags[i].tag, v);
    }
    if (ctx->json)
        vpsh_json_end_object(ctx->js);
    return VPSH_EXIT_OK;
}

/* ---- domblkstat and domifstat ------------------------------------------------ */

/* A device's counters: the key suffix after "block.N.", virsh's name and
 * its --human text. */
typedef struct counter {
    const char *suffix, *name, *human;
} counter;

static const counter blk_counters[] = {
    {"rd.reqs", "rd_req", "number of read operations:"},
    {"rd.bytes", "rd_bytes", "number of bytes read:"},
    {"wr.reqs", "wr_req", "number of write operations:"},
    {"wr.bytes", "wr_bytes", "number of bytes written:"},
    {"errors", "errs", "error count:"},
    {"fl.reqs", "flush_operations", "number of flush operations:"},
    {"rd.times", "rd_total_times", "total duration of reads (ns):"},
    {"wr.times", "wr_total_times", "total duration of writes (ns):"},
    {"fl.times", "flush_total_times", "total duration of flushes (ns):"},
    {NULL, NULL, NULL},
};

static const counter net_counters[] = {
    {"rx.bytes", "rx_bytes", NULL},
    {"rx.pkts", "rx_packets", NULL},
    {"rx.errs", "rx_errs", NULL},
    {"rx.drop", "rx_drop", NULL},
    {"tx.bytes", "tx_bytes", NULL},
    {"tx.pkts", "tx_packets", NULL},
    {"tx.errs", "tx_errs", NULL},
    {"tx.drop", "tx_drop", NULL},
    {NULL, NULL, NULL},
};

/* Sum the counters of the devices of @prefix ("block") whose name or path
 * is @device (NULL: every device) into @sum (-1: absent). Returns how
 * many devices matched. */
static int
sum_counters(const vp_typed_params *p, const char *prefix, const char *device, const counter *c,
             long long *sum)
{
    unsigned long long count = 0;
    _cleanup_free_ char *count_key = vp_asprintf("%s.count", prefix);
    vp_typed_params_get_ullong(p, count_key, &count);
    int matched = 0;
    for (unsigned long long d = 0; d < count; d++) {
        _cleanup_free_ char *name_key = vp_asprintf("%s.%llu.name", prefix, d);
        _cleanup_free_ char *path_key = vp_asprintf("%s.%llu.path", prefix, d);
        const char *name = NULL, *path = NULL;
        vp_typed_params_get_string(p, name_key, &name);
        vp_typed_params_get_string(p, path_key, &path);
        if (device && !(name && strcmp(name, device) == 0) && !(path && strcmp(path, device) == 0))
            continue;
        matched++;
        for (size_t k = 0; c[k].suffix; k++) {
            _cleanup_free_ char *key = vp_asprintf("%s.%llu.%s", prefix, d, c[k].suffix);
            unsigned long long v;
            if (vp_typed_params_get_ullong(p, key, &v) == 1)
                sum[k] = (sum[k] < 0 ? 0 : sum[k]) + (long long)v;
        }
    }
    return matched;
}

static void
print_counters(vpsh_ctx *ctx, const char *device, const counter *c, const long long *sum,
               bool human)
{
    if (ctx->json) {
        vpsh_json_begin_object(ctx->js, NULL);
        vpsh_json_string(ctx->js, "device", device);
        for (size_t k = 0; c[k].suffix; k++)
            if (sum[k] >= 0)
                vpsh_json_int(ctx->js, c[k].name, sum[k]);
        vpsh_json_end_object(ctx->js);
        return;
    }
    if (human)
        printf("Device: %s\n", device);
    for (size_t k = 0; c[k].suffix; k++) {
        if (sum[k] < 0)
            continue;
        if (human)
            printf(" %-31s %lld\n", c[k].human, sum[k]);
        else
            printf("%s %s %lld\n", device, c[k].name, sum[k]);
    }
}

static const vpsh_opt domblkstat_opts[] = {
    {"human", NULL, false, "print a more human readable output", NULL},
    {NULL, NULL, false, NULL, NULL},
};

static int
cmd_domblkstat(vpsh_ctx *ctx, const vpsh_args *a)
{
    _cleanup_(vp_domain_freep) vp_domain *dom = NULL;
    _cleanup_(vp_typed_params_freep) vp_typed_params *p = NULL;
    int r = vpsh_domain_stats(ctx, a->pos[0], VP_DOMAIN_STATS_BLOCK, &dom, &p);
    if (r != VPSH_EXIT_OK)
        return r;
    const char *device = a->npos > 1 && *a->pos[1] ? a->pos[1] : NULL;
    long long sum[16];
    for (size_t k = 0; k < 16; k++)
        sum[k] = -1;
    int n = sum_counters(p, "block", device, blk_counters, sum);
    _cleanup_free_ char *what = vp_asprintf("Failed to get block stats %s %s",
                                            vp_domain_get_name(dom), device ? device : "");
    if ((r = require_active(p, what)) != VPSH_EXIT_OK)
        return r;
    if (device && n == 0)
        return vpsh_failf("%s\nerror: invalid argument: invalid path: %s", what, device);
    print_counters(ctx, device ? device : "", blk_counters, sum, vpsh_flag(a, "human"));
    return VPSH_EXIT_OK;
}

static int
cmd_domifstat(vpsh_ctx *ctx, const vpsh_args *a)
{
    _cleanup_(vp_domain_freep) vp_domain *dom = NULL;
    _cleanup_(vp_typed_params_freep) vp_typed_params *p = NULL;
    int r = vpsh_domain_stats(ctx, a->pos[0], VP_DOMAIN_STATS_INTERFACE, &dom, &p);
    if (r != VPSH_EXIT_OK)
        return r;
    long long sum[16];
    for (size_t k = 0; k < 16; k++)
        sum[k] = -1;
    _cleanup_free_ char *what =
        vp_asprintf("Failed to get interface stats %s %s", vp_domain_get_name(dom), a->pos[1]);
    if ((r = require_active(p, what)) != VPSH_EXIT_OK)
        return r;
    if (sum_counters(p, "net", a->pos[1], net_counters, sum) == 0)
        return vpsh_failf("%s\nerror: invalid argument: '%s' is not a known interface", what,
                          a->pos[1]);
    print_counters(ctx, a->pos[1], net_counters, sum, false);
    return VPSH_EXIT_OK;
}

/* ---- the host ------------------------------------------------------------------ */

/* The number option @name as virsh reads it (absent: -1, all), and the
 * connection. */
static int
node_verb_begin(vpsh_ctx *ctx, const vpsh_args *a, const char *name, int *ret_which,
                vp_conn **ret_conn)
{
    const char *v = vpsh_opt_value(a, name);
    *ret_which = -1;
    if (v) {
        char *end;
        errno = 0;
        long n = strtol(v, &end, 10);
        if (errno || end == v || *end || n < 0 || n > INT_MAX)
            return vpsh_usage(
                a->cmd, "Numeric value '%s' for <%s> option is malformed or out of range", v, name);
        *ret_which = (int)n;
    }
    return vpsh_conn(ctx, ret_conn) != 0 ? VPSH_EXIT_FAIL : VPSH_EXIT_OK;
}

static const vpsh_opt nodememstats_opts[] = {
    {"cell", "NUMBER", false, "prints specified cell statistics only.", NULL},
    {NULL, NULL, false, NULL, NULL},
};

static int
cmd_nodememstats(vpsh_ctx *ctx, const vpsh_args *a)
{
    int cell;
    vp_conn *conn;
    int r = node_verb_begin(ctx, a, "cell", &cell, &conn);
    if (r != VPSH_EXIT_OK)
        return r;
    _cleanup_(vp_typed_params_freep) vp_typed_params *p = NULL;
    if (vp_node_get_memory_stats(conn, cell, 0, &p) < 0)
        return vpsh_fail();
    if (ctx->json) {
        json_params(ctx->js, NULL, p);
        return VPSH_EXIT_OK;
    }
    for (int i = 0; i < vp_typed_params_count(p); i++) {
        unsigned long long v = 0;
        vp_typed_params_get_ullong(p, vp_typed_params_field(p, i), &v);
        printf("%-7s: %20llu KiB\n", vp_typed_params_field(p, i), v);
    }
    return VPSH_EXIT_OK;
}

/* virsh's rows of nodecpustats: its name of each of libvirt's keys. */
static const struct {
    const char *key, *label;
} cpu_rows[] = {{"user", "user:"}, {"kernel", "system:"}, {"idle", "idle:"}, {"iowait", "iowait:"}};
#define N_CPU_ROWS (sizeof(cpu_rows) / sizeof(cpu_rows[0]))

static int
cpu_sample(vp_conn *conn, int cpu, unsigned long long *v, bool *present)
{
    _cleanup_(vp_typed_params_freep) vp_typed_params *p = NULL;
    if (vp_node_get_cpu_stats(conn, cpu, 0, &p) < 0)
        return vpsh_fail();
    for (size_t i = 0; i < N_CPU_ROWS; i++)
        present[i] = vp_typed_params_get_ullong(p, cpu_rows[i].key, &v[i]) == 1;
    return VPSH_EXIT_OK;
}

static const vpsh_opt nodecpustats_opts[] = {
    {"cpu", "NUMBER", false, "prints specified cpu statistics only.", NULL},
    {"percent", NULL, false, "prints by percentage during 1 second.", NULL},
    {NULL, NULL, false, NULL, NULL},
};

static int
cmd_nodecpustats(vpsh_ctx *ctx, const vpsh_args *a)
{
    int cpu;
    vp_conn *conn;
    int r = node_verb_begin(ctx, a, "cpu", &cpu, &conn);
    if (r != VPSH_EXIT_OK)
        return r;
    unsigned long long v1[N_CPU_ROWS] = {0}, v2[N_CPU_ROWS] = {0};
    bool present[N_CPU_ROWS];
    if (cpu_sample(conn, cpu, v1, present) != VPSH_EXIT_OK)
        return VPSH_EXIT_FAIL;
    bool percent = vpsh_flag(a, "percent");
    if (!percent) {
        if (ctx->json)
            vpsh_json_begin_object(ctx->js, NULL);
        for (size_t i = 0; i < N_CPU_ROWS; i++) {
            if (!present[i])
                continue;
            if (ctx->json)
                vpsh_json_uint(ctx->js, cpu_rows[i].key, v1[i]);
            else
                printf("%-15s %20llu\n", cpu_rows[i].label, v1[i]);
        }
        if (ctx->json)
            vpsh_json_end_object(ctx->js);
        return VPSH_EXIT_OK;
    }
    sleep(1); /* virsh's interval */
    if (cpu_sample(conn, cpu, v2, present) != VPSH_EXIT_OK)
        return VPSH_EXIT_FAIL;
    double d[N_CPU_ROWS], total = 0;
    for (size_t i = 0; i < N_CPU_ROWS; i++) {
        d[i] = (double)(v2[i] - v1[i]);
        total += d[i];
    }
    double usage = (d[0] + d[1]) / total * 100; /* user + system; 0/0 prints -nan as virsh */
    if (ctx->json) {
        vpsh_json_begin_object(ctx->js, NULL);
        char buf[64];
        snprintf(buf, sizeof(buf), "%.1f", total > 0 ? usage : 0.0);
        vpsh_json_raw(ctx->js, "usage", buf);
        for (size_t i = 0; i < N_CPU_ROWS; i++) {
            snprintf(buf, sizeof(buf), "%.1f", total > 0 ? d[i] / total * 100 : 0.0);
            vpsh_json_raw(ctx->js, cpu_rows[i].key, buf);
        }
        vpsh_json_end_object(ctx->js);
        return VPSH_EXIT_OK;
    }
    printf("%-15s %5.1lf%%\n", "usage:", usage);
    for (size_t i = 0; i < N_CPU_ROWS; i++)
        printf("%-15s %5.1lf%%\n", cpu_rows[i].label, d[i] / total * 100);
    return VPSH_EXIT_OK;
}

static int
cmd_sysinfo(vpsh_ctx *ctx, const vpsh_args *a)
{
    vp_conn *conn;
    if (vpsh_conn(ctx, &conn) != 0)
        return VPSH_EXIT_FAIL;
    _cleanup_free_ char *xml = NULL;
    if (vp_conn_get_sysinfo(conn, 0, &xml) < 0)
        return vpsh_fail();
    if (ctx->json) {
        vpsh_json_begin_object(ctx->js, NULL);
        vpsh_json_string(ctx->js, "sysinfo", xml);
        vpsh_json_end_object(ctx->js);
    } else {
        fputs(xml, stdout);
    }
    return VPSH_EXIT_OK;
}

const vpsh_cmd vpsh_stats_cmds[] = {
    {"domstats", "[DOMAIN]...", "get statistics about one or multiple domains", domstats_opts, 0,
     VPSH_MAX_ARGS, cmd_domstats, NULL, 0},
    {"dommemstat", "DOMAIN", "get memory statistics for a domain", dommemstat_opts, 1, 1,
     cmd_dommemstat, "domain", 0},
    {"domblkstat", "DOMAIN [DEVICE]", "get device block stats for a domain", domblkstat_opts, 1, 2,
     cmd_domblkstat, "domain device", 0},
    {"domifstat", "DOMAIN INTERFACE", "get network interface stats for a domain", NULL, 2, 2,
     cmd_domifstat, "domain interface", 0},
    {"nodememstats", "", "prints memory stats of the node.", nodememstats_opts, 0, 0,
     cmd_nodememstats, NULL, 0},
    {"nodecpustats", "", "prints cpu stats of the node.", nodecpustats_opts, 0, 0, cmd_nodecpustats,
     NULL, 0},
    {"sysinfo", "", "print the hypervisor sysinfo", NULL, 0, 0, cmd_sysinfo, NULL, 0},
    {"domblkinfo", "DOMAIN [DEVICE]", "domain block device size information", vpsh_domblkinfo_opts,
     1, 2, vpsh_cmd_domblkinfo, "domain device", 0},
    {"domblkerror", "DOMAIN", "show errors on block devices", NULL, 1, 1, vpsh_cmd_domblkerror,
     "domain", 0},
    {"vcpuinfo", "DOMAIN", "detailed domain vcpu information", vpsh_vcpuinfo_opts, 1, 1,
     vpsh_cmd_vcpuinfo, "domain", 0},
    {NULL, NULL, NULL, NULL, 0, 0, NULL, NULL, 0},
};
