/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Copyright (C) 2026 The virtplug developers */
/*
 * stats.c: runtime statistics (virtplug-stats.h): the typed-parameter
 * list, the drivers' builders of it (sdk/stats.h), and the public entry
 * points that hand a fresh list to the stats slots.
 *
 * The list is opaque so that it may grow types without an ABI change;
 * drivers only append. The policy shared by every driver lives here:
 * which groups "0" means, which domains a filter keeps, and what an
 * enforced group the driver lacks is. It never reads the host itself:
 * the local readers are in host-stats.c.
 */
#include <config.h>

#include <assert.h>
#include <limits.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <virtplug/sdk/stats.h>

#include "internal.h"
#include "node-info.h"

#define FIELD_MAX_BYTES 256

typedef struct typed_param {
    char *field;
    int type;
    union {
        long long l;
        unsigned long long u;
        double d;
        char *s;
    } v;
} typed_param;

struct vp_typed_params {
    typed_param *items;
    size_t n, alloc;
};

struct vp_domain_stats {
    vp_domain *dom;
    vp_typed_params *params;
};

vp_typed_params *
vpi_typed_params_new(void)
{
    return vp_new0(vp_typed_params, 1);
}

VP_EXPORT void
vp_typed_params_free(vp_typed_params *params)
{
    if (!params)
        return;
    for (size_t i = 0; i < params->n; i++) {
        free(params->items[i].field);
        if (params->items[i].type == VP_TYPED_PARAM_STRING)
            free(params->items[i].v.s);
    }
    free(params->items);
    free(params);
}
VP_DEFINE_CLEANUP(vp_typed_params, vp_typed_params_free)

/* A new entry of @type named by @fmt; its value is the caller's to set. */
__attribute__((format(printf, 3, 0))) static typed_param *
params_append(vp_typed_params *params, int type, const char *fmt, va_list ap)
{
    assert(params);
    if (params->n == params->alloc) {
        params->alloc = params->alloc ? params->alloc * 2 : 16;
        params->items = vp_renew(typed_param, params->items, params->alloc);
    }
    char field[FIELD_MAX_BYTES];
    vsnprintf(field, sizeof(field), fmt, ap);
    typed_param *p = &params->items[params->n++];
    *p = (typed_param){.field = vp_strdup(field), .type = type};
    return p;
}

#define DEFINE_ADD(suffix, ctype, TYPE, member)                                                    \
    VP_EXPORT void vp_plugin_typed_params_add_##suffix(vp_typed_params *params, ctype value,       \
                                                       const char *field_fmt, ...)                 \
    {                                                                                              \
        va_list ap;                                                                                \
        va_start(ap, field_fmt);                                                                   \
        params_append(params, TYPE, field_fmt, ap)->v.member = value;                              \
        va_end(ap);                                                                                \
    }
DEFINE_ADD(ullong, unsigned long long, VP_TYPED_PARAM_ULLONG, u)
DEFINE_ADD(llong, long long, VP_TYPED_PARAM_LLONG, l)
DEFINE_ADD(uint, unsigned int, VP_TYPED_PARAM_UINT, u)
DEFINE_ADD(int, int, VP_TYPED_PARAM_INT, l)
DEFINE_ADD(double, double, VP_TYPED_PARAM_DOUBLE, d)

VP_EXPORT void
vp_plugin_typed_params_add_string(vp_typed_params *params, const char *value, const char *field_fmt,
                                  ...)
{
    va_list ap;
    va_start(ap, field_fmt);
    params_append(params, VP_TYPED_PARAM_STRING, field_fmt, ap)->v.s =
        vp_strdup(value ? value : "");
    va_end(ap);
}

/* ---- reading -------------------------------------------------------------- */

VP_EXPORT int
vp_typed_params_count(const vp_typed_params *params)
{
    return params ? (int)params->n : 0;
}

static const typed_param *
at(const vp_typed_params *params, int index)
{
    return params && index >= 0 && (size_t)index < params->n ? &params->items[index] : NULL;
}

VP_EXPORT const char *
vp_typed_params_field(const vp_typed_params *params, int index)
{
    const typed_param *p = at(params, index);
    return p ? p->field : NULL;
}

VP_EXPORT int
vp_typed_params_type(const vp_typed_params *params, int index)
{
    VPI_ERROR_RESET();
    const typed_param *p = at(params, index);
    if (!p)
        return vp_error_set(VP_ERR_INVALID_ARG, "no typed parameter at index %d", index);
    return p->type;
}

/* The entry of key @field: 1 and *@ret, 0 when absent, or an error. */
static int
find(const vp_typed_params *params, const char *field, const typed_param **ret)
{
    VPI_ERROR_RESET();
    vp_return_if_fail(params, "params");
    vp_return_if_fail(field, "field");
    for (size_t i = 0; i < params->n; i++)
        if (strcmp(params->items[i].field, field) == 0) {
            *ret = &params->items[i];
            return 1;
        }
    return 0;
}

static bool
is_signed(int type)
{
    return type == VP_TYPED_PARAM_INT || type == VP_TYPED_PARAM_LLONG;
}

static bool
is_integer(int type)
{
    return is_signed(type) || type == VP_TYPED_PARAM_UINT || type == VP_TYPED_PARAM_ULLONG ||
           type == VP_TYPED_PARAM_BOOLEAN;
}

static int
wrong_type(const typed_param *p, const char *want)
{
    return vp_error_set(VP_ERR_INVALID_ARG, "typed parameter '%s' is not %s", p->field, want);
}

VP_EXPORT int
vp_typed_params_get_ullong(const vp_typed_params *params, const char *field,
                           unsigned long long *ret_value)
{
    const typed_param *p = NULL;
    int r = find(params, field, &p);
    if (r <= 0)
        return r;
    vp_return_if_fail(ret_value, "ret_value");
    if (!is_integer(p->type) || (is_signed(p->type) && p->v.l < 0))
        return wrong_type(p, "a number of zero or more");
    *ret_value = is_signed(p->type) ? (unsigned long long)p->v.l : p->v.u;
    return 1;
}

VP_EXPORT int
vp_typed_params_get_llong(const vp_typed_params *params, const char *field, long long *ret_value)
{
    const typed_param *p = NULL;
    int r = find(params, field, &p);
    if (r <= 0)
        return r;
    vp_return_if_fail(ret_value, "ret_value");
    if (!is_integer(p->type) || (!is_signed(p->type) && p->v.u > (unsigned long long)LLONG_MAX))
        return wrong_type(p, "a signed number");
    *ret_value = is_signed(p->type) ? p->v.l : (long long)p->v.u;
    return 1;
}

VP_EXPORT int
vp_typed_params_get_double(const vp_typed_params *params, const char *field, double *ret_value)
{
    const typed_param *p = NULL;
    int r = find(params, field, &p);
    if (r <= 0)
        return r;
    vp_return_if_fail(ret_value, "ret_value");
    if (p->type == VP_TYPED_PARAM_DOUBLE)
        *ret_value = p->v.d;
    else if (is_signed(p->type))
        *ret_value = (double)p->v.l;
    else if (is_integer(p->type))
        *ret_value = (double)p->v.u;
    else
        return wrong_type(p, "a number");
    return 1;
}

VP_EXPORT int
vp_typed_params_get_string(const vp_typed_params *params, const char *field, const char **ret_value)
{
    const typed_param *p = NULL;
    int r = find(params, field, &p);
    if (r <= 0)
        return r;
    vp_return_if_fail(ret_value, "ret_value");
    if (p->type != VP_TYPED_PARAM_STRING)
        return wrong_type(p, "a string");
    *ret_value = p->v.s;
    return 1;
}

VP_EXPORT int
vp_typed_params_format_value(const vp_typed_params *params, int index, char **ret_text)
{
    VPI_ERROR_RESET();
    vp_return_if_fail(ret_text, "ret_text");
    const typed_param *p = at(params, index);
    if (!p)
        return vp_error_set(VP_ERR_INVALID_ARG, "no typed parameter at index %d", index);
    switch (p->type) {
    case VP_TYPED_PARAM_INT:
    case VP_TYPED_PARAM_LLONG:
        *ret_text = vp_asprintf("%lld", p->v.l);
        break;
    case VP_TYPED_PARAM_DOUBLE:
        *ret_text = vp_asprintf("%f", p->v.d);
        break;
    case VP_TYPED_PARAM_BOOLEAN:
        *ret_text = vp_strdup(p->v.u ? "yes" : "no");
        break;
    case VP_TYPED_PARAM_STRING:
        *ret_text = vp_strdup(p->v.s);
        break;
    default:
        *ret_text = vp_asprintf("%llu", p->v.u);
        break;
    }
    return 0;
}

/* ---- domains -------------------------------------------------------------- */

#define ALL_GROUPS ((unsigned int)VP_DOMAIN_STATS_LAST - 1)

static const char *const group_names[] = {"state", "cpu-total", "balloon",
                                          "vcpu",  "interface", "block"};

static int
check_groups(unsigned int groups)
{
    if (groups & ~ALL_GROUPS)
        return vp_error_set(VP_ERR_INVALID_ARG, "unknown domain statistics groups 0x%x",
                            groups & ~ALL_GROUPS);
    return 0;
}

/* Ask the driver for @groups of @dom into a new list. */
static int
domain_stats(vp_domain *dom, unsigned int groups, bool enforce, vp_typed_params **ret_params)
{
    VPI_HV_SLOT(dom->conn, domain_get_stats, "domain-get-stats");
    VPI_DOMAIN_CHECK(dom);
    unsigned int want = groups ? groups : ALL_GROUPS;
    _cleanup_(vp_typed_params_freep) vp_typed_params *params = vpi_typed_params_new();
    int known = vpi_slot_result(
        dom->conn->hv_plugin, "domain-get-stats",
        dom->conn->hv->domain_get_stats(dom->conn->hv_priv, dom->name, want, 0, params));
    if (known < 0)
        return known;
    unsigned int missing = want & ~(unsigned int)known;
    if (enforce && missing) {
        size_t g = 0;
        while (!(missing & (1u << g)))
            g++;
        return vp_error_set(VP_ERR_NOT_SUPPORTED,
                            "driver '%s' has no statistics of group '%s' (asked for with "
                            "enforce)",
                            dom->conn->hv_plugin->name, group_names[g]);
    }
    *ret_params = VP_STEAL_PTR(params);
    return 0;
}

VP_EXPORT int
vp_domain_get_stats(vp_domain *dom, unsigned int groups, unsigned int flags,
                    vp_typed_params **ret_params)
{
    VPI_ERROR_RESET();
    vp_return_if_fail(dom, "dom");
    vp_return_if_fail(ret_params, "ret_params");
    if (flags & ~(unsigned int)VP_CONNECT_GET_ALL_DOMAINS_STATS_ENFORCE_STATS)
        return vp_error_set(VP_ERR_INVALID_ARG, "vp_domain_get_stats: unsupported flags 0x%x",
                            flags);
    int r = check_groups(groups);
    if (r < 0)
        return r;
    return vpi_result(domain_stats(
        dom, groups, flags & VP_CONNECT_GET_ALL_DOMAINS_STATS_ENFORCE_STATS, ret_params));
}

VP_EXPORT vp_domain *
vp_domain_stats_get_domain(const vp_domain_stats *record)
{
    return record ? record->dom : NULL;
}

VP_EXPORT const vp_typed_params *
vp_domain_stats_get_params(const vp_domain_stats *record)
{
    return record ? record->params : NULL;
}

VP_EXPORT void
vp_domain_stats_list_free(vp_domain_stats **records)
{
    if (!records)
        return;
    for (vp_domain_stats **r = records; *r; r++) {
        vp_domain_free((*r)->dom);
        vp_typed_params_free((*r)->params);
        free(*r);
    }
    free(records);
}

#define STATE_FLAGS                                                                                \
    (VP_CONNECT_GET_ALL_DOMAINS_STATS_RUNNING | VP_CONNECT_GET_ALL_DOMAINS_STATS_PAUSED |          \
     VP_CONNECT_GET_ALL_DOMAINS_STATS_SHUTOFF | VP_CONNECT_GET_ALL_DOMAINS_STATS_OTHER)

/* Whether a domain in @state passes the state filter of @flags. */
static bool
state_wanted(unsigned int flags, int state)
{
    if (!(flags & STATE_FLAGS))
        return true;
    unsigned int bit = state == VP_DOMAIN_RUNNING   ? VP_CONNECT_GET_ALL_DOMAINS_STATS_RUNNING
                       : state == VP_DOMAIN_PAUSED  ? VP_CONNECT_GET_ALL_DOMAINS_STATS_PAUSED
                       : state == VP_DOMAIN_SHUTOFF ? VP_CONNECT_GET_ALL_DOMAINS_STATS_SHUTOFF
                                                    : VP_CONNECT_GET_ALL_DOMAINS_STATS_OTHER;
    return flags & bit;
}

/* The work of one vp_conn_get_all_domain_stats call, shared by its
 * threads: each takes the next domain until none is left. */
typedef struct all_stats_job {
    vp_domain **doms;
    vp_typed_params **params; /* per domain; NULL: left out */
    int n;
    atomic_int next;
    unsigned int groups, flags;
    pthread_mutex_t lock;
    vp_error *error; /* the first failure, in its thread's words */
} all_stats_job;

/* Fill job->params[i]: 0, or a failure other than "undefined meanwhile". */
static int
one_domain(all_stats_job *job, int i)
{
    vp_domain *dom = job->doms[i];
    if (job->flags & STATE_FLAGS) {
        int state = 0, reason;
        int r = vp_domain_get_state(dom, &state, &reason, 0);
        if (r < 0 || !state_wanted(job->flags, state))
            return r == VP_ERR_NO_DOMAIN ? 0 : r;
    }
    int r =
        domain_stats(dom, job->groups, job->flags & VP_CONNECT_GET_ALL_DOMAINS_STATS_ENFORCE_STATS,
                     &job->params[i]);
    return r == VP_ERR_NO_DOMAIN ? 0 : r;
}

static void *
all_stats_worker(void *data)
{
    all_stats_job *job = data;
    for (int i; (i = atomic_fetch_add(&job->next, 1)) < job->n;) {
        pthread_mutex_lock(&job->lock);
        bool failed = job->error != NULL;
        pthread_mutex_unlock(&job->lock);
        if (failed)
            break;
        if (one_domain(job, i) < 0) {
            pthread_mutex_lock(&job->lock);
            if (!job->error)
                job->error = vp_error_copy(vp_error_last());
            pthread_mutex_unlock(&job->lock);
            break;
        }
    }
    return NULL;
}

/* The domains are asked in parallel: a driver's answer mostly waits on
 * its hypervisor (a QMP round trip per domain), and libvirt's own loop is
 * the figure to beat. */
#define ALL_STATS_THREADS 8

VP_EXPORT int
vp_conn_get_all_domain_stats(vp_conn *conn, unsigned int groups, unsigned int flags,
                             vp_domain_stats ***ret_records)
{
    VPI_ERROR_RESET();
    vp_return_if_fail(conn, "conn");
    vp_return_if_fail(ret_records, "ret_records");
    const unsigned int known_flags = VP_CONNECT_GET_ALL_DOMAINS_STATS_ACTIVE |
                                     VP_CONNECT_GET_ALL_DOMAINS_STATS_INACTIVE | STATE_FLAGS |
                                     VP_CONNECT_GET_ALL_DOMAINS_STATS_ENFORCE_STATS;
    if (flags & ~known_flags)
        return vp_error_set(VP_ERR_INVALID_ARG,
                            "vp_conn_get_all_domain_stats: unsupported flags 0x%x",
                            flags & ~known_flags);
    int r = check_groups(groups);
    if (r < 0)
        return r;
    VPI_HV_SLOT(conn, domain_get_stats, "domain-get-stats");
    vp_domain **doms = NULL;
    unsigned int list_flags = flags & (VP_LIST_DOMAINS_ACTIVE | VP_LIST_DOMAINS_INACTIVE);
    int n = vp_conn_list_domains(conn, list_flags, &doms);
    if (n < 0)
        return n;
    all_stats_job job = {.doms = doms,
                         .params = vp_new0(vp_typed_params *, (size_t)n + 1),
                         .n = n,
                         .groups = groups,
                         .flags = flags};
    pthread_mutex_init(&job.lock, NULL);
    pthread_t threads[ALL_STATS_THREADS];
    int n_threads = 0;
    for (; n_threads < ALL_STATS_THREADS && n_threads < n - 1; n_threads++)
        if (pthread_create(&threads[n_threads], NULL, all_stats_worker, &job) != 0)
            break;
    all_stats_worker(&job); /* this thread works too */
    for (int t = 0; t < n_threads; t++)
        pthread_join(threads[t], NULL);
    pthread_mutex_destroy(&job.lock);

    vp_domain_stats **records = vp_new0(vp_domain_stats *, (size_t)n + 1);
    int kept = 0;
    for (int i = 0; i < n; i++) {
        if (!job.params[i])
            continue;
        records[kept] = vp_new0(vp_domain_stats, 1);
        records[kept]->dom = VP_STEAL_PTR(doms[i]);
        records[kept++]->params = job.params[i];
    }
    free(job.params);
    for (int i = 0; i < n; i++) /* not vp_domain_list_free: the stolen ones end it early */
        vp_domain_free(doms[i]);
    free(doms);
    if (job.error) {
        vp_domain_stats_list_free(records);
        r = vp_error_set(job.error->code, "%s", job.error->message);
        vp_error_free(job.error);
        return r;
    }
    *ret_records = records;
    return vpi_result(kept);
}

/* ---- the host --------------------------------------------------------------- */

typedef int (*node_stats_slot)(void *priv, int which, unsigned int flags, vp_typed_params *params);

/* A node stats slot of @conn for @which (a cell or a CPU, -1: all). */
static int
node_stats(vp_conn *conn, node_stats_slot slot, const char *op, const char *what, int which,
           unsigned int flags, vp_typed_params **ret_params)
{
    VPI_ERROR_RESET();
    vp_return_if_fail(conn, "conn");
    vp_return_if_fail(ret_params, "ret_params");
    vp_return_if_fail(flags == 0, "flags (must be 0)");
    if (which < -1)
        return vp_error_set(VP_ERR_INVALID_ARG, "invalid %s %d", what, which);
    if (!slot)
        return vpi_not_supported(conn->hv_plugin, op);
    _cleanup_(vp_typed_params_freep) vp_typed_params *params = vpi_typed_params_new();
    int r = vpi_slot_result(conn->hv_plugin, op, slot(conn->hv_priv, which, 0, params));
    if (r < 0)
        return r;
    *ret_params = VP_STEAL_PTR(params);
    return vpi_result(0);
}

VP_EXPORT int
vp_node_get_memory_stats(vp_conn *conn, int cell, unsigned int flags, vp_typed_params **ret_params)
{
    return node_stats(conn, conn ? conn->hv->node_get_memory_stats : NULL, "node-get-memory-stats",
                      "NUMA cell", cell, flags, ret_params);
}

VP_EXPORT int
vp_node_get_cpu_stats(vp_conn *conn, int cpu, unsigned int flags, vp_typed_params **ret_params)
{
    return node_stats(conn, conn ? conn->hv->node_get_cpu_stats : NULL, "node-get-cpu-stats",
                      "CPU number", cpu, flags, ret_params);
}

VP_EXPORT int
vp_conn_get_sysinfo(vp_conn *conn, unsigned int flags, char **ret_xml)
{
    VPI_ERROR_RESET();
    vp_return_if_fail(conn, "conn");
    vp_return_if_fail(ret_xml, "ret_xml");
    vp_return_if_fail(flags == 0, "flags (must be 0)");
    VPI_HV_SLOT(conn, conn_get_sysinfo, "connect-get-sysinfo");
    return vpi_result(vpi_slot_result(conn->hv_plugin, "connect-get-sysinfo",
                                      conn->hv->conn_get_sysinfo(conn->hv_priv, 0, ret_xml)));
}
