/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Copyright (C) 2026 The virtplug developers */
/*
 * hpl-suspend.c: capability probes and suspend back ends of hostpower-linux.
 *
 * Owns which back end serves a target (systemd when it is PID 1, pm-utils
 * when pm-is-supported says yes, a direct write to sys/power/state) and
 * running it: pm-utils and sysfs block until the host resumed; systemctl
 * only queues the sleep, so its success is "requested". Hybrid over sysfs
 * writes 'suspend' to sys/power/disk first and restores the previous mode
 * after. A configured mem_sleep variant is selected the same way around
 * the back ends that block until resume (pm-utils, sysfs). It never
 * touches the wake alarm.
 */
#include <config.h>

#include <errno.h>
#include <string.h>
#include <unistd.h>

#include "hpl.h"

/* Indexed by target; pm-utils and the kernel have no suspend-then-hibernate. */
static const char *const pm_options[] = {"--suspend", "--hibernate", "--suspend-hybrid", NULL};
static const char *const systemctl_verbs[] = {"suspend", "hibernate", "hybrid-sleep",
                                              "suspend-then-hibernate"};

const char *
hpl_backend_name(hpl_backend backend)
{
    static const char *const names[] = {"none", "auto", "pm-utils", "systemd", "sysfs"};
    return names[backend];
}

/* Targets the kernel offers: 'mem' and 'disk' in sys/power/state; hybrid
 * also needs 'suspend' among the modes of sys/power/disk. */
static unsigned int
sysfs_caps(const hpl *hp)
{
    _cleanup_free_ char *state_path = hpl_sys_path(hp, "/sys/power/state");
    _cleanup_free_ char *disk_path = hpl_sys_path(hp, "/sys/power/disk");
    _cleanup_free_ char *state = NULL, *disk = NULL;
    if (!hpl_exists(state_path) || hpl_read_line(state_path, &state) < 0)
        return 0;
    unsigned int caps = 0;
    if (hpl_word_in(state, "mem"))
        caps |= 1u << VP_NODE_SUSPEND_TARGET_MEM;
    if (hpl_word_in(state, "disk") && hpl_exists(disk_path) &&
        hpl_read_line(disk_path, &disk) >= 0) {
        caps |= 1u << VP_NODE_SUSPEND_TARGET_DISK;
        if (hpl_word_in(disk, "suspend"))
            caps |= 1u << VP_NODE_SUSPEND_TARGET_HYBRID;
    }
    /* What systemd needs for suspend-then-hibernate: both halves. */
    if ((caps & (1u << VP_NODE_SUSPEND_TARGET_MEM)) && (caps & (1u << VP_NODE_SUSPEND_TARGET_DISK)))
        caps |= 1u << VP_NODE_SUSPEND_TARGET_SUSPEND_THEN_HIBERNATE;
    return caps;
}

/* The word in [brackets] of a sysfs choice list, the current choice:
 * "s2idle [deep]" gives "deep" (transfer full); NULL when none is marked. */
static char *
bracketed(const char *list)
{
    const char *open_b = strchr(list, '['), *close_b = open_b ? strchr(open_b, ']') : NULL;
    return open_b && close_b ? vp_strndup(open_b + 1, (size_t)(close_b - open_b - 1)) : NULL;
}

/* Write @previous (NULL: nothing to restore) back to @path after a suspend
 * that returned @r. After a successful suspend a failed restore is the
 * error; after a failed suspend that error comes first in the message. */
static int
restore_choice(const char *path, const char *previous, int r)
{
    if (!previous)
        return r;
    _cleanup_free_ char *text = vp_asprintf("%s\n", previous);
    if (r >= 0)
        return hpl_write_file(path, text);
    const vp_error *e = vp_error_last();
    _cleanup_free_ char *kept = vp_strdup(e ? e->message : "");
    if (hpl_write_file(path, text) < 0) {
        _cleanup_free_ char *also = vp_strdup(vp_error_last()->message);
        return vp_plugin_error_set(r, "%s; then %s", kept, also);
    }
    return r;
}

/* Hybrid sleep's RAM half suspends with the kernel's mem_sleep choice too. */
static bool
uses_mem_sleep(unsigned int target)
{
    return target != VP_NODE_SUSPEND_TARGET_DISK;
}

/* Whether back end @b can honour the configured mem_sleep variant on this
 * kernel: it must be one that returns after resume (so the previous choice
 * can be restored), and @path must list the variant. *ret_current
 * (optional): the kernel's current choice, NULL when none is marked.
 * Errors: VP_ERR_NOT_SUPPORTED naming the file and what it offers. */
static int
mem_sleep_check(const hpl *hp, hpl_backend b, const char *path, char **ret_current)
{
    if (b == HPL_BACKEND_SYSTEMD)
        return vp_plugin_error_set(
            VP_ERR_NOT_SUPPORTED,
            "%s: key 'mem_sleep' is '%s', but systemd suspends this host and selects the variant itself; set MemorySleepMode= in systemd's sleep.conf and mem_sleep = auto here, or choose backend sysfs or pm-utils",
            hp->conf_path, hp->mem_sleep);
    if (!hpl_exists(path))
        return vp_plugin_error_set(
            VP_ERR_NOT_SUPPORTED,
            "%s: key 'mem_sleep' is '%s', but '%s' does not exist, so this kernel cannot select a variant of 'mem'; set mem_sleep = auto",
            hp->conf_path, hp->mem_sleep, path);
    _cleanup_free_ char *list = NULL;
    int r = hpl_read_line(path, &list);
    if (r < 0)
        return r;
    if (!hpl_word_in(list, hp->mem_sleep))
        return vp_plugin_error_set(
            VP_ERR_NOT_SUPPORTED,
            "%s: key 'mem_sleep' is '%s', but '%s' offers only '%s'; set mem_sleep = auto or one of those",
            hp->conf_path, hp->mem_sleep, path, list);
    if (ret_current)
        *ret_current = bracketed(list);
    return 0;
}

/* Select the configured variant in @path before back end @b suspends to
 * @target, and log which variant the suspend uses. *ret_previous: the
 * choice to restore after resume, NULL when nothing was changed. */
static int
mem_sleep_select(const hpl *hp, hpl_backend b, unsigned int target, const char *path,
                 char **ret_previous)
{
    _cleanup_free_ char *current = NULL;
    *ret_previous = NULL;
    if (!uses_mem_sleep(target))
        return 0;
    if (!hp->mem_sleep) {
        _cleanup_free_ char *list = NULL;
        if (vp_plugin_debug_enabled() && hpl_exists(path) && hpl_read_line(path, &list) >= 0)
            current = bracketed(list);
        VP_PLUGIN_DEBUG("hostpower-linux", "mem_sleep: auto, the kernel's choice '%s'",
                        current ? current : "(none)");
        return 0;
    }
    int r = mem_sleep_check(hp, b, path, &current);
    if (r < 0)
        return r;
    if (current && strcmp(current, hp->mem_sleep) == 0) {
        VP_PLUGIN_DEBUG("hostpower-linux", "mem_sleep: '%s', already selected", hp->mem_sleep);
        return 0;
    }
    _cleanup_free_ char *text = vp_asprintf("%s\n", hp->mem_sleep);
    r = hpl_write_file(path, text);
    if (r < 0)
        return r;
    VP_PLUGIN_DEBUG("hostpower-linux", "mem_sleep: '%s' selected in '%s' (was '%s')", hp->mem_sleep,
                    path, current ? current : "(none)");
    *ret_previous = VP_STEAL_PTR(current);
    return 0;
}

static bool
pm_supports(const hpl *hp, unsigned int target)
{
    if (!pm_options[target] || access(hp->pm_is_supported, X_OK) < 0)
        return false;
    int status = 1;
    const char *argv[] = {hp->pm_is_supported, pm_options[target], NULL};
    if (vp_plugin_command_run(argv, HPL_PROBE_TIMEOUT_MS, &status, NULL, NULL) < 0)
        return false;
    return status == 0;
}

static bool
systemd_booted(const hpl *hp)
{
    return hpl_exists(hp->systemd_booted_dir) && access(hp->systemctl, X_OK) == 0;
}

static hpl_backend
backend_for(const hpl *hp, unsigned int target)
{
    bool kernel = sysfs_caps(hp) & (1u << target);
    /* Only systemd does suspend-then-hibernate: it wakes the host from
     * RAM itself after HibernateDelaySec= and hibernates it. */
    if (target == VP_NODE_SUSPEND_TARGET_SUSPEND_THEN_HIBERNATE)
        return kernel && (hp->backend == HPL_BACKEND_SYSTEMD ||
                          (hp->backend == HPL_BACKEND_AUTO && systemd_booted(hp)))
                   ? HPL_BACKEND_SYSTEMD
                   : HPL_BACKEND_NONE;
    switch (hp->backend) {
    case HPL_BACKEND_SYSTEMD:
        /* logind decides over D-Bus; the kernel's list is what it checks. */
        return kernel ? HPL_BACKEND_SYSTEMD : HPL_BACKEND_NONE;
    case HPL_BACKEND_PM_UTILS:
        return pm_supports(hp, target) ? HPL_BACKEND_PM_UTILS : HPL_BACKEND_NONE;
    case HPL_BACKEND_SYSFS:
        return kernel ? HPL_BACKEND_SYSFS : HPL_BACKEND_NONE;
    default:
        if (kernel && systemd_booted(hp))
            return HPL_BACKEND_SYSTEMD;
        if (pm_supports(hp, target))
            return HPL_BACKEND_PM_UTILS;
        return kernel ? HPL_BACKEND_SYSFS : HPL_BACKEND_NONE;
    }
}

/* A configured mem_sleep variant this host cannot honour is an error here,
 * not a missing target, so the refusal before arming says why. */
int
hpl_capabilities(hpl *hp, unsigned int *ret_targets)
{
    _cleanup_free_ char *mem_sleep = hpl_sys_path(hp, "/sys/power/mem_sleep");
    unsigned int caps = 0;
    for (unsigned int t = 0; t < VP_NODE_SUSPEND_TARGET_LAST; t++) {
        hpl_backend b = backend_for(hp, t);
        if (b == HPL_BACKEND_NONE)
            continue;
        if (hp->mem_sleep && uses_mem_sleep(t)) {
            int r = mem_sleep_check(hp, b, mem_sleep, NULL);
            if (r < 0)
                return r;
        }
        caps |= 1u << t;
    }
    *ret_targets = caps;
    return 0;
}

static int
suspend_sysfs_hybrid(hpl *hp, const char *state_path)
{
    _cleanup_free_ char *disk_path = hpl_sys_path(hp, "/sys/power/disk");
    _cleanup_free_ char *modes = NULL;
    int r = hpl_read_line(disk_path, &modes);
    if (r < 0)
        return r;
    /* The current mode is the one in brackets: "[platform] shutdown suspend". */
    _cleanup_free_ char *previous = bracketed(modes);
    r = hpl_write_file(disk_path, "suspend\n");
    if (r < 0)
        return r;
    r = hpl_write_file(state_path, "disk\n");
    int e = errno; /* EBUSY: a wakeup event aborted it (hpl-wakeup.c) */
    bool changed = previous && strcmp(previous, "suspend") != 0;
    r = restore_choice(disk_path, changed ? previous : NULL, r);
    errno = e;
    return r;
}

static int
suspend_sysfs(hpl *hp, unsigned int target)
{
    _cleanup_free_ char *state_path = hpl_sys_path(hp, "/sys/power/state");
    if (target == VP_NODE_SUSPEND_TARGET_HYBRID)
        return suspend_sysfs_hybrid(hp, state_path);
    return hpl_write_file(state_path, target == VP_NODE_SUSPEND_TARGET_MEM ? "mem\n" : "disk\n");
}

static int
run_backend(hpl *hp, hpl_backend b, unsigned int target, int *ret_state)
{
    int r;
    switch (b) {
    case HPL_BACKEND_SYSTEMD: {
        const char *argv[] = {hp->systemctl, systemctl_verbs[target], NULL};
        r = hpl_run(argv, HPL_PROBE_TIMEOUT_MS, NULL);
        if (r >= 0)
            *ret_state = VP_NODE_SUSPEND_REQUESTED;
        return r;
    }
    case HPL_BACKEND_PM_UTILS: {
        const char *cmds[] = {hp->pm_suspend, hp->pm_hibernate, hp->pm_suspend_hybrid};
        const char *argv[] = {cmds[target], NULL};
        r = hpl_run(argv, -1, NULL);
        break;
    }
    default:
        r = suspend_sysfs(hp, target);
        break;
    }
    if (r >= 0)
        *ret_state = VP_NODE_SUSPEND_RESUMED;
    return r;
}

/* The back end after the wakeup_count handshake (hpl-wakeup.c): a sysfs
 * suspend that a wakeup event aborted (EBUSY from sys/power/state) is
 * retried, as long as the wake alarm is still to come. */
static int
suspend_handshaken(hpl *hp, hpl_backend b, unsigned int target, int *ret_state)
{
    for (unsigned int attempt = 1;; attempt++) {
        int r = hpl_wakeup_commit(hp);
        if (r < 0)
            return r;
        r = run_backend(hp, b, target, ret_state);
        if (r >= 0 || b != HPL_BACKEND_SYSFS || errno != EBUSY)
            return r;
        r = hpl_wakeup_event_seen(hp, attempt, "while the host was suspending");
        if (r < 0)
            return r;
    }
}

int
hpl_suspend(hpl *hp, unsigned int target, int *ret_state)
{
    hpl_backend b = backend_for(hp, target);
    VP_PLUGIN_DEBUG("hostpower-linux", "suspending to '%s' through '%s'",
                    vp_node_suspend_target_name(target), hpl_backend_name(b));
    if (b == HPL_BACKEND_NONE)
        return vp_plugin_error_set(
            VP_ERR_NOT_SUPPORTED,
            "no back end can suspend this host to '%s' (backend '%s' in '%s')",
            vp_node_suspend_target_name(target), hpl_backend_name(hp->backend), hp->conf_path);
    _cleanup_free_ char *mem_sleep = hpl_sys_path(hp, "/sys/power/mem_sleep");
    _cleanup_free_ char *previous = NULL;
    int r = mem_sleep_select(hp, b, target, mem_sleep, &previous);
    if (r < 0)
        return r;
    int state = VP_NODE_SUSPEND_RESUMED;
    r = suspend_handshaken(hp, b, target, &state);
    r = restore_choice(mem_sleep, previous, r);
    if (r >= 0)
        *ret_state = state;
    return r;
}
