/*
 * hpl-suspend.c: capability probes and suspend back ends of hostpower-linux.
 *
 * Owns which back end serves a target (systemd when it is PID 1, pm-utils
 * when pm-is-supported says yes, a direct write to sys/power/state) and
 * running it: pm-utils and sysfs block until the host resumed; systemctl
 * only queues the sleep, so its success is "requested". Hybrid over sysfs
 * writes 'suspend' to sys/power/disk first and restores the previous mode
 * after. It never touches the wake alarm.
 */
#include <config.h>

#include <string.h>
#include <unistd.h>

#include "hpl.h"

static const char *const pm_options[] = {"--suspend", "--hibernate", "--suspend-hybrid"};
static const char *const systemctl_verbs[] = {"suspend", "hibernate", "hybrid-sleep"};

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
    return caps;
}

static bool
pm_supports(const hpl *hp, unsigned int target)
{
    if (access(hp->pm_is_supported, X_OK) < 0)
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

int
hpl_capabilities(hpl *hp, unsigned int *ret_targets)
{
    unsigned int caps = 0;
    for (unsigned int t = 0; t < VP_NODE_SUSPEND_TARGET_LAST; t++)
        if (backend_for(hp, t) != HPL_BACKEND_NONE)
            caps |= 1u << t;
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
    char *open_b = strchr(modes, '['), *close_b = open_b ? strchr(open_b, ']') : NULL;
    _cleanup_free_ char *previous =
        open_b && close_b ? vp_strndup(open_b + 1, (size_t)(close_b - open_b - 1)) : NULL;
    r = hpl_write_file(disk_path, "suspend\n");
    if (r < 0)
        return r;
    r = hpl_write_file(state_path, "disk\n");
    if (previous && strcmp(previous, "suspend") != 0) {
        _cleanup_free_ char *text = vp_asprintf("%s\n", previous);
        if (r >= 0)
            r = hpl_write_file(disk_path, text);
        else
            (void)hpl_write_file(disk_path, text);
    }
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

int
hpl_suspend(hpl *hp, unsigned int target, int *ret_state)
{
    hpl_backend b = backend_for(hp, target);
    VP_PLUGIN_DEBUG("hostpower-linux", "suspending to '%s' through '%s'",
                    vp_node_suspend_target_name(target), hpl_backend_name(b));
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
    case HPL_BACKEND_SYSFS:
        r = suspend_sysfs(hp, target);
        break;
    default:
        return vp_plugin_error_set(
            VP_ERR_NOT_SUPPORTED,
            "no back end can suspend this host to '%s' (backend '%s' in '%s')",
            vp_node_suspend_target_name(target), hpl_backend_name(hp->backend), hp->conf_path);
    }
    if (r >= 0)
        *ret_state = VP_NODE_SUSPEND_RESUMED;
    return r;
}
