/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Copyright (C) 2026 The virtplug developers */
/*
 * check-driver.c: the kit's generic checks of a hypervisor driver through
 * a URI it serves: open, list, lookup of each domain, state, domain XML
 * that the core parser accepts and that round-trips, the identity and
 * runtime-data slots (UUID, ID, info) agreeing with the rest, errors on
 * unknown names, and several threads listing and querying one connection at once.
 *
 * Owns only read-only checks: it never defines, starts or changes a
 * domain, so it can run against a real host's URI.
 */
#include <config.h>

#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>

#include <virtplug/sdk/conf.h>

#include "kit.h"

/* At most this many domains are checked one by one. */
#define KIT_MAX_DOMAINS 64
/* Rounds of the concurrency check in each thread. */
#define KIT_THREAD_ROUNDS 20

static bool
names_sorted(vp_domain **doms)
{
    for (size_t i = 0; doms[i] && doms[i + 1]; i++)
        if (strcmp(vp_domain_get_name(doms[i]), vp_domain_get_name(doms[i + 1])) >= 0)
            return false;
    return true;
}

/* Domain XML: the core parser accepts it, it names the domain, and
 * format(parse(xml)) is a fixed point. */
static void
check_domain_xml(const char *name, const char *xml)
{
    vp_domain_def *def = NULL, *def2 = NULL;
    _cleanup_free_ char *once = NULL, *twice = NULL;
    int r = vp_plugin_domain_def_parse(xml, 0, &def);
    if (!kit_check(r >= 0, "domain '%s': dumpxml is accepted by the core parser", name)) {
        kit_diag("%s", kit_error_message());
        return;
    }
    kit_check(def->name && strcmp(def->name, name) == 0, "domain '%s': its XML names it", name);
    r = vp_plugin_domain_def_format(def, 0, &once);
    if (r >= 0)
        r = vp_plugin_domain_def_parse(once, 0, &def2);
    if (r >= 0)
        r = vp_plugin_domain_def_format(def2, 0, &twice);
    if (!kit_check(r >= 0 && strcmp(once, twice) == 0, "domain '%s': its XML round-trips", name))
        kit_diag("%s", r < 0 ? kit_error_message() : "format(parse(x)) differs from x");
    vp_plugin_domain_def_free(def);
    vp_plugin_domain_def_free(def2);
}

/* The identity slots (ABI 1.1) agree with each other, with the domain's
 * XML and with its state; each is checked only when the driver fills it. */
static void
check_domain_identity(vp_conn *conn, vp_domain *dom, const char *name, int state, const char *xml)
{
    char uuid[VP_UUID_STRING_BUFLEN];
    vp_domain *found = NULL;
    if (vp_domain_get_uuid_string(dom, uuid) >= 0) {
        vp_domain_def *def = NULL;
        if (xml && vp_plugin_domain_def_parse(xml, 0, &def) >= 0) {
            char want[VP_UUID_STRING_BUFLEN];
            vp_plugin_uuid_format(def->uuid, want);
            kit_check(strcmp(uuid, want) == 0, "domain '%s': its uuid %s is the one of its XML",
                      name, uuid);
            vp_plugin_domain_def_free(def);
        }
        int r = vp_domain_lookup_by_uuid_string(conn, uuid, &found);
        if (r != VP_ERR_NOT_SUPPORTED &&
            !kit_check(r >= 0 && strcmp(vp_domain_get_name(found), name) == 0,
                       "domain '%s': lookup by uuid finds it", name))
            kit_diag("%s", kit_error_message());
        vp_domain_free(VP_STEAL_PTR(found));
    }
    int id = -2;
    int r = vp_domain_get_id(dom, &id);
    if (r >= 0 && state >= 0) {
        bool active = state != VP_DOMAIN_SHUTOFF;
        kit_check(active ? id >= 0 : id == -1, "domain '%s': id %d while %s", name, id,
                  vp_domain_state_name(state));
        if (id >= 0) {
            r = vp_domain_lookup_by_id(conn, id, &found);
            if (r != VP_ERR_NOT_SUPPORTED &&
                !kit_check(r >= 0 && strcmp(vp_domain_get_name(found), name) == 0,
                           "domain '%s': lookup by id %d finds it", name, id))
                kit_diag("%s", kit_error_message());
            vp_domain_free(found);
        }
    }
    vp_domain_info info = {.size = sizeof(info)};
    r = vp_domain_get_info(dom, &info);
    if (r != VP_ERR_NOT_SUPPORTED &&
        !kit_check(r >= 0 && info.state >= 0 && info.state < VP_DOMAIN_LAST && info.vcpus > 0 &&
                       info.max_memory_kib > 0 &&
                       (info.state != VP_DOMAIN_SHUTOFF || info.cpu_time_ns == 0),
                   "domain '%s': info (state %d, %u vCPUs, %llu KiB, CPU time 0 when shut off)",
                   name, info.state, info.vcpus, (unsigned long long)info.max_memory_kib))
        kit_diag("%s", r < 0 ? kit_error_message() : "a field is out of range");
}

void
kit_check_domain(vp_conn *conn, const char *name)
{
    vp_domain *dom = NULL;
    int r = vp_domain_lookup_by_name(conn, name, &dom);
    if (r != VP_ERR_NOT_SUPPORTED &&
        !kit_check(r >= 0, "domain '%s': lookup by name finds it", name)) {
        kit_diag("%s", kit_error_message());
        return;
    }
    if (!dom)
        return;
    int state = -1, reason = -1;
    r = vp_domain_get_state(dom, &state, &reason, 0);
    if (r != VP_ERR_NOT_SUPPORTED &&
        !kit_check(r >= 0 && state >= 0 && state < VP_DOMAIN_LAST, "domain '%s': state %d (%s)",
                   name, state, vp_domain_state_name(state)))
        kit_diag("%s", kit_error_message());
    char *xml = NULL;
    r = vp_domain_get_xml(dom, 0, &xml);
    if (r >= 0)
        check_domain_xml(name, xml);
    else if (r != VP_ERR_NOT_SUPPORTED)
        kit_check(false, "domain '%s': dumpxml: %s", name, kit_error_message());
    check_domain_identity(conn, dom, name, state, xml);
    free(xml);
    vp_domain_free(dom);
}

/* Count the domains that match @flags, or the error. */
static int
count_domains(vp_conn *conn, unsigned int flags)
{
    vp_domain **doms = NULL;
    int n = vp_conn_list_domains(conn, flags, &doms);
    vp_domain_list_free(doms);
    return n;
}

static void
check_lists(vp_conn *conn, vp_domain **doms, int n)
{
    kit_check(names_sorted(doms), "list: %d domains, sorted by name, no duplicates", n);
    int active = count_domains(conn, VP_LIST_DOMAINS_ACTIVE);
    int inactive = count_domains(conn, VP_LIST_DOMAINS_INACTIVE);
    if (!kit_check(active >= 0 && inactive >= 0 && active + inactive == n,
                   "list: %d active + %d inactive = %d", active, inactive, n))
        kit_diag("%s", kit_error_message());
    int num = vp_conn_num_of_domains(conn);
    if (num != VP_ERR_NOT_SUPPORTED)
        kit_check(num == active, "number of running domains %d equals the active list", num);
}

static void
check_unknown_names(vp_conn *conn)
{
    static const char unknown[] = "virtplug-check-no-such-domain";
    vp_domain *dom = NULL;
    int r = vp_domain_lookup_by_name(conn, unknown, &dom);
    if (r == VP_ERR_NOT_SUPPORTED) {
        kit_skip("lookup is not implemented", "lookup of an unknown name");
        return;
    }
    const vp_error *err = vp_error_last();
    if (!kit_check(r == VP_ERR_NO_DOMAIN && !dom && err && strstr(err->message, unknown),
                   "lookup of an unknown name fails with VP_ERR_NO_DOMAIN naming it"))
        kit_diag("got %s: %s", vp_error_code_name(r), kit_error_message());
    vp_domain_free(dom);
}

void
kit_group_driver(void)
{
    vp_registry_entry *e = NULL;
    if (kit_load(&e) < 0) {
        kit_skip("it does not load", "driver checks");
        vp_registry_entry_free(e);
        return;
    }
    vp_conn *conn = NULL;
    int r = vp_conn_open(kit_opts.uri, 0, &conn);
    if (!kit_check(r >= 0, "opens '%s'", kit_opts.uri)) {
        kit_diag("%s: %s", vp_error_code_name(r), kit_error_message());
        vp_registry_entry_free(e);
        return;
    }
    kit_check(strcmp(vp_conn_get_driver_name(conn), e->name) == 0,
              "the connection's driver is '%s'", e->name);
    vp_domain **doms = NULL;
    int n = vp_conn_list_domains(conn, 0, &doms);
    if (n == VP_ERR_NOT_SUPPORTED) {
        kit_check(false, "list all domains");
        kit_diag("a hypervisor driver must implement conn_list_domains");
    } else if (kit_check(n >= 0, "list all domains")) {
        check_lists(conn, doms, n);
        for (int i = 0; i < n && i < KIT_MAX_DOMAINS; i++)
            kit_check_domain(conn, vp_domain_get_name(doms[i]));
        if (n == 0)
            kit_skip("it lists no domains: define one, or run with --lifecycle XML",
                     "per-domain checks (lookup, state, XML)");
    } else {
        kit_diag("%s", kit_error_message());
    }
    vp_domain_list_free(doms);
    check_unknown_names(conn);
    vp_conn_close(conn);
    vp_registry_entry_free(e);
}

/* ---- Concurrency ---------------------------------------------------- */

typedef struct thread_ctx {
    vp_conn *shared;
    atomic_uint failures;
    pthread_mutex_t lock;
    char *first_failure; /* guarded by lock */
} thread_ctx;

static void
thread_fail(thread_ctx *ctx, const char *what)
{
    atomic_fetch_add(&ctx->failures, 1);
    pthread_mutex_lock(&ctx->lock);
    if (!ctx->first_failure)
        ctx->first_failure = vp_asprintf("%s: %s", what, kit_error_message());
    pthread_mutex_unlock(&ctx->lock);
}

/* One round: list, then look up and query every domain. */
static void
thread_round(thread_ctx *ctx, vp_conn *conn)
{
    vp_domain **doms = NULL;
    int n = vp_conn_list_domains(conn, 0, &doms);
    if (n < 0 && n != VP_ERR_NOT_SUPPORTED)
        thread_fail(ctx, "list");
    for (int i = 0; i < n && i < KIT_MAX_DOMAINS; i++) {
        vp_domain *dom = NULL;
        int r = vp_domain_lookup_by_name(conn, vp_domain_get_name(doms[i]), &dom);
        if (r < 0 && r != VP_ERR_NOT_SUPPORTED)
            thread_fail(ctx, "lookup");
        int state;
        r = vp_domain_get_state(doms[i], &state, NULL, 0);
        if (r < 0 && r != VP_ERR_NOT_SUPPORTED)
            thread_fail(ctx, "get_state");
        char *xml = NULL;
        r = vp_domain_get_xml(doms[i], 0, &xml);
        if (r < 0 && r != VP_ERR_NOT_SUPPORTED)
            thread_fail(ctx, "dumpxml");
        free(xml);
        vp_domain_free(dom);
    }
    vp_domain_list_free(doms);
}

static void *
thread_main(void *arg)
{
    thread_ctx *ctx = arg;
    vp_conn *own = NULL;
    if (vp_conn_open(kit_opts.uri, 0, &own) < 0)
        thread_fail(ctx, "open");
    for (unsigned int i = 0; i < KIT_THREAD_ROUNDS; i++) {
        thread_round(ctx, ctx->shared);
        if (own && i % 4 == 0)
            thread_round(ctx, own);
    }
    vp_conn_close(own);
    return NULL;
}

void
kit_group_threads(void)
{
    vp_registry_entry *e = NULL;
    thread_ctx ctx = {.failures = 0};
    pthread_mutex_init(&ctx.lock, NULL);
    if (kit_load(&e) < 0 || vp_conn_open(kit_opts.uri, 0, &ctx.shared) < 0) {
        kit_skip("it does not load or open", "concurrency");
        vp_registry_entry_free(e);
        return;
    }
    pthread_t *tids = vp_new0(pthread_t, kit_opts.threads);
    unsigned int started = 0;
    for (; started < kit_opts.threads; started++)
        if (pthread_create(&tids[started], NULL, thread_main, &ctx) != 0)
            break;
    for (unsigned int i = 0; i < started; i++)
        pthread_join(tids[i], NULL);
    free(tids);
    unsigned int failures = atomic_load(&ctx.failures);
    if (!kit_check(started == kit_opts.threads && failures == 0,
                   "%u threads open, list, look up and query at once, %d rounds each", started,
                   KIT_THREAD_ROUNDS))
        kit_diag("%u calls failed; the first: %s", failures,
                 ctx.first_failure ? ctx.first_failure : "(none: a thread did not start)");
    free(ctx.first_failure);
    pthread_mutex_destroy(&ctx.lock);
    vp_conn_close(ctx.shared);
    vp_registry_entry_free(e);
}
