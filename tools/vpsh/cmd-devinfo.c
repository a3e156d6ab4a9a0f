/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Copyright (C) 2026 The virtplug developers */
/*
 * cmd-devinfo.c: the vpsh verbs that describe a domain's disks and vCPUs
 * one by one (domblkinfo, domblkerror, vcpuinfo).
 *
 * Owns virsh's layouts of these verbs (its "Capacity:" lines and table,
 * its "vda: no space" lines, its "VCPU:" records with the CPU map of 'y'
 * and '-') and their JSON documents. As the other per-device verbs, each
 * picks its values out of the domain's statistics (virtplug-stats.h: the
 * block group's sizes and errors, the vcpu group's CPU and affinity)
 * rather than asking a slot of its own. It never changes a domain.
 */
#include <config.h>

#include <stdlib.h>
#include <string.h>

#include "vpsh.h"

static bool
is_active(const vp_typed_params *p)
{
    long long state = VP_DOMAIN_SHUTOFF;
    vp_typed_params_get_llong(p, "state.state", &state);
    return state != VP_DOMAIN_SHUTOFF;
}

/* The value of "PREFIX.N.FIELD", or NULL / false when absent. */
static const char *
key_string(const vp_typed_params *p, const char *prefix, unsigned long long n, const char *field)
{
    _cleanup_free_ char *key = vp_asprintf("%s.%llu.%s", prefix, n, field);
    const char *v = NULL;
    return vp_typed_params_get_string(p, key, &v) == 1 ? v : NULL;
}

static bool
key_ullong(const vp_typed_params *p, const char *prefix, unsigned long long n, const char *field,
           unsigned long long *ret_value)
{
    _cleanup_free_ char *key = vp_asprintf("%s.%llu.%s", prefix, n, field);
    return vp_typed_params_get_ullong(p, key, ret_value) == 1;
}

static bool
key_llong(const vp_typed_params *p, const char *prefix, unsigned long long n, const char *field,
          long long *ret_value)
{
    _cleanup_free_ char *key = vp_asprintf("%s.%llu.%s", prefix, n, field);
    return vp_typed_params_get_llong(p, key, ret_value) == 1;
}

static unsigned long long
count_of(const vp_typed_params *p, const char *key)
{
    unsigned long long n = 0;
    vp_typed_params_get_ullong(p, key, &n);
    return n;
}

/* ---- domblkinfo -------------------------------------------------------------- */

/* One disk's sizes; all 0 when it has no source (virsh then prints "-"). */
typedef struct blk_sizes {
    unsigned long long v[3]; /* capacity, allocation, physical */
} blk_sizes;

static const char *const size_fields[3] = {"capacity", "allocation", "physical"};

/* virsh's vshPrettyCapacity: the largest binary unit below the value. */
static char *
pretty_size(unsigned long long bytes)
{
    static const char *const units[] = {"B", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB"};
    double v = (double)bytes;
    size_t u = 0;
    while (u + 1 < sizeof(units) / sizeof(units[0]) && v >= 1024) {
        v /= 1024;
        u++;
    }
    return vp_asprintf("%.3f %s", v, units[u]);
}

static char *
size_text(const blk_sizes *s, size_t i, bool human)
{
    if (!s->v[0] && !s->v[1] && !s->v[2])
        return vp_strdup("-");
    return human ? pretty_size(s->v[i]) : vp_asprintf("%llu", s->v[i]);
}

static void
sizes_json(vpsh_json *js, const char *device, const blk_sizes *s)
{
    vpsh_json_begin_object(js, NULL);
    vpsh_json_string(js, "device", device);
    for (size_t i = 0; i < 3; i++)
        vpsh_json_uint(js, size_fields[i], s->v[i]);
    vpsh_json_end_object(js);
}

/* The sizes of disk @d; VPSH_EXIT_FAIL when the driver has none for a
 * disk with a source. */
static int
disk_sizes(const vp_typed_params *p, unsigned long long d, blk_sizes *ret_sizes)
{
    *ret_sizes = (blk_sizes){{0, 0, 0}};
    if (!key_string(p, "block", d, "path"))
        return VPSH_EXIT_OK;
    for (size_t i = 0; i < 3; i++)
        if (!key_ullong(p, "block", d, size_fields[i], &ret_sizes->v[i]))
            return vpsh_failc(VP_ERR_NOT_SUPPORTED,
                              "not supported yet: the driver reports no %s of disk '%s'",
                              size_fields[i], key_string(p, "block", d, "name"));
    return VPSH_EXIT_OK;
}

static int
blkinfo_all(vpsh_ctx *ctx, const vp_typed_params *p, bool human)
{
    static const char *const headers[] = {"Target", "Capacity", "Allocation", "Physical"};
    _cleanup_(vpsh_table_freep) vpsh_table *t = vpsh_table_new(4, headers);
    unsigned long long n = count_of(p, "block.count");
    if (ctx->json)
        vpsh_json_begin_array(ctx->js, NULL);
    for (unsigned long long d = 0; d < n; d++) {
        blk_sizes s;
        if (disk_sizes(p, d, &s) != VPSH_EXIT_OK)
            return VPSH_EXIT_FAIL;
        const char *name = key_string(p, "block", d, "name");
        if (ctx->json) {
            sizes_json(ctx->js, name, &s);
            continue;
        }
        _cleanup_free_ char *c = size_text(&s, 0, human);
        _cleanup_free_ char *a = size_text(&s, 1, human);
        _cleanup_free_ char *ph = size_text(&s, 2, human);
        const char *row[] = {name, c, a, ph};
        vpsh_table_add(t, row);
    }
    if (ctx->json)
        vpsh_json_end_array(ctx->js);
    else
        vpsh_table_print(t, stdout, !ctx->quiet);
    return VPSH_EXIT_OK;
}

/* The disk whose target or source is @device, as libvirt looks it up. */
static int
blkinfo_one(vpsh_ctx *ctx, const vp_typed_params *p, const char *device, bool human)
{
    unsigned long long n = count_of(p, "block.count"), d;
    for (d = 0; d < n; d++) {
        const char *name = key_string(p, "block", d, "name");
        const char *path = key_string(p, "block", d, "path");
        if ((name && strcmp(name, device) == 0) || (path && strcmp(path, device) == 0))
            break;
    }
    if (d == n)
        return vpsh_failc(VP_ERR_INVALID_ARG,
                          "invalid argument: invalid path %s not assigned to domain", device);
    if (!key_string(p, "block", d, "path"))
        return vpsh_failc(VP_ERR_INVALID_ARG,
                          "invalid argument: disk '%s' does not currently have a source assigned",
                          device);
    blk_sizes s;
    if (disk_sizes(p, d, &s) != VPSH_EXIT_OK)
        return VPSH_EXIT_FAIL;
    if (ctx->json) {
        sizes_json(ctx->js, key_string(p, "block", d, "name"), &s);
        return VPSH_EXIT_OK;
    }
    static const char *const labels[3] = {"Capacity", "Allocation", "Physical"};
    for (size_t i = 0; i < 3; i++) {
        _cleanup_free_ char *text = size_text(&s, i, human);
        vpsh_kv(labels[i], "%s", text);
    }
    return VPSH_EXIT_OK;
}

const vpsh_opt vpsh_domblkinfo_opts[] = {
    {"human", NULL, false, "Human readable output", NULL},
    {"all", NULL, false, "display all block devices info", NULL},
    {NULL, NULL, false, NULL, NULL},
};

int
vpsh_cmd_domblkinfo(vpsh_ctx *ctx, const vpsh_args *a)
{
    const char *device = a->npos > 1 ? a->pos[1] : NULL;
    bool all = vpsh_flag(a, "all");
    if (device && all)
        return vpsh_usage(a->cmd, "Options --all and --device are mutually exclusive");
    _cleanup_(vp_domain_freep) vp_domain *dom = NULL;
    _cleanup_(vp_typed_params_freep) vp_typed_params *p = NULL;
    int r = vpsh_domain_stats(ctx, a->pos[0], VP_DOMAIN_STATS_BLOCK, &dom, &p);
    if (r != VPSH_EXIT_OK)
        return r;
    if (!device && !all)
        return vpsh_usage(a->cmd, "command 'domblkinfo' requires <device> option");
    if (all)
        return blkinfo_all(ctx, p, vpsh_flag(a, "human"));
    return blkinfo_one(ctx, p, device, vpsh_flag(a, "human"));
}

/* ---- domblkerror ------------------------------------------------------------- */

/* libvirt's virDomainDiskErrorCode, as virsh names each. */
static const char *
disk_error_name(long long code)
{
    switch (code) {
    case 0:
        return "no error";
    case 2:
        return "no space";
    default:
        return "unspecified error";
    }
}

int
vpsh_cmd_domblkerror(vpsh_ctx *ctx, const vpsh_args *a)
{
    _cleanup_(vp_domain_freep) vp_domain *dom = NULL;
    _cleanup_(vp_typed_params_freep) vp_typed_params *p = NULL;
    int r = vpsh_domain_stats(ctx, a->pos[0], VP_DOMAIN_STATS_BLOCK, &dom, &p);
    if (r != VPSH_EXIT_OK)
        return r;
    if (!is_active(p))
        return vpsh_failc(VP_ERR_OPERATION_INVALID,
                          "Requested operation is not valid: domain is not running");
    unsigned long long n = count_of(p, "block.count");
    int errors = 0;
    if (ctx->json)
        vpsh_json_begin_array(ctx->js, NULL);
    for (unsigned long long d = 0; d < n; d++) {
        long long code = 0;
        if (!key_llong(p, "block", d, "error", &code) || code == 0)
            continue;
        const char *name = key_string(p, "block", d, "name");
        errors++;
        if (ctx->json) {
            vpsh_json_begin_object(ctx->js, NULL);
            vpsh_json_string(ctx->js, "disk", name);
            vpsh_json_string(ctx->js, "error", disk_error_name(code));
            vpsh_json_end_object(ctx->js);
        } else {
            printf("%s: %s\n", name, disk_error_name(code));
        }
    }
    if (ctx->json)
        vpsh_json_end_array(ctx->js);
    else if (errors == 0)
        printf("No errors found\n");
    return VPSH_EXIT_OK;
}

/* ---- vcpuinfo ------------------------------------------------------------------- */

/* virsh's virshDomainVcpuStateToString. */
static const char *
vcpu_state_name(long long state)
{
    switch (state) {
    case 0:
        return "offline";
    case 1:
        return "running";
    case 2:
        return "blocked";
    default:
        return "no state";
    }
}

/* A CPU map of 'y' and '-' as a list of ranges ("0-3,6"), as libvirt's
 * virBitmapDataFormat. (transfer full) */
static char *
cpumap_ranges(const char *map)
{
    size_t len = strlen(map), i = 0;
    _cleanup_free_ char *out = vp_strdup("");
    while (i < len) {
        if (map[i] != 'y') {
            i++;
            continue;
        }
        size_t j = i;
        while (j + 1 < len && map[j + 1] == 'y')
            j++;
        char *next = j == i ? vp_asprintf("%s%s%zu", out, *out ? "," : "", i)
                            : vp_asprintf("%s%s%zu-%zu", out, *out ? "," : "", i, j);
        free(out);
        out = next;
        i = j + 1;
    }
    return VP_STEAL_PTR(out);
}

static void
vcpu_json(vpsh_json *js, const vp_typed_params *p, unsigned long long i, bool active)
{
    const char *map = key_string(p, "vcpu", i, "affinity");
    long long v;
    unsigned long long t;
    vpsh_json_begin_object(js, NULL);
    vpsh_json_uint(js, "vcpu", i);
    if (active && key_llong(p, "vcpu", i, "cpu", &v))
        vpsh_json_int(js, "cpu", v);
    else
        vpsh_json_null(js, "cpu");
    if (active && key_llong(p, "vcpu", i, "state", &v))
        vpsh_json_string(js, "state", vcpu_state_name(v));
    else
        vpsh_json_null(js, "state");
    if (active && key_ullong(p, "vcpu", i, "time", &t))
        vpsh_json_uint(js, "cpu_time_ns", t);
    else
        vpsh_json_null(js, "cpu_time_ns");
    if (map) {
        _cleanup_free_ char *ranges = cpumap_ranges(map);
        vpsh_json_string(js, "affinity", ranges);
        vpsh_json_uint(js, "host_cpus", strlen(map));
    }
    vpsh_json_end_object(js);
}

static void
vcpu_text(const vp_typed_params *p, unsigned long long i, bool active, bool pretty)
{
    long long cpu, state;
    unsigned long long t;
    printf("%-15s %llu\n", "VCPU:", i);
    if (active && key_llong(p, "vcpu", i, "state", &state)) {
        if (key_llong(p, "vcpu", i, "cpu", &cpu))
            printf("%-15s %lld\n", "CPU:", cpu);
        else
            printf("%-15s %s\n", "CPU:", "N/A");
        printf("%-15s %s\n", "State:", vcpu_state_name(state));
        if (key_ullong(p, "vcpu", i, "time", &t) && t != 0)
            printf("%-15s %.1fs\n", "CPU time:", (double)t / 1e9);
    } else {
        /* virsh's own spelling: no colon after "CPU time" here. */
        printf("%-15s %s\n%-15s %s\n%-15s %s\n", "CPU:", "N/A", "State:", "N/A", "CPU time", "N/A");
    }
    const char *map = key_string(p, "vcpu", i, "affinity");
    if (!map)
        return;
    if (pretty) {
        _cleanup_free_ char *ranges = cpumap_ranges(map);
        printf("%-15s %s (out of %zu)\n", "CPU Affinity:", ranges, strlen(map));
    } else {
        printf("%-15s %s\n", "CPU Affinity:", map);
    }
}

const vpsh_opt vpsh_vcpuinfo_opts[] = {
    {"pretty", NULL, false, "return human readable output", NULL},
    {NULL, NULL, false, NULL, NULL},
};

int
vpsh_cmd_vcpuinfo(vpsh_ctx *ctx, const vpsh_args *a)
{
    _cleanup_(vp_domain_freep) vp_domain *dom = NULL;
    _cleanup_(vp_typed_params_freep) vp_typed_params *p = NULL;
    int r = vpsh_domain_stats(ctx, a->pos[0], VP_DOMAIN_STATS_VCPU, &dom, &p);
    if (r != VPSH_EXIT_OK)
        return r;
    bool active = is_active(p);
    unsigned long long current = count_of(p, "vcpu.current");
    unsigned long long maximum = count_of(p, "vcpu.maximum");
    if (!current)
        return vpsh_failc(VP_ERR_NOT_SUPPORTED,
                          "not supported yet: the driver reports no vCPUs of domain '%s'",
                          vp_domain_get_name(dom));
    if (ctx->json)
        vpsh_json_begin_array(ctx->js, NULL);
    /* Hot-plugged vCPUs may leave gaps: the ones the driver names. */
    unsigned long long shown = 0;
    for (unsigned long long i = 0; i < maximum && shown < current; i++) {
        long long state;
        if (!key_string(p, "vcpu", i, "affinity") && !key_llong(p, "vcpu", i, "state", &state))
            continue;
        if (ctx->json) {
            vcpu_json(ctx->js, p, i, active);
        } else {
            if (shown > 0)
                printf("\n");
            vcpu_text(p, i, active, vpsh_flag(a, "pretty"));
        }
        shown++;
    }
    if (ctx->json)
        vpsh_json_end_array(ctx->js);
    return VPSH_EXIT_OK;
}
