/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Copyright (C) 2026 The virtplug developers */
/*
 * builtin/test/test-domains.c: the test driver's domains.
 *
 * Owns the in-memory domain table of one connection (a hash table keyed by
 * name, guarded by one mutex) and the domain slots of the vtable: define,
 * undefine, the run-state transitions with libvirt's state and reason
 * numbers, state, XML and listing. It never touches the host: nothing here
 * reads or writes a file or starts a process.
 */
#include <config.h>

#include <stdint.h>
#include <time.h>

#include "internal.h"
#include "builtin/test/test-driver.h"
#include "conf/xml-module.h"

#define TEST_INITIAL_BUCKETS 16

/* ---- The table ------------------------------------------------------ */

static uint64_t
name_hash(const char *s)
{
    uint64_t h = 1469598103934665603ull; /* FNV-1a: short names, few cycles */
    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * 1099511628211ull;
    return h;
}

static bool
state_is_active(int state)
{
    return state != VP_DOMAIN_SHUTOFF;
}

test_host *
test_host_new(void)
{
    test_host *host = vp_new0(test_host, 1);
    pthread_mutex_init(&host->lock, NULL);
    atomic_init(&host->n_active, 0);
    host->n_buckets = TEST_INITIAL_BUCKETS;
    host->buckets = vp_new0(test_domain *, host->n_buckets);
    host->next_id = 1;
    atomic_init(&host->generation, 1);
    return host;
}

static void
domain_free(test_domain *dom)
{
    test_domain_snapshots_free(dom);
    vp_plugin_domain_def_free(dom->def);
    vpi_domain_model_free(dom->model);
    vp_plugin_domain_def_free(dom->next_def);
    vpi_domain_model_free(dom->next_model);
    free(dom->managed_save_xml);
    free(dom);
}

void
test_host_free(test_host *host)
{
    if (!host)
        return;
    for (size_t i = 0; i < host->n_buckets; i++) {
        test_domain *dom = host->buckets[i];
        while (dom) {
            test_domain *next = dom->next;
            domain_free(dom);
            dom = next;
        }
    }
    free(host->buckets);
    pthread_mutex_destroy(&host->lock);
    free(host);
}

test_domain *
test_host_find(test_host *host, const char *name)
{
    test_domain *dom = host->buckets[name_hash(name) & (host->n_buckets - 1)];
    while (dom && strcmp(dom->def->name, name) != 0)
        dom = dom->next;
    return dom;
}

int
test_host_get(test_host *host, const char *name, test_domain **ret_dom)
{
    test_domain *dom = test_host_find(host, name);
    if (!dom)
        return vp_error_set(VP_ERR_NO_DOMAIN, "no domain named '%s'", name);
    *ret_dom = dom;
    return 0;
}

static void
host_insert(test_host *host, test_domain *dom)
{
    test_domain **head = &host->buckets[name_hash(dom->def->name) & (host->n_buckets - 1)];
    dom->next = *head;
    *head = dom;
}

static void
host_grow(test_host *host)
{
    test_domain **old = host->buckets;
    size_t n_old = host->n_buckets;
    host->n_buckets *= 2;
    host->buckets = vp_new0(test_domain *, host->n_buckets);
    for (size_t i = 0; i < n_old; i++) {
        test_domain *dom = old[i];
        while (dom) {
            test_domain *next = dom->next;
            host_insert(host, dom);
            dom = next;
        }
    }
    free(old);
}

static void
host_remove(test_host *host, test_domain *dom)
{
    test_domain **p = &host->buckets[name_hash(dom->def->name) & (host->n_buckets - 1)];
    while (*p != dom)
        p = &(*p)->next;
    *p = dom->next;
    host->n_domains--;
    if (state_is_active(dom->state))
        atomic_fetch_sub_explicit(&host->n_active, 1, memory_order_relaxed);
    /* The name may now be given to another domain: handles check again. */
    atomic_fetch_add_explicit(&host->generation, 1, memory_order_release);
    vp_plugin_event_emit(host->sink, dom->def->name, dom->def->uuid, VP_DOMAIN_EVENT_UNDEFINED,
                         VP_DOMAIN_EVENT_UNDEFINED_REMOVED);
    domain_free(dom);
}

static int64_t
now_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

/* The simulated guest keeps one vCPU busy while it runs: its CPU time is
 * the time it spent running since it started. */
static uint64_t
domain_cpu_ns(const test_domain *dom)
{
    if (!state_is_active(dom->state))
        return 0;
    int64_t ns = dom->cpu_ns;
    if (dom->state == VP_DOMAIN_RUNNING)
        ns += now_ns() - dom->run_since_ns;
    return (uint64_t)ns;
}

static void
domain_set_state(test_host *host, test_domain *dom, int state, int reason)
{
    bool was = state_is_active(dom->state), is = state_is_active(state);
    dom->cpu_ns = !was ? 0 : (int64_t)domain_cpu_ns(dom);
    if (state == VP_DOMAIN_RUNNING)
        dom->run_since_ns = now_ns();
    if (was != is)
        atomic_fetch_add_explicit(&host->n_active, is ? 1 : -1, memory_order_relaxed);
    if (!was && is)
        dom->id = host->next_id++;
    else if (!is)
        dom->id = -1;
    vp_plugin_event_emit_transition(host->sink, dom->def->name, dom->def->uuid, dom->state, state,
                                    reason);
    dom->state = state;
    dom->reason = reason;
    if (!is && dom->next_def) {
        /* Shut off: the definition its next start uses is the one left. */
        vp_plugin_domain_def_free(dom->def);
        vpi_domain_model_free(dom->model);
        dom->def = VP_STEAL_PTR(dom->next_def);
        dom->model = VP_STEAL_PTR(dom->next_model);
    }
    if (!is && dom->transient)
        host_remove(host, dom); /* a transient domain ends with its run: undefined after stopped */
}

void
test_domain_set_state(test_host *host, test_domain *dom, int state, int reason)
{
    domain_set_state(host, dom, state, reason);
}

/* Another domain than @self that carries @uuid, or NULL. */
static test_domain *
host_find_uuid(test_host *host, const unsigned char uuid[16], const test_domain *self)
{
    for (size_t i = 0; i < host->n_buckets; i++)
        for (test_domain *d = host->buckets[i]; d; d = d->next)
            if (d != self && memcmp(d->def->uuid, uuid, 16) == 0)
                return d;
    return NULL;
}

/* A new domain of @def and @model (taken over), moved to @state. */
static test_domain *
host_add(test_host *host, vp_domain_def *def, vpi_domain_model *model, int state, int reason,
         bool transient)
{
    if (host->n_domains >= host->n_buckets)
        host_grow(host);
    test_domain *dom = vp_new0(test_domain, 1);
    dom->def = def;
    dom->model = model;
    dom->state = VP_DOMAIN_SHUTOFF;
    dom->id = -1;
    dom->transient = transient;
    host_insert(host, dom);
    host->n_domains++;
    domain_set_state(host, dom, state, reason);
    return dom;
}

int
test_host_define(test_host *host, vp_domain_def *def, int state, int reason, const char **ret_name)
{
    return test_host_define_model(host, def, NULL, state, reason, ret_name);
}

int
test_host_define_model(test_host *host, vp_domain_def *def, vpi_domain_model *model, int state,
                       int reason, const char **ret_name)
{
    char uuid[37];
    test_domain *dom = test_host_find(host, def->name);
    if (dom && memcmp(dom->def->uuid, def->uuid, 16) != 0) {
        vp_plugin_uuid_format(dom->def->uuid, uuid);
        vp_plugin_domain_def_free(def);
        vpi_domain_model_free(model);
        return vp_error_set(VP_ERR_EXISTS, "domain '%s' already exists with uuid '%s'",
                            dom->def->name, uuid);
    }
    test_domain *other = host_find_uuid(host, def->uuid, dom);
    if (other) {
        vp_plugin_uuid_format(def->uuid, uuid);
        vp_plugin_domain_def_free(def);
        vpi_domain_model_free(model);
        return vp_error_set(VP_ERR_EXISTS, "domain '%s' already has uuid '%s'", other->def->name,
                            uuid);
    }
    if (dom && state_is_active(dom->state)) {
        /* A running domain keeps what it runs with until it shuts off; a
         * transient one becomes persistent, as in libvirt. */
        dom->transient = false;
        vp_plugin_domain_def_free(dom->next_def);
        vpi_domain_model_free(dom->next_model);
        dom->next_def = def;
        dom->next_model = model;
        vp_plugin_event_emit(host->sink, def->name, def->uuid, VP_DOMAIN_EVENT_DEFINED,
                             VP_DOMAIN_EVENT_DEFINED_UPDATED);
    } else if (dom) {
        /* A redefinition replaces the definition and keeps the run state. */
        vp_plugin_domain_def_free(dom->def);
        vpi_domain_model_free(dom->model);
        dom->def = def;
        dom->model = model;
        vp_plugin_event_emit(host->sink, def->name, def->uuid, VP_DOMAIN_EVENT_DEFINED,
                             VP_DOMAIN_EVENT_DEFINED_UPDATED);
    } else {
        vp_plugin_event_emit(host->sink, def->name, def->uuid, VP_DOMAIN_EVENT_DEFINED,
                             VP_DOMAIN_EVENT_DEFINED_ADDED);
        dom = host_add(host, def, model, state, reason, false);
    }
    if (ret_name)
        *ret_name = dom->def->name;
    return 0;
}

int
test_host_create_model(test_host *host, vp_domain_def *def, vpi_domain_model *model,
                       const char **ret_name)
{
    return test_host_run_model(host, def, model, VP_DOMAIN_RUNNING_BOOTED, "create", ret_name);
}

int
test_host_run_model(test_host *host, vp_domain_def *def, vpi_domain_model *model, int reason,
                    const char *what, const char **ret_name)
{
    char uuid[37];
    test_domain *other = test_host_find(host, def->name);
    if (other && !state_is_active(other->state) && memcmp(other->def->uuid, def->uuid, 16) == 0) {
        /* libvirt: a shut-off persistent domain of the same name and uuid
         * runs @def this time, and keeps its definition for the next. */
        other->next_def = other->def;
        other->next_model = other->model;
        other->def = def;
        other->model = model;
        other->clock_offset_ns = 0;
        other->host_paused_at_ns = 0;
        domain_set_state(host, other, VP_DOMAIN_RUNNING, reason);
        *ret_name = other->def->name;
        return 0;
    }
    if (!other)
        other = host_find_uuid(host, def->uuid, NULL);
    if (other) {
        vp_plugin_uuid_format(other->def->uuid, uuid);
        int r = vp_error_set(VP_ERR_EXISTS,
                             "cannot %s domain '%s': domain '%s' already exists with uuid '%s'",
                             what, def->name, other->def->name, uuid);
        vp_plugin_domain_def_free(def);
        vpi_domain_model_free(model);
        return r;
    }
    /* libvirt reports only the start of a created domain, no definition. */
    test_domain *dom = host_add(host, def, model, VP_DOMAIN_RUNNING, reason, true);
    *ret_name = dom->def->name;
    return 0;
}

int
test_check_flags(const char *op, unsigned int flags, unsigned int allowed)
{
    if (flags & ~allowed)
        return vp_error_set(VP_ERR_INVALID_ARG,
                            "the test driver does not support flags 0x%x of '%s'", flags & ~allowed,
                            op);
    return 0;
}

/* ---- Connection-wide slots ----------------------------------------- */

int
test_conn_num_of_domains(void *priv)
{
    test_host *host = priv;
    return atomic_load_explicit(&host->n_active, memory_order_relaxed);
}

static int
name_cmp(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

int
test_conn_list_domains(void *priv, unsigned int flags, char ***ret_names)
{
    test_host *host = priv;
    int r = test_check_flags("connect-list-domains", flags,
                             VP_LIST_DOMAINS_ACTIVE | VP_LIST_DOMAINS_INACTIVE);
    if (r < 0)
        return r;
    if (flags == 0)
        flags = VP_LIST_DOMAINS_ACTIVE | VP_LIST_DOMAINS_INACTIVE;
    pthread_mutex_lock(&host->lock);
    char **names = vp_new0(char *, host->n_domains + 1);
    size_t n = 0;
    for (size_t i = 0; i < host->n_buckets; i++) {
        for (test_domain *d = host->buckets[i]; d; d = d->next) {
            unsigned int want =
                state_is_active(d->state) ? VP_LIST_DOMAINS_ACTIVE : VP_LIST_DOMAINS_INACTIVE;
            if (flags & want)
                names[n++] = vp_strdup(d->def->name);
        }
    }
    pthread_mutex_unlock(&host->lock);
    qsort(names, n, sizeof(*names), name_cmp);
    *ret_names = names;
    return (int)n;
}

/* ---- Domain slots --------------------------------------------------- */

int
test_domain_lookup(void *priv, const char *name)
{
    test_host *host = priv;
    test_domain *dom = NULL;
    pthread_mutex_lock(&host->lock);
    int r = test_host_get(host, name, &dom);
    pthread_mutex_unlock(&host->lock);
    return r;
}

/* Define (or with @create, create) the domain of @xml. */
static int
define_or_create(test_host *host, const char *xml, unsigned int flags, bool create, char **ret_name)
{
    int r = create ? test_check_flags("domain-create-xml", flags, VP_DOMAIN_START_PAUSED)
                   : test_check_flags("domain-define-xml", flags, 0);
    if (r < 0)
        return r;
    vp_domain_def *def;
    vpi_domain_model *model;
    /* The test driver models the whole of domain XML; outside the lock:
     * parsing is slow. */
    r = vpi_domain_model_parse(xml, &def, &model);
    if (r < 0)
        return r;
    const char *name;
    pthread_mutex_lock(&host->lock);
    if (create) {
        r = test_host_create_model(host, def, model, &name);
        test_domain *dom =
            r < 0 || !(flags & VP_DOMAIN_START_PAUSED) ? NULL : test_host_find(host, name);
        if (dom)
            domain_set_state(host, dom, VP_DOMAIN_PAUSED, VP_DOMAIN_PAUSED_USER);
    } else
        r = test_host_define_model(host, def, model, VP_DOMAIN_SHUTOFF, VP_DOMAIN_SHUTOFF_UNKNOWN,
                                   &name);
    char *copy = r < 0 ? NULL : vp_strdup(name);
    pthread_mutex_unlock(&host->lock);
    if (r < 0)
        return r;
    *ret_name = copy;
    return 0;
}

int
test_domain_define_xml(void *priv, const char *xml, unsigned int flags, char **ret_name)
{
    return define_or_create(priv, xml, flags, false, ret_name);
}

int
test_domain_create_xml(void *priv, const char *xml, unsigned int flags, char **ret_name)
{
    return define_or_create(priv, xml, flags, true, ret_name);
}

/* The state words of the messages below. */
static const char *
state_word(int state)
{
    switch (state) {
    case VP_DOMAIN_PAUSED:
        return "paused";
    case VP_DOMAIN_SHUTOFF:
        return "shut off";
    default:
        return "running";
    }
}

static int
op_undefine(test_host *host, test_domain *dom)
{
    if (state_is_active(dom->state))
        return vp_error_set(VP_ERR_OPERATION_INVALID,
                            "cannot undefine domain '%s': it is %s; destroy it first",
                            dom->def->name, state_word(dom->state));
    if (dom->n_snaps > 0)
        return vp_error_set(VP_ERR_OPERATION_INVALID,
                            "cannot undefine domain '%s': it has %zu snapshots; delete them first",
                            dom->def->name, dom->n_snaps);
    if (dom->managed_save)
        return vp_error_set(
            VP_ERR_OPERATION_INVALID,
            "cannot undefine domain '%s': it has a managed-save image; remove it with 'managedsave-remove', or undefine with --managed-save",
            dom->def->name);
    host_remove(host, dom);
    return 0;
}

static int
op_undefine_managed_save(test_host *host, test_domain *dom)
{
    bool had = dom->managed_save;
    dom->managed_save = false;
    int r = op_undefine(host, dom);
    if (r < 0)
        dom->managed_save = had;
    return r;
}

static int
op_start(test_host *host, test_domain *dom)
{
    if (state_is_active(dom->state))
        return vp_error_set(VP_ERR_OPERATION_INVALID, "domain '%s' is already running",
                            dom->def->name);
    if (dom->managed_save) {
        /* libvirt: a start restores the managed-save image, then drops it. */
        test_domain_restore_managed(host, dom);
        return 0;
    }
    dom->clock_offset_ns = 0; /* a booted guest starts from the host's clock */
    dom->host_paused_at_ns = 0;
    domain_set_state(host, dom, VP_DOMAIN_RUNNING, VP_DOMAIN_RUNNING_BOOTED);
    return 0;
}

/* start --paused: as a start, then the vCPUs stay stopped (libvirt's
 * reason "user"); a managed-save image is restored paused. */
static int
op_start_paused(test_host *host, test_domain *dom)
{
    if (!state_is_active(dom->state) && dom->managed_save)
        dom->managed_save_paused = true;
    int r = op_start(host, dom);
    if (r >= 0 && dom->state != VP_DOMAIN_PAUSED)
        domain_set_state(host, dom, VP_DOMAIN_PAUSED, VP_DOMAIN_PAUSED_USER);
    return r;
}

static int
op_shutdown(test_host *host, test_domain *dom)
{
    if (dom->state == VP_DOMAIN_PAUSED)
        return vp_error_set(VP_ERR_OPERATION_INVALID,
                            "domain '%s' is paused and cannot shut down; resume it first",
                            dom->def->name);
    if (dom->state != VP_DOMAIN_RUNNING)
        return vp_error_set(VP_ERR_OPERATION_INVALID, "domain '%s' is not running", dom->def->name);
    domain_set_state(host, dom, VP_DOMAIN_SHUTOFF, VP_DOMAIN_SHUTOFF_SHUTDOWN);
    return 0;
}

static int
op_destroy(test_host *host, test_domain *dom)
{
    if (!state_is_active(dom->state))
        return vp_error_set(VP_ERR_OPERATION_INVALID, "domain '%s' is not running", dom->def->name);
    domain_set_state(host, dom, VP_DOMAIN_SHUTOFF, VP_DOMAIN_SHUTOFF_DESTROYED);
    return 0;
}

static int
op_suspend(test_host *host, test_domain *dom)
{
    if (dom->state == VP_DOMAIN_PAUSED)
        return vp_error_set(VP_ERR_OPERATION_INVALID, "domain '%s' is already paused",
                            dom->def->name);
    if (dom->state != VP_DOMAIN_RUNNING)
        return vp_error_set(VP_ERR_OPERATION_INVALID, "domain '%s' is not running", dom->def->name);
    domain_set_state(host, dom, VP_DOMAIN_PAUSED, VP_DOMAIN_PAUSED_USER);
    return 0;
}

static int
op_resume(test_host *host, test_domain *dom)
{
    if (!state_is_active(dom->state))
        return vp_error_set(VP_ERR_OPERATION_INVALID, "domain '%s' is not running", dom->def->name);
    if (dom->state != VP_DOMAIN_PAUSED)
        return vp_error_set(VP_ERR_OPERATION_INVALID, "domain '%s' is not paused", dom->def->name);
    domain_set_state(host, dom, VP_DOMAIN_RUNNING, VP_DOMAIN_RUNNING_UNPAUSED);
    return 0;
}

/* Run @fn on domain @name under the host's lock. */
static int
domain_op_flags(void *priv, const char *name, unsigned int flags, unsigned int allowed,
                const char *op, int (*fn)(test_host *, test_domain *))
{
    test_host *host = priv;
    int r = test_check_flags(op, flags, allowed);
    if (r < 0)
        return r;
    test_domain *dom = NULL;
    pthread_mutex_lock(&host->lock);
    r = test_host_get(host, name, &dom);
    if (r >= 0)
        r = fn(host, dom);
    pthread_mutex_unlock(&host->lock);
    return r;
}

int
test_domain_op(void *priv, const char *name, unsigned int flags, const char *op,
               int (*fn)(test_host *, test_domain *))
{
    return domain_op_flags(priv, name, flags, 0, op, fn);
}

int
test_domain_undefine(void *priv, const char *name, unsigned int flags)
{
    return domain_op_flags(priv, name, flags, VP_DOMAIN_UNDEFINE_MANAGED_SAVE, "domain-undefine",
                           flags & VP_DOMAIN_UNDEFINE_MANAGED_SAVE ? op_undefine_managed_save
                                                                   : op_undefine);
}

int
test_domain_start(void *priv, const char *name, unsigned int flags)
{
    return domain_op_flags(priv, name, flags, VP_DOMAIN_START_PAUSED, "domain-start",
                           flags & VP_DOMAIN_START_PAUSED ? op_start_paused : op_start);
}

int
test_domain_shutdown(void *priv, const char *name, unsigned int flags)
{
    /* The test guest powers off at the request: waiting or not, the call
     * returns with the domain shut off, as libvirt's test driver does. */
    return domain_op_flags(priv, name, flags,
                           VP_DOMAIN_SHUTDOWN_WAIT | VP_DOMAIN_SHUTDOWN_ACPI_POWER_BTN |
                               VP_DOMAIN_SHUTDOWN_GUEST_AGENT,
                           "domain-shutdown", op_shutdown);
}

int
test_domain_destroy(void *priv, const char *name, unsigned int flags)
{
    /* The simulated guest has no process to end gently or by force. */
    return domain_op_flags(priv, name, flags, VP_DOMAIN_DESTROY_GRACEFUL, "domain-destroy",
                           op_destroy);
}

int
test_domain_suspend(void *priv, const char *name, unsigned int flags)
{
    return test_domain_op(priv, name, flags, "domain-suspend", op_suspend);
}

int
test_domain_resume(void *priv, const char *name, unsigned int flags)
{
    return test_domain_op(priv, name, flags, "domain-resume", op_resume);
}

int
test_domain_get_state(void *priv, const char *name, int *ret_state, int *ret_reason,
                      unsigned int flags)
{
    test_host *host = priv;
    if (__builtin_expect(flags != 0, 0))
        return test_check_flags("domain-get-state", flags, 0);
    pthread_mutex_lock(&host->lock);
    test_domain *dom = test_host_find(host, name);
    int state = dom ? dom->state : 0, reason = dom ? dom->reason : 0;
    pthread_mutex_unlock(&host->lock);
    if (!dom)
        return vp_error_set(VP_ERR_NO_DOMAIN, "no domain named '%s'", name);
    *ret_state = state;
    *ret_reason = reason;
    return 0;
}

int
test_domain_get_xml(void *priv, const char *name, unsigned int flags, char **ret_xml)
{
    test_host *host = priv;
    int r = test_check_flags("domain-get-xml", flags, VP_DOMAIN_XML_INACTIVE);
    if (r < 0)
        return r;
    test_domain *dom = NULL;
    pthread_mutex_lock(&host->lock);
    r = test_host_get(host, name, &dom);
    bool next = r >= 0 && (flags & VP_DOMAIN_XML_INACTIVE) && dom->next_def;
    const vp_domain_def *def = r < 0 ? NULL : next ? dom->next_def : dom->def;
    const vpi_domain_model *model = r < 0 ? NULL : next ? dom->next_model : dom->model;
    if (r >= 0)
        r = model ? vpi_domain_model_format(model, ret_xml)
                  : vp_plugin_domain_def_format(def, 0, ret_xml);
    pthread_mutex_unlock(&host->lock);
    return r;
}

/* ---- Identity -------------------------------------------------------- */

uint64_t
test_conn_get_generation(void *priv)
{
    test_host *host = priv;
    return atomic_load_explicit(&host->generation, memory_order_acquire);
}

int
test_domain_get_uuid(void *priv, const char *name, unsigned char ret_uuid[16])
{
    test_host *host = priv;
    pthread_mutex_lock(&host->lock);
    test_domain *dom = test_host_find(host, name);
    if (dom)
        memcpy(ret_uuid, dom->def->uuid, 16);
    pthread_mutex_unlock(&host->lock);
    if (!dom)
        return vp_error_set(VP_ERR_NO_DOMAIN, "no domain named '%s'", name);
    return 0;
}

int
test_domain_lookup_by_uuid(void *priv, const unsigned char uuid[16], char **ret_name)
{
    test_host *host = priv;
    pthread_mutex_lock(&host->lock);
    test_domain *dom = host_find_uuid(host, uuid, NULL);
    char *name = dom ? vp_strdup(dom->def->name) : NULL;
    pthread_mutex_unlock(&host->lock);
    if (!name) {
        char text[37];
        return vp_error_set(VP_ERR_NO_DOMAIN, "no domain with uuid '%s'",
                            vp_plugin_uuid_format(uuid, text));
    }
    *ret_name = name;
    return 0;
}

int
test_domain_lookup_by_id(void *priv, int id, char **ret_name)
{
    test_host *host = priv;
    char *name = NULL;
    pthread_mutex_lock(&host->lock);
    for (size_t i = 0; i < host->n_buckets && !name; i++)
        for (test_domain *d = host->buckets[i]; d && !name; d = d->next)
            if (d->id == id && state_is_active(d->state))
                name = vp_strdup(d->def->name);
    pthread_mutex_unlock(&host->lock);
    if (!name)
        return vp_error_set(VP_ERR_NO_DOMAIN, "no running domain with id %d", id);
    *ret_name = name;
    return 0;
}

int
test_domain_get_id(void *priv, const char *name, int *ret_id)
{
    test_host *host = priv;
    test_domain *dom = NULL;
    pthread_mutex_lock(&host->lock);
    int r = test_host_get(host, name, &dom);
    int id = r >= 0 ? dom->id : -1;
    pthread_mutex_unlock(&host->lock);
    if (r < 0)
        return r;
    *ret_id = id;
    return 0;
}

/* ---- Runtime data ---------------------------------------------------- */

int
test_domain_get_info(void *priv, const char *name, struct vp_domain_info *ret_info)
{
    test_host *host = priv;
    test_domain *dom = NULL;
    pthread_mutex_lock(&host->lock);
    int r = test_host_get(host, name, &dom);
    if (r >= 0) {
        const vp_domain_def *def = dom->def;
        ret_info->state = dom->state;
        ret_info->reason = dom->reason;
        ret_info->vcpus = test_domain_vcpus(dom);
        ret_info->max_memory_kib = def->memory_kib;
        ret_info->memory_kib = def->current_memory_kib ? def->current_memory_kib : def->memory_kib;
        ret_info->cpu_time_ns = domain_cpu_ns(dom);
    }
    pthread_mutex_unlock(&host->lock);
    return r;
}

unsigned int
test_domain_vcpus(const test_domain *dom)
{
    return vpi_domain_model_vcpus(dom->model, dom->def->vcpus);
}

/* ---- Events ---------------------------------------------------------- */

int
test_event_open(void *priv, vp_plugin_event_sink *sink, int *ret_fd)
{
    test_host *host = priv;
    pthread_mutex_lock(&host->lock);
    host->sink = sink;
    pthread_mutex_unlock(&host->lock);
    *ret_fd = -1;
    return 0;
}

void
test_event_close(void *priv)
{
    test_host *host = priv;
    pthread_mutex_lock(&host->lock);
    host->sink = NULL;
    pthread_mutex_unlock(&host->lock);
}
