/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Copyright (C) 2026 The virtplug developers */
/*
 * builtin/test/test-guests.c: the test driver's guest clocks and its part
 * of a host suspend.
 *
 * Owns the simulated guest clock of each domain (the host's clock plus an
 * offset in memory, as libvirt's test driver keeps its guests' time) and
 * the pause and resume around a host suspend: prepare pauses every running
 * domain and marks it; restore resumes exactly the marked ones, the clock
 * of each having stood still while it was paused, and sets it from the
 * host's. A domain the user paused is never marked, so it stays paused.
 * Nothing here persists (the host is in memory) and nothing touches the
 * real host.
 */
#include <config.h>

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "internal.h"
#include "builtin/test/test-driver.h"

static int64_t
host_now_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

/* Under host->lock: VP_ERR_OPERATION_INVALID unless @dom runs. */
static int
require_running(const test_domain *dom, const char *what)
{
    if (dom->state == VP_DOMAIN_PAUSED)
        return vp_error_set(VP_ERR_OPERATION_INVALID,
                            "cannot %s of domain '%s': it is paused; resume it first", what,
                            dom->def->name);
    if (dom->state != VP_DOMAIN_RUNNING)
        return vp_error_set(VP_ERR_OPERATION_INVALID, "cannot %s of domain '%s': it is not running",
                            what, dom->def->name);
    return 0;
}

int
test_domain_get_time(void *priv, const char *name, long long *ret_seconds,
                     unsigned int *ret_nseconds, unsigned int flags)
{
    test_host *host = priv;
    int r = test_check_flags("domain-get-time", flags, 0);
    if (r < 0)
        return r;
    test_domain *dom = NULL;
    int64_t t = 0;
    pthread_mutex_lock(&host->lock);
    r = test_host_get(host, name, &dom);
    if (r >= 0)
        r = require_running(dom, "read the clock");
    if (r >= 0)
        t = host_now_ns() + dom->clock_offset_ns;
    pthread_mutex_unlock(&host->lock);
    if (r < 0)
        return r;
    *ret_seconds = t / 1000000000;
    *ret_nseconds = (unsigned int)(t % 1000000000);
    return 0;
}

int
test_domain_set_time(void *priv, const char *name, long long seconds, unsigned int nseconds,
                     unsigned int flags)
{
    test_host *host = priv;
    int r = test_check_flags("domain-set-time", flags, VP_DOMAIN_TIME_SYNC);
    if (r < 0)
        return r;
    test_domain *dom = NULL;
    pthread_mutex_lock(&host->lock);
    r = test_host_get(host, name, &dom);
    if (r >= 0)
        r = require_running(dom, "set the clock");
    if (r >= 0)
        dom->clock_offset_ns = (flags & VP_DOMAIN_TIME_SYNC)
                                   ? 0
                                   : (int64_t)seconds * 1000000000 + nseconds - host_now_ns();
    pthread_mutex_unlock(&host->lock);
    return r;
}

/* ---- host suspend ---------------------------------------------------- */

int
test_guests_params(test_host *host, const vp_plugin_uri *uri)
{
    const char *fail = vp_plugin_uri_get_param(uri, "guests_pause_fail");
    const char *ms = vp_plugin_uri_get_param(uri, "guests_prepare_ms");
    if (fail)
        snprintf(host->pause_fail, sizeof(host->pause_fail), "%s", fail);
    if (ms) {
        char *end;
        unsigned long v = strtoul(ms, &end, 10);
        if (!*ms || *ms == '-' || *end || v > 600000)
            return vp_error_set(VP_ERR_INVALID_ARG,
                                "URI parameter 'guests_prepare_ms' needs 0 to 600000, not '%s'",
                                ms);
        host->prepare_ms = (unsigned int)v;
    }
    return 0;
}

typedef struct guest_list {
    vp_plugin_suspend_guest **v;
    size_t n;
} guest_list;

static void
list_add(guest_list *l, const char *name, unsigned int done, int code, const char *message)
{
    l->v = vp_renew(vp_plugin_suspend_guest *, l->v, l->n + 2);
    vp_plugin_suspend_guest *g = vp_new0(vp_plugin_suspend_guest, 1);
    g->name = vp_strdup(name);
    g->done = done;
    g->error_code = code;
    g->message = message ? vp_strdup(message) : NULL;
    l->v[l->n++] = g;
    l->v[l->n] = NULL;
}

static int
list_hand_out(guest_list *l, vp_plugin_suspend_guest ***ret_guests)
{
    if (!l->v)
        l->v = vp_new0(vp_plugin_suspend_guest *, 1);
    *ret_guests = l->v;
    return (int)l->n;
}

int
test_node_suspend_prepare(void *priv, unsigned int flags, vp_plugin_suspend_guest ***ret_guests)
{
    test_host *host = priv;
    int r = test_check_flags("node-suspend-prepare", flags, VP_NODE_SUSPEND_GUESTS_PAUSE);
    if (r < 0)
        return r;
    guest_list l = {0};
    if (host->prepare_ms) {
        struct timespec ts = {.tv_sec = host->prepare_ms / 1000,
                              .tv_nsec = (host->prepare_ms % 1000) * 1000000L};
        while (nanosleep(&ts, &ts) < 0 && errno == EINTR)
            ;
    }
    pthread_mutex_lock(&host->lock);
    int64_t now = host_now_ns();
    for (size_t i = 0; i < host->n_buckets; i++) {
        for (test_domain *dom = host->buckets[i]; dom; dom = dom->next) {
            if (dom->state == VP_DOMAIN_RUNNING && strcmp(dom->def->name, host->pause_fail) == 0) {
                _cleanup_free_ char *m =
                    vp_asprintf("cannot pause domain '%s': failure injected by 'guests_pause_fail'",
                                dom->def->name);
                list_add(&l, dom->def->name, VP_NODE_SUSPEND_GUEST_PAUSE_FAILED, VP_ERR_SYSTEM, m);
            } else if (dom->state == VP_DOMAIN_PAUSED) {
                list_add(&l, dom->def->name, VP_NODE_SUSPEND_GUEST_WAS_PAUSED, 0, NULL);
            } else if (dom->state == VP_DOMAIN_RUNNING) {
                dom->state = VP_DOMAIN_PAUSED;
                dom->reason = VP_DOMAIN_PAUSED_UNKNOWN;
                dom->host_paused_at_ns = now;
                list_add(&l, dom->def->name, VP_NODE_SUSPEND_GUEST_PAUSED, 0, NULL);
            }
        }
    }
    pthread_mutex_unlock(&host->lock);
    return list_hand_out(&l, ret_guests);
}

/* Under host->lock: resume one domain prepare paused and set its clock. */
static void
restore_one(test_domain *dom, int64_t now, guest_list *l)
{
    /* Its clock stood still while it was paused. */
    dom->clock_offset_ns -= now - dom->host_paused_at_ns;
    dom->host_paused_at_ns = 0;
    if (dom->state == VP_DOMAIN_SHUTOFF) {
        _cleanup_free_ char *m = vp_asprintf(
            "domain '%s' was shut off while the host slept; it cannot be resumed", dom->def->name);
        list_add(l, dom->def->name, VP_NODE_SUSPEND_GUEST_RESUME_FAILED, VP_ERR_OPERATION_INVALID,
                 m);
        return;
    }
    unsigned int done = 0;
    if (dom->state == VP_DOMAIN_PAUSED) {
        dom->state = VP_DOMAIN_RUNNING;
        dom->reason = VP_DOMAIN_RUNNING_UNPAUSED;
        done |= VP_NODE_SUSPEND_GUEST_RESUMED;
    }
    dom->clock_offset_ns = 0;
    list_add(l, dom->def->name, done | VP_NODE_SUSPEND_GUEST_CLOCK_SET, 0, NULL);
}

int
test_node_suspend_restore(void *priv, unsigned int flags, vp_plugin_suspend_guest ***ret_guests)
{
    test_host *host = priv;
    int r = test_check_flags("node-suspend-restore", flags, 0);
    if (r < 0)
        return r;
    guest_list l = {0};
    pthread_mutex_lock(&host->lock);
    int64_t now = host_now_ns();
    for (size_t i = 0; i < host->n_buckets; i++)
        for (test_domain *dom = host->buckets[i]; dom; dom = dom->next)
            if (dom->host_paused_at_ns != 0)
                restore_one(dom, now, &l);
    pthread_mutex_unlock(&host->lock);
    return list_hand_out(&l, ret_guests);
}

/* The guest's filesystems, as libvirt's test driver has them. */
static const char *const test_mountpoints[2] = {"/", "/boot"};

/* Freeze (@freeze) or thaw the filesystems @mountpoints names (all when
 * @n is 0) of domain @name; returns how many changed. Like libvirt's test
 * driver, it works on a paused domain too and changes nothing when one
 * mount point is unknown. */
static int
fs_freeze_thaw(test_host *host, const char *name, const char *const *mountpoints, size_t n,
               unsigned int flags, bool freeze)
{
    int r = test_check_flags(freeze ? "domain-fs-freeze" : "domain-fs-thaw", flags, 0);
    if (r < 0)
        return r;
    test_domain *dom = NULL;
    pthread_mutex_lock(&host->lock);
    r = test_host_get(host, name, &dom);
    if (r >= 0 && dom->state == VP_DOMAIN_SHUTOFF)
        r = vp_error_set(VP_ERR_OPERATION_INVALID,
                         "cannot %s the filesystems of domain '%s': it is not running",
                         freeze ? "freeze" : "thaw", name);
    bool want[2] = {n == 0, n == 0};
    for (size_t i = 0; r >= 0 && i < n; i++) {
        size_t k = 0;
        while (k < 2 && strcmp(mountpoints[i], test_mountpoints[k]) != 0)
            k++;
        if (k == 2)
            r = vp_error_set(VP_ERR_OPERATION_INVALID, "mount point not found: %s", mountpoints[i]);
        else
            want[k] = true;
    }
    int changed = 0;
    for (size_t k = 0; r >= 0 && k < 2; k++) {
        if (want[k] && dom->frozen[k] != freeze) {
            dom->frozen[k] = freeze;
            changed++;
        }
    }
    pthread_mutex_unlock(&host->lock);
    return r < 0 ? r : changed;
}

int
test_domain_fs_freeze(void *priv, const char *name, const char *const *mountpoints, size_t n,
                      unsigned int flags)
{
    return fs_freeze_thaw(priv, name, mountpoints, n, flags, true);
}

int
test_domain_fs_thaw(void *priv, const char *name, const char *const *mountpoints, size_t n,
                    unsigned int flags)
{
    return fs_freeze_thaw(priv, name, mountpoints, n, flags, false);
}
