/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Copyright (C) 2026 The virtplug developers */
/*
 * builtin/test/test-snapshots.c: the test driver's snapshots.
 *
 * Owns the in-memory snapshots of the test driver's domains: a list per
 * domain in creation order, each a parsed <domainsnapshot> completed with
 * the creation time, the domain's state and whether it was quiesced. It
 * keeps the real driver's rules that a user can observe (quiesce only on a
 * running domain, checked before anything else) and its tree (a new
 * snapshot's parent is the current one and it becomes current; a deleted
 * one's children get its parent, and its parent becomes current if it
 * was), and reverts as libvirt's test driver does (the state the snapshot
 * recorded, or the one the flags ask for; the reverted-to snapshot becomes
 * current), but never freezes, writes or copies anything: there are no
 * disks behind a test domain.
 */
#include <config.h>

#include <inttypes.h>

#include "internal.h"
#include "builtin/test/test-driver.h"

#define TEST_SNAPSHOT_CREATE_FLAGS                                                                 \
    (VP_SNAPSHOT_CREATE_DISK_ONLY | VP_SNAPSHOT_CREATE_QUIESCE | VP_SNAPSHOT_CREATE_REDEFINE |     \
     VP_SNAPSHOT_CREATE_CURRENT)

void
test_domain_snapshots_free(test_domain *dom)
{
    for (size_t i = 0; i < dom->n_snaps; i++)
        vp_plugin_snapshot_def_free(dom->snaps[i].def);
    free(dom->snaps);
    dom->snaps = NULL;
    dom->n_snaps = 0;
}

static ssize_t
snapshot_index(const test_domain *dom, const char *name)
{
    for (size_t i = 0; i < dom->n_snaps; i++)
        if (strcmp(dom->snaps[i].def->name, name) == 0)
            return (ssize_t)i;
    return -1;
}

static int
snapshot_get(const test_domain *dom, const char *name, size_t *ret_index)
{
    ssize_t i = snapshot_index(dom, name);
    if (i < 0)
        return vp_error_set(VP_ERR_NO_SNAPSHOT, "domain '%s' has no snapshot named '%s'",
                            dom->def->name, name);
    *ret_index = (size_t)i;
    return 0;
}

/* Under host->lock: the domain and the index of its snapshot @name. */
static int
snapshot_find(test_host *host, const char *domain, const char *name, test_domain **ret_dom,
              size_t *ret_index)
{
    int r = test_host_get(host, domain, ret_dom);
    return r < 0 ? r : snapshot_get(*ret_dom, name, ret_index);
}

/* libvirt names an unnamed snapshot after its creation time in seconds;
 * two in the same second get "-2", "-3", ... so both can exist. */
static char *
snapshot_pick_name(const test_domain *dom, int64_t now_s)
{
    char *name = vp_asprintf("%" PRId64, now_s);
    for (unsigned int n = 2; snapshot_index(dom, name) >= 0; n++) {
        free(name);
        name = vp_asprintf("%" PRId64 "-%u", now_s, n);
    }
    return name;
}

/* Rule 1 of the snapshot state machine, as the QEMU driver applies it:
 * quiesce needs a running guest, and nothing else happens before this. */
static int
snapshot_check_quiesce(const test_domain *dom, unsigned int flags)
{
    if (!(flags & VP_SNAPSHOT_CREATE_QUIESCE) || dom->state == VP_DOMAIN_RUNNING)
        return 0;
    if (dom->state == VP_DOMAIN_PAUSED)
        return vp_error_set(VP_ERR_OPERATION_INVALID,
                            "cannot quiesce domain '%s': it is paused; resume it first",
                            dom->def->name);
    if (dom->state == VP_DOMAIN_SHUTOFF)
        return vp_error_set(VP_ERR_OPERATION_INVALID,
                            "cannot quiesce domain '%s': it is shut off; start it first",
                            dom->def->name);
    return vp_error_set(VP_ERR_OPERATION_INVALID, "cannot quiesce domain '%s': it is not running",
                        dom->def->name);
}

static int
snapshot_add(test_domain *dom, vp_snapshot_def *def, unsigned int flags, char **ret_name)
{
    int64_t now_s = vp_plugin_now_us() / 1000000;
    if (!def->name)
        def->name = snapshot_pick_name(dom, now_s);
    else if (snapshot_index(dom, def->name) >= 0)
        return vp_error_set(VP_ERR_EXISTS, "domain '%s' already has a snapshot named '%s'",
                            dom->def->name, def->name);
    def->creation_time = now_s;
    /* libvirt records a disk-only snapshot of an active domain as
     * "disk-snapshot", of a shut-off one as "shutoff". */
    bool disk_snapshot = (flags & VP_SNAPSHOT_CREATE_DISK_ONLY) && dom->state != VP_DOMAIN_SHUTOFF;
    def->state = disk_snapshot ? VP_SNAPSHOT_STATE_DISK_SNAPSHOT : dom->state;
    def->quiesced = (flags & VP_SNAPSHOT_CREATE_QUIESCE) != 0;
    if (flags & VP_SNAPSHOT_CREATE_DISK_ONLY)
        def->memory = VP_SNAPSHOT_LOCATION_NO;
    else if (def->memory == VP_SNAPSHOT_LOCATION_DEFAULT)
        def->memory = dom->state == VP_DOMAIN_SHUTOFF ? VP_SNAPSHOT_LOCATION_NO
                                                      : VP_SNAPSHOT_LOCATION_INTERNAL;
    free(def->parent);
    def->parent = NULL;
    for (size_t i = 0; i < dom->n_snaps; i++) {
        if (dom->snaps[i].current)
            def->parent = vp_strdup(dom->snaps[i].def->name);
        dom->snaps[i].current = false;
    }
    dom->snaps = vp_renew(test_snapshot, dom->snaps, dom->n_snaps + 1);
    dom->snaps[dom->n_snaps++] = (test_snapshot){.def = def, .current = true};
    *ret_name = vp_strdup(def->name);
    return 0;
}

/* libvirt's rule: the children of snapshot @i get its parent, and its
 * parent becomes current if @i was; then @i goes. */
static void
snapshot_remove(test_domain *dom, size_t i)
{
    const vp_snapshot_def *gone = dom->snaps[i].def;
    for (size_t k = 0; k < dom->n_snaps; k++) {
        vp_snapshot_def *d = dom->snaps[k].def;
        if (d->parent && strcmp(d->parent, gone->name) == 0) {
            free(d->parent);
            d->parent = gone->parent ? vp_strdup(gone->parent) : NULL;
        }
        if (dom->snaps[i].current && gone->parent && strcmp(d->name, gone->parent) == 0)
            dom->snaps[k].current = true;
    }
    vp_plugin_snapshot_def_free(dom->snaps[i].def);
    memmove(&dom->snaps[i], &dom->snaps[i + 1], (dom->n_snaps - i - 1) * sizeof(*dom->snaps));
    dom->n_snaps--;
}

/* Store @def (taken over) as given: a record of the same name is
 * replaced in place; the current one moves only when asked. The core
 * checked its name and parent. */
static int
snapshot_redefine(test_host *host, const char *domain, vp_snapshot_def *def, unsigned int flags,
                  char **ret_name)
{
    test_domain *dom = NULL;
    pthread_mutex_lock(&host->lock);
    int r = test_host_get(host, domain, &dom);
    ssize_t i = r >= 0 ? snapshot_index(dom, def->name) : -1;
    if (r >= 0 && i >= 0) {
        vp_plugin_snapshot_def_free(dom->snaps[i].def);
        dom->snaps[i].def = def;
    } else if (r >= 0) {
        dom->snaps = vp_renew(test_snapshot, dom->snaps, dom->n_snaps + 1);
        i = (ssize_t)dom->n_snaps++;
        dom->snaps[i] = (test_snapshot){.def = def};
    }
    for (size_t k = 0; r >= 0 && (flags & VP_SNAPSHOT_CREATE_CURRENT) && k < dom->n_snaps; k++)
        dom->snaps[k].current = k == (size_t)i;
    if (r >= 0)
        *ret_name = vp_strdup(def->name);
    pthread_mutex_unlock(&host->lock);
    if (r < 0)
        vp_plugin_snapshot_def_free(def);
    return r;
}

int
test_snapshot_create_xml(void *priv, const char *domain, const char *xml, unsigned int flags,
                         char **ret_name)
{
    test_host *host = priv;
    int r = test_check_flags("domain-snapshot-create-xml", flags, TEST_SNAPSHOT_CREATE_FLAGS);
    if (r < 0)
        return r;
    if (flags & VP_SNAPSHOT_CREATE_REDEFINE) {
        vp_snapshot_def *def = NULL;
        r = vp_plugin_snapshot_def_parse(xml, VP_PLUGIN_SNAPSHOT_PARSE_RECORD, &def);
        return r < 0 ? r : snapshot_redefine(host, domain, def, flags, ret_name);
    }
    test_domain *dom = NULL;
    pthread_mutex_lock(&host->lock);
    r = test_host_get(host, domain, &dom);
    if (r >= 0 && dom->transient)
        r = vp_error_set(
            VP_ERR_OPERATION_INVALID,
            "cannot snapshot domain '%s': it is transient; define it to make it persistent first",
            domain);
    if (r >= 0)
        r = snapshot_check_quiesce(dom, flags);
    pthread_mutex_unlock(&host->lock);
    if (r < 0)
        return r;

    vp_snapshot_def *def = NULL;
    if (xml && *xml)
        r = vp_plugin_snapshot_def_parse(xml, 0, &def); /* outside the lock: parsing is slow */
    else
        def = vp_new0(vp_snapshot_def, 1);
    if (r < 0)
        return r;

    /* The lock was dropped while parsing: look again, check again. */
    pthread_mutex_lock(&host->lock);
    r = test_host_get(host, domain, &dom);
    if (r >= 0)
        r = snapshot_check_quiesce(dom, flags);
    if (r >= 0)
        r = snapshot_add(dom, def, flags, ret_name);
    pthread_mutex_unlock(&host->lock);
    if (r < 0)
        vp_plugin_snapshot_def_free(def);
    return r;
}

int
test_snapshot_list(void *priv, const char *domain, unsigned int flags, char ***ret_names)
{
    test_host *host = priv;
    int r = test_check_flags("domain-snapshot-list", flags, 0);
    if (r < 0)
        return r;
    test_domain *dom = NULL;
    pthread_mutex_lock(&host->lock);
    r = test_host_get(host, domain, &dom);
    if (r >= 0) {
        char **names = vp_new0(char *, dom->n_snaps + 1);
        for (size_t i = 0; i < dom->n_snaps; i++)
            names[i] = vp_strdup(dom->snaps[i].def->name);
        r = (int)dom->n_snaps;
        *ret_names = names;
    }
    pthread_mutex_unlock(&host->lock);
    return r;
}

int
test_snapshot_lookup(void *priv, const char *domain, const char *name, unsigned int flags)
{
    test_host *host = priv;
    int r = test_check_flags("domain-snapshot-lookup-by-name", flags, 0);
    if (r < 0)
        return r;
    test_domain *dom = NULL;
    size_t i = 0;
    pthread_mutex_lock(&host->lock);
    r = snapshot_find(host, domain, name, &dom, &i);
    pthread_mutex_unlock(&host->lock);
    return r;
}

int
test_snapshot_delete(void *priv, const char *domain, const char *name, unsigned int flags)
{
    test_host *host = priv;
    /* OVERLAYS is accepted: a test snapshot has no overlay files to delete. */
    int r = test_check_flags("domain-snapshot-delete", flags,
                             VP_SNAPSHOT_DELETE_OVERLAYS | VP_SNAPSHOT_DELETE_METADATA_ONLY);
    if (r < 0)
        return r;
    test_domain *dom = NULL;
    size_t i = 0;
    pthread_mutex_lock(&host->lock);
    r = snapshot_find(host, domain, name, &dom, &i);
    if (r >= 0)
        snapshot_remove(dom, i);
    pthread_mutex_unlock(&host->lock);
    return r;
}

int
test_snapshot_get_xml(void *priv, const char *domain, const char *name, unsigned int flags,
                      char **ret_xml)
{
    test_host *host = priv;
    int r = test_check_flags("domain-snapshot-get-xml", flags, 0);
    if (r < 0)
        return r;
    test_domain *dom = NULL;
    size_t i = 0;
    pthread_mutex_lock(&host->lock);
    r = snapshot_find(host, domain, name, &dom, &i);
    if (r >= 0)
        r = vp_plugin_snapshot_def_format(dom->snaps[i].def, 0, ret_xml);
    pthread_mutex_unlock(&host->lock);
    return r;
}

int
test_snapshot_get_current(void *priv, const char *domain, unsigned int flags, char **ret_name)
{
    test_host *host = priv;
    int r = test_check_flags("domain-snapshot-current", flags, 0);
    if (r < 0)
        return r;
    test_domain *dom = NULL;
    pthread_mutex_lock(&host->lock);
    r = test_host_get(host, domain, &dom);
    size_t i = 0;
    while (r >= 0 && i < dom->n_snaps && !dom->snaps[i].current)
        i++;
    if (r >= 0 && i == dom->n_snaps)
        r = vp_error_set(VP_ERR_NO_SNAPSHOT, "domain '%s' has no current snapshot", domain);
    if (r >= 0)
        *ret_name = vp_strdup(dom->snaps[i].def->name);
    pthread_mutex_unlock(&host->lock);
    return r;
}

/* The state a revert to @snap leaves: libvirt's test driver's rules. A
 * snapshot with memory (taken running or paused) restores that state;
 * one without leaves the domain shut off; the flags start or pause it. */
static void
revert_target(const test_domain *dom, const vp_snapshot_def *snap, unsigned int flags,
              int *ret_state, int *ret_reason)
{
    bool with_memory = snap->state == VP_DOMAIN_RUNNING || snap->state == VP_DOMAIN_PAUSED;
    bool paused = false;
    if (with_memory)
        paused = !(flags & VP_SNAPSHOT_REVERT_RUNNING) &&
                 (snap->state == VP_DOMAIN_PAUSED || (flags & VP_SNAPSHOT_REVERT_PAUSED));
    else if (flags & (VP_SNAPSHOT_REVERT_RUNNING | VP_SNAPSHOT_REVERT_PAUSED))
        paused = (flags & VP_SNAPSHOT_REVERT_PAUSED) != 0;
    if (!with_memory && !(flags & (VP_SNAPSHOT_REVERT_RUNNING | VP_SNAPSHOT_REVERT_PAUSED))) {
        /* Shut off: a domain that already was keeps its reason. */
        *ret_state = VP_DOMAIN_SHUTOFF;
        *ret_reason =
            dom->state == VP_DOMAIN_SHUTOFF ? dom->reason : VP_DOMAIN_SHUTOFF_FROM_SNAPSHOT;
        return;
    }
    *ret_state = paused ? VP_DOMAIN_PAUSED : VP_DOMAIN_RUNNING;
    *ret_reason = paused ? VP_DOMAIN_PAUSED_FROM_SNAPSHOT : VP_DOMAIN_RUNNING_FROM_SNAPSHOT;
}

int
test_snapshot_revert(void *priv, const char *domain, const char *name, unsigned int flags)
{
    test_host *host = priv;
    const unsigned int start = VP_SNAPSHOT_REVERT_RUNNING | VP_SNAPSHOT_REVERT_PAUSED;
    int r = test_check_flags("domain-snapshot-revert", flags, start | VP_SNAPSHOT_REVERT_FORCE);
    if (r < 0)
        return r;
    test_domain *dom = NULL;
    size_t i = 0;
    pthread_mutex_lock(&host->lock);
    r = snapshot_find(host, domain, name, &dom, &i);
    const vp_snapshot_def *snap = r >= 0 ? dom->snaps[i].def : NULL;
    bool with_memory =
        snap && (snap->state == VP_DOMAIN_RUNNING || snap->state == VP_DOMAIN_PAUSED);
    if (r >= 0 && !(flags & VP_SNAPSHOT_REVERT_FORCE) && dom->state != VP_DOMAIN_SHUTOFF &&
        !with_memory && (flags & start))
        r = vp_error_set(
            VP_ERR_OPERATION_INVALID,
            "reverting domain '%s' to snapshot '%s' must restart the guest: the snapshot holds no memory state; use force to allow it",
            domain, name);
    if (r >= 0) {
        int state = 0, reason = 0;
        revert_target(dom, snap, flags, &state, &reason);
        test_domain_set_state(host, dom, state, reason);
        for (size_t k = 0; k < dom->n_snaps; k++)
            dom->snaps[k].current = k == i;
    }
    pthread_mutex_unlock(&host->lock);
    return r;
}
